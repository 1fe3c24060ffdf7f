"""Run every code block of docs/guide/evaluation.md and check the leakage example's claim."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "evaluation.md"


def test_guide_code_runs_and_shows_leakage(capsys):
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 10
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    plt.close("all")
    ratios = namespace["ratios"]
    # shuffled K-fold flatters the model; walk-forward and purged K-fold show no skill
    assert ratios["shuffled K-fold"] < 0.6
    assert ratios["walk-forward"] > 1.0
    assert ratios["purged K-fold"] > 1.0
    # the calibration example's forecasts are too high: observed below predicted in each bin
    out = capsys.readouterr().out
    assert "MSE relative to the benchmark" in out
    assert namespace["tuned"].best_params in ({"add_intercept": True}, {"add_intercept": False})
