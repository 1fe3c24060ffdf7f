"""Tests for statcraft.resampling.jackknife: published values and brute-force deletion."""

import numpy as np
import pytest

from statcraft.resampling import JackknifeResult, jackknife

# Law school data (Efron & Tibshirani 1993, Table 3.1); E&T section 11.5 report the jackknife
# standard error of the correlation as 0.142.
LSAT = [576, 635, 558, 578, 666, 580, 555, 661, 651, 605, 653, 575, 545, 572, 594]
GPA = [3.39, 3.30, 2.81, 3.03, 3.44, 3.07, 3.00, 3.43, 3.36, 3.13, 3.12, 2.74, 2.76, 2.88, 2.96]


def corr(x, y):
    return np.corrcoef(x, y)[0, 1]


def test_law_school_correlation():
    res = jackknife((LSAT, GPA), corr)
    assert isinstance(res, JackknifeResult)
    assert res.estimate == pytest.approx(0.776, abs=5e-4)
    assert res.std_error == pytest.approx(0.142, abs=1e-3)
    # brute-force leave-one-out
    x, y = np.array(LSAT, float), np.array(GPA)
    loo = np.array([corr(np.delete(x, i), np.delete(y, i)) for i in range(15)])
    np.testing.assert_allclose(res.values, loo, rtol=1e-12)
    assert res.bias == pytest.approx(14 * (loo.mean() - res.estimate))


def test_mean_se_equals_classical_formula_and_fast_path():
    x = np.random.default_rng(1).gamma(2.0, size=40)
    res = jackknife((x,), np.mean)
    # E&T (11.5): the jackknife SE of the mean is exactly s / sqrt(n), the bias exactly 0
    assert res.std_error == pytest.approx(x.std(ddof=1) / np.sqrt(40), rel=1e-12)
    assert res.bias == pytest.approx(0.0, abs=1e-12)
    assert res.details["moment_path"]
    slow = jackknife((x,), lambda v, axis: np.mean(v, axis=axis))
    np.testing.assert_allclose(res.values, slow.values, rtol=1e-12)


def test_variance_bias_correction_gives_unbiased_variance():
    x = np.random.default_rng(2).normal(size=30)
    res = jackknife((x,), np.var)
    # the jackknife bias-corrected plug-in variance is the unbiased variance (E&T 11.2)
    assert res.bias_corrected == pytest.approx(x.var(ddof=1), rel=1e-10)


def test_block_jackknife_brute_force():
    x = np.random.default_rng(3).normal(size=23)
    res = jackknife((x,), lambda v, axis: np.median(v, axis=axis), block_length=5)
    loo = np.array([np.median(np.delete(x, np.arange(5 * i, 5 * i + 5))) for i in range(4)])
    np.testing.assert_allclose(res.values, loo)
    assert res.std_error == pytest.approx(np.sqrt(3 / 4 * np.sum((loo - loo.mean()) ** 2)))
    fast = jackknife((x,), np.std, block_length=5)
    loo_sd = np.array([np.std(np.delete(x, np.arange(5 * i, 5 * i + 5))) for i in range(4)])
    np.testing.assert_allclose(fast.values, loo_sd, rtol=1e-10)
    assert "block jackknife (L=5)" in repr(res)
    assert res.to_frame().shape == (1, 6)


def test_bad_input():
    with pytest.raises(ValueError, match="must leave at least 2 blocks"):
        jackknife(([1.0, 2.0, 3.0],), np.mean, block_length=2)
    with pytest.raises(ValueError, match="must have the same length"):
        jackknife(([1.0, 2.0, 3.0], [1.0, 2.0]), corr)
    with pytest.raises(ValueError, match="at least 2"):
        jackknife(([1.0],), np.mean)
    with pytest.raises(TypeError, match="must be callable"):
        jackknife(([1.0, 2.0],), None)


def test_nan_policy_omit_drops_incomplete_pairs():
    x = np.r_[np.array(LSAT, float), np.nan]
    y = np.r_[GPA, 3.0]
    res = jackknife((x, y), corr, nan_policy="omit")
    assert res.n == 15
    assert res.std_error == pytest.approx(jackknife((LSAT, GPA), corr).std_error)
    with pytest.raises(ValueError, match="NaN value"):
        jackknife((x, y), corr)


def test_nan_policy_omit_one_sample():
    # Regression: with one sample, nan_policy='omit' kept the NaN (it was only applied to
    # pairs), so the statistic failed on the data. Jackknife SE of the mean = s / sqrt(n).
    x = [1.0, 2.0, np.nan, 4.0, 7.0]
    res = jackknife((x,), np.mean, nan_policy="omit")
    clean = np.array([1.0, 2.0, 4.0, 7.0])
    assert res.n == 4 and res.estimate == pytest.approx(3.5)
    assert res.std_error == pytest.approx(clean.std(ddof=1) / 2, rel=1e-12)
    with pytest.raises(ValueError, match="at least 2 complete observations"):
        jackknife(([1.0, np.nan, np.nan],), np.mean, nan_policy="omit")
