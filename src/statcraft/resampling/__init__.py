"""Resampling: iid and block bootstraps, jackknife, permutation tests."""

__all__: list[str] = []
