"""Tests for serial correlation and conditional heteroskedasticity."""

__all__: list[str] = []
