import numpy as np
import pandas as pd
import pytest

from statcraft._validation import (
    check_alternative,
    check_array,
    check_choice,
    check_confidence_level,
    check_count,
    check_finite_scalar,
    check_int,
    check_not_constant,
    check_paired,
    check_probability,
    column_names,
)


def test_check_array_returns_a_float_copy():
    x = np.array([1, 2, 3])
    out = check_array(x, "x")
    assert out.dtype == np.float64
    out[0] = 100
    assert x[0] == 1
    y = np.array([1.0, 2.0])
    assert not np.shares_memory(check_array(y, "y"), y)


def test_check_array_accepts_series_lists_and_column_vectors():
    np.testing.assert_array_equal(check_array(pd.Series([1, 2]), "x"), [1.0, 2.0])
    np.testing.assert_array_equal(check_array([[1], [2]], "x"), [1.0, 2.0])
    np.testing.assert_array_equal(check_array(pd.Series([1.0, None]), "x",
                                              nan_policy="omit"), [1.0])
    assert check_array(np.array([1, None, 3], dtype=object), "x", nan_policy="omit").size == 2


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ([], ValueError, "`x` is empty"),
        ([np.nan, np.nan], ValueError, "`x` is all NaN"),
        ([1.0, np.inf], ValueError, "`x` has 1 infinite value"),
        (["a", "b"], TypeError, "`x` must contain numbers"),
        ("abc", TypeError, "got a string"),
        ([[1, 2], [3, 4]], ValueError, "`x` must be one-dimensional"),
        ([1 + 2j], TypeError, "real numbers"),
        (pd.Series(["a", "b"]), TypeError, "Series of dtype"),
    ],
)
def test_check_array_errors(value, error, match):
    with pytest.raises(error, match=match):
        check_array(value, "x")


def test_nan_policies():
    data = [1.0, np.nan, 3.0]
    with pytest.raises(ValueError, match="`x` has 1 NaN value; pass nan_policy='omit'"):
        check_array(data, "x")
    np.testing.assert_array_equal(check_array(data, "x", nan_policy="omit"), [1.0, 3.0])
    assert np.isnan(check_array(data, "x", nan_policy="propagate")[1])
    with pytest.raises(ValueError, match="`nan_policy` must be one of"):
        check_array(data, "x", nan_policy="drop")
    with pytest.raises(ValueError, match="at least 3 non-NaN observations; got 2"):
        check_array(data, "x", nan_policy="omit", min_size=3)


def test_check_array_two_dimensional():
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1, 2, 3]})
    out = check_array(frame, "X", ndim=2, nan_policy="omit")
    assert out.shape == (2, 2)
    with pytest.raises(TypeError, match="`X` has non-numeric columns: c"):
        check_array(frame.assign(c=["u", "v", "w"]), "X", ndim=2)


def test_check_paired():
    with pytest.raises(ValueError, match="`x` and `y` must have the same length; got 3 and 2"):
        check_paired([1, 2, 3], [1, 2])
    x, y = check_paired([1, np.nan, 3], [4, 5, np.nan], nan_policy="omit")
    np.testing.assert_array_equal(x, [1.0])
    np.testing.assert_array_equal(y, [4.0])
    with pytest.raises(ValueError, match="at least 2 complete pairs; got 1"):
        check_paired([1, np.nan, 3], [4, 5, np.nan], nan_policy="omit", min_size=2)


def test_scalar_checks():
    assert check_confidence_level(0.9) == 0.9
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match=r"`confidence_level` must be in \(0, 1\)"):
            check_confidence_level(bad)
    with pytest.raises(TypeError, match="`confidence_level` must be a real number"):
        check_confidence_level("0.95")
    assert check_probability(0.0, "p", open_low=False) == 0.0
    with pytest.raises(ValueError, match=r"`p` must be in \[0, 1\]"):
        check_probability(1.2, "p", open_low=False, open_high=False)
    with pytest.raises(ValueError, match="`mu` must be finite"):
        check_finite_scalar(np.nan, "mu")
    with pytest.raises(TypeError, match="`mu` must be a real number"):
        check_finite_scalar(True, "mu")


def test_integer_and_count_checks():
    assert check_int(5.0, "k") == 5
    with pytest.raises(ValueError, match="`k` must be a whole number"):
        check_int(2.5, "k")
    with pytest.raises(TypeError, match="`k` must be an integer"):
        check_int("3", "k")
    assert check_count(np.int64(3), "events") == 3
    with pytest.raises(ValueError, match="`events` must be a non-negative count; got -2"):
        check_count(-2, "events")
    with pytest.raises(ValueError, match="`events` must be a whole number"):
        check_count(1.5, "events")
    with pytest.raises(ValueError, match=r"`events` \(7\) cannot exceed `n` \(5\)"):
        check_count(7, "events", max_value=5, max_name="n")


def test_choice_alternative_constant_and_names():
    with pytest.raises(ValueError, match="`alternative` must be one of 'two-sided', 'less'"):
        check_alternative("two.sided")
    with pytest.raises(TypeError, match="`method` must be a string"):
        check_choice(3, "method", ("a",))
    with pytest.raises(ValueError, match="`x` is constant"):
        check_not_constant(np.array([2.0, 2.0, 2.0]), "x", "no spread")
    check_not_constant(np.array([2.0, 3.0]), "x", "no spread")
    assert column_names(pd.Series([1.0], name="age")) == ["age"]
    assert column_names([1, 2, 3]) == ["x"]


def test_integer_and_count_checks_are_exact_for_large_ints():
    # Independent reference: Python's own int arithmetic. Converting through float rounds
    # 2**53 + 1 down to 2**53 (a float has a 53-bit significand).
    big = 2**53 + 1
    assert check_int(big, "n") == big
    assert check_int(np.int64(big), "n") == big
    assert check_count(big, "n") == big
    assert check_count(np.uint64(big), "n") == big
    with pytest.raises(ValueError, match="`n` must be <= 9007199254740992; got 9007199254740993"):
        check_int(big, "n", max_value=2**53)
    with pytest.raises(ValueError, match=r"`x` \(9007199254740993\) cannot exceed `n`"):
        check_count(big, "x", max_value=2**53, max_name="n")
