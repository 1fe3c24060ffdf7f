"""Tests for statcraft.hypothesis_tests.association against R's cor.test and brute force."""

import itertools
import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

import statcraft as sc
from statcraft.hypothesis_tests.association import partial_correlation

# Hollander & Wolfe (1973, p. 187), the data of R's ?cor.test examples.
HW_X = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
HW_Y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]

# R datasets::mtcars (Henderson & Velleman 1981), columns mpg and wt.
MPG = [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4,
       10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7,
       15.0, 21.4]  # fmt: skip
WT = [2.620, 2.875, 2.320, 3.215, 3.440, 3.460, 3.570, 3.190, 3.150, 3.440, 3.440, 4.070, 3.730,
      3.780, 5.250, 5.424, 5.345, 2.200, 1.615, 1.835, 2.465, 3.520, 3.435, 3.840, 3.845, 1.935,
      2.140, 1.513, 3.170, 2.770, 3.570, 2.780]  # fmt: skip


def all_permutations(n: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(n))))


def brute_spearman_s(n: int) -> np.ndarray:
    """S = sum d^2 over all n! permutations (the exact null distribution)."""
    return ((all_permutations(n) - np.arange(n)) ** 2).sum(axis=1)


def brute_kendall_t(n: int) -> np.ndarray:
    """Number of concordant pairs of (i, perm[i]) over all n! permutations."""
    perms = all_permutations(n)
    i, j = np.triu_indices(n, k=1)
    return (perms[:, j] > perms[:, i]).sum(axis=1)


# ---------------------------------------------------------------------------------------------
# Published R outputs
# ---------------------------------------------------------------------------------------------


def test_pearson_matches_r_cor_test_example():
    # R: cor.test(x, y) (?cor.test) -> t = 1.8411, df = 7, p-value = 0.1082,
    #    95 percent CI -0.1497426 0.8955795, cor 0.5711816
    res = sc.correlation(HW_X, HW_Y)
    assert res.statistic == pytest.approx(1.8411, abs=5e-5)
    assert res.df == 7.0
    assert res.pvalue == pytest.approx(0.1082, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(0.5711816, abs=5e-8)
    assert res.estimate.confidence_interval.low == pytest.approx(-0.1497426, abs=5e-8)
    assert res.estimate.confidence_interval.high == pytest.approx(0.8955795, abs=5e-8)
    assert res.method == "Pearson's product-moment correlation"
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)


def test_kendall_matches_r_cor_test_example():
    # R: cor.test(x, y, method = "kendall", alternative = "greater") is in ?cor.test;
    #    two-sided: T = 26, p-value = 0.1194, tau 0.4444444
    res = sc.correlation(HW_X, HW_Y, method="kendall")
    assert res.statistic == 26.0
    assert res.pvalue == pytest.approx(0.1194, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(0.4444444, abs=5e-8)
    assert res.details["statistic_name"] == "T"
    # R: cor.test(x, y, method = "kendall", alternative = "greater") -> p-value = 0.05972
    res = sc.correlation(HW_X, HW_Y, method="kendall", alternative="greater")
    assert res.pvalue == pytest.approx(0.05972, abs=5e-6)


def test_spearman_matches_r_cor_test_example():
    # R: cor.test(x, y, method = "spearman") -> S = 48, p-value = 0.0968, rho 0.6
    res = sc.correlation(HW_X, HW_Y, method="spearman")
    assert res.statistic == pytest.approx(48.0)
    assert res.pvalue == pytest.approx(0.0968, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(0.6)
    # R: cor.test(x, y, method = "spearman", alternative = "g") -> p-value = 0.0484
    res = sc.correlation(HW_X, HW_Y, method="spearman", alternative="greater")
    assert res.pvalue == pytest.approx(0.0484, abs=5e-5)


def test_spearman_small_n_matches_published_r_output():
    # statscodes.com, "Spearman's rank correlation tests in R":
    # cor.test(c(3.4, 2.5, 2.7, 2.0, 1.9), c(6.8, 7.3, 8.1, 7.4, 6.7), method = "spearman")
    # -> S = 14, p-value = 0.6833, rho 0.3
    res = sc.correlation([3.4, 2.5, 2.7, 2.0, 1.9], [6.8, 7.3, 8.1, 7.4, 6.7], method="spearman")
    assert res.statistic == pytest.approx(14.0)
    assert res.pvalue == pytest.approx(0.6833, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(0.3)


def test_spearman_edgeworth_matches_r_for_n10():
    # r-help, 2003-05-01 (R 1.7.0): n = 10, S = 96, rho 0.4181818 -> p-value = 0.2324 (AS 89
    # Edgeworth series, n > 9). Any pair with sum d^2 = 96 gives the same output.
    y = [4, 2, 9, 3, 1, 8, 6, 10, 5, 7]
    res = sc.correlation(list(range(1, 11)), y, method="spearman")
    assert res.statistic == pytest.approx(96.0)
    assert res.estimate.estimate == pytest.approx(0.4181818, abs=5e-8)
    assert res.pvalue == pytest.approx(0.2324, abs=5e-5)
    assert res.details["pvalue_method"] == "Edgeworth series (AS 89)"


def test_mtcars_with_ties_match_r():
    # R (STHDA correlation-test tutorial), mtcars:
    # cor.test(wt, mpg) -> t = -9.559, df = 30, p-value = 1.294e-10,
    #   95 percent CI -0.9338264 -0.7440872, cor -0.8676594
    res = sc.correlation(WT, MPG)
    assert res.statistic == pytest.approx(-9.559, abs=5e-4)
    assert res.pvalue == pytest.approx(1.294e-10, rel=5e-4)
    assert res.estimate.confidence_interval.low == pytest.approx(-0.9338264, abs=5e-8)
    assert res.estimate.confidence_interval.high == pytest.approx(-0.7440872, abs=5e-8)
    # cor.test(wt, mpg, method = "kendall") -> z = -5.7981, p-value = 6.706e-09, tau -0.7278321
    res = sc.correlation(WT, MPG, method="kendall")
    assert res.statistic == pytest.approx(-5.7981, abs=5e-5)
    assert res.pvalue == pytest.approx(6.706e-09, rel=5e-4)
    assert res.estimate.estimate == pytest.approx(-0.7278321, abs=5e-8)
    assert res.details["statistic_name"] == "z"
    # cor.test(wt, mpg, method = "spearman") -> S = 10292, p-value = 1.488e-11, rho -0.886422
    with pytest.warns(UserWarning, match="exact p-value with ties"):
        res = sc.correlation(WT, MPG, method="spearman", exact=True)
    assert res.statistic == pytest.approx(10292, abs=0.5)
    assert res.pvalue == pytest.approx(1.488e-11, rel=5e-4)
    assert res.estimate.estimate == pytest.approx(-0.886422, abs=5e-7)


# ---------------------------------------------------------------------------------------------
# Exact p-values against brute-force enumeration
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [4, 6, 9])
def test_spearman_exact_pvalues_equal_enumeration(n):
    s_null = brute_spearman_s(n)
    rng = np.random.default_rng(n)
    x = np.arange(n, dtype=float)
    for _ in range(4):
        y = rng.permutation(n).astype(float)
        s_obs = float(((x - y) ** 2).sum())
        lower = np.mean(s_null <= s_obs)  # small S = positive association
        upper = np.mean(s_null >= s_obs)
        mid = (n**3 - n) / 6
        two = min(1.0, 2 * (upper if s_obs > mid else lower))
        for alt, expected in (("greater", lower), ("less", upper), ("two-sided", two)):
            res = sc.correlation(x, y, method="spearman", alternative=alt)
            assert res.statistic == pytest.approx(s_obs)
            assert res.pvalue == pytest.approx(expected, rel=1e-12), (alt, y)


@pytest.mark.parametrize("n", [3, 5, 8])
def test_kendall_exact_pvalues_equal_enumeration(n):
    t_null = brute_kendall_t(n)
    rng = np.random.default_rng(100 + n)
    x = np.arange(n, dtype=float)
    for _ in range(4):
        y = rng.permutation(n).astype(float)
        i, j = np.triu_indices(n, k=1)
        t_obs = int((y[j] > y[i]).sum())
        lower = np.mean(t_null <= t_obs)
        upper = np.mean(t_null >= t_obs)
        two = min(1.0, 2 * (upper if t_obs > n * (n - 1) / 4 else lower))
        for alt, expected in (("less", lower), ("greater", upper), ("two-sided", two)):
            res = sc.correlation(x, y, method="kendall", alternative=alt)
            assert res.statistic == t_obs
            assert res.pvalue == pytest.approx(expected, rel=1e-12), (alt, y)


def test_kendall_exact_distribution_for_n9_matches_enumeration():
    # The Hollander-Wolfe example has n = 9: P(T >= 26) by enumerating all 9! orderings.
    t_null = brute_kendall_t(9)
    res = sc.correlation(HW_X, HW_Y, method="kendall", alternative="greater")
    assert res.pvalue == pytest.approx(np.mean(t_null >= 26), rel=1e-12)


def test_kendall_large_n_exact_matches_scipy_exact():
    # scipy's exact Kendall distribution is an independent implementation (no ties).
    rng = np.random.default_rng(7)
    x = rng.normal(size=40)
    y = x + rng.normal(scale=3, size=40)
    res = sc.correlation(x, y, method="kendall")
    ref = stats.kendalltau(x, y, method="exact")
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.estimate.estimate == pytest.approx(ref.statistic, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Approximations against independent implementations
# ---------------------------------------------------------------------------------------------


def test_spearman_t_approximation_matches_scipy():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 8, size=30).astype(float)  # ties
    y = x + rng.integers(0, 5, size=30)
    res = sc.correlation(x, y, method="spearman")
    ref = stats.spearmanr(x, y)
    assert res.details["pvalue_method"] == "t approximation"
    assert res.estimate.estimate == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.statistic == pytest.approx((30**3 - 30) * (1 - ref.statistic) / 6, rel=1e-12)


def test_kendall_normal_approximation_with_ties_matches_scipy():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 5, size=60).astype(float)
    y = x + rng.integers(0, 4, size=60)
    res = sc.correlation(x, y, method="kendall")
    ref = stats.kendalltau(x, y, method="asymptotic")
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert stats.norm.sf(abs(res.statistic)) * 2 == pytest.approx(ref.pvalue, rel=1e-9)


def test_kendall_continuity_correction_formula():
    # continuity = TRUE in R replaces S by sign(S)(|S| - 1); without ties var S = n(n-1)(2n+5)/18
    x = np.arange(60.0)
    y = np.sin(x) + x / 30
    res = sc.correlation(x, y, method="kendall", exact=False, correction=True)
    tau = stats.kendalltau(x, y).statistic
    s = tau * 60 * 59 / 2
    z = np.sign(s) * (abs(s) - 1) / math.sqrt(60 * 59 * 125 / 18)
    assert res.statistic == pytest.approx(z, rel=1e-12)


def test_spearman_large_n_uses_t_when_exact_false():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=50), rng.normal(size=50)
    res = sc.correlation(x, y, method="spearman", exact=False)
    assert res.pvalue == pytest.approx(stats.spearmanr(x, y).pvalue, rel=1e-9)


def test_pearson_matches_scipy_all_alternatives_and_one_sided_interval():
    rng = np.random.default_rng(6)
    x = rng.normal(size=25)
    y = 0.3 * x + rng.normal(size=25)
    for alt in ("two-sided", "less", "greater"):
        res = sc.correlation(x, y, alternative=alt, confidence_level=0.9)
        ref = stats.pearsonr(x, y, alternative=alt)
        ci = ref.confidence_interval(confidence_level=0.9)
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
        assert res.estimate.confidence_interval.low == pytest.approx(ci.low, rel=1e-9, abs=1e-12)
        assert res.estimate.confidence_interval.high == pytest.approx(ci.high, rel=1e-9, abs=1e-12)


def test_rank_correlation_interval_formula():
    # Fisher z with Bonett-Wright (Spearman) and Fieller (Kendall) standard errors.
    res = sc.correlation(HW_X, HW_Y, method="spearman")
    se = math.sqrt((1 + 0.6**2 / 2) / 6)
    q = stats.norm.ppf(0.975)
    assert res.estimate.confidence_interval.low == pytest.approx(
        math.tanh(math.atanh(0.6) - q * se)
    )
    assert res.estimate.confidence_interval.high == pytest.approx(
        math.tanh(math.atanh(0.6) + q * se)
    )
    res = sc.correlation(HW_X, HW_Y, method="kendall")
    se = math.sqrt(0.437 / 5)
    tau = 4 / 9
    assert res.estimate.confidence_interval.low == pytest.approx(
        math.tanh(math.atanh(tau) - q * se)
    )


def test_perfect_correlation_and_tiny_samples():
    res = sc.correlation([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    assert res.estimate.estimate == pytest.approx(1.0, abs=1e-15)
    assert res.pvalue < 1e-20
    assert tuple(res.estimate.confidence_interval) == pytest.approx((1.0, 1.0), abs=1e-12)
    res = sc.correlation([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], method="spearman")
    assert res.estimate.estimate == pytest.approx(-1.0, abs=1e-15)
    assert tuple(res.estimate.confidence_interval) == pytest.approx((-1.0, -1.0), abs=1e-12)
    assert res.pvalue == pytest.approx(2 / 120)  # R: S = 40, p-value = 0.01667
    res = sc.correlation([1, 2, 3], [1, 3, 2])
    assert tuple(res.estimate.confidence_interval) == (-1.0, 1.0)
    assert res.estimate.std_error is None
    # n = 3 Kendall exact: tau = 1/3, T = 2 of 3 concordant pairs, P(T >= 2) = 3/6
    res = sc.correlation([1, 2, 3], [1, 3, 2], method="kendall", alternative="greater")
    assert res.pvalue == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# partial_correlation
# ---------------------------------------------------------------------------------------------


def test_partial_correlation_matches_precision_matrix_and_ols_t():
    rng = np.random.default_rng(8)
    n = 40
    z = rng.normal(size=(n, 2))
    x = z @ [1.0, -0.5] + rng.normal(size=n)
    y = z @ [0.3, 0.8] + 0.4 * x + rng.normal(size=n)
    res = partial_correlation(x, y, z)
    # independent: -P_xy / sqrt(P_xx P_yy) from the inverse correlation matrix
    prec = np.linalg.inv(np.corrcoef(np.column_stack([x, y, z]), rowvar=False))
    expected = -prec[0, 1] / math.sqrt(prec[0, 0] * prec[1, 1])
    assert res.estimate.estimate == pytest.approx(expected, rel=1e-10)
    # the t statistic equals the OLS t of x in y ~ x + z (statsmodels)
    fit = sm.OLS(y, sm.add_constant(np.column_stack([x, z]))).fit()
    assert res.statistic == pytest.approx(fit.tvalues[1], rel=1e-9)
    assert res.pvalue == pytest.approx(fit.pvalues[1], rel=1e-9)
    assert res.df == n - 2 - 2
    assert sc.partial_correlation is partial_correlation


def test_partial_spearman_is_partial_pearson_of_ranks():
    rng = np.random.default_rng(9)
    x, y, z = rng.exponential(size=(3, 30))
    res = partial_correlation(x, y, z, method="spearman")
    ref = partial_correlation(stats.rankdata(x), stats.rankdata(y), stats.rankdata(z))
    assert res.estimate.estimate == pytest.approx(ref.estimate.estimate, rel=1e-12)


def test_partial_correlation_bad_input():
    with pytest.raises(ValueError, match="same length"):
        partial_correlation([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="at least k \\+ 4"):
        partial_correlation([1, 2, 3, 4], [1, 3, 2, 4], [1, 1, 2, 2])
    with pytest.raises(ValueError, match="explain"):
        partial_correlation([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 6, 5], [2, 4, 6, 8, 10, 12])


# ---------------------------------------------------------------------------------------------
# Bad input, NaN handling, input not modified
# ---------------------------------------------------------------------------------------------


def test_bad_input_messages():
    with pytest.raises(ValueError, match="same length"):
        sc.correlation([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="at least 3 complete pairs"):
        sc.correlation([1, 2], [2, 1])
    with pytest.raises(ValueError, match="`x` is constant"):
        sc.correlation([2, 2, 2, 2], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="`y` is constant"):
        sc.correlation([1, 2, 3, 4], [5, 5, 5, 5], method="kendall")
    with pytest.raises(ValueError, match="`method` must be one of"):
        sc.correlation([1, 2, 3], [1, 2, 3], method="pearsonn")
    with pytest.raises(ValueError, match="`alternative`"):
        sc.correlation([1, 2, 3], [1, 3, 2], alternative="two.sided")
    with pytest.raises(ValueError, match="`confidence_level` must be in"):
        sc.correlation([1, 2, 3, 4], [1, 3, 2, 4], confidence_level=1.5)
    with pytest.raises(ValueError, match="infinite"):
        sc.correlation([1, 2, np.inf, 4], [1, 3, 2, 4])
    with pytest.raises(ValueError, match="is empty"):
        sc.correlation([], [])
    with pytest.raises(TypeError, match="must contain numbers"):
        sc.correlation(["a", "b", "c"], [1, 2, 3])
    with pytest.raises(TypeError, match="`exact`"):
        sc.correlation([1, 2, 3], [1, 3, 2], method="kendall", exact="yes")


def test_nan_policies():
    x = [1.0, 2.0, np.nan, 4.0, 5.0, 6.0]
    y = [2.0, 1.0, 3.0, 5.0, 4.0, 7.0]
    with pytest.raises(ValueError, match="1 NaN value"):
        sc.correlation(x, y)
    omitted = sc.correlation(x, y, nan_policy="omit")
    manual = sc.correlation([1, 2, 4, 5, 6], [2, 1, 5, 4, 7])
    assert omitted.pvalue == manual.pvalue
    assert omitted.estimate.n == 5
    prop = sc.correlation(x, y, nan_policy="propagate", method="spearman")
    assert math.isnan(prop.statistic) and math.isnan(prop.pvalue)
    with pytest.raises(ValueError, match="all NaN"):
        sc.correlation([np.nan] * 4, [1, 2, 3, 4])


def test_inputs_not_modified():
    x = np.array([3.0, 1.0, 2.0, 5.0, 4.0])
    y = np.array([1.0, 2.0, 2.0, 4.0, 5.0])
    xc, yc = x.copy(), y.copy()
    for method in ("pearson", "spearman", "kendall"):
        sc.correlation(x, y, method=method)
    partial_correlation(x, y, y[::-1] ** 2)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(y, yc)


# ---------------------------------------------------------------------------------------------
# Simulation: size of the tests and coverage of the intervals
# ---------------------------------------------------------------------------------------------


def _size(method: str, n: int, reps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(reps, 2, n))
    p = np.array([sc.correlation(d[0], d[1], method=method).pvalue for d in data])
    return float(np.mean(p <= 0.05))


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_size_under_null_fast(method):
    # 600 replicates: SE of a 5% rate is 0.009; allow 3 SE
    rate = _size(method, 20, 600, seed=11)
    assert 0.023 <= rate <= 0.077


@pytest.mark.slow
@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_size_under_null_full(method):
    rate = _size(method, 25, 6000, seed=12)
    assert 0.04 <= rate <= 0.06


def _coverage(method: str, n: int, rho: float, reps: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    cov = [[1.0, rho], [rho, 1.0]]
    truth = {
        "pearson": rho,
        "spearman": 6 / math.pi * math.asin(rho / 2),
        "kendall": 2 / math.pi * math.asin(rho),
    }[method]
    draws = rng.multivariate_normal([0, 0], cov, size=(reps, n))
    hits = 0
    for d in draws:
        lo, hi = sc.correlation(d[:, 0], d[:, 1], method=method).estimate.confidence_interval
        hits += lo <= truth <= hi
    return hits / reps


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_interval_coverage_fast(method):
    cover = _coverage(method, 30, 0.5, 400, seed=21)
    assert 0.915 <= cover <= 0.985  # SE 0.011


@pytest.mark.slow
@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8])
def test_interval_coverage_full(method, rho):
    cover = _coverage(method, 40, rho, 4000, seed=22)
    assert 0.935 <= cover <= 0.965
