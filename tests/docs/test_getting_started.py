"""The home page, Getting started, the developer notes and the architecture page tell the truth.

The code blocks of docs/index.md and docs/getting_started.md (the five-minute tour) run here as
a reader would run them, and the facts their prose states are checked against what the code
computed, against R's published output, and against the Makefile, pyproject.toml and the
``statcraft`` command. The names the architecture and developer pages mention must exist.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```python([^\n]*)\n(.*?)^```", flags=re.S | re.M)


def run_page(page: Path) -> tuple[dict[str, Any], str]:
    """Execute every ```python block of ``page`` in one namespace; return it and the output."""
    blocks = [code for attrs, code in FENCE.findall(page.read_text(encoding="utf-8"))]
    assert blocks, f"no python blocks in {page.name}"
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for code in blocks:
            exec(compile(code, str(page), "exec"), namespace)
    plt.close("all")
    return namespace, out.getvalue()


def test_every_block_is_executed_at_build_time():
    # the tour's and the home page's blocks run when the site is built (markdown-exec), so no
    # output on these pages is pasted
    for name in ("index.md", "getting_started.md"):
        attrs = [a for a, _ in FENCE.findall((DOCS / name).read_text(encoding="utf-8"))]
        assert attrs
        assert all('exec="on"' in a for a in attrs), name


# -- the home page -----------------------------------------------------------------------------


def test_home_page_example_matches_r():
    ns, out = run_page(DOCS / "index.md")
    # R: survfit(Surv(time, status) ~ sex, data = lung)
    #  sex=1 n 138 events 112 median 270 0.95LCL 212 0.95UCL 310
    #  sex=2 n  90 events  53 median 426 0.95LCL 348 0.95UCL 550
    assert "men: Estimate(Kaplan-Meier median" in out
    assert "270, 95% CI [212, 310]" in out
    assert "426, 95% CI [348, 550]" in out
    # R: survdiff(Surv(time, status) ~ sex, data = lung) -> Chisq= 10.3 on 1 df, p= 0.00131
    assert round(ns["stat"], 1) == 10.3
    assert ns["p"] == pytest.approx(0.00131, abs=5e-6)
    assert ns["test"].df == 1
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    for fact in ("270 days, 212–310", "426 days, 348–550", "χ² = 10.3", "p = 0.00131"):
        assert fact in text


def test_home_page_install_section_matches_pyproject():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert "Python 3.11 or newer" in text
    assert project["scripts"]["statcraft"] == "statcraft.cli:main"
    extras = project["optional-dependencies"]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", text, flags=re.M)
    assert sorted(name for name, _ in rows) == sorted(extras)
    for name, packages in rows:
        listed = " ".join(extras[name]).lower()
        for package in re.findall(r"[a-z][a-z0-9_.-]+", packages.lower()):
            if package in {"and", "the", "test", "oracles", "benchmark", "peers", "extra"}:
                continue
            package = {"dask.distributed": "dask[distributed]"}.get(package, package)
            assert package in listed, (name, package)
    dependencies = " ".join(project["dependencies"]).lower()
    for package in ("numpy", "scipy", "pandas", "matplotlib", "pymc", "arviz", "markdown"):
        assert package in dependencies
    assert "latex2mathml" in dependencies


# -- Getting started: the tour -----------------------------------------------------------------


@pytest.fixture(scope="module")
def tour() -> tuple[dict[str, Any], str]:
    return run_page(DOCS / "getting_started.md")


def test_tour_estimate(tour):
    ns, out = tour
    est = ns["est"]
    assert type(est).__name__ == "Estimate"
    assert est.confidence_interval.low < est.estimate < est.confidence_interval.high
    assert list(est.to_frame().columns[:4]) == ["estimate", "std_error", "ci_low", "ci_high"]
    assert "mean (Student t interval)" in out
    assert len(ns["returns"]) == 819  # monthly, 1949-2017
    assert ns["returns"].index[0].year == 1949
    assert ns["returns"].index[-1].year == 2017


def test_tour_test_is_not_significant_with_a_tiny_effect(tour):
    ns, _ = tour
    test = ns["test"]
    # "At the 5% level the test does not find a difference ... far below 0.2"
    assert test.pvalue > 0.05
    assert abs(test.effect_size.estimate) < 0.2 / 2
    assert "Hedges' g" in test.effect_size.method
    assert (ns["stat"], ns["p"]) == (test.statistic, test.pvalue)


def test_tour_bootstrap_agrees_with_the_t_interval(tour):
    ns, _ = tour
    boot, test = ns["boot"], ns["test"]
    # "The chosen block length is short"
    assert boot.block_length < 2
    assert boot.scheme == "stationary"
    # "the bootstrap interval lands close to the t interval"
    t_low, t_high = test.estimate.confidence_interval
    b_low, b_high = boot.confidence_interval
    width = t_high - t_low
    assert abs(b_low - t_low) < 0.1 * width
    assert abs(b_high - t_high) < 0.1 * width
    # the figure's title says 9,999 replicates
    assert boot.n_resamples == 9999 == len(boot.distribution)


def test_tour_two_views_of_alpha_agree(tour):
    ns, out = tour
    fit, model, post = ns["fit"], ns["model"], ns["post"]
    coef = fit.coefficients
    # "a beta well below 1, and an alpha whose interval excludes zero in both"
    assert coef.loc["market", "ci_high"] < 1
    assert post.loc["beta[market]", "hdi_high"] < 1
    assert coef.loc["Intercept", "ci_low"] > 0
    assert post.loc["intercept", "hdi_low"] > 0
    assert coef.loc["Intercept", "pvalue"] < 0.05
    # "The small degrees of freedom nu say how heavy the tails ... are"
    assert post.loc["nu", "mean"] < 10
    assert model.convergence.passed
    assert "Newey–West HAC" in out
    # "2 chains of 500 draws after 500 tuning steps; the default is 4 chains of 1,000"
    assert (model.convergence.to_dict()["chains"], model.convergence.to_dict()["draws"]) == (2, 500)
    from statcraft.bayes.base import _FIT_DEFAULTS

    assert (_FIT_DEFAULTS["chains"], _FIT_DEFAULTS["draws"]) == (4, 1000)
    assert _FIT_DEFAULTS["on_failure"] == "warn"


def test_tour_case_study_writes_its_reports(tour):
    ns, _ = tour
    run = ns["run"]
    assert run.returncode == 0, run.stderr
    assert "Case studies" in run.stdout  # the summary table
    assert "healthcare/meta_analysis" in run.stdout
    assert "convergence gate" in run.stdout  # each Bayesian fit's verdict as it goes
    reports = Path(ns["workdir"]) / "reports"
    assert (reports / "index.html").is_file()
    folder = ns["folder"]
    for name in ("report.html", "report.md", "results.json"):
        assert (folder / name).is_file(), name
    assert list((folder / "figures").glob("*.png"))
    saved = ns["saved"]
    assert saved["quick"] is True
    assert saved["headlines"]
    # "The key figure, the forest plot of the 22 trials"
    assert saved["key_figure"] == "figures/forest_plot.png"
    assert saved["data"]["n_trials"] == 22


# -- Getting started: the prose about the commands ---------------------------------------------


def _make_rules() -> dict[str, tuple[list[str], list[str]]]:
    """The Makefile's rules: target -> (prerequisites, recipe lines)."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current = None
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("\t") and current is not None:
            rules[current][1].append(line.strip())
            continue
        m = re.match(r"^([A-Za-z0-9_./$()-]+):(?!=)\s*([^#]*)", line)
        if m:  # normal and order-only prerequisites alike
            current = m.group(1)
            rules[current] = (m.group(2).replace("|", " ").split(), [])
        elif line and not line.startswith("#"):
            current = None
    return rules


def _recipe(target: str) -> str:
    """Every command ``make target`` runs, its prerequisites' included."""
    rules = _make_rules()
    seen: list[str] = []

    def walk(t: str) -> None:
        if t in seen or t not in rules:
            return
        seen.append(t)
        for pre in rules[t][0]:
            walk(pre)

    walk(target)
    return "\n".join(line for t in seen for line in rules[t][1])


def test_make_targets_do_what_the_pages_say():
    rules = _make_rules()
    phony = rules[".PHONY"][0]
    for target in ("demo", "test", "test-all", "lint", "typecheck", "bench", "docs", "clean"):
        assert target in phony, target
    demo = _recipe("demo")
    assert "-m venv" in demo
    assert ".[finance]" in demo
    assert "statcraft case-studies run --all" in demo, (
        "Getting started says `make demo` runs `statcraft case-studies run --all`"
    )
    test = _recipe("test")
    assert ".[dev]" in test
    for tool in ("ruff check", "ruff format --check", "mypy", "pytest", '-m "not slow"'):
        assert tool in test, tool
    # "a strict build of this documentation site (its case-study pages made from quick-mode
    # runs of every study), a browser test ... in headless Chromium"
    assert "mkdocs build --strict" in test
    assert "statcraft case-studies run --all --quick" in test
    assert "chromium" in test
    assert "not slow" not in _recipe("test-all")
    assert "mkdocs build --strict" in _recipe("docs")
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _statcraft(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statcraft.cli", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_the_statcraft_command_as_described():
    from statcraft import cli

    assert (cli.EXIT_OK, cli.EXIT_STUDY_FAILED, cli.EXIT_USAGE) == (0, 1, 2)
    listing = _statcraft("case-studies", "list")
    assert listing.returncode == 0
    assert len(listing.stdout.strip().splitlines()) == 7  # "the seven studies"
    helptext = _statcraft("case-studies", "run", "--help").stdout
    for option in ("--all", "--quick", "--out", "--seed"):
        assert option in helptext, option
    unknown = _statcraft("case-studies", "run", "no_such_study")
    assert unknown.returncode == 2
    assert "meta_analysis" in unknown.stderr  # the message lists the valid names
    for args in (("datasets", "list"), ("datasets", "show", "lung"), ("--help",)):
        assert _statcraft(*args).returncode == 0, args
    # the names the page uses to select studies are accepted
    from case_studies import CASE_STUDIES

    slugs = {s.slug for s in CASE_STUDIES}
    assert {"meta_analysis", "sharpe_ratio"} <= slugs
    assert {s.domain for s in CASE_STUDIES} == {"finance", "healthcare"}


# -- developer notes and architecture: every name they mention exists ---------------------------


def _resolve(dotted: str) -> Any:
    """Import the longest module prefix of ``dotted`` and get the rest as attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


@pytest.mark.parametrize("page", ["architecture.md", "developer.md", "getting_started.md"])
def test_dotted_names_exist(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    names = set(re.findall(r"`((?:statcraft|case_studies)(?:\.\w+)+)", text))
    assert names or page == "getting_started.md"
    for name in sorted(names):
        _resolve(name)


@pytest.mark.parametrize("page", ["architecture.md", "developer.md"])
def test_paths_exist(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    # paths written as `some/path.py` or `some/folder/`, relative to the repository root
    for path in set(
        re.findall(
            r"`((?:src|tests|case_studies|benchmarks|docs|examples|build|\.ci)"
            r"/[\w./<>-]*)`",
            text,
        )
    ):
        if "<" in path:
            continue
        assert (ROOT / path).exists(), path


def test_architecture_lists_the_real_result_fields():
    from statcraft.results import BootstrapResult, Estimate, TestResult

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert "standard_error" not in text  # the field is std_error
    for cls in (Estimate, TestResult, BootstrapResult):
        start = text.index(f"- `{cls.__name__}`: ")
        end = min(text.find(sep, start + 1) % len(text) for sep in ("\n- ", "\n\n"))
        line = text[start:end]  # the whole bullet
        for field in dataclasses.fields(cls):
            assert f"`{field.name}`" in line, (cls.__name__, field.name)


def test_pages_point_to_nothing_users_lack():
    for page in ("index.md", "getting_started.md", "developer.md", "architecture.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert "shared/" not in text, page
        assert "DESIGN.md" not in text and "STYLE.md" not in text, page
