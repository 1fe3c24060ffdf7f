"""Tests for statcraft.resampling.permutation_test: brute-force enumeration, scipy, bad input."""

import itertools

import numpy as np
import pytest
from scipy import stats

from statcraft.resampling import permutation_test


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def brute_p(observed, null, alternative):
    tol = 1e-12 * max(1.0, abs(observed))
    ge = np.mean(null >= observed - tol)
    le = np.mean(null <= observed + tol)
    return {"greater": ge, "less": le, "two-sided": min(1.0, 2 * min(ge, le))}[alternative]


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_exact_independent_matches_enumeration(alternative):
    x = np.array([5.1, 6.3, 7.0, 6.8, 5.9])
    y = np.array([4.2, 4.9, 5.0, 6.1])
    pooled = np.r_[x, y]
    null = []
    for idx in itertools.combinations(range(9), 5):
        mask = np.zeros(9, bool)
        mask[list(idx)] = True
        null.append(pooled[mask].mean() - pooled[~mask].mean())
    res = permutation_test((x, y), mean_diff, alternative=alternative)
    assert res.details["exact"] and res.details["n_resamples"] == 126
    assert res.pvalue == pytest.approx(brute_p(x.mean() - y.mean(), np.array(null), alternative))
    np.testing.assert_allclose(np.sort(res.details["null_distribution"]), np.sort(null))


def test_exact_three_samples_matches_enumeration():
    data = (np.array([1.0, 2.5]), np.array([3.0, 0.5, 4.0]), np.array([2.0, 6.0]))

    def spread(a, b, c, axis=-1):
        m = np.stack([np.mean(a, axis=axis), np.mean(b, axis=axis), np.mean(c, axis=axis)])
        return np.max(m, axis=0) - np.min(m, axis=0)

    pooled = np.concatenate(data)
    null = []
    for perm in itertools.permutations(range(7)):
        a, b, c = pooled[list(perm[:2])], pooled[list(perm[2:5])], pooled[list(perm[5:])]
        null.append(spread(a, b, c))
    res = permutation_test(data, spread, alternative="greater")
    assert res.details["n_resamples"] == 210  # 7! / (2! 3! 2!)
    assert res.pvalue == pytest.approx(brute_p(spread(*data), np.array(null), "greater"))


def test_exact_paired_and_correlation_match_scipy():
    rng = np.random.default_rng(1)
    x = rng.normal(size=8)
    y = x + rng.normal(size=8)
    ours = permutation_test((x, y), mean_diff, permutation_type="paired", n_resamples=10**4)
    ref = stats.permutation_test((x, y), mean_diff, permutation_type="samples", n_resamples=np.inf)
    assert ours.details["exact"] and ours.details["n_resamples"] == 256
    assert ours.pvalue == pytest.approx(ref.pvalue)

    def r(a, b, axis=-1):
        return np.mean(a * b, axis=axis)

    ours = permutation_test((x[:7], y[:7]), r, permutation_type="correlation", n_resamples=10**4)
    # brute force over all 7! orderings of y (scipy's exact 'pairings' takes a minute here)
    null = np.array([r(x[:7], y[:7][list(p)]) for p in itertools.permutations(range(7))])
    assert ours.details["n_resamples"] == 5040
    assert ours.pvalue == pytest.approx(brute_p(r(x[:7], y[:7]), null, "two-sided"))


def test_one_sample_sign_flip_matches_wilcoxon_style_enumeration():
    d = np.array([1.2, -0.4, 2.1, 0.8, 1.5, -0.2])
    null = [np.mean(d * np.array(s)) for s in itertools.product((1, -1), repeat=6)]
    res = permutation_test(
        (d,),
        lambda v, axis=-1: np.mean(v, axis=axis),
        permutation_type="paired",
        alternative="greater",
    )
    assert res.pvalue == pytest.approx(brute_p(d.mean(), np.array(null), "greater"))


def test_monte_carlo_pvalue_formula_and_agreement_with_exact():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=7), rng.normal(0.8, size=6)
    exact = permutation_test((x, y), mean_diff)  # 1716 partitions
    mc = permutation_test((x, y), mean_diff, n_resamples=1000, rng=3)
    assert not mc.details["exact"]
    null = mc.details["null_distribution"]
    obs = mc.statistic
    b_ge = np.sum(null >= obs - 1e-12)
    b_le = np.sum(null <= obs + 1e-12)
    assert mc.pvalue == pytest.approx(min(1, 2 * min(b_ge + 1, b_le + 1) / 1001))
    assert mc.pvalue == pytest.approx(exact.pvalue, abs=0.03)


def test_block_permutation_enumerates_blocks():
    x = np.arange(8.0)
    y = np.array([0.5, 1.0, 3.0, 2.0, 5.0, 4.5, 7.0, 6.0])

    def r(a, b, axis=-1):
        return np.mean(a * b, axis=axis)

    res = permutation_test(
        (x, y),
        r,
        permutation_type="correlation",
        scheme="block",
        block_length=2,
        alternative="greater",
    )
    assert res.details["n_resamples"] == 24  # 4 blocks: 4! orders
    blocks = y.reshape(4, 2)
    null = [np.mean(x * blocks[list(p)].ravel()) for p in itertools.permutations(range(4))]
    assert res.pvalue == pytest.approx(brute_p(r(x, y), np.array(null), "greater"))


def test_inputs_not_modified():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 5.0, 4.0, 6.0])
    permutation_test((x, y), mean_diff)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_bad_input():
    x, y = np.arange(5.0), np.arange(6.0)
    with pytest.raises(ValueError, match=r"`data\[0\]` and `data\[1\]` must have the same"):
        permutation_test((x, y), mean_diff, permutation_type="paired")
    with pytest.raises(ValueError, match="at least 2 samples"):
        permutation_test((x,), mean_diff)
    with pytest.raises(ValueError, match="`n_resamples` must be >= 1"):
        permutation_test((x, y), mean_diff, n_resamples=0)
    with pytest.raises(ValueError, match="cannot exceed the number of observations"):
        permutation_test(
            (x, x), mean_diff, permutation_type="correlation", scheme="block", block_length=9
        )
    with pytest.raises(ValueError, match="`block_length` is required"):
        permutation_test((x, x), mean_diff, permutation_type="paired", scheme="block")
    with pytest.raises(ValueError, match="`permutation_type` must be one of"):
        permutation_test((x, y), mean_diff, permutation_type="samples")
    with pytest.raises(ValueError, match="returned an array of shape"):
        permutation_test((x, y), lambda a, b, axis: 1.0)


def test_nan_policy_and_large_counts():
    x = np.array([1.0, 2.0, np.nan, 4.0])
    y = np.array([2.0, 5.0, 4.0])
    res = permutation_test((x, y), mean_diff, nan_policy="omit")
    assert res.details["n_resamples"] == 20  # 6! / (3! 3!)
    # a huge number of permutations is never computed exactly
    big = permutation_test((np.arange(3000.0), np.arange(3000.0)), mean_diff, n_resamples=99, rng=1)
    assert not big.details["exact"] and big.details["n_resamples"] == 99


def test_monte_carlo_partitions_are_uniform():
    # sum of the first group under random 8 + 8 partitions of 0..15 vs its exact distribution
    x, y = np.arange(8.0), np.arange(8.0, 16.0)
    res = permutation_test(
        (x, y), lambda a, b, axis=-1: np.sum(a, axis=axis), n_resamples=12_000, rng=7
    )
    assert not res.details["exact"]
    exact = np.array([sum(c) for c in itertools.combinations(range(16), 8)], dtype=float)
    grid = np.arange(28, 93)
    ecdf_mc = np.searchsorted(np.sort(res.details["null_distribution"]), grid, side="right")
    ecdf_ex = np.searchsorted(np.sort(exact), grid, side="right")
    # Kolmogorov distance; the 1% critical value for 12 000 draws is 1.63 / sqrt(12000) = 0.015
    assert np.max(np.abs(ecdf_mc / 12_000 - ecdf_ex / exact.size)) < 0.015


def test_paired_one_sample_nan_omit():
    # Regression: one sample of differences with nan_policy='omit' kept the NaN. Brute force:
    # the 16 sign flips of d = (1, 2, 4, 7); only +-d itself reach |mean| >= 3.5.
    d = np.array([1.0, 2.0, 4.0, 7.0])
    flips = np.array(list(itertools.product((-1, 1), repeat=4)))
    null = (flips * d).mean(axis=1)
    expected = np.mean(np.abs(null) >= 3.5)
    res = permutation_test(
        ([1.0, 2.0, np.nan, 4.0, 7.0],), np.mean, permutation_type="paired", nan_policy="omit"
    )
    assert res.details["exact"] and res.pvalue == pytest.approx(expected)
