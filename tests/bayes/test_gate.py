"""The convergence gate: what passes, what fails, and that a failed fit is never clean."""

import warnings
from typing import Any, ClassVar

import arviz as az
import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import (
    BayesianModel,
    ConvergenceError,
    ConvergenceWarning,
    LinearRegression,
    Prior,
)
from statcraft.bayes._data import numeric_column
from statcraft.bayes.diagnostics import Thresholds, check_convergence

FAST = {"chains": 2, "cores": 1, "progressbar": False}


def _idata(posterior: dict[str, np.ndarray]) -> Any:
    return az.from_dict(posterior=posterior)


def test_well_mixed_latent_states_pass_by_the_fraction_rule():
    # 1000 independent, perfectly mixed states: the largest r_hat is about 1.01 by chance
    # alone (the module docstring explains), so "every element <= 1.01" is the wrong rule.
    rng = np.random.default_rng(1)
    idata = _idata({"h": rng.normal(size=(2, 1000, 1000)), "sigma": rng.normal(size=(2, 1000))})
    report = check_convergence(idata, latent=["h"])
    assert report.passed, report
    table = report.to_frame()
    latent = table[table["latent"]]
    assert len(latent) == 1000
    assert latent["r_hat"].max() > 1.005  # the chance tail the rule must tolerate
    assert latent["ok"].mean() >= 0.99


def test_states_stuck_in_one_chain_fail_the_latent_rule():
    rng = np.random.default_rng(2)
    h = rng.normal(size=(2, 1000, 200))
    h[1, :, :20] += 1.0  # 10% of the states sit elsewhere in chain 1
    report = check_convergence(_idata({"h": h}), latent=["h"])
    assert not report.passed
    assert "latent h" in report.problems[0]


def test_one_broken_state_fails_the_ceiling_even_when_99_percent_are_fine():
    rng = np.random.default_rng(3)
    h = rng.normal(size=(2, 1000, 500))
    h[1, :, 0] += 3.0  # r_hat far above 1.05 for a single state
    report = check_convergence(_idata({"h": h}), latent=["h"])
    assert not report.passed
    assert "ceiling 1.05" in report.problems[0]


def test_a_scalar_parameter_is_held_to_every_element():
    rng = np.random.default_rng(4)
    mu = rng.normal(size=(2, 1000))
    mu[1] += 0.3
    report = check_convergence(_idata({"mu": mu}))
    assert not report.passed
    assert report.problems[0].startswith("r_hat > 1.01 for mu")


def test_low_ess_fails_with_the_per_chain_threshold_named():
    rng = np.random.default_rng(5)
    walk = np.cumsum(rng.normal(size=(4, 1000)), axis=1) * 0.01 + rng.normal(size=(4, 1))
    report = check_convergence(_idata({"mu": walk}))
    assert not report.passed
    assert any("ESS < 400 (100 per chain)" in p for p in report.problems)


def test_thresholds_are_configurable():
    rng = np.random.default_rng(6)
    mu = rng.normal(size=(2, 1000))
    mu[1] += 0.2
    strict = check_convergence(_idata({"mu": mu}))
    lenient = check_convergence(_idata({"mu": mu}), thresholds=Thresholds(rhat_max=1.1))
    assert not strict.passed
    assert lenient.passed


def test_too_few_draws_warn_by_default_and_raise_on_request():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"x": rng.normal(size=40)})
    df["y"] = df["x"] + rng.normal(size=40)
    model = LinearRegression(outcome="y", predictors=["x"])
    with pytest.warns(ConvergenceWarning, match=r"did not pass the convergence gate: .*ESS"):
        model.fit(df, draws=15, tune=15, rng=1, **FAST)
    assert not model.convergence.passed
    notes = model.summary().attrs["notes"]
    assert notes[0].startswith("FAILED the convergence gate")
    assert "NOT converged" in repr(model)
    with pytest.raises(ConvergenceError, match="usual remedies") as info:
        model.fit(df, draws=15, tune=15, rng=1, on_failure="raise", **FAST)
    assert not info.value.report.passed
    assert model.idata is not None  # kept for inspection


class CentredSchools(BayesianModel):
    """Rubin's eight schools, centred: the funnel that NUTS cannot explore (a test template)."""

    default_priors: ClassVar = {
        "mu": Prior("Normal", mu=0, sigma=5),
        "tau": Prior("HalfCauchy", beta=5),
    }
    prior_support: ClassVar = {"tau": "positive"}
    default_target_accept: ClassVar[float] = 0.8

    def __init__(self, *, priors=None):
        super().__init__(priors=priors)

    def _prepare(self, data, state):
        return {"y": numeric_column(data, "y", "y"), "s": numeric_column(data, "s", "s")}, {}

    def _model(self, arrays, state):
        import pymc as pm

        with pm.Model(coords={"school": np.arange(8)}) as model:
            mu = self.priors["mu"].create("mu")
            tau = self.priors["tau"].create("tau")
            theta = pm.Normal("theta", mu=mu, sigma=tau, dims="school")
            pm.Normal("y", mu=theta, sigma=arrays["s"], observed=arrays["y"], dims="school")
        return model

    def _expected(self, draws, arrays, state):
        return np.repeat(draws["mu"][:, None], len(arrays["s"]), axis=1)

    def _simulate(self, draws, arrays, state, rng):
        return self._expected(draws, arrays, state)


SCHOOLS = pd.DataFrame(
    # Rubin (1981), Gelman et al. BDA3 Table 5.2: estimated effects and standard errors.
    {"y": [28, 8, -3, 7, -1, 1, 18, 12], "s": [15, 10, 16, 11, 9, 11, 10, 18]}
)


def test_a_centred_funnel_fails_the_gate():
    model = CentredSchools()
    with pytest.raises(ConvergenceError, match="divergent transition") as info:
        model.fit(SCHOOLS, draws=500, tune=500, rng=3, on_failure="raise", **FAST)
    assert info.value.report.divergences > 0


def test_the_abc_enforces_the_hooks():
    class Incomplete(BayesianModel):
        def _prepare(self, data, state):
            return {}, {}

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


def test_diagnose_rejects_unknown_thresholds_and_unfitted_models():
    model = LinearRegression(outcome="y", predictors=["x"])
    with pytest.raises(RuntimeError, match=r"diagnose\(\) needs a fitted model; call .fit"):
        model.diagnose()
    rng = np.random.default_rng(8)
    df = pd.DataFrame({"x": rng.normal(size=30)})
    df["y"] = df["x"] + rng.normal(size=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(df, draws=200, tune=200, rng=1, **FAST)
    with pytest.raises(ValueError, match="unknown threshold 'rhat'"):
        model.diagnose(rhat=1.1)
    assert model.diagnose(rhat_max=1.5, ess_min_per_chain=10).passed


def test_constant_elements_are_noted_not_failed():
    rng = np.random.default_rng(9)
    v = np.concatenate([rng.normal(size=(2, 1000, 3)), np.zeros((2, 1000, 1))], axis=2)
    idata = _idata({"mu": rng.normal(size=(2, 1000)), "c": np.ones((2, 1000)), "v": v})
    report = check_convergence(idata, latent=["v"])
    assert report.passed, report
    assert report.notes[0] == "constant across all draws, not judged: c, v[3]"
    assert "nan" not in repr(report).split("note")[0].lower()


def test_a_single_chain_is_judged_by_its_two_halves():
    rng = np.random.default_rng(10)
    good = check_convergence(_idata({"mu": rng.normal(size=(1, 1000))}))
    assert good.passed, good
    assert "one chain" in good.notes[0]
    drifting = rng.normal(size=(1, 1000))
    drifting[0, 500:] += 1.0
    assert not check_convergence(_idata({"mu": drifting})).passed


def test_one_chain_fit_passes_when_it_mixes():
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"x": rng.normal(size=50)})
    df["y"] = df["x"] + rng.normal(size=50)
    model = LinearRegression(outcome="y", predictors=["x"])
    model.fit(df, draws=1000, tune=1000, chains=1, cores=1, progressbar=False, rng=2)
    assert model.convergence.passed, model.convergence
