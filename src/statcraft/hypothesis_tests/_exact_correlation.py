"""Null distributions of Spearman's S and Kendall's T (private helpers of ``correlation``).

- :func:`spearman_tail` is R's ``prho`` (algorithm AS 89, Best & Roberts 1975, as corrected in
  R): exact enumeration of all ``n!`` permutations for ``n <= 9`` and an Edgeworth series
  above.
- :func:`kendall_pmf` is the exact null distribution of the number of concordant pairs ``T``
  without ties (the Mahonian numbers that R's ``ckendall`` computes recursively), built here by
  ``n`` vectorised convolutions with discrete uniform distributions.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import numpy as np
from scipy import special

__all__ = ["kendall_pmf", "kendall_tail", "spearman_tail"]

# AS 89 Edgeworth coefficients (Best & Roberts 1975), as in R's prho.c.
_C = (
    0.2274,
    0.2531,
    0.1745,
    0.0758,
    0.1033,
    0.3932,
    0.0879,
    0.0151,
    0.0072,
    0.0831,
    0.0131,
    4.6e-4,
)
_N_SMALL = 9


def _permutations(n: int) -> np.ndarray:
    """All ``n!`` permutations of ``0..n-1`` as rows, built by vectorised insertion."""
    perms = np.zeros((1, 0), dtype=np.int8)
    for m in range(1, n + 1):
        blocks = [
            np.hstack([perms[:, :k], np.full((perms.shape[0], 1), m - 1, np.int8), perms[:, k:]])
            for k in range(m)
        ]
        perms = np.vstack(blocks)
    return perms


@cache
def _spearman_counts(n: int) -> np.ndarray:
    """``counts[s]`` = number of permutations of ``n`` with ``sum (i - pi(i))**2 == s``."""
    perms = _permutations(n).astype(np.int64)
    s = ((perms - np.arange(n)) ** 2).sum(axis=1)
    return np.bincount(s, minlength=(n**3 - n) // 3 + 1)


def spearman_tail(n: int, q: float, *, lower: bool) -> float:
    """R's ``pspearman(q, n, lower.tail)`` for ``exact = TRUE``: ``prho(n, round(q) + 2 lower)``.

    With ``lower=True`` this is ``P(S <= q)`` (S is even without ties, so ``P(S < q + 2)``),
    with ``lower=False`` it is ``P(S >= q)``.
    """
    s_is = float(np.round(q)) + 2.0 * lower  # R rounds half to even, as numpy does
    pv = 0.0 if lower else 1.0
    if n <= 1 or s_is <= 0:
        return pv
    n3 = n * (n * n - 1.0) / 3.0  # maximal value of S
    if s_is > n3:
        return 1.0 - pv
    if n <= _N_SMALL:
        counts = _spearman_counts(n)
        nfac = math.factorial(n)
        if s_is == n3:
            ifr = 1
        else:
            values = np.arange(counts.size)
            ifr = int(counts[values >= s_is].sum())
        return (nfac - ifr) / nfac if lower else ifr / nfac
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = _C
    y = float(n)
    b = 1.0 / y
    x = (6.0 * (s_is - 1.0) * b / (y * y - 1.0) - 1.0) * math.sqrt(y - 1.0)
    y = x * x
    u = (
        x
        * b
        * (
            c1
            + b * (c2 + c3 * b)
            + y
            * (
                -c4
                + b * (c5 + c6 * b)
                - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))
            )
        )
    )
    y = u / math.exp(y / 2.0)
    # pnorm(x, lower.tail = lower); scipy's ndtr is accurate in both tails
    tail = float(special.ndtr(x)) if lower else float(special.ndtr(-x))
    pv = (-y if lower else y) + tail
    return min(max(pv, 0.0), 1.0)


@lru_cache(maxsize=64)
def kendall_pmf(n: int) -> np.ndarray:
    """Null pmf of the number of concordant pairs ``T`` among ``n`` untied pairs.

    ``T`` has the distribution of the number of inversions of a uniform random permutation,
    the sum of independent discrete uniforms on ``{0, ..., k-1}`` for ``k = 1..n``. Each step
    convolves with one uniform through a cumulative sum, so the probabilities never overflow.
    """
    pmf = np.ones(1)
    for k in range(2, n + 1):
        padded = np.concatenate([pmf, np.zeros(k - 1)])
        cs = np.cumsum(padded)
        shifted = np.concatenate([np.zeros(k), cs[:-k]])
        pmf = (cs - shifted) / k
    pmf.setflags(write=False)
    return pmf


def kendall_tail(n: int, q: int, *, lower: bool) -> float:
    """``P(T <= q)`` (``lower=True``) or ``P(T >= q)`` (``lower=False``) under the null."""
    pmf = kendall_pmf(n)
    if lower:
        return float(min(pmf[: max(q + 1, 0)].sum(), 1.0))
    return float(min(pmf[max(q, 0) :].sum(), 1.0))
