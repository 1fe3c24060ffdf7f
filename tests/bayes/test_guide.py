"""Run every code block of docs/guide/bayes.md, as a reader would."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "bayes.md"


def test_guide_code_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 8
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    plt.close("all")
    out = capsys.readouterr().out
    assert "ConvergenceWarning" in out
    assert "FAILED the convergence gate" in out
    assert namespace["model"].convergence.passed
    assert namespace["sbc"].passed
    assert "True" in out  # the re-loaded model predicts the same
