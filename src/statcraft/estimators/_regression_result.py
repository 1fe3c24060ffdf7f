"""The result type of :mod:`statcraft.estimators.regression` and the helpers that build it."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg, special

from statcraft._formula import formula_new_design
from statcraft._validation import check_array, check_choice, check_confidence_level, column_names
from statcraft.estimators._covariance import Design
from statcraft.results import (
    ConfidenceInterval,
    Estimate,
    FrozenMapping,
    TestResult,
    _fmt,
    _fmt_pvalue,
)

__all__ = ["RegressionResult"]
_COLUMNS = ["estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high"]


def _critical(confidence_level: float, df: float | None) -> float:
    p = 0.5 + confidence_level / 2
    return float(special.ndtri(p) if df is None else special.stdtrit(df, p))


@dataclass(frozen=True, slots=True, eq=False)
class RegressionResult:
    """A fitted linear regression (from :func:`ols` or :func:`robust_regression`).

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term (``"Intercept"`` first when added), columns ``estimate``,
        ``std_error``, ``statistic`` (t, or z for normal-based inference), ``pvalue``
        (two-sided), ``ci_low``, ``ci_high``.
    cov : pandas.DataFrame
        Covariance matrix of the estimates (term × term) of the chosen ``cov_type``.
    r_squared, adj_r_squared : float or None
        Coefficient of determination and its adjusted version (centred when the model has a
        constant, uncentred otherwise, as R's ``summary.lm``); None for robust regression.
    residual_std_error : float
        ``sqrt(RSS / df_resid)`` for OLS; the final robust scale for robust regression.
    df_resid, df_model : int
        Residual degrees of freedom ``n - k`` and the number of non-constant terms.
    nobs : int
        Observations used (after dropping NaN rows with ``nan_policy='omit'``).
    residuals, fitted : pandas.Series
        Indexed like the rows used (the index of ``y`` or ``X`` when they are pandas objects).
    cov_type : str
        ``'nonrobust'``, ``'HC0'`` ... ``'HC4'``, ``'HAC'``, ``'cluster'``, or ``'M-estimation'``.
    method : str
        The estimator and covariance, in words.
    confidence_level : float
        Level of ``ci_low``/``ci_high``.
    f_test : TestResult or None
        Test that every non-constant coefficient is zero: the classical F test for
        ``'nonrobust'``, else a Wald test with the chosen covariance (F with
        ``(df_model, df_inference)`` degrees of freedom, or chi-square when inference is
        normal). None when the model has no non-constant term.
    df_inference : float or None
        Degrees of freedom of the t reference distribution; None means standard normal.
    add_intercept : bool
        Whether ``"Intercept"`` was added (``predict`` adds it the same way).
    x_columns : tuple of str
        The names of the columns of ``X`` (without the intercept), as ``predict`` expects them.
    weights : pandas.Series or None
        Final IRLS weights ``ψ(u)/u`` of robust regression; None for OLS.
    details : FrozenMapping
        Extras: ``maxlags``, ``n_groups``, ``scale``, ``iterations``, ``converged``, ...
    leverage : pandas.Series or None
        Hat values ``h_i``, the diagonal of ``X (X'X)^{-1} X'`` of the design (indexed like
        ``residuals``); see :meth:`influence`.
    formula : str or None
        The formula of a fit called as ``ols("y ~ x1 + x2", data=df)``; None for arrays.
    formula_spec : formulaic.ModelSpecs or None
        formulaic's record of how the formula was turned into columns (categories, contrasts,
        transforms' state); ``predict`` uses it to build the design of new data.
    """

    coefficients: pd.DataFrame
    cov: pd.DataFrame
    r_squared: float | None
    adj_r_squared: float | None
    residual_std_error: float
    df_resid: int
    df_model: int
    nobs: int
    residuals: pd.Series
    fitted: pd.Series
    cov_type: str
    method: str
    confidence_level: float
    f_test: TestResult | None
    df_inference: float | None
    add_intercept: bool
    x_columns: tuple[str, ...]
    weights: pd.Series | None = None
    details: FrozenMapping = field(default_factory=FrozenMapping)
    leverage: pd.Series | None = None
    formula: str | None = None
    formula_spec: Any = None

    @property
    def terms(self) -> tuple[str, ...]:
        """The term names, in order."""
        return tuple(str(t) for t in self.coefficients.index)

    @property
    def params(self) -> pd.Series:
        """The coefficient estimates as a Series indexed by term."""
        return self.coefficients["estimate"].copy()

    def to_frame(self) -> pd.DataFrame:
        """Return the coefficient table (a copy), indexed by term."""
        return self.coefficients.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the fit statistics and the coefficient table as plain Python values."""
        f = self.f_test
        return {
            "method": self.method,
            "cov_type": self.cov_type,
            "nobs": self.nobs,
            "df_resid": self.df_resid,
            "df_model": self.df_model,
            "r_squared": self.r_squared,
            "adj_r_squared": self.adj_r_squared,
            "residual_std_error": self.residual_std_error,
            "confidence_level": self.confidence_level,
            "f_statistic": None if f is None else f.statistic,
            "f_pvalue": None if f is None else f.pvalue,
            "coefficients": {
                str(term): {c: float(row[c]) for c in _COLUMNS}
                for term, row in self.coefficients.iterrows()
            },
        }

    def _summary_lines(self) -> tuple[str, str, str | None]:
        head = f"RegressionResult: {self.method}"
        if self.formula is not None:
            head += f"\nformula: {self.formula}"
        fit = f"n = {self.nobs}, df_resid = {self.df_resid}"
        if self.r_squared is not None:
            fit += f", R² = {_fmt(self.r_squared)}, adj. R² = {_fmt(self.adj_r_squared)}"
        label = "residual SE" if self.weights is None else "robust scale"
        fit += f", {label} = {_fmt(self.residual_std_error)}"
        f = self.f_test
        test = None
        if f is not None:
            df = f.df
            df_txt = f"({_fmt(df[0])}, {_fmt(df[1])})" if isinstance(df, tuple) else _fmt(df)
            name = "F" if isinstance(df, tuple) else "chi2"
            p = _fmt_pvalue(f.pvalue)
            test = f"{f.method}: {name} = {_fmt(f.statistic)} on {df_txt} df, p-value = {p}"
        return head, fit, test

    def __repr__(self) -> str:
        head, fit, test = self._summary_lines()
        table = self.coefficients.to_string(float_format=lambda v: f"{v:.4g}")
        return "\n".join([head, fit, table] + ([test] if test else []))

    def _repr_html_(self) -> str:
        head, fit, test = self._summary_lines()
        head = html.escape(head).replace("\n", "<br>")
        parts = [
            f"<p><b>{head}</b><br>{fit}</p>",
            self.coefficients.to_html(float_format="{:.4g}".format),
        ]
        if test:
            parts.append(f"<p>{test}</p>")
        return "\n".join(parts)

    # ------------------------------------------------------------------ prediction
    def _new_design(self, X_new: Any) -> tuple[np.ndarray, pd.Index | None]:
        if self.formula_spec is not None:
            Xf, findex = formula_new_design(self.formula_spec, X_new, self.terms)
            return check_array(Xf, "X_new", ndim=2, suggest_omit=False), findex
        p = len(self.x_columns)
        index = None
        if isinstance(X_new, pd.Series):  # named as in the fit: column_names(X) gives "x"
            X_new = X_new.to_frame(name=column_names(X_new)[0])
        if isinstance(X_new, pd.DataFrame):
            cols = [str(c) for c in X_new.columns]
            missing = [c for c in self.x_columns if c not in cols]
            extra = [c for c in cols if c not in self.x_columns]
            if missing or extra:
                msg = []
                if missing:
                    msg.append(f"missing column(s) used in the fit: {', '.join(missing)}")
                if extra:
                    msg.append(f"column(s) not in the fit: {', '.join(extra)}")
                raise ValueError(
                    f"`X_new` must have the columns {', '.join(self.x_columns)}; " + "; ".join(msg)
                )
            index = X_new.index
            X_new = X_new.rename(columns=str)[list(self.x_columns)]
        elif np.ndim(X_new) == 1 and p > 1 and len(X_new) == p:
            X_new = np.asarray(X_new).reshape(1, -1)
        Xa = check_array(X_new, "X_new", ndim=2, suggest_omit=False)
        if Xa.shape[1] != p:
            raise ValueError(
                f"`X_new` must have {p} column(s) ({', '.join(self.x_columns)}) like the fit; "
                f"got {Xa.shape[1]}"
            )
        if self.add_intercept:
            Xa = np.column_stack([np.ones(len(Xa)), Xa])
        return Xa, index

    def predict(
        self,
        X_new: Any,
        *,
        interval: Literal["confidence", "prediction"] | None = None,
        confidence_level: float | None = None,
    ) -> Any:
        """Predict the mean response for new rows, optionally with an interval.

        Parameters
        ----------
        X_new : array_like or pandas.DataFrame
            New values of the columns of ``X``: a DataFrame with the same column names (any
            order; no others), or an array with the same number of columns in the same order.
            The intercept is added as in the fit. For a formula fit, a DataFrame with the
            columns the formula uses (others are ignored), turned into the design with the
            fit's categories and transforms.
        interval : {None, 'confidence', 'prediction'}
            ``'confidence'``: interval for the mean response ``x'b``, with standard error
            ``sqrt(x' V x)`` from the fit's covariance ``V``. ``'prediction'``: interval for a
            new observation, ``sqrt(x' V x + s²)``; only for ``cov_type='nonrobust'`` OLS,
            where the error variance ``s²`` is assumed constant.
        confidence_level : float, optional
            Level of the interval; defaults to the fit's.

        Returns
        -------
        numpy.ndarray, pandas.Series or pandas.DataFrame
            Without ``interval``: the predictions (a Series indexed like ``X_new`` when it is a
            DataFrame). With ``interval``: a DataFrame with columns ``prediction``,
            ``std_error``, ``ci_low``, ``ci_high``.

        Raises
        ------
        ValueError
            If ``X_new`` has other columns than the fit (lacks a column of the formula, or has
            a category the fit did not see), NaN or inf, or a prediction interval is asked of
            a robust covariance.
        TypeError
            If ``X_new`` of a formula fit is not a DataFrame.
        """
        Xa, index = self._new_design(X_new)
        beta = self.coefficients["estimate"].to_numpy()
        pred = Xa @ beta
        if interval is None:
            return pred if index is None else pd.Series(pred, index=index, name="prediction")
        interval = check_choice(interval, "interval", ("confidence", "prediction"))  # type: ignore[assignment]
        level = (
            self.confidence_level
            if confidence_level is None
            else check_confidence_level(confidence_level)
        )
        V = self.cov.to_numpy()
        var = np.einsum("ij,jk,ik->i", Xa, V, Xa)
        if interval == "prediction":
            if self.cov_type != "nonrobust":
                raise ValueError(
                    "interval='prediction' needs a constant error variance; it is available for "
                    f"cov_type='nonrobust' OLS fits, not {self.cov_type!r}"
                )
            var = var + self.residual_std_error**2
        se = np.sqrt(var)
        c = _critical(level, self.df_inference)
        out = pd.DataFrame(
            {"prediction": pred, "std_error": se, "ci_low": pred - c * se, "ci_high": pred + c * se}
        )
        if index is not None:
            out.index = index
        return out

    # ------------------------------------------------------------------ diagnostics
    def influence(self) -> pd.DataFrame:
        """Leverage, standardized residuals and Cook's distances, one row per observation.

        Returns
        -------
        pandas.DataFrame
            Indexed like ``residuals``, with columns ``fitted``, ``residual``, ``leverage``
            (the hat value ``h_i``), ``standardized_residual`` ``r_i = e_i / (s sqrt(1 -
            h_i))`` and ``cooks_distance`` ``D_i = r_i² h_i / (k (1 - h_i))``, with ``s`` the
            ``residual_std_error`` and ``k`` the number of coefficients. An observation with
            leverage 1 has NaN ``r_i`` and ``D_i``.

        Notes
        -----
        For OLS these are R's ``hatvalues``, ``rstandard`` and ``cooks.distance`` and
        statsmodels' ``OLSInfluence`` (``hat_matrix_diag``, ``resid_studentized_internal``,
        ``cooks_distance``), whatever the ``cov_type``. For robust regression ``s`` is the
        robust scale and ``h_i`` the leverage of the unweighted design: the residuals are
        put on the scale the fit treats as typical, so that outliers stand out.

        Examples
        --------
        >>> import statcraft as sc
        >>> speed = [4, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        >>> dist = [6, 10, 16, 10, 18, 17, 24, 34, 26, 40]
        >>> infl = sc.ols(speed, dist).influence()
        >>> round(float(infl["leverage"].iloc[0]), 4)
        0.4813
        """
        if self.leverage is None:
            raise ValueError("this result carries no leverage values")
        h = self.leverage.to_numpy(dtype=float)
        e = self.residuals.to_numpy(dtype=float)
        k = len(self.terms)
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = h < 1 - 1e-10
            r = np.where(inside, e / (self.residual_std_error * np.sqrt(1 - h)), np.nan)
            cooks = np.where(inside, r**2 * h / (k * (1 - h)), np.nan)
        return pd.DataFrame(
            {
                "fitted": self.fitted.to_numpy(dtype=float),
                "residual": e,
                "leverage": h,
                "standardized_residual": r,
                "cooks_distance": cooks,
            },
            index=self.residuals.index,
        )

    def plot(
        self,
        kind: Literal["all", "resid", "qq", "scale", "leverage"] = "all",
        *,
        ax: Any = None,
    ) -> Any:
        """Draw the regression diagnostics: the four panels of R's ``plot.lm``, or one of them.

        Parameters
        ----------
        kind : {'all', 'resid', 'qq', 'scale', 'leverage'}
            ``'resid'``: residuals against fitted values, with the zero line. ``'qq'``: normal
            Q–Q plot of the standardized residuals against standard normal quantiles, with the
            line ``y = x``. ``'scale'``: scale–location, ``sqrt(|standardized residual|)``
            against fitted values. ``'leverage'``: standardized residuals against leverage, with
            Cook's distance contours at 0.5 and 1. ``'all'`` draws the four on a 2 × 2 grid.
            The three most extreme observations of each panel are labelled with their index.
        ax : matplotlib.axes.Axes or array of 4 Axes, optional
            Where to draw (four Axes for ``'all'``); by default a new figure.

        Returns
        -------
        matplotlib.axes.Axes or numpy.ndarray
            The Axes drawn on; for ``'all'`` a 2 × 2 array (or the array given as ``ax``).

        Raises
        ------
        ValueError
            On an unknown ``kind``, or ``ax`` not holding four Axes for ``'all'``.

        Notes
        -----
        The values drawn are those of :meth:`influence`. The Q–Q plotting positions are R's
        ``ppoints``: ``(i - a) / (n + 1 - 2a)`` with ``a = 3/8`` for ``n <= 10``, else 1/2.
        Points with leverage 1 have no standardized residual and are not drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import statcraft as sc
        >>> speed = [4, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        >>> res = sc.ols(speed, [6, 10, 16, 10, 18, 17, 24, 34, 26, 40])
        >>> axes = res.plot()
        >>> axes.shape
        (2, 2)
        >>> axes[0, 0].get_title()
        'Residuals vs fitted'
        >>> plt.close("all")
        """
        from statcraft.estimators._regression_plot import plot_diagnostics

        return plot_diagnostics(self, kind, ax)

    # ------------------------------------------------------------------ Wald tests
    def _restrictions(self, R: Any) -> np.ndarray:
        terms = self.terms
        k = len(terms)

        def unknown(names: Sequence[str]) -> None:
            bad = [str(t) for t in names if str(t) not in terms]
            if bad:
                raise ValueError(
                    f"`R` names unknown term(s) {', '.join(bad)}; the terms are {', '.join(terms)}"
                )

        if isinstance(R, str):
            R = [R]
        if isinstance(R, (list, tuple)) and R and all(isinstance(r, str) for r in R):
            unknown(R)
            M = np.zeros((len(R), k))
            for i, name in enumerate(R):
                M[i, terms.index(name)] = 1.0
            return M
        if isinstance(R, pd.Series):
            R = R.to_frame().T
        if isinstance(R, Mapping):
            R = pd.DataFrame([dict(R)])
        if isinstance(R, pd.DataFrame):
            unknown([str(c) for c in R.columns])
            R = R.rename(columns=str).reindex(columns=list(terms), fill_value=0.0)
        M = check_array(R, "R", ndim=2, suggest_omit=False)
        if M.shape[1] != k and M.shape[0] == k and M.shape[1] == 1 and np.ndim(R) == 1:
            M = M.T
        if M.shape[1] != k:
            raise ValueError(f"`R` must have {k} columns (one per term); got shape {M.shape}")
        return M

    def wald_test(self, R: Any, q: Any = None) -> TestResult:
        """Wald test of the linear hypothesis ``R b = q`` with the fit's covariance.

        Parameters
        ----------
        R : str, list of str, array_like, pandas.DataFrame, Series or mapping
            The restrictions. A term name or list of names tests that those coefficients are
            zero. A mapping ``{term: weight}`` or Series is one restriction; a DataFrame has one
            row per restriction and columns named by term (missing terms have weight 0). An
            array has one row per restriction and one column per term, in ``terms`` order.
        q : float or array_like, optional
            Right-hand side, one value per restriction; zeros by default.

        Returns
        -------
        TestResult
            ``statistic`` is ``W/m`` with ``W = (Rb-q)' (R V R')^{-1} (Rb-q)`` and ``m``
            restrictions, compared with F(m, df_inference); or ``W`` compared with chi-square
            (m) when inference is normal. For one restriction ``estimate`` is ``R b`` with its
            standard error and interval. ``details`` has ``R``, ``q`` and ``difference``.

        Raises
        ------
        ValueError
            If a term is unknown, shapes do not match, or the restrictions are linearly
            dependent.

        Notes
        -----
        With ``cov_type='nonrobust'`` this is the classical F test (R's ``anova`` of nested
        models, ``car::linearHypothesis``); with a robust covariance it is the Wald test of
        ``car::linearHypothesis(..., vcov.=)`` and statsmodels' ``f_test``. For factor models,
        ``res.wald_test("Intercept")`` tests a zero alpha and ``res.wald_test({"smb": 1,
        "hml": -1})`` tests equal loadings.
        """
        M = self._restrictions(R)
        m = M.shape[0]
        if q is None:
            qa = np.zeros(m)
        else:
            qa = check_array(q, "q", suggest_omit=False)
            if qa.size != m:
                raise ValueError(f"`q` must have {m} value(s), one per restriction; got {qa.size}")
        if np.any(np.all(M == 0, axis=1)):
            raise ValueError("`R` has a row of zeros; every restriction needs a nonzero weight")
        beta = self.coefficients["estimate"].to_numpy()
        statistic, pvalue, df_out, RVR, d = _wald(
            beta, self.cov.to_numpy(), M, qa, self.df_inference
        )
        cov_name = "classical" if self.cov_type == "nonrobust" else self.cov_type
        what = f"{m} linear restriction{'s' if m > 1 else ''}"
        if self.df_inference is None:
            method = f"Wald chi-square test of {what} ({cov_name} covariance)"
        else:
            test = "F test" if self.cov_type == "nonrobust" else "Wald F test"
            method = f"{test} of {what} ({cov_name} covariance)"
        estimate = None
        if m == 1:
            se = math.sqrt(float(RVR[0, 0]))
            value = float(M[0] @ beta)
            c = _critical(self.confidence_level, self.df_inference)
            estimate = Estimate(
                value,
                se,
                ConfidenceInterval(value - c * se, value + c * se),
                self.confidence_level,
                "linear combination R b",
                self.nobs,
            )
        return TestResult(
            statistic=float(statistic),
            pvalue=pvalue,
            df=df_out,
            alternative=None,
            method=method,
            estimate=estimate,
            details=FrozenMapping(
                {"R": pd.DataFrame(M, columns=list(self.terms)), "q": qa, "difference": d}
            ),
        )


def _wald(
    beta: np.ndarray, V: np.ndarray, M: np.ndarray, q: np.ndarray, df_inference: float | None
) -> tuple[float, float, float | tuple[float, float], np.ndarray, np.ndarray]:
    """Wald statistic, p-value and df of ``M b = q``; F form unless inference is normal."""
    m = M.shape[0]
    d = M @ beta - q
    RVR = M @ V @ M.T
    if np.linalg.matrix_rank(RVR) < m:
        raise ValueError(
            "the restrictions in `R` are linearly dependent (or involve a direction with zero "
            "variance); remove redundant rows"
        )
    W = float(d @ linalg.solve(RVR, d, assume_a="pos"))
    if df_inference is None:
        return W, float(special.chdtrc(m, W)), float(m), RVR, d
    F = W / m
    return F, float(special.fdtrc(m, df_inference, F)), (float(m), float(df_inference)), RVR, d


def _slope_restrictions(terms: tuple[str, ...], X: np.ndarray) -> list[str]:
    """Terms other than constant columns (the intercept or a user-supplied constant)."""
    const = np.all(X[:1] == X, axis=0) & (X[0] != 0)
    return [t for t, c in zip(terms, const, strict=True) if not c]


def build_result(
    design: Design,
    beta: np.ndarray,
    cov: np.ndarray,
    *,
    cov_type: str,
    method: str,
    confidence_level: float,
    df_inference: float | None,
    residual_std_error: float,
    r_squared: tuple[float, float] | None,
    overall_name: str,
    weights: np.ndarray | None = None,
    details: dict[str, Any] | None = None,
    leverage: np.ndarray | None = None,
) -> RegressionResult:
    n, k = design.X.shape
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = beta / se
    if df_inference is None:
        pval = 2 * special.ndtr(-np.abs(stat))
    else:
        pval = 2 * special.stdtr(df_inference, -np.abs(stat))
    c = _critical(confidence_level, df_inference)
    terms = list(design.terms)
    table = pd.DataFrame(
        {
            "estimate": beta,
            "std_error": se,
            "statistic": stat,
            "pvalue": pval,
            "ci_low": beta - c * se,
            "ci_high": beta + c * se,
        },
        index=pd.Index(terms, name="term"),
    )
    cov_df = pd.DataFrame(cov, index=terms, columns=terms)
    residuals = pd.Series(design.y - design.X @ beta, index=design.index, name="residuals")
    fitted = pd.Series(design.X @ beta, index=design.index, name="fitted")
    slopes = _slope_restrictions(design.terms, design.X)
    df_model = len(slopes)
    partial = RegressionResult(
        coefficients=table,
        cov=cov_df,
        r_squared=None if r_squared is None else r_squared[0],
        adj_r_squared=None if r_squared is None else r_squared[1],
        residual_std_error=float(residual_std_error),
        df_resid=n - k,
        df_model=df_model,
        nobs=n,
        residuals=residuals,
        fitted=fitted,
        cov_type=cov_type,
        method=method,
        confidence_level=confidence_level,
        f_test=None,
        df_inference=df_inference,
        add_intercept=design.add_intercept,
        x_columns=design.x_columns,
        weights=None if weights is None else pd.Series(weights, index=design.index, name="weights"),
        details=FrozenMapping(details or {}),
        leverage=None
        if leverage is None
        else pd.Series(leverage, index=design.index, name="leverage"),
    )
    if not slopes:
        return partial
    M = np.zeros((len(slopes), k))
    M[np.arange(len(slopes)), [terms.index(t) for t in slopes]] = 1.0
    statistic, pvalue, df_out, _, _ = _wald(beta, cov, M, np.zeros(len(slopes)), df_inference)
    overall = TestResult(
        statistic=statistic,
        pvalue=pvalue,
        df=df_out,
        alternative=None,
        method=overall_name,
        details=FrozenMapping({"terms": tuple(slopes)}),
    )
    object.__setattr__(partial, "f_test", overall)
    return partial


def check_perfect_fit(design: Design, rss: float) -> None:
    y = design.y
    if design.has_constant and np.all(y == y[0]):
        raise ValueError(
            f"`y` is constant (all values are {y[0]:g}); with a constant term the fit is exact "
            "and standard errors and tests are undefined"
        )
    ref = np.linalg.norm(y - y.mean()) if design.has_constant else np.linalg.norm(y)
    if math.sqrt(rss) <= 1e-10 * ref:
        raise ValueError(
            "the fit is exact (all residuals are zero up to rounding): `y` is a linear "
            "combination of the columns of `X`, so standard errors and tests are undefined"
        )
