"""Input checks shared by :mod:`statcraft.finance`: return series, price series, dates, levels.

Every public finance function validates through here, so the messages are the same everywhere:
they name the argument and say what was wrong. Nothing here modifies the caller's data (the
arrays returned are new).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from statcraft._validation import check_array, check_choice, check_int

__all__ = [
    "LooksLikePricesWarning",
    "check_dates",
    "check_level",
    "check_prices",
    "check_returns",
    "check_returns_matrix",
    "check_window",
    "wrap_like",
]


class LooksLikePricesWarning(UserWarning):
    """Values passed as returns look like prices (or gross returns): all positive and large."""


def check_level(level: Any, name: str = "level") -> float:
    """Return a VaR/ES level (the confidence, e.g. 0.99) as a float strictly inside (0, 1)."""
    if isinstance(level, (bool, np.bool_)) or not isinstance(level, (int, float, np.number)):
        raise TypeError(f"`{name}` must be a number in (0, 1); got {level!r}")
    value = float(level)
    if not 0.0 < value < 1.0:
        raise ValueError(f"`{name}` must be in (0, 1), e.g. 0.99 for 99% VaR; got {level!r}")
    return value


def check_dates(index: Any, name: str) -> None:
    """Require a datetime-like index to be strictly increasing (sorted, no duplicated dates)."""
    if not isinstance(index, pd.Index) or not (
        isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))
        or pd.api.types.is_datetime64_any_dtype(index)
    ):
        return
    if index.hasnans:
        raise ValueError(f"`{name}` has missing dates in its index")
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ValueError(f"`{name}` has duplicated dates in its index (first: {dup})")
    if not index.is_monotonic_increasing:
        values = np.asarray(index)
        first = int(np.flatnonzero(values[1:] < values[:-1])[0]) + 1
        raise ValueError(
            f"`{name}` dates are not in increasing order (first out of order: {index[first]}); "
            "sort it first, e.g. returns.sort_index()"
        )


def _warn_if_prices(arr: np.ndarray, name: str, stacklevel: int) -> None:
    finite = arr[np.isfinite(arr)]
    if finite.size >= 2 and bool(np.all(finite > 0)) and float(np.median(finite)) > 0.5:
        warnings.warn(
            f"`{name}` looks like prices or gross returns (all positive, median "
            f"{float(np.median(finite)):.3g}); pass returns, e.g. simple_returns(prices) or "
            "log_returns(prices)",
            LooksLikePricesWarning,
            stacklevel=stacklevel,
        )


def check_returns(
    returns: Any,
    name: str = "returns",
    *,
    min_size: int = 2,
    nan_policy: str = "raise",
    warn_prices: bool = True,
    stacklevel: int = 4,
) -> tuple[np.ndarray, pd.Index | None]:
    """Return a 1-D float array of returns and the Series' index (None for arrays).

    Raises on empty, non-numeric, inf, NaN (unless ``nan_policy='omit'``, which drops them and
    their dates), too few observations, and unsorted or duplicated dates; warns with
    :class:`LooksLikePricesWarning` when the values look like prices.
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    index = returns.index if isinstance(returns, pd.Series) else None
    if index is not None:
        check_dates(index, name)
    arr = check_array(returns, name, min_size=1, nan_policy="propagate")
    keep = ~np.isnan(arr)
    if not keep.all():
        n_nan = int((~keep).sum())
        if nan_policy == "raise":
            raise ValueError(
                f"`{name}` has {n_nan} NaN value{'s' if n_nan > 1 else ''} (gaps in the series); "
                "fill or drop them, or pass nan_policy='omit' to drop those dates"
            )
        arr = arr[keep]
        if index is not None:
            index = index[keep]
    if arr.size < min_size:
        raise ValueError(f"`{name}` needs at least {min_size} observations; got {arr.size}")
    if warn_prices:
        _warn_if_prices(arr, name, stacklevel)
    return arr, index


def check_returns_matrix(
    returns: Any,
    name: str = "returns",
    *,
    min_rows: int = 2,
    warn_prices: bool = True,
    stacklevel: int = 4,
) -> tuple[np.ndarray, pd.Index | None, list[str]]:
    """Return a 2-D float array (rows = dates, columns = assets), its index and column names.

    A Series or 1-D input becomes one column. NaN is an error (a panel with gaps needs an
    explicit decision by the caller).
    """
    if isinstance(returns, pd.DataFrame):
        index: pd.Index | None = returns.index
        columns = [str(c) for c in returns.columns]
    elif isinstance(returns, pd.Series):
        index = returns.index
        columns = [str(returns.name) if returns.name is not None else "asset"]
    else:
        index = None
        arr0 = np.asarray(returns)
        k = 1 if arr0.ndim < 2 else arr0.shape[1]
        columns = [f"asset{i}" for i in range(k)] if k > 1 else ["asset"]
    if index is not None:
        check_dates(index, name)
    arr = check_array(returns, name, ndim=2, min_size=min_rows, suggest_omit=False)
    if warn_prices:
        _warn_if_prices(arr, name, stacklevel)
    return arr, index, columns


def check_prices(prices: Any, name: str = "prices", *, min_size: int = 2) -> np.ndarray:
    """Return a 1-D or 2-D float array of strictly positive prices (NaN is an error)."""
    arr = np.asarray(prices)
    ndim = 2 if arr.ndim == 2 and arr.shape[1] > 1 else 1
    if isinstance(prices, (pd.Series, pd.DataFrame)):
        check_dates(prices.index, name)
    out = check_array(prices, name, ndim=ndim, min_size=min_size, suggest_omit=False)
    if np.any(out <= 0):
        k = int(np.sum(out <= 0))
        raise ValueError(
            f"`{name}` must be strictly positive prices; got {k} value{'s' if k > 1 else ''} "
            "<= 0 (pass returns to a function that takes returns)"
        )
    return out


def check_window(window: Any, n: int, name: str = "window", *, minimum: int = 2) -> int:
    """Return a window length between ``minimum`` and the number of observations ``n``."""
    w = check_int(window, name, min_value=minimum)
    if w > n:
        raise ValueError(f"`{name}` = {w} is longer than the series ({n} observations)")
    return w


def wrap_like(
    values: np.ndarray, like: Any, index: pd.Index | None, name: str | None = None
) -> Any:
    """Return ``values`` as a Series on ``index`` when ``like`` was a Series, else the array."""
    if isinstance(like, pd.Series) and index is not None:
        return pd.Series(values, index=index, name=like.name if name is None else name)
    if isinstance(like, pd.DataFrame) and index is not None and values.ndim == 2:
        return pd.DataFrame(values, index=index, columns=like.columns)
    return values
