r"""Provider comparison: funnel plots of proportions (Spiegelhalter 2005).

A league table ranks hospitals whose rates differ mostly by chance; a funnel plot asks the
question that matters — is this hospital's rate *unusual for a hospital of its size*? Each
provider's observed rate is plotted against its number of cases, together with control limits
around a common target that narrow as the number of cases grows. Providers outside the 95 %
limits are "alerts", outside the 99.8 % limits "alarms" (Spiegelhalter 2005).

When the providers differ by more than binomial sampling allows (overdispersion, common with
case-mix and coding differences) many fall outside the limits although none is special;
:func:`funnel_limits` then widens the limits by a multiplicative factor or an additive random
effect estimated from robust (winsorised) z-scores, as Spiegelhalter (2005, §7) recommends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._validation import check_array, check_choice, check_probability, check_same_length
from statcraft.results import FrozenMapping, TestResult, _fmt

__all__ = ["FunnelLimits", "funnel_limits"]

_OVERDISPERSION = ("none", "multiplicative", "additive")


def _counts(values: Any, name: str) -> np.ndarray:
    arr = check_array(values, name, min_size=2, suggest_omit=False)
    if np.any(arr < 0) or np.any(arr != np.floor(arr)):
        bad = arr[(arr < 0) | (arr != np.floor(arr))][0]
        raise ValueError(f"`{name}` must hold non-negative whole counts; got {bad!r}")
    return arr


def _labels(labels: Any, k: int) -> list[str]:
    if labels is None:
        return [str(i + 1) for i in range(k)]
    out = [str(v) for v in (labels.tolist() if hasattr(labels, "tolist") else list(labels))]
    if len(out) != k:
        raise ValueError(f"`labels` has {len(out)} entries but there are {k} providers")
    return out


def _exact_limit(n: np.ndarray, target: float, p: float) -> np.ndarray:
    """Spiegelhalter's (2005, §A.1.1) interpolated binomial quantile, as a proportion.

    With ``r`` the smallest count whose cumulative probability reaches ``p`` under
    Binomial(n, target), the limit is ``(r - a) / n`` with
    ``a = (F(r) - p) / (F(r) - F(r - 1))``: a continuous curve through the discrete quantiles.
    """
    r = stats.binom.ppf(p, n, target)
    f_r = stats.binom.cdf(r, n, target)
    f_below = stats.binom.cdf(r - 1, n, target)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(f_r > f_below, (f_r - p) / (f_r - f_below), 0.0)
    return np.clip((r - a) / n, 0.0, 1.0)


def _winsorised(z: np.ndarray, fraction: float) -> np.ndarray:
    if fraction == 0:
        return z
    low, high = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, low, high)


@dataclass(frozen=True, slots=True)
class FunnelLimits:
    """Funnel-plot control limits for provider proportions (from :func:`funnel_limits`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per provider: ``provider``, ``events``, ``n``, ``rate``, ``z`` (the z-score
        against the target, adjusted for overdispersion when requested), and for each level
        ``L`` (as a percentage, e.g. ``95`` and ``99.8``) the limits ``lower_L`` and ``upper_L``
        at the provider's ``n`` and a ``flag_L`` of ``'high'``, ``'low'`` or ``'within'``.
    target : float
        The target proportion the limits surround.
    levels : tuple of float
        The two-sided coverage of each pair of limits.
    overdispersion : str
        ``'none'``, ``'multiplicative'`` or ``'additive'``.
    phi : float
        The estimated overdispersion factor: the mean of the squared (winsorised) z-scores;
        about 1 when the providers vary no more than chance allows.
    tau2 : float
        The additive between-provider variance on the proportion scale (0 unless
        ``overdispersion='additive'``).
    dispersion_test : TestResult
        The test of no overdispersion: ``k·phi`` against chi-square on ``k - 1`` df (computed
        from the unwinsorised z-scores, so it is Pearson's homogeneity statistic when the target
        is the pooled rate).
    method : str
        How the limits were computed, in words.
    details : FrozenMapping
        ``trim`` (the fraction of z-scores winsorized at each end) and ``target_source``.
    """

    table: pd.DataFrame
    target: float
    levels: tuple[float, ...]
    overdispersion: str
    phi: float
    tau2: float
    dispersion_test: TestResult
    method: str
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    def limits(self, n: Any) -> pd.DataFrame:
        """Return the control limits at the numbers of cases ``n`` (for drawing the funnel).

        Parameters
        ----------
        n : array_like
            Positive whole numbers of cases (the exact binomial limits exist only there).

        Returns
        -------
        pandas.DataFrame
            Column ``n`` and, for each level ``L``, ``lower_L`` and ``upper_L``.
        """
        grid = check_array(n, "n", suggest_omit=False)
        if np.any(grid <= 0) or np.any(grid != np.floor(grid)):
            raise ValueError("`n` must hold positive whole numbers of cases")
        out = {"n": grid}
        for level in self.levels:
            lower, upper = self._bounds(grid, level)
            out[f"lower_{_pct(level)}"] = lower
            out[f"upper_{_pct(level)}"] = upper
        return pd.DataFrame(out)

    def _bounds(self, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        return _control_limits(n, level, self.target, self.overdispersion, self.phi, self.tau2)

    def to_frame(self) -> pd.DataFrame:
        """Return the per-provider table (a copy of :attr:`table`)."""
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the settings, the dispersion test and the table (as row dicts)."""
        return {
            "method": self.method,
            "target": self.target,
            "levels": list(self.levels),
            "overdispersion": self.overdispersion,
            "phi": self.phi,
            "tau2": self.tau2,
            "dispersion_test": self.dispersion_test.to_dict(),
            "table": self.table.to_dict(orient="records"),
        }

    def plot(self, ax: Any = None, *, rate_label: str = "rate", percent: bool = True) -> Any:
        """Draw the funnel plot: providers' rates against cases, with the control limits.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when None.
        rate_label : str
            What the proportion is (e.g. ``"mortality"``), used in the axis label.
        percent : bool
            Show rates in percent (default) rather than as proportions.

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        scale = 100.0 if percent else 1.0
        n_max = float(self.table["n"].max()) * 1.1
        n_min = max(1.0, float(self.table["n"].min()) * 0.5)
        grid = np.unique(np.round(np.geomspace(n_min, n_max, 300)))
        curves = self.limits(grid)
        styles = ("--", ":", "-.")
        for i, level in enumerate(self.levels):
            key = _pct(level)
            for side in ("lower", "upper"):
                ax.plot(
                    grid,
                    scale * curves[f"{side}_{key}"],
                    color="0.35",
                    linestyle=styles[i % len(styles)],
                    linewidth=1,
                    label=f"{key}% limits" if side == "lower" else None,
                )
        ax.axhline(scale * self.target, color="0.2", linewidth=1, label="target")
        flag = self.table[f"flag_{_pct(max(self.levels))}"]
        colours = np.where(flag == "high", "tab:red", np.where(flag == "low", "tab:blue", "k"))
        ax.scatter(self.table["n"], scale * self.table["rate"], c=colours, zorder=3, s=25)
        for _, row in self.table.iterrows():
            ax.annotate(
                str(row["provider"]),
                (row["n"], scale * row["rate"]),
                textcoords="offset points",
                xytext=(4, 3),
                fontsize=8,
            )
        unit = " (%)" if percent else ""
        ax.set_xlabel("number of cases")
        ax.set_ylabel(f"{rate_label}{unit}")
        od = "" if self.overdispersion == "none" else f", {self.overdispersion} overdispersion"
        ax.set_title(f"Funnel plot of {rate_label}{od}")
        ax.legend(fontsize=8)
        return ax

    def _head(self) -> str:
        k = len(self.table)
        top = _pct(max(self.levels))
        flags = self.table[f"flag_{top}"]
        return (
            f"FunnelLimits: {k} providers, target {_fmt(self.target)}, {self.method}; "
            f"phi = {_fmt(self.phi)}; outside {top}% limits: "
            f"{int((flags == 'high').sum())} high, {int((flags == 'low').sum())} low"
        )

    def __repr__(self) -> str:
        return f"{self._head()}\n{self.table.to_string(index=False, float_format=_fmt)}"

    def _repr_html_(self) -> str:
        return f"<p><b>{self._head()}</b></p>\n{self.table.to_html(index=False)}"


def _control_limits(
    n: np.ndarray, level: float, p0: float, overdispersion: str, phi: float, tau2: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of two-sided coverage ``level`` around ``p0`` at ``n`` cases."""
    tail = (1 - level) / 2
    if overdispersion == "none":
        return _exact_limit(n, p0, tail), _exact_limit(n, p0, 1 - tail)
    z = stats.norm.ppf(1 - tail)
    binomial = p0 * (1 - p0) / n
    var = binomial * max(phi, 1.0) if overdispersion == "multiplicative" else binomial + tau2
    half = z * np.sqrt(var)
    return np.clip(p0 - half, 0.0, 1.0), np.clip(p0 + half, 0.0, 1.0)


def _pct(level: float) -> str:
    return f"{100 * level:g}"


def funnel_limits(
    events: Any,
    n: Any,
    *,
    target: float | None = None,
    levels: Sequence[float] = (0.95, 0.998),
    overdispersion: str = "none",
    trim: float = 0.1,
    labels: Any = None,
) -> FunnelLimits:
    r"""Funnel-plot control limits for providers' proportions (Spiegelhalter 2005).

    Parameters
    ----------
    events : array_like
        Events (e.g. deaths) at each provider: non-negative whole counts.
    n : array_like
        Cases at each provider: positive whole counts, at least ``events``.
    target : float, optional
        The proportion providers are compared with, in (0, 1). Default: the pooled rate
        ``sum(events) / sum(n)``.
    levels : sequence of float
        Two-sided coverages of the limits, each in (0, 1). Default ``(0.95, 0.998)``, the
        conventional "2 and 3 standard deviation" limits.
    overdispersion : {'none', 'multiplicative', 'additive'}
        ``'none'`` (default): exact binomial limits. ``'multiplicative'``: normal limits with the
        binomial variance times ``phi`` (never less than 1). ``'additive'``: normal limits with a
        between-provider variance ``tau2`` added (a random-effects funnel).
    trim : float
        Fraction of z-scores winsorized (pulled in) at each end before estimating ``phi``, so
        the providers being judged do not set the width of their own limits. Default 0.1
        (Spiegelhalter's 10 %); must be in [0, 0.5).
    labels : array_like, optional
        Provider names; default ``'1', '2', ...``.

    Returns
    -------
    FunnelLimits
        The per-provider table with rates, z-scores, limits and flags, the estimated
        overdispersion and its test; ``.plot()`` draws the funnel and ``.limits(n)`` returns the
        curves.

    Raises
    ------
    ValueError
        If ``events`` or ``n`` are not whole counts, differ in length, ``events > n``, a provider
        has no cases, ``target`` or a level is outside (0, 1), or ``overdispersion`` is unknown.

    Notes
    -----
    With target :math:`\theta_0` and ``n`` cases the exact limit at tail probability :math:`p`
    is :math:`(r_p - a)/n`, where :math:`r_p` is the :math:`p`-quantile of
    :math:`\mathrm{Binomial}(n, \theta_0)` and
    :math:`a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))` interpolates between counts
    (Spiegelhalter 2005, appendix A.1.1).

    The z-score of provider :math:`i` is
    :math:`z_i = (y_i - \theta_0) / s_i` with :math:`y_i` its rate and
    :math:`s_i^2 = \theta_0 (1 - \theta_0) / n_i`. The overdispersion factor is
    :math:`\hat\phi = k^{-1} \sum z_i^2` over the winsorised z-scores; under the multiplicative
    model the limits become :math:`\theta_0 \pm z_{1-p} \sqrt{\hat\phi}\, s` and
    :math:`z_i / \sqrt{\hat\phi}` is reported. The additive model estimates
    :math:`\hat\tau^2 = \max\{0, (k\hat\phi - (k - 1)) / (\sum w_i - \sum w_i^2 / \sum w_i)\}`,
    :math:`w_i = 1 / s_i^2` (a DerSimonian–Laird moment estimator), with limits
    :math:`\theta_0 \pm z_{1-p} \sqrt{s^2 + \hat\tau^2}` and z-scores
    :math:`(y_i - \theta_0) / \sqrt{s_i^2 + \hat\tau^2}`. Flags compare each provider's rate
    with its own limits.

    Winsorising protects the estimate of :math:`\phi` from the very providers being judged, at a
    price: for normal z-scores the 10 % winsorised mean square is about 0.68 of the true one, so
    when no provider is an outlier the widened limits are somewhat too narrow. Pass
    ``trim=0`` when the spread is believed to be all random variation.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    *Statistics in Medicine*, 24(8), 1185–1202.

    Examples
    --------
    >>> from statcraft.datasets import load_surgical
    >>> from statcraft.health import funnel_limits
    >>> df = load_surgical()
    >>> fl = funnel_limits(df["deaths"], df["n_operations"], labels=df["hospital"])
    >>> round(fl.target, 4)
    0.0739
    >>> fl.table.loc[fl.table["flag_99.8"] != "within", "provider"].tolist()
    ['H']
    >>> round(fl.phi, 2)  # well above 1: more spread than chance allows
    2.36
    >>> wide = funnel_limits(
    ...     df["deaths"], df["n_operations"], labels=df["hospital"], overdispersion="additive"
    ... )
    >>> wide.table.loc[wide.table["flag_99.8"] != "within", "provider"].tolist()
    []
    """
    y = _counts(events, "events")
    m = _counts(n, "n")
    check_same_length(events=y, n=m)
    if np.any(m == 0):
        raise ValueError("`n` must be positive: every provider needs at least one case")
    if np.any(y > m):
        i = int(np.argmax(y > m))
        raise ValueError(f"`events` ({y[i]:g}) cannot exceed `n` ({m[i]:g}) at provider {i + 1}")
    overdispersion = check_choice(overdispersion, "overdispersion", _OVERDISPERSION)
    if isinstance(levels, (int, float)):
        raise TypeError("`levels` must be a sequence of coverages such as (0.95, 0.998)")
    levs = tuple(check_probability(v, "levels") for v in levels)
    if not levs:
        raise ValueError("`levels` must hold at least one coverage")
    if not isinstance(trim, (int, float)) or not 0 <= trim < 0.5:
        raise ValueError(f"`trim` must be in [0, 0.5); got {trim!r}")
    if target is None:
        p0 = float(y.sum() / m.sum())
        source = "pooled rate"
        if p0 in (0.0, 1.0):
            raise ValueError(
                "the pooled rate is 0 or 1, so there is no variation to judge; pass `target`"
            )
    else:
        p0 = check_probability(target, "target")
        source = "given"
    names = _labels(labels, len(y))

    rate = y / m
    s = np.sqrt(p0 * (1 - p0) / m)
    z_raw = (rate - p0) / s
    k = len(y)
    phi = float(np.mean(_winsorised(z_raw, float(trim)) ** 2))
    chi2 = float(np.sum(z_raw**2))
    dispersion_test = TestResult(
        statistic=chi2,
        pvalue=float(stats.chi2.sf(chi2, k - 1)),
        df=k - 1,
        alternative="greater",
        method="Chi-square test of no overdispersion (sum of squared z-scores)",
        details={"phi_unwinsorised": chi2 / k},
    )
    tau2 = 0.0
    if overdispersion == "multiplicative":
        z = z_raw / math.sqrt(max(phi, 1.0))
        method = "normal limits, multiplicative overdispersion"
    elif overdispersion == "additive":
        w = 1 / s**2
        tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
        z = (rate - p0) / np.sqrt(s**2 + tau2)
        method = "normal limits, additive random-effects overdispersion"
    else:
        z = z_raw
        method = "exact binomial limits"

    table = pd.DataFrame({"provider": names, "events": y, "n": m, "rate": rate, "z": z})
    for level in levs:
        lower, upper = _control_limits(m, level, p0, overdispersion, phi, float(tau2))
        key = _pct(level)
        table[f"lower_{key}"] = lower
        table[f"upper_{key}"] = upper
        table[f"flag_{key}"] = np.where(
            rate > upper, "high", np.where(rate < lower, "low", "within")
        )
    return FunnelLimits(
        table=table,
        target=p0,
        levels=levs,
        overdispersion=overdispersion,
        phi=phi,
        tau2=float(tau2),
        dispersion_test=dispersion_test,
        method=method,
        details={"trim": float(trim), "target_source": source},
    )
