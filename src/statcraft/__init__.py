"""statcraft: statistical and probabilistic modelling that holds up on real data.

The everyday names are available at the top level::

    import statcraft as sc
    sc.mean(x)                 # an Estimate with a t interval
    sc.proportion(7, 20)       # Wilson interval
    sc.bootstrap((x,), np.mean, scheme="stationary", rng=1)

Subpackages: :mod:`statcraft.estimators`, :mod:`statcraft.hypothesis_tests`,
:mod:`statcraft.resampling`, :mod:`statcraft.evaluation`, :mod:`statcraft.datasets`,
:mod:`statcraft.finance` (returns, Sharpe ratios with honest intervals, VaR/ES and their
backtests, factor models; ``sc.finance.sharpe_ratio``), :mod:`statcraft.health` (diagnostic
accuracy, meta-analysis, funnel plots, Cox regression; ``sc.health.meta_analysis``), and
:mod:`statcraft.bayes` (the PyMC
templates; ``sc.bayes`` imports PyMC's stack on first use).

Top-level names are loaded on first use (PEP 562), so ``import statcraft`` costs almost nothing
beyond numpy, scipy and pandas; ``sc.ttest`` imports :mod:`statcraft.hypothesis_tests` the first
time it is looked up. Importing statcraft never imports PyMC, ArviZ or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from statcraft.results import BootstrapResult, ConfidenceInterval, Estimate, TestResult

if TYPE_CHECKING:
    from statcraft import (
        bayes,
        datasets,
        estimators,
        evaluation,
        finance,
        health,
        hypothesis_tests,
        resampling,
    )
    from statcraft.estimators import (
        RegressionResult,
        SurvivalCurve,
        SurvivalCurves,
        geometric_mean,
        hodges_lehmann,
        huber_location,
        iqr,
        kaplan_meier,
        mad,
        mean,
        median,
        number_needed_to_treat,
        odds_ratio,
        ols,
        poisson_rate,
        proportion,
        qn_scale,
        risk_difference,
        risk_ratio,
        robust_regression,
        sn_scale,
        trimmed_mean,
        winsorized_mean,
    )
    from statcraft.evaluation import (
        CombinatorialPurgedKFold,
        PurgedKFold,
        WalkForward,
        brier_score,
        calibration_curve,
        cross_validate,
        crps_ensemble,
        crps_gaussian,
        diebold_mariano,
        interval_coverage,
        interval_score,
        log_score,
        pinball_loss,
        pit_values,
        tune,
        walk_forward_forecast,
    )
    from statcraft.hypothesis_tests import (
        PowerResult,
        adjust_pvalues,
        anderson_darling,
        arch_lm,
        bartlett,
        binomial_test,
        chi2_goodness_of_fit,
        chi2_independence,
        cohens_d,
        correlation,
        cramers_v,
        eta_squared,
        fisher_exact,
        fligner,
        friedman,
        glass_delta,
        hedges_g,
        jarque_bera,
        kruskal_wallis,
        ks_test,
        levene,
        ljung_box,
        logrank,
        mann_whitney,
        mantel_haenszel,
        mcnemar,
        omega_squared,
        oneway_anova,
        partial_correlation,
        poisson_test,
        power_proportions,
        power_ttest,
        proportions_test,
        rank_biserial,
        sample_size_proportions,
        sample_size_ttest,
        shapiro_wilk,
        simulate_power,
        tost,
        ttest,
        wilcoxon_signed_rank,
        yuen,
    )
    from statcraft.resampling import (
        bootstrap,
        bootstrap_test,
        jackknife,
        optimal_block_length,
        permutation_test,
    )

__version__ = "0.1.0.dev0"

_SUBPACKAGES = (
    "bayes",
    "datasets",
    "estimators",
    "evaluation",
    "finance",
    "health",
    "hypothesis_tests",
    "resampling",
)

# Which subpackage provides each top-level name (tests/test_import.py checks this table against
# the subpackages' ``__all__``).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "statcraft.estimators": (
        "RegressionResult",
        "SurvivalCurve",
        "SurvivalCurves",
        "geometric_mean",
        "hodges_lehmann",
        "huber_location",
        "iqr",
        "kaplan_meier",
        "mad",
        "mean",
        "median",
        "number_needed_to_treat",
        "odds_ratio",
        "ols",
        "poisson_rate",
        "proportion",
        "qn_scale",
        "risk_difference",
        "risk_ratio",
        "robust_regression",
        "sn_scale",
        "trimmed_mean",
        "winsorized_mean",
    ),
    "statcraft.hypothesis_tests": (
        "PowerResult",
        "adjust_pvalues",
        "anderson_darling",
        "arch_lm",
        "bartlett",
        "binomial_test",
        "chi2_goodness_of_fit",
        "chi2_independence",
        "cohens_d",
        "correlation",
        "cramers_v",
        "eta_squared",
        "fisher_exact",
        "fligner",
        "friedman",
        "glass_delta",
        "hedges_g",
        "jarque_bera",
        "kruskal_wallis",
        "ks_test",
        "levene",
        "ljung_box",
        "logrank",
        "mann_whitney",
        "mantel_haenszel",
        "mcnemar",
        "omega_squared",
        "oneway_anova",
        "partial_correlation",
        "poisson_test",
        "power_proportions",
        "power_ttest",
        "proportions_test",
        "rank_biserial",
        "sample_size_proportions",
        "sample_size_ttest",
        "shapiro_wilk",
        "simulate_power",
        "tost",
        "ttest",
        "wilcoxon_signed_rank",
        "yuen",
    ),
    "statcraft.resampling": (
        "bootstrap",
        "bootstrap_test",
        "jackknife",
        "optimal_block_length",
        "permutation_test",
    ),
    "statcraft.evaluation": (
        "CombinatorialPurgedKFold",
        "PurgedKFold",
        "WalkForward",
        "brier_score",
        "calibration_curve",
        "cross_validate",
        "crps_ensemble",
        "crps_gaussian",
        "diebold_mariano",
        "interval_coverage",
        "interval_score",
        "log_score",
        "pinball_loss",
        "pit_values",
        "tune",
        "walk_forward_forecast",
    ),
}

_LOCATION = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "BootstrapResult",
    "ConfidenceInterval",
    "Estimate",
    "TestResult",
    "__version__",
    *_SUBPACKAGES,
    *_LOCATION,
]


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"statcraft.{name}")
    elif name in _LOCATION:
        module = getattr(importlib.import_module(_LOCATION[name]), name)
    else:
        raise AttributeError(f"module 'statcraft' has no attribute {name!r}")
    globals()[name] = module
    return module


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
