"""Coverage of OLS slope intervals under heteroskedasticity, by simulation.

Design: a fixed design ``x ~ N(0, 1)`` (drawn once, seeded), ``y = 1 + 2x + |x| ε``, ε ~ N(0, 1):
the error standard deviation is proportional to ``|x|``, so high-leverage points are also the
noisiest — the case where classical intervals fail. Many regressions share the same ``X``, so
they are solved at once: with ``X = QR`` and ``A = R^{-1} Q'``, the estimates of all replicates
are ``A Y`` and the HC3 variances ``Σ_i A_1i² e_ir² / (1 - h_i)²`` one ``einsum``. The first
replicates are re-fitted with ``sc.ols`` and must give the same intervals, so the simulation
measures statcraft's intervals, not a re-implementation.
"""

import numpy as np
import pytest
from scipy import linalg, stats

import statcraft as sc

LEVEL = 0.95


def simulate(n: int, reps: int, seed: int, n_check: int):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    X = np.column_stack([np.ones(n), x])
    Q, R = linalg.qr(X, mode="economic")
    A = linalg.solve_triangular(R, Q.T)
    h = np.einsum("ij,ij->i", Q, Q)
    crit = stats.t.ppf(0.5 + LEVEL / 2, n - 2)
    hits = {"HC3": 0, "nonrobust": 0}
    done = 0
    chunk = 20_000
    while done < reps:
        m = min(chunk, reps - done)
        Y = (1 + 2 * x)[:, None] + np.abs(x)[:, None] * rng.standard_normal((n, m))
        B = A @ Y
        E = Y - X @ B
        se = {
            "HC3": np.sqrt(np.einsum("i,ir->r", A[1] ** 2 / (1 - h) ** 2, E**2)),
            "nonrobust": np.sqrt((E**2).sum(axis=0) / (n - 2) * (A[1] @ A[1])),
        }
        if done == 0:  # the vectorised intervals are statcraft's intervals
            for r in range(n_check):
                for cov_type in hits:
                    res = sc.ols(x, Y[:, r], cov_type=cov_type)
                    row = res.coefficients.loc["x1"]
                    np.testing.assert_allclose(
                        [row["ci_low"], row["ci_high"]],
                        [B[1, r] - crit * se[cov_type][r], B[1, r] + crit * se[cov_type][r]],
                        rtol=1e-10,
                    )
        for cov_type in hits:
            hits[cov_type] += int(np.sum(np.abs(B[1] - 2) <= crit * se[cov_type]))
        done += m
    return {k: v / reps for k, v in hits.items()}


def test_hc3_coverage_under_heteroskedasticity_fast():
    cover = simulate(n=200, reps=4000, seed=20261125, n_check=10)
    print(f"\nn=200, 4000 replicates: HC3 {cover['HC3']:.4f}, nonrobust {cover['nonrobust']:.4f}")
    assert abs(cover["HC3"] - LEVEL) <= 0.015
    assert cover["nonrobust"] < LEVEL - 0.15  # classical intervals badly under-cover here


@pytest.mark.slow
@pytest.mark.parametrize("n", [100, 200])
def test_hc3_coverage_under_heteroskedasticity_full(n):
    cover = simulate(n=n, reps=100_000, seed=20261126 + n, n_check=100)
    print(f"\nn={n}, 100000 replicates: HC3 {cover['HC3']:.4f}, nonrobust {cover['nonrobust']:.4f}")
    assert abs(cover["HC3"] - LEVEL) <= 0.015
    assert cover["nonrobust"] < LEVEL - 0.15
