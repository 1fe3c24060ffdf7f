"""Tests of statcraft.hypothesis_tests.parametric against R output and independent code."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.weightstats import ttost_ind, ttost_paired

import statcraft as sc
from statcraft.hypothesis_tests.parametric import _t_core

# R datasets typed in from their documentation.
# sleep$extra by group (R `datasets::sleep`)
SLEEP1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
# mtcars$mpg by am (R `datasets::mtcars`): am == 0, am == 1
MPG0 = np.array(
    [21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 21.5,
     15.5, 15.2, 13.3, 19.2]
)  # fmt: skip
MPG1 = np.array([21.0, 21.0, 22.8, 32.4, 30.4, 33.9, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4])
# PlantGrowth$weight by group (R `datasets::PlantGrowth`)
PLANT = (
    np.array([4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14]),
    np.array([4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]),
    np.array([6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26]),
)
# WRS2 `spider` data: Anxiety by Group
PICTURE = np.array([30, 35, 45, 40, 50, 35, 55, 25, 30, 45, 40, 50.0])
REAL = np.array([40, 35, 50, 55, 65, 55, 50, 35, 30, 50, 60, 39.0])
# Brake-pad wear by type (Verzani, Using R, problem 11.12)
WEAR = ([303, 293, 296, 299, 298], [322, 326, 315, 318, 320, 320], [309, 327, 317, 315])


# ------------------------------------------------------------------ ttest vs R

# R 4.2.2 output as stored by tidystats (tests/data/htest.json of WillemSleegers/tidystats),
# 6 decimals: estimate, ci_low, ci_high, se, t, df, p
R_SLEEP = {
    # R: t.test(extra ~ 1, data = sleep)
    "one": (1.54, 0.595584, 2.484416, 0.451221, 3.412965, 19, 0.002918),
    # R: t.test(extra ~ group, data = sleep, var.equal = TRUE)
    "student": (-1.58, -3.363874, 0.203874, 0.849091, -1.860813, 18, 0.079187),
    # R: t.test(extra ~ group, data = sleep)
    "welch": (-1.58, -3.365483, 0.205483, 0.849091, -1.860813, 17.776474, 0.079394),
    # R: t.test(extra ~ group, data = sleep, paired = TRUE)
    "paired": (-1.58, -2.459886, -0.700114, 0.388959, -4.062128, 9, 0.002833),
}


@pytest.mark.parametrize(
    ("key", "call", "method"),
    [
        ("one", lambda: sc.ttest(np.concatenate([SLEEP1, SLEEP2])), "One Sample t-test"),
        ("student", lambda: sc.ttest(SLEEP1, SLEEP2, equal_var=True), "Two Sample t-test"),
        ("welch", lambda: sc.ttest(SLEEP1, SLEEP2), "Welch Two Sample t-test"),
        ("paired", lambda: sc.ttest(SLEEP1, SLEEP2, paired=True), "Paired t-test"),
    ],
)
def test_ttest_sleep_against_r(key, call, method):
    est, lo, hi, se, t, df, p = R_SLEEP[key]
    res = call()
    assert res.method == method
    assert res.statistic == pytest.approx(t, abs=1e-6)
    assert res.df == pytest.approx(df, abs=1e-6)
    assert res.pvalue == pytest.approx(p, abs=1e-6)
    assert res.estimate.estimate == pytest.approx(est, abs=1e-12)
    assert res.estimate.std_error == pytest.approx(se, abs=1e-6)
    assert res.estimate.confidence_interval.low == pytest.approx(lo, abs=1e-6)
    assert res.estimate.confidence_interval.high == pytest.approx(hi, abs=1e-6)
    assert res.alternative == "two-sided"
    stat, pv = res
    assert (stat, pv) == (res.statistic, res.pvalue)
    assert isinstance(res.statistic, float) and isinstance(res.pvalue, float)


def test_ttest_mtcars_welch_against_r():
    # R: t.test(mpg ~ am, data = mtcars)
    #   t = -3.7671, df = 18.332, p-value = 0.001374
    #   95 percent confidence interval: -11.280194  -3.209684
    #   mean in group 0 17.14737, mean in group 1 24.39231
    res = sc.ttest(MPG0, MPG1)
    assert res.statistic == pytest.approx(-3.7671, abs=5e-5)
    assert res.df == pytest.approx(18.332, abs=5e-4)
    assert res.pvalue == pytest.approx(0.001374, abs=5e-7)
    assert res.estimate.confidence_interval.low == pytest.approx(-11.280194, abs=5e-7)
    assert res.estimate.confidence_interval.high == pytest.approx(-3.209684, abs=5e-7)
    assert res.details["mean_x"] == pytest.approx(17.14737, abs=5e-6)
    assert res.details["mean_y"] == pytest.approx(24.39231, abs=5e-6)


def test_ttest_effect_size_is_hedges_g_as_effectsize():
    # R: hedges_g(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep)
    #   -1.173925, 95% CI [-1.935602, -0.378918] (effectsize 0.8.3, via tidystats)
    g = sc.ttest(SLEEP1, SLEEP2, paired=True).effect_size
    assert g.estimate == pytest.approx(-1.173925, abs=1.5e-6)
    assert g.confidence_interval.low == pytest.approx(-1.935602, abs=1.5e-6)
    assert g.confidence_interval.high == pytest.approx(-0.378918, abs=1.5e-6)
    # R: hedges_g(mpg ~ am, data = mtcars) -> -1.440635 [-2.208767, -0.65364]; also after Welch
    g2 = sc.ttest(MPG0, MPG1).effect_size
    assert g2.estimate == pytest.approx(-1.440635, abs=1.5e-6)
    assert g2.confidence_interval.low == pytest.approx(-2.208767, abs=1.5e-6)


@pytest.mark.parametrize("alternative", ["less", "greater"])
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_one_sided_against_scipy(alternative, equal_var):
    res = sc.ttest(SLEEP1, SLEEP2, mu=0.5, equal_var=equal_var, alternative=alternative)
    ref = stats.ttest_ind(SLEEP1 - 0.5, SLEEP2, equal_var=equal_var, alternative=alternative)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    ci = ref.confidence_interval(0.9)
    mine = sc.ttest(SLEEP1, SLEEP2, equal_var=equal_var, alternative=alternative,
                    confidence_level=0.9).estimate.confidence_interval  # fmt: skip
    assert mine.low == pytest.approx(ci.low + 0.5, rel=1e-10)
    assert mine.high == pytest.approx(ci.high + 0.5, rel=1e-10)
    assert math.isinf(mine.low if alternative == "less" else mine.high)


def test_ttest_paired_and_one_sample_against_scipy(rng):
    x = rng.normal(1.0, 2.0, 17)
    y = x + rng.normal(0.3, 1.0, 17)
    r1 = sc.ttest(x, y, paired=True, mu=-0.1, alternative="greater")
    ref1 = stats.ttest_rel(x + 0.1, y, alternative="greater")
    assert r1.statistic == pytest.approx(ref1.statistic, rel=1e-12)
    assert r1.pvalue == pytest.approx(ref1.pvalue, rel=1e-10)
    r2 = sc.ttest(x, mu=0.7)
    ref2 = stats.ttest_1samp(x, 0.7)
    assert r2.statistic == pytest.approx(ref2.statistic, rel=1e-12)
    assert r2.pvalue == pytest.approx(ref2.pvalue, rel=1e-10)
    assert r2.df == 16


def test_ttest_accepts_pandas_and_omits_nan():
    x = pd.Series([*SLEEP1, np.nan])
    res = sc.ttest(x, SLEEP2, nan_policy="omit")
    assert res.statistic == pytest.approx(R_SLEEP["welch"][4], abs=1e-6)
    res_p = sc.ttest(x, SLEEP2, nan_policy="propagate")
    assert math.isnan(res_p.statistic) and math.isnan(res_p.pvalue)
    y = np.array([*SLEEP2, 1.0])
    paired = sc.ttest(x, y, paired=True, nan_policy="omit")
    assert paired.statistic == pytest.approx(R_SLEEP["paired"][4], abs=1e-6)


def test_ttest_bad_input():
    with pytest.raises(ValueError, match="`x` needs at least 2"):
        sc.ttest([1.0])
    with pytest.raises(ValueError, match="`y` needs at least 2"):
        sc.ttest([1.0, 2.0], [3.0])
    with pytest.raises(ValueError, match="constant"):
        sc.ttest([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        sc.ttest([1.0, 1.0, 1.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        sc.ttest([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], paired=True)
    with pytest.raises(ValueError, match="same length"):
        sc.ttest([1.0, 2.0, 3.0], [1.0, 2.0], paired=True)
    with pytest.raises(ValueError, match="NaN"):
        sc.ttest([1.0, 2.0, np.nan])
    with pytest.raises(ValueError, match="all NaN"):
        sc.ttest([np.nan, np.nan])
    with pytest.raises(ValueError, match="infinite"):
        sc.ttest([1.0, 2.0, np.inf])
    with pytest.raises(ValueError, match="empty"):
        sc.ttest([])
    with pytest.raises(TypeError, match="numbers"):
        sc.ttest("abc")
    with pytest.raises(TypeError, match="`paired`"):
        sc.ttest([1.0, 2.0], [1.0, 3.0], paired="yes")
    with pytest.raises(ValueError, match="confidence_level"):
        sc.ttest([1.0, 2.0, 3.0], confidence_level=0.0)
    with pytest.raises(ValueError, match="alternative"):
        sc.ttest([1.0, 2.0, 3.0], alternative="two.sided")
    with pytest.raises(ValueError, match="nan_policy"):
        sc.ttest([1.0, 2.0, 3.0], nan_policy="ignore")
    with pytest.raises(ValueError, match="needs both"):
        sc.ttest([1.0, 2.0, 3.0], paired=True)
    with pytest.raises(ValueError, match="`mu` must be finite"):
        sc.ttest([1.0, 2.0, 3.0], mu=np.nan)


def test_inputs_not_modified():
    x, y = SLEEP1.copy(), SLEEP2.copy()
    s = pd.Series(PICTURE.copy())
    sc.ttest(x, y, paired=True)
    sc.yuen(s, REAL)
    sc.tost(x, y, low=-1, high=1)
    sc.oneway_anova(x, y, PLANT[0])
    np.testing.assert_array_equal(x, SLEEP1)
    np.testing.assert_array_equal(y, SLEEP2)
    np.testing.assert_array_equal(s.to_numpy(), PICTURE)


def test_result_to_frame_has_fixed_columns():
    row = sc.ttest(SLEEP1, SLEEP2).to_frame()
    assert {"statistic", "pvalue", "estimate_ci_low", "effect_size_ci_high"} <= set(row.columns)


# ------------------------------------------------------------------ size by simulation


def _rejection_rates(n_sim, seed):
    rng = np.random.default_rng(seed)
    # Welch: unequal n and variances; Student: equal variances; paired: correlated pairs
    x = rng.normal(0.0, 1.0, (n_sim, 8))
    y = rng.normal(0.0, 3.0, (n_sim, 15))
    est, se, df = _t_core(x, y, paired=False, equal_var=False)
    welch = np.mean(2 * stats.t.sf(np.abs(est / se), df) <= 0.05)
    y2 = rng.normal(0.0, 1.0, (n_sim, 13))
    est, se, df = _t_core(x, y2, paired=False, equal_var=True)
    student = np.mean(2 * stats.t.sf(np.abs(est / se), df) <= 0.05)
    z = rng.normal(size=(n_sim, 10))
    a = z + rng.normal(size=(n_sim, 10))
    b = z + rng.normal(size=(n_sim, 10))
    est, se, df = _t_core(a, b, paired=True, equal_var=False)
    paired = np.mean(2 * stats.t.sf(np.abs(est / se), df) <= 0.05)
    return welch, student, paired


def test_size_fast():
    # the vectorised core that ttest() uses, on 6000 null data sets per test (SD of the rate 0.003)
    for rate in _rejection_rates(6000, seed=2026):
        assert 0.04 <= rate <= 0.06


def test_core_matches_public_function(rng):
    x, y = rng.normal(size=9), rng.normal(size=14)
    est, se, df = _t_core(x, y, paired=False, equal_var=False)
    res = sc.ttest(x, y)
    assert (res.estimate.estimate, res.estimate.std_error, res.df) == (est, se, df)


@pytest.mark.slow
def test_size_full_public_function():
    rng = np.random.default_rng(77)
    n_sim = 4000
    rej = {"welch": 0, "student": 0, "paired": 0}
    for _ in range(n_sim):
        x = rng.normal(0.0, 1.0, 7)
        rej["welch"] += sc.ttest(x, rng.normal(0.0, 2.5, 16)).pvalue <= 0.05
        rej["student"] += sc.ttest(x, rng.normal(0.0, 1.0, 11), equal_var=True).pvalue <= 0.05
        z = rng.normal(size=9)
        rej["paired"] += (
            sc.ttest(z + rng.normal(size=9), z + rng.normal(size=9), paired=True).pvalue <= 0.05
        )
    for count in rej.values():
        assert 0.04 <= count / n_sim <= 0.06


# ------------------------------------------------------------------ yuen


def test_yuen_spider_against_wrs2():
    # R: WRS2::yuen(Anxiety ~ Group, data = spider), as pinned by the `parameters` package tests
    #   Difference = -6.75, CI [-17.9293607102093, 4.42936071020934], t = 1.29575716084179,
    #   df = 13.9137233889032, p = 0.216143324927692, Effsize = 0.378416737055775
    res = sc.yuen(PICTURE, REAL)
    assert res.statistic == pytest.approx(-1.29575716084179, rel=1e-10)
    assert res.df == pytest.approx(13.9137233889032, rel=1e-10)
    assert res.pvalue == pytest.approx(0.216143324927692, rel=1e-9)
    assert res.estimate.estimate == -6.75
    assert res.estimate.confidence_interval.low == pytest.approx(-17.9293607102093, rel=1e-10)
    assert res.estimate.confidence_interval.high == pytest.approx(4.42936071020934, rel=1e-10)
    # WRS2 integrates the normal winsorized variance numerically; closed form here
    assert res.details["explanatory_measure"] == pytest.approx(0.378416737055775, rel=1e-6)
    assert res.effect_size is None


@pytest.mark.parametrize("trim", [0.0, 0.1, 0.2, 0.25])
def test_yuen_against_scipy_trimmed_welch(rng, trim):
    x = rng.standard_t(3, 23)
    y = rng.standard_t(3, 17) + 0.5
    res = sc.yuen(x, y, trim=trim, alternative="less")
    ref = stats.ttest_ind(x, y, equal_var=False, trim=trim, alternative="less")
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.df == pytest.approx(ref.df, rel=1e-10)
    assert "explanatory_measure" not in res.details


def test_yuen_bad_input():
    with pytest.raises(ValueError, match=r"`trim` must be in \[0, 0.5\)"):
        sc.yuen(PICTURE, REAL, trim=0.5)
    with pytest.raises(ValueError, match="trim"):
        sc.yuen(PICTURE, REAL, trim=-0.1)
    with pytest.raises(ValueError, match="keeps 1 observation"):
        sc.yuen([1.0, 2.0, 3.0], REAL, trim=0.4)
    with pytest.raises(ValueError, match="constant"):
        sc.yuen([1.0, 1.0, 1.0, 1.0, 9.0], [2.0, 2.0, 2.0, 2.0, -5.0], trim=0.2)
    with pytest.raises(ValueError, match="`y` needs at least 2"):
        sc.yuen(PICTURE, [1.0])
    with pytest.raises(ValueError, match="NaN"):
        sc.yuen([1.0, np.nan, 3.0], REAL)


# ------------------------------------------------------------------ tost


@pytest.mark.parametrize("equal_var", [False, True])
def test_tost_against_statsmodels(equal_var):
    res = sc.tost(SLEEP1, SLEEP2, low=-2.0, high=2.5, equal_var=equal_var)
    p, lower, upper = ttost_ind(
        SLEEP1, SLEEP2, -2.0, 2.5, usevar="pooled" if equal_var else "unequal"
    )
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    assert res.details["t_lower"] == pytest.approx(lower[0], rel=1e-10)
    assert res.details["p_lower"] == pytest.approx(lower[1], rel=1e-10)
    assert res.details["t_upper"] == pytest.approx(upper[0], rel=1e-10)
    assert res.details["p_upper"] == pytest.approx(upper[1], rel=1e-10)
    assert res.df == pytest.approx(lower[2], rel=1e-10)
    assert res.alternative is None


def test_tost_paired_against_statsmodels_and_ci_duality():
    res = sc.tost(SLEEP1, SLEEP2, low=-2.5, high=-0.5, paired=True)
    p, _, _ = ttost_paired(SLEEP1, SLEEP2, -2.5, -0.5)
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    # the 90% interval equals R's t.test(..., paired = TRUE, conf.level = 0.9) interval, and
    # equivalence at alpha = 0.05 holds iff it lies inside the bounds
    ci = sc.ttest(SLEEP1, SLEEP2, paired=True, confidence_level=0.9).estimate.confidence_interval
    assert res.estimate.confidence_interval == ci
    inside = ci.low > -2.5 and ci.high < -0.5
    assert inside == (res.pvalue < 0.05)


def test_tost_one_sample_by_hand():
    x = np.array([9.8, 10.2, 10.1, 9.9, 10.0, 10.3, 9.7])
    res = sc.tost(x, low=9.5, high=10.5)
    se = x.std(ddof=1) / math.sqrt(7)
    p1 = stats.t.sf((x.mean() - 9.5) / se, 6)
    p2 = stats.t.cdf((x.mean() - 10.5) / se, 6)
    assert res.pvalue == pytest.approx(max(p1, p2), rel=1e-12)


def test_tost_bad_input():
    with pytest.raises(ValueError, match="`low` must be smaller than `high`"):
        sc.tost(SLEEP1, SLEEP2, low=1.0, high=1.0)
    with pytest.raises(ValueError, match="`low` must be smaller than `high`"):
        sc.tost(SLEEP1, SLEEP2, low=2.0, high=-1.0)
    with pytest.raises(TypeError, match="`low`"):
        sc.tost(SLEEP1, SLEEP2, low="a", high=1.0)
    with pytest.raises(ValueError, match="same length"):
        sc.tost(SLEEP1, SLEEP2[:5], low=-1, high=1, paired=True)


# ------------------------------------------------------------------ one-way ANOVA


def test_oneway_plantgrowth_against_r():
    # R: anova(lm(weight ~ group, data = PlantGrowth)) -> F = 4.8461, Pr(>F) = 0.01591
    res = sc.oneway_anova(*PLANT)
    assert res.statistic == pytest.approx(4.8461, abs=5e-5)
    assert res.pvalue == pytest.approx(0.01591, abs=5e-6)
    assert res.df == (2.0, 27.0)
    assert res.method == "One-way analysis of means"
    # R: summary(aov(weight ~ group, PlantGrowth)): Sum Sq group 3.766, Residuals 10.492
    assert res.details["ss_between"] == pytest.approx(3.766, abs=5e-4)
    assert res.details["ss_within"] == pytest.approx(10.492, abs=5e-4)
    assert res.effect_size.estimate == pytest.approx(3.76634 / (3.76634 + 10.49209), abs=1e-5)


def test_oneway_welch_plantgrowth_against_statsmodels():
    res = sc.oneway_anova(*PLANT, equal_var=False)
    ref = anova_oneway(PLANT, use_var="unequal")
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.df[1] == pytest.approx(ref.df[1], rel=1e-10)
    # R: oneway.test(weight ~ group, data = PlantGrowth)
    #   F = 5.181, num df = 2.000, denom df = 17.128, p-value = 0.01739
    assert res.statistic == pytest.approx(5.181, abs=5e-4)
    assert res.df[1] == pytest.approx(17.128, abs=5e-4)
    assert res.pvalue == pytest.approx(0.01739, abs=5e-6)
    assert res.method == "One-way analysis of means (not assuming equal variances)"


def test_oneway_wear_against_r():
    # Verzani, Using R, problem 11.12:
    # R: oneway.test(values ~ ind, data = wear.st)$p.value -> 0.0001522
    # R: summary(lm(values ~ ind, data = wear.st)) -> F-statistic: 31 on 2 and 12 DF,
    #    p-value: 1.81e-05
    welch = sc.oneway_anova(*WEAR, equal_var=False)
    assert welch.pvalue == pytest.approx(0.0001522, abs=5e-8)
    classic = sc.oneway_anova(*WEAR)
    assert classic.statistic == pytest.approx(31.0, abs=0.05)
    assert classic.pvalue == pytest.approx(1.81e-05, abs=5e-8)


def test_oneway_two_groups_match_t_tests():
    # R: oneway.test(extra ~ group, data = sleep) -> F = 3.462627, denom df = 17.776474
    welch = sc.oneway_anova(SLEEP1, SLEEP2, equal_var=False)
    assert welch.statistic == pytest.approx(3.462627, abs=1e-6)
    assert welch.df == pytest.approx((1.0, 17.776474), abs=1e-6)
    classic = sc.oneway_anova(SLEEP1, SLEEP2)
    assert classic.pvalue == pytest.approx(R_SLEEP["student"][6], abs=1e-6)


def test_oneway_effect_sizes_and_dict_input():
    res = sc.oneway_anova({"ctrl": PLANT[0], "trt1": PLANT[1], "trt2": PLANT[2]})
    assert res.effect_size == sc.eta_squared(*PLANT)
    assert res.details["omega_squared"] == sc.omega_squared(*PLANT)
    assert res.details["group_sizes"] == (10, 10, 10)
    assert res.estimate is None


def test_oneway_bad_input():
    with pytest.raises(ValueError, match="at least 2 groups"):
        sc.oneway_anova(PLANT[0])
    with pytest.raises(ValueError, match=r"`groups\[1\]` needs at least 2"):
        sc.oneway_anova(PLANT[0], [1.0])
    with pytest.raises(ValueError, match="every group"):
        sc.oneway_anova([1.0, 1.0], [2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match=r"`groups\[1\]` is constant"):
        sc.oneway_anova(PLANT[0], [2.0, 2.0, 2.0], equal_var=False)
    with pytest.raises(ValueError, match="NaN"):
        sc.oneway_anova(PLANT[0], [1.0, np.nan, 2.0])
    with pytest.raises(TypeError, match="numbers"):
        sc.oneway_anova(PLANT[0], ["a", "b"])
    res = sc.oneway_anova(PLANT[0], [1.0, np.nan, 2.0, 3.0], nan_policy="omit")
    assert res.details["group_sizes"] == (10, 3)
