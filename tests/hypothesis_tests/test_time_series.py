"""Ljung-Box and ARCH-LM tests: R's acf of `lh`, statsmodels as an oracle, size, bad input."""

import numpy as np
import pandas as pd
import pytest

import statcraft as sc
from statcraft.datasets import load_wti

# R datasets `lh` (luteinizing hormone, 48 samples at 10-minute intervals; Diggle 1990 Table A.1),
# typed in from R's print(lh)
LH = [2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2.0, 1.9, 1.7, 2.2, 1.8, 3.2, 3.2,
      2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3.0, 2.3, 2.0, 2.0, 2.9, 2.9, 2.7, 2.7, 2.3,
      2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5, 3.1, 2.6, 2.1, 3.4, 3.0, 2.9]  # fmt: skip


def _wti_returns(n: int = 2000) -> np.ndarray:
    wti = load_wti()
    price = wti["price"].to_numpy(float)
    price = price[np.isfinite(price) & (price > 0)]
    return np.diff(np.log(price))[-n:]


# ---------------------------------------------------------------------------- Ljung-Box
def test_lh_autocorrelations_match_r_acf():
    # R: acf(lh, plot = FALSE), lags 1..16
    r_acf = [0.576, 0.182, -0.145, -0.175, -0.150, -0.021, -0.020, -0.004,
             -0.136, -0.154, -0.097, 0.049, 0.120, 0.087, 0.119, 0.151]  # fmt: skip
    res = sc.ljung_box(LH, lags=16)
    np.testing.assert_allclose(res.details["autocorrelations"], r_acf, atol=5e-4)
    # R: acf(lh, plot = FALSE)$acf[2] -> 0.5755245
    assert res.details["autocorrelations"][0] == pytest.approx(0.5755245, abs=5e-8)


@pytest.mark.parametrize("model_df", [0, 2])
def test_ljung_box_matches_statsmodels_on_lh(model_df):
    from statsmodels.stats.diagnostic import acorr_ljungbox

    ref = acorr_ljungbox(LH, lags=10, model_df=model_df, boxpierce=True)
    res = sc.ljung_box(LH, lags=10, model_df=model_df)
    tab = res.details["table"]
    ref = ref.loc[tab["lag"]]
    np.testing.assert_allclose(tab["statistic"], ref["lb_stat"], rtol=1e-12)
    np.testing.assert_allclose(tab["pvalue"], ref["lb_pvalue"], rtol=1e-10)
    assert res.statistic == pytest.approx(ref["lb_stat"].iloc[-1], rel=1e-12)
    assert res.df == 10 - model_df
    assert tab["lag"].tolist() == list(range(model_df + 1, 11))
    bp = sc.ljung_box(LH, lags=10, model_df=model_df, boxpierce=True)
    assert bp.statistic == pytest.approx(ref["bp_stat"].iloc[-1], rel=1e-12)
    assert bp.pvalue == pytest.approx(ref["bp_pvalue"].iloc[-1], rel=1e-10)
    assert (res.method, bp.method) == ("Box-Ljung test", "Box-Pierce test")


def test_ljung_box_formula_by_hand():
    # Brute force from R's acf definition: Q = n (n + 2) sum r_k^2 / (n - k)
    x = np.array(LH)
    n = x.size
    xc = x - x.mean()
    r = np.array([np.sum(xc[k:] * xc[: n - k]) for k in range(1, 4)]) / np.sum(xc**2)
    q = n * (n + 2) * np.sum(r**2 / (n - np.arange(1, 4)))
    assert sc.ljung_box(LH, lags=3).statistic == pytest.approx(q, rel=1e-12)


def test_ljung_box_on_long_returns_uses_fft_path_consistently():
    from statsmodels.stats.diagnostic import acorr_ljungbox

    x = _wti_returns(5000)
    res = sc.ljung_box(x, lags=40)
    ref = acorr_ljungbox(x, lags=[20, 40])
    assert res.statistic == pytest.approx(ref["lb_stat"].iloc[-1], rel=1e-9)
    assert res.details["table"].set_index("lag").loc[20, "statistic"] == pytest.approx(
        ref["lb_stat"].iloc[0], rel=1e-9
    )


def test_ljung_box_list_of_lags():
    res = sc.ljung_box(LH, lags=[7, 3])
    full = sc.ljung_box(LH, lags=7).details["table"].set_index("lag")
    tab = res.details["table"]
    assert tab["lag"].tolist() == [3, 7]
    np.testing.assert_allclose(tab["statistic"], full.loc[[3, 7], "statistic"])
    assert res.df == 7
    assert res.statistic == pytest.approx(full.loc[7, "statistic"])
    assert res.details["lags"] == (3, 7)


def test_ljung_box_size_under_white_noise_fast():
    rng = np.random.default_rng(20261125)
    pvals = np.array([sc.ljung_box(rng.standard_normal(300), lags=10).pvalue for _ in range(1500)])
    assert 0.035 <= np.mean(pvals < 0.05) <= 0.065


def test_ljung_box_bad_input():
    with pytest.raises(ValueError, match="`x` is constant"):
        sc.ljung_box([1.0] * 20, lags=3)
    with pytest.raises(ValueError, match=r"`lags` must be smaller than the series length \(5\)"):
        sc.ljung_box([1, 2, 3, 2, 1], lags=5)
    with pytest.raises(ValueError, match="every lag must exceed `model_df` \\(2\\)"):
        sc.ljung_box(LH, lags=[2, 5], model_df=2)
    with pytest.raises(ValueError, match="`lags` must be >= 1; got 0"):
        sc.ljung_box(LH, lags=0)
    with pytest.raises(ValueError, match="`lags` must be a whole number"):
        sc.ljung_box(LH, lags=2.5)
    with pytest.raises(TypeError, match="`lags` must be an integer"):
        sc.ljung_box(LH, lags="5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`model_df` must be >= 0"):
        sc.ljung_box(LH, lags=5, model_df=-1)
    with pytest.raises(ValueError, match="`x` has 1 NaN value"):
        sc.ljung_box([1.0, np.nan, 2.0, 3.0], lags=1)
    with pytest.raises(ValueError, match="`x` has 1 infinite value"):
        sc.ljung_box([1.0, np.inf, 2.0, 3.0], lags=1)
    with pytest.raises(TypeError, match="`x` must contain numbers"):
        sc.ljung_box(["a", "b", "c"], lags=1)
    with pytest.raises(ValueError, match="`x` is empty"):
        sc.ljung_box([], lags=1)
    with pytest.raises(ValueError, match="`lags` is empty"):
        sc.ljung_box(LH, lags=[])


@pytest.mark.parametrize("func", [sc.ljung_box, sc.arch_lm])
def test_nan_policy_propagates_and_refuses_omit(func):
    x = np.array(LH, dtype=float)
    x[10] = np.nan
    res = func(x, 3, nan_policy="propagate")
    assert np.isnan(res.statistic)
    assert np.isnan(res.pvalue)
    assert res.df == 3.0
    assert dict(res.details) == {"nan_policy": "propagate"}
    assert func(LH, 3, nan_policy="propagate").statistic == func(LH, 3).statistic
    with pytest.raises(ValueError, match="`x` has 1 NaN value"):
        func(x, 3)
    # dropping x[10] would make x[11] the lag-1 neighbour of x[9]: refused, with the reason
    omit = r"`nan_policy` cannot be 'omit' for a time series: dropping an observation shifts"
    with pytest.raises(ValueError, match=omit):
        func(x, 3, nan_policy="omit")
    with pytest.raises(ValueError, match="`nan_policy` must be one of 'raise', 'propagate'"):
        func(LH, 3, nan_policy="drop")
    np.testing.assert_array_equal(np.isnan(x), np.arange(x.size) == 10)  # input unchanged


def test_ljung_box_does_not_modify_input():
    x = np.array(LH)
    sc.ljung_box(x, lags=5)
    np.testing.assert_array_equal(x, LH)


def test_dated_series_give_the_array_results():
    # the bundled WTI prices are indexed by date; the tests return one number, so the dates
    # only have to be accepted: the same result as the array, the Series untouched
    r = np.log(load_wti()["price"]).diff().iloc[-2000:]
    before = r.copy()
    for test in (sc.ljung_box, sc.arch_lm):
        dated, plain = test(r, lags=5), test(r.to_numpy(), lags=5)
        assert dated.statistic == plain.statistic and dated.pvalue == plain.pvalue
    np.testing.assert_array_equal(r.to_numpy(), _wti_returns(2000))
    pd.testing.assert_series_equal(r, before)


# ----------------------------------------------------------------------------- ARCH LM
@pytest.mark.parametrize("lags", [1, 5, 12])
def test_arch_lm_matches_statsmodels_het_arch(lags):
    # statsmodels het_arch ("verified against R FinTS::ArchTest"): LM = (n - lags) R^2, no demeaning
    from statsmodels.stats.diagnostic import het_arch

    x = _wti_returns(2000)
    ref = het_arch(x - x.mean(), nlags=lags, result_object=True)
    res = sc.arch_lm(x, lags=lags)
    assert res.statistic == pytest.approx(ref.lm, rel=1e-9)
    assert res.pvalue == pytest.approx(ref.lmpval, rel=1e-7, abs=1e-300)
    assert res.details["f_statistic"] == pytest.approx(ref.fval, rel=1e-9)
    assert res.details["f_pvalue"] == pytest.approx(ref.fpval, rel=1e-7, abs=1e-300)
    assert res.df == lags
    assert res.details["nobs"] == x.size - lags
    raw = het_arch(x, nlags=lags, result_object=True)
    assert sc.arch_lm(x, lags=lags, demean=False).statistic == pytest.approx(raw.lm, rel=1e-9)


def test_arch_lm_brute_force_regression():
    # FinTS::ArchTest: mat <- embed(x^2, lags + 1); n R^2 of lm(mat[, 1] ~ mat[, -1])
    rng = np.random.default_rng(3)
    x = rng.standard_normal(60)
    lags = 3
    y2 = x**2
    emb = np.column_stack([y2[lags - j : y2.size - j] for j in range(lags + 1)])
    design = np.column_stack([np.ones(len(emb)), emb[:, 1:]])
    beta = np.linalg.lstsq(design, emb[:, 0], rcond=None)[0]
    resid = emb[:, 0] - design @ beta
    r2 = 1 - resid @ resid / np.sum((emb[:, 0] - emb[:, 0].mean()) ** 2)
    res = sc.arch_lm(x, lags=lags, demean=False)
    assert res.statistic == pytest.approx(len(emb) * r2, rel=1e-10)
    assert res.details["r_squared"] == pytest.approx(r2, rel=1e-10)
    assert res.method == "ARCH LM-test"


def test_arch_lm_detects_garch_and_has_size_on_iid_noise():
    rng = np.random.default_rng(11)
    n = 1000
    z = rng.standard_normal(n)
    h = np.empty(n)
    e = np.empty(n)
    h[0] = 1.0
    e[0] = z[0]
    for t in range(1, n):  # simulate a GARCH(1,1); the recursion is inherently sequential
        h[t] = 0.1 + 0.3 * e[t - 1] ** 2 + 0.6 * h[t - 1]
        e[t] = np.sqrt(h[t]) * z[t]
    assert sc.arch_lm(e, lags=5).pvalue < 1e-6
    pvals = np.array([sc.arch_lm(rng.standard_normal(500), lags=5).pvalue for _ in range(1000)])
    assert 0.03 <= np.mean(pvals < 0.05) <= 0.07


def test_arch_lm_bad_input():
    with pytest.raises(ValueError, match=r"`x` is constant"):
        sc.arch_lm([2.0] * 30, lags=2)
    with pytest.raises(ValueError, match=r"`x` has constant squared deviations"):
        sc.arch_lm([1.0, -1.0] * 15, lags=2)  # demeaned squares all equal
    with pytest.raises(ValueError, match="`x` is too short for 5 lags"):
        sc.arch_lm(np.arange(10.0), lags=5)
    with pytest.raises(ValueError, match="`lags` must be >= 1; got 0"):
        sc.arch_lm(LH, lags=0)
    with pytest.raises(ValueError, match="`x` has 1 NaN value"):
        sc.arch_lm([*LH, np.nan], lags=2)
    with pytest.raises(TypeError, match="`x` must be array-like"):
        sc.arch_lm("returns", lags=2)
