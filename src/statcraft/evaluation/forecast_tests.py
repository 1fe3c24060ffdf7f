"""Tests of equal predictive accuracy."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from statcraft._inference import t_interval, t_pvalue
from statcraft._validation import (
    check_alternative,
    check_choice,
    check_confidence_level,
    check_int,
    check_paired,
)
from statcraft.results import Estimate, TestResult

__all__ = ["diebold_mariano"]


def diebold_mariano(
    loss_a: Any,
    loss_b: Any,
    *,
    horizon: int = 1,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> TestResult:
    r"""Diebold–Mariano test of equal predictive accuracy, with the Harvey–Leybourne–Newbold fix.

    Parameters
    ----------
    loss_a, loss_b : array_like
        Per-observation out-of-sample losses of forecasts A and B for the same targets, in
        time order (e.g. ``squared_error(y, pred, reduce="none")``, or any scoring rule with
        ``reduce="none"``).
    horizon : int
        Forecast horizon ``h``: the loss differential of h-step forecasts is treated as
        MA(h - 1), so autocovariances up to lag ``h - 1`` enter the variance.
    alternative : {'two-sided', 'less', 'greater'}
        On the expected loss difference ``E[loss_a - loss_b]``: ``'less'`` means A is more
        accurate (smaller loss) than B; ``'greater'`` means A is less accurate.
    confidence_level : float
        Level of the interval for the mean loss difference.
    nan_policy : {'raise', 'omit'}
        ``'raise'``: NaN is an error. ``'omit'``: drop incomplete pairs (as R's ``na.omit``;
        the remaining losses are then treated as consecutive).

    Returns
    -------
    TestResult
        ``statistic`` (the corrected DM statistic), ``pvalue`` from t with ``n - 1`` df, ``df``,
        and ``estimate``: the mean loss difference ``mean(loss_a - loss_b)`` with its standard
        error and a t interval consistent with the test. ``details`` hold the uncorrected
        statistic ``dm_uncorrected`` and the correction factor ``hln_factor``.

    Raises
    ------
    ValueError
        If the losses differ in length, have NaN/inf, fewer than ``horizon + 1`` values, are
        identical (zero variance), or the long-run variance estimate is not positive.

    Notes
    -----
    With :math:`d_t = L^A_t - L^B_t`, :math:`\bar d` its mean and
    :math:`\hat\gamma_k = n^{-1}\sum_{t=k+1}^{n} (d_t - \bar d)(d_{t-k} - \bar d)`
    (Diebold & Mariano 1995):

    .. math::

        \mathrm{DM} = \frac{\bar d}{\sqrt{(\hat\gamma_0 + 2\sum_{k=1}^{h-1}\hat\gamma_k)/n}},
        \qquad
        \mathrm{DM}^* = \mathrm{DM}\,\sqrt{\frac{n + 1 - 2h + h(h - 1)/n}{n}},

    and :math:`\mathrm{DM}^*` is compared with Student's t with :math:`n - 1` degrees of
    freedom (Harvey, Leybourne & Newbold 1997). This is what R's ``forecast::dm.test`` computes
    (its default ``varestimator = "acf"``), with the losses given directly instead of errors
    and a power. The interval is :math:`\bar d \pm t_{n-1}\,\mathrm{SE}^*` with
    :math:`\mathrm{SE}^* = \bar d / \mathrm{DM}^*`, so it excludes 0 exactly when the two-sided
    test rejects. Where the long-run variance estimate is not positive (possible for
    ``h > 1``), ``dm.test`` warns and falls back to ``h = 1``; statcraft raises instead, so the
    horizon is never changed silently.

    The test compares forecasts, not models: with forecasts from models estimated on expanding
    windows it remains valid for the forecasts' accuracy (Giacomini & White 2006), not for the
    population models.

    References
    ----------
    Diebold, F. X. and Mariano, R. S. (1995). Comparing predictive accuracy. *Journal of
    Business & Economic Statistics* 13, 253-263.

    Harvey, D., Leybourne, S. and Newbold, P. (1997). Testing the equality of prediction mean
    squared errors. *International Journal of Forecasting* 13, 281-291.

    Examples
    --------
    >>> import statcraft as sc
    >>> a = [1.2, 0.8, 1.9, 0.4, 1.1, 0.9, 1.6, 0.7, 1.3, 1.0]
    >>> b = [1.0, 0.9, 1.2, 0.5, 0.8, 0.6, 1.1, 0.8, 0.9, 0.7]
    >>> res = sc.evaluation.diebold_mariano(a, b)
    >>> round(res.statistic, 4), round(res.pvalue, 4)
    (2.7941, 0.0209)
    >>> round(res.estimate.estimate, 2)
    0.24
    """
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    conf = check_confidence_level(confidence_level)
    policy = check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    a, b = check_paired(loss_a, loss_b, ("loss_a", "loss_b"), min_size=2, nan_policy=policy)
    n = a.size
    h = check_int(horizon, "horizon", min_value=1, max_value=n - 1)
    d = a - b
    dbar = float(d.mean())
    dc = d - dbar
    gamma = np.array([dc[k:] @ dc[: n - k] / n for k in range(h)])
    # zero up to the rounding of a - b (as R's t.test "data are essentially constant")
    scale = max(float(np.abs(a).max()), float(np.abs(b).max()), abs(dbar))
    if math.sqrt(max(float(gamma[0]), 0.0)) <= 10.0 * np.finfo(float).eps * scale:
        raise ValueError(
            "the loss differential `loss_a - loss_b` is constant; its variance is zero and "
            "the test is undefined"
        )
    long_run = float(gamma[0] + 2.0 * gamma[1:].sum())
    if long_run <= 0:
        raise ValueError(
            f"the long-run variance estimate with horizon={h} is not positive ({long_run:.3g}); "
            "the autocovariances of the loss differential are too negative — use a smaller "
            "horizon (R's dm.test falls back to horizon=1)"
        )
    var = long_run / n
    dm = dbar / math.sqrt(var)
    factor = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    stat = dm * factor
    df = n - 1
    p = t_pvalue(stat, df, alternative)
    se = math.sqrt(var) / factor
    ci = t_interval(dbar, se, df, conf, alternative)
    est = Estimate(
        dbar,
        se,
        ci,
        conf,
        "mean loss difference (A - B)",
        n,
    )
    return TestResult(
        statistic=float(stat),
        pvalue=min(1.0, p),
        df=float(df),
        alternative=alternative,
        method="Diebold-Mariano test (Harvey-Leybourne-Newbold correction)",
        estimate=est,
        details={"dm_uncorrected": float(dm), "hln_factor": factor, "horizon": h},
    )
