"""Calibration: scikit-learn's calibration_curve and statsmodels' Wilson interval as oracles."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats
from sklearn.calibration import calibration_curve as sk_calibration_curve
from statsmodels.stats.proportion import proportion_confint

from statcraft.evaluation import (
    calibration_curve,
    interval_coverage,
    pit_values,
    plot_pit,
    plot_reliability,
)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_curve_vs_sklearn_and_statsmodels(rng, strategy):
    p = rng.uniform(size=400)
    y = (rng.uniform(size=400) < p**1.3).astype(int)
    tab = calibration_curve(y, p, n_bins=8, strategy=strategy, confidence_level=0.9)
    prob_true, prob_pred = sk_calibration_curve(y, p, n_bins=8, strategy=strategy)
    np.testing.assert_allclose(tab["observed"], prob_true, rtol=1e-13)
    np.testing.assert_allclose(tab["mean_predicted"], prob_pred, rtol=1e-13)
    events = np.round(tab["observed"] * tab["n"]).astype(int)
    lo, hi = proportion_confint(events, tab["n"], alpha=0.1, method="wilson")
    np.testing.assert_allclose(tab["ci_low"], lo, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(tab["ci_high"], hi, rtol=1e-10, atol=1e-14)
    assert tab["n"].sum() == 400


def test_calibration_curve_drops_empty_bins_and_checks_input():
    # 0.9 lies on an inner edge: it falls in the lower bin, as in scikit-learn
    tab = calibration_curve([0, 1, 1], [0.05, 0.95, 0.9], n_bins=10)
    assert tab["bin"].tolist() == [0, 8, 9]
    with pytest.raises(ValueError, match=r"`p` must hold probabilities in \[0, 1\]"):
        calibration_curve([0, 1], [0.2, 1.5])
    with pytest.raises(ValueError, match="`p` must have one value per observation"):
        calibration_curve([0, 1, 1], [0.2, 0.5])
    with pytest.raises(ValueError, match="`strategy` must be one of"):
        calibration_curve([0, 1], [0.2, 0.5], strategy="equal")


def test_interval_coverage_vs_statsmodels_wilson():
    y = np.arange(20.0)
    res = interval_coverage(y, 2.5, 15.0, confidence_level=0.9)
    # inside: 3..15 -> 13 of 20; below: 0, 1, 2; above: 16..19
    assert res.estimate == pytest.approx(13 / 20)
    assert (res.details["n_below"], res.details["n_above"]) == (3, 4)
    lo, hi = proportion_confint(13, 20, alpha=0.1, method="wilson")
    assert res.confidence_interval.low == pytest.approx(lo, rel=1e-10)
    assert res.confidence_interval.high == pytest.approx(hi, rel=1e-10)
    with pytest.raises(ValueError, match="`low` must not exceed `high`"):
        interval_coverage([1.0], 2.0, 1.0)


def test_pit_values_cdf_and_draws(rng):
    y = rng.normal(size=50)
    np.testing.assert_allclose(pit_values(y, stats.norm(0, 1)), stats.norm.cdf(y), rtol=1e-15)
    np.testing.assert_allclose(
        pit_values(y, lambda v: stats.norm.cdf(v, 0, 2)), stats.norm.cdf(y, 0, 2)
    )
    draws = rng.normal(size=(99, 50))
    u = pit_values(y, draws, rng=1)
    below = (draws < y).sum(axis=0)
    np.testing.assert_array_equal(np.floor(u * 100), below)  # rank, then a uniform jitter
    np.testing.assert_array_equal(u, pit_values(y, draws, rng=1))  # reproducible


def test_pit_uniform_when_calibrated_and_u_shaped_when_overconfident(rng):
    n = 4000
    y = rng.normal(size=n)
    calibrated = pit_values(y, rng.normal(size=(50, n)), rng=2)
    assert stats.kstest(calibrated, "uniform").pvalue > 0.01
    narrow = pit_values(y, 0.5 * rng.normal(size=(50, n)), rng=2)
    outer = np.mean((narrow < 0.1) | (narrow > 0.9))
    assert outer > 0.35  # 0.2 if calibrated


def test_pit_values_with_ties_stays_uniform(rng):
    # discrete draws and outcomes: the randomised rank is still uniform
    n = 4000
    y = rng.integers(0, 3, size=n).astype(float)
    draws = rng.integers(0, 3, size=(20, n)).astype(float)
    assert stats.kstest(pit_values(y, draws, rng=3), "uniform").pvalue > 0.01


def test_pit_bad_input():
    with pytest.raises(
        ValueError, match=r"shape \(n_draws, n_obs\) with n_obs = len\(y_true\) = 3"
    ):
        pit_values([1.0, 2.0, 3.0], np.zeros((5, 2)))
    with pytest.raises(ValueError, match="CDF gave 1 values for 3"):
        pit_values([1.0, 2.0, 3.0], lambda v: np.array([0.5]))


def test_pit_values_nan_policy(rng):
    y = rng.normal(size=6)
    draws = rng.normal(size=(19, 6))
    y_nan, d_nan = y.copy(), draws.copy()
    y_nan[1] = np.nan
    d_nan[4, 3] = np.nan
    keep = np.array([True, False, True, False, True, True])
    with pytest.raises(ValueError, match="`y_true` has 1 NaN value; pass nan_policy='omit'"):
        pit_values(y_nan, draws)
    with pytest.raises(ValueError, match="`forecast` has 1 NaN value"):
        pit_values(y, d_nan)
    # 'omit' is the PIT of the complete observations, with the same random tie-breaking
    omit = pit_values(y_nan, d_nan, nan_policy="omit", rng=5)
    np.testing.assert_array_equal(omit, pit_values(y[keep], draws[:, keep], rng=5))
    prop = pit_values(y_nan, d_nan, nan_policy="propagate", rng=5)
    assert prop.shape == (6,)
    assert np.isnan(prop[~keep]).all()
    assert not np.isnan(prop[keep]).any()
    # CDF forecasts: a NaN outcome, or a NaN parameter that makes the CDF NaN
    complete = ~np.isnan(y_nan)
    np.testing.assert_allclose(
        pit_values(y_nan, stats.norm(0, 1), nan_policy="omit"), stats.norm.cdf(y[complete])
    )
    assert np.isnan(pit_values(y_nan, stats.norm(0, 1), nan_policy="propagate")[1])
    mu = np.r_[0.0, 0.0, np.nan, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="the forecast CDF gave NaN at 1 of 6 observations"):
        pit_values(y, stats.norm(mu, 1))
    np.testing.assert_allclose(
        pit_values(y, stats.norm(mu, 1), nan_policy="omit"), stats.norm.cdf(np.delete(y, 2))
    )
    every_column = np.zeros((3, 2))
    every_column[0] = np.nan  # each observation has a NaN draw
    with pytest.raises(ValueError, match="no observation is complete"):
        pit_values([1.0, 2.0], every_column, nan_policy="omit")
    with pytest.raises(ValueError, match="`forecast` is all NaN"):
        pit_values([1.0, 2.0], np.full((3, 2), np.nan), nan_policy="omit")
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        pit_values(y, draws, nan_policy="drop")
    assert np.isnan(y_nan[1]) and np.isnan(d_nan[4, 3])  # inputs unchanged
    assert np.isnan(y_nan).sum() == 1 and np.isnan(d_nan).sum() == 1


def test_plots():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200)
    y = (rng.uniform(size=200) < p).astype(int)
    ax = plot_reliability(y, p, n_bins=5)
    assert ax.get_xlabel() == "mean forecast probability"
    ax = plot_pit(rng.uniform(size=300), n_bins=10)
    assert len(ax.patches) >= 10
    with pytest.raises(ValueError, match=r"`pit` values must lie in \[0, 1\]"):
        plot_pit([0.5, 1.5])
    plt.close("all")


def test_nan_policy_omit():
    tab = calibration_curve([0, 1, np.nan, 1], [0.1, 0.9, 0.5, np.nan], n_bins=2, nan_policy="omit")
    assert tab["n"].sum() == 2
    res = interval_coverage([1.0, np.nan, 5.0], 0.0, 2.0, nan_policy="omit")
    assert res.n == 2 and res.estimate == 0.5
    with pytest.raises(ValueError, match="`y_true` has 1 NaN value"):
        calibration_curve([0, np.nan], [0.1, 0.2])
