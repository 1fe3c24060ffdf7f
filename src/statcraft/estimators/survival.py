"""Survival estimators: the Kaplan-Meier curve with Greenwood standard errors.

:func:`kaplan_meier` returns a :class:`SurvivalCurve` whose table, confidence bands, median and
quantiles (with their confidence limits) match R's ``survival::survfit`` and
``quantile.survfit`` on the same data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import (
    check_array,
    check_choice,
    check_confidence_level,
    check_probability,
    check_same_length,
)
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["SurvivalCurve", "kaplan_meier"]

ConfType = Literal["log", "log-log", "plain"]
_CONF_TYPES = ("log", "log-log", "plain")
# R's quantile.survfit tolerance: sqrt(.Machine$double.eps)
_TOL = math.sqrt(np.finfo(float).eps)


def _check_time_event(
    time: Any, event: Any, nan_policy: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate ``time``/``event`` (same length, numeric); return them with a keep-mask of non-NaN.

    With ``nan_policy='raise'`` a NaN is an error; with ``'omit'`` the returned mask drops the
    pairs where either value is NaN (the caller applies it, possibly combined with other masks).
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    inner = "propagate" if nan_policy == "omit" else "raise"
    t = check_array(time, "time", nan_policy=inner)
    e = check_array(event, "event", nan_policy=inner)
    check_same_length(time=t, event=e)
    keep = ~(np.isnan(t) | np.isnan(e))
    return t, e, keep


def _check_time_event_values(t: np.ndarray, e: np.ndarray, *, positive: bool = False) -> None:
    """Raise a clear ValueError for bad times or events outside {0, 1}.

    Times must be non-negative (positive when ``positive``, as a Cox model needs); the event
    error carries a hint for R's 1/2 coding of ``survival::lung``'s status.
    """
    if t.size == 0:
        raise ValueError("`time` and `event` have no complete (non-NaN) pairs")
    if positive and np.any(t <= 0):
        raise ValueError(
            f"`time` must be positive; got {int(np.sum(t <= 0))} value(s) <= 0 "
            f"(smallest {t.min():g})"
        )
    neg = t < 0
    if neg.any():
        raise ValueError(
            f"`time` must be non-negative; got {int(neg.sum())} negative value(s) "
            f"(smallest {t.min():g})"
        )
    bad = ~np.isin(e, (0.0, 1.0))
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in np.unique(e[bad])[:5])
        raise ValueError(
            f"`event` must be 1 (event) or 0 (censored), or boolean; got value(s) {shown} "
            "(R's survival::lung codes status 2 = dead, 1 = censored: pass status - 1)"
        )


def _confidence_band(
    surv: np.ndarray, sigma: np.ndarray, conf_type: str, z: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise band for S(t) as R's ``survfit_confint`` (``sigma`` = SE of log S)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dead = surv == 0
        if conf_type == "plain":
            half = z * sigma * surv
            low = np.maximum(surv - half, 0.0)
            high = np.minimum(surv + half, 1.0)
        elif conf_type == "log":
            s = np.where(dead, np.nan, surv)
            low = np.exp(np.log(s) - z * sigma)
            high = np.minimum(np.exp(np.log(s) + z * sigma), 1.0)
        else:  # log-log: undefined where S = 1 or 0 (log(-log S)); R's survfit gives NA
            s = np.where(dead | (surv == 1), np.nan, surv)
            se2 = z * sigma / np.log(s)
            low = np.exp(-np.exp(np.log(-np.log(s)) - se2))
            high = np.exp(-np.exp(np.log(-np.log(s)) + se2))
        low = np.where(dead, np.nan, low)
        high = np.where(dead, np.nan, high)
    return low, high


def _findq(x: np.ndarray, y: np.ndarray, p: float) -> float:
    """R's ``survival:::findq``: where the CDF ``y`` (at times ``x``) crosses ``p``.

    ``y`` starts with 0 at the origin; NaN entries (an undefined band) are ignored. Where a flat
    segment of the curve lies at ``p`` (within tolerance) the midpoint of the flat is returned,
    and at the final flat the midpoint with the last time. Returns NaN if never reached.
    """
    if not np.any(np.nan_to_num(y, nan=-np.inf) >= p):
        return math.nan
    xmax = x[-1]
    # drop repeated levels (censoring times), keeping the first time each level is reached
    _, first = np.unique(y, return_index=True)
    first.sort()
    x, y = x[first], y[first]
    ok = ~np.isnan(y)
    idx = np.flatnonzero(ok)
    yv = y[ok]
    order = np.argsort(yv, kind="stable")
    ys, ids = yv[order], idx[order]

    def approx_index(shift: float) -> int | None:
        # approx(y + shift, index, p, method="constant", f=1): the knot at or just above p
        knots = ys + shift
        if p < knots[0] or p > knots[-1]:
            return None
        return int(ids[np.searchsorted(knots, p, side="left")])

    i1 = approx_index(_TOL)
    i2 = approx_index(-_TOL)
    quant = math.nan if i1 is None or i2 is None else 0.5 * (x[i1] + x[i2])
    if not np.isnan(y[-1]) and abs(p - y[-1]) < _TOL and i1 is not None:
        quant = 0.5 * (x[i1] + xmax)
    return float(quant)


def _fmt_time(v: float) -> str:
    if math.isnan(v):
        return "NA"
    if math.isinf(v):
        return "inf"
    return f"{v:.6g}"


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, slots=True, eq=False)
class SurvivalCurve:
    """A Kaplan-Meier survival curve, as returned by :func:`kaplan_meier`.

    One entry per distinct observed time (event or censoring), as R's ``survfit``.

    Attributes
    ----------
    time : numpy.ndarray
        Distinct times, increasing.
    n_at_risk : numpy.ndarray
        Number at risk just before each time.
    n_events, n_censored : numpy.ndarray
        Events and censorings at each time.
    survival : numpy.ndarray
        Kaplan-Meier estimate S(t) just after each time.
    std_error : numpy.ndarray
        Greenwood standard error of S(t) (as R's ``summary.survfit`` prints it); NaN where
        S(t) = 0.
    ci_low, ci_high : numpy.ndarray
        Pointwise confidence band for S(t); NaN where S(t) = 0 (R prints NA).
    conf_type : str
        ``'log'``, ``'log-log'`` or ``'plain'``.
    confidence_level : float
        Nominal coverage of the band.
    n : int
        Number of observations.
    n_events_total : int
        Total number of events.
    """

    time: np.ndarray
    n_at_risk: np.ndarray
    n_events: np.ndarray
    n_censored: np.ndarray
    survival: np.ndarray
    std_error: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    conf_type: str
    confidence_level: float
    n: int
    n_events_total: int

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """Return the curve as a DataFrame, one row per distinct time.

        Columns: ``time, n_at_risk, n_events, n_censored, survival, std_error, ci_low,
        ci_high``.
        """
        return pd.DataFrame(
            {
                "time": self.time,
                "n_at_risk": self.n_at_risk,
                "n_events": self.n_events,
                "n_censored": self.n_censored,
                "survival": self.survival,
                "std_error": self.std_error,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the summary (n, events, median with its limits) and the table as lists."""
        med = self.median
        return {
            "n": self.n,
            "events": self.n_events_total,
            "median": med.estimate,
            "median_ci_low": med.confidence_interval.low,
            "median_ci_high": med.confidence_interval.high,
            "conf_type": self.conf_type,
            "confidence_level": self.confidence_level,
            "table": self.to_frame().to_dict(orient="list"),
        }

    def _summary_frame(self) -> pd.DataFrame:
        med = self.median
        lvl = f"{self.confidence_level:g}"
        return pd.DataFrame(
            {
                "n": [self.n],
                "events": [self.n_events_total],
                "median": [_fmt_time(med.estimate)],
                f"{lvl}LCL": [_fmt_time(med.confidence_interval.low)],
                f"{lvl}UCL": [_fmt_time(med.confidence_interval.high)],
            }
        )

    def __repr__(self) -> str:
        head = f"SurvivalCurve(Kaplan-Meier, {self.conf_type} confidence band)"
        return head + "\n" + self._summary_frame().to_string(index=False)

    def _repr_html_(self) -> str:
        head = f"<p>Kaplan-Meier curve ({self.conf_type} confidence band)</p>"
        return head + self._summary_frame().to_html(index=False)

    # --------------------------------------------------------------- quantiles
    def quantile(self, p: float) -> Estimate:
        """Time by which a fraction ``p`` has had the event, with R's confidence limits.

        Parameters
        ----------
        p : float
            In (0, 1); ``p = 0.5`` is the median (the time where S(t) drops to 0.5).

        Returns
        -------
        Estimate
            ``estimate`` is the first time S(t) <= 1 - p (the midpoint of a flat segment that
            lies exactly at 1 - p); the confidence limits are where the lower and upper
            confidence bands cross 1 - p. ``std_error`` is None. Where a quantity is not
            reached it is reported as described in Notes.

        Raises
        ------
        ValueError
            If ``p`` is not in (0, 1).

        Notes
        -----
        This is ``survival:::quantile.survfit``: the quantile is read off the step function
        ``1 - S(t)`` at height ``p`` with tolerance ``sqrt(machine eps)``; the limits are read
        the same way off ``1 - lower(t)`` and ``1 - upper(t)`` (Brookmeyer & Crowley 1982).
        Not reached: an upper limit the upper band never brings down to ``1 - p`` is ``inf``
        (the quantile is unbounded above; R prints NA). An estimate or lower limit that is not
        reached (the curve stays above ``1 - p``, e.g. with heavy censoring or no events, or
        the band is undefined where S = 0) is NaN, as R's NA; ``details['reached']`` says
        whether the estimate exists. Neither case is an error.

        Examples
        --------
        >>> import statcraft as sc
        >>> fit = sc.kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
        ...                       [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
        >>> q = fit.quantile(0.25)
        >>> q.estimate, q.confidence_interval
        (18.0, ConfidenceInterval(low=13.0, high=inf))
        """
        p = check_probability(p, "p")
        x = np.concatenate(([0.0], self.time))
        est = _findq(x, np.concatenate(([0.0], 1.0 - self.survival)), p)
        low = _findq(x, np.concatenate(([0.0], 1.0 - self.ci_low)), p)
        high = _findq(x, np.concatenate(([0.0], 1.0 - self.ci_high)), p)
        reached = not math.isnan(est)
        if math.isnan(high):
            high = math.inf
        label = "median" if p == 0.5 else f"{100 * p:g}th percentile"
        return Estimate(
            estimate=est,
            std_error=None,
            confidence_interval=ConfidenceInterval(low, high),
            confidence_level=self.confidence_level,
            method=f"Kaplan-Meier {label} ({self.conf_type} band, Brookmeyer-Crowley limits)",
            n=self.n,
            details=FrozenMapping({"p": p, "reached": reached}),
        )

    @property
    def median(self) -> Estimate:
        """Median survival time with R's confidence limits (see :meth:`quantile`)."""
        return self.quantile(0.5)

    # ------------------------------------------------------------ evaluation
    @overload
    def survival_at(self, t: float) -> Estimate: ...

    @overload
    def survival_at(self, t: Any) -> pd.DataFrame | Estimate: ...

    def survival_at(self, t: Any) -> pd.DataFrame | Estimate:
        """Evaluate the step function S(t) and its confidence band at ``t``.

        Parameters
        ----------
        t : float or array_like
            Time(s). S is right-continuous: at an event time it is the value just after it.
            Before the first time S = 1 (SE 0, band [1, 1]); after the last time the last value
            is carried forward (R's ``summary(fit, times=, extend=TRUE)``).

        Returns
        -------
        Estimate or pandas.DataFrame
            For a scalar ``t`` an :class:`~statcraft.results.Estimate` (S(t), its Greenwood SE
            and band); for an array a DataFrame with columns ``time, survival, std_error,
            ci_low, ci_high``.

        Raises
        ------
        ValueError
            If ``t`` contains NaN or inf.

        Examples
        --------
        >>> import statcraft as sc
        >>> fit = sc.kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
        ...                       [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
        >>> round(fit.survival_at(20).estimate, 4)
        0.7159
        >>> fit.survival_at([0, 9, 30])["survival"].round(4).tolist()
        [1.0, 0.9091, 0.6136]
        """
        scalar = np.ndim(t) == 0
        tt = check_array(t, "t", suggest_omit=False)
        idx = np.searchsorted(self.time, tt, side="right") - 1
        before = idx < 0
        j = np.where(before, 0, idx)
        surv = np.where(before, 1.0, self.survival[j])
        se = np.where(before, 0.0, self.std_error[j])
        low = np.where(before, 1.0, self.ci_low[j])
        high = np.where(before, 1.0, self.ci_high[j])
        if scalar:
            return Estimate(
                estimate=float(surv[0]),
                std_error=float(se[0]),
                confidence_interval=ConfidenceInterval(float(low[0]), float(high[0])),
                confidence_level=self.confidence_level,
                method=f"Kaplan-Meier survival at t={tt[0]:g} ({self.conf_type} band)",
                n=self.n,
                details=FrozenMapping({"time": float(tt[0])}),
            )
        return pd.DataFrame(
            {"time": tt, "survival": surv, "std_error": se, "ci_low": low, "ci_high": high}
        )

    # ------------------------------------------------------------------- plot
    def plot(
        self,
        ax: Axes | None = None,
        *,
        ci: bool = True,
        censor_marks: bool = True,
        label: str | None = None,
    ) -> Axes:
        """Draw the step curve with its confidence band and censoring ticks.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is created when None.
        ci : bool
            Shade the pointwise confidence band.
        censor_marks : bool
            Mark censoring times with a vertical tick on the curve.
        label : str, optional
            Legend label of the curve.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        x = np.concatenate(([0.0], self.time))
        (line,) = ax.step(x, np.concatenate(([1.0], self.survival)), where="post", label=label)
        color = line.get_color()
        if ci:
            ax.fill_between(
                x,
                np.concatenate(([1.0], self.ci_low)),
                np.concatenate(([1.0], self.ci_high)),
                step="post",
                alpha=0.2,
                color=color,
                linewidth=0,
            )
        if censor_marks:
            cens = self.n_censored > 0
            ax.plot(self.time[cens], self.survival[cens], "|", color=color, markersize=8)
        ax.set_xlabel("time")
        ax.set_ylabel("survival probability")
        ax.set_ylim(0.0, 1.05)
        return ax


def kaplan_meier(
    time: Any,
    event: Any,
    *,
    conf_type: ConfType = "log",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> SurvivalCurve:
    r"""Kaplan-Meier estimate of the survival function for right-censored data.

    Parameters
    ----------
    time : array_like
        Follow-up times, non-negative.
    event : array_like
        1 (or True) where the event was observed at ``time``, 0 (or False) where the
        observation was censored.
    conf_type : {'log', 'log-log', 'plain'}
        Scale on which the pointwise confidence band is built (R's ``conf.type``; R's default
        is ``'log'``, SAS's and statsmodels' is ``'log-log'``).
    confidence_level : float
        Coverage of the band and of the quantile limits.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops the pairs where ``time`` or ``event`` is NaN. (``'propagate'`` is not
        offered: a survival curve cannot carry a missing time.)

    Returns
    -------
    SurvivalCurve
        With ``to_frame()``, ``median``, ``quantile(p)``, ``survival_at(t)`` and ``plot()``.

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length, contain NaN (with ``nan_policy='raise'``)
        or inf, if a time is negative, or if an event is not 0/1.
    TypeError
        If the inputs are not numeric.

    Notes
    -----
    At each distinct time :math:`t_i` with :math:`n_i` at risk and :math:`d_i` events,
    :math:`\hat S(t) = \prod_{t_i \le t} (1 - d_i/n_i)`. Greenwood's variance of
    :math:`\log \hat S` is :math:`\sigma^2(t) = \sum_{t_i \le t} d_i / (n_i (n_i - d_i))`;
    the reported ``std_error`` is :math:`\hat S \sigma` (R's ``summary.survfit``). Bands,
    with :math:`z = \Phi^{-1}((1 + \text{level})/2)`:
    ``'log'``: :math:`\hat S e^{\pm z \sigma}` (upper capped at 1); ``'log-log'``:
    :math:`\hat S^{\exp(\pm z \sigma / \log \hat S)}`; ``'plain'``:
    :math:`\hat S \pm z \hat S \sigma` clipped to [0, 1]. Where :math:`\hat S = 0` the
    SE and band are NaN, as R's NaN/NA; so is the log-log band where :math:`\hat S = 1` (before the
    first event), where R's ``survfit`` gives NA too. Quantile limits follow ``quantile.survfit``
    (see :meth:`SurvivalCurve.quantile`). A curve with no events is valid (S = 1 throughout; the
    median is then not reached). Unlike ``statsmodels.SurvfuncRight``, the table has a row at every
    distinct time, censoring times included, as R's ``survfit``.

    References
    ----------
    Kaplan, E. L. and Meier, P. (1958). Nonparametric estimation from incomplete observations.
    JASA 53, 457-481.
    Brookmeyer, R. and Crowley, J. (1982). A confidence interval for the median survival time.
    Biometrics 38, 29-41.
    Therneau, T. M. and Grambsch, P. M. (2000). Modeling Survival Data. Springer.

    Examples
    --------
    The maintained group of R's ``aml`` data:

    >>> import statcraft as sc
    >>> fit = sc.kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
    ...                       [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
    >>> fit
    SurvivalCurve(Kaplan-Meier, log confidence band)
     n  events median 0.95LCL 0.95UCL
    11       7     31      18     inf
    >>> fit.to_frame().loc[:2, ["time", "n_at_risk", "survival", "std_error"]].round(4)
       time  n_at_risk  survival  std_error
    0   9.0         11    0.9091     0.0867
    1  13.0         10    0.8182     0.1163
    2  18.0          8    0.7159     0.1397
    """
    conf_type = check_choice(conf_type, "conf_type", _CONF_TYPES)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    t, e, keep = _check_time_event(time, event, nan_policy)
    t, e = t[keep], e[keep]
    _check_time_event_values(t, e)

    times, inverse, counts = np.unique(t, return_inverse=True, return_counts=True)
    d = np.bincount(inverse, weights=e, minlength=times.size)
    n_total = t.size
    at_risk = n_total - np.concatenate(([0], np.cumsum(counts)[:-1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - d / at_risk)
        term = np.where(d > 0, d / (at_risk * (at_risk - d)), 0.0)
        sigma = np.sqrt(np.cumsum(term))
        se = np.where(surv == 0, np.nan, surv * sigma)
    z = float(special.ndtri(0.5 + confidence_level / 2))
    low, high = _confidence_band(surv, sigma, conf_type, z)
    return SurvivalCurve(
        time=_readonly(times),
        n_at_risk=_readonly(at_risk.astype(np.int64)),
        n_events=_readonly(d.astype(np.int64)),
        n_censored=_readonly((counts - d).astype(np.int64)),
        survival=_readonly(surv),
        std_error=_readonly(se),
        ci_low=_readonly(low),
        ci_high=_readonly(high),
        conf_type=conf_type,
        confidence_level=confidence_level,
        n=int(n_total),
        n_events_total=int(d.sum()),
    )
