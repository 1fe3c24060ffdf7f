"""Serialisable prior specifications, turned into PyMC variables in one place.

A :class:`Prior` names a PyMC distribution and its parameters. Parameters are numbers, lists of
numbers, or other priors (a hierarchy: ``Prior("Normal", mu=0, sigma=Prior("HalfNormal",
sigma=1))`` makes a hyperprior variable ``<name>_sigma``). Priors are plain data: they print,
compare equal, and round-trip through JSON with :meth:`Prior.to_dict` / :meth:`Prior.from_dict`,
which is how fitted models are saved. Only the distributions listed in :data:`DISTRIBUTIONS` are
accepted, so a saved file can never name arbitrary code.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pytensor.tensor as pt

__all__ = ["DISTRIBUTIONS", "Prior", "merge_priors"]

# name -> (required parameters, optional parameters with their defaults, support)
# Parameters in _POSITIVE must be > 0. Support is what the template checks a prior against:
# a scale parameter needs a prior on (0, inf), a probability one on (0, 1).
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], dict[str, float], str]] = {
    "Normal": (("sigma",), {"mu": 0.0}, "real"),
    "StudentT": (("nu", "sigma"), {"mu": 0.0}, "real"),
    "Cauchy": (("beta",), {"alpha": 0.0}, "real"),
    "Laplace": (("b",), {"mu": 0.0}, "real"),
    "Logistic": (("s",), {"mu": 0.0}, "real"),
    "Uniform": (("lower", "upper"), {}, "interval"),
    "TruncatedNormal": (("sigma",), {"mu": 0.0, "lower": -math.inf, "upper": math.inf}, "real"),
    "HalfNormal": (("sigma",), {}, "positive"),
    "HalfStudentT": (("nu", "sigma"), {}, "positive"),
    "HalfCauchy": (("beta",), {}, "positive"),
    "Exponential": (("lam",), {}, "positive"),
    "Gamma": (("alpha", "beta"), {}, "positive"),
    "InverseGamma": (("alpha", "beta"), {}, "positive"),
    "LogNormal": (("sigma",), {"mu": 0.0}, "positive"),
    "Weibull": (("alpha", "beta"), {}, "positive"),
    "Beta": (("alpha", "beta"), {}, "unit"),
}
_POSITIVE = {"sigma", "nu", "beta", "b", "s", "lam"}
# Gamma/InverseGamma/Beta/Weibull shape `alpha` must be positive; Cauchy's `alpha` is a location.
_POSITIVE_ALPHA = {"Gamma", "InverseGamma", "Weibull", "Beta"}

_SUPPORT_WORDS = {
    "real": "the real line",
    "positive": "(0, inf)",
    "unit": "(0, 1)",
    "interval": "a bounded interval",
}


def _support_ok(dist: str, required: str, prior: Prior) -> bool:
    """Whether a prior of distribution ``dist`` can serve a parameter of support ``required``."""
    have = DISTRIBUTIONS[dist][2]
    if required == "real":
        return True
    if required == "positive":
        if have in ("positive", "unit"):
            return True
        lower = prior.params.get("lower", -math.inf)
        return dist in ("Uniform", "TruncatedNormal") and _is_number(lower) and float(lower) >= 0
    if required == "unit":
        if have == "unit":
            return True
        lo = prior.params.get("lower", -math.inf)
        hi = prior.params.get("upper", math.inf)
        return (
            dist in ("Uniform", "TruncatedNormal")
            and _is_number(lo)
            and _is_number(hi)
            and float(lo) >= 0
            and float(hi) <= 1
        )
    return False


def _is_number(v: Any) -> bool:
    return isinstance(v, (numbers.Real, np.number)) and not isinstance(v, (bool, np.bool_))


def _clean_value(dist: str, key: str, value: Any, where: str) -> Any:
    """Return ``value`` as a float, a list of floats, or a Prior; raise naming ``where``."""
    if isinstance(value, Prior):
        return value
    if isinstance(value, Mapping):
        return Prior.from_dict(value)
    if _is_number(value):
        v = float(value)
        if math.isnan(v):
            raise ValueError(f"{where}: parameter {key!r} is NaN")
        if key in ("lower", "upper"):
            return v
        if not math.isfinite(v):
            raise ValueError(f"{where}: parameter {key!r} must be finite; got {v}")
        positive = key in _POSITIVE or (key == "alpha" and dist in _POSITIVE_ALPHA)
        if positive and v <= 0:
            raise ValueError(f"{where}: parameter {key!r} of {dist} must be positive; got {v}")
        return v
    if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, (str, bytes)):
        items = [_clean_value(dist, key, v, where) for v in np.asarray(value, dtype=object).ravel()]
        if any(isinstance(v, Prior) for v in items):
            raise TypeError(f"{where}: parameter {key!r} mixes numbers and priors")
        if not items:
            raise ValueError(f"{where}: parameter {key!r} is empty")
        return items
    raise TypeError(
        f"{where}: parameter {key!r} must be a number, a list of numbers or a Prior; "
        f"got {type(value).__name__}"
    )


class Prior:
    """A prior distribution: a PyMC distribution name and its parameters.

    Parameters
    ----------
    distribution : str
        One of :data:`DISTRIBUTIONS` (PyMC's names: ``"Normal"``, ``"HalfNormal"``,
        ``"StudentT"``, ``"Exponential"``, ``"Gamma"``, ``"Beta"``, ...).
    **params
        The distribution's parameters in PyMC's names (``mu``, ``sigma``, ``nu``, ``lam``, ...):
        numbers, lists of numbers (one per element of a vector parameter), or nested
        :class:`Prior` objects, which become hyperprior variables named ``<name>_<param>``.

    Raises
    ------
    ValueError
        For an unknown distribution or parameter, a missing required parameter, or an invalid
        value (a non-positive scale, NaN).
    TypeError
        For a parameter that is not a number, a list of numbers, or a Prior.

    Examples
    --------
    >>> from statcraft.bayes import Prior
    >>> p = Prior("Normal", mu=0, sigma=2.5)
    >>> p
    Prior('Normal', mu=0.0, sigma=2.5)
    >>> Prior.from_dict(p.to_dict()) == p
    True
    >>> Prior("Normal", mu=0, sigma=Prior("HalfNormal", sigma=1)).to_dict()
    {'distribution': 'Normal', 'mu': 0.0, 'sigma': {'distribution': 'HalfNormal', 'sigma': 1.0}}
    >>> Prior("HalfNormal", sigma=-1)
    Traceback (most recent call last):
    ...
    ValueError: Prior('HalfNormal'): parameter 'sigma' of HalfNormal must be positive; got -1.0
    """

    __slots__ = ("distribution", "params")

    def __init__(self, distribution: str, /, **params: Any) -> None:
        if not isinstance(distribution, str):
            raise TypeError(
                f"the distribution of a Prior must be a string; got {type(distribution).__name__}"
            )
        if distribution not in DISTRIBUTIONS:
            raise ValueError(
                f"unknown prior distribution {distribution!r}; choose from "
                f"{', '.join(sorted(DISTRIBUTIONS))}"
            )
        required, optional, _ = DISTRIBUTIONS[distribution]
        where = f"Prior({distribution!r})"
        allowed = set(required) | set(optional)
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ValueError(
                f"{where}: unknown parameter {unknown[0]!r}; {distribution} takes "
                f"{', '.join(list(required) + list(optional))}"
            )
        missing = [k for k in required if k not in params]
        if missing:
            raise ValueError(f"{where}: missing required parameter {missing[0]!r}")
        clean = {k: _clean_value(distribution, k, params[k], where) for k in sorted(params)}
        if distribution in ("Uniform", "TruncatedNormal"):
            lo, hi = clean.get("lower", -math.inf), clean.get("upper", math.inf)
            if _is_number(lo) and _is_number(hi) and not lo < hi:
                raise ValueError(f"{where}: `lower` must be below `upper`; got {lo} and {hi}")
        self.distribution = distribution
        self.params: dict[str, Any] = clean

    @property
    def support(self) -> str:
        """``'real'``, ``'positive'``, ``'unit'`` or ``'interval'``: where the draws lie."""
        return DISTRIBUTIONS[self.distribution][2]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict; nested priors become nested dicts."""
        out: dict[str, Any] = {"distribution": self.distribution}
        for k, v in self.params.items():
            out[k] = v.to_dict() if isinstance(v, Prior) else v
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Prior:
        """Rebuild a Prior from :meth:`to_dict` output (validated like the constructor)."""
        if not isinstance(data, Mapping) or "distribution" not in data:
            raise ValueError(
                "a prior dict needs a 'distribution' key, e.g. "
                "{'distribution': 'Normal', 'mu': 0, 'sigma': 1}"
            )
        params = {str(k): v for k, v in data.items() if k != "distribution"}
        return cls(data["distribution"], **params)

    def create(self, name: str, *, dims: str | Sequence[str] | None = None) -> pt.TensorVariable:
        """Create the PyMC random variable ``name`` (inside a ``pm.Model`` context).

        Nested priors are created first as ``<name>_<param>`` (scalars). ``dims`` names the
        model coordinates of a vector variable.
        """
        import pymc as pm

        dist = getattr(pm, self.distribution)
        return dist(name, dims=dims, **self._arguments(name))

    def dist(self, name: str) -> Any:
        """Return the unnamed PyMC distribution (``pm.<Distribution>.dist``), for log densities.

        Nested priors are still created as model variables ``<name>_<param>``.
        """
        import pymc as pm

        return getattr(pm, self.distribution).dist(**self._arguments(name))

    def _arguments(self, name: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for k, v in self.params.items():
            if isinstance(v, Prior):
                kwargs[k] = v.create(f"{name}_{k}")
            elif isinstance(v, list):
                kwargs[k] = np.asarray(v, dtype=float)
            else:
                kwargs[k] = v
        return kwargs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prior):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"Prior({self.distribution!r}{', ' if args else ''}{args})"


def merge_priors(
    defaults: Mapping[str, Prior],
    supports: Mapping[str, str],
    user: Mapping[str, Any] | None,
    template: str,
) -> dict[str, Prior]:
    """Return the template's default priors with the user's replacements.

    ``user`` maps parameter names to :class:`Prior` objects (or their dicts). An unknown name
    raises, listing the valid ones; a prior whose support does not fit the parameter (a Normal
    prior on a standard deviation) raises too.
    """
    merged = dict(defaults)
    if user is None:
        return merged
    if not isinstance(user, Mapping):
        raise TypeError(
            f"`priors` must be a dict of parameter name -> Prior; got {type(user).__name__}"
        )
    for key, value in user.items():
        if key not in defaults:
            raise ValueError(
                f"{template} has no parameter {key!r} to put a prior on; valid names are "
                f"{', '.join(sorted(defaults))}"
            )
        if isinstance(value, Mapping):
            value = Prior.from_dict(value)
        if not isinstance(value, Prior):
            raise TypeError(
                f"priors[{key!r}] must be a statcraft.bayes.Prior; got {type(value).__name__}"
            )
        need = supports.get(key, "real")
        if not _support_ok(value.distribution, need, value):
            raise ValueError(
                f"priors[{key!r}]: {key} lives on {_SUPPORT_WORDS[need]}, but {value!r} "
                f"has support on {_SUPPORT_WORDS[value.support]}; use e.g. "
                + ("HalfNormal, Exponential or Gamma" if need == "positive" else "Beta")
            )
        merged[key] = value
    return merged
