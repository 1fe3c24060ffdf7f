"""BayesianTTest (Kruschke's BEST): recovery, the ROPE decision, robustness, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from statcraft.bayes import BayesianModel, BayesianTTest

FIT = {"draws": 1000, "tune": 1000, "chains": 2, "cores": 1, "progressbar": False}


def _two_groups(seed, diff=1.0, n=40, scale=(1.0, 1.0)):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "y": np.r_[rng.normal(diff, scale[0], n), rng.normal(0.0, scale[1], n)],
            "arm": ["drug"] * n + ["placebo"] * n,
        }
    )


def test_recovers_means_and_scales_and_decides_a_credible_difference():
    df = _two_groups(1, diff=1.0, scale=(1.0, 2.0))
    model = BayesianTTest(outcome="y", group="arm")
    model.fit(df, rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    s = model.summary(hdi_prob=0.95)
    assert s.loc["mu[drug]", "hdi_low"] < 1.0 < s.loc["mu[drug]", "hdi_high"]
    assert s.loc["sigma[placebo]", "mean"] / s.loc["sigma[drug]", "mean"] > 1.4  # truth: 2
    effect = model.effect()
    assert effect.loc["effect_size", "decision"] == "credible difference"
    assert effect.loc["difference_of_means", "prob_positive"] > 0.99
    assert model.summary().attrs["notes"][0] == "differences are 'drug' minus 'placebo'"


def test_identical_groups_with_much_data_are_practically_equivalent():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"y": rng.normal(size=3000), "arm": np.repeat(["a", "b"], 1500)})
    model = BayesianTTest(outcome="y", group="arm", rope=(-0.2, 0.2))
    model.fit(df, rng=1, **FIT)
    table = model.effect()
    assert table.loc["effect_size", "decision"] == "practically equivalent"
    assert table.loc["effect_size", "prob_in_rope"] > 0.95


def test_difference_agrees_with_welch_when_data_are_normal():
    # an independent reference: with n = 200 per group and weak priors, the posterior mean
    # difference is the difference of sample means and its sd is Welch's standard error
    df = _two_groups(3, diff=0.5, n=200, scale=(1.0, 1.5))
    model = BayesianTTest(outcome="y", group="arm")
    model.fit(df, rng=1, **FIT)
    a, b = df.y[df.arm == "drug"], df.y[df.arm == "placebo"]
    welch = stats.ttest_ind(a, b, equal_var=False)
    se = (a.mean() - b.mean()) / welch.statistic
    s = model.summary().loc["difference_of_means"]
    assert abs(s["mean"] - (a.mean() - b.mean())) < 0.3 * se
    assert abs(s["sd"] / se - 1) < 0.15


def test_outliers_do_not_drag_the_robust_means():
    df = _two_groups(4, diff=1.0, n=40)
    df.loc[[0, 1], "y"] = [40.0, 45.0]  # two gross outliers in the drug arm
    model = BayesianTTest(outcome="y", group="arm")
    model.fit(df, rng=1, **FIT)
    mean_drug = model.summary().loc["mu[drug]", "mean"]
    assert abs(mean_drug - 1.0) < 0.35
    assert df.y[df.arm == "drug"].mean() > 2.9  # the sample mean is dragged


def test_groups_fix_the_direction_and_prediction_uses_labels(tmp_path):
    df = _two_groups(5)
    model = BayesianTTest(outcome="y", group="arm", groups=["placebo", "drug"])
    model.fit(df, rng=1, **FIT)
    assert model.effect().loc["difference_of_means", "mean"] < 0
    new = pd.DataFrame({"arm": ["drug", "placebo", "drug"]})
    mean = model.predict(new)
    assert mean[0] == mean[2] and mean[0] > mean[1]
    assert model.predict_distribution(new).shape == (2000, 3)
    again = BayesianModel.load(model.save(tmp_path / "t.nc"))
    np.testing.assert_allclose(again.predict(new), mean)
    with pytest.raises(ValueError, match=r"label\(s\) not seen in fitting: control"):
        model.predict(pd.DataFrame({"arm": ["control"]}))


def test_standardized_fit_reports_data_scale():
    df = _two_groups(6, diff=1.0)
    df["y"] = 1000 * df["y"] + 50_000
    model = BayesianTTest(outcome="y", group="arm", standardize=True)
    model.fit(df, rng=1, **FIT)
    s = model.summary()
    assert abs(s.loc["difference_of_means", "mean"] - 1000) < 400
    assert any("standardised" in n for n in s.attrs["notes"])


def test_bad_input_names_the_problem():
    df = _two_groups(7)
    with pytest.raises(ValueError, match=r"column 'arm' \(group\) must hold exactly two groups"):
        BayesianTTest(outcome="y", group="arm").build(df.assign(arm=np.arange(len(df)) % 3))
    with pytest.raises(ValueError, match="group 'drug' needs at least 2 observations"):
        BayesianTTest(outcome="y", group="arm").build(df.iloc[39:])
    with pytest.raises(TypeError, match="`rope` must be a pair of numbers"):
        BayesianTTest(outcome="y", group="arm", rope=0.1)
    with pytest.raises(ValueError, match="`rope` must satisfy low < high"):
        BayesianTTest(outcome="y", group="arm", rope=(0.1, -0.1))
    with pytest.raises(ValueError, match="`groups` must name exactly two labels"):
        BayesianTTest(outcome="y", group="arm", groups=["a"])
    with pytest.raises(ValueError, match="must be different columns"):
        BayesianTTest(outcome="y", group="y")
    missing = df.copy()
    missing.loc[0, "arm"] = None
    with pytest.raises(ValueError, match=r"column 'arm' \(group\) has 1 missing label"):
        BayesianTTest(outcome="y", group="arm").build(missing)
    with pytest.raises(RuntimeError, match="needs a fitted model"):
        BayesianTTest(outcome="y", group="arm").effect()


@pytest.mark.slow
def test_90_percent_intervals_cover_across_seeds():
    hits = []
    for seed in range(20):
        df = _two_groups(200 + seed, diff=0.7, n=30, scale=(1.0, 1.5))
        model = BayesianTTest(outcome="y", group="arm")
        model.fit(df, rng=seed, **FIT)
        s = model.summary(hdi_prob=0.9)
        truth = {"mu[drug]": 0.7, "mu[placebo]": 0.0, "difference_of_means": 0.7}
        hits += [bool(s.loc[k, "hdi_low"] <= v <= s.loc[k, "hdi_high"]) for k, v in truth.items()]
    rate = float(np.mean(hits))
    print(f"BayesianTTest 90% HDI coverage over 20 seeds: {rate:.3f}")
    assert 0.78 <= rate <= 0.99
