"""Risk-set machinery of the Cox partial likelihood, and Harrell's concordance.

Private helpers of :mod:`statcraft.health.cox`: every sum over a risk set is a cumulative sum
over the data sorted by time (within strata); Efron's correction is vectorised by expanding each
group of ``d`` tied deaths into ``d`` rows with weights ``0, 1/d, ..., (d-1)/d``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


# --------------------------------------------------------------------------- risk-set machinery
def segment_cumsum(v: np.ndarray, bounds: np.ndarray, *, reverse: bool = False) -> np.ndarray:
    """Cumulative sums of ``v`` along axis 0, restarting in each segment ``[a, b)``.

    Done segment by segment (a loop over strata, not observations) so that a small late risk
    set is never the difference of two large sums.
    """
    if len(bounds) == 1:
        return np.cumsum(v[::-1], axis=0)[::-1] if reverse else np.cumsum(v, axis=0)
    out = np.empty_like(v)
    for a, b in bounds:
        seg = v[a:b]
        out[a:b] = np.cumsum(seg[::-1], axis=0)[::-1] if reverse else np.cumsum(seg, axis=0)
    return out


def segment_bounds(starts: np.ndarray, n: int) -> np.ndarray:
    return np.column_stack([starts, np.append(starts[1:], n)])


@dataclass(frozen=True)
class Pieces:
    """Risk-set quantities at one coefficient vector (sorted order, shifted risk scores)."""

    eta: np.ndarray  # linear predictor, sorted order
    r: np.ndarray  # exp(eta - shift of its stratum)
    shift: np.ndarray  # per observation, the stratum's max eta
    denom: np.ndarray  # per death row: Efron denominator
    xbar: np.ndarray  # per death row: weighted covariate mean (rows x p)


class RiskSets:
    """Right-censored data sorted by stratum and decreasing time, with group bookkeeping.

    A *group* is a set of observations with the same stratum and time; a *death row* is one
    of the ``d`` rows into which a group with ``d`` deaths is expanded (Efron's fractions
    ``k/d``, ``k = 0..d-1``; all zero for Breslow).
    """

    def __init__(
        self, time: np.ndarray, event: np.ndarray, X: np.ndarray, strata: np.ndarray, efron: bool
    ) -> None:
        order = np.lexsort((-time, strata))
        self.order = order
        self.time = time[order]
        self.event = event[order]
        self.strata = strata[order]
        self.X = X[order]
        n = self.time.size
        self.n = n
        t, s = self.time, self.strata
        new = np.ones(n, dtype=bool)
        new[1:] = (t[1:] != t[:-1]) | (s[1:] != s[:-1])
        self.gid = np.cumsum(new) - 1
        self.first = np.flatnonzero(new)
        self.n_groups = self.first.size
        snew = np.ones(n, dtype=bool)
        snew[1:] = s[1:] != s[:-1]
        sfirst = np.flatnonzero(snew)
        self.obs_bounds = segment_bounds(sfirst, n)
        self.strat_size = np.diff(np.append(sfirst, n))
        gsnew = snew[self.first]
        self.group_bounds = segment_bounds(np.flatnonzero(gsnew), self.n_groups)
        self.group_stratum = s[self.first]
        self.group_time = t[self.first]
        self.group_last = np.append(self.first[1:], n) - 1
        self.group_size = np.diff(np.append(self.first, n))
        self.d = np.add.reduceat(self.event, self.first)
        eg = np.flatnonzero(self.d > 0)
        dd = self.d[eg].astype(np.int64)
        self.rep = np.repeat(eg, dd)
        self.row_start = np.concatenate(([0], np.cumsum(dd)[:-1]))
        k = np.arange(self.rep.size) - np.repeat(self.row_start, dd)
        self.frac = k / self.d[self.rep] if efron else np.zeros(self.rep.size)
        self.event_groups = eg

    # ---------------------------------------------------------------- evaluation
    def pieces(self, X: np.ndarray, beta: np.ndarray) -> Pieces:
        eta = X @ beta
        mx = np.maximum.reduceat(eta, self.obs_bounds[:, 0])
        shift = np.repeat(mx, self.strat_size)
        r = np.exp(eta - shift)
        cs0 = segment_cumsum(r, self.obs_bounds)
        cs1 = segment_cumsum(r[:, None] * X, self.obs_bounds)
        S0 = cs0[self.group_last]
        S1 = cs1[self.group_last]
        er = self.event * r
        D0 = np.add.reduceat(er, self.first)
        D1 = np.add.reduceat(er[:, None] * X, self.first, axis=0)
        rep, frac = self.rep, self.frac
        denom = S0[rep] - frac * D0[rep]
        xbar = (S1[rep] - frac[:, None] * D1[rep]) / denom[:, None]
        return Pieces(eta=eta, r=r, shift=shift, denom=denom, xbar=xbar)

    def loglik(self, pc: Pieces) -> float:
        return float(np.sum(self.event * (pc.eta - pc.shift)) - np.sum(np.log(pc.denom)))

    def score(self, X: np.ndarray, pc: Pieces, v: np.ndarray | None = None) -> np.ndarray:
        """``sum_deaths v x - sum_rows v xbar`` (``v`` a weight per death row, default 1)."""
        if v is None:
            return self.event @ X - pc.xbar.sum(axis=0)
        v_obs = np.zeros(self.n_groups)
        v_obs[self.rep] = v  # every row of a group carries the same weight
        return (self.event * v_obs[self.gid]) @ X - v @ pc.xbar

    def _group_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum per group of values given per death row (a vector, or the columns of a matrix)."""
        if values.ndim == 1:
            return np.bincount(self.rep, weights=values, minlength=self.n_groups)
        return np.stack(
            [
                np.bincount(self.rep, weights=values[:, j], minlength=self.n_groups)
                for j in range(values.shape[1])
            ],
            axis=1,
        )

    def cumulative_by_group(self, per_group: np.ndarray) -> np.ndarray:
        """Per group: the sum over groups of the same stratum at an equal or earlier time."""
        return segment_cumsum(per_group, self.group_bounds, reverse=True)

    def information(self, X: np.ndarray, pc: Pieces, v: np.ndarray | None = None) -> np.ndarray:
        r"""``sum_rows v_k (C_k/denom_k - xbar_k xbar_k')`` without n x p x p arrays.

        With ``C_k = S2(g) - f_k D2(g)``, ``sum_k v_k C_k/denom_k`` is
        ``X' diag(r_j (W_j - e_j U_j)) X`` where ``W_j`` sums ``v_k/denom_k`` over the death
        rows at or before ``t_j`` and ``U_j`` sums ``v_k f_k/denom_k`` over ``j``'s own group.
        """
        inv = 1.0 / pc.denom if v is None else v / pc.denom
        W = self.cumulative_by_group(self._group_sum(inv))[self.gid]
        U = self._group_sum(inv * self.frac)[self.gid]
        diag = pc.r * (W - self.event * U)
        xv = pc.xbar if v is None else pc.xbar * v[:, None]
        out = (X * diag[:, None]).T @ X - xv.T @ pc.xbar
        return (out + out.T) / 2.0

    def score_residuals(self, X: np.ndarray, pc: Pieces) -> np.ndarray:
        """Score (Lin-Wei) residuals per observation, sorted order, as R's ``coxscore2``."""
        h = 1.0 / pc.denom
        H = self.cumulative_by_group(self._group_sum(h))[self.gid]
        xh = pc.xbar * h[:, None]
        XH = self.cumulative_by_group(self._group_sum(xh))[self.gid]
        # own group of a death: mean of the xbar rows, and the Efron 'pre-charge' terms
        d_g = np.where(self.d > 0, self.d, 1.0)
        A = self._group_sum(pc.xbar) / d_g[:, None]
        B = self._group_sum(h * self.frac)
        Cf = self._group_sum(xh * self.frac[:, None])
        g = self.gid
        r = pc.r[:, None]
        resid = -r * (X * H[:, None] - XH)
        e = self.event[:, None]
        resid += e * ((X - A[g]) + r * (X * B[g][:, None] - Cf[g]))
        return resid

    def schoenfeld(self, X: np.ndarray, pc: Pieces) -> tuple[np.ndarray, np.ndarray]:
        """Schoenfeld residuals of the deaths and their sorted-order indices."""
        d_g = np.where(self.d > 0, self.d, 1.0)
        A = self._group_sum(pc.xbar) / d_g[:, None]
        idx = np.flatnonzero(self.event > 0)
        return X[idx] - A[self.gid[idx]], idx

    def hazard_increments(self, pc: Pieces) -> np.ndarray:
        """Per group: hazard increment for a subject with linear predictor 0 (Efron-aware)."""
        w = self._group_sum(1.0 / pc.denom)
        shift_g = pc.shift[self.first]
        with np.errstate(over="ignore", under="ignore"):
            return np.where(w > 0, w * np.exp(-shift_g), 0.0)


# --------------------------------------------------------------------------- concordance
def _dense_rank(x: np.ndarray) -> np.ndarray:
    return np.unique(x, return_inverse=True)[1].astype(np.int64)


def _count_later_smaller(keys: np.ndarray, pos: np.ndarray, q: np.ndarray) -> np.ndarray:
    """For each query ``(pos_i, q_i)``: ``#{j > pos_i : keys[j] < q_i}`` in O(n log^2 n).

    The positions after ``pos_i`` split into the right siblings of ``pos_i``'s blocks at
    block sizes 1, 2, 4, ...; at each size one sort and two searchsorted calls count them.
    """
    n = keys.size
    total = np.zeros(pos.size, dtype=np.int64)
    K = int(max(keys.max(initial=0), q.max(initial=0))) + 1
    idx = np.arange(n, dtype=np.int64)
    b = 1
    while b < n:
        sk = np.sort((idx // b) * K + keys)
        qb = pos // b
        left = qb % 2 == 0
        rb = (qb[left] + 1) * K
        total[left] += np.searchsorted(sk, rb + q[left], side="left") - np.searchsorted(
            sk, rb, side="left"
        )
        b *= 2
    return total


def concordance_counts(
    time: np.ndarray, event: np.ndarray, x: np.ndarray, strata: np.ndarray | None = None
) -> dict[str, float]:
    """Harrell's pair counts as R's ``concordancefit(..., reverse=TRUE)``.

    A pair is comparable when the shorter time is an event (a censored time tied with a
    death counts as longer; tied deaths are not comparable, they are ``tied_y``). It is
    concordant when the one who died first has the larger ``x`` (risk score), ``tied_x``
    when their ``x`` are equal.
    """
    if strata is None:
        strata = np.zeros(time.size, dtype=np.int64)
    out = {"concordant": 0.0, "discordant": 0.0, "tied_x": 0.0, "tied_y": 0.0}
    by = np.argsort(strata, kind="stable")
    ss = strata[by]
    starts = np.flatnonzero(np.r_[True, ss[1:] != ss[:-1]])
    for a, b in segment_bounds(starts, ss.size):
        m = by[a:b]
        t, e, xs = time[m], event[m], x[m]
        xr = _dense_rank(xs)
        tk = 2 * _dense_rank(t) + (1 - e.astype(np.int64))
        order = np.lexsort((xr, tk))
        tk, xr, e_s = tk[order], xr[order], e[order]
        n = t.size
        pos = np.flatnonzero(e_s > 0)
        if pos.size == 0:
            continue
        q = xr[pos]
        less = _count_later_smaller(xr, pos, q)
        lesseq = _count_later_smaller(xr, pos, q + 1)
        # runs of equal tk, and of equal (tk, xr): tied deaths are not comparable
        new_t = np.ones(n, dtype=bool)
        new_t[1:] = tk[1:] != tk[:-1]
        new_tx = new_t.copy()
        new_tx[1:] |= xr[1:] != xr[:-1]
        end_t = (np.append(np.flatnonzero(new_t)[1:], n) - 1)[np.cumsum(new_t) - 1]
        end_tx = (np.append(np.flatnonzero(new_tx)[1:], n) - 1)[np.cumsum(new_tx) - 1]
        spur_eq = end_tx[pos] - pos
        spur_gt = end_t[pos] - end_tx[pos]
        after = n - pos - 1
        out["concordant"] += float(less.sum())
        out["tied_x"] += float((lesseq - less - spur_eq).sum())
        out["discordant"] += float((after - lesseq - spur_gt).sum())
        d = np.bincount(_dense_rank(tk[pos]))
        out["tied_y"] += float((d * (d - 1) / 2).sum())
    return out


def concordance_index(counts: Mapping[str, float]) -> float:
    den = counts["concordant"] + counts["discordant"] + counts["tied_x"]
    if den == 0:
        return math.nan
    return (counts["concordant"] + counts["tied_x"] / 2) / den
