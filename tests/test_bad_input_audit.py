"""Cross-cutting audit: every public function handles bad input the way the project promises.

One row per public function: a small valid call (written by hand from the signature and the
docstring) and the roles of its arguments. The tests substitute bad values into those arguments
and check that the function raises a ``ValueError``/``TypeError`` naming the argument in
backticks -- never an obscure exception, a RuntimeWarning, or a silent NaN -- that
``nan_policy='omit'`` works where offered, and that arrays and Series passed in are unchanged.

Roles of a row:

``samples``
    numeric data arguments (1-D or 2-D): empty, all-NaN, one NaN (default policy raises;
    ``'omit'`` works; ``'propagate'`` gives a NaN result), inf, strings, not modified.
``constant``
    argument -> ``"raise"`` (a variance is needed) or ``"ok"`` (the quantity is defined).
``same_length``
    pairs of arguments that must have the same length (rows).
``counts`` / ``events_n``
    count arguments (negative, non-integer) and (events, n) pairs (events > n).
``tables``
    count tables: negative, non-integer, NaN, strings, empty.
``scalars``
    numeric scalar arguments: NaN, inf, strings.

Every row is also given bad ``confidence_level``/``alternative``/``nan_policy`` values and a
wrong value for each keyword option with a str, bool or int default. Pandas inputs carry a
descending non-default index (positions, not labels, must be used). The last sections hold
regression tests for what the audit found (each says what happened before).

Resampling functions are audited by their own helper and are not in this table.
"""

from __future__ import annotations

import inspect
import math
import re
import sys
import typing
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc
from statcraft.results import Estimate, TestResult

matplotlib.use("Agg")

# ---------------------------------------------------------------- data for the valid calls
X = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 4.1, 3.9, 2.5, 3.0, 4.8]
Y = [3.2, 4.1, 2.2, 6.0, 5.1, 3.0, 3.9, 4.6, 4.4, 3.1, 3.3, 5.9]
Z = [1.0, 1.5, 2.5, 2.0, 3.5, 3.0, 4.5, 4.0, 5.5, 5.0, 6.5, 6.0]
G1 = [2.9, 3.0, 2.5, 2.6, 3.2, 2.8]
G2 = [3.8, 2.7, 4.0, 2.4, 3.1, 3.6]
G3 = [2.8, 3.4, 3.7, 2.2, 2.0, 3.3]
TS = [0.3, -1.2, 0.8, 1.5, -0.4, 0.1, -0.9, 2.0, -1.6, 0.7, 0.2, -0.3, 1.1, -0.8, 0.5, -1.0,
      1.3, -0.2, 0.6, -1.4, 0.9, -0.6, 0.4, 1.7, -1.1, 0.0, -0.5, 1.2, -0.7, 0.3]  # fmt: skip
TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 5, 8, 12, 16, 27, 30]
EVENT = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]
ARM = ["a"] * 10 + ["b"] * 6
XMAT = [[1.0, 0.5], [2.0, 0.1], [3.0, 0.9], [4.0, 0.3], [5.0, 0.8], [6.0, 0.2],
        [7.0, 0.7], [8.0, 0.4], [9.0, 0.6], [10.0, 0.0], [11.0, 0.95], [12.0, 0.15]]  # fmt: skip
FRIEDMAN = [[5.40, 5.50, 5.55], [5.85, 5.70, 5.75], [5.20, 5.60, 5.50], [5.55, 5.50, 5.40],
            [5.90, 5.85, 5.70], [5.45, 5.55, 5.60], [5.40, 5.40, 5.35]]  # fmt: skip
TABLE = [[12, 5], [7, 14]]
TABLE3 = [[12, 5, 9], [7, 14, 6]]
STRATA = [[[2, 5], [3, 6]], [[3, 3], [1, 6]], [[6, 2], [2, 4]]]
YB = [0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1]
PB = [0.2, 0.7, 0.6, 0.3, 0.9, 0.4, 0.8, 0.55, 0.1, 0.65, 0.35, 0.75]
PVALS = [0.01, 0.04, 0.03, 0.2, 0.5]
ENS = [[v + d for v in X] for d in (-1.0, -0.5, 0.0, 0.4, 1.1)]  # 5 draws x 12 observations
SIGMA = [1.0] * 12
XCV = np.arange(20.0).tolist()
YCV = (1.0 + 2.0 * np.arange(20.0) + np.tile([0.5, -0.5], 10)).tolist()
WF = sc.evaluation.WalkForward(train_size=10, test_size=5)
PIT = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]
LOW = [v - 1.0 for v in X]
HIGH = [v + 1.2 for v in X]


@dataclass(frozen=True)
class Row:
    """A public function, a valid call, and the roles of its arguments."""

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    samples: tuple[str, ...] = ()
    constant: dict[str, str] = field(default_factory=dict)
    same_length: tuple[tuple[str, str], ...] = ()
    counts: tuple[str, ...] = ()
    events_n: tuple[tuple[str, str], ...] = ()
    tables: tuple[str, ...] = ()
    scalars: tuple[str, ...] = ()
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.func.__name__


ev = sc.evaluation
ROWS = [
    # estimators
    Row(sc.mean, (X,), samples=("x",), constant={"x": "raise"}),
    Row(sc.median, (X,), samples=("x",), constant={"x": "ok"}),
    Row(sc.geometric_mean, (X,), samples=("x",), constant={"x": "raise"}),
    Row(sc.trimmed_mean, (X,), samples=("x",), constant={"x": "raise"}, scalars=("trim",)),
    Row(sc.winsorized_mean, (X,), samples=("x",), constant={"x": "raise"}, scalars=("trim",)),
    Row(sc.huber_location, (X,), samples=("x",), constant={"x": "raise"}, scalars=("k", "tol")),
    Row(sc.hodges_lehmann, (X, Y), samples=("x", "y")),
    Row(sc.hodges_lehmann, (X,), samples=("x",), label="hodges_lehmann_one"),
    Row(sc.iqr, (X,), samples=("x",), constant={"x": "ok"}),
    Row(
        sc.mad,
        (X,),
        {"center": 3.0},
        samples=("x",),
        constant={"x": "ok"},
        scalars=("constant", "center"),
    ),
    Row(sc.qn_scale, (X,), samples=("x",), constant={"x": "ok"}, scalars=("constant",)),
    Row(sc.sn_scale, (X,), samples=("x",), constant={"x": "ok"}, scalars=("constant",)),
    Row(
        sc.kaplan_meier,
        (TIME, EVENT),
        samples=("time", "event"),
        same_length=(("time", "event"),),
        constant={"time": "ok"},
    ),
    Row(
        sc.ols,
        (XMAT, Y),
        samples=("X", "y"),
        same_length=(("X", "y"),),
        constant={"X": "raise"},
    ),
    Row(
        sc.robust_regression,
        (XMAT, Y),
        samples=("X", "y"),
        same_length=(("X", "y"),),
        constant={"X": "raise"},
    ),
    Row(sc.proportion, (7, 20), counts=("successes", "n"), events_n=(("successes", "n"),)),
    Row(sc.poisson_rate, (7, 2.5), counts=("count",), scalars=("exposure",)),
    *[
        Row(
            f,
            (7, 20, 3, 22),
            counts=("events_treated", "n_treated", "events_control", "n_control"),
            events_n=(("events_treated", "n_treated"), ("events_control", "n_control")),
        )
        for f in (sc.risk_difference, sc.risk_ratio, sc.odds_ratio, sc.number_needed_to_treat)
    ],
    # hypothesis tests
    Row(sc.adjust_pvalues, (PVALS,), samples=("pvalues",), constant={"pvalues": "ok"}),
    Row(sc.anderson_darling, (X,), samples=("x",), constant={"x": "raise"}),
    Row(sc.shapiro_wilk, (X,), samples=("x",), constant={"x": "raise"}),
    Row(sc.jarque_bera, (X,), samples=("x",), constant={"x": "raise"}),
    Row(sc.arch_lm, (TS, 2), samples=("x",), constant={"x": "raise"}),
    Row(sc.ljung_box, (TS, 3), samples=("x",), constant={"x": "raise"}),
    Row(
        sc.bartlett,
        (G1, G2, G3),
        samples=("groups[0]", "groups[1]"),
        constant={"groups[1]": "raise"},
    ),
    Row(sc.levene, (G1, G2, G3), samples=("groups[0]", "groups[1]"), constant={"groups[1]": "ok"}),
    Row(sc.fligner, (G1, G2, G3), samples=("groups[0]", "groups[1]"), constant={"groups[1]": "ok"}),
    Row(
        sc.oneway_anova,
        (G1, G2, G3),
        samples=("groups[0]", "groups[1]"),
        constant={"groups[1]": "ok"},
    ),
    Row(
        sc.eta_squared,
        (G1, G2, G3),
        samples=("groups[0]", "groups[1]"),
        constant={"groups[1]": "ok"},
    ),
    Row(
        sc.omega_squared,
        (G1, G2, G3),
        samples=("groups[0]", "groups[1]"),
        constant={"groups[1]": "ok"},
    ),
    Row(
        sc.kruskal_wallis,
        (G1, G2, G3),
        {"n_resamples": 20, "rng": 1},
        samples=("groups[0]", "groups[1]"),
        constant={"groups[1]": "ok"},
    ),
    Row(
        sc.friedman,
        (FRIEDMAN,),
        {"n_resamples": 20, "rng": 1},
        samples=("data",),
        constant={"data": "raise"},
    ),
    Row(sc.binomial_test, (7, 20), counts=("k", "n"), events_n=(("k", "n"),), scalars=("p",)),
    Row(sc.poisson_test, (7, 2.5), counts=("count",), scalars=("exposure", "rate")),
    Row(
        sc.proportions_test,
        ([7, 12], [20, 22]),
        counts=("successes", "totals"),
        events_n=(("successes", "totals"),),
        same_length=(("successes", "totals"),),
    ),
    Row(sc.chi2_goodness_of_fit, ([20, 15, 25],), tables=("observed",)),
    Row(sc.chi2_independence, (TABLE3,), tables=("table",)),
    Row(sc.cramers_v, (TABLE3,), tables=("table",)),
    Row(sc.fisher_exact, (TABLE,), tables=("table",)),
    Row(sc.mcnemar, (TABLE,), tables=("table",)),
    Row(sc.mantel_haenszel, (STRATA,), tables=("tables",)),
    Row(
        sc.ttest, (X,), samples=("x",), constant={"x": "raise"}, scalars=("mu",), label="ttest_one"
    ),
    Row(sc.ttest, (X, Y), samples=("x", "y"), constant={"y": "ok"}, label="ttest_two"),
    Row(
        sc.ttest,
        (X, Y),
        {"paired": True},
        samples=("x", "y"),
        same_length=(("x", "y"),),
        label="ttest_paired",
    ),
    Row(
        sc.tost,
        (X,),
        {"low": 2.0, "high": 5.0},
        samples=("x",),
        constant={"x": "raise"},
        scalars=("low", "high"),
    ),
    Row(sc.yuen, (X, Y), samples=("x", "y"), scalars=("trim",)),
    Row(
        sc.cohens_d,
        (X,),
        samples=("x",),
        constant={"x": "raise"},
        scalars=("mu",),
        label="cohens_d_one",
    ),
    Row(sc.cohens_d, (X, Y), samples=("x", "y"), constant={"y": "ok"}),
    Row(
        sc.hedges_g,
        (X, Y),
        {"paired": True},
        samples=("x", "y"),
        same_length=(("x", "y"),),
        label="hedges_g_paired",
    ),
    Row(sc.glass_delta, (X, Y), samples=("x", "y"), constant={"y": "raise"}, scalars=("mu",)),
    Row(sc.rank_biserial, (X, Y), samples=("x", "y"), constant={"x": "ok"}, scalars=("mu",)),
    Row(sc.mann_whitney, (X, Y), samples=("x", "y"), constant={"x": "ok"}, scalars=("mu",)),
    Row(
        sc.wilcoxon_signed_rank,
        (X, Y),
        samples=("x", "y"),
        same_length=(("x", "y"),),
        scalars=("mu",),
    ),
    Row(sc.ks_test, (X, Y), samples=("x", "y_or_cdf"), label="ks_test_two"),
    Row(sc.ks_test, (X, "norm"), {"args": (3.5, 1.0)}, samples=("x",), constant={"x": "ok"}),
    Row(
        sc.correlation,
        (X, Y),
        samples=("x", "y"),
        same_length=(("x", "y"),),
        constant={"x": "raise"},
    ),
    Row(
        sc.correlation,
        (X, Y),
        {"method": "kendall"},
        samples=("x", "y"),
        constant={"x": "raise"},
        label="correlation_kendall",
    ),
    Row(
        sc.partial_correlation,
        (X, Y, Z),
        samples=("x", "y", "covariates"),
        same_length=(("x", "y"), ("x", "covariates")),
        constant={"x": "raise"},
    ),
    Row(
        sc.logrank,
        (TIME, EVENT, ARM),
        samples=("time", "event"),
        same_length=(("time", "event"), ("time", "group")),
        scalars=("rho",),
    ),
    Row(sc.power_ttest, (20, 0.5), scalars=("n", "delta", "sd", "alpha")),
    Row(sc.power_proportions, (50, 0.3, 0.5), scalars=("n", "p1", "p2")),
    Row(sc.sample_size_ttest, (0.5,), scalars=("delta", "power", "sd", "alpha")),
    Row(sc.sample_size_proportions, (0.3, 0.5), scalars=("p1", "p2", "power", "alpha")),
    # evaluation
    Row(
        ev.absolute_error,
        (X, Y),
        samples=("y_true", "prediction"),
        same_length=(("y_true", "prediction"),),
        constant={"y_true": "ok"},
    ),
    Row(
        ev.squared_error,
        (X, Y),
        samples=("y_true", "prediction"),
        same_length=(("y_true", "prediction"),),
    ),
    Row(
        ev.pinball_loss,
        (X, Y),
        samples=("y_true", "quantile"),
        same_length=(("y_true", "quantile"),),
    ),
    Row(
        ev.crps_gaussian,
        (X, Y, SIGMA),
        samples=("y_true", "mu", "sigma"),
        same_length=(("y_true", "mu"), ("y_true", "sigma")),
    ),
    Row(ev.crps_ensemble, (X, ENS), samples=("y_true", "samples")),
    Row(
        ev.interval_score,
        (X, LOW, HIGH),
        samples=("y_true", "low", "high"),
        same_length=(("y_true", "low"), ("y_true", "high")),
    ),
    Row(
        ev.interval_coverage,
        (X, LOW, HIGH),
        samples=("y_true", "low", "high"),
        same_length=(("y_true", "low"), ("y_true", "high")),
    ),
    Row(
        ev.log_score,
        (YB, PB),
        samples=("y_true", "forecast"),
        same_length=(("y_true", "forecast"),),
    ),
    Row(ev.brier_score, (YB, PB), samples=("y_true", "p"), same_length=(("y_true", "p"),)),
    Row(
        ev.calibration_curve,
        (YB, PB),
        {"n_bins": 2},
        samples=("y_true", "p"),
        same_length=(("y_true", "p"),),
    ),
    Row(ev.pit_values, (X, stats.norm(3.5, 1.0)), samples=("y_true",)),
    Row(
        ev.diebold_mariano,
        (X, Y),
        samples=("loss_a", "loss_b"),
        same_length=(("loss_a", "loss_b"),),
        constant={"loss_a": "ok"},
    ),
    Row(
        ev.cross_validate,
        (ev.OLSModel(), XCV, YCV),
        {"cv": WF, "scoring": "squared_error", "groups": list(range(20))},
        samples=("X", "y"),
        same_length=(("X", "y"), ("X", "groups")),
    ),
    Row(
        ev.tune,
        (ev.OLSModel, {"add_intercept": [True, False]}, XCV, YCV),
        {"cv": WF, "scoring": "squared_error"},
        samples=("X", "y"),
        same_length=(("X", "y"),),
    ),
    Row(
        ev.walk_forward_forecast,
        (ev.OLSModel(), XCV, YCV),
        {"cv": WF},
        samples=("X", "y"),
        same_length=(("X", "y"),),
    ),
    Row(ev.plot_pit, (PIT,), samples=("pit",)),
    Row(ev.plot_reliability, (YB, PB), {"n_bins": 2}, samples=("y_true", "p")),
]


# ---------------------------------------------------------------- substitutions
def _array(v: Any) -> np.ndarray:
    return np.array(v, dtype=float)


def empty(v: Any) -> list[Any]:
    """An empty argument of the same dimensionality."""
    return [] if np.ndim(v) == 1 else np.empty((0, *np.shape(v)[1:])).tolist()


def all_nan(v: Any) -> list[Any]:
    return np.full(np.shape(v), np.nan).tolist()


def one_nan(v: Any) -> list[Any]:
    a = _array(v)
    a.flat[1] = np.nan
    return a.tolist()


def one_inf(v: Any) -> list[Any]:
    a = _array(v)
    a.flat[1] = np.inf
    return a.tolist()


def strings(v: Any) -> list[Any]:
    return np.full(np.shape(v), "a").tolist()


def constant(v: Any) -> list[Any]:
    """Every value equal to the first (so that range checks still pass)."""
    return np.full(np.shape(v), _array(v).flat[0]).tolist()


def shorter(v: Any) -> Any:
    return list(v)[:-1]


def negative(v: Any) -> Any:
    if np.ndim(v) == 0:
        return -1
    a = np.array(v)
    a.flat[0] = -1
    return a.tolist()


def fractional(v: Any) -> Any:
    if np.ndim(v) == 0:
        return 2.5
    a = _array(v)
    a.flat[0] = 2.5
    return a.tolist()


def more_than(events: Any, n: Any) -> Any:
    if np.ndim(events) == 0:
        return n + 1
    a = np.array(events)
    a.flat[0] = np.asarray(n).flat[0] + 1
    return a.tolist()


# ---------------------------------------------------------------- binding helpers
_ITEM = re.compile(r"(\w+)\[(\d+)\]")


def _bind(row: Row) -> inspect.BoundArguments:
    return inspect.signature(row.func).bind(*row.args, **row.kwargs)


def _get(bound: inspect.BoundArguments, name: str) -> Any:
    m = _ITEM.fullmatch(name)
    if m:
        return bound.arguments[m[1]][int(m[2])]
    return bound.arguments[name]


def _set(bound: inspect.BoundArguments, name: str, value: Any) -> None:
    m = _ITEM.fullmatch(name)
    if m:
        items = list(bound.arguments[m[1]])
        items[int(m[2])] = value
        bound.arguments[m[1]] = tuple(items)
    else:
        bound.arguments[name] = value


def _call(row: Row, subs: dict[str, Any], **options: Any) -> Any:
    bound = _bind(row)
    for name, value in subs.items():
        _set(bound, name, value)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return row.func(*bound.args, **{**bound.kwargs, **options})


def _named(*names: str) -> str:
    """Regex: the message names each argument in backticks (in any order)."""
    lookahead = "".join(f"(?=.*{re.escape(f'`{n}`')})" for n in names)
    return f"(?s){lookahead}"


def _nan_policies(func: Callable[..., Any]) -> tuple[str, ...]:
    if "nan_policy" not in inspect.signature(func).parameters:
        return ()
    hint = typing.get_type_hints(func)["nan_policy"]
    return typing.get_args(hint)


def _cases(attr: str) -> list[Any]:
    out = []
    for row in ROWS:
        for item in getattr(row, attr):
            key = item if isinstance(item, str) else "-".join(item)
            out.append(pytest.param(row, item, id=f"{row.id}-{key}"))
    return out


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """plot_pit and plot_reliability draw on the non-interactive backend; close what they draw."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# ---------------------------------------------------------------- the valid calls work
@pytest.mark.parametrize("row", [pytest.param(r, id=r.id) for r in ROWS])
def test_valid_call(row: Row) -> None:
    _call(row, {})


# ---------------------------------------------------------------- numeric data arguments
@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_empty(row: Row, name: str) -> None:
    with pytest.raises(ValueError, match=_named(name)):
        _call(row, {name: empty(_get(_bind(row), name))})


@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_all_nan(row: Row, name: str) -> None:
    with pytest.raises(ValueError, match=_named(name)):
        _call(row, {name: all_nan(_get(_bind(row), name))})


@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_one_nan(row: Row, name: str) -> None:
    bad = one_nan(_get(_bind(row), name))
    policies = _nan_policies(row.func)
    with pytest.raises(ValueError, match=_named(name)) as info:
        _call(row, {name: bad})
    if not policies:  # do not suggest an option the function does not have
        assert "nan_policy" not in str(info.value)
    if "omit" in policies:
        _call(row, {name: bad}, nan_policy="omit")
    if "propagate" in policies:
        res = _call(row, {name: bad}, nan_policy="propagate")
        if isinstance(res, TestResult):
            assert math.isnan(res.statistic)
            assert math.isnan(res.pvalue)
            assert dict(res.details) == {"nan_policy": "propagate"}
            if res.estimate is not None:
                assert math.isnan(res.estimate.estimate)
                assert res.estimate.details["nan_policy"] == "propagate"
        elif isinstance(res, Estimate):
            assert math.isnan(res.estimate)
            assert res.details["nan_policy"] == "propagate"
        elif isinstance(res, float):
            assert math.isnan(res)


@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_inf(row: Row, name: str) -> None:
    with pytest.raises(ValueError, match=_named(name)):
        _call(row, {name: one_inf(_get(_bind(row), name))})


@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_strings(row: Row, name: str) -> None:
    with pytest.raises(TypeError, match=_named(name)):
        _call(row, {name: strings(_get(_bind(row), name))})


@pytest.mark.parametrize(
    ("row", "name"), [p for p in _cases("constant") if p.values[0].constant[p.values[1]]]
)
@pytest.mark.filterwarnings("ignore:ties should not be present:UserWarning")  # ks_test, as R
def test_constant(row: Row, name: str) -> None:
    sub = {name: constant(_get(_bind(row), name))}
    if row.constant[name] == "raise":
        with pytest.raises(ValueError, match=_named(name)):
            _call(row, sub)
        return
    res = _call(row, sub)
    value = res.estimate if isinstance(res, Estimate) else res
    if isinstance(res, TestResult):
        value = res.statistic
    if isinstance(value, float):
        assert math.isfinite(value)


@pytest.mark.parametrize(("row", "pair"), _cases("same_length"))
def test_length_mismatch(row: Row, pair: tuple[str, str]) -> None:
    a, b = pair
    with pytest.raises(ValueError, match=_named(a, b)):
        _call(row, {b: shorter(_get(_bind(row), b))})


@pytest.mark.parametrize(("row", "name"), _cases("samples"))
def test_not_modified(row: Row, name: str) -> None:
    original = _array(_get(_bind(row), name))
    as_array = original.copy()
    _call(row, {name: as_array})
    np.testing.assert_array_equal(as_array, original)
    # a pandas object with a non-default, descending index: positions, not labels, must be used
    index = pd.RangeIndex(100 + len(original), 100, -1)
    frame: pd.Series | pd.DataFrame
    frame = (
        pd.Series(original.copy(), index=index)
        if original.ndim == 1
        else pd.DataFrame(original.copy(), index=index)
    )
    before = frame.copy()
    _call(row, {name: frame})
    if isinstance(frame, pd.Series):
        pd.testing.assert_series_equal(frame, before)
    else:
        pd.testing.assert_frame_equal(frame, before)


# ---------------------------------------------------------------- counts and tables
@pytest.mark.parametrize(("row", "name"), _cases("counts"))
def test_negative_count(row: Row, name: str) -> None:
    with pytest.raises(ValueError, match=_named(name)):
        _call(row, {name: negative(_get(_bind(row), name))})


@pytest.mark.parametrize(("row", "name"), _cases("counts"))
def test_fractional_count(row: Row, name: str) -> None:
    with pytest.raises(ValueError, match=_named(name)):
        _call(row, {name: fractional(_get(_bind(row), name))})


@pytest.mark.parametrize(("row", "pair"), _cases("events_n"))
def test_events_exceed_n(row: Row, pair: tuple[str, str]) -> None:
    events, n = pair
    bound = _bind(row)
    with pytest.raises(ValueError, match=_named(events, n)):
        _call(row, {events: more_than(_get(bound, events), _get(bound, n))})


@pytest.mark.parametrize(
    "bad",
    [negative, fractional, one_nan, one_inf, strings, empty, all_nan],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize(("row", "name"), _cases("tables"))
def test_bad_table(row: Row, name: str, bad: Callable[[Any], Any]) -> None:
    kind = TypeError if bad is strings else ValueError
    with pytest.raises(kind, match=_named(name)) as info:
        _call(row, {name: bad(_get(_bind(row), name))})
    if "nan_policy" not in inspect.signature(row.func).parameters:
        assert "nan_policy" not in str(info.value)


@pytest.mark.parametrize(("row", "name"), _cases("tables"))
def test_table_not_modified(row: Row, name: str) -> None:
    original = np.array(_get(_bind(row), name))
    passed = original.copy()
    _call(row, {name: passed})
    np.testing.assert_array_equal(passed, original)


@pytest.mark.parametrize(
    ("value", "kind"), [(math.nan, ValueError), (math.inf, ValueError), ("1", TypeError)]
)
@pytest.mark.parametrize(("row", "name"), _cases("scalars"))
def test_bad_scalar(row: Row, name: str, value: Any, kind: type[Exception]) -> None:
    with pytest.raises(kind, match=_named(name)):
        _call(row, {name: value})


# ---------------------------------------------------------------- findings of the audit
# Constants such as 3.8 have np.var(ddof=1) of about 1e-31, not 0: checks written as
# ``var <= 0`` let them through and returned F = 7e31 or d = 5e15. And differences that are
# constant up to rounding (0.1 - 1.2 vs 0.2 - 1.3) are not exactly equal.
A38, B21 = [3.8] * 6, [2.1] * 6
P1, P2 = [0.1, 0.2, 0.7, 0.3], [1.2, 1.3, 1.8, 1.4]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sc.oneway_anova(A38, B21), "every group in `groups` is constant"),
        (lambda: sc.eta_squared(A38, B21), "every group in `groups` is constant"),
        (lambda: sc.bartlett(G1, A38, G3), r"`groups\[1\]` is constant"),
        (lambda: sc.cohens_d(A38, B21), "`x` and `y` are both constant"),
        (lambda: sc.cohens_d(A38, B21, pooled_sd=False), "`x` and `y` are both constant"),
        (lambda: sc.cohens_d(P1, P2, paired=True), "`x - y` is constant"),
        (lambda: sc.trimmed_mean([2.1] * 12), "winsorized variance of `x` is 0"),
        (lambda: sc.winsorized_mean([2.1] * 12), "winsorized variance of `x` is 0"),
        (lambda: ev.diebold_mariano(P1, P2), "`loss_a - loss_b` is constant"),
        (lambda: sc.arch_lm([0.7] * 30, 2), "`x` is constant"),
        (lambda: sc.friedman([[0.7, 0.7], [0.3, 0.3], [0.1, 0.1]]), "of `data` is entirely tied"),
        (lambda: sc.partial_correlation(X, Y, [0.7] * 12), "`covariates` is constant"),
    ],
)
def test_essentially_constant(call: Callable[[], Any], match: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match=match):
            call()


def test_log_score_propagates_nan_outcome() -> None:
    # before: an outcome of NaN scored as y = 0 and the mean was finite
    values = ev.log_score([1, np.nan, 0], [0.5, 0.5, 0.4], reduce="none", nan_policy="propagate")
    assert np.isnan(values[1])
    assert np.isfinite(values[[0, 2]]).all()


def test_ks_test_bad_args_named() -> None:
    # before: scipy's "_parse_args() takes from 1 to 3 positional arguments but 5 were given"
    with pytest.raises(TypeError, match=r"`args` do not fit the parameters of scipy\.stats\.norm"):
        sc.ks_test(X, "norm", args=(1, 2, 3, 4))


@pytest.mark.parametrize(
    "func", [sc.bartlett, sc.levene, sc.fligner, sc.oneway_anova, sc.eta_squared, sc.kruskal_wallis]
)
def test_groups_validated_alike(func: Callable[..., Any]) -> None:
    # one shared check_groups: the same message, and a dict or a list of samples unpacked
    with pytest.raises(ValueError, match="`groups` needs at least 2 groups; got 1"):
        func(G1)
    with pytest.raises(ValueError, match=r"`groups\[1\]` is empty"):
        func(G1, [])
    by_args, by_dict, by_list = func(G1, G2), func({"a": G1, "b": G2}), func([G1, G2])
    for res in (by_dict, by_list):
        got = res.statistic if isinstance(res, TestResult) else res.estimate
        want = by_args.statistic if isinstance(by_args, TestResult) else by_args.estimate
        assert got == pytest.approx(want)


def test_kruskal_wallis_allows_groups_of_one() -> None:
    # R: kruskal.test(list(1, 2, 3)) -> Kruskal-Wallis chi-squared = 2, df = 2, p-value = 0.3679
    res = sc.kruskal_wallis([1.0], [2.0], [3.0], n_resamples=10, rng=1)
    assert res.statistic == pytest.approx(2.0)
    assert res.pvalue == pytest.approx(0.3679, abs=5e-5)


# ---------------------------------------------------------------- common options
_OPTION_VALUES = {
    "confidence_level": [(1.5, ValueError), (0.0, ValueError), (math.nan, ValueError),
                         ("0.95", TypeError)],
    "alternative": [("two.sided", ValueError), (None, TypeError)],
    "nan_policy": [("drop", ValueError), (None, TypeError)],
}  # fmt: skip


def _option_cases() -> list[Any]:
    out = []
    for row in ROWS:
        params = inspect.signature(row.func).parameters
        for option, values in _OPTION_VALUES.items():
            if option in params and option not in row.kwargs:
                for value, kind in values:
                    out.append(
                        pytest.param(row, option, value, kind, id=f"{row.id}-{option}-{value}")
                    )
    return out


@pytest.mark.parametrize(("row", "option", "value", "kind"), _option_cases())
def test_bad_option(row: Row, option: str, value: Any, kind: type[Exception]) -> None:
    with pytest.raises(kind, match=_named(option)):
        _call(row, {}, **{option: value})


# ---------------------------------------------------------------- typed keyword options
def _typed_option_cases() -> list[Any]:
    """Every keyword option with a str, bool or int default, given a wrong value."""
    out = []
    for row in ROWS:
        for name, param in inspect.signature(row.func).parameters.items():
            if param.kind is not inspect.Parameter.KEYWORD_ONLY or name in row.kwargs:
                continue
            if name in _OPTION_VALUES or name in ("mu", "refit"):  # an int default, a float
                continue  # option (mu), or 'every' or an int (refit)
            default = param.default
            if isinstance(default, bool):
                bad = [("yes", TypeError)]
            elif isinstance(default, str):
                bad = [("bogus", ValueError), (1, TypeError)]
            elif isinstance(default, int):
                bad = [(2.5, ValueError), ("3", TypeError)]
            else:
                continue
            for value, kind in bad:
                out.append(pytest.param(row, name, value, kind, id=f"{row.id}-{name}-{value}"))
    return out


@pytest.mark.parametrize(("row", "option", "value", "kind"), _typed_option_cases())
def test_bad_typed_option(row: Row, option: str, value: Any, kind: type[Exception]) -> None:
    with pytest.raises(kind, match=_named(option)):
        _call(row, {}, **{option: value})


# ---------------------------------------------------------------- findings: evaluation models
def test_tune_names_param_grid_for_unknown_parameters() -> None:
    # before: the bare "OLSModel.__init__() got an unexpected keyword argument 'nosuch'"
    with pytest.raises(TypeError, match="`model_factory` does not accept the parameters of `param"):
        ev.tune(ev.OLSModel, {"nosuch": [1, 2]}, XCV, YCV, cv=WF, scoring="squared_error")


def test_ols_model_predicts_from_an_unnamed_series() -> None:
    # before: fit named the Series' column "x", predict named it 0 and raised
    x, y = pd.Series(XCV), pd.Series(YCV)
    pred = ev.OLSModel().fit(x, y).predict(x.iloc[:3])
    np.testing.assert_allclose(pred, ev.OLSModel().fit(XCV, YCV).predict(XCV[:3]))


# ---------------------------------------------------------------- findings: large counts
LARGE_BINOMIAL = [
    (1_500_400, 3_000_000, 0.5),
    (2_000_900, 4_000_000, 0.5),
    (599_000, 3_000_000, 0.2),
    (601_500, 3_000_000, 0.2),
]


@pytest.mark.parametrize(("k", "n", "p"), LARGE_BINOMIAL)
def test_binomial_two_sided_large_n_by_bisection(k: int, n: int, p: float) -> None:
    # before: the pmf was evaluated at every count up to n (binomial_test(5e8 + 3e4, 1e9) or
    # poisson_test with counts of 1e9 needed gigabytes); beyond 1e6 points a bisection finds the
    # crossing. Brute force here, as R's binom.test: count pmf(i) <= pmf(k) (1 + 1e-7).
    d = stats.binom.pmf(k, n, p) * (1 + 1e-7)
    m = n * p
    if k < m:
        y = np.count_nonzero(stats.binom.pmf(np.arange(math.ceil(m), n + 1), n, p) <= d)
        want = stats.binom.cdf(k, n, p) + stats.binom.sf(n - y, n, p)
    else:
        y = np.count_nonzero(stats.binom.pmf(np.arange(0, math.floor(m) + 1), n, p) <= d)
        want = stats.binom.cdf(y - 1, n, p) + stats.binom.sf(k - 1, n, p)
    assert sc.binomial_test(k, n, p).pvalue == pytest.approx(min(1.0, want), rel=1e-12)


def test_poisson_test_huge_counts_fast() -> None:
    # normal approximation as a sanity bound: z = 4e4 / sqrt(1e9) = 1.2649, p = 0.2059
    res = sc.poisson_test(10**9 + 40_000, 1.0, rate=1e9)
    assert res.pvalue == pytest.approx(0.2059, abs=2e-3)
    res2 = sc.poisson_test([10**9, 10**9 + 50_000], [1.0, 1.0])  # z = 2.5e4 / 22361 = 1.118
    assert res2.pvalue == pytest.approx(0.2636, abs=2e-3)
