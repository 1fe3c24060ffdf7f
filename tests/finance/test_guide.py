"""Run every code block of docs/guide/finance.md, as a reader would."""

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "finance.md"


def test_guide_code_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 4
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    assert namespace["garch"].convergence.passed
    assert list(namespace["bayes_fc"].columns[:2]) == ["var_0.99", "es_0.99"]
    assert namespace["fc"].index[0] > namespace["r"].index[0]  # forecasts use the past only
