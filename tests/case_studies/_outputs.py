"""The output checks every case-study test shares: files written, linked and listed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest


def quick_run(
    study: str, main: Callable[..., dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """Return a quick-mode run of ``study`` (``<domain>/<slug>``): its folder and results.

    ``make test`` runs every study once in quick mode before the tests
    (``statcraft case-studies run --all --quick``, for the docs' case-study pages and the browser
    test) and names that folder in ``STATCRAFT_QUICK_REPORTS``; the tests then check those
    outputs, as saved in ``results.json``, instead of running each study a second time. Without
    the variable the study runs here.
    """
    folder = os.environ.get("STATCRAFT_QUICK_REPORTS")
    if folder:
        out = Path(folder) / study
        return out, json.loads((out / "results.json").read_text())
    out = tmp_path_factory.mktemp(study.replace("/", "_"))
    return out, main(out, quick=True)


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
