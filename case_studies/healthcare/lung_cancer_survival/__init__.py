"""Case study: sex, performance status and survival in advanced lung cancer (NCCTG trial)."""
