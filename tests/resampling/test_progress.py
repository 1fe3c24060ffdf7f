"""Progress bars of the resampling functions: silent in tests, on standard error when asked."""

import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import numpy as np
import pytest

import statcraft._progress as progress_module
from statcraft.resampling import _bootstrap as bootstrap_module
from statcraft.resampling import bootstrap, bootstrap_test, jackknife, permutation_test
from statcraft.resampling import permutation as permutation_module

X = np.random.default_rng(3).standard_normal(120)
Y = np.random.default_rng(4).standard_normal(100) + 0.2


def mean_axis(x, axis=-1):
    return np.mean(x, axis=axis)


def diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _runs(progress):
    """One call of each resampling entry point with a progress bar."""
    return [
        lambda: bootstrap((X,), mean_axis, n_resamples=3000, rng=1, progress=progress),
        lambda: permutation_test((X, Y), diff, n_resamples=3000, rng=1, progress=progress),
        lambda: jackknife((X,), lambda x: np.median(x), progress=progress),
        lambda: bootstrap_test(X, Y, n_resamples=3000, rng=1, progress=progress),
    ]


@pytest.mark.parametrize("which", range(4), ids=["bootstrap", "permutation", "jackknife", "test"])
def test_default_prints_nothing_under_pytest(capfd, monkeypatch, which):
    # even where a terminal is claimed and the run is long (the bar would start after 1 s)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    _runs(None)[which]()
    slow = [0.0]

    def slow_mean(x):
        time.sleep(0.002)
        slow[0] += 1
        return float(np.mean(x))

    bootstrap((X,), slow_mean, n_resamples=600, method="percentile", rng=1)  # about 1.3 s
    assert slow[0] > 500
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


@pytest.mark.parametrize(
    ("which", "text"),
    [(0, "bootstrap (bca)"), (1, "permutation test"), (2, "jackknife"), (3, "bootstrap")],
    ids=["bootstrap", "permutation", "jackknife", "test"],
)
def test_true_draws_a_rich_bar_on_stderr(capsys, monkeypatch, which, text):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws only on a terminal
    _runs(True)[which]()
    out, err = capsys.readouterr()
    assert out == ""  # results printed on stdout are never interleaved with the bar
    assert text in err
    assert "━" in err  # rich's bar


def test_false_prints_nothing(capfd, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    for run in _runs(False):
        run()
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_invalid_progress_is_a_type_error_naming_it(bad):
    for call in (
        lambda: bootstrap((X,), np.mean, progress=bad),
        lambda: permutation_test((X, Y), diff, progress=bad),
        lambda: jackknife((X,), np.mean, progress=bad),
        lambda: bootstrap_test(X, progress=bad),
    ):
        with pytest.raises(TypeError, match="progress must be None, True or False"):
            call()


class _Recorder(progress_module.Progress):
    """A Progress that records its total and each advance."""

    made: ClassVar[list["_Recorder"]] = []

    def __init__(self, total, description, progress, **kw):
        super().__init__(total, description, False, **kw)
        self.steps: list[int] = []
        _Recorder.made.append(self)

    def advance(self, n=1):
        self.steps.append(n)
        super().advance(n)


@pytest.fixture
def recorder(monkeypatch):
    _Recorder.made = []
    monkeypatch.setattr(bootstrap_module, "Progress", _Recorder)
    monkeypatch.setattr(permutation_module, "Progress", _Recorder)
    return _Recorder.made


def test_bootstrap_advances_per_chunk_to_the_total(recorder):
    n = X.size
    bootstrap((X,), mean_axis, n_resamples=5000, rng=1)  # BCa: resamples + n deletions
    bar = recorder[-1]
    assert bar.total == 5000 + n
    assert bar.completed == bar.total
    assert len(bar.steps) > 10  # serial runs advance chunk by chunk
    with ThreadPoolExecutor(2) as ex:
        bootstrap((X,), mean_axis, n_resamples=5000, rng=1, executor=ex, method="percentile")
    bar = recorder[-1]
    assert bar.total == bar.completed == 5000
    assert len(bar.steps) > 1
    bootstrap((X,), np.mean, n_resamples=5000, rng=1)  # moment path: an O(n) jackknife
    assert recorder[-1].total == recorder[-1].completed == 5000


def test_permutation_advances_to_the_total(recorder):
    permutation_test((X, Y), diff, n_resamples=4000, rng=1)
    assert recorder[-1].total == recorder[-1].completed == 4000
    assert len(recorder[-1].steps) > 1
    permutation_test(([1.0, 2.0, 3.5, 4.0], [0.5, 1.5, 2.5]), diff)  # exact: 35 partitions
    assert recorder[-1].total == recorder[-1].completed == 35


def test_progress_does_not_change_results(capsys, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    a = bootstrap((X,), mean_axis, n_resamples=2000, rng=7, progress=True)
    b = bootstrap((X,), mean_axis, n_resamples=2000, rng=7, progress=False)
    np.testing.assert_array_equal(a.distribution, b.distribution)
    assert a.confidence_interval == b.confidence_interval
