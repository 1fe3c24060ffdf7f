"""Diebold-Mariano test against an independent transcription of R's forecast::dm.test."""

import contextlib
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.tsa.stattools import acovf

from statcraft.evaluation import diebold_mariano


def _r_dm_test(loss_a, loss_b, h, alternative):
    """forecast::dm.test (varestimator = "acf") on losses, with statsmodels' autocovariances.

    R source:  d.cov <- acf(d, lag.max = h - 1, type = "covariance")$acf[, , 1]
               d.var <- sum(c(d.cov[1], 2 * d.cov[-1])) / length(d)
               STATISTIC <- mean(d) / sqrt(d.var)
               k <- ((n + 1 - 2 * h + (h / n) * (h - 1)) / n)^(1 / 2)
               STATISTIC <- STATISTIC * k;  pt(STATISTIC, df = n - 1)
    """
    d = np.asarray(loss_a) - np.asarray(loss_b)
    n = len(d)
    cov = acovf(d, adjusted=False, demean=True, nlag=h - 1, fft=False)
    var = (cov[0] + 2 * cov[1:].sum()) / n
    stat = d.mean() / math.sqrt(var) * math.sqrt((n + 1 - 2 * h + (h / n) * (h - 1)) / n)
    if alternative == "two-sided":
        p = 2 * stats.t.cdf(-abs(stat), n - 1)
    elif alternative == "less":
        p = stats.t.cdf(stat, n - 1)
    else:
        p = stats.t.sf(stat, n - 1)
    return stat, p


@pytest.mark.parametrize("h", [1, 2, 4])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_matches_r_dm_test_transcription(rng, h, alternative):
    e1 = rng.normal(size=60)
    e2 = 0.8 * e1 + rng.normal(size=60) * 0.7
    la, lb = e1**2, e2**2  # dm.test(e1, e2, power = 2)
    res = diebold_mariano(la, lb, horizon=h, alternative=alternative)
    stat, p = _r_dm_test(la, lb, h, alternative)
    assert res.statistic == pytest.approx(stat, rel=1e-12)
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    assert res.df == 59
    assert res.estimate.estimate == pytest.approx(np.mean(la - lb), rel=1e-14)


def test_hand_computed_example():
    # d = a - b = (.2, -.1, .7, -.1, .3, .3, .5, -.1, .4, .3): mean .24, gamma0 = .664/10,
    # DM = .24 / sqrt(.0664/10) = 2.94530, HLN factor sqrt(9/10) -> 2.79414; t(9)
    a = [1.2, 0.8, 1.9, 0.4, 1.1, 0.9, 1.6, 0.7, 1.3, 1.0]
    b = [1.0, 0.9, 1.2, 0.5, 0.8, 0.6, 1.1, 0.8, 0.9, 0.7]
    res = diebold_mariano(a, b)
    assert res.details["dm_uncorrected"] == pytest.approx(0.24 / math.sqrt(0.0664 / 10), rel=1e-12)
    assert res.statistic == pytest.approx(0.24 / math.sqrt(0.0664 / 10) * math.sqrt(0.9), rel=1e-12)
    assert res.pvalue == pytest.approx(2 * stats.t.sf(res.statistic, 9), rel=1e-12)
    # the interval is consistent with the test: it excludes 0 exactly when p < 0.05
    lo, hi = res.estimate.confidence_interval
    assert lo > 0 and res.pvalue < 0.05
    q = stats.t.ppf(0.975, 9)
    assert (hi - lo) / 2 == pytest.approx(q * 0.24 / res.statistic, rel=1e-12)
    _, p = res  # unpacks like scipy
    assert p == res.pvalue


def test_size_under_the_null(rng):
    # equal accuracy, n = 20, h = 1: HLN with t(n-1) holds its 5% level (about 0.05 +- 0.015)
    reps = 1500
    rejections = 0
    for _ in range(reps):
        e = rng.normal(size=(2, 20))
        rejections += diebold_mariano(e[0] ** 2, e[1] ** 2).pvalue < 0.05
    assert 0.03 < rejections / reps < 0.075


@pytest.mark.slow
def test_size_under_the_null_h3_ma_errors(rng):
    # 3-step forecast errors are MA(2); HLN's correction keeps the size near 5% at n = 50
    reps = 5000
    rejections = 0
    for _ in range(reps):
        z = rng.normal(size=(2, 52))
        e = z[:, 2:] + 0.8 * z[:, 1:-1] + 0.5 * z[:, :-2]
        with contextlib.suppress(ValueError):  # negative long-run variance, rare
            rejections += diebold_mariano(e[0] ** 2, e[1] ** 2, horizon=3).pvalue < 0.05
    assert 0.03 < rejections / reps < 0.08


def test_bad_input():
    with pytest.raises(ValueError, match="`loss_a` and `loss_b` must have the same length"):
        diebold_mariano([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="is constant"):
        diebold_mariano([1.0, 2.0, 3.0], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="`horizon` must be <= 2"):
        diebold_mariano([1.0, 2.0, 3.0], [0.0, 1.0, 2.5], horizon=3)
    with pytest.raises(
        ValueError, match="long-run variance estimate with horizon=2 is not positive"
    ):
        diebold_mariano([1.0, -1.0, 1.0, -1.0, 1.0, -1.0], [0.0] * 6, horizon=2)
    with pytest.raises(ValueError, match="`alternative` must be one of"):
        diebold_mariano([1.0, 2.0, 3.0], [0.0, 1.0, 2.5], alternative="two.sided")
    with pytest.raises(ValueError, match="`loss_a` has 1 NaN"):
        diebold_mariano([np.nan, 2.0, 3.0], [0.0, 1.0, 2.5])


def test_nan_policy_omit_drops_incomplete_pairs(rng):
    a, b = rng.normal(size=30) ** 2, rng.normal(size=30) ** 2
    a_nan = a.copy()
    a_nan[[3, 17]] = np.nan
    keep = ~np.isnan(a_nan)
    res = diebold_mariano(a_nan, b, nan_policy="omit")
    stat, p = _r_dm_test(a[keep], b[keep], 1, "two-sided")
    assert res.statistic == pytest.approx(stat, rel=1e-12)
    assert res.pvalue == pytest.approx(p, rel=1e-10)
    assert res.estimate.n == 28
