"""The bootstrap replicate engine: one picklable plan, one chunk function."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from statcraft.resampling._statistic import Statistic, moments_to_statistic, n_rows, take_rows
from statcraft.resampling.parallel import BLOCK_ELEMENTS, block_seed
from statcraft.resampling.schemes import draw_blocks, draw_indices, draw_strata_indices


@dataclass(frozen=True)
class Plan:
    """Everything a chunk needs to compute its replicates (picklable when the statistic is)."""

    samples: tuple[np.ndarray, ...]  # internal layout: (n,) or (k, n), observations last
    stat: Statistic
    kind: str | None  # moment fast path ('mean', 'sum', 'var', 'std') or None
    scheme: str
    block_length: float | None
    paired: bool
    strata: tuple[np.ndarray, ...] | None
    entropy: tuple[int, ...]
    per_block: int
    student: str | None  # None, 'function', 'analytic' or 'nested'
    se_stat: Statistic | None
    n_inner: int
    #: for the moment path: the data mean, the centred data, its square, and their
    #: two-period cumulative sums (see :func:`moment_arrays`)
    moments: tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None


def compute_chunk(plan: Plan, start: int, stop: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Replicates ``start..stop-1`` (and their standard errors when studentizing)."""
    r = plan.per_block
    thetas, ses = [], []
    for j in range(start // r, -(-stop // r)):
        lo, hi = max(start - j * r, 0), min(stop - j * r, r)
        theta, se = _block_replicates(plan, block_seed(plan.entropy, j))
        thetas.append(theta[..., lo:hi])
        if se is not None:
            ses.append(se[..., lo:hi])
    return np.concatenate(thetas, axis=-1), (np.concatenate(ses, axis=-1) if ses else None)


def _indices(plan: Plan, n: int, r: int, gen: np.random.Generator) -> np.ndarray:
    if plan.strata is not None:
        return draw_strata_indices(list(plan.strata), n, r, gen)
    return draw_indices(plan.scheme, n, r, plan.block_length, gen)


def _block_replicates(plan: Plan, gen: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    r = plan.per_block
    if plan.kind is not None and plan.student != "nested":
        return _moment_replicates(plan, gen)
    if plan.paired:
        idx = _indices(plan, n_rows(plan.samples[0]), r, gen)
        arrays = [take_rows(s, idx) for s in plan.samples]
    else:
        arrays = [take_rows(s, _indices(plan, n_rows(s), r, gen)) for s in plan.samples]
    theta = plan.stat(arrays)
    if plan.student is None:
        return theta, None
    if plan.student == "function":
        if plan.se_stat is None:  # pragma: no cover - guarded by bootstrap()
            raise RuntimeError("studentizing with a function needs `std_error`")
        return theta, plan.se_stat(arrays)
    return theta, _nested_se(plan, arrays, gen)


def _nested_se(plan: Plan, arrays: list[np.ndarray], gen: np.random.Generator) -> np.ndarray:
    """Return each outer replicate's standard error from an inner bootstrap.

    ``arrays[i]`` has shape ``(r, n_i)`` (``(k_i, r, n_i)`` for a 2-D sample); the inner
    resamples of each outer one are ``(c, n_inner, n_i)`` (``(k_i, c, n_inner, n_i)``).
    """
    r = arrays[0].shape[-2]
    n_tot = sum(a[..., 0, :].size for a in arrays)
    step = max(1, BLOCK_ELEMENTS // (plan.n_inner * n_tot))
    out = []

    def inner_of(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
        lead = (1,) * (a.ndim - 2)
        return np.take_along_axis(a[..., :, None, :], idx.reshape(*lead, *idx.shape), axis=-1)

    for lo in range(0, r, step):
        outer = [a[..., lo : lo + step, :] for a in arrays]
        c = outer[0].shape[-2]
        m = c * plan.n_inner
        if plan.paired:
            n = outer[0].shape[-1]
            idx = _indices(plan, n, m, gen).reshape(c, plan.n_inner, n)
            inner = [inner_of(a, idx) for a in outer]
        else:
            inner = []
            for a in outer:
                n = a.shape[-1]
                idx = _indices(plan, n, m, gen).reshape(c, plan.n_inner, n)
                inner.append(inner_of(a, idx))
        out.append(plan.stat(inner).std(axis=-1, ddof=1))
    return np.concatenate(out, axis=-1)


def _moment_replicates(
    plan: Plan, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray | None]:
    """Mean/sum/var/std replicates from moment sums (single sample)."""
    x = plan.samples[0]
    n = x.shape[0]
    r = plan.per_block
    if plan.moments is None:  # pragma: no cover - set by bootstrap() for the moment path
        raise RuntimeError("the moment path needs the plan's moment arrays")
    c, xc, xc2, cum1, cum2 = plan.moments
    need2 = plan.kind in ("var", "std") or plan.student == "analytic"
    if plan.scheme == "iid" or plan.strata is not None:
        idx = _indices(plan, n, r, gen)
        s1 = xc[idx].sum(axis=1)
        s2 = xc2[idx].sum(axis=1) if need2 else None
    else:
        blocks = draw_blocks(plan.scheme, n, r, plan.block_length, gen)  # type: ignore[arg-type]
        if blocks.starts.size == r * n:  # all blocks of length 1 (L = 1): sum directly
            idx = blocks.starts.reshape(r, n)
            s1 = xc[idx].sum(axis=1)
            s2 = xc2[idx].sum(axis=1) if need2 else None
        else:
            s1 = blocks.sums(cum1)
            s2 = blocks.sums(cum2) if need2 else None
    kind: str = plan.kind or "mean"
    theta = np.asarray(moments_to_statistic(kind, s1, s2, n, c), dtype=float)
    if plan.student != "analytic":
        return theta, None
    var = np.maximum(s2 - s1 * s1 / n, 0.0) / (n - 1)
    return theta, np.sqrt(var / n)


def moment_arrays(x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the mean of ``x``, centred ``x``, its square, and their two-period cumsums."""
    c = float(x.mean())
    xc = x - c
    xc2 = xc * xc

    def cum(v: np.ndarray) -> np.ndarray:
        return np.concatenate(([0.0], np.cumsum(np.concatenate((v, v)))))

    return c, xc, xc2, cum(xc), cum(xc2)
