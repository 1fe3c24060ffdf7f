"""Model evaluation: splitters, scoring rules, calibration, cross-validation and tuning."""

from statcraft.evaluation.calibration import *  # noqa: F403
from statcraft.evaluation.calibration import __all__ as _calibration_all
from statcraft.evaluation.cross_validation import *  # noqa: F403
from statcraft.evaluation.cross_validation import __all__ as _cross_validation_all
from statcraft.evaluation.forecast import *  # noqa: F403
from statcraft.evaluation.forecast import __all__ as _forecast_all
from statcraft.evaluation.forecast_tests import *  # noqa: F403
from statcraft.evaluation.forecast_tests import __all__ as _forecast_tests_all
from statcraft.evaluation.models import *  # noqa: F403
from statcraft.evaluation.models import __all__ as _models_all
from statcraft.evaluation.scoring import *  # noqa: F403
from statcraft.evaluation.scoring import __all__ as _scoring_all
from statcraft.evaluation.splitters import *  # noqa: F403
from statcraft.evaluation.splitters import __all__ as _splitters_all
from statcraft.evaluation.tuning import *  # noqa: F403
from statcraft.evaluation.tuning import __all__ as _tuning_all

__all__: list[str] = sorted(
    {
        *_calibration_all,
        *_cross_validation_all,
        *_forecast_all,
        *_forecast_tests_all,
        *_models_all,
        *_scoring_all,
        *_splitters_all,
        *_tuning_all,
    }
)
