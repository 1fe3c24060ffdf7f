"""RegressionResult.influence and RegressionResult.plot (issue 12).

The leverages, standardized residuals and Cook's distances are checked against statsmodels'
``OLSInfluence`` (hat_matrix_diag, resid_studentized_internal, cooks_distance), an independent
implementation of R's hatvalues / rstandard / cooks.distance; the plots are drawn with Agg and
their content read back.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.outliers_influence import OLSInfluence

import statcraft as sc
from statcraft.estimators._regression_plot import ppoints

FF_FORMULA = "I(NoDur - rf) ~ mkt_rf + smb + hml"


@pytest.fixture(scope="module")
def ff():
    return sc.datasets.load_fama_french_industries()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def cars():
    # R datasets::cars, the data of R's own ?plot.lm example
    speed = [4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14,
             14, 15, 15, 15, 16, 16, 17, 17, 17, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20,
             22, 23, 24, 24, 24, 24, 25]  # fmt: skip
    dist = [2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60,
            80, 20, 26, 54, 32, 40, 32, 40, 50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64,
            66, 54, 70, 92, 93, 120, 85]  # fmt: skip
    return pd.DataFrame({"speed": speed, "dist": dist}, index=range(1, 51))


# ---------------------------------------------------------------------------------------------
# Influence measures against statsmodels
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC3", "HAC"])
def test_influence_matches_statsmodels_olsinfluence(ff, cov_type):
    # the influence measures do not depend on the covariance of the estimates
    res = sc.ols(FF_FORMULA, data=ff, cov_type=cov_type)
    ref = OLSInfluence(smf.ols(FF_FORMULA, data=ff).fit())
    infl = res.influence()
    assert list(infl.columns) == [
        "fitted",
        "residual",
        "leverage",
        "standardized_residual",
        "cooks_distance",
    ]
    pd.testing.assert_index_equal(infl.index, ff.index)
    np.testing.assert_allclose(infl["leverage"], ref.hat_matrix_diag, rtol=1e-10)
    np.testing.assert_allclose(infl["standardized_residual"], ref.resid_studentized_internal,
                               rtol=1e-9)  # fmt: skip
    np.testing.assert_allclose(infl["cooks_distance"], ref.cooks_distance[0], rtol=1e-9)
    pd.testing.assert_series_equal(res.leverage, infl["leverage"], check_names=False)


def test_influence_of_cars_matches_r(cars):
    # R: fit <- lm(dist ~ speed, cars); plot(fit) labels observations 23, 35 and 49 in the
    # first three panels; rstandard(fit)[49] = 2.919, cooks.distance(fit)[49] = 0.340.
    # The leverage of a simple regression is 1/n + (x - mean x)² / Sxx: for speed 4,
    # 1/50 + 11.4² / 1370.
    res = sc.ols("dist ~ speed", data=cars)
    infl = res.influence()
    assert infl.loc[1, "leverage"] == pytest.approx(1 / 50 + 11.4**2 / 1370, rel=1e-12)
    assert infl.loc[49, "standardized_residual"] == pytest.approx(2.919, abs=5e-4)
    assert infl.loc[49, "cooks_distance"] == pytest.approx(0.340, abs=5e-4)
    ref = OLSInfluence(sm.OLS(cars["dist"], sm.add_constant(cars[["speed"]])).fit())
    np.testing.assert_allclose(infl["cooks_distance"], ref.cooks_distance[0], rtol=1e-10)
    axes = res.plot()
    for a in axes.ravel()[:3]:
        assert {t.get_text() for t in a.texts} == {"23", "35", "49"}


def test_leverage_one_has_no_standardized_residual():
    # a dummy with a single 1 fits that observation exactly: h = 1
    x = np.arange(10.0)
    d = np.zeros(10)
    d[3] = 1.0
    y = np.array([0.1, 1.3, 1.9, 7.0, 4.2, 4.8, 6.1, 7.2, 7.9, 9.3])
    res = sc.ols(np.column_stack([x, d]), y)
    infl = res.influence()
    assert infl["leverage"].iloc[3] == pytest.approx(1.0)
    assert np.isnan(infl["standardized_residual"].iloc[3])
    assert np.isnan(infl["cooks_distance"].iloc[3])
    axes = res.plot()
    assert len(axes[1, 1].collections[0].get_offsets()) == 9  # the h = 1 point is not drawn


# ---------------------------------------------------------------------------------------------
# The plots
# ---------------------------------------------------------------------------------------------


def test_four_panels_titles_labels_and_points(ff):
    res = sc.ols(FF_FORMULA, data=ff)
    n = res.nobs
    axes = res.plot()
    assert isinstance(axes, np.ndarray) and axes.shape == (2, 2)
    titles = [a.get_title() for a in axes.ravel()]
    assert titles == ["Residuals vs fitted", "Normal Q–Q", "Scale–location",
                      "Residuals vs leverage"]  # fmt: skip
    for a in axes.ravel():
        assert a.get_xlabel() and a.get_ylabel()
        assert len(a.collections) == 1 and len(a.collections[0].get_offsets()) == n
        assert len(a.texts) == 3  # the three most extreme observations are labelled
    assert axes[0, 0].get_xlabel() == "fitted values (units of I(NoDur - rf))"
    assert axes[0, 0].get_ylabel() == "residuals (units of I(NoDur - rf))"
    assert axes[0, 1].get_xlabel() == "theoretical quantiles (standard normal)"
    assert axes[1, 0].get_ylabel() == "√|standardized residuals|"
    assert axes[1, 1].get_xlabel() == "leverage (hat value)"
    # lines: the zero line; y = x; none; the zero line and two Cook's contours of each sign
    assert [len(a.lines) for a in axes.ravel()] == [1, 1, 0, 5]
    legend = [t.get_text() for t in axes[1, 1].get_legend().get_texts()]
    assert legend == ["observations", "Cook's distance 0.5", "Cook's distance 1"]
    assert "Regression diagnostics" in axes[0, 0].figure.get_suptitle()


def test_plotted_values_are_the_influence_values(ff):
    res = sc.ols(FF_FORMULA, data=ff)
    infl = res.influence()
    axes = res.plot()
    resid_xy = axes[0, 0].collections[0].get_offsets()
    np.testing.assert_allclose(resid_xy[:, 0], infl["fitted"])
    np.testing.assert_allclose(resid_xy[:, 1], infl["residual"])
    qq = axes[0, 1].collections[0].get_offsets()
    r = np.sort(infl["standardized_residual"].to_numpy())
    np.testing.assert_allclose(qq[:, 1], r)
    # plotting positions (i - 1/2)/n for n > 10 (R's ppoints), standard normal quantiles
    np.testing.assert_allclose(qq[:, 0], stats.norm.ppf((np.arange(1, len(r) + 1) - 0.5) / len(r)))
    scale = axes[1, 0].collections[0].get_offsets()
    np.testing.assert_allclose(scale[:, 1], np.sqrt(np.abs(infl["standardized_residual"])))
    lev = axes[1, 1].collections[0].get_offsets()
    np.testing.assert_allclose(lev[:, 0], infl["leverage"])
    np.testing.assert_allclose(lev[:, 1], infl["standardized_residual"])
    # the contours are Cook's distance 0.5 and 1: r² h / (k (1 - h)) on the lines
    k = len(res.terms)
    contours = [ln for ln in axes[1, 1].lines if ln.get_label().startswith("Cook")]
    for line, level in zip(contours, (0.5, 1.0), strict=True):
        h, rr = line.get_xdata(), line.get_ydata()
        np.testing.assert_allclose(rr**2 * h / (k * (1 - h)), level, rtol=1e-12)
    # the labelled points of the leverage panel are the three largest Cook's distances
    labels = {t.get_text() for t in axes[1, 1].texts}
    top = infl["cooks_distance"].nlargest(3).index
    # labelled by index: the dates of the monthly DatetimeIndex, without a time of day
    assert labels == {
        t.strftime("%Y-%m-%d") if isinstance(t, pd.Timestamp) else str(t) for t in top
    }


def test_ppoints_is_r_ppoints():
    # R: ppoints(5) = 0.1190476 0.3095238 0.5000000 0.6904762 0.8809524; ppoints(12)[1] = 1/24
    np.testing.assert_allclose(ppoints(5), [0.1190476, 0.3095238, 0.5, 0.6904762, 0.8809524],
                               atol=5e-8)  # fmt: skip
    assert ppoints(12)[0] == pytest.approx(1 / 24)


@pytest.mark.parametrize("kind", ["resid", "qq", "scale", "leverage"])
def test_one_panel_on_given_axes(cars, kind):
    res = sc.ols("dist ~ speed", data=cars)
    fig, ax = plt.subplots()
    out = res.plot(kind, ax=ax)
    assert out is ax
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.collections[0].get_offsets()) == 50
    new = res.plot(kind=kind)  # a new figure of its own
    assert new is not ax and new.figure is not fig


def test_all_panels_on_given_axes_and_bad_arguments(cars):
    res = sc.ols(cars[["speed"]], cars["dist"])
    _, axes = plt.subplots(1, 4)
    out = res.plot(ax=axes)
    assert out.shape == (4,) and out[0].get_title() == "Residuals vs fitted"
    assert axes[0].get_xlabel() == "fitted values (units of y)"
    with pytest.raises(ValueError, match="`ax` must hold 4 Axes"):
        res.plot(ax=axes[:2])
    with pytest.raises(ValueError, match="kind"):
        res.plot("cooks")


def test_robust_regression_plot_uses_the_robust_scale():
    x = np.arange(1.0, 11.0)
    y = np.array([2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 40.0])
    res = sc.robust_regression(x, y)
    infl = res.influence()
    h = infl["leverage"].to_numpy()
    expected = res.residuals.to_numpy() / (res.details["scale"] * np.sqrt(1 - h))
    np.testing.assert_allclose(infl["standardized_residual"], expected, rtol=1e-12)
    # the outlier (the 10th point) stands out far beyond the normal range
    assert infl["standardized_residual"].iloc[-1] > 10
    axes = res.plot()
    assert [len(a.collections[0].get_offsets()) for a in axes.ravel()] == [10] * 4
    assert "9" in {t.get_text() for t in axes[0, 0].texts}  # labelled by its index


def test_nan_omit_rows_keep_their_labels(cars):
    d = cars.astype(float)
    d.loc[5, "dist"] = np.nan
    res = sc.ols("dist ~ speed", data=d, nan_policy="omit")
    infl = res.influence()
    assert 5 not in infl.index and len(infl) == 49
    ax = res.plot("resid")
    labels = {t.get_text() for t in ax.texts}
    assert labels <= {str(i) for i in infl.index}
