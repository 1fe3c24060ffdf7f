"""Model evaluation: splitters, scoring rules, calibration, cross-validation and tuning."""

from statcraft.evaluation.scoring import *  # noqa: F403
from statcraft.evaluation.scoring import __all__ as _scoring_all
from statcraft.evaluation.splitters import *  # noqa: F403
from statcraft.evaluation.splitters import __all__ as _splitters_all

__all__: list[str] = [*_scoring_all, *_splitters_all]
