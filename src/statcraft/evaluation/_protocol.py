"""The model protocol, scorers, and the fold runner shared by cross_validate, tune and forecasts.

A *model* is any object with ``fit(X, y)`` and one or more prediction methods:

- ``predict(X)`` -> point forecasts, shape ``(n_obs,)``;
- ``predict_proba(X)`` -> probabilities of the positive class, shape ``(n_obs,)`` or
  scikit-learn's ``(n_obs, 2)`` (column 1 is used);
- ``predict_distribution(X)`` -> draws from the predictive distribution of each observation,
  shape ``(n_draws, n_obs)`` (posterior predictive draws of a Bayesian model, an ensemble, or
  draws from a plug-in predictive distribution).

Each scorer declares which of these it needs.
"""

from __future__ import annotations

import copy
import numbers
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._validation import check_array
from statcraft.evaluation.scoring import (
    absolute_error,
    brier_score,
    crps_ensemble,
    crps_gaussian,
    interval_score,
    log_score,
    pinball_loss,
    squared_error,
)

__all__ = ["Scorer"]

Needs = Literal["point", "probability", "draws"]
_METHODS = {"point": "predict", "probability": "predict_proba", "draws": "predict_distribution"}


class Scorer:
    """A scoring rule together with the kind of prediction it scores.

    Parameters
    ----------
    func : callable
        ``func(y_true, prediction, **kwargs)`` returning one number, where
        ``prediction`` is a point forecast array ``(n_obs,)``, a probability array ``(n_obs,)``,
        or draws ``(n_draws, n_obs)`` according to ``needs``. Must be picklable (defined at
        module level) to run on a process pool.
    needs : {'point', 'probability', 'draws'} or tuple of them
        The prediction the rule scores, obtained from ``predict``, ``predict_proba`` or
        ``predict_distribution``. A tuple lists acceptable kinds in order of preference; the
        first the model provides is used.
    name : str, optional
        Column name in the results; default ``func.__name__``.
    greater_is_better : bool, optional
        Whether a higher score is better (accuracy, AUC) or a lower one (every loss). Known for
        statcraft's own scoring rules (losses); for any other function :func:`tune` needs it
        and refuses to guess. :func:`cross_validate` reports scores either way.
    **kwargs
        Passed to ``func`` (e.g. ``quantile_level=0.9`` for :func:`pinball_loss`).

    Examples
    --------
    >>> import statcraft as sc
    >>> s = sc.evaluation.Scorer(sc.evaluation.pinball_loss, quantile_level=0.9, name="q90")
    >>> s([1.0, 5.0], [2.0, 2.0])
    1.4
    """

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        needs: Needs | tuple[Needs, ...] = "point",
        name: str | None = None,
        greater_is_better: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if not callable(func):
            raise TypeError(f"`func` must be callable; got {type(func).__name__}")
        kinds = (needs,) if isinstance(needs, str) else tuple(needs)
        for k in kinds:
            if k not in _METHODS:
                raise ValueError(
                    f"`needs` must be 'point', 'probability' or 'draws' (or a tuple); got {k!r}"
                )
        if greater_is_better is None:
            greater_is_better = _KNOWN_DIRECTION.get(func)
        elif not isinstance(greater_is_better, (bool, np.bool_)):
            raise TypeError(
                f"`greater_is_better` must be True, False or None; got {greater_is_better!r}"
            )
        self.func = func
        self.greater_is_better: bool | None = (
            None if greater_is_better is None else bool(greater_is_better)
        )
        self.needs: tuple[str, ...] = kinds
        self.name = name if name is not None else getattr(func, "__name__", "score")
        self.kwargs = dict(kwargs)

    def kind_for(self, model: Any) -> str:
        """Return the first prediction kind in ``needs`` that ``model`` provides."""
        for k in self.needs:
            if callable(getattr(model, _METHODS[k], None)):
                return k
        wanted = " or ".join(f"`{_METHODS[k]}(X)`" for k in self.needs)
        raise TypeError(
            f"scoring {self.name!r} needs {wanted}; {type(model).__name__} has none "
            "(predict_distribution must return draws of shape (n_draws, n_obs))"
        )

    def __call__(self, y_true: Any, prediction: Any) -> float:
        """Score ``prediction`` against ``y_true``."""
        value = self.func(y_true, prediction, **self.kwargs)
        if np.ndim(value) != 0 or not isinstance(value, (numbers.Real, np.number)):
            raise TypeError(
                f"scoring {self.name!r} must return a single number; got "
                f"{type(value).__name__} of shape {np.shape(value)}"
            )
        return float(value)

    def __repr__(self) -> str:
        direction = {None: "unknown", True: "higher", False: "lower"}[self.greater_is_better]
        return f"Scorer({self.name!r}, needs={self.needs}, better={direction})"


def _brier(y_true: Any, p: Any) -> float:
    return brier_score(y_true, p).score


def _binary(y_true: Any, what: str) -> np.ndarray:
    y = np.asarray(y_true, dtype=float)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError(f"scoring {what!r} needs a 0/1 outcome")
    return y


def _accuracy(y_true: Any, prediction: Any) -> float:
    """Share classified right: a probability (or a 0/1 label) of at least 0.5 means class 1."""
    y = _binary(y_true, "accuracy")
    return float(np.mean((np.asarray(prediction, dtype=float) >= 0.5) == (y == 1.0)))


def _roc_auc(y_true: Any, prediction: Any) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties 1/2."""
    y = _binary(y_true, "roc_auc")
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        raise ValueError("scoring 'roc_auc' needs both classes in every test fold")
    ranks = stats.rankdata(np.asarray(prediction, dtype=float))
    return float((ranks[y == 1.0].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _neg_mean_squared_error(y_true: Any, prediction: Any) -> float:
    return -float(squared_error(y_true, prediction))


def _neg_mean_absolute_error(y_true: Any, prediction: Any) -> float:
    return -float(absolute_error(y_true, prediction))


# statcraft's scoring rules are losses: lower is better
_KNOWN_DIRECTION: dict[Callable[..., Any], bool] = dict.fromkeys(
    (
        squared_error,
        absolute_error,
        pinball_loss,
        interval_score,
        crps_ensemble,
        crps_gaussian,
        log_score,
        _brier,
    ),
    False,
)

_NAMED: dict[str, Scorer] = {
    "squared_error": Scorer(squared_error, needs="point", name="squared_error"),
    "absolute_error": Scorer(absolute_error, needs="point", name="absolute_error"),
    "pinball": Scorer(pinball_loss, needs="point", name="pinball"),
    "crps": Scorer(crps_ensemble, needs="draws", name="crps"),
    "log_score": Scorer(log_score, needs=("probability", "draws"), name="log_score"),
    "brier": Scorer(_brier, needs="probability", name="brier"),
    # scikit-learn's names, with their direction (higher is better)
    "accuracy": Scorer(
        _accuracy, needs=("probability", "point"), name="accuracy", greater_is_better=True
    ),
    "roc_auc": Scorer(_roc_auc, needs="probability", name="roc_auc", greater_is_better=True),
    "neg_mean_squared_error": Scorer(
        _neg_mean_squared_error,
        needs="point",
        name="neg_mean_squared_error",
        greater_is_better=True,
    ),
    "neg_mean_absolute_error": Scorer(
        _neg_mean_absolute_error,
        needs="point",
        name="neg_mean_absolute_error",
        greater_is_better=True,
    ),
}


def resolve_scoring(scoring: Any) -> dict[str, Scorer]:
    """Turn a name, callable, Scorer, or a sequence/dict of them into named Scorers."""
    if isinstance(scoring, (str, Scorer)) or callable(scoring):
        scoring = [scoring]
    if isinstance(scoring, Mapping):
        items = list(scoring.items())
    elif isinstance(scoring, (list, tuple)):
        items = [(None, s) for s in scoring]
    else:
        raise TypeError(
            "`scoring` must be a name, a callable, a Scorer, or a list/dict of them; "
            f"got {type(scoring).__name__}"
        )
    if not items:
        raise ValueError("`scoring` is empty")
    out: dict[str, Scorer] = {}
    for key, s in items:
        if isinstance(s, str):
            if s not in _NAMED:
                raise ValueError(
                    f"`scoring` {s!r} is not a known score; choose from "
                    f"{', '.join(sorted(_NAMED))}, or pass a callable"
                )
            scorer = _NAMED[s]
        elif isinstance(s, Scorer):
            scorer = s
        elif callable(s):
            scorer = Scorer(s, needs="point")
        else:
            raise TypeError(f"each scoring must be a name or a callable; got {type(s).__name__}")
        name = str(key) if key is not None else scorer.name
        if name in out:
            raise ValueError(f"`scoring` names must be unique; {name!r} appears twice")
        out[name] = scorer
    reserved = {"fold", "n_train", "n_test", "fit_time", "score_time"}
    clash = reserved & set(out)
    if clash:
        raise ValueError(f"`scoring` name {sorted(clash)[0]!r} is reserved; rename it")
    return out


def make_model(model: Any) -> Any:
    """Return a fresh, unfitted copy: ``copy.deepcopy(model)``, or ``model()`` for a factory.

    A class counts as a factory (it has a ``fit`` attribute, but an unbound one).
    """
    if not isinstance(model, type) and callable(getattr(model, "fit", None)):
        return copy.deepcopy(model)
    if callable(model):
        fresh = model()
        if not callable(getattr(fresh, "fit", None)):
            raise TypeError(
                f"the model factory returned {type(fresh).__name__}, which has no fit(X, y)"
            )
        return fresh
    raise TypeError(
        f"`model` must have fit(X, y) or be a factory returning such a model; got "
        f"{type(model).__name__}"
    )


def take(data: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` of an array, a list, or a pandas object (by position)."""
    if data is None:
        return None
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.iloc[idx]
    return np.asarray(data)[idx]


def check_target(y: Any, what: str) -> np.ndarray:
    """Return ``y`` as a float array; NaN is an error that says to drop those rows first."""
    arr = check_array(y, "y", nan_policy="propagate")
    k = int(np.isnan(arr).sum())
    if k:
        raise ValueError(
            f"`y` has {k} NaN value{'s' if k > 1 else ''}; drop those rows (from `X` too) "
            f"before {what}"
        )
    return arr


def n_rows(data: Any, name: str) -> int:
    """Return the number of rows of ``data`` (TypeError for scalars and strings)."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"`{name}` must be array-like; got a string")
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    try:
        return len(data)
    except TypeError:
        raise TypeError(f"`{name}` must be array-like; got {type(data).__name__}") from None


def get_prediction(model: Any, kind: str, X_test: Any, n_test: int) -> np.ndarray:
    """Call the model's prediction method for ``kind`` and check the shape."""
    method = _METHODS[kind]
    raw = getattr(model, method)(X_test)
    pred = np.asarray(raw, dtype=float)
    if kind == "probability" and pred.ndim == 2 and pred.shape[1] == 2:
        pred = pred[:, 1]
    if kind == "draws":
        if pred.ndim != 2 or pred.shape[1] != n_test:
            raise ValueError(
                f"{type(model).__name__}.{method}(X) must return draws of shape "
                f"(n_draws, n_obs) = (*, {n_test}); got shape {pred.shape}"
            )
        return pred
    if pred.ndim == 2 and pred.shape[1] == 1:
        pred = pred.ravel()
    if pred.shape != (n_test,):
        raise ValueError(
            f"{type(model).__name__}.{method}(X) must return one value per test row "
            f"({n_test},); got shape {pred.shape}"
        )
    return pred


def run_fold(
    model: Any,
    X: Any,
    y: Any,
    y_float: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    scorers: dict[str, Scorer],
    want_predictions: bool,
) -> dict[str, Any]:
    """Fit a fresh copy of ``model`` on ``train``, score it on ``test``; module level to pickle."""
    fitted = make_model(model)
    t0 = time.perf_counter()
    fitted.fit(take(X, train), take(y, train))
    fit_time = time.perf_counter() - t0
    X_test = take(X, test)
    y_test = y_float[test]
    t0 = time.perf_counter()
    preds: dict[str, np.ndarray] = {}
    scores: dict[str, float] = {}
    for name, scorer in scorers.items():
        kind = scorer.kind_for(fitted)
        if kind not in preds:
            preds[kind] = get_prediction(fitted, kind, X_test, test.size)
        scores[name] = scorer(y_test, preds[kind])
    if want_predictions and "point" not in preds and callable(getattr(fitted, "predict", None)):
        preds["point"] = get_prediction(fitted, "point", X_test, test.size)
    score_time = time.perf_counter() - t0
    out: dict[str, Any] = {
        "scores": scores,
        "fit_time": fit_time,
        "score_time": score_time,
        "n_train": int(train.size),
        "n_test": int(test.size),
    }
    if want_predictions:
        frame = {"position": test, "y_true": y_test}
        if "point" in preds:
            frame["prediction"] = preds["point"]
        if "probability" in preds:
            frame["probability"] = preds["probability"]
        if "draws" in preds:
            frame["draws_mean"] = preds["draws"].mean(axis=0)
        out["predictions"] = pd.DataFrame(frame)
    return out


def check_fold_scores_finite(values: np.ndarray, name: str) -> None:
    """Raise when a scorer produced NaN (a silent NaN summary would mislead)."""
    if np.isnan(values).any():
        raise ValueError(f"scoring {name!r} returned NaN on some fold")
