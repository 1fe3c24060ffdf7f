"""walk_forward_forecast against explicit loops with statsmodels OLS."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from statcraft.evaluation import KFold, OLSModel, WalkForward, walk_forward_forecast


def _ar1(rng, n=80, phi=0.7):
    y = np.zeros(n)
    e = rng.normal(size=n)
    for t in range(1, n):
        y[t] = phi * y[t - 1] + e[t]
    return y


class LastValue:
    """Naive forecast: the last training value, whatever the horizon."""

    def fit(self, X, y):
        self.last_ = float(np.asarray(y)[-1])
        return self

    def predict(self, X):
        return np.full(len(X), self.last_)


def test_one_step_ar1_matches_statsmodels_loop(rng):
    y = _ar1(rng)
    target, lag = y[1:], y[:-1].reshape(-1, 1)
    out = walk_forward_forecast(OLSModel(), lag, target, cv=WalkForward(train_size=40, test_size=1))
    expected = []
    for t in range(40, len(target)):
        fit = sm.OLS(target[:t], sm.add_constant(lag[:t])).fit()
        expected.append(fit.params[0] + fit.params[1] * lag[t, 0])
    np.testing.assert_allclose(out["prediction"], expected, rtol=1e-10)
    assert out["position"].tolist() == list(range(40, len(target)))
    assert (out["horizon"] == 1).all()
    np.testing.assert_array_equal(out["y_true"], target[40:])


def test_refit_every_k_reuses_the_last_fit(rng):
    y = _ar1(rng)
    target, lag = y[1:], y[:-1].reshape(-1, 1)
    out = walk_forward_forecast(
        OLSModel(), lag, target, cv=WalkForward(train_size=40, test_size=1), refit=5
    )
    for row in out.itertuples():
        t_fit = 40 + row.fit_split  # training window of the split it was fitted on
        assert row.fit_split == (row.split // 5) * 5
        fit = sm.OLS(target[:t_fit], sm.add_constant(lag[:t_fit])).fit()
        assert row.prediction == pytest.approx(fit.params[0] + fit.params[1] * lag[row.position, 0])


def test_h_step_naive_forecasts_and_index_labels(rng):
    y = pd.Series(np.cumsum(rng.normal(size=30)), index=pd.date_range("2020-01-01", periods=30))
    out = walk_forward_forecast(
        LastValue(), None, y, cv=WalkForward(train_size=20, test_size=3, step=1)
    )
    # origins 20..27, horizons 1..3: every prediction is the last value before the origin
    assert len(out) == 8 * 3
    assert out["horizon"].tolist() == [1, 2, 3] * 8
    np.testing.assert_allclose(out["prediction"], y.to_numpy()[out["position"] - out["horizon"]])
    assert out.index[0] == pd.Timestamp("2020-01-21")


def test_bad_input(rng):
    y = _ar1(rng, n=30)
    with pytest.raises(ValueError, match="needs forward-only splits"):
        walk_forward_forecast(LastValue(), None, y, cv=KFold(3))
    with pytest.raises(ValueError, match="`refit` must be 'every' or a positive integer"):
        walk_forward_forecast(
            LastValue(), None, y, cv=WalkForward(train_size=20, test_size=1), refit="sometimes"
        )
    with pytest.raises(ValueError, match="`refit` must be >= 1"):
        walk_forward_forecast(
            LastValue(), None, y, cv=WalkForward(train_size=20, test_size=1), refit=0
        )
    with pytest.raises(ValueError, match="`X` and `y` must have the same length"):
        walk_forward_forecast(
            LastValue(), np.zeros((29, 1)), y, cv=WalkForward(train_size=20, test_size=1)
        )
    with pytest.raises(ValueError, match=r"exceeds the number of samples \(30\)"):
        walk_forward_forecast(LastValue(), None, y, cv=WalkForward(train_size=20, test_size=40))
