"""Run every code block of docs/guide/health.md, as the site build does, and check its prose.

The guide quotes published reference values (metafor's documented output, R's ``coxph`` and
``cox.zph``) beside the outputs the site prints; the numbers here are those reference values.
"""

import pytest
from tests.docs._pages import run_page


def test_guide_code_runs_and_says_what_it_computes(capsys) -> None:
    ns = run_page("guide/health.md", min_blocks=12)
    out = capsys.readouterr().out
    assert out.count("<svg") >= 4  # ROC curves, forest plot, funnel plot, Kaplan-Meier
    # most positives are false at 5% prevalence
    assert ns["screening"].ppv.estimate < 0.5 < ns["acc"].ppv.estimate
    # metafor: rma(yi, vi, data = dat) and predict(res)
    assert ns["re"].estimate.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert ns["re"].tau2.estimate == pytest.approx(0.3132, abs=5e-5)
    assert ns["re"].i2.estimate == pytest.approx(92.22, abs=5e-3)
    assert tuple(ns["re"].prediction_interval) == pytest.approx((-1.87, 0.44), abs=5e-3)
    assert ns["re"].prediction_interval.high > 0  # "a new trial may show no benefit"
    # metafor: rma(yi, vi, mods = ~ ablat, data = dat)
    assert ns["mr"].coefficients.loc["latitude", "estimate"] == pytest.approx(-0.0291, abs=5e-5)
    assert ns["mr"].r_squared == pytest.approx(75.62, abs=0.015)
    # the funnel: one hospital outside the 99.8% limits, more spread than binomial
    assert ns["fl"].table.loc[ns["fl"].table["flag_99.8"] != "within", "provider"].tolist() == ["H"]
    assert ns["fl"].phi > 1 and ns["fl"].dispersion_test.pvalue < 0.01
    # R: coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung) and cox.zph
    assert ns["cox"].likelihood_ratio_test.statistic == pytest.approx(30.5, abs=0.05)
    assert ns["ph"].table.loc["GLOBAL", "p"] == pytest.approx(0.22, abs=5e-3)
