"""Tests of statcraft.finance.performance: Sharpe SEs, PSR/DSR, Sharpe difference, drawdowns.

Reference values come from the papers (Bailey & López de Prado 2014's numerical example,
Rollinger & Hoffman's Sortino example), from independent implementations on the same data
(statsmodels' Newey-West ``S_hac_simple`` and HAC OLS, arch's ``StationaryBootstrap``,
scipy's moments) and from hand computations written differently from the module.
"""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from statcraft.datasets import load_fama_french_industries, load_wti
from statcraft.finance._checks import LooksLikePricesWarning
from statcraft.finance.downside import (
    DrawdownResult,
    calmar_ratio,
    drawdowns,
    max_drawdown,
    sortino_ratio,
)
from statcraft.finance.performance import (
    _block_se,
    _expected_max_sharpe,
    deflated_sharpe_ratio,
    probabilistic_sharpe_ratio,
    sharpe_difference_test,
    sharpe_ratio,
)
from statcraft.results import Estimate, TestResult

# ----------------------------------------------------------------------------- data


def _column(df: pd.DataFrame, name: str) -> np.ndarray:
    return df[name].to_numpy(dtype=float)


@pytest.fixture(scope="module")
def ff() -> pd.DataFrame:
    return load_fama_french_industries()  # indexed by date


@pytest.fixture(scope="module")
def manuf(ff: pd.DataFrame) -> np.ndarray:
    """Monthly excess returns of the Fama-French manufacturing industry, 1949-2017."""
    return _column(ff, "Manuf") - _column(ff, "rf")


@pytest.fixture(scope="module")
def wti() -> pd.Series:
    return load_wti()["price"].rename("wti")  # indexed by date


def _ar1(n: int, phi: float, seed: int, mu: float = 0.5) -> np.ndarray:
    g = np.random.default_rng(seed)
    e = g.standard_normal(n)
    x = np.empty(n)
    x[0] = e[0]
    for t in range(1, n):
        x[t] = phi * x[t - 1] + e[t]
    return mu + x


# ----------------------------------------------------------------------------- Sharpe SEs


def test_iid_se_matches_hand_computation(manuf: np.ndarray) -> None:
    n = manuf.size
    sr = manuf.mean() / manuf.std(ddof=1)
    se = math.sqrt((1 + 0.5 * sr**2) / n)  # Lo (2002), eq. 9
    est = sharpe_ratio(manuf)
    assert isinstance(est, Estimate)
    assert est.estimate == pytest.approx(sr, rel=1e-12)
    assert est.std_error == pytest.approx(se, rel=1e-12)
    z = stats.norm.ppf(0.975)
    assert est.confidence_interval.low == pytest.approx(sr - z * se, rel=1e-10)
    assert est.confidence_interval.high == pytest.approx(sr + z * se, rel=1e-10)
    assert est.n == n == est.details["n"]


def test_iid_se_at_a_fixed_sharpe_ratio() -> None:
    # Lo (2002), eq. (9): with normal iid returns Var(SR_hat) = (1 + SR^2/2)/T; for a monthly
    # SR of 0.25 over T = 60 months, by hand: sqrt(1.03125/60) = 0.131101.
    g = np.random.default_rng(3)
    z = g.standard_normal(60)
    z = (z - z.mean()) / z.std(ddof=1)
    est = sharpe_ratio(z * 0.04 + 0.25 * 0.04)
    assert est.estimate == pytest.approx(0.25, rel=1e-12)
    assert est.std_error == pytest.approx(0.131101, abs=1e-6)


def test_lo_se_matches_mertens_form_with_scipy_moments(manuf: np.ndarray) -> None:
    n = manuf.size
    sr = manuf.mean() / manuf.std(ddof=1)
    g3 = stats.skew(manuf)  # biased moment estimators, as the module documents
    excess_kurt = stats.kurtosis(manuf, fisher=True)
    # Mertens (2002) writes the variance with the *excess* kurtosis:
    var = (1 + sr**2 / 2 - g3 * sr + excess_kurt / 4 * sr**2) / n
    est = sharpe_ratio(manuf, method="lo")
    assert est.std_error == pytest.approx(math.sqrt(var), rel=1e-10)
    assert est.details["skewness"] == pytest.approx(g3, rel=1e-10)
    assert est.details["kurtosis"] == pytest.approx(excess_kurt + 3, rel=1e-10)


def test_lo_equals_iid_for_normal_shaped_data() -> None:
    x = stats.norm.ppf((np.arange(1, 2001) - 0.5) / 2000) * 0.05 + 0.01  # skew 0, kurt ~3
    iid, lo = sharpe_ratio(x), sharpe_ratio(x, method="lo")
    assert lo.std_error == pytest.approx(iid.std_error, rel=2e-3)


def test_hac_se_matches_statsmodels_newey_west(manuf: np.ndarray) -> None:
    from statsmodels.stats.sandwich_covariance import S_hac_simple

    x = manuf
    n, lags = x.size, 6
    mu, m2 = x.mean(), np.mean(x**2)
    u = np.column_stack((x - mu, x**2 - m2))
    omega = S_hac_simple(u, nlags=lags) / n  # statsmodels' Bartlett-kernel long-run covariance
    sigma = math.sqrt(m2 - mu**2)
    grad = np.array([m2 / sigma**3, -mu / (2 * sigma**3)])  # d(mu/sqrt(m2-mu^2))
    se = math.sqrt(grad @ omega @ grad / n)
    est = sharpe_ratio(x, method="hac", maxlags=lags)
    assert est.std_error == pytest.approx(se, rel=1e-10)
    assert est.details["maxlags"] == lags


def test_hac_mean_block_matches_statsmodels_ols_hac(manuf: np.ndarray) -> None:
    # The (1,1) element of the Newey-West covariance is statsmodels' HAC variance of a mean;
    # with a zero second-moment gradient (mu = 0) the SR's SE is se(mean) / sigma.
    import statsmodels.api as sm

    x = manuf - manuf.mean()
    x = x / x.std(ddof=0)
    x = x + 1e-9  # mean ~ 0: the gradient is (1/sigma^3 * E x^2, ~0)
    fit = sm.OLS(x, np.ones_like(x)).fit(
        cov_type="HAC", cov_kwds={"maxlags": 5, "use_correction": False}
    )
    est = sharpe_ratio(x, method="hac", maxlags=5)
    assert est.std_error == pytest.approx(float(fit.bse[0]), rel=1e-6)


def test_hac_with_zero_lags_equals_mertens(manuf: np.ndarray) -> None:
    hac = sharpe_ratio(manuf, method="hac", maxlags=0)
    lo = sharpe_ratio(manuf, method="lo")
    # equal up to the ddof of the standard deviation inside the point estimate
    assert hac.std_error == pytest.approx(lo.std_error, rel=2e-3)


def test_hac_default_lag_and_autocorrelation_effect() -> None:
    x = _ar1(500, 0.5, seed=1) * 0.01
    hac = sharpe_ratio(x, method="hac")
    assert hac.details["maxlags"] == math.floor(4 * (500 / 100) ** (2 / 9))  # Newey-West 1994
    # positive autocorrelation inflates the variance of the mean: the HAC SE must be larger
    assert hac.std_error > 1.3 * sharpe_ratio(x).std_error


def test_bootstrap_matches_arch_stationary_bootstrap(manuf: np.ndarray) -> None:
    from arch.bootstrap import StationaryBootstrap

    x, block, reps = manuf, 5.0, 4000

    def sr(v: np.ndarray) -> float:
        return float(v.mean() / v.std(ddof=1))

    bs = StationaryBootstrap(block, x, seed=20240501)
    arch_reps = np.array([sr(data[0][0]) for data in bs.bootstrap(reps)])
    arch_lo, arch_hi = np.quantile(arch_reps, [0.025, 0.975])
    est = sharpe_ratio(
        x, method="bootstrap", block_length=block, n_resamples=reps,
        bootstrap_method="percentile", rng=7,
    )  # fmt: skip
    se_arch = arch_reps.std(ddof=1)
    assert est.std_error == pytest.approx(se_arch, rel=0.08)
    assert abs(est.confidence_interval.low - arch_lo) < 0.2 * se_arch
    assert abs(est.confidence_interval.high - arch_hi) < 0.2 * se_arch
    assert est.details["block_length"] == block
    # and the bootstrap SE agrees with the analytic non-normal iid SE (monthly data: weak
    # dependence), to Monte Carlo error
    assert est.std_error == pytest.approx(sharpe_ratio(x, method="lo").std_error, rel=0.1)


def test_bootstrap_default_block_length_is_politis_white(manuf: np.ndarray) -> None:
    import statcraft as sc

    est = sharpe_ratio(manuf, method="bootstrap", n_resamples=500, rng=1)
    expected = max(1.0, sc.optimal_block_length(manuf).stationary)
    assert est.details["block_length"] == pytest.approx(expected)
    assert est.confidence_interval.low < est.estimate < est.confidence_interval.high
    again = sharpe_ratio(manuf, method="bootstrap", n_resamples=500, rng=1)
    assert again.confidence_interval == est.confidence_interval  # reproducible from a seed


def test_annualisation_scales_by_sqrt_periods(manuf: np.ndarray) -> None:
    for method in ("iid", "lo", "hac"):
        per = sharpe_ratio(manuf, method=method)
        ann = sharpe_ratio(manuf, method=method, periods_per_year=12)
        k = math.sqrt(12)
        assert ann.estimate == pytest.approx(per.estimate * k, rel=1e-12)
        assert ann.std_error == pytest.approx(per.std_error * k, rel=1e-12)
        assert ann.confidence_interval.low == pytest.approx(per.confidence_interval.low * k)
        assert ann.details["sharpe_per_period"] == pytest.approx(per.estimate)


def test_risk_free_scalar_and_aligned_series(ff: pd.DataFrame) -> None:
    r = pd.Series(_column(ff, "Manuf"), index=ff.index)
    rf = pd.Series(_column(ff, "rf"), index=r.index)
    direct = sharpe_ratio((r - rf).to_numpy())
    assert sharpe_ratio(r, risk_free=rf).estimate == pytest.approx(direct.estimate, rel=1e-12)
    # a longer risk-free Series is aligned on the returns' dates
    sub = sharpe_ratio(r.iloc[100:], risk_free=rf)
    x = (r - rf).to_numpy()[100:]
    assert sub.estimate == pytest.approx(x.mean() / x.std(ddof=1), rel=1e-12)
    scalar = sharpe_ratio(r, risk_free=0.003).estimate
    assert scalar == pytest.approx((r - 0.003).mean() / r.std(ddof=1), rel=1e-12)


def test_nan_policy_omit_drops_dates_and_aligns_risk_free() -> None:
    idx = pd.date_range("2000-01-31", periods=8, freq="ME")
    r = pd.Series([0.01, np.nan, 0.02, -0.01, 0.03, np.nan, 0.00, 0.015], index=idx)
    rf = pd.Series(np.linspace(0.001, 0.008, 8), index=idx)
    est = sharpe_ratio(r, risk_free=rf, nan_policy="omit")
    keep = r.notna()
    x = (r[keep] - rf[keep]).to_numpy()
    assert est.n == 6
    assert est.estimate == pytest.approx(x.mean() / x.std(ddof=1), rel=1e-12)


def test_coverage_of_iid_and_lo_intervals() -> None:
    # 2000 iid normal series, n = 120, true per-period SR = 0.2: both Wald intervals should
    # cover close to 95 % (Monte Carlo SE 0.5 percentage points).
    g = np.random.default_rng(2024)
    sims = g.normal(0.2 * 0.05, 0.05, size=(2000, 120))
    hits = {"iid": 0, "lo": 0}
    for x in sims:
        for method in hits:
            ci = sharpe_ratio(x, method=method).confidence_interval  # type: ignore[arg-type]
            hits[method] += ci.low <= 0.2 <= ci.high
    for method, k in hits.items():
        assert 0.93 <= k / 2000 <= 0.965, (method, k / 2000)


@pytest.mark.slow
def test_coverage_hac_and_bootstrap_under_autocorrelation() -> None:
    # AR(1) returns with phi = 0.3, n = 400: true SR = mu / sd(x) with sd = 1/sqrt(1-phi^2).
    phi, mu, n, reps = 0.3, 0.1, 400, 300
    true_sr = mu * math.sqrt(1 - phi**2)
    hits = {"iid": 0, "hac": 0, "bootstrap": 0}
    for i in range(reps):
        x = _ar1(n, phi, seed=1000 + i, mu=mu)
        for method in hits:
            kw = {"n_resamples": 999, "rng": i} if method == "bootstrap" else {}
            ci = sharpe_ratio(x, method=method, **kw).confidence_interval  # type: ignore[arg-type]
            hits[method] += ci.low <= true_sr <= ci.high
    assert hits["iid"] / reps < 0.92  # ignores the dependence
    assert hits["hac"] / reps > 0.90
    assert hits["bootstrap"] / reps > 0.88


# ----------------------------------------------------------------------------- PSR / DSR


def _two_point_returns() -> np.ndarray:
    """1250 returns with SR = 2.5/sqrt(250), skewness -2.9994 and kurtosis 9.9965.

    Bailey & López de Prado's example has skewness -3 and kurtosis 10, which lies on the
    bound kurtosis >= skewness^2 + 1 and so needs a two-point distribution: 105 of 1250
    values at the low point give the closest sample.
    """
    z = np.r_[np.full(105, -1.0), np.zeros(1145)]
    z = (z - z.mean()) / z.std(ddof=1)
    return 0.01 * (z + 2.5 / math.sqrt(250))


def test_deflated_sharpe_ratio_reproduces_the_paper_example() -> None:
    # Bailey, D. H. & López de Prado, M. (2014), "The deflated Sharpe ratio", J. Portfolio
    # Management 40(5), section "A numerical example": N = 100 trials, V[SR_n] = 1/2
    # annualised (1/500 daily, 250 days a year), T = 1250 daily returns, skewness -3,
    # kurtosis 10, annualised SR 2.5  ->  SR0 = 0.1132 (per day) and DSR = 0.9004.
    assert _expected_max_sharpe(100, 0.5 / 250) == pytest.approx(0.1132, abs=5e-5)
    r = _two_point_returns()
    assert stats.skew(r) == pytest.approx(-3, abs=1e-3)
    assert stats.kurtosis(r, fisher=False) == pytest.approx(10, abs=5e-3)
    res = deflated_sharpe_ratio(r, n_trials=100, trials_sharpe_variance=0.5 / 250)
    assert isinstance(res, TestResult)
    assert res.details["expected_max_sharpe"] == pytest.approx(0.1132, abs=5e-5)
    assert res.details["probability"] == pytest.approx(0.9004, abs=2e-4)
    assert res.pvalue == pytest.approx(1 - res.details["probability"], abs=1e-12)
    assert res.alternative == "greater"
    assert res.estimate is not None
    assert res.estimate.estimate == pytest.approx(2.5 / math.sqrt(250), rel=1e-12)


def test_deflated_sharpe_ratio_from_trial_sharpes_and_default_variance() -> None:
    r = _two_point_returns()
    trials = np.random.default_rng(5).normal(0.0, 0.05, 40)
    res = deflated_sharpe_ratio(r, n_trials=40, trials_sharpe_variance=trials)
    assert res.details["trials_sharpe_variance"] == pytest.approx(np.var(trials, ddof=1))
    # by hand (Bailey & López de Prado 2014, eq. 2)
    euler = 0.5772156649015329
    z = (1 - euler) * stats.norm.ppf(1 - 1 / 40) + euler * stats.norm.ppf(1 - 1 / (40 * math.e))
    assert res.details["expected_max_sharpe"] == pytest.approx(np.std(trials, ddof=1) * z)
    default = deflated_sharpe_ratio(r, n_trials=40)
    assert default.details["trials_sharpe_variance"] == pytest.approx(1 / 1249)
    one = deflated_sharpe_ratio(r, n_trials=1, trials_sharpe_variance=0.01)
    psr = probabilistic_sharpe_ratio(r)
    assert one.details["expected_max_sharpe"] == 0.0
    assert one.details["probability"] == pytest.approx(psr.details["probability"])


def test_psr_matches_hand_formula(manuf: np.ndarray) -> None:
    x = manuf[-120:]
    n = x.size
    sr = x.mean() / x.std(ddof=1)
    g3, g4 = stats.skew(x), stats.kurtosis(x, fisher=False)
    bench = 0.05
    # Bailey & López de Prado (2012), eq. 7
    z = (sr - bench) * math.sqrt(n - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr**2)
    res = probabilistic_sharpe_ratio(x, benchmark=bench)
    assert res.statistic == pytest.approx(z, rel=1e-10)
    assert res.details["probability"] == pytest.approx(stats.norm.cdf(z), rel=1e-10)
    assert res.pvalue == pytest.approx(stats.norm.sf(z), rel=1e-10)
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)


def test_psr_with_risk_free_series(ff: pd.DataFrame) -> None:
    r, rf = _column(ff, "Hlth"), _column(ff, "rf")
    a = probabilistic_sharpe_ratio(r, risk_free=rf)
    b = probabilistic_sharpe_ratio(r - rf)
    assert a.details["probability"] == pytest.approx(b.details["probability"], rel=1e-12)


# ----------------------------------------------------------------------------- difference


def test_difference_hac_matches_statsmodels(ff: pd.DataFrame) -> None:
    from statsmodels.stats.sandwich_covariance import S_hac_simple

    a = _column(ff, "NoDur") - _column(ff, "rf")
    b = _column(ff, "Durbl") - _column(ff, "rf")
    n, lags = a.size, 5
    y = np.column_stack((a, b, a**2, b**2))
    v = y.mean(axis=0)
    psi = S_hac_simple(y - v, nlags=lags) / n

    def f(w: np.ndarray) -> float:  # Ledoit & Wolf (2008), eq. 2
        return w[0] / math.sqrt(w[2] - w[0] ** 2) - w[1] / math.sqrt(w[3] - w[1] ** 2)

    # numerical gradient (central differences), unlike the module's analytic one
    h = 1e-7
    grad = np.array([(f(v + h * e) - f(v - h * e)) / (2 * h) for e in np.eye(4)])
    se = math.sqrt(grad @ psi @ grad / n)
    res = sharpe_difference_test(a, b, method="hac", maxlags=lags)
    delta = a.mean() / a.std(ddof=1) - b.mean() / b.std(ddof=1)
    assert res.estimate is not None
    assert res.estimate.estimate == pytest.approx(delta, rel=1e-12)
    assert res.estimate.std_error == pytest.approx(se, rel=1e-5)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(abs(delta / se)), rel=1e-4)
    assert res.alternative == "two-sided"


def test_block_se_with_unit_blocks_is_the_iid_delta_method(ff: pd.DataFrame) -> None:
    a = _column(ff, "Enrgy")[:300]
    b = _column(ff, "Utils")[:300]
    res = sharpe_difference_test(a, b, method="hac", maxlags=0)
    assert res.estimate is not None
    assert float(_block_se(a, b, 1)) == pytest.approx(res.estimate.std_error, rel=1e-10)
    # blocks of length b: Psi = sum of outer products of block sums / n, checked by a loop
    y = np.column_stack((a, b, a**2, b**2))
    d = y - y.mean(axis=0)
    sums = np.array([d[i : i + 7].sum(axis=0) for i in range(0, 300, 7)])
    psi = sums.T @ sums / 300
    v = y.mean(axis=0)
    sa, sb = (v[2] - v[0] ** 2) ** 1.5, (v[3] - v[1] ** 2) ** 1.5
    grad = np.array([v[2] / sa, -v[3] / sb, -v[0] / (2 * sa), v[1] / (2 * sb)])
    assert float(_block_se(a, b, 7)) == pytest.approx(math.sqrt(grad @ psi @ grad / 300))


def test_difference_bootstrap_properties(ff: pd.DataFrame) -> None:
    a = _column(ff, "Shops") - _column(ff, "rf")
    b = _column(ff, "Telcm") - _column(ff, "rf")
    res = sharpe_difference_test(a, b, n_resamples=999, rng=11)
    hac = sharpe_difference_test(a, b, method="hac")
    assert res.estimate is not None and hac.estimate is not None
    assert res.statistic == pytest.approx(hac.statistic)
    assert 0 < res.pvalue <= 1
    assert res.estimate.confidence_interval.low < res.estimate.estimate
    assert res.estimate.estimate < res.estimate.confidence_interval.high
    # symmetric interval around the estimate (Ledoit & Wolf's symmetric studentized CI)
    lo, hi = res.estimate.confidence_interval
    assert res.estimate.estimate - lo == pytest.approx(hi - res.estimate.estimate)
    # on monthly data with weak dependence the bootstrap and HAC p-values are close
    assert abs(res.pvalue - hac.pvalue) < 0.1
    swapped = sharpe_difference_test(b, a, n_resamples=999, rng=11)
    assert swapped.estimate is not None
    assert swapped.estimate.estimate == pytest.approx(-res.estimate.estimate)
    # the p-value is a proportion of B + 1
    assert (res.pvalue * 1000) == pytest.approx(round(res.pvalue * 1000))


def test_difference_bootstrap_size_under_the_null() -> None:
    # two independent iid series with equal true SR: rejections at 5 % should be near 5 %
    g = np.random.default_rng(99)
    rejections = 0
    reps = 60
    for i in range(reps):
        a = g.normal(0.01, 0.04, 120)
        b = g.normal(0.01, 0.04, 120)
        rejections += sharpe_difference_test(a, b, n_resamples=199, rng=i).pvalue < 0.05
    assert rejections / reps <= 0.15


def test_difference_detects_a_real_difference() -> None:
    g = np.random.default_rng(8)
    a = g.normal(0.03, 0.04, 600)
    b = g.normal(0.0, 0.04, 600)
    res = sharpe_difference_test(a, b, n_resamples=499, rng=1)
    assert res.pvalue < 0.01


# ----------------------------------------------------------------------------- Sortino, Calmar


def test_sortino_red_rock_example() -> None:
    # Rollinger, T. N. & Hoffman, S. T. (2013), "Sortino: a 'sharper' ratio", Red Rock Capital:
    # annual returns 17, 15, 23, -5, 12, 9, 13, -4 %, target 0: mean 10 %, target downside
    # deviation sqrt((25 + 16)/8) = 2.264 %, Sortino ratio 4.417.
    r = np.array([17, 15, 23, -5, 12, 9, 13, -4]) / 100
    est = sortino_ratio(r)
    assert est.estimate == pytest.approx(4.417, abs=5e-4)
    assert est.details["downside_deviation"] == pytest.approx(0.02264, abs=5e-6)
    assert est.std_error is None
    assert math.isnan(est.confidence_interval.low) and math.isnan(est.confidence_interval.high)


def test_sortino_with_target_and_risk_free_by_hand(ff: pd.DataFrame) -> None:
    r, rf = _column(ff, "Money"), _column(ff, "rf")
    target = 0.002
    d = r - rf - target
    dd = math.sqrt(sum(min(v, 0.0) ** 2 for v in d) / d.size)
    est = sortino_ratio(r, risk_free=rf, target=target, periods_per_year=12)
    assert est.estimate == pytest.approx(d.mean() / dd * math.sqrt(12), rel=1e-10)


def test_sortino_bootstrap_interval(manuf: np.ndarray) -> None:
    est = sortino_ratio(manuf, method="bootstrap", n_resamples=999, rng=3, block_length=3)
    assert est.std_error is not None and est.std_error > 0
    assert est.confidence_interval.low < est.estimate < est.confidence_interval.high
    assert est.details["block_length"] == 3


def test_calmar_matches_loop(ff: pd.DataFrame) -> None:
    r = _column(ff, "Chems")[-36:]  # Young's 36-month window
    wealth, peak, mdd = 1.0, 1.0, 0.0
    for v in r:
        wealth *= 1 + v
        peak = max(peak, wealth)
        mdd = max(mdd, 1 - wealth / peak)
    cagr = wealth ** (12 / r.size) - 1
    est = calmar_ratio(r, periods_per_year=12)
    assert est.estimate == pytest.approx(cagr / mdd, rel=1e-10)
    assert est.details["max_drawdown"] == pytest.approx(mdd, rel=1e-12)
    assert est.details["annual_return"] == pytest.approx(cagr, rel=1e-10)
    boot = calmar_ratio(r, periods_per_year=12, method="bootstrap", n_resamples=499, rng=1)
    assert boot.confidence_interval.low < boot.confidence_interval.high


# ----------------------------------------------------------------------------- drawdowns


def _loop_max_drawdown(p: np.ndarray) -> tuple[float, int, int, int | None]:
    """Direct loop: the largest fall from the running peak and its dates."""
    best, peak_i, best_peak, best_trough = 0.0, 0, 0, 0
    for t in range(p.size):
        if p[t] >= p[peak_i]:
            peak_i = t
        fall = 1 - p[t] / p[peak_i]
        if fall > best:
            best, best_peak, best_trough = fall, peak_i, t
    recovery = next((t for t in range(best_trough + 1, p.size) if p[t] >= p[best_peak]), None)
    return best, best_peak, best_trough, recovery


def test_max_drawdown_matches_loop_on_wti(wti: pd.Series) -> None:
    depth, peak, trough, rec = _loop_max_drawdown(wti.to_numpy())
    res = max_drawdown(wti)
    assert res.depth == pytest.approx(depth, rel=1e-12)
    assert res.peak == wti.index[peak]
    assert res.trough == wti.index[trough]
    assert rec is None and res.recovery is None and not res.recovered
    assert res.duration == wti.size - 1 - peak
    # the 2008 peak (145.31 on 2008-07-03) to the 2016 trough (26.19 on 2016-02-11)
    assert res.peak == pd.Timestamp("2008-07-03")
    assert res.depth == pytest.approx(1 - 26.19 / 145.31, rel=1e-9)


def test_max_drawdown_recovered_subperiod(wti: pd.Series) -> None:
    sub = wti.loc["1990-01-01":"1999-12-31"]
    depth, peak, trough, rec = _loop_max_drawdown(sub.to_numpy())
    res = max_drawdown(sub.to_numpy())  # array in: integer positions
    assert (res.depth, res.peak, res.trough, res.recovery) == (
        pytest.approx(depth),
        peak,
        trough,
        rec,
    )
    if rec is not None:
        assert res.recovered and res.duration == rec - peak


def test_max_drawdown_small_examples() -> None:
    res = max_drawdown([100.0, 90.0, 100.0, 80.0, 120.0])
    # the high is revisited at position 2: the drawdown starts there
    assert res.depth == pytest.approx(0.2)
    assert (res.peak, res.trough, res.recovery, res.duration) == (2, 3, 4, 2)
    up = max_drawdown([1.0, 2.0, 3.0])
    assert up.depth == 0 and up.peak is None and up.trough is None and up.recovered


def test_max_drawdown_interval_and_result_type(wti: pd.Series) -> None:
    sub = wti.iloc[-1000:]
    res = max_drawdown(sub, confidence_level=0.9, n_resamples=400, rng=4)
    assert isinstance(res, DrawdownResult)
    assert res.confidence_interval is not None and res.confidence_level == 0.9
    lo, hi = res.confidence_interval
    assert 0 < lo < hi < 1
    assert res.details["n_resamples"] == 400
    frame = res.to_frame()
    assert list(frame.columns) == [
        "depth", "peak", "trough", "recovery", "duration", "recovered",
        "ci_low", "ci_high", "confidence_level", "n",
    ]  # fmt: skip
    assert res.to_dict()["n"] == 1000
    assert "DrawdownResult(depth=" in repr(res) and "90% CI" in repr(res)
    with pytest.raises(AttributeError):
        res.depth = 0.1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(res)).depth == res.depth
    plain = max_drawdown(sub)
    assert plain.confidence_interval is None and plain.to_dict()["ci_low"] is None


def test_drawdowns_series(wti: pd.Series) -> None:
    dd = drawdowns(wti)
    assert isinstance(dd, pd.Series) and dd.index.equals(wti.index) and dd.name == "drawdown"
    expected = 1 - wti / wti.cummax()  # pandas, written differently
    np.testing.assert_allclose(dd.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-15)
    assert dd.max() == pytest.approx(max_drawdown(wti).depth)


# ----------------------------------------------------------------------------- bad input


def test_constant_returns_raise_naming_returns() -> None:
    with pytest.raises(ValueError, match="`returns` is constant"):
        sharpe_ratio([0.01] * 20)
    with pytest.raises(ValueError, match="`returns` is constant"):
        probabilistic_sharpe_ratio([0.0] * 10)
    with pytest.raises(ValueError, match="`returns_b` is constant"):
        sharpe_difference_test(np.linspace(-0.01, 0.02, 30), [0.01] * 30, method="hac")


def test_nan_gaps_raise() -> None:
    r = [0.01, np.nan, 0.02, -0.01, 0.03]
    with pytest.raises(ValueError, match="`returns` has 1 NaN value"):
        sharpe_ratio(r)
    with pytest.raises(ValueError, match="NaN"):
        probabilistic_sharpe_ratio(r)
    with pytest.raises(ValueError, match="`prices`"):
        max_drawdown([100.0, np.nan, 101.0])


def test_unsorted_and_duplicated_dates() -> None:
    idx = pd.to_datetime(["2020-01-03", "2020-01-01", "2020-01-02", "2020-01-06"])
    r = pd.Series([0.01, -0.02, 0.03, 0.0], index=idx)
    with pytest.raises(ValueError, match="not in increasing order"):
        sharpe_ratio(r)
    dup = pd.Series(
        [100.0, 101.0, 99.0], index=pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02"])
    )
    with pytest.raises(ValueError, match="duplicated dates"):
        max_drawdown(dup)
    with pytest.raises(ValueError, match="duplicated dates"):
        drawdowns(dup)


def test_prices_passed_as_returns_warn() -> None:
    prices = np.linspace(100, 120, 50) + np.sin(np.arange(50))
    with pytest.warns(LooksLikePricesWarning, match="`returns` looks like prices"):
        sharpe_ratio(prices)
    with pytest.warns(LooksLikePricesWarning):
        probabilistic_sharpe_ratio(prices)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sharpe_ratio(np.diff(np.log(prices)))  # real returns do not warn


def test_returns_passed_as_prices_raise() -> None:
    with pytest.raises(ValueError, match="`prices` must be strictly positive"):
        max_drawdown([0.01, -0.02, 0.03])
    with pytest.raises(ValueError, match="one price series"):
        max_drawdown(np.ones((5, 2)) * 100)


def test_difference_mismatched_lengths_and_dates() -> None:
    g = np.random.default_rng(0)
    with pytest.raises(ValueError, match="`returns_a` and `returns_b` must have the same length"):
        sharpe_difference_test(g.normal(size=30), g.normal(size=31), method="hac")
    a = pd.Series(g.normal(size=30), index=pd.date_range("2020-01-01", periods=30))
    b = pd.Series(g.normal(size=30), index=pd.date_range("2020-02-01", periods=30))
    with pytest.raises(ValueError, match="different dates"):
        sharpe_difference_test(a, b)


def test_too_few_observations() -> None:
    with pytest.raises(ValueError, match="`returns` needs at least 3 observations; got 2"):
        sharpe_ratio([0.01, 0.02])
    with pytest.raises(ValueError, match="at least 10 observations"):
        sharpe_ratio([0.01, 0.02, -0.01, 0.0, 0.03], method="bootstrap")
    with pytest.raises(ValueError, match="at least 10 observations"):
        sharpe_difference_test([0.01, 0.02, -0.01, 0.0], [0.0, 0.01, 0.02, -0.02])
    with pytest.raises(ValueError, match="at least 10 observations"):
        max_drawdown([100.0, 101.0, 99.0, 102.0], confidence_level=0.95)
    with pytest.raises(ValueError, match="at least 2"):
        max_drawdown([100.0])


def test_option_validation() -> None:
    r = np.random.default_rng(1).normal(0.01, 0.05, 60)
    with pytest.raises(ValueError, match="`method` must be one of"):
        sharpe_ratio(r, method="normal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`maxlags` is only used with method='hac'"):
        sharpe_ratio(r, maxlags=3)
    with pytest.raises(ValueError, match="`block_length` is only used"):
        sharpe_ratio(r, block_length=3)
    with pytest.raises(ValueError, match="`maxlags` must be smaller"):
        sharpe_ratio(r, method="hac", maxlags=60)
    with pytest.raises(ValueError, match="`confidence_level` must be in"):
        sharpe_ratio(r, confidence_level=95)
    with pytest.raises(ValueError, match="`periods_per_year` must be >= 1"):
        sharpe_ratio(r, periods_per_year=0)
    with pytest.raises(ValueError, match="`benchmark` must be finite"):
        probabilistic_sharpe_ratio(r, benchmark=float("nan"))
    with pytest.raises(ValueError, match="`n_trials` must be >= 1"):
        deflated_sharpe_ratio(r, n_trials=0)
    with pytest.raises(ValueError, match="`trials_sharpe_variance` must be >= 0"):
        deflated_sharpe_ratio(r, n_trials=5, trials_sharpe_variance=-1.0)
    with pytest.raises(ValueError, match="`trials_sharpe_variance` needs at least 2"):
        deflated_sharpe_ratio(r, n_trials=5, trials_sharpe_variance=[0.1])
    with pytest.raises(TypeError, match="`risk_free` must be a real number"):
        sharpe_ratio(r, risk_free="0.01")
    with pytest.raises(ValueError, match="`risk_free` has 3 values but `returns` has 60"):
        sharpe_ratio(r, risk_free=[0.0, 0.0, 0.0])
    with pytest.raises(TypeError, match="`returns` must contain numbers"):
        sharpe_ratio(["a", "b", "c"])
    with pytest.raises(ValueError, match="no value below `target`"):
        sortino_ratio([0.01, 0.02, 0.03])
    with pytest.raises(ValueError, match="<= -1"):
        calmar_ratio([0.1, -1.0, 0.2], periods_per_year=12)
    with pytest.raises(ValueError, match="never fall"):
        calmar_ratio([0.01, 0.02, 0.03], periods_per_year=12)
    with pytest.raises(ValueError, match="`block_length` is only used"):
        max_drawdown([100.0, 99.0, 101.0], block_length=3)
    with pytest.raises(ValueError, match="`block_length` must be <= 60"):
        sharpe_difference_test(r, r[::-1].copy(), block_length=61)


def test_inputs_are_not_modified(ff: pd.DataFrame) -> None:
    r = pd.Series(_column(ff, "Other")[:120], index=ff.index[:120])
    rf = pd.Series(_column(ff, "rf")[:120], index=r.index)
    arr = r.to_numpy().copy()
    r_copy, rf_copy, arr_copy = r.copy(), rf.copy(), arr.copy()
    sharpe_ratio(r, risk_free=rf, method="hac")
    sharpe_ratio(arr, method="bootstrap", n_resamples=99, rng=1)
    probabilistic_sharpe_ratio(r, risk_free=rf)
    deflated_sharpe_ratio(arr, n_trials=10)
    sharpe_difference_test(arr, arr[::-1].copy(), n_resamples=99, rng=1)
    sortino_ratio(r, risk_free=rf)
    calmar_ratio(arr, periods_per_year=12)
    prices = (1 + r).cumprod()
    p_copy = prices.copy()
    max_drawdown(prices, confidence_level=0.9, n_resamples=99, rng=1)
    drawdowns(prices)
    pd.testing.assert_series_equal(r, r_copy)
    pd.testing.assert_series_equal(rf, rf_copy)
    pd.testing.assert_series_equal(prices, p_copy)
    np.testing.assert_array_equal(arr, arr_copy)


def test_deflated_sharpe_ratio_with_a_common_premium_shifts_the_benchmark() -> None:
    # SR0 = E + sqrt(V) * ((1 - gamma) z(1 - 1/N) + gamma z(1 - 1/(N e))): the trials' mean E
    # moves the benchmark one for one, and DSR is then the PSR against that benchmark.
    r = _two_point_returns()
    base = deflated_sharpe_ratio(r, n_trials=12, trials_sharpe_variance=0.002)
    shifted = deflated_sharpe_ratio(
        r, n_trials=12, trials_sharpe_variance=0.002, trials_sharpe_mean=0.05
    )
    assert shifted.details["expected_max_sharpe"] == pytest.approx(
        base.details["expected_max_sharpe"] + 0.05, rel=1e-12
    )
    psr = probabilistic_sharpe_ratio(r, benchmark=shifted.details["expected_max_sharpe"])
    assert shifted.details["probability"] == pytest.approx(psr.details["probability"], rel=1e-12)
    assert shifted.details["probability"] < base.details["probability"]
    with pytest.raises(ValueError, match="`trials_sharpe_mean`"):
        deflated_sharpe_ratio(r, n_trials=12, trials_sharpe_mean=float("nan"))
