"""Run every code block of docs/guide/evaluation.md, as the site build does; check its claims."""

import numpy as np
from tests.docs._pages import run_page


def test_guide_code_runs_and_shows_leakage(capsys):
    namespace = run_page("guide/evaluation.md", min_blocks=12)
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
