"""Tests of statcraft.hypothesis_tests.multiple_testing against R's p.adjust and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

import statcraft as sc

# Rosetta Code task "P-value correction": the p-values and R's p.adjust() output for each method,
# printed to 7 significant digits (acmeism/RosettaCodeData, Task/P-value-correction/C, where the
# R answers are pasted as CORRECT_ANSWERS).
P = np.array(
    [4.533744e-01, 7.296024e-01, 9.936026e-02, 9.079658e-02, 1.801962e-01,
     8.752257e-01, 2.922222e-01, 9.115421e-01, 4.355806e-01, 5.324867e-01,
     4.926798e-01, 5.802978e-01, 3.485442e-01, 7.883130e-01, 2.729308e-01,
     8.502518e-01, 4.268138e-01, 6.442008e-01, 3.030266e-01, 5.001555e-02,
     3.194810e-01, 7.892933e-01, 9.991834e-01, 1.745691e-01, 9.037516e-01,
     1.198578e-01, 3.966083e-01, 1.403837e-02, 7.328671e-01, 6.793476e-02,
     4.040730e-03, 3.033349e-04, 1.125147e-02, 2.375072e-02, 5.818542e-04,
     3.075482e-04, 8.251272e-03, 1.356534e-03, 1.360696e-02, 3.764588e-04,
     1.801145e-05, 2.504456e-07, 3.310253e-02, 9.427839e-03, 8.791153e-04,
     2.177831e-04, 9.693054e-04, 6.610250e-05, 2.900813e-02, 5.735490e-03]
)  # fmt: skip

R_ADJUSTED = {
    # R: p.adjust(p, method = "BH")
    "BH": [6.126681e-01, 8.521710e-01, 1.987205e-01, 1.891595e-01, 3.217789e-01,
           9.301450e-01, 4.870370e-01, 9.301450e-01, 6.049731e-01, 6.826753e-01,
           6.482629e-01, 7.253722e-01, 5.280973e-01, 8.769926e-01, 4.705703e-01,
           9.241867e-01, 6.049731e-01, 7.856107e-01, 4.887526e-01, 1.136717e-01,
           4.991891e-01, 8.769926e-01, 9.991834e-01, 3.217789e-01, 9.301450e-01,
           2.304958e-01, 5.832475e-01, 3.899547e-02, 8.521710e-01, 1.476843e-01,
           1.683638e-02, 2.562902e-03, 3.516084e-02, 6.250189e-02, 3.636589e-03,
           2.562902e-03, 2.946883e-02, 6.166064e-03, 3.899547e-02, 2.688991e-03,
           4.502862e-04, 1.252228e-05, 7.881555e-02, 3.142613e-02, 4.846527e-03,
           2.562902e-03, 4.846527e-03, 1.101708e-03, 7.252032e-02, 2.205958e-02],
    # R: p.adjust(p, method = "BY")
    "BY": [1.000000e+00, 1.000000e+00, 8.940844e-01, 8.510676e-01, 1.000000e+00,
           1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00,
           1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00,
           1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 5.114323e-01,
           1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00,
           1.000000e+00, 1.000000e+00, 1.754486e-01, 1.000000e+00, 6.644618e-01,
           7.575031e-02, 1.153102e-02, 1.581959e-01, 2.812089e-01, 1.636176e-02,
           1.153102e-02, 1.325863e-01, 2.774239e-02, 1.754486e-01, 1.209832e-02,
           2.025930e-03, 5.634031e-05, 3.546073e-01, 1.413926e-01, 2.180552e-02,
           1.153102e-02, 2.180552e-02, 4.956812e-03, 3.262838e-01, 9.925057e-02],
    # R: p.adjust(p, method = "bonferroni")
    "bonferroni": [1.0] * 27 + [7.019185e-01, 1.0, 1.0,
           2.020365e-01, 1.516674e-02, 5.625735e-01, 1.000000e+00, 2.909271e-02,
           1.537741e-02, 4.125636e-01, 6.782670e-02, 6.803480e-01, 1.882294e-02,
           9.005725e-04, 1.252228e-05, 1.000000e+00, 4.713920e-01, 4.395577e-02,
           1.088915e-02, 4.846527e-02, 3.305125e-03, 1.000000e+00, 2.867745e-01],
    # R: p.adjust(p, method = "hochberg")
    "hochberg": [9.991834e-01] * 27 + [4.632662e-01, 9.991834e-01, 9.991834e-01,
           1.575885e-01, 1.383967e-02, 3.938014e-01, 7.600230e-01, 2.501973e-02,
           1.383967e-02, 3.052971e-01, 5.426136e-02, 4.626366e-01, 1.656419e-02,
           8.825610e-04, 1.252228e-05, 9.930759e-01, 3.394022e-01, 3.692284e-02,
           1.023581e-02, 3.974152e-02, 3.172920e-03, 8.992520e-01, 2.179486e-01],
    # R: p.adjust(p, method = "holm")
    "holm": [1.0] * 27 + [4.632662e-01, 1.0, 1.0,
           1.575885e-01, 1.395341e-02, 3.938014e-01, 7.600230e-01, 2.501973e-02,
           1.395341e-02, 3.052971e-01, 5.426136e-02, 4.626366e-01, 1.656419e-02,
           8.825610e-04, 1.252228e-05, 9.930759e-01, 3.394022e-01, 3.692284e-02,
           1.023581e-02, 3.974152e-02, 3.172920e-03, 8.992520e-01, 2.179486e-01],
    # R: p.adjust(p, method = "hommel")
    "hommel": [9.991834e-01, 9.991834e-01, 9.991834e-01, 9.987624e-01, 9.991834e-01,
           9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01,
           9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01,
           9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01, 9.595180e-01,
           9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01, 9.991834e-01,
           9.991834e-01, 9.991834e-01, 4.351895e-01, 9.991834e-01, 9.766522e-01,
           1.414256e-01, 1.304340e-02, 3.530937e-01, 6.887709e-01, 2.385602e-02,
           1.322457e-02, 2.722920e-01, 5.426136e-02, 4.218158e-01, 1.581127e-02,
           8.825610e-04, 1.252228e-05, 8.743649e-01, 3.016908e-01, 3.516461e-02,
           9.582456e-03, 3.877222e-02, 3.172920e-03, 8.122276e-01, 1.950067e-01],
}  # fmt: skip

SM_NAMES = {
    "BH": "fdr_bh",
    "BY": "fdr_by",
    "bonferroni": "bonferroni",
    "hochberg": "simes-hochberg",
    "holm": "holm",
    "hommel": "hommel",
}


@pytest.mark.parametrize("method", sorted(R_ADJUSTED))
def test_against_r_p_adjust(method):
    expected = np.array(R_ADJUSTED[method])
    assert expected.size == 50
    got = sc.adjust_pvalues(P, method)
    # R printed 7 significant digits, from p-values that were themselves rounded to 7
    np.testing.assert_allclose(got, expected, rtol=2e-6, atol=0)


@pytest.mark.parametrize("method", sorted(SM_NAMES))
def test_against_statsmodels_multipletests(method, rng):
    p = np.concatenate([rng.uniform(size=30), rng.uniform(0, 0.01, size=10), [0.02, 0.02, 0.5]])
    rng.shuffle(p)
    got = sc.adjust_pvalues(p, method)
    ref = multipletests(p, method=SM_NAMES[method])[1]
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)


def test_hand_derived():
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    np.testing.assert_allclose(sc.adjust_pvalues(p, "bonferroni"), [0.05, 0.1, 0.15, 0.2, 0.25])
    # Holm: 5*.01, 4*.02, 3*.03, max(2*.04, .09), max(.05, .09)
    np.testing.assert_allclose(sc.adjust_pvalues(p, "holm"), [0.05, 0.08, 0.09, 0.09, 0.09])
    np.testing.assert_allclose(sc.adjust_pvalues(p, "hochberg"), [0.05] * 5)
    np.testing.assert_allclose(sc.adjust_pvalues(p, "BH"), [0.05] * 5)
    np.testing.assert_allclose(
        sc.adjust_pvalues(p, "BY"), [0.05 * (1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5)] * 5
    )
    # order preserved
    np.testing.assert_allclose(sc.adjust_pvalues(p[::-1], "holm"), [0.09, 0.09, 0.09, 0.08, 0.05])


def test_hommel_two_tests_is_hochberg_and_single_test_unchanged():
    np.testing.assert_allclose(sc.adjust_pvalues([0.03, 0.04], "hommel"), [0.04, 0.04])
    assert sc.adjust_pvalues([0.03], "bonferroni").tolist() == [0.03]


def test_n_larger_than_number_of_pvalues():
    # R: p.adjust(c(0.01, 0.02), "bonferroni", n = 4) -> 0.04 0.08
    np.testing.assert_allclose(sc.adjust_pvalues([0.01, 0.02], "bonferroni", n=4), [0.04, 0.08])
    # Hommel pads with ones, as R: equal to the first two of the full family with p = 1 added
    full = multipletests([0.01, 0.02, 1.0, 1.0], method="hommel")[1][:2]
    np.testing.assert_allclose(sc.adjust_pvalues([0.01, 0.02], "hommel", n=4), full, rtol=1e-12)
    full_bh = multipletests([0.01, 0.02, 1.0, 1.0], method="fdr_bh")[1][:2]
    np.testing.assert_allclose(sc.adjust_pvalues([0.01, 0.02], "BH", n=4), full_bh, rtol=1e-12)


def test_series_keeps_index_and_nan_omit_as_r():
    s = pd.Series([0.04, np.nan, 0.01, 0.03], index=["a", "b", "c", "d"], name="p")
    out = sc.adjust_pvalues(s, "holm", nan_policy="omit")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b", "c", "d"] and out.name == "p"
    # R: p.adjust(c(a=0.04, b=NA, c=0.01, d=0.03), "holm") -> a 0.06, b NA, c 0.03, d 0.06
    np.testing.assert_allclose(out.to_numpy(), [0.06, np.nan, 0.03, 0.06])


def test_ties_get_equal_adjusted_values():
    out = sc.adjust_pvalues([0.02, 0.01, 0.02, 0.02], "BH")
    assert out[0] == out[2] == out[3]


def test_bad_input():
    with pytest.raises(ValueError, match=r"`pvalues` must be in \[0, 1\]; got 1 value outside"):
        sc.adjust_pvalues([0.1, 1.2])
    with pytest.raises(ValueError, match="2 values outside"):
        sc.adjust_pvalues([-0.1, 1.2, 0.5])
    with pytest.raises(ValueError, match="NaN"):
        sc.adjust_pvalues([0.1, np.nan])
    with pytest.raises(ValueError, match="all NaN"):
        sc.adjust_pvalues([np.nan, np.nan], nan_policy="omit")
    with pytest.raises(ValueError, match="nan_policy"):
        sc.adjust_pvalues([0.1, 0.2], nan_policy="propagate")
    with pytest.raises(ValueError, match="method"):
        sc.adjust_pvalues([0.1, 0.2], "fdr")
    # R's spelling only (issue 11): the lower-case names are gone, and the error says so
    for old, new in (("bh", "BH"), ("by", "BY"), ("fdr_bh", "BH")):
        with pytest.raises(ValueError, match=f"got '{old}' \\(R's p.adjust spells it '{new}'\\)"):
            sc.adjust_pvalues([0.1, 0.2], old)
    with pytest.raises(ValueError, match="`method` must be one of"):
        sc.adjust_pvalues([0.1, 0.2], "Holm")
    with pytest.raises(ValueError, match="empty"):
        sc.adjust_pvalues([])
    with pytest.raises(ValueError, match="one-dimensional"):
        sc.adjust_pvalues(np.full((2, 2), 0.1))
    with pytest.raises(ValueError, match="one-dimensional"):
        sc.adjust_pvalues(pd.DataFrame({"a": [0.1], "b": [0.2]}))
    with pytest.raises(ValueError, match="`n` \\(1\\) must be at least"):
        sc.adjust_pvalues([0.1, 0.2], n=1)
    with pytest.raises(TypeError, match="numbers"):
        sc.adjust_pvalues(["a", "b"])
    with pytest.raises(ValueError, match="infinite"):
        sc.adjust_pvalues([0.1, np.inf])


def test_input_not_modified():
    p = P.copy()
    s = pd.Series(P.copy())
    sc.adjust_pvalues(p, "hommel")
    sc.adjust_pvalues(s, "BY")
    np.testing.assert_array_equal(p, P)
    np.testing.assert_array_equal(s.to_numpy(), P)
