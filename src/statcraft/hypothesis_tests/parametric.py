"""Tests of means: t-tests, Yuen trimmed-means test, TOST equivalence, one-way ANOVA."""

__all__: list[str] = []
