"""Bayesian model templates in PyMC, with ArviZ diagnostics and a convergence gate.

Importing this subpackage imports ArviZ; PyMC is imported when a model is built. ``import
statcraft`` imports neither.

- :class:`BayesianModel` — the interface every template shares (``fit``, ``predict``,
  ``summary``, ``diagnose``, ``loo``, ``save``/``load``, and the evaluation protocol);
- :class:`Prior` — serialisable prior specifications;
- :class:`ConvergenceReport`, :class:`ConvergenceWarning`, :class:`ConvergenceError` — the gate;
- :func:`compare` (PSIS-LOO) and :func:`check_calibration` (simulation-based calibration);
- the templates in :mod:`statcraft.bayes.templates`.
"""

from statcraft.bayes.base import BayesianModel, LOOResult, compare
from statcraft.bayes.calibration import CalibrationResult, check_calibration
from statcraft.bayes.diagnostics import (
    ConvergenceError,
    ConvergenceReport,
    ConvergenceWarning,
    Thresholds,
)
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates import (
    BayesianTTest,
    BinomialRates,
    CountRegression,
    Garch11,
    HierarchicalRegression,
    LinearRegression,
    LogisticRegression,
    MetaAnalysis,
    PriorScaleWarning,
    StochasticVolatility,
    WeibullSurvival,
)

__all__ = [
    "BayesianModel",
    "BayesianTTest",
    "BinomialRates",
    "CalibrationResult",
    "ConvergenceError",
    "ConvergenceReport",
    "ConvergenceWarning",
    "CountRegression",
    "Garch11",
    "HierarchicalRegression",
    "LOOResult",
    "LinearRegression",
    "LogisticRegression",
    "MetaAnalysis",
    "Prior",
    "PriorScaleWarning",
    "StochasticVolatility",
    "Thresholds",
    "WeibullSurvival",
    "check_calibration",
    "compare",
]
