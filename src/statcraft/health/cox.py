r"""Cox proportional hazards regression and the Grambsch–Therneau test of proportional hazards.

- :func:`cox_regression` — the Cox (1972) model for right-censored survival times, fitted by
  Newton–Raphson on the partial likelihood with Efron's or Breslow's handling of tied event
  times, optional strata, and the robust (sandwich) variance of Lin & Wei (1989), also for
  clustered data. Results follow R's ``survival::coxph``: coefficients, hazard ratios,
  likelihood-ratio, Wald and score tests, Harrell's concordance, the baseline survival curve
  (as ``survfit.coxph``) and predicted survival curves for new subjects.
- :func:`proportional_hazards_test` — the score test for a time-varying coefficient
  :math:`\beta_j(t) = \beta_j + \theta_j g(t)` of each covariate and of all together, exactly
  as R's ``cox.zph`` (survival ≥ 3.0), with the scaled Schoenfeld residuals for plotting.

All risk-set sums are computed with cumulative sums over the data sorted by time (within
strata); Efron's correction is vectorised by expanding each group of ``d`` tied deaths into
``d`` rows with weights ``0, 1/d, ..., (d-1)/d``. No loop runs over observations.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg, special, stats

from statcraft._validation import (
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_int,
)
from statcraft.estimators._covariance import check_full_rank
from statcraft.estimators.survival import _check_time_event, _check_time_event_values
from statcraft.health._cox_risk_sets import (
    RiskSets,
    concordance_counts,
    concordance_index,
    segment_bounds,
    segment_cumsum,
)
from statcraft.results import FrozenMapping, TestResult, _fmt, _fmt_pvalue

__all__ = ["CoxResult", "cox_regression"]

Ties = Literal["efron", "breslow"]
_TABLE = [
    "estimate",
    "std_error",
    "statistic",
    "pvalue",
    "ci_low",
    "ci_high",
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
]


# --------------------------------------------------------------------------- input handling
def _labels(values: Any, name: str, n: int) -> tuple[pd.Series, np.ndarray]:
    """Row labels (strata, clusters) as an object Series and a missing-value mask."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"`{name}` must be array-like (one label per row); got a string")
    if isinstance(values, pd.DataFrame):
        missing = values.isna().any(axis=1).to_numpy()
        ser = pd.Series(list(values.itertuples(index=False, name=None)), dtype=object)
    else:
        arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if arr.ndim != 1:
            raise ValueError(f"`{name}` must be one-dimensional; got shape {arr.shape}")
        ser = pd.Series(arr.copy())
        missing = ser.isna().to_numpy()
    if len(ser) != n:
        raise ValueError(f"`{name}` and `time` must have the same length; got {len(ser)} and {n}")
    return ser, missing


def _factorize(ser: pd.Series) -> tuple[np.ndarray, list[Any]]:
    try:
        codes, uniques = pd.factorize(ser, sort=True)
    except TypeError:  # labels of mixed, unorderable types
        codes, uniques = pd.factorize(ser, sort=False)
    return codes.astype(np.int64), list(uniques)


def _covariate_names(X: Any, p: int) -> list[str]:
    if isinstance(X, pd.DataFrame):
        return [str(c) for c in X.columns]
    if isinstance(X, pd.Series):
        return [str(X.name) if X.name is not None else "x0"]
    return [f"x{i}" for i in range(p)]


def _check_covariates(X: np.ndarray, names: list[str], strata: np.ndarray) -> None:
    """Reject constant and collinear covariates with messages naming the columns."""
    for j, col in enumerate(names):
        if np.ptp(X[:, j]) == 0:
            raise ValueError(
                f"`X` column {col!r} is constant (all values are {X[0, j]:g}); a Cox model has "
                "no intercept, so the coefficient of a constant covariate is not identified; "
                "drop the column"
            )
    Xc = X - X.mean(axis=0)
    if np.unique(strata).size > 1:
        counts = np.bincount(strata)
        means = np.stack([np.bincount(strata, weights=X[:, j]) for j in range(X.shape[1])], 1)
        Xc = X - (means / counts[:, None])[strata]
        for j, col in enumerate(names):
            if np.all(np.abs(Xc[:, j]) <= 1e-12 * (np.abs(X[:, j]).max() + 1.0)):
                raise ValueError(
                    f"`X` column {col!r} is constant within every stratum; its coefficient is "
                    "not identified in a stratified Cox model; drop the column"
                )
    try:
        check_full_rank(Xc, names)
    except ValueError as exc:
        raise ValueError(
            str(exc).replace("linearly dependent", "linearly dependent (after removing the mean)")
        ) from None


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True, eq=False)
class CoxResult:
    """A fitted Cox proportional hazards model (from :func:`cox_regression`).

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per covariate: ``estimate`` (log hazard ratio), ``std_error``, ``statistic``
        (z), ``pvalue``, ``ci_low``, ``ci_high``, ``hazard_ratio``, ``hr_ci_low``,
        ``hr_ci_high``; with ``robust=True`` ``std_error`` is the robust one (as are z, p
        and the intervals) and the columns ``naive_std_error`` and ``robust_std_error`` are
        added, as in R's table (``se(coef)`` and ``robust se``).
    covariance : pandas.DataFrame
        Covariance of the estimates used for the table (robust with ``robust=True``).
    naive_covariance : pandas.DataFrame
        Inverse of the information matrix (the model-based covariance).
    likelihood_ratio_test, wald_test, score_test : TestResult
        Global tests of all coefficients = 0, on ``p`` degrees of freedom. The Wald test uses
        ``covariance`` (robust when ``robust=True``, as R); the score (log-rank) test is the
        model-based one.
    robust_score_test : TestResult or None
        R's "robust" score test (score residuals at 0, collapsed by cluster); None unless
        ``robust=True``.
    loglik, loglik_null : float
        Log partial likelihood at the estimates and at 0.
    n, n_events : int
        Observations used and events among them.
    concordance : float
        Harrell's C of the linear predictor (R's ``concordance`` of a ``coxph`` fit, within
        strata); the pair counts are in ``details``.
    ties : str
        ``'efron'`` or ``'breslow'``.
    robust : bool
        Whether the robust (sandwich) covariance is used.
    n_clusters : int or None
        Number of clusters of the robust covariance (``n`` without ``cluster``).
    strata : tuple or None
        The stratum labels (sorted), or None for an unstratified model.
    means : pandas.Series
        Column means of the covariates (the "average subject" of ``at='mean'``).
    iterations : int
        Newton–Raphson iterations.
    converged : bool
        Whether the relative change of the log partial likelihood fell below ``tol``.
    confidence_level : float
        Level of the intervals.
    method : str
        The model, in words.
    details : FrozenMapping
        Read-only extras: concordance pair counts, the final score vector.
    """

    coefficients: pd.DataFrame
    covariance: pd.DataFrame
    naive_covariance: pd.DataFrame
    likelihood_ratio_test: TestResult
    wald_test: TestResult
    score_test: TestResult
    robust_score_test: TestResult | None
    loglik: float
    loglik_null: float
    n: int
    n_events: int
    concordance: float
    ties: str
    robust: bool
    n_clusters: int | None
    strata: tuple[Any, ...] | None
    means: pd.Series
    iterations: int
    converged: bool
    confidence_level: float
    method: str
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)
    _risk: RiskSets | None = field(default=None, repr=False)
    _baseline: pd.DataFrame | None = field(default=None, repr=False)

    # ------------------------------------------------------------ accessors
    @property
    def params(self) -> pd.Series:
        """The estimated coefficients (log hazard ratios) as a Series."""
        return self.coefficients["estimate"].copy()

    @property
    def hazard_ratios(self) -> pd.Series:
        """``exp(coef)``: hazard ratio per unit increase of each covariate."""
        return self.coefficients["hazard_ratio"].copy()

    def baseline_survival(self, *, at: Literal["zero", "mean"] = "zero") -> pd.DataFrame:
        r"""Return the estimated baseline cumulative hazard and survival curve.

        Parameters
        ----------
        at : {'zero', 'mean'}
            ``'zero'`` (default): the baseline proper, for a subject with all covariates 0.
            ``'mean'``: for a subject at the column means (:attr:`means`) — R's
            ``survfit(fit)`` default curve, except that R centres covariates whose values are
            all in {-1, 0, 1} at 0 instead of their mean (for such models
            ``at='zero'`` or :meth:`predict_survival` reproduces it).

        Returns
        -------
        pandas.DataFrame
            One row per distinct observed time (within stratum, with a ``stratum`` column
            for stratified models): ``time``, ``n_risk``, ``n_event``, ``n_censor``,
            ``cumulative_hazard``, ``survival``.

        Notes
        -----
        The hazard increment at a time with :math:`d` deaths is Breslow's
        :math:`d / \sum_{R} e^{x'\beta}` for ``ties='breslow'`` and Efron's
        :math:`\sum_{k=0}^{d-1} 1 / (\sum_R e^{x'\beta} - \tfrac{k}{d}\sum_D e^{x'\beta})`
        for ``ties='efron'`` (R's ``survfit.coxph`` ``ctype`` 1 and 2); the survival is
        :math:`\exp(-\Lambda(t))` (``stype=2``), scaled to the chosen covariate values.

        Examples
        --------
        >>> from statcraft.datasets import load_lung
        >>> from statcraft.health import cox_regression
        >>> lung = load_lung()
        >>> fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
        >>> fit.baseline_survival(at="mean").head(3).round(4)
           time  n_risk  n_event  n_censor  cumulative_hazard  survival
        0   5.0     228        1         0             0.0042    0.9958
        1  11.0     227        3         0             0.0168    0.9833
        2  12.0     224        1         0             0.0211    0.9791
        """
        check_choice(at, "at", ("zero", "mean"))
        assert self._baseline is not None
        out = self._baseline.copy()
        if at == "zero":
            factor = math.exp(-float(self.means.to_numpy() @ self.params.to_numpy()))
            out["cumulative_hazard"] = out["cumulative_hazard"] * factor
        out["survival"] = np.exp(-out["cumulative_hazard"])
        out = out.drop(columns=["_code"] if self.strata is not None else ["_code", "stratum"])
        return out.reset_index(drop=True)

    def predict_survival(self, X_new: Any, times: Any, *, strata: Any = None) -> pd.DataFrame:
        r"""Predicted survival :math:`S(t \mid x) = \exp\{-\Lambda_0(t)\, e^{x'\beta}\}`.

        Parameters
        ----------
        X_new : array_like or pandas.DataFrame
            Covariate values of the new subjects, one row each (a DataFrame must have the
            model's covariate columns; a 1-D array is one subject).
        times : array_like
            Non-negative times at which to evaluate the curves.
        strata : array_like, optional
            The stratum of each new subject; required for a stratified model.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``times``; one column per subject (the DataFrame's index labels, or
            0, 1, ...). :math:`\Lambda_0` is the step function of :meth:`baseline_survival`
            (0 before the first event time).

        Raises
        ------
        ValueError
            If ``X_new`` has the wrong columns or NaN, ``times`` are negative or NaN, or the
            strata are missing or unknown.

        Examples
        --------
        >>> import pandas as pd
        >>> from statcraft.datasets import load_lung
        >>> from statcraft.health import cox_regression
        >>> lung = load_lung()
        >>> fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
        >>> new = pd.DataFrame({"age": [60, 60], "sex": [1, 2]}, index=["male", "female"])
        >>> fit.predict_survival(new, [180, 365]).round(3)
                male  female
        time
        180.0  0.688   0.800
        365.0  0.355   0.538
        """
        names = list(self.coefficients.index)
        if isinstance(X_new, pd.DataFrame):
            missing = [c for c in names if c not in X_new.columns]
            if missing:
                raise ValueError(f"`X_new` lacks the covariate column(s) {', '.join(missing)}")
            cols = list(X_new.index)
            Xn = check_array(X_new[names], "X_new", ndim=2, suggest_omit=False)
        else:
            arr = check_array(X_new, "X_new", ndim=2, suggest_omit=False)
            if np.ndim(X_new) == 1 or (
                isinstance(X_new, pd.Series) and arr.shape == (len(names), 1)
            ):
                arr = arr.reshape(1, -1)
            Xn = arr
            cols = list(range(Xn.shape[0]))
        if Xn.shape[1] != len(names):
            raise ValueError(
                f"`X_new` must have {len(names)} columns ({', '.join(names)}); got {Xn.shape[1]}"
            )
        t = check_array(times, "times", suggest_omit=False)
        if np.any(t < 0):
            raise ValueError("`times` must be non-negative")
        beta = self.params.to_numpy()
        lp = (Xn - self.means.to_numpy()) @ beta
        assert self._baseline is not None
        base = self._baseline
        if self.strata is None:
            if strata is not None:
                raise ValueError("`strata` given but the model is not stratified")
            codes = np.zeros(Xn.shape[0], dtype=np.int64)
        else:
            if strata is None:
                raise ValueError("the model is stratified: pass `strata` (one label per row)")
            ser, miss = _labels(strata, "strata", Xn.shape[0])
            if miss.any():
                raise ValueError("`strata` has missing values")
            lookup = {lab: i for i, lab in enumerate(self.strata)}
            unknown = [lab for lab in ser if lab not in lookup]
            if unknown:
                raise ValueError(
                    f"`strata` has label(s) not in the fitted model: {unknown[0]!r}; known: "
                    f"{', '.join(map(repr, self.strata))}"
                )
            codes = np.array([lookup[lab] for lab in ser], dtype=np.int64)
        H = np.zeros((t.size, Xn.shape[0]))
        for s in np.unique(codes):
            b = base[base["_code"] == s]
            bt = b["time"].to_numpy()
            bh = b["cumulative_hazard"].to_numpy()
            k = np.searchsorted(bt, t, side="right")
            Hs = np.where(k > 0, bh[np.maximum(k - 1, 0)], 0.0)
            cols_s = codes == s
            H[:, cols_s] = Hs[:, None] * np.exp(lp[cols_s])[None, :]
        return pd.DataFrame(np.exp(-H), index=pd.Index(t, name="time"), columns=cols)

    # ------------------------------------------------------------ export / display
    def to_frame(self) -> pd.DataFrame:
        """Return the coefficient table with the covariate names in a ``term`` column."""
        return self.coefficients.rename_axis("term").reset_index()

    def to_dict(self) -> dict[str, Any]:
        """Return the settings, fit statistics, tests and the table (as row dicts)."""
        return {
            "method": self.method,
            "ties": self.ties,
            "robust": self.robust,
            "n": self.n,
            "n_events": self.n_events,
            "n_clusters": self.n_clusters,
            "strata": None if self.strata is None else list(self.strata),
            "loglik": self.loglik,
            "loglik_null": self.loglik_null,
            "concordance": self.concordance,
            "iterations": self.iterations,
            "converged": self.converged,
            "confidence_level": self.confidence_level,
            "likelihood_ratio_test": self.likelihood_ratio_test.to_dict(),
            "wald_test": self.wald_test.to_dict(),
            "score_test": self.score_test.to_dict(),
            "robust_score_test": (
                None if self.robust_score_test is None else self.robust_score_test.to_dict()
            ),
            "coefficients": self.to_frame().to_dict(orient="records"),
        }

    def _head(self) -> str:
        st = "" if self.strata is None else f", {len(self.strata)} strata"
        rb = ""
        if self.robust:
            rb = f", robust SE ({self.n_clusters} clusters)"
        return f"CoxResult: {self.method}, n = {self.n}, events = {self.n_events}{st}{rb}"

    def _tests_line(self) -> str:
        p = len(self.coefficients)
        parts = [
            f"Concordance = {_fmt(self.concordance, 3)}",
            f"LR test = {self.likelihood_ratio_test.statistic:.2f} on {p} df "
            f"(p = {_fmt_pvalue(self.likelihood_ratio_test.pvalue)})",
            f"Wald = {self.wald_test.statistic:.2f} (p = {_fmt_pvalue(self.wald_test.pvalue)})",
            f"Score = {self.score_test.statistic:.2f} (p = {_fmt_pvalue(self.score_test.pvalue)})",
        ]
        return "; ".join(parts)

    def __repr__(self) -> str:
        cols = ["estimate", "hazard_ratio", "std_error", "statistic", "pvalue"]
        if self.robust:
            cols.insert(2, "naive_std_error")
        table = self.coefficients[cols].to_string(float_format=lambda v: f"{v:.4g}")
        return f"{self._head()}\n{table}\n{self._tests_line()}"

    def _repr_html_(self) -> str:
        table = self.coefficients.to_html(float_format="{:.4g}".format)
        return f"<p><b>{self._head()}</b></p>\n{table}\n<p>{self._tests_line()}</p>"


# --------------------------------------------------------------------------- fitting
def _solve_psd(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        c = linalg.cho_factor(A, check_finite=True)
        return np.asarray(linalg.cho_solve(c, b))
    except (linalg.LinAlgError, ValueError):
        return np.asarray(linalg.lstsq(A, b)[0])


def quadratic_form(A: np.ndarray, b: np.ndarray) -> float:
    """``b' A^{-1} b`` for a positive (semi)definite ``A``."""
    return float(b @ _solve_psd(A, b))


def _chi2_test(stat: float, df: int, method: str, details: Mapping[str, Any]) -> TestResult:
    return TestResult(
        statistic=stat,
        pvalue=float(stats.chi2.sf(stat, df)) if math.isfinite(stat) else math.nan,
        df=float(df),
        method=method,
        details=details,
    )


def _collapse(M: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    return np.stack(
        [np.bincount(codes, weights=M[:, j], minlength=k) for j in range(M.shape[1])], axis=1
    )


def cox_regression(
    time: Any,
    event: Any,
    X: Any,
    *,
    ties: Ties = "efron",
    robust: bool = False,
    cluster: Any = None,
    strata: Any = None,
    confidence_level: float = 0.95,
    nan_policy: str = "raise",
    max_iter: int = 20,
    tol: float = 1e-9,
) -> CoxResult:
    r"""Cox proportional hazards regression for right-censored survival times.

    Parameters
    ----------
    time : array_like
        Follow-up times, positive.
    event : array_like
        1 (or True) for an event, 0 (or False) for a censored time.
    X : array_like, pandas Series or DataFrame
        Covariates, one column each (DataFrame columns name them; otherwise ``x0, x1, ...``).
        Factors must be coded as numeric (dummy) columns by the caller.
    ties : {'efron', 'breslow'}
        Handling of tied event times (R's default is Efron's).
    robust : bool
        Use the robust (sandwich) covariance of Lin & Wei (1989),
        :math:`D'D` with :math:`D` the dfbeta residuals, as ``coxph(robust=TRUE)``.
    cluster : array_like, optional
        Cluster labels (one per row): the dfbeta residuals are summed within clusters
        before forming :math:`D'D`. Giving ``cluster`` implies ``robust=True``, as in R.
    strata : array_like or DataFrame, optional
        Stratum labels (a DataFrame: its rows' combinations): each stratum has its own
        baseline hazard, the coefficients are shared.
    confidence_level : float
        Level of the Wald intervals.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops rows with NaN in ``time``, ``event``, ``X`` (or missing
        ``cluster``/``strata`` labels), as R's ``na.omit``.
    max_iter : int
        Maximum Newton–Raphson iterations (R's ``iter.max``, 20).
    tol : float
        Convergence tolerance on the relative change of the log partial likelihood (R's
        ``eps``, 1e-9).

    Returns
    -------
    CoxResult
        ``coefficients`` (log hazard ratios, hazard ratios, intervals), the likelihood-ratio,
        Wald and score tests, ``loglik``, ``concordance``, ``baseline_survival()``,
        ``predict_survival()``, ``to_frame()``.

    Raises
    ------
    TypeError
        If an input is not numeric (non-numeric ``X`` columns are named).
    ValueError
        If lengths differ, values are NaN (with ``nan_policy='raise'``) or infinite, a time is
        not positive, ``event`` is not 0/1, there is no event, a covariate is constant
        (named) or the covariates are collinear (named), or an option is invalid.

    Warns
    -----
    RuntimeWarning
        If the fit did not converge in ``max_iter`` iterations, or the log-likelihood
        converged while a coefficient kept growing (monotone likelihood: the estimate is
        infinite, as when a covariate separates the events), exactly when R's ``coxph`` warns
        "Loglik converged before variable ...; coefficient may be infinite".

    Notes
    -----
    The log partial likelihood with Efron's approximation, for death times :math:`t` with
    :math:`d` deaths :math:`D(t)`, risk set :math:`R(t)` and :math:`r_i = e^{x_i'\beta}`, is

    .. math::

        \ell(\beta) = \sum_t \Big[\sum_{i \in D(t)} x_i'\beta
            - \sum_{k=0}^{d-1} \log\Big(\sum_{i\in R(t)} r_i - \tfrac{k}{d}
            \sum_{i \in D(t)} r_i\Big)\Big];

    Breslow's drops the :math:`k/d` term. It is maximised by Newton–Raphson from
    :math:`\beta = 0` on centred and scaled covariates, with R's step halving (a step that
    lowers :math:`\ell` is pulled back towards the previous :math:`\beta`) and stopping rule
    :math:`|1 - \ell_{old}/\ell_{new}| \le` ``tol``. The standard errors are the square roots
    of the inverse information :math:`I(\hat\beta)^{-1}`; z-statistics, p-values and the
    intervals :math:`\hat\beta \pm z_{1-\alpha/2}\,\mathrm{SE}` are Wald's, exponentiated for
    the hazard ratios.

    The global tests: likelihood ratio :math:`2(\ell(\hat\beta) - \ell(0))`, Wald
    :math:`\hat\beta' V^{-1} \hat\beta` and score :math:`U(0)' I(0)^{-1} U(0)` (the log-rank
    test for a single binary covariate), each :math:`\chi^2_p`.

    The robust covariance is :math:`V_r = I^{-1} (\sum_c L_c L_c') I^{-1}` with
    :math:`L_c` the sum over cluster :math:`c` of the score residuals (R's ``coxscore2``,
    Efron-aware). Concordance is Harrell's C of :math:`x'\hat\beta` as R's
    ``concordance(fit)``: among comparable pairs (the shorter time an event; pairs of tied
    event times excluded), the fraction where the subject who failed first had the higher
    risk score, risk-score ties counting 1/2.

    References
    ----------
    .. [1] Cox, D. R. (1972). Regression models and life-tables. JRSS B 34(2), 187–220.
    .. [2] Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
       JASA 72, 557–565.
    .. [3] Lin, D. Y., Wei, L. J. (1989). The robust inference for the Cox proportional
       hazards model. JASA 84, 1074–1078.
    .. [4] Therneau, T. M., Grambsch, P. M. (2000). Modeling Survival Data: Extending the Cox
       Model. Springer.
    .. [5] Therneau, T. M. (2024). survival: A Package for Survival Analysis in R (``coxph``).

    Examples
    --------
    >>> from statcraft.datasets import load_lung
    >>> from statcraft.health import cox_regression
    >>> lung = load_lung()  # status: 1 = died, 0 = censored
    >>> fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    >>> fit.coefficients[["estimate", "std_error", "hazard_ratio"]].round(6)
         estimate  std_error  hazard_ratio
    age  0.017045   0.009223      1.017191
    sex -0.513219   0.167458      0.598566
    >>> round(fit.likelihood_ratio_test.statistic, 2), round(fit.wald_test.statistic, 2)
    (14.12, 13.47)
    >>> round(fit.score_test.statistic, 2), round(fit.concordance, 3)
    (13.72, 0.603)
    """
    check_choice(ties, "ties", ("efron", "breslow"))
    robust = check_bool(robust, "robust")
    confidence_level = check_confidence_level(confidence_level)
    nan_policy = check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    max_iter = check_int(max_iter, "max_iter", min_value=1)
    tol = check_finite_scalar(tol, "tol")
    if not 0 < tol < 1:
        raise ValueError(f"`tol` must be in (0, 1); got {tol!r}")

    t, e, keep = _check_time_event(time, event, nan_policy)
    n_all = t.size
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"`X` must be array-like of numbers; got {X!r}")
    if isinstance(X, pd.DataFrame) and X.columns.duplicated().any():
        dup = sorted({str(c) for c in X.columns[X.columns.duplicated()]})
        raise ValueError(f"`X` has duplicate column names: {', '.join(dup)}")
    inner = "propagate" if nan_policy == "omit" else "raise"
    Xa = check_array(X, "X", ndim=2, nan_policy=inner)
    if Xa.shape[0] != n_all:
        raise ValueError(
            f"`time` and `X` must have the same length (rows); got {n_all} and {Xa.shape[0]}"
        )
    names = _covariate_names(X, Xa.shape[1])
    if len(names) != Xa.shape[1]:
        names = [f"x{i}" for i in range(Xa.shape[1])]
    if len(set(names)) != len(names):
        dup = sorted({c for c in names if names.count(c) > 1})
        raise ValueError(f"`X` has duplicate column names: {', '.join(dup)}")
    keep &= ~np.isnan(Xa).any(axis=1)

    cl_ser = st_ser = None
    if cluster is not None:
        cl_ser, miss = _labels(cluster, "cluster", n_all)
        if miss.any() and nan_policy == "raise":
            raise ValueError(
                f"`cluster` has {int(miss.sum())} missing label(s); pass nan_policy='omit' to "
                "drop those rows"
            )
        keep &= ~miss
        robust = True
    if strata is not None:
        st_ser, miss = _labels(strata, "strata", n_all)
        if miss.any() and nan_policy == "raise":
            raise ValueError(
                f"`strata` has {int(miss.sum())} missing label(s); pass nan_policy='omit' to "
                "drop those rows"
            )
        keep &= ~miss

    t, e, Xa = t[keep], e[keep], Xa[keep]
    if t.size == 0:
        raise ValueError("no complete rows: every row has a missing value")
    _check_time_event_values(t, e, positive=True)
    n, n_events = int(t.size), int(e.sum())
    if n_events == 0:
        raise ValueError("`event` has no events (all times are censored); nothing to fit")

    if st_ser is not None:
        s_codes, s_levels = _factorize(st_ser[keep].reset_index(drop=True))
        strata_levels: tuple[Any, ...] | None = tuple(s_levels)
    else:
        s_codes = np.zeros(n, dtype=np.int64)
        strata_levels = None
    _check_covariates(Xa, names, s_codes)

    p = Xa.shape[1]
    means = Xa.mean(axis=0)
    Xc = Xa - means
    absdev = np.mean(np.abs(Xc), axis=0)
    scale = np.where(absdev > 0, 1.0 / absdev, 1.0)

    rs = RiskSets(t, e, Xc, s_codes, ties == "efron")
    Zs = rs.X * scale  # centred and scaled, sorted: the Newton-Raphson works on these

    # ------------------------------------------------ Newton-Raphson (R's coxfit6)
    def evaluate(b: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        # a wild step can overflow/underflow the risk scores: the result is then non-finite
        # and the step is halved, as in R
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            pcs = rs.pieces(Zs, b)
            return rs.loglik(pcs), rs.score(Zs, pcs), rs.information(Zs, pcs)

    beta = np.zeros(p)
    ll0, u, imat = evaluate(beta)
    score_stat = quadratic_form(imat, u)
    ll_best = ll0
    newbeta = beta + _solve_psd(imat, u)
    halving = 0
    converged = False
    iterations = 0
    for it in range(1, max_iter + 1):
        iterations = it
        newlk, u, imat = evaluate(newbeta)
        finite = math.isfinite(newlk) and np.all(np.isfinite(u)) and np.all(np.isfinite(imat))
        if finite and abs(ll_best - newlk) <= tol * abs(newlk):
            beta = newbeta
            ll_best = newlk
            converged = True
            break
        if not finite or newlk < ll_best:
            halving += 1
            newbeta = (newbeta + halving * beta) / (halving + 1.0)
        else:
            halving = 0
            ll_best = newlk
            beta = newbeta
            newbeta = newbeta + _solve_psd(imat, u)
    if not converged:  # recompute at the best point, as R does
        ll_best, u, imat = evaluate(beta)

    try:
        var_s = linalg.inv(imat)
    except linalg.LinAlgError:
        var_s = linalg.pinv(imat)
    coef = beta * scale
    var = var_s * np.outer(scale, scale)
    u_orig = u / scale
    infs = np.abs(u_orig @ var)
    if not converged:
        warnings.warn(
            f"cox_regression did not converge in {max_iter} iterations; the coefficients may "
            "be infinite (monotone likelihood) or the model ill-posed; increase `max_iter` or "
            "check the covariates",
            RuntimeWarning,
            stacklevel=2,
        )
    else:
        flag = ~np.isfinite(u_orig) | ((infs > tol) & (infs > math.sqrt(tol) * np.abs(coef)))
        if flag.any():
            bad_names = ", ".join(n_ for n_, b in zip(names, flag, strict=True) if b)
            warnings.warn(
                f"Loglik converged before variable(s) {bad_names}; coefficient may be infinite "
                "(monotone likelihood: the covariate separates the events). Its estimate, "
                "standard error and Wald test are not meaningful; use the likelihood ratio test",
                RuntimeWarning,
                stacklevel=2,
            )

    # ------------------------------------------------ robust variance (R's dfbeta residuals)
    Xs = rs.X  # centred, original units, sorted
    naive_var = var
    robust_score: TestResult | None = None
    n_clusters: int | None = None
    if robust:
        pc_hat = rs.pieces(Xs, coef)
        L = rs.score_residuals(Xs, pc_hat)
        pc0 = rs.pieces(Xs, np.zeros(p))
        L0 = rs.score_residuals(Xs, pc0)
        if cl_ser is not None:
            codes, uniq = _factorize(cl_ser[keep].reset_index(drop=True))
            codes = codes[rs.order]
            n_clusters = len(uniq)
            Dfb = _collapse(L @ naive_var, codes, n_clusters)
            L0c = _collapse(L0, codes, n_clusters)
        else:
            n_clusters = n
            Dfb = L @ naive_var
            L0c = L0
        var = Dfb.T @ Dfb
        u0 = L0.sum(axis=0)
        rstat = quadratic_form(L0c.T @ L0c, u0)
        robust_score = _chi2_test(rstat, p, "Robust score test", {"n_clusters": n_clusters})

    se = np.sqrt(np.diag(var))
    z = coef / se
    pval = 2 * special.ndtr(-np.abs(z))
    q = float(special.ndtri(0.5 + confidence_level / 2))
    lo, hi = coef - q * se, coef + q * se
    with np.errstate(over="ignore"):
        table = pd.DataFrame(
            {
                "estimate": coef,
                "std_error": se,
                "statistic": z,
                "pvalue": pval,
                "ci_low": lo,
                "ci_high": hi,
                "hazard_ratio": np.exp(coef),
                "hr_ci_low": np.exp(lo),
                "hr_ci_high": np.exp(hi),
            },
            index=pd.Index(names),
        )
    if robust:
        table["naive_std_error"] = np.sqrt(np.diag(naive_var))
        table["robust_std_error"] = se

    lr = 2.0 * (ll_best - ll0)
    lr_test = _chi2_test(lr, p, "Likelihood ratio test", {"loglik": ll_best, "loglik_null": ll0})
    wald_stat = quadratic_form(var, coef)
    wald_test = _chi2_test(
        wald_stat, p, "Wald test (robust covariance)" if robust else "Wald test", {}
    )
    score_test = _chi2_test(score_stat, p, "Score (logrank) test", {})

    lp_sorted = Xs @ coef
    counts = concordance_counts(rs.time, rs.event, lp_sorted, rs.strata)
    conc = concordance_index(counts)

    # ------------------------------------------------ baseline (at the means), per stratum
    pc_hat = rs.pieces(Xs, coef)
    dH = rs.hazard_increments(pc_hat)
    # groups are in decreasing time within stratum; build ascending tables
    gorder = np.lexsort((rs.group_time, rs.group_stratum))
    g_str = rs.group_stratum[gorder]
    g_t = rs.group_time[gorder]
    g_d = rs.d[gorder]
    g_size = rs.group_size[gorder]
    at_risk = segment_cumsum(rs.group_size, rs.group_bounds)[gorder]  # n with time >= t
    cumh = np.empty(gorder.size)
    for a, b in segment_bounds(np.flatnonzero(np.r_[True, g_str[1:] != g_str[:-1]]), gorder.size):
        cumh[a:b] = np.cumsum(dH[gorder][a:b])
    baseline = pd.DataFrame(
        {
            "stratum": ([strata_levels[c] for c in g_str] if strata_levels is not None else g_str),
            "_code": g_str,
            "time": g_t,
            "n_risk": at_risk.astype(np.int64),
            "n_event": g_d.astype(np.int64),
            "n_censor": (g_size - g_d).astype(np.int64),
            "cumulative_hazard": cumh,
        }
    )
    baseline["survival"] = np.exp(-baseline["cumulative_hazard"])

    tie_txt = "Efron" if ties == "efron" else "Breslow"
    cov_df = pd.DataFrame(var, index=names, columns=names)
    naive_df = pd.DataFrame(naive_var, index=names, columns=names)
    return CoxResult(
        coefficients=table,
        covariance=cov_df,
        naive_covariance=naive_df,
        likelihood_ratio_test=lr_test,
        wald_test=wald_test,
        score_test=score_test,
        robust_score_test=robust_score,
        loglik=ll_best,
        loglik_null=ll0,
        n=n,
        n_events=n_events,
        concordance=conc,
        ties=ties,
        robust=robust,
        n_clusters=n_clusters,
        strata=strata_levels,
        means=pd.Series(means, index=names),
        iterations=iterations,
        converged=converged,
        confidence_level=confidence_level,
        method=f"Cox proportional hazards ({tie_txt} ties)",
        details={
            "concordance_counts": counts,
            "score": pd.Series(u_orig, index=names),
            "n_dropped": int(n_all - n),
        },
        _risk=rs,
        _baseline=baseline,
    )
