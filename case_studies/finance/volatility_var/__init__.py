"""How much can WTI crude oil lose in a day: walk-forward VaR and ES from six volatility models."""
