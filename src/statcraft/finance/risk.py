r"""Value at risk and expected shortfall: estimates with intervals, rolling forecasts, draws.

Losses are positive. With :math:`p = 1 - \text{level}` the tail probability and
:math:`q_p` the :math:`p`-quantile of the returns,

.. math:: \mathrm{VaR} = -q_p, \qquad \mathrm{ES} = -\mathrm{E}[r \mid r \le q_p],

so ``level=0.99`` gives the loss exceeded on 1 % of days. Methods:

- ``'historical'``: the empirical distribution. :math:`q_p` is the lower empirical quantile
  :math:`r_{(\lceil np \rceil)}` (``numpy.quantile(..., method='inverted_cdf')``); ES is the
  mean of the empirical distribution below it, counting the boundary order statistic with its
  fractional weight (Acerbi & Tasche 2002);
- ``'gaussian'``: :math:`\mathrm{VaR} = -(\bar r + z_p s)`, :math:`\mathrm{ES} = -\bar r +
  s\,\varphi(z_p)/p` with the sample SD :math:`s` (ddof 1);
- ``'student_t'``: a scaled t, :math:`r = \mu + \sigma T_\nu`, fitted by maximum likelihood
  (``t_fit='mle'``) or by moments (``t_fit='moments'``: :math:`\nu = 4 + 6/\kappa` from the
  excess kurtosis :math:`\kappa`, :math:`\sigma = s\sqrt{(\nu - 2)/\nu}`);
- ``'cornish_fisher'``: modified VaR and modified ES of Boudt, Peterson & Croux (2008), as
  PerformanceAnalytics' ``VaR``/``ES(method="modified")``;
- ``'ewma'``: RiskMetrics, zero mean, volatility :func:`ewma_volatility` one step ahead,
  normal quantile;
- ``'filtered_historical'``: filtered historical simulation (Barone-Adesi et al. 1999; Hull &
  White 1998): empirical tail of the returns standardised by their EWMA volatility, rescaled by
  the one-step-ahead volatility;
- ``'garch'`` (:func:`~statcraft.finance.forecasts.var_es_forecast` only): GARCH(1,1) with
  Student-t innovations fitted by the optional ``arch`` package.

:func:`value_at_risk` and :func:`expected_shortfall` estimate the measure of one sample with a
confidence interval; :func:`var_es_forecast` gives one-step-ahead forecasts for each date from
past returns only (for backtests); :func:`var_es_from_draws` turns predictive draws (e.g. of a
Bayesian volatility template) into VaR and ES.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, signal, special, stats

from statcraft._inference import z_interval
from statcraft._validation import (
    check_choice,
    check_confidence_level,
    check_int,
    check_not_constant,
    check_probability,
)
from statcraft.finance._checks import check_level, check_returns
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

__all__ = [
    "ewma_volatility",
    "expected_shortfall",
    "value_at_risk",
]

Method = Literal[
    "historical", "gaussian", "student_t", "cornish_fisher", "ewma", "filtered_historical"
]
_METHODS = (
    "historical",
    "gaussian",
    "student_t",
    "cornish_fisher",
    "ewma",
    "filtered_historical",
)
_CHUNK = 1 << 21  # elements per block of the vectorised rolling computations
_NU_BOUNDS = (1.05, 500.0)  # range of the Student t degrees of freedom fitted by MLE


# --------------------------------------------------------------------------- small helpers
def _tail_size(n: Any, p: float) -> np.ndarray:
    """Return :math:`np`, snapped to the nearest integer when it is one up to rounding."""
    t = np.asarray(n, dtype=float) * p
    r = np.round(t)
    return np.where(np.abs(t - r) <= 1e-9 * np.maximum(1.0, t), r, t)


def _min_obs(method: str, p: float) -> int:
    if method in ("historical", "filtered_historical"):
        return max(2, math.ceil(float(_tail_size(1.0 / p, 1.0))))
    return 10 if method in ("student_t", "cornish_fisher") else 2


def _check_lam(lam: Any) -> float:
    return check_probability(lam, "lam")


def _check_levels(levels: Any) -> tuple[float, ...]:
    seq = (levels,) if np.ndim(levels) == 0 else tuple(levels)
    if not seq:
        raise ValueError("`levels` is empty; pass e.g. levels=(0.99, 0.975)")
    out = tuple(check_level(v, "levels") for v in seq)
    if len(set(out)) != len(out):
        raise ValueError(f"`levels` has duplicated values: {out}")
    return out


def _label(level: float) -> str:
    return f"{level:.10g}"


def _sorted_smallest(x: np.ndarray, count: int) -> np.ndarray:
    """Return the ``count`` smallest values of each row of ``x``, sorted."""
    count = min(count, x.shape[1])
    if count < x.shape[1]:
        x = np.partition(x, count - 1, axis=1)[:, :count]
    return np.sort(x, axis=1)


def _tail_from_sorted(s: np.ndarray, n: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Return historical VaR and ES of rows whose sorted smallest values are ``s`` (sizes ``n``).

    VaR is minus the order statistic :math:`r_{(k)}`, :math:`k = \lceil np \rceil`; ES is
    :math:`-(\sum_{i \le m} r_{(i)} + (np - m) r_{(m+1)}) / (np)`, :math:`m = \lfloor np
    \rfloor` (Acerbi & Tasche 2002), the expected shortfall of the empirical distribution.
    """
    tail = _tail_size(n, p)
    k = np.ceil(tail).astype(np.intp)
    m = np.floor(tail).astype(np.intp)
    rows = np.arange(s.shape[0])
    csum = np.concatenate([np.zeros((s.shape[0], 1)), np.cumsum(s, axis=1)], axis=1)
    nxt = s[rows, np.minimum(m, s.shape[1] - 1)]
    var = -s[rows, k - 1]
    es = -(csum[rows, m] + (tail - m) * nxt) / tail
    return var, es


def _std_t(nu: Any, p: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Quantile :math:`t_p` of a standard t and its tail mean :math:`-\mathrm{E}[T|T\le t_p]`."""
    nu = np.asarray(nu, dtype=float)
    q = stats.t.ppf(p, nu)
    e = stats.t.pdf(q, nu) * (nu + q**2) / ((nu - 1.0) * p)
    return q, e


def _cornish_fisher(
    mu: Any, m2: Any, skew: Any, exkurt: Any, p: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return modified VaR and ES (Boudt, Peterson & Croux 2008; PerformanceAnalytics operES)."""
    z = special.ndtri(p)
    s, k = np.asarray(skew), np.asarray(exkurt)
    h = z + (z**2 - 1) * s / 6 + (z**3 - 3 * z) * k / 24 - (2 * z**3 - 5 * z) * s**2 / 36
    e = (
        np.exp(-(h**2) / 2)
        / math.sqrt(2 * math.pi)
        * (
            1
            + h**3 * s / 6
            + (h**6 - 9 * h**4 + 9 * h**2 + 3) * s**2 / 72
            + (h**4 - 2 * h**2 - 1) * k / 24
        )
        / p
    )
    sd = np.sqrt(m2)
    return -np.asarray(mu) - h * sd, -np.asarray(mu) - sd * np.minimum(-e, h)


def _cf_monotone(skew: Any, exkurt: Any) -> np.ndarray:
    r"""Return whether the Cornish-Fisher map :math:`z \mapsto h(z)` increases on the lower half.

    :math:`h'(z) = a z^2 + b z + c` with :math:`a = K/8 - S^2/6`, :math:`b = S/3`,
    :math:`c = 1 - K/8 + 5S^2/36` must stay positive on :math:`[\Phi^{-1}(10^{-4}), 0]`, the
    part of the distribution VaR and ES use; otherwise the expansion is not a quantile
    function there (Maillard 2012 gives the condition on the whole line) and the estimates are
    unreliable. Large excess kurtosis (about 8 and more with no skewness) fails it.
    """
    s, k = np.asarray(skew, dtype=float), np.asarray(exkurt, dtype=float)
    a, b, c = k / 8 - s**2 / 6, s / 3, 1 - k / 8 + 5 * s**2 / 36
    lo = -3.719016485455709  # Phi^{-1}(1e-4)
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.where(a > 0, np.clip(-b / (2 * a), lo, 0.0), 0.0)
    low = np.minimum.reduce([a * lo**2 + b * lo + c, c, a * vertex**2 + b * vertex + c])
    return np.asarray(low > 0)


def _central_moments(x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Row-wise mean and population central moments 2, 3, 4 of a 2-D array."""
    mu = x.mean(axis=1)
    d = x - mu[:, None]
    d2 = d * d
    return mu, d2.mean(axis=1), (d2 * d).mean(axis=1), (d2 * d2).mean(axis=1)


def _shape(m2: np.ndarray, m3: np.ndarray, m4: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return m3 / m2**1.5, m4 / m2**2 - 3.0


def _t_from_moments(sd: np.ndarray, exkurt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Fit a scaled t by moments: :math:`\nu = 4 + 6/\kappa` (normal for :math:`\kappa \le 0`)."""
    nu = 4.0 + 6.0 / np.maximum(exkurt, 6e-6)
    return sd * np.sqrt((nu - 2.0) / nu), nu


# --------------------------------------------------------------------------- Student t MLE
def _t_negloglik(theta: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of a scaled t in ``(mu, log s, log nu)`` and its gradient."""
    mu, ls, lnu = theta
    s, nu = math.exp(ls), math.exp(lnu)
    z = (y - mu) / s
    z2 = z * z
    a = np.log1p(z2 / nu)
    ll = (
        special.gammaln((nu + 1) / 2)
        - special.gammaln(nu / 2)
        - 0.5 * math.log(nu * math.pi)
        - ls
        - (nu + 1) / 2 * a.mean()
    )
    w = (nu + 1) / (nu + z2)
    g_mu = (w * z).mean() / s
    g_ls = -1.0 + (w * z2).mean()
    g_nu = 0.5 * (
        special.digamma((nu + 1) / 2)
        - special.digamma(nu / 2)
        - 1 / nu
        - a.mean()
        + (w * z2).mean() / nu
    )
    return -float(ll), -np.array([g_mu, g_ls, g_nu * nu])


def _t_mle(
    x: np.ndarray, start: tuple[float, float, float] | None = None
) -> tuple[float, float, float, bool]:
    """Maximum-likelihood ``(mu, scale, nu, converged)`` of a scaled t (``nu`` in _NU_BOUNDS)."""
    centre = float(np.median(x))
    spread = float(np.std(x)) or 1.0
    y = (x - centre) / spread
    if start is None:
        _, m2, _, m4 = (v[0] for v in _central_moments(y[None, :]))
        s0, nu0 = _t_from_moments(np.sqrt(m2), m4 / m2**2 - 3.0)
        theta0 = [0.0, math.log(float(s0)), math.log(float(np.clip(nu0, 2.5, 30.0)))]
    else:
        theta0 = [(start[0] - centre) / spread, math.log(start[1] / spread), math.log(start[2])]
    lo, hi = math.log(_NU_BOUNDS[0]), math.log(_NU_BOUNDS[1])
    theta0[2] = min(max(theta0[2], lo), hi)
    res = optimize.minimize(
        _t_negloglik,
        np.array(theta0),
        args=(y,),
        jac=True,
        method="L-BFGS-B",
        bounds=[(None, None), (None, None), (lo, hi)],
    )
    mu, ls, lnu = res.x
    return centre + spread * float(mu), spread * math.exp(ls), math.exp(lnu), bool(res.success)


def _t_fisher_information(scale: float, nu: float) -> np.ndarray:
    """Return the expected Fisher information of ``(mu, scale, nu)`` per observation."""
    i_mm = (nu + 1) / ((nu + 3) * scale**2)
    i_ss = 2 * nu / ((nu + 3) * scale**2)
    i_sn = -2 / ((nu + 1) * (nu + 3) * scale)
    i_nn = 0.25 * (special.polygamma(1, nu / 2) - special.polygamma(1, (nu + 1) / 2)) - (nu + 5) / (
        2 * nu * (nu + 1) * (nu + 3)
    )
    return np.array([[i_mm, 0.0, 0.0], [0.0, i_ss, i_sn], [0.0, i_sn, float(i_nn)]])


# --------------------------------------------------------------------------- batch estimates
def _phi(z: Any) -> Any:
    return np.exp(-0.5 * np.square(z)) / math.sqrt(2 * math.pi)


def _batch(x: np.ndarray, method: str, p: float, t_fit: str) -> dict[str, np.ndarray]:
    """VaR, ES and fitted quantities for each row of ``x`` (the i.i.d. methods)."""
    n = x.shape[1]
    if method == "historical":
        smallest = _sorted_smallest(x, int(np.floor(_tail_size(n, p))) + 1)
        var, es = _tail_from_sorted(smallest, np.full(len(x), n), p)
        return {"var": var, "es": es}
    mu, m2, m3, m4 = _central_moments(x)
    skew, exkurt = _shape(m2, m3, m4)
    sd = np.sqrt(m2 * n / (n - 1))
    if method == "gaussian":
        z = special.ndtri(p)
        return {"var": -(mu + z * sd), "es": -mu + sd * _phi(z) / p, "mean": mu, "sd": sd}
    if method == "cornish_fisher":
        var, es = _cornish_fisher(mu, m2, skew, exkurt, p)
        return {"var": var, "es": es, "mean": mu, "skewness": skew, "excess_kurtosis": exkurt}
    if t_fit == "moments":  # student_t
        scale, nu = _t_from_moments(sd, exkurt)
        ok = np.ones(len(x), dtype=bool)
    else:
        fits = np.array([_t_mle(row) for row in x], dtype=float).reshape(-1, 4)
        mu, scale, nu, ok = fits[:, 0], fits[:, 1], fits[:, 2], fits[:, 3].astype(bool)
    q, e = _std_t(nu, p)
    return {
        "var": -(mu + scale * q),
        "es": -mu + scale * e,
        "mu": mu,
        "scale": scale,
        "nu": nu,
        "converged": ok,
    }


def _ewma_path(r: np.ndarray, lam: float, v0: float) -> np.ndarray:
    r"""Variances :math:`\sigma^2_1 .. \sigma^2_{n+1}` of the EWMA recursion, started at ``v0``."""
    y, _ = signal.lfilter([1.0 - lam], [1.0, -lam], r * r, zi=[lam * v0])
    return np.concatenate([[v0], y])


def _default_v0(r: np.ndarray) -> float:
    return float(np.mean(r[: min(r.size, 30)] ** 2))


def _standardise(r: np.ndarray, lam: float, v0: float) -> tuple[np.ndarray, np.ndarray]:
    """EWMA volatilities (n + 1 values) and the standardised returns ``r_t / sigma_t``."""
    sig = np.sqrt(_ewma_path(r, lam, v0))
    if not np.all(sig[:-1] > 0):
        raise ValueError(
            "`returns` has an EWMA volatility of 0 (the series starts with zero returns); "
            "filtered historical simulation needs positive volatilities"
        )
    return sig, r / sig[:-1]


# --------------------------------------------------------------------------- intervals
def _order_statistic_interval(
    sorted_x: np.ndarray, p: float, confidence_level: float
) -> tuple[float, float, float]:
    r"""Return a distribution-free interval ``(low, high)`` for the p-quantile and its coverage.

    Ranks ``l = F^{-1}(a)`` and ``u = F^{-1}(1 - a) + 1`` of Binomial(n, p), ``a = (1-c)/2``:
    :math:`P(r_{(l)} \le q_p < r_{(u)}) \ge c` for any continuous distribution. A bound the
    sample cannot give is infinite.
    """
    n = sorted_x.size
    a = (1.0 - confidence_level) / 2.0
    binom = stats.binom(n, p)
    lo_rank = int(binom.ppf(a))
    hi_rank = int(binom.isf(a)) + 1
    low = float(sorted_x[lo_rank - 1]) if lo_rank >= 1 else -math.inf
    high = float(sorted_x[hi_rank - 1]) if hi_rank <= n else math.inf
    coverage = float(binom.cdf(hi_rank - 1) - binom.cdf(lo_rank - 1))
    return low, high, coverage


def _analytic_interval(
    measure: str,
    est: float,
    arr: np.ndarray,
    p: float,
    method: str,
    fit: dict[str, Any],
    confidence_level: float,
) -> tuple[float | None, ConfidenceInterval, dict[str, Any]]:
    nan_ci = ConfidenceInterval(math.nan, math.nan)
    n = arr.size
    if measure == "var" and method in ("historical", "filtered_historical"):
        x, mult = (arr, 1.0) if method == "historical" else (fit["z"], fit["volatility"])
        low, high, cover = _order_statistic_interval(np.sort(x), p, confidence_level)
        note = "distribution-free order-statistic interval for the quantile"
        if method == "filtered_historical":
            note += (
                " of the standardised returns, times the volatility forecast (conditional on it)"
            )
        return (
            None,
            ConfidenceInterval(-high * mult, -low * mult),
            {"interval": note, "interval_coverage": cover},
        )
    if method == "gaussian":
        sd, c3, c4 = fit["sd"], fit["m3"], fit["m4"]
        b = -special.ndtri(p) if measure == "var" else _phi(special.ndtri(p)) / p
        # delta method for -mean + b * sd with the sample moments (normality not assumed)
        var = (sd**2 - b * c3 / sd + b**2 * (c4 - sd**4) / (4 * sd**2)) / n
        se = math.sqrt(max(var, 0.0))
        return (
            se,
            z_interval(est, se, confidence_level, "two-sided"),
            {"interval": "delta method (Wald) with the sample third and fourth moments"},
        )
    if method == "student_t" and fit["t_fit"] == "mle":
        scale, nu = fit["scale"], fit["nu"]
        if not fit["converged"] or not _NU_BOUNDS[0] * 1.001 < nu < _NU_BOUNDS[1] * 0.999:
            why = (
                "the t fit did not converge"
                if not fit["converged"]
                else (f"nu = {nu:.4g} is at the bound {_NU_BOUNDS} of the fit")
            )
            return math.nan, nan_ci, {"interval_note": f"no delta-method interval: {why}"}
        h = 1e-5 * nu
        q, e = _std_t(np.array([nu - h, nu, nu + h]), p)
        f = -q if measure == "var" else e
        grad = np.array([-1.0, f[1], scale * (f[2] - f[0]) / (2 * h)])
        cov = np.linalg.inv(_t_fisher_information(scale, nu)) / n
        se = math.sqrt(float(grad @ cov @ grad))
        return (
            se,
            z_interval(est, se, confidence_level, "two-sided"),
            {"interval": "delta method with the expected Fisher information of the t MLE"},
        )
    reasons = {
        "historical": "no standard distribution-free interval exists for the empirical ES",
        "filtered_historical": "no standard interval exists for the filtered-historical ES",
        "student_t": "the moment fit has no standard interval (use t_fit='mle')",
        "cornish_fisher": "no standard interval exists for the Cornish-Fisher estimate",
        "ewma": "the EWMA forecast (fixed lam) has no sampling-theory interval",
    }
    hint = "" if method == "ewma" else "; pass interval='bootstrap' for a block bootstrap"
    return (
        (None if method == "historical" else math.nan),
        nan_ci,
        {"interval_note": reasons[method] + hint},
    )


def _bootstrap_interval(
    measure: str,
    arr: np.ndarray,
    p: float,
    method: str,
    t_fit: str,
    confidence_level: float,
    n_resamples: int,
    block_length: float | None,
    rng: Any,
) -> tuple[float, ConfidenceInterval, dict[str, Any]]:
    from statcraft.resampling import bootstrap

    if method in ("ewma", "filtered_historical"):
        raise ValueError(
            f"interval='bootstrap' is not available for method={method!r}: resampling blocks "
            "of returns does not reproduce the volatility forecast; use interval='analytic'"
        )
    key = "var" if measure == "var" else "es"

    def statistic(x: np.ndarray, axis: int = -1) -> np.ndarray:
        x = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
        out = _batch(x.reshape(-1, x.shape[-1]), method, p, t_fit)[key]
        return np.asarray(out).reshape(x.shape[:-1])

    res = bootstrap(
        (arr,),
        statistic,
        n_resamples=n_resamples,
        method="percentile",
        confidence_level=confidence_level,
        scheme="stationary",
        block_length=block_length,
        vectorized=True,
        rng=rng,
    )
    return (
        float(res.std_error),
        res.confidence_interval,
        {
            "interval": "stationary block bootstrap, percentile interval",
            "n_resamples": res.n_resamples,
            "block_length": res.block_length,
        },
    )


# --------------------------------------------------------------------------- public: one sample
def _fit_one(arr: np.ndarray, method: str, p: float, lam: float, t_fit: str) -> dict[str, Any]:
    n = arr.size
    if method in ("ewma", "filtered_historical"):
        v0 = _default_v0(arr)
        if method == "ewma":
            sig_next = float(np.sqrt(_ewma_path(arr, lam, v0)[-1]))
            z = special.ndtri(p)
            return {
                "var": -z * sig_next,
                "es": sig_next * _phi(z) / p,
                "lam": lam,
                "volatility": sig_next,
            }
        sig, zres = _standardise(arr, lam, v0)
        hist = _batch(zres[None, :], "historical", p, t_fit)
        return {
            "var": sig[-1] * hist["var"][0],
            "es": sig[-1] * hist["es"][0],
            "lam": lam,
            "volatility": float(sig[-1]),
            "z": zres,
        }
    out: dict[str, Any] = {k: v[0] for k, v in _batch(arr[None, :], method, p, t_fit).items()}
    if method == "gaussian":
        _, _, m3, m4 = (v[0] for v in _central_moments(arr[None, :]))
        out.update(m3=m3, m4=m4)
    if method == "student_t":
        out["t_fit"] = t_fit
    if method == "historical":
        tail = float(_tail_size(n, p))
        out.update(tail_observations=tail, order_statistic=math.ceil(tail))
    return out


def _risk_estimate(
    measure: str,
    returns: Any,
    level: Any,
    method: Any,
    confidence_level: Any,
    interval: Any,
    lam: Any,
    t_fit: Any,
    n_resamples: Any,
    block_length: Any,
    rng: Any,
    nan_policy: Any,
) -> Estimate:
    lvl = check_level(level)
    p = 1.0 - lvl
    method = check_choice(method, "method", _METHODS)
    conf = check_confidence_level(confidence_level)
    if interval is not None:
        check_choice(interval, "interval", ("analytic", "bootstrap"))
    lam = _check_lam(lam)
    t_fit = check_choice(t_fit, "t_fit", ("mle", "moments"))
    arr, _ = check_returns(returns, min_size=2, nan_policy=nan_policy, stacklevel=5)
    need = _min_obs(method, p)
    if arr.size < need:
        why = (
            f"the {100 * p:.3g}% tail must hold at least one observation"
            if method in ("historical", "filtered_historical")
            else "to fit the model"
        )
        raise ValueError(
            f"`returns` has {arr.size} observations, too few for method={method!r} at `level` "
            f"= {lvl:g}: at least {need} are needed ({why})"
        )
    if method != "historical":
        check_not_constant(arr, "returns", f"method={method!r} needs a positive variance")
    fit = _fit_one(arr, method, p, lam, t_fit)
    if method == "cornish_fisher":
        fit["cf_monotone"] = bool(_cf_monotone(fit["skewness"], fit["excess_kurtosis"]))
        if not fit["cf_monotone"]:
            warnings.warn(
                f"skewness {fit['skewness']:.3g} and excess kurtosis "
                f"{fit['excess_kurtosis']:.3g} are outside the domain where the Cornish-Fisher "
                "expansion is an increasing quantile function (Maillard 2012); the estimate "
                "is unreliable: prefer 'historical' or 'student_t'",
                UserWarning,
                stacklevel=3,
            )
    est = float(fit[measure])
    if interval is None:
        se: float | None = None
        ci = ConfidenceInterval(math.nan, math.nan)
        extra: dict[str, Any] = {"interval_note": "no interval requested (interval=None)"}
    elif interval == "bootstrap":
        n_res = check_int(n_resamples, "n_resamples", min_value=1)
        se, ci, extra = _bootstrap_interval(
            measure, arr, p, method, t_fit, conf, n_res, block_length, rng
        )
    else:
        se, ci, extra = _analytic_interval(measure, est, arr, p, method, fit, conf)
    details: dict[str, Any] = {"level": lvl}
    details.update(
        {
            k: (v.item() if isinstance(v, np.generic) else v)
            for k, v in fit.items()
            if k not in ("var", "es", "z", "m3", "m4")
        }
    )
    if method in ("historical", "filtered_historical"):
        details["quantile_definition"] = "lower empirical quantile r_(ceil(n p)) (inverted_cdf)"
    details.update(extra)
    name = "VaR" if measure == "var" else "ES"
    label = f"{name} {100 * lvl:g}% ({method.replace('_', ' ')})"
    return Estimate(est, se, ci, conf, label, arr.size, details=FrozenMapping(details))


def value_at_risk(
    returns: Any,
    *,
    level: float = 0.99,
    method: Method = "historical",
    confidence_level: float = 0.95,
    interval: Literal["analytic", "bootstrap"] | None = "analytic",
    lam: float = 0.94,
    t_fit: Literal["mle", "moments"] = "mle",
    n_resamples: int = 999,
    block_length: float | None = None,
    rng: Any = None,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> Estimate:
    r"""Estimate the value at risk (a positive number is a loss) with a confidence interval.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns in time order (dates sorted and unique for a Series).
    level : float, default 0.99
        Confidence of the measure in (0, 1); the tail probability is ``1 - level``.
    method : str, default 'historical'
        One of ``'historical'``, ``'gaussian'``, ``'student_t'``, ``'cornish_fisher'``,
        ``'ewma'``, ``'filtered_historical'``; see Notes.
    confidence_level : float, default 0.95
        Coverage of the confidence interval.
    interval : {'analytic', 'bootstrap'} or None, default 'analytic'
        ``'analytic'``: the standard interval where one exists (see Notes), otherwise NaN with
        the reason in ``details['interval_note']``. ``'bootstrap'``: a stationary block
        bootstrap percentile interval (Politis & Romano 1994; not for ``'ewma'`` and
        ``'filtered_historical'``, whose volatility forecast resampling cannot reproduce; slow
        for ``'student_t'`` with ``t_fit='mle'``: one fit per resample). None: no interval.
    lam : float, default 0.94
        EWMA decay :math:`\lambda` for ``'ewma'`` and ``'filtered_historical'``.
    t_fit : {'mle', 'moments'}, default 'mle'
        How ``'student_t'`` fits the scaled t.
    n_resamples : int, default 999
        Bootstrap resamples (``interval='bootstrap'``).
    block_length : float, optional
        Mean block length of the stationary bootstrap; default Politis-White.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.
    nan_policy : {'raise', 'omit'}, default 'raise'
        NaN (a gap in the series) is an error unless ``'omit'``, which drops those dates.

    Returns
    -------
    Estimate
        ``estimate`` is :math:`\mathrm{VaR} = -q_{1-\text{level}}`. ``details`` holds the
        fitted quantities (``mean``/``sd``, ``mu``/``scale``/``nu``, ``skewness``/
        ``excess_kurtosis``, ``volatility`` (the one-step-ahead EWMA volatility), ...), the
        ``interval`` used or the ``interval_note`` saying why there is none, and for the
        order-statistic interval its exact ``interval_coverage``.

    Raises
    ------
    ValueError
        If ``level`` or ``confidence_level`` is outside (0, 1), an option is unknown, the
        returns hold NaN (without ``nan_policy='omit'``) or inf, their dates are unsorted or
        duplicated, the series is constant (parametric methods), or there are too few
        observations: ``'historical'`` and ``'filtered_historical'`` need at least
        :math:`1/(1-\text{level})` (one observation in the tail; 100 at 0.99), ``'student_t'``
        and ``'cornish_fisher'`` at least 10.
    TypeError
        If the returns are not numeric.

    Warns
    -----
    LooksLikePricesWarning
        If the values look like prices (all positive, median above 0.5).
    UserWarning
        For ``'cornish_fisher'`` when the skewness and kurtosis are outside the range where the
        expansion is an increasing quantile function (``details['cf_monotone']`` is False).

    See Also
    --------
    expected_shortfall
    statcraft.finance.forecasts.var_es_forecast
    statcraft.finance.forecasts.var_es_from_draws

    Notes
    -----
    With :math:`p = 1 - \text{level}` and :math:`z_p = \Phi^{-1}(p)`:

    - ``'historical'``: :math:`-r_{(k)}`, :math:`k = \lceil np \rceil` (``numpy.quantile``
      ``method='inverted_cdf'``; numpy's default ``'linear'`` interpolates between
      :math:`r_{(k)}` and :math:`r_{(k+1)}` and gives a slightly smaller VaR). :math:`np` is
      snapped to a whole number when it is one up to rounding, so ``level=0.99`` with 1000
      returns uses :math:`r_{(10)}` (``numpy.quantile(r, 1 - 0.99, method='inverted_cdf')``
      gives :math:`r_{(11)}`: ``1 - 0.99 > 0.01`` in floating point). Interval:
      :math:`(-r_{(u)}, -r_{(l)})` with binomial ranks, exact coverage at least
      ``confidence_level`` for any continuous distribution (as ``scipy.stats.quantile_test``);
    - ``'gaussian'``: :math:`-(\bar r + z_p s)`. Interval: delta method with
      :math:`\operatorname{Var}(\bar r + z s) \approx (s^2 + z m_3/s + z^2 (m_4 - s^4)/(4 s^2))/n`
      (sample central moments :math:`m_3, m_4`; under normality it is the textbook
      :math:`s^2(1 + z^2/2)/n`). It covers the Gaussian-model VaR :math:`-(\mu + z_p\sigma)`,
      which is the true VaR only for normal returns;
    - ``'student_t'``: :math:`-(\mu + \sigma t_{\nu,p})`; with ``t_fit='mle'`` a delta-method
      interval from the expected Fisher information of :math:`(\mu, \sigma, \nu)` (Lange,
      Little & Taylor 1989); :math:`\nu` is searched in [1.05, 500];
    - ``'cornish_fisher'``: :math:`-\bar r - h\sqrt{m_2}`, :math:`h = z + (z^2-1)S/6 +
      (z^3-3z)K/24 - (2z^3-5z)S^2/36` with the sample skewness :math:`S = m_3/m_2^{3/2}` and
      excess kurtosis :math:`K = m_4/m_2^2 - 3` (population moments, as PerformanceAnalytics);
    - ``'ewma'``: :math:`-z_p \sigma_{n+1}` (zero mean), :math:`\sigma_{n+1}` from
      :func:`ewma_volatility` one step past the last return;
    - ``'filtered_historical'``: :math:`\sigma_{n+1} \cdot (-\epsilon_{(k)})` with
      :math:`\epsilon_t = r_t/\sigma_t`.

    References
    ----------
    Jorion, P. (2007). *Value at Risk*, 3rd ed. McGraw-Hill.
    J.P. Morgan/Reuters (1996). *RiskMetrics — Technical Document*, 4th ed.
    Boudt, K., Peterson, B. & Croux, C. (2008). Estimation and decomposition of downside risk
    for portfolios with non-normal returns. *Journal of Risk* 11(2), 79–103.
    Barone-Adesi, G., Giannopoulos, K. & Vosper, L. (1999). VaR without correlations for
    portfolios of derivative securities. *Journal of Futures Markets* 19(5), 583–602.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.risk import value_at_risk
    >>> r = 0.01 * np.random.default_rng(0).standard_t(5, size=1000)
    >>> v = value_at_risk(r, level=0.99)
    >>> round(v.estimate, 4), v.std_error
    (0.0306, None)
    >>> round(value_at_risk(r, level=0.99, method="gaussian").estimate, 4)
    0.0288
    """
    return _risk_estimate(
        "var",
        returns,
        level,
        method,
        confidence_level,
        interval,
        lam,
        t_fit,
        n_resamples,
        block_length,
        rng,
        nan_policy,
    )


def expected_shortfall(
    returns: Any,
    *,
    level: float = 0.99,
    method: Method = "historical",
    confidence_level: float = 0.95,
    interval: Literal["analytic", "bootstrap"] | None = "analytic",
    lam: float = 0.94,
    t_fit: Literal["mle", "moments"] = "mle",
    n_resamples: int = 999,
    block_length: float | None = None,
    rng: Any = None,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> Estimate:
    r"""Estimate the expected shortfall (mean loss beyond the VaR) with a confidence interval.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns in time order (dates sorted and unique for a Series).
    level : float, default 0.99
        Confidence of the measure in (0, 1); the tail probability is ``1 - level``.
    method : str, default 'historical'
        One of ``'historical'``, ``'gaussian'``, ``'student_t'``, ``'cornish_fisher'``,
        ``'ewma'``, ``'filtered_historical'``; see Notes.
    confidence_level : float, default 0.95
        Coverage of the confidence interval.
    interval : {'analytic', 'bootstrap'} or None, default 'analytic'
        ``'analytic'``: the standard interval where one exists (see Notes), otherwise NaN with
        the reason in ``details['interval_note']``. ``'bootstrap'``: a stationary block
        bootstrap percentile interval (Politis & Romano 1994; not for ``'ewma'`` and
        ``'filtered_historical'``, whose volatility forecast resampling cannot reproduce; slow
        for ``'student_t'`` with ``t_fit='mle'``: one fit per resample). None: no interval.
    lam : float, default 0.94
        EWMA decay :math:`\lambda` for ``'ewma'`` and ``'filtered_historical'``.
    t_fit : {'mle', 'moments'}, default 'mle'
        How ``'student_t'`` fits the scaled t.
    n_resamples : int, default 999
        Bootstrap resamples (``interval='bootstrap'``).
    block_length : float, optional
        Mean block length of the stationary bootstrap; default Politis-White.
    rng : None, int or numpy.random.Generator
        Random source of the bootstrap.
    nan_policy : {'raise', 'omit'}, default 'raise'
        NaN (a gap in the series) is an error unless ``'omit'``, which drops those dates.

    Returns
    -------
    Estimate
        ``estimate`` is :math:`\mathrm{ES} = -\mathrm{E}[r \mid r \le q_p]`, positive for a
        loss; ``details`` as for :func:`value_at_risk`.

    Raises
    ------
    ValueError
        As :func:`value_at_risk`; in particular historical ES at level 0.99 needs at least 100
        observations (with fewer the 1% tail holds no observation), and with fewer than about
        :math:`10/(1-\text{level})` observations it rests on a handful of losses.
    TypeError
        If the returns are not numeric.

    Warns
    -----
    LooksLikePricesWarning
        If the values look like prices.
    UserWarning
        For ``'cornish_fisher'`` outside its domain of validity, as :func:`value_at_risk`.

    See Also
    --------
    value_at_risk
    statcraft.finance.forecasts.var_es_forecast
    statcraft.finance.forecasts.var_es_from_draws

    Notes
    -----
    - ``'historical'``: the ES of the empirical distribution,
      :math:`-\frac{1}{np}\bigl(\sum_{i \le m} r_{(i)} + (np - m)\, r_{(m+1)}\bigr)`,
      :math:`m = \lfloor np \rfloor` (Acerbi & Tasche 2002): the mean of the :math:`np` worst
      returns when :math:`np` is whole. No standard distribution-free interval exists (NaN by
      default; ``interval='bootstrap'`` on request);
    - ``'gaussian'``: :math:`-\bar r + s\,\varphi(z_p)/p`, delta-method interval as for VaR;
    - ``'student_t'``: :math:`-\mu + \sigma \frac{\nu + t_p^2}{\nu - 1}
      \frac{f_\nu(t_p)}{p}`, :math:`t_p = t_{\nu,p}`;
    - ``'cornish_fisher'``: the modified ES of Boudt, Peterson & Croux (2008),
      :math:`-\bar r - \sqrt{m_2}\min(-E, h)` with :math:`E = \varphi(h)[1 + h^3 S/6 +
      (h^6 - 9h^4 + 9h^2 + 3) S^2/72 + (h^4 - 2h^2 - 1) K/24]/p` (their second-order Edgeworth
      expansion of the tail mean; the ``min`` keeps ES at least the modified VaR), as
      PerformanceAnalytics ``ES(method="modified")``;
    - ``'ewma'``: :math:`\sigma_{n+1} \varphi(z_p)/p`;
    - ``'filtered_historical'``: :math:`\sigma_{n+1}` times the historical ES of the
      standardised returns.

    References
    ----------
    Acerbi, C. & Tasche, D. (2002). On the coherence of expected shortfall. *Journal of
    Banking & Finance* 26(7), 1487–1503.
    Boudt, K., Peterson, B. & Croux, C. (2008). Estimation and decomposition of downside risk
    for portfolios with non-normal returns. *Journal of Risk* 11(2), 79–103.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.risk import expected_shortfall
    >>> r = 0.01 * np.random.default_rng(0).standard_t(5, size=1000)
    >>> round(expected_shortfall(r, level=0.975).estimate, 4)
    0.0313
    >>> es = expected_shortfall(r, level=0.975, method="gaussian")
    >>> round(es.estimate, 4), [round(b, 4) for b in es.confidence_interval]
    (0.029, [0.0272, 0.0308])
    """
    return _risk_estimate(
        "es",
        returns,
        level,
        method,
        confidence_level,
        interval,
        lam,
        t_fit,
        n_resamples,
        block_length,
        rng,
        nan_policy,
    )


# --------------------------------------------------------------------------- EWMA volatility
def ewma_volatility(returns: Any, *, lam: float = 0.94, initial: float | None = None) -> Any:
    r"""RiskMetrics exponentially weighted volatility, each value from earlier returns only.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns in time order.
    lam : float, default 0.94
        Decay :math:`\lambda` in (0, 1) (RiskMetrics: 0.94 for daily, 0.97 for monthly data).
    initial : float, optional
        The volatility :math:`\sigma_1` of the first date (a standard deviation, in the
        returns' units). Default: the root mean square of the first :math:`\min(n, 30)`
        returns.

    Returns
    -------
    numpy.ndarray or pandas Series
        :math:`\sigma_1, \dots, \sigma_n`; a Series (named ``'volatility'``) on the returns'
        index when ``returns`` is a Series.

    Raises
    ------
    ValueError
        If ``lam`` is outside (0, 1), ``initial`` is not positive, or the returns are empty or
        hold NaN, inf, or unsorted dates.

    Notes
    -----
    .. math:: \sigma^2_t = \lambda \sigma^2_{t-1} + (1 - \lambda) r^2_{t-1}, \qquad t \ge 2,

    with zero mean, so the value on date :math:`t` uses the returns up to :math:`t-1` only and
    is the one-step-ahead forecast for date :math:`t`. The default start looks ahead at most 30
    returns into the beginning of the series; its weight in :math:`\sigma^2_t` is
    :math:`\lambda^{t-1}` (below 1 % after 75 days at 0.94). Pass ``initial`` (estimated from
    earlier data) for a series that is causal from the first date; :func:`var_es_forecast`
    starts the recursion from the returns before its first forecast date.

    References
    ----------
    J.P. Morgan/Reuters (1996). *RiskMetrics — Technical Document*, 4th ed., section 5.2.

    Examples
    --------
    >>> from statcraft.finance.risk import ewma_volatility
    >>> ewma_volatility([0.01, -0.02, 0.015], lam=0.94, initial=0.01).round(5)
    array([0.01   , 0.01   , 0.01086])
    """
    arr, index = check_returns(returns, min_size=1)
    lam = _check_lam(lam)
    if initial is None:
        v0 = _default_v0(arr)
    else:
        if isinstance(initial, (bool, np.bool_)) or not isinstance(
            initial, (int, float, np.number)
        ):
            raise TypeError(f"`initial` must be a positive number (a volatility); got {initial!r}")
        if not (math.isfinite(float(initial)) and float(initial) > 0):
            raise ValueError(f"`initial` must be a positive volatility; got {initial!r}")
        v0 = float(initial) ** 2
    vol = np.sqrt(_ewma_path(arr, lam, v0)[:-1])
    if isinstance(returns, pd.Series):
        return pd.Series(vol, index=index, name="volatility")
    return vol
