"""Rank tests against R's documented outputs, scipy, and brute-force enumeration."""

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc

# R ?wilcox.test: Hollander & Wolfe (1973), p. 29f, depression scale (paired)
DEP_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEP_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
# R ?wilcox.test: Hollander & Wolfe (1973), p. 69f, permeability constants
PERM_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
PERM_Y = [1.15, 0.88, 0.90, 0.74, 1.21]
# R ?friedman.test: Hollander & Wolfe (1973), p. 140ff, RoundingTimes (22 players x 3 methods)
ROUNDING = np.array(
    [
        [5.40, 5.50, 5.55], [5.85, 5.70, 5.75], [5.20, 5.60, 5.50], [5.55, 5.50, 5.40],
        [5.90, 5.85, 5.70], [5.45, 5.55, 5.60], [5.40, 5.40, 5.35], [5.45, 5.50, 5.35],
        [5.25, 5.15, 5.00], [5.85, 5.80, 5.70], [5.25, 5.20, 5.10], [5.65, 5.55, 5.45],
        [5.60, 5.35, 5.45], [5.05, 5.00, 4.95], [5.50, 5.50, 5.40], [5.45, 5.55, 5.50],
        [5.55, 5.55, 5.35], [5.45, 5.50, 5.55], [5.50, 5.45, 5.25], [5.65, 5.60, 5.40],
        [5.70, 5.65, 5.55], [6.30, 6.30, 6.25],
    ]
)  # fmt: skip


# ----------------------------------------------------------------------------- brute force
def _brute_signed(d: np.ndarray, alternative: str) -> tuple[float, float]:
    nz = d[d != 0]
    r = stats.rankdata(np.abs(nz))
    v_obs = r[nz > 0].sum()
    signs = np.array(list(itertools.product([False, True], repeat=nz.size)))
    v = (signs * r).sum(axis=1)
    return v_obs, _brute_p(v, v_obs, nz.size * (nz.size + 1) / 4, alternative)


def _brute_signed_pratt(d: np.ndarray, alternative: str) -> tuple[float, float]:
    """Pratt: rank all |d| (zeros take the lowest ranks), then flip the signs of the nonzero."""
    r_all = stats.rankdata(np.abs(d))
    nz, r = d[d != 0], r_all[d != 0]
    v_obs = r[nz > 0].sum()
    signs = np.array(list(itertools.product([False, True], repeat=nz.size)))
    v = (signs * r).sum(axis=1)
    return v_obs, _brute_p(v, v_obs, r.sum() / 2, alternative)


def _brute_ranksum(x: np.ndarray, y: np.ndarray, alternative: str) -> tuple[float, float]:
    m = x.size
    r = stats.rankdata(np.concatenate([x, y]))
    w_obs = r[:m].sum() - m * (m + 1) / 2
    w = np.array([r[list(c)].sum() for c in itertools.combinations(range(r.size), m)])
    w = w - m * (m + 1) / 2
    return w_obs, _brute_p(w, w_obs, m * y.size / 2, alternative)


def _brute_p(t: np.ndarray, t_obs: float, center: float, alternative: str) -> float:
    lower = np.mean(t <= t_obs + 1e-9)
    upper = np.mean(t >= t_obs - 1e-9)
    if alternative == "less":
        return float(lower)
    if alternative == "greater":
        return float(upper)
    return float(min(1.0, 2 * (upper if t_obs > center else lower)))


# --------------------------------------------------------------------- Wilcoxon signed rank
def test_depression_paired_r_reference() -> None:
    # R: wilcox.test(x, y, paired = TRUE, alternative = "greater") -> V = 40, p-value = 0.01953
    res = sc.wilcoxon_signed_rank(DEP_X, DEP_Y, alternative="greater")
    assert res.statistic == 40.0
    assert res.pvalue == pytest.approx(0.01953, abs=5e-6)
    assert res.method == "Wilcoxon signed rank exact test"
    assert res.df is None and res.alternative == "greater"
    # R: wilcox.test(y - x, alternative = "less") -> V = 5, same p-value
    res2 = sc.wilcoxon_signed_rank(np.subtract(DEP_Y, DEP_X), alternative="less")
    assert res2.statistic == 5.0
    assert res2.pvalue == pytest.approx(res.pvalue, rel=1e-12)
    stat, p = res2
    assert (stat, p) == (res2.statistic, res2.pvalue)


def test_depression_large_sample_approximation() -> None:
    # R: wilcox.test(y - x, alternative = "less", exact = FALSE, correct = FALSE)
    #    -> V = 5, p-value = 0.01908  (H&W large sample approximation)
    res = sc.wilcoxon_signed_rank(
        np.subtract(DEP_Y, DEP_X), alternative="less", exact=False, correction=False
    )
    assert res.statistic == 5.0
    assert res.pvalue == pytest.approx(0.01908, abs=5e-6)
    assert res.method == "Wilcoxon signed rank test"
    assert res.details["z"] == pytest.approx(-17.5 / math.sqrt(9 * 10 * 19 / 24), rel=1e-12)


def test_depression_effect_size_matches_effectsize() -> None:
    # report(wilcox.test(x, y, paired = TRUE)) snapshot (report package, via effectsize):
    #   r (rank biserial) = 0.78, 95% CI [0.30, 0.94]; alternative "less": [-1.00, 0.93];
    #   alternative "greater": [0.40, 1.00]
    for alt, (lo, hi) in {
        "two-sided": (0.30, 0.94),
        "less": (-1.00, 0.93),
        "greater": (0.40, 1.00),
    }.items():
        res = sc.wilcoxon_signed_rank(DEP_X, DEP_Y, alternative=alt)
        assert res.effect_size.estimate == pytest.approx(0.78, abs=0.005)
        assert res.effect_size.confidence_interval.low == pytest.approx(lo, abs=0.005)
        assert res.effect_size.confidence_interval.high == pytest.approx(hi, abs=0.005)
        rb = sc.rank_biserial(DEP_X, DEP_Y, paired=True, alternative=alt)
        assert rb.estimate == pytest.approx(35 / 45, rel=1e-12)  # (T+ - T-)/S = (40 - 5)/45
        assert tuple(rb.confidence_interval) == tuple(res.effect_size.confidence_interval)


def test_signed_rank_estimate_is_walsh_median() -> None:
    d = np.subtract(DEP_X, DEP_Y)
    i, j = np.triu_indices(d.size)
    walsh = np.sort((d[i] + d[j]) / 2)
    res = sc.wilcoxon_signed_rank(DEP_X, DEP_Y)
    assert res.estimate.estimate == pytest.approx(np.median(walsh), abs=1e-14)
    # qsignrank(0.025, 9) = 6 (smallest q with P(V <= q) >= 0.025): limits are the 6th
    # smallest and 6th largest Walsh averages
    v = np.array(
        [sum(k + 1 for k in range(9) if s[k]) for s in itertools.product([0, 1], repeat=9)]
    )
    q = next(q for q in range(46) if np.mean(v <= q) >= 0.025)
    assert q == 6
    assert tuple(res.estimate.confidence_interval) == (walsh[q - 1], walsh[walsh.size - q])


@pytest.mark.filterwarnings("ignore:requested confidence_level")
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", range(8))
def test_signed_rank_exact_matches_enumeration_with_ties(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = rng.integers(-3, 6, size=int(rng.integers(2, 12))).astype(float)
    d[d == 0] = 1.0  # ties but no zeros: R >= 4.6 'auto' is exact
    v_ref, p_ref = _brute_signed(d, alternative)
    res = sc.wilcoxon_signed_rank(d, alternative=alternative)
    assert res.details["exact"] is True
    assert res.statistic == v_ref
    assert res.pvalue == pytest.approx(p_ref, abs=1e-12)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_signed_rank_exact_with_zeros_matches_enumeration(alternative: str) -> None:
    # Behaviour changed deliberately (issue 11): zeros no longer force the normal
    # approximation; 'auto' is exact (R-devel) and the interval is exact too (no warning).
    d = np.array([0.0, 1.5, -0.5, 2.0, 2.0, 0.0, 3.0, -1.0, 2.5, 4.0])
    copy = d.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sc.wilcoxon_signed_rank(d, alternative=alternative)
    v_ref, p_ref = _brute_signed_pratt(d, alternative)
    assert res.details["exact"] is True and res.details["zero_method"] == "pratt"
    assert res.method == "Wilcoxon signed rank exact test"
    assert res.statistic == v_ref
    assert res.pvalue == pytest.approx(p_ref, abs=1e-12)
    assert res.details["n_zero"] == 2 and res.details["n"] == 10
    assert res.estimate is not None and res.estimate.details["exact"] is True
    # zero_method='wilcox': zeros dropped, the rest re-ranked (exact conditional)
    v_w, p_w = _brute_signed(d, alternative)
    wil = sc.wilcoxon_signed_rank(d, alternative=alternative, zero_method="wilcox")
    assert (wil.statistic, wil.details["exact"]) == (v_w, True)
    assert wil.pvalue == pytest.approx(p_w, abs=1e-12)
    np.testing.assert_array_equal(d, copy)


def test_signed_rank_mu_and_scipy_no_ties() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(0.4, 1, size=20)
    for alt in ("less", "greater"):  # scipy's one-sided statistic is T+ like R's V
        ref = stats.wilcoxon(x - 0.1, alternative=alt, method="exact")
        res = sc.wilcoxon_signed_rank(x, mu=0.1, alternative=alt)
        assert res.statistic == ref.statistic
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    ref2 = stats.wilcoxon(x, alternative="two-sided", method="exact")
    assert sc.wilcoxon_signed_rank(x).pvalue == pytest.approx(ref2.pvalue, rel=1e-10)


def test_signed_rank_normal_matches_scipy() -> None:
    rng = np.random.default_rng(9)
    x = np.round(rng.normal(0.3, 1, size=70), 1)
    x = x[x != 0]
    ref = stats.wilcoxon(x, method="approx", correction=True, alternative="greater")
    res = sc.wilcoxon_signed_rank(x, alternative="greater")
    assert res.details["exact"] is False
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def test_normal_interval_and_estimate_match_r_to_printed_digits() -> None:
    # R (< 4.6, ties -> normal approximation), printed in a tutorial:
    #   data <- c(30, 29, 29, 28, 26, 23, 28, 25, 24, 19)
    #   wilcox.test(data, mu = 35, conf.int = TRUE)
    #   -> V = 0, p-value = 0.005857; 95 percent CI 23.50001 28.99999;
    #      (pseudo)median 26.49994   (the root of the centred statistic, not 26.5)
    data = [30, 29, 29, 28, 26, 23, 28, 25, 24, 19]
    res = sc.wilcoxon_signed_rank(data, mu=35, exact=False)
    assert res.statistic == 0.0
    assert res.pvalue == pytest.approx(0.005857, abs=5e-7)
    assert res.estimate.estimate == pytest.approx(26.49994, abs=5e-6)
    assert res.estimate.confidence_interval.low == pytest.approx(23.50001, abs=5e-6)
    assert res.estimate.confidence_interval.high == pytest.approx(28.99999, abs=5e-6)
    # R >= 4.6 default: ties but no zeros -> exact conditional p-value (enumeration)
    auto = sc.wilcoxon_signed_rank(data, mu=35)
    assert auto.method == "Wilcoxon signed rank exact test"
    assert auto.pvalue == pytest.approx(_brute_signed(np.array(data) - 35.0, "two-sided")[1])


def test_zeros_normal_interval_r_versions() -> None:
    # stackloss$Air.Flow; R (< 4.6): wilcox.test(Air.Flow, mu = median(Air.Flow), conf.int = TRUE)
    #   -> V = 74, p-value = 0.4394; 95 percent CI 55.99999 68.00001; (pseudo)median 61.99994
    # R < 4.6 dropped the zeros and used the normal approximation: zero_method='wilcox' with
    # exact=False. (Changed deliberately in issue 11: the default now follows R-devel.)
    air_flow = [80, 80, 75, 62, 62, 62, 62, 62, 58, 58, 58, 58, 58, 58, 50, 50, 50, 50, 50, 56, 70]
    old_r = sc.wilcoxon_signed_rank(air_flow, mu=58, zero_method="wilcox", exact=False)
    assert old_r.statistic == 74.0
    assert old_r.pvalue == pytest.approx(0.4394, abs=5e-5)
    assert old_r.details["n_zero"] == 6 and old_r.details["exact"] is False
    ref = stats.wilcoxon(
        np.subtract(air_flow, 58.0), zero_method="wilcox", method="asymptotic", correction=True
    )
    assert old_r.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    # R-devel default (n = 21 < 50): exact, zeros ranked (Pratt) -> enumeration of 2^15 signs
    res = sc.wilcoxon_signed_rank(air_flow, mu=58)
    v_ref, p_ref = _brute_signed_pratt(np.subtract(air_flow, 58.0), "two-sided")
    assert res.details["exact"] is True
    assert (res.statistic, res.pvalue) == (v_ref, pytest.approx(p_ref, abs=1e-12))
    # R < 4.6 computed the interval after dropping the observations equal to mu; R >= 4.6
    # (and statcraft) use all observations, so the interval no longer depends on mu.
    nonzero = [a for a in air_flow if a != 58]
    old = sc.wilcoxon_signed_rank(nonzero, mu=58, exact=False).estimate
    assert old.estimate == pytest.approx(61.99994, abs=5e-6)
    assert tuple(old.confidence_interval) == pytest.approx((55.99999, 68.00001), abs=5e-6)
    normal = sc.wilcoxon_signed_rank(air_flow, mu=58, exact=False)
    hl = sc.hodges_lehmann(air_flow, exact=False)  # the same interval as above
    assert hl.estimate == normal.estimate.estimate
    assert tuple(hl.confidence_interval) == tuple(normal.estimate.confidence_interval)


# R values pasted in JuliaStats/HypothesisTests.jl test/wilcoxon.jl
HT_X = [-7.8, -6.9, -4.7, 3.7, 6.5, 8.7, 9.1, 10.1, 10.8, 13.6, 14.4, 16.6, 20.2, 22.4, 23.5]


def test_hypothesistests_jl_r_intervals() -> None:
    # R: wilcox.test(x, conf.int = TRUE, exact = TRUE) -> (3.3, 15.5), estimate 9.675
    res = sc.wilcoxon_signed_rank(HT_X, exact=True)
    assert tuple(res.estimate.confidence_interval) == pytest.approx((3.3, 15.5), abs=1e-12)
    assert res.estimate.estimate == pytest.approx(9.675, abs=1e-12)
    # R: wilcox.test(x, conf.int = TRUE, exact = FALSE) -> (3.05004, 15.50001)
    res = sc.wilcoxon_signed_rank(HT_X, exact=False)
    assert tuple(res.estimate.confidence_interval) == pytest.approx((3.05004, 15.50001), abs=1e-5)
    # one-sided exact limits 4.45 (greater) and 14.45 (less)
    assert sc.wilcoxon_signed_rank(HT_X, alternative="greater").estimate.confidence_interval == (
        pytest.approx(4.45, abs=1e-12),
        math.inf,
    )
    assert sc.wilcoxon_signed_rank(HT_X, alternative="less").estimate.confidence_interval == (
        -math.inf,
        pytest.approx(14.45, abs=1e-12),
    )


def test_hypothesistests_jl_r_pvalues() -> None:
    # R wilcox.test: 1:15 - 10.1 -> 0.09460449; 1:16 - 10.1 -> 0.1928101
    assert sc.wilcoxon_signed_rank(np.arange(1, 16) - 10.1).pvalue == pytest.approx(
        0.09460449, abs=5e-9
    )
    assert sc.wilcoxon_signed_rank(np.arange(1, 17) - 10.1).pvalue == pytest.approx(
        0.1928101, abs=5e-8
    )
    tied = np.array([1, 2, 3, 4, 5, 6, 7, 10, 10, 10, 10, 10, 13, 14, 15]) - 10.1
    # exactRankTests::wilcox.exact (exact conditional with ties) -> 0.04052734, and R
    # (the same conditional distribution in R >= 4.6); Hodges-Lehmann estimate -2.1
    res = sc.wilcoxon_signed_rank(tied)
    assert res.method == "Wilcoxon signed rank exact test"
    assert res.pvalue == pytest.approx(0.04052734, abs=5e-9)
    assert res.estimate.estimate == pytest.approx(-2.1, abs=1e-12)
    # R (< 4.6, ties -> normal): 1:7, 10 x 5, 13:16 minus 10.1 -> 0.1021964
    tied16 = np.append(tied, 16 - 10.1)
    res16 = sc.wilcoxon_signed_rank(tied16, exact=False)
    assert res16.pvalue == pytest.approx(0.1021964, abs=5e-8)


def test_hypothesistests_jl_zeros_interval() -> None:
    # R (< 4.6, zeros dropped before the interval):
    #   wilcox.test(d, conf.int = TRUE, conf.level = 0.9) -> (-0.24999, 0.75005), est. 0.5
    d = np.array(
        [0, 0, 0, 0.5, 0.5, 1, -0.5, -1, 1.5, -1.5, 0.5, 0, 1, -0.5, 2, 0, 0.5, -1, 1, 0.5]
    )
    nonzero = d[d != 0]
    old = sc.wilcoxon_signed_rank(nonzero, exact=False, confidence_level=0.9).estimate
    assert tuple(old.confidence_interval) == pytest.approx((-0.24999, 0.75005), abs=5e-6)
    assert old.estimate == pytest.approx(0.5, abs=1e-4)
    # R < 4.6's test (zeros dropped, normal approximation) is one keyword away (the default
    # changed deliberately in issue 11: zeros ranked, exact for n < 50, as R-devel)
    res = sc.wilcoxon_signed_rank(d, zero_method="wilcox", exact=False, confidence_level=0.9)
    same = sc.wilcoxon_signed_rank(nonzero, exact=False, confidence_level=0.9)
    assert (res.statistic, res.pvalue) == (same.statistic, same.pvalue)
    assert sc.wilcoxon_signed_rank(d).details["exact"] is True


# ------------------------------------------------------- zeros: R-devel, scipy, enumeration
def _walsh(x: np.ndarray) -> np.ndarray:
    i, j = np.triu_indices(x.size)
    return np.sort((x[i] + x[j]) / 2)


def test_r_devel_example_zero_and_ties_exact() -> None:
    # R-devel tests/Examples/stats-Ex.Rout.save (r-devel/r-svn, 2026-06, ?wilcox.test example):
    #   wilcox.test(-2:12, conf.int = TRUE, exact = TRUE)
    #   -> Wilcoxon signed rank exact test, V = 112, p-value = 0.001465,
    #      95.5 percent confidence interval: 2.5 7.5, (pseudo)median 5
    x = np.arange(-2, 13)
    res = sc.wilcoxon_signed_rank(x)
    assert res.method == "Wilcoxon signed rank exact test"
    assert res.statistic == 112.0
    assert res.pvalue == pytest.approx(0.001465, abs=5e-7)
    # scipy 1.17, Pratt's zeros, full sign-flip enumeration (2^15; 8 s, so run once):
    #   stats.wilcoxon(np.arange(-2, 13), zero_method="pratt",
    #                  method=stats.PermutationMethod(n_resamples=np.inf)) -> 0.00146484375
    assert res.pvalue == pytest.approx(0.00146484375, rel=1e-12)
    assert res.pvalue == pytest.approx(_brute_signed_pratt(x.astype(float), "two-sided")[1])
    assert tuple(res.estimate.confidence_interval) == (2.5, 7.5)
    assert res.estimate.estimate == 5.0
    # the interval is the classical one: the qu-th smallest and largest Walsh averages with
    # qu the smallest q with P(V <= q) > 0.025 (enumerated); its coverage 1 - 2 P(V <= qu - 1)
    # = 0.952 (R-devel prints 95.5 from its scan's lower tail P(V > v); statcraft reports the
    # requested level, which is attained)
    v = np.array(list(itertools.product([0, 1], repeat=15))) @ np.arange(1, 16)
    qu = next(q for q in range(121) if np.mean(v <= q) > 0.025)
    walsh = _walsh(x.astype(float))
    assert res.estimate.confidence_interval == (walsh[qu - 1], walsh[walsh.size - qu])
    assert res.estimate.confidence_level == 0.95
    assert 1 - 2 * np.mean(v <= qu - 1) == pytest.approx(0.95209, abs=5e-6)
    # R < 4.6 / scipy default: zero dropped, V = 100. scipy 1.17:
    #   stats.wilcoxon(np.arange(-2, 13), zero_method="wilcox",
    #                  method=stats.PermutationMethod(n_resamples=np.inf)) -> 0.0013427734375
    wil = sc.wilcoxon_signed_rank(x, zero_method="wilcox")
    assert wil.statistic == 100.0
    assert wil.pvalue == pytest.approx(0.0013427734375, rel=1e-12)
    assert wil.pvalue == pytest.approx(_brute_signed(x.astype(float), "two-sided")[1])
    assert tuple(wil.estimate.confidence_interval) == (2.5, 7.5)  # the interval is the same


def test_r_devel_example_zero_normal_approximation() -> None:
    # R-devel tests/Examples/stats-Ex.Rout.save (r-devel/r-svn, 2026-06; zeros kept since
    # R 4.7.0 "following Pratt (1959)", ?wilcox.test):
    #   wilcox.test(c(-2:11, 1000), conf.int = TRUE, exact = FALSE)
    #   -> V = 112, p-value = 0.003119; 95 percent CI 2.000036 8.500017; (pseudo)median 5.000039
    x = np.append(np.arange(-2, 12), 1000)
    res = sc.wilcoxon_signed_rank(x, exact=False)
    assert res.method == "Wilcoxon signed rank test with continuity correction"
    assert res.statistic == 112.0
    assert res.pvalue == pytest.approx(0.003119, abs=5e-7)
    ref = stats.wilcoxon(x, zero_method="pratt", method="asymptotic", correction=True)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    # mean 15*16/4 - 1*2/4 = 59.5; variance 15*16*31/24 - (6 + 6)/48 - 1*2^2/16 = 309.5
    assert res.details["z"] == pytest.approx((112 - 59.5 - 0.5) / math.sqrt(309.5), rel=1e-12)
    ci = res.estimate.confidence_interval
    assert (ci.low, ci.high) == pytest.approx((2.000036, 8.500017), abs=5e-7)
    assert res.estimate.estimate == pytest.approx(5.000039, abs=5e-7)
    # zero_method='wilcox' (R < 4.6): V = 100, scipy's default; the same interval and estimate
    wil = sc.wilcoxon_signed_rank(x, exact=False, zero_method="wilcox")
    ref_w = stats.wilcoxon(x, zero_method="wilcox", method="asymptotic", correction=True)
    assert wil.statistic == 100.0
    assert wil.pvalue == pytest.approx(ref_w.pvalue, rel=1e-12)
    assert wil.estimate == res.estimate


@pytest.mark.filterwarnings("ignore:requested confidence_level")
@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_r_devel_zero_sequences(m: int) -> None:
    # R-devel src/library/stats/tests/ks-test.R(.Rout.save): wilcox.test(0:m, exact = TRUE,
    # conf.int = TRUE, alternative = alt) for m = 0..4:
    #   V = 0 2 5 9 14; p two.sided 1 1 .5 .25 .125, greater 2^(0:-4), less 1;
    #   (pseudo)median 0 .5 1 1.5 2     (m = 0, all zeros: R gives p = 1, statcraft raises)
    x = np.arange(m + 1, dtype=float)
    v_ref = {1: 2, 2: 5, 3: 9, 4: 14}[m]
    p_ref = {"two-sided": min(1.0, 2.0 ** (1 - m)), "greater": 2.0**-m, "less": 1.0}
    for alt, p in p_ref.items():
        res = sc.wilcoxon_signed_rank(x, alternative=alt)
        assert res.statistic == v_ref
        assert res.pvalue == pytest.approx(p, rel=1e-12)
        assert res.estimate.estimate == m / 2
    # R < 4.6 dropped the zero: V = 1 3 6 10
    assert sc.wilcoxon_signed_rank(x, zero_method="wilcox").statistic == m * (m + 1) / 2


def test_zero_does_not_move_the_exact_interval() -> None:
    # ks-test.Rout.save, R-devel: 0:4 -> "greater" [0.5, Inf) (97%) but c(1e-9, 1:4) (no zero,
    # R's classical branch) -> [1e-09, Inf) (97%): R's scan uses P(V > v) for the lower limit.
    # statcraft inverts the test's own tail P(V >= v): the smallest Walsh average in both cases.
    zero = sc.wilcoxon_signed_rank(np.arange(5.0), alternative="greater").estimate
    eps = sc.wilcoxon_signed_rank([1e-9, 1, 2, 3, 4], alternative="greater").estimate
    assert tuple(eps.confidence_interval) == (1e-9, math.inf)  # as R
    assert tuple(zero.confidence_interval) == (0.0, math.inf)
    # "less": R gives [-Inf, 4] for both
    less = sc.wilcoxon_signed_rank(np.arange(5.0), alternative="less").estimate
    assert tuple(less.confidence_interval) == (-math.inf, 4.0)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", range(6))
def test_zero_methods_match_scipy_enumeration(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(4, 12))
    d = rng.integers(-3, 6, size=n).astype(float)
    d[: int(rng.integers(1, 3))] = 0.0  # one or two zeros, ties likely
    if np.all(d == 0):
        d[-1] = 2.0
    perm = stats.PermutationMethod(n_resamples=np.inf)  # all 2^n sign flips: exact
    for zm, brute in (("pratt", _brute_signed_pratt), ("wilcox", _brute_signed)):
        res = sc.wilcoxon_signed_rank(d, zero_method=zm, alternative=alternative)
        ref = stats.wilcoxon(d, zero_method=zm, alternative=alternative, method=perm)
        v_ref, p_ref = brute(d, alternative)
        assert res.details["exact"] is True
        assert res.statistic == v_ref
        assert res.pvalue == pytest.approx(ref.pvalue, abs=1e-12)
        assert res.pvalue == pytest.approx(p_ref, abs=1e-12)


@pytest.mark.parametrize("correction", [True, False])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_zero_methods_normal_match_scipy(correction: bool, alternative: str) -> None:
    rng = np.random.default_rng(21)
    d = np.round(rng.normal(0.2, 1.0, size=80), 1)  # zeros and ties
    assert np.sum(d == 0) >= 2
    for zm in ("pratt", "wilcox"):
        res = sc.wilcoxon_signed_rank(
            d, zero_method=zm, exact=False, correction=correction, alternative=alternative
        )
        ref = stats.wilcoxon(
            d, zero_method=zm, method="asymptotic", correction=correction, alternative=alternative
        )
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
        if alternative != "two-sided":  # scipy's two-sided statistic is min(T+, T-)
            assert res.statistic == ref.statistic
    # 'auto' with n = 80 is the normal approximation for both
    assert sc.wilcoxon_signed_rank(d).details["exact"] is False


def test_auto_rule_counts_the_differences_that_enter_the_statistic() -> None:
    # R-devel: exact if n < 50 with n = length(x) (zeros included, Pratt); 'wilcox' drops the
    # zeros first, so 48 nonzero differences out of 50 are exact
    rng = np.random.default_rng(4)
    d = rng.normal(0.3, 1.0, size=50)
    d[:2] = 0.0
    assert sc.wilcoxon_signed_rank(d).details["exact"] is False
    assert sc.wilcoxon_signed_rank(d, zero_method="wilcox").details["exact"] is True
    assert sc.wilcoxon_signed_rank(d[1:]).details["exact"] is True


@pytest.mark.parametrize("exact", [True, False])
def test_estimate_and_interval_do_not_depend_on_zero_method_or_mu(exact: bool) -> None:
    d = np.array([0.0, 1.5, -0.5, 2.0, 2.0, 0.0, 3.0, -1.0, 2.5, 4.0, 1.0, 0.5])
    base = sc.wilcoxon_signed_rank(d, exact=exact).estimate
    assert base.details["exact"] is exact
    for zm in ("pratt", "wilcox"):
        for mu in (0.0, 2.0, -1.0):  # mu = 2 makes two other zeros
            est = sc.wilcoxon_signed_rank(d, mu=mu, zero_method=zm, exact=exact).estimate
            assert est == base
    if not exact:  # the estimator alone gives the same numbers
        hl = sc.hodges_lehmann(d, exact=False)
        assert (hl.estimate, hl.confidence_interval) == (base.estimate, base.confidence_interval)


def _brute_inverted_interval(x: np.ndarray, alternative: str, alpha: float) -> tuple[float, float]:
    """Invert the exact conditional test by enumeration, region by region between Walsh averages."""
    u = np.unique(_walsh(x))
    points = np.concatenate([[u[0] - 1], (u[:-1] + u[1:]) / 2, [u[-1] + 1]])
    signs = np.array(list(itertools.product([False, True], repeat=x.size)))
    p_greater, p_less = [], []
    for g in points:
        xd = x - g
        r = stats.rankdata(np.abs(xd))
        v_obs = r[xd > 0].sum()
        v = (signs * r).sum(axis=1)
        p_greater.append(np.mean(v >= v_obs - 1e-9))
        p_less.append(np.mean(v <= v_obs + 1e-9))
    a = alpha / 2 if alternative == "two-sided" else alpha
    low, high = -math.inf, math.inf
    if alternative != "less":  # first region from below whose 'greater' test does not reject
        j = next(j for j in range(points.size) if p_greater[j] > a)
        assert j > 0
        low = float(u[j - 1])
    if alternative != "greater":
        j = next(j for j in range(points.size - 1, -1, -1) if p_less[j] > a)
        assert j < points.size - 1
        high = float(u[j])
    return low, high


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", range(5))
def test_exact_interval_with_repeated_values_inverts_the_test(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    x = rng.integers(-2, 7, size=10).astype(float)  # repeated values, zeros, ties
    level = 0.9
    ref = _brute_inverted_interval(x, alternative, 1 - level)
    for zm in ("pratt", "wilcox"):
        res = sc.wilcoxon_signed_rank(
            x, zero_method=zm, alternative=alternative, confidence_level=level
        )
        assert res.estimate.details["exact"] is True
        assert tuple(res.estimate.confidence_interval) == ref
        assert res.estimate.estimate == np.median(_walsh(x))
        assert res.estimate.confidence_level == level


def test_exact_interval_with_repeats_too_costly_is_reported() -> None:
    rng = np.random.default_rng(8)
    x = np.round(rng.normal(1.0, 2.0, size=400), 1)
    res = sc.wilcoxon_signed_rank(x, exact=True)
    assert res.estimate is None
    assert "use exact=False" in res.details["estimate_unavailable"]


# ---------------------------------------------------------------------------- Mann-Whitney
def test_permeability_r_reference() -> None:
    # R: wilcox.test(x, y, alternative = "g") -> W = 35, p-value = 0.1272
    res = sc.mann_whitney(PERM_X, PERM_Y, alternative="greater")
    assert res.statistic == 35.0
    assert res.pvalue == pytest.approx(0.1272, abs=5e-5)
    assert res.method == "Wilcoxon rank sum exact test"
    # R: wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE)
    #    -> W = 35, p-value = 0.1103  (H&W large sample approximation)
    res2 = sc.mann_whitney(PERM_X, PERM_Y, alternative="greater", exact=False, correction=False)
    assert res2.pvalue == pytest.approx(0.1103, abs=5e-5)
    assert res2.method == "Wilcoxon rank sum test"


def test_permeability_estimate_and_effect_size() -> None:
    res = sc.mann_whitney(PERM_X, PERM_Y, alternative="greater")
    diffs = np.sort(np.subtract.outer(PERM_X, PERM_Y).ravel())
    # R: estimate "difference in location" = median of the 50 differences = 0.305
    assert res.estimate.estimate == pytest.approx(0.305, abs=1e-12)
    # one-sided exact limit: the qwilcox(0.05, 10, 5)-th smallest difference; enumerate it
    ranks = np.arange(1, 16)
    w = np.array([ranks[list(c)].sum() for c in itertools.combinations(range(15), 10)]) - 55
    q = next(q for q in range(51) if np.mean(w <= q) >= 0.05)
    assert res.estimate.confidence_interval == (diffs[q - 1], math.inf)
    # rank-biserial = P(X > Y) - P(X < Y) over the 50 pairs
    dom = np.mean(np.subtract.outer(PERM_X, PERM_Y) > 0) - np.mean(
        np.subtract.outer(PERM_X, PERM_Y) < 0
    )
    assert res.effect_size.estimate == pytest.approx(dom, abs=1e-14)
    se = math.sqrt((10 + 5 + 1) / (3 * 10 * 5))  # effectsize: sqrt((n1 + n2 + 1)/(3 n1 n2))
    assert res.effect_size.confidence_interval.low == pytest.approx(
        math.tanh(math.atanh(dom) - stats.norm.ppf(0.95) * se), rel=1e-12
    )
    assert res.effect_size.confidence_interval.high == 1.0


def test_ties_normal_r_reference() -> None:
    # endmemo.com/r/wilcoxon.php (R < 4.6, normal approximation with ties):
    #   wilcox.test(x, y) -> W = 51.5, p-value = 0.5966
    x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4]
    y = [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]
    res = sc.mann_whitney(x, y, exact=False)
    assert res.statistic == 51.5
    assert res.pvalue == pytest.approx(0.5966, abs=5e-5)
    assert res.method == "Wilcoxon rank sum test with continuity correction"
    #   y <- c(1233, 4356, 987, 39999, 1111, 200000); wilcox.test(x, y) -> W = 0, p = 0.001364
    res2 = sc.mann_whitney(x, [1233, 4356, 987, 39999, 1111, 200000], exact=False)
    assert res2.statistic == 0.0
    assert res2.pvalue == pytest.approx(0.001364, abs=5e-7)
    # R >= 4.6 default: exact conditional p-value with ties -> brute-force enumeration
    _, p_ref = _brute_ranksum(np.array(x, float)[:7], np.array(y, float)[:6], "two-sided")
    assert sc.mann_whitney(x[:7], y[:6]).pvalue == pytest.approx(p_ref, abs=1e-12)


def _independent_rank_sum_tail(ranks: np.ndarray, m: int, w_obs: float) -> float:
    """P(W <= w_obs) by a dictionary DP over (subset size, doubled rank sum): independent code."""
    counts: dict[tuple[int, int], int] = {(0, 0): 1}
    for a in np.rint(2 * ranks).astype(int):
        nxt = dict(counts)
        for (j, s), c in counts.items():
            if j < m:
                nxt[(j + 1, s + a)] = nxt.get((j + 1, s + a), 0) + c
        counts = nxt
    total = math.comb(ranks.size, m)
    limit = 2 * (w_obs + m * (m + 1) / 2)
    return sum(c for (j, s), c in counts.items() if j == m and s <= limit + 1e-9) / total


def test_airquality_may_august() -> None:
    # R ?wilcox.test: wilcox.test(Ozone ~ Month, data = airquality, subset = Month %in% c(5, 8))
    #   -> W = 127.5, p-value = 0.0001208  (R < 4.6: ties -> normal with continuity correction)
    nan = np.nan
    may = [41, 36, 12, 18, nan, 28, 23, 19, 8, nan, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11,
           4, 32, nan, nan, nan, 23, 45, 115, 37]  # fmt: skip
    aug = [39, 9, 16, 78, 35, 66, 122, 89, 110, nan, nan, 44, 28, 65, nan, 22, 59, 23, 31, 44,
           21, 9, nan, 45, 168, 73, nan, 76, 118, 84, 85]  # fmt: skip
    res = sc.mann_whitney(may, aug, nan_policy="omit", exact=False)
    assert res.statistic == 127.5
    assert res.pvalue == pytest.approx(0.0001208, abs=5e-8)
    # R >= 4.6 default (26 and 26 observations < 50): exact conditional p-value with ties
    exact = sc.mann_whitney(may, aug, nan_policy="omit")
    assert exact.method == "Wilcoxon rank sum exact test"
    x = np.array(may)[~np.isnan(may)]
    y = np.array(aug)[~np.isnan(aug)]
    ranks = stats.rankdata(np.concatenate([x, y]))
    p_ref = 2 * _independent_rank_sum_tail(ranks, x.size, 127.5)
    assert exact.pvalue == pytest.approx(p_ref, rel=1e-10)


@pytest.mark.filterwarnings("ignore:requested confidence_level")
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
@pytest.mark.parametrize("seed", range(8))
def test_rank_sum_exact_matches_enumeration_with_ties(alternative: str, seed: int) -> None:
    rng = np.random.default_rng(50 + seed)
    x = rng.integers(0, 5, size=int(rng.integers(1, 7))).astype(float)
    y = rng.integers(0, 5, size=int(rng.integers(1, 7))).astype(float)
    w_ref, p_ref = _brute_ranksum(x, y, alternative)
    res = sc.mann_whitney(x, y, alternative=alternative)
    assert res.details["exact"] is True
    assert res.statistic == w_ref
    assert res.pvalue == pytest.approx(p_ref, abs=1e-12)


def test_rank_sum_mu_shift_and_scipy() -> None:
    rng = np.random.default_rng(21)
    x, y = rng.normal(1, 1, 12), rng.normal(0, 1, 9)
    for alt in ("two-sided", "less", "greater"):
        ref = stats.mannwhitneyu(x - 0.5, y, alternative=alt, method="exact")
        res = sc.mann_whitney(x, y, mu=0.5, alternative=alt)
        assert res.statistic == ref.statistic
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    xb, yb = np.round(rng.normal(0, 1, 60), 1), np.round(rng.normal(0.2, 1, 55), 1)
    ref = stats.mannwhitneyu(xb, yb, method="asymptotic", use_continuity=True)
    assert sc.mann_whitney(xb, yb).pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def test_rank_biserial_two_sample_and_one_sample() -> None:
    x, y = np.array([3.1, 2.2, 5.0, 4.4, 1.0]), np.array([0.5, 2.2, 1.7, 0.9])
    dom = np.mean(np.subtract.outer(x, y) > 0) - np.mean(np.subtract.outer(x, y) < 0)
    rb = sc.rank_biserial(x, y)
    assert rb.estimate == pytest.approx(dom, abs=1e-14)
    assert rb.n == 9
    one = sc.rank_biserial([1.0, -2.0, 3.0, 0.0, 4.0], mu=0)  # zero dropped
    assert one.estimate == pytest.approx((1 + 3 + 4 - 2) / 10, abs=1e-14)
    perfect = sc.rank_biserial([1.0, 2.0, 3.0])
    assert perfect.estimate == 1.0 and tuple(perfect.confidence_interval) == (1.0, 1.0)
    with pytest.raises(ValueError, match="`paired=True` needs both"):
        sc.rank_biserial([1.0, 2.0], paired=True)
    with pytest.raises(ValueError, match="all differences equal `mu`"):
        sc.rank_biserial([2.0, 2.0], mu=2)
    with pytest.raises(TypeError, match="`paired` must be True or False"):
        sc.rank_biserial([1.0, 2.0], [1.0, 3.0], paired="yes")


# -------------------------------------------------------------------------- Kruskal-Wallis
def test_kruskal_mucociliary_r_reference() -> None:
    # R ?kruskal.test (Hollander & Wolfe 1973, p. 116, mucociliary efficiency):
    #   Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68
    x = [2.9, 3.0, 2.5, 2.6, 3.2]
    y = [3.8, 2.7, 4.0, 2.4]
    z = [2.8, 3.4, 3.7, 2.2, 2.0]
    res = sc.kruskal_wallis(x, y, z, rng=1)
    assert res.statistic == pytest.approx(0.77143, abs=5e-6)
    assert res.df == 2.0
    assert res.pvalue == pytest.approx(0.68, abs=0.005)
    assert res.method == "Kruskal-Wallis rank sum test"
    assert res.effect_size.estimate == pytest.approx(res.statistic / 13, rel=1e-12)
    lo, hi = res.effect_size.confidence_interval
    assert 0 <= lo <= hi <= 1


def test_kruskal_ties_matches_scipy() -> None:
    rng = np.random.default_rng(4)
    groups = [rng.integers(0, 6, size=s).astype(float) for s in (8, 11, 6, 9)]
    ref = stats.kruskal(*groups)
    res = sc.kruskal_wallis(*groups, rng=2, n_resamples=200)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    n = 34
    assert res.details["eta_squared_H"] == pytest.approx((ref.statistic - 3) / (n - 4), rel=1e-12)


def test_kruskal_bootstrap_reproducible() -> None:
    g = ([1.0, 2.0, 3.5, 4.0], [3.0, 5.0, 6.0], [7.0, 8.0, 6.5, 9.0])
    a = sc.kruskal_wallis(*g, rng=3, n_resamples=300)
    b = sc.kruskal_wallis(*g, rng=3, n_resamples=300)
    assert tuple(a.effect_size.confidence_interval) == tuple(b.effect_size.confidence_interval)


# -------------------------------------------------------------------------------- Friedman
def test_friedman_rounding_times_r_reference() -> None:
    # R ?friedman.test: friedman.test(RoundingTimes)
    #   -> Friedman chi-squared = 11.143, df = 2, p-value = 0.003805
    res = sc.friedman(ROUNDING, rng=1)
    assert res.statistic == pytest.approx(11.143, abs=5e-4)
    assert res.df == 2.0
    assert res.pvalue == pytest.approx(0.003805, abs=5e-7)
    assert res.method == "Friedman rank sum test"
    ref = stats.friedmanchisquare(*ROUNDING.T)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)


def test_friedman_kendalls_w_definition_and_dataframe() -> None:
    # Kendall's W from its definition with tie correction:
    # W = 12 S / (m^2 (n^3 - n) - m sum(t^3 - t)), m = blocks (raters), n = treatments (items)
    r = np.apply_along_axis(stats.rankdata, 1, ROUNDING)
    m, n = r.shape
    s = np.sum((r.sum(axis=0) - m * (n + 1) / 2) ** 2)
    t = sum(np.sum(c**3 - c) for c in (np.unique(row, return_counts=True)[1] for row in ROUNDING))
    w = 12 * s / (m**2 * (n**3 - n) - m * t)
    df = pd.DataFrame(ROUNDING, columns=["round_out", "narrow_angle", "wide_angle"])
    res = sc.friedman(df, rng=5, n_resamples=500)
    assert res.effect_size.estimate == pytest.approx(w, rel=1e-12)
    assert list(res.details["rank_sums"]) == ["round_out", "narrow_angle", "wide_angle"]
    lo, hi = res.effect_size.confidence_interval
    assert 0 <= lo < w < hi <= 1


def test_friedman_two_treatments_and_nan_omit() -> None:
    data = np.array([[1.0, 2.0], [3.0, 2.5], [2.0, 4.0], [np.nan, 1.0], [5.0, 6.0]])
    with pytest.raises(ValueError, match="`data` has 1 NaN value"):
        sc.friedman(data)
    res = sc.friedman(data, nan_policy="omit", rng=0, n_resamples=100)
    # k = 2: Friedman's statistic is the sign-test chi-square (3 of 4 blocks favour col 2)
    assert res.statistic == pytest.approx((3 - 1) ** 2 / 4, rel=1e-12)
    assert math.isnan(sc.friedman(data, nan_policy="propagate").pvalue)


# --------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: sc.wilcoxon_signed_rank([1.0, 2.0], [1.0]), ValueError, "same length"),
        (lambda: sc.wilcoxon_signed_rank([2.0, 2.0], mu=2), ValueError, "all differences equal"),
        (lambda: sc.wilcoxon_signed_rank([1.0, 1.0], [1.0, 1.0]), ValueError, "all differences"),
        (lambda: sc.wilcoxon_signed_rank([]), ValueError, "`x` is empty"),
        (lambda: sc.wilcoxon_signed_rank([1.0, np.nan]), ValueError, "`x` has 1 NaN value"),
        (lambda: sc.wilcoxon_signed_rank([1.0, np.inf]), ValueError, "infinite"),
        (lambda: sc.wilcoxon_signed_rank("ab"), TypeError, "`x` must be array-like"),
        (lambda: sc.wilcoxon_signed_rank([1.0], mu="a"), TypeError, "`mu` must be a real"),
        (
            lambda: sc.wilcoxon_signed_rank([1.0], exact="exact"),
            TypeError,
            "`exact` must be True, False or None",
        ),
        (lambda: sc.wilcoxon_signed_rank([1.0], alternative="up"), ValueError, "`alternative`"),
        (
            lambda: sc.wilcoxon_signed_rank([1.0], confidence_level=0),
            ValueError,
            "confidence_level",
        ),
        (lambda: sc.wilcoxon_signed_rank([1.0], correction=1), TypeError, "`correction`"),
        (
            lambda: sc.wilcoxon_signed_rank([1.0], zero_method="zsplit"),
            ValueError,
            "`zero_method` must be one of 'pratt', 'wilcox'; got 'zsplit'",
        ),
        (
            lambda: sc.wilcoxon_signed_rank([1.0], zero_method=None),
            TypeError,
            "`zero_method` must be a string",
        ),
        (
            lambda: sc.wilcoxon_signed_rank([0.0, 0.0], zero_method="wilcox"),
            ValueError,
            "all differences equal `mu`",
        ),
        (lambda: sc.mann_whitney([], [1.0]), ValueError, "`x` is empty"),
        (lambda: sc.mann_whitney([1.0], [np.nan]), ValueError, "`y` is all NaN"),
        (lambda: sc.mann_whitney([1.0, np.nan], [2.0]), ValueError, "`x` has 1 NaN"),
        (lambda: sc.mann_whitney([1.0] * 60, [1.0] * 60), ValueError, "all observations in `x`"),
        (lambda: sc.mann_whitney([1.0], [2.0], nan_policy="drop"), ValueError, "`nan_policy`"),
        (lambda: sc.kruskal_wallis([1.0, 2.0]), ValueError, "at least 2 groups; got 1"),
        (lambda: sc.kruskal_wallis([1.0, 2.0], []), ValueError, r"`groups\[1\]` is empty"),
        (
            lambda: sc.kruskal_wallis([1.0, 1.0], [1.0]),
            ValueError,
            "all observations in `groups` are identical",
        ),
        (lambda: sc.kruskal_wallis([1.0, np.nan], [2.0]), ValueError, r"`groups\[0\]` has 1 NaN"),
        (lambda: sc.kruskal_wallis([1.0], [2.0], n_resamples=0), ValueError, "`n_resamples`"),
        (lambda: sc.friedman([[1.0, 2.0, 3.0]]), ValueError, "at least 2 blocks"),
        (lambda: sc.friedman([[1.0], [2.0]]), ValueError, "at least 2 treatments"),
        (lambda: sc.friedman([1.0, 2.0, 3.0]), ValueError, "at least 2 treatments"),
        (lambda: sc.friedman([[1.0, 1.0], [2.0, 2.0]]), ValueError, "of `data` is entirely tied"),
        (lambda: sc.friedman([[1.0, np.nan], [2.0, 3.0]]), ValueError, "`data` has 1 NaN"),
        (lambda: sc.friedman([["a", "b"], ["c", "d"]]), TypeError, "`data` must contain numbers"),
    ],
)
def test_bad_input(call, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()


def test_nan_policies_and_inputs_not_modified() -> None:
    x = np.array([1.2, np.nan, 0.4, 2.2, 1.9, -0.3, 0.8])
    y = np.array([0.2, 0.1, np.nan, 1.0, 1.1, 0.0, 0.9])
    cx, cy = x.copy(), y.copy()
    omit = sc.wilcoxon_signed_rank(x, y, nan_policy="omit")
    keep = ~(np.isnan(x) | np.isnan(y))
    assert omit.statistic == sc.wilcoxon_signed_rank(x[keep], y[keep]).statistic
    assert math.isnan(sc.wilcoxon_signed_rank(x, y, nan_policy="propagate").pvalue)
    mw = sc.mann_whitney(x, y, nan_policy="omit")
    assert mw.statistic == sc.mann_whitney(x[~np.isnan(x)], y[~np.isnan(y)]).statistic
    assert math.isnan(sc.mann_whitney(x, y, nan_policy="propagate").statistic)
    assert math.isnan(sc.kruskal_wallis(x, y, nan_policy="propagate").statistic)
    np.testing.assert_array_equal(x, cx)
    np.testing.assert_array_equal(y, cy)
    frame = pd.DataFrame(ROUNDING.copy())
    sc.friedman(frame, n_resamples=50, rng=0)
    np.testing.assert_array_equal(frame.to_numpy(), ROUNDING)


def test_constant_nonzero_differences_still_test() -> None:
    res = sc.wilcoxon_signed_rank([3.0] * 60)  # normal method; interval undefined (all tied)
    assert res.pvalue < 1e-10
    assert res.estimate is None
    assert "tied" in res.details["estimate_unavailable"]


# ------------------------------------------------------------------------ size by simulation
def _size_signed(n_rep: int, n: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    data = rng.standard_t(4, size=(n_rep, n))  # symmetric about 0: the null holds
    return float(np.mean([sc.wilcoxon_signed_rank(row).pvalue <= 0.05 for row in data]))


def _size_mw(n_rep: int, n: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    data = rng.exponential(size=(n_rep, 2, n))  # same distribution in both groups
    return float(np.mean([sc.mann_whitney(a, b).pvalue <= 0.05 for a, b in data]))


# The exact tests can only attain the levels of their discrete null distributions. n = 14
# (signed rank: attainable size 2 P(V <= 21) = 0.0494) and n = 14 per group (rank sum:
# 0.0497) sit just under 0.05, so the rejection rate is checked against [0.04, 0.06] and,
# with normal-approximation sample sizes (n >= 50), the asymptotic test is checked too.
def test_size_fast() -> None:
    assert 0.04 <= _size_signed(3000, 14, 1) <= 0.06
    assert 0.04 <= _size_mw(3000, 14, 2) <= 0.06


@pytest.mark.slow
def test_size_full() -> None:
    assert 0.04 <= _size_signed(20_000, 14, 3) <= 0.06
    assert 0.04 <= _size_mw(20_000, 14, 4) <= 0.06
    assert 0.04 <= _size_signed(4_000, 60, 5) <= 0.06  # normal approximation
    assert 0.04 <= _size_mw(4_000, 60, 6) <= 0.06


@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_rank_biserial_one_sided_interval_below_one_half(alternative: str) -> None:
    # Regression: a one-sided interval at confidence_level < 1/2 used a zero normal quantile,
    # so the finite bound sat on the estimate. The bound is tanh(atanh(r) -/+ q * se) with
    # q = qnorm(confidence_level) (negative here), computed independently with scipy.
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    d = np.subtract(x, y)
    n = d.size
    ranks = stats.rankdata(np.abs(d))
    total = n * (n + 1) / 2
    r = 2 * ranks[d > 0].sum() / total - 1
    se = math.sqrt((2 * n**3 + 3 * n**2 + n) / 6) / total
    q = stats.norm.ppf(0.3)
    rb = sc.rank_biserial(x, y, paired=True, alternative=alternative, confidence_level=0.3)
    if alternative == "greater":
        assert rb.confidence_interval.low == pytest.approx(math.tanh(math.atanh(r) - q * se))
        assert rb.confidence_interval.low > rb.estimate
        assert rb.confidence_interval.high == 1.0
    else:
        assert rb.confidence_interval.high == pytest.approx(math.tanh(math.atanh(r) + q * se))
        assert rb.confidence_interval.high < rb.estimate
        assert rb.confidence_interval.low == -1.0


def test_effect_size_intervals_come_from_the_shared_bootstrap() -> None:
    # Issue 11: the intervals are sc.bootstrap's (stratified for Kruskal-Wallis, blocks for
    # Friedman): the same seed gives the same percentile interval as calling it directly.
    g = ([1.0, 2.0, 3.5, 4.0], [3.0, 5.0, 6.0], [7.0, 8.0, 6.5, 9.0])
    values = np.concatenate(g)
    labels = np.repeat([0, 1, 2], [4, 3, 4])

    def eps2(v: np.ndarray) -> float:
        return stats.kruskal(*(v[labels == i] for i in range(3))).statistic / (values.size - 1)

    res = sc.kruskal_wallis(*g, rng=11, n_resamples=400)
    direct = sc.bootstrap(
        (values,), eps2, strata=labels, method="percentile", n_resamples=400, rng=11
    )
    assert tuple(res.effect_size.confidence_interval) == pytest.approx(
        tuple(direct.confidence_interval), rel=1e-12
    )
    assert res.effect_size.std_error == pytest.approx(direct.std_error, rel=1e-12)


def test_bootstrap_of_entirely_tied_resamples_counts_no_effect() -> None:
    # With few blocks some resamples hold only tied blocks (W undefined): they count as 0,
    # so the interval still exists and starts at 0.
    res = sc.friedman([[1.0, 1.0], [2.0, 3.0], [1.0, 1.0], [4.0, 2.0]], rng=1, n_resamples=500)
    assert res.effect_size.confidence_interval.low == 0.0
    res = sc.kruskal_wallis([1.0, 1.0], [1.0, 2.0], rng=1, n_resamples=500)
    assert res.effect_size.confidence_interval.low == 0.0
