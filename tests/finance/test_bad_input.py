"""Cross-cutting bad-input checks for statcraft.finance (issue 8's list), one row per function.

Each row is a valid call on a daily return Series; the tests substitute NaN gaps, unsorted and
duplicated dates, prices, too few observations, and check the error or warning names the
argument. The per-module test files hold the function-specific cases.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from statcraft import finance as fin

RNG = np.random.default_rng(8)
N = 400
DATES = pd.bdate_range("2015-01-01", periods=N)
R = pd.Series(0.01 * RNG.standard_t(5, size=N), index=DATES, name="r")
F = pd.DataFrame({"mkt": 0.01 * RNG.standard_normal(N)}, index=DATES)
Y = 0.5 * F["mkt"] + 0.005 * RNG.standard_normal(N)

CALLS: dict[str, Callable[[pd.Series], Any]] = {
    "sharpe_ratio": lambda r: fin.sharpe_ratio(r),
    "probabilistic_sharpe_ratio": lambda r: fin.probabilistic_sharpe_ratio(r),
    "deflated_sharpe_ratio": lambda r: fin.deflated_sharpe_ratio(r, n_trials=5),
    "sortino_ratio": lambda r: fin.sortino_ratio(r),
    "calmar_ratio": lambda r: fin.calmar_ratio(r, periods_per_year=252),
    "value_at_risk": lambda r: fin.value_at_risk(r),
    "expected_shortfall": lambda r: fin.expected_shortfall(r),
    "ewma_volatility": lambda r: fin.ewma_volatility(r),
    "var_es_forecast": lambda r: fin.var_es_forecast(r, window=100),
    "cumulative_returns": lambda r: fin.cumulative_returns(r),
    "annualize": lambda r: fin.annualize(r, periods_per_year=252),
    "factor_regression": lambda r: fin.factor_regression(r, F),
    "rolling_beta": lambda r: fin.rolling_beta(r, F["mkt"], window=60),
}


def _quiet(call: Callable[[pd.Series], Any], r: pd.Series) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error", fin.LooksLikePricesWarning)
        return call(r)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_valid_call_works_and_leaves_the_data_alone(name: str) -> None:
    r = R.copy()
    _quiet(CALLS[name], r)
    pd.testing.assert_series_equal(r, R)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_nan_gap_is_an_error_naming_returns(name: str) -> None:
    r = R.copy()
    r.iloc[100] = np.nan
    with pytest.raises(ValueError, match=r"`returns`.*NaN|NaN.*`returns`"):
        _quiet(CALLS[name], r)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_unsorted_dates_are_an_error(name: str) -> None:
    r = R.iloc[::-1]
    with pytest.raises(ValueError, match=r"`returns`.*(sorted|increasing|order)"):
        _quiet(CALLS[name], r)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_duplicated_dates_are_an_error(name: str) -> None:
    r = R.copy()
    r.index = DATES.insert(50, DATES[50])[:-1]
    with pytest.raises(ValueError, match=r"`returns`.*duplicated"):
        _quiet(CALLS[name], r)


# Prices never fall below zero and grow without bound, so these go on to raise as well.
RAISE_ON_PRICES = {"annualize", "calmar_ratio", "sortino_ratio"}


@pytest.mark.parametrize("name", sorted(set(CALLS) - {"factor_regression", "rolling_beta"}))
def test_prices_passed_as_returns_warn(name: str) -> None:
    prices = 50.0 * np.exp(R.cumsum())
    if name in RAISE_ON_PRICES:
        with (
            pytest.warns(fin.LooksLikePricesWarning, match="`returns`"),
            pytest.raises(ValueError, match="`returns`"),
        ):
            CALLS[name](prices)
    else:
        with pytest.warns(fin.LooksLikePricesWarning, match="`returns`"):
            CALLS[name](prices)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fin.value_at_risk(R, level=1.5), "`level`"),
        (lambda: fin.value_at_risk(R, level=0.0), "`level`"),
        (lambda: fin.expected_shortfall(R, level=-0.1), "`level`"),
        (lambda: fin.var_es_forecast(R, levels=(0.99, 1.0)), "`levels`"),
        (lambda: fin.kupiec_test([0, 1, 0, 0] * 50, level=1.2), "`level`"),
        (lambda: fin.christoffersen_test([0, 1, 0, 0] * 50, level=0.0), "`level`"),
    ],
)
def test_level_outside_unit_interval(call: Callable[[], Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fin.var_es_forecast(R.iloc[:50], window=100), "`window`"),
        (lambda: fin.rolling_beta(Y.iloc[:30], F["mkt"].iloc[:30], window=60), "`window`"),
    ],
)
def test_fewer_observations_than_the_window(call: Callable[[], Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_annualize_overflow_is_an_error_not_inf() -> None:
    # Before: prices passed as returns compounded to inf with a RuntimeWarning.
    prices = 50.0 * np.exp(R.cumsum())
    with pytest.warns(fin.LooksLikePricesWarning), pytest.raises(ValueError, match="overflows"):
        fin.annualize(prices, periods_per_year=252)
