"""Case study: a malignancy risk model for breast fine-needle aspirates (Wisconsin data).

The study answers the question in the order a careful analyst would:

1. describe the 569 aspirates: how many are malignant, how well each of the 30 nucleus
   features separates the classes on its own (AUC with a DeLong interval), how strongly the
   features are correlated, and whether the classes are linearly separable (then the
   unpenalised maximum-likelihood logistic regression does not exist);
2. write down two logistic risk models that cope with that: ridge (L2-penalised) logistic
   regression with its penalty tuned by cross-validation, and a Bayesian logistic regression
   with the regularised horseshoe prior, whose shrinkage is learned within each fit;
3. estimate how well each *procedure* predicts new patients by nested cross-validation:
   features standardised and the penalty tuned inside each outer training fold, and the
   decision threshold chosen there too (Youden's J on predictions for training patients
   that the model did not see), so the outer test folds stay untouched;
4. judge the out-of-fold risks: discrimination (AUC with DeLong intervals, DeLong's paired
   test of the two models), calibration (reliability curve, Brier and log scores, the
   calibration slope), and sensitivity, specificity, predictive values and likelihood ratios
   at the training-fold thresholds;
5. fit both models to all 569 aspirates (the models one would use) and compare their
   coefficients, their apparent (in-sample) AUC with the honest one, and the posterior
   uncertainty of each patient's risk;
6. summarise what was learned, and the frequentist and Bayesian answers side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from case_studies._report import Report, child_seeds, fmt, fmt_ci, p_is, to_jsonable
from scipy import optimize, stats
from scipy.special import expit, logit

import statcraft as sc
from statcraft.bayes import LogisticRegression
from statcraft.datasets import load_breast_cancer
from statcraft.health import (
    delong_test,
    diagnostic_accuracy,
    roc_auc,
    roc_curve,
    youden_threshold,
)
from statcraft.results import Estimate

OUTCOME = "malignant"
"""The outcome: 1 for a malignant tumour (the bundled ``target`` is 0 for malignant)."""
CONFIDENCE = 0.95
"""Level of the confidence intervals."""
CREDIBLE = 0.9
"""Mass of the posterior intervals."""
AUC_CI: Final = "logit"
"""DeLong intervals for the AUC are built on the logit scale (they stay below 1)."""
STRENGTH_RANGE = (1e-4, 1.0)
"""Range of the ridge penalty λ searched (log-spaced): from almost no penalty (the data are
separable, so λ → 0 sends the coefficients to infinity) to one that shrinks them strongly."""
CALIBRATION_BINS = 10
"""Equal-width bins of predicted risk for the reliability curve and the Brier decomposition."""
ILLUSTRATIVE_PREVALENCE = 0.10
"""A lower prevalence of malignancy at which the predictive values are recomputed, to show
how they depend on it; an illustration, not an estimate for any real clinic."""
PUBLISHED_ACCURACY = 0.975
"""The data's authors' accuracy estimate (UCI ``wdbc.names``): 97.5% by repeated 10-fold
cross-validation of one separating plane in three features (worst area, worst smoothness,
mean texture), chosen by an exhaustive search."""
PROBABILITY_FLOOR = 1e-12
"""Risks are clipped to [floor, 1 − floor] before taking logits for the calibration slope."""
SIZE_FEATURES = (
    "mean_radius",
    "mean_perimeter",
    "mean_area",
    "worst_radius",
    "worst_perimeter",
    "worst_area",
)
"""The six size measures (mean and worst radius, perimeter, area), pairwise |r| > 0.9: the
data cannot split their effect between them, but can measure their joint effect."""
CHAINS = 2


@dataclass(frozen=True)
class Effort:
    """How hard one run works: folds, penalty grid and MCMC draws (quick or full mode)."""

    outer_folds: int
    inner_folds: int
    n_strengths: int
    tune: int
    draws: int


FULL = Effort(outer_folds=5, inner_folds=5, n_strengths=17, tune=1000, draws=1000)
QUICK = Effort(outer_folds=3, inner_folds=3, n_strengths=9, tune=250, draws=250)


SEED_STAGES = ("outer_split", "inner_split", "fold_fits", "final_split", "final_fit")
"""The random stages of the study, each seeded from the study's seed (see child_seeds)."""


def strengths(effort: Effort) -> list[float]:
    """Return the grid of ridge penalties λ searched by the inner cross-validation."""
    low, high = STRENGTH_RANGE
    return [float(v) for v in np.geomspace(low, high, effort.n_strengths)]


def estimate_text(est: Estimate, digits: int = 3) -> str:
    """Format an Estimate as 'value [low, high]'."""
    return f"{fmt(est.estimate, digits)} {fmt_ci(est.confidence_interval, digits)}"


# ----------------------------------------------------------------------------- building blocks
class StratifiedKFold:
    """Shuffled K-fold that keeps the share of malignant tumours the same in every fold.

    ``statcraft.evaluation`` has no stratified splitter; this one follows its splitter protocol
    (``split(X, y, groups)`` yields sorted train/test positions), so
    :func:`statcraft.cross_validate` and :func:`statcraft.tune` accept it. Each class is
    shuffled and dealt round-robin to the folds, continuing the count across classes so that
    fold sizes differ by at most one.

    Parameters
    ----------
    n_splits : int
        Number of folds.
    seed : int
        Seed of the shuffle; the same seed gives the same folds at every call.
    """

    def __init__(self, n_splits: int, seed: int) -> None:
        self.n_splits = n_splits
        self.seed = seed

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Return the number of folds."""
        return self.n_splits

    def split(self, X: Any, y: Any, groups: Any = None) -> Any:
        """Yield ``(train, test)`` position arrays, one pair per fold."""
        labels = np.asarray(y)
        gen = np.random.default_rng(self.seed)
        fold = np.empty(labels.size, dtype=int)
        dealt = 0
        for value in np.unique(labels):
            members = gen.permutation(np.flatnonzero(labels == value))
            fold[members] = (dealt + np.arange(members.size)) % self.n_splits
            dealt += members.size
        for k in range(self.n_splits):
            yield np.flatnonzero(fold != k), np.flatnonzero(fold == k)


def newton_logistic(
    design: np.ndarray, y: np.ndarray, penalty: np.ndarray, *, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    r"""Minimise the mean log loss plus :math:`\tfrac12\sum_j \text{penalty}_j\theta_j^2`.

    Newton–Raphson (iteratively reweighted least squares) with step halving, from zero: the
    objective is convex, and strictly so when every penalty is positive. Returns the
    coefficients and the Hessian of the objective at the optimum (for standard errors and
    effective degrees of freedom).
    """
    n = y.size

    def objective(theta: np.ndarray) -> float:
        eta = design @ theta
        return float(np.mean(np.logaddexp(0.0, eta) - y * eta) + 0.5 * penalty @ theta**2)

    theta = np.zeros(design.shape[1])
    value = objective(theta)
    for _ in range(max_iter):
        mu = expit(design @ theta)
        gradient = design.T @ (mu - y) / n + penalty * theta
        hessian = (design.T * (mu * (1.0 - mu))) @ design / n + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        t = 1.0
        while (new := objective(theta - t * step)) > value + 1e-12 and t > 1e-8:
            t /= 2.0
        theta, value = theta - t * step, new
        if np.max(np.abs(t * step)) < 1e-9:
            return theta, hessian
    raise RuntimeError(f"Newton's method did not converge in {max_iter} iterations")


class RidgeLogistic:
    r"""Ridge (L2-penalised) logistic regression with the evaluation protocol.

    ``statcraft.evaluation`` offers no penalised logistic model, so the study defines this
    one (``fit``, ``predict``, ``predict_proba``), which :func:`statcraft.cross_validate` and
    :func:`statcraft.tune` use like any other. It minimises

    .. math::

        \frac1n\sum_i \big[\log(1 + e^{\eta_i}) - y_i\eta_i\big] + \frac\lambda2\|\beta\|^2,
        \qquad \eta_i = \alpha + z_i^\top\beta,

    over the features standardised with the *training* rows' mean and standard deviation
    (ddof = 1, as the Bayesian template), so no information leaks from test rows; the
    intercept is not penalised. This is scikit-learn's ``LogisticRegression(C=1/(nλ))`` on
    standardised features and glmnet's ``alpha=0`` objective.

    Parameters
    ----------
    strength : float
        The penalty λ > 0.
    """

    def __init__(self, strength: float = 0.01) -> None:
        if not strength > 0:
            raise ValueError(f"`strength` must be positive; got {strength!r}")
        self.strength = float(strength)

    def fit(self, X: Any, y: Any) -> RidgeLogistic:
        """Standardise ``X`` with its own mean and sd, then fit by Newton's method."""
        features = np.asarray(X, dtype=float)
        self.center_ = features.mean(axis=0)
        self.scale_ = features.std(axis=0, ddof=1)
        z = (features - self.center_) / self.scale_
        design = np.column_stack([np.ones(len(z)), z])
        penalty = np.full(design.shape[1], self.strength)
        penalty[0] = 0.0
        theta, hessian = newton_logistic(design, np.asarray(y, dtype=float), penalty)
        self.intercept_std_ = float(theta[0])
        self.coef_std_ = theta[1:]
        # effective degrees of freedom tr[(X'WX + nΛ)^{-1} X'WX] (Hastie & Tibshirani 1990)
        self.effective_df_ = float(np.trace(np.linalg.solve(hessian, hessian - np.diag(penalty))))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Predicted probability of malignancy for the rows of ``X``."""
        z = (np.asarray(X, dtype=float) - self.center_) / self.scale_
        return np.asarray(expit(self.intercept_std_ + z @ self.coef_std_))

    def predict(self, X: Any) -> np.ndarray:
        """Return the point forecast of the 0/1 outcome: its probability, as ``predict_proba``."""
        return self.predict_proba(X)


def youden_cutoff(y: np.ndarray, score: np.ndarray) -> float:
    """Threshold maximising Youden's J, halfway to the next lower score (as R pROC).

    The midpoint classifies the given patients as the observed score does, and leaves a
    margin on both sides for new ones.
    """
    best = youden_threshold(y, score)
    midpoint = float(best.details["midpoint"])
    return midpoint if math.isfinite(midpoint) else best.threshold


def posterior_risk_draws(model: LogisticRegression, X: pd.DataFrame) -> np.ndarray:
    """Posterior draws of each row's risk, shape ``(n_draws, n_rows)``.

    ``intercept`` and ``beta`` in the posterior are on the data's scale, so the risk is
    ``expit(intercept + X beta)`` draw by draw; its mean is ``model.predict_proba(X)``.
    """
    post = model.idata.posterior
    intercept = post["intercept"].to_numpy().reshape(-1)
    beta = post["beta"].sel(predictor=list(X.columns)).transpose("chain", "draw", "predictor")
    coef = beta.to_numpy().reshape(-1, X.shape[1])
    return np.asarray(expit(intercept[:, None] + coef @ X.to_numpy(dtype=float).T))


def loo_probabilities(risk: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Leave-one-out predictive probability of malignancy from posterior draws.

    Importance sampling with the full posterior as proposal (Gelfand, Dey & Chang 1992): the
    leave-one-out predictive probability of the *observed* outcome is the harmonic mean of
    its probabilities over the draws, :math:`p(y_i \mid y_{-i}) = 1 / \overline{1/p(y_i
    \mid \theta_s)}`; for :math:`y_i = 0` the risk is one minus that.
    """
    observed = np.where(y == 1, risk, 1.0 - risk)
    p_observed = 1.0 / np.mean(1.0 / observed, axis=0)
    return np.where(y == 1, p_observed, 1.0 - p_observed)


def recalibration(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Cox's (1958) logistic recalibration ``logit P(y=1) = a + b logit p``, with Wald CIs.

    A slope ``b`` below 1 means the risks are too extreme (overfitting), above 1 too timid;
    ``a`` is the calibration intercept at slope ``b``.
    """
    lp = logit(np.clip(p, PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR))
    design = np.column_stack([np.ones_like(lp), lp])
    theta, hessian = newton_logistic(design, y.astype(float), np.zeros(2))
    se = np.sqrt(np.diag(np.linalg.inv(hessian * y.size)))
    z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    return {
        "intercept": float(theta[0]),
        "slope": float(theta[1]),
        "slope_low": float(theta[1] - z * se[1]),
        "slope_high": float(theta[1] + z * se[1]),
    }


def paired_log_score(y: np.ndarray, p_a: np.ndarray, p_b: np.ndarray) -> dict[str, float]:
    """Mean per-patient log-score difference a − b with a normal 95% interval (paired)."""
    diff = sc.log_score(y, p_a, reduce="none") - sc.log_score(y, p_b, reduce="none")
    mean = float(np.mean(diff))
    se = float(np.std(diff, ddof=1) / math.sqrt(diff.size))
    z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    return {"difference": mean, "std_error": se, "ci_low": mean - z * se, "ci_high": mean + z * se}


# ----------------------------------------------------------------------------- data
def load_data() -> tuple[pd.DataFrame, np.ndarray]:
    """Return the 30 nucleus features and the outcome (1 = malignant)."""
    frame = load_breast_cancer()
    X = frame.drop(columns="target")
    y = (frame["target"].to_numpy() == 0).astype(int)
    return X, y


def linearly_separable(X: pd.DataFrame, y: np.ndarray) -> bool:
    """Tell whether a hyperplane separates the classes (is ``s_i (a + z_i'b) >= 1`` feasible).

    A linear programme (HiGHS) with no objective; when it is feasible the logistic
    likelihood keeps rising as the coefficients grow, so its maximum does not exist.
    """
    z = ((X - X.mean()) / X.std()).to_numpy()
    sign = 2.0 * y - 1.0
    a_ub = -sign[:, None] * np.column_stack([np.ones(len(z)), z])
    res = optimize.linprog(
        np.zeros(a_ub.shape[1]),
        A_ub=a_ub,
        b_ub=-np.ones(len(z)),
        bounds=[(None, None)] * a_ub.shape[1],
        method="highs",
    )
    return bool(res.status == 0)


def univariable_table(X: pd.DataFrame, y: np.ndarray) -> pd.DataFrame:
    """Each feature's mean by class and its AUC on its own, with a DeLong interval."""
    rows = []
    for name in X.columns:
        x = X[name].to_numpy(dtype=float)
        auc = roc_auc(y, x, confidence_level=CONFIDENCE, ci_method=AUC_CI)
        rows.append(
            {
                "feature": name,
                "mean (benign)": float(x[y == 0].mean()),
                "mean (malignant)": float(x[y == 1].mean()),
                "AUC": auc.estimate,
                "AUC 95% CI": fmt_ci(auc.confidence_interval),
                "separation": abs(auc.estimate - 0.5),
            }
        )
    return pd.DataFrame(rows).sort_values("separation", ascending=False, ignore_index=True)


def report_data(report: Report, X: pd.DataFrame, y: np.ndarray) -> dict[str, Any]:
    """Write the data section: counts, single-feature AUCs, correlation and separability."""
    report.step("describing the data")
    uni = univariable_table(X, y)
    corr = X.corr().abs().to_numpy()
    upper = np.triu_indices_from(corr, k=1)
    pair = int(np.argmax(corr[upper]))
    i, j = upper[0][pair], upper[1][pair]
    n_high = int((corr[upper] > 0.9).sum())
    separable = linearly_separable(X, y)
    n_mal = int(y.sum())
    report.section("Data")
    report.text(
        f"The Wisconsin Diagnostic Breast Cancer data (Wolberg, Street & Mangasarian 1995): "
        f"{fmt(len(y))} fine-needle aspirates of breast masses, {fmt(n_mal)} malignant "
        f"({fmt(100 * n_mal / len(y), 3)}%) and {fmt(len(y) - n_mal)} benign, confirmed by "
        f"biopsy or follow-up. For each aspirate {X.shape[1]} features describe the cell "
        "nuclei in a digitised image: the mean, the standard error and the 'worst' (mean of "
        "the three largest) of ten measurements (radius, texture, perimeter, area, "
        "smoothness, compactness, concavity, concave points, symmetry, fractal dimension). "
        "Source: UCI Machine Learning Repository, as bundled in "
        "`statcraft.datasets.load_breast_cancer` (CC BY 4.0); its `target` is 0 for "
        f"malignant, so the study's outcome `{OUTCOME}` is `1 - target`."
    )
    top = uni.head(10).drop(columns="separation")
    report.table(
        top,
        caption="The ten features that best separate the classes on their own (AUC of the raw "
        "feature; DeLong 95% interval on the logit scale; below 0.5 means lower in malignant)",
    )
    report.text(
        f"Many single features already discriminate well (best AUC "
        f"{fmt(uni['AUC'].iloc[0])}, for `{uni['feature'].iloc[0]}`), which is why this data "
        "set is easy for classifiers — and a trap for honest evaluation: with so much signal, "
        "small leaks and optimistic choices are easy to miss. The features are also strongly "
        f"correlated: {n_high} of the {len(upper[0])} pairs have |r| > 0.9, the largest "
        f"|r| = {fmt(corr[i, j], 4)} between `{X.columns[i]}` and `{X.columns[j]}` "
        "(perimeter and area are nearly functions of the radius). "
        + (
            "Finally, the two classes are **linearly separable** in the 30 features (a linear "
            "programme finds a separating hyperplane, as the data's documentation `wdbc.names` "
            "also states): the unpenalised logistic regression "
            "has no maximum-likelihood estimate, because the likelihood keeps rising as the "
            "coefficients grow without bound. A penalty or a proper prior is not a refinement "
            "here; it is what makes the model exist."
            if separable
            else "The classes are not linearly separable in the 30 features, so the "
            "unpenalised maximum-likelihood estimate exists, but the correlated features make "
            "it unstable."
        )
    )
    return {
        "n": len(y),
        "n_malignant": n_mal,
        "prevalence": n_mal / len(y),
        "linearly_separable": separable,
        "n_pairs_abs_r_above_0_9": n_high,
        "max_abs_correlation": float(corr[i, j]),
        "univariable_auc": uni.drop(columns="separation"),
    }


# ----------------------------------------------------------------------------- models
def make_horseshoe(features: list[str], effort: Effort, seed: int) -> LogisticRegression:
    """Build the Bayesian model: regularised horseshoe on standardised features."""
    model = LogisticRegression(
        outcome=OUTCOME, predictors=features, prior="horseshoe", standardize=True
    )
    model.configure_sampler(
        draws=effort.draws,
        tune=effort.tune,
        chains=CHAINS,
        cores=CHAINS,
        rng=seed,
        on_failure="warn",
        progressbar=False,
    )
    return model


def report_models(report: Report, effort: Effort, n_features: int) -> None:
    """Write the models section: ridge and horseshoe logistic regression, with their maths."""
    grid = strengths(effort)
    report.section("Two logistic risk models")
    report.text(
        "Both models are logistic regressions of malignancy on all 30 features, "
        "standardised (z-scores) with the mean and standard deviation of the rows they are "
        "fitted to. They differ in how they keep the coefficients finite and small."
    )
    report.text(
        "**Ridge logistic regression** (frequentist, penalised). The coefficients minimise "
        "the mean log loss plus an L2 penalty; the intercept is not penalised:"
    )
    report.math(
        r"(\hat\alpha, \hat\beta)_\lambda = \arg\min_{\alpha, \beta}\; \frac1n \sum_{i=1}^n "
        r"\Big[\log\big(1 + e^{\eta_i}\big) - y_i \eta_i\Big] + \frac{\lambda}{2}\, "
        r"\lVert\beta\rVert_2^2, \qquad \eta_i = \alpha + z_i^\top \beta"
    )
    report.text(
        f"The penalty λ is chosen from {len(grid)} log-spaced values between "
        f"{fmt(grid[0])} and {fmt(grid[-1])} by the cross-validated log score (the mean "
        "negative log-likelihood of held-out patients, a proper scoring rule that rewards "
        "calibrated risks), with `statcraft.tune`. The fit is Newton's method (penalised "
        "iteratively reweighted least squares). Ridge keeps all features and shares the "
        "weight among correlated ones. It is the posterior mode under "
        "β_j ~ N(0, 1/(nλ)): one prior scale for every coefficient, set by cross-validation."
    )
    report.text(
        "**Bayesian logistic regression with the regularised horseshoe** "
        '(`statcraft.bayes.LogisticRegression(prior="horseshoe", standardize=True)`, '
        "Piironen & Vehtari 2017). Each coefficient has its own local scale λ_j and all share "
        "a global scale τ, so coefficients the data do not support are shrunk hard towards 0 "
        "while strong ones escape; the slab c keeps escaped coefficients finite, which keeps "
        "the posterior proper even though the classes are separable:"
    )
    report.math(
        r"y_i \sim \operatorname{Bernoulli}\big(\operatorname{logit}^{-1}(\alpha + "
        r"z_i^\top\beta)\big), \quad \beta_j = \zeta_j\, \tau\, \tilde\lambda_j, \quad "
        r"\tilde\lambda_j^2 = \frac{c^2 \lambda_j^2}{c^2 + \tau^2\lambda_j^2}, \quad "
        r"\zeta_j \sim \mathcal N(0, 1), \quad \lambda_j \sim \mathcal C^+(0, 1), \quad "
        r"\tau \sim \mathcal C^+(0, \tau_0), \quad c^2 \sim \operatorname{Inv-Gamma}(2, 12.5)"
    )
    report.text(
        "(the local scales λ_j are the horseshoe's, unrelated to the ridge penalty λ), "
        "with α ~ N(0, 5) and the template's default global scale "
        "τ₀ = p₀/(p − p₀) · 2/√n, where p₀ (the prior guess of how many of the "
        f"{n_features} coefficients matter) is a fifth of them. Nothing is tuned by "
        "cross-validation: the amount of shrinkage (τ, λ_j) is learned inside each fit. "
        f"Sampling: NUTS, {CHAINS} chains × ({fmt(effort.tune)} tuning + {fmt(effort.draws)} "
        "kept draws), target acceptance 0.95; the risk of a new patient is the posterior mean "
        "of logit⁻¹(α + z'β)."
    )


# ----------------------------------------------------------------------------- nested CV
@dataclass
class OuterFold:
    """What one outer fold of the nested cross-validation produced."""

    number: int
    test: np.ndarray
    tuning: pd.DataFrame
    strength: float
    ridge_threshold: float
    ridge_test: np.ndarray
    horseshoe: LogisticRegression
    horseshoe_threshold: float
    horseshoe_test: np.ndarray
    horseshoe_interval: np.ndarray


def tune_ridge(X: pd.DataFrame, y: np.ndarray, effort: Effort, seed: int) -> Any:
    """Choose λ by the inner cross-validated log score (stratified folds of these rows)."""
    return sc.tune(
        RidgeLogistic,
        {"strength": strengths(effort)},
        X,
        y,
        cv=StratifiedKFold(effort.inner_folds, seed),
        scoring="log_score",
    )


def ridge_threshold(
    X: pd.DataFrame, y: np.ndarray, strength: float, folds: int, seed: int
) -> float:
    """Youden threshold of the tuned ridge model on its inner cross-validated predictions."""
    cv = sc.cross_validate(
        RidgeLogistic(strength),
        X,
        y,
        cv=StratifiedKFold(folds, seed),
        scoring="log_score",
        return_predictions=True,
    )
    assert cv.predictions is not None  # asked for with return_predictions=True
    preds = cv.predictions.sort_values("position")
    return youden_cutoff(y[preds["position"].to_numpy()], preds["probability"].to_numpy())


def run_outer_fold(
    number: int,
    train: np.ndarray,
    test: np.ndarray,
    X: pd.DataFrame,
    y: np.ndarray,
    effort: Effort,
    seeds: dict[str, int],
) -> OuterFold:
    """Tune and fit both models on the training rows, then predict the test rows.

    Everything learned from data — standardisation, λ, the posterior, both thresholds — uses
    the training rows only.
    """
    X_tr, y_tr, X_te = X.iloc[train], y[train], X.iloc[test]
    inner_seed = seeds["inner_split"] + number
    tuned = tune_ridge(X_tr, y_tr, effort, inner_seed)
    strength = float(tuned.best_params["strength"])
    ridge = RidgeLogistic(strength).fit(X_tr, y_tr)
    threshold = ridge_threshold(X_tr, y_tr, strength, effort.inner_folds, inner_seed)

    horseshoe = make_horseshoe(list(X.columns), effort, seeds["fold_fits"] + number)
    horseshoe.fit(X_tr, y_tr)
    train_risk = posterior_risk_draws(horseshoe, X_tr)
    test_risk = posterior_risk_draws(horseshoe, X_te)
    tail = (1.0 - CREDIBLE) / 2
    return OuterFold(
        number=number,
        test=test,
        tuning=tuned.table,
        strength=strength,
        ridge_threshold=threshold,
        ridge_test=ridge.predict_proba(X_te),
        horseshoe=horseshoe,
        horseshoe_threshold=youden_cutoff(y_tr, loo_probabilities(train_risk, y_tr)),
        horseshoe_test=horseshoe.predict_proba(X_te),
        horseshoe_interval=np.quantile(test_risk, [tail, 1.0 - tail], axis=0),
    )


def gate(model: LogisticRegression) -> str:
    """Return 'passed' or 'FAILED' for a fitted model's convergence gate."""
    return "passed" if model.convergence is not None and model.convergence.passed else "FAILED"


def pool(folds: list[OuterFold], n: int, field: str) -> np.ndarray:
    """Put a per-test-row quantity of every outer fold back in the original row order."""
    first = getattr(folds[0], field)
    out = np.empty((*np.shape(first)[:-1], n)) if np.ndim(first) > 1 else np.empty(n)
    for fold in folds:
        out[..., fold.test] = getattr(fold, field)
    return out


def fold_constant(folds: list[OuterFold], n: int, field: str) -> np.ndarray:
    """Spread a per-fold number (a threshold) over that fold's test rows."""
    out = np.empty(n)
    for fold in folds:
        out[fold.test] = getattr(fold, field)
    return out


def plot_tuning(folds: list[OuterFold], final: Any) -> plt.Figure:
    """Inner cross-validated log score against λ, per outer fold and on all data."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for fold in folds:
        t = fold.tuning
        ax.plot(t["strength"], t["log_score"], color="C0", alpha=0.45, lw=1.2)
        ax.plot(fold.strength, t["log_score"].min(), "o", color="C0", ms=5)
    t = final.table
    ax.plot(t["strength"], t["log_score"], color="C3", lw=2.2, label="all 569 aspirates")
    best = final.table.iloc[final.best_index]
    ax.plot(best["strength"], best["log_score"], "D", color="C3", ms=7, label="chosen λ")
    ax.plot([], [], color="C0", alpha=0.6, label="each outer training fold (dot: chosen λ)")
    ax.set_xscale("log")
    ax.set_xlabel("ridge penalty λ (log scale)")
    ax.set_ylabel("inner CV log score (nats per patient, lower is better)")
    ax.set_title("Choosing the ridge penalty by inner cross-validation")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def report_nested_cv(
    report: Report,
    X: pd.DataFrame,
    y: np.ndarray,
    effort: Effort,
    seeds: dict[str, int],
) -> dict[str, Any]:
    """Run the nested cross-validation and the all-data fits; write the design section."""
    report.section("Nested cross-validation: an honest estimate of the whole procedure")
    report.text(
        f"The patients are split into {effort.outer_folds} stratified outer folds (each with "
        "the overall share of malignant tumours). For each outer fold the other folds are the "
        "training set, on which *everything* is learned: the standardisation, the ridge "
        f"penalty (by an inner {effort.inner_folds}-fold cross-validation of the training set "
        "only), the horseshoe posterior (its shrinkage is learned inside the fit, so it needs "
        "no inner loop), and each model's decision threshold. The untouched outer fold is "
        "then predicted. Every patient is thus predicted exactly once, by models that never "
        "saw them, and the pooled out-of-fold risks measure how the *procedure* — tuning "
        "included — will do on new patients. Tuning and evaluating on the same folds would "
        "report the best of many tries, an optimistic number."
    )
    report.text(
        "The decision thresholds are chosen on the training folds, never on the test fold: "
        "each maximises Youden's J (sensitivity + specificity − 1) on predictions for training "
        "patients that the model had not seen — the ridge model's inner cross-validated "
        "predictions at the chosen λ, and the horseshoe's leave-one-out predictive risks, "
        "computed from its posterior draws by importance sampling (Gelfand, Dey & Chang "
        "1992). In-sample risks of a separable data set would put the threshold anywhere in "
        "the gap between the classes."
    )
    folds = []
    splitter = StratifiedKFold(effort.outer_folds, seeds["outer_split"])
    for number, (train, test) in enumerate(splitter.split(X, y)):
        report.step(f"outer fold {number + 1}/{effort.outer_folds}: ridge tuning, horseshoe fit")
        fold = run_outer_fold(number, train, test, X, y, effort, seeds)
        report.add_fit(f"horseshoe, outer fold {number + 1}", fold.horseshoe)
        folds.append(fold)

    report.step("fitting both models to all 569 aspirates")
    final_tuning = tune_ridge(X, y, effort, seeds["final_split"])
    final_strength = float(final_tuning.best_params["strength"])
    final_ridge = RidgeLogistic(final_strength).fit(X, y)
    final_horseshoe = make_horseshoe(list(X.columns), effort, seeds["final_fit"])
    final_horseshoe.fit(X, y)
    report.add_fit("horseshoe, all 569 aspirates", final_horseshoe)

    n = len(y)
    table = pd.DataFrame(
        {
            "outer fold": [f.number + 1 for f in folds],
            "test patients": [f.test.size for f in folds],
            "malignant": [int(y[f.test].sum()) for f in folds],
            "ridge λ": [f.strength for f in folds],
            "ridge threshold": [f.ridge_threshold for f in folds],
            "horseshoe threshold": [f.horseshoe_threshold for f in folds],
            "ridge AUC": [roc_auc(y[f.test], f.ridge_test).estimate for f in folds],
            "horseshoe AUC": [roc_auc(y[f.test], f.horseshoe_test).estimate for f in folds],
            "horseshoe gate": [gate(f.horseshoe) for f in folds],
        }
    )
    report.table(
        table,
        caption="Per outer fold: the penalty and thresholds chosen on its training folds, and "
        "each model's AUC on its test fold",
    )
    lam = table["ridge λ"]
    t = final_tuning.table
    best = t.iloc[final_tuning.best_index]
    best_se = float(best["log_score_std_error"])
    flat = t.loc[t["log_score"] <= best["log_score"] + best_se, "strength"]
    report.figure(
        plot_tuning(folds, final_tuning),
        "ridge_tuning",
        "Inner cross-validated log score of ridge logistic regression against the penalty λ, "
        "for each outer training fold and for all the data; dots mark the chosen λ",
    )
    chosen = (
        f"The same penalty, λ = {fmt(lam.min())}, was chosen in every outer fold"
        if lam.min() == lam.max()
        else f"The chosen penalty ranged from λ = {fmt(lam.min())} to {fmt(lam.max())} across "
        "outer folds"
    )
    report.text(
        f"{chosen} (all data: λ = {fmt(final_strength)}). On all the data every λ from "
        f"{fmt(flat.min())} to {fmt(flat.max())} scores within one standard error of the best "
        f"(log score {fmt(best['log_score'], 3)}, SE {fmt(best_se, 2)}), so the "
        "exact λ matters little; what matters is that λ is not near 0, where the separable "
        "data send the coefficients to infinity and the risks to 0 or 1."
    )
    return {
        "n": n,
        "features": list(X.columns),
        "folds": folds,
        "fold_table": table,
        "ridge": pool(folds, n, "ridge_test"),
        "horseshoe": pool(folds, n, "horseshoe_test"),
        "horseshoe_interval": pool(folds, n, "horseshoe_interval"),
        "ridge_threshold": fold_constant(folds, n, "ridge_threshold"),
        "horseshoe_threshold": fold_constant(folds, n, "horseshoe_threshold"),
        "final_strength": final_strength,
        "one_se_strengths": [float(flat.min()), float(flat.max())],
        "final_ridge": final_ridge,
        "final_horseshoe": final_horseshoe,
    }


# ----------------------------------------------------------------------------- discrimination
def operating_point(y: np.ndarray, risk: np.ndarray, threshold: np.ndarray) -> tuple[float, float]:
    """Return the false and true positive rates of the calls ``risk >= threshold``."""
    calls = risk >= threshold
    return float(calls[y == 0].mean()), float(calls[y == 1].mean())


def plot_roc(
    y: np.ndarray, risks: dict[str, np.ndarray], points: dict[str, tuple[float, float]]
) -> plt.Figure:
    """Out-of-fold ROC curves of both models, whole and zoomed, with the operating points."""
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.8))
    for ax, zoom in zip(axes, (False, True), strict=True):
        for k, (name, p) in enumerate(risks.items()):
            curve = roc_curve(y, p)
            ax.plot(curve.fpr, curve.tpr, color=f"C{k}", lw=1.8, label=f"{name}")
            ax.plot(
                *points[name],
                "o",
                color=f"C{k}",
                ms=7,
                mec="black",
                label=f"{name}: training-fold thresholds",
            )
        ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="chance")
        ax.set_xlabel("false positive rate (1 − specificity)")
        ax.set_ylabel("true positive rate (sensitivity)")
        if zoom:
            ax.set_xlim(0, 0.2)
            ax.set_ylim(0.8, 1.0)
            ax.set_title("zoom on the top-left corner")
        else:
            ax.set_xlim(-0.01, 1.01)
            ax.set_ylim(-0.01, 1.01)
            ax.set_title("out-of-fold ROC curves")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def report_discrimination(
    report: Report, y: np.ndarray, cv: dict[str, Any], X: pd.DataFrame
) -> dict[str, Any]:
    """AUC with DeLong intervals, DeLong's paired test, and the apparent (in-sample) AUCs."""
    report.step("discrimination: AUC, DeLong test")
    auc = {
        name: roc_auc(y, cv[name], confidence_level=CONFIDENCE, ci_method=AUC_CI)
        for name in ("ridge", "horseshoe")
    }
    test = delong_test(y, cv["ridge"], cv["horseshoe"], confidence_level=CONFIDENCE)
    diff = test.estimate
    assert diff is not None  # DeLong's test always estimates the AUC difference
    apparent = {
        "ridge": roc_auc(y, cv["final_ridge"].predict_proba(X)).estimate,
        "horseshoe": roc_auc(y, cv["final_horseshoe"].predict_proba(X)).estimate,
    }
    report.section("Discrimination: does the risk rank malignant above benign?")
    report.text(
        "The AUC is the probability that a randomly chosen malignant tumour gets a higher "
        "risk than a randomly chosen benign one. It is computed on the pooled out-of-fold "
        "risks, with DeLong's standard error (DeLong, DeLong & Clarke-Pearson 1988) and the "
        "interval built on the logit scale, which respects the upper bound of 1:"
    )
    report.math(
        r"\widehat{AUC} = \frac{1}{n_1 n_0} \sum_{i: y_i = 1} \sum_{j: y_j = 0} "
        r"\Big[\mathbf 1(\hat p_i > \hat p_j) + \tfrac12 \mathbf 1(\hat p_i = \hat p_j)\Big]"
    )
    risks = {name: cv[name] for name in auc}
    points = {name: operating_point(y, cv[name], cv[f"{name}_threshold"]) for name in auc}
    report.figure(
        plot_roc(y, risks, points),
        "roc_curves",
        "Out-of-fold ROC curves of both models (right: the top-left corner enlarged); dots: "
        "the operating points of the thresholds chosen on the training folds",
    )
    rows = []
    for name, est in auc.items():
        rows.append(
            {
                "model": name,
                "out-of-fold AUC": est.estimate,
                "DeLong SE": est.std_error,
                "95% CI (logit)": fmt_ci(est.confidence_interval, 4),
                "apparent AUC (all data, in sample)": apparent[name],
            }
        )
    report.table(pd.DataFrame(rows), caption="AUC of the two procedures", digits=4)
    ci = diff.confidence_interval
    significant = test.pvalue < 1 - CONFIDENCE
    lowest = min(est.confidence_interval.low for est in auc.values())
    report.text(
        ("Both procedures discriminate almost perfectly" if lowest > 0.95 else "Out of sample")
        + f" out of sample: ridge AUC "
        f"{estimate_text(auc['ridge'], 4)}, horseshoe {estimate_text(auc['horseshoe'], 4)}. "
        f"DeLong's paired test, which allows for the correlation of the two AUCs measured on "
        f"the same patients (r = {fmt(test.details['correlation'], 2)}), puts the difference "
        f"(ridge − horseshoe) at {fmt(diff.estimate, 2)} with 95% CI "
        f"{fmt_ci(ci, 2)} ({p_is(test.pvalue)}): "
        + (
            "a detectable difference in ranking, though small in absolute terms."
            if significant
            else "no detectable difference; on these data the two ways of shrinking "
            "rank patients equally well."
        )
        + f" The apparent AUCs of the all-data fits ({fmt(apparent['ridge'], 4)} and "
        f"{fmt(apparent['horseshoe'], 4)}) are higher, as in-sample numbers always are; the "
        "nested cross-validated ones are what a new patient can expect. The DeLong interval "
        "treats the out-of-fold risks as one score and ignores that they come from "
        "different refits, so it is slightly too narrow."
    )
    return {
        "auc": {name: est.to_dict() for name, est in auc.items()},
        "delong": {
            "difference": diff.estimate,
            "ci_low": ci.low,
            "ci_high": ci.high,
            "z": test.statistic,
            "pvalue": test.pvalue,
            "correlation": float(test.details["correlation"]),
        },
        "apparent_auc": apparent,
    }


# ----------------------------------------------------------------------------- calibration
def plot_calibration(y: np.ndarray, risks: dict[str, np.ndarray]) -> plt.Figure:
    """Reliability diagram of both models (Wilson intervals) above a histogram of the risks."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(6.5, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]}
    )
    top.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    bins = np.linspace(0, 1, CALIBRATION_BINS + 1)
    for k, (name, p) in enumerate(risks.items()):
        tab = sc.calibration_curve(y, p, n_bins=CALIBRATION_BINS, confidence_level=CONFIDENCE)
        shift = 0.006 * (2 * k - 1)
        yerr = np.vstack([tab["observed"] - tab["ci_low"], tab["ci_high"] - tab["observed"]])
        top.errorbar(
            tab["mean_predicted"] + shift,
            tab["observed"],
            yerr=yerr,
            fmt="o-",
            color=f"C{k}",
            capsize=3,
            ms=4,
            label=f"{name} (95% Wilson CI per bin)",
        )
        bottom.hist(p, bins=bins, color=f"C{k}", alpha=0.5, label=name)
    top.set_ylabel("observed share malignant")
    top.set_title("Calibration of the out-of-fold risks")
    top.legend(loc="upper left", fontsize=8)
    bottom.set_yscale("log")
    bottom.set_xlabel("predicted risk of malignancy (out of fold)")
    bottom.set_ylabel("patients (log scale)")
    bottom.legend(fontsize=8)
    fig.tight_layout()
    return fig


def report_calibration(report: Report, y: np.ndarray, cv: dict[str, Any]) -> dict[str, Any]:
    """Brier and log scores, the calibration slope, and the reliability diagram."""
    report.step("calibration: Brier, log score, slope")
    risks = {"ridge": cv["ridge"], "horseshoe": cv["horseshoe"]}
    out: dict[str, Any] = {}
    rows = []
    for name, p in risks.items():
        brier = sc.brier_score(y, p, n_bins=CALIBRATION_BINS)
        recal = recalibration(y, p)
        out[name] = {
            "brier": brier.score,
            "brier_skill": brier.skill_score,
            "reliability": brier.reliability,
            "resolution": brier.resolution,
            "log_score": float(sc.log_score(y, p)),
            **recal,
        }
        rows.append(
            {
                "model": name,
                "Brier score": brier.score,
                "Brier skill": brier.skill_score,
                "reliability (REL)": brier.reliability,
                "resolution (RES)": brier.resolution,
                "log score (nats)": out[name]["log_score"],
                "calibration slope [95% CI]": f"{fmt(recal['slope'])} "
                f"{fmt_ci((recal['slope_low'], recal['slope_high']))}",
                "calibration intercept": recal["intercept"],
            }
        )
    report.section("Calibration: are the risks right?")
    report.text(
        "A risk model is used through its numbers: a patient told '5%' should be malignant "
        "about 5% of the time. Four checks on the out-of-fold risks: the reliability curve "
        f"({CALIBRATION_BINS} equal-width bins of risk, observed share malignant with a Wilson "
        "interval), the Brier score with Murphy's decomposition (REL, lower is better, "
        "measures miscalibration; RES, higher is better, measures how far the risks move "
        "away from the base rate) and the log score, and Cox's logistic recalibration"
    )
    report.math(
        r"\operatorname{logit} P(y_i = 1) = a + b\, \operatorname{logit} \hat p_i, "
        r"\qquad b < 1:\ \text{risks too extreme}, \quad b > 1:\ \text{too timid}"
    )
    report.table(pd.DataFrame(rows), caption="Accuracy and calibration of the out-of-fold risks")
    report.figure(
        plot_calibration(y, risks),
        "calibration",
        "Reliability diagram of the out-of-fold risks of both models (bins of width 0.1, "
        "points offset slightly for legibility) and the distribution of the risks",
    )
    r, h = out["ridge"], out["horseshoe"]
    words = {name: slope_words(v) for name, v in out.items()}
    paired = paired_log_score(y, risks["ridge"], risks["horseshoe"])
    out["log_score_difference"] = paired
    extreme = {name: float(np.mean((p < 0.1) | (p > 0.9))) for name, p in risks.items()}
    middle = sc.calibration_curve(y, risks["ridge"], n_bins=CALIBRATION_BINS)
    middle = middle[(middle["bin_low"] >= 0.2) & (middle["bin_high"] <= 0.8)]
    report.text(
        f"Most risks are extreme: {fmt(100 * extreme['ridge'], 3)}% (ridge) and "
        f"{fmt(100 * extreme['horseshoe'], 3)}% (horseshoe) are below 0.1 or above 0.9. The "
        f"calibration slope is {fmt(r['slope'])} for ridge ({words['ridge']}) and "
        f"{fmt(h['slope'])} for the horseshoe ({words['horseshoe']}). The Brier scores "
        f"({fmt(r['brier'], 3)} and {fmt(h['brier'], 3)}) are a small fraction of the "
        f"{fmt(r['brier'] / (1 - r['brier_skill']), 3)} of always predicting the base rate "
        f"(skill {fmt(r['brier_skill'], 3)} and {fmt(h['brier_skill'], 3)}). By the log "
        f"score, which punishes confident mistakes hardest, the paired per-patient difference "
        f"(ridge − horseshoe) is {fmt(paired['difference'], 2)} nats, 95% CI "
        f"{fmt_ci((paired['ci_low'], paired['ci_high']), 2)}: "
        + (
            "the two models' risks are equally good."
            if paired["ci_low"] <= 0 <= paired["ci_high"]
            else f"the {'ridge' if paired['difference'] < 0 else 'horseshoe'} risks are better."
        )
        + f" The bins between 0.2 and 0.8 hold only {int(middle['n'].sum())} of "
        f"{fmt(len(y))} ridge risks, so their intervals are wide: calibration of intermediate "
        "risks — the ones that matter for a decision — is known only roughly."
    )
    return out


def slope_words(recal: dict[str, float]) -> str:
    """Describe a calibration slope by whether its interval contains 1."""
    if recal["slope_low"] <= 1 <= recal["slope_high"]:
        return "its interval includes 1"
    if recal["slope_high"] < 1:
        return "below 1: the risks are too extreme"
    return "above 1: the risks are too timid"


# ----------------------------------------------------------------------------- threshold
def accuracy_rows(results: dict[str, Any]) -> pd.DataFrame:
    """Table of the diagnostic-accuracy measures, one column per model."""
    labels = {
        "sensitivity": "sensitivity",
        "specificity": "specificity",
        "ppv": "PPV (sample prevalence)",
        "npv": "NPV (sample prevalence)",
        "accuracy": "accuracy",
        "positive_likelihood_ratio": "LR+",
        "negative_likelihood_ratio": "LR−",
        "diagnostic_odds_ratio": "diagnostic odds ratio",
    }
    rows = []
    for attr, label in labels.items():
        row = {"measure": label}
        for name, res in results.items():
            row[name] = estimate_text(getattr(res["sample"], attr))
        rows.append(row)
    for attr in ("ppv", "npv"):
        row = {"measure": f"{attr.upper()} at prevalence {fmt(ILLUSTRATIVE_PREVALENCE, 2)}"}
        for name, res in results.items():
            row[name] = estimate_text(getattr(res["illustrative"], attr))
        rows.append(row)
    return pd.DataFrame(rows)


def report_threshold(report: Report, y: np.ndarray, cv: dict[str, Any]) -> dict[str, Any]:
    """Diagnostic accuracy of both models at their training-fold Youden thresholds."""
    report.step("diagnostic accuracy at the training-fold thresholds")
    results: dict[str, Any] = {}
    for name in ("ridge", "horseshoe"):
        calls = (cv[name] >= cv[f"{name}_threshold"]).astype(int)
        results[name] = {
            "calls": calls,
            "sample": diagnostic_accuracy(
                y_true=y, y_pred=calls, confidence_level=CONFIDENCE, method="wilson"
            ),
            "illustrative": diagnostic_accuracy(
                y_true=y,
                y_pred=calls,
                prevalence=ILLUSTRATIVE_PREVALENCE,
                confidence_level=CONFIDENCE,
            ),
        }
    report.section("Diagnostic accuracy at a threshold chosen on the training folds")
    report.text(
        "To act on a risk one needs a threshold. Here each outer fold's threshold was chosen "
        "on its training folds (Youden's J on predictions for training patients the model had "
        "not seen, see above) and applied unchanged to the test fold; the test folds' calls "
        "are pooled into one 2 × 2 table per model. The threshold was **not** tuned on the "
        "patients it is judged on — doing so would report the best of all cut-offs and "
        "overstate both sensitivity and specificity. Proportions carry Wilson intervals, "
        "likelihood ratios log (Katz) intervals, the diagnostic odds ratio Woolf's interval."
    )
    report.table(
        accuracy_rows(results),
        caption="Pooled out-of-fold diagnostic accuracy (95% CIs); last two rows: predictive "
        f"values recomputed by Bayes' theorem at an illustrative prevalence of "
        f"{fmt(100 * ILLUSTRATIVE_PREVALENCE, 2)}%",
    )
    r, h = results["ridge"]["sample"], results["horseshoe"]["sample"]
    rc, hc = r.counts, h.counts
    thr = cv["fold_table"]
    report.text(
        f"Ridge, at thresholds {fmt(thr['ridge threshold'].min(), 2)}–"
        f"{fmt(thr['ridge threshold'].max(), 2)} across folds, missed {rc['fn']} of "
        f"{rc['tp'] + rc['fn']} malignant tumours and wrongly called {rc['fp']} of "
        f"{rc['fp'] + rc['tn']} benign ones malignant; the horseshoe, at "
        f"{fmt(thr['horseshoe threshold'].min(), 2)}–{fmt(thr['horseshoe threshold'].max(), 2)}, "
        f"missed {hc['fn']} and wrongly called {hc['fp']}. A positive call multiplies the "
        f"odds of malignancy by LR+ = {fmt(r.positive_likelihood_ratio.estimate)} (ridge) and "
        f"{fmt(h.positive_likelihood_ratio.estimate)} (horseshoe); a negative call by LR− = "
        f"{fmt(r.negative_likelihood_ratio.estimate)} and "
        f"{fmt(h.negative_likelihood_ratio.estimate)}. The accuracy, "
        f"{fmt(100 * r.accuracy.estimate, 3)}% (ridge) and {fmt(100 * h.accuracy.estimate, 3)}% "
        "(horseshoe), "
        + (
            "is close to"
            if max(abs(e.accuracy.estimate - PUBLISHED_ACCURACY) for e in (r, h)) < 0.02
            else "compares with"
        )
        + f" the {fmt(100 * PUBLISHED_ACCURACY, 3)}% the data's authors report for their "
        "three-feature separating plane (repeated 10-fold cross-validation, `wdbc.names`). "
        "Predictive values depend on the "
        f"prevalence: the sample's {fmt(100 * r.prevalence.estimate, 3)}% malignant is a "
        "referral series, and at a prevalence of "
        f"{fmt(100 * ILLUSTRATIVE_PREVALENCE, 2)}% the ridge PPV would fall to "
        f"{fmt(results['ridge']['illustrative'].ppv.estimate)} while its NPV rose to "
        f"{fmt(results['ridge']['illustrative'].npv.estimate, 4)}. Youden's J weighs a missed "
        "cancer and an unnecessary biopsy equally; a clinic that fears missed cancers more "
        "would choose a lower threshold, on the training folds again."
    )
    return {
        name: {
            "counts": dict(res["sample"].counts),
            "sample": res["sample"].to_frame(),
            "illustrative_prevalence": res["illustrative"].to_frame(),
        }
        for name, res in results.items()
    }


# ----------------------------------------------------------------------------- coefficients
def coefficient_table(cv: dict[str, Any], features: list[str]) -> pd.DataFrame:
    """Standardised coefficients: the all-data ridge fit beside the horseshoe posterior."""
    summary = cv["final_horseshoe"].summary(var_names=["beta_std"], hdi_prob=CREDIBLE)
    rows = []
    for j, name in enumerate(features):
        post = summary.loc[f"beta_std[{name}]"]
        rows.append(
            {
                "feature": name,
                "ridge": float(cv["final_ridge"].coef_std_[j]),
                "horseshoe mean": float(post["mean"]),
                "horseshoe low": float(post["hdi_low"]),
                "horseshoe high": float(post["hdi_high"]),
            }
        )
    frame = pd.DataFrame(rows)
    frame["excludes 0"] = (frame["horseshoe low"] > 0) | (frame["horseshoe high"] < 0)
    order = frame["horseshoe mean"].abs().sort_values(ascending=False).index
    return frame.loc[order].reset_index(drop=True)


def size_effect(cv: dict[str, Any]) -> dict[str, float]:
    """Joint effect of the six size features: the sum of their standardised coefficients.

    The log-odds change for an aspirate one standard deviation larger on all six at once;
    for the horseshoe its posterior mean and equal-tailed interval, for ridge the estimate.
    """
    post = cv["final_horseshoe"].idata.posterior["beta_std"]
    total = post.sel(predictor=list(SIZE_FEATURES)).sum("predictor").to_numpy().ravel()
    tail = (1.0 - CREDIBLE) / 2
    ridge = cv["final_ridge"]
    columns = list(cv["features"])
    return {
        "horseshoe_mean": float(total.mean()),
        "horseshoe_low": float(np.quantile(total, tail)),
        "horseshoe_high": float(np.quantile(total, 1.0 - tail)),
        "ridge": float(sum(ridge.coef_std_[columns.index(f)] for f in SIZE_FEATURES)),
    }


def plot_coefficients(table: pd.DataFrame) -> plt.Figure:
    """Forest plot: horseshoe posterior means and intervals beside the ridge estimates."""
    y = np.arange(len(table))[::-1].astype(float)
    fig, ax = plt.subplots(figsize=(7.5, 9))
    ax.hlines(
        y + 0.15,
        table["horseshoe low"],
        table["horseshoe high"],
        color="C1",
        lw=2,
        label=f"horseshoe {CREDIBLE:.0%} HDI",
    )
    ax.plot(table["horseshoe mean"], y + 0.15, "o", color="C1", ms=4, label="horseshoe mean")
    ax.plot(table["ridge"], y - 0.15, "s", color="C0", ms=4, label="ridge (all data, tuned λ)")
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, table["feature"], fontsize=8)
    ax.set_xlabel("coefficient on the log-odds scale, per standard deviation of the feature")
    ax.set_ylabel("feature (sorted by |horseshoe mean|)")
    ax.set_title("Standardised coefficients of the two all-data fits")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def report_coefficients(report: Report, cv: dict[str, Any], features: list[str]) -> dict[str, Any]:
    """Compare what the two all-data models learned: coefficients and effective size."""
    report.step("coefficients of the all-data fits")
    table = coefficient_table(cv, features)
    ridge = cv["final_ridge"]
    kept = table.loc[table["excludes 0"], "feature"].tolist()
    ridge_top = table.reindex(table["ridge"].abs().sort_values(ascending=False).index)
    report.section("What the models learned")
    report.text(
        f"Both models refitted to all {fmt(cv['n'])} aspirates "
        f"(ridge with λ = {fmt(cv['final_strength'])} chosen by cross-validation on all of "
        "them). Coefficients are per standard deviation of the feature, on the log-odds "
        "scale."
    )
    report.figure(
        plot_coefficients(table),
        "coefficients",
        f"Standardised coefficients: horseshoe posterior mean with {CREDIBLE:.0%} HDI, and the "
        "ridge estimate, for all 30 features",
    )
    size = size_effect(cv)
    size_table = table.set_index("feature").loc[list(SIZE_FEATURES)]
    n_size = int(size_table["excludes 0"].sum())
    same_sign = int((np.sign(table["ridge"]) == np.sign(table["horseshoe mean"])).sum())
    report.text(
        f"The two fits agree on the sign of {same_sign} of {len(table)} coefficients but not "
        "on their sizes. Ridge spreads the weight more evenly over correlated features (largest "
        "|coefficients|: "
        + ", ".join(f"`{f}` {fmt(v, 2)}" for f, v in ridge_top[["feature", "ridge"]].head(3).values)
        + f"); its effective number of parameters (the trace of its hat matrix) is "
        f"{fmt(ridge.effective_df_)} of {len(table) + 1}. The horseshoe lets a few coefficients "
        "grow (largest posterior means: "
        + ", ".join(
            f"`{f}` {fmt(v, 2)}" for f, v in table[["feature", "horseshoe mean"]].head(3).values
        )
        + f") and pulls weak ones towards 0, but its {CREDIBLE:.0%} intervals are wide: "
        f"{len(kept)} of {len(table)} {'excludes' if len(kept) == 1 else 'exclude'} 0 ("
        + (", ".join(f"`{f}`" for f in kept) if kept else "none")
        + ")."
    )
    report.text(
        "Wide intervals here are not a failure to learn. Take the six size features (mean and "
        f"worst radius, perimeter and area): {n_size} of the six "
        f"{'has' if n_size == 1 else 'have'} an interval excluding 0 individually, yet their sum "
        "— the change in log-odds for "
        "an aspirate one standard deviation larger on all six at once, which is how they "
        f"move — has posterior mean {fmt(size['horseshoe_mean'], 3)} with {CREDIBLE:.0%} "
        f"interval {fmt_ci((size['horseshoe_low'], size['horseshoe_high']))} (ridge: "
        f"{fmt(size['ridge'], 3)}). The data pin down the joint effect of size, not how to "
        "split it between near-duplicate measurements, and the posterior says so honestly "
        "where a point estimate cannot. Neither model's coefficients are causal effects; the "
        "two models answer the unanswerable split differently while predicting equally well."
    )
    return {
        "size_effect": size,
        "coefficients": table,
        "horseshoe_nonzero": kept,
        "ridge_effective_df": ridge.effective_df_,
        "final_strength": cv["final_strength"],
    }


# ----------------------------------------------------------------------------- patient level
def plot_patient_uncertainty(
    y: np.ndarray, mean: np.ndarray, interval: np.ndarray, thresholds: np.ndarray
) -> plt.Figure:
    """Each patient's out-of-fold risk with its posterior interval, sorted by risk."""
    order = np.argsort(mean)
    x = np.arange(mean.size)
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for label, colour, name in ((0, "C0", "benign"), (1, "C3", "malignant")):
        sel = y[order] == label
        ax.vlines(
            x[sel],
            interval[0, order][sel],
            interval[1, order][sel],
            color=colour,
            alpha=0.35,
            lw=1,
        )
        ax.plot(x[sel], mean[order][sel], ".", color=colour, ms=3, label=name)
    ax.axhspan(
        thresholds.min(),
        thresholds.max(),
        color="black",
        alpha=0.15,
        label="range of the training-fold thresholds",
    )
    ax.set_xlabel("patients, sorted by out-of-fold posterior mean risk")
    ax.set_ylabel("risk of malignancy (probability)")
    ax.set_title(f"Horseshoe: each patient's out-of-fold risk with its {CREDIBLE:.0%} interval")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def report_patients(report: Report, y: np.ndarray, cv: dict[str, Any]) -> dict[str, Any]:
    """Report how uncertain each patient's risk is, and whether that flags the errors."""
    report.step("patient-level posterior uncertainty")
    low, high = cv["horseshoe_interval"]
    thr = cv["horseshoe_threshold"]
    straddle = (low < thr) & (high >= thr)
    calls = (cv["horseshoe"] >= thr).astype(int)
    errors = calls != y
    n_err = int(errors.sum())
    caught = int((errors & straddle).sum())
    report.section("How sure is the model about one patient?")
    report.figure(
        plot_patient_uncertainty(y, cv["horseshoe"], cv["horseshoe_interval"], thr),
        "patient_uncertainty",
        f"Out-of-fold horseshoe risk of every patient (posterior mean) with its "
        f"{CREDIBLE:.0%} posterior interval, coloured by the true diagnosis; grey band: the "
        "thresholds chosen on the training folds",
    )
    report.text(
        "The ridge model gives each patient one number. The horseshoe's posterior gives each "
        f"out-of-fold risk an interval. For {int(straddle.sum())} of {fmt(len(y))} patients "
        f"the {CREDIBLE:.0%} interval contains their fold's threshold: the model cannot "
        "say on which side of the threshold they lie. "
        + (
            f"These patients hold {caught} of the horseshoe's {n_err} misclassifications, so "
            + (
                "the interval is a useful flag for 'refer for biopsy or second review'"
                if 2 * caught >= n_err
                else "the interval flags only a minority of the errors"
            )
            + " — though it is an interval for the *average* risk of patients like this one, "
            "not a guarantee about this patient."
            if n_err
            else "The horseshoe made no misclassification."
        )
    )
    return {
        "n_interval_contains_threshold": int(straddle.sum()),
        "n_errors": n_err,
        "n_errors_flagged": caught,
    }


# ----------------------------------------------------------------------------- conclusions
def report_conclusions(report: Report, res: dict[str, Any]) -> list[dict[str, str]]:
    """Write 'What we learned' and return the rows of the two-views table."""
    disc, cal, acc, coef, pat = (
        res["discrimination"],
        res["calibration"],
        res["accuracy"],
        res["coefficients"],
        res["patients"],
    )
    auc_r, auc_h = disc["auc"]["ridge"], disc["auc"]["horseshoe"]
    ls = cal["log_score_difference"]
    size = coef["size_effect"]
    d = disc["delong"]
    sens = {name: acc[name]["sample"].set_index("measure").loc["sensitivity"] for name in acc}
    spec = {name: acc[name]["sample"].set_index("measure").loc["specificity"] for name in acc}
    report.section("What we learned")
    report.bullets(
        [
            f"The 30 nucleus features predict malignancy very well, and honestly so: the "
            f"nested cross-validated AUC is {fmt(auc_r['estimate'], 4)} for ridge and "
            f"{fmt(auc_h['estimate'], 4)} for the horseshoe, with DeLong intervals whose lower "
            f"ends are {fmt(auc_r['ci_low'], 3)} and {fmt(auc_h['ci_low'], 3)}.",
            "Frequentist penalisation and Bayesian shrinkage rank patients "
            + (
                "differently beyond chance "
                if d["pvalue"] < 1 - CONFIDENCE
                else "indistinguishably "
            )
            + f"(DeLong difference {fmt(d['difference'], 2)}, {p_is(d['pvalue'])}); they "
            "differ in what they say about the features, not in how well they predict.",
            "The classes are linearly separable, so an unpenalised logistic regression does "
            "not exist; the penalty and the prior are structural, and their strength must be "
            "learned from the training data only (inner CV, or the posterior).",
            f"At thresholds chosen on the training folds, sensitivity is "
            f"{fmt(sens['ridge']['estimate'])} (ridge) and {fmt(sens['horseshoe']['estimate'])} "
            f"(horseshoe), specificity {fmt(spec['ridge']['estimate'])} and "
            f"{fmt(spec['horseshoe']['estimate'])}: the model would still miss "
            f"{acc['ridge']['counts']['fn']} and {acc['horseshoe']['counts']['fn']} of "
            f"{acc['ridge']['counts']['tp'] + acc['ridge']['counts']['fn']} cancers, so it "
            "supports, not replaces, a biopsy decision.",
            f"The horseshoe's calibration slope is {fmt(cal['horseshoe']['slope'])} "
            f"({slope_words(cal['horseshoe'])}) and ridge's {fmt(cal['ridge']['slope'])} "
            f"({slope_words(cal['ridge'])}); apparent in-sample AUCs "
            f"({fmt(disc['apparent_auc']['ridge'], 4)}, "
            f"{fmt(disc['apparent_auc']['horseshoe'], 4)}) overstate what new patients get.",
        ]
    )
    report.text(
        "**Caveats.** The 569 aspirates come from one hospital (University of Wisconsin, "
        "1987–1995) and one image-analysis system; the features depend on how the operator "
        "outlined the nuclei. Nested cross-validation estimates performance on new patients "
        "*from the same source*; transport to another clinic needs external validation and "
        "probably recalibration. The DeLong intervals treat the pooled out-of-fold risks as "
        "one score and ignore the variability from refitting in each fold, and the "
        "cross-validated AUC carries the extra variance of a single random split into folds. "
        "The predictive values hold at this referral series' prevalence only."
    )
    return [
        {
            "question": "How well does the procedure discriminate new patients?",
            "frequentist": f"ridge (λ by inner CV): AUC {fmt(auc_r['estimate'], 4)} "
            f"{fmt_ci((auc_r['ci_low'], auc_r['ci_high']), 4)} (nested CV, DeLong)",
            "Bayesian": f"horseshoe: AUC {fmt(auc_h['estimate'], 4)} "
            f"{fmt_ci((auc_h['ci_low'], auc_h['ci_high']), 4)} (nested CV, DeLong)",
        },
        {
            "question": "Does one model rank patients better?",
            "frequentist": f"DeLong paired test: difference {fmt(d['difference'], 2)} "
            f"{fmt_ci((d['ci_low'], d['ci_high']), 2)}, {p_is(d['pvalue'])}",
            "Bayesian": f"out-of-fold log score {fmt(cal['horseshoe']['log_score'], 3)} vs "
            f"ridge {fmt(cal['ridge']['log_score'], 3)} nats per patient (ridge − horseshoe "
            f"{fmt_ci((ls['ci_low'], ls['ci_high']), 2)})",
        },
        {
            "question": "Are the risks calibrated?",
            "frequentist": f"slope {fmt(cal['ridge']['slope'])} "
            f"{fmt_ci((cal['ridge']['slope_low'], cal['ridge']['slope_high']))}, Brier "
            f"{fmt(cal['ridge']['brier'], 3)}",
            "Bayesian": f"slope {fmt(cal['horseshoe']['slope'])} "
            f"{fmt_ci((cal['horseshoe']['slope_low'], cal['horseshoe']['slope_high']))}, Brier "
            f"{fmt(cal['horseshoe']['brier'], 3)}",
        },
        {
            "question": "Sensitivity / specificity at the training-fold threshold",
            "frequentist": f"{fmt(sens['ridge']['estimate'])} "
            f"{fmt_ci((sens['ridge']['ci_low'], sens['ridge']['ci_high']))} / "
            f"{fmt(spec['ridge']['estimate'])} "
            f"{fmt_ci((spec['ridge']['ci_low'], spec['ridge']['ci_high']))}",
            "Bayesian": f"{fmt(sens['horseshoe']['estimate'])} "
            f"{fmt_ci((sens['horseshoe']['ci_low'], sens['horseshoe']['ci_high']))} / "
            f"{fmt(spec['horseshoe']['estimate'])} "
            f"{fmt_ci((spec['horseshoe']['ci_low'], spec['horseshoe']['ci_high']))}",
        },
        {
            "question": "Which features carry the signal?",
            "frequentist": f"ridge keeps all 30 (effective df "
            f"{fmt(coef['ridge_effective_df'])}); six size features jointly "
            f"{fmt(size['ridge'], 3)} (point estimate only)",
            "Bayesian": f"{len(coef['horseshoe_nonzero'])} of 30 with a {CREDIBLE:.0%} HDI "
            f"excluding 0; six size features jointly {fmt(size['horseshoe_mean'], 3)} "
            f"{fmt_ci((size['horseshoe_low'], size['horseshoe_high']))}",
        },
        {
            "question": "How is the amount of shrinkage chosen?",
            "frequentist": "λ minimising the inner cross-validated log score",
            "Bayesian": "learned inside each fit (posterior of the global and local scales)",
        },
        {
            "question": "How sure is the risk of one patient?",
            "frequentist": "a single number (an interval would need a bootstrap of the whole "
            "tuned procedure)",
            "Bayesian": f"{CREDIBLE:.0%} posterior interval; it contains the threshold for "
            f"{pat['n_interval_contains_threshold']} patients, holding "
            f"{pat['n_errors_flagged']} of {pat['n_errors']} errors",
        },
    ]


# ----------------------------------------------------------------------------- main
def main(output_dir: str | Path, quick: bool = False, seed: int = 19951101) -> dict[str, Any]:
    """Run the breast-cancer diagnosis study and write its report.

    Parameters
    ----------
    output_dir : str or Path
        Where ``report.md``, ``figures/*.png`` and ``results.json`` are written.
    quick : bool
        Fewer folds, a coarser penalty grid and fewer MCMC draws (same 569 aspirates).
    seed : int
        Seed from which every random stage's seed is derived.

    Returns
    -------
    dict
        The results written to ``results.json``: the data summary, the per-fold table, the
        AUCs (``auc.ridge``, ``auc.horseshoe``: estimate, standard error, interval), the
        DeLong test, calibration, diagnostic accuracy, coefficients and patient-level
        uncertainty.
    """
    effort = QUICK if quick else FULL
    seeds = child_seeds(seed, SEED_STAGES)
    report = Report(
        "Breast cancer diagnosis from fine-needle aspirates: a penalised and a Bayesian "
        "logistic risk model, honestly evaluated",
        output_dir,
        seed=seed,
        quick=quick,
    )
    report.section("Question")
    report.text(
        "Thirty measurements of cell nuclei in a fine-needle aspirate of a breast mass: how "
        "well do they predict whether the mass is malignant, how trustworthy are the "
        "predicted risks, and what sensitivity and specificity would a clinic get at a "
        "threshold chosen in advance? And do a cross-validated ridge logistic regression and "
        "a Bayesian logistic regression with horseshoe shrinkage answer differently?"
    )
    report.step("loading the Wisconsin breast cancer data")
    X, y = load_data()
    features = list(X.columns)
    data = report_data(report, X, y)
    report_models(report, effort, len(features))
    cv = report_nested_cv(report, X, y, effort, seeds)
    results: dict[str, Any] = {
        "discrimination": report_discrimination(report, y, cv, X),
        "calibration": report_calibration(report, y, cv),
        "accuracy": report_threshold(report, y, cv),
        "coefficients": report_coefficients(report, cv, features),
    }
    results["patients"] = report_patients(report, y, cv)
    report.two_views(report_conclusions(report, results))
    report.results.update(
        {
            "data": data,
            "fold_table": cv["fold_table"],
            "auc": results["discrimination"]["auc"],
            "delong": results["discrimination"]["delong"],
            "apparent_auc": results["discrimination"]["apparent_auc"],
            "calibration": results["calibration"],
            "diagnostic_accuracy": results["accuracy"],
            "coefficients": results["coefficients"],
            "patients": results["patients"],
            "effort": {
                "outer_folds": effort.outer_folds,
                "inner_folds": effort.inner_folds,
                "n_strengths": effort.n_strengths,
                "tune": effort.tune,
                "draws": effort.draws,
                "chains": CHAINS,
            },
        }
    )
    auc = to_jsonable(results["discrimination"]["auc"])
    for name, label in (("ridge", "ridge logistic"), ("horseshoe", "Bayesian horseshoe")):
        report.headline(
            f"Cross-validated AUC, {label} (95% CI)",
            f"{fmt(auc[name]['estimate'])} {fmt_ci((auc[name]['ci_low'], auc[name]['ci_high']))}",
        )
    report.key_figure("roc_curves")
    report.step("writing the report")
    return report.finish()
