"""The report every case study writes: ``report.md``, ``figures/*.png`` and ``results.json``.

A study builds its report in the order a reader follows (question → data → models → fits and
diagnostics → what we learned) and never types a number into the text: every number comes from a
computed value formatted here. :meth:`Report.finish` appends what every report must end with —
the convergence report of each Bayesian fit, the wall time, and the versions and seed used — and
writes the three outputs.
"""

from __future__ import annotations

import json
import math
import platform
import time
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Report", "fmt", "fmt_ci", "fmt_p", "markdown_table", "to_jsonable"]

_VERSIONS = ("statcraft", "numpy", "scipy", "pandas", "pymc", "arviz", "matplotlib", "arch")


def fmt(value: Any, digits: int = 3) -> str:
    """Format a number for the text: ``digits`` significant digits, NaN as 'n/a'."""
    if value is None:
        return "n/a"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{int(value):,}"
    x = float(value)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x != 0 and (abs(x) >= 10 ** (digits + 3) or abs(x) < 10 ** -(digits + 1)):
        return f"{x:.{digits - 1}e}"
    text = f"{x:#.{digits}g}"
    return text.rstrip(".") if "e" not in text else text


def fmt_ci(interval: Sequence[float], digits: int = 3) -> str:
    """Format an interval as ``[low, high]``."""
    low, high = interval
    return f"[{fmt(low, digits)}, {fmt(high, digits)}]"


def fmt_p(p: float) -> str:
    """Format a p-value: '< 0.0001' below that, else three significant digits."""
    if p is None or math.isnan(float(p)):
        return "n/a"
    return "< 0.0001" if p < 1e-4 else fmt(p, 3)


def p_is(p: float, label: str = "p") -> str:
    """Format a p-value for a sentence: 'p = 0.0123', or 'p < 0.0001' for tiny ones."""
    text = fmt_p(p)
    return f"{label} {text}" if text.startswith("<") else f"{label} = {text}"


def fmt_probability(p: float, n_draws: int) -> str:
    """Format '= p' for a share of posterior draws; 0 and 1 become bounds (none/all draws).

    A share of 1 out of 4000 draws is not a probability of 1: it says "> 0.99975".
    """
    if p >= 1.0:
        return f"> {fmt(1 - 1 / n_draws, 4)} (all {fmt(n_draws)} draws)"
    if p <= 0.0:
        return f"< {fmt(1 / n_draws, 2)} (no draw of {fmt(n_draws)})"
    return f"= {fmt(p, 3)}"


def child_seeds(seed: int, stages: Sequence[str]) -> dict[str, int]:
    """Derive one integer seed per named random stage from a study's ``seed``.

    Each stage gets its own stream, so changing the effort of one stage (more draws, more
    resamples) leaves the others' random numbers as they were.
    """
    values = np.random.default_rng(seed).integers(0, 2**31 - 1, size=len(stages))
    return {name: int(v) for name, v in zip(stages, values, strict=True)}


def to_jsonable(value: Any) -> Any:
    """Convert numpy, pandas and dataclass-like values into plain JSON types (NaN → None)."""
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return None if math.isnan(x) or math.isinf(x) else x
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    return value


def markdown_table(frame: pd.DataFrame, digits: int = 3, index: bool = False) -> str:
    """Render a DataFrame as a GitHub-flavoured Markdown table (numbers via :func:`fmt`)."""
    df = frame.reset_index() if index else frame
    header = "| " + " | ".join(str(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = []
    for record in df.itertuples(index=False):
        cells = []
        for v in record:
            if isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool):
                cells.append(fmt(v, digits))
            else:
                cells.append(str(v))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])


class Report:
    """A case-study report under construction.

    Parameters
    ----------
    title : str
        The report's title (its first heading).
    output_dir : path-like
        Where ``report.md``, ``figures/`` and ``results.json`` are written (created if needed).
    seed : int
        The seed the study used (recorded at the end).
    quick : bool
        Whether the study ran in quick mode (recorded, and stated at the top of the report).
    """

    def __init__(self, title: str, output_dir: str | Path, *, seed: int, quick: bool) -> None:
        self.title = title
        self.output_dir = Path(output_dir)
        self.figures_dir = self.output_dir / "figures"
        self.figures_dir.mkdir(parents=True, exist_ok=True)
        self.seed = seed
        self.quick = quick
        self.results: dict[str, Any] = {}
        self._lines: list[str] = [f"# {title}", ""]
        if quick:
            self._lines += [
                "> Quick mode: shorter samples, fewer refits and draws than the full study; the "
                "numbers show the method, not the final answer. Run without `--quick` for those.",
                "",
            ]
        self._glance_at = len(self._lines)  # "At a glance" goes here, once the numbers exist
        self._fits: list[tuple[str, Any]] = []
        self._headlines: list[dict[str, str]] = []
        self._key_figure: str | None = None
        self._start = time.perf_counter()

    def step(self, message: str) -> None:
        """Print a progress line (elapsed seconds and the stage) so long runs show progress."""
        elapsed = time.perf_counter() - self._start
        print(f"    [{elapsed:6.1f} s] {message}", flush=True)

    # -- text ---------------------------------------------------------------------------------
    def section(self, title: str, level: int = 2) -> None:
        """Start a section."""
        self._lines += [f"{'#' * level} {title}", ""]

    def text(self, *paragraphs: str) -> None:
        """Add paragraphs of Markdown (each separated by a blank line)."""
        for p in paragraphs:
            self._lines += [p.strip(), ""]

    def bullets(self, items: Iterable[str]) -> None:
        """Add a bulleted list."""
        self._lines += [f"- {item}" for item in items] + [""]

    def math(self, latex: str) -> None:
        """Add a display equation."""
        self._lines += ["$$", latex.strip(), "$$", ""]

    def table(self, frame: pd.DataFrame, *, caption: str | None = None, digits: int = 3) -> None:
        """Add a table; numbers are formatted to ``digits`` significant digits."""
        if caption:
            self._lines += [f"*{caption}*", ""]
        self._lines += [markdown_table(frame, digits), ""]

    def figure(self, fig: Any, name: str, caption: str) -> Path:
        """Save a matplotlib figure as ``figures/<name>.png``, link it, and close it."""
        import matplotlib.pyplot as plt

        path = self.figures_dir / f"{name}.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")
        plt.close(fig)
        self._lines += [f"![{caption}](figures/{name}.png)", "", f"*{caption}*", ""]
        return path

    def two_views(self, rows: Sequence[Mapping[str, str]]) -> None:
        """Add the "Two views" table: one row per question, frequentist beside Bayesian."""
        self.section("Two views")
        frame = pd.DataFrame(rows, columns=["question", "frequentist", "Bayesian"])
        self._lines += [markdown_table(frame), ""]

    def add_fit(self, name: str, model: Any) -> None:
        """Record a fitted Bayesian model, so its convergence report ends the report."""
        self._fits.append((name, model))
        report = model.convergence
        if report is not None:
            self.results.setdefault("convergence", {})[name] = to_jsonable(report.to_dict())

    def headline(self, label: str, value: str) -> None:
        """Record a headline number for "At a glance", the run's summary and ``index.html``.

        The headline numbers are listed under the report's title, in the summary table of
        ``statcraft case-studies run`` and on the cards of ``index.html``.

        ``value`` is already formatted (with :func:`fmt`, :func:`fmt_ci`, ...) from a computed
        result, like every number in the report.
        """
        self._headlines.append({"label": label, "value": value})

    def key_figure(self, name: str) -> None:
        """Choose the figure (by its name in :meth:`figure`) that represents the study."""
        self._key_figure = name

    # -- output -------------------------------------------------------------------------------
    def _convergence_section(self) -> None:
        self.section("Convergence of the Bayesian fits")
        if not self._fits:
            self.text("This study fitted no Bayesian model.")
            return
        rows = []
        for name, model in self._fits:
            d = model.convergence.to_dict()
            rows.append(
                {
                    "fit": name,
                    "gate": "passed" if d["passed"] else "FAILED",
                    "chains × draws": f"{d['chains']} × {d['draws']}",
                    "max r_hat": d["max_r_hat"],
                    "min ESS bulk": d["min_ess_bulk"],
                    "min ESS tail": d["min_ess_tail"],
                    "divergences": d["divergences"],
                    "min E-BFMI": min(d["bfmi"]) if d["bfmi"] else float("nan"),
                }
            )
        t = self._fits[0][1].convergence.thresholds
        self.text(
            "Every posterior passes through statcraft's convergence gate (rank-normalised "
            f"r_hat ≤ {t.rhat_max}, bulk and tail ESS ≥ {t.ess_min_per_chain:.0f} per chain, at "
            f"most {t.max_divergences} divergences, E-BFMI ≥ {t.bfmi_min}; for long latent "
            f"vectors {t.latent_fraction:.0%} of the elements must pass and none may exceed "
            f"r_hat {t.latent_rhat_max}). A fit that fails is reported here as FAILED, never "
            "presented as clean."
        )
        self.table(pd.DataFrame(rows), digits=4)
        for name, model in self._fits:
            for problem in model.convergence.problems:
                self.text(f"**{name}**: {problem}")
            for note in model.convergence.notes:
                self.text(f"*{name}* (note): {note}")

    def finish(self) -> dict[str, Any]:
        """Write ``report.md`` and ``results.json``; return the results dict."""
        self._convergence_section()
        if self._headlines:
            glance = ["## At a glance", ""]
            glance += [f"- {h['label']}: **{h['value']}**" for h in self._headlines]
            self._lines[self._glance_at : self._glance_at] = [*glance, ""]
        wall = time.perf_counter() - self._start
        versions = {}
        for pkg in _VERSIONS:
            try:
                versions[pkg] = metadata.version(pkg)
            except metadata.PackageNotFoundError:
                versions[pkg] = "not installed"
        self.section("Reproducibility")
        self.bullets(
            [
                f"wall time: {wall:.1f} s ({'quick' if self.quick else 'full'} mode)",
                f"seed: {self.seed}",
                f"Python {platform.python_version()} on {platform.system()} {platform.machine()}",
                "versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
            ]
        )
        figures = sorted(p.name for p in self.figures_dir.glob("*.png"))
        if self._key_figure is not None and f"{self._key_figure}.png" not in figures:
            raise ValueError(f"key figure {self._key_figure!r} was not written by the study")
        self.results.update(
            {
                "title": self.title,
                "headlines": self._headlines,
                "key_figure": None
                if self._key_figure is None
                else f"figures/{self._key_figure}.png",
                "quick": self.quick,
                "seed": self.seed,
                "wall_time_s": wall,
                "versions": versions,
                "figures": figures,
            }
        )
        (self.output_dir / "report.md").write_text("\n".join(self._lines).rstrip() + "\n")
        (self.output_dir / "results.json").write_text(
            json.dumps(to_jsonable(self.results), indent=2, allow_nan=False) + "\n"
        )
        return self.results
