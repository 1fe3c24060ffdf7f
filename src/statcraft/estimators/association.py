"""Effect measures for 2x2 tables: risk difference, risk ratio, odds ratio, NNT."""

__all__: list[str] = []
