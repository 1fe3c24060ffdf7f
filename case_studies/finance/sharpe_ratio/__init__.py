"""Case study: which US industries earned more per unit of risk than the market, 1949–2017."""
