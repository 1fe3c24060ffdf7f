"""Label and score handling shared by the diagnostic-accuracy and ROC functions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from statcraft._validation import (
    check_array,
    check_choice,
    check_same_length,
)

LABEL_NAN_POLICIES = ("raise", "omit")


# --------------------------------------------------------------------------- label handling
def _label_values(y: Any, name: str) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Return (codes, uniques as a list) of a 1-D label array; code -1 marks a missing label."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"`{name}` must be an array of labels; got {y!r}")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(
                f"`{name}` must be one-dimensional; got a DataFrame of shape {y.shape}"
            )
        y = y.iloc[:, 0]
    if isinstance(y, (pd.Series, pd.Index, pd.Categorical)):
        arr = np.asarray(pd.Series(y).astype(object).to_numpy())
    else:
        try:
            arr = np.asarray(y)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"`{name}` must be an array of labels: {exc}") from None
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be one-dimensional; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"`{name}` is empty")
    if arr.dtype.kind == "c":
        raise TypeError(f"`{name}` must hold real or categorical labels; got complex values")
    if arr.dtype.kind == "f" and np.isinf(arr).any():
        raise ValueError(f"`{name}` has infinite values; labels must be two classes")
    codes, uniques = pd.factorize(arr)  # NaN, None and pd.NA become code -1
    return np.asarray(codes), arr, list(uniques)


def _same(a: Any, b: Any) -> bool:
    """Return ``a == b`` as a plain bool, False where the comparison is not defined."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _describe(values: list[Any]) -> str:
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


def missing_error(name: str, k: int) -> ValueError:
    what = "missing value" if k == 1 else "missing values"
    it = "it" if k == 1 else "them"
    return ValueError(f"`{name}` has {k} {what} (NaN/None); pass nan_policy='omit' to drop {it}")


def truth_labels(
    y_true: Any, pos_label: Any, *, name: str = "y_true"
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Validate binary reference labels: (is_positive, is_missing, [negative, positive] labels)."""
    codes, _, uniques = _label_values(y_true, name)
    missing = codes < 0
    if not uniques:
        raise ValueError(f"`{name}` has no labels (all values are missing)")
    if len(uniques) > 2:
        raise ValueError(
            f"`{name}` must hold binary labels (two classes); got {len(uniques)} distinct "
            f"values: {_describe(uniques)}"
        )
    matches = [_same(u, pos_label) for u in uniques]
    if len(uniques) == 1:
        kind = "positive" if matches[0] else "negative"
        raise ValueError(
            f"`{name}` has only one class (all labels are {_describe(uniques)}, {kind} for "
            f"pos_label={pos_label!r}); both positive and negative subjects are needed"
        )
    if not any(matches):
        raise ValueError(
            f"`pos_label`={pos_label!r} is not one of the labels of `{name}` "
            f"({_describe(uniques)}); pass pos_label= the label of the positive class"
        )
    pos_code = matches.index(True)
    labels = [uniques[1 - pos_code], uniques[pos_code]]
    return codes == pos_code, missing, labels


def prediction_labels(
    y_pred: Any, labels: list[Any], pos_label: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Validate binary predictions against the reference labels: (is_positive, is_missing)."""
    codes, _, uniques = _label_values(y_pred, "y_pred")
    bad = [u for u in uniques if not any(_same(u, lab) for lab in labels)]
    if bad:
        raise ValueError(
            f"`y_pred` has values that are not labels of `y_true` ({_describe(labels)}): "
            f"{_describe(bad)}"
        )
    pos_codes = [i for i, u in enumerate(uniques) if _same(u, pos_label)]
    is_pos = np.isin(codes, pos_codes) if pos_codes else np.zeros(codes.shape, dtype=bool)
    return is_pos, codes < 0


def scored_data(
    y_true: Any,
    scores: dict[str, Any],
    pos_label: Any,
    nan_policy: str,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Validate labels and one or more score arrays; return (is_positive, [score arrays])."""
    nan_policy = check_choice(nan_policy, "nan_policy", LABEL_NAN_POLICIES)
    is_pos, missing, _ = truth_labels(y_true, pos_label)
    arrays = [
        check_array(s, name, nan_policy="propagate" if nan_policy == "omit" else "raise")
        for name, s in scores.items()
    ]
    check_same_length(y_true=is_pos, **dict(zip(scores, arrays, strict=True)))
    if missing.any() and nan_policy == "raise":
        raise missing_error("y_true", int(missing.sum()))
    keep = ~missing
    for a in arrays:
        keep &= ~np.isnan(a)
    if not keep.all():
        is_pos = is_pos[keep]
        arrays = [a[keep] for a in arrays]
    n_pos = int(is_pos.sum())
    n_neg = int(is_pos.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        which = "positive" if n_pos == 0 else "negative"
        raise ValueError(
            f"no {which} subjects are left in `y_true` after dropping missing values; "
            "both classes are needed"
        )
    return is_pos, arrays
