"""Case study: meta-analysis of 22 beta-blocker trials and meta-regression of 13 BCG trials."""
