"""The output checks every case-study test shares: files written, linked and listed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def read_outputs(
    out: Path, figures: Iterable[str], headings: Iterable[str]
) -> tuple[str, dict[str, Any]]:
    """Check a study's output folder and return its report text and saved results.

    Every figure exists as ``figures/<name>.png``, is linked from ``report.md`` and listed in
    ``results.json``, and every heading appears in the report.
    """
    report = (out / "report.md").read_text()
    saved = json.loads((out / "results.json").read_text())
    names = list(figures)
    for name in names:
        assert (out / "figures" / f"{name}.png").is_file(), name
        assert f"figures/{name}.png" in report, name
    assert sorted(saved["figures"]) == sorted(f"{n}.png" for n in names)
    for heading in headings:
        assert heading in report, heading
    return report, saved
