"""The Cochran-Mantel-Haenszel test for stratified tables (private module).

:func:`mantel_haenszel` is re-exported by :mod:`statcraft.hypothesis_tests.categorical`.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._inference import normal_pvalue
from statcraft._validation import check_alternative, check_bool, check_confidence_level
from statcraft.hypothesis_tests._count_tests import _whole_counts
from statcraft.hypothesis_tests._exact_tables import product_hypergeometric
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping, TestResult

__all__ = ["mantel_haenszel"]

AlternativeT = Literal["two-sided", "less", "greater"]


# --------------------------------------------------------------------------- stratified


def _check_strata(tables: Any) -> np.ndarray:
    """Return strata as a (K, I, J) float array of whole counts, or raise."""
    if isinstance(tables, (str, bytes)):
        raise TypeError(f"`tables` must be a (K, I, J) array of counts; got a string {tables!r}")
    if (
        isinstance(tables, (list, tuple))
        and tables
        and all(isinstance(t, pd.DataFrame) for t in tables)
    ):
        tables = [t.to_numpy() for t in tables]
    try:
        raw = np.asarray(tables)
    except ValueError as exc:
        raise ValueError(f"`tables` must be strata of equally shaped tables: {exc}") from None
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"`tables` must contain numbers; got values of dtype {raw.dtype}")
    if raw.ndim != 3:
        raise ValueError(
            f"`tables` must be three-dimensional, strata first (K, I, J); got shape {raw.shape}"
        )
    arr = np.array(raw, dtype=float)
    if not np.isfinite(arr).all():
        raise ValueError("`tables` has NaN or infinite values")
    if min(arr.shape) < 2:
        raise ValueError(
            f"`tables` needs at least 2 strata of at least 2×2 tables; got shape {arr.shape}"
        )
    _whole_counts(arr, "tables")
    small = arr.sum(axis=(1, 2)) < 2
    if small.any():
        raise ValueError(
            f"every stratum needs at least 2 observations; stratum {int(np.flatnonzero(small)[0])}"
            " has fewer"
        )
    return arr


def mantel_haenszel(
    tables: Any,
    *,
    correction: bool = True,
    exact: bool = False,
    alternative: AlternativeT = "two-sided",
    confidence_level: float = 0.95,
) -> TestResult:
    r"""Cochran-Mantel-Haenszel test of conditional independence in stratified tables.

    Parameters
    ----------
    tables : array_like
        Strata of I×J tables as a (K, I, J) array or a list of K tables (strata FIRST; R's
        2×2×K array ``x`` is ``numpy.moveaxis(x, -1, 0)``). Non-negative whole counts, at
        least 2 strata, each with at least 2 observations.
    correction : bool
        Continuity correction of the 2×2×K statistic, as R. Default True.
    exact : bool
        2×2×K only: the exact conditional test and the conditional MLE of the common odds ratio
        with its exact interval, as R's ``mantelhaen.test(exact=TRUE)``. Default False.
    alternative : {'two-sided', 'less', 'greater'}
        2×2×K only: the alternative for the common odds ratio versus 1.
    confidence_level : float
        Confidence level of the odds-ratio interval. Default 0.95.

    Returns
    -------
    TestResult
        2×2×K: ``statistic`` (Mantel-Haenszel X-squared, or ``S = Σ n_{11k}`` when exact),
        ``pvalue``, ``df`` (1 or None), ``estimate`` the common odds ratio (Mantel-Haenszel with
        the Robins-Breslow-Greenland interval; conditional MLE with exact interval when
        ``exact``); ``details['stratum_odds_ratios']``. I×J×K: the generalized CMH statistic
        on (I-1)(J-1) df, ``estimate`` None.

    Raises
    ------
    TypeError
        If ``tables`` is not numeric.
    ValueError
        If ``tables`` is not 3-D, has fewer than 2 strata or rows or columns, negative or
        non-integer counts, a stratum with fewer than 2 observations, a singular generalized
        covariance, or ``exact``/one-sided ``alternative`` is asked for I×J×K tables larger
        than 2×2.

    Notes
    -----
    2×2×K (R's ``mantelhaen.test``): :math:`\Delta = \sum_k (n_{11k} - E_k)` with
    :math:`E_k = n_{1\cdot k} n_{\cdot 1k}/n_k`,
    :math:`X^2 = (|\Delta| - Y)^2 / \sum_k V_k`,
    :math:`V_k = n_{1\cdot k} n_{2\cdot k} n_{\cdot 1k} n_{\cdot 2k} / (n_k^2 (n_k - 1))`,
    :math:`Y = 0.5` when ``correction`` and :math:`|\Delta| \ge 0.5`. The MH estimate is
    :math:`\sum_k n_{11k}n_{22k}/n_k \big/ \sum_k n_{12k}n_{21k}/n_k`, with the
    Robins-Breslow-Greenland (1986) variance of its logarithm; when either sum is zero the
    estimate is 0 or ∞ and the interval is reported as [0, ∞]. The exact test conditions on all
    strata margins: :math:`S = \sum_k n_{11k}` has the convolution of the strata
    hypergeometric laws, tilted by the common odds ratio (as for :func:`fisher_exact`).
    I×J×K: the generalized statistic :math:`(n - m)^\top V^{-1} (n - m)` of the first
    (I-1)(J-1) cells summed over strata.

    References
    ----------
    .. [1] Mantel, N. and Haenszel, W. (1959). JNCI 22, 719-748.
    .. [2] Robins, J., Breslow, N. and Greenland, S. (1986). Estimators of the Mantel-Haenszel
       variance consistent in both sparse data and large-strata limiting models. Biometrics
       42, 311-323.
    .. [3] Mehta, C. R., Patel, N. R. and Gray, R. (1985). JASA 80, 969-973.
    .. [4] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., sec. 6.4 and 8.4.

    Examples
    --------
    >>> import statcraft as sc
    >>> rabbits = [[[0, 6], [0, 5]], [[3, 3], [0, 6]], [[6, 0], [2, 4]],
    ...            [[5, 1], [6, 0]], [[2, 0], [5, 0]]]  # R's Rabbits (penicillin) data
    >>> res = sc.mantel_haenszel(rabbits)
    >>> round(res.statistic, 4), round(res.pvalue, 5), res.estimate.estimate
    (3.9286, 0.04747, 7.0)
    """
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    correction = check_bool(correction, "correction")
    exact = check_bool(exact, "exact")
    x = _check_strata(tables)
    n_strata, n_rows, n_cols = x.shape
    if (n_rows, n_cols) != (2, 2):
        if exact or alternative != "two-sided":
            raise ValueError(
                "`exact` and a one-sided `alternative` are available for 2×2×K tables only"
            )
        return _generalized_cmh(x)
    a, b, c, d = x[:, 0, 0], x[:, 0, 1], x[:, 1, 0], x[:, 1, 1]
    nk = x.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        stratum_or = np.where(b * c > 0, a * d / (b * c), np.where(a * d > 0, np.inf, np.nan))
    details: dict[str, Any] = {"stratum_odds_ratios": stratum_or, "n_strata": n_strata}
    if exact:
        dist, s = product_hypergeometric(x.astype(np.int64))
        low, high = dist.interval(s, confidence_level, alternative)
        estimate = Estimate(
            float(dist.mle(s)),
            None,
            ConfidenceInterval(float(low), float(high)),
            confidence_level,
            "common odds ratio, conditional MLE (exact conditional CI)",
            int(nk.sum()),
        )
        return TestResult(
            statistic=float(s),
            pvalue=float(dist.pvalue(s, alternative)),
            df=None,
            alternative=alternative,
            method="Exact conditional test of independence in 2 x 2 x k tables",
            estimate=estimate,
            details=FrozenMapping(details),
        )
    row1, col1 = a + b, a + c
    delta = float((a - row1 * col1 / nk).sum())
    yates = 0.5 if correction and abs(delta) >= 0.5 else 0.0
    var = float((row1 * (nk - row1) * col1 * (nk - col1) / (nk**2 * (nk - 1))).sum())
    if var == 0:
        raise ValueError(
            "every stratum has a zero margin: the Mantel-Haenszel statistic is undefined"
        )
    statistic = (abs(delta) - yates) ** 2 / var
    if alternative == "two-sided":
        pvalue = float(stats.chi2.sf(statistic, 1))
    else:
        z = math.copysign(math.sqrt(statistic), delta)
        pvalue = normal_pvalue(z, alternative)
    r_k, s_k = a * d / nk, b * c / nk
    sr, ss = float(r_k.sum()), float(s_k.sum())
    if sr > 0 and ss > 0:
        or_mh = sr / ss
        p_k, q_k = (a + d) / nk, (b + c) / nk
        var_log = (
            (p_k * r_k).sum() / (2 * sr**2)
            + (p_k * s_k + q_k * r_k).sum() / (2 * sr * ss)
            + (q_k * s_k).sum() / (2 * ss**2)
        )
        sd = math.sqrt(float(var_log))
        if alternative == "two-sided":
            zc = float(stats.norm.ppf(1 - (1 - confidence_level) / 2))
            ci = (or_mh * math.exp(-zc * sd), or_mh * math.exp(zc * sd))
        elif alternative == "less":
            ci = (0.0, or_mh * math.exp(float(stats.norm.ppf(confidence_level)) * sd))
        else:
            ci = (or_mh * math.exp(-float(stats.norm.ppf(confidence_level)) * sd), math.inf)
        details["log_or_sd"] = sd
    else:
        or_mh = 0.0 if ss > 0 else math.inf
        ci = (0.0, math.inf)
    estimate = Estimate(
        float(or_mh),
        None,
        ConfidenceInterval(float(ci[0]), float(ci[1])),
        confidence_level,
        "Mantel-Haenszel common odds ratio (Robins-Breslow-Greenland CI)",
        int(nk.sum()),
    )
    return TestResult(
        statistic=float(statistic),
        pvalue=pvalue,
        df=1.0,
        alternative=alternative,
        method="Mantel-Haenszel chi-squared test "
        + ("with" if yates else "without")
        + " continuity correction",
        estimate=estimate,
        details=FrozenMapping(details),
    )


def _generalized_cmh(x: np.ndarray) -> TestResult:
    """Generalized Cochran-Mantel-Haenszel test for I×J×K tables (R's ``mantelhaen.test``)."""
    _, n_rows, n_cols = x.shape
    df = (n_rows - 1) * (n_cols - 1)
    nk = x.sum(axis=(1, 2))
    rows = x.sum(axis=2)[:, :-1]  # (K, I-1)
    cols = x.sum(axis=1)[:, :-1]  # (K, J-1)
    # R vectorises the (I-1)×(J-1) block column by column; keep that order.
    observed = x[:, :-1, :-1].transpose(0, 2, 1).reshape(len(nk), -1).sum(axis=0)
    expected = ((cols[:, :, None] * rows[:, None, :]).reshape(len(nk), -1) / nk[:, None]).sum(
        axis=0
    )
    cov = np.zeros((df, df))
    for k in range(len(nk)):
        ck = np.diag(nk[k] * cols[k]) - np.outer(cols[k], cols[k])
        rk = np.diag(nk[k] * rows[k]) - np.outer(rows[k], rows[k])
        cov += np.kron(ck, rk) / (nk[k] ** 2 * (nk[k] - 1))
    diff = observed - expected
    try:
        statistic = float(diff @ np.linalg.solve(cov, diff))
    except np.linalg.LinAlgError:
        raise ValueError(
            "the covariance of the generalized CMH statistic is singular (empty rows or "
            "columns across all strata?)"
        ) from None
    return TestResult(
        statistic=statistic,
        pvalue=float(stats.chi2.sf(statistic, df)),
        df=float(df),
        alternative=None,
        method="Cochran-Mantel-Haenszel test",
        estimate=None,
        details=FrozenMapping({"n_strata": len(nk)}),
    )
