import pickle

import numpy as np
import pandas as pd
import pytest

from statcraft.results import (
    BootstrapResult,
    ConfidenceInterval,
    Estimate,
    FrozenMapping,
    TestResult,
)


def _estimate() -> Estimate:
    return Estimate(1.5, 0.25, (1.0, 2.0), 0.95, "mean (t interval)", 12, details={"df": 11})


def test_estimate_fields_and_interval_type():
    e = _estimate()
    assert isinstance(e.confidence_interval, ConfidenceInterval)
    assert e.confidence_interval.low == 1.0
    assert e.confidence_interval.high == 2.0
    assert e.details["df"] == 11


def test_estimate_is_frozen_and_details_read_only():
    e = _estimate()
    with pytest.raises(AttributeError):
        e.estimate = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        e.details["df"] = 3  # type: ignore[index]


def test_details_are_copied_from_the_callers_dict():
    extra = {"df": 11}
    e = Estimate(1.5, 0.25, (1.0, 2.0), 0.95, "m", 12, details=extra)
    extra["df"] = 99
    assert e.details["df"] == 11


def test_estimate_to_frame_has_fixed_columns():
    frame = _estimate().to_frame()
    assert list(frame.columns) == [
        "estimate", "std_error", "ci_low", "ci_high", "confidence_level", "method", "n"
    ]
    assert frame.shape == (1, 7)
    assert frame.loc[0, "ci_high"] == 2.0


def test_estimate_repr_and_html():
    e = _estimate()
    assert repr(e) == "Estimate(mean (t interval): 1.5, SE 0.25, 95% CI [1, 2], n=12)"
    assert "<table" in e._repr_html_()
    no_se = Estimate(3.0, None, (2.0, 4.0), 0.9, "median", None)
    assert repr(no_se) == "Estimate(median: 3, 90% CI [2, 4])"


def test_test_result_unpacks_to_statistic_and_pvalue():
    r = TestResult(statistic=2.0, pvalue=0.05, df=(2.0, 17.1), alternative="two-sided",
                   method="Welch ANOVA", estimate=_estimate())
    stat, p = r
    assert (stat, p) == (2.0, 0.05)
    assert r[0] == 2.0 and len(r) == 2


def test_test_result_to_frame_and_repr():
    r = TestResult(statistic=2.0, pvalue=0.01234, df=9.0, alternative="two-sided",
                   method="One Sample t-test", estimate=_estimate(), effect_size=None,
                   details={"null_distribution": np.arange(3)})
    row = r.to_frame()
    assert row.loc[0, "estimate"] == 1.5
    assert row.loc[0, "estimate_ci_low"] == 1.0
    assert pd.isna(row.loc[0, "effect_size"])
    text = repr(r)
    assert text.splitlines()[0] == "One Sample t-test"
    assert "p-value = 0.0123" in text
    assert "95% CI [1, 2]" in text


def test_results_pickle_round_trip():
    r = TestResult(statistic=1.0, pvalue=0.5, details={"a": 1})
    back = pickle.loads(pickle.dumps(r))
    assert back.details["a"] == 1 and back.pvalue == 0.5
    e = pickle.loads(pickle.dumps(_estimate()))
    assert e == _estimate()
    assert pickle.loads(pickle.dumps(FrozenMapping({"k": 2}))) == {"k": 2}


def test_bootstrap_result_frame_scalar_and_vector():
    b = BootstrapResult(1.0, (0.5, 1.5), 0.95, 0.2, 0.01, np.zeros(10), "bca", 10)
    assert b.to_frame().shape == (1, 10)
    assert "BootstrapResult(bca, iid, B=10" in repr(b)
    v = BootstrapResult(np.array([1.0, 2.0]), (np.array([0.5, 1.5]), np.array([1.5, 2.5])),
                        0.95, np.array([0.1, 0.2]), np.array([0.0, 0.0]),
                        np.zeros((2, 10)), "percentile", 10)
    frame = v.to_frame()
    assert frame.shape == (2, 10)
    assert list(frame["ci_low"]) == [0.5, 1.5]
