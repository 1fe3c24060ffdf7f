"""MkDocs hook: fail the build when markup that was not rendered reaches a page.

``mkdocs build --strict`` only fails on warnings; RST that Markdown does not understand is not
a warning, it is shown raw. This hook reads every finished page and raises
:class:`mkdocs.exceptions.PluginError` (naming the page and the offending text) when it finds

- a Sphinx role (``:func:`x```, ``:class:``, ``:meth:``, ``:attr:``, ``:mod:``, ``:data:``,
  ``:math:`` ...) outside code blocks;
- an RST table rule (a line of ``=====`` columns) or an RST directive (``.. math::``,
  ``.. note::``) outside code blocks;
- maths that was not typeset (an ``arithmatex`` element left by ``mathml.py``);
- an ``<autoref>`` element that autorefs did not turn into a link or plain text.

Code is skipped (``<pre>`` blocks and the text of inline ``<code>``): a guide may print a table
of ``=====`` or quote an RST role on purpose.

Enable it in ``mkdocs.yml`` with ``hooks: [mkdocs_hooks/check_rendering.py]``.
"""

from __future__ import annotations

import html
import re
from typing import Any

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - mkdocs is there whenever the hook runs
    PluginError = ValueError  # type: ignore[assignment,misc]

_ROLE_NAMES = (
    "func|class|meth|attr|mod|data|obj|exc|const|any|math|ref|doc|term|eq|numref|cite|"
    "envvar|program|option|download|abbr|sup|sub|kbd|file"
)
# A role directly followed by its backquoted text, or by the <code> Markdown made of it.
RAW_ROLE_RE = re.compile(rf":(?:py:)?(?:{_ROLE_NAMES}):(?=`|<code>)")
# An RST simple-table rule: two or more runs of "=" separated by spaces, alone on a line.
TABLE_RULE_RE = re.compile(r"^[ \t]*={3,}(?:[ \t]+={3,})+[ \t]*$", re.M)
# An RST grid-table border.
GRID_RULE_RE = re.compile(r"^[ \t]*\+(?:[-=]{3,}\+){2,}[ \t]*$", re.M)
DIRECTIVE_RE = re.compile(r"(?:^|>)[ \t]*\.\. [a-z-]+::", re.M)
UNTYPESET_RE = re.compile(r'class="arithmatex"')
AUTOREF_RE = re.compile(r"<autoref\b")

_SKIP_RE = re.compile(r"<(pre|script|style|textarea)\b.*?</\1>", re.S | re.I)
_CODE_RE = re.compile(r"<code\b[^>]*>.*?</code>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")


class RenderingError(ValueError):
    """Markup that should have been rendered was found in a page."""


def _snippet(text: str, start: int, end: int) -> str:
    context = text[max(0, start - 40) : end + 40]
    return " ".join(context.split())


def find_problems(page_html: str) -> list[str]:
    """Describe every unrendered construct in ``page_html`` (an empty list when clean)."""
    problems: list[str] = []
    # Code is shown as written: skip code blocks, and empty inline code (keeping the <code>
    # tag itself, which is how Markdown renders the backquoted part of a raw role).
    visible = _CODE_RE.sub("<code></code>", _SKIP_RE.sub(" ", page_html))
    for match in RAW_ROLE_RE.finditer(visible):
        problems.append(f"raw role {match[0]!r} in: {_snippet(visible, *match.span())}")
    text = html.unescape(_TAG_RE.sub("", visible))
    for regex, what in (
        (TABLE_RULE_RE, "RST table rule"),
        (GRID_RULE_RE, "RST grid-table border"),
    ):
        for match in regex.finditer(text):
            problems.append(f"{what} in: {_snippet(text, *match.span())}")
    for match in DIRECTIVE_RE.finditer(visible):
        problems.append(f"RST directive in: {_snippet(visible, *match.span())}")
    for match in UNTYPESET_RE.finditer(page_html):
        problems.append(f"maths not typeset: {_snippet(page_html, *match.span())}")
    for match in AUTOREF_RE.finditer(page_html):
        problems.append(f"unresolved <autoref>: {_snippet(page_html, *match.span())}")
    return problems


def check_page(page_html: str, where: str) -> None:
    """Raise :class:`RenderingError` listing what was not rendered in ``page_html``."""
    problems = find_problems(page_html)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise RenderingError(
            f"{where}: {len(problems)} piece(s) of markup were not rendered:\n  {shown}{more}"
        )


def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    """Check the finished page (MkDocs event); fail the build if it shows raw markup."""
    try:
        check_page(output, page.file.src_uri)
    except RenderingError as error:
        raise PluginError(str(error)) from error
    return output
