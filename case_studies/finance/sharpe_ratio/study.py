"""Case study: which US industries earned more per unit of risk than the market, 1949–2017.

The study answers the question in the order a careful analyst would:

1. load the monthly excess returns of the 12 Fama–French industries and of the market, and
   describe them (fat tails, skewness, autocorrelation, a strong common factor);
2. estimate each Sharpe ratio with four intervals that assume progressively less (iid normal,
   iid non-normal, serially dependent, stationary bootstrap);
3. pool the industry means with a Bayesian hierarchical model and fit a Bayesian AR(1) model
   of the market's mean, for Bayesian Sharpe ratios;
4. test every industry against the market (Ledoit–Wolf), adjusting for 12 tests (Holm, BH),
   and pool the twelve Sharpe-ratio differences from the market in a second hierarchical model;
5. ask whether the best industry chosen after the fact is still special: the deflated Sharpe
   ratio, a walk-forward "hold last decade's winner" strategy and a half/half split;
6. summarise what was learned, and the frequentist and Bayesian answers side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from case_studies._report import (
    Report,
    child_seeds,
    fmt,
    fmt_ci,
    fmt_p,
    fmt_probability,
    p_is,
    to_jsonable,
)
from scipy import stats

import statcraft as sc
from statcraft.bayes import HierarchicalRegression, LinearRegression, Prior
from statcraft.datasets import load_fama_french_industries
from statcraft.finance import (
    deflated_sharpe_ratio,
    sharpe_difference_test,
    sharpe_ratio,
)

INDUSTRIES = (
    "NoDur",
    "Durbl",
    "Manuf",
    "Enrgy",
    "Chems",
    "BusEq",
    "Telcm",
    "Utils",
    "Shops",
    "Hlth",
    "Money",
    "Other",
)
"""The 12 Fama–French industries, in the data library's order."""
MARKET = "Market"
PERIODS_PER_YEAR = 12
SQRT_Q = math.sqrt(PERIODS_PER_YEAR)
ALPHA = 0.05
"""Significance level of the tests and 1 − level of the frequentist intervals."""
TRAIN_MONTHS = 120
"""About ten years of history to pick the walk-forward winner from."""
HOLD_MONTHS = 12
"""The winner is held for the next year, then the choice is made again."""
POOLING_PRIORS = {
    "intercept": Prior("Normal", mu=0, sigma=2),
    "sigma": Prior("HalfNormal", sigma=10),
    "group_sd": Prior("HalfNormal", sigma=0.5),
}
"""Priors of both hierarchical models: in percent per month for the industry means, in annual
Sharpe-ratio units for the differences from the market (weakly informative on both scales)."""
MARKET_PRIORS = {
    "intercept": Prior("Normal", mu=0, sigma=2),
    "beta": Prior("Normal", mu=0, sigma=0.5),
    "sigma": Prior("HalfNormal", sigma=10),
}
"""Priors of the market's AR(1) mean model, in percent per month."""


@dataclass(frozen=True)
class Effort:
    """How hard one run works: bootstrap resamples and MCMC draws (quick or full mode)."""

    sharpe_resamples: int
    test_resamples: int
    draws: int
    tune: int


FULL = Effort(sharpe_resamples=9999, test_resamples=4999, draws=2000, tune=1000)
QUICK = Effort(sharpe_resamples=999, test_resamples=999, draws=300, tune=300)


SEED_STAGES = (
    "sharpe_bootstrap",
    "best_bootstrap",
    "market_tests",
    "pooled_fit",
    "difference_fit",
    "market_fit",
    "selection_tests",
)
"""The random stages of the study, each seeded from the study's seed (see child_seeds)."""


def excludes_zero(low: float, high: float) -> str:
    """Return 'excludes 0' or 'includes 0' for an interval."""
    return "excludes 0" if low > 0 or high < 0 else "includes 0"


def record(frame: pd.DataFrame, key_column: str, key: str) -> dict[str, Any]:
    """Return the row of ``frame`` whose ``key_column`` equals ``key``, as a dict."""
    return {str(k): v for k, v in frame.set_index(key_column).loc[key].to_dict().items()}


def annual_difference(result: Any) -> tuple[float, float, float]:
    """Annualise a Sharpe-difference test's estimate and interval: (difference, low, high)."""
    estimate = result.estimate
    ci = estimate.confidence_interval
    return SQRT_Q * estimate.estimate, SQRT_Q * ci.low, SQRT_Q * ci.high


def interval_strings(frame: pd.DataFrame, low: str, high: str) -> list[str]:
    """Format the columns ``low`` and ``high`` of ``frame`` as ``[low, high]`` strings."""
    return [fmt_ci(pair) for pair in frame[[low, high]].to_numpy().tolist()]


# ----------------------------------------------------------------------------- data
def load_excess_returns() -> pd.DataFrame:
    """Monthly excess returns (decimals) of the 12 industries and the market, indexed by month.

    Industry returns are total returns, so the one-month T-bill rate ``rf`` is subtracted;
    ``mkt_rf`` is already an excess return.
    """
    ff = load_fama_french_industries()  # indexed by date (first day of each month)
    excess = ff[list(INDUSTRIES)].sub(ff["rf"], axis=0)
    excess[MARKET] = ff["mkt_rf"]
    return excess


def describe_returns(excess: pd.DataFrame) -> pd.DataFrame:
    """Annualised mean and volatility, skewness, excess kurtosis, lag-1 autocorrelation."""
    rows = []
    for name in excess.columns:
        x = excess[name].to_numpy()
        rows.append(
            {
                "series": str(name),
                "mean (%/yr)": 100 * PERIODS_PER_YEAR * float(x.mean()),
                "volatility (%/yr)": 100 * SQRT_Q * float(x.std(ddof=1)),
                "skewness": float(stats.skew(x)),
                "excess kurtosis": float(stats.kurtosis(x)),
                "lag-1 autocorrelation": float(np.corrcoef(x[:-1], x[1:])[0, 1]),
            }
        )
    return pd.DataFrame(rows)


def mean_pairwise_correlation(frame: pd.DataFrame) -> float:
    """Average correlation over all pairs of columns."""
    corr = frame.corr().to_numpy()
    return float(corr[np.triu_indices_from(corr, k=1)].mean())


def report_data(report: Report, excess: pd.DataFrame) -> dict[str, Any]:
    """Write the data section: span, units, summary table and the common factor."""
    report.step("describing the data")
    summary = describe_returns(excess)
    rho = mean_pairwise_correlation(excess[list(INDUSTRIES)])
    market_corr = excess[list(INDUSTRIES)].corrwith(excess[MARKET])
    start, end = excess.index[0], excess.index[-1]
    kurt = summary.set_index("series")["excess kurtosis"]
    skew = summary.set_index("series")["skewness"]
    ac1 = summary.set_index("series")["lag-1 autocorrelation"]
    report.section("Data")
    report.text(
        f"Monthly returns of the 12 Fama–French industry portfolios (value-weighted) and of the "
        f"US market, {start:%B %Y} to {end:%B %Y}: n = {fmt(len(excess))} months per series "
        f"({fmt(len(excess) / 12, 3)} years). Source: Kenneth R. French Data Library, as "
        "bundled in `statcraft.datasets.load_fama_french_industries`. The industry series are "
        "total returns, so the one-month T-bill rate is subtracted from each; the market "
        "series `mkt_rf` is already an excess return. All analysis uses these *excess* "
        "returns (decimals per month; tables show percent per year)."
    )
    report.table(summary, caption="Monthly excess returns, 1949–2017 (mean × 12, volatility × √12)")
    report.text(
        f"Three features matter for inference. The returns are fat-tailed (excess kurtosis "
        f"{fmt(kurt.min(), 2)} to {fmt(kurt.max(), 2)}; 0 for the normal), and "
        f"{int((skew < 0).sum())} of the {len(skew)} series are left-skewed (skewness "
        f"{fmt(skew.min(), 2)} to {fmt(skew.max(), 2)}), so the "
        f"normal-theory Sharpe interval may be wrong. They are weakly autocorrelated (lag-1 "
        f"autocorrelation {fmt(ac1.min(), 2)} to {fmt(ac1.max(), 2)}), which the HAC and "
        f"block-bootstrap intervals allow for. And they share a strong common factor: the "
        f"average correlation between two industries is {fmt(rho, 2)}, and each industry's "
        f"correlation with the market is {fmt(market_corr.min(), 2)} to "
        f"{fmt(market_corr.max(), 2)}. Twelve industries are therefore far fewer than twelve "
        "independent experiments, which matters for pooling, for multiple testing and for "
        "the selection bias of the best one."
    )
    return {
        "summary": summary,
        "n_months": len(excess),
        "start": str(start.date()),
        "end": str(end.date()),
        "mean_pairwise_correlation": rho,
    }


# ----------------------------------------------------------------------------- Sharpe ratios
def sharpe_intervals(excess: pd.DataFrame, effort: Effort, seed: int) -> pd.DataFrame:
    """Annualised Sharpe ratio of every series with iid, Lo, HAC and bootstrap 95% intervals."""
    rows = []
    for k, (name, x) in enumerate(excess.items()):
        iid = sharpe_ratio(x, periods_per_year=PERIODS_PER_YEAR, method="iid")
        lo = sharpe_ratio(x, periods_per_year=PERIODS_PER_YEAR, method="lo")
        hac = sharpe_ratio(x, periods_per_year=PERIODS_PER_YEAR, method="hac")
        boot = sharpe_ratio(
            x,
            periods_per_year=PERIODS_PER_YEAR,
            method="bootstrap",
            n_resamples=effort.sharpe_resamples,
            rng=np.random.default_rng((seed, k)),
        )
        row: dict[str, Any] = {"series": str(name), "sharpe": iid.estimate}
        for key, est in (("iid", iid), ("lo", lo), ("hac", hac), ("bootstrap", boot)):
            row[f"{key}_std_error"] = est.std_error
            row[f"{key}_low"] = est.confidence_interval.low
            row[f"{key}_high"] = est.confidence_interval.high
        row["hac_lags"] = hac.details["maxlags"]
        row["block_length"] = boot.details["block_length"]
        rows.append(row)
    return pd.DataFrame(rows)


def plot_sharpe_forest(table: pd.DataFrame) -> plt.Figure:
    """Forest plot of the four intervals per series, the market on top and highlighted."""
    order = [MARKET, *table.loc[table["series"] != MARKET].sort_values("sharpe")["series"][::-1]]
    frame = table.set_index("series").loc[order]
    y = np.arange(len(order))[::-1].astype(float)
    methods = (
        ("iid", "iid normal (Lo 2002)"),
        ("lo", "iid non-normal (Mertens)"),
        ("hac", "HAC (Newey–West)"),
        ("bootstrap", "stationary bootstrap (BCa)"),
    )
    fig, ax = plt.subplots(figsize=(8.5, 7.5))
    ax.axhspan(y[0] - 0.45, y[0] + 0.45, color="gold", alpha=0.35, zorder=0)
    for k, (key, label) in enumerate(methods):
        offset = 0.27 - 0.18 * k
        ax.hlines(
            y + offset,
            frame[f"{key}_low"],
            frame[f"{key}_high"],
            color=f"C{k}",
            lw=2.2,
            label=label,
        )
    ax.plot(frame["sharpe"], y, "kD", ms=5, label="estimate")
    market = record(table, "series", MARKET)["sharpe"]
    ax.axvline(market, color="darkgoldenrod", ls="--", lw=1, label="market's Sharpe ratio")
    ax.axvline(0.0, color="grey", lw=0.8)
    ax.set_yticks(y, order)
    ax.get_yticklabels()[0].set_fontweight("bold")
    ax.set_xlabel("annualised Sharpe ratio (mean excess return / volatility, × √12)")
    ax.set_ylabel("series (sorted by Sharpe ratio)")
    ax.set_title("Sharpe ratios 1949–2017 with four 95% intervals")
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    fig.tight_layout()
    return fig


def report_sharpe(
    report: Report, excess: pd.DataFrame, effort: Effort, seed: int
) -> dict[str, Any]:
    """Write the Sharpe-ratio section: the maths, the table of intervals and the forest plot."""
    report.step("Sharpe ratios with iid, Lo, HAC and bootstrap intervals")
    table = sharpe_intervals(excess, effort, seed)
    report.section("Sharpe ratios and four ways to put an interval on them")
    report.text(
        "For monthly excess returns $x_t$ the Sharpe ratio is $\\widehat{SR} = \\bar x / s$, "
        "annualised by $\\sqrt{12}$ (exact only for uncorrelated returns). Its standard "
        "error depends on what we assume about the returns:"
    )
    report.math(
        r"\mathrm{SE}_{\text{iid}} = \sqrt{\frac{1 + \widehat{SR}^2/2}{n}}, \qquad "
        r"\mathrm{SE}_{\text{Lo}} = \sqrt{\frac{1 - \hat\gamma_3 \widehat{SR} + "
        r"\frac{\hat\gamma_4 - 1}{4}\widehat{SR}^2}{n}}, \qquad "
        r"\mathrm{SE}_{\text{HAC}}^2 = \frac{\nabla' \hat\Omega_{NW} \nabla}{n}"
    )
    report.text(
        "The first assumes iid normal returns; the second (Mertens' correction, "
        '`method="lo"`) allows any skewness $\\gamma_3$ and kurtosis $\\gamma_4$ but still '
        "iid months; the third applies the delta method to $(\\mathrm{E}x, \\mathrm{E}x^2)$ "
        "with a Newey–West long-run covariance $\\hat\\Omega_{NW}$, so serial dependence "
        "(including volatility clustering, which makes $x_t^2$ autocorrelated) is allowed "
        "for. The fourth resamples blocks of months (stationary bootstrap, mean block length "
        "chosen by Politis–White) and takes a BCa interval, with no formula at all."
    )
    display = pd.DataFrame(
        {
            "series": table["series"],
            "Sharpe (annual)": table["sharpe"],
            "iid 95% CI": interval_strings(table, "iid_low", "iid_high"),
            "Lo 95% CI": interval_strings(table, "lo_low", "lo_high"),
            "HAC 95% CI": interval_strings(table, "hac_low", "hac_high"),
            "bootstrap 95% CI": interval_strings(table, "bootstrap_low", "bootstrap_high"),
            "HAC lags": table["hac_lags"],
            "block length": table["block_length"],
        }
    )
    report.table(
        display,
        caption=f"Annualised Sharpe ratios with 95% intervals ({fmt(effort.sharpe_resamples)} "
        "bootstrap resamples)",
    )
    width = {m: table[f"{m}_high"] - table[f"{m}_low"] for m in ("iid", "lo", "hac", "bootstrap")}
    ratio_lo = width["lo"] / width["iid"]
    ratio_hac = width["hac"] / width["iid"]
    ratio_boot = width["bootstrap"] / width["iid"]
    market = record(table, "series", MARKET)
    n_excl = int(((table["hac_low"] > 0) | (table["hac_high"] < 0)).sum())
    industries = table.loc[table["series"] != MARKET]
    n_cover = int(
        (
            (industries["hac_low"] <= market["sharpe"])
            & (industries["hac_high"] >= market["sharpe"])
        ).sum()
    )
    report.figure(
        plot_sharpe_forest(table),
        "sharpe_intervals",
        "Annualised Sharpe ratios with iid, Lo, HAC and stationary-bootstrap 95% intervals; "
        "the market is highlighted and its Sharpe ratio is the dashed line.",
    )
    ratios = np.concatenate([ratio_lo.to_numpy(), ratio_hac.to_numpy(), ratio_boot.to_numpy()])
    agree = bool(np.all(np.abs(ratios - 1.0) < 0.25))
    report.text(
        f"The four intervals tell {'nearly the same story' if agree else 'different stories'}. "
        "Relative to the iid-normal interval, "
        f"the non-normal (Lo) interval is {fmt(ratio_lo.min(), 3)}–{fmt(ratio_lo.max(), 3)} "
        f"times as wide, the HAC interval {fmt(ratio_hac.min(), 3)}–{fmt(ratio_hac.max(), 3)} "
        f"times and the bootstrap interval {fmt(ratio_boot.min(), 3)}–"
        f"{fmt(ratio_boot.max(), 3)} times: with monthly Sharpe ratios of "
        f"{fmt(table['sharpe'].min() / SQRT_Q, 2)} to {fmt(table['sharpe'].max() / SQRT_Q, 2)} "
        "the skewness and kurtosis terms of the Lo formula are multiplied by small numbers, "
        "and serial dependence widens the HAC interval by at most "
        f"{fmt(100 * (ratio_hac.max() - 1), 2)} %. "
        f"The market's Sharpe ratio is {fmt(market['sharpe'])} "
        f"(HAC 95% CI {fmt_ci((market['hac_low'], market['hac_high']))}, which "
        f"{excludes_zero(market['hac_low'], market['hac_high'])}); {n_excl} of the "
        f"{len(table)} HAC intervals exclude 0, and {n_cover} of the {len(INDUSTRIES)} "
        "industries' HAC intervals contain the market's Sharpe ratio. What none of these "
        "intervals does is compare series: because the series are strongly correlated, "
        "overlapping intervals say little about their *difference* (tested below)."
    )
    return {
        "table": table,
        "market_sharpe": {
            "estimate": float(market["sharpe"]),
            "ci_low": float(market["hac_low"]),
            "ci_high": float(market["hac_high"]),
            "method": "hac",
            "confidence_level": 1 - ALPHA,
            "maxlags": int(market["hac_lags"]),
            "annualised": True,
        },
        "width_ratio_to_iid": {
            "lo": [float(ratio_lo.min()), float(ratio_lo.max())],
            "hac": [float(ratio_hac.min()), float(ratio_hac.max())],
            "bootstrap": [float(ratio_boot.min()), float(ratio_boot.max())],
        },
    }


# ----------------------------------------------------------------------------- Bayesian pooling
def long_format(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Stack the industries' monthly series into rows: ``industry`` and ``y`` (value × scale)."""
    stacked = frame[list(INDUSTRIES)].mul(scale).melt(var_name="industry", value_name="y")
    return stacked.reset_index(drop=True)


def fit_varying_means(long: pd.DataFrame, effort: Effort, seed: int) -> HierarchicalRegression:
    """Fit the varying-intercept model of ``y`` by industry (normal likelihood)."""
    model = HierarchicalRegression(
        outcome="y", predictors=[], group="industry", likelihood="normal", priors=POOLING_PRIORS
    )
    model.fit(
        long,
        draws=effort.draws,
        tune=effort.tune,
        chains=2,
        cores=2,
        rng=seed,
        on_failure="warn",
        progressbar=False,
    )
    return model


def group_mean_draws(model: HierarchicalRegression) -> pd.DataFrame:
    """Posterior draws of each industry's mean, intercept + group effect: (draws, industries)."""
    post = model.idata.posterior
    mu = (post["intercept"] + post["group_effect"]).sel(group=list(INDUSTRIES))
    values = mu.stack(sample=("chain", "draw")).transpose("sample", "group").to_numpy()
    return pd.DataFrame(values, columns=list(INDUSTRIES))


def posterior_mean(model: HierarchicalRegression, name: str) -> float:
    """Posterior mean of a scalar parameter."""
    return float(model.idata.posterior[name].mean())


def hyper_summary(model: HierarchicalRegression, unit: str) -> pd.DataFrame:
    """Posterior mean and 90% HDI of the population mean, the spread of the means and sigma."""
    table = model.summary(var_names=["intercept", "group_sd", "sigma"], hdi_prob=0.9)
    return pd.DataFrame(
        {
            "parameter": ["population mean α", "spread of industry means τ", "monthly sd σ"],
            f"posterior mean ({unit})": table["mean"].to_numpy(),
            "90% HDI": interval_strings(table, "hdi_low", "hdi_high"),
        }
    )


def prior_scale(prior: Prior) -> float:
    """Return the scale parameter ``sigma`` of a normal or half-normal prior."""
    return float(prior.params["sigma"])


def student_t_location_gap(excess: pd.DataFrame) -> pd.Series:
    """Location of a Student-t fit minus the sample mean of each industry (percent per month)."""
    gaps = {}
    for name in INDUSTRIES:
        x = 100.0 * excess[name].to_numpy()
        _, location, _ = stats.t.fit(x)
        gaps[name] = float(location - x.mean())
    return pd.Series(gaps)


def posterior_probability_best(draws: pd.DataFrame) -> pd.Series:
    """Share of posterior draws in which each industry has the highest mean."""
    winners = draws.to_numpy().argmax(axis=1)
    counts = np.bincount(winners, minlength=draws.shape[1])
    return pd.Series(counts / len(draws), index=draws.columns)


def bootstrap_probability_best(excess: pd.DataFrame, n_resamples: int, seed: int) -> pd.Series:
    """Share of joint stationary-bootstrap resamples in which each industry's mean is highest.

    The 12 series are resampled together (the same blocks of months), so their correlation is
    kept.
    """

    def means(*samples: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.stack([np.mean(s, axis=axis) for s in samples])

    arrays = [excess[name].to_numpy() for name in INDUSTRIES]
    res = sc.bootstrap(
        arrays,
        means,
        n_resamples=n_resamples,
        method="percentile",
        scheme="stationary",
        paired=True,
        rng=seed,
    )
    winners = np.asarray(res.distribution).argmax(axis=0)
    counts = np.bincount(winners, minlength=len(INDUSTRIES))
    return pd.Series(counts / n_resamples, index=list(INDUSTRIES))


def shrinkage_frame(series: pd.DataFrame, draws: pd.DataFrame) -> pd.DataFrame:
    """Per industry: sample mean and SE of ``series`` beside the posterior mean and 90% interval."""
    return pd.DataFrame(
        {
            "industry": list(INDUSTRIES),
            "sample mean": series.mean().to_numpy(),
            "SE": series.std().to_numpy() / math.sqrt(len(series)),
            "posterior mean": draws.mean().to_numpy(),
            "post_low": draws.quantile(0.05).to_numpy(),
            "post_high": draws.quantile(0.95).to_numpy(),
        }
    )


def sharpe_columns(excess: pd.DataFrame, draws: pd.DataFrame, sharpe: pd.DataFrame) -> pd.DataFrame:
    """Frequentist Sharpe ratio (HAC 90% CI) beside the Bayesian one, √12·μ_j/s_j, per industry."""
    rows = []
    for name in INDUSTRIES:
        sd = 100.0 * float(excess[name].to_numpy().std(ddof=1))
        bayes_sr = SQRT_Q * draws[name].to_numpy() / sd
        hac90 = sharpe_ratio(
            excess[name], periods_per_year=PERIODS_PER_YEAR, method="hac", confidence_level=0.9
        )
        rows.append(
            {
                "sharpe": record(sharpe, "series", name)["sharpe"],
                "sharpe_low": hac90.confidence_interval.low,
                "sharpe_high": hac90.confidence_interval.high,
                "bayes_sharpe": float(bayes_sr.mean()),
                "bayes_sharpe_low": float(np.quantile(bayes_sr, 0.05)),
                "bayes_sharpe_high": float(np.quantile(bayes_sr, 0.95)),
            }
        )
    return pd.DataFrame(rows)


def plot_shrinkage(
    frame: pd.DataFrame, centre: float, xlabel: str, title: str, reference: float | None = None
) -> plt.Figure:
    """Sample means (± 1.645 SE) against posterior means with 90% intervals, per industry."""
    z = float(stats.norm.ppf(0.95))
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    y = np.arange(len(frame))[::-1].astype(float)
    ax.errorbar(
        frame["sample mean"],
        y + 0.15,
        xerr=z * frame["SE"],
        fmt="o",
        mfc="white",
        color="grey",
        capsize=2,
        label="sample mean ± 1.645 SE (no pooling)",
    )
    ax.errorbar(
        frame["posterior mean"],
        y - 0.15,
        xerr=[
            frame["posterior mean"] - frame["post_low"],
            frame["post_high"] - frame["posterior mean"],
        ],
        fmt="o",
        color="C0",
        capsize=2,
        label="posterior mean, 90% interval (partial pooling)",
    )
    ax.axvline(centre, color="C3", ls="--", lw=1, label="population mean α (posterior)")
    if reference is not None:
        ax.axvline(reference, color="grey", lw=0.8)
    ax.set_yticks(y, list(frame["industry"]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("industry")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8)
    fig.tight_layout()
    return fig


def plot_probability_best(p_boot: pd.Series, p_post: pd.Series) -> plt.Figure:
    """Bar chart: bootstrap frequency vs posterior probability of having the highest mean."""
    x = np.arange(len(INDUSTRIES))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.bar(x - 0.2, p_boot.to_numpy(), width=0.4, color="C1", label="joint block bootstrap")
    ax.bar(x + 0.2, p_post.to_numpy(), width=0.4, color="C0", label="hierarchical posterior")
    ax.axhline(1 / len(INDUSTRIES), color="grey", ls=":", label="1/12 (no information)")
    ax.set_xticks(x, list(INDUSTRIES))
    ax.set_xlabel("industry")
    ax.set_ylabel("probability of the highest mean excess return")
    ax.set_title("Which industry has the highest mean? Two answers")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def report_pooled_means(
    report: Report,
    excess: pd.DataFrame,
    sharpe: pd.DataFrame,
    effort: Effort,
    seeds: dict[str, int],
) -> dict[str, Any]:
    """Write the hierarchical model of the industry means: maths, fit, shrinkage, caveats."""
    report.step("hierarchical model of the industry means (MCMC)")
    n, k = len(excess), len(INDUSTRIES)
    gaps = student_t_location_gap(excess)
    model = fit_varying_means(long_format(excess, 100.0), effort, seeds["pooled_fit"])
    report.add_fit("hierarchical industry means", model)
    draws = group_mean_draws(model)
    p_post = posterior_probability_best(draws)
    report.step("joint bootstrap of the industry means")
    p_boot = bootstrap_probability_best(excess, effort.test_resamples, seeds["best_bootstrap"])
    table = shrinkage_frame(100.0 * excess[list(INDUSTRIES)], draws)
    table = pd.concat([table, sharpe_columns(excess, draws, sharpe)], axis=1)
    table["p_best"] = p_post.to_numpy()
    alpha_hat = posterior_mean(model, "intercept")
    tau_hat = posterior_mean(model, "group_sd")
    sigma_hat = posterior_mean(model, "sigma")
    spread_ratio = float(table["posterior mean"].std() / table["sample mean"].std())
    rho = mean_pairwise_correlation(excess[list(INDUSTRIES)])
    sds = 100.0 * excess[list(INDUSTRIES)].std()
    a_sd, s_sd, t_sd = (prior_scale(POOLING_PRIORS[p]) for p in ("intercept", "sigma", "group_sd"))
    rel_sd_error = np.sqrt((stats.kurtosis(excess[list(INDUSTRIES)]) + 2.0) / (4 * n))
    raised = table.loc[table["bayes_sharpe"] > table["sharpe"], "industry"].tolist()
    lowered = table.loc[table["bayes_sharpe"] < table["sharpe"], "industry"].tolist()

    report.section("A Bayesian hierarchical model of the industry means")
    report.text(
        "Twelve industry means estimated one at a time are noisy (their standard errors are "
        f"{fmt(table['SE'].min(), 2)} to {fmt(table['SE'].max(), 2)} % per month); a "
        "hierarchical model lets each industry borrow strength from the others. With "
        "$y_{jt}$ the excess return of industry $j$ in month $t$, in percent:"
    )
    report.math(
        r"\begin{gathered}"
        r"y_{jt} = \mu_j + \varepsilon_{jt},\quad \varepsilon_{jt} \sim \mathcal N(0, \sigma^2),"
        r"\quad \mu_j = \alpha + \tau z_j,\quad z_j \sim \mathcal N(0, 1),\\"
        rf"\alpha \sim \mathcal N(0, {a_sd:g}^2),\quad \sigma \sim \mathcal N^+(0, {s_sd:g}^2),"
        rf"\quad \tau \sim \mathcal N^+(0, {t_sd:g}^2)"
        r"\end{gathered}"
    )
    report.text(
        'fitted with `HierarchicalRegression(outcome="y", predictors=[], group="industry", '
        f'likelihood="normal")` on the {k} × {fmt(n)} = {fmt(k * n)} rows. Given $\\alpha$, '
        "$\\tau$ and $\\sigma$, each posterior mean is a precision-weighted average of the "
        "industry's own sample mean and the population mean,"
    )
    report.math(
        r"\mathrm E[\mu_j \mid y] \approx w\,\bar y_j + (1 - w)\,\alpha,\qquad "
        r"w = \frac{\tau^2}{\tau^2 + \sigma^2 / n},"
    )
    report.text(
        "so the less the industries' means really differ ($\\tau$ small) relative to the "
        "noise in each ($\\sigma/\\sqrt n$), the more they are pulled together. The priors are "
        f"weakly informative on this scale (95% prior probability): a population mean within "
        f"±{2 * a_sd:g} % per month, a monthly volatility below {2 * s_sd:g} %, and industry "
        f"means that typically differ by less than {2 * t_sd:g} % per month ({24 * t_sd:g} % "
        "per year). A Bayesian Sharpe ratio per industry is the posterior of "
        "$\\sqrt{12}\\,\\mu_j / s_j$ with the sample standard deviation $s_j$ held fixed (its "
        "relative standard error, $\\sqrt{(\\hat\\gamma_4 - 1)/(4n)}$, is "
        f"{fmt(100 * rel_sd_error.min(), 2)}–{fmt(100 * rel_sd_error.max(), 2)} %, small next "
        "to the uncertainty of the mean, and is ignored)."
    )
    direction = "above" if gaps.mean() > 0 else "below"
    report.text(
        "**Why a normal likelihood, although the returns are fat-tailed.** The Sharpe ratio "
        "needs the *mean*. A Student-t likelihood would estimate the centre of a symmetric "
        "heavy-tailed fit instead, which differs from the mean when returns are skewed: a "
        f"Student-t fit to each industry puts its centre on average {fmt(abs(gaps.mean()), 2)} "
        f"% per month {direction} the sample mean (from {fmt(gaps.min(), 2)} to "
        f"{fmt(gaps.max(), 2)}), i.e. {fmt(12 * abs(gaps.mean()), 2)} % per year — a sizeable "
        f"share of premia of {fmt(12 * table['sample mean'].min(), 2)}–"
        f"{fmt(12 * table['sample mean'].max(), 2)} % per year. With {fmt(n)} months per "
        "industry, the central limit theorem makes the normal likelihood adequate *for the "
        "mean* even though single months are not normal."
    )
    report.table(
        hyper_summary(model, "%/month"),
        caption="Population-level parameters of the pooled model (percent per month)",
    )
    shown = pd.DataFrame(
        {
            "industry": table["industry"],
            "sample mean (%/mo)": table["sample mean"],
            "posterior mean (%/mo)": table["posterior mean"],
            "90% interval": interval_strings(table, "post_low", "post_high"),
            "Sharpe (freq.)": table["sharpe"],
            "HAC 90% CI": interval_strings(table, "sharpe_low", "sharpe_high"),
            "Sharpe (Bayes)": table["bayes_sharpe"],
            "Bayes 90% interval": interval_strings(table, "bayes_sharpe_low", "bayes_sharpe_high"),
            "P(highest mean)": table["p_best"],
        }
    )
    report.table(
        shown,
        caption="Industry means (no pooling vs partial pooling) and annualised Sharpe ratios "
        "(frequentist with HAC 90% CI; Bayesian = posterior of √12·μ_j/s_j, equal-tailed 90%)",
    )
    noise = sigma_hat / math.sqrt(n)
    report.text(
        f"The industries' true means differ {'less' if tau_hat < noise else 'more'} than the "
        f"noise in their sample means: their spread is estimated at τ ≈ {fmt(tau_hat, 2)} % "
        f"per month against a noise of σ/√n ≈ {fmt(noise, 2)} % in each sample mean, so the "
        f"posterior means are pulled {'most' if spread_ratio < 0.5 else 'part'} of the way to "
        f"the population mean α ≈ {fmt(alpha_hat, 3)} %: "
        f"their spread across industries is {fmt(spread_ratio, 2)} times that of the sample "
        f"means. The model pools *means*, not Sharpe ratios, so it moves each Sharpe ratio "
        f"toward √12·α/s_j, which rewards low volatility: the Bayesian Sharpe ratio is above "
        f"the sample one for {', '.join(raised) or 'no industry'} and below it for "
        f"{', '.join(lowered) or 'no industry'}. Whether equal means (rather than equal "
        "Sharpe ratios) is the right prior is a substantive assumption; the comparison with "
        "the market below therefore pools Sharpe-ratio differences directly."
    )
    report.figure(
        plot_shrinkage(
            table,
            alpha_hat,
            "mean excess return (% per month)",
            "Partial pooling of the 12 industry means, 1949–2017",
        ),
        "shrinkage",
        "Each industry's sample mean excess return (grey, ± 1.645 SE) and its posterior mean "
        "with a 90% interval (blue); the dashed line is the posterior mean of α.",
    )
    best_post, best_boot = str(p_post.idxmax()), str(p_boot.idxmax())
    report.text(
        f"Which industry has the highest mean? The posterior probability is largest for "
        f"{best_post} ({fmt(p_post.max(), 2)}); resampling the 12 series jointly in blocks "
        f"of months makes {best_boot} the best in {fmt(p_boot.max(), 2)} of the resamples "
        f"(1/12 = {fmt(1 / 12, 2)} would mean no information). "
        + (
            "The bootstrap ranks the *sample* means, which are not shrunk, so it is more "
            "confident than the posterior."
            if p_boot.max() > p_post.max()
            else "Here the posterior is the more confident of the two."
        )
    )
    report.figure(
        plot_probability_best(p_boot, p_post),
        "probability_best",
        "Probability that each industry has the highest mean excess return: share of joint "
        "block-bootstrap resamples (orange) and of posterior draws (blue).",
    )
    report.text(
        "**Caveats: the model treats the 12 industries' months as independent; they are "
        f"not.** The average correlation between two industries is {fmt(rho, 2)}. The "
        "common market factor has two effects. (1) The twelve series carry much less "
        "information about the *common level* α than 12 × n independent months would: "
        f"under equal correlation the variance of their average is (1 + {k - 1}ρ̄) = "
        f"{fmt(1 + (k - 1) * rho, 3)} times what the model assumes, so the interval for α — "
        "and the part of each μ_j borrowed from it — is about "
        f"{fmt(math.sqrt(1 + (k - 1) * rho), 2)} times too narrow. (2) The *differences* "
        "between industries are measured more precisely than the model thinks, because the "
        f"common shock cancels in a difference: their noise variance is (1 − ρ̄) = "
        f"{fmt(1 - rho, 2)} of the model's, so the model mistakes real differences for noise "
        "and shrinks too much. The second problem is the common σ: the industries' monthly "
        f"sds run from {fmt(sds.min(), 3)} to {fmt(sds.max(), 3)} % against σ ≈ "
        f"{fmt(sigma_hat, 3)} %, so the interval of the most volatile industry is "
        f"{fmt(sds.max() / sigma_hat, 2)} times too narrow and that of the calmest "
        f"{fmt(sigma_hat / sds.min(), 2)} times too wide. The Sharpe-ratio comparison with the "
        "market below works with series from which the common factor is largely removed."
    )
    return {
        "table": table,
        "p_best_posterior": p_post,
        "p_best_bootstrap": p_boot,
        "alpha": alpha_hat,
        "tau": tau_hat,
        "sigma": sigma_hat,
        "spread_ratio": spread_ratio,
        "t_location_gap_mean": float(gaps.mean()),
        "mean_correlation": rho,
    }


def sharpe_difference_series(excess: pd.DataFrame) -> pd.DataFrame:
    """Monthly series √12·(x_j/s_j − m/s_m), whose mean is SR_j − SR_m (annual), per industry."""
    scaled = excess[list(INDUSTRIES)] / excess[list(INDUSTRIES)].std()
    return SQRT_Q * scaled.sub(excess[MARKET] / excess[MARKET].std(), axis=0)


def pool_sharpe_differences(
    report: Report, excess: pd.DataFrame, effort: Effort, seed: int
) -> dict[str, Any]:
    """Write the Bayesian comparison with the market: a hierarchical model of SR_j − SR_m."""
    report.step("hierarchical model of the Sharpe-ratio differences (MCMC)")
    series = sharpe_difference_series(excess)
    model = fit_varying_means(long_format(series, 1.0), effort, seed)
    report.add_fit("hierarchical Sharpe differences", model)
    draws = group_mean_draws(model)
    table = shrinkage_frame(series, draws)
    table["P(SR > market SR)"] = (draws > 0).mean().to_numpy()
    rho = mean_pairwise_correlation(series)
    sds = series.std()
    sigma_hat = posterior_mean(model, "sigma")
    alpha_hat = posterior_mean(model, "intercept")
    tau_hat = posterior_mean(model, "group_sd")
    n_likely = int((table["P(SR > market SR)"] > 1 - ALPHA).sum())
    typical_se = float(table["SE"].median())
    rho_raw = mean_pairwise_correlation(excess[list(INDUSTRIES)])
    top = table.sort_values("P(SR > market SR)").iloc[-1]
    report.section("The Bayesian view: pooling the Sharpe-ratio differences", level=3)
    report.text(
        "The Bayesian analogue of these tests pools what is being compared. For each "
        "industry, the monthly series"
    )
    report.math(
        r"d_{jt} = \sqrt{12}\left(\frac{x_{jt}}{s_j} - \frac{m_t}{s_m}\right),\qquad "
        r"\bar d_j = \sqrt{12}\left(\frac{\bar x_j}{s_j} - \frac{\bar m}{s_m}\right) = "
        r"\widehat{SR}_j - \widehat{SR}_m"
    )
    report.text(
        "has mean equal to the difference of annual Sharpe ratios (with the sds held fixed), "
        "and the same hierarchical model, $d_{jt} = \\delta_j + \\varepsilon_{jt}$, "
        "$\\delta_j = \\alpha + \\tau z_j$, with the same priors (now in annual Sharpe-ratio "
        "units), shrinks the twelve differences toward a common one. The market component "
        f"{'largely' if rho < 0.2 else 'only partly'} cancels: two such series correlate by "
        f"{fmt(rho, 2)} on average (against {fmt(rho_raw, 2)} for the raw returns), so the "
        f"independence assumption of the model is {'nearly' if rho < 0.2 else 'not'} right "
        "here. The common σ is a rougher approximation: the series' sds run from "
        f"{fmt(sds.min(), 3)} to {fmt(sds.max(), 3)} against σ ≈ {fmt(sigma_hat, 3)}, "
        "because industries that move closely with the market have small differences."
    )
    report.table(
        pd.DataFrame(
            {
                "industry": table["industry"],
                "sample SR − SR_market": table["sample mean"],
                "posterior mean": table["posterior mean"],
                "90% interval": interval_strings(table, "post_low", "post_high"),
                "P(SR > market SR)": table["P(SR > market SR)"],
            }
        ),
        caption="Hierarchical model of the annual Sharpe-ratio differences from the market",
    )
    top_text = f"{top['industry']}'s ({fmt(top['P(SR > market SR)'], 2)})"
    sign_note = (
        "negative, as diversification leads one to expect: the market holds every industry "
        "and sheds part of their industry-specific risk"
        if alpha_hat < 0
        else "positive, although the market holds every industry and sheds part of their "
        "industry-specific risk"
    )
    report.text(
        f"The population difference is α ≈ {fmt(alpha_hat, 2)} per year ({sign_note}); "
        "the spread of "
        f"true differences τ ≈ {fmt(tau_hat, 2)}, "
        f"{'smaller' if tau_hat < typical_se else 'larger'} than the typical standard error "
        f"of one industry's difference ({fmt(typical_se, 2)}). {n_likely} of the "
        f"{len(INDUSTRIES)} industries have a posterior probability above {1 - ALPHA:g} of "
        f"a higher Sharpe ratio than the market; the highest is {top_text}."
    )
    report.figure(
        plot_shrinkage(
            table,
            alpha_hat,
            "annual Sharpe ratio minus the market's",
            "Partial pooling of the Sharpe-ratio differences from the market",
            reference=0.0,
        ),
        "sharpe_difference_shrinkage",
        "Each industry's sample Sharpe-ratio difference from the market (grey, ± 1.645 SE "
        "with fixed sds) and its posterior mean with a 90% interval (blue); the dashed line is "
        "the posterior mean of α, the solid grey line zero.",
    )
    return {
        "table": table,
        "alpha": alpha_hat,
        "tau": tau_hat,
        "sigma": sigma_hat,
        "mean_correlation": rho,
        "n_prob_above_95": n_likely,
    }


# ----------------------------------------------------------------------------- market, Bayes
def market_ar1_frame(excess: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Market excess return (%) with its lag centred at the lag's mean; returns that mean too."""
    m = 100.0 * excess[MARKET].to_numpy()
    lag_mean = float(m[:-1].mean())
    frame = pd.DataFrame({"market_pct": m[1:], "lag_centred": m[:-1] - lag_mean})
    return frame, lag_mean


def fit_market_mean(
    excess: pd.DataFrame, effort: Effort, seed: int
) -> tuple[LinearRegression, np.ndarray]:
    r"""Fit the AR(1) mean model of the market; return it and the posterior annual Sharpe draws.

    With :math:`m_t = \alpha + \phi (m_{t-1} - \bar m) + \varepsilon_t`, the unconditional
    mean is :math:`\mu = (\alpha - \phi\bar m)/(1 - \phi)` and the unconditional sd
    :math:`\sigma/\sqrt{1-\phi^2}`, so the Sharpe ratio accounts for the autocorrelation.
    """
    frame, lag_mean = market_ar1_frame(excess)
    model = LinearRegression(
        outcome="market_pct", predictors=["lag_centred"], likelihood="normal", priors=MARKET_PRIORS
    )
    model.fit(
        frame,
        draws=effort.draws,
        tune=effort.tune,
        chains=2,
        cores=2,
        rng=seed,
        on_failure="warn",
        progressbar=False,
    )
    post = model.idata.posterior
    alpha = post["intercept"].to_numpy().ravel()
    phi = post["beta"].sel(predictor="lag_centred").to_numpy().ravel()
    sigma = post["sigma"].to_numpy().ravel()
    mu = (alpha - phi * lag_mean) / (1.0 - phi)
    sd = sigma / np.sqrt(1.0 - phi**2)
    return model, SQRT_Q * mu / sd


def report_market_bayes(
    report: Report, excess: pd.DataFrame, effort: Effort, seed: int
) -> dict[str, Any]:
    """Write the Bayesian market-Sharpe subsection."""
    report.step("Bayesian AR(1) model of the market's mean (MCMC)")
    model, sharpe_draws = fit_market_mean(excess, effort, seed)
    report.add_fit("market AR(1) mean", model)
    phi = model.idata.posterior["beta"].to_numpy().ravel()
    low, high = np.quantile(sharpe_draws, [0.05, 0.95])
    prob = float((sharpe_draws > 0).mean())
    report.section("The market's Sharpe ratio, the Bayesian way", level=3)
    report.text(
        "The market is not one of the pooled industries, so it gets its own model: an AR(1) "
        "in the mean, fitted as a `LinearRegression` on the lagged return centred at its mean "
        "$\\bar m$,"
    )
    report.math(
        r"m_t = \alpha + \phi\,(m_{t-1} - \bar m) + \varepsilon_t,\quad "
        r"\varepsilon_t \sim \mathcal N(0, \sigma^2),\qquad "
        r"SR = \sqrt{12}\,\frac{(\alpha - \phi\bar m)/(1-\phi)}{\sigma/\sqrt{1-\phi^2}},"
    )
    report.text(
        f"with priors α ~ N(0, {prior_scale(MARKET_PRIORS['intercept']):g}²), φ ~ N(0, "
        f"{prior_scale(MARKET_PRIORS['beta']):g}²), σ ~ N⁺(0, "
        f"{prior_scale(MARKET_PRIORS['sigma']):g}²) (percent per month). "
        "The unconditional mean and sd are computed per posterior draw, so the persistence of "
        f"returns (posterior mean φ = {fmt(float(phi.mean()), 2)}) widens the Sharpe ratio's "
        f"posterior as it should. Posterior mean Sharpe ratio {fmt(float(sharpe_draws.mean()))}, "
        f"90% interval {fmt_ci((low, high))}; P(SR > 0) "
        f"{fmt_probability(prob, sharpe_draws.size)}."
    )
    return {
        "posterior_mean": float(sharpe_draws.mean()),
        "interval_90": [float(low), float(high)],
        "prob_positive": prob,
        "n_draws": int(sharpe_draws.size),
        "phi": float(phi.mean()),
    }


# ----------------------------------------------------------------------------- vs the market
def test_against_market(excess: pd.DataFrame, n_resamples: int, seed: int) -> pd.DataFrame:
    """Ledoit–Wolf test of each industry's Sharpe ratio against the market's, Holm and BH."""
    rows = []
    for k, name in enumerate(INDUSTRIES):
        res = sharpe_difference_test(
            excess[name],
            excess[MARKET],
            n_resamples=n_resamples,
            rng=np.random.default_rng((seed, k)),
        )
        difference, low, high = annual_difference(res)
        rows.append(
            {
                "industry": name,
                "difference": difference,
                "ci_low": low,
                "ci_high": high,
                "block_length": res.details["block_length"],
                "p_raw": res.pvalue,
            }
        )
    table = pd.DataFrame(rows)
    table["p_holm"] = sc.adjust_pvalues(table["p_raw"].to_numpy(), "holm")
    table["p_bh"] = sc.adjust_pvalues(table["p_raw"].to_numpy(), "BH")
    columns = ("difference", "p_raw", "p_holm", "p_bh")
    table["verdict"] = [verdict(*row) for row in table[list(columns)].to_numpy().tolist()]
    return table


def verdict(difference: float, p_raw: float, p_holm: float, p_bh: float) -> str:
    """Word the outcome of one test at level ALPHA after each adjustment."""
    side = "beats" if difference > 0 else "trails"
    if p_holm < ALPHA:
        return f"{side} the market (Holm and BH)"
    if p_bh < ALPHA:
        return f"{side} the market (BH only)"
    if p_raw < ALPHA:
        return f"{side} the market unadjusted only"
    return "no detectable difference"


def report_tests(report: Report, excess: pd.DataFrame, effort: Effort, seed: int) -> pd.DataFrame:
    """Write the section testing each industry against the market."""
    report.step("Ledoit–Wolf tests against the market, Holm and BH")
    table = test_against_market(excess, effort.test_resamples, seed)
    report.section("Which industries beat the market?")
    report.text(
        "For each industry $j$ we test $H_0: SR_j = SR_m$ with Ledoit & Wolf's (2008) "
        "studentized circular block bootstrap (`sharpe_difference_test`): the difference "
        "$\\hat\\Delta = \\widehat{SR}_j - \\widehat{SR}_m$ is studentized by a HAC standard "
        "error computed from $(x_j, x_m, x_j^2, x_m^2)$, so the correlation of the two "
        "series, their fat tails and their serial dependence are all allowed for; the "
        f"p-value compares $|\\hat\\Delta|/s$ with {fmt(effort.test_resamples)} bootstrap "
        "replicates of $|\\Delta^* - \\hat\\Delta|/s^*$. Twelve tests are run, so the "
        "p-values are adjusted: Holm controls the chance of *any* false claim (family-wise "
        "error), Benjamini–Hochberg the expected *share* of false claims among the claims "
        "made (false discovery rate; valid here under positive dependence)."
    )
    shown = pd.DataFrame(
        {
            "industry": table["industry"],
            "SR − SR_market (annual)": table["difference"],
            "95% CI": interval_strings(table, "ci_low", "ci_high"),
            "block": table["block_length"],
            "p (raw)": [fmt_p(p) for p in table["p_raw"]],
            "p (Holm)": [fmt_p(p) for p in table["p_holm"]],
            "p (BH)": [fmt_p(p) for p in table["p_bh"]],
            "verdict (5%)": table["verdict"],
        }
    )
    report.table(shown, caption="Each industry's Sharpe ratio against the market's")
    raw = table.loc[table["p_raw"] < ALPHA]
    n_holm = int((table["p_holm"] < ALPHA).sum())
    n_bh = int((table["p_bh"] < ALPHA).sum())
    n_better = int((table["difference"] > 0).sum())
    if raw.empty:
        raw_text = "No industry's Sharpe ratio differs from the market's at the 5% level even "
        raw_text += "before adjustment."
    else:
        listed = ", ".join(
            f"{name} ({'above' if difference > 0 else 'below'}, {p_is(p)})"
            for name, difference, p in zip(
                raw["industry"], raw["difference"].to_numpy(), raw["p_raw"].to_numpy(), strict=True
            )
        )
        verb = "differs" if len(raw) == 1 else "differ"
        raw_text = f"Before adjustment {len(raw)} {verb} at the 5% level: {listed}."
    report.text(
        f"{n_better} of the 12 industries have a higher sample Sharpe ratio than the market. "
        f"{raw_text} After adjustment, {n_holm} difference{'s' if n_holm != 1 else ''} "
        f"survive{'s' if n_holm == 1 else ''} Holm and {n_bh} survive{'s' if n_bh == 1 else ''} "
        f"BH. {'No industry has' if n_holm == 0 else 'Some industries have'} a Sharpe ratio "
        "demonstrably different from the market's once twelve tests are accounted for."
    )
    return table


# ----------------------------------------------------------------------------- selection
def trailing_best(frame: pd.DataFrame) -> str:
    """Return the industry with the highest Sharpe ratio in ``frame``."""
    srs = frame[list(INDUSTRIES)].mean() / frame[list(INDUSTRIES)].std()
    return str(srs.idxmax())


def walk_forward_strategy(excess: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each year hold the industry with the best Sharpe ratio over the previous ~10 years.

    Returns the strategy's out-of-sample excess returns and the industry held each month. The
    first training window is lengthened by a few months so that the test windows end exactly
    at the last month.
    """
    n = len(excess)
    n_splits = (n - TRAIN_MONTHS) // HOLD_MONTHS
    splitter = sc.WalkForward(
        train_size=n - n_splits * HOLD_MONTHS, test_size=HOLD_MONTHS, expanding=False
    )
    returns, held = [], []
    for train, test in splitter.split(excess):
        pick = trailing_best(excess.iloc[train])
        window = excess.iloc[test]
        returns.append(window[pick])
        held.append(pd.Series(pick, index=window.index))
    return pd.concat(returns).rename("strategy"), pd.concat(held).rename("held")


def oos_comparison(
    strategy: pd.Series, benchmark: pd.Series, n_resamples: int, seed: int
) -> dict[str, Any]:
    """HAC Sharpe ratios of a strategy and a benchmark over the same months, and their test."""
    s = sharpe_ratio(strategy, periods_per_year=PERIODS_PER_YEAR, method="hac")
    b = sharpe_ratio(benchmark, periods_per_year=PERIODS_PER_YEAR, method="hac")
    diff = sharpe_difference_test(
        strategy.to_numpy(), benchmark.to_numpy(), n_resamples=n_resamples, rng=seed
    )
    difference, low, high = annual_difference(diff)
    return {
        "sharpe": s.estimate,
        "ci": [s.confidence_interval.low, s.confidence_interval.high],
        "benchmark_sharpe": b.estimate,
        "benchmark_ci": [b.confidence_interval.low, b.confidence_interval.high],
        "difference": difference,
        "difference_ci": [low, high],
        "pvalue": diff.pvalue,
    }


def half_split(excess: pd.DataFrame, n_resamples: int, seed: int) -> dict[str, Any]:
    """Choose the best industry on the first half, evaluate it on the second."""
    half = len(excess) // 2
    first, second = excess.iloc[:half], excess.iloc[half:]
    pick = trailing_best(first)
    sr_first = SQRT_Q * float(first[pick].mean() / first[pick].std())
    second_srs = second[list(INDUSTRIES)].mean() / second[list(INDUSTRIES)].std()
    rank = int((second_srs > second_srs[pick]).sum()) + 1
    out = oos_comparison(second[pick], second[MARKET], n_resamples, seed)
    out.update(
        pick=pick,
        in_sample_sharpe=sr_first,
        oos_rank=rank,
        first_period=[str(first.index[0].date()), str(first.index[-1].date())],
        second_period=[str(second.index[0].date()), str(second.index[-1].date())],
    )
    return out


def plot_walk_forward(strategy: pd.Series, market: pd.Series, equal: pd.Series) -> plt.Figure:
    """Growth of one dollar of excess return: walk-forward winner, market, equal weight."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for series, label, colour in (
        (strategy, "hold last decade's best-Sharpe industry", "C0"),
        (market, "market", "darkgoldenrod"),
        (equal, "equal weight of the 12 industries", "C2"),
    ):
        ax.plot(series.index, (1.0 + series).cumprod(), label=label, color=colour)
    ax.set_yscale("log")
    ax.set_xlabel("month")
    ax.set_ylabel("growth of $1 in excess of T-bills (log scale)")
    ax.set_title("Out of sample: picking last decade's winner, held one year at a time")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def report_selection(
    report: Report, excess: pd.DataFrame, effort: Effort, seed: int
) -> dict[str, Any]:
    """Write the section on the best industry chosen after the fact."""
    report.step("deflated Sharpe ratio, walk-forward and half/half split")
    srs = excess[list(INDUSTRIES)].mean() / excess[list(INDUSTRIES)].std()
    best = str(srs.idxmax())
    n = len(excess)
    n_positive = sum(
        sharpe_ratio(excess[name], method="hac").confidence_interval.low > 0 for name in INDUSTRIES
    )
    dsr = deflated_sharpe_ratio(excess[best], n_trials=len(INDUSTRIES), trials_sharpe_variance=srs)
    sr0 = float(dsr.details["expected_max_sharpe"])
    v = float(dsr.details["trials_sharpe_variance"])
    relative = deflated_sharpe_ratio(
        excess[best],
        n_trials=len(INDUSTRIES),
        trials_sharpe_variance=srs,
        trials_sharpe_mean=float(srs.mean()),
    )
    strategy, held = walk_forward_strategy(excess)
    months = strategy.index
    wf = oos_comparison(strategy, excess.loc[months, MARKET], effort.test_resamples, seed)
    equal = excess.loc[months, list(INDUSTRIES)].mean(axis=1)
    equal_sr = sharpe_ratio(equal, periods_per_year=PERIODS_PER_YEAR, method="hac")
    counts = held.value_counts()
    n_switches = int((held != held.shift()).sum() - 1)
    split = half_split(excess, effort.test_resamples, seed + 1)

    report.section("The best industry, chosen after the fact")
    report.text(
        f"In sample, {best} has the highest Sharpe ratio ({fmt(SQRT_Q * srs[best])} per "
        f"year). But it was picked as the best of 12, and the best of 12 noisy estimates is "
        "biased upward. Bailey & López de Prado's deflated Sharpe ratio (DSR) asks whether "
        "it beats the Sharpe ratio we would expect from the best of $N$ trials *with no "
        "skill*, given the variance $V$ of the trials' (per-month) Sharpe ratios:"
    )
    report.math(
        r"SR_0 = \sqrt V\left((1-\gamma)\,\Phi^{-1}\!\left(1-\tfrac1N\right) + "
        r"\gamma\,\Phi^{-1}\!\left(1-\tfrac1{Ne}\right)\right),\qquad "
        r"DSR = \Phi\!\left(\frac{(\widehat{SR} - SR_0)\sqrt{n-1}}"
        r"{\sqrt{1 - \hat\gamma_3\widehat{SR} + \frac{\hat\gamma_4-1}{4}\widehat{SR}^2}}\right)"
    )
    report.text(
        f"With N = {len(INDUSTRIES)} and V = {fmt(v)} (the variance of the 12 monthly Sharpe "
        f"ratios), SR₀ = {fmt(sr0)} per month ({fmt(SQRT_Q * sr0)} per year) and "
        f"DSR = {fmt(dsr.details['probability'], 4)}: {best}'s Sharpe ratio is "
        f"{'almost certainly' if dsr.details['probability'] > 0.99 else 'not clearly'} above "
        "what the luckiest of 12 skill-less strategies would show. That answers a question "
        "nobody asked here, though: the DSR's null is a Sharpe ratio of *zero*, while "
        f"{n_positive} of the {len(INDUSTRIES)} industries have a HAC interval above 0. The "
        "relevant null is that all 12 "
        "industries have the *same* Sharpe ratio, so that the best one is merely the luckiest. "
        f"Its expected value is the industries' average ({fmt(SQRT_Q * srs.mean())} per year) "
        f"plus SR₀ (`deflated_sharpe_ratio(..., trials_sharpe_mean=...)`), and the DSR of "
        f"{best} against that benchmark is "
        f"{fmt(relative.details['probability'], 3)} — "
        f"{'no evidence' if relative.details['probability'] < 1 - ALPHA else 'evidence'} that "
        f"{best} is better than the luckiest of twelve equals. Note also that V = {fmt(v)} is "
        f"{fmt(v * (n - 1), 2)} times the sampling variance 1/(n − 1) = {fmt(1 / (n - 1))} "
        "of one Sharpe ratio: the industries' Sharpe ratios are "
        f"{'*less*' if v * (n - 1) < 1 else '*more*'} dispersed than independent noise would "
        "make them, and with a common factor much of that noise is shared. "
        "The trials are correlated, so 12 overstates the number of independent trials, which "
        "makes SR₀ (and this check) conservative."
    )
    report.text(
        f"**Walk-forward.** The honest test of a selection rule is to apply it before the "
        f"fact. `sc.WalkForward` rolls a window of about {TRAIN_MONTHS // 12} years "
        f"(first window {n - len(strategy)} months, so that the test windows end at the last "
        f"month): at each step the industry with the best trailing Sharpe ratio is held for "
        f"the next {HOLD_MONTHS} months. Over {fmt(len(strategy))} out-of-sample months "
        f"({months[0]:%Y-%m} to {months[-1]:%Y-%m}) the rule switched industry {n_switches} "
        f"times and held {counts.index[0]} most often ({fmt(counts.iloc[0] / len(held), 2)} of "
        f"the months). Its Sharpe ratio was {fmt(wf['sharpe'])} (HAC 95% CI "
        f"{fmt_ci(wf['ci'])}), against {fmt(wf['benchmark_sharpe'])} "
        f"({fmt_ci(wf['benchmark_ci'])}) for the market and {fmt(equal_sr.estimate)} for an "
        f"equal-weighted portfolio of the 12 industries over the same months. The "
        f"Ledoit–Wolf difference from the market is {fmt(wf['difference'])} per year "
        f"(95% CI {fmt_ci(wf['difference_ci'])}, {p_is(wf['pvalue'])})."
    )
    report.figure(
        plot_walk_forward(strategy, excess.loc[months, MARKET], equal),
        "walk_forward",
        "Growth of $1 of excess return (log scale), out of sample: the walk-forward winner "
        "rule, the market and an equal-weighted portfolio of the 12 industries.",
    )
    report.text(
        f"**Half/half split.** Choosing on {split['first_period'][0][:7]} to "
        f"{split['first_period'][1][:7]} picks {split['pick']} (Sharpe ratio "
        f"{fmt(split['in_sample_sharpe'])} there). Over {split['second_period'][0][:7]} to "
        f"{split['second_period'][1][:7]} its Sharpe ratio is {fmt(split['sharpe'])} (HAC 95% "
        f"CI {fmt_ci(split['ci'])}), rank {split['oos_rank']} of 12, against "
        f"{fmt(split['benchmark_sharpe'])} for the market (difference {fmt(split['difference'])}"
        f", {p_is(split['pvalue'])})."
    )
    return {
        "best_in_sample": best,
        "best_sharpe": float(SQRT_Q * srs[best]),
        "dsr": {
            "probability": float(dsr.details["probability"]),
            "expected_max_sharpe_per_month": sr0,
            "expected_max_sharpe_annual": SQRT_Q * sr0,
            "trials_sharpe_variance": v,
            "n_trials": len(INDUSTRIES),
            "psr_vs_luckiest_equal": float(relative.details["probability"]),
        },
        "walk_forward": {
            **wf,
            "n_months": len(strategy),
            "start": str(months[0].date()),
            "end": str(months[-1].date()),
            "n_switches": n_switches,
            "most_held": str(counts.index[0]),
            "equal_weight_sharpe": equal_sr.estimate,
            "train_months": TRAIN_MONTHS,
            "hold_months": HOLD_MONTHS,
        },
        "half_split": split,
    }


# ----------------------------------------------------------------------------- conclusions
def best_mean_test(excess: pd.DataFrame) -> dict[str, Any]:
    """HAC t-test of the highest-mean industry against the runner-up (paired difference)."""
    means = excess[list(INDUSTRIES)].mean().sort_values(ascending=False)
    first, second = str(means.index[0]), str(means.index[1])
    diff = (excess[first] - excess[second]).mul(100.0).rename("difference")
    fit = sc.ols(
        pd.DataFrame({"mean": np.ones(len(diff))}, index=diff.index),
        diff,
        add_intercept=False,
        cov_type="HAC",
    )
    row = record(fit.coefficients.reset_index(), "term", "mean")
    return {
        "best": first,
        "runner_up": second,
        "difference": float(row["estimate"]),
        "pvalue": float(row["pvalue"]),
    }


def report_conclusions(report: Report, res: dict[str, Any]) -> list[dict[str, str]]:
    """Write 'What we learned' and return the rows of the 'Two views' table."""
    market = res["market_sharpe"]
    bayes_market = res["market_bayes"]
    tests = res["tests"]
    pooling = res["pooling"]
    differences = res["differences"]
    selection = res["selection"]
    best_mean = res["best_mean"]
    wf, split, dsr = selection["walk_forward"], selection["half_split"], selection["dsr"]
    n_tests = len(tests)
    n_holm = int((tests["p_holm"] < ALPHA).sum())
    n_bh = int((tests["p_bh"] < ALPHA).sum())
    smallest = tests.sort_values("p_raw").iloc[0].to_dict()
    p_post, p_boot = pooling["p_best_posterior"], pooling["p_best_bootstrap"]
    ranked = p_post.sort_values(ascending=False)
    best = selection["best_in_sample"]
    pooled_best = record(pooling["table"], "industry", best)
    difference_best = record(differences["table"], "industry", best)
    n_likely = differences["n_prob_above_95"]
    top = differences["table"].sort_values("P(SR > market SR)").iloc[-1].to_dict()
    wf_side = "beat" if wf["difference"] > 0 else "trailed"
    oos_significant = [p < ALPHA for p in (wf["pvalue"], split["pvalue"])]
    oos_verdict = (
        "neither way of choosing beat the market significantly"
        if not any(oos_significant)
        else "at least one way of choosing differs significantly from the market"
    )
    report.section("What we learned")
    report.bullets(
        [
            f"Equities paid for their risk: the market's Sharpe ratio over "
            f"{res['data']['start'][:4]}–{res['data']['end'][:4]} is {fmt(market['estimate'])} "
            f"per year (HAC 95% CI {fmt_ci((market['ci_low'], market['ci_high']))}, which "
            f"{excludes_zero(market['ci_low'], market['ci_high'])}). The four interval methods "
            "nearly agree: over "
            f"{fmt(res['data']['n_months'] / 12, 3)} years of monthly data, fat tails and weak "
            "autocorrelation move the intervals by little.",
            f"After Holm, {n_holm} of {n_tests} industries have a Sharpe ratio demonstrably "
            f"different from the market's ({n_bh} after BH). The smallest raw "
            f"p-value belongs to {smallest['industry']}, whose Sharpe ratio is "
            f"{'above' if smallest['difference'] > 0 else 'below'} the market's by "
            f"{fmt(abs(smallest['difference']))} (raw {p_is(smallest['p_raw'])}, Holm "
            f"{fmt_p(smallest['p_holm'])}).",
            f"Partial pooling agrees. The industry means differ by about τ ≈ "
            f"{fmt(pooling['tau'], 2)} % per month, less than the noise in one industry's "
            f"sample mean (≈ {fmt(pooling['sigma'] / math.sqrt(res['data']['n_months']), 2)} "
            "%), so the posterior means are pulled close together; pooled Sharpe-ratio "
            f"differences from the market centre on {fmt(differences['alpha'], 2)} per year, and "
            f"{n_likely} industr{'y has' if n_likely == 1 else 'ies have'} a posterior "
            f"probability above {1 - ALPHA:g} of beating the market (highest: "
            f"{top['industry']}, {fmt(top['P(SR > market SR)'], 2)}).",
            f"The in-sample winner ({best}, Sharpe ratio {fmt(selection['best_sharpe'])}) "
            f"{'looks like' if dsr['psr_vs_luckiest_equal'] < 1 - ALPHA else 'beats'} the "
            f"luckiest of 12 equal industries (DSR against that benchmark "
            f"{fmt(dsr['psr_vs_luckiest_equal'], 3)}); pooling lowers its Sharpe ratio to "
            f"{fmt(pooled_best['bayes_sharpe'])}. Out of sample, {oos_verdict}: "
            f"chosen on the first half, the first-half winner ({split['pick']}) ranked "
            f"{split['oos_rank']} of 12 in the second half (difference from the market "
            f"{fmt(split['difference'])}, {p_is(split['pvalue'])}), and holding last "
            f"decade's winner each year {wf_side} the market by {fmt(abs(wf['difference']))} "
            f"in Sharpe ratio ({p_is(wf['pvalue'])}).",
        ]
    )
    report.text(
        "**Caveats.** Sharpe ratios annualised by √12 assume uncorrelated months (nearly true "
        "here). The 1949–2017 sample is one path of a changing economy: industry definitions, "
        "their weights in the market and their risks changed over the period, so a "
        "constant-mean model is a simplification. Excess returns are gross of trading costs "
        "and taxes, which the yearly switching of the walk-forward rule would pay. The "
        "Bayesian models treat months of different industries as independent (nearly true "
        "only for the Sharpe-difference model), use one volatility for all industries, and "
        "hold the sample sds fixed in the Sharpe ratios; the market model is an AR(1) with "
        "constant volatility."
    )
    ci_text = excludes_zero(market["ci_low"], market["ci_high"])
    return [
        {
            "question": "Is the market's Sharpe ratio above 0?",
            "frequentist": f"HAC: {fmt(market['estimate'])}, 95% CI "
            f"{fmt_ci((market['ci_low'], market['ci_high']))} ({ci_text})",
            "Bayesian": "AR(1) mean model: P(SR > 0) "
            f"{fmt_probability(bayes_market['prob_positive'], bayes_market['n_draws'])}"
            f", posterior mean {fmt(bayes_market['posterior_mean'])}, 90% interval "
            f"{fmt_ci(bayes_market['interval_90'])}",
        },
        {
            "question": "Which industry has the highest mean excess return?",
            "frequentist": f"{best_mean['best']} in sample; minus runner-up "
            f"{best_mean['runner_up']}: {fmt(best_mean['difference'], 2)} %/month, HAC "
            f"{p_is(best_mean['pvalue'])}; joint bootstrap: {p_boot.idxmax()} best in "
            f"{fmt(p_boot.max(), 2)} of resamples",
            "Bayesian": f"P(highest mean): {ranked.index[0]} {fmt(ranked.iloc[0], 2)}, next "
            f"{ranked.index[1]} {fmt(ranked.iloc[1], 2)} (1/12 = {fmt(1 / 12, 2)})",
        },
        {
            "question": "Does any industry beat the market per unit of risk?",
            "frequentist": f"Ledoit–Wolf: {int((tests['p_raw'] < ALPHA).sum())} of {n_tests} "
            f"differ at 5% unadjusted, {n_holm} after Holm, {n_bh} after BH",
            "Bayesian": f"pooled Sharpe differences: {n_likely} of {n_tests} with P(SR > market "
            f"SR) > {1 - ALPHA:g}; highest {top['industry']} "
            f"{fmt(top['P(SR > market SR)'], 2)}",
        },
        {
            "question": f"How big is the best industry's ({best}) edge after selection?",
            "frequentist": f"SR {fmt(selection['best_sharpe'])}; DSR (null SR = 0) "
            f"{fmt(dsr['probability'], 4)}, but DSR vs the luckiest of 12 equals "
            f"{fmt(dsr['psr_vs_luckiest_equal'], 3)}; walk-forward SR − market SR = "
            f"{fmt(wf['difference'])} ({p_is(wf['pvalue'])})",
            "Bayesian": f"shrunk SR {fmt(pooled_best['bayes_sharpe'])} (90% "
            f"{fmt_ci((pooled_best['bayes_sharpe_low'], pooled_best['bayes_sharpe_high']))}); "
            f"SR − market SR {fmt(difference_best['posterior mean'])}, P(> 0) = "
            f"{fmt(difference_best['P(SR > market SR)'], 2)}",
        },
    ]


# ----------------------------------------------------------------------------- main
def main(output_dir: str | Path, quick: bool = False, seed: int = 20170301) -> dict[str, Any]:
    """Run the industry Sharpe-ratio study and write its report.

    Parameters
    ----------
    output_dir : str or Path
        Where ``report.md``, ``figures/*.png`` and ``results.json`` are written.
    quick : bool
        Fewer bootstrap resamples and MCMC draws (same full 1949–2017 data).
    seed : int
        Seed from which every random stage's seed is derived.

    Returns
    -------
    dict
        The results written to ``results.json``: ``market_sharpe`` (annualised, HAC 95%
        interval), ``industries``, the Sharpe table, the tests against the market, the
        Bayesian summaries, the deflated Sharpe ratio and the out-of-sample checks.
    """
    effort = QUICK if quick else FULL
    seeds = child_seeds(seed, SEED_STAGES)
    report = Report(
        "Which US industries earned more per unit of risk than the market, 1949–2017?",
        output_dir,
        seed=seed,
        quick=quick,
    )
    report.section("Question")
    report.text(
        "Over 1949–2017, did any of the 12 Fama–French industries earn a higher Sharpe ratio "
        "(mean excess return per unit of volatility) than the US stock market — once we allow "
        "for fat-tailed, autocorrelated returns, for testing 12 industries at once, and for "
        "picking the best one after the fact?"
    )
    report.step("loading the Fama–French industry returns")
    excess = load_excess_returns()
    data = report_data(report, excess)
    sharpe = report_sharpe(report, excess, effort, seeds["sharpe_bootstrap"])
    pooling = report_pooled_means(report, excess, sharpe["table"], effort, seeds)
    market_bayes = report_market_bayes(report, excess, effort, seeds["market_fit"])
    tests = report_tests(report, excess, effort, seeds["market_tests"])
    differences = pool_sharpe_differences(report, excess, effort, seeds["difference_fit"])
    selection = report_selection(report, excess, effort, seeds["selection_tests"])
    results: dict[str, Any] = {
        "data": data,
        "market_sharpe": sharpe["market_sharpe"],
        "market_bayes": market_bayes,
        "tests": tests,
        "pooling": pooling,
        "differences": differences,
        "selection": selection,
        "best_mean": best_mean_test(excess),
    }
    report.two_views(report_conclusions(report, results))
    beats = tests["difference"] > 0
    report.results.update(
        {
            "industries": list(INDUSTRIES),
            "market_sharpe": sharpe["market_sharpe"],
            "sharpe_table": sharpe["table"],
            "interval_width_ratio_to_iid": sharpe["width_ratio_to_iid"],
            "data": data,
            "beat_market": tests,
            "n_beat_market_holm": int(((tests["p_holm"] < ALPHA) & beats).sum()),
            "n_beat_market_bh": int(((tests["p_bh"] < ALPHA) & beats).sum()),
            "bayes_pooled_means": pooling,
            "bayes_sharpe_differences": differences,
            "market_bayes": market_bayes,
            "best_mean_test": results["best_mean"],
            "selection": selection,
            "effort": {
                "sharpe_resamples": effort.sharpe_resamples,
                "test_resamples": effort.test_resamples,
                "draws": effort.draws,
                "tune": effort.tune,
                "chains": 2,
            },
        }
    )
    saved = to_jsonable(report.results)
    market_sr = saved["market_sharpe"]
    report.headline(
        "Market Sharpe ratio, annualised (95% CI)",
        f"{fmt(market_sr['estimate'])} {fmt_ci((market_sr['ci_low'], market_sr['ci_high']))}",
    )
    report.headline(
        f"Industries beating the market (Holm, α = {ALPHA:g})",
        f"{saved['n_beat_market_holm']} of {len(INDUSTRIES)}",
    )
    report.key_figure("sharpe_intervals")
    report.step("writing the report")
    return report.finish()
