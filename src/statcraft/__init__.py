"""statcraft: statistical and probabilistic modelling that holds up on real data.

The everyday names are available at the top level::

    import statcraft as sc
    sc.mean(x)                 # an Estimate with a t interval
    sc.proportion(7, 20)       # Wilson interval
    sc.bootstrap((x,), np.mean, scheme="stationary", rng=1)

Subpackages: :mod:`statcraft.estimators`, :mod:`statcraft.hypothesis_tests`,
:mod:`statcraft.resampling`, :mod:`statcraft.evaluation`, :mod:`statcraft.datasets`.
Importing statcraft never imports PyMC, ArviZ or matplotlib.
"""

from statcraft import datasets, estimators, evaluation, hypothesis_tests, resampling
from statcraft.estimators import *  # noqa: F403
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
from statcraft.hypothesis_tests import *  # noqa: F403
from statcraft.resampling import (
    bootstrap,
    bootstrap_test,
    jackknife,
    optimal_block_length,
    permutation_test,
)
from statcraft.results import BootstrapResult, ConfidenceInterval, Estimate, TestResult

__version__ = "0.1.0.dev0"

__all__ = [
    "BootstrapResult",
    "CombinatorialPurgedKFold",
    "ConfidenceInterval",
    "Estimate",
    "PurgedKFold",
    "TestResult",
    "WalkForward",
    "__version__",
    "bootstrap",
    "bootstrap_test",
    "brier_score",
    "calibration_curve",
    "cross_validate",
    "crps_ensemble",
    "crps_gaussian",
    "datasets",
    "diebold_mariano",
    "estimators",
    "evaluation",
    "hypothesis_tests",
    "interval_coverage",
    "interval_score",
    "jackknife",
    "log_score",
    "optimal_block_length",
    "permutation_test",
    "pinball_loss",
    "pit_values",
    "resampling",
    "tune",
    "walk_forward_forecast",
    *estimators.__all__,
    *hypothesis_tests.__all__,
]
