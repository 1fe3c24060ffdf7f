"""Run every code block of docs/guide/health.md, as a reader would, and check its comments."""

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "health.md"


def test_guide_code_runs_and_says_what_it_computes() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 7
    ns: dict = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), ns)
    plt.close("all")
    # the numbers the guide's comments quote
    assert ns["acc"].sensitivity.estimate == pytest.approx(0.895, abs=5e-4)
    assert ns["acc"].positive_likelihood_ratio.estimate == pytest.approx(2.41, abs=5e-3)
    assert ns["screening"].ppv.estimate == pytest.approx(0.112, abs=5e-4)
    assert ns["re"].estimate.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert ns["re"].tau2.estimate == pytest.approx(0.3132, abs=5e-5)
    assert ns["re"].i2.estimate == pytest.approx(92.2, abs=0.05)
    assert tuple(ns["re"].prediction_interval) == pytest.approx((-1.87, 0.44), abs=5e-3)
    assert ns["mr"].coefficients.loc["latitude", "estimate"] == pytest.approx(-0.0291, abs=5e-5)
    assert ns["mr"].r_squared == pytest.approx(76, abs=0.5)
    assert np.exp(ns["mh"].estimate.estimate) == pytest.approx(0.77, abs=5e-3)
    assert ns["fl"].phi == pytest.approx(2.36, abs=5e-3)
    assert ns["cox"].likelihood_ratio_test.statistic == pytest.approx(30.5, abs=0.05)
    assert ns["ph"].table.loc["GLOBAL", "p"] == pytest.approx(0.22, abs=5e-3)
