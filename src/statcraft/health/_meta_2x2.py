r"""Mantel-Haenszel and Peto pooling of 2 x 2 tables (private module).

The public functions are re-exported by :mod:`statcraft.health.meta`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import check_choice, check_confidence_level
from statcraft.health._meta_result import (
    MetaAnalysisResult,
    _heterogeneity,
    _labels,
    _pooled,
    _series,
)
from statcraft.health.effect_sizes import check_tables, compute_2x2, double_zero
from statcraft.hypothesis_tests.categorical import mantel_haenszel
from statcraft.results import FrozenMapping, TestResult

__all__ = ["meta_mantel_haenszel", "meta_peto"]


def _escalc_q(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, measure: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per-study effects as rma.mh / rma.peto compute them for Q (0.5 to zero cells, drop00)."""
    y, v, _, _ = compute_2x2(a, b, c, d, measure, 0.5, "zero_only", True)
    return y, v


def _tables_frame(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    return pd.DataFrame(
        {"events_treat": a, "nonevents_treat": b, "events_control": c, "nonevents_control": d},
        index=index.copy(),
    )


def _assemble_common(
    method: str,
    mu: float,
    se: float,
    q: float,
    k_y: int,
    y: np.ndarray,
    v: np.ndarray,
    weights: np.ndarray,
    index: pd.Index,
    measure: str,
    level: float,
    details: dict[str, Any],
) -> MetaAnalysisResult:
    k = len(y)
    est, test = _pooled(mu, se, None, level, method, measure, k)
    ok = np.isfinite(y)
    q_df = max(k_y - 1, 0)
    tau2, i2, h2, vt = _heterogeneity(y[ok], v[ok], 0.0, None, q, q_df, method, level, k)
    details["typical_variance"] = vt
    return MetaAnalysisResult(
        estimate=est,
        tau2=tau2,
        i2=i2,
        h2=h2,
        q=q,
        q_df=q_df,
        q_pvalue=float(special.chdtrc(q_df, q)) if q_df >= 1 else 1.0,
        prediction_interval=est.confidence_interval,
        weights=_series(100 * weights / np.sum(weights), index, "weight"),
        effects=_series(y, index, "effect"),
        variances=_series(v, index, "variance"),
        method=method,
        hksj=False,
        k=k,
        confidence_level=level,
        test=test,
        measure=measure,
        details=FrozenMapping(details),
    )


def _fit_mh(
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    index: pd.Index,
    measure: str,
    level: float,
) -> MetaAnalysisResult:
    n1, n2 = a + b, c + d
    n = n1 + n2
    details: dict[str, Any] = {"tables": _tables_frame(a, b, c, d, index)}
    if measure == "OR":
        r_i, s_i = a * d / n, b * c / n
        p_i, q_i = (a + d) / n, (b + c) / n
        r, s = float(r_i.sum()), float(s_i.sum())
        if r == 0 or s == 0:
            which = (
                "the treated arm with non-events in the control arm"
                if r == 0
                else "the control arm with non-events in the treated arm"
            )
            raise ValueError(
                f"the Mantel-Haenszel odds ratio is 0 or infinite: no study has events in {which}"
            )
        mu = math.log(r / s)
        se = math.sqrt(
            0.5
            * (
                float(np.sum(p_i * r_i)) / r**2
                + float(np.sum(p_i * s_i + q_i * r_i)) / (r * s)
                + float(np.sum(q_i * s_i)) / s**2
            )
        )
        weights = s_i
        details.update(_breslow_day_tarone(a, b, c, d, r / s))
    elif measure == "RR":
        r, s = float(np.sum(a * n2 / n)), float(np.sum(c * n1 / n))
        if r == 0 or s == 0:
            raise ValueError(
                "the Mantel-Haenszel risk ratio is 0 or infinite: there are no events in the "
                f"{'treated' if r == 0 else 'control'} arms"
            )
        mu = math.log(r / s)
        se = math.sqrt(float(np.sum(n1 * n2 * (a + c) / n**2 - a * c / n)) / (r * s))
        weights = c * n1 / n
    else:
        denom = float(np.sum(n1 * n2 / n))
        mu = float(np.sum(a * n2 / n - c * n1 / n)) / denom
        # Sato, Greenland & Robins (1989), as metafor
        num = (
            mu
            * float(
                np.sum(c * (n1 / n) ** 2 - a * (n2 / n) ** 2 + (n1 / n) * (n2 / n) * (n2 - n1) / 2)
            )
            + float(np.sum(a * (n2 - c) / n + c * (n1 - a) / n)) / 2
        )
        se = math.sqrt(num / denom**2)
        weights = n1 * n2 / n
    y, v = _escalc_q(a, b, c, d, measure)
    ok = np.isfinite(y)
    q = max(0.0, float(np.sum((y[ok] - mu) ** 2 / v[ok])))
    try:
        details["cmh_test"] = mantel_haenszel(
            np.stack([np.stack([a, b], 1), np.stack([c, d], 1)], 1)
        )
    except ValueError:
        details["cmh_test"] = None
    return _assemble_common(
        "MH", mu, se, q, int(ok.sum()), y, v, weights, index, measure, level, details
    )


def _breslow_day_tarone(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, psi: float
) -> dict[str, TestResult | None]:
    """Breslow–Day and Tarone tests of a common odds ratio (as metafor's ``rma.mh``)."""
    n1, n2 = a + b, c + d
    n = n1 + n2
    xt, yt = a + c, b + d
    if psi == 1:
        n11 = n1 * xt / n
    else:
        big_a = psi * (n1 + xt) + (n2 - xt)
        with np.errstate(invalid="ignore"):
            big_b = np.sqrt(big_a**2 - 4 * n1 * xt * psi * (psi - 1))
        n11 = (big_a - big_b) / (2 * (psi - 1))
    pos = (n11 > 0) & (xt > 0) & (yt > 0)
    k_pos = int(pos.sum())
    if k_pos < 2:
        return {"breslow_day_test": None, "tarone_test": None}
    e11 = n11[pos]
    e12, e21 = n1[pos] - e11, xt[pos] - e11
    e22 = e11 - n1[pos] - xt[pos] + n[pos]
    with np.errstate(divide="ignore"):  # an expected cell of 0 gives a variance of 0
        var = 1.0 / (1 / e11 + 1 / e12 + 1 / e21 + 1 / e22)
    keep = var > 0
    e11, var = e11[keep], var[keep]
    dev = a[pos][keep] - e11
    bd = max(0.0, float(np.sum(dev**2 / var)))
    ta = max(0.0, bd - float(np.sum(dev)) ** 2 / float(np.sum(var)))
    out: dict[str, TestResult | None] = {}
    for key, stat, name in (
        ("breslow_day_test", bd, "Breslow-Day test of a common odds ratio"),
        ("tarone_test", ta, "Tarone's test for heterogeneity of the odds ratio"),
    ):
        out[key] = TestResult(
            statistic=stat,
            pvalue=float(special.chdtrc(k_pos - 1, stat)),
            df=float(k_pos - 1),
            method=name,
        )
    return out


def _fit_peto(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, index: pd.Index, level: float
) -> MetaAnalysisResult:
    n1, n2 = a + b, c + d
    n = n1 + n2
    xt, yt = a + c, b + d
    e = xt * n1 / n
    var = xt * yt * (n1 / n) * (n2 / n) / (n - 1)
    if np.sum(var) == 0:
        raise ValueError(
            "Peto's odds ratio is not defined: every study has no events (or only events)"
        )
    mu = float(np.sum(a - e)) / float(np.sum(var))
    se = math.sqrt(1.0 / float(np.sum(var)))
    pos = var > 0
    q = max(
        0.0,
        float(np.sum((a[pos] - e[pos]) ** 2 / var[pos]))
        - float(np.sum(a - e)) ** 2 / float(np.sum(var)),
    )
    # per-study Peto log odds ratios for display (metafor's escalc("PETO"): 0.5 to zero cells)
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    add = np.where(zero, 0.5, 0.0)
    a2, b2, c2, d2 = a + add, b + add, c + add, d + add
    n1c, n2c = a2 + b2, c2 + d2
    nc = n1c + n2c
    vc = (a2 + c2) * (b2 + d2) * (n1c / nc) * (n2c / nc) / (nc - 1)
    dz = double_zero(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(dz | (vc <= 0), np.nan, (a2 - (a2 + c2) * n1c / nc) / vc)
        v = np.where(dz | (vc <= 0), np.nan, 1.0 / vc)
    k_y = int(np.isfinite(y).sum())
    details: dict[str, Any] = {"tables": _tables_frame(a, b, c, d, index)}
    return _assemble_common("Peto", mu, se, q, k_y, y, v, var, index, "PETO", level, details)


def meta_mantel_haenszel(
    events_treat: Any,
    n_treat: Any,
    events_control: Any,
    n_control: Any,
    *,
    measure: Literal["OR", "RR", "RD"] = "OR",
    confidence_level: float = 0.95,
    labels: Sequence[Any] | None = None,
) -> MetaAnalysisResult:
    r"""Mantel–Haenszel pooled odds ratio, risk ratio or risk difference of 2 × 2 tables.

    Parameters
    ----------
    events_treat, n_treat, events_control, n_control : array_like
        Events and participants of the treated and control arm of each study (whole counts,
        events ≤ participants, at least 2 studies).
    measure : {'OR', 'RR', 'RD'}
        Pooled log odds ratio, log risk ratio or risk difference.
    confidence_level : float
        Level of the intervals.
    labels : sequence, optional
        Study labels (default: the index of ``events_treat`` if a Series, else 1..k).

    Returns
    -------
    MetaAnalysisResult
        ``method='MH'``; ``estimate`` on the log scale for OR/RR (exponentiate for the ratio);
        ``details['cmh_test']`` (Cochran–Mantel–Haenszel test with continuity correction, from
        :func:`statcraft.hypothesis_tests.mantel_haenszel`), and for OR
        ``details['breslow_day_test']`` and ``details['tarone_test']``.

    Raises
    ------
    TypeError
        If a count is not numeric.
    ValueError
        For invalid counts (see :func:`~statcraft.health.effect_sizes.effect_sizes_2x2`),
        fewer than 2 studies, or a pooled ratio that is 0 or infinite.

    Notes
    -----
    The estimate uses the counts as they are (no continuity correction; tables with an empty
    cell contribute). Odds ratio: :math:`\hat\psi = \sum R_i/\sum S_i` with
    :math:`R_i = a_i d_i/n_i`, :math:`S_i = b_i c_i/n_i` and the Robins–Breslow–Greenland
    (1986) variance of :math:`\log\hat\psi`. Risk ratio: :math:`\sum a_i n_{2i}/n_i \big/
    \sum c_i n_{1i}/n_i` with Greenland & Robins' (1985) variance. Risk difference: the
    Sato–Greenland–Robins (1989) variance. Cochran's Q uses the per-study effects of
    :func:`~statcraft.health.effect_sizes.effect_sizes_2x2` (0.5 added to tables with an
    empty cell, double-zero studies excluded) around the MH estimate, with
    :math:`I^2 = 100\max(0, (Q - df)/Q)`, as metafor's ``rma.mh``. The :math:`\tau^2`
    interval is the Q-profile interval of those per-study effects (the model assumes
    :math:`\tau^2 = 0`). The weights are :math:`S_i` (OR), :math:`c_i n_{1i}/n_i` (RR) or
    :math:`n_{1i} n_{2i}/n_i` (RD), as metafor's ``weights``.

    References
    ----------
    .. [1] Mantel, N., Haenszel, W. (1959). Statistical aspects of the analysis of data from
       retrospective studies of disease. JNCI 22, 719–748.
    .. [2] Robins, J., Breslow, N., Greenland, S. (1986). Estimators of the Mantel-Haenszel
       variance consistent in both sparse data and large-strata limiting models. Biometrics
       42, 311–323.
    .. [3] Greenland, S., Robins, J. M. (1985). Estimation of a common effect parameter from
       sparse follow-up data. Biometrics 41, 55–68.
    .. [4] Sato, T., Greenland, S., Robins, J. M. (1989). On the variance estimator for the
       Mantel-Haenszel risk difference. Biometrics 45, 1323–1324.
    .. [5] Tarone, R. E. (1985). On heterogeneity tests based on efficient scores.
       Biometrika 72, 91–95.

    Examples
    --------
    >>> import math
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import meta_mantel_haenszel
    >>> bcg = load_bcg()
    >>> res = meta_mantel_haenszel(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                            bcg["control_cases"], bcg["control_total"], measure="OR")
    >>> round(res.estimate.estimate, 4), round(math.exp(res.estimate.estimate), 4)
    (-0.4734, 0.6229)
    >>> round(res.details["cmh_test"].statistic, 4)  # metafor: CMH = 135.6889
    135.6889
    """
    measure = check_choice(measure, "measure", ("OR", "RR", "RD"))  # type: ignore[assignment]
    level = check_confidence_level(confidence_level)
    a, b, c, d = check_tables(events_treat, n_treat, events_control, n_control)
    if len(a) < 2:
        raise ValueError(f"`events_treat` needs at least 2 studies; got {len(a)}")
    index = _labels(labels, events_treat, len(a))
    return _fit_mh(a, b, c, d, index, measure, level)


def meta_peto(
    events_treat: Any,
    n_treat: Any,
    events_control: Any,
    n_control: Any,
    *,
    confidence_level: float = 0.95,
    labels: Sequence[Any] | None = None,
) -> MetaAnalysisResult:
    r"""Peto's one-step pooled (log) odds ratio of 2 × 2 tables.

    Parameters
    ----------
    events_treat, n_treat, events_control, n_control : array_like
        Events and participants of the treated and control arm of each study (whole counts,
        events ≤ participants, at least 2 studies).
    confidence_level : float
        Level of the intervals.
    labels : sequence, optional
        Study labels (default: the index of ``events_treat`` if a Series, else 1..k).

    Returns
    -------
    MetaAnalysisResult
        ``method='Peto'``, ``measure='PETO'``; ``estimate`` is the log odds ratio.

    Raises
    ------
    TypeError
        If a count is not numeric.
    ValueError
        For invalid counts, fewer than 2 studies, or no study with both outcomes.

    Notes
    -----
    With :math:`E_i = (a_i + c_i) n_{1i}/n_i` and the hypergeometric variance
    :math:`V_i = (a_i + c_i)(b_i + d_i) n_{1i} n_{2i} / (n_i^2 (n_i - 1))`,
    :math:`\log\hat\psi = \sum (a_i - E_i)/\sum V_i`, :math:`\operatorname{SE} =
    (\sum V_i)^{-1/2}` and :math:`Q = \sum (a_i - E_i)^2/V_i - (\sum (a_i - E_i))^2/\sum
    V_i` (Yusuf et al. 1985), with :math:`I^2 = 100\max(0, (Q - df)/Q)` as metafor's
    ``rma.peto``. The per-study ``effects`` are :math:`(a_i - E_i)/V_i` with variance
    :math:`1/V_i` (0.5 added to tables with an empty cell, double-zero studies excluded);
    the weights are :math:`V_i`. Peto's method is biased when the arms are unbalanced or the
    odds ratio is far from 1 (Greenland & Salvan 1990).

    References
    ----------
    .. [1] Yusuf, S., Peto, R., Lewis, J., Collins, R., Sleight, P. (1985). Beta blockade
       during and after myocardial infarction: an overview of the randomized trials.
       Progress in Cardiovascular Diseases 27, 335–371.
    .. [2] Greenland, S., Salvan, A. (1990). Bias in the one-step method for pooling study
       results. Statistics in Medicine 9, 247–252.

    Examples
    --------
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import meta_peto
    >>> bcg = load_bcg()
    >>> res = meta_peto(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                 bcg["control_cases"], bcg["control_total"])
    >>> round(res.estimate.estimate, 4), round(res.q, 4)  # metafor: -0.4744, 167.7302
    (-0.4744, 167.7302)
    """
    level = check_confidence_level(confidence_level)
    a, b, c, d = check_tables(events_treat, n_treat, events_control, n_control)
    if len(a) < 2:
        raise ValueError(f"`events_treat` needs at least 2 studies; got {len(a)}")
    index = _labels(labels, events_treat, len(a))
    return _fit_peto(a, b, c, d, index, level)


# Re-exported so that these names stay importable from this module (the package maps them here).
