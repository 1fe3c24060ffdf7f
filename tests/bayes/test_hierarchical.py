"""HierarchicalRegression: recovery, shrinkage, prediction for seen and unseen groups, bad input."""

import numpy as np
import pandas as pd
import pytest

from statcraft.bayes import BayesianModel, Prior
from statcraft.bayes import diagnostics as dx
from statcraft.bayes.templates.hierarchical import HierarchicalRegression

# 2000 draws: with 8-10 latent group effects each held to r_hat <= 1.01, 1000 draws pass or
# fail on the sampler's path (a PyTensor/BLAS change moved max r_hat from < 1.01 to 1.014).
FIT = {"chains": 2, "draws": 2000, "tune": 1000, "cores": 1, "progressbar": False}
TRUTH = {
    "intercept": 1.0,
    "beta[x1]": 2.0,
    "beta[x2]": -1.0,
    "sigma": 0.5,
    "group_sd": 0.8,
    "slope_sd[x1]": 0.5,
}


def simulate(seed: int, n_groups: int = 10) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Groups of unequal size (3 to 40 rows); varying intercepts and a varying x1 slope."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 41, size=n_groups)
    g = np.repeat(np.arange(n_groups), sizes)
    n = g.size
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    a = rng.normal(scale=TRUTH["group_sd"], size=n_groups)
    b = rng.normal(scale=TRUTH["slope_sd[x1]"], size=n_groups)
    y = (
        TRUTH["intercept"]
        + TRUTH["beta[x1]"] * x1
        + TRUTH["beta[x2]"] * x2
        + a[g]
        + b[g] * x1
        + rng.normal(scale=TRUTH["sigma"], size=n)
    )
    df = pd.DataFrame({"y": y, "x1": x1, "x2": x2, "team": [f"t{k}" for k in g]})
    return df, a, b


def make_model(**kw) -> HierarchicalRegression:
    args = {
        "outcome": "y",
        "predictors": ["x1", "x2"],
        "group": "team",
        "varying_slopes": ["x1"],
    }
    args.update(kw)
    return HierarchicalRegression(**args)


@pytest.fixture(scope="module")
def fitted():
    df, a, b = simulate(7)  # fixed seed; the slow test checks coverage over 20 seeds
    original = df.copy()
    model = make_model()
    model.fit(df, rng=1, **FIT)
    pd.testing.assert_frame_equal(df, original)  # the caller's data is untouched
    return model, df, a, b


# ----------------------------------------------------------------- recovery and the gate
def hdi_contains(model: HierarchicalRegression, truth: dict[str, float]) -> dict[str, bool]:
    """Whether each true value lies in its 90% HDI (computed from the unrounded draws)."""
    draws = model._draws()
    out = {}
    for name, value in truth.items():
        base, _, element = name.partition("[")
        arr = draws[base]
        if element:
            coords = model._state["predictors"] if base == "beta" else ["x1"]
            arr = arr[:, coords.index(element[:-1])]
        low, high = dx.hdi(arr[:, None], 0.9)
        out[name] = bool(low[0] < value < high[0])
    return out


def test_gate_passes_and_truth_in_90_hdi(fitted):
    # One fixed seed; the slow test below checks the coverage across 20 seeds.
    model, _, a, _ = fitted
    assert model.convergence.passed, model.convergence
    inside = hdi_contains(model, TRUTH)
    assert all(inside.values()), inside
    table = model.summary(hdi_prob=0.9)
    # the group effects too: most of the 10 true deviations inside their 90% intervals
    inside = [
        table.loc[f"group_effect[t{k}]", "hdi_low"]
        < a[k]
        < table.loc[f"group_effect[t{k}]", "hdi_high"]
        for k in range(len(a))
    ]
    assert sum(inside) >= 7
    assert {"group_z", "slope_z"} <= set(model.idata.posterior.data_vars)


def test_summary_notes_describe_unseen_groups(fitted):
    model, *_ = fitted
    notes = model.summary().attrs["notes"]
    assert any("not seen in fitting" in n for n in notes)


def test_shrinkage_small_groups_pulled_toward_population_mean():
    # Varying-intercept model (no predictors): the group means. Small groups (2 rows) are
    # pulled toward the population mean much more than large ones (60 rows); the raw
    # per-group means are the OLS estimates of a no-pooling model.
    rng = np.random.default_rng(11)
    sizes = np.array([2, 2, 2, 2, 60, 60, 60, 60])
    g = np.repeat(np.arange(sizes.size), sizes)
    effects = np.array([1.5, -1.5, 1.0, -1.0, 1.5, -1.5, 1.0, -1.0])
    y = 3.0 + effects[g] + rng.normal(scale=1.5, size=g.size)
    df = pd.DataFrame({"y": y, "grp": [f"g{k}" for k in g]})
    model = HierarchicalRegression(outcome="y", predictors=[], group="grp")
    model.fit(df, rng=2, **FIT)
    assert model.convergence.passed, model.convergence
    draws = model._draws()
    post_means = (draws["intercept"][:, None] + draws["group_effect"]).mean(axis=0)
    levels = model._state["groups"]
    raw = df.groupby("grp")["y"].mean().loc[levels].to_numpy()
    pop = draws["intercept"].mean()
    shrink = 1 - np.abs(post_means - pop) / np.abs(raw - pop)
    small = np.isin(levels, [f"g{k}" for k in range(4)])
    print("shrinkage small", shrink[small].round(2), "large", shrink[~small].round(2))
    assert (np.abs(post_means - pop) < np.abs(raw - pop))[small].all()
    assert shrink[small].min() > shrink[~small].max()
    assert shrink[small].mean() > 0.3
    assert shrink[~small].max() < 0.1
    # predictions for a seen group use its partially pooled mean
    new = pd.DataFrame({"grp": ["g0", "g4"]})
    np.testing.assert_allclose(model.predict(new), post_means[[0, 4]])


# ----------------------------------------------------------------- prediction
def test_predict_kinds_and_shapes(fitted):
    model, df, _, _ = fitted
    new = df.iloc[:5]
    mean = model.predict(new)
    assert mean.shape == (5,)
    draws = model.predict(new, kind="draws")
    assert draws.shape == (4000, 5)
    assert np.isfinite(draws).all()
    interval = model.predict(new, kind="interval", hdi_prob=0.8)
    assert list(interval.columns) == ["mean", "hdi_low", "hdi_high"]
    assert (interval["hdi_low"] < mean).all()
    assert (mean < interval["hdi_high"]).all()
    assert model.predict_distribution(new.drop(columns="y")).shape == (4000, 5)
    # the fitted means track the observed outcome
    fitted_all = model.predict(df)
    assert np.corrcoef(fitted_all, df["y"])[0, 1] > 0.95


def test_unseen_group_gets_population_line_with_wider_interval(fitted):
    model, _, _, _ = fitted
    draws = model._draws()
    new = pd.DataFrame({"x1": [0.5, 0.5, -1.0], "x2": [1.0, 1.0, 0.0], "team": ["t0", "zz", "zz"]})
    mean = model.predict(new)
    population = draws["intercept"] + 0.5 * draws["beta"][:, 0] + 1.0 * draws["beta"][:, 1]
    assert mean[1] == pytest.approx(population.mean())
    seen = model.predict(new.iloc[[0]], kind="draws")[:, 0]
    unseen = model.predict(new, kind="draws")
    # a fresh group effect from N(0, group_sd): extra spread of about group_sd on top of sigma
    assert unseen[:, 1].std() > 1.3 * seen.std()
    # rows of the same new group share its effect: their draws are correlated
    assert np.corrcoef(unseen[:, 1], unseen[:, 2])[0, 1] > 0.2  # independent draws: about 0


def test_predict_draws_reproducible_and_seeded(fitted):
    model, df, _, _ = fitted
    new = df.iloc[:3].assign(team=["t1", "new", "new"])
    np.testing.assert_array_equal(
        model.predict(new, kind="draws"), model.predict(new, kind="draws")
    )
    assert not np.array_equal(
        model.predict(new, kind="draws", rng=5), model.predict(new, kind="draws", rng=6)
    )


def test_save_load_identical_predictions(fitted, tmp_path):
    model, df, _, _ = fitted
    path = model.save(tmp_path / "hier.nc")
    loaded = BayesianModel.load(path)
    assert isinstance(loaded, HierarchicalRegression)
    new = df.iloc[:4].assign(team=["t0", "t5", "unseen", "unseen"])
    np.testing.assert_array_equal(loaded.predict(new), model.predict(new))
    np.testing.assert_array_equal(
        loaded.predict(new, kind="draws"), model.predict(new, kind="draws")
    )
    assert loaded.convergence.passed


@pytest.mark.slow  # a third fit: too slow for the default run
def test_standardize_gives_the_same_data_scale_answer(fitted):
    model, df, _, _ = fitted
    std = make_model(standardize=True)
    std.fit(df, rng=4, **FIT)
    assert std.convergence.passed, std.convergence
    a, b = model.summary(), std.summary()
    for name in ["intercept", "beta[x1]", "beta[x2]", "sigma", "group_effect[t0]"]:
        assert b.loc[name, "mean"] == pytest.approx(a.loc[name, "mean"], abs=0.1), name
    # slopes and group line agree: predictions on the data scale
    np.testing.assert_allclose(std.predict(df.iloc[:10]), model.predict(df.iloc[:10]), atol=0.1)
    assert any("standardised" in n for n in std.summary().attrs["notes"])


# ----------------------------------------------------------------- bad input
def test_varying_slopes_must_be_predictors():
    with pytest.raises(ValueError, match=r"varying_slopes.*'x3'"):
        make_model(varying_slopes=["x3"])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"group": "y"}, ValueError, "group column 'y'"),
        ({"group": "x1"}, ValueError, "group column 'x1'"),
        ({"outcome": "x1"}, ValueError, "outcome 'x1'"),
        ({"likelihood": "cauchy"}, ValueError, "likelihood"),
        ({"standardize": "yes"}, TypeError, "standardize"),
        ({"group": 3}, TypeError, "group"),
        ({"priors": {"tau": Prior("HalfNormal", sigma=1)}}, ValueError, "no parameter 'tau'"),
        ({"priors": {"group_sd": Prior("Normal", sigma=1)}}, ValueError, r"priors\['group_sd'\]"),
    ],
)
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_model(**kwargs)


@pytest.fixture
def small_df():
    df, _, _ = simulate(0, n_groups=4)
    return df


def test_missing_group_column(small_df):
    with pytest.raises(ValueError, match=r"'team' \(group\) is not in the data"):
        make_model().build(small_df.drop(columns="team"))


def test_missing_group_label(small_df):
    bad = small_df.astype({"team": object})
    bad.loc[bad.index[0], "team"] = None
    with pytest.raises(ValueError, match=r"'team' \(group\) has 1 missing"):
        make_model().build(bad)


def test_single_group_is_an_error(small_df):
    with pytest.raises(ValueError, match="at least 2 groups"):
        make_model().build(small_df.assign(team="only"))


def test_nan_and_non_numeric(small_df):
    bad = small_df.copy()
    bad.loc[bad.index[2], "x2"] = np.nan
    with pytest.raises(ValueError, match=r"'x2' \(predictors\) has 1 missing"):
        make_model().build(bad)
    with pytest.raises(TypeError, match=r"'y' \(outcome\) must be numeric"):
        make_model().build(small_df.assign(y="a"))


def test_constant_predictor_with_standardize(small_df):
    with pytest.raises(ValueError, match="'x2' is constant"):
        make_model(standardize=True).build(small_df.assign(x2=1.0))


def test_predict_before_fit_and_missing_predictor(fitted, small_df):
    with pytest.raises(RuntimeError, match="fit"):
        make_model().predict(small_df)
    model, *_ = fitted
    with pytest.raises(ValueError, match=r"'x1' \(predictors\) is not in the data"):
        model.predict(small_df.drop(columns="x1"))


def test_model_has_group_coords(small_df):
    pm_model = make_model().build(small_df)
    assert list(pm_model.coords["group"]) == ["t0", "t1", "t2", "t3"]
    assert list(pm_model.coords["slope"]) == ["x1"]


# ----------------------------------------------------------------- slow: coverage
@pytest.mark.slow
def test_coverage_of_90_percent_intervals_across_seeds():
    hits, total, failed = 0, 0, 0
    for seed in range(20):
        df, _, _ = simulate(100 + seed)
        model = make_model()
        model.fit(df, rng=seed, **FIT)
        failed += not model.convergence.passed
        inside = hdi_contains(model, TRUTH)
        hits += sum(inside.values())
        total += len(inside)
    rate = hits / total
    print(
        f"HierarchicalRegression 90% HDI coverage: {hits}/{total} = {rate:.3f}; "
        f"gate failed {failed}"
    )
    assert 0.75 <= rate <= 0.99
    assert failed <= 4  # 2 chains x 1000 draws: an occasional lone divergence
