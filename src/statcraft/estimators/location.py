"""Location estimators with confidence intervals: mean, trimmed mean, median, Huber M-estimate."""

__all__: list[str] = []
