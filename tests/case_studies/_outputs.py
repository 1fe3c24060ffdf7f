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
    ``results.json``, every heading appears in the report, and the study names its headline
    numbers and its key figure.
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
    # what `statcraft case-studies run` and index.html show: headline numbers and a key figure
    assert saved["headlines"], "the study records no headline number"
    for headline in saved["headlines"]:
        assert headline["label"] and headline["value"], headline
    assert saved["key_figure"] in {f"figures/{n}.png" for n in names}
    return report, saved
