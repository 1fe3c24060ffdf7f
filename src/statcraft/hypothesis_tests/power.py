"""Power and sample size for t-tests and proportion tests, and power by simulation."""

__all__: list[str] = []
