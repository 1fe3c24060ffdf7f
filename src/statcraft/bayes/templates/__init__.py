"""Ready-made Bayesian models; each module documents its maths and default priors."""

from statcraft.bayes.templates.linear import LinearRegression, PriorScaleWarning

__all__ = ["LinearRegression", "PriorScaleWarning"]
