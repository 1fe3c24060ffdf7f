"""Tests for statcraft.estimators.scale: mad, iqr, qn_scale, sn_scale."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc

# ---------------------------------------------------------------------------------------------
# Brute-force definitions (independent of the fast algorithms under test)
# ---------------------------------------------------------------------------------------------


def qn_brute(x):
    """k-th smallest of all |x_i - x_j|, i < j, with k = choose(h, 2), h = n // 2 + 1."""
    x = np.asarray(x, dtype=float)
    n = x.size
    h = n // 2 + 1
    k = h * (h - 1) // 2
    d = np.sort([abs(a - b) for a, b in combinations(x, 2)])
    return d[k - 1]


def sn_brute(x):
    """lomed_i himed_j |x_i - x_j| (Rousseeuw and Croux 1993)."""
    x = np.asarray(x, dtype=float)
    n = x.size
    inner = [np.sort(np.abs(xi - x))[n // 2] for xi in x]  # rank n//2 + 1 (1-based)
    return np.sort(inner)[(n + 1) // 2 - 1]  # rank (n+1)//2


# ---------------------------------------------------------------------------------------------
# mad
# ---------------------------------------------------------------------------------------------

# R 2.2.1, robustbase tests/huber-etc.Rout.save (printed mad() values):
#   x2 = 1:2 -> 0.7413; x3 = c(1:2, 10) -> 1.4826; y = 1:10 -> 3.7065; y. = 1:11 -> 4.4478;
#   y1 = c(1:10, 100) -> 4.4478; y2. = c(1:11, 100, 1000) -> 4.4478; xC = rep(1, 12) -> 0
R_MAD = [
    ([1, 2], 0.7413),
    ([1, 2, 10], 1.4826),
    (list(range(1, 11)), 3.7065),
    (list(range(1, 12)), 4.4478),
    ([*range(1, 11), 100], 4.4478),
    ([*range(1, 12), 100, 1000], 4.4478),
    ([1] * 12, 0.0),
]


@pytest.mark.parametrize(("x", "expected"), R_MAD)
def test_mad_matches_r(x, expected):
    assert sc.mad(x) == pytest.approx(expected, abs=5e-5)


def test_mad_low_high_matches_r_definition():
    # R ?mad example: x <- c(1,2,3,5,7,8); sorted |x - 4| = 1 1 2 3 3 4;
    # c(mad(x, constant=1), mad(x, constant=1, low=TRUE), mad(x, constant=1, high=TRUE))
    # is c(2.5, 2, 3): the average of ranks 3 and 4, rank 3 (lo-median), rank 4 (hi-median).
    x = [1, 2, 3, 5, 7, 8]
    assert sc.mad(x, constant=1) == 2.5
    assert sc.mad(x, constant=1, low=True) == 2.0
    assert sc.mad(x, constant=1, high=True) == 3.0
    # odd n: low/high make no difference (R uses median() then)
    assert sc.mad([1, 2, 4, 8, 9], low=True) == sc.mad([1, 2, 4, 8, 9])


def test_mad_against_scipy_and_center():
    rng = np.random.default_rng(4)
    x = rng.standard_normal(101)
    # independent implementation: scipy with R's constant
    ref = 1.4826 * stats.median_abs_deviation(x, scale=1.0)
    assert sc.mad(x) == pytest.approx(ref, rel=1e-14)
    ref_c = 1.4826 * np.median(np.abs(x - 0.3))
    assert sc.mad(x, center=0.3) == pytest.approx(ref_c, rel=1e-14)
    assert isinstance(sc.mad(x), float)


def test_mad_bad_input():
    with pytest.raises(ValueError, match="`low` and `high` cannot both be True"):
        sc.mad([1, 2, 3, 4], low=True, high=True)
    with pytest.raises(TypeError, match="`low` must be True or False"):
        sc.mad([1, 2, 3], low="yes")
    with pytest.raises(ValueError, match="`center` must be finite"):
        sc.mad([1, 2, 3], center=float("nan"))
    with pytest.raises(ValueError, match="`x` is empty"):
        sc.mad([])


# ---------------------------------------------------------------------------------------------
# iqr
# ---------------------------------------------------------------------------------------------


def test_iqr_matches_r():
    # R 3.6.0 (process_improve tests): r <- c(108, 89.52, 95.16, 101.61, 99.19, 100, 93.55,
    # 97.58, 93.55, 98.39, 88.71); IQR(r) -> 6.045
    r = [108, 89.52, 95.16, 101.61, 99.19, 100, 93.55, 97.58, 93.55, 98.39, 88.71]
    assert sc.iqr(r) == pytest.approx(6.045, abs=1e-12)
    # R: IQR(1:10) -> 4.5; quantile(1:10, c(.25,.75), type=6) -> 2.75 8.25 (difference 5.5)
    assert sc.iqr(range(1, 11)) == pytest.approx(4.5)
    assert sc.iqr(range(1, 11), type=6) == pytest.approx(5.5)


# Hyndman and Fan (1996) positions for x = 1:10 (x_(j) = j, so a quantile is its position):
#   type 1: x_(ceil(np)) -> 3, 8; type 5: np + 1/2 -> 3, 8; type 6: (n+1)p -> 2.75, 8.25;
#   type 7: 1 + (n-1)p -> 3.25, 7.75; type 8: (n+1/3)p + 1/3 -> 2.91667, 8.08333;
#   type 9: (n+1/4)p + 3/8 -> 2.9375, 8.0625
@pytest.mark.parametrize(
    ("qtype", "expected"),
    [(1, 5.0), (5, 5.0), (6, 5.5), (7, 4.5), (8, 31 / 6), (9, 5.125)],
)
def test_iqr_quantile_types_hand_computed(qtype, expected):
    assert sc.iqr(np.arange(1, 11), type=qtype) == pytest.approx(expected, rel=1e-13)


def test_iqr_bad_type():
    with pytest.raises(ValueError, match="`type` must be <= 9"):
        sc.iqr([1, 2, 3], type=10)
    with pytest.raises(TypeError, match="`type` must be an integer"):
        sc.iqr([1, 2, 3], type="7")


# ---------------------------------------------------------------------------------------------
# Sn
# ---------------------------------------------------------------------------------------------

# R 3.6.0, robustbase (process_improve tests/test_univariate.py), finite.corr = TRUE:
R_SN = [
    ([0, 1], 0.8861018),
    ([0, 1, 2], 2.207503),
    ([0, 1, 2, 3], 1.13774),
    ([0, 1, 2, 3, 4], 1.611203),
    ([0, 1, 2, 3, 4, 5], 2.368504),
    ([0, 1, 2, 3, 4, 5, 6], 2.85747),
    ([0, 1, 2, 3, 4, 50, 6], 2.85747),
    ([0, 1, 20, 3, 4, 50, 6], 5.714939),
    ([0, 10, 20, 3, 4, 50, 6], 8.572409),
    (list(range(1, 11)), 3.5778),
    (list(range(1, 12)), 3.896614),
    (list(range(1, 20)), 6.259503),
    (list(range(1, 1501)), 447.225),
    # robustbase::Sn(c(108, 89.52, 95.16, 101.61, 99.19, 100, 93.55, 97.58, 93.55, 98.39,
    #                  88.71)) -> 6.28653702970298
    ([108, 89.52, 95.16, 101.61, 99.19, 100, 93.55, 97.58, 93.55, 98.39, 88.71], 6.28653702970298),
]


@pytest.mark.parametrize(("x", "expected"), R_SN)
def test_sn_matches_robustbase(x, expected):
    # printed to 7 significant digits
    assert sc.sn_scale(x) == pytest.approx(expected, rel=5e-7)


@pytest.mark.parametrize("n", [*range(2, 31), 64, 101, 500])
def test_sn_fast_algorithm_equals_definition(n):
    rng = np.random.default_rng(n)
    for x in (
        rng.standard_normal(n),
        rng.integers(0, 4, n).astype(float),  # heavy ties
        rng.standard_cauchy(n),
        1e6 + 1e-3 * rng.random(n),  # large offset: rounding in the differences
    ):
        assert sc.sn_scale(x, constant=1, finite_correction=False) == sn_brute(x)


# ---------------------------------------------------------------------------------------------
# Qn
# ---------------------------------------------------------------------------------------------


def test_qn_matches_robustbase_uncorrected():
    # statsmodels robust/tests/test_scale.py, "from R's robustbase with finite.corr = FALSE":
    # Qn(0:39) -> 13.3148
    assert sc.qn_scale(np.arange(40), finite_correction=False) == pytest.approx(13.3148, abs=1e-4)


def test_qn_matches_statsmodels():
    # independent implementation (Croux-Rousseeuw algorithm, no finite-sample factor)
    # statsmodels' constant is the exact 1/(sqrt(2) qnorm(5/8)); robustbase's is 2.21914
    sm_scale = pytest.importorskip("statsmodels.robust.scale")
    c = 1 / (np.sqrt(2) * stats.norm.ppf(5 / 8))
    rng = np.random.default_rng(7)
    for n in (5, 40, 333):
        x = rng.standard_normal(n) ** 3
        assert sc.qn_scale(x, constant=c, finite_correction=False) == pytest.approx(
            float(sm_scale.qn_scale(x)), rel=1e-12
        )


@pytest.mark.parametrize("n", [*range(2, 31), 64, 101, 500])
def test_qn_fast_algorithm_equals_definition(n):
    rng = np.random.default_rng(1000 + n)
    for x in (
        rng.standard_normal(n),
        rng.integers(0, 4, n).astype(float),
        rng.standard_cauchy(n),
        1e6 + 1e-3 * rng.random(n),
    ):
        assert sc.qn_scale(x, constant=1, finite_correction=False) == qn_brute(x)


def test_pairwise_selection_every_rank_and_path():
    # the selection behind qn_scale against all sorted pairwise differences, for many ranks;
    # {0, 1} data make the sampled bracket stall and exercise the weighted-median fallback
    from statcraft.estimators.scale import _kth_pairwise_difference

    rng = np.random.default_rng(17)
    for y in (
        rng.integers(0, 2, 300).astype(float),
        rng.integers(0, 30, 250).astype(float),
        rng.standard_normal(300),
    ):
        y = np.sort(y)
        n = y.size
        d = np.sort((y[None, :] - y[:, None])[np.triu_indices(n, 1)])
        for k in (1, 2, 17, d.size // 4, d.size // 2, d.size - 5, d.size):
            assert _kth_pairwise_difference(y, k) == d[k - 1]


def test_qn_finite_sample_factors_are_robustbases():
    # robustbase R/qnsn.R (current): n <= 12 table; else 1/(1 + a_n/n) with
    # a_n = 1.60188 + (-2.1284 - 5.172/n)/n (odd), 3.67561 + (1.9654 + (6.987 - 77/n)/n)/n (even)
    table = [0.399356, 0.99365, 0.51321, 0.84401, 0.61220, 0.85877, 0.66993, 0.87344, 0.72014,
             0.88906, 0.75743]  # fmt: skip
    rng = np.random.default_rng(3)
    for n in [*range(2, 13), 13, 14, 51, 100]:
        x = rng.standard_normal(n)
        raw = 2.21914 * qn_brute(x)
        if n <= 12:
            d = table[n - 2]
        elif n % 2:
            d = 1 / (1 + (1.60188 + (-2.1284 - 5.172 / n) / n) / n)
        else:
            d = 1 / (1 + (3.67561 + (1.9654 + (6.987 - 77 / n) / n) / n) / n)
        assert sc.qn_scale(x) == pytest.approx(d * raw, rel=1e-14)


def test_qn_sn_are_consistent_for_normal_sd():
    # with the finite-sample factors, both estimate sigma without bias at the normal
    rng = np.random.default_rng(11)
    xs = 2.0 * rng.standard_normal((400, 20))
    qn = np.mean([sc.qn_scale(row) for row in xs])
    sn = np.mean([sc.sn_scale(row) for row in xs])
    # SD of each estimator at n = 20 is about 0.4; the mean over 400 has SE about 0.02
    assert qn == pytest.approx(2.0, abs=0.08)
    assert sn == pytest.approx(2.0, abs=0.08)


def test_qn_large_sample_is_fast_and_correct():
    rng = np.random.default_rng(5)
    x = rng.standard_normal(20000)
    # statsmodels as the oracle at a size where brute force is impossible
    sm_scale = pytest.importorskip("statsmodels.robust.scale")
    c = 1 / (np.sqrt(2) * stats.norm.ppf(5 / 8))
    assert sc.qn_scale(x, constant=c, finite_correction=False) == pytest.approx(
        float(sm_scale.qn_scale(x)), rel=1e-12
    )


# ---------------------------------------------------------------------------------------------
# common behaviour: bad input, NaN policy, no mutation, return type
# ---------------------------------------------------------------------------------------------

FUNCS = [sc.mad, sc.iqr, sc.qn_scale, sc.sn_scale]


@pytest.mark.parametrize("f", FUNCS)
def test_bad_input(f):
    with pytest.raises(ValueError, match="`x` is empty"):
        f([])
    with pytest.raises(ValueError, match="`x` is all NaN"):
        f([np.nan, np.nan])
    with pytest.raises(ValueError, match="`x` has 1 NaN value"):
        f([1.0, np.nan, 3.0, 4.0])
    with pytest.raises(ValueError, match="`x` has 1 infinite value"):
        f([1.0, np.inf, 3.0])
    with pytest.raises(TypeError, match="`x` must contain numbers"):
        f(["a", "b", "c"])
    with pytest.raises(TypeError, match="`x` must be array-like of numbers"):
        f("abc")
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        f([1.0, 2.0, 3.0], nan_policy="drop")


@pytest.mark.parametrize("f", [sc.qn_scale, sc.sn_scale])
def test_rousseeuw_croux_need_two_observations(f):
    with pytest.raises(ValueError, match="`x` needs at least 2 observations; got 1"):
        f([3.0])
    with pytest.raises(ValueError, match="`constant` must be finite"):
        f([1.0, 2.0], constant=float("inf"))
    with pytest.raises(TypeError, match="`finite_correction` must be True or False"):
        f([1.0, 2.0], finite_correction=1)


@pytest.mark.parametrize("f", FUNCS)
def test_nan_policy(f):
    x = [1.0, 5.0, np.nan, 2.0, 8.0, 3.0]
    clean = [1.0, 5.0, 2.0, 8.0, 3.0]
    assert f(x, nan_policy="omit") == f(clean)
    assert np.isnan(f(x, nan_policy="propagate"))


@pytest.mark.parametrize("f", FUNCS)
def test_inputs_not_modified_and_float_returned(f):
    x = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 9.0])
    s = pd.Series(x.copy())
    before = x.copy()
    out = f(x)
    f(s)
    assert np.array_equal(x, before)
    assert np.array_equal(s.to_numpy(), before)
    assert type(out) is float


@pytest.mark.parametrize("f", FUNCS)
def test_constant_data_give_zero_scale(f):
    # a constant sample has zero spread: every estimator returns exactly 0 (R does too)
    assert f([2.5] * 7) == 0.0
