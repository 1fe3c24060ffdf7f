"""docs/guide/coming_from.md: the statcraft code runs and the page's claims hold.

The page's executed blocks (``exec="on"``, run by markdown-exec when the site is built) compute
each quantity with statcraft and with scipy, statsmodels, arch or scikit-learn. They run here
in one namespace, as at build time, and every agreement the page states is checked to 1e-10 or
better, every difference it states is checked to be there. The pingouin, bambi and lifelines
blocks are those libraries' own documented calls, shown and never run (none is installed).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

PAGE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "coming_from.md"
FENCE = re.compile(r"^```python([^\n]*)\n(.*?)^```", flags=re.S | re.M)


def _fences() -> list[tuple[str, str]]:
    return FENCE.findall(PAGE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page() -> tuple[dict[str, Any], str]:
    """Run the page's executed blocks in one namespace (markdown-exec's session)."""
    namespace: dict[str, Any] = {"__name__": "docs_coming_from"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for attrs, code in _fences():
            if 'exec="on"' in attrs:
                assert 'session="coming_from"' in attrs
                exec(compile(code, str(PAGE), "exec"), namespace)
    plt.close("all")
    return namespace, out.getvalue()


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-15)


def test_only_the_uninstalled_libraries_are_shown_unexecuted():
    shown = [code for attrs, code in _fences() if 'exec="on"' not in attrs]
    assert len(shown) == 3
    for code, library in zip(shown, ("pingouin", "bambi", "lifelines"), strict=True):
        assert f"import {library}" in code or f"from {library}" in code
    # every other block (statcraft's side and the installed libraries') is run at build time
    assert sum('exec="on"' in attrs for attrs, _ in _fences()) >= 15


def test_scipy_welch_and_student(page):
    ns, out = page
    welch, welch_scipy, student = ns["welch"], ns["welch_scipy"], ns["student_scipy"]
    assert close(welch.statistic, welch_scipy.statistic)
    assert close(welch.pvalue, welch_scipy.pvalue)
    assert close(welch.df, welch_scipy.df)
    # "can fall on either side of 0.05"
    assert welch.pvalue < 0.05 < student.pvalue
    ci = welch_scipy.confidence_interval()
    assert close(welch.estimate.confidence_interval.low, ci.low, 1e-10)
    assert close(welch.estimate.confidence_interval.high, ci.high, 1e-10)
    assert len(welch.to_frame()) == 1
    assert "Welch Two Sample t-test" in out


def test_scipy_rank_tests_differ_as_stated(page):
    ns, _ = page
    mw, mw_normal, mw_scipy = ns["mw"], ns["mw_normal"], ns["mw_scipy"]
    assert mw.statistic == mw_scipy.statistic  # W is scipy's U for x
    assert mw.details["exact"] and mw.details["ties"]
    assert close(mw_normal.pvalue, mw_scipy.pvalue)  # scipy = the normal approximation
    assert abs(mw.pvalue - mw_scipy.pvalue) > 0.01  # the exact p-value differs

    d = np.asarray(ns["d"])
    wx, wx_scipy_way, wx_scipy = ns["wx"], ns["wx_scipy_way"], ns["wx_scipy"]
    assert d.size > 13 and (d == 0).sum() == 1  # scipy goes asymptotic; there is a zero
    ranks = stats.rankdata(np.abs(d))  # Pratt: the zero is ranked, then dropped
    assert wx.statistic == ranks[d > 0].sum()  # V = T+
    assert wx_scipy.statistic < wx.statistic  # scipy's min(T+, T-)
    assert wx.details["exact"] and wx.details["zero_method"] == "pratt"
    assert close(wx_scipy_way.pvalue, wx_scipy.pvalue)
    # the difference the page shows: exact above 0.05, scipy's normal approximation below
    assert wx_scipy.pvalue < 0.05 < wx.pvalue


def test_scipy_correlation_statistic_is_t(page):
    ns, _ = page
    cor, cor_scipy = ns["cor"], ns["cor_scipy"]
    r = cor_scipy.statistic
    assert close(cor.estimate.estimate, r)
    assert close(cor.pvalue, cor_scipy.pvalue, 1e-10)
    assert close(cor.statistic, r * math.sqrt(cor.df / (1 - r**2)), 1e-10)


def test_scipy_bootstrap_agrees_to_monte_carlo_error(page):
    ns, _ = page
    ours, theirs = ns["boot"].confidence_interval, ns["boot_scipy"].confidence_interval
    width = theirs.high - theirs.low
    assert abs(ours.low - theirs.low) < 0.1 * width
    assert abs(ours.high - theirs.high) < 0.1 * width
    assert abs(ns["boot"].std_error / ns["boot_scipy"].standard_error - 1) < 0.1


def test_nan_is_an_error(page):
    ns, out = page
    assert "scipy: nan" in out
    assert "nan_policy='omit'" in ns["nan_message"]


def test_statsmodels_hac(page):
    ns, _ = page
    hac, hac_sm, hac_sm_t = ns["hac"], ns["hac_sm"], ns["hac_sm_t"]
    coef = hac.coefficients
    np.testing.assert_allclose(coef["estimate"], hac_sm.params, rtol=1e-10)
    np.testing.assert_allclose(coef["std_error"], hac_sm.bse, rtol=1e-10)
    np.testing.assert_allclose(coef["pvalue"], hac_sm_t.pvalues, rtol=1e-10)
    # statsmodels' default (normal) p-values are not statcraft's (t)
    assert np.all(np.abs(coef["pvalue"].to_numpy() - hac_sm.pvalues.to_numpy()) > 1e-5)
    assert np.isnan(ns["sm"].OLS(ns["y_gap"], ns["sm"].add_constant(ns["X"])).fit().params).all()
    np.testing.assert_allclose(ns["dropped"], ns["dropped_sm"], rtol=1e-10)
    n = len(ns["y_ts"])
    assert hac.details["maxlags"] == 4
    assert ns["sc"].ols(ns["X"], ns["y_ts"], cov_type="HAC").details["maxlags"] == math.floor(
        4 * (n / 100) ** (2 / 9)
    )


def test_statsmodels_rlm_standard_errors_differ_slightly(page):
    ns, _ = page
    rlm, rlm_sm = ns["rlm"], ns["rlm_sm"]
    np.testing.assert_allclose(rlm.coefficients["estimate"], rlm_sm.params, rtol=1e-4)
    ratio = rlm.coefficients["std_error"].to_numpy() / rlm_sm.bse.to_numpy()
    assert np.all((ratio > 1.0005) & (ratio < 1.01))  # "a little different"


def test_statsmodels_sample_size(page):
    ns, _ = page
    size, size_strict, size_sm = ns["size"], ns["size_strict"], ns["size_sm"]
    assert size.n == math.ceil(size_sm) == 64
    assert size.power >= 0.8
    assert abs(size_strict.n_exact - size_sm) < 1e-5  # statsmodels counts both tails
    # the one-tail root moves in the sixth significant digit
    assert 1e-6 < abs(size.n_exact - size_sm) / size_sm < 1e-5


def test_statsmodels_residual_tests(page):
    ns, _ = page
    assert close(ns["lb"].statistic, ns["lb_sm"]["lb_stat"].iloc[0], 1e-10)
    assert close(ns["lm_raw"], ns["lm_sm"], 1e-10)
    assert abs(ns["lm_demeaned"] - ns["lm_sm"]) > 0.1


def test_pingouin_published_values(page):
    ns, _ = page
    sc = ns["sc"]
    one = ns["one"]
    d = sc.cohens_d(ns["xp"], mu=4).estimate
    n = len(ns["xp"])
    assert round(d, 2) == 0.62  # pingouin.ttest's cohen_d on its own example
    df = n - 1  # Hedges' g: d times the exact small-sample factor J(df)
    j = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    assert close(one.effect_size.estimate, d * j, 1e-10)
    paired = ns["paired"]
    assert round(paired.statistic, 3) == -5.902 and paired.df == 3  # pingouin's T, one pair dropped
    one_sided = ns["one_sided"]
    assert round(one_sided.n_exact, 4) == 50.1508 and one_sided.n == 51  # pingouin.power_ttest
    np.testing.assert_allclose(ns["bh"], [0.5, 0.0075, 0.4, 0.09, 0.0015], rtol=1e-12)


def test_arch_block_length_and_bootstrap(page):
    ns, _ = page
    blocks, blocks_arch = ns["blocks"], ns["blocks_arch"]
    assert close(blocks.stationary, blocks_arch["stationary"].iloc[0], 1e-10)
    assert close(blocks.circular, blocks_arch["circular"].iloc[0], 1e-10)
    ours, theirs = ns["block_boot"].confidence_interval, ns["arch_ci"][:, 0]
    width = theirs[1] - theirs[0]
    assert abs(ours.low - theirs[0]) < 0.15 * width
    assert abs(ours.high - theirs[1]) < 0.15 * width


def test_bambi_section(page):
    ns, _ = page
    bayes = ns["bayes"]
    (warning,) = ns["scale_warning"]
    assert issubclass(warning.category, bayes.PriorScaleWarning)
    assert "standardize=True" in str(warning.message)
    assert ns["diabetes"]["target"].std() > 10  # "in the tens"
    scaled = ns["scaled"]
    assert scaled.convergence.passed
    posterior = ns["posterior"]
    gap = (posterior["mean"] - posterior["ols estimate"]).abs()
    assert (gap < posterior["sd"]).all()  # "next to the least-squares estimates"


def test_lifelines_bands_log_rank_and_cox(page):
    ns, out = page
    bands = ns["bands"]
    np.testing.assert_allclose(bands["S(t)"], bands["S(t) scipy"], rtol=1e-12)
    np.testing.assert_allclose(bands["log-log low"], bands["scipy low"], rtol=1e-10)
    np.testing.assert_allclose(bands["log-log high"], bands["scipy high"], rtol=1e-10)
    assert (np.abs(bands["log low (default)"] - bands["log-log low"]) > 1e-3).all()
    assert ns["km"].conf_type == "log"
    assert 0.001 < ns["gap"] < 0.05  # "moves the limits by little"
    shift = ns["km_loglog"].to_frame()["ci_low"] - ns["km"].to_frame()["ci_low"]
    assert (shift.dropna() < 0).all()  # "the log-log band sits lower all along"
    # R: survfit(Surv(time, status) ~ 1, data = lung) prints median 310, 0.95LCL 285, UCL 363
    median = ns["km"].median
    assert (median.estimate, *median.confidence_interval) == (310, 285, 363)
    assert close(ns["lr"].statistic, ns["lr_scipy"].statistic ** 2, 1e-10)
    assert close(ns["lr"].pvalue, ns["lr_scipy"].pvalue, 1e-10)
    cox, cox_sm = ns["cox"], ns["cox_sm"]
    np.testing.assert_allclose(cox.coefficients["estimate"], cox_sm.params, rtol=1e-6)
    np.testing.assert_allclose(cox.coefficients["std_error"], cox_sm.bse, rtol=1e-6)
    assert "status - 1" in ns["status_message"]
    assert "<svg" in out and "two kinds of band" in out


def test_scikit_learn_scores_and_splits(page):
    ns, _ = page
    sc, y_true, prob, q90 = ns["sc"], ns["y_true"], ns["prob"], ns["q90"]
    assert close(sc.brier_score(y_true, prob).score, ns["brier_score_loss"](y_true, prob))
    assert close(sc.log_score(y_true, prob), ns["log_loss"](y_true, prob))
    assert close(
        sc.pinball_loss(y_true, q90, quantile_level=0.9),
        ns["mean_pinball_loss"](y_true, q90, alpha=0.9),
    )
    assert ns["same_kfold"] and ns["same_walk"]
