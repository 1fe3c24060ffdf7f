"""Tests for statcraft.estimators.proportions: proportion() and poisson_rate()."""

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

import statcraft as sc

# R 4.x, package binom: bci <- binom.confint(x, n, tol = 1e-8), pasted in statsmodels'
# stats/tests/results/results_proportion.py. Methods: "agresti-coull", "asymptotic" (Wald,
# not clipped by binom), "exact" (Clopper-Pearson = binom.test), "prop.test" (prop.test(x, n)
# with its default continuity correction, p = 0.5), "wilson".
R_BINOM_CONFINT = {
    (18, 20): {
        "agresti_coull": (0.6867561125596077, 0.984343760998137),
        "wald": (0.768521618913513, 1.031478381086487),
        "clopper_pearson": (0.6830172859809176, 0.9876514728297052),
        "wilson_cc": (0.668722403162941, 0.982487361226571),
        "wilson": (0.6989663547715128, 0.972133518786232),
    },
    (4, 20): {
        "agresti_coull": (0.0749115102767071, 0.4217635845549845),
        "wald": (0.0246954918846837, 0.3753045081153163),
        "clopper_pearson": (0.05733399705003284, 0.436614002996668),
        "wilson_cc": (0.0661062308910436, 0.442686245059445),
        "wilson": (0.0806576625797981, 0.4160174322518935),
    },
    (4, 200): {
        "agresti_coull": (0.005991954548218395, 0.0520995587739575),
        "wald": (0.000597346459104517, 0.0394026535408955),
        "clopper_pearson": (0.005475565879556443, 0.05041360908989634),
        "wilson_cc": (0.00642601313670221, 0.0537574613520185),
        "wilson": (0.00780442641634947, 0.05028708690582643),
    },
    (190, 200): {
        "agresti_coull": (0.909307307911624, 0.973731898348837),
        "wald": (0.919794926420966, 0.980205073579034),
        "clopper_pearson": (0.9099724622986486, 0.975765834527891),
        "wilson_cc": (0.9073089225133698, 0.974392083257476),
        "wilson": (0.910421851861224, 0.972617354399236),
    },
    # the following were printed by R with 7-8 significant digits
    (1, 30): {
        "agresti_coull": (-0.008305484, 0.18091798),
        "wald": (-0.0309007, 0.09756737),
        "clopper_pearson": (0.0008435709, 0.17216946),
        "wilson_cc": (0.001742467, 0.19053022),
        "wilson": (0.00590859, 0.16670391),
    },
    (29, 30): {
        "agresti_coull": (0.819082, 1.0083055),
        "wald": (0.9024326, 1.0309007),
        "clopper_pearson": (0.8278305, 0.9991564),
        "wilson_cc": (0.8094698, 0.9982575),
        "wilson": (0.8332961, 0.9940914),
    },
    (0, 30): {
        "agresti_coull": (0.0, 0.1347117),
        "wald": (0.0, 0.0),
        "clopper_pearson": (0.0, 0.11570331),
        "wilson_cc": (0.0, 0.14132048),
        "wilson": (0.0, 0.11351339),
    },
    (30, 30): {
        "agresti_coull": (0.8652883, 1.0),
        "wald": (1.0, 1.0),
        "clopper_pearson": (0.8842967, 1.0),
        "wilson_cc": (0.8586795, 1.0),
        "wilson": (0.8864866, 1.0),
    },
}


@pytest.mark.parametrize("case", list(R_BINOM_CONFINT))
@pytest.mark.parametrize(
    "method", ["agresti_coull", "wald", "clopper_pearson", "wilson_cc", "wilson"]
)
def test_proportion_matches_r_binom_confint(case, method):
    x, n = case
    lo, hi = R_BINOM_CONFINT[case][method]
    res = sc.proportion(x, n, method=method)
    # statcraft clips to [0, 1]; binom does not for agresti-coull and asymptotic
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    tol = 1e-12 if n in (20, 200) else 1e-6  # full precision vs 7-8 printed digits
    assert res.confidence_interval.low == pytest.approx(lo, abs=tol)
    assert res.confidence_interval.high == pytest.approx(hi, abs=tol)
    assert res.estimate == pytest.approx(x / n, abs=1e-15)
    assert res.std_error == pytest.approx(math.sqrt(x / n * (1 - x / n) / n), abs=1e-15)
    assert res.n == n
    assert res.confidence_level == 0.95


def test_clopper_pearson_mendel_peas():
    # R: binom.test(682, 925, p = 0.75)$conf.int -> 0.7076683 0.7654066 (R help page example)
    res = sc.proportion(682, 925, method="clopper_pearson")
    assert res.confidence_interval.low == pytest.approx(0.7076683, abs=5e-8)
    assert res.confidence_interval.high == pytest.approx(0.7654066, abs=5e-8)
    assert res.estimate == pytest.approx(0.7372973, abs=5e-8)  # R: probability of success


def test_wilson_matches_r_prop_test_without_correction():
    # R: prop.test(73, 86, p = 0.9, correct = FALSE)$conf.int
    #    -> 0.758364348004061 0.9094787701686766 (statsmodels test_proportion.py)
    res = sc.proportion(73, 86, method="wilson")
    assert res.confidence_interval.low == pytest.approx(0.758364348004061, abs=1e-13)
    assert res.confidence_interval.high == pytest.approx(0.9094787701686766, abs=1e-13)
    assert res.method == "Wilson score interval"


@pytest.mark.parametrize("method", ["agresti_coull", "jeffreys", "wilson"])
@pytest.mark.parametrize(("x", "n"), [(1, 7), (5, 12), (17, 40), (33, 34), (250, 1000)])
@pytest.mark.parametrize("confidence_level", [0.9, 0.95, 0.99])
def test_agresti_coull_jeffreys_match_statsmodels(method, x, n, confidence_level):
    # independent implementation: statsmodels.stats.proportion.proportion_confint
    sm_method = {"agresti_coull": "agresti_coull", "jeffreys": "jeffreys", "wilson": "wilson"}
    lo, hi = proportion_confint(x, n, alpha=1 - confidence_level, method=sm_method[method])
    res = sc.proportion(x, n, method=method, confidence_level=confidence_level)
    assert res.confidence_interval.low == pytest.approx(max(lo, 0.0), abs=1e-12)
    assert res.confidence_interval.high == pytest.approx(min(hi, 1.0), abs=1e-12)


def test_jeffreys_boundaries_follow_brown_cai_dasgupta():
    # Brown, Cai & DasGupta (2001), sec. 4.1.2: at x = 0 the lower limit is 0 and the upper is
    # the Beta(0.5, n + 0.5) quantile at 1 - alpha/2; symmetrically at x = n.
    n = 25
    low0 = sc.proportion(0, n, method="jeffreys").confidence_interval
    assert low0.low == 0.0
    assert low0.high == pytest.approx(stats.beta.ppf(0.975, 0.5, n + 0.5), rel=1e-12)
    highn = sc.proportion(n, n, method="jeffreys").confidence_interval
    assert highn.high == 1.0
    assert highn.low == pytest.approx(stats.beta.ppf(0.025, n + 0.5, 0.5), rel=1e-12)


def test_wilson_boundary_limits_are_exact():
    # closed forms at x = 0 and x = n: upper = z^2 / (n + z^2), lower = n / (n + z^2)
    z = stats.norm.ppf(0.975)
    n = 13
    assert sc.proportion(0, n).confidence_interval == (0.0, pytest.approx(z**2 / (n + z**2)))
    assert sc.proportion(n, n).confidence_interval == (pytest.approx(n / (n + z**2)), 1.0)


@pytest.mark.parametrize(
    "method", ["wilson", "wilson_cc", "clopper_pearson", "agresti_coull", "jeffreys", "wald"]
)
def test_one_sided_bound_equals_two_sided_bound_at_double_error(method):
    # a one-sided bound at level 1 - a is the matching bound of the two-sided 1 - 2a interval
    x, n = 7, 31
    two = sc.proportion(x, n, method=method, confidence_level=0.90).confidence_interval
    less = sc.proportion(x, n, method=method, alternative="less").confidence_interval
    greater = sc.proportion(x, n, method=method, alternative="greater").confidence_interval
    assert less.low == 0.0
    assert less.high == pytest.approx(two.high, rel=1e-12)
    assert greater.high == 1.0
    assert greater.low == pytest.approx(two.low, rel=1e-12)


def test_clopper_pearson_one_sided_matches_r_binom_test_bound_definition():
    # R binom.test(x, n, alternative = "less")$conf.int = c(0, qbeta(conf.level, x + 1, n - x))
    res = sc.proportion(3, 17, method="clopper_pearson", alternative="less")
    assert res.confidence_interval.high == pytest.approx(stats.beta.ppf(0.95, 4, 14), rel=1e-12)


def test_poisson_rate_matches_r_poisson_test():
    # R: poisson.test(137, 24.19893) (help-page example; Welsh nickel workers)
    #    -> rate 5.661407, 95 percent CI 4.753125 6.692709
    res = sc.poisson_rate(137, 24.19893)
    assert res.estimate == pytest.approx(5.661407, abs=5e-7)
    assert res.confidence_interval.low == pytest.approx(4.753125, abs=5e-7)
    assert res.confidence_interval.high == pytest.approx(6.692709, abs=5e-7)
    assert res.std_error == pytest.approx(math.sqrt(137) / 24.19893)


@pytest.mark.parametrize(("count", "exposure"), [(0, 1.0), (1, 2.5), (4, 1.0), (57, 310.0)])
@pytest.mark.parametrize("confidence_level", [0.9, 0.95, 0.99])
def test_poisson_rate_matches_statsmodels_exact(count, exposure, confidence_level):
    # independent implementation: statsmodels confint_poisson(method="exact-c") (Garwood)
    lo, hi = confint_poisson(count, exposure, method="exact-c", alpha=1 - confidence_level)
    res = sc.poisson_rate(count, exposure, confidence_level=confidence_level)
    assert res.confidence_interval.low == pytest.approx(lo if count else 0.0, rel=1e-10, abs=0)
    assert res.confidence_interval.high == pytest.approx(hi, rel=1e-10)


def test_poisson_rate_zero_count_and_one_sided():
    # Garwood at x = 0: upper = -log(alpha / 2) (e.g. epitools pois.exact gives 3.689)
    res = sc.poisson_rate(0, 1)
    assert res.confidence_interval == (0.0, pytest.approx(-math.log(0.025)))
    less = sc.poisson_rate(5, 2.0, alternative="less").confidence_interval
    assert less.low == 0.0
    assert less.high == pytest.approx(stats.gamma.ppf(0.95, 6) / 2.0)
    greater = sc.poisson_rate(5, 2.0, alternative="greater").confidence_interval
    assert greater.high == math.inf
    assert greater.low == pytest.approx(stats.gamma.ppf(0.05, 5) / 2.0)


# ---------------------------------------------------------------- coverage


def _exact_coverage(n: int, p: float, method: str = "wilson") -> float:
    """Exact coverage: sum of binomial probabilities of the outcomes whose interval covers p."""
    xs = np.arange(n + 1)
    cis = np.array([tuple(sc.proportion(int(x), n, method=method).confidence_interval) for x in xs])
    covers = (cis[:, 0] <= p) & (p <= cis[:, 1])
    return float(stats.binom.pmf(xs, n, p)[covers].sum())


def test_wilson_exact_mean_coverage_near_nominal():
    # Brown, Cai & DasGupta (2001): Wilson's mean coverage is close to nominal.
    ns = [10, 25, 50, 100]
    ps = np.linspace(0.02, 0.98, 49)
    cov = np.array([[_exact_coverage(n, float(p)) for p in ps] for n in ns])
    assert abs(cov.mean() - 0.95) < 0.015
    # and far better than Wald's at small n
    wald = np.mean([_exact_coverage(10, float(p), "wald") for p in ps])
    assert wald < 0.9


def test_wilson_simulated_coverage():
    rng = np.random.default_rng(20261125)
    hits = []
    for n, p in [(20, 0.3), (50, 0.1), (80, 0.55)]:
        ci = np.array([tuple(sc.proportion(x, n).confidence_interval) for x in range(n + 1)])
        xs = rng.binomial(n, p, size=4000)
        hits.append(np.mean((ci[xs, 0] <= p) & (p <= ci[xs, 1])))
    assert abs(np.mean(hits) - 0.95) < 0.015


@pytest.mark.slow
def test_wilson_exact_and_simulated_coverage_full():
    ns = list(range(10, 201, 10))
    ps = np.linspace(0.01, 0.99, 99)
    cov = np.array([[_exact_coverage(n, float(p)) for p in ps] for n in ns])
    assert abs(cov.mean() - 0.95) < 0.015
    rng = np.random.default_rng(7)
    hits = []
    for n in (15, 40, 120):
        ci = np.array([tuple(sc.proportion(x, n).confidence_interval) for x in range(n + 1)])
        for p in (0.05, 0.2, 0.5, 0.8):
            xs = rng.binomial(n, p, size=20000)
            hits.append(np.mean((ci[xs, 0] <= p) & (p <= ci[xs, 1])))
    assert abs(np.mean(hits) - 0.95) < 0.015


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((11, 10), {}, ValueError, r"`successes` \(11\) cannot exceed `n` \(10\)"),
        ((-1, 10), {}, ValueError, "`successes` must be a non-negative count"),
        ((2.5, 10), {}, ValueError, "`successes` must be a whole number"),
        ((2, 0), {}, ValueError, "`n` must be at least 1"),
        ((2, -3), {}, ValueError, "`n` must be a non-negative count"),
        (("2", 10), {}, TypeError, "`successes` must be a non-negative integer count"),
        ((2, None), {}, TypeError, "`n` must be a non-negative integer count"),
        ((float("nan"), 10), {}, ValueError, "`successes` must be a non-negative count"),
        ((2, 10), {"method": "exact"}, ValueError, "`method` must be one of 'wilson'"),
        ((2, 10), {"confidence_level": 1.5}, ValueError, r"`confidence_level` must be in \(0, 1\)"),
        ((2, 10), {"confidence_level": 0}, ValueError, r"`confidence_level` must be in \(0, 1\)"),
        ((2, 10), {"alternative": "two.sided"}, ValueError, "`alternative` must be one of"),
    ],
)
def test_proportion_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        sc.proportion(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((-1, 1.0), {}, ValueError, "`count` must be a non-negative count"),
        ((1.5, 1.0), {}, ValueError, "`count` must be a whole number"),
        ((3, 0.0), {}, ValueError, "`exposure` must be positive"),
        ((3, -2.0), {}, ValueError, "`exposure` must be positive"),
        ((3, float("inf")), {}, ValueError, "`exposure` must be finite"),
        ((3, "1"), {}, TypeError, "`exposure` must be a real number"),
        ((3, 1.0), {"confidence_level": 95}, ValueError, "`confidence_level` must be in"),
    ],
)
def test_poisson_rate_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        sc.poisson_rate(*args, **kwargs)


def test_numpy_integer_inputs_and_result_types():
    res = sc.proportion(np.int64(3), np.int32(10), method="jeffreys")
    assert type(res.estimate) is float
    assert type(res.confidence_interval.low) is float
    assert type(res.std_error) is float
    rate = sc.poisson_rate(np.int64(3), np.float32(2.0))
    assert type(rate.estimate) is float
