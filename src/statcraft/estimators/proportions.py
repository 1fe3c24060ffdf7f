"""Proportions and Poisson rates with confidence intervals."""

__all__: list[str] = []
