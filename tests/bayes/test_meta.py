"""MetaAnalysis: recovery, published references (BCG, beta-blockers), outputs, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import BayesianModel, Prior
from statcraft.bayes.templates.linear import PriorScaleWarning
from statcraft.bayes.templates.meta import MetaAnalysis
from statcraft.datasets import load_bcg, load_beta_blocker

FIT = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "progressbar": False}
COUNTS = {
    "events_treatment": "treated_deaths",
    "n_treatment": "treated_total",
    "events_control": "control_deaths",
    "n_control": "control_total",
}


def bcg_log_rr() -> pd.DataFrame:
    """BCG trials with log risk ratios and their variances (standard delta-method formulas)."""
    b = load_bcg()
    a, n1 = b["vaccinated_cases"], b["vaccinated_total"]
    c, n2 = b["control_cases"], b["control_total"]
    b["yi"] = np.log(a / n1) - np.log(c / n2)
    b["vi"] = 1 / a - 1 / n1 + 1 / c - 1 / n2
    return b


def simulate(seed: int, k: int = 20) -> tuple[pd.DataFrame, dict[str, float]]:
    """Effects with variances from a meta-regression with one centred moderator."""
    gen = np.random.default_rng(seed)
    truth = {"mu": -0.4, "tau": 0.3, "gamma[x]": 0.5}
    x = gen.normal(size=k)
    v = gen.uniform(0.01, 0.08, size=k)
    theta = truth["mu"] + truth["gamma[x]"] * x + truth["tau"] * gen.normal(size=k)
    df = pd.DataFrame({"y": theta + np.sqrt(v) * gen.normal(size=k), "v": v, "x": x})
    return df, truth


@pytest.fixture(scope="module")
def bcg_fit() -> tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame]:
    data = bcg_log_rr()
    original = data.copy()
    model = MetaAnalysis(effect="yi", variance="vi", study="study")
    model.fit(data, rng=1, **FIT)
    return model, data, original


@pytest.fixture(scope="module")
def blocker_fit() -> MetaAnalysis:
    model = MetaAnalysis(**COUNTS, study="trial")
    # tau is small here (about 0.12) and mixes slowly: 2000 draws keep its r_hat clear of 1.01
    model.fit(load_beta_blocker(), rng=2, **dict(FIT, draws=2000))
    return model


# ------------------------------------------------------------------ recovery
def test_recovers_meta_regression() -> None:
    df, truth = simulate(12)
    model = MetaAnalysis(effect="y", variance="v", moderators=["x"])
    model.fit(df, rng=3, **FIT)
    assert model.convergence.passed, model.convergence.problems
    table = model.summary(hdi_prob=0.9)
    for name, value in truth.items():
        assert table.loc[name, "hdi_low"] < value < table.loc[name, "hdi_high"], name
    # with moderators, predict's mean is mu + x * gamma
    new = pd.DataFrame({"x": [0.0, 1.0]})
    mean = model.predict(new)
    post = model.summary()
    assert mean[1] - mean[0] == pytest.approx(post.loc["gamma[x]", "mean"], abs=1e-3)


@pytest.mark.slow
def test_recovery_coverage_across_seeds() -> None:
    inside, total = 0, 0
    for seed in range(20):
        df, truth = simulate(100 + seed)
        model = MetaAnalysis(effect="y", variance="v", moderators=["x"])
        model.fit(df, rng=seed, **FIT)
        table = model.summary(hdi_prob=0.9)
        for name, value in truth.items():
            inside += int(table.loc[name, "hdi_low"] < value < table.loc[name, "hdi_high"])
            total += 1
    print(f"MetaAnalysis coverage of 90% HDIs: {inside}/{total} = {inside / total:.3f}")
    assert 0.75 <= inside / total <= 0.99


# ------------------------------------------------------------------ references
def test_bcg_matches_metafor(bcg_fit: tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame]) -> None:
    model, _, _ = bcg_fit
    assert model.convergence.passed, model.convergence.problems
    pooled = model.pooled()
    # metafor (Viechtbauer 2010), dat.bcg, rma(yi, vi) on log risk ratios: REML estimate
    # -0.7145 (SE 0.1787), tau^2 0.3132; DerSimonian-Laird -0.7141, tau^2 0.3088. With the
    # weak N(0, 1) prior the posterior mean is pulled ~3% towards 0 and its uncertainty
    # includes tau's: within 0.1 of the REML estimate.
    assert pooled.loc["mu", "median"] == pytest.approx(-0.7145, abs=0.1)
    # REML tau = sqrt(0.3132) = 0.56; the posterior median of tau should be near it
    assert 0.45 < pooled.loc["tau", "median"] < 0.7
    # the prediction interval for a new study is much wider than the interval for mu
    width = pooled["hdi_high"] - pooled["hdi_low"]
    assert width["theta_new"] > 2 * width["mu"]
    assert pooled.loc["tau2", "median"] == pytest.approx(pooled.loc["tau", "median"] ** 2, rel=0.05)


def test_centred_parametrization_is_the_same_model(
    bcg_fit: tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame],
) -> None:
    noncentred, data, _ = bcg_fit
    centred = MetaAnalysis(effect="yi", variance="vi", study="study", parametrization="centred")
    centred.fit(data, rng=1, **FIT)
    assert centred.convergence.passed, centred.convergence.problems
    assert "theta" in centred.idata.posterior and "z" not in centred.idata.posterior
    # same posterior up to Monte Carlo error, and more effective draws on these precise trials
    a, b = centred.pooled(), noncentred.pooled()
    assert a.loc["mu", "mean"] == pytest.approx(b.loc["mu", "mean"], abs=0.05)
    assert a.loc["tau", "median"] == pytest.approx(b.loc["tau", "median"], abs=0.06)
    ea, eb = centred.study_effects(), noncentred.study_effects()
    np.testing.assert_allclose(ea["mean"], eb["mean"], atol=0.06)
    ess = centred.convergence.table.set_index("element")["ess_bulk"]
    ess_nc = noncentred.convergence.table.set_index("element")["ess_bulk"]
    assert ess["tau"] > ess_nc["tau"]
    with pytest.raises(ValueError, match="`parametrization` must be one of"):
        MetaAnalysis(effect="yi", variance="vi", parametrization="auto")


def test_beta_blocker_matches_bugs(blocker_fit: MetaAnalysis) -> None:
    model = blocker_fit
    assert model.convergence.passed, model.convergence.problems
    pooled = model.pooled()
    # BUGS Examples Vol. 1 "Blocker" (random-effects logistic, the same binomial-normal
    # model with vague priors): d (pooled log OR) posterior mean -0.25, sd about 0.066;
    # sigma (tau) about 0.12.
    assert pooled.loc["mu", "mean"] == pytest.approx(-0.25, abs=0.04)
    assert 0.045 < pooled.loc["mu", "sd"] < 0.09
    assert 0.06 < pooled.loc["tau", "mean"] < 0.2
    notes = model.summary().attrs["notes"]
    assert any("log odds ratios" in n for n in notes)
    effects = model.study_effects()
    assert list(effects.index) == [str(i) for i in range(1, 23)]
    assert "observed" not in effects


# ------------------------------------------------------------------ outputs
def test_study_effects_shrink(bcg_fit: tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame]) -> None:
    model, _, _ = bcg_fit
    eff = model.study_effects()
    assert list(eff.index) == [str(i) for i in range(1, 14)]
    mu = model.pooled().loc["mu", "mean"]
    # partial pooling: each study's estimate lies between its observed effect and mu
    dist_obs = np.abs(eff["observed"] - mu)
    dist_post = np.abs(eff["mean"] - mu)
    assert (dist_post <= dist_obs + 1e-9).all()


def test_predict_shapes(bcg_fit: tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame]) -> None:
    model, _, _ = bcg_fit
    new = pd.DataFrame({"anything": [1, 2, 3]})  # no moderators: only the row count matters
    mean = model.predict(new)
    assert mean.shape == (3,)
    assert np.allclose(mean, model.pooled().loc["mu", "mean"])
    draws = model.predict(new, kind="draws")
    assert draws.shape == (2000, 3)
    assert model.predict_distribution(new).shape == (2000, 3)
    interval = model.predict(new, kind="interval")
    assert list(interval.columns) == ["mean", "hdi_low", "hdi_high"]
    assert (interval["hdi_low"] < interval["mean"]).all()
    assert (interval["mean"] < interval["hdi_high"]).all()
    # draws include the heterogeneity: their sd is about sqrt(sd(mu)^2 + tau^2)
    pooled = model.pooled()
    assert draws.std() == pytest.approx(pooled.loc["theta_new", "sd"], rel=0.1)


def test_save_load_roundtrip(
    bcg_fit: tuple[MetaAnalysis, pd.DataFrame, pd.DataFrame], tmp_path: pytest.TempPathFactory
) -> None:
    model, data, original = bcg_fit
    pd.testing.assert_frame_equal(data, original)  # fit does not modify the caller's frame
    path = model.save(tmp_path / "meta.nc")  # type: ignore[operator]
    loaded = BayesianModel.load(path)
    assert isinstance(loaded, MetaAnalysis)
    new = data.iloc[:4]
    np.testing.assert_allclose(loaded.predict(new), model.predict(new))
    np.testing.assert_allclose(loaded.predict(new, kind="draws"), model.predict(new, kind="draws"))
    pd.testing.assert_frame_equal(loaded.pooled(), model.pooled())
    # the loaded model has no training data, so no `observed` column
    loaded_effects = loaded.study_effects()
    pd.testing.assert_frame_equal(loaded_effects, model.study_effects()[loaded_effects.columns])


def test_replace_outcome_both_modes() -> None:
    df = bcg_log_rr()
    model = MetaAnalysis(effect="yi", variance="vi", study="study")
    out = model._replace_outcome(df, np.arange(13.0))
    assert out["yi"].tolist() == list(range(13))
    assert df["yi"].iloc[1] != 1.0  # the input is not modified
    b = load_beta_blocker()
    counts = MetaAnalysis(**COUNTS)
    sim = np.concatenate([np.full(22, 1), np.full(22, 2)])
    out = counts._replace_outcome(b, sim)
    assert (out["control_deaths"] == 1).all() and (out["treated_deaths"] == 2).all()
    assert out["treated_total"].equals(b["treated_total"])
    # the observed variable is one binomial vector: control arms first, then treatment
    model_b = counts.build(b)
    assert model_b[counts.observed_variable].shape.eval()[0] == 44


# ------------------------------------------------------------------ bad input
def test_mode_errors() -> None:
    with pytest.raises(ValueError, match="one of two forms"):
        MetaAnalysis()
    with pytest.raises(ValueError, match="not both"):
        MetaAnalysis(effect="y", variance="v", events_treatment="a")
    with pytest.raises(ValueError, match="`variance`"):
        MetaAnalysis(effect="y")
    with pytest.raises(ValueError, match="`n_control`"):
        MetaAnalysis(events_treatment="a", n_treatment="b", events_control="c")
    with pytest.raises(TypeError, match="effect"):
        MetaAnalysis(effect=3, variance="v")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="moderator column 'y'"):
        MetaAnalysis(effect="y", variance="v", moderators=["y"])
    with pytest.raises(ValueError, match="no parameter 'sigma'"):
        MetaAnalysis(effect="y", variance="v", priors={"sigma": Prior("HalfNormal", sigma=1)})
    with pytest.raises(ValueError, match="tau"):
        MetaAnalysis(effect="y", variance="v", priors={"tau": Prior("Normal", sigma=1)})


def test_effect_data_errors() -> None:
    df = pd.DataFrame({"y": [0.1, -0.2, 0.3], "v": [0.01, 0.02, 0.03], "s": ["a", "b", "c"]})
    model = MetaAnalysis(effect="y", variance="v", study="s")
    bad = df.assign(v=[0.01, 0.0, 0.03])
    with pytest.raises(ValueError, match="'v' \\(variance\\) must be positive"):
        model.build(bad)
    with pytest.raises(ValueError, match="'v' \\(variance\\) must be positive"):
        model.build(df.assign(v=[0.01, -1.0, 0.03]))
    with pytest.raises(ValueError, match="'y' \\(effect\\) has 1 missing"):
        model.build(df.assign(y=[0.1, np.nan, 0.3]))
    with pytest.raises(TypeError, match="'y' \\(effect\\) must be numeric"):
        model.build(df.assign(y=["a", "b", "c"]))
    with pytest.raises(ValueError, match="'v' \\(variance\\) is not in the data"):
        model.build(df.drop(columns="v"))
    with pytest.raises(ValueError, match="'s' \\(study\\) must label each study once"):
        model.build(df.assign(s=["a", "a", "c"]))
    with pytest.raises(ValueError, match="at least 2 studies"):
        model.build(df.iloc[:1])
    with pytest.raises(ValueError, match="'x' \\(moderators\\) has 1 missing"):
        MetaAnalysis(effect="y", variance="v", moderators=["x"]).build(
            df.assign(x=[1.0, np.nan, 2.0])
        )
    with pytest.warns(PriorScaleWarning, match="mu"):
        MetaAnalysis(effect="y", variance="v").build(df.assign(y=[12.0, -8.0, 15.0]))


def test_count_data_errors() -> None:
    b = load_beta_blocker()
    model = MetaAnalysis(**COUNTS)
    with pytest.raises(ValueError, match="'treated_deaths' \\(events_treatment\\) exceeds"):
        model.build(b.assign(treated_deaths=b["treated_total"] + 1))
    with pytest.raises(ValueError, match="'control_deaths' \\(events_control\\) must be non-neg"):
        model.build(b.assign(control_deaths=-1))
    with pytest.raises(ValueError, match="'control_total' \\(n_control\\) must hold whole"):
        model.build(b.assign(control_total=b["control_total"] + 0.5))
    with pytest.raises(ValueError, match="'treated_total' \\(n_treatment\\) must be positive"):
        model.build(b.assign(treated_total=0, treated_deaths=0))
    with pytest.raises(ValueError, match="'control_deaths' \\(events_control\\) has 1 missing"):
        model.build(b.assign(control_deaths=[np.nan, *b["control_deaths"].tolist()[1:]]))


def test_unfitted_outputs_raise() -> None:
    model = MetaAnalysis(effect="y", variance="v")
    with pytest.raises(RuntimeError, match="pooled\\(\\) needs a fitted model"):
        model.pooled()
    with pytest.raises(RuntimeError, match="study_effects\\(\\) needs a fitted model"):
        model.study_effects()
