"""Resampling schemes: iid and block index generators, and automatic block-length selection.

A scheme is only an index generator: given a sample size ``n``, a number of resamples ``r``
and a :class:`numpy.random.Generator`, it returns an ``(r, n)`` array of indices into the
original sample. Block schemes first draw a *block layout* (block starts and lengths, see
:class:`_Blocks`); the layout is expanded to indices for a general statistic, or used directly
to sum precomputed cumulative sums when the statistic is a mean-type moment statistic, which
costs O(number of blocks) instead of O(n) per resample.

Schemes
-------
``'iid'``
    Efron's bootstrap: ``n`` indices drawn uniformly with replacement.
``'moving'``
    Künsch's moving-block bootstrap: ``ceil(n / L)`` blocks of ``L`` consecutive observations
    with starts uniform on ``0, ..., n - L``; the last block is truncated to give ``n`` values.
``'circular'``
    Politis & Romano's circular block bootstrap: as ``'moving'``, but starts are uniform on
    ``0, ..., n - 1`` and blocks wrap around the end of the series.
``'stationary'``
    Politis & Romano's stationary bootstrap: block lengths are geometric with mean ``L``
    (so the resampled series is stationary), starts uniform, blocks wrap around.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import check_array, check_series_nan_policy

__all__ = ["OptimalBlockLength", "optimal_block_length"]

SCHEMES = ("iid", "stationary", "circular", "moving")


@dataclass(frozen=True, slots=True)
class OptimalBlockLength:
    """Automatic block lengths of Politis & White (2004), corrected by Patton et al. (2009).

    Attributes
    ----------
    stationary : float
        Optimal mean block length for the stationary bootstrap.
    circular : float
        Optimal block length for the circular (and moving) block bootstrap.
    bandwidth : int
        The flat-top lag window bandwidth ``M`` used to estimate the spectral quantities (0
        when ``nan_policy='propagate'`` met a NaN).
    n : int
        Length of the series.
    """

    stationary: float
    circular: float
    bandwidth: int
    n: int

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return {
            "stationary": self.stationary,
            "circular": self.circular,
            "bandwidth": self.bandwidth,
            "n": self.n,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        return (
            f"OptimalBlockLength(stationary={self.stationary:.4g}, "
            f"circular={self.circular:.4g}, bandwidth={self.bandwidth}, n={self.n})"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def optimal_block_length(
    x: Any, *, nan_policy: Literal["raise", "propagate"] = "raise"
) -> OptimalBlockLength:
    r"""Estimate the optimal block length for the stationary and circular block bootstraps.

    Parameters
    ----------
    x : array_like
        A one-dimensional time series (at least 9 finite observations).
    nan_policy : {'raise', 'propagate'}
        ``'raise'`` (default): NaN is an error. ``'propagate'``: a series with NaN gives NaN
        block lengths. ``'omit'`` is refused: dropping an observation would shift every later
        lag of the autocovariances.

    Returns
    -------
    OptimalBlockLength
        ``stationary`` (the mean block length of the stationary bootstrap), ``circular`` (the
        block length of the circular and moving-block bootstraps), the ``bandwidth`` ``M`` and
        ``n``.

    Raises
    ------
    ValueError
        If ``x`` has fewer than 9 observations, inf values, NaN (with ``nan_policy='raise'``),
        or is constant, or if ``nan_policy='omit'``.

    Notes
    -----
    Politis & White (2004) with the correction of Patton, Politis & White (2009). With sample
    autocovariances :math:`\hat\gamma_k = n^{-1}\sum_{t=k+1}^n (x_t-\bar x)(x_{t-k}-\bar x)`
    and the flat-top window :math:`\lambda(s) = \min(1, 2(1-|s|))`,

    .. math::

        \hat G = \sum_{|k|\le M} \lambda(k/M)\,|k|\,\hat\gamma_k, \qquad
        \hat g(0) = \sum_{|k|\le M} \lambda(k/M)\,\hat\gamma_k,

        b_{SB} = \left(\frac{2\hat G^2}{2\hat g(0)^2}\, n\right)^{1/3}, \qquad
        b_{CB} = \left(\frac{2\hat G^2}{(4/3)\hat g(0)^2}\, n\right)^{1/3}.

    The bandwidth is :math:`M = 2\hat m`, where :math:`\hat m` is the first lag that starts a
    run of :math:`K_n = \max(5, \lfloor\log_{10} n\rfloor)` sample autocorrelations inside
    :math:`\pm 2\sqrt{\log_{10}(n)/n}`, capped at :math:`\lceil\sqrt n\rceil + K_n`; block
    lengths are capped at :math:`\lceil\min(3\sqrt n, n/3)\rceil`. These tuning choices follow
    Patton's MATLAB code and the ``arch`` package, whose ``optimal_block_length`` gives the
    same values. The value can be below 1 for (nearly) uncorrelated data; the bootstrap then
    uses a block length of 1.

    References
    ----------
    Politis, D. N. & White, H. (2004). Automatic block-length selection for the dependent
    bootstrap. *Econometric Reviews* 23(1), 53-70.

    Patton, A., Politis, D. N. & White, H. (2009). Correction to "Automatic block-length
    selection for the dependent bootstrap". *Econometric Reviews* 28(4), 372-375.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> rng = np.random.default_rng(0)
    >>> e = rng.standard_normal(500)
    >>> x = np.zeros(500)
    >>> for t in range(1, 500):
    ...     x[t] = 0.6 * x[t - 1] + e[t]
    >>> b = sc.resampling.optimal_block_length(x)
    >>> round(b.stationary, 2), round(b.circular, 2)
    (10.86, 12.43)
    """
    policy = check_series_nan_policy(nan_policy)
    arr = check_array(x, "x", min_size=9, nan_policy=policy, suggest_omit=False)
    n = arr.size
    if np.isnan(arr).any():
        return OptimalBlockLength(stationary=math.nan, circular=math.nan, bandwidth=0, n=n)
    eps = arr - arr.mean()
    if not np.any(eps):
        raise ValueError("`x` is constant; the optimal block length is undefined")
    kn = max(5, int(np.log10(n)))
    m_max = min(int(np.ceil(np.sqrt(n))) + kn, n - 2)
    b_max = float(np.ceil(min(3 * np.sqrt(n), n / 3)))
    acv = _autocovariances(eps, m_max)
    # autocorrelations as in arch / Patton: lag-k cross product over the two sub-series norms
    sq = np.concatenate(([0.0], np.cumsum(eps * eps)))
    lags = np.arange(m_max + 1)
    v1 = sq[n] - sq[np.minimum(lags + 1, n)]  # eps[k+1:] @ eps[k+1:]
    v2 = sq[np.maximum(n - lags - 1, 0)]  # eps[:n-k-1] @ eps[:n-k-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        abs_acorr = np.abs(acv * n) / np.sqrt(v1 * v2)
    insignificant = abs_acorr < 2 * np.sqrt(np.log10(n) / n)
    # run of kn insignificant correlations at lags i-kn, ..., i-1 for i in kn..m_max
    window = np.convolve(insignificant.astype(np.int64), np.ones(kn, dtype=np.int64), "valid")
    starts = np.flatnonzero(window[: m_max + 1 - kn] == kn)
    m = 2 * max(int(starts[0]), 1) if starts.size else m_max
    m = min(m, m_max)
    k = np.arange(1, m + 1)
    lam = np.where(k / m <= 0.5, 1.0, 2 * (1 - k / m))
    g = float(np.sum(2 * lam * k * acv[1 : m + 1]))
    lr = float(acv[0] + np.sum(2 * lam * acv[1 : m + 1]))
    b_sb = ((2 * g**2) / (2 * lr**2)) ** (1 / 3) * n ** (1 / 3)
    b_cb = ((2 * g**2) / (4 / 3 * lr**2)) ** (1 / 3) * n ** (1 / 3)
    return OptimalBlockLength(
        stationary=float(min(b_sb, b_max)), circular=float(min(b_cb, b_max)), bandwidth=m, n=n
    )


def _autocovariances(eps: np.ndarray, max_lag: int) -> np.ndarray:
    """Biased sample autocovariances at lags 0..max_lag (FFT for long series)."""
    n = eps.size
    if n * (max_lag + 1) <= 5_000_000:
        return np.array([eps[k:] @ eps[: n - k] for k in range(max_lag + 1)]) / n
    size = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(eps, size)
    return np.fft.irfft(f * np.conj(f), size)[: max_lag + 1] / n


def resolve_block_length(
    scheme: str, block_length: Any, samples: tuple[np.ndarray, ...]
) -> float | None:
    """Validate ``block_length`` for ``scheme`` (None: Politis-White on the first sample).

    ``samples`` are in the resampling layout (observations on the last axis). For a
    two-dimensional first sample the default is the mean of the automatic block lengths of
    its non-constant columns.
    """
    if scheme == "iid":
        if block_length is not None:
            raise ValueError("`block_length` applies to block schemes only; scheme='iid'")
        return None
    n = min(s.shape[-1] for s in samples)
    if block_length is None:
        first = samples[0]
        columns = [first] if first.ndim == 1 else [c for c in first if np.ptp(c) > 0]
        if not columns:
            raise ValueError(
                "`data[0]` has only constant columns; the automatic block length is "
                "undefined (pass block_length)"
            )
        opts = [optimal_block_length(c) for c in columns]
        value = float(
            np.mean([o.stationary if scheme == "stationary" else o.circular for o in opts])
        )
        value = max(1.0, value)
        return value if scheme == "stationary" else float(round(value))
    if isinstance(block_length, (bool, np.bool_)) or not isinstance(
        block_length, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"`block_length` must be a number; got {type(block_length).__name__}")
    value = float(block_length)
    if not math.isfinite(value) or value < 1:
        raise ValueError(f"`block_length` must be >= 1; got {block_length!r}")
    if value > n:
        raise ValueError(
            f"`block_length` ({block_length!r}) cannot exceed the number of observations ({n})"
        )
    if scheme != "stationary" and not value.is_integer():
        raise ValueError(
            f"`block_length` must be a whole number for scheme={scheme!r}; got {block_length!r}"
        )
    return value


@dataclass(frozen=True, slots=True)
class _Blocks:
    """A block layout for ``r`` resamples of a series of length ``n``, stored flat.

    Resample ``j`` is made of blocks ``offsets[j]:offsets[j + 1]`` of ``starts`` and
    ``lengths``; its lengths sum to exactly ``n`` (the last block is truncated). ``wrap`` says
    whether blocks wrap around the end of the series.
    """

    starts: np.ndarray
    lengths: np.ndarray
    offsets: np.ndarray
    n: int
    wrap: bool

    def indices(self) -> np.ndarray:
        """Expand the layout to an ``(r, n)`` index array."""
        r = self.offsets.size - 1
        if self.starts.size == r * self.n:  # all blocks of length 1 (L = 1)
            return self.starts.reshape(r, self.n)
        block_of = np.repeat(np.arange(self.starts.size), self.lengths)
        first = np.cumsum(self.lengths) - self.lengths  # position of each block's first element
        idx = self.starts[block_of] + (np.arange(r * self.n) - first[block_of])
        if self.wrap:
            idx %= self.n
        return idx.reshape(r, self.n)

    def sums(self, cumsum: np.ndarray) -> np.ndarray:
        """Per-resample sums of a series given its cumulative sum over two periods.

        ``cumsum`` is ``concatenate(([0], cumsum(concatenate((v, v)))))`` for the series ``v``;
        lengths never exceed ``n`` and starts are below ``n``, so a block starting at ``s`` of
        length ``l`` sums to ``cumsum[s + l] - cumsum[s]``, wrapping or not.
        """
        block = cumsum[self.starts + self.lengths] - cumsum[self.starts]
        return np.add.reduceat(block, self.offsets[:-1])


#: Below this mean block length the stationary bootstrap draws one uniform per observation
#: (a new block starts where it is below 1/L); above it, geometric block lengths by inversion.
_FLAG_MAX_LENGTH = 8.0


def draw_blocks(
    scheme: str, n: int, r: int, block_length: float, gen: np.random.Generator
) -> _Blocks:
    """Draw a block layout for ``r`` resamples (``scheme`` is a block scheme)."""
    if scheme == "stationary":
        p = 1.0 / block_length
        if p >= 1.0:  # L = 1: every observation starts a block
            starts = gen.integers(0, n, size=r * n)
            lengths = np.ones(r * n, dtype=np.int64)
            return _Blocks(starts, lengths, np.arange(r + 1) * n, n, True)
        if block_length <= _FLAG_MAX_LENGTH:
            # Politis & Romano's construction: each position after the first starts a new
            # block with probability p (so block lengths are geometric with mean 1/p)
            flags = gen.random((r, n)) < p
            flags[:, 0] = True
            pos = np.flatnonzero(flags)
            lengths = np.diff(np.append(pos, r * n))
            starts = gen.integers(0, n, size=pos.size)
            offsets = np.searchsorted(pos, np.arange(r + 1) * n)
            return _Blocks(starts, lengths, offsets, n, True)
        k = math.ceil(n * p + 6 * math.sqrt(n * p) + 10)
        lengths = _geometric(p, (r, k), gen)
        starts = gen.integers(0, n, size=(r, k))
        while True:
            short = lengths.sum(axis=1) < n
            if not short.any():
                break
            lengths = np.concatenate((lengths, _geometric(p, (r, k), gen)), axis=1)
            starts = np.concatenate((starts, gen.integers(0, n, size=(r, k))), axis=1)
        cum = np.cumsum(lengths, axis=1)
        lengths = np.minimum(lengths, np.maximum(n - (cum - lengths), 0))
        used = lengths > 0
        offsets = np.concatenate(([0], np.cumsum(used.sum(axis=1))))
        return _Blocks(starts[used], lengths[used], offsets, n, True)
    length = int(block_length)
    k = -(-n // length)
    high = n if scheme == "circular" else n - length + 1
    starts = gen.integers(0, high, size=(r, k))
    lengths = np.full((r, k), length, dtype=np.int64)
    lengths[:, -1] = n - length * (k - 1)
    offsets = np.arange(r + 1) * k
    return _Blocks(starts.ravel(), lengths.ravel(), offsets, n, scheme == "circular")


def _geometric(p: float, size: tuple[int, int], gen: np.random.Generator) -> np.ndarray:
    """Geometric block lengths on 1, 2, ... with mean 1/p (0 < p < 1), by inversion (fast)."""
    u = gen.random(size)
    return 1 + (np.log(1.0 - u) * (1.0 / math.log1p(-p))).astype(np.int64)


def draw_indices(
    scheme: str, n: int, r: int, block_length: float | None, gen: np.random.Generator
) -> np.ndarray:
    """Return an ``(r, n)`` array of resampling indices for ``scheme``."""
    if scheme == "iid":
        return gen.integers(0, n, size=(r, n))
    if scheme != "stationary":
        length = int(block_length)  # type: ignore[arg-type]
        k = -(-n // length)
        high = n if scheme == "circular" else n - length + 1
        starts = gen.integers(0, high, size=(r, k))
        idx = (starts[:, :, None] + np.arange(length)).reshape(r, k * length)[:, :n]
        return idx % n if scheme == "circular" else idx
    return draw_blocks(scheme, n, r, block_length, gen).indices()  # type: ignore[arg-type]


def draw_strata_indices(
    groups: list[np.ndarray], n: int, r: int, gen: np.random.Generator
) -> np.ndarray:
    """Iid resampling within strata: ``groups`` lists the positions of each stratum."""
    idx = np.empty((r, n), dtype=np.int64)
    for pos in groups:
        idx[:, pos] = pos[gen.integers(0, pos.size, size=(r, pos.size))]
    return idx
