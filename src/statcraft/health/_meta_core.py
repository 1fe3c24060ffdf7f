r"""Numerical core of the inverse-variance meta-analysis models (private module).

Shared by :mod:`statcraft.health.meta` (intercept-only models) and
:mod:`statcraft.health.meta_regression` (models with moderators). Everything here works on a
design matrix ``X`` (k × p, full column rank) and follows metafor's ``rma.uni``:

- weighted least squares with weights :math:`w_i = 1/(v_i + \tau^2)`;
- the residual-heterogeneity estimators ``FE`` (:math:`\tau^2 = 0`), ``DL``
  (DerSimonian–Laird, general form of Raudenbush 2009), ``REML`` (Fisher scoring, started at
  the Hedges estimate, with metafor's check that :math:`\tau^2 = 0` does not have a larger
  restricted likelihood) and ``PM`` (Paule–Mandel: the generalised :math:`Q` equals
  :math:`k - p`);
- the Q-profile confidence interval for :math:`\tau^2` (Viechtbauer 2007);
- the "typical" sampling variance :math:`\tilde v = (k - p)/\operatorname{tr} P` used for
  :math:`I^2` and :math:`H^2`.

The quantities that involve the k × k matrix :math:`P = W - W X (X'WX)^{-1} X' W` are computed
from p × p matrices only (``tr P``, ``tr PP``, ``y'PPy``), so that large ``k`` costs O(k p²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from statcraft._validation import check_array

__all__: list[str] = []

METHODS = ("FE", "DL", "REML", "PM")
_REML_TOL = 1e-10
_REML_MAXITER = 500


@dataclass(frozen=True, slots=True)
class WlsFit:
    """Weighted least squares fit of ``y`` on ``X`` with weights ``w``."""

    beta: np.ndarray  # (p,)
    cov: np.ndarray  # (X'WX)^{-1}, (p, p)
    resid: np.ndarray  # y - X beta
    rss: float  # sum w resid^2 (the generalised Q)
    logdet_xwx: float  # log det(X'WX)


def check_effects(
    effects: object, variances: object, min_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Validate per-study effects and their sampling variances (same length, variances > 0)."""
    y = check_array(effects, "effects", min_size=min_size, suggest_omit=False)
    v = check_array(variances, "variances", min_size=min_size, suggest_omit=False)
    if len(y) != len(v):
        raise ValueError(
            f"`effects` and `variances` must have the same length; got {len(y)} and {len(v)}"
        )
    if np.any(v <= 0):
        i = int(np.flatnonzero(v <= 0)[0])
        raise ValueError(
            f"`variances` must be positive sampling variances; got {v[i]!r} (study {i})"
        )
    return y, v


def wls(y: np.ndarray, w: np.ndarray, X: np.ndarray) -> WlsFit:
    """Weighted least squares through the QR decomposition of ``sqrt(W) X``."""
    sw = np.sqrt(w)
    q, r = np.linalg.qr(X * sw[:, None])
    rinv = np.linalg.inv(r)  # p x p upper triangular (scipy's solve_triangular is slow here)
    beta = rinv @ (q.T @ (y * sw))
    resid = y - X @ beta
    return WlsFit(
        beta=beta,
        cov=rinv @ rinv.T,
        resid=resid,
        rss=float(np.sum(w * resid**2)),
        logdet_xwx=float(2.0 * np.sum(np.log(np.abs(np.diag(r))))),
    )


def q_gen(tau2: float, y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    r"""Generalised :math:`Q(\tau^2) = \sum_i (y_i - x_i'\hat\beta(\tau^2))^2 / (v_i + \tau^2)`."""
    w = 1.0 / (v + tau2)
    if X.shape[1] == 1 and np.all(X == 1.0):  # fast path of the intercept-only model
        mu = np.sum(w * y) / np.sum(w)
        return float(np.sum(w * (y - mu) ** 2))
    return wls(y, w, X).rss


def _traces(w: np.ndarray, X: np.ndarray, cov: np.ndarray) -> tuple[float, float]:
    """``tr P`` and ``tr PP`` for ``P = W - W X cov X' W``, from p × p matrices."""
    a2 = X.T @ (X * (w**2)[:, None])
    a3 = X.T @ (X * (w**3)[:, None])
    ca2 = cov @ a2
    tr_p = float(np.sum(w) - np.trace(ca2))
    tr_pp = float(np.sum(w**2) - 2.0 * np.trace(cov @ a3) + np.sum(ca2 * ca2.T))
    return tr_p, tr_pp


def typical_variance(v: np.ndarray, X: np.ndarray) -> float:
    r"""Metafor's "typical" sampling variance :math:`(k - p)/\operatorname{tr} P` with w = 1/v."""
    w = 1.0 / v
    tr_p, _ = _traces(w, X, wls(np.zeros_like(v), w, X).cov)
    return (X.shape[0] - X.shape[1]) / tr_p


# --------------------------------------------------------------------------- estimators
def _tau2_dl(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> tuple[float, float]:
    k, p = X.shape
    w = 1.0 / v
    fit = wls(y, w, X)
    tr_p, tr_pp = _traces(w, X, fit.cov)
    tau2 = max(0.0, (fit.rss - (k - p)) / tr_p)
    se = math.sqrt((2 * (k - p) + 4 * tau2 * tr_p + 2 * tau2**2 * tr_pp) / tr_p**2)
    return tau2, se


def _reml_loglik(tau2: float, y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    """Restricted log-likelihood up to a constant."""
    w = 1.0 / (v + tau2)
    fit = wls(y, w, X)
    return -0.5 * (float(np.sum(np.log(v + tau2))) + fit.logdet_xwx + fit.rss)


def _tau2_reml(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> tuple[float, float, int]:
    k, p = X.shape
    # Hedges (method-of-moments, unweighted) estimate as the starting value, as metafor.
    ols = wls(y, np.ones(k), X)
    tr_pv = float(np.sum(v) - np.trace(ols.cov @ (X.T @ (X * v[:, None]))))
    tau2 = max(0.0, (ols.rss - tr_pv) / (k - p))
    converged = False
    iterations = 0
    for iterations in range(1, _REML_MAXITER + 1):  # noqa: B007 - the count is reported
        w = 1.0 / (v + tau2)
        fit = wls(y, w, X)
        tr_p, tr_pp = _traces(w, X, fit.cov)
        py = w * fit.resid  # P y
        adj = (float(py @ py) - tr_p) / tr_pp
        while tau2 + adj < 0.0:  # step halving keeps tau2 >= 0
            adj /= 2.0
            if abs(adj) < 1e-300:
                adj = -tau2
                break
        new = tau2 + adj
        change = abs(new - tau2)
        tau2 = new
        if change < _REML_TOL * max(1.0, tau2):
            converged = True
            break
    if not converged:  # fall back to a bounded search of the restricted likelihood
        upper = max(100.0, 10.0 * float(np.var(y)) + 10.0 * float(np.max(v)))
        res = optimize.minimize_scalar(
            lambda t: -_reml_loglik(t, y, v, X),
            bounds=(0.0, upper),
            method="bounded",
            options={"xatol": 1e-12},
        )
        tau2 = float(res.x)
    # metafor's check: is the restricted likelihood larger at tau2 = 0?
    tol = float(np.finfo(float).eps) ** 0.25
    if tau2 > 1e-5 and _reml_loglik(0.0, y, v, X) - _reml_loglik(tau2, y, v, X) > tol:
        tau2 = 0.0
    w = 1.0 / (v + tau2)
    _, tr_pp = _traces(w, X, wls(y, w, X).cov)
    return tau2, math.sqrt(2.0 / tr_pp), iterations


def _upper_bracket(func: object, start: float) -> float:
    """Double ``start`` until the decreasing ``func`` is negative there."""
    upper = start
    for _ in range(200):
        if func(upper) < 0.0:  # type: ignore[operator]
            return upper
        upper *= 2.0
    raise ValueError(
        "could not bracket the root of the generalised Q statistic"
    )  # pragma: no cover


def _tau2_pm(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> tuple[float, float]:
    k, p = X.shape

    def f(t: float) -> float:
        return q_gen(t, y, v, X) - (k - p)

    if f(0.0) <= 0.0:
        tau2 = 0.0
    else:
        upper = _upper_bracket(f, max(1.0, 10.0 * float(np.var(y))))
        tau2 = float(optimize.brentq(f, 0.0, upper, xtol=1e-14, rtol=1e-13, maxiter=500))
    w = 1.0 / (v + tau2)
    se = math.sqrt(2.0 * k**2 / (k - p) / float(np.sum(w)) ** 2)
    return tau2, se


def estimate_tau2(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str
) -> tuple[float, float | None, dict[str, object]]:
    """Return ``(tau2, se, extras)`` for ``method`` in ``METHODS``."""
    if method == "FE":
        return 0.0, None, {}
    if method == "DL":
        tau2, se = _tau2_dl(y, v, X)
        return tau2, se, {}
    if method == "PM":
        tau2, se = _tau2_pm(y, v, X)
        return tau2, se, {}
    tau2, se, iterations = _tau2_reml(y, v, X)
    return tau2, se, {"iterations": iterations}


# --------------------------------------------------------------------------- Q-profile
def q_profile(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, confidence_level: float
) -> tuple[float, float]:
    r"""Q-profile interval for :math:`\tau^2` (Viechtbauer 2007), as metafor's ``confint``.

    The bounds solve :math:`Q(\tau^2) = \chi^2_{k-p;\,1-\alpha/2}` (lower) and
    :math:`Q(\tau^2) = \chi^2_{k-p;\,\alpha/2}` (upper); :math:`Q` decreases in
    :math:`\tau^2`, and a bound whose equation has no non-negative root is 0.
    """
    k, p = X.shape
    df = k - p
    alpha = 1.0 - confidence_level
    crit_upper = float(special.chdtri(df, alpha / 2))  # upper quantile
    crit_lower = float(special.chdtri(df, 1 - alpha / 2))  # lower quantile
    q0 = q_gen(0.0, y, v, X)
    start = max(1.0, 10.0 * float(np.var(y)))

    def root(target: float) -> float:
        def f(t: float) -> float:
            return q_gen(t, y, v, X) - target

        upper = _upper_bracket(f, start)
        return float(optimize.brentq(f, 0.0, upper, xtol=1e-14, rtol=1e-12, maxiter=500))

    low = 0.0 if q0 <= crit_upper else root(crit_upper)
    high = 0.0 if q0 <= crit_lower else root(crit_lower)
    return low, high


def heterogeneity_share(tau2: float, vt: float) -> tuple[float, float]:
    """Return ``(I², H²)`` of a random-effects fit: 100 tau²/(vt + tau²) and 1 + tau²/vt."""
    return 100.0 * tau2 / (vt + tau2), 1.0 + tau2 / vt


def q_based_share(q: float, df: int) -> tuple[float, float]:
    """``(I², H²)`` from Q as metafor reports them for common-effect models."""
    if df <= 0:
        return 0.0, 1.0
    i2 = 0.0 if q <= df else 100.0 * (q - df) / q
    return i2, q / df
