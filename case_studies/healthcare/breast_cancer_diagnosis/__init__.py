"""Case study: a malignancy risk model for breast fine-needle aspirates (Wisconsin data)."""
