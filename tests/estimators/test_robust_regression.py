"""Tests of statcraft.estimators.regression.robust_regression against MASS::rlm and statsmodels."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import statcraft as sc

# R datasets::stackloss (Brownlee 1965), 21 rows, typed from ?stackloss.
STACKLOSS = pd.DataFrame(
    {
        "Air.Flow": [80, 80, 75, 62, 62, 62, 62, 62, 58, 58, 58, 58, 58, 58, 50, 50, 50, 50, 50,
                     56, 70],
        "Water.Temp": [27, 27, 25, 24, 22, 23, 24, 24, 23, 18, 18, 17, 18, 19, 18, 18, 19, 19, 20,
                       20, 20],
        "Acid.Conc.": [89, 88, 90, 87, 87, 87, 93, 93, 87, 80, 89, 88, 82, 93, 89, 86, 72, 79, 80,
                       82, 91],
        "stack.loss": [42, 37, 37, 28, 18, 18, 19, 20, 15, 14, 14, 13, 11, 12, 8, 7, 8, 8, 9, 15,
                       15],
    }
)  # fmt: skip
TERMS = ("Intercept", "Air.Flow", "Water.Temp", "Acid.Conc.")


@pytest.fixture
def stack():
    return STACKLOSS["stack.loss"], STACKLOSS[["Air.Flow", "Water.Temp", "Acid.Conc."]]


def test_typed_data_equal_statsmodels_copy(stack):
    ref = sm.datasets.stackloss.load_pandas().data
    y, X = stack
    np.testing.assert_array_equal(y.to_numpy(), ref["STACKLOSS"].to_numpy())
    np.testing.assert_array_equal(
        X.to_numpy(), ref[["AIRFLOW", "WATERTEMP", "ACIDCONC"]].to_numpy()
    )


def test_huber_matches_mass_summary_rlm(stack):
    # MASS tests/Examples/MASS-Ex.Rout.save: summary(rlm(stack.loss ~ ., stackloss))
    #               Value    Std. Error t value
    #   (Intercept) -41.0265   9.8073    -4.1832
    #   Air.Flow      0.8294   0.1112     7.4597
    #   Water.Temp    0.9261   0.3034     3.0524
    #   Acid.Conc.   -0.1278   0.1289    -0.9922
    #   Residual standard error: 2.441 on 17 degrees of freedom
    # rlm's defaults maxit = 20, acc = 1e-4 reproduce its iterate exactly.
    y, X = stack
    res = sc.robust_regression(X, y, max_iter=20, tol=1e-4)
    assert res.terms == TERMS
    t = res.coefficients
    np.testing.assert_allclose(t["estimate"], [-41.0265, 0.8294, 0.9261, -0.1278], atol=5e-5)
    np.testing.assert_allclose(t["std_error"], [9.8073, 0.1112, 0.3034, 0.1289], atol=5e-5)
    np.testing.assert_allclose(t["statistic"], [-4.1832, 7.4597, 3.0524, -0.9922], atol=5e-5)
    assert res.residual_std_error == pytest.approx(2.441, abs=5e-4)
    assert res.df_resid == 17 and res.nobs == 21
    assert res.r_squared is None and res.cov_type == "M-estimation"
    assert res.details["converged"] and res.details["psi"] == "huber"
    assert res.details["k"] == 1.345
    # residual quantiles printed by summary.rlm: -8.91753 -1.73127 0.06187 1.54306 6.50163
    q = np.quantile(res.residuals, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(q, [-8.91753, -1.73127, 0.06187, 1.54306, 6.50163], atol=5e-5)


def test_bisquare_matches_mass_rlm(stack):
    # MASS-Ex.Rout.save: rlm(stack.loss ~ ., stackloss, psi = psi.bisquare)
    #   Converged in 11 iterations
    #   (Intercept) -42.2852537  Air.Flow 0.9275471  Water.Temp 0.6507322  Acid.Conc. -0.1123310
    #   Scale estimate: 2.28
    y, X = stack
    res = sc.robust_regression(X, y, psi="bisquare", max_iter=20, tol=1e-4)
    np.testing.assert_allclose(
        res.coefficients["estimate"], [-42.2852537, 0.9275471, 0.6507322, -0.1123310], atol=5e-8
    )
    assert res.details["iterations"] == 11
    assert res.details["k"] == 4.685
    assert res.residual_std_error == pytest.approx(2.28, abs=5e-3)
    # redescending: observation 21 (index 20) is the outlier and gets a small weight
    assert res.weights.idxmin() == 20 and res.weights.min() < 0.2


@pytest.mark.parametrize(
    ("psi", "norm"),
    [("huber", sm.robust.norms.HuberT()), ("bisquare", sm.robust.norms.TukeyBiweight())],
)
def test_converged_fit_matches_statsmodels_rlm(stack, psi, norm):
    # statsmodels RLM(..., M=HuberT() / TukeyBiweight()).fit(scale_est='mad', cov='H1'), run to
    # convergence: the same M-estimate. Its MAD uses 1/Phi^-1(3/4) instead of MASS's 1/0.6745 and
    # it updates the scale after the last step, hence rtol 1e-5 on the estimates. Its H1
    # covariance uses the population variance of psi' (MASS: sample variance), hence 3e-3 on
    # the standard errors.
    y, X = stack
    res = sc.robust_regression(X, y, psi=psi)
    ref = sm.RLM(y, sm.add_constant(X), M=norm).fit(tol=1e-12, maxiter=500)
    np.testing.assert_allclose(res.coefficients["estimate"], ref.params.to_numpy(), rtol=1e-5)
    np.testing.assert_allclose(res.coefficients["std_error"], ref.bse.to_numpy(), rtol=3e-3)
    assert res.residual_std_error == pytest.approx(ref.scale, rel=2e-5)
    np.testing.assert_allclose(res.weights.to_numpy(), ref.weights.to_numpy(), atol=2e-4)
    # normal-theory intervals and p-values, as statsmodels
    se = res.coefficients["std_error"].to_numpy()
    np.testing.assert_allclose(
        res.coefficients["ci_low"], res.coefficients["estimate"] - 1.959963984540054 * se
    )
    assert res.df_inference is None
    assert res.f_test.df == 3.0 and res.f_test.method.startswith("Wald")


def test_robust_regression_downweights_a_gross_outlier():
    # y = 1 + 2x exactly up to small noise, with one gross error: the Huber fit follows the
    # bulk, OLS does not.
    rng = np.random.default_rng(7)
    x = np.linspace(0, 10, 40)
    y = 1 + 2 * x + rng.normal(scale=0.3, size=40)
    y[5] += 40
    rob = sc.robust_regression(x, y)
    ols = sc.ols(x, y)
    assert abs(rob.coefficients.loc["x1", "estimate"] - 2) < 0.05
    assert abs(ols.coefficients.loc["Intercept", "estimate"] - 1) > abs(
        rob.coefficients.loc["Intercept", "estimate"] - 1
    )
    assert rob.weights.iloc[5] < 0.05
    # predict and confidence intervals work; prediction intervals are refused
    conf = rob.predict([2.0, 4.0], interval="confidence")
    assert (conf["ci_low"] < conf["prediction"]).all()
    with pytest.raises(ValueError, match="interval='prediction' needs a constant error variance"):
        rob.predict([2.0], interval="prediction")
    assert "robust scale" in repr(rob)


def test_nan_omit_and_inputs_not_modified(stack):
    y, X = stack
    yn = y.astype(float).copy()
    yn.iloc[3] = np.nan
    y0, X0 = yn.copy(), X.copy()
    res = sc.robust_regression(X, yn, nan_policy="omit")
    pd.testing.assert_series_equal(yn, y0)
    pd.testing.assert_frame_equal(X, X0)
    assert res.nobs == 20 and 3 not in res.residuals.index
    ref = sc.robust_regression(X.drop(index=3), y.drop(index=3))
    pd.testing.assert_frame_equal(res.coefficients, ref.coefficients)
    with pytest.raises(ValueError, match="`y` has 1 NaN value"):
        sc.robust_regression(X, yn)


def test_bad_input(stack):
    y, X = stack
    with pytest.raises(ValueError, match="`psi` must be one of 'huber', 'bisquare'; got 'hampel'"):
        sc.robust_regression(X, y, psi="hampel")
    with pytest.raises(ValueError, match="`scale` must be one of 'mad'"):
        sc.robust_regression(X, y, scale="proposal2")
    with pytest.raises(ValueError, match=r"`k` must be positive; got -1\.0"):
        sc.robust_regression(X, y, k=-1)
    with pytest.raises(TypeError, match="`k` must be a real number"):
        sc.robust_regression(X, y, k="big")
    with pytest.raises(ValueError, match="`tol` must be positive"):
        sc.robust_regression(X, y, tol=0)
    with pytest.raises(ValueError, match="`max_iter` must be >= 1"):
        sc.robust_regression(X, y, max_iter=0)
    with pytest.raises(ValueError, match="`y` and `X` must have the same length; got 20 and 21"):
        sc.robust_regression(X, y[:-1])
    with pytest.raises(TypeError, match="`X` has non-numeric columns: plant"):
        sc.robust_regression(X.assign(plant="A"), y)
    with pytest.raises(ValueError, match="rank deficient"):
        sc.robust_regression(X.assign(twice=2 * X["Air.Flow"]), y)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\)"):
        sc.robust_regression(X, y, confidence_level=0)
    with pytest.raises(ValueError, match="`y` is constant"):
        sc.robust_regression(X, np.ones(21))


def test_zero_mad_and_nonconvergence():
    # errors orthogonal to (1, x) leave the OLS line through the other six of nine points,
    # so the median absolute residual is zero
    x = np.arange(9.0)
    y = 2 * x
    y[[0, 1, 2]] += [3.0, -6.0, 3.0]
    with pytest.raises(ValueError, match="MAD scale of the residuals is zero"):
        sc.robust_regression(x, y)
    rng = np.random.default_rng(3)
    x = rng.normal(size=30)
    y = x + rng.standard_t(2, size=30)
    with pytest.warns(RuntimeWarning, match="did not converge in 1 iterations"):
        res = sc.robust_regression(x, y, max_iter=1)
    assert res.details["converged"] is False
