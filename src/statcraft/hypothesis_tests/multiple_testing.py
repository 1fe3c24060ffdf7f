"""Multiple-testing adjustment of p-values, as R's ``p.adjust``.

==============  =====================================  =================  ==========================
``method``      controls                               R ``p.adjust``     statsmodels
==============  =====================================  =================  ==========================
``bonferroni``  FWER, any dependence                   ``"bonferroni"``   ``"bonferroni"``
``holm``        FWER, any dependence                   ``"holm"``         ``"holm"``
``hochberg``    FWER, independent / PRDS tests         ``"hochberg"``     ``"simes-hochberg"``
``hommel``      FWER, independent / PRDS tests         ``"hommel"``       ``"hommel"``
``BH``          FDR, independent / PRDS tests          ``"BH"``           ``"fdr_bh"``
``BY``          FDR, any dependence                    ``"BY"``           ``"fdr_by"``
==============  =====================================  =================  ==========================

The names are R's ``p.adjust`` names, spelled as R spells them (``"BH"``, ``"BY"``).
"""

from __future__ import annotations

from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from statcraft._validation import check_array, check_choice, check_int

__all__ = ["adjust_pvalues"]

AdjustMethod = Literal["holm", "bonferroni", "hochberg", "hommel", "BH", "BY"]
_METHODS = ("holm", "bonferroni", "hochberg", "hommel", "BH", "BY")


def _hommel(p: np.ndarray, n: int) -> np.ndarray:
    """Hommel's adjustment of R's ``p.adjust`` for ``p`` (length ``lp <= n``), order preserved."""
    lp = p.size
    full = np.concatenate([p, np.ones(n - lp)]) if n > lp else p
    o = np.argsort(full, kind="stable")
    ps = full[o]
    i = np.arange(1, n + 1)
    q = np.full(n, np.min(n * ps / i))
    pa = q.copy()
    for m in range(n - 1, 1, -1):
        i1 = slice(0, n - m + 1)
        i2 = slice(n - m + 1, n)
        q1 = np.min(m * ps[i2] / np.arange(2, m + 1))
        q[i1] = np.minimum(m * ps[i1], q1)
        q[i2] = q[n - m]
        pa = np.maximum(pa, q)
    adjusted_sorted = np.maximum(pa, ps)
    out = np.empty(n)
    out[o] = adjusted_sorted
    return out[:lp]


def _adjust(p: np.ndarray, method: str, n: int) -> np.ndarray:
    """R's ``p.adjust`` on non-missing p-values ``p`` for ``n`` tests."""
    lp = p.size
    if n <= 1:
        return p.copy()
    if n == 2 and method == "hommel":
        method = "hochberg"
    if method == "bonferroni":
        return np.minimum(1.0, n * p)
    if method == "holm":
        o = np.argsort(p, kind="stable")
        i = np.arange(1, lp + 1)
        adj = np.minimum(1.0, np.maximum.accumulate((n - i + 1) * p[o]))
        out = np.empty(lp)
        out[o] = adj
        return out
    if method == "hommel":
        return _hommel(p, n)
    # step-up methods on decreasing p: hochberg, BH, BY
    o = np.argsort(-p, kind="stable")
    i = np.arange(lp, 0, -1)
    if method == "hochberg":
        factor = (n + 1 - i).astype(float)
    elif method == "BH":
        factor = n / i
    else:  # BY
        factor = np.sum(1.0 / np.arange(1, n + 1)) * n / i
    adj = np.minimum(1.0, np.minimum.accumulate(factor * p[o]))
    out = np.empty(lp)
    out[o] = adj
    return out


@overload
def adjust_pvalues(
    pvalues: pd.Series,
    method: AdjustMethod = ...,
    *,
    n: int | None = ...,
    nan_policy: Literal["raise", "omit"] = ...,
) -> pd.Series: ...


@overload
def adjust_pvalues(
    pvalues: Any,
    method: AdjustMethod = ...,
    *,
    n: int | None = ...,
    nan_policy: Literal["raise", "omit"] = ...,
) -> np.ndarray | pd.Series: ...


def adjust_pvalues(
    pvalues: Any,
    method: AdjustMethod = "holm",
    *,
    n: int | None = None,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> np.ndarray | pd.Series:
    r"""Adjust p-values for multiple comparisons, exactly as R's ``p.adjust``.

    Parameters
    ----------
    pvalues : array_like or pandas.Series
        One-dimensional p-values in [0, 1]. The order is preserved in the result.
    method : {'holm', 'bonferroni', 'hochberg', 'hommel', 'BH', 'BY'}
        Adjustment (see Notes), named and spelled as in R's ``p.adjust``. Default ``'holm'``,
        as R.
    n : int, optional
        Number of tests in the family, at least the number of (non-NaN) p-values; by default
        that number. Set it when only some of the family's p-values are passed (R's ``n``).
    nan_policy : {'raise', 'omit'}
        ``'raise'`` (default): NaN is an error. ``'omit'``: NaN p-values stay NaN in place and
        the others are adjusted as a family of their own size, as R does with ``NA``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The adjusted p-values, in the input order: a Series with the same index and name when
        ``pvalues`` is a Series, otherwise a float ndarray. (A plain array, not an
        :class:`~statcraft.results.Estimate`: adjusted p-values have no interval.)

    Raises
    ------
    ValueError
        p-values outside [0, 1], NaN with ``nan_policy='raise'``, inf, empty or all-NaN input,
        a 2-D array, ``n`` smaller than the number of p-values, an unknown ``method``.
    TypeError
        Non-numeric input.

    Notes
    -----
    With the p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`, and ``n`` tests:

    - Bonferroni: :math:`\min(1, n p_i)`.
    - Holm (1979): :math:`\tilde p_{(i)} = \min(1, \max_{j \le i} (n-j+1) p_{(j)})`.
    - Hochberg (1988): :math:`\tilde p_{(i)} = \min(1, \min_{j \ge i} (n-j+1) p_{(j)})`.
    - Hommel (1988): the closed Simes procedure, computed with R's algorithm (with ``n = 2``
      it equals Hochberg, as in R).
    - Benjamini–Hochberg (1995): :math:`\tilde p_{(i)} = \min(1, \min_{j\ge i} n p_{(j)}/j)`.
    - Benjamini–Yekutieli (2001): BH multiplied by :math:`\sum_{k=1}^n 1/k`.

    The code follows R's ``p.adjust`` step by step (stable orderings, the same treatment of
    ties and of ``n`` greater than the number of p-values, padding with ones for Hommel), so the
    results agree to rounding; scipy's ``false_discovery_control`` offers only BH and BY.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics* 6, 65-70.
    .. [2] Hochberg, Y. (1988). A sharper Bonferroni procedure for multiple tests of
       significance. *Biometrika* 75, 800-802.
    .. [3] Hommel, G. (1988). A stagewise rejective multiple test procedure based on a modified
       Bonferroni test. *Biometrika* 75, 383-386.
    .. [4] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate.
       *JRSS B* 57, 289-300.
    .. [5] Benjamini, Y., & Yekutieli, D. (2001). The control of the false discovery rate in
       multiple testing under dependency. *Annals of Statistics* 29, 1165-1188.

    Examples
    --------
    >>> import statcraft as sc
    >>> p = [0.01, 0.02, 0.03, 0.04, 0.05]
    >>> sc.adjust_pvalues(p, "holm").round(4).tolist()
    [0.05, 0.08, 0.09, 0.09, 0.09]
    >>> sc.adjust_pvalues(p, "BH").round(4).tolist()
    [0.05, 0.05, 0.05, 0.05, 0.05]
    >>> sc.adjust_pvalues([0.04, float("nan"), 0.01], "bonferroni", nan_policy="omit").tolist()
    [0.08, nan, 0.02]
    """
    if isinstance(method, str) and method in ("bh", "by", "fdr_bh", "fdr_by"):
        spelled = method[-2:].upper()
        raise ValueError(
            f"`method` must be one of {', '.join(map(repr, _METHODS))}; got {method!r} "
            f"(R's p.adjust spells it {spelled!r})"
        )
    method = check_choice(method, "method", _METHODS)  # type: ignore[assignment]
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    if isinstance(pvalues, pd.DataFrame):
        raise ValueError("`pvalues` must be one-dimensional; got a DataFrame")
    arr = check_array(
        pvalues, "pvalues", nan_policy="propagate" if nan_policy == "omit" else "raise"
    )
    present = ~np.isnan(arr)
    p = arr[present]
    bad = (p < 0.0) | (p > 1.0)
    if bad.any():
        example = p[bad][0]
        raise ValueError(
            f"`pvalues` must be in [0, 1]; got {int(bad.sum())} value"
            f"{'s' if bad.sum() > 1 else ''} outside (e.g. {example:g})"
        )
    n_tests = p.size if n is None else check_int(n, "n", min_value=1)
    if n_tests < p.size:
        raise ValueError(f"`n` ({n_tests}) must be at least the number of p-values ({p.size})")
    out = np.full(arr.shape, np.nan)
    out[present] = _adjust(p, method, n_tests)
    if isinstance(pvalues, pd.Series):
        return pd.Series(out, index=pvalues.index, name=pvalues.name)
    return out
