"""Funnel-plot limits for provider proportions (Spiegelhalter 2005)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc
from statcraft.datasets import load_surgical
from statcraft.health import funnel_limits


def _limit_by_search(n: int, target: float, p: float) -> float:
    """Spiegelhalter (2005) appendix A.1.1, written out with an explicit search over counts."""
    r = 0
    while stats.binom.cdf(r, n, target) < p:
        r += 1
    f_r = stats.binom.cdf(r, n, target)
    f_below = stats.binom.cdf(r - 1, n, target) if r > 0 else 0.0
    a = (f_r - p) / (f_r - f_below)
    return min(max((r - a) / n, 0.0), 1.0)


@pytest.mark.parametrize("n", [5, 47, 148, 810])
@pytest.mark.parametrize("target", [0.02, 0.0739, 0.3])
def test_exact_limits_match_the_interpolated_binomial_quantile(n: int, target: float) -> None:
    fl = funnel_limits([1, 2], [10, 10], target=target, levels=(0.95, 0.998))
    curves = fl.limits([n])
    for level in (0.95, 0.998):
        tail = (1 - level) / 2
        key = f"{100 * level:g}"
        assert curves[f"lower_{key}"].iloc[0] == pytest.approx(
            _limit_by_search(n, target, tail), abs=1e-12
        )
        assert curves[f"upper_{key}"].iloc[0] == pytest.approx(
            _limit_by_search(n, target, 1 - tail), abs=1e-12
        )


def test_exact_limits_approach_the_normal_ones_for_many_cases() -> None:
    # For large n the binomial quantile is p0 ± z sqrt(p0 (1 - p0) / n) to O(1/n).
    n, p0 = 1_000_000, 0.07
    fl = funnel_limits([1, 2], [10, 10], target=p0)
    curves = fl.limits([n])
    half = stats.norm.ppf(0.975) * np.sqrt(p0 * (1 - p0) / n)
    assert curves["upper_95"].iloc[0] == pytest.approx(p0 + half, abs=2e-6)
    assert curves["lower_95"].iloc[0] == pytest.approx(p0 - half, abs=2e-6)


def test_surgical_hospitals() -> None:
    df = load_surgical()
    fl = funnel_limits(df["deaths"], df["n_operations"], labels=df["hospital"])
    # Pooled mortality 208 / 2814 (the BUGS Surgical data: 12 hospitals, 2814 operations).
    assert fl.target == pytest.approx(208 / 2814)
    table = fl.table.set_index("provider")
    assert list(table.index) == list("ABCDEFGHIJKL")
    assert table.loc["H", "flag_99.8"] == "high"
    assert (table.drop(index="H")["flag_99.8"] == "within").all()
    # With the pooled rate as target the sum of squared z-scores is Pearson's X² of the 2 × 12
    # table (independent implementation: statcraft's chi2_independence).
    deaths = df["deaths"].to_numpy()
    survivors = (df["n_operations"] - df["deaths"]).to_numpy()
    with pytest.warns(UserWarning, match="expected count"):
        pearson = sc.chi2_independence(np.vstack([deaths, survivors]))
    assert fl.dispersion_test.statistic == pytest.approx(pearson.statistic, rel=1e-12)
    assert fl.dispersion_test.pvalue == pytest.approx(pearson.pvalue, rel=1e-10)
    assert fl.dispersion_test.df == 11


def test_overdispersion_factor_and_adjusted_scores() -> None:
    df = load_surgical()
    y = df["deaths"].to_numpy(float)
    m = df["n_operations"].to_numpy(float)
    p0 = y.sum() / m.sum()
    s = np.sqrt(p0 * (1 - p0) / m)
    z = (y / m - p0) / s
    lo, hi = np.quantile(z, [0.1, 0.9])
    phi = np.mean(np.clip(z, lo, hi) ** 2)  # Spiegelhalter (2005) §7: 10 % winsorised
    mult = funnel_limits(y, m, overdispersion="multiplicative")
    assert mult.phi == pytest.approx(phi, rel=1e-12)
    np.testing.assert_allclose(mult.table["z"], z / np.sqrt(phi), rtol=1e-12)
    w = 1 / s**2
    tau2 = (len(y) * phi - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum())
    add = funnel_limits(y, m, overdispersion="additive")
    assert add.tau2 == pytest.approx(tau2, rel=1e-12)
    np.testing.assert_allclose(add.table["z"], (y / m - p0) / np.sqrt(s**2 + tau2), rtol=1e-12)
    # Overdispersion never narrows the limits: phi is floored at 1.
    calm = funnel_limits([5, 6, 5, 6], [100, 100, 100, 100], overdispersion="multiplicative")
    assert calm.phi < 1
    half = stats.norm.ppf(0.975) * np.sqrt(calm.target * (1 - calm.target) / 100)
    assert calm.table["upper_95"].iloc[0] == pytest.approx(calm.target + half)


def test_limits_hold_their_level_under_the_null() -> None:
    # 4000 providers drawn from the target rate: about 5 % fall outside the 95 % limits
    # (a little under, as the binomial is discrete: interpolation makes the limits continuous
    # but cannot make the counts so).
    rng = np.random.default_rng(20261207)
    m = rng.integers(50, 800, size=4000)
    y = rng.binomial(m, 0.08)
    fl = funnel_limits(y, m, target=0.08)
    outside = (fl.table["flag_95"] != "within").mean()
    assert 0.035 < outside < 0.06
    assert (fl.table["flag_99.8"] != "within").mean() < 0.006


def test_overdispersed_providers_need_wider_limits() -> None:
    # Beta-binomial providers (true rates vary, sd 0.02 around 0.08, tau2 = 0.08 * 0.92 / 181):
    # the exact binomial limits flag far more than 5 %; both overdispersion models, estimated
    # from all z-scores, bring it back to the nominal rate and recover tau2. Winsorising (the
    # default, which guards against the outliers being judged) shrinks phi: with no outliers
    # it leaves the limits too narrow, as documented.
    rng = np.random.default_rng(7)
    m = rng.integers(200, 1500, size=3000)
    rates = rng.beta(0.08 * 180, 0.92 * 180, size=m.size)
    y = rng.binomial(m, rates)
    assert (funnel_limits(y, m, target=0.08).table["flag_95"] != "within").mean() > 0.2
    assert funnel_limits(y, m, target=0.08).dispersion_test.pvalue < 1e-6
    for model in ("multiplicative", "additive"):
        fit = funnel_limits(y, m, target=0.08, overdispersion=model, trim=0)
        assert 0.035 < (fit.table["flag_95"] != "within").mean() < 0.065
    add = funnel_limits(y, m, target=0.08, overdispersion="additive", trim=0)
    assert add.tau2 == pytest.approx(0.08 * 0.92 / 181, rel=0.1)
    trimmed = funnel_limits(y, m, target=0.08, overdispersion="additive")
    assert trimmed.tau2 < add.tau2


def test_plot_and_conversions() -> None:
    df = load_surgical()
    fl = funnel_limits(df["deaths"], df["n_operations"], labels=df["hospital"])
    ax = fl.plot(rate_label="mortality")
    # the control-limit curves are drawn (finite) for every level and side
    curves = [line.get_ydata() for line in ax.get_lines() if len(line.get_ydata()) > 50]
    assert len(curves) == 4
    assert all(np.isfinite(y).all() for y in curves)
    assert ax.get_title() == "Funnel plot of mortality"
    assert ax.get_xlabel() == "number of cases"
    assert ax.get_ylabel() == "mortality (%)"
    d = fl.to_dict()
    assert d["target"] == pytest.approx(fl.target)
    assert len(d["table"]) == 12
    assert "FunnelLimits: 12 providers" in repr(fl)
    frame = fl.to_frame()
    frame.loc[0, "rate"] = -1.0
    assert fl.table.loc[0, "rate"] == 0.0  # to_frame hands out a copy
    import matplotlib.pyplot as plt

    plt.close("all")


def test_caller_data_unchanged() -> None:
    events = pd.Series([3, 5, 0, 9])
    n = np.array([40, 60, 30, 90])
    before = (events.copy(), n.copy())
    funnel_limits(events, n, overdispersion="additive")
    pd.testing.assert_series_equal(events, before[0])
    np.testing.assert_array_equal(n, before[1])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"events": [1, 2, 3], "n": [10, 10]}, ValueError, "length"),
        ({"events": [1, -2], "n": [10, 10]}, ValueError, "`events` must hold non-negative"),
        ({"events": [1, 2.5], "n": [10, 10]}, ValueError, "`events` must hold non-negative"),
        ({"events": [1, 2], "n": [10, 0]}, ValueError, "`n` must be positive"),
        ({"events": [1, 12], "n": [10, 10]}, ValueError, "cannot exceed `n`"),
        ({"events": [1, np.nan], "n": [10, 10]}, ValueError, "events"),
        ({"events": [1], "n": [10]}, ValueError, "events"),
        ({"events": ["a", "b"], "n": [10, 10]}, TypeError, "events"),
        ({"events": [0, 0], "n": [10, 10]}, ValueError, "pass `target`"),
        ({"events": [1, 2], "n": [10, 10], "target": 1.2}, ValueError, "target"),
        ({"events": [1, 2], "n": [10, 10], "levels": (0.95, 1.5)}, ValueError, "levels"),
        ({"events": [1, 2], "n": [10, 10], "levels": 0.95}, TypeError, "levels"),
        ({"events": [1, 2], "n": [10, 10], "overdispersion": "x"}, ValueError, "overdispersion"),
        ({"events": [1, 2], "n": [10, 10], "trim": 0.5}, ValueError, "`trim`"),
        ({"events": [1, 2], "n": [10, 10], "labels": ["a"]}, ValueError, "labels"),
    ],
)
def test_bad_input(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        funnel_limits(**kwargs)


def test_limits_grid_must_be_positive() -> None:
    fl = funnel_limits([1, 2], [10, 10])
    with pytest.raises(ValueError, match="`n` must hold positive whole"):
        fl.limits([0, 10])
    with pytest.raises(ValueError, match="`n` must hold positive whole"):
        fl.limits([100.5])
