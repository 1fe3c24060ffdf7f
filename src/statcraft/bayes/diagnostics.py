"""Convergence diagnostics and the convergence gate; statcraft's only caller of ArviZ.

Every ArviZ call of statcraft lives in this module (summaries, r_hat/ESS/MCSE, BFMI, LOO,
model comparison, HDIs, netCDF input/output), so the move to ArviZ 1.x touches one file.

The gate
--------
:func:`check_convergence` turns a posterior into a :class:`ConvergenceReport`. A fit passes
when, with the default thresholds,

- every element of every *parameter* has rank-normalised split r_hat ≤ 1.01 (Vehtari et al.
  2021) and bulk and tail ESS ≥ 100 per chain;
- there are no divergent transitions;
- every chain's E-BFMI is ≥ 0.3 (below it the sampler cannot cross the energy distribution,
  Betancourt 2016);
- for *latent vectors* (a template's long vectors of states: log-volatilities, many group
  effects), at least 99% of the elements meet the r_hat and ESS thresholds and none has r_hat
  above 1.05.

Why the latent rule: r_hat is itself a noisy statistic. With 2 chains × 1000 draws, the largest
r_hat among 1000 independent, perfectly mixed chains of states is 1.010–1.013 by chance alone,
so "every element ≤ 1.01" fails converged fits of long latent vectors, while dropping the check
would pass broken ones. The fraction rule with a hard ceiling fails a fit whose states are
stuck (r_hat far above 1) or where many states mix poorly, and tolerates the tail of the
sampling distribution of r_hat. Tree-depth saturation is reported but does not fail the gate:
it costs efficiency (low ESS, which is gated), not validity.

References
----------
Vehtari, A., Gelman, A., Simpson, D., Carpenter, B. & Bürkner, P.-C. (2021). Rank-normalization,
folding, and localization: an improved R-hat for assessing convergence of MCMC. Bayesian
Analysis 16(2), 667–718.

Betancourt, M. (2016). Diagnosing suboptimal cotangent disintegrations in Hamiltonian Monte
Carlo. arXiv:1604.00695.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import arviz as az
import numpy as np
import pandas as pd

__all__ = [
    "ConvergenceError",
    "ConvergenceReport",
    "ConvergenceWarning",
    "check_convergence",
    "compare_loo",
    "hdi",
    "loo",
    "read_netcdf",
    "summarize",
    "write_netcdf",
]

REMEDIES = (
    "usual remedies: more tuning and draws (tune=2000, draws=2000), a higher target_accept "
    "(e.g. 0.95) for divergences, more informative priors, or a non-centred parametrisation; "
    "inspect model.summary() and model.diagnose().to_frame()"
)


class ConvergenceWarning(UserWarning):
    """A fit did not pass the convergence gate (``on_failure="warn"``)."""


class ConvergenceError(RuntimeError):
    """A fit did not pass the convergence gate (``on_failure="raise"``).

    The :class:`ConvergenceReport` is in the ``report`` attribute.
    """

    def __init__(self, message: str, report: ConvergenceReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The gate's thresholds (see the module docstring)."""

    rhat_max: float = 1.01
    ess_min_per_chain: float = 100.0
    max_divergences: int = 0
    bfmi_min: float = 0.3
    latent_fraction: float = 0.99
    latent_rhat_max: float = 1.05


@dataclass(frozen=True, slots=True, eq=False)
class ConvergenceReport:
    """What the convergence gate saw, and whether the fit passed.

    Attributes
    ----------
    passed : bool
        True when every check below passed.
    problems : tuple of str
        One sentence per failed check, naming the parameters.
    table : pandas.DataFrame
        One row per scalar element: ``variable``, ``element`` (e.g. ``beta[x1]``), ``latent``,
        ``r_hat``, ``ess_bulk``, ``ess_tail``, ``mcse_mean``, ``ok``.
    divergences : int
        Number of divergent transitions after tuning, all chains.
    bfmi : tuple of float
        E-BFMI per chain (empty when the sampler records no energy).
    treedepth_fraction : float
        Fraction of draws that hit the maximum tree depth (NaN if not recorded).
    chains, draws : int
        Number of chains and of draws per chain.
    thresholds : Thresholds
        The thresholds used.
    notes : tuple of str
        Things worth knowing that do not fail the gate (tree-depth saturation).
    """

    passed: bool
    problems: tuple[str, ...]
    table: pd.DataFrame
    divergences: int
    bfmi: tuple[float, ...]
    treedepth_fraction: float
    chains: int
    draws: int
    thresholds: Thresholds
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Return the per-element table (a copy)."""
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the headline figures as plain Python values."""
        return {
            "passed": self.passed,
            "problems": list(self.problems),
            "divergences": self.divergences,
            "max_r_hat": _nanmax(self.table["r_hat"]),
            "min_ess_bulk": _nanmin(self.table["ess_bulk"]),
            "min_ess_tail": _nanmin(self.table["ess_tail"]),
            "bfmi": list(self.bfmi),
            "treedepth_fraction": self.treedepth_fraction,
            "chains": self.chains,
            "draws": self.draws,
            "notes": list(self.notes),
        }

    def message(self) -> str:
        """Return the warning/error text: the failed checks and the usual remedies."""
        head = "the posterior did not pass the convergence gate: " + "; ".join(self.problems)
        return f"{head}. {REMEDIES}"

    def __repr__(self) -> str:
        d = self.to_dict()
        status = "passed" if self.passed else "FAILED"
        lines = [
            f"ConvergenceReport: {status} ({self.chains} chains × {self.draws} draws)",
            f"  max r_hat {d['max_r_hat']:.4f}, min ESS bulk {d['min_ess_bulk']:.0f}, "
            f"min ESS tail {d['min_ess_tail']:.0f}, divergences {self.divergences}",
        ]
        if self.bfmi:
            lines.append(f"  E-BFMI per chain: {', '.join(f'{b:.2f}' for b in self.bfmi)}")
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.table.to_html(index=False)


def _nanmax(s: pd.Series) -> float:
    v = s.to_numpy(dtype=float)
    return float(np.nanmax(v)) if np.isfinite(v).any() else float("nan")


def _nanmin(s: pd.Series) -> float:
    v = s.to_numpy(dtype=float)
    return float(np.nanmin(v)) if np.isfinite(v).any() else float("nan")


def element_labels(da: Any) -> list[str]:
    """Element labels of a DataArray without chain/draw: ``name``, ``name[a]``, ``name[a, x]``."""
    dims = [d for d in da.dims if d not in ("chain", "draw")]
    if not dims:
        return [str(da.name)]
    coords = [list(da.coords[d].values) if d in da.coords else range(da.sizes[d]) for d in dims]
    grids = np.meshgrid(*[np.arange(len(c)) for c in coords], indexing="ij")
    flat = [g.ravel() for g in grids]
    out = []
    for pos in zip(*flat, strict=True):
        parts = ", ".join(str(coords[k][i]) for k, i in enumerate(pos))
        out.append(f"{da.name}[{parts}]")
    return out


def _element_table(idata: Any, var_names: Sequence[str], latent: Iterable[str]) -> pd.DataFrame:
    post = idata.posterior[list(var_names)]
    with warnings.catch_warnings():
        # constant elements make ArviZ divide 0 by 0; they are flagged and not judged
        warnings.simplefilter("ignore", RuntimeWarning)
        if post.sizes["chain"] == 1:
            # ArviZ needs two chains for r_hat: judge one chain by its two halves (split-r_hat's
            # own idea), dropping a last odd draw
            half = post.sizes["draw"] // 2
            halves = post.isel(draw=slice(0, 2 * half))
            halves = (
                halves.assign_coords(draw=np.arange(2 * half))
                .coarsen(draw=half)
                .construct(draw=("chain_half", "draw_in_half"))
            )
            split = halves.isel(chain=0).rename(chain_half="chain", draw_in_half="draw")
            rhat = az.rhat(split, method="rank")
        else:
            rhat = az.rhat(post, method="rank")
        ess_bulk = az.ess(post, method="bulk")
        ess_tail = az.ess(post, method="tail")
        mcse = az.mcse(post, method="mean")
    latent = set(latent)
    rows: list[pd.DataFrame] = []
    for name in var_names:
        labels = element_labels(post[name])
        rows.append(
            pd.DataFrame(
                {
                    "variable": name,
                    "element": labels,
                    "latent": name in latent,
                    "r_hat": np.asarray(rhat[name]).ravel(),
                    "ess_bulk": np.asarray(ess_bulk[name]).ravel(),
                    "ess_tail": np.asarray(ess_tail[name]).ravel(),
                    "mcse_mean": np.asarray(mcse[name]).ravel(),
                    "constant": _constant(post[name].values),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _constant(values: np.ndarray) -> np.ndarray:
    """Elements whose draws never change (r_hat and ESS are undefined: nothing to judge)."""
    flat = values.reshape(values.shape[0] * values.shape[1], -1)
    return np.asarray(np.ptp(flat, axis=0) == 0)


def _join(names: Iterable[str], limit: int = 6) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def check_convergence(
    idata: Any,
    *,
    var_names: Sequence[str] | None = None,
    latent: Iterable[str] = (),
    thresholds: Thresholds | None = None,
) -> ConvergenceReport:
    """Judge a posterior by the convergence gate.

    Parameters
    ----------
    idata : arviz.InferenceData
        With a ``posterior`` group and, from NUTS, ``sample_stats``.
    var_names : sequence of str, optional
        The variables to judge (default: every posterior variable).
    latent : iterable of str
        Variables judged by the latent-vector rule (see the module docstring).
    thresholds : Thresholds, optional
        Defaults: r_hat ≤ 1.01, ESS ≥ 100 per chain, 0 divergences, E-BFMI ≥ 0.3, 99% of latent
        elements good and none with r_hat > 1.05.

    Returns
    -------
    ConvergenceReport
    """
    th = thresholds if thresholds is not None else Thresholds()
    post = idata.posterior
    names = list(var_names) if var_names is not None else list(post.data_vars)
    chains, draws = int(post.sizes["chain"]), int(post.sizes["draw"])
    table = _element_table(idata, names, latent)
    ess_min = th.ess_min_per_chain * chains
    good = table["constant"] | (
        (table["r_hat"] <= th.rhat_max)
        & (table["ess_bulk"] >= ess_min)
        & (table["ess_tail"] >= ess_min)
    )
    table["ok"] = good
    problems: list[str] = []
    notes: list[str] = []
    if table["constant"].any():
        notes.append(
            "constant across all draws, not judged: "
            + _join(table.loc[table["constant"], "element"])
        )
    if chains == 1:
        notes.append("one chain: r_hat compares its two halves; run 4 chains to judge mixing")
    params = table[~table["latent"] & ~table["constant"]]
    bad_rhat = params[~(params["r_hat"] <= th.rhat_max)]
    if len(bad_rhat):
        worst = bad_rhat.sort_values("r_hat", ascending=False)
        problems.append(
            f"r_hat > {th.rhat_max:g} for {_join(worst['element'])} "
            f"(max {_nanmax(worst['r_hat']):.3f})"
        )
    low_ess = params[(params["ess_bulk"] < ess_min) | (params["ess_tail"] < ess_min)]
    if len(low_ess):
        worst_ess = np.minimum(low_ess["ess_bulk"], low_ess["ess_tail"])
        problems.append(
            f"ESS < {ess_min:g} ({th.ess_min_per_chain:g} per chain) for "
            f"{_join(low_ess['element'])} (min {float(worst_ess.min()):.0f})"
        )
    for name in sorted(set(table.loc[table["latent"], "variable"])):
        rows = table[(table["variable"] == name) & ~table["constant"]]
        if rows.empty:
            continue
        frac = float(rows["ok"].mean())
        top = _nanmax(rows["r_hat"])
        if frac < th.latent_fraction or not top <= th.latent_rhat_max:
            problems.append(
                f"latent {name}: {100 * frac:.1f}% of {len(rows)} elements meet r_hat ≤ "
                f"{th.rhat_max:g} and ESS ≥ {ess_min:g} (need {100 * th.latent_fraction:g}%), "
                f"max r_hat {top:.3f} (ceiling {th.latent_rhat_max:g})"
            )
    stats = getattr(idata, "sample_stats", None)
    divergences = 0
    bfmi: tuple[float, ...] = ()
    depth = float("nan")
    if stats is not None:
        if "diverging" in stats:
            divergences = int(np.asarray(stats["diverging"]).sum())
        if "energy" in stats:
            bfmi = tuple(float(b) for b in _bfmi(idata))
        for key in ("reached_max_treedepth", "maxdepth_reached"):
            if key in stats:
                depth = float(np.asarray(stats[key]).mean())
                break
    if divergences > th.max_divergences:
        problems.append(
            f"{divergences} divergent transition{'s' if divergences != 1 else ''} "
            f"(allowed {th.max_divergences})"
        )
    low_bfmi = [i for i, b in enumerate(bfmi) if b < th.bfmi_min]
    if low_bfmi:
        problems.append(
            f"E-BFMI < {th.bfmi_min:g} in chain{'s' if len(low_bfmi) > 1 else ''} "
            f"{', '.join(map(str, low_bfmi))} (min {min(bfmi):.2f})"
        )
    if depth > 0:
        notes.append(
            f"{100 * depth:.1f}% of draws hit the maximum tree depth (slow exploration; "
            "reparametrise or raise max_treedepth)"
        )
    return ConvergenceReport(
        passed=not problems,
        problems=tuple(problems),
        table=table,
        divergences=divergences,
        bfmi=bfmi,
        treedepth_fraction=depth,
        chains=chains,
        draws=draws,
        thresholds=th,
        notes=tuple(notes),
    )


def gate(report: ConvergenceReport, on_failure: str, what: str) -> None:
    """Warn or raise when ``report`` did not pass."""
    if report.passed:
        return
    text = f"{what}: {report.message()}"
    if on_failure == "raise":
        raise ConvergenceError(text, report)
    warnings.warn(text, ConvergenceWarning, stacklevel=3)


def summarize(
    idata: Any, var_names: Sequence[str] | None = None, hdi_prob: float = 0.9
) -> pd.DataFrame:
    """Return ArviZ's summary with fixed column names.

    Columns: ``mean``, ``sd``, ``hdi_low``, ``hdi_high``, ``mcse_mean``, ``mcse_sd``,
    ``ess_bulk``, ``ess_tail``, ``r_hat``; the index is the element label (``beta[x1]``).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        raw: Any = az.summary(
            idata,
            var_names=list(var_names) if var_names else None,
            hdi_prob=hdi_prob,
            round_to="none",
        )
    table = pd.DataFrame(raw)
    lo, hi = (c for c in table.columns if str(c).startswith("hdi_"))
    table = table.rename(columns={lo: "hdi_low", hi: "hdi_high"})
    table.attrs["hdi_prob"] = hdi_prob
    return table


def hdi(draws: np.ndarray, prob: float) -> tuple[np.ndarray, np.ndarray]:
    """Highest-density interval of each column of ``draws`` (shape ``(n_draws, n)``)."""
    arr = np.asarray(draws, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        bounds = az.hdi(arr[np.newaxis, ...], hdi_prob=prob)
    bounds = np.asarray(bounds).reshape((*arr.shape[1:], 2))
    return bounds[..., 0], bounds[..., 1]


def loo(idata: Any) -> dict[str, Any]:
    """Pareto-smoothed importance-sampling LOO (``arviz.loo``): elpd, std_error, p_loo, k."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        elpd = az.loo(idata, pointwise=True)
    return {
        "elpd": float(elpd["elpd_loo"]),
        "std_error": float(elpd["se"]),
        "p_loo": float(elpd["p_loo"]),
        "pareto_k": np.asarray(elpd["pareto_k"], dtype=float),
    }


def compare_loo(idatas: Mapping[str, Any]) -> pd.DataFrame:
    """LOO comparison table (``arviz.compare``), best model first.

    ArviZ's ``se`` and ``dse`` columns are renamed ``elpd_loo_std_error`` and
    ``elpd_diff_std_error``, statcraft's one spelling of a standard error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = az.compare(dict(idatas), ic="loo")
    return table.rename(columns={"se": "elpd_loo_std_error", "dse": "elpd_diff_std_error"})


def _bfmi(idata: Any) -> np.ndarray:
    """E-BFMI per chain."""
    return np.atleast_1d(np.asarray(az.bfmi(idata), dtype=float))


def write_netcdf(idata: Any, path: Path, groups: Sequence[str], meta: Mapping[str, Any]) -> None:
    """Write ``groups`` of ``idata`` to netCDF with ``meta`` as JSON in the posterior's attrs."""
    kept = {g: getattr(idata, g).copy() for g in groups if g in idata.groups()}
    out: Any = az.InferenceData(**kept)
    out.posterior.attrs["statcraft"] = json.dumps(meta)
    out.to_netcdf(str(path))


def read_netcdf(path: Path) -> tuple[Any, dict[str, Any]]:
    """Read a file written by :func:`write_netcdf`: the InferenceData and the JSON metadata.

    Only data is read (netCDF arrays and a JSON string); nothing in the file is executed.
    """
    idata = az.from_netcdf(str(path))
    for g in idata.groups():
        getattr(idata, g).load()
    raw = idata.posterior.attrs.get("statcraft")
    if not isinstance(raw, str):
        raise ValueError(f"{path} is not a statcraft model file (no 'statcraft' metadata)")
    meta = json.loads(raw)
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: the statcraft metadata is not a JSON object")
    return idata, meta


def extract_draws(idata: Any, names: Iterable[str]) -> dict[str, np.ndarray]:
    """Posterior draws of ``names`` stacked over chains: arrays of shape ``(n_draws, ...)``."""
    post = idata.posterior
    out = {}
    for name in names:
        arr = np.asarray(post[name].values, dtype=float)
        out[name] = arr.reshape((-1, *arr.shape[2:]))
    return out
