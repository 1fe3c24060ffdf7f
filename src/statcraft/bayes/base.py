"""The template interface: :class:`BayesianModel`, the base of every Bayesian template.

A template is a ready-made PyMC model with named column roles, documented default priors, and
one life cycle::

    model = LinearRegression(outcome="y", predictors=["x1", "x2"], likelihood="student_t")
    idata = model.fit(df, rng=1)          # NUTS, then the convergence gate
    model.summary()                       # tidy table: mean, sd, HDI, r_hat, ESS
    model.predict(new_df, kind="interval")
    model.save("fit.nc"); BayesianModel.load("fit.nc").predict(new_df)

Templates with an outcome also speak :mod:`statcraft.evaluation`'s model protocol —
``fit(X, y)``, ``predict(X)``, ``predict_distribution(X)`` — so :func:`~statcraft.evaluation.
cross_validate`, :func:`~statcraft.evaluation.tune` and walk-forward forecasts score them with
proper scoring rules (CRPS, log score) unchanged.

Writing a template means subclassing :class:`BayesianModel` and implementing four hooks, which
the ABC enforces: ``_prepare`` (validate the data and compute what prediction needs),
``_model`` (build the PyMC model), ``_expected`` and ``_simulate`` (the posterior mean and
posterior predictive draws for rows of new data, in NumPy, so that prediction needs neither
the training data nor a PyMC compilation).
"""

from __future__ import annotations

import copy
import importlib.metadata
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from statcraft._random import as_generator
from statcraft._validation import check_bool, check_choice, check_int, check_probability
from statcraft.bayes import diagnostics as dx
from statcraft.bayes._data import check_frame
from statcraft.bayes._sampling import resolve_sampler, run_nuts
from statcraft.bayes.priors import Prior, merge_priors

# Each fit logs its start and its outcome at INFO level (silent unless the caller configures
# logging): the `statcraft case-studies run` command shows them as progress, one line per fit.
_log = logging.getLogger("statcraft.bayes")

__all__ = ["BayesianModel", "LOOResult", "compare"]

FORMAT = "statcraft-bayes-model"
FORMAT_VERSION = 1
_REGISTRY: dict[str, type[BayesianModel]] = {}
_FIT_DEFAULTS: dict[str, Any] = {
    "draws": 1000,
    "tune": 1000,
    "chains": 4,
    "cores": None,
    "sampler": "auto",
    "target_accept": None,
    "rng": None,
    "on_failure": "warn",
    "progressbar": True,
}

Arrays = dict[str, np.ndarray]
State = dict[str, Any]


def _template_path(cls: type) -> str:
    """``module.QualName`` of a template class: the key files are saved and loaded under."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class BayesianModel(ABC):
    """Base class of the Bayesian templates (abstract: use a template).

    Parameters
    ----------
    priors : dict of str to Prior, optional
        Replacements for some of the template's default priors (``default_priors``); an
        unknown name raises, listing the valid ones.
    **options
        The template's column roles and options, stored as given (they are saved with the
        model and must be JSON-serialisable).

    Attributes
    ----------
    priors : dict of str to Prior
        The priors in use (defaults merged with the user's).
    idata : arviz.InferenceData or None
        The posterior of the last fit (None before :meth:`fit`).
    convergence : ConvergenceReport or None
        The convergence gate's report on the last fit.
    """

    #: Default priors, documented and justified in each template's docstring.
    default_priors: ClassVar[Mapping[str, Prior]] = {}
    #: Support each parameter needs from its prior: 'real', 'positive' or 'unit'.
    prior_support: ClassVar[Mapping[str, str]] = {}
    #: Long vectors of latent states, judged by the gate's fraction rule.
    latent_variables: ClassVar[tuple[str, ...]] = ()
    #: The option that names the outcome column (None: no fit(X, y) protocol).
    outcome_option: ClassVar[str | None] = None
    #: NUTS target acceptance used when ``fit(target_accept=None)``.
    default_target_accept: ClassVar[float] = 0.9
    #: Name of the observed variable in the PyMC model (its prior predictive feeds SBC).
    observed_variable: ClassVar[str] = "y"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            _REGISTRY[_template_path(cls)] = cls

    def __init__(self, *, priors: Mapping[str, Any] | None = None, **options: Any) -> None:
        self._options: dict[str, Any] = dict(options)
        self.priors: dict[str, Prior] = merge_priors(
            self.default_priors, self.prior_support, priors, type(self).__name__
        )
        self.idata: Any = None
        self.convergence: dx.ConvergenceReport | None = None
        self._state: State | None = None
        self._data: pd.DataFrame | None = None
        self._sampler_config: dict[str, Any] = {}

    # ----------------------------------------------------------------- hooks (enforced)
    @abstractmethod
    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        """Validate ``data`` and return its arrays and the state prediction needs.

        ``state is None`` means training: the outcome is required and the state (group
        levels, standardisation constants, ...) is computed from ``data``. Otherwise the
        fitted state is used and the outcome may be absent.
        """

    @abstractmethod
    def _model(self, arrays: Arrays, state: State) -> Any:
        """Build and return the ``pm.Model`` for training arrays."""

    @abstractmethod
    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        """Posterior draws of the expected outcome for each row: shape ``(n_draws, n_rows)``."""

    @abstractmethod
    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        """Posterior predictive draws for each row: shape ``(n_draws, n_rows)``."""

    def _replace_outcome(self, data: pd.DataFrame, simulated: np.ndarray) -> pd.DataFrame:
        """Return a copy of ``data`` whose outcome is ``simulated`` (a prior predictive draw).

        Used by simulation-based calibration. The default writes ``simulated`` into the
        outcome column; templates whose observed variable is not a single column (censored
        times, counts with trials) override it.
        """
        if self.outcome_option is None:
            raise NotImplementedError(
                f"{type(self).__name__} must override _replace_outcome for calibration"
            )
        out = data.copy()
        out[self._options[self.outcome_option]] = np.asarray(simulated).reshape(len(out))
        return out

    def _target_accept(self) -> float:
        """Return the NUTS target acceptance used when none is given.

        ``default_target_accept`` unless an option of the template calls for another.
        """
        return self.default_target_accept

    def _prior_model(self, arrays: Arrays, state: State) -> Any:
        """Return the model to draw prior predictive samples from (default: :meth:`_model`).

        A template whose sampling parametrisation cannot be simulated forwards (a prior
        applied as a potential) returns an equivalent forward form here.
        """
        return self._model(arrays, state)

    def _notes(self, state: State) -> list[str]:
        """Sentences the summary must carry (e.g. that predictors were standardised)."""
        return []

    # ----------------------------------------------------------------- helpers
    @property
    def options(self) -> dict[str, Any]:
        """The template's column roles and options (a copy)."""
        return copy.deepcopy(self._options)

    @property
    def is_fitted(self) -> bool:
        """Whether :meth:`fit` has run (or the model was loaded from a file)."""
        return self.idata is not None

    def _require_fitted(self, what: str) -> State:
        if self.idata is None or self._state is None:
            raise RuntimeError(
                f"{type(self).__name__}.{what}() needs a fitted model; call .fit(data) first "
                "(or BayesianModel.load(path))"
            )
        return self._state

    def _frame(self, data: Any, y: Any) -> pd.DataFrame:
        """Return the DataFrame to use: ``data`` itself, or ``X`` with the outcome ``y`` added."""
        if y is None and isinstance(data, pd.DataFrame):
            return check_frame(data)
        name = self.outcome_option
        if y is not None and name is None:
            raise TypeError(
                f"{type(self).__name__} has no outcome column, so fit(X, y) does not apply; "
                "call fit(data) with a DataFrame"
            )
        if isinstance(data, pd.DataFrame):
            frame = data.copy()
        else:
            predictors = self._options.get("predictors")
            arr = np.asarray(data)
            if not isinstance(predictors, list) or arr.ndim != 2 or arr.shape[1] != len(predictors):
                raise TypeError(
                    f"`X` must be a pandas DataFrame with the predictor columns; got "
                    f"{type(data).__name__} of shape {np.shape(data)}"
                )
            frame = pd.DataFrame(arr, columns=predictors)
        check_frame(frame, "X")
        if y is not None and name is not None:
            y_arr = np.asarray(y)
            if y_arr.ndim != 1 or len(y_arr) != len(frame):
                raise ValueError(
                    f"`y` must be one-dimensional with one value per row of X ({len(frame)}); "
                    f"got shape {y_arr.shape}"
                )
            frame[self._options[name]] = y_arr
        return frame

    def _draws(self) -> Arrays:
        names = list(self.idata.posterior.data_vars)
        return dx.extract_draws(self.idata, names)

    # ----------------------------------------------------------------- public API
    def build(self, data: pd.DataFrame) -> Any:
        """Return the PyMC model for ``data`` (validated first; ``self`` is not changed).

        Parameters
        ----------
        data : pandas.DataFrame
            Holds the columns named at construction.

        Returns
        -------
        pymc.Model
        """
        arrays, state = self._prepare(check_frame(data), None)
        return self._model(arrays, state)

    def fit(
        self,
        data: Any,
        y: Any = None,
        *,
        draws: int | None = None,
        tune: int | None = None,
        chains: int | None = None,
        cores: int | None = None,
        sampler: str | None = None,
        target_accept: float | None = None,
        rng: Any = None,
        on_failure: Literal["warn", "raise"] | None = None,
        progressbar: bool | None = None,
    ) -> Any:
        """Sample the posterior with NUTS and run the convergence gate.

        Every sampler argument left at None takes the value set with
        :meth:`configure_sampler`, else the default shown here.

        Parameters
        ----------
        data : pandas.DataFrame
            The columns named at construction. In the evaluation protocol, ``X`` (the
            predictor columns) with the outcome given separately as ``y``.
        y : array_like, optional
            The outcome, for ``fit(X, y)``.
        draws, tune, chains : int
            Draws kept per chain (1000), tuning steps per chain (1000), number of chains (4).
        cores : int, optional
            Chains run in parallel (PyMC's default: as many as CPUs and chains allow).
        sampler : {'auto', 'pymc', 'nutpie', 'numpyro'}
            NUTS backend ('auto'); see :mod:`statcraft.bayes._sampling` for what 'auto' picks.
        target_accept : float, optional
            NUTS target acceptance (the template's ``default_target_accept``; raise it to
            0.95–0.99 when the gate reports divergences).
        rng : None, int or numpy.random.Generator
            Seed for the sampler (a given seed gives the same draws; None: fresh entropy).
        on_failure : {'warn', 'raise'}
            What a failed convergence gate does ('warn'): a :class:`ConvergenceWarning` (the
            fit is kept and its report is in ``self.convergence``) or a
            :class:`ConvergenceError`.
        progressbar : bool
            Show PyMC's progress bar (True).

        Returns
        -------
        arviz.InferenceData
            The posterior (also kept as ``self.idata``).
        """
        given = {
            "draws": draws,
            "tune": tune,
            "chains": chains,
            "cores": cores,
            "sampler": sampler,
            "target_accept": target_accept,
            "rng": rng,
            "on_failure": on_failure,
            "progressbar": progressbar,
        }
        cfg = self._resolve_sampler_args(given)
        seed = int(as_generator(cfg["rng"]).integers(2**31 - 1))
        frame = self._frame(data, y)
        arrays, state = self._prepare(frame, None)
        model = self._model(arrays, state)
        name = type(self).__name__
        _log.info(
            "fitting %s: %d chains × %d draws (+%d tuning)",
            name,
            cfg["chains"],
            cfg["draws"],
            cfg["tune"],
        )
        start = time.perf_counter()
        idata = run_nuts(
            model,
            draws=cfg["draws"],
            tune=cfg["tune"],
            chains=cfg["chains"],
            cores=cfg["cores"],
            sampler=cfg["sampler"],
            target_accept=cfg["target_accept"],
            seed=seed,
            progressbar=cfg["progressbar"],
        )
        state = dict(state, seed=seed)
        self.idata, self._state, self._data = idata, state, frame.copy()
        self.convergence = dx.check_convergence(idata, latent=self.latent_variables)
        _log.info(
            "%s fitted in %.1f s: convergence gate %s",
            name,
            time.perf_counter() - start,
            "passed" if self.convergence.passed else "FAILED",
        )
        dx.gate(self.convergence, cfg["on_failure"], name)
        return idata

    def configure_sampler(self, **settings: Any) -> BayesianModel:
        """Set default sampler arguments for later :meth:`fit` calls; returns ``self``.

        Useful where fit is called for you — :func:`~statcraft.evaluation.cross_validate`,
        :func:`~statcraft.evaluation.tune` and walk-forward forecasts call ``fit(X, y)`` once
        per fold, and copies of the model keep these settings::

            model = LinearRegression(outcome="y", predictors=["x"]).configure_sampler(
                draws=500, chains=2, cores=1, rng=0, progressbar=False)

        Keyword arguments are those of :meth:`fit` (``draws``, ``tune``, ``chains``,
        ``cores``, ``sampler``, ``target_accept``, ``rng``, ``on_failure``, ``progressbar``),
        validated now. An int ``rng`` makes every fold's fit reproducible.
        """
        unknown = sorted(set(settings) - set(_FIT_DEFAULTS))
        if unknown:
            raise ValueError(
                f"unknown sampler setting {unknown[0]!r}; valid names are "
                f"{', '.join(sorted(_FIT_DEFAULTS))}"
            )
        merged = {**self._sampler_config, **settings}
        self._resolve_sampler_args(merged)
        self._sampler_config = merged
        return self

    def _resolve_sampler_args(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Explicit argument, else configured value, else default; validated."""
        cfg = dict(_FIT_DEFAULTS)
        cfg.update({k: v for k, v in self._sampler_config.items() if v is not None})
        cfg.update({k: v for k, v in given.items() if v is not None})
        cfg["on_failure"] = check_choice(cfg["on_failure"], "on_failure", ("warn", "raise"))
        for key, low in (("draws", 1), ("tune", 0), ("chains", 1)):
            cfg[key] = check_int(cfg[key], key, min_value=low)
        if cfg["cores"] is not None:
            cfg["cores"] = check_int(cfg["cores"], "cores", min_value=1)
        cfg["target_accept"] = (
            self._target_accept()
            if cfg["target_accept"] is None
            else check_probability(cfg["target_accept"], "target_accept")
        )
        resolve_sampler(cfg["sampler"])
        cfg["progressbar"] = check_bool(cfg["progressbar"], "progressbar")
        as_generator(cfg["rng"])  # validates; a Generator is returned unchanged
        return cfg

    def sample_prior_predictive(
        self, data: pd.DataFrame, *, draws: int = 500, rng: Any = None
    ) -> Any:
        """Draw parameters and data from the prior (InferenceData: ``prior``, ``prior_predictive``).

        Use it to check that the default priors imply plausible data before fitting. ``data``
        needs the design only (predictors, groups, trials, ...): the outcome column may be
        absent.
        """
        import pymc as pm

        draws = check_int(draws, "draws", min_value=1)
        frame = check_frame(data)
        outcome = self._options.get(self.outcome_option) if self.outcome_option else None
        if isinstance(outcome, str) and outcome not in frame.columns:
            if self._options.get("standardize"):
                raise ValueError(
                    f"with standardize=True the priors are on the outcome's scale; "
                    f"sample_prior_predictive needs the outcome column {outcome!r}"
                )
            frame = frame.assign(**{outcome: 0.0})  # a placeholder: only the design is used
        arrays, state = self._prepare(frame, None)
        model = self._prior_model(arrays, state)
        seed = int(as_generator(rng).integers(2**31 - 1))
        with model:
            return pm.sample_prior_predictive(draws=draws, random_seed=seed)

    def predict(
        self,
        new_data: Any,
        *,
        kind: Literal["mean", "draws", "interval"] = "mean",
        hdi_prob: float = 0.9,
        rng: Any = None,
    ) -> Any:
        """Predict the outcome for the rows of ``new_data``.

        Parameters
        ----------
        new_data : pandas.DataFrame
            The predictor (and grouping) columns; the outcome is not needed.
        kind : {'mean', 'draws', 'interval'}
            ``'mean'``: the posterior mean of the expected outcome, shape ``(n_rows,)`` (the
            protocol's point forecast). ``'draws'``: posterior predictive draws, shape
            ``(n_draws, n_rows)``. ``'interval'``: a DataFrame with ``mean``, ``hdi_low`` and
            ``hdi_high`` (the highest-density interval of the posterior predictive
            distribution at ``hdi_prob``), indexed like ``new_data``.
        hdi_prob : float
            Probability mass of the interval.
        rng : None, int or numpy.random.Generator
            Seed for the predictive draws; None uses a seed stored with the fit, so a fitted
            (or saved and re-loaded) model gives the same draws every time.

        Returns
        -------
        numpy.ndarray or pandas.DataFrame
        """
        state = self._require_fitted("predict")
        kind = check_choice(kind, "kind", ("mean", "draws", "interval"))  # type: ignore[assignment]
        prob = check_probability(hdi_prob, "hdi_prob")
        frame = self._frame(new_data, None)
        arrays, _ = self._prepare(frame, state)
        draws = self._draws()
        if kind == "mean":
            return np.asarray(self._expected(draws, arrays, state)).mean(axis=0)
        gen = as_generator(state["seed"] + 1 if rng is None else rng)
        sims = np.asarray(self._simulate(draws, arrays, state, gen), dtype=float)
        if kind == "draws":
            return sims
        low, high = dx.hdi(sims, prob)
        mean = np.asarray(self._expected(draws, arrays, state)).mean(axis=0)
        index = frame.index if isinstance(new_data, pd.DataFrame) else None
        out = pd.DataFrame({"mean": mean, "hdi_low": low, "hdi_high": high}, index=index)
        out.attrs["hdi_prob"] = prob
        return out

    def predict_distribution(self, X: Any) -> np.ndarray:
        """Posterior predictive draws for the rows of ``X``, shape ``(n_draws, n_rows)``.

        The evaluation protocol's distributional forecast (``predict(X, kind="draws")``).
        """
        return np.asarray(self.predict(X, kind="draws"))

    def summary(
        self, var_names: Sequence[str] | None = None, hdi_prob: float = 0.9
    ) -> pd.DataFrame:
        """Tidy posterior summary, one row per parameter element.

        Columns ``mean``, ``sd``, ``hdi_low``, ``hdi_high``, ``mcse_mean``, ``mcse_sd``,
        ``ess_bulk``, ``ess_tail``, ``r_hat``. ``attrs["notes"]`` carries what the reader must
        know (standardised predictors, a failed convergence gate).
        """
        state = self._require_fitted("summary")
        prob = check_probability(hdi_prob, "hdi_prob")
        table = dx.summarize(self.idata, var_names, prob)
        notes = list(self._notes(state))
        if self.convergence is not None and not self.convergence.passed:
            notes.insert(0, "FAILED the convergence gate: " + "; ".join(self.convergence.problems))
        table.attrs["notes"] = notes
        return table

    def diagnose(self, **thresholds: Any) -> dx.ConvergenceReport:
        """Run the convergence gate again, optionally with other thresholds.

        Keyword arguments are fields of :class:`~statcraft.bayes.diagnostics.Thresholds`
        (``rhat_max``, ``ess_min_per_chain``, ``max_divergences``, ``bfmi_min``,
        ``latent_fraction``, ``latent_rhat_max``).
        """
        self._require_fitted("diagnose")
        valid = set(dx.Thresholds.__dataclass_fields__)
        unknown = sorted(set(thresholds) - valid)
        if unknown:
            raise ValueError(
                f"unknown threshold {unknown[0]!r}; valid names are {', '.join(sorted(valid))}"
            )
        return dx.check_convergence(
            self.idata, latent=self.latent_variables, thresholds=dx.Thresholds(**thresholds)
        )

    def loo(self) -> LOOResult:
        """Pareto-smoothed importance-sampling leave-one-out cross-validation (PSIS-LOO).

        The pointwise log-likelihood is computed on first use from the training data (kept in
        memory after :meth:`fit`; a loaded model needs ``save(..., include_data=True)``).
        """
        self._require_fitted("loo")
        if "log_likelihood" not in self.idata.groups():
            if self._data is None:
                raise RuntimeError(
                    "loo() needs the training data, which this loaded model does not have; "
                    "save the fitted model with include_data=True"
                )
            import pymc as pm

            model = self.build(self._data)
            with model:
                pm.compute_log_likelihood(self.idata, progressbar=False)
        return LOOResult(**dx.loo(self.idata))

    # ----------------------------------------------------------------- persistence
    def save(self, path: str | Path, *, include_data: bool = False) -> Path:
        """Save the fitted model as netCDF: the posterior plus JSON provenance.

        The file holds the posterior and sampler statistics, the template name, statcraft's
        version, the options and priors, and the fitted state prediction needs (group levels,
        standardisation constants). The training data is left out unless
        ``include_data=True``. It is data only — no pickle — so loading it runs no code.
        """
        state = self._require_fitted("save")
        path = Path(path)
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "template": type(self).__name__,
            "template_path": _template_path(type(self)),
            "statcraft_version": _version("statcraft"),
            "pymc_version": _version("pymc"),
            "arviz_version": _version("arviz"),
            "options": self._options,
            "priors": {k: p.to_dict() for k, p in self.priors.items()},
            "state": state,
            "data": None,
        }
        if include_data and self._data is not None:
            meta["data"] = self._data_for_file(self._data)
        groups = ["posterior", "sample_stats"]
        if include_data:
            groups += ["log_likelihood", "observed_data"]
        dx.write_netcdf(self.idata, path, groups, meta)
        return path

    def _data_for_file(self, data: pd.DataFrame) -> dict[str, Any]:
        """Return the template's own columns as JSON lists (numbers as floats, labels as str)."""
        names: list[str] = []
        for value in self._options.values():
            candidates = [value] if isinstance(value, str) else value
            if not isinstance(candidates, list):
                continue
            for name in candidates:
                if isinstance(name, str) and name in data.columns and name not in names:
                    names.append(name)
        values: dict[str, list[Any]] = {}
        for name in names:
            column = data[name]
            if pd.api.types.is_numeric_dtype(column.dtype) or column.dtype == bool:
                values[name] = column.to_numpy(dtype=float).tolist()
            else:
                values[name] = column.astype(str).tolist()
        return {"columns": names, "values": values}

    @classmethod
    def load(cls, path: str | Path) -> BayesianModel:
        """Load a model saved by :meth:`save` (any template, or only ``cls`` when called on one).

        Raises
        ------
        ValueError
            If the file is not a statcraft model or names an unknown template.
        """
        idata, meta = dx.read_netcdf(Path(path))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} is not a statcraft model file")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{path} has model format version {meta.get('format_version')}; this statcraft "
                f"reads version {FORMAT_VERSION}"
            )
        name = meta.get("template")
        template = _REGISTRY.get(str(meta.get("template_path")))
        if template is None:
            raise ValueError(
                f"{path} names an unknown template {name!r} ({meta.get('template_path')}); "
                "import the module that defines it before loading"
            )
        if cls is not BayesianModel and not issubclass(template, cls):
            raise ValueError(f"{path} holds a {name}, not a {cls.__name__}")
        priors = {k: Prior.from_dict(v) for k, v in meta["priors"].items()}
        model = template(priors=priors, **meta["options"])
        model.idata = idata
        model._state = meta["state"]
        if meta.get("data"):
            model._data = pd.DataFrame(meta["data"]["values"], columns=meta["data"]["columns"])
        model.convergence = dx.check_convergence(idata, latent=model.latent_variables)
        return model

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self._options.items())
        status = "unfitted"
        if self.convergence is not None:
            status = "fitted, converged" if self.convergence.passed else "fitted, NOT converged"
        return f"{type(self).__name__}({opts}) [{status}]"


class LOOResult:
    """PSIS-LOO estimate of the expected log predictive density.

    Attributes
    ----------
    elpd : float
        Estimated expected log pointwise predictive density (higher is better).
    std_error : float
        Its standard error.
    p_loo : float
        Effective number of parameters.
    pareto_k : numpy.ndarray
        Pareto shape per observation; above 0.7 the estimate for that point is unreliable.
    n : int
        Number of observations.
    """

    __slots__ = ("elpd", "n", "p_loo", "pareto_k", "std_error")

    def __init__(self, elpd: float, std_error: float, p_loo: float, pareto_k: np.ndarray) -> None:
        self.elpd, self.std_error, self.p_loo = float(elpd), float(std_error), float(p_loo)
        self.pareto_k = np.asarray(pareto_k, dtype=float)
        self.n = int(self.pareto_k.size)

    @property
    def n_high_k(self) -> int:
        """Observations with Pareto k > 0.7 (unreliable importance sampling)."""
        return int((self.pareto_k > 0.7).sum())

    def to_dict(self) -> dict[str, Any]:
        """Headline numbers as plain Python values."""
        return {
            "elpd_loo": self.elpd,
            "std_error": self.std_error,
            "p_loo": self.p_loo,
            "n": self.n,
            "n_high_pareto_k": self.n_high_k,
        }

    def __repr__(self) -> str:
        warn = f", {self.n_high_k} Pareto k > 0.7 (unreliable)" if self.n_high_k else ""
        return (
            f"LOOResult: elpd_loo {self.elpd:.2f} (SE {self.std_error:.2f}), "
            f"p_loo {self.p_loo:.2f}, n {self.n}{warn}"
        )


def compare(models: Mapping[str, BayesianModel] | Sequence[BayesianModel]) -> pd.DataFrame:
    """Compare fitted models by PSIS-LOO: a table ranked best first.

    Parameters
    ----------
    models : dict of name to fitted model, or a list of fitted models
        A list is named by template class (numbered when repeated).

    Returns
    -------
    pandas.DataFrame
        ArviZ's comparison table: ``rank``, ``elpd_loo``, ``p_loo``, ``elpd_diff``, ``weight``,
        ``elpd_loo_std_error``, ``elpd_diff_std_error`` (ArviZ's ``se`` and ``dse``),
        ``warning``, ``scale``, indexed by model name.
    """
    if isinstance(models, Mapping):
        named = dict(models)
    elif isinstance(models, Sequence) and not isinstance(models, str):
        named = {}
        for i, m in enumerate(models):
            key = type(m).__name__
            named[key if key not in named else f"{key}_{i}"] = m
    else:
        raise TypeError(f"`models` must be a dict or a list of models; got {type(models).__name__}")
    if len(named) < 2:
        raise ValueError("compare() needs at least two models")
    for key, m in named.items():
        if not isinstance(m, BayesianModel):
            raise TypeError(f"models[{key!r}] is a {type(m).__name__}, not a statcraft template")
        m.loo()
    return dx.compare_loo({k: m.idata for k, m in named.items()})
