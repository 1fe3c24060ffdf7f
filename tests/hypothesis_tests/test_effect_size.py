"""Tests of statcraft.hypothesis_tests.effect_size against R's effectsize and independent code."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, special, stats

import statcraft as sc

# R datasets typed in from their documentation.
# mtcars$mpg and mtcars$am (R `datasets::mtcars`)
MPG = np.array(
    [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4,
     10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7,
     15.0, 21.4]
)  # fmt: skip
AM = np.array(
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
)
WT = np.array(
    [2.620, 2.875, 2.320, 3.215, 3.440, 3.460, 3.570, 3.190, 3.150, 3.440, 3.440, 4.070, 3.730,
     3.780, 5.250, 5.424, 5.345, 2.200, 1.615, 1.835, 2.465, 3.520, 3.435, 3.840, 3.845, 1.935,
     2.140, 1.513, 3.170, 2.770, 3.570, 2.780]
)  # fmt: skip
MPG0, MPG1 = MPG[AM == 0], MPG[AM == 1]
# sleep$extra by group (R `datasets::sleep`)
SLEEP1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
# Brake-pad wear by type (Verzani, Using R, problem 11.12)
WEAR = (
    np.array([303, 293, 296, 299, 298.0]),
    np.array([322, 326, 315, 318, 320, 320.0]),
    np.array([309, 327, 317, 315.0]),
)

# Reference values: effectsize 0.8.3 as stored by tidystats (tests/data/effectsize.json of
# WillemSleegers/tidystats), printed to 6 decimals.
EFFECTSIZE = [
    # (function, args, kwargs, estimate, ci_low, ci_high)
    # R: cohens_d(mpg ~ am, data = mtcars)
    (sc.cohens_d, (MPG0, MPG1), {}, -1.477947, -2.265973, -0.670569),
    # R: cohens_d(mpg ~ am, data = mtcars, mu = -5)
    (sc.cohens_d, (MPG0, MPG1), {"mu": -5}, -0.457961, -1.169095, 0.26058),
    # R: cohens_d(mpg ~ am, data = mtcars, alternative = "less")
    (sc.cohens_d, (MPG0, MPG1), {"alternative": "less"}, -1.477947, -math.inf, -0.797779),
    # R: cohens_d(wt ~ 1, data = mtcars)
    (sc.cohens_d, (WT,), {}, 3.288084, 2.398357, 4.168372),
    # R: cohens_d(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep)
    (sc.cohens_d, (SLEEP1, SLEEP2), {"paired": True}, -1.284558, -2.118017, -0.414628),
    # R: hedges_g(mpg ~ am, data = mtcars)
    (sc.hedges_g, (MPG0, MPG1), {}, -1.440635, -2.208767, -0.65364),
    # R: hedges_g(mpg ~ am, data = mtcars, mu = -5)
    (sc.hedges_g, (MPG0, MPG1), {"mu": -5}, -0.4464, -1.13958, 0.254002),
    # R: hedges_g(mpg ~ am, data = mtcars, alternative = "less")
    (sc.hedges_g, (MPG0, MPG1), {"alternative": "less"}, -1.440635, -math.inf, -0.777638),
    # R: hedges_g(wt ~ 1, data = mtcars)
    (sc.hedges_g, (WT,), {}, 3.207777, 2.339781, 4.066566),
    # R: hedges_g(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep)
    (sc.hedges_g, (SLEEP1, SLEEP2), {"paired": True}, -1.173925, -1.935602, -0.378918),
    # R: cohens_d(mpg ~ am, data = mtcars, pooled_sd = FALSE)
    (sc.cohens_d, (MPG0, MPG1), {"pooled_sd": False}, -1.411046, -2.260021, -0.534226),
    # R: hedges_g(mpg ~ am, data = mtcars, pooled_sd = FALSE)
    (sc.hedges_g, (MPG0, MPG1), {"pooled_sd": False}, -1.352384, -2.166064, -0.512016),
    # R: glass_delta(mpg ~ am, data = mtcars)
    (sc.glass_delta, (MPG0, MPG1), {}, -1.174886, -1.927446, -0.39169),
    # R: glass_delta(mpg ~ am, data = mtcars, mu = -5)
    (sc.glass_delta, (MPG0, MPG1), {"mu": -5}, -0.364054, -0.984968, 0.271069),
    # R: glass_delta(mpg ~ am, data = mtcars, alternative = "less")
    (sc.glass_delta, (MPG0, MPG1), {"alternative": "less"}, -1.174886, -math.inf, -0.511544),
]


@pytest.mark.parametrize(("fun", "args", "kwargs", "est", "lo", "hi"), EFFECTSIZE)
def test_against_r_effectsize(fun, args, kwargs, est, lo, hi):
    res = fun(*args, **kwargs)
    assert res.estimate == pytest.approx(est, abs=1.5e-6)
    assert res.confidence_interval.low == pytest.approx(lo, abs=1.5e-6)
    assert res.confidence_interval.high == pytest.approx(hi, abs=1.5e-6)
    assert res.confidence_level == 0.95
    assert isinstance(res.estimate, float)


def test_mtcars_data_typed_correctly():
    # R: t.test(mpg ~ am, data = mtcars, var.equal = TRUE) -> t = -4.1061, df = 30
    t = stats.ttest_ind(MPG0, MPG1).statistic
    assert t == pytest.approx(-4.1061, abs=5e-5)
    assert MPG0.mean() == pytest.approx(17.14737, abs=5e-6)
    assert WT.mean() == pytest.approx(3.21725, abs=1e-10)


def test_greater_alternative_is_mirror_of_less():
    less = sc.cohens_d(MPG1, MPG0, alternative="greater")
    # R: cohens_d(mpg ~ am, data = mtcars, alternative = "less") -> upper -0.797779
    assert less.confidence_interval.low == pytest.approx(0.797779, abs=1.5e-6)
    assert less.confidence_interval.high == math.inf


def test_d_interval_defining_property_with_independent_inversion():
    # The limits must make the observed t the 97.5% / 2.5% quantile of the noncentral t;
    # checked with scipy.special.nctdtrinc (CDFLIB's own search, independent of our root finder)
    x = np.array([5.1, 4.8, 6.0, 5.5, 5.9, 6.2, 5.4])
    y = np.array([4.2, 4.9, 4.4, 5.0, 4.1, 4.6, 4.8, 5.2])
    res = sc.cohens_d(x, y)
    n1, n2 = x.size, y.size
    t = stats.ttest_ind(x, y).statistic
    h = math.sqrt(1 / n1 + 1 / n2)
    df = n1 + n2 - 2
    assert res.confidence_interval.low == pytest.approx(
        special.nctdtrinc(df, 0.975, t) * h, rel=1e-6
    )
    assert res.confidence_interval.high == pytest.approx(
        special.nctdtrinc(df, 0.025, t) * h, rel=1e-6
    )
    assert res.details["t"] == pytest.approx(t, rel=1e-12)


def test_hedges_correction_is_exact_gamma_ratio():
    x, y = MPG0, MPG1
    d = sc.cohens_d(x, y).estimate
    g = sc.hedges_g(x, y).estimate
    df = x.size + y.size - 2
    j = math.gamma(df / 2) / (math.sqrt(df / 2) * math.gamma((df - 1) / 2))
    assert g == pytest.approx(d * j, rel=1e-12)


def test_large_t_interval_is_finite_and_ordered():
    x = np.arange(30.0)
    res = sc.hedges_g(x + 100.0, x)
    lo, hi = res.confidence_interval
    assert math.isfinite(lo) and math.isfinite(hi)
    assert lo < res.estimate < hi


# ------------------------------------------------------------------ eta / omega squared


def _brute_force_ncp(f_obs, df1, df2, prob):
    """Independent inversion: scipy.stats.ncf.cdf with brentq on a wide fixed bracket."""
    if stats.f.cdf(f_obs, df1, df2) <= prob:
        return 0.0
    return optimize.brentq(lambda lam: stats.ncf.cdf(f_obs, df1, df2, lam) - prob, 0.0, 1e4)


def test_eta_squared_wear_data():
    # R: summary(lm(values ~ ind, data = wear.st)) -> F-statistic: 31 on 2 and 12 DF,
    # p-value: 1.81e-05 (Verzani, Using R, problem 11.12)
    res = sc.eta_squared(*WEAR)
    f_obs = res.details["F"]
    assert f_obs == pytest.approx(31.0, abs=0.05)
    assert res.details["df_between"] == 2 and res.details["df_within"] == 12
    # eta^2 = F df1 / (F df1 + df2)
    assert res.estimate == pytest.approx(f_obs * 2 / (f_obs * 2 + 12), rel=1e-12)
    n = 15
    lo = _brute_force_ncp(f_obs, 2, 12, 0.975)
    hi = _brute_force_ncp(f_obs, 2, 12, 0.025)
    assert res.confidence_interval.low == pytest.approx(lo / (lo + n), rel=1e-6)
    assert res.confidence_interval.high == pytest.approx(hi / (hi + n), rel=1e-6)


def test_omega_squared_formula_and_shared_interval():
    res = sc.omega_squared(*WEAR)
    means = [g.mean() for g in WEAR]
    allv = np.concatenate(WEAR)
    ssb = sum(g.size * (m - allv.mean()) ** 2 for g, m in zip(WEAR, means, strict=True))
    ssw = sum(((g - g.mean()) ** 2).sum() for g in WEAR)
    msw = ssw / 12
    assert res.estimate == pytest.approx((ssb - 2 * msw) / (ssb + ssw + msw), rel=1e-12)
    assert res.confidence_interval == sc.eta_squared(*WEAR).confidence_interval


def test_eta_squared_lower_limit_zero_when_not_significant():
    rng = np.random.default_rng(1)
    groups = [rng.normal(size=8) for _ in range(3)]
    f_obs = stats.f_oneway(*groups).statistic
    res = sc.eta_squared(*groups)
    if stats.f.cdf(f_obs, 2, 21) <= 0.975:
        assert res.confidence_interval.low == 0.0
    assert res.confidence_interval.high > res.estimate


def test_omega_squared_truncated_at_zero():
    groups = ([1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 2.0], [2.0, 3.0, 1.0, 4.0])
    res = sc.omega_squared(*groups)
    assert res.details["unadjusted"] < 0
    assert res.estimate == 0.0
    assert res.confidence_interval.low == 0.0


def test_eta_squared_one_sided():
    res = sc.eta_squared(*WEAR, alternative="greater")
    f_obs = res.details["F"]
    lo = _brute_force_ncp(f_obs, 2, 12, 0.95)
    assert res.confidence_interval.low == pytest.approx(lo / (lo + 15), rel=1e-6)
    assert res.confidence_interval.high == 1.0


def test_eta_squared_accepts_dict():
    res = sc.eta_squared({"a": WEAR[0], "b": WEAR[1], "c": WEAR[2]})
    assert res.estimate == pytest.approx(sc.eta_squared(*WEAR).estimate)


# ------------------------------------------------------------------ bad input


def test_bad_input():
    with pytest.raises(ValueError, match="`x` needs at least 2"):
        sc.cohens_d([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="`y` needs at least 2"):
        sc.hedges_g([1.0, 2.0], [3.0])
    with pytest.raises(ValueError, match="both constant"):
        sc.cohens_d([1.0, 1.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="`x` is constant"):
        sc.cohens_d([3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="`y` is constant"):
        sc.glass_delta([1.0, 2.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="same length"):
        sc.cohens_d([1.0, 2.0, 3.0], [1.0, 2.0], paired=True)
    with pytest.raises(ValueError, match="NaN"):
        sc.cohens_d([1.0, 2.0, np.nan], [1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="nan_policy"):
        sc.cohens_d([1.0, 2.0, np.nan], [1.0, 2.0, 4.0], nan_policy="propagate")
    with pytest.raises(ValueError, match="infinite"):
        sc.hedges_g([1.0, 2.0, np.inf], [1.0, 2.0, 4.0])
    with pytest.raises(TypeError, match="numbers"):
        sc.cohens_d(["a", "b"], [1.0, 2.0])
    with pytest.raises(ValueError, match="confidence_level"):
        sc.cohens_d([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], confidence_level=1.5)
    with pytest.raises(ValueError, match="alternative"):
        sc.cohens_d([1.0, 2.0, 3.0], alternative="bigger")
    with pytest.raises(ValueError, match="needs both"):
        sc.cohens_d([1.0, 2.0, 3.0], paired=True)
    with pytest.raises(TypeError, match="two samples"):
        sc.glass_delta([1.0, 2.0, 3.0], None)
    with pytest.raises(ValueError, match="2 degrees of freedom"):
        sc.hedges_g([1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2 groups"):
        sc.eta_squared([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"`groups\[1\]` needs at least 2"):
        sc.eta_squared([1.0, 2.0, 3.0], [4.0])
    with pytest.raises(ValueError, match="every group"):
        sc.omega_squared([1.0, 1.0], [2.0, 2.0])
    with pytest.raises(TypeError, match="`pooled_sd`"):
        sc.cohens_d([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], pooled_sd="no")
    with pytest.raises(ValueError, match="both constant"):
        sc.hedges_g([1.0, 1.0], [2.0, 2.0], pooled_sd=False)
    with pytest.raises(TypeError, match="`mu` must be a real number"):
        sc.cohens_d([1.0, 2.0, 3.0], mu="0")


def test_nan_omit_drops_values():
    a = sc.cohens_d([1.0, 2.0, 4.0, np.nan], [1.0, 3.0, 3.0], nan_policy="omit")
    b = sc.cohens_d([1.0, 2.0, 4.0], [1.0, 3.0, 3.0])
    assert a.estimate == b.estimate
    assert a.n == 6


def test_inputs_not_modified():
    x = np.array([3.0, 1.0, 2.0, 5.0])
    y = np.array([2.0, 0.5, 1.0, 4.0])
    xc, yc = x.copy(), y.copy()
    sc.hedges_g(x, y, paired=True)
    sc.glass_delta(x, y)
    sc.eta_squared(x, y)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(y, yc)


# ------------------------------------------------------------------ coverage by simulation


def _coverage_g(n_sim, n1, n2, delta, seed):
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n_sim):
        x = rng.normal(delta, 1.0, n1)
        y = rng.normal(0.0, 1.0, n2)
        lo, hi = sc.hedges_g(x, y).confidence_interval
        hits += lo <= delta <= hi
    return hits / n_sim


def test_hedges_g_coverage_fast():
    # g = J d; the interval is J times the exact interval for delta, so its coverage of J*delta
    # is exact; of delta itself it is near-nominal. With 400 replicates the binomial SD is 0.011.
    cov = _coverage_g(400, 12, 15, 0.8, seed=11)
    assert 0.92 <= cov <= 0.98


@pytest.mark.slow
def test_hedges_g_coverage_full():
    cov = _coverage_g(4000, 10, 14, 0.5, seed=12)
    assert 0.94 <= cov <= 0.96


@pytest.mark.slow
def test_eta_squared_coverage_full():
    # population eta^2 for means (0, 0.5, 1) sd 1, equal n: var(means)/(var(means)+1)
    rng = np.random.default_rng(13)
    means = np.array([0.0, 0.5, 1.0])
    pop = np.var(means) / (np.var(means) + 1.0)
    hits = 0
    n_sim = 2000
    for _ in range(n_sim):
        groups = [rng.normal(m, 1.0, 10) for m in means]
        lo, hi = sc.eta_squared(*groups).confidence_interval
        hits += lo <= pop <= hi
    assert 0.935 <= hits / n_sim <= 0.965


def test_far_tail_interval_where_the_cdf_library_returns_nan():
    # one-sample t = -300 on 3 df: Boost's noncentral t CDF is NaN in parts of the bracket;
    # the limits must still satisfy their defining equations
    x = np.array([-300.0, -299.0, -301.0, -300.0]) / 10.0
    x = x - x.mean() - 300.0 * x.std(ddof=1) / 2.0  # mean / (sd / sqrt(4)) = -300
    res = sc.cohens_d(x)
    t, df = res.details["t"], res.details["df"]
    assert t == pytest.approx(-300.0, rel=1e-9)
    lo, hi = (v * 2.0 for v in res.confidence_interval)  # back to the noncentrality scale
    assert special.nctdtr(df, lo, t) == pytest.approx(0.975, abs=1e-9)
    assert special.nctdtr(df, hi, t) == pytest.approx(0.025, abs=1e-9)


def _groups_with_f(f_value, df1, df2):
    """k = df1 + 1 equal groups with df2 = N - k and the given F statistic exactly."""
    k = df1 + 1
    m = (df2 + k) // k
    assert k * m - k == df2
    dev = np.arange(m) - (m - 1) / 2
    msw = k * np.sum(dev**2) / df2
    centred = np.arange(k) - (k - 1) / 2
    c = math.sqrt(f_value * df1 * msw / (m * np.sum(centred**2)))
    return [c * mu + dev for mu in centred]


@pytest.mark.parametrize(
    ("f_value", "df1", "df2", "low", "high", "digits"),
    [
        # Smithson (2001), p. 619, as pinned by apaTables tests (90% intervals)
        (6.00, 1, 42, 0.0117, 0.2801, 4),
        (2.65, 6, 42, 0.0174, 0.3577, 4),
        (2.50, 6, 42, 0.009, 0.3455, 3),
        # Fidler & Thompson (2001), Table 6 / Table 8 (90% intervals)
        (1.50, 1, 16, 0.0, 0.3167, 4),
        (4.00, 3, 16, 0.0357, 0.5671, 4),
    ],
)
def test_eta_squared_interval_against_published_tables(f_value, df1, df2, low, high, digits):
    groups = _groups_with_f(f_value, df1, df2)
    res = sc.eta_squared(*groups, confidence_level=0.90)
    assert res.details["F"] == pytest.approx(f_value, rel=1e-12)
    assert round(res.confidence_interval.low, digits) == pytest.approx(low, abs=1e-12)
    # the upper limit of the 2.50 row is printed to 4 digits
    assert round(res.confidence_interval.high, 4) == pytest.approx(high, abs=1e-12)
