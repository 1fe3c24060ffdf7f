"""Progress bars for long runs (resampling, cross-validation, tuning, power simulations).

Every long-running function takes ``progress=None | True | False``:

- ``None`` (the default): a bar appears only when the run is long (still going after
  ``delay`` seconds) *and* someone is watching — standard error is a terminal, or the code runs
  in a Jupyter kernel — and never under pytest or when the output is piped;
- ``True``: always shown (from the first step, wherever standard error goes);
- ``False``: never.

The bar is drawn by rich (on standard error, removed when the run ends), so results printed on
standard output are never interleaved with it.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any

__all__ = ["Progress", "check_progress"]


def check_progress(progress: Any) -> bool | None:
    """Validate a ``progress`` argument: None, True or False."""
    if progress is None or isinstance(progress, bool):
        return progress
    raise TypeError(f"progress must be None, True or False, got {type(progress).__name__}")


def _watched() -> bool:
    """Whether someone can see a bar: a terminal or a notebook, and not a test run."""
    if "PYTEST_CURRENT_TEST" in os.environ:
        return False
    if "ipykernel" in sys.modules:
        return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


class Progress:
    """A progress bar over ``total`` units of work, used as a context manager.

    Parameters
    ----------
    total : int
        Units of work (resamples, folds, candidates, simulations).
    description : str
        What is running, e.g. ``"bootstrap (BCa)"``.
    progress : None, bool
        See the module documentation.
    delay : float
        With ``progress=None``, seconds before the bar appears (short runs show nothing).

    Examples
    --------
    >>> with Progress(100, "simulating", progress=False) as bar:
    ...     for _ in range(100):
    ...         bar.advance()
    >>> bar.completed
    100
    """

    def __init__(
        self, total: int, description: str, progress: bool | None, *, delay: float = 1.0
    ) -> None:
        mode = check_progress(progress)
        self.total = int(total)
        self.description = description
        self.completed = 0
        self._enabled = mode is True or (mode is None and _watched())
        self._delay = 0.0 if mode is True else float(delay)
        self._start = time.perf_counter()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        self._start = time.perf_counter()
        if self._enabled and self._delay <= 0:
            self._show()
        return self

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.description, total=self.total)
        self._bar.update(self._task, completed=self.completed)

    def advance(self, n: int = 1) -> None:
        """Record ``n`` more units done (starting the bar once the run has proved long)."""
        self.completed += int(n)
        if not self._enabled:
            return
        if self._bar is None and time.perf_counter() - self._start >= self._delay:
            self._show()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.completed)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
