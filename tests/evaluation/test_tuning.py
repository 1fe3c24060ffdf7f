"""tune against scikit-learn's GridSearchCV; random search; no look-ahead with WalkForward."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.model_selection import KFold as SkKFold

from statcraft.evaluation import KFold, WalkForward, tune


def _data(rng, n=80):
    X = rng.normal(size=(n, 5))
    y = X @ [1.0, 0.5, 0.0, 0.0, -0.3] + rng.normal(size=n) * 2
    return X, y


def test_grid_search_matches_sklearn_gridsearchcv(rng):
    X, y = _data(rng)
    grid = {"alpha": [0.01, 1.0, 10.0, 100.0], "fit_intercept": [True, False]}
    cv = SkKFold(5, shuffle=True, random_state=2)
    ours = tune(Ridge, grid, X, y, cv=cv, scoring=["squared_error", "absolute_error"])
    gs = GridSearchCV(Ridge(), grid, cv=cv, scoring="neg_mean_squared_error").fit(X, y)
    theirs = pd.DataFrame(gs.cv_results_["params"])
    theirs["mse"] = -gs.cv_results_["mean_test_score"]
    merged = ours.table.merge(theirs, on=["alpha", "fit_intercept"])
    assert len(merged) == 8
    np.testing.assert_allclose(merged["squared_error"], merged["mse"], rtol=1e-10)
    assert ours.best_params == gs.best_params_
    assert ours.table.loc[ours.best_index, "rank"] == 1
    assert ours.best_score.estimate == pytest.approx(-gs.best_score_, rel=1e-10)
    assert "best" in repr(ours)


def test_random_search_is_reproducible_and_uses_distributions(rng):
    X, y = _data(rng)
    grid = {"alpha": stats.loguniform(1e-3, 1e3), "fit_intercept": [True, False]}
    a = tune(
        Ridge, grid, X, y, cv=KFold(4), scoring="squared_error", search="random", n_iter=6, rng=11
    )
    b = tune(
        Ridge, grid, X, y, cv=KFold(4), scoring="squared_error", search="random", n_iter=6, rng=11
    )
    pd.testing.assert_frame_equal(a.table, b.table)
    assert len(a.table) == 6
    assert ((a.table["alpha"] > 1e-3) & (a.table["alpha"] < 1e3)).all()
    assert a.table["alpha"].nunique() == 6


def test_executor_gives_identical_table(rng):
    X, y = _data(rng)
    grid = {"alpha": [0.1, 1.0, 10.0]}
    serial = tune(Ridge, grid, X, y, cv=KFold(4), scoring="squared_error")
    with ThreadPoolExecutor(2) as ex:
        par = tune(Ridge, grid, X, y, cv=KFold(4), scoring="squared_error", executor=ex)
    pd.testing.assert_frame_equal(serial.table, par.table)


class NoPeek:
    """A model that fails if it is ever asked to predict a time it was trained after."""

    def __init__(self, shrink=1.0):
        self.shrink = shrink

    def fit(self, X, y):
        self.last_time_ = float(np.max(np.asarray(X)[:, 0]))
        self.mean_ = self.shrink * float(np.mean(y))
        return self

    def predict(self, X):
        t = np.asarray(X)[:, 0]
        if t.min() <= self.last_time_:
            raise RuntimeError("trained on the future of the test window")
        return np.full(len(t), self.mean_)


def test_walk_forward_tuning_never_uses_the_future(rng):
    n = 60
    X = np.arange(n, dtype=float).reshape(-1, 1)
    y = rng.normal(size=n) + 1.0
    res = tune(
        NoPeek,
        {"shrink": [0.0, 0.5, 1.0]},
        X,
        y,
        cv=WalkForward(train_size=20, test_size=10),
        scoring="squared_error",
    )
    assert len(res.table) == 3
    with pytest.raises(RuntimeError, match="trained on the future"):  # the check can fail
        tune(NoPeek, {"shrink": [1.0]}, X, y, cv=KFold(3), scoring="squared_error")


def test_bad_input(rng):
    X, y = _data(rng, n=20)
    with pytest.raises(ValueError, match=r"`param_grid\['alpha'\]` is empty"):
        tune(Ridge, {"alpha": []}, X, y, cv=KFold(2), scoring="squared_error")
    with pytest.raises(TypeError, match=r"`param_grid\['alpha'\]` must be a list of values; got"):
        tune(Ridge, {"alpha": stats.loguniform(1, 2)}, X, y, cv=KFold(2), scoring="squared_error")
    with pytest.raises(ValueError, match="needs `n_iter`"):
        tune(Ridge, {"alpha": [1.0]}, X, y, cv=KFold(2), scoring="squared_error", search="random")
    with pytest.raises(ValueError, match="`n_iter` applies to search='random' only"):
        tune(Ridge, {"alpha": [1.0]}, X, y, cv=KFold(2), scoring="squared_error", n_iter=3)
    with pytest.raises(TypeError, match="`param_grid` must be a non-empty dict"):
        tune(Ridge, [("alpha", [1.0])], X, y, cv=KFold(2), scoring="squared_error")
    with pytest.raises(ValueError, match="`search` must be one of"):
        tune(Ridge, {"alpha": [1.0]}, X, y, cv=KFold(2), scoring="squared_error", search="bayes")


class Threshold:
    """Classifies x > 0 as 1, or the reverse: one right and one wrong candidate."""

    def __init__(self, flip: bool = False):
        self.flip = flip

    def fit(self, X, y):
        return self

    def predict(self, X):
        label = (np.asarray(X, dtype=float).ravel() > 0).astype(float)
        return 1.0 - label if self.flip else label


def _labels(n=60):
    x = np.linspace(-3, 3, n)
    return x, (x > 0).astype(float)


def accuracy_score(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def test_tune_maximises_scores_where_higher_is_better():
    from statcraft.evaluation import Scorer

    x, y = _labels()
    grid = {"flip": [True, False]}
    wrapped = Scorer(accuracy_score, greater_is_better=True)
    for scoring in (wrapped, "accuracy", "neg_mean_squared_error"):
        res = tune(Threshold, grid, x, y, cv=KFold(3), scoring=scoring)
        assert res.best_params == {"flip": False}, scoring
        assert res.table.loc[res.best_index, "rank"] == 1
    # a loss still picks its minimum
    assert tune(Threshold, grid, x, y, cv=KFold(3), scoring="squared_error").best_params == {
        "flip": False
    }


def test_tune_refuses_a_score_of_unknown_direction():
    x, y = _labels()
    with pytest.raises(ValueError, match=r"greater_is_better=True\) for a score such as accuracy"):
        tune(Threshold, {"flip": [True, False]}, x, y, cv=KFold(3), scoring=accuracy_score)


def test_sklearn_named_scorers_match_sklearn():
    from sklearn.metrics import mean_squared_error, roc_auc_score

    from statcraft.evaluation._protocol import resolve_scoring

    rng = np.random.default_rng(3)
    y = (rng.uniform(size=200) < 0.4).astype(float)
    p = np.clip(0.3 * y + rng.uniform(size=200) * 0.7, 0, 1)
    named = resolve_scoring(["roc_auc", "neg_mean_squared_error", "accuracy"])
    assert named["roc_auc"](y, p) == pytest.approx(roc_auc_score(y, p), rel=1e-12)
    assert named["neg_mean_squared_error"](y, p) == pytest.approx(-mean_squared_error(y, p))
    assert named["accuracy"](y, p) == pytest.approx(np.mean((p >= 0.5) == (y == 1)))
    assert all(s.greater_is_better for s in named.values())
