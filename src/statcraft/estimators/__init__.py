"""Estimators with confidence intervals.

Location, scale, proportions and rates, 2×2 effect measures, rank-based estimators, regression
and survival. The names in ``__all__`` are re-exported at the top level (``sc.mean``,
``sc.ols``, ...).
"""

from statcraft.estimators import (
    association,
    location,
    proportions,
    rank_based,
    regression,
    scale,
    survival,
)
from statcraft.estimators.association import *  # noqa: F403
from statcraft.estimators.location import *  # noqa: F403
from statcraft.estimators.proportions import *  # noqa: F403
from statcraft.estimators.rank_based import *  # noqa: F403
from statcraft.estimators.regression import *  # noqa: F403
from statcraft.estimators.scale import *  # noqa: F403
from statcraft.estimators.survival import *  # noqa: F403

__all__ = [
    *location.__all__,
    *scale.__all__,
    *proportions.__all__,
    *association.__all__,
    *rank_based.__all__,
    *regression.__all__,
    *survival.__all__,
]
