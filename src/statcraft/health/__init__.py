"""Health: diagnostic accuracy, trial effect sizes, meta-analysis, provider comparison, Cox models.

For the biostatistician or clinical data scientist who must judge a diagnostic or risk model,
pool trials, compare hospitals fairly and analyse censored survival, with intervals they can
defend. The modules, by topic:

- :mod:`~statcraft.health.diagnostic` — :func:`diagnostic_accuracy` (sensitivity, specificity,
  predictive values, likelihood ratios, diagnostic odds ratio, each with its interval);
- :mod:`~statcraft.health.roc` — :func:`roc_curve`, :func:`roc_auc` (DeLong interval),
  :func:`delong_test`, :func:`youden_threshold`;
- :mod:`~statcraft.health.effect_sizes` — :func:`effect_sizes_2x2` (per-study log odds ratios,
  log risk ratios, risk differences with their variances);
- :mod:`~statcraft.health.meta` — :func:`meta_analysis` (FE, DL, REML, PM, HKSJ),
  :func:`meta_mantel_haenszel`, :func:`meta_peto`, :func:`meta_regression`,
  :func:`egger_test`; :mod:`~statcraft.health.meta_plots` — :func:`forest_plot`,
  :func:`funnel_plot`;
- :mod:`~statcraft.health.providers` — :func:`funnel_limits` (Spiegelhalter's funnel plot for
  comparing institutions);
- :mod:`~statcraft.health.cox` — :func:`cox_regression`;
  :mod:`~statcraft.health.proportional_hazards` — :func:`proportional_hazards_test` (R's
  ``cox.zph``).

Everything is re-exported here (``from statcraft.health import meta_analysis``). The 2×2
estimators this builds on (``risk_ratio``, ``odds_ratio``, ``number_needed_to_treat``,
``mantel_haenszel``) and Kaplan–Meier / log-rank are in the core (``statcraft.risk_ratio``,
``statcraft.kaplan_meier``); the Bayesian answers are the templates of :mod:`statcraft.bayes`
(``BinomialRates``, ``MetaAnalysis``, ``WeibullSurvival``, ``LogisticRegression``). Nothing
here imports PyMC; matplotlib is imported by the plotting functions only.
"""

from __future__ import annotations

from statcraft.health.cox import CoxResult, cox_regression
from statcraft.health.diagnostic import DiagnosticAccuracy, diagnostic_accuracy
from statcraft.health.effect_sizes import effect_sizes_2x2
from statcraft.health.meta import (
    MetaAnalysisResult,
    MetaRegressionResult,
    egger_test,
    meta_analysis,
    meta_mantel_haenszel,
    meta_peto,
    meta_regression,
)
from statcraft.health.meta_plots import forest_plot, funnel_plot
from statcraft.health.proportional_hazards import (
    ProportionalHazardsTest,
    proportional_hazards_test,
)
from statcraft.health.providers import FunnelLimits, funnel_limits
from statcraft.health.roc import (
    RocCurve,
    YoudenThreshold,
    delong_test,
    roc_auc,
    roc_curve,
    youden_threshold,
)

__all__ = [
    "CoxResult",
    "DiagnosticAccuracy",
    "FunnelLimits",
    "MetaAnalysisResult",
    "MetaRegressionResult",
    "ProportionalHazardsTest",
    "RocCurve",
    "YoudenThreshold",
    "cox_regression",
    "delong_test",
    "diagnostic_accuracy",
    "effect_sizes_2x2",
    "egger_test",
    "forest_plot",
    "funnel_limits",
    "funnel_plot",
    "meta_analysis",
    "meta_mantel_haenszel",
    "meta_peto",
    "meta_regression",
    "proportional_hazards_test",
    "roc_auc",
    "roc_curve",
    "youden_threshold",
]
