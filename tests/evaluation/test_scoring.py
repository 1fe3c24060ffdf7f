"""Scoring rules against closed forms, numerical integration, scikit-learn/scipy, brute force."""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.metrics import (
    brier_score_loss,
    log_loss,
    mean_absolute_error,
    mean_pinball_loss,
    mean_squared_error,
)

from statcraft.evaluation import (
    absolute_error,
    brier_score,
    crps_ensemble,
    crps_gaussian,
    interval_score,
    log_score,
    pinball_loss,
    squared_error,
)


# --------------------------------------------------------------------------- point and quantile
def test_squared_and_absolute_error_vs_sklearn(rng):
    y, f = rng.normal(size=50), rng.normal(size=50)
    assert squared_error(y, f) == pytest.approx(mean_squared_error(y, f), rel=1e-14)
    assert absolute_error(y, f) == pytest.approx(mean_absolute_error(y, f), rel=1e-14)
    np.testing.assert_allclose(squared_error(y, f, reduce="none"), (y - f) ** 2, rtol=1e-15)
    assert absolute_error([1.0, 2.0], 1.5) == 0.5  # a single forecast for all observations


@pytest.mark.parametrize("tau", [0.05, 0.5, 0.9])
def test_pinball_vs_sklearn(rng, tau):
    y, q = rng.normal(size=40), rng.normal(size=40)
    expected = mean_pinball_loss(y, q, alpha=tau)
    assert pinball_loss(y, q, quantile_level=tau) == pytest.approx(expected, rel=1e-13)
    # level 0.5 is half the absolute error
    if tau == 0.5:
        assert pinball_loss(y, q) == pytest.approx(absolute_error(y, q) / 2, rel=1e-14)


def test_interval_score_hand_values_and_pinball_identity(rng):
    # Gneiting & Raftery (2007) eq. 43 by hand, alpha = 0.1:
    # y=3 in [1,2]: 1 + 20*(3-2) = 21; y=1.5: 1; y=0: 1 + 20*1 = 21
    np.testing.assert_allclose(
        interval_score([3.0, 1.5, 0.0], 1.0, 2.0, confidence_level=0.9, reduce="none"),
        [21.0, 1.0, 21.0],
        rtol=1e-15,
    )
    # IS_alpha = (2/alpha) [rho_{alpha/2}(y - l) + rho_{1-alpha/2}(y - u)]
    y = rng.normal(size=30)
    lo, hi = -1 + rng.normal(size=30) * 0.2, 1 + rng.normal(size=30) * 0.2
    alpha = 0.2
    expected = (2 / alpha) * (
        pinball_loss(y, lo, quantile_level=alpha / 2, reduce="none")
        + pinball_loss(y, hi, quantile_level=1 - alpha / 2, reduce="none")
    )
    np.testing.assert_allclose(
        interval_score(y, lo, hi, confidence_level=0.8, reduce="none"), expected, rtol=1e-12
    )


# --------------------------------------------------------------------------- CRPS
def _crps_by_integration(y, cdf):
    """CRPS(F, y) = int (F(x) - 1{x >= y})^2 dx, by quadrature on each side of y."""
    left, _ = integrate.quad(lambda x: cdf(x) ** 2, -np.inf, y, epsabs=1e-13, epsrel=1e-13)
    right, _ = integrate.quad(lambda x: (1 - cdf(x)) ** 2, y, np.inf, epsabs=1e-13, epsrel=1e-13)
    return left + right


def test_crps_gaussian_published_value():
    # CRPS(N(0, 1), 0) = 2 phi(0) - 1/sqrt(pi) = (sqrt(2) - 1) / sqrt(pi)  (Gneiting-Raftery eq. 21)
    expected = (math.sqrt(2) - 1) / math.sqrt(math.pi)
    assert crps_gaussian(0.0, 0.0, 1.0) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.23369497725, abs=1e-11)


@pytest.mark.parametrize(("y", "mu", "sigma"), [(0.3, -0.2, 1.7), (-4.0, 1.0, 0.5), (2.0, 2.0, 3)])
def test_crps_gaussian_vs_integral_definition(y, mu, sigma):
    expected = _crps_by_integration(y, stats.norm(mu, sigma).cdf)
    assert crps_gaussian(y, mu, sigma) == pytest.approx(expected, abs=1e-10)


def _crps_ensemble_brute(y, x, fair):
    m = len(x)
    spread = sum(abs(a - b) for a, b in itertools.product(x, x))
    return np.mean(np.abs(x - y)) - spread / (2 * m * (m - 1) if fair else 2 * m * m)


def _crps_empirical_integral(y, x):
    """properscoring's definition: exact integral of (F_m(t) - 1{t >= y})^2 for the ECDF F_m."""
    pts = np.sort(np.append(x, y))
    total = 0.0
    for a, b in itertools.pairwise(pts):
        t = (a + b) / 2
        total += (b - a) * (np.mean(x <= t) - (t >= y)) ** 2
    return total


def test_crps_ensemble_vs_brute_force(rng):
    y = rng.normal(size=7)
    x = rng.normal(size=(9, 7))
    for fair in (True, False):
        expected = [_crps_ensemble_brute(y[i], x[:, i], fair) for i in range(7)]
        np.testing.assert_allclose(
            crps_ensemble(y, x, fair=fair, reduce="none"), expected, rtol=1e-12, atol=1e-14
        )
    expected = [_crps_empirical_integral(y[i], x[:, i]) for i in range(7)]
    np.testing.assert_allclose(
        crps_ensemble(y, x, fair=False, reduce="none"), expected, rtol=1e-12, atol=1e-14
    )


def test_crps_ensemble_converges_to_closed_form(rng):
    # 200000 draws from N(0.5, 2^2): the Monte Carlo error of the CRPS is about 2e-3
    y = np.array([0.0, 1.3, -3.0])
    draws = 0.5 + 2.0 * rng.standard_normal((200_000, 3))
    np.testing.assert_allclose(
        crps_ensemble(y, draws, reduce="none"), crps_gaussian(y, 0.5, 2.0, reduce="none"), atol=1e-2
    )


def test_crps_ensemble_fair_is_unbiased_and_plain_is_not(rng):
    # m = 5 draws, 40000 replicates: fair estimator's mean equals the closed form; the plain
    # (empirical-CDF) one is too large by E|X - X'| / (2m) = 2 sigma / sqrt(pi) / (2m).
    m, reps, y = 5, 40_000, 0.7
    draws = rng.standard_normal((m, reps))
    target = crps_gaussian(y, 0.0, 1.0)
    fair = crps_ensemble(np.full(reps, y), draws, reduce="none")
    plain = crps_ensemble(np.full(reps, y), draws, fair=False, reduce="none")
    se = fair.std() / math.sqrt(reps)
    assert abs(fair.mean() - target) < 4 * se
    bias = (2 / math.sqrt(math.pi)) / (2 * m)
    assert abs(plain.mean() - (target + bias)) < 4 * se
    assert abs(plain.mean() - target) > 10 * se


def test_crps_ensemble_of_a_point_is_absolute_error():
    # identical draws: the CRPS of a point mass is the absolute error
    assert crps_ensemble([1.0, 4.0], np.full((3, 2), 2.5), fair=True) == pytest.approx(1.5)


# --------------------------------------------------------------------------- log score
def test_log_score_binary_vs_sklearn(rng):
    y = rng.integers(0, 2, size=60)
    p = rng.uniform(0.01, 0.99, size=60)
    assert log_score(y, p) == pytest.approx(log_loss(y, p), rel=1e-13)
    assert log_score([1], [0.0]) == math.inf  # certainty about the wrong outcome


def test_log_score_distribution_vs_scipy(rng):
    y = rng.normal(size=20)
    mu, sd = rng.normal(size=20), rng.uniform(0.5, 2, size=20)
    np.testing.assert_allclose(
        log_score(y, stats.norm(mu, sd), reduce="none"),
        -stats.norm.logpdf(y, mu, sd),
        rtol=1e-14,
    )
    counts = np.array([0, 3, 1])
    assert log_score(counts, stats.poisson(2.0)) == pytest.approx(
        -np.mean(stats.poisson.logpmf(counts, 2.0)), rel=1e-14
    )


def test_log_score_draws_vs_scipy_gaussian_kde(rng):
    y = np.array([0.2, -1.0])
    x = rng.normal(size=(500, 2))
    out = log_score(y, x, reduce="none")
    for i in range(2):
        col = x[:, i]
        iqr = np.subtract(*np.percentile(col, [75, 25]))
        h = 0.9 * min(col.std(ddof=1), iqr / 1.34) * 500 ** (-0.2)
        kde = stats.gaussian_kde(col, bw_method=h / col.std(ddof=1))
        assert out[i] == pytest.approx(-np.log(kde(y[i])[0]), rel=1e-10)
    # and close to the true normal log density with many draws
    big = rng.normal(size=(200_000, 2))
    np.testing.assert_allclose(log_score(y, big, reduce="none"), -stats.norm.logpdf(y), atol=0.02)


# --------------------------------------------------------------------------- Brier
def test_brier_score_vs_sklearn_and_murphy_identity(rng):
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], size=300)
    y = (rng.uniform(size=300) < p * 0.8 + 0.05).astype(int)
    b = brier_score(y, p)
    assert b.score == pytest.approx(brier_score_loss(y, p), rel=1e-14)
    # binned (distinct) forecasts: BS = REL - RES + UNC exactly
    assert b.score == pytest.approx(b.reliability - b.resolution + b.uncertainty, abs=1e-14)
    assert abs(b.remainder) < 1e-14
    assert b.n_bins == 5
    # independent computation of the components by grouping
    base = y.mean()
    rel = sum((y[p == v].size) * (v - y[p == v].mean()) ** 2 for v in np.unique(p)) / 300
    res = sum((y[p == v].size) * (y[p == v].mean() - base) ** 2 for v in np.unique(p)) / 300
    assert b.reliability == pytest.approx(rel, rel=1e-12)
    assert b.resolution == pytest.approx(res, rel=1e-12)
    assert b.uncertainty == pytest.approx(base * (1 - base), rel=1e-14)
    assert b.skill_score == pytest.approx(1 - b.score / b.uncertainty)
    np.testing.assert_allclose(squared_error(y, p, reduce="none"), (p - y) ** 2)


def test_brier_score_with_bins_reports_remainder(rng):
    p = rng.uniform(size=500)
    y = (rng.uniform(size=500) < p).astype(int)
    b = brier_score(y, p, n_bins=10)
    assert b.score == pytest.approx(brier_score_loss(y, p), rel=1e-14)
    assert b.score == pytest.approx(
        b.reliability - b.resolution + b.uncertainty + b.remainder, abs=1e-14
    )
    assert abs(b.remainder) > 1e-6  # continuous forecasts: within-bin terms remain
    assert "REL" in repr(b) and b.to_frame().columns[0] == "score"


# --------------------------------------------------------------------------- bad input
def test_bad_input():
    with pytest.raises(ValueError, match=r"`prediction` must have one value per observation"):
        squared_error([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"shape \(n_draws, n_obs\) with n_obs = len\(y_true\) = 3"
    ):
        crps_ensemble([1.0, 2.0, 3.0], np.zeros((10, 2)))
    with pytest.raises(
        ValueError, match=r"shape \(n_draws, n_obs\) with n_obs = len\(y_true\) = 2"
    ):
        log_score([1.0, 2.0], np.zeros((10, 3)))
    with pytest.raises(ValueError, match=r"`p` must hold probabilities in \[0, 1\]"):
        brier_score([0, 1], [0.5, 1.2])
    with pytest.raises(ValueError, match=r"`forecast` must hold probabilities in \[0, 1\]"):
        log_score([0, 1], [-0.1, 0.5])
    with pytest.raises(ValueError, match="binary outcomes 0/1"):
        brier_score([0, 2], [0.5, 0.5])
    with pytest.raises(ValueError, match="`sigma` must be positive"):
        crps_gaussian([0.0], 0.0, 0.0)
    with pytest.raises(ValueError, match="`low` must not exceed `high`"):
        interval_score([0.0], 1.0, -1.0)
    with pytest.raises(ValueError, match=r"`quantile_level` must be in \(0, 1\)"):
        pinball_loss([0.0], [0.0], quantile_level=1.0)
    with pytest.raises(ValueError, match="`reduce` must be one of"):
        squared_error([0.0], [0.0], reduce="sum")
    with pytest.raises(ValueError, match="`y_true` has 1 NaN value"):
        absolute_error([np.nan, 1.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="at least 2 draws"):
        crps_ensemble([0.0], [[1.0]])
    with pytest.raises(ValueError, match="all equal; a kernel density needs spread"):
        log_score([0.0], np.ones((5, 1)))
    with pytest.raises(TypeError, match="must contain numbers"):
        squared_error(["a", "b"], [1.0, 2.0])
    with pytest.raises(TypeError, match="`forecast` must be probabilities"):
        log_score([1.0], 0.5)


def test_inputs_not_modified(rng):
    y = rng.normal(size=5)
    x = rng.normal(size=(4, 5))
    y0, x0 = y.copy(), x.copy()
    crps_ensemble(y, x)
    log_score(y, x)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(x, x0)


# --------------------------------------------------------------------------- nan_policy
def test_nan_policy_omit_and_propagate(rng):
    y = np.array([1.0, np.nan, 3.0, 4.0])
    f = np.array([1.5, 2.0, np.nan, 3.0])
    # omit: only observations 0 and 3 are complete
    assert squared_error(y, f, nan_policy="omit") == pytest.approx((0.25 + 1.0) / 2)
    out = absolute_error(y, f, nan_policy="propagate", reduce="none")
    np.testing.assert_array_equal(np.isnan(out), [False, True, True, False])
    with pytest.raises(ValueError, match="`y_true` has 1 NaN value; pass nan_policy='omit'"):
        squared_error(y, f)
    draws = rng.normal(size=(5, 4))
    draws[2, 0] = np.nan  # one bad draw removes observation 0
    yy = np.array([0.1, 0.2, 0.3, 0.4])
    full = crps_ensemble(yy, draws, nan_policy="propagate", reduce="none")
    assert np.isnan(full[0]) and not np.isnan(full[1:]).any()
    assert crps_ensemble(yy, draws, nan_policy="omit") == pytest.approx(full[1:].mean())
    b = brier_score([1, 0, np.nan, 1], [0.8, 0.3, 0.5, np.nan], nan_policy="omit")
    assert b.n == 2 and b.score == pytest.approx((0.04 + 0.09) / 2)
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        brier_score([1, 0], [0.8, 0.3], nan_policy="propagate")
    with pytest.raises(ValueError, match="no observation is complete"):
        squared_error([np.nan, 1.0], [1.0, np.nan], nan_policy="omit")
