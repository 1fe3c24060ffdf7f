"""Tests for serial correlation and conditional heteroskedasticity.

- :func:`ljung_box` -- Ljung-Box (or Box-Pierce) portmanteau test that the first autocorrelations
  are zero, as R's ``Box.test`` and statsmodels' ``acorr_ljungbox``;
- :func:`arch_lm` -- Engle's Lagrange-multiplier test for ARCH effects, as R's
  ``FinTS::ArchTest`` and statsmodels' ``het_arch``.

==============  ============================================  ===================================
Test            Assumes                                       R / scipy equivalent
==============  ============================================  ===================================
``ljung_box``   stationary series; under the null, no         R ``Box.test(type = "Ljung-Box",
                autocorrelation up to the lag (asymptotic     fitdf =)``; scipy: none
                chi-square, ``model_df`` for ARMA residuals)  (statsmodels ``acorr_ljungbox``)
``arch_lm``     mean-zero (or demeaned) series with finite    R ``FinTS::ArchTest``; scipy: none
                fourth moment; under the null, constant       (statsmodels ``het_arch``)
                conditional variance
==============  ============================================  ===================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._inference import nan_test
from statcraft._validation import (
    check_array,
    check_bool,
    check_int,
    check_not_constant,
    check_series_nan_policy,
)
from statcraft.results import FrozenMapping, TestResult

__all__ = ["arch_lm", "ljung_box"]


def _autocorrelations(x: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample autocorrelations r_1..r_max_lag with R's ``acf`` convention (divisor n)."""
    xc = x - x.mean()
    denom = float(xc @ xc)
    n = xc.size
    if n > 2048 and max_lag > 32:
        size = 1 << int(np.ceil(np.log2(2 * n)))
        f = np.fft.rfft(xc, size)
        acov = np.fft.irfft(f * np.conj(f), size)[1 : max_lag + 1]
    else:
        acov = np.array([xc[k:] @ xc[:-k] for k in range(1, max_lag + 1)])
    return acov / denom


def _lag_list(lags: Any, n: int, model_df: int) -> list[int]:
    if isinstance(lags, (Sequence, np.ndarray)) and not isinstance(lags, (str, bytes)):
        values = [check_int(v, "lags", min_value=1) for v in np.asarray(lags).ravel()]
        if not values:
            raise ValueError("`lags` is empty")
        values = sorted(set(values))
    else:
        top = check_int(lags, "lags", min_value=1)
        values = list(range(model_df + 1, top + 1)) or [top]
    if values[-1] >= n:
        raise ValueError(f"`lags` must be smaller than the series length ({n}); got {values[-1]}")
    if values[0] <= model_df:
        raise ValueError(
            f"every lag must exceed `model_df` ({model_df}) so that df = lag - model_df > 0; "
            f"got lag {values[0]}"
        )
    return values


def ljung_box(
    x: Any,
    lags: int | Sequence[int] = 10,
    *,
    model_df: int = 0,
    boxpierce: bool = False,
    nan_policy: Literal["raise", "propagate"] = "raise",
) -> TestResult:
    r"""Ljung-Box test that a series has no autocorrelation up to a given lag.

    Parameters
    ----------
    x : array_like
        The series (e.g. returns, or residuals of a fitted ARMA model), in time order.
    lags : int or sequence of int
        The lag(s) to test. An int ``h`` tests the first ``h`` autocorrelations jointly; the
        result's headline is at ``h`` and ``details['table']`` holds the statistic at every lag
        ``model_df + 1, ..., h``. A sequence tests each listed lag; the headline is the largest.
    model_df : int
        Number of ARMA parameters estimated (``p + q``) when ``x`` are model residuals; the
        degrees of freedom are ``lag - model_df`` (R's ``fitdf``, statsmodels' ``model_df``).
    boxpierce : bool
        Use the Box-Pierce statistic instead of Ljung-Box.
    nan_policy : {'raise', 'propagate'}
        ``'raise'`` (default): NaN is an error. ``'propagate'``: a series with NaN gives a
        NaN statistic and p-value. ``'omit'`` is refused (see Notes).

    Returns
    -------
    TestResult
        ``statistic`` (R's ``X-squared``), ``pvalue``, ``df`` at the largest lag; ``details``
        holds ``table`` (DataFrame with columns ``lag, statistic, df, pvalue``),
        ``autocorrelations`` (r_1, ..., r_h), ``lags`` and ``model_df``.

    Raises
    ------
    ValueError
        If ``x`` is empty, contains inf or NaN (with ``nan_policy='raise'``), is constant
        (autocorrelation undefined), if a lag is not smaller than the series length, if a lag
        does not exceed ``model_df``, or if ``nan_policy='omit'``.
    TypeError
        If ``x`` is not numeric or ``lags`` is not an integer.

    Notes
    -----
    With :math:`r_k = \sum_{t>k} (x_t - \bar x)(x_{t-k} - \bar x) / \sum_t (x_t - \bar x)^2`
    (R's ``acf``), the Ljung-Box statistic is :math:`Q = n (n + 2) \sum_{k=1}^{h} r_k^2 /
    (n - k)` and Box-Pierce is :math:`n \sum_{k=1}^{h} r_k^2`; both are referred to
    :math:`\chi^2_{h - \text{model\_df}}`. Missing values are never dropped
    (``nan_policy='omit'`` is refused): removing an observation would shift every later lag.

    References
    ----------
    Ljung, G. M. and Box, G. E. P. (1978). On a measure of lack of fit in time series models.
    Biometrika 65, 297-303.

    Examples
    --------
    The luteinizing hormone series (R's ``lh``); R: ``Box.test(lh, lag = 5, type = "Ljung")``:

    >>> import statcraft as sc
    >>> lh = [2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2.0, 1.9, 1.7, 2.2, 1.8,
    ...       3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3.0, 2.3, 2.0, 2.0, 2.9,
    ...       2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5,
    ...       3.1, 2.6, 2.1, 3.4, 3.0, 2.9]
    >>> res = sc.ljung_box(lh, lags=5)
    >>> round(res.statistic, 4), res.df
    (22.6732, 5.0)
    >>> res.details["table"]["lag"].tolist()
    [1, 2, 3, 4, 5]
    """
    boxpierce = check_bool(boxpierce, "boxpierce")
    policy = check_series_nan_policy(nan_policy)
    arr = check_array(x, "x", min_size=2, nan_policy=policy, suggest_omit=False)
    model_df = check_int(model_df, "model_df", min_value=0)
    n = arr.size
    lag_values = _lag_list(lags, n, model_df)
    method = "Box-Pierce test" if boxpierce else "Box-Ljung test"
    if np.isnan(arr).any():
        return nan_test(method, df=float(lag_values[-1] - model_df))
    check_not_constant(arr, "x", "the autocorrelations are undefined (zero variance)")
    h = lag_values[-1]
    r = _autocorrelations(arr, h)
    k = np.arange(1, h + 1)
    terms = n * r**2 if boxpierce else n * (n + 2) * r**2 / (n - k)
    cumulative = np.cumsum(terms)
    idx = np.asarray(lag_values) - 1
    q = cumulative[idx]
    dfs = np.asarray(lag_values, dtype=float) - model_df
    pvals = stats.chi2.sf(q, dfs)
    table = pd.DataFrame({"lag": lag_values, "statistic": q, "df": dfs, "pvalue": pvals})
    r.flags.writeable = False
    return TestResult(
        statistic=float(q[-1]),
        pvalue=float(pvals[-1]),
        df=float(dfs[-1]),
        alternative=None,
        method=method,
        details=FrozenMapping(
            {
                "table": table,
                "autocorrelations": r,
                "lags": tuple(lag_values),
                "model_df": model_df,
                "n": n,
            }
        ),
    )


def arch_lm(
    x: Any,
    lags: int = 5,
    *,
    demean: bool = True,
    nan_policy: Literal["raise", "propagate"] = "raise",
) -> TestResult:
    r"""Engle's Lagrange-multiplier test for ARCH effects (conditional heteroskedasticity).

    Parameters
    ----------
    x : array_like
        The series (returns or model residuals), in time order.
    lags : int
        Number of lags of :math:`x_t^2` in the auxiliary regression.
    demean : bool
        Subtract the mean of ``x`` before squaring (default True, appropriate for raw
        returns). R's ``FinTS::ArchTest`` defaults to ``demean=FALSE`` and statsmodels'
        ``het_arch`` never demeans; pass ``demean=False`` to reproduce them on residuals.
    nan_policy : {'raise', 'propagate'}
        ``'raise'`` (default): NaN is an error. ``'propagate'``: a series with NaN gives a
        NaN statistic and p-value. ``'omit'`` is refused: dropping an observation would shift
        every later lag of the auxiliary regression.

    Returns
    -------
    TestResult
        ``statistic`` is the LM statistic :math:`T R^2`, ``df = lags``; ``details`` holds the
        ``r_squared``, ``nobs`` (:math:`T = n - \text{lags}`), and the F form of the same
        test (``f_statistic``, ``f_df`` and ``f_pvalue``).

    Raises
    ------
    ValueError
        If ``x`` contains inf or NaN (with ``nan_policy='raise'``), if ``lags < 1``, if the
        series is too short for the regression (``n - lags <= lags + 1``), if the squared
        series is constant (the :math:`R^2` is then undefined), or if ``nan_policy='omit'``.
    TypeError
        If ``x`` is not numeric.

    Notes
    -----
    With :math:`e_t = x_t - \bar x` (or :math:`x_t`), regress :math:`e_t^2` on a constant and
    :math:`e_{t-1}^2, \dots, e_{t-q}^2` over :math:`t = q + 1, \dots, n`. Under the null of
    no ARCH effects :math:`T R^2 \sim \chi^2_q` with :math:`T = n - q` observations in the
    regression -- the convention of both ``FinTS::ArchTest`` and statsmodels' ``het_arch``.

    References
    ----------
    Engle, R. F. (1982). Autoregressive conditional heteroscedasticity with estimates of the
    variance of United Kingdom inflation. Econometrica 50, 987-1007.

    Examples
    --------
    >>> import statcraft as sc
    >>> x = [0.5, -1.2, 3.1, -2.8, 0.2, 0.1, -0.3, 2.5, -3.0, 2.2, 0.4, -0.1, 0.2,
    ...      1.9, -2.4, 0.3, -0.2, 0.1, 2.8, -2.1]
    >>> res = sc.arch_lm(x, lags=2)
    >>> round(res.statistic, 4), res.df
    (8.0749, 2.0)
    """
    demean = check_bool(demean, "demean")
    policy = check_series_nan_policy(nan_policy)
    arr = check_array(x, "x", min_size=2, nan_policy=policy, suggest_omit=False)
    q = check_int(lags, "lags", min_value=1)
    n = arr.size
    nobs = n - q
    if nobs <= q + 1:
        raise ValueError(
            f"`x` is too short for {q} lags: the auxiliary regression has {max(nobs, 0)} "
            f"observations and needs more than {q + 1}"
        )
    if np.isnan(arr).any():
        return nan_test("ARCH LM-test", df=float(q))
    check_not_constant(arr, "x", "the ARCH LM test needs a varying series")
    e = arr - arr.mean() if demean else arr
    y2 = e**2
    what = "squared deviations from its mean" if demean else "squared values"
    if np.all(y2 == y2[0]):
        raise ValueError(
            f"`x` has constant {what} (all {y2[0]:g}); the R-squared of the ARCH regression "
            "is undefined"
        )
    target = y2[q:]
    design = np.column_stack([np.ones(nobs)] + [y2[q - j : n - j] for j in range(1, q + 1)])
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    resid = target - design @ coef
    tss = float(np.sum((target - target.mean()) ** 2))
    if tss == 0:
        raise ValueError(
            f"`x` has constant {what} over the regression sample; the R-squared of the "
            "ARCH regression is undefined"
        )
    r2 = 1.0 - float(resid @ resid) / tss
    lm = nobs * r2
    df_resid = nobs - q - 1
    f_stat = (r2 / q) / ((1.0 - r2) / df_resid) if r2 < 1 else float("inf")
    return TestResult(
        statistic=float(lm),
        pvalue=float(stats.chi2.sf(lm, q)),
        df=float(q),
        alternative=None,
        method="ARCH LM-test",
        details=FrozenMapping(
            {
                "r_squared": float(r2),
                "nobs": int(nobs),
                "f_statistic": float(f_stat),
                "f_df": (float(q), float(df_resid)),
                "f_pvalue": float(stats.f.sf(f_stat, q, df_resid)),
                "demean": bool(demean),
            }
        ),
    )
