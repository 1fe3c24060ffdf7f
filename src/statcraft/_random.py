"""Random number generation: one convention for every random function in statcraft.

Every random function takes ``rng=None``: None (fresh OS entropy), an int seed, a
:class:`numpy.random.SeedSequence`, or a :class:`numpy.random.Generator` (used as is, so its
state advances). Work split across chunks, processes or machines draws from child streams
derived by :meth:`numpy.random.SeedSequence.spawn` from one seed taken from ``rng``, so a given
``rng`` gives the same answer however the work is split.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeAlias

import numpy as np

__all__ = ["RNGLike", "as_generator", "spawn_generators", "spawn_seeds"]

RNGLike: TypeAlias = "int | np.random.SeedSequence | np.random.Generator | None"


def as_generator(rng: Any = None, name: str = "rng") -> np.random.Generator:
    """Normalise ``rng`` to a :class:`numpy.random.Generator`.

    Examples
    --------
    >>> g = as_generator(42)
    >>> bool(g.integers(10) == as_generator(42).integers(10))
    True
    >>> as_generator("42")
    Traceback (most recent call last):
    ...
    TypeError: `rng` must be None, an int seed, a numpy SeedSequence or Generator; got str
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise ValueError(f"`{name}` seed must be non-negative; got {int(rng)}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"`{name}` must be None, an int seed, a numpy SeedSequence or Generator; "
        f"got {type(rng).__name__}"
    )


def spawn_seeds(rng: Any, n: int) -> list[np.random.SeedSequence]:
    """Return ``n`` independent child seed sequences derived from ``rng``.

    One 128-bit seed is drawn from ``rng`` (advancing a Generator's state once) and spawned
    into ``n`` children. Child ``i`` depends only on ``rng`` and ``i``, not on ``n`` or on the
    order in which the children are used, so chunk ``i`` of a computation draws the same
    numbers whether it runs serially, in a process pool, or on a cluster.

    Examples
    --------
    >>> a = spawn_seeds(7, 3)
    >>> b = spawn_seeds(7, 5)
    >>> [s.generate_state(1)[0] for s in a] == [s.generate_state(1)[0] for s in b[:3]]
    True
    """
    gen = as_generator(rng)
    entropy = [int(v) for v in gen.integers(0, 2**32, size=4, dtype=np.uint64)]
    return np.random.SeedSequence(entropy).spawn(n)


def spawn_generators(rng: Any, n: int) -> list[np.random.Generator]:
    """Return ``n`` independent Generators derived from ``rng`` (see :func:`spawn_seeds`)."""
    return [np.random.default_rng(s) for s in spawn_seeds(rng, n)]
