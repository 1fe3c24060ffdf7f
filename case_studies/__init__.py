"""statcraft's case studies: real questions answered on the bundled data, both ways.

Each study lives in ``case_studies/<domain>/<slug>/`` with a ``README.md`` (the question, the data
and its licence) and a ``study.py`` whose ``main(output_dir, quick=False, seed=...)`` writes
``report.md``, ``figures/*.png`` and ``results.json``. Run them with ``python -m case_studies``.
"""

from __future__ import annotations

STUDIES: dict[str, tuple[str, ...]] = {
    "finance": ("volatility_var", "sharpe_ratio", "factor_model"),
    "healthcare": (
        "hospital_mortality",
        "meta_analysis",
        "lung_cancer_survival",
        "breast_cancer_diagnosis",
    ),
}
"""The studies of each domain, in the order they run."""

__all__ = ["STUDIES"]
