"""Survival estimators: the Kaplan-Meier curve with Greenwood standard errors.

:func:`kaplan_meier` returns a :class:`SurvivalCurve` whose table, confidence bands, median and
quantiles (with their confidence limits) match R's ``survival::survfit`` and
``quantile.survfit`` on the same data.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import pandas as pd
from scipy import special

from statcraft._frames import check_data, column, group_codes
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

__all__ = ["SurvivalCurve", "SurvivalCurves", "kaplan_meier"]

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
        time_unit: str | None = None,
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
            Legend label of the curve; a legend is drawn when given.
        time_unit : str, optional
            Unit of the times, shown in the x-axis label (``"time (days)"``).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on: the step line first, then the censoring ticks (one line, when
            there are censored times); the band is a filled collection.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import statcraft as sc
        >>> fit = sc.kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
        ...                       [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
        >>> ax = fit.plot(time_unit="weeks")
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('time (weeks)', 'survival probability')
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        xlabel = _time_label(time_unit)
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        self._draw(ax, ci=ci, censor_marks=censor_marks, label=label)
        _label_axes(ax, xlabel, "Kaplan-Meier survival curve")
        if label is not None:
            ax.legend()
        return ax

    def _draw(self, ax: Axes, *, ci: bool, censor_marks: bool, label: str | None) -> None:
        """Draw the step line, band and censoring ticks on ``ax`` (no labels or legend)."""
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
        cens = self.n_censored > 0
        if censor_marks and cens.any():
            ax.plot(self.time[cens], self.survival[cens], "|", color=color, markersize=8)


@dataclass(frozen=True, slots=True, eq=False)
class SurvivalCurves(Mapping[Any, SurvivalCurve]):
    """Kaplan-Meier curves of several groups, as returned by ``kaplan_meier(..., group=...)``.

    A read-only mapping from group label to that group's :class:`SurvivalCurve`:
    ``curves[label]`` is exactly ``kaplan_meier`` on that group's rows; iterating gives the
    labels (in the order of ``labels``); ``items()``, ``values()``, ``len()`` and ``in`` work
    as on a dict.

    Attributes
    ----------
    labels : tuple
        Group labels in sorted order (for a pandas Categorical, its category order), as R's
        ``survfit(Surv(time, status) ~ group)`` orders factor levels.
    curves : tuple of SurvivalCurve
        The curves, in the order of ``labels``.
    group_name : str or None
        Name of the grouping variable (the column name, or the Series name), if it has one.
    """

    labels: tuple[Any, ...]
    curves: tuple[SurvivalCurve, ...]
    group_name: str | None = None

    # ---------------------------------------------------------------- mapping
    def __getitem__(self, label: Any) -> SurvivalCurve:
        for key, curve in zip(self.labels, self.curves, strict=True):
            if key == label:
                return curve
        shown = ", ".join(repr(v) for v in self.labels)
        raise KeyError(f"no group {label!r} in {self._group_text()}; the groups are {shown}")

    def __iter__(self) -> Iterator[Any]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def _group_text(self) -> str:
        return f"`{self.group_name}`" if self.group_name else "`group`"

    # ------------------------------------------------------------------ tables
    @property
    def medians(self) -> pd.DataFrame:
        """Median survival of each group with R's confidence limits (see ``quantile``).

        Columns ``group, n, events, median, ci_low, ci_high``, one row per group: what R's
        ``print(survfit(...))`` shows (an upper limit not reached is ``inf``, R's NA).
        """
        rows = []
        for label, curve in zip(self.labels, self.curves, strict=True):
            med = curve.median
            rows.append(
                {
                    "group": label,
                    "n": curve.n,
                    "events": curve.n_events_total,
                    "median": med.estimate,
                    "ci_low": med.confidence_interval.low,
                    "ci_high": med.confidence_interval.high,
                }
            )
        return pd.DataFrame(rows)

    def to_frame(self) -> pd.DataFrame:
        """Return the curves stacked: a ``group`` column, then :meth:`SurvivalCurve.to_frame`'s.

        One row per group and distinct time of that group, groups in the order of ``labels``.
        """
        frames = []
        for label, curve in zip(self.labels, self.curves, strict=True):
            frame = curve.to_frame()
            frame.insert(0, "group", pd.Series([label] * len(frame), dtype=object))
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the group name and, per group, its label and :meth:`SurvivalCurve.to_dict`."""
        return {
            "group_name": self.group_name,
            "curves": [
                {"group": label, **curve.to_dict()}
                for label, curve in zip(self.labels, self.curves, strict=True)
            ],
        }

    def _summary_frame(self) -> pd.DataFrame:
        frame = pd.concat([curve._summary_frame() for curve in self.curves], ignore_index=True)
        frame.insert(0, self.group_name or "group", [str(v) for v in self.labels])
        return frame

    def _head(self) -> tuple[str, str]:
        by = f" by {self.group_name}" if self.group_name else " by group"
        return by, f"{self.curves[0].conf_type} confidence bands"

    def __repr__(self) -> str:
        by, bands = self._head()
        head = f"SurvivalCurves(Kaplan-Meier{by}, {bands})"
        return head + "\n" + self._summary_frame().to_string(index=False)

    def _repr_html_(self) -> str:
        by, bands = self._head()
        head = f"<p>Kaplan-Meier curves{by} ({bands})</p>"
        return head + self._summary_frame().to_html(index=False)

    # ------------------------------------------------------------------- plot
    def plot(
        self,
        ax: Axes | None = None,
        *,
        ci: bool = False,
        censor_marks: bool = True,
        time_unit: str | None = None,
    ) -> Axes:
        """Draw the curves together: one step line per group, with a legend of the labels.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is created when None.
        ci : bool
            Shade each curve's pointwise confidence band (off by default, as R's
            ``plot.survfit`` for several curves).
        censor_marks : bool
            Mark censoring times with a vertical tick on each curve.
        time_unit : str, optional
            Unit of the times, shown in the x-axis label (``"time (days)"``).

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn on. Per group, in the order of ``labels``: its step line (labelled
            with the group label), then its censoring ticks when it has censored times.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import statcraft as sc
        >>> lung = sc.datasets.load_lung()
        >>> km = sc.kaplan_meier("time", "status", group="sex", data=lung)
        >>> ax = km.plot(time_unit="days")
        >>> ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()]
        ('time (days)', ['1', '2'])
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        xlabel = _time_label(time_unit)
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        for label, curve in zip(self.labels, self.curves, strict=True):
            curve._draw(ax, ci=ci, censor_marks=censor_marks, label=str(label))
        by = f" by {self.group_name}" if self.group_name else ""
        _label_axes(ax, xlabel, f"Kaplan-Meier survival curves{by}")
        ax.legend(title=self.group_name)
        return ax


def _time_label(time_unit: str | None) -> str:
    """Return the x-axis label of a survival plot: ``"time"``, with the unit if given."""
    if time_unit is not None and not isinstance(time_unit, str):
        raise TypeError(f"`time_unit` must be a string such as 'days'; got {time_unit!r}")
    return f"time ({time_unit})" if time_unit else "time"


def _label_axes(ax: Axes, xlabel: str, title: str) -> None:
    """Axis labels, title and y-range of a survival plot."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel("survival probability")
    ax.set_title(title)
    ax.set_ylim(0.0, 1.05)


@overload
def kaplan_meier(
    time: Any,
    event: Any,
    group: None = None,
    *,
    data: pd.DataFrame | None = None,
    conf_type: ConfType = "log",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> SurvivalCurve: ...


@overload
def kaplan_meier(
    time: Any,
    event: Any,
    group: Any,
    *,
    data: pd.DataFrame | None = None,
    conf_type: ConfType = "log",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> SurvivalCurves: ...


def kaplan_meier(
    time: Any,
    event: Any,
    group: Any = None,
    *,
    data: pd.DataFrame | None = None,
    conf_type: ConfType = "log",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> SurvivalCurve | SurvivalCurves:
    r"""Kaplan-Meier estimate of the survival function for right-censored data.

    Parameters
    ----------
    time : array_like or str
        Follow-up times, non-negative; or the name of a column of ``data``.
    event : array_like or str
        1 (or True) where the event was observed at ``time``, 0 (or False) where the
        observation was censored; or the name of a column of ``data``.
    group : array_like or str, optional
        Group label of each observation (aligned with ``time`` by position), or the name of a
        column of ``data``: one curve per group is returned (R's
        ``survfit(Surv(time, status) ~ group)``). At least two groups.
    data : pandas.DataFrame, optional
        The data whose columns ``time``, ``event`` and ``group`` name. It is only read.
    conf_type : {'log', 'log-log', 'plain'}
        Scale on which the pointwise confidence band is built (R's ``conf.type``; R's default
        is ``'log'``, SAS's and statsmodels' is ``'log-log'``).
    confidence_level : float
        Coverage of the band and of the quantile limits.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops the observations where ``time``, ``event`` or ``group`` is missing.
        (``'propagate'`` is not offered: a survival curve cannot carry a missing time.)

    Returns
    -------
    SurvivalCurve or SurvivalCurves
        Without ``group``, a :class:`SurvivalCurve` with ``to_frame()``, ``median``,
        ``quantile(p)``, ``survival_at(t)`` and ``plot()``. With ``group``, a
        :class:`SurvivalCurves`: ``curves[label]`` is exactly the :class:`SurvivalCurve` of
        that group's observations, with ``labels`` (sorted; a Categorical's category order),
        ``medians``, ``to_frame()`` (stacked, a ``group`` column first) and ``plot()`` (all
        curves on one axes).

    Raises
    ------
    ValueError
        If the inputs are empty, differ in length, contain NaN (with ``nan_policy='raise'``)
        or inf, if a time is negative, or if an event is not 0/1; if a name is not a column of
        ``data``; if ``group`` has fewer than two levels or a missing label (with
        ``nan_policy='raise'``), or a group has no complete observation.
    TypeError
        If the inputs (or the named columns) are not numeric, if a column name is given
        without ``data``, or if ``data`` is not a DataFrame.

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

    One curve per group, from a DataFrame: R's ``survfit(Surv(time, status) ~ sex, data =
    lung)`` (in ``load_lung`` sex is 1 = male, 2 = female):

    >>> km = sc.kaplan_meier("time", "status", group="sex", data=sc.datasets.load_lung())
    >>> km
    SurvivalCurves(Kaplan-Meier by sex, log confidence bands)
    sex   n  events median 0.95LCL 0.95UCL
      1 138     112    270     212     310
      2  90      53    426     348     550
    >>> km.labels, km[2].median.estimate
    ((1, 2), 426.0)
    """
    conf_type = check_choice(conf_type, "conf_type", _CONF_TYPES)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    data = check_data(data)
    time, _ = column(data, time, "time")
    event, _ = column(data, event, "event")
    t, e, keep = _check_time_event(time, event, nan_policy)
    if group is None:
        t, e = t[keep], e[keep]
        _check_time_event_values(t, e)
        return _fit_curve(t, e, conf_type, confidence_level)
    labels, name, keep = _group_labels(group, data, t.size, keep, nan_policy)
    t, e = t[keep], e[keep]
    _check_time_event_values(t, e)
    codes, levels, _ = group_codes(labels[keep], None, t.size, sample_argument="time")
    curves = tuple(  # group_codes returns only the levels that occur: no empty group
        _fit_curve(t[codes == i], e[codes == i], conf_type, confidence_level)
        for i in range(len(levels))
    )
    return SurvivalCurves(labels=levels, curves=curves, group_name=name)


def _group_labels(
    group: Any, data: pd.DataFrame | None, n: int, keep: np.ndarray, nan_policy: str
) -> tuple[pd.Series, str | None, np.ndarray]:
    """Resolve ``group`` to a Series of labels (named by the column) and update ``keep``.

    The labels must be one per observation (aligned by position). A missing label is an error
    under ``nan_policy='raise'`` and dropped (through ``keep``) under ``'omit'``.
    """
    values, name = column(data, group, "group", numeric=False)
    where = "`group`" + (f" (column {name!r})" if name is not None else "")
    if isinstance(values, (str, bytes)) or values is None or np.ndim(values) == 0:
        raise TypeError(f"{where} must be a column name or one label per observation")
    if isinstance(values, pd.Series):
        labels = values.reset_index(drop=True)
    else:
        arr = np.asarray(values)
        if arr.ndim == 2 and 1 in arr.shape:  # a column or row vector, as _frames
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"{where} must be one-dimensional; got shape {arr.shape}")
        labels = pd.Series(arr, name=name)
    if len(labels) != n:
        raise ValueError(
            f"{where} must have one label per observation of `time`; "
            f"got {len(labels)} labels for {n} observations"
        )
    missing = labels.isna().to_numpy()
    if missing.any() and nan_policy == "raise":
        k = int(missing.sum())
        raise ValueError(
            f"{where} has {k} missing value{'' if k == 1 else 's'}; "
            "pass nan_policy='omit' to drop them"
        )
    return labels, name, keep & ~missing


def _fit_curve(
    t: np.ndarray, e: np.ndarray, conf_type: str, confidence_level: float
) -> SurvivalCurve:
    """Return the Kaplan-Meier curve of validated, complete ``time`` and ``event`` arrays."""
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
