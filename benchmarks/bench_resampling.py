"""Time statcraft.resampling against scipy.stats and arch on the same data, in one process.

Run:  .venv/bin/python benchmarks/bench_resampling.py [--quick]

Prints a table of median times (statcraft: median of REPEATS runs; peers: REPEATS_PEER runs,
since scipy's slow cases take minutes), their ratio, the numpy floor (drawing the same number
of random indices in chunks) and statcraft's peak traced memory (tracemalloc).
"""

import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy import stats

from statcraft.resampling import bootstrap, optimal_block_length, permutation_test

QUICK = "--quick" in sys.argv
REPEATS = 3
REPEATS_PEER = 1


def timeit(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def peak_mb(f):
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def floor(n, b, chunk=1000):
    rng = np.random.default_rng(0)
    for lo in range(0, b, chunk):
        rng.integers(0, n, size=(min(chunk, b - lo), n))


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def ar1(n, phi, rng):
    e = rng.normal(size=n)
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + e[t]
    return x


rows = []


def row(case, ours, peer_name, peer, fl=None, mem=None, target=""):
    rows.append((case, ours, peer_name, peer, fl, mem, target))
    ratio = f"{peer / ours:6.1f}x" if peer else "      "
    fls = f"{ours / fl:5.2f}" if fl else "     "
    mems = f"{mem:7.1f}" if mem is not None else "       "
    print(
        f"{case:<44} {ours:8.3f} {peer_name:<28} {peer or float('nan'):8.3f} {ratio} "
        f"{fls} {mems}  {target}",
        flush=True,
    )


def main():
    rng = np.random.default_rng(2026)
    print(
        f"{'case':<44} {'statcraft s':>8} {'peer':<28} {'peer s':>8} {'ratio':>7} "
        f"{'/floor':>5} {'peak MB':>7}  target"
    )

    # 1. iid BCa of the mean, n = 10 000, B = 10 000
    x = rng.lognormal(size=10_000)
    b = 10_000

    def ours1():
        return bootstrap((x,), np.mean, n_resamples=b, rng=1)

    t_ours = timeit(ours1, REPEATS)
    t_floor = timeit(lambda: floor(x.size, b), REPEATS)
    mem = peak_mb(ours1)
    t_scipy = timeit(lambda: stats.bootstrap((x,), np.mean, n_resamples=b, rng=1), REPEATS_PEER)
    row(
        "iid BCa mean n=1e4 B=1e4",
        t_ours,
        "scipy.stats.bootstrap",
        t_scipy,
        t_floor,
        mem,
        ">=8x scipy, <=1.5 floor, <300MB",
    )
    t_scipy_b = timeit(
        lambda: stats.bootstrap((x,), np.mean, n_resamples=b, rng=1, batch=1000), REPEATS_PEER
    )
    row("  (same, scipy with batch=1000)", t_ours, "scipy batch=1000", t_scipy_b)

    # 1b. the same with a generic (non-recognised) vectorised statistic
    def mean_axis(v, axis=-1):
        return np.mean(v, axis=axis)

    t_gen = timeit(lambda: bootstrap((x,), mean_axis, n_resamples=b, rng=1), REPEATS)
    row(
        "  (same, generic statistic, no fast path)",
        t_gen,
        "scipy.stats.bootstrap",
        t_scipy,
        t_floor,
        peak_mb(lambda: bootstrap((x,), mean_axis, n_resamples=b, rng=1)),
    )

    # 2. process pool of 2 workers, case 1
    with ProcessPoolExecutor(2) as ex:
        bootstrap((x,), np.mean, n_resamples=200, rng=1, executor=ex)  # warm the pool
        t_pool = timeit(
            lambda: bootstrap((x,), np.mean, n_resamples=b, rng=1, executor=ex), REPEATS
        )
        same = np.array_equal(
            bootstrap((x,), np.mean, n_resamples=b, rng=1, executor=ex).distribution,
            ours1().distribution,
        )
    row(
        f"iid BCa, ProcessPool(2) (identical: {same})",
        t_pool,
        "statcraft serial",
        t_ours,
        target=">=1.7x serial",
    )

    # 3. n = 100 000, B = 2 000, BCa
    n3 = 100_000
    x3 = rng.lognormal(size=n3)
    t_ours3 = timeit(lambda: bootstrap((x3,), np.mean, n_resamples=2000, rng=1), REPEATS)
    t_gen3 = timeit(lambda: bootstrap((x3,), mean_axis, n_resamples=2000, rng=1), 1)
    n_sc = 10_000 if QUICK else 25_000
    t_sc3 = timeit(lambda: stats.bootstrap((x3[:n_sc],), np.mean, n_resamples=2000, rng=1), 1)
    # scipy's BCa jackknife is O(n^2): its n = 1e5 time is ~ (1e5 / n_sc)^2 x the jackknife
    # part; we scale the whole n_sc time by (1e5 / n_sc)^2 as an upper-bound estimate and by
    # 1e5 / n_sc as a lower bound, and report both.
    row(
        f"BCa mean n=1e5 B=2000 (scipy at n={n_sc})",
        t_ours3,
        f"scipy n={n_sc} (measured)",
        t_sc3,
        target=">=30x scipy at n=1e5",
    )
    row("  scipy n=1e5 extrapolated, linear", t_ours3, "scipy x n/n_sc", t_sc3 * n3 / n_sc)
    row(
        "  scipy n=1e5 extrapolated, quadratic",
        t_ours3,
        "scipy x (n/n_sc)^2",
        t_sc3 * (n3 / n_sc) ** 2,
    )
    row(
        "  (same, generic statistic, subset jackknife)", t_gen3, "scipy x n/n_sc", t_sc3 * n3 / n_sc
    )

    # 4. stationary bootstrap percentile CI of the mean, n = 10 000, B = 10 000
    from arch.bootstrap import StationaryBootstrap

    y = ar1(10_000, 0.6, rng)
    block = optimal_block_length(y).stationary
    t_ours4 = timeit(
        lambda: bootstrap(
            (y,),
            np.mean,
            scheme="stationary",
            block_length=block,
            method="percentile",
            n_resamples=b,
            rng=1,
        ),
        REPEATS,
    )

    def arch4():
        bs = StationaryBootstrap(block, y, seed=1)
        return bs.conf_int(np.mean, reps=b, method="percentile")

    t_arch = timeit(arch4, REPEATS_PEER)
    row(
        f"stationary percentile mean n=1e4 B=1e4 L={block:.1f}",
        t_ours4,
        "arch StationaryBootstrap",
        t_arch,
        target=">=3x arch",
    )
    t_ours4b = timeit(
        lambda: bootstrap(
            (y,),
            np.mean,
            scheme="stationary",
            block_length=block,
            method="bca",
            n_resamples=b,
            rng=1,
        ),
        REPEATS,
    )
    row("  (same, BCa with block jackknife)", t_ours4b, "arch percentile", t_arch)
    z = rng.normal(size=10_000)
    t_ours4c = timeit(
        lambda: bootstrap(
            (z,),
            np.mean,
            scheme="stationary",
            block_length=1.0,
            method="percentile",
            n_resamples=b,
            rng=1,
        ),
        REPEATS,
    )

    def arch4c():
        return StationaryBootstrap(1.0, z, seed=1).conf_int(np.mean, reps=b, method="percentile")

    row("  (white noise, L=1: worst case)", t_ours4c, "arch StationaryBootstrap", timeit(arch4c, 1))

    # 5. two-sample permutation test, n = 5000 + 5000, 10 000 permutations
    u, v = rng.normal(size=5000), rng.normal(0.02, size=5000)
    t_ours5 = timeit(lambda: permutation_test((u, v), mean_diff, n_resamples=b, rng=1), REPEATS)
    t_sc5 = timeit(
        lambda: stats.permutation_test((u, v), mean_diff, n_resamples=b, rng=1, vectorized=True),
        REPEATS_PEER,
    )
    row(
        "permutation 5000+5000, 1e4 perms",
        t_ours5,
        "scipy permutation_test",
        t_sc5,
        mem=peak_mb(lambda: permutation_test((u, v), mean_diff, n_resamples=b, rng=1)),
        target=">=3x scipy",
    )


if __name__ == "__main__":
    main()
