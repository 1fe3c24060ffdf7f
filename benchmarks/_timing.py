"""Timing helpers shared by the benchmark scripts (run as ``python benchmarks/bench_*.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

REPEATS = 3
"""Runs per side; the median is reported."""


def timeit(f: Callable[[], Any], repeats: int = REPEATS) -> float:
    """Median wall time of ``repeats`` calls of ``f``, in seconds."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def row(name: str, ours: float, peer_name: str, peer: float) -> None:
    """Print one comparison line: both times in ms and the ratio peer / statcraft."""
    print(
        f"{name:<46} {ours * 1e3:10.1f} ms | {peer_name:<34} {peer * 1e3:10.1f} ms"
        f" | {peer / ours:7.1f}x"
    )


def header() -> None:
    """Print the column titles of :func:`row`'s table."""
    print(f"{'statcraft':<46} {'time':>13} | {'peer':<34} {'time':>13} | {'peer/ours':>8}")
