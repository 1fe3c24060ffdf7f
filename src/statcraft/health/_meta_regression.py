r"""Meta-regression and Egger's regression test for funnel-plot asymmetry.

- :func:`meta_regression` — mixed-effects (or fixed-effects) meta-regression of study effects
  on study-level moderators, as metafor's ``rma(yi, vi, mods = ~ ...)``: coefficient table,
  residual :math:`\tau^2` with its Q-profile interval, the omnibus test of the moderators
  (QM), the test of residual heterogeneity (QE) and the pseudo-:math:`R^2`.
- :func:`egger_test` — Egger's regression test (metafor's ``regtest(model="lm")``).

Private module: the public names are re-exported by :mod:`statcraft.health.meta`
and :mod:`statcraft.health` (a module named ``meta_regression`` would shadow the function of
that name in the package namespace).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import (
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    column_names,
)
from statcraft.health import _meta_core as core
from statcraft.results import (
    ConfidenceInterval,
    Estimate,
    FrozenMapping,
    TestResult,
    _fmt,
    _fmt_pvalue,
)

__all__ = ["MetaRegressionResult", "egger_test", "meta_regression"]

_COLUMNS = ["estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high"]


@dataclass(frozen=True, slots=True, eq=False)
class MetaRegressionResult:
    r"""A fitted meta-regression (from :func:`meta_regression`).

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term (``"Intercept"`` first), columns ``estimate``, ``std_error``,
        ``statistic`` (z, or t with HKSJ), ``pvalue`` (two-sided), ``ci_low``, ``ci_high``.
    cov : pandas.DataFrame
        Covariance matrix of the coefficients (HKSJ-scaled with ``hksj=True``).
    tau2 : Estimate
        Residual between-study variance with its standard error and Q-profile interval
        (0, assumed, for ``method='FE'``).
    i2, h2 : Estimate
        Residual :math:`I^2` (percent) and :math:`H^2`, intervals from the :math:`\tau^2`
        interval.
    r_squared : float or None
        Pseudo-:math:`R^2` in percent: the share of the :math:`\tau^2` of the
        intercept-only model accounted for by the moderators (metafor's ``R2``); None when the
        moderators' columns do not contain a constant-free design (never here).
    qm_test : TestResult
        Omnibus test that all moderator coefficients are zero (chi-square on m df, or F on
        (m, k - p) df with HKSJ).
    qe_test : TestResult
        Test of residual heterogeneity, :math:`Q_E` on :math:`k - p` df.
    method : str
        ``'FE'``, ``'DL'``, ``'REML'`` or ``'PM'``.
    hksj : bool
        Whether Knapp–Hartung inference was used.
    k : int
        Number of studies.
    df_inference : float or None
        Degrees of freedom of the t reference distribution (``k - p`` with HKSJ), else None.
    confidence_level : float
        Level of the intervals.
    x_columns : tuple of str
        Names of the moderators (without the intercept).
    fitted, residuals : pandas.Series
        :math:`X\hat\beta` and :math:`y - X\hat\beta`.
    details : FrozenMapping
        Extras: ``typical_variance``, ``iterations`` (REML), ``hksj_scale``,
        ``tau2_intercept_only``.
    """

    coefficients: pd.DataFrame
    cov: pd.DataFrame
    tau2: Estimate
    i2: Estimate
    h2: Estimate
    r_squared: float | None
    qm_test: TestResult
    qe_test: TestResult
    method: str
    hksj: bool
    k: int
    df_inference: float | None
    confidence_level: float
    x_columns: tuple[str, ...]
    fitted: pd.Series
    residuals: pd.Series
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    @property
    def params(self) -> pd.Series:
        """The coefficient estimates as a Series indexed by term."""
        return self.coefficients["estimate"].copy()

    def to_frame(self) -> pd.DataFrame:
        """Return the coefficient table (a copy), indexed by term."""
        return self.coefficients.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the fit statistics and the coefficient table as plain Python values."""
        return {
            "method": self.method,
            "hksj": self.hksj,
            "k": self.k,
            "confidence_level": self.confidence_level,
            "tau2": self.tau2.estimate,
            "tau2_ci_low": self.tau2.confidence_interval.low,
            "tau2_ci_high": self.tau2.confidence_interval.high,
            "i2": self.i2.estimate,
            "h2": self.h2.estimate,
            "r_squared": self.r_squared,
            "qm": self.qm_test.statistic,
            "qm_pvalue": self.qm_test.pvalue,
            "qe": self.qe_test.statistic,
            "qe_pvalue": self.qe_test.pvalue,
            "coefficients": {
                str(t): {c: float(row[c]) for c in _COLUMNS}
                for t, row in self.coefficients.iterrows()
            },
        }

    def _lines(self) -> list[str]:
        qm, qe = self.qm_test, self.qe_test
        df = qm.df
        qm_df = f"{_fmt(df[0])}, {_fmt(df[1])}" if isinstance(df, tuple) else _fmt(df)
        r2 = "" if self.r_squared is None else f", R² = {self.r_squared:.2f}%"
        hk = ", HKSJ" if self.hksj else ""
        return [
            f"MetaRegressionResult: {self.method}{hk}, k = {self.k}, "
            f"moderators: {', '.join(self.x_columns)}",
            f"  residual tau² = {_fmt(self.tau2.estimate)}, I² = {self.i2.estimate:.2f}%{r2}",
            f"  QM({qm_df}) = {_fmt(qm.statistic)}, p = {_fmt_pvalue(qm.pvalue)}; "
            f"QE({_fmt(qe.df)}) = {_fmt(qe.statistic)}, p = {_fmt_pvalue(qe.pvalue)}",
        ]

    def __repr__(self) -> str:
        table = self.coefficients.to_string(float_format=lambda v: f"{v:.4g}")
        return "\n".join([*self._lines(), table])

    def _repr_html_(self) -> str:
        head, *rest = self._lines()
        body = "<br>".join(line.strip() for line in rest)
        table = self.coefficients.to_html(float_format="{:.4g}".format)
        return f"<p><b>{head}</b><br>{body}</p>\n{table}"


def _design(moderators: Any, k: int) -> tuple[np.ndarray, list[str]]:
    if isinstance(moderators, (str, bytes)) or moderators is None:
        raise TypeError(f"`moderators` must be array-like of numbers; got {moderators!r}")
    names = column_names(moderators, "x")
    M = check_array(moderators, "moderators", ndim=2, suggest_omit=False)
    if M.shape[0] != k:
        raise ValueError(
            f"`moderators` must have one row per study; got {M.shape[0]} rows for {k} studies"
        )
    if len(names) != M.shape[1]:
        names = [f"x{i + 1}" for i in range(M.shape[1])]
    if len(set(names)) != len(names) or "Intercept" in names:
        raise ValueError(
            f"`moderators` needs distinct column names other than 'Intercept'; got {names}"
        )
    for j, name in enumerate(names):
        if np.ptp(M[:, j]) == 0:
            raise ValueError(
                f"`moderators` column {name!r} is constant; it is collinear with the intercept"
            )
    X = np.column_stack([np.ones(k), M])
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError("`moderators` columns are collinear (with each other or the intercept)")
    if k <= X.shape[1]:
        raise ValueError(
            f"meta_regression needs more studies than coefficients; got {k} studies and "
            f"{X.shape[1]} coefficients"
        )
    return X, names


def meta_regression(
    effects: Any,
    variances: Any,
    moderators: Any,
    *,
    method: Literal["FE", "DL", "REML", "PM"] = "REML",
    hksj: bool = False,
    confidence_level: float = 0.95,
) -> MetaRegressionResult:
    r"""Meta-regression of study effects on study-level moderators (mixed-effects model).

    Parameters
    ----------
    effects : array_like
        Per-study effects :math:`y_i`.
    variances : array_like
        Their sampling variances :math:`v_i` (positive).
    moderators : array_like or pandas.DataFrame
        One row per study, one column per moderator (a Series or 1-D array for one); column
        names name the coefficients. An intercept is always added.
    method : {'REML', 'DL', 'PM', 'FE'}
        Estimator of the residual :math:`\tau^2` (``'FE'``: :math:`\tau^2 = 0`).
    hksj : bool
        Knapp–Hartung inference: covariance multiplied by
        :math:`\sum w_i (y_i - x_i'\hat\beta)^2/(k-p)`, t and F tests on :math:`k - p` df.
    confidence_level : float
        Level of the coefficient and :math:`\tau^2` intervals.

    Returns
    -------
    MetaRegressionResult
        ``coefficients`` (estimate, std_error, statistic, pvalue, ci_low, ci_high), ``tau2``,
        ``i2``, ``h2``, ``r_squared``, ``qm_test``, ``qe_test``.

    Raises
    ------
    TypeError
        If an input is not numeric or an option has the wrong type.
    ValueError
        If the lengths differ, values are NaN or inf, a variance is not positive, a moderator
        is constant or the moderators are collinear, or there are no more studies than
        coefficients.

    Notes
    -----
    The model is :math:`y_i = x_i'\beta + u_i + e_i`, :math:`u_i \sim N(0, \tau^2)`,
    :math:`e_i \sim N(0, v_i)`. With :math:`W = \operatorname{diag}(1/(v_i + \hat\tau^2))`,
    :math:`\hat\beta = (X'WX)^{-1}X'Wy` with covariance :math:`(X'WX)^{-1}` (times the
    Knapp–Hartung factor with ``hksj``). :math:`Q_M = \hat\beta_s'V_s^{-1}\hat\beta_s` for
    the m moderator coefficients (chi-square on m df; :math:`Q_M/m \sim F(m, k-p)` with
    HKSJ). :math:`Q_E = \sum (y_i - x_i'\hat\beta_{FE})^2/v_i` on :math:`k - p` df. The
    pseudo-:math:`R^2 = 100\max(0, (\hat\tau^2_0 - \hat\tau^2)/\hat\tau^2_0)` compares with
    the intercept-only model fitted by the same method (Raudenbush 2009); for ``'FE'`` it is
    the adjusted weighted :math:`R^2`, as metafor. The :math:`\tau^2` interval is the
    Q-profile interval with the residual generalised Q on :math:`k - p` df (Viechtbauer
    2007); residual :math:`I^2` and :math:`H^2` use the typical variance
    :math:`(k-p)/\operatorname{tr}P`.

    References
    ----------
    .. [1] Raudenbush, S. W. (2009). Analyzing effect sizes: Random-effects models. In H.
       Cooper, L. V. Hedges, J. C. Valentine (Eds.), The Handbook of Research Synthesis and
       Meta-Analysis (2nd ed., pp. 295–315). Russell Sage Foundation.
    .. [2] Knapp, G., Hartung, J. (2003). Improved tests for a random effects meta-regression
       with a single covariate. Statistics in Medicine 22, 2693–2710.
    .. [3] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
       Journal of Statistical Software 36(3), 1–48.

    Examples
    --------
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import effect_sizes_2x2, meta_regression
    >>> bcg = load_bcg()
    >>> es = effect_sizes_2x2(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                       bcg["control_cases"], bcg["control_total"], measure="RR")
    >>> fit = meta_regression(es["effect"], es["variance"], bcg["latitude"])
    >>> fit.coefficients["estimate"].round(4).tolist()  # metafor: 0.2515, -0.0291
    [0.2515, -0.0291]
    >>> round(fit.tau2.estimate, 4), round(fit.r_squared, 2)  # metafor: 0.0764, 75.62%
    (0.0764, 75.62)
    """
    method = check_choice(method, "method", core.METHODS)  # type: ignore[assignment]
    hksj = check_bool(hksj, "hksj")
    level = check_confidence_level(confidence_level)
    y, v = core.check_effects(effects, variances, min_size=3)
    if hksj and method == "FE":
        warnings.warn(
            "the Knapp-Hartung (HKSJ) adjustment is meant for mixed-effects models",
            UserWarning,
            stacklevel=2,
        )
    k = len(y)
    X, names = _design(moderators, k)
    p = X.shape[1]
    tau2, tau2_se, extras = core.estimate_tau2(y, v, X, method)
    w = 1.0 / (v + tau2)
    fit = core.wls(y, w, X)
    cov = fit.cov
    df: float | None = None
    details: dict[str, Any] = dict(extras)
    if hksj:
        scale = fit.rss / (k - p)
        scale = 0.0 if scale <= np.finfo(float).eps else scale
        cov = cov * scale
        df = float(k - p)
        details["hksj_scale"] = scale
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = fit.beta / se
    if df is None:
        crit = float(special.ndtri(0.5 + level / 2))
        pval = 2 * special.ndtr(-np.abs(stat))
    else:
        crit = float(special.stdtrit(df, 0.5 + level / 2))
        pval = 2 * special.stdtr(df, -np.abs(stat))
    terms = ["Intercept", *names]
    table = pd.DataFrame(
        {
            "estimate": fit.beta,
            "std_error": se,
            "statistic": stat,
            "pvalue": pval,
            "ci_low": fit.beta - crit * se,
            "ci_high": fit.beta + crit * se,
        },
        index=pd.Index(terms, name="term"),
    )
    # omnibus test of the moderators
    m = p - 1
    bs = fit.beta[1:]
    qm = float(bs @ np.linalg.solve(cov[1:, 1:], bs))
    if df is None:
        qm_test = TestResult(
            statistic=qm,
            pvalue=float(special.chdtrc(m, qm)),
            df=float(m),
            method="Omnibus test of moderators (QM, chi-square)",
        )
    else:
        qm_test = TestResult(
            statistic=qm / m,
            pvalue=float(special.fdtrc(m, df, qm / m)),
            df=(float(m), df),
            method="Omnibus test of moderators (F, Knapp-Hartung)",
        )
    # residual heterogeneity
    qe = core.wls(y, 1.0 / v, X).rss
    qe_test = TestResult(
        statistic=qe,
        pvalue=float(special.chdtrc(k - p, qe)),
        df=float(k - p),
        method="Test for residual heterogeneity (QE)",
    )
    vt = core.typical_variance(v, X)
    low, high = core.q_profile(y, v, X, level)
    if method == "FE":
        i2, h2 = core.q_based_share(qe, k - p)
        t2_method = "fixed at 0 (fixed-effects model); Q-profile CI"
        wf = 1.0 / v
        ybar = np.sum(wf * y) / np.sum(wf)
        r2w = 1.0 - qe / float(np.sum(wf * (y - ybar) ** 2))
        r2 = max(0.0, 100.0 * (1.0 - (1.0 - r2w) * (k - 1) / (k - p)))
    else:
        i2, h2 = core.heterogeneity_share(tau2, vt)
        t2_method = f"{method} estimate of the residual tau²; Q-profile CI"
        tau2_0, _, _ = core.estimate_tau2(y, v, np.ones((k, 1)), method)
        details["tau2_intercept_only"] = tau2_0
        r2 = 0.0 if tau2_0 == 0 else max(0.0, 100.0 * (tau2_0 - tau2) / tau2_0)
    details["typical_variance"] = vt
    tau2_est = Estimate(tau2, tau2_se, ConfidenceInterval(low, high), level, t2_method, k)
    i2_est = Estimate(
        i2,
        None,
        ConfidenceInterval(100 * low / (vt + low), 100 * high / (vt + high)),
        level,
        "residual I² (%), CI from the tau² CI",
        k,
    )
    h2_est = Estimate(
        h2,
        None,
        ConfidenceInterval(1 + low / vt, 1 + high / vt),
        level,
        "residual H², CI from the tau² CI",
        k,
    )
    index = effects.index.copy() if isinstance(effects, pd.Series) else pd.RangeIndex(k)
    return MetaRegressionResult(
        coefficients=table,
        cov=pd.DataFrame(cov, index=terms, columns=terms),
        tau2=tau2_est,
        i2=i2_est,
        h2=h2_est,
        r_squared=r2,
        qm_test=qm_test,
        qe_test=qe_test,
        method=method,
        hksj=hksj,
        k=k,
        df_inference=df,
        confidence_level=level,
        x_columns=tuple(names),
        fitted=pd.Series(X @ fit.beta, index=index, name="fitted"),
        residuals=pd.Series(fit.resid, index=index, name="residual"),
        details=FrozenMapping(details),
    )


def egger_test(effects: Any, variances: Any, *, confidence_level: float = 0.95) -> TestResult:
    r"""Egger's regression test for funnel-plot asymmetry (small-study effects).

    Parameters
    ----------
    effects : array_like
        Per-study effects :math:`y_i` (at least 3).
    variances : array_like
        Their sampling variances :math:`v_i` (positive).
    confidence_level : float
        Level of the intervals of the asymmetry coefficient and the limit estimate.

    Returns
    -------
    TestResult
        ``statistic`` t on ``df = k - 2``, two-sided ``pvalue``; ``estimate`` the asymmetry
        coefficient (Egger's intercept, the slope on the standard error) with its t interval;
        ``details['limit_estimate']`` (an Estimate: the effect as the standard error goes to
        0, metafor's "limit estimate") and ``details['dispersion']`` (the residual variance
        factor of the weighted regression).

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If there are fewer than 3 studies, the lengths differ, values are NaN or inf, a
        variance is not positive, or all standard errors are equal (no asymmetry can be
        measured).

    Notes
    -----
    The weighted regression :math:`y_i = b + \beta\,\sqrt{v_i} + \varepsilon_i` with weights
    :math:`1/v_i` and a multiplicative dispersion parameter (metafor's
    ``regtest(model="lm")``) is Egger et al.'s (1997) regression of the standard normal
    deviate :math:`y_i/\sqrt{v_i}` on the precision :math:`1/\sqrt{v_i}`: its intercept is
    :math:`\beta`, its slope :math:`b`. :math:`H_0: \beta = 0` is tested with
    :math:`t = \hat\beta/\operatorname{SE}(\hat\beta)` on :math:`k - 2` df. The test has low
    power with few studies (fewer than about 10 is not recommended) and asymmetry has causes
    other than publication bias (Sterne et al. 2011).

    References
    ----------
    .. [1] Egger, M., Davey Smith, G., Schneider, M., Minder, C. (1997). Bias in
       meta-analysis detected by a simple, graphical test. BMJ 315, 629–634.
    .. [2] Sterne, J. A. C., Egger, M. (2005). Regression methods to detect publication and
       other bias in meta-analysis. In Rothstein, Sutton, Borenstein (Eds.), Publication Bias
       in Meta-Analysis, 99–110. Wiley.
    .. [3] Sterne, J. A. C. et al. (2011). Recommendations for examining and interpreting
       funnel plot asymmetry in meta-analyses of randomised controlled trials. BMJ 343, d4002.

    Examples
    --------
    >>> from statcraft.health import egger_test
    >>> y = [-0.83, -1.06, -1.28, -0.04, 0.22, -2.41, -1.28, -1.19]
    >>> v = [1.30, 0.19, 0.66, 2.02, 0.22, 1.14, 1.43, 1.98]
    >>> res = egger_test(y, v)
    >>> res.df
    6.0
    """
    level = check_confidence_level(confidence_level)
    y, v = core.check_effects(effects, variances, min_size=3)
    sei = np.sqrt(v)
    if np.ptp(sei) <= 1e-12 * float(np.max(sei)):
        raise ValueError(
            "`variances` are all equal: Egger's test needs studies of different precision"
        )
    k = len(y)
    X = np.column_stack([np.ones(k), sei])
    fit = core.wls(y, 1.0 / v, X)
    sigma2 = fit.rss / (k - 2)
    cov = fit.cov * sigma2
    se = np.sqrt(np.diag(cov))
    df = float(k - 2)
    crit = float(special.stdtrit(df, 0.5 + level / 2))
    bias, limit = float(fit.beta[1]), float(fit.beta[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.divide(bias, se[1]))
    pvalue = float(2 * special.stdtr(df, -abs(t))) if math.isfinite(t) else math.nan
    asym = Estimate(
        bias,
        float(se[1]),
        ConfidenceInterval(bias - crit * se[1], bias + crit * se[1]),
        level,
        "funnel asymmetry coefficient (Egger's intercept)",
        k,
    )
    limit_est = Estimate(
        limit,
        float(se[0]),
        ConfidenceInterval(limit - crit * se[0], limit + crit * se[0]),
        level,
        "limit estimate (effect as the standard error goes to 0)",
        k,
    )
    return TestResult(
        statistic=t,
        pvalue=pvalue,
        df=df,
        alternative="two-sided",
        method="Egger's regression test for funnel plot asymmetry",
        estimate=asym,
        details=FrozenMapping({"limit_estimate": limit_est, "dispersion": sigma2}),
    )
