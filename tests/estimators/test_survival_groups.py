"""Kaplan-Meier curves by group and log-rank from a DataFrame (issue 12).

References: R survival's printed ``survfit(Surv(time, status) ~ sex, data = lung)`` and
``quantile(survfit(Surv(time, status) ~ ph.ecog, data = lung))``; statsmodels'
``SurvfuncRight`` as an independent implementation of each group's curve; and the array forms
of ``kaplan_meier`` / ``logrank`` on the subsets, which each grouped or ``data=`` call must
equal exactly.
"""

import math

import numpy as np
import pandas as pd
import pytest

import statcraft as sc
from statcraft.datasets import load_lung


@pytest.fixture
def lung() -> pd.DataFrame:
    """The bundled lung data with sex as labels (R's lung: 1 = male, 2 = female)."""
    df = load_lung()
    return df.assign(sex_label=df["sex"].map({1: "male", 2: "female"}))


@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def _assert_same_curve(a: sc.SurvivalCurve, b: sc.SurvivalCurve) -> None:
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)
    assert (a.n, a.n_events_total, a.conf_type, a.confidence_level) == (
        b.n,
        b.n_events_total,
        b.conf_type,
        b.confidence_level,
    )


# ----------------------------------------------------------------------- R and subsets
def test_lung_by_sex_matches_print_survfit(lung):
    # R (survival 3.x), as printed in E. C. Zabor, "Survival analysis in R" (2023 tutorial):
    # survfit(Surv(time, status) ~ sex, data = lung)
    #          n events median 0.95LCL 0.95UCL
    #   sex=1 138    112    270     212     310
    #   sex=2  90     53    426     348     550
    km = sc.kaplan_meier("time", "status", group="sex", data=lung)
    assert isinstance(km, sc.SurvivalCurves)
    assert km.labels == (1, 2)
    assert km.group_name == "sex"
    expected = {1: (138, 112, 270, 212, 310), 2: (90, 53, 426, 348, 550)}
    for label, row in expected.items():
        fit = km[label]
        med = fit.median
        assert (fit.n, fit.n_events_total, med.estimate, *med.confidence_interval) == row
    medians = km.medians
    assert medians.columns.tolist() == ["group", "n", "events", "median", "ci_low", "ci_high"]
    assert medians.to_numpy().tolist() == [[1, *expected[1]], [2, *expected[2]]]


def test_each_group_curve_equals_the_single_curve_on_its_subset(lung):
    km = sc.kaplan_meier("time", "status", group="sex_label", data=lung, conf_type="log-log")
    assert km.labels == ("female", "male")  # sorted, as pandas groupby and R's factor levels
    for label in ("female", "male"):
        d = lung[lung["sex_label"] == label]
        _assert_same_curve(km[label], sc.kaplan_meier(d["time"], d["status"], conf_type="log-log"))


@pytest.mark.parametrize("conf_type", ["log", "plain"])
def test_each_group_curve_against_statsmodels(lung, conf_type):
    # Independent implementation: statsmodels' SurvfuncRight (Greenwood SE of S(t)).
    from statsmodels.duration.survfunc import SurvfuncRight

    km = sc.kaplan_meier(
        lung["time"], lung["status"], lung["sex_label"], conf_type=conf_type, nan_policy="omit"
    )
    for label, curve in km.items():
        d = lung[lung["sex_label"] == label]
        ref = SurvfuncRight(d["time"].to_numpy(float), d["status"].to_numpy(float))
        rows = curve.to_frame().set_index("time").loc[ref.surv_times]
        np.testing.assert_allclose(rows["survival"], ref.surv_prob, rtol=1e-12)
        ok = ref.surv_prob > 0
        np.testing.assert_allclose(rows["std_error"][ok], ref.surv_prob_se[ok], rtol=1e-10)
        np.testing.assert_array_equal(rows["n_at_risk"], ref.n_risk)


@pytest.mark.parametrize(
    ("ecog", "median"),
    [
        # R (survival-Ex.Rout.save, ?quantile.survfit): the 50% rows of
        # quantile(survfit(Surv(time, status) ~ ph.ecog, data = lung)); (median, lower, upper)
        # and print(): n 63/113/50/1, events 37/82/44/1 (one subject with NA ph.ecog dropped)
        (0.0, (63, 37, 394, 348, 574)),
        (1.0, (113, 82, 306, 268, 429)),
        (2.0, (50, 44, 199, 156, 288)),
    ],
)
def test_lung_by_ecog_with_missing_group_omitted_matches_survfit(lung, ecog, median):
    km = sc.kaplan_meier("time", "status", group="ph_ecog", data=lung, nan_policy="omit")
    assert km.labels == (0.0, 1.0, 2.0, 3.0)
    fit = km[ecog]
    med = fit.median
    assert (fit.n, fit.n_events_total, med.estimate, *med.confidence_interval) == median
    # R: 3 | 118 NA NA  (our upper NA is inf, the lower NaN: see SurvivalCurve.quantile)
    last = km[3.0].median
    assert last.estimate == 118
    assert math.isnan(last.confidence_interval.low)
    assert last.confidence_interval.high == math.inf
    assert sum(c.n for c in km.values()) == 227


def test_array_series_and_data_forms_agree(lung):
    by_name = sc.kaplan_meier("time", "status", group="sex_label", data=lung)
    by_series = sc.kaplan_meier(lung["time"], lung["status"], group=lung["sex_label"])
    by_array = sc.kaplan_meier(
        lung["time"].to_numpy(), lung["status"].tolist(), lung["sex_label"].to_numpy()
    )
    mixed = sc.kaplan_meier(lung["time"].to_numpy(), "status", "sex_label", data=lung)
    column_vector = sc.kaplan_meier(lung.time, lung.status, lung[["sex_label"]].to_numpy())
    for other in (by_series, by_array, mixed, column_vector):
        assert other.labels == by_name.labels
        for a, b in zip(by_name.values(), other.values(), strict=True):
            _assert_same_curve(a, b)
    assert by_series.group_name == "sex_label"
    assert by_array.group_name is None
    # data= without group is the single curve, as the array form
    _assert_same_curve(
        sc.kaplan_meier("time", "status", data=lung), sc.kaplan_meier(lung.time, lung.status)
    )


def test_group_aligned_by_position_not_by_index(lung):
    # a shuffled index must not realign anything: group i belongs to time i
    shuffled = lung.sample(frac=1.0, random_state=3)
    km = sc.kaplan_meier(shuffled["time"], shuffled["status"], shuffled["sex"].to_numpy())
    d = shuffled[shuffled["sex"] == 2]
    _assert_same_curve(km[2], sc.kaplan_meier(d["time"], d["status"]))


def test_categorical_group_keeps_category_order_and_drops_unused(lung):
    df = lung.assign(arm=pd.Categorical(lung["sex_label"], categories=["male", "other", "female"]))
    km = sc.kaplan_meier("time", "status", group="arm", data=df)
    assert km.labels == ("male", "female")
    assert list(km.to_frame()["group"].unique()) == ["male", "female"]


# --------------------------------------------------------------------- the result object
def test_mapping_interface_and_key_error(lung):
    km = sc.kaplan_meier("time", "status", group="sex_label", data=lung)
    assert list(km) == ["female", "male"]
    assert len(km) == 2
    assert "male" in km and "other" not in km
    assert [label for label, _ in km.items()] == list(km.labels)
    assert all(isinstance(c, sc.SurvivalCurve) for c in km.values())
    assert km.curves[1] is km["male"]
    with pytest.raises(KeyError, match=r"no group 'other' in `sex_label`; the groups are"):
        km["other"]
    with pytest.raises(AttributeError):
        km.labels = ("a", "b")  # type: ignore[misc]


def test_to_frame_stacks_the_curves_with_a_group_column_first(lung):
    km = sc.kaplan_meier("time", "status", group="sex_label", data=lung)
    frame = km.to_frame()
    assert frame.columns[0] == "group"
    assert frame.columns[1:].tolist() == km["male"].to_frame().columns.tolist()
    assert frame["group"].tolist() == ["female"] * len(km["female"].time) + ["male"] * len(
        km["male"].time
    )
    male = frame[frame["group"] == "male"].drop(columns="group").reset_index(drop=True)
    pd.testing.assert_frame_equal(male, km["male"].to_frame(), check_exact=True)


def test_repr_html_and_dict(lung):
    km = sc.kaplan_meier("time", "status", group="sex", data=lung)
    lines = repr(km).splitlines()
    assert lines[0] == "SurvivalCurves(Kaplan-Meier by sex, log confidence bands)"
    assert lines[1].split() == ["sex", "n", "events", "median", "0.95LCL", "0.95UCL"]
    assert lines[2].split() == ["1", "138", "112", "270", "212", "310"]
    html = km._repr_html_()
    assert "<table" in html and "by sex" in html
    d = km.to_dict()
    assert d["group_name"] == "sex"
    assert [(c["group"], c["n"], c["median"]) for c in d["curves"]] == [(1, 138, 270), (2, 90, 426)]


# ------------------------------------------------------------------------------ plots
def test_grouped_plot_draws_one_step_line_per_group_with_legend_and_labels(lung, plt):
    km = sc.kaplan_meier("time", "status", group="sex_label", data=lung)
    ax = km.plot(time_unit="days")
    assert ax.get_xlabel() == "time (days)"
    assert ax.get_ylabel() == "survival probability"
    assert ax.get_title() == "Kaplan-Meier survival curves by sex_label"
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["female", "male"]
    assert legend.get_title().get_text() == "sex_label"
    # per group: the step line, then its censoring ticks (both groups have censored times)
    steps = [line for line in ax.lines if not line.get_label().startswith("_")]
    assert [line.get_label() for line in steps] == ["female", "male"]
    assert len(ax.lines) == 4
    for line, label in zip(steps, ("female", "male"), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), np.r_[0, km[label].time])
        np.testing.assert_array_equal(line.get_ydata(), np.r_[1, km[label].survival])
    ticks = ax.lines[3]  # the male curve's censoring ticks
    male = km["male"]
    np.testing.assert_array_equal(ticks.get_xdata(), male.time[male.n_censored > 0])
    assert ticks.get_color() == ax.lines[2].get_color()
    assert len(ax.collections) == 0  # no bands by default for several curves, as R


def test_grouped_plot_options_and_given_axes(lung, plt):
    km = sc.kaplan_meier("time", "status", group="sex", data=lung)
    _, axes = plt.subplots(1, 2)
    ax = km.plot(axes[1], ci=True, censor_marks=False)
    assert ax is axes[1]
    assert len(ax.lines) == 2  # step lines only
    assert len(ax.collections) == 2  # one band per group
    assert ax.get_xlabel() == "time"
    assert not axes[0].lines


def test_single_curve_plot_labels_title_and_unit(lung, plt):
    fit = sc.kaplan_meier("time", "status", data=lung)
    ax = fit.plot(time_unit="days", label="all patients")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("time (days)", "survival probability")
    assert ax.get_title() == "Kaplan-Meier survival curve"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["all patients"]
    assert len(ax.lines) == 2 and len(ax.collections) == 1
    ax2 = sc.kaplan_meier([1, 2, 3], [1, 1, 1]).plot(ci=False)  # no censoring: no tick line
    assert len(ax2.lines) == 1 and not ax2.collections
    assert ax2.get_legend() is None
    with pytest.raises(TypeError, match="`time_unit` must be a string"):
        fit.plot(time_unit=7)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- logrank
@pytest.mark.parametrize("rho", [0.0, 1.0])
def test_logrank_data_form_equals_array_form_exactly(lung, rho):
    by_name = sc.logrank("time", "status", group="sex", data=lung, rho=rho)
    by_array = sc.logrank(
        lung["time"].to_numpy(), lung["status"].to_numpy(), lung["sex"].to_numpy(), rho=rho
    )
    assert (by_name.statistic, by_name.pvalue, by_name.df) == (
        by_array.statistic,
        by_array.pvalue,
        by_array.df,
    )
    for key in ("observed", "expected", "variance", "n"):
        np.testing.assert_array_equal(by_name.details[key], by_array.details[key])
    pd.testing.assert_frame_equal(by_name.details["table"], by_array.details["table"])
    assert by_name.details["groups"] == by_array.details["groups"] == (1, 2)
    if rho == 0:
        # R: survdiff(Surv(time, status) ~ sex, data = lung): Chisq= 10.3 on 1 df, p= 0.00131
        assert round(by_name.statistic, 1) == 10.3
        assert by_name.pvalue == pytest.approx(0.00131, abs=5e-6)
        assert by_name.method == "Log-rank test: time by sex (1 vs 2)"
        assert by_array.method == "Log-rank test"
    assert by_name.details["data_name"] == "time by sex (1 vs 2)"
    assert "data_name" not in by_array.details


def test_logrank_stratified_with_columns_equals_array_form(lung):
    # R (survival-Ex.Rout.save, ?survdiff):
    # survdiff(Surv(time, status) ~ pat.karno + strata(inst), data = lung): Chisq= 21.4 on 7 df
    by_name = sc.logrank("time", "status", "pat_karno", strata="inst", data=lung, nan_policy="omit")
    by_series = sc.logrank(
        lung["time"], lung["status"], lung["pat_karno"], strata=lung["inst"], nan_policy="omit"
    )
    assert (by_name.statistic, by_name.pvalue, by_name.df) == (
        by_series.statistic,
        by_series.pvalue,
        by_series.df,
    )
    assert round(by_name.statistic, 1) == 21.4 and by_name.df == 7
    assert by_name.method.startswith("Stratified log-rank test: time by pat_karno (")
    assert by_name.details["data_name"].endswith(", stratified by inst")
    # named Series carry their names into the method text, as named columns do
    assert by_series.method == by_name.method
    assert by_series.details["data_name"] == by_name.details["data_name"]


def test_logrank_string_labels_from_a_column(lung):
    res = sc.logrank("time", "status", group="sex_label", data=lung)
    assert res.details["groups"] == ("female", "male")
    assert res.details["table"]["group"].tolist() == ["female", "male"]
    ref = sc.logrank(lung["time"], lung["status"], lung["sex_label"])
    assert (res.statistic, res.pvalue) == (ref.statistic, ref.pvalue)
    # the same test as with R's 1/2 coding, up to the order of summation
    assert res.statistic == pytest.approx(sc.logrank(lung.time, lung.status, lung.sex).statistic)


# ------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [sc.kaplan_meier, sc.logrank])
def test_missing_columns_are_named(lung, func):
    with pytest.raises(ValueError, match=r"`time`: 'tim' is not a column of `data` \(did you"):
        func("tim", "status", "sex", data=lung)
    with pytest.raises(ValueError, match=r"`event`: 'dead' is not a column of `data`"):
        func("time", "dead", "sex", data=lung)
    with pytest.raises(ValueError, match=r"`group`: 'gender' is not a column of `data`"):
        func("time", "status", "gender", data=lung)
    with pytest.raises(TypeError, match=r"`time`: column 'sex_label' of `data` must be numeric"):
        func("sex_label", "status", "sex", data=lung)
    with pytest.raises(TypeError, match=r"`time` .*the string 'time'.*pass the DataFrame as data="):
        func("time", lung["status"], lung["sex"])
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame; got dict"):
        func("time", "status", "sex", data=lung.to_dict())


def test_group_with_one_level_is_an_error(lung):
    one = lung.assign(arm="A")
    with pytest.raises(ValueError, match=r"`group` \(column 'arm'\) must have at least 2 levels"):
        sc.kaplan_meier("time", "status", group="arm", data=one)
    with pytest.raises(ValueError, match="at least two groups to compare; got 1"):
        sc.logrank("time", "status", group="arm", data=one)
    # one level left after dropping the missing ones
    with pytest.raises(ValueError, match="must have at least 2 levels; found 1: 2"):
        sc.kaplan_meier(
            "time", "status", group=lung["sex"].where(lung["sex"] == 2), data=lung,
            nan_policy="omit",
        )  # fmt: skip


def test_missing_group_labels(lung):
    df = lung.copy()
    df.loc[[3, 10], "sex_label"] = np.nan
    with pytest.raises(ValueError, match=r"`group` \(column 'sex_label'\) has 2 missing values; "
                       r"pass nan_policy='omit'"):  # fmt: skip
        sc.kaplan_meier("time", "status", group="sex_label", data=df)
    with pytest.raises(ValueError, match="`group` has 2 missing value"):
        sc.logrank("time", "status", group="sex_label", data=df)
    km = sc.kaplan_meier("time", "status", group="sex_label", data=df, nan_policy="omit")
    kept = df.dropna(subset=["sex_label"])
    for label in ("female", "male"):
        d = kept[kept["sex_label"] == label]
        _assert_same_curve(km[label], sc.kaplan_meier(d["time"], d["status"]))
    res = sc.logrank("time", "status", group="sex_label", data=df, nan_policy="omit")
    ref = sc.logrank(kept["time"], kept["status"], kept["sex_label"])
    assert (res.statistic, res.pvalue) == (ref.statistic, ref.pvalue)


def test_missing_time_with_group_and_other_bad_groups(lung):
    df = lung.copy()
    df.loc[5, "time"] = np.nan
    with pytest.raises(ValueError, match="`time` has 1 NaN value; pass nan_policy='omit'"):
        sc.kaplan_meier("time", "status", group="sex", data=df)
    km = sc.kaplan_meier("time", "status", group="sex", data=df, nan_policy="omit")
    assert sum(c.n for c in km.values()) == 227
    with pytest.raises(ValueError, match=r"`group` must have one label per observation of `time`"):
        sc.kaplan_meier(lung["time"], lung["status"], [1, 2] * 10)
    with pytest.raises(ValueError, match="`group` must be one-dimensional"):
        sc.kaplan_meier([1, 2], [1, 1], [[1, 2], [1, 2]])
    with pytest.raises(TypeError, match=r"`group` .*the string 'sex'.*pass the DataFrame as data="):
        sc.kaplan_meier(lung["time"], lung["status"], "sex")
    with pytest.raises(ValueError, match=r"`event` must be 1 .* or 0"):
        sc.kaplan_meier("time", "sex", group="sex_label", data=lung)


def test_callers_data_is_not_modified(lung, plt):
    df = lung.copy()
    df.loc[3, "ph_ecog"] = np.nan
    before = df.copy()
    km = sc.kaplan_meier("time", "status", group="ph_ecog", data=df, nan_policy="omit")
    km.plot(ci=True)
    km.to_frame()
    sc.kaplan_meier(df["time"], df["status"], df["sex_label"])
    sc.logrank("time", "status", "ph_ecog", strata="inst", data=df, nan_policy="omit")
    pd.testing.assert_frame_equal(df, before)
