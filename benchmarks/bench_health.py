"""Time statcraft.health against its peers, in one process.

Run:  .venv/bin/python benchmarks/bench_health.py [--quick]

Rows (median of REPEATS runs each side, same inputs, results checked equal before timing):

- ``cox_regression`` (Efron ties) on simulated data with 5 covariates against statsmodels'
  ``PHReg(ties="efron")``, at two sizes;
- ``roc_auc`` with its DeLong standard error against scikit-learn's ``roc_auc_score`` (the AUC
  alone, no standard error) at one million subjects;
- ``meta_analysis(method="DL")`` against statsmodels' ``combine_effects`` on 5000 studies, and
  ``meta_regression`` (REML) on the 13 BCG trials against statsmodels' ``WLS`` with the
  DerSimonian-Laird weights (not the same estimator: a scale reference only, not compared).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
from _timing import header, row, timeit

from statcraft import datasets, health

QUICK = "--quick" in sys.argv


def simulate_survival(n: int, p: int, rng: np.random.Generator):
    X = rng.standard_normal((n, p))
    beta = np.linspace(-0.5, 0.5, p)
    t = rng.exponential(np.exp(-X @ beta))
    c = rng.exponential(np.median(t) * 2, size=n)
    time_ = np.round(np.minimum(t, c), 2) + 0.01  # rounding makes tied event times
    return time_, (t <= c).astype(float), X


def bench_cox():
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(1)
    for n in (2_000, 20_000) if not QUICK else (2_000,):
        t, e, X = simulate_survival(n, 5, rng)
        ours = health.cox_regression(t, e, X)
        sm = PHReg(t, X, status=e, ties="efron").fit()
        np.testing.assert_allclose(ours.coefficients["estimate"], sm.params, rtol=1e-6)
        t_ours = timeit(lambda t=t, e=e, X=X: health.cox_regression(t, e, X))
        t_sm = timeit(lambda t=t, e=e, X=X: PHReg(t, X, status=e, ties="efron").fit())
        row(f"cox_regression efron, n = {n:,}, 5 covariates", t_ours, "statsmodels PHReg", t_sm)


def bench_auc():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(2)
    n = 200_000 if QUICK else 1_000_000
    y = rng.random(n) < 0.3
    score = rng.standard_normal(n) + y
    ours = health.roc_auc(y, score)
    assert abs(ours.estimate - roc_auc_score(y, score)) < 1e-12
    t_ours = timeit(lambda: health.roc_auc(y, score))
    t_sk = timeit(lambda: roc_auc_score(y, score))
    row(f"roc_auc + DeLong SE, n = {n:,}", t_ours, "sklearn roc_auc_score (no SE)", t_sk)


def bench_meta():
    from statsmodels.stats.meta_analysis import combine_effects

    rng = np.random.default_rng(3)
    k = 5_000
    v = rng.uniform(0.01, 0.5, k)
    y = rng.normal(-0.3, np.sqrt(v + 0.1))
    ours = health.meta_analysis(y, v, method="DL")
    sm = combine_effects(y, v, method_re="chi2")
    assert abs(ours.estimate.estimate - sm.mean_effect_re) < 1e-10
    assert abs(ours.tau2.estimate - sm.tau2) < 1e-10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_ours = timeit(lambda: health.meta_analysis(y, v, method="DL"))
        t_sm = timeit(lambda: combine_effects(y, v, method_re="chi2"))
    row(f"meta_analysis DL (+ Q-profile CIs), k = {k:,}", t_ours, "statsmodels combine_effects",
        t_sm)  # fmt: skip


def bench_meta_regression():
    import statsmodels.api as sm

    bcg = datasets.load_bcg()
    es = health.effect_sizes_2x2(
        bcg["vaccinated_cases"], bcg["vaccinated_total"], bcg["control_cases"],
        bcg["control_total"], measure="RR",
    )  # fmt: skip
    moderators = bcg[["latitude"]]
    exog = sm.add_constant(moderators.to_numpy(float))
    t_ours = timeit(lambda: health.meta_regression(es["effect"], es["variance"], moderators))
    t_sm = timeit(lambda: sm.WLS(es["effect"], exog, weights=1 / es["variance"]).fit())
    row("meta_regression REML, k = 13 (BCG)", t_ours, "statsmodels WLS (one fit, no tau2)", t_sm)


if __name__ == "__main__":
    header()
    bench_cox()
    bench_auc()
    bench_meta()
    bench_meta_regression()
