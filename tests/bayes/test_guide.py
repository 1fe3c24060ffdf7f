"""Run every code block of docs/guide/bayes.md, as the site build does, and check its prose."""

from tests.docs._pages import run_page


def test_guide_code_runs(capsys):
    namespace = run_page("guide/bayes.md", min_blocks=12)
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
