"""Finance: returns, performance ratios with honest inference, risk measures, backtests, factors.

Conventions used throughout :mod:`statcraft.finance`:

- *returns* are per-period decimal returns (0.01 is one percent); a pandas Series in gives a
  Series out with the same index, and dates must be sorted and unique;
- *losses are positive*: ``value_at_risk(r, level=0.99)`` is the loss exceeded with probability
  1 %, reported as a positive number when that loss is a fall in value;
- *levels* are confidences in (0, 1) (0.99 for 99 % VaR), never tail probabilities.

Modules: :mod:`~statcraft.finance.returns`, :mod:`~statcraft.finance.performance`,
:mod:`~statcraft.finance.risk`, :mod:`~statcraft.finance.backtests`,
:mod:`~statcraft.finance.factors`.
"""

from __future__ import annotations

import importlib
from typing import Any

from statcraft.finance._checks import LooksLikePricesWarning
from statcraft.finance.returns import (
    annualize,
    cumulative_returns,
    excess_returns,
    log_returns,
    simple_returns,
)

# Names provided by each topic module, loaded on first use.
_EXPORTS: dict[str, tuple[str, ...]] = {}

__all__ = [
    "LooksLikePricesWarning",
    "annualize",
    "cumulative_returns",
    "excess_returns",
    "log_returns",
    "simple_returns",
]


def __getattr__(name: str) -> Any:
    for module, names in _EXPORTS.items():
        if name in names:
            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'statcraft.finance' has no attribute {name!r}")
