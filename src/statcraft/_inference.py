"""Shared t and normal p-values and Wald-type intervals for an ``alternative``.

Private helpers used by the estimators and tests that report a t or z statistic, so that the
tail conventions (``'less'``: lower tail and ``(-inf, upper]``; ``'greater'``: upper tail and
``[lower, inf)``; two-sided: twice the smaller tail, capped at 1) are written once; and the
all-NaN :class:`~statcraft.results.TestResult` and :class:`~statcraft.results.Estimate` that
``nan_policy='propagate'`` returns.
"""

from __future__ import annotations

import math

from scipy import special

from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult


def t_pvalue(t: float, df: float, alternative: str) -> float:
    """P-value of a t statistic with ``df`` degrees of freedom."""
    if alternative == "less":
        return float(special.stdtr(df, t))
    if alternative == "greater":
        return float(special.stdtr(df, -t))
    return float(min(1.0, 2.0 * special.stdtr(df, -abs(t))))


def normal_pvalue(z: float, alternative: str) -> float:
    """P-value of a standard normal statistic."""
    if alternative == "less":
        return float(special.ndtr(z))
    if alternative == "greater":
        return float(special.ndtr(-z))
    return float(min(1.0, 2.0 * special.ndtr(-abs(z))))


def _bounds(estimate: float, se: float, q: float, alternative: str) -> ConfidenceInterval:
    if alternative == "two-sided":
        return ConfidenceInterval(estimate - q * se, estimate + q * se)
    if alternative == "less":
        return ConfidenceInterval(-math.inf, estimate + q * se)
    return ConfidenceInterval(estimate - q * se, math.inf)


def t_interval(
    estimate: float, se: float, df: float, confidence_level: float, alternative: str
) -> ConfidenceInterval:
    """``estimate ± t_{df} se``; one-sided intervals have an infinite bound."""
    p = (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
    return _bounds(estimate, se, float(special.stdtrit(df, p)), alternative)


def z_interval(
    estimate: float, se: float, confidence_level: float, alternative: str
) -> ConfidenceInterval:
    """Wald interval ``estimate ± z se``; one-sided intervals have an infinite bound."""
    p = (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
    return _bounds(estimate, se, float(special.ndtri(p)), alternative)


def nan_test(
    method: str,
    *,
    alternative: str | None = None,
    df: float | None = None,
    estimate: Estimate | None = None,
) -> TestResult:
    """Return the NaN result of ``nan_policy='propagate'`` when the data hold NaN."""
    return TestResult(
        statistic=math.nan,
        pvalue=math.nan,
        df=df,
        alternative=alternative,
        method=method,
        estimate=estimate,
        details=FrozenMapping({"nan_policy": "propagate"}),
    )


def nan_estimate(
    method: str,
    confidence_level: float,
    n: int,
    *,
    std_error: float | None = math.nan,
    alternative: str | None = None,
) -> Estimate:
    """Return the NaN estimate of ``nan_policy='propagate'`` when the data hold NaN."""
    details: dict[str, object] = {"nan_policy": "propagate"}
    if alternative is not None:
        details["alternative"] = alternative
    return Estimate(
        math.nan,
        std_error,
        ConfidenceInterval(math.nan, math.nan),
        confidence_level,
        method,
        n,
        details=FrozenMapping(details),
    )
