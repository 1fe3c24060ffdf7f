"""cross_validate and OLSModel against scikit-learn and statsmodels; the leakage example."""

import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold as SkKFold
from sklearn.model_selection import cross_validate as sk_cross_validate

import statcraft as sc
from statcraft.evaluation import (
    KFold,
    OLSModel,
    PurgedKFold,
    Scorer,
    WalkForward,
    cross_validate,
    crps_ensemble,
    pinball_loss,
)


def _regression_data(rng, n=60):
    X = rng.normal(size=(n, 2))
    y = 1.0 + X @ [2.0, -1.0] + rng.normal(size=n)
    return X, y


class FixedDraws:
    """A model whose predictive draws are the training mean plus fixed offsets (module level)."""

    def __init__(self, offsets=(-1.0, 0.0, 0.5, 2.0)):
        self.offsets = np.asarray(offsets)

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)

    def predict_distribution(self, X):
        return self.mean_ + np.tile(self.offsets[:, None], (1, len(X)))


class WrongShape:
    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.zeros(len(X) + 1)

    def predict_distribution(self, X):
        return np.zeros((10, len(X) - 1))


def test_ols_model_matches_sklearn_cross_validate(rng):
    X, y = _regression_data(rng)
    cv = SkKFold(5, shuffle=True, random_state=3)
    ours = cross_validate(OLSModel(), X, y, cv=cv, scoring=["squared_error", "absolute_error"])
    theirs = sk_cross_validate(
        LinearRegression(),
        X,
        y,
        cv=cv,
        scoring=["neg_mean_squared_error", "neg_mean_absolute_error"],
    )
    np.testing.assert_allclose(
        ours.folds["squared_error"], -theirs["test_neg_mean_squared_error"], rtol=1e-10
    )
    np.testing.assert_allclose(
        ours.folds["absolute_error"], -theirs["test_neg_mean_absolute_error"], rtol=1e-10
    )
    # summary: mean and naive SE std(ddof=1)/sqrt(k) of the fold scores, t interval, k-1 df
    v = -theirs["test_neg_mean_squared_error"]
    se = v.std(ddof=1) / math.sqrt(5)
    row = ours.summary.iloc[0]
    assert row["mean"] == pytest.approx(v.mean(), rel=1e-10)
    assert row["std_error"] == pytest.approx(se, rel=1e-10)
    assert row["ci_high"] == pytest.approx(v.mean() + stats.t.ppf(0.975, 4) * se, rel=1e-10)
    est = ours.score()
    assert isinstance(est, sc.Estimate) and est.n == len(y)
    assert "squared_error" in repr(ours)
    assert list(ours.to_frame()["scorer"]) == ["squared_error", "absolute_error"]


def test_sklearn_estimator_runs_in_cross_validate(rng):
    X, y = _regression_data(rng)
    ours = cross_validate(LinearRegression(), X, y, cv=4, scoring="squared_error")
    theirs = sk_cross_validate(LinearRegression(), X, y, cv=4, scoring="neg_mean_squared_error")
    np.testing.assert_allclose(ours.folds["squared_error"], -theirs["test_score"], rtol=1e-10)


def test_probability_scores_with_sklearn_classifier(rng):
    X = rng.normal(size=(120, 2))
    y = (X[:, 0] + rng.normal(size=120) > 0).astype(int)
    cv = SkKFold(4)
    ours = cross_validate(
        LogisticRegression(), X, y, cv=cv, scoring={"brier": "brier", "log": "log_score"}
    )
    theirs = sk_cross_validate(
        LogisticRegression(), X, y, cv=cv, scoring=["neg_brier_score", "neg_log_loss"]
    )
    np.testing.assert_allclose(ours.folds["brier"], -theirs["test_neg_brier_score"], rtol=1e-10)
    np.testing.assert_allclose(ours.folds["log"], -theirs["test_neg_log_loss"], rtol=1e-10)


def test_draws_protocol_and_crps(rng):
    y = rng.normal(size=30)
    X = np.zeros((30, 1))
    res = cross_validate(
        FixedDraws(), X, y, cv=KFold(3), scoring=["crps", "log_score"], return_predictions=True
    )
    for fold, (train, test) in enumerate(KFold(3).split(X)):
        draws = y[train].mean() + np.tile(np.array([-1.0, 0.0, 0.5, 2.0])[:, None], (1, 10))
        assert res.folds["crps"][fold] == pytest.approx(crps_ensemble(y[test], draws), rel=1e-12)
    preds = res.predictions
    assert list(preds.columns) == ["fold", "position", "y_true", "prediction", "draws_mean"]
    np.testing.assert_array_equal(np.sort(preds["position"]), np.arange(30))


def test_ols_predictive_draws_match_statsmodels_prediction_interval(rng):
    X, y = _regression_data(rng, n=40)
    Xn = rng.normal(size=(3, 2))
    model = OLSModel(n_draws=200_000, rng=1).fit(X, y)
    draws = model.predict_distribution(Xn)
    pred = (
        sm.OLS(y, sm.add_constant(X)).fit().get_prediction(sm.add_constant(Xn, has_constant="add"))
    )
    frame = pred.summary_frame(alpha=0.1)
    np.testing.assert_allclose(model.predict(Xn), frame["mean"], rtol=1e-10)
    np.testing.assert_allclose(np.quantile(draws, 0.95, axis=0), frame["obs_ci_upper"], atol=0.02)
    np.testing.assert_allclose(np.quantile(draws, 0.05, axis=0), frame["obs_ci_lower"], atol=0.02)
    # reproducible from the seed
    np.testing.assert_array_equal(
        OLSModel(n_draws=5, rng=3).fit(X, y).predict_distribution(Xn),
        OLSModel(n_draws=5, rng=3).fit(X, y).predict_distribution(Xn),
    )


def test_ols_model_rejects_non_boolean_add_intercept():
    # Regression: bool("no") silently meant add_intercept=True.
    with pytest.raises(TypeError, match="`add_intercept` must be True or False"):
        OLSModel(add_intercept="no")


def test_scorer_options_and_callables(rng):
    X, y = _regression_data(rng)
    q90 = Scorer(pinball_loss, quantile_level=0.9, name="q90")
    res = cross_validate(
        OLSModel(),
        X,
        y,
        cv=KFold(3),
        scoring={"q90": q90, "mse_by_hand": lambda t, p: float(np.mean((t - p) ** 2))},
    )
    plain = cross_validate(OLSModel(), X, y, cv=KFold(3), scoring="squared_error")
    np.testing.assert_allclose(res.folds["mse_by_hand"], plain.folds["squared_error"], rtol=1e-14)
    assert (res.folds["q90"] > 0).all()


@pytest.mark.parametrize("pool", ["thread", "process"])
def test_executor_gives_identical_results(rng, pool):
    X, y = _regression_data(rng)
    cv = WalkForward(train_size=20, test_size=10)
    scoring = ["squared_error", "crps"]
    serial = cross_validate(OLSModel(rng=5), X, y, cv=cv, scoring=scoring, return_predictions=True)
    Pool = ThreadPoolExecutor if pool == "thread" else ProcessPoolExecutor
    with Pool(max_workers=2) as ex:
        par = cross_validate(
            OLSModel(rng=5), X, y, cv=cv, scoring=scoring, executor=ex, return_predictions=True
        )
    cols = ["fold", "n_train", "n_test", *scoring]
    pd.testing.assert_frame_equal(serial.folds[cols], par.folds[cols])
    pd.testing.assert_frame_equal(serial.predictions, par.predictions)


def test_factory_and_pandas_input(rng):
    X, y = _regression_data(rng)
    df = pd.DataFrame(X, columns=["a", "b"], index=np.arange(100, 160))
    ys = pd.Series(y, index=df.index)
    a = cross_validate(OLSModel, df, ys, cv=KFold(3), scoring="squared_error")
    b = cross_validate(OLSModel(), X, y, cv=KFold(3), scoring="squared_error")
    np.testing.assert_allclose(a.folds["squared_error"], b.folds["squared_error"], rtol=1e-12)


def test_bad_input(rng):
    X, y = _regression_data(rng, n=20)
    with pytest.raises(ValueError, match=r"must return one value per test row \(5,\); got shape"):
        cross_validate(WrongShape(), X, y, cv=KFold(4), scoring="squared_error")
    with pytest.raises(ValueError, match=r"must return draws of shape \(n_draws, n_obs\)"):
        cross_validate(WrongShape(), X, y, cv=KFold(4), scoring="crps")
    with pytest.raises(TypeError, match=r"needs `predict_distribution\(X\)`"):
        cross_validate(LinearRegression(), X, y, cv=KFold(4), scoring="crps")
    with pytest.raises(ValueError, match="not a known score"):
        cross_validate(OLSModel(), X, y, cv=KFold(4), scoring="r2")
    with pytest.raises(ValueError, match="`X` and `y` must have the same length; got 20 and 19"):
        cross_validate(OLSModel(), X, y[:-1], cv=KFold(4), scoring="squared_error")
    with pytest.raises(TypeError, match="must return a single number"):
        cross_validate(OLSModel(), X, y, cv=KFold(4), scoring=lambda t, p: (t - p) ** 2)
    with pytest.raises(TypeError, match="`cv` must be a splitter"):
        cross_validate(OLSModel(), X, y, cv="kfold", scoring="squared_error")
    with pytest.raises(TypeError, match="`model` must have fit"):
        cross_validate(42, X, y, cv=KFold(4), scoring="squared_error")
    with (
        pytest.raises(TypeError, match="must be picklable"),
        ProcessPoolExecutor(max_workers=1) as ex,
    ):
        cross_validate(OLSModel(), X, y, cv=KFold(4), scoring=lambda t, p: 0.0, executor=ex)
    with pytest.raises(ValueError, match="at least 2 folds"):
        cross_validate(
            OLSModel(), X, y, cv=WalkForward(train_size=10, test_size=10), scoring="squared_error"
        ).score()


def test_inputs_not_modified(rng):
    X, y = _regression_data(rng, n=20)
    X0, y0 = X.copy(), y.copy()
    model = OLSModel()
    cross_validate(model, X, y, cv=KFold(4), scoring="squared_error")
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert model.result_ is None  # the model given is never fitted: copies are


# --------------------------------------------------------------------------- leakage example
# The same code as in docs/guide/evaluation.md ("Look-ahead leakage").
class NearestNeighbours:
    """Predict the mean target of the k training rows with the closest features."""

    def __init__(self, k=5):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, float), np.asarray(y, float)
        return self

    def predict(self, X):
        d = ((np.asarray(X, float)[:, None, :] - self.X_[None, :, :]) ** 2).sum(axis=2)
        nearest = np.argsort(d, axis=1)[:, : self.k]
        return self.y_[nearest].mean(axis=1)


class TrainingMean:
    """The no-skill benchmark: always predict the mean of the training targets."""

    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def _leakage_example(seed=0, n=600, h=20):
    rng = np.random.default_rng(seed)
    returns = rng.normal(size=n + 100 + h)  # iid: nothing is predictable
    price = np.concatenate([[0.0], np.cumsum(returns)])
    t = np.arange(100, 100 + n)
    y = price[t + h + 1] - price[t + 1]  # label: the next h returns (overlapping labels)
    X = np.column_stack(
        [
            price[t + 1] / 10,  # price level
            (price[t + 1] - price[t - 49]) / 5,  # 50-step momentum
            (price[t + 1] - price[t - 99]) / 10,  # 100-step momentum
        ]
    )
    label_end = np.minimum(np.arange(n) + h, n - 1)
    splitters = {
        "shuffled K-fold": KFold(5, shuffle=True, rng=1),
        "walk-forward": WalkForward(train_size=300, test_size=60, gap=h),
        "purged K-fold": PurgedKFold(5, label_end=label_end, embargo=10),
    }
    rows = []
    for name, cv in splitters.items():
        knn = cross_validate(NearestNeighbours(), X, y, cv=cv, scoring="squared_error")
        mean = cross_validate(TrainingMean(), X, y, cv=cv, scoring="squared_error")
        ratio = knn.score().estimate / mean.score().estimate
        rows.append({"cv": name, "mse_ratio": ratio})
    return pd.DataFrame(rows).set_index("cv")["mse_ratio"]


def test_leakage_example_shuffled_kfold_flatters_the_model():
    ratio = _leakage_example()
    # shuffled K-fold: "the model halves the error of the no-skill benchmark" (a leak)
    assert ratio["shuffled K-fold"] < 0.6
    # honest schemes: no skill (the returns are iid), the model is worse than the benchmark
    assert ratio["walk-forward"] > 1.0
    assert ratio["purged K-fold"] > 1.0


@pytest.mark.slow
def test_leakage_example_over_seeds():
    ratios = pd.DataFrame([_leakage_example(seed) for seed in range(20)])
    assert (ratios["shuffled K-fold"] < 0.8).mean() >= 0.9
    assert ratios["walk-forward"].median() > 1.0
    assert ratios["purged K-fold"].median() > 1.0


def test_nan_in_target_is_named(rng):
    X, y = _regression_data(rng, n=20)
    y[4] = np.nan
    with pytest.raises(ValueError, match=r"`y` has 1 NaN value; drop those rows \(from `X` too\)"):
        cross_validate(OLSModel(), X, y, cv=KFold(4), scoring="squared_error")


def test_ols_predictive_distribution_is_calibrated():
    # Under the normal linear model the t predictive distribution is exactly calibrated
    # (unconditionally): PIT values of new observations are uniform. 400 replications.
    from statcraft.evaluation import pit_values

    rng = np.random.default_rng(7)
    reps, n = 400, 15
    pits = np.empty(reps)
    for r in range(reps):
        X = rng.normal(size=(n + 1, 2))
        y = 0.5 + X @ [1.0, -2.0] + 1.5 * rng.normal(size=n + 1)
        model = OLSModel(n_draws=400, rng=r).fit(X[:n], y[:n])
        pits[r] = pit_values(y[n:], model.predict_distribution(X[n:]), rng=r)[0]
    assert stats.kstest(pits, "uniform").pvalue > 0.01
    # 90% central predictive intervals cover about 90%
    inside = np.mean((pits > 0.05) & (pits < 0.95))
    assert abs(inside - 0.9) < 0.045


def test_a_single_split_warns_that_its_std_error_is_undefined():
    x = np.arange(30.0)
    y = 2.0 * x + np.tile([0.5, -0.5], 15)
    holdout = WalkForward(train_size=20, test_size=10)
    with pytest.warns(UserWarning, match="single split .* undefined"):
        res = cross_validate(OLSModel(), x, y, cv=holdout, scoring="squared_error")
    assert np.isnan(res.summary.loc[0, "std_error"])
    with pytest.raises(ValueError, match="at least 2 folds"):
        res.score()
