r"""MkDocs hook: typeset the site's maths as MathML when it is built (no JavaScript, no network).

pymdownx.arithmatex (``generic: true``) marks maths in every page — the guide and case-study
pages written with ``$...$`` / ``$$...$$``, and the API pages, whose ``:math:`` roles and
``.. math::`` blocks ``rst_to_markdown.py`` turns into the same syntax — as
``<span class="arithmatex">\(...\)</span>`` and ``<div class="arithmatex">\[...\]</div>``. This
hook replaces each of them with MathML from ``case_studies._mathml.latex_to_mathml`` (the
converter the report pages use too), which browsers typeset natively, so the maths shows offline.
A formula that cannot be turned into valid MathML fails the build, naming the page and the
formula.

Enable it in ``mkdocs.yml`` with ``hooks: [mkdocs_hooks/mathml.py]``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from case_studies._mathml import MathError, latex_to_mathml

try:
    from mkdocs.exceptions import PluginError
except ImportError:  # pragma: no cover - mkdocs is there whenever the hook runs
    PluginError = ValueError  # type: ignore[assignment,misc]

ARITHMATEX_RE = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S)
_DELIMITERS = ((r"\(", r"\)"), (r"\[", r"\]"), ("$$", "$$"), ("$", "$"))


def _strip_delimiters(tex: str) -> str:
    tex = tex.strip()
    for left, right in _DELIMITERS:
        if tex.startswith(left) and tex.endswith(right) and len(tex) >= len(left) + len(right):
            return tex[len(left) : len(tex) - len(right)]
    return tex


def arithmatex_to_mathml(page_html: str) -> str:
    """Replace every arithmatex element in ``page_html`` by MathML (see the module doc)."""

    def replace(match: re.Match[str]) -> str:
        tex = _strip_delimiters(html.unescape(match["tex"]))
        display = "block" if match["tag"] == "div" else "inline"
        return latex_to_mathml(tex, display=display)

    return ARITHMATEX_RE.sub(replace, page_html)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Typeset the page's maths (MkDocs event, after the Markdown is rendered)."""
    try:
        return arithmatex_to_mathml(html)
    except MathError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error
