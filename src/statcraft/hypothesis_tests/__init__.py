"""Hypothesis tests with estimates, effect sizes, multiple testing and power.

Every test returns a :class:`~statcraft.results.TestResult`. The names in ``__all__`` are
re-exported at the top level (``sc.ttest``, ``sc.mann_whitney``, ...).
"""

from statcraft.hypothesis_tests import (
    categorical,
    correlation,
    distribution,
    effect_size,
    multiple_testing,
    nonparametric,
    parametric,
    power,
    survival,
    time_series,
)
from statcraft.hypothesis_tests.categorical import *  # noqa: F403
from statcraft.hypothesis_tests.correlation import *  # noqa: F403
from statcraft.hypothesis_tests.distribution import *  # noqa: F403
from statcraft.hypothesis_tests.effect_size import *  # noqa: F403
from statcraft.hypothesis_tests.multiple_testing import *  # noqa: F403
from statcraft.hypothesis_tests.nonparametric import *  # noqa: F403
from statcraft.hypothesis_tests.parametric import *  # noqa: F403
from statcraft.hypothesis_tests.power import *  # noqa: F403
from statcraft.hypothesis_tests.survival import *  # noqa: F403
from statcraft.hypothesis_tests.time_series import *  # noqa: F403

__all__ = [
    *parametric.__all__,
    *effect_size.__all__,
    *nonparametric.__all__,
    *categorical.__all__,
    *correlation.__all__,
    *distribution.__all__,
    *time_series.__all__,
    *survival.__all__,
    *multiple_testing.__all__,
    *power.__all__,
]
