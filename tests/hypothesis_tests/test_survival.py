"""Log-rank test: R survdiff's printed outputs, statsmodels as an oracle, size, bad input."""

import numpy as np
import pandas as pd
import pytest

import statcraft as sc
from statcraft.datasets import load_lung

# R survival's `aml` data, typed in from with(aml, Surv(time, status)) (survival-Ex.Rout.save)
AML_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
AML_STATUS = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
AML_X = ["Maintained"] * 11 + ["Nonmaintained"] * 12

# R survival's `ovarian` data (futime, fustat, rx), typed in (26 rows, in R's row order)
OV_FUTIME = [59, 115, 156, 421, 431, 448, 464, 475, 477, 563, 638, 744, 769,
             770, 803, 855, 1040, 1106, 1129, 1206, 1227, 268, 329, 353, 365, 377]  # fmt: skip
OV_FUSTAT = [1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0,
             0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0]  # fmt: skip
OV_RX = [1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2]
OV_RESID = [2, 2, 2, 2, 2, 1, 2, 2, 2, 1, 1, 1, 2, 2, 1, 1, 2, 1, 1, 2, 1, 2, 2, 1, 2, 1]


def test_aml_matches_survdiff():
    # R (survival tests/doaml.Rout.save): survdiff(Surv(aml$time, aml$status) ~ aml$x)
    #                      N Observed Expected (O-E)^2/E (O-E)^2/V
    # aml$x=Maintained    11        7    10.69      1.27      3.40
    # aml$x=Nonmaintained 12       11     7.31      1.86      3.40
    #  Chisq= 3.4  on 1 degrees of freedom, p= 0.0653
    res = sc.logrank(AML_TIME, AML_STATUS, AML_X)
    assert round(res.statistic, 1) == 3.4
    assert res.pvalue == pytest.approx(0.0653, abs=5e-5)
    assert res.df == 1
    tab = res.details["table"]
    assert tab["group"].tolist() == ["Maintained", "Nonmaintained"]
    assert tab["n"].tolist() == [11, 12]
    np.testing.assert_allclose(tab["observed"], [7, 11])
    np.testing.assert_allclose(tab["expected"], [10.69, 7.31], atol=5e-3)
    np.testing.assert_allclose(tab["(O-E)^2/E"], [1.27, 1.86], atol=5e-3)
    np.testing.assert_allclose(tab["(O-E)^2/V"], [3.40, 3.40], atol=5e-3)
    assert res.method == "Log-rank test"
    stat, p = res
    assert (stat, p) == (res.statistic, res.pvalue)


def test_ovarian_matches_survdiff_to_six_digits():
    # R: survdiff(Surv(futime, fustat) ~ rx, data = ovarian), printed with 6 digits:
    #       N Observed Expected (O-E)^2/E (O-E)^2/V
    # rx=1 13        7  5.23353  0.596235   1.06274
    # rx=2 13        5  6.76647  0.461158   1.06274
    #  Chisq= 1.1  on 1 degrees of freedom, p= 0.302591
    res = sc.logrank(OV_FUTIME, OV_FUSTAT, OV_RX)
    tab = res.details["table"]
    np.testing.assert_allclose(tab["expected"], [5.23353, 6.76647], atol=5e-6)
    np.testing.assert_allclose(tab["(O-E)^2/E"], [0.596235, 0.461158], atol=5e-7)
    np.testing.assert_allclose(tab["(O-E)^2/V"], [1.06274, 1.06274], atol=5e-6)
    assert res.statistic == pytest.approx(1.06274, abs=5e-6)
    assert res.pvalue == pytest.approx(0.302591, abs=5e-7)


def test_lung_sex_matches_survdiff():
    # R: survdiff(Surv(time, status) ~ sex, data = lung)
    #         N Observed Expected (O-E)^2/E (O-E)^2/V
    # sex=1 138      112     91.6      4.55      10.3
    # sex=2  90       53     73.4      5.68      10.3
    #  Chisq= 10.3  on 1 degrees of freedom, p= 0.00131
    lung = load_lung()
    res = sc.logrank(lung["time"], lung["status"], lung["sex"])
    tab = res.details["table"]
    assert tab["n"].tolist() == [138, 90]
    np.testing.assert_allclose(tab["observed"], [112, 53])
    np.testing.assert_allclose(tab["expected"], [91.6, 73.4], atol=0.05)
    np.testing.assert_allclose(tab["(O-E)^2/E"], [4.55, 5.68], atol=5e-3)
    assert round(res.statistic, 1) == 10.3
    assert res.pvalue == pytest.approx(0.00131, abs=5e-6)


def test_lung_sex_rho1_matches_survdiff():
    # R: survdiff(st ~ sex, data = lung, rho = 1)
    #              N Observed Expected (O-E)^2/E (O-E)^2/V
    # sex=Male   138     70.4     55.6      3.95      12.7
    # sex=Female  90     28.7     43.5      5.04      12.7
    #  Chisq= 12.7  on 1 degrees of freedom, p= 0.000363
    lung = load_lung()
    res = sc.logrank(lung["time"], lung["status"], lung["sex"], rho=1)
    tab = res.details["table"]
    np.testing.assert_allclose(tab["observed"], [70.4, 28.7], atol=0.05)
    np.testing.assert_allclose(tab["expected"], [55.6, 43.5], atol=0.05)
    np.testing.assert_allclose(tab["(O-E)^2/E"], [3.95, 5.04], atol=5e-3)
    np.testing.assert_allclose(tab["(O-E)^2/V"], [12.7, 12.7], atol=0.05)
    assert res.pvalue == pytest.approx(0.000363, abs=5e-7)
    assert "rho = 1" in res.method


def test_lung_stratified_matches_survdiff():
    # R (survival-Ex.Rout.save, ?survdiff):
    # survdiff(Surv(time, status) ~ pat.karno + strata(inst), data = lung)
    # n=224, 4 observations deleted due to missingness.
    expected = np.array([
        [30, 2, 1, 0.692, 0.13720, 0.15752],
        [40, 2, 1, 1.099, 0.00889, 0.00973],
        [50, 4, 4, 1.166, 6.88314, 7.45359],
        [60, 30, 27, 16.298, 7.02790, 9.57333],
        [70, 41, 31, 26.358, 0.81742, 1.14774],
        [80, 50, 38, 41.938, 0.36978, 0.60032],
        [90, 60, 38, 47.242, 1.80800, 3.23078],
        [100, 35, 21, 26.207, 1.03451, 1.44067],
    ])  # fmt: skip
    #  Chisq= 21.4  on 7 degrees of freedom, p= 0.003
    lung = load_lung()
    res = sc.logrank(
        lung["time"], lung["status"], lung["pat_karno"], strata=lung["inst"], nan_policy="omit"
    )
    tab = res.details["table"]
    assert int(tab["n"].sum()) == 224
    np.testing.assert_allclose(tab["group"].astype(float), expected[:, 0])
    np.testing.assert_allclose(tab["n"], expected[:, 1])
    np.testing.assert_allclose(tab["observed"], expected[:, 2])
    np.testing.assert_allclose(tab["expected"], expected[:, 3], atol=5e-4)
    np.testing.assert_allclose(tab["(O-E)^2/E"], expected[:, 4], atol=5e-6, rtol=5e-5)
    np.testing.assert_allclose(tab["(O-E)^2/V"], expected[:, 5], atol=5e-6, rtol=5e-5)
    assert round(res.statistic, 1) == 21.4
    assert res.df == 7
    assert round(res.pvalue, 3) == 0.003
    assert res.method.startswith("Stratified log-rank test: ")  # then the Series' names
    assert res.details["n_strata"] == 18


def test_against_statsmodels_survdiff_k_groups_and_strata():
    # Independent implementation: statsmodels.duration.survdiff (chi-square, p-value)
    from statsmodels.duration.survfunc import survdiff

    lung = load_lung().dropna(subset=["ph_ecog"])
    t, s = lung["time"].to_numpy(float), lung["status"].to_numpy(float)
    g = lung["ph_ecog"].to_numpy()
    chi, p = survdiff(t, s, g)
    res = sc.logrank(t, s, g)
    assert res.statistic == pytest.approx(chi, rel=1e-10)
    assert res.pvalue == pytest.approx(p, rel=1e-8)
    assert res.df == 3
    chi, p = survdiff(t, s, lung["sex"].to_numpy(), strata=g)
    res = sc.logrank(t, s, lung["sex"], strata=g)
    assert res.statistic == pytest.approx(chi, rel=1e-10)
    assert res.pvalue == pytest.approx(p, rel=1e-8)


def test_ovarian_stratified_against_statsmodels():
    from statsmodels.duration.survfunc import survdiff

    chi, p = survdiff(
        np.array(OV_FUTIME, float), np.array(OV_FUSTAT, float), np.array(OV_RX),
        strata=np.array(OV_RESID),
    )  # fmt: skip
    res = sc.logrank(OV_FUTIME, OV_FUSTAT, OV_RX, strata=OV_RESID)
    assert res.statistic == pytest.approx(chi, rel=1e-10)
    assert res.pvalue == pytest.approx(p, rel=1e-8)


def test_stratified_sums_observed_expected_and_variance_over_strata():
    # Brute force: the stratified O, E and V are the sums of the per-stratum ones.
    t, s = np.array(OV_FUTIME), np.array(OV_FUSTAT)
    g, st = np.array(OV_RX), np.array(OV_RESID)
    parts = [sc.logrank(t[st == k], s[st == k], g[st == k]) for k in (1, 2)]
    res = sc.logrank(t, s, g, strata=st)
    for key in ("observed", "expected", "variance"):
        np.testing.assert_allclose(
            res.details[key], parts[0].details[key] + parts[1].details[key], rtol=1e-12
        )
    d = res.details["observed"] - res.details["expected"]
    assert res.statistic == pytest.approx(d[1] ** 2 / res.details["variance"][1, 1])


def test_group_with_no_one_at_risk_at_event_times_is_dropped_from_df():
    # As R's print.survdiff: df = (groups with expected > 0) - 1. A group censored before the
    # first event changes nothing else, so the statistic equals the test without it.
    time = [*AML_TIME, 1, 2]
    status = [*AML_STATUS, 0, 0]
    group = [*AML_X, "early", "early"]
    res = sc.logrank(time, status, group)
    ref = sc.logrank(AML_TIME, AML_STATUS, AML_X)
    assert res.df == 1
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.details["expected"][2] == 0


def test_details_are_read_only_and_inputs_not_modified():
    t = np.array(AML_TIME, float)
    e = np.array(AML_STATUS)
    g = pd.Series(AML_X)
    res = sc.logrank(t, e, g)
    with pytest.raises(ValueError, match="read-only"):
        res.details["observed"][0] = 1.0
    with pytest.raises(TypeError):
        res.details["rho"] = 2  # type: ignore[index]
    np.testing.assert_array_equal(t, AML_TIME)
    np.testing.assert_array_equal(e, AML_STATUS)
    assert g.tolist() == AML_X
    assert res.details["groups"] == ("Maintained", "Nonmaintained")
    assert list(res.to_frame().columns)[:3] == ["statistic", "pvalue", "df"]


# -------------------------------------------------------------------------- simulation
def _rejection_rate(rng: np.random.Generator, reps: int, sizes: tuple[int, ...]) -> float:
    groups = np.repeat(np.arange(len(sizes)), sizes)
    n = groups.size
    rejections = 0
    for _ in range(reps):
        latent = rng.exponential(1.0, n)
        censor = rng.uniform(0.0, 3.0, n)
        res = sc.logrank(np.minimum(latent, censor), latent <= censor, groups)
        rejections += res.pvalue < 0.05
    return rejections / reps


def test_size_under_the_null_fast():
    # 2500 two-sample data sets, 40 per group, ~30% uniform censoring (about 3 s)
    rate = _rejection_rate(np.random.default_rng(20261125), 2500, (40, 40))
    assert 0.04 <= rate <= 0.06


@pytest.mark.slow
def test_size_under_the_null_full():
    rng = np.random.default_rng(7)
    assert 0.04 <= _rejection_rate(rng, 10000, (50, 50)) <= 0.06
    assert 0.04 <= _rejection_rate(rng, 10000, (30, 60, 45)) <= 0.06


# ---------------------------------------------------------------------------- bad input
def test_single_group_is_a_clear_error():
    with pytest.raises(ValueError, match="at least two groups to compare; got 1"):
        sc.logrank([1, 2, 3], [1, 1, 0], ["a", "a", "a"])


def test_no_events_is_a_clear_error():
    with pytest.raises(ValueError, match="no events"):
        sc.logrank([1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 2, 2])


@pytest.mark.parametrize(
    ("time", "event", "group", "exc", "match"),
    [
        ([1, -2, 3, 4], [1, 1, 0, 1], [1, 1, 2, 2], ValueError, "`time` must be non-negative"),
        ([1, 2, 3, 4], [1, 3, 0, 1], [1, 1, 2, 2], ValueError, "`event` must be 1"),
        ([1, 2, 3], [1, 1, 0, 1], [1, 1, 2], ValueError, "`time` and `event` must have the same"),
        ([1, 2, 3, 4], [1, 1, 0, 1], [1, 1, 2], ValueError, "`time` and `group` must have"),
        ([1, 2, 3, 4], [1, 1, 0, 1], "ab", TypeError, "`group` must be array-like"),
        (["a", "b"], [1, 1], [1, 2], TypeError, "`time` must contain numbers"),
        ([], [], [], ValueError, "`time` is empty"),
    ],
)
def test_bad_input(time, event, group, exc, match):
    with pytest.raises(exc, match=match):
        sc.logrank(time, event, group)


def test_nan_policy_covers_group_and_strata():
    t = [1, 2, 3, 4, 5, 6]
    e = [1, 1, 0, 1, 1, 1]
    g = ["a", "b", None, "a", "b", "a"]
    with pytest.raises(ValueError, match="`group` has 1 missing value"):
        sc.logrank(t, e, g)
    omitted = sc.logrank(t, e, g, nan_policy="omit")
    ref = sc.logrank([1, 2, 4, 5, 6], [1, 1, 1, 1, 1], ["a", "b", "a", "b", "a"])
    assert omitted.statistic == pytest.approx(ref.statistic)
    with pytest.raises(ValueError, match="`strata` has 1 missing value"):
        sc.logrank(t, e, [1, 2, 1, 2, 1, 2], strata=[1, 1, np.nan, 1, 1, 1])
    with pytest.raises(ValueError, match="`time` has 1 NaN value"):
        sc.logrank([1, np.nan, 3, 4], [1, 1, 1, 1], [1, 1, 2, 2])
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'omit'"):
        sc.logrank(t, e, [1, 2, 1, 2, 1, 2], nan_policy="propagate")


def test_bad_rho():
    with pytest.raises(ValueError, match="`rho` must be >= 0; got -1"):
        sc.logrank(AML_TIME, AML_STATUS, AML_X, rho=-1)
    with pytest.raises(TypeError, match="`rho` must be a real number"):
        sc.logrank(AML_TIME, AML_STATUS, AML_X, rho="1")
