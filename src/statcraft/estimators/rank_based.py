"""Rank-based estimators: the Hodges-Lehmann estimator with Wilcoxon-inverted intervals."""

__all__: list[str] = []
