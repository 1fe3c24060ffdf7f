"""Proportions and Poisson rates with confidence intervals.

:func:`proportion` estimates a binomial proportion with the interval of your choice (Wilson by
default, as recommended by Brown, Cai and DasGupta 2001); :func:`poisson_rate` estimates an event
rate per unit of exposure with the exact (Garwood) interval.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from scipy import special, stats

from statcraft._validation import (
    check_alternative,
    check_choice,
    check_confidence_level,
    check_count,
    check_positive,
)
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

__all__ = ["poisson_rate", "proportion"]

ProportionMethod = Literal[
    "wilson", "wilson_cc", "clopper_pearson", "agresti_coull", "jeffreys", "wald"
]
_METHODS = ("wilson", "wilson_cc", "clopper_pearson", "agresti_coull", "jeffreys", "wald")
_METHOD_NAMES = {
    "wilson": "Wilson score interval",
    "wilson_cc": "Wilson score interval with continuity correction",
    "clopper_pearson": "Clopper-Pearson exact interval",
    "agresti_coull": "Agresti-Coull interval",
    "jeffreys": "Jeffreys interval",
    "wald": "Wald interval",
}


def _tail_errors(confidence_level: float, alternative: str) -> tuple[float, float]:
    """Error allowed in the lower and upper tail (0 means that bound is the natural limit)."""
    a = 1.0 - confidence_level
    if alternative == "two-sided":
        return a / 2, a / 2
    if alternative == "less":  # upper bound only
        return 0.0, a
    return a, 0.0


def _wilson_bounds(x: int, n: int, z: float, yates: float) -> tuple[float, float]:
    """Wilson score bounds at critical value ``z``, with continuity correction ``yates``.

    The formula is R's ``prop.test``: with ``p_c = x/n ± yates/n`` and ``c = z²/(2n)``,
    ``bound = (p_c + c ± z sqrt(p_c (1 - p_c)/n + c/(2n))) / (1 + 2c)``; the lower bound is 0
    when ``p_c <= 0`` and the upper bound 1 when ``p_c >= 1``. With ``yates = 0.5`` it is
    Newcombe's (1998) method 4.
    """
    p = x / n
    c = z * z / (2 * n)
    pu = p + yates / n
    if pu >= 1:
        high = 1.0
    else:
        high = (pu + c + z * math.sqrt(pu * (1 - pu) / n + c / (2 * n))) / (1 + 2 * c)
    pl = p - yates / n
    if pl <= 0:
        low = 0.0
    else:
        low = (pl + c - z * math.sqrt(pl * (1 - pl) / n + c / (2 * n))) / (1 + 2 * c)
    return max(low, 0.0), min(high, 1.0)


def _clopper_pearson(x: int, n: int, a_low: float, a_high: float) -> tuple[float, float]:
    """Clopper-Pearson bounds as R's ``binom.test`` (beta quantiles; 0 at x=0, 1 at x=n)."""
    low = 0.0 if x == 0 or a_low == 0 else float(special.betaincinv(x, n - x + 1, a_low))
    high = 1.0 if x == n or a_high == 0 else float(special.betaincinv(x + 1, n - x, 1 - a_high))
    return low, high


def _proportion_bounds(
    x: int, n: int, method: str, a_low: float, a_high: float
) -> tuple[float, float]:
    p = x / n
    z_low = float(special.ndtri(1 - a_low)) if a_low > 0 else math.inf
    z_high = float(special.ndtri(1 - a_high)) if a_high > 0 else math.inf
    low, high = 0.0, 1.0
    if method in ("wilson", "wilson_cc"):
        yates = 0.5 if method == "wilson_cc" else 0.0
        if a_low > 0:
            low = _wilson_bounds(x, n, z_low, yates)[0]
        if a_high > 0:
            high = _wilson_bounds(x, n, z_high, yates)[1]
    elif method == "clopper_pearson":
        low, high = _clopper_pearson(x, n, a_low, a_high)
    elif method == "jeffreys":
        # Brown, Cai & DasGupta (2001): lower bound 0 at x = 0 and upper bound 1 at x = n.
        if a_low > 0 and x > 0:
            low = float(special.betaincinv(x + 0.5, n - x + 0.5, a_low))
        if a_high > 0 and x < n:
            high = float(special.betaincinv(x + 0.5, n - x + 0.5, 1 - a_high))
    elif method == "agresti_coull":
        if a_low > 0:
            nt = n + z_low**2
            pt = (x + z_low**2 / 2) / nt
            low = pt - z_low * math.sqrt(pt * (1 - pt) / nt)
        if a_high > 0:
            nt = n + z_high**2
            pt = (x + z_high**2 / 2) / nt
            high = pt + z_high * math.sqrt(pt * (1 - pt) / nt)
    else:  # wald
        se = math.sqrt(p * (1 - p) / n)
        if a_low > 0:
            low = p - z_low * se
        if a_high > 0:
            high = p + z_high * se
    return min(max(low, 0.0), 1.0), max(min(high, 1.0), 0.0)


def proportion(
    successes: Any,
    n: Any,
    *,
    method: ProportionMethod = "wilson",
    confidence_level: float = 0.95,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> Estimate:
    r"""Estimate a binomial proportion with a confidence interval.

    Parameters
    ----------
    successes : int
        Number of successes, ``0 <= successes <= n``.
    n : int
        Number of trials, at least 1.
    method : {'wilson', 'wilson_cc', 'clopper_pearson', 'agresti_coull', 'jeffreys', 'wald'}
        Interval method (see Notes). Default ``'wilson'``.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.
    alternative : {'two-sided', 'less', 'greater'}
        ``'two-sided'`` gives the usual interval; ``'less'`` gives ``[0, upper]`` and
        ``'greater'`` gives ``[lower, 1]``, each bound at level ``confidence_level`` (as R).

    Returns
    -------
    Estimate
        ``estimate = successes / n``, ``std_error = sqrt(p (1 - p) / n)`` (0 when
        ``successes`` is 0 or ``n``), the interval, and ``details`` with ``successes``.

    Raises
    ------
    TypeError
        If a count is not a number or ``method`` is not a string.
    ValueError
        If a count is negative or not whole, ``successes > n``, ``n`` is 0, or an option is
        not one of the allowed values.

    Notes
    -----
    With :math:`\hat p = x/n`, :math:`z = \Phi^{-1}(1 - \alpha/2)` (two-sided) and bounds
    clipped to [0, 1]:

    - ``wilson``: the score interval, the roots in :math:`p` of
      :math:`(\hat p - p)^2 = z^2 p(1-p)/n`; equal to R ``prop.test(x, n, correct=FALSE)``.
      At :math:`x = 0` the lower bound is exactly 0 (and the upper 1 at :math:`x = n`).
    - ``wilson_cc``: Newcombe's (1998) continuity-corrected score interval, computed as R's
      ``prop.test(correct=TRUE)`` (:math:`\hat p \pm 0.5/n` in the score formula, lower bound 0
      when :math:`x = 0`, upper 1 when :math:`x = n`). R shrinks the correction to
      :math:`|x - n p_0|` when that is below 0.5 (with :math:`p_0 = 0.5` by default); this
      estimator always uses 0.5 (Newcombe's definition); :func:`statcraft.proportions_test`
      reproduces R's rule.
    - ``clopper_pearson``: the exact interval from beta quantiles,
      :math:`[B(\alpha/2; x, n-x+1), B(1-\alpha/2; x+1, n-x)]`, 0 at :math:`x=0` and 1 at
      :math:`x=n`; equal to R ``binom.test``.
    - ``agresti_coull``: :math:`\tilde n = n + z^2`, :math:`\tilde p = (x + z^2/2)/\tilde n`,
      :math:`\tilde p \pm z\sqrt{\tilde p(1-\tilde p)/\tilde n}` (as statsmodels).
    - ``jeffreys``: equal-tailed Beta(:math:`x + 1/2, n - x + 1/2`) posterior interval, with the
      lower bound set to 0 at :math:`x = 0` and the upper to 1 at :math:`x = n` as Brown, Cai and
      DasGupta (2001) prescribe (statsmodels keeps the central quantiles there).
    - ``wald``: :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`; degenerate at :math:`x = 0` or
      :math:`n` and poor for small :math:`n`; offered for comparison only.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. JASA 22, 209-212.
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. Statistics in Medicine 17, 857-872.
    .. [3] Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial limits
       illustrated in the case of the binomial. Biometrika 26, 404-413.
    .. [4] Agresti, A. and Coull, B. A. (1998). Approximate is better than "exact" for interval
       estimation of binomial proportions. The American Statistician 52, 119-126.
    .. [5] Brown, L. D., Cai, T. T. and DasGupta, A. (2001). Interval estimation for a binomial
       proportion. Statistical Science 16, 101-133.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.proportion(682, 925, method="clopper_pearson")
    >>> round(res.estimate, 4)
    0.7373
    >>> [round(b, 4) for b in res.confidence_interval]
    [0.7077, 0.7654]
    >>> [round(b, 4) for b in sc.proportion(0, 10).confidence_interval]
    [0.0, 0.2775]
    """
    n_ = check_count(n, "n")
    if n_ == 0:
        raise ValueError("`n` must be at least 1; a proportion of zero trials is undefined")
    x = check_count(successes, "successes", max_value=n_, max_name="n")
    method = check_choice(method, "method", _METHODS)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    a_low, a_high = _tail_errors(confidence_level, alternative)
    low, high = _proportion_bounds(x, n_, method, a_low, a_high)
    p = x / n_
    return Estimate(
        float(p),
        float(math.sqrt(p * (1 - p) / n_)),
        ConfidenceInterval(float(low), float(high)),
        confidence_level,
        _METHOD_NAMES[method] + ("" if alternative == "two-sided" else f" ({alternative})"),
        n_,
        details=FrozenMapping({"successes": x, "alternative": alternative}),
    )


def _poisson_bounds(x: int, a_low: float, a_high: float) -> tuple[float, float]:
    """Garwood bounds for a Poisson mean: gamma quantiles (lower 0 at x=0), as R."""
    low = 0.0 if x == 0 or a_low == 0 else float(stats.gamma.ppf(a_low, x))
    high = math.inf if a_high == 0 else float(stats.gamma.ppf(1 - a_high, x + 1))
    return low, high


def poisson_rate(
    count: Any,
    exposure: Any = 1.0,
    *,
    confidence_level: float = 0.95,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> Estimate:
    r"""Estimate a Poisson event rate per unit of exposure with the exact (Garwood) interval.

    Parameters
    ----------
    count : int
        Number of events, a non-negative whole number.
    exposure : float
        Total exposure (person-time, area, ...), a positive finite number. Default 1.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.
    alternative : {'two-sided', 'less', 'greater'}
        ``'less'`` gives ``[0, upper]``, ``'greater'`` gives ``[lower, inf)``.

    Returns
    -------
    Estimate
        ``estimate = count / exposure``, ``std_error = sqrt(count) / exposure`` and the
        exact interval; ``details`` hold ``count`` and ``exposure``.

    Raises
    ------
    TypeError
        If ``count`` or ``exposure`` is not a number.
    ValueError
        If ``count`` is negative or not whole, or ``exposure`` is not positive and finite.

    Notes
    -----
    The Garwood (1936) interval inverts the two one-sided Poisson tests:
    :math:`[G(\alpha/2; x), G(1-\alpha/2; x+1)] / T`, where :math:`G(q; a)` is the
    :math:`q`-quantile of the Gamma(:math:`a`, 1) distribution (equivalently
    :math:`\chi^2_{q, 2a}/2`) and :math:`T` the exposure; the lower bound is 0 when
    :math:`x = 0`. This is R's ``poisson.test(x, T)$conf.int``.

    References
    ----------
    .. [1] Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28,
       437-442.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.poisson_rate(137, 24.19893)
    >>> round(res.estimate, 6)
    5.661407
    >>> [round(b, 6) for b in res.confidence_interval]
    [4.753125, 6.692709]
    """
    x = check_count(count, "count")
    t = check_positive(exposure, "exposure")
    confidence_level = check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)  # type: ignore[assignment]
    a_low, a_high = _tail_errors(confidence_level, alternative)
    low, high = _poisson_bounds(x, a_low, a_high)
    return Estimate(
        float(x / t),
        float(math.sqrt(x) / t),
        ConfidenceInterval(float(low / t), float(high / t)),
        confidence_level,
        "Poisson rate, exact (Garwood) interval"
        + ("" if alternative == "two-sided" else f" ({alternative})"),
        None,
        details=FrozenMapping({"count": x, "exposure": t, "alternative": alternative}),
    )
