"""Standardised effect sizes with confidence intervals.

Standardised mean differences (:func:`cohens_d`, :func:`hedges_g`, :func:`glass_delta`) get exact
intervals by inverting the noncentral t distribution of the corresponding t statistic; the
proportions of variance explained by a grouping (:func:`eta_squared`, :func:`omega_squared`) get
intervals by inverting the noncentral F distribution of the one-way ANOVA F statistic (the
"confidence interval transformation principle", Steiger 2004). Each returns an
:class:`~statcraft.results.Estimate`.

=================  ==========================================  ===========================
function           estimate                                    R (package ``effectsize``)
=================  ==========================================  ===========================
``cohens_d``       ``(mean_x - mean_y - mu) / s_pooled``       ``cohens_d``
``hedges_g``       Cohen's d times the exact correction J      ``hedges_g``
``glass_delta``    ``(mean_x - mean_y - mu) / sd_y``           ``glass_delta``
``eta_squared``    ``SS_b / SS_total``                         ``eta_squared``
``omega_squared``  ``(SS_b - df_b MS_w) / (SS_total + MS_w)``  ``omega_squared``
=================  ==========================================  ===========================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from statcraft._frames import k_samples, two_samples
from statcraft._validation import (
    check_alternative,
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_groups,
    check_not_constant,
    check_paired,
)
from statcraft.hypothesis_tests._noncentral import hedges_correction, ncf_interval, nct_interval
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

__all__ = ["cohens_d", "eta_squared", "glass_delta", "hedges_g", "omega_squared"]

Alternative = Literal["two-sided", "less", "greater"]
NanPolicy = Literal["raise", "omit"]


@dataclass(frozen=True)
class _StdDiff:
    """A standardised difference ``d = t * sqrt(h)`` with the t statistic's degrees of freedom."""

    d: float
    t: float
    df: float
    h: float  # d = t * sqrt(h)
    design: str
    n: int
    scale: float


def _standardized_difference(
    x: Any,
    y: Any,
    *,
    mu: Any,
    paired: bool,
    nan_policy: str,
    scale: Literal["pooled", "unpooled", "y"] = "pooled",
) -> _StdDiff:
    """Validate the data and return the standardised difference and its t statistic."""
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    mu_v = check_finite_scalar(mu, "mu")
    paired = check_bool(paired, "paired")
    if y is None:
        if paired:
            raise ValueError("`paired=True` needs both `x` and `y`")
        xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
        check_not_constant(xa, "x", "a standardised difference needs a positive variance")
        n = xa.size
        s = float(np.std(xa, ddof=1))
        d = (float(np.mean(xa)) - mu_v) / s
        h = 1.0 / n
        return _StdDiff(d, d / math.sqrt(h), n - 1.0, h, "one-sample", n, s)
    if paired:
        xa, ya = check_paired(x, y, min_size=2, nan_policy=nan_policy)
        diff = xa - ya
        check_not_constant(
            diff,
            "x - y",
            "a standardised difference needs a positive variance of the differences",
            scale=float(max(np.abs(xa).max(), np.abs(ya).max())),
        )
        n = diff.size
        s = float(np.std(diff, ddof=1))
        d = (float(np.mean(diff)) - mu_v) / s
        h = 1.0 / n
        return _StdDiff(d, d / math.sqrt(h), n - 1.0, h, "paired", n, s)
    xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
    ya = check_array(y, "y", min_size=2, nan_policy=nan_policy)
    n1, n2 = xa.size, ya.size
    v1, v2 = float(np.var(xa, ddof=1)), float(np.var(ya, ddof=1))
    delta = float(np.mean(xa)) - float(np.mean(ya)) - mu_v
    if scale == "y":
        check_not_constant(ya, "y", "Glass's delta divides by the standard deviation of `y`")
        s = math.sqrt(v2)
        d = delta / s
        # Var(mean_x - mean_y) / var_y = v1 / (n1 v2) + 1 / n2
        h = v1 / (n1 * v2) + 1.0 / n2
        return _StdDiff(d, d / math.sqrt(h), n2 - 1.0, h, "two-sample", n1 + n2, s)
    # exact test: np.var of a constant need not be exactly 0
    both_constant = xa.min() == xa.max() and ya.min() == ya.max()
    if scale == "unpooled":
        if both_constant:
            raise ValueError(
                "`x` and `y` are both constant; a standardised difference needs a positive variance"
            )
        s = math.sqrt((v1 + v2) / 2.0)
        d = delta / s
        a1, a2 = v1 / n1, v2 / n2
        df = (a1 + a2) ** 2 / (a1**2 / (n1 - 1) + a2**2 / (n2 - 1))
        h = (a1 + a2) / s**2  # t = d / sqrt(h) is Welch's t
        return _StdDiff(d, d / math.sqrt(h), df, h, "two-sample", n1 + n2, s)
    sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    if both_constant:
        raise ValueError(
            "`x` and `y` are both constant; a standardised difference needs a positive "
            "pooled variance"
        )
    s = math.sqrt(sp2)
    d = delta / s
    h = 1.0 / n1 + 1.0 / n2
    return _StdDiff(d, d / math.sqrt(h), n1 + n2 - 2.0, h, "two-sample", n1 + n2, s)


def _d_estimate(
    sd: _StdDiff,
    *,
    corrected: bool,
    confidence_level: float,
    alternative: str,
    name: str,
    scale_label: str,
) -> Estimate:
    """Turn a standardised difference into an Estimate with its noncentral-t interval."""
    lo_ncp, hi_ncp = nct_interval(sd.t, sd.df, confidence_level, alternative)
    root_h = math.sqrt(sd.h)
    lo, hi = lo_ncp * root_h, hi_ncp * root_h
    j = 1.0
    if corrected:
        if sd.df < 2:
            raise ValueError(
                f"Hedges' g needs at least 2 degrees of freedom for its bias correction; "
                f"got {sd.df:g}"
            )
        j = hedges_correction(sd.df)
    return Estimate(
        estimate=float(sd.d * j),
        std_error=None,
        confidence_interval=ConfidenceInterval(float(lo * j), float(hi * j)),
        confidence_level=confidence_level,
        method=f"{name} ({sd.design}, {scale_label}; noncentral t interval)",
        n=sd.n,
        details=FrozenMapping(
            {
                "cohens_d": float(sd.d),
                "correction": float(j),
                "t": float(sd.t),
                "df": float(sd.df),
                "scale": float(sd.scale),
                "design": sd.design,
                "alternative": alternative,
            }
        ),
    )


def _scale_label(design: str, pooled_sd: bool = True) -> str:
    if design == "two-sample" and not pooled_sd:
        return "mean of the two variances, Welch df"
    return {"one-sample": "SD of x", "paired": "SD of differences, d_z"}.get(design, "pooled SD")


def _d_or_g(
    x: Any,
    y: Any,
    mu: Any,
    paired: Any,
    pooled_sd: Any,
    confidence_level: Any,
    alternative: Any,
    nan_policy: Any,
    *,
    corrected: bool,
    group: Any = None,
    data: Any = None,
) -> Estimate:
    """Shared body of :func:`cohens_d` and (``corrected=True``) :func:`hedges_g`."""
    paired = check_bool(paired, "paired")
    samples = two_samples(x, y, group=group, data=data, paired=paired)
    x, y = samples.samples
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)
    pooled_sd = check_bool(pooled_sd, "pooled_sd")
    sd = _standardized_difference(
        x,
        y,
        mu=mu,
        paired=paired,
        nan_policy=nan_policy,
        scale="pooled" if pooled_sd else "unpooled",
    )
    estimate = _d_estimate(
        sd,
        corrected=corrected,
        confidence_level=confidence_level,
        alternative=alternative,
        name="Hedges' g" if corrected else "Cohen's d",
        scale_label=_scale_label(sd.design, bool(pooled_sd)),
    )
    return samples.annotate(estimate)


def cohens_d(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0.0,
    paired: bool = False,
    pooled_sd: bool = True,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    nan_policy: NanPolicy = "raise",
) -> Estimate:
    r"""Cohen's d: a mean difference in standard-deviation units, with an exact interval.

    Parameters
    ----------
    x : array_like or str
        First sample (or the only sample for a one-sample d); a column name with ``data``.
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
        Null value of the mean (one-sample) or mean difference, subtracted before standardising.
    paired : bool
        Treat ``x`` and ``y`` as pairs and standardise the mean difference by the standard
        deviation of the differences (:math:`d_z`).
    pooled_sd : bool
        Two independent samples only. ``True`` (default): the pooled SD (assumes equal
        variances). ``False``: :math:`\sqrt{(s_x^2+s_y^2)/2}`, with the interval built on Welch's
        t and df (R ``effectsize``'s ``pooled_sd = FALSE``). Ignored for one sample and pairs.
    confidence_level : float
        Coverage of the interval.
    alternative : {'two-sided', 'less', 'greater'}
        ``'greater'`` gives a lower bound ``[low, inf)``, ``'less'`` an upper bound.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops NaN (incomplete pairs when paired).

    Returns
    -------
    Estimate
        ``estimate`` is d, ``confidence_interval`` its interval; ``std_error`` is None (the
        interval is exact, not estimate ± z·SE). ``details`` hold the t statistic, its df and
        the standardiser (``scale``).

    Raises
    ------
    ValueError
        Fewer than two observations per sample, zero variance, NaN with ``nan_policy='raise'``,
        pairs of different lengths, bad ``confidence_level`` or ``alternative``.
    TypeError
        Non-numeric data.

    See Also
    --------
    hedges_g : the bias-corrected version.
    glass_delta : standardised by the SD of ``y`` only.

    Notes
    -----
    Two samples: :math:`d = (\bar x - \bar y - \mu) / s_p` with the pooled SD
    :math:`s_p^2 = ((n_x-1)s_x^2 + (n_y-1)s_y^2)/(n_x+n_y-2)`. One sample:
    :math:`d = (\bar x - \mu)/s_x`. Paired: :math:`d_z = (\bar D - \mu)/s_D` for
    :math:`D = x - y`.

    Interval: :math:`t = d/\sqrt{h}` (with :math:`h = 1/n_x + 1/n_y`, or :math:`1/n` for one
    sample and pairs) follows a noncentral t distribution with the t-test's degrees of freedom
    and noncentrality :math:`\delta/\sqrt{h}`. The limits for the noncentrality solve
    :math:`P(T \le t_{obs}; \nu, \lambda) = 1-\alpha/2` and :math:`\alpha/2` (Steiger & Fouladi
    1997); multiplied by :math:`\sqrt{h}` they bound δ. This is what R's ``effectsize``
    (``pooled_sd = TRUE``) and ``MBESS::ci.smd`` compute. With ``pooled_sd=False`` the
    standardiser is :math:`s^* = \sqrt{(s_x^2+s_y^2)/2}`, :math:`t` is Welch's statistic with
    Welch–Satterthwaite df and :math:`h = (s_x^2/n_x + s_y^2/n_y)/s^{*2}`; this interval is
    approximate (:math:`h` is estimated), as in R's ``effectsize``.

    References
    ----------
    .. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    .. [2] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
       evaluation of statistical models. In *What if there were no significance tests?*
    .. [3] Ben-Shachar, M. S., Lüdecke, D., & Makowski, D. (2020). effectsize: Estimation of
       effect size indices and standardized parameters. *JOSS* 5(56), 2815.

    Examples
    --------
    >>> import statcraft as sc
    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> d = sc.cohens_d(g1, g2, paired=True)
    >>> round(d.estimate, 4), [round(v, 4) for v in d.confidence_interval]
    (-1.2846, [-2.118, -0.4146])
    """
    return _d_or_g(
        x,
        y,
        mu,
        paired,
        pooled_sd,
        confidence_level,
        alternative,
        nan_policy,
        corrected=False,
        group=group,
        data=data,
    )


def hedges_g(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0.0,
    paired: bool = False,
    pooled_sd: bool = True,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    nan_policy: NanPolicy = "raise",
) -> Estimate:
    r"""Hedges' g: Cohen's d with the exact small-sample bias correction, and its interval.

    Parameters
    ----------
    x, y, group, data, mu, paired, pooled_sd, confidence_level, alternative, nan_policy
        As in :func:`cohens_d`.

    Returns
    -------
    Estimate
        ``estimate`` is g; ``details['cohens_d']`` the uncorrected d and
        ``details['correction']`` the factor J.

    Raises
    ------
    ValueError
        As :func:`cohens_d`; also when the t statistic has fewer than 2 degrees of freedom
        (J is 0 there).
    TypeError
        Non-numeric data.

    Notes
    -----
    :math:`g = J(\nu)\, d` with the exact correction
    :math:`J(\nu) = \Gamma(\nu/2) / (\sqrt{\nu/2}\, \Gamma((\nu-1)/2))` (Hedges 1981), where
    :math:`\nu` is the t-test's degrees of freedom (:math:`n_x+n_y-2`, or :math:`n-1` for one
    sample and pairs, or Welch's df with ``pooled_sd=False``). The interval is the
    noncentral-t interval of d (see :func:`cohens_d`) multiplied by J, as in R's
    ``effectsize::hedges_g``. For pairs the standardiser is the SD of the differences
    (:math:`g_z`), the effect size whose sampling distribution is exactly a scaled
    noncentral t; :math:`d_{av}` (average of the two SDs) has no exact interval.

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. *Journal of Educational Statistics* 6(2), 107-128.

    Examples
    --------
    >>> import statcraft as sc
    >>> g = sc.hedges_g([5.1, 4.8, 6.0, 5.5, 5.9, 6.2], [4.2, 4.9, 4.4, 5.0, 4.1, 4.6])
    >>> round(g.estimate, 3), [round(v, 3) for v in g.confidence_interval]
    (2.074, [0.669, 3.421])
    """
    return _d_or_g(
        x,
        y,
        mu,
        paired,
        pooled_sd,
        confidence_level,
        alternative,
        nan_policy,
        corrected=True,
        group=group,
        data=data,
    )


def glass_delta(
    x: Any,
    y: Any = None,
    *,
    group: Any = None,
    data: Any = None,
    mu: float = 0.0,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    nan_policy: NanPolicy = "raise",
) -> Estimate:
    r"""Glass's Δ: a mean difference in units of the control group's (``y``) SD.

    Parameters
    ----------
    x : array_like or str
        Treatment sample; a column name with ``data``.
    y : array_like or str
        Control (reference) sample, whose SD is the standardiser.
    group : str or array_like, optional
        Splits ``x`` into the two samples: a column of ``data`` or one label per observation
        (aligned by position). ``x`` is the first level in sorted order (a Categorical's
        category order), ``y`` (the control) the second; ``y`` must then be None. The labels are in
        ``details['groups']`` and the ``method`` text. Exactly two levels.
    data : pandas.DataFrame, optional
        The data when ``x``, ``y`` and ``group`` are column names. Column and Series names
        carry into the ``method`` text and ``details['data_name']``.
    mu : float
        Null value of the mean difference.
    confidence_level, alternative, nan_policy
        As in :func:`cohens_d`.

    Returns
    -------
    Estimate
        ``estimate`` is Δ (not bias-corrected); ``details`` hold the statistic and df used
        for the interval.

    Raises
    ------
    ValueError
        Fewer than two observations in either sample, constant ``y``, NaN with
        ``nan_policy='raise'``, bad ``confidence_level``/``alternative``.
    TypeError
        Non-numeric data.

    Notes
    -----
    :math:`\Delta = (\bar x - \bar y - \mu)/s_y`. Its interval inverts a noncentral t with
    :math:`n_y - 1` degrees of freedom applied to
    :math:`t = \Delta / \sqrt{h}`, :math:`h = s_x^2/(n_x s_y^2) + 1/n_y`, i.e. the mean
    difference divided by its (Welch) standard error; the limits for the noncentrality are
    multiplied by :math:`\sqrt{h}`. This approximation (Algina, Keselman & Penfield 2006 use
    the same pivot) is what R's ``effectsize::glass_delta`` (≥ 0.8) reports; it is not exact
    because :math:`\sqrt h` is itself estimated. Use it when the groups' SDs clearly differ;
    with similar SDs prefer :func:`hedges_g`, whose interval is exact.

    References
    ----------
    .. [1] Glass, G. V. (1976). Primary, secondary, and meta-analysis of research.
       *Educational Researcher* 5(10), 3-8.
    .. [2] Algina, J., Keselman, H. J., & Penfield, R. D. (2006). Confidence intervals for an
       effect size when variances are not equal. *J. Modern Applied Statistical Methods* 5(1).

    Examples
    --------
    >>> import statcraft as sc
    >>> d = sc.glass_delta([5.1, 4.8, 6.0, 5.5, 5.9, 6.2], [4.2, 4.9, 4.4, 5.0, 4.1, 4.6])
    >>> round(d.estimate, 3), [round(v, 3) for v in d.confidence_interval]
    (2.861, [0.568, 5.054])
    """
    samples = two_samples(x, y, group=group, data=data)
    x, y = samples.samples
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    if y is None:
        raise TypeError(
            "glass_delta() needs two samples: `x` (treatment) and `y` (control), or `group`"
        )
    sd = _standardized_difference(x, y, mu=mu, paired=False, nan_policy=nan_policy, scale="y")
    estimate = _d_estimate(
        sd,
        corrected=False,
        confidence_level=confidence_level,
        alternative=alternative,
        name="Glass's delta",
        scale_label="SD of y",
    )
    return samples.annotate(estimate)


# ---------------------------------------------------------------------------------------------
# proportion of variance explained by a grouping


@dataclass(frozen=True)
class _OneWay:
    k: int
    n_total: int
    ss_between: float
    ss_within: float
    means: tuple[float, ...]
    variances: tuple[float, ...]
    sizes: tuple[int, ...]
    shift: float
    """The value subtracted from every observation before the sums were formed."""

    @property
    def centred_means(self) -> np.ndarray:
        """Group means minus :attr:`shift`: differences between them keep their digits."""
        return np.asarray(self.means) - self.shift

    @property
    def df_between(self) -> int:
        return self.k - 1

    @property
    def df_within(self) -> int:
        return self.n_total - self.k

    @property
    def f_value(self) -> float:
        return (self.ss_between / self.df_between) / (self.ss_within / self.df_within)


def _one_way(groups: tuple[Any, ...], nan_policy: str, *, name: str = "groups") -> _OneWay:
    """Validate the groups of a one-way layout and return its sums of squares.

    The data are centred first (one observation subtracted from all), as a careful
    implementation does: with values near 1e12 + 0.1 (NIST StRD SmLs07-09) the group means
    differ in the 13th digit, and sums of squares formed from the raw means lose three digits.
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    arrays = check_groups(groups, name, min_size=2, nan_policy=nan_policy)
    shift = float(np.median(arrays[0]))
    centred = [a - shift for a in arrays]
    sizes = tuple(a.size for a in arrays)
    centred_means = np.array([float(np.mean(a)) for a in centred])
    means = tuple(float(m) + shift for m in centred_means)
    variances = tuple(float(np.var(a, ddof=1)) for a in centred)
    n_total = int(sum(sizes))
    grand = float(np.dot(centred_means, sizes)) / n_total
    ss_within = float(sum((n - 1) * v for n, v in zip(sizes, variances, strict=True)))
    ss_between = float(np.dot(sizes, (centred_means - grand) ** 2))
    if all(a.min() == a.max() for a in arrays):  # np.var of a constant need not be 0
        raise ValueError(
            f"every group in `{name}` is constant; the F statistic needs a positive "
            "within-group variance"
        )
    return _OneWay(len(arrays), n_total, ss_between, ss_within, means, variances, sizes, shift)


def _pve_estimates(
    ow: _OneWay, confidence_level: float, alternative: str
) -> tuple[Estimate, Estimate]:
    """Eta squared and omega squared with the shared noncentral-F interval."""
    f_value = ow.f_value
    df1, df2 = float(ow.df_between), float(ow.df_within)
    lam_lo, lam_hi = ncf_interval(f_value, df1, df2, confidence_level, alternative)
    n = ow.n_total

    def to_pve(lam: float) -> float:
        return 1.0 if math.isinf(lam) else lam / (lam + n)

    ci = ConfidenceInterval(float(to_pve(lam_lo)), float(to_pve(lam_hi)))
    ss_total = ow.ss_between + ow.ss_within
    ms_within = ow.ss_within / ow.df_within
    eta2 = ow.ss_between / ss_total
    omega_raw = (ow.ss_between - ow.df_between * ms_within) / (ss_total + ms_within)
    common = {
        "F": float(f_value),
        "df_between": int(ow.df_between),
        "df_within": int(ow.df_within),
        "ss_between": float(ow.ss_between),
        "ss_within": float(ow.ss_within),
        "ncp_interval": (float(lam_lo), float(lam_hi)),
        "alternative": alternative,
    }
    eta = Estimate(
        float(eta2),
        None,
        ci,
        confidence_level,
        "eta squared (noncentral F interval)",
        n,
        details=FrozenMapping(common),
    )
    omega = Estimate(
        float(max(omega_raw, 0.0)),
        None,
        ci,
        confidence_level,
        "omega squared (noncentral F interval)",
        n,
        details=FrozenMapping({**common, "unadjusted": float(omega_raw)}),
    )
    return eta, omega


def eta_squared(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    nan_policy: NanPolicy = "raise",
) -> Estimate:
    r"""Eta squared: the share of the total variance explained by group membership.

    Parameters
    ----------
    *groups : array_like or str
        Two or more samples (or one list or dict of samples), each with at least two
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
    confidence_level : float
        Coverage of the interval.
    alternative : {'two-sided', 'less', 'greater'}
        ``'greater'`` gives ``[low, 1]`` (R ``effectsize``'s default is this one-sided
        interval), ``'less'`` gives ``[0, high]``.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops NaN within each group.

    Returns
    -------
    Estimate
        ``estimate`` is :math:`\eta^2`; ``details`` hold F, the degrees of freedom, the sums
        of squares and the interval for the noncentrality parameter.

    Raises
    ------
    ValueError
        Fewer than two groups, a group with fewer than two observations, zero within-group
        variance, NaN with ``nan_policy='raise'``.
    TypeError
        Non-numeric data.

    Notes
    -----
    :math:`\eta^2 = SS_b/(SS_b+SS_w)`. The ANOVA statistic :math:`F` follows a noncentral F
    with :math:`(k-1, N-k)` degrees of freedom and noncentrality :math:`\lambda = N f^2`,
    where :math:`f^2 = \eta_p^2/(1-\eta_p^2)` and :math:`\eta_p^2` is the population
    proportion of variance explained. The limits of λ solve
    :math:`P(F \le F_{obs}; \lambda) = 1-\alpha/2` and :math:`\alpha/2` (a limit is 0 when
    even λ = 0 leaves less than that probability) and map to
    :math:`\lambda/(\lambda+N)` (Steiger 2004; ``MBESS::ci.pvaf``). The same interval bounds
    the population value that :func:`omega_squared` estimates.

    References
    ----------
    .. [1] Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and tests
       of close fit in the analysis of variance and contrast analysis. *Psychological Methods*
       9(2), 164-182.

    Examples
    --------
    >>> import statcraft as sc
    >>> e = sc.eta_squared([303, 293, 296, 299, 298], [322, 326, 315, 318, 320, 320],
    ...                    [309, 327, 317, 315])
    >>> round(e.estimate, 3), [round(v, 4) for v in e.confidence_interval]
    (0.838, [0.5217, 0.8976])
    """
    samples = k_samples(groups, group=group, data=data)
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    ow = _one_way(samples.samples, nan_policy)
    return samples.annotate(_pve_estimates(ow, confidence_level, alternative)[0])


def omega_squared(
    *groups: Any,
    group: Any = None,
    data: Any = None,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    nan_policy: NanPolicy = "raise",
) -> Estimate:
    r"""Omega squared: a less biased estimate of the variance explained by group membership.

    Parameters
    ----------
    *groups, group, data, confidence_level, alternative, nan_policy
        As in :func:`eta_squared`.

    Returns
    -------
    Estimate
        ``estimate`` is :math:`\omega^2` truncated at 0 (``details['unadjusted']`` keeps the
        raw value, negative when F < 1); the interval is the one of :func:`eta_squared`.

    Raises
    ------
    ValueError
        As :func:`eta_squared`.
    TypeError
        Non-numeric data.

    Notes
    -----
    :math:`\omega^2 = (SS_b - (k-1) MS_w)/(SS_b + SS_w + MS_w)` (Hays 1963). Both
    :math:`\eta^2` and :math:`\omega^2` estimate the same population proportion of variance,
    so they share the noncentral-F interval described in :func:`eta_squared`. The raw value is
    negative when F < 1; the reported estimate is truncated at 0 (like R's ``effectsize``) so
    that it lies in its interval.

    References
    ----------
    .. [1] Hays, W. L. (1963). *Statistics for Psychologists*.
    .. [2] Steiger, J. H. (2004). *Psychological Methods* 9(2), 164-182.

    Examples
    --------
    >>> import statcraft as sc
    >>> w = sc.omega_squared([303, 293, 296, 299, 298], [322, 326, 315, 318, 320, 320],
    ...                      [309, 327, 317, 315])
    >>> round(w.estimate, 4)
    0.8001
    """
    samples = k_samples(groups, group=group, data=data)
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    ow = _one_way(samples.samples, nan_policy)
    return samples.annotate(_pve_estimates(ow, confidence_level, alternative)[1])
