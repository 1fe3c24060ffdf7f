"""The WTI volatility and VaR case study: outputs exist and the key numbers are sane."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

pytest.importorskip("pymc")
pytest.importorskip("arch")

from case_studies.finance.volatility_var import study
from tests.case_studies._outputs import quick_run as run_quick

FIGURES = ("var_bands.png", "sv_volatility.png", "score_comparison.png")
MODELS = ("HS", "EWMA", "FHS", "GARCH-t", "Garch11", "SV")
SECTIONS = (
    "## Question",
    "## Data",
    "## Walk-forward design",
    "## Models",
    "## Backtests",
    "## Scores",
    "## What we learned",
    "## Two views",
    "## Convergence of the Bayesian fits",
    "## Reproducibility",
)


def binomial_range(n: int, p: float, coverage: float = 0.999) -> tuple[int, int]:
    """Two-sided ``coverage`` range of Binomial(n, p): a calibrated VaR's violation count.

    If the VaR forecasts are calibrated, the violations are independent Bernoulli(p) days and
    their count is Binomial(n, p); it falls outside this range with probability at most
    1 − coverage (0.1%). So a count outside it is not bad luck but a broken forecast (wrong
    units, level or sign, or a model far from the data), and the check does not flake.
    """
    tail = (1.0 - coverage) / 2.0
    return int(stats.binom.ppf(tail, n, p)), int(stats.binom.isf(tail, n, p))


def check_outputs(out: Path, results: dict[str, Any], n_days: int) -> dict[str, Any]:
    """Report, figures and results.json exist and hold what the study promises."""
    report = (out / "report.md").read_text()
    for section in SECTIONS:
        assert section in report
    for name in FIGURES:
        assert (out / "figures" / name).is_file()
        assert f"figures/{name}" in report
    saved = json.loads((out / "results.json").read_text())
    assert saved["figures"] == sorted(FIGURES)
    assert saved["evaluation"]["n_days"] == n_days
    assert saved["models"].keys() == set(MODELS)
    for model in MODELS:
        entry = saved["models"][model]
        assert entry["crps"] > 0
        for level in ("0.99", "0.975"):
            row = entry["levels"][level]
            assert row["n"] == n_days
            assert row["expected_rate"] == pytest.approx(1 - float(level))
            assert row["violation_rate"] == pytest.approx(row["violations"] / n_days)
            assert 0 <= row["kupiec_p"] <= 1
            assert 0 <= row["christoffersen_p"] <= 1
            assert row["mean_pinball"] > 0
    n_refits = len(saved["refit_schedule"]["bayesian_refits"])
    assert len(saved["convergence"]) == 2 * n_refits  # Garch11 and SV at every refit
    assert len(saved["dm_tests"]) == 18
    for test in saved["dm_tests"]:
        assert test["p"] <= test["Holm p"] <= 1
    assert results["seed"] == study.SEED
    return saved


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("finance/volatility_var", study.main, tmp_path_factory)


def test_quick_outputs(quick_run: tuple[Path, dict[str, Any]]) -> None:
    """Quick mode writes the report, its three figures and results.json."""
    out, results = quick_run
    saved = check_outputs(out, results, n_days=252)
    assert saved["quick"] is True
    assert len(saved["refit_schedule"]["bayesian_refits"]) == 1


def test_quick_violations_near_nominal(quick_run: tuple[Path, dict[str, Any]]) -> None:
    """99% and 97.5% violation counts of GARCH-t and the Bayesian models are plausible.

    Quick mode backtests 252 days: at 99% a calibrated VaR expects 2.5 violations and its
    two-sided 99.9% binomial range is [0, 9]; at 97.5% it expects 6.3, range [0, 16]. (The
    lower bound is 0 at this sample size, so only too many violations can fail: too few cannot
    be told from chance in one year.) The run gave 5 violations at 99% for each of the three.
    """
    _, results = quick_run
    for model in ("GARCH-t", "Garch11", "SV"):
        for level in (0.99, 0.975):
            row = results["models"][model]["levels"][f"{level:.10g}"]
            low, high = binomial_range(row["n"], 1 - level)
            assert low <= row["violations"] <= high, (model, level, row["violations"])


def test_quick_scores_are_consistent(quick_run: tuple[Path, dict[str, Any]]) -> None:
    """Scores are on the returns' scale: CRPS near the daily SD's magnitude, ES beyond VaR."""
    _, results = quick_run
    sd = results["summary"]["evaluation period"]["sd"]
    for model in MODELS:
        crps = results["models"][model]["crps"]
        # a calibrated normal forecast with SD s has expected CRPS s/sqrt(pi) = 0.56 s; the
        # bounds leave room for volatility clustering and fat tails, not for wrong units
        assert 0.2 * sd < crps < sd
    worst = results["what_we_learned"]["worst_eval_day"]
    for model in MODELS:
        assert worst["es_99"][model] > worst["var_99"][model] > 0
    assert math.isfinite(results["two_views"]["arch"]["persistence"])


@pytest.mark.slow
def test_full_mode(tmp_path: Path) -> None:
    """Full mode: 8 years, 4 refits; the 99% VaR of GARCH-t and the Bayesian models passes.

    Kupiec p > 0.001 at 99% over 2016 days (expected 20.2 violations): the full run gave 28
    (GARCH-t, p = 0.097), 27 (Garch11, p = 0.15) and 30 (SV, p = 0.040) violations. A p-value
    below 0.001 needs 37 violations or more, which the Monte Carlo noise of a rerun (one
    or two violations) cannot produce; it would mean a real regression.
    """
    results = study.main(tmp_path, quick=False)
    saved = check_outputs(tmp_path, results, n_days=2016)
    assert len(saved["refit_schedule"]["bayesian_refits"]) == 4
    for model in ("GARCH-t", "Garch11", "SV"):
        row = saved["models"][model]["levels"]["0.99"]
        low, high = binomial_range(row["n"], 0.01)
        assert low <= row["violations"] <= high
        assert row["kupiec_p"] > 0.001, model
