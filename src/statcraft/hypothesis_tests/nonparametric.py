"""Rank tests: Wilcoxon signed-rank, Mann-Whitney, Kruskal-Wallis, Friedman."""

__all__: list[str] = []
