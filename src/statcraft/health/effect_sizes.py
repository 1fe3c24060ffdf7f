r"""Per-study effect sizes of two-arm trials with a binary outcome (2 × 2 tables).

:func:`effect_sizes_2x2` turns the events and sizes of the two arms of each study into the
log odds ratio, the log risk ratio or the risk difference with its sampling variance — the
``effects`` and ``variances`` that :func:`~statcraft.health.meta.meta_analysis`
pools. It follows R's ``metafor::escalc`` (``measure="OR"``, ``"RR"``, ``"RD"``,
``vtype="LS"``), including its continuity correction for tables with an empty cell.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import (
    check_array,
    check_bool,
    check_choice,
    check_finite_scalar,
    check_same_length,
)

__all__ = ["effect_sizes_2x2"]

Measure2x2 = Literal["OR", "RR", "RD"]
AddTo = Literal["zero_only", "all", "if_any_zero", "none"]
_MEASURES = ("OR", "RR", "RD")
_ADD_TO = ("zero_only", "all", "if_any_zero", "none")
MEASURE_NAMES = {
    "OR": "log odds ratio",
    "RR": "log risk ratio",
    "RD": "risk difference",
    "PETO": "log odds ratio (Peto)",
}
_ARG_NAMES = ("events_treat", "n_treat", "events_control", "n_control")


def check_tables(
    events_treat: Any, n_treat: Any, events_control: Any, n_control: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validate the arm counts and return the cells ``a, b, c, d`` of the k 2 × 2 tables.

    ``a``/``b`` are the events/non-events of the treated arm, ``c``/``d`` of the control arm.
    """
    arrays = {}
    for name, value in zip(
        _ARG_NAMES, (events_treat, n_treat, events_control, n_control), strict=True
    ):
        arr = check_array(value, name, suggest_omit=False)
        bad = (arr < 0) | (arr != np.floor(arr))
        if bad.any():
            raise ValueError(
                f"`{name}` must hold non-negative whole counts; got {arr[bad][0]!r} "
                f"(study {int(np.flatnonzero(bad)[0])})"
            )
        arrays[name] = arr
    check_same_length(**arrays)
    for events, n in (("events_treat", "n_treat"), ("events_control", "n_control")):
        if np.any(arrays[n] == 0):
            i = int(np.flatnonzero(arrays[n] == 0)[0])
            raise ValueError(f"`{n}` must be positive: study {i} has an empty arm")
        over = arrays[events] > arrays[n]
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise ValueError(
                f"`{events}` cannot exceed `{n}`: study {i} has {arrays[events][i]:g} events "
                f"in {arrays[n][i]:g}"
            )
    a, c = arrays["events_treat"], arrays["events_control"]
    return a, arrays["n_treat"] - a, c, arrays["n_control"] - c


def study_index(labels: Any, first: Any, k: int) -> pd.Index:
    """Row labels: ``labels``, else the index of a pandas ``first`` argument, else 0..k-1."""
    if labels is None:
        if isinstance(first, (pd.Series, pd.DataFrame)):
            return first.index.copy()
        return pd.RangeIndex(k)
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"`labels` must be a sequence of labels, one per study; got {labels!r}")
    out = list(labels.tolist() if hasattr(labels, "tolist") else labels)
    if len(out) != k:
        raise ValueError(f"`labels` has {len(out)} entries but there are {k} studies")
    return pd.Index(out)


def double_zero(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Studies with no events (or only events) in both arms: metafor's ``drop00``."""
    return ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))


def compute_2x2(
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    measure: str,
    correction: float,
    add_to: str,
    drop_double_zero: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(effect, variance, corrected, dropped)``; NaN where not estimable."""
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    if add_to == "all":
        corrected = np.ones_like(zero)
    elif add_to == "if_any_zero":
        corrected = np.full_like(zero, bool(zero.any()))
    elif add_to == "zero_only":
        corrected = zero.copy()
    else:
        corrected = np.zeros_like(zero)
    corrected &= correction > 0
    add = np.where(corrected, correction, 0.0)
    a2, b2, c2, d2 = a + add, b + add, c + add, d + add
    n1, n2 = a2 + b2, c2 + d2
    p1, p2 = a2 / n1, c2 / n2
    dropped = np.zeros_like(zero)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            effect = np.log(a2 * d2 / (b2 * c2))
            variance = 1 / a2 + 1 / b2 + 1 / c2 + 1 / d2
        elif measure == "RR":
            effect = np.log(p1 / p2)
            variance = 1 / a2 - 1 / n1 + 1 / c2 - 1 / n2
        else:
            effect = p1 - p2
            variance = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    if measure in ("OR", "RR") and drop_double_zero:
        dropped = double_zero(a, b, c, d)
    bad = ~np.isfinite(effect) | ~np.isfinite(variance) | dropped
    effect = np.where(bad, np.nan, effect)
    variance = np.where(bad, np.nan, variance)
    return effect, variance, corrected, dropped


def effect_sizes_2x2(
    events_treat: Any,
    n_treat: Any,
    events_control: Any,
    n_control: Any,
    *,
    measure: Measure2x2 = "OR",
    correction: float = 0.5,
    add_to: AddTo = "zero_only",
    drop_double_zero: bool = True,
    labels: Sequence[Any] | None = None,
) -> pd.DataFrame:
    r"""Log odds ratios, log risk ratios or risk differences of two-arm studies.

    Parameters
    ----------
    events_treat, n_treat : array_like
        Number of events and number of participants in the treated (experimental) arm of each
        study: non-negative whole counts, ``events_treat <= n_treat``, ``n_treat >= 1``.
    events_control, n_control : array_like
        The same for the control arm.
    measure : {'OR', 'RR', 'RD'}
        Log odds ratio, log risk ratio or risk difference, treated versus control.
    correction : float
        Continuity correction added to each cell of the tables chosen by ``add_to``
        (default 0.5, as metafor; 0 for none).
    add_to : {'zero_only', 'all', 'if_any_zero', 'none'}
        Which tables are corrected: only those with an empty cell (metafor's
        ``to="only0"``, the default), all tables (``"all"``), all tables when any has an
        empty cell (``"if0all"``), or none.
    drop_double_zero : bool
        For ``'OR'`` and ``'RR'``: whether a study with no events in either arm (or only
        events in both arms) is excluded — its effect and variance are NaN and a warning names
        it. Such a study carries no information on a relative effect (metafor's
        ``drop00=TRUE``, which ``rma.mh`` and ``rma.peto`` use). With False it keeps the
        corrected log ratio 0 (metafor's ``escalc`` default). Risk differences are never
        dropped.
    labels : sequence, optional
        Study labels, used as the index of the result (default: the index of
        ``events_treat`` when it is a pandas Series, else 0..k-1).

    Returns
    -------
    pandas.DataFrame
        One row per study with columns ``effect``, ``variance``, ``std_error``
        (``sqrt(variance)``) and ``corrected`` (whether the continuity correction was added).
        ``attrs["measure"]`` holds ``measure``. Rows of studies that are excluded or not
        estimable (an empty cell with ``add_to='none'``) hold NaN; drop them with
        ``.dropna()`` before pooling.

    Raises
    ------
    TypeError
        If a count argument is not numeric, or an option has the wrong type.
    ValueError
        If counts are negative, not whole, NaN or infinite, events exceed the arm size, an arm
        is empty, the arguments differ in length, ``labels`` has the wrong length, or an
        option is not one of its choices (``correction`` must be finite and >= 0).

    Warns
    -----
    UserWarning
        When studies are excluded (no events in both arms) or not estimable.

    Notes
    -----
    With :math:`a, b` the events and non-events of the treated arm and :math:`c, d` those of
    the control arm (after the correction), :math:`n_1 = a + b`, :math:`n_2 = c + d`,
    :math:`p_1 = a/n_1`, :math:`p_2 = c/n_2` (Rothman, Greenland & Lash 2008, ch. 14;
    metafor's large-sample variances, ``vtype="LS"``):

    .. math::

        \text{OR}: \; y = \log\frac{a d}{b c}, \quad v = \frac1a + \frac1b + \frac1c + \frac1d

        \text{RR}: \; y = \log\frac{p_1}{p_2}, \quad v = \frac1a - \frac1{n_1} + \frac1c -
        \frac1{n_2}

        \text{RD}: \; y = p_1 - p_2, \quad v = \frac{p_1(1-p_1)}{n_1} + \frac{p_2(1-p_2)}{n_2}

    As in metafor, the correction also enters the risk difference of a corrected table.

    References
    ----------
    .. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
       Journal of Statistical Software 36(3), 1–48.
    .. [2] Rothman, K. J., Greenland, S., Lash, T. L. (2008). Modern Epidemiology, 3rd ed.
       Lippincott Williams & Wilkins.
    .. [3] Sweeting, M. J., Sutton, A. J., Lambert, P. C. (2004). What to add to nothing? Use
       and avoidance of continuity corrections in meta-analysis of sparse data. Statistics in
       Medicine 23, 1351–1375.

    Examples
    --------
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import effect_sizes_2x2
    >>> bcg = load_bcg()
    >>> es = effect_sizes_2x2(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                       bcg["control_cases"], bcg["control_total"], measure="RR")
    >>> es[["effect", "variance"]].head(2).round(4)  # metafor: -0.8893 0.3256, -1.5854 0.1946
       effect  variance
    0 -0.8893    0.3256
    1 -1.5854    0.1946
    """
    measure = check_choice(measure, "measure", _MEASURES)  # type: ignore[assignment]
    add_to = check_choice(add_to, "add_to", _ADD_TO)  # type: ignore[assignment]
    drop_double_zero = check_bool(drop_double_zero, "drop_double_zero")
    correction = check_finite_scalar(correction, "correction")
    if correction < 0:
        raise ValueError(f"`correction` must be >= 0; got {correction!r}")
    a, b, c, d = check_tables(events_treat, n_treat, events_control, n_control)
    index = study_index(labels, events_treat, len(a))
    effect, variance, corrected, dropped = compute_2x2(
        a, b, c, d, measure, correction, add_to, drop_double_zero
    )
    if dropped.any():
        names = ", ".join(str(index[int(i)]) for i in np.flatnonzero(dropped))
        warnings.warn(
            f"{int(dropped.sum())} stud{'y has' if dropped.sum() == 1 else 'ies have'} no "
            f"events (or only events) in both arms and carr{'ies' if dropped.sum() == 1 else 'y'}"
            f" no information on the {MEASURE_NAMES[measure]}; set to NaN (study {names}). "
            "Drop with .dropna(), or pass drop_double_zero=False to keep them",
            UserWarning,
            stacklevel=2,
        )
    missing = np.isnan(effect) & ~dropped
    if missing.any():
        names = ", ".join(str(index[int(i)]) for i in np.flatnonzero(missing))
        warnings.warn(
            f"the {MEASURE_NAMES[measure]} is not estimable without a continuity correction "
            f"for study {names} (an empty cell); set to NaN",
            UserWarning,
            stacklevel=2,
        )
    out = pd.DataFrame(
        {
            "effect": effect,
            "variance": variance,
            "std_error": np.sqrt(variance),
            "corrected": corrected,
        },
        index=index,
    )
    out.attrs["measure"] = measure
    return out
