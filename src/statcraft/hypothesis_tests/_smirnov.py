"""Kolmogorov-Smirnov helpers of ``ks_test`` (private).

The exact two-sample null distribution with ties, the asymptotic p-values, and the resolution of
the null CDF. The exact distribution is the recursion of R >= 4.3's ``psmirnov_exact`` (Schröer
& Trenkler 1995; the numerically stable upper-tail form of Viehmann 2021). A path from
``(0, 0)`` to ``(m, n)`` takes one step in ``i`` per observation of the first sample and one in
``j`` per observation of the second, in the order of the pooled sorted data. Under the null
every path is equally likely. The statistic exceeds ``q`` if the path visits a cell where
``i/m - j/n`` (or its absolute value) is ``>= q`` *and* the pooled sorted data change value
between positions ``i + j`` and ``i + j + 1`` -- inside a block of tied values the ECDFs are not
evaluated, which is how ties are accounted for exactly.

``C[i, j]`` is the probability that a uniformly random path to ``(i, j)`` has exceeded ``q``:

    C[i, j] = 1                                        if the cell is a hit
            = i/(i+j) C[i-1, j] + j/(i+j) C[i, j-1]    otherwise.

Every cell on an anti-diagonal ``i + j = k`` depends only on the diagonal ``k - 1``, so the
recursion is vectorised over diagonals: ``m + n`` numpy steps instead of ``m n`` Python steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["is_sample", "kolmogorov_asymptotic", "resolve_cdf", "smirnov_sf"]


def smirnov_sf(
    d_scaled: int,
    m: int,
    n: int,
    boundary: np.ndarray | None,
    *,
    two_sided: bool,
) -> float:
    """``P(D >= d)`` under the null, for ``d = d_scaled / (m n)``.

    Parameters
    ----------
    d_scaled : int
        The observed statistic times ``m n`` (an integer: ``D = |a n - b m| / (m n)``).
    m, n : int
        Sample sizes; for the one-sided statistic ``D+ = max(F_m - F_n)``, ``m`` belongs to the
        sample whose ECDF comes first.
    boundary : ndarray of bool, length ``m + n + 1``, or None
        ``boundary[k]`` is True when the pooled sorted data change value between positions
        ``k`` and ``k + 1`` (1-based), i.e. when the ECDFs may be compared after ``k`` steps;
        ``boundary[0]`` is False and ``boundary[m + n]`` True. None means no ties.
    two_sided : bool
        ``|i/m - j/n|`` (True) or ``i/m - j/n`` (False).
    """
    if d_scaled <= 0:
        return 1.0
    total = m + n
    if boundary is None:
        boundary = np.ones(total + 1, dtype=bool)
        boundary[0] = False
    i_all = np.arange(m + 1)
    c = np.zeros(m + 1)  # C on the current diagonal, indexed by i
    for k in range(1, total + 1):
        lo, hi = max(0, k - n), min(k, m)
        i = i_all[lo : hi + 1]
        j = k - i
        prev_i = c[np.maximum(i - 1, 0)]  # C[i-1, j]; weight 0 when i == 0
        prev_j = c[i]  # C[i, j-1]; weight 0 when j == 0
        new = (i * prev_i + j * prev_j) / k
        if boundary[k]:
            diff = i * n - j * m
            hit = (np.abs(diff) if two_sided else diff) >= d_scaled
            new = np.where(hit, 1.0, new)
        c[lo : hi + 1] = new
    return float(min(max(c[m], 0.0), 1.0))


def resolve_cdf(y_or_cdf: Any, args: tuple[Any, ...]) -> tuple[Callable[[np.ndarray], Any], str]:
    """Turn a distribution name, frozen distribution or callable into a CDF."""
    if isinstance(y_or_cdf, str):
        dist = getattr(stats, y_or_cdf, None)
        if not isinstance(dist, stats.rv_continuous):
            raise ValueError(
                f"`y_or_cdf` names no continuous scipy.stats distribution; got {y_or_cdf!r} "
                "(e.g. 'norm', 'expon', 'uniform')"
            )
        try:
            frozen = dist(*args)
        except TypeError as exc:
            raise TypeError(
                f"`args` do not fit the parameters of scipy.stats.{y_or_cdf} "
                f"({dist.shapes or 'no shape parameters'}, then loc, scale): {exc}"
            ) from None
        return frozen.cdf, y_or_cdf
    if args:
        raise TypeError("`args` is only used with a distribution name in `y_or_cdf`")
    cdf = getattr(y_or_cdf, "cdf", None)
    if callable(cdf):
        name = getattr(getattr(y_or_cdf, "dist", None), "name", type(y_or_cdf).__name__)
        return cdf, str(name)
    if callable(y_or_cdf):
        return y_or_cdf, getattr(y_or_cdf, "__name__", "cdf")
    raise TypeError(
        "`y_or_cdf` must be a second sample, a scipy.stats distribution (name or frozen) or a "
        f"callable CDF; got {type(y_or_cdf).__name__}"
    )


def is_sample(obj: Any) -> bool:
    """Return True when ``obj`` is data (a second sample) rather than a distribution or CDF."""
    return not (isinstance(obj, str) or callable(obj) or callable(getattr(obj, "cdf", None)))


def kolmogorov_asymptotic(d: float, n_eff: float, alternative: str) -> float:
    """Kolmogorov's limit (two-sided) or ``exp(-2 n D^2)`` (one-sided), ``n`` effective."""
    if d <= 0:
        return 1.0
    if alternative == "two-sided":
        return float(stats.kstwobign.sf(math.sqrt(n_eff) * d))
    return math.exp(-2.0 * n_eff * d * d)
