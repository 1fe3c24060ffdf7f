"""Tests for statcraft.estimators.location."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc

# MASS chem data (Venables & Ripley, MASS ?chem): 24 determinations of copper in wholemeal flour
CHEM = [2.90, 3.10, 3.40, 3.40, 3.70, 3.70, 2.80, 2.50, 2.40, 2.40, 2.70, 2.20,
        5.28, 3.37, 3.03, 3.03, 28.95, 3.77, 3.40, 2.20, 3.50, 3.60, 3.70, 3.70]  # fmt: skip

# R datasets::sleep, extra (hours) for group 1 and group 2 (same 10 patients)
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# ---------------------------------------------------------------------------------------------
# mean
# ---------------------------------------------------------------------------------------------


def test_mean_matches_r_paired_sleep():
    # R: with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))
    #    mean of the differences -1.58; 95 percent confidence interval: -2.4598858 -0.7001142
    d = np.subtract(SLEEP_1, SLEEP_2)
    res = sc.mean(d)
    assert res.estimate == pytest.approx(-1.58, abs=1e-12)
    assert res.confidence_interval.low == pytest.approx(-2.4598858, abs=5e-8)
    assert res.confidence_interval.high == pytest.approx(-0.7001142, abs=5e-8)
    assert res.details["df"] == 9
    assert res.n == 10


def test_mean_matches_r_one_sample():
    # R 3.6.0 (process_improve tests/test_univariate.py):
    # r1 <- c(108, 89.52, 95.16, 101.61, 99.19, 100, 93.55, 97.58, 93.55, 98.39, 88.71, 94.35)
    # t.test(r1 - 90)$conf.int -> 3.230888 10.037445
    r1 = np.array([108, 89.52, 95.16, 101.61, 99.19, 100, 93.55, 97.58, 93.55, 98.39, 88.71, 94.35])
    lo, hi = sc.mean(r1 - 90).confidence_interval
    assert lo == pytest.approx(3.230888, abs=5e-7)
    assert hi == pytest.approx(10.037445, abs=5e-7)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_mean_against_scipy(alternative, level):
    rng = np.random.default_rng(1)
    x = rng.gamma(2.0, size=17)
    ref = stats.ttest_1samp(x, 0.0, alternative=alternative).confidence_interval(level)
    res = sc.mean(x, confidence_level=level, alternative=alternative)
    assert res.confidence_interval.low == pytest.approx(ref.low, rel=1e-12)
    assert res.confidence_interval.high == pytest.approx(ref.high, rel=1e-12)
    assert res.std_error == pytest.approx(stats.sem(x), rel=1e-12)
    if alternative == "less":
        assert res.confidence_interval.low == -math.inf
    if alternative == "greater":
        assert res.confidence_interval.high == math.inf


# ---------------------------------------------------------------------------------------------
# trimmed and winsorized means
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 10, 11, 24, 37])
@pytest.mark.parametrize("prop", [0.1, 0.2, 0.25])
def test_trimmed_mean_against_scipy_mstats(n, prop):
    # scipy.stats.mstats.trimmed_mean_ci: trimmed mean +- t_{h-1} s_w / ((1 - 2 prop) sqrt(n)),
    # an independent implementation of Tukey-McLaughlin / Wilcox's trimci
    rng = np.random.default_rng(n)
    x = rng.standard_t(3, size=n)
    if n - 2 * math.floor(prop * n) < 2:
        pytest.skip("too few observations left")
    res = sc.trimmed_mean(x, prop)
    ref_ci = stats.mstats.trimmed_mean_ci(x, limits=(prop, prop), alpha=0.05)
    ref_se = float(stats.mstats.trimmed_stde(x, limits=(prop, prop)))
    assert res.estimate == pytest.approx(stats.trim_mean(x, prop), rel=1e-12)
    assert res.std_error == pytest.approx(ref_se, rel=1e-12)
    assert res.confidence_interval.low == pytest.approx(float(ref_ci[0]), rel=1e-12)
    assert res.confidence_interval.high == pytest.approx(float(ref_ci[1]), rel=1e-12)
    assert res.details["df"] == n - 2 * math.floor(prop * n) - 1


def test_trimmed_mean_chem_by_hand():
    # Wilcox trimci(chem, tr = 0.2) by the formulas: n = 24, g = 4, h = 16, df = 15;
    # trimmed mean = mean of sorted[5:20]; winsorized variance from the sample with the 4
    # extremes at each end replaced by sorted[5] = 2.7 and sorted[20] = 3.7.
    y = sorted(CHEM)
    tm = sum(y[4:20]) / 16
    w = [min(max(v, y[4]), y[19]) for v in CHEM]
    wbar = sum(w) / 24
    wvar = sum((v - wbar) ** 2 for v in w) / 23
    se = math.sqrt(wvar) / (0.6 * math.sqrt(24))
    q = stats.t.ppf(0.975, 15)
    res = sc.trimmed_mean(CHEM)
    assert res.estimate == pytest.approx(tm, rel=1e-14)
    assert res.std_error == pytest.approx(se, rel=1e-13)
    assert res.confidence_interval == pytest.approx((tm - q * se, tm + q * se), rel=1e-13)


def test_trimmed_mean_zero_proportion_is_mean():
    x = [1.2, 3.4, 2.2, 5.1, 0.3, 2.9]
    a, b = sc.trimmed_mean(x, 0.0), sc.mean(x)
    assert a.estimate == pytest.approx(b.estimate)
    assert a.confidence_interval == pytest.approx(b.confidence_interval)


def test_trimmed_mean_one_sided():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(30)
    two = sc.trimmed_mean(x, confidence_level=0.9)
    less = sc.trimmed_mean(x, confidence_level=0.95, alternative="less")
    greater = sc.trimmed_mean(x, confidence_level=0.95, alternative="greater")
    # a one-sided 95% bound is the matching end of the two-sided 90% interval
    assert less.confidence_interval == pytest.approx((-math.inf, two.confidence_interval.high))
    assert greater.confidence_interval == pytest.approx((two.confidence_interval.low, math.inf))


def test_winsorized_mean_against_scipy():
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=23)
    res = sc.winsorized_mean(x, 0.2)
    g = math.floor(0.2 * 23)
    w = stats.mstats.winsorize(x, limits=(0.2, 0.2))
    assert res.estimate == pytest.approx(float(np.mean(w)), rel=1e-12)
    # Wilcox's winci uses the trimmed-mean standard error and df = n - 2g - 1
    ref_se = float(stats.mstats.trimmed_stde(x, limits=(0.2, 0.2)))
    q = stats.t.ppf(0.975, 23 - 2 * g - 1)
    assert res.std_error == pytest.approx(ref_se, rel=1e-12)
    assert res.confidence_interval == pytest.approx(
        (res.estimate - q * ref_se, res.estimate + q * ref_se), rel=1e-12
    )


@pytest.mark.parametrize("f", [sc.trimmed_mean, sc.winsorized_mean])
def test_trim_bad_proportion_and_degenerate(f):
    with pytest.raises(ValueError, match=r"`trim` must be in \[0, 0.5\)"):
        f([1.0, 2.0, 3.0], 0.5)
    with pytest.raises(ValueError, match=r"`trim` must be in \[0, 0.5\)"):
        f([1.0, 2.0, 3.0], -0.1)
    with pytest.raises(TypeError, match="`trim` must be a real number"):
        f([1.0, 2.0, 3.0], "0.2")
    with pytest.raises(ValueError, match="leaves fewer than 2"):
        f([1.0, 2.0, 3.0, 4.0, 5.0], 0.45)
    # the middle of the sample is constant: the winsorized variance is zero
    with pytest.raises(ValueError, match="winsorized variance of `x` is 0"):
        f([1.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 9.0], 0.2)


# ---------------------------------------------------------------------------------------------
# median
# ---------------------------------------------------------------------------------------------


def brute_force_median_ranks(n, level):
    """Largest l with exact coverage 1 - 2 P(Bin(n, 1/2) <= l - 1) >= level (Fractions)."""
    best = None
    for lo in range(1, n // 2 + 1):
        tail = sum(Fraction(math.comb(n, j), 2**n) for j in range(lo))
        cov = 1 - 2 * tail
        if cov >= Fraction(level).limit_denominator(10**9):
            best = (lo, n + 1 - lo, float(cov))
    return best


@pytest.mark.parametrize("n", [6, 7, 8, 9, 10, 11, 15, 20, 31, 50, 101])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_median_interval_against_brute_force(n, level):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n)
    y = np.sort(x)
    ref = brute_force_median_ranks(n, level)
    if ref is None:
        with pytest.warns(UserWarning, match="not achievable with"):
            res = sc.median(x, confidence_level=level)
        assert res.confidence_interval == (y[0], y[-1])
        return
    lo, hi, cov = ref
    res = sc.median(x, confidence_level=level)
    assert res.estimate == float(np.median(x))
    assert res.confidence_interval == (y[lo - 1], y[hi - 1])
    assert res.details["achieved_coverage"] == pytest.approx(cov, rel=1e-12)
    assert res.details["achieved_coverage"] >= level
    assert (res.details["lower_rank"], res.details["upper_rank"]) == (lo, hi)
    assert res.std_error is None


@pytest.mark.parametrize(
    ("alternative", "bounds", "level"),
    [
        ("two-sided", (1.0, 7.0), 1 - 2 * 0.5**4),  # [min, max] covers 1 - 2 / 2^n
        ("greater", (1.0, math.inf), 1 - 0.5**4),
        ("less", (-math.inf, 7.0), 1 - 0.5**4),
    ],
)
def test_median_of_four_values_keeps_its_estimate(alternative, bounds, level):
    # Issue 11: a 95% distribution-free interval needs n >= 6 (two-sided) or n >= 5 (one-sided).
    # As R's wilcox.test ("requested conf.level not achievable"), the estimate is returned with
    # the widest interval, its achieved level and a warning.
    with pytest.warns(UserWarning, match=r"requested confidence_level 0.95 is not achievable"):
        res = sc.median([3.0, 1.0, 7.0, 2.0], alternative=alternative)
    assert res.estimate == 2.5
    assert res.confidence_interval == bounds
    assert res.confidence_level == pytest.approx(level)
    assert res.details["achieved_coverage"] == pytest.approx(level)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("n", [10, 25, 60])
def test_median_against_scipy_quantile_test(alternative, n):
    # scipy.stats.quantile_test(...).confidence_interval: the same order-statistic interval
    rng = np.random.default_rng(100 + n)
    x = rng.exponential(size=n)
    ref = stats.quantile_test(x, q=np.median(x), p=0.5, alternative=alternative)
    ref_ci = ref.confidence_interval(0.95)
    res = sc.median(x, alternative=alternative)
    low = -math.inf if np.isnan(ref_ci.low) else ref_ci.low
    high = math.inf if np.isnan(ref_ci.high) else ref_ci.high
    assert res.confidence_interval == (low, high)


def test_median_docstring_example_by_hand():
    # n = 10: P(Bin(10, 1/2) <= 1) = 11/1024 <= 0.025 < P(<= 2) = 56/1024, so l = 2, u = 9
    # and the exact coverage is 1 - 22/1024 = 0.978515625
    x = [3.1, 4.2, 2.8, 5.9, 4.4, 3.7, 6.1, 3.3, 4.0, 5.2]
    res = sc.median(x)
    assert res.confidence_interval == (3.1, 5.9)
    assert res.details["achieved_coverage"] == 1 - 22 / 1024


def test_median_too_small():
    with pytest.warns(UserWarning, match="with 5 observations .* needs at least 6"):
        res = sc.median([1.0, 2.0, 3.0, 4.0, 5.0])
    assert res.confidence_interval == (1.0, 5.0)
    # one-sided needs fewer: P(Bin(5, 1/2) = 0) = 1/32 <= 0.05
    res = sc.median([1.0, 2.0, 3.0, 4.0, 5.0], alternative="greater")
    assert res.confidence_interval == (1.0, math.inf)
    assert res.details["achieved_coverage"] == 1 - 1 / 32


# ---------------------------------------------------------------------------------------------
# Huber
# ---------------------------------------------------------------------------------------------


def test_huber_chem_matches_mass():
    # MASS (Venables & Ripley 2002, section 5.5): huber(chem) -> $mu 3.206724, $s 0.526323
    res = sc.huber_location(CHEM)
    assert res.estimate == pytest.approx(3.206724, abs=5e-7)
    assert res.details["scale"] == pytest.approx(0.526323, abs=5e-7)
    assert res.details["converged"]


def test_hubers_chem_matches_mass_and_statsmodels():
    # MASS: hubers(chem) -> $mu 3.205498, $s 0.673652
    res = sc.huber_location(CHEM, scale="proposal2")
    assert res.estimate == pytest.approx(3.205498, abs=5e-7)
    assert res.details["scale"] == pytest.approx(0.673652, abs=5e-7)
    # statsmodels docstring, sm.robust.scale.huber(chem) (tol 1e-8):
    # (3.2054980819923693, 0.67365260010478967)
    tight = sc.huber_location(CHEM, scale="proposal2", tol=1e-12)
    assert tight.estimate == pytest.approx(3.2054980819923693, abs=1e-7)
    assert tight.details["scale"] == pytest.approx(0.67365260010478967, abs=1e-7)


# R 2.2.1, robustbase tests/huber-etc.Rout.save, MASS::huber(x)$mu:
#   x3 = c(1:2, 10) -> 2.611949; y = 1:10 -> 5.5; y. = 1:11 -> 6; y1 = c(1:10, 100) -> 6.167169;
#   y1. = c(1:11, 100) -> 6.606518; y2 = c(1:10, 100, 1000) -> 6.834339;
#   y2. = c(1:11, 100, 1000) -> 7.213034; x2 = 1:2 -> 1.5
R_HUBER = [
    ([1, 2, 10], 2.611949),
    (list(range(1, 11)), 5.5),
    (list(range(1, 12)), 6.0),
    ([*range(1, 11), 100], 6.167169),
    ([*range(1, 12), 100], 6.606518),
    ([*range(1, 11), 100, 1000], 6.834339),
    ([*range(1, 12), 100, 1000], 7.213034),
    ([1, 2], 1.5),
]


@pytest.mark.parametrize(("x", "expected"), R_HUBER)
def test_huber_matches_robustbase_printout(x, expected):
    assert sc.huber_location(x).estimate == pytest.approx(expected, abs=5e-7)


def test_huber_std_error_against_statsmodels_rlm():
    # statsmodels RLM (HuberT(1.5), scale fixed at the MAD, cov='H1') is an independent
    # implementation of the M-estimate and of Huber's corrected asymptotic variance.
    # Its MAD constant is 1/qnorm(3/4) = 1.482602..., R's is 1.4826: relative difference 1.5e-6.
    sm = pytest.importorskip("statsmodels.api")
    for data in (CHEM, np.random.default_rng(9).standard_t(2, size=60)):
        x = np.asarray(data, dtype=float)
        fit = sm.RLM(x, np.ones((x.size, 1)), M=sm.robust.norms.HuberT(t=1.5)).fit(
            update_scale=False, conv="coefs", tol=1e-13, maxiter=500,
            start_params=np.array([np.median(x)]),
        )  # fmt: skip
        res = sc.huber_location(x, tol=1e-13)
        assert res.estimate == pytest.approx(float(fit.params[0]), rel=1e-5)
        assert res.std_error == pytest.approx(float(fit.bse[0]), rel=1e-5)
        z = stats.norm.ppf(0.975)
        assert res.confidence_interval == pytest.approx(
            (res.estimate - z * res.std_error, res.estimate + z * res.std_error)
        )


def test_huber_k_and_bad_input():
    # large k: no observation is winsorized, so the estimate is the mean
    x = [1.0, 2.0, 4.0, 5.5, 3.0]
    assert sc.huber_location(x, k=100).estimate == pytest.approx(np.mean(x))
    with pytest.raises(ValueError, match="`k` must be positive"):
        sc.huber_location(x, k=0)
    with pytest.raises(ValueError, match="`scale` must be one of 'mad', 'proposal2'"):
        sc.huber_location(x, scale="iqr")
    with pytest.raises(ValueError, match="median absolute deviation of 0"):
        sc.huber_location([1.0, 1.0, 1.0, 2.0, 50.0])
    with pytest.raises(ValueError, match="`tol` must be positive"):
        sc.huber_location(x, tol=0)


def test_huber_nonconvergence_warns():
    with pytest.warns(RuntimeWarning, match="did not converge in 1 iterations"):
        res = sc.huber_location(CHEM, max_iter=1)
    assert not res.details["converged"]


# ---------------------------------------------------------------------------------------------
# geometric mean
# ---------------------------------------------------------------------------------------------


def test_geometric_mean_against_scipy():
    rng = np.random.default_rng(12)
    x = rng.lognormal(1.0, 0.7, size=25)
    res = sc.geometric_mean(x)
    ref = stats.ttest_1samp(np.log(x), 0.0).confidence_interval(0.95)
    assert res.estimate == pytest.approx(stats.gmean(x), rel=1e-12)
    assert res.confidence_interval == pytest.approx(
        (math.exp(ref.low), math.exp(ref.high)), rel=1e-12
    )
    with pytest.raises(ValueError, match="`x` has 1 value <= 0"):
        sc.geometric_mean([1.0, 2.0, 0.0])


# ---------------------------------------------------------------------------------------------
# common behaviour
# ---------------------------------------------------------------------------------------------

ALL = [sc.mean, sc.trimmed_mean, sc.winsorized_mean, sc.median, sc.huber_location,
       sc.geometric_mean]  # fmt: skip


@pytest.mark.parametrize("f", ALL)
def test_bad_input(f):
    with pytest.raises(ValueError, match="`x` is empty"):
        f([])
    with pytest.raises(ValueError, match="`x` is all NaN"):
        f([np.nan, np.nan])
    with pytest.raises(ValueError, match="`x` has 1 NaN value; pass nan_policy='omit'"):
        f([1.0, np.nan, 3.0, 4.0, 6.0, 2.5, 7.0])
    with pytest.raises(ValueError, match="`x` has 1 infinite value"):
        f([1.0, np.inf, 3.0])
    with pytest.raises(TypeError, match="`x` must contain numbers"):
        f(["a", "b", "c"])
    with pytest.raises(TypeError, match="`x` must be array-like of numbers; got a string"):
        f("abc")
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\); got 1.5"):
        f([1.0, 2.0, 3.0], confidence_level=1.5)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\)"):
        f([1.0, 2.0, 3.0], confidence_level=0)
    with pytest.raises(ValueError, match="`alternative` must be one of"):
        f([1.0, 2.0, 3.0], alternative="bigger")
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        f([1.0, 2.0, 3.0], nan_policy="drop")
    with pytest.raises(ValueError, match="`x` must be one-dimensional"):
        f(np.ones((3, 3)))


@pytest.mark.parametrize("f", [sc.mean, sc.trimmed_mean, sc.winsorized_mean, sc.huber_location,
                               sc.geometric_mean])  # fmt: skip
def test_needs_two_observations(f):
    with pytest.raises(ValueError, match="`x` needs at least 2 observations; got 1"):
        f([3.0])


@pytest.mark.parametrize("f", [sc.mean, sc.geometric_mean])
def test_constant_data(f):
    with pytest.raises(ValueError, match=r"`x` is constant .* positive variance"):
        f([2.0, 2.0, 2.0])


@pytest.mark.parametrize("f", ALL)
def test_nan_policy(f):
    clean = [2.1, 3.5, 1.2, 4.8, 2.9, 3.3, 5.6, 2.2, 3.9, 4.1, 2.7, 3.0]
    x = [*clean[:5], np.nan, *clean[5:]]
    a = f(x, nan_policy="omit")
    b = f(clean)
    assert a.estimate == b.estimate
    assert a.confidence_interval == b.confidence_interval
    assert a.n == len(clean)
    p = f(x, nan_policy="propagate")
    assert math.isnan(p.estimate)
    assert math.isnan(p.confidence_interval.low) and math.isnan(p.confidence_interval.high)


@pytest.mark.parametrize("f", ALL)
def test_inputs_not_modified_and_types(f):
    x = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 7.5, 6.1, 0.5, 8.8])
    before = x.copy()
    s = pd.Series(x.copy(), name="v")
    res = f(x)
    res_s = f(s)
    assert np.array_equal(x, before)
    assert np.array_equal(s.to_numpy(), before)
    assert res.estimate == res_s.estimate
    assert type(res.estimate) is float
    assert all(type(b) is float for b in res.confidence_interval)
    assert res.std_error is None or type(res.std_error) is float
    assert res.confidence_level == 0.95
    assert res.n == 10
    row = res.to_frame()
    assert list(row.columns)[:4] == ["estimate", "std_error", "ci_low", "ci_high"]


@pytest.mark.parametrize("f", ALL)
def test_interval_contains_estimate_and_narrows_with_level(f):
    rng = np.random.default_rng(21)
    x = rng.lognormal(size=40)
    wide = f(x, confidence_level=0.99).confidence_interval
    narrow = f(x, confidence_level=0.8).confidence_interval
    est = f(x).estimate
    assert wide.low <= narrow.low <= est <= narrow.high <= wide.high
