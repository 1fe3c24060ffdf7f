"""Factor models: time-series factor regressions, Fama–MacBeth, rolling betas.

Reference values come from independent implementations on the bundled Fama–French data:
statsmodels 0.15 OLS (HAC / HC covariances), linearmodels 7.1 FamaMacBeth and
LinearFactorModel, and two-pass computations written out in this file.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from statcraft.datasets import load_fama_french_industries
from statcraft.finance import LooksLikePricesWarning
from statcraft.finance.factors import (
    FactorRegressionResult,
    FamaMacBethResult,
    factor_regression,
    fama_macbeth,
    rolling_beta,
)

INDUSTRIES = [
    "NoDur", "Durbl", "Manuf", "Enrgy", "Chems", "BusEq",
    "Telcm", "Utils", "Shops", "Hlth", "Money", "Other",
]  # fmt: skip
FF3 = ["mkt_rf", "smb", "hml"]
FF4 = [*FF3, "mom"]


@pytest.fixture(scope="module")
def ff() -> pd.DataFrame:
    """Monthly FF data, indexed by date as the loader gives it."""
    return load_fama_french_industries()


@pytest.fixture(scope="module")
def excess(ff) -> pd.DataFrame:
    return ff[INDUSTRIES].sub(ff["rf"], axis=0)


def _nw_lag(n: int) -> int:
    # Newey & West (1994) rule of thumb, written out independently of statcraft
    return int(np.floor(4 * (n / 100) ** (2 / 9)))


# ============================================================================ factor_regression
def test_ff3_hac_matches_statsmodels_for_all_industries(ff, excess):
    res = factor_regression(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"])
    lag = _nw_lag(len(ff))
    assert lag == 6 and res.maxlags == 6
    X = sm.add_constant(ff[FF3])
    for asset in INDUSTRIES:
        # statsmodels 0.15: OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": 6,
        # "use_correction": False}, use_t=True) -- Bartlett kernel, no small-sample scaling,
        # t(n - 4) inference
        ref = sm.OLS(excess[asset], X).fit(
            cov_type="HAC", cov_kwds={"maxlags": lag, "use_correction": False}, use_t=True
        )
        a = res.alphas[asset]
        np.testing.assert_allclose(a.estimate, ref.params["const"], rtol=1e-10)
        np.testing.assert_allclose(a.std_error, ref.bse["const"], rtol=1e-8)
        np.testing.assert_allclose(a.details["statistic"], ref.tvalues["const"], rtol=1e-8)
        np.testing.assert_allclose(a.details["pvalue"], ref.pvalues["const"], rtol=1e-7)
        ci = ref.conf_int().loc["const"].to_numpy()
        np.testing.assert_allclose(a.confidence_interval, ci, rtol=1e-8)
        np.testing.assert_allclose(res.betas.loc[asset], ref.params[FF3], rtol=1e-10)
        np.testing.assert_allclose(res.r_squared[asset], ref.rsquared, rtol=1e-10)
        reg = res.regressions[asset].coefficients
        np.testing.assert_allclose(reg["std_error"], ref.bse, rtol=1e-8)


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
def test_ff4_other_covariances_match_statsmodels(ff, excess, cov_type):
    res = factor_regression(ff["Hlth"], ff[FF4], risk_free=ff["rf"], cov_type=cov_type)
    # statsmodels 0.15: OLS(...).fit(cov_type=cov_type, use_t=True)
    ref = sm.OLS(excess["Hlth"], sm.add_constant(ff[FF4])).fit(cov_type=cov_type, use_t=True)
    table = res.regression.coefficients
    np.testing.assert_allclose(table["estimate"], ref.params, rtol=1e-10)
    np.testing.assert_allclose(table["std_error"], ref.bse, rtol=1e-8)
    np.testing.assert_allclose(table["pvalue"], ref.pvalues, rtol=1e-6, atol=1e-300)
    assert res.maxlags is None and res.cov_type == cov_type


def test_explicit_maxlags_matches_statsmodels(ff, excess):
    res = factor_regression(ff["Enrgy"], ff["mkt_rf"], risk_free=ff["rf"], maxlags=12)
    # statsmodels 0.15, HAC with 12 Bartlett lags, use_correction=False
    ref = sm.OLS(excess["Enrgy"], sm.add_constant(ff[["mkt_rf"]])).fit(
        cov_type="HAC", cov_kwds={"maxlags": 12, "use_correction": False}, use_t=True
    )
    np.testing.assert_allclose(res.alpha.std_error, ref.bse["const"], rtol=1e-8)
    np.testing.assert_allclose(res.betas.loc["Enrgy", "mkt_rf"], ref.params["mkt_rf"])
    assert res.maxlags == 12
    assert res.factors == ("mkt_rf",)


def test_annualised_alpha_is_twelve_times_with_same_t(ff):
    res = factor_regression(ff["NoDur"], ff[FF3], risk_free=ff["rf"], periods_per_year=12)
    a, y = res.alpha, res.alphas_annualized["NoDur"]
    assert y.estimate == pytest.approx(12 * a.estimate, rel=1e-12)
    assert y.std_error == pytest.approx(12 * a.std_error, rel=1e-12)
    np.testing.assert_allclose(y.confidence_interval, np.multiply(12, a.confidence_interval))
    assert y.details["statistic"] == pytest.approx(a.details["statistic"])
    assert y.details["pvalue"] == pytest.approx(a.details["pvalue"])
    frame = res.to_frame()
    row = frame[frame["term"] == "alpha_annualized"].iloc[0]
    assert row["estimate"] == pytest.approx(y.estimate)
    assert factor_regression(ff["NoDur"], ff[FF3]).alphas_annualized is None


def test_result_shapes_names_and_tidy_frame(ff):
    res = factor_regression(ff[["NoDur", "Hlth"]], ff[FF3], risk_free=ff["rf"])
    assert isinstance(res, FactorRegressionResult)
    assert res.assets == ("NoDur", "Hlth") and res.factors == tuple(FF3)
    assert list(res.betas.columns) == FF3 and list(res.betas.index) == ["NoDur", "Hlth"]
    frame = res.to_frame()
    assert list(frame.columns) == [
        "asset", "term", "estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high",
    ]  # fmt: skip
    assert frame["term"].tolist() == ["alpha", *FF3] * 2
    assert frame["asset"].tolist() == ["NoDur"] * 4 + ["Hlth"] * 4
    hl = frame[(frame["asset"] == "Hlth") & (frame["term"] == "hml")].iloc[0]
    assert hl["estimate"] == pytest.approx(res.betas.loc["Hlth", "hml"])
    with pytest.raises(ValueError, match=r"holds 2 assets; use \.alphas"):
        _ = res.alpha
    assert "FactorRegressionResult: 2 assets" in repr(res) and "Hlth" in repr(res)
    assert "<table" in res._repr_html_()
    d = res.to_dict()
    assert d["maxlags"] == 6 and len(d["coefficients"]) == 8 and d["excess"] is True


def test_arrays_and_series_inputs_give_the_same_numbers(ff, excess):
    by_series = factor_regression(excess["Utils"], ff["mkt_rf"])
    by_array = factor_regression(excess["Utils"].to_numpy(), ff["mkt_rf"].to_numpy())
    assert by_series.assets == ("Utils",) and by_array.assets == ("asset",)
    assert by_array.factors == ("factor",)
    assert by_series.alpha.estimate == pytest.approx(by_array.alpha.estimate, rel=1e-12)
    two = factor_regression(excess["Utils"].to_numpy(), ff[FF3].to_numpy())
    assert two.factors == ("factor1", "factor2", "factor3")
    # a scalar risk-free rate is subtracted from every period
    shifted = factor_regression(excess["Utils"] + 0.001, ff["mkt_rf"], risk_free=0.001)
    assert shifted.alpha.estimate == pytest.approx(by_series.alpha.estimate, abs=1e-12)


def test_factors_over_a_longer_period_are_aligned_on_dates(ff, excess):
    sub = ff.iloc[100:300]
    res = factor_regression(sub["Money"], ff[FF3], risk_free=ff["rf"])
    ref = factor_regression(sub["Money"] - sub["rf"], sub[FF3])
    assert res.nobs == 200
    assert res.alpha.estimate == pytest.approx(ref.alpha.estimate, rel=1e-12)
    assert res.regression.residuals.index.equals(sub.index)


def test_inputs_are_not_modified(ff):
    r = ff[["NoDur", "Durbl"]].copy()
    f = ff[FF3].copy()
    rf = ff["rf"].copy()
    factor_regression(r, f, risk_free=rf, periods_per_year=12)
    fama_macbeth(ff[INDUSTRIES], f, risk_free=rf)
    rolling_beta(r, f, window=24)
    pd.testing.assert_frame_equal(r, ff[["NoDur", "Durbl"]])
    pd.testing.assert_frame_equal(f, ff[FF3])
    pd.testing.assert_series_equal(rf, ff["rf"])


def test_factor_regression_bad_input(ff):
    r, f = ff["NoDur"], ff[FF3]
    with pytest.raises(ValueError, match="`returns` and `factors` must have the same length"):
        factor_regression(r.to_numpy(), f.to_numpy()[:-1])
    shifted = f.set_axis(f.index + pd.DateOffset(days=1))
    with pytest.raises(ValueError, match="`factors` has no value for 819 of the 819 dates"):
        factor_regression(r, shifted)
    with pytest.raises(ValueError, match="`factors` has no value for 1 of"):
        factor_regression(r, f.iloc[1:])
    bad = r.copy()
    bad.iloc[5] = np.nan
    with pytest.raises(ValueError, match="`returns` has 1 NaN value"):
        factor_regression(bad, f)
    badf = f.copy()
    badf.iloc[3, 1] = np.nan
    with pytest.raises(ValueError, match="`factors` has 1 NaN value"):
        factor_regression(r, badf)
    with pytest.raises(TypeError, match="`factors` has non-numeric columns: label"):
        factor_regression(r, f.assign(label="x"))
    with pytest.raises(ValueError, match=r"'const' is constant.*collinear with the intercept"):
        factor_regression(r, f.assign(const=0.01))
    with pytest.raises(ValueError, match=r"`factors` is rank deficient.*smb, twice_smb"):
        factor_regression(r, f.assign(twice_smb=2 * f["smb"]))
    with pytest.raises(ValueError, match="reserved for the intercept"):
        factor_regression(r, f.rename(columns={"smb": "alpha"}))
    with pytest.raises(ValueError, match="dates are not in increasing order"):
        factor_regression(r.iloc[::-1], f)
    with pytest.raises(ValueError, match="`cov_type` must be one of"):
        factor_regression(r, f, cov_type="cluster")
    with pytest.raises(ValueError, match="`maxlags` is only used with cov_type='HAC'"):
        factor_regression(r, f, cov_type="HC1", maxlags=3)
    with pytest.raises(ValueError, match="`periods_per_year` must be >= 1"):
        factor_regression(r, f, periods_per_year=0)
    with pytest.raises(ValueError, match="`confidence_level` must be in"):
        factor_regression(r, f, confidence_level=1.5)
    with pytest.raises(ValueError, match="needs more than 4 periods; got 4"):
        factor_regression(r.iloc[:4], f.iloc[:4])
    with pytest.raises(TypeError, match="`returns` must be array-like"):
        factor_regression("NoDur", f)


def test_prices_passed_as_returns_warn(ff):
    prices = 100 * (1 + ff["NoDur"]).cumprod()
    with pytest.warns(LooksLikePricesWarning, match="`returns` looks like prices"):
        factor_regression(prices, ff[FF3])
    with warnings.catch_warnings():
        warnings.simplefilter("error", LooksLikePricesWarning)
        factor_regression(ff["NoDur"], ff[FF3])  # real returns do not warn


def test_hac_alpha_test_holds_its_size_under_ar1_errors():
    # Known alpha = 0 and beta = 1.2, AR(1) errors (rho = 0.3), 240 months, 300 replications.
    # The HAC t-test should reject near 5% (binomial SE 1.3%); the classical one over-rejects
    # once errors are strongly autocorrelated (rho = 0.5: long-run variance 3x the variance).
    rng = np.random.default_rng(20240801)
    n, reps = 240, 300

    def rejection(rho, cov_type, reps):
        hits = 0
        for _ in range(reps):
            f = rng.normal(0.006, 0.045, n)
            u = rng.normal(0.0, 0.02, n + 50)
            e = np.empty(n + 50)
            e[0] = u[0]
            for t in range(1, n + 50):
                e[t] = rho * e[t - 1] + u[t]
            y = 1.2 * f + e[50:]
            res = factor_regression(y, f, cov_type=cov_type)
            hits += res.alpha.details["pvalue"] < 0.05
        return hits / reps

    hac = rejection(0.3, "HAC", reps)
    assert 0.02 <= hac <= 0.11
    classical = rejection(0.5, "nonrobust", 150)
    assert classical > 0.15


@pytest.mark.slow
def test_hac_alpha_size_large_simulation():
    # 2000 replications, 480 months, rho = 0.3: rejection within 2.5 binomial SEs of ~6%
    # (Newey-West with the NW1994 lag is known to over-reject slightly in finite samples).
    rng = np.random.default_rng(7)
    n, reps, rho = 480, 2000, 0.3
    hits = 0
    for _ in range(reps):
        f = rng.normal(0.006, 0.045, n)
        u = rng.normal(0.0, 0.02, n + 50)
        e = np.empty(n + 50)
        e[0] = u[0]
        for t in range(1, n + 50):
            e[t] = rho * e[t - 1] + u[t]
        res = factor_regression(0.8 * f + e[50:], f)
        hits += res.alpha.details["pvalue"] < 0.05
    assert 0.035 <= hits / reps <= 0.085


# ============================================================================ fama_macbeth
def _two_pass(R: np.ndarray, F: np.ndarray, lag: int) -> dict[str, np.ndarray]:
    """Fama-MacBeth written out independently: statsmodels first pass, one lstsq per period."""
    T, N = R.shape
    betas, resid = [], []
    for i in range(N):
        fit = sm.OLS(R[:, i], sm.add_constant(F)).fit()
        betas.append(fit.params[1:])
        resid.append(fit.resid)
    X = np.column_stack([np.ones(N), np.array(betas)])
    lam = np.array([np.linalg.lstsq(X, R[t], rcond=None)[0] for t in range(T)])
    se_fm = lam.std(axis=0, ddof=1) / np.sqrt(T)
    # Newey-West of the mean of lambda_t from statsmodels (regression on a constant, HAC, no
    # correction): S / T^2; statcraft scales by T/(T-1) so that lag 0 gives the plain FM error
    se_nw = []
    for j in range(lam.shape[1]):
        ref = sm.OLS(lam[:, j], np.ones((T, 1))).fit(
            cov_type="HAC", cov_kwds={"maxlags": lag, "use_correction": False}
        )
        se_nw.append(ref.bse[0] * np.sqrt(T / (T - 1)))
    return {
        "lam": lam,
        "X": X,
        "resid": np.array(resid).T,
        "se_fm": se_fm,
        "se_nw": np.array(se_nw),
    }


def test_fama_macbeth_matches_direct_two_pass(ff, excess):
    res = fama_macbeth(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"])
    ref = _two_pass(excess.to_numpy(), ff[FF3].to_numpy(), lag=6)
    assert isinstance(res, FamaMacBethResult)
    np.testing.assert_allclose(res.lambdas.to_numpy(), ref["lam"], rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(res.risk_premia, ref["lam"].mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(res.std_errors["fama_macbeth"], ref["se_fm"], rtol=1e-9)
    np.testing.assert_allclose(res.std_errors["newey_west"], ref["se_nw"], rtol=1e-8)
    np.testing.assert_allclose(res.betas.to_numpy(), ref["X"][:, 1:], rtol=1e-9)
    assert res.maxlags == 6 and res.nobs == 819 and res.n_assets == 12
    assert res.lambdas.index.equals(ff.index)


def test_fama_macbeth_matches_linearmodels(ff, excess):
    lm = pytest.importorskip("linearmodels")
    res = fama_macbeth(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"])
    # Second pass in linearmodels 7.1: FamaMacBeth(dependent, exog) with the first-pass betas
    # as (entity, time) regressors; debiased=True (T - 1) is its default.
    idx = pd.MultiIndex.from_product([INDUSTRIES, excess.index], names=["entity", "time"])
    exog = pd.DataFrame(
        {"const": 1.0, **{f: np.repeat(res.betas[f].to_numpy(), len(excess)) for f in FF3}},
        index=idx,
    )
    dep = excess.stack().swaplevel().reindex(idx)
    model = lm.FamaMacBeth(dep, exog)
    plain = model.fit()
    np.testing.assert_allclose(res.risk_premia, plain.params, rtol=1e-9)
    np.testing.assert_allclose(res.std_errors["fama_macbeth"], plain.std_errors, rtol=1e-8)
    np.testing.assert_allclose(res.avg_r_squared, plain.avg_rsquared, rtol=1e-8)
    kernel = model.fit(cov_type="kernel", kernel="bartlett", bandwidth=6)
    np.testing.assert_allclose(res.std_errors["newey_west"], kernel.std_errors, rtol=1e-8)
    # LinearFactorModel (risk_free=True: a zero-beta rate) gives the same point estimates
    lfm = lm.asset_pricing.LinearFactorModel(excess, ff[FF3], risk_free=True).fit()
    np.testing.assert_allclose(res.risk_premia, lfm.risk_premia, rtol=1e-8)


def test_shanken_correction_matches_hand_formula(ff, excess):
    res = fama_macbeth(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"])
    ref = _two_pass(excess.to_numpy(), ff[FF3].to_numpy(), lag=6)
    T = len(excess)
    X = ref["X"]
    A = np.linalg.pinv(X)  # (X'X)^{-1} X'
    lam = ref["lam"].mean(axis=0)
    sigma_f = np.cov(ff[FF3].to_numpy().T)  # ddof = 1
    c = lam[1:] @ np.linalg.inv(sigma_f) @ lam[1:]
    sigma_e = ref["resid"].T @ ref["resid"] / (T - 1)
    bordered = np.zeros((4, 4))
    bordered[1:, 1:] = sigma_f
    # Shanken (1992) Theorem 1 / Cochrane (2005) eq. 12.19 with an intercept in the
    # cross-sectional regression: V = [(1 + c) A Sigma_e A' + Sigma_f~] / T
    v = ((1 + c) * A @ sigma_e @ A.T + bordered) / T
    np.testing.assert_allclose(res.std_errors["shanken"], np.sqrt(np.diag(v)), rtol=1e-8)
    np.testing.assert_allclose(res.shanken_factor, 1 + c, rtol=1e-10)
    np.testing.assert_allclose(res.covariances["shanken"].to_numpy(), v, rtol=1e-7, atol=1e-16)
    # the same through the Fama-MacBeth variance: (1 + c)(V_FM - Sigma_f~/T) + Sigma_f~/T
    v_fm = np.cov(ref["lam"].T) / T
    np.testing.assert_allclose(
        res.covariances["shanken"].to_numpy(),
        (1 + c) * (v_fm - bordered / T) + bordered / T,
        rtol=1e-7,
        atol=1e-16,
    )
    # the correction only inflates the errors
    assert np.all(res.std_errors["shanken"] >= res.std_errors["fama_macbeth"])


def test_cross_sectional_r2_and_pricing_errors(ff, excess):
    res = fama_macbeth(ff[INDUSTRIES], ff["mkt_rf"], risk_free=ff["rf"])
    # statsmodels: OLS of the average excess returns on a constant and the betas
    ref = sm.OLS(excess.mean().to_numpy(), sm.add_constant(res.betas.to_numpy())).fit()
    np.testing.assert_allclose(res.risk_premia, ref.params, rtol=1e-9)
    np.testing.assert_allclose(res.r_squared, ref.rsquared, rtol=1e-9)
    np.testing.assert_allclose(res.pricing_errors, ref.resid, rtol=1e-8, atol=1e-15)
    assert res.terms == ("Intercept", "mkt_rf")


def test_fama_macbeth_frame_and_options(ff):
    res = fama_macbeth(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"], maxlags=0)
    np.testing.assert_allclose(res.std_errors["newey_west"], res.std_errors["fama_macbeth"])
    frame = res.to_frame()
    assert list(frame.columns) == [
        "term", "std_error_type", "estimate", "std_error", "statistic", "pvalue", "ci_low",
        "ci_high",
    ]  # fmt: skip
    assert len(frame) == 4 * 3
    assert set(frame["std_error_type"]) == {"fama_macbeth", "newey_west", "shanken"}
    row = frame[(frame["term"] == "hml") & (frame["std_error_type"] == "shanken")].iloc[0]
    # t with T - 1 = 818 degrees of freedom, from scipy
    t = res.risk_premia["hml"] / res.std_errors.loc["hml", "shanken"]
    assert row["statistic"] == pytest.approx(t)
    assert row["pvalue"] == pytest.approx(2 * stats.t.sf(abs(t), 818))
    q = stats.t.ppf(0.975, 818)
    assert row["ci_low"] == pytest.approx(row["estimate"] - q * row["std_error"])
    plain = fama_macbeth(ff[INDUSTRIES], ff[FF3], risk_free=ff["rf"], shanken=False)
    assert list(plain.std_errors.columns) == ["fama_macbeth", "newey_west"]
    assert plain.shanken_factor is None and len(plain.to_frame()) == 8
    assert "FamaMacBethResult: 12 assets, T = 819" in repr(res)
    assert "<table" in res._repr_html_()
    assert res.to_dict()["n_assets"] == 12


def _shanken_coverage(reps: int, seed: int) -> dict[str, float]:
    """Coverage of 95% intervals for a traded factor's premium, Sharpe ratio 0.6 per period.

    The model holds exactly (E[R_i] = beta_i lambda, zero-beta rate 0), so lambda_f = 0.03
    is the true premium; c = (0.03/0.05)^2 = 0.36 makes the errors-in-variables term matter.
    """
    rng = np.random.default_rng(seed)
    T, N, lam, sd_f = 120, 10, 0.03, 0.05
    beta = np.linspace(0.5, 1.5, N)
    q = stats.t.ppf(0.975, T - 1)  # the t(T - 1) intervals of FamaMacBethResult.to_frame
    hits = {"fama_macbeth": 0, "shanken": 0}
    for _ in range(reps):
        f = rng.normal(lam, sd_f, T)
        R = beta[None, :] * f[:, None] + rng.normal(0.0, 0.05, (T, N))
        res = fama_macbeth(R, f, maxlags=0)
        est = res.risk_premia["factor"]
        for kind in hits:
            hits[kind] += abs(est - lam) <= q * res.std_errors.loc["factor", kind]
    return {k: v / reps for k, v in hits.items()}


def test_shanken_intervals_hold_coverage_with_a_high_sharpe_factor():
    # 600 replications: binomial SE of a 95% coverage is 0.9%
    cov = _shanken_coverage(600, seed=99)
    assert cov["shanken"] >= cov["fama_macbeth"]  # the correction only widens intervals
    assert 0.925 <= cov["shanken"] <= 0.975


@pytest.mark.slow
def test_shanken_coverage_large_simulation():
    # 5000 replications (SE 0.3%): plain Fama-MacBeth under-covers (about 93.5%), Shanken's
    # correction restores the nominal 95%.
    cov = _shanken_coverage(5000, seed=100)
    assert cov["fama_macbeth"] < 0.943
    assert 0.942 <= cov["shanken"] <= 0.958


def test_fama_macbeth_bad_input(ff):
    R, f = ff[INDUSTRIES], ff[FF3]
    with pytest.raises(ValueError, match=r"needs more assets .* than the 4 coefficients"):
        fama_macbeth(R.iloc[:, :4], f)
    with pytest.raises(ValueError, match="`maxlags` must be smaller than the number of periods"):
        fama_macbeth(R.iloc[:20], f.iloc[:20], maxlags=20)
    with pytest.raises(ValueError, match="`maxlags` must be >= 0"):
        fama_macbeth(R, f, maxlags=-1)
    bad = R.copy()
    bad.iloc[0, 0] = np.nan
    with pytest.raises(ValueError, match="`returns` has 1 NaN value"):
        fama_macbeth(bad, f)
    with pytest.raises(ValueError, match="`factors` has no value for"):
        fama_macbeth(R, f.iloc[:-3])
    with pytest.raises(ValueError, match="'hml' is constant"):
        fama_macbeth(R, f.assign(hml=0.0))
    with pytest.raises(TypeError, match="`shanken` must be True or False"):
        fama_macbeth(R, f, shanken="yes")
    # every asset has beta exactly 1: the betas are collinear with the cross-sectional intercept
    m = ff["mkt_rf"]
    same_beta = pd.DataFrame({f"a{i}": m + 0.001 * i for i in range(5)})
    with pytest.raises(ValueError, match="first-pass betas are collinear"):
        fama_macbeth(same_beta, m)
    with pytest.warns(LooksLikePricesWarning):
        fama_macbeth(100 * (1 + R).cumprod(), f)


# ============================================================================ rolling_beta
def test_rolling_ff3_matches_statsmodels_window_by_window(ff, excess):
    y, X = excess["NoDur"].iloc[:90], ff[FF3].iloc[:90]
    out = rolling_beta(y, X, window=36)
    assert list(out.columns) == ["alpha", *FF3]
    assert out.index.equals(y.index)
    assert out.iloc[:35].isna().all().all()
    for t in range(35, 90):
        # statsmodels OLS on the window ending at t (inclusive)
        ref = sm.OLS(y.iloc[t - 35 : t + 1], sm.add_constant(X.iloc[t - 35 : t + 1])).fit()
        np.testing.assert_allclose(out.iloc[t].to_numpy(), ref.params.to_numpy(), rtol=1e-9)


def test_rolling_single_beta_matches_pandas_cov_over_var(ff, excess):
    y, m = excess["Enrgy"], ff["mkt_rf"]
    out = rolling_beta(y, m, window=60)
    assert isinstance(out, pd.Series) and out.name == "beta"
    # pandas: rolling covariance over rolling variance
    ref = y.rolling(60).cov(m) / m.rolling(60).var()
    np.testing.assert_allclose(out.to_numpy(), ref.to_numpy(), rtol=1e-9, equal_nan=True)


def test_rolling_min_periods_uses_expanding_start(ff, excess):
    y, X = excess["Hlth"].iloc[:50], ff[["mkt_rf", "smb"]].iloc[:50]
    out = rolling_beta(y, X, window=30, min_periods=10)
    assert out.iloc[:9].isna().all().all() and out.iloc[9:].notna().all().all()
    for t in (9, 15, 29, 30, 49):
        lo = max(0, t - 29)
        ref = sm.OLS(y.iloc[lo : t + 1], sm.add_constant(X.iloc[lo : t + 1])).fit()
        np.testing.assert_allclose(out.iloc[t].to_numpy(), ref.params.to_numpy(), rtol=1e-9)


def test_rolling_several_assets(ff, excess):
    R = excess[["NoDur", "Money"]].iloc[:80]
    single = rolling_beta(R, ff["mkt_rf"], window=24)
    assert list(single.columns) == ["NoDur", "Money"]
    np.testing.assert_allclose(
        single["Money"], rolling_beta(R["Money"], ff["mkt_rf"], window=24), equal_nan=True
    )
    multi = rolling_beta(R, ff[FF3], window=24)
    assert multi.columns.names == ["asset", "term"]
    np.testing.assert_allclose(
        multi["NoDur"].to_numpy(),
        rolling_beta(R["NoDur"], ff[FF3], window=24).to_numpy(),
        equal_nan=True,
    )


def test_rolling_beta_has_no_look_ahead_and_nan_in_degenerate_windows():
    rng = np.random.default_rng(3)
    m = rng.normal(0, 0.04, 60)
    y = 0.9 * m + rng.normal(0, 0.01, 60)
    base = rolling_beta(y, m, window=12)
    y2 = y.copy()
    y2[40:] += 0.5  # changing later returns cannot move earlier betas (beyond rounding)
    np.testing.assert_allclose(rolling_beta(y2, m, window=12)[:40], base[:40], rtol=1e-12)
    assert isinstance(base, pd.Series) and base.index.equals(pd.RangeIndex(60))
    flat = m.copy()
    flat[20:35] = 0.0  # a benchmark that does not move for 15 periods
    out = rolling_beta(y, flat, window=12).to_numpy()
    assert np.isnan(out[31:35]).all() and np.isfinite(out[[30, 46]]).all()


def test_rolling_beta_is_accurate_on_a_long_series():
    # 20,000 periods with large means: the cumulative-sum scheme must not lose precision
    rng = np.random.default_rng(11)
    n = 20_000
    F = rng.normal(0.05, 0.01, (n, 2))
    y = 0.02 + F @ np.array([1.3, -0.4]) + rng.normal(0, 0.005, n)
    out = rolling_beta(y, F, window=250).to_numpy()
    for t in (249, 10_000, n - 1):
        Z = np.column_stack([np.ones(250), F[t - 249 : t + 1]])
        ref = np.linalg.lstsq(Z, y[t - 249 : t + 1], rcond=None)[0]
        np.testing.assert_allclose(out[t], ref, rtol=1e-9)


def test_rolling_beta_bad_input(ff):
    y, m = ff["NoDur"], ff["mkt_rf"]
    with pytest.raises(ValueError, match=r"`window` = 900 is longer than the series \(819"):
        rolling_beta(y, m, window=900)
    with pytest.raises(ValueError, match="`window` must be at least 3"):
        rolling_beta(y, m, window=2)
    with pytest.raises(ValueError, match=r"`window` must be at least 5 .*3 slopes"):
        rolling_beta(y, ff[FF3], window=4)
    with pytest.raises(ValueError, match="`min_periods` must be between 3 and `window`"):
        rolling_beta(y, m, window=10, min_periods=11)
    with pytest.raises(TypeError, match="`window` must be an integer"):
        rolling_beta(y, m, window="36")
    with pytest.raises(ValueError, match="`returns` and `benchmark_or_factors` must have the same"):
        rolling_beta(y.to_numpy(), m.to_numpy()[:-1], window=12)
    with pytest.raises(ValueError, match="`benchmark_or_factors` has no value for"):
        rolling_beta(y, m.iloc[10:], window=12)
    bad = m.copy()
    bad.iloc[100] = np.nan
    with pytest.raises(ValueError, match="`benchmark_or_factors` has 1 NaN value"):
        rolling_beta(y, bad, window=12)
    with pytest.warns(LooksLikePricesWarning):
        rolling_beta(100 * (1 + y).cumprod(), m, window=12)


def test_nw_lag_rule_documented_value():
    # floor(4 (819/100)^(2/9)) = floor(6.0...) -- the lag used for the monthly FF sample
    assert _nw_lag(819) == 6
    assert math.floor(4 * (240 / 100) ** (2 / 9)) == 4
