"""The `statcraft` command, end to end in subprocesses, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import case_studies
import pytest
from case_studies import CASE_STUDIES

STATCRAFT = [sys.executable, "-m", "statcraft.cli"]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    # from another folder than the checkout: `python -m` puts the working directory first on
    # sys.path, which would hide a PYTHONPATH package behind the checkout's case_studies/
    return subprocess.run(
        [*STATCRAFT, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
        cwd=cwd or tempfile.gettempdir(),
        timeout=300,
        check=False,
    )


def test_case_studies_list_names_all_seven_with_their_question() -> None:
    result = run("case-studies", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(CASE_STUDIES) == 7
    for line, study in zip(lines, CASE_STUDIES, strict=True):
        assert line.startswith(study.name)
        assert line.rstrip().endswith(study.question)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("case-studies", "--help"),
        ("case-studies", "run", "--help"),
        ("datasets", "show", "--help"),
    ],
)
def test_help_everywhere(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: statcraft")


def test_unknown_study_is_a_usage_error_listing_the_valid_names() -> None:
    result = run("case-studies", "run", "sharpe", "--quick")
    assert result.returncode == 2
    assert "unknown case study: sharpe" in result.stderr
    for study in CASE_STUDIES:
        assert study.slug in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("case-studies", "run"), "name the studies to run, or pass --all"),
        (("case-studies", "run", "sharpe_ratio", "--all"), "not both"),
        (("case-studies", "run", "--seed", "x"), "invalid int value"),
        (("case-studies",), "required"),
        (("datasets", "show", "nope"), "unknown data set: nope; valid names: wti"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_datasets_list_and_show() -> None:
    listing = run("datasets", "list")
    assert listing.returncode == 0
    assert "surgical" in listing.stdout
    assert "12 × 3" in listing.stdout  # 12 hospitals, 3 columns (BUGS Surgical)
    show = run("datasets", "show", "surgical", "--rows", "3")
    assert show.returncode == 0
    assert "Spiegelhalter" in show.stdout  # provenance
    assert "licence" in show.stdout
    assert "12 rows × 3 columns" in show.stdout
    assert "n_operations" in show.stdout  # the head of the table
    assert " 47 " in show.stdout and "148" in show.stdout and "810" not in show.stdout


def test_run_one_study_in_quick_mode(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = run("case-studies", "run", "meta_analysis", "--quick", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = out / "healthcare" / "meta_analysis"
    for name in ("report.md", "report.html", "results.json"):
        assert (report / name).is_file(), name
    saved = json.loads((report / "results.json").read_text())
    # progress: the study's stages and each Bayesian fit with its gate, as they happen
    assert "[1/1] healthcare/meta_analysis" in result.stdout
    assert "pooling the beta-blocker trials" in result.stdout
    assert result.stdout.count("· fitting MetaAnalysis") == len(saved["convergence"]) == 3
    assert "convergence gate passed" in result.stdout
    # the summary table: status, fits, headline, where the report is
    assert "ok" in result.stdout and "3/3 passed" in result.stdout
    assert saved["headlines"][0]["value"] in result.stdout
    assert "report.html" in result.stdout
    index = out / "index.html"
    assert f"Open {index.resolve().as_uri()}" in result.stdout
    page = index.read_text()
    assert 'href="healthcare/meta_analysis/report.html"' in page
    assert f'src="healthcare/meta_analysis/{saved["key_figure"]}"' in page
    html = (report / "report.html").read_text()
    assert "<math" in html and "$$" not in html  # maths typeset as MathML
    assert html.count("<img ") == len(saved["figures"])


FAKE_STUDIES = '''
import sys
from pathlib import Path

# the real package's modules (_html, _report, CaseStudy) stay reachable
__path__.append({real!r})
exec(compile(Path({real!r}, "__init__.py").read_text(), "case_studies", "exec"))

CASE_STUDIES = (
    CaseStudy("demo", "broken", "Does one failure stop the others?"),
    CaseStudy("demo", "tiny", "Does a study after a failure still run?"),
)
STUDIES = {{"demo": ("broken", "tiny")}}
'''

BROKEN = '''
def main(output_dir, quick=False, seed=1):
    print("    about to fail")
    raise RuntimeError("boom: this study is broken on purpose")
'''

TINY = '''
import matplotlib.pyplot as plt

from case_studies._report import Report, fmt


def main(output_dir, quick=False, seed=1):
    report = Report("A tiny study", output_dir, seed=seed, quick=quick)
    report.step("drawing")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set(title="a line", xlabel="x (units)", ylabel="y (units)")
    report.figure(fig, "line", "A line")
    report.headline("the answer", fmt(42))
    report.key_figure("line")
    return report.finish()
'''


def test_a_failing_study_does_not_stop_the_others(tmp_path: Path) -> None:
    fake = tmp_path / "fake" / "case_studies"
    real = Path(case_studies.__file__).parent
    for folder in (fake / "demo" / "broken", fake / "demo" / "tiny"):
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
    (fake / "__init__.py").write_text(textwrap.dedent(FAKE_STUDIES.format(real=str(real))))
    (fake / "demo" / "__init__.py").write_text("")
    (fake / "demo" / "broken" / "study.py").write_text(BROKEN)
    (fake / "demo" / "tiny" / "study.py").write_text(TINY)
    out = tmp_path / "reports"
    result = run(
        "case-studies", "run", "--all", "--out", str(out), env={"PYTHONPATH": str(fake.parent)}
    )
    assert result.returncode == 1
    assert "[1/2] demo/broken FAILED" in result.stdout
    assert "[2/2] demo/tiny done" in result.stdout
    assert "demo/broken failed:" in result.stderr
    assert "RuntimeError: boom: this study is broken on purpose" in result.stderr
    assert "1 of 2 studies ran" in result.stdout
    assert (out / "demo" / "tiny" / "report.html").is_file()
    index = (out / "index.html").read_text()
    assert "A tiny study" in index and "broken" not in index
    assert "42" in index
