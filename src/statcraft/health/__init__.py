"""Health: diagnostic accuracy, trial effect sizes, meta-analysis, provider comparison, Cox models.

Names load from their modules on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_LOCATION: dict[str, str] = {
    **dict.fromkeys(("DiagnosticAccuracy", "diagnostic_accuracy"), "statcraft.health.diagnostic"),
    **dict.fromkeys(
        (
            "RocCurve",
            "YoudenThreshold",
            "roc_curve",
            "roc_auc",
            "delong_test",
            "youden_threshold",
        ),
        "statcraft.health.roc",
    ),
    "effect_sizes_2x2": "statcraft.health.effect_sizes",
    **dict.fromkeys(
        (
            "MetaAnalysisResult",
            "MetaRegressionResult",
            "meta_analysis",
            "meta_regression",
            "meta_mantel_haenszel",
            "meta_peto",
            "egger_test",
        ),
        "statcraft.health.meta_analysis",
    ),
    **dict.fromkeys(("forest_plot", "funnel_plot"), "statcraft.health.meta_plots"),
    **dict.fromkeys(("FunnelLimits", "funnel_limits"), "statcraft.health.providers"),
    **dict.fromkeys(("CoxResult", "cox_regression"), "statcraft.health.cox"),
    **dict.fromkeys(
        ("ProportionalHazardsTest", "proportional_hazards_test"),
        "statcraft.health.proportional_hazards",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _LOCATION:
        raise AttributeError(f"module 'statcraft.health' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LOCATION[name]), name)
    globals()[name] = value
    return value
