"""Meta-analysis: meta_analysis, meta_mantel_haenszel, meta_peto, meta_regression, egger_test.

Reference values (each one names its source next to it):

- metafor (R) documented output: the rendered examples of metafor 4.x (docs/reference/*.html:
  ``rma.uni``, ``confint.rma``, ``predict.rma``, ``leave1out``, ``regplot``, ``permutest``,
  ``rma.mh``, ``rma.peto``, ``regtest``) and metafor's own test files
  (tests/testthat/test_misc_metan_vs_rma.*_with_dat.bcg.r, which agree with Stata's metan;
  test_misc_confint.r; test_misc_rma_uni.r; test_misc_anova.r;
  test_analysis_example_raudenbush2009.r, which reproduces Raudenbush (2009) Table 16.3).
- statsmodels 0.15 ``combine_effects`` (DerSimonian-Laird, Paule-Mandel, and the HKSJ
  "random effect wls" rows) and OLS, as independent implementations.
- Gelman et al. (2013), BDA3 §5.6 for the beta-blocker pooled log odds ratio (about -0.25).
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from statcraft.datasets import load_bcg, load_beta_blocker
from statcraft.health import (
    MetaAnalysisResult,
    MetaRegressionResult,
    effect_sizes_2x2,
    egger_test,
    meta_analysis,
    meta_mantel_haenszel,
    meta_peto,
    meta_regression,
)
from statcraft.results import ConfidenceInterval, Estimate, TestResult

# dat.egger2001 without ISIS-4 (metadat data-raw/dat.egger2001.txt)
EGGER_AI = [1, 9, 2, 1, 10, 1, 1, 0, 6, 1, 2, 5, 4, 90, 4]
EGGER_N1 = [40, 135, 200, 48, 150, 59, 25, 22, 76, 27, 89, 23, 130, 1159, 107]
EGGER_CI = [2, 23, 7, 1, 8, 9, 3, 1, 11, 7, 12, 13, 8, 118, 17]
EGGER_N2 = [36, 135, 200, 46, 148, 56, 23, 21, 75, 27, 80, 33, 122, 1157, 108]

# dat.raudenbush1985 (metadat data-raw/dat.raudenbush1985.txt): teacher expectancy, yi and vi
RAUD_Y = [0.03, 0.12, -0.14, 1.18, 0.26, -0.06, -0.02, -0.32, 0.27, 0.80, 0.54, 0.18, -0.02,
          0.23, -0.18, -0.06, 0.30, 0.07, -0.07]  # fmt: skip
RAUD_V = [0.0156, 0.0216, 0.0279, 0.1391, 0.1362, 0.0106, 0.0106, 0.0484, 0.0269, 0.0630,
          0.0912, 0.0497, 0.0835, 0.0841, 0.0253, 0.0279, 0.0193, 0.0088, 0.0303]  # fmt: skip

# dat.bcg allocation (metadat data-raw/dat.bcg.txt), trials 1-13
BCG_ALLOC = ["random"] * 4 + ["alternate"] * 2 + ["random"] * 3 + ["systematic"] * 4


@pytest.fixture(scope="module")
def bcg() -> pd.DataFrame:
    return load_bcg()


def _counts(bcg):
    return (
        bcg["vaccinated_cases"],
        bcg["vaccinated_total"],
        bcg["control_cases"],
        bcg["control_total"],
    )


@pytest.fixture(scope="module")
def rr(bcg) -> pd.DataFrame:
    return effect_sizes_2x2(*_counts(bcg), measure="RR")


def _ci(est: Estimate) -> list[float]:
    return list(est.confidence_interval)


# ============================================================================ meta_analysis
def test_bcg_reml_matches_metafor(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="REML", measure="RR")
    # metafor docs, rma(yi, vi, data=dat, method="REML"):
    # -0.7145 (se 0.1798, z -3.9744, CI -1.0669, -0.3622); tau^2 0.3132 (SE 0.1664),
    # I^2 92.22%, H^2 12.86, Q(df = 12) = 152.2330
    assert res.estimate.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(0.1798, abs=5e-5)
    assert res.test.statistic == pytest.approx(-3.9744, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([-1.0669, -0.3622], abs=5e-5)
    assert res.tau2.estimate == pytest.approx(0.3132, abs=5e-5)
    assert res.tau2.std_error == pytest.approx(0.1664, abs=5e-5)
    assert res.tau == pytest.approx(0.5597, abs=5e-5)
    assert res.i2.estimate == pytest.approx(92.22, abs=5e-3)
    assert res.h2.estimate == pytest.approx(12.86, abs=5e-3)
    assert res.q == pytest.approx(152.2330, abs=5e-4)
    assert res.q_df == 12
    assert res.q_pvalue == pytest.approx(stats.chi2.sf(152.2330, 12), rel=1e-3)
    # metafor docs, confint(res): tau^2 0.3132 [0.1197, 1.1115], I^2 92.2214 [81.9177, 97.6781],
    # H^2 12.8558 [5.5303, 43.0680]
    # (metafor's Q-profile root search stops at a tolerance of 1.2e-4 in tau^2, which moves
    # its I^2 bound by up to 0.01; ours solves Q(tau^2) = quantile to 1e-12, see below)
    assert _ci(res.tau2) == pytest.approx([0.1197, 1.1115], abs=5e-5)
    assert res.i2.estimate == pytest.approx(92.2214, abs=5e-4)
    assert _ci(res.i2) == pytest.approx([81.9177, 97.6781], abs=5e-3)
    assert res.h2.estimate == pytest.approx(12.8558, abs=5e-4)
    assert _ci(res.h2) == pytest.approx([5.5303, 43.0680], abs=2e-3)
    # metafor docs, predict(res, digits=2): pi.lb -1.87, pi.ub 0.44 (normal quantiles)
    assert list(res.prediction_interval) == pytest.approx([-1.87, 0.44], abs=5e-3)
    half = stats.norm.ppf(0.975) * math.sqrt(0.17978**2 + res.tau2.estimate)
    assert res.prediction_interval.high - res.estimate.estimate == pytest.approx(half, rel=1e-4)


def test_bcg_dl_matches_metafor(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="DL")
    # metafor test_misc_metan_vs_rma.uni_with_dat.bcg.r (= Stata metan, randomi):
    # -0.7141 [-1.0644, -0.3638], z -3.9952, tau^2 0.3088, I^2 92.1173
    assert res.estimate.estimate == pytest.approx(-0.7141, abs=5e-5)
    assert _ci(res.estimate) == pytest.approx([-1.0644, -0.3638], abs=5e-5)
    assert res.test.statistic == pytest.approx(-3.9952, abs=5e-4)
    assert res.tau2.estimate == pytest.approx(0.3088, abs=5e-5)
    assert res.i2.estimate == pytest.approx(92.1173, abs=5e-4)
    # metafor test_misc_confint.r, confint(DL fit): tau^2 CI [0.1197, 1.1115],
    # I^2 92.1173 [81.9177, 97.6781], H^2 12.6861 [5.5303, 43.0680]; exp(mu) 0.4896 [0.3449, 0.6950]
    assert _ci(res.tau2) == pytest.approx([0.1197, 1.1115], abs=5e-5)
    assert _ci(res.i2) == pytest.approx([81.9177, 97.6781], abs=5e-3)  # see the REML test
    assert res.h2.estimate == pytest.approx(12.6861, abs=5e-4)
    assert _ci(res.h2) == pytest.approx([5.5303, 43.0680], abs=2e-3)
    assert np.exp([res.estimate.estimate, *_ci(res.estimate)]) == pytest.approx(
        [0.4896, 0.3449, 0.6950], abs=5e-5
    )


def test_bcg_fe_matches_metafor(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="FE")
    # metafor docs, rma(yi, vi, data=dat, method="FE"): -0.4303 (se 0.0405, z -10.6247,
    # CI -0.5097, -0.3509), I^2 92.12%, H^2 12.69, Q(df = 12) = 152.2330
    assert res.estimate.estimate == pytest.approx(-0.4303, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(0.0405, abs=5e-5)
    assert res.test.statistic == pytest.approx(-10.6247, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([-0.5097, -0.3509], abs=5e-5)
    assert res.i2.estimate == pytest.approx(92.12, abs=5e-3)
    assert res.h2.estimate == pytest.approx(12.69, abs=5e-3)
    assert res.q == pytest.approx(152.2330, abs=5e-4)
    assert res.tau2.estimate == 0.0 and res.tau2.std_error is None
    assert res.prediction_interval == res.estimate.confidence_interval
    assert not res.is_random_effects


@pytest.mark.parametrize(
    ("measure", "method", "expected"),
    [
        # metafor test_misc_metan_vs_rma.uni_with_dat.bcg.r (= Stata metan): estimate, CI, z,
        # then Q (EE) or tau^2 and I^2 (DL)
        ("OR", "FE", (-0.4361, -0.5190, -0.3533, -10.3190, 163.1649)),
        ("OR", "DL", (-0.7474, -1.1242, -0.3706, -3.8873, 0.3663, 92.6455)),
        ("RD", "FE", (-0.0009, -0.0014, -0.0005, -4.0448, 276.4737)),
        ("RD", "DL", (-0.0071, -0.0101, -0.0040, -4.5128, 0.0000, 95.6596)),
    ],
)
def test_bcg_odds_ratio_and_risk_difference_match_metafor(bcg, measure, method, expected):
    es = effect_sizes_2x2(*_counts(bcg), measure=measure)
    res = meta_analysis(es["effect"], es["variance"], method=method)
    assert res.estimate.estimate == pytest.approx(expected[0], abs=5e-5)
    assert _ci(res.estimate) == pytest.approx(list(expected[1:3]), abs=5e-5)
    assert res.test.statistic == pytest.approx(expected[3], abs=5e-4)
    if method == "FE":
        assert res.q == pytest.approx(expected[4], abs=5e-4)
    else:
        assert res.tau2.estimate == pytest.approx(expected[4], abs=5e-5)
        assert res.i2.estimate == pytest.approx(expected[5], abs=5e-4)


def test_bcg_pm_matches_metafor_and_statsmodels(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="PM")
    # metafor test_misc_rma_uni.r: method="DLIT" and "SJIT" give tau^2 = 0.3181; both iterate to
    # the Paule-Mandel solution (metafor rma.uni: "when this converges, same as PM")
    assert res.tau2.estimate == pytest.approx(0.3181, abs=5e-5)
    # statsmodels combine_effects(method_re="iterated") is the Paule-Mandel estimator
    sm_res = combine_effects(
        rr["effect"].to_numpy(), rr["variance"].to_numpy(), method_re="iterated"
    )
    assert res.tau2.estimate == pytest.approx(sm_res.tau2, rel=1e-8)
    assert res.estimate.estimate == pytest.approx(sm_res.mean_effect_re, rel=1e-8)
    assert res.estimate.std_error == pytest.approx(sm_res.sd_eff_w_re, rel=1e-8)
    # the generalised Q equals k - 1 at the PM estimate (Paule & Mandel 1982)
    w = 1 / (rr["variance"] + res.tau2.estimate)
    mu = np.sum(w * rr["effect"]) / np.sum(w)
    assert np.sum(w * (rr["effect"] - mu) ** 2) == pytest.approx(12, rel=1e-9)
    # metafor's SE of the PM estimate: sqrt(2 k^2 / (k - p) / (sum w)^2)
    assert res.tau2.std_error == pytest.approx(math.sqrt(2 * 169 / 12) / np.sum(w))


def test_dl_matches_statsmodels(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="DL")
    sm_res = combine_effects(rr["effect"].to_numpy(), rr["variance"].to_numpy(), method_re="chi2")
    assert res.tau2.estimate == pytest.approx(sm_res.tau2, rel=1e-10)
    assert res.estimate.estimate == pytest.approx(sm_res.mean_effect_re, rel=1e-10)
    assert res.estimate.std_error == pytest.approx(sm_res.sd_eff_w_re, rel=1e-10)
    np.testing.assert_allclose(res.weights / 100, sm_res.weights_rel_re, rtol=1e-10)


@pytest.mark.parametrize(("method", "method_re"), [("DL", "chi2"), ("PM", "iterated")])
def test_hksj_matches_statsmodels_wls_rows(rr, method, method_re):
    res = meta_analysis(rr["effect"], rr["variance"], method=method, hksj=True)
    sm_res = combine_effects(
        rr["effect"].to_numpy(), rr["variance"].to_numpy(), method_re=method_re, use_t=True
    )
    # statsmodels: "random effect wls" = Hartung-Knapp-Sidik-Jonkman variance, t(k - 1)
    assert res.estimate.std_error == pytest.approx(sm_res.sd_eff_w_re_hksj, rel=1e-8)
    low, high = sm_res.conf_int(use_t=True)[3]
    assert _ci(res.estimate) == pytest.approx([low, high], rel=1e-8)
    assert res.test.df == 12.0 and res.estimate.details["df"] == 12.0
    t = res.estimate.estimate / res.estimate.std_error
    assert res.test.statistic == pytest.approx(t)
    assert res.test.pvalue == pytest.approx(2 * stats.t.sf(abs(t), 12))


@pytest.mark.parametrize(
    ("method", "hksj", "expected"),
    [
        # metafor test_analysis_example_raudenbush2009.r, Raudenbush (2009) Table 16.3:
        # tau2, mu, se, z (or t), ci.lb, ci.ub
        ("FE", False, (0.0, 0.0604, 0.0365, 1.6553, -0.0111, 0.1318)),
        ("REML", False, (0.0188, 0.0837, 0.0516, 1.6208, -0.0175, 0.1849)),
        ("DL", False, (0.0259, 0.0893, 0.0558, 1.6009, -0.0200, 0.1987)),
        ("FE", True, (0.0, 0.0604, 0.0515, 1.1733, -0.0477, 0.1685)),
        ("REML", True, (0.0188, 0.0837, 0.0616, 1.3593, -0.0457, 0.2131)),
        ("DL", True, (0.0259, 0.0893, 0.0636, 1.4050, -0.0442, 0.2229)),
    ],
)
def test_raudenbush_table_16_3_with_and_without_knapp_hartung(method, hksj, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # HKSJ with FE warns, as metafor
        res = meta_analysis(RAUD_Y, RAUD_V, method=method, hksj=hksj)
    tau2, mu, se, z, low, high = expected
    assert res.tau2.estimate == pytest.approx(tau2, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(mu, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(se, abs=5e-5)
    assert res.test.statistic == pytest.approx(z, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([low, high], abs=5e-5)
    assert res.hksj is hksj
    assert (res.test.df is not None) is hksj


def test_raudenbush_prediction_interval_and_riley():
    res = meta_analysis(RAUD_Y, RAUD_V, method="REML")
    # metafor test_analysis_example_raudenbush2009.r: predict(res.RE) pi -0.2036, 0.3711
    # (metafor's REML stops at a 1e-5 change in tau^2, ours at 1e-10: 1e-4 apart)
    assert list(res.prediction_interval) == pytest.approx([-0.2036, 0.3711], abs=2e-4)
    # Riley et al. (2011): t with k - 2 df (metafor predtype="Riley"), written out
    riley = res.details["prediction_interval_riley"]
    half = stats.t.ppf(0.975, 17) * math.sqrt(res.estimate.std_error**2 + res.tau2.estimate)
    assert list(riley) == pytest.approx(
        [res.estimate.estimate - half, res.estimate.estimate + half]
    )


def test_hksj_prediction_interval_uses_t_k_minus_1_and_the_adjusted_se(rr):
    res = meta_analysis(rr["effect"], rr["variance"], hksj=True)
    # metafor predict.rma: with test="knha", t(k - p) quantile and the HKSJ-adjusted vb
    half = stats.t.ppf(0.975, 12) * math.sqrt(res.estimate.std_error**2 + res.tau2.estimate)
    assert res.prediction_interval.high - res.estimate.estimate == pytest.approx(half, rel=1e-10)
    s2 = res.details["hksj_scale"]
    w = 1 / (rr["variance"] + res.tau2.estimate)
    assert s2 == pytest.approx(np.sum(w * (rr["effect"] - res.estimate.estimate) ** 2) / 12)
    assert res.estimate.std_error == pytest.approx(
        res.details["std_error_unadjusted"] * math.sqrt(s2)
    )


def test_leave_one_out_matches_metafor(rr):
    res = meta_analysis(rr["effect"], rr["variance"], method="REML")
    loo = res.leave_one_out()
    # metafor docs, leave1out(res) for the REML random-effects model (estimate, se, zval, pval,
    # ci.lb, ci.ub, Q, Qp, tau2, I2, H2); rows 1, 4, 8 and 13 of the printed table
    expected = {
        0: (-0.7071, 0.1900, -3.7223, 0.0002, -1.0794, -0.3348, 151.5826, 0.3362, 93.2259, 14.7622),
        3: (-0.6284, 0.1766, -3.5580, 0.0004, -0.9746, -0.2822, 96.5626, 0.2628, 90.4125, 10.4302),
        7: (-0.7948, 0.1799, -4.4184, 0.0000, -1.1473, -0.4422, 67.9858, 0.2732, 87.0314, 7.7109),
        12: (
            -0.7775,
            0.1855,
            -4.1908,
            0.0000,
            -1.1412,
            -0.4139,
            149.7884,
            0.3037,
            92.3444,
            13.0623,
        ),
    }
    cols = ["estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high", "q", "tau2",
            "i2", "h2"]  # fmt: skip
    assert list(loo.columns) == [*cols[:6], "q", "q_pvalue", "tau2", "i2", "h2"]
    assert loo.index.name == "omitted" and len(loo) == 13
    for row, values in expected.items():
        assert loo.loc[row, cols].to_numpy(dtype=float) == pytest.approx(values, abs=6e-4)
    # metafor test_misc_influence.r, full precision for study 1
    assert loo.loc[0, "estimate"] == pytest.approx(-0.707083788031436, abs=2e-6)
    assert loo.loc[0, "tau2"] == pytest.approx(0.336156745300306, abs=2e-6)
    assert loo.loc[0, "q"] == pytest.approx(151.582572747109, rel=1e-9)


def test_leave_one_out_of_hksj_uses_t_intervals(rr):
    loo = meta_analysis(rr["effect"], rr["variance"], method="DL", hksj=True).leave_one_out()
    # refit by hand without study 0: DL + HKSJ on 12 studies (statsmodels wls row)
    sm_res = combine_effects(
        rr["effect"].to_numpy()[1:], rr["variance"].to_numpy()[1:], method_re="chi2", use_t=True
    )
    assert loo.loc[0, "std_error"] == pytest.approx(sm_res.sd_eff_w_re_hksj, rel=1e-8)
    assert [loo.loc[0, "ci_low"], loo.loc[0, "ci_high"]] == pytest.approx(
        list(sm_res.conf_int(use_t=True)[3]), rel=1e-8
    )


def test_egger2001_reml_matches_metafor():
    es = effect_sizes_2x2(EGGER_AI, EGGER_N1, EGGER_CI, EGGER_N2, measure="OR")
    res = meta_analysis(es["effect"], es["variance"])
    # metafor docs (regtest example): k = 15, tau^2 0.1911 (SE 0.2106), I^2 38.19%, H^2 1.62,
    # Q(14) = 20.9184, p 0.1037; -0.8745 (se 0.2080, z -4.2049, CI -1.2822, -0.4669)
    assert res.tau2.estimate == pytest.approx(0.1911, abs=5e-5)
    assert res.tau2.std_error == pytest.approx(0.2106, abs=5e-5)
    assert res.i2.estimate == pytest.approx(38.19, abs=5e-3)
    assert res.h2.estimate == pytest.approx(1.62, abs=5e-3)
    assert res.q == pytest.approx(20.9184, abs=5e-4)
    assert res.q_pvalue == pytest.approx(0.1037, abs=5e-5)
    assert res.estimate.estimate == pytest.approx(-0.8745, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(0.2080, abs=5e-5)
    assert res.test.statistic == pytest.approx(-4.2049, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([-1.2822, -0.4669], abs=5e-5)
    # Q-profile lower bound is 0: Q(0) = 20.92 < chi2_{14; 0.975} = 26.12
    assert res.tau2.confidence_interval.low == 0.0
    assert res.i2.confidence_interval.low == 0.0


def test_beta_blocker_pooled_log_odds_ratio():
    bb = load_beta_blocker()
    es = effect_sizes_2x2(
        bb["treated_deaths"], bb["treated_total"], bb["control_deaths"], bb["control_total"]
    )
    res = meta_analysis(es["effect"], es["variance"], method="DL", measure="OR")
    # Carlin (1992) and Gelman et al. (2013, BDA3 §5.6): pooled log odds ratio about -0.25
    assert res.estimate.estimate == pytest.approx(-0.25, abs=0.01)
    sm_res = combine_effects(es["effect"].to_numpy(), es["variance"].to_numpy(), method_re="chi2")
    assert res.estimate.estimate == pytest.approx(sm_res.mean_effect_re, rel=1e-10)
    assert res.tau2.estimate == pytest.approx(sm_res.tau2, rel=1e-10)
    assert res.estimate.confidence_interval.high < 0  # beta blockers reduce mortality


# ============================================================================ heterogeneity
def test_homogeneous_data_give_zero_tau2_for_every_estimator():
    y = [0.10, 0.12, 0.09, 0.11, 0.10]
    v = [0.04, 0.05, 0.03, 0.06, 0.05]
    fe = meta_analysis(y, v, method="FE")
    for method in ("DL", "REML", "PM"):
        res = meta_analysis(y, v, method=method)
        assert res.tau2.estimate == 0.0
        assert res.estimate.estimate == pytest.approx(fe.estimate.estimate, rel=1e-12)
        assert res.i2.estimate == 0.0 and res.h2.estimate == 1.0
        # Q(0) is below both chi-square quantiles: the Q-profile interval is {0}
        assert tuple(res.tau2.confidence_interval) == (0.0, 0.0)
        assert res.prediction_interval == pytest.approx(tuple(res.estimate.confidence_interval))


def test_q_profile_bounds_solve_the_generalised_q_equations(rr):
    res = meta_analysis(rr["effect"], rr["variance"])
    y, v = rr["effect"].to_numpy(), rr["variance"].to_numpy()

    def q_gen(t):
        w = 1 / (v + t)
        return np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2)

    low, high = res.tau2.confidence_interval
    assert q_gen(low) == pytest.approx(stats.chi2.ppf(0.975, 12), rel=1e-9)
    assert q_gen(high) == pytest.approx(stats.chi2.ppf(0.025, 12), rel=1e-9)
    narrow = meta_analysis(y, v, confidence_level=0.8).tau2.confidence_interval
    assert low < narrow.low < narrow.high < high


def test_effects_shift_moves_only_the_estimate(rr):
    base = meta_analysis(rr["effect"], rr["variance"], method="REML")
    shifted = meta_analysis(rr["effect"] + 2.0, rr["variance"], method="REML")
    assert shifted.estimate.estimate == pytest.approx(base.estimate.estimate + 2.0, rel=1e-10)
    assert shifted.tau2.estimate == pytest.approx(base.tau2.estimate, rel=1e-8)
    assert shifted.q == pytest.approx(base.q, rel=1e-10)
    order = np.random.default_rng(1).permutation(13)
    perm = meta_analysis(rr["effect"].to_numpy()[order], rr["variance"].to_numpy()[order])
    assert perm.estimate.estimate == pytest.approx(base.estimate.estimate, rel=1e-10)
    assert perm.tau2.estimate == pytest.approx(base.tau2.estimate, rel=1e-9)


def test_reml_maximises_the_restricted_likelihood(rr):
    y, v = rr["effect"].to_numpy(), rr["variance"].to_numpy()

    def reml(t):
        w = 1 / (v + t)
        mu = np.sum(w * y) / np.sum(w)
        return -0.5 * (np.sum(np.log(v + t)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))

    tau2 = meta_analysis(y, v).tau2.estimate
    grid = np.linspace(0.01, 1.5, 3001)
    assert tau2 == pytest.approx(grid[np.argmax([reml(t) for t in grid])], abs=5e-4)


# ============================================================================ result object
def test_result_fields_frame_dict_and_repr(rr):
    res = meta_analysis(
        rr["effect"], rr["variance"], measure="RR", labels=[f"T{i}" for i in range(1, 14)]
    )
    assert isinstance(res, MetaAnalysisResult)
    assert isinstance(res.estimate, Estimate) and isinstance(res.test, TestResult)
    assert isinstance(res.prediction_interval, ConfidenceInterval)
    assert res.k == 13 and res.method == "REML" and res.measure == "RR"
    assert res.weights.sum() == pytest.approx(100.0)
    assert list(res.weights.index) == [f"T{i}" for i in range(1, 14)]
    w = 1 / (rr["variance"].to_numpy() + res.tau2.estimate)
    np.testing.assert_allclose(res.weights, 100 * w / w.sum())
    frame = res.to_frame()
    assert list(frame.columns) == [
        "study",
        "kind",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "weight",
    ]
    assert len(frame) == 14 and frame["kind"].tolist() == ["study"] * 13 + ["pooled"]
    first = frame.iloc[0]
    z = stats.norm.ppf(0.975)
    assert first["ci_low"] == pytest.approx(rr["effect"].iloc[0] - z * rr["std_error"].iloc[0])
    assert frame.iloc[-1]["estimate"] == res.estimate.estimate
    d = res.to_dict()
    assert d["tau2"] == res.tau2.estimate and d["q_df"] == 12 and d["hksj"] is False
    text = repr(res)
    assert "REML" in text and "I² = 92.22%" in text and "Q(12)" in text
    assert "<table" in res._repr_html_()
    assert res.details["iterations"] >= 1
    assert res.details["typical_variance"] == pytest.approx(
        res.tau2.estimate * (100 / res.i2.estimate - 1)
    )


def test_default_labels():
    assert list(meta_analysis([0.1, 0.3, 0.2], [0.01, 0.02, 0.03]).effects.index) == [1, 2, 3]
    series = pd.Series([0.1, 0.3, 0.2], index=["a", "b", "c"])
    assert list(meta_analysis(series, [0.01, 0.02, 0.03]).weights.index) == ["a", "b", "c"]


def test_input_is_not_modified(rr):
    y = rr["effect"].copy()
    v = rr["variance"].to_numpy().copy()
    y0, v0 = y.copy(), v.copy()
    res = meta_analysis(y, v, hksj=True)
    res.leave_one_out()
    pd.testing.assert_series_equal(y, y0)
    np.testing.assert_array_equal(v, v0)
    res.effects.iloc[0] = 99.0  # the result's Series are copies
    assert y.iloc[0] == y0.iloc[0]


def test_hksj_with_fe_warns():
    with pytest.warns(UserWarning, match="meant for random-effects"):
        meta_analysis(RAUD_Y, RAUD_V, method="FE", hksj=True)


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (([], []), {}, ValueError, "`effects` is empty"),
        (([0.1], [0.01]), {}, ValueError, "`effects` needs at least 2"),
        (([0.1, np.nan], [0.01, 0.02]), {}, ValueError, "`effects` has 1 NaN"),
        (([0.1, 0.2], [0.01, np.inf]), {}, ValueError, "`variances` has 1 infinite"),
        (([0.1, 0.2], [0.01, 0.0]), {}, ValueError, "`variances` must be positive"),
        (([0.1, 0.2], [0.01, -0.02]), {}, ValueError, "`variances` must be positive"),
        (([0.1, 0.2, 0.3], [0.01, 0.02]), {}, ValueError, "must have the same length"),
        ((["a", "b"], [0.01, 0.02]), {}, TypeError, "`effects` must contain numbers"),
        (("ab", [0.01, 0.02]), {}, TypeError, "`effects` must be array-like"),
        (
            ([[0.1, 0.2], [0.3, 0.4]], [0.01, 0.02]),
            {},
            ValueError,
            "`effects` must be one-dimensional",
        ),
        (([0.1, 0.2], [0.01, 0.02]), {"method": "ML"}, ValueError, "`method` must be one of"),
        (([0.1, 0.2], [0.01, 0.02]), {"hksj": "yes"}, TypeError, "`hksj` must be True or False"),
        (([0.1, 0.2], [0.01, 0.02]), {"confidence_level": 95}, ValueError, "`confidence_level`"),
        (([0.1, 0.2], [0.01, 0.02]), {"labels": ["a"]}, ValueError, "`labels` has 1 entries"),
        (([0.1, 0.2], [0.01, 0.02]), {"measure": 3}, TypeError, "`measure` must be a string"),
    ],
)
def test_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        meta_analysis(*args, **kwargs)


def test_leave_one_out_needs_three_studies():
    with pytest.raises(ValueError, match="leave_one_out needs at least 3 studies"):
        meta_analysis([0.1, 0.2], [0.01, 0.02]).leave_one_out()


# ============================================================================ coverage
def _coverage(method, hksj, k, tau2, reps, seed, *, what="mu", v_range=(0.01, 0.3)):
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(reps):
        v = rng.uniform(*v_range, k)
        y = 0.3 + rng.normal(0.0, math.sqrt(tau2), k) + rng.normal(0.0, np.sqrt(v))
        res = meta_analysis(y, v, method=method, hksj=hksj)
        low, high = (res.estimate if what == "mu" else res.tau2).confidence_interval
        target = 0.3 if what == "mu" else tau2
        hits += low <= target <= high
    return hits / reps


def _tol(reps):
    return 3 * math.sqrt(0.95 * 0.05 / reps)


def test_hksj_interval_with_equal_variances_is_the_t_interval():
    # with equal v_i the HKSJ interval is ybar -/+ t_{k-1} s / sqrt(k) whatever tau^2 is: exact
    # under the model, since the y_i are then iid N(mu, tau^2 + v)
    y = np.array([0.31, -0.12, 0.55, 0.08, 0.27, 0.9])
    half = stats.t.ppf(0.975, 5) * y.std(ddof=1) / math.sqrt(6)
    for method in ("DL", "REML", "PM", "FE"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = meta_analysis(y, np.full(6, 0.04), method=method, hksj=True)
        assert _ci(res.estimate) == pytest.approx([y.mean() - half, y.mean() + half], rel=1e-9)


def test_hksj_interval_covers_near_nominal_where_wald_undercovers():
    reps = 300
    hksj = _coverage("DL", True, 6, 0.1, reps, 2024)
    wald = _coverage("DL", False, 6, 0.1, reps, 2024)
    assert abs(hksj - 0.95) < _tol(reps), hksj
    assert wald < hksj  # the Wald interval ignores the uncertainty of tau^2 (same data)


def test_q_profile_interval_coverage():
    reps = 300
    cover = _coverage("REML", False, 10, 0.05, reps, 7, what="tau2")
    assert abs(cover - 0.95) < _tol(reps), cover


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "k", "tau2", "v_range"),
    [("REML", 5, 0.08, (0.1, 0.1)), ("PM", 8, 0.08, (0.1, 0.1)), ("REML", 12, 0.3, (0.01, 0.3))],
)
def test_hksj_coverage_large_simulation(method, k, tau2, v_range):
    reps = 2000
    cover = _coverage(method, True, k, tau2, reps, 11 + k, v_range=v_range)
    assert abs(cover - 0.95) < _tol(reps), cover


@pytest.mark.slow
def test_hksj_with_unequal_study_sizes_and_little_heterogeneity():
    # HKSJ can be slightly liberal when studies differ much in size and tau^2 is moderate
    # (Jackson et al. 2017, Stat Med 36:3923): about 0.94 here, still above the Wald interval
    reps = 2000
    hksj = _coverage("REML", True, 12, 0.08, reps, 3)
    wald = _coverage("REML", False, 12, 0.08, reps, 3)
    assert 0.925 < hksj < 0.95 + _tol(reps), hksj
    assert wald < hksj - 0.01, (wald, hksj)


# ============================================================================ Mantel-Haenszel, Peto
@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        # metafor docs rma.mh / test_misc_metan_vs_rma.mh_with_dat.bcg.r (= Stata metan):
        # estimate, se, z, ci.lb, ci.ub, Q, I^2, H^2
        ("OR", (-0.4734, 0.0410, -11.5444, -0.5538, -0.3930, 163.9426, 92.68, 13.66)),
        ("RR", (-0.4537, 0.0393, -11.5338, -0.5308, -0.3766, 152.5676, 92.13, 12.71)),
    ],
)
def test_mantel_haenszel_matches_metafor(bcg, measure, expected):
    res = meta_mantel_haenszel(*_counts(bcg), measure=measure)
    est, se, z, low, high, q, i2, h2 = expected
    assert res.method == "MH" and res.measure == measure
    assert res.estimate.estimate == pytest.approx(est, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(se, abs=5e-5)
    assert res.test.statistic == pytest.approx(z, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([low, high], abs=5e-5)
    assert res.q == pytest.approx(q, abs=5e-4) and res.q_df == 12
    assert res.i2.estimate == pytest.approx(i2, abs=5e-3)
    assert res.h2.estimate == pytest.approx(h2, abs=5e-3)
    assert res.prediction_interval == res.estimate.confidence_interval
    assert res.weights.sum() == pytest.approx(100.0)


def test_mantel_haenszel_odds_ratio_tests_and_exp_scale(bcg):
    res = meta_mantel_haenszel(*_counts(bcg), measure="OR")
    # metafor docs rma.mh: OR 0.6229 [0.5748, 0.6750]; CMH = 135.6889, df = 1;
    # Tarone's test X^2 = 171.7567, df = 12
    assert np.exp([res.estimate.estimate, *_ci(res.estimate)]) == pytest.approx(
        [0.6229, 0.5748, 0.6750], abs=5e-5
    )
    assert res.details["cmh_test"].statistic == pytest.approx(135.6889, abs=5e-4)
    assert res.details["cmh_test"].df == 1.0
    assert res.details["tarone_test"].statistic == pytest.approx(171.7567, abs=5e-4)
    assert res.details["tarone_test"].df == 12.0
    bd = res.details["breslow_day_test"]
    assert bd.statistic >= res.details["tarone_test"].statistic  # Tarone subtracts a square
    # MH weights of the odds ratio: S_i = b_i c_i / n_i (metafor weights.rma.mh)
    a, n1, c, n2 = (x.to_numpy(dtype=float) for x in _counts(bcg))
    s_i = (n1 - a) * c / (n1 + n2)
    np.testing.assert_allclose(res.weights, 100 * s_i / s_i.sum())


def test_mantel_haenszel_risk_difference_matches_metafor(bcg):
    res = meta_mantel_haenszel(*_counts(bcg), measure="RD")
    # metafor test_misc_metan_vs_rma.mh_with_dat.bcg.r: -0.0033 [-0.0039, -0.0027],
    # z -11.4708 (Sato-Greenland-Robins variance), QE 386.7759
    assert res.estimate.estimate == pytest.approx(-0.0033, abs=5e-5)
    assert _ci(res.estimate) == pytest.approx([-0.0039, -0.0027], abs=5e-5)
    assert res.test.statistic == pytest.approx(-11.4708, abs=5e-4)
    assert res.q == pytest.approx(386.7759, abs=5e-4)


def test_peto_matches_metafor(bcg):
    res = meta_peto(*_counts(bcg))
    # metafor docs rma.peto / test_misc_metan_vs_rma.peto_with_dat.bcg.r (= Stata metan):
    # -0.4744 (se 0.0407, z -11.6689, CI -0.5541, -0.3948), Q 167.7302, I^2 92.85%, H^2 13.98;
    # OR 0.6222 [0.5746, 0.6738]
    assert res.method == "Peto"
    assert res.estimate.estimate == pytest.approx(-0.4744, abs=5e-5)
    assert res.estimate.std_error == pytest.approx(0.0407, abs=5e-5)
    assert res.test.statistic == pytest.approx(-11.6689, abs=5e-4)
    assert _ci(res.estimate) == pytest.approx([-0.5541, -0.3948], abs=5e-5)
    assert res.q == pytest.approx(167.7302, abs=5e-4)
    assert res.i2.estimate == pytest.approx(92.85, abs=5e-3)
    assert res.h2.estimate == pytest.approx(13.98, abs=5e-3)
    assert np.exp(_ci(res.estimate)) == pytest.approx([0.5746, 0.6738], abs=5e-5)


@pytest.mark.parametrize("func", ["MH", "Peto"])
def test_leave_one_out_of_mh_and_peto_matches_metafor(bcg, func):
    if func == "MH":
        res = meta_mantel_haenszel(*_counts(bcg), measure="RR")
        # metafor docs leave1out(rma.mh RR): rows -1 and -8
        expected = {
            0: (-0.4514, 0.0394, -11.4462, -0.5287, -0.3741, 151.9153, 92.7591, 13.8105),
            7: (-0.7758, 0.0520, -14.9267, -0.8777, -0.6739, 68.3763, 83.9126, 6.2160),
        }
    else:
        res = meta_peto(*_counts(bcg))
        # metafor docs leave1out(rma.peto): rows -1 and -8
        expected = {
            0: (-0.4722, 0.0408, -11.5791, -0.5521, -0.3923, 167.2005, 93.4211, 15.2000),
            7: (-0.8161, 0.0531, -15.3842, -0.9201, -0.7122, 67.1837, 83.6270, 6.1076),
        }
    loo = res.leave_one_out()
    assert "tau2" not in loo.columns
    cols = ["estimate", "std_error", "statistic", "ci_low", "ci_high", "q", "i2", "h2"]
    for row, values in expected.items():
        assert loo.loc[row, cols].to_numpy(dtype=float) == pytest.approx(values, abs=6e-4)


def test_double_zero_studies_in_mh_and_peto():
    ev_t, n_t, ev_c, n_c = [2, 0, 5, 3], [20, 15, 30, 25], [6, 0, 9, 4], [21, 14, 30, 24]
    mh = meta_mantel_haenszel(ev_t, n_t, ev_c, n_c, measure="OR")
    # the double-zero study adds nothing to the MH sums: same as without it
    without = meta_mantel_haenszel([2, 5, 3], [20, 30, 25], [6, 9, 4], [21, 30, 24])
    assert mh.estimate.estimate == pytest.approx(without.estimate.estimate, rel=1e-12)
    assert mh.estimate.std_error == pytest.approx(without.estimate.std_error, rel=1e-12)
    assert np.isnan(mh.effects.iloc[1]) and mh.q_df == 2 and mh.k == 4
    assert mh.q == pytest.approx(without.q, rel=1e-12)
    peto = meta_peto(ev_t, n_t, ev_c, n_c)
    peto0 = meta_peto([2, 5, 3], [20, 30, 25], [6, 9, 4], [21, 30, 24])
    assert peto.estimate.estimate == pytest.approx(peto0.estimate.estimate, rel=1e-12)
    assert peto.q == pytest.approx(peto0.q, rel=1e-12) and peto.q_df == 2


def test_peto_by_hand():
    a, n1, c, n2 = (
        np.array([3.0, 8.0]),
        np.array([30.0, 40.0]),
        np.array([7.0, 12.0]),
        np.array([31.0, 38.0]),
    )
    n = n1 + n2
    xt = a + c
    e = xt * n1 / n
    var = xt * (n - xt) * n1 * n2 / (n**2 * (n - 1))
    res = meta_peto(a, n1, c, n2)
    assert res.estimate.estimate == pytest.approx(np.sum(a - e) / np.sum(var))
    assert res.estimate.std_error == pytest.approx(1 / math.sqrt(np.sum(var)))
    np.testing.assert_allclose(res.effects, (a - e) / var)


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "exc", "match"),
    [
        (meta_mantel_haenszel, ([1], [5], [1], [5]), {}, ValueError, "at least 2 studies"),
        (meta_peto, ([1], [5], [1], [5]), {}, ValueError, "at least 2 studies"),
        (
            meta_mantel_haenszel,
            ([1, 2], [5, 5], [1, 10], [5, 9]),
            {},
            ValueError,
            "`events_control` cannot exceed",
        ),
        (
            meta_mantel_haenszel,
            ([1, 2], [5, 5], [1, 2], [5, 5]),
            {"measure": "PETO"},
            ValueError,
            "`measure` must be one of",
        ),
        (
            meta_mantel_haenszel,
            ([0, 0], [5, 5], [1, 2], [5, 5]),
            {},
            ValueError,
            "odds ratio is 0 or infinite",
        ),
        (
            meta_mantel_haenszel,
            ([0, 0], [5, 5], [1, 2], [5, 5]),
            {"measure": "RR"},
            ValueError,
            "risk ratio is 0 or infinite",
        ),
        (
            meta_peto,
            ([0, 0], [5, 5], [0, 0], [5, 5]),
            {},
            ValueError,
            "Peto's odds ratio is not defined",
        ),
        (
            meta_peto,
            ([1, 2], [5, 5], [1, 2], [5, 5]),
            {"confidence_level": 0},
            ValueError,
            "`confidence_level`",
        ),
        (
            meta_peto,
            (["a", "b"], [5, 5], [1, 2], [5, 5]),
            {},
            TypeError,
            "`events_treat` must contain numbers",
        ),
    ],
)
def test_mh_peto_bad_input(func, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)


# ============================================================================ meta_regression
def test_meta_regression_on_latitude_matches_metafor(rr, bcg):
    fit = meta_regression(rr["effect"], rr["variance"], bcg["latitude"])
    assert isinstance(fit, MetaRegressionResult)
    table = fit.coefficients
    assert list(table.columns) == [
        "estimate",
        "std_error",
        "statistic",
        "pvalue",
        "ci_low",
        "ci_high",
    ]
    assert list(table.index) == ["Intercept", "latitude"]
    # metafor docs (regplot example), rma(yi, vi, mods = ~ ablat, data=dat):
    # intrcpt 0.2515 0.2491 1.0095 0.3127 -0.2368 0.7397; ablat -0.0291 0.0072 -4.0444 <.0001
    # -0.0432 -0.0150; tau^2 0.0764 (SE 0.0591), I^2 68.39%, H^2 3.16, R^2 75.62%,
    # QE(11) = 30.7331 (p 0.0012), QM(1) = 16.3571
    np.testing.assert_allclose(
        table.loc["Intercept"], [0.2515, 0.2491, 1.0095, 0.3127, -0.2368, 0.7397], atol=1.5e-4
    )
    # (metafor's REML stops at a 1e-5 change in tau^2, which moves z by about 1e-4)
    np.testing.assert_allclose(
        table.loc["latitude", ["estimate", "std_error", "statistic", "ci_low", "ci_high"]],
        [-0.0291, 0.0072, -4.0444, -0.0432, -0.0150],
        atol=2e-4,
    )
    # metafor's Fisher scoring stops at a 1e-5 change and reaches 0.076355 (printed 0.0764);
    # the maximum of the restricted likelihood is 0.076348 (bounded search, 1e-12)
    assert fit.tau2.estimate == pytest.approx(0.0764, abs=1e-4)
    assert fit.tau2.estimate == pytest.approx(0.0763479649, abs=1e-8)
    assert fit.tau2.std_error == pytest.approx(0.0591, abs=1e-4)  # 0.059051 at 0.076355
    assert fit.i2.estimate == pytest.approx(68.39, abs=5e-3)
    assert fit.h2.estimate == pytest.approx(3.16, abs=5e-3)
    # metafor prints 75.62: its tau^2 estimates stop at a 1e-5 change (Fisher scoring)
    assert fit.r_squared == pytest.approx(75.62, abs=0.015)
    assert fit.qe_test.statistic == pytest.approx(30.7331, abs=5e-4)
    assert fit.qe_test.df == 11.0
    assert fit.qe_test.pvalue == pytest.approx(0.0012, abs=5e-5)
    assert fit.qm_test.statistic == pytest.approx(16.3571, abs=2e-3)  # z^2; see the tau^2 note
    assert fit.qm_test.df == 1.0
    # metafor docs, confint(rma(yi, vi, mods = ~ ablat)): tau^2 [0.0167, 0.7849],
    # I^2 68.3931 [32.1080, 95.6976], H^2 3.1639 [1.4729, 23.2428]
    # (metafor's root search stops at a 1.2e-4 tolerance in tau^2; ours solves the residual
    # generalised Q equation to 1e-12, checked directly below)
    assert _ci(fit.tau2) == pytest.approx([0.0167, 0.7849], abs=1.5e-4)
    assert fit.i2.estimate == pytest.approx(68.3931, abs=5e-3)
    assert _ci(fit.i2) == pytest.approx([32.1080, 95.6976], abs=2e-2)
    assert _ci(fit.h2) == pytest.approx([1.4729, 23.2428], abs=1e-2)
    X = np.column_stack([np.ones(13), bcg["latitude"].to_numpy(float)])
    y, v = rr["effect"].to_numpy(), rr["variance"].to_numpy()

    def q_res(t):
        w = 1 / (v + t)
        beta = np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (w * y))
        return np.sum(w * (y - X @ beta) ** 2)

    low, high = fit.tau2.confidence_interval
    assert q_res(low) == pytest.approx(stats.chi2.ppf(0.975, 11), rel=1e-9)
    assert q_res(high) == pytest.approx(stats.chi2.ppf(0.025, 11), rel=1e-9)
    # metafor docs predict(res, newmods=30, transf=exp): 0.5371 [0.4355, 0.6623]
    assert math.exp(fit.params["Intercept"] + 30 * fit.params["latitude"]) == pytest.approx(
        0.5371, abs=5e-5
    )


def test_meta_regression_two_moderators_reml_and_fe_match_metafor(rr, bcg):
    mods = bcg[["latitude", "year"]]
    fit = meta_regression(rr["effect"], rr["variance"], mods)
    # metafor docs rma.uni, rma(yi, vi, mods = ~ ablat + year): tau^2 0.1108 (SE 0.0845),
    # I^2 71.98%, H^2 3.57, R^2 64.63%, QE(10) = 28.3251, QM(2) = 12.2043 (p 0.0022);
    # intrcpt -3.5455 (29.0959), ablat -0.0280 (0.0102), year 0.0019 (0.0147)
    assert fit.tau2.estimate == pytest.approx(0.1108, abs=5e-5)
    assert fit.tau2.std_error == pytest.approx(0.0845, abs=5e-5)
    assert fit.i2.estimate == pytest.approx(71.98, abs=5e-3)
    assert fit.r_squared == pytest.approx(64.63, abs=0.015)
    assert fit.qe_test.statistic == pytest.approx(28.3251, abs=5e-4)
    assert fit.qm_test.statistic == pytest.approx(12.2043, abs=5e-4)
    assert fit.qm_test.pvalue == pytest.approx(0.0022, abs=5e-5)
    # (intercept: relative tolerance, it moves with metafor's 1e-5 stopping rule for tau^2)
    np.testing.assert_allclose(
        fit.coefficients["estimate"], [-3.5455, -0.0280, 0.0019], rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(
        fit.coefficients["std_error"], [29.0959, 0.0102, 0.0147], rtol=1e-4, atol=1e-4
    )
    fe = meta_regression(rr["effect"], rr["variance"], mods, method="FE")
    # metafor docs rma.uni, method="FE": intrcpt 17.1518 (10.8321), ablat -0.0339 (0.0040),
    # year -0.0085 (0.0055); QM(2) = 123.9079, I^2 64.70%, H^2 2.83, R^2 77.67%
    np.testing.assert_allclose(fe.coefficients["estimate"], [17.1518, -0.0339, -0.0085], atol=1e-4)
    np.testing.assert_allclose(fe.coefficients["std_error"], [10.8321, 0.0040, 0.0055], atol=1e-4)
    assert fe.qm_test.statistic == pytest.approx(123.9079, abs=5e-4)
    assert fe.i2.estimate == pytest.approx(64.70, abs=5e-3)
    assert fe.h2.estimate == pytest.approx(2.83, abs=5e-3)
    assert fe.r_squared == pytest.approx(77.67, abs=5e-3)
    # Q_E + Q_M = Q_total for the fixed-effects model (metafor docs): 152.233
    assert fe.qe_test.statistic + fe.qm_test.statistic == pytest.approx(152.2330, abs=5e-4)


def test_meta_regression_with_a_factor_and_knapp_hartung_matches_metafor(rr, bcg):
    mods = pd.DataFrame(
        {
            "ablat": bcg["latitude"],
            "allocrandom": [a == "random" for a in BCG_ALLOC],
            "allocsystematic": [a == "systematic" for a in BCG_ALLOC],
        }
    ).astype(float)
    fit = meta_regression(rr["effect"], rr["variance"], mods)
    # metafor docs permutest, rma(yi, vi, mods = ~ ablat + alloc): tau^2 0.1446 (SE 0.1124),
    # I^2 70.11%, H^2 3.35, R^2 53.84%, QE(9) = 26.2034, QM(3) = 11.0605 (p 0.0114);
    # intrcpt 0.2932 (0.4050), ablat -0.0273 (0.0092), allocrandom -0.2675 (0.3504),
    # allocsystematic 0.0585 (0.3795)
    assert fit.tau2.estimate == pytest.approx(0.1446, abs=5e-5)
    assert fit.tau2.std_error == pytest.approx(0.1124, abs=5e-5)
    assert fit.i2.estimate == pytest.approx(70.11, abs=5e-3)
    assert fit.r_squared == pytest.approx(53.84, abs=0.015)
    assert fit.qe_test.statistic == pytest.approx(26.2034, abs=5e-4)
    assert fit.qm_test.statistic == pytest.approx(11.0605, abs=5e-4)
    assert fit.qm_test.pvalue == pytest.approx(0.0114, abs=5e-5)
    np.testing.assert_allclose(
        fit.coefficients["estimate"], [0.2932, -0.0273, -0.2675, 0.0585], atol=1e-4
    )
    np.testing.assert_allclose(
        fit.coefficients["std_error"], [0.4050, 0.0092, 0.3504, 0.3795], atol=1e-4
    )
    # metafor test_misc_anova.r: anova(res, btt=3:4) QM = 1.2850, p = 0.5260 (Wald, z-test fit)
    beta, cov = fit.params.to_numpy(), fit.cov.to_numpy()
    qm_alloc = beta[2:] @ np.linalg.solve(cov[2:, 2:], beta[2:])
    assert qm_alloc == pytest.approx(1.2850, abs=5e-4)
    knha = meta_regression(rr["effect"], rr["variance"], mods, hksj=True)
    # metafor test_misc_anova.r with test="knha": anova(btt=2) F = 8.2194 (p 0.0186),
    # anova(btt=3:4) F = 0.6007 (p 0.5690), on (m, k - p = 9) df
    assert knha.df_inference == 9.0
    assert knha.coefficients.loc["ablat", "statistic"] ** 2 == pytest.approx(8.2194, abs=5e-4)
    assert knha.coefficients.loc["ablat", "pvalue"] == pytest.approx(0.0186, abs=5e-5)
    beta, cov = knha.params.to_numpy(), knha.cov.to_numpy()
    f_alloc = beta[2:] @ np.linalg.solve(cov[2:, 2:], beta[2:]) / 2
    assert f_alloc == pytest.approx(0.6007, abs=5e-4)
    assert stats.f.sf(f_alloc, 2, 9) == pytest.approx(0.5690, abs=5e-5)
    assert knha.qm_test.df == (3.0, 9.0)
    assert knha.qm_test.pvalue == pytest.approx(stats.f.sf(knha.qm_test.statistic, 3, 9))


def test_meta_regression_intercept_only_equivalence_and_result_api(rr, bcg):
    fit = meta_regression(rr["effect"], rr["variance"], bcg["latitude"], method="DL")
    # the DL residual tau^2 in closed form (Raudenbush 2009, eq. 16.43), written out
    X = np.column_stack([np.ones(13), bcg["latitude"].to_numpy(float)])
    w = 1 / rr["variance"].to_numpy()
    W = np.diag(w)
    P = W - W @ X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
    y = rr["effect"].to_numpy()
    tau2 = max(0.0, (y @ P @ y - 11) / np.trace(P))
    assert fit.tau2.estimate == pytest.approx(tau2, rel=1e-10)
    assert fit.details["typical_variance"] == pytest.approx(11 / np.trace(P), rel=1e-10)
    np.testing.assert_allclose(fit.fitted + fit.residuals, y)
    assert "latitude" in repr(fit) and "<table" in fit._repr_html_()
    assert fit.to_dict()["coefficients"]["latitude"]["estimate"] == fit.params["latitude"]
    pd.testing.assert_frame_equal(fit.to_frame(), fit.coefficients)


@pytest.mark.parametrize(
    ("mods", "exc", "match"),
    [
        (np.ones(13), ValueError, "is constant"),
        (np.column_stack([np.arange(13.0), 2 * np.arange(13.0)]), ValueError, "collinear"),
        (np.arange(12.0), ValueError, "one row per study"),
        ("latitude", TypeError, "`moderators` must be array-like"),
        (
            np.where(np.arange(13) == 3, np.nan, np.arange(13.0)),
            ValueError,
            "`moderators` has 1 NaN",
        ),
        (pd.DataFrame({"Intercept": np.arange(13.0)}), ValueError, "other than 'Intercept'"),
    ],
)
def test_meta_regression_bad_moderators(rr, mods, exc, match):
    with pytest.raises(exc, match=match):
        meta_regression(rr["effect"], rr["variance"], mods)


def test_meta_regression_needs_more_studies_than_coefficients():
    with pytest.raises(ValueError, match="more studies than coefficients"):
        meta_regression([0.1, 0.2, 0.3], [0.01, 0.02, 0.03], np.array([[1, 0], [0, 1], [1, 1.0]]))
    with pytest.raises(ValueError, match="`method` must be one of"):
        meta_regression([0.1, 0.2, 0.3, 0.4], [0.01] * 4, [1, 2, 3, 5], method="HS")


# ============================================================================ Egger
def test_egger_test_matches_metafor_regtest():
    es = effect_sizes_2x2(EGGER_AI, EGGER_N1, EGGER_CI, EGGER_N2, measure="OR")
    res = egger_test(es["effect"], es["variance"])
    # metafor docs, regtest(res, model="lm"): t = -3.1783, df = 13, p = 0.0073;
    # limit estimate b = -0.1512 (CI: -0.5130, 0.2106)
    assert res.statistic == pytest.approx(-3.1783, abs=5e-4)
    assert res.df == 13.0
    assert res.pvalue == pytest.approx(0.0073, abs=5e-5)
    limit = res.details["limit_estimate"]
    assert limit.estimate == pytest.approx(-0.1512, abs=5e-5)
    assert _ci(limit) == pytest.approx([-0.5130, 0.2106], abs=5e-5)
    assert res.alternative == "two-sided" and "Egger" in res.method


def test_egger_test_is_the_classic_precision_regression(rr):
    res = egger_test(rr["effect"], rr["variance"])
    # Egger et al. (1997): OLS of y/se on 1/se; the intercept measures asymmetry (statsmodels)
    se = rr["std_error"].to_numpy()
    ols = sm.OLS(rr["effect"].to_numpy() / se, sm.add_constant(1 / se)).fit()
    assert res.estimate.estimate == pytest.approx(ols.params[0], rel=1e-9)
    assert res.estimate.std_error == pytest.approx(ols.bse[0], rel=1e-9)
    assert res.statistic == pytest.approx(ols.tvalues[0], rel=1e-9)
    assert res.pvalue == pytest.approx(ols.pvalues[0], rel=1e-8)
    assert res.details["limit_estimate"].estimate == pytest.approx(ols.params[1], rel=1e-9)
    lo, hi = ols.conf_int()[0]
    assert _ci(res.estimate) == pytest.approx([lo, hi], rel=1e-9)


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        (([0.1, 0.2], [0.01, 0.02]), ValueError, "`effects` needs at least 3"),
        (([0.1, 0.2, 0.3], [0.02, 0.02, 0.02]), ValueError, "all equal"),
        (([0.1, 0.2, 0.3], [0.02, 0.0, 0.02]), ValueError, "`variances` must be positive"),
        (([0.1, 0.2, 0.3], [0.02, 0.03, 0.01, 0.04]), ValueError, "same length"),
        (([0.1, np.nan, 0.3], [0.01, 0.02, 0.03]), ValueError, "`effects` has 1 NaN"),
    ],
)
def test_egger_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        egger_test(*args)
