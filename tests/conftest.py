"""Shared test fixtures.

PyTensor compiles each Bayesian model with g++ and caches the result; the cache lives in the
project's ignored build/ folder (the Makefile sets the same), so every test run reuses it.
"""

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault(
    "PYTENSOR_FLAGS",
    f"base_compiledir={Path(__file__).resolve().parents[1] / 'build' / 'pytensor'}",
)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, so every test is reproducible."""
    return np.random.default_rng(20261125)
