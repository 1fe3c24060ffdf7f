"""Real data sets shipped with statcraft, each with its provenance (see ``DATASETS.md``)."""

from statcraft.datasets import _loaders
from statcraft.datasets._loaders import *  # noqa: F403

__all__ = list(_loaders.__all__)
