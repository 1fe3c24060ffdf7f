r"""LaTeX to MathML, for the report pages and the documentation site.

Browsers (Chromium, Firefox, Safari) typeset MathML natively, so a page whose maths is MathML
shows it offline, with no JavaScript and nothing fetched. ``latex2mathml`` does the conversion;
this module rewrites the few TeX constructs it lacks into ones it has and checks its output
instead of trusting it, so a formula that would show wrongly is an error naming the formula.
``case_studies/_html.py`` (``report.html``) and the site's build hook
(``mkdocs_hooks/mathml.py``) both use it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Literal

from latex2mathml.converter import convert

__all__ = ["MathError", "latex_to_mathml", "normalise_tex"]

# TeX that latex2mathml does not know, rewritten to TeX it does (same rendering).
_NORMALISE = (
    # aligned (inside an equation) has the same layout as align* on a line of its own
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}"),
    # gathered / gather (centred lines) as a one-column array
    (re.compile(r"\\begin\{gather(?:ed|\*)?\}"), r"\\begin{array}{c}"),
    (re.compile(r"\\end\{gather(?:ed|\*)?\}"), r"\\end{array}"),
    # \! (negative thin space) becomes width="negativethinmathspace", not valid MathML
    (re.compile(r"\\!"), ""),
    # \operatorname*{f} (limits below) -> \operatorname{f}
    (re.compile(r"\\operatorname\*"), r"\\operatorname"),
    # \dfrac / \tfrac differ from \frac only in size
    (re.compile(r"\\[dt]frac(?![a-zA-Z])"), r"\\frac"),
    # \frac1n: one-character arguments without braces, which older latex2mathml mis-parses
    (re.compile(r"\\frac\s*([0-9a-zA-Z])\s*([0-9a-zA-Z])"), r"\\frac{\1}{\2}"),
)
# MathML that latex2mathml writes but browsers read differently, fixed afterwards.
_FIX_OUTPUT = (
    # \sim comes out as an identifier "~" (no operator spacing); make it the operator ∼
    ("<mi>&#x0007E;</mi>", "<mo>&#x0223C;</mo>"),
)


class MathError(ValueError):
    """A formula that cannot be turned into valid MathML."""


def normalise_tex(tex: str) -> str:
    """Rewrite the TeX constructs latex2mathml lacks into equivalent ones it has."""
    for pattern, replacement in _NORMALISE:
        tex = pattern.sub(replacement, tex)
    return tex.strip()


def latex_to_mathml(tex: str, display: Literal["inline", "block"] = "inline") -> str:
    r"""Convert one formula to a ``<math>`` element, or raise :class:`MathError`.

    The result is checked, not trusted: it must be well-formed XML, and latex2mathml's silent
    failures (an ``&`` outside an alignment, a ``\\`` line break outside one, which browsers do
    not break) are errors.
    """
    source = normalise_tex(tex)
    try:
        mathml = convert(source, display=display)
    except Exception as error:  # latex2mathml raises many types (IndexError, its own, ...)
        raise MathError(f"latex2mathml cannot convert {tex!r}: {error!r}") from error
    for bad, good in _FIX_OUTPUT:
        mathml = mathml.replace(bad, good)
    problems = []
    if "<mi>&</mi>" in mathml:
        problems.append("'&' outside an alignment environment (use aligned)")
    if 'linebreak="newline"' in mathml:
        problems.append(r"'\\' outside an alignment environment (use aligned)")
    if "<merror" in mathml:
        problems.append("latex2mathml reported an error")
    try:
        ET.fromstring(mathml)
    except ET.ParseError as error:
        problems.append(f"the MathML is not well-formed XML ({error})")
    if problems:
        raise MathError(f"formula {tex!r}: " + "; ".join(problems))
    if display == "block":
        # block maths scrolls sideways on a narrow screen instead of overflowing the page
        mathml = mathml.replace("<math ", '<math class="arithmatex-block" ', 1)
    return mathml
