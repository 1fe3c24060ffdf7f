"""Returns from prices, excess returns, annualisation, cumulative growth."""

import warnings

import numpy as np
import pandas as pd
import pytest

from statcraft.datasets import load_fama_french_industries, load_wti
from statcraft.finance import (
    LooksLikePricesWarning,
    annualize,
    cumulative_returns,
    excess_returns,
    log_returns,
    simple_returns,
)


@pytest.fixture
def wti() -> pd.Series:
    return load_wti()["price"].rename("wti")  # indexed by date


def test_simple_and_log_returns_match_pandas_on_wti(wti):
    # Independent computation: pandas' pct_change and numpy's log of the price ratio.
    r = simple_returns(wti)
    expected = wti.pct_change().iloc[1:]
    pd.testing.assert_series_equal(r, expected, check_freq=False)
    lr = log_returns(wti)
    np.testing.assert_allclose(lr.to_numpy(), np.diff(np.log(wti.to_numpy())), atol=1e-14)
    assert lr.index.equals(wti.index[1:])
    assert lr.name == "wti"


def test_returns_of_a_dataframe_keep_columns():
    prices = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 2.0, 1.0]})
    r = simple_returns(prices)
    assert list(r.columns) == ["a", "b"]
    np.testing.assert_allclose(r.to_numpy(), [[1.0, -0.5], [0.5, -0.5]])


def test_excess_returns_align_on_dates():
    idx = pd.date_range("2020-01-31", periods=3, freq="ME")
    r = pd.Series([0.02, -0.01, 0.03], index=idx)
    rf = pd.Series([0.001, 0.002, 0.003, 0.004], index=idx.append(pd.DatetimeIndex(["2020-04-30"])))
    out = excess_returns(r, rf)
    np.testing.assert_allclose(out.to_numpy(), [0.019, -0.012, 0.027])
    assert out.index.equals(idx)


def test_excess_returns_on_fama_french_industries():
    # The industries file holds total returns; rf is the one-month T-bill return in decimals.
    ff = load_fama_french_industries()
    out = excess_returns(ff[["NoDur", "Enrgy"]], ff["rf"])
    np.testing.assert_allclose(out["NoDur"], ff["NoDur"] - ff["rf"], rtol=1e-12)


def test_annualize_geometric_and_log_agree():
    # Hand computation: 12 months of 1% compound to 1.01**12 - 1 = 0.12682503013196977.
    assert annualize([0.01] * 12, periods_per_year=12) == pytest.approx(0.12682503013196977)
    r = np.array([0.03, -0.02, 0.01, 0.04])
    simple = annualize(r, periods_per_year=4)
    logged = annualize(np.log1p(r), periods_per_year=4, kind="log")
    assert simple == pytest.approx(logged, rel=1e-12)
    assert simple == pytest.approx(np.prod(1 + r) - 1, rel=1e-12)


def test_annualize_volatility_and_dataframe():
    r = pd.DataFrame({"a": [0.01, -0.01, 0.02], "b": [0.0, 0.01, 0.0]})
    vol = annualize(r, periods_per_year=252, statistic="volatility")
    assert list(vol.index) == ["a", "b"]
    assert vol["a"] == pytest.approx(np.std([0.01, -0.01, 0.02], ddof=1) * np.sqrt(252))


def test_cumulative_returns_compound():
    r = pd.Series([0.1, -0.1, 0.05], index=pd.date_range("2020-01-01", periods=3))
    out = cumulative_returns(r)
    np.testing.assert_allclose(out.to_numpy(), [0.1, 0.1 * 0.9 + 0.9 - 1, 1.1 * 0.9 * 1.05 - 1])
    np.testing.assert_allclose(
        cumulative_returns(np.log1p(r), kind="log").to_numpy(), out.to_numpy(), rtol=1e-12
    )
    assert out.index.equals(r.index)
    assert cumulative_returns([-1.0, 0.5])[-1] == -1.0  # a total loss stays a total loss


def test_inputs_are_not_modified(wti):
    before = wti.copy()
    simple_returns(wti)
    r = log_returns(wti)
    r_before = r.copy()
    cumulative_returns(r, kind="log")
    excess_returns(r, 0.0001)
    annualize(r, periods_per_year=252, kind="log")
    pd.testing.assert_series_equal(wti, before)
    pd.testing.assert_series_equal(r, r_before)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: simple_returns([]), ValueError, "`prices` is empty"),
        (lambda: simple_returns([1.0]), ValueError, "at least 2"),
        (lambda: simple_returns([1.0, 0.0, 2.0]), ValueError, "strictly positive"),
        (lambda: simple_returns([1.0, np.nan, 2.0]), ValueError, "`prices` has 1 NaN"),
        (lambda: log_returns(["a", "b"]), TypeError, "`prices` must contain numbers"),
        (lambda: simple_returns([1.0, np.inf]), ValueError, "infinite"),
        (lambda: excess_returns([0.01, 0.02], [0.0]), ValueError, "`risk_free` has 1 values"),
        (lambda: excess_returns([0.01, np.nan], 0.0), ValueError, "`returns` has 1 NaN"),
        (lambda: annualize([0.01], periods_per_year=0), ValueError, "periods_per_year"),
        (lambda: annualize([0.01], periods_per_year=12, kind="pct"), ValueError, "kind"),
        (lambda: annualize([-1.5, 0.1], periods_per_year=12), ValueError, "total loss"),
        (lambda: cumulative_returns([0.1, -1.2]), ValueError, "below -1"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_unsorted_and_duplicated_dates_are_errors():
    idx = pd.DatetimeIndex(["2020-01-02", "2020-01-01", "2020-01-03"])
    with pytest.raises(ValueError, match="`prices` dates are not in increasing order"):
        simple_returns(pd.Series([1.0, 2.0, 3.0], index=idx))
    dup = pd.DatetimeIndex(["2020-01-01", "2020-01-01", "2020-01-03"])
    with pytest.raises(ValueError, match="`returns` has duplicated dates"):
        cumulative_returns(pd.Series([0.1, 0.2, 0.3], index=dup))


def test_prices_passed_as_returns_warn(wti):
    with pytest.warns(LooksLikePricesWarning, match="`returns` looks like prices"):
        cumulative_returns(wti)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cumulative_returns(log_returns(wti))
