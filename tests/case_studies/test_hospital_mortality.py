"""The hospital-mortality case study: it runs, writes its outputs, and its numbers are right."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from case_studies.healthcare.hospital_mortality.study import main
from scipy import integrate, stats
from scipy.special import expit
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

FIGURES = ("funnel", "shrinkage", "ranks", "pareto_k")
HOSPITALS = list("ABCDEFGHIJKL")
OPERATIONS = np.array([47, 148, 119, 810, 211, 196, 148, 215, 207, 97, 256, 360])
DEATHS = np.array([0, 18, 8, 46, 8, 13, 9, 31, 14, 8, 29, 24])
# The BUGS "Surgical" data (Spiegelhalter et al., BUGS Examples Vol. 1): 208 deaths in 2,814
# operations.

# Posterior means of the mortality rates under the random-effects model, published with the
# BUGS "Surgical: institutional ranking" example (MultiBUGS text of the BUGS Examples Vol. 1,
# github.com/MultiBUGS/MultiBUGS-txt, Examples/Surgical.odc.cp at commit 1249f62e, "Results for
# random effects model": p[1] .. p[12], 2 chains × 10,000 draws, mu ~ N(0, 1e6),
# tau ~ Gamma(0.001, 0.001)). The ordering is E < A < D < G < L < F < I < C < J < K < B < H.
BUGS_MEANS = {
    "A": 0.05298,
    "B": 0.1031,
    "C": 0.07048,
    "D": 0.05918,
    "E": 0.05152,
    "F": 0.06895,
    "G": 0.0668,
    "H": 0.1231,
    "I": 0.0698,
    "J": 0.0784,
    "K": 0.1023,
    "L": 0.06838,
}
# Same table: the 95% rank interval of H is [9, 12] (median rank 12), and "only 2 hospitals
# (H and K) [have] intervals [that] exclude the median rank".
BUGS_H_RANK_LOW = 9


def no_pooling_prior_predictive(deaths: int, n: int) -> float:
    """log P(deaths) when logit p ~ N(0, 1.5²): the exact leave-one-out predictive of the
    no-pooling model, integrated here by adaptive quadrature (independent of the study's
    Gauss–Hermite rule and posterior draws)."""
    value, _ = integrate.quad(
        lambda z: stats.binom.pmf(deaths, n, expit(1.5 * z)) * stats.norm.pdf(z),
        -12,
        12,
        points=[-2.0, 0.0, 2.0],
        limit=200,
    )
    return math.log(value)


def check_outputs(
    out: Path, results: dict[str, Any], *, tolerance: float, loo_tolerance: float
) -> None:
    """The checks shared by the quick and the full run.

    ``loo_tolerance`` bounds |PSIS - exact| for complete pooling: Monte Carlo error of the
    exact refits' log predictive densities (2 × 150 draws per refit in quick mode, 2 × 1000
    in full).
    """
    report, saved = read_outputs(
        out,
        FIGURES,
        (
            "## Data",
            "## Do the hospitals differ at all?",
            "## Funnel plot",
            "## Partial pooling",
            "## Complete, no or partial pooling?",
            "## Which hospitals are unusual",
            "## What we learned",
            "## Two views",
            "## Convergence",
            "## Reproducibility",
        ),
    )
    assert "$$" in report  # the models' maths
    assert results["hospitals"] == saved["hospitals"] == HOSPITALS

    # data: published counts; Wilson interval of 0/47 has the closed form [0, z²/(n + z²)]
    # (R: prop.test(0, 47, correct = FALSE)$conf.int = [0, 0.07556])
    data = saved["data"]
    assert data["total_deaths"] == 208
    assert data["total_operations"] == 2814
    assert data["pooled_rate"] == pytest.approx(208 / 2814)
    a = data["table"][0]
    z2 = stats.norm.ppf(0.975) ** 2
    assert a["hospital"] == "A"
    assert a["ci_low"] == 0.0
    assert a["ci_high"] == pytest.approx(z2 / (47 + z2), rel=1e-9)

    # homogeneity: Pearson's X² against scipy's independent implementation
    table = np.vstack([DEATHS, OPERATIONS - DEATHS])
    scipy_chi2 = stats.chi2_contingency(table, correction=False)
    homog = saved["homogeneity"]
    assert homog["chi2"] == pytest.approx(scipy_chi2.statistic, rel=1e-10)
    assert homog["df"] == 11
    assert homog["pvalue"] == pytest.approx(scipy_chi2.pvalue, rel=1e-8)
    assert homog["permutation_statistic"] == pytest.approx(homog["chi2"], rel=1e-10)
    assert 0 < homog["permutation_pvalue"] <= 0.005
    assert homog["min_expected"] == pytest.approx(47 * 208 / 2814)

    # funnel: z of H by hand; H is the only alarm with binomial limits (Spiegelhalter 2005
    # limits at 99.8%), and overdispersion removes the alerts of B, K and E
    funnel = saved["funnel"]
    p0 = 208 / 2814
    z_h = (31 / 215 - p0) / math.sqrt(p0 * (1 - p0) / 215)
    h_row = next(r for r in funnel["table"] if r["hospital"] == "H")
    assert h_row["z"] == pytest.approx(z_h, rel=1e-10)
    assert funnel["flags"]["binomial"]["high_99.8"] == ["H"]
    assert set(funnel["flags"]["binomial"]["high_95"]) == {"B", "H", "K"}
    assert funnel["flags"]["binomial"]["low_95"] == ["E"]
    assert funnel["flags"]["additive"]["high_99.8"] == []
    assert funnel["phi"] > 1

    # partial pooling against the published BUGS results
    rates = {r["hospital"]: r for r in saved["partial_pooling"]["rates"]}
    ours = np.array([rates[h]["posterior_mean"] for h in HOSPITALS])
    bugs = np.array([BUGS_MEANS[h] for h in HOSPITALS])
    assert np.max(np.abs(ours - bugs)) < tolerance
    assert stats.spearmanr(ours, bugs)[0] > 0.95
    order = [HOSPITALS[i] for i in np.argsort(ours)]
    assert order[-1] == "H"
    assert set(order[-3:]) == {"B", "H", "K"}
    assert set(order[:3]) == {"A", "D", "E"}
    # shrinkage pulls the smallest hospital (A: 0 of 47) furthest, up from 0
    shifts = {h: abs(rates[h]["posterior_mean"] - rates[h]["rate"]) for h in HOSPITALS}
    assert max(shifts, key=shifts.__getitem__) == "A"
    assert rates["A"]["posterior_mean"] > 0.03
    typical = saved["partial_pooling"]["typical_rate"]
    for h in HOSPITALS:
        raw, post = rates[h]["rate"], rates[h]["posterior_mean"]
        if abs(raw - typical) > 0.01:
            assert min(raw, typical) < post < max(raw, typical), h
    ranks = {r["hospital"]: r for r in saved["partial_pooling"]["ranks"]}
    assert ranks["H"]["median_rank"] == 12
    assert ranks["H"]["rank_low"] >= BUGS_H_RANK_LOW - 1
    assert "H" in saved["partial_pooling"]["rank_interval_excludes_middle"]
    assert 0.1 < saved["partial_pooling"]["sigma"] < 1.0
    assert saved["bugs_check"]["max_abs_difference"] == pytest.approx(np.max(np.abs(ours - bugs)))

    # leave-one-hospital-out: PSIS is reliable only for complete pooling; the exact values
    # rank partial > complete > no pooling, and no pooling's exact value is its prior
    # predictive, checked here by independent quadrature
    psis = {r["model"]: r for r in saved["loo"]["psis"]}
    assert psis["complete pooling"]["max k"] < 0.7
    assert psis["no pooling"]["hospitals with k > 0.7"] >= 6
    exact = {r["model"]: r for r in saved["loo"]["exact"]}
    assert saved["loo"]["order"] == ["partial pooling", "complete pooling", "no pooling"]
    prior_predictive = sum(
        no_pooling_prior_predictive(int(r), int(n)) for r, n in zip(DEATHS, OPERATIONS, strict=True)
    )
    assert exact["no pooling"]["exact elpd"] == pytest.approx(prior_predictive, abs=0.05)
    assert exact["no pooling"]["PSIS − exact"] > 5
    assert abs(exact["complete pooling"]["PSIS − exact"]) < loo_tolerance
    assert saved["loo"]["n_refits"] == 24
    cv = saved["cross_validation"]
    assert [r["hospital"] for r in cv] == HOSPITALS
    assert all(0 < r["mid_p_upper"] < 1 for r in cv)
    h_cv = next(r for r in cv if r["hospital"] == "H")
    assert h_cv["mid_p_upper"] < 0.1

    flagged = saved["unusual"]["flagged"]
    assert flagged["binomial funnel"]["high"] == ["B", "H", "K"]
    assert "H" in flagged["overdispersed funnel"]["high"]
    assert "H" in flagged["above/below typical"]["high"]
    names = {"complete pooling", "no pooling", "partial pooling"}
    names |= {
        f"{m} without {h}" for m in ("partial pooling", "complete pooling") for h in HOSPITALS
    }
    assert set(saved["convergence"]) == names


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("healthcare/hospital_mortality", main, tmp_path_factory)


def test_quick_run_writes_sane_report(quick_run: tuple[Path, dict[str, Any]]) -> None:
    out, results = quick_run
    check_outputs(out, results, tolerance=0.01, loo_tolerance=1.5)
    assert results["quick"] is True


@pytest.mark.slow
def test_full_run_writes_sane_report(tmp_path: Path) -> None:
    results = main(tmp_path, quick=False)
    check_outputs(tmp_path, results, tolerance=0.008, loo_tolerance=0.5)
    assert results["quick"] is False
    assert all(fit["passed"] for fit in results["convergence"].values())
