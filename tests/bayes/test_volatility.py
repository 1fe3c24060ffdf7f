"""StochasticVolatility and Garch11: recovery, agreement with arch's MLE, risk forecasts."""

import warnings

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import (
    BayesianModel,
    ConvergenceWarning,
    Garch11,
    Prior,
    PriorScaleWarning,
    StochasticVolatility,
)
from statcraft.bayes.templates.volatility import ar1_filter
from statcraft.datasets import load_wti

FIT = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "progressbar": False}


def _wti(n=1000):
    price = load_wti()["price"].to_numpy()
    return pd.DataFrame({"r": 100 * np.diff(np.log(price))[-n:]})


def _garch_path(seed, n=1500, mu=0.05, omega=0.05, alpha=0.08, beta=0.9, nu=8.0):
    rng = np.random.default_rng(seed)
    h = omega / (1 - alpha - beta)
    r = np.empty(n)
    for t in range(n):
        e = np.sqrt(h * (nu - 2) / nu) * rng.standard_t(nu)
        r[t] = mu + e
        h = omega + alpha * e**2 + beta * h
    return pd.DataFrame({"r": r})


def _sv_path(seed, n=800, mu=0.5, phi=0.97, sigma=0.2, nu=10.0):
    rng = np.random.default_rng(seed)
    h = np.empty(n)
    h[0] = mu + sigma / np.sqrt(1 - phi**2) * rng.normal()
    for t in range(1, n):
        h[t] = mu + phi * (h[t - 1] - mu) + sigma * rng.normal()
    return pd.DataFrame({"r": np.exp(h / 2) * rng.standard_t(nu, size=n)})


def test_the_doubling_scan_solves_the_ar1_recursion():
    rng = np.random.default_rng(0)
    b, phi = rng.normal(size=37), 0.93
    loop = np.empty_like(b)
    loop[0] = b[0]
    for t in range(1, b.size):
        loop[t] = phi * loop[t - 1] + b[t]
    np.testing.assert_allclose(ar1_filter(b, phi, b.size).eval(), loop, rtol=1e-12)


def test_garch_recovers_simulated_parameters():
    model = Garch11(returns="r")
    model.fit(_garch_path(1), rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    s = model.summary(hdi_prob=0.9)
    for name, truth in {"alpha": 0.08, "beta": 0.9, "persistence": 0.98, "mu_return": 0.05}.items():
        assert s.loc[name, "hdi_low"] <= truth <= s.loc[name, "hdi_high"], name


@pytest.mark.slow
def test_garch_intervals_cover_across_seeds():
    hits = []
    truth = {"alpha": 0.08, "beta": 0.9, "mu_return": 0.05, "nu": 8.0}
    for seed in range(10):
        model = Garch11(returns="r")
        model.fit(_garch_path(300 + seed), rng=seed, **FIT)
        s = model.summary(hdi_prob=0.9)
        hits += [bool(s.loc[k, "hdi_low"] <= v <= s.loc[k, "hdi_high"]) for k, v in truth.items()]
    rate = float(np.mean(hits))
    print(f"Garch11 90% HDI coverage over 10 seeds x 4 parameters: {rate:.3f}")
    assert 0.75 <= rate <= 1.0


def test_garch_agrees_with_the_arch_mle_on_wti():
    arch_model = pytest.importorskip("arch").arch_model
    data = _wti()
    model = Garch11(returns="r")
    model.fit(data, rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    mle = arch_model(data["r"], mean="Constant", vol="GARCH", p=1, q=1, dist="t").fit(disp="off")
    s = model.summary()
    pairs = {"mu_return": "mu", "alpha": "alpha[1]", "beta": "beta[1]", "nu": "nu"}
    for ours, theirs in pairs.items():
        # the weakly informative priors pull a little (towards lower persistence); with 1000
        # days the posterior mean stays within 1.5 posterior sd of arch's MLE
        gap = abs(s.loc[ours, "mean"] - mle.params[theirs]) / s.loc[ours, "sd"]
        assert gap < 1.5, (ours, s.loc[ours, "mean"], mle.params[theirs])
    # one-step predictive variance agrees with arch's forecast within 15%
    ours_var = model.forecast_risk(1).loc[1, "sd"] ** 2
    theirs_var = mle.forecast(horizon=1).variance.iloc[-1, 0]
    assert abs(ours_var / theirs_var - 1) < 0.15


def test_garch_risk_forecasts_and_save_load(tmp_path):
    model = Garch11(returns="r")
    model.fit(_wti(), rng=2, **FIT)
    risk = model.forecast_risk(horizon=3, level=0.99)
    assert list(risk.index) == [1, 2, 3]
    assert (risk["expected_shortfall"] > risk["value_at_risk"]).all()
    assert (risk["value_at_risk"] > 0).all()
    path = model.save(tmp_path / "g.nc")
    loaded = BayesianModel.load(path)
    pd.testing.assert_frame_equal(loaded.forecast_risk(horizon=3, level=0.99), risk)
    assert model.predict_distribution(pd.DataFrame(index=range(2))).shape == (2000, 2)
    assert model.conditional_variance().shape == (1000, 3)
    with pytest.raises(RuntimeError, match="include_data=True"):
        loaded.conditional_variance()


def _check_filter(model, data, n_train, rng, draws=500):
    """Filtered one-step forecasts of data after n_train: calibrated, and no look-ahead."""
    from scipy import stats

    model.fit(
        data.iloc[:n_train], rng=rng, draws=draws, tune=1000, chains=2, cores=1, progressbar=False
    )
    assert model.convergence.passed, model.convergence
    new = data.iloc[n_train:]
    n_draws = draws
    draws = model.filter_forecast(new, rng=5)
    assert draws.shape == (2 * n_draws, len(new))
    # PIT of each realised return under its own one-step predictive: uniform when the
    # forecasts are calibrated (a look-ahead would pile the PIT up near 0.5)
    pit = (draws < new["r"].to_numpy()[None, :]).mean(axis=0)
    assert stats.kstest(pit, "uniform").pvalue > 0.01
    var99 = -np.quantile(draws, 0.01, axis=0)
    hits = int((new["r"].to_numpy() < -var99).sum())
    assert hits <= stats.binom.ppf(0.999, len(new), 0.01)
    # the forecast for period j uses returns before j only: change the later ones
    changed = new.copy()
    changed.iloc[100:, 0] = changed.iloc[100:, 0] * 5.0
    again = model.filter_forecast(changed, rng=5)
    np.testing.assert_array_equal(again[:, :101], draws[:, :101])
    assert not np.array_equal(again[:, 101:], draws[:, 101:])
    # an array works as well as the DataFrame column
    np.testing.assert_array_equal(model.filter_forecast(new["r"].to_numpy(), rng=5), draws)


def test_garch_filter_forecast_is_calibrated_and_does_not_look_ahead():
    _check_filter(Garch11(returns="r"), _garch_path(7, n=1300), 800, rng=3)


def test_stochastic_volatility_filter_forecast_is_calibrated_and_does_not_look_ahead():
    model = StochasticVolatility(returns="r")
    _check_filter(model, _sv_path(8, n=800), 500, rng=3, draws=1000)
    with pytest.raises(ValueError, match="`n_particles` must be >= 1"):
        model.filter_forecast(_sv_path(8, n=30), n_particles=0)


def test_stochastic_volatility_recovers_simulated_parameters():
    model = StochasticVolatility(returns="r")
    model.fit(_sv_path(4), rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    assert model.convergence.divergences == 0
    s = model.summary(var_names=["mu", "phi", "sigma"], hdi_prob=0.9)
    for name, truth in {"mu": 0.5, "phi": 0.97, "sigma": 0.2}.items():
        assert s.loc[name, "hdi_low"] <= truth <= s.loc[name, "hdi_high"], name
    vol = model.volatility()
    assert vol.shape == (800, 3)
    assert (vol["hdi_low"] < vol["mean"]).all()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stochastic_volatility_meets_the_issue_bar_on_wti(seed):
    # issue 13: 1000 real daily returns, 0 divergences, r_hat <= 1.01 for every scalar and for
    # at least 99% of the latent states
    model = StochasticVolatility(returns="r")
    model.fit(_wti(), rng=seed, **dict(FIT, cores=2))
    report = model.convergence
    table = report.to_frame()
    print(report)
    assert report.divergences == 0
    assert table.loc[~table["latent"], "r_hat"].max() <= 1.01
    assert table.loc[table["variable"] == "h", "r_hat"].le(1.01).mean() >= 0.99
    assert report.passed


@pytest.mark.slow
def test_stochastic_volatility_intervals_cover_across_seeds():
    hits = []
    for seed in range(8):
        model = StochasticVolatility(returns="r")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(_sv_path(100 + seed), rng=seed, **FIT)
        s = model.summary(var_names=["mu", "phi", "sigma", "nu"], hdi_prob=0.9)
        truth = {"mu": 0.5, "phi": 0.97, "sigma": 0.2, "nu": 10.0}
        hits += [bool(s.loc[k, "hdi_low"] <= v <= s.loc[k, "hdi_high"]) for k, v in truth.items()]
    rate = float(np.mean(hits))
    print(f"SV 90% HDI coverage over 8 seeds x 4 parameters: {rate:.3f}")
    assert 0.75 <= rate <= 1.0


def test_bad_input_is_refused():
    data = _wti(200)
    with pytest.warns(PriorScaleWarning, match="looks like decimal returns"):
        StochasticVolatility(returns="r").build(data / 100)
    with pytest.raises(ValueError, match="needs at least 20 returns"):
        Garch11(returns="r").build(data.iloc[:10])
    with pytest.raises(ValueError, match=r"column 'r' \(returns\) is constant"):
        Garch11(returns="r").build(data.assign(r=1.0))
    bad = data.copy()
    bad.loc[5, "r"] = np.nan
    with pytest.raises(ValueError, match=r"column 'r' \(returns\) has 1 missing value"):
        StochasticVolatility(returns="r").build(bad)
    with pytest.raises(ValueError, match="`process` must be one of 'ar1', 'random_walk'"):
        StochasticVolatility(returns="r", process="garch")
    with pytest.raises(TypeError, match=r"has no outcome column, so fit\(X, y\) does not apply"):
        Garch11(returns="r").fit(data, data["r"])
    wrong = {"persistence": Prior("HalfNormal", sigma=1)}
    with pytest.raises(ValueError, match=r"priors\['persistence'\]: persistence lives on \(0, 1\)"):
        Garch11(returns="r", priors=wrong)


def test_volatility_paths_keep_the_dates_of_the_data():
    # issue 12: load_wti() is indexed by date, so a returns frame built from it is dated, and
    # the per-period outputs (SV volatility, GARCH conditional variance) keep those dates.
    # A short chain: only the index is checked here (the numbers are checked above).
    price = load_wti()["price"]
    data = (100 * np.log(price).diff()).iloc[-120:].to_frame("r")
    quick = {"draws": 50, "tune": 50, "chains": 1, "cores": 1, "progressbar": False}
    for model, path in ((Garch11(returns="r"), "conditional_variance"),
                        (StochasticVolatility(returns="r"), "volatility")):  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(data, rng=4, on_failure="warn", **quick)
        out = getattr(model, path)()
        pd.testing.assert_index_equal(out.index, data.index)
        assert out.index.name == "date" and list(out.columns) == ["mean", "hdi_low", "hdi_high"]
        # the same frame without its dates: positions, and the same numbers
        plain = data.reset_index(drop=True)
        model._data = plain  # as after save(include_data=True) and load: the values only
        again = getattr(model, path)()
        assert again.index.equals(pd.RangeIndex(len(data)))
        np.testing.assert_array_equal(again.to_numpy(), out.to_numpy())
