"""Tests for statcraft.hypothesis_tests.distribution against R outputs and brute force."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.stattools import jarque_bera as sm_jarque_bera

import statcraft as sc

# R datasets::ToothGrowth$len, by supplement (rows 1-30 VC, 31-60 OJ).
TG_VC = [4.2, 11.5, 7.3, 5.8, 6.4, 10, 11.2, 11.2, 5.2, 7, 16.5, 16.5, 15.2, 17.3, 22.5,
         17.3, 13.6, 14.5, 18.8, 15.5, 23.6, 18.5, 33.9, 25.5, 26.4, 32.5, 26.7, 21.5, 23.3,
         29.5]  # fmt: skip
TG_OJ = [15.2, 21.5, 17.6, 9.7, 14.5, 10, 8.2, 9.4, 16.5, 9.7, 19.7, 23.3, 23.6, 26.4, 20,
         25.2, 25.8, 21.2, 14.5, 27.3, 25.5, 26.4, 22.4, 24.5, 24.8, 30.9, 26.4, 27.3, 29.4,
         23]  # fmt: skip
# R datasets::mtcars$mpg
MPG = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4,
       10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7,
       15.0, 21.4]  # fmt: skip
# R datasets::InsectSprays, count by spray A-F
INSECT = [
    [10, 7, 20, 14, 14, 12, 10, 23, 17, 20, 14, 13],
    [11, 17, 21, 11, 16, 14, 17, 17, 19, 21, 7, 13],
    [0, 1, 7, 2, 3, 1, 2, 1, 3, 0, 1, 4],
    [3, 5, 12, 6, 4, 3, 5, 5, 5, 5, 2, 4],
    [3, 5, 3, 5, 3, 6, 1, 1, 3, 2, 6, 4],
    [11, 9, 15, 22, 15, 16, 13, 10, 26, 26, 24, 13],
]
# R datasets::PlantGrowth, weight by group
PLANT = [
    [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14],
    [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69],
    [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26],
]


def test_reference_data_typed_correctly():
    # R: t.test(len ~ supp, data = ToothGrowth) -> t = 1.9153, df = 55.309, p-value = 0.06063
    t = stats.ttest_ind(TG_OJ, TG_VC, equal_var=False)
    assert t.statistic == pytest.approx(1.9153, abs=5e-5)
    assert t.pvalue == pytest.approx(0.06063, abs=5e-6)
    # R: summary(aov(weight ~ group, PlantGrowth)) -> F = 4.846, p = 0.0159
    assert stats.f_oneway(*PLANT).statistic == pytest.approx(4.846, abs=5e-4)
    # R: kruskal.test(count ~ spray, InsectSprays) -> chi-squared = 54.691, p-value = 1.511e-10
    assert stats.kruskal(*INSECT).statistic == pytest.approx(54.691, abs=5e-4)


# ---------------------------------------------------------------------------------------------
# ks_test, two samples
# ---------------------------------------------------------------------------------------------


def test_ks_two_sample_no_ties_matches_r():
    # R (github.com/pieterprovoost/jerzy issue 5):
    # ks.test(c(7.6, 8.4, 8.6, 8.7, 9.3, 9.9, 10.1, 10.6, 11.2),
    #         c(5.2, 5.7, 5.9, 6.5, 6.8, 8.2, 9.1, 9.8, 10.8, 11.3, 11.5, 12.3, 12.5, 13.4, 14.6))
    # -> D = 0.4, p-value = 0.2653
    x = [7.6, 8.4, 8.6, 8.7, 9.3, 9.9, 10.1, 10.6, 11.2]
    y = [5.2, 5.7, 5.9, 6.5, 6.8, 8.2, 9.1, 9.8, 10.8, 11.3, 11.5, 12.3, 12.5, 13.4, 14.6]
    res = sc.ks_test(x, y)
    assert res.statistic == pytest.approx(0.4)
    assert res.pvalue == pytest.approx(0.2653, abs=5e-5)
    assert res.method == "Exact two-sample Kolmogorov-Smirnov test"
    # without ties scipy's exact one- and two-sided p-values are an independent check
    for alt in ("two-sided", "less", "greater"):
        ref = stats.ks_2samp(x, y, alternative=alt, method="exact")
        r = sc.ks_test(x, y, alternative=alt)
        assert r.statistic == pytest.approx(ref.statistic)
        assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


def test_ks_two_sample_exact_with_ties_matches_r_43():
    # R >= 4.3 (rstatix::ks_test docs, wrapping stats::ks.test, 2026):
    # ToothGrowth OJ vs VC -> D = 0.333, p = 0.0617 (exact p-value accounting for ties);
    # scipy.stats.ks_2samp ignores the ties and gives 0.0709.
    res = sc.ks_test(TG_OJ, TG_VC)
    assert res.statistic == pytest.approx(1 / 3)
    assert res.pvalue == pytest.approx(0.0617, abs=5e-5)
    assert res.details["ties"] is True
    assert stats.ks_2samp(TG_OJ, TG_VC, method="exact").pvalue > 0.07


def _brute_smirnov(x, y, alternative):
    """P(D >= d_obs) over all C(m+n, m) equally likely splits of the pooled data."""
    pooled = np.sort(np.concatenate([x, y]))
    m, n = len(x), len(y)
    values = np.unique(pooled)

    def stat(xs, ys):
        fx = np.searchsorted(np.sort(xs), values, side="right") / m
        fy = np.searchsorted(np.sort(ys), values, side="right") / n
        d = fx - fy
        return {"two-sided": np.abs(d).max(), "greater": d.max(), "less": (-d).max()}[alternative]

    d_obs = stat(np.asarray(x), np.asarray(y))
    count = total = 0
    for idx in itertools.combinations(range(m + n), m):
        mask = np.zeros(m + n, dtype=bool)
        mask[list(idx)] = True
        total += 1
        count += stat(pooled[mask], pooled[~mask]) >= d_obs - 1e-12
    return d_obs, count / total


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([1, 2, 2, 3, 5], [2, 3, 3, 4]),
        ([0, 0, 1, 1, 1, 2], [1, 2, 2, 2, 3]),
        ([1.0, 1.0, 1.0, 4.0], [1.0, 2.0, 2.0, 4.0, 4.0, 5.0]),
        ([3.1, 0.2, 1.7, 2.2], [0.5, 2.9, 4.4, 1.1, 3.3]),
    ],
)
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_ks_two_sample_exact_equals_enumeration(x, y, alternative):
    d_obs, p = _brute_smirnov(x, y, alternative)
    res = sc.ks_test(x, y, alternative=alternative)
    assert res.statistic == pytest.approx(d_obs)
    assert res.pvalue == pytest.approx(p, rel=1e-10)


def test_ks_two_sample_asymptotic():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=120), rng.normal(0.3, 1, size=100)
    res = sc.ks_test(x, y)
    assert res.method == "Asymptotic two-sample Kolmogorov-Smirnov test"
    ne = 120 * 100 / 220
    assert res.pvalue == pytest.approx(stats.kstwobign.sf(math.sqrt(ne) * res.statistic))
    res = sc.ks_test(x, y, alternative="less")
    assert res.pvalue == pytest.approx(math.exp(-2 * ne * res.statistic**2))
    # exact=True forces the recursion also for large samples; it is close to the limit
    exact = sc.ks_test(x, y, exact=True)
    assert exact.pvalue == pytest.approx(sc.ks_test(x, y).pvalue, rel=0.15)


# ---------------------------------------------------------------------------------------------
# ks_test, one sample
# ---------------------------------------------------------------------------------------------


def test_ks_one_sample_forms_agree_with_scipy_exact():
    rng = np.random.default_rng(2)
    x = rng.normal(0.2, 1.5, size=30)
    for alt in ("two-sided", "less", "greater"):
        ref = stats.ks_1samp(x, stats.norm(0, 1.5).cdf, alternative=alt, method="exact")
        by_name = sc.ks_test(x, "norm", args=(0, 1.5), alternative=alt)
        frozen = sc.ks_test(x, stats.norm(0, 1.5), alternative=alt)
        func = sc.ks_test(x, lambda v: stats.norm.cdf(v, 0, 1.5), alternative=alt)
        for r in (by_name, frozen, func):
            assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
            assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert by_name.details["distribution"] == "norm"


def test_ks_one_sample_asymptotic_for_large_n():
    rng = np.random.default_rng(3)
    x = rng.uniform(size=150)
    res = sc.ks_test(x, "uniform")
    assert res.method == "Asymptotic one-sample Kolmogorov-Smirnov test"
    assert res.pvalue == pytest.approx(stats.kstwobign.sf(math.sqrt(150) * res.statistic))
    res = sc.ks_test(x, "uniform", alternative="greater")
    assert res.pvalue == pytest.approx(math.exp(-2 * 150 * res.statistic**2))


def test_ks_one_sample_ties_warn():
    with pytest.warns(UserWarning, match="ties should not be present"):
        res = sc.ks_test([0.1, 0.1, 0.5, 0.7], "uniform")
    assert res.method.startswith("Asymptotic")


def test_ks_bad_input():
    with pytest.raises(ValueError, match=r"names no continuous scipy\.stats distribution"):
        sc.ks_test([0.1, 0.2], "normal")
    with pytest.raises(ValueError, match="names no continuous"):
        sc.ks_test([1, 2], "poisson", args=(3,))
    with pytest.raises(TypeError, match="`args` is only used"):
        sc.ks_test([0.1, 0.2], stats.norm(), args=(1,))
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        sc.ks_test([0.1, 0.2], lambda v: v * 10)
    with pytest.raises(ValueError, match="`y_or_cdf` is empty"):
        sc.ks_test([0.1, 0.2], [])
    with pytest.raises(ValueError, match="`x` has 1 NaN"):
        sc.ks_test([0.1, np.nan], [0.3, 0.4])
    with pytest.raises(TypeError, match="must contain numbers"):
        sc.ks_test(["a", "b"], "norm")
    with pytest.raises(ValueError, match="`alternative`"):
        sc.ks_test([0.1, 0.2], "norm", alternative="two.sided")
    omitted = sc.ks_test([0.1, np.nan, 0.5], [0.3, 0.4], nan_policy="omit")
    assert omitted.pvalue == sc.ks_test([0.1, 0.5], [0.3, 0.4]).pvalue
    assert math.isnan(sc.ks_test([0.1, np.nan], "norm", nan_policy="propagate").pvalue)


def _gk_sf(k: int, n: int) -> float:
    """Gnedenko-Korolyuk: P(D >= k/n) for two continuous samples of equal size n."""
    total = math.comb(2 * n, n)
    s = sum((-1) ** (j + 1) * math.comb(2 * n, n - j * k) for j in range(1, n // k + 1))
    return 2 * s / total


def test_ks_exact_equal_sizes_matches_gnedenko_korolyuk():
    n = 15
    for k in range(1, n + 1):
        x = np.arange(n, dtype=float)
        y = x + k - 0.5  # shifts the ECDF of y by k positions: D = k / n
        assert sc.ks_test(x, y).pvalue == pytest.approx(_gk_sf(k, n), rel=1e-10)


def _ks_rejection_rate(reps: int, n: int, seed: int, discrete: bool) -> float:
    rng = np.random.default_rng(seed)
    if discrete:
        data = rng.integers(0, 5, size=(reps, 2, n)).astype(float)
    else:
        data = rng.normal(size=(reps, 2, n))
    p = np.array([sc.ks_test(d[0], d[1]).pvalue for d in data])
    return float(np.mean(p <= 0.05))


def test_ks_size_fast():
    n = 15
    # attainable size: the largest P(D >= k/n) <= 0.05
    size = max(p for p in (_gk_sf(k, n) for k in range(1, n + 1)) if p <= 0.05)
    rate = _ks_rejection_rate(600, n, seed=4, discrete=False)
    se = math.sqrt(size * (1 - size) / 600)
    assert abs(rate - size) <= 3 * se


@pytest.mark.slow
def test_ks_size_full():
    n = 15
    size = max(p for p in (_gk_sf(k, n) for k in range(1, n + 1)) if p <= 0.05)
    rate = _ks_rejection_rate(8000, n, seed=5, discrete=False)
    assert abs(rate - size) <= 3 * math.sqrt(size * (1 - size) / 8000)
    # with heavy ties the exact conditional test stays valid (<= 0.05 up to noise)
    rate_ties = _ks_rejection_rate(4000, 20, seed=6, discrete=True)
    assert rate_ties <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 4000)


# ---------------------------------------------------------------------------------------------
# Normality tests
# ---------------------------------------------------------------------------------------------


def test_shapiro_wilk_matches_r():
    # R: shapiro.test(ToothGrowth$len) -> W = 0.96743, p-value = 0.1091 (r-stats-lightbridge)
    res = sc.shapiro_wilk(TG_VC + TG_OJ)
    assert res.statistic == pytest.approx(0.96743, abs=5e-6)
    assert res.pvalue == pytest.approx(0.1091, abs=5e-5)
    # R: shapiro.test(mtcars$mpg) -> W = 0.94756, p-value = 0.1229
    res = sc.shapiro_wilk(MPG)
    assert res.statistic == pytest.approx(0.94756, abs=5e-6)
    assert res.pvalue == pytest.approx(0.1229, abs=5e-5)
    assert res.method == "Shapiro-Wilk normality test"


def test_shapiro_wilk_n3_exact():
    # For n = 3 the null distribution is exact: p = 6/pi (asin(sqrt(W)) - asin(sqrt(3/4)))
    res = sc.shapiro_wilk([1.0, 2.0, 4.0])
    expected = 6 / math.pi * (math.asin(math.sqrt(res.statistic)) - math.asin(math.sqrt(0.75)))
    assert res.pvalue == pytest.approx(expected, rel=1e-5)


def test_anderson_darling_matches_nortest():
    # R: nortest::ad.test(mtcars$mpg) -> A = 0.57968 (finnstats, "Anderson-Darling Test in R");
    # the p-value from Stephens (1986, Table 4.9) at A* = A (1 + .75/32 + 2.25/32^2):
    # exp(0.9177 - 4.279 A* - 1.38 A*^2) = 0.1207
    res = sc.anderson_darling(MPG)
    assert res.statistic == pytest.approx(0.57968, abs=5e-6)
    assert res.pvalue == pytest.approx(0.1207, abs=5e-5)
    # scipy computes the same statistic independently
    assert res.statistic == pytest.approx(
        stats.anderson(MPG, method="interpolate").statistic, rel=1e-9
    )


def test_anderson_darling_pvalue_branches_are_monotone_and_bounded():
    rng = np.random.default_rng(7)
    base = rng.normal(size=40)
    p_prev = 1.0
    for power in (1.0, 1.5, 2.5, 4.0, 7.0):  # increasingly skewed -> larger A
        res = sc.anderson_darling(np.sign(base) * np.abs(base) ** power)
        assert 0 < res.pvalue <= 1
        assert res.pvalue <= p_prev + 1e-12
        p_prev = res.pvalue


def test_jarque_bera_matches_statsmodels_and_scipy():
    rng = np.random.default_rng(8)
    for x in (MPG, rng.standard_t(5, size=200)):
        res = sc.jarque_bera(x)
        jb, p, skew, kurt = sm_jarque_bera(np.asarray(x))
        assert res.statistic == pytest.approx(jb, rel=1e-10)
        assert res.pvalue == pytest.approx(p, rel=1e-9)
        assert res.details["skewness"] == pytest.approx(skew, rel=1e-10)
        assert res.details["kurtosis"] == pytest.approx(kurt, rel=1e-10)
        assert res.statistic == pytest.approx(stats.jarque_bera(x).statistic, rel=1e-10)
        assert res.df == 2.0


@pytest.mark.parametrize(
    ("func", "min_n"),
    [(sc.shapiro_wilk, 3), (sc.anderson_darling, 8), (sc.jarque_bera, 3)],
)
def test_normality_bad_input(func, min_n):
    with pytest.raises(ValueError, match=f"at least {min_n} observations"):
        func([1.0, 2.0])
    with pytest.raises(ValueError, match="`x` is constant"):
        func([2.0] * 10)
    with pytest.raises(ValueError, match="1 NaN value"):
        func([*range(10), np.nan])
    with pytest.raises(ValueError, match="infinite"):
        func([*range(10), np.inf])
    with pytest.raises(TypeError, match="string"):
        func("abc")
    assert math.isnan(func([*range(10), np.nan], nan_policy="propagate").pvalue)
    omitted = func([*MPG, np.nan], nan_policy="omit")
    assert omitted.statistic == func(MPG).statistic


def test_shapiro_wilk_too_large_and_bad_dist():
    with pytest.raises(ValueError, match="between 3 and 5000"):
        sc.shapiro_wilk(np.arange(5001.0))
    with pytest.raises(ValueError, match="`dist` must be one of 'norm'"):
        sc.anderson_darling(MPG, dist="expon")


# ---------------------------------------------------------------------------------------------
# Equality of variances
# ---------------------------------------------------------------------------------------------


def test_bartlett_matches_r():
    # R: bartlett.test(count ~ spray, data = InsectSprays) (?bartlett.test)
    # -> Bartlett's K-squared = 25.96, df = 5, p-value = 9.085e-05
    res = sc.bartlett(*INSECT)
    assert res.statistic == pytest.approx(25.96, abs=5e-3)
    assert res.df == 5.0
    assert res.pvalue == pytest.approx(9.085e-05, rel=5e-4)
    # R: bartlett.test(weight ~ group, PlantGrowth) -> K-squared = 2.8786, df = 2, p = 0.2371
    #    (STHDA, "Compare multiple sample variances in R")
    res = sc.bartlett(*PLANT)
    assert res.statistic == pytest.approx(2.8786, abs=5e-5)
    assert res.pvalue == pytest.approx(0.2371, abs=5e-5)
    assert res.statistic == pytest.approx(stats.bartlett(*PLANT).statistic, rel=1e-12)
    # a single list of groups is accepted too
    assert sc.bartlett(PLANT).statistic == res.statistic


def test_levene_matches_car():
    # R: car::leveneTest(weight ~ group, data = PlantGrowth) -> F = 1.1192, Pr(>F) = 0.3412,
    #    Df 2 and 27 (stat-methods.com)
    res = sc.levene(*PLANT)
    assert res.statistic == pytest.approx(1.1192, abs=5e-5)
    assert res.pvalue == pytest.approx(0.3412, abs=5e-5)
    assert res.df == (2.0, 27.0)
    # R: car::leveneTest(count ~ spray, data = InsectSprays) -> F = 3.8214, Pr(>F) = 0.004223
    #    (STHDA, "Compare multiple sample variances in R")
    res = sc.levene(*INSECT)
    assert res.statistic == pytest.approx(3.8214, abs=5e-5)
    assert res.pvalue == pytest.approx(0.004223, abs=5e-7)
    # center = mean (Levene's original) against scipy
    for groups in (PLANT, INSECT):
        res = sc.levene(*groups, center="mean")
        ref = stats.levene(*groups, center="mean")
        assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert res.method.endswith("(center = mean)")


def test_fligner_matches_r():
    # R: fligner.test(InsectSprays) (?fligner.test)
    # -> Fligner-Killeen:med chi-squared = 14.483, df = 5, p-value = 0.01282
    res = sc.fligner(*INSECT)
    assert res.statistic == pytest.approx(14.483, abs=5e-4)
    assert res.pvalue == pytest.approx(0.01282, abs=5e-6)
    assert res.df == 5.0
    # R: fligner.test(weight ~ group, PlantGrowth) -> chi-squared = 2.3499, p-value = 0.3088
    #    (STHDA, "Compare multiple sample variances in R")
    res = sc.fligner(*PLANT)
    assert res.statistic == pytest.approx(2.3499, abs=5e-5)
    assert res.pvalue == pytest.approx(0.3088, abs=5e-5)
    assert res.statistic == pytest.approx(stats.fligner(*PLANT).statistic, rel=1e-12)


@pytest.mark.parametrize("func", [sc.bartlett, sc.levene, sc.fligner])
def test_variance_tests_bad_input(func):
    with pytest.raises(ValueError, match="`groups` needs at least 2 groups"):
        func([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="`groups\\[1\\]` needs at least 2 observations"):
        func([1.0, 2.0, 3.0], [4.0])
    with pytest.raises(ValueError, match="`groups\\[0\\]` has 1 NaN"):
        func([1.0, np.nan, 3.0], [4.0, 5.0, 7.0])
    with pytest.raises(ValueError, match="`groups\\[1\\]` is empty"):
        func([1.0, 2.0], [])
    with pytest.raises(TypeError, match="must contain numbers"):
        func([1.0, 2.0], ["a", "b"])
    res = func([1.0, np.nan, 3.0, 4.0], [4.0, 5.0, 7.0], nan_policy="omit")
    assert res.statistic == func([1.0, 3.0, 4.0], [4.0, 5.0, 7.0]).statistic
    assert math.isnan(func([1.0, np.nan, 3.0], [4.0, 5.0, 7.0], nan_policy="propagate").pvalue)


def test_zero_variance_groups():
    with pytest.raises(ValueError, match=r"`groups\[1\]` is constant.*positive variances"):
        sc.bartlett([1.0, 2.0, 4.0], [3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="Levene's F statistic is undefined"):
        sc.levene([1.0, 1.0, 1.0], [3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="Fligner-Killeen statistic is undefined"):
        sc.fligner([1.0, 1.0, 1.0], [3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="`center` must be one of"):
        sc.levene([1.0, 2.0], [3.0, 5.0], center="trimmed")


def test_inputs_not_modified():
    groups = [np.array(g, dtype=float) for g in PLANT]
    copies = [g.copy() for g in groups]
    sc.bartlett(*groups)
    sc.levene(*groups)
    sc.fligner(*groups)
    sc.ks_test(groups[0], groups[1])
    sc.ks_test(groups[0], "norm", args=(5, 1))
    sc.shapiro_wilk(groups[0])
    sc.anderson_darling(groups[0])
    sc.jarque_bera(groups[0])
    for g, c in zip(groups, copies, strict=True):
        np.testing.assert_array_equal(g, c)
