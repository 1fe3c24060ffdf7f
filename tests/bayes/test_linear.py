"""LinearRegression and the parts of BayesianModel every template shares."""

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import (
    BayesianModel,
    ConvergenceWarning,
    LinearRegression,
    Prior,
    PriorScaleWarning,
    compare,
)
from statcraft.evaluation import KFold, cross_validate

FIT = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "progressbar": False}


def _data(seed, n=80, outliers=0.0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    df["y"] = 1.0 + 2.0 * df["x1"] - 1.0 * df["x2"] + rng.normal(scale=0.5, size=n)
    if outliers:
        k = round(outliers * n)
        idx = rng.choice(n, size=k, replace=False)
        df.loc[idx, "y"] += rng.choice([-1, 1], size=k) * rng.uniform(15, 25, size=k)
    return df


TRUTH = {"intercept": 1.0, "beta[x1]": 2.0, "beta[x2]": -1.0, "sigma": 0.5}


def _inside(model, prob=0.9):
    table = model.summary(hdi_prob=prob)
    low, high = table["hdi_low"], table["hdi_high"]
    return {k: bool(low[k] <= v <= high[k]) for k, v in TRUTH.items()}


@pytest.mark.parametrize("likelihood", ["normal", "student_t"])
def test_recovers_known_parameters_and_passes_the_gate(likelihood):
    model = LinearRegression(outcome="y", predictors=["x1", "x2"], likelihood=likelihood)
    model.fit(_data(1), rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    assert all(_inside(model, 0.95).values())


@pytest.mark.slow
def test_90_percent_intervals_cover_at_their_rate_across_seeds():
    hits = []
    for seed in range(20):
        model = LinearRegression(outcome="y", predictors=["x1", "x2"])
        model.fit(_data(100 + seed), rng=seed, **FIT)
        hits += list(_inside(model, 0.9).values())
    rate = float(np.mean(hits))
    print(f"90% HDI coverage over 20 seeds x 4 parameters: {rate:.3f}")
    assert 0.8 <= rate <= 0.98


def test_student_t_recovers_the_clean_slope_under_5_percent_gross_outliers():
    df = _data(2, n=100, outliers=0.05)
    robust = LinearRegression(outcome="y", predictors=["x1", "x2"], likelihood="student_t")
    normal = LinearRegression(outcome="y", predictors=["x1", "x2"], likelihood="normal")
    robust.fit(df, rng=1, **FIT)
    normal.fit(df, rng=1, **FIT)
    assert robust.convergence.passed
    r = robust.summary(hdi_prob=0.9).loc["beta[x1]"]
    n = normal.summary(hdi_prob=0.9).loc["beta[x1]"]
    assert r["hdi_low"] <= 2.0 <= r["hdi_high"]
    assert abs(r["mean"] - 2.0) < 0.15
    # the normal likelihood is dragged by the outliers: its error is several times larger
    assert abs(n["mean"] - 2.0) > 3 * abs(r["mean"] - 2.0)
    assert n["sd"] > 3 * r["sd"]


def test_wide_priors_reproduce_ordinary_least_squares():
    # With flat-ish priors the posterior mean equals the OLS estimate up to Monte Carlo error
    # (an independent computation: numpy.linalg.lstsq on the same data).
    df = _data(3)
    X = np.column_stack([np.ones(len(df)), df[["x1", "x2"]].to_numpy()])
    ols, *_ = np.linalg.lstsq(X, df["y"].to_numpy(), rcond=None)
    wide = {"intercept": Prior("Normal", sigma=1000), "beta": Prior("Normal", sigma=1000)}
    model = LinearRegression(outcome="y", predictors=["x1", "x2"], priors=wide)
    model.fit(df, rng=2, **FIT)
    s = model.summary()
    got = [s.loc["intercept", "mean"], s.loc["beta[x1]", "mean"], s.loc["beta[x2]", "mean"]]
    np.testing.assert_allclose(got, ols, atol=4 * s["mcse_mean"].max() + 0.01)


def test_standardize_reports_data_scale_parameters_and_says_so():
    df = _data(4)
    df["y"] = 100 * df["y"] + 5000
    df["x1"] = 1000 * df["x1"]
    model = LinearRegression(outcome="y", predictors=["x1", "x2"], standardize=True)
    model.fit(df, rng=1, **FIT)
    s = model.summary()
    assert "standardised" in s.attrs["notes"][0]
    assert {"beta_std[x1]", "sigma_std", "beta[x1]", "intercept", "sigma"} <= set(s.index)
    assert abs(s.loc["beta[x1]", "mean"] - 0.2) < 0.02  # 2 * 100 / 1000
    assert abs(s.loc["intercept", "mean"] - 5100) < 20
    assert abs(s.loc["sigma", "mean"] - 50) < 10


def test_default_priors_on_large_scale_data_warn():
    df = _data(5)
    df["y"] *= 1000
    with pytest.warns(PriorScaleWarning, match="standardize=True"):
        LinearRegression(outcome="y", predictors=["x1"]).build(df)


def test_predictions_have_the_protocol_shapes():
    df = _data(6)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    model.fit(df, rng=1, **FIT)
    new = df.iloc[:5]
    mean = model.predict(new)
    draws = model.predict_distribution(new)
    interval = model.predict(new, kind="interval", hdi_prob=0.8)
    assert mean.shape == (5,)
    assert draws.shape == (2000, 5)
    assert list(interval.columns) == ["mean", "hdi_low", "hdi_high"]
    assert (interval["hdi_low"] < interval["mean"]).all()
    assert (interval["mean"] < interval["hdi_high"]).all()
    np.testing.assert_allclose(draws.mean(axis=0), mean, atol=0.1)
    # the predictive sd is about sigma (0.5) plus parameter uncertainty
    assert 0.45 < float(draws.std(axis=0).mean()) < 0.65
    np.testing.assert_array_equal(model.predict(new, kind="draws"), draws)  # stored seed


def test_cross_validate_crps_matches_an_independent_computation():
    df = _data(7, n=60)
    X, y = df[["x1", "x2"]], df["y"]
    settings = {"draws": 300, "tune": 300, "chains": 2, "cores": 1, "rng": 0, "progressbar": False}
    model = LinearRegression(outcome="y", predictors=["x1", "x2"]).configure_sampler(**settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cv = cross_validate(model, X, y, cv=KFold(5), scoring="crps")
        expected = []
        for train, test in KFold(5).split(X):
            fold = LinearRegression(outcome="y", predictors=["x1", "x2"])
            fold.fit(X.iloc[train], y.iloc[train], **settings)
            draws = fold.predict_distribution(X.iloc[test])
            obs = y.to_numpy()[test]
            # the fair CRPS (Ferro 2014) by its energy form, written out directly:
            # mean |X_i - y| - sum_{i != j} |X_i - X_j| / (2 m (m - 1))
            m = draws.shape[0]
            term1 = np.abs(draws - obs).mean(axis=0)
            term2 = np.abs(draws[:, None, :] - draws[None, :, :]).sum(axis=(0, 1)) / (m * (m - 1))
            expected.append(float((term1 - 0.5 * term2).mean()))
    np.testing.assert_allclose(cv.folds["crps"].to_numpy(), expected, rtol=1e-10)


def test_fit_accepts_arrays_in_the_protocol_form():
    df = _data(8)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    model.fit(df[["x1", "x2"]].to_numpy(), df["y"].to_numpy(), rng=1, **FIT)
    assert model.predict(df[["x1", "x2"]].to_numpy()[:3]).shape == (3,)


def test_save_and_load_in_a_fresh_process_gives_the_same_predictions(tmp_path):
    df = _data(9)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"], likelihood="student_t")
    model.fit(df, rng=1, **FIT)
    path = model.save(tmp_path / "model.nc")
    new = df.iloc[:4]
    new.to_csv(tmp_path / "new.csv", index=False)
    script = (
        "import json, sys, pandas as pd\n"
        "from statcraft.bayes import BayesianModel\n"
        f"m = BayesianModel.load({str(path)!r})\n"
        f"new = pd.read_csv({str(tmp_path / 'new.csv')!r})\n"
        "out = {'mean': m.predict(new).tolist(),\n"
        "       'draws': m.predict(new, kind='draws')[:50].tolist(),\n"
        "       'template': type(m).__name__, 'passed': bool(m.convergence.passed),\n"
        "       'has_data': m._data is not None}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["template"] == "LinearRegression"
    assert out["passed"] is True
    assert out["has_data"] is False  # the training data is not saved unless asked
    np.testing.assert_allclose(out["mean"], model.predict(new), rtol=1e-12)
    np.testing.assert_allclose(out["draws"], model.predict(new, kind="draws")[:50], rtol=1e-12)


def test_saved_file_is_data_not_code(tmp_path):
    df = _data(10)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    model.fit(df, rng=1, **FIT)
    path = model.save(tmp_path / "m.nc", include_data=True)
    raw = path.read_bytes()
    assert b"pickle" not in raw.lower()
    loaded = LinearRegression.load(path)
    assert loaded.priors == model.priors
    pd.testing.assert_frame_equal(loaded._data[list(df.columns)], df, check_dtype=False)
    assert loaded.loo().n == len(df)


def test_load_refuses_unknown_templates_and_other_files(tmp_path):
    from statcraft.bayes.diagnostics import read_netcdf, write_netcdf

    df = _data(11)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    model.fit(df, rng=1, **FIT)
    path = model.save(tmp_path / "m.nc")
    idata, meta = read_netcdf(path)
    meta["template"], meta["template_path"] = "system", "os.system"
    write_netcdf(idata, tmp_path / "bad.nc", ["posterior"], meta)
    with pytest.raises(ValueError, match=r"unknown template 'system' \(os\.system\)"):
        BayesianModel.load(tmp_path / "bad.nc")
    # a user's class of the same name does not take over statcraft's files
    local = type("LinearRegression", (LinearRegression,), {})
    assert type(BayesianModel.load(path)) is LinearRegression
    assert local.__qualname__ == "LinearRegression"
    from statcraft.bayes import BayesianTTest

    with pytest.raises(ValueError, match="holds a LinearRegression, not a BayesianTTest"):
        BayesianTTest.load(path)


def test_unfitted_models_say_to_fit_first():
    model = LinearRegression(outcome="y", predictors=["x1"])
    for call in (lambda: model.predict(_data(0)), model.summary, lambda: model.save("x.nc")):
        with pytest.raises(RuntimeError, match=r"needs a fitted model; call \.fit"):
            call()


def test_loo_and_compare_prefer_the_model_with_the_right_predictors():
    df = _data(12)
    full = LinearRegression(outcome="y", predictors=["x1", "x2"])
    small = LinearRegression(outcome="y", predictors=["x2"])
    full.fit(df, rng=1, **FIT)
    small.fit(df, rng=1, **FIT)
    table = compare({"full": full, "x2 only": small})
    assert table.index[0] == "full"
    assert full.loo().elpd > small.loo().elpd
    with pytest.raises(ValueError, match="at least two models"):
        compare([full])


def test_bad_input_is_refused_before_sampling_naming_the_column():
    df = _data(13)
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    bad = df.copy()
    bad.loc[3, "x2"] = np.nan
    with pytest.raises(ValueError, match=r"column 'x2' \(predictors\) has 1 missing value"):
        model.fit(bad)
    with pytest.raises(ValueError, match=r"column 'x3' \(predictors\) is not in the data"):
        LinearRegression(outcome="y", predictors=["x3"]).fit(df)
    text = df.assign(x1=["a"] * len(df))
    with pytest.raises(TypeError, match=r"column 'x1' \(predictors\) must be numeric"):
        model.fit(text)
    inf = df.copy()
    inf.loc[0, "y"] = np.inf
    with pytest.raises(ValueError, match=r"column 'y' \(outcome\) has infinite values"):
        model.fit(inf)
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame"):
        model.build(df.to_numpy())
    with pytest.raises(ValueError, match="`data` has no rows"):
        model.fit(df.iloc[:0])
    with pytest.raises(ValueError, match="needs at least 2 rows"):
        model.fit(df.iloc[:1])
    with pytest.raises(ValueError, match="`likelihood` must be one of 'normal', 'student_t'"):
        LinearRegression(outcome="y", predictors=["x1"], likelihood="cauchy")
    with pytest.raises(ValueError, match="also listed among the predictors"):
        LinearRegression(outcome="y", predictors=["y"])
    with pytest.raises(ValueError, match="`predictors` needs at least one column"):
        LinearRegression(outcome="y", predictors=[])
    with pytest.raises(TypeError, match="`standardize` must be True or False"):
        LinearRegression(outcome="y", predictors=["x1"], standardize="yes")
    with pytest.raises(ValueError, match="`on_failure` must be one of 'warn', 'raise'"):
        model.fit(df, on_failure="ignore")
    with pytest.raises(ValueError, match="`sampler` must be one of"):
        model.fit(df, sampler="stan")
    with pytest.raises(ValueError, match="`draws` must be"):
        model.fit(df, draws=0)
    with pytest.raises(ValueError, match="`y` must be one-dimensional with one value per row"):
        model.fit(df[["x1", "x2"]], df["y"].to_numpy()[:-1])
    with pytest.raises(ValueError, match="unknown sampler setting 'draw'"):
        model.configure_sampler(draw=10)
    with pytest.raises(ValueError, match=r"predictor column 'x2' is constant"):
        LinearRegression(outcome="y", predictors=["x1", "x2"], standardize=True).build(
            df.assign(x2=1.0)
        )


def test_the_callers_data_is_never_modified():
    df = _data(14)
    before = df.copy()
    model = LinearRegression(outcome="y", predictors=["x1", "x2"], standardize=True)
    model.fit(df, rng=1, **FIT)
    model.predict(df, kind="interval")
    model.fit(df[["x1", "x2"]], df["y"], rng=1, **FIT)
    pd.testing.assert_frame_equal(df, before)


def test_optional_samplers_fail_with_a_clear_message_when_absent(monkeypatch):
    import importlib.util

    from statcraft.bayes import _sampling

    real = importlib.util.find_spec
    monkeypatch.setattr(
        _sampling.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "numpyro" else real(name, *a),
    )
    with pytest.raises(ImportError, match=r"pip install 'statcraft\[fast\]'"):
        _sampling.resolve_sampler("numpyro")


def test_save_with_data_keeps_the_model_columns_only_and_leaves_idata_alone(tmp_path):
    df = _data(15).assign(when=pd.Timestamp("2026-01-01"), note="a")
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    model.fit(df, rng=1, **FIT)
    attrs_before = dict(model.idata.posterior.attrs)
    loaded = BayesianModel.load(model.save(tmp_path / "m.nc", include_data=True))
    assert dict(model.idata.posterior.attrs) == attrs_before
    assert list(loaded._data.columns) == ["y", "x1", "x2"]
    np.testing.assert_allclose(loaded._data["x1"], df["x1"])


def test_prior_predictive_needs_only_the_design():
    design = _data(16)[["x1", "x2"]]
    model = LinearRegression(outcome="y", predictors=["x1", "x2"])
    prior = model.sample_prior_predictive(design, draws=50, rng=1)
    assert prior.prior_predictive["y"].shape == (1, 50, len(design))
    with pytest.raises(ValueError, match="needs the outcome column 'y'"):
        LinearRegression(outcome="y", predictors=["x1"], standardize=True).sample_prior_predictive(
            design
        )


def test_predictors_may_be_an_index_or_an_array():
    df = _data(17)
    by_index = LinearRegression(outcome="y", predictors=df.columns.drop("y"))
    by_array = LinearRegression(outcome="y", predictors=np.array(["x1", "x2"]))
    assert by_index.options["predictors"] == by_array.options["predictors"] == ["x1", "x2"]
