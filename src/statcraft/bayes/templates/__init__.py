"""Ready-made Bayesian models; each module documents its maths and default priors.

==========================  ==================================================================
template                    question
==========================  ==================================================================
LinearRegression            a continuous outcome; ``likelihood="student_t"`` resists outliers
LogisticRegression          a binary outcome; normal, horseshoe or R2-D2 shrinkage priors
CountRegression             counts, Poisson or negative binomial, with exposure or offset
HierarchicalRegression      grouped data: partial pooling of intercepts and slopes
BinomialRates               unit rates (hospital mortality) with posterior ranks
MetaAnalysis                pooling studies: effects and variances, or 2x2 counts
WeibullSurvival             censored survival times (accelerated failure time)
StochasticVolatility        time-varying volatility of returns; predictive VaR/ES
Garch11                     GARCH(1,1) with Student-t innovations; predictive VaR/ES
BayesianTTest               two groups compared robustly, with a ROPE (Kruschke's BEST)
==========================  ==================================================================
"""

from statcraft.bayes.templates.count import CountRegression
from statcraft.bayes.templates.hierarchical import HierarchicalRegression
from statcraft.bayes.templates.linear import LinearRegression, PriorScaleWarning
from statcraft.bayes.templates.logistic import LogisticRegression
from statcraft.bayes.templates.meta import MetaAnalysis
from statcraft.bayes.templates.rates import BinomialRates
from statcraft.bayes.templates.survival import WeibullSurvival
from statcraft.bayes.templates.ttest import BayesianTTest
from statcraft.bayes.templates.volatility import Garch11, StochasticVolatility

__all__ = [
    "BayesianTTest",
    "BinomialRates",
    "CountRegression",
    "Garch11",
    "HierarchicalRegression",
    "LinearRegression",
    "LogisticRegression",
    "MetaAnalysis",
    "PriorScaleWarning",
    "StochasticVolatility",
    "WeibullSurvival",
]
