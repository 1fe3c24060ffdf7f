"""Hypothesis tests with estimates, effect sizes, multiple testing and power."""

__all__: list[str] = []
