"""Exact null distribution of the two-sample Smirnov statistic, with ties (private).

This is the recursion of R >= 4.3's ``psmirnov_exact`` (Schröer & Trenkler 1995; the
numerically stable upper-tail form of Viehmann 2021). A path from ``(0, 0)`` to ``(m, n)``
takes one step in ``i`` per observation of the first sample and one in ``j`` per observation of
the second, in the order of the pooled sorted data. Under the null every path is equally
likely. The statistic exceeds ``q`` if the path visits a cell where ``i/m - j/n`` (or its
absolute value) is ``>= q`` *and* the pooled sorted data change value between positions
``i + j`` and ``i + j + 1`` -- inside a block of tied values the ECDFs are not evaluated, which is
how ties are accounted for exactly.

``C[i, j]`` is the probability that a uniformly random path to ``(i, j)`` has exceeded ``q``:

    C[i, j] = 1                                        if the cell is a hit
            = i/(i+j) C[i-1, j] + j/(i+j) C[i, j-1]    otherwise.

Every cell on an anti-diagonal ``i + j = k`` depends only on the diagonal ``k - 1``, so the
recursion is vectorised over diagonals: ``m + n`` numpy steps instead of ``m n`` Python steps.
"""

from __future__ import annotations

import numpy as np

__all__ = ["smirnov_sf"]


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
