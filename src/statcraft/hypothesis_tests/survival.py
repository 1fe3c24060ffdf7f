"""Log-rank tests for survival curves."""

__all__: list[str] = []
