"""Value at risk and expected shortfall: estimates, intervals, forecasts, predictive draws."""

import math
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from statcraft.datasets import load_wti
from statcraft.finance import LooksLikePricesWarning
from statcraft.finance.forecasts import var_es_forecast, var_es_from_draws
from statcraft.finance.risk import ewma_volatility, expected_shortfall, value_at_risk

METHODS = ["historical", "gaussian", "student_t", "cornish_fisher", "ewma", "filtered_historical"]


@pytest.fixture(scope="module")
def wti() -> pd.Series:
    price = load_wti()["price"].rename("wti")  # indexed by date
    return np.log(price).diff().iloc[1:]


@pytest.fixture(scope="module")
def t_returns() -> np.ndarray:
    return 0.01 * np.random.default_rng(20240601).standard_t(5, size=1234)


# --------------------------------------------------------------------------- direct oracles
def empirical_es(x: np.ndarray, p: float) -> float:
    """ES as -(1/p) * integral_0^p of the empirical quantile function Q(u) = x_(ceil(n u))."""
    s = np.sort(x)
    n = s.size
    edges = np.arange(n + 1) / n  # Q(u) = s[i] on (i/n, (i+1)/n]
    overlap = np.clip(np.minimum(edges[1:], p) - edges[:-1], 0.0, None)
    return -float(np.sum(overlap * s)) / p


def loop_ewma(r: np.ndarray, lam: float, v0: float) -> np.ndarray:
    out = np.empty(r.size + 1)
    out[0] = v0
    for t in range(1, r.size + 1):
        out[t] = lam * out[t - 1] + (1 - lam) * r[t - 1] ** 2
    return np.sqrt(out)


def cf_es_ipower(x: np.ndarray, p: float) -> tuple[float, float]:
    """PerformanceAnalytics' (older) operES.CornishFisher, written with its ``Ipower`` terms.

    Boudt, Peterson & Croux (2008) modified ES, as PerformanceAnalytics R/VaR.CornishFisher.R
    wrote it before the closed form: E = phi(h) + (I4 - 6 I2 + 3 phi(h)) K/24 + (I3 - 3 I1) S/6
    + (I6 - 15 I4 + 45 I2 - 15 phi(h)) S^2/72, where ``Ipower(q, h)`` (its loops) equals
    -int_-inf^h x^(q+1) phi(x) dx; the integrals are done by quadrature here.
    """
    mu = x.mean()
    m2, m3, m4 = (np.mean((x - mu) ** k) for k in (2, 3, 4))
    s, k = m3 / m2**1.5, m4 / m2**2 - 3
    z = stats.norm.ppf(p)
    h = z + (z**2 - 1) * s / 6 + (z**3 - 3 * z) * k / 24 - (2 * z**3 - 5 * z) * s**2 / 36

    def ipower(q: int) -> float:
        return -integrate.quad(lambda u: u ** (q + 1) * stats.norm.pdf(u), -np.inf, h)[0]

    e = stats.norm.pdf(h)
    e += (ipower(4) - 6 * ipower(2) + 3 * stats.norm.pdf(h)) * k / 24
    e += (ipower(3) - 3 * ipower(1)) * s / 6
    e += (ipower(6) - 15 * ipower(4) + 45 * ipower(2) - 15 * stats.norm.pdf(h)) * s**2 / 72
    mvar = -mu - h * math.sqrt(m2)
    mes = -mu - math.sqrt(m2) * min(-e / p, h)
    return mvar, mes


# --------------------------------------------------------------------------- historical
@pytest.mark.parametrize("level", [0.99, 0.975, 0.95, 0.9])
def test_historical_matches_sort_based_computation(t_returns, level):
    p = 1 - level
    s = np.sort(t_returns)
    k = math.ceil(round(t_returns.size * p, 9))
    v = value_at_risk(t_returns, level=level)
    e = expected_shortfall(t_returns, level=level)
    assert v.estimate == pytest.approx(-s[k - 1], abs=0)
    assert e.estimate == pytest.approx(empirical_es(t_returns, p), rel=1e-12)


def test_historical_quantile_definition_against_numpy(t_returns):
    x = t_returns[:1000]
    # numpy's inverted_cdf at the exact probability 0.01 is our quantile (r_(10))
    assert value_at_risk(x, level=0.99).estimate == -np.quantile(x, 0.01, method="inverted_cdf")
    # numpy with 1 - 0.99 (= 0.010000000000000009) jumps to r_(11); we snap n p = 10
    assert -np.quantile(x, 1 - 0.99, method="inverted_cdf") == -np.sort(x)[10]
    # numpy's default 'linear' interpolates towards r_(11): a smaller loss
    assert -np.quantile(x, 0.01) < value_at_risk(x, level=0.99).estimate
    # with n p whole, ES is the mean of the n p worst returns
    assert expected_shortfall(x, level=0.99).estimate == pytest.approx(-np.sort(x)[:10].mean())


def test_historical_on_wti(wti):
    r = wti.to_numpy()
    s = np.sort(r)
    k = math.ceil(r.size * 0.01)  # 8320 * 0.01 = 83.2 -> r_(84)
    assert value_at_risk(wti, level=0.99).estimate == pytest.approx(-s[k - 1])
    assert expected_shortfall(wti, level=0.99).estimate == pytest.approx(empirical_es(r, 0.01))


def test_order_statistic_interval_matches_scipy_quantile_test(t_returns):
    for level, conf in [(0.99, 0.95), (0.95, 0.9), (0.975, 0.99)]:
        v = value_at_risk(t_returns, level=level, confidence_level=conf)
        # scipy: distribution-free interval for the (1 - level) quantile of the returns
        ci = stats.quantile_test(t_returns, p=1 - level).confidence_interval(conf)
        assert v.confidence_interval.low == pytest.approx(-ci.high)
        assert v.confidence_interval.high == pytest.approx(-ci.low)
        assert v.details["interval_coverage"] >= conf
        assert v.std_error is None


def test_order_statistic_interval_unbounded_when_tail_too_thin():
    x = np.random.default_rng(3).standard_normal(120)
    v = value_at_risk(x, level=0.99, confidence_level=0.95)
    # 1.2 expected tail observations: the data cannot bound the VaR from above
    assert v.confidence_interval.high == math.inf
    assert np.isfinite(v.confidence_interval.low)


def test_order_statistic_interval_coverage_simulation():
    rng = np.random.default_rng(11)
    true_var = -stats.t.ppf(0.05, 4)
    cover = [
        value_at_risk(rng.standard_t(4, 300), level=0.95).confidence_interval for _ in range(400)
    ]
    rate = np.mean([lo <= true_var <= hi for lo, hi in cover])
    assert rate >= 0.93  # exact coverage >= 0.95 (conservative), minus simulation noise


def test_historical_es_has_no_analytic_interval_but_a_bootstrap_one(t_returns):
    e = expected_shortfall(t_returns, level=0.975)
    assert math.isnan(e.confidence_interval.low)
    assert "bootstrap" in e.details["interval_note"]
    b1 = expected_shortfall(t_returns, level=0.975, interval="bootstrap", n_resamples=300, rng=5)
    b2 = expected_shortfall(t_returns, level=0.975, interval="bootstrap", n_resamples=300, rng=5)
    assert b1.confidence_interval == b2.confidence_interval
    assert b1.confidence_interval.low < b1.estimate < b1.confidence_interval.high
    assert b1.details["interval"].startswith("stationary block bootstrap")


def test_bootstrap_interval_agrees_with_delta_method_on_iid_data():
    x = 0.01 * np.random.default_rng(21).standard_normal(1500)
    delta = value_at_risk(x, method="gaussian")
    boot = value_at_risk(x, method="gaussian", interval="bootstrap", n_resamples=999, rng=3)
    assert boot.std_error == pytest.approx(delta.std_error, rel=0.15)
    assert boot.confidence_interval.low == pytest.approx(delta.confidence_interval.low, rel=0.03)
    assert boot.details["n_resamples"] == 999


# --------------------------------------------------------------------------- parametric
def test_gaussian_against_scipy_closed_forms(t_returns):
    mu, sd = t_returns.mean(), t_returns.std(ddof=1)
    for level in (0.99, 0.975):
        p = 1 - level
        q = stats.norm.ppf(p, loc=mu, scale=sd)
        tail_mean = stats.norm.expect(lambda x: x, loc=mu, scale=sd, ub=q, conditional=True)
        v = value_at_risk(t_returns, level=level, method="gaussian")
        e = expected_shortfall(t_returns, level=level, method="gaussian")
        assert v.estimate == pytest.approx(-q, rel=1e-12)
        assert e.estimate == pytest.approx(-tail_mean, rel=1e-8)


def test_gaussian_delta_method_se_matches_sample_covariance(t_returns):
    # Independent: gradient of f(mean, variance) times the sample covariance of (r, (r - m)^2).
    x = t_returns
    n = x.size
    m, s = x.mean(), x.std(ddof=1)
    cov = np.cov(np.vstack([x, (x - m) ** 2]), ddof=0)
    z = stats.norm.ppf(0.01)
    for b, fn in [(-z, value_at_risk), (stats.norm.pdf(z) / 0.01, expected_shortfall)]:
        grad = np.array([-1.0, b / (2 * s)])  # d/d mean, d/d variance of -mean + b * sqrt(var)
        se = math.sqrt(grad @ cov @ grad / n)
        est = fn(x, level=0.99, method="gaussian")
        assert est.std_error == pytest.approx(se, rel=2e-3)  # ddof 1 vs 0 in s
        lo, hi = est.confidence_interval
        assert (hi - lo) / 2 == pytest.approx(1.959964 * est.std_error, rel=1e-6)


def test_gaussian_interval_coverage_on_normal_data():
    rng = np.random.default_rng(7)
    truth_var = -stats.norm.ppf(0.01)
    truth_es = stats.norm.pdf(stats.norm.ppf(0.01)) / 0.01
    hits_var = hits_es = 0
    reps = 300
    for _ in range(reps):
        x = rng.standard_normal(250)
        lo, hi = value_at_risk(x, method="gaussian").confidence_interval
        hits_var += lo <= truth_var <= hi
        lo, hi = expected_shortfall(x, method="gaussian").confidence_interval
        hits_es += lo <= truth_es <= hi
    assert 0.91 <= hits_var / reps <= 0.98
    assert 0.91 <= hits_es / reps <= 0.98


def test_student_t_against_scipy(wti):
    r = wti.to_numpy()
    v = value_at_risk(r, level=0.99, method="student_t")
    d = v.details
    # MLE against scipy's generic fitter: same likelihood optimum
    df_s, loc_s, scale_s = stats.t.fit(r)
    ll_ours = stats.t.logpdf(r, d["nu"], d["mu"], d["scale"]).sum()
    ll_scipy = stats.t.logpdf(r, df_s, loc_s, scale_s).sum()
    assert ll_ours >= ll_scipy - 1e-6
    assert d["nu"] == pytest.approx(df_s, rel=2e-3)
    assert d["scale"] == pytest.approx(scale_s, rel=2e-3)
    # closed forms: VaR from t.ppf, ES from the conditional expectation by quadrature
    q = stats.t.ppf(0.01, d["nu"], d["mu"], d["scale"])
    assert v.estimate == pytest.approx(-q, rel=1e-10)
    tail = stats.t.expect(
        lambda x: x, args=(d["nu"],), loc=d["mu"], scale=d["scale"], ub=q, conditional=True
    )
    e = expected_shortfall(r, level=0.99, method="student_t")
    assert e.estimate == pytest.approx(-tail, rel=1e-6)


def test_student_t_moment_fit(t_returns):
    x = t_returns
    k = stats.kurtosis(x)  # excess, population moments
    nu = 4 + 6 / k
    scale = x.std(ddof=1) * math.sqrt((nu - 2) / nu)
    v = value_at_risk(x, method="student_t", t_fit="moments")
    assert v.estimate == pytest.approx(-stats.t.ppf(0.01, nu, x.mean(), scale), rel=1e-10)
    assert math.isnan(v.confidence_interval.low)
    assert "t_fit='mle'" in v.details["interval_note"]


def test_student_t_fisher_information_against_numerical_hessian():
    from statcraft.finance.risk import _t_fisher_information

    rng = np.random.default_rng(2)
    mu, scale, nu = 0.1, 2.0, 5.0
    x = mu + scale * rng.standard_t(nu, 400_000)
    theta = np.array([mu, scale, nu])

    def mean_ll(th: np.ndarray) -> float:
        return float(stats.t.logpdf(x, th[2], th[0], th[1]).mean())

    h = np.array([1e-3, 1e-3, 1e-2])
    hess = np.empty((3, 3))
    for i in range(3):
        for j in range(3):
            ei, ej = np.eye(3)[i] * h[i], np.eye(3)[j] * h[j]
            hess[i, j] = (
                mean_ll(theta + ei + ej)
                - mean_ll(theta + ei - ej)
                - mean_ll(theta - ei + ej)
                + mean_ll(theta - ei - ej)
            ) / (4 * h[i] * h[j])
    info = _t_fisher_information(scale, nu)
    np.testing.assert_allclose(-hess[np.diag_indices(3)], np.diag(info), rtol=0.03)
    assert -hess[1, 2] == pytest.approx(info[1, 2], rel=0.1)


def test_student_t_interval_coverage_simulation():
    rng = np.random.default_rng(4)
    truth = -stats.t.ppf(0.01, 4)
    reps = 120
    hits = sum(
        lo <= truth <= hi
        for lo, hi in (
            value_at_risk(rng.standard_t(4, 500), method="student_t").confidence_interval
            for _ in range(reps)
        )
    )
    assert 0.88 <= hits / reps <= 0.99


def test_cornish_fisher_against_boudt_formula(wti):
    r = wti.to_numpy()[:2000]
    for level in (0.99, 0.95):
        mvar, mes = cf_es_ipower(r, 1 - level)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # WTI is far outside the CF domain
            v = value_at_risk(r, level=level, method="cornish_fisher")
            e = expected_shortfall(r, level=level, method="cornish_fisher")
        assert v.estimate == pytest.approx(mvar, rel=1e-10)
        assert e.estimate == pytest.approx(mes, rel=1e-8)


def test_cornish_fisher_reduces_to_gaussian_and_flags_invalid_domain():
    x = np.random.default_rng(8).standard_normal(3000) * 0.01
    x = (x - x.mean()) / x.std()  # standardise, then kill skewness by symmetrising
    x = np.concatenate([x, -x])
    v = value_at_risk(x, level=0.99, method="cornish_fisher")
    assert v.details["cf_monotone"]
    # skewness 0: mVaR = -mean - h sigma_pop with only the kurtosis term in h
    k = stats.kurtosis(x)
    z = stats.norm.ppf(0.01)
    h = z + (z**3 - 3 * z) * k / 24
    assert v.estimate == pytest.approx(-h * x.std(), rel=1e-10)
    heavy = np.random.default_rng(9).standard_t(2.5, 2000)
    with pytest.warns(UserWarning, match="Cornish-Fisher"):
        out = value_at_risk(heavy, method="cornish_fisher")
    assert not out.details["cf_monotone"]


def test_ewma_volatility_against_loop(wti):
    r = wti.to_numpy()[:500]
    v0 = np.mean(r[:30] ** 2)
    expected = loop_ewma(r, 0.94, v0)
    np.testing.assert_allclose(ewma_volatility(r), expected[:-1], rtol=1e-12)
    np.testing.assert_allclose(
        ewma_volatility(r, lam=0.97, initial=0.02), loop_ewma(r, 0.97, 0.02**2)[:-1], rtol=1e-12
    )
    s = ewma_volatility(wti.iloc[:500])
    assert isinstance(s, pd.Series) and s.index.equals(wti.index[:500])
    # VaR and ES one step past the last return
    sig_next = expected[-1]
    v = value_at_risk(r, level=0.99, method="ewma")
    e = expected_shortfall(r, level=0.975, method="ewma")
    assert v.estimate == pytest.approx(-stats.norm.ppf(0.01) * sig_next, rel=1e-12)
    tail = stats.norm.expect(
        lambda x: x, scale=sig_next, ub=stats.norm.ppf(0.025, 0, sig_next), conditional=True
    )
    assert e.estimate == pytest.approx(-tail, rel=1e-8)
    assert v.details["volatility"] == pytest.approx(sig_next)
    assert math.isnan(v.confidence_interval.low) and "lam" in v.details["interval_note"]


def test_filtered_historical_against_direct_computation(wti):
    r = wti.to_numpy()[:1500]
    sig = loop_ewma(r, 0.94, np.mean(r[:30] ** 2))
    z = np.sort(r / sig[:-1])
    v = value_at_risk(r, level=0.99, method="filtered_historical")
    e = expected_shortfall(r, level=0.99, method="filtered_historical")
    assert v.estimate == pytest.approx(-z[14] * sig[-1], rel=1e-12)  # 1500 * 0.01 = 15
    assert e.estimate == pytest.approx(-z[:15].mean() * sig[-1], rel=1e-12)
    lo, hi = v.confidence_interval
    ci = stats.quantile_test(r / sig[:-1], p=0.01).confidence_interval(0.95)
    assert (lo, hi) == pytest.approx((-ci.high * sig[-1], -ci.low * sig[-1]))


# --------------------------------------------------------------------------- forecasts
def direct_forecast(r: np.ndarray, t: int, window: int | None, method: str, level: float):
    lo = 0 if window is None else t - window
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        v = value_at_risk(r[lo:t], level=level, method=method, interval=None, t_fit="moments")
        e = expected_shortfall(r[lo:t], level=level, method=method, interval=None, t_fit="moments")
    return v.estimate, e.estimate


@pytest.mark.parametrize("method", ["historical", "gaussian", "cornish_fisher", "student_t"])
@pytest.mark.parametrize("window", [None, 300])
def test_forecast_matches_per_date_estimates(wti, method, window):
    r = wti.to_numpy()[:1400]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fc = var_es_forecast(
            r, levels=(0.99, 0.975), method=method, window=window, start=400, t_fit="moments"
        )
    assert len(fc) == 1000 and list(fc.index[:2]) == [400, 401]
    for t in (400, 401, 915, 1024, 1399):
        for level in (0.99, 0.975):
            v, e = direct_forecast(r, t, window, method, level)
            assert fc.loc[t, f"var_{level}"] == pytest.approx(v, rel=1e-8)
            assert fc.loc[t, f"es_{level}"] == pytest.approx(e, rel=1e-8)


def test_forecast_ewma_and_filtered_historical_against_loop(wti):
    r = wti.to_numpy()[:1200]
    start, window = 300, 250
    sig = loop_ewma(r, 0.94, np.mean(r[:start] ** 2))
    fc = var_es_forecast(r, levels=(0.99,), method="ewma", start=start)
    np.testing.assert_allclose(fc["volatility"], sig[start:-1], rtol=1e-12)
    np.testing.assert_allclose(fc["var_0.99"], -stats.norm.ppf(0.01) * sig[start:-1], rtol=1e-12)
    fhs = var_es_forecast(
        r, levels=(0.975,), method="filtered_historical", window=window, start=start
    )
    z = r / sig[:-1]
    for t in (300, 777, 1199):
        pool = np.sort(z[t - window : t])  # 250 * 0.025 = 6.25: r_(7), ES with weight 0.25
        assert fhs.loc[t, "var_0.975"] == pytest.approx(-pool[6] * sig[t], rel=1e-12)
        es = -(pool[:6].sum() + 0.25 * pool[6]) / 6.25 * sig[t]
        assert fhs.loc[t, "es_0.975"] == pytest.approx(es, rel=1e-12)


def test_forecast_student_t_mle_refits(wti):
    r = wti.to_numpy()[:900]
    fc = var_es_forecast(
        r, levels=(0.99,), method="student_t", window=500, start=500, refit_every=200
    )
    fits = fc.attrs["fits"]
    assert [f["date"] for f in fits] == [500, 700]
    d = value_at_risk(r[200:700], method="student_t").details
    assert fits[1]["nu"] == pytest.approx(d["nu"], rel=1e-3)
    # parameters held between refits
    q = stats.t.ppf(0.01, fits[0]["nu"], fits[0]["mu"], fits[0]["scale"])
    np.testing.assert_allclose(fc.loc[500:699, "var_0.99"], -q, rtol=1e-12)


@pytest.mark.parametrize(
    ("method", "window"),
    [(m, 300) for m in METHODS]
    + [("historical", None), ("garch", None), ("garch", 300), ("gaussian", None)],
)
def test_forecast_has_no_look_ahead(method, window):
    rng = np.random.default_rng(12)
    r = 0.01 * rng.standard_t(4, 900)
    kw = {
        "levels": (0.99, 0.975),
        "method": method,
        "window": window,
        "start": 400,
        "refit_every": 150,
    }
    cut = 620
    perturbed = r.copy()
    perturbed[cut:] = 0.05 * rng.standard_t(3, r.size - cut)  # change everything from `cut` on
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = var_es_forecast(r, **kw)
        b = var_es_forecast(perturbed, **kw)
    # forecasts for dates <= cut use returns before cut only: identical to the last bit
    pd.testing.assert_frame_equal(a.loc[:cut], b.loc[:cut])
    assert not np.allclose(a.loc[cut + 1 :].to_numpy(), b.loc[cut + 1 :].to_numpy())


def test_forecast_garch_matches_arch_forecast(wti):
    arch = pytest.importorskip("arch")
    r = wti.to_numpy()[:2600]
    fc = var_es_forecast(r, levels=(0.99, 0.975), method="garch", start=2000, refit_every=300)
    assert fc.attrs["garch_scale"] == 100.0  # daily decimal returns are fitted in percent
    y = 100 * r
    for block, fit in enumerate(fc.attrs["fits"]):
        t0 = 2000 + 300 * block
        t1 = min(t0 + 300, r.size)
        params = np.array(
            [fit["mu"] * 100, fit["omega"] * 1e4, fit["alpha"], fit["beta"], fit["nu"]]
        )
        if block == 0:  # the first fit is arch's own fit on the same sample
            res = arch.arch_model(y[:t0], vol="GARCH", p=1, q=1, dist="t", rescale=False).fit(
                disp="off"
            )
            np.testing.assert_allclose(res.params.to_numpy(), params, rtol=1e-10)
        fixed = arch.arch_model(y[:t1], vol="GARCH", p=1, q=1, dist="t", rescale=False).fix(params)
        # same parameters => same one-step variances; arch's row i forecasts date i + 1.
        # arch filters from its backcast over the whole sample y[:t1]; ours continues from the
        # fit on y[:t0] (an expanding window shares the backcast, so they agree).
        var_arch = fixed.forecast(horizon=1, start=t0 - 1, reindex=False).variance.to_numpy()
        ours = (100 * fc.loc[t0 : t1 - 1, "volatility"].to_numpy()) ** 2
        np.testing.assert_allclose(ours, var_arch[: t1 - t0, 0], rtol=1e-8)
        # VaR: mean + vol * standardised-t quantile (arch's own distribution object)
        q = arch.univariate.StudentsT().ppf(0.01, np.array([fit["nu"]]))
        expected = -(fit["mu"] + np.sqrt(var_arch[: t1 - t0, 0]) / 100 * q)
        np.testing.assert_allclose(fc.loc[t0 : t1 - 1, "var_0.99"], expected, rtol=1e-8)


def test_forecast_garch_without_arch(monkeypatch):
    monkeypatch.setitem(sys.modules, "arch", None)
    r = 0.01 * np.random.default_rng(0).standard_normal(400)
    with pytest.raises(ImportError, match=r"pip install 'statcraft\[finance\]'"):
        var_es_forecast(r, method="garch", start=200)


def test_var_violation_rates_near_nominal_on_iid_t():
    # iid t(4) returns: a correct 99% VaR is exceeded on about 1% of days.
    r = 0.01 * np.random.default_rng(2024).standard_t(4, 12_000)
    kw = {"levels": (0.99,), "window": 1000, "start": 1000}
    rates = {}
    for method, extra in [("historical", {}), ("student_t", {"refit_every": 250})]:
        fc = var_es_forecast(r, method=method, **kw, **extra)
        rates[method] = float(np.mean(r[1000:] < -fc["var_0.99"].to_numpy()))
    # 11000 forecasts: binomial SE 0.00095, inflated by the overlap of the windows
    assert 0.0065 <= rates["historical"] <= 0.0135
    assert 0.0065 <= rates["student_t"] <= 0.0135


@pytest.mark.slow
def test_var_violation_rates_over_many_paths():
    rng = np.random.default_rng(99)
    rates = {"historical": [], "student_t": [], "gaussian": []}
    for _ in range(20):
        r = 0.01 * rng.standard_t(4, 6000)
        for method in rates:
            fc = var_es_forecast(r, levels=(0.99,), method=method, window=1000, refit_every=500)
            rates[method].append(np.mean(r[1000:] < -fc["var_0.99"].to_numpy()))
    assert abs(np.mean(rates["historical"]) - 0.01) < 0.0015
    assert abs(np.mean(rates["student_t"]) - 0.01) < 0.0015
    assert np.mean(rates["gaussian"]) > 0.0115  # the normal misses the t tail


def test_forecast_series_index_columns_and_start_label(wti):
    s = wti.iloc[:800]
    fc = var_es_forecast(s, levels=(0.99, 0.975), method="gaussian", window=250, start=s.index[300])
    assert fc.index.equals(s.index[300:])
    assert list(fc.columns) == ["var_0.99", "es_0.99", "var_0.975", "es_0.975", "volatility"]
    assert fc.attrs["method"] == "gaussian" and fc.attrs["window"] == 250
    fc2 = var_es_forecast(s, levels=0.95, method="historical", start="1987-03-01")
    assert fc2.index[0] == s.index[s.index >= "1987-03-01"][0]
    assert list(fc2.columns) == ["var_0.95", "es_0.95"]


# --------------------------------------------------------------------------- draws
def test_var_es_from_draws_against_historical():
    rng = np.random.default_rng(1)
    draws = rng.standard_t(5, (3000, 4)) * np.array([1.0, 2.0, 0.5, 3.0])
    dates = pd.date_range("2020-01-01", periods=4, freq="B")
    out = var_es_from_draws(draws, levels=(0.99, 0.975), index=dates)
    assert out.index.equals(dates)
    assert list(out.columns) == ["var_0.99", "es_0.99", "var_0.975", "es_0.975"]
    for j in range(4):
        col = draws[:, j]
        assert out.iloc[j]["var_0.99"] == pytest.approx(-np.sort(col)[29])
        assert out.iloc[j]["es_0.975"] == pytest.approx(empirical_es(col, 0.025), rel=1e-12)
    one = var_es_from_draws(draws[:, 0], levels=0.99)
    assert one.shape == (1, 2) and one.iloc[0, 0] == out.iloc[0, 0]
    frame = var_es_from_draws(pd.DataFrame(draws, columns=dates))
    assert frame.index.equals(dates) and frame.attrs["n_draws"] == 3000


def test_var_es_from_draws_bad_input():
    draws = np.random.default_rng(0).standard_normal((500, 3))
    bad = draws.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="`draws` has 1 NaN value"):
        var_es_from_draws(bad)
    with pytest.raises(ValueError, match=r"too few for `levels` 0.999"):
        var_es_from_draws(draws, levels=(0.999,))
    with pytest.raises(ValueError, match="`index` has 2 labels"):
        var_es_from_draws(draws, index=["a", "b"])
    with pytest.raises(ValueError, match="`levels` must be in"):
        var_es_from_draws(draws, levels=(1.5,))
    with pytest.raises(TypeError, match="draws"):
        var_es_from_draws(np.array([["a", "b"]]))


# --------------------------------------------------------------------------- bad input
def test_level_outside_unit_interval():
    x = np.random.default_rng(0).standard_normal(500) * 0.01
    for bad in (0.0, 1.0, 99.0, -0.5):
        with pytest.raises(ValueError, match="`level` must be in"):
            value_at_risk(x, level=bad)
        with pytest.raises(ValueError, match="`levels` must be in"):
            var_es_forecast(x, levels=(0.99, bad), start=300)
    with pytest.raises(TypeError, match="`level`"):
        expected_shortfall(x, level="0.99")
    with pytest.raises(ValueError, match="`levels` has duplicated"):
        var_es_forecast(x, levels=(0.99, 0.99), start=300)


def test_nan_gaps_and_unsorted_dates(wti):
    s = wti.iloc[:600].copy()
    s.iloc[[10, 200]] = np.nan
    with pytest.raises(ValueError, match="2 NaN values"):
        value_at_risk(s)
    with pytest.raises(ValueError, match="NaN"):
        var_es_forecast(s, start=300)
    dropped = value_at_risk(s, nan_policy="omit")
    assert dropped.n == 598
    assert value_at_risk(s.dropna()).estimate == dropped.estimate
    fc = var_es_forecast(s, start=300, nan_policy="omit")
    assert fc.index.equals(s.dropna().index[300:])
    shuffled = wti.iloc[:600].sample(frac=1.0, random_state=1)
    with pytest.raises(ValueError, match="not in increasing order"):
        expected_shortfall(shuffled)
    with pytest.raises(ValueError, match="not in increasing order"):
        var_es_forecast(shuffled)


def test_prices_passed_as_returns_warn(wti):
    prices = np.exp(np.cumsum(wti.to_numpy()[:600])) * 20
    with pytest.warns(LooksLikePricesWarning):
        value_at_risk(prices)
    with pytest.warns(LooksLikePricesWarning):
        var_es_forecast(prices, start=300)


def test_window_and_start_errors():
    x = np.random.default_rng(0).standard_normal(400) * 0.01
    with pytest.raises(ValueError, match="`window` = 500 is longer than the series"):
        var_es_forecast(x, window=500)
    with pytest.raises(ValueError, match=r"`window` = 50 leaves 50 observations.*at least 100"):
        var_es_forecast(x, window=50, levels=(0.99,))
    with pytest.raises(ValueError, match="`start` = 100 comes before the first full window"):
        var_es_forecast(x, window=200, start=100)
    with pytest.raises(ValueError, match="`start` must be a position"):
        var_es_forecast(x, start=400)
    with pytest.raises(ValueError, match="default `start` = 250"):
        var_es_forecast(x[:200])
    with pytest.raises(TypeError, match="`start` must be an integer position"):
        var_es_forecast(x, start="2020-01-01")
    with pytest.raises(ValueError, match="`refit_every` must be >= 1"):
        var_es_forecast(x, start=200, refit_every=0)
    with pytest.raises(ValueError, match="`method` must be one of"):
        var_es_forecast(x, start=200, method="monte_carlo")


def test_too_few_observations_for_the_tail():
    x = np.random.default_rng(0).standard_normal(50) * 0.01
    with pytest.raises(ValueError, match=r"50 observations, too few.*at least 100"):
        expected_shortfall(x, level=0.99)
    with pytest.raises(ValueError, match="at least 100"):
        value_at_risk(x, level=0.99, method="filtered_historical")
    assert expected_shortfall(x, level=0.95).n == 50  # 2.5 tail observations: allowed
    with pytest.raises(ValueError, match="at least 10"):
        value_at_risk(x[:8], level=0.5, method="student_t")


def test_other_bad_options():
    x = np.random.default_rng(0).standard_normal(300) * 0.01
    with pytest.raises(ValueError, match="`method` must be one of"):
        value_at_risk(x, method="garch")
    with pytest.raises(ValueError, match="`interval` must be one of"):
        value_at_risk(x, interval="exact")
    with pytest.raises(ValueError, match="not available for method='ewma'"):
        value_at_risk(x, method="ewma", interval="bootstrap")
    with pytest.raises(ValueError, match="`lam` must be in"):
        ewma_volatility(x, lam=1.0)
    with pytest.raises(ValueError, match="`initial` must be a positive"):
        ewma_volatility(x, initial=-0.1)
    with pytest.raises(ValueError, match="`returns` is constant"):
        value_at_risk(np.zeros(300), method="gaussian")
    assert value_at_risk(np.zeros(300)).estimate == 0.0  # historical VaR of no movement
    with pytest.raises(TypeError, match="returns"):
        value_at_risk(["a"] * 200)
    with pytest.raises(ValueError, match="infinite"):
        value_at_risk(np.r_[x, np.inf])


def test_inputs_are_not_modified(wti):
    s = wti.iloc[:700]
    before = s.copy()
    arr = s.to_numpy().copy()
    arr_before = arr.copy()
    for method in METHODS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            value_at_risk(s, method=method)
            expected_shortfall(arr, method=method)
            var_es_forecast(s, method=method, start=400, t_fit="moments")
    ewma_volatility(arr)
    draws = np.random.default_rng(0).standard_normal((400, 2))
    draws_before = draws.copy()
    var_es_from_draws(draws)
    pd.testing.assert_series_equal(s, before)
    np.testing.assert_array_equal(arr, arr_before)
    np.testing.assert_array_equal(draws, draws_before)


def test_estimate_result_shape(t_returns):
    v = value_at_risk(t_returns, level=0.975, method="gaussian")
    row = v.to_frame()
    assert list(row.columns) == [
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "confidence_level",
        "method",
        "n",
    ]
    assert v.method == "VaR 97.5% (gaussian)" and v.n == t_returns.size
    assert v.details["level"] == 0.975
    assert "VaR 97.5%" in repr(v)
    none = value_at_risk(t_returns, interval=None)
    assert math.isnan(none.confidence_interval.low)
