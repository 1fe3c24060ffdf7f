"""Standardised effect sizes with confidence intervals."""

__all__: list[str] = []
