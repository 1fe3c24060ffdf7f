"""Bayesian linear regression with a normal or Student-t (robust) likelihood."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from statcraft._validation import check_bool, check_choice
from statcraft.bayes._data import check_column_names, numeric_column, numeric_columns
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior

__all__ = ["LinearRegression", "PriorScaleWarning"]


class PriorScaleWarning(UserWarning):
    """The data's scale makes the default (unit-scale) priors informative."""


def standardization(X: np.ndarray, y: np.ndarray | None, names: Sequence[str]) -> dict[str, Any]:
    """Means and standard deviations (ddof=1) of the predictor columns and the outcome."""
    sd = X.std(axis=0, ddof=1)
    const = [names[j] for j in range(X.shape[1]) if not sd[j] > 0]
    if const:
        raise ValueError(
            f"predictor column {const[0]!r} is constant; it cannot be standardised (drop it)"
        )
    out: dict[str, Any] = {"x_mean": X.mean(axis=0).tolist(), "x_sd": sd.tolist()}
    if y is not None:
        y_sd = float(y.std(ddof=1))
        if not y_sd > 0:
            raise ValueError("the outcome is constant; it cannot be standardised")
        out.update(y_mean=float(y.mean()), y_sd=y_sd)
    return out


def warn_prior_scale(y: np.ndarray, priors: Mapping[str, Prior], template: str) -> None:
    """Warn when the outcome's spread dwarfs the default sigma prior (unit-scale defaults)."""
    sigma = priors["sigma"].params.get("sigma")
    spread = float(np.std(y))
    if isinstance(sigma, float) and spread > 20 * sigma:
        warnings.warn(
            f"{template}: the outcome's standard deviation ({spread:.3g}) is large next to the "
            f"prior on sigma ({priors['sigma']!r}); the default priors assume data on roughly "
            "unit scale, so they are informative here. Pass standardize=True, or set priors "
            "on your data's scale.",
            PriorScaleWarning,
            stacklevel=4,
        )


def predictor_data(X: np.ndarray, state: State, standardize: bool) -> tuple[Any, str]:
    """Register the predictors as ``pm.Data("X")`` (inside a model context).

    With ``standardize`` they are z-scored with the constants kept in ``state``; the second
    value is the suffix of the parameters sampled on that scale (``"_std"`` or ``""``).
    """
    import pymc as pm

    if standardize:
        xm, xs = np.asarray(state["x_mean"]), np.asarray(state["x_sd"])
        return pm.Data("X", (X - xm) / xs, dims=("obs", "predictor")), "_std"
    return pm.Data("X", X, dims=("obs", "predictor")), ""


def data_scale_coefficients(
    intercept: Any, beta: Any, state: State, y_mean: float = 0.0, y_sd: float = 1.0
) -> None:
    """Add ``beta`` and ``intercept`` on the data's scale as Deterministics.

    Undoes the z-scoring of the predictors (and, for a standardised outcome, of the outcome:
    ``y_mean``, ``y_sd``): β = y_sd β* / s_x and α = y_mean + y_sd (α* − Σ β* m_x / s_x).
    """
    import pymc as pm

    xm, xs = np.asarray(state["x_mean"]), np.asarray(state["x_sd"])
    pm.Deterministic("beta", beta * y_sd / xs, dims="predictor")
    pm.Deterministic("intercept", y_mean + y_sd * (intercept - pm.math.sum(beta * xm / xs)))


class LinearRegression(BayesianModel):
    r"""Bayesian linear regression, robust to outliers with ``likelihood="student_t"``.

    .. math::

        y_i &= \alpha + x_i^\top \beta + \varepsilon_i, \\
        \varepsilon_i &\sim \mathcal{N}(0, \sigma) \quad\text{or}\quad
        \varepsilon_i \sim t_\nu(0, \sigma).

    The Student-t likelihood gives gross outliers little weight (its influence function is
    bounded), so the slope is not dragged by a few wild points; ``nu`` is estimated.

    Parameters
    ----------
    outcome : str
        Column of the outcome.
    predictors : list of str
        Numeric predictor columns (encode categories as dummy columns first).
    likelihood : {'normal', 'student_t'}
        Error distribution.
    standardize : bool
        Sample on standardised predictors and outcome (z-scores, ddof=1), so that the default
        unit-scale priors are weakly informative whatever the units. The priors then apply to
        the standardised coefficients (``intercept_std``, ``beta_std``, ``sigma_std``); the
        data-scale ``intercept``, ``beta`` and ``sigma`` are reported beside them, and the
        summary says so. Nothing is rescaled unless you ask.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Default priors (weakly informative for data on unit scale, Gelman et al. 2008; a
    :class:`PriorScaleWarning` says when the outcome's scale makes them informative):

    - ``intercept ~ Normal(0, 10)``;
    - ``beta ~ Normal(0, 2.5)`` per predictor (a change of 2.5 outcome-sd per predictor unit
      is already large);
    - ``sigma ~ HalfNormal(2.5)``;
    - ``nu ~ Gamma(2, 0.1)`` (Student-t only; Juárez & Steel 2010: mean 20, and mass on heavy
      tails, 4% below ``nu = 3``).

    References
    ----------
    Juárez, M. A. & Steel, M. F. J. (2010). Model-based clustering of non-Gaussian panel data
    based on skew-t distributions. JBES 28(1), 52–66.

    Gelman, A., Jakulin, A., Pittau, M. G. & Su, Y.-S. (2008). A weakly informative default
    prior distribution for logistic and other regression models. Ann. Appl. Stat. 2(4).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.bayes import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=50)})
    >>> df["y"] = 1.0 + 2.0 * df["x"] + rng.normal(scale=0.5, size=50)
    >>> model = LinearRegression(outcome="y", predictors=["x"])
    >>> _ = model.fit(df, draws=500, tune=500, chains=2, cores=1, rng=1, progressbar=False)
    >>> bool(model.convergence.passed)
    True
    >>> row = model.summary().loc["beta[x]"]
    >>> bool(row["hdi_low"] < 2.0 < row["hdi_high"])
    True
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "intercept": Prior("Normal", mu=0, sigma=10),
        "beta": Prior("Normal", mu=0, sigma=2.5),
        "sigma": Prior("HalfNormal", sigma=2.5),
        "nu": Prior("Gamma", alpha=2, beta=0.1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {"sigma": "positive", "nu": "positive"}
    outcome_option: ClassVar[str | None] = "outcome"

    def __init__(
        self,
        *,
        outcome: str,
        predictors: Sequence[str],
        likelihood: str = "normal",
        standardize: bool = False,
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        outcome = check_column_names(outcome, "outcome")[0]
        predictors = check_column_names(predictors, "predictors", allow_empty=False)
        if outcome in predictors:
            raise ValueError(f"the outcome {outcome!r} is also listed among the predictors")
        super().__init__(
            priors=priors,
            outcome=outcome,
            predictors=predictors,
            likelihood=check_choice(likelihood, "likelihood", ("normal", "student_t")),
            standardize=check_bool(standardize, "standardize"),
        )

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        X = numeric_columns(data, opts["predictors"], "predictors")
        arrays: Arrays = {"X": X}
        if state is None:
            y = numeric_column(data, opts["outcome"], "outcome")
            if len(y) < 2:
                raise ValueError(f"{type(self).__name__} needs at least 2 rows; got {len(y)}")
            arrays["y"] = y
            state = {"predictors": list(opts["predictors"])}
            if opts["standardize"]:
                state.update(standardization(X, y, opts["predictors"]))
            else:
                warn_prior_scale(y, self.priors, type(self).__name__)
        return arrays, state

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm

        X, y = arrays["X"], arrays["y"]
        std = self._options["standardize"]
        coords = {"predictor": state["predictors"], "obs": np.arange(len(y))}
        ym, ys = (state["y_mean"], state["y_sd"]) if std else (0.0, 1.0)
        with pm.Model(coords=coords) as model:
            x_data, suffix = predictor_data(X, state, std)
            y_obs = (y - ym) / ys
            alpha = self.priors["intercept"].create("intercept" + suffix)
            beta = self.priors["beta"].create("beta" + suffix, dims="predictor")
            sigma = self.priors["sigma"].create("sigma" + suffix)
            mu = alpha + pm.math.dot(x_data, beta)
            if self._options["likelihood"] == "student_t":
                nu = self.priors["nu"].create("nu")
                pm.StudentT("y", nu=nu, mu=mu, sigma=sigma, observed=y_obs, dims="obs")
            else:
                pm.Normal("y", mu=mu, sigma=sigma, observed=y_obs, dims="obs")
            if std:
                data_scale_coefficients(alpha, beta, state, ym, ys)
                pm.Deterministic("sigma", sigma * ys)
        return model

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        return draws["intercept"][:, None] + draws["beta"] @ arrays["X"].T

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        mu = self._expected(draws, arrays, state)
        sigma = draws["sigma"][:, None]
        if self._options["likelihood"] == "student_t":
            noise = rng.standard_t(draws["nu"][:, None], size=mu.shape)
        else:
            noise = rng.standard_normal(size=mu.shape)
        return mu + sigma * noise

    def _notes(self, state: State) -> list[str]:
        if self._options["standardize"]:
            return [
                "predictors and outcome were standardised for sampling (z-scores); the priors "
                "apply to intercept_std, beta_std and sigma_std; intercept, beta and sigma are "
                "on the data's scale"
            ]
        return []
