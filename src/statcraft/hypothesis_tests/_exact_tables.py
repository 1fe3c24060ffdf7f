"""Exact conditional distributions for count data (private helpers of ``categorical``).

- :class:`NoncentralHypergeometric`: Fisher's noncentral hypergeometric distribution on an
  integer support with given central log-weights; used for the 2×2 Fisher test (one stratum) and
  the exact Mantel-Haenszel test (the convolution of the strata), as in R's ``fisher.test`` and
  ``mantelhaen.test``: p-values, the conditional maximum-likelihood odds ratio and its exact
  confidence interval.
- :func:`fisher_rxc_pvalue`: the exact r×c Fisher test over all tables with the observed
  margins (a vectorised network algorithm: column by column, merged nodes, bounds).
- :func:`binomial_two_sided_pvalue` and :func:`poisson_two_sided_pvalue`: R's rule for the
  two-sided p-value of ``binom.test`` and ``poisson.test`` (sum of the probabilities of outcomes
  no more likely than the observed one, with relative tolerance ``1e-7``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import optimize, special, stats

# R's relative tolerance when comparing probabilities with that of the observed outcome.
REL_ERR = 1 + 1e-7

# The r×c enumeration gives up, with a clear error, after building MAX_NODES partial tables
# (some seconds of work).
MAX_NODES = 20_000_000


class NoncentralHypergeometric:
    """Fisher's noncentral hypergeometric law ``P(S = s) ∝ d(s) ψ^s`` on ``lo..hi``.

    Parameters
    ----------
    lo : int
        Smallest value of the support.
    logdc : numpy.ndarray
        ``log d(s)`` for ``s = lo, ..., hi`` (the central, ``ψ = 1``, log-probabilities up to a
        constant; ``-inf`` allowed).

    Notes
    -----
    The odds ratio ``ψ`` is handled on the log scale, ``θ = log ψ``, with ``θ = -inf`` (ψ = 0:
    all mass at ``lo``) and ``θ = inf`` (all mass at ``hi``) allowed, as R does.
    """

    def __init__(self, lo: int, logdc: np.ndarray) -> None:
        self.lo = int(lo)
        self.logdc = np.asarray(logdc, dtype=float)
        self.support = np.arange(self.lo, self.lo + self.logdc.size, dtype=float)
        self.hi = self.lo + self.logdc.size - 1

    def pmf(self, theta: float) -> np.ndarray:
        """Probabilities on the support at ``θ = log ψ``."""
        if theta == -math.inf or theta == math.inf:
            out = np.zeros(self.support.size)
            out[0 if theta == -math.inf else -1] = 1.0
            return out
        d = self.logdc + theta * self.support
        d = np.exp(d - np.max(d))
        return d / d.sum()

    def mean(self, theta: float) -> float:
        """Return the expected value at ``θ``."""
        return float(np.dot(self.support, self.pmf(theta)))

    def cdf(self, q: int, theta: float) -> float:
        """``P(S <= q)`` at ``θ``."""
        return float(min(1.0, self.pmf(theta)[self.support <= q].sum()))

    def sf(self, q: int, theta: float) -> float:
        """``P(S >= q)`` at ``θ``."""
        return float(min(1.0, self.pmf(theta)[self.support >= q].sum()))

    def _solve(self, func: Callable[[float], float]) -> float:
        """Root in θ of a monotone function, bracketing outward from 0."""
        a, b = -1.0, 1.0
        fa, fb = func(a), func(b)
        while fa * fb > 0:
            a, b = 2 * a, 2 * b
            if b > 1e4:  # pragma: no cover - cannot happen for x strictly inside the support
                raise RuntimeError("failed to bracket the conditional odds ratio")
            fa, fb = func(a), func(b)
        return float(optimize.brentq(func, a, b, xtol=1e-13, rtol=4 * np.finfo(float).eps))

    def mle(self, x: int) -> float:
        """Conditional maximum-likelihood odds ratio: the ψ with ``E_ψ[S] = x``."""
        if x == self.lo:
            return 0.0
        if x == self.hi:
            return math.inf
        return math.exp(self._solve(lambda t: self.mean(t) - x))

    def upper(self, x: int, alpha: float) -> float:
        """Upper confidence bound: the ψ with ``P_ψ(S <= x) = alpha`` (inf when x = hi)."""
        if x == self.hi:
            return math.inf
        return math.exp(self._solve(lambda t: self.cdf(x, t) - alpha))

    def lower(self, x: int, alpha: float) -> float:
        """Lower confidence bound: the ψ with ``P_ψ(S >= x) = alpha`` (0 when x = lo)."""
        if x == self.lo:
            return 0.0
        return math.exp(self._solve(lambda t: self.sf(x, t) - alpha))

    def pvalue(self, x: int, alternative: str, theta: float = 0.0) -> float:
        """P-value of ``S = x`` under ``θ`` (R's rule for two-sided: sum of P <= P(x))."""
        if alternative == "less":
            return self.cdf(x, theta)
        if alternative == "greater":
            return self.sf(x, theta)
        d = self.pmf(theta)
        return float(min(1.0, d[d <= d[x - self.lo] * REL_ERR].sum()))

    def interval(self, x: int, confidence_level: float, alternative: str) -> tuple[float, float]:
        """Exact conditional confidence interval for ψ, as R's ``fisher.test``."""
        a = 1 - confidence_level
        if alternative == "less":
            return 0.0, self.upper(x, a)
        if alternative == "greater":
            return self.lower(x, a), math.inf
        return self.lower(x, a / 2), self.upper(x, a / 2)


def hypergeometric_2x2(table: np.ndarray) -> tuple[NoncentralHypergeometric, int]:
    """Return the conditional law of ``table[0, 0]`` given the margins of a 2×2 table."""
    m = int(table[:, 0].sum())  # first column
    n = int(table[:, 1].sum())
    k = int(table[0, :].sum())  # first row
    lo, hi = max(0, k - n), min(k, m)
    support = np.arange(lo, hi + 1)
    logdc = stats.hypergeom.logpmf(support, m + n, m, k)
    return NoncentralHypergeometric(lo, logdc), int(table[0, 0])


def product_hypergeometric(tables: np.ndarray) -> tuple[NoncentralHypergeometric, int]:
    """Return the conditional law of ``S = Σ_k tables[k, 0, 0]`` given all strata margins.

    The central distribution of ``S`` is the convolution of the strata hypergeometric laws
    (Mehta, Patel & Gray 1985), computed here by successive ``numpy.convolve``.
    """
    dist = np.array([1.0])
    lo_total = 0
    for t in tables:
        h, _ = hypergeometric_2x2(t)
        p = np.exp(h.logdc)
        dist = np.convolve(dist, p / p.sum())
        lo_total += h.lo
    with np.errstate(divide="ignore"):
        logdc = np.log(dist)
    return NoncentralHypergeometric(lo_total, logdc), int(tables[:, 0, 0].sum())


_VECTOR_LIMIT = 1_000_000


def _n_at_most(
    pmf: Callable[[np.ndarray], np.ndarray], lo: int, hi: int, d: float, *, decreasing: bool
) -> int:
    """Count the ``i`` in ``[lo, hi]`` with ``pmf(i) <= d``; ``pmf`` is monotone there.

    Up to a million points are evaluated at once (as R); beyond that a bisection for the
    crossing keeps memory and time small (a count of 1e9 would need 8 GB of pmf values).
    """
    if hi < lo:
        return 0
    if hi - lo + 1 <= _VECTOR_LIMIT:
        return int(np.count_nonzero(pmf(np.arange(lo, hi + 1)) <= d))
    a, b = lo, hi + 1  # the first i where the comparison switches (hi + 1: never)
    while a < b:
        mid = (a + b) // 2
        below = bool(pmf(np.array([mid]))[0] <= d)
        if below == decreasing:
            b = mid
        else:
            a = mid + 1
    return hi + 1 - a if decreasing else a - lo


def binomial_two_sided_pvalue(k: int, n: int, p: float) -> float:
    """Two-sided p-value of ``binom.test(k, n, p)`` (R's rule, relErr 1e-7)."""
    if p == 0:
        return float(k == 0)
    if p == 1:
        return float(k == n)
    d = stats.binom.pmf(k, n, p) * REL_ERR
    m = n * p
    if k == m:
        return 1.0

    def pmf(i: np.ndarray) -> np.ndarray:
        return np.asarray(stats.binom.pmf(i, n, p))

    # the pmf falls from ceil(m) (>= the mode floor((n + 1) p)) and rises up to floor(m)
    if k < m:
        y = _n_at_most(pmf, math.ceil(m), n, d, decreasing=True)
        pv = stats.binom.cdf(k, n, p) + stats.binom.sf(n - y, n, p)
    else:
        y = _n_at_most(pmf, 0, math.floor(m), d, decreasing=False)
        pv = stats.binom.cdf(y - 1, n, p) + stats.binom.sf(k - 1, n, p)
    return float(min(1.0, pv))


def poisson_two_sided_pvalue(x: int, m: float) -> float:
    """Two-sided p-value of ``poisson.test`` for count ``x`` with null mean ``m`` (R's rule)."""
    if m == 0:
        return float(x == 0)
    d = stats.poisson.pmf(x, m) * REL_ERR

    def pmf(i: np.ndarray) -> np.ndarray:
        return np.asarray(stats.poisson.pmf(i, m))

    # the Poisson pmf rises up to floor(m) (its mode) and falls from ceil(m)
    if x == m:
        return 1.0
    if x < m:
        big = math.ceil(2 * m - x)
        while stats.poisson.pmf(big, m) > d:
            big *= 2
        y = _n_at_most(pmf, math.ceil(m), big, d, decreasing=True)
        pv = stats.poisson.cdf(x, m) + stats.poisson.sf(big - y, m)
    else:
        y = _n_at_most(pmf, 0, math.floor(m), d, decreasing=False)
        pv = stats.poisson.cdf(y - 1, m) + stats.poisson.sf(x - 1, m)
    return float(min(1.0, pv))


# ----------------------------------------------------------------------------- r × c Fisher


def _too_large(work: float) -> None:
    raise ValueError(
        "`table` is too large for the exact r×c Fisher test: the enumeration of tables with "
        f"its margins passed {work:.2g} partial tables (the limit is {MAX_NODES:.0e}); "
        "use chi2_independence (large expected counts) or a permutation test instead"
    )


def _fill_column(
    caps: np.ndarray, total: int, lgam: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill one column with ``total`` in every way allowed by the row capacities ``caps``.

    Returns ``(parent, cells, kernel)``: for each new partial table the index of the row of
    ``caps`` it extends, the column's cells (``cells.sum(1) == total``,
    ``cells <= caps[parent]``) and ``-Σ log(cell!)``. Rows are filled one at a time with
    ``numpy.repeat``; the cells are read back along the parent chain at the end. More than
    ``limit`` partial tables raise the "too large" error before any memory is taken.
    """
    m, r = caps.shape
    suffix = np.cumsum(caps[:, ::-1], axis=1)[:, ::-1]  # suffix[:, i] = caps[:, i:].sum(1)
    parent = np.arange(m)
    rem = np.full(m, total, dtype=caps.dtype)
    kernel = np.zeros(m)
    chain: list[tuple[np.ndarray, np.ndarray]] = []
    for i in range(r - 1):
        lo = np.maximum(0, rem - suffix[parent, i + 1])
        hi = np.minimum(caps[parent, i], rem)
        counts = np.maximum(hi - lo + 1, 0)
        if int(counts.sum()) > limit:
            _too_large(MAX_NODES - limit + int(counts.sum()))
        rep = np.repeat(np.arange(parent.size), counts)
        start = np.cumsum(counts) - counts
        v = (lo - start)[rep] + np.arange(rep.size, dtype=caps.dtype)
        parent = parent[rep]
        rem = rem[rep] - v
        kernel = kernel[rep] - lgam[v]
        chain.append((rep, v))
    kernel -= lgam[rem]  # the last row takes what is left (feasible by construction)
    cells = np.empty((rem.size, r), dtype=caps.dtype)
    cells[:, r - 1] = rem
    idx = np.arange(rem.size)
    for i in range(r - 2, -1, -1):
        rep, v = chain[i]
        cells[:, i] = v[idx]
        idx = rep[idx]
    return parent, cells, kernel


def _spread_max(caps: np.ndarray, totals: np.ndarray, lgam: np.ndarray) -> np.ndarray:
    """``max -Σ log(n_i!)`` subject to ``Σ n_i = total``, ``0 <= n_i <= caps_i`` (per row).

    The concave objective is maximised by water-filling: every ``n_i = min(cap_i, t)`` for the
    largest level ``t`` that fits, the remaining units one each to rows with ``cap_i > t``.
    """
    cs = np.sort(caps, axis=1)
    lo = np.zeros(cs.shape[0], dtype=cs.dtype)
    hi = cs[:, -1].copy()
    while True:
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi + 1) // 2
        ok = np.minimum(cs, mid[:, None]).sum(axis=1) <= totals
        lo = np.where(active & ok, mid, lo)
        hi = np.where(active & ~ok, mid - 1, hi)
    base = np.minimum(cs, lo[:, None])
    extra = totals - base.sum(axis=1)
    return -(lgam[base].sum(axis=1) + extra * (lgam[lo + 1] - lgam[lo]))


def _concentrate_min(caps: np.ndarray, totals: np.ndarray, lgam: np.ndarray) -> np.ndarray:
    """``min -Σ log(n_i!)`` under the same constraints: fill the largest capacities first.

    The convex ``Σ log(n_i!)`` is Schur-convex, so the greedy vector, which majorizes every
    feasible one, maximises it.
    """
    cs = -np.sort(-caps, axis=1)
    before = np.cumsum(cs, axis=1) - cs
    n = np.clip(totals[:, None] - before, 0, cs)
    return -lgam[n].sum(axis=1)


def _bounds(
    states: np.ndarray, cols: np.ndarray, lgam: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds on the kernel of the completions of each state, and the log of their total.

    ``upper >= max`` and ``lower <= min`` of ``-Σ log(n_ij!)`` over all fillings of the columns
    ``cols`` with row totals ``states``: relax either the row or the column totals (the
    problem then splits into independent one-dimensional ones) and keep the tighter bound.
    ``log_total = log Σ exp(kernel) = log(N!) - Σ log(s_i!) - Σ log(c_k!)`` (multinomial
    theorem), which accounts for all completions at once.
    """
    m, r = states.shape
    k = cols.size
    caps = np.repeat(states, k, axis=0)
    tot = np.tile(cols, m)
    up_c = _spread_max(caps, tot, lgam).reshape(m, k).sum(axis=1)
    lo_c = _concentrate_min(caps, tot, lgam).reshape(m, k).sum(axis=1)
    caps_r = np.broadcast_to(cols, (m * r, k))
    tot_r = states.ravel()
    up_r = _spread_max(caps_r, tot_r, lgam).reshape(m, r).sum(axis=1)
    lo_r = _concentrate_min(caps_r, tot_r, lgam).reshape(m, r).sum(axis=1)
    log_total = lgam[states.sum(axis=1)] - lgam[states].sum(axis=1) - lgam[cols].sum()
    return np.minimum(up_c, up_r), np.maximum(lo_c, lo_r), log_total


def fisher_rxc_pvalue(table: np.ndarray) -> tuple[float, int]:
    """Exact p-value of Fisher's test on an r×c table, and the number of partial tables built.

    The p-value is the total probability, under the multivariate hypergeometric law given both
    margins, of the tables no more probable than the observed one (relative tolerance 1e-7),
    as R's FEXACT. The tables are built column by column (largest column first) as in the
    network algorithm of Mehta and Patel (1983): a node is the vector of row totals still to
    fill, carrying the kernel ``a = -Σ log(n_ij!)`` of the filled part and a multiplicity.
    Nodes with equal row totals and kernel are merged. Before each column, bounds on the
    kernel of the completions decide, for each node, that all of its completions count (their
    total probability is added in closed form), that none does (the node is dropped), or that
    the node must be expanded.
    """
    t = np.asarray(table, dtype=np.int64)
    if t.shape[0] > t.shape[1]:
        t = t.T  # fewer rows: fewer ways to fill each column
    t = t[:, np.argsort(-t.sum(axis=0), kind="stable")]
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    n = int(rows.sum())
    lgam = special.gammaln(np.arange(n + 2) + 1.0)  # lgam[v] = log(v!)
    const = float(lgam[rows].sum() + lgam[cols].sum() - lgam[n])
    threshold = float(-lgam[t].sum()) + math.log(REL_ERR)
    if float(np.prod(rows + 1.0)) >= 2.0**62:
        _too_large(float(np.prod(rows + 1.0)))
    radix = np.concatenate([[1], np.cumprod(rows[:-1] + 1)]).astype(np.int64)

    states = rows[None, :].copy()
    kernel = np.zeros(1)
    logw = np.zeros(1)  # log multiplicity of each node
    terms: list[np.ndarray] = []
    work = 0
    for j in range(cols.size - 1):
        _, first, inv = np.unique(states @ radix, return_index=True, return_inverse=True)
        upper, lower, log_total = (v[inv] for v in _bounds(states[first], cols[j:], lgam))
        done = kernel + upper <= threshold
        terms.append(logw[done] + kernel[done] + log_total[done])
        keep = ~done & (kernel + lower <= threshold)
        if not keep.any():
            break
        parent, cells, delta = _fill_column(states[keep], int(cols[j]), lgam, MAX_NODES - work)
        work += parent.size
        states = states[keep][parent] - cells
        kernel = kernel[keep][parent] + delta
        logw = logw[keep][parent]
        # merge nodes with the same row totals and (to 1e-9) the same kernel
        code = states @ radix
        kkey = np.round(kernel * 1e9).astype(np.int64)
        kkey -= kkey.min()
        span = int(kkey.max()) + 1
        if span * float(radix[-1] * (rows[-1] + 1)) < 2.0**62:  # one int64 key suffices
            key = code * span + kkey
            order = np.argsort(key)
            key = key[order]
            new = np.empty(order.size, dtype=bool)
            new[0] = True
            new[1:] = key[1:] != key[:-1]
        else:
            order = np.lexsort((kkey, code))
            code, kkey = code[order], kkey[order]
            new = np.empty(order.size, dtype=bool)
            new[0] = True
            new[1:] = (code[1:] != code[:-1]) | (kkey[1:] != kkey[:-1])
        starts = np.flatnonzero(new)
        group = np.cumsum(new) - 1
        lw = logw[order]
        peak = np.maximum.reduceat(lw, starts)
        logw = peak + np.log(np.add.reduceat(np.exp(lw - peak[group]), starts))
        states, kernel = states[order[starts]], kernel[order[starts]]
    else:
        final = kernel - lgam[states].sum(axis=1)  # the last column takes what is left
        ok = final <= threshold
        terms.append(logw[ok] + final[ok])
    log_terms = np.concatenate(terms) + const
    top = float(np.max(log_terms))
    pvalue = math.exp(top) * float(np.sum(np.exp(log_terms - top)))
    return float(min(1.0, pvalue)), work
