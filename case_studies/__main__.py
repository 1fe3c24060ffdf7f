"""Run the case studies: ``python -m case_studies [DOMAIN ...] [--quick] [--out DIR]``.

Examples
--------
``python -m case_studies`` runs every study in full mode and writes ``reports/<domain>/<slug>/``;
``python -m case_studies finance --quick --out /tmp/reports`` runs the finance studies quickly;
``--only sharpe_ratio`` picks one study by its name.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from case_studies import STUDIES


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m case_studies",
        description="Run statcraft's case studies on the bundled data and write their reports.",
    )
    parser.add_argument(
        "domains",
        nargs="*",
        metavar="DOMAIN",
        help=f"which domains to run ({', '.join(STUDIES)}); all when none is given",
    )
    parser.add_argument("--quick", action="store_true", help="short runs (about a minute each)")
    parser.add_argument("--out", default="reports", help="output folder (default: reports)")
    parser.add_argument("--seed", type=int, default=None, help="override each study's seed")
    parser.add_argument("--only", nargs="+", default=None, metavar="SLUG", help="run these only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the selected studies; return 0 when all of them wrote their reports."""
    args = _parse(argv)
    # Third-party chatter that says nothing about the results: PyTensor without a BLAS it can
    # link (it falls back to numpy's), and NUTS's mass-matrix adaptation overflowing in its
    # first steps. statcraft's own warnings (ConvergenceWarning above all) stay visible.
    warnings.filterwarnings("ignore", message="PyTensor could not link to a BLAS")
    warnings.filterwarnings(
        "ignore", message="overflow encountered", category=RuntimeWarning, module="pymc"
    )
    unknown = [d for d in args.domains if d not in STUDIES]
    if unknown:
        print(f"unknown domain(s): {', '.join(unknown)}; choose from {', '.join(STUDIES)}")
        return 2
    domains = args.domains or list(STUDIES)
    selected = [(d, s) for d in domains for s in STUDIES[d] if not args.only or s in args.only]
    if not selected:
        print(f"no study matches --only {' '.join(args.only)}")
        return 2
    out = Path(args.out)
    mode = "quick" if args.quick else "full"
    print(f"Running {len(selected)} case stud{'y' if len(selected) == 1 else 'ies'} ({mode} mode)")
    start = time.perf_counter()
    for i, (domain, slug) in enumerate(selected, 1):
        module = importlib.import_module(f"case_studies.{domain}.{slug}.study")
        target = out / domain / slug
        print(f"[{i}/{len(selected)}] {domain}/{slug}", flush=True)
        t0 = time.perf_counter()
        kwargs = {} if args.seed is None else {"seed": args.seed}
        module.main(target, quick=args.quick, **kwargs)
        took = time.perf_counter() - t0
        print(f"[{i}/{len(selected)}] done in {took:.1f} s → {target / 'report.md'}")
    print(f"All done in {time.perf_counter() - start:.1f} s; reports under {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
