"""Linear regression: OLS with robust, HAC and cluster covariances; robust M-regression."""

__all__: list[str] = []
