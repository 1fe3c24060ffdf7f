"""Prior: construction, validation, serialisation, support checks, PyMC variables."""

import json

import pymc as pm
import pytest

from statcraft.bayes import LinearRegression, Prior
from statcraft.bayes.priors import DISTRIBUTIONS, merge_priors


def test_round_trip_through_json_including_nesting():
    p = Prior("Normal", mu=0, sigma=Prior("HalfNormal", sigma=1.5))
    again = Prior.from_dict(json.loads(json.dumps(p.to_dict())))
    assert again == p
    assert again.params["sigma"] == Prior("HalfNormal", sigma=1.5)


def test_vector_parameters_are_lists_of_floats():
    p = Prior("Normal", mu=[0, 1, 2], sigma=1)
    assert p.params["mu"] == [0.0, 1.0, 2.0]


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (("Normall",), {"sigma": 1}, ValueError, "unknown prior distribution 'Normall'"),
        (("Normal",), {"sd": 1}, ValueError, "unknown parameter 'sd'; Normal takes sigma, mu"),
        (("Gamma",), {"alpha": 2}, ValueError, "missing required parameter 'beta'"),
        (("HalfNormal",), {"sigma": 0}, ValueError, "'sigma' of HalfNormal must be positive"),
        (("Gamma",), {"alpha": -1, "beta": 1}, ValueError, "'alpha' of Gamma must be positive"),
        (("Normal",), {"sigma": float("nan")}, ValueError, "parameter 'sigma' is NaN"),
        (("Normal",), {"sigma": float("inf")}, ValueError, "'sigma' must be finite"),
        (("Normal",), {"sigma": "1"}, TypeError, "must be a number, a list of numbers or a Prior"),
        (("Uniform",), {"lower": 2, "upper": 1}, ValueError, "`lower` must be below `upper`"),
        ((3,), {}, TypeError, "distribution of a Prior must be a string"),
        (("Normal",), {"sigma": []}, ValueError, "parameter 'sigma' is empty"),
    ],
)
def test_invalid_priors_raise_naming_the_problem(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        Prior(*args, **kwargs)


def test_from_dict_needs_a_distribution():
    with pytest.raises(ValueError, match="needs a 'distribution' key"):
        Prior.from_dict({"mu": 0})


def test_cauchy_location_may_be_negative():
    assert Prior("Cauchy", alpha=-1, beta=2).params["alpha"] == -1.0


def test_every_listed_distribution_exists_in_pymc():
    for name in DISTRIBUTIONS:
        assert hasattr(pm, name), name


def test_merge_rejects_unknown_names_listing_the_valid_ones():
    with pytest.raises(ValueError, match=r"no parameter 'slope'.*valid names are beta, intercept"):
        LinearRegression(outcome="y", predictors=["x"], priors={"slope": Prior("Normal", sigma=1)})


def test_merge_rejects_priors_with_the_wrong_support():
    with pytest.raises(ValueError, match=r"priors\['sigma'\]: sigma lives on \(0, inf\)"):
        LinearRegression(outcome="y", predictors=["x"], priors={"sigma": Prior("Normal", sigma=1)})


def test_merge_accepts_a_positive_truncated_normal_for_a_scale():
    p = Prior("TruncatedNormal", mu=1, sigma=1, lower=0)
    merged = merge_priors({"sigma": Prior("HalfNormal", sigma=1)}, {"sigma": "positive"},
                          {"sigma": p}, "T")
    assert merged["sigma"] is p


def test_merge_rejects_non_prior_values():
    with pytest.raises(TypeError, match=r"priors\['beta'\] must be a statcraft.bayes.Prior"):
        LinearRegression(outcome="y", predictors=["x"], priors={"beta": 2.5})
    with pytest.raises(TypeError, match="`priors` must be a dict"):
        LinearRegression(outcome="y", predictors=["x"], priors=[Prior("Normal", sigma=1)])


def test_merge_accepts_dicts_and_keeps_the_other_defaults():
    model = LinearRegression(
        outcome="y", predictors=["x"], priors={"beta": {"distribution": "Normal", "sigma": 1}}
    )
    assert model.priors["beta"] == Prior("Normal", sigma=1)
    assert model.priors["sigma"] == LinearRegression.default_priors["sigma"]


def test_create_makes_hyperprior_variables_with_dims():
    p = Prior("Normal", mu=0, sigma=Prior("HalfNormal", sigma=1))
    with pm.Model(coords={"g": ["a", "b", "c"]}) as model:
        p.create("effect", dims="g")
    names = {v.name for v in model.free_RVs}
    assert names == {"effect", "effect_sigma"}
    assert model["effect"].eval().shape == (3,)


def test_dist_gives_the_same_log_density_as_the_variable():
    p = Prior("Gamma", alpha=2, beta=0.1)
    with pm.Model():
        value = pm.logp(p.dist("nu"), 5.0).eval()
    # Gamma(2, rate 0.1) at 5: log(0.1^2 * 5 * exp(-0.5)) = log(0.05) - 0.5
    assert value == pytest.approx(-3.4957322735539909, rel=1e-12)
