"""Tests for the resampling schemes and optimal_block_length (checked against arch)."""

import numpy as np
import pytest

from statcraft.resampling import optimal_block_length
from statcraft.resampling.schemes import draw_blocks, draw_indices

arch_bootstrap = pytest.importorskip("arch.bootstrap")


def ar1(n, phi, seed):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + e[t]
    return x


@pytest.mark.parametrize(
    ("n", "phi", "seed"),
    [(500, 0.6, 1), (2000, 0.9, 2), (100, 0.0, 3), (1000, -0.5, 4), (5000, 0.3, 5)],
)
def test_optimal_block_length_matches_arch(n, phi, seed):
    x = ar1(n, phi, seed)
    ours = optimal_block_length(x)
    ref = arch_bootstrap.optimal_block_length(x).iloc[0]
    assert ours.stationary == pytest.approx(ref["stationary"], rel=1e-10)
    assert ours.circular == pytest.approx(ref["circular"], rel=1e-10)


def test_optimal_block_length_bad_input():
    with pytest.raises(ValueError, match="constant"):
        optimal_block_length(np.ones(50))
    with pytest.raises(ValueError, match="at least 9"):
        optimal_block_length(np.arange(5.0))
    # the NaN message must not suggest nan_policy='omit', which a time series refuses
    x = np.arange(20.0)
    x[3] = np.nan
    with pytest.raises(ValueError, match="1 NaN value") as info:
        optimal_block_length(x)
    assert "omit" not in str(info.value)


def test_optimal_block_length_nan_policy():
    rng = np.random.default_rng(4)
    x = rng.normal(size=200)
    x[3] = np.nan
    res = optimal_block_length(x, nan_policy="propagate")
    assert np.isnan(res.stationary)
    assert np.isnan(res.circular)
    assert (res.n, res.bandwidth) == (200, 0)
    with pytest.raises(ValueError, match="cannot be 'omit' for a time series: dropping"):
        optimal_block_length(x, nan_policy="omit")
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'propagate'"):
        optimal_block_length(x, nan_policy="ignore")
    clean = rng.normal(size=200)
    assert optimal_block_length(clean, nan_policy="propagate") == optimal_block_length(clean)


def test_block_structure():
    rng = np.random.default_rng(6)
    idx = draw_indices("moving", 20, 50, 4, rng)
    assert idx.shape == (50, 20) and idx.min() >= 0 and idx.max() <= 19
    # moving blocks: consecutive runs of 4 without wrap-around
    assert np.all(np.diff(idx.reshape(50, 5, 4), axis=2) == 1)
    idx = draw_indices("circular", 20, 50, 4, rng)
    assert np.all(np.diff(idx.reshape(50, 5, 4), axis=2) % 20 == 1)
    assert np.any(idx[:, 0] > 16)  # starts near the end wrap around


def test_stationary_block_lengths_are_geometric():
    rng = np.random.default_rng(7)
    # both constructions: per-position flags (L <= 8) and geometric lengths (L > 8)
    for mean_length in (1.5, 5.0, 20.0):
        b = draw_blocks("stationary", 100_000, 2, mean_length, rng)
        lengths = b.lengths[: b.offsets[1] - 1]  # first resample; its last block is truncated
        p = 1 / mean_length
        assert lengths.mean() == pytest.approx(mean_length, rel=0.05)
        assert lengths.var() == pytest.approx((1 - p) / p**2, rel=0.12)
        assert b.lengths.sum() == 200_000
        idx = b.indices()[0]
        # inside a block the index advances by one (mod n)
        assert np.mean(np.diff(idx) % 100_000 == 1) == pytest.approx(1 - p, abs=0.01)
