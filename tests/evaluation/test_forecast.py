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


def test_dated_series_give_dated_forecasts():
    # issue 12: the bundled WTI prices are indexed by date; the forecasts keep those dates,
    # from y's index, or from X's when y is an array, and the numbers do not depend on which
    from statcraft.datasets import load_wti

    r = 100 * np.log(load_wti()["price"]).diff().iloc[-301:]
    y, X = r.iloc[1:], r.shift(1).iloc[1:].to_frame("lag")
    cv = WalkForward(train_size=250, test_size=1)
    out = walk_forward_forecast(OLSModel(), X, y, cv=cv)
    pd.testing.assert_index_equal(out.index, y.index[250:])
    assert out.index.name == "date"
    by_x = walk_forward_forecast(OLSModel(), X, y.to_numpy(), cv=cv)
    pd.testing.assert_frame_equal(by_x, out)
    plain = walk_forward_forecast(OLSModel(), X.to_numpy(), y.to_numpy(), cv=cv)
    assert plain.index.equals(pd.RangeIndex(250, 300))
    np.testing.assert_array_equal(plain.to_numpy(), out.to_numpy())
