"""PowerResult.plot (the power curve) and simulate_power's progress bar.

The curve is checked against statsmodels' TTestIndPower (an independent noncentral-t power) and
R's power.t.test; the marks against the result they come from.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from statsmodels.stats.power import TTestIndPower
from tests._progress_recorder import Recorder

import statcraft as sc


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_sample_size_plot_is_the_power_curve_with_target_and_solution():
    res = sc.sample_size_ttest(0.5, power=0.8, strict=True)
    ax = res.plot()
    curve, target, solution, point = ax.lines
    n, pw = curve.get_xdata(), curve.get_ydata()
    assert n[0] == 2 and n[-1] == 2 * res.n  # from 2 to twice the solution
    # statsmodels counts both tails, as strict=True does
    ref = TTestIndPower().power(effect_size=0.5, nobs1=n, alpha=0.05, ratio=1.0)
    np.testing.assert_allclose(pw, ref, rtol=1e-6, atol=1e-9)
    assert np.all(np.diff(pw) > 0)
    np.testing.assert_allclose(target.get_ydata(), [0.8, 0.8])
    np.testing.assert_allclose(solution.get_xdata(), [res.n, res.n])
    assert (point.get_xdata()[0], point.get_ydata()[0]) == (res.n, pytest.approx(res.power))
    exact = TTestIndPower().solve_power(effect_size=0.5, power=0.8, alpha=0.05)
    assert res.n_exact == pytest.approx(exact, rel=1e-5) and res.n == 64
    assert ax.get_xlabel() == "sample size per group"
    assert ax.get_ylabel() == "power"
    assert ax.get_title().startswith("Two-sample t test power calculation")
    assert _legend(ax) == ["power", "target power 0.8", f"solution n = 64 (power {res.power:.3f})"]


def test_power_at_given_n_has_no_target_line():
    res = sc.power_ttest(20, 1.0, kind="paired")
    ax = res.plot()
    assert len(ax.lines) == 3  # curve, the given n, its point
    assert ax.get_xlabel() == "number of pairs"
    assert _legend(ax) == ["power", f"n = 20 (power {res.power:.3f})"]
    # R: power.t.test(n = 20, delta = 1) gives 0.8689528 for two samples
    f = sc.power_ttest(20, 1.0).power_function()
    assert f(20) == pytest.approx(0.8689528, abs=5e-8)


def test_effect_curve_of_proportions():
    res = sc.sample_size_proportions(0.5, 0.75, power=0.9)
    ax = res.plot(against="effect")
    curve = ax.lines[0]
    p2, pw = curve.get_xdata(), curve.get_ydata()
    assert p2.min() > 0 and p2.max() < 1
    # at p2 = p1 the (non-strict, two-sided) power is Phi(-z_{1-alpha/2}) = alpha/2 exactly
    assert res.power_function(against="effect")(0.5) == pytest.approx(0.025, abs=1e-12)
    assert pw.min() == pytest.approx(0.025, abs=2e-3)
    assert ax.lines[2].get_xdata()[0] == 0.75
    assert ax.get_xlabel() == "true proportion p2 (p1 = 0.5)"
    assert _legend(ax)[1:] == ["target power 0.9", f"p2 = 0.75 (power {res.power:.3f})"]


def test_effect_curve_of_a_t_test_and_given_axes():
    res = sc.power_ttest(30, 0.6)
    _fig, given = plt.subplots()
    out = res.plot(ax=given, against="effect")
    assert out is given
    delta = given.lines[0].get_xdata()
    assert (delta[0], delta[-1]) == (0.0, 1.2)
    assert given.get_xlabel() == "true difference in means delta (sd = 1)"
    with pytest.raises(ValueError, match="against"):
        res.plot(against="alpha")


def _generate(n, rng):
    return rng.normal(0.0, 1.0, n), rng.normal(1.0, 1.0, n)


def test_simulate_power_progress_by_chunks(monkeypatch, capfd):
    Recorder.made = []
    # the module simulate_power runs in (a doctest run may import a second copy of the file)
    monkeypatch.setitem(sc.simulate_power.__globals__, "Progress", Recorder)
    a = sc.simulate_power(sc.ttest, _generate, 10, n_simulations=250, rng=3)
    (bar,) = Recorder.made
    assert (bar.total, bar.completed, bar.steps) == (250, 250, 125)  # chunks of 2 (1%)
    assert capfd.readouterr() == ("", "")  # None: never drawn under pytest
    b = sc.simulate_power(sc.ttest, _generate, 10, n_simulations=250, rng=3, progress=True)
    out, err = capfd.readouterr()
    assert out == "" and err != ""
    assert a == b  # same seed, same answer, bar or not
    with pytest.raises(TypeError, match="progress must be None, True or False"):
        sc.simulate_power(sc.ttest, _generate, 10, n_simulations=5, progress="on")
