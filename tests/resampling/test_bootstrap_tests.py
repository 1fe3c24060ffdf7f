"""Tests for statcraft.resampling.bootstrap_test against an independent loop implementation."""

import numpy as np
import pytest
from scipy import stats

from statcraft.resampling import bootstrap_test

# Mouse survival data (Efron & Tibshirani 1993, Table 2.1)
TREATMENT = np.array([94, 197, 16, 38, 99, 141, 23], dtype=float)
CONTROL = np.array([52, 104, 146, 10, 51, 30, 40, 27, 46], dtype=float)


def brute_two_sample_p(x, y, b, seed):
    """E&T Algorithm 16.2, written as a plain loop over resamples."""
    rng = np.random.default_rng(seed)
    z = np.r_[x, y].mean()
    xt, yt = x - x.mean() + z, y - y.mean() + z

    def t(a, c):
        return (a.mean() - c.mean()) / np.sqrt(a.var(ddof=1) / a.size + c.var(ddof=1) / c.size)

    t_obs = t(x, y)
    null = np.empty(b)
    for i in range(b):
        null[i] = t(rng.choice(xt, xt.size), rng.choice(yt, yt.size))
    return t_obs, (np.sum(null >= t_obs) + 1) / (b + 1)


def test_two_sample_matches_brute_force_loop():
    t_ref, p_ref = brute_two_sample_p(TREATMENT, CONTROL, 20_000, seed=1)
    res = bootstrap_test(TREATMENT, CONTROL, alternative="greater", n_resamples=20_000, rng=2)
    assert res.statistic == pytest.approx(t_ref, rel=1e-12)
    # Welch t on the mouse data: t = 1.0587 (E&T section 16.4 report t = 1.06)
    assert res.statistic == pytest.approx(
        stats.ttest_ind(TREATMENT, CONTROL, equal_var=False).statistic
    )
    # two Monte Carlo estimates with B = 2e4: SE of each ~ 0.0027
    assert res.pvalue == pytest.approx(p_ref, abs=0.012)
    assert "Two-sample bootstrap t-test" in res.method


def test_one_sample_close_to_t_test_for_normal_data():
    x = np.random.default_rng(3).normal(0.3, 1.0, size=60)
    res = bootstrap_test(x, mu=0.0, n_resamples=20_000, rng=4)
    ref = stats.ttest_1samp(x, 0.0)
    assert res.statistic == pytest.approx(ref.statistic)
    # for normal data the bootstrap-t null approximates Student's t (n = 60)
    assert res.pvalue == pytest.approx(ref.pvalue, abs=0.015)
    lo, hi = res.estimate.confidence_interval
    t_lo, t_hi = ref.confidence_interval()
    assert lo == pytest.approx(t_lo, abs=0.03) and hi == pytest.approx(t_hi, abs=0.03)


def test_size_under_null_fast():
    rng = np.random.default_rng(5)
    rejections = 0
    reps = 200
    for _ in range(reps):
        x = rng.exponential(size=40)
        rejections += bootstrap_test(x, mu=1.0, n_resamples=499, rng=rng).pvalue < 0.05
    # nominal 5%; binomial SE with 200 replications is 1.5 points
    assert rejections / reps < 0.11


def test_bad_input():
    with pytest.raises(ValueError, match="`x` is constant"):
        bootstrap_test([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="`mu` must be finite"):
        bootstrap_test([1.0, 2.0, 3.0], mu=np.nan)
    with pytest.raises(ValueError, match="NaN value"):
        bootstrap_test([1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="`y` needs at least 2"):
        bootstrap_test([1.0, 2.0, 3.0], [1.0])


def test_nan_policy():
    # Regression: 'propagate' was accepted but raised "pass nan_policy='omit'".
    x = [1.0, np.nan, 3.0, 2.5]
    res = bootstrap_test(x, nan_policy="propagate", n_resamples=99, rng=0)
    assert np.isnan(res.statistic) and np.isnan(res.pvalue)
    assert res.details["nan_policy"] == "propagate"
    assert res.alternative == "two-sided"
    two = bootstrap_test([1.0, 2.0, 4.0], x, nan_policy="propagate", scheme="circular")
    assert np.isnan(two.pvalue) and two.method.startswith("Two-sample")
    # 'omit' gives the same result as the data without NaN
    omitted = bootstrap_test(x, nan_policy="omit", n_resamples=99, rng=0)
    clean = bootstrap_test([1.0, 3.0, 2.5], n_resamples=99, rng=0)
    assert omitted.pvalue == clean.pvalue and omitted.statistic == clean.statistic
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        bootstrap_test(x, nan_policy="ignore")
    with pytest.raises(ValueError, match="`scheme` must be one of"):
        bootstrap_test(x, nan_policy="propagate", scheme="blocks")
