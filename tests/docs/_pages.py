"""Run a documentation page's code blocks as the site build does (markdown-exec)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

DOCS = Path(__file__).resolve().parents[2] / "docs"
# markdown-exec blocks: ```python exec="on" source="above" result="text" session="<page>"
BLOCK = re.compile(r'```python [^\n]*exec="on"[^\n]*\n(.*?)```', flags=re.S)


def run_page(page: str, *, min_blocks: int) -> dict[str, Any]:
    """Run every executed block of ``docs/<page>`` in order, in one namespace; return it.

    The page must execute all its Python (no plain ```python block: the site shows only
    outputs it computed) and have at least ``min_blocks`` blocks. Figures are closed after.
    """
    path = DOCS / page
    text = path.read_text(encoding="utf-8")
    assert "```python\n" not in text  # every block is executed when the site is built
    blocks = BLOCK.findall(text)
    assert len(blocks) >= min_blocks
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(path), "exec"), namespace)
    plt.close("all")
    return namespace
