"""Tests of statcraft.estimators.regression.ols against R (lm, sandwich, lmtest) and statsmodels."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import statcraft as sc
from statcraft.estimators._covariance import newey_west_lags
from statcraft.results import TestResult

# ---------------------------------------------------------------------------------------------
# Data sets typed from their R documentation
# ---------------------------------------------------------------------------------------------

# R datasets::cars (Ezekiel 1930), 50 rows.
CARS_SPEED = [4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14,
              14, 15, 15, 15, 16, 16, 17, 17, 17, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20,
              22, 23, 24, 24, 24, 24, 25]  # fmt: skip
CARS_DIST = [2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60,
             80, 20, 26, 54, 32, 40, 32, 40, 50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64,
             66, 54, 70, 92, 93, 120, 85]  # fmt: skip

# sandwich::PublicSchools (Greene 1993, Table 14.1), 51 states in sandwich's row order;
# Wisconsin's expenditure is missing (NaN).
PS_EXPENDITURE = [275, 821, 339, 275, 387, 452, 531, 424, 316, 265, 403, 304, 437, 345, 431, 355,
                  260, 316, 327, 427, 427, 466, 477, 259, 274, 433, 294, 359, 279, 423, 388, 447,
                  335, 311, 322, 320, 397, 412, 342, 315, 321, 268, 315, 417, 353, 356, 415, 428,
                  320, np.nan, 500]  # fmt: skip
PS_INCOME = [6247, 10851, 7374, 6183, 8850, 8001, 8914, 8604, 7505, 6700, 8380, 6813, 8745, 7696,
             7873, 8001, 6615, 6640, 6333, 8306, 8063, 8442, 7847, 5736, 7342, 7051, 7391, 9032,
             7277, 8818, 6505, 8267, 6607, 7478, 7812, 6951, 7839, 7733, 7526, 6242, 6841, 6489,
             7697, 6622, 6541, 7624, 8450, 10022, 6456, 7597, 9096]  # fmt: skip

# sandwich::Investment (Greene 1993, Table 15.1), 1963-1982.
INV_GNP = [596.7, 637.7, 691.1, 756, 799.6, 873.4, 944, 992.7, 1077.6, 1185.9, 1326.4, 1434.2,
           1549.2, 1718, 1918.3, 2163.9, 2417.8, 2631.7, 2954.1, 3073]  # fmt: skip
INV_INVESTMENT = [90.9, 97.4, 113.5, 125.7, 122.8, 133.3, 149.3, 144.2, 166.4, 195, 229.8, 228.7,
                  206.1, 257.9, 324.1, 386.6, 423, 401.9, 474.9, 414.5]  # fmt: skip
INV_PRICE = [0.7167, 0.7277, 0.7436, 0.7676, 0.7906, 0.8254, 0.8679, 0.9145, 0.9601, 1, 1.0575,
             1.1508, 1.2579, 1.3234, 1.4005, 1.5042, 1.6342, 1.7842, 1.9514, 2.0688]  # fmt: skip
INV_INTEREST = [3.23, 3.55, 4.04, 4.5, 4.19, 5.16, 5.87, 5.95, 4.88, 4.5, 6.44, 7.83, 6.25, 5.5,
                5.46, 7.46, 10.28, 11.77, 13.42, 11.02]  # fmt: skip


@pytest.fixture
def cars():
    return pd.DataFrame({"speed": CARS_SPEED, "dist": CARS_DIST})


@pytest.fixture
def schools():
    """``ps`` of ?PublicSchools: Income scaled by 1e-4, with the quadratic term; NaN kept."""
    income = np.array(PS_INCOME) * 1e-4
    X = pd.DataFrame({"Income": income, "I(Income^2)": income**2})
    return pd.Series(PS_EXPENDITURE, name="Expenditure"), X


@pytest.fixture
def investment():
    d = pd.DataFrame(
        {
            "GNP": INV_GNP,
            "Investment": INV_INVESTMENT,
            "Price": INV_PRICE,
            "Interest": INV_INTEREST,
        },
        index=range(1963, 1983),
    )
    d["RealGNP"] = d.GNP / d.Price
    d["RealInv"] = d.Investment / d.Price
    d["RealInt"] = d.Interest - 100 * d.Price.diff() / d.Price.shift()
    return d.dropna()


def table(res, column):
    return res.coefficients[column].to_numpy()


# ---------------------------------------------------------------------------------------------
# Published R outputs
# ---------------------------------------------------------------------------------------------


def test_cars_matches_r_summary_lm(cars):
    # R: summary(lm(dist ~ speed, data = cars))
    #   (Intercept) -17.5791  6.7584 -2.601  0.0123;  speed 3.9324 0.4155 9.464 1.49e-12
    #   Residual standard error: 15.38 on 48 degrees of freedom
    #   Multiple R-squared: 0.6511, Adjusted R-squared: 0.6438
    #   F-statistic: 89.57 on 1 and 48 DF, p-value: 1.49e-12
    res = sc.ols(cars[["speed"]], cars["dist"])
    assert res.terms == ("Intercept", "speed")
    np.testing.assert_allclose(table(res, "estimate"), [-17.5791, 3.9324], atol=5e-5)
    np.testing.assert_allclose(table(res, "std_error"), [6.7584, 0.4155], atol=5e-5)
    np.testing.assert_allclose(table(res, "statistic"), [-2.601, 9.464], atol=5e-4)
    np.testing.assert_allclose(table(res, "pvalue"), [0.0123, 1.49e-12], rtol=5e-3)
    assert res.residual_std_error == pytest.approx(15.38, abs=5e-3)
    assert res.df_resid == 48 and res.nobs == 50 and res.df_model == 1
    assert res.r_squared == pytest.approx(0.6511, abs=5e-5)
    assert res.adj_r_squared == pytest.approx(0.6438, abs=5e-5)
    assert res.f_test.statistic == pytest.approx(89.57, abs=5e-3)
    assert res.f_test.df == (1.0, 48.0)
    assert res.f_test.pvalue == pytest.approx(1.49e-12, rel=5e-3)
    # R: confint(lm(dist ~ speed, cars)) -> -31.167850 -3.990340; 3.096964 4.767853
    np.testing.assert_allclose(table(res, "ci_low"), [-31.167850, 3.096964], atol=5e-6)
    np.testing.assert_allclose(table(res, "ci_high"), [-3.990340, 4.767853], atol=5e-6)


def test_public_schools_lm_and_classical_se(schools):
    # sandwich ?PublicSchools (tests/Examples/sandwich-Ex.Rout.save):
    #   fmq <- lm(Expenditure ~ Income + I(Income^2), data = ps); summary(fmq)
    #   coef(fmq): 832.9144 -1834.2029 1587.0423
    #   sqrt(diag(vcovHC(fmq, type = "const"))): 327.2925 828.9855 519.0768
    #   t value 2.545 -2.213 3.057; Pr(>|t|) 0.01428 0.03182 0.00368
    #   Residual standard error: 56.68 on 47 df; R-squared 0.6553, adjusted 0.6407
    #   F-statistic: 44.68 on 2 and 47 DF, p-value: 1.345e-11
    y, X = schools
    res = sc.ols(X, y, nan_policy="omit")
    assert res.nobs == 50
    np.testing.assert_allclose(table(res, "estimate"), [832.9144, -1834.2029, 1587.0423], atol=5e-5)
    np.testing.assert_allclose(table(res, "std_error"), [327.2925, 828.9855, 519.0768], atol=5e-5)
    np.testing.assert_allclose(table(res, "statistic"), [2.545, -2.213, 3.057], atol=5e-4)
    np.testing.assert_allclose(table(res, "pvalue"), [0.01428, 0.03182, 0.00368], rtol=2e-3)
    assert res.residual_std_error == pytest.approx(56.68, abs=5e-3)
    assert res.r_squared == pytest.approx(0.6553, abs=5e-5)
    assert res.adj_r_squared == pytest.approx(0.6407, abs=5e-5)
    assert res.f_test.statistic == pytest.approx(44.68, abs=5e-3)
    assert res.f_test.pvalue == pytest.approx(1.345e-11, rel=5e-4)


def test_public_schools_hc0_and_hc4_match_sandwich_vignette(schools):
    # sandwich vignette (vignettes/sandwich.Rout.save, Zeileis 2004 JSS Sec. 4.1):
    # coeftest(fm.ps, df = Inf, vcov = vcovHC(fm.ps, type = "HC0"))
    #   Std. Error 460.89 1243.04 829.99; z 1.8072 -1.4756 1.9121; p 0.07073 0.14006 0.05586
    # and ?PublicSchools: sqrt(diag(vcovHC(fmq, type = "HC0"))) -> 460.8917 1243.0430 829.9927
    y, X = schools
    hc0 = sc.ols(X, y, cov_type="HC0", nan_policy="omit", use_t=False)
    np.testing.assert_allclose(table(hc0, "std_error"), [460.8917, 1243.0430, 829.9927], atol=5e-5)
    np.testing.assert_allclose(table(hc0, "statistic"), [1.8072, -1.4756, 1.9121], atol=5e-5)
    np.testing.assert_allclose(table(hc0, "pvalue"), [0.07073, 0.14006, 0.05586], atol=5e-6)
    # coeftest(fm.ps, df = Inf, vcov = vcovHC(fm.ps, type = "HC4"))
    #   Std. Error 3008.01 8183.19 5488.93; z 0.2769 -0.2241 0.2891; p 0.7819 0.8226 0.7725
    hc4 = sc.ols(X, y, cov_type="HC4", nan_policy="omit", use_t=False)
    np.testing.assert_allclose(table(hc4, "std_error"), [3008.01, 8183.19, 5488.93], atol=5e-3)
    np.testing.assert_allclose(table(hc4, "statistic"), [0.2769, -0.2241, 0.2891], atol=5e-5)
    np.testing.assert_allclose(table(hc4, "pvalue"), [0.7819, 0.8226, 0.7725], atol=5e-5)
    # hcci::QT(model_2, hc = 4) prints the HC4 statistics 0.2768988 0.2241427 0.2891351
    np.testing.assert_allclose(
        np.abs(table(hc4, "statistic")), [0.2768988, 0.2241427, 0.2891351], atol=5e-8
    )


def test_public_schools_hc4_without_alaska_matches_cribari_neto(schools):
    # ?PublicSchools (Cribari-Neto 2004, Table 8), last printed value of sandwich-Ex.Rout.save:
    # fmq1 <- lm(Expenditure ~ Income + I(Income^2), data = ps[-2,])
    # coeftest(fmq1, df = Inf, vcov = vcovHC(fmq1, type = "HC4"))[3,4] -> 0.8923303
    # Table 8 reports the p-value of I(Income^2); Alaska is row 2 of ps.
    y, X = schools
    keep = np.arange(len(y)) != 1
    res = sc.ols(X[keep], y[keep], cov_type="HC4", nan_policy="omit", use_t=False)
    assert res.coefficients.loc["I(Income^2)", "pvalue"] == pytest.approx(0.8923303, abs=5e-8)


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
def test_public_schools_hc_matches_statsmodels(schools, cov_type):
    # statsmodels OLS(...).fit(cov_type=..., use_t=True): an independent implementation.
    y, X = schools
    res = sc.ols(X, y, cov_type=cov_type, nan_policy="omit")
    ok = y.notna()
    ref = sm.OLS(y[ok], sm.add_constant(X[ok])).fit(cov_type=cov_type, use_t=True)
    np.testing.assert_allclose(res.cov.to_numpy(), ref.cov_params().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table(res, "pvalue"), ref.pvalues.to_numpy(), rtol=1e-7)
    np.testing.assert_allclose(table(res, "ci_low"), ref.conf_int()[0].to_numpy(), rtol=1e-9)
    # statsmodels' fvalue under a robust covariance is the Wald F test of all slopes
    assert res.f_test.statistic == pytest.approx(float(ref.fvalue), rel=1e-9)
    assert res.f_test.pvalue == pytest.approx(float(ref.f_pvalue), rel=1e-7)


def test_investment_newey_west_matches_sandwich(investment):
    # sandwich ?NeweyWest (tests/Examples/sandwich-Ex.Rout.save):
    # fm <- lm(RealInv ~ RealGNP + RealInt, data = Investment)
    # NeweyWest(fm, lag = 4, prewhite = FALSE)
    expected = np.array(
        [
            [359.4170681, -0.3115505035, -4.089319305],
            [-0.3115505, 0.0002805888, -0.005355931],
            [-4.0893193, -0.0053559312, 11.171472998],
        ]
    )
    res = sc.ols(investment[["RealGNP", "RealInt"]], investment["RealInv"], cov_type="HAC",
                 maxlags=4, use_t=False)  # fmt: skip
    np.testing.assert_allclose(res.cov.to_numpy(), expected, rtol=5e-7)
    assert res.details["maxlags"] == 4
    # vignette: coeftest(fm.inv, df = Inf, vcov = NeweyWest(fm.inv, lag = 4, prewhite = FALSE))
    #   Std. Error 18.958298 0.016751 3.342375; z -0.6611 10.0972 -0.2996; p 0.5085 <2e-16 0.7645
    np.testing.assert_allclose(table(res, "std_error"), [18.958298, 0.016751, 3.342375], atol=5e-7)
    np.testing.assert_allclose(table(res, "statistic"), [-0.6611, 10.0972, -0.2996], atol=5e-5)
    np.testing.assert_allclose(table(res, "pvalue")[[0, 2]], [0.5085, 0.7645], atol=5e-5)
    # summary(fm): -12.53360 0.16914 -1.00144, SE 24.91527 0.02057 2.36875, 17.21 on 16 df,
    # R-squared 0.8141, adjusted 0.7908, F-statistic 35.03 on 2 and 16 DF, p-value 1.429e-06
    cl = sc.ols(investment[["RealGNP", "RealInt"]], investment["RealInv"])
    np.testing.assert_allclose(table(cl, "estimate"), [-12.53360, 0.16914, -1.00144], atol=5e-6)
    np.testing.assert_allclose(table(cl, "std_error"), [24.91527, 0.02057, 2.36875], atol=5e-6)
    assert cl.residual_std_error == pytest.approx(17.21, abs=5e-3)
    assert (cl.r_squared, cl.adj_r_squared) == pytest.approx((0.8141, 0.7908), abs=5e-5)
    assert cl.f_test.pvalue == pytest.approx(1.429e-6, rel=5e-4)


# ---------------------------------------------------------------------------------------------
# Realistic data against statsmodels (independent implementation)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def factor_data():
    d = sc.datasets.load_fama_french_industries()
    y = (d["Money"] - d["rf"]).rename("Money_rf")
    return y, d[["mkt_rf", "smb", "hml", "mom"]]


@pytest.mark.parametrize("maxlags", [0, 1, 6, None])
def test_factor_model_hac_matches_statsmodels(factor_data, maxlags):
    # statsmodels: OLS(y, add_constant(X)).fit(cov_type='HAC', cov_kwds={'maxlags': L}, use_t=True)
    y, X = factor_data
    res = sc.ols(X, y, cov_type="HAC", maxlags=maxlags)
    lags = newey_west_lags(len(y)) if maxlags is None else maxlags
    assert res.details["maxlags"] == lags
    ref = sm.OLS(y, sm.add_constant(X)).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    np.testing.assert_allclose(res.cov.to_numpy(), ref.cov_params().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table(res, "pvalue"), ref.pvalues.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(table(res, "ci_high"), ref.conf_int()[1].to_numpy(), rtol=1e-9)
    # Wald test of alpha = 0 and of equal smb/hml loadings against statsmodels' t_test/f_test
    a = res.wald_test("Intercept")
    ref_a = ref.t_test("const = 0")
    assert a.statistic == pytest.approx(float(ref_a.tvalue.item()) ** 2, rel=1e-9)
    assert a.pvalue == pytest.approx(float(ref_a.pvalue), rel=1e-7)
    assert a.estimate.estimate == pytest.approx(float(ref.params["const"]), rel=1e-12)
    eq = res.wald_test({"smb": 1, "hml": -1})
    ref_eq = ref.f_test("smb - hml = 0")
    assert eq.statistic == pytest.approx(float(ref_eq.fvalue), rel=1e-9)
    assert eq.pvalue == pytest.approx(float(ref_eq.pvalue), rel=1e-7)


def test_default_lag_rule():
    # floor(4 (n/100)^(2/9)): sandwich vcovPL(lag = "NW1994"); n = 100 -> 4, n = 819 -> 6
    assert [newey_west_lags(n) for n in (10, 50, 100, 819, 5000)] == [2, 3, 4, 6, 9]


def test_cluster_matches_statsmodels_cr1():
    # statsmodels cov_type='cluster' (use_correction=True: G/(G-1) (n-1)/(n-k)), use_t=True
    # uses t with G - 1 degrees of freedom, as statcraft.
    d = sc.datasets.load_diabetes()
    X = d[["age", "bmi", "bp", "s5"]]
    groups = (d["age"] // 10).astype(int).astype(str)  # age decades as clusters, strings
    res = sc.ols(X, d["target"], cov_type="cluster", groups=groups)
    codes = pd.factorize(groups)[0]
    ref = sm.OLS(d["target"], sm.add_constant(X)).fit(
        cov_type="cluster", cov_kwds={"groups": codes}, use_t=True
    )
    np.testing.assert_allclose(res.cov.to_numpy(), ref.cov_params().to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table(res, "pvalue"), ref.pvalues.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(table(res, "ci_low"), ref.conf_int()[0].to_numpy(), rtol=1e-9)
    assert res.df_inference == groups.nunique() - 1
    assert res.details["n_groups"] == groups.nunique()
    assert res.f_test.statistic == pytest.approx(float(ref.fvalue), rel=1e-9)


def test_diabetes_classical_matches_statsmodels():
    d = sc.datasets.load_diabetes()
    X = d.drop(columns="target")
    res = sc.ols(X, d["target"], confidence_level=0.9)
    ref = sm.OLS(d["target"], sm.add_constant(X)).fit()
    np.testing.assert_allclose(table(res, "estimate"), ref.params.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table(res, "std_error"), ref.bse.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table(res, "ci_low"), ref.conf_int(0.1)[0].to_numpy(), rtol=1e-9)
    assert res.r_squared == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.adj_r_squared == pytest.approx(ref.rsquared_adj, rel=1e-12)
    assert res.f_test.statistic == pytest.approx(ref.fvalue, rel=1e-9)
    np.testing.assert_allclose(res.residuals.to_numpy(), ref.resid.to_numpy(), atol=1e-8)
    np.testing.assert_allclose(res.fitted.to_numpy(), ref.fittedvalues.to_numpy(), rtol=1e-12)
    # a joint test of three coefficients against statsmodels' f_test
    w = res.wald_test(["s1", "s2", "s3"])
    ref_w = ref.f_test("s1 = 0, s2 = 0, s3 = 0")
    assert w.statistic == pytest.approx(float(ref_w.fvalue), rel=1e-9)
    assert w.pvalue == pytest.approx(float(ref_w.pvalue), rel=1e-7)
    assert w.df == (3.0, float(res.df_resid))
    # the same with a matrix R and a right-hand side q
    R = np.zeros((2, len(res.terms)))
    R[0, res.terms.index("bmi")] = 1
    R[1, res.terms.index("bp")] = 1
    w2 = res.wald_test(R, q=[5.0, 1.0])
    ref_w2 = ref.f_test((R, np.array([5.0, 1.0])))
    assert w2.statistic == pytest.approx(float(ref_w2.fvalue), rel=1e-9)


def test_predict_intervals_match_statsmodels(cars):
    # statsmodels get_prediction(...).summary_frame(alpha=0.1): mean_ci_* and obs_ci_*
    res = sc.ols(cars[["speed"]], cars["dist"], confidence_level=0.9)
    new = pd.DataFrame({"speed": [5.0, 12.5, 21.0, 30.0]}, index=list("abcd"))
    ref = sm.OLS(cars["dist"], sm.add_constant(cars[["speed"]])).fit()
    frame = ref.get_prediction(sm.add_constant(new, has_constant="add")).summary_frame(alpha=0.1)
    conf = res.predict(new, interval="confidence")
    pred = res.predict(new, interval="prediction")
    assert list(conf.index) == list("abcd")
    assert list(conf.columns) == ["prediction", "std_error", "ci_low", "ci_high"]
    np.testing.assert_allclose(conf["prediction"], frame["mean"], rtol=1e-12)
    np.testing.assert_allclose(conf["std_error"], frame["mean_se"], rtol=1e-10)
    np.testing.assert_allclose(conf["ci_low"], frame["mean_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(pred["ci_low"], frame["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(pred["ci_high"], frame["obs_ci_upper"], rtol=1e-10)
    # R: predict(lm(dist ~ speed, cars), data.frame(speed = 21)) -> 65.00149
    assert res.predict(new).loc["c"] == pytest.approx(65.00149, abs=5e-6)
    # a 95% interval on request; plain arrays give arrays
    wider = res.predict(new, interval="confidence", confidence_level=0.95)
    assert (wider["ci_low"] < conf["ci_low"]).all()
    assert isinstance(res.predict([5.0, 12.5]), np.ndarray)


def test_predict_reorders_dataframe_columns_and_robust_confidence(factor_data):
    y, X = factor_data
    res = sc.ols(X, y, cov_type="HC3")
    new = X.iloc[:5][["mom", "hml", "mkt_rf", "smb"]]
    np.testing.assert_allclose(res.predict(new).to_numpy(), res.fitted.iloc[:5].to_numpy())
    ref = sm.OLS(y, sm.add_constant(X)).fit(cov_type="HC3", use_t=True)
    frame = ref.get_prediction(sm.add_constant(X.iloc[:5], has_constant="add")).summary_frame()
    conf = res.predict(new, interval="confidence")
    np.testing.assert_allclose(conf["std_error"], frame["mean_se"], rtol=1e-9)
    np.testing.assert_allclose(conf["ci_high"], frame["mean_ci_upper"], rtol=1e-9)


def test_names_index_and_nan_omit(schools):
    y, X = schools
    res = sc.ols(X, y, nan_policy="omit")
    assert res.terms == ("Intercept", "Income", "I(Income^2)")
    assert 49 not in res.residuals.index and len(res.residuals) == 50  # Wisconsin dropped
    dropped = sc.ols(X.drop(index=49), y.drop(index=49))
    pd.testing.assert_frame_equal(res.coefficients, dropped.coefficients)
    arr = sc.ols(X.to_numpy()[:49], y.to_numpy()[:49])
    assert arr.terms == ("Intercept", "x1", "x2")
    one = sc.ols(CARS_SPEED, CARS_DIST)
    assert one.terms == ("Intercept", "x1")
    series = sc.ols(pd.Series(CARS_SPEED, name="speed"), pd.Series(CARS_DIST))
    assert series.terms == ("Intercept", "speed")
    # NaN in X (not y) is dropped too
    Xn = X.copy()
    Xn.iloc[3, 0] = np.nan
    assert sc.ols(Xn, y, nan_policy="omit").nobs == 49


def test_no_intercept_uses_uncentred_r2_like_r_and_statsmodels(cars):
    # R's summary(lm(dist ~ 0 + speed)) and statsmodels without a constant: uncentred R²
    res = sc.ols(cars[["speed"]], cars["dist"], add_intercept=False)
    ref = sm.OLS(cars["dist"], cars[["speed"]]).fit()
    assert res.terms == ("speed",)
    assert res.r_squared == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.adj_r_squared == pytest.approx(ref.rsquared_adj, rel=1e-12)
    assert res.f_test.statistic == pytest.approx(ref.fvalue, rel=1e-9)
    # a user-supplied constant column counts as the constant (statsmodels detects it too)
    Xc = sm.add_constant(cars[["speed"]])
    own = sc.ols(Xc, cars["dist"], add_intercept=False)
    assert own.r_squared == pytest.approx(0.6511, abs=5e-5)
    assert own.df_model == 1 and own.f_test.statistic == pytest.approx(89.57, abs=5e-3)


def test_result_is_frozen_and_renders(schools):
    y, X = schools
    res = sc.ols(X, y, cov_type="HC3", nan_policy="omit")
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.r_squared = 1.0
    text = repr(res)
    assert "HC3" in text and "Intercept" in text and "I(Income^2)" in text and "R² = 0.6553" in text
    assert "<table" in res._repr_html_()
    d = res.to_dict()
    assert d["nobs"] == 50 and d["cov_type"] == "HC3"
    assert d["coefficients"]["Income"]["estimate"] == pytest.approx(-1834.2029, abs=5e-5)
    assert isinstance(d["r_squared"], float)
    frame = res.to_frame()
    assert list(frame.columns) == [
        "estimate",
        "std_error",
        "statistic",
        "pvalue",
        "ci_low",
        "ci_high",
    ]
    frame.iloc[0, 0] = 0.0  # a copy: the result is unchanged
    assert res.coefficients.iloc[0, 0] != 0.0
    assert isinstance(res.f_test, TestResult)
    assert res.params["Income"] == pytest.approx(-1834.2029, abs=5e-5)


def test_intercept_only_model_has_no_f_test(cars):
    res = sc.ols(np.ones((50, 1)), cars["dist"], add_intercept=False)
    assert res.f_test is None and res.df_model == 0
    # the intercept-only estimate is the mean with the t interval
    assert res.coefficients.loc["x1", "estimate"] == pytest.approx(np.mean(CARS_DIST))


def test_inputs_not_modified(schools):
    y, X = schools
    y0, X0 = y.copy(), X.copy()
    groups = np.repeat(np.arange(10), 6)[:51]
    g0 = groups.copy()
    sc.ols(X, y, cov_type="cluster", groups=groups, nan_policy="omit")
    pd.testing.assert_series_equal(y, y0)
    pd.testing.assert_frame_equal(X, X0)
    np.testing.assert_array_equal(groups, g0)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_bad_input_shapes_and_values(cars):
    y, X = cars["dist"], cars[["speed"]]
    with pytest.raises(ValueError, match="`y` and `X` must have the same length; got 49 and 50"):
        sc.ols(X, y[:-1])
    with pytest.raises(ValueError, match="`y` has 1 NaN value; pass nan_policy='omit'"):
        sc.ols(X, y.where(y != 2))
    with pytest.raises(ValueError, match="`X` has 1 NaN value"):
        sc.ols(X.mask(X == 25), y)
    with pytest.raises(ValueError, match="`y` has 1 infinite value"):
        sc.ols(X, y.replace(120, np.inf))
    with pytest.raises(ValueError, match="`X` has 1 infinite value"):
        sc.ols(X.replace(25, np.inf), y)
    with pytest.raises(ValueError, match="`y` is empty"):
        sc.ols([], [])
    with pytest.raises(ValueError, match="`y` is all NaN"):
        sc.ols([1, 2, 3], [np.nan] * 3)
    with pytest.raises(ValueError, match="no observation has `y` and all of `X` non-NaN"):
        sc.ols([1.0, np.nan, np.nan], [np.nan, 1.0, 2.0], nan_policy="omit")
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'omit'"):
        sc.ols(X, y, nan_policy="propagate")


def test_bad_input_types_name_the_columns(cars):
    frame = cars.assign(colour=["red"] * 50, brand=["x"] * 50)
    with pytest.raises(TypeError, match="`X` has non-numeric columns: colour, brand"):
        sc.ols(frame[["speed", "colour", "brand"]], frame["dist"])
    with pytest.raises(TypeError, match="`y` must contain numbers"):
        sc.ols([1, 2, 3], ["a", "b", "c"])
    with pytest.raises(TypeError, match="`y` must be array-like of numbers; got a string"):
        sc.ols([1, 2, 3], "abc")
    with pytest.raises(TypeError, match="`add_intercept` must be True or False"):
        sc.ols(cars[["speed"]], cars["dist"], add_intercept="yes")
    with pytest.raises(TypeError, match="`use_t` must be True or False"):
        sc.ols(cars[["speed"]], cars["dist"], use_t=1)


def test_too_few_observations_and_collinearity():
    with pytest.raises(ValueError, match="more observations than coefficients; got 3 observations "
                       "for 3 coefficients"):  # fmt: skip
        sc.ols([[1, 0], [2, 1], [3, 5]], [1.0, 2.0, 4.0])
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=20), "b": rng.normal(size=20), "c": rng.normal(size=20)})
    X["d"] = 2 * X["a"] - X["b"]
    with pytest.raises(ValueError, match=r"rank deficient \(rank 4 for 5 coefficients\): the "
                       r"columns a, b, d are linearly dependent"):  # fmt: skip
        sc.ols(X, rng.normal(size=20))
    with pytest.raises(ValueError, match="the columns Intercept, k are linearly dependent"):
        sc.ols(X[["a"]].assign(k=3.0), rng.normal(size=20))
    with pytest.raises(ValueError, match="all-zero column"):
        sc.ols(X[["a"]].assign(z=0.0), rng.normal(size=20))
    with pytest.raises(ValueError, match="duplicate column names: a"):
        sc.ols(pd.concat([X["a"], X["a"]], axis=1), rng.normal(size=20))
    with pytest.raises(ValueError, match="column named 'Intercept'"):
        sc.ols(X[["a"]].rename(columns={"a": "Intercept"}), rng.normal(size=20))


def test_constant_y_and_exact_fit_raise():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match=r"`y` is constant .*the fit is exact"):
        sc.ols(x, np.full(10, 3.0))
    with pytest.raises(ValueError, match="the fit is exact"):
        sc.ols(x, 1 + 2 * x)
    # without a constant term, a constant response is a legitimate (if odd) fit
    res = sc.ols(x + 1, np.full(10, 3.0), add_intercept=False)
    assert res.residual_std_error > 0


def test_covariance_options_are_checked(cars):
    y, X = cars["dist"], cars[["speed"]]
    with pytest.raises(ValueError, match="`cov_type` must be one of 'nonrobust', 'HC0'"):
        sc.ols(X, y, cov_type="HC5")
    with pytest.raises(ValueError, match="cov_type='cluster' needs `groups`"):
        sc.ols(X, y, cov_type="cluster")
    with pytest.raises(ValueError, match="`groups` must have one entry per observation; got 49"):
        sc.ols(X, y, cov_type="cluster", groups=np.arange(49) % 5)
    with pytest.raises(ValueError, match="`groups` has 1 missing label"):
        sc.ols(X, y, cov_type="cluster", groups=[None] + ["a", "b"] * 24 + ["c"])
    with pytest.raises(ValueError, match="at least 2 clusters"):
        sc.ols(X, y, cov_type="cluster", groups=["a"] * 50)
    with pytest.raises(ValueError, match="`groups` is only used with cov_type='cluster'"):
        sc.ols(X, y, cov_type="HC1", groups=np.arange(50) % 5)
    with pytest.raises(ValueError, match="`maxlags` must be >= 0; got -1"):
        sc.ols(X, y, cov_type="HAC", maxlags=-1)
    with pytest.raises(ValueError, match="`maxlags` must be smaller than the number"):
        sc.ols(X, y, cov_type="HAC", maxlags=50)
    with pytest.raises(ValueError, match="`maxlags` is only used with cov_type='HAC'"):
        sc.ols(X, y, maxlags=3)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\); got 1.5"):
        sc.ols(X, y, confidence_level=1.5)


def test_leverage_one_is_rejected_for_hc2_to_hc4():
    # a dummy for a single observation gives it leverage 1
    x = np.arange(8.0)
    d = np.zeros(8)
    d[3] = 1
    y = np.array([1.0, 2.5, 2.9, 7.0, 5.2, 5.8, 7.1, 8.3])
    with pytest.raises(ValueError, match=r"HC3 is undefined: observation\(s\) 3 have leverage 1"):
        sc.ols(np.column_stack([x, d]), y, cov_type="HC3")
    assert sc.ols(np.column_stack([x, d]), y, cov_type="HC0").nobs == 8


def test_predict_and_wald_bad_input(cars):
    res = sc.ols(cars[["speed"]], cars["dist"])
    with pytest.raises(ValueError, match=r"missing column.* used in the fit: speed"):
        res.predict(pd.DataFrame({"spd": [1.0]}))
    with pytest.raises(ValueError, match=r"column.* not in the fit: extra"):
        res.predict(pd.DataFrame({"speed": [1.0], "extra": [2.0]}))
    with pytest.raises(ValueError, match=r"`X_new` must have 1 column\(s\) \(speed\)"):
        res.predict(np.ones((2, 2)))
    with pytest.raises(ValueError, match="`X_new` has 1 NaN value"):
        res.predict([1.0, np.nan])
    with pytest.raises(ValueError, match="`interval` must be one of 'confidence', 'prediction'"):
        res.predict([1.0], interval="credible")
    hc = sc.ols(cars[["speed"]], cars["dist"], cov_type="HC3")
    with pytest.raises(ValueError, match="interval='prediction' needs a constant error variance"):
        hc.predict([1.0], interval="prediction")
    with pytest.raises(ValueError, match=r"unknown term.* spd; the terms are Intercept, speed"):
        res.wald_test("spd")
    with pytest.raises(ValueError, match=r"`R` must have 2 columns \(one per term\)"):
        res.wald_test(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"`q` must have 1 value\(s\)"):
        res.wald_test("speed", q=[1.0, 2.0])
    with pytest.raises(ValueError, match="linearly dependent"):
        res.wald_test(np.array([[0.0, 1.0], [0.0, 2.0]]))
    with pytest.raises(ValueError, match="row of zeros"):
        res.wald_test(np.array([[0.0, 0.0]]))


def test_covariance_identities(factor_data):
    # Exact identities between estimators (Zeileis 2004, Sec. 2): CR1 with every observation
    # its own cluster is HC1 (G/(G-1) (n-1)/(n-k) = n/(n-k)); Newey-West with 0 lags is HC0.
    y, X = factor_data
    y, X = y.iloc[:120], X.iloc[:120]
    hc1 = sc.ols(X, y, cov_type="HC1")
    cr1 = sc.ols(X, y, cov_type="cluster", groups=np.arange(120))
    np.testing.assert_allclose(cr1.cov.to_numpy(), hc1.cov.to_numpy(), rtol=1e-12)
    assert cr1.df_inference == 119  # but t with G - 1 df
    hac0 = sc.ols(X, y, cov_type="HAC", maxlags=0)
    hc0 = sc.ols(X, y, cov_type="HC0")
    np.testing.assert_allclose(hac0.cov.to_numpy(), hc0.cov.to_numpy(), rtol=1e-12)
    # the estimates do not depend on the covariance
    pd.testing.assert_series_equal(hc1.params, sc.ols(X, y).params)


def test_single_restriction_estimate_matches_statsmodels_t_test(factor_data):
    # statsmodels t_test("smb - hml = 0") with HC3 and use_t=True: effect, sd and conf_int
    y, X = factor_data
    res = sc.ols(X, y, cov_type="HC3", confidence_level=0.9)
    ref = sm.OLS(y, sm.add_constant(X)).fit(cov_type="HC3", use_t=True).t_test("smb - hml = 0")
    w = res.wald_test(pd.Series({"smb": 1.0, "hml": -1.0}))
    assert w.estimate.estimate == pytest.approx(float(ref.effect.item()), rel=1e-12)
    assert w.estimate.std_error == pytest.approx(float(ref.sd.item()), rel=1e-9)
    lo, hi = ref.conf_int(alpha=0.1)[0]
    assert w.estimate.confidence_interval == pytest.approx((lo, hi), rel=1e-9)
    assert w.pvalue == pytest.approx(float(ref.pvalue), rel=1e-7)
