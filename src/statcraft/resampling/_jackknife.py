r"""The jackknife (delete-one and delete-a-block) and its leave-one-out values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._progress import Progress, check_progress
from statcraft._validation import check_int
from statcraft.resampling._statistic import (
    Statistic,
    check_same_rows,
    check_samples,
    make_statistic,
    moment_kind,
    moments_to_statistic,
    n_rows,
    repeat_rows,
    take_rows,
)
from statcraft.results import FrozenMapping

__all__ = ["JackknifeResult", "jackknife"]

_MAX_ELEMENTS = 1 << 21  # elements of one batch of leave-one-out samples


@dataclass(frozen=True, slots=True, eq=False)
class JackknifeResult:
    r"""Jackknife estimate of bias and standard error, with the leave-one-out values.

    Attributes
    ----------
    estimate : float or numpy.ndarray
        The statistic on all the data.
    bias : float or numpy.ndarray
        Jackknife bias estimate :math:`(m-1)(\bar\theta_{(\cdot)} - \hat\theta)`.
    std_error : float or numpy.ndarray
        Jackknife standard error.
    bias_corrected : float or numpy.ndarray
        ``estimate - bias``.
    values : numpy.ndarray
        The statistic with observation (or block) ``i`` deleted, deletion index on the last
        axis.
    block_length : int
        Number of consecutive observations deleted at a time (1 for the ordinary jackknife).
    n : int
        Number of observations.
    details : FrozenMapping
        Extras: the number of deletions ``m`` and whether the O(n) moment path was used.
    """

    estimate: Any
    bias: Any
    std_error: Any
    bias_corrected: Any
    values: np.ndarray
    block_length: int
    n: int
    details: FrozenMapping = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        if not isinstance(self.details, FrozenMapping):
            object.__setattr__(self, "details", FrozenMapping(self.details))

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar fields as a plain dict (the leave-one-out values left out)."""

        def py(v: Any) -> Any:
            return v.item() if isinstance(v, np.generic) else v

        return {
            "estimate": py(self.estimate),
            "bias": py(self.bias),
            "std_error": py(self.std_error),
            "bias_corrected": py(self.bias_corrected),
            "block_length": self.block_length,
            "n": self.n,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy DataFrame: one row, or one per component of a vector statistic."""
        d = self.to_dict()
        if np.ndim(self.estimate) == 0:
            return pd.DataFrame([d])
        shape = np.shape(self.estimate)
        return pd.DataFrame(
            {k: np.ravel(np.broadcast_to(np.asarray(v, dtype=object), shape)) for k, v in d.items()}
        )

    def __repr__(self) -> str:
        kind = "jackknife" if self.block_length == 1 else f"block jackknife (L={self.block_length})"
        if np.ndim(self.estimate) == 0:
            return (
                f"JackknifeResult({kind}: estimate {self.estimate:.4g}, bias {self.bias:.4g}, "
                f"SE {self.std_error:.4g}, n={self.n})"
            )
        return f"JackknifeResult({kind}: {np.shape(self.estimate)} estimates, n={self.n})"

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def jackknife(
    data: Sequence[Any],
    statistic: Callable[..., Any],
    *,
    block_length: int | None = None,
    vectorized: bool | None = None,
    nan_policy: Literal["raise", "omit"] = "raise",
    progress: bool | None = None,
) -> JackknifeResult:
    r"""Jackknife bias and standard error of a statistic (delete-one or delete-a-block).

    Parameters
    ----------
    data : sequence of array_like, or pandas.DataFrame
        The samples, as in :func:`scipy.stats.bootstrap`: ``(x,)`` for one sample. Several
        samples must have the same length; observation ``i`` is deleted from all of them
        together (paired data, e.g. ``(x, y)`` for a correlation). A sample may be
        two-dimensional, ``(n, k)`` (an array or a DataFrame; a bare DataFrame is one
        sample): row ``i`` is deleted.
    statistic : callable
        ``statistic(*samples)`` returning a number or an array. If it accepts ``axis`` it is
        called on batches of leave-one-out samples along ``axis=-1`` (the layout of
        :func:`bootstrap`: ``(b, n - L)`` for a vector, ``(k, b, n - L)`` for a 2-D sample);
        otherwise once per deletion, on the data's own shapes (``(n - L, k)``, or a
        DataFrame with the same columns).
    block_length : int, optional
        Delete ``block_length`` consecutive observations at a time (Künsch's block jackknife
        for time series). Default 1.
    vectorized : bool, optional
        Whether ``statistic`` takes ``axis``; by default decided from its signature.
    nan_policy : {'raise', 'omit'}, default 'raise'
        ``'omit'`` drops observations with NaN in any sample.
    progress : bool, optional
        Show a progress bar on standard error, advancing per batch of deletions: None
        (default) only when the run is long and watched from a terminal or notebook (never
        under pytest or when piped), True always, False never.

    Returns
    -------
    JackknifeResult
        ``estimate``, ``bias``, ``std_error``, ``bias_corrected`` and the leave-one-out
        ``values``.

    Raises
    ------
    ValueError
        If a sample has fewer than 2 observations or NaN/inf, the samples differ in length,
        ``block_length`` leaves fewer than 2 blocks, or ``statistic`` returns NaN or a wrong
        shape.
    TypeError
        If ``statistic`` is not callable, ``data`` is not a sequence of samples, or
        ``progress`` is not None, True or False.

    Notes
    -----
    With :math:`m = \lfloor n/L \rfloor` non-overlapping blocks of :math:`L` observations
    (:math:`L = 1`: the ordinary jackknife) and :math:`\hat\theta_{(i)}` the statistic without
    block :math:`i`,

    .. math::

        \widehat{\text{bias}} = (m-1)(\bar\theta_{(\cdot)} - \hat\theta), \qquad
        \widehat{se} = \Big(\frac{m-1}{m}\sum_i (\hat\theta_{(i)} - \bar\theta_{(\cdot)})^2
        \Big)^{1/2}.

    When ``n`` is not a multiple of ``L`` the last ``n - mL`` observations are never deleted.
    For ``np.mean``, ``np.sum``, ``np.var`` and ``np.std`` (recognised by identity) the
    leave-one-out values are computed in O(n) from running sums instead of O(n^2).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 11.
    Chapman & Hall.

    Künsch, H. R. (1989). The jackknife and the bootstrap for general stationary
    observations. *Annals of Statistics* 17(3), 1217-1241.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> lsat = [576, 635, 558, 578, 666, 580, 555, 661, 651, 605, 653, 575, 545, 572, 594]
    >>> gpa = [3.39, 3.30, 2.81, 3.03, 3.44, 3.07, 3.00, 3.43, 3.36, 3.13, 3.12, 2.74,
    ...        2.76, 2.88, 2.96]
    >>> def corr(x, y):
    ...     return np.corrcoef(x, y)[0, 1]
    >>> res = sc.resampling.jackknife((lsat, gpa), corr)
    >>> round(res.estimate, 3), round(res.std_error, 3)
    (0.776, 0.143)
    """
    progress = check_progress(progress)
    samples, forms = check_samples(data, min_size=2, nan_policy=nan_policy, paired=True)
    if len(samples) > 1:
        check_same_rows(samples)
    n = n_rows(samples[0])
    length = 1 if block_length is None else check_int(block_length, "block_length", min_value=1)
    if n // length < 2:
        raise ValueError(
            f"`block_length` ({length}) must leave at least 2 blocks of the {n} observations"
        )
    stat, theta = make_statistic(statistic, samples, vectorized, forms=forms)
    kind = moment_kind(statistic, samples)
    with Progress(0 if kind else n // length, "jackknife", progress) as bar:
        values = loo_values(
            samples, stat, kind, which=None, block_length=length, advance=bar.advance
        )
    m = values.shape[-1]
    mean = values.mean(axis=-1)
    bias = (m - 1) * (mean - theta)
    se = np.sqrt((m - 1) / m * np.sum((values - mean[..., None]) ** 2, axis=-1))

    def out(v: np.ndarray) -> Any:
        return float(v) if np.ndim(v) == 0 else v

    return JackknifeResult(
        estimate=out(theta),
        bias=out(bias),
        std_error=out(se),
        bias_corrected=out(theta - bias),
        values=values,
        block_length=length,
        n=n,
        details=FrozenMapping({"n_deletions": m, "moment_path": kind is not None}),
    )


def loo_values(
    samples: Sequence[np.ndarray],
    stat: Statistic,
    kind: str | None,
    *,
    which: int | None,
    block_length: int = 1,
    rows: np.ndarray | None = None,
    advance: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Statistic with deletion ``i`` (a block of ``block_length``) for each ``i`` in ``rows``.

    ``which`` is the sample to delete from (others are kept whole), or None to delete the same
    positions from every sample (paired). Returns shape ``(*stat.shape, len(rows))``.
    ``samples`` are in the resampling layout (observations last; ``(k, n)`` for 2-D samples).
    ``advance(k)`` is called after each batch of ``k`` deletions (not on the moment path).
    """
    ref = samples[0 if which is None else which]
    n = n_rows(ref)
    length = block_length
    m = n // length
    rows = np.arange(m) if rows is None else np.asarray(rows, dtype=np.int64)
    if kind is not None:
        x = samples[0]
        c = float(x.mean())
        xc = x - c
        b1 = xc[: m * length].reshape(m, length).sum(axis=1)[rows]
        b2 = (xc[: m * length] ** 2).reshape(m, length).sum(axis=1)[rows]
        s1 = float(xc.sum()) - b1
        s2 = float((xc**2).sum()) - b2
        return np.asarray(moments_to_statistic(kind, s1, s2, n - length, c), dtype=float)
    keep_len = n - length
    width = max(s.size // n_rows(s) for s in samples)  # values per observation (columns)
    per = max(1, _MAX_ELEMENTS // max(keep_len * width, 1))
    out = []
    base = np.arange(keep_len)
    for lo in range(0, rows.size, per):
        r = rows[lo : lo + per]
        keep = base + length * (base >= (r * length)[:, None])
        arrays = []
        for j, s in enumerate(samples):
            if which is None or j == which:
                arrays.append(take_rows(s, keep))
            else:
                arrays.append(repeat_rows(s, r.size))
        out.append(stat(arrays))
        if advance is not None:
            advance(r.size)
    return np.concatenate(out, axis=-1)
