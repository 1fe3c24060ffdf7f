"""Per-study effect sizes of 2 x 2 tables: effect_sizes_2x2.

References
----------
- metafor (R) documentation, ``escalc`` example on ``dat.bcg`` (docs/reference/escalc.html,
  metafor 4.x): log risk ratios and variances of the 13 BCG trials, printed to 4 decimals.
- metafor ``regtest`` example (docs/reference/regtest.html): ``escalc(measure="OR")`` on
  ``dat.egger2001`` without ISIS-4, ``dat$yi`` printed to 8 decimals — includes a table with an
  empty cell (Bertschat 1989: 0/22 vs 1/21), so it checks the 0.5 continuity correction.
- Gelman et al. (2013), Bayesian Data Analysis, 3rd ed., Table 5.4: log odds ratios and
  standard errors of the 22 beta-blocker trials (Yusuf et al. 1985), to 3 decimals.
- statsmodels 0.15 ``effectsize_2proportions`` as an independent implementation.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.meta_analysis import effectsize_2proportions

from statcraft.datasets import load_bcg, load_beta_blocker
from statcraft.health import effect_sizes_2x2

# dat.egger2001 (metadat, data-raw/dat.egger2001.txt), trials 1-15 (ISIS-4 removed):
# magnesium arm deaths/n and control deaths/n.
EGGER_AI = [1, 9, 2, 1, 10, 1, 1, 0, 6, 1, 2, 5, 4, 90, 4]
EGGER_N1 = [40, 135, 200, 48, 150, 59, 25, 22, 76, 27, 89, 23, 130, 1159, 107]
EGGER_CI = [2, 23, 7, 1, 8, 9, 3, 1, 11, 7, 12, 13, 8, 118, 17]
EGGER_N2 = [36, 135, 200, 46, 148, 56, 23, 21, 75, 27, 80, 33, 122, 1157, 108]


@pytest.fixture(scope="module")
def bcg() -> pd.DataFrame:
    return load_bcg()


def _bcg_args(bcg):
    return (
        bcg["vaccinated_cases"],
        bcg["vaccinated_total"],
        bcg["control_cases"],
        bcg["control_total"],
    )


# ----------------------------------------------------------------------------- reference values
def test_bcg_log_risk_ratios_match_metafor_escalc(bcg):
    es = effect_sizes_2x2(*_bcg_args(bcg), measure="RR")
    # metafor docs, escalc(measure="RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
    yi = [-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209,
          0.0120, -0.4694, -1.3713, -0.3394, 0.4459, -0.0173]  # fmt: skip
    vi = [0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230,
          0.0040, 0.0564, 0.0730, 0.0124, 0.5325, 0.0714]  # fmt: skip
    np.testing.assert_allclose(es["effect"], yi, atol=5e-5)
    np.testing.assert_allclose(es["variance"], vi, atol=5e-5)
    np.testing.assert_allclose(es["std_error"], np.sqrt(es["variance"]))
    assert not es["corrected"].any()
    assert es.attrs["measure"] == "RR"
    assert list(es.columns) == ["effect", "variance", "std_error", "corrected"]


def test_egger2001_log_odds_ratios_with_a_zero_cell_match_metafor():
    es = effect_sizes_2x2(EGGER_AI, EGGER_N1, EGGER_CI, EGGER_N2, measure="OR")
    # metafor docs (regtest example): dat$yi after escalc(measure="OR", ...)
    yi = [-0.83034830, -1.05605267, -1.27833981, -0.04348511, 0.22314355, -2.40751999,
          -1.28093385, -1.19170271, -0.69574796, -2.20827441, -2.03815988, -0.85015093,
          -0.79323064, -0.29933987, -1.57078846]  # fmt: skip
    np.testing.assert_allclose(es["effect"], yi, atol=1e-8)
    assert es["corrected"].tolist() == [i == 7 for i in range(15)]
    # the corrected table is (0.5, 22.5, 1.5, 20.5): v = 1/0.5 + 1/22.5 + 1/1.5 + 1/20.5
    assert es["variance"].iloc[7] == pytest.approx(1 / 0.5 + 1 / 22.5 + 1 / 1.5 + 1 / 20.5)


def test_beta_blocker_log_odds_ratios_match_bda3_table_5_4():
    bb = load_beta_blocker()
    es = effect_sizes_2x2(
        bb["treated_deaths"], bb["treated_total"], bb["control_deaths"], bb["control_total"]
    )
    # Gelman et al. (2013) BDA3, Table 5.4: raw log odds ratio y_j and its sd_j
    y = [0.028, -0.741, -0.541, -0.246, 0.069, -0.584, -0.512, -0.079, -0.424, -0.335,
         -0.213, -0.039, -0.593, 0.282, -0.321, -0.135, 0.141, 0.322, 0.444, -0.218,
         -0.591, -0.608]  # fmt: skip
    sd = [0.850, 0.483, 0.565, 0.138, 0.281, 0.676, 0.139, 0.204, 0.274, 0.117, 0.195,
          0.229, 0.425, 0.205, 0.298, 0.261, 0.364, 0.553, 0.717, 0.260, 0.257,
          0.272]  # fmt: skip
    np.testing.assert_allclose(es["effect"], y, atol=5.1e-4)
    np.testing.assert_allclose(es["std_error"], sd, atol=5.1e-4)


@pytest.mark.parametrize(
    ("measure", "statistic"), [("OR", "odds-ratio"), ("RR", "risk-ratio"), ("RD", "diff")]
)
def test_matches_statsmodels_effectsize_2proportions(bcg, measure, statistic):
    es = effect_sizes_2x2(*_bcg_args(bcg), measure=measure)
    eff, var = effectsize_2proportions(
        bcg["vaccinated_cases"].to_numpy(),
        bcg["vaccinated_total"].to_numpy(),
        bcg["control_cases"].to_numpy(),
        bcg["control_total"].to_numpy(),
        statistic=statistic,
    )
    np.testing.assert_allclose(es["effect"], eff, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(es["variance"], var, rtol=1e-12)


def test_risk_difference_formula_by_hand():
    es = effect_sizes_2x2([3, 10], [20, 50], [6, 4], [25, 40], measure="RD")
    p1, p2 = np.array([3 / 20, 10 / 50]), np.array([6 / 25, 4 / 40])
    np.testing.assert_allclose(es["effect"], p1 - p2)
    np.testing.assert_allclose(es["variance"], p1 * (1 - p1) / [20, 50] + p2 * (1 - p2) / [25, 40])


# ----------------------------------------------------------------------------- zero cells
def _log_or(a, b, c, d):
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def test_add_to_options():
    ev_t, n_t, ev_c, n_c = [0, 5, 2], [10, 20, 12], [3, 4, 2], [12, 20, 12]
    only = effect_sizes_2x2(ev_t, n_t, ev_c, n_c)
    y0, v0 = _log_or(0.5, 10.5, 3.5, 9.5)
    y1, v1 = _log_or(5, 15, 4, 16)
    assert only["effect"].tolist() == pytest.approx([y0, y1, 0.0])
    assert only["variance"].tolist() == pytest.approx([v0, v1, 2 / 2 + 2 / 10])
    assert only["corrected"].tolist() == [True, False, False]
    every = effect_sizes_2x2(ev_t, n_t, ev_c, n_c, add_to="all")
    assert every["effect"].iloc[1] == pytest.approx(_log_or(5.5, 15.5, 4.5, 16.5)[0])
    assert every["corrected"].all()
    any_zero = effect_sizes_2x2(ev_t, n_t, ev_c, n_c, add_to="if_any_zero")
    np.testing.assert_allclose(any_zero["effect"], every["effect"])
    no_zero = effect_sizes_2x2([1, 5], [10, 20], [3, 4], [12, 20], add_to="if_any_zero")
    assert not no_zero["corrected"].any()
    other = effect_sizes_2x2(ev_t, n_t, ev_c, n_c, correction=0.25)
    assert other["effect"].iloc[0] == pytest.approx(_log_or(0.25, 10.25, 3.25, 9.25)[0])


def test_no_correction_gives_nan_with_a_warning():
    with pytest.warns(UserWarning, match="not estimable without a continuity correction"):
        es = effect_sizes_2x2([0, 5], [10, 20], [3, 4], [12, 20], add_to="none")
    assert np.isnan(es["effect"].iloc[0]) and np.isnan(es["variance"].iloc[0])
    assert es["effect"].iloc[1] == pytest.approx(_log_or(5, 15, 4, 16)[0])
    with pytest.warns(UserWarning, match="not estimable"):
        zero = effect_sizes_2x2([0, 5], [10, 20], [3, 4], [12, 20], correction=0.0)
    assert np.isnan(zero["effect"].iloc[0])


@pytest.mark.parametrize("measure", ["OR", "RR"])
def test_double_zero_studies_are_excluded_with_a_warning(measure):
    with pytest.warns(UserWarning, match=r"no events .* in both arms.*study s2"):
        es = effect_sizes_2x2(
            [1, 0, 2], [10, 15, 12], [3, 0, 1], [11, 14, 12], measure=measure,
            labels=["s1", "s2", "s3"],
        )  # fmt: skip
    assert np.isnan(es.loc["s2", "effect"]) and np.isnan(es.loc["s2", "variance"])
    assert es[["effect", "variance"]].dropna().shape == (2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = effect_sizes_2x2(
            [1, 0, 2], [10, 15, 12], [3, 0, 1], [11, 14, 12], measure=measure,
            drop_double_zero=False,
        )  # fmt: skip
    # metafor's escalc default (drop00=FALSE): the table (0.5, 15.5, 0.5, 14.5) is kept
    expected_y = np.log(14.5 / 15.5) if measure == "OR" else np.log((0.5 / 16) / (0.5 / 15))
    assert kept["effect"].iloc[1] == pytest.approx(expected_y)
    expected_v = (1 / 0.5 + 1 / 15.5 + 1 / 0.5 + 1 / 14.5) if measure == "OR" else (
        1 / 0.5 - 1 / 16 + 1 / 0.5 - 1 / 15
    )  # fmt: skip
    assert kept["variance"].iloc[1] == pytest.approx(expected_v)


def test_all_events_in_both_arms_is_double_zero_for_the_odds_ratio():
    with pytest.warns(UserWarning, match="no events"):
        es = effect_sizes_2x2([10, 2], [10, 8], [9, 3], [9, 8])
    assert np.isnan(es["effect"].iloc[0])


def test_risk_difference_keeps_double_zero_studies():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        es = effect_sizes_2x2([0, 2], [10, 8], [0, 3], [9, 8], measure="RD")
    # 0.5 added to the four cells: p1 = 0.5/11, p2 = 0.5/10
    assert es["effect"].iloc[0] == pytest.approx(0.5 / 11 - 0.5 / 10)


# ----------------------------------------------------------------------------- labels, data
def test_labels_and_index(bcg):
    es = effect_sizes_2x2(*_bcg_args(bcg))
    assert es.index.equals(bcg.index)
    arrays = [np.asarray(a) for a in _bcg_args(bcg)]
    assert list(effect_sizes_2x2(*arrays).index) == list(range(13))
    named = effect_sizes_2x2(*arrays, labels=[f"t{i}" for i in range(13)])
    assert named.index[0] == "t0"
    series = pd.Series([1, 2], index=["a", "b"])
    assert list(effect_sizes_2x2(series, [5, 5], [2, 1], [5, 5]).index) == ["a", "b"]


def test_input_is_not_modified(bcg):
    before = bcg.copy()
    arrays = [np.asarray(a, dtype=float).copy() for a in _bcg_args(bcg)]
    copies = [a.copy() for a in arrays]
    effect_sizes_2x2(*_bcg_args(bcg), measure="RD", add_to="all")
    effect_sizes_2x2(*arrays, measure="OR")
    pd.testing.assert_frame_equal(bcg, before)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (
            ([1, -1], [5, 5], [1, 1], [5, 5]),
            {},
            ValueError,
            "`events_treat` must hold non-negative whole",
        ),
        (
            ([1, 1.5], [5, 5], [1, 1], [5, 5]),
            {},
            ValueError,
            "`events_treat` must hold non-negative whole",
        ),
        (
            ([1, 1], [5, 5], [1, 6], [5, 5]),
            {},
            ValueError,
            "`events_control` cannot exceed `n_control`",
        ),
        (([1, 1], [5, 0], [1, 1], [5, 5]), {}, ValueError, "`n_treat` must be positive"),
        (([1, np.nan], [5, 5], [1, 1], [5, 5]), {}, ValueError, "`events_treat` has 1 NaN"),
        (([1, 1], [5, np.inf], [1, 1], [5, 5]), {}, ValueError, "`n_treat` has 1 infinite"),
        (
            ([1, 1], [5, 5], ["a", "b"], [5, 5]),
            {},
            TypeError,
            "`events_control` must contain numbers",
        ),
        (([1, 1], [5, 5, 5], [1, 1], [5, 5]), {}, ValueError, "must have the same length"),
        (([], [], [], []), {}, ValueError, "`events_treat` is empty"),
        (([1], [5], [1], [5]), {"measure": "OR2"}, ValueError, "`measure` must be one of"),
        (([1], [5], [1], [5]), {"add_to": "some"}, ValueError, "`add_to` must be one of"),
        (([1], [5], [1], [5]), {"correction": -0.5}, ValueError, "`correction` must be >= 0"),
        (([1], [5], [1], [5]), {"correction": np.nan}, ValueError, "`correction` must be finite"),
        (([1], [5], [1], [5]), {"correction": "half"}, TypeError, "`correction` must be a real"),
        (
            ([1], [5], [1], [5]),
            {"drop_double_zero": 1},
            TypeError,
            "`drop_double_zero` must be True",
        ),
        (([1, 2], [5, 5], [1, 1], [5, 5]), {"labels": ["a"]}, ValueError, "`labels` has 1 entries"),
        (
            ([1, 2], [5, 5], [1, 1], [5, 5]),
            {"labels": "ab"},
            TypeError,
            "`labels` must be a sequence",
        ),
    ],
)
def test_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        effect_sizes_2x2(*args, **kwargs)
