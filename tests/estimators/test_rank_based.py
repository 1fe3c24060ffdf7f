"""Hodges-Lehmann estimator: reference values, brute-force intervals, bad input."""

import itertools
import math
import time

import numpy as np
import pytest
from scipy import stats

import statcraft as sc

# Hollander & Wolfe membrane permeability data (one sample), as analysed at
# https://www.public.iastate.edu/~wrstephe/stat403/membrane/membrane.html
MEMBRANE = [0.90, 1.13, 1.89, 1.14, 1.45, 1.38, 1.91, 1.64, 0.83, 1.46]
# R ?wilcox.test: Hollander & Wolfe (1973) p. 69, permeability constants
PERM_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
PERM_Y = [1.15, 0.88, 0.90, 0.74, 1.21]


def _walsh(x: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(x.size)
    return np.sort((x[i] + x[j]) / 2)


def _brute_signed_quantile(n: int, p: float) -> int:
    """Smallest q with P(V <= q) >= p, V over all 2**n sign assignments (no ties)."""
    v = np.array(
        [sum(k + 1 for k in range(n) if s[k]) for s in itertools.product([0, 1], repeat=n)]
    )
    return int(next(q for q in range(n * (n + 1) // 2 + 1) if np.mean(v <= q) >= p - 1e-12))


def _brute_ranksum_quantile(m: int, n: int, p: float) -> int:
    ranks = np.arange(1, m + n + 1)
    w = np.array([ranks[list(c)].sum() for c in itertools.combinations(range(m + n), m)])
    w = w - m * (m + 1) // 2
    return int(next(q for q in range(m * n + 1) if np.mean(w <= q) >= p - 1e-12))


def test_membrane_textbook_interval() -> None:
    # Hollander & Wolfe Table: median of the 55 Walsh averages 1.385; the 9th and 47th
    # ordered Walsh averages, 1.13 and 1.67, form a 95.2% interval (iastate membrane page).
    res = sc.hodges_lehmann(MEMBRANE)
    assert res.estimate == pytest.approx(1.385, abs=1e-12)
    assert res.confidence_interval.low == pytest.approx(1.13, abs=1e-12)
    assert res.confidence_interval.high == pytest.approx(1.67, abs=1e-12)
    assert res.confidence_level == 0.95
    assert res.details["exact"] is True
    assert res.n == 10


@pytest.mark.parametrize("level", [0.80, 0.90, 0.95, 0.99])
def test_one_sample_exact_interval_is_walsh_order_statistics(level: float) -> None:
    x = np.array([-0.61, 1.3, 0.07, 2.21, -1.45, 0.88, 0.35, 1.73, -0.2, 0.51, 1.02])
    n = x.size
    walsh = _walsh(x)
    q = _brute_signed_quantile(n, (1 - level) / 2)
    res = sc.hodges_lehmann(x, confidence_level=level)
    assert res.estimate == pytest.approx(np.median(walsh), abs=1e-14)
    assert res.confidence_interval.low == pytest.approx(walsh[q - 1], abs=1e-14)
    assert res.confidence_interval.high == pytest.approx(walsh[walsh.size - q], abs=1e-14)


def test_two_sample_exact_interval_is_difference_order_statistics() -> None:
    x, y = np.array(PERM_X), np.array(PERM_Y)
    diffs = np.sort(np.subtract.outer(x, y).ravel())
    q = _brute_ranksum_quantile(x.size, y.size, 0.025)
    res = sc.hodges_lehmann(x, y)
    # median of the 50 pairwise differences (R: estimate "difference in location" 0.305)
    assert res.estimate == pytest.approx(0.305, abs=1e-12)
    assert res.estimate == pytest.approx(np.median(diffs), abs=1e-14)
    assert res.confidence_interval.low == pytest.approx(diffs[q - 1], abs=1e-14)
    assert res.confidence_interval.high == pytest.approx(diffs[diffs.size - q], abs=1e-14)
    assert res.details == {"exact": True, "n_x": 10, "n_y": 5}


def _z_signed(x: np.ndarray, d: float, correct: bool, sign_only: bool = False) -> float:
    """Independent standardised signed-rank statistic of x - d (R's W function)."""
    xd = x - d
    xd = xd[xd != 0]
    nx = xd.size
    r = stats.rankdata(np.abs(xd))
    z = r[xd > 0].sum() - nx * (nx + 1) / 4
    _, t = np.unique(r, return_counts=True)
    sigma = math.sqrt(nx * (nx + 1) * (2 * nx + 1) / 24 - np.sum(t**3 - t) / 48)
    corr = 0.5 * np.sign(z) if correct else 0.0
    return (z - corr) / sigma


def test_normal_method_limits_solve_the_wilcoxon_equation() -> None:
    rng = np.random.default_rng(7)
    x = np.round(rng.standard_t(5, size=80) + 0.3, 2)  # ties, n >= 50 -> normal
    res = sc.hodges_lehmann(x)
    assert res.details["exact"] is False
    lo, hi = res.confidence_interval
    zq = stats.norm.ppf(0.975)
    tol = 2e-4  # R's tol.root = 1e-4 on each side
    # the corrected statistic crosses +zq at the lower limit and -zq at the upper limit
    assert _z_signed(x, lo - tol, True) >= zq >= _z_signed(x, lo + tol, True)
    assert _z_signed(x, hi - tol, True) >= -zq >= _z_signed(x, hi + tol, True)
    # R's estimate is the root of the uncorrected centred statistic
    assert _z_signed(x, res.estimate - tol, False) >= 0 >= _z_signed(x, res.estimate + tol, False)


def test_normal_estimate_is_root_not_walsh_median_but_close() -> None:
    # n(n+1)/2 odd -> the root is the median Walsh average, within R's root tolerance
    x = np.array([0.12, 1.71, -0.53, 2.2, 0.98, 1.4, -0.05, 0.61, 3.3, 0.77, 1.05, 0.4, 2.6])
    assert (x.size * (x.size + 1) // 2) % 2 == 1
    res = sc.hodges_lehmann(x, exact=False)
    assert res.estimate == pytest.approx(np.median(_walsh(x)), abs=1.1e-4)
    # R: wilcox.test(x, exact = FALSE, conf.int = TRUE) uses the same corrected interval; the
    # exact and normal intervals differ but overlap heavily on these data
    ex = sc.hodges_lehmann(x, exact=True)
    assert ex.estimate == pytest.approx(np.median(_walsh(x)), abs=1e-14)
    assert abs(res.confidence_interval.low - ex.confidence_interval.low) < 0.2


def test_normal_two_sample_limits_solve_the_wilcoxon_equation() -> None:
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(1.0, 1.0, size=60), 1)
    y = np.round(rng.normal(0.0, 1.0, size=70), 1)
    res = sc.hodges_lehmann(x, y)
    assert res.details["exact"] is False

    def z(d: float, correct: bool) -> float:
        m, n = x.size, y.size
        r = stats.rankdata(np.concatenate([x - d, y]))
        dz = r[:m].sum() - m * (m + 1) / 2 - m * n / 2
        _, t = np.unique(r, return_counts=True)
        sigma = math.sqrt(m * n / 12 * ((m + n + 1) - np.sum(t**3 - t) / ((m + n) * (m + n - 1))))
        return (dz - (0.5 * np.sign(dz) if correct else 0.0)) / sigma

    zq, tol = stats.norm.ppf(0.975), 2e-4
    lo, hi = res.confidence_interval
    assert z(lo - tol, True) >= zq >= z(lo + tol, True)
    assert z(hi - tol, True) >= -zq >= z(hi + tol, True)
    assert z(res.estimate - tol, False) >= 0 >= z(res.estimate + tol, False)
    diffs = np.subtract.outer(x, y).ravel()
    assert abs(res.estimate - np.median(diffs)) <= 0.1  # a gap between differences at most


def test_large_sample_uses_normal_method_without_walsh_averages() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(0.5, 1.0, size=200_000)  # 2e10 Walsh averages would not fit in memory
    start = time.perf_counter()
    res = sc.hodges_lehmann(x)
    assert time.perf_counter() - start < 60
    assert res.details["exact"] is False
    assert res.estimate == pytest.approx(0.5, abs=0.02)
    lo, hi = res.confidence_interval
    assert lo < res.estimate < hi
    assert hi - lo == pytest.approx(2 * 1.96 * 1.0233 / math.sqrt(x.size), rel=0.05)


@pytest.mark.filterwarnings("ignore:requested confidence_level")
def test_exact_with_zero_follows_r_and_warns() -> None:
    x = [0.0, 1.2, -0.4, 2.5, 0.9, 1.7]
    assert sc.hodges_lehmann(x).details["exact"] is False  # auto: a zero -> normal (R)
    with pytest.warns(UserWarning, match="zeroes"):
        res = sc.hodges_lehmann(x, exact=True)
    assert res.details["exact"] is False


def test_unachievable_level_warns_and_reports_achieved_level() -> None:
    # R: wilcox.test(c(1, 2, 4), conf.int = TRUE) warns "requested conf.level not achievable"
    # and reports conf.level 0.75 = 1 - 2 * P(V <= 0) = 1 - 2/8
    with pytest.warns(UserWarning, match="not achievable"):
        res = sc.hodges_lehmann([1.0, 2.0, 4.0])
    assert res.confidence_level == pytest.approx(0.75)
    assert tuple(res.confidence_interval) == (1.0, 4.0)


def test_exact_with_ties_is_valid_interval() -> None:
    x = np.array([1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 7.0, 8.0, 8.0])
    res = sc.hodges_lehmann(x)
    assert res.details["exact"] is True
    walsh = _walsh(x)
    assert res.estimate == np.median(walsh)
    lo, hi = res.confidence_interval
    assert lo in walsh and hi in walsh
    assert lo < res.estimate < hi


def test_nan_policies_and_inputs_not_modified() -> None:
    x = np.array([1.2, np.nan, 0.4, 2.2, 1.9, -0.3])
    copy = x.copy()
    with pytest.raises(ValueError, match="`x` has 1 NaN value"):
        sc.hodges_lehmann(x)
    omit = sc.hodges_lehmann(x, nan_policy="omit")
    assert omit.estimate == sc.hodges_lehmann(x[~np.isnan(x)]).estimate
    prop = sc.hodges_lehmann(x, nan_policy="propagate")
    assert math.isnan(prop.estimate) and math.isnan(prop.confidence_interval.low)
    np.testing.assert_array_equal(x, copy)
    y = [0.1, 0.3, np.nan]
    assert math.isnan(sc.hodges_lehmann([1.0, 2.0], y, nan_policy="propagate").estimate)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": []}, ValueError, "`x` is empty"),
        ({"x": [np.nan, np.nan]}, ValueError, "`x` is all NaN"),
        ({"x": [1.0, np.inf, 2.0]}, ValueError, "`x` has 1 infinite value"),
        ({"x": [1.0]}, ValueError, "`x` needs at least 2 observations"),
        ({"x": "abc"}, TypeError, "`x` must be array-like of numbers"),
        ({"x": [1.0, 2.0], "y": ["a"]}, TypeError, "`y` must contain numbers"),
        (
            {"x": [1.0, 2.0], "confidence_level": 1.5},
            ValueError,
            r"`confidence_level` must be in \(0, 1\)",
        ),
        ({"x": [1.0, 2.0], "exact": "yes"}, TypeError, "`exact` must be True, False or None"),
        ({"x": [1.0, 2.0], "correction": "yes"}, TypeError, "`correction` must be True or False"),
        ({"x": [3.0] * 60}, ValueError, "all observations are tied"),
    ],
)
def test_bad_input(kwargs: dict, exc: type, match: str) -> None:
    x = kwargs.pop("x")
    y = kwargs.pop("y", None)
    with pytest.raises(exc, match=match):
        sc.hodges_lehmann(x, y, **kwargs)


def test_exact_refused_when_too_large() -> None:
    x = np.arange(1.0, 3001.0) + 0.5
    with pytest.raises(ValueError, match="exact=False"):
        sc.hodges_lehmann(x, exact=True)


def _coverage(n_rep: int, n: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n_rep):
        x = rng.standard_t(3, size=n) + 1.0  # symmetric about 1
        lo, hi = sc.hodges_lehmann(x).confidence_interval
        hits += lo <= 1.0 <= hi
    return hits / n_rep


def test_coverage_fast() -> None:
    # exact interval, n = 15: achieved level 1 - 2 P(V <= 25) = 0.9521 (conservative by design)
    cov = _coverage(600, 15, 2026)
    assert 0.93 <= cov <= 0.975


@pytest.mark.slow
def test_coverage_full() -> None:
    cov = _coverage(10_000, 15, 2027)
    assert abs(cov - 0.9521) < 0.006
