"""Estimators with confidence intervals.

Location, scale, proportions and rates, 2×2 effect measures, regression and survival.

Each topic module adds two lines here (the module import and its ``__all__``) and its
everyday names are re-exported at the top level (``sc.mean``, ``sc.ols``, ...).
"""

__all__: list[str] = []
