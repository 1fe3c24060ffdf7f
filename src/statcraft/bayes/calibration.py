r"""Simulation-based calibration (SBC): does a template's posterior mean what it says.

Talts et al. (2018): draw parameters :math:`\tilde\theta` from the prior and data
:math:`\tilde y` from the model given :math:`\tilde\theta`; fit the model to :math:`\tilde y`
and take the rank of :math:`\tilde\theta` among :math:`L` posterior draws. If the sampler and
the model's implementation are right, the rank is uniform on :math:`\{0, \dots, L\}`
whatever the model, because the data-averaged posterior equals the prior. A histogram that is
∪-shaped means over-confident posteriors, ∩-shaped under-confident, sloped biased.

The fits are independent, so they run through any :class:`concurrent.futures.Executor` (a
process pool, or a dask.distributed client's ``get_executor()`` across machines); each fit's
seed comes from :meth:`numpy.random.SeedSequence.spawn`, so the ranks are the same however
they are run.

References
----------
Talts, S., Betancourt, M., Simpson, D., Vehtari, A. & Gelman, A. (2018). Validating Bayesian
inference algorithms with simulation-based calibration. arXiv:1804.06788.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._random import spawn_seeds
from statcraft._validation import check_int, check_probability
from statcraft.bayes import diagnostics as dx
from statcraft.bayes._data import check_frame
from statcraft.bayes.base import BayesianModel
from statcraft.hypothesis_tests import adjust_pvalues
from statcraft.resampling.parallel import check_executor, run_calls

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CalibrationResult", "check_calibration"]

_BIN_CHOICES = (20, 10, 5, 4, 2)


@dataclass(frozen=True, slots=True, eq=False)
class CalibrationResult:
    """Ranks and uniformity tests of a simulation-based calibration.

    Attributes
    ----------
    ranks : pandas.DataFrame
        One row per simulation, one column per parameter element: the rank of the true value
        among ``n_ranks - 1`` thinned posterior draws (0 … ``n_ranks - 1``).
    tests : pandas.DataFrame
        One row per parameter element: ``statistic`` (Pearson chi-square of the binned ranks
        against uniform), ``df``, ``pvalue``, ``pvalue_holm`` (Holm-adjusted over elements).
    n_ranks : int
        Number of possible rank values (``L + 1``).
    n_bins : int
        Bins of the histogram the test uses (at least 5 expected counts per bin).
    failed_fits : int
        Simulations whose fit failed the convergence gate (their ranks are kept: dropping them
        would bias the check; many failures mean the priors produce data the model cannot fit).
    level : float
        Family-wise level of the verdict.
    """

    ranks: pd.DataFrame
    tests: pd.DataFrame
    n_ranks: int
    n_bins: int
    failed_fits: int
    level: float

    @property
    def passed(self) -> bool:
        """True when no element's Holm-adjusted p-value is below ``level``."""
        return bool((self.tests["pvalue_holm"] >= self.level).all())

    @property
    def n_simulations(self) -> int:
        """Number of simulations."""
        return len(self.ranks)

    def to_frame(self) -> pd.DataFrame:
        """Return the per-element test table (a copy)."""
        return self.tests.copy()

    def to_dict(self) -> dict[str, Any]:
        """Headline numbers as plain Python values."""
        return {
            "passed": self.passed,
            "n_simulations": self.n_simulations,
            "n_ranks": self.n_ranks,
            "n_bins": self.n_bins,
            "failed_fits": self.failed_fits,
            "min_pvalue_holm": float(self.tests["pvalue_holm"].min()),
            "level": self.level,
        }

    def plot(self, *, columns: int = 4) -> Figure:
        """Rank histograms, one panel per element, with the 99% band of a uniform histogram."""
        import matplotlib.pyplot as plt

        names = list(self.ranks.columns)
        ncol = min(columns, len(names))
        nrow = -(-len(names) // ncol)
        fig, axes = plt.subplots(
            nrow, ncol, figsize=(3.2 * ncol, 2.6 * nrow), squeeze=False, sharey=True
        )
        n, b = self.n_simulations, self.n_bins
        lo, hi = stats.binom.ppf([0.005, 0.995], n, 1.0 / b)
        edges = np.linspace(0, self.n_ranks, b + 1)
        for ax, name in zip(axes.ravel(), names, strict=False):
            ax.axhspan(lo, hi, color="0.85", label="99% band if uniform")
            ax.axhline(n / b, color="0.5", lw=1)
            ax.hist(self.ranks[name], bins=edges, color="C0", edgecolor="white")
            ax.set_title(name, fontsize=9)
            ax.set_xlabel(f"rank of the true value (0–{self.n_ranks - 1})")
        for ax in axes[:, 0]:
            ax.set_ylabel("simulations")
        for ax in axes.ravel()[len(names) :]:
            ax.set_visible(False)
        verdict = "passed" if self.passed else "FAILED"
        fig.suptitle(f"Simulation-based calibration: {n} simulations, {verdict}")
        fig.tight_layout()
        return fig

    def __repr__(self) -> str:
        d = self.to_dict()
        verdict = "passed" if self.passed else "FAILED"
        worst = self.tests.sort_values("pvalue").iloc[0]
        return (
            f"CalibrationResult: {verdict} ({d['n_simulations']} simulations, "
            f"{len(self.tests)} parameter elements, {d['failed_fits']} fits failed the gate)\n"
            f"  smallest p-value {worst['pvalue']:.3g} ({worst.name}), Holm-adjusted "
            f"{worst['pvalue_holm']:.3g} at level {self.level:g}"
        )


def _fit_one(
    model: BayesianModel,
    data: pd.DataFrame,
    truth: dict[str, np.ndarray],
    seed: np.random.SeedSequence,
    sampling: dict[str, Any],
    n_ranks: int,
) -> tuple[dict[str, np.ndarray], bool]:
    """Fit a fresh copy of ``model`` to ``data``; ranks of ``truth`` among thinned draws."""
    fresh = type(model)(priors=model.priors, **model.options)
    fresh._sampler_config = dict(model._sampler_config)  # e.g. a configured target_accept
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dx.ConvergenceWarning)
        fresh.fit(data, rng=np.random.default_rng(seed), progressbar=False, **sampling)
    draws = dx.extract_draws(fresh.idata, truth)
    total = next(iter(draws.values())).shape[0]
    keep = np.linspace(0, total - 1, n_ranks - 1).round().astype(int)
    ranks = {k: (draws[k][keep] < truth[k]).sum(axis=0) for k in truth}
    return ranks, fresh.convergence is not None and fresh.convergence.passed


def check_calibration(
    model: BayesianModel,
    data: pd.DataFrame,
    *,
    n_simulations: int = 100,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    n_ranks: int = 100,
    level: float = 0.01,
    executor: Any = None,
    rng: Any = None,
) -> CalibrationResult:
    """Simulation-based calibration of ``model`` on the design of ``data``.

    Parameters
    ----------
    model : BayesianModel
        A template (fitted or not; its options and priors are used).
    data : pandas.DataFrame
        The design: predictors, groups, trials, censoring times are kept; the outcome is
        replaced by each simulation's prior predictive draw.
    n_simulations : int
        Number of prior draws, each followed by a fit.
    draws, tune, chains : int
        Sampler settings of each fit (kept small: SBC needs many fits, not long ones).
    n_ranks : int
        Possible rank values ``L + 1``: the posterior is thinned to ``L`` evenly spaced draws,
        which also weakens autocorrelation. 100 by default.
    level : float
        Family-wise level of the uniformity verdict (Holm over parameter elements).
    executor : concurrent.futures.Executor, optional
        Runs the fits (a process pool; a dask client's executor). Same answer as serial.
    rng : None, int or numpy.random.Generator
        Seed for the prior draws and every fit.

    Returns
    -------
    CalibrationResult
        Ranks, chi-square tests of uniformity, a ``plot()`` of the rank histograms.

    Raises
    ------
    ValueError
        For a model whose structure depends on the outcome (``standardize=True`` rescales by
        the outcome's spread, so the simulated and fitted models would differ).
    """
    if not isinstance(model, BayesianModel):
        raise TypeError(
            f"`model` must be a statcraft Bayesian template; got {type(model).__name__}"
        )
    data = check_frame(data)
    n_sim = check_int(n_simulations, "n_simulations", min_value=10)
    n_ranks = check_int(n_ranks, "n_ranks", min_value=4)
    level = check_probability(level, "level")
    executor = check_executor(executor)
    if model.options.get("standardize"):
        raise ValueError(
            "check_calibration needs standardize=False: standardising by the outcome's spread "
            "makes the fitted model depend on each simulated outcome"
        )
    sampling = {
        "draws": check_int(draws, "draws", min_value=10),
        "tune": check_int(tune, "tune", min_value=0),
        "chains": check_int(chains, "chains", min_value=1),
        "cores": 1,
    }
    seeds = spawn_seeds(rng, n_sim + 1)
    prior = model.sample_prior_predictive(data, draws=n_sim, rng=np.random.default_rng(seeds[0]))
    latent = set(model.latent_variables)
    observed = model.observed_variable
    names = [
        v
        for v in prior.prior.data_vars
        if v not in latent and v != observed and v in _posterior_names(model, data)
    ]
    sims = np.asarray(prior.prior_predictive[observed].values)[0]
    truth_all = {v: np.asarray(prior.prior[v].values)[0] for v in names}
    calls = []
    for i in range(n_sim):
        data_i = model._replace_outcome(data, sims[i])
        truth = {v: truth_all[v][i] for v in names}
        calls.append((model, data_i, truth, seeds[i + 1], sampling, n_ranks))
    results = run_calls(_fit_one, calls, executor, [(model, "the model")])
    labels: list[str] = []
    columns: dict[str, list[int]] = {}
    for v in names:
        element = dx.element_labels(prior.prior[v])
        labels += element
        stacked = np.stack([np.asarray(r[0][v]).ravel() for r in results])
        for j, lab in enumerate(element):
            columns[lab] = stacked[:, j].astype(int).tolist()
    ranks = pd.DataFrame(columns, columns=labels)
    failed = sum(not ok for _, ok in results)
    n_bins = next((b for b in _BIN_CHOICES if n_ranks % b == 0 and n_sim / b >= 5), 2)
    width = n_ranks / n_bins
    rows = []
    for lab in labels:
        counts = np.bincount((ranks[lab].to_numpy() // width).astype(int), minlength=n_bins)
        stat, p = stats.chisquare(counts[:n_bins])
        rows.append({"element": lab, "statistic": float(stat), "df": n_bins - 1, "pvalue": p})
    tests = pd.DataFrame(rows).set_index("element")
    tests["pvalue_holm"] = adjust_pvalues(tests["pvalue"].to_numpy(), method="holm")
    return CalibrationResult(ranks, tests, n_ranks, n_bins, failed, level)


def _posterior_names(model: BayesianModel, data: pd.DataFrame) -> set[str]:
    """Names of the free and deterministic variables of the model (those a fit reports)."""
    built = model.build(data)
    return {v.name for v in built.free_RVs} | {v.name for v in built.deterministics}
