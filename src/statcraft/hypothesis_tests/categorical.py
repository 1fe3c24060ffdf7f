"""Tests for counts and contingency tables.

Every test returns a :class:`~statcraft.results.TestResult` whose ``estimate`` is the tested
quantity with its confidence interval where one exists (a proportion, a difference of
proportions, an odds ratio, a rate or a rate ratio) and whose ``effect_size`` is Cramér's V (or
Cohen's w) where that is the standard effect size.

========================  ==========================================  ============================
statcraft                 assumes                                     R equivalent
========================  ==========================================  ============================
``chi2_independence``     independent observations; expected counts   ``chisq.test(table)``
                          not too small (>= 5 as a rule)
``chi2_goodness_of_fit``  independent observations; large expected    ``chisq.test(x, p = )``
                          counts
``fisher_exact``          margins fixed (conditional test)            ``fisher.test``
``mcnemar``               paired binary (or r-category) outcomes      ``mcnemar.test``
``binomial_test``         independent Bernoulli trials                ``binom.test``
``proportions_test``      independent binomial samples, large n       ``prop.test``
``poisson_test``          Poisson counts with known exposure          ``poisson.test``
``mantel_haenszel``       2×2 (or I×J) strata; common odds ratio      ``mantelhaen.test``
``cramers_v``             as ``chi2_independence``                    ``effectsize::cramers_v``
========================  ==========================================  ============================

scipy equivalents: ``scipy.stats.chi2_contingency`` (its Yates rule differs from R's for small
:math:`|O - E|`), ``scipy.stats.chisquare``, ``scipy.stats.fisher_exact`` (2×2: the sample odds
ratio; r×c: a permutation or Monte Carlo p-value), ``scipy.stats.binomtest``,
``scipy.stats.contingency.association`` (Cramér's V without an interval); statsmodels:
``mcnemar``, ``proportions_chisquare``, ``test_poisson``, ``StratifiedTable``. None of them
returns the tested quantity with its interval and an effect size in one result.

Tables are validated once: they must be two-dimensional (three-dimensional for
:func:`mantel_haenszel`), hold non-negative whole-number counts, and have no empty row or column
where the test would be undefined; anything else raises a ``ValueError`` that says what is wrong.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special, stats

from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_confidence_level,
)
from statcraft.estimators.proportions import (
    _clopper_pearson,
    _tail_errors,
)
from statcraft.hypothesis_tests._count_tests import (
    _check_table,
    _whole_counts,
    binomial_test,
    poisson_test,
    proportions_test,
)
from statcraft.hypothesis_tests._exact_tables import (
    binomial_two_sided_pvalue,
    fisher_rxc_pvalue,
    hypergeometric_2x2,
)
from statcraft.hypothesis_tests._stratified import mantel_haenszel
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult

__all__ = [
    "binomial_test",
    "chi2_goodness_of_fit",
    "chi2_independence",
    "cramers_v",
    "fisher_exact",
    "mantel_haenszel",
    "mcnemar",
    "poisson_test",
    "proportions_test",
]

AlternativeT = Literal["two-sided", "less", "greater"]


def _labelled(values: np.ndarray, like: Any) -> Any:
    """Return ``values`` as a DataFrame with the labels of ``like`` when it is a DataFrame."""
    if isinstance(like, pd.DataFrame):
        return pd.DataFrame(values, index=like.index, columns=like.columns)
    return values


def _ncp_interval(statistic: float, df: float, confidence_level: float) -> tuple[float, float]:
    """Confidence interval for the noncentrality λ of a chi-square statistic (test inversion).

    ``λ_L`` solves ``F(statistic; df, λ) = 1 - α/2`` and ``λ_U`` solves ``... = α/2``, where
    ``F`` is the noncentral chi-square cdf (decreasing in λ); a bound is 0 when even ``λ = 0``
    does not reach its level.
    """
    a = (1 - confidence_level) / 2

    def bound(level: float) -> float:
        if special.chdtr(df, statistic) <= level:
            return 0.0
        return float(special.chndtrinc(statistic, df, level))  # cdflib's inversion in λ

    return bound(1 - a), bound(a)


def _cramers_v_estimate(
    arr: np.ndarray, confidence_level: float, bias_correction: bool
) -> Estimate:
    n = float(arr.sum())
    r, c = arr.shape
    expected = np.outer(arr.sum(1), arr.sum(0)) / n
    chi2 = float(((arr - expected) ** 2 / expected).sum())
    k = min(r, c)
    df = (r - 1) * (c - 1)
    lam_lo, lam_hi = _ncp_interval(chi2, df, confidence_level)
    low = min(1.0, math.sqrt(lam_lo / (n * (k - 1))))
    high = min(1.0, math.sqrt(lam_hi / (n * (k - 1))))
    if bias_correction:
        if n <= 1:
            raise ValueError("`table` needs at least 2 observations for the bias correction")
        phi2 = max(0.0, chi2 / n - df / (n - 1))
        r_t = r - (r - 1) ** 2 / (n - 1)
        c_t = c - (c - 1) ** 2 / (n - 1)
        denom = min(r_t - 1, c_t - 1)
        v = math.sqrt(phi2 / denom) if denom > 0 else 0.0
        method = "Cramér's V (Bergsma bias-corrected; noncentral chi-square CI)"
    else:
        v = math.sqrt(chi2 / (n * (k - 1)))
        method = "Cramér's V (noncentral chi-square CI)"
    return Estimate(
        float(min(v, 1.0)),
        None,
        ConfidenceInterval(float(low), float(high)),
        confidence_level,
        method,
        int(n),
        details=FrozenMapping(
            {
                "chi2": chi2,
                "df": df,
                "ncp_interval": (lam_lo, lam_hi),
                "bias_corrected": bias_correction,
            }
        ),
    )


# --------------------------------------------------------------------------- chi-square tests


def cramers_v(
    table: Any, *, confidence_level: float = 0.95, bias_correction: bool = False
) -> Estimate:
    r"""Cramér's V for an r×c contingency table, with a confidence interval.

    Parameters
    ----------
    table : array_like or pandas.DataFrame
        Two-dimensional table of non-negative whole counts, at least 2×2, no empty row or
        column.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.
    bias_correction : bool
        Use Bergsma's (2013) bias-corrected point estimate. Default False (the classic V).

    Returns
    -------
    Estimate
        V in [0, 1] with its interval (``std_error`` is None); ``details`` hold the
        Pearson statistic, its degrees of freedom and the interval for the noncentrality.

    Raises
    ------
    TypeError
        If ``table`` is not numeric.
    ValueError
        If ``table`` is not 2-D, is smaller than 2×2, has negative or non-integer counts, or
        has an empty row or column; or ``confidence_level`` is outside (0, 1).

    Notes
    -----
    :math:`V = \sqrt{X^2 / (n (k - 1))}` with :math:`X^2` the Pearson statistic without
    continuity correction and :math:`k = \min(r, c)`. The interval inverts the noncentral
    chi-square distribution of :math:`X^2` (Smithson 2003; as R's ``effectsize``): find
    :math:`\lambda_L, \lambda_U` with :math:`F(X^2; df, \lambda_L) = 1 - \alpha/2` and
    :math:`F(X^2; df, \lambda_U) = \alpha/2` (0 when not attainable) and report
    :math:`\sqrt{\lambda / (n (k - 1))}`, capped at 1. With ``bias_correction=True`` the point
    estimate is Bergsma's :math:`\tilde V = \sqrt{\tilde\phi^2 / \min(\tilde r - 1, \tilde c - 1)}`,
    :math:`\tilde\phi^2 = \max(0, X^2/n - (r-1)(c-1)/(n-1))`,
    :math:`\tilde r = r - (r-1)^2/(n-1)` (likewise :math:`\tilde c`); the interval is unchanged,
    since :math:`\lambda` already estimates :math:`n \phi^2` without the upward bias of
    :math:`X^2`.

    References
    ----------
    .. [1] Cramér, H. (1946). Mathematical Methods of Statistics. Princeton.
    .. [2] Smithson, M. (2003). Confidence Intervals. Sage, ch. 7.
    .. [3] Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of
       the Korean Statistical Society 42, 323-328.

    Examples
    --------
    >>> import statcraft as sc
    >>> v = sc.cramers_v([[762, 327, 468], [484, 239, 477]])
    >>> round(v.estimate, 4)
    0.1044
    >>> [round(b, 3) for b in v.confidence_interval]
    [0.065, 0.141]
    """
    confidence_level = check_confidence_level(confidence_level)
    bias_correction = check_bool(bias_correction, "bias_correction")
    arr = _check_table(table)
    return _cramers_v_estimate(arr, confidence_level, bias_correction)


def chi2_independence(
    table: Any, *, correction: bool = True, confidence_level: float = 0.95
) -> TestResult:
    r"""Pearson's chi-square test of independence for an r×c contingency table.

    Parameters
    ----------
    table : array_like or pandas.DataFrame
        Two-dimensional table of non-negative whole counts, at least 2×2, no empty row or
        column (a DataFrame, e.g. from ``pandas.crosstab``, keeps its labels in ``details``).
    correction : bool
        Apply Yates' continuity correction; only ever used for a 2×2 table, as R. Default True.
    confidence_level : float
        Confidence level of the Cramér's V interval. Default 0.95.

    Returns
    -------
    TestResult
        ``statistic`` (X-squared), ``pvalue``, ``df = (r-1)(c-1)``, ``effect_size`` (Cramér's V
        with its interval, from the uncorrected statistic); ``details``: ``observed``,
        ``expected``, ``residuals`` (Pearson), ``stdres`` (standardized), ``min_expected``.
        ``estimate`` is None (independence has no single tested quantity).

    Raises
    ------
    TypeError
        If ``table`` is not numeric.
    ValueError
        If ``table`` is not 2-D, is smaller than 2×2, has negative or non-integer counts, or
        has an empty row or column (the expected counts would be zero).

    Warns
    -----
    UserWarning
        When an expected count is below 5, as R's "Chi-squared approximation may be incorrect".

    Notes
    -----
    With :math:`E_{ij} = n_{i\cdot} n_{\cdot j} / n`,
    :math:`X^2 = \sum (|O_{ij} - E_{ij}| - Y)^2 / E_{ij}` where the Yates correction
    :math:`Y = \min(0.5, |O - E|)` is used only for 2×2 tables with ``correction=True``
    (R's ``chisq.test``; scipy's ``chi2_contingency`` uses a different rule for small
    :math:`|O - E|`). Pearson residuals are :math:`(O - E)/\sqrt{E}`; standardized residuals
    divide by :math:`\sqrt{E (1 - n_{i\cdot}/n)(1 - n_{\cdot j}/n)}`.

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley, sec. 3.2.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.chi2_independence([[762, 327, 468], [484, 239, 477]])
    >>> round(res.statistic, 4), res.df, f"{res.pvalue:.4g}"
    (30.0701, 2.0, '2.954e-07')
    """
    confidence_level = check_confidence_level(confidence_level)
    correction = check_bool(correction, "correction")
    arr = _check_table(table)
    n = arr.sum()
    rows, cols = arr.sum(axis=1), arr.sum(axis=0)
    expected = np.outer(rows, cols) / n
    yates = 0.0
    if correction and arr.shape == (2, 2):
        yates = float(min(0.5, np.abs(arr - expected).min()))
    statistic = float(((np.abs(arr - expected) - yates) ** 2 / expected).sum())
    df = float((arr.shape[0] - 1) * (arr.shape[1] - 1))
    pvalue = float(stats.chi2.sf(statistic, df))
    var = np.outer(rows, cols) * np.outer(n - rows, n - cols) / n**3
    min_expected = float(expected.min())
    if min_expected < 5:
        warnings.warn(
            f"the smallest expected count is {min_expected:.3g} (< 5): the chi-square "
            "approximation may be incorrect; consider fisher_exact",
            UserWarning,
            stacklevel=2,
        )
    method = "Pearson's Chi-squared test" + (
        " with Yates' continuity correction" if yates > 0 else ""
    )
    return TestResult(
        statistic=statistic,
        pvalue=pvalue,
        df=df,
        alternative=None,
        method=method,
        estimate=None,
        effect_size=_cramers_v_estimate(arr, confidence_level, False),
        details=FrozenMapping(
            {
                "observed": _labelled(arr, table),
                "expected": _labelled(expected, table),
                "residuals": _labelled((arr - expected) / np.sqrt(expected), table),
                "stdres": _labelled((arr - expected) / np.sqrt(var), table),
                "min_expected": min_expected,
                "n": int(n),
            }
        ),
    )


def chi2_goodness_of_fit(
    observed: Any,
    probabilities: Any = None,
    *,
    rescale: bool = False,
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Pearson's chi-square goodness-of-fit test of counts against given probabilities.

    Parameters
    ----------
    observed : array_like
        One-dimensional non-negative whole counts of at least 2 categories, not all zero.
    probabilities : array_like, optional
        Null probabilities of the categories, non-negative, summing to 1 (within
        ``sqrt(machine epsilon)``, as R). Default: equal probabilities.
    rescale : bool
        Divide ``probabilities`` by their sum instead of requiring it to be 1 (R's
        ``rescale.p``). Default False.
    confidence_level : float
        Confidence level of the interval for Cohen's w. Default 0.95.

    Returns
    -------
    TestResult
        ``statistic`` (X-squared), ``pvalue``, ``df = k - 1``, ``effect_size`` Cohen's
        :math:`w = \sqrt{X^2/n}` with a noncentral chi-square interval; ``details``:
        ``observed``, ``expected``, ``residuals``, ``stdres``, ``probabilities``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If ``observed`` has fewer than 2 categories, negative or non-integer counts, or sums to
        zero; if ``probabilities`` has the wrong length, negative values or zeros, or does not
        sum to 1 without ``rescale=True``.

    Notes
    -----
    :math:`X^2 = \sum (O_i - E_i)^2 / E_i` with :math:`E_i = n p_i`, referred to
    :math:`\chi^2_{k-1}`; standardized residuals divide by :math:`\sqrt{n p_i (1 - p_i)}`.
    This is R's ``chisq.test(x, p = , rescale.p = )``.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.chi2_goodness_of_fit([20, 15, 25])
    >>> res.statistic, round(res.pvalue, 7)
    (2.5, 0.2865048)
    """
    confidence_level = check_confidence_level(confidence_level)
    rescale = check_bool(rescale, "rescale")
    x = check_array(observed, "observed", min_size=2, suggest_omit=False)
    _whole_counts(x, "observed")
    n = float(x.sum())
    if n == 0:
        raise ValueError("`observed` sums to zero; there is nothing to test")
    k = x.size
    if probabilities is None:
        p = np.full(k, 1.0 / k)
    else:
        p = check_array(probabilities, "probabilities", suggest_omit=False)
        if p.size != k:
            raise ValueError(
                f"`observed` and `probabilities` must have the same length; got {k} and {p.size}"
            )
        if (p < 0).any():
            raise ValueError("`probabilities` must be non-negative")
        total = float(p.sum())
        if abs(total - 1) > math.sqrt(np.finfo(float).eps):
            if not rescale:
                raise ValueError(
                    f"`probabilities` must sum to 1; got {total:.6g} (pass rescale=True to "
                    "divide them by their sum)"
                )
            p = p / total
        if (p == 0).any():
            raise ValueError(
                "`probabilities` has zeros: the expected counts must all be positive; "
                "drop the impossible categories"
            )
    expected = n * p
    statistic = float(((x - expected) ** 2 / expected).sum())
    df = float(k - 1)
    lam_lo, lam_hi = _ncp_interval(statistic, df, confidence_level)
    w = Estimate(
        float(math.sqrt(statistic / n)),
        None,
        ConfidenceInterval(float(math.sqrt(lam_lo / n)), float(math.sqrt(lam_hi / n))),
        confidence_level,
        "Cohen's w (noncentral chi-square CI)",
        int(n),
    )
    return TestResult(
        statistic=statistic,
        pvalue=float(stats.chi2.sf(statistic, df)),
        df=df,
        alternative=None,
        method="Chi-squared test for given probabilities",
        estimate=None,
        effect_size=w,
        details=FrozenMapping(
            {
                "observed": x,
                "expected": expected,
                "probabilities": p,
                "residuals": (x - expected) / np.sqrt(expected),
                "stdres": (x - expected) / np.sqrt(expected * (1 - p)),
                "n": int(n),
            }
        ),
    )


# --------------------------------------------------------------------------- exact and paired


def fisher_exact(
    table: Any,
    *,
    alternative: AlternativeT = "two-sided",
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Fisher's exact test of independence for a 2×2 or r×c table.

    Parameters
    ----------
    table : array_like or pandas.DataFrame
        Two-dimensional table of non-negative whole counts, at least 2×2, no empty row or
        column.
    alternative : {'two-sided', 'less', 'greater'}
        For a 2×2 table, the alternative for the odds ratio versus 1; r×c tables are tested
        two-sided only.
    confidence_level : float
        Confidence level of the odds-ratio interval (2×2). Default 0.95.

    Returns
    -------
    TestResult
        2×2: ``statistic`` and ``estimate`` are the conditional maximum-likelihood odds ratio
        (``estimate`` with its exact conditional interval), ``details`` hold the sample odds
        ratio. r×c: ``statistic`` is the probability of the observed table, ``estimate`` is None,
        ``details['n_partial_tables']`` the number of partial tables built. Both carry
        Cramér's V as ``effect_size``.

    Raises
    ------
    TypeError
        If ``table`` is not numeric.
    ValueError
        If ``table`` is not 2-D, smaller than 2×2, has negative or non-integer counts or an
        empty row or column; if ``alternative`` is one-sided for an r×c table; or if the r×c
        enumeration would be too large (see Notes).

    Notes
    -----
    Conditional on the margins, :math:`S = n_{11}` of a 2×2 table follows Fisher's noncentral
    hypergeometric law :math:`P(S = s) \propto \binom{m}{s}\binom{n}{k-s}\psi^s`. As R's
    ``fisher.test``: the two-sided p-value sums :math:`P_{\psi=1}(S=s)` over the outcomes with
    probability at most that of the observed one (relative tolerance :math:`10^{-7}`); the
    estimate is the conditional MLE (:math:`E_\psi[S] = n_{11}`; 0 or ∞ at the ends of the
    support); the interval inverts the two one-sided tests. Roots are found on the log-odds
    scale to about 1e-13 relative, so the last digits can differ from R, whose ``uniroot``
    stops at a tolerance near 1e-4. scipy's ``fisher_exact`` reports the sample odds ratio
    instead (kept here in ``details['sample_odds_ratio']``).

    For an r×c table the p-value sums the multivariate hypergeometric probabilities of all
    tables with the observed margins that are no more probable than the observed one (R's
    FEXACT gives the same number). statcraft computes it exactly with a vectorised network
    algorithm (Mehta and Patel 1983): tables are built column by column, partial tables with
    the same remaining row totals and probability are merged, and bounds on the remaining
    columns add or drop whole subtrees at once. R's Job-satisfaction table (96 observations,
    4×4) takes about a second, Mehta and Patel's 5×7 example a few seconds. Tables that need
    more than :math:`2\times10^7` partial tables are refused with a ``ValueError``; use
    :func:`chi2_independence` or a permutation test for them.

    References
    ----------
    .. [1] Fisher, R. A. (1935). The logic of inductive inference. JRSS 98, 39-82.
    .. [2] Agresti, A. (2013). Categorical Data Analysis, 3rd ed. Wiley, sec. 3.5 and 16.6.
    .. [3] Mehta, C. R. and Patel, N. R. (1983). A network algorithm for performing Fisher's
       exact test in r×c contingency tables. JASA 78, 427-434.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.fisher_exact([[3, 1], [1, 3]])  # R's TeaTasting
    >>> round(res.pvalue, 4), round(res.estimate.estimate, 4)
    (0.4857, 6.4083)
    >>> [round(b, 4) for b in res.estimate.confidence_interval]  # R: 0.2117 621.9 (loose root)
    [0.2117, 626.2435]
    """
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    arr = _check_table(table)
    effect = _cramers_v_estimate(arr, confidence_level, False)
    n = int(arr.sum())
    if arr.shape == (2, 2):
        t = arr.astype(np.int64)
        dist, x = hypergeometric_2x2(t)
        pvalue = dist.pvalue(x, alternative)
        mle = dist.mle(x)
        low, high = dist.interval(x, confidence_level, alternative)
        a, b, c, d = (float(v) for v in t.ravel())
        sample_or = a * d / (b * c) if b * c > 0 else (math.inf if a * d > 0 else math.nan)
        estimate = Estimate(
            float(mle),
            None,
            ConfidenceInterval(float(low), float(high)),
            confidence_level,
            "conditional maximum-likelihood odds ratio (exact conditional CI)",
            n,
        )
        return TestResult(
            statistic=float(mle),
            pvalue=float(pvalue),
            df=None,
            alternative=alternative,
            method="Fisher's Exact Test for Count Data",
            estimate=estimate,
            effect_size=effect,
            details=FrozenMapping({"sample_odds_ratio": sample_or, "n": n}),
        )
    if alternative != "two-sided":
        raise ValueError(
            f"`alternative` must be 'two-sided' for a table larger than 2×2; got {alternative!r}"
        )
    pvalue, n_partial = fisher_rxc_pvalue(arr.astype(np.int64))
    rows, cols = arr.sum(1), arr.sum(0)
    log_p_obs = float(
        special.gammaln(rows + 1).sum()
        + special.gammaln(cols + 1).sum()
        - special.gammaln(n + 1)
        - special.gammaln(arr + 1).sum()
    )
    return TestResult(
        statistic=float(math.exp(log_p_obs)),
        pvalue=float(pvalue),
        df=None,
        alternative="two-sided",
        method="Fisher's Exact Test for Count Data",
        estimate=None,
        effect_size=effect,
        details=FrozenMapping({"n_partial_tables": n_partial, "n": n}),
    )


def mcnemar(
    table: Any,
    *,
    correction: bool = True,
    exact: bool = False,
    confidence_level: float = 0.95,
) -> TestResult:
    r"""McNemar's test of marginal homogeneity for paired categorical outcomes.

    Parameters
    ----------
    table : array_like or pandas.DataFrame
        Square r×r table of paired outcomes (first measurement in rows, second in columns),
        non-negative whole counts, r >= 2. For r > 2 the test is Bowker's test of symmetry.
    correction : bool
        Continuity correction (2×2, asymptotic only), as R. Default True.
    exact : bool
        False (default): the chi-square statistic of R's ``mcnemar.test``. True (2×2 only):
        the conditional binomial test of the discordant counts, as
        ``exact2x2::mcnemar.exact``.
    confidence_level : float
        Confidence level of the odds-ratio interval (2×2). Default 0.95.

    Returns
    -------
    TestResult
        ``statistic`` (McNemar's chi-squared, or the count ``b`` for the exact test), ``pvalue``,
        ``df``; for 2×2 ``estimate`` is the conditional odds ratio ``b/c`` with its exact
        interval; ``details`` hold the discordant counts.

    Raises
    ------
    TypeError
        If ``table`` is not numeric, or ``exact`` is not True or False.
    ValueError
        If ``table`` is not square or not 2-D, has negative or non-integer counts, has no
        discordant pairs (for some pair of categories when r > 2), or ``exact=True`` is asked
        for r > 2.

    Notes
    -----
    With :math:`b = n_{12}`, :math:`c = n_{21}`:
    :math:`X^2 = (|b - c| - 1)^2/(b + c)` with the correction (only when :math:`b \ne c`, as
    R), :math:`(b-c)^2/(b+c)` without, on 1 df. For r > 2,
    :math:`X^2 = \sum_{i<j} (n_{ij} - n_{ji})^2/(n_{ij} + n_{ji})` on :math:`r(r-1)/2` df. The
    exact test is ``binom.test(b, b + c, 0.5)``. The estimate :math:`\psi = b/c` is the
    conditional odds ratio (the odds that a discordant pair is of the ``b`` kind); its interval
    maps the Clopper-Pearson interval :math:`(p_L, p_U)` for :math:`b/(b+c)` through
    :math:`p/(1-p)`, as ``exact2x2::mcnemar.exact``; it is reported for both tests.

    References
    ----------
    .. [1] McNemar, Q. (1947). Note on the sampling error of the difference between correlated
       proportions or percentages. Psychometrika 12, 153-157.
    .. [2] Bowker, A. H. (1948). A test for symmetry in contingency tables. JASA 43, 572-574.
    .. [3] Fay, M. P. (2010). Two-sided exact tests and matching confidence intervals for
       discrete data. R Journal 2(1), 53-58.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.mcnemar([[794, 86], [150, 570]])  # R's Performance data
    >>> round(res.statistic, 4), f"{res.pvalue:.4g}"
    (16.8178, '4.115e-05')
    """
    exact = check_bool(exact, "exact")
    confidence_level = check_confidence_level(confidence_level)
    correction = check_bool(correction, "correction")
    arr = _check_table(table, allow_zero_margins=True)
    r = arr.shape[0]
    if arr.shape[1] != r:
        raise ValueError(f"`table` must be square (r×r); got shape {arr.shape}")
    if r > 2 and exact:
        raise ValueError("exact=True is available for 2×2 tables only")
    upper = np.triu_indices(r, 1)
    sums = (arr + arr.T)[upper]
    if (sums == 0).any():
        i, j = (int(v[np.flatnonzero(sums == 0)[0]]) for v in upper)
        raise ValueError(
            f"`table` has no discordant pairs between categories {i} and {j}; "
            "McNemar's statistic is undefined"
        )
    details: dict[str, Any] = {"n": int(arr.sum())}
    estimate = None
    if r == 2:
        b, c = int(arr[0, 1]), int(arr[1, 0])
        details.update(b=b, c=c)
        p_lo, p_hi = _clopper_pearson(b, b + c, *_tail_errors(confidence_level, "two-sided"))
        estimate = Estimate(
            float(b / c) if c > 0 else math.inf,
            None,
            ConfidenceInterval(
                float(p_lo / (1 - p_lo)), float(p_hi / (1 - p_hi)) if p_hi < 1 else math.inf
            ),
            confidence_level,
            "conditional odds ratio b/c (exact Clopper-Pearson-based CI)",
            b + c,
        )
    if exact:
        b, c = details["b"], details["c"]
        return TestResult(
            statistic=float(b),
            pvalue=binomial_two_sided_pvalue(b, b + c, 0.5),
            df=None,
            alternative="two-sided",
            method="Exact McNemar test (conditional binomial test)",
            estimate=estimate,
            details=FrozenMapping(details),
        )
    diff = (arr - arr.T)[upper]
    corrected = bool(correction and r == 2 and diff[0] != 0)
    y = np.abs(diff) - 1 if corrected else diff
    statistic = float((y**2 / sums).sum())
    df = float(r * (r - 1) // 2)
    return TestResult(
        statistic=statistic,
        pvalue=float(stats.chi2.sf(statistic, df)),
        df=df,
        alternative="two-sided" if r == 2 else None,
        method="McNemar's Chi-squared test" + (" with continuity correction" if corrected else ""),
        estimate=estimate,
        details=FrozenMapping(details),
    )
