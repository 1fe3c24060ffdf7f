"""Time each Bayesian template against the same model written the obvious way in plain PyMC.

Run:  PYTENSOR_FLAGS=base_compiledir=build/pytensor .venv/bin/python benchmarks/bench_bayes.py
      [--quick] [--only NAME ...]

Same data, same number of chains (2), draws and tuning steps (1000 each, 500 with --quick),
both sides run with `cores=2`; "plain" is the model as the PyMC gallery or a first attempt
writes it (centred hierarchies, the gallery's random-walk stochastic volatility, a scan-based
GARCH), sampled with `pm.sample()` defaults otherwise. Each row: whole wall time including
compilation (a warm PyTensor cache for both), the minimum bulk ESS over the scalar parameters
(and over group effects, which both sides have), ESS/s, divergences, and the maximum r_hat.
The ratio column is statcraft's ESS/s over plain PyMC's.
"""

from __future__ import annotations

import sys
import time
import warnings

import arviz as az
import numpy as np
import pandas as pd
import pymc as pm
import pytensor.tensor as pt

from statcraft import datasets
from statcraft.bayes import (
    BayesianTTest,
    BinomialRates,
    ConvergenceWarning,
    CountRegression,
    Garch11,
    HierarchicalRegression,
    LinearRegression,
    LogisticRegression,
    MetaAnalysis,
    StochasticVolatility,
    WeibullSurvival,
)

QUICK = "--quick" in sys.argv
ONLY = sys.argv[sys.argv.index("--only") + 1 :] if "--only" in sys.argv else None
DRAWS = 500 if QUICK else 1000
SAMPLING = {"draws": DRAWS, "tune": DRAWS, "chains": 2, "cores": 2}


def measure(idata, wall, names):
    post = idata.posterior[names]
    ess = az.ess(post, method="bulk")
    rhat = az.rhat(post, method="rank")
    min_ess = min(float(np.min(ess[v].values)) for v in names)
    max_rhat = max(float(np.max(rhat[v].values)) for v in names)
    div = int(idata.sample_stats["diverging"].sum())
    return {"wall_s": wall, "min_ess": min_ess, "ess_per_s": min_ess / wall, "div": div,
            "max_rhat": max_rhat}


def run_template(model, data, names, **extra):
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        idata = model.fit(data, rng=1, progressbar=False, **SAMPLING, **extra)
    return measure(idata, time.perf_counter() - t, names)


def run_plain(model, names):
    t = time.perf_counter()
    with model:
        idata = pm.sample(random_seed=1, progressbar=False, **SAMPLING)
    return measure(idata, time.perf_counter() - t, names)


# ------------------------------------------------------------------ cases
def case_linear():
    rng = np.random.default_rng(0)
    n, k = 500, 5
    X = rng.normal(size=(n, k))
    y = 1 + X @ np.linspace(-1, 1, k) + rng.standard_t(4, size=n)
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(k)]).assign(y=y)
    template = LinearRegression(outcome="y", predictors=list(df.columns[:k]),
                                likelihood="student_t")
    with pm.Model() as plain:
        a = pm.Normal("intercept", 0, 10)
        b = pm.Normal("beta", 0, 2.5, shape=k)
        s = pm.HalfNormal("sigma", 2.5)
        nu = pm.Gamma("nu", 2, 0.1)
        pm.StudentT("y", nu=nu, mu=a + X @ b, sigma=s, observed=y)
    names = ["intercept", "beta", "sigma", "nu"]
    return template, df, names, plain, names


def case_hierarchical():
    # 20 small groups (5 rows each), weak group signal: the funnel a centred model hits
    rng = np.random.default_rng(1)
    g = np.repeat(np.arange(20), 5)
    x = rng.normal(size=100)
    y = 0.5 + 0.8 * x + 0.3 * rng.normal(size=20)[g] + rng.normal(size=100)
    df = pd.DataFrame({"y": y, "x": x, "g": g.astype(str)})
    template = HierarchicalRegression(outcome="y", predictors=["x"], group="g")
    with pm.Model() as plain:
        a = pm.Normal("intercept", 0, 10)
        b = pm.Normal("beta", 0, 2.5)
        tau = pm.HalfNormal("group_sd", 1)
        u = pm.Normal("u", 0, tau, shape=20)
        s = pm.HalfNormal("sigma", 2.5)
        pm.Normal("y", a + b * x + u[g], s, observed=y)
    return template, df, ["intercept", "sigma"], plain, ["intercept", "sigma", "group_sd"]


def case_meta():
    bcg = datasets.load_bcg()
    a, n1 = bcg["vaccinated_cases"], bcg["vaccinated_total"]
    c, n2 = bcg["control_cases"], bcg["control_total"]
    yi = np.log((a / n1) / (c / n2))  # log risk ratio and its delta-method variance
    vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    df = pd.DataFrame({"yi": yi, "vi": vi})
    template = MetaAnalysis(effect="yi", variance="vi", parametrization="centred")
    with pm.Model() as plain:
        mu = pm.Normal("mu", 0, 1)
        tau = pm.HalfNormal("tau", 0.5)
        theta = pm.Normal("theta", mu, tau, shape=len(df))
        pm.Normal("y", theta, np.sqrt(vi.to_numpy()), observed=yi.to_numpy())
    return template, df, ["mu", "tau"], plain, ["mu", "tau"]


def case_weibull():
    lung = datasets.load_lung()[["time", "status", "age", "sex"]].dropna()
    df = lung.assign(age=(lung["age"] - 60) / 10, time=lung["time"] / 365.25)
    template = WeibullSurvival(time="time", event="status", predictors=["age", "sex"])
    X = df[["age", "sex"]].to_numpy()
    t, e = df["time"].to_numpy(), df["status"].to_numpy()
    with pm.Model() as plain:
        b0 = pm.Normal("intercept", 0, 5)
        b = pm.Normal("beta", 0, 1, shape=2)
        k = pm.Gamma("shape", 2, 1)
        lam = pm.math.exp(b0 + X @ b)
        upper = np.where(e == 1, np.inf, t)
        pm.Censored("t", pm.Weibull.dist(alpha=k, beta=lam), lower=None, upper=upper, observed=t)
    names = [v.name for v in template.build(df).free_RVs]
    return template, df, names, plain, ["intercept", "beta", "shape"]


def case_logistic():
    rng = np.random.default_rng(2)
    n, k = 400, 10
    X = rng.normal(size=(n, k))
    beta = np.r_[1.5, -1.0, 0.5, np.zeros(k - 3)]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(X @ beta - 0.3)))).astype(float)
    df = pd.DataFrame(X, columns=[f"x{j}" for j in range(k)]).assign(y=y)
    template = LogisticRegression(outcome="y", predictors=list(df.columns[:k]), prior="horseshoe")
    with pm.Model() as plain:  # the horseshoe as usually first written: centred, not regularised
        a = pm.Normal("intercept", 0, 5)
        tau = pm.HalfCauchy("tau", 1)
        lam = pm.HalfCauchy("lam", 1, shape=k)
        b = pm.Normal("beta", 0, tau * lam, shape=k)
        pm.Bernoulli("y", logit_p=a + X @ b, observed=y)
    return template, df, ["intercept", "beta"], plain, ["intercept", "beta"]


def case_count():
    rng = np.random.default_rng(3)
    n = 500
    x = rng.normal(size=(n, 2))
    exposure = rng.uniform(0.5, 2, n)
    mu = exposure * np.exp(0.3 + x @ np.array([0.5, -0.4]))
    y = rng.negative_binomial(5, 5 / (5 + mu))
    df = pd.DataFrame({"y": y, "x1": x[:, 0], "x2": x[:, 1], "exposure": exposure})
    template = CountRegression(outcome="y", predictors=["x1", "x2"], family="negative_binomial",
                               exposure="exposure")
    with pm.Model() as plain:
        a = pm.Normal("intercept", 0, 5)
        b = pm.Normal("beta", 0, 1, shape=2)
        alpha = pm.Exponential("alpha", 1)
        pm.NegativeBinomial("y", mu=exposure * pm.math.exp(a + x @ b), alpha=alpha, observed=y)
    return template, df, ["intercept", "beta"], plain, ["intercept", "beta", "alpha"]


def case_rates():
    df = datasets.load_surgical()
    template = BinomialRates(successes="deaths", trials="n_operations", unit="hospital")
    with pm.Model() as plain:  # centred logit-normal, as in the BUGS example
        mu = pm.Normal("mu", 0, 1.5)
        sigma = pm.HalfNormal("sigma", 1)
        logit_p = pm.Normal("logit_p", mu, sigma, shape=len(df))
        pm.Binomial("deaths", n=df["n_operations"].to_numpy(), logit_p=logit_p,
                    observed=df["deaths"].to_numpy())
    return template, df, ["mu", "sigma"], plain, ["mu", "sigma"]


def case_ttest():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"y": np.r_[rng.standard_t(4, 60) + 0.5, rng.standard_t(4, 60)],
                       "arm": np.repeat(["a", "b"], 60)})
    template = BayesianTTest(outcome="y", group="arm")
    g = np.repeat([0, 1], 60)
    with pm.Model() as plain:
        mu = pm.Normal("mu", 0, 10, shape=2)
        sigma = pm.HalfNormal("sigma", 2.5, shape=2)
        nu = pm.Exponential("nu_minus_one", 1 / 29) + 1
        pm.StudentT("y", nu=nu, mu=mu[g], sigma=sigma[g], observed=df["y"].to_numpy())
    names = ["mu", "sigma", "nu_minus_one"]
    return template, df, names, plain, names


def _wti_returns(n=1000):
    price = datasets.load_wti()["price"].to_numpy()
    return 100 * np.diff(np.log(price))[-n:]


def case_sv():
    r = _wti_returns()
    template = StochasticVolatility(returns="r")
    with pm.Model() as plain:  # the PyMC gallery's stochastic volatility model
        step_size = pm.Exponential("step_size", 10)
        vol = pm.GaussianRandomWalk("volatility", sigma=step_size, shape=len(r),
                                    init_dist=pm.Normal.dist(0, 100))
        nu = pm.Exponential("nu", 0.1)
        pm.StudentT("returns", nu=nu, lam=pt.exp(-2 * vol), observed=r)
    return template, pd.DataFrame({"r": r}), ["mu", "sigma", "nu", "persistence"], plain, [
        "step_size", "nu"]


def case_garch():
    r = _wti_returns()
    template = Garch11(returns="r")
    h1 = float(np.var(r))
    with pm.Model() as plain:  # raw (omega, alpha, beta) and a sequential scan
        import pytensor

        mu = pm.Normal("mu", 0.0, 1.0)
        omega = pm.HalfNormal("omega", 1.0)
        alpha = pm.Uniform("alpha", 0.0, 1.0)
        beta = pm.Uniform("beta", 0.0, 1.0 - alpha)
        nu = 2.0 + pm.Exponential("nu_minus_two", 0.1)
        e = pt.as_tensor_variable(r) - mu

        def step(e_prev, h_prev, omega, alpha, beta):
            return omega + alpha * e_prev**2 + beta * h_prev

        hs, _ = pytensor.scan(step, sequences=[e[:-1]], outputs_info=[pt.as_tensor_variable(h1)],
                              non_sequences=[omega, alpha, beta])
        h = pt.concatenate([pt.as_tensor_variable([h1]), hs])
        pm.StudentT("returns", nu=nu, mu=mu, sigma=pt.sqrt(h * (nu - 2) / nu), observed=r)
    names = ["mu_return", "persistence", "share", "unconditional_variance", "nu_minus_two"]
    return template, pd.DataFrame({"r": r}), names, plain, ["mu", "omega", "alpha", "beta"]


CASES = {
    "LinearRegression (student_t, n=500, k=5)": case_linear,
    "HierarchicalRegression (20 groups x 5)": case_hierarchical,
    "MetaAnalysis (BCG, 13 trials)": case_meta,
    "WeibullSurvival (NCCTG lung)": case_weibull,
    "LogisticRegression (horseshoe, n=400, k=10)": case_logistic,
    "CountRegression (neg. binomial, exposure)": case_count,
    "BinomialRates (surgical, 12 hospitals)": case_rates,
    "BayesianTTest (t data, 60 + 60)": case_ttest,
    "StochasticVolatility (WTI, 1000 days)": case_sv,
    "Garch11 (WTI, 1000 days)": case_garch,
}


def warm_up():
    """One tiny fit each way first, so that one-off start-up costs (imports, the first
    compilation of PyMC's sampler code, process-pool start) fall on neither side's timing."""
    df = pd.DataFrame({"x": np.arange(20.0), "y": np.arange(20.0) % 3})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        LinearRegression(outcome="y", predictors=["x"]).fit(
            df, draws=20, tune=20, chains=2, cores=2, progressbar=False, rng=0
        )
        with pm.Model():
            pm.Normal("a", pm.Normal("mu", 0, 1), 1, observed=df["y"].to_numpy())
            pm.sample(draws=20, tune=20, chains=2, cores=2, progressbar=False, random_seed=0)


def main():
    warm_up()
    rows = []
    for name, make in CASES.items():
        if ONLY and not any(o.lower() in name.lower() for o in ONLY):
            continue
        template, data, t_names, plain, p_names = make()
        ours = run_template(template, data, t_names)
        theirs = run_plain(plain, p_names)
        rows.append((name, ours, theirs))
        print_row(name, ours, theirs, flush=True)
    return rows


def print_row(name, ours, theirs, flush=False):
    ratio = ours["ess_per_s"] / theirs["ess_per_s"] if theirs["ess_per_s"] > 0 else float("inf")
    print(
        f"{name:44s} statcraft {ours['wall_s']:6.1f}s ess {ours['min_ess']:6.0f} "
        f"{ours['ess_per_s']:7.1f}/s div {ours['div']:3d} rhat {ours['max_rhat']:.3f} | "
        f"plain {theirs['wall_s']:6.1f}s ess {theirs['min_ess']:6.0f} {theirs['ess_per_s']:7.1f}/s "
        f"div {theirs['div']:3d} rhat {theirs['max_rhat']:.3f} | ratio {ratio:6.1f}x",
        flush=flush,
    )


if __name__ == "__main__":
    main()
