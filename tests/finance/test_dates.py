"""Time-series functions keep the dates they are given (issue 12: "time series come with dates").

The bundled series are indexed by a DatetimeIndex named "date"; each finance function that
returns one value per date must return it on the same dates (or their aligned part: the
second date on for returns, the forecast dates for a forecast), with the index name kept, and
its values must equal those of the array call (which is checked against independent
implementations in the other test files).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from statcraft import finance as fi
from statcraft.datasets import load_fama_french_industries, load_wti


@pytest.fixture(scope="module")
def price() -> pd.Series:
    return load_wti()["price"]


@pytest.fixture(scope="module")
def ret(price) -> pd.Series:
    return np.log(price).diff().iloc[1:]


@pytest.fixture(scope="module")
def ff() -> pd.DataFrame:
    return load_fama_french_industries()


def _same_dates(out, expected: pd.Index) -> None:
    assert isinstance(out.index, pd.DatetimeIndex)
    pd.testing.assert_index_equal(out.index, expected, exact=True, check_names=True)
    assert out.index.name == "date"


def test_returns_from_dated_prices(price):
    for func in (fi.simple_returns, fi.log_returns):
        out = func(price)
        _same_dates(out, price.index[1:])
        np.testing.assert_array_equal(out.to_numpy(), func(price.to_numpy()))
    frame = pd.concat([price, 2 * price], axis=1, keys=["a", "b"])
    out = fi.simple_returns(frame)
    _same_dates(out, price.index[1:])
    assert list(out.columns) == ["a", "b"]


def test_excess_and_cumulative_returns_on_monthly_data(ff):
    ex = fi.excess_returns(ff["Money"], ff["rf"])
    _same_dates(ex, ff.index)
    assert ex.index.freqstr == "MS"  # the monthly frequency survives
    np.testing.assert_array_equal(
        ex.to_numpy(), fi.excess_returns(ff["Money"].to_numpy(), ff["rf"].to_numpy())
    )
    exf = fi.excess_returns(ff[["Money", "Utils"]], ff["rf"])
    _same_dates(exf, ff.index)
    for kind in ("simple", "log"):
        cum = fi.cumulative_returns(ex, kind=kind)
        _same_dates(cum, ff.index)
        np.testing.assert_array_equal(
            cum.to_numpy(), fi.cumulative_returns(ex.to_numpy(), kind=kind)
        )
    _same_dates(fi.cumulative_returns(exf), ff.index)


def test_a_later_risk_free_series_is_aligned_on_dates(ff):
    # the returns from 1990 on, the risk-free rate over the whole sample: aligned by date
    r = ff["Money"].loc["1990":]
    out = fi.excess_returns(r, ff["rf"])
    _same_dates(out, r.index)
    np.testing.assert_allclose(
        out.to_numpy(), (r - ff["rf"].loc["1990":]).to_numpy(), rtol=0, atol=0
    )


def test_drawdowns_and_ewma_volatility(price, ret):
    dd = fi.drawdowns(price)
    _same_dates(dd, price.index)
    np.testing.assert_array_equal(dd.to_numpy(), fi.drawdowns(price.to_numpy()))
    vol = fi.ewma_volatility(ret)
    _same_dates(vol, ret.index)
    np.testing.assert_array_equal(vol.to_numpy(), fi.ewma_volatility(ret.to_numpy()))
    md = fi.max_drawdown(price)
    # the peak and trough are dates of the series (2008-07-03 peak: WTI at 145.31 USD)
    assert md.peak == pd.Timestamp("2008-07-03") and md.peak in price.index
    assert price.loc[md.peak] == price.loc[: md.trough].max() == 145.31


@pytest.mark.parametrize("method", ["historical", "ewma", "filtered_historical", "gaussian"])
def test_var_es_forecast_and_violations(ret, method):
    fc = fi.var_es_forecast(ret, levels=(0.99,), method=method, window=500)
    _same_dates(fc, ret.index[500:])
    assert fc.attrs["start"] == ret.index[500]
    arr = fi.var_es_forecast(ret.to_numpy(), levels=(0.99,), method=method, window=500)
    np.testing.assert_array_equal(fc.to_numpy(), arr.to_numpy())
    hits = fi.violations(ret.loc[fc.index], fc["var_0.99"])
    _same_dates(hits, fc.index)
    # all the returns and the forecasts from 2010 on: aligned on the forecasts' dates
    later = fc["var_0.99"].loc["2010":]
    aligned = fi.violations(ret, later)
    _same_dates(aligned, later.index)
    np.testing.assert_array_equal(aligned.to_numpy(), hits.loc["2010":].to_numpy())


def test_var_es_forecast_start_by_date(ret):
    fc = fi.var_es_forecast(ret, levels=(0.975,), window=250, start="2015-01-01")
    assert fc.index[0] == ret.loc["2015-01-01":].index[0]
    _same_dates(fc, ret.loc["2015-01-01":].index)


def test_var_es_from_draws_takes_the_dates(ret):
    draws = np.random.default_rng(3).normal(scale=0.02, size=(2000, 5))
    dates = ret.index[-5:]
    _same_dates(fi.var_es_from_draws(draws, index=dates), dates)
    _same_dates(fi.var_es_from_draws(pd.DataFrame(draws, columns=dates)), dates)


def test_rolling_beta_keeps_the_dates(ff):
    ex = ff[["Money", "Utils"]].sub(ff["rf"], axis=0)
    one = fi.rolling_beta(ex["Money"], ff["mkt_rf"], window=36)
    _same_dates(one, ff.index)
    np.testing.assert_array_equal(
        one.to_numpy(),
        fi.rolling_beta(ex["Money"].to_numpy(), ff["mkt_rf"].to_numpy(), window=36).to_numpy(),
    )
    _same_dates(fi.rolling_beta(ex["Money"], ff[["mkt_rf", "smb", "hml"]], window=60), ff.index)
    _same_dates(fi.rolling_beta(ex, ff["mkt_rf"], window=36), ff.index)
    _same_dates(fi.rolling_beta(ex, ff[["mkt_rf", "smb"]], window=36), ff.index)
    # an array of returns takes the factors' dates
    _same_dates(fi.rolling_beta(ex["Money"].to_numpy(), ff["mkt_rf"], window=36), ff.index)


def test_fama_macbeth_lambdas_are_dated(ff):
    assets = ["NoDur", "Durbl", "Manuf", "Enrgy", "Chems", "BusEq", "Telcm", "Utils"]
    ex = ff[assets].sub(ff["rf"], axis=0)
    res = fi.fama_macbeth(ex, ff[["mkt_rf", "smb", "hml"]])
    _same_dates(res.lambdas, ff.index)


def test_loaders_frames_are_not_modified(ff, price):
    before_ff, before_p = ff.copy(), price.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fi.excess_returns(ff[["Money", "Utils"]], ff["rf"])
        fi.rolling_beta(ff["Money"], ff["mkt_rf"], window=36)
        fi.simple_returns(price)
        fi.drawdowns(price)
    pd.testing.assert_frame_equal(ff, before_ff)
    pd.testing.assert_series_equal(price, before_p)
