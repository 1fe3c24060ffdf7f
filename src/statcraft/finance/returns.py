r"""Returns from prices, excess returns, annualisation and cumulative growth.

Two kinds of return are used in finance and mixing them is a classic silent error:

- the *simple* return :math:`R_t = P_t / P_{t-1} - 1` aggregates across assets (a portfolio's
  return is the weighted sum of its assets' simple returns) and compounds over time as
  :math:`\prod_t (1 + R_t)`;
- the *log* return :math:`r_t = \log(P_t / P_{t-1}) = \log(1 + R_t)` adds over time and is what
  volatility models (GARCH, stochastic volatility) are written for.

Every function here takes the kind explicitly where it matters, keeps a pandas index (a Series
in gives a Series out), and never modifies its input.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import check_array, check_choice, check_int
from statcraft.finance._checks import check_dates, check_prices, check_returns, check_returns_matrix

__all__ = ["annualize", "cumulative_returns", "excess_returns", "log_returns", "simple_returns"]

Kind = Literal["simple", "log"]


def _price_returns(prices: Any, log: bool) -> Any:
    arr = check_prices(prices, "prices")
    ratio = arr[1:] / arr[:-1]
    values = np.log(ratio) if log else ratio - 1.0
    if isinstance(prices, pd.DataFrame):
        return pd.DataFrame(values, index=prices.index[1:], columns=prices.columns)
    if isinstance(prices, pd.Series):
        return pd.Series(values, index=prices.index[1:], name=prices.name)
    return values


def simple_returns(prices: Any) -> Any:
    r"""Compute simple (arithmetic) returns :math:`P_t / P_{t-1} - 1` from prices.

    Parameters
    ----------
    prices : array_like, pandas Series or DataFrame
        Strictly positive prices in time order (a DataFrame holds one asset per column).

    Returns
    -------
    numpy.ndarray, pandas Series or DataFrame
        One return fewer than prices; a Series or DataFrame keeps the index (from the second
        date on) and the name or columns.

    Raises
    ------
    ValueError
        If ``prices`` is empty, has fewer than two values, contains NaN, inf or a value
        :math:`\le 0`, or its dates are unsorted or duplicated.
    TypeError
        If ``prices`` is not numeric.

    See Also
    --------
    log_returns : :math:`\log(P_t / P_{t-1})`.

    Examples
    --------
    >>> from statcraft.finance import simple_returns
    >>> simple_returns([100.0, 110.0, 99.0])
    array([ 0.1, -0.1])
    """
    return _price_returns(prices, log=False)


def log_returns(prices: Any) -> Any:
    r"""Compute log (continuously compounded) returns :math:`\log(P_t / P_{t-1})` from prices.

    Parameters
    ----------
    prices : array_like, pandas Series or DataFrame
        Strictly positive prices in time order (a DataFrame holds one asset per column).

    Returns
    -------
    numpy.ndarray, pandas Series or DataFrame
        One return fewer than prices, with the index from the second date on.

    Raises
    ------
    ValueError
        If ``prices`` is empty, has fewer than two values, contains NaN, inf or a value
        :math:`\le 0`, or its dates are unsorted or duplicated.
    TypeError
        If ``prices`` is not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance import log_returns
    >>> np.round(log_returns([100.0, 110.0, 99.0]), 6)
    array([ 0.09531 , -0.105361])
    """
    return _price_returns(prices, log=True)


def _aligned_risk_free(risk_free: Any, returns: Any, n: int) -> np.ndarray | float:
    """Return the risk-free rate as a scalar or an array aligned with ``returns``."""
    if np.ndim(risk_free) == 0:
        value = check_array(risk_free, "risk_free", suggest_omit=False)[0]
        return float(value)
    if isinstance(risk_free, pd.Series) and isinstance(returns, (pd.Series, pd.DataFrame)):
        check_dates(risk_free.index, "risk_free")
        if not risk_free.index.equals(returns.index):
            missing = returns.index.difference(risk_free.index)
            if len(missing):
                raise ValueError(
                    f"`risk_free` has no value for {len(missing)} of the returns' dates "
                    f"(first: {missing[0]}); align it with the returns first"
                )
            risk_free = risk_free.reindex(returns.index)
    rf = check_array(risk_free, "risk_free", suggest_omit=False)
    if rf.size != n:
        raise ValueError(
            f"`risk_free` has {rf.size} values but `returns` has {n}; pass a scalar or a series "
            "aligned with the returns"
        )
    return rf


def excess_returns(returns: Any, risk_free: Any) -> Any:
    """Subtract a risk-free rate from returns: :math:`R_t - R^f_t`.

    Parameters
    ----------
    returns : array_like, pandas Series or DataFrame
        Per-period decimal returns (a DataFrame holds one asset per column).
    risk_free : float or array_like
        The risk-free rate *for the same period* (a monthly rate for monthly returns), as a
        scalar or a series aligned with ``returns``. A pandas Series is aligned on the returns'
        dates; a missing date is an error.

    Returns
    -------
    numpy.ndarray, pandas Series or DataFrame
        Same shape and index as ``returns``.

    Raises
    ------
    ValueError
        If either input has NaN or inf, the lengths differ, or ``risk_free`` lacks some of the
        returns' dates.

    Examples
    --------
    >>> from statcraft.finance import excess_returns
    >>> excess_returns([0.02, -0.01, 0.03], 0.001)
    array([ 0.019, -0.011,  0.029])
    """
    if isinstance(returns, pd.DataFrame):
        arr, index, _ = check_returns_matrix(returns, "returns", min_rows=1)
        rf = _aligned_risk_free(risk_free, returns, arr.shape[0])
        values = arr - (rf[:, None] if isinstance(rf, np.ndarray) else rf)
        return pd.DataFrame(values, index=index, columns=returns.columns)
    arr1, index1 = check_returns(returns, "returns", min_size=1)
    rf1 = _aligned_risk_free(risk_free, returns, arr1.size)
    values1 = arr1 - rf1
    if isinstance(returns, pd.Series):
        return pd.Series(values1, index=index1, name=returns.name)
    return values1


def _reduce_columns(returns: Any, func: Any) -> Any:
    """Apply ``func`` to each column of a DataFrame (a Series out) or to one series."""
    if isinstance(returns, pd.DataFrame):
        arr, _, _ = check_returns_matrix(returns, "returns", min_rows=1)
        return pd.Series([func(arr[:, j]) for j in range(arr.shape[1])], index=returns.columns)
    arr1, _ = check_returns(returns, "returns", min_size=1)
    return func(arr1)


def annualize(
    returns: Any,
    *,
    periods_per_year: int,
    kind: Kind = "simple",
    statistic: Literal["return", "volatility"] = "return",
) -> Any:
    r"""Annualise the return or volatility of per-period returns.

    Parameters
    ----------
    returns : array_like, pandas Series or DataFrame
        Per-period decimal returns (a DataFrame: one asset per column).
    periods_per_year : int
        12 for monthly, 52 for weekly, 252 for daily trading-day returns.
    kind : {'simple', 'log'}
        The kind of return given. Simple returns are compounded (the geometric mean);
        log returns are summed.
    statistic : {'return', 'volatility'}
        ``'return'``: the compound annual growth rate. ``'volatility'``: the standard deviation
        scaled by :math:`\sqrt{m}` (``ddof=1``).

    Returns
    -------
    float or pandas Series
        One number per asset (a Series indexed by column for a DataFrame).

    Raises
    ------
    ValueError
        If ``returns`` is empty or has NaN/inf, a simple return is :math:`\le -1` (a total loss
        cannot be compounded), or ``periods_per_year`` is not a positive integer.

    Notes
    -----
    With :math:`n` returns and :math:`m` periods per year:

    - simple: :math:`\bigl(\prod_t (1 + R_t)\bigr)^{m/n} - 1`;
    - log: :math:`\exp\bigl(\tfrac{m}{n}\sum_t r_t\bigr) - 1`, the same growth rate
      expressed as a simple annual return;
    - volatility: :math:`s\sqrt{m}`, which assumes uncorrelated returns (Lo, 2002, shows the
      scaling is biased under serial correlation).

    References
    ----------
    .. [1] Lo, A. W. (2002). The statistics of Sharpe ratios. Financial Analysts Journal
       58(4), 36-52.

    Examples
    --------
    >>> from statcraft.finance import annualize
    >>> round(annualize([0.01] * 12, periods_per_year=12), 6)
    0.126825
    >>> round(annualize([0.01, -0.01] * 6, periods_per_year=12, statistic="volatility"), 4)
    0.0362
    """
    m = check_int(periods_per_year, "periods_per_year", min_value=1)
    check_choice(kind, "kind", ("simple", "log"))
    check_choice(statistic, "statistic", ("return", "volatility"))

    def one(r: np.ndarray) -> float:
        if statistic == "volatility":
            if r.size < 2:
                raise ValueError("`returns` needs at least 2 observations for a volatility")
            return float(np.std(r, ddof=1) * np.sqrt(m))
        if kind == "simple" and np.any(r <= -1.0):
            raise ValueError("`returns` has a simple return <= -1 (a total loss); cannot compound")
        growth = np.sum(r if kind == "log" else np.log1p(r)) * m / r.size
        if growth > np.log(np.finfo(float).max):
            raise ValueError(
                "`returns` compound to an annual growth that overflows a float; are these "
                "prices or percentages rather than decimal returns?"
            )
        return float(np.expm1(growth))

    return _reduce_columns(returns, one)


def cumulative_returns(returns: Any, *, kind: Kind = "simple") -> Any:
    r"""Compute the cumulative return to each date: the growth of one unit, minus one.

    Parameters
    ----------
    returns : array_like, pandas Series or DataFrame
        Per-period decimal returns in time order.
    kind : {'simple', 'log'}
        ``'simple'``: :math:`\prod_{s \le t}(1 + R_s) - 1`. ``'log'``:
        :math:`\exp(\sum_{s \le t} r_s) - 1`.

    Returns
    -------
    numpy.ndarray, pandas Series or DataFrame
        Same shape and index as ``returns``; add one for a wealth index (e.g. for
        :func:`~statcraft.finance.max_drawdown`).

    Raises
    ------
    ValueError
        If ``returns`` is empty or has NaN/inf, its dates are unsorted or duplicated, or a
        simple return is below -1.

    Examples
    --------
    >>> from statcraft.finance import cumulative_returns
    >>> cumulative_returns([0.1, -0.1, 0.05]).round(6)
    array([ 0.1  , -0.01 ,  0.0395])
    """
    check_choice(kind, "kind", ("simple", "log"))
    if isinstance(returns, pd.DataFrame):
        arr, index, _ = check_returns_matrix(returns, "returns", min_rows=1)
    else:
        arr, index = check_returns(returns, "returns", min_size=1)
    if kind == "simple":
        if np.any(arr < -1.0):
            raise ValueError("`returns` has a simple return below -1; simple returns are >= -1")
        with np.errstate(divide="ignore"):
            growth = np.log1p(arr)
    else:
        growth = arr
    with np.errstate(over="ignore"):  # prices passed as returns overflow; they were warned of
        values = np.expm1(np.cumsum(growth, axis=0))
    if isinstance(returns, pd.DataFrame):
        return pd.DataFrame(values, index=index, columns=returns.columns)
    if isinstance(returns, pd.Series):
        return pd.Series(values, index=index, name=returns.name)
    return values
