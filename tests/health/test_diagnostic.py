"""Tests for statcraft.health.diagnostic and .roc: 2×2 accuracy measures, ROC curve, AUC, DeLong."""

import dataclasses
import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from sklearn import metrics as skm
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import proportion_confint

import statcraft as sc
from statcraft.health import (
    DiagnosticAccuracy,
    RocCurve,
    delong_test,
    diagnostic_accuracy,
    roc_auc,
    roc_curve,
    youden_threshold,
)
from statcraft.results import Estimate, TestResult

matplotlib.use("Agg")

Z975 = float(special.ndtri(0.975))

# --------------------------------------------------------------------------- reference data
# aSAH (aneurysmal subarachnoid haemorrhage, 113 patients; Turck et al. 2010), the example
# data of R pROC. Read from pROC's data/aSAH.RData (github xrobin/pROC); only the columns used
# here: outcome (G = Good, P = Poor; "Poor" is the case level), wfns (WFNS grade 1-5, pROC
# uses the ordered factor's integer codes), s100b and ndka.
ASAH_OUTCOME = (
    "GGGGPPGPGGPGPPGGPGPPPGPGGGGGGGGGPGGPPGPPGGGGGGGGGPPGGGPGGGPGPGGPPPGPPGPPPPGGGPPGPGGGGG"
    "GPGGGGGGGGGGGGPPPPPPGGGPGGG"
)
ASAH_WFNS = (
    "11113254125255125225211112121134214541425511241125521251222151125214524414121421232421"
    "451154221113125225552445111"
)
ASAH_S100B = """
0.13 0.14 0.1 0.04 0.13 0.1 0.47 0.16 0.18 0.1 0.12 0.1 0.44 0.71 0.04 0.08 0.49 0.04 0.07
0.33 0.09 0.09 0.07 0.11 0.07 0.17 0.07 0.11 0.13 0.19 0.05 0.16 0.41 0.14 0.34 0.35 0.48
0.09 0.96 0.25 0.5 0.46 0.16 0.07 0.43 0.45 0.11 0.08 0.09 0.86 0.52 0.08 0.06 0.13 2.07
0.1 0.14 0.15 0.07 0.06 0.77 0.05 0.09 0.3 0.03 0.09 0.04 0.23 0.7 0.09 0.27 0.71 0.08
0.26 0.08 0.16 0.09 0.13 0.1 0.08 0.11 0.33 0.11 0.28 0.07 0.1 0.32 0.22 0.07 0.05 0.24
0.38 0.1 0.15 0.08 0.14 0.1 0.07 0.04 0.19 0.56 0.14 0.58 0.32 0.82 0.74 0.15 0.47 0.17
0.44 0.15 0.5 0.48
"""
ASAH_NDKA = """
3.01 8.54 8.09 10.42 17.4 12.75 6 13.2 15.54 6.01 15.96 17.86 5.18 8.9 13.41 20.75 11.6
16.11 32.37 54.82 32.41 49.94 40.34 9.47 6.29 12.53 6.54 6.3 80.3 12.8 9.8 9.81 9.85 18.21
5.03 14.04 21.93 8.02 7.42 8.38 6.59 9.63 13.12 7.96 14.34 41.43 7.63 7.06 12.59 13.56
3.87 9.44 7.66 12.98 419.19 27.19 22.27 9.95 21.22 11.73 10.4 58.83 6.39 11.09 12.22 13.67
17.21 22.63 12.9 9.7 21.57 8.23 72.57 15.54 10.51 10.6 14.57 5.19 9.63 4.61 21.48 17.3
12.71 9.44 11.07 19.46 10.83 5.37 11.97 7.75 9.83 10.55 28.49 8.53 12.57 12.9 46.83 11.68
12.67 9.01 9.57 34.06 11.72 14.26 47.61 11.67 24.58 10.33 13.87 15.89 22.43 6.79 13.45
"""


@pytest.fixture(scope="module")
def asah() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "outcome": ["Poor" if c == "P" else "Good" for c in ASAH_OUTCOME],
            "wfns": [int(c) for c in ASAH_WFNS],
            "s100b": [float(v) for v in ASAH_S100B.split()],
            "ndka": [float(v) for v in ASAH_NDKA.split()],
        }
    )
    assert len(df) == 113
    assert (df["outcome"] == "Poor").sum() == 41  # "72 controls ... < 41 cases" (pROC print)
    return df


def brute_force_delong(y: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """O(mn) DeLong et al. (1988) from the kernel psi(x, y) = 1, 1/2, 0 (no ranks)."""
    scores = np.atleast_2d(scores)
    pos, neg = scores[:, y], scores[:, ~y]
    m, n = pos.shape[1], neg.shape[1]
    psi = (pos[:, :, None] > neg[:, None, :]) + 0.5 * (pos[:, :, None] == neg[:, None, :])
    v10 = psi.mean(axis=2)  # k x m structural components of the positives
    v01 = psi.mean(axis=1)  # k x n of the negatives
    auc = psi.mean(axis=(1, 2))
    k = scores.shape[0]
    s10 = np.array(
        [[np.sum((v10[r] - auc[r]) * (v10[s] - auc[s])) for s in range(k)] for r in range(k)]
    )
    s01 = np.array(
        [[np.sum((v01[r] - auc[r]) * (v01[s] - auc[s])) for s in range(k)] for r in range(k)]
    )
    return auc, s10 / ((m - 1) * m) + s01 / ((n - 1) * n)


# --------------------------------------------------------------------------- AUC: pROC aSAH
# pROC tests/testthat/helper-roc-expected.R (auc), test-var.R (var(r.x), DeLong),
# test-ci.auc.R (ci.auc(r.ndka)), print_output/r.s100b ("Area under the curve: 0.7314").
PROC_AUC = {"s100b": 0.73136856368563685, "wfns": 0.82367886178861793, "ndka": 0.61195799457994582}
PROC_VAR = {"s100b": 0.00266868245717244, "wfns": 0.00146991470882363, "ndka": 0.0031908105493913}


@pytest.mark.parametrize("marker", ["s100b", "wfns", "ndka"])
def test_auc_and_delong_variance_match_proc(asah, marker):
    res = roc_auc(asah["outcome"], asah[marker], pos_label="Poor")
    assert isinstance(res, Estimate)
    assert res.estimate == pytest.approx(PROC_AUC[marker], abs=1e-12)
    assert res.std_error**2 == pytest.approx(PROC_VAR[marker], rel=1e-10)
    assert res.n == 113
    assert res.details["n_positive"] == 41
    assert res.details["n_negative"] == 72


def test_auc_ci_matches_proc_documented_output(asah):
    # pROC: roc(aSAH$outcome, aSAH$s100b, ci = TRUE) prints "95% CI: 0.6301-0.8326 (DeLong)".
    res = roc_auc(asah["outcome"], asah["s100b"], pos_label="Poor")
    assert res.confidence_interval.low == pytest.approx(0.6301, abs=5e-5)
    assert res.confidence_interval.high == pytest.approx(0.8326, abs=5e-5)
    # pROC tests/testthat/test-ci.auc.R: ci.auc(r.ndka) = c(0.501244999271703, ., 0.722670989888189)
    nd = roc_auc(asah["outcome"], asah["ndka"], pos_label="Poor")
    assert nd.confidence_interval.low == pytest.approx(0.501244999271703, abs=1e-12)
    assert nd.confidence_interval.high == pytest.approx(0.722670989888189, abs=1e-12)


def test_auc_reversed_levels_and_negated_score_give_the_same_auc(asah):
    # pROC test-ci.auc.R: ci.auc(aSAH$outcome, -aSAH$ndka) equals ci.auc(r.ndka) (pROC flips
    # the direction); here the positive class is "Good", for which -ndka is the score.
    a = roc_auc(asah["outcome"], asah["ndka"], pos_label="Poor")
    b = roc_auc(asah["outcome"], -asah["ndka"], pos_label="Good")
    assert b.estimate == pytest.approx(a.estimate, abs=1e-14)
    assert b.std_error == pytest.approx(a.std_error, rel=1e-12)


# --------------------------------------------------------------------------- DeLong test: pROC
# pROC tests/testthat/test-roc.test.R, "roc.test statistic and p are as expected with defaults":
# t1 <- roc.test(r.wfns, r.s100b); t2 <- roc.test(r.wfns, r.ndka); t3 <- roc.test(r.ndka, r.s100b)
PROC_ROC_TEST = {
    ("wfns", "s100b"): (
        2.20898359144091,
        0.0271757822291882,
        0.0104061769564846,
        0.174214419249478,
    ),
    ("wfns", "ndka"): (
        2.79777591868904,
        0.00514557970691098,
        0.0634011709339876,
        0.3600405634833566,
    ),
    ("ndka", "s100b"): (
        -1.39077002573558,
        0.164295175223054,
        -0.2876917446341914,
        0.0488706064228094,
    ),
}


@pytest.mark.parametrize(("a", "b"), list(PROC_ROC_TEST))
def test_delong_test_matches_proc_roc_test(asah, a, b):
    z, p, lo, hi = PROC_ROC_TEST[(a, b)]
    res = delong_test(asah["outcome"], asah[a], asah[b], pos_label="Poor")
    assert isinstance(res, TestResult)
    assert res.statistic == pytest.approx(z, rel=1e-10)
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    assert res.estimate.confidence_interval.low == pytest.approx(lo, abs=1e-12)
    assert res.estimate.confidence_interval.high == pytest.approx(hi, abs=1e-12)
    assert res.estimate.estimate == pytest.approx(PROC_AUC[a] - PROC_AUC[b], abs=1e-12)
    assert res.details["auc_a"] == pytest.approx(PROC_AUC[a], abs=1e-12)
    assert res.details["auc_b"] == pytest.approx(PROC_AUC[b], abs=1e-12)
    assert res.details["std_error_a"] ** 2 == pytest.approx(PROC_VAR[a], rel=1e-10)
    assert res.method == "DeLong's test for two correlated ROC curves"
    assert res.alternative == "two-sided"
    # reversing the curves flips z and keeps p (test-roc.test.R, "curves are reversed")
    rev = delong_test(asah["outcome"], asah[b], asah[a], pos_label="Poor")
    assert rev.statistic == pytest.approx(-z, rel=1e-10)
    assert rev.pvalue == pytest.approx(p, rel=1e-10)


def test_delong_covariances_match_proc(asah):
    # pROC tests/testthat/test-cov.R, "cov with delong works"
    expected = {
        ("wfns", "ndka"): -0.000532967856762438,
        ("ndka", "s100b"): -0.000756164938056579,
        ("s100b", "wfns"): 0.00119615567376754,
    }
    for (a, b), cov in expected.items():
        res = delong_test(asah["outcome"], asah[a], asah[b], pos_label="Poor")
        assert res.details["covariance"] == pytest.approx(cov, rel=1e-10)


def test_delong_one_sided_pvalues_match_proc(asah):
    # test-roc.test.R, "one-sided roc.test work and produce expected results"
    y, w, s = asah["outcome"], asah["wfns"], asah["s100b"]
    gt = delong_test(y, w, s, alternative="greater", pos_label="Poor")
    lt = delong_test(y, w, s, alternative="less", pos_label="Poor")
    assert gt.pvalue == pytest.approx(0.0135878911145941, rel=1e-10)
    assert lt.pvalue == pytest.approx(0.986412108885406, rel=1e-10)
    assert gt.statistic == lt.statistic == pytest.approx(2.20898359144091, rel=1e-10)
    # pROC's interval is the two-sided one for every alternative
    assert gt.estimate.confidence_interval.low == pytest.approx(0.0104061769564846, abs=1e-12)


def test_delong_identical_curves_give_z0_p1(asah):
    # test-roc.test.R, "DeLong roc.test works when curves are identical": Z = 0, p = 1
    res = delong_test(asah["outcome"], asah["wfns"], asah["wfns"], pos_label="Poor")
    assert res.statistic == 0.0
    assert res.pvalue == 1.0
    assert res.estimate.std_error == 0.0


# --------------------------------------------------------------------------- independent checks
def test_auc_and_curve_match_sklearn_with_ties(rng):
    y = rng.random(300) < 0.35
    score = np.round(rng.normal(size=300) + 0.8 * y, 1)  # many ties
    assert roc_auc(y, score).estimate == pytest.approx(skm.roc_auc_score(y, score), abs=1e-13)
    curve = roc_curve(y, score)
    fpr, tpr, thr = skm.roc_curve(y, score, drop_intermediate=False)
    np.testing.assert_allclose(curve.fpr, fpr, atol=1e-15)
    np.testing.assert_allclose(curve.tpr, tpr, atol=1e-15)
    np.testing.assert_array_equal(curve.thresholds[1:], thr[1:])
    assert curve.thresholds[0] == np.inf
    assert curve.auc == pytest.approx(skm.auc(fpr, tpr), abs=1e-13)
    assert (curve.n_positive, curve.n_negative) == (int(y.sum()), int((~y).sum()))


def test_fast_delong_matches_brute_force_structural_components(rng):
    y = rng.random(120) < 0.4
    a = np.round(rng.normal(size=120) + y, 1)  # ties within and across classes
    b = np.round(a + rng.normal(scale=0.8, size=120), 1)
    auc, cov = brute_force_delong(y, np.vstack([a, b]))
    res_a = roc_auc(y, a)
    assert res_a.estimate == pytest.approx(auc[0], abs=1e-13)
    assert res_a.std_error**2 == pytest.approx(cov[0, 0], rel=1e-11)
    res = delong_test(y, a, b)
    assert res.details["covariance"] == pytest.approx(cov[0, 1], rel=1e-11)
    z = (auc[0] - auc[1]) / math.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    assert res.statistic == pytest.approx(z, rel=1e-10)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_logit_interval(asah):
    res = roc_auc(asah["outcome"], asah["s100b"], pos_label="Poor", ci_method="logit")
    auc, se = PROC_AUC["s100b"], math.sqrt(PROC_VAR["s100b"])
    lg, half = math.log(auc / (1 - auc)), Z975 * se / (auc * (1 - auc))  # Pepe (2003) p. 107
    assert res.confidence_interval.low == pytest.approx(1 / (1 + math.exp(-(lg - half))), rel=1e-12)
    assert res.confidence_interval.high == pytest.approx(
        1 / (1 + math.exp(-(lg + half))), rel=1e-12
    )
    assert res.estimate == pytest.approx(auc, abs=1e-12)
    assert "logit" in res.method


def test_perfect_separation_interval_stays_in_unit_interval():
    res = roc_auc([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6])
    assert res.estimate == 1.0
    assert res.std_error == 0.0
    assert tuple(res.confidence_interval) == (1.0, 1.0)
    assert tuple(roc_auc([0, 0, 1, 1], [1, 2, 3, 4], ci_method="logit").confidence_interval) == (
        1.0,
        1.0,
    )


def _binormal_coverage(rng, reps, m, n, auc_true, ci_method="wald"):
    delta = math.sqrt(2) * special.ndtri(auc_true)  # AUC = Phi(delta / sqrt(2))
    y = np.r_[np.ones(m, bool), np.zeros(n, bool)]
    hits = 0
    for _ in range(reps):
        score = rng.normal(size=m + n) + delta * y
        lo, hi = roc_auc(y, score, ci_method=ci_method).confidence_interval
        hits += lo <= auc_true <= hi
    return hits / reps


def test_delong_interval_coverage_quick(rng):
    # 400 binormal samples each: the binomial SE of a coverage near 0.95 is 0.011. The plain
    # (pROC) interval undercovers a little in small samples at high AUC (about 0.93 at
    # m = n = 50, AUC 0.8 in a 3000-sample run), so it is checked where it is near nominal;
    # the logit interval also there.
    assert abs(_binormal_coverage(rng, 400, 100, 100, 0.75) - 0.95) < 0.035
    assert abs(_binormal_coverage(rng, 400, 50, 50, 0.8, ci_method="logit") - 0.95) < 0.035


@pytest.mark.slow
@pytest.mark.parametrize(
    ("m", "n", "auc", "ci_method"),
    [(200, 200, 0.8, "wald"), (60, 90, 0.85, "logit"), (100, 150, 0.8, "logit")],
)
def test_delong_interval_coverage_full(rng, m, n, auc, ci_method):
    cover = _binormal_coverage(rng, 4000, m, n, auc, ci_method=ci_method)
    assert abs(cover - 0.95) < 0.012  # binomial SE 0.0034


@pytest.mark.slow
def test_delong_test_size_under_null(rng):
    # two scores of equal AUC, correlated through a shared component: the test keeps its level
    m = n = 60
    y = np.r_[np.ones(m, bool), np.zeros(n, bool)]
    rejections = 0
    reps = 2000
    for _ in range(reps):
        shared = rng.normal(size=m + n)
        a = shared + rng.normal(size=m + n) + 1.0 * y
        b = shared + rng.normal(size=m + n) + 1.0 * y
        rejections += delong_test(y, a, b).pvalue < 0.05
    assert abs(rejections / reps - 0.05) < 0.015


# --------------------------------------------------------------------------- Youden
def test_youden_matches_proc_coords_best(asah):
    # pROC tests/testthat/test-coords.R "coords with best threshold works": the best row of
    # coords(r.s100b, "all") is threshold 0.205, specificity 58/72, sensitivity 26/41
    # (helper-coords-expected.R, row 18).
    res = youden_threshold(asah["outcome"], asah["s100b"], pos_label="Poor")
    assert res.sensitivity == pytest.approx(26 / 41, abs=1e-15)
    assert res.specificity == pytest.approx(58 / 72, abs=1e-15)
    assert res.j == pytest.approx(26 / 41 + 58 / 72 - 1, abs=1e-15)
    assert res.details["midpoint"] == pytest.approx(0.205, abs=1e-12)
    assert res.threshold == 0.22  # the observed score; score >= 0.22 is "score > 0.205"
    s = asah["s100b"].to_numpy()
    pos = (asah["outcome"] == "Poor").to_numpy()
    assert np.sum(pos & (s >= res.threshold)) == 26
    assert np.sum(~pos & (s < res.threshold)) == 58


def test_youden_brute_force_and_ties():
    y = np.array([0, 0, 1, 0, 1, 1, 0, 1])
    s = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    res = youden_threshold(y, s)
    cands = np.unique(s)
    j = [np.mean(s[y == 1] >= t) + np.mean(s[y == 0] < t) - 1 for t in cands]
    best = max(j)
    tied = sorted((float(t) for t, v in zip(cands, j, strict=True) if v == best), reverse=True)
    assert res.j == pytest.approx(best)
    assert res.details["ties"] == tuple(tied)
    assert res.threshold == tied[0]  # the highest (most specific) of tied thresholds
    # J = 2/3 - 0 at 0.6 and 1 - 1/3 at 0.4 tie exactly, though not in floating point
    res = youden_threshold([0, 0, 0, 1, 1, 1], [0.1, 0.3, 0.5, 0.4, 0.6, 0.9])
    assert res.details["ties"] == (0.6, 0.4)
    assert res.threshold == 0.6


# --------------------------------------------------------------------------- 2×2 measures
def test_altman_bland_liver_scan():
    # Altman & Bland (1994) BMJ 308:1552 and 309:102: liver scan vs pathology,
    # TP 231, FP 32, FN 27, TN 54: sensitivity 0.895, specificity 0.628, PPV 0.878,
    # NPV 0.667 (published to 3 decimals), prevalence 258/344 = 0.75.
    res = diagnostic_accuracy(231, 32, 27, 54)
    assert isinstance(res, DiagnosticAccuracy)
    assert round(res.sensitivity.estimate, 3) == 0.895
    assert round(res.specificity.estimate, 3) == 0.628
    assert round(res.ppv.estimate, 3) == 0.878
    assert round(res.npv.estimate, 3) == 0.667
    assert res.prevalence.estimate == 0.75
    assert res.accuracy.estimate == pytest.approx(285 / 344)
    assert dict(res.counts) == {"tp": 231, "fp": 32, "fn": 27, "tn": 54}
    assert res.n == 344
    # Wilson intervals (the default) agree with statsmodels' proportion_confint
    for est, (x, n) in (
        (res.sensitivity, (231, 258)),
        (res.specificity, (54, 86)),
        (res.ppv, (231, 263)),
        (res.npv, (54, 81)),
        (res.accuracy, (285, 344)),
    ):
        lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
        assert est.confidence_interval.low == pytest.approx(lo, abs=1e-12)
        assert est.confidence_interval.high == pytest.approx(hi, abs=1e-12)


def test_epir_epi_tests_documented_example():
    # epiR epi.tests vignette ("Diagnostic Test Interpretation Using epiR", EXAMPLE 1;
    # Scott et al. 2008): epi.tests(c(670, 202, 74, 640), method = "exact") prints, 2 decimals:
    # Apparent prevalence 0.55 (0.52, 0.57); True prevalence 0.47 (0.44, 0.49);
    # Sensitivity 0.90 (0.88, 0.92); Specificity 0.76 (0.73, 0.79); PPV 0.77 (0.74, 0.80);
    # NPV 0.90 (0.87, 0.92); LR+ 3.75 (3.32, 4.24); LR- 0.13 (0.11, 0.16);
    # Correctly classified proportion 0.83 (0.81, 0.84). epiR "exact" = Clopper-Pearson.
    res = diagnostic_accuracy(670, 202, 74, 640, method="clopper_pearson")
    expected = {
        "prevalence": (0.47, 0.44, 0.49),
        "sensitivity": (0.90, 0.88, 0.92),
        "specificity": (0.76, 0.73, 0.79),
        "ppv": (0.77, 0.74, 0.80),
        "npv": (0.90, 0.87, 0.92),
        "positive_likelihood_ratio": (3.75, 3.32, 4.24),
        "negative_likelihood_ratio": (0.13, 0.11, 0.16),
        "accuracy": (0.83, 0.81, 0.84),
    }
    for name, (est, lo, hi) in expected.items():
        e = getattr(res, name)
        got = (e.estimate, e.confidence_interval.low, e.confidence_interval.high)
        assert tuple(round(v, 2) for v in got) == (est, lo, hi), name


def test_likelihood_ratios_simel_formula_and_dor_against_statsmodels():
    a, b, c, d = 670, 202, 74, 640
    res = diagnostic_accuracy(a, b, c, d)
    se, sp = a / (a + c), d / (b + d)
    # epiR epi.tests source (Simel et al. 1991): var(log LR+) = (1-se)/(M1 se) + sp/(M0 (1-sp))
    v_pos = (1 - se) / ((a + c) * se) + sp / ((b + d) * (1 - sp))
    v_neg = se / ((a + c) * (1 - se)) + (1 - sp) / ((b + d) * sp)
    for est, value, v in (
        (res.positive_likelihood_ratio, se / (1 - sp), v_pos),
        (res.negative_likelihood_ratio, (1 - se) / sp, v_neg),
    ):
        assert est.estimate == pytest.approx(value, rel=1e-13)
        assert est.details["log_std_error"] == pytest.approx(math.sqrt(v), rel=1e-12)
        lo = math.exp(math.log(value) - Z975 * math.sqrt(v))
        hi = math.exp(math.log(value) + Z975 * math.sqrt(v))
        assert est.confidence_interval.low == pytest.approx(lo, rel=1e-11)
        assert est.confidence_interval.high == pytest.approx(hi, rel=1e-11)
        assert est.details["zero_cell_correction"] == 0.0
    # Woolf interval of the odds ratio, independent implementation: statsmodels Table2x2
    table = Table2x2(np.array([[a, b], [c, d]]))
    dor = res.diagnostic_odds_ratio
    assert dor.estimate == pytest.approx(table.oddsratio, rel=1e-13)
    lo, hi = table.oddsratio_confint(alpha=0.05, method="normal")
    assert dor.confidence_interval.low == pytest.approx(lo, rel=1e-11)
    assert dor.confidence_interval.high == pytest.approx(hi, rel=1e-11)


@pytest.mark.parametrize("method", ["wilson", "clopper_pearson", "jeffreys", "agresti_coull"])
def test_method_passes_through_to_proportion(method):
    res = diagnostic_accuracy(45, 10, 5, 40, method=method, confidence_level=0.9)
    ref = sc.proportion(45, 50, method=method, confidence_level=0.9)
    assert res.sensitivity.confidence_interval == ref.confidence_interval
    assert res.sensitivity.method == ref.method
    assert res.method == method
    assert res.confidence_level == 0.9


def test_zero_cell_correction_only_when_a_cell_is_zero():
    res = diagnostic_accuracy(20, 0, 5, 30)  # FP = 0: LR+ would be infinite
    lr = res.positive_likelihood_ratio
    assert lr.details["zero_cell_correction"] == 0.5
    assert lr.details["uncorrected_estimate"] == math.inf
    # 0.5 added to every cell: ((20.5/26) / (0.5/31))
    assert lr.estimate == pytest.approx((20.5 / 26) / (0.5 / 31), rel=1e-13)
    assert math.isfinite(lr.confidence_interval.high)
    assert "0.5 added" in lr.method
    dor = res.diagnostic_odds_ratio
    assert dor.estimate == pytest.approx(20.5 * 30.5 / (0.5 * 5.5), rel=1e-13)
    assert dor.details["zero_cell_correction"] == 0.5
    lrn = res.negative_likelihood_ratio
    assert lrn.estimate == pytest.approx((5.5 / 26) / (30.5 / 31), rel=1e-13)
    # the proportions are not corrected
    assert res.specificity.estimate == 1.0
    assert res.ppv.estimate == 1.0


def test_no_positive_tests_gives_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = diagnostic_accuracy(0, 0, 10, 20)
    assert math.isnan(res.ppv.estimate)
    assert math.isnan(res.positive_likelihood_ratio.estimate)
    assert math.isnan(res.diagnostic_odds_ratio.estimate)
    assert "no positive tests" in res.ppv.details["undefined"]
    assert res.sensitivity.estimate == 0.0
    # every cell + 0.5: (10.5/11) / (20.5/21)
    assert res.negative_likelihood_ratio.estimate == pytest.approx((10.5 / 11) / (20.5 / 21))
    frame = res.to_frame()
    assert frame.set_index("measure").loc["ppv"].isna()[["estimate", "ci_low", "ci_high"]].all()


def test_predictive_values_at_given_prevalence():
    a, b, c, d = 231, 32, 27, 54
    sample = diagnostic_accuracy(a, b, c, d)
    # Bayes at the sample prevalence reproduces the sample PPV/NPV exactly
    at_sample = diagnostic_accuracy(a, b, c, d, prevalence=258 / 344)
    assert at_sample.ppv.estimate == pytest.approx(sample.ppv.estimate, rel=1e-13)
    assert at_sample.npv.estimate == pytest.approx(sample.npv.estimate, rel=1e-13)
    res = diagnostic_accuracy(a, b, c, d, prevalence=0.25)
    se, sp, p = a / 258, d / 86, 0.25
    assert res.ppv.estimate == pytest.approx(se * p / (se * p + (1 - sp) * (1 - p)), rel=1e-13)
    assert res.npv.estimate == pytest.approx(
        sp * (1 - p) / (sp * (1 - p) + (1 - se) * p), rel=1e-13
    )
    # bounds: Bayes at the corners of the Šidák-level (sqrt(0.95)) Wilson intervals
    inner = math.sqrt(0.95)
    se_lo, se_hi = sc.proportion(a, 258, confidence_level=inner).confidence_interval
    sp_lo, sp_hi = sc.proportion(d, 86, confidence_level=inner).confidence_interval

    def ppv(s, f):
        return s * p / (s * p + (1 - f) * (1 - p))

    def npv(s, f):
        return f * (1 - p) / (f * (1 - p) + (1 - s) * p)

    assert res.ppv.confidence_interval.low == pytest.approx(ppv(se_lo, sp_lo), rel=1e-13)
    assert res.ppv.confidence_interval.high == pytest.approx(ppv(se_hi, sp_hi), rel=1e-13)
    assert res.npv.confidence_interval.low == pytest.approx(npv(se_lo, sp_lo), rel=1e-13)
    assert res.npv.confidence_interval.high == pytest.approx(npv(se_hi, sp_hi), rel=1e-13)
    # delta-method standard error, the gradient by central differences
    h = 1e-6
    for est, fun in ((res.ppv, ppv), (res.npv, npv)):
        g_se = (fun(se + h, sp) - fun(se - h, sp)) / (2 * h)
        g_sp = (fun(se, sp + h) - fun(se, sp - h)) / (2 * h)
        var = g_se**2 * se * (1 - se) / 258 + g_sp**2 * sp * (1 - sp) / 86
        assert est.std_error == pytest.approx(math.sqrt(var), rel=1e-6)
    assert res.prevalence.estimate == 0.25
    assert tuple(res.prevalence.confidence_interval) == (0.25, 0.25)
    assert res.prevalence_given
    # the other measures do not depend on the prevalence argument
    assert res.sensitivity == sample.sensitivity
    assert res.positive_likelihood_ratio.estimate == sample.positive_likelihood_ratio.estimate
    # PPV rises and NPV falls with prevalence
    hi_prev = diagnostic_accuracy(a, b, c, d, prevalence=0.6)
    assert hi_prev.ppv.estimate > res.ppv.estimate
    assert hi_prev.npv.estimate < res.npv.estimate


def test_predictive_value_interval_at_prevalence_is_conservative(rng):
    se, sp, prev = 0.8, 0.9, 0.1
    n1, n0 = 40, 120
    true_ppv = se * prev / (se * prev + (1 - sp) * (1 - prev))
    true_npv = sp * (1 - prev) / (sp * (1 - prev) + (1 - se) * prev)
    reps = 400
    tp = rng.binomial(n1, se, reps)
    tn = rng.binomial(n0, sp, reps)
    hits_p = hits_n = 0
    for a, d in zip(tp, tn, strict=True):
        res = diagnostic_accuracy(int(a), int(n0 - d), int(n1 - a), int(d), prevalence=prev)
        hits_p += res.ppv.confidence_interval.low <= true_ppv <= res.ppv.confidence_interval.high
        hits_n += res.npv.confidence_interval.low <= true_npv <= res.npv.confidence_interval.high
    assert hits_p / reps >= 0.95 - 0.02
    assert hits_n / reps >= 0.95 - 0.02


# --------------------------------------------------------------------------- labels
def test_labels_and_counts_agree_and_pos_label():
    rng = np.random.default_rng(7)
    truth = rng.random(200) < 0.4
    pred = np.where(rng.random(200) < 0.85, truth, ~truth)
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    tn = int(np.sum(~truth & ~pred))
    ref = diagnostic_accuracy(tp, fp, fn, tn).to_frame()
    for y_true, y_pred, kw in (
        (truth, pred, {}),
        (truth.astype(int), pred.astype(int), {}),
        (truth.astype(float), pred.astype(int), {}),
        (np.where(truth, "sick", "well"), np.where(pred, "sick", "well"), {"pos_label": "sick"}),
        (pd.Series(truth), pd.Series(pred.astype(int)), {}),
        (
            pd.Categorical(np.where(truth, "D+", "D-")),
            np.where(pred, "D+", "D-"),
            {"pos_label": "D+"},
        ),
    ):
        got = diagnostic_accuracy(y_true=y_true, y_pred=y_pred, **kw).to_frame()
        pd.testing.assert_frame_equal(got, ref)
    # the negative class as positive: sensitivity and specificity swap
    swapped = diagnostic_accuracy(y_true=truth.astype(int), y_pred=pred.astype(int), pos_label=0)
    assert swapped.sensitivity.estimate == pytest.approx(tn / (tn + fp))
    assert swapped.specificity.estimate == pytest.approx(tp / (tp + fn))


def test_y_pred_with_one_class_is_allowed():
    res = diagnostic_accuracy(y_true=[1, 1, 0, 0, 0], y_pred=[1, 1, 1, 1, 1])
    assert dict(res.counts) == {"tp": 2, "fp": 3, "fn": 0, "tn": 0}
    assert res.sensitivity.estimate == 1.0
    assert res.specificity.estimate == 0.0
    assert math.isnan(res.npv.estimate)


def test_label_nan_policy_omit():
    y_true = np.array([1.0, 0.0, np.nan, 1.0, 0.0, 1.0])
    y_pred = [1, 0, 1, None, 1, 1]
    res = diagnostic_accuracy(y_true=y_true, y_pred=y_pred, nan_policy="omit")
    assert dict(res.counts) == {"tp": 2, "fp": 1, "fn": 0, "tn": 1}
    with pytest.raises(ValueError, match=r"`y_true` has 1 missing value.*nan_policy='omit'"):
        diagnostic_accuracy(y_true=y_true, y_pred=[1, 0, 1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"`y_pred` has 1 missing value"):
        diagnostic_accuracy(y_true=[1, 0, 1, 0, 0, 1], y_pred=y_pred)


def test_score_nan_policy_omit_drops_pairs(asah):
    y = asah["outcome"].to_numpy(copy=True)
    s = asah["s100b"].to_numpy(copy=True)
    s_nan = s.copy()
    s_nan[[0, 5]] = np.nan
    y_nan = y.astype(object)
    y_nan[7] = None
    keep = np.ones(113, bool)
    keep[[0, 5, 7]] = False
    ref = roc_auc(y[keep], s[keep], pos_label="Poor")
    got = roc_auc(y_nan, s_nan, pos_label="Poor", nan_policy="omit")
    assert got.estimate == pytest.approx(ref.estimate, abs=1e-15)
    assert got.std_error == pytest.approx(ref.std_error, rel=1e-13)
    assert got.n == 110
    with pytest.raises(ValueError, match=r"`score` has 2 NaN values; pass nan_policy='omit'"):
        roc_auc(y, s_nan, pos_label="Poor")
    with pytest.raises(ValueError, match=r"`y_true` has 1 missing value"):
        roc_curve(y_nan, s, pos_label="Poor")
    t = delong_test(y_nan, s_nan, asah["ndka"], pos_label="Poor", nan_policy="omit")
    assert t.details["n_positive"] + t.details["n_negative"] == 110


def test_inputs_are_not_modified(asah):
    y = asah["outcome"].to_numpy(copy=True).astype(object)
    y[3] = None
    s = asah["s100b"].to_numpy(copy=True)
    s[0] = np.nan
    b = asah["ndka"].to_numpy(copy=True)
    series = pd.Series(s.copy())
    copies = [y.copy(), s.copy(), b.copy(), series.copy()]
    roc_auc(y, series, pos_label="Poor", nan_policy="omit")
    roc_curve(y, s, pos_label="Poor", nan_policy="omit")
    delong_test(y, s, b, pos_label="Poor", nan_policy="omit")
    youden_threshold(y, s, pos_label="Poor", nan_policy="omit")
    yt = np.array([1, 0, 1, 0, np.nan])
    yp = np.array([1, 1, 0, 0, 1])
    diagnostic_accuracy(y_true=yt, y_pred=yp, nan_policy="omit")
    np.testing.assert_array_equal(y, copies[0])
    np.testing.assert_array_equal(s, copies[1])
    np.testing.assert_array_equal(b, copies[2])
    pd.testing.assert_series_equal(series, copies[3])
    np.testing.assert_array_equal(yt, [1, 0, 1, 0, np.nan])
    np.testing.assert_array_equal(yp, [1, 1, 0, 0, 1])


# --------------------------------------------------------------------------- output
def test_to_frame_and_repr():
    res = diagnostic_accuracy(231, 32, 27, 54)
    frame = res.to_frame()
    assert list(frame.columns) == ["measure", "estimate", "ci_low", "ci_high", "method"]
    assert list(frame["measure"]) == [
        "sensitivity",
        "specificity",
        "ppv",
        "npv",
        "accuracy",
        "positive_likelihood_ratio",
        "negative_likelihood_ratio",
        "diagnostic_odds_ratio",
        "prevalence",
    ]
    row = frame.set_index("measure").loc["sensitivity"]
    assert row["estimate"] == res.sensitivity.estimate
    assert row["ci_low"] == res.sensitivity.confidence_interval.low
    assert "Simel" in frame.set_index("measure").loc["positive_likelihood_ratio", "method"]
    text = repr(res)
    assert "TP=231" in text and "sensitivity" in text
    assert "<table" in res._repr_html_()
    d = res.to_dict()
    assert d["counts"] == {"tp": 231, "fp": 32, "fn": 27, "tn": 54}
    assert d["sensitivity"]["estimate"] == res.sensitivity.estimate
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.sensitivity = res.specificity  # type: ignore[misc]


def test_roc_curve_output_and_plot(asah):
    import matplotlib.pyplot as plt

    curve = roc_curve(asah["outcome"], asah["s100b"], pos_label="Poor")
    assert isinstance(curve, RocCurve)
    assert curve.auc == pytest.approx(PROC_AUC["s100b"], abs=1e-12)
    # 51 thresholds, as pROC's coords(r.s100b, "all") (test-coords.R: dim 51 x 26)
    assert len(curve.thresholds) == 51
    frame = curve.to_frame()
    assert list(frame.columns) == ["threshold", "fpr", "tpr"]
    assert (frame.iloc[0]["fpr"], frame.iloc[0]["tpr"]) == (0.0, 0.0)
    assert (frame.iloc[-1]["fpr"], frame.iloc[-1]["tpr"]) == (1.0, 1.0)
    assert np.all(np.diff(curve.thresholds) < 0)
    with pytest.raises(ValueError, match="read-only"):
        curve.tpr[0] = 0.5
    assert "AUC = 0.7314" in repr(curve)
    assert curve.to_dict()["auc"] == curve.auc
    ax = curve.plot()
    assert ax.get_title().startswith("ROC curve")
    assert "sensitivity" in ax.get_ylabel().lower()
    assert "specificity" in ax.get_xlabel().lower()
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[1].get_xydata(), [[0, 0], [1, 1]])  # chance diagonal
    _, ax2 = plt.subplots()
    assert curve.plot(ax=ax2, label="S100B") is ax2
    assert ax2.get_legend().get_texts()[0].get_text() == "S100B"
    plt.close("all")


def test_youden_result_output(asah):
    res = youden_threshold(asah["outcome"], asah["s100b"], pos_label="Poor")
    assert set(res.to_dict()) >= {"threshold", "j", "sensitivity", "specificity"}
    assert list(res.to_frame().columns)[:4] == ["threshold", "j", "sensitivity", "specificity"]
    assert "J = 0.4397" in repr(res)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((-1, 2, 3, 4), {}, ValueError, r"`tp` must be a non-negative count"),
        ((1, 2.5, 3, 4), {}, ValueError, r"`fp` must be a whole number"),
        ((1, 2, "3", 4), {}, TypeError, r"`fn` must be a non-negative integer count"),
        ((1, 2, 3, math.nan), {}, ValueError, r"`tn` must be a non-negative count"),
        ((0, 2, 0, 4), {}, ValueError, r"no diseased subjects \(`tp` \+ `fn` = 0\)"),
        ((3, 0, 1, 0), {}, ValueError, r"no non-diseased subjects \(`fp` \+ `tn` = 0\)"),
        ((1, 2, 3), {}, TypeError, r"`tn` is missing"),
        ((), {}, TypeError, r"pass the four counts"),
        ((1, 2, 3, 4), {"y_true": [0, 1]}, TypeError, r"not both"),
        ((), {"y_true": [0, 1]}, TypeError, r"`y_pred` is missing"),
        ((1, 2, 3, 4), {"prevalence": 0.0}, ValueError, r"`prevalence` must be in \(0, 1\)"),
        ((1, 2, 3, 4), {"prevalence": 1.0}, ValueError, r"`prevalence` must be in \(0, 1\)"),
        ((1, 2, 3, 4), {"prevalence": 1.5}, ValueError, r"`prevalence` must be in \(0, 1\)"),
        ((1, 2, 3, 4), {"prevalence": math.nan}, ValueError, r"`prevalence` must be finite"),
        ((1, 2, 3, 4), {"method": "exact"}, ValueError, r"`method` must be one of 'wilson'"),
        ((1, 2, 3, 4), {"confidence_level": 95}, ValueError, r"`confidence_level` must be in"),
    ],
)
def test_diagnostic_accuracy_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        diagnostic_accuracy(*args, **kwargs)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "match"),
    [
        (
            [0, 1, 2, 1],
            [0, 1, 1, 1],
            {},
            r"`y_true` must hold binary labels \(two classes\); got 3",
        ),
        ([1, 1, 1], [0, 1, 1], {}, r"`y_true` has only one class"),
        (
            ["a", "b", "a"],
            ["a", "b", "b"],
            {},
            r"`pos_label`=1 is not one of the labels of `y_true`",
        ),
        ([0, 1, 1, 0], [0, 1, 2, 0], {}, r"`y_pred` has values that are not labels of `y_true`"),
        ([0, 1, 1, 0], [0, 1, 1], {}, r"`y_true` and `y_pred` must have the same length"),
        ([0, 1, 1, 0], [0, 1, 1, 0], {"nan_policy": "propagate"}, r"`nan_policy` must be one of"),
        ([], [], {}, r"`y_true` is empty"),
        ([[0, 1], [1, 0]], [0, 1], {}, r"`y_true` must be one-dimensional"),
    ],
)
def test_label_bad_input(y_true, y_pred, kwargs, match):
    with pytest.raises(ValueError, match=match):
        diagnostic_accuracy(y_true=y_true, y_pred=y_pred, **kwargs)


def test_label_type_errors():
    with pytest.raises(TypeError, match=r"`y_true` must be an array of labels"):
        diagnostic_accuracy(y_true="0101", y_pred=[0, 1, 0, 1])
    with pytest.raises(TypeError, match=r"`y_true` must hold real or categorical labels"):
        roc_auc(np.array([1j, 0j, 1j]), [1.0, 2.0, 3.0])


@pytest.mark.parametrize("fn", [roc_curve, roc_auc, youden_threshold])
def test_score_functions_bad_input(fn):
    y = [0, 0, 1, 1, 0, 1]
    with pytest.raises(ValueError, match=r"`y_true` and `score` must have the same length"):
        fn(y, [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"`y_true` has only one class"):
        fn([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"`y_true` must hold binary labels"):
        fn([0, 1, 2, 0, 1, 2], [1, 2, 3, 4, 5, 6])
    with pytest.raises(ValueError, match=r"`score` has 1 NaN value"):
        fn(y, [0.1, np.nan, 0.3, 0.4, 0.5, 0.6])
    with pytest.raises(ValueError, match=r"`score` has 1 infinite value"):
        fn(y, [0.1, np.inf, 0.3, 0.4, 0.5, 0.6])
    with pytest.raises(TypeError, match=r"`score` must contain numbers"):
        fn(y, list("abcdef"))
    with pytest.raises(ValueError, match=r"`pos_label`='yes' is not one of the labels"):
        fn(y, [1, 2, 3, 4, 5, 6], pos_label="yes")
    with pytest.raises(ValueError, match=r"no positive subjects are left"):
        fn([0, 0, 1, 1], [0.1, 0.2, np.nan, np.nan], nan_policy="omit")


def test_delong_bad_input():
    y = [0, 0, 1, 1, 0, 1]
    s = [0.1, 0.4, 0.3, 0.8, 0.2, 0.9]
    with pytest.raises(ValueError, match=r"at least 2 positive and 2 negative"):
        roc_auc([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match=r"at least 2 positive and 2 negative"):
        delong_test([0, 1, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1])
    with pytest.raises(ValueError, match=r"`y_true`, `score_a`, `score_b` must have the same"):
        delong_test(y, s, s[:5])
    with pytest.raises(ValueError, match=r"`score_b` has 1 NaN value"):
        delong_test(y, s, [0.1, 0.4, np.nan, 0.8, 0.2, 0.9])
    with pytest.raises(ValueError, match=r"`alternative` must be one of"):
        delong_test(y, s, s, alternative="two.sided")
    with pytest.raises(ValueError, match=r"`confidence_level` must be in"):
        delong_test(y, s, s, confidence_level=1.0)
    with pytest.raises(ValueError, match=r"`ci_method` must be one of 'wald', 'logit'"):
        roc_auc(y, s, ci_method="bootstrap")
