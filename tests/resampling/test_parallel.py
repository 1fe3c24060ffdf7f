"""Same rng -> identical results across batch sizes and executors (serial, processes, dask)."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from statcraft.resampling import bootstrap, permutation_test


def mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def trimmed(x, axis=-1):
    s = np.sort(x, axis=axis)
    return np.mean(s[..., 2:-2], axis=axis)


X = np.random.default_rng(1).lognormal(size=300)
Y = np.random.default_rng(2).lognormal(size=250)


@pytest.mark.parametrize("scheme", ["iid", "stationary"])
def test_batch_size_does_not_change_result(scheme):
    kw = {"n_resamples": 2500, "rng": 3, "scheme": scheme}
    ref = bootstrap((X,), trimmed, **kw)
    for batch in (1, 7, 100, 5000):
        res = bootstrap((X,), trimmed, batch=batch, **kw)
        np.testing.assert_array_equal(res.distribution, ref.distribution)
        assert res.confidence_interval == ref.confidence_interval


@pytest.mark.parametrize(
    ("scheme", "length"), [("iid", None), ("stationary", 1.0), ("circular", 4)]
)
def test_batch_size_does_not_change_moment_path(scheme, length):
    kw = {"n_resamples": 2500, "rng": 8, "scheme": scheme, "block_length": length}
    ref = bootstrap((X,), np.mean, **kw)
    assert ref.details["moment_path"]
    for batch in (1, 7, 100, 5000):
        res = bootstrap((X,), np.mean, batch=batch, **kw)
        np.testing.assert_array_equal(res.distribution, ref.distribution)


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(2) as ex:
        yield ex


def test_process_pool_identical(pool):
    ref = bootstrap((X, Y), mean_diff, n_resamples=3000, rng=4)
    res = bootstrap((X, Y), mean_diff, n_resamples=3000, rng=4, executor=pool, batch=500)
    np.testing.assert_array_equal(res.distribution, ref.distribution)
    assert res.confidence_interval == ref.confidence_interval
    ref_p = permutation_test((X, Y), mean_diff, n_resamples=2000, rng=5)
    res_p = permutation_test((X, Y), mean_diff, n_resamples=2000, rng=5, executor=pool)
    np.testing.assert_array_equal(
        res_p.details["null_distribution"], ref_p.details["null_distribution"]
    )
    fast = bootstrap(
        (X,), np.mean, n_resamples=3000, rng=6, scheme="circular", block_length=5, executor=pool
    )
    serial = bootstrap((X,), np.mean, n_resamples=3000, rng=6, scheme="circular", block_length=5)
    np.testing.assert_array_equal(fast.distribution, serial.distribution)


def test_unpicklable_statistic_gives_clear_error(pool):
    with pytest.raises(TypeError, match="must be picklable to run on a process pool"):
        bootstrap(
            (X,), lambda x, axis: np.mean(x, axis=axis), n_resamples=2000, rng=1, executor=pool
        )


def test_dask_cluster_identical():
    distributed = pytest.importorskip("distributed")
    ref = bootstrap((X, Y), mean_diff, n_resamples=2000, rng=7, method="percentile")
    with ProcessPoolExecutor(2) as ex:
        pp = bootstrap((X, Y), mean_diff, n_resamples=2000, rng=7, method="percentile", executor=ex)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        res = bootstrap(
            (X, Y),
            mean_diff,
            n_resamples=2000,
            rng=7,
            method="percentile",
            executor=client.get_executor(),
        )
    np.testing.assert_array_equal(res.distribution, ref.distribution)
    np.testing.assert_array_equal(pp.distribution, ref.distribution)
    assert res.confidence_interval == ref.confidence_interval
