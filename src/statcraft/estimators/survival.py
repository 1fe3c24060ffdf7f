"""Survival estimators: the Kaplan-Meier curve with Greenwood standard errors."""

__all__: list[str] = []
