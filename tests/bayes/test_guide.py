"""Run every code block of docs/guide/bayes.md, as the site build does, and check its prose."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "bayes.md"
# markdown-exec blocks: ```python exec="on" source="above" result="text" session="bayes"
BLOCK = re.compile(r'```python [^\n]*exec="on"[^\n]*\n(.*?)```', flags=re.S)


def test_guide_code_runs(capsys):
    text = GUIDE.read_text(encoding="utf-8")
    assert "```python\n" not in text  # every block is executed when the site is built
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 12
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    plt.close("all")
    out = capsys.readouterr().out
    assert out.count("<svg") >= 2  # predictive interval; posteriors under two likelihoods
    assert "ConvergenceWarning" in out
    assert "FAILED the convergence gate" in out
    assert namespace["model"].convergence.passed
    assert namespace["normal"].convergence.passed
    assert namespace["sbc"].passed
    assert "True" in out  # the re-loaded model predicts the same
    # "the Student-t likelihood ... its posterior for the slope is narrower than the normal's"
    sd = {
        name: float(fitted.idata.posterior["beta"].sel(predictor="dose").std())
        for name, fitted in (("t", namespace["model"]), ("normal", namespace["normal"]))
    }
    assert sd["t"] < sd["normal"]
    # the Student-t model is preferred by LOO
    ranking = namespace["bayes"].compare({"t": namespace["model"], "normal": namespace["normal"]})
    assert ranking.index[0] == "t"
