"""Bayesian logistic regression with a normal, regularised horseshoe or R2-D2 coefficient prior."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import expit

from statcraft._validation import check_bool, check_choice, check_positive
from statcraft.bayes._data import check_column_names, numeric_column, numeric_columns
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates.linear import (
    data_scale_coefficients,
    predictor_data,
    standardization,
)

__all__ = ["LogisticRegression"]

#: Pseudo residual standard deviation of the logit model at p = 1/2 (Piironen & Vehtari 2017,
#: Sect. 3.5): the Bernoulli's pseudo-variance 1 / (mu (1 - mu)) is 4 there.
HORSESHOE_PSEUDO_SIGMA = 2.0
#: Residual standard deviation of the latent logistic variable (pi / sqrt(3)): with it, R2-D2's
#: R^2 is McKelvey & Zavoina's latent-scale R^2 for standardised, uncorrelated predictors.
R2D2_LATENT_SIGMA = math.pi / math.sqrt(3.0)
#: Default R2-D2 Dirichlet concentration (brms's ``cons_D2``).
R2D2_CONCENTRATION = 0.5
#: Target acceptance used for the horseshoe and R2-D2 (their funnels need small NUTS steps).
SHRINKAGE_TARGET_ACCEPT = 0.95

_PRIOR_CHOICES = ("normal", "horseshoe", "r2d2")


def default_expected_nonzero(p: int) -> float:
    """Default prior guess ``p0`` of the number of non-zero coefficients: one in five.

    ``min(max(1, p / 5), p / 2)``: a fifth of the predictors, at least one, and never more
    than half (so that ``p0 < p`` also for one or two predictors).
    """
    return float(min(max(1.0, p / 5.0), p / 2.0))


def r2d2_concentration(options: Mapping[str, Any]) -> float:
    """Return the R2-D2 Dirichlet concentration: the option, or 0.5 when not given."""
    value = options.get("concentration")
    return R2D2_CONCENTRATION if value is None else float(value)


def horseshoe_tau0(p0: float, p: int, n: int) -> float:
    r"""Global scale :math:`\tau_0 = \frac{p_0}{p - p_0} \frac{\sigma}{\sqrt{n}}` with σ = 2."""
    return p0 / (p - p0) * HORSESHOE_PSEUDO_SIGMA / math.sqrt(n)


class LogisticRegression(BayesianModel):
    r"""Bayesian logistic regression for a 0/1 outcome, with shrinkage priors for many predictors.

    .. math::

        y_i &\sim \operatorname{Bernoulli}(\pi_i), \qquad
        \operatorname{logit} \pi_i = \alpha + x_i^\top \beta, \\
        \text{normal:}\quad \beta_j &\sim \mathcal{N}(0, 2.5), \\
        \text{horseshoe:}\quad \beta_j &= z_j\, \tau\, \tilde\lambda_j, \quad
        z_j \sim \mathcal{N}(0, 1), \quad
        \tilde\lambda_j^2 = \frac{c^2 \lambda_j^2}{c^2 + \tau^2 \lambda_j^2}, \quad
        \lambda_j \sim \mathcal{C}^+(0, 1), \quad \tau = \tau_0\, g, \quad
        g \sim \mathcal{C}^+(0, 1), \quad c^2 \sim \operatorname{Inv-Gamma}(\tfrac{\nu}{2},
        \tfrac{\nu s^2}{2}), \\
        \text{R2-D2:}\quad \beta_j &= z_j\, \sigma_\ell \sqrt{\phi_j\, W}, \quad
        W = \frac{R^2}{1 - R^2}, \quad R^2 \sim \operatorname{Beta}(1, 1), \quad
        \phi \sim \operatorname{Dirichlet}(a, \dots, a).

    ``prior`` chooses how the coefficients are regularised. ``"normal"`` is the weakly
    informative default of Gelman et al. (2008) for predictors on unit scale. ``"horseshoe"``
    (the regularised horseshoe of Piironen & Vehtari 2017, non-centred) shrinks coefficients
    that the data do not support strongly towards zero and leaves large ones alone, up to the
    slab scale :math:`s`: the prior for many predictors of which few matter. ``"r2d2"`` (Zhang
    et al. 2022) puts the prior on the share of latent variance explained, :math:`R^2`, and
    splits it across the coefficients with a Dirichlet, so adding predictors does not add prior
    signal. Both shrinkage priors assume comparable predictor scales: use
    ``standardize=True`` unless the predictors already are.

    Parameters
    ----------
    outcome : str
        Column of the outcome, 0/1 (or boolean).
    predictors : list of str
        Numeric predictor columns (encode categories as dummy columns first).
    prior : {'normal', 'horseshoe', 'r2d2'}
        Coefficient prior (see above and Notes).
    standardize : bool
        Sample on standardised predictors (z-scores, ddof=1; the 0/1 outcome is left alone),
        so that the unit-scale priors are weakly informative whatever the units. The priors
        then apply to ``intercept_std`` and ``beta_std``; the data-scale ``intercept`` and
        ``beta`` are reported beside them, and the summary says so.
    expected_nonzero : float, optional
        Horseshoe only: the prior guess :math:`p_0` of the number of non-zero coefficients, in
        ``(0, p)``; it sets the global scale :math:`\tau_0` (Notes). Default: a fifth of the
        predictors, at least one and at most half (:func:`default_expected_nonzero`).
    concentration : float, optional
        R2-D2 only: the Dirichlet concentration :math:`a` (default 0.5, as brms; smaller values
        put the explained variance on fewer coefficients).
    priors : dict of str to Prior, optional
        Replace any of the defaults below (only those of the chosen ``prior`` are used).

    Notes
    -----
    The horseshoe's global scale is
    :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{\sigma}{\sqrt{n}}` with the pseudo standard
    deviation σ = 2 that Piironen & Vehtari (2017, Sect. 3.5) recommend for the logit model
    (the Bernoulli's pseudo-variance :math:`1/(\pi(1-\pi))` at π = 1/2); :math:`p_0` is
    ``expected_nonzero``. The horseshoe's and R2-D2's funnels (a small global scale
    squeezes every coefficient) need small NUTS steps, so their default ``target_accept`` is
    0.95 (0.9 for the normal prior); raise it to 0.99 if the gate reports divergences.

    Default priors (names usable in ``priors=``):

    - ``intercept ~ Normal(0, 5)``: log-odds within ±10 (probabilities from 5e-5 to
      1 - 5e-5) at two prior sd — wide enough for rare events, without the Cauchy tails
      that let a separated intercept wander;
    - ``beta ~ Normal(0, 2.5)`` (``prior="normal"``): Gelman et al. (2008) — a change of 5 on
      the logit scale per unit of predictor (probability from 0.08 to 0.92) is already large;
    - ``hs_local ~ HalfCauchy(1)`` (horseshoe, :math:`\lambda_j`): the horseshoe's local
      scales, whose Cauchy tails let large coefficients escape shrinkage;
    - ``hs_global ~ HalfCauchy(1)`` (horseshoe, :math:`g = \tau / \tau_0`): the global
      scale relative to :math:`\tau_0`, as Piironen & Vehtari;
    - ``hs_slab ~ InverseGamma(2, 12.5)`` (horseshoe, :math:`c^2`): slab degrees of freedom
      ν = 4 and slab scale s = 2.5, i.e. coefficients that escape shrinkage are regularised
      like the normal prior's ``Normal(0, 2.5)`` (with a Student-t₄ tail), which keeps the
      posterior proper under separation;
    - ``r2 ~ Beta(1, 1)`` (R2-D2, :math:`R^2`): uniform on the latent-scale :math:`R^2` —
      :math:`\sigma_\ell = \pi/\sqrt{3}` is the standard logistic's sd, so :math:`R^2` is
      McKelvey & Zavoina's for standardised uncorrelated predictors; the uniform is brms's
      default (mean 0.5, precision 2) and gives :math:`W` a heavy (Beta-prime) tail.

    The non-centring variables ``beta_raw`` (:math:`z_j`) and, for R2-D2, ``r2d2_phi`` (the
    Dirichlet split) are structural, not user priors.

    References
    ----------
    Gelman, A., Jakulin, A., Pittau, M. G. & Su, Y.-S. (2008). A weakly informative default
    prior distribution for logistic and other regression models. Ann. Appl. Stat. 2(4).

    Piironen, J. & Vehtari, A. (2017). Sparsity information and regularization in the
    horseshoe and other shrinkage priors. Electron. J. Statist. 11(2), 5018–5051.

    Zhang, Y. D., Naughton, B. P., Bondell, H. D. & Reich, B. J. (2022). Bayesian regression
    using a prior on the model fit: the R2-D2 shrinkage prior. JASA 117(538), 862–874.

    McKelvey, R. D. & Zavoina, W. (1975). A statistical model for the analysis of ordinal
    level dependent variables. J. Math. Sociol. 4(1), 103–120.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.bayes import Prior
    >>> from statcraft.bayes.templates.logistic import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"x": rng.normal(size=200)})
    >>> df["y"] = (rng.random(200) < 1 / (1 + np.exp(-(0.5 + 1.5 * df["x"])))).astype(int)
    >>> model = LogisticRegression(outcome="y", predictors=["x"])
    >>> _ = model.fit(df, draws=500, tune=500, chains=2, cores=1, rng=1, progressbar=False)
    >>> row = model.summary().loc["beta[x]"]
    >>> bool(row["hdi_low"] < 1.5 < row["hdi_high"])
    True
    >>> p = model.predict_proba(df.head(3))
    >>> p.shape, bool(((p > 0) & (p < 1)).all())
    ((3,), True)
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "intercept": Prior("Normal", mu=0, sigma=5),
        "beta": Prior("Normal", mu=0, sigma=2.5),
        "hs_local": Prior("HalfCauchy", beta=1),
        "hs_global": Prior("HalfCauchy", beta=1),
        "hs_slab": Prior("InverseGamma", alpha=2, beta=12.5),
        "r2": Prior("Beta", alpha=1, beta=1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {
        "hs_local": "positive",
        "hs_global": "positive",
        "hs_slab": "positive",
        "r2": "unit",
    }
    outcome_option: ClassVar[str | None] = "outcome"

    def __init__(
        self,
        *,
        outcome: str,
        predictors: Sequence[str],
        prior: str = "normal",
        standardize: bool = False,
        expected_nonzero: float | None = None,
        concentration: float | None = None,
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        outcome = check_column_names(outcome, "outcome")[0]
        predictors = check_column_names(predictors, "predictors", allow_empty=False)
        if outcome in predictors:
            raise ValueError(f"the outcome {outcome!r} is also listed among the predictors")
        prior = check_choice(prior, "prior", _PRIOR_CHOICES)
        p = len(predictors)
        if expected_nonzero is not None:
            p0 = check_positive(expected_nonzero, "expected_nonzero")
            if prior != "horseshoe":
                raise ValueError(
                    f"`expected_nonzero` applies to prior='horseshoe' only; got prior={prior!r}"
                )
            if not p0 < p:
                raise ValueError(
                    f"`expected_nonzero` must be below the number of predictors ({p}); got "
                    f"{expected_nonzero!r}"
                )
            expected_nonzero = p0
        if concentration is not None:
            if prior != "r2d2":
                raise ValueError(
                    f"`concentration` applies to prior='r2d2' only; got prior={prior!r}"
                )
            concentration = check_positive(concentration, "concentration")
        super().__init__(
            priors=priors,
            outcome=outcome,
            predictors=predictors,
            prior=prior,
            standardize=check_bool(standardize, "standardize"),
            expected_nonzero=expected_nonzero,
            concentration=concentration,
        )

    def _target_accept(self) -> float:
        if self._options["prior"] != "normal":
            return SHRINKAGE_TARGET_ACCEPT
        return self.default_target_accept

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        X = numeric_columns(data, opts["predictors"], "predictors")
        arrays: Arrays = {"X": X}
        if state is None:
            y = numeric_column(data, opts["outcome"], "outcome", binary=True)
            if len(y) < 2:
                raise ValueError(f"{type(self).__name__} needs at least 2 rows; got {len(y)}")
            arrays["y"] = y
            state = {"predictors": list(opts["predictors"]), "n": len(y)}
            if opts["standardize"]:
                state.update(standardization(X, None, opts["predictors"]))
            if opts["prior"] == "horseshoe":
                p = len(opts["predictors"])
                p0 = opts["expected_nonzero"]
                p0 = default_expected_nonzero(p) if p0 is None else float(p0)
                state.update(expected_nonzero=p0, tau0=horseshoe_tau0(p0, p, len(y)))
        return arrays, state

    def _coefficients(self, state: State, suffix: str) -> Any:
        """Create the coefficient vector under the chosen prior (inside the model context)."""
        import pymc as pm

        kind = self._options["prior"]
        if kind == "normal":
            return self.priors["beta"].create("beta" + suffix, dims="predictor")
        z = Prior("Normal", mu=0, sigma=1).create("beta_raw", dims="predictor")
        if kind == "horseshoe":
            lam = self.priors["hs_local"].create("hs_local", dims="predictor")
            tau = state["tau0"] * self.priors["hs_global"].create("hs_global")
            c2 = self.priors["hs_slab"].create("hs_slab")
            lam_tilde = pm.math.sqrt(c2 * lam**2 / (c2 + tau**2 * lam**2))
            return pm.Deterministic("beta" + suffix, z * tau * lam_tilde, dims="predictor")
        r2 = self.priors["r2"].create("r2")
        p = len(state["predictors"])
        if p > 1:
            phi = pm.Dirichlet(
                "r2d2_phi", a=np.full(p, r2d2_concentration(self._options)), dims="predictor"
            )
        else:
            phi = np.ones(1)
        scale = R2D2_LATENT_SIGMA * pm.math.sqrt(phi * r2 / (1 - r2))
        return pm.Deterministic("beta" + suffix, z * scale, dims="predictor")

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm

        X, y = arrays["X"], arrays["y"]
        std = self._options["standardize"]
        coords = {"predictor": state["predictors"], "obs": np.arange(len(y))}
        with pm.Model(coords=coords) as model:
            x_data, suffix = predictor_data(X, state, std)
            alpha = self.priors["intercept"].create("intercept" + suffix)
            beta = self._coefficients(state, suffix)
            pm.Bernoulli("y", logit_p=alpha + pm.math.dot(x_data, beta), observed=y, dims="obs")
            if std:
                data_scale_coefficients(alpha, beta, state)
        return model

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        eta = draws["intercept"][:, None] + draws["beta"] @ arrays["X"].T
        return np.asarray(expit(eta))

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        prob = self._expected(draws, arrays, state)
        return (rng.random(size=prob.shape) < prob).astype(float)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Posterior mean probability that the outcome is 1, shape ``(n_rows,)``.

        The evaluation protocol's probability forecast (the same as ``predict(X)``), which
        :mod:`statcraft.evaluation`'s Brier and log scores use.
        """
        return np.asarray(self.predict(X, kind="mean"), dtype=float)

    def _notes(self, state: State) -> list[str]:
        notes = []
        if self._options["standardize"]:
            notes.append(
                "predictors were standardised for sampling (z-scores; the 0/1 outcome was "
                "not); the priors apply to intercept_std and beta_std; intercept and beta are "
                "on the data's scale"
            )
        if self._options["prior"] == "horseshoe":
            notes.append(
                f"regularised horseshoe with expected_nonzero = {state['expected_nonzero']:g} "
                f"and global scale tau0 = {state['tau0']:.3g} (hs_global = tau / tau0)"
            )
        return notes
