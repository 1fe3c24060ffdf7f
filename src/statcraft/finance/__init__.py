"""Finance: returns, performance ratios with honest inference, risk measures, backtests, factors.

Conventions used throughout :mod:`statcraft.finance`:

- *returns* are per-period decimal returns (0.01 is one percent); a pandas Series in gives a
  Series out with the same index, and dates must be sorted and unique;
- *losses are positive*: ``value_at_risk(r, level=0.99)`` is the loss exceeded with probability
  1 %, reported as a positive number when that loss is a fall in value;
- *levels* are confidences in (0, 1) (0.99 for 99 % VaR), never tail probabilities.

Modules: :mod:`~statcraft.finance.returns`, :mod:`~statcraft.finance.performance` (Sharpe),
:mod:`~statcraft.finance.downside` (Sortino, Calmar, drawdowns), :mod:`~statcraft.finance.risk`,
:mod:`~statcraft.finance.forecasts` (VaR/ES forecasts), :mod:`~statcraft.finance.backtests`,
:mod:`~statcraft.finance.factors`. Everything is re-exported here, so
``from statcraft.finance import sharpe_ratio`` is the usual spelling. Nothing here imports
PyMC; ``var_es_forecast(method="garch")`` needs the optional ``arch`` package
(``pip install 'statcraft[finance]'``).
"""

from __future__ import annotations

from statcraft.finance._checks import LooksLikePricesWarning
from statcraft.finance.backtests import (
    NegativeVaRWarning,
    acerbi_szekely_test,
    christoffersen_test,
    kupiec_test,
    mcneil_frey_test,
    var_backtest,
    violations,
)
from statcraft.finance.downside import (
    DrawdownResult,
    calmar_ratio,
    drawdowns,
    max_drawdown,
    sortino_ratio,
)
from statcraft.finance.factors import (
    FactorRegressionResult,
    FamaMacBethResult,
    factor_regression,
    fama_macbeth,
    rolling_beta,
)
from statcraft.finance.forecasts import var_es_forecast, var_es_from_draws
from statcraft.finance.performance import (
    deflated_sharpe_ratio,
    probabilistic_sharpe_ratio,
    sharpe_difference_test,
    sharpe_ratio,
)
from statcraft.finance.returns import (
    annualize,
    cumulative_returns,
    excess_returns,
    log_returns,
    simple_returns,
)
from statcraft.finance.risk import (
    ewma_volatility,
    expected_shortfall,
    value_at_risk,
)

__all__ = [
    "DrawdownResult",
    "FactorRegressionResult",
    "FamaMacBethResult",
    "LooksLikePricesWarning",
    "NegativeVaRWarning",
    "acerbi_szekely_test",
    "annualize",
    "calmar_ratio",
    "christoffersen_test",
    "cumulative_returns",
    "deflated_sharpe_ratio",
    "drawdowns",
    "ewma_volatility",
    "excess_returns",
    "expected_shortfall",
    "factor_regression",
    "fama_macbeth",
    "kupiec_test",
    "log_returns",
    "max_drawdown",
    "mcneil_frey_test",
    "probabilistic_sharpe_ratio",
    "rolling_beta",
    "sharpe_difference_test",
    "sharpe_ratio",
    "simple_returns",
    "sortino_ratio",
    "value_at_risk",
    "var_backtest",
    "var_es_forecast",
    "var_es_from_draws",
    "violations",
]
