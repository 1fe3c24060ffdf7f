"""Resampling: iid and block bootstraps, jackknife, permutation tests.

- :func:`bootstrap` -- confidence intervals (percentile, basic, normal, studentized, BCa) with
  iid, stationary, circular or moving-block resampling, reproducible on any executor;
- :func:`bootstrap_test` -- shifted, studentized bootstrap test of a mean or mean difference;
- :func:`jackknife` -- delete-one and delete-a-block jackknife;
- :func:`permutation_test` -- exact or Monte Carlo permutation tests, also by blocks;
- :func:`optimal_block_length` -- Politis & White's automatic block length.

Samples are vectors, or two-dimensional arrays and DataFrames whose rows are resampled (or
permuted, or deleted) whole, so regression coefficients, betas and correlation matrices are
resampled in one call. Long runs take ``progress=`` (a bar on standard error, shown by default
only when a long run is watched in a terminal or notebook).
"""

from statcraft.resampling._bootstrap import *  # noqa: F403
from statcraft.resampling._bootstrap import __all__ as _bootstrap_all
from statcraft.resampling._jackknife import *  # noqa: F403
from statcraft.resampling._jackknife import __all__ as _jackknife_all
from statcraft.resampling.bootstrap_tests import *  # noqa: F403
from statcraft.resampling.bootstrap_tests import __all__ as _bootstrap_tests_all
from statcraft.resampling.permutation import *  # noqa: F403
from statcraft.resampling.permutation import __all__ as _permutation_all
from statcraft.resampling.schemes import *  # noqa: F403
from statcraft.resampling.schemes import __all__ as _schemes_all

__all__ = [
    *_bootstrap_all,
    *_bootstrap_tests_all,
    *_jackknife_all,
    *_permutation_all,
    *_schemes_all,
]
