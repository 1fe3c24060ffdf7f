"""Hyperparameter search (grid or random) on the cross-validation machinery."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._progress import check_progress
from statcraft._random import as_generator
from statcraft._validation import check_choice, check_confidence_level, check_int
from statcraft.evaluation._protocol import check_target, n_rows, resolve_scoring
from statcraft.evaluation.cross_validation import CVResult, _splits, evaluate_tasks, summarise
from statcraft.resampling.parallel import check_executor
from statcraft.results import Estimate

__all__ = ["TuneResult", "tune"]


@dataclass(frozen=True, slots=True, eq=False)
class TuneResult:
    """Result of :func:`tune`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per candidate: ``candidate``, one column per parameter, then for each scorer
        its mean over folds and ``<scorer>_std_error`` (naive SE across folds), and ``rank``
        (1 = best by the first scorer, in its direction; ties share the better rank).
    best_params : dict
        Parameters of the best candidate (best mean of the first scorer; first on ties).
    best_index : int
        Its row in ``table``.
    cv_results : tuple of CVResult
        The full cross-validation result of every candidate.
    """

    table: pd.DataFrame
    best_params: dict[str, Any]
    best_index: int
    cv_results: tuple[CVResult, ...]

    @property
    def best_score(self) -> Estimate:
        """Cross-validated first score of the best candidate, as an Estimate."""
        return self.cv_results[self.best_index].score()

    def to_frame(self) -> pd.DataFrame:
        """Return the candidate table."""
        return self.table.copy()

    def __repr__(self) -> str:
        first = self.cv_results[0].scorers[0]
        best = self.table.iloc[self.best_index]
        return (
            f"TuneResult: {len(self.table)} candidates, best {self.best_params} with "
            f"{first} {best[first]:.4g} (SE {best[first + '_std_error']:.3g})"
        )

    def _repr_html_(self) -> str:
        return self.table.to_html(index=False)


def _is_sequence(v: Any) -> bool:
    return isinstance(v, (Sequence, np.ndarray)) and not isinstance(v, (str, bytes))


def _candidates(
    param_grid: Mapping[str, Any], search: str, n_iter: int | None, rng: Any
) -> list[dict[str, Any]]:
    if not isinstance(param_grid, Mapping) or not param_grid:
        raise TypeError("`param_grid` must be a non-empty dict of parameter name -> values")
    for key, values in param_grid.items():
        if _is_sequence(values):
            if len(values) == 0:
                raise ValueError(f"`param_grid[{key!r}]` is empty")
        elif search == "grid" or not callable(getattr(values, "rvs", None)):
            what = "a list of values" + ("" if search == "grid" else " or a scipy distribution")
            raise TypeError(f"`param_grid[{key!r}]` must be {what}; got {type(values).__name__}")
    keys = list(param_grid)
    if search == "grid":
        if n_iter is not None:
            raise ValueError("`n_iter` applies to search='random' only")
        return [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(list(param_grid[k]) for k in keys))
        ]
    if n_iter is None:
        raise ValueError("search='random' needs `n_iter`, the number of candidates")
    k = check_int(n_iter, "n_iter", min_value=1)
    gen = as_generator(rng)
    out = []
    for _ in range(k):
        cand = {}
        for key in keys:
            values = param_grid[key]
            if _is_sequence(values):
                cand[key] = list(values)[int(gen.integers(len(values)))]
            else:
                cand[key] = values.rvs(random_state=gen)
                if isinstance(cand[key], np.generic):
                    cand[key] = cand[key].item()
        out.append(cand)
    return out


def tune(
    model_factory: Callable[..., Any],
    param_grid: Mapping[str, Any],
    X: Any,
    y: Any,
    *,
    cv: Any,
    scoring: Any,
    search: Literal["grid", "random"] = "grid",
    n_iter: int | None = None,
    rng: Any = None,
    executor: Any = None,
    confidence_level: float = 0.95,
    progress: bool | None = None,
) -> TuneResult:
    """Choose hyperparameters by cross-validated score, over a grid or at random.

    Parameters
    ----------
    model_factory : callable
        ``model_factory(**params)`` returns a new model with the fit/predict protocol of
        :func:`cross_validate` (a model class works).
    param_grid : dict
        Parameter name -> list of values. For ``search='random'`` a value may also be a
        ``scipy.stats`` distribution (anything with ``rvs(random_state=...)``).
    X, y : array_like
        Features and target, as in :func:`cross_validate`.
    cv : splitter or int
        The splitter used for every candidate (the same splits for all).
    scoring : str, callable, Scorer, or a list/dict of them
        As in :func:`cross_validate`; the **first** scorer picks the best candidate (the
        lowest for a loss, the highest where ``greater_is_better``), the others are reported.
        A plain function of unknown direction is an error: wrap it in a :class:`Scorer`.
    search : {'grid', 'random'}
        Every combination of the grid, or ``n_iter`` random candidates.
    n_iter : int, optional
        Number of random candidates (``search='random'`` only).
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Randomness of the random search.
    executor : concurrent.futures.Executor, optional
        Runs all (candidate, fold) fits in parallel; the result equals the serial one.
    confidence_level : float
        Level of the intervals in each candidate's :class:`CVResult`.
    progress : None, bool
        A progress bar over the (candidate, fold) fits, on standard error: None (default)
        shows it only when the run takes more than a second and someone is watching (a
        terminal or a notebook; never under pytest or when the output is piped), True always,
        False never.

    Returns
    -------
    TuneResult
        ``table`` (one row per candidate), ``best_params``, ``best_index``, ``best_score``,
        ``cv_results``.

    Raises
    ------
    TypeError
        If ``param_grid`` is not a dict of lists (or distributions for random search), or
        ``progress`` is not None, True or False.
    ValueError
        If a list is empty, ``n_iter`` is missing for random search or given for grid search,
        or anything :func:`cross_validate` rejects.

    Notes
    -----
    Walk-forward aware: with :class:`WalkForward` (or :class:`PurgedKFold`) as ``cv`` every fit
    of every candidate sees only the training window of its split — for walk-forward, only the
    past — so no candidate's score uses the future of its test window. The *choice* among
    candidates, however, uses all folds, and the best score is optimistic for the chosen
    candidate (selection bias grows with the number of candidates). For an honest estimate of
    the tuned procedure, nest it: call ``tune`` inside each outer walk-forward training window
    (e.g. with a model factory whose ``fit`` tunes), and score on the outer test windows.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> x = np.arange(30.0)
    >>> y = 2.0 * x + np.sin(x)
    >>> res = sc.evaluation.tune(
    ...     sc.evaluation.OLSModel, {"add_intercept": [True, False]}, x, y,
    ...     cv=sc.evaluation.WalkForward(train_size=15, test_size=5), scoring="squared_error")
    >>> res.best_params
    {'add_intercept': False}
    >>> res.table[["add_intercept", "rank"]]
       add_intercept  rank
    0           True     2
    1          False     1
    """
    search = check_choice(search, "search", ("grid", "random"))  # type: ignore[assignment]
    if not callable(model_factory):
        raise TypeError(
            f"`model_factory` must be callable (a model class or factory); got "
            f"{type(model_factory).__name__}"
        )
    conf = check_confidence_level(confidence_level)
    executor = check_executor(executor)
    progress = check_progress(progress)
    scorers = resolve_scoring(scoring)
    selector = scorers[next(iter(scorers))]
    if selector.greater_is_better is None:
        raise ValueError(
            f"tune cannot tell whether a higher or a lower {selector.name!r} is better, and will "
            "not guess; wrap it: Scorer(func, greater_is_better=True) for a score such as "
            "accuracy, Scorer(func, greater_is_better=False) for a loss"
        )
    candidates = _candidates(param_grid, search, n_iter, rng)
    n = n_rows(X, "X")
    y_float = check_target(y, "tuning")
    if y_float.size != n:
        raise ValueError(f"`X` and `y` must have the same length; got {n} and {y_float.size}")
    splits = _splits(cv, X, y, None)
    try:  # every candidate has the same keys: one construction checks them
        model_factory(**candidates[0])
    except TypeError as exc:
        raise TypeError(
            f"`model_factory` does not accept the parameters of `param_grid` "
            f"({', '.join(map(repr, candidates[0]))}): {exc}"
        ) from None
    factories = [functools.partial(model_factory, **c) for c in candidates]
    tasks = [(f, tr, te) for f in factories for tr, te in splits]
    k = len(splits)
    what = f"tuning ({len(candidates)} candidates x {k} folds)"
    results = evaluate_tasks(tasks, X, y, y_float, scorers, executor, False, progress, what)
    cv_results = []
    for i in range(len(candidates)):
        folds, summary, _ = summarise(results[i * k : (i + 1) * k], scorers, conf)
        cv_results.append(
            CVResult(folds=folds, summary=summary, predictions=None, confidence_level=conf)
        )
    rows = []
    for i, (cand, res) in enumerate(zip(candidates, cv_results, strict=True)):
        row: dict[str, Any] = {"candidate": i, **cand}
        for r in res.summary.to_dict("records"):
            row[r["scorer"]] = r["mean"]
            row[f"{r['scorer']}_std_error"] = r["std_error"]
        rows.append(row)
    table = pd.DataFrame(rows)
    first = next(iter(scorers))
    higher = bool(scorers[first].greater_is_better)
    table["rank"] = table[first].rank(method="min", ascending=not higher).astype(int)
    values = table[first].to_numpy()
    best = int(np.argmax(values) if higher else np.argmin(values))
    return TuneResult(
        table=table,
        best_params=dict(candidates[best]),
        best_index=best,
        cv_results=tuple(cv_results),
    )
