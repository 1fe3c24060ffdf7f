r"""The Grambsch–Therneau test of proportional hazards for a Cox model, as R's ``cox.zph``.

:func:`proportional_hazards_test` tests a time-varying coefficient
:math:`\beta_j(t) = \beta_j + \theta_j g(t)` of each covariate of a
:func:`~statcraft.health.cox_regression` fit and of all together, exactly as R's ``cox.zph``
(survival ≥ 3.0), and keeps the scaled Schoenfeld residuals for plotting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg, stats

from statcraft._validation import (
    check_choice,
)
from statcraft.health.cox import CoxResult, quadratic_form
from statcraft.results import TestResult, _fmt_pvalue

__all__ = ["ProportionalHazardsTest", "proportional_hazards_test"]

_TRANSFORMS = ("km", "rank", "identity", "log")


@dataclass(frozen=True, slots=True, eq=False)
class ProportionalHazardsTest:
    r"""Grambsch–Therneau tests of proportional hazards (from :func:`proportional_hazards_test`).

    Attributes
    ----------
    table : pandas.DataFrame
        Index: the covariates and ``GLOBAL``; columns ``chisq``, ``df``, ``p`` (R's
        ``cox.zph(fit)$table``).
    global_test : TestResult
        The ``GLOBAL`` row as a test result.
    transform : str
        The time transform :math:`g(t)`: ``'km'``, ``'rank'``, ``'identity'`` or ``'log'``.
    time : numpy.ndarray
        Event times (sorted within strata), one per death.
    x : numpy.ndarray
        The transformed event times ``g(time)`` (R's ``$x``).
    residuals : pandas.DataFrame
        Scaled Schoenfeld residuals plus the coefficient (R's ``$y``): one row per death,
        one column per covariate; plotted against ``x`` they estimate :math:`\beta_j(t)`.
    variance : numpy.ndarray
        R's ``$var``, the covariance used for the standard-error band of such plots.
    method : str
        The test, in words.
    """

    table: pd.DataFrame
    global_test: TestResult
    transform: str
    time: np.ndarray
    x: np.ndarray
    residuals: pd.DataFrame
    variance: np.ndarray
    method: str

    def to_frame(self) -> pd.DataFrame:
        """Return the table with its row names in a ``term`` column."""
        return self.table.rename_axis("term").reset_index()

    def to_dict(self) -> dict[str, Any]:
        """Return the transform and the table (as row dicts)."""
        return {
            "method": self.method,
            "transform": self.transform,
            "table": self.to_frame().to_dict(orient="records"),
        }

    def _head(self) -> str:
        return f"ProportionalHazardsTest: {self.method}, transform = {self.transform!r}"

    def __repr__(self) -> str:
        table = self.table.to_string(
            formatters={
                "chisq": lambda v: f"{v:.4g}",
                "df": lambda v: f"{v:g}",
                "p": _fmt_pvalue,
            }
        )
        return f"{self._head()}\n{table}"

    def _repr_html_(self) -> str:
        return f"<p><b>{self._head()}</b></p>\n{self.table.to_html(float_format='{:.4g}'.format)}"


# --------------------------------------------------------------------------- cox.zph
def proportional_hazards_test(
    result: CoxResult, *, transform: Literal["km", "rank", "identity", "log"] = "km"
) -> ProportionalHazardsTest:
    r"""Test proportional hazards in a Cox model, as R's ``cox.zph`` (survival ≥ 3.0).

    Parameters
    ----------
    result : CoxResult
        A fit from :func:`cox_regression`.
    transform : {'km', 'rank', 'identity', 'log'}
        The function of time :math:`g(t)` the coefficients may drift along: ``'km'``
        (default) one minus the left-continuous Kaplan–Meier estimate of all the data,
        ``'rank'`` the ranks of the times, ``'identity'`` the times, ``'log'`` their logs.

    Returns
    -------
    ProportionalHazardsTest
        ``table`` (``chisq``, ``df``, ``p`` per covariate and ``GLOBAL``), ``global_test``
        and the scaled Schoenfeld ``residuals`` against ``x = g(time)``.

    Raises
    ------
    TypeError
        If ``result`` is not a :class:`CoxResult`.
    ValueError
        If ``transform`` is not one of the choices.

    Notes
    -----
    For covariate :math:`j` the model is extended by a term :math:`\theta_j\, g(t)\, x_j`
    and the score test of :math:`\theta_j = 0` is computed at :math:`(\hat\beta, 0)`: with
    :math:`\tilde g = g - \bar g` (the mean over deaths), the score is
    :math:`U_\theta = \sum_{\text{deaths}} \tilde g(t_i)\,(x_i - \bar x(t_i))` and the
    information the :math:`2p \times 2p` matrix with blocks :math:`\sum I_k`,
    :math:`\sum \tilde g_k I_k`, :math:`\sum \tilde g_k^2 I_k` over the (Efron-expanded)
    death rows; the statistic is :math:`u' \mathcal{I}^{-1} u` with
    :math:`u = (0, \ldots, 0, U_{\theta_j})` on the rows of :math:`\beta` and
    :math:`\theta_j` (1 df), and on all of :math:`\theta` for ``GLOBAL`` (``p`` df). This is
    the exact score test of survival ≥ 3.0 (R's C routine ``zph1``), not the older
    approximation from the regression of scaled Schoenfeld residuals on time.

    References
    ----------
    .. [1] Grambsch, P. M., Therneau, T. M. (1994). Proportional hazards tests and
       diagnostics based on weighted residuals. Biometrika 81, 515–526.
    .. [2] Therneau, T. M. (2024). survival: A Package for Survival Analysis in R
       (``cox.zph``).

    Examples
    --------
    >>> from statcraft.datasets import load_lung
    >>> from statcraft.health import cox_regression, proportional_hazards_test
    >>> lung = load_lung()
    >>> fit = cox_regression(lung["time"], lung["status"], lung[["age", "sex"]])
    >>> proportional_hazards_test(fit).table.round(3)
            chisq  df      p
    age     0.209   1  0.647
    sex     2.608   1  0.106
    GLOBAL  2.771   2  0.250
    """
    if not isinstance(result, CoxResult):
        raise TypeError(
            f"`result` must be a CoxResult from cox_regression; got {type(result).__name__}"
        )
    check_choice(transform, "transform", _TRANSFORMS)
    rs = result._risk
    assert rs is not None
    beta = result.params.to_numpy()
    names = list(result.coefficients.index)
    p = beta.size
    X = rs.X  # centred covariates, original units, sorted order
    t, ev = rs.time, rs.event

    if transform == "km":
        uniq, inv, cnt = np.unique(t, return_inverse=True, return_counts=True)
        d = np.bincount(inv, weights=ev, minlength=uniq.size)
        at_risk = t.size - np.concatenate(([0], np.cumsum(cnt)[:-1]))
        surv = np.cumprod(1.0 - d / at_risk)
        s_left = np.concatenate(([1.0], surv[:-1]))  # S(t-)
        ttimes = 1.0 - s_left[inv]
    elif transform == "rank":
        ttimes = stats.rankdata(t)
    elif transform == "identity":
        ttimes = t.astype(float)
    else:
        ttimes = np.log(t)
    g = ttimes - ttimes[ev > 0].mean()

    pc = rs.pieces(X, beta)
    g_row = g[rs.first[rs.rep]]
    u2 = rs.score(X, pc, g_row)
    I00 = rs.information(X, pc)
    I01 = rs.information(X, pc, g_row)
    I11 = rs.information(X, pc, g_row**2)
    imat = np.block([[I00, I01], [I01.T, I11]])

    chisq = np.empty(p + 1)
    for j in range(p):
        kk = np.r_[np.arange(p), p + j]
        uu = np.zeros(p + 1)
        uu[p] = u2[j]
        chisq[j] = quadratic_form(imat[np.ix_(kk, kk)], uu)
    uu = np.concatenate([np.zeros(p), u2])
    chisq[p] = quadratic_form(imat, uu)
    df = np.r_[np.ones(p), p]
    pv = stats.chi2.sf(chisq, df)
    table = pd.DataFrame(
        {"chisq": chisq, "df": df.astype(np.int64), "p": pv}, index=pd.Index([*names, "GLOBAL"])
    )

    # scaled Schoenfeld residuals (R's $y), deaths in increasing time within strata
    sch, idx = rs.schoenfeld(X, pc)
    order = np.lexsort((rs.time[idx], rs.strata[idx]))
    sch, idx = sch[order], idx[order]
    n_str = int(rs.strata.max()) + 1
    used = np.zeros((n_str, p))
    for a, b in rs.obs_bounds:
        varies = np.ptp(X[a:b], axis=0) > 0
        used[rs.strata[a]] = np.where(varies, rs.event[a:b].sum(), 0.0)
    wtmat = np.zeros((p, p))
    for row in used:
        wtmat += np.minimum.outer(row, row)
    vmean = I00 / np.where(wtmat == 0, 1.0, wtmat)
    y = np.full_like(sch, np.nan)
    d_str = rs.strata[idx]
    for code in range(n_str):
        k = used[code] > 0
        rows = d_str == code
        if k.any() and rows.any():
            y[np.ix_(rows, k)] = linalg.solve(vmean[np.ix_(k, k)], sch[np.ix_(rows, k)].T).T
    y = y + beta
    residuals = pd.DataFrame(y, index=pd.Index(rs.time[idx], name="time"), columns=names)
    global_test = TestResult(
        statistic=float(chisq[p]),
        pvalue=float(pv[p]),
        df=float(p),
        method=f"Proportional hazards score test (GLOBAL, transform={transform!r})",
        details={"table": table},
    )
    return ProportionalHazardsTest(
        table=table,
        global_test=global_test,
        transform=transform,
        time=rs.time[idx].copy(),
        x=ttimes[idx].copy(),
        residuals=residuals,
        variance=np.asarray(linalg.inv(vmean)),
        method="Grambsch-Therneau score test for proportional hazards",
    )
