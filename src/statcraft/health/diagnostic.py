r"""Diagnostic accuracy of a binary test: the 2×2 measures with their intervals.

:func:`diagnostic_accuracy` gives sensitivity, specificity, predictive values, accuracy,
likelihood ratios and the diagnostic odds ratio of a binary test, each with its interval, from
the four counts of a 2×2 table or from labels and predictions; predictive values also at a
prevalence other than the sample's (Bayes' theorem). ROC curves, the AUC and DeLong's test are
in :mod:`statcraft.health.roc`.

Labels may be booleans, 0/1, or any two values with ``pos_label`` naming the positive one (for
example ``pos_label="Poor"``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import (
    check_choice,
    check_confidence_level,
    check_count,
    check_probability,
    check_same_length,
)
from statcraft.estimators.association import odds_ratio, risk_ratio
from statcraft.estimators.proportions import _METHODS as _PROPORTION_METHODS
from statcraft.estimators.proportions import ProportionMethod, proportion
from statcraft.health._labels import (
    LABEL_NAN_POLICIES,
    missing_error,
    prediction_labels,
    truth_labels,
)
from statcraft.results import (
    ConfidenceInterval,
    Estimate,
    FrozenMapping,
    _fmt,
    _level,
)

__all__ = ["DiagnosticAccuracy", "diagnostic_accuracy"]

_MEASURES = (
    "sensitivity",
    "specificity",
    "ppv",
    "npv",
    "accuracy",
    "positive_likelihood_ratio",
    "negative_likelihood_ratio",
    "diagnostic_odds_ratio",
    "prevalence",
)


# --------------------------------------------------------------------------- 2×2 measures
def _nan_estimate(method: str, confidence_level: float, n: int, why: str) -> Estimate:
    return Estimate(
        math.nan,
        math.nan,
        ConfidenceInterval(math.nan, math.nan),
        confidence_level,
        method,
        n,
        details=FrozenMapping({"undefined": why}),
    )


def _rename(est: Estimate, method: str) -> Estimate:
    return dataclasses.replace(est, method=method)


def _bayes_ppv(sens: float, spec: float, prev: float) -> float:
    num = sens * prev
    den = num + (1.0 - spec) * (1.0 - prev)
    return num / den if den > 0 else math.nan


def _bayes_npv(sens: float, spec: float, prev: float) -> float:
    num = spec * (1.0 - prev)
    den = num + (1.0 - sens) * prev
    return num / den if den > 0 else math.nan


def _predictive_at_prevalence(
    tp: int,
    fp: int,
    fn: int,
    tn: int,
    prevalence: float,
    method: str,
    confidence_level: float,
) -> tuple[Estimate, Estimate]:
    """PPV and NPV at a given prevalence, intervals from Šidák-adjusted sens/spec intervals."""
    n1, n0 = tp + fn, fp + tn
    se, sp = tp / n1, tn / n0
    inner = math.sqrt(confidence_level)
    se_lo, se_hi = proportion(tp, n1, method=method, confidence_level=inner).confidence_interval  # type: ignore[arg-type]
    sp_lo, sp_hi = proportion(tn, n0, method=method, confidence_level=inner).confidence_interval  # type: ignore[arg-type]
    var_se, var_sp = se * (1 - se) / n1, sp * (1 - sp) / n0
    p, q = prevalence, 1.0 - prevalence
    out = []
    for name, fun in (("positive", _bayes_ppv), ("negative", _bayes_npv)):
        est = fun(se, sp, p)
        if name == "positive":
            den = se * p + (1 - sp) * q
            grad = (p * q * (1 - sp), p * q * se)
        else:
            den = sp * q + (1 - se) * p
            grad = (p * q * sp, p * q * (1 - se))
        std = (
            math.sqrt(grad[0] ** 2 * var_se + grad[1] ** 2 * var_sp) / den**2
            if den > 0
            else math.nan
        )
        # both predictive values increase with sensitivity and with specificity
        low, high = fun(se_lo, sp_lo, p), fun(se_hi, sp_hi, p)
        out.append(
            Estimate(
                float(est),
                float(std),
                ConfidenceInterval(float(low), float(high)),
                confidence_level,
                f"{name} predictive value at prevalence {prevalence:g} (Bayes; bounds from "
                f"{_level(inner)} sensitivity/specificity intervals)",
                n1 + n0,
                details=FrozenMapping(
                    {
                        "prevalence": prevalence,
                        "inner_confidence_level": inner,
                        "sensitivity_interval": (float(se_lo), float(se_hi)),
                        "specificity_interval": (float(sp_lo), float(sp_hi)),
                    }
                ),
            )
        )
    return out[0], out[1]


@dataclass(frozen=True, slots=True, eq=False)
class DiagnosticAccuracy:
    r"""Accuracy measures of a binary diagnostic test (from :func:`diagnostic_accuracy`).

    Attributes
    ----------
    sensitivity, specificity : Estimate
        :math:`TP/(TP+FN)` and :math:`TN/(TN+FP)` with proportion intervals.
    ppv, npv : Estimate
        Positive and negative predictive values, at the sample prevalence (a proportion
        interval) or at the given ``prevalence`` (Bayes' theorem, see
        :func:`diagnostic_accuracy`). NaN when undefined (no positive or no negative test).
    accuracy : Estimate
        :math:`(TP+TN)/N`, the proportion correctly classified (in the sample).
    positive_likelihood_ratio, negative_likelihood_ratio : Estimate
        :math:`LR+ = sens/(1-spec)` and :math:`LR- = (1-sens)/spec`, log-method intervals;
        ``details`` holds ``log_std_error`` and ``zero_cell_correction``.
    diagnostic_odds_ratio : Estimate
        :math:`(TP \cdot TN)/(FP \cdot FN)`, Woolf log interval.
    prevalence : Estimate
        The sample prevalence :math:`(TP+FN)/N` with its interval, or the given prevalence
        (a degenerate interval, no standard error).
    counts : FrozenMapping
        ``tp``, ``fp``, ``fn``, ``tn``.
    prevalence_given : bool
        Whether ``prevalence`` was given (predictive values then use it).
    confidence_level : float
        Level of every interval.
    method : str
        The proportion interval used for sensitivity, specificity, accuracy and the sample
        predictive values (``'wilson'``, ``'clopper_pearson'`` ...).
    details : FrozenMapping
        Read-only extras (empty at present).
    """

    sensitivity: Estimate
    specificity: Estimate
    ppv: Estimate
    npv: Estimate
    accuracy: Estimate
    positive_likelihood_ratio: Estimate
    negative_likelihood_ratio: Estimate
    diagnostic_odds_ratio: Estimate
    prevalence: Estimate
    counts: Mapping[str, int]
    prevalence_given: bool
    confidence_level: float
    method: str
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    @property
    def n(self) -> int:
        """Number of subjects, :math:`TP + FP + FN + TN`."""
        return int(sum(self.counts.values()))

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy table, one row per measure.

        Columns ``measure``, ``estimate``, ``ci_low``, ``ci_high``, ``method``. The measures,
        in order: sensitivity, specificity, ppv, npv, accuracy,
        positive_likelihood_ratio, negative_likelihood_ratio, diagnostic_odds_ratio and
        prevalence.
        """
        rows = []
        for name in _MEASURES:
            est: Estimate = getattr(self, name)
            rows.append(
                {
                    "measure": name,
                    "estimate": float(est.estimate),
                    "ci_low": float(est.confidence_interval.low),
                    "ci_high": float(est.confidence_interval.high),
                    "method": est.method,
                }
            )
        return pd.DataFrame(rows, columns=["measure", "estimate", "ci_low", "ci_high", "method"])

    def to_dict(self) -> dict[str, Any]:
        """Return the counts, settings and each measure's ``Estimate.to_dict()``."""
        out: dict[str, Any] = {
            "counts": dict(self.counts),
            "n": self.n,
            "prevalence_given": self.prevalence_given,
            "confidence_level": self.confidence_level,
            "method": self.method,
        }
        for name in _MEASURES:
            out[name] = getattr(self, name).to_dict()
        return out

    def _head(self) -> str:
        c = self.counts
        prev = "given" if self.prevalence_given else "sample"
        return (
            f"DiagnosticAccuracy: TP={c['tp']}, FP={c['fp']}, FN={c['fn']}, TN={c['tn']} "
            f"(n={self.n}), {_level(self.confidence_level)} CIs, {self.method} intervals for "
            f"proportions, {prev} prevalence {_fmt(self.prevalence.estimate)}"
        )

    def _table(self) -> pd.DataFrame:
        return self.to_frame().drop(columns="method").set_index("measure")

    def __repr__(self) -> str:
        table = self._table().to_string(float_format=lambda v: f"{v:.4g}")
        return f"{self._head()}\n{table}"

    def _repr_html_(self) -> str:
        table = self._table().to_html(float_format="{:.4g}".format)
        return f"<p><b>{self._head()}</b></p>\n{table}"


def _counts_from_labels(
    y_true: Any, y_pred: Any, pos_label: Any, nan_policy: str
) -> tuple[int, int, int, int]:
    nan_policy = check_choice(nan_policy, "nan_policy", LABEL_NAN_POLICIES)
    truth, miss_t, labels = truth_labels(y_true, pos_label)
    pred, miss_p = prediction_labels(y_pred, labels, pos_label)
    check_same_length(y_true=truth, y_pred=pred)
    for name, miss in (("y_true", miss_t), ("y_pred", miss_p)):
        if nan_policy == "raise" and miss.any():
            raise missing_error(name, int(miss.sum()))
    keep = ~(miss_t | miss_p)
    truth, pred = truth[keep], pred[keep]
    tp = int(np.count_nonzero(truth & pred))
    fn = int(np.count_nonzero(truth & ~pred))
    fp = int(np.count_nonzero(~truth & pred))
    tn = int(np.count_nonzero(~truth & ~pred))
    return tp, fp, fn, tn


def diagnostic_accuracy(
    tp: Any = None,
    fp: Any = None,
    fn: Any = None,
    tn: Any = None,
    *,
    y_true: Any = None,
    y_pred: Any = None,
    prevalence: float | None = None,
    confidence_level: float = 0.95,
    method: ProportionMethod = "wilson",
    pos_label: Any = 1,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> DiagnosticAccuracy:
    r"""Sensitivity, specificity, predictive values, likelihood ratios and DOR of a binary test.

    Give either the four cells of the 2×2 table (``tp, fp, fn, tn``) or the reference labels
    and the test's predictions (``y_true=``, ``y_pred=``).

    Parameters
    ----------
    tp, fp, fn, tn : int, optional
        True positives, false positives, false negatives, true negatives (non-negative whole
        counts).
    y_true : array_like, optional
        Reference-standard labels (two classes; booleans, 0/1 or any two values).
    y_pred : array_like, optional
        Test results, with the same labels as ``y_true`` (a test may call everyone positive,
        so ``y_pred`` may hold one class only).
    prevalence : float, optional
        Prevalence in (0, 1) at which to compute the predictive values. Default: the sample
        prevalence :math:`(TP+FN)/N`, which is right only when the sample is a random sample
        of the target population (not in case-control designs).
    confidence_level : float
        Level of every interval, in (0, 1). Default 0.95.
    method : {'wilson', 'wilson_cc', 'clopper_pearson', 'agresti_coull', 'jeffreys', 'wald'}
        Interval for the proportions (sensitivity, specificity, accuracy, sample predictive
        values, sample prevalence), passed to :func:`statcraft.proportion`. Default
        ``'wilson'``; ``'clopper_pearson'`` is epiR's ``"exact"``.
    pos_label : scalar
        The label of the positive class in ``y_true`` and ``y_pred``. Default 1 (which also
        matches ``True``).
    nan_policy : {'raise', 'omit'}
        What to do with missing labels (NaN/None) in ``y_true``/``y_pred``: raise (default) or
        drop the subject.

    Returns
    -------
    DiagnosticAccuracy
        Each measure as an :class:`~statcraft.results.Estimate`, plus ``prevalence``,
        ``counts`` and ``to_frame()``.

    Raises
    ------
    TypeError
        If a count is not a number, counts and labels are mixed, or labels are not an array.
    ValueError
        If a count is negative or not whole, a count is missing, there are no diseased
        (:math:`TP+FN=0`) or no non-diseased (:math:`FP+TN=0`) subjects, ``prevalence`` is not
        in (0, 1), labels are not binary or ``pos_label`` is not one of them, ``y_pred`` holds
        values that are not labels of ``y_true``, the lengths differ, or labels are missing
        under ``nan_policy='raise'``.

    Notes
    -----
    With :math:`a = TP, b = FP, c = FN, d = TN`, :math:`n_1 = a + c` diseased and
    :math:`n_0 = b + d` non-diseased subjects:

    - sensitivity :math:`a/n_1`, specificity :math:`d/n_0`, accuracy :math:`(a+d)/N`, and (at
      the sample prevalence) PPV :math:`a/(a+b)`, NPV :math:`d/(c+d)`: binomial proportions
      with the interval ``method`` (Wilson by default).
    - :math:`LR+ = \frac{a/n_1}{b/n_0}` and :math:`LR- = \frac{c/n_1}{d/n_0}` with the log
      method of Simel, Samsa and Matchar (1991):
      :math:`\log LR+ \pm z\sqrt{1/a - 1/n_1 + 1/b - 1/n_0}` and
      :math:`\log LR- \pm z\sqrt{1/c - 1/n_1 + 1/d - 1/n_0}` (the Katz interval of a ratio
      of two proportions, :func:`statcraft.risk_ratio`), as R epiR's ``epi.tests``.
    - :math:`DOR = ad/(bc)` with Woolf's interval
      :math:`\log DOR \pm z\sqrt{1/a + 1/b + 1/c + 1/d}` (:func:`statcraft.odds_ratio`).
    - Zero cells: only when a cell of the table is zero, 0.5 is added to all four cells for
      the likelihood ratios and the DOR (estimate and interval; Haldane–Anscombe), and
      ``details['zero_cell_correction']`` is 0.5 (``details['uncorrected_estimate']`` keeps
      the raw ratio, possibly 0 or inf). A ratio that is 0/0 even so (for LR+: no positive
      test at all) is returned as NaN with ``details['undefined']`` saying why; likewise PPV
      without positive tests and NPV without negative tests.
    - Predictive values at a given prevalence :math:`\pi` (Bayes' theorem):
      :math:`PPV = \frac{se\,\pi}{se\,\pi + (1-sp)(1-\pi)}`,
      :math:`NPV = \frac{sp\,(1-\pi)}{sp\,(1-\pi) + (1-se)\pi}`. Both increase in :math:`se`
      and in :math:`sp`, so the interval maps the corners of the rectangle of the
      sensitivity and specificity intervals: the lower bound is the formula at both lower
      bounds, the upper at both upper bounds. The two intervals are computed at level
      :math:`\sqrt{1-\alpha}` (Šidák), so that — diseased and non-diseased being
      independent samples — the rectangle covers :math:`(se, sp)` with probability at least
      :math:`1-\alpha` and the interval is conservative: its coverage is at least the
      nominal level whenever the sensitivity and specificity intervals attain theirs. The
      standard error is the delta-method one. (The alternative logit interval of Mercaldo,
      Lau and Zhou (2007) is shorter but not guaranteed; it is not used here.)

    References
    ----------
    .. [1] Altman, D. G. and Bland, J. M. (1994). Diagnostic tests 1: sensitivity and
       specificity. BMJ 308, 1552; Diagnostic tests 2: predictive values. BMJ 309, 102.
    .. [2] Simel, D. L., Samsa, G. P. and Matchar, D. B. (1991). Likelihood ratios with
       confidence: sample size estimation for diagnostic test studies. Journal of Clinical
       Epidemiology 44, 763-770.
    .. [3] Glas, A. S., Lijmer, J. G., Prins, M. H., Bonsel, G. J. and Bossuyt, P. M. M.
       (2003). The diagnostic odds ratio: a single indicator of test performance. Journal of
       Clinical Epidemiology 56, 1129-1135.
    .. [4] Mercaldo, N. D., Lau, K. F. and Zhou, X. H. (2007). Confidence intervals for
       predictive values with an emphasis to case-control studies. Statistics in Medicine
       26, 2170-2183.

    Examples
    --------
    Liver scan against pathology (Altman and Bland 1994):

    >>> from statcraft.health import diagnostic_accuracy
    >>> res = diagnostic_accuracy(231, 32, 27, 54)
    >>> round(res.sensitivity.estimate, 3), round(res.specificity.estimate, 3)
    (0.895, 0.628)
    >>> round(res.ppv.estimate, 3), round(res.npv.estimate, 3)
    (0.878, 0.667)
    >>> [round(b, 3) for b in res.sensitivity.confidence_interval]
    [0.852, 0.927]
    >>> round(diagnostic_accuracy(231, 32, 27, 54, prevalence=0.25).ppv.estimate, 3)
    0.445
    """
    counts_given = [v is not None for v in (tp, fp, fn, tn)]
    labels_given = y_true is not None or y_pred is not None
    if any(counts_given) and labels_given:
        raise TypeError(
            "pass either the four counts tp, fp, fn, tn or y_true= and y_pred=, not both"
        )
    if labels_given:
        if y_true is None or y_pred is None:
            missing = "y_true" if y_true is None else "y_pred"
            raise TypeError(f"`{missing}` is missing; pass both y_true= and y_pred=")
        a, b, c, d = _counts_from_labels(y_true, y_pred, pos_label, nan_policy)
    else:
        if not all(counts_given):
            if not any(counts_given):
                raise TypeError("pass the four counts tp, fp, fn, tn, or y_true= and y_pred=")
            absent = [
                n for n, g in zip(("tp", "fp", "fn", "tn"), counts_given, strict=True) if not g
            ]
            raise TypeError(f"`{absent[0]}` is missing; pass all four counts tp, fp, fn, tn")
        a, b, c, d = (
            check_count(v, n) for v, n in ((tp, "tp"), (fp, "fp"), (fn, "fn"), (tn, "tn"))
        )
    method = check_choice(method, "method", _PROPORTION_METHODS)  # type: ignore[assignment]
    confidence_level = check_confidence_level(confidence_level)
    prev_value = None if prevalence is None else check_probability(prevalence, "prevalence")
    n1, n0, n = a + c, b + d, a + b + c + d
    if n1 == 0:
        raise ValueError(
            "there are no diseased subjects (`tp` + `fn` = 0); sensitivity is undefined"
        )
    if n0 == 0:
        raise ValueError(
            "there are no non-diseased subjects (`fp` + `tn` = 0); specificity is undefined"
        )

    def prop(x: int, m: int) -> Estimate:
        return proportion(x, m, method=method, confidence_level=confidence_level)

    sens, spec, acc = prop(a, n1), prop(d, n0), prop(a + d, n)
    if prev_value is None:
        ppv = (
            prop(a, a + b)
            if a + b
            else _nan_estimate(
                "positive predictive value", confidence_level, 0, "no positive tests"
            )
        )
        npv = (
            prop(d, c + d)
            if c + d
            else _nan_estimate(
                "negative predictive value", confidence_level, 0, "no negative tests"
            )
        )
        prev = prop(n1, n)
    else:
        ppv, npv = _predictive_at_prevalence(a, b, c, d, prev_value, method, confidence_level)
        prev = Estimate(
            prev_value,
            None,
            ConfidenceInterval(prev_value, prev_value),
            confidence_level,
            "given prevalence",
            None,
        )
    lr_method = "log method (Simel et al. 1991)"
    if a == 0 and b == 0:
        lr_pos = _nan_estimate(
            "positive likelihood ratio", confidence_level, n, "no positive tests (0/0)"
        )
    else:
        lr_pos = risk_ratio(a, n1, b, n0, confidence_level=confidence_level)
        lr_pos = _rename(lr_pos, lr_method + _corr_note(lr_pos))
    if c == 0 and d == 0:
        lr_neg = _nan_estimate(
            "negative likelihood ratio", confidence_level, n, "no negative tests (0/0)"
        )
    else:
        lr_neg = risk_ratio(c, n1, d, n0, confidence_level=confidence_level)
        lr_neg = _rename(lr_neg, lr_method + _corr_note(lr_neg))
    if (a == 0 and b == 0) or (c == 0 and d == 0):
        dor = _nan_estimate(
            "diagnostic odds ratio",
            confidence_level,
            n,
            "every subject has the same test result",
        )
    else:
        dor = odds_ratio(a, n1, b, n0, confidence_level=confidence_level)
        dor = _rename(dor, "Woolf log method" + _corr_note(dor))
    return DiagnosticAccuracy(
        sensitivity=sens,
        specificity=spec,
        ppv=ppv,
        npv=npv,
        accuracy=acc,
        positive_likelihood_ratio=lr_pos,
        negative_likelihood_ratio=lr_neg,
        diagnostic_odds_ratio=dor,
        prevalence=prev,
        counts=FrozenMapping({"tp": a, "fp": b, "fn": c, "tn": d}),
        prevalence_given=prev_value is not None,
        confidence_level=confidence_level,
        method=method,
    )


def _corr_note(est: Estimate) -> str:
    return ", 0.5 added to every cell" if est.details.get("zero_cell_correction") else ""
