"""Bad input across statcraft.health (issue 9): clear errors naming the argument, data untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from statcraft import health

T4 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
E4 = [1, 1, 0, 1, 1, 0]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        # 2x2 tables with zero cells where a measure is undefined
        (lambda: health.diagnostic_accuracy(0, 0, 0, 5), ValueError, r"`tp` \+ `fn` = 0"),
        (lambda: health.diagnostic_accuracy(-1, 2, 3, 4), ValueError, "`tp`"),
        (lambda: health.diagnostic_accuracy(1.5, 2, 3, 4), ValueError, "`tp`"),
        # prevalence outside (0, 1)
        (
            lambda: health.diagnostic_accuracy(10, 2, 3, 30, prevalence=1.2),
            ValueError,
            "`prevalence` must be in",
        ),
        (
            lambda: health.diagnostic_accuracy(10, 2, 3, 30, prevalence=0),
            ValueError,
            "`prevalence` must be in",
        ),
        # studies with zero or negative variance
        (
            lambda: health.meta_analysis([0.1, 0.2, 0.3], [0.1, 0.0, 0.2]),
            ValueError,
            "`variances` must be positive",
        ),
        (
            lambda: health.meta_analysis([0.1, 0.2, 0.3], [0.1, -0.1, 0.2]),
            ValueError,
            "`variances` must be positive",
        ),
        (lambda: health.meta_analysis([0.1, 0.2], [0.1, 0.2, 0.3]), ValueError, "length"),
        (lambda: health.meta_analysis([0.1, np.nan], [0.1, 0.2]), ValueError, "`effects`"),
        # scores with NaN
        (
            lambda: health.roc_auc([0, 1, 1, 0], [0.1, np.nan, 0.3, 0.2]),
            ValueError,
            "`score` has 1 NaN",
        ),
        (
            lambda: health.delong_test([0, 1, 1, 0], [0.1, 0.4, 0.3, 0.2], [0.1, 0.2, np.nan, 0.4]),
            ValueError,
            "`score_b` has 1 NaN",
        ),
        (lambda: health.roc_auc([1, 1, 1], [0.1, 0.2, 0.3]), ValueError, "y_true"),
        # survival times <= 0, event flags not 0/1, a constant covariate in Cox
        (
            lambda: health.cox_regression([1, 0, 3, 4, 5, 6], E4, np.arange(6.0)),
            ValueError,
            "`time` must be positive",
        ),
        (
            lambda: health.cox_regression(T4, [1, 2, 0, 1, 1, 0], np.arange(6.0)),
            ValueError,
            "`event` must be 1",
        ),
        (
            lambda: health.cox_regression(
                T4, E4, pd.DataFrame({"a": np.arange(6.0), "c": np.ones(6)})
            ),
            ValueError,
            "`X` column 'c' is constant",
        ),
        (lambda: health.cox_regression(T4, E4, np.arange(5.0)), ValueError, "length|rows"),
        (
            lambda: health.cox_regression(T4, E4, pd.DataFrame({"s": list("abcdef")})),
            TypeError,
            "`X`",
        ),
        # providers
        (lambda: health.funnel_limits([1, 2], [10, 0]), ValueError, "`n` must be positive"),
    ],
)
def test_bad_input_is_named(call, error, match) -> None:
    with pytest.raises(error, match=match):
        call()


def test_zero_cells_are_corrected_and_reported() -> None:
    # A zero cell does not fail the ratios: 0.5 is added, and the result says so.
    dor = health.diagnostic_accuracy(10, 0, 2, 30).diagnostic_odds_ratio
    assert np.isfinite(dor.estimate) and "0.5 added" in dor.method
    es = health.effect_sizes_2x2([0, 3], [10, 10], [1, 2], [10, 10])
    assert bool(es.loc[0, "corrected"]) and not bool(es.loc[1, "corrected"])
    with pytest.warns(UserWarning, match="no events .* in both arms"):
        both = health.effect_sizes_2x2([0, 3], [10, 10], [0, 2], [10, 10])
    assert np.isnan(both.loc[0, "effect"])


def test_callers_data_never_modified() -> None:
    lung = pd.DataFrame(
        {"time": T4, "status": E4, "age": [61.0, 70, 55, 66, 72, 58], "sex": [1, 2, 1, 2, 2, 1]}
    )
    effects = pd.Series([-0.9, -1.6, -1.3, -1.4, -0.2, -0.5])
    variances = np.array([0.33, 0.19, 0.42, 0.02, 0.05, 0.01])
    y = np.array([0, 1, 1, 0, 1, 0])
    score = np.array([0.2, 0.9, 0.6, 0.4, 0.3, 0.1])
    before = [lung.copy(), effects.copy(), variances.copy(), y.copy(), score.copy()]
    health.cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    health.meta_analysis(effects, variances)
    health.meta_regression(effects, variances, lung[["age"]])
    health.roc_auc(y, score)
    health.diagnostic_accuracy(y_true=y, y_pred=score > 0.5)
    pd.testing.assert_frame_equal(lung, before[0])
    pd.testing.assert_series_equal(effects, before[1])
    for now, then in zip((variances, y, score), before[2:], strict=True):
        np.testing.assert_array_equal(now, then)
