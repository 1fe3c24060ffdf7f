"""Hierarchical logit-normal model for the event rates of units (hospitals, schools, stores)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from statcraft._validation import check_choice, check_probability
from statcraft.bayes import diagnostics as dx
from statcraft.bayes._data import check_column_names, group_codes, label_column, numeric_column
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior

__all__ = ["BinomialRates"]

# Gauss–Hermite (probabilists') nodes and weights for E[f(Z)], Z ~ N(0, 1): the expected rate
# of a unit not seen in fitting, integrated over its effect without random numbers.
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_GH_WEIGHTS = _GH_WEIGHTS / _GH_WEIGHTS.sum()


def _expit(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))
    return out


class BinomialRates(BayesianModel):
    r"""Hierarchical model of event rates per unit (e.g. mortality by hospital).

    Each unit :math:`j` has a count of events (successes) out of a number of trials; the
    rates are partially pooled on the logit scale:

    .. math::

        r_j &\sim \operatorname{Binomial}(n_j, p_j), \\
        \operatorname{logit} p_j &= \mu + \sigma z_j, \quad z_j \sim \mathcal{N}(0, 1).

    The unit effects are non-centred (``z``), which samples well when units have few trials
    (the centred form has a funnel). Small units are shrunk toward the population, so their
    rates and ranks are not driven by chance — the "Surgical" example of BUGS (Spiegelhalter
    et al. 1996), where hospital A's 0 deaths in 47 operations does not make it the best
    hospital with certainty.

    Parameters
    ----------
    successes : str
        Column of event counts (whole numbers, ``0 <= successes <= trials``).
    trials : str
        Column of the number of trials (positive whole numbers).
    unit : str
        Column of unit labels, one row per unit.
    pooling : {'partial', 'complete', 'none'}
        ``'partial'`` (default): the hierarchical model above. ``'complete'``: one rate for
        every unit, :math:`\operatorname{logit} p_j = \mu` (no ``sigma``, no ``z``).
        ``'none'``: independent rates, :math:`\operatorname{logit} p_j \sim` the ``mu``
        prior for each unit separately (no ``sigma``). The three are the classic comparison
        of pooling choices (e.g. by :func:`~statcraft.bayes.compare`); only partial pooling
        learns how much the units differ.
    priors : dict of str to Prior, optional
        Replace any of the defaults below (``mu``, ``sigma``; ``sigma`` is unused unless
        ``pooling='partial'``).

    Notes
    -----
    Posterior variables: ``mu``, ``sigma``, ``z`` and ``rate`` (:math:`p_j`, dims ``unit``),
    and ``population_rate`` :math:`= \operatorname{logit}^{-1}(\mu)`, the rate of a typical
    (median) unit — BUGS's ``pop.mean``. The mean rate over units is slightly different (it
    is pulled toward 0.5 by the spread :math:`\sigma`). With ``pooling='complete'``: ``mu``,
    ``rate`` and ``population_rate``; with ``pooling='none'``: ``logit_rate`` and ``rate``
    (dims ``unit``), and a unit not seen in fitting cannot be predicted (there is no
    population to draw it from: :meth:`predict` raises).

    Default priors:

    - ``mu ~ Normal(0, 1.5)``: on the rate of a typical unit this is close to uniform on
      (0, 1) (a logit-normal with scale 1.5 is nearly flat), with 95% of its mass between
      rates 0.05 and 0.95 and 2.5% below 0.05 — neutral about whether events are rare or
      common, and negligible against a few dozen events. It is *informative* for very rare
      events (it puts 0.1% of its mass below a rate of 0.01): with sparse data on rare
      events, centre it on your expectation, e.g. ``Prior("Normal", mu=-4.6, sigma=1)`` for
      rates around 1%. (A ``Normal(-1, 1.5)`` centred on 27% would favour low rates; we do
      not assume the direction.)
    - ``sigma ~ HalfNormal(1)``: the spread of the units' log-odds. ``sigma = 1`` already
      means that the middle 95% of units differ in odds by a factor of about 50
      (:math:`e^{2 \times 1.96}`), so large heterogeneity keeps real prior mass (5% above
      1.96) while mass near 0 keeps "all units alike" plausible (Gelman 2006). With a dozen
      units the data say little about ``sigma`` and the old Gamma(0.001, 0.001) prior on the
      precision is known to be sensitive to its arbitrary ε.

    :meth:`predict` needs columns ``unit`` and ``trials`` and returns expected successes
    :math:`n \, p_j`. A unit *not* seen in fitting is a new unit from the population:
    ``kind="mean"`` is :math:`n \, E[\operatorname{logit}^{-1}(\mu + \sigma z)]` (averaged
    over its unknown effect by Gauss–Hermite quadrature) and predictive draws use a fresh
    :math:`z \sim \mathcal{N}(0, 1)` per posterior draw, shared by the rows of that unit.

    References
    ----------
    Spiegelhalter, D., Thomas, A., Best, N. & Gilks, W. (1996). BUGS 0.5 Examples Volume 1,
    "Surgical: institutional ranking". MRC Biostatistics Unit, Cambridge.

    Marshall, E. C. & Spiegelhalter, D. J. (1998). Reliability of league tables of in vitro
    fertilisation clinics: retrospective analysis of live birth rates. BMJ 316, 1701–1704.

    Gelman, A. (2006). Prior distributions for variance parameters in hierarchical models.
    Bayesian Analysis 1(3), 515–534.

    Examples
    --------
    >>> from statcraft.datasets import load_surgical
    >>> from statcraft.bayes.templates.rates import BinomialRates
    >>> data = load_surgical()
    >>> model = BinomialRates(successes="deaths", trials="n_operations", unit="hospital")
    >>> _ = model.fit(data, draws=500, tune=500, chains=2, cores=1, rng=1, progressbar=False)
    >>> table = model.rates()
    >>> bool(0.05 < table.loc["D", "mean"] < 0.07)
    True
    >>> ranks = model.ranks()
    >>> int(ranks["mean_rank"].idxmax() == "H")
    1
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "mu": Prior("Normal", mu=0, sigma=1.5),
        "sigma": Prior("HalfNormal", sigma=1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {"sigma": "positive"}
    # One element per unit, and there may be hundreds of units (hospitals, schools): judged
    # by the latent rule, which with fewer than 100 units still requires every element to
    # pass (99% of fewer than 100 elements is all of them).
    latent_variables: ClassVar[tuple[str, ...]] = ("z", "rate", "logit_rate")
    outcome_option: ClassVar[str | None] = "successes"
    observed_variable: ClassVar[str] = "successes"

    def __init__(
        self,
        *,
        successes: str,
        trials: str,
        unit: str,
        pooling: Literal["partial", "complete", "none"] = "partial",
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        pooling_choice = check_choice(pooling, "pooling", ("partial", "complete", "none"))
        successes = check_column_names(successes, "successes")[0]
        trials = check_column_names(trials, "trials")[0]
        unit = check_column_names(unit, "unit")[0]
        names = {"successes": successes, "trials": trials, "unit": unit}
        if len(set(names.values())) < 3:
            raise ValueError(
                "successes, trials and unit must be three different columns; got "
                + ", ".join(f"{k}={v!r}" for k, v in names.items())
            )
        super().__init__(
            priors=priors, successes=successes, trials=trials, unit=unit, pooling=pooling_choice
        )

    # ----------------------------------------------------------------- hooks
    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        labels = label_column(data, opts["unit"], "unit")
        n = numeric_column(data, opts["trials"], "trials", positive=True, integer=True)
        arrays: Arrays = {"trials": n}
        if state is None:
            r = numeric_column(data, opts["successes"], "successes", nonnegative=True, integer=True)
            over = np.flatnonzero(r > n)
            if over.size:
                i = int(over[0])
                raise ValueError(
                    f"column {opts['successes']!r} (successes) exceeds column "
                    f"{opts['trials']!r} (trials) in {over.size} row(s), e.g. unit "
                    f"{labels[i]!r}: {r[i]:g} > {n[i]:g}"
                )
            values, counts = np.unique(labels, return_counts=True)
            if (counts > 1).any():
                dup = ", ".join(map(str, values[counts > 1][:5]))
                raise ValueError(
                    f"column {opts['unit']!r} (unit) repeats label(s) {dup}; BinomialRates "
                    "needs one row per unit (sum the successes and trials of each unit first)"
                )
            if len(labels) < 2:
                raise ValueError("BinomialRates needs at least 2 units to pool their rates")
            arrays["successes"] = r
            state = {
                "units": [str(v) for v in labels],
                "trials": [int(v) for v in n],
                "successes": [int(v) for v in r],
            }
        codes, new = group_codes(labels, state["units"])
        if opts["pooling"] == "none" and (codes < 0).any():
            unseen = ", ".join(map(str, labels[codes < 0][:5]))
            raise ValueError(
                f"unit(s) {unseen} were not seen in fitting; with pooling='none' every unit has "
                "its own rate and there is no population to predict a new one from (use "
                "pooling='partial')"
            )
        arrays["unit"], arrays["new_unit"] = codes, new
        return arrays, state

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm
        import pytensor.tensor as pt

        coords = {"unit": state["units"]}
        with pm.Model(coords=coords) as model:
            trials = pm.Data("trials", arrays["trials"].astype(np.int64), dims="unit")
            pooling = self._options["pooling"]
            if pooling == "none":
                theta = self.priors["mu"].create("logit_rate", dims="unit")
            else:
                mu = self.priors["mu"].create("mu")
                if pooling == "partial":
                    sigma = self.priors["sigma"].create("sigma")
                    z = pm.Normal("z", 0.0, 1.0, dims="unit")
                    theta = mu + sigma * z
                else:
                    theta = mu * pt.ones(len(state["units"]))
            pm.Binomial(
                "successes",
                n=trials,
                logit_p=theta,
                observed=arrays["successes"].astype(np.int64),
                dims="unit",
            )
            pm.Deterministic("rate", pm.math.invlogit(theta), dims="unit")
            if pooling != "none":
                pm.Deterministic("population_rate", pm.math.invlogit(mu))
        return model

    def _expected_rate(self, draws: Arrays, arrays: Arrays) -> np.ndarray:
        codes = arrays["unit"]
        n_draws = draws["rate"].shape[0]
        p = np.empty((n_draws, codes.size))
        seen = codes >= 0
        p[:, seen] = draws["rate"][:, codes[seen]]
        if (~seen).any():
            if "sigma" in draws:
                theta = draws["mu"][:, None] + draws["sigma"][:, None] * _GH_NODES[None, :]
                p[:, ~seen] = (_expit(theta) @ _GH_WEIGHTS)[:, None]
            else:  # complete pooling: every unit, new or not, has the common rate
                p[:, ~seen] = _expit(draws["mu"])[:, None]
        return p

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        return arrays["trials"][None, :] * self._expected_rate(draws, arrays)

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        codes, new = arrays["unit"], arrays["new_unit"]
        n_draws = draws["rate"].shape[0]
        p = np.empty((n_draws, codes.size))
        seen = codes >= 0
        p[:, seen] = draws["rate"][:, codes[seen]]
        if (~seen).any():
            if "sigma" in draws:
                z = rng.standard_normal((n_draws, int(new.max()) + 1))
                theta = draws["mu"][:, None] + draws["sigma"][:, None] * z
                p[:, ~seen] = _expit(theta)[:, new[~seen]]
            else:  # complete pooling
                p[:, ~seen] = _expit(draws["mu"])[:, None]
        trials = np.broadcast_to(arrays["trials"].astype(np.int64), p.shape)
        return rng.binomial(trials, p).astype(float)

    def _replace_outcome(self, data: pd.DataFrame, simulated: np.ndarray) -> pd.DataFrame:
        """Return a copy of ``data`` whose successes column holds the simulated counts."""
        out = data.copy()
        counts = np.rint(np.asarray(simulated, dtype=float)).astype(np.int64)
        out[self._options["successes"]] = counts.reshape(len(out))
        return out

    def _notes(self, state: State) -> list[str]:
        pooling = self._options["pooling"]
        if pooling == "complete":
            return ["complete pooling: one rate (population_rate) shared by every unit"]
        if pooling == "none":
            return ["no pooling: each unit's rate is estimated from its own data alone"]
        return [
            "population_rate is the rate of a typical (median) unit, inverse-logit of mu; "
            "units not seen in fitting are predicted as new draws from the population"
        ]

    # ----------------------------------------------------------------- extra output
    def _rate_draws(self, what: str) -> tuple[np.ndarray, State]:
        state = self._require_fitted(what)
        return dx.extract_draws(self.idata, ["rate"])["rate"], state

    def rates(self, hdi_prob: float = 0.9) -> pd.DataFrame:
        """Observed and posterior rates per unit.

        Parameters
        ----------
        hdi_prob : float
            Probability mass of the highest-density interval.

        Returns
        -------
        pandas.DataFrame
            Indexed by unit: ``successes``, ``trials``, ``observed_rate`` (successes /
            trials), ``mean`` and ``sd`` of the posterior rate, ``hdi_low``, ``hdi_high``.
        """
        prob = check_probability(hdi_prob, "hdi_prob")
        p, state = self._rate_draws("rates")
        r = np.asarray(state["successes"], dtype=float)
        n = np.asarray(state["trials"], dtype=float)
        low, high = dx.hdi(p, prob)
        out = pd.DataFrame(
            {
                "successes": np.asarray(state["successes"], dtype=np.int64),
                "trials": np.asarray(state["trials"], dtype=np.int64),
                "observed_rate": r / n,
                "mean": p.mean(axis=0),
                "sd": p.std(axis=0, ddof=1),
                "hdi_low": low,
                "hdi_high": high,
            },
            index=pd.Index(state["units"], name=self._options["unit"]),
        )
        out.attrs["hdi_prob"] = prob
        return out

    def ranks(self, hdi_prob: float = 0.9) -> pd.DataFrame:
        """Posterior distribution of each unit's rank (1 = lowest rate).

        Ranks are computed within every posterior draw, so their uncertainty reflects that of
        all the rates jointly — the honest league table (Marshall & Spiegelhalter 1998).

        Parameters
        ----------
        hdi_prob : float
            Probability of the equal-tailed interval of the rank (ranks are whole numbers,
            so the interval's bounds are too; an HDI is ill-defined for a discrete variable).

        Returns
        -------
        pandas.DataFrame
            Indexed by unit: ``mean_rank``, ``median_rank``, ``rank_low``, ``rank_high`` (the
            interval), ``p_bottom_quarter`` (probability that the unit is among the lowest
            quarter of rates: rank ≤ N/4) and ``p_top_quarter`` (among the highest quarter:
            rank ≥ N + 1 − N/4), for N units.
        """
        prob = check_probability(hdi_prob, "hdi_prob")
        p, state = self._rate_draws("ranks")
        n_units = p.shape[1]
        rank = np.argsort(np.argsort(p, axis=1), axis=1) + 1
        tail = (1.0 - prob) / 2.0
        low = np.quantile(rank, tail, axis=0, method="inverted_cdf")
        high = np.quantile(rank, 1.0 - tail, axis=0, method="inverted_cdf")
        quarter = n_units / 4.0
        out = pd.DataFrame(
            {
                "mean_rank": rank.mean(axis=0),
                "median_rank": np.quantile(rank, 0.5, axis=0, method="inverted_cdf"),
                "rank_low": low.astype(np.int64),
                "rank_high": high.astype(np.int64),
                "p_bottom_quarter": (rank <= quarter).mean(axis=0),
                "p_top_quarter": (n_units + 1 - rank <= quarter).mean(axis=0),
            },
            index=pd.Index(state["units"], name=self._options["unit"]),
        )
        out.attrs["hdi_prob"] = prob
        return out
