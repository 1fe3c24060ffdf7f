"""MkDocs hook: one page per case study, built from its generated report.

The reports come from the folder named by the ``STATCRAFT_REPORTS`` environment variable
(``make docs`` sets it: ``reports/`` after ``make demo``, else quick-mode runs in
``build/reports-quick``). Each ``<domain>/<slug>/report.md`` becomes ``case-studies/<slug>.md``
with its figures, and ``case-studies/index.md`` lists them with their headline numbers. A missing
report fails the build: the pages are never silently absent.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from case_studies import CASE_STUDIES, CaseStudy
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


def _reports_dir() -> Path:
    folder = os.environ.get("STATCRAFT_REPORTS")
    if not folder:
        raise PluginError(
            "STATCRAFT_REPORTS is not set: the case-study pages are built from generated "
            "reports. Run `make docs`, or set STATCRAFT_REPORTS to a folder written by "
            "`statcraft case-studies run --all [--quick] --out DIR`."
        )
    return Path(folder)


def _page(study: CaseStudy, folder: Path) -> str:
    results: dict[str, Any] = json.loads((folder / "results.json").read_text("utf-8"))
    text = (folder / "report.md").read_text("utf-8")
    text = re.sub(r"\]\(figures/", f"]({study.slug}/figures/", text)
    title, _, body = text.partition("\n")
    mode = "quick" if results["quick"] else "full"
    note = (
        f'!!! info "Generated report ({mode} mode)"\n'
        f"    This page is the report that `statcraft case-studies run {study.slug}"
        f"{' --quick' if results['quick'] else ''}` wrote, figures included; nothing on it "
        "was typed by hand. The study's code is in "
        f"`case_studies/{study.domain}/{study.slug}/study.py`.\n"
    )
    return f"{title}\n\n{note}\n{body}"


def _index(entries: list[tuple[CaseStudy, dict[str, Any]]]) -> str:
    lines = [
        "# Case studies",
        "",
        "Seven real questions, answered on the bundled data both ways — frequentist and "
        "Bayesian. Each page is the report its study generated. Run them yourself with "
        "`statcraft case-studies run --all` (about a quarter of an hour on two cores; add "
        "`--quick` for a short version) and open `reports/index.html`.",
        "",
        "| study | question | headline |",
        "|---|---|---|",
    ]
    for study, results in entries:
        headline = "<br>".join(
            f"{h['label']}: **{h['value']}**" for h in results.get("headlines", [])
        )
        lines.append(f"| [{results['title']}]({study.slug}.md) | {study.question} | {headline} |")
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the case-study pages and their figures to the site."""
    reports = _reports_dir()
    entries = []
    for study in CASE_STUDIES:
        folder = reports / study.domain / study.slug
        if not (folder / "report.md").exists() or not (folder / "results.json").exists():
            raise PluginError(
                f"no report for the case study {study.name} in {reports}/ (STATCRAFT_REPORTS): "
                "run `statcraft case-studies run --all [--quick] --out DIR` first"
            )
        results = json.loads((folder / "results.json").read_text("utf-8"))
        entries.append((study, results))
        files.append(
            File.generated(config, f"case-studies/{study.slug}.md", content=_page(study, folder))
        )
        for figure in sorted((folder / "figures").glob("*.png")):
            files.append(
                File.generated(
                    config,
                    f"case-studies/{study.slug}/figures/{figure.name}",
                    abs_src_path=str(figure),
                )
            )
    files.append(File.generated(config, "case-studies/index.md", content=_index(entries)))
    return files
