"""Finance case studies: WTI volatility and VaR, industry Sharpe ratios, factor models."""
