"""Column checks for the templates: a clear error naming column and role, before sampling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "check_column_names",
    "check_frame",
    "codes_for",
    "group_codes",
    "label_column",
    "numeric_column",
    "numeric_columns",
]


def check_frame(data: Any, name: str = "data") -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame; TypeError/ValueError otherwise."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {type(data).__name__}")
    if len(data) == 0:
        raise ValueError(f"`{name}` has no rows")
    return data


def check_column_names(value: Any, role: str, *, allow_empty: bool = True) -> list[str]:
    """Return a role's column names as a list of strings (a single string is one column)."""
    if isinstance(value, str):
        return [value]
    if value is None:
        return []
    if isinstance(value, (pd.Index, np.ndarray)) and np.ndim(value) == 1:
        value = list(value)
    if not isinstance(value, Sequence):
        raise TypeError(f"`{role}` must be a column name or a list of names; got {value!r}")
    names = list(value)
    for v in names:
        if not isinstance(v, str):
            raise TypeError(f"`{role}` must hold column names (strings); got {v!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"`{role}` names a column twice: {names}")
    if not names and not allow_empty:
        raise ValueError(f"`{role}` needs at least one column")
    return names


def _get(data: pd.DataFrame, column: str, role: str) -> pd.Series:
    if column not in data.columns:
        shown = ", ".join(map(str, list(data.columns)[:12]))
        raise ValueError(f"column {column!r} ({role}) is not in the data; its columns are {shown}")
    return data[column]


def numeric_column(
    data: pd.DataFrame,
    column: str,
    role: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    integer: bool = False,
    binary: bool = False,
) -> np.ndarray:
    """Return column ``column`` as a new float array, checked for its role.

    NaN and infinite values are errors (drop or impute those rows first: a template never
    guesses); ``positive``, ``nonnegative``, ``integer`` and ``binary`` (values 0/1) add checks.
    """
    series = _get(data, column, role)
    if isinstance(series, pd.DataFrame):
        raise ValueError(f"column {column!r} ({role}) appears more than once in the data")
    if series.dtype == bool:
        arr = series.to_numpy(dtype=float)
    elif pd.api.types.is_numeric_dtype(series.dtype):
        arr = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        raise TypeError(
            f"column {column!r} ({role}) must be numeric; got dtype {series.dtype} "
            "(encode categories as numbers, or pass it as a grouping column)"
        )
    bad = np.isnan(arr)
    if bad.any():
        raise ValueError(
            f"column {column!r} ({role}) has {int(bad.sum())} missing value"
            f"{'s' if bad.sum() > 1 else ''}; drop or impute those rows first"
        )
    if np.isinf(arr).any():
        raise ValueError(f"column {column!r} ({role}) has infinite values")
    if positive and (arr <= 0).any():
        raise ValueError(
            f"column {column!r} ({role}) must be positive; {int((arr <= 0).sum())} value(s) "
            f"are ≤ 0 (smallest {arr.min():g})"
        )
    if nonnegative and (arr < 0).any():
        raise ValueError(
            f"column {column!r} ({role}) must be non-negative; smallest value {arr.min():g}"
        )
    if integer and (arr != np.round(arr)).any():
        raise ValueError(f"column {column!r} ({role}) must hold whole numbers (counts)")
    if binary and not np.isin(arr, (0.0, 1.0)).all():
        odd = np.unique(arr[~np.isin(arr, (0.0, 1.0))])[:5]
        raise ValueError(
            f"column {column!r} ({role}) must be 0/1; found {', '.join(f'{v:g}' for v in odd)}"
        )
    return arr


def numeric_columns(data: pd.DataFrame, columns: Sequence[str], role: str) -> np.ndarray:
    """Return the numeric ``columns`` as an ``(n, k)`` float array (``(n, 0)`` when none)."""
    if not columns:
        return np.empty((len(data), 0))
    return np.column_stack([numeric_column(data, c, role) for c in columns])


def label_column(data: pd.DataFrame, column: str, role: str) -> np.ndarray:
    """Return column ``column`` as an array of string labels (missing labels are an error)."""
    series = _get(data, column, role)
    if series.isna().any():
        raise ValueError(
            f"column {column!r} ({role}) has {int(series.isna().sum())} missing label(s)"
        )
    return series.astype(str).to_numpy()


def group_codes(labels: np.ndarray, levels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``labels`` in ``levels`` (-1 when unseen) and codes among the unseen labels.

    The second array numbers the distinct unseen labels 0, 1, ... in order of appearance (-1
    for seen rows), so rows of the same new group share one fresh group effect.
    """
    index = {lv: i for i, lv in enumerate(levels)}
    codes = np.array([index.get(v, -1) for v in labels], dtype=np.int64)
    new_index: dict[str, int] = {}
    new = np.full(len(labels), -1, dtype=np.int64)
    for i, v in enumerate(labels):
        if codes[i] < 0:
            new[i] = new_index.setdefault(str(v), len(new_index))
    return codes, new


def codes_for(labels: np.ndarray, levels: Sequence[str], column: str, role: str) -> np.ndarray:
    """Integer codes of ``labels`` in ``levels``; an unseen label is an error naming it."""
    codes, _ = group_codes(labels, levels)
    if (codes < 0).any():
        unseen = sorted({str(v) for v, c in zip(labels, codes, strict=True) if c < 0})
        raise ValueError(
            f"column {column!r} ({role}) has label(s) not seen in fitting: "
            f"{', '.join(unseen[:5])}; known labels are {', '.join(list(levels)[:10])}"
        )
    return codes
