"""Tests for statcraft.estimators.association (2x2 effect measures)."""

import math

import numpy as np
import pytest

import statcraft as sc

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
sm_ct = pytest.importorskip("statsmodels.stats.contingency_tables")

# (events_treated, n_treated, events_control, n_control), zero cells and small groups included
TABLES = [
    (56, 70, 48, 80),
    (9, 10, 3, 10),
    (6, 7, 2, 7),
    (5, 56, 0, 29),
    (0, 10, 0, 20),
    (10, 10, 0, 20),
    (1, 1, 0, 1),
    (13, 200, 27, 210),
    (189, 11034, 104, 11037),
]

# ---------------------------------------------------------------------------------------------
# risk difference
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "low", "high"),
    [
        # Newcombe (1998) Stat Med 17:873-890, Table II, method 10 (as reproduced by the propint
        # package's tests): 56/70 - 48/80 -> 0.0524 to 0.3339; 9/10 - 3/10 -> 0.1705 to 0.8090
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
    ],
)
def test_risk_difference_matches_newcombe_1998(table, low, high):
    res = sc.risk_difference(*table)
    assert res.estimate == pytest.approx(table[0] / table[1] - table[2] / table[3])
    assert res.confidence_interval.low == pytest.approx(low, abs=5e-5)
    assert res.confidence_interval.high == pytest.approx(high, abs=5e-5)
    assert res.n == table[1] + table[3]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_risk_difference_against_statsmodels(table, level):
    a, n1, c, n2 = table
    lo, hi = sm_prop.confint_proportions_2indep(
        a, n1, c, n2, method="newcomb", compare="diff", alpha=1 - level
    )
    res = sc.risk_difference(a, n1, c, n2, confidence_level=level)
    assert res.confidence_interval.low == pytest.approx(lo, abs=1e-12)
    assert res.confidence_interval.high == pytest.approx(hi, abs=1e-12)
    assert -1 <= res.confidence_interval.low <= res.estimate <= res.confidence_interval.high <= 1
    p1, p2 = a / n1, c / n2
    assert res.std_error == pytest.approx(math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2))


# ---------------------------------------------------------------------------------------------
# risk ratio and odds ratio
# ---------------------------------------------------------------------------------------------


def test_odds_ratio_matches_agresti_aspirin():
    # Agresti, Categorical Data Analysis / An Introduction to CDA: Physicians' Health Study,
    # MI in 189 of 11034 (placebo) and 104 of 11037 (aspirin): sample odds ratio 1.832,
    # 95% CI (1.44, 2.33)
    res = sc.odds_ratio(189, 11034, 104, 11037)
    assert res.estimate == pytest.approx(1.832, abs=5e-4)
    assert res.confidence_interval.low == pytest.approx(1.44, abs=5e-3)
    assert res.confidence_interval.high == pytest.approx(2.33, abs=5e-3)


@pytest.mark.parametrize("table", [t for t in TABLES if not (t[0] == 0 and t[2] == 0)])
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_ratios_against_statsmodels_table2x2(table, level):
    # statsmodels Table2x2 computes the Katz/Woolf intervals; its shift_zeros replaces only the
    # zero cells by 0.5, so the Haldane-Anscombe table (0.5 added to every cell when any is
    # zero) is given to it already corrected
    a, n1, c, n2 = table
    cells = np.array([[a, n1 - a], [c, n2 - c]], dtype=float)
    if cells.min() == 0:
        cells += 0.5
    t = sm_ct.Table2x2(cells, shift_zeros=False)
    rr = sc.risk_ratio(a, n1, c, n2, confidence_level=level)
    assert rr.estimate == pytest.approx(t.riskratio, rel=1e-12)
    assert rr.confidence_interval == pytest.approx(t.riskratio_confint(alpha=1 - level), rel=1e-12)
    assert rr.details["log_std_error"] == pytest.approx(t.log_riskratio_se, rel=1e-12)
    if not (a == n1 and c == n2):
        orr = sc.odds_ratio(a, n1, c, n2, confidence_level=level)
        assert orr.estimate == pytest.approx(t.oddsratio, rel=1e-12)
        assert orr.confidence_interval == pytest.approx(
            t.oddsratio_confint(alpha=1 - level), rel=1e-12
        )
        assert orr.details["log_std_error"] == pytest.approx(t.log_oddsratio_se, rel=1e-12)


def test_zero_cell_correction_documented_in_details():
    no_zero = sc.odds_ratio(13, 200, 27, 210)
    assert no_zero.details["zero_cell_correction"] == 0.0
    assert "0.5 added" not in no_zero.method
    zero = sc.odds_ratio(5, 56, 0, 29)
    assert zero.details["zero_cell_correction"] == 0.5
    assert "0.5 added to every cell" in zero.method
    # Haldane-Anscombe by hand: (5.5 * 29.5) / (51.5 * 0.5)
    assert zero.estimate == pytest.approx(5.5 * 29.5 / (51.5 * 0.5))
    assert zero.details["uncorrected_estimate"] == math.inf
    rr = sc.risk_ratio(0, 40, 3, 40)
    assert rr.details["uncorrected_estimate"] == 0.0
    assert rr.estimate == pytest.approx((0.5 / 41) / (3.5 / 41))


def test_ratio_by_hand_katz_woolf():
    # a=20, b=80, c=10, d=90: RR = 0.2/0.1 = 2, SE = sqrt(1/20 - 1/100 + 1/10 - 1/100);
    # OR = 20*90/(80*10) = 2.25, SE = sqrt(1/20 + 1/80 + 1/10 + 1/90)
    z = 1.959963984540054
    rr = sc.risk_ratio(20, 100, 10, 100)
    se = math.sqrt(1 / 20 - 1 / 100 + 1 / 10 - 1 / 100)
    assert rr.estimate == pytest.approx(2.0)
    assert rr.confidence_interval == pytest.approx((2 * math.exp(-z * se), 2 * math.exp(z * se)))
    orr = sc.odds_ratio(20, 100, 10, 100)
    se = math.sqrt(1 / 20 + 1 / 80 + 1 / 10 + 1 / 90)
    assert orr.estimate == pytest.approx(2.25)
    assert orr.confidence_interval == pytest.approx(
        (2.25 * math.exp(-z * se), 2.25 * math.exp(z * se))
    )
    assert rr.std_error is None and orr.std_error is None


def test_undefined_ratios_raise():
    with pytest.raises(ValueError, match=r"neither group has an event.*risk ratio is 0/0"):
        sc.risk_ratio(0, 10, 0, 20)
    with pytest.raises(ValueError, match=r"neither group has an event.*odds ratio is undefined"):
        sc.odds_ratio(0, 10, 0, 20)
    with pytest.raises(ValueError, match="every subject in both groups has an event"):
        sc.odds_ratio(10, 10, 20, 20)


# ---------------------------------------------------------------------------------------------
# number needed to treat
# ---------------------------------------------------------------------------------------------


def test_nnt_benefit_inverts_newcombe_published_interval():
    # deaths 48/80 (treated) vs 56/70 (control): ARR = 0.8 - 0.6 = 0.2, NNT = 5; Newcombe's
    # (1998) method-10 interval for this difference is 0.0524 to 0.3339, so the NNT(benefit)
    # interval is 1/0.3339 = 2.99 to 1/0.0524 = 19.1 (Altman 1998: invert and exchange)
    res = sc.number_needed_to_treat(48, 80, 56, 70)
    assert res.estimate == pytest.approx(5.0)
    assert 1 / res.confidence_interval.high == pytest.approx(0.0524, abs=5e-5)
    assert 1 / res.confidence_interval.low == pytest.approx(0.3339, abs=5e-5)
    assert res.confidence_interval.low < res.estimate < res.confidence_interval.high
    assert res.details["interval_crosses_infinity"] is False
    assert res.details["nnt_harm"] is None
    assert res.details["nnt_benefit"] == pytest.approx(res.confidence_interval.low)


def test_nnt_crossing_zero_is_harm_to_infinity_to_benefit():
    # ARR = 12/50 - 9/50 = 0.06 whose interval contains 0: NNTB 1/U to infinity to NNTH 1/|L|
    a, n1, c, n2 = 9, 50, 12, 50
    lo, hi = sm_prop.confint_proportions_2indep(c, n2, a, n1, method="newcomb", compare="diff")
    assert lo < 0 < hi
    res = sc.number_needed_to_treat(a, n1, c, n2)
    assert res.estimate == pytest.approx(1 / 0.06)
    d = res.details
    assert d["interval_crosses_infinity"] is True
    assert d["nnt_benefit"] == pytest.approx(1 / hi, rel=1e-12)
    assert d["nnt_harm"] == pytest.approx(-1 / lo, rel=1e-12)
    # Altman's order: low = 1/U (NNTB limit) > high = 1/L (negative, NNTH limit)
    assert res.confidence_interval.low == pytest.approx(1 / hi, rel=1e-12)
    assert res.confidence_interval.high == pytest.approx(1 / lo, rel=1e-12)
    assert res.confidence_interval.low > res.confidence_interval.high
    assert "to infinity to" in res.method and "NNTH" in res.method and "NNTB" in res.method


def test_nnt_significant_harm_and_desirable_outcome():
    # treated has more adverse events: ARR < 0 and its interval excludes 0 -> negative NNT
    res = sc.number_needed_to_treat(40, 100, 15, 100)
    lo, hi = sm_prop.confint_proportions_2indep(15, 100, 40, 100, method="newcomb")
    assert hi < 0
    assert res.estimate == pytest.approx(1 / (0.15 - 0.40))
    assert res.confidence_interval == pytest.approx((1 / hi, 1 / lo), rel=1e-12)
    assert res.confidence_interval.low <= res.estimate <= res.confidence_interval.high < 0
    assert res.details["nnt_benefit"] is None
    # the same counts for a desirable event (cure): benefit
    good = sc.number_needed_to_treat(40, 100, 15, 100, outcome="desirable")
    assert good.estimate == pytest.approx(4.0)
    assert good.confidence_interval == pytest.approx((-1 / lo, -1 / hi), rel=1e-12)


def test_nnt_zero_difference():
    res = sc.number_needed_to_treat(10, 50, 10, 50)
    assert res.estimate == math.inf
    assert res.details["interval_crosses_infinity"] is True


def test_nnt_bad_outcome():
    with pytest.raises(ValueError, match="`outcome` must be one of 'adverse', 'desirable'"):
        sc.number_needed_to_treat(1, 10, 2, 10, outcome="bad")


# ---------------------------------------------------------------------------------------------
# bad input, common to all four
# ---------------------------------------------------------------------------------------------

FUNCS = [sc.risk_difference, sc.risk_ratio, sc.odds_ratio, sc.number_needed_to_treat]


@pytest.mark.parametrize("f", FUNCS)
def test_bad_counts(f):
    with pytest.raises(ValueError, match="`events_treated` must be a non-negative count"):
        f(-1, 10, 2, 10)
    with pytest.raises(ValueError, match="`n_control` must be a non-negative count"):
        f(1, 10, 2, -10)
    with pytest.raises(ValueError, match=r"`events_treated` \(11\) cannot exceed `n_treated`"):
        f(11, 10, 2, 10)
    with pytest.raises(ValueError, match=r"`events_control` \(12\) cannot exceed `n_control`"):
        f(1, 10, 12, 10)
    with pytest.raises(ValueError, match="`n_treated` must be at least 1"):
        f(0, 0, 2, 10)
    with pytest.raises(ValueError, match="`n_control` must be a whole number"):
        f(1, 10, 2, 10.5)
    with pytest.raises(TypeError, match="`events_treated` must be a non-negative integer count"):
        f("3", 10, 2, 10)
    with pytest.raises(TypeError, match="`n_treated` must be a non-negative integer count"):
        f(3, None, 2, 10)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\); got 1.5"):
        f(3, 10, 2, 10, confidence_level=1.5)
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\)"):
        f(3, 10, 2, 10, confidence_level=0.0)


@pytest.mark.parametrize("f", FUNCS)
def test_numpy_counts_and_float_results(f):
    res = f(np.int64(13), np.int64(200), 47.0, 210)
    ref = f(13, 200, 47, 210)
    assert res.estimate == ref.estimate
    assert type(res.estimate) is float
    assert all(type(b) is float for b in res.confidence_interval)
    assert res.n == 410
    wide = f(13, 200, 47, 210, confidence_level=0.99).confidence_interval
    narrow = f(13, 200, 47, 210, confidence_level=0.8).confidence_interval
    assert wide.low <= narrow.low <= ref.estimate <= narrow.high <= wide.high
