"""The meta-analysis case study: it runs, writes its outputs, and its numbers are right."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from case_studies.healthcare.meta_analysis.study import main
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

from statcraft.datasets import load_bcg, load_beta_blocker

FIGURES = ("forest_plot", "funnel_plot", "shrinkage", "bcg_bubble")
FITS = {
    "beta-blockers: binomial–normal",
    "BCG: random effects (log RR)",
    "BCG: meta-regression on latitude",
}

# The pooled log odds ratio of the 22 beta-blocker trials is about -0.25 (Carlin 1992, Stat Med
# 11:141-158). The BUGS "Blocker" example (MultiBUGS text of the BUGS Examples Vol. 1,
# github.com/MultiBUGS/MultiBUGS-txt, Example/Blockers.odc.cp at commit 40fd7d34, "Results",
# 2 chains, 20,000 draws, d ~ N(0, 1e6), 1/tau^2 ~ Gamma(0.001, 0.001)) reports
# d: mean -0.2502, sd 0.06137, 95% [-0.3692, -0.1276];
# delta.new: mean -0.2501, sd 0.1443, 95% [-0.5473, 0.05888]; sigma: mean 0.1134.
CARLIN_LOG_OR = -0.25
BUGS_D_MEAN, BUGS_D_SD = -0.2502, 0.06137
BUGS_NEW_MEAN, BUGS_NEW_SD = -0.2501, 0.1443

# metafor on dat.bcg with escalc(measure="RR"): rma(yi, vi) gives -0.7145 with tau^2 = 0.3132
# (rma.uni help; Viechtbauer 2010, J Stat Softw 36(3)); rma(yi, vi, mods = ~ ablat) predicts
# -1.0290 at 44 degrees and -1.3491 at 55 degrees (metafor tests/testthat/test_misc_list_rma.r),
# i.e. slope (-1.3491 + 1.0290) / 11 = -0.0291 per degree and intercept 0.2515.
METAFOR_REML, METAFOR_TAU2 = -0.7145, 0.3132
METAFOR_PRED_44, METAFOR_PRED_55 = -1.0290, -1.3491


def mantel_haenszel_log_or() -> float:
    """The Mantel–Haenszel log odds ratio of the beta-blocker trials, from the formula."""
    b = load_beta_blocker()
    a, n1 = b["treated_deaths"].to_numpy(float), b["treated_total"].to_numpy(float)
    c, n2 = b["control_deaths"].to_numpy(float), b["control_total"].to_numpy(float)
    n = n1 + n2
    return math.log(np.sum(a * (n2 - c) / n) / np.sum(c * (n1 - a) / n))


def check_outputs(out: Path, results: dict[str, Any]) -> None:
    """The checks shared by the quick and the full run."""
    _, saved = read_outputs(
        out,
        FIGURES,
        (
            "## Question",
            "## Data",
            "## Pooling the beta-blocker trials",
            "## A Bayesian binomial–normal model",
            "## BCG: why do the trials disagree?",
            "## What we learned",
            "## Two views",
            "## Convergence",
            "## Reproducibility",
        ),
    )
    assert set(saved["convergence"]) == FITS
    assert saved["beta_blocker"]["pooled"]["REML"]["log_or"] == pytest.approx(
        results["beta_blocker"]["pooled"]["REML"]["log_or"]
    )

    data = saved["data"]
    assert (data["control_deaths"], data["control_total"]) == (985, 9849)
    assert (data["treated_deaths"], data["treated_total"]) == (826, 10441)
    assert data["n_trials"] == len(load_beta_blocker())
    assert data["n_bcg_trials"] == len(load_bcg())

    # Frequentist pooling: every method near Carlin's -0.25; MH equal to its formula.
    pooled = saved["beta_blocker"]["pooled"]
    assert set(pooled) == {"MH", "Peto", "FE", "DL", "REML", "REML_HKSJ"}
    for row in pooled.values():
        assert row["log_or"] == pytest.approx(CARLIN_LOG_OR, abs=0.02)
        assert row["ci_low"] < row["log_or"] < row["ci_high"] < 0
        assert row["odds_ratio"] == pytest.approx(math.exp(row["log_or"]))
    assert pooled["MH"]["log_or"] == pytest.approx(mantel_haenszel_log_or(), rel=1e-10)
    assert pooled["FE"]["tau2"] == 0
    assert pooled["REML"]["tau2"] > 0
    avoided = saved["beta_blocker"]["deaths_avoided_per_1000"]
    assert 0 < avoided["ci_low"] < avoided["estimate"] < avoided["ci_high"] < 50
    het = saved["beta_blocker"]["heterogeneity"]
    assert het["q_df"] == 21
    assert 0 <= het["i2_ci_low"] <= het["i2"] <= het["i2_ci_high"] <= 100
    low, high = het["prediction_interval"]
    assert low < pooled["REML"]["ci_low"] < pooled["REML"]["ci_high"] < high

    # Bayesian binomial-normal model against the published BUGS posterior.
    bayes = saved["beta_blocker"]["bayes"]
    assert bayes["mu"]["mean"] == pytest.approx(BUGS_D_MEAN, abs=0.03)
    assert bayes["mu"]["sd"] == pytest.approx(BUGS_D_SD, rel=0.35)
    assert bayes["mu"]["hdi_high"] < 0
    assert bayes["theta_new"]["mean"] == pytest.approx(BUGS_NEW_MEAN, abs=0.05)
    # statcraft's half-normal prior on tau gives a somewhat wider new-trial posterior than
    # BUGS's Gamma(0.001, 0.001) on the precision; both are far wider than mu's.
    assert BUGS_NEW_SD * 0.7 < bayes["theta_new"]["sd"] < BUGS_NEW_SD * 1.6
    assert bayes["theta_new"]["sd"] > 2 * bayes["mu"]["sd"]
    assert bayes["p_mu_negative"] > 0.99
    assert 0.5 < bayes["p_new_negative"] < bayes["p_mu_negative"]
    assert 0 < bayes["tau"]["mean"] < 0.3

    # BCG: REML pooling and meta-regression equal metafor's documented results.
    bcg = saved["bcg"]
    assert bcg["reml"]["log_rr"] == pytest.approx(METAFOR_REML, abs=1e-4)
    assert bcg["reml"]["tau2"] == pytest.approx(METAFOR_TAU2, abs=1e-4)
    reg = bcg["regression"]
    assert reg["intercept"] + 44 * reg["slope"] == pytest.approx(METAFOR_PRED_44, abs=1e-4)
    assert reg["intercept"] + 55 * reg["slope"] == pytest.approx(METAFOR_PRED_55, abs=1e-4)
    assert reg["slope"] == pytest.approx(-0.0291, abs=1e-4)
    assert reg["qm_pvalue"] < 0.001
    assert 50 < reg["r_squared"] < 100
    assert 0 < reg["tau2"] < bcg["reml"]["tau2"]
    bb = bcg["bayes"]
    assert bb["slope"]["mean"] == pytest.approx(reg["slope"], abs=0.008)
    assert bb["slope"]["hdi_high"] < 0
    assert bb["p_slope_negative"] > 0.95
    assert 0.3 < bb["explained_share"] < 1
    assert bb["mu_pooled"]["mean"] == pytest.approx(METAFOR_REML, abs=0.1)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("healthcare/meta_analysis", main, tmp_path_factory)


def test_quick_run_writes_sane_report(quick_run: tuple[Path, dict[str, Any]]) -> None:
    out, results = quick_run
    check_outputs(out, results)
    assert results["quick"] is True
    assert results["effort"]["draws"] < 2000


@pytest.mark.slow
def test_quick_run_is_reproducible(quick_run: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """The frequentist numbers do not depend on the seed; the Bayesian ones repeat with it."""
    _, results = quick_run
    again = main(tmp_path, quick=True)
    assert again["beta_blocker"]["bayes"]["mu"] == results["beta_blocker"]["bayes"]["mu"]
    assert again["bcg"]["bayes"]["slope"] == results["bcg"]["bayes"]["slope"]


@pytest.mark.slow
def test_full_run_writes_sane_report(tmp_path: Path) -> None:
    results = main(tmp_path, quick=False)
    check_outputs(tmp_path, results)
    assert results["quick"] is False
    assert all(fit["passed"] for fit in results["convergence"].values())
