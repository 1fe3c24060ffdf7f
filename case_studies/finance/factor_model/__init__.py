"""Case study: industry alphas, priced factors, beta stability and factor forecasts, 1949–2017."""
