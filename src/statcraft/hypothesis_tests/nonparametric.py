"""Rank tests: Wilcoxon signed-rank, Mann-Whitney, Kruskal-Wallis, Friedman.

Every test returns a :class:`~statcraft.results.TestResult` with the statistic R prints, the
p-value, the tested quantity with its interval (a Hodges-Lehmann estimate for the Wilcoxon
tests) and a standard effect size with its interval.

========================  ======================  =====================  =====================
function                  assumes                 R                      scipy
========================  ======================  =====================  =====================
``wilcoxon_signed_rank``  differences symmetric   ``wilcox.test(x, y,    ``wilcoxon``
                          about their median      paired = TRUE)``
``mann_whitney``          independent samples;    ``wilcox.test(x, y)``  ``mannwhitneyu``
                          shift model for the
                          estimate
``kruskal_wallis``        independent groups      ``kruskal.test``       ``kruskal``
``friedman``              independent blocks,     ``friedman.test``      ``friedmanchisquare``
                          no block x treatment
                          interaction
``rank_biserial``         as the Wilcoxon tests   ``effectsize::``       --
                                                  ``rank_biserial``
========================  ======================  =====================  =====================

Exact p-values follow R >= 4.6: an exact test whenever every sample has fewer than 50
observations, **also with ties** (the exact conditional distribution of the mid-ranks); the
signed-rank test also with differences equal to ``mu``, ranked with the others (Pratt, as
R-devel; ``zero_method='wilcox'`` drops them first, as R < 4.6). scipy's
``wilcoxon``/``mannwhitneyu`` instead switch to the normal approximation (or a permutation
distribution) with ties, and scipy's ``wilcoxon`` uses ``min(T+, T-)`` for the two-sided
statistic, where R and statcraft report ``V = T+``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from scipy import stats

from statcraft._frames import k_samples, two_samples
from statcraft._inference import nan_test, normal_pvalue
from statcraft._random import as_generator
from statcraft._rank_distributions import (
    ExactDistribution,
    kruskal_statistic_rows,
    mann_whitney_distribution,
    midranks,
    rank_biserial_signed,
    rank_biserial_two_sample,
    signed_rank_distribution,
    tie_terms_rows,
)
from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_exact,
    check_finite_scalar,
    check_groups,
    check_int,
    check_paired,
    column_names,
)
from statcraft.estimators.rank_based import (
    _rank_sum_interval,
    _signed_rank_interval,
    _tie_term,
)
from statcraft.resampling._bootstrap import bootstrap
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult

__all__ = ["friedman", "kruskal_wallis", "mann_whitney", "rank_biserial", "wilcoxon_signed_rank"]

Alternative = Literal["two-sided", "less", "greater"]
NanPolicy = Literal["raise", "omit", "propagate"]

ZeroMethod = Literal["pratt", "wilcox"]
_ZERO_METHODS = ("pratt", "wilcox")


def _exact_pvalue(dist: ExactDistribution, stat: float, center: float, alternative: str) -> float:
    """Exact p-value: ``P(T <= t)``, ``P(T >= t)``, or twice the smaller tail as R."""
    if alternative == "less":
        return dist.cdf(stat)
    if alternative == "greater":
        return dist.sf(stat)
    p = dist.sf(stat) if stat > center else dist.cdf(stat)
    return min(1.0, 2.0 * p)


def _normal_pvalue(
    stat: float, mean: float, sd: float, alternative: str, correction: bool
) -> tuple[float, float]:
    """Normal-approximation p-value with R's continuity correction; returns ``(z, p)``."""
    z = stat - mean
    corr = 0.0
    if correction:
        corr = {"two-sided": float(np.sign(z)) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    z = (z - corr) / sd
    return z, normal_pvalue(z, alternative)


def _signed_rank_data(x: Any, y: Any, nan_policy: str, mu: Any) -> tuple[np.ndarray, float, bool]:
    """Return the differences ``d`` (``x`` or ``x - y``), ``mu``, and whether NaN remain."""
    check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    mu_v = check_finite_scalar(mu, "mu")
    if y is None:
        d = check_array(x, "x", nan_policy=nan_policy)
    else:
        xa, ya = check_paired(x, y, nan_policy=nan_policy)
        d = xa - ya
    return d, mu_v, bool(np.isnan(d).any())


def _signed_rank_statistic(dm: np.ndarray, zero_method: str) -> tuple[float, np.ndarray, int]:
    """``V``, the scores (ranks) of the nonzero differences, and the number of zeros.

    ``'pratt'``: mid-ranks of all ``|dm|`` (the zeros take the lowest ranks), then the zeros'
    scores are dropped. ``'wilcox'``: the zeros are dropped first and the rest ranked.
    """
    zero = dm == 0
    nz = dm[~zero]
    scores = midranks(np.abs(dm))[~zero] if zero_method == "pratt" else midranks(np.abs(nz))
    return float(scores[nz > 0].sum()), scores, int(zero.sum())


def wilcoxon_signed_rank(
    x: Any,
    y: Any = None,
    *,
    data: Any = None,
    mu: float = 0,
    exact: bool | None = None,
    zero_method: ZeroMethod = "pratt",
    correction: bool = True,
    alternative: Alternative = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Wilcoxon signed-rank test (one sample, or paired ``x - y``) as R's ``wilcox.test``.

    Parameters
    ----------
    x : array_like or str
        Sample, or the first member of each pair; a column name with ``data``.
    y : array_like or str, optional
        Second member of each pair; the test is then on ``x - y``.
    data : pandas.DataFrame, optional
        The data when ``x`` and ``y`` are column names. Column and Series names carry into the
        ``method`` text and ``details['data_name']``.
    mu : float
        Hypothesised location (pseudomedian) of ``x`` or of ``x - y``.
    exact : bool or None
        True: the exact null distribution; False: the normal approximation. None (default,
        R >= 4.6): exact when fewer than 50 differences enter the statistic (all of them for
        ``'pratt'``, the nonzero ones for ``'wilcox'``), with or without ties and zeros;
        otherwise the normal approximation.
    zero_method : {'pratt', 'wilcox'}
        Treatment of the differences equal to ``mu`` ("zeros"), named as in scipy.
        ``'pratt'`` (the default, R-devel): the zeros are ranked with the others and then
        left out of the statistic and its null distribution. ``'wilcox'`` (R < 4.6, scipy's
        default): the zeros are dropped before ranking.
    correction : bool
        Continuity correction of the normal approximation.
    alternative : {'two-sided', 'less', 'greater'}
        Direction of the alternative for the location ``mu``.
    confidence_level : float
        Level of the Hodges-Lehmann interval (and of the effect-size interval).
    nan_policy : {'raise', 'omit', 'propagate'}
        NaN handling; ``'omit'`` drops incomplete pairs, ``'propagate'`` returns NaN.

    Returns
    -------
    TestResult
        ``statistic`` V (sum of the ranks of the positive differences ``x - mu``),
        ``pvalue``, ``estimate`` (Hodges-Lehmann pseudomedian with the Wilcoxon interval, as
        ``wilcox.test(conf.int = TRUE)``), ``effect_size`` (matched-pairs rank-biserial
        correlation), ``details`` (``n``, ``n_zero``, ``zero_method``, ``ties``, ``exact``,
        ``z`` for the normal method, and ``estimate_unavailable`` with the reason when no
        interval can be computed: all differences tied under the normal method, or an exact
        interval with repeated values too costly for a large forced ``exact=True``).

    Raises
    ------
    ValueError
        Empty input, NaN with ``nan_policy='raise'``, inf, mismatched paired lengths, all
        differences equal to ``mu``, an unknown ``zero_method``/``alternative``, or an exact
        distribution too large to compute.
    TypeError
        Non-numeric input, ``exact`` not True, False or None, or a non-string
        ``zero_method``.

    Notes
    -----
    With :math:`d_i = x_i - \mu` and :math:`r_i` the mid-ranks of :math:`|d_i|`,
    :math:`V = \sum_{d_i > 0} r_i`. Zeros (:math:`d_i = 0`) never add to :math:`V`; the two
    conventions differ in the ranks of the others:

    - ``'pratt'`` (Pratt 1959): all :math:`|d_i|` are ranked, so :math:`k` zeros take the ranks
      :math:`1..k` (mid-rank :math:`(k+1)/2`) and every nonzero rank is shifted up by :math:`k`.
      This is R-devel (R >= 4.6 for exact p-values; the normal approximation since R 4.7.0,
      ``?wilcox.test``) and scipy's ``zero_method='pratt'``.
    - ``'wilcox'`` (Wilcoxon 1949): the zeros are dropped and the :math:`n - k` nonzero
      :math:`|d_i|` ranked :math:`1..n-k`; R < 4.6 and scipy's default. R < 4.6 also switched to
      the normal approximation whenever a zero was present: pass ``exact=False`` for that.

    In both, the null distribution is that of :math:`V = \sum_i a_i B_i` over the scores
    :math:`a_i` of the nonzero differences, :math:`B_i` independent fair coin flips (the
    :math:`2^{n-k}` sign assignments; the zeros have no sign to flip). ``exact=True`` computes
    it exactly, conditional on the observed mid-ranks (with ties too), as R >= 4.6 does with
    the Streitberg-Röhmel shift algorithm; the upper tail is :math:`P(V \ge v)` and the
    two-sided p-value twice the smaller tail about the centre :math:`\sum a_i/2`. ``exact=False``
    uses its mean and variance, :math:`E V = \sum a_i / 2` and
    :math:`\operatorname{Var} V = \sum a_i^2 / 4`: without zeros
    :math:`n(n+1)/4` and :math:`n(n+1)(2n+1)/24 - \sum (t^3 - t)/48`; Pratt's :math:`k` zeros
    subtract :math:`k(k+1)/4` and :math:`k(k+1)^2/16` (R-devel's
    ``.wilcox_test_one_stat_asymp``; Cureton 1967), with R's continuity correction.

    The estimate and interval do not depend on ``mu`` nor on ``zero_method``: the interval is
    the set of shifts :math:`\delta` whose test of :math:`x - \delta` (same ``exact``) does
    not reject, and :math:`x - \delta` has a zero only at the isolated points
    :math:`\delta = x_i`, where no interval limit is decided. The exact interval (when the test
    is exact) runs between Walsh averages :math:`(x_i + x_j)/2`, :math:`i \le j`; the estimate
    is their median (Hodges-Lehmann). Without repeated values in ``x`` the limits are the
    classical order statistics of the Walsh averages; with repeated values the exact
    conditional test is inverted between each pair of consecutive Walsh averages (R >= 4.6's
    scan). The normal-approximation interval and estimate are R's root finding on the
    standardised statistic. Two deliberate differences from R-devel: its scan computes the
    lower limit from :math:`P(V > v)` instead of the test's :math:`P(V \ge v)`, which on data
    without repeated values puts it one Walsh average above R's own classical limit
    (``wilcox.test(0:4, conf.int = TRUE, alternative = "greater")`` gives ``[0.5, Inf)``,
    ``c(1e-9, 1:4)`` gives ``[1e-09, Inf)``; statcraft gives the classical limit in both), and
    R reports the achieved confidence level (95.5% for ``-2:12``) where statcraft reports the
    requested one unless it is not attainable (then the achieved one, with a warning).
    Zeros are exact: R-devel first rounds ``x - mu`` to 7 significant digits and zaps values
    tiny next to the others (``digits.rank``, ``digits.zap``); round the data if
    floating-point noise should count as a zero. R-devel returns p = 1 when every difference
    is zero; statcraft raises.

    The effect size is the matched-pairs rank-biserial correlation with the zeros dropped
    (as ``effectsize::rank_biserial``) for both zero methods,
    :math:`r = (T_+ - T_-)/S`, :math:`S = m(m+1)/2` over the :math:`m` nonzero differences,
    with the interval :math:`\tanh(\operatorname{atanh} r \pm z\,\mathrm{SE})`,
    :math:`\mathrm{SE} = \sqrt{(2m^3 + 3m^2 + m)/6}/S`.

    scipy's ``wilcoxon`` reports ``min(T+, T-)`` for two-sided tests and, with ties or zeros,
    uses a permutation test (``n <= 13``) or the normal approximation instead of the exact
    conditional distribution; the Hodges-Lehmann estimate and effect size are not in scipy.

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin* 1,
    80-83.

    Wilcoxon, F. (1949). *Some Rapid Approximate Statistical Procedures*. American Cyanamid.

    Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank procedures.
    *JASA* 54, 655-667.

    Cureton, E. E. (1967). The normal approximation to the signed-rank sampling distribution
    when zero differences are present. *JASA* 62, 1068-1069.

    Hollander, M., Wolfe, D. A. and Chicken, E. (2014). *Nonparametric Statistical Methods*,
    3rd ed. Wiley.

    Streitberg, B. and Röhmel, J. (1986). Exact distributions for permutation and rank tests.
    *Statistical Software Newsletter* 12, 10-17.

    Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology* 3, 1.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> res = sc.wilcoxon_signed_rank(x, y, alternative="greater")
    >>> res.statistic, round(res.pvalue, 5)
    (40.0, 0.01953)
    >>> round(res.effect_size.estimate, 2)
    0.78

    A zero and ties (R-devel ``wilcox.test(-2:12, conf.int = TRUE)``: V = 112,
    p-value = 0.001465, interval 2.5 to 7.5, pseudomedian 5):

    >>> res = sc.wilcoxon_signed_rank(range(-2, 13))
    >>> res.statistic, round(res.pvalue, 6), res.details["exact"]
    (112.0, 0.001465, True)
    >>> tuple(res.estimate.confidence_interval), res.estimate.estimate
    ((2.5, 7.5), 5.0)
    >>> res = sc.wilcoxon_signed_rank(range(-2, 13), zero_method="wilcox")
    >>> res.statistic, round(res.pvalue, 6)
    (100.0, 0.001343)
    """
    samples = two_samples(x, y, data=data)
    x, y = samples.samples
    exact = check_exact(exact)
    zm = check_choice(zero_method, "zero_method", _ZERO_METHODS)
    correction = check_bool(correction, "correction")
    alt = check_alternative(alternative)
    confidence_level = check_confidence_level(confidence_level)
    d, mu_v, has_nan = _signed_rank_data(x, y, nan_policy, mu)
    if has_nan:
        return nan_test(samples.describe("Wilcoxon signed rank test"), alternative=alt)
    dm = d - mu_v
    v, scores, n_zero = _signed_rank_statistic(dm, zm)
    if scores.size == 0:
        raise ValueError(
            "all differences equal `mu`; the signed-rank test is undefined without a nonzero "
            "difference"
        )
    n_used = d.size if zm == "pratt" else scores.size
    ties = np.unique(scores).size != scores.size
    exact = n_used < 50 if exact is None else exact
    details: dict[str, Any] = {
        "n": int(d.size),
        "n_zero": n_zero,
        "zero_method": zm,
        "ties": ties,
        "exact": exact,
        **samples.details,
    }
    center = float(scores.sum()) / 2
    if exact:
        dist = signed_rank_distribution(scores)
        p = _exact_pvalue(dist, v, center, alt)
        name = "Wilcoxon signed rank exact test"
    else:
        sd = math.sqrt(float(np.sum(scores**2)) / 4)
        z, p = _normal_pvalue(v, center, sd, alt, correction)
        details["z"] = z
        name = "Wilcoxon signed rank test" + (" with continuity correction" if correction else "")
    estimate: Estimate | None = None
    try:
        res = _signed_rank_interval(
            d,
            mu_v,
            exact=exact,
            correction=correction,
            alternative=alt,
            confidence_level=confidence_level,
        )
        how = "exact" if res.exact else "normal-approximation"
        estimate = Estimate(
            float(res.estimate),
            None,
            ConfidenceInterval(float(res.low), float(res.high)),
            float(res.confidence_level),
            f"Hodges-Lehmann (pseudo)median ({how} Wilcoxon interval)",
            int(d.size),
            details=FrozenMapping({"exact": res.exact}),
        )
    except ValueError as exc:  # e.g. all differences tied: no normal-approximation interval
        details["estimate_unavailable"] = str(exc)
    nz = dm[dm != 0]
    effect = rank_biserial_signed(nz, alt, confidence_level)
    return TestResult(
        statistic=v,
        pvalue=float(p),
        df=None,
        alternative=alt,
        method=samples.describe(name),
        estimate=estimate,
        effect_size=effect,
        details=FrozenMapping(details),
    )


def mann_whitney(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0,
    exact: bool | None = None,
    correction: bool = True,
    alternative: Alternative = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Wilcoxon rank-sum (Mann-Whitney) test for two independent samples, as R.

    Parameters
    ----------
    x, y : array_like or str
        The two samples (column names with ``data``); ``y`` is None with ``group``.
    group : str or array_like, optional
        Splits ``x`` into the two samples: a column of ``data`` or one label per observation
        (aligned by position). ``x`` is the first level in sorted order (a Categorical's
        category order), ``y`` the second; ``y`` must then be None. The labels are in
        ``details['groups']`` and the ``method`` text. Exactly two levels.
    data : pandas.DataFrame, optional
        The data when ``x``, ``y`` and ``group`` are column names. Column and Series names
        carry into the ``method`` text and ``details['data_name']``.
    mu : float
        Hypothesised shift of ``x`` relative to ``y``.
    exact : bool or None
        True: the exact null distribution; False: the normal approximation. None (default,
        R >= 4.6): exact when both samples have fewer than 50 observations, with or without
        ties; otherwise the normal approximation.
    correction : bool
        Continuity correction of the normal approximation.
    alternative : {'two-sided', 'less', 'greater'}
        ``'greater'``: ``x`` is shifted to the right of ``y`` (by more than ``mu``).
    confidence_level : float
        Level of the Hodges-Lehmann interval and of the effect-size interval.
    nan_policy : {'raise', 'omit', 'propagate'}
        NaN handling in each sample.

    Returns
    -------
    TestResult
        ``statistic`` W = U of ``x`` (R's ``W``: rank sum of ``x - mu`` minus
        :math:`m(m+1)/2`), ``pvalue``, ``estimate`` (Hodges-Lehmann shift with the Wilcoxon
        interval), ``effect_size`` (rank-biserial correlation :math:`2W/(mn) - 1` with a
        Fisher-z interval), ``details`` (``n_x``, ``n_y``, ``ties``, ``exact``, ``z``).

    Raises
    ------
    ValueError
        Empty input, NaN with ``nan_policy='raise'``, inf, all observations tied with the
        normal method, or an exact distribution too large to compute.
    TypeError
        Non-numeric input, or ``exact`` not True, False or None.

    Notes
    -----
    The exact distribution of W is conditional on the pooled mid-ranks (exact with ties, as
    R >= 4.6; R < 4.6 and scipy's ``mannwhitneyu`` use the normal approximation with ties).
    The upper tail is :math:`P(W \ge w)` (R 4.6 computes ``1 - P(W <= w - 1)``, which differs
    only when half-integer values lie in :math:`(w - 1, w)`). The normal approximation uses the
    tie-corrected variance :math:`\frac{mn}{12}\{(N+1) - \sum(t^3-t)/(N(N-1))\}` and R's
    continuity correction.

    The rank-biserial correlation (Glass) is :math:`r = 2W/(mn) - 1 = P(X > Y) - P(X < Y)`;
    its interval is :math:`\tanh(\operatorname{atanh} r \pm z\,\mathrm{SE})` with
    :math:`\mathrm{SE} = \sqrt{(m + n + 1)/(3mn)}`, the normal approximation used by
    ``effectsize::rank_biserial`` (one-sided intervals end at -1 or 1).

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Ann. Math. Statist.* 18, 50-60.

    Glass, G. V. (1966). Note on rank biserial correlation. *Educational and Psychological
    Measurement* 26, 623-631.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    >>> y = [1.15, 0.88, 0.90, 0.74, 1.21]
    >>> res = sc.mann_whitney(x, y, alternative="greater")
    >>> res.statistic, round(res.pvalue, 4)
    (35.0, 0.1272)
    >>> round(res.estimate.estimate, 3), round(res.effect_size.estimate, 2)
    (0.305, 0.4)
    """
    samples = two_samples(x, y, group=group, data=data, y_required=True)
    x, y = samples.samples
    exact = check_exact(exact)
    correction = check_bool(correction, "correction")
    alt = check_alternative(alternative)
    confidence_level = check_confidence_level(confidence_level)
    check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    mu_v = check_finite_scalar(mu, "mu")
    xa = check_array(x, "x", nan_policy=nan_policy)
    ya = check_array(y, "y", nan_policy=nan_policy)
    if np.isnan(xa).any() or np.isnan(ya).any():
        return nan_test(samples.describe("Wilcoxon rank sum test"), alternative=alt)
    m, n = xa.size, ya.size
    r = midranks(np.concatenate([xa - mu_v, ya]))
    w = float(r[:m].sum()) - m * (m + 1) / 2
    ties = np.unique(r).size != r.size
    exact = (m < 50 and n < 50) if exact is None else exact
    details: dict[str, Any] = {"n_x": m, "n_y": n, "ties": ties, "exact": exact}
    details.update(samples.details)
    dist: ExactDistribution | None = None
    if exact:
        dist = mann_whitney_distribution(r, m)
        p = _exact_pvalue(dist, w, m * n / 2, alt)
        name = "Wilcoxon rank sum exact test"
    else:
        big_n = m + n
        var = (m * n / 12) * ((big_n + 1) - _tie_term(r) / (big_n * (big_n - 1)))
        if var <= 0:
            raise ValueError(
                "all observations in `x` and `y` are tied; the normal approximation is "
                "undefined (use exact=True)"
            )
        z, p = _normal_pvalue(w, m * n / 2, math.sqrt(var), alt, correction)
        details["z"] = z
        name = "Wilcoxon rank sum test" + (" with continuity correction" if correction else "")
    estimate: Estimate | None = None
    try:
        res = _rank_sum_interval(
            xa,
            ya,
            mu_v,
            exact=exact,
            correction=correction,
            alternative=alt,
            confidence_level=confidence_level,
            dist=dist,
        )
        how = "exact" if res.exact else "normal-approximation"
        estimate = Estimate(
            float(res.estimate),
            None,
            ConfidenceInterval(float(res.low), float(res.high)),
            float(res.confidence_level),
            f"Hodges-Lehmann difference in location ({how} Wilcoxon interval)",
            m + n,
            details=FrozenMapping({"exact": res.exact}),
        )
    except ValueError as exc:
        details["estimate_unavailable"] = str(exc)
    effect = rank_biserial_two_sample(w, m, n, alt, confidence_level)
    return TestResult(
        statistic=w,
        pvalue=float(p),
        df=None,
        alternative=alt,
        method=samples.describe(name),
        estimate=estimate,
        effect_size=effect,
        details=FrozenMapping(details),
    )


def rank_biserial(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0,
    paired: bool = False,
    alternative: Alternative = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> Estimate:
    r"""Rank-biserial correlation with a Fisher-z interval, as ``effectsize::rank_biserial``.

    Parameters
    ----------
    x : array_like
        Sample (one-sample), first members of pairs (``paired=True``), or first sample.
    y : array_like, optional
        Second sample (independent unless ``paired=True``).
    group : str or array_like, optional
        Splits ``x`` into the two samples: a column of ``data`` or one label per observation
        (aligned by position). ``x`` is the first level in sorted order (a Categorical's
        category order), ``y`` the second; ``y`` must then be None. The labels are in
        ``details['groups']`` and the ``method`` text. Exactly two levels.
    data : pandas.DataFrame, optional
        The data when ``x``, ``y`` and ``group`` are column names. Column and Series names
        carry into the ``method`` text and ``details['data_name']``.
    mu : float
        Location (one-sample/paired) or shift (two samples) under the null.
    paired : bool
        Whether ``x`` and ``y`` are paired.
    alternative : {'two-sided', 'less', 'greater'}
        Shape of the interval: one-sided intervals end at -1 (``'less'``) or 1 (``'greater'``).
    confidence_level : float
        Nominal coverage.
    nan_policy : {'raise', 'omit'}
        NaN handling.

    Returns
    -------
    Estimate
        The correlation in [-1, 1] with its interval; ``details`` hold the Fisher-z standard
        error and the rank sums.

    Raises
    ------
    ValueError
        Empty input, NaN with ``nan_policy='raise'``, inf, mismatched paired lengths, or all
        differences equal to ``mu``.
    TypeError
        Non-numeric input or a non-boolean ``paired``.

    Notes
    -----
    One sample / paired (matched-pairs, Kerby 2014): zeros ``x - y - mu = 0`` are dropped,
    :math:`r = (T_+ - T_-)/S` with :math:`S = n(n+1)/2` over the :math:`n` nonzero
    differences, :math:`\mathrm{SE}_z = \sqrt{(2n^3 + 3n^2 + n)/6}/S`. Two samples (Glass):
    :math:`r = 2U/(mn) - 1` with ``U`` the Mann-Whitney statistic of ``x - mu`` and
    :math:`\mathrm{SE}_z = \sqrt{(m+n+1)/(3mn)}`. The interval is
    :math:`\tanh(\operatorname{atanh} r \pm z_{1-\alpha/2}\mathrm{SE}_z)`; for a one-sided
    alternative the level :math:`2c - 1` is used and the far end set to -1 or 1. Positive
    values mean ``x`` tends to be larger (than ``mu``, or than ``y``). When :math:`|r| = 1`
    the interval degenerates to ``(r, r)`` (``atanh`` is infinite), as in ``effectsize``.

    References
    ----------
    Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
    correlation. *Comprehensive Psychology* 3, 1.

    Ben-Shachar, M. S., Lüdecke, D. and Makowski, D. (2020). effectsize: estimation of effect
    size indices and standardized parameters. *JOSS* 5(56), 2815.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> rb = sc.rank_biserial(x, y, paired=True)
    >>> round(rb.estimate, 2), [round(v, 2) for v in rb.confidence_interval]
    (0.78, [0.3, 0.94])
    """
    paired = check_bool(paired, "paired")
    samples = two_samples(x, y, group=group, data=data, paired=paired)
    x, y = samples.samples
    alt = check_alternative(alternative)
    confidence_level = check_confidence_level(confidence_level)
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    mu_v = check_finite_scalar(mu, "mu")
    if y is None or paired:
        if paired and y is None:
            raise ValueError("`paired=True` needs both `x` and `y`")
        d, _, _ = _signed_rank_data(x, y, nan_policy, mu_v)
        dm = d - mu_v
        nz = dm[dm != 0]
        if nz.size == 0:
            raise ValueError(
                "all differences equal `mu`; the matched-pairs rank-biserial correlation is "
                "undefined"
            )
        return samples.annotate(rank_biserial_signed(nz, alt, confidence_level))
    xa = check_array(x, "x", nan_policy=nan_policy)
    ya = check_array(y, "y", nan_policy=nan_policy)
    r = midranks(np.concatenate([xa - mu_v, ya]))
    w = float(r[: xa.size].sum()) - xa.size * (xa.size + 1) / 2
    return samples.annotate(rank_biserial_two_sample(w, xa.size, ya.size, alt, confidence_level))


def kruskal_wallis(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    confidence_level: float = 0.95,
    n_resamples: int = 2000,
    rng: int | np.random.Generator | None = None,
    executor: Any = None,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Kruskal-Wallis rank-sum test of equal location across groups, as R's ``kruskal.test``.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples (or one list or dict of samples), each with at least one
        observation; column names with ``data``; one sample with ``group``.
    group : str or array_like, optional
        Splits the one sample given in ``groups`` into one group per level: a column of
        ``data`` or one label per observation (aligned by position); levels in sorted order (a
        Categorical's category order), at least two. The labels are in ``details['groups']``
        and the ``method`` text.
    data : pandas.DataFrame, optional
        The data when the samples (and ``group``) are column names: one column per group
        (``f("a", "b", "c", data=df)``) or one column split by another
        (``f("y", group="g", data=df)``). Names carry into the ``method`` text and
        ``details['data_name']``.
    confidence_level : float
        Level of the bootstrap interval of the effect size.
    n_resamples : int
        Bootstrap resamples for the effect-size interval.
    rng : None, int or numpy.random.Generator
        Seed or generator for the bootstrap.
    executor : concurrent.futures.Executor, optional
        Runs the bootstrap's chunks (see :func:`~statcraft.bootstrap`); same answer.
    nan_policy : {'raise', 'omit', 'propagate'}
        NaN handling in each group.

    Returns
    -------
    TestResult
        ``statistic`` H (tie-corrected), ``pvalue`` (chi-squared, ``k - 1`` df), ``df``,
        ``effect_size`` (rank epsilon-squared with a percentile bootstrap interval),
        ``details`` (``n`` per group, ``mean_ranks``, ``tie_correction``, ``eta_squared_H``).

    Raises
    ------
    ValueError
        Fewer than two groups, an empty group, NaN with ``nan_policy='raise'``, inf, or all
        observations identical (H undefined).
    TypeError
        Non-numeric input.

    Notes
    -----
    With mid-ranks :math:`R_{ij}`, group rank sums :math:`R_i` and :math:`N` observations,
    :math:`H = \{\frac{12}{N(N+1)}\sum_i R_i^2/n_i - 3(N+1)\} / \{1 - \sum(t^3 - t)/(N^3 - N)\}`,
    referred to :math:`\chi^2_{k-1}` -- the same statistic as R's ``kruskal.test`` and scipy's
    ``kruskal``.

    Effect size: rank epsilon-squared :math:`E^2_R = H/((N^2-1)/(N+1)) = H/(N-1)` in [0, 1]
    (Tomczak & Tomczak 2014; ``effectsize::rank_epsilon_squared``). Its interval is a
    percentile bootstrap (:func:`~statcraft.bootstrap` with ``strata``) with observations
    resampled *within* groups (group sizes fixed); ``effectsize`` resamples without
    stratifying. A resample whose values are all tied counts as :math:`E^2_R = 0`.
    :math:`\eta^2_H = (H - k + 1)/(N - k)` is in ``details``.

    References
    ----------
    Kruskal, W. H. and Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
    *JASA* 47, 583-621.

    Tomczak, M. and Tomczak, E. (2014). The need to report effect size estimates revisited.
    *Trends in Sport Sciences* 1(21), 19-25.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [2.9, 3.0, 2.5, 2.6, 3.2]
    >>> y = [3.8, 2.7, 4.0, 2.4]
    >>> z = [2.8, 3.4, 3.7, 2.2, 2.0]
    >>> res = sc.kruskal_wallis(x, y, z, rng=1)
    >>> round(res.statistic, 5), res.df, round(res.pvalue, 2)
    (0.77143, 2.0, 0.68)
    """
    samples = k_samples(groups, group=group, data=data)
    groups = samples.samples
    method = samples.describe("Kruskal-Wallis rank sum test")
    confidence_level = check_confidence_level(confidence_level)
    n_resamples = check_int(n_resamples, "n_resamples", min_value=1)
    gen = as_generator(rng)
    check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    arrays = check_groups(groups, nan_policy=nan_policy)
    if any(np.isnan(a).any() for a in arrays):
        return nan_test(method, df=float(len(arrays) - 1))
    sizes = np.array([a.size for a in arrays], dtype=float)
    values = np.concatenate(arrays)
    big_n, k = values.size, len(arrays)
    if np.all(values == values[0]):
        raise ValueError(
            "all observations in `groups` are identical; the Kruskal-Wallis test is undefined"
        )
    labels = np.repeat(np.arange(k), sizes.astype(int))
    h = float(kruskal_statistic_rows(values[None, :], labels, sizes)[0])
    df = float(k - 1)
    p = float(stats.chi2.sf(h, df))
    ranks = midranks(values)
    mean_ranks = [float(v) for v in np.bincount(labels, weights=ranks) / sizes]
    eps2 = h / (big_n - 1)

    # stratified percentile bootstrap of epsilon^2 (group sizes fixed): positions keep their
    # group label, so the statistic of a batch of resamples is H of each row over N - 1; a
    # resample whose values are all tied separates nothing and counts as 0
    def epsilon_squared(v: np.ndarray, axis: int = -1) -> np.ndarray:
        rows = np.moveaxis(v, axis, -1).reshape(-1, big_n)
        out = np.nan_to_num(kruskal_statistic_rows(rows, labels, sizes) / (big_n - 1), nan=0.0)
        return out.reshape(np.moveaxis(v, axis, -1).shape[:-1])

    boot = bootstrap(
        (values,),
        epsilon_squared,
        n_resamples=n_resamples,
        method="percentile",
        confidence_level=confidence_level,
        strata=labels,
        executor=executor,
        rng=gen,
    )
    effect = Estimate(
        float(eps2),
        boot.std_error,
        boot.confidence_interval,
        confidence_level,
        "rank epsilon-squared (stratified percentile bootstrap interval)",
        big_n,
        details=FrozenMapping({"n_resamples": n_resamples}),
    )
    details = {
        "n": [int(s) for s in sizes],
        "mean_ranks": mean_ranks,
        "tie_correction": float(1 - _tie_term(ranks) / (big_n**3 - big_n)),
        "eta_squared_H": float((h - k + 1) / (big_n - k)) if big_n > k else None,
        **samples.details,
    }
    return TestResult(
        statistic=h,
        pvalue=p,
        df=df,
        alternative=None,
        method=method,
        estimate=None,
        effect_size=effect,
        details=FrozenMapping(details),
    )


def friedman(
    data: Any,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 2000,
    rng: int | np.random.Generator | None = None,
    executor: Any = None,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Friedman rank-sum test for unreplicated blocked data, as R's ``friedman.test``.

    Parameters
    ----------
    data : array_like or pandas.DataFrame
        Blocks (rows) by treatments (columns), at least 2 of each.
    confidence_level : float
        Level of the bootstrap interval of Kendall's W.
    n_resamples : int
        Bootstrap resamples (of blocks) for the interval.
    rng : None, int or numpy.random.Generator
        Seed or generator for the bootstrap.
    executor : concurrent.futures.Executor, optional
        Runs the bootstrap's chunks (see :func:`~statcraft.bootstrap`); same answer.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'omit'`` drops blocks with a NaN (R's complete cases).

    Returns
    -------
    TestResult
        ``statistic`` (tie-corrected Friedman chi-squared), ``pvalue``, ``df = k - 1``,
        ``effect_size`` (Kendall's W with a percentile bootstrap interval over blocks),
        ``details`` (``n_blocks``, ``n_treatments``, ``rank_sums`` by treatment name).

    Raises
    ------
    ValueError
        Fewer than 2 blocks or 2 treatments, NaN with ``nan_policy='raise'``, inf, or every
        block entirely tied (statistic undefined).
    TypeError
        Non-numeric input.

    Notes
    -----
    Within each block the values are ranked (mid-ranks); with column rank sums :math:`R_j`,
    :math:`Q = 12\sum_j (R_j - n(k+1)/2)^2 / \{nk(k+1) - \sum(t^3-t)/(k-1)\}`, referred to
    :math:`\chi^2_{k-1}` (R's ``friedman.test``; scipy's ``friedmanchisquare`` gives the same
    value but needs at least 3 treatments). Kendall's coefficient of concordance
    :math:`W = Q/(n(k-1))` (tie-corrected through Q, as ``effectsize::kendalls_w``); its
    percentile interval (:func:`~statcraft.bootstrap`, blocks resampled with replacement)
    counts a resample of entirely tied blocks as :math:`W = 0`.

    References
    ----------
    Friedman, M. (1937). The use of ranks to avoid the assumption of normality implicit in the
    analysis of variance. *JASA* 32, 675-701.

    Hollander, M., Wolfe, D. A. and Chicken, E. (2014). *Nonparametric Statistical Methods*,
    3rd ed. Wiley, Section 7.1.

    Examples
    --------
    >>> import statcraft as sc
    >>> data = [[5.40, 5.50, 5.55], [5.85, 5.70, 5.75], [5.20, 5.60, 5.50],
    ...         [5.55, 5.50, 5.40], [5.90, 5.85, 5.70], [5.45, 5.55, 5.60],
    ...         [5.40, 5.40, 5.35], [5.45, 5.50, 5.35], [5.25, 5.15, 5.00],
    ...         [5.85, 5.80, 5.70], [5.25, 5.20, 5.10], [5.65, 5.55, 5.45],
    ...         [5.60, 5.35, 5.45], [5.05, 5.00, 4.95], [5.50, 5.50, 5.40],
    ...         [5.45, 5.55, 5.50], [5.55, 5.55, 5.35], [5.45, 5.50, 5.55],
    ...         [5.50, 5.45, 5.25], [5.65, 5.60, 5.40], [5.70, 5.65, 5.55],
    ...         [6.30, 6.30, 6.25]]
    >>> res = sc.friedman(data, rng=1)
    >>> round(res.statistic, 3), res.df, round(res.pvalue, 6)
    (11.143, 2.0, 0.003805)
    """
    confidence_level = check_confidence_level(confidence_level)
    n_resamples = check_int(n_resamples, "n_resamples", min_value=1)
    gen = as_generator(rng)
    names = column_names(data, default_prefix="treatment")
    y = check_array(data, "data", ndim=2, min_size=1, nan_policy=nan_policy)
    n, k = y.shape
    if k < 2:
        raise ValueError(f"`data` needs at least 2 treatments (columns); got {k}")
    if n < 2:
        raise ValueError(f"`data` needs at least 2 blocks (rows); got {n}")
    if np.isnan(y).any():
        return nan_test("Friedman rank sum test", df=float(k - 1))
    r = stats.rankdata(y, axis=1)
    ties = tie_terms_rows(y)

    def q_stat(col_sums: np.ndarray, tie_sum: np.ndarray, nb: int) -> np.ndarray:
        num = 12.0 * np.sum((col_sums - nb * (k + 1) / 2) ** 2, axis=-1)
        den = nb * k * (k + 1) - tie_sum / (k - 1)
        out = np.full(np.shape(den), np.nan)
        ok = den > 1e-12
        out[ok] = num[ok] / den[ok]
        return out

    col_sums = r.sum(axis=0)
    q = q_stat(col_sums[None, :], np.array([ties.sum()]), n)[0]
    if not math.isfinite(q):
        raise ValueError(
            "every block (row) of `data` is entirely tied; the Friedman statistic is undefined "
            "for these data"
        )
    df = float(k - 1)
    p = float(stats.chi2.sf(q, df))
    w_kendall = q / (n * (k - 1))

    # percentile bootstrap over blocks: the rank columns and the tie terms are resampled
    # together (paired), so each resample is a set of whole blocks; a resample of entirely
    # tied blocks shows no agreement and counts as W = 0
    def kendalls_w(*columns: np.ndarray, axis: int = -1) -> np.ndarray:
        cols = [np.moveaxis(c, axis, -1) for c in columns]
        sums = np.stack([c.sum(axis=-1) for c in cols[:-1]], axis=-1)
        return np.nan_to_num(q_stat(sums, cols[-1].sum(axis=-1), n) / (n * (k - 1)), nan=0.0)

    boot = bootstrap(
        (*r.T, ties),
        kendalls_w,
        n_resamples=n_resamples,
        method="percentile",
        confidence_level=confidence_level,
        paired=True,
        executor=executor,
        rng=gen,
    )
    effect = Estimate(
        float(w_kendall),
        boot.std_error,
        boot.confidence_interval,
        confidence_level,
        "Kendall's W (percentile bootstrap interval over blocks)",
        n,
        details=FrozenMapping({"n_resamples": n_resamples}),
    )
    details = {
        "n_blocks": n,
        "n_treatments": k,
        "rank_sums": dict(zip(names, (float(c) for c in col_sums), strict=True)),
    }
    return TestResult(
        statistic=float(q),
        pvalue=p,
        df=df,
        alternative=None,
        method="Friedman rank sum test",
        estimate=None,
        effect_size=effect,
        details=FrozenMapping(details),
    )
