"""Tests of statcraft.hypothesis_tests.power against R's power.t.test / power.prop.test,
statsmodels and simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

import statcraft as sc
from statcraft.hypothesis_tests.power import PowerResult

# ------------------------------------------------------------------ t-tests


def test_power_ttest_r_example():
    # R: power.t.test(n = 20, delta = 1) -> power = 0.8689528
    res = sc.power_ttest(20, 1.0)
    assert isinstance(res, PowerResult)
    assert res.power == pytest.approx(0.8689528, abs=5e-8)
    assert res.n == 20 and res.n_exact == 20
    assert res.method == "Two-sample t test power calculation"
    assert res.target_power is None


def test_sample_size_ttest_r_examples():
    # R: power.t.test(power = .90, delta = 1) -> n = 22.02110
    # (R's uniroot tolerance is ~1.2e-4, so R's last printed digits are not all exact)
    res = sc.sample_size_ttest(1.0, power=0.9)
    assert res.n_exact == pytest.approx(22.02110, abs=2e-4)
    assert res.n == 23
    assert res.power >= 0.9
    assert sc.power_ttest(22, 1.0).power < 0.9  # 23 is the smallest whole n
    assert res.target_power == 0.9
    # R: power.t.test(power = .90, delta = 1, alternative = "one.sided") -> n = 17.84713
    one = sc.sample_size_ttest(1.0, power=0.9, alternative="greater")
    assert one.n_exact == pytest.approx(17.84713, abs=2e-4)
    # statsmodels solves the same one-sided equation independently
    sm = TTestIndPower().solve_power(effect_size=1.0, alpha=0.05, power=0.9, alternative="larger")
    assert one.n_exact == pytest.approx(sm, rel=1e-6)


@pytest.mark.parametrize(("n", "delta", "sd"), [(20, 1.0, 1.0), (8, 0.5, 2.0), (50, -0.3, 1.0)])
def test_strict_two_sample_equals_statsmodels(n, delta, sd):
    # statsmodels counts both rejection tails, i.e. R's strict = TRUE
    ref = TTestIndPower().power(effect_size=delta / sd, nobs1=n, alpha=0.05, ratio=1.0)
    got = sc.power_ttest(n, delta, sd=sd, strict=True).power
    assert got == pytest.approx(ref, rel=1e-9)
    # the non-strict power drops the opposite tail, which is tiny but positive
    assert sc.power_ttest(n, delta, sd=sd).power < got


@pytest.mark.parametrize("kind", ["one-sample", "paired"])
def test_one_sample_and_paired_equal_statsmodels(kind):
    ref = TTestPower().power(effect_size=0.6, nobs=15, alpha=0.01, alternative="two-sided")
    got = sc.power_ttest(15, 0.6, alpha=0.01, kind=kind, strict=True).power
    assert got == pytest.approx(ref, rel=1e-9)
    ref1 = TTestPower().power(effect_size=0.6, nobs=15, alpha=0.05, alternative="larger")
    assert sc.power_ttest(15, 0.6, kind=kind, alternative="greater").power == pytest.approx(
        ref1, rel=1e-9
    )
    n = sc.sample_size_ttest(0.6, power=0.8, kind=kind, alternative="greater").n_exact
    ref_n = TTestPower().solve_power(effect_size=0.6, alpha=0.05, power=0.8, alternative="larger")
    assert n == pytest.approx(ref_n, rel=1e-6)


def test_less_mirrors_greater_and_null_power():
    g = sc.power_ttest(12, 0.8, alternative="greater").power
    assert sc.power_ttest(12, -0.8, alternative="less").power == pytest.approx(g, rel=1e-12)
    # at delta = 0: non-strict two-sided power is alpha/2, strict is alpha (R's documentation)
    assert sc.power_ttest(12, 0.0).power == pytest.approx(0.025, rel=1e-10)
    assert sc.power_ttest(12, 0.0, strict=True).power == pytest.approx(0.05, rel=1e-10)


def test_power_ttest_matches_simulation():
    # independent check: rejection rate of scipy's Welch-free Student test on simulated data
    rng = np.random.default_rng(5)
    x = rng.normal(0.0, 1.0, (20000, 10))
    y = rng.normal(0.7, 1.0, (20000, 10))
    rate = np.mean(stats.ttest_ind(x, y, axis=1).pvalue <= 0.05)
    p = sc.power_ttest(10, 0.7, strict=True).power
    assert abs(rate - p) < 4 * math.sqrt(p * (1 - p) / 20000)


def test_tiny_n_reaches_target():
    res = sc.sample_size_ttest(20.0, power=0.8)
    assert res.n == 2 and res.n_exact == 2.0
    assert res.power >= 0.8


def test_ttest_power_bad_input():
    with pytest.raises(ValueError, match="`n` must be at least 2"):
        sc.power_ttest(1, 1.0)
    with pytest.raises(ValueError, match="`sd` must be positive"):
        sc.power_ttest(10, 1.0, sd=0)
    with pytest.raises(ValueError, match="`alpha` must be in"):
        sc.power_ttest(10, 1.0, alpha=1.0)
    with pytest.raises(ValueError, match="`power` must be in"):
        sc.sample_size_ttest(1.0, power=1.0)
    with pytest.raises(ValueError, match="no sample size reaches"):
        sc.sample_size_ttest(0.0)
    with pytest.raises(ValueError, match="no sample size reaches"):
        sc.sample_size_ttest(-0.5, alternative="greater")
    with pytest.raises(ValueError, match="cannot be reached"):
        sc.sample_size_ttest(1e-6, power=0.99)
    with pytest.raises(ValueError, match="`kind`"):
        sc.power_ttest(10, 1.0, kind="two.sample")
    with pytest.raises(ValueError, match="alternative"):
        sc.power_ttest(10, 1.0, alternative="one.sided")
    with pytest.raises(TypeError, match="`delta`"):
        sc.power_ttest(10, "1")
    with pytest.raises(TypeError, match="`strict`"):
        sc.power_ttest(10, 1.0, strict=1)
    with pytest.raises(ValueError, match="`n` must be finite"):
        sc.power_ttest(np.inf, 1.0)


# ------------------------------------------------------------------ proportions


def test_power_proportions_r_example():
    # R: power.prop.test(n = 50, p1 = .50, p2 = .75) -> power = 0.7401659
    res = sc.power_proportions(50, 0.5, 0.75)
    assert res.power == pytest.approx(0.7401659, abs=5e-8)
    assert res.method == "Two-sample comparison of proportions power calculation"
    # symmetric in the two proportions when two-sided
    assert sc.power_proportions(50, 0.75, 0.5).power == pytest.approx(res.power, rel=1e-14)


def test_sample_size_proportions_r_example():
    # R documentation of power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90)
    # "## => n = 76.7"
    res = sc.sample_size_proportions(0.5, 0.75, power=0.9)
    assert round(res.n_exact, 1) == 76.7
    assert res.n == 77
    assert sc.power_proportions(76, 0.5, 0.75).power < 0.9 <= res.power


def _prop_power_by_hand(n, p1, p2, alpha, strict):
    # R's power.prop.test formula, written out independently
    d = abs(p1 - p2)
    pbar = (p1 + p2) / 2
    qu = stats.norm.isf(alpha / 2)
    v = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    up = stats.norm.cdf((math.sqrt(n) * d - qu * math.sqrt(2 * pbar * (1 - pbar))) / v)
    if not strict:
        return up
    return up + stats.norm.sf((math.sqrt(n) * d + qu * math.sqrt(2 * pbar * (1 - pbar))) / v)


@pytest.mark.parametrize("strict", [False, True])
def test_power_proportions_formula(strict):
    for n, p1, p2 in [(30, 0.2, 0.4), (100, 0.6, 0.55), (12, 0.1, 0.7)]:
        got = sc.power_proportions(n, p1, p2, alpha=0.01, strict=strict).power
        assert got == pytest.approx(_prop_power_by_hand(n, p1, p2, 0.01, strict), rel=1e-12)


def test_power_proportions_one_sided():
    # one-sided: z quantile 1 - alpha, signed difference
    n, p1, p2 = 40, 0.7, 0.4
    v = math.sqrt(0.7 * 0.3 + 0.4 * 0.6)
    pooled = math.sqrt(2 * 0.55 * 0.45)
    expected = stats.norm.cdf((math.sqrt(n) * 0.3 - stats.norm.isf(0.05) * pooled) / v)
    assert sc.power_proportions(n, p1, p2, alternative="greater").power == pytest.approx(expected)
    assert sc.power_proportions(n, p2, p1, alternative="less").power == pytest.approx(expected)
    assert sc.power_proportions(n, p1, p2, alternative="less").power < 0.05


def test_proportions_bad_input():
    with pytest.raises(ValueError, match="`p1` must be in"):
        sc.power_proportions(50, 0.0, 0.5)
    with pytest.raises(ValueError, match="`p2` must be in"):
        sc.sample_size_proportions(0.5, 1.5)
    with pytest.raises(ValueError, match="no sample size reaches"):
        sc.sample_size_proportions(0.5, 0.5)
    with pytest.raises(ValueError, match="no sample size reaches"):
        sc.sample_size_proportions(0.3, 0.5, alternative="greater")
    with pytest.raises(ValueError, match="cannot be reached"):
        sc.sample_size_proportions(0.5, 0.5000001, power=0.99)
    with pytest.raises(ValueError, match="`n` must be at least 2"):
        sc.power_proportions(1.5, 0.3, 0.5)


def test_power_result_frame_and_repr():
    res = sc.sample_size_proportions(0.5, 0.75, power=0.9)
    row = res.to_frame()
    assert list(row.columns) == [
        "power", "n", "n_exact", "alpha", "alternative", "target_power", "method",
        "p1", "p2", "strict",
    ]  # fmt: skip
    assert "n = 77" in repr(res)
    assert "<table" in res._repr_html_()
    with pytest.raises(AttributeError):
        res.n = 3  # frozen


# ------------------------------------------------------------------ simulation


def _two_normals(delta):
    def generate(n, rng):
        return rng.normal(0.0, 1.0, n), rng.normal(delta, 1.0, n)

    return generate


def test_simulate_power_agrees_with_analytic():
    est = sc.simulate_power(sc.ttest, _two_normals(1.0), 20, n_simulations=400, rng=3)
    # analytic Welch power is close to the Student power of power.t.test(n = 20, delta = 1)
    analytic = sc.power_ttest(20, 1.0, strict=True).power
    assert abs(est.estimate - analytic) < 4 * math.sqrt(analytic * (1 - analytic) / 400)
    lo, hi = est.confidence_interval
    assert lo < est.estimate < hi
    assert est.n == 400
    assert est.details["rejections"] == round(est.estimate * 400)


def test_simulate_power_size_under_null():
    est = sc.simulate_power(
        lambda x, y: sc.ttest(x, y, equal_var=True), _two_normals(0.0), 15,
        n_simulations=1000, rng=7,
    )  # fmt: skip
    assert 0.03 <= est.estimate <= 0.07


def test_simulate_power_interval_matches_scipy_binomtest():
    est = sc.simulate_power(sc.ttest, _two_normals(0.8), 10, n_simulations=150, rng=11)
    k = est.details["rejections"]
    wilson = stats.binomtest(k, 150).proportion_ci(0.95, method="wilson")
    assert est.confidence_interval.low == pytest.approx(wilson.low, rel=1e-9)
    assert est.confidence_interval.high == pytest.approx(wilson.high, rel=1e-9)
    cp = sc.simulate_power(
        sc.ttest, _two_normals(0.8), 10, n_simulations=150, rng=11, interval="clopper_pearson"
    )
    exact = stats.binomtest(k, 150).proportion_ci(0.95, method="exact")
    assert cp.confidence_interval.low == pytest.approx(exact.low, rel=1e-9)
    assert cp.confidence_interval.high == pytest.approx(exact.high, rel=1e-9)


def test_simulate_power_reproducible_and_argument_shapes():
    a = sc.simulate_power(sc.ttest, _two_normals(0.5), 12, n_simulations=60, rng=42)
    b = sc.simulate_power(sc.ttest, _two_normals(0.5), 12, n_simulations=60, rng=42)
    assert a.estimate == b.estimate
    as_dict = sc.simulate_power(
        sc.ttest, lambda n, rng: {"x": rng.normal(0.5, 1, n)}, 12, n_simulations=30, rng=1
    )
    single = sc.simulate_power(sc.ttest, lambda n, rng: rng.normal(0.5, 1, n), 12,
                               n_simulations=30, rng=1)  # fmt: skip
    assert as_dict.estimate == single.estimate


def test_simulate_power_bad_input():
    gen = _two_normals(0.5)
    with pytest.raises(TypeError, match="`test` must be callable"):
        sc.simulate_power("ttest", gen, 10)
    with pytest.raises(TypeError, match="`generate` must be callable"):
        sc.simulate_power(sc.ttest, None, 10)
    with pytest.raises(TypeError, match="must return a TestResult"):
        sc.simulate_power(lambda x, y: 0.5, gen, 10, n_simulations=5)
    with pytest.raises(ValueError, match="NaN p-value"):
        sc.simulate_power(
            lambda x, y: sc.ttest(np.append(x, np.nan), y, nan_policy="propagate"),
            gen, 10, n_simulations=5,
        )  # fmt: skip
    with pytest.raises(ValueError, match="`n_simulations` must be >= 1"):
        sc.simulate_power(sc.ttest, gen, 10, n_simulations=0)
    with pytest.raises(ValueError, match="`alpha`"):
        sc.simulate_power(sc.ttest, gen, 10, alpha=0.0)
    with pytest.raises(ValueError, match="`interval`"):
        sc.simulate_power(sc.ttest, gen, 10, interval="wald")
    with pytest.raises(TypeError, match="`rng`"):
        sc.simulate_power(sc.ttest, gen, 10, rng="seed")


@pytest.mark.slow
def test_simulate_power_full():
    est = sc.simulate_power(sc.ttest, _two_normals(0.6), 25, n_simulations=4000, rng=2026)
    welch_like = sc.power_ttest(25, 0.6, strict=True).power
    assert abs(est.estimate - welch_like) < 4 * est.std_error


def test_strict_power_has_no_nan_deep_in_the_lower_tail():
    # scipy.special.nctdtr returns NaN for P(T < -1.96) with 598 df and noncentrality 12.2
    # (issue 11); the tail is integrated instead. pwr.t.test counts both tails (R's strict).
    assert sc.power_ttest(300, 1.0, strict=True).power == pytest.approx(1.0, abs=1e-15)
    for n in (100, 300, 1000, 3000):
        strict = sc.power_ttest(n, 0.4, strict=True).power
        assert not math.isnan(strict)
        assert strict >= sc.power_ttest(n, 0.4).power


def test_pwr_power_solves_back_to_its_n():
    # R 4.4, pwr 1.3-0: pwr.t.test(d = 1, n = 30, sig.level = 0.05)$power = 0.967708258242517
    # (two-sample, two-sided, both tails counted).
    assert sc.power_ttest(30, 1.0, strict=True).power == pytest.approx(0.967708258242517, abs=1e-11)
    solved = sc.sample_size_ttest(1.0, power=0.967708258242517, strict=True)
    assert solved.n == 30
    assert solved.n_exact == pytest.approx(30.0, abs=1e-6)


def test_far_tail_quadrature_agrees_with_a_dense_trapezoid():
    # Independent check of the fallback: E[Phi(t S - d)] on a 2-million-point grid, and
    # Boost where Boost is accurate.
    from scipy import special, stats

    from statcraft.hypothesis_tests._noncentral import _nct_cdf_by_quadrature

    s = np.linspace(1e-6, 4, 2_000_001)
    for t, df, d in [(-1.97, 198, 7.07), (-2.0, 58, 3.87), (-1.0, 10, 2.0)]:
        log_f = np.log(2 * df * s) + stats.chi2.logpdf(df * s * s, df) + special.log_ndtr(t * s - d)
        top = log_f.max()
        dense = np.exp(top) * np.trapezoid(np.exp(log_f - top), s)
        assert _nct_cdf_by_quadrature(t, df, d) == pytest.approx(dense, rel=1e-9)
    assert _nct_cdf_by_quadrature(4.0, 10, 2.0) == pytest.approx(
        stats.nct.cdf(4.0, 10, 2.0), rel=1e-12
    )
