"""Tests for statcraft.resampling.bootstrap: R references, scipy, coverage, bad input."""

import warnings

import numpy as np
import pytest
from scipy import stats

import statcraft as sc
from statcraft.resampling import DegenerateDataWarning, bootstrap

# Data of scipy's test_bootstrap_against_R, with R's boot.ci on 1e6 resamples:
#   library(boot); x <- c(10, 12, 12.5, 12.5, 13.9, 15, 21, 22, 23, 34, 50, 81, 89, 121, 134, 213)
#   boot.ci(boot(x, function(x, a) mean(x[a]), 1000000))
#   -> basic (23.77, 79.12), percentile (28.86, 84.21), BCa (32.31, 91.43)
X_R = np.array([10, 12, 12.5, 12.5, 13.9, 15, 21, 22, 23, 34, 50, 81, 89, 121, 134, 213])
R_BOOT_CI = {"basic": (23.77, 79.12), "percentile": (28.86, 84.21), "bca": (32.31, 91.43)}


def mean_axis(x, axis=-1):
    return np.mean(x, axis=axis)


@pytest.mark.parametrize("method", ["basic", "percentile", "bca"])
@pytest.mark.parametrize("statistic", [np.mean, mean_axis], ids=["moment-path", "generic"])
def test_matches_r_boot_ci(method, statistic):
    res = bootstrap((X_R,), statistic, method=method, n_resamples=100_000, rng=1)
    low, high = R_BOOT_CI[method]
    # Monte Carlo error of the endpoints with B = 1e5 is about 0.3%; R printed 4 digits
    assert res.confidence_interval.low == pytest.approx(low, rel=0.01)
    assert res.confidence_interval.high == pytest.approx(high, rel=0.01)
    assert res.estimate == pytest.approx(X_R.mean())
    # the bootstrap SE of the mean converges to the plug-in sd / sqrt(n)
    assert res.std_error == pytest.approx(X_R.std() / np.sqrt(X_R.size), rel=0.01)


@pytest.mark.parametrize("method", ["basic", "percentile", "bca"])
def test_matches_scipy_bootstrap_ratio_statistic(method):
    # city data (Davison & Hinkley 1997, Table 2.1; boot::city): ratio of means, paired
    u = np.array([138, 93, 61, 179, 48, 37, 29, 23, 30, 2], dtype=float)
    x = np.array([143, 104, 69, 260, 75, 63, 50, 48, 111, 50], dtype=float)

    def ratio(u, x, axis=-1):
        return np.sum(x, axis=axis) / np.sum(u, axis=axis)

    ours = bootstrap((u, x), ratio, paired=True, method=method, n_resamples=50_000, rng=2)
    ref = stats.bootstrap(
        (u, x), ratio, paired=True, method=method, n_resamples=50_000, rng=3, vectorized=True
    )
    assert ours.estimate == pytest.approx(973 / 640)  # D&H: t = 1.520
    # two independent Monte Carlo runs of 5e4 resamples: endpoints agree to ~1%
    assert ours.confidence_interval.low == pytest.approx(ref.confidence_interval.low, rel=0.02)
    assert ours.confidence_interval.high == pytest.approx(ref.confidence_interval.high, rel=0.02)
    assert ours.std_error == pytest.approx(ref.standard_error, rel=0.02)


def test_multisample_bca_matches_r_wboot():
    # scipy's test_multisample_BCa_against_R: R wBoot boot.two.bca(x, y, skewness, R = 9999)
    # gives an interval with midpoint -1.5519 for skewness(x) - skewness(y)
    x = np.array(
        [0.75859206, 0.5910282, -0.4419409, -0.36654601, 0.34955357, -1.38835871, 0.76735821]
    )
    y = np.array(
        [
            1.41186073,
            0.49775975,
            0.08275588,
            0.24086388,
            0.03567057,
            0.52024419,
            0.31966611,
            1.32067634,
        ]
    )

    def skew_diff(x, y, axis=-1):
        return stats.skew(x, axis=axis) - stats.skew(y, axis=axis)

    res = bootstrap((x, y), skew_diff, n_resamples=20_000, rng=4)
    mid = np.mean(res.confidence_interval)
    assert abs((mid - (-1.5519)) / 1.5519) < 0.03
    pct = bootstrap((x, y), skew_diff, n_resamples=20_000, rng=4, method="percentile")
    assert (np.mean(pct.confidence_interval) - (-1.5519)) / 1.5519 > 0.1  # BCa moved it


def test_normal_interval_is_bias_corrected_normal():
    res = bootstrap((X_R,), np.mean, method="normal", n_resamples=5000, rng=5)
    z = stats.norm.ppf(0.975)
    se = res.distribution.std(ddof=1)
    bias = res.distribution.mean() - res.estimate
    assert res.confidence_interval.low == pytest.approx(res.estimate - bias - z * se)
    assert res.confidence_interval.high == pytest.approx(res.estimate - bias + z * se)


def test_studentized_function_equals_analytic_for_mean():
    def sem(x, axis=-1):
        return np.std(x, axis=axis, ddof=1) / np.sqrt(x.shape[axis])

    a = bootstrap((X_R,), np.mean, method="studentized", n_resamples=4000, rng=6)
    b = bootstrap((X_R,), mean_axis, method="studentized", std_error=sem, n_resamples=4000, rng=6)
    assert a.details["studentization"] == "analytic"
    np.testing.assert_allclose(a.confidence_interval, b.confidence_interval, rtol=1e-9)
    # studentized interval of a right-skewed mean reaches further right than the percentile one
    p = bootstrap((X_R,), np.mean, method="percentile", n_resamples=4000, rng=6)
    assert a.confidence_interval.high > p.confidence_interval.high


def test_studentized_nested_close_to_analytic():
    x = np.random.default_rng(7).lognormal(size=25)
    a = bootstrap((x,), np.mean, method="studentized", n_resamples=2000, rng=8)
    b = bootstrap((x,), mean_axis, method="studentized", n_resamples=2000, rng=8)
    assert b.details["studentization"] == "nested"
    np.testing.assert_allclose(a.confidence_interval, b.confidence_interval, rtol=0.15)


def test_one_sided_intervals():
    two = bootstrap(
        (X_R,), np.mean, method="percentile", confidence_level=0.9, n_resamples=5000, rng=9
    )
    less = bootstrap(
        (X_R,),
        np.mean,
        method="percentile",
        confidence_level=0.95,
        alternative="less",
        n_resamples=5000,
        rng=9,
    )
    greater = bootstrap(
        (X_R,),
        np.mean,
        method="percentile",
        confidence_level=0.95,
        alternative="greater",
        n_resamples=5000,
        rng=9,
    )
    assert less.confidence_interval.low == -np.inf
    assert greater.confidence_interval.high == np.inf
    assert less.confidence_interval.high == pytest.approx(two.confidence_interval.high)
    assert greater.confidence_interval.low == pytest.approx(two.confidence_interval.low)
    # reflected methods: the one-sided bound equals the matching end of the 90% interval
    for method in ("basic", "studentized"):
        kw = {"method": method, "n_resamples": 5000, "rng": 9}
        two = bootstrap((X_R,), np.mean, confidence_level=0.9, **kw)
        less = bootstrap((X_R,), np.mean, alternative="less", **kw)
        greater = bootstrap((X_R,), np.mean, alternative="greater", **kw)
        assert less.confidence_interval == (-np.inf, pytest.approx(two.confidence_interval.high))
        assert greater.confidence_interval == (pytest.approx(two.confidence_interval.low), np.inf)


def test_vector_statistic_matches_componentwise():
    rng = np.random.default_rng(10)
    x = rng.normal(size=40)

    def both(x, axis=-1):
        return np.stack([np.mean(x, axis=axis), np.std(x, axis=axis)])

    res = bootstrap((x,), both, n_resamples=3000, rng=11, method="percentile")
    assert res.distribution.shape == (2, 3000)
    m = bootstrap((x,), mean_axis, n_resamples=3000, rng=11, method="percentile")
    np.testing.assert_allclose(res.distribution[0], m.distribution)
    assert res.to_frame().shape[0] == 2


def test_non_vectorized_statistic_same_as_vectorized():
    a = bootstrap((X_R,), lambda x: float(np.median(x)), n_resamples=500, rng=12)
    b = bootstrap((X_R,), lambda x, axis: np.median(x, axis=axis), n_resamples=500, rng=12)
    assert a.details["vectorized"] is False
    np.testing.assert_array_equal(a.distribution, b.distribution)
    assert a.confidence_interval == b.confidence_interval


def test_moment_path_equals_generic_path_for_block_schemes():
    x = np.random.default_rng(13).normal(size=200).cumsum()
    for scheme, length in [
        ("stationary", 7.5),
        ("stationary", 12.5),
        ("stationary", 1.0),
        ("circular", 6),
        ("circular", 1),
        ("moving", 6),
        ("moving", 1),
        ("iid", None),
    ]:
        fast = bootstrap((x,), np.mean, scheme=scheme, block_length=length, n_resamples=300, rng=14)
        slow = bootstrap(
            (x,), mean_axis, scheme=scheme, block_length=length, n_resamples=300, rng=14
        )
        np.testing.assert_allclose(fast.distribution, slow.distribution, rtol=1e-10)
        np.testing.assert_allclose(fast.confidence_interval, slow.confidence_interval, rtol=1e-8)
    for stat in (np.var, np.std, np.sum):
        fast = bootstrap((x,), stat, scheme="circular", block_length=5, n_resamples=200, rng=1)
        slow = bootstrap(
            (x,),
            lambda v, axis, f=stat: f(v, axis=axis),
            scheme="circular",
            block_length=5,
            n_resamples=200,
            rng=1,
        )
        np.testing.assert_allclose(fast.distribution, slow.distribution, rtol=1e-8)


def test_block_bootstrap_se_of_ar1_mean_matches_long_run_variance():
    # AR(1), phi = 0.6, unit innovations: sd of the mean ~ 1 / ((1 - phi) sqrt(n)) = 0.0559
    rng = np.random.default_rng(15)
    n, phi = 2000, 0.6
    e = rng.normal(size=n + 200)
    x = np.zeros(n + 200)
    for t in range(1, n + 200):
        x[t] = phi * x[t - 1] + e[t]
    x = x[200:]
    iid = bootstrap((x,), np.mean, n_resamples=2000, rng=16, method="percentile")
    sb = bootstrap(
        (x,), np.mean, scheme="stationary", n_resamples=2000, rng=16, method="percentile"
    )
    assert iid.std_error == pytest.approx(np.sqrt(1 / (1 - phi**2) / n), rel=0.1)
    assert sb.std_error == pytest.approx(1 / ((1 - phi) * np.sqrt(n)), rel=0.2)
    assert sb.block_length == pytest.approx(sc.resampling.optimal_block_length(x).stationary)


def test_block_bca_uses_block_jackknife():
    x = np.random.default_rng(17).lognormal(size=300)
    res = bootstrap((x,), np.mean, scheme="circular", block_length=10, n_resamples=500, rng=1)
    assert res.details["jackknife_block_length"] == 10
    # delete-a-block jackknife values by brute force: 30 blocks of 10
    loo = np.array([np.delete(x, np.arange(10 * i, 10 * i + 10)).mean() for i in range(30)])
    d = loo.mean() - loo
    assert res.details["acceleration"] == pytest.approx(
        np.sum(d**3) / (6 * np.sum(d**2) ** 1.5), rel=1e-9
    )


def test_strata_resample_within_strata():
    x = np.r_[np.zeros(10), np.ones(5) * 10]
    labels = np.r_[np.zeros(10), np.ones(5)]
    # mixed strata: the resampled mean varies, and each stratum keeps its size
    y = np.r_[np.arange(10.0), np.arange(5.0) + 100]
    res_y = bootstrap((y,), np.sum, strata=labels, n_resamples=300, rng=18, method="percentile")
    assert np.all(res_y.distribution >= 500) and np.all(res_y.distribution <= 5 * 104 + 90)
    with pytest.warns(DegenerateDataWarning):
        res = bootstrap((x,), np.mean, strata=labels, n_resamples=200, rng=18, method="percentile")
    # within-stratum resampling keeps each stratum's values: the mean never changes
    np.testing.assert_allclose(res.distribution, x.mean())


def test_previous_extends_the_same_stream():
    x = np.random.default_rng(19).gamma(2.0, size=50)
    full = bootstrap((x,), mean_axis, n_resamples=3000, rng=20)
    part = bootstrap((x,), mean_axis, n_resamples=1000, rng=20)
    ext = bootstrap((x,), mean_axis, n_resamples=3000, previous=part)
    np.testing.assert_array_equal(ext.distribution, full.distribution)
    assert ext.confidence_interval == full.confidence_interval
    with pytest.raises(ValueError, match="other data"):
        bootstrap((x + 1,), mean_axis, n_resamples=3000, previous=part)


def test_inputs_not_modified():
    x = X_R.copy()
    y = X_R[::-1].copy()
    bootstrap(
        (x, y), lambda a, b, axis: np.mean(a, axis) - np.mean(b, axis), n_resamples=100, rng=1
    )
    np.testing.assert_array_equal(x, X_R)
    np.testing.assert_array_equal(y, X_R[::-1])


def test_result_repr_and_frame():
    res = bootstrap((X_R,), np.mean, n_resamples=200, rng=1)
    assert "BootstrapResult(bca, iid, B=200" in repr(res)
    assert list(res.to_frame().columns)[:5] == [
        "estimate",
        "std_error",
        "bias",
        "ci_low",
        "ci_high",
    ]


# ---------------------------------------------------------------- bad input


def test_degenerate_data_warns_and_gives_degenerate_interval():
    for method in ["bca", "percentile", "basic", "normal", "studentized"]:
        with pytest.warns(DegenerateDataWarning, match="all bootstrap replicates are equal"):
            res = bootstrap(([3.0] * 8,), np.mean, method=method, n_resamples=100, rng=1)
        assert res.confidence_interval == (3.0, 3.0)


def test_bad_input_messages():
    x = X_R
    with pytest.raises(ValueError, match="`n_resamples` must be >= 1"):
        bootstrap((x,), np.mean, n_resamples=0)
    with pytest.raises(ValueError, match=r"`block_length` .* cannot exceed"):
        bootstrap((x,), np.mean, scheme="circular", block_length=17)
    with pytest.raises(ValueError, match="`block_length` must be >= 1"):
        bootstrap((x,), np.mean, scheme="stationary", block_length=0.5)
    with pytest.raises(ValueError, match=r"`data\[0\]` and `data\[1\]` must have the same"):
        bootstrap((x, x[:5]), lambda a, b, axis: a.mean(axis), paired=True)
    with pytest.raises(ValueError, match="`method` must be one of"):
        bootstrap((x,), np.mean, method="bc")
    with pytest.raises(ValueError, match="`scheme` must be one of"):
        bootstrap((x,), np.mean, scheme="block")
    with pytest.raises(ValueError, match="`confidence_level` must be in"):
        bootstrap((x,), np.mean, confidence_level=1.5)
    with pytest.raises(ValueError, match="returned an array of shape"):
        bootstrap((x,), lambda a, axis: np.mean(a), n_resamples=10)

    def unstable(a, axis):
        with np.errstate(divide="ignore"):
            return 1 / (np.median(a, axis=axis) > 20)

    with pytest.raises(ValueError, match="NaN or infinite"):
        bootstrap((x,), unstable, n_resamples=200, rng=1)
    with pytest.raises(ValueError, match="returned NaN or inf on the data"):
        bootstrap((x,), lambda a, axis: np.inf * np.ones(np.shape(a)[:-1]), n_resamples=10)
    with pytest.raises(TypeError, match="`statistic` must be callable"):
        bootstrap((x,), "mean")
    with pytest.raises(TypeError, match="sequence of samples"):
        bootstrap(x, np.mean)
    with pytest.raises(ValueError, match="NaN value"):
        bootstrap(([1.0, np.nan, 3.0],), np.mean)
    with pytest.raises(ValueError, match="`block_length` applies to block schemes only"):
        bootstrap((x,), np.mean, block_length=3)
    with pytest.raises(ValueError, match="`strata` is supported with scheme='iid' only"):
        bootstrap((x,), np.mean, strata=np.zeros(16), scheme="circular", block_length=2)
    with pytest.raises(ValueError, match="`std_error` is used only"):
        bootstrap((x,), np.mean, std_error=np.std)
    with pytest.raises(TypeError, match="`executor` must be"):
        bootstrap((x,), np.mean, executor=4)


# ---------------------------------------------------------------- coverage
#
# Coverage is checked in two ways on the SAME simulated data sets: against the targets,
# and against an independent implementation (scipy.stats.bootstrap; a plain-numpy bootstrap-t;
# arch's block bootstraps). Two implementations of one method must cover the same data sets
# up to Monte Carlo noise of the resampling: their paired hit indicators are compared with a
# McNemar-type bound, |n10 - n01| <= 3 sqrt(n10 + n01) + 2 (n10: data sets covered by statcraft
# only, n01: by the other only). A shortfall that both show is a property of the method at
# this sample size, not a defect of statcraft.


def _agree(a, b):
    """Whether paired coverage indicators ``a`` and ``b`` differ by no more than MC noise."""
    n10, n01 = int(np.sum(a & ~b)), int(np.sum(~a & b))
    return abs(n10 - n01) <= 3 * np.sqrt(n10 + n01) + 2, (n10, n01)


def _bootstrap_t_numpy(x, n_resamples, rng, level=0.95):
    """Independent bootstrap-t interval for the mean (Efron & Tibshirani 1993, sec. 12.5)."""
    n = x.size
    xs = x[rng.integers(0, n, size=(n_resamples, n))]
    t = (xs.mean(axis=1) - x.mean()) / (xs.std(axis=1, ddof=1) / np.sqrt(n))
    q_lo, q_hi = np.quantile(t, [(1 - level) / 2, (1 + level) / 2])
    se = x.std(ddof=1) / np.sqrt(n)
    return x.mean() - q_hi * se, x.mean() - q_lo * se


def _lognormal_coverage(n, reps, n_resamples, seed):
    """Hit indicators of 95% intervals for the mean of a lognormal(0, 1) (true mean e^0.5)."""
    rng = np.random.default_rng(seed)
    true = np.exp(0.5)
    hits = {k: np.zeros(reps, bool) for k in ("bca", "studentized", "scipy_bca", "numpy_t")}
    for i in range(reps):
        x = rng.lognormal(size=n)
        for method in ("bca", "studentized"):
            lo, hi = bootstrap(
                (x,), np.mean, method=method, n_resamples=n_resamples, rng=rng
            ).confidence_interval
            hits[method][i] = lo <= true <= hi
        ci = stats.bootstrap((x,), np.mean, method="BCa", n_resamples=n_resamples, rng=rng)
        hits["scipy_bca"][i] = ci.confidence_interval.low <= true <= ci.confidence_interval.high
        lo, hi = _bootstrap_t_numpy(x, n_resamples, rng)
        hits["numpy_t"][i] = lo <= true <= hi
    return hits


def _report(title, hits, pairs):
    cov = {k: float(v.mean()) for k, v in hits.items()}
    print(f"{title}: " + ", ".join(f"{k} {v:.3f}" for k, v in cov.items()))
    for a, b in pairs:
        ok, (n10, n01) = _agree(hits[a], hits[b])
        print(f"  {a} vs {b}: {cov[a]:.3f} vs {cov[b]:.3f}, discordant {n10}/{n01}")
        assert ok, f"{a} and {b} disagree beyond Monte Carlo error: {n10} vs {n01}"
    return cov


LOGNORMAL_PAIRS = [("bca", "scipy_bca"), ("studentized", "numpy_t")]


def test_coverage_lognormal_mean_fast():
    hits = _lognormal_coverage(30, 150, 999, seed=21)
    cov = _report("lognormal(0,1) mean n=30, 150 reps", hits, LOGNORMAL_PAIRS)
    # 150 replications: binomial SE ~ 2 points; gross errors only
    assert cov["studentized"] > 0.85
    assert cov["bca"] > 0.8


@pytest.mark.slow
@pytest.mark.parametrize("n", [30, 100])
def test_coverage_lognormal_mean_full(n):
    hits = _lognormal_coverage(n, 2000, 1999, seed=22 + n)
    cov = _report(f"lognormal(0,1) mean n={n}, 2000 reps", hits, LOGNORMAL_PAIRS)
    # (a) statcraft agrees with scipy's BCa and a plain-numpy bootstrap-t (asserted in _report).
    # (b) Issue 4's target, 95% +- 2 points, is met by the studentized interval at n = 100 and
    # missed by 0.1-3 points at n = 30; it is NOT met by BCa at either n. This is inherent
    # to the methods for a lognormal(0, 1) (skewness 6.2), not a statcraft defect: on the same
    # 4000 data sets per n (seeds 2030/2100, B = 1999, 2026-11-25) the coverages were
    #   n = 30:  statcraft BCa 0.888, scipy BCa 0.890 (discordant 32/40), statcraft
    #            studentized 0.929, percentile 0.873 (scipy 0.874), t interval 0.877;
    #   n = 100: statcraft BCa 0.919, scipy BCa 0.919 (25/23), studentized 0.933,
    #            percentile 0.911 (scipy 0.912), t interval 0.913.
    # This test's own data sets (seeds 52/122): n = 30 BCa 0.887 (scipy 0.887), studentized
    # 0.920 (numpy bootstrap-t 0.920); n = 100 BCa 0.923 (scipy 0.926), studentized 0.939
    # (numpy 0.938).
    # Harrell's simulation with R's boot (stats.stackexchange.com/q/186957, lognormal
    # sdlog 1.65) shows the same ordering and shortfall: BCa misses 20% at n = 25 and 8.4% at
    # n = 400; bootstrap-t 13.4% and 6.9%. Hesterberg (2015, Am. Stat. 69(4), 371-386)
    # discusses the same inaccuracy of bootstrap intervals for skewed populations at small n.
    if n == 100:
        assert abs(cov["studentized"] - 0.95) <= 0.02
    else:  # target missed by about 2-3 points, as by the independent bootstrap-t
        assert abs(cov["studentized"] - 0.95) <= 0.04
    assert 0.86 <= cov["bca"] <= 0.94
    assert cov["studentized"] > cov["bca"]


def _ar1(n, phi, rng, burn=200):
    e = rng.normal(size=n + burn)
    x = np.empty(n + burn)
    x[0] = e[0] / np.sqrt(1 - phi**2)
    for t in range(1, n + burn):
        x[t] = phi * x[t - 1] + e[t]
    return x[burn:]


def _ar_coverage(reps, n_resamples, seed, with_arch):
    """Hit indicators of 95% intervals for the mean (0) of an AR(1), phi = 0.6, n = 500."""
    rng = np.random.default_rng(seed)
    keys = ["iid", "stationary", "circular", "stationary_pct", "circular_pct"]
    if with_arch:
        keys += ["arch_iid_pct", "arch_stationary_pct", "arch_circular_pct", "arch_stationary"]
    hits = {k: np.zeros(reps, bool) for k in keys}
    for i in range(reps):
        x = _ar1(500, 0.6, rng)
        res = {}
        for scheme in ("iid", "stationary", "circular"):
            for method in ("bca", "percentile"):
                if scheme == "iid" and method == "percentile":
                    continue
                r = bootstrap(
                    (x,), np.mean, scheme=scheme, method=method, n_resamples=n_resamples, rng=rng
                )
                lo, hi = r.confidence_interval
                key = scheme if method == "bca" else scheme + "_pct"
                hits[key][i] = lo <= 0.0 <= hi
                res[scheme] = r
        if not with_arch:
            continue
        from arch.bootstrap import CircularBlockBootstrap, IIDBootstrap, StationaryBootstrap

        seed_i = int(rng.integers(2**31))
        for key, bs, method in [
            ("arch_iid_pct", IIDBootstrap(x, seed=seed_i), "percentile"),
            # the same (automatic) block lengths as statcraft used
            ("arch_stationary_pct", StationaryBootstrap(
                res["stationary"].block_length, x, seed=seed_i), "percentile"),
            ("arch_circular_pct", CircularBlockBootstrap(
                int(res["circular"].block_length), x, seed=seed_i), "percentile"),
            # arch's BCa: iid jackknife for the acceleration (arch issue #801)
            ("arch_stationary", StationaryBootstrap(
                res["stationary"].block_length, x, seed=seed_i), "bca"),
        ]:  # fmt: skip
            ci = bs.conf_int(np.mean, reps=n_resamples, method=method)
            hits[key][i] = ci[0, 0] <= 0.0 <= ci[1, 0]
    return hits


AR_PAIRS = [
    ("iid", "arch_iid_pct"),
    ("stationary_pct", "arch_stationary_pct"),
    ("circular_pct", "arch_circular_pct"),
    ("stationary", "arch_stationary"),
]


def test_coverage_ar1_fast():
    hits = _ar_coverage(100, 499, seed=31, with_arch=False)
    cov = _report("AR(1) phi=0.6 n=500, 100 reps", hits, [])
    assert cov["iid"] < 0.8  # true coverage of the iid interval is about 64%
    assert cov["stationary"] > 0.82
    assert cov["circular"] > 0.82


def test_block_bootstrap_se_agrees_with_arch():
    # Independent implementation: arch's bootstrap covariance of the mean with the same block
    # length, on 5 AR(1) series. Monte Carlo error of each SE with B = 2000: about 1.6%.
    from arch.bootstrap import CircularBlockBootstrap, StationaryBootstrap

    rng = np.random.default_rng(41)
    ratios = {"stationary": [], "circular": []}
    for i in range(5):
        x = _ar1(500, 0.6, rng)
        for scheme, cls in (
            ("stationary", StationaryBootstrap),
            ("circular", CircularBlockBootstrap),
        ):
            r = bootstrap(
                (x,), np.mean, scheme=scheme, method="percentile", n_resamples=2000, rng=i
            )
            length = r.block_length if scheme == "stationary" else int(r.block_length)
            se_arch = np.sqrt(cls(length, x, seed=100 + i).cov(np.mean, reps=2000)[0, 0])
            ratios[scheme].append(r.std_error / se_arch)
    print("statcraft SE / arch SE:", {k: np.round(v, 3) for k, v in ratios.items()})
    for scheme, rs in ratios.items():
        assert np.mean(rs) == pytest.approx(1.0, abs=0.03), (scheme, rs)


def test_studentized_block_scheme_uses_block_std_errors():
    # For a block scheme the inner standard error must be a block one: on an AR(1) series with
    # phi = 0.6 it is about twice the iid s / sqrt(n) (long-run / marginal sd: 2.5 / 1.25).
    x = _ar1(500, 0.6, np.random.default_rng(43))
    res = bootstrap((x,), np.mean, scheme="circular", method="studentized", n_resamples=200, rng=44)
    assert res.details["studentization"] == "nested"
    t = res.details["studentized_distribution"]
    se_star = (res.distribution - res.estimate) / t
    iid_se = x.std(ddof=1) / np.sqrt(x.size)
    assert np.nanmedian(se_star) == pytest.approx(res.std_error, rel=0.3)
    assert np.nanmedian(se_star) > 1.5 * iid_se


@pytest.mark.slow
def test_coverage_ar1_full():
    hits = _ar_coverage(1000, 999, seed=32, with_arch=True)
    cov = _report("AR(1) phi=0.6 n=500, 1000 reps", hits, AR_PAIRS)
    # (a) statcraft agrees with arch on the same series and block lengths (asserted above).
    # (b) Issue 4: the iid bootstrap under-covers -- met. The block schemes within 95% +- 3
    # points -- NOT met, and inherent to block bootstraps at n = 500 with the automatic block
    # length: arch shows the same shortfall on the same series. Measured (2026-11-25, B = 999):
    #   this test (seed 32): statcraft stationary BCa 0.915 / percentile 0.911 (arch percentile
    #     0.908, arch BCa 0.913), circular percentile 0.916 (arch 0.918), iid 0.668 (arch 0.672);
    #   another 1000 series (seed 4242): stationary 0.912 / 0.915 (arch 0.921, arch BCa 0.920),
    #     circular 0.916 / 0.921 (arch 0.924, arch BCa 0.926), iid 0.650 (arch 0.652);
    #   statcraft alone, four more sets of 1000 series: stationary 0.882-0.912, circular
    #     0.892-0.922.
    # Cause: the block-bootstrap variance of the mean is biased down by about G / (b sigma^2)
    # (Politis & White 2004, Econometric Rev. 23(1), Thm 3.1; G = sum |k| gamma_k = 11.7,
    # sigma^2 = sum gamma_k = 6.25 for this AR(1), b ~ 11): about 15-17%, so the bootstrap SE
    # is about 9% too small (measured: mean bootstrap SE 0.0996 vs the true SD of the mean
    # 0.112), which costs 3-4 points of coverage at n = 500. Chandy, Schifano & Yan (2024,
    # Am. J. Undergrad. Res., doi:10.33697/ajur.2024.101) report the same slow convergence of
    # block-bootstrap intervals for the mean of an AR(1). The studentized block bootstrap does
    # meet the target (test_coverage_ar1_studentized_block).
    assert cov["iid"] < 0.75
    for scheme in ("stationary", "circular"):
        assert 0.85 <= cov[scheme] <= 0.95
    assert min(cov["stationary"], cov["circular"]) > cov["iid"] + 0.15


@pytest.mark.slow
def test_coverage_ar1_studentized_block():
    # Studentizing each resample by its own block-bootstrap SE (nested bootstrap, 50 inner
    # resamples, same scheme and block length) calibrates the downward bias of the block
    # variance, and brings the circular bootstrap within issue 4's 95% +- 3 points.
    # Independent implementation: arch's CircularBlockBootstrap.conf_int(method='studentized',
    # studentize_reps=50), also a nested block bootstrap, on the same series.
    from arch.bootstrap import CircularBlockBootstrap

    rng = np.random.default_rng(33)
    reps = 200
    hits = {k: np.zeros(reps, bool) for k in ("circular", "arch_circular", "circular_bca")}
    for i in range(reps):
        x = _ar1(500, 0.6, rng)
        r = bootstrap(
            (x,), np.mean, scheme="circular", method="studentized", n_resamples=499, rng=rng
        )
        hits["circular"][i] = r.confidence_interval.low <= 0.0 <= r.confidence_interval.high
        lo, hi = bootstrap(
            (x,), np.mean, scheme="circular", method="bca", n_resamples=499, rng=rng
        ).confidence_interval
        hits["circular_bca"][i] = lo <= 0.0 <= hi
        bs = CircularBlockBootstrap(int(r.block_length), x, seed=int(rng.integers(2**31)))
        ci = bs.conf_int(np.mean, reps=499, method="studentized", studentize_reps=50)
        hits["arch_circular"][i] = ci[0, 0] <= 0.0 <= ci[1, 0]
    cov = _report("AR(1) studentized circular, 200 reps", hits, [("circular", "arch_circular")])
    # Measured (2026-11-25): this test, circular studentized 0.940 (arch 0.945, discordant
    # 1/2), BCa 0.905; another 500 series (seed 78, B = 499): stationary and circular
    # studentized both 0.950.
    assert abs(cov["circular"] - 0.95) <= 0.03
    assert cov["circular"] > cov["circular_bca"]


def test_no_warnings_on_ordinary_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bootstrap((X_R,), np.mean, n_resamples=100, rng=1)


def test_nan_policy():
    x = np.r_[X_R, np.nan]
    omit = bootstrap((x,), np.mean, nan_policy="omit", n_resamples=300, rng=1)
    ref = bootstrap((X_R,), np.mean, n_resamples=300, rng=1)
    np.testing.assert_array_equal(omit.distribution, ref.distribution)
    with pytest.raises(ValueError, match="nan_policy='propagate' is not supported"):
        bootstrap((x,), np.mean, nan_policy="propagate")
    # paired: incomplete rows are dropped from both samples
    y = np.r_[X_R[::-1], 1.0]
    res = bootstrap(
        (x, y),
        lambda a, b, axis: np.mean(a - b, axis=axis),
        paired=True,
        nan_policy="omit",
        n_resamples=100,
        rng=1,
    )
    assert res.estimate == pytest.approx(np.mean(X_R - X_R[::-1]))
