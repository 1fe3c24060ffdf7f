"""Tests of means: t-tests, Yuen's trimmed-means test, TOST equivalence, one-way ANOVA.

Every test returns a :class:`~statcraft.results.TestResult` with the tested quantity as an
:class:`~statcraft.results.Estimate` (with its interval) and a standard effect size.

=================  ==============================  ==================  ========================
function           assumes                         R                   scipy
=================  ==============================  ==================  ========================
``ttest``          normal means; Welch (default):  ``t.test``          ``ttest_1samp``,
                   unequal variances allowed                           ``ttest_ind``,
                                                                       ``ttest_rel``
``yuen``           robust to heavy tails and       ``WRS2::yuen``      ``ttest_ind(trim=)``
                   unequal variances
``tost``           as ``ttest``; bounds fixed      ``TOSTER::t_TOST``  --
                   in advance
``oneway_anova``   normal groups; equal variances  ``oneway.test``,    ``f_oneway``
                   (classic) or not (Welch)        ``aov``
=================  ==============================  ==================  ========================
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from scipy import special, stats

from statcraft._frames import k_samples, two_samples
from statcraft._inference import nan_test, t_interval, t_pvalue
from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_paired,
    check_probability,
)
from statcraft.estimators.location import _winsorize_sorted
from statcraft.hypothesis_tests.effect_size import (
    _d_estimate,
    _one_way,
    _pve_estimates,
    _scale_label,
    _standardized_difference,
)
from statcraft.results import Estimate, FrozenMapping, TestResult

__all__ = ["oneway_anova", "tost", "ttest", "yuen"]

Alternative = Literal["two-sided", "less", "greater"]
NanPolicy = Literal["raise", "omit", "propagate"]

_NAN_POLICIES = ("raise", "omit", "propagate")


def _t_core(
    x: np.ndarray,
    y: np.ndarray | None,
    *,
    paired: bool,
    equal_var: bool,
    axis: int = -1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised ``(estimate, standard error, df)`` of the t-tests along ``axis``.

    ``estimate`` is the mean (one sample), the mean difference of pairs, or the difference of
    the two means. Used by :func:`ttest` and, on whole batches, by the size simulations.
    """
    if y is None or paired:
        d = x if y is None else x - y
        n = d.shape[axis]
        est = np.mean(d, axis=axis)
        se = np.sqrt(np.var(d, axis=axis, ddof=1) / n)
        return est, se, np.full_like(est, n - 1.0)
    n1, n2 = x.shape[axis], y.shape[axis]
    v1, v2 = np.var(x, axis=axis, ddof=1), np.var(y, axis=axis, ddof=1)
    est = np.mean(x, axis=axis) - np.mean(y, axis=axis)
    if equal_var:
        df = float(n1 + n2 - 2)
        vp = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
        se = np.sqrt(vp * (1.0 / n1 + 1.0 / n2))
        return est, se, np.full_like(est, df)
    a1, a2 = v1 / n1, v2 / n2
    se = np.sqrt(a1 + a2)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (a1 + a2) ** 2 / (a1**2 / (n1 - 1) + a2**2 / (n2 - 1))
    return est, se, df


def _t_method(y: Any, paired: bool, equal_var: bool) -> str:
    if y is None:
        return "One Sample t-test"
    if paired:
        return "Paired t-test"
    return "Two Sample t-test" if equal_var else "Welch Two Sample t-test"


def _prepare_t(
    x: Any, y: Any, *, paired: bool, equal_var: bool, nan_policy: str
) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Validate ttest/tost data; the flag is True when NaN must propagate to the result."""
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)
    if y is None:
        if paired:
            raise ValueError("`paired=True` needs both `x` and `y`")
        xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
        return xa, None, bool(np.isnan(xa).any())
    if paired:
        xa, ya = check_paired(x, y, min_size=2, nan_policy=nan_policy)
        return xa, ya, bool(np.isnan(xa).any() or np.isnan(ya).any())
    xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
    ya = check_array(y, "y", min_size=2, nan_policy=nan_policy)
    return xa, ya, bool(np.isnan(xa).any() or np.isnan(ya).any())


def _check_se(se: float, scale: float, what: str) -> None:
    """Raise when the SE is (numerically) zero, like R's "data are essentially constant"."""
    if not se > 10.0 * np.finfo(float).eps * max(scale, 1e-300):
        raise ValueError(f"{what} are constant (zero variance); the t statistic is undefined")


def _g_effect(
    x: np.ndarray,
    y: np.ndarray | None,
    *,
    mu: float,
    paired: bool,
    confidence_level: float,
    alternative: str,
) -> Estimate | None:
    sd = _standardized_difference(x, y, mu=mu, paired=paired, nan_policy="raise")
    if sd.df < 2:
        return None
    return _d_estimate(
        sd,
        corrected=True,
        confidence_level=confidence_level,
        alternative=alternative,
        name="Hedges' g",
        scale_label=_scale_label(sd.design),
    )


def ttest(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0.0,
    paired: bool = False,
    equal_var: bool = False,
    alternative: Alternative = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""One-sample, paired, Welch or Student t-test, with the mean (difference) and Hedges' g.

    Parameters
    ----------
    x : array_like or str
        Sample (one-sample test) or first sample; a column name with ``data``.
    y : array_like or str, optional
        Second sample; with ``paired=True`` the partner of each ``x``.
    group : str or array_like, optional
        Splits ``x`` into the two samples: a column of ``data`` or one label per observation
        (aligned by position). ``x`` is the first level in sorted order (a Categorical's
        category order), ``y`` the second; ``y`` must then be None. The labels are in
        ``details['groups']`` and the ``method`` text. Exactly two levels.
    data : pandas.DataFrame, optional
        The data when ``x``, ``y`` and ``group`` are column names. Column and Series names
        carry into the ``method`` text and ``details['data_name']``.
    mu : float
        Null value of the mean (one sample) or of the mean difference ``x - y``.
    paired : bool
        Paired test on ``x - y``.
    equal_var : bool
        Two samples: ``False`` (default) is Welch's test, ``True`` Student's pooled-variance
        test. Ignored for one sample and pairs.
    alternative : {'two-sided', 'less', 'greater'}
        Alternative hypothesis about the mean (difference) relative to ``mu``.
    confidence_level : float
        Coverage of the intervals of the estimate and the effect size (one-sided bounds for
        one-sided alternatives, as R).
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'omit'`` drops NaN (incomplete pairs when paired); ``'propagate'`` returns a result
        whose statistic and p-value are NaN.

    Returns
    -------
    TestResult
        ``statistic`` t, ``df``, ``pvalue``; ``method`` as R (``"Welch Two Sample t-test"``,
        ``"Two Sample t-test"``, ``"Paired t-test"``, ``"One Sample t-test"``); ``estimate`` the
        mean / mean difference with its t interval and standard error; ``effect_size`` Hedges'
        g with its noncentral-t interval (None when the test has one degree of freedom);
        ``details`` the group means, SDs and sizes.

    Raises
    ------
    ValueError
        Fewer than two observations in a sample (or two pairs), zero variance, NaN with
        ``nan_policy='raise'``, pairs of unequal length, inf, bad options.
    TypeError
        Non-numeric data or non-boolean flags.

    Notes
    -----
    :math:`t = (\hat\theta - \mu)/SE` with :math:`SE = s/\sqrt n` (one sample, pairs),
    :math:`\sqrt{s_x^2/n_x + s_y^2/n_y}` with Welch–Satterthwaite df (Welch), or
    :math:`s_p\sqrt{1/n_x+1/n_y}` with :math:`n_x+n_y-2` df (Student). Identical to R's
    ``t.test`` (statistic, df, p-value, interval) and to scipy's ``ttest_*`` functions; statcraft
    adds the estimate with its interval for every variant and the effect size.

    The effect size is Hedges' g (:func:`~statcraft.hedges_g`): for two samples always
    standardised by the pooled SD with :math:`n_x+n_y-2` df (the conventional g, also after a
    Welch test); for pairs by the SD of the differences (:math:`g_z`); for one sample by the
    SD of ``x``. ``mu`` is subtracted before standardising. For a standardised difference
    matched to Welch's test use ``sc.hedges_g(x, y, pooled_sd=False)``.

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.
    .. [2] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika* 34, 28-35.

    Examples
    --------
    R's ``t.test(extra ~ group, data = sleep)``:

    >>> import statcraft as sc
    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> res = sc.ttest(g1, g2)
    >>> res.method
    'Welch Two Sample t-test'
    >>> round(res.statistic, 4), round(res.df, 3), round(res.pvalue, 5)
    (-1.8608, 17.776, 0.07939)
    >>> [round(v, 4) for v in res.estimate.confidence_interval]
    [-3.3655, 0.2055]
    >>> round(sc.ttest(g1, g2, paired=True).pvalue, 6)
    0.002833

    The same data in a DataFrame, by column name and group (the first level is ``x``):

    >>> import pandas as pd
    >>> sleep = pd.DataFrame({"extra": g1 + g2, "group": [1] * 10 + [2] * 10})
    >>> res = sc.ttest("extra", group="group", data=sleep)
    >>> res.method
    'Welch Two Sample t-test: extra by group (1 vs 2)'
    >>> round(res.statistic, 4), res.details["groups"]
    (-1.8608, (1, 2))
    """
    paired = check_bool(paired, "paired")
    samples = two_samples(x, y, group=group, data=data, paired=paired)
    x, y = samples.samples
    equal_var = check_bool(equal_var, "equal_var")
    mu_v = check_finite_scalar(mu, "mu")
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    method = _t_method(y, paired, equal_var)
    xa, ya, has_nan = _prepare_t(x, y, paired=paired, equal_var=equal_var, nan_policy=nan_policy)
    method = samples.describe(method)
    if has_nan:
        return nan_test(method, alternative=alternative, df=math.nan)
    est_a, se_a, df_a = _t_core(xa, ya, paired=paired, equal_var=equal_var)
    est, se, df = float(est_a), float(se_a), float(df_a)
    if ya is None:
        scale, what = abs(float(np.mean(xa))), "`x` values"
    elif paired:
        scale, what = abs(est), "the differences `x - y`"
    else:
        scale = max(abs(float(np.mean(xa))), abs(float(np.mean(ya))))
        what = "`x` and `y` values"
    _check_se(se, scale, what)
    t = (est - mu_v) / se
    pvalue = t_pvalue(t, df, alternative)
    ci = t_interval(est, se, df, confidence_level, alternative)
    if ya is None:
        label, n = "mean of x", xa.size
        details: dict[str, Any] = {"mean_x": est, "sd_x": float(np.std(xa, ddof=1)), "n_x": n}
    elif paired:
        label, n = "mean difference (x - y)", xa.size
        details = {"mean_difference": est, "sd_difference": float(np.std(xa - ya, ddof=1))}
        details["n_pairs"] = n
    else:
        label, n = "difference in means (x - y)", xa.size + ya.size
        details = {
            "mean_x": float(np.mean(xa)),
            "mean_y": float(np.mean(ya)),
            "sd_x": float(np.std(xa, ddof=1)),
            "sd_y": float(np.std(ya, ddof=1)),
            "n_x": int(xa.size),
            "n_y": int(ya.size),
        }
    details["mu"] = mu_v
    details.update(samples.details)
    estimate = Estimate(
        estimate=est,
        std_error=se,
        confidence_interval=ci,
        confidence_level=confidence_level,
        method=f"{label} (t interval)",
        n=int(n),
    )
    effect = _g_effect(
        xa, ya, mu=mu_v, paired=paired, confidence_level=confidence_level, alternative=alternative
    )
    return TestResult(
        statistic=float(t),
        pvalue=pvalue,
        df=df,
        alternative=alternative,
        method=method,
        estimate=estimate,
        effect_size=effect,
        details=FrozenMapping(details),
    )


# ---------------------------------------------------------------------------------------------
# Yuen


def _trimmed_stats(a: np.ndarray, trim: float) -> tuple[float, float, int]:
    """Trimmed mean, winsorized variance and number of kept observations ``h`` (as WRS2)."""
    s = np.sort(a)
    n = s.size
    g = math.floor(trim * n)
    h = n - 2 * g
    tmean = float(np.mean(s[g : n - g]))
    wvar = float(np.var(_winsorize_sorted(s, g), ddof=1))
    return tmean, wvar, h


def _winsorized_variance_normal(trim: float) -> float:
    """Winsorized variance of the standard normal (WRS2's ``cterm``)."""
    if trim == 0.0:
        return 1.0
    a, b = stats.norm.ppf(trim), stats.norm.ppf(1.0 - trim)
    inner = (stats.norm.cdf(b) - b * stats.norm.pdf(b)) - (
        stats.norm.cdf(a) - a * stats.norm.pdf(a)
    )
    return float(inner + 2.0 * a**2 * trim)


def _explanatory_measure(x: np.ndarray, y: np.ndarray, trim: float, m1: float, m2: float) -> float:
    """WRS2's explanatory measure of effect size for equal group sizes (``yuenv2``)."""
    pooled = np.concatenate([x, y])
    s = np.sort(pooled)
    wvar = float(np.var(_winsorize_sorted(s, math.floor(trim * s.size)), ddof=1))
    top = (m1 - m2) ** 2 / 2.0  # var(c(m1, m2)) in R
    e_pow = top / (wvar / _winsorized_variance_normal(trim))
    if e_pow > 1.0:  # WRS2 falls back to the squared winsorized correlation
        groups = np.concatenate([np.ones(x.size), np.full(y.size, 2.0)])

        def winsorize(v: np.ndarray) -> np.ndarray:
            g = math.floor(trim * v.size)
            lo, hi = np.sort(v)[g], np.sort(v)[v.size - g - 1]
            return np.clip(v, lo, hi)

        e_pow = float(np.corrcoef(winsorize(groups), winsorize(pooled))[0, 1] ** 2)
    return math.sqrt(e_pow)


def yuen(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    trim: float = 0.2,
    alternative: Alternative = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Yuen's test comparing the trimmed means of two independent samples.

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
    trim : float
        Proportion trimmed from each end, in [0, 0.5). With ``trim=0`` this is Welch's test.
    alternative : {'two-sided', 'less', 'greater'}
        Alternative about the trimmed-mean difference ``x - y``.
    confidence_level : float
        Coverage of the interval for the difference.
    nan_policy : {'raise', 'omit', 'propagate'}
        As in :func:`ttest`.

    Returns
    -------
    TestResult
        ``statistic`` is the signed :math:`T_y` (R's ``WRS2::yuen`` prints :math:`|T_y|`);
        ``df`` Yuen's Welch-type df; ``estimate`` the trimmed-mean difference with its interval;
        ``effect_size`` None; ``details`` hold the trimmed means, winsorized variances, the
        numbers of observations kept, and for equal sample sizes WRS2's explanatory measure of
        effect size (``'explanatory_measure'``).

    Raises
    ------
    ValueError
        ``trim`` outside [0, 0.5), fewer than two observations left after trimming, both
        winsorized variances zero, NaN with ``nan_policy='raise'``.
    TypeError
        Non-numeric data.

    Notes
    -----
    With :math:`g_i = \lfloor \gamma n_i \rfloor`, :math:`h_i = n_i - 2g_i`, trimmed means
    :math:`\bar x_{t,i}` and winsorized variances :math:`s^2_{w,i}`:
    :math:`d_i = (n_i-1)s^2_{w,i}/(h_i(h_i-1))`,
    :math:`T_y = (\bar x_{t,1}-\bar x_{t,2})/\sqrt{d_1+d_2}` with
    :math:`\nu = (d_1+d_2)^2/(d_1^2/(h_1-1)+d_2^2/(h_2-1))` (Yuen 1974). Same numbers as
    ``WRS2::yuen`` and ``scipy.stats.ttest_ind(equal_var=False, trim=...)``; statcraft adds
    one-sided alternatives and the interval at any level.

    The explanatory measure (Wilcox & Tian 2011) is only reported for equal sample sizes:
    for unequal sizes WRS2 averages it over random subsamples, which is not reproducible.

    References
    ----------
    .. [1] Yuen, K. K. (1974). The two-sample trimmed t for unequal population variances.
       *Biometrika* 61, 165-170.
    .. [2] Mair, P., & Wilcox, R. (2020). Robust statistical methods in R using the WRS2
       package. *Behavior Research Methods* 52, 464-488.

    Examples
    --------
    ``WRS2::yuen(Anxiety ~ Group, data = spider)``:

    >>> import statcraft as sc
    >>> picture = [30, 35, 45, 40, 50, 35, 55, 25, 30, 45, 40, 50]
    >>> real = [40, 35, 50, 55, 65, 55, 50, 35, 30, 50, 60, 39]
    >>> res = sc.yuen(picture, real)
    >>> round(res.statistic, 4), round(res.df, 4), round(res.pvalue, 4)
    (-1.2958, 13.9137, 0.2161)
    >>> res.estimate.estimate
    -6.75
    """
    samples = two_samples(x, y, group=group, data=data, y_required=True)
    x, y = samples.samples
    trim_v = check_probability(trim, "trim", open_low=False)
    if trim_v >= 0.5:
        raise ValueError(f"`trim` must be in [0, 0.5); got {trim!r}")
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)
    method = samples.describe("Yuen's test on trimmed means for independent samples")
    xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
    ya = check_array(y, "y", min_size=2, nan_policy=nan_policy)
    if np.isnan(xa).any() or np.isnan(ya).any():
        return nan_test(method, alternative=alternative, df=math.nan)
    m1, w1, h1 = _trimmed_stats(xa, trim_v)
    m2, w2, h2 = _trimmed_stats(ya, trim_v)
    for name, h, n in (("x", h1, xa.size), ("y", h2, ya.size)):
        if h < 2:
            raise ValueError(
                f"`{name}` keeps {h} observation{'s' if h != 1 else ''} after trimming "
                f"{trim_v:g} from each end of {n}; Yuen's test needs at least 2"
            )
    d1 = (xa.size - 1) * w1 / (h1 * (h1 - 1))
    d2 = (ya.size - 1) * w2 / (h2 * (h2 - 1))
    se = math.sqrt(d1 + d2)
    diff = m1 - m2
    _check_se(se, max(abs(m1), abs(m2)), "the winsorized `x` and `y` values")
    df = (d1 + d2) ** 2 / (d1**2 / (h1 - 1) + d2**2 / (h2 - 1))
    t = diff / se
    details: dict[str, Any] = {
        "trim": trim_v,
        "trimmed_mean_x": m1,
        "trimmed_mean_y": m2,
        "winsorized_var_x": w1,
        "winsorized_var_y": w2,
        "h_x": h1,
        "h_y": h2,
    }
    if xa.size == ya.size:
        details["explanatory_measure"] = _explanatory_measure(xa, ya, trim_v, m1, m2)
    details.update(samples.details)
    estimate = Estimate(
        estimate=float(diff),
        std_error=float(se),
        confidence_interval=t_interval(diff, se, df, confidence_level, alternative),
        confidence_level=confidence_level,
        method=f"difference in {100 * trim_v:g}% trimmed means (x - y)",
        n=int(xa.size + ya.size),
    )
    return TestResult(
        statistic=float(t),
        pvalue=t_pvalue(t, df, alternative),
        df=float(df),
        alternative=alternative,
        method=method,
        estimate=estimate,
        effect_size=None,
        details=FrozenMapping(details),
    )


# ---------------------------------------------------------------------------------------------
# TOST


def tost(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    low: float,
    high: float,
    paired: bool = False,
    equal_var: bool = False,
    confidence_level: float = 0.90,
    nan_policy: NanPolicy = "raise",
) -> TestResult:
    r"""Two one-sided t-tests (TOST) for equivalence of a mean (difference) within bounds.

    Parameters
    ----------
    x : array_like or str
        Sample (one-sample) or first sample; a column name with ``data``.
    y : array_like or str, optional
        Second sample; with ``paired=True`` the partner of each ``x``.
    group : str or array_like, optional
        Splits ``x`` into the two samples: a column of ``data`` or one label per observation
        (aligned by position). ``x`` is the first level in sorted order (a Categorical's
        category order), ``y`` the second; ``y`` must then be None. The labels are in
        ``details['groups']`` and the ``method`` text. Exactly two levels.
    data : pandas.DataFrame, optional
        The data when ``x``, ``y`` and ``group`` are column names. Column and Series names
        carry into the ``method`` text and ``details['data_name']``.
    low, high : float
        Equivalence bounds for the mean (difference ``x - y``) in raw units, ``low < high``.
    paired, equal_var : bool
        As in :func:`ttest`.
    confidence_level : float
        Level of the reported two-sided interval, ``1 - 2α`` by the TOST convention: the default
        0.90 goes with each one-sided test at α = 0.05. Equivalence at level α holds exactly
        when this interval lies inside ``(low, high)``.
    nan_policy : {'raise', 'omit', 'propagate'}
        As in :func:`ttest`.

    Returns
    -------
    TestResult
        ``pvalue`` is the larger of the two one-sided p-values; ``statistic`` the t of that
        (binding) test; ``alternative`` None (the alternative is "inside the bounds");
        ``estimate`` the mean (difference) with its ``confidence_level`` interval;
        ``effect_size`` Hedges' g at the same level; ``details`` both t statistics and
        p-values (``t_lower``, ``p_lower`` for H0: θ ≤ low; ``t_upper``, ``p_upper`` for
        H0: θ ≥ high) and the bounds.

    Raises
    ------
    ValueError
        ``low >= high``, and everything :func:`ttest` rejects.
    TypeError
        Non-numeric data or bounds.

    Notes
    -----
    :math:`t_L = (\hat\theta - low)/SE` tested against "greater" and
    :math:`t_U = (\hat\theta - high)/SE` against "less", with the SE and df of the matching
    t-test; :math:`p = \max(p_L, p_U)` (Schuirmann 1987). Bounds are in raw units; for
    bounds in SD units multiply them by the SD first. TOSTER's ``t_TOST`` gives the same
    numbers.

    References
    ----------
    .. [1] Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the
       power approach for assessing the equivalence of average bioavailability. *Journal of
       Pharmacokinetics and Biopharmaceutics* 15, 657-680.
    .. [2] Lakens, D. (2017). Equivalence tests: a practical primer for t tests, correlations,
       and meta-analyses. *Social Psychological and Personality Science* 8(4), 355-362.

    Examples
    --------
    >>> import statcraft as sc
    >>> a = [5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.1, 5.0]
    >>> b = [5.0, 5.1, 5.2, 4.9, 5.0, 5.1, 4.9, 5.0]
    >>> res = sc.tost(a, b, low=-0.3, high=0.3)
    >>> res.pvalue < 0.05
    True
    """
    low_v = check_finite_scalar(low, "low")
    high_v = check_finite_scalar(high, "high")
    if not low_v < high_v:
        raise ValueError(f"`low` must be smaller than `high`; got low={low_v:g}, high={high_v:g}")
    paired = check_bool(paired, "paired")
    samples = two_samples(x, y, group=group, data=data, paired=paired)
    x, y = samples.samples
    equal_var = check_bool(equal_var, "equal_var")
    confidence_level = check_confidence_level(confidence_level)
    method = samples.describe(f"TOST equivalence test ({_t_method(y, paired, equal_var)})")
    xa, ya, has_nan = _prepare_t(x, y, paired=paired, equal_var=equal_var, nan_policy=nan_policy)
    if has_nan:
        return nan_test(method, df=math.nan)
    est_a, se_a, df_a = _t_core(xa, ya, paired=paired, equal_var=equal_var)
    est, se, df = float(est_a), float(se_a), float(df_a)
    scale = abs(est) if ya is None or paired else max(abs(np.mean(xa)), abs(np.mean(ya)))
    what = "`x` values" if ya is None else "the differences `x - y`" if paired else None
    _check_se(se, float(scale), what or "`x` and `y` values")
    t_lower = (est - low_v) / se
    t_upper = (est - high_v) / se
    p_lower = t_pvalue(t_lower, df, "greater")
    p_upper = t_pvalue(t_upper, df, "less")
    binding_t = t_lower if p_lower >= p_upper else t_upper
    n = xa.size if ya is None or paired else xa.size + ya.size
    estimate = Estimate(
        estimate=est,
        std_error=se,
        confidence_interval=t_interval(est, se, df, confidence_level, "two-sided"),
        confidence_level=confidence_level,
        method=("mean of x" if ya is None else "mean difference (x - y)") + " (t interval)",
        n=int(n),
    )
    effect = _g_effect(
        xa, ya, mu=0.0, paired=paired, confidence_level=confidence_level, alternative="two-sided"
    )
    return TestResult(
        statistic=float(binding_t),
        pvalue=float(max(p_lower, p_upper)),
        df=df,
        alternative=None,
        method=method,
        estimate=estimate,
        effect_size=effect,
        details=FrozenMapping(
            {
                "low": low_v,
                "high": high_v,
                "t_lower": float(t_lower),
                "p_lower": float(p_lower),
                "t_upper": float(t_upper),
                "p_upper": float(p_upper),
                **samples.details,
            }
        ),
    )


# ---------------------------------------------------------------------------------------------
# one-way ANOVA


def oneway_anova(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    equal_var: bool = True,
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> TestResult:
    r"""One-way analysis of means: the classic F test or Welch's heteroscedastic F test.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples (or a single list or dict of samples), each with at least two
        observations; column names with ``data``; one sample with ``group``.
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
    equal_var : bool
        ``True`` (default): classic ANOVA F test. ``False``: Welch's (1951) test, which does not
        assume equal variances (R's ``oneway.test`` default).
    confidence_level : float
        Coverage of the effect-size intervals.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops NaN within each group.

    Returns
    -------
    TestResult
        ``statistic`` F, ``df`` the pair ``(df_num, df_den)`` (non-integer denominator for
        Welch), ``pvalue``; ``method`` as R's ``oneway.test``; ``effect_size`` eta squared with
        its noncentral-F interval; ``details['omega_squared']`` omega squared (same interval),
        and the group sizes, means and variances and the sums of squares. ``estimate`` is None
        (no single tested quantity).

    Raises
    ------
    ValueError
        Fewer than two groups, a group with fewer than two observations, zero within-group
        variance (for Welch: any group with zero variance), NaN with ``nan_policy='raise'``.
    TypeError
        Non-numeric data.

    Notes
    -----
    Classic: :math:`F = (SS_b/(k-1))/(SS_w/(N-k))` on :math:`(k-1, N-k)` df.
    Welch: with :math:`w_i = n_i/s_i^2`, :math:`\tilde m = \sum w_i \bar x_i/\sum w_i`,
    :math:`A = \sum (1-w_i/\sum w)^2/(n_i-1)/(k^2-1)`,
    :math:`F = \sum w_i(\bar x_i-\tilde m)^2 / ((k-1)(1+2(k-2)A))` on
    :math:`(k-1, 1/(3A))` df, exactly as R's ``oneway.test(var.equal = FALSE)``.

    The effect sizes (:func:`~statcraft.eta_squared`, :func:`~statcraft.omega_squared`)
    describe the classic sums-of-squares decomposition and are the same for both tests.

    References
    ----------
    .. [1] Welch, B. L. (1951). On the comparison of several mean values: an alternative
       approach. *Biometrika* 38, 330-336.

    Examples
    --------
    Brake-pad wear by type (Verzani, *Using R*, problem 11.12):

    >>> import statcraft as sc
    >>> t1 = [303, 293, 296, 299, 298]
    >>> t2 = [322, 326, 315, 318, 320, 320]
    >>> t3 = [309, 327, 317, 315]
    >>> res = sc.oneway_anova(t1, t2, t3)
    >>> round(res.statistic, 2), res.df, f"{res.pvalue:.3e}"
    (31.0, (2.0, 12.0), '1.810e-05')
    >>> round(sc.oneway_anova(t1, t2, t3, equal_var=False).pvalue, 7)
    0.0001522
    """
    samples = k_samples(groups, group=group, data=data)
    groups = samples.samples
    equal_var = check_bool(equal_var, "equal_var")
    confidence_level = check_confidence_level(confidence_level)
    ow = _one_way(groups, nan_policy)
    eta, omega = _pve_estimates(ow, confidence_level, "two-sided")
    n = np.asarray(ow.sizes, dtype=float)
    m = ow.centred_means
    v = np.asarray(ow.variances)
    k = ow.k
    if equal_var:
        f_value = ow.f_value
        df: tuple[float, float] = (float(k - 1), float(ow.df_within))
        method = "One-way analysis of means"
    else:
        zero = [i for i, vi in enumerate(ow.variances) if vi <= 0.0]
        if zero:
            raise ValueError(
                f"`groups[{zero[0]}]` is constant; Welch's test needs a positive variance in "
                "every group (use equal_var=True)"
            )
        w = n / v
        sw = float(np.sum(w))
        mw = float(np.sum(w * m)) / sw
        a = float(np.sum((1.0 - w / sw) ** 2 / (n - 1.0))) / (k * k - 1.0)
        f_value = float(np.sum(w * (m - mw) ** 2)) / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * a))
        df = (float(k - 1), 1.0 / (3.0 * a))
        method = "One-way analysis of means (not assuming equal variances)"
    pvalue = float(special.fdtrc(df[0], df[1], f_value))
    return TestResult(
        statistic=float(f_value),
        pvalue=pvalue,
        df=df,
        alternative=None,
        method=samples.describe(method),
        estimate=None,
        effect_size=eta,
        details=FrozenMapping(
            {
                **samples.details,
                "omega_squared": omega,
                "group_sizes": tuple(int(s) for s in ow.sizes),
                "group_means": tuple(float(x) for x in ow.means),
                "group_variances": tuple(float(x) for x in ow.variances),
                "ss_between": float(ow.ss_between),
                "ss_within": float(ow.ss_within),
                "ms_within": float(ow.ss_within / ow.df_within),
            }
        ),
    )
