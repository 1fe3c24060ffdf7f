r"""The result type of the meta-analysis functions and the inverse-variance fit (private module).

:class:`MetaAnalysisResult` is returned by :func:`statcraft.health.meta.meta_analysis`,
:func:`~statcraft.health.meta.meta_mantel_haenszel` and
:func:`~statcraft.health.meta.meta_peto`, and re-exported by
:mod:`statcraft.health.meta`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from statcraft._inference import normal_pvalue, t_pvalue
from statcraft.health import _meta_core as core
from statcraft.health.effect_sizes import MEASURE_NAMES, study_index
from statcraft.results import (
    ConfidenceInterval,
    Estimate,
    FrozenMapping,
    TestResult,
    _fmt,
    _fmt_pvalue,
)

__all__ = ["MetaAnalysisResult"]

MetaMethod = Literal["FE", "DL", "REML", "PM"]
_COMMON = ("FE", "MH", "Peto")
_MODEL_NAMES = {
    "FE": "common-effect (inverse variance)",
    "DL": "random-effects (DerSimonian-Laird)",
    "REML": "random-effects (REML)",
    "PM": "random-effects (Paule-Mandel)",
    "MH": "common-effect (Mantel-Haenszel)",
    "Peto": "common-effect (Peto)",
}


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, slots=True, eq=False)
class MetaAnalysisResult:
    r"""A pooled meta-analysis (from ``meta_analysis``, ``meta_mantel_haenszel``, ``meta_peto``).

    Attributes
    ----------
    estimate : Estimate
        The pooled effect (on the analysis scale: log OR, log RR, ...) with its standard error
        and interval; ``details`` holds the ``statistic`` (z, or t with HKSJ), ``pvalue`` and
        ``df``.
    tau2 : Estimate
        Between-study variance :math:`\tau^2` with its standard error (as metafor) and the
        Q-profile interval (Viechtbauer 2007). Common-effect models report 0 (assumed, no
        standard error) with the Q-profile interval of the data.
    i2 : Estimate
        :math:`I^2` in percent, with the interval implied by the :math:`\tau^2` interval.
    h2 : Estimate
        :math:`H^2`, with the interval implied by the :math:`\tau^2` interval.
    q, q_df, q_pvalue : float, int, float
        Cochran's heterogeneity statistic, its degrees of freedom and chi-square p-value.
    prediction_interval : ConfidenceInterval
        Interval expected to hold the true effect of a new study (equals the confidence
        interval when :math:`\hat\tau^2 = 0`).
    weights : pandas.Series
        Percentage weight of each study (summing to 100).
    effects, variances : pandas.Series
        The per-study effects and sampling variances, indexed by study label (NaN for studies
        of :func:`meta_mantel_haenszel` / :func:`meta_peto` without an estimable effect).
    method : str
        ``'FE'``, ``'DL'``, ``'REML'``, ``'PM'``, ``'MH'`` or ``'Peto'``.
    hksj : bool
        Whether Hartung–Knapp–Sidik–Jonkman inference was used.
    k : int
        Number of studies.
    confidence_level : float
        Level of every interval.
    test : TestResult
        The z-test (t-test with HKSJ) of a zero pooled effect.
    measure : str or None
        The effect measure (``'OR'``, ``'RR'``, ``'RD'``, ... or free text), used in labels.
    details : FrozenMapping
        Extras: ``typical_variance`` (the :math:`\tilde v` of :math:`I^2`), ``iterations``
        (REML), ``hksj_scale``, ``prediction_interval_riley`` (random effects, k ≥ 3),
        ``cmh_test``, ``breslow_day_test``, ``tarone_test`` (Mantel–Haenszel), ``tables``.
    """

    estimate: Estimate
    tau2: Estimate
    i2: Estimate
    h2: Estimate
    q: float
    q_df: int
    q_pvalue: float
    prediction_interval: ConfidenceInterval
    weights: pd.Series
    effects: pd.Series
    variances: pd.Series
    method: str
    hksj: bool
    k: int
    confidence_level: float
    test: TestResult
    measure: str | None = None
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    @property
    def tau(self) -> float:
        r"""Square root of the estimated :math:`\tau^2`."""
        return math.sqrt(self.tau2.estimate)

    @property
    def is_random_effects(self) -> bool:
        """Whether the model is a random-effects model (DL, REML, PM)."""
        return self.method not in _COMMON

    def to_frame(self) -> pd.DataFrame:
        """Return one row per study and a last row for the pooled estimate.

        Columns: ``study``, ``kind`` (``'study'`` or ``'pooled'``), ``estimate``,
        ``std_error``, ``ci_low``, ``ci_high`` (per-study Wald intervals at the result's
        level) and ``weight`` (percent).
        """
        se = np.sqrt(self.variances.to_numpy())
        z = float(special.ndtri(0.5 + self.confidence_level / 2))
        y = self.effects.to_numpy()
        rows = pd.DataFrame(
            {
                "study": list(self.effects.index),
                "kind": "study",
                "estimate": y,
                "std_error": se,
                "ci_low": y - z * se,
                "ci_high": y + z * se,
                "weight": self.weights.to_numpy(),
            }
        )
        ci = self.estimate.confidence_interval
        pooled = pd.DataFrame(
            {
                "study": [f"pooled ({self.method})"],
                "kind": ["pooled"],
                "estimate": [self.estimate.estimate],
                "std_error": [self.estimate.std_error],
                "ci_low": [ci.low],
                "ci_high": [ci.high],
                "weight": [100.0],
            }
        )
        return pd.concat([rows, pooled], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the pooled and heterogeneity statistics as plain Python values."""
        ci = self.estimate.confidence_interval
        return {
            "method": self.method,
            "hksj": self.hksj,
            "k": self.k,
            "measure": self.measure,
            "confidence_level": self.confidence_level,
            "estimate": self.estimate.estimate,
            "std_error": self.estimate.std_error,
            "ci_low": ci.low,
            "ci_high": ci.high,
            "statistic": self.test.statistic,
            "pvalue": self.test.pvalue,
            "tau2": self.tau2.estimate,
            "tau2_ci_low": self.tau2.confidence_interval.low,
            "tau2_ci_high": self.tau2.confidence_interval.high,
            "i2": self.i2.estimate,
            "i2_ci_low": self.i2.confidence_interval.low,
            "i2_ci_high": self.i2.confidence_interval.high,
            "h2": self.h2.estimate,
            "q": self.q,
            "q_df": self.q_df,
            "q_pvalue": self.q_pvalue,
            "pi_low": self.prediction_interval.low,
            "pi_high": self.prediction_interval.high,
        }

    def leave_one_out(self) -> pd.DataFrame:
        """Refit the model without each study in turn (metafor's ``leave1out``).

        Returns
        -------
        pandas.DataFrame
            Indexed by the omitted study, columns ``estimate``, ``std_error``, ``statistic``,
            ``pvalue``, ``ci_low``, ``ci_high``, ``q``, ``q_pvalue``, ``tau2`` (random-effects
            models only), ``i2``, ``h2`` — metafor's ``estimate, se, zval, pval, ci.lb, ci.ub,
            Q, Qp, tau2, I2, H2``.

        Raises
        ------
        ValueError
            If the model has fewer than 3 studies.
        """
        if self.k < 3:
            raise ValueError(f"leave_one_out needs at least 3 studies; the model has {self.k}")
        rows = []
        for i in range(self.k):
            keep = np.ones(self.k, dtype=bool)
            keep[i] = False
            fit = _refit(self, keep)
            ci = fit.estimate.confidence_interval
            row = {
                "estimate": fit.estimate.estimate,
                "std_error": fit.estimate.std_error,
                "statistic": fit.test.statistic,
                "pvalue": fit.test.pvalue,
                "ci_low": ci.low,
                "ci_high": ci.high,
                "q": fit.q,
                "q_pvalue": fit.q_pvalue,
            }
            if self.is_random_effects:
                row["tau2"] = fit.tau2.estimate
            row["i2"] = fit.i2.estimate
            row["h2"] = fit.h2.estimate
            rows.append(row)
        return pd.DataFrame(rows, index=pd.Index(list(self.effects.index), name="omitted"))

    def _lines(self) -> list[str]:
        est = self.estimate
        ci, pi = est.confidence_interval, self.prediction_interval
        stat = "t" if self.hksj else "z"
        df = f"({self.test.df:g})" if self.test.df is not None else ""
        level = f"{100 * self.confidence_level:g}%"
        t2, i2 = self.tau2.confidence_interval, self.i2.confidence_interval
        what = MEASURE_NAMES.get(self.measure or "", self.measure or "effect")
        hk = ", HKSJ" if self.hksj else ""
        return [
            f"MetaAnalysisResult: {_MODEL_NAMES[self.method]}{hk}, k = {self.k}",
            f"  pooled {what}: {_fmt(est.estimate)} (SE {_fmt(est.std_error)}), "
            f"{level} CI [{_fmt(ci.low)}, {_fmt(ci.high)}], {stat}{df} = "
            f"{_fmt(self.test.statistic)}, p = {_fmt_pvalue(self.test.pvalue)}",
            f"  tau² = {_fmt(self.tau2.estimate)} [{_fmt(t2.low)}, {_fmt(t2.high)}], "
            f"I² = {self.i2.estimate:.2f}% [{i2.low:.2f}, {i2.high:.2f}], "
            f"H² = {_fmt(self.h2.estimate)}",
            f"  Q({self.q_df}) = {_fmt(self.q)}, p = {_fmt_pvalue(self.q_pvalue)}; "
            f"{level} prediction interval [{_fmt(pi.low)}, {_fmt(pi.high)}]",
        ]

    def __repr__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        head, *rest = self._lines()
        body = "<br>".join(line.strip() for line in rest)
        table = self.to_frame().to_html(index=False, float_format="{:.4g}".format)
        return f"<p><b>{head}</b><br>{body}</p>\n{table}"


# --------------------------------------------------------------------------- assembly
def _labels(labels: Any, first: Any, k: int) -> pd.Index:
    if labels is None and not isinstance(first, (pd.Series, pd.DataFrame)):
        return pd.Index(list(range(1, k + 1)))
    return study_index(labels, first, k)


def _heterogeneity(
    y: np.ndarray,
    v: np.ndarray,
    tau2: float,
    tau2_se: float | None,
    q: float,
    q_df: int,
    method: str,
    level: float,
    k: int,
) -> tuple[Estimate, Estimate, Estimate, float]:
    """Return the tau², I², H² estimates (Q-profile intervals) and the typical variance."""
    X = np.ones((len(y), 1))
    if q_df >= 1:
        vt = core.typical_variance(v, X)
        low, high = core.q_profile(y, v, X, level)
    else:
        vt, low, high = math.nan, math.nan, math.nan
    if method in _COMMON:
        i2, h2 = core.q_based_share(q, q_df)
        t2_method = f"fixed at 0 ({_MODEL_NAMES[method]} model); Q-profile CI"
    else:
        i2, h2 = core.heterogeneity_share(tau2, vt)
        t2_method = f"{method} estimate; Q-profile CI"
    tau2_est = Estimate(tau2, tau2_se, ConfidenceInterval(low, high), level, t2_method, k)
    i2_ci = ConfidenceInterval(*(100 * t / (vt + t) for t in (low, high)))
    h2_ci = ConfidenceInterval(*(1 + t / vt for t in (low, high)))
    i2_est = Estimate(i2, None, i2_ci, level, "I² (%), CI from the tau² CI", k)
    h2_est = Estimate(h2, None, h2_ci, level, "H², CI from the tau² CI", k)
    return tau2_est, i2_est, h2_est, vt


def _pooled(
    mu: float,
    se: float,
    df: float | None,
    level: float,
    method: str,
    measure: str | None,
    k: int,
    extra: Mapping[str, Any] | None = None,
) -> tuple[Estimate, TestResult]:
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = float(np.divide(mu, se)) if se > 0 else (math.nan if mu == 0 else math.inf)
    if df is None:
        crit = float(special.ndtri(0.5 + level / 2))
        p = normal_pvalue(stat, "two-sided") if not math.isnan(stat) else math.nan
        test_name = "z-test"
    else:
        crit = float(special.stdtrit(df, 0.5 + level / 2))
        p = t_pvalue(stat, df, "two-sided") if not math.isnan(stat) else math.nan
        test_name = f"t-test (HKSJ, df = {df:g})"
    what = MEASURE_NAMES.get(measure or "", measure or "effect")
    label = f"pooled {what}, {_MODEL_NAMES[method]}"
    details = {"statistic": stat, "pvalue": p, "df": df, **(extra or {})}
    est = Estimate(
        mu,
        se,
        ConfidenceInterval(mu - crit * se, mu + crit * se),
        level,
        label + (" with HKSJ" if df is not None else ""),
        k,
        details=FrozenMapping(details),
    )
    test = TestResult(
        statistic=stat,
        pvalue=p,
        df=df,
        alternative="two-sided",
        method=f"Meta-analysis {test_name} of a zero pooled effect ({_MODEL_NAMES[method]})",
        estimate=est,
    )
    return est, test


def _series(values: np.ndarray, index: pd.Index, name: str) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=index.copy(), name=name)


def _fit_uni(
    y: np.ndarray,
    v: np.ndarray,
    index: pd.Index,
    method: str,
    hksj: bool,
    level: float,
    measure: str | None,
) -> MetaAnalysisResult:
    k = len(y)
    X = np.ones((k, 1))
    tau2, tau2_se, extras = core.estimate_tau2(y, v, X, method)
    w = 1.0 / (v + tau2)
    mu = float(np.sum(w * y) / np.sum(w))
    se = math.sqrt(1.0 / float(np.sum(w)))
    wf = 1.0 / v
    q = float(np.sum(wf * (y - np.sum(wf * y) / np.sum(wf)) ** 2))
    df: float | None = None
    extra: dict[str, Any] = {}
    if hksj:
        scale = float(np.sum(w * (y - mu) ** 2)) / (k - 1)
        scale = 0.0 if scale <= np.finfo(float).eps else scale
        extra = {"std_error_unadjusted": se, "hksj_scale": scale}
        se *= math.sqrt(scale)
        df = float(k - 1)
    est, test = _pooled(mu, se, df, level, method, measure, k, extra)
    tau2_est, i2, h2, vt = _heterogeneity(y, v, tau2, tau2_se, q, k - 1, method, level, k)
    crit = float(
        special.ndtri(0.5 + level / 2) if df is None else special.stdtrit(df, 0.5 + level / 2)
    )
    half = crit * math.sqrt(se**2 + tau2)
    details: dict[str, Any] = {"typical_variance": vt, **extras, **extra}
    if method not in _COMMON and k >= 3:
        half_r = float(special.stdtrit(k - 2, 0.5 + level / 2)) * math.sqrt(se**2 + tau2)
        details["prediction_interval_riley"] = ConfidenceInterval(mu - half_r, mu + half_r)
    return MetaAnalysisResult(
        estimate=est,
        tau2=tau2_est,
        i2=i2,
        h2=h2,
        q=q,
        q_df=k - 1,
        q_pvalue=float(special.chdtrc(k - 1, q)),
        prediction_interval=ConfidenceInterval(mu - half, mu + half),
        weights=_series(100 * w / np.sum(w), index, "weight"),
        effects=_series(y, index, "effect"),
        variances=_series(v, index, "variance"),
        method=method,
        hksj=hksj,
        k=k,
        confidence_level=level,
        test=test,
        measure=measure,
        details=FrozenMapping(details),
    )


def _refit(result: MetaAnalysisResult, keep: np.ndarray) -> MetaAnalysisResult:
    index = result.effects.index[keep]
    if result.method in ("MH", "Peto"):
        from statcraft.health._meta_2x2 import _fit_mh, _fit_peto

        tables = np.asarray(result.details["tables"].to_numpy(), dtype=float)[keep]
        a, b, c, d = tables.T
        if result.method == "MH":
            return _fit_mh(a, b, c, d, index, str(result.measure), result.confidence_level)
        return _fit_peto(a, b, c, d, index, result.confidence_level)
    return _fit_uni(
        result.effects.to_numpy()[keep],
        result.variances.to_numpy()[keep],
        index,
        result.method,
        result.hksj,
        result.confidence_level,
        result.measure,
    )
