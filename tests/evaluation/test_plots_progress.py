"""CVResult.plot (fold scores, mean, interval) and progress bars of cross_validate and tune.

Fold scores drawn are checked against fold errors computed here with numpy's least squares;
progress is checked through a recording Progress (total and steps) and captured output.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from tests._progress_recorder import Recorder

import statcraft as sc

WF = sc.evaluation.WalkForward(train_size=20, test_size=8)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _data() -> tuple[np.ndarray, np.ndarray]:
    x = np.arange(60.0)
    y = 1.0 + 2.0 * x + np.random.default_rng(0).normal(size=60)
    return x, y


def _fold_errors(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean squared and absolute test errors of OLS on each walk-forward split (numpy lstsq)."""
    sq, ab = [], []
    for train, test in WF.split(x):
        design = np.column_stack([np.ones(train.size), x[train]])
        beta = np.linalg.lstsq(design, y[train], rcond=None)[0]
        err = y[test] - (beta[0] + beta[1] * x[test])
        sq.append(np.mean(err**2))
        ab.append(np.mean(np.abs(err)))
    return np.array(sq), np.array(ab)


def test_cv_plot_draws_each_fold_score_with_mean_and_interval():
    x, y = _data()
    res = sc.evaluation.cross_validate(
        sc.evaluation.OLSModel(), x, y, cv=WF, scoring="squared_error"
    )
    ax = res.plot()
    sq, _ = _fold_errors(x, y)
    folds, mean = ax.lines[0], ax.lines[1]
    assert len(ax.lines) == 2 and len(ax.patches) == 1  # points, mean line, interval band
    np.testing.assert_allclose(folds.get_xdata(), np.arange(5))
    np.testing.assert_allclose(folds.get_ydata(), sq, rtol=1e-10)
    np.testing.assert_allclose(mean.get_ydata(), [sq.mean()] * 2, rtol=1e-10)
    band = ax.patches[0]  # a Rectangle spanning the axes' width
    lo, hi = res.score().confidence_interval
    assert band.get_y() == pytest.approx(lo)
    assert band.get_y() + band.get_height() == pytest.approx(hi)
    assert ax.get_xlabel() == "fold"
    assert ax.get_ylabel() == "squared_error (mean over the test set)"
    assert ax.get_title() == "Cross-validation: 5 folds"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "squared_error by fold",
        f"mean squared_error = {sq.mean():.4g}",
        "95% CI of mean squared_error (naive SE)",
    ]


def test_cv_plot_several_scorers_a_subset_and_given_axes():
    x, y = _data()
    res = sc.evaluation.cross_validate(
        sc.evaluation.OLSModel(), x, y, cv=WF, scoring=["squared_error", "absolute_error"]
    )
    ax = res.plot()
    assert len(ax.lines) == 4 and len(ax.patches) == 2
    assert ax.get_ylabel() == "score"
    _, ab = _fold_errors(x, y)
    _fig, given = plt.subplots()
    out = res.plot(ax=given, scorers="absolute_error")
    assert out is given and len(given.lines) == 2
    np.testing.assert_allclose(given.lines[0].get_ydata(), ab, rtol=1e-10)
    with pytest.raises(ValueError, match="`scorers` must name scorers"):
        res.plot(scorers=["crps"])


def test_cv_plot_with_one_fold_has_no_band():
    x, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = sc.evaluation.cross_validate(
            sc.evaluation.OLSModel(),
            x,
            y,
            cv=sc.evaluation.WalkForward(train_size=40, test_size=20),
            scoring="squared_error",
        )
    ax = res.plot()
    assert len(ax.lines) == 2 and len(ax.patches) == 0


@pytest.fixture
def recorder(monkeypatch):
    Recorder.made = []
    # the module the functions run in (a doctest run may import a second copy of the file)
    namespace = sc.evaluation.cross_validate.__globals__
    assert sc.evaluation.tune.__globals__["evaluate_tasks"].__globals__ is namespace
    monkeypatch.setitem(namespace, "Progress", Recorder)
    return Recorder.made


def test_cross_validate_progress_per_fold(recorder):
    x, y = _data()
    res = sc.evaluation.cross_validate(
        sc.evaluation.OLSModel(), x, y, cv=WF, scoring="squared_error", progress=False
    )
    (bar,) = recorder
    assert (bar.total, bar.completed, bar.steps) == (5, 5, 5)
    assert bar.description == "cross-validating (5 folds)"
    with ThreadPoolExecutor(2) as pool:
        par = sc.evaluation.cross_validate(
            sc.evaluation.OLSModel(), x, y, cv=WF, scoring="squared_error", executor=pool
        )
    assert recorder[1].completed == 5
    cols = ["fold", "n_train", "n_test", "squared_error"]
    pd.testing.assert_frame_equal(par.folds[cols], res.folds[cols])


def test_tune_progress_per_candidate_and_fold(recorder):
    x, y = _data()
    res = sc.evaluation.tune(
        sc.evaluation.OLSModel,
        {"add_intercept": [True, False]},
        x,
        y,
        cv=WF,
        scoring="squared_error",
        progress=None,
    )
    (bar,) = recorder
    assert (bar.total, bar.completed) == (10, 10)
    assert bar.description == "tuning (2 candidates x 5 folds)"
    assert res.best_params == {"add_intercept": True}


def test_progress_never_prints_under_pytest_unless_asked(capfd):
    x, y = _data()
    kw = {"cv": WF, "scoring": "squared_error"}
    a = sc.evaluation.cross_validate(sc.evaluation.OLSModel(), x, y, **kw)
    sc.evaluation.tune(sc.evaluation.OLSModel, {"add_intercept": [True]}, x, y, **kw)
    sc.evaluation.cross_validate(sc.evaluation.OLSModel(), x, y, progress=False, **kw)
    assert capfd.readouterr() == ("", "")
    b = sc.evaluation.cross_validate(sc.evaluation.OLSModel(), x, y, progress=True, **kw)
    out, err = capfd.readouterr()
    assert out == "" and err != ""  # rich draws on standard error only
    pd.testing.assert_frame_equal(a.summary, b.summary)


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_progress_must_be_none_or_bool(bad):
    x, y = _data()
    with pytest.raises(TypeError, match="progress must be None, True or False"):
        sc.evaluation.cross_validate(
            sc.evaluation.OLSModel(), x, y, cv=WF, scoring="squared_error", progress=bad
        )
    with pytest.raises(TypeError, match="progress must be None, True or False"):
        sc.evaluation.tune(
            sc.evaluation.OLSModel,
            {"add_intercept": [True]},
            x,
            y,
            cv=WF,
            scoring="squared_error",
            progress=bad,
        )
