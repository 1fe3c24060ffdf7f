"""statcraft: statistical and probabilistic modelling that holds up on real data.

The everyday names are available at the top level::

    import statcraft as sc
    sc.mean(x)                 # an Estimate with a t interval
    sc.proportion(7, 20)       # Wilson interval

Subpackages: :mod:`statcraft.estimators`, :mod:`statcraft.hypothesis_tests`,
:mod:`statcraft.resampling`, :mod:`statcraft.evaluation`, :mod:`statcraft.datasets`.
Importing statcraft never imports PyMC, ArviZ or matplotlib.
"""

from statcraft import datasets, estimators, evaluation, hypothesis_tests, resampling
from statcraft.estimators import *  # noqa: F403
from statcraft.hypothesis_tests import *  # noqa: F403
from statcraft.results import BootstrapResult, ConfidenceInterval, Estimate, TestResult

__version__ = "0.1.0.dev0"

__all__ = [
    "BootstrapResult",
    "ConfidenceInterval",
    "Estimate",
    "TestResult",
    "__version__",
    "datasets",
    "estimators",
    "evaluation",
    "hypothesis_tests",
    "resampling",
    *estimators.__all__,
    *hypothesis_tests.__all__,
]
