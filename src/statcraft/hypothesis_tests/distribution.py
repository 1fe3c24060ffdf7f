"""Goodness-of-fit and equality-of-variance tests."""

__all__: list[str] = []
