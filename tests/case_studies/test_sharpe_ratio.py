"""The industry Sharpe-ratio case study: it runs, writes its outputs, and its numbers are sane."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from case_studies.finance.sharpe_ratio.study import INDUSTRIES, main
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

FIGURES = ("sharpe_intervals", "shrinkage", "probability_best", "sharpe_difference_shrinkage")


def check_outputs(out: Path, results: dict[str, Any]) -> None:
    """The checks shared by the quick and the full run."""
    _, saved = read_outputs(
        out,
        (*FIGURES, "walk_forward"),
        ("## Data", "## What we learned", "## Two views", "## Convergence"),
    )

    market = saved["market_sharpe"]
    assert market["estimate"] > 0
    assert market["ci_low"] > 0
    assert market["ci_low"] < market["estimate"] < market["ci_high"]
    assert market["method"] in ("hac", "lo")
    assert results["market_sharpe"]["estimate"] == pytest.approx(market["estimate"])

    assert saved["industries"] == list(INDUSTRIES)
    tests = saved["beat_market"]
    assert [row["industry"] for row in tests] == list(INDUSTRIES)
    for row in tests:
        assert 0 <= row["p_raw"] <= row["p_holm"] <= 1
        assert row["p_raw"] <= row["p_bh"] <= row["p_holm"] + 1e-12
        assert row["ci_low"] <= row["difference"] <= row["ci_high"]
    series = [row["series"] for row in saved["sharpe_table"]]
    assert series == [*INDUSTRIES, "Market"]
    pooled = [row["industry"] for row in saved["bayes_pooled_means"]["table"]]
    assert pooled == list(INDUSTRIES)
    p_best = saved["bayes_pooled_means"]["p_best_posterior"]
    assert sum(p_best.values()) == pytest.approx(1.0)

    bayes = saved["market_bayes"]
    assert 0.5 < bayes["prob_positive"] <= 1
    assert saved["selection"]["best_in_sample"] in INDUSTRIES
    assert 0 <= saved["selection"]["dsr"]["probability"] <= 1
    assert saved["selection"]["walk_forward"]["n_months"] > 600
    assert set(saved["convergence"]) == {
        "hierarchical industry means",
        "hierarchical Sharpe differences",
        "market AR(1) mean",
    }


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("finance/sharpe_ratio", main, tmp_path_factory)


def test_quick_run_writes_sane_report(quick_run: tuple[Path, dict[str, Any]]) -> None:
    out, results = quick_run
    check_outputs(out, results)
    assert results["quick"] is True


@pytest.mark.slow
def test_full_run_writes_sane_report(tmp_path: Path) -> None:
    results = main(tmp_path, quick=False)
    check_outputs(tmp_path, results)
    assert results["quick"] is False
    assert all(fit["passed"] for fit in results["convergence"].values())
