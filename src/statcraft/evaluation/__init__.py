"""Model evaluation: splitters, scoring rules, calibration, cross-validation and tuning."""

from statcraft.evaluation.splitters import *  # noqa: F403
from statcraft.evaluation.splitters import __all__ as _splitters_all

__all__: list[str] = [*_splitters_all]
