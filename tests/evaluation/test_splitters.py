"""Splitters: property tests (hypothesis), scikit-learn as oracle, López de Prado's path counts."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold as SkKFold
from sklearn.model_selection import TimeSeriesSplit

import statcraft as sc
from statcraft.evaluation import CombinatorialPurgedKFold, KFold, PurgedKFold, WalkForward

SETTINGS = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------- helpers (oracle)
def _label_intervals_meet(i, j, label_end):
    """Brute force: do [i, label_end[i]] and [j, label_end[j]] share an observation?"""
    return max(i, j) <= min(label_end[i], label_end[j])


def _check_purged_split(train, test, label_end, embargo, n):
    """Independent check of one purged split, by pairwise enumeration."""
    train_set, test_set = set(train.tolist()), set(test.tolist())
    assert not train_set & test_set
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)
    # the ends of the test label spans of each contiguous run of test observations
    runs = np.split(test, np.flatnonzero(np.diff(test) > 1) + 1)
    span_ends = [max(label_end[j] for j in run) for run in runs]
    for i in range(n):
        if i in test_set:
            continue
        overlaps = any(_label_intervals_meet(i, j, label_end) for j in test_set)
        in_embargo = any(e < i <= e + embargo for e in span_ends)
        # purged/embargoed observations really are excluded, and nothing else is
        assert (i in train_set) == (not overlaps and not in_embargo), i


@st.composite
def purged_case(draw, combinatorial=False):
    n_groups = draw(st.integers(2, 7))
    n = draw(st.integers(n_groups * 2, 60))
    horizon = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    label_end = np.minimum(np.arange(n) + np.array(horizon), n - 1)
    smallest = n // n_groups
    embargo = draw(st.integers(0, smallest - 1))
    k = draw(st.integers(1, n_groups - 1)) if combinatorial else None
    return n, n_groups, k, label_end, embargo


# --------------------------------------------------------------------------- KFold
@SETTINGS
@given(n=st.integers(2, 80), k=st.integers(2, 10))
def test_kfold_matches_sklearn(n, k):
    if k > n:
        with pytest.raises(ValueError, match="cannot exceed the number of samples"):
            list(KFold(k).split(np.zeros(n)))
        return
    ours = list(KFold(k).split(np.zeros(n)))
    theirs = list(SkKFold(k).split(np.zeros(n)))
    assert len(ours) == len(theirs) == k
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@SETTINGS
@given(n=st.integers(4, 80), k=st.integers(2, 4), seed=st.integers(0, 10_000))
def test_kfold_shuffled_partitions(n, k, seed):
    tests = []
    for train, test in KFold(k, shuffle=True, rng=seed).split(np.zeros(n)):
        assert not set(train) & set(test)
        assert len(train) + len(test) == n
        tests.append(test)
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(n))


# --------------------------------------------------------------------------- WalkForward
@SETTINGS
@given(
    n=st.integers(5, 120),
    k=st.integers(2, 8),
    t=st.integers(1, 10),
    gap=st.integers(0, 5),
    max_train=st.one_of(st.none(), st.integers(1, 30)),
)
def test_walkforward_equals_timeseriessplit(n, k, t, gap, max_train):
    train_size = n - k * t - gap
    if train_size < 1:
        return
    tss = TimeSeriesSplit(n_splits=k, test_size=t, gap=gap, max_train_size=max_train)
    wf = WalkForward(train_size=train_size, test_size=t, gap=gap, max_train_size=max_train)
    ours = list(wf.split(np.zeros(n)))
    theirs = list(tss.split(np.zeros(n)))
    assert wf.get_n_splits(np.zeros(n)) == len(theirs) == k
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@SETTINGS
@given(
    n=st.integers(3, 120),
    train_size=st.integers(1, 40),
    test_size=st.integers(1, 10),
    step=st.one_of(st.none(), st.integers(1, 10)),
    expanding=st.booleans(),
    gap=st.integers(0, 5),
    align=st.sampled_from(["end", "start"]),
)
def test_walkforward_never_trains_on_the_future(
    n, train_size, test_size, step, expanding, gap, align
):
    wf = WalkForward(
        train_size=train_size,
        test_size=test_size,
        step=step,
        expanding=expanding,
        gap=gap,
        align=align,
    )
    if train_size + gap + test_size > n:
        with pytest.raises(ValueError, match="exceeds the number of samples"):
            list(wf.split(np.zeros(n)))
        return
    splits = list(wf.split(np.zeros(n)))
    step = test_size if step is None else step
    assert len(splits) == (n - train_size - gap - test_size) // step + 1
    # align='end' (default): the last test window ends at the last observation (issue 11)
    shift = (n - train_size - gap - test_size) % step if align == "end" else 0
    if align == "end":
        assert splits[-1][1].max() == n - 1
    for j, (train, test) in enumerate(splits):
        assert train.max() + gap < test.min()  # all training strictly before the test window
        assert train.max() + gap + 1 == test.min()  # ... and right up to the gap
        assert len(test) == test_size and test.max() < n
        assert test.min() == train_size + shift + gap + j * step
        assert len(train) == (train_size + shift + j * step if expanding else train_size)
        np.testing.assert_array_equal(train, np.arange(train.min(), train.max() + 1))
    lay = wf.layout(n)
    assert (lay == "gap").sum(axis=1).tolist() == [gap] * len(splits)


def test_walkforward_bad_input():
    with pytest.raises(ValueError, match=r"`test_size` \(50\) = 55 exceeds the number of samples"):
        list(WalkForward(train_size=5, test_size=50).split(np.zeros(30)))
    with pytest.raises(ValueError, match="`test_size` must be >= 1"):
        WalkForward(test_size=0)
    with pytest.raises(ValueError, match="`train_size` is required for rolling"):
        WalkForward(test_size=3, expanding=False)
    with pytest.raises(ValueError, match="`align`"):
        WalkForward(test_size=3, align="middle")
    with pytest.raises(ValueError, match="`max_train_size` caps expanding windows"):
        WalkForward(train_size=3, test_size=3, expanding=False, max_train_size=2)
    with pytest.raises(ValueError, match="`gap` must be >= 0"):
        WalkForward(test_size=3, gap=-1)
    with pytest.raises(TypeError, match="`test_size` must be an integer"):
        WalkForward(test_size="3")
    with pytest.raises(ValueError, match="needs `X` to count"):
        WalkForward(test_size=3).get_n_splits()


# --------------------------------------------------------------------------- PurgedKFold
@SETTINGS
@given(purged_case())
def test_purged_kfold_properties(case):
    n, k, _, label_end, embargo = case
    cv = PurgedKFold(k, label_end=label_end, embargo=embargo)
    splits = list(cv.split(np.zeros(n)))
    assert len(splits) == cv.get_n_splits() == k
    for train, test in splits:
        _check_purged_split(train, test, label_end, embargo, n)
    # the test blocks are the contiguous K-fold blocks and cover every observation once
    tests = [t for _, t in splits]
    for t, (_, sk_t) in zip(tests, SkKFold(k).split(np.zeros(n)), strict=True):
        np.testing.assert_array_equal(t, sk_t)


def test_purged_kfold_without_overlap_is_kfold():
    n = 23
    cv = PurgedKFold(4, label_end=np.arange(n))
    for (a, b), (c, d) in zip(cv.split(np.zeros(n)), SkKFold(4).split(np.zeros(n)), strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_purged_kfold_hand_example():
    # 12 observations, labels look 2 steps ahead; fold 2 of 3 tests [4, 8): its label span is
    # [4, 9]; observations 2 and 3 (labels end at 4, 5) and 8, 9 (start inside the span) are
    # purged, and with embargo 2 observations 10 and 11 are embargoed.
    label_end = np.minimum(np.arange(12) + 2, 11)
    lay = PurgedKFold(3, label_end=label_end, embargo=2).layout(12)
    assert lay[1].tolist() == (
        ["train"] * 2 + ["purged"] * 2 + ["test"] * 4 + ["purged"] * 2 + ["embargoed"] * 2
    )


def test_purged_bad_input():
    label_end = np.arange(20)
    with pytest.raises(ValueError, match=r"`embargo` \(5\) must be smaller than the smallest"):
        list(PurgedKFold(4, label_end=label_end, embargo=5).split(np.zeros(20)))
    with pytest.raises(ValueError, match=r"`embargo` \(3\) must be smaller than the smallest"):
        list(CombinatorialPurgedKFold(6, 2, label_end=label_end, embargo=3).split(np.zeros(20)))
    with pytest.raises(ValueError, match="must be >= i"):
        PurgedKFold(3, label_end=[0, 0, 2])
    with pytest.raises(ValueError, match="must be < the number of samples"):
        PurgedKFold(3, label_end=[0, 1, 3])
    with pytest.raises(ValueError, match="whole-number positions"):
        PurgedKFold(3, label_end=[0, 1.5, 2])
    with pytest.raises(TypeError, match="searchsorted"):
        PurgedKFold(3, label_end=np.array(["2020-01-01"] * 3, dtype="datetime64[D]"))
    with pytest.raises(ValueError, match="`X` has 10 samples but `label_end` has 20"):
        list(PurgedKFold(3, label_end=label_end).split(np.zeros(10)))
    with pytest.raises(ValueError, match="`n_test_groups` must be <= 5"):
        CombinatorialPurgedKFold(6, 6, label_end=label_end)


# --------------------------------------------------------------------------- CPCV
@SETTINGS
@given(purged_case(combinatorial=True))
def test_cpcv_properties(case):
    n, n_groups, k, label_end, embargo = case
    cv = CombinatorialPurgedKFold(n_groups, k, label_end=label_end, embargo=embargo)
    splits = list(cv.split(np.zeros(n)))
    assert len(splits) == cv.get_n_splits() == math.comb(n_groups, k)
    bounds = cv.group_bounds(n)
    for (train, test), groups in zip(splits, cv.test_groups, strict=True):
        expected = np.concatenate([np.arange(*bounds[g]) for g in groups])
        np.testing.assert_array_equal(test, expected)
        _check_purged_split(train, test, label_end, embargo, n)
    # López de Prado (2018) eq. 12.4: phi[N, k] = k/N * C(N, k) = C(N-1, k-1) paths
    paths = cv.backtest_paths()
    assert paths.shape == (math.comb(n_groups - 1, k - 1), n_groups)
    assert paths.shape[0] * n_groups == k * math.comb(n_groups, k)
    for p in range(paths.shape[0]):
        for g in range(n_groups):
            assert g in cv.test_groups[paths[p, g]]  # the split really tests that group
    pairs = {(int(paths[p, g]), g) for p in range(paths.shape[0]) for g in range(n_groups)}
    assert len(pairs) == paths.size  # every (split, group) prediction used exactly once


def test_cpcv_published_path_count():
    # López de Prado (2018), Figure 12.1: N = 6 groups, k = 2 test groups -> 15 splits, 5 paths
    cv = CombinatorialPurgedKFold(6, 2, label_end=np.arange(60))
    assert cv.get_n_splits() == 15
    assert cv.n_paths == 5
    # Figure 12.2: path 1 takes G1 and G2 from split 1, G3 from split 2, ..., G6 from split 5
    np.testing.assert_array_equal(cv.backtest_paths()[0], [0, 0, 1, 2, 3, 4])
    np.testing.assert_array_equal(cv.backtest_paths()[4], [4, 8, 11, 13, 14, 14])


# --------------------------------------------------------------------------- plots, protocol
@pytest.mark.parametrize(
    "cv",
    [
        KFold(3),
        WalkForward(train_size=10, test_size=5, gap=2),
        PurgedKFold(4, label_end=np.minimum(np.arange(40) + 3, 39), embargo=2),
        CombinatorialPurgedKFold(5, 2, label_end=np.minimum(np.arange(40) + 3, 39), embargo=2),
    ],
)
def test_plot_draws_every_split(cv):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = cv.plot(40)
    image = ax.get_images()[0].get_array()
    assert image.shape == (cv.get_n_splits(np.zeros(40)), 40)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "train" in labels and "test" in labels
    plt.close("all")


def test_splitters_work_inside_sklearn():
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import cross_val_score

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = X @ [1.0, 2.0] + rng.normal(size=40)
    scores = cross_val_score(LinearRegression(), X, y, cv=WalkForward(train_size=20, test_size=5))
    assert len(scores) == 4


def test_top_level_access():
    assert sc.evaluation.WalkForward is WalkForward


def test_cpcv_path_predictions_cover_every_observation_once():
    from statcraft.evaluation import OLSModel, cross_validate

    rng = np.random.default_rng(1)
    n = 60
    X = rng.normal(size=(n, 1))
    y = X[:, 0] + rng.normal(size=n)
    cv = CombinatorialPurgedKFold(5, 2, label_end=np.minimum(np.arange(n) + 2, n - 1), embargo=1)
    res = cross_validate(OLSModel(), X, y, cv=cv, scoring="squared_error", return_predictions=True)
    paths = cv.path_predictions(res.predictions)
    assert sorted(paths["path"].unique()) == list(range(cv.n_paths))
    for _, path in paths.groupby("path"):
        np.testing.assert_array_equal(path["position"], np.arange(n))
        np.testing.assert_allclose(path["y_true"], y)
    # each path's prediction for group g comes from the split the path table names
    table = cv.backtest_paths()
    first = paths[paths["path"] == 1]
    for g in range(5):
        assert set(first.loc[first["group"] == g, "fold"]) == {table[1, g]}
    with pytest.raises(ValueError, match="lacks split"):
        cv.path_predictions(res.predictions[res.predictions["fold"] != 3])
