"""Run every code block of docs/guide/evaluation.md, as the site build does; check its claims."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "evaluation.md"
# markdown-exec blocks: ```python exec="on" source="above" result="text" session="evaluation"
BLOCK = re.compile(r'```python [^\n]*exec="on"[^\n]*\n(.*?)```', flags=re.S)


def test_guide_code_runs_and_shows_leakage(capsys):
    text = GUIDE.read_text(encoding="utf-8")
    assert "```python\n" not in text  # every block is executed when the site is built
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 12
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    plt.close("all")
    out = capsys.readouterr().out
    assert out.count("<svg") >= 2  # the splitter layout; reliability and PIT
    ratios = namespace["ratios"]
    # shuffled K-fold flatters the model; walk-forward and purged K-fold show no skill
    assert ratios["shuffled K-fold"] < 0.6
    assert ratios["walk-forward"] > 1.0
    assert ratios["purged K-fold"] > 1.0
    assert "MSE relative to the benchmark" in out
    # the calibration example's forecasts are too high: observed below predicted in each bin
    curve = namespace["ev"].calibration_curve(namespace["outcome"], namespace["p"], n_bins=5)
    assert (curve["observed"] < curve["mean_predicted"]).all()
    # the purged layout: the test block, purged on both sides, then the embargo
    roles = namespace["roles"]
    np.testing.assert_array_equal(np.flatnonzero(roles == "test"), np.arange(10, 20))
    np.testing.assert_array_equal(np.flatnonzero(roles == "purged"), [7, 8, 9, 20, 21, 22])
    np.testing.assert_array_equal(np.flatnonzero(roles == "embargoed"), [23, 24])
    assert namespace["tuned"].best_params in ({"add_intercept": True}, {"add_intercept": False})
