"""Hypothesis tests with estimates, effect sizes, multiple testing and power.

Every test returns a :class:`~statcraft.results.TestResult`. The names in ``__all__`` are
re-exported at the top level (``sc.ttest``, ``sc.mann_whitney``, ...).
"""

from statcraft.hypothesis_tests import association as _association
from statcraft.hypothesis_tests import categorical as _categorical
from statcraft.hypothesis_tests import distribution as _distribution
from statcraft.hypothesis_tests import effect_size as _effect_size
from statcraft.hypothesis_tests import multiple_testing as _multiple_testing
from statcraft.hypothesis_tests import nonparametric as _nonparametric
from statcraft.hypothesis_tests import parametric as _parametric
from statcraft.hypothesis_tests import power as _power
from statcraft.hypothesis_tests import survival as _survival
from statcraft.hypothesis_tests import time_series as _time_series
from statcraft.hypothesis_tests.association import *  # noqa: F403
from statcraft.hypothesis_tests.categorical import *  # noqa: F403
from statcraft.hypothesis_tests.distribution import *  # noqa: F403
from statcraft.hypothesis_tests.effect_size import *  # noqa: F403
from statcraft.hypothesis_tests.multiple_testing import *  # noqa: F403
from statcraft.hypothesis_tests.nonparametric import *  # noqa: F403
from statcraft.hypothesis_tests.parametric import *  # noqa: F403
from statcraft.hypothesis_tests.power import *  # noqa: F403
from statcraft.hypothesis_tests.survival import *  # noqa: F403
from statcraft.hypothesis_tests.time_series import *  # noqa: F403

__all__ = [
    *_parametric.__all__,
    *_effect_size.__all__,
    *_nonparametric.__all__,
    *_categorical.__all__,
    *_association.__all__,
    *_distribution.__all__,
    *_time_series.__all__,
    *_survival.__all__,
    *_multiple_testing.__all__,
    *_power.__all__,
]
