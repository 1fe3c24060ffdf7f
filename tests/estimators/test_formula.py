"""The formula interface of ols and robust_regression (issue 12).

Checked against the array call on the same design matrix (identical tables) and against
statsmodels' formula API (``statsmodels.formula.api.ols`` / ``rlm``, statsmodels 0.15, which
builds its design with formulaic too) — an independent fit of the same model.
"""

import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

import statcraft as sc

FF_FORMULA = "I(NoDur - rf) ~ mkt_rf + smb + hml"


@pytest.fixture(scope="module")
def ff():
    return sc.datasets.load_fama_french_industries()


@pytest.fixture
def toy():
    """Simulated data with a three-level factor, an interaction and a non-trivial index."""
    rng = np.random.default_rng(20240512)
    n = 80
    group = rng.choice(["a", "b", "c"], n)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = 1 + 0.5 * x1 + (group == "b") - 0.7 * (group == "c") + 0.3 * x1 * x2
    y = y + rng.normal(scale=0.8, size=n)
    firm = np.repeat(np.arange(16), 5)
    return pd.DataFrame(
        {"y": y, "x1": x1, "x2": x2, "group": group, "firm": firm},
        index=pd.Index([f"r{i}" for i in range(n)], name="row"),
    )


def assert_matches_statsmodels(res, ref, rtol=1e-10):
    """Coefficient table of `res` equals statsmodels' fit `ref`, term by term, to `rtol`.

    statsmodels orders the terms as patsy (categorical terms before numeric ones); statcraft
    keeps formulaic's default, the formula's order within each degree (as R's ``lm``).
    """
    names = list(ref.params.index)
    assert sorted(res.terms) == sorted(names)
    t = res.coefficients.loc[names]
    np.testing.assert_allclose(t["estimate"], ref.params, rtol=rtol, atol=1e-14)
    np.testing.assert_allclose(t["std_error"], ref.bse, rtol=rtol)
    np.testing.assert_allclose(t["statistic"], ref.tvalues, rtol=rtol)
    np.testing.assert_allclose(t["pvalue"], ref.pvalues, rtol=1e-8)
    ci = ref.conf_int()
    np.testing.assert_allclose(t["ci_low"], ci[0], rtol=rtol)
    np.testing.assert_allclose(t["ci_high"], ci[1], rtol=rtol)
    cov = res.cov.loc[names, names].to_numpy()
    np.testing.assert_allclose(cov, ref.cov_params().to_numpy(), rtol=rtol, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# Fama–French: formula = array, and = statsmodels
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cov_type", "kwargs"),
    [("nonrobust", {}), ("HC1", {}), ("HC3", {}), ("HAC", {"maxlags": 6}), ("HAC", {})],
)
def test_fama_french_formula_and_array_tables_are_identical(ff, cov_type, kwargs):
    # NoDur's excess return on the three factors: the formula and the array call fit the same
    # design matrix, so every number is bit-for-bit the same.
    f = sc.ols(FF_FORMULA, data=ff, cov_type=cov_type, **kwargs)
    a = sc.ols(ff[["mkt_rf", "smb", "hml"]], ff["NoDur"] - ff["rf"], cov_type=cov_type, **kwargs)
    pd.testing.assert_frame_equal(f.to_frame(), a.to_frame(), check_exact=True)
    pd.testing.assert_frame_equal(f.cov, a.cov, check_exact=True)
    assert f.terms == ("Intercept", "mkt_rf", "smb", "hml")
    assert (f.r_squared, f.adj_r_squared, f.residual_std_error) == (
        a.r_squared,
        a.adj_r_squared,
        a.residual_std_error,
    )
    assert (f.f_test.statistic, f.f_test.pvalue, f.f_test.df) == (
        a.f_test.statistic,
        a.f_test.pvalue,
        a.f_test.df,
    )
    assert f.method == a.method and f.details == a.details
    np.testing.assert_array_equal(f.residuals, a.residuals)
    pd.testing.assert_index_equal(f.residuals.index, ff.index)
    assert f.formula == FF_FORMULA and a.formula is None


def test_fama_french_formula_equals_statsmodels(ff):
    # statsmodels.formula.api.ols on the same formula and data, to 1e-10
    res = sc.ols(FF_FORMULA, data=ff)
    ref = smf.ols(FF_FORMULA, data=ff).fit()
    assert_matches_statsmodels(res, ref)
    assert res.r_squared == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.adj_r_squared == pytest.approx(ref.rsquared_adj, rel=1e-12)
    assert res.f_test.statistic == pytest.approx(ref.fvalue, rel=1e-10)
    assert res.f_test.pvalue == pytest.approx(ref.f_pvalue, rel=1e-8)
    assert res.residual_std_error == pytest.approx(np.sqrt(ref.scale), rel=1e-12)
    np.testing.assert_allclose(res.fitted, ref.fittedvalues, rtol=1e-12)


@pytest.mark.parametrize(
    ("cov_type", "kwargs", "sm_kwargs"),
    [
        ("HC3", {}, {"cov_type": "HC3", "use_t": True}),
        ("HAC", {"maxlags": 6}, {"cov_type": "HAC", "cov_kwds": {"maxlags": 6}, "use_t": True}),
    ],
)
def test_fama_french_robust_covariances_equal_statsmodels(ff, cov_type, kwargs, sm_kwargs):
    # statsmodels' HAC is Newey–West without small-sample correction (use_correction=False by
    # default), as statcraft's; use_t=True gives t(n - k) inference like statcraft's default.
    res = sc.ols(FF_FORMULA, data=ff, cov_type=cov_type, **kwargs)
    ref = smf.ols(FF_FORMULA, data=ff).fit(**sm_kwargs)
    assert_matches_statsmodels(res, ref)


# ---------------------------------------------------------------------------------------------
# Factors, interactions, transforms, clusters
# ---------------------------------------------------------------------------------------------


def test_factor_and_interaction_terms_are_named_and_fitted_like_statsmodels(toy):
    formula = "y ~ x1 + C(group) + x1:x2"
    res = sc.ols(formula, data=toy)
    assert res.terms == ("Intercept", "x1", "C(group)[T.b]", "C(group)[T.c]", "x1:x2")
    assert_matches_statsmodels(res, smf.ols(formula, data=toy).fit())
    # the array call on the design matrix formulaic builds gives the same table
    design = pd.DataFrame(
        {
            "x1": toy.x1,
            "C(group)[T.b]": (toy.group == "b").astype(float),
            "C(group)[T.c]": (toy.group == "c").astype(float),
            "x1:x2": toy.x1 * toy.x2,
        }
    )
    arr = sc.ols(design, toy.y)
    pd.testing.assert_frame_equal(res.to_frame(), arr.to_frame(), check_exact=True)
    pd.testing.assert_index_equal(res.residuals.index, toy.index)


def test_transforms_no_intercept_and_intercept_only(toy):
    formula = "y ~ np.log(x1**2) + I(x2 * 2) + center(x1)"
    assert_matches_statsmodels(sc.ols(formula, data=toy), smf.ols(formula, data=toy).fit())
    no_int = sc.ols("y ~ x1 + x2 - 1", data=toy)
    ref = smf.ols("y ~ x1 + x2 - 1", data=toy).fit()
    assert no_int.terms == ("x1", "x2")
    assert_matches_statsmodels(no_int, ref)
    assert no_int.r_squared == pytest.approx(ref.rsquared, rel=1e-12)  # uncentred, as statsmodels
    only = sc.ols("y ~ 1", data=toy)
    assert only.terms == ("Intercept",) and only.f_test is None
    assert only.params["Intercept"] == pytest.approx(toy.y.mean(), rel=1e-13)


def test_cluster_groups_by_column_name_or_array_equals_statsmodels(toy):
    formula = "y ~ x1 + C(group)"
    by_name = sc.ols(formula, data=toy, cov_type="cluster", groups="firm")
    by_array = sc.ols(formula, data=toy, cov_type="cluster", groups=toy["firm"].to_numpy())
    pd.testing.assert_frame_equal(by_name.to_frame(), by_array.to_frame(), check_exact=True)
    # statsmodels CR1 (G/(G-1) (n-1)/(n-k)) with t(G - 1), as statcraft
    ref = smf.ols(formula, data=toy).fit(
        cov_type="cluster", cov_kwds={"groups": toy["firm"].to_numpy()}, use_t=True
    )
    assert_matches_statsmodels(by_name, ref)
    assert by_name.details["n_groups"] == 16


def test_use_t_confidence_level_and_wald_test_work_with_formulas(toy):
    res = sc.ols("y ~ x1 + C(group)", data=toy, use_t=False, confidence_level=0.9,
                 cov_type="HC0")  # fmt: skip
    ref = smf.ols("y ~ x1 + C(group)", data=toy).fit(cov_type="HC0")  # normal inference
    t = res.coefficients.loc[ref.params.index]
    np.testing.assert_allclose(t["pvalue"], ref.pvalues, rtol=1e-8)
    np.testing.assert_allclose(t["ci_low"], ref.conf_int(0.1)[0], rtol=1e-10)
    w = res.wald_test(["C(group)[T.b]", "C(group)[T.c]"])
    ref_w = ref.wald_test("C(group)[T.b] = 0, C(group)[T.c] = 0", scalar=True)
    assert w.statistic == pytest.approx(float(ref_w.statistic), rel=1e-9)


def test_robust_regression_formula_equals_array_call(toy):
    formula = "y ~ x1 + C(group)"
    f = sc.robust_regression(formula, data=toy, psi="bisquare")
    design = pd.DataFrame(
        {
            "x1": toy.x1,
            "C(group)[T.b]": (toy.group == "b").astype(float),
            "C(group)[T.c]": (toy.group == "c").astype(float),
        }
    )
    a = sc.robust_regression(design, toy.y, psi="bisquare")
    pd.testing.assert_frame_equal(f.to_frame(), a.to_frame(), check_exact=True)
    np.testing.assert_array_equal(f.weights, a.weights)
    assert f.details == a.details and f.formula == formula
    # statsmodels RLM (Huber, MAD scale) from the same formula: the same M-estimate up to its
    # MAD, which is centred at the median of the residuals (MASS's and statcraft's is not)
    h = sc.robust_regression(formula, data=toy)
    ref = smf.rlm(formula, data=toy, M=sm.robust.norms.HuberT(t=1.345)).fit(
        tol=1e-12, maxiter=200, conv="coefs"
    )
    assert h.terms == ("Intercept", "x1", "C(group)[T.b]", "C(group)[T.c]")
    np.testing.assert_allclose(h.params[ref.params.index], ref.params, rtol=1e-5)


def test_predict_takes_the_original_columns_like_statsmodels(toy):
    formula = "y ~ x1 + C(group) + x1:x2"
    res = sc.ols(formula, data=toy)
    ref = smf.ols(formula, data=toy).fit()
    new = pd.DataFrame(
        {"x1": [0.1, -1.0, 2.0], "x2": [1.0, 0.0, -0.5], "group": ["c", "a", "b"]},
        index=["p", "q", "r"],
    )
    pred = res.predict(new)
    np.testing.assert_allclose(pred, ref.predict(new), rtol=1e-12)
    assert list(pred.index) == ["p", "q", "r"]
    frame = res.predict(new, interval="prediction", confidence_level=0.9)
    sf = ref.get_prediction(new).summary_frame(alpha=0.1)
    np.testing.assert_allclose(frame["ci_low"], sf["obs_ci_lower"], rtol=1e-10)
    obs_se = np.sqrt(sf["mean_se"] ** 2 + ref.scale)
    np.testing.assert_allclose(frame["std_error"], obs_se, rtol=1e-10)
    # stateful transforms use the fit's state (center() subtracts the mean of the fit's x1)
    formula2 = "y ~ center(x1) + scale(x2) + C(group)"
    res2, ref2 = sc.ols(formula2, data=toy), smf.ols(formula2, data=toy).fit()
    np.testing.assert_allclose(res2.predict(new), ref2.predict(new), rtol=1e-12)
    # one level only: the categories of the fit are kept
    one = res.predict(new.iloc[[0]])
    assert one.iloc[0] == pytest.approx(float(ref.predict(new.iloc[[0]]).iloc[0]), rel=1e-12)


def test_predict_bad_input_of_a_formula_fit(toy):
    res = sc.ols("y ~ x1 + C(group)", data=toy)
    with pytest.raises(ValueError, match=r"lacks column.*group"):
        res.predict(pd.DataFrame({"x1": [1.0]}))
    with pytest.raises(ValueError, match=r"categories.*'d'"):
        res.predict(pd.DataFrame({"x1": [1.0], "group": ["d"]}))
    with pytest.raises(ValueError, match=r"missing values in column\(s\) group \(1\)"):
        res.predict(pd.DataFrame({"x1": [1.0, 2.0], "group": ["a", None]}))
    with pytest.raises(TypeError, match=r"came from a formula.*DataFrame.*group, x1"):
        res.predict([[1.0, 0.0, 1.0]])


def test_nan_policy_with_formulas(toy):
    d = toy.copy()
    d.loc["r3", "x1"] = np.nan
    d.loc["r7", "group"] = None
    d.loc["r9", "y"] = np.nan
    with pytest.raises(
        ValueError, match=r"missing values in column\(s\) group \(1\), x1 \(1\), y \(1\).*"
        r"3 of 80 rows.*nan_policy='omit'"
    ):  # fmt: skip
        sc.ols("y ~ x1 + C(group)", data=d)
    res = sc.ols("y ~ x1 + C(group)", data=d, nan_policy="omit", cov_type="cluster",
                 groups=d["firm"].to_numpy())  # fmt: skip
    assert res.nobs == 77
    assert not {"r3", "r7", "r9"} & set(res.residuals.index)
    kept = d.drop(index=["r3", "r7", "r9"])
    ref = sc.ols("y ~ x1 + C(group)", data=kept, cov_type="cluster", groups="firm")
    pd.testing.assert_frame_equal(res.to_frame(), ref.to_frame(), check_exact=True)
    # statsmodels drops incomplete rows by default (missing='drop')
    sm_ref = smf.ols("y ~ x1 + C(group)", data=d).fit()
    assert_matches_statsmodels(sc.ols("y ~ x1 + C(group)", data=d, nan_policy="omit"), sm_ref)
    # a column the formula does not use may have NaN
    d2 = toy.copy()
    d2.loc["r1", "x2"] = np.nan
    assert sc.ols("y ~ x1", data=d2).nobs == 80


def test_duplicate_index_labels_keep_rows_aligned(toy):
    d = toy.reset_index(drop=True)
    d.index = np.repeat([1, 2], 40)
    d.loc[:, "x1"] = d["x1"].to_numpy()
    d.iloc[5, d.columns.get_loc("x1")] = np.nan
    res = sc.ols("y ~ x1", data=d, nan_policy="omit", cov_type="cluster", groups="firm")
    ref = sc.ols(d[["x1"]], d["y"], nan_policy="omit", cov_type="cluster",
                 groups=d["firm"].to_numpy())  # fmt: skip
    pd.testing.assert_frame_equal(res.to_frame(), ref.to_frame(), check_exact=True)
    assert res.nobs == 79


# ---------------------------------------------------------------------------------------------
# Bad input and the caller's data
# ---------------------------------------------------------------------------------------------


def test_term_that_is_not_a_column_is_named(toy):
    with pytest.raises(ValueError, match=r"term 'x3' is not a column of `data` \(columns: y, x1"):
        sc.ols("y ~ x1 + x3", data=toy)
    with pytest.raises(
        ValueError, match=r"term 'C\(grup\)' uses 'grup', which is not a column.*'group'"
    ):
        sc.ols("y ~ x1 + C(grup)", data=toy)
    with pytest.raises(ValueError, match=r"term 'zz' is not a column of `data`"):
        sc.ols("y ~ x1:zz", data=toy)
    with pytest.raises(ValueError, match=r"term 'np.log\(x9\)' uses 'x9', which is not a column"):
        sc.ols("y ~ np.log(x9)", data=toy)
    with pytest.raises(ValueError, match=r"response 'yy' is not a column of `data`"):
        sc.robust_regression("yy ~ x1", data=toy)
    # variables of the calling session are not visible to the formula
    x5 = np.arange(80.0)  # noqa: F841 - would be picked up by an unrestricted formula
    with pytest.raises(ValueError, match="'x5' is not a column"):
        sc.ols("y ~ x5", data=toy)


def test_formula_and_data_must_come_together(toy):
    with pytest.raises(ValueError, match="a formula needs `data=`"):
        sc.ols("y ~ x1")
    with pytest.raises(ValueError, match="`data` is only used with a formula"):
        sc.ols(toy[["x1"]], toy["y"], data=toy)
    with pytest.raises(ValueError, match="`data` is only used with a formula"):
        sc.robust_regression(toy[["x1"]], data=toy)
    with pytest.raises(ValueError, match=r"do not pass `y`.*pass the DataFrame as data="):
        sc.ols("y ~ x1", toy)
    with pytest.raises(ValueError, match=r"not a formula.*no '~'"):
        sc.ols("y + x1", data=toy)
    with pytest.raises(TypeError, match="`data` must be a pandas DataFrame; got dict"):
        sc.ols("y ~ x1", data={"y": [1.0, 2.0], "x1": [0.0, 1.0]})
    with pytest.raises(ValueError, match="could not be parsed"):
        sc.ols("y ~ x1 +", data=toy)
    with pytest.raises(ValueError, match=r"one response.*2 columns"):
        sc.ols("y + x2 ~ x1", data=toy)
    with pytest.raises(ValueError, match="several parts"):
        sc.ols("y ~ x1 | x2", data=toy)
    with pytest.raises(ValueError, match=r"add_intercept=False, but the formula.*'- 1'"):
        sc.ols("y ~ x1", data=toy, add_intercept=False)
    with pytest.raises(ValueError, match=r"`groups` 'frim' is not a column.*'firm'"):
        sc.ols("y ~ x1", data=toy, cov_type="cluster", groups="frim")
    with pytest.raises(ValueError, match="one entry per row of `data` \\(80\\)"):
        sc.ols("y ~ x1", data=toy, cov_type="cluster", groups=[1, 2, 3])
    with pytest.raises(ValueError, match="`maxlags` is only used with cov_type='HAC'"):
        sc.ols("y ~ x1", data=toy, maxlags=3)


def test_non_numeric_columns_used_as_numbers(toy):
    d = toy.assign(price=np.where(toy.x1 > 0, "1.5", "2.0"), label=toy.group.astype(object))
    with pytest.raises(TypeError, match=r"term 'price' uses column 'price'.*text.*C\(price\)"):
        sc.ols("y ~ x1 + price", data=d)
    with pytest.raises(TypeError, match=r"term 'I\(price \* 2\)' uses column 'price'"):
        sc.ols("y ~ I(price * 2)", data=d)
    with pytest.raises(ValueError, match=r"np.log\(price\).*could not be evaluated"):
        sc.ols("y ~ np.log(price)", data=d)
    with pytest.raises(TypeError, match=r"response 'label' of `formula` is not numeric.*object"):
        sc.ols("label ~ x1", data=d)
    with pytest.raises(TypeError, match=r"response 'label' of `formula` is not numeric"):
        sc.robust_regression("label ~ x1", data=d)
    # C(...) of a text column and a pandas categorical column are categorical, as asked
    cat = d.assign(group=d.group.astype("category"))
    pd.testing.assert_frame_equal(
        sc.ols("y ~ group", data=cat).to_frame().set_axis(
            ["Intercept", "C(group)[T.b]", "C(group)[T.c]"]
        ),
        sc.ols("y ~ C(label)", data=d).to_frame().set_axis(
            ["Intercept", "C(group)[T.b]", "C(group)[T.c]"]
        ),
    )  # fmt: skip


def test_callers_dataframe_is_not_modified(toy):
    d = toy.copy()
    d.loc["r3", "x1"] = np.nan
    before = d.copy()
    sc.ols("y ~ x1 + C(group) + x1:x2 + np.log(x2**2)", data=d, nan_policy="omit")
    sc.ols("y ~ x1", data=d, nan_policy="omit", cov_type="cluster", groups="firm")
    sc.robust_regression("y ~ np.exp(x1) + C(group)", data=d, nan_policy="omit")
    res = sc.ols("y ~ x1 + C(group)", data=d, nan_policy="omit")
    res.predict(d.dropna())
    res.plot()
    with pytest.raises(ValueError, match="missing values"):
        sc.ols("y ~ x1", data=d)
    pd.testing.assert_frame_equal(d, before)
    import matplotlib.pyplot as plt

    plt.close("all")


# ---------------------------------------------------------------------------------------------
# Display, pickling, lazy import
# ---------------------------------------------------------------------------------------------


def test_repr_shows_the_formula_and_pickles(toy):
    res = sc.ols("y ~ x1 + C(group) + I(x1 > 0)", data=toy)
    assert "formula: y ~ x1 + C(group) + I(x1 > 0)" in repr(res)
    html = res._repr_html_()
    assert "formula: y ~ x1 + C(group) + I(x1 &gt; 0)" in html and "<table" in html
    back = pickle.loads(pickle.dumps(res))
    pd.testing.assert_frame_equal(back.to_frame(), res.to_frame())
    new = toy.head(4)
    np.testing.assert_allclose(back.predict(new), res.predict(new), rtol=1e-15)
    assert "formula" not in repr(sc.ols(toy[["x1"]], toy["y"]))


def test_formulaic_is_imported_only_for_formulas():
    code = """
        import sys
        import statcraft as sc
        sc.ols([1.0, 2.0, 3.0, 4.0], [1.0, 2.5, 2.9, 4.2])
        print("formulaic" in sys.modules, "matplotlib" in sys.modules)
        import pandas as pd
        sc.ols("y ~ x", data=pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [1.0, 2.5, 2.9, 4.2]}))
        print("formulaic" in sys.modules)
    """
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "True"]


def test_missing_formulaic_is_a_clear_import_error(toy, monkeypatch):
    monkeypatch.setitem(sys.modules, "formulaic", None)  # makes `import formulaic` fail
    with pytest.raises(ImportError, match=r"need the formulaic package.*pip install formulaic"):
        sc.ols("y ~ x1", data=toy)
    # the array form does not need it
    assert sc.ols(toy[["x1"]], toy["y"]).nobs == 80
