"""Exact null distributions of the Wilcoxon statistics, and rank effect-size helpers.

Private helpers shared by :mod:`statcraft.estimators.rank_based` and
:mod:`statcraft.hypothesis_tests.nonparametric` (the rank-biserial correlation with its
Fisher-z interval, row-wise Kruskal-Wallis statistics for the bootstrap, percentile intervals).

Both distributions are *conditional on the observed scores* (the mid-ranks), so they are exact
with ties as well as without: the permutation distribution that R >= 4.6 computes with the
Streitberg-Röhmel shift algorithm (``stats:::.dsignrank`` / ``stats:::.dwilcox``). Mid-ranks are
multiples of 1/2, so the scores are doubled (only when some rank is a half) and the
distributions are built on an integer grid by dynamic programming over the observations, each
step a vectorised array operation over the whole support:

- signed rank, ``V = sum of the scores with a positive sign``: under the null each sign is +/-
  with probability 1/2 independently, so the generating function is
  ``prod_i (1 + t^{a_i}) / 2`` and the DP is ``p <- (p + shift(p, a_i)) / 2``;
  cost ``O(n * sum(a))``.
- rank sum, ``S = sum of the scores of a random m-subset`` of the ``N`` scores: the DP over items
  keeps ``P_k[j, s]``, the probability that a random ``j``-subset of the first ``k`` scores sums
  to ``s``; ``P_k[j] = (k - j)/k * P_{k-1}[j] + j/k * shift(P_{k-1}[j - 1], a_k)``. Working with
  probabilities instead of counts keeps every entry in [0, 1] (no overflow of
  ``binom(N, m)``); cost ``O(N * min(m, N - m) * sum(a))``.

Without ties these are the classical distributions of R's ``dsignrank`` and ``dwilcox``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special, stats

from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

__all__: list[str] = []

# Largest DP table (cells touched per step times steps) we allow before asking the caller to use
# the normal approximation instead; about a second of work.
_MAX_WORK = 4e8
_EPS = float(np.finfo(float).eps)


@dataclass(frozen=True)
class ExactDistribution:
    """A discrete distribution on the grid ``support = offset + step * arange(len(pmf))``."""

    pmf: np.ndarray
    step: float
    offset: float = 0.0

    @property
    def support(self) -> np.ndarray:
        """The support points (statistic units)."""
        return self.offset + self.step * np.arange(self.pmf.size)

    def cdf(self, q: float) -> float:
        """``P(T <= q)``, with a small tolerance for floating-point statistics."""
        k = int(np.floor((q - self.offset) / self.step + 1e-7))
        if k < 0:
            return 0.0
        return float(min(1.0, self.pmf[: k + 1].sum()))

    def sf(self, q: float) -> float:
        """``P(T >= q)``, with a small tolerance for floating-point statistics."""
        k = int(np.ceil((q - self.offset) / self.step - 1e-7))
        if k >= self.pmf.size:
            return 0.0
        return float(min(1.0, self.pmf[max(k, 0) :].sum()))

    def quantile(self, p: float) -> float:
        """Smallest support point ``s`` with ``P(T <= s) >= p`` (R's fuzz of ``10 * eps``)."""
        cum = np.cumsum(self.pmf)
        idx = int(np.searchsorted(cum, p - 10 * _EPS, side="left"))
        idx = min(idx, self.pmf.size - 1)
        return float(self.offset + self.step * idx)


def midranks(a: np.ndarray) -> np.ndarray:
    """Mid-ranks of a 1-D array (R's ``rank``, scipy's ``rankdata``), without the overhead."""
    a = np.asarray(a, dtype=float)
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    new_group = np.empty(a.size, dtype=bool)
    new_group[:1] = True
    new_group[1:] = sorted_a[1:] != sorted_a[:-1]
    starts = np.flatnonzero(new_group)
    ends = np.append(starts[1:], a.size)
    group_rank = (starts + ends + 1) / 2.0  # average of positions start+1 .. end
    ranks = np.empty(a.size)
    ranks[order] = np.repeat(group_rank, ends - starts)
    return ranks


def _integer_scores(scores: np.ndarray) -> tuple[np.ndarray, float]:
    """Scale mid-ranks to integers: factor 1 if all are whole, else 2 (mid-ranks are k/2)."""
    doubled = np.rint(2.0 * scores)
    if np.max(np.abs(doubled - 2.0 * scores), initial=0.0) > 1e-9:
        raise ValueError("scores must be multiples of 1/2 (ranks or mid-ranks)")
    ints = doubled.astype(np.int64)
    if np.all(ints % 2 == 0):
        return ints // 2, 1.0
    return ints, 0.5


def _is_plain_ranks(scores: np.ndarray) -> bool:
    """Return whether ``scores`` are a permutation of 1..n (no ties: the classical case)."""
    return bool(np.array_equal(np.sort(scores), np.arange(1, scores.size + 1)))


@lru_cache(maxsize=64)
def _signed_rank_no_ties(n: int) -> ExactDistribution:
    dist = _signed_rank_dp(np.arange(1, n + 1, dtype=float))
    dist.pmf.setflags(write=False)
    return dist


@lru_cache(maxsize=64)
def _rank_sum_no_ties(n_total: int, m: int) -> ExactDistribution:
    dist = _rank_sum_dp(np.arange(1, n_total + 1, dtype=float), m)
    dist.pmf.setflags(write=False)
    return dist


def signed_rank_distribution(scores: np.ndarray) -> ExactDistribution:
    """Null distribution of ``V = sum(scores[sign > 0])`` over all ``2**n`` sign assignments.

    Parameters
    ----------
    scores : numpy.ndarray
        Positive (mid-)ranks of ``|x|`` (multiples of 1/2).

    Returns
    -------
    ExactDistribution
        pmf of ``V`` on a grid of step 1 (no half ranks) or 1/2.
    """
    s = np.asarray(scores, dtype=float)
    if _is_plain_ranks(s):  # cached: repeated calls (simulations) are free
        return _signed_rank_no_ties(s.size)
    return _signed_rank_dp(s)


def _signed_rank_dp(scores: np.ndarray) -> ExactDistribution:
    a, step = _integer_scores(scores)
    total = int(a.sum())
    if a.size * (total + 1) > _MAX_WORK:
        raise ValueError(
            f"the exact signed-rank distribution for n = {a.size} is too large to compute; "
            "use exact=False"
        )
    pmf = np.zeros(total + 1)
    pmf[0] = 1.0
    top = 0
    for ai in a:  # one vectorised convolution with (1 + t^a) / 2 per observation
        new_top = top + int(ai)
        shifted = pmf[: top + 1].copy()
        pmf[: new_top + 1] *= 0.5
        pmf[ai : new_top + 1] += 0.5 * shifted
        top = new_top
    return ExactDistribution(pmf, step)


def rank_sum_distribution(scores: np.ndarray, m: int) -> ExactDistribution:
    """Null distribution of the sum of ``m`` scores drawn without replacement from ``scores``.

    Parameters
    ----------
    scores : numpy.ndarray
        The (mid-)ranks of the pooled sample (multiples of 1/2).
    m : int
        Size of the first sample.

    Returns
    -------
    ExactDistribution
        pmf of the rank sum of the first sample.
    """
    s = np.asarray(scores, dtype=float)
    if not 0 <= m <= s.size:
        raise ValueError(f"m must be in [0, {s.size}]; got {m}")
    if _is_plain_ranks(s):
        return _rank_sum_no_ties(s.size, m)
    return _rank_sum_dp(s, m)


def _rank_sum_dp(s: np.ndarray, m: int) -> ExactDistribution:
    n_total = s.size
    a, step = _integer_scores(s)
    # choose the smaller subset: the rank sum of the complement is total - S
    complement = m > n_total - m
    j_max = n_total - m if complement else m
    a_sorted = np.sort(a)
    max_sum = int(a_sorted[n_total - j_max :].sum()) if j_max else 0
    if n_total * (j_max + 1) * (max_sum + 1) > _MAX_WORK:
        raise ValueError(
            f"the exact rank-sum distribution for sample sizes {m} and {n_total - m} is too "
            "large to compute; use exact=False"
        )
    table = np.zeros((j_max + 1, max_sum + 1))
    table[0, 0] = 1.0
    j_idx = np.arange(j_max + 1, dtype=float)[1:, None]
    for k, ak in enumerate(a, start=1):
        prev = table.copy()
        table[1:] = (k - j_idx) / k * prev[1:]
        if ak <= max_sum:
            table[1:, ak:] += j_idx / k * prev[:-1, : max_sum + 1 - ak]
        # rows j > k are impossible; (k - j)/k < 0 there, so zero them explicitly
        if k < j_max:
            table[k + 1 :] = 0.0
    pmf = table[j_max]
    if complement:
        total = int(a.sum())
        # S = total - S_complement: reverse onto the grid [total - max_sum, total]
        return ExactDistribution(pmf[::-1].copy(), step, offset=(total - max_sum) * step)
    return ExactDistribution(pmf, step)


def mann_whitney_distribution(ranks: np.ndarray, m: int) -> ExactDistribution:
    """Null distribution of ``W = R_x - m(m+1)/2`` (R's ``W``) given the pooled mid-ranks."""
    dist = rank_sum_distribution(ranks, m)
    return ExactDistribution(dist.pmf, dist.step, dist.offset - m * (m + 1) / 2)


# ----------------------------------------------------------- effect-size helpers (rank tests)


def fisher_z_interval(
    r: float, se: float | None, alternative: str, confidence_level: float
) -> tuple[float, float]:
    """``tanh(atanh(r) -/+ q * se)``, one-sided bounds at +/-1 (as ``effectsize``).

    ``q`` is the normal quantile at ``(1 + confidence_level) / 2`` (two-sided) or at
    ``confidence_level`` (one-sided, also below 1/2). Without a finite ``se`` the interval is
    the whole range [-1, 1]; at ``|r| = 1`` it collapses onto ``r``.
    """
    if se is None or not math.isfinite(se):
        low, high = -1.0, 1.0
    elif abs(r) >= 1.0:  # atanh(+/-1) is infinite
        low = high = float(np.sign(r))
    else:
        p = (1 + confidence_level) / 2 if alternative == "two-sided" else confidence_level
        zr, half = math.atanh(r), float(special.ndtri(p)) * se
        low, high = math.tanh(zr - half), math.tanh(zr + half)
    if alternative == "greater":
        high = 1.0
    elif alternative == "less":
        low = -1.0
    return low, high


def rank_biserial_signed(
    d: np.ndarray, alternative: str, confidence_level: float, ranks: np.ndarray | None = None
) -> Estimate:
    """Matched-pairs rank-biserial correlation of the nonzero differences ``d``.

    ``ranks``, when given, are the mid-ranks of ``|d|`` the caller already computed.
    """
    n = d.size
    r = midranks(np.abs(d)) if ranks is None else ranks
    total = n * (n + 1) / 2
    v = float(r[d > 0].sum())
    rb = 2 * v / total - 1
    se = math.sqrt((2 * n**3 + 3 * n**2 + n) / 6) / total
    low, high = fisher_z_interval(rb, se, alternative, confidence_level)
    return Estimate(
        float(rb),
        None,
        ConfidenceInterval(low, high),
        confidence_level,
        "matched-pairs rank-biserial correlation (Fisher z interval)",
        n,
        details=FrozenMapping({"fisher_z_std_error": se, "T_plus": v, "T_minus": total - v}),
    )


def rank_biserial_two_sample(w: float, m: int, n: int, alternative: str, level: float) -> Estimate:
    rb = 2 * w / (m * n) - 1
    se = math.sqrt((m + n + 1) / (3 * m * n))
    low, high = fisher_z_interval(rb, se, alternative, level)
    return Estimate(
        float(rb),
        None,
        ConfidenceInterval(low, high),
        level,
        "rank-biserial correlation (Fisher z interval)",
        m + n,
        details=FrozenMapping({"fisher_z_std_error": se, "U": w}),
    )


def tie_terms_rows(values: np.ndarray) -> np.ndarray:
    """``sum(t^3 - t)`` over tie groups, for each row of a 2-D array."""
    lo = stats.rankdata(values, method="min", axis=1)
    hi = stats.rankdata(values, method="max", axis=1)
    t = hi - lo + 1  # size of the tie group of each element; sum over it of (t^2 - 1)
    return np.sum(t * t - 1.0, axis=1)


def kruskal_statistic_rows(values: np.ndarray, labels: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Tie-corrected Kruskal-Wallis H for each row of ``values`` (NaN where undefined)."""
    big_n = values.shape[1]
    r = stats.rankdata(values, axis=1)
    sums = np.stack([r[:, labels == g].sum(axis=1) for g in range(sizes.size)], axis=1)
    raw = 12.0 / (big_n * (big_n + 1)) * np.sum(sums**2 / sizes, axis=1) - 3.0 * (big_n + 1)
    denom = 1.0 - tie_terms_rows(values) / (big_n**3 - big_n)
    out = np.full(values.shape[0], np.nan)
    ok = denom > 1e-12
    out[ok] = raw[ok] / denom[ok]
    return out
