"""Cross-validation splitters for independent data and for time series.

Every splitter follows scikit-learn's protocol, so it plugs into scikit-learn as well as into
:func:`statcraft.evaluation.cross_validate` (which equally accepts any scikit-learn splitter):

- ``split(X, y=None, groups=None)`` yields ``(train_idx, test_idx)`` pairs of sorted ``numpy``
  integer position arrays;
- ``get_n_splits(X=None, y=None, groups=None)`` gives the number of splits;
- ``layout(n_samples)`` gives the role of every observation in every split (``'train'``,
  ``'test'``, ``'purged'``, ``'embargoed'``, ``'gap'`` or ``'unused'``), and
  ``plot(n_samples)`` draws it with matplotlib.

=================================  ============================================================
splitter                           use
=================================  ============================================================
:class:`KFold`                     independent observations (optionally shuffled)
:class:`WalkForward`               time series: expanding or rolling training window, test
                                   always later
:class:`PurgedKFold`               time series with labels spanning several observations
                                   (López de Prado 2018, ch. 7): purging and an embargo after
                                   each test block
:class:`CombinatorialPurgedKFold`  purged CV over all ``C(N, k)`` choices of test groups,
                                   which recombine into ``C(N-1, k-1)`` complete backtest
                                   paths (ch. 12)
=================================  ============================================================

scikit-learn's ``KFold``, ``StratifiedKFold``, ``GroupKFold`` and ``TimeSeriesSplit`` work as they
are; statcraft adds the splitters scikit-learn declined (its issue #22229).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np

from statcraft._random import as_generator
from statcraft._validation import check_bool, check_choice, check_int
from statcraft.evaluation._protocol import n_rows

__all__ = ["CombinatorialPurgedKFold", "KFold", "PurgedKFold", "WalkForward"]

_ROLES = ("unused", "train", "test", "purged", "embargoed", "gap")
_COLORS = {
    "unused": "#f0f0f0",
    "train": "#4c72b0",
    "test": "#dd8452",
    "purged": "#c44e52",
    "embargoed": "#8c8c8c",
    "gap": "#ccb974",
}

_Roles = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _num_samples(X: Any) -> int:
    """Return the number of rows of ``X`` (anything with ``shape`` or ``len``)."""
    if X is None:
        raise ValueError("`X` is needed to know the number of samples; got None")
    return n_rows(X, "X")


def _fold_bounds(n: int, k: int) -> list[tuple[int, int]]:
    """Contiguous fold ``[start, stop)`` bounds: the first ``n % k`` folds get one extra sample.

    These are scikit-learn's ``KFold`` sizes.
    """
    sizes = np.full(k, n // k, dtype=int)
    sizes[: n % k] += 1
    stops = np.cumsum(sizes)
    starts = stops - sizes
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


_EMPTY = np.empty(0, dtype=np.intp)


class _Splitter:
    """Shared machinery: ``split``, ``layout`` and ``plot`` from one ``_roles`` generator."""

    def _roles(self, n: int) -> Iterator[_Roles]:  # pragma: no cover - abstract
        """Yield ``(train, test, purged, embargoed, gap)`` position arrays per split."""
        raise NotImplementedError

    def _n_splits(self, n: int | None) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_idx, test_idx)`` position arrays, one pair per split.

        Parameters
        ----------
        X : array_like
            The data; only its number of rows is used.
        y, groups : ignored
            Accepted for compatibility with scikit-learn's splitter protocol.

        Yields
        ------
        train_idx, test_idx : numpy.ndarray
            Sorted integer positions of the training and test observations.
        """
        n = _num_samples(X)
        for train, test, *_ in self._roles(n):
            yield train, test

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Return the number of splits (some splitters need ``X`` to know it)."""
        return self._n_splits(None if X is None else _num_samples(X))

    def layout(self, n_samples: int) -> np.ndarray:
        """Role of each observation in each split.

        Parameters
        ----------
        n_samples : int
            Number of observations.

        Returns
        -------
        numpy.ndarray
            Strings of shape ``(n_splits, n_samples)``: ``'train'``, ``'test'``, ``'purged'``,
            ``'embargoed'``, ``'gap'`` (walk-forward gap) or ``'unused'``.
        """
        n = check_int(n_samples, "n_samples", min_value=1)
        rows = []
        for train, test, purged, embargoed, gap in self._roles(n):
            row = np.full(n, "unused", dtype="<U9")
            row[train] = "train"
            row[test] = "test"
            row[purged] = "purged"
            row[embargoed] = "embargoed"
            row[gap] = "gap"
            rows.append(row)
        return np.array(rows)

    def plot(self, n_samples: int, ax: Any = None) -> Any:
        """Draw the train/test/purged/embargoed layout of every split.

        Parameters
        ----------
        n_samples : int
            Number of observations to lay out.
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made if None.

        Returns
        -------
        matplotlib.axes.Axes
            One row per split, observations along the x axis.
        """
        import matplotlib.pyplot as plt
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Patch

        lay = self.layout(n_samples)
        codes = np.zeros(lay.shape, dtype=int)
        for i, role in enumerate(_ROLES):
            codes[lay == role] = i
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 0.35 * lay.shape[0] + 1.2))
        cmap = ListedColormap([_COLORS[r] for r in _ROLES])
        ax.imshow(
            codes,
            aspect="auto",
            interpolation="nearest",
            cmap=cmap,
            vmin=-0.5,
            vmax=len(_ROLES) - 0.5,
        )
        ax.set_xlabel("observation (time position)")
        ax.set_ylabel("split")
        ax.set_yticks(range(lay.shape[0]))
        ax.set_title(type(self).__name__)
        present = [r for r in _ROLES if (lay == r).any()]
        ax.legend(
            handles=[Patch(color=_COLORS[r], label=r) for r in present],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.15 - 0.02 * lay.shape[0] ** 0.5),
            ncol=len(present),
            frameon=False,
        )
        return ax


class KFold(_Splitter):
    """K-fold cross-validation for independent observations.

    Parameters
    ----------
    n_splits : int
        Number of folds, at least 2.
    shuffle : bool
        Shuffle the observations before cutting them into contiguous folds. Never shuffle
        autocorrelated data: neighbours then sit on both sides of the split and the score is
        optimistic (see the leakage example in the evaluation guide).
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Randomness of the shuffle; an int seed gives the same folds at every ``split`` call.

    Notes
    -----
    Fold sizes are scikit-learn's: ``n // n_splits``, the first ``n % n_splits`` folds one
    larger. Without shuffling the splits equal ``sklearn.model_selection.KFold``'s.

    Examples
    --------
    >>> import statcraft as sc
    >>> for train, test in sc.evaluation.KFold(3).split(list(range(7))):
    ...     print(train, test)
    [3 4 5 6] [0 1 2]
    [0 1 2 5 6] [3 4]
    [0 1 2 3 4] [5 6]
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, rng: Any = None) -> None:
        self.n_splits = check_int(n_splits, "n_splits", min_value=2)
        self.shuffle = check_bool(shuffle, "shuffle")
        if rng is not None:
            as_generator(rng)  # validate now
        self.rng = rng

    def __repr__(self) -> str:
        return f"KFold(n_splits={self.n_splits}, shuffle={self.shuffle})"

    def _n_splits(self, n: int | None) -> int:
        return self.n_splits

    def _roles(self, n: int) -> Iterator[_Roles]:
        if self.n_splits > n:
            raise ValueError(
                f"`n_splits` ({self.n_splits}) cannot exceed the number of samples ({n})"
            )
        order = as_generator(self.rng).permutation(n) if self.shuffle else np.arange(n)
        for a, b in _fold_bounds(n, self.n_splits):
            test = np.sort(order[a:b])
            mask = np.ones(n, dtype=bool)
            mask[test] = False
            yield np.flatnonzero(mask), test, _EMPTY, _EMPTY, _EMPTY


class WalkForward(_Splitter):
    """Walk-forward (rolling-origin) splits: train on the past, test on what follows.

    Parameters
    ----------
    train_size : int, optional
        Length of the first training window (expanding) or of every training window (rolling).
        Default: ``test_size`` for expanding windows; required for rolling windows.
    test_size : int
        Length of each test window.
    step : int, optional
        How far the origin moves between splits; default ``test_size`` (adjacent,
        non-overlapping test windows). ``step < test_size`` gives overlapping test windows
        (e.g. ``test_size=h, step=1`` for h-step-ahead backtests).
    expanding : bool
        True: the training window grows from observation 0. False: it rolls, keeping the
        last ``train_size`` observations.
    gap : int
        Observations left out between the end of training and the start of the test window
        (forecast lead time, or labels that look ahead ``gap`` steps).
    max_train_size : int, optional
        Cap on the length of an expanding window (its oldest observations are dropped).
    align : {'end', 'start'}
        When the steps do not divide the data evenly, ``'end'`` (default) shifts every split
        forward so that the last test window ends at the last observation -- for a backtest the
        newest data matter most, and scikit-learn's ``TimeSeriesSplit`` does the same; the
        first training window grows by the remainder (expanding) or the oldest remainder
        observations are not used (rolling). ``'start'`` keeps the first training window at
        ``train_size`` and leaves the remainder at the end untested.

    Notes
    -----
    With ``n`` observations and ``r = (n - train_size - gap - test_size) mod step`` (0 when
    ``align='start'``), split ``j = 0, 1, ...`` tests positions ``[s_j, s_j + test_size)`` with
    ``s_j = train_size + r + gap + j·step`` and trains on
    ``[max(0, s_j - gap - w_j), s_j - gap)``, where ``w_j = s_j - gap`` (expanding, capped by
    ``max_train_size``) or ``train_size`` (rolling). Splits continue while the test window fits
    in the data. Every training position precedes every test position of its split.

    scikit-learn's ``TimeSeriesSplit(n_splits=k, test_size=t, gap=g, max_train_size=m)`` on
    ``n`` samples is ``WalkForward(train_size=n - k·t - g, test_size=t, gap=g,
    max_train_size=m)``; ``TimeSeriesSplit`` fixes the number of splits, while
    ``WalkForward`` fixes the first window's length and the step, so the same splitter object
    serves a series as it grows.

    Raises
    ------
    ValueError
        If a size is not a positive whole number, ``gap`` is negative, a rolling window has
        no ``train_size`` or has ``max_train_size``, or (at ``split``) the first training and
        test windows do not fit in the data.

    Examples
    --------
    >>> import statcraft as sc
    >>> wf = sc.evaluation.WalkForward(train_size=4, test_size=2)
    >>> for train, test in wf.split(list(range(9))):
    ...     print(train, test)
    [0 1 2 3 4] [5 6]
    [0 1 2 3 4 5 6] [7 8]
    >>> wf = sc.evaluation.WalkForward(train_size=4, test_size=2, align="start")
    >>> [te.tolist() for _, te in wf.split(list(range(9)))]
    [[4, 5], [6, 7]]
    >>> wf = sc.evaluation.WalkForward(train_size=3, test_size=1, step=2, expanding=False)
    >>> [(tr.tolist(), te.tolist()) for tr, te in wf.split(list(range(7)))]
    [([1, 2, 3], [4]), ([3, 4, 5], [6])]
    """

    def __init__(
        self,
        *,
        train_size: int | None = None,
        test_size: int,
        step: int | None = None,
        expanding: bool = True,
        gap: int = 0,
        max_train_size: int | None = None,
        align: Literal["end", "start"] = "end",
    ) -> None:
        self.test_size = check_int(test_size, "test_size", min_value=1)
        self.align = check_choice(align, "align", ("end", "start"))
        self.expanding = check_bool(expanding, "expanding")
        if train_size is None:
            if not self.expanding:
                raise ValueError("`train_size` is required for rolling windows (expanding=False)")
            self.train_size = self.test_size
        else:
            self.train_size = check_int(train_size, "train_size", min_value=1)
        self.step = self.test_size if step is None else check_int(step, "step", min_value=1)
        self.gap = check_int(gap, "gap", min_value=0)
        if max_train_size is not None:
            if not self.expanding:
                raise ValueError(
                    "`max_train_size` caps expanding windows; a rolling window already has "
                    "length `train_size`"
                )
            max_train_size = check_int(max_train_size, "max_train_size", min_value=1)
        self.max_train_size = max_train_size

    def __repr__(self) -> str:
        return (
            f"WalkForward(train_size={self.train_size}, test_size={self.test_size}, "
            f"step={self.step}, expanding={self.expanding}, gap={self.gap}, "
            f"max_train_size={self.max_train_size}, align={self.align!r})"
        )

    def _n_splits(self, n: int | None) -> int:
        if n is None:
            raise ValueError("WalkForward needs `X` to count its splits: get_n_splits(X)")
        need = self.train_size + self.gap + self.test_size
        if need > n:
            raise ValueError(
                f"`train_size` ({self.train_size}) + `gap` ({self.gap}) + `test_size` "
                f"({self.test_size}) = {need} exceeds the number of samples ({n})"
            )
        return (n - need) // self.step + 1

    def _roles(self, n: int) -> Iterator[_Roles]:
        k = self._n_splits(n)
        need = self.train_size + self.gap + self.test_size
        shift = (n - need) % self.step if self.align == "end" else 0
        for j in range(k):
            start = self.train_size + shift + self.gap + j * self.step
            end = start - self.gap
            if self.expanding:
                width = end if self.max_train_size is None else min(end, self.max_train_size)
            else:
                width = self.train_size
            train = np.arange(end - width, end)
            test = np.arange(start, start + self.test_size)
            yield train, test, _EMPTY, _EMPTY, np.arange(end, start)


def _check_label_end(label_end: Any) -> np.ndarray:
    if isinstance(label_end, (str, bytes)):
        raise TypeError("`label_end` must be an array of integer positions; got a string")
    arr = np.asarray(label_end)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`label_end` must be a non-empty 1-D array; got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(
                "`label_end` must hold whole-number positions (no NaN, inf, fractions)"
            )
        arr = arr.astype(np.intp)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.intp)
    else:
        raise TypeError(
            f"`label_end` must be an array of integer positions; got dtype {arr.dtype} (convert "
            "label end times with index.searchsorted(t1, side='right') - 1)"
        )
    pos = np.arange(arr.size)
    bad = np.flatnonzero(arr < pos)
    if bad.size:
        raise ValueError(
            f"`label_end[i]` must be >= i (a label cannot end before its observation); "
            f"violated at position {int(bad[0])} (label_end = {int(arr[bad[0]])})"
        )
    if arr.max() >= arr.size:
        raise ValueError(
            f"`label_end` must be < the number of samples ({arr.size}); got {int(arr.max())}"
        )
    return arr


class _Purged(_Splitter):
    """Purging and embargo around contiguous test blocks."""

    label_end: np.ndarray
    embargo: int

    def _check_n(self, n: int, n_blocks: int, what: str) -> list[tuple[int, int]]:
        m = self.label_end.size
        if n != m:
            raise ValueError(f"`X` has {n} samples but `label_end` has {m}")
        if n_blocks > n:
            raise ValueError(f"{what} ({n_blocks}) cannot exceed the number of samples ({n})")
        bounds = _fold_bounds(n, n_blocks)
        smallest = min(b - a for a, b in bounds)
        if self.embargo >= smallest:
            raise ValueError(
                f"`embargo` ({self.embargo}) must be smaller than the smallest group "
                f"({smallest} observations)"
            )
        return bounds

    def _purge(self, n: int, blocks: list[tuple[int, int]]) -> _Roles:
        """Train/test/purged/embargoed positions for test blocks ``[a, b)`` (merged if adjacent)."""
        test_mask = np.zeros(n, dtype=bool)
        purged = np.zeros(n, dtype=bool)
        embargoed = np.zeros(n, dtype=bool)
        pos = np.arange(n)
        merged: list[list[int]] = []
        for a, b in sorted(blocks):
            if merged and merged[-1][1] == a:
                merged[-1][1] = b
            else:
                merged.append([a, b])
        for a, b in merged:
            test_mask[a:b] = True
            e = int(self.label_end[a:b].max())
            purged |= (self.label_end >= a) & (pos <= e)
            embargoed |= (pos > e) & (pos <= e + self.embargo)
        purged &= ~test_mask
        embargoed &= ~(test_mask | purged)
        train = ~(test_mask | purged | embargoed)
        return (
            np.flatnonzero(train),
            np.flatnonzero(test_mask),
            np.flatnonzero(purged),
            np.flatnonzero(embargoed),
            _EMPTY,
        )


class PurgedKFold(_Purged):
    """K-fold cross-validation with purging and an embargo, for overlapping time-series labels.

    Parameters
    ----------
    n_splits : int
        Number of contiguous test blocks (folds), at least 2. Observations are never shuffled.
    label_end : array_like of int
        ``label_end[i]`` is the position of the last observation that observation ``i``'s label
        depends on (``label_end[i] = i`` for a label known at ``i``; ``i + h`` for an h-step
        forward return). From label end *times* ``t1`` on a sorted time index use
        ``label_end = index.searchsorted(t1, side="right") - 1``.
    embargo : int
        Number of observations after each test block's label span that are dropped from training
        (serial correlation of features; López de Prado suggests about ``0.01 n``).

    Notes
    -----
    For a test block ``[a, b)`` with label span ``[a, e]``, ``e = max(label_end[a:b])``:

    - **purged**: training candidates ``i`` whose label interval ``[i, label_end[i]]`` meets the
      test span, i.e. ``label_end[i] >= a`` and ``i <= e``;
    - **embargoed**: the next ``embargo`` observations, ``e < i <= e + embargo``.

    This is López de Prado's (2018, ch. 7) ``PurgedKFold`` with one difference: his code keeps
    the observation at position ``e`` (training resumes at ``e + embargo``), although its
    features are observed at the end of the test label; here it is purged, so with
    ``label_end[i] = i`` and ``embargo=0`` the splits equal plain (unshuffled) K-fold.

    Raises
    ------
    ValueError
        If ``label_end`` is not a valid position array (``i <= label_end[i] < n``), has another
        length than ``X``, or ``embargo`` is not smaller than the smallest fold.

    References
    ----------
    López de Prado, M. (2018). *Advances in Financial Machine Learning*, ch. 7. Wiley.

    Examples
    --------
    >>> import statcraft as sc
    >>> label_end = [min(i + 1, 9) for i in range(10)]      # each label looks 1 step ahead
    >>> cv = sc.evaluation.PurgedKFold(3, label_end=label_end, embargo=1)
    >>> print(" ".join(cv.layout(10)[1]))
    train train train purged test test test purged embargoed train
    """

    def __init__(self, n_splits: int, *, label_end: Any, embargo: int = 0) -> None:
        self.n_splits = check_int(n_splits, "n_splits", min_value=2)
        self.label_end = _check_label_end(label_end)
        self.embargo = check_int(embargo, "embargo", min_value=0)

    def __repr__(self) -> str:
        return (
            f"PurgedKFold(n_splits={self.n_splits}, n_samples={self.label_end.size}, "
            f"embargo={self.embargo})"
        )

    def _n_splits(self, n: int | None) -> int:
        return self.n_splits

    def _roles(self, n: int) -> Iterator[_Roles]:
        bounds = self._check_n(n, self.n_splits, "`n_splits`")
        for block in bounds:
            yield self._purge(n, [block])


class CombinatorialPurgedKFold(_Purged):
    """Combinatorial purged cross-validation (CPCV) with backtest paths.

    The observations are cut into ``n_groups`` contiguous groups; every one of the
    ``C(n_groups, n_test_groups)`` choices of ``n_test_groups`` groups is a test set, with the
    remaining groups (purged and embargoed around each test block) for training.

    Parameters
    ----------
    n_groups : int
        Number of contiguous groups ``N``, at least 2.
    n_test_groups : int
        Number of test groups per split ``k``, ``1 <= k < N``.
    label_end : array_like of int
        As in :class:`PurgedKFold`.
    embargo : int
        As in :class:`PurgedKFold`; applied after each contiguous run of test groups.

    Notes
    -----
    Splits are the combinations in lexicographic order (``itertools.combinations``). Each group
    is tested in ``C(N-1, k-1)`` splits, so the out-of-sample predictions combine into
    ``φ = k/N · C(N, k) = C(N-1, k-1)`` complete backtest paths (López de Prado 2018, §12.4):
    path ``p`` takes group ``g``'s predictions from the ``p``-th split (in order) that tests
    ``g`` (see :meth:`backtest_paths`; :meth:`path_predictions` reassembles the predictions of
    :func:`~statcraft.evaluation.cross_validate` into paths). Purging and embargo are as in
    :class:`PurgedKFold`, applied to every contiguous run of test groups.

    References
    ----------
    López de Prado, M. (2018). *Advances in Financial Machine Learning*, ch. 12. Wiley.

    Examples
    --------
    >>> import statcraft as sc
    >>> cv = sc.evaluation.CombinatorialPurgedKFold(6, 2, label_end=list(range(30)))
    >>> cv.get_n_splits(), cv.n_paths
    (15, 5)
    >>> cv.backtest_paths()[0]
    array([0, 0, 1, 2, 3, 4])
    """

    def __init__(
        self, n_groups: int, n_test_groups: int, *, label_end: Any, embargo: int = 0
    ) -> None:
        self.n_groups = check_int(n_groups, "n_groups", min_value=2)
        self.n_test_groups = check_int(
            n_test_groups, "n_test_groups", min_value=1, max_value=self.n_groups - 1
        )
        self.label_end = _check_label_end(label_end)
        self.embargo = check_int(embargo, "embargo", min_value=0)

    def __repr__(self) -> str:
        return (
            f"CombinatorialPurgedKFold(n_groups={self.n_groups}, "
            f"n_test_groups={self.n_test_groups}, n_samples={self.label_end.size}, "
            f"embargo={self.embargo})"
        )

    @property
    def test_groups(self) -> list[tuple[int, ...]]:
        """The test groups of each split, in split order."""
        return list(itertools.combinations(range(self.n_groups), self.n_test_groups))

    @property
    def n_paths(self) -> int:
        """Number of backtest paths, ``C(N-1, k-1)``."""
        return math.comb(self.n_groups - 1, self.n_test_groups - 1)

    def _n_splits(self, n: int | None) -> int:
        return math.comb(self.n_groups, self.n_test_groups)

    def group_bounds(self, n_samples: int) -> list[tuple[int, int]]:
        """Return the ``[start, stop)`` positions of each group for ``n_samples`` observations."""
        n = check_int(n_samples, "n_samples", min_value=1)
        return self._check_n(n, self.n_groups, "`n_groups`")

    def backtest_paths(self) -> np.ndarray:
        """Return which split supplies each group's predictions on each backtest path.

        Returns
        -------
        numpy.ndarray
            Integers of shape ``(n_paths, n_groups)``: entry ``[p, g]`` is the index of the split
            whose test predictions for group ``g`` belong to path ``p``. Every (split, test
            group) pair appears exactly once.
        """
        paths = np.empty((self.n_paths, self.n_groups), dtype=np.intp)
        seen = np.zeros(self.n_groups, dtype=np.intp)
        for s, groups in enumerate(self.test_groups):
            for g in groups:
                paths[seen[g], g] = s
                seen[g] += 1
        return paths

    def path_predictions(self, predictions: Any) -> Any:
        """Reassemble out-of-sample predictions into the backtest paths.

        Parameters
        ----------
        predictions : pandas.DataFrame
            One row per (split, test observation) with columns ``fold`` (the split index) and
            ``position`` — the ``predictions`` of
            ``cross_validate(..., cv=self, return_predictions=True)``.

        Returns
        -------
        pandas.DataFrame
            The same columns plus ``path`` and ``group``, sorted by path and position: each
            path holds exactly one prediction for every observation.

        Raises
        ------
        ValueError
            If a column is missing or a (split, group) block of predictions is absent.
        """
        import pandas as pd

        if not isinstance(predictions, pd.DataFrame) or not {"fold", "position"} <= set(
            predictions.columns
        ):
            raise ValueError(
                "`predictions` must be a DataFrame with columns 'fold' and 'position' "
                "(cross_validate(..., return_predictions=True).predictions)"
            )
        n = self.label_end.size
        bounds = self.group_bounds(n)
        group_of = np.repeat(np.arange(self.n_groups), [b - a for a, b in bounds])
        pos = predictions["position"].to_numpy()
        if pos.min() < 0 or pos.max() >= n:
            raise ValueError(f"`predictions` has positions outside 0..{n - 1}")
        frame = predictions.assign(group=group_of[pos])
        parts = []
        for p, row in enumerate(self.backtest_paths()):
            for g, split in enumerate(row):
                block = frame[(frame["fold"] == split) & (frame["group"] == g)]
                a, b = bounds[g]
                if len(block) != b - a:
                    raise ValueError(
                        f"`predictions` lacks split {int(split)}'s predictions for group {g} "
                        f"({len(block)} of {b - a} rows)"
                    )
                parts.append(block.assign(path=p))
        out = pd.concat(parts, ignore_index=True)
        cols = ["path", "group", *[c for c in out.columns if c not in ("path", "group")]]
        return out[cols].sort_values(["path", "position"], ignore_index=True)

    def _roles(self, n: int) -> Iterator[_Roles]:
        bounds = self._check_n(n, self.n_groups, "`n_groups`")
        for groups in self.test_groups:
            yield self._purge(n, [bounds[g] for g in groups])
