"""Input validation: one place that turns user input into clean arrays or raises a clear error.

Every public function validates its arguments here, once, before doing any work. Each helper
returns the normalised value and names the argument in its message, e.g.::

    x = check_array(x, "x", min_size=2, nan_policy=nan_policy)
    method = check_choice(method, "method", ("wilson", "wald"))
    confidence_level = check_confidence_level(confidence_level)

``TypeError`` is raised for a wrong type (strings where numbers are needed), ``ValueError`` for a
wrong value (empty, NaN, inf, out of range). Inputs are never modified: arrays are copied when
they must be changed.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "NanPolicy",
    "check_alternative",
    "check_array",
    "check_bool",
    "check_choice",
    "check_confidence_level",
    "check_count",
    "check_exact",
    "check_finite_scalar",
    "check_groups",
    "check_int",
    "check_matrix",
    "check_not_constant",
    "check_paired",
    "check_positive",
    "check_probability",
    "check_same_length",
    "check_series_nan_policy",
    "column_names",
]

NanPolicy = Literal["propagate", "raise", "omit"]
Alternative = Literal["two-sided", "less", "greater"]

_NAN_POLICIES = ("propagate", "raise", "omit")


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def check_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``; raise a message listing them otherwise.

    Examples
    --------
    >>> check_choice("wald", "method", ("wilson", "wald"))
    'wald'
    >>> check_choice("exact", "method", ("wilson", "wald"))
    Traceback (most recent call last):
    ...
    ValueError: `method` must be one of 'wilson', 'wald'; got 'exact'
    """
    allowed = ", ".join(repr(c) for c in choices)
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be a string, one of {allowed}; got {value!r}")
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {allowed}; got {value!r}")
    return value


def check_alternative(alternative: Any) -> str:
    """Validate ``alternative``: 'two-sided', 'less' or 'greater'."""
    return check_choice(alternative, "alternative", ("two-sided", "less", "greater"))


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool; only True/False (or numpy booleans) are accepted.

    Examples
    --------
    >>> check_bool(1, "paired")
    Traceback (most recent call last):
    ...
    TypeError: `paired` must be True or False; got 1
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False; got {value!r}")
    return bool(value)


def check_exact(value: Any) -> bool | None:
    """Validate ``exact``: True (exact inference), False (asymptotic) or None (automatic).

    Examples
    --------
    >>> check_exact(None) is None
    True
    >>> check_exact("exact")
    Traceback (most recent call last):
    ...
    TypeError: `exact` must be True, False or None; got 'exact'
    """
    if value is None:
        return None
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`exact` must be True, False or None; got {value!r}")
    return bool(value)


def check_series_nan_policy(nan_policy: Any) -> str:
    """Validate ``nan_policy`` of a time-series function: 'raise' or 'propagate', never 'omit'.

    Examples
    --------
    >>> check_series_nan_policy("propagate")
    'propagate'
    >>> check_series_nan_policy("omit")
    Traceback (most recent call last):
    ...
    ValueError: `nan_policy` cannot be 'omit' for a time series: dropping an observation shifts every later lag, so x[t - k] would no longer lie k periods before x[t]; fill the gaps, or pass nan_policy='propagate' for a NaN result
    """  # noqa: E501
    if isinstance(nan_policy, str) and nan_policy == "omit":
        raise ValueError(
            "`nan_policy` cannot be 'omit' for a time series: dropping an observation shifts "
            "every later lag, so x[t - k] would no longer lie k periods before x[t]; fill the "
            "gaps, or pass nan_policy='propagate' for a NaN result"
        )
    return check_choice(nan_policy, "nan_policy", ("raise", "propagate"))


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a finite float that is strictly positive.

    Examples
    --------
    >>> check_positive(0, "exposure")
    Traceback (most recent call last):
    ...
    ValueError: `exposure` must be positive; got 0
    """
    v = check_finite_scalar(value, name)
    if v <= 0:
        raise ValueError(f"`{name}` must be positive; got {value!r}")
    return v


def check_finite_scalar(value: Any, name: str) -> float:
    """Return ``value`` as a finite float; TypeError for non-numbers, ValueError for NaN/inf."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(f"`{name}` must be a real number; got {type(value).__name__} {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"`{name}` must be finite; got {v}")
    return v


def check_probability(
    value: Any, name: str, *, open_low: bool = True, open_high: bool = True
) -> float:
    """Return ``value`` as a float in (0, 1), with either end closed on request.

    Examples
    --------
    >>> check_probability(1.5, "p")
    Traceback (most recent call last):
    ...
    ValueError: `p` must be in (0, 1); got 1.5
    """
    v = check_finite_scalar(value, name)
    lo_ok = v > 0 if open_low else v >= 0
    hi_ok = v < 1 if open_high else v <= 1
    if not (lo_ok and hi_ok):
        interval = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
        raise ValueError(f"`{name}` must be in {interval}; got {value!r}")
    return v


def check_confidence_level(confidence_level: Any) -> float:
    """Validate ``confidence_level``: a float strictly between 0 and 1."""
    return check_probability(confidence_level, "confidence_level")


def check_int(
    value: Any, name: str, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """Return ``value`` as an int within bounds; floats with integral values are accepted.

    Examples
    --------
    >>> check_int(0, "n_resamples", min_value=1)
    Traceback (most recent call last):
    ...
    ValueError: `n_resamples` must be >= 1; got 0
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be an integer; got {value!r}")
    if isinstance(value, (numbers.Integral, np.integer)):
        v = int(value)  # exact: int(float(value)) would round beyond 2**53
    elif isinstance(value, (numbers.Real, np.floating)) and float(value).is_integer():
        v = int(float(value))
    elif isinstance(value, (numbers.Real, np.floating)):
        raise ValueError(f"`{name}` must be a whole number; got {value!r}")
    else:
        raise TypeError(f"`{name}` must be an integer; got {type(value).__name__} {value!r}")
    if min_value is not None and v < min_value:
        raise ValueError(f"`{name}` must be >= {min_value}; got {v}")
    if max_value is not None and v > max_value:
        raise ValueError(f"`{name}` must be <= {max_value}; got {v}")
    return v


def check_count(
    value: Any, name: str, *, max_value: int | None = None, max_name: str | None = None
) -> int:
    """Return a non-negative whole count, optionally at most ``max_value`` (named ``max_name``).

    Examples
    --------
    >>> check_count(12, "successes", max_value=10, max_name="n")
    Traceback (most recent call last):
    ...
    ValueError: `successes` (12) cannot exceed `n` (10)
    >>> check_count(-1, "successes")
    Traceback (most recent call last):
    ...
    ValueError: `successes` must be a non-negative count; got -1
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be a non-negative integer count; got {value!r}")
    if not isinstance(value, (numbers.Real, np.number)):
        raise TypeError(
            f"`{name}` must be a non-negative integer count; got {type(value).__name__} {value!r}"
        )
    if isinstance(value, (numbers.Integral, np.integer)):
        k = int(value)  # exact: int(float(value)) would round beyond 2**53
        if k < 0:
            raise ValueError(f"`{name}` must be a non-negative count; got {value!r}")
    else:
        v = float(value)
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"`{name}` must be a non-negative count; got {value!r}")
        if not v.is_integer():
            raise ValueError(f"`{name}` must be a whole number; got {value!r}")
        k = int(v)
    if max_value is not None and k > max_value:
        label = max_name or "the maximum"
        raise ValueError(f"`{name}` ({k}) cannot exceed `{label}` ({max_value})")
    return k


def _to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert to a float ndarray (always a new array), rejecting non-numeric input."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"`{name}` must be array-like of numbers; got a string {x!r}")
    if isinstance(x, pd.DataFrame):
        bad = [c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])]
        if bad:
            raise TypeError(f"`{name}` has non-numeric columns: {', '.join(map(str, bad))}")
        return x.to_numpy(dtype=float, na_value=np.nan, copy=True)
    if isinstance(x, pd.Series):
        if not pd.api.types.is_numeric_dtype(x):
            raise TypeError(f"`{name}` must contain numbers; got a Series of dtype {x.dtype}")
        return x.to_numpy(dtype=float, na_value=np.nan, copy=True)
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise TypeError(f"`{name}` must be array-like of numbers: {exc}") from None
    if arr.dtype.kind in "biuf":
        return np.array(arr, dtype=float, copy=True)
    if arr.dtype.kind == "c":
        raise TypeError(f"`{name}` must contain real numbers; got complex values")
    if arr.dtype.kind == "O":
        try:
            return np.array(
                [np.nan if v is None or v is pd.NA else v for v in arr.ravel()], dtype=float
            ).reshape(arr.shape)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"`{name}` must contain numbers; got values of dtype {arr.dtype}")


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int = 1,
    min_size: int = 1,
    nan_policy: str = "raise",
    allow_inf: bool = False,
    suggest_omit: bool = True,
) -> np.ndarray:
    """Return ``x`` as a new float array of ``ndim`` dimensions, or raise a clear error.

    Parameters
    ----------
    x : array_like
        A sequence, NumPy array, pandas Series, or (for ``ndim=2``) DataFrame of numbers.
    name : str
        The argument's name, used in error messages.
    ndim : {1, 2}
        Required dimensionality. For ``ndim=1`` a 2-D input with a single column or row is
        flattened; for ``ndim=2`` a 1-D input becomes one column.
    min_size : int
        Minimum number of observations (rows for 2-D) after NaN handling.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop NaN (rows containing NaN for 2-D).
        ``'propagate'``: keep NaN; the caller returns NaN results.
    allow_inf : bool
        Whether infinite values are allowed (they never are by default).
    suggest_omit : bool
        Whether the NaN error suggests ``nan_policy='omit'``; pass False from functions that
        have no ``nan_policy`` option.

    Returns
    -------
    numpy.ndarray
        A float64 array that does not share memory with ``x``.

    Raises
    ------
    TypeError
        If ``x`` is a string or holds non-numeric values.
    ValueError
        If ``x`` is empty, has the wrong shape, contains NaN (with ``nan_policy='raise'``) or
        inf, or has fewer than ``min_size`` observations.

    Examples
    --------
    >>> check_array([1, 2, float("nan")], "x", nan_policy="omit")
    array([1., 2.])
    >>> check_array([1, 2, float("nan")], "x")
    Traceback (most recent call last):
    ...
    ValueError: `x` has 1 NaN value; pass nan_policy='omit' to drop it
    >>> check_array(["a", "b"], "x")
    Traceback (most recent call last):
    ...
    TypeError: `x` must contain numbers; got values of dtype <U1
    """
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)
    arr = _to_float_array(x, name)
    if ndim == 1:
        if arr.ndim == 0:
            arr = arr.reshape(1)
        elif arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        elif arr.ndim != 1:
            raise ValueError(f"`{name}` must be one-dimensional; got shape {arr.shape}")
    elif ndim == 2:
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        elif arr.ndim != 2:
            raise ValueError(f"`{name}` must be two-dimensional; got shape {arr.shape}")
    else:
        raise ValueError(f"check_array supports ndim 1 or 2; got {ndim}")
    if arr.shape[0] == 0 or arr.size == 0:
        raise ValueError(f"`{name}` is empty")
    nan_mask = np.isnan(arr)
    n_nan = int(nan_mask.sum())
    if not allow_inf and np.isinf(arr).any():
        k = int(np.isinf(arr).sum())
        raise ValueError(f"`{name}` has {_plural(k, 'infinite value')}; remove or replace them")
    if n_nan:
        if n_nan == arr.size:
            raise ValueError(f"`{name}` is all NaN")
        if nan_policy == "raise":
            it = "it" if n_nan == 1 else "them"
            hint = (
                f"pass nan_policy='omit' to drop {it}"
                if suggest_omit
                else f"remove {it} first (missing values are not allowed here)"
            )
            raise ValueError(f"`{name}` has {_plural(n_nan, 'NaN value')}; {hint}")
        if nan_policy == "omit":
            arr = arr[~nan_mask] if ndim == 1 else arr[~nan_mask.any(axis=1)]
    n_obs = arr.shape[0]
    if n_obs < min_size:
        what = "observations" if n_nan == 0 or nan_policy != "omit" else "non-NaN observations"
        raise ValueError(f"`{name}` needs at least {min_size} {what}; got {n_obs}")
    return arr


def check_matrix(x: Any, name: str, *, min_rows: int = 1, nan_policy: str = "raise") -> np.ndarray:
    """Return a 2-D float array (rows are observations); see :func:`check_array`."""
    return check_array(x, name, ndim=2, min_size=min_rows, nan_policy=nan_policy)


def check_same_length(**arrays: Any) -> None:
    """Raise ValueError naming the arguments when the arrays differ in length.

    Examples
    --------
    >>> check_same_length(x=[1, 2, 3], y=[1, 2])
    Traceback (most recent call last):
    ...
    ValueError: `x` and `y` must have the same length; got 3 and 2
    """
    names = list(arrays)
    lengths = [len(a) for a in arrays.values()]
    if len(set(lengths)) > 1:
        quoted = (
            " and ".join(f"`{n}`" for n in names)
            if len(names) == 2
            else ", ".join(f"`{n}`" for n in names)
        )
        raise ValueError(
            f"{quoted} must have the same length; got {' and '.join(map(str, lengths))}"
        )


def check_paired(
    x: Any,
    y: Any,
    names: tuple[str, str] = ("x", "y"),
    *,
    min_size: int = 1,
    nan_policy: str = "raise",
) -> tuple[np.ndarray, np.ndarray]:
    """Validate two paired 1-D samples of equal length; ``'omit'`` drops incomplete pairs.

    Examples
    --------
    >>> x, y = check_paired([1, 2, float("nan")], [4, 5, 6], nan_policy="omit")
    >>> x, y
    (array([1., 2.]), array([4., 5.]))
    """
    nx, ny = names
    xa = check_array(x, nx, nan_policy="propagate" if nan_policy == "omit" else nan_policy)
    ya = check_array(y, ny, nan_policy="propagate" if nan_policy == "omit" else nan_policy)
    check_same_length(**{nx: xa, ny: ya})
    if nan_policy == "omit":
        keep = ~(np.isnan(xa) | np.isnan(ya))
        xa, ya = xa[keep], ya[keep]
    if xa.size < min_size:
        raise ValueError(
            f"`{nx}` and `{ny}` need at least {min_size} complete pairs; got {xa.size}"
        )
    return xa, ya


def check_groups(
    groups: Sequence[Any],
    name: str = "groups",
    *,
    min_groups: int = 2,
    min_size: int = 1,
    nan_policy: str = "raise",
) -> list[np.ndarray]:
    """Validate the samples of a k-sample test: ``f(*groups)`` with ``groups`` its ``*args``.

    A single dict (its values) or a single list/tuple of 1-D samples is unpacked. Each group
    is checked by :func:`check_array` under the name ``groups[i]``; under
    ``nan_policy='propagate'`` the arrays keep their NaN for the caller to detect.

    Examples
    --------
    >>> [g.tolist() for g in check_groups(([1, 2], [3, 4]))]
    [[1.0, 2.0], [3.0, 4.0]]
    >>> check_groups(([1, 2],))
    Traceback (most recent call last):
    ...
    ValueError: `groups` needs at least 2 groups; got 1
    >>> check_groups(([1, 2], [3]), min_size=2)
    Traceback (most recent call last):
    ...
    ValueError: `groups[1]` needs at least 2 observations; got 1
    """
    if len(groups) == 1 and isinstance(groups[0], dict):
        groups = tuple(groups[0].values())
    elif len(groups) == 1 and isinstance(groups[0], (list, tuple)) and len(groups[0]) >= 2:
        first = groups[0]
        if all(np.ndim(g) == 1 and not isinstance(g, str) for g in first):
            groups = tuple(first)
    if len(groups) < min_groups:
        raise ValueError(f"`{name}` needs at least {min_groups} groups; got {len(groups)}")
    return [
        check_array(g, f"{name}[{i}]", min_size=min_size, nan_policy=nan_policy)
        for i, g in enumerate(groups)
    ]


def check_not_constant(x: np.ndarray, name: str, why: str, *, scale: float | None = None) -> None:
    """Raise ValueError when all values of ``x`` are equal, saying why it matters.

    With ``scale`` (the magnitude of the data ``x`` was computed from, e.g. ``max |x|, |y|``
    for differences ``x - y``) values that differ only by rounding (a range of at most
    ``16 eps scale``) also count as constant, as R's "data are essentially constant".

    Examples
    --------
    >>> import numpy as np
    >>> check_not_constant(np.array([3.0, 3.0]), "x", "the t interval needs a positive variance")
    Traceback (most recent call last):
    ...
    ValueError: `x` is constant (all values are 3); the t interval needs a positive variance
    """
    finite = x[np.isfinite(x)]
    if not finite.size:
        return
    spread = float(np.ptp(finite))
    tol = 0.0 if scale is None else 16.0 * np.finfo(float).eps * abs(scale)
    if spread <= tol:
        raise ValueError(f"`{name}` is constant (all values are {finite.flat[0]:g}); {why}")


def column_names(x: Any, default_prefix: str = "x") -> list[str]:
    """Names for the columns of ``x``: DataFrame columns, a Series name, or ``x1, x2, ...``.

    Examples
    --------
    >>> import pandas as pd
    >>> column_names(pd.DataFrame({"a": [1], "b": [2]}))
    ['a', 'b']
    >>> column_names([[1, 2], [3, 4]])
    ['x1', 'x2']
    """
    if isinstance(x, pd.DataFrame):
        return [str(c) for c in x.columns]
    if isinstance(x, pd.Series):
        return [str(x.name) if x.name is not None else default_prefix]
    arr = np.asarray(x)
    k = 1 if arr.ndim <= 1 else arr.shape[1]
    return (
        [default_prefix]
        if k == 1 and arr.ndim <= 1
        else [f"{default_prefix}{i + 1}" for i in range(k)]
    )
