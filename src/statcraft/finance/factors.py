r"""Factor models: time-series factor regressions, Fama–MacBeth risk premia, rolling betas.

- :func:`factor_regression` — CAPM, Fama–French three-factor, Carhart four-factor (or any
  linear factor model) regressions of (excess) returns on factor returns with an intercept,
  the *alpha*, with Newey–West (HAC) standard errors by default; one regression per asset.
- :func:`fama_macbeth` — the two-pass Fama–MacBeth (1973) estimates of factor risk premia
  with plain, Newey–West and Shanken (1992) errors-in-variables standard errors.
- :func:`rolling_beta` — betas (and alphas) over a moving window, computed for all windows at
  once from window sums of cross-products, not by one regression per window.

Factor returns are used as given: the Fama–French factors ``mkt_rf``, ``smb``, ``hml`` and
``mom`` are already excess (zero-cost) returns. Asset returns are total returns unless
``risk_free`` is given, which is then subtracted from them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg, special

from statcraft._validation import (
    check_array,
    check_bool,
    check_choice,
    check_confidence_level,
    check_int,
)
from statcraft.estimators._covariance import (
    bartlett_long_run,
    check_full_rank,
    hac_lags,
)
from statcraft.estimators.regression import RegressionResult, ols
from statcraft.finance._checks import check_dates, check_returns_matrix
from statcraft.finance.returns import _aligned_risk_free
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, _fmt

__all__ = [
    "FactorRegressionResult",
    "FamaMacBethResult",
    "factor_regression",
    "fama_macbeth",
    "rolling_beta",
]

FactorCovType = Literal["HAC", "nonrobust", "HC0", "HC1", "HC2", "HC3", "HC4"]
_COV_TYPES = ("HAC", "nonrobust", "HC0", "HC1", "HC2", "HC3", "HC4")
_TIDY = ["estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high"]
_RESERVED = ("alpha", "Intercept")


# --------------------------------------------------------------------------- input handling
def _factor_names(factors: Any) -> list[str]:
    if isinstance(factors, pd.DataFrame):
        return [str(c) for c in factors.columns]
    if isinstance(factors, pd.Series):
        return [str(factors.name) if factors.name is not None else "factor"]
    arr = np.asarray(factors)
    if arr.ndim <= 1 or (arr.ndim == 2 and arr.shape[1] == 1):
        return ["factor"]
    return [f"factor{i + 1}" for i in range(arr.shape[1])]


def _align_factors(returns: Any, factors: Any, name: str) -> Any:
    """Select the factors' rows at the returns' dates when both are pandas objects."""
    if not (
        isinstance(returns, (pd.Series, pd.DataFrame))
        and isinstance(factors, (pd.Series, pd.DataFrame))
    ):
        return factors
    check_dates(factors.index, name)
    if factors.index.equals(returns.index):
        return factors
    if not factors.index.is_unique:
        raise ValueError(f"`{name}` has duplicated labels in its index; cannot align it")
    missing = returns.index.difference(factors.index, sort=False)
    if len(missing):
        raise ValueError(
            f"`{name}` has no value for {len(missing)} of the {len(returns.index)} dates of "
            f"`returns` (first: {missing[0]}); align `{name}` with `returns` first"
        )
    return factors.loc[returns.index]


def _check_factor_matrix(F: np.ndarray, names: list[str], name: str) -> None:
    """Reject constant factors and collinear factors with messages naming ``name``."""
    for j, col in enumerate(names):
        if np.ptp(F[:, j]) == 0:
            raise ValueError(
                f"`{name}` column {col!r} is constant (all values are {F[0, j]:g}); it is "
                "collinear with the intercept, so its loading is not identified"
            )
    design = np.column_stack([np.ones(F.shape[0]), F])
    try:
        check_full_rank(design, ["Intercept", *names])
    except ValueError as exc:
        raise ValueError(str(exc).replace("`X`", f"`{name}`")) from None


def _prepare(
    returns: Any,
    factors: Any,
    risk_free: Any,
    *,
    factors_name: str = "factors",
    stacklevel: int = 5,
) -> tuple[np.ndarray, np.ndarray, pd.Index | None, list[str], list[str]]:
    """Validate and align; return (Y: T × N, F: T × k, index, asset names, factor names)."""
    if isinstance(returns, (str, bytes)) or returns is None:
        raise TypeError(f"`returns` must be array-like of numbers; got {returns!r}")
    if isinstance(factors, (str, bytes)) or factors is None:
        raise TypeError(f"`{factors_name}` must be array-like of numbers; got {factors!r}")
    Y, index, assets = check_returns_matrix(returns, "returns", stacklevel=stacklevel)
    if len(set(assets)) != len(assets):
        dup = sorted({a for a in assets if assets.count(a) > 1})
        raise ValueError(f"`returns` has duplicate column names: {', '.join(dup)}")
    names = _factor_names(factors)
    if len(set(names)) != len(names):
        dup = sorted({c for c in names if names.count(c) > 1})
        raise ValueError(f"`{factors_name}` has duplicate column names: {', '.join(dup)}")
    bad = [c for c in names if c in _RESERVED]
    if bad:
        raise ValueError(
            f"`{factors_name}` has a column named {bad[0]!r}, which is reserved for the "
            "intercept; rename it"
        )
    factors = _align_factors(returns, factors, factors_name)
    F = check_array(factors, factors_name, ndim=2, min_size=1, suggest_omit=False)
    if F.shape[0] != Y.shape[0]:
        raise ValueError(
            f"`returns` and `{factors_name}` must have the same length; got {Y.shape[0]} and "
            f"{F.shape[0]}"
        )
    if F.shape[1] != len(names):  # a 2-D array given with a 1-D name guess
        names = [f"factor{i + 1}" for i in range(F.shape[1])]
    if risk_free is not None:
        rf = _aligned_risk_free(risk_free, returns, Y.shape[0])
        Y = Y - (rf[:, None] if isinstance(rf, np.ndarray) else rf)
    return Y, F, index, assets, names


# --------------------------------------------------------------------------- factor regression
@dataclass(frozen=True, slots=True, eq=False)
class FactorRegressionResult:
    """Time-series factor regressions of one or several assets (from :func:`factor_regression`).

    Attributes
    ----------
    assets : tuple of str
        Asset names (the DataFrame columns or the Series name; ``"asset"`` for an array).
    factors : tuple of str
        Factor names, in the order of the regressors.
    alphas : FrozenMapping of str to Estimate
        Per-period alpha of each asset, with its standard error and interval; ``details``
        holds the t ``statistic``, two-sided ``pvalue`` and ``df``.
    alphas_annualized : FrozenMapping of str to Estimate or None
        ``periods_per_year`` times the alpha, its standard error and interval (same t and
        p-value); None when ``periods_per_year`` was not given.
    betas : pandas.DataFrame
        Factor loadings, one row per asset and one column per factor.
    r_squared : pandas.Series
        R² of each asset's regression.
    regressions : FrozenMapping of str to RegressionResult
        The full :func:`~statcraft.ols` fit of each asset (terms ``Intercept`` and the factors).
    cov_type : str
        Covariance of the estimates (``'HAC'``, ``'nonrobust'``, ``'HC0'`` ...).
    maxlags : int or None
        Newey–West lag of ``'HAC'``; None for the other covariances.
    periods_per_year : int or None
        Used to annualise the alpha.
    nobs : int
        Number of periods.
    excess : bool
        Whether a risk-free rate was subtracted from the returns.
    confidence_level : float
        Level of the intervals.
    method : str
        The model and covariance, in words.
    details : FrozenMapping
        Read-only extras (empty at present).
    """

    assets: tuple[str, ...]
    factors: tuple[str, ...]
    alphas: Mapping[str, Estimate]
    alphas_annualized: Mapping[str, Estimate] | None
    betas: pd.DataFrame
    r_squared: pd.Series
    regressions: Mapping[str, RegressionResult]
    cov_type: str
    maxlags: int | None
    periods_per_year: int | None
    nobs: int
    excess: bool
    confidence_level: float
    method: str
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    def _single(self, what: str) -> str:
        if len(self.assets) != 1:
            raise ValueError(
                f"this result holds {len(self.assets)} assets; use .{what}[asset] with one of "
                f"{', '.join(self.assets)}"
            )
        return self.assets[0]

    @property
    def alpha(self) -> Estimate:
        """The alpha of a single-asset regression (use ``alphas[asset]`` for several)."""
        return self.alphas[self._single("alphas")]

    @property
    def regression(self) -> RegressionResult:
        """The :func:`~statcraft.ols` fit of a single-asset regression."""
        return self.regressions[self._single("regressions")]

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table: one row per asset and term (alpha, factors, annualised alpha).

        Columns: ``asset``, ``term``, ``estimate``, ``std_error``, ``statistic``, ``pvalue``,
        ``ci_low``, ``ci_high``. The intercept is the term ``"alpha"``; with
        ``periods_per_year`` a row ``"alpha_annualized"`` follows the factors.
        """
        rows = []
        for asset in self.assets:
            table = self.regressions[asset].coefficients
            for term, row in table.iterrows():
                label = "alpha" if term == "Intercept" else str(term)
                rows.append({"asset": asset, "term": label, **{c: float(row[c]) for c in _TIDY}})
            if self.alphas_annualized is not None:
                rows.append(
                    {
                        "asset": asset,
                        "term": "alpha_annualized",
                        **_est_row(self.alphas_annualized[asset]),
                    }
                )
        return pd.DataFrame(rows, columns=["asset", "term", *_TIDY])

    def to_dict(self) -> dict[str, Any]:
        """Return the settings and the tidy table (as a list of row dicts)."""
        return {
            "method": self.method,
            "cov_type": self.cov_type,
            "maxlags": self.maxlags,
            "nobs": self.nobs,
            "periods_per_year": self.periods_per_year,
            "excess": self.excess,
            "confidence_level": self.confidence_level,
            "assets": list(self.assets),
            "factors": list(self.factors),
            "r_squared": {a: float(v) for a, v in self.r_squared.items()},
            "coefficients": self.to_frame().to_dict(orient="records"),
        }

    def _wide(self) -> pd.DataFrame:
        out = pd.DataFrame(index=pd.Index(list(self.assets), name="asset"))
        out["alpha"] = [self.alphas[a].estimate for a in self.assets]
        out["t(alpha)"] = [self.alphas[a].details["statistic"] for a in self.assets]
        out["p(alpha)"] = [self.alphas[a].details["pvalue"] for a in self.assets]
        if self.alphas_annualized is not None:
            out["alpha/yr"] = [self.alphas_annualized[a].estimate for a in self.assets]
        for f in self.factors:
            out[f] = self.betas[f].to_numpy()
        out["R²"] = self.r_squared.to_numpy()
        return out

    def _head(self) -> str:
        k = len(self.factors)
        lags = f" ({self.maxlags} lags)" if self.maxlags is not None else ""
        what = "excess returns" if self.excess else "returns"
        return (
            f"FactorRegressionResult: {len(self.assets)} asset{'s' if len(self.assets) > 1 else ''}"
            f" ({what}) on {k} factor{'s' if k > 1 else ''} ({', '.join(self.factors)}), "
            f"n = {self.nobs}, {self.cov_type} covariance{lags}"
        )

    def __repr__(self) -> str:
        table = self._wide().to_string(float_format=lambda v: f"{v:.4g}")
        return f"{self._head()}\n{table}"

    def _repr_html_(self) -> str:
        table = self._wide().to_html(float_format="{:.4g}".format)
        return f"<p><b>{self._head()}</b></p>\n{table}"


def _est_row(e: Estimate) -> dict[str, float]:
    return {
        "estimate": float(e.estimate),
        "std_error": float(e.std_error) if e.std_error is not None else math.nan,
        "statistic": float(e.details["statistic"]),
        "pvalue": float(e.details["pvalue"]),
        "ci_low": float(e.confidence_interval.low),
        "ci_high": float(e.confidence_interval.high),
    }


def factor_regression(
    returns: Any,
    factors: Any,
    *,
    risk_free: Any = None,
    cov_type: FactorCovType = "HAC",
    maxlags: int | None = None,
    periods_per_year: int | None = None,
    confidence_level: float = 0.95,
) -> FactorRegressionResult:
    r"""Time-series factor regression (CAPM, Fama–French, Carhart): alpha and factor loadings.

    Parameters
    ----------
    returns : array_like, pandas Series or DataFrame
        Per-period decimal returns of one asset (a Series or 1-D array) or several (a
        DataFrame, one regression per column sharing the factors). Total returns when
        ``risk_free`` is given, otherwise already excess returns.
    factors : array_like, pandas Series or DataFrame
        Factor returns, one column per factor (a Series for a one-factor model such as the
        CAPM's market excess return); column names name the loadings. When both ``returns``
        and ``factors`` are pandas objects the factors are taken at the returns' dates (they
        may cover a longer period); a missing date is an error.
    risk_free : float or array_like, optional
        Risk-free rate of the same period, subtracted from ``returns`` (a Series is aligned
        on the returns' dates). Factors are never adjusted.
    cov_type : {'HAC', 'nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'HC4'}
        Covariance of the estimates, as :func:`statcraft.ols`. ``'HAC'`` (the default) is
        Newey–West with the Bartlett kernel.
    maxlags : int, optional
        Newey–West lag ``L`` (only with ``'HAC'``); default ``floor(4 (n/100)^(2/9))``, the
        Newey–West (1994) rule used by :func:`statcraft.ols` (6 for 819 monthly returns).
    periods_per_year : int, optional
        12 for monthly returns, 52 weekly, 252 daily: adds the annualised alpha.
    confidence_level : float
        Level of the intervals.

    Returns
    -------
    FactorRegressionResult
        ``alphas`` (or ``alpha`` for one asset), ``alphas_annualized``, ``betas``,
        ``r_squared``, the underlying ``regressions``, and ``to_frame()``.

    Raises
    ------
    TypeError
        If ``returns`` or ``factors`` is not numeric (non-numeric columns are named).
    ValueError
        If the inputs differ in length or ``factors`` lacks some of the returns' dates, hold
        NaN or inf, have unsorted or duplicated dates, a factor is constant (collinear with
        the intercept) or factors are collinear, there are no more periods than
        coefficients, or an option is out of range.

    Warns
    -----
    LooksLikePricesWarning
        If ``returns`` looks like prices (all positive and large).

    Notes
    -----
    For each asset :math:`i` the regression is

    .. math:: R_{it} - R^f_t = \alpha_i + \beta_i' f_t + \varepsilon_{it},

    fitted by OLS (:func:`statcraft.ols`). With ``cov_type='HAC'`` the covariance is
    Newey–West's :math:`B\,(\Gamma_0 + \sum_{l=1}^{L}(1 - \tfrac{l}{L+1})(\Gamma_l +
    \Gamma_l'))\,B` with :math:`B = (X'X)^{-1}`, no small-sample rescaling and no
    prewhitening (statsmodels ``cov_type='HAC'``, ``use_correction=False``; R's
    ``sandwich::NeweyWest(prewhite = FALSE)``), and t-statistics are referred to the t
    distribution with :math:`n - k - 1` degrees of freedom.

    The annualised alpha is the arithmetic :math:`m\hat\alpha` with standard error
    :math:`m\,\mathrm{SE}(\hat\alpha)` for :math:`m` periods per year: a linear rescaling,
    so the t-statistic and p-value are those of the per-period alpha (a compounded
    :math:`(1+\hat\alpha)^m - 1` would not be). A positive alpha is an average return not
    explained by the factor exposures.

    The HAC t-test is approximate in finite samples: in simulations with AR(1) errors and 240
    monthly periods (``tests/finance/test_factors.py``) the 5 % test of a zero alpha rejects
    about 6–7 % of the time when the errors' autocorrelation is 0.3 and 9–10 % when it is
    0.5, against 23–27 % for ``cov_type='nonrobust'``; the rule-of-thumb lag is short for
    strongly persistent errors, so pass a larger ``maxlags`` for those.

    References
    ----------
    .. [1] Jensen, M. C. (1968). The performance of mutual funds in the period 1945–1964.
       Journal of Finance 23(2), 389–416.
    .. [2] Fama, E. F., French, K. R. (1993). Common risk factors in the returns on stocks
       and bonds. Journal of Financial Economics 33, 3–56.
    .. [3] Carhart, M. M. (1997). On persistence in mutual fund performance. Journal of
       Finance 52(1), 57–82.
    .. [4] Newey, W. K., West, K. D. (1994). Automatic lag selection in covariance matrix
       estimation. Review of Economic Studies 61, 631–653.

    Examples
    --------
    >>> from statcraft.datasets import load_fama_french_industries
    >>> from statcraft.finance.factors import factor_regression
    >>> ff = load_fama_french_industries()
    >>> res = factor_regression(ff["NoDur"], ff[["mkt_rf", "smb", "hml"]],
    ...                         risk_free=ff["rf"], periods_per_year=12)
    >>> round(res.alpha.estimate, 5), round(res.alpha.details["statistic"], 2)
    (0.00195, 2.02)
    >>> round(res.alphas_annualized["NoDur"].estimate, 4)
    0.0234
    >>> res.betas.round(3)
           mkt_rf    smb    hml
    NoDur   0.803 -0.029  0.081

    The loader's frame is indexed by month, so a sub-period is a date slice, and the full
    factor and risk-free series are aligned on its dates:

    >>> late = factor_regression(ff["NoDur"].loc["1990":], ff[["mkt_rf", "smb", "hml"]],
    ...                          risk_free=ff["rf"])
    >>> late.nobs
    327
    """
    cov_type = check_choice(cov_type, "cov_type", _COV_TYPES)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    if maxlags is not None:
        if cov_type != "HAC":
            raise ValueError(
                f"`maxlags` is only used with cov_type='HAC'; got cov_type={cov_type!r}"
            )
        maxlags = check_int(maxlags, "maxlags", min_value=0)
    m = (
        None
        if periods_per_year is None
        else check_int(periods_per_year, "periods_per_year", min_value=1)
    )
    Y, F, index, assets, names = _prepare(returns, factors, risk_free)
    n, k = F.shape
    if n <= k + 1:
        raise ValueError(
            f"a regression on {k} factor{'s' if k > 1 else ''} with an intercept needs more "
            f"than {k + 1} periods; got {n}"
        )
    _check_factor_matrix(F, names, "factors")
    idx = index if index is not None else pd.RangeIndex(n)
    X = pd.DataFrame(F, index=idx, columns=names)
    regressions: dict[str, RegressionResult] = {}
    alphas: dict[str, Estimate] = {}
    annual: dict[str, Estimate] = {}
    slopes: dict[str, np.ndarray] = {}
    for j, asset in enumerate(assets):
        y = pd.Series(Y[:, j], index=idx, name=asset)
        try:
            fit = ols(X, y, cov_type=cov_type, maxlags=maxlags, confidence_level=confidence_level)
        except ValueError as exc:
            raise ValueError(f"asset {asset!r}: {str(exc).replace('`y`', '`returns`')}") from None
        regressions[asset] = fit
        tab = fit.coefficients[_TIDY].to_numpy(dtype=float)  # Intercept first
        est, se, stat, pval, lo, hi = (float(v) for v in tab[0])
        slopes[asset] = tab[1:, 0]
        info = {"statistic": stat, "pvalue": pval, "df": fit.df_inference, "asset": asset}
        label = f"alpha ({fit.method})"
        alphas[asset] = Estimate(
            est, se, ConfidenceInterval(lo, hi), confidence_level, label, n, details=info
        )
        if m is not None:
            annual[asset] = Estimate(
                m * est,
                m * se,
                ConfidenceInterval(m * lo, m * hi),
                confidence_level,
                f"annualised alpha ({m} × per-period alpha; {fit.method})",
                n,
                details={**info, "periods_per_year": m},
            )
    betas = pd.DataFrame(
        np.vstack([slopes[a] for a in assets]), index=pd.Index(assets), columns=names
    )
    r2 = pd.Series(
        [float(regressions[a].r_squared or math.nan) for a in assets],
        index=pd.Index(assets),
        name="r_squared",
    )
    lags = regressions[assets[0]].details.get("maxlags") if cov_type == "HAC" else None
    model = {1: "one-factor (CAPM-type)", 3: "three-factor", 4: "four-factor"}.get(k, f"{k}-factor")
    return FactorRegressionResult(
        assets=tuple(assets),
        factors=tuple(names),
        alphas=FrozenMapping(alphas),
        alphas_annualized=None if m is None else FrozenMapping(annual),
        betas=betas,
        r_squared=r2,
        regressions=FrozenMapping(regressions),
        cov_type=cov_type,
        maxlags=lags,
        periods_per_year=m,
        nobs=n,
        excess=risk_free is not None,
        confidence_level=confidence_level,
        method=f"{model} time-series regression, {regressions[assets[0]].method}",
    )


# --------------------------------------------------------------------------- Fama–MacBeth
@dataclass(frozen=True, slots=True, eq=False)
class FamaMacBethResult:
    r"""Two-pass Fama–MacBeth risk premia (from :func:`fama_macbeth`).

    Attributes
    ----------
    terms : tuple of str
        ``"Intercept"`` (the average pricing error / zero-beta excess return) and the factors.
    risk_premia : pandas.Series
        The time averages :math:`\bar\lambda` of the cross-sectional estimates, by term.
    std_errors : pandas.DataFrame
        Standard errors by term (rows) and kind (columns ``fama_macbeth``, ``newey_west`` and,
        with ``shanken=True``, ``shanken``).
    covariances : FrozenMapping of str to pandas.DataFrame
        The covariance matrix of :math:`\bar\lambda` of each kind.
    lambdas : pandas.DataFrame
        The per-period cross-sectional estimates :math:`\lambda_t` (periods × terms), indexed
        like ``returns``.
    betas : pandas.DataFrame
        First-pass full-sample loadings (assets × factors).
    pricing_errors : pandas.Series
        Average pricing error of each asset, :math:`\bar R_i - x_i'\bar\lambda` (excluding
        the common intercept).
    r_squared : float
        R² of the cross-sectional regression of average returns on the betas (with intercept).
    avg_r_squared : float
        Average of the per-period cross-sectional R².
    shanken_factor : float or None
        :math:`1 + \hat\lambda_f'\hat\Sigma_f^{-1}\hat\lambda_f`; None with
        ``shanken=False``.
    maxlags : int
        Newey–West lag used for ``newey_west``.
    nobs : int
        Number of periods T (t-statistics use T − 1 degrees of freedom).
    n_assets : int
        Number of assets N.
    confidence_level : float
        Level of the intervals.
    method : str
        Description in words.
    details : FrozenMapping
        ``factor_cov`` (the sample covariance of the factors, ``ddof=1``) and ``excess``
        (whether ``risk_free`` was subtracted).
    """

    terms: tuple[str, ...]
    risk_premia: pd.Series
    std_errors: pd.DataFrame
    covariances: Mapping[str, pd.DataFrame]
    lambdas: pd.DataFrame
    betas: pd.DataFrame
    pricing_errors: pd.Series
    r_squared: float
    avg_r_squared: float
    shanken_factor: float | None
    maxlags: int
    nobs: int
    n_assets: int
    confidence_level: float
    method: str
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table: one row per term and kind of standard error.

        Columns: ``term``, ``std_error_type`` (``'fama_macbeth'``, ``'newey_west'``,
        ``'shanken'``), ``estimate``, ``std_error``, ``statistic`` (t), ``pvalue`` (two-sided,
        t with T − 1 df), ``ci_low``, ``ci_high``.
        """
        df = self.nobs - 1
        q = float(special.stdtrit(df, 0.5 + self.confidence_level / 2))
        rows = []
        premia = self.risk_premia.to_numpy(dtype=float)
        ses = self.std_errors.to_numpy(dtype=float)
        for i, term in enumerate(self.terms):
            est = float(premia[i])
            for j, kind in enumerate(self.std_errors.columns):
                se = float(ses[i, j])
                t = est / se
                rows.append(
                    {
                        "term": term,
                        "std_error_type": str(kind),
                        "estimate": est,
                        "std_error": se,
                        "statistic": t,
                        "pvalue": float(2 * special.stdtr(df, -abs(t))),
                        "ci_low": est - q * se,
                        "ci_high": est + q * se,
                    }
                )
        return pd.DataFrame(rows, columns=["term", "std_error_type", *_TIDY])

    def to_dict(self) -> dict[str, Any]:
        """Return the settings, fit statistics and the tidy table as plain values."""
        return {
            "method": self.method,
            "nobs": self.nobs,
            "n_assets": self.n_assets,
            "maxlags": self.maxlags,
            "r_squared": self.r_squared,
            "avg_r_squared": self.avg_r_squared,
            "shanken_factor": self.shanken_factor,
            "confidence_level": self.confidence_level,
            "coefficients": self.to_frame().to_dict(orient="records"),
        }

    def _wide(self) -> pd.DataFrame:
        out = pd.DataFrame({"estimate": self.risk_premia})
        for kind in self.std_errors.columns:
            out[f"t ({kind})"] = self.risk_premia / self.std_errors[kind]
        return out

    def _head(self) -> str:
        sh = "" if self.shanken_factor is None else f", Shanken factor {_fmt(self.shanken_factor)}"
        return (
            f"FamaMacBethResult: {self.n_assets} assets, T = {self.nobs}, "
            f"cross-sectional R² = {_fmt(self.r_squared)}, Newey–West lags {self.maxlags}{sh}"
        )

    def __repr__(self) -> str:
        return f"{self._head()}\n{self._wide().to_string(float_format=lambda v: f'{v:.4g}')}"

    def _repr_html_(self) -> str:
        return f"<p><b>{self._head()}</b></p>\n{self._wide().to_html(float_format='{:.4g}'.format)}"


def fama_macbeth(
    returns: Any,
    factors: Any,
    *,
    risk_free: Any = None,
    maxlags: int | None = None,
    shanken: bool = True,
    confidence_level: float = 0.95,
) -> FamaMacBethResult:
    r"""Fama–MacBeth (1973) two-pass estimates of factor risk premia.

    Parameters
    ----------
    returns : pandas DataFrame or 2-D array_like
        Per-period decimal returns of N test assets (columns) over T periods (rows); N must
        exceed the number of factors plus one. Total returns when ``risk_free`` is given,
        otherwise excess returns.
    factors : array_like, pandas Series or DataFrame
        Factor returns (or other factors), one column per factor; aligned with ``returns`` on
        dates as in :func:`factor_regression`.
    risk_free : float or array_like, optional
        Risk-free rate subtracted from ``returns``.
    maxlags : int, optional
        Lag ``L`` of the Newey–West standard errors of the risk premia; default
        ``floor(4 (T/100)^(2/9))``.
    shanken : bool
        Also compute the Shanken (1992) errors-in-variables standard errors.
    confidence_level : float
        Level of the intervals of :meth:`FamaMacBethResult.to_frame`.

    Returns
    -------
    FamaMacBethResult
        ``risk_premia``, ``std_errors`` (plain, Newey–West, Shanken), ``lambdas``, ``betas``,
        ``pricing_errors``, cross-sectional R², and ``to_frame()``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        On mismatched lengths or dates, NaN or inf, a constant or collinear factor, too few
        assets (N ≤ k + 1) or periods, collinear betas, or ``maxlags`` ≥ T.

    Warns
    -----
    LooksLikePricesWarning
        If ``returns`` looks like prices.

    Notes
    -----
    *First pass* (time series, full sample): for each asset regress
    :math:`R_{it} = a_i + \beta_i' f_t + \varepsilon_{it}` by OLS over all T periods. (Fama and
    MacBeth estimated betas on a preceding window; full-sample betas are the usual choice for
    portfolios (Cochrane 2005, §12.3) and what linearmodels' ``LinearFactorModel`` uses. A
    rolling first pass is not offered.)

    *Second pass* (cross section, each period): with :math:`X = [1, \hat B]` (N × (k+1)) and
    :math:`A = (X'X)^{-1}X'`, :math:`\hat\lambda_t = A R_t`; the risk premia are
    :math:`\bar\lambda = T^{-1}\sum_t \hat\lambda_t` (the intercept is the average pricing
    error common to all assets, the zero-beta excess return).

    *Standard errors* (all referred to t with T − 1 degrees of freedom), with
    :math:`d_t = \hat\lambda_t - \bar\lambda`:

    - Fama–MacBeth: :math:`V_{FM} = \frac{1}{T(T-1)}\sum_t d_t d_t'`;
    - Newey–West: :math:`V_{NW} = \frac{1}{T(T-1)}\bigl[\sum_t d_t d_t' + \sum_{l=1}^{L}
      (1 - \tfrac{l}{L+1}) \sum_t (d_t d_{t-l}' + d_{t-l} d_t')\bigr]`, which is
      :math:`V_{FM}` for :math:`L = 0` (linearmodels' ``FamaMacBeth`` with
      ``cov_type='kernel'``, ``debiased=True``);
    - Shanken (1992, Theorem 1; Cochrane 2005, eq. 12.19):

      .. math:: V_{Sh} = \frac{1}{T}\Bigl[(1 + c)\, A\hat\Sigma_\varepsilon A' +
                \tilde\Sigma_f\Bigr], \qquad c = \hat\lambda_f'\hat\Sigma_f^{-1}\hat\lambda_f,

      where :math:`\hat\lambda_f` are the factor premia (without the intercept),
      :math:`\hat\Sigma_f` the sample covariance of the factors, :math:`\tilde\Sigma_f` it
      bordered by a zero row and column for the intercept, and :math:`\hat\Sigma_\varepsilon =
      \hat\varepsilon'\hat\varepsilon/(T-1)` the covariance of the first-pass residuals. The
      term :math:`\tilde\Sigma_f/T` is part of the formula for any factor, traded or not.
      Because OLS residuals are orthogonal to the factors, :math:`V_{FM} = T^{-1}(A
      \hat\Sigma_\varepsilon A' + \tilde\Sigma_f)` exactly, so :math:`V_{Sh} = (1+c)(V_{FM}
      - \tilde\Sigma_f/T) + \tilde\Sigma_f/T`: the Fama–MacBeth variance net of the factor
      part is inflated by :math:`1 + c` for the estimation error in the betas. (Shanken
      divides by T rather than T − 1; the difference is a factor T/(T − 1).) The correction
      assumes errors independent over time and of the factors; the Newey–West errors do not
      include it.

    References
    ----------
    .. [1] Fama, E. F., MacBeth, J. D. (1973). Risk, return, and equilibrium: empirical
       tests. Journal of Political Economy 81(3), 607–636.
    .. [2] Shanken, J. (1992). On the estimation of beta-pricing models. Review of Financial
       Studies 5(1), 1–33.
    .. [3] Cochrane, J. H. (2005). Asset Pricing, revised edition. Princeton University
       Press. Chapter 12.
    .. [4] Goyal, A. (2012). Empirical cross-sectional asset pricing: a survey. Financial
       Markets and Portfolio Management 26, 3–38.

    Examples
    --------
    >>> from statcraft.datasets import load_fama_french_industries
    >>> from statcraft.finance.factors import fama_macbeth
    >>> ff = load_fama_french_industries()
    >>> industries = ["NoDur", "Durbl", "Manuf", "Enrgy", "Chems", "BusEq",
    ...               "Telcm", "Utils", "Shops", "Hlth", "Money", "Other"]
    >>> res = fama_macbeth(ff[industries], ff[["mkt_rf", "smb", "hml"]], risk_free=ff["rf"])
    >>> res.risk_premia.round(4)
    Intercept    0.0043
    mkt_rf       0.0029
    smb         -0.0026
    hml         -0.0017
    dtype: float64
    >>> (res.risk_premia / res.std_errors["shanken"]).round(2)
    Intercept    1.84
    mkt_rf       1.03
    smb         -1.14
    hml         -1.16
    dtype: float64
    >>> round(res.shanken_factor, 3)
    1.021
    >>> round(float(res.lambdas.loc["2008-10-01", "mkt_rf"]), 4)  # the October 2008 slope
    -0.2455
    """
    confidence_level = check_confidence_level(confidence_level)
    shanken = check_bool(shanken, "shanken")
    Y, F, index, assets, names = _prepare(returns, factors, risk_free)
    T, N = Y.shape
    k = F.shape[1]
    if k + 1 >= N:
        raise ValueError(
            f"`returns` needs more assets (columns) than the {k + 1} coefficients of the "
            f"cross-sectional regression (intercept and {k} factor{'s' if k > 1 else ''}); "
            f"got {N}"
        )
    if k + 2 >= T:
        raise ValueError(
            f"the first-pass regressions on {k} factor{'s' if k > 1 else ''} need more than "
            f"{k + 2} periods; got {T}"
        )
    _check_factor_matrix(F, names, "factors")
    lags = hac_lags(maxlags, T, unit="periods")
    # First pass: all assets at once, Z = [1, F].
    Z = np.column_stack([np.ones(T), F])
    coef, *_ = linalg.lstsq(Z, Y, check_finite=False)
    resid = Y - Z @ coef
    B = coef[1:].T  # N × k
    terms = ["Intercept", *names]
    X = np.column_stack([np.ones(N), B])
    try:
        check_full_rank(X, terms)
    except ValueError as exc:
        raise ValueError(
            "the first-pass betas are collinear across assets, so the cross-sectional "
            f"regression is not identified ({str(exc).replace('`X`', 'the design [1, betas]')})"
        ) from None
    # Second pass: lambda_t = A R_t for every t.
    Q, R = linalg.qr(X, mode="economic")
    A = linalg.solve_triangular(R, Q.T)  # (k+1) × N, (X'X)^{-1} X'
    lam = Y @ A.T  # T × (k+1)
    lam_bar = lam.mean(axis=0)
    d = lam - lam_bar
    v_fm = d.T @ d / (T * (T - 1))
    v_nw = bartlett_long_run(d, lags) / (T * (T - 1))
    covs = {"fama_macbeth": v_fm, "newey_west": v_nw}
    factor_cov = np.cov(F, rowvar=False, ddof=1).reshape(k, k)
    c_value: float | None = None
    if shanken:
        lam_f = lam_bar[1:]
        c_value = float(lam_f @ linalg.solve(factor_cov, lam_f, assume_a="pos"))
        sigma_e = resid.T @ resid / (T - 1)
        bordered = np.zeros((k + 1, k + 1))
        bordered[1:, 1:] = factor_cov
        covs["shanken"] = ((1 + c_value) * (A @ sigma_e @ A.T) + bordered) / T
    ses = pd.DataFrame(
        {kind: np.sqrt(np.diag(v)) for kind, v in covs.items()}, index=pd.Index(terms)
    )
    fitted = lam @ X.T  # T × N
    ss_res = np.sum((Y - fitted) ** 2, axis=1)
    ss_tot = np.sum((Y - Y.mean(axis=1, keepdims=True)) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2_t = 1 - ss_res / ss_tot
    mean_r = Y.mean(axis=0)
    errors = mean_r - X @ lam_bar
    r2 = 1 - float(errors @ errors) / float(np.sum((mean_r - mean_r.mean()) ** 2))
    idx = index if index is not None else pd.RangeIndex(T)
    return FamaMacBethResult(
        terms=tuple(terms),
        risk_premia=pd.Series(lam_bar, index=pd.Index(terms)),
        std_errors=ses,
        covariances=FrozenMapping(
            {kind: pd.DataFrame(v, index=terms, columns=terms) for kind, v in covs.items()}
        ),
        lambdas=pd.DataFrame(lam, index=idx, columns=terms),
        betas=pd.DataFrame(B, index=pd.Index(assets), columns=names),
        pricing_errors=pd.Series(errors, index=pd.Index(assets), name="pricing_error"),
        r_squared=r2,
        avg_r_squared=float(np.nanmean(r2_t)),
        shanken_factor=None if c_value is None else 1 + c_value,
        maxlags=lags,
        nobs=T,
        n_assets=N,
        confidence_level=confidence_level,
        method=(
            "Fama–MacBeth two-pass regression (full-sample first-pass betas; "
            f"Fama–MacBeth, Newey–West ({lags} lags)"
            + (" and Shanken standard errors)" if shanken else " standard errors)")
        ),
        details=FrozenMapping({"factor_cov": factor_cov, "excess": risk_free is not None}),
    )


# --------------------------------------------------------------------------- rolling beta
def rolling_beta(
    returns: Any,
    benchmark_or_factors: Any,
    *,
    window: int,
    min_periods: int | None = None,
) -> pd.Series | pd.DataFrame:
    r"""Betas (and alphas) of returns on a benchmark or factors over a moving window.

    Parameters
    ----------
    returns : array_like, pandas Series or DataFrame
        Per-period decimal returns of one asset, or of several (DataFrame columns).
    benchmark_or_factors : array_like, pandas Series or DataFrame
        One benchmark (a Series or 1-D array: the result holds betas only) or several factors
        (a DataFrame or 2-D array: the result holds ``alpha`` and one beta per factor, named
        by the columns). Aligned on the returns' dates when both are pandas objects.
    window : int
        Number of periods in each window, at least the number of factors plus two (the
        intercept, the slopes and one residual degree of freedom) and at most the length of
        the series.
    min_periods : int, optional
        Fewest periods for a value at the start of the series, where the window is not yet
        full (those early windows start at the first period); default ``window``, so the first
        ``window - 1`` values are NaN.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Indexed like ``returns`` (or the factors, or 0..n−1 for arrays); the value at period
        t uses the window of periods t − window + 1, …, t (inclusive; no look-ahead).

        - one asset, one benchmark: a Series of betas named ``"beta"``;
        - one asset, factors: a DataFrame with columns ``alpha`` and the factor names;
        - several assets, one benchmark: a DataFrame of betas, one column per asset;
        - several assets, factors: a DataFrame with columns ``(asset, term)``.

        Windows in which a regressor is (numerically) constant — its variance in the window
        below :math:`10^{-10}` of its full-sample variance — or the regressors are collinear
        give NaN.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        On mismatched lengths or dates, NaN or inf, or ``window``/``min_periods`` out of
        range.

    Warns
    -----
    LooksLikePricesWarning
        If ``returns`` looks like prices.

    Notes
    -----
    Each value is the OLS fit of :math:`R_s = \alpha + \beta' f_s + e_s` over the window,
    :math:`\hat\beta = S_{ff}^{-1} S_{fR}` with the within-window centred cross-products
    :math:`S_{ff} = \sum f f' - m \bar f \bar f'` and :math:`S_{fR} = \sum f R - m \bar f \bar
    R`, and :math:`\hat\alpha = \bar R - \hat\beta'\bar f`. The window sums of all
    cross-products come from differences of cumulative sums (after subtracting the
    full-sample means, which leaves the estimates unchanged and keeps the rounding error near
    machine precision), and all windows are solved in one batched call: the work is
    :math:`O(n k^2)` rather than one regression per window.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.factors import rolling_beta
    >>> market = np.array([0.01, -0.02, 0.03, 0.00, 0.02, -0.01])
    >>> asset = 0.001 + 1.5 * market + np.array([0.001, -0.001, 0.0, 0.002, -0.002, 0.0])
    >>> rolling_beta(asset, market, window=4).round(3).tolist()
    [nan, nan, nan, 1.515, 1.492, 1.46]
    """
    if isinstance(benchmark_or_factors, (pd.DataFrame,)) or np.ndim(benchmark_or_factors) == 2:
        single = False
    else:
        single = True
    name = "benchmark_or_factors"
    Y, F, index, assets, names = _prepare(returns, benchmark_or_factors, None, factors_name=name)
    n, k = F.shape
    minimum = k + 2
    w = check_int(window, "window")
    if w < minimum:
        raise ValueError(
            f"`window` must be at least {minimum} (the intercept, {k} slope"
            f"{'s' if k > 1 else ''} and one residual degree of freedom); got {w}"
        )
    if w > n:
        raise ValueError(f"`window` = {w} is longer than the series ({n} observations)")
    mp = w if min_periods is None else check_int(min_periods, "min_periods")
    if not minimum <= mp <= w:
        raise ValueError(f"`min_periods` must be between {minimum} and `window` ({w}); got {mp}")
    N = Y.shape[1]
    Xc = F - F.mean(axis=0)
    y_mean = Y.mean(axis=0)
    Yc = Y - y_mean
    # products per period: x (k), x x' (k*k), y (N), x y' (k*N)
    P = np.concatenate(
        [
            Xc,
            (Xc[:, :, None] * Xc[:, None, :]).reshape(n, k * k),
            Yc,
            (Xc[:, :, None] * Yc[:, None, :]).reshape(n, k * N),
        ],
        axis=1,
    )
    C = np.vstack([np.zeros((1, P.shape[1])), np.cumsum(P, axis=0)])
    ends = np.arange(mp - 1, n)  # last period of each window with a value
    starts = np.maximum(ends + 1 - w, 0)
    S = C[ends + 1] - C[starts]
    cnt = (ends + 1 - starts).astype(float)[:, None]
    sx = S[:, :k]
    sxx = S[:, k : k + k * k].reshape(-1, k, k)
    sy = S[:, k + k * k : k + k * k + N]
    sxy = S[:, k + k * k + N :].reshape(-1, k, N)
    mx = sx / cnt
    my = sy / cnt
    cxx = sxx - cnt[:, :, None] * mx[:, :, None] * mx[:, None, :]
    cxy = sxy - cnt[:, :, None] * mx[:, :, None] * my[:, None, :]
    cxx = (cxx + np.swapaxes(cxx, 1, 2)) / 2
    var = np.einsum("tii->ti", cxx)
    # A regressor whose within-window variance is below 1e-10 of its full-sample variance, or
    # within the rounding error of the cumulative sums, is treated as constant (NaN).
    full_var = np.sum(Xc**2, axis=0) / n
    tol = full_var * np.maximum(1e-10 * cnt, 64 * np.finfo(float).eps * (ends + 1)[:, None])
    ok = np.all(var > tol, axis=1)
    diag = np.sqrt(np.clip(var, 0.0, None))
    safe_diag = np.where(diag > 0, diag, 1.0)
    corr = cxx / (safe_diag[:, :, None] * safe_diag[:, None, :])
    if k > 1:
        ok &= np.linalg.eigvalsh(np.where(ok[:, None, None], corr, np.eye(k)))[:, 0] > 1e-10
    cxx_safe = np.where(ok[:, None, None], cxx, np.eye(k))
    beta = np.linalg.solve(cxx_safe, cxy)  # (m, k, N)
    beta[~ok] = np.nan
    alpha = (my + y_mean) - np.einsum("tk,tkn->tn", mx + F.mean(axis=0), beta)
    out_beta = np.full((n, k, N), np.nan)
    out_alpha = np.full((n, N), np.nan)
    out_beta[ends] = beta
    out_alpha[ends] = alpha
    if index is not None:
        idx: pd.Index = index
    elif isinstance(benchmark_or_factors, (pd.Series, pd.DataFrame)):
        idx = benchmark_or_factors.index
    else:
        idx = pd.RangeIndex(n)
    multi = isinstance(returns, pd.DataFrame) or (np.ndim(returns) == 2 and N > 1)
    if single:
        if not multi:
            return pd.Series(out_beta[:, 0, 0], index=idx, name="beta")
        return pd.DataFrame(out_beta[:, 0, :], index=idx, columns=assets)
    terms = ["alpha", *names]
    if not multi:
        return pd.DataFrame(
            np.column_stack([out_alpha[:, 0], out_beta[:, :, 0]]), index=idx, columns=terms
        )
    blocks = np.concatenate([out_alpha[:, None, :], out_beta], axis=1)  # (n, k+1, N)
    values = np.transpose(blocks, (0, 2, 1)).reshape(n, N * (k + 1))
    cols = pd.MultiIndex.from_product([assets, terms], names=["asset", "term"])
    return pd.DataFrame(values, index=idx, columns=cols)
