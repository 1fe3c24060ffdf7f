"""Confidence limits for noncentrality parameters by inverting noncentral t and F CDFs.

Private helpers shared by :mod:`~statcraft.hypothesis_tests.effect_size` and
:mod:`~statcraft.hypothesis_tests.parametric`. Both CDFs are monotone decreasing in the
noncentrality parameter, so each limit is the unique root of ``cdf(stat; ncp) = p``; it is bracketed
by expanding steps and polished with Brent's method (:func:`scipy.optimize.brentq`). The CDFs are
``scipy.special.nctdtr`` and ``scipy.special.ncfdtr`` (the Boost implementations behind
``scipy.stats.nct.cdf`` and ``scipy.stats.ncf.cdf``, without their per-call overhead).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy import integrate, optimize, special, stats

__all__: list[str] = []

_XTOL = 1e-12
_MAX_EXPAND = 200


def _root_decreasing(f: Callable[[float], float], start: float, lower_limit: float | None) -> float:
    """Root of a decreasing function ``f`` near ``start``; ``lower_limit`` truncates from below."""
    step = max(1.0, abs(start) * 0.5)
    lo = start - step
    hi = start + step
    if lower_limit is not None:
        lo = max(lo, lower_limit)
        if f(lower_limit) <= 0.0:
            return lower_limit
    for _ in range(_MAX_EXPAND):
        if f(lo) >= 0.0:
            break
        hi = lo
        step *= 2.0
        lo = lo - step if lower_limit is None else max(lower_limit, lo - step)
    else:  # pragma: no cover - only for pathological inputs
        raise ValueError("could not bracket the noncentrality parameter (lower end)")
    for _ in range(_MAX_EXPAND):
        if f(hi) <= 0.0:
            break
        lo = hi
        step *= 2.0
        hi = hi + step
    else:  # pragma: no cover - only for pathological inputs
        raise ValueError("could not bracket the noncentrality parameter (upper end)")
    if f(lo) == 0.0:
        return lo
    if f(hi) == 0.0:
        return hi
    return float(optimize.brentq(f, lo, hi, xtol=_XTOL, rtol=4 * 2.220446049250313e-16))


def _nct_cdf_by_quadrature(t: float, df: float, d: float) -> float:
    """``P(T <= t)`` for noncentral t as ``E[Φ(t S - d)]``, ``S = sqrt(V / df)``, ``V ~ χ²_df``.

    Used where Boost's ``nctdtr`` gives NaN: far in a tail, where the probability is tiny but
    not zero (e.g. ``P(T < -1.96)`` with 598 df and noncentrality 12.2 is about 1e-36). The
    smaller tail is integrated directly (log-space integrand, no cancellation).
    """
    lower = t < d
    sign = 1.0 if lower else -1.0

    def integrand(s: float) -> float:
        if s <= 0.0:
            return 0.0
        log_density = math.log(2.0 * df * s) + float(stats.chi2.logpdf(df * s * s, df))
        return math.exp(float(special.log_ndtr(sign * (t * s - d))) + log_density)

    spread = 1.0 / math.sqrt(2.0 * df)
    cut = max(1.0 - 8.0 * spread, 0.0)
    parts = [(0.0, cut), (cut, 1.0 + 8.0 * spread), (1.0 + 8.0 * spread, math.inf)]
    tail = sum(
        integrate.quad(integrand, a, b, epsabs=0.0, epsrel=1e-10, limit=200)[0]
        for a, b in parts
        if b > a
    )
    return tail if lower else 1.0 - tail


def nct_cdf(t: float, df: float, d: float) -> float:
    """``P(T <= t)`` for noncentral t; where Boost returns NaN the tail is integrated instead."""
    p = float(special.nctdtr(df, d, t))
    if math.isnan(p):
        return _nct_cdf_by_quadrature(t, df, d)
    return p


def _ncf_cdf(f_value: float, df1: float, df2: float, lam: float) -> float:
    """``P(F <= f)`` for noncentral F; far-tail NaN replaced by its limit."""
    p = float(special.ncfdtr(df1, df2, lam, f_value))
    if math.isnan(p):
        return 0.0 if f_value < (df1 + lam) / df1 else 1.0
    return p


def nct_ncp(t: float, df: float, prob: float) -> float:
    """Noncentrality ``δ`` with ``P(T <= t; df, δ) = prob`` for a noncentral t variable ``T``."""
    return _root_decreasing(lambda d: nct_cdf(t, df, d) - prob, t, None)


def ncf_ncp(f_value: float, df1: float, df2: float, prob: float) -> float:
    """Noncentrality ``λ >= 0`` with ``P(F <= f; df1, df2, λ) = prob``; 0 when none is positive."""
    return _root_decreasing(
        lambda lam: _ncf_cdf(f_value, df1, df2, lam) - prob,
        max(f_value * df1 - df1, 0.0),
        0.0,
    )


def nct_interval(
    t: float, df: float, confidence_level: float, alternative: str
) -> tuple[float, float]:
    """Confidence limits for the noncentrality of a t statistic (``±inf`` for one-sided)."""
    if alternative == "two-sided":
        a = (1.0 - confidence_level) / 2.0
        return nct_ncp(t, df, 1.0 - a), nct_ncp(t, df, a)
    a = 1.0 - confidence_level
    if alternative == "greater":
        return nct_ncp(t, df, 1.0 - a), math.inf
    return -math.inf, nct_ncp(t, df, a)


def ncf_interval(
    f_value: float, df1: float, df2: float, confidence_level: float, alternative: str
) -> tuple[float, float]:
    """Confidence limits for the noncentrality ``λ`` of an F statistic (``inf`` for one-sided)."""
    if alternative == "two-sided":
        a = (1.0 - confidence_level) / 2.0
        return ncf_ncp(f_value, df1, df2, 1.0 - a), ncf_ncp(f_value, df1, df2, a)
    a = 1.0 - confidence_level
    if alternative == "greater":
        return ncf_ncp(f_value, df1, df2, 1.0 - a), math.inf
    return 0.0, ncf_ncp(f_value, df1, df2, a)


def hedges_correction(df: float) -> float:
    """Exact small-sample bias correction ``J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))``."""
    return math.exp(
        math.lgamma(df / 2.0) - 0.5 * math.log(df / 2.0) - math.lgamma((df - 1.0) / 2.0)
    )
