"""Forest and funnel plots of a meta-analysis (matplotlib, Agg backend).

What is drawn is checked against the result it comes from: one square per study at the study's
effect, the pooled diamond spanning the confidence interval, the prediction-interval bar, the
pseudo-confidence lines mu -/+ z se, and Egger's line b + beta se with the p-value of
egger_test (whose numbers test_meta_analysis.py checks against metafor's regtest).
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Polygon
from scipy import stats

from statcraft.datasets import load_bcg
from statcraft.health import (
    effect_sizes_2x2,
    egger_test,
    forest_plot,
    funnel_plot,
    meta_analysis,
    meta_mantel_haenszel,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def bcg() -> pd.DataFrame:
    return load_bcg()


@pytest.fixture(scope="module")
def rr(bcg) -> pd.DataFrame:
    return effect_sizes_2x2(
        bcg["vaccinated_cases"],
        bcg["vaccinated_total"],
        bcg["control_cases"],
        bcg["control_total"],
        measure="RR",
    )


@pytest.fixture(scope="module")
def reml(rr):
    return meta_analysis(
        rr["effect"], rr["variance"], measure="RR", labels=[f"T{i}" for i in range(1, 14)]
    )


def _squares(ax) -> np.ndarray:
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 1
    return points[0].get_offsets()


# ----------------------------------------------------------------------------- forest_plot
def test_forest_plot_draws_studies_diamond_and_prediction_interval(reml):
    ax = forest_plot(reml)
    assert isinstance(ax, Axes)
    assert "Forest plot" in ax.get_title() and "REML" in ax.get_title()
    assert ax.get_xlabel() == "log risk ratio"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:13] == [f"T{i}" for i in range(1, 14)] and labels[13].startswith("Pooled (REML")
    offsets = _squares(ax)
    np.testing.assert_allclose(offsets[:, 0], reml.effects.to_numpy())
    assert list(offsets[:, 1]) == sorted(offsets[:, 1], reverse=True)  # first study on top
    diamond = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(diamond) == 1
    xs = diamond[0].get_xy()[:, 0]
    ci = reml.estimate.confidence_interval
    assert xs.min() == pytest.approx(ci.low) and xs.max() == pytest.approx(ci.high)
    # the study intervals are Wald intervals at the result's level
    segments = np.concatenate(
        [c.get_segments() for c in ax.collections if isinstance(c, LineCollection)]
    )
    lows = sorted(round(s[0][0], 9) for s in segments)
    z = stats.norm.ppf(0.975)
    expected = reml.effects - z * np.sqrt(reml.variances)
    assert set(np.round(expected, 9)).issubset(set(lows))
    # the prediction interval bar
    pi = reml.prediction_interval
    assert any(np.allclose(sorted([s[0][0], s[1][0]]), [pi.low, pi.high]) for s in segments)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "pooled estimate",
        "prediction interval",
    ]


def test_forest_plot_transform_exp_gives_ratio_axis(reml):
    _, ax = plt.subplots()
    out = forest_plot(reml, ax=ax, transform=np.exp, annotate=False)
    assert out is ax
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "risk ratio"
    np.testing.assert_allclose(_squares(ax)[:, 0], np.exp(reml.effects.to_numpy()))
    assert not ax.texts  # annotate=False
    ref = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert ref and ref[0].get_xdata()[0] == pytest.approx(1.0)


def test_forest_plot_without_heterogeneity_has_no_prediction_bar(rr):
    fe = meta_analysis(rr["effect"], rr["variance"], method="FE")
    ax = forest_plot(fe, labels=[f"s{i}" for i in range(13)])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["pooled estimate"]
    assert ax.get_yticklabels()[0].get_text() == "s0"
    assert ax.get_xlabel() == "effect"  # no measure given


def test_forest_plot_marks_studies_without_an_estimate():
    res = meta_mantel_haenszel([2, 0, 5, 3], [20, 15, 30, 25], [6, 0, 9, 4], [21, 14, 30, 24])
    ax = forest_plot(res)
    assert len(_squares(ax)) == 3
    assert "not estimable" in [t.get_text() for t in ax.texts]
    assert "Mantel-Haenszel" in ax.get_title() and ax.get_xlabel() == "log odds ratio"


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"labels": ["a", "b"]}, ValueError, "`labels` has 2 entries"),
        ({"labels": "abc"}, TypeError, "`labels` must be a sequence"),
        ({"transform": "exp"}, TypeError, "`transform` must be callable"),
        ({"ax": "axes"}, TypeError, "`ax` must be a matplotlib Axes"),
        ({"show_prediction": 1}, TypeError, "`show_prediction` must be True or False"),
    ],
)
def test_forest_plot_bad_input(reml, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        forest_plot(reml, **kwargs)


def test_plots_reject_other_results(rr):
    for func in (forest_plot, funnel_plot):
        with pytest.raises(TypeError, match=r"`result` of .* must be a MetaAnalysisResult"):
            func(egger_test(rr["effect"], rr["variance"]))


# ----------------------------------------------------------------------------- funnel_plot
def test_funnel_plot_points_region_and_egger_line(reml):
    ax = funnel_plot(reml)
    assert isinstance(ax, Axes)
    assert ax.get_ylabel() == "standard error" and ax.get_xlabel() == "log risk ratio"
    bottom, top = ax.get_ylim()
    assert bottom > top == 0.0  # standard error 0 at the top
    offsets = _squares(ax)
    np.testing.assert_allclose(offsets[:, 0], reml.effects)
    np.testing.assert_allclose(offsets[:, 1], np.sqrt(reml.variances))
    test = egger_test(reml.effects, reml.variances)
    assert f"Egger's test: p = {test.pvalue:.3g}" in ax.get_title()
    lines = {line.get_label(): line for line in ax.get_lines()}
    egger = next(v for k, v in lines.items() if k.startswith("Egger's line"))
    x, y = egger.get_xdata(), egger.get_ydata()
    limit = test.details["limit_estimate"].estimate
    np.testing.assert_allclose(x, limit + test.estimate.estimate * y)
    region = lines["95% pseudo-confidence region"]
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(region.get_xdata(), reml.estimate.estimate + z * region.get_ydata())


def test_funnel_plot_contours_and_options(reml):
    ax = funnel_plot(reml, contours=(0.99, 0.9, 0.95), egger=False)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["0.05 < p < 0.1", "0.01 < p < 0.05", "p < 0.01"]
    assert "Egger" not in ax.get_title()
    assert not any(lbl.startswith("Egger") for lbl in labels)


def test_funnel_plot_skips_egger_with_two_studies():
    res = meta_analysis([0.1, 0.4], [0.02, 0.05])
    ax = funnel_plot(res)
    assert "Egger" not in ax.get_title()


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"contours": (0.9, 1.2)}, ValueError, "`confidence_level` must be in"),
        ({"contours": 0.95}, TypeError, "`contours` must be a sequence"),
        ({"refline": np.nan}, ValueError, "`refline` must be finite"),
        ({"refline": "0"}, TypeError, "`refline` must be a real number"),
        ({"egger": "yes"}, TypeError, "`egger` must be True or False"),
        ({"ax": 3}, TypeError, "`ax` must be a matplotlib Axes"),
    ],
)
def test_funnel_plot_bad_input(reml, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        funnel_plot(reml, **kwargs)


def test_plots_do_not_modify_the_result(reml):
    effects, weights = reml.effects.copy(), reml.weights.copy()
    forest_plot(reml, transform=np.exp)
    funnel_plot(reml, contours=(0.9, 0.95))
    pd.testing.assert_series_equal(reml.effects, effects)
    pd.testing.assert_series_equal(reml.weights, weights)
