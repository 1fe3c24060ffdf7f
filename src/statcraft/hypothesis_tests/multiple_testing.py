"""Multiple-testing adjustment of p-values, as R's p.adjust."""

__all__: list[str] = []
