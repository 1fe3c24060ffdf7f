"""Choosing and running the NUTS backend: PyMC's own, or nutpie/numpyro when installed.

``sampler="auto"`` uses PyMC's sampler: on this project's reference machine (2 cores, PyTensor
C backend with its compile cache) it was the fastest whole-fit option for the templates'
sizes, because nutpie's and numpyro's per-model compilation (numba/JAX) costs more than the
sampling it saves on small models (benchmarks/README.md has the measurements). Ask for
``sampler="nutpie"`` or ``"numpyro"`` explicitly (``pip install statcraft[fast]``) for large
models, where their faster gradient evaluation pays for the compilation.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from statcraft._validation import check_choice

__all__ = ["SAMPLERS", "resolve_sampler", "run_nuts"]

SAMPLERS = ("auto", "pymc", "nutpie", "numpyro")
_MODULE = {"nutpie": "nutpie", "numpyro": "numpyro"}


def resolve_sampler(sampler: Any) -> str:
    """Return the backend to use; a clear ImportError when an optional one is missing."""
    sampler = check_choice(sampler, "sampler", SAMPLERS)
    if sampler == "auto":
        return "pymc"
    if sampler in _MODULE and importlib.util.find_spec(_MODULE[sampler]) is None:
        raise ImportError(
            f"sampler={sampler!r} needs the optional package {_MODULE[sampler]!r}; install it "
            f"with `pip install 'statcraft[fast]'` (or `pip install {_MODULE[sampler]}`), or "
            "use sampler='pymc'"
        )
    return sampler


def run_nuts(
    model: Any,
    *,
    draws: int,
    tune: int,
    chains: int,
    cores: int | None,
    sampler: str,
    target_accept: float,
    seed: int,
    progressbar: bool,
) -> Any:
    """Run NUTS on ``model`` and return the InferenceData (PyMC's own checks are skipped)."""
    import pymc as pm

    backend = resolve_sampler(sampler)
    kwargs: dict[str, Any] = {
        "draws": draws,
        "tune": tune,
        "chains": chains,
        "random_seed": seed,
        "progressbar": progressbar,
        "target_accept": target_accept,
        "nuts_sampler": backend,
        "compute_convergence_checks": False,
        "return_inferencedata": True,
    }
    if cores is not None:
        kwargs["cores"] = cores
    pymc_logger = logging.getLogger("pymc")
    level = pymc_logger.level
    if not progressbar:
        pymc_logger.setLevel(logging.WARNING)
    try:
        with model:
            return pm.sample(**kwargs)
    finally:
        pymc_logger.setLevel(level)
