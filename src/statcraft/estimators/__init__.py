"""Estimators with confidence intervals.

Location, scale, proportions and rates, 2×2 effect measures, rank-based estimators, regression
and survival. The names in ``__all__`` are re-exported at the top level (``sc.mean``,
``sc.ols``, ...).
"""

from statcraft.estimators import association as _association
from statcraft.estimators import location as _location
from statcraft.estimators import proportions as _proportions
from statcraft.estimators import rank_based as _rank_based
from statcraft.estimators import regression as _regression
from statcraft.estimators import scale as _scale
from statcraft.estimators import survival as _survival
from statcraft.estimators.association import *  # noqa: F403
from statcraft.estimators.location import *  # noqa: F403
from statcraft.estimators.proportions import *  # noqa: F403
from statcraft.estimators.rank_based import *  # noqa: F403
from statcraft.estimators.regression import *  # noqa: F403
from statcraft.estimators.scale import *  # noqa: F403
from statcraft.estimators.survival import *  # noqa: F403

__all__ = [
    *_location.__all__,
    *_scale.__all__,
    *_proportions.__all__,
    *_association.__all__,
    *_rank_based.__all__,
    *_regression.__all__,
    *_survival.__all__,
]
