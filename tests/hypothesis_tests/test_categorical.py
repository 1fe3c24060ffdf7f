"""Tests for statcraft.hypothesis_tests.categorical against R output and independent code.

Most R values come from R's help-page examples as printed by R, and from the R test suite of the
tidystats package (tests/testthat/test_htest.R, which pastes R's numbers with 7 significant
digits); others from statsmodels' and scipy's test files that paste R output. The source is
given next to each value.
"""

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint

import statcraft as sc

# R: M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))) (chisq.test help page)
M_TABLE = np.array([[762, 327, 468], [484, 239, 477]])
# R: Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4) (fisher.test help page)
JOB = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T
# R: Rabbits <- array(c(0,0,6,5, 3,0,3,6, 6,2,0,4, 5,6,1,0, 2,5,0,0), dim = c(2, 2, 5))
# (mantelhaen.test help page); R fills column-major, statcraft takes strata first.
RABBITS = np.array([0, 0, 6, 5, 3, 0, 3, 6, 6, 2, 0, 4, 5, 6, 1, 0, 2, 5, 0, 0]).reshape(5, 2, 2)
RABBITS = RABBITS.transpose(0, 2, 1)


def rel(value, digits=7):
    """Relative tolerance matching a value printed with `digits` significant digits."""
    return pytest.approx(value, rel=0.6 * 10 ** (1 - digits))


# ------------------------------------------------------------------------- chi2_independence


def test_chi2_independence_matches_r_chisq_test_on_party_table():
    # R: chisq.test(M) -> X-squared = 30.07015, df = 2, p-value = 2.953589e-07 (tidystats)
    res = sc.chi2_independence(M_TABLE)
    assert res.statistic == rel(30.07015)
    assert res.df == 2
    assert res.pvalue == rel(2.953589e-07)
    assert res.method == "Pearson's Chi-squared test"
    assert res.alternative is None
    # residuals and standardized residuals: independent implementation (statsmodels Table)
    tab = Table(M_TABLE)
    np.testing.assert_allclose(res.details["expected"], tab.fittedvalues, rtol=1e-12)
    np.testing.assert_allclose(res.details["residuals"], tab.resid_pearson, rtol=1e-12)
    np.testing.assert_allclose(res.details["stdres"], tab.standardized_resids, rtol=1e-12)
    assert res.details["observed"].tolist() == M_TABLE.tolist()
    stat, p = res  # unpacks like scipy
    assert (stat, p) == (res.statistic, res.pvalue)


def test_chi2_independence_yates_on_2x2():
    # R: chisq.test(matrix(c(12, 5, 7, 7), ncol = 2)) -> X-squared = 0.6411203, p = 0.4233054
    table = np.array([12, 5, 7, 7]).reshape(2, 2).T
    res = sc.chi2_independence(table)
    assert res.statistic == rel(0.6411203)
    assert res.pvalue == rel(0.4233054)
    assert res.method == "Pearson's Chi-squared test with Yates' continuity correction"
    # without correction it is scipy's plain Pearson statistic (independent implementation)
    plain = sc.chi2_independence(table, correction=False)
    ref = stats.chi2_contingency(table, correction=False)
    assert plain.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert plain.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_chi2_independence_yates_is_capped_by_abs_deviation_as_r():
    # R: YATES <- min(0.5, abs(x - E)); here |O - E| = 0.25 so the correction is 0.25 and the
    # statistic is exactly 0 (scipy applies no correction when |O - E| < 0.5 instead).
    table = np.array([[5, 5], [4, 5]])
    e = np.outer(table.sum(1), table.sum(0)) / table.sum()
    assert np.abs(table - e).min() < 0.5
    with pytest.warns(UserWarning, match="smallest expected count is 4.26"):
        res = sc.chi2_independence(table)
    assert res.statistic == pytest.approx(0.0, abs=1e-15)
    assert res.pvalue == pytest.approx(1.0)


def test_chi2_independence_rxc_has_no_yates_and_keeps_dataframe_labels():
    df = pd.DataFrame(M_TABLE, index=["F", "M"], columns=["Dem", "Ind", "Rep"])
    res = sc.chi2_independence(df, correction=True)
    assert res.statistic == rel(30.07015)
    assert list(res.details["expected"].columns) == ["Dem", "Ind", "Rep"]
    assert list(res.details["stdres"].index) == ["F", "M"]


def test_chi2_independence_effect_size_is_cramers_v():
    res = sc.chi2_independence(M_TABLE)
    # independent implementation: scipy.stats.contingency.association
    assert res.effect_size.estimate == pytest.approx(
        stats.contingency.association(M_TABLE, method="cramer"), rel=1e-12
    )


def test_chi2_independence_warns_on_small_expected_counts():
    with pytest.warns(UserWarning, match="chi-square approximation may be incorrect"):
        sc.chi2_independence([[3, 1], [1, 3]])


# ------------------------------------------------------------------------- goodness of fit


def test_chi2_goodness_of_fit_uniform_matches_r():
    # R: chisq.test(c(A = 20, B = 15, C = 25)) -> X-squared = 2.5, df = 2, p = 0.2865048
    res = sc.chi2_goodness_of_fit([20, 15, 25])
    assert res.statistic == pytest.approx(2.5, rel=1e-14)
    assert res.df == 2
    assert res.pvalue == rel(0.2865048)
    assert res.method == "Chi-squared test for given probabilities"


def test_chi2_goodness_of_fit_given_and_rescaled_probabilities():
    # R help page: x <- c(89,37,30,28,2); chisq.test(x, p = c(40,20,20,15,5), rescale.p = TRUE)
    # compared with scipy.stats.chisquare (independent implementation)
    x = np.array([89, 37, 30, 28, 2])
    w = np.array([40, 20, 20, 15, 5])
    res = sc.chi2_goodness_of_fit(x, w, rescale=True)
    ref = stats.chisquare(x, x.sum() * w / w.sum())
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    with pytest.raises(ValueError, match="`probabilities` must sum to 1"):
        sc.chi2_goodness_of_fit(x, w)
    p = np.array([0.40, 0.20, 0.20, 0.19, 0.01])
    res2 = sc.chi2_goodness_of_fit(x, p)
    np.testing.assert_allclose(res2.details["expected"], x.sum() * p)
    np.testing.assert_allclose(
        res2.details["stdres"], (x - x.sum() * p) / np.sqrt(x.sum() * p * (1 - p))
    )
    assert res2.effect_size.estimate == pytest.approx(math.sqrt(res2.statistic / x.sum()))
    w90 = sc.chi2_goodness_of_fit(x, p, confidence_level=0.9).effect_size
    assert w90.confidence_level == 0.9
    lam = w90.confidence_interval.high**2 * x.sum()
    assert stats.ncx2.cdf(res2.statistic, 4, lam) == pytest.approx(0.05, abs=1e-6)


# ------------------------------------------------------------------------- cramers_v


def test_cramers_v_point_estimate_matches_scipy_and_ci_inverts_ncx2():
    v = sc.cramers_v(M_TABLE, confidence_level=0.9)
    assert v.estimate == pytest.approx(
        stats.contingency.association(M_TABLE, method="cramer"), rel=1e-12
    )
    # the bounds are the noncentralities at which the observed X^2 is the 95%/5% quantile
    n, k, chi2 = M_TABLE.sum(), 2, 30.0701490
    lam_lo = v.confidence_interval.low**2 * n * (k - 1)
    lam_hi = v.confidence_interval.high**2 * n * (k - 1)
    assert stats.ncx2.cdf(chi2, 2, lam_lo) == pytest.approx(0.95, abs=1e-6)
    assert stats.ncx2.cdf(chi2, 2, lam_hi) == pytest.approx(0.05, abs=1e-6)
    assert v.confidence_interval.low < v.estimate < v.confidence_interval.high


def test_cramers_v_lower_bound_zero_when_not_significant_and_bias_correction():
    table = [[10, 12], [11, 10]]
    v = sc.cramers_v(table)
    assert v.confidence_interval.low == 0.0
    # Bergsma (2013): phi2 = max(0, X2/n - (r-1)(c-1)/(n-1)), r~ = r - (r-1)^2/(n-1)
    t = np.array([[20, 5, 9], [8, 14, 6], [3, 7, 17]])
    n = t.sum()
    chi2 = stats.chi2_contingency(t, correction=False).statistic
    phi2 = max(0.0, chi2 / n - 4 / (n - 1))
    rt = 3 - 4 / (n - 1)
    vb = sc.cramers_v(t, bias_correction=True)
    assert vb.estimate == pytest.approx(math.sqrt(phi2 / (rt - 1)), rel=1e-12)
    assert vb.estimate < sc.cramers_v(t).estimate


# ------------------------------------------------------------------------- fisher_exact


# R 3.6.2 fisher.test(table, conf.level =, alternative =): p-value, conditional MLE odds ratio
# and its CI, as pasted in scipy/stats/tests/data/fisher_exact_results_from_r.py.
R_FISHER = [
    (
        [[100, 2], [1000, 5]],
        0.95,
        "two-sided",
        0.1300759363430016,
        0.25055839934223,
        (0.04035202926536294, 2.662846672960251),
    ),
    (
        [[2, 7], [8, 2]],
        0.95,
        "two-sided",
        0.02301413756522116,
        0.0858623513573622,
        (0.004668988338943325, 0.895792956493601),
    ),
    (
        [[5, 1], [10, 10]],
        0.95,
        "two-sided",
        0.1973244147157191,
        4.725646047336587,
        (0.4153910882532168, 259.2593661129417),
    ),
    ([[10, 5], [10, 0]], 0.95, "two-sided", 0.06126482213438735, 0.0, (0.0, 1.451643573543705)),
    (
        [[5, 0], [1, 4]],
        0.95,
        "two-sided",
        0.04761904761904762,
        math.inf,
        (1.024822256141754, math.inf),
    ),
    (
        [[2, 7], [8, 2]],
        0.99,
        "two-sided",
        0.02301413756522116,
        0.0858623513573622,
        (0.001923034001462487, 1.53670836950172),
    ),
    (
        [[100, 2], [1000, 5]],
        0.95,
        "less",
        0.1300759363430016,
        0.25055839934223,
        (0.0, 1.797867027270803),
    ),
    (
        [[2, 7], [8, 2]],
        0.95,
        "less",
        0.0185217259520665,
        0.0858623513573622,
        (0.0, 0.6785254803404526),
    ),
    (
        [[100, 2], [1000, 5]],
        0.95,
        "greater",
        0.979790445314723,
        0.25055839934223,
        (0.05119649909830196, math.inf),
    ),
    (
        [[5, 0], [1, 4]],
        0.99,
        "greater",
        0.02380952380952382,
        math.inf,
        (0.6661157890359722, math.inf),
    ),
]


@pytest.mark.parametrize(("table", "level", "alternative", "p", "odds", "ci"), R_FISHER)
def test_fisher_exact_2x2_matches_r(table, level, alternative, p, odds, ci):
    res = sc.fisher_exact(table, alternative=alternative, confidence_level=level)
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    # R's uniroot stops at tolerance ~1e-4 on the (inverse) odds ratio, so R's estimate and
    # bounds carry only ~4 correct digits (scipy's tests use the same allowance).
    assert res.estimate.estimate == pytest.approx(odds, rel=5e-4)
    assert res.estimate.confidence_interval.low == pytest.approx(ci[0], rel=2e-2)
    assert res.estimate.confidence_interval.high == pytest.approx(ci[1], rel=2e-2)
    assert res.statistic == res.estimate.estimate
    assert res.alternative == alternative


def test_fisher_exact_tea_tasting_and_convictions():
    # R: fisher.test(TeaTasting) -> p-value = 0.4857, odds ratio 6.408309,
    #    95 percent CI 0.2117329 621.9337505 (R help example as printed by R)
    res = sc.fisher_exact([[3, 1], [1, 3]])
    assert res.pvalue == pytest.approx(0.4857143, abs=5e-8)
    # R's MLE is loose too (uniroot); the exact root of E_psi[S] = 3 is 6.408320 (scipy check)
    assert res.estimate.estimate == pytest.approx(6.408309, rel=5e-6)
    assert stats.nchypergeom_fisher.mean(8, 4, 4, res.estimate.estimate) == pytest.approx(3.0)
    low = res.estimate.confidence_interval.low
    assert low == pytest.approx(0.2117329, rel=5e-5)
    assert stats.nchypergeom_fisher.sf(2, 8, 4, 4, low) == pytest.approx(0.025, rel=1e-9)
    # R's upper bound is loose (uniroot on 1/psi); the exact root of
    # P_psi(S <= 3) = 0.025 is 626.2435: check it with scipy's noncentral hypergeometric.
    high = res.estimate.confidence_interval.high
    assert high == pytest.approx(621.9337505, rel=1e-2)
    assert stats.nchypergeom_fisher.cdf(3, 8, 4, 4, high) == pytest.approx(0.025, rel=1e-9)
    # R: fisher.test(TeaTasting, alternative = "greater") -> p = 0.2428571, CI 0.3135693 Inf
    g = sc.fisher_exact([[3, 1], [1, 3]], alternative="greater")
    assert g.pvalue == rel(0.2428571)
    assert g.estimate.confidence_interval == (pytest.approx(0.3135693, rel=5e-5), math.inf)
    # R: fisher.test(Convictions, conf.int = FALSE) -> p = 0.0005367241, OR = 0.04693661
    conv = sc.fisher_exact(np.array([2, 10, 15, 3]).reshape(2, 2).T)
    assert conv.pvalue == rel(0.0005367241)
    assert conv.estimate.estimate == pytest.approx(0.04693661, rel=5e-6)  # R: uniroot
    assert stats.nchypergeom_fisher.mean(30, 17, 12, conv.estimate.estimate) == pytest.approx(2)
    # R: fisher.test(matrix(c(21, 3, 14, 10), 2, byrow = TRUE)) -> p-value = 0.04899,
    #    CI 1.00557 32.20580, odds ratio 4.83119 (an R session printed in a public repository)
    r3 = sc.fisher_exact([[21, 3], [14, 10]])
    assert r3.pvalue == pytest.approx(0.04899, abs=5e-6)
    assert r3.estimate.estimate == pytest.approx(4.83119, rel=1e-5)
    assert r3.estimate.confidence_interval.low == pytest.approx(1.00557, rel=1e-4)
    assert r3.estimate.confidence_interval.high == pytest.approx(32.20580, rel=1e-3)
    assert r3.details["sample_odds_ratio"] == pytest.approx(21 * 10 / (3 * 14))


def test_fisher_exact_conditional_mle_solves_the_score_equation():
    # independent check with scipy's Fisher noncentral hypergeometric: E_psi[S] = n11
    res = sc.fisher_exact([[7, 12], [3, 25]])
    mean = stats.nchypergeom_fisher.mean(47, 19, 10, res.estimate.estimate)
    assert mean == pytest.approx(7, rel=1e-11)


def test_fisher_exact_rxc_job_satisfaction_matches_r():
    # R: fisher.test(Job) -> p-value = 0.7826849 (tidystats; help page comment "# 0.7827")
    res = sc.fisher_exact(JOB)
    assert res.pvalue == rel(0.7826849)
    assert res.estimate is None
    assert res.alternative == "two-sided"
    assert res.details["n_partial_tables"] > 1000


def _brute_force_fisher(table):
    """Enumerate every table with the margins of `table` (independent, slow implementation)."""
    t = np.asarray(table)
    r, c = t.shape
    rows, cols, n = t.sum(1), t.sum(0), t.sum()

    def logp(m):
        return (
            special.gammaln(rows + 1).sum()
            + special.gammaln(cols + 1).sum()
            - special.gammaln(n + 1)
            - special.gammaln(m + 1).sum()
        )

    p_obs = math.exp(logp(t))
    total = 0.0
    ranges = [range(min(rows[i], cols[j]) + 1) for i in range(r - 1) for j in range(c - 1)]
    for cells in itertools.product(*ranges):
        m = np.zeros((r, c), dtype=int)
        m[: r - 1, : c - 1] = np.reshape(cells, (r - 1, c - 1))
        m[: r - 1, c - 1] = rows[: r - 1] - m[: r - 1, : c - 1].sum(1)
        m[r - 1, :] = cols - m[: r - 1, :].sum(0)
        if (m < 0).any():
            continue
        p = math.exp(logp(m))
        if p <= p_obs * (1 + 1e-7):
            total += p
    return total


@pytest.mark.parametrize(
    "table",
    [
        [[3, 1, 2], [1, 4, 0]],
        [[2, 0, 1], [1, 3, 2], [0, 2, 4]],
        [[1, 2, 0, 3], [2, 1, 4, 0], [1, 1, 1, 2]],
        [[4, 0], [1, 3], [0, 5]],
        [[5, 1, 0, 2, 1], [0, 2, 3, 1, 1]],
    ],
)
def test_fisher_exact_rxc_matches_brute_force_enumeration(table):
    res = sc.fisher_exact(table)
    assert res.pvalue == pytest.approx(_brute_force_fisher(table), rel=1e-10)


@pytest.mark.slow
def test_fisher_exact_rxc_mehta_patel_example_matches_r():
    # R: fisher.test(MP6) (6th example of Mehta & Patel, fisher.test help page) ->
    #    p-value = 0.03928964 (tidystats, with hybrid = TRUE, which R's help page says gives
    #    exactly the same p-value)
    mp6 = [
        [1, 2, 2, 1, 1, 0, 1],
        [2, 0, 0, 2, 3, 0, 0],
        [0, 1, 1, 1, 2, 7, 3],
        [1, 1, 2, 0, 0, 0, 1],
        [0, 1, 1, 1, 1, 0, 0],
    ]
    assert sc.fisher_exact(mp6).pvalue == rel(0.03928964)


def test_fisher_exact_rxc_too_large_is_a_clear_error():
    table = np.random.default_rng(1).integers(5, 25, size=(6, 6))
    with pytest.raises(ValueError, match="too large for the exact r×c Fisher test"):
        sc.fisher_exact(table)
    with pytest.raises(ValueError, match="`alternative` must be 'two-sided'"):
        sc.fisher_exact(JOB[:3], alternative="less")


# ------------------------------------------------------------------------- mcnemar

# R: Performance <- matrix(c(794, 86, 150, 570), nrow = 2) (mcnemar.test help page)
PERFORMANCE = np.array([794, 86, 150, 570]).reshape(2, 2).T


def test_mcnemar_matches_r_performance():
    # R: mcnemar.test(Performance) -> McNemar's chi-squared = 16.8178, p = 4.114562e-05;
    #    correct = FALSE -> 17.35593, p = 3.099293e-05 (tidystats)
    res = sc.mcnemar(PERFORMANCE)
    assert res.statistic == rel(16.8178, 6)
    assert res.pvalue == rel(4.114562e-05)
    assert res.df == 1
    assert res.method == "McNemar's Chi-squared test with continuity correction"
    plain = sc.mcnemar(PERFORMANCE, correction=False)
    assert plain.statistic == rel(17.35593)
    assert plain.pvalue == rel(3.099293e-05)
    # estimate: b/c with the Clopper-Pearson interval mapped through p/(1-p)
    b, c = 150, 86
    lo, hi = proportion_confint(b, b + c, method="beta")
    assert res.estimate.estimate == pytest.approx(b / c)
    assert res.estimate.confidence_interval.low == pytest.approx(lo / (1 - lo), rel=1e-10)
    assert res.estimate.confidence_interval.high == pytest.approx(hi / (1 - hi), rel=1e-10)


def test_mcnemar_exact_and_bowker_match_r():
    # R (statsmodels stats/tests/results/contingency_table_r_results.csv):
    #   mcnemar.test(matrix(c(23, 19, 15, 31), 2))$p.value -> 0.606905427217951
    #   binom.test(15, 34)$p.value (exact McNemar) -> 0.60759136127308
    #   mcnemar.test(3x3 table) (Bowker) -> 13.7692307692308, df 3, p 0.00323670650323545
    t = np.array([[23, 15], [19, 31]])
    assert sc.mcnemar(t).pvalue == pytest.approx(0.606905427217951, rel=1e-12)
    ex = sc.mcnemar(t, exact=True)
    assert ex.pvalue == pytest.approx(0.60759136127308, rel=1e-12)
    assert ex.statistic == 15
    t3 = np.array([[20, 10, 5], [3, 30, 15], [0, 5, 40]])
    bow = sc.mcnemar(t3)
    assert bow.statistic == pytest.approx(13.7692307692308, rel=1e-12)
    assert bow.df == 3
    assert bow.pvalue == pytest.approx(0.00323670650323545, rel=1e-10)
    t4 = np.array([[144, 33, 84, 126], [2, 4, 14, 29], [0, 2, 6, 25], [0, 0, 1, 5]])
    bow4 = sc.mcnemar(t4)
    assert bow4.statistic == pytest.approx(297.610989010989, rel=1e-12)
    assert bow4.pvalue == pytest.approx(2.65851858368065e-61, rel=1e-8)


# ------------------------------------------------------------------------- binomial_test


def test_binomial_test_matches_r_binom_test():
    # R: binom.test(682, 925, p = 3/4) -> p-value = 0.3825, CI 0.7076683 0.7654066 (help page)
    res = sc.binomial_test(682, 925, p=0.75)
    assert res.pvalue == pytest.approx(0.3825, abs=5e-5)
    assert res.estimate.confidence_interval.low == rel(0.7076683)
    assert res.estimate.confidence_interval.high == rel(0.7654066)
    assert res.statistic == 682
    # R: binom.test(c(682, 243)) -> p = 7.087291e-49; alternative = "less", p = 3/4 ->
    #    p = 0.1960093 (tidystats)
    assert sc.binomial_test(682, 925).pvalue == rel(7.087291e-49)
    assert sc.binomial_test(682, 925, p=0.75, alternative="less").pvalue == rel(0.1960093)


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (3, 20, 0.3),
        (9, 20, 0.3),
        (0, 7, 0.2),
        (7, 7, 0.9),
        (13, 40, 0.5),
        (1, 3, 0.0),
        (2, 9, 1 / 3),
    ],
)
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_binomial_test_pvalues_match_scipy(k, n, p, alternative):
    # independent implementation: scipy.stats.binomtest (same two-sided rule as R)
    res = sc.binomial_test(k, n, p, alternative=alternative)
    ref = stats.binomtest(k, n, p, alternative=alternative)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    ci = ref.proportion_ci(confidence_level=0.95, method="exact")
    assert res.estimate.confidence_interval.low == pytest.approx(ci.low, abs=1e-12)
    assert res.estimate.confidence_interval.high == pytest.approx(ci.high, abs=1e-12)


# ------------------------------------------------------------------------- proportions_test


def test_proportions_test_k_samples_match_r_smokers():
    smokers, patients = [83, 90, 129, 70], [86, 93, 136, 82]
    # R: prop.test(smokers, patients) -> X-squared = 12.60041, df = 3, p = 0.005585477
    res = sc.proportions_test(smokers, patients)
    assert res.statistic == rel(12.60041)
    assert res.df == 3
    assert res.pvalue == rel(0.005585477)
    assert res.estimate is None
    assert res.method == "4-sample test for equality of proportions without continuity correction"
    # R (statsmodels test_proportion.py): prop.test(c(73, 90, 114, 75), patients,
    #   correct = FALSE) -> 11.11938768628861, df 3, p 0.011097511366581344;
    #   with p = rep(0.9, 4) -> 13.20305530710751, df 4, p 0.010325090041836
    s2 = [73, 90, 114, 75]
    r2 = sc.proportions_test(s2, patients, correction=False)
    assert r2.statistic == pytest.approx(11.11938768628861, rel=1e-12)
    assert r2.pvalue == pytest.approx(0.011097511366581344, rel=1e-10)
    r3 = sc.proportions_test(s2, patients, p=[0.9] * 4, correction=False)
    assert r3.statistic == pytest.approx(13.20305530710751, rel=1e-12)
    assert r3.df == 4
    assert r3.pvalue == pytest.approx(0.010325090041836, rel=1e-10)


def test_proportions_test_one_sample_matches_r():
    # R: prop.test(48, 100) -> X-squared = 0.09, p = 0.7641772; correct = FALSE -> 0.16,
    #    p = 0.6891565 (tidystats; 48 = rbinom(1, 100, 0.5) with set.seed(1))
    res = sc.proportions_test(48, 100)
    assert res.statistic == pytest.approx(0.09, rel=1e-12)
    assert res.pvalue == rel(0.7641772)
    plain = sc.proportions_test(48, 100, correction=False)
    assert plain.statistic == pytest.approx(0.16, rel=1e-12)
    assert plain.pvalue == rel(0.6891565)
    # R: prop.test(73, 86, p = 0.9, correct = FALSE) -> 2.501291989664086,
    #    p 0.113752943640092, CI 0.758364348004061 0.9094787701686766 (statsmodels tests)
    r1 = sc.proportions_test(73, 86, p=0.9, correction=False)
    assert r1.statistic == pytest.approx(2.501291989664086, rel=1e-12)
    assert r1.pvalue == pytest.approx(0.113752943640092, rel=1e-10)
    assert tuple(r1.estimate.confidence_interval) == pytest.approx(
        (0.758364348004061, 0.9094787701686766), rel=1e-12
    )
    assert r1.method == "1-sample proportions test without continuity correction"
    # with correction the CI is R's continuity-corrected Wilson interval; R's binom package
    # ("prop.test" method of binom.confint(18, 20)) -> 0.668722403162941 0.982487361226571
    cc = sc.proportions_test(18, 20)
    assert tuple(cc.estimate.confidence_interval) == pytest.approx(
        (0.668722403162941, 0.982487361226571), rel=1e-12
    )


def test_proportions_test_two_samples_match_r():
    # R sessions printed in public repositories (2-sample test with continuity correction):
    # prop.test(c(100, 200), c(300, 400)) -> X-squared = 18.7698, p = 1.475e-05,
    #   CI -0.24201562 -0.09131771
    r = sc.proportions_test([100, 200], [300, 400])
    assert r.statistic == rel(18.7698, 6)
    assert r.pvalue == rel(1.475e-05, 4)
    assert tuple(r.estimate.confidence_interval) == (rel(-0.24201562), rel(-0.09131771))
    assert r.estimate.estimate == pytest.approx(1 / 3 - 1 / 2)
    # prop.test(c(25, 44), c(82, 91)) -> 5.0199, p = 0.02506, CI -0.33330449 -0.02397238
    r = sc.proportions_test([25, 44], [82, 91])
    assert r.statistic == rel(5.0199, 5)
    assert r.pvalue == rel(0.02506, 4)
    assert tuple(r.estimate.confidence_interval) == (rel(-0.33330449), rel(-0.02397238))
    # prop.test(c(7, 12), c(15, 28)) -> X-squared = 7.5808e-32, p = 1,
    #   CI -0.3119912 0.3881817 (the correction shrinks to |d| / (1/n1 + 1/n2))
    r = sc.proportions_test([7, 12], [15, 28])
    assert r.statistic == pytest.approx(0.0, abs=1e-25)
    assert r.pvalue == pytest.approx(1.0)
    assert tuple(r.estimate.confidence_interval) == (rel(-0.3119912), rel(0.3881817))
    # prop.test(c(280, 520), c(800, 800), alternative = "greater") -> p = 1,
    #   CI -0.3404773 1; two-sided CI -0.3479922 -0.2520078
    r = sc.proportions_test([280, 520], [800, 800])
    assert tuple(r.estimate.confidence_interval) == (rel(-0.3479922), rel(-0.2520078))
    g = sc.proportions_test([280, 520], [800, 800], alternative="greater")
    assert g.pvalue == pytest.approx(1.0, abs=1e-12)
    assert tuple(g.estimate.confidence_interval) == (rel(-0.3404773), 1.0)
    less = sc.proportions_test([280, 520], [800, 800], alternative="less")
    assert less.pvalue == pytest.approx(stats.norm.cdf(-math.sqrt(less.statistic)))


# ------------------------------------------------------------------------- poisson_test


def test_poisson_test_one_sample_matches_r():
    # R: poisson.test(137, 24.19893) -> p-value = 2.845227e-56 (tidystats), rate 5.661407,
    #    CI 4.753125 6.692709
    res = sc.poisson_test(137, 24.19893)
    assert res.pvalue == rel(2.845227e-56)
    assert res.estimate.estimate == rel(5.661407)
    assert tuple(res.estimate.confidence_interval) == (rel(4.753125), rel(6.692709))
    assert res.statistic == 137
    assert res.details["expected"] == pytest.approx(24.19893)


@pytest.mark.parametrize(("x", "m"), [(3, 7.5), (12, 7.5), (0, 2.0), (5, 5.0), (40, 30.2)])
def test_poisson_test_two_sided_rule_matches_brute_force(x, m):
    # R's rule: sum of P(X = i) over i with P(X = i) <= P(X = x) (1 + 1e-7), by brute force
    i = np.arange(0, 400)
    d = stats.poisson.pmf(i, m)
    expected = min(1.0, d[d <= stats.poisson.pmf(x, m) * (1 + 1e-7)].sum())
    assert sc.poisson_test(x, m).pvalue == pytest.approx(expected, rel=1e-10)
    assert sc.poisson_test(x, m, alternative="less").pvalue == pytest.approx(
        stats.poisson.cdf(x, m)
    )
    assert sc.poisson_test(x, 1.0, rate=m, alternative="greater").pvalue == pytest.approx(
        stats.poisson.sf(x - 1, m)
    )


def test_poisson_test_two_rates_matches_r():
    # R: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) -> rate ratio 1.971488,
    #    p-value = 0.07966863 (tidystats)
    res = sc.poisson_test([11, 21], [800, 3011])
    assert res.estimate.estimate == rel(1.971488)
    assert res.pvalue == rel(0.07966863)
    assert res.method == "Comparison of Poisson rates"
    # the interval is the Clopper-Pearson interval for x1 | x1 + x2 (statsmodels, independent)
    lo, hi = proportion_confint(11, 32, method="beta")
    assert res.estimate.confidence_interval.low == pytest.approx(lo / (1 - lo) * 3011 / 800)
    assert res.estimate.confidence_interval.high == pytest.approx(hi / (1 - hi) * 3011 / 800)
    assert res.details["expected"] == pytest.approx(32 * 800 / 3811)


# ------------------------------------------------------------------------- mantel_haenszel


def test_mantel_haenszel_rabbits_matches_r():
    # R: mantelhaen.test(Rabbits) -> Mantel-Haenszel X-squared = 3.928571, p = 0.04747226,
    #    common odds ratio 7 (tidystats); CI 1.026713 47.725133 (statsmodels test_contingency)
    res = sc.mantel_haenszel(RABBITS)
    assert res.statistic == rel(3.928571)
    assert res.pvalue == rel(0.04747226)
    assert res.estimate.estimate == pytest.approx(7.0, rel=1e-12)
    assert tuple(res.estimate.confidence_interval) == (rel(1.026713), rel(47.725133, 8))
    assert res.method == "Mantel-Haenszel chi-squared test with continuity correction"
    # R: mantelhaen.test(Rabbits, exact = TRUE) -> S = 16, p = 0.0399449,
    #    common odds ratio 10.36102 (tidystats)
    ex = sc.mantel_haenszel(RABBITS, exact=True)
    assert ex.statistic == 16
    assert ex.pvalue == rel(0.0399449, 6)
    assert ex.estimate.estimate == pytest.approx(10.36102, rel=5e-4)  # R's uniroot tolerance


def test_mantel_haenszel_more_r_references():
    # R (statsmodels test_contingency_tables.py, TestStratified2):
    #   mantelhaen.test(array(c(20,14,10,24, 15,12,3,15, 3,2,3,2, 12,3,7,5, 1,0,3,2),
    #   dim = c(2,2,5))) -> 11.8852, p 0.0005658, OR 3.5912, CI 1.781135 7.240633
    x = np.array([20, 14, 10, 24, 15, 12, 3, 15, 3, 2, 3, 2, 12, 3, 7, 5, 1, 0, 3, 2])
    tables = x.reshape(5, 2, 2).transpose(0, 2, 1)
    res = sc.mantel_haenszel(tables)
    assert res.statistic == rel(11.8852, 6)
    assert res.pvalue == rel(0.0005658, 4)
    assert res.estimate.estimate == rel(3.5912, 5)
    assert tuple(res.estimate.confidence_interval) == (rel(1.781135), rel(7.240633))
    # TestStratified3 -> 1.3368, p 0.2476, OR 1.101879, CI 0.9402012 1.2913602
    y = np.array(
        [
            313,
            512,
            19,
            89,
            207,
            353,
            8,
            17,
            205,
            120,
            391,
            202,
            278,
            139,
            244,
            131,
            138,
            53,
            299,
            94,
            351,
            22,
            317,
            24,
        ]
    )
    res3 = sc.mantel_haenszel(y.reshape(6, 2, 2).transpose(0, 2, 1))
    assert res3.statistic == rel(1.3368, 5)
    assert res3.pvalue == rel(0.2476, 4)
    assert res3.estimate.estimate == rel(1.101879)
    assert tuple(res3.estimate.confidence_interval) == (rel(0.9402012), rel(1.2913602, 8))


def test_mantel_haenszel_generalized_satisfaction_matches_r():
    # R: mantelhaen.test(Satisfaction) (4 x 4 x 2, help page) -> Cochran-Mantel-Haenszel
    #    M^2 = 10.20009, df = 9, p-value = 0.3345312 (tidystats)
    data = [
        1,
        2,
        0,
        0,
        3,
        3,
        1,
        2,
        11,
        17,
        8,
        4,
        2,
        3,
        5,
        2,
        1,
        0,
        0,
        0,
        1,
        3,
        0,
        1,
        2,
        5,
        7,
        9,
        1,
        1,
        3,
        6,
    ]
    tables = np.array(data).reshape(2, 4, 4).transpose(0, 2, 1)
    res = sc.mantel_haenszel(tables)
    assert res.statistic == rel(10.20009)
    assert res.df == 9
    assert res.pvalue == rel(0.3345312)
    assert res.method == "Cochran-Mantel-Haenszel test"


def test_mantel_haenszel_exact_matches_brute_force_enumeration():
    # independent check: enumerate every combination of n11 over the strata
    rng = np.random.default_rng(3)
    tables = rng.integers(0, 6, size=(3, 2, 2))
    res = sc.mantel_haenszel(tables, exact=True, alternative="greater")
    supports, pmfs = [], []
    for t in tables:
        m, n, k = t[:, 0].sum(), t[:, 1].sum(), t[0].sum()
        s = np.arange(max(0, k - n), min(k, m) + 1)
        supports.append(s)
        pmfs.append(stats.hypergeom.pmf(s, m + n, m, k))
    s_obs = tables[:, 0, 0].sum()
    total = 0.0
    for combo in itertools.product(*[range(len(s)) for s in supports]):
        s = sum(supports[i][j] for i, j in enumerate(combo))
        if s >= s_obs:
            total += math.prod(pmfs[i][j] for i, j in enumerate(combo))
    assert res.pvalue == pytest.approx(total, rel=1e-10)


def _product_hypergeometric_brute(tables):
    """Support and central pmf of S = sum of n11 over strata, by full enumeration."""
    supports, pmfs = [], []
    for t in tables:
        m, n, k = t[:, 0].sum(), t[:, 1].sum(), t[0].sum()
        s = np.arange(max(0, k - n), min(k, m) + 1)
        supports.append(s)
        pmfs.append(stats.hypergeom.pmf(s, m + n, m, k))
    dist = {}
    for combo in itertools.product(*[range(len(s)) for s in supports]):
        s = int(sum(supports[i][j] for i, j in enumerate(combo)))
        dist[s] = dist.get(s, 0.0) + math.prod(pmfs[i][j] for i, j in enumerate(combo))
    keys = np.array(sorted(dist))
    return keys, np.array([dist[k] for k in keys])


def test_mantel_haenszel_exact_interval_and_mle_by_brute_force():
    # the exact bounds solve P_psi(S >= s) = alpha/2 and P_psi(S <= s) = alpha/2, and the MLE
    # solves E_psi[S] = s, under the tilted product hypergeometric law (enumerated here)
    res = sc.mantel_haenszel(RABBITS, exact=True, confidence_level=0.9)
    support, d = _product_hypergeometric_brute(RABBITS)

    def tilted(psi):
        w = d * psi ** support.astype(float)
        return w / w.sum()

    low, high = res.estimate.confidence_interval
    assert tilted(low)[support >= 16].sum() == pytest.approx(0.05, rel=1e-8)
    assert tilted(high)[support <= 16].sum() == pytest.approx(0.05, rel=1e-8)
    assert (support * tilted(res.estimate.estimate)).sum() == pytest.approx(16, rel=1e-10)


def test_mantel_haenszel_statistic_matches_statsmodels_and_one_sided_rule():
    # independent implementation: statsmodels StratifiedTable (Mantel-Haenszel test and
    # estimate); one-sided p-values are normal tails of sign(delta) sqrt(X^2), as R.
    from statsmodels.stats.contingency_tables import StratifiedTable

    st = StratifiedTable([t.astype(float) for t in RABBITS])
    for corr in (True, False):
        res = sc.mantel_haenszel(RABBITS, correction=corr)
        ref = st.test_null_odds(correction=corr)
        assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert sc.mantel_haenszel(RABBITS).estimate.estimate == pytest.approx(st.oddsratio_pooled)
    two = sc.mantel_haenszel(RABBITS)
    greater = sc.mantel_haenszel(RABBITS, alternative="greater")
    less = sc.mantel_haenszel(RABBITS, alternative="less")
    # delta > 0 here (more cures than expected with immediate injection)
    assert greater.pvalue == pytest.approx(stats.norm.sf(math.sqrt(two.statistic)))
    assert less.pvalue == pytest.approx(stats.norm.cdf(math.sqrt(two.statistic)))
    assert greater.estimate.confidence_interval.high == math.inf
    assert less.estimate.confidence_interval.low == 0.0


# ------------------------------------------------------------------------- size by simulation


def _chi2_size(n_sim, n, probs_row, probs_col, seed):
    rng = np.random.default_rng(seed)
    cell = np.outer(probs_row, probs_col).ravel()
    tables = rng.multinomial(n, cell, size=n_sim).reshape(n_sim, len(probs_row), len(probs_col))
    rejections = 0
    used = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for t in tables:
            if (t.sum(0) == 0).any() or (t.sum(1) == 0).any():
                continue
            used += 1
            rejections += sc.chi2_independence(t).pvalue < 0.05
    return rejections / used


def test_chi2_independence_size_under_the_null():
    size = _chi2_size(2500, 150, [0.3, 0.7], [0.2, 0.3, 0.5], seed=11)
    assert 0.04 <= size <= 0.06


@pytest.mark.slow
def test_chi2_independence_size_under_the_null_full():
    for n, rows, cols, seed in [
        (100, [0.5, 0.5], [0.3, 0.3, 0.4], 1),
        (300, [0.2, 0.3, 0.5], [0.25, 0.25, 0.25, 0.25], 2),
        (200, [0.4, 0.6], [0.1, 0.2, 0.3, 0.4], 3),
    ]:
        size = _chi2_size(20000, n, rows, cols, seed)
        assert 0.04 <= size <= 0.06, (n, size)


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("func", "table", "exc", "match"),
    [
        (sc.chi2_independence, [[1, -2], [3, 4]], ValueError, "`table` has negative counts"),
        (sc.chi2_independence, [[1, 2.5], [3, 4]], ValueError, "whole-number counts"),
        (sc.chi2_independence, [[0, 0], [3, 4]], ValueError, r"row with zero total \(row index 0"),
        (sc.chi2_independence, [[0, 2], [0, 4]], ValueError, "column with zero total"),
        (sc.chi2_independence, [1, 2, 3], ValueError, "must be a two-dimensional table"),
        (sc.chi2_independence, np.ones((2, 2, 2)), ValueError, "two-dimensional"),
        (sc.chi2_independence, [[1, 2, 3]], ValueError, "at least 2 rows and 2 columns"),
        (sc.chi2_independence, [[1, np.nan], [3, 4]], ValueError, "`table` has 1 NaN value"),
        (sc.chi2_independence, [[1, np.inf], [3, 4]], ValueError, "infinite"),
        (sc.chi2_independence, [["a", "b"], ["c", "d"]], TypeError, "must contain numbers"),
        (sc.chi2_independence, "abcd", TypeError, "got a string"),
        (sc.fisher_exact, [[1, -2], [3, 4]], ValueError, "negative counts"),
        (sc.fisher_exact, [[0, 0], [3, 4]], ValueError, "zero total"),
        (sc.cramers_v, [[1, 2.5], [3, 4]], ValueError, "whole-number counts"),
        (sc.mcnemar, [[1, 2, 3], [4, 5, 6]], ValueError, r"must be square"),
        (sc.mcnemar, [[5, 0], [0, 7]], ValueError, "no discordant pairs"),
        (sc.mcnemar, [[5, 1, 0], [1, 7, 2], [0, 3, 4]], ValueError, "categories 0 and 2"),
    ],
)
def test_table_bad_input(func, table, exc, match):
    with pytest.raises(exc, match=match):
        func(table)


def test_other_bad_input():
    with pytest.raises(ValueError, match="exact=True is available for 2×2 tables only"):
        sc.mcnemar(np.array([[5, 1, 2], [1, 7, 2], [2, 3, 4]]), exact=True)
    with pytest.raises(TypeError, match="`exact` must be True or False"):
        sc.mcnemar(PERFORMANCE, exact="exact")
    with pytest.raises(ValueError, match=r"`k` \(11\) cannot exceed `n` \(10\)"):
        sc.binomial_test(11, 10)
    with pytest.raises(ValueError, match=r"`p` must be in \[0, 1\]"):
        sc.binomial_test(3, 10, p=1.2)
    with pytest.raises(ValueError, match="`n` must be at least 1"):
        sc.binomial_test(0, 0)
    with pytest.raises(ValueError, match="`confidence_level` must be in"):
        sc.binomial_test(3, 10, confidence_level=1.0)
    with pytest.raises(ValueError, match=r"`successes` \(12\) cannot exceed `totals` \(10\)"):
        sc.proportions_test([12, 3], [10, 10])
    with pytest.raises(ValueError, match="`totals` must be positive"):
        sc.proportions_test([0, 3], [0, 10])
    with pytest.raises(ValueError, match="same length"):
        sc.proportions_test([1, 3], [10, 10, 10])
    with pytest.raises(ValueError, match=r"every element of `p` must be in \(0, 1\)"):
        sc.proportions_test(3, 10, p=1.0)
    with pytest.raises(ValueError, match="one-sided `alternative`"):
        sc.proportions_test([1, 2, 3], [10, 10, 10], alternative="less")
    with pytest.raises(ValueError, match="only successes"):
        sc.proportions_test([10, 10], [10, 10])
    with pytest.raises(ValueError, match="`successes` has negative counts"):
        sc.proportions_test(-1, 10)
    with pytest.raises(ValueError, match="`exposure` must be positive"):
        sc.poisson_test(3, 0.0)
    with pytest.raises(ValueError, match="`rate` must be positive"):
        sc.poisson_test(3, 1.0, rate=-1)
    with pytest.raises(ValueError, match="both counts are zero"):
        sc.poisson_test([0, 0], [1.0, 2.0])
    with pytest.raises(ValueError, match="one or two counts"):
        sc.poisson_test([1, 2, 3], 1.0)
    with pytest.raises(ValueError, match="`count` must be a non-negative count"):
        sc.poisson_test(-2, 1.0)
    with pytest.raises(ValueError, match="`observed` sums to zero"):
        sc.chi2_goodness_of_fit([0, 0, 0])
    with pytest.raises(ValueError, match="same length"):
        sc.chi2_goodness_of_fit([1, 2, 3], [0.5, 0.5])
    with pytest.raises(ValueError, match="`probabilities` must be non-negative"):
        sc.chi2_goodness_of_fit([1, 2], [1.5, -0.5])
    with pytest.raises(ValueError, match="`probabilities` has zeros"):
        sc.chi2_goodness_of_fit([1, 2], [1.0, 0.0])
    with pytest.raises(ValueError, match="`observed` needs at least 2"):
        sc.chi2_goodness_of_fit([5])
    with pytest.raises(ValueError, match="strata first"):
        sc.mantel_haenszel([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="at least 2 observations; stratum 1"):
        sc.mantel_haenszel([[[1, 2], [3, 4]], [[1, 0], [0, 0]]])
    with pytest.raises(ValueError, match="2×2×K tables only"):
        sc.mantel_haenszel(np.ones((2, 3, 3)), exact=True)
    with pytest.raises(ValueError, match="`tables` has negative counts"):
        sc.mantel_haenszel(-np.ones((2, 2, 2)))


def test_inputs_are_not_modified():
    table = np.array([[12, 5], [7, 7]])
    df = pd.DataFrame(M_TABLE)
    strata = RABBITS.copy()
    before = (table.copy(), df.copy(), strata.copy())
    sc.chi2_independence(table)
    sc.fisher_exact(table)
    sc.mcnemar(table)
    sc.cramers_v(df)
    sc.chi2_independence(df)
    sc.mantel_haenszel(strata, exact=True)
    np.testing.assert_array_equal(table, before[0])
    pd.testing.assert_frame_equal(df, before[1])
    np.testing.assert_array_equal(strata, before[2])


def test_results_hold_python_floats():
    res = sc.fisher_exact(np.array([[3, 1], [1, 3]], dtype=np.int64))
    assert type(res.statistic) is float
    assert type(res.pvalue) is float
    assert type(res.estimate.confidence_interval.high) is float
    row = res.to_frame()
    assert row.loc[0, "estimate"] == pytest.approx(6.408309, rel=5e-6)
