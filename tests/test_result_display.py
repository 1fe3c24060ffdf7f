"""TestResult in a notebook (``_repr_html_``) and in a terminal (``__repr__``).

The HTML is parsed with the standard library and checked for the rows it must have, the rows it
must not have (fields the test does not report), and the test-specific tables, whose numbers are
checked against scipy and R's published output.
"""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest
from scipy import stats

import statcraft as sc
from statcraft.datasets import load_lung
from statcraft.results import ConfidenceInterval, Estimate, TestResult


class _Page(HTMLParser):
    """Collect the tables (rows of cell texts) and the captions (<i> text) of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self.bold: list[str] = []
        self._cell: list[str] | None = None
        self._tag: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("i", "b"):
            self._tag = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("i", "b"):
            self._tag = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._tag == "i":
            self.captions.append(data)
        elif self._tag == "b":
            self.bold.append(data)

    def summary(self) -> dict[str, str]:
        """The first table (the summary) as {row label: value}."""
        return {row[0]: row[1] for row in self.tables[0]}

    def table(self, caption: str) -> list[list[str]]:
        """The detail table under ``caption`` (the summary table comes first, so offset by 1)."""
        return self.tables[1 + self.captions.index(caption)]


def _numbers(rows: list[list[str]], column: int) -> np.ndarray:
    """One column of a parsed table (header row skipped) as floats."""
    return np.array([float(r[column]) for r in rows[1:]])


def test_welch_ttest_shows_every_field_it_has_and_no_empty_ones():
    rng = np.random.default_rng(1)
    x, y = rng.normal(0.0, 1.0, 25), rng.normal(0.6, 2.0, 30)
    res = sc.ttest(x, y)
    page = _Page(res._repr_html_())
    assert page.bold == ["Welch Two Sample t-test"]
    summary = page.summary()
    assert list(summary) == ["statistic", "df", "p-value", "alternative", "estimate", "effect size"]
    ref = stats.ttest_ind(x, y, equal_var=False)  # independent implementation
    assert float(summary["statistic"]) == pytest.approx(ref.statistic, rel=5e-4)
    assert float(summary["df"]) == pytest.approx(ref.df, rel=5e-4)
    assert float(summary["p-value"]) == pytest.approx(ref.pvalue, rel=5e-3)
    assert summary["alternative"] == "two-sided"
    ci = ref.confidence_interval(0.95)
    assert summary["estimate"].startswith("difference in means")
    assert f"95% CI [{ci.low:.4g}, {ci.high:.4g}]" in summary["estimate"]
    assert summary["effect size"].startswith("Hedges' g")
    assert len(page.tables) == 1  # only scalars in details: no detail table
    text = res._repr_html_()
    assert "None" not in text and "nan" not in text.lower()


def test_a_test_without_estimate_df_or_direction_shows_two_rows():
    x = np.random.default_rng(2).normal(size=30)
    res = sc.shapiro_wilk(x)
    page = _Page(res._repr_html_())
    assert page.summary().keys() == {"statistic", "p-value"}
    assert float(page.summary()["statistic"]) == pytest.approx(stats.shapiro(x).statistic, 5e-4)
    assert len(page.tables) == 1
    assert "None" not in res._repr_html_()


def test_statistic_is_named_when_the_test_names_it():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20)
    res = sc.correlation(x, x + rng.normal(size=20))
    summary = _Page(res._repr_html_()).summary()
    assert "statistic (t)" in summary
    assert summary["estimate"].startswith("Pearson correlation")


def test_chi_square_shows_observed_expected_and_residuals():
    table = np.array([[12, 5, 9], [7, 15, 11]])
    res = sc.chi2_independence(table)
    page = _Page(res._repr_html_())
    assert page.captions == ["observed", "expected", "residuals", "stdres"]
    ref = stats.contingency.chi2_contingency(table)  # scipy's expected counts
    for caption, want in [
        ("observed", table),
        ("expected", ref.expected_freq),
        ("residuals", (table - ref.expected_freq) / np.sqrt(ref.expected_freq)),
    ]:
        rows = page.table(caption)
        assert len(rows) == 1 + table.shape[0]  # header + one row per table row
        got = np.array([[float(c) for c in r[1:]] for r in rows[1:]])
        np.testing.assert_allclose(got, want, rtol=5e-4)
    summary = page.summary()
    assert float(summary["statistic"]) == pytest.approx(ref.statistic, rel=5e-4)
    assert summary["df"] == "2"
    assert "alternative" not in summary and "estimate" not in summary
    assert summary["effect size"].startswith("Cramér's V")


def test_logrank_shows_its_observed_expected_table():
    # R: survdiff(Surv(time, status) ~ sex, data = lung)
    #         N Observed Expected (O-E)^2/E (O-E)^2/V
    # sex=1 138      112     91.6      4.55      10.3
    # sex=2  90       53     73.4      5.68      10.3
    lung = load_lung()
    res = sc.logrank(lung["time"], lung["status"], lung["sex"])
    page = _Page(res._repr_html_())
    assert page.captions == ["table"]  # the test's own table alone, not its raw arrays
    rows = page.table("table")
    header = rows[0]
    assert header[1:] == ["group", "n", "observed", "expected", "(O-E)^2/E", "(O-E)^2/V"]
    np.testing.assert_allclose(_numbers(rows, 2), [138, 90])
    np.testing.assert_allclose(_numbers(rows, 3), [112, 53])
    np.testing.assert_allclose(_numbers(rows, 4), [91.6, 73.4], atol=0.05)
    np.testing.assert_allclose(_numbers(rows, 5), [4.55, 5.68], atol=5e-3)
    assert round(float(page.summary()["statistic"]), 1) == 10.3
    text = repr(res)  # the terminal shows the same table
    assert "expected" in text and "(O-E)^2/E" in text
    assert "<" not in text


def test_anova_shows_group_table_and_omega_squared():
    rng = np.random.default_rng(4)
    groups = [rng.normal(m, 1.0, n) for m, n in [(0.0, 8), (0.5, 11), (1.5, 9)]]
    res = sc.oneway_anova(*groups)
    page = _Page(res._repr_html_())
    summary = page.summary()
    assert summary["df"] == "(2, 25)"
    assert summary["effect size"].startswith("eta squared")
    assert summary["omega squared"].startswith("omega squared")
    rows = page.table("group_sizes, group_means, group_variances")
    np.testing.assert_allclose(_numbers(rows, 1), [8, 11, 9])
    np.testing.assert_allclose(_numbers(rows, 2), [g.mean() for g in groups], rtol=5e-4)
    np.testing.assert_allclose(_numbers(rows, 3), [g.var(ddof=1) for g in groups], rtol=5e-4)
    ref = stats.f_oneway(*groups)
    assert float(summary["statistic"]) == pytest.approx(ref.statistic, rel=5e-4)


def test_group_labels_name_the_rows_of_a_group_table():
    res = TestResult(
        statistic=1.0,
        pvalue=0.5,
        method="demo",
        details={"groups": ("female", "male"), "n": [10, 12], "mean_ranks": [9.5, 13.1]},
    )
    page = _Page(res._repr_html_())
    rows = page.table("by group: n, mean_ranks")
    assert [r[0] for r in rows[2:]] == ["female", "male"]  # header, index-name row, groups


def test_long_vectors_and_scalars_are_left_to_details():
    rng = np.random.default_rng(5)
    res = sc.permutation_test(
        (rng.normal(size=12), rng.normal(size=12)),
        lambda a, b: np.mean(a) - np.mean(b),
        n_resamples=999,
        rng=0,
    )
    page = _Page(res._repr_html_())
    assert len(page.tables) == 1  # the 999 null replicates are not a table
    assert len(res._repr_html_()) < 2000


def test_html_escapes_the_method_and_repr_stays_plain_text():
    est = Estimate(0.3, None, ConfidenceInterval(0.1, 0.5), 0.9, "median <difference>", 20)
    res = TestResult(statistic=2.0, pvalue=0.01, method="A <b> test", estimate=est)
    text = res._repr_html_()
    assert "A &lt;b&gt; test" in text
    summary = _Page(text).summary()
    assert summary["estimate"] == "median <difference> = 0.3, 90% CI [0.1, 0.5]"  # no SE
    assert repr(res).splitlines() == [
        "A <b> test",
        "  statistic = 2, p-value = 0.01",
        "  estimate: median <difference> = 0.3, 90% CI [0.1, 0.5]",
    ]
