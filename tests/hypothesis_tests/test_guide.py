"""Run every code block of docs/guide/tests.md, as the site build does, and check its claims."""

import pytest
from tests.docs._pages import run_page


def test_guide_code_runs_and_matches_r(capsys):
    ns = run_page("guide/tests.md", min_blocks=5)
    out = capsys.readouterr().out
    assert out.count("<svg") >= 2  # the figures
    # R: t.test(extra ~ group, data = sleep) -> t = -1.8608, df = 17.776, p-value = 0.07939
    assert ns["stat"] == pytest.approx(-1.8608, abs=5e-5)
    assert ns["p"] == pytest.approx(0.07939, abs=5e-6)
    welch = ns["sc"].ttest(ns["drug_1"], ns["drug_2"])
    assert welch.df == pytest.approx(17.776, abs=5e-4)
    # R: t.test(..., paired = TRUE) -> t = -4.0621, df = 9, p-value = 0.002833
    assert ns["paired"].statistic == pytest.approx(-4.0621, abs=5e-5)
    assert ns["paired"].df == 9
    assert ns["paired"].pvalue == pytest.approx(0.002833, abs=5e-7)
    # R: power.t.test(delta = 0.5, power = 0.8) -> n = 63.76576, rounded up to 64
    size = ns["sc"].sample_size_ttest(0.5, power=0.8)
    assert size.n_exact == pytest.approx(63.76576, abs=5e-6)
    assert size.n == 64
