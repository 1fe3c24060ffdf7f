"""The ``statcraft`` command: run the case studies and look at the bundled data.

Usage::

    statcraft case-studies list
    statcraft case-studies run [NAME ...|--all] [--quick] [--out DIR] [--seed N]
    statcraft datasets list
    statcraft datasets show NAME [--rows N]

``NAME`` is a study's name (``sharpe_ratio``), its ``domain/name`` or a whole domain
(``finance``). ``run`` shows each study's progress as it goes (its stages and every Bayesian fit,
with the fit's convergence gate), keeps going when a study fails, then prints a summary table
(wall time, the convergence of every Bayesian fit, the headline number, where the report is) and
the errors of the studies that failed. It writes each report as ``report.md`` and
``report.html`` with its figures, and ``index.html`` in the output folder linking them all.

Exit codes: 0 when everything asked for ran, 1 when a study failed, 2 for a usage error (an
unknown study or data-set name, a bad option), with the valid choices in the message.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from case_studies import CaseStudy

__all__ = ["main"]

EXIT_OK = 0
EXIT_STUDY_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A command-line mistake the user can fix (exit code 2)."""


# -- case studies ----------------------------------------------------------------------------


def _select(names: Sequence[str], run_all: bool) -> list[CaseStudy]:
    """Return the studies that ``names`` (slugs, domain/slug, domains) or ``--all`` pick."""
    from case_studies import CASE_STUDIES

    if run_all or not names:
        if names:
            raise UsageError("give study names or --all, not both")
        if not run_all:
            raise UsageError(
                "name the studies to run, or pass --all; valid names: " + _valid_names()
            )
        return list(CASE_STUDIES)
    chosen: list[CaseStudy] = []
    unknown = []
    for name in names:
        matches = [s for s in CASE_STUDIES if name in (s.slug, s.name, s.domain)]
        if not matches:
            unknown.append(name)
        chosen += [s for s in matches if s not in chosen]
    if unknown:
        raise UsageError(
            f"unknown case stud{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)}; "
            f"valid names: {_valid_names()}"
        )
    return [s for s in CASE_STUDIES if s in chosen]


def _valid_names() -> str:
    from case_studies import CASE_STUDIES, STUDIES

    return ", ".join([s.slug for s in CASE_STUDIES] + list(STUDIES))


@dataclass
class _Outcome:
    """What one study's run left: its status, time, fits and where its report is."""

    study: CaseStudy
    folder: Path
    seconds: float = 0.0
    error: str | None = None
    fits: list[tuple[str, bool]] = field(default_factory=list)
    headline: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


class _FitLines(logging.Handler):
    """Print each Bayesian fit's start and outcome under the study's stage, and count them."""

    def __init__(self, out: TextIO, outcome: _Outcome) -> None:
        super().__init__(logging.INFO)
        self.out, self.outcome = out, outcome

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if " fitted in " in message:
            name = message.split(" fitted in ", 1)[0]
            self.outcome.fits.append((name, message.endswith("passed")))
        print(f"{'':15}· {message}", file=self.out, flush=True)


def _quiet_third_party_warnings() -> None:
    """Hide chatter that says nothing about the results; statcraft's own warnings stay."""
    # PyTensor without a BLAS it can link (it falls back to numpy's), and NUTS's mass-matrix
    # adaptation overflowing in its first steps.
    warnings.filterwarnings("ignore", message="PyTensor could not link to a BLAS")
    warnings.filterwarnings(
        "ignore", message="overflow encountered", category=RuntimeWarning, module="pymc"
    )


def _run_one(study: CaseStudy, out: Path, *, quick: bool, seed: int | None) -> _Outcome:
    from case_studies._html import render_report

    folder = out / study.domain / study.slug
    outcome = _Outcome(study, folder)
    start = time.perf_counter()
    handler = _FitLines(sys.stdout, outcome)
    logger = logging.getLogger("statcraft.bayes")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        results = study.run(folder, quick=quick, seed=seed)
        render_report(folder, index_href="../../index.html")
        headlines = results.get("headlines") or []
        if headlines:
            outcome.headline = f"{headlines[0]['label']}: {headlines[0]['value']}"
    except Exception:
        outcome.error = traceback.format_exc()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        outcome.seconds = time.perf_counter() - start
    return outcome


def _fits_text(fits: Sequence[tuple[str, bool]]) -> str:
    if not fits:
        return "none"
    failed = Counter(name for name, passed in fits if not passed)
    text = f"{len(fits) - failed.total()}/{len(fits)} passed"
    if failed:
        names = ", ".join(name if k == 1 else f"{name} ×{k}" for name, k in failed.items())
        text += f"; FAILED the gate: {names}"
    return text


def _summary(outcomes: Sequence[_Outcome], out: Path) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Case studies", box=box.SIMPLE_HEAVY, show_lines=False)
    for column in ("study", "status", "time", "Bayesian fits", "headline", "report"):
        table.add_column(column, overflow="fold", no_wrap=column == "study")
    for o in outcomes:
        report = o.folder / "report.html"
        table.add_row(
            o.study.name,
            "ok" if o.ok else "FAILED",
            f"{o.seconds:.0f} s",
            _fits_text(o.fits),
            o.headline if o.ok else "—",
            os.path.relpath(report) if report.exists() else "—",
        )
    width = None if sys.stdout.isatty() else 160
    Console(file=sys.stdout, width=width, highlight=False).print(table)


def _write_index(out: Path) -> Path | None:
    """(Re)write ``index.html`` over every study whose report is in ``out``."""
    from case_studies import CASE_STUDIES
    from case_studies._html import ReportEntry, write_index

    entries = [
        ReportEntry.read(out / s.domain / s.slug, s.domain, s.slug)
        for s in CASE_STUDIES
        if (out / s.domain / s.slug / "results.json").exists()
        and (out / s.domain / s.slug / "report.html").exists()
    ]
    return write_index(out, entries) if entries else None


def _cmd_case_studies_list(args: argparse.Namespace) -> int:
    from case_studies import CASE_STUDIES

    width = max(len(s.name) for s in CASE_STUDIES)
    for s in CASE_STUDIES:
        print(f"{s.name:<{width}}  {s.question}")
    return EXIT_OK


def _cmd_case_studies_run(args: argparse.Namespace) -> int:
    selected = _select(args.names, args.all)
    os.environ.setdefault("MPLBACKEND", "Agg")
    _quiet_third_party_warnings()
    out = Path(args.out)
    mode = "quick" if args.quick else "full"
    n = len(selected)
    print(f"Running {n} case stud{'y' if n == 1 else 'ies'} in {mode} mode → {out}/", flush=True)
    start = time.perf_counter()
    outcomes = []
    for i, study in enumerate(selected, 1):
        print(f"[{i}/{n}] {study.name}: {study.question}", flush=True)
        outcome = _run_one(study, out, quick=args.quick, seed=args.seed)
        status = "done" if outcome.ok else "FAILED"
        print(f"[{i}/{n}] {study.name} {status} in {outcome.seconds:.1f} s", flush=True)
        outcomes.append(outcome)
    index = _write_index(out)
    print()
    _summary(outcomes, out)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(f"\n{o.study.name} failed:\n{o.error}", file=sys.stderr)
    total = time.perf_counter() - start
    print(f"{n - len(failed)} of {n} studies ran in {total:.0f} s.")
    if index is not None:
        print(f"Open {index.resolve().as_uri()} to read the reports.")
    return EXIT_STUDY_FAILED if failed else EXIT_OK


# -- data sets -------------------------------------------------------------------------------


def _cmd_datasets_list(args: argparse.Namespace) -> int:
    from statcraft.datasets import list_datasets

    table = list_datasets()
    width = int(table["name"].str.len().max())
    for row in table.itertuples(index=False):
        shape = f"{row.rows} × {row.columns}"
        print(f"{row.name:<{width}}  {shape:>11}  {row.description}")
    print("\n`statcraft datasets show NAME` prints a data set's provenance and first rows.")
    return EXIT_OK


def _cmd_datasets_show(args: argparse.Namespace) -> int:
    import pandas as pd

    import statcraft.datasets as ds

    table = ds.list_datasets().set_index("name")
    if args.name not in table.index:
        raise UsageError(f"unknown data set: {args.name}; valid names: {', '.join(table.index)}")
    info = table.loc[args.name]
    loader = getattr(ds, str(info["loader"]))
    frame = loader()
    summary = (loader.__doc__ or "").strip().split("\n\n", 1)[0]
    print(f"{args.name}: {info['description']}")
    print(f"  loader   statcraft.datasets.{info['loader']}()  — {' '.join(summary.split())}")
    print(f"  source   {info['source']}")
    print(f"  licence  {info['licence']}")
    rows, cols = frame.shape
    index = f", indexed by {frame.index.name}" if frame.index.name else ""
    print(f"  shape    {rows} row{'s' * (rows != 1)} × {cols} column{'s' * (cols != 1)}{index}")
    print()
    with pd.option_context("display.width", 120, "display.max_columns", 12):
        print(frame.head(args.rows).to_string(max_cols=12))
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors raise UsageError (exit code 2, message kept)."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="statcraft",
        description="Run statcraft's case studies and look at its bundled data sets.",
        epilog="Exit codes: 0 ok, 1 a case study failed, 2 usage error.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    studies = commands.add_parser(
        "case-studies", help="list or run the case studies", description="The case studies."
    )
    study_commands = studies.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    study_commands.required = True
    listing = study_commands.add_parser("list", help="the studies, each with its question")
    listing.set_defaults(handler=_cmd_case_studies_list)
    run = study_commands.add_parser(
        "run",
        help="run case studies and write their reports",
        description=(
            "Run case studies on the bundled data, with progress, and write each report "
            "(report.md, report.html, figures/, results.json) under OUT/<domain>/<name>/ and "
            "OUT/index.html linking them. A failed study does not stop the others."
        ),
        epilog="Exit codes: 0 all ran, 1 a study failed, 2 usage error (e.g. an unknown name).",
    )
    run.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="studies to run: a name (sharpe_ratio), domain/name, or a domain (finance)",
    )
    run.add_argument("--all", action="store_true", help="run every case study")
    run.add_argument(
        "--quick", action="store_true", help="short runs (fewer draws and resamples), ~1 min each"
    )
    run.add_argument("--out", default="reports", metavar="DIR", help="output folder (reports)")
    run.add_argument(
        "--seed", type=int, default=None, metavar="N", help="seed for every study (its own)"
    )
    run.set_defaults(handler=_cmd_case_studies_run)

    data = commands.add_parser(
        "datasets", help="list or show the bundled data sets", description="The data sets."
    )
    data_commands = data.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    data_commands.required = True
    data_list = data_commands.add_parser("list", help="every data set with its shape")
    data_list.set_defaults(handler=_cmd_datasets_list)
    show = data_commands.add_parser(
        "show", help="a data set's provenance, licence, shape and first rows"
    )
    show.add_argument("name", metavar="NAME", help="the data set (see `statcraft datasets list`)")
    show.add_argument("--rows", type=int, default=5, metavar="N", help="rows to print (5)")
    show.set_defaults(handler=_cmd_datasets_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``statcraft`` command with ``argv`` (default: the process's arguments).

    Returns
    -------
    int
        The exit code: 0 ok, 1 a case study failed, 2 usage error.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        code: int = args.handler(args)
    except UsageError as exc:
        print(f"statcraft: error: {exc}", file=sys.stderr)
        print("Run `statcraft --help` (or `statcraft COMMAND --help`) for usage.", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
