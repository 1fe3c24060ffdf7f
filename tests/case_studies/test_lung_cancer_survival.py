"""The NCCTG lung-cancer survival case study: it runs, writes its outputs, and matches R."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from case_studies.healthcare.lung_cancer_survival.study import (
    CORE,
    EXTENDED,
    event_indicator,
    load_patients,
    main,
)
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

from statcraft.datasets import load_lung

FIGURES = ("km_curves", "schoenfeld", "log_minus_log", "posterior_vs_km", "hazard_ratios")
HEADINGS = (
    "## Question",
    "## Data",
    "## Survival without a model",
    "## Adjusting for age and ECOG",
    "### Checking proportional hazards",
    "## Missing covariates, handled explicitly",
    "## A Bayesian view",
    "## What we learned",
    "## Two views",
    "## Convergence of the Bayesian fits",
    "## Reproducibility",
)
FITS = {"Weibull survival ~ sex", "Weibull survival ~ age + sex + ECOG"}


def check_files(out: Path, results: dict[str, Any]) -> dict[str, Any]:
    """Report, figures and results.json exist, are linked and agree; return the saved JSON."""
    report, saved = read_outputs(out, FIGURES, HEADINGS)
    assert "nan" not in re.findall(r"\w+", report.lower())  # no unformatted NaN leaked
    assert set(saved["convergence"]) == FITS
    assert (
        results["kaplan_meier"]["overall"]["median"] == saved["kaplan_meier"]["overall"]["median"]
    )
    return saved


def check_published(saved: dict[str, Any]) -> None:
    """The frequentist numbers against R's survival package on the same data."""
    data = saved["data"]
    # R: 228 patients, 165 deaths (status == 2 in R's coding), 138 men and 90 women.
    assert (data["n"], data["deaths"], data["n_male"], data["n_female"]) == (228, 165, 138, 90)
    assert data["status_coding"].startswith("1 = died")
    # R: summary(lung) NA's — inst 1, ph.ecog 1, ph.karno 1, pat.karno 3, meal.cal 47,
    # wt.loss 14 (age, sex, time, status complete).
    assert data["missing"] == {
        "inst": 1,
        "age": 0,
        "ph_ecog": 1,
        "ph_karno": 1,
        "pat_karno": 3,
        "meal_cal": 47,
        "wt_loss": 14,
    }

    km = saved["kaplan_meier"]
    # R: print(survfit(Surv(time, status) ~ 1, data = lung)) —
    #   n 228, events 165, median 310, 0.95LCL 285, 0.95UCL 363
    # (R survival 3.x output, reproduced verbatim in many tutorials on the lung data).
    overall = km["overall"]
    assert (overall["n"], overall["deaths"]) == (228, 165)
    assert (overall["median"], overall["median_ci_low"], overall["median_ci_high"]) == (
        310,
        285,
        363,
    )
    # R: print(survfit(Surv(time, status) ~ sex, data = lung)) —
    #   sex=1 138 112 270 212 310 ; sex=2 90 53 426 348 550
    # (e.g. the survivalFit() reference page of the PhysioClinStats R package).
    male, female = km["by_sex"]["male"], km["by_sex"]["female"]
    assert (male["n"], male["deaths"], male["median"]) == (138, 112, 270)
    assert (male["median_ci_low"], male["median_ci_high"]) == (212, 310)
    assert (female["n"], female["deaths"], female["median"]) == (90, 53, 426)
    assert (female["median_ci_low"], female["median_ci_high"]) == (348, 550)

    lr = saved["logrank"]
    # R: survdiff(Surv(time, status) ~ sex, data = lung) — Observed 112 / 53, Expected
    # 91.5817 / 73.4183, Chisq = 10.3267 on 1 df, p = 0.00131116 (R output printed in
    # Chiu, "Machine Learning with R Cookbook", 2nd ed., recipe "Using the log-rank test").
    sex = lr["sex"]
    assert sex["groups"] == ["female", "male"]
    assert sex["statistic"] == pytest.approx(10.3267, abs=1e-4)
    assert sex["df"] == 1
    assert sex["pvalue"] == pytest.approx(0.00131116, rel=1e-4)
    assert sex["observed"] == [53, 112]
    assert sex["expected"] == pytest.approx([73.4183, 91.5817], abs=1e-4)
    # R: survdiff(Surv(time, status) ~ ph.ecog, data = lung) — 227 patients, Expected
    # 54.153 / 83.528 / 26.147 / 0.172, (O-E)^2/V 8.2119 / 0.0573 / 14.6491 / 4.0040,
    # Chisq = 22 on 3 df, p = 7e-05 (R output reproduced in public tutorials on lung).
    four = lr["ecog_4_scores"]
    assert four["df"] == 3
    assert four["statistic"] == pytest.approx(22.0, abs=0.05)
    assert four["observed"] == [37, 82, 44, 1]
    assert four["expected"] == pytest.approx([54.153, 83.528, 26.147, 0.172], abs=1e-3)
    assert four["contribution"] == pytest.approx([8.2119, 0.0573, 14.6491, 4.0040], abs=1e-4)
    # merging ECOG 3 into "2–3" gives 3 groups (2 df) and keeps the test strongly significant
    assert lr["ecog_groups"]["df"] == 2
    assert lr["ecog_groups"]["pvalue"] < 1e-3

    cox = saved["cox"]["core"]
    # R: summary(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung)) —
    #   n = 227, events = 164; coef 0.011067 / -0.552612 / 0.463728,
    #   se(coef) 0.009267 / 0.167739 / 0.113577, HR 95% CI (0.9929, 1.0297),
    #   (0.4142, 0.7994), (1.2727, 1.9864); Concordance = 0.637 (concordance(): 0.6371);
    #   LR 30.5, Wald 29.93, Score 30.5 on 3 df
    # (STHDA, "Cox Proportional-Hazards Model"; R's sex is 1/2, our `female` 0/1: same coef).
    assert (cox["n"], cox["n_events"]) == (227, 164)
    c = cox["coefficients"]
    assert [c[n]["coef"] for n in CORE] == pytest.approx([0.011067, -0.552612, 0.463728], abs=1e-6)
    assert [c[n]["std_error"] for n in CORE] == pytest.approx(
        [0.009267, 0.167739, 0.113577], abs=1e-6
    )
    assert [(c[n]["hr_ci_low"], c[n]["hr_ci_high"]) for n in CORE] == [
        pytest.approx((0.9929, 1.0297), abs=1e-4),
        pytest.approx((0.4142, 0.7994), abs=1e-4),
        pytest.approx((1.2727, 1.9864), abs=1e-4),
    ]
    assert c["ph_ecog"]["pvalue"] == pytest.approx(4.45e-05, rel=2e-3)
    assert cox["concordance"] == pytest.approx(0.6371, abs=1e-4)
    assert cox["likelihood_ratio_test"]["statistic"] == pytest.approx(30.5, abs=0.05)
    assert cox["wald_test"]["statistic"] == pytest.approx(29.93, abs=0.005)
    assert cox["score_test"]["statistic"] == pytest.approx(30.5, abs=0.05)
    # R: summary(coxph(Surv(time, status) ~ sex, data = lung)) — coef -0.5310, se 0.1672,
    # LR 10.63, Wald 10.09, Score (logrank) 10.33 (public tutorials reproducing R output).
    alone = saved["cox"]["sex_only"]
    assert alone["coefficients"]["female"]["coef"] == pytest.approx(-0.5310, abs=5e-5)
    assert alone["coefficients"]["female"]["std_error"] == pytest.approx(0.1672, abs=5e-5)
    assert alone["likelihood_ratio_test"]["statistic"] == pytest.approx(10.63, abs=0.005)
    assert alone["wald_test"]["statistic"] == pytest.approx(10.09, abs=0.005)
    assert alone["score_test"]["statistic"] == pytest.approx(10.33, abs=0.005)
    # the score test is the log-rank test up to the handling of tied death times
    assert alone["score_test"]["statistic"] == pytest.approx(sex["statistic"], abs=0.01)
    # R (survival >= 3.0): cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, lung)) —
    #   age 0.188 (p 0.66), sex 2.305 (0.13), ph.ecog 2.054 (0.15), GLOBAL 4.464 on 3 df (0.22)
    ph = saved["cox"]["ph_test"]
    assert ph["age"] == pytest.approx(0.66, abs=0.005)
    assert ph["female"] == pytest.approx(0.13, abs=0.005)
    assert ph["ph_ecog"] == pytest.approx(0.15, abs=0.005)
    assert ph["GLOBAL"] == pytest.approx(0.22, abs=0.005)


def check_missing(saved: dict[str, Any]) -> None:
    """The complete-case bookkeeping, against an independent count on the raw data."""
    lung = load_lung()
    renamed = lung.assign(female=(lung["sex"] == 2).astype(float))
    complete = renamed.dropna(subset=list(EXTENDED))
    sets = {row["analysis"]: row for row in saved["missing"]["analysis_sets"]}
    extended = sets["extended Cox model (7 covariates)"]
    assert extended["patients used"] == len(complete)
    assert extended["deaths used"] == int(complete["status"].sum())
    assert extended["patients dropped"] + extended["patients used"] == 228
    assert extended["deaths dropped"] + extended["deaths used"] == 165
    assert saved["missing"]["extended"]["n"] == len(complete)
    assert saved["missing"]["core_complete_cases"]["n"] == len(complete)
    assert saved["missing"]["most_missing"] == "meal_cal"
    kept = {row["group"]: row for row in saved["missing"]["kept_vs_dropped"]}
    assert kept["kept"]["patients"] + kept["dropped"]["patients"] == 228
    assert 0 <= saved["missing"]["logrank_kept_vs_dropped"]["pvalue"] <= 1
    # the direction of the sex and ECOG effects survives the complete-case restriction
    for fit in ("extended", "core_complete_cases"):
        coefs = saved["missing"][fit]["coefficients"]
        assert coefs["female"]["hazard_ratio"] < 1 < coefs["ph_ecog"]["hazard_ratio"]


def check_bayes(saved: dict[str, Any]) -> None:
    """The Weibull posteriors against R's survreg MLE and the frequentist answers."""
    sex = saved["bayes"]["sex_model"]
    # R: survreg(Surv(time, status) ~ sex, data = lung) (Weibull) — Intercept 5.488584,
    # sex 0.395578 (sex coded 1/2), Scale 0.755088 (survParamSim README). With `female`
    # coded 0/1 the intercept is 5.488584 + 0.395578 = 5.884162 and the shape 1/0.755088.
    # Weakly informative priors: the posterior means sit within a fraction of a posterior
    # sd (0.08–0.13) of the MLE.
    assert sex["beta_female_mean"] == pytest.approx(0.395578, abs=0.05)
    assert sex["intercept_mean"] == pytest.approx(5.884162, abs=0.05)
    assert sex["shape_mean"] == pytest.approx(1 / 0.755088, abs=0.05)
    km = saved["kaplan_meier"]["by_sex"]
    for group in ("male", "female"):
        med = sex["median_survival"][group]
        assert med["hdi_low"] < med["median"] < med["hdi_high"]
        assert med["median"] == pytest.approx(km[group]["median"], rel=0.15)
        assert sex["agreement_with_km"][group]["share_inside_km_band"] > 0.8
    adj = saved["bayes"]["adjusted_model"]
    assert adj["n"] == 227
    cox = saved["cox"]["core"]["coefficients"]
    for name in CORE:
        hr = adj["hazard_ratios"][name]
        assert hr["hr_ci_low"] < hr["hazard_ratio"] < hr["hr_ci_high"]
        # the Weibull and Cox hazard ratios estimate the same thing here
        assert hr["hr_ci_low"] < cox[name]["hazard_ratio"] < hr["hr_ci_high"]
    assert adj["hazard_ratios"]["female"]["hr_ci_high"] < 1
    assert adj["hazard_ratios"]["ph_ecog"]["hr_ci_low"] > 1
    assert adj["shape"]["ci_low"] > 1  # rising hazard


def check_outputs(out: Path, results: dict[str, Any]) -> None:
    """Everything checked on both the quick and the full run."""
    saved = check_files(out, results)
    check_published(saved)
    check_missing(saved)
    check_bayes(saved)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("healthcare/lung_cancer_survival", main, tmp_path_factory)


def test_quick_run_writes_sane_report(quick_run: tuple[Path, dict[str, Any]]) -> None:
    out, results = quick_run
    check_outputs(out, results)
    assert results["quick"] is True


def test_event_coding_is_checked_not_assumed() -> None:
    died, coding = event_indicator(pd.Series([0, 1, 1, 0]))
    assert died.tolist() == [0, 1, 1, 0]
    assert coding.startswith("1 = died")
    # R's survival::lung coding: 1 = censored, 2 = dead
    died, coding = event_indicator(pd.Series([1, 2, 2, 1]))
    assert died.tolist() == [0, 1, 1, 0]
    assert "R's coding" in coding
    with pytest.raises(ValueError, match="`status` must be coded"):
        event_indicator(pd.Series([0, 1, 2]))


def test_ecog_groups_merge_score_3_and_keep_missing_missing() -> None:
    frame, _ = load_patients()
    ecog3 = frame["ph_ecog"] == 3
    assert int(ecog3.sum()) == 1
    assert (frame.loc[ecog3, "ecog_group"] == "2–3").all()
    assert (frame.loc[ecog3, "ecog_capped"] == 2).all()
    assert (frame.loc[ecog3, ["ecog_1", "ecog_23"]].to_numpy() == [[0.0, 1.0]]).all()
    missing = frame["ph_ecog"].isna()
    assert int(missing.sum()) == 1
    assert frame.loc[missing, ["ecog_group", "ecog_capped", "ecog_1", "ecog_23"]].isna().all().all()
    assert frame["ecog_group"].value_counts().to_dict() == {"1": 113, "0": 63, "2–3": 51}
    # the bundled data are not modified by the derivations
    assert "died" not in load_lung().columns


@pytest.mark.slow
def test_full_run_writes_sane_report(tmp_path: Path) -> None:
    results = main(tmp_path, quick=False)
    check_outputs(tmp_path, results)
    assert results["quick"] is False
    assert all(fit["passed"] for fit in results["convergence"].values())
