"""Bayesian estimation of a two-group difference (Kruschke's BEST), with a ROPE."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from statcraft._validation import check_bool, check_probability
from statcraft.bayes import diagnostics as dx
from statcraft.bayes._data import check_column_names, codes_for, label_column, numeric_column
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates.linear import warn_prior_scale

__all__ = ["BayesianTTest"]


def _check_rope(rope: Any) -> list[float]:
    if (
        not isinstance(rope, Sequence)
        or isinstance(rope, str)
        or len(rope) != 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in rope)
    ):
        raise TypeError(f"`rope` must be a pair of numbers (low, high); got {rope!r}")
    low, high = float(rope[0]), float(rope[1])
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"`rope` must satisfy low < high, both finite; got {rope!r}")
    return [low, high]


class BayesianTTest(BayesianModel):
    r"""Robust Bayesian comparison of two groups (Kruschke's BEST) with a ROPE.

    .. math::

        y_{gi} \sim t_\nu(\mu_g, \sigma_g), \quad g \in \{1, 2\}, \qquad
        \delta = \mu_1 - \mu_2, \qquad
        d = \frac{\mu_1 - \mu_2}{\sqrt{(\sigma_1^2 + \sigma_2^2)/2}}.

    Each group has its own mean and scale (no equal-variance assumption) and a shared
    normality parameter :math:`\nu` lets outliers in either group be heavy-tailed rather than
    pull the means. The decision rule compares the 95% HDI of the effect size :math:`d` with
    the ROPE: wholly inside means practically equivalent, wholly outside a credible
    difference, otherwise undecided (Kruschke 2013, 2018).

    Parameters
    ----------
    outcome : str
        Numeric outcome column.
    group : str
        Column with exactly two group labels.
    groups : pair of str, optional
        The two labels in the order ``(first, second)``; the difference is first minus
        second. Default: the sorted labels found when fitting.
    rope : pair of float
        Region of practical equivalence for the effect size ``d`` (default ±0.1, Kruschke's
        "negligible" effect).
    standardize : bool
        Sample on the z-scored outcome (pooled mean and sd, ddof=1) so the unit-scale default
        priors are weakly informative whatever the units; means and scales are reported on the
        data's scale and the summary says so.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Default priors (unit scale; a :class:`PriorScaleWarning` says when the data's scale makes
    them informative):

    - ``mu ~ Normal(0, 10)`` per group: flat over any plausible unit-scale mean;
    - ``sigma ~ HalfNormal(2.5)`` per group;
    - ``nu_minus_one ~ Exponential(1/29)`` — Kruschke's prior (mean ν = 30: balanced between
      near-normal and heavy tails).

    References
    ----------
    Kruschke, J. K. (2013). Bayesian estimation supersedes the t test. Journal of Experimental
    Psychology: General 142(2), 573–603.

    Kruschke, J. K. (2018). Rejecting or accepting parameter values in Bayesian estimation.
    Advances in Methods and Practices in Psychological Science 1(2), 270–280.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.bayes import BayesianTTest
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"y": np.r_[rng.normal(1.0, 1, 40), rng.normal(0.0, 1, 40)],
    ...                    "arm": ["drug"] * 40 + ["placebo"] * 40})
    >>> best = BayesianTTest(outcome="y", group="arm")
    >>> _ = best.fit(df, draws=500, tune=500, chains=2, cores=1, rng=1, progressbar=False)
    >>> table = best.effect()
    >>> list(table.index)
    ['difference_of_means', 'difference_of_sds', 'effect_size']
    >>> bool(table.loc["effect_size", "prob_positive"] > 0.95)
    True
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "mu": Prior("Normal", mu=0, sigma=10),
        "sigma": Prior("HalfNormal", sigma=2.5),
        "nu_minus_one": Prior("Exponential", lam=1 / 29),
    }
    prior_support: ClassVar[Mapping[str, str]] = {"sigma": "positive", "nu_minus_one": "positive"}
    outcome_option: ClassVar[str | None] = "outcome"

    def __init__(
        self,
        *,
        outcome: str,
        group: str,
        groups: Sequence[str] | None = None,
        rope: Sequence[float] = (-0.1, 0.1),
        standardize: bool = False,
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        outcome = check_column_names(outcome, "outcome")[0]
        group = check_column_names(group, "group")[0]
        if outcome == group:
            raise ValueError("`outcome` and `group` must be different columns")
        if groups is not None:
            groups = check_column_names(groups, "groups")
            if len(groups) != 2:
                raise ValueError(f"`groups` must name exactly two labels; got {groups}")
        super().__init__(
            priors=priors,
            outcome=outcome,
            group=group,
            groups=None if groups is None else [str(g) for g in groups],
            rope=_check_rope(rope),
            standardize=check_bool(standardize, "standardize"),
        )

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        opts = self._options
        labels = label_column(data, opts["group"], "group")
        if state is None:
            found = sorted(set(labels))
            levels = opts["groups"] if opts["groups"] is not None else found
            if opts["groups"] is None and len(found) != 2:
                raise ValueError(
                    f"column {opts['group']!r} (group) must hold exactly two groups; found "
                    f"{len(found)}: {', '.join(found[:6])}"
                )
            y = numeric_column(data, opts["outcome"], "outcome")
            codes = codes_for(labels, levels, opts["group"], "group")
            for g, name in enumerate(levels):
                if (codes == g).sum() < 2:
                    raise ValueError(
                        f"group {name!r} needs at least 2 observations; got {(codes == g).sum()}"
                    )
            state = {"levels": list(levels)}
            if opts["standardize"]:
                sd = float(y.std(ddof=1))
                if not sd > 0:
                    raise ValueError("the outcome is constant; there is nothing to compare")
                state.update(y_mean=float(y.mean()), y_sd=sd)
            else:
                warn_prior_scale(y, self.priors, type(self).__name__)
            return {"y": y, "g": codes}, state
        codes = codes_for(labels, state["levels"], opts["group"], "group")
        return {"g": codes}, state

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm

        y, g = arrays["y"], arrays["g"]
        std = self._options["standardize"]
        m, s = (state["y_mean"], state["y_sd"]) if std else (0.0, 1.0)
        suffix = "_std" if std else ""
        coords = {"group": state["levels"], "obs": np.arange(len(y))}
        with pm.Model(coords=coords) as model:
            g_data = pm.Data("group_index", g, dims="obs")
            mu = self.priors["mu"].create("mu" + suffix, dims="group")
            sigma = self.priors["sigma"].create("sigma" + suffix, dims="group")
            nu_minus_one = self.priors["nu_minus_one"].create("nu_minus_one")
            nu = pm.Deterministic("nu", nu_minus_one + 1)
            pm.StudentT(
                "y", nu=nu, mu=mu[g_data], sigma=sigma[g_data], observed=(y - m) / s, dims="obs"
            )
            if std:
                mu = pm.Deterministic("mu", m + s * mu, dims="group")
                sigma = pm.Deterministic("sigma", s * sigma, dims="group")
            pm.Deterministic("difference_of_means", mu[0] - mu[1])
            pm.Deterministic("difference_of_sds", sigma[0] - sigma[1])
            pm.Deterministic(
                "effect_size", (mu[0] - mu[1]) / pm.math.sqrt((sigma[0] ** 2 + sigma[1] ** 2) / 2)
            )
        return model

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        return draws["mu"][:, arrays["g"]]

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        g = arrays["g"]
        noise = rng.standard_t(draws["nu"][:, None], size=(draws["nu"].size, g.size))
        return draws["mu"][:, g] + draws["sigma"][:, g] * noise

    def _notes(self, state: State) -> list[str]:
        first, second = state["levels"]
        notes = [f"differences are {first!r} minus {second!r}"]
        if self._options["standardize"]:
            notes.append(
                "the outcome was standardised for sampling (z-score); the priors apply to "
                "mu_std and sigma_std; mu and sigma are on the data's scale"
            )
        return notes

    def effect(self, hdi_prob: float = 0.95) -> pd.DataFrame:
        """Posterior of the difference of means, of scales, and of the effect size, with the ROPE.

        Returns
        -------
        pandas.DataFrame
            Rows ``difference_of_means``, ``difference_of_sds``, ``effect_size``; columns
            ``mean``, ``hdi_low``, ``hdi_high``, ``prob_positive`` and, for the effect size,
            ``prob_in_rope`` and ``decision`` ('credible difference', 'practically
            equivalent' or 'undecided', by the HDI+ROPE rule).
        """
        state = self._require_fitted("effect")
        prob = check_probability(hdi_prob, "hdi_prob")
        names = ["difference_of_means", "difference_of_sds", "effect_size"]
        draws = dx.extract_draws(self.idata, names)
        low, high = self._options["rope"]
        rows = []
        for name in names:
            d = draws[name]
            lo, hi = dx.hdi(d[:, None], prob)
            row: dict[str, Any] = {
                "mean": float(d.mean()),
                "hdi_low": float(lo[0]),
                "hdi_high": float(hi[0]),
                "prob_positive": float((d > 0).mean()),
                "prob_in_rope": np.nan,
                "decision": "",
            }
            if name == "effect_size":
                row["prob_in_rope"] = float(((d >= low) & (d <= high)).mean())
                if lo[0] > high or hi[0] < low:
                    row["decision"] = "credible difference"
                elif lo[0] >= low and hi[0] <= high:
                    row["decision"] = "practically equivalent"
                else:
                    row["decision"] = "undecided"
            rows.append(row)
        out = pd.DataFrame(rows, index=names)
        out.attrs.update(hdi_prob=prob, rope=[low, high], groups=state["levels"])
        return out
