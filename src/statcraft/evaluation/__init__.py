"""Model evaluation: splitters, scoring rules, calibration, cross-validation and tuning."""

__all__: list[str] = []
