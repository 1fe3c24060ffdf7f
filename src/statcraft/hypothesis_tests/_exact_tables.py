"""Exact conditional distributions for count data (private helpers of ``categorical``).

- :class:`NoncentralHypergeometric`: Fisher's noncentral hypergeometric distribution on an
  integer support with given central log-weights; used for the 2×2 Fisher test (one stratum) and
  the exact Mantel-Haenszel test (the convolution of the strata), as in R's ``fisher.test`` and
  ``mantelhaen.test``: p-values, the conditional maximum-likelihood odds ratio and its exact
  confidence interval.
- :func:`fisher_rxc_pvalue`: the exact r×c Fisher test by enumerating all tables with the
  observed margins (meet in the middle over columns, fully vectorised).
- :func:`binomial_two_sided_pvalue` and :func:`poisson_two_sided_pvalue`: R's rule for the
  two-sided p-value of ``binom.test`` and ``poisson.test`` (sum of the probabilities of outcomes
  no more likely than the observed one, with relative tolerance ``1e-7``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

# R's relative tolerance when comparing probabilities with that of the observed outcome.
REL_ERR = 1 + 1e-7

# The r×c enumeration holds about CHUNK partial tables at once, and refuses (with a clear
# error) tables whose enumeration would fill more than about MAX_WORK partial tables (some
# seconds of work).
CHUNK = 500_000
MAX_WORK = 30_000_000


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

    def _solve(self, f: object) -> float:
        """Root in θ of a monotone function, bracketing outward from 0."""
        func = f  # a callable of θ
        a, b = -1.0, 1.0
        fa, fb = func(a), func(b)  # type: ignore[operator]
        while fa * fb > 0:
            a, b = 2 * a, 2 * b
            if b > 1e4:  # pragma: no cover - cannot happen for x strictly inside the support
                raise RuntimeError("failed to bracket the conditional odds ratio")
            fa, fb = func(a), func(b)  # type: ignore[operator]
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
    if k < m:
        i = np.arange(math.ceil(m), n + 1)
        y = int(np.count_nonzero(stats.binom.pmf(i, n, p) <= d))
        pv = stats.binom.cdf(k, n, p) + stats.binom.sf(n - y, n, p)
    else:
        i = np.arange(0, math.floor(m) + 1)
        y = int(np.count_nonzero(stats.binom.pmf(i, n, p) <= d))
        pv = stats.binom.cdf(y - 1, n, p) + stats.binom.sf(k - 1, n, p)
    return float(min(1.0, pv))


def poisson_two_sided_pvalue(x: int, m: float) -> float:
    """Two-sided p-value of ``poisson.test`` for count ``x`` with null mean ``m`` (R's rule)."""
    if m == 0:
        return float(x == 0)
    d = stats.poisson.pmf(x, m) * REL_ERR
    if x == m:
        return 1.0
    if x < m:
        big = math.ceil(2 * m - x)
        while stats.poisson.pmf(big, m) > d:
            big *= 2
        i = np.arange(math.ceil(m), big + 1)
        y = int(np.count_nonzero(stats.poisson.pmf(i, m) <= d))
        pv = stats.poisson.cdf(x, m) + stats.poisson.sf(big - y, m)
    else:
        i = np.arange(0, math.floor(m) + 1)
        y = int(np.count_nonzero(stats.poisson.pmf(i, m) <= d))
        pv = stats.poisson.cdf(y - 1, m) + stats.poisson.sf(x - 1, m)
    return float(min(1.0, pv))


# ----------------------------------------------------------------------------- r × c Fisher


def _too_large(size: float) -> None:
    raise ValueError(
        "`table` is too large for the exact r×c Fisher test: enumerating the tables with its "
        f"margins would take about {size:.2g} steps (the limit is {MAX_WORK:.0e}); "
        "use chi2_independence (large expected counts) or a permutation test instead"
    )


def _match(
    r_group: np.ndarray,
    r_kernel: np.ndarray,
    l_group: np.ndarray,
    l_kernel: np.ndarray,
    threshold: float,
    n_groups: int,
) -> np.ndarray:
    """Log of ``Σ exp(a + b)`` over right parts ``b`` of the same group with ``a + b <= thr``.

    One value per left part ``a``: the right parts are sorted by (group, value) once, and each
    query ``thr - a`` is located in its group's block by binary search.
    """
    shift = np.full(n_groups, -np.inf)
    np.maximum.at(shift, r_group, r_kernel)
    # Offsetting each group by a span wider than all values makes one sort order all groups;
    # the offsets are exact multiples, so comparisons keep ~1e-10 absolute precision, far
    # below the 1e-7 tolerance of the comparison with the observed table.
    lo = min(float(r_kernel.min()), float(threshold - l_kernel.max())) - 1.0
    hi = max(float(r_kernel.max()), float(threshold - l_kernel.min())) + 1.0
    span = math.ceil(hi - lo) + 1.0
    r_key = (r_kernel - lo) + span * r_group
    order = np.argsort(r_key)
    r_key = r_key[order]
    csum = np.concatenate([[0.0], np.cumsum(np.exp(r_kernel[order] - shift[r_group[order]]))])
    start = np.searchsorted(r_key, span * np.arange(n_groups), side="left")
    q_key = (threshold - l_kernel - lo) + span * l_group
    pos = np.searchsorted(r_key, q_key, side="right")
    q_sum = np.maximum(csum[pos] - csum[start[l_group]], 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(q_sum) + l_kernel + shift[l_group]
    return out[np.isfinite(out)]


def _fill_column(caps: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray]:
    """All ways to fill one column with ``total`` under row capacities ``caps`` (m × r).

    Returns ``(parent, cells)``: for each new partial table the index of the state it extends
    and the column's cells (M × r), with ``cells.sum(1) == total`` and ``cells <= caps[parent]``.
    """
    m, r = caps.shape
    suffix = np.cumsum(caps[:, ::-1], axis=1)[:, ::-1]  # suffix[:, i] = caps[:, i:].sum(1)
    parent = np.arange(m)
    rem = np.full(m, total, dtype=np.int64)
    cols: list[np.ndarray] = []
    for i in range(r):
        cap = caps[parent, i]
        if i == r - 1:
            cols.append(rem)  # feasible by construction: rem <= suffix bound = cap
            break
        after = suffix[parent, i + 1]
        lo = np.maximum(0, rem - after)
        hi = np.minimum(cap, rem)
        counts = np.maximum(hi - lo + 1, 0)
        size = int(counts.sum())
        rep = np.repeat(np.arange(parent.size), counts)
        offs = np.arange(size) - np.repeat(np.cumsum(counts) - counts, counts)
        v = lo[rep] + offs
        parent = parent[rep]
        rem = rem[rep] - v
        cols = [c[rep] for c in cols]
        cols.append(v)
    return parent, np.stack(cols, axis=1)


def _enumerate(
    states: np.ndarray, totals: list[int], lgam: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill the columns ``totals`` one after the other, starting from the row ``states``.

    Returns ``(origin, remaining, kernel)``: the index of the starting state, the remaining row
    capacities, and ``-Σ log(n_ij!)`` over the filled cells, one row per partial table.
    """
    origin = np.arange(states.shape[0])
    kernel = np.zeros(states.shape[0])
    for total in totals:
        parent, cells = _fill_column(states, total)
        states = states[parent] - cells
        origin = origin[parent]
        kernel = kernel[parent] - lgam[cells].sum(axis=1)
    return origin, states, kernel


def _count_fill(caps: np.ndarray, total: int) -> float:
    """Count the ways to write ``total`` as a sum of ``0 <= x_i <= caps_i`` (cost estimate)."""
    poly = np.array([1.0])
    for c in caps:
        poly = np.convolve(poly, np.ones(int(min(c, total)) + 1))[: total + 1]
    return float(poly[total]) if poly.size > total else 0.0


def _plan(rows: np.ndarray, cols: np.ndarray) -> tuple[float, int]:
    """Estimated cost and best number of left columns for columns sorted ascending."""
    c = cols.size
    per_col = [max(_count_fill(rows, int(t)), 1.0) for t in cols]
    best = (math.inf, 0)
    for n_left in range(c):
        left = math.prod(per_col[:n_left])
        n_states = min(left, max(_count_fill(rows, int(cols[:n_left].sum())), 1.0))
        right = math.prod(per_col[n_left : c - 1])
        cost = left + n_states * right
        if cost < best[0]:
            best = (cost, n_left)
    return best


def fisher_rxc_pvalue(table: np.ndarray) -> tuple[float, int]:
    """Exact p-value of Fisher's test on an r×c table, and the number of tables enumerated.

    The p-value is the total probability, under the multivariate hypergeometric law given both
    margins, of the tables no more probable than the observed one (relative tolerance 1e-7).
    Columns are split in two: all fillings of the ``L`` left columns are enumerated, grouped by
    the row totals they leave; for each group, the fillings of the remaining columns (the last
    one determined) are enumerated once, sorted, and matched with the left parts by a merged
    sort, so the work is ``|left| + Σ_groups |right|`` rather than their product.
    """
    t = np.asarray(table, dtype=np.int64)
    if t.shape[0] > t.shape[1]:
        t = t.T  # fewer rows: fewer ways to fill each column
    rows = t.sum(axis=1)
    order = np.argsort(t.sum(axis=0), kind="stable")
    t = t[:, order]
    cols = t.sum(axis=0)
    n = int(rows.sum())
    lgam = special.gammaln(np.arange(n + 1) + 1.0)
    const = float(lgam[rows].sum() + lgam[cols].sum() - lgam[n])
    observed = float(-lgam[t].sum())
    threshold = observed + math.log(REL_ERR)

    cost, n_left = _plan(rows, cols)
    if cost > MAX_WORK:
        _too_large(cost)

    c = cols.size
    start = rows[None, :].copy()
    _, left_states, left_kernel = _enumerate(start, [int(v) for v in cols[:n_left]], lgam)
    uniq, group = np.unique(left_states, axis=0, return_inverse=True)
    group = np.asarray(group).ravel()
    by_group = np.argsort(group, kind="stable")
    left_bounds = np.searchsorted(group[by_group], np.arange(uniq.shape[0] + 1))
    right_totals = [int(v) for v in cols[n_left : c - 1]]

    # Right parts are enumerated for chunks of groups (row totals left over), sized adaptively
    # so that memory stays bounded; each chunk is matched with its left parts.
    pieces: list[np.ndarray] = []
    n_tables = 0
    work = left_kernel.size
    n_done = 0
    step = 1
    while n_done < uniq.shape[0]:
        stop = min(n_done + step, uniq.shape[0])
        r_group, last, r_kernel = _enumerate(uniq[n_done:stop], right_totals, lgam)
        r_kernel = r_kernel - lgam[last].sum(axis=1)  # the determined last column
        sel = by_group[left_bounds[n_done] : left_bounds[stop]]
        l_group = group[sel] - n_done
        pieces.append(
            _match(r_group, r_kernel, l_group, left_kernel[sel], threshold, stop - n_done)
        )
        n_tables += int(
            np.bincount(l_group, minlength=stop - n_done)
            @ np.bincount(r_group, minlength=stop - n_done)
        )
        work += r_kernel.size
        if work > 2 * MAX_WORK:
            _too_large(work)
        per_state = max(r_kernel.size / (stop - n_done), 1.0)
        step = max(1, int(CHUNK / per_state))
        n_done = stop
    log_terms = np.concatenate(pieces) + const
    top = float(np.max(log_terms))
    pvalue = math.exp(top) * float(np.sum(np.exp(log_terms - top)))
    return float(min(1.0, pvalue)), n_tables
