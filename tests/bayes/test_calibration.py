"""Simulation-based calibration: it passes correct templates, catches a broken one, and gives
the same ranks through an executor."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import LinearRegression, Prior, check_calibration

UNIT = {
    "intercept": Prior("Normal", mu=0, sigma=1),
    "beta": Prior("Normal", mu=0, sigma=1),
    "sigma": Prior("HalfNormal", sigma=1),
}


def _design(n=30):
    rng = np.random.default_rng(0)
    return pd.DataFrame({"x": rng.normal(size=n), "y": 0.0})


class MisreadOutcome(LinearRegression):
    """A deliberately broken template: it fits twice the outcome it simulated."""

    def _replace_outcome(self, data, simulated):
        return super()._replace_outcome(data, 2.0 * np.asarray(simulated))


def test_a_small_calibration_passes_and_reports_its_ranks():
    model = LinearRegression(outcome="y", predictors=["x"], priors=UNIT)
    result = check_calibration(model, _design(), n_simulations=20, draws=200, tune=200, rng=1)
    assert result.passed, result
    assert set(result.ranks.columns) == {"beta[x]", "sigma", "intercept"}
    assert result.ranks.shape == (20, 3)
    assert result.ranks.to_numpy().min() >= 0
    assert result.ranks.to_numpy().max() <= 99
    assert result.n_bins == 4  # at least 5 expected counts per bin
    assert set(result.to_frame().columns) == {"statistic", "df", "pvalue", "pvalue_holm"}
    fig = result.plot()
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel().startswith("rank of the true value")
    assert fig.axes[0].get_ylabel() == "simulations"


def test_a_broken_template_fails_calibration():
    model = MisreadOutcome(outcome="y", predictors=["x"], priors=UNIT)
    result = check_calibration(model, _design(), n_simulations=20, draws=200, tune=200, rng=1)
    assert not result.passed
    # the residual scale is always overestimated: the true sigma ranks at the bottom
    assert result.ranks["sigma"].mean() < 15


def test_an_executor_gives_the_same_ranks():
    model = LinearRegression(outcome="y", predictors=["x"], priors=UNIT)
    args = {"n_simulations": 10, "draws": 100, "tune": 100, "rng": 3}
    serial = check_calibration(model, _design(), **args)
    with ProcessPoolExecutor(2) as pool:
        parallel = check_calibration(model, _design(), executor=pool, **args)
    pd.testing.assert_frame_equal(serial.ranks, parallel.ranks)


@pytest.mark.slow
def test_linear_regression_passes_sbc_at_full_scale():
    model = LinearRegression(outcome="y", predictors=["x"], likelihood="student_t",
                             priors={**UNIT, "nu": Prior("Gamma", alpha=2, beta=0.1)})
    result = check_calibration(model, _design(50), n_simulations=200, rng=11)
    print(result)
    assert result.passed


def test_bad_arguments_are_refused():
    model = LinearRegression(outcome="y", predictors=["x"], standardize=True)
    with pytest.raises(ValueError, match="check_calibration needs standardize=False"):
        check_calibration(model, _design())
    plain = LinearRegression(outcome="y", predictors=["x"])
    with pytest.raises(ValueError, match="`n_simulations` must be"):
        check_calibration(plain, _design(), n_simulations=5)
    with pytest.raises(TypeError, match="`model` must be a statcraft Bayesian template"):
        check_calibration(object(), _design())
    with pytest.raises(TypeError, match=r"`executor` must be a concurrent\.futures\.Executor"):
        check_calibration(plain, _design(), executor="pool")


# ----------------------------------------------------------------- slow: the templates
def _sbc(model, design, n=100):
    result = check_calibration(model, design, n_simulations=n, draws=500, tune=500, rng=21)
    print(result)
    print(result.tests.sort_values("pvalue").head())
    return result


@pytest.mark.slow
def test_binomial_rates_pass_sbc_on_the_surgical_design():
    from statcraft.bayes import BinomialRates
    from statcraft.datasets import load_surgical

    model = BinomialRates(successes="deaths", trials="n_operations", unit="hospital")
    assert _sbc(model, load_surgical()).passed


@pytest.mark.slow
def test_meta_analysis_passes_sbc_on_the_bcg_design():
    from statcraft.bayes import MetaAnalysis
    from statcraft.datasets import load_bcg

    bcg = load_bcg()
    a, n1 = bcg["vaccinated_cases"], bcg["vaccinated_total"]
    c, n2 = bcg["control_cases"], bcg["control_total"]
    design = pd.DataFrame(
        {"yi": np.log((a / n1) / (c / n2)), "vi": 1 / a - 1 / n1 + 1 / c - 1 / n2}
    )
    assert _sbc(MetaAnalysis(effect="yi", variance="vi"), design).passed


@pytest.mark.slow
def test_weibull_survival_passes_sbc_on_a_censored_design():
    from statcraft.bayes import WeibullSurvival

    rng = np.random.default_rng(5)
    # censoring times in years (long enough that every simulated data set has events; the
    # template refuses all-censored data), one binary and one continuous covariate
    design = pd.DataFrame(
        {"time": rng.uniform(1.0, 8.0, 80), "status": 1, "x": rng.normal(size=80),
         "arm": rng.integers(0, 2, 80).astype(float)}
    )
    # SBC checks the implementation on a given prior; the default intercept prior (N(0, 10) on
    # log time) simulates data sets of absurd time scales, so a narrower one is used here
    priors = {"intercept": Prior("Normal", mu=0, sigma=0.5), "beta": Prior("Normal", sigma=0.5)}
    model = WeibullSurvival(time="time", event="status", predictors=["x", "arm"], priors=priors)
    assert _sbc(model, design).passed
