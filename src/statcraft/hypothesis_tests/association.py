"""Correlation tests: Pearson, Spearman and Kendall with intervals and exact p-values.

========================  ================================  ====================  ==============
Test                      Assumes                           R                     scipy
========================  ================================  ====================  ==============
``correlation`` pearson   bivariate normal (t test, CI)     ``cor.test``          ``pearsonr``
``correlation`` spearman  monotone association              ``cor.test``          ``spearmanr``
``correlation`` kendall   monotone association              ``cor.test``          ``kendalltau``
``partial_correlation``   linear adjustment for covariates  ``ppcor::pcor.test``  none
========================  ================================  ====================  ==============
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
from scipy import stats

from statcraft._inference import nan_estimate, nan_test, normal_pvalue, t_pvalue
from statcraft._rank_distributions import fisher_z_interval
from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_not_constant,
    check_paired,
    check_same_length,
)
from statcraft.hypothesis_tests._exact_correlation import kendall_tail, spearman_tail
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult

__all__ = ["correlation", "partial_correlation"]

_METHODS = ("pearson", "spearman", "kendall")
_NAMES = {
    "pearson": "Pearson's product-moment correlation",
    "spearman": "Spearman's rank correlation rho",
    "kendall": "Kendall's rank correlation tau",
}


def _fisher_interval(
    r: float, se_z: float | None, alternative: str, confidence_level: float
) -> ConfidenceInterval:
    """Back-transformed Fisher-z interval ``tanh(atanh(r) -/+ q se_z)``, clipped to [-1, 1]."""
    lo, hi = fisher_z_interval(r, se_z, alternative, confidence_level)
    return ConfidenceInterval(float(lo), float(hi))


def _t_from_r(r: float, df: float) -> float:
    if abs(r) >= 1.0:
        return math.copysign(math.inf, r)
    return math.sqrt(df) * r / math.sqrt(1.0 - r * r)


def _tie_sizes(a: np.ndarray) -> np.ndarray:
    counts = np.unique(a, return_counts=True)[1]
    return counts[counts > 1].astype(float)


def _nan_result(method: str, alternative: str, confidence_level: float, n: int) -> TestResult:
    est = nan_estimate(method, confidence_level, n)
    return nan_test(_NAMES[method], alternative=alternative, estimate=est)


def correlation(
    x: Any,
    y: Any,
    *,
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
    exact: bool | None = None,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence_level: float = 0.95,
    correction: bool = False,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Test for association between paired samples, as R's ``cor.test``, with an interval.

    Parameters
    ----------
    x, y : array_like
        Paired numeric samples of the same length (at least 3 complete pairs).
    method : {'pearson', 'spearman', 'kendall'}
        The correlation coefficient.
    exact : bool or None
        Whether to compute an exact p-value (Spearman and Kendall only; ignored for Pearson).
        None (default) follows R: Spearman exact whenever there are no ties; Kendall exact when
        there are no ties and ``n < 50``. With ties an exact p-value is not available; asking
        for one warns and falls back to the normal approximation, as R does.
    alternative : {'two-sided', 'less', 'greater'}
        'greater' is positive association, 'less' negative association.
    confidence_level : float
        Confidence level of the interval for the correlation.
    correction : bool
        Continuity correction for the non-exact Spearman and Kendall p-values (R's
        ``continuity``).
    nan_policy : {'raise', 'omit', 'propagate'}
        'omit' drops incomplete pairs; 'propagate' returns NaN results when a NaN is present.

    Returns
    -------
    TestResult
        ``statistic`` as R: ``t`` (Pearson, ``df = n - 2``); ``S`` (Spearman); ``T`` (Kendall,
        exact) or ``z`` (Kendall, normal approximation) -- ``details['statistic_name']`` says
        which. ``estimate`` is the correlation with its confidence interval (the correlation is
        itself the effect size, so ``effect_size`` is None). ``details`` hold ``n``,
        ``pvalue_method`` and, for the interval, ``fisher_z_std_error``.

    Raises
    ------
    ValueError
        Lengths differ, fewer than 3 complete pairs, NaN with ``nan_policy='raise'``, infinite
        values, or ``x`` or ``y`` constant (the correlation is then undefined).
    TypeError
        Non-numeric input.

    Notes
    -----
    *Pearson.* ``t = r sqrt(n - 2) / sqrt(1 - r^2)`` on ``n - 2`` degrees of freedom; the interval
    is Fisher's: ``tanh(atanh(r) -/+ z_q / sqrt(n - 3))``, as R. With ``n = 3`` the interval is
    the whole range ``[-1, 1]`` (R gives none).

    *Spearman.* ``rho`` is Pearson's correlation of the (mid)ranks, ``S = (n^3 - n)(1 - rho) / 6``.
    The p-value is R's: algorithm AS 89 (exact enumeration of all ``n!`` permutations for
    ``n <= 9``, an Edgeworth series for ``10 <= n <= 1290``); with ties, ``exact=False`` or
    ``n > 1290``, Student's t with ``n - 2`` df on ``rho`` (optionally continuity corrected).

    *Kendall.* ``tau`` is tau-b (tau-a without ties). Without ties and with ``exact``, ``T`` is the
    number of concordant pairs and its exact null distribution is used (R's ``ckendall``).
    Otherwise ``z = S / sqrt(var S)`` with R's tie-corrected variance of
    ``S = tau sqrt((T0 - T1)(T0 - T2))``.

    *Intervals for the rank correlations* (R gives none): Fisher's z transform with the standard
    errors recommended by Bonett & Wright (2000): ``sqrt((1 + rho^2 / 2) / (n - 3))`` for
    Spearman and ``sqrt(0.437 / (n - 4))`` for Kendall (Fieller, Hartley & Pearson 1957). They
    hold their level well for bivariate-normal-like data and ``n >= 10``; for ``n <= 3``
    (Spearman) or ``n <= 4`` (Kendall) the interval is ``[-1, 1]``. ``std_error`` of every
    estimate is the delta-method ``(1 - r^2) * se_z``.

    *Where scipy differs.* ``scipy.stats.spearmanr`` gives only the t approximation (no exact or
    AS 89 p-value); ``scipy.stats.kendalltau`` switches to its exact p-value only for
    ``n <= 33`` ('auto') and its normal approximation omits R's continuity option; neither
    gives an interval for the rank correlations, and ``pearsonr`` uses an exact beta
    distribution for the p-value (identical to the t test) and its interval only on request.

    References
    ----------
    Best, D. J. and Roberts, D. E. (1975). Algorithm AS 89: The upper tail probabilities of
    Spearman's rho. *Applied Statistics* 24, 377-379.
    Bonett, D. G. and Wright, T. A. (2000). Sample size requirements for estimating Pearson,
    Kendall and Spearman correlations. *Psychometrika* 65, 23-28.
    Hollander, M. and Wolfe, D. A. (1973). *Nonparametric Statistical Methods*. Wiley.
    Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika* 30, 81-93.

    Examples
    --------
    Hollander & Wolfe (1973, p. 187), the example of R's ``?cor.test``:

    >>> import statcraft as sc
    >>> x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
    >>> y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
    >>> res = sc.correlation(x, y)
    >>> round(res.statistic, 4), round(res.pvalue, 4), round(res.estimate.estimate, 7)
    (1.8411, 0.1082, 0.5711816)
    >>> [round(v, 7) for v in res.estimate.confidence_interval]
    [-0.1497426, 0.8955795]
    >>> res = sc.correlation(x, y, method="kendall")
    >>> res.statistic, round(res.pvalue, 4)
    (26.0, 0.1194)
    >>> res = sc.correlation(x, y, method="spearman")
    >>> res.statistic, round(res.pvalue, 4), res.estimate.estimate
    (48.0, 0.0968, 0.6)
    """
    method = check_choice(method, "method", _METHODS)  # type: ignore[assignment]
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    if exact is not None and not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"`exact` must be True, False or None; got {exact!r}")
    correction = check_bool(correction, "correction")
    xa, ya = check_paired(x, y, min_size=3, nan_policy=nan_policy)
    n = xa.size
    if nan_policy == "propagate" and (np.isnan(xa).any() or np.isnan(ya).any()):
        return _nan_result(method, alternative, confidence_level, n)
    why = f"the {method} correlation is undefined when a variable has no variation"
    check_not_constant(xa, "x", why)
    check_not_constant(ya, "y", why)

    details: dict[str, Any] = {"n": n}
    df: float | None = None
    if method == "pearson":
        r = float(np.corrcoef(xa, ya)[0, 1])
        r = min(1.0, max(-1.0, r))
        df = float(n - 2)
        statistic = _t_from_r(r, df)
        pvalue = t_pvalue(statistic, df, alternative)
        se_z = 1.0 / math.sqrt(n - 3) if n > 3 else None
        details.update(statistic_name="t", pvalue_method="t distribution")
        est_method = "Pearson correlation (Fisher z interval)"
    elif method == "spearman":
        rx, ry = stats.rankdata(xa), stats.rankdata(ya)
        r = min(1.0, max(-1.0, float(np.corrcoef(rx, ry)[0, 1])))
        ties = bool(_tie_sizes(xa).size or _tie_sizes(ya).size)
        use_exact = True if exact is None else bool(exact)
        if ties and use_exact:
            if exact:
                warnings.warn(
                    "cannot compute an exact p-value with ties; using the t approximation",
                    UserWarning,
                    stacklevel=2,
                )
            use_exact = False
        q = (n**3 - n) * (1.0 - r) / 6.0
        statistic = q
        pvalue = _spearman_pvalue(q, n, alternative, use_exact and n <= 1290, correction)
        if use_exact and n <= 1290:
            how = "exact (all permutations)" if n <= 9 else "Edgeworth series (AS 89)"
        else:
            how = "t approximation" + (" with continuity correction" if correction else "")
        details.update(statistic_name="S", pvalue_method=how, ties=ties)
        se_z = math.sqrt((1.0 + r * r / 2.0) / (n - 3)) if n > 3 else None
        est_method = "Spearman's rho (Fisher z interval, Bonett-Wright SE)"
    else:
        r = min(1.0, max(-1.0, float(stats.kendalltau(xa, ya).statistic)))
        tx, ty = _tie_sizes(xa), _tie_sizes(ya)
        ties = bool(tx.size or ty.size)
        use_exact = (n < 50) if exact is None else bool(exact)
        if use_exact and not ties:
            q = round((r + 1.0) * n * (n - 1) / 4.0)
            statistic = float(q)
            pvalue = _kendall_exact_pvalue(q, n, alternative)
            details.update(statistic_name="T", pvalue_method="exact null distribution")
        else:
            if use_exact and exact:
                warnings.warn(
                    "cannot compute an exact p-value with ties; using the normal approximation",
                    UserWarning,
                    stacklevel=2,
                )
            statistic = _kendall_z(r, n, tx, ty, correction)
            pvalue = normal_pvalue(statistic, alternative)
            how = "normal approximation (tie-corrected variance)"
            if correction:
                how += " with continuity correction"
            details.update(statistic_name="z", pvalue_method=how)
        details["ties"] = ties
        se_z = math.sqrt(0.437 / (n - 4)) if n > 4 else None
        est_method = "Kendall's tau-b (Fisher z interval, Fieller SE)"

    ci = _fisher_interval(r, se_z, alternative, confidence_level)
    details["fisher_z_std_error"] = se_z
    estimate = Estimate(
        estimate=float(r),
        std_error=None if se_z is None else float((1.0 - r * r) * se_z),
        confidence_interval=ci,
        confidence_level=confidence_level,
        method=est_method,
        n=n,
    )
    return TestResult(
        statistic=float(statistic),
        pvalue=float(pvalue),
        df=df,
        alternative=alternative,
        method=_NAMES[method],
        estimate=estimate,
        details=FrozenMapping(details),
    )


def _spearman_pvalue(q: float, n: int, alternative: str, exact: bool, continuity: bool) -> float:
    """R's ``pspearman`` logic: AS 89 when exact, Student's t otherwise."""

    def tail(lower: bool) -> float:
        if exact:
            return spearman_tail(n, q, lower=lower)
        den = n * (n * n - 1.0) / 6.0 + (1.0 if continuity else 0.0)
        r = 1.0 - q / den
        t = _t_from_r(r, n - 2.0)
        # lower tail of S is the upper tail of r
        return float(stats.t.sf(t, n - 2)) if lower else float(stats.t.cdf(t, n - 2))

    if alternative == "greater":
        return tail(True)
    if alternative == "less":
        return tail(False)
    p = tail(False) if q > (n**3 - n) / 6.0 else tail(True)
    return min(2.0 * p, 1.0)


def _kendall_exact_pvalue(q: int, n: int, alternative: str) -> float:
    if alternative == "greater":
        return kendall_tail(n, q, lower=False)
    if alternative == "less":
        return kendall_tail(n, q, lower=True)
    p = kendall_tail(n, q, lower=False) if q > n * (n - 1) / 4.0 else kendall_tail(n, q, lower=True)
    return min(2.0 * p, 1.0)


def _kendall_z(r: float, n: int, tx: np.ndarray, ty: np.ndarray, continuity: bool) -> float:
    """R's tie-corrected normal statistic for Kendall's tau."""
    t0 = n * (n - 1) / 2.0
    t1 = float(np.sum(tx * (tx - 1))) / 2.0
    t2 = float(np.sum(ty * (ty - 1))) / 2.0
    s = r * math.sqrt((t0 - t1) * (t0 - t2))
    v0 = n * (n - 1) * (2 * n + 5.0)
    vt = float(np.sum(tx * (tx - 1) * (2 * tx + 5)))
    vu = float(np.sum(ty * (ty - 1) * (2 * ty + 5)))
    v1 = float(np.sum(tx * (tx - 1))) * float(np.sum(ty * (ty - 1)))
    v2 = float(np.sum(tx * (tx - 1) * (tx - 2))) * float(np.sum(ty * (ty - 1) * (ty - 2)))
    var_s = (v0 - vt - vu) / 18.0 + v1 / (2.0 * n * (n - 1)) + v2 / (9.0 * n * (n - 1) * (n - 2))
    if continuity:
        s = math.copysign(abs(s) - 1.0, s) if s != 0 else 0.0
    return s / math.sqrt(var_s)


def partial_correlation(
    x: Any,
    y: Any,
    covariates: Any,
    *,
    method: Literal["pearson", "spearman"] = "pearson",
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Partial correlation of ``x`` and ``y`` given ``covariates``, as ``ppcor::pcor.test``.

    Parameters
    ----------
    x, y : array_like
        Paired numeric samples of length ``n``.
    covariates : array_like
        The variables to control for: a 1-D array of length ``n`` or an ``(n, k)`` array or
        DataFrame.
    method : {'pearson', 'spearman'}
        'spearman' ranks ``x``, ``y`` and every covariate first (as ``ppcor``).
    alternative : {'two-sided', 'less', 'greater'}
        Direction of the alternative.
    confidence_level : float
        Confidence level of the Fisher-z interval.
    nan_policy : {'raise', 'omit', 'propagate'}
        'omit' drops rows with a NaN in any variable.

    Returns
    -------
    TestResult
        ``statistic`` is ``t = r sqrt((n - 2 - k) / (1 - r^2))`` on ``df = n - 2 - k``;
        ``estimate`` the partial correlation with a Fisher-z interval, standard error
        ``1 / sqrt(n - 3 - k)`` on the z scale.

    Raises
    ------
    ValueError
        Mismatched lengths, ``n < k + 4`` (too few observations for a test and an interval),
        constant variables, or covariates that explain ``x`` or ``y`` exactly.

    Notes
    -----
    The partial correlation is the correlation of the residuals of ``x`` and of ``y`` after least
    squares regression on the covariates with an intercept. The t test and its ``n - 2 - k``
    degrees of freedom are those of ``ppcor::pcor.test`` (and of the coefficient of ``x`` in the
    regression of ``y`` on ``x`` and the covariates). scipy has no partial correlation.

    References
    ----------
    Kim, S. (2015). ppcor: an R package for a fast calculation to semi-partial correlation
    coefficients. *Communications for Statistical Applications and Methods* 22, 665-674.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    >>> y = [2.1, 2.9, 4.2, 3.8, 5.5, 6.1, 6.8, 8.4]
    >>> z = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.0]
    >>> res = sc.partial_correlation(x, y, z)
    >>> res.df
    5.0
    >>> round(res.estimate.estimate, 4), round(res.statistic, 3)
    (0.5582, 1.504)
    """
    method = check_choice(method, "method", ("pearson", "spearman"))  # type: ignore[assignment]
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    policy = "propagate" if nan_policy == "omit" else nan_policy
    xa = check_array(x, "x", nan_policy=policy)
    ya = check_array(y, "y", nan_policy=policy)
    za = check_array(covariates, "covariates", ndim=2, nan_policy=policy)
    check_same_length(x=xa, y=ya, covariates=za)
    if nan_policy == "omit":
        keep = ~(np.isnan(xa) | np.isnan(ya) | np.isnan(za).any(axis=1))
        xa, ya, za = xa[keep], ya[keep], za[keep]
    n, k = za.shape
    if n < k + 4:
        raise ValueError(
            f"`x`, `y` and `covariates` need at least k + 4 = {k + 4} complete rows for "
            f"{k} covariate(s); got {n}"
        )
    if nan_policy == "propagate" and (
        np.isnan(xa).any() or np.isnan(ya).any() or np.isnan(za).any()
    ):
        est = nan_estimate("partial", confidence_level, n)
        return nan_test(
            "Partial correlation", alternative=alternative, df=float(n - 2 - k), estimate=est
        )
    why = "the partial correlation is undefined when a variable has no variation"
    check_not_constant(xa, "x", why)
    check_not_constant(ya, "y", why)
    for j in range(k):
        check_not_constant(
            za[:, j],
            "covariates" if k == 1 else f"covariates[:, {j}]",
            "a constant covariate duplicates the intercept; drop it",
        )
    if method == "spearman":
        xa, ya = stats.rankdata(xa), stats.rankdata(ya)
        za = stats.rankdata(za, axis=0)
    design = np.column_stack([np.ones(n), za])
    coef, *_ = np.linalg.lstsq(design, np.column_stack([xa, ya]), rcond=None)
    resid = np.column_stack([xa, ya]) - design @ coef
    scale = np.sqrt((resid**2).sum(axis=0))
    base = np.sqrt(np.array([((xa - xa.mean()) ** 2).sum(), ((ya - ya.mean()) ** 2).sum()]))
    if np.any(scale <= 1e-12 * base):
        raise ValueError(
            "`covariates` explain `x` or `y` exactly; the partial correlation is undefined"
        )
    r = float(np.clip(resid[:, 0] @ resid[:, 1] / (scale[0] * scale[1]), -1.0, 1.0))
    df = float(n - 2 - k)
    t = _t_from_r(r, df)
    pvalue = t_pvalue(t, df, alternative)
    se_z = 1.0 / math.sqrt(n - 3 - k)
    ci = _fisher_interval(r, se_z, alternative, confidence_level)
    label = "Pearson" if method == "pearson" else "Spearman"
    estimate = Estimate(
        float(r),
        float((1 - r * r) * se_z),
        ci,
        confidence_level,
        f"{label} partial correlation (Fisher z interval)",
        n,
    )
    return TestResult(
        statistic=float(t),
        pvalue=float(pvalue),
        df=df,
        alternative=alternative,
        method=f"{label} partial correlation",
        estimate=estimate,
        details=FrozenMapping({"n": n, "n_covariates": k, "fisher_z_std_error": se_z}),
    )
