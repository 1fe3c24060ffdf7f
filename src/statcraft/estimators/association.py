"""Effect measures for 2x2 tables: risk difference, risk ratio, odds ratio, NNT.

Each function takes the counts of a two-arm comparison, ``(events_treated, n_treated,
events_control, n_control)``, and returns an :class:`~statcraft.results.Estimate`:

- :func:`risk_difference` -- Newcombe's hybrid score interval (method 10 of Newcombe 1998),
  built from the two Wilson intervals;
- :func:`risk_ratio` and :func:`odds_ratio` -- Wald intervals on the log scale (Katz and Woolf),
  with the Haldane-Anscombe 0.5 correction only when a cell is zero;
- :func:`number_needed_to_treat` -- Altman's (1998) interval, the inverted risk-difference
  interval, including the "NNT(harm) x to infinity to NNT(benefit) y" case.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from statcraft._inference import z_interval
from statcraft._validation import check_choice, check_confidence_level, check_count
from statcraft.estimators.proportions import proportion
from statcraft.results import ConfidenceInterval, Estimate, FrozenMapping

__all__ = ["number_needed_to_treat", "odds_ratio", "risk_difference", "risk_ratio"]


def _counts(
    events_treated: Any, n_treated: Any, events_control: Any, n_control: Any
) -> tuple[int, int, int, int]:
    """Validate the four counts; returns ``(a, n1, c, n2)``."""
    n1 = check_count(n_treated, "n_treated")
    n2 = check_count(n_control, "n_control")
    for n, name in ((n1, "n_treated"), (n2, "n_control")):
        if n == 0:
            raise ValueError(f"`{name}` must be at least 1; a risk in an empty group is undefined")
    a = check_count(events_treated, "events_treated", max_value=n1, max_name="n_treated")
    c = check_count(events_control, "events_control", max_value=n2, max_name="n_control")
    return a, n1, c, n2


def _newcombe(
    a: int, n1: int, c: int, n2: int, confidence_level: float
) -> tuple[float, float, float, tuple[float, float], tuple[float, float]]:
    """Risk difference ``p1 - p2`` and Newcombe's method-10 limits from the Wilson limits."""
    w1 = proportion(a, n1, method="wilson", confidence_level=confidence_level)
    w2 = proportion(c, n2, method="wilson", confidence_level=confidence_level)
    p1, p2 = a / n1, c / n2
    l1, u1 = w1.confidence_interval
    l2, u2 = w2.confidence_interval
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high, (l1, u1), (l2, u2)


def risk_difference(
    events_treated: int,
    n_treated: int,
    events_control: int,
    n_control: int,
    *,
    confidence_level: float = 0.95,
) -> Estimate:
    r"""Estimate the risk difference with Newcombe's hybrid score interval.

    Parameters
    ----------
    events_treated, n_treated : int
        Number of events and of subjects in the treated (exposed) group.
    events_control, n_control : int
        Number of events and of subjects in the control (unexposed) group.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.

    Returns
    -------
    Estimate
        :math:`p_1 - p_2` (treated minus control), the unpooled Wald standard error
        :math:`\sqrt{p_1(1-p_1)/n_1 + p_2(1-p_2)/n_2}` (for reference; the interval does not use
        it), the Newcombe interval, ``n = n_treated + n_control``, and ``details`` with
        ``risk_treated``, ``risk_control`` and their Wilson intervals.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If a count is negative or not whole, events exceed their group size, a group is empty,
        or ``confidence_level`` is outside (0, 1).

    Notes
    -----
    With :math:`(l_i, u_i)` the Wilson score limits of :math:`p_i` at the same level
    (:func:`statcraft.proportion`), Newcombe's (1998) method 10 is

    .. math:: \bigl[\,d - \sqrt{(p_1 - l_1)^2 + (u_2 - p_2)^2},\;
              d + \sqrt{(u_1 - p_1)^2 + (p_2 - l_2)^2}\,\bigr], \quad d = p_1 - p_2.

    It stays inside [-1, 1], is never degenerate at 0 or 100%, and has coverage close to
    nominal where the Wald interval fails. It equals statsmodels'
    ``confint_proportions_2indep(method='newcomb')``.

    References
    ----------
    .. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Statistics in Medicine 17, 873-890.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.risk_difference(56, 70, 48, 80)
    >>> round(res.estimate, 4)
    0.2
    >>> [round(b, 4) for b in res.confidence_interval]
    [0.0524, 0.3339]
    """
    a, n1, c, n2 = _counts(events_treated, n_treated, events_control, n_control)
    confidence_level = check_confidence_level(confidence_level)
    d, low, high, w1, w2 = _newcombe(a, n1, c, n2, confidence_level)
    p1, p2 = a / n1, c / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return Estimate(
        float(d),
        float(se),
        ConfidenceInterval(float(low), float(high)),
        confidence_level,
        "risk difference (Newcombe hybrid score interval, method 10)",
        n1 + n2,
        details=FrozenMapping(
            {
                "risk_treated": p1,
                "risk_control": p2,
                "wilson_treated": w1,
                "wilson_control": w2,
            }
        ),
    )


def _cells(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float, float, float]:
    """Return the 2x2 cells, with the Haldane-Anscombe 0.5 added to all four if any is 0."""
    cells = (a, n1 - a, c, n2 - c)
    corr = 0.5 if min(cells) == 0 else 0.0
    return cells[0] + corr, cells[1] + corr, cells[2] + corr, cells[3] + corr, corr


def _log_wald(log_est: float, se: float, confidence_level: float) -> ConfidenceInterval:
    """Two-sided Wald interval on the log scale, exponentiated."""
    low, high = z_interval(log_est, se, confidence_level, "two-sided")
    return ConfidenceInterval(math.exp(low), math.exp(high))


def risk_ratio(
    events_treated: int,
    n_treated: int,
    events_control: int,
    n_control: int,
    *,
    confidence_level: float = 0.95,
) -> Estimate:
    r"""Estimate the risk ratio (relative risk) with Katz's log-scale interval.

    Parameters
    ----------
    events_treated, n_treated : int
        Number of events and of subjects in the treated (exposed) group.
    events_control, n_control : int
        Number of events and of subjects in the control (unexposed) group.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.

    Returns
    -------
    Estimate
        :math:`p_1/p_2`, no standard error on the ratio scale (None; the log-scale standard
        error is ``details['log_std_error']``), the interval, ``n = n_treated +
        n_control``, and ``details`` with ``log_std_error``, ``zero_cell_correction``
        (0.5 or 0) and ``uncorrected_estimate``.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If neither group has an event (the ratio is 0/0), or a count is invalid (see
        :func:`risk_difference`).

    Notes
    -----
    With cells :math:`a, b` (events, non-events, treated) and :math:`c, d` (control),
    :math:`\log \widehat{RR} \pm z_{1-\alpha/2}\sqrt{1/a - 1/(a+b) + 1/c - 1/(c+d)}`
    (Katz et al. 1978), exponentiated. When any cell is zero, 0.5 is added to all four cells
    (Haldane 1956; Anscombe 1956) before computing both the estimate and the interval;
    ``details['zero_cell_correction']`` says whether that happened and
    ``details['uncorrected_estimate']`` keeps :math:`p_1/p_2` (0 or inf when one group has no
    events). Without zero cells nothing is added. (statsmodels' ``Table2x2(shift_zeros=True)``
    instead replaces only the zero cells by 0.5, so it differs when a cell is zero.)

    References
    ----------
    .. [1] Katz, D., Baptista, J., Azen, S. P. and Pike, M. C. (1978). Obtaining confidence
       intervals for the risk ratio in cohort studies. Biometrics 34, 469-474.
    .. [2] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., section 3.1. Wiley.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.risk_ratio(189, 11034, 104, 11037)
    >>> round(res.estimate, 3)
    1.818
    >>> [round(b, 2) for b in res.confidence_interval]
    [1.43, 2.31]
    """
    a, n1, c, n2 = _counts(events_treated, n_treated, events_control, n_control)
    confidence_level = check_confidence_level(confidence_level)
    if a == 0 and c == 0:
        raise ValueError(
            "neither group has an event (`events_treated` = `events_control` = 0); "
            "the risk ratio is 0/0, undefined"
        )
    aa, bb, cc, dd, corr = _cells(a, n1, c, n2)
    rr = (aa / (aa + bb)) / (cc / (cc + dd))
    se = math.sqrt(1 / aa - 1 / (aa + bb) + 1 / cc - 1 / (cc + dd))
    uncorrected = math.inf if c == 0 else (a / n1) / (c / n2)
    method = "risk ratio (Katz log interval" + (", 0.5 added to every cell)" if corr else ")")
    return Estimate(
        float(rr),
        None,
        _log_wald(math.log(rr), se, confidence_level),
        confidence_level,
        method,
        n1 + n2,
        details=FrozenMapping(
            {
                "log_std_error": se,
                "zero_cell_correction": corr,
                "uncorrected_estimate": float(uncorrected),
            }
        ),
    )


def odds_ratio(
    events_treated: int,
    n_treated: int,
    events_control: int,
    n_control: int,
    *,
    confidence_level: float = 0.95,
) -> Estimate:
    r"""Estimate the odds ratio with Woolf's log-scale interval.

    Parameters
    ----------
    events_treated, n_treated : int
        Number of events and of subjects in the treated (exposed) group.
    events_control, n_control : int
        Number of events and of subjects in the control (unexposed) group.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.

    Returns
    -------
    Estimate
        The sample odds ratio :math:`ad/(bc)`, no standard error on the ratio scale (None;
        see ``details['log_std_error']``), the interval, ``n = n_treated + n_control``,
        and ``details`` with ``log_std_error``, ``zero_cell_correction`` and
        ``uncorrected_estimate``.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If neither group has an event, or every subject in both groups has one (the odds
        ratio is undefined), or a count is invalid (see :func:`risk_difference`).

    Notes
    -----
    :math:`\log(ad/bc) \pm z_{1-\alpha/2}\sqrt{1/a + 1/b + 1/c + 1/d}` (Woolf 1955),
    exponentiated. When any cell is zero, 0.5 is added to all four cells (Haldane-Anscombe)
    for both the estimate and the interval, and ``details`` records it (statsmodels'
    ``Table2x2(shift_zeros=True)`` replaces only the zero cells by 0.5). This is the
    unconditional sample odds ratio, not the conditional maximum-likelihood estimate of R's
    ``fisher.test``.

    References
    ----------
    .. [1] Woolf, B. (1955). On estimating the relation between blood group and disease.
       Annals of Human Genetics 19, 251-253.
    .. [2] Haldane, J. B. S. (1956). The estimation and significance of the logarithm of a
       ratio of frequencies. Annals of Human Genetics 20, 309-311.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.odds_ratio(189, 11034, 104, 11037)
    >>> round(res.estimate, 3)
    1.832
    >>> [round(b, 2) for b in res.confidence_interval]
    [1.44, 2.33]
    """
    a, n1, c, n2 = _counts(events_treated, n_treated, events_control, n_control)
    confidence_level = check_confidence_level(confidence_level)
    if a == 0 and c == 0:
        raise ValueError(
            "neither group has an event (`events_treated` = `events_control` = 0); "
            "the odds ratio is undefined"
        )
    if a == n1 and c == n2:
        raise ValueError(
            "every subject in both groups has an event (`events_treated` = `n_treated`, "
            "`events_control` = `n_control`); the odds ratio is undefined"
        )
    aa, bb, cc, dd, corr = _cells(a, n1, c, n2)
    orat = (aa * dd) / (bb * cc)
    se = math.sqrt(1 / aa + 1 / bb + 1 / cc + 1 / dd)
    b, d = n1 - a, n2 - c
    num, den = a * d, b * c
    uncorrected = (math.inf if num else math.nan) if den == 0 else num / den
    method = "odds ratio (Woolf log interval" + (", 0.5 added to every cell)" if corr else ")")
    return Estimate(
        float(orat),
        None,
        _log_wald(math.log(orat), se, confidence_level),
        confidence_level,
        method,
        n1 + n2,
        details=FrozenMapping(
            {
                "log_std_error": se,
                "zero_cell_correction": corr,
                "uncorrected_estimate": float(uncorrected),
            }
        ),
    )


def _inv(v: float) -> float:
    return math.inf if v == 0 else 1.0 / v


def number_needed_to_treat(
    events_treated: int,
    n_treated: int,
    events_control: int,
    n_control: int,
    *,
    confidence_level: float = 0.95,
    outcome: Literal["adverse", "desirable"] = "adverse",
) -> Estimate:
    r"""Estimate the number needed to treat with Altman's (1998) interval.

    Parameters
    ----------
    events_treated, n_treated : int
        Number of events and of subjects in the treated group.
    events_control, n_control : int
        Number of events and of subjects in the control group.
    confidence_level : float
        Confidence level in (0, 1). Default 0.95.
    outcome : {'adverse', 'desirable'}
        Whether the event is bad (death, relapse: the default) or good (cure). It fixes the
        sign: a positive NNT always means benefit.

    Returns
    -------
    Estimate
        ``estimate = 1 / ARR`` with the absolute risk reduction
        ``ARR = risk_control - risk_treated`` for adverse events (``risk_treated -
        risk_control`` for desirable ones): positive values are a number needed to treat for
        one patient to *benefit* (NNTB), negative values minus a number needed to treat for
        one to be *harmed* (NNTH); ``inf`` when ARR is 0. No standard error (None). The
        interval and ``details`` are described in Notes.

    Raises
    ------
    TypeError
        If a count is not a number.
    ValueError
        If a count is invalid (see :func:`risk_difference`) or ``outcome`` is not one of the
        allowed values.

    Notes
    -----
    The interval inverts Newcombe's interval :math:`[L, U]` for ARR
    (:func:`risk_difference`), as Altman (1998) and Bender (2001) prescribe: the NNT scale
    runs from 1 through :math:`\pm\infty` to -1, and the limits are :math:`1/U` and
    :math:`1/L`.

    - :math:`0 < L`: benefit is significant; the interval is ``[1/U, 1/L]`` (NNTB).
    - :math:`U < 0`: harm is significant; ``[1/U, 1/L]`` holds two negative numbers, NNTH
      between :math:`1/|L|` and :math:`1/|U|`.
    - :math:`L < 0 < U`: the interval for ARR contains 0, so the interval for NNT contains
      infinity: it is "NNTH :math:`1/|L|` to :math:`\infty` to NNTB :math:`1/U`", the set
      :math:`\{\mathrm{NNT} \ge 1/U\} \cup \{\mathrm{NNT} \le 1/L\}`. It is returned as
      ``ConfidenceInterval(low=1/U, high=1/L)`` **with low > high** (the limits in Altman's
      order, wrapping through infinity) and ``details['interval_crosses_infinity'] = True``;
      ``method`` spells the interval out. Never read such an interval as ``[low, high]``.
    - :math:`L = 0` or :math:`U = 0`: one limit is infinite.

    ``details`` holds ``absolute_risk_reduction`` and its interval (``arr_low``,
    ``arr_high``), ``nnt_benefit`` (the NNTB limit :math:`1/U`, or None when :math:`U \le 0`),
    ``nnt_harm`` (the NNTH limit :math:`1/|L|`, or None when :math:`L \ge 0`),
    ``interval_crosses_infinity`` and ``outcome``.

    References
    ----------
    .. [1] Altman, D. G. (1998). Confidence intervals for the number needed to treat.
       BMJ 317, 1309-1312.
    .. [2] Bender, R. (2001). Calculating confidence intervals for the number needed to treat.
       Controlled Clinical Trials 22, 102-110.
    .. [3] Newcombe, R. G. (1998). Interval estimation for the difference between independent
       proportions: comparison of eleven methods. Statistics in Medicine 17, 873-890.

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.number_needed_to_treat(48, 80, 56, 70)  # deaths: 60% treated, 80% control
    >>> res.estimate
    5.0
    >>> [round(b, 2) for b in res.confidence_interval]
    [3.0, 19.07]
    >>> wide = sc.number_needed_to_treat(9, 50, 12, 50)
    >>> round(wide.details["nnt_harm"], 1), round(wide.details["nnt_benefit"], 1)
    (9.9, 4.6)
    >>> wide.details["interval_crosses_infinity"]
    True
    """
    outcome = check_choice(outcome, "outcome", ("adverse", "desirable"))  # type: ignore[assignment]
    a, n1, c, n2 = _counts(events_treated, n_treated, events_control, n_control)
    confidence_level = check_confidence_level(confidence_level)
    # ARR > 0 means benefit; for adverse events it is control minus treated
    if outcome == "adverse":
        arr, low, high, _, _ = _newcombe(c, n2, a, n1, confidence_level)
    else:
        arr, low, high, _, _ = _newcombe(a, n1, c, n2, confidence_level)
    crosses = low < 0 < high
    ci_low, ci_high = _inv(high), _inv(low)
    if high == 0:  # ARR in [L, 0]: harm side only, NNT in (-inf, 1/L]
        ci_low = -math.inf
    nnt_benefit = 1.0 / high if high > 0 else None
    nnt_harm = -1.0 / low if low < 0 else None
    if crosses:
        method = (
            f"number needed to treat (Altman interval from Newcombe's ARR interval): "
            f"NNTH {nnt_harm:.4g} to infinity to NNTB {nnt_benefit:.4g}"
        )
    else:
        method = "number needed to treat (Altman interval from Newcombe's ARR interval)"
    return Estimate(
        float(_inv(arr)),
        None,
        ConfidenceInterval(float(ci_low), float(ci_high)),
        confidence_level,
        method,
        n1 + n2,
        details=FrozenMapping(
            {
                "absolute_risk_reduction": float(arr),
                "arr_low": float(low),
                "arr_high": float(high),
                "nnt_benefit": nnt_benefit,
                "nnt_harm": nnt_harm,
                "interval_crosses_infinity": crosses,
                "outcome": outcome,
            }
        ),
    )
