"""Exact null distributions of the Wilcoxon statistics against brute-force enumeration."""

import itertools

import numpy as np
import pytest
from scipy import stats

from statcraft._rank_distributions import (
    mann_whitney_distribution,
    rank_sum_distribution,
    signed_rank_distribution,
)


def _enumerate_signed(scores: np.ndarray) -> np.ndarray:
    """V for every one of the 2**n sign assignments."""
    signs = np.array(list(itertools.product([False, True], repeat=scores.size)))
    return (signs * scores).sum(axis=1)


def _enumerate_subsets(scores: np.ndarray, m: int) -> np.ndarray:
    """Sum of the scores of every m-subset."""
    return np.array([scores[list(c)].sum() for c in itertools.combinations(range(scores.size), m)])


@pytest.mark.parametrize("seed", range(12))
def test_signed_rank_matches_enumeration_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 11))
    d = rng.integers(1, 5, size=n) * rng.choice([-1.0, 1.0], size=n)  # many ties
    scores = stats.rankdata(np.abs(d))
    dist = signed_rank_distribution(scores)
    v = _enumerate_signed(scores)
    for q in np.unique(v):
        assert dist.cdf(q) == pytest.approx(np.mean(v <= q), abs=1e-13)
        assert dist.sf(q) == pytest.approx(np.mean(v >= q), abs=1e-13)
    assert dist.pmf.sum() == pytest.approx(1.0, abs=1e-13)


@pytest.mark.parametrize("seed", range(12))
def test_rank_sum_matches_enumeration_with_ties(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    m, n = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    pooled = rng.integers(0, 4, size=m + n).astype(float)
    ranks = stats.rankdata(pooled)
    dist = mann_whitney_distribution(ranks, m)
    w = _enumerate_subsets(ranks, m) - m * (m + 1) / 2
    for q in np.unique(w):
        assert dist.cdf(q) == pytest.approx(np.mean(w <= q), abs=1e-13)
        assert dist.sf(q) == pytest.approx(np.mean(w >= q), abs=1e-13)


def test_rank_sum_complement_branch() -> None:
    # m > N - m uses the smaller complement internally; the answer must not change
    ranks = stats.rankdata([1, 2, 2, 3, 5, 5, 5, 8, 9])
    for m in range(0, ranks.size + 1):
        dist = rank_sum_distribution(ranks, m)
        sums = _enumerate_subsets(ranks, m)
        for q in np.unique(sums):
            assert dist.cdf(q) == pytest.approx(np.mean(sums <= q), abs=1e-13)


def test_signed_rank_no_ties_table_value() -> None:
    # Wilcoxon signed-rank table (n = 10): P(V <= 8) = 10/1024 + ... = 25/1024 = 0.02441;
    # R: psignrank(8, 10) -> 0.02441406
    dist = signed_rank_distribution(np.arange(1, 11.0))
    assert dist.cdf(8) == pytest.approx(25 / 1024, abs=1e-15)
    # R: qsignrank(0.025, 10) -> 9 (smallest q with P(V <= q) >= 0.025)
    assert dist.quantile(0.025) == 9.0


def test_rank_sum_no_ties_matches_scipy_exact() -> None:
    # scipy's exact Mann-Whitney distribution is an independent implementation
    x = np.array([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])
    y = np.array([1.15, 0.88, 0.90, 0.74, 1.21])
    ranks = stats.rankdata(np.concatenate([x, y]))
    dist = mann_whitney_distribution(ranks, x.size)
    res = stats.mannwhitneyu(x, y, method="exact", alternative="greater")
    assert dist.sf(35) == pytest.approx(res.pvalue, rel=1e-12)
    # R: wilcox.test(x, y, alternative = "greater") -> W = 35, p-value = 0.1272
    assert dist.sf(35) == pytest.approx(0.1272, abs=5e-5)


def test_quantile_uses_r_rule() -> None:
    # qwilcox(0.025, 4, 6): smallest q with P(W <= q) >= 0.025; P(W <= 2) = 4/210,
    # P(W <= 3) = 7/210 (enumerated below), so q = 3
    dist = mann_whitney_distribution(np.arange(1, 11.0), 4)
    assert dist.quantile(0.025) == 3.0
    w = _enumerate_subsets(np.arange(1, 11.0), 4) - 10
    assert np.mean(w <= 2) < 0.025 <= np.mean(w <= 3)


def test_half_integer_grid() -> None:
    dist = signed_rank_distribution(np.array([1.0, 2.5, 2.5, 4.0]))
    assert dist.step == 0.5
    assert dist.sf(6.5) == pytest.approx(6 / 16)
    assert dist.sf(6.0) == pytest.approx(7 / 16)
    assert dist.cdf(-1) == 0.0
    assert dist.sf(100) == 0.0


def test_rejects_non_rank_scores() -> None:
    with pytest.raises(ValueError, match="multiples of 1/2"):
        signed_rank_distribution(np.array([1.0, 2.3]))
    with pytest.raises(ValueError, match="m must be in"):
        rank_sum_distribution(np.arange(1, 5.0), 7)


def test_too_large_is_refused() -> None:
    with pytest.raises(ValueError, match=r"too large.*exact=False"):
        signed_rank_distribution(np.arange(1, 2001.0))
    with pytest.raises(ValueError, match=r"too large.*exact=False"):
        rank_sum_distribution(np.arange(1, 2001.0), 1000)
