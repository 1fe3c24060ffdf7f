"""Case study: which of 12 hospitals have unusual mortality after infant cardiac surgery.

The study answers the question in the order a careful analyst would:

1. describe the data (operations and deaths per hospital) and give each hospital's raw
   mortality with a Wilson 95% interval;
2. ask whether the hospitals differ at all: Pearson's chi-square test of homogeneity on the
   2 × 12 table, checked by a permutation test because some expected counts are small;
3. draw the funnel plot (Spiegelhalter 2005): each hospital's rate against its number of
   operations, inside binomial control limits around the pooled rate, then inside limits
   widened for the overdispersion the test found;
4. fit the hierarchical model of the BUGS "Surgical" example (``BinomialRates``): shrunk rates,
   the posterior distribution of the ranks, and a check against the published BUGS results;
5. compare complete, no and partial pooling by leave-one-hospital-out predictive accuracy:
   PSIS-LOO, its Pareto-k diagnostics, and exact refits where PSIS cannot be trusted; the
   refits also give each hospital a cross-validatory predictive check;
6. say which hospitals are unusual, high or low, under each view and why the views differ,
   and put the frequentist and Bayesian answers side by side.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from case_studies._report import Report, child_seeds, fmt, fmt_ci, p_is
from scipy import stats
from scipy.special import expit

import statcraft as sc
from statcraft.bayes import BinomialRates, compare
from statcraft.datasets import load_surgical
from statcraft.health import FunnelLimits, funnel_limits
from statcraft.results import Estimate

HOSPITAL, OPERATIONS, DEATHS = "hospital", "n_operations", "deaths"
"""Columns of ``load_surgical()``."""
CONFIDENCE = 0.95
"""Level of the confidence intervals, of the posterior intervals and of the rank intervals."""
FUNNEL_LEVELS = (0.95, 0.998)
"""Control limits of the funnel plot: 'alerts' outside 95%, 'alarms' outside 99.8%."""
PROBABILITY_CUTOFF = 0.95
"""A hospital is 'unusual' for the Bayesian views when a posterior probability of being above
(or below) the typical hospital exceeds this, or a cross-validatory mid p-value falls below
(1 − this) / 2 in either tail."""
PARETO_K_MAX = 0.7
"""Pareto k above which PSIS-LOO's estimate for an observation is unreliable (statcraft's
``LOOResult.n_high_k``)."""
CHAINS = 2
TARGET_ACCEPT = 0.95
"""NUTS target acceptance, above the template's 0.9: it costs little with 12 hospitals and
keeps the short leave-one-out refits free of divergences."""

NO_POOLING_PRIOR_SD = 1.5
"""The template's N(0, 1.5²) prior on a logit rate: under no pooling, a hospital left out is
predicted from it alone."""
POOLING: dict[str, str] = {
    "complete pooling": "complete",
    "no pooling": "none",
    "partial pooling": "partial",
}
"""The three pooling choices of ``BinomialRates(pooling=...)``: one rate shared by every
hospital (logit p_j = mu); independent rates, each hospital with the N(0, 1.5²) logit prior
that partial pooling gives the typical hospital, so no hospital's data inform another's rate;
and the hierarchical model that learns how much hospitals differ (the template's defaults)."""

BUGS_POSTERIOR_MEANS = {
    "A": 0.05298,
    "B": 0.1031,
    "C": 0.07048,
    "D": 0.05918,
    "E": 0.05152,
    "F": 0.06895,
    "G": 0.0668,
    "H": 0.1231,
    "I": 0.0698,
    "J": 0.0784,
    "K": 0.1023,
    "L": 0.06838,
}
"""Posterior means of the mortality rates under the random-effects model, as published with the
BUGS "Surgical: institutional ranking" example (Spiegelhalter et al., BUGS Examples Vol. 1;
the MultiBUGS text of the example, github.com/MultiBUGS/MultiBUGS-txt, Examples/Surgical.odc.cp,
commit 1249f62e, "Results for random effects model", 2 × 10,000 draws): mu ~ N(0, 10⁶),
tau ~ Gamma(0.001, 0.001) on the precision."""
BUGS_RANK_INTERVALS = {
    "A": (1, 10),
    "B": (6, 12),
    "C": (1, 11),
    "D": (1, 8),
    "E": (1, 8),
    "F": (1, 10),
    "G": (1, 10),
    "H": (9, 12),
    "I": (1, 10),
    "J": (2, 11),
    "K": (7, 12),
    "L": (1, 10),
}
"""The 95% intervals of the ranks (1 = lowest mortality) in the same published table."""

Z_GRID = np.linspace(-8.0, 8.0, 401)
"""Grid for E[f(Z)], Z ~ N(0, 1), by the trapezoid rule: a new hospital's unknown effect. The
binomial likelihood of a large hospital is narrow in z (for D, 810 operations, a tenth of a unit
when sigma = 1.5), narrower than the nodes of a 40-point Gauss–Hermite rule are spaced, so a
fine grid is used (its error is below 1e-10 on these data)."""
Z_WEIGHTS = stats.norm.pdf(Z_GRID) / stats.norm.pdf(Z_GRID).sum()
PREDICTIVE_DRAWS = 1000
"""Posterior draws (evenly spaced) averaged over in the leave-one-out predictive probabilities."""


@dataclass(frozen=True)
class Effort:
    """How hard one run works: MCMC draws of the three fits and of the leave-one-out refits."""

    draws: int
    tune: int
    refit_draws: int
    refit_tune: int
    permutations: int


FULL = Effort(draws=2000, tune=1000, refit_draws=1000, refit_tune=700, permutations=19_999)
QUICK = Effort(draws=500, tune=500, refit_draws=150, refit_tune=150, permutations=9_999)


SEED_STAGES = ("permutation", *POOLING, "refits")
"""The random stages of the study, each seeded from the study's seed (see child_seeds)."""


def pct(x: float, digits: int = 3) -> str:
    """Format a proportion as a percentage ('7.39 %')."""
    return f"{fmt(100 * x, digits)} %"


def pct_ci(low: float, high: float) -> str:
    """Format an interval of proportions in percent ('[0, 7.56] %')."""
    return f"{fmt_ci((100 * low, 100 * high))} %"


def names(items: list[str]) -> str:
    """Join hospital names for a sentence: 'none', 'H', 'B and K', 'B, H and K'."""
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def rows_by(frame: pd.DataFrame, column: str | None = None) -> dict[str, dict[str, Any]]:
    """Return the rows of ``frame`` as dicts keyed by ``column`` (default: the index)."""
    indexed = frame if column is None else frame.set_index(column)
    return {
        str(key): {str(c): v for c, v in row.items()}
        for key, row in indexed.to_dict(orient="index").items()
    }


def posterior_draws(model: BinomialRates, name: str) -> np.ndarray:
    """Posterior draws of a variable, chains stacked: shape (draws,) or (draws, hospitals)."""
    values = model.idata.posterior[name].to_numpy()
    return values.reshape(values.shape[0] * values.shape[1], *values.shape[2:])


# ----------------------------------------------------------------------------- data
def raw_rates(data: pd.DataFrame) -> pd.DataFrame:
    """Each hospital's deaths / operations with its Wilson score interval."""
    rows = []
    for hospital, n, r in data[[HOSPITAL, OPERATIONS, DEATHS]].itertuples(index=False):
        est = sc.proportion(int(r), int(n), method="wilson", confidence_level=CONFIDENCE)
        rows.append(
            {
                "hospital": str(hospital),
                "operations": int(n),
                "deaths": int(r),
                "rate": est.estimate,
                "ci_low": est.confidence_interval.low,
                "ci_high": est.confidence_interval.high,
            }
        )
    return pd.DataFrame(rows)


def report_data(report: Report, data: pd.DataFrame) -> dict[str, Any]:
    """Write the data section: the counts and raw rates with Wilson intervals."""
    report.step("raw rates with Wilson intervals")
    raw = raw_rates(data)
    pooled = sc.proportion(int(raw["deaths"].sum()), int(raw["operations"].sum()))
    by_size = raw.sort_values("operations").to_dict(orient="records")
    smallest, largest = by_size[0], by_size[-1]
    n_cover = int(((raw["ci_low"] <= pooled.estimate) & (raw["ci_high"] >= pooled.estimate)).sum())
    report.section("Data")
    report.text(
        f"Operations and deaths after cardiac surgery in babies at {len(raw)} hospitals "
        f"(labelled A–{raw['hospital'].iloc[-1]}): {fmt(int(raw['deaths'].sum()))} deaths in "
        f"{fmt(int(raw['operations'].sum()))} operations, a pooled mortality of "
        f"{pct(pooled.estimate)} (Wilson 95% CI "
        f'{pct_ci(*pooled.confidence_interval)}). The data are the BUGS "Surgical" example '
        "(Spiegelhalter et al., BUGS Examples Vol. 1), bundled as "
        "`statcraft.datasets.load_surgical()`; provenance from "
        "`statcraft datasets show surgical`. There is no case-mix information: every "
        "comparison below assumes the hospitals' patients are alike, which real league tables "
        "must not (see the caveats)."
    )
    report.text(
        f"The hospitals differ twentyfold in size: {smallest['hospital']} did "
        f"{fmt(int(smallest['operations']))} operations, {largest['hospital']} "
        f"{fmt(int(largest['operations']))}. The Wilson score interval keeps its coverage "
        "for small counts and, unlike the Wald interval, is not degenerate at zero deaths: "
        f"hospital {smallest['hospital']}'s {int(smallest['deaths'])} deaths in "
        f"{fmt(int(smallest['operations']))} give "
        f"{pct_ci(smallest['ci_low'], smallest['ci_high'])}. {n_cover} of the {len(raw)} "
        "intervals contain the pooled rate."
    )
    display = pd.DataFrame(
        {
            "hospital": raw["hospital"],
            "operations": raw["operations"],
            "deaths": raw["deaths"],
            "mortality (%)": 100 * raw["rate"],
            "Wilson 95% CI (%)": [
                fmt_ci((100 * lo, 100 * hi))
                for lo, hi in zip(raw["ci_low"], raw["ci_high"], strict=True)
            ],
        }
    )
    report.table(display, caption="Operations, deaths and raw mortality per hospital")
    return {
        "table": raw,
        "n_hospitals": len(raw),
        "total_operations": int(raw["operations"].sum()),
        "total_deaths": int(raw["deaths"].sum()),
        "pooled_rate": pooled.estimate,
        "pooled_ci": list(pooled.confidence_interval),
        "n_intervals_covering_pooled": n_cover,
    }


# ----------------------------------------------------------------------------- homogeneity
def pearson_statistic(trials: np.ndarray) -> Any:
    """Return Pearson's X² of the 2 × k table as a function of k samples of 0/1 outcomes.

    With the total number of deaths fixed (as under permutation), the expected deaths are
    ``n_j p`` and both cells of column j contribute ``(r_j − n_j p)² / (n_j p (1 − p))``.
    """
    n = np.asarray(trials, dtype=float)

    def statistic(*samples: np.ndarray, axis: int = -1) -> np.ndarray:
        deaths = np.stack([np.sum(s, axis=axis) for s in samples], axis=-1)
        p = deaths.sum(axis=-1, keepdims=True) / n.sum()
        return np.asarray(np.sum((deaths - n * p) ** 2 / (n * p * (1 - p)), axis=-1))

    return statistic


def homogeneity_tests(data: pd.DataFrame, effort: Effort, seed: int) -> dict[str, Any]:
    """Chi-square test on the 2 × 12 table and its permutation (conditional) version."""
    n = data[OPERATIONS].to_numpy()
    r = data[DEATHS].to_numpy()
    table = np.vstack([r, n - r])
    with warnings.catch_warnings():
        # the small-expected-count warning is the reason for the permutation test below
        warnings.simplefilter("ignore", UserWarning)
        chi2 = sc.chi2_independence(table, confidence_level=CONFIDENCE)
    samples = [np.r_[np.ones(k), np.zeros(m - k)] for k, m in zip(r, n, strict=True)]
    perm = sc.permutation_test(
        samples,
        pearson_statistic(n),
        alternative="greater",
        n_resamples=effort.permutations,
        vectorized=True,
        rng=seed,
    )
    expected = np.asarray(chi2.details["expected"], dtype=float)
    cramers_v = cast(Estimate, chi2.effect_size)
    df = int(cast(float, chi2.df))
    return {
        "chi2": chi2.statistic,
        "df": df,
        "pvalue": chi2.pvalue,
        "cramers_v": cramers_v.estimate,
        "cramers_v_ci": list(cramers_v.confidence_interval),
        "min_expected": float(expected.min()),
        "n_expected_below_5": int((expected < 5).sum()),
        "permutation_statistic": perm.statistic,
        "permutation_pvalue": perm.pvalue,
        "permutations": int(perm.details["n_resamples"]),
        "dispersion_ratio": chi2.statistic / df,
    }


def report_homogeneity(
    report: Report, data: pd.DataFrame, effort: Effort, seed: int
) -> dict[str, Any]:
    """Write the homogeneity section."""
    report.step("chi-square and permutation tests of homogeneity")
    res = homogeneity_tests(data, effort, seed)
    report.section("Do the hospitals differ at all?")
    report.text(
        "If every hospital had the same mortality $p$, the deaths would be independent "
        "binomial counts $r_j \\sim \\mathrm{Bin}(n_j, p)$ and Pearson's statistic on the "
        "2 × 12 table (died / survived by hospital) would be approximately chi-square with "
        "11 degrees of freedom:"
    )
    report.math(
        r"X^2 = \sum_{j=1}^{12} \frac{(r_j - n_j \hat p)^2}{n_j \hat p (1 - \hat p)}, \qquad "
        r"\hat p = \frac{\sum_j r_j}{\sum_j n_j}."
    )
    report.text(
        f"Here $X^2$ = {fmt(res['chi2'])} on {res['df']} df ({p_is(res['pvalue'])}; "
        f"Cramér's V {fmt(res['cramers_v'], 2)}, 95% CI {fmt_ci(res['cramers_v_ci'], 2)}). "
        f"{res['n_expected_below_5']} expected count"
        f"{' is' if res['n_expected_below_5'] == 1 else 's are'} below 5 (smallest "
        f"{fmt(res['min_expected'], 3)}), so the chi-square approximation is in doubt; the "
        "exact conditional test (Fisher's, for an r × c table) is out of reach with these "
        "margins, so we permute the 2,814 outcomes among the hospitals, which keeps both "
        "margins fixed as Fisher's test does. Over "
        f"{fmt(res['permutations'])} permutations the same statistic gives "
        f"{p_is(res['permutation_pvalue'])} (the smallest value this many permutations can "
        f"give is {fmt(1 / (res['permutations'] + 1), 2)}). The hospitals differ by more than "
        f"chance: $X^2/\\mathrm{{df}}$ = {fmt(res['dispersion_ratio'], 3)}, where 1 is "
        "expected under homogeneity. The test does not say *which* hospitals differ — that is "
        "the funnel plot's job — and it says nothing about whether the differences are "
        "large enough to matter."
    )
    return res


# ----------------------------------------------------------------------------- funnel plot
def flag_list(funnel: FunnelLimits, level: float, side: str) -> list[str]:
    """Hospitals flagged on ``side`` ('high' or 'low') at ``level``."""
    table = funnel.table
    column = f"flag_{100 * level:g}"
    return [str(p) for p in table.loc[table[column] == side, "provider"]]


def plot_funnels(binomial: FunnelLimits, additive: FunnelLimits) -> plt.Figure:
    """Draw the two funnel plots side by side: binomial limits, then widened limits."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), sharey=True)
    binomial.plot(ax=axes[0], rate_label="mortality")
    additive.plot(ax=axes[1], rate_label="mortality")
    axes[0].set_title("Binomial limits around the pooled rate")
    axes[1].set_title(
        f"Limits widened for overdispersion (additive, τ = {pct(math.sqrt(additive.tau2), 2)})"
    )
    for ax in axes:
        ax.set_xlabel("number of operations")
    fig.suptitle("Funnel plots of surgical mortality in 12 hospitals")
    fig.tight_layout()
    return fig


def report_funnel(report: Report, data: pd.DataFrame) -> dict[str, Any]:
    """Write the funnel-plot section: binomial limits, then limits allowing overdispersion."""
    report.step("funnel plots")
    args = (data[DEATHS], data[OPERATIONS])
    binomial = funnel_limits(*args, levels=FUNNEL_LEVELS, labels=data[HOSPITAL])
    additive = funnel_limits(
        *args, levels=FUNNEL_LEVELS, labels=data[HOSPITAL], overdispersion="additive"
    )
    multiplicative = funnel_limits(
        *args, levels=FUNNEL_LEVELS, labels=data[HOSPITAL], overdispersion="multiplicative"
    )
    lo, hi = FUNNEL_LEVELS
    flags = {
        name: {
            "high_95": flag_list(f, lo, "high"),
            "high_99.8": flag_list(f, hi, "high"),
            "low_95": flag_list(f, lo, "low"),
            "low_99.8": flag_list(f, hi, "low"),
        }
        for name, f in (
            ("binomial", binomial),
            ("additive", additive),
            ("multiplicative", multiplicative),
        )
    }
    report.section("Funnel plot: unusual for a hospital of its size?")
    report.text(
        "A league table of raw rates ranks hospitals mostly by chance. The funnel plot "
        "(Spiegelhalter 2005) plots each hospital's rate against its number of operations, "
        f"with control limits around the pooled rate $\\theta_0$ = {pct(binomial.target)} "
        "that narrow as $n$ grows: a hospital outside the 95% limits is an *alert*, outside "
        "the 99.8% limits an *alarm*. The limits are exact binomial quantiles, interpolated "
        "between counts, and the z-score is"
    )
    report.math(
        r"z_j = \frac{r_j / n_j - \theta_0}{\sqrt{\theta_0 (1 - \theta_0) / n_j}}, \qquad "
        r"z_j^{\text{additive}} = \frac{r_j / n_j - \theta_0}"
        r"{\sqrt{\theta_0 (1 - \theta_0) / n_j + \hat\tau^2}}."
    )
    b = flags["binomial"]
    report.text(
        f"With binomial limits, {names(b['high_99.8'])} "
        f"{'lies' if len(b['high_99.8']) == 1 else 'lie'} above the 99.8% limit, "
        f"{names([h for h in b['high_95'] if h not in b['high_99.8']])} above only the 95% "
        f"limit, and {names(b['low_95'])} below the 95% limit "
        f"({names(b['low_99.8'])} below the 99.8% limit). But these limits assume that every "
        "hospital has the same true rate, and the homogeneity test rejected that. "
        f"Spiegelhalter's overdispersion factor — the mean squared z-score after winsorising "
        f"the most extreme 10% at each end, so that the hospitals being judged do not set "
        f"their own limits — is $\\hat\\phi$ = {fmt(binomial.phi, 3)} (1 under "
        f"homogeneity). Allowing a between-hospital standard deviation of "
        f"$\\hat\\tau$ = {pct(math.sqrt(additive.tau2), 2)} on the rate scale (additive, "
        f"random-effects limits), {names(flags['additive']['high_95'])} "
        f"remain{'s' if len(flags['additive']['high_95']) == 1 else ''} above the 95% "
        f"limit, {names(flags['additive']['high_99.8'])} above the 99.8% limit, and "
        f"{names(flags['additive']['low_95'])} below the 95% limit. The multiplicative "
        f"version (variance × $\\hat\\phi$) flags {names(flags['multiplicative']['high_95'])} "
        f"high and {names(flags['multiplicative']['low_95'])} low at 95%."
    )
    report.figure(
        plot_funnels(binomial, additive),
        "funnel",
        "Mortality against number of operations with 95% and 99.8% control limits around "
        "the pooled rate; left: binomial limits, right: limits widened by the estimated "
        "between-hospital variance. Hospitals outside the 99.8% limits are coloured.",
    )
    return {
        "target": binomial.target,
        "phi": binomial.phi,
        "tau": math.sqrt(additive.tau2),
        "flags": flags,
        "binomial": binomial,
        "additive": additive,
        "table": binomial.table[["provider", "rate", "z"]]
        .assign(z_additive=additive.table["z"].to_numpy())
        .rename(columns={"provider": "hospital"}),
    }


# ----------------------------------------------------------------------------- Bayesian fits
def fit_rates(data: pd.DataFrame, pooling: str, draws: int, tune: int, seed: int) -> BinomialRates:
    """Fit ``BinomialRates`` to ``data`` (a failed convergence gate warns and is reported)."""
    model = BinomialRates(
        successes=DEATHS,
        trials=OPERATIONS,
        unit=HOSPITAL,
        pooling=pooling,  # type: ignore[arg-type]
    )
    model.fit(
        data,
        draws=draws,
        tune=tune,
        chains=CHAINS,
        cores=CHAINS,
        rng=seed,
        target_accept=TARGET_ACCEPT,
        on_failure="warn",
        progressbar=False,
    )
    return model


def new_hospital_predictive(model: BinomialRates, deaths: int, n: int) -> dict[str, float]:
    """Predictive probabilities of ``deaths`` in ``n`` operations at a hospital not seen.

    Returns ``log_p`` (log P(Y = deaths)), ``mid_p_upper`` (P(Y > deaths) + P(Y = deaths) / 2)
    and ``p_at_most`` (P(Y <= deaths)).

    Partial pooling: a new hospital has logit rate mu + sigma z with z ~ N(0, 1); each
    probability averages the binomial one over z (on :data:`Z_GRID`) and over (at most
    :data:`PREDICTIVE_DRAWS`) posterior draws of (mu, sigma). Complete pooling: the shared rate
    expit(mu) (sigma = 0). No pooling: the other hospitals say nothing about this one, so its
    predictive is the prior's, logit rate ~ N(0, 1.5²) (mu = 0, sigma = 1.5, no draws).
    """
    posterior = model.idata.posterior
    if "mu" not in posterior:  # no pooling
        mu, sigma = np.zeros(1), np.full(1, NO_POOLING_PRIOR_SD)
    else:
        mu_all = posterior_draws(model, "mu")
        keep = np.linspace(0, mu_all.size - 1, min(mu_all.size, PREDICTIVE_DRAWS))
        keep = keep.round().astype(int)
        mu = mu_all[keep]
        sigma = posterior_draws(model, "sigma")[keep] if "sigma" in posterior else 0.0 * mu
    p = expit(mu[:, None] + sigma[:, None] * Z_GRID[None, :])
    pmf = float((stats.binom.pmf(deaths, n, p) @ Z_WEIGHTS).mean())
    above = float((stats.binom.sf(deaths, n, p) @ Z_WEIGHTS).mean())
    return {"log_p": math.log(pmf), "mid_p_upper": above + 0.5 * pmf, "p_at_most": 1.0 - above}


def exceedance(model: BinomialRates, units: list[str]) -> pd.DataFrame:
    """P(rate_j > typical rate) per hospital, the typical rate being expit(mu)."""
    rate = posterior_draws(model, "rate")
    typical = posterior_draws(model, "population_rate")
    above = (rate > typical[:, None]).mean(axis=0)
    return pd.DataFrame({"hospital": units, "p_above_typical": above})


def plot_shrinkage(table: pd.DataFrame, typical: float) -> plt.Figure:
    """Raw rates with Wilson intervals and posterior means with HDIs, against hospital size."""
    fig, ax = plt.subplots(figsize=(8.5, 5))
    n = table["operations"].to_numpy(dtype=float)
    shift = 1.06
    ax.errorbar(
        n / shift,
        100 * table["rate"],
        yerr=100 * np.vstack([table["rate"] - table["ci_low"], table["ci_high"] - table["rate"]]),
        fmt="o",
        color="0.45",
        ms=5,
        capsize=2,
        label="raw rate, Wilson 95% CI",
    )
    ax.errorbar(
        n * shift,
        100 * table["posterior_mean"],
        yerr=100
        * np.vstack(
            [
                table["posterior_mean"] - table["hdi_low"],
                table["hdi_high"] - table["posterior_mean"],
            ]
        ),
        fmt="s",
        color="tab:blue",
        ms=5,
        capsize=2,
        label="partial pooling: posterior mean, 95% HDI",
    )
    for row in table.to_dict(orient="records"):
        ax.annotate(
            "",
            xy=(row["operations"] * shift, 100 * row["posterior_mean"]),
            xytext=(row["operations"] / shift, 100 * row["rate"]),
            arrowprops={"arrowstyle": "->", "color": "tab:blue", "alpha": 0.6},
        )
        ax.annotate(
            str(row["hospital"]),
            (row["operations"] / shift, 100 * row["rate"]),
            textcoords="offset points",
            xytext=(-5, 0),
            ha="right",
            va="center",
            fontsize=8,
        )
    ax.axhline(100 * typical, color="tab:orange", ls="--", lw=1, label="typical hospital")
    ax.set_xscale("log")
    ax.set_xlabel("number of operations (log scale)")
    ax.set_ylabel("mortality (%)")
    ax.set_title("Shrinkage: small hospitals move furthest towards the typical rate")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def plot_ranks(ranks: pd.DataFrame) -> plt.Figure:
    """Posterior median ranks with their 95% intervals, beside the BUGS intervals."""
    order = ranks.sort_values("mean_rank")
    y = np.arange(len(order), dtype=float)
    fig, ax = plt.subplots(figsize=(9.5, 5))
    ax.hlines(
        y + 0.12,
        order["rank_low"],
        order["rank_high"],
        color="tab:blue",
        lw=2.5,
        label="statcraft 95% interval",
    )
    ax.plot(order["median_rank"], y + 0.12, "o", color="tab:blue", label="posterior median")
    bugs = np.array([BUGS_RANK_INTERVALS[h] for h in order.index], dtype=float)
    ax.hlines(
        y - 0.12,
        bugs[:, 0],
        bugs[:, 1],
        color="0.55",
        lw=2.5,
        label="BUGS 95% interval (published)",
    )
    ax.plot(order["raw_rank"], y, "kx", label="rank of the raw rate")
    ax.axvline((len(order) + 1) / 2, color="0.7", lw=0.8, ls=":")
    ax.set_yticks(y, order.index)
    ax.set_xticks(np.arange(1, len(order) + 1))
    ax.set_xlabel("rank of mortality (1 = lowest)")
    ax.set_ylabel("hospital (by posterior mean rank)")
    ax.set_title("League table with its uncertainty: posterior ranks")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return fig


def report_hierarchical(report: Report, model: BinomialRates, raw: pd.DataFrame) -> dict[str, Any]:
    """Write the partial-pooling section: model, shrunk rates, BUGS check and ranks."""
    report.step("partial pooling: rates, shrinkage and ranks")
    rates = model.rates(hdi_prob=CONFIDENCE)
    ranks = model.ranks(hdi_prob=CONFIDENCE)
    summary = model.summary(["mu", "sigma", "population_rate"], hdi_prob=CONFIDENCE)
    units = list(rates.index)
    table = raw.assign(
        posterior_mean=rates["mean"].to_numpy(),
        hdi_low=rates["hdi_low"].to_numpy(),
        hdi_high=rates["hdi_high"].to_numpy(),
        bugs_mean=[BUGS_POSTERIOR_MEANS[h] for h in units],
    )
    table["shift"] = table["posterior_mean"] - table["rate"]
    ranks = ranks.assign(raw_rank=stats.rankdata(table["rate"].to_numpy(), method="average"))
    post = rows_by(summary)
    typical, sigma = float(post["population_rate"]["mean"]), post["sigma"]
    mover = max(table.to_dict(orient="records"), key=lambda row: abs(row["shift"]))
    spearman = float(stats.spearmanr(table["posterior_mean"], table["bugs_mean"])[0])
    max_diff = float((table["posterior_mean"] - table["bugs_mean"]).abs().max())
    ours_order = table.sort_values("posterior_mean")["hospital"].tolist()
    bugs_order = table.sort_values("bugs_mean")["hospital"].tolist()

    report.section("Partial pooling: the hierarchical model of the BUGS 'Surgical' example")
    report.text(
        "The Bayesian view treats the 12 hospitals as a sample from a population of "
        "hospitals whose log-odds of death vary around a typical value "
        "(`statcraft.bayes.BinomialRates`, non-centred):"
    )
    report.math(
        r"r_j \sim \mathrm{Bin}(n_j, p_j), \quad \operatorname{logit} p_j = \mu + \sigma z_j, "
        r"\quad z_j \sim \mathcal N(0, 1), \quad \mu \sim \mathcal N(0, 1.5^2), \quad "
        r"\sigma \sim \mathcal N^+(0, 1)."
    )
    report.text(
        "A hospital's posterior rate is a compromise between its own data and the population: "
        "the fewer its operations, the more it is pulled towards the typical rate "
        "$\\operatorname{logit}^{-1}(\\mu)$. The priors are weakly informative: "
        "$\\mathcal N(0, 1.5^2)$ on $\\mu$ is nearly flat on the rate scale, and "
        "$\\sigma \\sim \\mathcal N^+(0, 1)$ gives real mass both to 'all hospitals alike' "
        "and to odds that differ tenfold."
    )
    report.text(
        f"The typical hospital's mortality is {pct(typical)} (95% HDI "
        f"{pct_ci(post['population_rate']['hdi_low'], post['population_rate']['hdi_high'])}"
        f") and the hospitals' log-odds vary with standard deviation $\\sigma$ = "
        f"{fmt(sigma['mean'], 2)} (95% HDI {fmt_ci((sigma['hdi_low'], sigma['hdi_high']), 2)}): "
        f"the middle 95% of hospitals differ in odds of death by a factor of about "
        f"{fmt(math.exp(2 * 1.96 * sigma['mean']), 2)}. Shrinkage moves hospital "
        f"{mover['hospital']} ({int(mover['deaths'])} deaths in {int(mover['operations'])} "
        f"operations) the most, from {pct(mover['rate'])} to {pct(mover['posterior_mean'])}: "
        "zero deaths in a small sample is weak evidence of a rate of zero."
    )
    display = pd.DataFrame(
        {
            "hospital": table["hospital"],
            "operations": table["operations"],
            "raw (%)": 100 * table["rate"],
            "posterior mean (%)": 100 * table["posterior_mean"],
            "95% HDI (%)": [
                fmt_ci((100 * lo, 100 * hi))
                for lo, hi in zip(table["hdi_low"], table["hdi_high"], strict=True)
            ],
            "shift (points)": 100 * table["shift"],
            "BUGS mean (%)": 100 * table["bugs_mean"],
        }
    )
    report.table(display, caption="Raw and partially pooled mortality per hospital")
    report.figure(
        plot_shrinkage(table, typical),
        "shrinkage",
        "Raw mortality with Wilson 95% intervals (grey) and partially pooled posterior means "
        "with 95% HDIs (blue) against the number of operations; arrows show the shrinkage.",
    )
    same = "the same" if ours_order == bugs_order else "nearly the same"
    report.text(
        f"**Check against the published analysis.** The BUGS manual's random-effects "
        f"posterior means (last column; vague priors $\\mu \\sim \\mathcal N(0, 10^6)$ and "
        f"a Gamma(0.001, 0.001) precision) order the hospitals {bugs_order[0]} < "
        f"{bugs_order[1]} < … < {bugs_order[-2]} < {bugs_order[-1]}; ours give {same} order "
        f"(Spearman correlation {fmt(spearman, 3)}), and no posterior mean differs from the "
        f"published one by more than {fmt(100 * max_diff, 2)} percentage points — the "
        "different priors on $\\sigma$ and Monte Carlo error account for that."
    )
    report.text(
        "**Ranks.** Ranking the 12 rates within every posterior draw gives each hospital a "
        "posterior distribution of its rank (Marshall & Spiegelhalter 1998) — the league "
        "table with its uncertainty."
    )
    top = ranks.sort_values("mean_rank").iloc[-1]
    midpoint = (len(ranks) + 1) / 2
    clear = [
        str(h)
        for h, row in ranks.iterrows()
        if row["rank_low"] > midpoint or row["rank_high"] < midpoint
    ]
    rank_display = pd.DataFrame(
        {
            "hospital": ranks.index,
            "raw rank": ranks["raw_rank"].to_numpy(),
            "posterior median rank": ranks["median_rank"].to_numpy(),
            "95% interval": [
                f"[{lo}, {hi}]"
                for lo, hi in zip(ranks["rank_low"], ranks["rank_high"], strict=True)
            ],
            "BUGS 95% interval": [
                f"[{BUGS_RANK_INTERVALS[h][0]}, {BUGS_RANK_INTERVALS[h][1]}]" for h in ranks.index
            ],
            "P(lowest quarter)": ranks["p_bottom_quarter"].to_numpy(),
            "P(highest quarter)": ranks["p_top_quarter"].to_numpy(),
        }
    )
    report.table(rank_display, caption="Posterior ranks of mortality (1 = lowest)", digits=2)
    report.figure(
        plot_ranks(ranks),
        "ranks",
        "Posterior median ranks of mortality with 95% intervals, the published BUGS "
        "intervals and the ranks of the raw rates.",
    )
    report.text(
        f"Only {names(clear)} ha{'s' if len(clear) == 1 else 've'} a 95% rank interval that "
        f"excludes the middle rank {fmt(midpoint, 2)} (the BUGS manual: H and K). Hospital "
        f"{top.name} is most likely the worst (posterior median rank "
        f"{int(top['median_rank'])}, interval [{int(top['rank_low'])}, "
        f"{int(top['rank_high'])}], probability {fmt(top['p_top_quarter'], 2)} of being in "
        "the highest quarter); for every other hospital the interval spans at least half of "
        "the table."
    )
    return {
        "table": table,
        "ranks": ranks.reset_index(),
        "typical_rate": typical,
        "typical_rate_hdi": [
            float(post["population_rate"]["hdi_low"]),
            float(post["population_rate"]["hdi_high"]),
        ],
        "sigma": float(sigma["mean"]),
        "sigma_hdi": [float(sigma["hdi_low"]), float(sigma["hdi_high"])],
        "largest_shift": str(mover["hospital"]),
        "bugs_check": {
            "spearman": spearman,
            "max_abs_difference": max_diff,
            "order": ours_order,
            "bugs_order": bugs_order,
        },
        "rank_interval_excludes_middle": clear,
        "exceedance": exceedance(model, units),
    }


# ----------------------------------------------------------------------------- pooling by LOO
def exact_loo(
    report: Report,
    data: pd.DataFrame,
    label: str,
    pooling: str,
    effort: Effort,
    seed: int,
) -> pd.DataFrame:
    """Leave each hospital out, refit, and score its deaths under the refit's predictive."""
    rows = []
    for j, row in enumerate(data.itertuples(index=False)):
        hospital = str(getattr(row, HOSPITAL))
        train = data.drop(index=data.index[j])
        model = fit_rates(
            train,
            pooling,
            effort.refit_draws,
            effort.refit_tune,
            int(np.random.default_rng((seed, j)).integers(2**31 - 1)),
        )
        report.add_fit(f"{label} without {hospital}", model)
        predictive = new_hospital_predictive(
            model, int(getattr(row, DEATHS)), int(getattr(row, OPERATIONS))
        )
        rows.append(
            {
                "hospital": hospital,
                "elpd": predictive["log_p"],
                "mid_p_upper": predictive["mid_p_upper"],
                "p_at_most": predictive["p_at_most"],
                "refit_passed": model.convergence is not None and model.convergence.passed,
            }
        )
    return pd.DataFrame(rows)


def no_pooling_loo(model: BinomialRates, data: pd.DataFrame) -> pd.DataFrame:
    """Exact leave-one-out for no pooling: a left-out hospital is left with its prior only."""
    rows = []
    for hospital, n, r in data[[HOSPITAL, OPERATIONS, DEATHS]].itertuples(index=False):
        predictive = new_hospital_predictive(model, int(r), int(n))
        rows.append({"hospital": str(hospital), "elpd": predictive["log_p"]})
    return pd.DataFrame(rows)


def elpd_summary(pointwise: np.ndarray) -> tuple[float, float]:
    """Sum of pointwise elpd values and its standard error sqrt(n var)."""
    x = np.asarray(pointwise, dtype=float)
    return float(x.sum()), float(math.sqrt(len(x) * x.var(ddof=1)))


def plot_pareto_k(pareto: pd.DataFrame) -> plt.Figure:
    """Pareto k of every hospital under each model, with the reliability threshold."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = np.arange(len(pareto))
    markers = {"complete pooling": "o", "partial pooling": "s", "no pooling": "^"}
    for k, (name, marker) in enumerate(markers.items()):
        ax.plot(x + 0.12 * (k - 1), pareto[name], marker, color=f"C{k}", label=name, ms=6)
    ax.axhline(PARETO_K_MAX, color="tab:red", ls="--", lw=1, label=f"k = {PARETO_K_MAX}")
    ax.axhline(0.5, color="0.6", ls=":", lw=1, label="k = 0.5")
    ax.set_xticks(x, pareto["hospital"])
    ax.set_xlabel("hospital left out")
    ax.set_ylabel("Pareto k (shape of the importance weights)")
    ax.set_title("PSIS-LOO diagnostics: leaving out a whole hospital")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def report_pooling(
    report: Report,
    data: pd.DataFrame,
    models: dict[str, BinomialRates],
    effort: Effort,
    seeds: dict[str, int],
) -> dict[str, Any]:
    """Write the pooling comparison: PSIS-LOO, Pareto k, exact refits, predictive checks."""
    report.step("PSIS-LOO of complete, no and partial pooling")
    loos = {name: m.loo() for name, m in models.items()}
    table = rows_by(compare(models))
    units = data[HOSPITAL].astype(str).tolist()
    pareto = pd.DataFrame({"hospital": units, **{n: r.pareto_k for n, r in loos.items()}})

    report.section("Complete, no or partial pooling? Leave-one-hospital-out comparison")
    report.text(
        "The two frequentist funnels embody two extremes, and `BinomialRates(pooling=...)` "
        "fits both beside the hierarchical model: **complete pooling** (`'complete'`) gives "
        "every hospital the rate $\\operatorname{logit}^{-1}(\\mu)$; **no pooling** "
        "(`'none'`) gives each hospital its own logit with the $\\mathcal N(0, 1.5^2)$ prior, so "
        "no hospital's data inform another's rate; **partial pooling** (`'partial'`) learns "
        "$\\sigma$ from the data:"
    )
    report.math(
        r"\text{complete: } \operatorname{logit} p_j = \mu, \qquad "
        r"\text{none: } \operatorname{logit} p_j \overset{\text{iid}}{\sim} \mathcal N(0, 1.5^2),"
        r" \qquad \text{partial: } \operatorname{logit} p_j \sim \mathcal N(\mu, \sigma^2)."
    )
    report.text(
        "We compare them by the expected log predictive density of held-out data, estimated "
        "by leave-one-out cross-validation. With one row per hospital, *leave-one-out is "
        "leave-one-hospital-out*: the question is how well each model predicts a hospital's "
        "deaths from the other eleven hospitals. PSIS-LOO (`statcraft.bayes.compare`) "
        "approximates this from a single fit by importance sampling; its Pareto $k$ says "
        "when the approximation fails."
    )
    loo_rows = pd.DataFrame(
        [
            {
                "model": name,
                "elpd_loo": r.elpd,
                "SE": r.std_error,
                "p_loo": r.p_loo,
                f"hospitals with k > {PARETO_K_MAX}": r.n_high_k,
                "max k": float(r.pareto_k.max()),
                "elpd_diff": float(table[name]["elpd_diff"]),
                "SE of diff": float(table[name]["elpd_diff_std_error"]),
            }
            for name, r in loos.items()
        ]
    )
    report.table(loo_rows, caption="PSIS-LOO (higher elpd is better; differences from the best)")
    report.figure(
        plot_pareto_k(pareto),
        "pareto_k",
        "Pareto k of the PSIS importance weights for each hospital left out, under the three "
        "models; above 0.7 the PSIS estimate for that hospital is unreliable.",
    )
    n_high = {name: r.n_high_k for name, r in loos.items()}
    high_partial = pareto.loc[pareto["partial pooling"] > PARETO_K_MAX, "hospital"].tolist()
    complete_k = float(loos["complete pooling"].pareto_k.max())
    report.text(
        f"The warnings are the point. For complete pooling every hospital's $k$ is at most "
        f"{fmt(complete_k, 2)}"
        + (
            ": with one rate for all, leaving out one hospital barely moves the posterior, "
            "and PSIS is reliable. "
            if complete_k <= PARETO_K_MAX
            else ", so even here PSIS is unreliable for some hospitals. "
        )
        + f"For no pooling {n_high['no pooling']} of {len(units)} hospitals have $k$ > "
        f"{PARETO_K_MAX}: each hospital's rate is informed by its own data alone, so removing "
        f"them changes that rate's posterior completely (its $p_{{loo}}$ of "
        f"{fmt(loos['no pooling'].p_loo, 3)} is close to one parameter per hospital). Partial "
        f"pooling sits between ({n_high['partial pooling']} above {PARETO_K_MAX}: "
        f"{names(high_partial)}), its worst cases hospitals whose own data pull against the "
        "population. Where $k$ is high the PSIS estimate cannot be trusted, so we compute "
        "leave-one-out exactly."
    )

    report.step("exact leave-one-hospital-out refits")
    partial = exact_loo(
        report, data, "partial pooling", POOLING["partial pooling"], effort, seeds["refits"]
    )
    complete = exact_loo(
        report,
        data,
        "complete pooling",
        POOLING["complete pooling"],
        effort,
        seeds["refits"] + 1,
    )
    none = no_pooling_loo(models["no pooling"], data)
    exact = {"complete pooling": complete, "no pooling": none, "partial pooling": partial}
    best = max(exact, key=lambda k: float(exact[k]["elpd"].sum()))
    exact_rows = []
    for name, frame in exact.items():
        elpd, se = elpd_summary(frame["elpd"].to_numpy())
        diff = frame["elpd"].to_numpy() - exact[best]["elpd"].to_numpy()
        d, dse = elpd_summary(diff)
        exact_rows.append(
            {
                "model": name,
                "exact elpd": elpd,
                "SE": se,
                "PSIS elpd": loos[name].elpd,
                "PSIS − exact": loos[name].elpd - elpd,
                "diff from best": d,
                "SE of diff": dse,
            }
        )
    exact_table = pd.DataFrame(exact_rows)
    n_refits = 2 * len(data)
    failed = int((~partial["refit_passed"]).sum() + (~complete["refit_passed"]).sum())
    report.text(
        f"**Exact leave-one-hospital-out.** For complete and partial pooling we refit the "
        f"model {len(data)} times, each time without one hospital ({n_refits} refits of "
        f"{CHAINS} × {fmt(effort.refit_draws)} draws; {failed} failed the convergence gate, "
        "see the convergence table), and score the left-out hospital's deaths under the "
        "refit's prediction for a *new* hospital of that size:"
    )
    report.math(
        r"\log p(r_j \mid r_{-j}) = \log \int\!\!\int \mathrm{Bin}\big(r_j \mid n_j, "
        r"\operatorname{logit}^{-1}(\mu + \sigma z)\big)\, \varphi(z)\, dz\; "
        r"p(\mu, \sigma \mid r_{-j})\, d\mu\, d\sigma"
    )
    report.text(
        f"(the $z$-integral on a fine grid, the other by averaging over "
        f"up to {fmt(PREDICTIVE_DRAWS)} posterior draws). For no pooling no refit is "
        "needed: the other hospitals say nothing about a left-out one, whose prediction is "
        "its prior predictive ($\\mu = 0$, $\\sigma = 1.5$)."
    )
    report.table(exact_table, caption="Exact leave-one-hospital-out elpd against PSIS-LOO")
    order = exact_table.sort_values("exact elpd", ascending=False)["model"].tolist()
    by = rows_by(exact_table, "model")
    runner_up = by[order[1]]
    decisive = abs(runner_up["diff from best"]) > 2 * runner_up["SE of diff"]
    report.text(
        f"Exactly computed, the ranking is {' > '.join(order)}. {best.capitalize()} beats "
        f"{order[1]} by {fmt(-runner_up['diff from best'], 3)} "
        f"(SE {fmt(runner_up['SE of diff'], 2)}; "
        f"{'more' if decisive else 'less'} than two standard errors) and {order[2]} by "
        f"{fmt(-by[order[2]]['diff from best'], 3)} "
        f"(SE {fmt(by[order[2]]['SE of diff'], 2)}). PSIS was "
        f"{'optimistic' if by['no pooling']['PSIS − exact'] > 0 else 'pessimistic'} for "
        f"no pooling by {fmt(abs(by['no pooling']['PSIS − exact']), 3)} and "
        f"{'optimistic' if by['partial pooling']['PSIS − exact'] > 0 else 'pessimistic'}"
        f" for partial pooling by {fmt(abs(by['partial pooling']['PSIS − exact']), 2)}, "
        f"while for complete pooling (all $k$ small) it was off by only "
        f"{fmt(abs(by['complete pooling']['PSIS − exact']), 2)} (Monte Carlo error of "
        "the refits included). No pooling's prediction for a hospital it has not seen is "
        "its prior — it has no population to draw from — "
        f"{'which is why it comes last' if order[-1] == 'no pooling' else 'yet it does not come last'}"  # noqa: E501
        "; complete pooling predicts every hospital at the pooled rate and "
        f"{'pays' if order[0] != 'complete pooling' else 'would pay'} for the real "
        "differences between hospitals. With 12 hospitals the standard errors are large: "
        "trust the ranking more than the exact margins."
    )
    return {
        "psis": loo_rows,
        "pareto_k": pareto,
        "exact": exact_table,
        "best": best,
        "order": order,
        "n_refits": n_refits,
        "failed_refits": failed,
        "cross_validation": partial,
    }


# ----------------------------------------------------------------------------- unusual hospitals
VIEWS = ("binomial funnel", "overdispersed funnel", "above/below typical", "predictive check")
"""The four views of 'unusual', from the most to the least demanding of the evidence."""


def views_flagging(lists: dict[str, dict[str, list[str]]], hospital: str) -> list[str]:
    """List the views that flag ``hospital``, with the direction: 'binomial funnel (high)'."""
    return [
        f"{view} ({side})"
        for view in VIEWS
        for side in ("high", "low")
        if hospital in lists[view][side]
    ]


def verdict(p_high: float, p_low: float, cutoff: float) -> str:
    """'high', 'low' or '—' from the probabilities (or tail areas) of each direction."""
    if p_high > cutoff:
        return "high"
    if p_low > cutoff:
        return "low"
    return "—"


def funnel_verdict(flag_95: str, flag_998: str) -> str:
    """Combine the two funnel flags of a hospital: 'high (99.8%)', 'low (95%)', '—', ..."""
    if flag_998 != "within":
        return f"{flag_998} (99.8%)"
    if flag_95 != "within":
        return f"{flag_95} (95%)"
    return "—"


def report_unusual(
    report: Report, funnel: dict[str, Any], bayes: dict[str, Any], pooling: dict[str, Any]
) -> dict[str, Any]:
    """Write the section on which hospitals are unusual under each view, and why they differ."""
    report.step("which hospitals are unusual")
    binomial, additive = funnel["binomial"].table, funnel["additive"].table
    ex = bayes["exceedance"]
    cv = pooling["cross_validation"]
    ranks = rows_by(bayes["ranks"], HOSPITAL)
    tail = (1 - PROBABILITY_CUTOFF) / 2
    table = pd.DataFrame(
        {
            "hospital": binomial["provider"],
            "raw (%)": 100 * binomial["rate"].to_numpy(),
            "z": binomial["z"].to_numpy(),
            "binomial funnel": [
                funnel_verdict(a, b)
                for a, b in zip(binomial["flag_95"], binomial["flag_99.8"], strict=True)
            ],
            "overdispersed funnel": [
                funnel_verdict(a, b)
                for a, b in zip(additive["flag_95"], additive["flag_99.8"], strict=True)
            ],
            "P(above typical)": ex["p_above_typical"].to_numpy(),
            "above/below typical": [
                verdict(p, 1 - p, PROBABILITY_CUTOFF) for p in ex["p_above_typical"]
            ],
            "rank 95% interval": [
                f"[{ranks[h]['rank_low']}, {ranks[h]['rank_high']}]" for h in binomial["provider"]
            ],
            "cross-validatory mid p": cv["mid_p_upper"].to_numpy(),
            "predictive check": [verdict(1 - p, p, 1 - tail) for p in cv["mid_p_upper"].to_numpy()],
        }
    )
    lists = {
        column: {
            side: table.loc[table[column].str.startswith(side), "hospital"].tolist()
            for side in ("high", "low")
        }
        for column in VIEWS
    }
    report.section("Which hospitals are unusual, and why the answers differ")
    report.text("Four views of 'unusual', from the most to the least demanding of the evidence:")
    report.bullets(
        [
            "**binomial funnel**: is the hospital's rate further from the pooled rate than "
            "binomial sampling allows, if every hospital had the same true rate?",
            "**overdispersed funnel**: is it further than sampling *plus* the ordinary "
            "variation between hospitals allows?",
            "**above/below typical** (partial pooling): is the posterior probability that "
            f"its true rate exceeds the typical hospital's above {PROBABILITY_CUTOFF:g} (or "
            f"below {1 - PROBABILITY_CUTOFF:g})?",
            "**predictive check** (Marshall & Spiegelhalter 2007): would a new hospital of "
            "the same size, drawn from the population the *other* eleven describe, produce "
            "so many (or so few) deaths? The mid p-value "
            "$P(Y > r_j \\mid r_{-j}) + \\tfrac12 P(Y = r_j \\mid r_{-j})$ comes from the "
            f"exact leave-one-out refits; below {fmt(tail, 3)} is unusually high, above "
            f"{fmt(1 - tail, 3)} unusually low.",
        ]
    )
    report.table(table, caption="Unusual hospitals under each view", digits=3)
    summary_rows = pd.DataFrame(
        [
            {"view": view, "high": names(v["high"]), "low": names(v["low"])}
            for view, v in lists.items()
        ]
    )
    report.table(summary_rows, caption="Hospitals flagged, by view")
    a = rows_by(table, "hospital")
    smallest = str(bayes["table"].sort_values("operations")["hospital"].iloc[0])
    n_flagged = {view: len(v["high"]) + len(v["low"]) for view, v in lists.items()}
    cautious = (
        " And the predictive check is more cautious than the funnel it resembles: the funnel "
        "plugs in point estimates of the target and of τ, while the check carries the "
        "uncertainty about μ and σ — learned from eleven hospitals — into its prediction, "
        "which widens it."
        if len(lists["predictive check"]["high"]) < len(lists["overdispersed funnel"]["high"])
        else ""
    )
    report.text(
        f"**Why they differ.** The binomial funnel flags {names(lists['binomial funnel']['high'])} "
        f"high and {names(lists['binomial funnel']['low'])} low because it measures distance "
        "from one common rate against binomial noise only — and the homogeneity test showed "
        "that the hospitals do differ, so some distance is normal. Widening the limits for "
        f"that variation leaves {names(lists['overdispersed funnel']['high'])} high and "
        f"{names(lists['overdispersed funnel']['low'])} low; the cross-validatory predictive "
        f"check, its Bayesian counterpart, flags {names(lists['predictive check']['high'])} "
        f"high and {names(lists['predictive check']['low'])} low. 'Above the typical "
        "hospital' is a weaker claim — not 'outside the normal range' but 'probably worse "
        "than the median hospital' — so it can flag more hospitals; at a posterior "
        f"probability above {PROBABILITY_CUTOFF:g} it flags {n_flagged['above/below typical']}"
        f" ({names(lists['above/below typical']['high'])} high, "
        f"{names(lists['above/below typical']['low'])} low) against the overdispersed "
        f"funnel's {n_flagged['overdispersed funnel']}.{cautious}"
    )
    small = a[smallest]
    small_views = views_flagging(lists, smallest)
    small_raw = rows_by(bayes["table"], "hospital")[smallest]
    small_cv = rows_by(cv, "hospital")[smallest]
    rank_high = int(ranks[smallest]["rank_high"])
    report.text(
        f"Hospital {smallest}, the smallest, with the lowest raw rate "
        f"({fmt(small['raw (%)'], 3)} %), is flagged "
        f"{'by no view' if not small_views else 'only by the ' + names(small_views)}: its z "
        f"of {fmt(small['z'], 3)} is {'inside' if small['binomial funnel'] == '—' else 'outside'}"
        f" the binomial funnel, its posterior probability of being above the typical hospital "
        f"is {fmt(small['P(above typical)'], 2)}, its rank interval is "
        f"{small['rank 95% interval']}, and a new hospital with {small_raw['operations']} "
        f"operations would see {small_raw['deaths']} deaths or fewer with probability "
        f"{fmt(small_cv['p_at_most'], 2)} (mid p-value {fmt(small_cv['mid_p_upper'], 3)})"
        + (
            ": the mid p-value counts only half of P(Y = 0) as 'as extreme', so the check "
            "flags it although P(Y ≤ 0) is above the cut-off — a borderline call on a "
            "single count. "
            if smallest in lists["predictive check"]["low"] and small_cv["p_at_most"] > tail
            else ". "
        )
        + f"A raw league table would crown it; its rank interval, reaching rank {rank_high} "
        f"of {len(ranks)}, says the evidence "
        f"{'does not' if rank_high > len(ranks) / 2 else 'partly agrees'}."
    )
    return {"table": table, "flagged": lists}


# ----------------------------------------------------------------------------- conclusions
def report_conclusions(report: Report, res: dict[str, Any]) -> list[dict[str, str]]:
    """Write 'What we learned' and return the rows of the 'Two views' table."""
    homog, funnel, bayes = res["homogeneity"], res["funnel"], res["bayes"]
    pooling, unusual = res["pooling"], res["unusual"]
    flagged = unusual["flagged"]
    worst = bayes["ranks"].sort_values("mean_rank").iloc[-1]
    worst_name = str(worst[HOSPITAL])
    u = rows_by(unusual["table"], "hospital")
    exact = rows_by(pooling["exact"], "model")
    smallest = str(bayes["table"].sort_values("operations")["hospital"].iloc[0])
    sm = rows_by(bayes["table"], "hospital")[smallest]
    worst_views = views_flagging(flagged, worst_name)
    differ = homog["permutation_pvalue"] < 1 - CONFIDENCE
    binomial_any = flagged["binomial funnel"]["high"] + flagged["binomial funnel"]["low"]
    typical_any = flagged["above/below typical"]["high"] + flagged["above/below typical"]["low"]
    low_funnel = flagged["overdispersed funnel"]["low"]
    low_check = flagged["predictive check"]["low"]
    borderline = (
        " (a borderline call on zero deaths, see above)"
        if smallest in low_check and smallest not in low_funnel
        else ""
    )
    if not low_funnel and not low_check:
        good_text = (
            "No hospital is unusually *good* once between-hospital variation is allowed for."
        )
    else:
        good_text = (
            "Once between-hospital variation is allowed for, the overdispersed funnel flags "
            f"{names(low_funnel)} as unusually *good* and the predictive check "
            f"{names(low_check)}{borderline}."
        )
    moved = {
        name: -float(exact[name]["PSIS − exact"]) for name in ("no pooling", "partial pooling")
    }
    report.section("What we learned")
    report.bullets(
        [
            f"The hospitals differ by {'more' if differ else 'no more'} than chance "
            f"($X^2$ = {fmt(homog['chi2'])}, {homog['df']} df, permutation "
            f"{p_is(homog['permutation_pvalue'])}); partial pooling puts the spread of their "
            f"log-odds at $\\sigma$ ≈ {fmt(bayes['sigma'], 2)}, and exact "
            f"leave-one-hospital-out ranks the models {' > '.join(pooling['order'])}.",
            f"{worst_name}, the hospital most likely to be worst, is flagged by "
            f"{len(worst_views)} of the {len(VIEWS)} views ({names(worst_views)}): raw "
            f"mortality {fmt(u[worst_name]['raw (%)'], 3)} % "
            f"(z = {fmt(u[worst_name]['z'], 3)}), P(above typical) = "
            f"{fmt(u[worst_name]['P(above typical)'], 3)}, rank interval "
            f"{u[worst_name]['rank 95% interval']}, cross-validatory mid p "
            f"{fmt(u[worst_name]['cross-validatory mid p'], 2)}.",
            f"{good_text} {smallest}'s zero deaths shrink to {pct(sm['posterior_mean'])}"
            f"{', the largest move of any hospital' if bayes['largest_shift'] == smallest else ''}"
            f", because {int(sm['operations'])} operations are little evidence.",
            "Which hospitals are 'unusual' depends on the question: against one common rate "
            f"(binomial funnel: {names(binomial_any)}), against the normal range of hospitals "
            f"(overdispersed funnel: {names(flagged['overdispersed funnel']['high'])} high; "
            f"predictive check: {names(flagged['predictive check']['high'])} high), or against "
            f"the typical hospital (posterior probability: {names(typical_any)}).",
            f"PSIS-LOO warned (Pareto k > {PARETO_K_MAX}) for the models with "
            "hospital-specific rates, and rightly: exact leave-one-out "
            f"{'lowered' if moved['no pooling'] < 0 else 'raised'} no pooling's elpd by "
            f"{fmt(abs(moved['no pooling']), 3)} and "
            f"{'lowered' if moved['partial pooling'] < 0 else 'raised'} partial pooling's by "
            f"{fmt(abs(moved['partial pooling']), 2)}.",
        ]
    )
    report.text(
        "**Caveats.** There is no case-mix adjustment: a hospital that takes sicker babies "
        "would look worse for it, and a real comparison must adjust for risk before any of "
        "these analyses. The data are old and one period; twelve hospitals say little about "
        "$\\sigma$, so the amount of shrinkage depends on its prior (ours differs from the "
        "BUGS manual's, with posterior means within "
        f"{fmt(100 * bayes['bugs_check']['max_abs_difference'], 2)} points of theirs). "
        "Flags from 12 simultaneous comparisons include some false alarms by design (at 95%, "
        "about one hospital in 20 when none is unusual). The leave-one-out comparison rests "
        "on 12 predictions, so its standard errors are rough."
    )
    exact_best = pooling["best"]
    return [
        {
            "question": "Do the hospitals' mortality rates differ?",
            "frequentist": f"X² = {fmt(homog['chi2'])}, df {homog['df']}, "
            f"{p_is(homog['pvalue'])}; permutation {p_is(homog['permutation_pvalue'])}; "
            f"overdispersion φ̂ = {fmt(funnel['phi'], 3)}",
            "Bayesian": f"σ (log-odds sd) = {fmt(bayes['sigma'], 2)}, 95% HDI "
            f"{fmt_ci(bayes['sigma_hdi'], 2)}; exact LOO prefers {exact_best}",
        },
        {
            "question": "Which hospitals are unusually high?",
            "frequentist": f"binomial funnel: {names(flagged['binomial funnel']['high'])}; "
            f"overdispersed: {names(flagged['overdispersed funnel']['high'])}",
            "Bayesian": f"P(above typical) > {PROBABILITY_CUTOFF:g}: "
            f"{names(flagged['above/below typical']['high'])}; predictive check: "
            f"{names(flagged['predictive check']['high'])}",
        },
        {
            "question": "Which hospitals are unusually low?",
            "frequentist": f"binomial funnel: {names(flagged['binomial funnel']['low'])}; "
            f"overdispersed: {names(flagged['overdispersed funnel']['low'])}",
            "Bayesian": f"P(below typical) > {PROBABILITY_CUTOFF:g}: "
            f"{names(flagged['above/below typical']['low'])}; predictive check: "
            f"{names(flagged['predictive check']['low'])}",
        },
        {
            "question": f"Is {smallest} (0 deaths in {int(sm['operations'])}) the best?",
            "frequentist": f"raw 0 %, Wilson 95% CI {pct_ci(sm['ci_low'], sm['ci_high'])}, "
            f"z = {fmt(u[smallest]['z'], 3)} "
            f"({'inside' if u[smallest]['binomial funnel'] == '—' else 'outside'} the funnel)",
            "Bayesian": f"shrunk to {pct(sm['posterior_mean'])}, rank interval "
            f"{u[smallest]['rank 95% interval']}",
        },
        {
            "question": f"Is {worst_name} the worst?",
            "frequentist": f"highest raw rate ({fmt(u[worst_name]['raw (%)'], 3)} %), "
            f"z = {fmt(u[worst_name]['z'], 3)}; no frequentist rank interval here",
            "Bayesian": f"P(highest quarter) = {fmt(worst['p_top_quarter'], 2)}, median rank "
            f"{int(worst['median_rank'])}, 95% interval "
            f"{u[worst_name]['rank 95% interval']}",
        },
    ]


# ----------------------------------------------------------------------------- main
def main(output_dir: str | Path, quick: bool = False, seed: int = 19960101) -> dict[str, Any]:
    """Run the hospital-mortality study and write its report.

    Parameters
    ----------
    output_dir : str or Path
        Where ``report.md``, ``figures/*.png`` and ``results.json`` are written.
    quick : bool
        Fewer permutations and MCMC draws (same data, same analyses).
    seed : int
        Seed from which every random stage's seed is derived.

    Returns
    -------
    dict
        The results written to ``results.json``: the raw rates, the homogeneity tests, the
        funnel flags, the partially pooled rates and ranks with the BUGS check, the PSIS and
        exact leave-one-out comparisons, and the table of unusual hospitals.
    """
    effort = QUICK if quick else FULL
    seeds = child_seeds(seed, SEED_STAGES)
    report = Report(
        "Which hospitals have unusual mortality after infant cardiac surgery?",
        output_dir,
        seed=seed,
        quick=quick,
    )
    report.section("Question")
    report.text(
        "Twelve hospitals performed cardiac surgery on babies; their death rates range from "
        "0 to over 14 %. Which of them have unusually high — or low — mortality, once we "
        "allow for chance, for their very different sizes and for the ordinary variation "
        "between hospitals? And why do frequentist and Bayesian answers to that question "
        "differ?"
    )
    report.step("loading the Surgical data")
    data = load_surgical()
    raw = report_data(report, data)
    homogeneity = report_homogeneity(report, data, effort, seeds["permutation"])
    funnel = report_funnel(report, data)
    models: dict[str, BinomialRates] = {}
    for name, choice in POOLING.items():
        report.step(f"fitting BinomialRates: {name}")
        models[name] = fit_rates(data, choice, effort.draws, effort.tune, seeds[name])
        report.add_fit(name, models[name])
    bayes = report_hierarchical(report, models["partial pooling"], raw["table"])
    pooling = report_pooling(report, data, models, effort, seeds)
    unusual = report_unusual(report, funnel, bayes, pooling)
    results = {
        "homogeneity": homogeneity,
        "funnel": funnel,
        "bayes": bayes,
        "pooling": pooling,
        "unusual": unusual,
    }
    report.two_views(report_conclusions(report, results))
    report.results.update(
        {
            "hospitals": data[HOSPITAL].astype(str).tolist(),
            "data": raw,
            "homogeneity": homogeneity,
            "funnel": {k: v for k, v in funnel.items() if k not in ("binomial", "additive")},
            "partial_pooling": {
                "rates": bayes["table"],
                "ranks": bayes["ranks"],
                "typical_rate": bayes["typical_rate"],
                "typical_rate_hdi": bayes["typical_rate_hdi"],
                "sigma": bayes["sigma"],
                "sigma_hdi": bayes["sigma_hdi"],
                "largest_shift": bayes["largest_shift"],
                "p_above_typical": dict(
                    zip(
                        bayes["exceedance"]["hospital"],
                        bayes["exceedance"]["p_above_typical"],
                        strict=True,
                    )
                ),
                "rank_interval_excludes_middle": bayes["rank_interval_excludes_middle"],
            },
            "bugs_check": bayes["bugs_check"],
            "loo": {
                "psis": pooling["psis"],
                "pareto_k": pooling["pareto_k"],
                "exact": pooling["exact"],
                "best": pooling["best"],
                "order": pooling["order"],
                "n_refits": pooling["n_refits"],
                "failed_refits": pooling["failed_refits"],
            },
            "cross_validation": pooling["cross_validation"],
            "unusual": unusual,
            "effort": {
                "draws": effort.draws,
                "tune": effort.tune,
                "refit_draws": effort.refit_draws,
                "refit_tune": effort.refit_tune,
                "permutations": effort.permutations,
                "chains": CHAINS,
            },
        }
    )
    report.step("writing the report")
    report.headline(
        f"Homogeneity of the {len(data)} death rates (χ², df, p)",
        f"{fmt(homogeneity['chi2'])} ({homogeneity['df']}), {p_is(homogeneity['pvalue'])}",
    )
    flagged = unusual["flagged"]["above/below typical"]["high"]
    report.headline("Hospitals above the typical rate (posterior)", ", ".join(flagged) or "none")
    report.key_figure("funnel")
    return report.finish()
