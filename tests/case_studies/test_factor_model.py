"""The factor-model case study: it runs, writes its outputs, and its numbers are sane."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from case_studies.finance.factor_model.study import FACTORS, INDUSTRIES, MODELS, main
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

FIGURES = ("alphas", "pricing", "pooling", "rolling_betas", "oos_cumulative")


def check_outputs(out: Path, results: dict[str, Any]) -> None:
    """The checks shared by the quick and the full run."""
    _, saved = read_outputs(
        out,
        FIGURES,
        ("## Data", "## Models", "## What we learned", "## Two views", "## Convergence"),
    )

    alphas = saved["time_series"]["alphas"]
    assert set(alphas) == set(MODELS)
    for model, factors in MODELS.items():
        assert list(alphas[model]) == list(INDUSTRIES)
        for row in alphas[model].values():
            low, high = row["alpha_ci_95"]
            assert low < row["alpha_annual_pct"] < high
            assert 0 <= row["p"] <= row["p_bh"] <= row["p_holm"] + 1e-12 <= 1 + 1e-12
            assert set(row["betas"]) == set(factors)
            assert 0.3 < row["betas"]["mkt_rf"] < 1.7
            assert 0 < row["r2"] < 1
    assert results["time_series"]["alphas"]["CAPM"]["NoDur"]["t"] == pytest.approx(
        alphas["CAPM"]["NoDur"]["t"]
    )

    premia = saved["fama_macbeth"]["premia"]
    assert set(premia) == {"Intercept", *FACTORS}
    market = premia["mkt_rf"]
    assert market["se_shanken"] >= market["se_plain"] > 0
    assert market["se_newey_west"] > 0
    assert saved["fama_macbeth"]["n_assets"] == 30

    hier = saved["hierarchical"]
    assert list(hier["industries"]) == list(INDUSTRIES)
    for row in hier["industries"].values():
        low, high = row["alpha_interval_90"]
        assert low < row["alpha_annual_pct_mean"] < high
        assert 0 <= row["prob_alpha_positive"] <= 1
        assert 0.3 < row["beta_mkt_mean"] < 1.7
    assert hier["alpha_spread_posterior_pct"] < hier["alpha_spread_ols_pct"]
    assert set(saved["convergence"]) == {"hierarchical FF3+Mom regression"}

    rolling = saved["rolling_beta"]["industries"]
    assert list(rolling) == list(INDUSTRIES)
    for row in rolling.values():
        assert row["lowest"] <= row["full_sample_beta"] <= row["highest"]

    scores = saved["forecasts"]["scores"]
    assert len(scores) == 1 + len(MODELS)
    for row in scores.values():
        assert row["mse"] > 0
        assert row["crps"] > 0
        assert 0.8 < row["coverage"] <= 1
    assert saved["forecasts"]["n_forecast_months"] > 600
    for key in ("p_se", "p_crps"):
        assert 0 <= saved["forecasts"]["dm_richest_vs_capm"][key] <= 1


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("finance/factor_model", main, tmp_path_factory)


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
