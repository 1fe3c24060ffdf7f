"""Robust and classical scale estimators: MAD, IQR, Rousseeuw-Croux Qn and Sn."""

__all__: list[str] = []
