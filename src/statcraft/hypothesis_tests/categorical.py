"""Tests for counts and contingency tables."""

__all__: list[str] = []
