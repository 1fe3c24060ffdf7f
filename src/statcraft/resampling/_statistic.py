"""Calling a user statistic on batches of resamples, with shape and finiteness checks."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from statcraft._validation import check_array, check_choice, check_same_length

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


@dataclass(frozen=True, slots=True)
class SampleForm:
    """How the caller gave one sample, so a non-vectorised statistic sees the same form.

    Internally a two-dimensional sample of ``n`` rows and ``k`` columns is stored transposed,
    ``(k, n)``, so that observations are on the last axis as for one-dimensional samples and a
    batch of resamples is ``(k, *batch, n)``.
    """

    ndim: int = 1  # 1: a vector; 2: rows of a matrix or DataFrame
    columns: Any = None  # the column labels (a pandas Index) of a DataFrame sample

    def view(self, a: np.ndarray) -> Any:
        """Return one internal sample or resample ``a`` in the caller's form."""
        if self.ndim == 1:
            return a
        rows = a.T
        if self.columns is None:
            return rows
        return pd.DataFrame(rows, columns=self.columns, copy=False)


VECTOR = SampleForm()


def n_rows(a: np.ndarray) -> int:
    """Return the number of observations of an internal sample (its last axis)."""
    return int(a.shape[-1])


def check_same_rows(samples: Sequence[np.ndarray], name: str = "data") -> None:
    """Raise ValueError naming the samples when they differ in number of observations."""
    check_same_length(**{f"{name}[{i}]": s.T for i, s in enumerate(samples)})


def take_rows(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Resample the observations of an internal sample: shape ``(*lead, *idx.shape)``."""
    return a[..., idx]


def repeat_rows(a: np.ndarray, r: int) -> np.ndarray:
    """Repeat an internal sample ``r`` times (a read-only view): ``(*lead, r, n)``."""
    return np.broadcast_to(a[..., None, :], (*a.shape[:-1], r, a.shape[-1]))


def _one_sample(s: Any, label: str, min_size: int, policy: str) -> tuple[np.ndarray, SampleForm]:
    """Validate one sample: a vector, or a 2-D array or DataFrame (rows are observations)."""
    if isinstance(s, pd.DataFrame):
        arr = check_array(s, label, ndim=2, min_size=min_size, nan_policy=policy)
        return np.ascontiguousarray(arr.T), SampleForm(2, s.columns.copy())
    if not isinstance(s, pd.Series):
        shape: tuple[int, ...] | None
        try:
            shape = np.shape(s)
        except (TypeError, ValueError):  # ragged: check_array reports it
            shape = None
        if shape is not None and len(shape) == 2 and 1 not in shape:
            arr = check_array(s, label, ndim=2, min_size=min_size, nan_policy=policy)
            return np.ascontiguousarray(arr.T), SampleForm(2)
        if shape is not None and len(shape) > 2:
            raise ValueError(
                f"`{label}` must be one-dimensional, or two-dimensional with observations in "
                f"rows; got shape {shape}"
            )
    return check_array(s, label, min_size=min_size, nan_policy=policy), VECTOR


def check_samples(
    data: Any,
    name: str = "data",
    min_size: int = 2,
    nan_policy: str = "raise",
    paired: bool = False,
) -> tuple[tuple[np.ndarray, ...], tuple[SampleForm, ...]]:
    """Validate ``data``: a sequence of samples, each a vector or rows of a matrix/DataFrame.

    Returns the samples in the internal layout (observations on the last axis: ``(n,)`` or
    ``(k, n)``) and the form each was given in. A bare DataFrame is one sample. A 2-D array
    with one column or one row is a vector, as before. ``nan_policy`` is 'raise' or 'omit'
    (drop NaN per sample -- rows with a NaN for a 2-D sample -- or incomplete observations
    when ``paired``); a resampling result cannot propagate NaN, so 'propagate' is refused.
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
    if isinstance(data, pd.DataFrame):
        data = (data,)
    try:
        items = list(data)
    except TypeError:
        raise TypeError(
            f"`{name}` must be a sequence of samples; got {type(data).__name__}"
        ) from None
    if not items:
        raise ValueError(f"`{name}` must contain at least one sample")
    out, forms = [], []
    for i, s in enumerate(items):
        if np.ndim(s) == 0:
            raise TypeError(
                f"`{name}` must be a sequence of samples (arrays); element {i} is a scalar. "
                "Wrap a single sample in a tuple: `(x,)`"
            )
        policy = "propagate" if paired and nan_policy == "omit" else nan_policy
        arr, form = _one_sample(s, f"{name}[{i}]", min_size, policy)
        out.append(arr)
        forms.append(form)
    if paired and nan_policy == "omit":
        lengths = {n_rows(a) for a in out}
        if len(lengths) == 1:  # unequal lengths: the caller's length check reports them
            n = lengths.pop()
            bad = np.zeros(n, dtype=bool)
            for a in out:
                bad |= np.isnan(a).reshape(-1, n).any(axis=0)
            keep = ~bad
            out = [a[..., keep] for a in out]
            if keep.sum() < min_size:
                raise ValueError(
                    f"`{name}` needs at least {min_size} complete observations; got "
                    f"{int(keep.sum())}"
                )
    return tuple(out), tuple(forms)


@dataclass(frozen=True, slots=True)
class Statistic:
    """A validated statistic: how to call it, the shape of its value, the samples' forms."""

    func: Callable[..., Any]
    vectorized: bool
    shape: tuple[int, ...]
    name: str = "statistic"
    forms: tuple[SampleForm, ...] = ()

    def _lead(self, i: int) -> int:
        return self.forms[i].ndim - 1 if i < len(self.forms) else 0

    def __call__(self, arrays: Sequence[np.ndarray]) -> np.ndarray:
        """Evaluate on batches of resamples; returns shape ``(*shape, *batch)``.

        ``arrays[i]`` has shape ``(*batch, n_i)``, or ``(k_i, *batch, n_i)`` for a 2-D sample.
        """
        lead = self._lead(0)
        batch = arrays[0].shape[lead:-1]
        if self.vectorized:
            out = np.asarray(self.func(*arrays, axis=-1), dtype=float)
        else:
            flat = [
                a.reshape(*a.shape[: self._lead(j)], -1, a.shape[-1]) for j, a in enumerate(arrays)
            ]
            forms = [self.forms[j] if j < len(self.forms) else VECTOR for j in range(len(flat))]
            m = flat[0].shape[-2]
            vals = [
                np.asarray(
                    self.func(*(f.view(a[..., i, :]) for f, a in zip(forms, flat, strict=True))),
                    dtype=float,
                )
                for i in range(m)
            ]
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
    forms: Sequence[SampleForm] = (),
) -> tuple[Statistic, np.ndarray]:
    """Validate ``statistic`` on the data; return it wrapped and its value on the data.

    ``samples`` are in the internal layout; a non-vectorised statistic is called on them in
    the caller's ``forms`` (2-D samples as ``(n, k)`` arrays or DataFrames).
    """
    if not callable(statistic):
        raise TypeError(f"`{name}` must be callable; got {type(statistic).__name__}")
    vec = is_vectorized(statistic, vectorized)
    try:
        if vec:
            value = statistic(*samples, axis=-1)
        else:
            views = [
                (forms[i] if i < len(forms) else VECTOR).view(a) for i, a in enumerate(samples)
            ]
            value = statistic(*views)
        theta = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"`{name}` failed on the data: {exc}") from exc
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"`{name}` returned NaN or inf on the data: {theta!r}")
    return Statistic(statistic, vec, theta.shape, name, tuple(forms)), theta


def moment_kind(statistic: Any, samples: Sequence[np.ndarray]) -> str | None:
    """Return the moment fast-path kind of a one-sample statistic (np.mean, ...) or None."""
    if len(samples) != 1 or samples[0].ndim != 1:
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
