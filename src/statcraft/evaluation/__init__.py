"""Model evaluation: splitters, scoring rules, calibration, cross-validation and tuning."""

from statcraft.evaluation.cross_validation import *  # noqa: F403
from statcraft.evaluation.cross_validation import __all__ as _cross_validation_all
from statcraft.evaluation.models import *  # noqa: F403
from statcraft.evaluation.models import __all__ as _models_all
from statcraft.evaluation.scoring import *  # noqa: F403
from statcraft.evaluation.scoring import __all__ as _scoring_all
from statcraft.evaluation.splitters import *  # noqa: F403
from statcraft.evaluation.splitters import __all__ as _splitters_all

__all__: list[str] = sorted({*_cross_validation_all, *_models_all, *_scoring_all, *_splitters_all})
