"""A Progress bar that remembers every bar made, for tests of `progress=`."""

from __future__ import annotations

from typing import Any, ClassVar

from statcraft._progress import Progress


class Recorder(Progress):
    """A Progress that remembers every bar made (total, description, number of advances)."""

    made: ClassVar[list[Recorder]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = 0
        Recorder.made.append(self)

    def advance(self, n: int = 1) -> None:
        self.steps += 1
        super().advance(n)
