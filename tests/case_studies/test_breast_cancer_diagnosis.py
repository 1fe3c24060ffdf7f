"""The breast-cancer diagnosis case study: its building blocks, and its report is sane."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from case_studies.healthcare.breast_cancer_diagnosis.study import (
    RidgeLogistic,
    StratifiedKFold,
    load_data,
    loo_probabilities,
    main,
    recalibration,
)
from scipy.special import expit, logit
from tests.case_studies._outputs import quick_run as run_quick
from tests.case_studies._outputs import read_outputs

FIGURES = (
    "ridge_tuning",
    "roc_curves",
    "calibration",
    "coefficients",
    "patient_uncertainty",
)


# ----------------------------------------------------------------------------- building blocks
@pytest.mark.parametrize("strength", [1e-3, 0.01, 0.3])
def test_ridge_matches_scikit_learn(strength: float) -> None:
    # independent implementation: scikit-learn's lbfgs minimises C Σ logloss + ½‖β‖², the
    # same optimum as mean logloss + (λ/2)‖β‖² when C = 1/(nλ); features standardised as ours
    sklearn_lm = pytest.importorskip("sklearn.linear_model")
    X, y = load_data()
    z = (X - X.mean()) / X.std(ddof=1)
    ref = sklearn_lm.LogisticRegression(C=1 / (len(y) * strength), tol=1e-12, max_iter=100_000)
    ref.fit(z.to_numpy(), y)
    model = RidgeLogistic(strength).fit(X, y)
    np.testing.assert_allclose(model.coef_std_, ref.coef_[0], atol=2e-6)
    assert model.intercept_std_ == pytest.approx(ref.intercept_[0], abs=2e-6)
    np.testing.assert_allclose(
        model.predict_proba(X), ref.predict_proba(z.to_numpy())[:, 1], atol=1e-6
    )
    assert 1 < model.effective_df_ < X.shape[1] + 1


def test_ridge_effective_df_shrinks_with_the_penalty() -> None:
    X, y = load_data()
    dfs = [RidgeLogistic(s).fit(X, y).effective_df_ for s in (1e-3, 1e-2, 1e-1, 1.0)]
    assert all(a > b for a, b in itertools.pairwise(dfs))


def test_ridge_leaves_the_data_alone_and_rejects_bad_penalties() -> None:
    X, y = load_data()
    X_copy, y_copy = X.copy(), y.copy()
    RidgeLogistic(0.01).fit(X, y).predict_proba(X)
    pd.testing.assert_frame_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="strength"):
            RidgeLogistic(bad)


def test_stratified_folds_partition_and_balance() -> None:
    _, y = load_data()
    splitter = StratifiedKFold(5, seed=3)
    splits = list(splitter.split(None, y))
    tests = np.concatenate([test for _, test in splits])
    assert np.array_equal(np.sort(tests), np.arange(len(y)))  # every row tested exactly once
    sizes = [test.size for _, test in splits]
    assert max(sizes) - min(sizes) <= 1
    shares = [y[test].mean() for _, test in splits]
    assert max(shares) - min(shares) < 0.01
    for train, test in splits:
        assert np.intersect1d(train, test).size == 0
    again = [test for _, test in StratifiedKFold(5, seed=3).split(None, y)]
    assert all(np.array_equal(a, b) for a, (_, b) in zip(again, splits, strict=True))


def test_loo_probabilities_are_importance_sampling_estimates() -> None:
    rng = np.random.default_rng(0)
    risk = rng.uniform(0.05, 0.95, size=(400, 6))
    y = np.array([1, 0, 1, 0, 1, 0])
    # explicit self-normalised importance sampling: weights 1 / p(y_i | θ_s)
    lik = np.where(y == 1, risk, 1 - risk)
    w = 1 / lik
    expected = (w * risk).sum(axis=0) / w.sum(axis=0)
    np.testing.assert_allclose(loo_probabilities(risk, y), expected, rtol=1e-12)
    # leaving a patient out moves the risk away from their own outcome
    assert np.all(np.where(y == 1, expected <= risk.mean(0), expected >= risk.mean(0)))
    # no posterior uncertainty: nothing to correct
    flat = np.full((50, 2), 0.3)
    np.testing.assert_allclose(loo_probabilities(flat, np.array([1, 0])), [0.3, 0.3])


def test_recalibration_matches_statsmodels() -> None:
    # independent implementation: statsmodels' Logit of y on (1, logit p)
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(1)
    p = rng.uniform(0.02, 0.98, 800)
    y = (rng.random(800) < expit(0.3 + 0.7 * logit(p))).astype(int)
    ours = recalibration(y, p)
    ref = sm.Logit(y, sm.add_constant(logit(p))).fit(disp=0)
    assert ours["intercept"] == pytest.approx(ref.params[0], abs=1e-7)
    assert ours["slope"] == pytest.approx(ref.params[1], abs=1e-7)
    low, high = ref.conf_int(alpha=0.05)[1]
    assert ours["slope_low"] == pytest.approx(low, abs=1e-6)
    assert ours["slope_high"] == pytest.approx(high, abs=1e-6)


# ----------------------------------------------------------------------------- the report
def check_outputs(out: Path, results: dict[str, Any]) -> None:
    """The checks shared by the quick and the full run."""
    report, saved = read_outputs(
        out,
        FIGURES,
        (
            "## Data",
            "## Two logistic risk models",
            "## Nested cross-validation",
            "## Discrimination",
            "## Calibration",
            "## Diagnostic accuracy at a threshold chosen on the training folds",
            "## What we learned",
            "## Two views",
            "## Convergence",
            "## Reproducibility",
        ),
    )
    assert "chosen on the training folds, never on the test fold" in report

    # the data's documentation (UCI wdbc.names): 212 malignant, 357 benign, and "sets are
    # linearly separable using all 30 input features"
    data = saved["data"]
    assert data["n"] == 569
    assert data["n_malignant"] == 212
    assert data["linearly_separable"] is True

    n_outer = saved["effort"]["outer_folds"]
    folds = saved["fold_table"]
    assert [row["outer fold"] for row in folds] == list(range(1, n_outer + 1))
    assert sum(row["test patients"] for row in folds) == 569
    assert sum(row["malignant"] for row in folds) == 212
    for row in folds:
        assert 0 < row["ridge threshold"] < 1
        assert 0 < row["horseshoe threshold"] < 1
        assert 1e-4 <= row["ridge λ"] <= 1

    for name in ("ridge", "horseshoe"):
        auc = saved["auc"][name]
        assert auc["ci_low"] < auc["estimate"] < auc["ci_high"] <= 1
        assert auc["estimate"] > 0.97
        assert saved["apparent_auc"][name] >= auc["estimate"] - 0.005
        cal = saved["calibration"][name]
        assert 0 < cal["brier"] < 0.05
        assert cal["slope"] > 0
        acc = saved["diagnostic_accuracy"][name]
        counts = acc["counts"]
        assert sum(counts.values()) == 569
        assert counts["tp"] + counts["fn"] == 212
        measures = {row["measure"]: row for row in acc["sample"]}
        for key in ("sensitivity", "specificity", "accuracy"):
            row = measures[key]
            assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
        # the authors' estimate (wdbc.names): 97.5% accuracy by repeated 10-fold
        # cross-validation of a three-feature separating plane
        assert abs(measures["accuracy"]["estimate"] - 0.975) < 0.035
    delong = saved["delong"]
    assert 0 <= delong["pvalue"] <= 1
    assert delong["ci_low"] <= delong["difference"] <= delong["ci_high"]
    assert results["delong"]["difference"] == pytest.approx(
        saved["auc"]["ridge"]["estimate"] - saved["auc"]["horseshoe"]["estimate"]
    )
    patients = saved["patients"]
    assert 0 <= patients["n_errors_flagged"] <= patients["n_errors"]
    assert len(saved["coefficients"]["coefficients"]) == 30
    size = saved["coefficients"]["size_effect"]  # larger nuclei, higher risk
    assert 0 < size["horseshoe_low"] < size["horseshoe_mean"] < size["horseshoe_high"]
    assert size["ridge"] > 0
    assert set(saved["convergence"]) == {
        *(f"horseshoe, outer fold {k}" for k in range(1, n_outer + 1)),
        "horseshoe, all 569 aspirates",
    }


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return run_quick("healthcare/breast_cancer_diagnosis", main, tmp_path_factory)


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
