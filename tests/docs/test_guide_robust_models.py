"""Run the code of docs/guide/robust_models.md and check what its prose claims.

The page's ``python exec="on"`` blocks run when the site is built (markdown-exec, one shared
session). Here they run in order in one namespace, as the build runs them, and each test below
asserts a statement the text makes about the numbers, so the prose cannot drift from them.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "robust_models.md"
FENCE = re.compile(r"```python ([^\n]*)\n(.*?)```", flags=re.S)


def executed_blocks(text: str) -> list[tuple[str, str]]:
    """The (fence options, code) of every block that markdown-exec runs."""
    return [(opts, code) for opts, code in FENCE.findall(text) if 'exec="on"' in opts]


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    """Run every executed block in order in one namespace; keep the text and SVG output."""
    blocks = executed_blocks(GUIDE.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "robust_models_page"}
    text_out, figures = [], []
    for opts, code in blocks:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, str(GUIDE), "exec"), namespace)
        (figures if 'html="1"' in opts else text_out).append(buf.getvalue())
    plt.close("all")
    namespace["_text"] = "\n".join(text_out)
    namespace["_figures"] = figures
    return namespace


def test_page_structure():
    text = GUIDE.read_text(encoding="utf-8")
    blocks = executed_blocks(text)
    assert len(blocks) >= 20
    # every executed block shares the page's session, so variables flow between them
    assert all('session="robust"' in opts for opts, _ in blocks)
    # every section links the reference and a case study
    for heading in [
        "## Choosing intervals",
        "## Robust estimators and likelihoods",
        "## Multiple testing",
        "## Leakage: walk-forward and purged cross-validation",
        "## Regularisation: penalties and priors",
        "## Scoring rules and calibration",
        "## Convergence diagnostics, and what to do when the gate fails",
        "## Reporting frequentist and Bayesian answers side by side",
    ]:
        assert heading in text
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        assert "](../reference/" in section, heading
        assert "](../case-studies/" in section, heading


def test_figures_are_inline_svg(page):
    figures = page["_figures"]
    assert len(figures) >= 4
    for svg in figures:
        assert svg.lstrip().startswith("<svg")
        assert svg.rstrip().endswith("</svg>")


def test_intervals(page):
    skew = page["skew_coverage"]
    # all four fall short of 95%; BCa no worse than percentile; studentized does best
    assert (skew < 0.95).all()
    assert skew["bca"] >= skew["percentile"]
    assert skew["studentized"] == skew.max()
    widths = page["widths"]
    # the block bootstraps' standard errors are several times the iid one, and they agree
    assert widths.loc["stationary", "std_error"] > 3 * widths.loc["iid", "std_error"]
    assert widths.loc["circular", "std_error"] > 3 * widths.loc["iid", "std_error"]
    assert widths.loc["stationary", "width"] > widths.loc["iid", "width"]
    assert widths.loc["circular", "width"] > widths.loc["iid", "width"]
    ratio = widths.loc["stationary", "width"] / widths.loc["circular", "width"]
    assert 0.75 < ratio < 1.33
    # autocorrelation of |returns| still clearly positive after many weeks (lag 50)
    assert page["acf"][49] > 2 / np.sqrt(len(page["abs_r"]))
    ar = page["ar_coverage"]
    # iid misses far more than 5%; stationary much closer, but still short
    assert ar["iid"] < 0.8
    assert ar["stationary"] > ar["iid"] + 0.1
    assert ar["stationary"] < 0.95


def test_robust_estimators(page):
    loc = page["location"]
    # three slips drag the mean far from 10 and blow up its interval
    assert abs(loc.loc["mean", "with slips"] - 10) > 3
    assert loc.loc["mean", "slips CI width"] > 10 * loc.loc["mean", "clean CI width"]
    # the robust estimates barely move
    for name in loc.index.drop("mean"):
        assert abs(loc.loc[name, "with slips"] - loc.loc[name, "clean"]) < 0.1, name
    # on clean data the median's interval is the widest; trimmed and Huber close to the mean's
    assert loc["clean CI width"].idxmax() == "median"
    for name in ["20% trimmed mean", "Huber M-estimate"]:
        assert loc.loc[name, "clean CI width"] < 1.2 * loc.loc["mean", "clean CI width"]
    scale = page["scale"]
    assert (
        scale.loc["standard deviation", "with slips"]
        > 10 * scale.loc["standard deviation", "clean"]
    )
    for name in ["MAD (normalised)", "Qn"]:
        assert scale.loc[name, "with slips"] < 1.25 * scale.loc[name, "clean"]


def test_robust_regression(page):
    slopes = page["slopes"]
    # OLS's interval does not contain 2; the M-estimates recover a slope near 2
    assert not slopes.loc["OLS", "ci_low"] <= 2 <= slopes.loc["OLS", "ci_high"]
    for name in ["Huber M", "bisquare M"]:
        assert abs(slopes.loc[name, "estimate"] - 2) < 0.1
    summary = page["robust_bayes"].summary()
    assert page["robust_bayes"].convergence.passed
    # the Student-t posterior slope agrees with the M-estimates; nu at Cauchy-like values
    assert abs(summary.loc["beta[x]", "mean"] - slopes.loc["Huber M", "estimate"]) < 0.15
    assert summary.loc["nu", "hdi_high"] < 3  # Cauchy-like tails


def test_multiple_testing(page):
    table = page["multiplicity"]
    # unadjusted: about a third of discoveries false
    assert 0.2 < table.loc["none", "false"] / table.loc["none", "discoveries"] < 0.45
    # Bonferroni and Holm: no false discovery, fewest real effects; BH finds many more
    assert table.loc["bonferroni", "false"] == 0 and table.loc["holm", "false"] == 0
    assert table.loc["holm", "discoveries"] >= table.loc["bonferroni", "discoveries"]
    assert table.loc["BH", "real effects found"] > 1.5 * table.loc["holm", "real effects found"]
    assert 0 < table.loc["BH", "false"] <= 2  # an occasional false one
    found = table["real effects found"]
    assert found["holm"] <= found["BY"] <= found["BH"]  # BY in between
    alphas = page["alphas"]
    # four unadjusted p-values below 0.05, between 0.02 and 0.04; none survives adjustment
    raw = alphas["p"]
    assert (raw < 0.05).sum() == 4
    assert raw[raw < 0.05].between(0.02, 0.04).all()
    assert (alphas[["holm", "BH", "BY"]] >= 0.05).all().all()


def test_deflated_sharpe(page):
    # the luckiest noise strategy looks significant against 0, not after deflation
    assert page["psr_noise"].pvalue < 0.05
    assert page["dsr_noise"].pvalue > 0.2
    # the best industry: certainly positive, not distinguishable from the luckiest of 12
    assert page["psr_best"].pvalue < 1e-4
    assert page["dsr_best"].pvalue > 0.1


def test_leakage(page):
    leak = page["leak"]
    # shuffled K-fold: error cut by more than half; the honest splitters: worse than the mean
    assert leak["shuffled K-fold"] < 0.5
    assert leak["walk-forward"] > 1.0
    assert leak["purged K-fold"] > 1.0


def test_regularisation(page):
    coefs = page["coefs"]
    assert page["gaussian_prior"].convergence.passed
    # ridge with lambda = sigma^2 / tau^2 equals the posterior mean to Monte Carlo error
    gap = (coefs["ridge, that lambda"] - coefs["posterior mean"]).abs()
    assert gap.max() < 0.02
    # the coefficients that move most are those of s1 and s2: strongly correlated, large and
    # of opposite signs by least squares
    moved = (coefs["least squares"] - coefs["ridge, that lambda"]).abs()
    assert set(moved.nlargest(2).index) == {"s1", "s2"}
    assert coefs.loc["s1", "least squares"] * coefs.loc["s2", "least squares"] < 0
    assert coefs.loc[["s1", "s2"], "least squares"].abs().min() > 0.25
    z = page["Z"]
    assert np.corrcoef(z["s1"], z["s2"])[0, 1] > 0.8
    # the cross-validated error is almost flat at small/moderate penalties, then rises
    table = page["tuned"].table
    best = table["squared_error"].min()
    assert (table.loc[table["lam"] <= 10, "squared_error"] < 1.005 * best).all()
    assert table.loc[table["lam"] == table["lam"].max(), "squared_error"].iloc[0] > 1.2 * best
    share = page["share"]
    # nearly half of the horseshoe's draws practically zero; the normal's almost never
    assert 0.35 < share.loc["regularised horseshoe", "|beta| < 0.01"] < 0.5
    assert share.loc["normal(0, 2.5)", "|beta| < 0.01"] < 0.01
    assert share.loc["regularised horseshoe", "|beta| > 1"] > 0.01
    assert share.loc["normal(0, 2.5)", "|beta| > 1"] > 0.5


def test_scores(page):
    scores = page["scores"]
    fixed, ewma, student = scores.index
    # both normal forecasts cover close to 90%
    assert abs(scores.loc[fixed, "90% coverage"] - 0.9) < 0.015
    assert abs(scores.loc[ewma, "90% coverage"] - 0.9) < 0.015
    # every score prefers the EWMA normal to the fixed window
    for column in ["log score", "CRPS", "interval score"]:
        assert scores.loc[ewma, column] < scores.loc[fixed, column], column
    assert page["dm"].pvalue < 1e-3
    # fixed window: too wide on calm days, too narrow on turbulent ones
    cover = page["window_coverage"]
    assert cover["calmest third"] > 0.95 and cover["stormiest third"] < 0.85
    # the Student-t: best log score, coverage below nominal and below both normals
    assert scores["log score"].idxmin() == student
    assert scores.loc[student, "90% coverage"] < 0.89
    assert scores.loc[student, "90% coverage"] < scores.loc[[fixed, ewma], "90% coverage"].min()
    # PIT shapes: hump (fixed), close to flat (EWMA), raised outer bins (Student-t)
    from statcraft import evaluation as ev

    counts = {
        name: np.histogram(ev.pit_values(page["y_day"], f), bins=10, range=(0, 1))[0]
        for name, f in page["forecasts"].items()
    }
    expected = len(page["y_day"]) / 10
    assert counts[fixed][4:6].mean() > 1.2 * expected
    assert counts[fixed][[0, -1]].max() < expected
    assert counts[student][[0, -1]].min() > expected
    deviation = {name: np.abs(c / expected - 1).max() for name, c in counts.items()}
    assert deviation[ewma] < deviation[fixed]


def test_calibration(page):
    calib = page["calib"]
    # the weak penalty's log score is several times the tuned model's
    assert calib.loc["weak penalty", "log score"] > 2.5 * calib.loc["tuned penalty", "log score"]
    assert calib.loc["weak penalty", "Brier"] > calib.loc["tuned penalty", "Brier"]
    for label, bins in page["end_bins"].items():
        # the end bins hold most patients
        assert bins["n"].sum() > 0.8 * len(page["malignant"])
        inside = (bins["ci_low"] <= bins["mean_predicted"]) & (
            bins["mean_predicted"] <= bins["ci_high"]
        )
        if label == "weak penalty":
            assert bins["mean_predicted"].iloc[0] < 0.01 and bins["mean_predicted"].iloc[1] > 0.99
            assert not inside.any()  # the Wilson interval excludes the forecasts
        else:
            assert inside.all()
    # a handful of confident mistakes carry most of the weak model's log score, each with a
    # probability of the order of e^-20 for what happened
    assert page["worst_share"]["weak penalty"] > 0.5
    assert page["worst_share"]["weak penalty"] > page["worst_share"]["tuned penalty"]
    from statcraft import evaluation as ev

    loss = ev.log_score(page["malignant"], page["prob"]["weak penalty"], reduce="none")
    assert np.sort(loss)[-4:].min() > 15


def test_convergence_gate(page):
    report = page["centred_report"]
    assert not report.passed
    # the problems all concern tau: low ESS, divergences, E-BFMI below 0.3 in both chains
    table = report.to_frame()
    assert set(table.loc[~table["ok"], "element"]) == {"tau"}
    text = " ".join(report.problems)
    assert "ESS" in text and "tau" in text
    assert report.divergences > 0
    assert len(report.bfmi) == 2 and max(report.bfmi) < 0.3
    assert page["noncentred"].convergence.passed


def test_side_by_side(page):
    table = page["side_by_side"]
    # all three intervals exclude zero (beta-blockers reduce the odds of death)
    assert (table["95% high"] < 0).all()
    assert (table["pooled log OR"] < 0).all()
    # HKSJ barely changes the Wald interval here
    wald = table.loc["REML (Wald)", "95% high"] - table.loc["REML (Wald)", "95% low"]
    hksj = table.loc["REML + HKSJ", "95% high"] - table.loc["REML + HKSJ", "95% low"]
    assert abs(hksj / wald - 1) < 0.05
    # both predictive intervals reach past zero, the Bayesian one further
    reml_high = page["reml"].prediction_interval.high
    bayes_high = page["pooled"].loc["theta_new", "hdi_high"]
    assert reml_high > 0 and bayes_high > reml_high
