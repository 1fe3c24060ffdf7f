"""Ready-made Bayesian models; each module documents its maths and default priors."""

from statcraft.bayes.templates.linear import LinearRegression, PriorScaleWarning
from statcraft.bayes.templates.ttest import BayesianTTest

__all__ = ["BayesianTTest", "LinearRegression", "PriorScaleWarning"]
