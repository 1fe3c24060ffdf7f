"""Cox regression and cox.zph: R survival's printed outputs and closed forms, statsmodels as an
independent implementation, brute-force re-computations, coverage by simulation, bad input."""

import math

import numpy as np
import pandas as pd
import pytest

from statcraft.datasets import load_lung
from statcraft.health import (
    CoxResult,
    ProportionalHazardsTest,
    cox_regression,
    proportional_hazards_test,
)
from statcraft.health._cox_risk_sets import concordance_counts

# R survival's `ovarian` data (futime, fustat, age, resid.ds, rx, ecog.ps), 26 rows in R's row
# order, typed in from a printed `ovarian` data frame; futime/fustat/rx agree with the copy in
# tests/estimators/test_survival.py, and the fits below reproduce R's printed coxph outputs.
_OVARIAN = """
59 1 72.3315 2 1 1
115 1 74.4932 2 1 1
156 1 66.4658 2 1 2
421 0 53.3644 2 2 1
431 1 50.3397 2 1 1
448 0 56.4301 1 1 2
464 1 56.9370 2 2 2
475 1 59.8548 2 2 2
477 0 64.1753 2 1 1
563 1 55.1781 1 2 2
638 1 56.7562 1 1 2
744 0 50.1096 1 2 1
769 0 59.6301 2 2 2
770 0 57.0521 2 2 1
803 0 39.2712 1 1 1
855 0 43.1233 1 1 2
1040 0 38.8932 2 1 2
1106 0 44.6000 1 1 1
1129 0 53.9068 1 2 1
1206 0 44.2055 2 2 1
1227 0 59.5890 1 2 2
268 1 74.5041 2 1 2
329 1 43.1370 2 1 1
353 1 63.2192 1 2 2
365 1 64.4247 2 2 1
377 0 58.3096 1 2 1
"""


@pytest.fixture(scope="module")
def ovarian() -> pd.DataFrame:
    rows = [list(map(float, r.split())) for r in _OVARIAN.strip().splitlines()]
    return pd.DataFrame(rows, columns=["futime", "fustat", "age", "resid_ds", "rx", "ecog_ps"])


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    return load_lung()


# Therneau & Grambsch's appendix data "test1" (survival tests/book1.R): row 2 has NA status
TEST1 = pd.DataFrame(
    {
        "time": [9, 3, 1, 1, 6, 6, 8],
        "status": [1, np.nan, 1, 0, 1, 1, 0],
        "x": [0, 2, 1, 1, 1, 0, 0],
    }
)
# `byhand`'s vectors are in the order of test1 rows c(3:7, 1) (R, 1-based); after the NA row
# (row 2) is dropped these are positions 1..5, 0 of the six rows used
BYHAND_ROWS = [1, 2, 3, 4, 5, 0]


def _fit_test1(ties: str, **kw) -> CoxResult:
    return cox_regression(
        TEST1["time"], TEST1["status"], TEST1[["x"]], ties=ties, nan_policy="omit", **kw
    )


# --------------------------------------------------------------------------- R: lung
def test_lung_age_sex_matches_r_summary(lung):
    # R: summary(coxph(Surv(time, status) ~ age + sex, lung))
    #    (survival tests/Examples/survival-Ex.Rout.save, example of summary.coxph)
    #          coef exp(coef)  se(coef)      z Pr(>|z|)
    # age  0.017045  1.017191  0.009223  1.848  0.06459
    # sex -0.513219  0.598566  0.167458 -3.065  0.00218
    #     exp(coef) exp(-coef) lower .95 upper .95
    # age    1.0172     0.9831    0.9990    1.0357
    # sex    0.5986     1.6707    0.4311    0.8311
    # Concordance= 0.603; LR 14.12, Wald 13.47, Score 13.72 on 2 df; n=228, events=165
    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    tab = fit.coefficients
    assert list(tab.index) == ["age", "sex"]
    np.testing.assert_allclose(tab["estimate"], [0.017045, -0.513219], atol=5e-7)
    np.testing.assert_allclose(tab["hazard_ratio"], [1.017191, 0.598566], atol=5e-7)
    np.testing.assert_allclose(tab["std_error"], [0.009223, 0.167458], atol=5e-7)
    np.testing.assert_allclose(tab["statistic"], [1.848, -3.065], atol=5e-4)
    np.testing.assert_allclose(tab["pvalue"], [0.06459, 0.00218], atol=5e-6)
    np.testing.assert_allclose(tab["hr_ci_low"], [0.9990, 0.4311], atol=5e-5)
    np.testing.assert_allclose(tab["hr_ci_high"], [1.0357, 0.8311], atol=5e-5)
    assert round(fit.likelihood_ratio_test.statistic, 2) == 14.12
    assert round(fit.wald_test.statistic, 2) == 13.47
    assert round(fit.score_test.statistic, 2) == 13.72
    assert fit.likelihood_ratio_test.df == 2
    assert fit.likelihood_ratio_test.pvalue == pytest.approx(9e-4, abs=5e-5)  # R: p=9e-04
    assert round(fit.concordance, 3) == 0.603
    assert (fit.n, fit.n_events) == (228, 165)
    assert fit.converged


def test_lung_sex_only_matches_r_summary(lung):
    # R: summary(coxph(Surv(time, status) ~ sex, data = lung)) (printed in many tutorials):
    #        coef exp(coef) se(coef)      z Pr(>|z|)
    # sex -0.5310    0.5880   0.1672 -3.176  0.00149;  lower .95 0.4237, upper .95 0.816
    # Likelihood ratio test= 10.63, p=0.001111; Wald test = 10.09, p=0.001491;
    # Score (logrank) test = 10.33, p=0.001312
    fit = cox_regression(lung["time"], lung["status"], lung["sex"])
    row = fit.coefficients.loc["sex"]
    assert row["estimate"] == pytest.approx(-0.5310, abs=5e-5)
    assert row["hazard_ratio"] == pytest.approx(0.5880, abs=5e-5)
    assert row["std_error"] == pytest.approx(0.1672, abs=5e-5)
    assert row["statistic"] == pytest.approx(-3.176, abs=5e-4)
    assert row["hr_ci_low"] == pytest.approx(0.4237, abs=5e-5)
    assert row["hr_ci_high"] == pytest.approx(0.816, abs=5e-4)
    assert fit.likelihood_ratio_test.statistic == pytest.approx(10.63, abs=5e-3)
    assert fit.likelihood_ratio_test.pvalue == pytest.approx(0.001111, abs=5e-7)
    assert fit.wald_test.statistic == pytest.approx(10.09, abs=5e-3)
    assert fit.score_test.statistic == pytest.approx(10.33, abs=5e-3)
    assert fit.score_test.pvalue == pytest.approx(0.001312, abs=5e-7)


def test_lung_with_missing_covariate_omit_matches_r(lung):
    # R: coxph(Surv(time, status) ~ ph.ecog + age, lung)   (survival-Ex.Rout.save, pspline)
    #             coef exp(coef) se(coef)     z        p
    # ph.ecog 0.443485  1.558128 0.115831 3.829 0.000129
    # age     0.011281  1.011345 0.009319 1.211 0.226082
    # Likelihood ratio test=19.06 on 2 df, p=7.279e-05; n= 227, number of events= 164
    with pytest.raises(ValueError, match=r"`X` has 1 NaN value; pass nan_policy='omit'"):
        cox_regression(lung["time"], lung["status"], lung[["ph_ecog", "age"]])
    fit = cox_regression(lung["time"], lung["status"], lung[["ph_ecog", "age"]], nan_policy="omit")
    np.testing.assert_allclose(fit.coefficients["estimate"], [0.443485, 0.011281], atol=5e-7)
    np.testing.assert_allclose(fit.coefficients["hazard_ratio"], [1.558128, 1.011345], atol=5e-7)
    np.testing.assert_allclose(fit.coefficients["std_error"], [0.115831, 0.009319], atol=5e-7)
    np.testing.assert_allclose(fit.coefficients["pvalue"], [0.000129, 0.226082], atol=5e-7)
    assert round(fit.likelihood_ratio_test.statistic, 2) == 19.06
    assert fit.likelihood_ratio_test.pvalue == pytest.approx(7.279e-05, rel=1e-3)
    assert (fit.n, fit.n_events) == (227, 164)
    assert fit.details["n_dropped"] == 1


# --------------------------------------------------------------------------- R: ovarian
@pytest.mark.parametrize(
    ("cols", "coef", "se", "lr"),
    [
        # survival tests/ovarian.Rout.save, coxph(Surv(futime, fustat) ~ ..., ovarian)
        (["age"], [0.16162], [0.04974], 14.29),
        (["resid_ds"], [1.2092], [0.6724], 3.76),
        (["rx"], [-0.5964], [0.5870], 1.05),
        (["ecog_ps"], [0.3984], [0.5864], 0.47),
        (["resid_ds", "rx", "ecog_ps"], [1.3466, -0.7493, 0.4528], [0.6803, 0.5949, 0.5903], 6.03),
        (["age", "rx", "ecog_ps"], [0.1470, -0.8146, 0.1032], [0.0463, 0.6342, 0.6064], 15.92),
        (
            ["age", "resid_ds", "ecog_ps"],
            [0.14240, 0.66261, 0.16634],
            [0.05196, 0.75045, 0.61486],
            15.1,
        ),
        (["age", "resid_ds", "rx"], [0.1285, 0.6964, -0.8489], [0.0473, 0.7585, 0.6392], 16.77),
    ],
)
def test_ovarian_models_match_r(ovarian, cols, coef, se, lr):
    fit = cox_regression(ovarian["futime"], ovarian["fustat"], ovarian[cols])
    # R prints 4-5 significant digits: compare to half a unit of the last printed digit
    digits = [len(f"{abs(c):.10g}".split(".")[1]) for c in coef]
    for j, d in enumerate(digits):
        assert fit.coefficients["estimate"].iloc[j] == pytest.approx(coef[j], abs=0.51 * 10**-d)
    sdig = [len(f"{s:.10g}".split(".")[1]) for s in se]
    for j, d in enumerate(sdig):
        assert fit.coefficients["std_error"].iloc[j] == pytest.approx(se[j], abs=0.51 * 10**-d)
    ld = len(f"{lr:g}".split(".")[1])
    assert fit.likelihood_ratio_test.statistic == pytest.approx(lr, abs=0.51 * 10**-ld)
    assert (fit.n, fit.n_events) == (26, 12)


def test_ovarian_stratified_model_summary_matches_r(ovarian):
    # R: summary(coxph(Surv(futime, fustat) ~ age + ecog.ps + strata(rx), ovarian))
    #    (survival tests/ovarian.Rout.save)
    #             coef exp(coef) se(coef)      z Pr(>|z|)
    # age      0.13853   1.14858  0.04801  2.885  0.00391
    # ecog.ps -0.09670   0.90783  0.62994 -0.154  0.87800
    #         exp(coef) exp(-coef) lower .95 upper .95
    # age        1.1486     0.8706    1.0454     1.262
    # ecog.ps    0.9078     1.1015    0.2641     3.120
    # Concordance= 0.819; LR 12.71, Wald 8.43, Score 12.24 on 2 df
    fit = cox_regression(
        ovarian["futime"], ovarian["fustat"], ovarian[["age", "ecog_ps"]], strata=ovarian["rx"]
    )
    tab = fit.coefficients
    np.testing.assert_allclose(tab["estimate"], [0.13853, -0.09670], atol=5e-6)
    np.testing.assert_allclose(tab["std_error"], [0.04801, 0.62994], atol=5e-6)
    np.testing.assert_allclose(tab["pvalue"], [0.00391, 0.87800], atol=5e-6)
    np.testing.assert_allclose(tab["hr_ci_low"], [1.0454, 0.2641], atol=5e-5)
    np.testing.assert_allclose(tab["hr_ci_high"], [1.262, 3.120], atol=5e-4)
    assert round(fit.concordance, 3) == 0.819
    assert round(fit.likelihood_ratio_test.statistic, 2) == 12.71
    assert round(fit.wald_test.statistic, 2) == 8.43
    assert round(fit.score_test.statistic, 2) == 12.24
    assert fit.strata == (1.0, 2.0)


def test_ovarian_one_covariate_stratified_matches_r(ovarian):
    # R: coxph(Surv(futime, fustat) ~ age + strata(rx), data=ovarian)  (survival-Ex.Rout.save)
    #        coef exp(coef) se(coef)     z       p
    # age 0.13735   1.14723  0.04741 2.897 0.00376;  Likelihood ratio test=12.69, p=0.0003678
    fit = cox_regression(ovarian["futime"], ovarian["fustat"], ovarian["age"], strata=ovarian["rx"])
    assert fit.coefficients.index.tolist() == ["age"]  # the Series name
    assert fit.coefficients["estimate"].iloc[0] == pytest.approx(0.13735, abs=5e-6)
    assert fit.coefficients["hazard_ratio"].iloc[0] == pytest.approx(1.14723, abs=5e-6)
    assert fit.coefficients["std_error"].iloc[0] == pytest.approx(0.04741, abs=5e-6)
    assert fit.likelihood_ratio_test.pvalue == pytest.approx(0.0003678, abs=5e-8)


def test_ovarian_stratified_baseline_at_means_matches_summary_survfit(ovarian):
    # R: summary(survfit(fit)) for fit above: the curve at the means (age 56.17, ecog.ps 1.46),
    #    per stratum (survival tests/ovarian.Rout.save)
    fit = cox_regression(
        ovarian["futime"], ovarian["fustat"], ovarian[["age", "ecog_ps"]], strata=ovarian["rx"]
    )
    base = fit.baseline_survival(at="mean")
    ev = base[base["n_event"] > 0]
    rx1 = ev[ev["stratum"] == 1.0]
    np.testing.assert_array_equal(rx1["time"], [59, 115, 156, 268, 329, 431, 638])
    np.testing.assert_array_equal(rx1["n_risk"], [13, 12, 11, 10, 9, 8, 5])
    np.testing.assert_allclose(
        rx1["survival"], [0.978, 0.951, 0.910, 0.862, 0.737, 0.627, 0.333], atol=5e-4
    )
    rx2 = ev[ev["stratum"] == 2.0]
    np.testing.assert_array_equal(rx2["time"], [353, 365, 464, 475, 563])
    np.testing.assert_array_equal(rx2["n_risk"], [13, 12, 9, 8, 7])
    np.testing.assert_allclose(rx2["survival"], [0.943, 0.880, 0.789, 0.697, 0.597], atol=5e-4)
    # the full table has every observed time, censored ones included (survfit's default)
    assert len(base) == 26 and base["n_censor"].sum() == 14
    assert list(base.columns) == [
        "stratum", "time", "n_risk", "n_event", "n_censor", "cumulative_hazard", "survival"
    ]  # fmt: skip


def test_ovarian_predicted_survival_matches_survfit_newdata(ovarian):
    # R: summary(survfit(fit, list(age=c(30,70), ecog.ps=c(2,3)))) (survival tests/ovarian.Rout)
    fit = cox_regression(
        ovarian["futime"], ovarian["fustat"], ovarian[["age", "ecog_ps"]], strata=ovarian["rx"]
    )
    new = pd.DataFrame({"age": [30, 70], "ecog_ps": [2, 3]}, index=["young", "old"])
    s1 = fit.predict_survival(new, [59, 115, 156, 268, 329, 431, 638], strata=[1, 1])
    assert list(s1.columns) == ["young", "old"]
    np.testing.assert_allclose(
        s1["young"], [0.999, 0.999, 0.998, 0.996, 0.992, 0.988, 0.973], atol=5e-4
    )
    np.testing.assert_allclose(
        s1["old"], [0.87905, 0.74575, 0.57398, 0.41764, 0.16673, 0.06489, 0.00161], atol=5e-6
    )
    s2 = fit.predict_survival(new, [353, 365, 464, 475, 563], strata=[2, 2])
    np.testing.assert_allclose(s2["young"], [0.999, 0.997, 0.994, 0.991, 0.987], atol=5e-4)
    np.testing.assert_allclose(s2["old"], [0.7092, 0.4738, 0.2494, 0.1207, 0.0489], atol=5e-5)
    # between event times the curve is flat; before the first event it is 1
    s = fit.predict_survival(new, [1, 60, 114.9], strata=[1, 1])
    np.testing.assert_allclose(s.iloc[0], 1.0)
    np.testing.assert_allclose(s.iloc[1], s1.iloc[0])
    np.testing.assert_allclose(s.iloc[2], s1.iloc[0])


def test_ovarian_score_and_schoenfeld_residuals_match_r(ovarian):
    # R: fit <- coxph(Surv(futime, fustat) ~ age + resid.ds + rx + ecog.ps, ovarian);
    #    resid(fit, 'scor') rows 1, 2, 23 and resid(fit, 'scho') first three death times
    #    (survival tests/ovarian.Rout.save). The score residuals define the robust variance.
    cols = ["age", "resid_ds", "rx", "ecog_ps"]
    fit = cox_regression(ovarian["futime"], ovarian["fustat"], ovarian[cols], robust=True)
    rs = fit._risk
    pc = rs.pieces(rs.X, fit.params.to_numpy())
    L = np.empty((26, 4))
    L[rs.order] = rs.score_residuals(rs.X, pc)
    np.testing.assert_allclose(
        L[[0, 1, 22]],
        [
            [2.26503249, 0.05686357, -0.10565379, -0.42661688],
            [3.02525428, 0.04641312, -0.08623662, -0.34821275],
            [-14.86623758, 0.28137017, -0.52279208, -0.43881151],
        ],
        atol=5e-8,
    )
    sch, idx = rs.schoenfeld(rs.X, pc)
    sch = sch[np.argsort(rs.time[idx])]
    np.testing.assert_allclose(
        sch[:3],
        [
            [2.69315603, 0.06761160, -0.1256239, -0.5072536],
            [5.36390105, 0.08039116, -0.1493686, -0.6031318],
            [-0.89877512, 0.10683985, -0.1985108, 0.1984379],
        ],
        atol=5e-7,
    )
    # robust covariance = V (sum L L') V with V the inverse information (Lin & Wei 1989)
    V = fit.naive_covariance.to_numpy()
    Dfb = L @ V
    np.testing.assert_allclose(fit.covariance.to_numpy(), Dfb.T @ Dfb, rtol=1e-10)
    np.testing.assert_allclose(fit.coefficients["robust_std_error"], np.sqrt(np.diag(Dfb.T @ Dfb)))
    np.testing.assert_allclose(fit.coefficients["naive_std_error"], np.sqrt(np.diag(V)))
    np.testing.assert_allclose(fit.coefficients["std_error"], fit.coefficients["robust_std_error"])


# --------------------------------------------------------------------------- closed forms
def _byhand_breslow(beta: float) -> dict:
    """survival tests/book1.R `byhand1` (Therneau & Grambsch appendix, Breslow, test1)."""
    r = math.exp(beta)
    a, b = 3 * (r + 1) ** 2, (r + 3) ** 2
    return {
        "loglik": 2 * beta - (math.log(3 * r + 3) + 2 * math.log(r + 3)),
        "u": (6 + 3 * r - r**2) / ((r + 1) * (r + 3)),
        "imat": r / (r + 1) ** 2 + 6 * r / (r + 3) ** 2,
        "haz": np.array([1 / (3 * r + 3), 2 / (r + 3), 0.0, 1.0]),  # times 1, 6, 8, 9
        "score": np.array(
            [
                (2 * r + 3) / a,
                -r / a,
                -r / a + 3 * (3 - r) / b,
                r / a - r * (r + 1) / b,
                r / a + 2 * r / b,
                r / a + 2 * r / b,
            ]
        ),
    }


def _byhand_efron(beta: float) -> dict:
    """survival tests/book2.R `byhand` (Therneau & Grambsch appendix, Efron, test1)."""
    r = math.exp(beta)

    def tfun(x):
        return x - x**2

    wt = (
        np.array(
            [[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [0, 0, 0.5, 0.5, 1, 1], [0, 0, 0, 0, 0, 1]]
        ).T
        * np.array([r, r, r, 1, 1, 1])[:, None]
    )
    a, b, d = r + 1, r + 3, r + 5
    tail = 2 * r * (177 + r * (282 + r * (182 + r * (50 + 5 * r)))) / (3 * (a * b * d) ** 2)
    return {
        "loglik": 2 * beta - (math.log(3 * r + 3) + math.log((r + 5) / 2) + math.log(r + 3)),
        "u": (30 + 23 * r - r**3) / ((r + 1) * (r + 3) * (r + 5)),
        "imat": tfun(r / (r + 1)) + tfun(r / (r + 5)) + tfun(r / (r + 3)),
        "haz": 1 / wt.sum(axis=0),  # times 1, 6, 6 (second death), 9
        "score": np.array(
            [
                (2 * r + 3) / (3 * a**2),
                -r / (3 * a**2),
                (675 + r * (1305 + r * (756 + r * (-4 + r * (-79 - 13 * r)))))
                / (3 * (a * b * d) ** 2),
                r * (1 / (3 * a**2) - a / (2 * b**2) - b / (2 * d**2)),
                tail,
                tail,
            ]
        ),
    }


def test_breslow_closed_form_test1():
    # MLE log(1.5 + sqrt(33)/2) (book1.R); loglik, information, score residuals, baseline
    fit = _fit_test1("breslow")
    beta = math.log(1.5 + math.sqrt(33) / 2)
    truth, truth0 = _byhand_breslow(beta), _byhand_breslow(0.0)
    assert fit.params["x"] == pytest.approx(beta, rel=1e-8)
    assert fit.loglik == pytest.approx(truth["loglik"], rel=1e-10)
    assert fit.loglik_null == pytest.approx(truth0["loglik"], rel=1e-12)
    assert fit.naive_covariance.iloc[0, 0] == pytest.approx(1 / truth["imat"], rel=1e-7)
    assert fit.score_test.statistic == pytest.approx(truth0["u"] ** 2 / truth0["imat"], rel=1e-12)
    assert fit.details["n_dropped"] == 1 and fit.n == 6 and fit.n_events == 4
    # robust variance without clusters: V^2 sum(score residuals^2)
    rob = _fit_test1("breslow", robust=True)
    expected = (1 / truth["imat"]) ** 2 * np.sum(truth["score"] ** 2)
    assert rob.covariance.iloc[0, 0] == pytest.approx(expected, rel=1e-6)
    assert rob.n_clusters == 6
    # baseline (x = 0): survfit(fit, list(x=0)): cumulative hazard cumsum(haz) at 1, 6, 8, 9
    base = fit.baseline_survival()
    np.testing.assert_array_equal(base["time"], [1, 6, 8, 9])
    np.testing.assert_allclose(base["cumulative_hazard"], np.cumsum(truth["haz"]), rtol=1e-7)
    np.testing.assert_allclose(base["survival"], np.exp(-np.cumsum(truth["haz"])), rtol=1e-7)
    np.testing.assert_array_equal(base["n_risk"], [6, 4, 2, 1])


def test_efron_closed_form_test1():
    # MLE log(2 sqrt(23/3) cos(acos(45/23 sqrt(3/23))/3)) (book2.R; R: round(coef, 6) 1.676857)
    fit = _fit_test1("efron")
    beta = math.log(math.cos(math.acos((45 / 23) * math.sqrt(3 / 23)) / 3) * 2 * math.sqrt(23 / 3))
    assert beta == pytest.approx(1.676857, abs=5e-7)
    truth, truth0 = _byhand_efron(beta), _byhand_efron(0.0)
    assert fit.params["x"] == pytest.approx(beta, rel=1e-8)
    assert fit.loglik == pytest.approx(truth["loglik"], rel=1e-10)
    assert fit.loglik_null == pytest.approx(truth0["loglik"], rel=1e-12)
    assert fit.naive_covariance.iloc[0, 0] == pytest.approx(1 / truth["imat"], rel=1e-7)
    assert fit.score_test.statistic == pytest.approx(truth0["u"] ** 2 / truth0["imat"], rel=1e-12)
    rob = _fit_test1("efron", robust=True)
    expected = (1 / truth["imat"]) ** 2 * np.sum(truth["score"] ** 2)
    assert rob.covariance.iloc[0, 0] == pytest.approx(expected, rel=1e-6)
    # Efron baseline: the second death at t=6 gets half the first's weight (book2 `haz`)
    base = fit.baseline_survival()
    cum = np.cumsum(truth["haz"])
    np.testing.assert_allclose(base["cumulative_hazard"], cum[[0, 2, 2, 3]], rtol=1e-7)
    np.testing.assert_array_equal(base["n_event"], [1, 2, 0, 1])


def test_efron_score_residuals_closed_form_at_zero():
    # The Efron score residuals at beta = 0 (book2.R truth0$score) are the robust score test's
    rob = _fit_test1("efron", robust=True)
    truth0 = _byhand_efron(0.0)
    rs = rob._risk
    pc = rs.pieces(rs.X, np.zeros(1))
    L = np.empty(6)
    L[rs.order] = rs.score_residuals(rs.X, pc)[:, 0]
    np.testing.assert_allclose(L[BYHAND_ROWS], truth0["score"], rtol=1e-12)
    assert rob.robust_score_test is not None
    expected = np.sum(truth0["score"]) ** 2 / np.sum(truth0["score"] ** 2)
    assert rob.robust_score_test.statistic == pytest.approx(expected, rel=1e-10)


def test_stratified_toy_matches_r_example():
    # R: coxph(Surv(time, status) ~ x + strata(sex), test1)   (survival-Ex.Rout.save, ?coxph)
    #     coef exp(coef) se(coef)     z     p
    # x 0.8023    2.2307   0.8224 0.976 0.329;  Likelihood ratio test=1.09 on 1 df, p=0.2971
    fit = cox_regression(
        [4, 3, 1, 1, 2, 2, 3],
        [1, 1, 1, 0, 1, 1, 0],
        [0, 2, 1, 1, 1, 0, 0],
        strata=[0, 0, 0, 0, 1, 1, 1],
    )
    assert fit.coefficients.index.tolist() == ["x0"]
    assert fit.params["x0"] == pytest.approx(0.8023, abs=5e-5)
    assert fit.hazard_ratios["x0"] == pytest.approx(2.2307, abs=5e-5)
    assert fit.coefficients["std_error"].iloc[0] == pytest.approx(0.8224, abs=5e-5)
    assert fit.coefficients["pvalue"].iloc[0] == pytest.approx(0.329, abs=5e-4)
    assert fit.likelihood_ratio_test.pvalue == pytest.approx(0.2971, abs=5e-5)


# --------------------------------------------------------------------------- cox.zph
def _sctest(U, imat, g):
    u2 = np.array([np.sum(U), np.sum(g * U)])
    i2 = np.array([[np.sum(imat), np.sum(g * imat)], [np.sum(g * imat), np.sum(g**2 * imat)]])
    return float(u2 @ np.linalg.solve(i2, u2))


def test_zph_closed_forms_breslow_identity_and_efron_log():
    # survival tests/zph.R: cox.zph's table equals the score test computed by hand
    g = np.array([1.0, 6, 6, 9])  # death times of test1
    r = (3 + math.sqrt(33)) / 2
    U = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 3), 0])
    imat = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 3 * r / (r + 3) ** 2, 0])
    zp1 = proportional_hazards_test(_fit_test1("breslow"), transform="identity")
    assert zp1.table.loc["x", "chisq"] == pytest.approx(_sctest(U, imat, g), rel=1e-6)
    g3 = np.log(g) - np.log(g).mean()
    zp3 = proportional_hazards_test(_fit_test1("breslow"), transform="log")
    assert zp3.table.loc["x", "chisq"] == pytest.approx(_sctest(U, imat, g3), rel=1e-6)

    phi = math.acos((45 / 23) * math.sqrt(3 / 23))
    r = 2 * math.sqrt(23 / 3) * math.cos(phi / 3)
    U = np.array([1 / (r + 1), 3 / (r + 3), -r / (r + 5), 0])
    imat = np.array([r / (r + 1) ** 2, 3 * r / (r + 3) ** 2, 5 * r / (r + 5) ** 2, 0])
    sct4 = _sctest(U, imat, g3)
    zp4 = proportional_hazards_test(_fit_test1("efron"), transform="log")
    assert zp4.table.loc["x", "chisq"] == pytest.approx(sct4, rel=1e-6)
    # one covariate: GLOBAL is the same test
    assert zp4.table.loc["GLOBAL", "chisq"] == pytest.approx(sct4, rel=1e-6)

    # artificial stratification (zph.R fit6): two copies as two strata double the statistic
    d = TEST1.dropna()
    d2 = pd.concat([d, d], ignore_index=True)
    fit6 = cox_regression(d2["time"], d2["status"], d2[["x"]], strata=np.repeat(["a", "b"], len(d)))
    assert fit6.params["x"] == pytest.approx(math.log(r), rel=1e-7)
    zp6 = proportional_hazards_test(fit6, transform="log")
    assert zp6.table.loc["x", "chisq"] == pytest.approx(2 * sct4, rel=1e-6)


def test_zph_ovarian_documented_example(ovarian):
    # R: cox.zph(coxph(Surv(futime, fustat) ~ age + ecog.ps, data=ovarian))
    #    (survival tests/Examples/survival-Ex.Rout.save, example of cox.zph)
    #         chisq df    p
    # age     0.698  1 0.40
    # ecog.ps 2.371  1 0.12
    # GLOBAL  3.633  2 0.16
    fit = cox_regression(ovarian["futime"], ovarian["fustat"], ovarian[["age", "ecog_ps"]])
    zph = proportional_hazards_test(fit)
    assert isinstance(zph, ProportionalHazardsTest)
    assert list(zph.table.index) == ["age", "ecog_ps", "GLOBAL"]
    assert list(zph.table.columns) == ["chisq", "df", "p"]
    np.testing.assert_allclose(zph.table["chisq"], [0.698, 2.371, 3.633], atol=5e-4)
    np.testing.assert_array_equal(zph.table["df"], [1, 1, 2])
    np.testing.assert_allclose(zph.table["p"], [0.40, 0.12, 0.16], atol=5e-3)
    assert zph.global_test.statistic == pytest.approx(zph.table.loc["GLOBAL", "chisq"])
    assert zph.global_test.df == 2
    # one scaled Schoenfeld residual per death, times increasing, x = 1 - KM(t-) increasing
    assert zph.residuals.shape == (12, 2)
    assert np.all(np.diff(zph.time) >= 0) and np.all(np.diff(zph.x) >= 0)


def _zph_brute_force(time, status, X, beta, ties, g_of_t):
    """Score test of beta_j(t) = beta_j + theta_j g(t), by an explicit loop over death times.

    An independent re-derivation (zph.R `direct()`): at each death time the score and the
    information of the Cox model (Efron or Breslow), then the tests of cox.zph.
    """
    p = X.shape[1]
    X = X - X.mean(axis=0)
    r = np.exp(X @ beta)
    dead_times = np.unique(time[status == 1])
    gv = g_of_t(time)
    gbar = gv[status == 1].mean()
    U2 = np.zeros(p)
    info = np.zeros((2 * p, 2 * p))
    for tt in dead_times:
        risk = time >= tt
        dead = risk & (time == tt) & (status == 1)
        dn = int(dead.sum())
        gt = gv[time == tt][0] - gbar
        for k in range(dn):
            f = k / dn if ties == "efron" else 0.0
            w = r * (risk - f * dead)
            s0 = w.sum()
            xb = (w @ X) / s0
            V = (X * w[:, None]).T @ X / s0 - np.outer(xb, xb)
            U2 -= gt * xb
            info[:p, :p] += V
            info[:p, p:] += gt * V
            info[p:, :p] += gt * V
            info[p:, p:] += gt**2 * V
        U2 += gt * X[dead].sum(axis=0)
    out = []
    for j in range(p):
        kk = [*range(p), p + j]
        u = np.zeros(p + 1)
        u[-1] = U2[j]
        out.append(u @ np.linalg.solve(info[np.ix_(kk, kk)], u))
    u = np.r_[np.zeros(p), U2]
    out.append(u @ np.linalg.solve(info, u))
    return np.array(out)


def _km_left(time, status):
    uniq = np.unique(time)
    at_risk = np.array([(time >= u).sum() for u in uniq])
    d = np.array([((time == u) & (status == 1)).sum() for u in uniq])
    s = np.cumprod(1 - d / at_risk)
    return lambda t: np.array([1 - (s[uniq < v][-1] if np.any(uniq < v) else 1.0) for v in t])


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("transform", ["km", "rank", "identity"])
def test_zph_matches_brute_force_score_test_on_lung(lung, ties, transform):
    d = lung[["time", "status", "age", "sex", "ph_ecog"]].dropna()
    fit = cox_regression(d["time"], d["status"], d[["age", "sex", "ph_ecog"]], ties=ties)
    zph = proportional_hazards_test(fit, transform=transform)
    t = d["time"].to_numpy(float)
    st = d["status"].to_numpy()
    from scipy.stats import rankdata

    g = {"km": _km_left(t, st), "rank": rankdata, "identity": lambda v: v}[transform]
    expected = _zph_brute_force(
        t, st, d[["age", "sex", "ph_ecog"]].to_numpy(float), fit.params.to_numpy(), ties, g
    )
    np.testing.assert_allclose(zph.table["chisq"], expected, rtol=1e-8)


def test_zph_lung_age_sex_values(lung):
    # R: cox.zph(coxph(Surv(time, status) ~ age + sex, lung)) with survival >= 3.0, as
    # rendered in an R package's reference page (example output of a wrapper around cox.zph):
    #        chisq df    p
    # age    0.209  1 0.65
    # sex    2.608  1 0.11
    # GLOBAL 2.771  2 0.25
    # (the brute-force test above checks the computation itself)
    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    zph = proportional_hazards_test(fit)
    np.testing.assert_allclose(zph.table["chisq"], [0.209, 2.608, 2.771], atol=5e-4)
    np.testing.assert_allclose(zph.table["p"], [0.65, 0.11, 0.25], atol=5e-3)


def test_zph_scaled_schoenfeld_residuals_definition(ovarian):
    # R's $y: Schoenfeld residuals times n_events * I^{-1}, plus beta; their weighted
    # average over deaths is beta (the Schoenfeld residuals sum to the score, 0 at the MLE)
    fit = cox_regression(ovarian["futime"], ovarian["fustat"], ovarian[["age", "ecog_ps"]])
    zph = proportional_hazards_test(fit, transform="identity")
    np.testing.assert_allclose(zph.residuals.mean(axis=0), fit.params, rtol=1e-6)
    rs = fit._risk
    sch, idx = rs.schoenfeld(rs.X, rs.pieces(rs.X, fit.params.to_numpy()))
    order = np.argsort(rs.time[idx], kind="stable")
    V = fit.naive_covariance.to_numpy()
    np.testing.assert_allclose(
        zph.residuals.to_numpy(), 12 * sch[order] @ V + fit.params.to_numpy()
    )
    np.testing.assert_allclose(zph.variance, np.linalg.inv(np.linalg.inv(V) / 12))
    np.testing.assert_array_equal(zph.x, zph.time)


# --------------------------------------------------------------------------- statsmodels oracle
@pytest.mark.parametrize("ties", ["breslow", "efron"])
def test_against_statsmodels_phreg(lung, ties):
    from statsmodels.duration.hazard_regression import PHReg

    cols = ["age", "sex", "ph_ecog", "wt_loss"]
    d = lung[["time", "status", *cols]].dropna()
    fit = cox_regression(lung["time"], lung["status"], lung[cols], ties=ties, nan_policy="omit")
    sm = PHReg(d["time"], d[cols], status=d["status"], ties=ties).fit()
    np.testing.assert_allclose(fit.params, sm.params, rtol=1e-6)
    np.testing.assert_allclose(fit.coefficients["std_error"], sm.bse, rtol=1e-6)
    assert fit.loglik == pytest.approx(sm.llf, rel=1e-10)
    assert fit.n == len(d) == 213


def test_stratified_against_statsmodels_phreg(lung):
    from statsmodels.duration.hazard_regression import PHReg

    d = lung[["time", "status", "age", "ph_ecog", "inst"]].dropna()
    fit = cox_regression(d["time"], d["status"], d[["age", "ph_ecog"]], strata=d["inst"])
    sm = PHReg(
        d["time"], d[["age", "ph_ecog"]], status=d["status"], strata=d["inst"], ties="efron"
    ).fit()
    np.testing.assert_allclose(fit.params, sm.params, rtol=1e-6)
    np.testing.assert_allclose(fit.coefficients["std_error"], sm.bse, rtol=1e-6)
    assert fit.loglik == pytest.approx(sm.llf, rel=1e-10)
    assert len(fit.strata) == d["inst"].nunique()


def test_cluster_robust_against_statsmodels(lung):
    # statsmodels' robust covariance sums Breslow score residuals within groups (Lin & Wei)
    from statsmodels.duration.hazard_regression import PHReg

    d = lung[["time", "status", "age", "sex", "inst"]].dropna()
    fit = cox_regression(
        d["time"], d["status"], d[["age", "sex"]], ties="breslow", cluster=d["inst"]
    )
    sm = PHReg(d["time"], d[["age", "sex"]], status=d["status"], ties="breslow").fit(
        groups=d["inst"].to_numpy()
    )
    assert fit.robust and fit.n_clusters == d["inst"].nunique()
    np.testing.assert_allclose(fit.covariance.to_numpy(), sm.cov_params(), rtol=1e-6)
    np.testing.assert_allclose(fit.coefficients["std_error"], sm.bse, rtol=1e-6)
    assert fit.wald_test.method == "Wald test (robust covariance)"


def test_baseline_hazard_against_statsmodels(lung):
    # statsmodels' Breslow baseline (at x = 0) is lagged by one event time (cumsum(h) - h)
    from statsmodels.duration.hazard_regression import PHReg

    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], ties="breslow")
    sm = PHReg(lung["time"], lung[["age", "sex"]], status=lung["status"], ties="breslow").fit()
    times, cumhaz, _ = sm.baseline_cumulative_hazard[0]
    base = fit.baseline_survival(at="zero")
    ev = base[base["n_event"] > 0]
    np.testing.assert_array_equal(ev["time"], times)
    np.testing.assert_allclose(ev["cumulative_hazard"].to_numpy()[:-1], cumhaz[1:], rtol=1e-6)
    # at='mean': the cumulative hazard of the average subject, Lambda_0(t) exp(mean'beta)
    m = fit.baseline_survival(at="mean")
    factor = math.exp(float(fit.means @ fit.params))
    np.testing.assert_allclose(m["cumulative_hazard"], base["cumulative_hazard"] * factor)


def test_predict_survival_at_zero_is_the_baseline(lung):
    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    base = fit.baseline_survival(at="zero")
    pred = fit.predict_survival(np.zeros(2), base["time"])
    np.testing.assert_allclose(pred[0].to_numpy(), base["survival"].to_numpy(), rtol=1e-12)
    # S(t | x) = S0(t) ** exp(x'beta)
    x = np.array([[60.0, 1.0], [70.0, 2.0]])
    pred = fit.predict_survival(x, [100, 365, 700])
    s0 = fit.predict_survival(np.zeros((1, 2)), [100, 365, 700])[0].to_numpy()
    lp = x @ fit.params.to_numpy()
    np.testing.assert_allclose(pred.to_numpy(), s0[:, None] ** np.exp(lp)[None, :], rtol=1e-10)


# --------------------------------------------------------------------------- concordance
def _allpair(x, time, status):
    """survival tests/concordance.R `allpair` (brute force, R's reverse=FALSE convention)."""
    conc = disc = tx = ty = 0.0
    for i in np.flatnonzero(status == 1):
        atrisk = (time > time[i]) | ((time == time[i]) & (status == 0))
        sg = np.sign(x[i] - x[atrisk])
        conc += np.sum(sg == 1)
        disc += np.sum(sg == -1)
        tx += np.sum(sg == 0)
        ty += (np.sum((time == time[i]) & (status == 1)) - 1) / 2
    return conc, disc, tx, ty


def test_concordance_counts_match_r():
    # survival tests/concordance.R: aml Maintained with x = c(1,6,2,7,3,7,3,8,4,4,5):
    # concordance(Surv(time, status) ~ x)$count[1:4] == c(24, 14, 2, 0) (reverse = FALSE, so
    # the risk score is -x here)
    time = np.array([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161.0])
    status = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
    x = np.array([1, 6, 2, 7, 3, 7, 3, 8, 4, 4, 5.0])
    c = concordance_counts(time, status, -x)
    assert (c["concordant"], c["discordant"], c["tied_x"], c["tied_y"]) == (24, 14, 2, 0)


def test_concordance_counts_lung_ph_ecog_match_r(lung):
    # concordance(Surv(time, status) ~ ph.ecog, lung, reverse=TRUE)$count[1:5]
    #   == c(8392, 4258, 7137, 21, 7)  (concordant, discordant, tied.x, tied.y, tied.xy;
    #   survival tests/concordance.R). Our tied_y counts all tied death pairs: 21 + 7.
    d = lung[["time", "status", "ph_ecog"]].dropna()
    c = concordance_counts(
        d["time"].to_numpy(float), d["status"].to_numpy(), d["ph_ecog"].to_numpy(float)
    )
    assert (c["concordant"], c["discordant"], c["tied_x"], c["tied_y"]) == (8392, 4258, 7137, 28)
    # a one-covariate Cox model has the same C (a positive coefficient keeps the order)
    fit = cox_regression(d["time"], d["status"], d[["ph_ecog"]])
    assert fit.concordance == pytest.approx((8392 + 7137 / 2) / (8392 + 4258 + 7137))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_concordance_counts_against_brute_force_with_ties_and_strata(seed):
    rng = np.random.default_rng(seed)
    n = 157
    time = rng.integers(1, 25, n).astype(float)  # many tied times
    status = rng.integers(0, 2, n)
    x = rng.integers(0, 6, n).astype(float)  # many tied scores
    strata = rng.integers(0, 3, n)
    c = concordance_counts(time, status, x, strata)
    tot = np.zeros(4)
    for s in range(3):
        m = strata == s
        tot += np.array(_allpair(x[m], time[m], status[m]))
    assert (c["concordant"], c["discordant"], c["tied_x"], c["tied_y"]) == tuple(tot)


# --------------------------------------------------------------------------- monotone likelihood
def test_monotone_likelihood_warns_like_r():
    # x = 1 for the three earliest deaths: the partial likelihood increases without bound in
    # beta; R: "Loglik converged before variable 1; coefficient may be infinite."
    time = [1, 2, 3, 4, 5, 6, 7, 8]
    event = [1, 1, 1, 1, 1, 0, 1, 0]
    x = [1, 1, 1, 0, 0, 0, 0, 0]
    with pytest.warns(RuntimeWarning, match=r"x0; coefficient may be infinite"):
        fit = cox_regression(time, event, x)
    assert fit.params["x0"] > 5  # large, and the likelihood ratio test is still valid
    assert fit.likelihood_ratio_test.pvalue < 0.05


def test_no_warning_for_a_regular_fit(lung, recwarn):
    cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_not_converged_warns(lung):
    with pytest.warns(RuntimeWarning, match="did not converge in 1 iterations"):
        fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], max_iter=1)
    assert not fit.converged and fit.iterations == 1


# --------------------------------------------------------------------------- properties
def test_invariant_to_row_order_and_input_types(lung):
    rng = np.random.default_rng(3)
    perm = rng.permutation(len(lung))
    a = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    d = lung.iloc[perm]
    b = cox_regression(
        d["time"].to_list(),
        d["status"].astype(bool).to_numpy(),
        d[["age", "sex"]].to_numpy(),
    )
    np.testing.assert_allclose(a.params.to_numpy(), b.params.to_numpy(), rtol=1e-10)
    assert list(b.coefficients.index) == ["x0", "x1"]
    assert a.concordance == pytest.approx(b.concordance)
    za = proportional_hazards_test(a).table
    zb = proportional_hazards_test(b).table
    np.testing.assert_allclose(za.to_numpy(), zb.to_numpy(), rtol=1e-8)


def test_caller_data_not_modified(lung):
    d = lung.copy()
    t = d["time"].to_numpy().copy()
    ev = d["status"].to_numpy().copy()
    X = d[["age", "sex", "ph_ecog"]].to_numpy().copy()
    cl = d["inst"].to_numpy().copy()
    X_before, cl_before = X.copy(), cl.copy()
    fit = cox_regression(t, ev, X, cluster=cl, strata=d["ph_karno"] > 80, nan_policy="omit")
    proportional_hazards_test(fit)
    fit.predict_survival(X[:3], [100, 200], strata=[True, True, False])
    pd.testing.assert_frame_equal(d, lung)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(cl, cl_before)
    np.testing.assert_array_equal(t, lung["time"].to_numpy())
    np.testing.assert_array_equal(ev, lung["status"].to_numpy())


def test_result_methods(lung):
    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], robust=True)
    frame = fit.to_frame()
    assert frame["term"].tolist() == ["age", "sex"]
    assert list(frame.columns)[1:10] == [
        "estimate", "std_error", "statistic", "pvalue", "ci_low", "ci_high",
        "hazard_ratio", "hr_ci_low", "hr_ci_high",
    ]  # fmt: skip
    assert {"naive_std_error", "robust_std_error"} <= set(frame.columns)
    d = fit.to_dict()
    assert d["n"] == 228 and d["robust"] is True and len(d["coefficients"]) == 2
    text = repr(fit)
    assert "CoxResult" in text and "robust SE (228 clusters)" in text and "sex" in text
    assert "Concordance = 0.603" in text
    assert "<table" in fit._repr_html_()
    # the intervals are Wald intervals on the log scale
    tab = fit.coefficients
    np.testing.assert_allclose(
        tab["ci_low"], tab["estimate"] - 1.959963984540054 * tab["std_error"]
    )
    np.testing.assert_allclose(tab["hr_ci_high"], np.exp(tab["ci_high"]))
    zph = proportional_hazards_test(fit, transform="rank")
    assert "GLOBAL" in repr(zph) and zph.to_frame()["term"].tolist()[-1] == "GLOBAL"
    assert zph.to_dict()["transform"] == "rank" and "<table" in zph._repr_html_()


def test_confidence_level_changes_only_the_intervals(lung):
    a = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    b = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], confidence_level=0.9)
    np.testing.assert_allclose(a.params, b.params)
    z90 = 1.6448536269514722
    np.testing.assert_allclose(
        b.coefficients["ci_high"], b.params + z90 * b.coefficients["std_error"]
    )


def test_strata_as_dataframe_equals_combined_labels(lung):
    d = lung[["time", "status", "age", "sex", "ph_ecog"]].dropna()
    both = d[["sex", "ph_ecog"]]
    a = cox_regression(d["time"], d["status"], d[["age"]], strata=both)
    labels = d["sex"].astype(int).astype(str) + "/" + d["ph_ecog"].astype(int).astype(str)
    b = cox_regression(d["time"], d["status"], d[["age"]], strata=labels)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)
    assert len(a.strata) == len(b.strata) == labels.nunique()
    assert a.concordance == pytest.approx(b.concordance)


def test_breslow_equals_efron_without_tied_deaths(ovarian):
    # ovarian has no tied death times: the two approximations coincide (Efron 1977)
    X = ovarian[["age", "ecog_ps"]]
    a = cox_regression(ovarian["futime"], ovarian["fustat"], X, ties="efron")
    b = cox_regression(ovarian["futime"], ovarian["fustat"], X, ties="breslow")
    np.testing.assert_allclose(a.coefficients, b.coefficients, rtol=1e-10)
    # lung has tied deaths: there they differ
    lung = load_lung()
    e = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], ties="efron")
    br = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]], ties="breslow")
    assert abs(e.params["sex"] - br.params["sex"]) > 1e-4


# --------------------------------------------------------------------------- bad input
def test_bad_input(lung):
    t, e, X = lung["time"], lung["status"], lung[["age", "sex"]]
    with pytest.raises(ValueError, match="`time` must be positive; got 1 value"):
        cox_regression([0, 1, 2, 3], [1, 1, 0, 1], [1, 2, 3, 5])
    with pytest.raises(ValueError, match="`time` must be positive"):
        cox_regression([-1, 1, 2, 3], [1, 1, 0, 1], [1, 2, 3, 5])
    with pytest.raises(ValueError, match=r"`time` has 1 NaN value; pass nan_policy='omit'"):
        cox_regression([np.nan, 1, 2, 3], [1, 1, 0, 1], [1, 2, 3, 5])
    with pytest.raises(ValueError, match="`time` has 1 infinite value"):
        cox_regression([np.inf, 1, 2, 3], [1, 1, 0, 1], [1, 2, 3, 5])
    with pytest.raises(ValueError, match=r"`event` must be 1 \(event\) or 0.*pass status - 1"):
        cox_regression(t, e + 1, X)
    with pytest.raises(ValueError, match="`event` has no events"):
        cox_regression(t, np.zeros(len(t)), X)
    with pytest.raises(ValueError, match=r"`X` column 'one' is constant .*no intercept"):
        cox_regression(t, e, X.assign(one=1.0))
    with pytest.raises(ValueError, match="columns age, age2 are linearly dependent"):
        cox_regression(t, e, X.assign(age2=2 * X["age"] + 3))
    with pytest.raises(ValueError, match="columns sex, female are linearly dependent"):
        cox_regression(t, e, X.assign(female=(X["sex"] == 2).astype(float)))
    with pytest.raises(ValueError, match="`time` and `event` must have the same length"):
        cox_regression(t[:-1], e, X)
    with pytest.raises(ValueError, match="`time` and `X` must have the same length"):
        cox_regression(t, e, X.iloc[:-1])
    with pytest.raises(TypeError, match="`X` has non-numeric columns: grp"):
        cox_regression(t, e, X.assign(grp="a"))
    with pytest.raises(TypeError, match="`X` must be array-like"):
        cox_regression(t, e, "age")
    with pytest.raises(TypeError, match="`time` must contain numbers"):
        cox_regression(["a", "b"], [1, 0], [1, 2])
    with pytest.raises(ValueError, match="`X` has duplicate column names: age"):
        cox_regression(t, e, pd.concat([X, X[["age"]]], axis=1))
    with pytest.raises(ValueError, match="`ties` must be one of 'efron', 'breslow'"):
        cox_regression(t, e, X, ties="exact")
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'omit'"):
        cox_regression(t, e, X, nan_policy="propagate")
    with pytest.raises(TypeError, match="`robust` must be True or False"):
        cox_regression(t, e, X, robust=1)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\)"):
        cox_regression(t, e, X, confidence_level=95)
    with pytest.raises(ValueError, match="`cluster` and `time` must have the same length"):
        cox_regression(t, e, X, cluster=lung["inst"].iloc[:-1])
    with pytest.raises(ValueError, match="`cluster` has 1 missing label"):
        cox_regression(t, e, X, cluster=lung["inst"])
    with pytest.raises(ValueError, match="`strata` has 1 missing label"):
        cox_regression(t, e, X, strata=lung["inst"])
    with pytest.raises(ValueError, match="'sex' is constant within every stratum"):
        cox_regression(t, e, X, strata=lung["sex"])
    with pytest.raises(ValueError, match="`max_iter` must be >= 1"):
        cox_regression(t, e, X, max_iter=0)
    with pytest.raises(ValueError, match=r"`tol` must be in \(0, 1\)"):
        cox_regression(t, e, X, tol=0)
    with pytest.raises(TypeError, match="`tol` must be a real number"):
        cox_regression(t, e, X, tol="small")
    with pytest.raises(TypeError, match="`max_iter` must be an integer"):
        cox_regression(t, e, X, max_iter="20")
    with pytest.raises(TypeError, match="`ties` must be a string"):
        cox_regression(t, e, X, ties=1)
    with pytest.raises(ValueError, match="`time` is empty"):
        cox_regression([], [], np.empty((0, 1)))


def test_bad_input_to_methods(lung):
    fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    with pytest.raises(ValueError, match="`X_new` lacks the covariate column"):
        fit.predict_survival(pd.DataFrame({"age": [50]}), [10])
    with pytest.raises(ValueError, match="`X_new` must have 2 columns"):
        fit.predict_survival([[50, 1, 3]], [10])
    with pytest.raises(ValueError, match="`X_new` has 1 NaN"):
        fit.predict_survival([[np.nan, 1]], [10])
    with pytest.raises(ValueError, match="`times` must be non-negative"):
        fit.predict_survival([[50, 1]], [-1])
    with pytest.raises(ValueError, match="not stratified"):
        fit.predict_survival([[50, 1]], [10], strata=[1])
    with pytest.raises(ValueError, match="`at` must be one of 'zero', 'mean'"):
        fit.baseline_survival(at="median")
    with pytest.raises(TypeError, match="`result` must be a CoxResult"):
        proportional_hazards_test(fit.coefficients)
    with pytest.raises(ValueError, match="`transform` must be one of 'km', 'rank'"):
        proportional_hazards_test(fit, transform="sqrt")
    sfit = cox_regression(lung["time"], lung["status"], lung[["age"]], strata=lung["sex"])
    with pytest.raises(ValueError, match="the model is stratified: pass `strata`"):
        sfit.predict_survival([[50]], [10])
    with pytest.raises(ValueError, match=r"label.* not in the fitted model: 3"):
        sfit.predict_survival([[50]], [10], strata=[3])


# --------------------------------------------------------------------------- simulation
def _simulate_coverage(reps: int, seed: int, robust: bool) -> np.ndarray:
    """Share of 95% Wald intervals covering the true log hazard ratios (0.5, -0.7)."""
    rng = np.random.default_rng(seed)
    beta = np.array([0.5, -0.7])
    n = 150
    hits = np.zeros((reps, 2), dtype=bool)
    for i in range(reps):
        X = np.column_stack([rng.normal(size=n), rng.integers(0, 2, n)])
        t = rng.exponential(1 / (0.1 * np.exp(X @ beta)))
        c = rng.uniform(0, 25, n)
        time = np.ceil(np.minimum(t, c))  # whole units: many ties, handled by Efron
        event = (t <= c).astype(float)
        fit = cox_regression(time, event, X, robust=robust)
        hits[i] = (fit.coefficients["ci_low"].to_numpy() <= beta) & (
            beta <= fit.coefficients["ci_high"].to_numpy()
        )
    return hits.mean(axis=0)


def test_wald_interval_coverage():
    # 300 replicates: the binomial SE of a 95% coverage is 0.0126; allow about 3.5 SE
    cover = _simulate_coverage(300, seed=2024, robust=False)
    assert np.all(np.abs(cover - 0.95) < 0.045), cover


@pytest.mark.slow
@pytest.mark.parametrize("robust", [False, True])
def test_wald_interval_coverage_slow(robust):
    cover = _simulate_coverage(2000, seed=7 + robust, robust=robust)
    assert np.all(np.abs(cover - 0.95) < 0.017), cover  # 3.5 binomial SE at 2000 reps
