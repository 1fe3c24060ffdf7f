"""Walk-forward forecasts over time, for backtests."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from statcraft._validation import check_int
from statcraft.evaluation._protocol import check_target, get_prediction, make_model, n_rows, take

__all__ = ["walk_forward_forecast"]


def walk_forward_forecast(
    model: Any,
    X: Any,
    y: Any,
    *,
    cv: Any,
    refit: Literal["every"] | int = "every",
) -> pd.DataFrame:
    """Forecast each test window from a model fitted on the past: a backtest.

    Parameters
    ----------
    model : object or callable
        A model with ``fit(X, y)`` and ``predict(X)`` (see :func:`cross_validate`), copied
        with ``copy.deepcopy`` at each refit; or a factory returning one.
    X : array_like, pandas.DataFrame or None
        Features known at each time (e.g. lagged values of ``y``), one row per observation,
        given before ``y`` as in ``fit(X, y)`` and :func:`cross_validate`. None: the model
        gets the time positions ``0..n-1`` as its single feature, so a model can tell how far
        ahead each test row lies.
    y : array_like or pandas.Series
        The series, in time order. A Series' index labels the output rows (for an array
        ``y``, a pandas ``X``'s index does; otherwise the positions), so a dated series gives
        dated forecasts.
    cv : splitter
        Forward-only splits, normally :class:`WalkForward`: ``WalkForward(train_size=w,
        test_size=1)`` gives one-step-ahead forecasts at every time after ``w``;
        ``test_size=h, step=1`` gives 1- to h-step forecasts from every origin.
    refit : 'every' or int
        ``'every'``: fit on every split's training window. An int ``k``: fit on splits
        ``0, k, 2k, ...`` only and keep forecasting with the last fit in between (cheaper; the
        model then does not see the newest observations unless its ``predict`` uses ``X``).

    Returns
    -------
    pandas.DataFrame
        One row per (split, test observation), in split order, indexed by the time label
        (``y``'s index, else ``X``'s, or the position), with columns ``position``,
        ``split``, ``horizon`` (steps after the last training observation), ``fit_split``
        (the split whose training window the forecasting model was fitted on), ``n_train``,
        ``y_true`` and ``prediction``. With overlapping test windows a time appears once per origin.

    Raises
    ------
    ValueError
        If a split trains on observations at or after its test window (look-ahead), the
        prediction has the wrong shape, ``X`` and ``y`` differ in length, or ``refit`` is
        invalid.

    Notes
    -----
    Score the result with any scoring rule (``squared_error(out.y_true, out.prediction,
    reduce="none")``) and compare two backtests with :func:`diebold_mariano` (per horizon,
    with ``horizon=h``). A refit at every step is the textbook rolling-origin evaluation
    (Tashman 2000); ``refit=k`` mimics a model re-estimated every ``k`` periods.

    References
    ----------
    Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and
    review. *International Journal of Forecasting* 16, 437-450.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> y = np.array([1.0, 2.0, 2.5, 3.5, 4.0, 5.5, 6.0])
    >>> lagged = np.r_[np.nan, y[:-1]].reshape(-1, 1)          # feature: y[t-1]
    >>> out = sc.evaluation.walk_forward_forecast(
    ...     sc.evaluation.OLSModel(), lagged[1:], y[1:],
    ...     cv=sc.evaluation.WalkForward(train_size=4, test_size=1))
    >>> out[["position", "horizon", "y_true", "prediction"]].round(3)
       position  horizon  y_true  prediction
    4         4        1     5.5       4.481
    5         5        1     6.0       6.680
    """
    if refit == "every":
        every = 1
    elif isinstance(refit, str):
        raise ValueError(f"`refit` must be 'every' or a positive integer; got {refit!r}")
    else:
        every = check_int(refit, "refit", min_value=1)
    y_float = check_target(y, "forecasting")
    n = y_float.size
    if X is None:
        X = np.arange(n, dtype=float).reshape(-1, 1)
    elif n_rows(X, "X") != n:
        raise ValueError(f"`X` and `y` must have the same length; got {n_rows(X, 'X')} and {n}")
    if isinstance(cv, (str, bytes)) or not callable(getattr(cv, "split", None)):
        raise TypeError(f"`cv` must have split(X), e.g. WalkForward; got {type(cv).__name__}")
    if isinstance(y, pd.Series):
        labels = y.index
    elif isinstance(X, (pd.Series, pd.DataFrame)):
        labels = X.index
    else:
        labels = pd.RangeIndex(n)
    frames = []
    fitted: Any = None
    fit_split = -1
    train_n = 0
    for j, (train, test) in enumerate(cv.split(X)):
        train = np.asarray(train, dtype=np.intp)
        test = np.asarray(test, dtype=np.intp)
        if train.size == 0 or test.size == 0:
            raise ValueError(f"split {j} has an empty training or test set")
        if train.max() >= test.min():
            raise ValueError(
                f"split {j} trains on position {int(train.max())}, at or after its first test "
                f"position {int(test.min())}; walk_forward_forecast needs forward-only splits "
                "(WalkForward)"
            )
        if j % every == 0:
            fitted = make_model(model)
            fitted.fit(take(X, train), take(y, train))
            fit_split, train_n = j, int(train.size)
        pred = get_prediction(fitted, "point", take(X, test), test.size)
        frames.append(
            pd.DataFrame(
                {
                    "position": test,
                    "split": j,
                    "horizon": test - int(train.max()),
                    "fit_split": fit_split,
                    "n_train": train_n,
                    "y_true": y_float[test],
                    "prediction": pred,
                },
                index=labels[test],
            )
        )
    if not frames:
        raise ValueError("`cv` produced no splits")
    return pd.concat(frames)
