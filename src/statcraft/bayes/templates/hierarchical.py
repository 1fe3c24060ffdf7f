"""Hierarchical (multilevel) linear regression: partial pooling of group intercepts and slopes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from statcraft._validation import check_bool, check_choice
from statcraft.bayes._data import (
    check_column_names,
    group_codes,
    label_column,
    numeric_column,
    numeric_columns,
)
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates.linear import standardization, warn_prior_scale

__all__ = ["HierarchicalRegression"]


class HierarchicalRegression(BayesianModel):
    r"""Hierarchical linear regression with varying intercepts (and slopes) by group.

    Partial pooling: each group has its own intercept (and, for the predictors listed in
    ``varying_slopes``, its own slopes), drawn from a population distribution whose spread is
    estimated, so groups with few rows borrow strength from the others and are shrunk toward
    the population line, while groups with many rows keep estimates close to their own data.

    .. math::

        y_i &= \alpha + x_i^\top \beta + a_{g[i]}
              + \sum_{k \in S} b_{g[i],k}\, x_{ik} + \varepsilon_i, \\
        a_g &= \sigma_a z_g, \quad z_g \sim \mathcal{N}(0, 1), \\
        b_{g,k} &= \sigma_{b,k}\, w_{g,k}, \quad w_{g,k} \sim \mathcal{N}(0, 1), \\
        \varepsilon_i &\sim \mathcal{N}(0, \sigma) \quad\text{or}\quad
        \varepsilon_i \sim t_\nu(0, \sigma),

    where :math:`g[i]` is the group of row :math:`i` and :math:`S` the varying slopes. The
    group effects are *non-centred* (sampled as standard normals ``group_z``/``slope_z`` and
    scaled): with few rows per group the centred form :math:`a_g \sim \mathcal{N}(0,
    \sigma_a)` has a funnel-shaped posterior that NUTS cannot explore (divergences), which
    the non-centred form removes (Betancourt & Girolami 2015). With many rows in every group
    the centred form would mix better; the non-centred one is the safer default.

    Parameters
    ----------
    outcome : str
        Column of the outcome.
    predictors : list of str
        Numeric predictor columns with population-level (fixed) slopes ``beta``; may be empty
        for a varying-intercept model of group means.
    group : str
        Column of group labels (any type; compared as strings).
    varying_slopes : list of str
        Predictors (a subset of ``predictors``) whose slope also varies by group, around its
        population slope. Their group deviations are independent: an LKJ prior on the
        correlation of intercepts and slopes is *not* included — it adds ``K(K+1)/2``
        parameters that a handful of groups barely identifies and makes sampling harder; use
        a custom PyMC model when the correlation itself is of interest.
    likelihood : {'normal', 'student_t'}
        Error distribution (Student-t is robust to outlying rows).
    standardize : bool
        Sample on standardised predictors and outcome (z-scores, ddof=1), as in
        :class:`~statcraft.bayes.LinearRegression`; the priors then apply to the ``*_std``
        parameters and the data-scale ``intercept``, ``beta``, ``sigma``, ``group_sd``,
        ``slope_sd``, ``group_effect`` and ``slope_effect`` are reported beside them.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Posterior variables: ``intercept``, ``beta`` (dims ``predictor``), ``sigma``, ``nu``
    (Student-t), ``group_sd`` (:math:`\sigma_a`), ``group_z`` and ``group_effect``
    (:math:`a_g`, dims ``group``), and with varying slopes ``slope_sd`` (dims ``slope``),
    ``slope_z`` and ``slope_effect`` (:math:`b_{g,k}`, dims ``group, slope``). With
    ``standardize=True``, ``group_sd`` is the spread of the group intercepts at the mean of
    the varying-slope predictors, and ``group_effect`` the group's intercept deviation at
    ``x = 0`` on the data scale (so that ``intercept + x'beta + group_effect + slopes`` is
    the group's line).

    Default priors (weakly informative for data on unit scale, like
    :class:`~statcraft.bayes.LinearRegression`; a ``PriorScaleWarning`` says when the
    outcome's scale makes them informative — pass ``standardize=True`` then):

    - ``intercept ~ Normal(0, 10)``;
    - ``beta ~ Normal(0, 2.5)`` per predictor (a change of 2.5 outcome-sd per predictor unit
      is already large; Gelman et al. 2008);
    - ``sigma ~ HalfNormal(2.5)``;
    - ``nu ~ Gamma(2, 0.1)`` (Student-t only; Juárez & Steel 2010);
    - ``group_sd ~ HalfNormal(1)`` and ``slope_sd ~ HalfNormal(1)`` per varying slope: the
      spread of group deviations is at most of the order of the outcome's own spread on
      unit scale, and a half-normal (rather than the old inverse-gamma(ε, ε), whose
      inferences depend on ε when the spread is small) keeps mass near zero, so "no group
      variation" remains plausible, and is well behaved with few groups (Gelman 2006). It
      is tighter than the prior on ``sigma`` because, with few groups, the data say little
      about a group-level spread and a wide prior lets it wander into implausible values.

    Prediction: rows of a group seen in fitting get that group's line. A row whose group
    was *not* seen in fitting gets the population-level line: ``predict(kind="mean")`` is
    :math:`\alpha + x^\top\beta` (the expectation over the new group's effect, whose mean is
    zero), and predictive draws (``kind="draws"``/``"interval"``) add a fresh draw of the
    group effect :math:`a_{new} \sim \mathcal{N}(0, \sigma_a)` (and of each varying slope
    from :math:`\mathcal{N}(0, \sigma_{b,k})`) per posterior draw, shared by all rows of the
    same new group, so their intervals are wider by the between-group spread. No warning is
    given: group-wise cross-validation meets unseen groups by design.

    References
    ----------
    Gelman, A. & Hill, J. (2007). *Data Analysis Using Regression and Multilevel/
    Hierarchical Models*. Cambridge University Press.

    Gelman, A. (2006). Prior distributions for variance parameters in hierarchical models.
    Bayesian Analysis 1(3), 515–534.

    Betancourt, M. & Girolami, M. (2015). Hamiltonian Monte Carlo for hierarchical models.
    In *Current Trends in Bayesian Methodology with Applications*, CRC Press.

    Gelman, A., Jakulin, A., Pittau, M. G. & Su, Y.-S. (2008). A weakly informative default
    prior distribution for logistic and other regression models. Ann. Appl. Stat. 2(4).

    Juárez, M. A. & Steel, M. F. J. (2010). Model-based clustering of non-Gaussian panel data
    based on skew-t distributions. JBES 28(1), 52–66.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.bayes.templates.hierarchical import HierarchicalRegression
    >>> rng = np.random.default_rng(0)
    >>> g = np.repeat(np.arange(8), 10)
    >>> df = pd.DataFrame({"x": rng.normal(size=80), "school": [f"s{k}" for k in g]})
    >>> a = rng.normal(scale=1.0, size=8)
    >>> df["y"] = 1.0 + 2.0 * df["x"] + a[g] + rng.normal(scale=0.5, size=80)
    >>> model = HierarchicalRegression(outcome="y", predictors=["x"], group="school")
    >>> _ = model.fit(df, draws=1000, tune=1000, chains=2, cores=1, rng=1, progressbar=False)
    >>> bool(model.convergence.passed)
    True
    >>> row = model.summary().loc["beta[x]"]
    >>> bool(row["hdi_low"] < 2.0 < row["hdi_high"])
    True
    >>> model.predict(pd.DataFrame({"x": [0.0], "school": ["new"]})).shape
    (1,)
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "intercept": Prior("Normal", mu=0, sigma=10),
        "beta": Prior("Normal", mu=0, sigma=2.5),
        "sigma": Prior("HalfNormal", sigma=2.5),
        "nu": Prior("Gamma", alpha=2, beta=0.1),
        "group_sd": Prior("HalfNormal", sigma=1),
        "slope_sd": Prior("HalfNormal", sigma=1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {
        "sigma": "positive",
        "nu": "positive",
        "group_sd": "positive",
        "slope_sd": "positive",
    }
    # The group-effect vectors are judged by the gate's latent rule (>= 99% of elements good,
    # none with r_hat > 1.05). With fewer than 100 groups that rule demands that *every*
    # element pass, exactly like the rule for parameters, so nothing is loosened for the
    # usual handful of groups; with hundreds of groups (schools, patients) it tolerates the
    # chance tail of r_hat that would otherwise fail converged fits (see diagnostics).
    latent_variables: ClassVar[tuple[str, ...]] = (
        "group_z",
        "group_effect",
        "slope_z",
        "slope_effect",
    )
    outcome_option: ClassVar[str | None] = "outcome"
    # Group-level scales and their standard-normal effects leave some curvature in the
    # posterior even non-centred (groups with many rows): smaller steps avoid stray
    # divergences at a modest cost in speed.
    default_target_accept: ClassVar[float] = 0.95

    def __init__(
        self,
        *,
        outcome: str,
        predictors: Sequence[str],
        group: str,
        varying_slopes: Sequence[str] = (),
        likelihood: str = "normal",
        standardize: bool = False,
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        outcome = check_column_names(outcome, "outcome")[0]
        predictors = check_column_names(predictors, "predictors")
        group = check_column_names(group, "group")[0]
        slopes = check_column_names(varying_slopes, "varying_slopes")
        if outcome in predictors:
            raise ValueError(f"the outcome {outcome!r} is also listed among the predictors")
        if group == outcome or group in predictors:
            raise ValueError(
                f"the group column {group!r} is also the outcome or a predictor; a grouping "
                "column holds labels"
            )
        extra = [s for s in slopes if s not in predictors]
        if extra:
            raise ValueError(
                f"varying_slopes must be a subset of predictors; {extra[0]!r} is not among "
                f"the predictors ({', '.join(predictors) or 'none'})"
            )
        super().__init__(
            priors=priors,
            outcome=outcome,
            predictors=predictors,
            group=group,
            varying_slopes=slopes,
            likelihood=check_choice(likelihood, "likelihood", ("normal", "student_t")),
            standardize=check_bool(standardize, "standardize"),
        )

    # ----------------------------------------------------------------- hooks
    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        X = numeric_columns(data, opts["predictors"], "predictors")
        labels = label_column(data, opts["group"], "group")
        arrays: Arrays = {"X": X}
        if state is None:
            y = numeric_column(data, opts["outcome"], "outcome")
            if len(y) < 3:
                raise ValueError(f"{type(self).__name__} needs at least 3 rows; got {len(y)}")
            levels = [str(v) for v in np.unique(labels)]
            if len(levels) < 2:
                raise ValueError(
                    f"column {opts['group']!r} (group) has a single level ({levels[0]!r}); "
                    "partial pooling needs at least 2 groups"
                )
            arrays["y"] = y
            state = {
                "predictors": list(opts["predictors"]),
                "groups": levels,
                "slope_index": [opts["predictors"].index(s) for s in opts["varying_slopes"]],
            }
            if opts["standardize"]:
                state.update(standardization(X, y, opts["predictors"]))
            else:
                warn_prior_scale(y, self.priors, type(self).__name__)
        codes, new = group_codes(labels, state["groups"])
        arrays["group"], arrays["new_group"] = codes, new
        return arrays, state

    def _scales(self, state: State) -> tuple[float, float, np.ndarray, np.ndarray]:
        """Outcome mean/sd and varying-slope predictor means/sds (identity when unscaled)."""
        idx = state["slope_index"]
        if not self._options["standardize"]:
            return 0.0, 1.0, np.zeros(len(idx)), np.ones(len(idx))
        xm, xs = np.asarray(state["x_mean"]), np.asarray(state["x_sd"])
        return float(state["y_mean"]), float(state["y_sd"]), xm[idx], xs[idx]

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm

        X, y, codes = arrays["X"], arrays["y"], arrays["group"]
        std = self._options["standardize"]
        slopes = list(self._options["varying_slopes"])
        idx = state["slope_index"]
        k = X.shape[1]
        coords: dict[str, Any] = {"group": state["groups"], "obs": np.arange(len(y))}
        if k:
            coords["predictor"] = state["predictors"]
        if slopes:
            coords["slope"] = slopes
        ym, ys, xm_s, xs_s = self._scales(state)
        if std:
            xm, xs = np.asarray(state["x_mean"]), np.asarray(state["x_sd"])
            X_fit = (X - xm) / xs if k else X
            y_obs = (y - ym) / ys
        else:
            X_fit, y_obs = X, y
        sfx = "_std" if std else ""
        with pm.Model(coords=coords) as model:
            g = pm.Data("group_index", codes, dims="obs")
            alpha = self.priors["intercept"].create("intercept" + sfx)
            mu = alpha + pm.math.zeros(len(y))
            beta = None
            if k:
                x_data = pm.Data("X", X_fit, dims=("obs", "predictor"))
                beta = self.priors["beta"].create("beta" + sfx, dims="predictor")
                mu = mu + pm.math.dot(x_data, beta)
            sigma = self.priors["sigma"].create("sigma" + sfx)
            group_sd = self.priors["group_sd"].create("group_sd" + sfx)
            z = pm.Normal("group_z", 0.0, 1.0, dims="group")
            a = group_sd * z
            mu = mu + a[g]
            b = None
            if slopes:
                slope_sd = self.priors["slope_sd"].create("slope_sd" + sfx, dims="slope")
                w = pm.Normal("slope_z", 0.0, 1.0, dims=("group", "slope"))
                b = w * slope_sd
                mu = mu + (b[g] * x_data[:, idx]).sum(axis=1)
            if self._options["likelihood"] == "student_t":
                nu = self.priors["nu"].create("nu")
                pm.StudentT("y", nu=nu, mu=mu, sigma=sigma, observed=y_obs, dims="obs")
            else:
                pm.Normal("y", mu=mu, sigma=sigma, observed=y_obs, dims="obs")
            if not std:
                pm.Deterministic("group_effect", a, dims="group")
                if b is not None:
                    pm.Deterministic("slope_effect", b, dims=("group", "slope"))
            else:
                shift = alpha
                if beta is not None:
                    pm.Deterministic("beta", beta * ys / xs, dims="predictor")
                    shift = alpha - pm.math.sum(beta * xm / xs)
                pm.Deterministic("intercept", ym + ys * shift)
                pm.Deterministic("sigma", sigma * ys)
                pm.Deterministic("group_sd", group_sd * ys)
                effect = a
                if b is not None:
                    effect = a - (b * (xm_s / xs_s)).sum(axis=1)
                    pm.Deterministic("slope_sd", slope_sd * ys / xs_s, dims="slope")
                    pm.Deterministic("slope_effect", b * ys / xs_s, dims=("group", "slope"))
                pm.Deterministic("group_effect", effect * ys, dims="group")
        return model

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        X, codes = arrays["X"], arrays["group"]
        n_draws = draws["intercept"].shape[0]
        mu = np.repeat(draws["intercept"][:, None], X.shape[0], axis=1)
        if X.shape[1]:
            mu = mu + draws["beta"] @ X.T
        seen = codes >= 0
        if seen.any():
            c = codes[seen]
            mu[:, seen] += draws["group_effect"][:, c]
            for j, col in enumerate(state["slope_index"]):
                mu[:, seen] += draws["slope_effect"][:, c, j] * X[seen, col]
        return mu.reshape(n_draws, -1)

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        mu = self._expected(draws, arrays, state)
        X, new = arrays["X"], arrays["new_group"]
        n_draws = mu.shape[0]
        if (new >= 0).any():
            unseen = new >= 0
            n_new = int(new.max()) + 1
            sfx = "_std" if self._options["standardize"] else ""
            _, ys, xm_s, xs_s = self._scales(state)
            a_new = rng.standard_normal((n_draws, n_new)) * draws["group_sd" + sfx][:, None]
            effect = a_new
            idx = state["slope_index"]
            if idx:
                sd = draws["slope_sd" + sfx].reshape(n_draws, 1, len(idx))
                b_new = rng.standard_normal((n_draws, n_new, len(idx))) * sd
                effect = a_new - (b_new * (xm_s / xs_s)).sum(axis=2)
                slope = b_new * ys / xs_s
                for j, col in enumerate(idx):
                    mu[:, unseen] += slope[:, new[unseen], j] * X[unseen, col]
            mu[:, unseen] += ys * effect[:, new[unseen]]
        sigma = draws["sigma"][:, None]
        if self._options["likelihood"] == "student_t":
            noise = rng.standard_t(draws["nu"][:, None], size=mu.shape)
        else:
            noise = rng.standard_normal(size=mu.shape)
        return mu + sigma * noise

    def _notes(self, state: State) -> list[str]:
        notes = [
            f"{len(state['groups'])} groups in {self._options['group']!r}; rows of a group not "
            "seen in fitting are predicted at the population level, with a fresh group "
            "effect drawn from N(0, group_sd) in predictive draws"
        ]
        if self._options["standardize"]:
            notes.append(
                "predictors and outcome were standardised for sampling (z-scores); the priors "
                "apply to the *_std parameters; intercept, beta, sigma, group_sd, slope_sd, "
                "group_effect and slope_effect are on the data's scale"
            )
        return notes
