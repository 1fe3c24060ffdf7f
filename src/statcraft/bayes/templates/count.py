"""Bayesian Poisson and negative-binomial regression for counts, with exposure or offset."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from statcraft._validation import check_bool, check_choice
from statcraft.bayes._data import check_column_names, numeric_column, numeric_columns
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates.linear import (
    data_scale_coefficients,
    predictor_data,
    standardization,
)

__all__ = ["CountRegression"]

_FAMILIES = ("poisson", "negative_binomial")


class CountRegression(BayesianModel):
    r"""Bayesian regression for counts: Poisson or negative binomial, log link, with exposure.

    .. math::

        \log \mu_i &= \alpha + x_i^\top \beta + \log E_i
        \quad(\text{or } + o_i \text{ for an offset}), \\
        y_i &\sim \operatorname{Poisson}(\mu_i) \quad\text{or}\quad
        y_i \sim \operatorname{NB}(\mu_i, \alpha_{\text{nb}}), \qquad
        \operatorname{Var}(y_i) = \mu_i + \mu_i^2 / \alpha_{\text{nb}}.

    :math:`e^{\beta_j}` is the rate ratio per unit of predictor :math:`j` and
    :math:`e^{\alpha}` the rate per unit of exposure at :math:`x = 0`. The negative binomial is
    the Poisson with a gamma-distributed rate multiplier of mean 1 and coefficient of
    variation :math:`1/\sqrt{\alpha_{\text{nb}}}` (``overdispersion``), so it fits counts
    more variable than the Poisson allows; as ``overdispersion`` goes to 0 it becomes the
    Poisson.

    Parameters
    ----------
    outcome : str
        Column of the counts (non-negative whole numbers).
    predictors : list of str
        Numeric predictor columns (encode categories as dummy columns first).
    family : {'poisson', 'negative_binomial'}
        Count distribution.
    exposure : str, optional
        Column of positive exposures :math:`E_i` (person-years, area, trials at risk): the
        expected count is the rate times the exposure, so :math:`\log E_i` enters the linear
        predictor with coefficient 1. Needed again at prediction.
    offset : str, optional
        Column :math:`o_i` added to the linear predictor as is (a log-exposure already
        computed, say). Give ``exposure`` or ``offset``, not both.
    standardize : bool
        Sample on standardised predictors (z-scores, ddof=1; the counts are left alone), so
        the unit-scale priors are weakly informative whatever the units. The priors then
        apply to ``intercept_std`` and ``beta_std``; the data-scale ``intercept`` and ``beta``
        are reported beside them, and the summary says so.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Default priors (log-rate scale, predictors on unit scale):

    - ``intercept ~ Normal(0, 5)``: the log rate per unit exposure; two prior sd span rates
      from 5e-5 to 2e4, so any plausible baseline rate is allowed;
    - ``beta ~ Normal(0, 1)`` per predictor: rate ratios :math:`e^{\beta}` within
      :math:`e^{\pm 2}` (÷7.4 to ×7.4) per unit of predictor at two prior sd — effects larger
      than that per standard deviation of a predictor are rare, and the prior keeps
      near-separated data (all-zero counts in a subgroup) from sending a coefficient to
      :math:`-\infty`;
    - ``overdispersion ~ HalfNormal(1)`` (negative binomial only), where
      ``overdispersion`` :math:`= 1/\sqrt{\alpha_{\text{nb}}}` is the coefficient of variation
      of the gamma rate multiplier; ``alpha`` is reported beside it. The prior's mode at 0
      is the Poisson, so extra variation must be supported by the data (a penalised-
      complexity style prior; Simpson et al. 2017 and the Stan prior-choice
      recommendations), and values above 2 (rates varying by more than ±200%) are
      unlikely. A prior on :math:`\alpha_{\text{nb}}` itself (e.g. Gamma) would instead put
      its mass far from the Poisson limit :math:`\alpha_{\text{nb}} \to \infty`.

    References
    ----------
    Cameron, A. C. & Trivedi, P. K. (2013). Regression Analysis of Count Data, 2nd ed.
    Cambridge University Press (the NB2 parametrisation).

    Simpson, D., Rue, H., Riebler, A., Martins, T. G. & Sørbye, S. H. (2017). Penalising model
    component complexity: a principled, practical approach to constructing priors. Statist.
    Sci. 32(1), 1–28.

    Gelman, A., Hill, J. & Vehtari, A. (2020). Regression and Other Stories, ch. 15.
    Cambridge University Press.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.bayes.templates.count import CountRegression
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=200), "years": rng.uniform(1, 5, size=200)})
    >>> df["events"] = rng.poisson(df["years"] * np.exp(0.2 + 0.5 * df["x"]))
    >>> model = CountRegression(outcome="events", predictors=["x"], exposure="years")
    >>> _ = model.fit(df, draws=500, tune=500, chains=2, cores=1, rng=1, progressbar=False)
    >>> row = model.summary().loc["beta[x]"]
    >>> bool(row["hdi_low"] < 0.5 < row["hdi_high"])
    True
    >>> model.predict(df.head(4), kind="draws").shape
    (1000, 4)
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "intercept": Prior("Normal", mu=0, sigma=5),
        "beta": Prior("Normal", mu=0, sigma=1),
        "overdispersion": Prior("HalfNormal", sigma=1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {"overdispersion": "positive"}
    outcome_option: ClassVar[str | None] = "outcome"

    def __init__(
        self,
        *,
        outcome: str,
        predictors: Sequence[str],
        family: str = "poisson",
        exposure: str | None = None,
        offset: str | None = None,
        standardize: bool = False,
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        outcome = check_column_names(outcome, "outcome")[0]
        predictors = check_column_names(predictors, "predictors", allow_empty=False)
        if outcome in predictors:
            raise ValueError(f"the outcome {outcome!r} is also listed among the predictors")
        if exposure is not None and offset is not None:
            raise ValueError(
                "give `exposure` or `offset`, not both (an exposure E enters as the offset log(E))"
            )
        extra = None
        for role, value in (("exposure", exposure), ("offset", offset)):
            if value is not None:
                extra = check_column_names(value, role)[0]
                if extra == outcome or extra in predictors:
                    raise ValueError(
                        f"the {role} column {extra!r} is also the outcome or a predictor"
                    )
        super().__init__(
            priors=priors,
            outcome=outcome,
            predictors=predictors,
            family=check_choice(family, "family", _FAMILIES),
            exposure=extra if exposure is not None else None,
            offset=extra if offset is not None else None,
            standardize=check_bool(standardize, "standardize"),
        )

    def _log_offset(self, data: pd.DataFrame) -> np.ndarray:
        opts = self._options
        if opts["exposure"] is not None:
            exposure = numeric_column(data, opts["exposure"], "exposure", positive=True)
            return np.log(exposure)
        if opts["offset"] is not None:
            return numeric_column(data, opts["offset"], "offset")
        return np.zeros(len(data))

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        X = numeric_columns(data, opts["predictors"], "predictors")
        arrays: Arrays = {"X": X, "log_offset": self._log_offset(data)}
        if state is None:
            y = numeric_column(data, opts["outcome"], "outcome", nonnegative=True, integer=True)
            if len(y) < 2:
                raise ValueError(f"{type(self).__name__} needs at least 2 rows; got {len(y)}")
            arrays["y"] = y
            state = {"predictors": list(opts["predictors"])}
            if opts["standardize"]:
                state.update(standardization(X, None, opts["predictors"]))
        return arrays, state

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm

        X, y = arrays["X"], arrays["y"]
        std = self._options["standardize"]
        coords = {"predictor": state["predictors"], "obs": np.arange(len(y))}
        with pm.Model(coords=coords) as model:
            x_data, suffix = predictor_data(X, state, std)
            alpha = self.priors["intercept"].create("intercept" + suffix)
            beta = self.priors["beta"].create("beta" + suffix, dims="predictor")
            mu = pm.math.exp(alpha + pm.math.dot(x_data, beta) + arrays["log_offset"])
            if self._options["family"] == "negative_binomial":
                od = self.priors["overdispersion"].create("overdispersion")
                nb_alpha = pm.Deterministic("alpha", 1.0 / od**2)
                pm.NegativeBinomial("y", mu=mu, alpha=nb_alpha, observed=y, dims="obs")
            else:
                pm.Poisson("y", mu=mu, observed=y, dims="obs")
            if std:
                data_scale_coefficients(alpha, beta, state)
        return model

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        eta = draws["intercept"][:, None] + draws["beta"] @ arrays["X"].T
        return np.exp(eta + arrays["log_offset"][None, :])

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        mu = self._expected(draws, arrays, state)
        if self._options["family"] == "negative_binomial":
            # gamma-Poisson mixture: a rate multiplier with mean 1 and variance 1/alpha
            shape = draws["alpha"][:, None]
            mu = rng.gamma(shape, mu / shape)
        return rng.poisson(mu).astype(float)

    def _notes(self, state: State) -> list[str]:
        notes = []
        if self._options["standardize"]:
            notes.append(
                "predictors were standardised for sampling (z-scores; the counts were not); the "
                "priors apply to intercept_std and beta_std; intercept and beta are on the "
                "data's scale"
            )
        if self._options["exposure"] is not None:
            notes.append(
                f"the intercept is the log rate per unit of {self._options['exposure']!r}; "
                "predictions are expected counts for each row's exposure"
            )
        return notes
