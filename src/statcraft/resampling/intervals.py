r"""Bootstrap confidence intervals from a replicate distribution, vectorised over components.

All functions take the estimate ``theta`` (shape ``s``) and the replicates ``dist`` (shape
``(*s, B)``) and return ``(low, high)`` arrays of shape ``s``. One-sided intervals
(``alternative='less'`` or ``'greater'``) put ``inf`` or ``-inf`` at the open end and the whole
``1 - confidence_level`` in the other tail, as scipy does.

Methods (Davison & Hinkley 1997, ch. 5; Efron & Tibshirani 1993, ch. 12-14):

- ``percentile``: quantiles of the replicates, :math:`[q_{\alpha}, q_{1-\alpha}]`;
- ``basic``: :math:`[2\hat\theta - q_{1-\alpha}, 2\hat\theta - q_{\alpha}]`;
- ``normal``: :math:`\hat\theta - \hat b \mp z_{1-\alpha}\,\widehat{se}` with the bootstrap bias
  :math:`\hat b` and standard error, as R's ``boot.ci(type = "norm")``;
- ``studentized``: :math:`[\hat\theta - \widehat{se}\,t^*_{1-\alpha},
  \hat\theta - \widehat{se}\,t^*_{\alpha}]` with :math:`t^* = (\theta^* - \hat\theta)/se^*`;
- ``bca``: quantiles at :math:`\Phi(z_0 + (z_0 + z_\alpha)/(1 - a(z_0 + z_\alpha)))` with
  :math:`z_0 = \Phi^{-1}(\text{mid-rank of } \hat\theta \text{ among the replicates})` and the
  acceleration :math:`a` from the jackknife (see :func:`acceleration`).

Quantiles interpolate linearly between order statistics (``numpy.quantile``'s default), like
scipy; R's ``boot.ci`` interpolates on the normal scale. The two differ by far less than the
Monte Carlo error of the endpoints.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr, ndtri

from statcraft.resampling._statistic import DegenerateDataWarning

__all__: list[str] = []

METHODS = ("bca", "percentile", "basic", "normal", "studentized")


def tail_probabilities(confidence_level: float, alternative: str) -> tuple[float, float]:
    """Lower and upper quantile levels; 0 or 1 marks an open end."""
    if alternative == "two-sided":
        a = (1 - confidence_level) / 2
        return a, 1 - a
    if alternative == "less":
        return 0.0, confidence_level
    return 1 - confidence_level, 1.0


def quantiles_sorted(sorted_dist: np.ndarray, probs: np.ndarray | float) -> np.ndarray:
    """Linear-interpolation quantiles of sorted replicates; ``probs`` has shape ``s``."""
    b = sorted_dist.shape[-1]
    probs = np.broadcast_to(np.asarray(probs, dtype=float), sorted_dist.shape[:-1])
    h = np.clip(probs, 0.0, 1.0) * (b - 1)
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, b - 1)
    frac = h - lo
    x_lo = np.take_along_axis(sorted_dist, lo[..., None], axis=-1)[..., 0]
    x_hi = np.take_along_axis(sorted_dist, hi[..., None], axis=-1)[..., 0]
    return x_lo + frac * (x_hi - x_lo)


def acceleration(groups: Sequence[tuple[np.ndarray, float]]) -> np.ndarray:
    r"""BCa acceleration from jackknife values, one group per independently resampled unit.

    Each group is ``(values, scale)``: ``values`` has shape ``(*s, m)`` (the statistic with
    observation or block ``i`` deleted) and ``scale = N / m`` (1, or the ratio of all deletions
    to those evaluated when the jackknife was subsampled). With
    :math:`U_i = (m-1)(\bar\theta_{(\cdot)} - \hat\theta_{(i)})`,

    .. math:: a = \frac{\sum_g \text{scale}_g \sum_i U_i^3 / N_g^3}
                       {6\,(\sum_g \text{scale}_g \sum_i U_i^2 / N_g^2)^{3/2}}

    which is Efron & Tibshirani's (14.15) for one sample and scipy's formula for several.
    """
    num: np.ndarray | float = 0.0
    den: np.ndarray | float = 0.0
    for values, scale in groups:
        m = values.shape[-1]
        n_all = m * scale
        u = (n_all - 1) * (values.mean(axis=-1, keepdims=True) - values)
        num = num + scale * np.sum(u**3, axis=-1) / n_all**3
        den = den + scale * np.sum(u**2, axis=-1) / n_all**2
    num_a = np.asarray(num, dtype=float)
    den_a = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = num_a / (6 * den_a**1.5)
    return np.where(den_a > 0, a, 0.0)


def bias_correction(theta: np.ndarray, dist: np.ndarray) -> np.ndarray:
    r""":math:`z_0 = \Phi^{-1}` of the mid-rank of ``theta`` among the replicates."""
    t = theta[..., None]
    p0 = (np.sum(dist < t, axis=-1) + np.sum(dist <= t, axis=-1)) / (2 * dist.shape[-1])
    return np.asarray(ndtri(p0), dtype=float)


def compute_interval(
    method: str,
    theta: np.ndarray,
    dist: np.ndarray,
    confidence_level: float,
    alternative: str,
    *,
    accel: np.ndarray | None = None,
    t_dist: np.ndarray | None = None,
    se_hat: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, object]]:
    """Return ``(low, high, details)`` for ``method``; see the module docstring."""
    p_lo, p_hi = tail_probabilities(confidence_level, alternative)
    details: dict[str, object] = {}
    sorted_dist = np.sort(dist, axis=-1)
    degenerate = sorted_dist[..., 0] == sorted_dist[..., -1]
    if np.any(degenerate):
        warnings.warn(
            "all bootstrap replicates are equal (is the data constant?); the interval is "
            "degenerate: [estimate, estimate]",
            DegenerateDataWarning,
            stacklevel=3,
        )
    if method == "percentile":
        low, high = quantiles_sorted(sorted_dist, p_lo), quantiles_sorted(sorted_dist, p_hi)
    elif method == "basic":
        # reflected: the lower end uses the upper quantile at level 1 - p_lo, and vice versa
        low = 2 * theta - quantiles_sorted(sorted_dist, 1 - p_lo)
        high = 2 * theta - quantiles_sorted(sorted_dist, 1 - p_hi)
    elif method == "normal":
        se = dist.std(axis=-1, ddof=1) if dist.shape[-1] > 1 else np.zeros(np.shape(theta))
        bias = dist.mean(axis=-1) - theta
        with np.errstate(divide="ignore"):
            z_lo, z_hi = ndtri(p_lo), ndtri(p_hi)
        low = theta - bias + z_lo * se
        high = theta - bias + z_hi * se
    elif method == "studentized":
        if t_dist is None or se_hat is None:
            raise ValueError("studentized intervals need the studentized replicates")
        t_sorted = np.sort(t_dist, axis=-1)
        low = theta - se_hat * quantiles_sorted(t_sorted, 1 - p_lo)
        high = theta - se_hat * quantiles_sorted(t_sorted, 1 - p_hi)
        details["std_error_estimate"] = se_hat
    else:  # bca
        if accel is None:
            raise ValueError("BCa intervals need the acceleration")
        z0 = bias_correction(theta, dist)
        if np.any(~np.isfinite(z0) & ~degenerate):
            warnings.warn(
                "the estimate lies outside the range of the bootstrap replicates (bias "
                "correction z0 is infinite); the BCa interval collapses to an extreme "
                "replicate. Use more resamples or method='percentile'",
                DegenerateDataWarning,
                stacklevel=3,
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            adj = []
            for p in (p_lo, p_hi):
                if p in (0.0, 1.0):
                    adj.append(np.full(np.shape(theta), p))
                    continue
                z = z0 + ndtri(p)
                adj.append(ndtr(z0 + z / (1 - accel * z)))
        adj_lo = np.where(np.isnan(adj[0]), p_lo, adj[0])
        adj_hi = np.where(np.isnan(adj[1]), p_hi, adj[1])
        low, high = quantiles_sorted(sorted_dist, adj_lo), quantiles_sorted(sorted_dist, adj_hi)
        details.update(bias_correction=z0, acceleration=accel, adjusted_levels=(adj_lo, adj_hi))
    if p_lo == 0.0:
        low = np.full(np.shape(theta), -np.inf)
    if p_hi == 1.0:
        high = np.full(np.shape(theta), np.inf)
    low = np.where(degenerate & np.isfinite(low), theta, low)
    high = np.where(degenerate & np.isfinite(high), theta, high)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float), details
