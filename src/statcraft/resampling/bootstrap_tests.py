r"""Bootstrap hypothesis tests of location: the shifted, studentized bootstrap."""

from __future__ import annotations

import functools
from typing import Any, Literal

import numpy as np

from statcraft._inference import nan_test
from statcraft._progress import check_progress
from statcraft._validation import (
    check_alternative,
    check_array,
    check_choice,
    check_confidence_level,
    check_finite_scalar,
    check_not_constant,
)
from statcraft.resampling._bootstrap import bootstrap
from statcraft.resampling.intervals import quantiles_sorted, tail_probabilities
from statcraft.resampling.schemes import SCHEMES
from statcraft.results import ConfidenceInterval, Estimate, TestResult

__all__ = ["bootstrap_test"]


def _t_one(x: np.ndarray, axis: int = -1, *, mu: float = 0.0) -> np.ndarray:
    n = x.shape[axis]
    se = np.std(x, axis=axis, ddof=1) / np.sqrt(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (np.mean(x, axis=axis) - mu) / se
    return np.where(se > 0, t, 0.0)


def _t_two(x: np.ndarray, y: np.ndarray, axis: int = -1, *, delta: float = 0.0) -> np.ndarray:
    vx = np.var(x, axis=axis, ddof=1) / x.shape[axis]
    vy = np.var(y, axis=axis, ddof=1) / y.shape[axis]
    se = np.sqrt(vx + vy)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (np.mean(x, axis=axis) - np.mean(y, axis=axis) - delta) / se
    return np.where(se > 0, t, 0.0)


def bootstrap_test(
    x: Any,
    y: Any = None,
    *,
    mu: float = 0.0,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    confidence_level: float = 0.95,
    n_resamples: int = 9999,
    scheme: Literal["iid", "stationary", "circular", "moving"] = "iid",
    block_length: float | None = None,
    nan_policy: Literal["raise", "omit", "propagate"] = "raise",
    executor: Any = None,
    rng: Any = None,
    progress: bool | None = None,
) -> TestResult:
    r"""Bootstrap test of a mean (one sample) or a difference of means (two samples).

    Parameters
    ----------
    x : array_like
        First sample (at least 2 observations, not constant).
    y : array_like, optional
        Second, independent sample; if given, the hypothesis is about ``mean(x) - mean(y)``.
    mu : float, default 0.0
        The mean (one sample) or mean difference (two samples) under the null hypothesis.
    alternative : {'two-sided', 'less', 'greater'}, default 'two-sided'
        Direction of the alternative relative to ``mu``.
    confidence_level : float, default 0.95
        Level of the bootstrap-t interval reported in ``estimate``.
    n_resamples : int, default 9999
        Bootstrap resamples.
    scheme : {'iid', 'stationary', 'circular', 'moving'}, default 'iid'
        Resampling scheme (block schemes for time series; see :func:`bootstrap`).
    block_length : float, optional
        Block length for block schemes (default: automatic).
    nan_policy : {'raise', 'omit', 'propagate'}, default 'raise'
        NaN handling: ``'raise'`` (an error), ``'omit'`` (drop NaN from each sample) or
        ``'propagate'`` (data with NaN give a result whose statistic and p-value are NaN).
    executor : concurrent.futures.Executor, optional
        Runs the resampling in chunks; the result does not depend on it.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Random source.
    progress : bool, optional
        Show a progress bar on standard error: None (default) only for a long run watched
        from a terminal or notebook (never under pytest or when piped), True always, False
        never.

    Returns
    -------
    TestResult
        ``statistic`` (the t statistic), ``pvalue``, ``alternative``, ``method``,
        ``estimate`` (the mean or mean difference with its bootstrap-t interval) and
        ``details`` with ``null_distribution`` (bootstrap t values under the null).

    Raises
    ------
    ValueError
        For fewer than 2 observations, NaN (with 'raise'), constant samples, or bad options.

    Notes
    -----
    Efron & Tibshirani (1993, §16.4, Algorithm 16.2): the data are shifted so the null
    holds -- :math:`\tilde x_i = x_i - \bar x + \mu_0` for one sample; for two samples
    :math:`\tilde x_i = x_i - \bar x + \bar z + \delta_0` and
    :math:`\tilde y_j = y_j - \bar y + \bar z` (:math:`\bar z` the pooled mean) -- and
    resampled, each sample independently. The statistic is the studentized
    :math:`t = (\bar x - \mu_0)/(s/\sqrt n)`, or Welch's
    :math:`t = (\bar x - \bar y - \delta_0)/\sqrt{s_x^2/n + s_y^2/m}`. With :math:`b` of the
    :math:`B` null values at least as extreme, the one-sided p-value is :math:`(b+1)/(B+1)`;
    the two-sided one is twice the smaller one-sided p-value (at most 1). Shifting leaves the
    bootstrap t distribution unchanged, so the same replicates give the bootstrap-t interval
    :math:`[\hat\theta - \widehat{se}\,t^*_{1-\alpha/2}, \hat\theta - \widehat{se}\,
    t^*_{\alpha/2}]` reported in ``estimate``.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 16.
    Chapman & Hall.

    Examples
    --------
    >>> import statcraft as sc
    >>> treatment = [94, 197, 16, 38, 99, 141, 23]
    >>> control = [52, 104, 146, 10, 51, 30, 40, 27, 46]
    >>> res = sc.resampling.bootstrap_test(treatment, control, alternative="greater",
    ...                                    n_resamples=4999, rng=0)
    >>> round(res.statistic, 3)
    1.059
    >>> bool(0.1 < res.pvalue < 0.25)
    True
    """
    check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    progress = check_progress(progress)
    xa = check_array(x, "x", min_size=2, nan_policy=nan_policy)
    ya = None if y is None else check_array(y, "y", min_size=2, nan_policy=nan_policy)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    mu = check_finite_scalar(mu, "mu")
    scheme = check_choice(scheme, "scheme", SCHEMES)  # type: ignore[assignment]
    label = "One-sample" if ya is None else "Two-sample"
    if np.isnan(xa).any() or (ya is not None and np.isnan(ya).any()):
        scheme_txt = "" if scheme == "iid" else f", {scheme} blocks"
        return nan_test(
            f"{label} bootstrap t-test (shifted, studentized{scheme_txt})",
            alternative=alternative,
        )
    check_not_constant(xa, "x", "the studentized bootstrap needs a positive variance")
    common: dict[str, Any] = {
        "method": "percentile",
        "n_resamples": n_resamples,
        "scheme": scheme,
        "block_length": block_length,
        "executor": executor,
        "rng": rng,
        "progress": progress,
    }
    if ya is None:
        stat = functools.partial(_t_one, mu=mu)
        t_obs = float(_t_one(xa, mu=mu))
        shifted: tuple[np.ndarray, ...] = (xa - xa.mean() + mu,)
        theta = float(xa.mean())
        se = float(xa.std(ddof=1) / np.sqrt(xa.size))
        what = "mean"
    else:
        check_not_constant(ya, "y", "the studentized bootstrap needs a positive variance")
        stat = functools.partial(_t_two, delta=mu)
        t_obs = float(_t_two(xa, ya, delta=mu))
        z = np.concatenate((xa, ya)).mean()
        shifted = (xa - xa.mean() + z + mu, ya - ya.mean() + z)
        theta = float(xa.mean() - ya.mean())
        se = float(np.sqrt(xa.var(ddof=1) / xa.size + ya.var(ddof=1) / ya.size))
        what = "difference in means"
    res = bootstrap(shifted, stat, **common)
    null = res.distribution
    b = null.size
    p_greater = (np.sum(null >= t_obs) + 1) / (b + 1)
    p_less = (np.sum(null <= t_obs) + 1) / (b + 1)
    pvalue = {"greater": p_greater, "less": p_less}.get(
        alternative, min(1.0, 2 * min(p_greater, p_less))
    )
    p_lo, p_hi = tail_probabilities(confidence_level, alternative)
    sorted_t = np.sort(null)
    low = theta - se * float(quantiles_sorted(sorted_t, 1 - p_lo)) if p_lo > 0 else -np.inf
    high = theta - se * float(quantiles_sorted(sorted_t, 1 - p_hi)) if p_hi < 1 else np.inf
    scheme_txt = "" if res.scheme == "iid" else f", {res.scheme} blocks"
    estimate = Estimate(
        theta,
        se,
        ConfidenceInterval(float(low), float(high)),
        confidence_level,
        f"{what} (bootstrap-t interval)",
        int(sum(s.size for s in shifted)),
    )
    return TestResult(
        statistic=t_obs,
        pvalue=float(pvalue),
        alternative=alternative,
        method=f"{label} bootstrap t-test (shifted, studentized{scheme_txt})",
        estimate=estimate,
        details={
            "null_distribution": null,
            "n_resamples": b,
            "mu": mu,
            "block_length": res.block_length,
        },
    )
