"""Case study: industry alphas, priced factors, beta stability and factor forecasts, 1949–2017.

The study answers four questions on monthly Fama–French data, 1949–2017, in the order a careful
analyst would:

1. *Alphas.* Regress each industry's excess return on the market (CAPM), on the three
   Fama–French factors (FF3) and on those plus momentum (FF3+Mom), with Newey–West (HAC)
   standard errors, and adjust the twelve alpha p-values of each model for multiplicity.
2. *Priced factors.* Estimate the factors' risk premia in the cross-section of 30 test assets
   (12 industries, 18 size/value and size/momentum portfolios) by Fama–MacBeth, with plain,
   Newey–West and Shanken (errors-in-variables) standard errors.
3. *Pooling and stability.* Fit a Bayesian hierarchical regression whose industry alphas and
   factor loadings are partially pooled, and follow 60-month rolling market betas through time.
4. *Forecasting.* Walk forward through the sample and ask whether the factor models' "no alpha"
   forecasts of next month's industry returns beat the historical mean, by squared error and
   CRPS, with Diebold–Mariano tests.

It ends with what was learned and the frequentist and Bayesian answers side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from case_studies._report import Report, fmt, fmt_ci, fmt_p, p_is
from scipy import stats

import statcraft as sc
from statcraft.bayes import HierarchicalRegression
from statcraft.datasets import load_fama_french_industries
from statcraft.finance import factor_regression, fama_macbeth, rolling_beta
from statcraft.finance.factors import FactorRegressionResult, FamaMacBethResult

INDUSTRIES = {
    "NoDur": "consumer non-durables",
    "Durbl": "consumer durables",
    "Manuf": "manufacturing",
    "Enrgy": "energy",
    "Chems": "chemicals",
    "BusEq": "business equipment",
    "Telcm": "telecoms",
    "Utils": "utilities",
    "Shops": "wholesale and retail",
    "Hlth": "health care",
    "Money": "finance",
    "Other": "mining, construction, transport, hotels, entertainment and the rest",
}
"""The 12 Fama–French industries (data-library order) and what they hold."""
FACTORS = ("mkt_rf", "smb", "hml", "mom")
MODELS = {"CAPM": ("mkt_rf",), "FF3": ("mkt_rf", "smb", "hml"), "FF3+Mom": FACTORS}
"""The three time-series factor models, from the simplest to the richest."""
RICHEST = "FF3+Mom"
PERIODS_PER_YEAR = 12
ALPHA = 0.05
"""Significance level of the tests; the frequentist intervals are at 1 − ALPHA."""
BAYES_LEVEL = 0.90
"""Level of the intervals compared between OLS and the hierarchical model."""
ROLLING_WINDOW = 60
"""Months in each rolling-beta window (five years)."""
N_ROLLING_SHOWN = 4
"""Industries drawn in the rolling-beta figure: those whose beta moved the most."""
FIRST_TRAIN = 120
"""Months in the first walk-forward training window (expanding afterwards)."""
FORECAST_LEVEL = 0.90
"""Nominal level of the predictive intervals whose coverage is checked."""
ENERGY = "Enrgy"
HM = "historical mean"


@dataclass(frozen=True)
class Effort:
    """How hard one run works: the Bayesian fit's span and MCMC settings (quick or full mode)."""

    bayes_months: int | None
    tune: int
    draws: int
    target_accept: float


FULL = Effort(bayes_months=None, tune=500, draws=1400, target_accept=0.8)
QUICK = Effort(bayes_months=120, tune=500, draws=700, target_accept=0.85)


@dataclass(frozen=True)
class FactorData:
    """Monthly decimal returns: industry and test-asset excess returns, and the factors."""

    excess: pd.DataFrame
    factors: pd.DataFrame
    test_assets: pd.DataFrame


# --------------------------------------------------------------------------- small helpers
def pct(x: float) -> str:
    """Format a number that is already in percent, followed by the percent sign."""
    return f"{fmt(x)} %"


def as_records(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Return the rows of an indexed table as plain dicts (row label → column → value)."""
    rows = frame.to_dict(orient="index")
    return {str(k): {str(c): v for c, v in row.items()} for k, row in rows.items()}


def excludes_zero(low: float, high: float) -> bool:
    """Whether the interval [low, high] excludes zero."""
    return bool(low > 0 or high < 0)


def month(ts: Any) -> str:
    """Format a date as YYYY-MM."""
    return pd.Timestamp(ts).strftime("%Y-%m")


def count_word(n: int, singular: str, plural: str | None = None) -> str:
    """'1 industry', '3 industries', 'no industry'."""
    if n == 0:
        return f"no {singular}"
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def name_list(names: list[str]) -> str:
    """Join names as 'A', 'A and B' or 'A, B and C'; 'none' when empty."""
    if not names:
        return "none"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- data
def load_data() -> FactorData:
    """Load the Fama–French file and form excess returns (total return minus the T-bill rate)."""
    ff = load_fama_french_industries()  # indexed by date (first day of each month)
    portfolios = [c for c in ff.columns if re.fullmatch(r"S\d[VM]\d", c)]
    industries = list(INDUSTRIES)
    rf = ff["rf"]
    return FactorData(
        excess=ff[industries].sub(rf, axis=0),
        factors=ff[list(FACTORS)],
        test_assets=ff[industries + portfolios].sub(rf, axis=0),
    )


def describe(frame: pd.DataFrame) -> pd.DataFrame:
    """Tabulate annualised mean, volatility, Sharpe ratio, worst and best month (percent)."""
    mean = frame.mean() * PERIODS_PER_YEAR
    sd = frame.std(ddof=1) * np.sqrt(PERIODS_PER_YEAR)
    return pd.DataFrame(
        {
            "series": frame.columns,
            "mean (%/yr)": 100 * mean.to_numpy(),
            "volatility (%/yr)": 100 * sd.to_numpy(),
            "Sharpe (annual)": (mean / sd).to_numpy(),
            "worst month (%)": 100 * frame.min().to_numpy(),
            "best month (%)": 100 * frame.max().to_numpy(),
        }
    )


def report_data(report: Report, data: FactorData) -> dict[str, Any]:
    """Describe the span, units and the series; return the data facts for results.json."""
    dates = data.excess.index
    n = len(dates)
    industries = describe(data.excess)
    factors = describe(data.factors)
    ranked = industries.sort_values("mean (%/yr)").to_dict(orient="records")
    lo, hi = ranked[0], ranked[-1]
    n_ports = data.test_assets.shape[1] - len(INDUSTRIES)
    report.section("Data")
    report.text(
        f"Monthly returns from {month(dates[0])} to {month(dates[-1])}: {fmt(n)} months, from "
        "the Kenneth R. French Data Library (Source: Kenneth R. French Data Library; as shipped "
        "in `linearmodels`, loaded with `statcraft.datasets.load_fama_french_industries()`). "
        "All returns are decimals per month in the file and are shown here in percent. The "
        "12 industry portfolios are value-weighted total returns; we subtract the one-month "
        "T-bill rate `rf` to get **excess returns**. The factors are already zero-cost "
        "returns: the market excess return `mkt_rf`, small-minus-big `smb`, high-minus-low "
        "book-to-market `hml` and winners-minus-losers momentum `mom`. For the cross-section "
        f"we add {fmt(n_ports)} portfolios sorted on size and value (S1V1…S5V5) and on size and "
        "momentum (S1M1…S5M5), also as excess returns.",
        f"Average excess returns range from {pct(lo['mean (%/yr)'])} a year ({lo['series']}) to "
        f"{pct(hi['mean (%/yr)'])} ({hi['series']}). A difference in averages is not yet an "
        "alpha: it may be compensation for exposure to the factors, which is what the models "
        "below separate.",
    )
    report.table(industries, caption="The 12 industries: monthly excess returns, annualised")
    report.table(factors, caption="The four factors, annualised")
    return {
        "start": month(dates[0]),
        "end": month(dates[-1]),
        "n_months": n,
        "n_test_assets": int(data.test_assets.shape[1]),
        "industries": list(INDUSTRIES),
        "factor_means_pct_per_year": dict(
            zip(factors["series"], factors["mean (%/yr)"], strict=True)
        ),
    }


# --------------------------------------------------------------------------- models (maths)
def report_models(report: Report) -> None:
    """State the four models in mathematics before any of them is fitted."""
    report.section("Models")
    report.text(
        "**Time-series factor regressions.** For industry $i$ and month $t$, with excess "
        "return $R^e_{it}$ and factor returns $f_t$ (the market alone for the CAPM; market, "
        "size and value for FF3; those and momentum for FF3+Mom):"
    )
    report.math(
        r"R^e_{it} = \alpha_i + \beta_i^\top f_t + \varepsilon_{it}, \qquad "
        r"\widehat{\alpha}_i^{\text{annual}} = 12\,\widehat{\alpha}_i ."
    )
    report.text(
        "Because the factors are themselves excess returns, a model that prices industry $i$ "
        "has $\\alpha_i = 0$: the average return is fully explained by the exposures "
        "$\\beta_i$ times the factors' average returns. OLS estimates, Newey–West (HAC) "
        "standard errors with the rule-of-thumb lag (returns are heteroskedastic and slightly "
        "autocorrelated), t with $n-k-1$ degrees of freedom. Twelve alphas per model are "
        "twelve tests, so each model's p-values are adjusted by Holm (family-wise error) and "
        "Benjamini–Hochberg (false discovery rate) with `sc.adjust_pvalues`."
    )
    report.text(
        "**Fama–MacBeth.** First pass: full-sample time-series betas $\\hat\\beta_i$ of each "
        "of the $N$ test assets. Second pass: every month, a cross-sectional regression of "
        "the $N$ returns on $[1, \\hat\\beta_i]$ gives $\\hat\\lambda_t$; the premia are "
        "their averages and the plain standard error treats the $\\hat\\lambda_t$ as iid:"
    )
    report.math(
        r"\bar\lambda = \frac1T\sum_t \hat\lambda_t, \qquad "
        r"V_{FM} = \frac{1}{T(T-1)}\sum_t (\hat\lambda_t-\bar\lambda)"
        r"(\hat\lambda_t-\bar\lambda)^\top ."
    )
    report.text(
        "Newey–West adds Bartlett-weighted autocovariances of $\\hat\\lambda_t$. Shanken "
        "(1992) corrects for the betas being *estimated* (errors in variables): with "
        "$A = (X^\\top X)^{-1}X^\\top$, $X = [1, \\hat B]$, residual covariance "
        "$\\hat\\Sigma_\\varepsilon$, factor covariance $\\hat\\Sigma_f$ (bordered by zeros "
        "for the intercept, $\\tilde\\Sigma_f$) and $c = \\hat\\lambda_f^\\top"
        "\\hat\\Sigma_f^{-1}\\hat\\lambda_f$,"
    )
    report.math(
        r"V_{Sh} = \frac1T\Big[(1+c)\,A\hat\Sigma_\varepsilon A^\top + \tilde\Sigma_f\Big]"
        r" \approx (1+c)\Big(V_{FM}-\tfrac{\tilde\Sigma_f}{T}\Big) + \tfrac{\tilde\Sigma_f}{T}."
    )
    report.text(
        "**Hierarchical (partially pooled) FF3+Mom regression.** All twelve industries in one "
        "model whose alphas and four loadings vary by industry around population values with "
        "spreads estimated from the data (`statcraft.bayes.HierarchicalRegression`, "
        "non-centred). Each industry's rows are divided by its OLS residual standard "
        "deviation $s_i$ (outcome and factors alike), so the model reads"
    )
    report.math(
        r"\frac{R^e_{it}}{s_i} = (\mu_a + a_i) + \sum_{k}(\mu_k + b_{ik})\frac{f_{kt}}{s_i}"
        r" + u_{it}, \quad a_i \sim N(0,\sigma_a),\; b_{ik} \sim N(0,\sigma_{b,k}),\;"
        r" u_{it} \sim N(0,\sigma),"
    )
    report.math(
        r"\alpha_i = 12\, s_i\,(\mu_a + a_i)\ \text{(percent a year)}, \qquad "
        r"\beta_{i,k} = \mu_k + b_{ik}."
    )
    report.text(
        "Why the rescaling: the template has one residual scale $\\sigma$ for all rows, but "
        "the industries' residual volatilities differ by a factor of two (table below); "
        "without it, noisy industries would get too-narrow intervals and quiet ones too-wide "
        "ones. After it, $\\sigma \\approx 1$ for every industry, and the pooled quantity "
        "$\\mu_a + a_i = \\alpha_i/s_i$ is the monthly *information ratio* (alpha per unit of "
        "residual risk): the prior says alphas are comparable *relative to residual risk*, "
        "the scaling of Pástor and Stambaugh (1999) and MacKinlay (1995) — a large alpha "
        "with little residual risk would be a near-arbitrage. Betas keep their usual scale "
        "because the factors are divided by the same $s_i$. Priors are the template's "
        "defaults, weakly informative on this unit scale: $\\mu_a \\sim N(0, 10)$, "
        "$\\mu_k \\sim N(0, 2.5)$, $\\sigma \\sim N^+(2.5)$, $\\sigma_a, \\sigma_{b,k} \\sim "
        "N^+(1)$ (an information-ratio spread of 1 per month, or a beta spread of 1, is "
        "already extreme)."
    )
    report.text(
        "Two deliberate choices. *Not standardised*: standardising centres the factors, and "
        "the template's group intercepts would then be the industries' mean returns at the "
        "factors' average values, so the pooling would act on average returns rather than "
        "on alphas (the intercept at zero factor returns). *Normal, not Student-t, errors*: "
        "alpha is a mean return, and a Student-t likelihood would estimate a location that "
        "discounts crash months; with many months per industry the normal likelihood's "
        "posterior for the mean is protected by the central limit theorem (as OLS is), even "
        "though the residuals are fat-tailed (their kurtosis is reported below)."
    )
    report.text(
        "**Forecasts.** Walk forward month by month (`sc.WalkForward`, expanding window, first "
        f"window {FIRST_TRAIN} months, refit every month). From data up to month $t-1$ each "
        "model forecasts $R^e_{it}$ with a normal predictive distribution:"
    )
    report.math(
        r"\text{historical mean: } N\big(\bar R^e_i,\ s^2_{R_i}\big), \qquad "
        r"\text{factor model, } \alpha=0\text{: } N\big(\hat\beta_i^\top \bar f,\ "
        r"\hat\beta_i^\top\hat\Sigma_f\hat\beta_i + \hat\sigma^2_{\varepsilon_i}\big),"
    )
    report.text(
        "with $\\bar f$, $\\hat\\Sigma_f$ the factors' mean and covariance over the same "
        "window. The factor models impose their pricing restriction $\\alpha = 0$; without it "
        "the forecast $\\hat\\alpha_i + \\hat\\beta_i^\\top\\bar f$ equals the historical mean "
        "*exactly* (OLS with an intercept passes through the means), so the unrestricted "
        "models are the benchmark itself. The predictive variance is the model's *total* "
        "variance, not the residual variance: next month's factor returns are unknown when "
        "the forecast is made. Scores: squared error and the CRPS of the normal forecast "
        "(`sc.crps_gaussian`, in percent); differences are tested with Diebold–Mariano "
        "(`sc.diebold_mariano`, Harvey–Leybourne–Newbold correction)."
    )


# --------------------------------------------------------------------------- alphas
def fit_time_series(
    excess: pd.DataFrame, factors: pd.DataFrame, confidence_level: float = 1 - ALPHA
) -> dict[str, FactorRegressionResult]:
    """Fit the CAPM, FF3 and FF3+Mom regressions of every industry, HAC standard errors."""
    return {
        name: factor_regression(
            excess,
            factors[list(cols)],
            cov_type="HAC",
            periods_per_year=PERIODS_PER_YEAR,
            confidence_level=confidence_level,
        )
        for name, cols in MODELS.items()
    }


def alpha_frame(fits: dict[str, FactorRegressionResult]) -> pd.DataFrame:
    """Tabulate alphas (percent a year), t, raw/Holm/BH p-values, loadings and R² per model."""
    rows = []
    for model, fit in fits.items():
        assert fit.alphas_annualized is not None
        pvalues = pd.Series({a: fit.alphas[a].details["pvalue"] for a in fit.assets})
        holm = sc.adjust_pvalues(pvalues, "holm")
        bh = sc.adjust_pvalues(pvalues, "BH")
        for a in fit.assets:
            est = fit.alphas_annualized[a]
            ci = est.confidence_interval
            betas = fit.betas.to_dict(orient="index")[a]
            loadings = {f: float(betas[f]) if f in fit.factors else np.nan for f in FACTORS}
            rows.append(
                {
                    "model": model,
                    "industry": a,
                    "alpha": 100 * est.estimate,
                    "ci_low": 100 * ci.low,
                    "ci_high": 100 * ci.high,
                    "t": float(est.details["statistic"]),
                    "p": float(pvalues[a]),
                    "p_holm": float(holm[a]),
                    "p_bh": float(bh[a]),
                    **loadings,
                    "r2": float(fit.r_squared[a]),
                }
            )
    return pd.DataFrame(rows)


def multiplicity_counts(alphas: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Count, per model, the alphas significant raw, after Holm and after BH."""
    out = {}
    for model, g in alphas.groupby("model", sort=False):
        out[str(model)] = {
            "raw": int((g["p"] < ALPHA).sum()),
            "holm": int((g["p_holm"] < ALPHA).sum()),
            "bh": int((g["p_bh"] < ALPHA).sum()),
        }
    return out


def plot_alphas(alphas: pd.DataFrame, span: str) -> plt.Figure:
    """Plot annualised alphas with 95 % HAC intervals, per industry, under the three models."""
    fig, ax = plt.subplots(figsize=(8, 7))
    industries = list(INDUSTRIES)
    y = np.arange(len(industries))
    offsets = np.linspace(-0.25, 0.25, len(MODELS))
    colours = ["tab:gray", "tab:blue", "tab:red"]
    for (model, g), off, colour in zip(
        alphas.groupby("model", sort=False), offsets, colours, strict=True
    ):
        g = g.set_index("industry").loc[industries]
        ax.errorbar(
            g["alpha"],
            y + off,
            xerr=[g["alpha"] - g["ci_low"], g["ci_high"] - g["alpha"]],
            fmt="o",
            ms=4,
            capsize=2,
            color=colour,
            label=str(model),
        )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, industries)
    ax.invert_yaxis()
    ax.set_xlabel("annualised alpha (% per year), 95 % HAC interval")
    ax.set_ylabel("industry")
    ax.set_title(f"Industry alphas under CAPM, FF3 and FF3 + momentum, {span}")
    ax.legend(title="model", loc="lower right")
    fig.tight_layout()
    return fig


def alpha_cell(row: dict[str, Any]) -> str:
    """'α (t)' with a star when the Holm-adjusted p-value is below ALPHA."""
    star = "*" if row["p_holm"] < ALPHA else ""
    return f"{fmt(row['alpha'], 2)} ({fmt(row['t'], 2)}){star}"


def report_alphas(
    report: Report, alphas: pd.DataFrame, hml_mean: float, span: str
) -> dict[str, Any]:
    """Report the time-series regressions (tables, figure, text); return their results.

    ``hml_mean`` is the value factor's average return in percent a month; ``span`` labels the
    sample period (e.g. '1949-01 to 2017-03').
    """
    counts = multiplicity_counts(alphas)
    frames = {str(m): g.set_index("industry") for m, g in alphas.groupby("model", sort=False)}
    recs = {m: as_records(g) for m, g in frames.items()}
    rich, capm = recs[RICHEST], recs["CAPM"]
    industries = list(INDUSTRIES)
    wide = pd.DataFrame({"industry": industries})
    for model, rows in recs.items():
        wide[f"{model} α %/yr (t)"] = [alpha_cell(rows[i]) for i in industries]
    for col, label in (("p", "p"), ("p_holm", "Holm p"), ("p_bh", "BH p")):
        wide[f"{RICHEST} {label}"] = [fmt_p(rich[i][col]) for i in industries]
    loadings = pd.DataFrame(
        {
            "industry": industries,
            "CAPM β": [capm[i]["mkt_rf"] for i in industries],
            "CAPM R²": [capm[i]["r2"] for i in industries],
            **{f"β {f}": [rich[i][f] for i in industries] for f in FACTORS},
            f"{RICHEST} R²": [rich[i]["r2"] for i in industries],
        }
    )
    mean_abs = {
        m: float(np.mean([abs(r["alpha"]) for r in rows.values()])) for m, rows in recs.items()
    }
    top = max(industries, key=lambda i: abs(rich[i]["t"]))
    capm_sig = [i for i in industries if capm[i]["p"] < ALPHA]
    rich_holm = [i for i in industries if rich[i]["p_holm"] < ALPHA]
    tilts = [
        f"{i} ({fmt(rich[i]['hml'], 2)})" for i in sorted(industries, key=lambda i: rich[i]["hml"])
    ]
    grew = [i for i in industries if abs(rich[i]["alpha"]) > abs(capm[i]["alpha"])]
    r2_gain = float(np.mean([rich[i]["r2"] - capm[i]["r2"] for i in industries]))
    report.section("Alphas: CAPM, FF3 and FF3 + momentum")
    report.text(
        "Each cell is the annualised alpha in percent a year with its HAC t-statistic; a star "
        f"marks alphas whose Holm-adjusted p-value (12 tests per model) is below {ALPHA}."
    )
    report.table(wide, caption="Annualised alphas, HAC t-statistics and adjusted p-values")
    report.table(loadings, caption=f"Factor loadings (CAPM and {RICHEST}) and R²", digits=2)
    report.figure(
        plot_alphas(alphas, span),
        "alphas",
        "Annualised alphas with 95 % Newey–West intervals under the three models",
    )
    report.bullets(
        [
            f"{model}: {count_word(c['raw'], 'alpha')} of 12 with raw p < {ALPHA}, "
            f"{c['holm']} after Holm, {c['bh']} after Benjamini–Hochberg; mean |α| "
            f"{pct(mean_abs[model])} a year."
            for model, c in counts.items()
        ]
    )
    report.text(
        f"Under the CAPM the raw 5 % test flags {name_list(capm_sig)}. Adding size, value and "
        "momentum changes the alphas because industries differ in those exposures: the "
        f"strongest value tilts (`hml` loadings) are {name_list(tilts[-2:][::-1])}, the "
        f"strongest growth tilts {name_list(tilts[:2])}. Each loading moves the alpha by "
        "roughly minus the loading times the factor's average return; `hml` averaged "
        f"{fmt(hml_mean, 3)} % a month, so a negative `hml` loading raises the alpha once value "
        f"is priced. |α| is larger under {RICHEST} than under the CAPM for {name_list(grew)}. The "
        f"factors raise the average R² by {fmt(r2_gain, 2)}. The largest {RICHEST} |t| belongs "
        f"to {top} ({INDUSTRIES[top]}): α = {pct(rich[top]['alpha'])} a year, t = "
        f"{fmt(rich[top]['t'], 3)}, {p_is(rich[top]['p_holm'], 'Holm p')}. After Holm, the "
        f"{RICHEST} alphas that remain significant are: {name_list(rich_holm)}.",
        f"These are statements about {span} as a whole, under HAC inference that is "
        "approximate in finite samples; a significant alpha of an industry portfolio says the "
        "factor model misprices it, not that it was a free lunch available in real time.",
    )
    out = {
        model: {
            i: {
                "alpha_annual_pct": float(rows[i]["alpha"]),
                "alpha_ci_95": [float(rows[i]["ci_low"]), float(rows[i]["ci_high"])],
                "t": float(rows[i]["t"]),
                "p": float(rows[i]["p"]),
                "p_holm": float(rows[i]["p_holm"]),
                "p_bh": float(rows[i]["p_bh"]),
                "betas": {f: float(rows[i][f]) for f in MODELS[model]},
                "r2": float(rows[i]["r2"]),
            }
            for i in industries
        }
        for model, rows in recs.items()
    }
    return {
        "alphas": out,
        "significant_counts": counts,
        "mean_abs_alpha_pct": mean_abs,
        "abs_alpha_grew_capm_to_richest": grew,
    }


# --------------------------------------------------------------------------- Fama–MacBeth
def premia_table(fm: FamaMacBethResult, factors: pd.DataFrame) -> pd.DataFrame:
    """Tabulate premia (percent a month), factor means, the three SEs and t-statistics."""
    se = fm.std_errors
    tidy = fm.to_frame().set_index(["term", "std_error_type"])
    terms = list(fm.terms)
    means = [np.nan if t == "Intercept" else 100 * float(factors[t].mean()) for t in terms]
    return pd.DataFrame(
        {
            "term": terms,
            "premium (%/mo)": 100 * fm.risk_premia.to_numpy(),
            "factor mean (%/mo)": means,
            "SE plain": 100 * se["fama_macbeth"].to_numpy(),
            "SE Newey–West": 100 * se["newey_west"].to_numpy(),
            "SE Shanken": 100 * se["shanken"].to_numpy(),
            "t plain": [tidy.loc[(t, "fama_macbeth"), "statistic"] for t in terms],
            "t Newey–West": [tidy.loc[(t, "newey_west"), "statistic"] for t in terms],
            "t Shanken": [tidy.loc[(t, "shanken"), "statistic"] for t in terms],
            "p Shanken": [tidy.loc[(t, "shanken"), "pvalue"] for t in terms],
        }
    )


def plot_pricing(fm: FamaMacBethResult, test_assets: pd.DataFrame) -> plt.Figure:
    """Plot each test asset's average excess return against its FF3+Mom fitted value."""
    mean = 100 * test_assets.mean()
    fitted = mean - 100 * fm.pricing_errors
    fig, ax = plt.subplots(figsize=(6.5, 6))
    is_ind = mean.index.isin(list(INDUSTRIES))
    ax.scatter(fitted[is_ind], mean[is_ind], color="tab:red", label="industries")
    ax.scatter(
        fitted[~is_ind],
        mean[~is_ind],
        color="tab:blue",
        marker="s",
        label="size/value and size/momentum portfolios",
    )
    for name in mean.index[is_ind]:
        ax.annotate(
            name, (fitted[name], mean[name]), fontsize=7, xytext=(3, 2), textcoords="offset points"
        )
    lims = [min(fitted.min(), mean.min()) - 0.05, max(fitted.max(), mean.max()) + 0.05]
    ax.plot(lims, lims, color="black", lw=0.8, label="45° line (perfect pricing)")
    ax.set_xlabel("fitted average excess return, FF3+Mom premia (% per month)")
    ax.set_ylabel("realised average excess return (% per month)")
    ax.set_title("Fama–MacBeth: realised vs fitted average returns, 30 test assets")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def report_fama_macbeth(report: Report, data: FactorData) -> dict[str, Any]:
    """Report Fama–MacBeth premia with three kinds of standard errors; return the results."""
    fm = fama_macbeth(data.test_assets, data.factors[list(FACTORS)])
    table = premia_table(fm, data.factors)
    rows = as_records(table.set_index("term"))
    c = float(fm.shanken_factor or 1.0) - 1.0
    ratio = {t: r["SE Shanken"] / r["SE plain"] for t, r in rows.items()}
    factor_ratio = [ratio[t] for t in FACTORS]
    priced = [t for t in FACTORS if rows[t]["p Shanken"] < ALPHA]
    not_priced = [t for t in FACTORS if t not in priced]
    mkt, intercept = rows["mkt_rf"], rows["Intercept"]
    wider = all(r >= 1 for r in ratio.values())
    report.section("Which factors are priced? Fama–MacBeth")
    report.text(
        f"Test assets: the 12 industries and {fmt(fm.n_assets - len(INDUSTRIES))} size/value and "
        f"size/momentum portfolios ({fmt(fm.n_assets)} excess-return series, {fmt(fm.nobs)} "
        f"months), FF3+Mom betas from the full sample; Newey–West with {fm.maxlags} lags. The "
        "premia and standard errors are in percent per month."
    )
    report.table(table, caption="Fama–MacBeth risk premia, FF3+Mom, three SEs")
    report.figure(
        plot_pricing(fm, data.test_assets),
        "pricing",
        "Realised against fitted average excess returns of the 30 test assets",
    )
    report.text(
        f"At the {ALPHA} level with Shanken errors the premia of {name_list(priced)} differ from "
        f"zero; {name_list(not_priced)} do not. The market premium is "
        f"{fmt(mkt['premium (%/mo)'])} % a month (Shanken t = {fmt(mkt['t Shanken'], 3)}), "
        f"against a time-series average market excess return of "
        f"{fmt(mkt['factor mean (%/mo)'])} % a month"
        + (
            ": in the cross-section of these assets, market betas barely line up with average "
            "returns (the flat security market line of Black, Jensen and Scholes 1972 and Fama "
            "and French 1992). "
            if "mkt_rf" in not_priced
            else ". "
        )
        + "For a traded factor "
        "the premium should equal the factor's own mean; a gap says the test assets are priced "
        "with an error the intercept absorbs. The intercept, the return of a zero-beta "
        f"portfolio, is {fmt(intercept['premium (%/mo)'])} % a month (Shanken t = "
        f"{fmt(intercept['t Shanken'], 3)}); the cross-sectional R² of average "
        f"returns is {fmt(fm.r_squared, 2)}.",
        f"**Why Shanken is {'wider' if wider else 'not always wider'}.** The betas in the second "
        "pass are estimates, not the true exposures, so the cross-sectional slopes inherit "
        "their sampling error (errors in variables). The plain Fama–MacBeth variance ignores "
        "that; Shanken multiplies its non-factor part by $1 + c$, where "
        f"$c = \\hat\\lambda_f^\\top\\hat\\Sigma_f^{{-1}}\\hat\\lambda_f$ = {fmt(c, 3)} is the "
        "largest squared monthly Sharpe ratio of a portfolio of the factors earning the "
        "estimated premia, so no standard error can grow by more than about √(1 + c) = "
        f"{fmt(np.sqrt(1 + c), 4)} times. "
        + (
            "Monthly Sharpe ratios are small, so the correction is modest here"
            if c < 0.25
            else "That is a large squared Sharpe ratio, so the correction matters here"
        )
        + ": Shanken/plain SE ratios of the factor premia range "
        f"from {fmt(min(factor_ratio), 4)} to {fmt(max(factor_ratio), 4)}, "
        f"{'all ≥ 1' if wider else 'not all ≥ 1 (Shanken divides by T, the plain SE by T − 1)'}"
        ". It matters for factors whose premia are large relative to their volatility (often "
        "non-traded macro factors) and for annual rather than monthly returns, since squared "
        "Sharpe ratios grow with the horizon. Newey–West errors address "
        "autocorrelation of $\\hat\\lambda_t$, a different problem, and can be smaller or "
        "larger than the plain ones.",
    )
    premia = {
        t: {
            "premium_pct_per_month": float(r["premium (%/mo)"]),
            "se_plain": float(r["SE plain"]),
            "se_newey_west": float(r["SE Newey–West"]),
            "se_shanken": float(r["SE Shanken"]),
            "t_plain": float(r["t plain"]),
            "t_newey_west": float(r["t Newey–West"]),
            "t_shanken": float(r["t Shanken"]),
            "p_shanken": float(r["p Shanken"]),
        }
        for t, r in rows.items()
    }
    return {
        "premia": premia,
        "shanken_c": c,
        "cross_sectional_r2": float(fm.r_squared),
        "newey_west_lags": int(fm.maxlags),
        "n_assets": int(fm.n_assets),
        "priced_at_5pct_shanken": priced,
    }


# --------------------------------------------------------------------------- hierarchical
def bayes_span(data: FactorData, effort: Effort) -> FactorData:
    """Return the months the Bayesian fit uses: all, or the last ``effort.bayes_months``."""
    if effort.bayes_months is None:
        return data
    k = effort.bayes_months
    return FactorData(
        excess=data.excess.iloc[-k:], factors=data.factors.iloc[-k:], test_assets=data.test_assets
    )


def scaled_panel(fit: FactorRegressionResult, span: FactorData) -> tuple[pd.DataFrame, pd.Series]:
    """Build the long panel (industry × month) in percent, each industry scaled by its residual sd.

    Returns the panel (columns ``industry``, ``scaled_excess`` and the scaled factors) and the
    residual standard deviations ``s_i`` (percent a month) used to scale it.
    """
    resid_sd = pd.Series(
        {i: 100 * fit.regressions[i].residual_std_error for i in INDUSTRIES}, name="resid_sd"
    )
    frames = []
    for i in INDUSTRIES:
        s = resid_sd[i]
        frame = pd.DataFrame({"industry": i, "scaled_excess": 100 * span.excess[i] / s})
        for f in FACTORS:
            frame[f] = 100 * span.factors[f] / s
        frames.append(frame)
    return pd.concat(frames, ignore_index=True), resid_sd


def fit_hierarchical(panel: pd.DataFrame, effort: Effort, seed: int) -> HierarchicalRegression:
    """Fit the partially pooled FF3+Mom regression (normal errors, not standardised)."""
    model = HierarchicalRegression(
        outcome="scaled_excess",
        predictors=list(FACTORS),
        group="industry",
        varying_slopes=list(FACTORS),
        likelihood="normal",
        standardize=False,
    )
    model.fit(
        panel,
        draws=effort.draws,
        tune=effort.tune,
        chains=2,
        cores=2,
        target_accept=effort.target_accept,
        rng=seed,
        on_failure="warn",
        progressbar=False,
    )
    return model


def industry_draws(
    model: HierarchicalRegression, resid_sd: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return posterior draws of each industry's annualised alpha (percent) and market beta."""
    post = model.idata.posterior
    industries = list(INDUSTRIES)
    intercept = post["intercept"].values.reshape(-1, 1)
    effect = post["group_effect"].sel(group=industries).values.reshape(-1, len(industries))
    ratio = intercept + effect
    alpha = PERIODS_PER_YEAR * ratio * resid_sd[industries].to_numpy()
    beta = post["beta"].sel(predictor="mkt_rf").values.reshape(-1, 1)
    slope = post["slope_effect"].sel(group=industries, slope="mkt_rf").values
    beta_mkt = beta + slope.reshape(-1, len(industries))
    return (
        pd.DataFrame(alpha, columns=industries),
        pd.DataFrame(beta_mkt, columns=industries),
    )


def scalar_draws(model: HierarchicalRegression, name: str) -> np.ndarray:
    """Return all posterior draws of a scalar parameter, chains stacked."""
    return np.asarray(model.idata.posterior[name].values, dtype=float).reshape(-1)


def pooling_frame(
    ols: FactorRegressionResult, alpha: pd.DataFrame, beta: pd.DataFrame
) -> pd.DataFrame:
    """Tabulate OLS (HAC, 90 %) beside the posterior (mean, 90 % equal-tailed interval)."""
    q = [(1 - BAYES_LEVEL) / 2, (1 + BAYES_LEVEL) / 2]
    assert ols.alphas_annualized is not None
    rows = []
    for i in INDUSTRIES:
        a_ols = ols.alphas_annualized[i]
        b_row = as_records(ols.regressions[i].coefficients)["mkt_rf"]
        a_q = np.quantile(alpha[i], q)
        b_q = np.quantile(beta[i], q)
        rows.append(
            {
                "industry": i,
                "OLS α": 100 * a_ols.estimate,
                "OLS α low": 100 * a_ols.confidence_interval.low,
                "OLS α high": 100 * a_ols.confidence_interval.high,
                "OLS t": float(a_ols.details["statistic"]),
                "OLS p": float(a_ols.details["pvalue"]),
                "post α": float(alpha[i].mean()),
                "post α low": float(a_q[0]),
                "post α high": float(a_q[1]),
                "P(α > 0)": float((alpha[i] > 0).mean()),
                "OLS β": float(b_row["estimate"]),
                "OLS β low": float(b_row["ci_low"]),
                "OLS β high": float(b_row["ci_high"]),
                "post β": float(beta[i].mean()),
                "post β low": float(b_q[0]),
                "post β high": float(b_q[1]),
            }
        )
    return pd.DataFrame(rows).set_index("industry")


def plot_pooling(frame: pd.DataFrame, span: str) -> plt.Figure:
    """Plot OLS against partially pooled alphas and market betas, with 90 % intervals."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 6), sharey=True)
    y = np.arange(len(frame))
    for ax, what, label in (
        (axes[0], "α", "annualised alpha (% per year)"),
        (axes[1], "β", "market beta"),
    ):
        for source, off, colour, name in (
            ("OLS", -0.15, "tab:gray", "OLS, 90 % HAC interval"),
            ("post", 0.15, "tab:purple", "hierarchical, 90 % posterior interval"),
        ):
            est = frame[f"{source} {what}"]
            ax.errorbar(
                est,
                y + off,
                xerr=[est - frame[f"{source} {what} low"], frame[f"{source} {what} high"] - est],
                fmt="o",
                ms=4,
                capsize=2,
                color=colour,
                label=name,
            )
        ax.set_xlabel(label)
        ax.axvline(0 if what == "α" else 1, color="black", lw=0.8)
    axes[0].set_yticks(y, list(frame.index))
    axes[0].invert_yaxis()
    axes[0].set_ylabel("industry")
    axes[0].set_title("Alphas (FF3+Mom)")
    axes[1].set_title("Market betas (FF3+Mom)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2)
    fig.suptitle(f"OLS vs partially pooled estimates, {span}")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def report_hierarchical(
    report: Report, data: FactorData, effort: Effort, seed: int
) -> dict[str, Any]:
    """Fit, summarise and compare the hierarchical model with OLS on the same months."""
    span = bayes_span(data, effort)
    ols = fit_time_series(span.excess, span.factors, confidence_level=BAYES_LEVEL)[RICHEST]
    panel, resid_sd = scaled_panel(ols, span)
    kurtosis = pd.Series(
        {i: float(stats.kurtosis(ols.regressions[i].residuals)) for i in INDUSTRIES}
    )
    report.step(f"hierarchical FF3+Mom regression: {len(panel):,} rows, NUTS")
    model = fit_hierarchical(panel, effort, seed)
    report.add_fit("hierarchical FF3+Mom regression", model)
    alpha, beta = industry_draws(model, resid_sd)
    frame = pooling_frame(ols, alpha, beta)
    mu_a = scalar_draws(model, "intercept")
    sigma_a = scalar_draws(model, "group_sd")
    sigma = scalar_draws(model, "sigma")
    sd_ols = float(frame["OLS α"].std(ddof=1))
    sd_post = float(frame["post α"].std(ddof=1))
    width_ratio = (frame["post α high"] - frame["post α low"]) / (
        frame["OLS α high"] - frame["OLS α low"]
    )
    alpha_move = float(
        (
            2
            * (frame["post α"] - frame["OLS α"]).abs()
            / (frame["OLS α high"] - frame["OLS α low"])
        ).mean()
    )
    beta_move = float(
        (
            2
            * (frame["post β"] - frame["OLS β"]).abs()
            / (frame["OLS β high"] - frame["OLS β low"])
        ).mean()
    )
    n_ols = int(sum(excludes_zero(lo, hi) for lo, hi in frame[["OLS α low", "OLS α high"]].values))
    n_post = int(
        sum(excludes_zero(lo, hi) for lo, hi in frame[["post α low", "post α high"]].values)
    )
    dates = span.excess.index
    report.section("Partial pooling: a hierarchical Bayesian view of alphas and betas")
    span_text = (
        "the full sample"
        if effort.bayes_months is None
        else f"the last {effort.bayes_months} months only (quick mode)"
    )
    report.text(
        f"Fitted on {span_text}, {month(dates[0])} to {month(dates[-1])}: "
        f"{fmt(len(panel))} industry-months, 2 chains of {effort.draws} draws after "
        f"{effort.tune} tuning steps (target acceptance {effort.target_accept}). OLS on the same "
        "months with 90 % HAC intervals is shown beside it. The scaling constants $s_i$ "
        "(percent a month) and the residual excess kurtosis that motivated the choices above:"
    )
    report.table(
        pd.DataFrame(
            {
                "industry": list(INDUSTRIES),
                "residual sd s_i (%/mo)": resid_sd.to_numpy(),
                "residual excess kurtosis": kurtosis.to_numpy(),
            }
        ),
        caption="OLS FF3+Mom residual scale and tails, per industry",
        digits=3,
    )
    q = [(1 - BAYES_LEVEL) / 2, (1 + BAYES_LEVEL) / 2]
    shown = frame.reset_index()
    table = pd.DataFrame(
        {
            "industry": shown["industry"],
            "OLS α %/yr [90 %]": [
                f"{fmt(r['OLS α'], 2)} {fmt_ci((r['OLS α low'], r['OLS α high']), 2)}"
                for _, r in shown.iterrows()
            ],
            "pooled α %/yr [90 %]": [
                f"{fmt(r['post α'], 2)} {fmt_ci((r['post α low'], r['post α high']), 2)}"
                for _, r in shown.iterrows()
            ],
            "P(α > 0)": shown["P(α > 0)"],
            "OLS β_mkt [90 %]": [
                f"{fmt(r['OLS β'], 3)} {fmt_ci((r['OLS β low'], r['OLS β high']), 3)}"
                for _, r in shown.iterrows()
            ],
            "pooled β_mkt [90 %]": [
                f"{fmt(r['post β'], 3)} {fmt_ci((r['post β low'], r['post β high']), 3)}"
                for _, r in shown.iterrows()
            ],
        }
    )
    report.table(table, caption="OLS vs partially pooled alphas and market betas", digits=3)
    report.figure(
        plot_pooling(frame, f"{month(dates[0])} to {month(dates[-1])}"),
        "pooling",
        "OLS (HAC) and hierarchical (posterior) alphas and market betas with 90 % intervals",
    )
    ir_annual = mu_a * np.sqrt(PERIODS_PER_YEAR)
    report.text(
        "Population level: the average monthly information ratio $\\mu_a$ has posterior mean "
        f"{fmt(mu_a.mean(), 3)} (90 % interval {fmt_ci(np.quantile(mu_a, q), 3)}; "
        f"{fmt(ir_annual.mean(), 3)} annualised), and the spread of the industries' "
        f"information ratios $\\sigma_a$ has posterior mean {fmt(sigma_a.mean(), 3)} "
        f"({fmt_ci(np.quantile(sigma_a, q), 3)}); the residual scale $\\sigma$ is "
        f"{fmt(sigma.mean(), 4)}, close to 1 as the rescaling intended.",
        f"**Shrinkage.** The OLS alphas spread across industries with a standard deviation of "
        f"{pct(sd_ols)} a year; the posterior means spread by {pct(sd_post)} "
        f"({fmt(100 * (1 - sd_post / sd_ols), 3)} % less). Each industry is pulled toward the "
        "common value by an amount that grows with its own noise relative to the spread "
        "between industries. The posterior intervals are on average "
        f"{fmt(width_ratio.mean(), 3)} times as wide as the HAC intervals (range "
        f"{fmt(width_ratio.min(), 3)}–{fmt(width_ratio.max(), 3)})"
        + (
            ": narrower, because borrowing strength adds information and because the model's "
            "iid errors ignore the heteroskedasticity and autocorrelation that HAC accounts for. "
            if width_ratio.mean() < 1
            else ": not narrower on average despite the pooling, as the population spread is "
            "itself uncertain. "
        )
        + f"Intervals excluding zero: {n_ols} of 12 for OLS, {n_post} of 12 for the posterior.",
        "How far does pooling move each estimate, relative to its own OLS 90 % half-width? "
        f"Alphas by {fmt(alpha_move, 3)} half-widths on average, market betas by "
        f"{fmt(beta_move, 3)}. "
        + (
            "Pooling moves the noisy quantity (alpha) far more than the precisely measured one "
            "(beta), whose data dominate the population prior."
            if alpha_move > beta_move
            else "Here pooling moves the betas at least as much as the alphas."
        ),
    )
    rows = as_records(frame)
    industries_out = {
        i: {
            "alpha_annual_pct_mean": r["post α"],
            "alpha_interval_90": [r["post α low"], r["post α high"]],
            "prob_alpha_positive": r["P(α > 0)"],
            "beta_mkt_mean": r["post β"],
            "beta_mkt_interval_90": [r["post β low"], r["post β high"]],
            "ols_alpha_annual_pct": r["OLS α"],
            "ols_alpha_ci_90": [r["OLS α low"], r["OLS α high"]],
            "ols_t": r["OLS t"],
            "ols_p": r["OLS p"],
            "ols_beta_mkt": r["OLS β"],
            "ols_beta_mkt_ci_90": [r["OLS β low"], r["OLS β high"]],
            "resid_sd_pct": float(resid_sd[i]),
        }
        for i, r in rows.items()
    }
    return {
        "span": [month(dates[0]), month(dates[-1])],
        "n_rows": len(panel),
        "industries": industries_out,
        "mu_a_monthly_ir": {"mean": float(mu_a.mean()), "interval_90": np.quantile(mu_a, q)},
        "sigma_a": {"mean": float(sigma_a.mean()), "interval_90": np.quantile(sigma_a, q)},
        "sigma": float(sigma.mean()),
        "alpha_spread_ols_pct": sd_ols,
        "alpha_spread_posterior_pct": sd_post,
        "interval_width_ratio_mean": float(width_ratio.mean()),
        "mean_move_in_ols_half_widths": {"alpha": alpha_move, "beta_mkt": beta_move},
        "n_excluding_zero": {"ols": n_ols, "posterior": n_post},
        "n_draws": len(mu_a),
    }


# --------------------------------------------------------------------------- rolling betas
def beta_noise(data: FactorData, window: int) -> pd.Series:
    """Return the typical SE of a rolling CAPM beta, s_ε / (sd of the market · √(window − 1)).

    Uses the full-sample CAPM residual sd of each industry and the median rolling market sd.
    """
    capm = factor_regression(data.excess, data.factors[["mkt_rf"]], cov_type="nonrobust")
    market_sd = float(data.factors["mkt_rf"].rolling(window).std().median())
    return pd.Series(
        {
            i: capm.regressions[i].residual_std_error / (market_sd * np.sqrt(window - 1))
            for i in INDUSTRIES
        }
    )


def rolling_table(betas: pd.DataFrame, full: pd.Series, noise: pd.Series) -> pd.DataFrame:
    """Tabulate per industry: full-sample beta, rolling range (with dates), sd and noise."""
    valid = betas.dropna()
    return pd.DataFrame(
        {
            "industry": list(INDUSTRIES),
            "full-sample β": full.to_numpy(),
            "lowest": valid.min().to_numpy(),
            "when lowest": [month(valid[i].idxmin()) for i in INDUSTRIES],
            "highest": valid.max().to_numpy(),
            "when highest": [month(valid[i].idxmax()) for i in INDUSTRIES],
            "sd over time": valid.std(ddof=1).to_numpy(),
            f"typical SE ({ROLLING_WINDOW} mo)": noise.to_numpy(),
            "sd / SE": (valid.std(ddof=1) / noise).to_numpy(),
        }
    )


def plot_rolling(betas: pd.DataFrame, shown: list[str], full: pd.Series) -> plt.Figure:
    """Plot rolling market betas of a few industries, with their full-sample betas."""
    fig, ax = plt.subplots(figsize=(10, 5))
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]
    for name, colour in zip(shown, colours, strict=False):
        ax.plot(
            betas.index, betas[name], color=colour, lw=1.2, label=f"{name} ({INDUSTRIES[name]})"
        )
        ax.axhline(full[name], color=colour, lw=0.8, ls="--")
    ax.axhline(1, color="black", lw=0.6)
    ax.set_xlabel(f"end of the {ROLLING_WINDOW}-month window")
    ax.set_ylabel("CAPM market beta")
    ax.set_title(f"Rolling {ROLLING_WINDOW}-month market betas (dashed: full-sample beta)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def report_rolling(report: Report, data: FactorData) -> dict[str, Any]:
    """Report rolling market betas (figure, table, what moved); return their results."""
    betas = rolling_beta(data.excess, data.factors["mkt_rf"], window=ROLLING_WINDOW)
    assert isinstance(betas, pd.DataFrame)
    full = factor_regression(data.excess, data.factors[["mkt_rf"]]).betas["mkt_rf"]
    noise = beta_noise(data, ROLLING_WINDOW)
    table = rolling_table(betas, full, noise)
    rows = as_records(table.set_index("industry"))
    shown = sorted(rows, key=lambda i: rows[i]["lowest"] - rows[i]["highest"])[:N_ROLLING_SHOWN]
    valid = betas.dropna()
    dispersion = valid.std(axis=1, ddof=1)
    ratio = {i: float(r["sd / SE"]) for i, r in rows.items()}
    noisy_low, noisy_high = min(ratio, key=ratio.__getitem__), max(ratio, key=ratio.__getitem__)
    report.section(f"How stable are betas? Rolling {ROLLING_WINDOW}-month market betas")
    report.figure(
        plot_rolling(betas, shown, full),
        "rolling_betas",
        f"Rolling {ROLLING_WINDOW}-month CAPM betas of the {N_ROLLING_SHOWN} industries whose "
        "beta moved the most",
    )
    report.table(
        table,
        caption=f"Rolling market betas, windows ending {month(valid.index[0])} to "
        f"{month(valid.index[-1])}",
        digits=3,
    )
    report.text("What moved (the industries in the figure):")
    report.bullets(
        [
            f"{i} ({INDUSTRIES[i]}): lowest {fmt(rows[i]['lowest'], 3)} in the window ending "
            f"{rows[i]['when lowest']}, highest {fmt(rows[i]['highest'], 3)} in the window ending "
            f"{rows[i]['when highest']}; full-sample beta {fmt(rows[i]['full-sample β'], 3)}"
            for i in shown
        ]
    )
    n_moving = sum(r > 2 for r in ratio.values())
    peak = valid.index[int(np.argmax(dispersion.to_numpy()))]
    dates = data.excess.index
    peak_start = dates[int(np.flatnonzero(dates == peak)[0]) - ROLLING_WINDOW + 1]
    at_peak = {str(k): float(v) for k, v in valid.loc[peak].to_dict().items()}
    top_then, low_then = (
        max(at_peak, key=at_peak.__getitem__),
        min(at_peak, key=at_peak.__getitem__),
    )
    report.text(
        f"Is this more than estimation noise? A {ROLLING_WINDOW}-month beta has a standard "
        f"error of about $s_\\varepsilon / (s_m \\sqrt{{{ROLLING_WINDOW - 1}}})$ (residual sd "
        "over market sd); if the true beta were constant, the rolling "
        "estimates would wander around it with roughly that standard deviation. The ratio of "
        f"the observed sd over time to that SE ranges from {fmt(ratio[noisy_low], 3)} "
        f"({noisy_low}) to {fmt(ratio[noisy_high], 3)} ({noisy_high}); "
        f"{count_word(n_moving, 'industry', 'industries')} exceed 2. (An informal check: "
        "overlapping windows make the rolling series smooth, and the SE uses full-sample "
        "residual volatility.)",
        "The cross-industry dispersion of betas peaked in the window "
        f"{month(peak_start)} to {month(peak)} (sd {fmt(dispersion.max(), 3)})"
        + (
            ", which contains the March 2000 peak of the technology bubble and its bust"
            if peak_start <= pd.Timestamp("2000-03-01") <= peak
            else ""
        )
        + f": the highest beta then was {top_then} ({fmt(at_peak[top_then], 3)}), the lowest "
        f"{low_then} ({fmt(at_peak[low_then], 3)}). It was lowest in the window ending "
        f"{month(dispersion.idxmin())} (sd {fmt(dispersion.min(), 3)}). Full-sample betas "
        "average over these regimes, which is one reason full-sample alphas should be read "
        "with care.",
    )
    keys = {
        "full_sample_beta": "full-sample β",
        "lowest": "lowest",
        "when_lowest": "when lowest",
        "highest": "highest",
        "when_highest": "when highest",
        "sd_over_time": "sd over time",
        "sd_over_std_error": "sd / SE",
    }
    return {
        "window": ROLLING_WINDOW,
        "shown": shown,
        "industries": {i: {k: r[c] for k, c in keys.items()} for i, r in rows.items()},
        "dispersion_peak": month(dispersion.idxmax()),
    }


# --------------------------------------------------------------------------- forecasts
def expanding_forecasts(
    y: np.ndarray, f: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """'No alpha' normal forecasts (mean, total sd) from every expanding window ``[0, t)``.

    ``y`` holds the returns (months × industries), ``f`` the factors (months × k) and ``ends``
    the window lengths ``t``. The OLS fit of every window comes from cumulative sums of the
    cross-products of ``z = [1, f]`` and ``y``: each window then costs one (k+1)×(k+1)
    solve, not a regression on all its rows. Returns two arrays (windows × industries).
    """
    n, k = f.shape
    z = np.column_stack([np.ones(n), f])
    szz = np.cumsum(z[:, :, None] * z[:, None, :], axis=0)[ends - 1]  # Σ z z'
    szy = np.cumsum(z[:, :, None] * y[:, None, :], axis=0)[ends - 1]  # Σ z y'
    syy = np.cumsum(y**2, axis=0)[ends - 1]  # Σ y²
    t = ends.astype(float)[:, None]
    coef = np.linalg.solve(szz, szy)  # [alpha; beta] of every window and industry
    resid_var = (syy - np.einsum("mkn,mkn->mn", coef, szy)) / (t - k - 1)
    f_mean = szz[:, 0, 1:] / t
    f_cov = (szz[:, 1:, 1:] - t[:, :, None] * f_mean[:, :, None] * f_mean[:, None, :]) / (
        t[:, :, None] - 1
    )
    beta = coef[:, 1:, :]
    mean = np.einsum("mk,mkn->mn", f_mean, beta)
    var = np.einsum("mkn,mkl,mln->mn", beta, f_cov, beta) + resid_var
    return mean, np.sqrt(var)


def expanding_mean(y: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Historical-mean normal forecasts (mean, sd) from every expanding window ``[0, t)``."""
    t = ends.astype(float)[:, None]
    sy = np.cumsum(y, axis=0)[ends - 1]
    syy = np.cumsum(y**2, axis=0)[ends - 1]
    mean = sy / t
    return mean, np.sqrt((syy - t * mean**2) / (t - 1))


@dataclass(frozen=True)
class Forecasts:
    """Walk-forward forecasts in percent: realised returns and each model's normal forecast."""

    realised: pd.DataFrame
    mean: dict[str, pd.DataFrame]
    sd: dict[str, pd.DataFrame]


def walk_forward(data: FactorData) -> Forecasts:
    """Forecast every industry one month ahead (mean, sd) from an expanding window.

    ``sc.WalkForward`` defines the origins: split j trains on months ``[0, t_j)`` and tests
    month ``t_j``. The fits of all splits are computed at once (``expanding_forecasts``).
    """
    y = 100 * data.excess.to_numpy()
    f = 100 * data.factors.to_numpy()
    splits = list(sc.WalkForward(train_size=FIRST_TRAIN, test_size=1).split(f))
    ends = np.array([len(train) for train, _ in splits])
    tests = np.array([int(test[0]) for _, test in splits])
    assert all(train[0] == 0 and train[-1] + 1 == test[0] for train, test in splits)
    means, sds = {}, {}
    means[HM], sds[HM] = expanding_mean(y, ends)
    for m, cols in MODELS.items():
        idx = [FACTORS.index(c) for c in cols]
        means[m], sds[m] = expanding_forecasts(y, f[:, idx], ends)
    index = data.excess.index[tests]
    columns = list(INDUSTRIES)
    return Forecasts(
        realised=pd.DataFrame(y[tests], index=index, columns=columns),
        mean={m: pd.DataFrame(v, index=index, columns=columns) for m, v in means.items()},
        sd={m: pd.DataFrame(v, index=index, columns=columns) for m, v in sds.items()},
    )


def forecast_losses(forecasts: Forecasts) -> dict[str, dict[str, pd.DataFrame]]:
    """Score every model, industry and test month: squared error and CRPS (percent units)."""
    y = forecasts.realised
    losses = {}
    for m in (HM, *MODELS):
        mu, sd = forecasts.mean[m], forecasts.sd[m]
        se = pd.DataFrame(
            {i: sc.evaluation.squared_error(y[i], mu[i], reduce="none") for i in INDUSTRIES},
            index=y.index,
        )
        crps = pd.DataFrame(
            {i: sc.crps_gaussian(y[i], mu[i], sd[i], reduce="none") for i in INDUSTRIES},
            index=y.index,
        )
        losses[m] = {"se": se, "crps": crps}
    return losses


def coverage(forecasts: Forecasts, model: str) -> float:
    """Return the pooled coverage of ``model``'s central FORECAST_LEVEL predictive intervals."""
    z = stats.norm.ppf(0.5 + FORECAST_LEVEL / 2)
    y = forecasts.realised.to_numpy().ravel()
    mu = forecasts.mean[model].to_numpy().ravel()
    sd = forecasts.sd[model].to_numpy().ravel()
    return float(sc.interval_coverage(y, mu - z * sd, mu + z * sd).estimate)


def score_table(forecasts: Forecasts, losses: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """Tabulate pooled MSE, CRPS, out-of-sample R², coverage and DM tests against the mean."""
    base_se = losses[HM]["se"]
    rows = []
    for m in (HM, *MODELS):
        se, crps = losses[m]["se"], losses[m]["crps"]
        row: dict[str, Any] = {
            "model": m if m == HM else f"{m} (α = 0)",
            "MSE (%²)": float(se.to_numpy().mean()),
            "CRPS (%)": float(crps.to_numpy().mean()),
            "R²_OS vs HM (%)": 100 * (1 - float(se.to_numpy().sum() / base_se.to_numpy().sum())),
            f"{FORECAST_LEVEL:.0%} coverage": coverage(forecasts, m),
        }
        if m == HM:
            row |= {"DM p (SE)": np.nan, "DM p (CRPS)": np.nan, "industries better (SE)": "–"}
        else:
            dm_se = sc.diebold_mariano(se.mean(axis=1), base_se.mean(axis=1))
            dm_crps = sc.diebold_mariano(crps.mean(axis=1), losses[HM]["crps"].mean(axis=1))
            row |= {
                "DM p (SE)": float(dm_se.pvalue),
                "DM p (CRPS)": float(dm_crps.pvalue),
                "industries better (SE)": f"{int((se.mean() < base_se.mean()).sum())} of 12",
            }
        rows.append(row)
    return pd.DataFrame(rows)


def per_industry_dm(losses: dict[str, dict[str, pd.DataFrame]], model: str) -> pd.DataFrame:
    """Tabulate per industry the R²_OS and DM p-values (squared error) of ``model`` vs the mean."""
    se, base = losses[model]["se"], losses[HM]["se"]
    p = pd.Series({i: float(sc.diebold_mariano(se[i], base[i]).pvalue) for i in INDUSTRIES})
    return pd.DataFrame(
        {
            "industry": list(INDUSTRIES),
            "R²_OS (%)": (100 * (1 - se.sum() / base.sum())).to_numpy(),
            "DM p": p.to_numpy(),
            "Holm p": sc.adjust_pvalues(p, "holm").to_numpy(),
        }
    )


def plot_cumulative(losses: dict[str, dict[str, pd.DataFrame]]) -> plt.Figure:
    """Plot the cumulative squared-error gain over the historical mean (industry average)."""
    fig, ax = plt.subplots(figsize=(10, 5))
    base = losses[HM]["se"].mean(axis=1)
    for m, colour in zip(MODELS, ["tab:gray", "tab:blue", "tab:red"], strict=True):
        gain = (base - losses[m]["se"].mean(axis=1)).cumsum()
        ax.plot(gain.index, gain, color=colour, label=f"{m} (α = 0)")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("forecast month")
    ax.set_ylabel("cumulative SE(historical mean) − SE(model), %²")
    ax.set_title("Out-of-sample: above zero, the model has beaten the historical mean so far")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def report_forecasts(report: Report, data: FactorData) -> dict[str, Any]:
    """Report the walk-forward comparison (scores, DM tests, figure); return the results."""
    forecasts = walk_forward(data)
    losses = forecast_losses(forecasts)
    scores = score_table(forecasts, losses).set_index("model")
    rich = per_industry_dm(losses, RICHEST)
    dm_rich_capm = sc.diebold_mariano(
        losses[RICHEST]["se"].mean(axis=1), losses["CAPM"]["se"].mean(axis=1)
    )
    dm_rich_capm_crps = sc.diebold_mariano(
        losses[RICHEST]["crps"].mean(axis=1), losses["CAPM"]["crps"].mean(axis=1)
    )
    test_index = forecasts.realised.index
    report.section("Out of sample: do factor models forecast industry returns better?")
    report.text(
        f"{fmt(len(test_index))} one-month-ahead forecasts per industry, "
        f"{month(test_index[0])} to {month(test_index[-1])}, each from a model refitted on all "
        "earlier months. Losses are pooled over the 12 industries month by month before the "
        "Diebold–Mariano test (one loss series, so the test's serial-correlation correction "
        "covers the common shocks that hit all industries in the same month). "
        "$R^2_{OS} = 1 - \\sum(y-\\hat y_m)^2 / \\sum(y-\\hat y_{HM})^2$ (Campbell and "
        "Thompson 2008): positive means the model beat the historical mean."
    )
    report.table(scores.reset_index(), caption="Pooled out-of-sample scores", digits=4)
    report.table(
        rich,
        caption=f"{RICHEST} (α = 0) against the historical mean, per industry (squared error)",
        digits=3,
    )
    report.figure(
        plot_cumulative(losses),
        "oos_cumulative",
        "Cumulative squared-error gain of the 'no alpha' factor forecasts over the historical mean",
    )
    rows = as_records(scores)
    hm = rows[HM]
    rich_label = f"{RICHEST} (α = 0)"
    rr = rows[rich_label]
    best = min(rows, key=lambda m: rows[m]["MSE (%²)"])
    sig = [m for m in rows if m != HM and rows[m]["DM p (SE)"] < ALPHA]
    rel = 100 * (rr["MSE (%²)"] / hm["MSE (%²)"] - 1)
    n_holm = int((rich["Holm p"] < ALPHA).sum())
    r2_os = [abs(r["R²_OS vs HM (%)"]) for m, r in rows.items() if m != HM]
    cover = [r[f"{FORECAST_LEVEL:.0%} coverage"] for r in rows.values()]
    vol = float(forecasts.realised.std(ddof=1).mean())
    richer_better = rr["MSE (%²)"] < rows["CAPM (α = 0)"]["MSE (%²)"]
    report.text(
        f"The lowest pooled MSE belongs to the {best}. The {RICHEST} 'no alpha' forecast's "
        f"MSE differs from the historical mean's by {fmt(rel, 2)} % "
        f"(R²_OS = {fmt(rr['R²_OS vs HM (%)'], 3)} %), and its CRPS by "
        f"{fmt(rr['CRPS (%)'] - hm['CRPS (%)'], 3)} percentage points. Diebold–Mariano "
        f"against the historical mean at {ALPHA}: "
        f"{'significant for ' + name_list(sig) if sig else 'no model differs significantly'}. "
        f"{RICHEST} against the CAPM: {p_is(dm_rich_capm.pvalue, 'DM p')} (squared error), "
        f"{fmt_p(dm_rich_capm_crps.pvalue)} (CRPS). Per industry, "
        f"{count_word(n_holm, 'industry', 'industries')} "
        f"show{'s' if n_holm <= 1 else ''} a Holm-significant difference.",
        "The honest conclusion: the predictable part of a month's industry return is tiny next "
        f"to its volatility (on average {fmt(vol, 3)} % a month over the forecast period), so "
        "every forecast is close to a constant and the scores differ little: the largest "
        f"|R²_OS| of the factor models is {fmt(max(r2_os), 3)} %. The richer model's squared "
        f"error is {'slightly lower than' if richer_better else 'not lower than'} the CAPM's "
        f"({p_is(dm_rich_capm.pvalue, 'DM p')}): extra loadings "
        f"{'barely' if richer_better else 'do not'} translate into better return forecasts. "
        "What they improve is the *explanation* of realised returns (R²), which needs the "
        "factor realisations that a forecaster does not have. The pooled coverage of the "
        f"{FORECAST_LEVEL:.0%} predictive intervals ranges from {fmt(min(cover), 3)} to "
        f"{fmt(max(cover), 3)} across models, all built from essentially the same total "
        "variance (the Wilson interval of `sc.interval_coverage` would overstate the "
        "precision here, since the 12 industries' misses in a month are correlated).",
    )
    keys = {
        "mse": "MSE (%²)",
        "crps": "CRPS (%)",
        "r2_os_pct": "R²_OS vs HM (%)",
        "coverage": f"{FORECAST_LEVEL:.0%} coverage",
        "dm_p_se_vs_hm": "DM p (SE)",
        "dm_p_crps_vs_hm": "DM p (CRPS)",
    }
    return {
        "design": (
            f"expanding window, first {FIRST_TRAIN} months, refit monthly; forecasts in "
            "percent; factor models impose alpha = 0; normal predictive with total variance"
        ),
        "n_forecast_months": len(test_index),
        "first_forecast": month(test_index[0]),
        "scores": {m: {k: r[c] for k, c in keys.items()} for m, r in rows.items()},
        "dm_richest_vs_capm": {
            "p_se": float(dm_rich_capm.pvalue),
            "p_crps": float(dm_rich_capm_crps.pvalue),
        },
        "per_industry_richest": {
            str(r["industry"]): {
                "r2_os_pct": r["R²_OS (%)"],
                "dm_p": r["DM p"],
                "holm_p": r["Holm p"],
            }
            for r in rich.to_dict(orient="records")
        },
    }


# --------------------------------------------------------------------------- conclusions
def report_conclusions(report: Report, res: dict[str, Any]) -> None:
    """Write 'What we learned' and the 'Two views' table, every number from ``res``."""
    counts = res["time_series"]["significant_counts"]
    fm = res["fama_macbeth"]
    hier = res["hierarchical"]
    roll = res["rolling_beta"]
    oos = res["forecasts"]
    rich = res["time_series"]["alphas"][RICHEST]
    priced = fm["priced_at_5pct_shanken"]
    grew = res["time_series"]["abs_alpha_grew_capm_to_richest"]
    rich_holm = [i for i in INDUSTRIES if rich[i]["p_holm"] < ALPHA]
    unstable = [i for i, v in roll["industries"].items() if v["sd_over_std_error"] > 2]
    rich_score = oos["scores"][f"{RICHEST} (α = 0)"]
    capm_score = oos["scores"]["CAPM (α = 0)"]
    report.section("What we learned")
    report.bullets(
        [
            f"**Alphas.** Under the CAPM {counts['CAPM']['raw']} of 12 industries have a raw "
            f"5 % significant alpha ({counts['CAPM']['holm']} after Holm); under {RICHEST} "
            f"{counts[RICHEST]['raw']} ({counts[RICHEST]['holm']} after Holm, "
            f"{counts[RICHEST]['bh']} after BH; significant after Holm: "
            f"{name_list(rich_holm)}). Adding factors does not make alphas vanish: |α| grows "
            f"from the CAPM to {RICHEST} for {name_list(grew)} and shrinks for the others, "
            "because loadings on factors with non-zero average returns move alphas both ways.",
            f"**Priced factors.** In the cross-section of {fm['n_assets']} test assets, "
            f"{name_list(priced) if priced else 'no factor'} carr"
            f"{'ies' if len(priced) == 1 else 'y'} a premium distinguishable from zero "
            "(Shanken SEs)"
            + (
                "; the market's is not, the familiar failure of market beta to explain "
                "average returns across portfolios. "
                if "mkt_rf" not in priced
                else ", the market's among them. "
            )
            + f"Shanken's correction is small here (c = {fmt(fm['shanken_c'], 3)}).",
            f"**Partial pooling** shrinks the cross-industry spread of alphas from "
            f"{pct(hier['alpha_spread_ols_pct'])} to {pct(hier['alpha_spread_posterior_pct'])} "
            "a year; alphas move by "
            f"{fmt(hier['mean_move_in_ols_half_widths']['alpha'], 2)} OLS half-widths on "
            "average, market betas by "
            f"{fmt(hier['mean_move_in_ols_half_widths']['beta_mkt'], 2)}.",
            f"**Betas move.** Rolling {roll['window']}-month market betas vary by more than "
            "twice their estimation noise for "
            f"{count_word(len(unstable), 'industry', 'industries')} "
            f"({name_list(unstable)}); the cross-industry dispersion peaked in "
            f"the window ending {roll['dispersion_peak']}.",
            f"**Forecasts.** Out of sample, the {RICHEST} 'no alpha' forecast has R²_OS = "
            f"{fmt(rich_score['r2_os_pct'], 3)} % against the historical mean "
            f"({p_is(rich_score['dm_p_se_vs_hm'], 'DM p')}) and "
            f"{'a lower' if rich_score['mse'] < capm_score['mse'] else 'no lower'} squared "
            f"error than the CAPM's ({p_is(oos['dm_richest_vs_capm']['p_se'], 'DM p')}): "
            "differences in return forecasts are tiny and statistically fragile.",
        ]
    )
    report.text("**Caveats.**")
    report.bullets(
        [
            "The factors were discovered on US data overlapping this sample (data mining); "
            "their premia here are partly in-sample by construction.",
            "Full-sample betas in the Fama–MacBeth first pass look ahead; the rolling betas "
            "show they are not constant, which also blurs full-sample alphas.",
            "HAC inference is approximate in finite samples; the hierarchical model assumes "
            "iid normal errors within an industry (no volatility clustering, no "
            "autocorrelation) and independence across industries in the same month, and its "
            "scaling constants $s_i$ are plug-in OLS estimates.",
            "Industry portfolios change composition over 68 years; an 'industry alpha' is the "
            "alpha of a changing basket.",
            "Forecasts use only past data, but the model list itself was chosen knowing the "
            "literature; no transaction costs.",
        ]
    )
    bayes_ind = hier["industries"]
    top = max(bayes_ind, key=lambda i: abs(bayes_ind[i]["ols_t"]))
    low_beta = min(bayes_ind, key=lambda i: bayes_ind[i]["ols_beta_mkt"])

    def alpha_row(i: str) -> dict[str, str]:
        b = bayes_ind[i]
        return {
            "question": f"Is {i}'s ({INDUSTRIES[i]}) {RICHEST} alpha non-zero?",
            "frequentist": (
                f"α = {pct(b['ols_alpha_annual_pct'])}/yr, HAC t = {fmt(b['ols_t'], 3)}, "
                f"{p_is(b['ols_p'])}; full-sample {p_is(rich[i]['p_holm'], 'Holm p')}"
            ),
            "Bayesian": (
                f"pooled α = {pct(b['alpha_annual_pct_mean'])}/yr, 90 % interval "
                f"{fmt_ci(b['alpha_interval_90'], 3)}, P(α > 0) = "
                f"{fmt(b['prob_alpha_positive'], 3)}"
            ),
        }

    rows = [alpha_row(ENERGY)]
    if top != ENERGY:
        rows.append(alpha_row(top))
    rows += [
        {
            "question": "How much do alphas shrink?",
            "frequentist": (
                "each industry alone: spread (sd) of OLS alphas "
                f"{pct(hier['alpha_spread_ols_pct'])}/yr; no shrinkage"
            ),
            "Bayesian": (
                f"posterior means spread {pct(hier['alpha_spread_posterior_pct'])}/yr; "
                f"information-ratio spread σ_a = {fmt(hier['sigma_a']['mean'], 3)} a month"
            ),
        },
        {
            "question": "How many industries have an alpha?",
            "frequentist": (
                f"{counts[RICHEST]['raw']} raw, {counts[RICHEST]['holm']} Holm, "
                f"{counts[RICHEST]['bh']} BH at 5 % (full sample); 90 % HAC intervals "
                f"excluding 0 on the Bayesian fit's months: {hier['n_excluding_zero']['ols']} of 12"
            ),
            "Bayesian": (
                "90 % posterior intervals excluding 0: "
                f"{hier['n_excluding_zero']['posterior']} of 12 (partial pooling, not a "
                "p-value adjustment, guards against the multiplicity)"
            ),
        },
        {
            "question": f"Market beta of {low_beta} ({INDUSTRIES[low_beta]})",
            "frequentist": (
                f"{fmt(bayes_ind[low_beta]['ols_beta_mkt'], 3)}, 90 % HAC CI "
                f"{fmt_ci(bayes_ind[low_beta]['ols_beta_mkt_ci_90'], 3)}"
            ),
            "Bayesian": (
                f"{fmt(bayes_ind[low_beta]['beta_mkt_mean'], 3)}, 90 % posterior interval "
                f"{fmt_ci(bayes_ind[low_beta]['beta_mkt_interval_90'], 3)}"
            ),
        },
    ]
    report.two_views(rows)


# --------------------------------------------------------------------------- main
def main(output_dir: str | Path, quick: bool = False, seed: int = 19490101) -> dict[str, Any]:
    """Run the factor-model case study and write its report.

    Parameters
    ----------
    output_dir : str or Path
        Folder for ``report.md``, ``figures/*.png`` and ``results.json`` (created if needed).
    quick : bool
        Quick mode (``QUICK`` instead of ``FULL``): the hierarchical model is fitted on the
        last 120 months only, with 700 rather than 1400 draws per chain (and a slightly
        higher target acceptance). The regressions, Fama–MacBeth, rolling betas
        and walk-forward forecasts are the same in both modes (they are cheap).
    seed : int
        Seed of the MCMC sampler (the only random stage).

    Returns
    -------
    dict
        The key numbers, as written to ``results.json``.
    """
    effort = QUICK if quick else FULL
    report = Report(
        "Industry alphas and factor models: CAPM, Fama–French and momentum, 1949–2017",
        output_dir,
        seed=seed,
        quick=quick,
    )
    report.step("loading the Fama–French industries and factors")
    data = load_data()
    report.text(
        "**Question.** Do the 12 US industry portfolios earn abnormal returns (alpha) once "
        "their exposures to the market, size, value and momentum factors are accounted for? "
        "Which of those factors carry a risk premium in the cross-section of returns? How "
        "stable are the industries' betas? And does a richer factor model forecast next "
        "month's industry returns better than the plain historical mean?"
    )
    res: dict[str, Any] = {"data": report_data(report, data)}
    report_models(report)
    report.step("time-series regressions: CAPM, FF3, FF3+Mom with HAC errors")
    fits = fit_time_series(data.excess, data.factors)
    res["time_series"] = report_alphas(
        report,
        alpha_frame(fits),
        100 * float(data.factors["hml"].mean()),
        f"{res['data']['start']} to {res['data']['end']}",
    )
    report.step("Fama–MacBeth risk premia on 30 test assets")
    res["fama_macbeth"] = report_fama_macbeth(report, data)
    res["hierarchical"] = report_hierarchical(report, data, effort, seed)
    report.step(f"rolling {ROLLING_WINDOW}-month betas")
    res["rolling_beta"] = report_rolling(report, data)
    report.step("walk-forward forecasts and Diebold–Mariano tests")
    res["forecasts"] = report_forecasts(report, data)
    report_conclusions(report, res)
    report.results.update(res)
    counts = res["time_series"]["significant_counts"]
    report.headline(
        f"Industries with a non-zero alpha (Holm, α = {ALPHA:g}): CAPM / FF3 / FF3+Mom",
        " / ".join(str(counts[m]["holm"]) for m in ("CAPM", "FF3", "FF3+Mom")),
    )
    market_premium = res["fama_macbeth"]["premia"]["mkt_rf"]
    report.headline(
        "Market risk premium, Fama–MacBeth (% per month, Shanken p)",
        f"{fmt(market_premium['premium_pct_per_month'])} ({p_is(market_premium['p_shanken'])})",
    )
    report.key_figure("alphas")
    report.step("writing the report")
    return report.finish()
