"""Resampling rows: 2-D samples and DataFrames in bootstrap, jackknife and permutation tests."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc
from statcraft.resampling import bootstrap, jackknife, permutation_test

RNG = np.random.default_rng(12)
Z = RNG.standard_normal((240, 3)) @ np.array([[1.0, 0.5, 0.2], [0.0, 1.0, 0.4], [0.0, 0.0, 1.0]])
Z2 = RNG.standard_normal((170, 3)) + 0.3


# module-level statistics (picklable for the process pool)
def col_max(x, axis=-1):
    return np.max(x, axis=axis)


def max_diff(x, y, axis=-1):
    return np.max(x, axis=axis) - np.max(y, axis=axis)


def col_mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def col_mean_diff_0(x, axis=-1):
    return np.mean(x[-1], axis=axis) - np.mean(x[0], axis=axis)


def slope_vec(y, X, axis=-1):
    """OLS slope of y on X[:, 1] (X = [1, x]), vectorised: y (b, n), X (2, b, n)."""
    x = X[1]
    xc = x - np.mean(x, axis=axis, keepdims=True)
    return np.sum(xc * y, axis=axis) / np.sum(xc * xc, axis=axis)


def ols_coef(y, X):
    """OLS coefficients of y on X (a non-vectorised statistic: one resample (n,), (n, k))."""
    return np.linalg.lstsq(X, y, rcond=None)[0]


def corr01_vec(z, axis=-1):
    a, b = z[0], z[1]
    a = a - np.mean(a, axis=axis, keepdims=True)
    b = b - np.mean(b, axis=axis, keepdims=True)
    return np.sum(a * b, axis=axis) / np.sqrt(np.sum(a * a, axis=axis) * np.sum(b * b, axis=axis))


def corr_pair(x, y, axis=-1):
    return corr01_vec(np.stack([x, y]), axis=axis)


def _industry_beta_data():
    ff = sc.datasets.load_fama_french_industries()
    y = (ff["Enrgy"] - ff["rf"]).to_numpy()
    x = ff["mkt_rf"].to_numpy()
    return y, np.column_stack([np.ones_like(x), x])


# -- every scheme resamples whole rows, with the same random stream as a vector --------------


@pytest.mark.parametrize(
    ("scheme", "length"),
    [("iid", None), ("stationary", 3.0), ("stationary", 12.0), ("circular", 5), ("moving", 5)],
)
def test_each_column_resampled_exactly_as_the_vector(scheme, length):
    # indices are drawn per row, so column j of a 2-D sample gets the same resamples as the
    # vector Z[:, j] with the same seed (np.max is exact, so equality is bit for bit)
    kw = {"n_resamples": 700, "rng": 3, "scheme": scheme, "block_length": length}
    two = bootstrap((Z,), col_max, method="percentile", **kw)
    assert two.estimate.shape == (3,)
    assert two.distribution.shape == (3, 700)
    for j in range(3):
        one = bootstrap((Z[:, j],), col_max, method="percentile", **kw)
        np.testing.assert_array_equal(two.distribution[j], one.distribution)


def test_rows_stay_together():
    # the columns of a resample are one set of rows: column 1 is column 0 plus 100
    data = np.column_stack([Z[:, 0], Z[:, 0] + 100.0])
    seen = []

    def spread(d):
        seen.append(d)
        return np.max(np.abs(d[:, 1] - d[:, 0] - 100.0))

    with pytest.warns(sc.resampling.DegenerateDataWarning):  # all replicates are 0
        res = bootstrap((data,), spread, n_resamples=50, method="percentile", rng=1,
                        scheme="stationary", block_length=4.0)  # fmt: skip
    assert np.all(res.distribution < 1e-12)
    assert all(s.shape == data.shape for s in seen)


def test_independent_2d_samples_resample_rows_within_each_sample():
    kw = {"n_resamples": 600, "rng": 9, "method": "percentile"}
    two = bootstrap((Z, Z2), max_diff, **kw)
    for j in range(3):
        one = bootstrap((Z[:, j], Z2[:, j]), max_diff, **kw)
        np.testing.assert_array_equal(two.distribution[j], one.distribution)


def test_dataframe_rows_bca_matches_scipy_paired_bootstrap():
    # a 2-D sample (x, y) resampled by rows is the paired bootstrap of (x, y): the BCa
    # jackknife deletes rows, so the acceleration equals the paired form's (deterministic),
    # and the interval agrees with scipy's paired BCa within Monte Carlo error
    df = pd.DataFrame(Z[:, :2], columns=["x", "y"])
    rows = bootstrap(df, corr01_vec, n_resamples=20_000, rng=4)
    pair = bootstrap((df["x"], df["y"]), corr_pair, paired=True, n_resamples=200, rng=4)
    assert rows.details["acceleration"] == pytest.approx(pair.details["acceleration"], rel=1e-9)
    ref = stats.bootstrap((Z[:, 0], Z[:, 1]), corr_pair, paired=True, vectorized=True,
                          method="BCa", n_resamples=20_000, rng=5)  # fmt: skip
    # two independent runs of 2e4 resamples: endpoints and SE agree to about 1%
    assert rows.confidence_interval.low == pytest.approx(ref.confidence_interval.low, rel=0.02)
    assert rows.confidence_interval.high == pytest.approx(ref.confidence_interval.high, rel=0.02)
    assert rows.std_error == pytest.approx(ref.standard_error, rel=0.03)
    assert rows.estimate == pytest.approx(stats.pearsonr(df["x"], df["y"]).statistic)


# -- what the statistic receives ------------------------------------------------------------


def test_non_vectorised_statistic_receives_rows_and_dataframes():
    df = pd.DataFrame(Z, columns=["a", "b", "c"], index=np.arange(240) * 10)
    got = []

    def stat(d):
        got.append(d)
        return d["a"].corr(d["b"])

    res = bootstrap(df, stat, n_resamples=20, method="percentile", rng=2)
    assert all(isinstance(d, pd.DataFrame) for d in got)
    assert all(list(d.columns) == ["a", "b", "c"] and d.shape == (240, 3) for d in got)
    assert all(isinstance(d.index, pd.RangeIndex) for d in got)
    np.testing.assert_array_equal(got[0].to_numpy(), Z)  # the data call, in row order
    assert res.estimate == pytest.approx(np.corrcoef(Z[:, 0], Z[:, 1])[0, 1], rel=1e-12)

    arrays = []
    bootstrap((Z,), lambda z: arrays.append(z) or z[0, 0], n_resamples=5, method="percentile")
    assert all(type(a) is np.ndarray and a.shape == (240, 3) for a in arrays)


def test_vectorised_statistic_layout_and_agreement_with_non_vectorised():
    shapes = []

    def cmeans(z, axis=-1):
        shapes.append(z.shape)
        return np.mean(z, axis=axis)

    vec = bootstrap((Z,), cmeans, n_resamples=300, batch=100, method="percentile", rng=5)
    assert shapes[0] == (3, 240)  # the data, observations last
    assert all(s[0] == 3 and s[-1] == 240 for s in shapes[1:])  # (k, b, n)
    slow = bootstrap((Z,), lambda z: z.mean(axis=0), n_resamples=300, method="percentile", rng=5)
    np.testing.assert_allclose(vec.distribution, slow.distribution, rtol=1e-13)
    np.testing.assert_allclose(vec.estimate, Z.mean(axis=0), rtol=1e-14)


def test_regression_coefficients_match_statsmodels_and_arch_layout():
    sm = pytest.importorskip("statsmodels.api")
    y, X = _industry_beta_data()
    ols = sm.OLS(y, X).fit()  # statsmodels: the reference coefficients
    res = bootstrap((y, X), ols_coef, paired=True, n_resamples=200, method="percentile", rng=1)
    np.testing.assert_allclose(res.estimate, ols.params, rtol=1e-10)
    assert res.distribution.shape == (2, 200)
    fast = bootstrap((y, X), slope_vec, paired=True, n_resamples=200, method="percentile", rng=1)
    np.testing.assert_allclose(fast.distribution, res.distribution[1], rtol=1e-10)


def test_correlation_matrix_in_one_call():
    df = pd.DataFrame(Z, columns=["a", "b", "c"])
    with pytest.warns(sc.resampling.DegenerateDataWarning):  # the diagonal is always 1
        res = bootstrap(df, lambda d: d.corr(), n_resamples=300, method="percentile", rng=6)
    np.testing.assert_allclose(res.estimate, np.corrcoef(Z, rowvar=False), rtol=1e-12)
    assert res.distribution.shape == (3, 3, 300)
    assert len(res.to_frame()) == 9
    np.testing.assert_allclose(res.distribution[0, 0], 1.0)


def test_default_block_length_of_a_2d_sample_matches_arch_per_column():
    arch = pytest.importorskip("arch.bootstrap")
    y, X = _industry_beta_data()  # X has a constant column: it is skipped
    data = np.column_stack([y, X])
    res = bootstrap((data,), col_mean_diff_0, scheme="stationary", n_resamples=10,
                    method="percentile")  # fmt: skip
    ref = arch.optimal_block_length(pd.DataFrame(data[:, [0, 2]]))  # arch 8: per column
    assert res.block_length == pytest.approx(ref["stationary"].mean(), rel=1e-9)
    circ = bootstrap((data,), col_mean_diff_0, scheme="circular", n_resamples=10,
                     method="percentile")  # fmt: skip
    assert circ.block_length == round(max(1.0, ref["circular"].mean()))


# -- the check against arch ---------------------------------------------------------------


def _quantile_mc_se(reps, p):
    """Distribution-free Monte Carlo SE of a sample quantile: half the spread between the
    quantiles at p -/+ sqrt(p(1-p)/B) (the binomial SD of the count below the quantile)."""
    d = np.sqrt(p * (1 - p) / reps.size)
    lo, hi = np.quantile(reps, [max(p - d, 0.0), min(p + d, 1.0)])
    return (hi - lo) / 2


def _sd_mc_se(reps):
    """Monte Carlo SE of a sample SD: sqrt((kurtosis - 1) / (4 B)) * SD (delta method)."""
    kurt = stats.kurtosis(reps, fisher=False)
    return reps.std(ddof=1) * np.sqrt((kurt - 1) / (4 * reps.size))


def test_stationary_bootstrap_of_a_factor_beta_agrees_with_arch():
    arch = pytest.importorskip("arch.bootstrap")
    y, X = _industry_beta_data()  # Energy excess return on the market factor, 819 months
    b, length = 4000, 12.0

    bs = arch.StationaryBootstrap(length, y, X, seed=np.random.default_rng(20261207))
    theirs = bs.apply(ols_coef, b)[:, 1]  # arch's habit: StationaryBootstrap(L, y, X)
    ours = bootstrap((y, X), slope_vec, paired=True, scheme="stationary", block_length=length,
                     n_resamples=b, method="percentile", rng=20261207)  # fmt: skip
    assert ours.estimate == pytest.approx(ols_coef(y, X)[1], rel=1e-12)

    # Tolerance: two independent Monte Carlo runs of B = 4000; each quantity's Monte Carlo SE
    # is estimated from the replicates themselves (order statistics for the percentile ends,
    # the kurtosis for the SD), and the difference must lie within 4 combined SEs. The
    # bootstrap variability itself is the same for both, so only Monte Carlo error remains.
    se_sd = np.hypot(_sd_mc_se(ours.distribution), _sd_mc_se(theirs))
    assert abs(ours.std_error - theirs.std(ddof=1)) < 4 * se_sd
    for p, end in ((0.025, ours.confidence_interval.low), (0.975, ours.confidence_interval.high)):
        se_q = np.hypot(_quantile_mc_se(ours.distribution, p), _quantile_mc_se(theirs, p))
        assert abs(end - np.quantile(theirs, p)) < 4 * se_q
    # the tolerance is tight: a few percent of the SE
    assert 4 * se_sd < 0.1 * ours.std_error


# -- same random streams and executor guarantees ----------------------------------------------


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(2) as ex:
        yield ex


@pytest.mark.parametrize(("scheme", "length"), [("iid", None), ("stationary", 6.0)])
def test_2d_batch_and_process_pool_identical(pool, scheme, length):
    y, X = _industry_beta_data()
    kw = {"paired": True, "n_resamples": 1500, "rng": 11, "scheme": scheme,
          "block_length": length}  # fmt: skip
    ref = bootstrap((y, X), slope_vec, **kw)  # BCa: the row jackknife too
    for batch in (1, 37, 5000):
        res = bootstrap((y, X), slope_vec, batch=batch, **kw)
        np.testing.assert_array_equal(res.distribution, ref.distribution)
        assert res.confidence_interval == ref.confidence_interval
    par = bootstrap((y, X), slope_vec, executor=pool, batch=200, **kw)
    np.testing.assert_array_equal(par.distribution, ref.distribution)
    assert par.confidence_interval == ref.confidence_interval
    df = pd.DataFrame(Z, columns=["a", "b", "c"])
    serial = bootstrap(df, col_max, n_resamples=800, method="studentized", rng=2)  # nested
    parallel = bootstrap(df, col_max, n_resamples=800, method="studentized", rng=2,
                         executor=pool)  # fmt: skip
    np.testing.assert_array_equal(parallel.distribution, serial.distribution)
    np.testing.assert_array_equal(
        parallel.details["studentized_distribution"], serial.details["studentized_distribution"]
    )


def test_2d_permutation_process_pool_identical(pool):
    ref = permutation_test((Z, Z2), col_mean_diff, n_resamples=2000, rng=5)
    res = permutation_test((Z, Z2), col_mean_diff, n_resamples=2000, rng=5, executor=pool)
    np.testing.assert_array_equal(
        res.details["null_distribution"], ref.details["null_distribution"]
    )
    np.testing.assert_array_equal(res.pvalue, ref.pvalue)


def test_previous_continues_a_2d_run():
    df = pd.DataFrame(Z, columns=["a", "b", "c"])
    full = bootstrap(df, col_max, n_resamples=900, rng=8, scheme="circular", block_length=4)
    part = bootstrap(df, col_max, n_resamples=400, rng=8, scheme="circular", block_length=4)
    more = bootstrap(df, col_max, n_resamples=900, scheme="circular", block_length=4,
                     previous=part)  # fmt: skip
    np.testing.assert_array_equal(more.distribution, full.distribution)


# -- jackknife and permutation tests on rows --------------------------------------------------


def test_jackknife_deletes_rows():
    df = pd.DataFrame(Z[:40], columns=["a", "b", "c"])
    res = jackknife(df, lambda d: d["a"].corr(d["c"]))
    # independent: leave-one-out by hand with numpy, Efron & Tibshirani (11.5)
    loo = np.array([np.corrcoef(np.delete(Z[:40, 0], i), np.delete(Z[:40, 2], i))[0, 1]
                    for i in range(40)])  # fmt: skip
    np.testing.assert_allclose(res.values, loo, rtol=1e-12)
    assert res.std_error == pytest.approx(np.sqrt(39 / 40 * np.sum((loo - loo.mean()) ** 2)))
    vec = jackknife((Z[:40],), col_max, block_length=4)
    assert vec.values.shape == (3, 10)


def _scipy_exact(samples, stat, permutation_type):
    """scipy's exact permutation test on row indices (an independent implementation)."""
    return stats.permutation_test(
        samples, stat, permutation_type=permutation_type, vectorized=False, n_resamples=np.inf,
        alternative="greater",
    )  # fmt: skip


def test_independent_rows_exact_against_scipy():
    a, b = Z[:6, :2], Z2[:5, :2] + 0.8
    pooled = np.vstack([a, b])

    def dist(x, y):  # distance between the mean vectors
        return float(np.linalg.norm(x.mean(axis=0) - y.mean(axis=0)))

    ours = permutation_test((a, b), dist, alternative="greater")
    ref = _scipy_exact((np.arange(6), np.arange(6, 11)),
                       lambda i, j: dist(pooled[i], pooled[j]), "independent")  # fmt: skip
    assert ours.details["exact"]
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_paired_rows_exact_against_scipy():
    x, y = Z[:9, :2], Z[:9, :2] + np.array([0.4, -0.2]) + 0.3 * Z2[:9, :2]
    both = np.vstack([x, y])

    def dist(u, v):
        return float(np.linalg.norm((u - v).mean(axis=0)))

    ours = permutation_test((x, y), dist, permutation_type="paired", alternative="greater")
    ref = _scipy_exact((np.arange(9), np.arange(9, 18)),
                       lambda i, j: dist(both[i], both[j]), "samples")  # fmt: skip
    assert ours.details["exact"]
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_correlation_rows_exact_against_scipy():
    x = Z[:7, :2]
    y = Z[:7, 2] + 0.5 * Z[:7, 0]

    def r2(X, yy):  # R^2 of y on the two columns of X
        design = np.column_stack([np.ones(len(yy)), X])
        resid = yy - design @ np.linalg.lstsq(design, yy, rcond=None)[0]
        return float(1 - resid @ resid / np.sum((yy - yy.mean()) ** 2))

    ours = permutation_test((x, y), r2, permutation_type="correlation", alternative="greater")
    # scipy permutes the one sample of row indices of x: the n! orderings relative to y
    ref = _scipy_exact((np.arange(7),), lambda i: r2(x[i.astype(int)], y), "pairings")
    assert ours.details["exact"]
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_monte_carlo_permutation_of_rows_equals_per_column_vector_tests():
    two = permutation_test((Z, Z2), max_diff, n_resamples=999, rng=3)
    for j in range(3):
        one = permutation_test((Z[:, j], Z2[:, j]), max_diff, n_resamples=999, rng=3)
        np.testing.assert_array_equal(two.details["null_distribution"][j],
                                      one.details["null_distribution"])  # fmt: skip
        assert two.pvalue[j] == one.pvalue


# -- bad input and the caller's data --------------------------------------------------------


def test_caller_dataframe_never_modified_and_nan_rows_omitted():
    df = pd.DataFrame(Z[:50], columns=["a", "b", "c"])
    df.iloc[[3, 17], 1] = np.nan
    before = df.copy()
    res = bootstrap(df, lambda d: d.mean(), n_resamples=50, method="percentile", rng=1,
                    nan_policy="omit")  # fmt: skip
    pd.testing.assert_frame_equal(df, before)
    np.testing.assert_allclose(res.estimate, df.dropna().mean().to_numpy(), rtol=1e-14)
    permutation_test((df, df * 2), col_mean_diff, n_resamples=99, rng=1, nan_policy="omit")
    jackknife(df, col_max, nan_policy="omit")
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(ValueError, match=r"`data\[0\]` has 2 NaN values"):
        bootstrap(df, col_max)


def test_paired_omit_drops_incomplete_rows_of_every_sample():
    y, X = _industry_beta_data()
    y = y.copy()
    X = X.copy()
    y[5], X[9, 1] = np.nan, np.nan
    res = bootstrap((y, X), ols_coef, paired=True, nan_policy="omit", n_resamples=20,
                    method="percentile", rng=1)  # fmt: skip
    keep = np.ones(y.size, dtype=bool)
    keep[[5, 9]] = False
    np.testing.assert_allclose(res.estimate, ols_coef(y[keep], X[keep]), rtol=1e-12)


def test_bad_input_is_named():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "who": ["x", "y", "z"]})
    with pytest.raises(TypeError, match=r"`data\[0\]` has non-numeric columns: who"):
        bootstrap(df, col_max)
    with pytest.raises(ValueError, match=r"`data\[0\]` must be one-dimensional, or two-dim"):
        bootstrap((np.ones((4, 3, 2)),), col_max)
    with pytest.raises(ValueError, match=r"`data\[0\]` and `data\[1\]` must have the same len"):
        bootstrap((Z, Z2), max_diff, paired=True)
    with pytest.raises(ValueError, match="same number of columns"):
        permutation_test((Z, Z2[:, :2]), col_mean_diff)
    with pytest.raises(ValueError, match="same number of columns"):
        permutation_test((Z[:, 0], Z[:, :2]), col_mean_diff, permutation_type="paired")
    with pytest.raises(ValueError, match="only constant columns"):
        bootstrap((np.ones((30, 2)),), col_max, scheme="stationary")


def test_vector_forms_unchanged():
    # a column vector or a one-row matrix is still a vector: the moment path, a scalar result
    x = Z[:, 0]
    ref = bootstrap((x,), np.mean, n_resamples=500, rng=1)
    for form in (x[:, None], x[None, :]):
        res = bootstrap((form,), np.mean, n_resamples=500, rng=1)
        assert res.details["moment_path"]
        np.testing.assert_array_equal(res.distribution, ref.distribution)
