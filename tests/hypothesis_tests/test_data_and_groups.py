"""Columns by name (``data=``) and splits by group (``group=``) across the tests of samples.

Each ``data=``/``group=`` call must give exactly what its array form gives (the reference is the
array form on ``df.y[df.g == level]``, which the other test modules check against R and scipy),
and the grouped calls are also checked against scipy directly. Labels and names must carry
into the result, bad input must fail with a message naming the argument and the column, and
the caller's DataFrame must never change.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import statcraft as sc
from statcraft._frames import column, group_codes, k_samples, split_by_group, two_samples
from statcraft.datasets import load_diabetes, load_lung
from statcraft.results import Estimate, TestResult

# --------------------------------------------------------------------------------------------
# data


@pytest.fixture(scope="module")
def diabetes() -> pd.DataFrame:
    """Efron et al. (2004) diabetes data, with a categorical age band (category order)."""
    df = load_diabetes()
    band = pd.cut(df["age"], [0, 40, 55, 100], labels=["under 40", "40-55", "over 55"])
    return df.assign(ageband=band)


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    """NCCTG lung data; R's coding of sex: 1 male, 2 female."""
    df = load_lung()
    return df.assign(sex_label=df["sex"].map({1: "male", 2: "female"}))


def _same(a: Any, b: Any) -> None:
    """Exact equality of numbers, NaN equal to NaN."""
    np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


_NAMING_KEYS = {"data_name", "groups"}


def _same_estimate(a: Estimate | None, b: Estimate | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    _same(a.estimate, b.estimate)
    assert (a.std_error is None) == (b.std_error is None)
    if a.std_error is not None:
        _same(a.std_error, b.std_error)
    _same(tuple(a.confidence_interval), tuple(b.confidence_interval))
    assert a.confidence_level == b.confidence_level
    assert a.n == b.n
    da = {k: v for k, v in a.details.items() if k not in _NAMING_KEYS}
    db = {k: v for k, v in b.details.items() if k not in _NAMING_KEYS}
    assert da.keys() == db.keys()
    for key in da:
        _same_detail(da[key], db[key])


def _same_detail(a: Any, b: Any) -> None:
    if isinstance(a, Estimate):
        _same_estimate(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same_detail(a[k], b[k])
    elif isinstance(a, str) or a is None or isinstance(a, bool):
        assert a == b
    else:
        _same(a, b)


def _same_result(a: TestResult | Estimate, b: TestResult | Estimate) -> None:
    """The data=/group= result ``a`` equals the array-form result ``b`` in every number."""
    assert type(a) is type(b)
    if isinstance(a, Estimate):
        assert isinstance(b, Estimate)
        _same_estimate(a, b)
        assert a.method.split(": ")[0] == b.method.split(": ")[0]
        return
    assert isinstance(b, TestResult)
    _same(a.statistic, b.statistic)
    _same(a.pvalue, b.pvalue)
    _same(np.asarray(a.df, dtype=float), np.asarray(b.df, dtype=float))
    assert a.alternative == b.alternative
    assert a.method.split(": ")[0] == b.method.split(": ")[0]
    _same_estimate(a.estimate, b.estimate)
    _same_estimate(a.effect_size, b.effect_size)
    da = {k: v for k, v in a.details.items() if k not in _NAMING_KEYS}
    db = {k: v for k, v in b.details.items() if k not in _NAMING_KEYS}
    assert da.keys() == db.keys()
    for key in da:
        _same_detail(da[key], db[key])


# --------------------------------------------------------------------------------------------
# two samples split by group: f("bmi", group="sex", data=df) == f(df.bmi[df.sex == 1], ...)

TWO_SAMPLE = [
    pytest.param(sc.ttest, {}, id="ttest-welch"),
    pytest.param(sc.ttest, {"equal_var": True, "mu": 0.5}, id="ttest-student"),
    pytest.param(sc.ttest, {"alternative": "less"}, id="ttest-less"),
    pytest.param(sc.mann_whitney, {}, id="mann_whitney"),
    pytest.param(sc.mann_whitney, {"exact": False, "mu": 0.3}, id="mann_whitney-normal"),
    pytest.param(sc.yuen, {}, id="yuen"),
    pytest.param(sc.yuen, {"trim": 0.1, "alternative": "greater"}, id="yuen-0.1"),
    pytest.param(sc.tost, {"low": -1.0, "high": 1.0}, id="tost"),
    pytest.param(sc.cohens_d, {}, id="cohens_d"),
    pytest.param(sc.cohens_d, {"pooled_sd": False}, id="cohens_d-unpooled"),
    pytest.param(sc.hedges_g, {"confidence_level": 0.9}, id="hedges_g"),
    pytest.param(sc.glass_delta, {}, id="glass_delta"),
    pytest.param(sc.rank_biserial, {}, id="rank_biserial"),
]


@pytest.mark.parametrize(("fn", "kwargs"), TWO_SAMPLE)
def test_two_sample_group_equals_array_form(fn, kwargs, diabetes):
    df = diabetes
    by_name = fn("bmi", group="sex", data=df, **kwargs)
    arrays = fn(df.bmi[df.sex == 1], df.bmi[df.sex == 2], **kwargs)
    _same_result(by_name, arrays)
    assert by_name.details["groups"] == (1.0, 2.0)
    assert by_name.details["data_name"] == "bmi by sex (1.0 vs 2.0)"
    assert by_name.method.endswith(": bmi by sex (1.0 vs 2.0)")
    # group as aligned arrays (Series or plain NumPy) gives the same numbers
    _same_result(fn(df.bmi, group=df.sex, **kwargs), arrays)
    _same_result(fn(df.bmi.to_numpy(), group=df.sex.to_numpy(), **kwargs), arrays)
    # the column as x with the group as an array, or vice versa
    _same_result(fn("bmi", group=df.sex.to_numpy(), data=df, **kwargs), arrays)
    _same_result(fn(df.bmi, group="sex", data=df, **kwargs), arrays)


@pytest.mark.parametrize(("fn", "kwargs"), TWO_SAMPLE)
def test_two_columns_by_name_equal_array_form(fn, kwargs, diabetes):
    df = diabetes
    by_name = fn("s1", "s2", data=df, **kwargs)
    arrays = fn(df.s1.to_numpy(), df.s2.to_numpy(), **kwargs)
    _same_result(by_name, arrays)
    assert by_name.details["data_name"] == "s1 and s2"
    # Series carry their names without data=
    assert fn(df.s1, df.s2, **kwargs).method == by_name.method


PAIRED = [
    pytest.param(sc.ttest, {}, id="ttest"),
    pytest.param(sc.wilcoxon_signed_rank, {}, id="wilcoxon_signed_rank"),
    pytest.param(sc.tost, {"low": -5.0, "high": 5.0}, id="tost"),
    pytest.param(sc.cohens_d, {}, id="cohens_d"),
    pytest.param(sc.hedges_g, {}, id="hedges_g"),
    pytest.param(sc.rank_biserial, {}, id="rank_biserial"),
]


@pytest.mark.parametrize(("fn", "kwargs"), PAIRED)
def test_paired_columns_equal_array_form(fn, kwargs, diabetes):
    df = diabetes.iloc[:80]
    extra = {} if fn is sc.wilcoxon_signed_rank else {"paired": True}
    by_name = fn("s1", "s2", data=df, **extra, **kwargs)
    arrays = fn(df.s1.to_numpy(), df.s2.to_numpy(), **extra, **kwargs)
    _same_result(by_name, arrays)
    assert by_name.method.endswith(": s1 and s2")


ONE_SAMPLE = [
    pytest.param(sc.ttest, {"mu": 26.0}, id="ttest"),
    pytest.param(sc.wilcoxon_signed_rank, {"mu": 26.0}, id="wilcoxon_signed_rank"),
    pytest.param(sc.tost, {"low": 25.0, "high": 28.0}, id="tost"),
    pytest.param(sc.cohens_d, {"mu": 26.0}, id="cohens_d"),
    pytest.param(sc.hedges_g, {"mu": 26.0}, id="hedges_g"),
    pytest.param(sc.rank_biserial, {"mu": 26.0}, id="rank_biserial"),
]


@pytest.mark.parametrize(("fn", "kwargs"), ONE_SAMPLE)
def test_one_sample_column_equals_array_form(fn, kwargs, diabetes):
    by_name = fn("bmi", data=diabetes, **kwargs)
    _same_result(by_name, fn(diabetes.bmi.to_numpy(), **kwargs))
    assert by_name.method.endswith(": bmi")
    assert by_name.details["data_name"] == "bmi"


# --------------------------------------------------------------------------------------------
# k samples: f("bmi", group="ageband", data=df) and f("s1", "s2", "s3", data=df)

K_SAMPLE = [
    pytest.param(sc.oneway_anova, {}, id="oneway_anova"),
    pytest.param(sc.oneway_anova, {"equal_var": False}, id="oneway_anova-welch"),
    pytest.param(sc.kruskal_wallis, {"rng": 7, "n_resamples": 200}, id="kruskal_wallis"),
    pytest.param(sc.levene, {}, id="levene"),
    pytest.param(sc.levene, {"center": "mean"}, id="levene-mean"),
    pytest.param(sc.bartlett, {}, id="bartlett"),
    pytest.param(sc.fligner, {}, id="fligner"),
    pytest.param(sc.eta_squared, {}, id="eta_squared"),
    pytest.param(sc.omega_squared, {"alternative": "greater"}, id="omega_squared"),
]


@pytest.mark.parametrize(("fn", "kwargs"), K_SAMPLE)
def test_k_sample_group_equals_array_form(fn, kwargs, diabetes):
    df = diabetes
    levels = ["under 40", "40-55", "over 55"]  # the Categorical's order, not sorted
    by_name = fn("bmi", group="ageband", data=df, **kwargs)
    arrays = fn(*[df.bmi[df.ageband == lev] for lev in levels], **kwargs)
    _same_result(by_name, arrays)
    assert by_name.details["groups"] == tuple(levels)
    assert by_name.method.endswith(": bmi by ageband (under 40, 40-55, over 55)")
    _same_result(fn(df.bmi.to_numpy(), group=df.ageband, **kwargs), arrays)


@pytest.mark.parametrize(("fn", "kwargs"), K_SAMPLE)
def test_k_sample_two_levels_and_sorted_labels(fn, kwargs, lung):
    """String labels in sorted order; a 0/1/2/3 numeric group (rows with NaN dropped)."""
    by_name = fn("age", group="sex_label", data=lung, **kwargs)
    arrays = fn(lung.age[lung.sex == 2], lung.age[lung.sex == 1], **kwargs)
    _same_result(by_name, arrays)
    assert by_name.details["groups"] == ("female", "male")
    complete = lung[lung.ph_ecog.isin([0, 1, 2])]  # one patient has 3, one NaN
    by_ecog = fn("age", group="ph_ecog", data=complete, **kwargs)
    levels = sorted(complete.ph_ecog.unique())
    _same_result(by_ecog, fn(*[complete.age[complete.ph_ecog == v] for v in levels], **kwargs))
    assert by_ecog.details["groups"] == (0.0, 1.0, 2.0)


@pytest.mark.parametrize(("fn", "kwargs"), K_SAMPLE)
def test_k_sample_columns_by_name_equal_array_form(fn, kwargs, diabetes):
    df = diabetes
    by_name = fn("s1", "s2", "s3", data=df, **kwargs)
    _same_result(by_name, fn(df.s1.to_numpy(), df.s2.to_numpy(), df.s3.to_numpy(), **kwargs))
    _same_result(fn(["s1", "s2", "s3"], data=df, **kwargs), by_name)
    assert by_name.details["groups"] == ("s1", "s2", "s3")
    assert by_name.method.endswith(": s1, s2, s3")


# --------------------------------------------------------------------------------------------
# independent check of the grouped calls against scipy (same data, same split)


def test_grouped_tests_agree_with_scipy(diabetes):
    df = diabetes
    y1, y2 = df.bmi[df.sex == 1].to_numpy(), df.bmi[df.sex == 2].to_numpy()
    res = sc.ttest("bmi", group="sex", data=df)
    ref = stats.ttest_ind(y1, y2, equal_var=False)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    res = sc.mann_whitney("bmi", group="sex", data=df)  # n > 50: normal approximation
    ref = stats.mannwhitneyu(y1, y2, method="asymptotic", use_continuity=True)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    res = sc.yuen("bmi", group="sex", data=df)
    ref = stats.ttest_ind(y1, y2, equal_var=False, trim=0.2)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    bands = [df.bmi[df.ageband == lev].to_numpy() for lev in df.ageband.cat.categories]
    for ours, theirs in [
        (sc.oneway_anova("bmi", group="ageband", data=df), stats.f_oneway(*bands)),
        (sc.kruskal_wallis("bmi", group="ageband", data=df, rng=1, n_resamples=50),
         stats.kruskal(*bands)),
        (sc.levene("bmi", group="ageband", data=df), stats.levene(*bands)),
        (sc.bartlett("bmi", group="ageband", data=df), stats.bartlett(*bands)),
        (sc.fligner("bmi", group="ageband", data=df), stats.fligner(*bands)),
    ]:  # fmt: skip
        assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10)
        assert ours.pvalue == pytest.approx(theirs.pvalue, rel=1e-9)


# --------------------------------------------------------------------------------------------
# labels and names in the result


def test_labels_say_which_group_is_x(lung):
    res = sc.ttest("age", group="sex_label", data=lung)
    assert res.details["groups"] == ("female", "male")
    assert res.method == "Welch Two Sample t-test: age by sex_label (female vs male)"
    female, male = lung.age[lung.sex == 2], lung.age[lung.sex == 1]
    assert res.estimate.estimate == pytest.approx(female.mean() - male.mean(), rel=1e-12)
    # a Categorical puts its categories in its own order: male becomes x
    flipped = lung.assign(sex_label=pd.Categorical(lung.sex_label, ["male", "female"]))
    res2 = sc.ttest("age", group="sex_label", data=flipped)
    assert res2.details["groups"] == ("male", "female")
    assert res2.statistic == -res.statistic
    assert "(male vs female)" in res2.method
    # unused categories are left out
    extra = lung.assign(sex_label=pd.Categorical(lung.sex_label, ["female", "other", "male"]))
    assert sc.ttest("age", group="sex_label", data=extra).details["groups"] == ("female", "male")


def test_bool_group_and_effect_size_names(diabetes):
    df = diabetes.assign(old=diabetes.age > 50)
    res = sc.hedges_g("bmi", group="old", data=df)
    assert res.details["groups"] == (False, True)
    assert res.method.endswith(": bmi by old (False vs True)")
    ref = sc.hedges_g(df.bmi[~df.old], df.bmi[df.old])
    _same_result(res, ref)
    assert res.to_frame()["method"].iloc[0] == res.method


def test_names_make_a_readable_table(diabetes):
    """A table of tests over several columns says which column each row is about."""
    rows = pd.concat(
        [sc.ttest(col, group="sex", data=diabetes).to_frame() for col in ["bmi", "bp", "s5"]],
        ignore_index=True,
    )
    assert rows["method"].tolist() == [
        f"Welch Two Sample t-test: {col} by sex (1.0 vs 2.0)" for col in ["bmi", "bp", "s5"]
    ]


def test_array_forms_without_names_are_unchanged():
    x, y = [1.0, 2.0, 3.0, 4.5], [2.0, 3.5, 4.0, 6.0, 7.0]
    res = sc.ttest(x, y)
    assert res.method == "Welch Two Sample t-test"
    assert "data_name" not in res.details and "groups" not in res.details
    assert sc.cohens_d(x, y).method == "Cohen's d (two-sample, pooled SD; noncentral t interval)"
    assert sc.oneway_anova(x, y, [5.0, 6.0, 8.0]).method == "One-way analysis of means"
    # a dict's keys label the groups
    res = sc.kruskal_wallis({"a": x, "b": y}, rng=0, n_resamples=50)
    assert res.details["groups"] == ("a", "b")


def test_nan_policy_applies_after_the_split(diabetes):
    df = diabetes.copy()
    df.loc[[0, 5, 17], "bmi"] = np.nan
    by_name = sc.ttest("bmi", group="sex", data=df, nan_policy="omit")
    _same_result(by_name, sc.ttest(df.bmi[df.sex == 1], df.bmi[df.sex == 2], nan_policy="omit"))
    with pytest.raises(ValueError, match=r"`x` has \d NaN value"):
        sc.ttest("bmi", group="sex", data=df)
    res = sc.ttest("bmi", group="sex", data=df, nan_policy="propagate")
    assert math.isnan(res.pvalue)
    assert res.method.endswith("bmi by sex (1.0 vs 2.0)")


# --------------------------------------------------------------------------------------------
# bad input


def test_missing_column(diabetes):
    with pytest.raises(ValueError, match=r"`x`: 'bmii' is not a column of `data` \(did you mean"):
        sc.ttest("bmii", group="sex", data=diabetes)
    with pytest.raises(ValueError, match=r"`y`: 'nope' is not a column of `data`"):
        sc.mann_whitney("bmi", "nope", data=diabetes)
    with pytest.raises(ValueError, match=r"`group`: 'sexx' is not a column of `data`"):
        sc.yuen("bmi", group="sexx", data=diabetes)
    with pytest.raises(ValueError, match=r"`groups\[1\]`: 'zz' is not a column of `data`"):
        sc.levene("s1", "zz", data=diabetes)


def test_non_numeric_column(lung):
    with pytest.raises(TypeError, match=r"`x`: column 'sex_label' of `data` must be numeric"):
        sc.ttest("sex_label", group="sex", data=lung)
    with pytest.raises(TypeError, match=r"`groups\[0\]`: column 'sex_label' .* must be numeric"):
        sc.kruskal_wallis("sex_label", group="sex", data=lung)


def test_wrong_number_of_levels(diabetes, lung):
    one = diabetes.assign(one="a")
    for fn in (sc.ttest, sc.mann_whitney, sc.cohens_d):
        with pytest.raises(
            ValueError,
            match=r"`group` \(column 'one'\) must have exactly 2 levels here; found 1: a",
        ):
            fn("bmi", group="one", data=one)
    with pytest.raises(
        ValueError,
        match=r"`group` \(column 'ageband'\) must have exactly 2 levels here; found 3: "
        r"under 40, 40-55, over 55",
    ):
        sc.ttest("bmi", group="ageband", data=diabetes)
    for fn in (sc.oneway_anova, sc.levene, sc.eta_squared):
        with pytest.raises(
            ValueError, match=r"`group` \(column 'one'\) must have at least 2 levels; found 1"
        ):
            fn("bmi", group="one", data=one)


def test_missing_group_values(lung):
    with pytest.raises(ValueError, match=r"`group` \(column 'ph_ecog'\) has 1 missing value"):
        sc.kruskal_wallis("age", group="ph_ecog", data=lung)
    labels = np.where(lung.sex == 1, "m", None)
    with pytest.raises(ValueError, match=r"`group` has \d+ missing values"):
        sc.ttest(lung.age, group=labels)


def test_group_of_the_wrong_length(diabetes):
    with pytest.raises(
        ValueError, match=r"`group` must have one label per observation of `x`; got 10 labels"
    ):
        sc.ttest(diabetes.bmi, group=np.arange(10) % 2)
    with pytest.raises(ValueError, match=r"`group` .* one label per observation of `groups\[0\]`"):
        sc.oneway_anova("bmi", group=[1, 2, 3], data=diabetes)


def test_data_must_be_a_dataframe(diabetes):
    with pytest.raises(TypeError, match=r"`data` must be a pandas DataFrame; got dict"):
        sc.ttest("bmi", group="sex", data={"bmi": [1.0, 2.0], "sex": [1, 2]})
    with pytest.raises(TypeError, match=r"`data` must be a pandas DataFrame; got Series"):
        sc.levene("bmi", group="sex", data=diabetes.bmi)


def test_column_name_without_data():
    with pytest.raises(TypeError, match=r"`x` must be array-like .* pass the DataFrame as data="):
        sc.ttest("bmi", group="sex")
    with pytest.raises(TypeError, match=r"`group` must be array-like .* as data="):
        sc.ttest([1.0, 2.0, 3.0, 4.0], group="sex")
    with pytest.raises(TypeError, match=r"`groups\[0\]` must be array-like"):
        sc.fligner("a", "b")


def test_conflicting_arguments(diabetes):
    with pytest.raises(ValueError, match=r"pass either `y` or `group`, not both"):
        sc.ttest("bmi", "bp", group="sex", data=diabetes)
    with pytest.raises(ValueError, match=r"`group` cannot be used with paired=True"):
        sc.ttest("bmi", group="sex", data=diabetes, paired=True)
    with pytest.raises(ValueError, match=r"`group` cannot be used with paired=True"):
        sc.cohens_d("bmi", group="sex", data=diabetes, paired=True)
    with pytest.raises(ValueError, match=r"with `group`, pass one sample .* \(got 2 samples\)"):
        sc.oneway_anova("bmi", "bp", group="sex", data=diabetes)
    for fn in (sc.mann_whitney, sc.yuen):
        with pytest.raises(TypeError, match=r"`y` is required .* or pass `group`"):
            fn("bmi", data=diabetes)
    with pytest.raises(TypeError, match=r"glass_delta\(\) needs two samples"):
        sc.glass_delta("bmi", data=diabetes)


def test_callers_dataframe_is_not_modified(diabetes, lung):
    df, before = diabetes, diabetes.copy(deep=True)
    for fn, kwargs in [(p.values[0], p.values[1]) for p in TWO_SAMPLE]:
        fn("bmi", group="sex", data=df, **kwargs)
        fn("s1", "s2", data=df, **kwargs)
    for fn, kwargs in [(p.values[0], p.values[1]) for p in K_SAMPLE]:
        fn("bmi", group="ageband", data=df, **kwargs)
    pd.testing.assert_frame_equal(df, before)
    lung_before = lung.copy(deep=True)
    sc.ttest("age", group="sex_label", data=lung)
    with pytest.raises(ValueError, match="missing value"):
        sc.kruskal_wallis("age", group="ph_ecog", data=lung)
    pd.testing.assert_frame_equal(lung, lung_before)


# --------------------------------------------------------------------------------------------
# the private helpers used by other modules (survival)


def test_frames_helpers():
    df = pd.DataFrame(
        {"t": [5.0, 3.0, 8.0, 1.0, 2.0], "g": pd.Categorical(["b", "a", "b", "c", "a"])}
    )
    values, label = column(df, "t", "time")
    assert label == "t" and values.tolist() == [5.0, 3.0, 8.0, 1.0, 2.0]
    arr = np.array([1.0, 2.0])
    assert column(None, arr, "x")[0] is arr and column(None, arr, "x")[1] is None
    assert column(None, pd.Series([1.0], name="w"), "x")[1] == "w"
    codes, labels, name = group_codes("g", df, 5)
    assert codes.tolist() == [1, 0, 1, 2, 0] and labels == ("a", "b", "c") and name == "g"
    samples, labels = split_by_group(df["t"], "g", df)
    assert [s.tolist() for s in samples] == [[3.0, 2.0], [5.0, 8.0], [1.0]]
    samples, _ = split_by_group([5.0, 3.0, 8.0, 1.0, 2.0], ["x", "y", "x", "y", "y"], None)
    assert [s.tolist() for s in samples] == [[5.0, 8.0], [3.0, 1.0, 2.0]]
    with pytest.raises(ValueError, match="exactly 2 levels"):
        split_by_group(df["t"], "g", df, n_groups=2)
    s = two_samples(df["t"], None)
    assert s.data_name == "t" and s.samples[1] is None
    assert two_samples([1.0], [2.0]).describe("m") == "m"
    k = k_samples(("t",), group="g", data=df)
    assert k.groups == ("a", "b", "c") and k.data_name == "t by g (a, b, c)"
