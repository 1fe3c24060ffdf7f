"""Calling a user statistic on batches of resamples, with shape and finiteness checks."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from statcraft._validation import check_array, check_choice

#: Statistics recognised by identity; their replicates are computed from moment sums
#: (``sum x`` and ``sum x**2`` of each resample) instead of calling the function.
MOMENT_KINDS: dict[Any, str] = {np.mean: "mean", np.sum: "sum", np.var: "var", np.std: "std"}


class DegenerateDataWarning(UserWarning):
    """Warned when the resampling distribution is degenerate (e.g. all data values equal)."""


def is_vectorized(statistic: Callable[..., Any], vectorized: bool | None) -> bool:
    """Decide whether ``statistic`` takes ``axis`` (as scipy does: by its signature)."""
    if vectorized is not None:
        if not isinstance(vectorized, (bool, np.bool_)):
            raise TypeError(f"`vectorized` must be True, False or None; got {vectorized!r}")
        return bool(vectorized)
    try:
        return "axis" in inspect.signature(statistic).parameters
    except (TypeError, ValueError):
        return False


def check_samples(
    data: Any,
    name: str = "data",
    min_size: int = 2,
    nan_policy: str = "raise",
    paired: bool = False,
) -> tuple[np.ndarray, ...]:
    """Validate ``data``: a sequence of one-dimensional samples.

    ``nan_policy`` is 'raise' or 'omit' (drop NaN per sample, or incomplete pairs when
    ``paired``); a resampling result cannot propagate NaN, so 'propagate' is refused.
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    if nan_policy == "propagate":
        raise ValueError(
            "nan_policy='propagate' is not supported for resampling (the result would be "
            "NaN); use 'raise' or 'omit'"
        )
    if isinstance(data, (str, bytes)):
        raise TypeError(f"`{name}` must be a sequence of samples; got a string")
    if isinstance(data, np.ndarray) and data.ndim == 1:
        raise TypeError(
            f"`{name}` must be a sequence of samples, e.g. `(x,)` for one sample; "
            "got a one-dimensional array (wrap it in a tuple)"
        )
    try:
        items = list(data)
    except TypeError:
        raise TypeError(
            f"`{name}` must be a sequence of samples; got {type(data).__name__}"
        ) from None
    if not items:
        raise ValueError(f"`{name}` must contain at least one sample")
    out = []
    for i, s in enumerate(items):
        if np.ndim(s) == 0:
            raise TypeError(
                f"`{name}` must be a sequence of samples (arrays); element {i} is a scalar. "
                "Wrap a single sample in a tuple: `(x,)`"
            )
        policy = "propagate" if paired and nan_policy == "omit" else nan_policy
        out.append(check_array(s, f"{name}[{i}]", min_size=min_size, nan_policy=policy))
    if paired and nan_policy == "omit":
        lengths = {a.size for a in out}
        if len(lengths) == 1:  # unequal lengths: the caller's length check reports them
            keep = ~np.any(np.isnan(np.stack(out)), axis=0)
            out = [a[keep] for a in out]
            if keep.sum() < min_size:
                raise ValueError(
                    f"`{name}` needs at least {min_size} complete observations; got "
                    f"{int(keep.sum())}"
                )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Statistic:
    """A validated statistic: how to call it and the shape of its value."""

    func: Callable[..., Any]
    vectorized: bool
    shape: tuple[int, ...]
    name: str = "statistic"

    def __call__(self, arrays: Sequence[np.ndarray]) -> np.ndarray:
        """Evaluate on arrays of shape ``(*batch, n_i)``; returns ``(*shape, *batch)``."""
        batch = arrays[0].shape[:-1]
        if self.vectorized:
            out = np.asarray(self.func(*arrays, axis=-1), dtype=float)
        else:
            flat = [a.reshape(-1, a.shape[-1]) for a in arrays]
            m = flat[0].shape[0]
            vals = [np.asarray(self.func(*(a[i] for a in flat)), dtype=float) for i in range(m)]
            shapes = {v.shape for v in vals}
            if len(shapes) > 1 or (vals and vals[0].shape != self.shape):
                raise ValueError(
                    f"`{self.name}` returned values of shape(s) {sorted(shapes)} on resamples; "
                    f"expected {self.shape}, its shape on the data"
                )
            stacked = np.stack(vals, axis=-1) if vals else np.empty((*self.shape, 0))
            out = stacked.reshape(*self.shape, *batch)
        expected = (*self.shape, *batch)
        if out.shape != expected:
            raise ValueError(
                f"`{self.name}` returned an array of shape {out.shape} for a batch of resamples "
                f"of shape {tuple(arrays[0].shape)}; expected {expected}: its shape on the data "
                f"{self.shape} followed by one value per resample, reducing along `axis=-1`. "
                "If it cannot take `axis`, pass vectorized=False"
            )
        if not np.all(np.isfinite(out)):
            k = int(np.sum(~np.isfinite(out)))
            raise ValueError(
                f"`{self.name}` returned {k} NaN or infinite value(s) on {out.size} resample "
                "evaluations; make it finite for every resample (e.g. guard against zero "
                "denominators)"
            )
        return out


def make_statistic(
    statistic: Any,
    samples: Sequence[np.ndarray],
    vectorized: bool | None,
    name: str = "statistic",
) -> tuple[Statistic, np.ndarray]:
    """Validate ``statistic`` on the data; return it wrapped and its value on the data."""
    if not callable(statistic):
        raise TypeError(f"`{name}` must be callable; got {type(statistic).__name__}")
    vec = is_vectorized(statistic, vectorized)
    try:
        value = statistic(*samples, axis=-1) if vec else statistic(*samples)
        theta = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"`{name}` failed on the data: {exc}") from exc
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"`{name}` returned NaN or inf on the data: {theta!r}")
    return Statistic(statistic, vec, theta.shape, name), theta


def moment_kind(statistic: Any, samples: Sequence[np.ndarray]) -> str | None:
    """Return the moment fast-path kind of a one-sample statistic (np.mean, ...) or None."""
    if len(samples) != 1:
        return None
    try:
        return MOMENT_KINDS.get(statistic)
    except TypeError:  # unhashable callables
        return None


def moments_to_statistic(kind: str, s1: Any, s2: Any, n: int, c: float) -> Any:
    """Turn centred moment sums ``s1 = sum(x - c)``, ``s2 = sum((x - c)**2)`` into the statistic."""
    if kind == "mean":
        return c + s1 / n
    if kind == "sum":
        return n * c + s1
    m1 = s1 / n
    var = np.maximum(s2 / n - m1 * m1, 0.0)
    return var if kind == "var" else np.sqrt(var)
