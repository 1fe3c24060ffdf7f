"""statcraft's case studies: real questions answered on the bundled data, both ways.

Each study lives in ``case_studies/<domain>/<slug>/`` with a ``README.md`` (the question, the data
and its licence) and a ``study.py`` whose ``main(output_dir, quick=False, seed=...)`` writes
``report.md``, ``figures/*.png`` and ``results.json``. Run them with
``statcraft case-studies run`` (or ``python -m case_studies``), which also writes each report as
``report.html`` and links them all from ``index.html``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CaseStudy:
    """One case study: where it lives and the question it answers."""

    domain: str
    slug: str
    question: str

    @property
    def name(self) -> str:
        """``<domain>/<slug>``, the study's folder under ``case_studies/`` and ``reports/``."""
        return f"{self.domain}/{self.slug}"

    def run(self, output_dir: str | Path, *, quick: bool = False, seed: int | None = None) -> Any:
        """Run the study's ``main`` (its own default seed unless ``seed`` is given)."""
        module = importlib.import_module(f"case_studies.{self.domain}.{self.slug}.study")
        kwargs = {} if seed is None else {"seed": seed}
        return module.main(output_dir, quick=quick, **kwargs)


CASE_STUDIES: tuple[CaseStudy, ...] = (
    CaseStudy(
        "finance",
        "volatility_var",
        "How much can WTI crude oil lose in a day, and which volatility model gives honest "
        "VaR and ES?",
    ),
    CaseStudy(
        "finance",
        "sharpe_ratio",
        "Did any US industry earn a higher Sharpe ratio than the market, 1949–2017?",
    ),
    CaseStudy(
        "finance",
        "factor_model",
        "Do industries earn alpha beyond the market, size, value and momentum factors?",
    ),
    CaseStudy(
        "healthcare",
        "hospital_mortality",
        "Which of twelve hospitals has unusual infant cardiac-surgery mortality?",
    ),
    CaseStudy(
        "healthcare",
        "meta_analysis",
        "Do beta-blockers after a heart attack save lives, and does latitude explain why the "
        "BCG trials disagree?",
    ),
    CaseStudy(
        "healthcare",
        "lung_cancer_survival",
        "Do sex and performance status predict survival in advanced lung cancer?",
    ),
    CaseStudy(
        "healthcare",
        "breast_cancer_diagnosis",
        "How well, and how honestly calibrated, do cell-nucleus measurements predict malignancy?",
    ),
)
"""Every case study, in the order they run."""

STUDIES: dict[str, tuple[str, ...]] = {
    domain: tuple(s.slug for s in CASE_STUDIES if s.domain == domain)
    for domain in dict.fromkeys(s.domain for s in CASE_STUDIES)
}
"""The studies of each domain, in the order they run."""

__all__ = ["CASE_STUDIES", "STUDIES", "CaseStudy"]
