"""Case study: which of 12 hospitals have unusual infant cardiac-surgery mortality."""
