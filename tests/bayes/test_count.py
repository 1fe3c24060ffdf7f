"""CountRegression: recovery, exposure and offset, the GLM MLEs, predictions, bad input."""

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import BayesianModel, Prior
from statcraft.bayes.templates.count import CountRegression

FIT = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "progressbar": False}
TRUTH = {"intercept": 0.3, "beta[x1]": 0.5, "beta[x2]": -0.4}
NB_ALPHA = 4.0  # overdispersion 1 / sqrt(4) = 0.5


def _data(seed, n=300, family="negative_binomial"):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.normal(size=n),
            "years": rng.uniform(0.5, 3.0, size=n),
        }
    )
    eta = TRUTH["intercept"] + TRUTH["beta[x1]"] * df["x1"] + TRUTH["beta[x2]"] * df["x2"]
    mu = df["years"] * np.exp(eta)
    if family == "negative_binomial":
        mu = rng.gamma(NB_ALPHA, mu / NB_ALPHA)
    df["events"] = rng.poisson(mu)
    return df


def _inside(model, truth, prob=0.9):
    table = model.summary(hdi_prob=prob)
    return {
        k: bool(table.loc[k, "hdi_low"] <= v <= table.loc[k, "hdi_high"]) for k, v in truth.items()
    }


@pytest.fixture(scope="module")
def fitted():
    df = _data(1)
    before = df.copy()
    model = CountRegression(
        outcome="events", predictors=["x1", "x2"], family="negative_binomial", exposure="years"
    )
    model.fit(df, rng=1, **FIT)
    pd.testing.assert_frame_equal(df, before)  # the caller's data is not modified
    return model, df


def test_negative_binomial_recovers_known_parameters_and_passes_the_gate(fitted):
    model, _ = fitted
    assert model.convergence.passed, model.convergence
    truth = {**TRUTH, "alpha": NB_ALPHA, "overdispersion": NB_ALPHA**-0.5}
    assert all(_inside(model, truth, 0.9).values()), model.summary()
    assert "log rate per unit of 'years'" in model.summary().attrs["notes"][0]


def test_poisson_with_an_offset_recovers_known_parameters():
    df = _data(2, family="poisson")
    df["log_years"] = np.log(df["years"])
    model = CountRegression(outcome="events", predictors=["x1", "x2"], offset="log_years")
    model.fit(df, rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    assert all(_inside(model, TRUTH, 0.9).values())
    assert "alpha" not in model.idata.posterior


@pytest.mark.slow
@pytest.mark.parametrize("family", ["poisson", "negative_binomial"])
def test_90_percent_intervals_cover_at_their_rate_across_seeds(family):
    truth = dict(TRUTH)
    if family == "negative_binomial":
        truth["alpha"] = NB_ALPHA
    hits = []
    for seed in range(20):
        model = CountRegression(
            outcome="events", predictors=["x1", "x2"], family=family, exposure="years"
        )
        model.fit(_data(100 + seed, family=family), rng=seed, **FIT)
        assert model.convergence.passed, (seed, model.convergence)
        hits += list(_inside(model, truth, 0.9).values())
    rate = float(np.mean(hits))
    print(f"{family}: 90% HDI coverage over 20 seeds x {len(truth)} parameters: {rate:.3f}")
    assert 0.75 <= rate <= 0.99


WIDE = {"intercept": Prior("Normal", sigma=100), "beta": Prior("Normal", sigma=100)}


def test_wide_priors_reproduce_the_poisson_glm_mle():
    # Independent reference: statsmodels' Poisson GLM (IRLS) with exposure on the same data.
    # With n = 500 and Normal(0, 100) priors the posterior mean is the MLE up to O(1/n)
    # and Monte Carlo error: well within a quarter of a standard error.
    sm = pytest.importorskip("statsmodels.api")
    df = _data(3, n=500, family="poisson")
    X = sm.add_constant(df[["x1", "x2"]])
    mle = sm.GLM(df["events"], X, family=sm.families.Poisson(), exposure=df["years"]).fit()
    model = CountRegression(
        outcome="events", predictors=["x1", "x2"], exposure="years", priors=WIDE
    )
    model.fit(df, rng=2, **FIT)
    s = model.summary()
    got = s.loc[["intercept", "beta[x1]", "beta[x2]"], "mean"].to_numpy()
    se = mle.bse.to_numpy()
    assert np.all(np.abs(got - mle.params.to_numpy()) < 0.25 * se), (got, mle.params)
    np.testing.assert_allclose(s.loc[["intercept", "beta[x1]", "beta[x2]"], "sd"], se, rtol=0.1)


def test_wide_priors_reproduce_the_negative_binomial_mle():
    # Independent reference: statsmodels' NegativeBinomial (NB2, the same variance
    # mu + alpha_sm * mu^2, so alpha_sm = 1 / alpha here) fitted by maximum likelihood with
    # exposure. Coefficients agree to a quarter of a standard error; the dispersion's posterior
    # is skewed, so its posterior median is compared with the MLE, to half a standard error.
    sm = pytest.importorskip("statsmodels.api")
    df = _data(4, n=500)
    X = sm.add_constant(df[["x1", "x2"]])
    mle = sm.NegativeBinomial(df["events"], X, exposure=df["years"]).fit(disp=0)
    model = CountRegression(
        outcome="events",
        predictors=["x1", "x2"],
        family="negative_binomial",
        exposure="years",
        priors=WIDE,
    )
    model.fit(df, rng=2, **FIT)
    s = model.summary()
    got = s.loc[["intercept", "beta[x1]", "beta[x2]"], "mean"].to_numpy()
    se = mle.bse.to_numpy()
    assert np.all(np.abs(got - mle.params.to_numpy()[:3]) < 0.25 * se[:3]), (got, mle.params)
    inv_alpha = 1.0 / model.idata.posterior["alpha"].to_numpy().ravel()
    assert abs(np.median(inv_alpha) - mle.params["alpha"]) < 0.5 * se[3], (
        np.median(inv_alpha),
        mle.params["alpha"],
    )


def test_doubling_the_exposure_doubles_the_expected_count(fitted):
    model, df = fitted
    new = df.iloc[:5]
    base = model.predict(new)
    doubled = model.predict(new.assign(years=2 * new["years"]))
    np.testing.assert_allclose(doubled, 2 * base, rtol=1e-12)
    # and the expected count is the rate times the exposure, draw by draw
    post = model.idata.posterior
    rate = np.exp(
        post["intercept"].to_numpy().ravel()[:, None]
        + post["beta"].to_numpy().reshape(-1, 2) @ new[["x1", "x2"]].to_numpy().T
    )
    np.testing.assert_allclose(base, (rate * new["years"].to_numpy()).mean(axis=0), rtol=1e-12)


def test_an_offset_shifts_the_log_mean():
    df = _data(5, n=100, family="poisson")
    df["off"] = 0.0
    model = CountRegression(outcome="events", predictors=["x1"], offset="off")
    model.fit(df, rng=1, **{**FIT, "draws": 300})
    new = df.iloc[:4]
    np.testing.assert_allclose(model.predict(new.assign(off=np.log(3.0))), 3 * model.predict(new))


def test_predictions_have_the_protocol_shapes_and_are_counts(fitted):
    model, df = fitted
    new = df.iloc[:5]
    mean = model.predict(new)
    draws = model.predict_distribution(new)
    interval = model.predict(new, kind="interval", hdi_prob=0.8)
    assert mean.shape == (5,)
    assert draws.shape == (2000, 5)
    assert (draws >= 0).all() and (draws == np.round(draws)).all()
    np.testing.assert_allclose(draws.mean(axis=0), mean, rtol=0.15)
    assert list(interval.columns) == ["mean", "hdi_low", "hdi_high"]
    assert (interval["hdi_low"] <= interval["hdi_high"]).all()
    # overdispersion: the predictive variance exceeds the mean (Poisson would give equality)
    assert (draws.var(axis=0) > 1.1 * mean).all()
    np.testing.assert_array_equal(model.predict(new, kind="draws"), draws)  # stored seed


def test_standardize_reports_data_scale_parameters_and_says_so():
    df = _data(6, family="poisson")
    df["x1"] = 10 * df["x1"] + 20
    model = CountRegression(
        outcome="events", predictors=["x1", "x2"], exposure="years", standardize=True
    )
    model.fit(df, rng=1, **FIT)
    s = model.summary(hdi_prob=0.95)
    assert "standardised" in s.attrs["notes"][0]
    assert {"beta_std[x1]", "intercept_std", "beta[x1]", "intercept"} <= set(s.index)
    post = model.idata.posterior
    np.testing.assert_allclose(
        post["beta"].sel(predictor="x1"), post["beta_std"].sel(predictor="x1") / df["x1"].std()
    )
    # truth on the data scale: beta[x1] = 0.5 / 10, intercept = 0.3 - 0.5 * 20 / 10
    assert s.loc["beta[x1]", "hdi_low"] < 0.05 < s.loc["beta[x1]", "hdi_high"]
    assert s.loc["intercept", "hdi_low"] < -0.7 < s.loc["intercept", "hdi_high"]


def test_save_and_load_give_the_same_predictions(fitted, tmp_path):
    model, df = fitted
    path = model.save(tmp_path / "counts.nc")
    loaded = BayesianModel.load(path)
    assert isinstance(loaded, CountRegression)
    new = df.iloc[:6]
    np.testing.assert_array_equal(loaded.predict(new), model.predict(new))
    np.testing.assert_array_equal(
        loaded.predict(new, kind="draws"), model.predict(new, kind="draws")
    )


def test_bad_input_is_refused_before_sampling_naming_the_column(fitted):
    df = _data(8, n=50)
    model = CountRegression(outcome="events", predictors=["x1", "x2"], exposure="years")
    with pytest.raises(ValueError, match=r"column 'events' \(outcome\) must be non-negative"):
        model.fit(df.assign(events=df["events"] - 100))
    with pytest.raises(ValueError, match=r"column 'events' \(outcome\) must hold whole numbers"):
        model.fit(df.assign(events=df["events"] + 0.5))
    with pytest.raises(ValueError, match=r"column 'years' \(exposure\) must be positive"):
        model.fit(df.assign(years=df["years"] - 1))
    bad = df.copy()
    bad.loc[2, "years"] = np.nan
    with pytest.raises(ValueError, match=r"column 'years' \(exposure\) has 1 missing value"):
        model.fit(bad)
    with pytest.raises(ValueError, match=r"column 'x3' \(predictors\) is not in the data"):
        CountRegression(outcome="events", predictors=["x3"]).fit(df)
    with pytest.raises(TypeError, match=r"column 'x1' \(predictors\) must be numeric"):
        model.fit(df.assign(x1=["a"] * len(df)))
    with pytest.raises(ValueError, match=r"column 'off' \(offset\) is not in the data"):
        CountRegression(outcome="events", predictors=["x1"], offset="off").fit(df)
    with pytest.raises(ValueError, match="give `exposure` or `offset`, not both"):
        CountRegression(outcome="events", predictors=["x1"], exposure="years", offset="x2")
    with pytest.raises(ValueError, match="the exposure column 'x1' is also the outcome or a"):
        CountRegression(outcome="events", predictors=["x1"], exposure="x1")
    with pytest.raises(ValueError, match="`family` must be one of 'poisson', 'negative_binomial'"):
        CountRegression(outcome="events", predictors=["x1"], family="binomial")
    with pytest.raises(ValueError, match=r"priors\['overdispersion'\]: overdispersion lives on"):
        CountRegression(
            outcome="events",
            predictors=["x1"],
            priors={"overdispersion": Prior("Normal", sigma=1)},
        )
    with pytest.raises(ValueError, match="has no parameter 'sigma'"):
        CountRegression(
            outcome="events", predictors=["x1"], priors={"sigma": Prior("HalfNormal", sigma=1)}
        )
    with pytest.raises(ValueError, match="also listed among the predictors"):
        CountRegression(outcome="events", predictors=["events"])
    with pytest.raises(TypeError, match="`standardize` must be True or False"):
        CountRegression(outcome="events", predictors=["x1"], standardize=1)
    with pytest.raises(ValueError, match="needs at least 2 rows"):
        model.fit(df.iloc[:1])
    # prediction needs the exposure column too, and checks it the same way
    fit_model, fit_df = fitted
    with pytest.raises(ValueError, match=r"column 'years' \(exposure\) is not in the data"):
        fit_model.predict(fit_df[["x1", "x2"]])
    with pytest.raises(ValueError, match=r"column 'years' \(exposure\) must be positive"):
        fit_model.predict(fit_df.assign(years=0.0))
