"""Input preparation shared by the scoring rules and calibration checks."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from statcraft._validation import check_array, check_choice

__all__: list[str] = []

NanPolicy = Literal["raise", "omit", "propagate"]


def _like(
    x: Any, name: str, n: int, *, y_name: str = "y_true", nan_policy: str = "raise"
) -> np.ndarray:
    """Return a per-observation array of length ``n``; a single value is broadcast."""
    arr = check_array(x, name, nan_policy=nan_policy)
    if arr.size == 1 and n != 1:
        return np.full(n, arr[0])
    if arr.size != n:
        raise ValueError(
            f"`{name}` must have one value per observation of `{y_name}` ({n}) or a single "
            f"value; got {arr.size}"
        )
    return arr


def _draws(samples: Any, n: int, name: str = "samples", nan_policy: str = "raise") -> np.ndarray:
    """Validate predictive draws of shape ``(n_draws, n_obs)``; 1-D draws only for one obs."""
    if isinstance(samples, (str, bytes)):
        raise TypeError(f"`{name}` must be an array of numbers; got a string")
    arr = np.asarray(samples)
    if arr.ndim == 1 and n == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.shape[1] != n:
        raise ValueError(
            f"`{name}` must have shape (n_draws, n_obs) with n_obs = len(y_true) = {n}; "
            f"got shape {arr.shape}"
        )
    return check_array(arr, name, ndim=2, nan_policy=nan_policy)


def _check_probabilities(arr: np.ndarray, name: str) -> None:
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        raise ValueError(
            f"`{name}` must hold probabilities in [0, 1]; {int(bad.sum())} value(s) outside, "
            f"e.g. {arr[bad][0]:g}"
        )


def _check_binary(arr: np.ndarray, name: str) -> None:
    bad = (arr != 0) & (arr != 1) & ~np.isnan(arr)
    if bad.any():
        raise ValueError(f"`{name}` must hold binary outcomes 0/1; got e.g. {arr[bad][0]:g}")


def _check_bounds(low: np.ndarray, high: np.ndarray) -> None:
    """Raise when an interval's ``low`` exceeds its ``high`` (NaN bounds pass)."""
    bad = low > high
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"`low` must not exceed `high`; at position {i}: {low[i]:g} > {high[i]:g}")


def _prepare(
    nan_policy: Any,
    y: Any,
    params: dict[str, Any],
    *,
    y_name: str = "y_true",
    draws: tuple[str, Any] | None = None,
    binary_y: bool = False,
    probabilities: tuple[str, ...] = (),
    policies: tuple[str, ...] = ("raise", "omit", "propagate"),
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray | None]:
    """Validate ``y_true``, per-observation ``params`` and optional draws; apply nan_policy."""
    policy = check_choice(nan_policy, "nan_policy", policies)
    inner = "raise" if policy == "raise" else "propagate"
    ya = check_array(y, y_name, nan_policy=inner)
    arrays = {k: _like(v, k, ya.size, y_name=y_name, nan_policy=inner) for k, v in params.items()}
    x = None if draws is None else _draws(draws[1], ya.size, draws[0], nan_policy=inner)
    if binary_y:
        _check_binary(ya, y_name)
    for k in probabilities:
        _check_probabilities(arrays[k], k)
    if policy == "omit":
        keep = ~np.isnan(ya)
        for a in arrays.values():
            keep &= ~np.isnan(a)
        if x is not None:
            keep &= ~np.isnan(x).any(axis=0)
        if not keep.any():
            raise ValueError("no observation is complete: each has a NaN in some input")
        ya = ya[keep]
        arrays = {k: a[keep] for k, a in arrays.items()}
        x = None if x is None else x[:, keep]
    return ya, arrays, x
