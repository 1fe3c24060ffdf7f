"""Validation of count tables and the exact/asymptotic tests of proportions and rates.

Private module of :mod:`statcraft.hypothesis_tests.categorical`, which re-exports
:func:`binomial_test`, :func:`proportions_test` and :func:`poisson_test`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._inference import normal_pvalue
from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_confidence_level,
    check_count,
    check_positive,
    check_probability,
)
from statcraft.estimators.proportions import (
    _clopper_pearson,
    _tail_errors,
    _wilson_bounds,
    poisson_rate,
    proportion,
)
from statcraft.hypothesis_tests._exact_tables import (
    binomial_two_sided_pvalue,
    poisson_two_sided_pvalue,
)
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult

__all__ = ["binomial_test", "poisson_test", "proportions_test"]

AlternativeT = Literal["two-sided", "less", "greater"]


# --------------------------------------------------------------------------- validation


def _whole_counts(arr: np.ndarray, name: str) -> None:
    """Raise unless every entry of ``arr`` is a non-negative whole number."""
    neg = arr < 0
    if neg.any():
        raise ValueError(f"`{name}` has negative counts (e.g. {arr[neg].flat[0]:g})")
    frac = arr != np.round(arr)
    if frac.any():
        raise ValueError(
            f"`{name}` must hold whole-number counts; got non-integer values "
            f"(e.g. {arr[frac].flat[0]:g})"
        )


def _check_table(
    table: Any, name: str = "table", *, allow_zero_margins: bool = False
) -> np.ndarray:
    """Return a 2-D contingency table as a float array of whole counts, or raise."""
    if isinstance(table, (str, bytes)):
        raise TypeError(f"`{name}` must be a 2-D table of counts; got a string {table!r}")
    ndim = table.ndim if isinstance(table, (np.ndarray, pd.DataFrame)) else np.ndim(table)
    if ndim != 2:
        shape = np.shape(table) if not isinstance(table, pd.DataFrame) else table.shape
        raise ValueError(f"`{name}` must be a two-dimensional table of counts; got shape {shape}")
    arr = check_array(table, name, ndim=2, suggest_omit=False)
    if arr.shape[0] < 2 or arr.shape[1] < 2:
        raise ValueError(f"`{name}` must have at least 2 rows and 2 columns; got shape {arr.shape}")
    _whole_counts(arr, name)
    if not allow_zero_margins:
        for axis, label in ((1, "row"), (0, "column")):
            totals = arr.sum(axis=axis)
            if (totals == 0).any():
                idx = ", ".join(str(i) for i in np.flatnonzero(totals == 0))
                raise ValueError(
                    f"`{name}` has a {label} with zero total ({label} index {idx}); the test is "
                    f"undefined for an empty {label} -- drop it"
                )
    return arr


def _count_vector(values: Any, name: str) -> np.ndarray:
    """Return a 1-D array of non-negative whole counts (a scalar becomes length 1)."""
    arr = check_array(values, name, suggest_omit=False)
    _whole_counts(arr, name)
    return arr


def _binomial_pvalue(k: int, n: int, p: float, alternative: str) -> float:
    if alternative == "less":
        return float(stats.binom.cdf(k, n, p))
    if alternative == "greater":
        return float(stats.binom.sf(k - 1, n, p))
    return binomial_two_sided_pvalue(k, n, p)


def binomial_test(
    k: Any,
    n: Any,
    p: float = 0.5,
    *,
    alternative: AlternativeT = "two-sided",
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Exact binomial test of a success probability, with the Clopper-Pearson interval.

    Parameters
    ----------
    k : int
        Number of successes, ``0 <= k <= n``.
    n : int
        Number of trials, at least 1.
    p : float
        Success probability under the null hypothesis, in [0, 1]. Default 0.5.
    alternative : {'two-sided', 'less', 'greater'}
        Alternative hypothesis for the true probability versus ``p``.
    confidence_level : float
        Confidence level of the interval. Default 0.95.

    Returns
    -------
    TestResult
        ``statistic = k``, ``pvalue``, ``estimate`` = ``k/n`` with the Clopper-Pearson interval
        (one-sided for a one-sided alternative, as R); ``details``: ``n`` and ``null_value``.

    Raises
    ------
    TypeError
        If ``k``, ``n`` or ``p`` is not a number.
    ValueError
        If ``k`` or ``n`` is negative or not whole, ``k > n``, ``n = 0``, or ``p`` is outside
        [0, 1].

    Notes
    -----
    One-sided p-values are binomial tail sums. The two-sided p-value is R's ``binom.test``
    rule: the probability of all outcomes no more likely than ``k`` (relative tolerance
    :math:`10^{-7}`), which is also scipy's ``binomtest``. The interval is
    :func:`statcraft.proportion` with ``method='clopper_pearson'``.

    References
    ----------
    .. [1] Clopper, C. J. and Pearson, E. S. (1934). Biometrika 26, 404-413.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.binomial_test(682, 925, p=0.75)  # Mendel's peas, R's binom.test example
    >>> round(res.pvalue, 4)
    0.3825
    >>> [round(b, 7) for b in res.estimate.confidence_interval]
    [0.7076683, 0.7654066]
    """
    n_ = check_count(n, "n")
    if n_ == 0:
        raise ValueError("`n` must be at least 1")
    k_ = check_count(k, "k", max_value=n_, max_name="n")
    p0 = check_probability(p, "p", open_low=False, open_high=False)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    est = proportion(
        k_, n_, method="clopper_pearson", confidence_level=confidence_level, alternative=alternative
    )
    return TestResult(
        statistic=float(k_),
        pvalue=_binomial_pvalue(k_, n_, p0, alternative),
        df=None,
        alternative=alternative,
        method="Exact binomial test",
        estimate=est,
        details=FrozenMapping({"n": n_, "null_value": p0}),
    )


def proportions_test(
    successes: Any,
    totals: Any,
    *,
    p: Any = None,
    correction: bool = True,
    alternative: AlternativeT = "two-sided",
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Chi-square test of one, two or k proportions, as R's ``prop.test``.

    Parameters
    ----------
    successes : int or array_like
        Numbers of successes, one per group.
    totals : int or array_like
        Numbers of trials, one per group, each positive and at least the successes.
    p : float or array_like, optional
        Null proportions in (0, 1): one per group. Default: 0.5 for one group; for several
        groups, the hypothesis of equal proportions.
    correction : bool
        Yates' continuity correction (one or two groups only, as R). Default True.
    alternative : {'two-sided', 'less', 'greater'}
        One-sided alternatives are available for one group or for the difference of two.
    confidence_level : float
        Confidence level of the interval. Default 0.95.

    Returns
    -------
    TestResult
        ``statistic`` (X-squared), ``pvalue``, ``df``; ``estimate``: one group -- the proportion
        with the Wilson score interval (continuity-corrected when ``correction``); two groups
        without ``p`` -- the difference ``p1 - p2`` with R's Wald interval; otherwise None.
        ``details``: ``proportions``, ``expected``, ``null_value``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If counts are negative or not whole, lengths differ, a total is 0 or below its
        successes, ``p`` has the wrong length or is outside (0, 1), a one-sided alternative is
        asked for more than two groups (or two with ``p``), or all groups have only successes
        (or only failures) so the statistic is undefined.

    Warns
    -----
    UserWarning
        When an expected count is below 5 (R: "Chi-squared approximation may be incorrect").

    Notes
    -----
    The statistic is :math:`\sum (|O - E| - Y)^2/E` over the successes and failures of each
    group, with expected counts from ``p`` (df = k) or from the pooled proportion (df = k - 1).
    R's correction :math:`Y` is 0.5 for one or two groups, shrunk to :math:`|x - np|` (one
    group) or :math:`|\hat p_1 - \hat p_2| / (1/n_1 + 1/n_2)` (two groups) when smaller.
    One-sided p-values use :math:`z = \operatorname{sign}(\cdot)\sqrt{X^2}`. The one-group
    interval is Wilson's score interval with the same correction; the two-group interval is
    :math:`\hat p_1 - \hat p_2 \pm (z\sqrt{\sum \hat p_i(1-\hat p_i)/n_i} + Y(1/n_1 + 1/n_2))`
    clipped to [-1, 1]. For better two-group intervals see ``statcraft.risk_difference``
    (Newcombe).

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Statistics in Medicine 17, 857-872 and 873-890.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.proportions_test([83, 90, 129, 70], [86, 93, 136, 82])  # R's smokers
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 6)
    (12.6004, 3.0, 0.005585)
    """
    x = _count_vector(successes, "successes")
    n = _count_vector(totals, "totals")
    if x.size != n.size:
        raise ValueError(
            f"`successes` and `totals` must have the same length; got {x.size} and {n.size}"
        )
    if (n == 0).any():
        raise ValueError("`totals` must be positive")
    if (x > n).any():
        i = int(np.flatnonzero(x > n)[0])
        raise ValueError(f"`successes` ({x[i]:g}) cannot exceed `totals` ({n[i]:g}) in group {i}")
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    correction = check_bool(correction, "correction")
    k = x.size
    if p is None:
        null = np.array([0.5]) if k == 1 else None
    else:
        null = check_array(p, "p", suggest_omit=False)
        if null.size != k:
            raise ValueError(f"`p` must have one value per group ({k}); got {null.size}")
        if ((null <= 0) | (null >= 1)).any():
            raise ValueError("every element of `p` must be in (0, 1)")
    if alternative != "two-sided" and not (k == 1 or (k == 2 and null is None)):
        raise ValueError(
            "a one-sided `alternative` is available for one group, or two groups without `p`"
        )
    est = x / n
    yates = 0.5 if correction and k <= 2 else 0.0
    z = float(
        stats.norm.ppf(
            (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
        )
    )
    estimate = None
    delta = 0.0
    if k == 1:
        null1 = null if null is not None else np.array([0.5])
        yates = min(yates, abs(float(x[0] - n[0] * null1[0])))
        lo, hi = _wilson_bounds(int(x[0]), int(n[0]), z, yates)
        ci = (lo if alternative != "less" else 0.0, hi if alternative != "greater" else 1.0)
        estimate = Estimate(
            float(est[0]),
            float(math.sqrt(est[0] * (1 - est[0]) / n[0])),
            ConfidenceInterval(float(ci[0]), float(ci[1])),
            confidence_level,
            "Wilson score interval" + (" with continuity correction" if yates > 0 else ""),
            int(n[0]),
        )
    elif k == 2 and null is None:
        delta = float(est[0] - est[1])
        inv = float((1 / n).sum())
        yates = min(yates, abs(delta) / inv)
        se = float(math.sqrt((est * (1 - est) / n).sum()))
        width = z * se + yates * inv
        ci = (
            max(delta - width, -1.0) if alternative != "less" else -1.0,
            min(delta + width, 1.0) if alternative != "greater" else 1.0,
        )
        estimate = Estimate(
            delta,
            se,
            ConfidenceInterval(float(ci[0]), float(ci[1])),
            confidence_level,
            "difference in proportions (Wald interval"
            + (" with continuity correction)" if yates > 0 else ")"),
            int(n.sum()),
        )
    if null is None:
        pooled = np.full(k, x.sum() / n.sum())
        df = float(k - 1)
    else:
        pooled = null
        df = float(k)
    observed = np.column_stack([x, n - x])
    expected = np.column_stack([n * pooled, n * (1 - pooled)])
    if (expected == 0).any():
        raise ValueError(
            "every group has only successes (or only failures): the pooled proportion is "
            "0 or 1 and the chi-square statistic is undefined"
        )
    if (expected < 5).any():
        warnings.warn(
            f"the smallest expected count is {expected.min():.3g} (< 5): the chi-square "
            "approximation may be incorrect",
            UserWarning,
            stacklevel=2,
        )
    statistic = float(((np.abs(observed - expected) - yates) ** 2 / expected).sum())
    if alternative == "two-sided":
        pvalue = float(stats.chi2.sf(statistic, df))
    else:
        sign = np.sign(est[0] - pooled[0]) if k == 1 else np.sign(delta)
        zs = float(sign * math.sqrt(statistic))
        pvalue = normal_pvalue(zs, alternative)
    if k == 1:
        name = "1-sample proportions test"
    else:
        name = f"{k}-sample test for {'equality of' if null is None else 'given'} proportions"
    method = f"{name} {'with' if yates > 0 else 'without'} continuity correction"
    return TestResult(
        statistic=statistic,
        pvalue=pvalue,
        df=df,
        alternative=alternative,
        method=method,
        estimate=estimate,
        details=FrozenMapping(
            {
                "proportions": est,
                "expected": expected,
                "null_value": None if null is None else null.copy(),
                "yates": yates,
            }
        ),
    )


def poisson_test(
    count: Any,
    exposure: Any = 1.0,
    *,
    rate: float = 1.0,
    alternative: AlternativeT = "two-sided",
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Exact test of a Poisson rate, or of the ratio of two rates, as R's ``poisson.test``.

    Parameters
    ----------
    count : int or sequence of two ints
        Number of events; two counts compare two rates.
    exposure : float or sequence of two floats
        Exposure (time base) of each count, positive. A single value is used for both counts.
        Default 1.
    rate : float
        Rate (one count) or rate ratio ``rate1 / rate2`` (two counts) under the null
        hypothesis, positive. Default 1.
    alternative : {'two-sided', 'less', 'greater'}
        Alternative for the rate (ratio) versus ``rate``.
    confidence_level : float
        Confidence level of the interval. Default 0.95.

    Returns
    -------
    TestResult
        One count: ``statistic`` = the count, ``estimate`` = the rate with the exact Garwood
        interval. Two counts: ``statistic`` = the first count, ``estimate`` = the rate ratio
        with its exact conditional interval. ``details['expected']`` is the expected (first)
        count under the null.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If a count is negative or not whole, an exposure or ``rate`` is not positive and
        finite, more than two counts are given, lengths differ, or both counts are zero.

    Notes
    -----
    One count :math:`x` with exposure :math:`T`: the null mean is :math:`m = rT`; one-sided
    p-values are Poisson tails and the two-sided one sums the probabilities of counts no more
    likely than :math:`x` (R's rule). Two counts: conditionally on :math:`x_1 + x_2`,
    :math:`x_1` is binomial with :math:`p = rT_1/(rT_1 + T_2)`; the test is that binomial test
    and the Clopper-Pearson interval :math:`(p_L, p_U)` becomes the rate-ratio interval
    :math:`p/(1-p) \cdot T_2/T_1`.

    References
    ----------
    .. [1] Garwood, F. (1936). Biometrika 28, 437-442.
    .. [2] Cox, D. R. (1953). Some simple approximate tests for Poisson variates. Biometrika
       40, 354-360.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.poisson_test([11, 6 + 8 + 7], [800, 1083 + 1050 + 878])
    >>> round(res.estimate.estimate, 6), round(res.pvalue, 6)
    (1.971488, 0.079669)
    """
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    r = check_positive(rate, "rate")
    scalar = np.ndim(count) == 0 and not isinstance(count, (list, tuple))
    counts = [count] if scalar else list(np.asarray(count, dtype=object).ravel())
    if len(counts) not in (1, 2):
        raise ValueError(f"`count` must hold one or two counts; got {len(counts)}")
    xs = [check_count(c, "count") for c in counts]
    exps = (
        [exposure] if np.ndim(exposure) == 0 else list(np.asarray(exposure, dtype=object).ravel())
    )
    if len(exps) == 1:
        exps = exps * len(xs)
    if len(exps) != len(xs):
        raise ValueError(
            f"`exposure` must have one value per count; got {len(exps)} for {len(xs)} counts"
        )
    ts = [check_positive(t, "exposure") for t in exps]
    if len(xs) == 1:
        x, t = xs[0], ts[0]
        m = r * t
        if alternative == "less":
            pvalue = float(stats.poisson.cdf(x, m))
        elif alternative == "greater":
            pvalue = float(stats.poisson.sf(x - 1, m))
        else:
            pvalue = poisson_two_sided_pvalue(x, m)
        return TestResult(
            statistic=float(x),
            pvalue=pvalue,
            df=None,
            alternative=alternative,
            method="Exact Poisson test",
            estimate=poisson_rate(x, t, confidence_level=confidence_level, alternative=alternative),
            details=FrozenMapping({"expected": m, "null_value": r, "exposure": t}),
        )
    (x1, x2), (t1, t2) = xs, ts
    total = x1 + x2
    if total == 0:
        raise ValueError("both counts are zero: the rate ratio and its test are undefined")
    p0 = r * t1 / (r * t1 + t2)
    pvalue = _binomial_pvalue(x1, total, p0, alternative)
    p_lo, p_hi = _clopper_pearson(x1, total, *_tail_errors(confidence_level, alternative))
    low = p_lo / (1 - p_lo) * t2 / t1
    high = p_hi / (1 - p_hi) * t2 / t1 if p_hi < 1 else math.inf
    ratio = (x1 / t1) / (x2 / t2) if x2 > 0 else math.inf
    estimate = Estimate(
        float(ratio),
        None,
        ConfidenceInterval(float(low), float(high)),
        confidence_level,
        "rate ratio (exact conditional CI)",
        None,
    )
    return TestResult(
        statistic=float(x1),
        pvalue=pvalue,
        df=None,
        alternative=alternative,
        method="Comparison of Poisson rates",
        estimate=estimate,
        details=FrozenMapping(
            {"expected": total * p0, "null_value": r, "exposure": (t1, t2), "counts": (x1, x2)}
        ),
    )
