"""Private helpers of :mod:`statcraft.estimators.regression`: the design and the covariances.

Everything here works on a thin QR decomposition ``X = Q R`` of the ``n × k`` design, so that
``(X'X)^{-1} = R^{-1} R^{-T}`` and every sandwich ``(X'X)^{-1} X' Ω X (X'X)^{-1}`` is
``R^{-1} (Q' Ω Q) R^{-T}``; no normal equations are formed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import linalg

from statcraft._validation import (
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_same_length,
    column_names,
)

__all__: list[str] = []

INTERCEPT = "Intercept"
HC_TYPES = ("HC0", "HC1", "HC2", "HC3", "HC4")
COV_TYPES = ("nonrobust", *HC_TYPES, "HAC", "cluster")


@dataclass(frozen=True)
class Design:
    """A validated regression problem: response, design matrix and bookkeeping."""

    y: np.ndarray
    X: np.ndarray  # includes the intercept column when add_intercept
    terms: tuple[str, ...]
    x_columns: tuple[str, ...]  # the user's columns, without the intercept
    index: pd.Index  # labels of the rows used
    keep: np.ndarray  # boolean mask of the rows used, over the rows given
    add_intercept: bool
    has_constant: bool  # the column space contains the constant (added or given)


def _as_2d(X: Any) -> Any:
    """Turn a 1-D non-pandas input into one column so that it is named ``x1``."""
    if isinstance(X, (pd.DataFrame, pd.Series)):
        return X
    arr = np.asarray(X) if not isinstance(X, np.ndarray) else X
    return arr.reshape(-1, 1) if arr.ndim == 1 else arr


def prepare_design(
    y: Any, X: Any, *, add_intercept: bool, nan_policy: str, extra: dict[str, Any] | None = None
) -> tuple[Design, dict[str, np.ndarray]]:
    """Validate ``y`` and ``X`` (and row-aligned ``extra`` arrays) and build the design.

    ``extra`` holds arrays aligned with the rows (e.g. cluster labels); they are returned with
    the same rows dropped as ``y`` and ``X`` under ``nan_policy='omit'``.
    """
    nan_policy = check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    add_intercept = check_bool(add_intercept, "add_intercept")
    X = _as_2d(X)
    names = column_names(X)
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"`X` has duplicate column names: {', '.join(dup)}")
    if add_intercept and INTERCEPT in names:
        raise ValueError(
            f"`X` has a column named {INTERCEPT!r} and `add_intercept=True`; rename the column "
            "or pass add_intercept=False"
        )
    inner = "propagate" if nan_policy == "omit" else "raise"
    ya = check_array(y, "y", nan_policy=inner)
    Xa = check_array(X, "X", ndim=2, nan_policy=inner)
    check_same_length(y=ya, X=Xa)
    extra = extra or {}
    for name, arr in extra.items():
        if len(arr) != len(ya):
            raise ValueError(
                f"`{name}` must have one entry per observation; got {len(arr)} for "
                f"{len(ya)} observations"
            )
    if isinstance(y, pd.Series):
        index = y.index
    elif isinstance(X, (pd.DataFrame, pd.Series)):
        index = X.index
    else:
        index = pd.RangeIndex(len(ya))
    keep = ~(np.isnan(ya) | np.isnan(Xa).any(axis=1))
    if not keep.all():
        ya, Xa = ya[keep], Xa[keep]
        extra = {k: np.asarray(v)[keep] for k, v in extra.items()}
        index = index[keep]
        if ya.size == 0:
            raise ValueError("no observation has `y` and all of `X` non-NaN")
    if add_intercept:
        Xa = np.column_stack([np.ones(len(ya)), Xa])
        terms = (INTERCEPT, *names)
    else:
        terms = tuple(names)
    k = Xa.shape[1]
    if len(ya) <= k:
        raise ValueError(
            f"OLS needs more observations than coefficients; got {len(ya)} observations "
            f"for {k} coefficients ({', '.join(terms)})"
        )
    const_cols = np.all(Xa == Xa[:1], axis=0) & (Xa[0] != 0)
    design = Design(
        y=ya,
        X=Xa,
        terms=terms,
        x_columns=tuple(names),
        index=index,
        keep=keep,
        add_intercept=bool(add_intercept),
        has_constant=bool(const_cols.any()),
    )
    return design, {k: np.asarray(v) for k, v in extra.items()}


def check_full_rank(X: np.ndarray, terms: Sequence[str]) -> None:
    """Raise a ValueError naming the columns involved when ``X`` is not of full column rank.

    Columns are scaled to unit length first so that units (income in dollars and its square)
    do not masquerade as collinearity; the null space of the scaled matrix names the columns
    that are linear combinations of each other.
    """
    norms = np.sqrt(np.einsum("ij,ij->j", X, X))
    zero = [t for t, v in zip(terms, norms, strict=True) if v == 0]
    if zero:
        raise ValueError(f"`X` has all-zero column(s): {', '.join(zero)}")
    Xs = X / norms
    _, s, vt = linalg.svd(Xs, full_matrices=False)
    tol = s[0] * max(X.shape) * np.finfo(float).eps * 10
    rank = int(np.sum(s > tol))
    if rank < X.shape[1]:
        null = vt[rank:]
        involved = np.any(np.abs(null) > 1e-6 * np.abs(null).max(axis=1, keepdims=True), axis=0)
        cols = ", ".join(t for t, b in zip(terms, involved, strict=True) if b)
        raise ValueError(
            f"`X` is rank deficient (rank {rank} for {X.shape[1]} coefficients): the columns "
            f"{cols} are linearly dependent (collinear); drop one of them"
        )


@dataclass(frozen=True)
class LeastSquares:
    """A least squares fit by thin QR."""

    coef: np.ndarray
    residuals: np.ndarray
    fitted: np.ndarray
    Q: np.ndarray
    Rinv: np.ndarray  # R^{-1}; (X'X)^{-1} = Rinv @ Rinv.T

    @property
    def xtx_inv(self) -> np.ndarray:
        return self.Rinv @ self.Rinv.T

    @property
    def leverage(self) -> np.ndarray:
        return np.einsum("ij,ij->i", self.Q, self.Q)


def least_squares(X: np.ndarray, y: np.ndarray) -> LeastSquares:
    """Solve ``min ||y - X b||`` with a thin QR decomposition (X must have full column rank)."""
    Q, R = linalg.qr(X, mode="economic", check_finite=False)
    coef = linalg.solve_triangular(R, Q.T @ y, check_finite=False)
    fitted = X @ coef
    Rinv, info = linalg.lapack.dtrtri(R, lower=0)  # R^{-1} by LAPACK's triangular inverse
    if info != 0:
        raise ValueError("`X` is rank deficient: the triangular factor of its QR is singular")
    return LeastSquares(coef=coef, residuals=y - fitted, fitted=fitted, Q=Q, Rinv=Rinv)


def _sandwich(fit: LeastSquares, meat_q: np.ndarray) -> np.ndarray:
    cov = fit.Rinv @ meat_q @ fit.Rinv.T
    return (cov + cov.T) / 2


def hc_cov(fit: LeastSquares, cov_type: str, labels: pd.Index) -> np.ndarray:
    """Heteroskedasticity-consistent covariance HC0–HC4 (MacKinnon–White, Cribari-Neto)."""
    e = fit.residuals
    n, k = fit.Q.shape
    if cov_type in ("HC0", "HC1"):
        omega = e**2 * (n / (n - k) if cov_type == "HC1" else 1.0)
    else:
        h = fit.leverage
        high = np.flatnonzero(h > 1 - 1e-10)
        if high.size:
            names = ", ".join(str(v) for v in labels[high])
            raise ValueError(
                f"{cov_type} is undefined: observation(s) {names} "
                "have leverage 1 (fitted exactly whatever their value); use cov_type='HC0' or "
                "'HC1', or remove them"
            )
        if cov_type == "HC2":
            omega = e**2 / (1 - h)
        elif cov_type == "HC3":
            omega = e**2 / (1 - h) ** 2
        else:  # HC4
            delta = np.minimum(4.0, n * h / k)
            omega = e**2 / (1 - h) ** delta
    M = fit.Q * np.sqrt(omega)[:, None]
    return _sandwich(fit, M.T @ M)


def newey_west_lags(n: int) -> int:
    """Return the Newey–West (1994) rule-of-thumb lag ``floor(4 (n/100)^(2/9))``."""
    return math.floor(4 * (n / 100) ** (2 / 9))


def hac_lags(maxlags: Any, n: int, unit: str = "observations") -> int:
    """Newey–West lag: the rule of thumb when ``maxlags`` is None, else it, below ``n``."""
    lags = newey_west_lags(n) if maxlags is None else check_int(maxlags, "maxlags", min_value=0)
    if lags >= n:
        raise ValueError(f"`maxlags` must be smaller than the number of {unit} ({n}); got {lags}")
    return lags


def bartlett_long_run(u: np.ndarray, lags: int) -> np.ndarray:
    """Unscaled Newey–West sum ``Σ u_t u_t' + Σ_l (1 - l/(L+1)) (Γ_l + Γ_l')`` of rows ``u_t``.

    ``Γ_l = Σ_t u_t u_{t-l}'``; no centring, prewhitening or division by n (callers scale it).
    """
    s = u.T @ u
    for lag in range(1, lags + 1):
        gamma = u[lag:].T @ u[:-lag]
        s += (1 - lag / (lags + 1)) * (gamma + gamma.T)
    return s


def hac_cov(fit: LeastSquares, maxlags: int) -> np.ndarray:
    """Newey–West covariance with Bartlett weights ``1 - l/(L+1)``, no prewhitening or rescaling."""
    u = fit.Q * fit.residuals[:, None]  # scores in the rotated basis: x_t e_t = R' (q_t e_t)
    return _sandwich(fit, bartlett_long_run(u, maxlags))


def cluster_cov(fit: LeastSquares, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """One-way cluster-robust covariance with the CR1 factor ``G/(G-1) (n-1)/(n-k)``."""
    n, k = fit.Q.shape
    u = fit.Q * fit.residuals[:, None]
    sums = np.zeros((n_groups, k))
    np.add.at(sums, codes, u)
    factor = n_groups / (n_groups - 1) * (n - 1) / (n - k)
    return factor * _sandwich(fit, sums.T @ sums)


def encode_groups(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes for cluster labels; missing labels are an error."""
    codes, uniques = pd.factorize(
        pd.Series(groups, dtype=object if groups.dtype.kind == "O" else None)
    )
    if (codes < 0).any():
        raise ValueError(
            f"`groups` has {int((codes < 0).sum())} missing label(s); every observation needs "
            "a cluster"
        )
    if len(uniques) < 2:
        raise ValueError(
            f"`groups` must have at least 2 clusters for cluster-robust standard errors; got "
            f"{len(uniques)}"
        )
    return codes, len(uniques)
