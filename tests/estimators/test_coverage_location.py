"""Coverage of the intervals of mean, trimmed_mean and median, by simulation.

The intervals of many samples are computed at once with array operations that reproduce the
public functions; each simulation first checks, on a subset of its samples, that the vectorised
intervals equal those of the public function exactly, so the coverage claim is about
statcraft's own output. The fast versions run by default; the full versions are marked slow.
"""

import math

import numpy as np
import pytest
from scipy import stats

import statcraft as sc

NOMINAL = 0.95


def mean_intervals(x: np.ndarray, level: float) -> np.ndarray:
    n = x.shape[1]
    m = x.mean(axis=1)
    se = x.std(axis=1, ddof=1) / math.sqrt(n)
    q = stats.t.ppf((1 + level) / 2, n - 1)
    return np.column_stack([m - q * se, m + q * se])


def trimmed_intervals(x: np.ndarray, prop: float, level: float) -> np.ndarray:
    n = x.shape[1]
    g = math.floor(prop * n)
    y = np.sort(x, axis=1)
    tm = y[:, g : n - g].mean(axis=1)
    w = np.clip(y, y[:, [g]], y[:, [n - g - 1]])
    se = w.std(axis=1, ddof=1) / ((1 - 2 * prop) * math.sqrt(n))
    q = stats.t.ppf((1 + level) / 2, n - 2 * g - 1)
    return np.column_stack([tm - q * se, tm + q * se])


def median_intervals(x: np.ndarray, level: float) -> np.ndarray:
    # the ranks depend only on n and the level; take them from the public function
    d = sc.median(x[0], confidence_level=level).details
    y = np.sort(x, axis=1)
    return np.column_stack([y[:, d["lower_rank"] - 1], y[:, d["upper_rank"] - 1]])


def check_matches_public(x, intervals, public, n_check=25):
    for row, ci in zip(x[:n_check], intervals[:n_check], strict=True):
        lo, hi = public(row).confidence_interval
        assert lo == pytest.approx(ci[0], rel=1e-12, abs=1e-14)
        assert hi == pytest.approx(ci[1], rel=1e-12, abs=1e-14)


def coverage(intervals: np.ndarray, truth: float) -> float:
    return float(np.mean((intervals[:, 0] <= truth) & (truth <= intervals[:, 1])))


def run_mean(n, reps, seed):
    x = np.random.default_rng(seed).normal(1.0, 2.0, size=(reps, n))
    ci = mean_intervals(x, NOMINAL)
    check_matches_public(x, ci, sc.mean)
    return coverage(ci, 1.0)


def run_trimmed(n, reps, seed):
    # symmetric distribution: the population trimmed mean is the centre, 1.0
    x = np.random.default_rng(seed).normal(1.0, 2.0, size=(reps, n))
    ci = trimmed_intervals(x, 0.2, NOMINAL)
    check_matches_public(x, ci, sc.trimmed_mean)
    return coverage(ci, 1.0)


def run_median(n, reps, seed):
    # skewed distribution: the interval is distribution-free; median of Exp(1) is log 2
    x = np.random.default_rng(seed).exponential(1.0, size=(reps, n))
    ci = median_intervals(x, NOMINAL)
    check_matches_public(x, ci, sc.median)
    return coverage(ci, math.log(2.0)), sc.median(x[0]).details["achieved_coverage"]


def mc_se(reps: int) -> float:
    return math.sqrt(NOMINAL * (1 - NOMINAL) / reps)


# fast: 4000 samples, Monte Carlo SE 0.34 points; allow the 1.5 points plus 3 MC SE
FAST_REPS = 4000
FAST_TOL = 0.015 + 3 * mc_se(FAST_REPS)


def test_mean_coverage_fast():
    assert abs(run_mean(30, FAST_REPS, 101) - NOMINAL) <= FAST_TOL


def test_trimmed_mean_coverage_fast():
    assert abs(run_trimmed(30, FAST_REPS, 102) - NOMINAL) <= FAST_TOL


def test_median_coverage_fast():
    cov, achieved = run_median(30, FAST_REPS, 103)
    assert abs(cov - NOMINAL) <= FAST_TOL
    # the observed coverage agrees with the exact achieved coverage (0.9572 at n = 30)
    assert abs(cov - achieved) <= 4 * math.sqrt(achieved * (1 - achieved) / FAST_REPS)


# full: 40000 samples (MC SE 0.11 points), several n, the issue's +-1.5 points
FULL_REPS = 40000


@pytest.mark.slow
@pytest.mark.parametrize("n", [20, 30, 50, 100])
def test_mean_coverage_full(n):
    assert abs(run_mean(n, FULL_REPS, 200 + n) - NOMINAL) <= 0.015


@pytest.mark.slow
@pytest.mark.parametrize("n", [20, 30, 50, 100])
def test_trimmed_mean_coverage_full(n):
    assert abs(run_trimmed(n, FULL_REPS, 300 + n) - NOMINAL) <= 0.015


# The order-statistic interval is exact and conservative: its coverage 1 - 2 P(B <= l - 1)
# jumps with n (95.9% at n = 20, 95.7% at 30, 95.6% at 49, 96.5% at 100, but 98.8% at n = 11
# and 96.7% at n = 50). The +-1.5-point check uses sizes where the exact coverage is within
# 1.5 points; every size checks that the simulated coverage equals the exact one.
@pytest.mark.slow
@pytest.mark.parametrize("n", [20, 30, 49, 100])
def test_median_coverage_full(n):
    cov, achieved = run_median(n, FULL_REPS, 400 + n)
    assert abs(cov - NOMINAL) <= 0.015
    assert abs(cov - achieved) <= 4 * math.sqrt(achieved * (1 - achieved) / FULL_REPS)


@pytest.mark.slow
@pytest.mark.parametrize("n", [6, 11, 50, 51])
def test_median_coverage_equals_exact_coverage(n):
    cov, achieved = run_median(n, FULL_REPS, 500 + n)
    assert achieved >= NOMINAL
    assert abs(cov - achieved) <= 4 * math.sqrt(achieved * (1 - achieved) / FULL_REPS)
