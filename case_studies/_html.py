"""Case-study reports as web pages: each ``report.md`` as ``report.html``, and ``index.html``.

The pages are static files (open them from disk, no server) with their figures beside them and
their maths typeset as MathML, which browsers render natively: nothing is fetched, no JavaScript
runs. ``index.html`` links every report found under the output folder with its key figure, its
headline numbers and the convergence of its Bayesian fits, all read from each ``results.json``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from case_studies._mathml import latex_to_mathml

__all__ = ["ReportEntry", "markdown_to_html", "render_report", "write_index"]

_DISPLAY_MATH = re.compile(r"^\$\$\n(.*?)\n\$\$$", flags=re.M | re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
_PLACEHOLDER = re.compile(r"MATH(BLOCK|INLINE)(\d+)X")

_STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; line-height: 1.25; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; display: block;
        overflow-x: auto; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.55rem; text-align: left; }
th { background: #f6f8fa; } tr:nth-child(even) td { background: #fbfbfc; }
img { max-width: 100%; height: auto; } code { background: #f3f3f3; padding: 0 0.2rem; }
blockquote { border-left: 4px solid #d0d7de; margin: 1rem 0; padding: 0.2rem 1rem; color: #57606a; }
div.math { overflow-x: auto; overflow-y: hidden; margin: 1rem 0; } math { font-size: 1.1em; }
nav.back { margin-bottom: 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1.2rem; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 1rem; }
.card h2 { font-size: 1.15rem; border: 0; margin-top: 0.2rem; }
.card img { border: 1px solid #eee; }
.domain { text-transform: uppercase; font-size: 0.75rem; letter-spacing: 0.08em; color: #57606a; }
.ok { color: #1a7f37; font-weight: 600; } .failed { color: #cf222e; font-weight: 600; }
dl.headlines dt { font-size: 0.85rem; color: #57606a; } dl.headlines dd { margin: 0 0 0.5rem 0;
font-weight: 600; font-size: 1.05rem; }
"""


def markdown_to_html(text: str) -> str:
    """Convert a report's Markdown to HTML, with ``$..$`` and ``$$..$$`` maths as MathML."""
    formulas: list[tuple[str, bool]] = []

    def keep(match: re.Match[str], display: bool) -> str:
        formulas.append((match.group(1), display))
        kind = "BLOCK" if display else "INLINE"
        return f"MATH{kind}{len(formulas) - 1}X"

    protected = _DISPLAY_MATH.sub(lambda m: keep(m, True), text)
    protected = _INLINE_MATH.sub(lambda m: keep(m, False), protected)
    body = markdown.markdown(protected, extensions=["tables"], output_format="html")

    def typeset(match: re.Match[str]) -> str:
        tex, display = formulas[int(match.group(2))]
        mathml = latex_to_mathml(tex, display="block" if display else "inline")
        return f'<div class="math">{mathml}</div>' if display else mathml

    body = re.sub(r"<p>(MATHBLOCK\d+X)</p>", lambda m: _PLACEHOLDER.sub(typeset, m.group(1)), body)
    return _PLACEHOLDER.sub(typeset, body)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def render_report(report_dir: str | Path, *, index_href: str | None = None) -> Path:
    """Write ``report.html`` beside ``report.md`` in ``report_dir``; return its path.

    ``index_href`` (relative to the report) adds a link back to the index page.
    """
    folder = Path(report_dir)
    text = (folder / "report.md").read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip()
    back = (
        f'<nav class="back"><a href="{html.escape(index_href)}">← all case studies</a></nav>\n'
        if index_href
        else ""
    )
    path = folder / "report.html"
    path.write_text(_page(title, back + markdown_to_html(text)), encoding="utf-8")
    return path


@dataclass(frozen=True)
class ReportEntry:
    """One case study's report as the index shows it (read from its ``results.json``)."""

    domain: str
    slug: str
    folder: Path
    title: str
    quick: bool
    wall_time_s: float
    headlines: tuple[tuple[str, str], ...]
    key_figure: str | None
    fits: int
    fits_failed: tuple[str, ...]

    @classmethod
    def read(cls, folder: Path, domain: str, slug: str) -> ReportEntry:
        """Read the entry of the report written in ``folder``."""
        results: Mapping[str, Any] = json.loads((folder / "results.json").read_text("utf-8"))
        convergence: Mapping[str, Any] = results.get("convergence", {})
        return cls(
            domain=domain,
            slug=slug,
            folder=folder,
            title=str(results["title"]),
            quick=bool(results["quick"]),
            wall_time_s=float(results["wall_time_s"]),
            headlines=tuple((h["label"], h["value"]) for h in results.get("headlines", [])),
            key_figure=results.get("key_figure"),
            fits=len(convergence),
            fits_failed=tuple(name for name, c in convergence.items() if not c["passed"]),
        )

    @property
    def convergence_text(self) -> str:
        """'3 fits, all passed the gate', '3 fits, 1 FAILED: x' or 'no Bayesian fit'."""
        if self.fits == 0:
            return "no Bayesian fit"
        fits = f"{self.fits} Bayesian fit{'s' if self.fits > 1 else ''}"
        if not self.fits_failed:
            return f"{fits}, all passed the convergence gate"
        return f"{fits}, {len(self.fits_failed)} FAILED the gate: {', '.join(self.fits_failed)}"


def write_index(out_dir: str | Path, entries: Iterable[ReportEntry]) -> Path:
    """Write ``index.html`` in ``out_dir`` linking every report in ``entries``; return its path."""
    out = Path(out_dir)
    cards = []
    for e in entries:
        rel = e.folder.relative_to(out).as_posix()
        figure = (
            f'<a href="{rel}/report.html"><img src="{rel}/{e.key_figure}" '
            f'alt="key figure of {html.escape(e.title)}" loading="lazy"></a>'
            if e.key_figure
            else ""
        )
        numbers = "".join(
            f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
            for label, value in e.headlines
        )
        status = "failed" if e.fits_failed else "ok"
        mode = "quick mode" if e.quick else "full mode"
        cards.append(
            f'<section class="card" id="{e.slug}">\n'
            f'<div class="domain">{e.domain}</div>\n'
            f'<h2><a href="{rel}/report.html">{html.escape(e.title)}</a></h2>\n{figure}\n'
            f'<dl class="headlines">{numbers}</dl>\n'
            f'<p><span class="{status}">{html.escape(e.convergence_text)}</span> · '
            f"{mode}, {e.wall_time_s:.0f} s · "
            f'<a href="{rel}/report.md">Markdown</a> · '
            f'<a href="{rel}/results.json">results.json</a></p>\n</section>'
        )
    body = (
        "<h1>statcraft case studies</h1>\n"
        "<p>Real questions in finance and healthcare, answered on the bundled data both ways — "
        "frequentist and Bayesian — with every number computed by the study. Each card links the "
        "full report with its figures, methods, diagnostics and caveats.</p>\n"
        f'<div class="cards">\n{"".join(cards)}\n</div>'
    )
    path = out / "index.html"
    path.write_text(_page("statcraft case studies", body), encoding="utf-8")
    return path
