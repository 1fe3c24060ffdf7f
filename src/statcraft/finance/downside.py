r"""Downside-risk ratios and drawdowns: Sortino, Calmar, maximum drawdown.

- :func:`sortino_ratio` -- mean excess return over the downside deviation below a target;
- :func:`calmar_ratio` -- compound annual growth over the maximum drawdown;
- :func:`max_drawdown` (a :class:`DrawdownResult` with its dates, optionally a block-bootstrap
  interval) and :func:`drawdowns` (the drawdown path).

Drawdowns are positive fractions (0.35 for a 35 % fall from the running peak). Optional
intervals use the stationary bootstrap, which keeps the serial dependence that drives
drawdowns. Sharpe-type ratios are in :mod:`statcraft.finance.performance`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import (
    check_choice,
    check_confidence_level,
    check_finite_scalar,
)
from statcraft.finance._checks import check_dates, check_prices, check_returns
from statcraft.finance.performance import (
    _check_bootstrap,
    _excess,
    _periods,
)
from statcraft.resampling import bootstrap
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, _fmt

__all__ = ["DrawdownResult", "calmar_ratio", "drawdowns", "max_drawdown", "sortino_ratio"]


def _ratio_interval(
    x: np.ndarray,
    statistic: Any,
    method: str,
    level: float,
    n_resamples: Any,
    block_length: Any,
    rng: Any,
    name: str,
) -> tuple[float | None, ConfidenceInterval, dict[str, Any]]:
    """Stationary-bootstrap percentile interval of ``statistic`` (or none for method='none')."""
    if method == "none":
        if block_length is not None:
            raise ValueError("`block_length` is only used with method='bootstrap'")
        return None, ConfidenceInterval(math.nan, math.nan), {}
    n_res = _check_bootstrap(n_resamples, x.size, f"{name} with method='bootstrap'")
    res = bootstrap(
        (x,), statistic, n_resamples=n_res, method="percentile", confidence_level=level,
        scheme="stationary", block_length=block_length, rng=rng,
    )  # fmt: skip
    lo, hi = res.confidence_interval
    ci = ConfidenceInterval(float(lo), float(hi))
    info = {"block_length": res.block_length, "n_resamples": n_res, "bootstrap": res}
    return float(res.std_error), ci, info


def _scaled(value: float, se: float | None, ci: ConfidenceInterval, k: float) -> tuple[Any, ...]:
    return value * k, None if se is None else se * k, ConfidenceInterval(ci.low * k, ci.high * k)


def sortino_ratio(
    returns: Any,
    *,
    target: float = 0.0,
    risk_free: Any = 0.0,
    periods_per_year: int | None = None,
    method: Literal["none", "bootstrap"] = "none",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    block_length: float | None = None,
    rng: Any = None,
) -> Estimate:
    r"""Sortino ratio: mean return above a target per unit of downside deviation.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns (at least 3; 10 with ``method='bootstrap'``).
    target : float
        Minimum acceptable return :math:`T` per period, applied to the excess returns.
        Default 0.
    risk_free : float or array_like
        Per-period risk-free rate subtracted first (a scalar or an aligned series).
    periods_per_year : int, optional
        When given, the ratio (and interval) is multiplied by :math:`\sqrt{q}`.
    method : {'none', 'bootstrap'}
        ``'none'`` (default): the point estimate only, with ``std_error=None`` and a
        ``(nan, nan)`` interval. ``'bootstrap'``: stationary-bootstrap percentile interval and
        the SD of the replicates as SE.
    confidence_level : float
        Level of the bootstrap interval.
    n_resamples : int
        Bootstrap resamples.
    block_length : float, optional
        Mean block length; default Politis-White.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.

    Returns
    -------
    Estimate
        ``details``: ``downside_deviation`` and ``mean_excess`` (per period), ``target``, and
        the bootstrap's ``block_length``, ``n_resamples``, ``bootstrap``.

    Raises
    ------
    ValueError
        For NaN/inf, too few observations, unsorted dates, or no return below ``target`` (the
        downside deviation is zero and the ratio undefined).

    Notes
    -----
    With :math:`d_t = x_t - T`: :math:`\text{Sortino} = \bar d / DD`,
    :math:`DD = \sqrt{n^{-1}\sum_t \min(d_t, 0)^2}` -- the downside deviation over *all*
    :math:`n` periods (Sortino & Price 1994; PerformanceAnalytics' ``SortinoRatio``), not
    only over the losing ones.

    References
    ----------
    Sortino, F. A. & Price, L. N. (1994). Performance measurement in a downside risk
    framework. *Journal of Investing* 3(3), 59-64.

    Rollinger, T. N. & Hoffman, S. T. (2013). Sortino: a "sharper" ratio. Red Rock Capital.

    Examples
    --------
    >>> from statcraft.finance.downside import sortino_ratio
    >>> r = [0.17, 0.15, 0.23, -0.05, 0.12, 0.09, 0.13, -0.04]
    >>> round(sortino_ratio(r).estimate, 3)
    4.417
    """
    method = check_choice(method, "method", ("none", "bootstrap"))  # type: ignore[assignment]
    level = check_confidence_level(confidence_level)
    tgt = check_finite_scalar(target, "target")
    k = math.sqrt(_periods(periods_per_year))
    x, _ = _excess(returns, risk_free)
    d = x - tgt
    dd = math.sqrt(float(np.mean(np.minimum(d, 0.0) ** 2)))
    if dd == 0:
        raise ValueError(
            "`returns` has no value below `target`; the downside deviation is zero and the "
            "Sortino ratio is undefined"
        )
    value = float(d.mean()) / dd

    def stat(y: np.ndarray, axis: int = -1) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.mean(y, axis=axis) / np.sqrt(np.mean(np.minimum(y, 0.0) ** 2, axis=axis))

    se, ci, info = _ratio_interval(
        d, stat, method, level, n_resamples, block_length, rng, "sortino_ratio"
    )
    est, se_k, ci_k = _scaled(value, se, ci, k)
    details = {"downside_deviation": dd, "mean_excess": float(x.mean()), "target": tgt, **info}
    label = "Sortino ratio" + (" (stationary bootstrap, percentile)" if se is not None else "")
    return Estimate(est, se_k, ci_k, level, label, x.size, details=FrozenMapping(details))


def _max_drawdown_log(log_returns: np.ndarray, axis: int = -1) -> Any:
    """Maximum drawdown of the wealth path exp(cumsum(log returns)) started at 1."""
    c = np.cumsum(np.moveaxis(log_returns, axis, -1), axis=-1)
    c = np.concatenate((np.zeros((*c.shape[:-1], 1)), c), axis=-1)
    return -np.expm1(np.min(c - np.maximum.accumulate(c, axis=-1), axis=-1))


def calmar_ratio(
    returns: Any,
    *,
    periods_per_year: int,
    method: Literal["none", "bootstrap"] = "none",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    block_length: float | None = None,
    rng: Any = None,
) -> Estimate:
    r"""Calmar ratio: compound annual growth rate over the maximum drawdown.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period *simple* decimal returns, all :math:`> -1` (at least 3; 10 with
        ``method='bootstrap'``).
    periods_per_year : int
        12 for monthly, 252 for daily returns.
    method : {'none', 'bootstrap'}
        ``'none'`` (default): point estimate only (``std_error=None``, ``(nan, nan)``
        interval). ``'bootstrap'``: stationary-bootstrap percentile interval, resampling the
        returns and rebuilding the wealth path.
    confidence_level : float
        Level of the bootstrap interval.
    n_resamples : int
        Bootstrap resamples.
    block_length : float, optional
        Mean block length; default Politis-White.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.

    Returns
    -------
    Estimate
        ``details``: ``annual_return`` (CAGR), ``max_drawdown`` and the bootstrap's extras.

    Raises
    ------
    ValueError
        For NaN/inf, a return :math:`\le -1`, too few observations, unsorted dates, or a
        wealth path that never falls (zero drawdown: the ratio is undefined).

    Notes
    -----
    :math:`\text{Calmar} = \mathrm{CAGR}/\mathrm{MDD}` with
    :math:`\mathrm{CAGR} = (\prod_t (1+R_t))^{q/n} - 1` and MDD the largest fall of the wealth
    path :math:`W_0 = 1, W_t = \prod_{s\le t}(1 + R_s)` from its running peak (including
    :math:`W_0`), as PerformanceAnalytics' ``CalmarRatio``. Young's original definition uses
    the last 36 months; pass that window to get it.

    References
    ----------
    Young, T. W. (1991). Calmar ratio: a smoother tool. *Futures* 20(1), 40.

    Examples
    --------
    >>> from statcraft.finance.downside import calmar_ratio
    >>> r = [0.05, -0.10, 0.02, 0.08, -0.03, 0.06]
    >>> round(calmar_ratio(r, periods_per_year=12).estimate, 3)
    1.457
    """
    q = _periods(periods_per_year)
    method = check_choice(method, "method", ("none", "bootstrap"))  # type: ignore[assignment]
    level = check_confidence_level(confidence_level)
    r, _ = check_returns(returns, "returns", min_size=3, stacklevel=4)
    if np.any(r <= -1.0):
        raise ValueError("`returns` has a simple return <= -1 (a total loss); cannot compound")
    lr = np.log1p(r)
    mdd = float(_max_drawdown_log(lr))
    if mdd <= 0:
        raise ValueError(
            "`returns` never fall below a previous peak; the maximum drawdown is zero and the "
            "Calmar ratio is undefined"
        )
    cagr = float(np.expm1(lr.sum() * q / lr.size))

    def stat(y: np.ndarray, axis: int = -1) -> Any:
        growth = np.expm1(np.sum(y, axis=axis) * q / y.shape[axis])
        with np.errstate(divide="ignore", invalid="ignore"):
            return growth / _max_drawdown_log(y, axis)

    se, ci, info = _ratio_interval(
        lr, stat, method, level, n_resamples, block_length, rng, "calmar_ratio"
    )
    details = {"annual_return": cagr, "max_drawdown": mdd, **info}
    label = "Calmar ratio" + (" (stationary bootstrap, percentile)" if se is not None else "")
    return Estimate(cagr / mdd, se, ci, level, label, r.size, details=FrozenMapping(details))


# ----------------------------------------------------------------------------- drawdowns
@dataclass(frozen=True, slots=True)
class DrawdownResult:
    """The maximum drawdown of a price path, when it happened, and how long it lasted.

    Attributes
    ----------
    depth : float
        The largest fall from a running peak as a positive fraction (0.35 for -35 %).
    peak, trough, recovery : label or int or None
        Dates (index labels of a Series) or integer positions of the peak before the largest
        fall, of its trough, and of the first later price at or above the peak (None if the
        price never recovered; all three None when the prices never fall).
    duration : int
        Periods from peak to recovery, or from peak to the last price when not recovered.
    recovered : bool
        Whether the price came back to the peak.
    confidence_interval : ConfidenceInterval or None
        Stationary-bootstrap percentile interval of ``depth``, when requested.
    confidence_level : float or None
        Its level.
    n : int
        Number of prices.
    details : FrozenMapping
        ``block_length``, ``n_resamples`` and ``bootstrap`` when an interval was computed.
    """

    depth: float
    peak: Any
    trough: Any
    recovery: Any
    duration: int
    recovered: bool
    confidence_interval: ConfidenceInterval | None = None
    confidence_level: float | None = None
    n: int = 0
    details: Any = field(default_factory=FrozenMapping, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (the interval as ``ci_low``/``ci_high``)."""
        ci = self.confidence_interval
        return {
            "depth": self.depth,
            "peak": self.peak,
            "trough": self.trough,
            "recovery": self.recovery,
            "duration": self.duration,
            "recovered": self.recovered,
            "ci_low": None if ci is None else ci.low,
            "ci_high": None if ci is None else ci.high,
            "confidence_level": self.confidence_level,
            "n": self.n,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        rec = f"recovery={self.recovery}" if self.recovered else "not recovered"
        ci = self.confidence_interval
        ci_txt = ""
        if ci is not None and self.confidence_level is not None:
            ci_txt = f", {100 * self.confidence_level:g}% CI [{_fmt(ci.low)}, {_fmt(ci.high)}]"
        return (
            f"DrawdownResult(depth={_fmt(self.depth)}, peak={self.peak}, trough={self.trough}, "
            f"{rec}, duration={self.duration} periods{ci_txt})"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _price_series(prices: Any) -> tuple[np.ndarray, pd.Index | None]:
    arr = check_prices(prices, "prices")
    if arr.ndim != 1:
        raise ValueError(f"`prices` must be one price series; got shape {arr.shape}")
    index = prices.index if isinstance(prices, (pd.Series, pd.DataFrame)) else None
    if index is not None:
        check_dates(index, "prices")
    return arr, index


def drawdowns(prices: Any) -> Any:
    r"""Drawdown at each date: the fall from the running peak, :math:`1 - P_t / \max_{s\le t} P_s`.

    Parameters
    ----------
    prices : array_like or pandas Series
        Strictly positive prices (or a wealth index) in time order.

    Returns
    -------
    numpy.ndarray or pandas Series
        Positive fractions (0 at a new peak); a Series keeps the index and is named
        ``'drawdown'``.

    Raises
    ------
    ValueError
        For NaN/inf, values :math:`\le 0`, fewer than 2 prices, unsorted or duplicated dates.

    Examples
    --------
    >>> from statcraft.finance.downside import drawdowns
    >>> drawdowns([100.0, 120.0, 90.0, 130.0])
    array([0.  , 0.  , 0.25, 0.  ])
    """
    arr, index = _price_series(prices)
    values = 1.0 - arr / np.maximum.accumulate(arr)
    if isinstance(prices, (pd.Series, pd.DataFrame)):
        return pd.Series(values, index=index, name="drawdown")
    return values


def max_drawdown(
    prices: Any,
    *,
    confidence_level: float | None = None,
    n_resamples: int = 1999,
    block_length: float | None = None,
    rng: Any = None,
) -> DrawdownResult:
    r"""Maximum drawdown of a price path, with its dates and an optional bootstrap interval.

    Parameters
    ----------
    prices : array_like or pandas Series
        Strictly positive prices (or a wealth index) in time order (at least 2; 11 for an
        interval).
    confidence_level : float, optional
        When given, a stationary-bootstrap percentile interval of the depth at this level.
    n_resamples : int
        Bootstrap resamples. Default 1999.
    block_length : float, optional
        Mean block length of the stationary bootstrap of the log returns; default
        Politis-White.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.

    Returns
    -------
    DrawdownResult
        ``depth``, ``peak``, ``trough``, ``recovery``, ``duration``, ``recovered`` and the
        interval; ``to_dict()``, ``to_frame()``.

    Raises
    ------
    ValueError
        For NaN/inf, values :math:`\le 0` (returns passed as prices), more than one series,
        unsorted or duplicated dates, too few prices.

    Notes
    -----
    :math:`\mathrm{MDD} = \max_t (1 - P_t / \max_{s\le t} P_s)`. The trough is the first date
    of the largest drawdown; the peak is the *last* date before it at the running maximum
    (so a path that revisits its high starts the drawdown at the later visit); the recovery
    is the first later date with :math:`P_t \ge P_{peak}`.

    The interval resamples the log returns with the stationary bootstrap (Politis & Romano
    1994), rebuilds a path of the same length from each resample and takes its maximum
    drawdown. It describes the variability of the maximum drawdown of paths from the same
    (stationary) return process over the same horizon -- not the uncertainty of a fixed
    historical number. Runs of losses longer than the blocks are broken up, which can
    understate deep, long drawdowns.

    References
    ----------
    Magdon-Ismail, M. & Atiya, A. F. (2004). Maximum drawdown. *Risk* 17(10), 99-102.

    Politis, D. N. & Romano, J. P. (1994). The stationary bootstrap. *JASA* 89(428),
    1303-1313.

    Examples
    --------
    >>> from statcraft.finance.downside import max_drawdown
    >>> res = max_drawdown([100.0, 120.0, 90.0, 110.0, 125.0, 100.0])
    >>> res.depth, res.peak, res.trough, res.recovery, res.duration
    (0.25, 1, 2, 4, 3)
    """
    arr, index = _price_series(prices)
    n = arr.size
    running = np.maximum.accumulate(arr)
    dd = 1.0 - arr / running
    trough_pos = int(np.argmax(dd))
    depth = float(dd[trough_pos])

    def label(pos: int | None) -> Any:
        if pos is None:
            return None
        return index[pos] if index is not None else pos

    peak_pos: int | None
    rec_pos: int | None
    if depth <= 0:
        peak_pos = rec_pos = None
        duration, recovered = 0, True
    else:
        peak_price = running[trough_pos]
        peak_pos = int(np.flatnonzero(arr[: trough_pos + 1] == peak_price)[-1])
        later = np.flatnonzero(arr[trough_pos + 1 :] >= peak_price)
        rec_pos = trough_pos + 1 + int(later[0]) if later.size else None
        recovered = rec_pos is not None
        duration = (rec_pos if rec_pos is not None else n - 1) - peak_pos
    ci = None
    level = None
    details: dict[str, Any] = {}
    if confidence_level is not None:
        level = check_confidence_level(confidence_level)
        lr = np.diff(np.log(arr))
        n_res = _check_bootstrap(n_resamples, lr.size, "the max_drawdown interval (returns)")
        res = bootstrap(
            (lr,), _max_drawdown_log, n_resamples=n_res, method="percentile",
            confidence_level=level, scheme="stationary", block_length=block_length, rng=rng,
        )  # fmt: skip
        ci = ConfidenceInterval(
            float(res.confidence_interval.low), float(res.confidence_interval.high)
        )
        details = {"block_length": res.block_length, "n_resamples": n_res, "bootstrap": res}
    elif block_length is not None:
        raise ValueError("`block_length` is only used with a `confidence_level`")
    return DrawdownResult(
        depth=depth,
        peak=label(peak_pos),
        trough=label(trough_pos if peak_pos is not None else None),
        recovery=label(rec_pos),
        duration=int(duration),
        recovered=recovered,
        confidence_interval=ci,
        confidence_level=level,
        n=n,
        details=FrozenMapping(details),
    )
