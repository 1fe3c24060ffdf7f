"""Correlation tests: Pearson, Spearman and Kendall with intervals and exact p-values."""

__all__: list[str] = []
