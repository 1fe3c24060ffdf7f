"""Run every code block of docs/guide/finance.md, as the site build does, and check its prose."""

from tests.docs._pages import run_page


def test_guide_code_runs(capsys) -> None:
    namespace = run_page("guide/finance.md", min_blocks=8)
    out = capsys.readouterr().out
    assert out.count("<svg") >= 2  # the VaR backtest and the rolling betas
    assert namespace["garch"].convergence.passed
    assert list(namespace["bayes_fc"].columns[:2]) == ["var_0.99", "es_0.99"]
    assert namespace["fc"].index[0] > namespace["r"].index[0]  # forecasts use the past only
    # the case studies' description: 12 industries, 1949-2017
    ff = namespace["ff"]
    assert (ff.index[0].year, ff.index[-1].year) == (1949, 2017)
    industries = ["NoDur", "Durbl", "Manuf", "Enrgy", "Chems", "BusEq"]
    industries += ["Telcm", "Utils", "Shops", "Hlth", "Money", "Other"]
    assert set(industries) <= set(ff.columns)
    # "the four methods agree on the estimate; only the standard errors differ, growing once
    # fat tails ("lo") and serial correlation ("hac", "bootstrap") are allowed for"
    fin, mkt = namespace["fin"], namespace["mkt"]
    sr = {m: fin.sharpe_ratio(mkt, periods_per_year=12, method=m, rng=1) for m in
          ("iid", "lo", "hac", "bootstrap")}  # fmt: skip
    assert len({round(s.estimate, 12) for s in sr.values()}) == 1
    assert sr["iid"].std_error < sr["lo"].std_error < min(sr["hac"].std_error,
                                                          sr["bootstrap"].std_error)  # fmt: skip
