"""Kaplan-Meier curve: R survival's printed outputs, statsmodels as an oracle, bad input."""

import math

import numpy as np
import pandas as pd
import pytest

import statcraft as sc
from statcraft.datasets import load_lung

# R survival's `aml` data, typed in from with(aml, Surv(time, status)) (survival-Ex.Rout.save)
AML_MAINT_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
AML_MAINT_STATUS = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]
AML_NONM_TIME = [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
AML_NONM_STATUS = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]

# R survival's `ovarian` data (futime, fustat, rx), typed in (26 rows, in R's row order)
OV_FUTIME = [59, 115, 156, 421, 431, 448, 464, 475, 477, 563, 638, 744, 769,
             770, 803, 855, 1040, 1106, 1129, 1206, 1227, 268, 329, 353, 365, 377]  # fmt: skip
OV_FUSTAT = [1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0,
             0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0]  # fmt: skip
OV_RX = [1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2]


def _event_rows(fit: sc.SurvivalCurve) -> pd.DataFrame:
    """The rows summary.survfit prints: event times only."""
    df = fit.to_frame()
    return df[df["n_events"] > 0].reset_index(drop=True)


# --------------------------------------------------------------------------- R references
def test_aml_maintained_matches_summary_survfit():
    # R (survival tests/doaml.Rout.save): summary(survfit(Surv(time, status) ~ x)), Maintained
    #  time n.risk n.event survival std.err lower 95% CI upper 95% CI
    expected = np.array([
        [9, 11, 1, 0.909, 0.0867, 0.7541, 1.000],
        [13, 10, 1, 0.818, 0.1163, 0.6192, 1.000],
        [18, 8, 1, 0.716, 0.1397, 0.4884, 1.000],
        [23, 7, 1, 0.614, 0.1526, 0.3769, 0.999],
        [31, 5, 1, 0.491, 0.1642, 0.2549, 0.946],
        [34, 4, 1, 0.368, 0.1627, 0.1549, 0.875],
        [48, 2, 1, 0.184, 0.1535, 0.0359, 0.944],
    ])  # fmt: skip
    rows = _event_rows(sc.kaplan_meier(AML_MAINT_TIME, AML_MAINT_STATUS))
    np.testing.assert_array_equal(rows["time"], expected[:, 0])
    np.testing.assert_array_equal(rows["n_at_risk"], expected[:, 1])
    np.testing.assert_array_equal(rows["n_events"], expected[:, 2])
    np.testing.assert_allclose(rows["survival"], expected[:, 3], atol=5e-4)
    np.testing.assert_allclose(rows["std_error"], expected[:, 4], atol=5e-5)
    np.testing.assert_allclose(rows["ci_low"], expected[:, 5], atol=5e-5)
    np.testing.assert_allclose(rows["ci_high"], expected[:, 6], atol=5e-4)


def test_aml_nonmaintained_matches_summary_survfit_including_zero_survival():
    # R (survival tests/doaml.Rout.save), x=Nonmaintained; at t=45 S=0: std.err NaN, CI NA
    expected = np.array([
        [5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000],
        [8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995],
        [12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941],
        [23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883],
        [27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816],
        [30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741],
        [33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664],
        [43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620],
    ])  # fmt: skip
    fit = sc.kaplan_meier(AML_NONM_TIME, AML_NONM_STATUS)
    rows = _event_rows(fit)
    np.testing.assert_allclose(rows.iloc[:8, :3].to_numpy(float), expected[:, :3][:, [0, 1, 2]])
    np.testing.assert_allclose(rows["survival"][:8], expected[:, 3], atol=5e-5)
    np.testing.assert_allclose(rows["std_error"][:8], expected[:, 4], atol=5e-5)
    np.testing.assert_allclose(rows["ci_low"][:8], expected[:, 5], atol=5e-5)
    np.testing.assert_allclose(rows["ci_high"][:8], expected[:, 6], atol=5e-4)
    last = rows.iloc[8]
    assert (last["time"], last["n_at_risk"], last["n_events"], last["survival"]) == (45, 1, 1, 0)
    assert math.isnan(last["std_error"])
    assert math.isnan(last["ci_low"])
    assert math.isnan(last["ci_high"])


def test_aml_print_survfit_medians():
    # R (doaml.Rout.save): survfit(Surv(time, status) ~ x, aml)
    #  Maintained    11 events 7  median 31  0.95LCL 18  0.95UCL NA
    #  Nonmaintained 12 events 11 median 23  0.95LCL  8  0.95UCL NA
    m = sc.kaplan_meier(AML_MAINT_TIME, AML_MAINT_STATUS)
    assert (m.n, m.n_events_total) == (11, 7)
    assert m.median.estimate == 31
    assert m.median.confidence_interval == (18, math.inf)
    nm = sc.kaplan_meier(AML_NONM_TIME, AML_NONM_STATUS)
    assert (nm.n, nm.n_events_total) == (12, 11)
    assert nm.median.estimate == 23
    assert nm.median.confidence_interval == (8, math.inf)


def test_ovarian_overall_matches_summary_survfit():
    # R (survival tests/Examples/survival-Ex.Rout.save, ?summary.survfit):
    # summary(survfit(Surv(futime, fustat) ~ 1, data = ovarian))
    expected = np.array([
        [59, 26, 0.962, 0.0377, 0.890, 1.000],
        [115, 25, 0.923, 0.0523, 0.826, 1.000],
        [156, 24, 0.885, 0.0627, 0.770, 1.000],
        [268, 23, 0.846, 0.0708, 0.718, 0.997],
        [329, 22, 0.808, 0.0773, 0.670, 0.974],
        [353, 21, 0.769, 0.0826, 0.623, 0.949],
        [365, 20, 0.731, 0.0870, 0.579, 0.923],
        [431, 17, 0.688, 0.0919, 0.529, 0.894],
        [464, 15, 0.642, 0.0965, 0.478, 0.862],
        [475, 14, 0.596, 0.0999, 0.429, 0.828],
        [563, 12, 0.546, 0.1032, 0.377, 0.791],
        [638, 11, 0.497, 0.1051, 0.328, 0.752],
    ])  # fmt: skip
    rows = _event_rows(sc.kaplan_meier(OV_FUTIME, OV_FUSTAT))
    np.testing.assert_array_equal(rows["time"], expected[:, 0])
    np.testing.assert_array_equal(rows["n_at_risk"], expected[:, 1])
    np.testing.assert_allclose(rows["survival"], expected[:, 2], atol=5e-4)
    np.testing.assert_allclose(rows["std_error"], expected[:, 3], atol=5e-5)
    np.testing.assert_allclose(rows["ci_low"], expected[:, 4], atol=5e-4)
    np.testing.assert_allclose(rows["ci_high"], expected[:, 5], atol=5e-4)


def test_ovarian_by_rx_matches_summary_survfit():
    # R (survival-Ex.Rout.save): summary(survfit(Surv(futime, fustat) ~ rx, data = ovarian))
    rx1 = np.array([
        [59, 13, 0.923, 0.0739, 0.789, 1.000],
        [115, 12, 0.846, 0.1001, 0.671, 1.000],
        [156, 11, 0.769, 0.1169, 0.571, 1.000],
        [268, 10, 0.692, 0.1280, 0.482, 0.995],
        [329, 9, 0.615, 0.1349, 0.400, 0.946],
        [431, 8, 0.538, 0.1383, 0.326, 0.891],
        [638, 5, 0.431, 0.1467, 0.221, 0.840],
    ])  # fmt: skip
    rx2 = np.array([
        [353, 13, 0.923, 0.0739, 0.789, 1.000],
        [365, 12, 0.846, 0.1001, 0.671, 1.000],
        [464, 9, 0.752, 0.1256, 0.542, 1.000],
        [475, 8, 0.658, 0.1407, 0.433, 1.000],
        [563, 7, 0.564, 0.1488, 0.336, 0.946],
    ])  # fmt: skip
    t, s, g = np.array(OV_FUTIME), np.array(OV_FUSTAT), np.array(OV_RX)
    for level, expected in ((1, rx1), (2, rx2)):
        rows = _event_rows(sc.kaplan_meier(t[g == level], s[g == level]))
        np.testing.assert_array_equal(rows["time"], expected[:, 0])
        np.testing.assert_array_equal(rows["n_at_risk"], expected[:, 1])
        np.testing.assert_allclose(rows["survival"], expected[:, 2], atol=5e-4)
        np.testing.assert_allclose(rows["std_error"], expected[:, 3], atol=5e-5)
        np.testing.assert_allclose(rows["ci_low"], expected[:, 4], atol=5e-4)
        np.testing.assert_allclose(rows["ci_high"], expected[:, 5], atol=5e-4)


def test_lung_overall_median():
    # R: survfit(Surv(time, status) ~ 1, data = lung)
    #    n events median 0.95LCL 0.95UCL -> 228 165 310 285 363
    lung = load_lung()
    fit = sc.kaplan_meier(lung["time"], lung["status"])
    assert (fit.n, fit.n_events_total) == (228, 165)
    med = fit.median
    assert med.estimate == 310
    assert med.confidence_interval == (285, 363)
    assert med.details["reached"] is True


def test_lung_median_by_sex():
    # R: survfit(Surv(time, status) ~ sex, data = lung)  (printed in many tutorials)
    #  sex=1 138 112 270 212 310 ; sex=2 90 53 426 348 550
    lung = load_lung()
    for sex, row in ((1, (138, 112, 270, 212, 310)), (2, (90, 53, 426, 348, 550))):
        d = lung[lung["sex"] == sex]
        fit = sc.kaplan_meier(d["time"], d["status"])
        med = fit.median
        assert (fit.n, fit.n_events_total, med.estimate, *med.confidence_interval) == row


@pytest.mark.parametrize(
    ("ecog", "q25", "q50", "q75"),
    [
        # R (survival-Ex.Rout.save, ?quantile.survfit):
        # quantile(survfit(Surv(time, status) ~ ph.ecog, data = lung)); (quantile, lower, upper)
        (0, (285, 189, 350), (394, 348, 574), (655, 558, None)),
        (1, (181, 156, 223), (306, 268, 429), (550, 460, 689)),
        (2, (105, 61, 163), (199, 156, 288), (351, 285, 654)),
        (3, (118, None, None), (118, None, None), (118, None, None)),
    ],
)
def test_lung_quantiles_by_ecog_match_quantile_survfit(ecog, q25, q50, q75):
    lung = load_lung()
    d = lung[lung["ph_ecog"] == ecog]
    fit = sc.kaplan_meier(d["time"], d["status"])
    for p, (q, lo, hi) in ((0.25, q25), (0.5, q50), (0.75, q75)):
        est = fit.quantile(p)
        assert est.estimate == q
        # R's NA: lower limit not reached -> NaN; upper limit not reached -> inf
        if lo is None:
            assert math.isnan(est.confidence_interval.low)
        else:
            assert est.confidence_interval.low == lo
        assert est.confidence_interval.high == (math.inf if hi is None else hi)


def test_median_of_uncensored_data_is_the_sample_median():
    # Independent: without censoring, R's midpoint rule on flats gives the ordinary median.
    rng = np.random.default_rng(1)
    for n in (4, 5, 10, 11, 30):
        x = np.round(rng.exponential(10, n), 2)
        fit = sc.kaplan_meier(x, np.ones(n))
        assert fit.median.estimate == pytest.approx(np.median(x))


def test_flat_at_end_of_curve_uses_last_time():
    # R's findq, worked by hand: S = .75, .5 then flat at .5 (censorings at 3, 4) to the end;
    # the median is the midpoint of the flat: (2 + 4) / 2 = 3.
    fit = sc.kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
    assert fit.median.estimate == 3.0


def test_against_statsmodels_survfuncright_all_aml():
    # Independent implementation: statsmodels SurvfuncRight (event times only)
    from statsmodels.duration.survfunc import SurvfuncRight

    time = AML_MAINT_TIME + AML_NONM_TIME
    status = AML_MAINT_STATUS + AML_NONM_STATUS
    ref = SurvfuncRight(np.array(time, float), np.array(status, float))
    rows = _event_rows(sc.kaplan_meier(time, status))
    np.testing.assert_allclose(rows["time"], ref.surv_times)
    np.testing.assert_allclose(rows["n_at_risk"], ref.n_risk)
    np.testing.assert_allclose(rows["survival"], ref.surv_prob, rtol=1e-12)
    np.testing.assert_allclose(rows["std_error"], ref.surv_prob_se, rtol=1e-10)


@pytest.mark.parametrize("conf_type", ["log-log", "plain", "log"])
def test_bands_on_lung_against_statsmodels_se_and_textbook_formulas(conf_type):
    # statsmodels gives S and its Greenwood SE; the band formulas are typed in from
    # Klein & Moeschberger (2003) eq. 4.3.1-4.3.3 (R's survfit_confint).
    from scipy.stats import norm
    from statsmodels.duration.survfunc import SurvfuncRight

    lung = load_lung()
    ref = SurvfuncRight(lung["time"].to_numpy(float), lung["status"].to_numpy(float))
    s, se = ref.surv_prob[:-1], ref.surv_prob_se[:-1]  # the last point has S > 0 here anyway
    z = norm.ppf(0.95)
    sigma = se / s
    if conf_type == "plain":
        lo, hi = np.clip(s - z * se, 0, 1), np.clip(s + z * se, 0, 1)
    elif conf_type == "log":
        lo, hi = s * np.exp(-z * sigma), np.minimum(s * np.exp(z * sigma), 1)
    else:
        lo, hi = s ** np.exp(-z * sigma / np.log(s)), s ** np.exp(z * sigma / np.log(s))
    fit = sc.kaplan_meier(lung["time"], lung["status"], conf_type=conf_type, confidence_level=0.9)
    rows = _event_rows(fit).iloc[:-1]
    np.testing.assert_allclose(rows["ci_low"], lo, rtol=1e-10)
    np.testing.assert_allclose(rows["ci_high"], hi, rtol=1e-10)
    assert fit.confidence_level == 0.9


def test_survival_at_is_the_right_continuous_step_function():
    # R summary(fit, times = c(0, 9, 20, 200), extend = TRUE) on aml Maintained: values of the
    # printed table at the last event time <= t (doaml.Rout.save rows above).
    fit = sc.kaplan_meier(AML_MAINT_TIME, AML_MAINT_STATUS)
    df = fit.survival_at([0, 9, 20, 200])
    np.testing.assert_allclose(df["survival"], [1.0, 0.909, 0.716, 0.184], atol=5e-4)
    np.testing.assert_allclose(df["std_error"], [0.0, 0.0867, 0.1397, 0.1535], atol=5e-5)
    np.testing.assert_allclose(df["ci_low"], [1.0, 0.7541, 0.4884, 0.0359], atol=5e-5)
    one = fit.survival_at(20)
    assert isinstance(one, sc.Estimate)
    assert one.estimate == pytest.approx(df["survival"][2])
    assert one.confidence_interval.low == pytest.approx(0.4884, abs=5e-5)
    assert list(df.columns) == ["time", "survival", "std_error", "ci_low", "ci_high"]


def test_zero_events_is_valid_and_median_not_reached():
    fit = sc.kaplan_meier([3, 1, 2], [0, 0, False])
    assert fit.n_events_total == 0
    np.testing.assert_array_equal(fit.survival, [1, 1, 1])
    np.testing.assert_array_equal(fit.std_error, [0, 0, 0])
    med = fit.median
    assert math.isnan(med.estimate)
    assert med.details["reached"] is False
    assert med.confidence_interval.high == math.inf
    assert "NA" in repr(fit)


def test_heavy_censoring_median_not_reached_but_lower_limit_is():
    # S stays above 0.5 (1 event in 6) but the lower log band drops below 0.5 -> (t, inf), NaN est
    fit = sc.kaplan_meier([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 0])
    med = fit.median
    assert math.isnan(med.estimate)
    # lower band at t=1: (5/6) * exp(-1.96 * sqrt(1 / (6 * 5))) = 0.5809 > 0.5 -> not reached
    assert math.isnan(med.confidence_interval.low)
    fit2 = sc.kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0], conf_type="plain")
    assert fit2.quantile(0.75).confidence_interval.high == math.inf


def test_table_columns_dict_repr_html_and_immutability():
    fit = sc.kaplan_meier(OV_FUTIME, OV_FUSTAT)
    assert list(fit.to_frame().columns) == [
        "time", "n_at_risk", "n_events", "n_censored", "survival", "std_error", "ci_low",
        "ci_high",
    ]  # fmt: skip
    assert len(fit.to_frame()) == len(set(OV_FUTIME))  # every distinct time, as survfit
    assert fit.to_frame()["n_censored"].sum() == 26 - 12
    d = fit.to_dict()
    assert (d["n"], d["events"], d["median"], d["median_ci_high"]) == (26, 12, 638.0, math.inf)
    assert "<table" in fit._repr_html_()
    assert repr(fit).splitlines()[-1].split()[:3] == ["26", "12", "638"]
    with pytest.raises(AttributeError):
        fit.n = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        fit.survival[0] = 0.5


def test_plot_draws_curve_band_and_censor_marks():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fit = sc.kaplan_meier(AML_MAINT_TIME, AML_MAINT_STATUS)
    ax = fit.plot()
    step, marks = ax.lines[0], ax.lines[1]
    np.testing.assert_array_equal(step.get_xdata(), np.r_[0, fit.time])
    np.testing.assert_array_equal(marks.get_xdata(), [13, 28, 45, 161])
    assert len(ax.collections) == 1  # the band
    plt.close(ax.figure)


def test_inputs_not_modified():
    time = np.array([5.0, 1.0, 3.0, 2.0])
    event = np.array([1, 0, 1, 1])
    s = pd.Series(time.copy())
    sc.kaplan_meier(time, event)
    sc.kaplan_meier(s, event)
    np.testing.assert_array_equal(time, [5, 1, 3, 2])
    np.testing.assert_array_equal(event, [1, 0, 1, 1])
    np.testing.assert_array_equal(s, [5, 1, 3, 2])


# ---------------------------------------------------------------------------- bad input
def test_nan_policy():
    t = [1.0, 2.0, np.nan, 4.0]
    e = [1, 1, 1, 0]
    with pytest.raises(ValueError, match=r"`time` has 1 NaN value; pass nan_policy='omit'"):
        sc.kaplan_meier(t, e)
    fit = sc.kaplan_meier(t, e, nan_policy="omit")
    assert fit.n == 3
    fit2 = sc.kaplan_meier([1, 2, 4], [1, np.nan, 0], nan_policy="omit")
    assert fit2.n == 2
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'omit'"):
        sc.kaplan_meier(t, e, nan_policy="propagate")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`time` is all NaN"):
        sc.kaplan_meier([np.nan, np.nan], [1, 1], nan_policy="omit")
    with pytest.raises(ValueError, match="no complete"):
        sc.kaplan_meier([np.nan, 1.0], [1, np.nan], nan_policy="omit")


@pytest.mark.parametrize(
    ("time", "event", "exc", "match"),
    [
        ([1, -2, 3], [1, 1, 0], ValueError, r"`time` must be non-negative; got 1 negative"),
        ([1, 2, 3], [1, 2, 0], ValueError, r"`event` must be 1 \(event\) or 0 \(censored\)"),
        ([1, 2, 3], [1, 0.5, 0], ValueError, "got value\\(s\\) 0.5"),
        ([1, 2, 3], [1, 0], ValueError, "`time` and `event` must have the same length"),
        ([], [], ValueError, "`time` is empty"),
        ([1, np.inf], [1, 1], ValueError, "`time` has 1 infinite value"),
        (["a", "b"], [1, 1], TypeError, "`time` must contain numbers"),
        ("abc", [1], TypeError, "`time` must be array-like"),
        ([1, 2], ["x", "y"], TypeError, "`event` must contain numbers"),
    ],
)
def test_bad_input(time, event, exc, match):
    with pytest.raises(exc, match=match):
        sc.kaplan_meier(time, event)


def test_bad_options():
    with pytest.raises(ValueError, match="`conf_type` must be one of 'log', 'log-log', 'plain'"):
        sc.kaplan_meier([1, 2], [1, 1], conf_type="logit")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\); got 1.5"):
        sc.kaplan_meier([1, 2], [1, 1], confidence_level=1.5)
    fit = sc.kaplan_meier([1, 2], [1, 1])
    for p in (0, 1, 1.2, -0.1):
        with pytest.raises(ValueError, match=r"`p` must be in \(0, 1\)"):
            fit.quantile(p)
    with pytest.raises(ValueError, match="`t` has 1 NaN value"):
        fit.survival_at([1.0, np.nan])


def test_boolean_events_accepted():
    a = sc.kaplan_meier(AML_MAINT_TIME, np.array(AML_MAINT_STATUS, dtype=bool))
    b = sc.kaplan_meier(AML_MAINT_TIME, AML_MAINT_STATUS)
    np.testing.assert_array_equal(a.survival, b.survival)


# ---------------------------------------------------------------------------- simulation
def _coverage(rng: np.random.Generator, reps: int, n: int, conf_type: str) -> tuple[float, float]:
    """Coverage of S(ln 2) = 0.5 by the band and of the true median ln 2 by the median CI."""
    hit_band = hit_median = 0
    for _ in range(reps):
        latent = rng.exponential(1.0, n)
        censor = rng.exponential(2.0, n)  # about 1/3 censored
        fit = sc.kaplan_meier(np.minimum(latent, censor), latent <= censor, conf_type=conf_type)
        low, high = fit.survival_at(math.log(2)).confidence_interval
        hit_band += low <= 0.5 <= high
        mlow, mhigh = fit.median.confidence_interval
        hit_median += mlow <= math.log(2) <= mhigh
    return hit_band / reps, hit_median / reps


def test_coverage_of_band_and_median_interval_fast():
    band, median = _coverage(np.random.default_rng(20261125), 800, 80, "log")
    assert 0.935 <= band <= 0.965
    assert 0.935 <= median <= 0.965


@pytest.mark.slow
@pytest.mark.parametrize("conf_type", ["log", "log-log"])
def test_coverage_of_band_and_median_interval_full(conf_type):
    band, median = _coverage(np.random.default_rng(5), 10000, 80, conf_type)
    assert 0.935 <= band <= 0.965
    assert 0.935 <= median <= 0.965


def test_log_log_band_is_undefined_where_the_curve_is_one():
    # R's survival:::survfit_confint, conf.type = "log-log": xx <- ifelse(p == 0 | p == 1, NA, p),
    # so survfit(Surv(c(1, 2, 3, 4), c(0, 1, 1, 0)) ~ 1, conf.type = "log-log") has NA limits
    # at time 1 (S = 1, before the first event) and finite ones at time 2 (S = 2/3)
    fit = sc.kaplan_meier([1, 2, 3, 4], [0, 1, 1, 0], conf_type="log-log")
    df = fit.to_frame()
    first, second = df.iloc[0], df.iloc[1]
    assert first["survival"] == 1.0
    assert math.isnan(first["ci_low"]) and math.isnan(first["ci_high"])
    assert 0 < second["ci_low"] < second["survival"] < second["ci_high"] < 1
