"""Goodness-of-fit and equality-of-variance tests.

====================  =================================  =========================  ============
Test                  Assumes                            R                          scipy
====================  =================================  =========================  ============
``ks_test``           continuous null CDF (one sample);  ``ks.test`` (R >= 4.3)     ``ks_1samp``
                      nothing for two samples (ties OK)                             ``ks_2samp``
``shapiro_wilk``      3 <= n <= 5000                     ``shapiro.test``           ``shapiro``
``anderson_darling``  n >= 8, normal, estimated mean/sd  ``nortest::ad.test``       ``anderson``
``jarque_bera``       large n (chi-square(2) limit)      ``tseries::jarque.bera``   ``jarque_bera``
``bartlett``          normal groups                      ``bartlett.test``          ``bartlett``
``levene``            independent groups                 ``car::leveneTest``        ``levene``
``fligner``           independent groups (rank based)    ``fligner.test``           ``fligner``
====================  =================================  =========================  ============
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from scipy import special, stats

from statcraft._frames import k_samples
from statcraft._inference import nan_test
from statcraft._validation import (
    check_alternative,
    check_array,
    check_choice,
    check_groups,
    check_not_constant,
)
from statcraft.hypothesis_tests._smirnov import (
    is_sample,
    kolmogorov_asymptotic,
    resolve_cdf,
    smirnov_sf,
)
from statcraft.results import FrozenMapping, TestResult

__all__ = [
    "anderson_darling",
    "bartlett",
    "fligner",
    "jarque_bera",
    "ks_test",
    "levene",
    "shapiro_wilk",
]


# --------------------------------------------------------------------------------------------
# Kolmogorov-Smirnov
# --------------------------------------------------------------------------------------------


def ks_test(
    x: Any,
    y_or_cdf: Any,
    *,
    args: tuple[Any, ...] = (),
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    exact: bool | None = None,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Kolmogorov-Smirnov test: one sample against a CDF, or two samples, as R's ``ks.test``.

    Parameters
    ----------
    x : array_like
        The sample.
    y_or_cdf : array_like, str, frozen distribution or callable
        A second sample (two-sample Smirnov test); or the null distribution: the name of a
        continuous ``scipy.stats`` distribution (parameters in ``args``), a frozen
        distribution such as ``scipy.stats.norm(0, 2)``, or a callable CDF.
    args : tuple
        Parameters of the named distribution, e.g. ``args=(0, 2)`` with ``'norm'``.
    alternative : {'two-sided', 'less', 'greater'}
        As R: 'greater' uses ``D+ = max(F_x - G)`` ("the CDF of x lies above" the null CDF or
        the second sample's), 'less' uses ``D- = max(G - F_x)``.
    exact : bool or None
        Exact p-value. None follows R: two samples exact when ``n_x n_y < 10000`` (ties
        included); one sample exact when ``n < 100`` and there are no ties.
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN in the samples.

    Returns
    -------
    TestResult
        ``statistic`` is ``D``, ``D+`` or ``D-``; ``details`` hold the sample sizes, whether the
        p-value is exact and whether there were ties.

    Raises
    ------
    ValueError
        Empty input, NaN with ``nan_policy='raise'``, infinite values, an unknown distribution
        name.
    TypeError
        Non-numeric data or an unusable ``y_or_cdf``.

    Notes
    -----
    *Two samples.* ``D`` is the largest difference between the ECDFs, evaluated at the distinct
    pooled values. The exact p-value uses the recursion of R >= 4.3's ``psmirnov`` (Schröer &
    Trenkler 1995; Viehmann 2021), which is exact also when there are ties: the ECDFs are
    compared only where the pooled sorted data change value, so the p-value is the exact
    permutation probability given the tie pattern. The asymptotic p-value is Kolmogorov's
    limit ``K(sqrt(m n / (m + n)) D)`` (two-sided) or ``exp(-2 m n D^2 / (m + n))``.

    *One sample.* The exact two-sided p-value is the distribution of Marsaglia, Tsang & Wang
    (2003) / Simard & L'Ecuyer (2011) (``scipy.stats.kstwo``), the one-sided one Birnbaum &
    Tingey's (``scipy.stats.ksone``); asymptotic as above with ``n``. Estimating the
    parameters of the null distribution from ``x`` invalidates the p-value (use
    :func:`shapiro_wilk` or :func:`anderson_darling` for normality).

    *Where scipy differs.* ``scipy.stats.ks_2samp(method='exact')`` ignores ties (its exact
    p-value is that of untied data and is too large when there are ties); its asymptotic
    one-sided p-value uses a different approximation; and its 'auto' switches to exact up to
    ``max(m, n) <= 10000``. R before 4.3 could not compute exact p-values with ties at all.

    References
    ----------
    Schröer, G. and Trenkler, D. (1995). Exact and randomization distributions of
    Kolmogorov-Smirnov tests for two or three samples. *Computational Statistics & Data
    Analysis* 20, 185-202.
    Viehmann, T. (2021). Numerically more stable computation of the p-values for the
    two-sample Kolmogorov-Smirnov test. arXiv:2102.08037.
    Marsaglia, G., Tsang, W. W. and Wang, J. (2003). Evaluating Kolmogorov's distribution.
    *Journal of Statistical Software* 8(18).

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [7.6, 8.4, 8.6, 8.7, 9.3, 9.9, 10.1, 10.6, 11.2]
    >>> y = [5.2, 5.7, 5.9, 6.5, 6.8, 8.2, 9.1, 9.8, 10.8, 11.3, 11.5, 12.3, 12.5, 13.4, 14.6]
    >>> res = sc.ks_test(x, y)
    >>> round(res.statistic, 4), round(res.pvalue, 4)
    (0.4, 0.2653)
    >>> res = sc.ks_test([0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64], "norm")
    >>> round(res.statistic, 4), round(res.pvalue, 3)
    (0.2239, 0.621)
    """
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    if exact is not None and not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f"`exact` must be True, False or None; got {exact!r}")
    xa = check_array(x, "x", nan_policy=nan_policy)
    if is_sample(y_or_cdf):
        if args:
            raise TypeError("`args` is only used with a distribution name in `y_or_cdf`")
        ya = check_array(y_or_cdf, "y_or_cdf", nan_policy=nan_policy)
        if np.isnan(xa).any() or np.isnan(ya).any():  # only under 'propagate'
            return nan_test("Two-sample Kolmogorov-Smirnov test", alternative=alternative)
        return _ks_two_sample(xa, ya, alternative, exact)
    cdf, name = resolve_cdf(y_or_cdf, tuple(args))
    if np.isnan(xa).any():
        return nan_test("One-sample Kolmogorov-Smirnov test", alternative=alternative)
    return _ks_one_sample(xa, cdf, name, alternative, exact)


def _ks_two_sample(
    xa: np.ndarray, ya: np.ndarray, alternative: str, exact: bool | None
) -> TestResult:
    m, n = xa.size, ya.size
    pooled = np.concatenate([xa, ya])
    order = np.argsort(pooled, kind="mergesort")
    sorted_pooled = pooled[order]
    steps = np.where(order < m, n, -m)  # scaled by m n: +1/m -> n, -1/n -> m
    z = np.cumsum(steps)
    change = np.diff(sorted_pooled) != 0
    ties = bool((~change).any())
    boundary = np.concatenate([[False], change, [True]])
    z_eval = z[boundary[1:]]  # ECDF difference at the end of each block of equal values
    d_plus = int(z_eval.max())
    d_minus = int(-z_eval.min())
    if alternative == "two-sided":
        d_scaled = max(d_plus, d_minus)
    elif alternative == "greater":
        d_scaled = d_plus
    else:
        d_scaled = d_minus
    d_scaled = max(d_scaled, 0)
    statistic = d_scaled / (m * n)
    use_exact = (m * n < 10000) if exact is None else bool(exact)
    if use_exact:
        sizes = (n, m) if alternative == "less" else (m, n)
        pvalue = smirnov_sf(
            d_scaled,
            sizes[0],
            sizes[1],
            boundary if ties else None,
            two_sided=alternative == "two-sided",
        )
    else:
        n_eff = m * n / (m + n)
        pvalue = kolmogorov_asymptotic(statistic, n_eff, alternative)
    kind = "Exact" if use_exact else "Asymptotic"
    return TestResult(
        statistic=float(statistic),
        pvalue=float(min(1.0, max(0.0, pvalue))),
        df=None,
        alternative=alternative,
        method=f"{kind} two-sample Kolmogorov-Smirnov test",
        details=FrozenMapping(
            {
                "n_x": m,
                "n_y": n,
                "exact": use_exact,
                "ties": ties,
                "statistic_name": {"two-sided": "D", "greater": "D^+", "less": "D^-"}[alternative],
            }
        ),
    )


def _ks_one_sample(
    xa: np.ndarray,
    cdf: Callable[[np.ndarray], Any],
    name: str,
    alternative: str,
    exact: bool | None,
) -> TestResult:
    n = xa.size
    xs = np.sort(xa)
    try:
        f = np.asarray(cdf(xs), dtype=float)
    except Exception as exc:  # a user's callable failed
        raise TypeError(f"`y_or_cdf` could not be evaluated on `x`: {exc}") from exc
    if f.shape != xs.shape or np.isnan(f).any() or (f < 0).any() or (f > 1).any():
        raise ValueError("`y_or_cdf` must return probabilities in [0, 1], one per value of `x`")
    ties = bool(np.unique(xs).size < n)
    if ties:
        warnings.warn(
            "ties should not be present for the one-sample Kolmogorov-Smirnov test",
            UserWarning,
            stacklevel=3,
        )
    i = np.arange(n)
    d_plus = float(np.max((i + 1) / n - f))
    d_minus = float(np.max(f - i / n))
    statistic = {"two-sided": max(d_plus, d_minus), "greater": d_plus, "less": d_minus}[alternative]
    use_exact = (n < 100 and not ties) if exact is None else bool(exact)
    if statistic <= 0:
        pvalue = 1.0
    elif use_exact:
        dist = stats.kstwo if alternative == "two-sided" else stats.ksone
        pvalue = float(dist.sf(statistic, n))
    else:
        pvalue = kolmogorov_asymptotic(statistic, float(n), alternative)
    kind = "Exact" if use_exact else "Asymptotic"
    return TestResult(
        statistic=float(statistic),
        pvalue=float(min(1.0, max(0.0, pvalue))),
        df=None,
        alternative=alternative,
        method=f"{kind} one-sample Kolmogorov-Smirnov test",
        details=FrozenMapping(
            {
                "n": n,
                "distribution": name,
                "exact": use_exact,
                "ties": ties,
                "statistic_name": {"two-sided": "D", "greater": "D^+", "less": "D^-"}[alternative],
            }
        ),
    )


# --------------------------------------------------------------------------------------------
# Normality
# --------------------------------------------------------------------------------------------


def shapiro_wilk(
    x: Any, *, nan_policy: Literal["raise", "omit", "propagate"] = "raise"
) -> TestResult:
    """Shapiro-Wilk test of normality, as R's ``shapiro.test``.

    Parameters
    ----------
    x : array_like
        Between 3 and 5000 observations (after NaN handling).
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN.

    Returns
    -------
    TestResult
        ``statistic`` is ``W``; ``details['n']`` the sample size.

    Raises
    ------
    ValueError
        Fewer than 3 or more than 5000 observations, constant data, NaN or inf.

    Notes
    -----
    Royston's (1995) algorithm AS R94 -- the same Fortran-derived code in R
    (``swilk.c``) and scipy (``scipy.stats.shapiro``), which is called here. The p-value is
    exact for ``n = 3`` and from Royston's normalising transformations otherwise. Like R,
    statcraft refuses ``n > 5000`` (the approximation was not validated beyond; scipy only
    warns) and constant data (W is undefined; scipy returns ``W = 1``, ``p = 1``).

    References
    ----------
    Royston, P. (1995). Remark AS R94: A remark on algorithm AS 181: The W-test for normality.
    *Applied Statistics* 44, 547-551.

    Examples
    --------
    ``shapiro.test(mtcars$mpg)`` gives ``W = 0.94756, p-value = 0.1229``:

    >>> import statcraft as sc
    >>> mpg = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3,
    ...        15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3,
    ...        26.0, 30.4, 15.8, 19.7, 15.0, 21.4]
    >>> res = sc.shapiro_wilk(mpg)
    >>> round(res.statistic, 5), round(res.pvalue, 4)
    (0.94756, 0.1229)
    """
    xa = check_array(x, "x", min_size=3, nan_policy=nan_policy)
    if np.isnan(xa).any():
        return nan_test("Shapiro-Wilk normality test")
    n = xa.size
    if n > 5000:
        raise ValueError(f"`x` must have between 3 and 5000 observations; got {n}")
    check_not_constant(xa, "x", "the Shapiro-Wilk statistic is undefined for constant data")
    res = stats.shapiro(xa)
    return TestResult(
        statistic=float(res.statistic),
        pvalue=float(res.pvalue),
        df=None,
        alternative=None,
        method="Shapiro-Wilk normality test",
        details=FrozenMapping({"n": n}),
    )


def _ad_normal_pvalue(aa: float) -> float:
    """D'Agostino & Stephens (1986, Table 4.9) p-value of the modified statistic, as nortest."""
    if aa < 0.2:
        return 1.0 - math.exp(-13.436 + 101.14 * aa - 223.73 * aa**2)
    if aa < 0.34:
        return 1.0 - math.exp(-8.318 + 42.796 * aa - 59.938 * aa**2)
    if aa < 0.6:
        return math.exp(0.9177 - 4.279 * aa - 1.38 * aa**2)
    if aa < 10:
        return math.exp(1.2937 - 5.709 * aa + 0.0186 * aa**2)
    return 3.7e-24


def anderson_darling(
    x: Any,
    *,
    dist: Literal["norm"] = "norm",
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Anderson-Darling test of normality with estimated mean and sd, as ``nortest::ad.test``.

    Parameters
    ----------
    x : array_like
        At least 8 observations.
    dist : {'norm'}
        The null family. Only the normal family (parameters estimated) has a p-value formula
        implemented.
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN.

    Returns
    -------
    TestResult
        ``statistic`` is ``A`` (unmodified, as R prints it); ``details['modified_statistic']``
        is ``A* = A (1 + 0.75/n + 2.25/n^2)`` from which the p-value is computed.

    Raises
    ------
    ValueError
        Fewer than 8 observations, constant data, NaN or inf, another ``dist``.

    Notes
    -----
    ``A = -n - (1/n) sum (2i - 1) [log p_(i) + log(1 - p_(n+1-i))]`` with
    ``p_(i) = Phi((x_(i) - mean) / sd)`` (``sd`` with ``n - 1``), computed on the log scale as
    nortest does. The p-value is the piecewise exponential-quadratic fit of D'Agostino &
    Stephens (1986, Table 4.9) in ``A*``; it is ``3.7e-24`` for ``A* >= 10``.

    *Where scipy differs.* ``scipy.stats.anderson`` returns the same ``A`` but, by default,
    only critical values at five levels (interpolated p-values on request, from a different
    table), not this p-value.

    References
    ----------
    Stephens, M. A. (1986). Tests based on EDF statistics. In D'Agostino, R. B. and Stephens,
    M. A. (eds.), *Goodness-of-Fit Techniques*. Marcel Dekker.
    Thode, H. C. (2002). *Testing for Normality*. Marcel Dekker.

    Examples
    --------
    ``nortest::ad.test(mtcars$mpg)`` gives ``A = 0.57968``:

    >>> import statcraft as sc
    >>> mpg = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3,
    ...        15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3,
    ...        26.0, 30.4, 15.8, 19.7, 15.0, 21.4]
    >>> res = sc.anderson_darling(mpg)
    >>> round(res.statistic, 5), round(res.pvalue, 4)
    (0.57968, 0.1207)
    """
    check_choice(dist, "dist", ("norm",))
    xa = check_array(x, "x", min_size=8, nan_policy=nan_policy)
    if np.isnan(xa).any():
        return nan_test("Anderson-Darling normality test")
    check_not_constant(xa, "x", "the standardised values are undefined for constant data")
    n = xa.size
    xs = np.sort(xa)
    z = (xs - xs.mean()) / xs.std(ddof=1)
    logp1 = special.log_ndtr(z)
    logp2 = special.log_ndtr(-z)
    h = (2.0 * np.arange(1, n + 1) - 1.0) * (logp1 + logp2[::-1])
    a = float(-n - h.mean())
    aa = a * (1.0 + 0.75 / n + 2.25 / n**2)
    return TestResult(
        statistic=a,
        pvalue=float(_ad_normal_pvalue(aa)),
        df=None,
        alternative=None,
        method="Anderson-Darling normality test",
        details=FrozenMapping({"n": n, "modified_statistic": float(aa)}),
    )


def jarque_bera(
    x: Any, *, nan_policy: Literal["raise", "omit", "propagate"] = "raise"
) -> TestResult:
    """Jarque-Bera test of normality, as ``tseries::jarque.bera.test``.

    Parameters
    ----------
    x : array_like
        At least 3 observations.
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN.

    Returns
    -------
    TestResult
        ``statistic`` is ``X-squared = n b1 / 6 + n (b2 - 3)^2 / 24`` on ``df = 2``;
        ``details`` hold the sample ``skewness`` (``sqrt(b1)`` with sign) and ``kurtosis``
        (``b2``, not excess).

    Raises
    ------
    ValueError
        Fewer than 3 observations, constant data, NaN or inf.

    Notes
    -----
    Moments use the divisor ``n`` (``m_k = mean((x - mean)^k)``), ``b1 = m3^2 / m2^3``,
    ``b2 = m4 / m2^2``; the p-value is the chi-square(2) upper tail, an asymptotic result that
    is poor for small ``n`` (the test is conservative there). Same as ``scipy.stats.jarque_bera``
    and ``statsmodels.stats.stattools.jarque_bera``.

    References
    ----------
    Jarque, C. M. and Bera, A. K. (1980). Efficient tests for normality, homoscedasticity and
    serial independence of regression residuals. *Economics Letters* 6, 255-259.

    Examples
    --------
    >>> import statcraft as sc
    >>> mpg = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3,
    ...        15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3,
    ...        26.0, 30.4, 15.8, 19.7, 15.0, 21.4]
    >>> res = sc.jarque_bera(mpg)
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 4)
    (2.2412, 2.0, 0.3261)
    """
    xa = check_array(x, "x", min_size=3, nan_policy=nan_policy)
    if np.isnan(xa).any():
        return nan_test("Jarque Bera Test")
    check_not_constant(xa, "x", "skewness and kurtosis are undefined for constant data")
    n = xa.size
    d = xa - xa.mean()
    m2 = float(np.mean(d**2))
    m3 = float(np.mean(d**3))
    m4 = float(np.mean(d**4))
    b1 = m3**2 / m2**3
    b2 = m4 / m2**2
    statistic = n * b1 / 6.0 + n * (b2 - 3.0) ** 2 / 24.0
    return TestResult(
        statistic=float(statistic),
        pvalue=float(stats.chi2.sf(statistic, 2)),
        df=2.0,
        alternative=None,
        method="Jarque Bera Test",
        details=FrozenMapping({"n": n, "skewness": m3 / m2**1.5, "kurtosis": b2}),
    )


# --------------------------------------------------------------------------------------------
# Equality of variances
# --------------------------------------------------------------------------------------------


def _check_groups(
    groups: tuple[Any, ...], nan_policy: str, *, min_size: int = 2
) -> list[np.ndarray] | None:
    """Validate k >= 2 groups of >= ``min_size`` observations; None when NaN is propagated."""
    arrays = check_groups(groups, min_size=min_size, nan_policy=nan_policy)
    if any(np.isnan(a).any() for a in arrays):
        return None
    return arrays


def bartlett(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Bartlett's test of equal variances, as R's ``bartlett.test``.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples, each with at least 2 observations and a positive variance (or a
        single list or dict of samples); column names with ``data``; one sample with ``group``.
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
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN within each group.

    Returns
    -------
    TestResult
        ``statistic`` is Bartlett's K-squared on ``df = k - 1``; ``details`` hold the group
        variances, sizes and the pooled variance.

    Raises
    ------
    ValueError
        Fewer than 2 groups, a group with fewer than 2 observations or zero variance (its log
        variance is undefined), NaN or inf.

    Notes
    -----
    ``K^2 = [(N - k) log s_p^2 - sum (n_i - 1) log s_i^2] / C`` with
    ``C = 1 + (sum 1/(n_i - 1) - 1/(N - k)) / (3 (k - 1))`` and the pooled variance
    ``s_p^2 = sum (n_i - 1) s_i^2 / (N - k)``; chi-square(k - 1) p-value. Sensitive to
    non-normality: prefer :func:`levene` or :func:`fligner` for skewed data. Same as
    ``scipy.stats.bartlett``, which however returns NaN or inf for a constant group instead of
    an error.

    References
    ----------
    Bartlett, M. S. (1937). Properties of sufficiency and statistical tests. *Proceedings of
    the Royal Society of London A* 160, 268-282.

    Examples
    --------
    ``bartlett.test(weight ~ group, data = PlantGrowth)``:

    >>> import statcraft as sc
    >>> ctrl = [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]
    >>> trt1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
    >>> trt2 = [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]
    >>> res = sc.bartlett(ctrl, trt1, trt2)
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 4)
    (2.8786, 2.0, 0.2371)
    """
    samples = k_samples(groups, group=group, data=data)
    method = samples.describe("Bartlett test of homogeneity of variances")
    arrays = _check_groups(samples.samples, nan_policy)
    if arrays is None:
        return nan_test(method)
    sizes = np.array([a.size for a in arrays], dtype=float)
    variances = np.array([a.var(ddof=1) for a in arrays])
    for i, a in enumerate(arrays):  # exact test: np.var of a constant need not be exactly 0
        check_not_constant(a, f"groups[{i}]", "Bartlett's test needs positive variances")
    k = len(arrays)
    dfs = sizes - 1.0
    n_total = float(sizes.sum())
    pooled = float(np.sum(dfs * variances) / (n_total - k))
    num = (n_total - k) * math.log(pooled) - float(np.sum(dfs * np.log(variances)))
    corr = 1.0 + (float(np.sum(1.0 / dfs)) - 1.0 / (n_total - k)) / (3.0 * (k - 1))
    statistic = num / corr
    return TestResult(
        statistic=float(statistic),
        pvalue=float(stats.chi2.sf(statistic, k - 1)),
        df=float(k - 1),
        alternative=None,
        method=method,
        details=FrozenMapping(
            {
                "variances": tuple(float(v) for v in variances),
                "sizes": tuple(int(s) for s in sizes),
                "pooled_variance": pooled,
                **samples.details,
            }
        ),
    )


def levene(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    center: Literal["median", "mean"] = "median",
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Levene's test of equal variances (Brown-Forsythe with the median), as ``car::leveneTest``.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples with at least 2 observations each (or a single list or dict of
        samples); column names with ``data``; one sample with ``group``.
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
    center : {'median', 'mean'}
        Centre of each group: 'median' (the default, Brown & Forsythe's robust version, as car)
        or 'mean' (Levene's original).
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN within each group.

    Returns
    -------
    TestResult
        ``statistic`` is the one-way ANOVA F of the absolute deviations ``|x_ij - c_i|`` on
        ``df = (k - 1, N - k)``; ``details`` hold the group means of the deviations.

    Raises
    ------
    ValueError
        Fewer than 2 groups, a group with fewer than 2 observations, all deviations equal
        within every group (F is 0/0), NaN or inf.

    Notes
    -----
    ``F = [(N - k) sum n_i (zbar_i - zbar)^2] / [(k - 1) sum (z_ij - zbar_i)^2]`` with
    ``z_ij = |x_ij - c_i|``. Identical to ``scipy.stats.levene`` (whose default centre is also
    the median); ``center='mean'`` is SPSS's "Levene statistic".

    References
    ----------
    Levene, H. (1960). Robust tests for equality of variances. In *Contributions to Probability
    and Statistics*, 278-292. Stanford University Press.
    Brown, M. B. and Forsythe, A. B. (1974). Robust tests for the equality of variances.
    *Journal of the American Statistical Association* 69, 364-367.

    Examples
    --------
    ``car::leveneTest(weight ~ group, data = PlantGrowth)``:

    >>> import statcraft as sc
    >>> ctrl = [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]
    >>> trt1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
    >>> trt2 = [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]
    >>> res = sc.levene(ctrl, trt1, trt2)
    >>> round(res.statistic, 4), round(res.pvalue, 4), res.df
    (1.1192, 0.3412, (2.0, 27.0))
    """
    samples = k_samples(groups, group=group, data=data)
    center = check_choice(center, "center", ("median", "mean"))  # type: ignore[assignment]
    arrays = _check_groups(samples.samples, nan_policy)
    if arrays is None:
        return nan_test(samples.describe("Levene's test for homogeneity of variance"))
    centre_fn = np.median if center == "median" else np.mean
    z = [np.abs(a - centre_fn(a)) for a in arrays]
    sizes = np.array([a.size for a in z], dtype=float)
    means = np.array([a.mean() for a in z])
    k = len(z)
    n_total = float(sizes.sum())
    grand = float(np.concatenate(z).mean())
    between = float(np.sum(sizes * (means - grand) ** 2))
    within = float(sum(np.sum((a - m) ** 2) for a, m in zip(z, means, strict=True)))
    if within <= 1e-14 * max(1.0, between):
        raise ValueError(
            "the absolute deviations from the group centres are constant within every group; "
            "Levene's F statistic is undefined"
        )
    statistic = (n_total - k) * between / ((k - 1) * within)
    name = "median" if center == "median" else "mean"
    return TestResult(
        statistic=float(statistic),
        pvalue=float(stats.f.sf(statistic, k - 1, n_total - k)),
        df=(float(k - 1), float(n_total - k)),
        alternative=None,
        method=samples.describe(f"Levene's test for homogeneity of variance (center = {name})"),
        details=FrozenMapping(
            {
                "center": center,
                "mean_abs_deviations": tuple(float(v) for v in means),
                **samples.details,
            }
        ),
    )


def fligner(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
) -> TestResult:
    """Fligner-Killeen (median-centred) test of equal variances, as R's ``fligner.test``.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples with at least 2 observations each (or a single list or dict of
        samples); column names with ``data``; one sample with ``group``.
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
    nan_policy : {'raise', 'omit', 'propagate'}
        Handling of NaN within each group.

    Returns
    -------
    TestResult
        ``statistic`` is the Fligner-Killeen:med chi-squared on ``df = k - 1``.

    Raises
    ------
    ValueError
        Fewer than 2 groups, a group with fewer than 2 observations, all observations equal to
        their group medians (the scores have no variance), NaN or inf.

    Notes
    -----
    Centre each group at its median, rank the absolute deviations over all groups (mid-ranks),
    score them ``a_i = Phi^{-1}((1 + r_i / (N + 1)) / 2)``, and compute
    ``X^2 = [sum_j (sum a)_j^2 / n_j - N abar^2] / var(a)``, chi-square(k - 1). The most robust of
    the three variance tests against non-normality (Conover, Johnson & Johnson 1981). Same as
    ``scipy.stats.fligner``.

    References
    ----------
    Conover, W. J., Johnson, M. E. and Johnson, M. M. (1981). A comparative study of tests for
    homogeneity of variances. *Technometrics* 23, 351-361.

    Examples
    --------
    ``fligner.test(weight ~ group, data = PlantGrowth)``:

    >>> import statcraft as sc
    >>> ctrl = [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]
    >>> trt1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
    >>> trt2 = [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]
    >>> res = sc.fligner(ctrl, trt1, trt2)
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 4)
    (2.3499, 2.0, 0.3088)
    """
    samples = k_samples(groups, group=group, data=data)
    method = samples.describe("Fligner-Killeen test of homogeneity of variances")
    arrays = _check_groups(samples.samples, nan_policy)
    if arrays is None:
        return nan_test(method)
    dev = np.concatenate([a - np.median(a) for a in arrays])
    n_total = dev.size
    ranks = stats.rankdata(np.abs(dev))
    scores = special.ndtri((1.0 + ranks / (n_total + 1.0)) / 2.0)
    var_a = float(scores.var(ddof=1))
    if var_a <= 0:
        raise ValueError(
            "every observation equals its group median; the Fligner-Killeen statistic is undefined"
        )
    bounds = np.cumsum([0] + [a.size for a in arrays])
    sums = np.add.reduceat(scores, bounds[:-1])
    sizes = np.diff(bounds).astype(float)
    k = len(arrays)
    statistic = (float(np.sum(sums**2 / sizes)) - n_total * float(scores.mean()) ** 2) / var_a
    return TestResult(
        statistic=float(statistic),
        pvalue=float(stats.chi2.sf(statistic, k - 1)),
        df=float(k - 1),
        alternative=None,
        method=method,
        details=FrozenMapping({"sizes": tuple(int(s) for s in sizes), **samples.details}),
    )
