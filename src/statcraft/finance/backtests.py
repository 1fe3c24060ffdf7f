r"""Backtests of value-at-risk and expected-shortfall forecasts.

A VaR forecast at level :math:`c` (e.g. 0.99) is *violated* on day :math:`t` when the return
falls below minus the forecast, :math:`r_t < -\mathrm{VaR}_t` (losses are positive, as
everywhere in :mod:`statcraft.finance`). A correct forecast is violated with probability
:math:`p = 1 - c`, independently from day to day. The tests here check that from the 0/1
violation (hit) sequence, and the ES forecasts from the size of the losses beyond VaR:

- :func:`kupiec_test` -- Kupiec (1995) proportion of failures: is the violation rate
  :math:`p`? (likelihood ratio, :math:`\chi^2_1`);
- :func:`christoffersen_test` -- Christoffersen (1998) conditional coverage: right rate *and*
  no clustering (first-order Markov alternative; :math:`\chi^2_2`, with the independence part
  :math:`\chi^2_1` in ``details``);
- :func:`mcneil_frey_test` -- McNeil & Frey (2000): do the losses beyond VaR exceed the ES
  forecast on average? (bootstrap test of the exceedance residuals);
- :func:`acerbi_szekely_test` -- Acerbi & Székely (2014) :math:`Z_2`, with a p-value simulated
  under a stated location-scale null;
- :func:`var_backtest` -- all of them in one table, taking directly the DataFrame of
  :func:`statcraft.finance.forecasts.var_es_forecast`;
- :func:`violations` -- the 0/1 hit sequence.

Forecasts must be *ex ante*: the value on date :math:`t` is the forecast of the return on date
:math:`t` made with information up to :math:`t - 1`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import special, stats

from statcraft._random import as_generator
from statcraft._validation import (
    check_array,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_int,
    check_same_length,
)
from statcraft.estimators.proportions import proportion
from statcraft.finance._checks import check_dates, check_level, check_returns
from statcraft.resampling import bootstrap_test
from statcraft.results import Estimate, TestResult

__all__ = [
    "NegativeVaRWarning",
    "acerbi_szekely_test",
    "christoffersen_test",
    "kupiec_test",
    "mcneil_frey_test",
    "var_backtest",
    "violations",
]

IntervalMethod = Literal["wilson", "clopper_pearson"]
_CHUNK = 1 << 21  # simulated returns per block in acerbi_szekely_test


class NegativeVaRWarning(UserWarning):
    """Some VaR forecasts are negative: a predicted *gain* at the tail quantile."""


# --------------------------------------------------------------------------- helpers
def _check_hits(violations: Any) -> np.ndarray:
    """Return the 0/1 violation sequence as a bool array (no NaN, only 0/1/True/False)."""
    if isinstance(violations, (str, bytes)):
        raise TypeError(
            f"`violations` must be a sequence of 0/1 or True/False; got a string {violations!r}"
        )
    arr = check_array(violations, "violations", suggest_omit=False)
    bad = ~((arr == 0.0) | (arr == 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        k = int(bad.sum())
        raise ValueError(
            "`violations` must hold only 0/1 or True/False (1 = the loss exceeded the VaR); "
            f"got {k} other value{'s' if k > 1 else ''} (first: {arr[i]:g} at position {i})"
        )
    return arr == 1.0


def _xlogy(x: float, y: float) -> float:
    return float(special.xlogy(x, y))


def _ratio(num: int, den: int) -> float:
    return num / den if den > 0 else math.nan


def _lr_uc(n: int, x: int, p: float) -> float:
    """Kupiec's LR statistic with 0 log 0 = 0 (exact at x = 0 and x = n)."""
    rate = x / n
    ll_null = _xlogy(n - x, 1.0 - p) + _xlogy(x, p)
    ll_alt = _xlogy(n - x, 1.0 - rate) + _xlogy(x, rate)
    return max(0.0, -2.0 * (ll_null - ll_alt))


def _transitions(hits: np.ndarray) -> tuple[int, int, int, int]:
    prev, cur = hits[:-1], hits[1:]
    n11 = int(np.sum(prev & cur))
    n01 = int(np.sum(~prev & cur))
    n10 = int(np.sum(prev & ~cur))
    return int(prev.size - n11 - n01 - n10), n01, n10, n11


def _lr_ind(n00: int, n01: int, n10: int, n11: int) -> float:
    """Christoffersen's independence LR with 0 log 0 = 0 (empty rows contribute nothing)."""
    pi01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ll_null = _xlogy(n00 + n10, 1.0 - pi) + _xlogy(n01 + n11, pi)
    ll_alt = (
        _xlogy(n00, 1.0 - pi01) + _xlogy(n01, pi01) + _xlogy(n10, 1.0 - pi11) + _xlogy(n11, pi11)
    )
    return max(0.0, 2.0 * (ll_alt - ll_null))


def _chi2_sf(x: float, df: int) -> float:
    return float(special.chdtrc(df, x))


def _rate_estimate(
    x: int, n: int, confidence_level: float, interval: str
) -> tuple[Estimate, float]:
    check_choice(interval, "interval", ("wilson", "clopper_pearson"))
    est = proportion(
        x,
        n,
        method=cast(Literal["wilson", "clopper_pearson"], interval),
        confidence_level=confidence_level,
    )
    out = Estimate(
        est.estimate,
        est.std_error,
        est.confidence_interval,
        est.confidence_level,
        f"violation rate ({est.method})",
        n,
        details={"n_violations": x},
    )
    return out, est.estimate


def _first_date(index: pd.Index | None, i: int) -> str:
    return f"date {index[i]}" if index is not None else f"position {i}"


def _check_forecast_values(
    values: Mapping[str, np.ndarray], index: pd.Index | None, *, stacklevel: int
) -> None:
    """VaR sign, ES >= VaR and positive volatility (values have no NaN here)."""
    var = values["var"]
    neg = var < 0
    if neg.any():
        k = int(neg.sum())
        first = _first_date(index, int(np.flatnonzero(neg)[0]))
        if not bool(np.any(var > 0)):
            raise ValueError(
                f"`var` is negative or zero everywhere ({k} negative values, first at {first}); "
                "VaR forecasts are losses reported as positive numbers (VaR_0.99 = minus the 1% "
                "quantile of returns) -- did you pass return quantiles? use -quantile"
            )
        warnings.warn(
            f"`var` has {k} negative value{'s' if k > 1 else ''} (first at {first}): a predicted "
            "gain at the tail quantile; such days count as violations whenever the return is "
            "below that gain. Check the sign convention (losses are positive).",
            NegativeVaRWarning,
            stacklevel=stacklevel,
        )
    if "es" in values:
        es = values["es"]
        tol = 1e-12 * np.maximum(1.0, np.abs(var))
        small = es < var - tol
        if small.any():
            k = int(small.sum())
            first = _first_date(index, int(np.flatnonzero(small)[0]))
            raise ValueError(
                f"`es` is smaller than `var` on {k} date{'s' if k > 1 else ''} (first at {first}); "
                "the expected shortfall at a level is at least the VaR at that level -- check "
                "that both are losses (positive) for the same level"
            )
    if "volatility" in values:
        vol = values["volatility"]
        if np.any(vol <= 0):
            k = int(np.sum(vol <= 0))
            first = _first_date(index, int(np.flatnonzero(vol <= 0)[0]))
            raise ValueError(
                f"`volatility` must be positive; got {k} value{'s' if k > 1 else ''} <= 0 "
                f"(first at {first})"
            )


def _aligned(
    returns: Any,
    inputs: Mapping[str, Any],
    nan_policy: str,
    *,
    min_size: int = 1,
    stacklevel: int = 5,
) -> tuple[np.ndarray, dict[str, np.ndarray], pd.Index | None, int]:
    """Align returns with forecast columns, handle NaN, validate.

    Alignment: when ``returns`` is a Series and a forecast is a Series/DataFrame whose index
    differs, every forecast date must be a date of ``returns``; the returns on those dates
    are used. When ``returns`` is an array and the forecasts are shorter with an integer
    index, the labels are positions in ``returns``. Otherwise arrays are aligned by
    position and must have the same length. Leading dates
    where a forecast is NaN (the warm-up of a rolling forecast) are dropped; other NaN
    follow ``nan_policy``. Returns the arrays, the index and the number of warm-up dates.
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    if isinstance(returns, pd.DataFrame) and returns.shape[1] != 1:
        raise TypeError(
            f"`returns` must be one series of returns; got a DataFrame with {returns.shape[1]} "
            "columns (backtest one portfolio at a time)"
        )
    r_index = returns.index if isinstance(returns, (pd.Series, pd.DataFrame)) else None
    if r_index is not None:
        check_dates(r_index, "returns")
    r = check_array(returns, "returns", nan_policy="propagate")
    f_index: pd.Index | None = None
    f_name = ""
    for name, obj in inputs.items():
        if isinstance(obj, (pd.Series, pd.DataFrame)):
            check_dates(obj.index, name)
            if f_index is None:
                f_index, f_name = obj.index, name
            elif not obj.index.equals(f_index):
                raise ValueError(
                    f"`{name}` and `{f_name}` have different indexes; align them first"
                )
    index = r_index if r_index is not None else f_index
    if (
        r_index is None
        and f_index is not None
        and pd.api.types.is_integer_dtype(f_index)
        and len(f_index) < r.size
    ):
        # An array of returns has positions 0..n-1; var_es_forecast labels its rows so.
        r_index = pd.RangeIndex(r.size)
    if r_index is not None and f_index is not None and not f_index.equals(r_index):
        if not r_index.is_unique:
            raise ValueError("`returns` has duplicated index labels; they cannot be aligned")
        pos = r_index.get_indexer(f_index)
        missing = pos < 0
        if missing.any():
            k = int(missing.sum())
            first = f_index[int(np.flatnonzero(missing)[0])] if k else None
            raise ValueError(
                f"`{f_name}` is not aligned with `returns`: {k} of its {f_index.size} dates are "
                f"not in the index of `returns` (first: {first}); index the forecasts by the "
                "dates of the returns they forecast"
            )
        r = r[pos]
        index = f_index
    arrays = {name: check_array(obj, name, nan_policy="propagate") for name, obj in inputs.items()}
    check_same_length(returns=r, **arrays)
    no_forecast = np.zeros(r.size, dtype=bool)
    for arr in arrays.values():
        no_forecast |= np.isnan(arr)
    warm_up = int(np.argmin(no_forecast)) if not no_forecast.all() else r.size
    if warm_up:
        r = r[warm_up:]
        arrays = {name: arr[warm_up:] for name, arr in arrays.items()}
        if index is not None:
            index = index[warm_up:]
    nan = np.isnan(r)
    for arr in arrays.values():
        nan = nan | np.isnan(arr)
    if nan.any():
        if nan_policy == "raise":
            for name, arr in {"returns": r, **arrays}.items():
                k = int(np.isnan(arr).sum())
                if k:
                    what = "after its first forecast " if name != "returns" else ""
                    raise ValueError(
                        f"`{name}` has {k} NaN value{'s' if k > 1 else ''} {what}(gaps in the "
                        "series); pass nan_policy='omit' to drop those dates"
                    )
        keep = ~nan
        r = r[keep]
        arrays = {name: arr[keep] for name, arr in arrays.items()}
        if index is not None:
            index = index[keep]
    if r.size < min_size:
        raise ValueError(
            f"`returns` needs at least {min_size} date{'s' if min_size > 1 else ''} with a "
            f"return and a forecast; got {r.size}"
        )
    like = pd.Series(r, index=index) if index is not None else r
    check_returns(like, "returns", min_size=min_size, stacklevel=stacklevel)
    _check_forecast_values(arrays, index, stacklevel=stacklevel - 1)
    return r, arrays, index, warm_up


def _nan_result(method: str, alternative: str, note: str, details: dict[str, Any]) -> TestResult:
    return TestResult(
        statistic=math.nan,
        pvalue=math.nan,
        df=None,
        alternative=alternative,
        method=method,
        details={**details, "note": note},
    )


# --------------------------------------------------------------------------- public API
def violations(returns: Any, var: Any, *, nan_policy: Literal["raise", "omit"] = "raise") -> Any:
    r"""Return the VaR violation (hit) sequence: 1 where the return is below minus the VaR.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns.
    var : array_like or pandas Series
        VaR forecasts for the same dates, losses as positive numbers (the forecast for date
        :math:`t` made before :math:`t`). A Series is aligned on dates (see
        :func:`var_backtest`).
    nan_policy : {'raise', 'omit'}
        NaN after the first forecast: ``'raise'`` (an error) or ``'omit'`` (drop those
        dates). Leading dates without a forecast (NaN: a warm-up) are always dropped.

    Returns
    -------
    numpy.ndarray or pandas Series
        Integers 0/1 (a Series with the dates when either input is a Series).

    Raises
    ------
    ValueError
        For empty input, NaN (with ``nan_policy='raise'``), inf, different lengths, misaligned
        dates, or VaR forecasts that are all negative (return quantiles passed as VaR).
    TypeError
        For non-numeric input.

    Warns
    -----
    NegativeVaRWarning
        When some (not all) forecasts are negative.

    Notes
    -----
    :math:`I_t = 1\{r_t < -\mathrm{VaR}_t\}` -- strict, as rugarch's ``VaRTest``
    (GAS's ``BacktestVaR`` counts ties :math:`r_t = -\mathrm{VaR}_t` as violations too).

    Examples
    --------
    >>> from statcraft.finance.backtests import violations
    >>> violations([0.01, -0.03, -0.02, 0.0], [0.02, 0.02, 0.02, 0.02])
    array([0, 1, 0, 0])
    """
    r, arrays, index, _ = _aligned(returns, {"var": var}, nan_policy)
    hits = (r < -arrays["var"]).astype(int)
    if index is not None:
        name = returns.name if isinstance(returns, pd.Series) else None
        return pd.Series(hits, index=index, name=name)
    return hits


def kupiec_test(
    violations: Any,
    level: float,
    *,
    confidence_level: float = 0.95,
    interval: IntervalMethod = "wilson",
) -> TestResult:
    r"""Kupiec's (1995) proportion-of-failures test of a VaR forecast's violation rate.

    Parameters
    ----------
    violations : array_like of 0/1 or bool
        The hit sequence (1 = the loss exceeded the VaR), e.g. from :func:`violations`.
    level : float
        The VaR confidence in (0, 1); the expected violation rate is ``1 - level``
        (0.99 -> 1 %).
    confidence_level : float
        Level of the interval for the observed violation rate. Default 0.95.
    interval : {'wilson', 'clopper_pearson'}
        Interval method for the rate (:func:`statcraft.proportion`). Default Wilson.

    Returns
    -------
    TestResult
        ``statistic`` :math:`LR_{uc}`, ``df`` 1, chi-square ``pvalue``, ``estimate`` the observed
        violation rate with its interval; ``details``: ``n``, ``n_violations``,
        ``expected_rate``, ``expected_violations``, ``level``.

    Raises
    ------
    ValueError
        For empty input, NaN, values other than 0/1/True/False, or ``level`` outside (0, 1).
    TypeError
        For non-numeric input.

    Notes
    -----
    With :math:`x` violations in :math:`T` days, :math:`p = 1 - \text{level}` and
    :math:`\hat p = x/T`,

    .. math:: LR_{uc} = -2\left[(T-x)\log(1-p) + x\log p - (T-x)\log(1-\hat p)
              - x\log\hat p\right] \;\sim\; \chi^2_1,

    with :math:`0 \log 0 = 0`, so :math:`LR_{uc} = -2T\log(1-p)` with no violation and
    :math:`-2T\log p` when every day is one (the limits of the statistic). Logs are summed
    directly (rugarch's ``VaRTest`` multiplies powers, which underflows for long samples).
    The test is two-sided in the rate; the chi-square approximation is rough with few
    expected violations (:func:`statcraft.binomial_test` gives the exact binomial test).

    References
    ----------
    Kupiec, P. H. (1995). Techniques for verifying the accuracy of risk measurement models.
    *Journal of Derivatives* 3(2), 73-84.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.backtests import kupiec_test
    >>> hits = np.zeros(500, dtype=int)
    >>> hits[[40, 90, 140, 190, 240, 290, 340, 390, 440, 490]] = 1
    >>> res = kupiec_test(hits, level=0.99)
    >>> round(res.statistic, 3), round(res.pvalue, 3)
    (3.914, 0.048)
    """
    hits = _check_hits(violations)
    p = 1.0 - check_level(level)
    confidence_level = check_confidence_level(confidence_level)
    n, x = hits.size, int(hits.sum())
    stat = _lr_uc(n, x, p)
    estimate, _ = _rate_estimate(x, n, confidence_level, interval)
    return TestResult(
        statistic=stat,
        pvalue=_chi2_sf(stat, 1),
        df=1.0,
        alternative="two-sided",
        method="Kupiec proportion-of-failures test",
        estimate=estimate,
        details={
            "n": n,
            "n_violations": x,
            "expected_rate": p,
            "expected_violations": n * p,
            "level": 1.0 - p,
        },
    )


def christoffersen_test(
    violations: Any,
    level: float,
    *,
    confidence_level: float = 0.95,
    interval: IntervalMethod = "wilson",
) -> TestResult:
    r"""Christoffersen's (1998) conditional-coverage test: right violation rate, no clustering.

    Parameters
    ----------
    violations : array_like of 0/1 or bool
        The hit sequence in time order (at least 2 days).
    level : float
        The VaR confidence in (0, 1); expected violation rate ``1 - level``.
    confidence_level : float
        Level of the interval for the observed violation rate. Default 0.95.
    interval : {'wilson', 'clopper_pearson'}
        Interval method for the rate. Default Wilson.

    Returns
    -------
    TestResult
        ``statistic`` :math:`LR_{cc} = LR_{uc} + LR_{ind}`, ``df`` 2, chi-square ``pvalue``,
        ``estimate`` the violation rate; ``details``: ``independence_statistic``
        (:math:`LR_{ind}`) and ``independence_pvalue`` (:math:`\chi^2_1`),
        ``unconditional_statistic`` and ``unconditional_pvalue`` (Kupiec), the transition
        counts ``n00``, ``n01``, ``n10``, ``n11``, the estimated probabilities ``pi01``,
        ``pi11`` (NaN where no transition leaves that state) and ``pi``, ``n``,
        ``n_violations``, ``expected_rate``.

    Raises
    ------
    ValueError
        For fewer than 2 days, NaN, values other than 0/1/True/False, or ``level`` outside
        (0, 1).
    TypeError
        For non-numeric input.

    Notes
    -----
    :math:`n_{ij}` counts days with state :math:`j` after a day with state :math:`i`
    (1 = violation) over the :math:`T - 1` transitions; :math:`\hat\pi_{01} = n_{01}/(n_{00} +
    n_{01})`, :math:`\hat\pi_{11} = n_{11}/(n_{10} + n_{11})`, :math:`\hat\pi = (n_{01} +
    n_{11})/(T - 1)`. The independence statistic compares the first-order Markov chain with
    an iid sequence,

    .. math:: LR_{ind} = 2\left[n_{00}\log(1-\hat\pi_{01}) + n_{01}\log\hat\pi_{01}
              + n_{10}\log(1-\hat\pi_{11}) + n_{11}\log\hat\pi_{11}
              - (n_{00}+n_{10})\log(1-\hat\pi) - (n_{01}+n_{11})\log\hat\pi\right]
              \;\sim\; \chi^2_1,

    the likelihood-ratio (G) test of independence in the 2x2 table of transitions, and
    :math:`LR_{cc} = LR_{uc} + LR_{ind} \sim \chi^2_2` with Kupiec's :math:`LR_{uc}` on all
    :math:`T` days -- the decomposition used by rugarch's ``VaRTest`` and GAS's
    ``BacktestVaR`` (Christoffersen's joint statistic conditions on the first day; the two
    differ only through that day).

    Degenerate cells follow :math:`0 \log 0 = 0` (R's ``0^0 = 1`` in GAS's and rugarch's
    products): a row of the table with no transitions -- no violation before the last day, or
    no calm day -- contributes nothing, so :math:`LR_{ind} = 0` when there is no violation or
    every day is one, and :math:`n_{11} = 0` gives :math:`\hat\pi_{11} = 0` and a finite
    statistic. (rugarch's ``VaRTest`` stops with an error when there is no violation; GAS
    gives the values here.)

    With few violations the chi-square approximation is rough (Christoffersen 2012, ch. 13,
    recommends Monte Carlo p-values). Simulated rejection rates at 5 % of iid hit sequences
    (20 000 each): :math:`LR_{ind}` 8.6 % (:math:`T = 1000`, :math:`p = 5\%`), 5.4 %
    (:math:`T = 2500`, :math:`p = 5\%`), 1.6 % (:math:`T = 1000` or 2500, :math:`p = 1\%`);
    :math:`LR_{cc}` 5.6 %, 5.6 %, 2.6 % and 2.7 %.

    References
    ----------
    Christoffersen, P. F. (1998). Evaluating interval forecasts. *International Economic
    Review* 39(4), 841-862.

    Christoffersen, P. F. (2012). *Elements of Financial Risk Management*, 2nd ed., ch. 13.
    Academic Press.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.backtests import christoffersen_test
    >>> hits = np.zeros(312, dtype=int)
    >>> hits[[50, 100, 150, 200, 250]] = 1
    >>> res = christoffersen_test(hits, level=0.99)
    >>> round(res.statistic, 3), round(res.details["independence_statistic"], 3)
    (1.131, 0.163)
    """
    hits = _check_hits(violations)
    if hits.size < 2:
        raise ValueError(
            f"`violations` needs at least 2 days for the transition counts; got {hits.size}"
        )
    p = 1.0 - check_level(level)
    confidence_level = check_confidence_level(confidence_level)
    n, x = hits.size, int(hits.sum())
    n00, n01, n10, n11 = _transitions(hits)
    lr_uc = _lr_uc(n, x, p)
    lr_ind = _lr_ind(n00, n01, n10, n11)
    stat = lr_uc + lr_ind
    estimate, _ = _rate_estimate(x, n, confidence_level, interval)
    return TestResult(
        statistic=stat,
        pvalue=_chi2_sf(stat, 2),
        df=2.0,
        alternative="two-sided",
        method="Christoffersen conditional coverage test",
        estimate=estimate,
        details={
            "independence_statistic": lr_ind,
            "independence_pvalue": _chi2_sf(lr_ind, 1),
            "unconditional_statistic": lr_uc,
            "unconditional_pvalue": _chi2_sf(lr_uc, 1),
            "n00": n00,
            "n01": n01,
            "n10": n10,
            "n11": n11,
            "pi01": _ratio(n01, n00 + n01),
            "pi11": _ratio(n11, n10 + n11),
            "pi": (n01 + n11) / (n - 1),
            "n": n,
            "n_violations": x,
            "expected_rate": p,
        },
    )


def _mcneil_frey(
    r: np.ndarray,
    var: np.ndarray,
    es: np.ndarray,
    vol: np.ndarray | None,
    alternative: Literal["greater", "two-sided", "less"],
    n_resamples: int,
    rng: Any,
    *,
    warn: bool,
) -> TestResult:
    hit = r < -var
    resid = (-r[hit] - es[hit]) / (1.0 if vol is None else vol[hit])
    standardised = vol is not None
    method = "McNeil-Frey ES test (bootstrap t on exceedance residuals)"
    details: dict[str, Any] = {
        "n": r.size,
        "n_violations": int(hit.sum()),
        "residuals": resid,
        "standardized": standardised,
        "n_resamples": n_resamples,
    }
    note = ""
    if resid.size < 3:
        note = f"{resid.size} violation{'s' if resid.size != 1 else ''}: the test needs at least 3"
    elif float(np.ptp(resid)) == 0.0:
        note = "the exceedance residuals are all equal: the t statistic is undefined"
    if note:
        if warn:
            warnings.warn(f"McNeil-Frey test not computed: {note}", UserWarning, stacklevel=3)
        return _nan_result(method, alternative, note, details)
    res = bootstrap_test(resid, alternative=alternative, n_resamples=n_resamples, rng=rng)
    est = cast(Estimate, res.estimate)  # bootstrap_test always reports the mean
    what = "mean standardised exceedance residual" if standardised else "mean exceedance residual"
    estimate = Estimate(
        est.estimate,
        est.std_error,
        est.confidence_interval,
        est.confidence_level,
        f"{what} (bootstrap-t interval)",
        int(resid.size),
    )
    details["null_distribution"] = res.details["null_distribution"]
    return TestResult(
        statistic=res.statistic,
        pvalue=res.pvalue,
        df=None,
        alternative=alternative,
        method=method,
        estimate=estimate,
        details=details,
    )


def mcneil_frey_test(
    returns: Any,
    var: Any,
    es: Any,
    *,
    volatility: Any = None,
    alternative: Literal["greater", "two-sided", "less"] = "greater",
    n_resamples: int = 9999,
    nan_policy: Literal["raise", "omit"] = "raise",
    rng: Any = None,
) -> TestResult:
    r"""McNeil & Frey's (2000) test of ES forecasts from the losses beyond VaR.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns.
    var, es : array_like or pandas Series
        VaR and ES forecasts at the same level for the same dates, losses as positive
        numbers, ``es >= var``. Series are aligned on dates (see :func:`var_backtest`).
    volatility : array_like or pandas Series, optional
        Forecast volatility :math:`\sigma_t` (positive); when given, the residuals are
        standardised by it, as in McNeil & Frey.
    alternative : {'greater', 'two-sided', 'less'}
        ``'greater'`` (default): the mean residual is positive, i.e. ES is too small
        (risk underestimated), McNeil & Frey's one-sided test.
    n_resamples : int
        Bootstrap resamples, at least 99. Default 9999.
    nan_policy : {'raise', 'omit'}
        NaN after the first forecast: ``'raise'`` (an error) or ``'omit'`` (drop those
        dates). Leading dates without a forecast (NaN: a warm-up) are always dropped.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.

    Returns
    -------
    TestResult
        ``statistic`` the t statistic of the residuals, bootstrap ``pvalue``, ``estimate`` the
        mean residual with its bootstrap-t interval; ``details``: ``n``, ``n_violations``,
        ``residuals``, ``standardized``, ``n_resamples``, ``null_distribution``. With fewer than
        3 violations (or all residuals equal) the statistic and p-value are NaN, with a
        ``details['note']`` and a warning.

    Raises
    ------
    ValueError
        For empty input, NaN (with ``nan_policy='raise'``), inf, different lengths, misaligned
        dates, all-negative VaR, ES below VaR, non-positive volatility.
    TypeError
        For non-numeric input.

    Warns
    -----
    NegativeVaRWarning
        When some forecasts of VaR are negative.

    Notes
    -----
    On the violation days :math:`r_t < -\mathrm{VaR}_t` the exceedance residuals are

    .. math:: e_t = \frac{-r_t - \mathrm{ES}_t}{\sigma_t}

    (:math:`\sigma_t = 1` without ``volatility``). If the ES forecasts are right, the loss
    beyond VaR has conditional mean :math:`\mathrm{ES}_t`, so :math:`e_t` has mean zero. The
    test is the shifted, studentized bootstrap of :func:`statcraft.resampling.bootstrap_test`
    (Efron & Tibshirani 1993, Algorithm 16.2, as McNeil & Frey use): :math:`t = \bar e /
    (s/\sqrt m)` over the :math:`m` residuals, p-value :math:`(1 + \#\{t^* \ge t\})/(B + 1)`
    from :math:`B` resamples of :math:`e_t - \bar e`. The statistic is rugarch's ``ESTest``
    statistic (which reports a normal p-value). Unstandardised residuals are heteroscedastic
    when the forecast volatility moves; their mean is still zero under the null.

    References
    ----------
    McNeil, A. J. & Frey, R. (2000). Estimation of tail-related risk measures for
    heteroscedastic financial time series: an extreme value approach. *Journal of Empirical
    Finance* 7(3-4), 271-300.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from statcraft.finance.backtests import mcneil_frey_test
    >>> r = stats.t.rvs(4, size=2000, random_state=1) * 0.01
    >>> z = stats.norm.ppf(0.975)
    >>> var = np.full(r.size, 0.01 * np.sqrt(2) * z)            # normal VaR, same variance
    >>> es = np.full(r.size, 0.01 * np.sqrt(2) * stats.norm.pdf(z) / 0.025)
    >>> res = mcneil_frey_test(r, var, es, n_resamples=999, rng=0)
    >>> bool(res.pvalue < 0.05)   # a normal ES is too small for t(4) returns
    True
    """
    alternative = cast(
        Literal["greater", "two-sided", "less"],
        check_choice(alternative, "alternative", ("greater", "two-sided", "less")),
    )
    n_resamples = check_int(n_resamples, "n_resamples", min_value=99)
    inputs: dict[str, Any] = {"var": var, "es": es}
    if volatility is not None:
        inputs["volatility"] = volatility
    gen = as_generator(rng)
    r, arrays, _, _ = _aligned(returns, inputs, nan_policy)
    return _mcneil_frey(
        r,
        arrays["var"],
        arrays["es"],
        arrays.get("volatility"),
        alternative,
        n_resamples,
        gen,
        warn=True,
    )


def _standard_tail(distribution: str, nu: float | None, p: float) -> tuple[float, float]:
    """VaR and ES (positive losses) of the standard member of the family at tail prob. p."""
    if distribution == "normal":
        q = -float(special.ndtri(p))
        return q, float(stats.norm.pdf(q)) / p
    nu = float(cast(float, nu))
    q = -float(stats.t.ppf(p, nu))
    return q, (nu + q * q) / (nu - 1.0) * float(stats.t.pdf(q, nu)) / p


def _acerbi_szekely(
    r: np.ndarray,
    var: np.ndarray,
    es: np.ndarray,
    level: float,
    distribution: str,
    nu: float | None,
    n_simulations: int,
    gen: np.random.Generator,
) -> TestResult:
    p = 1.0 - level
    if np.any(es <= 0):
        raise ValueError("`es` must be positive for the Z2 statistic (it divides by ES)")
    if np.any(es <= var):
        raise ValueError(
            "`es` must be larger than `var` on every date for the simulated null (a "
            "location-scale distribution with VaR = ES has no spread)"
        )
    n = r.size
    hit = r < -var
    weight = 1.0 / (n * p * es)
    z2 = float(np.sum(r * hit * weight)) + 1.0
    q, e = _standard_tail(distribution, nu, p)
    sigma = (es - var) / (e - q)
    mu = sigma * q - var
    null = np.empty(n_simulations)
    step = max(1, _CHUNK // n)
    for start in range(0, n_simulations, step):
        m = min(step, n_simulations - start)
        draws = gen.standard_normal((m, n)) if nu is None else gen.standard_t(nu, (m, n))
        x = mu + sigma * draws
        null[start : start + m] = np.sum(x * (x < -var) * weight, axis=1) + 1.0
    pvalue = (1.0 + np.sum(null <= z2)) / (n_simulations + 1.0)
    family = "normal" if nu is None else f"Student t ({nu:g} df)"
    return TestResult(
        statistic=z2,
        pvalue=float(pvalue),
        df=None,
        alternative="less",
        method=f"Acerbi-Szekely Z2 ES test (simulated under a {family} null)",
        details={
            "n": n,
            "n_violations": int(hit.sum()),
            "expected_rate": p,
            "distribution": distribution,
            "nu": nu,
            "n_simulations": n_simulations,
            "null_distribution": null,
            "critical_value_5pct": float(np.quantile(null, 0.05)),
        },
    )


def acerbi_szekely_test(
    returns: Any,
    var: Any,
    es: Any,
    level: float,
    *,
    distribution: Literal["normal", "student_t"] = "normal",
    nu: float | None = None,
    n_simulations: int = 9999,
    nan_policy: Literal["raise", "omit"] = "raise",
    rng: Any = None,
) -> TestResult:
    r"""Acerbi & Székely's (2014) :math:`Z_2` test of ES forecasts, simulated p-value.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns.
    var, es : array_like or pandas Series
        VaR and ES forecasts at ``level`` (losses, positive; ``es > var``).
    level : float
        Confidence of the forecasts in (0, 1), e.g. 0.975 (the Basel ES level).
    distribution : {'normal', 'student_t'}
        Family of the predictive distributions simulated under the null (see Notes).
    nu : float, optional
        Degrees of freedom (> 1) for ``distribution='student_t'``; required there.
    n_simulations : int
        Simulated samples under the null, at least 99. Default 9999.
    nan_policy : {'raise', 'omit'}
        NaN after the first forecast: ``'raise'`` (an error) or ``'omit'`` (drop those
        dates). Leading dates without a forecast (NaN: a warm-up) are always dropped.
    rng : None, int or numpy.random.Generator
        Random source of the simulation.

    Returns
    -------
    TestResult
        ``statistic`` :math:`Z_2`, one-sided (``'less'``) simulated ``pvalue``;
        ``details``: ``n``, ``n_violations``, ``expected_rate``, ``distribution``, ``nu``,
        ``n_simulations``, ``null_distribution`` and ``critical_value_5pct``.

    Raises
    ------
    ValueError
        For bad input as :func:`mcneil_frey_test`, ``es <= var`` or ``es <= 0`` anywhere, a
        missing or invalid ``nu``.
    TypeError
        For non-numeric input.

    Notes
    -----
    With :math:`p = 1 - \text{level}`, :math:`I_t = 1\{r_t < -\mathrm{VaR}_t\}`,

    .. math:: Z_2 = \sum_{t=1}^T \frac{r_t I_t}{T\,p\,\mathrm{ES}_t} + 1,

    which has mean 0 when the forecasts are right and is negative when ES (or the violation
    rate) is underestimated; small values reject.

    *The null simulated.* :math:`Z_2`'s distribution depends on the whole predictive
    distribution :math:`P_t`, of which only VaR and ES are given. The p-value assumes that
    :math:`P_t` is the member of a location-scale family (normal, or Student t with ``nu``
    degrees of freedom) whose VaR and ES at ``level`` equal the forecasts: with the standard
    member's VaR :math:`q` and ES :math:`e`, :math:`\sigma_t = (\mathrm{ES}_t -
    \mathrm{VaR}_t)/(e - q)` and :math:`\mu_t = \sigma_t q - \mathrm{VaR}_t`. Returns are
    drawn independently from these :math:`P_t`, :math:`Z_2` computed on each sample, and the
    p-value is :math:`(1 + \#\{Z_2^* \le Z_2\})/(M + 1)`. Acerbi & Székely found the 5 %
    critical value close to -0.70 for :math:`T = 250`, :math:`p = 2.5\%` across families
    (the simulated normal null gives -0.70, ``tests/finance/test_backtests.py``), so the
    choice of family matters little except in very heavy tails.

    References
    ----------
    Acerbi, C. & Székely, B. (2014). Backtesting expected shortfall. *Risk*, December 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from statcraft.finance.backtests import acerbi_szekely_test
    >>> r = stats.norm.rvs(size=1000, random_state=2) * 0.01
    >>> z = stats.norm.ppf(0.975)
    >>> var = np.full(r.size, 0.01 * z)
    >>> es = np.full(r.size, 0.01 * stats.norm.pdf(z) / 0.025)
    >>> res = acerbi_szekely_test(r, var, es, 0.975, n_simulations=999, rng=0)
    >>> bool(res.pvalue > 0.05)
    True
    """
    level = check_level(level)
    distribution = cast(
        Literal["normal", "student_t"],
        check_choice(distribution, "distribution", ("normal", "student_t")),
    )
    nu_value = _check_nu(distribution, nu)
    n_simulations = check_int(n_simulations, "n_simulations", min_value=99)
    gen = as_generator(rng)
    r, arrays, _, _ = _aligned(returns, {"var": var, "es": es}, nan_policy)
    return _acerbi_szekely(
        r, arrays["var"], arrays["es"], level, distribution, nu_value, n_simulations, gen
    )


def _check_nu(distribution: str, nu: Any) -> float | None:
    if distribution == "normal":
        if nu is not None:
            raise ValueError("`nu` is only used with distribution='student_t'")
        return None
    if nu is None:
        raise ValueError("distribution='student_t' needs `nu`, the degrees of freedom (> 1)")
    value = check_finite_scalar(nu, "nu")
    if value <= 1:
        raise ValueError(f"`nu` must be > 1 (the ES of a t is finite only then); got {nu!r}")
    return value


def _forecast_columns(forecasts: Any, level: float) -> tuple[dict[str, Any], dict[str, str]]:
    """Pick the VaR / ES / volatility inputs from ``forecasts`` (see var_backtest)."""
    if not isinstance(forecasts, pd.DataFrame):
        return {"var": forecasts}, {"var": "forecasts"}
    label = f"{level:.10g}"
    cols = [str(c) for c in forecasts.columns]
    lookup = dict(zip(cols, forecasts.columns, strict=True))
    names: dict[str, str] = {}
    if f"var_{label}" in lookup:
        names["var"] = f"var_{label}"
        if f"es_{label}" in lookup:
            names["es"] = f"es_{label}"
    elif "var" in lookup:
        names["var"] = "var"
        if "es" in lookup:
            names["es"] = "es"
    else:
        levels = sorted(c[4:] for c in cols if c.startswith("var_"))
        hint = f"; it has VaR at levels {', '.join(levels)}" if levels else ""
        raise ValueError(
            f"`forecasts` has no column 'var_{label}' or 'var' for level={level:g} "
            f"(columns: {', '.join(cols)}){hint}"
        )
    if "volatility" in lookup:
        names["volatility"] = "volatility"
    return {k: forecasts[lookup[v]] for k, v in names.items()}, names


def var_backtest(
    returns: Any,
    forecasts: Any,
    level: float,
    *,
    es_test: Literal["mcneil_frey", "acerbi_szekely", "both", "none"] = "mcneil_frey",
    n_resamples: int = 9999,
    nan_policy: Literal["raise", "omit"] = "raise",
    rng: Any = None,
) -> pd.DataFrame:
    r"""Backtest VaR (and ES) forecasts: every test in one table.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns.
    forecasts : array_like, pandas Series or DataFrame
        The VaR forecasts (losses, positive) for the dates of ``returns``, or a DataFrame of
        forecasts. Columns of a DataFrame are chosen by ``level``: ``var_{level}`` and
        ``es_{level}`` (the level written with up to 10 significant digits, e.g.
        ``var_0.99``, ``es_0.975`` -- the columns of
        :func:`statcraft.finance.forecasts.var_es_forecast`), otherwise ``var`` and ``es``; a
        ``volatility`` column, if any, standardises the McNeil-Frey residuals. The ES test
        runs when an ES column is found.
    level : float
        The VaR confidence in (0, 1), e.g. 0.99.
    es_test : {'mcneil_frey', 'acerbi_szekely', 'both', 'none'}
        Which ES test to add when ES forecasts are given. Default McNeil-Frey (no
        distributional assumption); ``'acerbi_szekely'`` uses a normal null (see
        :func:`acerbi_szekely_test`).
    n_resamples : int
        Bootstrap resamples (McNeil-Frey) and null simulations (Acerbi-Székely), at least 99.
        Default 9999.
    nan_policy : {'raise', 'omit'}
        NaN after the first forecast (in the returns or a forecast column used):
        ``'raise'`` (an error) or ``'omit'`` (drop those dates). Leading dates without a
        forecast -- the NaN warm-up rows of a rolling forecast -- are always dropped.
    rng : None, int or numpy.random.Generator
        Random source of the ES tests.

    Returns
    -------
    pandas.DataFrame
        One row per test -- ``Kupiec``, ``Christoffersen independence``, ``Christoffersen
        conditional coverage``, then ``McNeil-Frey`` and/or ``Acerbi-Szekely Z2`` -- with
        columns ``test``, ``statistic``, ``df`` (NaN for the resampling tests), ``pvalue``,
        ``n`` (days tested), ``violations``, ``expected`` (:math:`n(1 - \text{level})`
        violations) and ``rate`` (observed violation rate). ``attrs`` records ``level``, the
        ``columns`` used and the number of ``warm_up`` dates dropped. An ES test with fewer
        than 3 violations has NaN statistic and p-value.

    Raises
    ------
    ValueError
        For empty input, NaN (with ``nan_policy='raise'``), inf, different lengths, forecast
        dates missing from ``returns``, no VaR column for ``level``, all-negative VaR, ES
        below VaR (or not above it, for the Acerbi-Székely test), non-positive volatility,
        ``level`` outside (0, 1).
    TypeError
        For non-numeric input.

    Warns
    -----
    NegativeVaRWarning
        When some VaR forecasts are negative (a predicted gain at the tail quantile; all
        negative is an error, as it almost always means return quantiles were passed).
    LooksLikePricesWarning
        When ``returns`` look like prices.

    Notes
    -----
    Alignment: arrays are matched by position. When ``returns`` is a Series and
    ``forecasts`` a Series or DataFrame with another index, every forecast date must be a
    date of ``returns`` and the backtest covers the forecast dates (a forecast series that
    starts after a warm-up is fine; a date missing from ``returns`` is an error). When
    ``returns`` is an array and ``forecasts`` has fewer rows and an integer index, its labels
    are positions in ``returns`` (as if ``returns`` were a Series with the default index).
    Leading NaN forecasts count as a warm-up and are dropped too. So the output of
    :func:`~statcraft.finance.forecasts.var_es_forecast` -- one row per forecast date, from
    ``start`` on -- can be passed as it is, with the returns it was computed from. The forecast on
    date :math:`t` must be made before :math:`t`. Tests: :func:`kupiec_test`,
    :func:`christoffersen_test`, :func:`mcneil_frey_test`, :func:`acerbi_szekely_test`.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from statcraft.finance.backtests import var_backtest
    >>> r = np.random.default_rng(3).normal(0, 0.01, 1000)
    >>> fc = pd.DataFrame({"var_0.99": 0.0233, "es_0.99": 0.0267}, index=range(1000))
    >>> table = var_backtest(r, fc, 0.99, n_resamples=999, rng=0)
    >>> list(table["test"])  # doctest: +NORMALIZE_WHITESPACE
    ['Kupiec', 'Christoffersen independence', 'Christoffersen conditional coverage',
     'McNeil-Frey']
    >>> int(table["violations"].iloc[0]), round(float(table["expected"].iloc[0]), 6)
    (11, 10.0)
    """
    level = check_level(level)
    es_test = cast(
        Literal["mcneil_frey", "acerbi_szekely", "both", "none"],
        check_choice(es_test, "es_test", ("mcneil_frey", "acerbi_szekely", "both", "none")),
    )
    n_resamples = check_int(n_resamples, "n_resamples", min_value=99)
    inputs, used = _forecast_columns(forecasts, level)
    if es_test == "none":
        inputs.pop("es", None)
        inputs.pop("volatility", None)
    elif "es" not in inputs:
        inputs.pop("volatility", None)
    gen = as_generator(rng)
    r, arrays, _, warm_up = _aligned(returns, inputs, nan_policy, min_size=2)
    hits = r < -arrays["var"]
    n, x = r.size, int(hits.sum())
    kup = kupiec_test(hits, level)
    cc = christoffersen_test(hits, level)
    rows: list[tuple[str, float, float, float]] = [
        ("Kupiec", kup.statistic, 1.0, kup.pvalue),
        (
            "Christoffersen independence",
            cc.details["independence_statistic"],
            1.0,
            cc.details["independence_pvalue"],
        ),
        ("Christoffersen conditional coverage", cc.statistic, 2.0, cc.pvalue),
    ]
    if "es" in arrays:
        if es_test in ("mcneil_frey", "both"):
            mf = _mcneil_frey(
                r,
                arrays["var"],
                arrays["es"],
                arrays.get("volatility"),
                "greater",
                n_resamples,
                gen,
                warn=False,
            )
            rows.append(("McNeil-Frey", mf.statistic, math.nan, mf.pvalue))
        if es_test in ("acerbi_szekely", "both"):
            asz = _acerbi_szekely(
                r, arrays["var"], arrays["es"], level, "normal", None, n_resamples, gen
            )
            rows.append(("Acerbi-Szekely Z2", asz.statistic, math.nan, asz.pvalue))
    table = pd.DataFrame(rows, columns=["test", "statistic", "df", "pvalue"])
    table["n"] = n
    table["violations"] = x
    table["expected"] = n * (1.0 - level)
    table["rate"] = x / n
    table.attrs = {
        "level": level,
        "columns": {k: used[k] for k in arrays if k in used},
        "warm_up": warm_up,
    }
    return table
