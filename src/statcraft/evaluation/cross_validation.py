"""Cross-validation of any model with fit/predict, for point and distributional forecasts.

The model protocol (what scikit-learn estimators, :class:`~statcraft.evaluation.OLSModel` and
statcraft's Bayesian templates implement):

==================================  ===========================================================
method                              returns
==================================  ===========================================================
``fit(X, y)``                       the fitted model (the return value is ignored)
``predict(X)``                      point forecasts, shape ``(n_obs,)``
``predict_proba(X)`` (optional)     probability of the positive class, ``(n_obs,)`` or
                                    ``(n_obs, 2)`` as scikit-learn classifiers
``predict_distribution(X)``         draws from the predictive distribution,
(optional)                          shape ``(n_draws, n_obs)``
==================================  ===========================================================

A model is used through fresh copies: ``copy.deepcopy(model)`` of the (unfitted) model given,
once per fold, or ``model()`` when a factory (a callable without ``fit``) is given. scikit-learn
is not needed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from statcraft._inference import t_interval
from statcraft._progress import Progress, check_progress
from statcraft._validation import check_bool, check_confidence_level
from statcraft.evaluation._protocol import (
    Scorer,
    check_fold_scores_finite,
    check_target,
    n_rows,
    resolve_scoring,
    run_fold,
)
from statcraft.evaluation.splitters import KFold
from statcraft.resampling.parallel import check_executor, run_calls
from statcraft.results import ConfidenceInterval, Estimate

__all__ = ["CVResult", "Scorer", "cross_validate"]


@dataclass(frozen=True, slots=True, eq=False)
class CVResult:
    """Result of :func:`cross_validate`.

    Attributes
    ----------
    folds : pandas.DataFrame
        One row per fold: ``fold``, ``n_train``, ``n_test``, one column per scorer (the mean
        score over the fold's test observations), ``fit_time`` and ``score_time`` (seconds).
    summary : pandas.DataFrame
        One row per scorer: ``scorer``, ``mean`` (of the fold scores), ``std_error``
        (``std(ddof=1) / sqrt(k)``), ``ci_low``, ``ci_high`` (t interval with ``k - 1`` df),
        ``confidence_level``, ``n_folds``. With one fold the standard error and interval are NaN
        (undefined); :meth:`score` then raises.
    predictions : pandas.DataFrame or None
        With ``return_predictions=True``: ``fold``, ``position`` (row of ``X``), ``y_true`` and
        the predictions made (``prediction``, ``probability``, ``draws_mean``).
    confidence_level : float
        Level of the intervals in ``summary``.
    """

    folds: pd.DataFrame
    summary: pd.DataFrame
    predictions: pd.DataFrame | None
    confidence_level: float

    @property
    def scorers(self) -> list[str]:
        """Names of the scorers, in order."""
        return self.summary["scorer"].tolist()

    def score(self, name: str | None = None) -> Estimate:
        """Return the cross-validated score of scorer ``name`` (default: the first) as an Estimate.

        Raises
        ------
        ValueError
            If there was only one fold (no standard error) or ``name`` is unknown.
        """
        name = self.scorers[0] if name is None else name
        rows = self.summary[self.summary["scorer"] == name]
        if rows.empty:
            raise ValueError(f"no scorer {name!r}; scorers are {self.scorers}")
        row = rows.iloc[0]
        k = int(row["n_folds"])
        if k < 2:
            raise ValueError("a standard error across folds needs at least 2 folds; got 1")
        return Estimate(
            float(row["mean"]),
            float(row["std_error"]),
            ConfidenceInterval(float(row["ci_low"]), float(row["ci_high"])),
            self.confidence_level,
            f"mean {name} over {k} folds (t interval, SE across folds)",
            int(self.folds["n_test"].sum()),
            details={"fold_scores": self.folds[name].to_numpy()},
        )

    def to_frame(self) -> pd.DataFrame:
        """Return the summary table (one row per scorer)."""
        return self.summary.copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as ``{scorer: {mean, std_error, ci_low, ci_high}}``."""
        return {
            r["scorer"]: {k: r[k] for k in ("mean", "std_error", "ci_low", "ci_high", "n_folds")}
            for r in self.summary.to_dict("records")
        }

    def __repr__(self) -> str:
        k = len(self.folds)
        lines = [f"CVResult: {k} folds, {int(self.folds['n_test'].sum())} test observations"]
        for r in self.summary.to_dict("records"):
            lines.append(
                f"  {r['scorer']}: {r['mean']:.4g} (SE {r['std_error']:.3g}, "
                f"{100 * self.confidence_level:g}% CI [{r['ci_low']:.4g}, {r['ci_high']:.4g}])"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)

    def plot(self, ax: Any = None, *, scorers: str | Iterable[str] | None = None) -> Any:
        """Plot the score of every fold, with the mean over folds and its interval.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made when None.
        scorers : str or list of str, optional
            The scorers to draw (default: all; scorers on very different scales are easier
            to read one at a time).

        Returns
        -------
        matplotlib.axes.Axes
            One marker per fold and scorer (a line of markers per scorer, folds in order, so
            a walk-forward run reads as time), a dashed line at each scorer's mean and a band
            for its interval (absent with one fold, where the interval is undefined).

        Raises
        ------
        ValueError
            If a scorer name is unknown.

        Examples
        --------
        >>> import numpy as np
        >>> import statcraft as sc
        >>> x = np.arange(40.0)
        >>> y = 1.0 + 2.0 * x + np.sin(x)
        >>> res = sc.evaluation.cross_validate(sc.evaluation.OLSModel(), x, y, cv=4,
        ...                                    scoring="squared_error")
        >>> ax = res.plot()
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('fold', 'squared_error (mean over the test set)')
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        if scorers is None:
            names = self.scorers
        else:
            names = [scorers] if isinstance(scorers, str) else list(scorers)
            unknown = [s for s in names if s not in self.scorers]
            if unknown or not names:
                raise ValueError(
                    f"`scorers` must name scorers of this result ({self.scorers}); got {names}"
                )
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.5, 4.0))
        folds = self.folds["fold"].to_numpy()
        level = f"{100 * self.confidence_level:g}%"
        summary = self.summary.set_index("scorer")
        for i, name in enumerate(names):
            color = f"C{i}"
            row = summary.loc[name]
            ax.plot(
                folds,
                self.folds[name].to_numpy(dtype=float),
                "o-",
                color=color,
                lw=0.8,
                label=f"{name} by fold",
            )
            ax.axhline(
                row["mean"],
                color=color,
                ls="--",
                lw=1.2,
                label=f"mean {name} = {row['mean']:.4g}",
            )
            if np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]):
                ax.axhspan(
                    row["ci_low"],
                    row["ci_high"],
                    color=color,
                    alpha=0.15,
                    label=f"{level} CI of mean {name} (naive SE)",
                )
        ax.set_xticks(folds)
        ax.set_xlabel("fold")
        ax.set_ylabel(f"{names[0]} (mean over the test set)" if len(names) == 1 else "score")
        ax.set_title(f"Cross-validation: {len(folds)} folds")
        ax.legend(fontsize="small")
        return ax


def _splits(cv: Any, X: Any, y: Any, groups: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        cv = KFold(int(cv))
    if isinstance(cv, (str, bytes)) or not callable(getattr(cv, "split", None)):
        raise TypeError(
            "`cv` must be a splitter with split(X, y, groups) (statcraft or scikit-learn) or "
            f"a number of folds; got {type(cv).__name__}"
        )
    out = []
    for train, test in cv.split(X, y, groups):
        tr = np.asarray(train, dtype=np.intp)
        te = np.asarray(test, dtype=np.intp)
        if tr.size == 0 or te.size == 0:
            raise ValueError("`cv` produced a split with an empty training or test set")
        out.append((tr, te))
    if not out:
        raise ValueError("`cv` produced no splits")
    return out


def evaluate_tasks(
    tasks: Iterable[tuple[Any, np.ndarray, np.ndarray]],
    X: Any,
    y: Any,
    y_float: np.ndarray,
    scorers: dict[str, Scorer],
    executor: Any,
    return_predictions: bool,
    progress: bool | None = False,
    description: str = "cross-validating",
) -> list[dict[str, Any]]:
    """Run ``(model, train, test)`` tasks serially or on ``executor``, results in task order.

    The progress bar advances by one per task as its result comes back (in task order).
    """
    calls = [(m, X, y, y_float, tr, te, scorers, return_predictions) for m, tr, te in tasks]
    picklable = [(calls[0][0], "`model`")] if calls else []
    picklable += [(s, f"scoring {s.name!r}") for s in scorers.values()]
    with Progress(len(calls), description, progress) as bar:
        return run_calls(run_fold, calls, executor, picklable, on_done=lambda _: bar.advance())


def summarise(
    results: list[dict[str, Any]],
    scorers: dict[str, Scorer],
    confidence_level: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Build the folds table, the summary and the predictions of one model's fold results."""
    folds = pd.DataFrame(
        {
            "fold": list(range(len(results))),
            "n_train": [r["n_train"] for r in results],
            "n_test": [r["n_test"] for r in results],
            **{name: [r["scores"][name] for r in results] for name in scorers},
            "fit_time": [r["fit_time"] for r in results],
            "score_time": [r["score_time"] for r in results],
        }
    )
    k = len(results)
    rows = []
    for name in scorers:
        v = folds[name].to_numpy(dtype=float)
        check_fold_scores_finite(v, name)
        mean = float(v.mean())
        se = float(v.std(ddof=1) / np.sqrt(k)) if k > 1 else float("nan")
        ci = t_interval(mean, se, k - 1, confidence_level, "two-sided")
        rows.append(
            {
                "scorer": name,
                "mean": mean,
                "std_error": se,
                "ci_low": ci.low,
                "ci_high": ci.high,
                "confidence_level": confidence_level,
                "n_folds": k,
            }
        )
    preds = None
    if results and "predictions" in results[0]:
        preds = pd.concat(
            [r["predictions"].assign(fold=i) for i, r in enumerate(results)],
            ignore_index=True,
        )
        preds = preds[["fold", *[c for c in preds.columns if c != "fold"]]]
    return folds, pd.DataFrame(rows), preds


def cross_validate(
    model: Any,
    X: Any,
    y: Any,
    *,
    cv: Any,
    scoring: Any,
    groups: Any = None,
    executor: Any = None,
    return_predictions: bool = False,
    confidence_level: float = 0.95,
    progress: bool | None = None,
) -> CVResult:
    """Cross-validate a model: fit on each training set, score on each test set.

    Parameters
    ----------
    model : object or callable
        A model with ``fit(X, y)`` and the prediction methods the scorers need (see the module
        docstring for the protocol); a fresh ``copy.deepcopy`` is fitted on every fold, so
        pass it unfitted. Or a factory, a callable without ``fit`` returning a new model.
    X : array_like or pandas.DataFrame
        Features, one row per observation; passed to the model as given (rows selected by
        position with ``.iloc`` for pandas objects).
    y : array_like or pandas.Series
        Target, one value per observation (numeric: 0/1 for probability scores).
    cv : splitter or int
        A splitter with ``split(X, y, groups)`` — :class:`WalkForward`, :class:`PurgedKFold`,
        any scikit-learn splitter — or an int ``k`` for unshuffled :class:`KFold`.
    scoring : str, callable, Scorer, or a list/dict of them
        Names: ``'squared_error'``, ``'absolute_error'``, ``'pinball'`` (median, from
        ``predict``), ``'crps'`` (fair CRPS from ``predict_distribution`` draws),
        ``'log_score'`` (from ``predict_proba``, else a kernel density of the draws),
        ``'brier'`` (from ``predict_proba``). A callable ``f(y_true, prediction) -> float`` scores
        ``predict``'s point forecasts; wrap it in :class:`Scorer` for other kinds or options.
        A dict names the scorers. All are losses: lower is better.
    groups : array_like, optional
        Passed to ``cv.split`` (for scikit-learn's group splitters).
    executor : concurrent.futures.Executor, optional
        Runs the folds in parallel (a process pool, a dask client's executor). Scores and
        predictions equal the serial ones; only the timings differ.
    return_predictions : bool
        Keep every fold's test predictions in ``predictions`` (for backtest paths and plots).
    confidence_level : float
        Level of the intervals in the summary.
    progress : None, bool
        A progress bar over the folds, on standard error: None (default) shows it only when
        the run takes more than a second and someone is watching (a terminal or a notebook;
        never under pytest or when the output is piped), True always, False never.

    Returns
    -------
    CVResult
        ``folds`` (per-fold table), ``summary`` (mean, standard error and interval per scorer),
        ``predictions``, ``score(name)`` as an :class:`~statcraft.Estimate`, ``to_frame()``,
        ``plot()`` (the fold scores).

    Raises
    ------
    TypeError
        If the model lacks ``fit`` or a method a scorer needs, or ``cv``/``scoring``/
        ``progress`` have the wrong type.
    ValueError
        If ``X`` and ``y`` differ in length, ``y`` has NaN/inf, a prediction has the wrong shape,
        a scorer name is unknown, or a fold is empty.

    Notes
    -----
    Each fold's score is the mean over its test observations; the summary averages the ``k``
    fold scores with equal weight and reports ``SE = sd(fold scores) / sqrt(k)`` and a t
    interval with ``k - 1`` degrees of freedom. This standard error is **naive**: fold scores are
    correlated because training sets overlap (and, for time series, because neighbouring test
    windows share regimes), so it understates the uncertainty of the expected score (Bengio &
    Grandvalet 2004; Bates, Hastie & Tibshirani 2024). Read it as a lower bound; to compare two
    models use the paired, per-observation losses (:func:`diebold_mariano` on out-of-sample
    losses in time order).

    For time series use :class:`WalkForward` or :class:`PurgedKFold`: shuffled K-fold on
    autocorrelated data leaks the future into training and flatters the model (see the
    evaluation guide).

    References
    ----------
    Bengio, Y. and Grandvalet, Y. (2004). No unbiased estimator of the variance of K-fold
    cross-validation. *JMLR* 5, 1089-1105.

    Bates, S., Hastie, T. and Tibshirani, R. (2024). Cross-validation: what does it estimate and
    how well does it do it? *JASA* 119, 1434-1445.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> x = np.arange(20.0)
    >>> y = 1.0 + 2.0 * x + np.tile([0.5, -0.5], 10)
    >>> cv = sc.evaluation.WalkForward(train_size=10, test_size=5)
    >>> res = sc.evaluation.cross_validate(
    ...     sc.evaluation.OLSModel(), x, y, cv=cv, scoring=["squared_error", "absolute_error"])
    >>> res.folds[["fold", "n_train", "n_test", "squared_error"]].round(4)
       fold  n_train  n_test  squared_error
    0     0       10       5         0.3489
    1     1       15       5         0.2578
    >>> round(res.score("absolute_error").estimate, 4)
    0.5261
    """
    conf = check_confidence_level(confidence_level)
    executor = check_executor(executor)
    return_predictions = check_bool(return_predictions, "return_predictions")
    progress = check_progress(progress)
    scorers = resolve_scoring(scoring)
    n = n_rows(X, "X")
    y_float = check_target(y, "cross-validating")
    if y_float.size != n:
        raise ValueError(f"`X` and `y` must have the same length; got {n} and {y_float.size}")
    if groups is not None:
        if isinstance(groups, (str, bytes)) or np.ndim(groups) != 1:
            raise TypeError("`groups` must be a one-dimensional array of labels, one per row")
        if len(groups) != n:
            raise ValueError(
                f"`groups` must have one label per row of `X`; got {len(groups)} for {n} rows"
            )
    splits = _splits(cv, X, y, groups)
    results = evaluate_tasks(
        ((model, tr, te) for tr, te in splits),
        X,
        y,
        y_float,
        scorers,
        executor,
        bool(return_predictions),
        progress,
        f"cross-validating ({len(splits)} folds)",
    )
    folds, summary, preds = summarise(results, scorers, conf)
    if len(folds) == 1:
        warnings.warn(
            "cross_validate: the splitter gave a single split (a holdout), so the standard "
            "error across folds and its interval are undefined (NaN); use several folds to "
            "judge the score's uncertainty",
            UserWarning,
            stacklevel=2,
        )
    return CVResult(folds=folds, summary=summary, predictions=preds, confidence_level=conf)
