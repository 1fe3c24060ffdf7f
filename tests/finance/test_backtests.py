"""VaR / ES backtests: Kupiec, Christoffersen, McNeil-Frey, Acerbi-Szekely, the summary table."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from statcraft.datasets import load_wti
from statcraft.finance._checks import LooksLikePricesWarning
from statcraft.finance.backtests import (
    NegativeVaRWarning,
    acerbi_szekely_test,
    christoffersen_test,
    kupiec_test,
    mcneil_frey_test,
    var_backtest,
    violations,
)
from statcraft.finance.forecasts import var_es_forecast
from statcraft.results import TestResult


def isolated_hits(n: int, k: int) -> np.ndarray:
    """k violations spread over n days, none adjacent, none on the first or last day."""
    hits = np.zeros(n, dtype=int)
    hits[np.linspace(1, n - 2, k).round().astype(int)] = 1
    assert hits.sum() == k and not np.any(hits[1:] & hits[:-1])
    return hits


def transition_table(hits: np.ndarray) -> np.ndarray:
    """2x2 table of (previous day, day) states, counted with pandas (independent of the code)."""
    tab = pd.crosstab(
        pd.Categorical(hits[:-1], [0, 1]), pd.Categorical(hits[1:], [0, 1]), dropna=False
    )
    return tab.to_numpy()


def normal_var_es(level: float, mu: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, ...]:
    p = 1 - level
    z = stats.norm.ppf(p)
    return -(mu + sigma * z), -mu + sigma * stats.norm.pdf(z) / p


# --------------------------------------------------------------------------- published values
# rugarch's report(<ugarchroll>, type = "VaR") prints LR.uc and LR.cc (rounded to 3 digits).
# LR.uc depends only on (days, violations, alpha). The LR.cc values are reproduced with the
# violations isolated and off the first and last day (n11 = 0); among all layouts of the
# counts, that is the only one giving the printed LR.cc in each case.
RUGARCH_REPORTS = [
    # (days, violations, alpha, LR.uc, p.uc, LR.cc, p.cc), source
    # Daroczi et al. (2013) Introduction to R for Quantitative Finance, ch. 1: Intel monthly
    # returns, sGARCH-norm roll, VaR.alpha = 0.01.
    (312, 5, 0.01, 0.968, 0.325, 1.131, 0.568),
    # rugarch tutorial on the DAX (EuStockMarkets), sGARCH-std roll of 500 days.
    (500, 10, 0.01, 3.914, 0.048, 4.323, 0.115),
    # rugarch tutorial on the S&P 500 in 2023, 95% VaR over 250 days.
    (250, 17, 0.05, 1.540, 0.215, 4.034, 0.133),
]
# Kupiec only: GARCH-family backtests over 224 days at 1% printed in a Scientific Research
# Publishing (scirp.org) article's table of rugarch reports.
RUGARCH_UC_ONLY = [(224, 5, 0.01, 2.544, 0.111), (224, 7, 0.01, 6.535, 0.011)]


@pytest.mark.parametrize(("n", "k", "alpha", "lr_uc", "p_uc", "lr_cc", "p_cc"), RUGARCH_REPORTS)
def test_kupiec_and_christoffersen_match_rugarch_reports(n, k, alpha, lr_uc, p_uc, lr_cc, p_cc):
    hits = isolated_hits(n, k)
    kup = kupiec_test(hits, 1 - alpha)
    assert kup.statistic == pytest.approx(lr_uc, abs=5e-4)
    assert kup.pvalue == pytest.approx(p_uc, abs=5e-4)
    cc = christoffersen_test(hits, 1 - alpha)
    assert cc.statistic == pytest.approx(lr_cc, abs=5e-4)
    assert cc.pvalue == pytest.approx(p_cc, abs=5e-4)
    assert cc.details["unconditional_statistic"] == pytest.approx(kup.statistic, rel=1e-12)
    assert cc.details["n11"] == 0


@pytest.mark.parametrize(("n", "k", "alpha", "lr_uc", "p_uc"), RUGARCH_UC_ONLY)
def test_kupiec_matches_published_rugarch_table(n, k, alpha, lr_uc, p_uc):
    res = kupiec_test(isolated_hits(n, k), 1 - alpha)
    assert res.statistic == pytest.approx(lr_uc, abs=5e-4)
    assert res.pvalue == pytest.approx(p_uc, abs=5e-4)


# --------------------------------------------------------------------------- independent checks
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_statistics_equal_scipy_g_tests(seed):
    # LR_uc is the G test of goodness of fit of [T - x, x] to [T(1-p), Tp]; LR_ind is the G
    # test of independence of the 2x2 transition table (scipy, log-likelihood divergence).
    g = np.random.default_rng(seed)
    hits = (g.random(800) < 0.04).astype(int)
    hits[300:306] = 1  # a cluster, so LR_ind is far from 0
    n, x, p = hits.size, int(hits.sum()), 0.02
    g_uc = stats.power_divergence([n - x, x], [n * (1 - p), n * p], lambda_="log-likelihood")
    tab = transition_table(hits)
    g_ind = stats.chi2_contingency(tab, correction=False, lambda_="log-likelihood")
    kup = kupiec_test(hits, 1 - p)
    cc = christoffersen_test(hits, 1 - p)
    assert kup.statistic == pytest.approx(g_uc.statistic, rel=1e-10)
    assert kup.pvalue == pytest.approx(g_uc.pvalue, rel=1e-8)
    assert cc.details["independence_statistic"] == pytest.approx(g_ind.statistic, rel=1e-10)
    assert cc.details["independence_pvalue"] == pytest.approx(g_ind.pvalue, rel=1e-8)
    assert cc.statistic == pytest.approx(g_uc.statistic + g_ind.statistic, rel=1e-10)
    assert cc.pvalue == pytest.approx(stats.chi2.sf(cc.statistic, 2), rel=1e-10)
    assert [cc.details[k] for k in ("n00", "n01", "n10", "n11")] == tab.ravel().tolist()


def test_zero_and_all_violations_give_the_limits():
    n, p = 250, 0.01
    none = kupiec_test(np.zeros(n), 1 - p)
    assert none.statistic == pytest.approx(-2 * n * np.log(1 - p), rel=1e-12)  # 5.025
    assert none.estimate.estimate == 0.0 and none.estimate.confidence_interval.low == 0.0
    every = kupiec_test(np.ones(n, dtype=bool), 1 - p)
    assert every.statistic == pytest.approx(-2 * n * np.log(p), rel=1e-12)
    for hits in (np.zeros(n), np.ones(n)):
        cc = christoffersen_test(hits, 1 - p)
        assert cc.details["independence_statistic"] == 0.0
        assert np.isfinite(cc.statistic)
    assert np.isnan(christoffersen_test(np.zeros(n), 1 - p).details["pi11"])
    assert np.isnan(christoffersen_test(np.ones(n), 1 - p).details["pi01"])


def test_degenerate_transition_cells_follow_zero_log_zero():
    # One violation on the last day: no transition leaves state 1 (n10 = n11 = 0), pi11 is
    # undefined and its factor is 1 (R's 0^0 = 1, as GAS::BacktestVaR), so LR_ind = 0.
    hits = np.zeros(100, dtype=int)
    hits[-1] = 1
    cc = christoffersen_test(hits, 0.99)
    assert (cc.details["n10"], cc.details["n11"]) == (0, 0)
    assert cc.details["independence_statistic"] == 0.0
    # n11 = 0 with violations elsewhere: pi11 = 0 and a finite LR_ind, by hand.
    hits = isolated_hits(100, 4)
    d = christoffersen_test(hits, 0.99).details
    n00, n01, n10 = d["n00"], d["n01"], d["n10"]
    pi01, pi = n01 / (n00 + n01), n01 / 99
    hand = 2 * (
        n00 * np.log(1 - pi01)
        + n01 * np.log(pi01)
        - (n00 + n10) * np.log(1 - pi)
        - n01 * np.log(pi)
    )
    assert d["pi11"] == 0.0
    assert d["independence_statistic"] == pytest.approx(hand, rel=1e-12)


def test_long_samples_do_not_underflow():
    # rugarch multiplies powers, (0.05^1100 underflows to 0); logs stay finite.
    n, x, p = 20000, 1100, 0.05
    hits = np.zeros(n, dtype=int)
    hits[np.random.default_rng(3).choice(n, x, replace=False)] = 1
    g_uc = stats.power_divergence([n - x, x], [n * (1 - p), n * p], lambda_="log-likelihood")
    assert kupiec_test(hits, 1 - p).statistic == pytest.approx(g_uc.statistic, rel=1e-9)
    assert np.isfinite(christoffersen_test(hits, 1 - p).statistic)


def test_rate_estimate_matches_scipy_intervals():
    hits = isolated_hits(500, 9)
    res = kupiec_test(hits, 0.99)
    ci = stats.binomtest(9, 500).proportion_ci(method="wilson")  # = R prop.test(correct=FALSE)
    assert res.estimate.estimate == pytest.approx(9 / 500)
    assert res.estimate.confidence_interval.low == pytest.approx(ci.low, rel=1e-9)
    assert res.estimate.confidence_interval.high == pytest.approx(ci.high, rel=1e-9)
    exact = kupiec_test(hits, 0.99, interval="clopper_pearson", confidence_level=0.9)
    ci = stats.binomtest(9, 500).proportion_ci(confidence_level=0.9, method="exact")
    assert exact.estimate.confidence_interval.high == pytest.approx(ci.high, rel=1e-9)
    d = res.details
    assert (d["n"], d["n_violations"]) == (500, 9)
    assert d["expected_rate"] == pytest.approx(0.01)
    assert d["expected_violations"] == pytest.approx(5.0)


def test_results_are_test_results():
    res = christoffersen_test(isolated_hits(300, 4), 0.99)
    assert isinstance(res, TestResult)
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)
    assert res.df == 2.0 and kupiec_test(isolated_hits(300, 4), 0.99).df == 1.0
    assert "Christoffersen" in repr(res)
    assert res.to_frame().shape[0] == 1


# --------------------------------------------------------------------------- size and power
def test_size_of_kupiec_and_christoffersen_under_iid_violations():
    # iid Bernoulli(p) hits: rejection rates at 5 % near 5 %. Kupiec's exact size (the
    # statistic is discrete) comes from enumerating the binomial distribution. LR_ind alone
    # is checked at T = 2500: at T = 1000 its discreteness gives about 8.6 % (documented).
    n, p, reps = 1000, 0.05, 3000
    g = np.random.default_rng(11)
    hits = g.random((reps, n)) < p
    rej_uc = np.mean([kupiec_test(h, 1 - p).pvalue < 0.05 for h in hits])
    rej_cc = np.mean([christoffersen_test(h, 1 - p).pvalue < 0.05 for h in hits])
    long_hits = g.random((2000, 2500)) < p
    rej_ind = np.mean(
        [christoffersen_test(h, 1 - p).details["independence_pvalue"] < 0.05 for h in long_hits]
    )
    x = np.arange(n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = x / n
        lr = -2 * (stats.binom.logpmf(x, n, p) - stats.binom.logpmf(x, n, rate))
    exact_size = stats.binom.pmf(x, n, p)[lr > stats.chi2.ppf(0.95, 1)].sum()
    se = np.sqrt(exact_size * (1 - exact_size) / reps)
    assert 0.03 < exact_size < 0.07
    assert abs(rej_uc - exact_size) < 4 * se
    assert 0.03 < rej_cc < 0.075
    assert 0.025 < rej_ind < 0.075


def test_power_of_independence_test_against_clustered_violations():
    # Markov chain hits: P(hit | calm) = 0.035, P(hit | hit) = 0.335, stationary rate
    # 0.035 / (1 - 0.335 + 0.035) = 0.05 = the nominal rate, so only clustering is wrong.
    n, reps = 1000, 1000
    g = np.random.default_rng(12)
    hits = np.zeros((reps, n), dtype=bool)
    hits[:, 0] = g.random(reps) < 0.05
    u = g.random((reps, n))
    for t in range(1, n):
        hits[:, t] = u[:, t] < np.where(hits[:, t - 1], 0.335, 0.035)
    ccs = [christoffersen_test(h, 0.95) for h in hits]
    assert np.mean([r.details["independence_pvalue"] < 0.05 for r in ccs]) > 0.9
    assert np.mean([r.pvalue < 0.05 for r in ccs]) > 0.8
    assert np.mean([kupiec_test(h, 0.95).pvalue < 0.05 for h in hits]) < 0.5


# --------------------------------------------------------------------------- violations helper
def test_violations_is_strict_and_keeps_the_index():
    idx = pd.date_range("2024-01-01", periods=4, freq="D")
    r = pd.Series([0.01, -0.03, -0.02, -0.0201], index=idx, name="r")
    out = violations(r, pd.Series(0.02, index=idx))
    assert out.tolist() == [0, 1, 0, 1]  # -0.02 equals -VaR: not a violation
    assert out.index.equals(idx) and out.name == "r"
    assert violations(r.to_numpy(), np.full(4, 0.02)).tolist() == [0, 1, 0, 1]


# --------------------------------------------------------------------------- ES tests
def test_mcneil_frey_statistic_matches_rugarch_estest_formula():
    g = np.random.default_rng(5)
    r = stats.t.rvs(4, size=4000, random_state=g) * 0.01
    var, es = normal_var_es(0.975, np.zeros(r.size), np.full(r.size, 0.01 * np.sqrt(2)))
    res = mcneil_frey_test(r, var, es, n_resamples=4999, rng=1)
    # rugarch ESTest (returns-sign VaR/ES): idx = which(VaR > actual); z = ES[idx] - actual[idx];
    # statistic mean(z) / (sqrt(sd(z)^2 (n-1)/n) / sqrt(n-1)); p.value = 1 - pnorm(statistic).
    var_r, es_r = -var, -es
    idx = var_r > r
    z = es_r[idx] - r[idx]
    m = z.size
    t_rugarch = z.mean() / (np.sqrt(z.var(ddof=1) * (m - 1) / m) / np.sqrt(m - 1))
    assert res.statistic == pytest.approx(t_rugarch, rel=1e-10)
    assert res.details["n_violations"] == m
    assert res.pvalue == pytest.approx(stats.norm.sf(t_rugarch), abs=0.01)
    assert res.pvalue < 0.01  # normal ES is too small for t(4) returns
    assert res.estimate.estimate == pytest.approx(z.mean())


def test_mcneil_frey_standardises_by_volatility_and_has_size():
    # Correct normal forecasts with moving volatility: residuals / sigma; rejections near 5 %.
    g = np.random.default_rng(6)
    n, reps = 1000, 200
    sigma = 0.01 * np.exp(0.5 * np.sin(np.arange(n) / 50))
    var, es = normal_var_es(0.975, np.zeros(n), sigma)
    r = sigma * g.standard_normal(n)
    res = mcneil_frey_test(r, var, es, volatility=sigma, n_resamples=999, rng=2)
    hit = r < -var
    np.testing.assert_allclose(res.details["residuals"], (-r[hit] - es[hit]) / sigma[hit])
    assert res.details["standardized"] is True
    pvals = [
        mcneil_frey_test(
            sigma * g.standard_normal(n), var, es, volatility=sigma, n_resamples=299, rng=i
        ).pvalue
        for i in range(reps)
    ]
    assert np.mean(np.asarray(pvals) < 0.05) < 0.1


def test_mcneil_frey_with_too_few_violations_is_nan_with_a_warning():
    r = np.array([0.01, -0.05, 0.0, 0.02])
    with pytest.warns(UserWarning, match="needs at least 3"):
        res = mcneil_frey_test(r, np.full(4, 0.02), np.full(4, 0.03), n_resamples=99, rng=0)
    assert np.isnan(res.statistic) and np.isnan(res.pvalue)
    assert "note" in res.details


def test_acerbi_szekely_statistic_and_published_critical_value():
    g = np.random.default_rng(7)
    n = 250
    mu = 0.0005 * np.cos(np.arange(n) / 30)
    sigma = 0.01 * (1 + 0.5 * np.sin(np.arange(n) / 40))
    var, es = normal_var_es(0.975, mu, sigma)
    r = mu + sigma * g.standard_normal(n)
    res = acerbi_szekely_test(r, var, es, 0.975, n_simulations=20000, rng=3)
    # Z2 written as 1 - (1/T) sum over violations of loss / (p ES), by hand.
    hit = r < -var
    z2 = 1 - np.sum(-r[hit] / (0.025 * es[hit])) / n
    assert res.statistic == pytest.approx(z2, rel=1e-12)
    null = res.details["null_distribution"]
    # Under its own null, E[Z2] = 0: checks the location-scale inversion of (VaR, ES).
    assert abs(null.mean()) < 4 * null.std() / np.sqrt(null.size)
    # Acerbi & Szekely (2014): the 5% critical value of Z2 for T = 250, p = 2.5% is -0.70.
    assert res.details["critical_value_5pct"] == pytest.approx(-0.70, abs=0.03)
    assert res.pvalue == pytest.approx((1 + np.sum(null <= z2)) / (null.size + 1))


def test_acerbi_szekely_student_t_null_has_mean_zero_and_power():
    n = 500
    sigma = np.full(n, 0.01)
    p, nu = 0.025, 5.0
    q = -stats.t.ppf(p, nu)
    e = (nu + q * q) / (nu - 1) * stats.t.pdf(q, nu) / p  # ES of a standard t, in losses
    var, es = sigma * q, sigma * e
    r = sigma * stats.t.rvs(nu, size=n, random_state=8)
    res = acerbi_szekely_test(
        r, var, es, 0.975, distribution="student_t", nu=nu, n_simulations=4000, rng=4
    )
    null = res.details["null_distribution"]
    assert abs(null.mean()) < 4 * null.std() / np.sqrt(null.size)
    # Forecasts 30 % too small: Z2 clearly negative, rejected.
    low = acerbi_szekely_test(
        r, 0.7 * var, 0.7 * es, 0.975, distribution="student_t", nu=nu, n_simulations=999, rng=5
    )
    assert low.statistic < -0.3 and low.pvalue < 0.05


def test_acerbi_szekely_size_under_correct_normal_forecasts():
    g = np.random.default_rng(9)
    n = 250
    var, es = normal_var_es(0.975, np.zeros(n), np.full(n, 0.01))
    pvals = [
        acerbi_szekely_test(
            0.01 * g.standard_normal(n), var, es, 0.975, n_simulations=199, rng=i
        ).pvalue
        for i in range(200)
    ]
    assert 0.01 < np.mean(np.asarray(pvals) < 0.05) < 0.1


# --------------------------------------------------------------------------- var_backtest
@pytest.fixture
def forecast_frame():
    """A frame shaped like var_es_forecast's output: NaN warm-up, two levels, volatility."""
    g = np.random.default_rng(10)
    idx = pd.bdate_range("2020-01-01", periods=800)
    vol = 0.01 * (1 + 0.3 * np.sin(np.arange(800) / 60))
    r = pd.Series(vol * stats.t.rvs(5, size=800, random_state=g) / np.sqrt(5 / 3), index=idx)
    cols = {}
    for level in (0.99, 0.975):
        var, es = normal_var_es(level, np.zeros(800), vol)
        cols[f"var_{level}"], cols[f"es_{level}"] = var, es
    fc = pd.DataFrame(cols, index=idx).assign(volatility=vol)
    fc.iloc[:50] = np.nan
    return r, fc


def test_var_backtest_table_picks_columns_by_level(forecast_frame):
    r, fc = forecast_frame
    r0, fc0 = r.copy(), fc.copy()
    table = var_backtest(r, fc, 0.975, n_resamples=999, rng=0)  # NaN warm-up dropped
    assert list(table.columns) == [
        "test",
        "statistic",
        "df",
        "pvalue",
        "n",
        "violations",
        "expected",
        "rate",
    ]
    assert table["test"].tolist() == [
        "Kupiec",
        "Christoffersen independence",
        "Christoffersen conditional coverage",
        "McNeil-Frey",
    ]
    assert table.attrs["warm_up"] == 50
    assert table.attrs["columns"] == {
        "var": "var_0.975",
        "es": "es_0.975",
        "volatility": "volatility",
    }
    rr, var, es, vol = (
        x.iloc[50:].to_numpy() for x in (r, fc["var_0.975"], fc["es_0.975"], fc["volatility"])
    )
    hits = (rr < -var).astype(int)
    kup, cc = kupiec_test(hits, 0.975), christoffersen_test(hits, 0.975)
    mf = mcneil_frey_test(rr, var, es, volatility=vol, n_resamples=999, rng=0)
    np.testing.assert_allclose(
        table["statistic"],
        [kup.statistic, cc.details["independence_statistic"], cc.statistic, mf.statistic],
    )
    np.testing.assert_allclose(
        table["pvalue"].iloc[:3], [kup.pvalue, cc.details["independence_pvalue"], cc.pvalue]
    )
    assert table["pvalue"].iloc[3] == pytest.approx(mf.pvalue)
    assert table["df"].iloc[:3].tolist() == [1.0, 1.0, 2.0] and np.isnan(table["df"].iloc[3])
    assert (table["n"] == 750).all() and (table["violations"] == hits.sum()).all()
    assert table["expected"].iloc[0] == pytest.approx(750 * 0.025)
    pd.testing.assert_series_equal(r, r0)
    pd.testing.assert_frame_equal(fc, fc0)
    # The 99 % columns and both ES tests.
    both = var_backtest(r, fc, 0.99, es_test="both", n_resamples=199, nan_policy="omit", rng=0)
    assert both["test"].tolist()[-2:] == ["McNeil-Frey", "Acerbi-Szekely Z2"]
    assert both.attrs["columns"]["var"] == "var_0.99"


def test_var_backtest_with_plain_var_series_and_generic_columns():
    g = np.random.default_rng(13)
    r = 0.01 * g.standard_normal(500)
    var = np.full(500, 0.01 * stats.norm.ppf(0.99))
    table = var_backtest(r, var, 0.99)
    assert len(table) == 3 and table.attrs["columns"] == {"var": "forecasts"}
    generic = var_backtest(r, pd.DataFrame({"var": var, "es": var * 1.15}), 0.99, es_test="none")
    pd.testing.assert_frame_equal(table, generic, check_like=True)


def test_var_backtest_on_wti_with_rolling_historical_var():
    # Real data: WTI daily log returns, 250-day historical VaR at 99 % from past returns only.
    price = load_wti()["price"]  # indexed by date
    r = np.log(price).diff().iloc[1:]
    var = -r.rolling(250).quantile(0.01).shift(1)
    table = var_backtest(r, var.dropna(), 0.99)  # forecasts start after the warm-up
    rr, vv = r.loc[var.dropna().index], var.dropna()
    x, n = int((rr < -vv).sum()), vv.size
    g_uc = stats.power_divergence([n - x, x], [n * 0.99, n * 0.01], lambda_="log-likelihood")
    assert table["n"].iloc[0] == n == r.size - 250
    assert table["violations"].iloc[0] == x
    assert table["statistic"].iloc[0] == pytest.approx(g_uc.statistic, rel=1e-10)
    # Historical VaR reacts slowly: violations cluster in volatile spells.
    assert table["pvalue"].iloc[1] < 0.05


def test_alignment_on_dates():
    idx = pd.bdate_range("2021-01-01", periods=300)
    r = pd.Series(np.random.default_rng(14).normal(0, 0.01, 300), index=idx)
    var = pd.Series(0.0233, index=idx[100:])
    table = var_backtest(r, var, 0.99)
    assert table["n"].iloc[0] == 200
    expected = kupiec_test((r.iloc[100:] < -0.0233).to_numpy(), 0.99)
    assert table["statistic"].iloc[0] == pytest.approx(expected.statistic)
    shifted = pd.Series(0.0233, index=pd.bdate_range("2021-06-01", periods=300))
    with pytest.raises(ValueError, match="not aligned with `returns`"):
        var_backtest(r, shifted, 0.99)
    with pytest.raises(ValueError, match="not aligned with `returns`"):
        var_backtest(r, pd.Series(0.02, index=range(300)), 0.99)


def test_gaps_after_the_warm_up_follow_nan_policy(forecast_frame):
    r, fc = forecast_frame
    gappy = fc.copy()
    gappy.iloc[400, :] = np.nan
    with pytest.raises(ValueError, match="`var` has 1 NaN value after its first forecast"):
        var_backtest(r, gappy, 0.99)
    table = var_backtest(r, gappy, 0.99, nan_policy="omit", es_test="none")
    assert table["n"].iloc[0] == 749 and table.attrs["warm_up"] == 50
    r_gap = r.copy()
    r_gap.iloc[10] = np.nan  # inside the warm-up: dropped with it
    assert var_backtest(r_gap, fc, 0.99, es_test="none")["n"].iloc[0] == 750
    r_gap.iloc[100] = np.nan
    with pytest.raises(ValueError, match="`returns` has 1 NaN value"):
        var_backtest(r_gap, fc, 0.99, es_test="none")


def test_es_row_is_nan_with_fewer_than_three_violations():
    r = np.array([0.01, -0.05, 0.0, 0.02, 0.01])
    fc = pd.DataFrame({"var": np.full(5, 0.02), "es": np.full(5, 0.03)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning from the table
        table = var_backtest(r, fc, 0.99, n_resamples=99, rng=0)
    assert table["test"].iloc[-1] == "McNeil-Frey"
    assert np.isnan(table["statistic"].iloc[-1]) and np.isnan(table["pvalue"].iloc[-1])


def test_array_returns_with_a_forecast_frame_labelled_by_position(forecast_frame):
    r, fc = forecast_frame
    fc_pos = fc.iloc[50:].reset_index(drop=True)
    fc_pos.index = pd.RangeIndex(50, 800)  # var_es_forecast's labels for an array input
    a = var_backtest(r.to_numpy(), fc_pos, 0.99, es_test="none")
    b = var_backtest(r, fc, 0.99, es_test="none")
    pd.testing.assert_frame_equal(a, b, check_like=True)
    assert a.attrs["warm_up"] == 0 and b.attrs["warm_up"] == 50


def test_takes_var_es_forecast_output_directly():
    r = 0.01 * np.random.default_rng(15).standard_t(5, size=1200)
    fc = var_es_forecast(r, levels=(0.99, 0.975), method="ewma")
    table = var_backtest(r, fc, 0.975, n_resamples=199, rng=0)
    first = len(r) - len(fc)
    hits = r[first:] < -fc["var_0.975"].to_numpy()
    assert table["n"].iloc[0] == len(fc)
    assert table["violations"].iloc[0] == hits.sum()
    assert table["test"].iloc[-1] == "McNeil-Frey"
    assert table.attrs["columns"]["es"] == "es_0.975"
    rs = pd.Series(r, index=pd.bdate_range("2015-01-01", periods=r.size))
    fcs = var_es_forecast(rs, levels=(0.99, 0.975), method="ewma")
    tables = var_backtest(rs, fcs, 0.975, n_resamples=199, rng=0)
    pd.testing.assert_frame_equal(table, tables, check_like=True)


def test_seeded_results_are_reproducible(forecast_frame):
    r, fc = forecast_frame
    a = var_backtest(r, fc, 0.99, n_resamples=199, nan_policy="omit", rng=42)
    b = var_backtest(r, fc, 0.99, n_resamples=199, nan_policy="omit", rng=42)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("hits", "error", "match"),
    [
        ([0, 1, 2], ValueError, r"`violations` must hold only 0/1.*first: 2 at position 2"),
        ([0, 0.5], ValueError, "`violations` must hold only 0/1"),
        ([0, np.nan, 1], ValueError, "`violations` has 1 NaN value"),
        ([], ValueError, "`violations` is empty"),
        ("0101", TypeError, "`violations` must be a sequence"),
        (["a", "b"], TypeError, "`violations` must contain numbers"),
    ],
)
def test_bad_violations(hits, error, match):
    with pytest.raises(error, match=match):
        kupiec_test(hits, 0.99)
    with pytest.raises(error, match=match):
        christoffersen_test(hits, 0.99)


@pytest.mark.parametrize(
    ("level", "error", "match"),
    [
        (1.0, ValueError, r"`level` must be in \(0, 1\)"),
        (99, ValueError, "`level` must be in"),
        (0.0, ValueError, "`level`"),
        ("0.99", TypeError, "`level` must be a number"),
        (True, TypeError, "`level`"),
    ],
)
def test_bad_level(level, error, match):
    with pytest.raises(error, match=match):
        kupiec_test([0, 1, 0], level)
    with pytest.raises(error, match=match):
        var_backtest([0.01, -0.02], [0.01, 0.01], level)


def test_christoffersen_needs_two_days_and_interval_is_checked():
    with pytest.raises(ValueError, match="at least 2 days"):
        christoffersen_test([1], 0.99)
    with pytest.raises(ValueError, match="`interval` must be one of"):
        kupiec_test([0, 1], 0.99, interval="wald")


def test_bad_forecasts():
    r = np.array([0.01, -0.02, 0.005, -0.03, 0.0])
    with pytest.raises(
        ValueError, match=r"`returns` and `var` must have the same length; got 5 and 4"
    ):
        var_backtest(r, np.full(4, 0.02), 0.99)
    with pytest.raises(
        ValueError, match=r"`var` has 1 NaN value after its first forecast.*nan_policy='omit'"
    ):
        var_backtest(r, [0.02, 0.02, np.nan, 0.02, 0.02], 0.99)
    with pytest.raises(ValueError, match="`returns` has 1 NaN value"):
        var_backtest([0.01, np.nan, 0.0, 0.01, 0.0], np.full(5, 0.02), 0.99)
    with pytest.raises(ValueError, match="`var` has 1 infinite value"):
        var_backtest(r, [np.inf, 0.02, 0.02, 0.02, 0.02], 0.99)
    with pytest.raises(ValueError, match=r"`var` is negative or zero everywhere.*quantiles"):
        var_backtest(r, np.full(5, -0.02), 0.99)
    with pytest.warns(NegativeVaRWarning, match="1 negative value"):
        var_backtest(r, [-0.01, 0.02, 0.02, 0.02, 0.02], 0.99)
    with pytest.raises(ValueError, match="`es` is smaller than `var` on 1 date"):
        mcneil_frey_test(r, np.full(5, 0.02), [0.03, 0.01, 0.03, 0.03, 0.03], rng=0)
    with pytest.raises(ValueError, match="`volatility` must be positive"):
        mcneil_frey_test(r, np.full(5, 0.02), np.full(5, 0.03), volatility=np.zeros(5), rng=0)
    with pytest.raises(ValueError, match=r"no column 'var_0.99' or 'var'.*levels 0.975"):
        var_backtest(r, pd.DataFrame({"var_0.975": np.full(5, 0.02)}), 0.99)
    with pytest.raises(TypeError, match="`var` must contain numbers"):
        var_backtest(r, ["a"] * 5, 0.99)
    with pytest.raises(ValueError, match="`es_test` must be one of"):
        var_backtest(r, np.full(5, 0.02), 0.99, es_test="z2")
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'omit'"):
        var_backtest(r, np.full(5, 0.02), 0.99, nan_policy="propagate")
    with pytest.raises(ValueError, match="`returns` is empty"):
        violations([], [])


def test_bad_resample_counts():
    r = np.array([0.01, -0.05, 0.005, -0.03, -0.04])
    var, es = np.full(5, 0.02), np.full(5, 0.03)
    with pytest.raises(ValueError, match="`n_resamples` must be >= 99"):
        mcneil_frey_test(r, var, es, n_resamples=10)
    with pytest.raises(ValueError, match="`n_simulations` must be >= 99"):
        acerbi_szekely_test(r, var, es, 0.975, n_simulations=0)
    with pytest.raises(TypeError, match="`n_resamples` must be an integer"):
        var_backtest(r, var, 0.99, n_resamples="many")
    with pytest.raises(ValueError, match="`alternative` must be one of"):
        mcneil_frey_test(r, var, es, alternative="bigger")


def test_bad_acerbi_szekely_options():
    r = np.array([0.01, -0.02, 0.005, -0.03, 0.0])
    var, es = np.full(5, 0.02), np.full(5, 0.03)
    with pytest.raises(ValueError, match="needs `nu`"):
        acerbi_szekely_test(r, var, es, 0.975, distribution="student_t")
    with pytest.raises(ValueError, match="`nu` must be > 1"):
        acerbi_szekely_test(r, var, es, 0.975, distribution="student_t", nu=1)
    with pytest.raises(ValueError, match="`nu` is only used"):
        acerbi_szekely_test(r, var, es, 0.975, nu=5)
    with pytest.raises(ValueError, match="`es` must be larger than `var`"):
        acerbi_szekely_test(r, var, var, 0.975)


def test_prices_passed_as_returns_warn_and_dates_are_checked():
    prices = np.linspace(50, 60, 300)
    with pytest.warns(LooksLikePricesWarning):
        var_backtest(prices, np.full(300, 0.02), 0.99)
    idx = pd.DatetimeIndex(["2021-01-02", "2021-01-01", "2021-01-03"])
    with pytest.raises(ValueError, match="`returns` dates are not in increasing order"):
        var_backtest(pd.Series([0.01, 0.0, -0.01], index=idx), [0.02] * 3, 0.99)


def test_caller_data_unchanged():
    hits = np.array([0, 1, 0, 1], dtype=float)
    r = pd.Series([0.01, -0.05, 0.0, -0.04])
    var = np.array([0.02, 0.02, 0.02, 0.02])
    es = np.array([0.03, 0.03, 0.03, 0.03])
    copies = [hits.copy(), r.copy(), var.copy(), es.copy()]
    kupiec_test(hits, 0.99)
    christoffersen_test(hits, 0.99)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mcneil_frey_test(r, var, es, n_resamples=99, rng=0)
    np.testing.assert_array_equal(hits, copies[0])
    pd.testing.assert_series_equal(r, copies[1])
    np.testing.assert_array_equal(var, copies[2])
    np.testing.assert_array_equal(es, copies[3])
