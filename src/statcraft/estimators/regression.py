"""Linear regression: OLS with robust, HAC and cluster covariances; robust M-regression.

:func:`ols` fits ordinary least squares by a thin QR decomposition and reports the coefficient
table with classical, heteroskedasticity-consistent (HC0–HC4), Newey–West (HAC) or
cluster-robust (CR1) standard errors. :func:`robust_regression` fits a Huber or bisquare
M-estimator by iteratively reweighted least squares, as R's ``MASS::rlm``. Both return a
:class:`RegressionResult`: a coefficient table indexed by term, the covariance matrix, fit
statistics, ``predict`` and ``wald_test`` for linear hypotheses ``R b = q``.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._formula import (
    FormulaDesign,
    build_formula_design,
    formula_groups,
    is_formula_call,
)
from statcraft._validation import (
    check_bool,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_int,
    check_positive,
)
from statcraft.estimators._covariance import (
    COV_TYPES,
    HC_TYPES,
    check_full_rank,
    cluster_cov,
    encode_groups,
    hac_cov,
    hac_lags,
    hc_cov,
    least_squares,
    prepare_design,
)
from statcraft.estimators._regression_result import (
    RegressionResult,
    build_result,
    check_perfect_fit,
)

__all__ = ["RegressionResult", "ols", "robust_regression"]


def check_formula_intercept(fd: FormulaDesign, add_intercept: Any) -> None:
    """With a formula, the formula decides the intercept; ``add_intercept=False`` must agree."""
    if check_bool(add_intercept, "add_intercept") is False and "Intercept" in fd.X.columns:
        raise ValueError(
            f"add_intercept=False, but the formula {fd.formula!r} has an intercept: with a "
            "formula write '- 1' (or '0 +') in it to fit without one"
        )


CovType = Literal["nonrobust", "HC0", "HC1", "HC2", "HC3", "HC4", "HAC", "cluster"]


def ols(
    X: Any,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    cov_type: CovType = "nonrobust",
    maxlags: int | None = None,
    groups: Any = None,
    add_intercept: bool = True,
    confidence_level: float = 0.95,
    use_t: bool = True,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> RegressionResult:
    """Ordinary least squares with classical, robust, HAC or cluster-robust standard errors.

    Parameters
    ----------
    X : array_like, pandas.DataFrame, pandas.Series or str
        Regressors, one row per observation. DataFrame column names (a Series name) become
        the term names; array columns are named ``x1, x2, ...``. Columns must be numeric
        (encode categories as dummies first, or use a formula). Features come before the
        outcome, as in the model protocol ``fit(X, y)``. Or a formula such as
        ``"y ~ x1 + C(group) + x1:x2"`` naming columns of ``data`` (see Notes).
    y : array_like or pandas.Series, optional
        Response, one value per observation; omitted with a formula (its left-hand side).
    data : pandas.DataFrame, optional
        The data a formula ``X`` refers to; only used with a formula.
    cov_type : {'nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'HC4', 'HAC', 'cluster'}
        Covariance of the estimates (see Notes).
    maxlags : int, optional
        Bartlett truncation lag ``L`` of ``cov_type='HAC'``; default
        ``floor(4 (n/100)^(2/9))``. Only allowed with ``'HAC'``.
    groups : array_like or str, optional
        Cluster label of each observation (numbers or strings), required by and only allowed
        with ``cov_type='cluster'``. With a formula, a column name of ``data`` or an array
        with one entry per row of ``data``.
    add_intercept : bool
        Add a constant column named ``"Intercept"`` in front of ``X``. With a formula the
        formula decides (``"y ~ x - 1"`` has no intercept); False with a formula that has an
        intercept is an error.
    confidence_level : float
        Level of the coefficient intervals.
    use_t : bool
        Use t quantiles and p-values (with ``df_resid``, or ``G - 1`` for ``'cluster'``); with
        False, standard normal ones (as ``lmtest::coeftest(..., df = Inf)``).
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops every row where ``y`` or any column of ``X`` is NaN (with a formula:
        any variable the formula uses).

    Returns
    -------
    RegressionResult
        Coefficient table, covariance, R², residual standard error, the overall test
        ``f_test``, ``predict``, ``wald_test``, ``influence`` and ``plot`` (the diagnostic
        plots).

    Raises
    ------
    TypeError
        If ``y`` or ``X`` is not numeric (non-numeric DataFrame columns are named), or a
        formula uses a text column as a number (see Notes).
    ImportError
        If a formula is given and formulaic is not installed.
    ValueError
        On a formula without ``data``, ``data`` without a formula, a formula term that is not
        a column of ``data`` (named), length mismatch, NaN (with ``nan_policy='raise'``) or
        inf, no more observations than coefficients, collinear columns (named), a constant
        ``y`` or an otherwise exact fit, an unknown ``cov_type``, ``groups`` missing or of the
        wrong length, a negative ``maxlags``, or ``maxlags``/``groups`` given for a covariance
        that does not use them.

    Notes
    -----
    The fit is ``b = R^{-1} Q' y`` from the thin QR decomposition ``X = QR``, never the normal
    equations. Rank is checked first on the column-scaled ``X`` (singular values below
    ``10 k ε s_max``); the columns spanning the null space are named in the error.

    With residuals ``e``, leverages ``h_i`` and ``B = (X'X)^{-1}`` the covariances are:

    - ``'nonrobust'``: ``s² B`` with ``s² = e'e / (n - k)``;
    - ``'HC0'``–``'HC4'``: ``B X' diag(ω) X B`` with ``ω_i = e_i²`` (HC0, White),
      ``e_i² n/(n-k)`` (HC1), ``e_i²/(1-h_i)`` (HC2), ``e_i²/(1-h_i)²`` (HC3, the
      recommended default of ``sandwich::vcovHC``) and ``e_i²/(1-h_i)^δ_i``,
      ``δ_i = min(4, n h_i/k)`` (HC4, Cribari-Neto 2004) — as ``sandwich::vcovHC``;
    - ``'HAC'``: Newey–West, ``B (Γ_0 + Σ_{l=1}^{L} (1 - l/(L+1)) (Γ_l + Γ_l')) B`` with
      ``Γ_l = Σ_t x_t e_t e_{t-l} x_{t-l}'``, rows taken in the order given (sort time
      series first; rows dropped by ``nan_policy='omit'`` are skipped, not treated as
      gaps). No prewhitening and no ``n/(n-k)`` rescaling: this equals
      ``sandwich::NeweyWest(fit, lag = L, prewhite = FALSE)`` (whose ``adjust`` default is
      FALSE) and statsmodels' ``cov_type='HAC'`` (``use_correction=False``). The default lag
      is the Newey–West (1994) rule of thumb ``floor(4 (n/100)^(2/9))`` (sandwich's
      ``vcovPL(lag = "NW1994")``); statsmodels has no default and Stock–Watson's
      ``0.75 n^(1/3)`` is another common choice, so pass ``maxlags`` to match them;
    - ``'cluster'``: ``c B (Σ_g u_g u_g') B`` with ``u_g = Σ_{i∈g} x_i e_i`` and the CR1
      factor ``c = G/(G-1) · (n-1)/(n-k)`` of Stata and ``sandwich::vcovCL(type = "HC1")``.

    Inference uses t with ``df_resid = n - k`` degrees of freedom for ``'nonrobust'``, HC and
    HAC — what ``lmtest::coeftest`` does with any ``vcov`` of an ``lm`` fit — and t with
    ``G - 1`` for ``'cluster'`` (Stata; statsmodels with ``use_t=True``); statsmodels' robust
    fits default to normal inference, available here with ``use_t=False``.

    R² is ``1 - RSS/TSS`` with TSS centred when the column space contains a constant (the
    added intercept or a constant column of ``X``) and uncentred otherwise, as R's
    ``summary.lm`` (which only knows the formula's intercept). ``f_test`` is R's F statistic
    for ``'nonrobust'`` and the Wald test of all non-constant coefficients with the chosen
    covariance otherwise (as ``car::linearHypothesis`` / statsmodels ``f_test``).

    A constant ``y`` with a constant term, or any exact fit, raises: the residual variance is
    zero and every standard error would be 0 or NaN (R only warns "essentially perfect fit").

    **Formulas.** ``ols("y ~ x1 + C(group) + x1:x2", data=df)`` builds the response and the
    design matrix with formulaic (the formula library of statsmodels and linearmodels; Wilkinson
    notation as in R and patsy) and fits exactly as ``ols(design, response,
    add_intercept=False)`` on that matrix: same table, same numbers, terms named
    ``"Intercept"``, ``"x1"``, ``"C(group)[T.b]"`` (treatment contrasts against the first
    level), ``"x1:x2"``. A formula names columns of ``data`` and may use NumPy as ``np``
    (``np.log(x)``) and formulaic's transforms (``C``, ``I``, ``center``, ``scale``, ``poly``,
    ...); variables of the calling session are not visible, so a misspelt column is an error
    rather than a silent pick-up. A text column must be wrapped in ``C(...)`` to be used as a
    categorical variable (pandas ``category`` columns are categorical as they are); a bare text
    column, or text in arithmetic, is a TypeError — statsmodels would turn numbers stored as
    text into one dummy per distinct value. ``data`` is not modified. The result's
    ``formula`` and ``formula_spec`` record the formula, and ``predict`` takes new rows as a
    DataFrame of the original columns.

    References
    ----------
    White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a direct
    test for heteroskedasticity. Econometrica 48, 817–838.
    MacKinnon, J. G., White, H. (1985). Some heteroskedasticity-consistent covariance matrix
    estimators with improved finite sample properties. J. Econometrics 29, 305–325.
    Cribari-Neto, F. (2004). Asymptotic inference under heteroskedasticity of unknown form.
    Comput. Stat. Data Anal. 45, 215–233.
    Newey, W. K., West, K. D. (1987, 1994). Econometrica 55, 703–708; Rev. Econ. Stud. 61,
    631–653.
    Cameron, A. C., Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    J. Human Resources 50, 317–372.
    Zeileis, A. (2004). Econometric computing with HC and HAC covariance matrix estimators.
    J. Stat. Softw. 11(10).

    Examples
    --------
    >>> import statcraft as sc
    >>> speed = [4, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    >>> dist = [6, 10, 16, 10, 18, 17, 24, 34, 26, 40]
    >>> res = sc.ols(speed, dist)
    >>> res.terms
    ('Intercept', 'x1')
    >>> round(float(res.coefficients.loc["x1", "estimate"]), 4)
    2.9078
    >>> round(res.r_squared, 4)
    0.8204
    >>> hc3 = sc.ols(speed, dist, cov_type="HC3")
    >>> round(float(hc3.coefficients.loc["x1", "std_error"]), 4)
    0.7147
    >>> round(float(res.predict([16])[0]), 3)
    36.674
    >>> round(res.wald_test("x1").pvalue, 6)
    0.000308

    The same fit from a DataFrame with a formula:

    >>> import pandas as pd
    >>> cars = pd.DataFrame({"speed": speed, "dist": dist})
    >>> fit = sc.ols("dist ~ speed", data=cars)
    >>> fit.terms
    ('Intercept', 'speed')
    >>> round(float(fit.coefficients.loc["speed", "estimate"]), 4)
    2.9078
    >>> round(float(fit.predict(pd.DataFrame({"speed": [16]})).iloc[0]), 3)
    36.674
    """
    if is_formula_call(X, data):
        fd = build_formula_design(X, y, data, nan_policy=nan_policy, caller="ols")
        check_formula_intercept(fd, add_intercept)
        fitted = ols(
            fd.X,
            fd.y,
            cov_type=cov_type,
            maxlags=maxlags,
            groups=None if data is None else formula_groups(groups, data, fd.rows),
            add_intercept=False,
            confidence_level=confidence_level,
            use_t=use_t,
        )
        return dataclasses.replace(fitted, formula=fd.formula, formula_spec=fd.spec)
    cov_type = check_choice(cov_type, "cov_type", COV_TYPES)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    use_t = check_bool(use_t, "use_t")
    if maxlags is not None:
        if cov_type != "HAC":
            raise ValueError(
                f"`maxlags` is only used with cov_type='HAC'; got cov_type={cov_type!r}"
            )
        maxlags = check_int(maxlags, "maxlags", min_value=0)
    extra: dict[str, Any] = {}
    if cov_type == "cluster":
        if groups is None:
            raise ValueError("cov_type='cluster' needs `groups`, the cluster of each observation")
        g = groups.to_numpy() if isinstance(groups, (pd.Series, pd.Index)) else np.asarray(groups)
        if g.ndim != 1:
            raise ValueError(f"`groups` must be one-dimensional; got shape {g.shape}")
        extra["groups"] = g
    elif groups is not None:
        raise ValueError(
            f"`groups` is only used with cov_type='cluster'; got cov_type={cov_type!r}"
        )
    design, extra = prepare_design(
        y, X, add_intercept=add_intercept, nan_policy=nan_policy, extra=extra
    )
    check_full_rank(design.X, design.terms)
    fit = least_squares(design.X, design.y)
    n, k = design.X.shape
    rss = float(fit.residuals @ fit.residuals)
    check_perfect_fit(design, rss)
    df_resid = n - k
    sigma2 = rss / df_resid
    details: dict[str, Any] = {}
    df_inference: float | None = float(df_resid)
    if cov_type == "nonrobust":
        cov = sigma2 * fit.xtx_inv
        label = "classical covariance"
    elif cov_type in HC_TYPES:
        cov = hc_cov(fit, cov_type, design.index)
        label = f"{cov_type} heteroskedasticity-consistent covariance"
    elif cov_type == "HAC":
        lags = hac_lags(maxlags, n)
        cov = hac_cov(fit, lags)
        details["maxlags"] = lags
        label = f"Newey–West HAC covariance (Bartlett kernel, {lags} lag{'s' if lags != 1 else ''})"
    else:
        codes, n_groups = encode_groups(extra["groups"])
        cov = cluster_cov(fit, codes, n_groups)
        details["n_groups"] = n_groups
        df_inference = float(n_groups - 1)
        label = f"cluster-robust CR1 covariance ({n_groups} clusters)"
    if not use_t:
        df_inference = None
    details["use_t"] = bool(use_t)
    y = design.y
    tss = float(np.sum((y - y.mean()) ** 2)) if design.has_constant else float(y @ y)
    r2 = 1 - rss / tss
    adj = 1 - (1 - r2) * (n - int(design.has_constant)) / df_resid
    overall = (
        "F test of the regression (all non-constant coefficients zero)"
        if cov_type == "nonrobust"
        else f"Wald test that all non-constant coefficients are zero ({cov_type} covariance)"
    )
    return build_result(
        design,
        fit.coef,
        cov,
        cov_type=cov_type,
        method=f"ordinary least squares, {label}",
        confidence_level=confidence_level,
        df_inference=df_inference,
        residual_std_error=math.sqrt(sigma2),
        r_squared=(r2, adj),
        overall_name=overall,
        details=details,
        leverage=fit.leverage,
    )


def _huber_weights(u: np.ndarray, k: float) -> np.ndarray:
    au = np.abs(u)
    return np.where(au <= k, 1.0, k / np.maximum(au, k))


def _huber_deriv(u: np.ndarray, k: float) -> np.ndarray:
    return (np.abs(u) <= k).astype(float)


def _bisquare_weights(u: np.ndarray, c: float) -> np.ndarray:
    t = (u / c) ** 2
    return np.where(t < 1, (1 - t) ** 2, 0.0)


def _bisquare_deriv(u: np.ndarray, c: float) -> np.ndarray:
    t = (u / c) ** 2
    return np.where(t < 1, (1 - t) * (1 - 5 * t), 0.0)


def robust_regression(
    X: Any,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    psi: Literal["huber", "bisquare"] = "huber",
    k: float | None = None,
    scale: Literal["mad"] = "mad",
    max_iter: int = 100,
    tol: float = 1e-10,
    add_intercept: bool = True,
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> RegressionResult:
    """Robust linear regression by M-estimation (Huber or Tukey bisquare), as ``MASS::rlm``.

    Parameters
    ----------
    X, y : array_like, pandas.DataFrame or pandas.Series
        Regressors and response, as in :func:`ols`; or a formula ``X`` such as
        ``"y ~ x1 + C(group)"`` with ``data`` and no ``y``.
    data : pandas.DataFrame, optional
        The data a formula refers to, as in :func:`ols`.
    psi : {'huber', 'bisquare'}
        The ψ function: Huber's ``ψ(u) = max(-k, min(k, u))`` (convex: a unique solution) or
        Tukey's bisquare ``ψ(u) = u (1 - (u/k)²)²`` for ``|u| < k`` and 0 beyond (redescending:
        gross outliers get weight 0; the solution found is the one nearest the OLS start).
    k : float, optional
        Tuning constant; default 1.345 (Huber) or 4.685 (bisquare), both 95% efficient at the
        normal model.
    scale : {'mad'}
        Robust scale re-estimated at every iteration as ``median(|e|)/0.6745`` (MASS's
        ``scale.est = "MAD"``; residuals are not re-centred).
    max_iter : int
        Maximum number of IRLS iterations.
    tol : float
        Convergence tolerance on the relative change of the residuals,
        ``||e_old - e_new|| / ||e_old||`` (MASS's ``test.vec = "resid"``; MASS uses
        ``acc = 1e-4`` and ``maxit = 20``, which stops earlier than this default).
    add_intercept : bool
        Add a constant column named ``"Intercept"``; with a formula the formula decides, as
        in :func:`ols`.
    confidence_level : float
        Level of the coefficient intervals.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops every row where ``y`` or any column of ``X`` (or any variable of the
        formula) is NaN.

    Returns
    -------
    RegressionResult
        With ``cov_type='M-estimation'``, ``weights`` (the final IRLS weights ``ψ(u)/u``),
        ``residual_std_error`` the final robust scale, ``r_squared`` None, and ``details``
        with ``psi``, ``k``, ``scale``, ``iterations`` and ``converged``.

    Raises
    ------
    TypeError, ImportError
        As :func:`ols` (non-numeric input, text used as a number in a formula, formulaic
        missing).
    ValueError
        As :func:`ols` (including the formula errors), for a non-positive ``k`` or ``tol``, or
        when the MAD of the residuals is zero (half the observations fitted exactly).

    Warns
    -----
    RuntimeWarning
        When IRLS has not converged in ``max_iter`` iterations (``details["converged"]`` is
        False).

    Notes
    -----
    IRLS (MASS ``rlm.default``, ``method = "M"``, ``init = "ls"``): start from OLS; at each
    iteration set ``s = median(|e|)/0.6745``, weights ``w_i = ψ(e_i/s)/(e_i/s)``, refit by
    weighted least squares, and stop when the residuals change by less than ``tol``.

    Standard errors are those of ``MASS::summary.rlm`` (``method = "XtX"``), Huber's (1981)
    correction: with ``u = e/s``, ``S = Σ (s ψ(u_i))² / (n - p)``, ``m = mean ψ'(u)`` and
    ``κ = 1 + p var(ψ'(u)) / (n m²)`` (sample variance with ``n - 1``),
    ``cov = (S κ² / m²) (X'X)^{-1}``. statsmodels' ``RLM`` (``cov='H1'``) uses the same
    formula with the population variance in ``κ`` and the scale re-estimated after the last
    step, so its standard errors differ slightly (0.15% on the stack loss data).
    Intervals and p-values use the standard normal distribution (the asymptotic theory of
    M-estimators, as statsmodels; MASS prints t values without p-values); ``f_test`` is a
    chi-square Wald test.

    A formula is turned into the design matrix as in :func:`ols` and the fit equals the array
    call on that matrix.

    References
    ----------
    Huber, P. J. (1981). Robust Statistics. Wiley. Section 7.6.
    Venables, W. N., Ripley, B. D. (2002). Modern Applied Statistics with S, 4th ed.
    Springer. Section 6.5.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    >>> y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 40.0]
    >>> fit = sc.robust_regression(x, y)
    >>> round(float(fit.coefficients.loc["x1", "estimate"]), 2)
    2.02
    >>> bool(fit.weights.iloc[-1] < 0.1)
    True
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": x, "y": y})
    >>> round(float(sc.robust_regression("y ~ x", data=df).params["x"]), 2)
    2.02
    """
    if is_formula_call(X, data):
        fd = build_formula_design(X, y, data, nan_policy=nan_policy, caller="robust_regression")
        check_formula_intercept(fd, add_intercept)
        fitted = robust_regression(
            fd.X,
            fd.y,
            psi=psi,
            k=k,
            scale=scale,
            max_iter=max_iter,
            tol=tol,
            add_intercept=False,
            confidence_level=confidence_level,
        )
        return dataclasses.replace(fitted, formula=fd.formula, formula_spec=fd.spec)
    psi = check_choice(psi, "psi", ("huber", "bisquare"))  # type: ignore[assignment]
    check_choice(scale, "scale", ("mad",))
    confidence_level = check_confidence_level(confidence_level)
    kk = (1.345 if psi == "huber" else 4.685) if k is None else check_finite_scalar(k, "k")
    if kk <= 0:
        raise ValueError(f"`k` must be positive; got {kk}")
    max_iter = check_int(max_iter, "max_iter", min_value=1)
    tol = check_positive(tol, "tol")
    weight_fn, deriv_fn = (
        (_huber_weights, _huber_deriv) if psi == "huber" else (_bisquare_weights, _bisquare_deriv)
    )
    design, _ = prepare_design(y, X, add_intercept=add_intercept, nan_policy=nan_policy)
    Xd, yd = design.X, design.y
    check_full_rank(Xd, design.terms)
    fit = least_squares(Xd, yd)
    check_perfect_fit(design, float(fit.residuals @ fit.residuals))
    n, p = Xd.shape
    resid = fit.residuals
    coef = fit.coef
    s = float("nan")
    w = np.ones(n)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        s = float(np.median(np.abs(resid)) / 0.6745)
        if s <= 1e-10 * math.sqrt(float(resid @ resid) / n):  # zero up to rounding
            raise ValueError(
                "the MAD scale of the residuals is zero (at least half the observations are "
                "fitted exactly); the robust scale and the M-estimate are undefined"
            )
        w = weight_fn(resid / s, kk)
        sw = np.sqrt(w)
        check_full_rank(Xd * sw[:, None], design.terms)
        coef = least_squares(Xd * sw[:, None], yd * sw).coef
        new = yd - Xd @ coef
        delta = math.sqrt(float(np.sum((resid - new) ** 2)) / max(1e-20, float(resid @ resid)))
        resid = new
        if delta <= tol:
            converged = True
            break
    if not converged:
        warnings.warn(
            f"robust_regression did not converge in {max_iter} iterations (relative change "
            f"of the residuals {delta:.2e} > tol={tol:g}); increase `max_iter`",
            RuntimeWarning,
            stacklevel=2,
        )
    u = resid / s
    wu = weight_fn(u, kk)
    S = float(np.sum((resid * wu) ** 2)) / (n - p)
    dpsi = deriv_fn(u, kk)
    mn = float(dpsi.mean())
    if mn <= 0:
        raise ValueError("no residual lies where ψ' > 0; the robust standard errors are undefined")
    kappa = 1 + p * float(np.var(dpsi, ddof=1)) / (n * mn**2)
    stddev = math.sqrt(S) * kappa / mn
    cov = stddev**2 * fit.xtx_inv
    name = "Huber" if psi == "huber" else "Tukey bisquare"
    return build_result(
        design,
        coef,
        cov,
        cov_type="M-estimation",
        method=f"robust M-estimation ({name} ψ, k = {kk:g}, MAD scale), Huber-corrected covariance",
        confidence_level=confidence_level,
        df_inference=None,
        residual_std_error=s,
        r_squared=None,
        overall_name="Wald test that all non-constant coefficients are zero (M-estimation)",
        weights=w,
        details={
            "psi": psi,
            "k": kk,
            "scale": s,
            "iterations": iterations,
            "converged": converged,
            "tol": tol,
        },
        leverage=fit.leverage,
    )
