"""Adapters that give statcraft's estimators the fit/predict model protocol."""

from __future__ import annotations

from typing import Any

import numpy as np

from statcraft._random import as_generator
from statcraft._validation import check_array, check_bool, check_choice, check_int
from statcraft.estimators.regression import RegressionResult, ols

__all__ = ["OLSModel"]

_COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "HC4", "HAC")


class OLSModel:
    r""":func:`statcraft.ols` as a model with ``fit``/``predict``/``predict_distribution``.

    Parameters
    ----------
    cov_type : {'nonrobust', 'HC0', 'HC1', 'HC2', 'HC3', 'HC4', 'HAC'}
        Covariance of the coefficients (see :func:`statcraft.ols`); it does not change the
        point predictions. ``'cluster'`` is not offered (cluster labels would have to follow
        the folds).
    add_intercept : bool
        Add an intercept, as :func:`statcraft.ols`.
    maxlags : int, optional
        HAC truncation lag (only with ``cov_type='HAC'``).
    n_draws : int
        Number of predictive draws returned by :meth:`predict_distribution`.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Randomness of the predictive draws; with an int seed every call (and every fold of
        :func:`cross_validate`) draws reproducibly.

    Attributes
    ----------
    result_ : RegressionResult
        The fit, after :meth:`fit`.

    Notes
    -----
    :meth:`predict_distribution` draws from the classical predictive distribution of a new
    observation under the normal linear model, :math:`y_0 = x_0'\hat\beta + s\sqrt{1 +
    x_0'(X'X)^{-1}x_0}\; T` with :math:`T \sim t_{n-k}` — the distribution behind R's
    ``predict.lm(..., interval = "prediction")`` (and a flat-prior Bayesian posterior
    predictive). It needs ``cov_type='nonrobust'``.

    Examples
    --------
    >>> import numpy as np
    >>> import statcraft as sc
    >>> m = sc.evaluation.OLSModel().fit([[1.0], [2.0], [3.0], [4.0]], [2.1, 3.9, 6.2, 7.8])
    >>> np.round(m.predict([[5.0]]), 4)
    array([9.85])
    >>> m.predict_distribution([[5.0], [6.0]]).shape
    (1000, 2)
    """

    def __init__(
        self,
        *,
        cov_type: str = "nonrobust",
        add_intercept: bool = True,
        maxlags: int | None = None,
        n_draws: int = 1000,
        rng: Any = None,
    ) -> None:
        self.cov_type = check_choice(cov_type, "cov_type", _COV_TYPES)
        self.add_intercept = check_bool(add_intercept, "add_intercept")
        self.maxlags = maxlags
        self.n_draws = check_int(n_draws, "n_draws", min_value=2)
        if rng is not None:
            as_generator(rng)
        self.rng = rng
        self.result_: RegressionResult | None = None

    def __repr__(self) -> str:
        return f"OLSModel(cov_type={self.cov_type!r}, add_intercept={self.add_intercept})"

    def fit(self, X: Any, y: Any) -> OLSModel:
        """Fit by :func:`statcraft.ols` and return the model."""
        # NaN is an error here, without ols's hint of a nan_policy this model does not offer
        check_array(X, "X", ndim=2, suggest_omit=False)
        check_array(y, "y", suggest_omit=False)
        self.result_ = ols(
            X,
            y,
            cov_type=self.cov_type,  # type: ignore[arg-type]
            maxlags=self.maxlags,
            add_intercept=self.add_intercept,
        )
        return self

    def _fitted(self) -> RegressionResult:
        if self.result_ is None:
            raise ValueError("OLSModel is not fitted; call .fit(X, y) first")
        return self.result_

    def predict(self, X: Any) -> np.ndarray:
        """Return the fitted mean response for the rows of ``X``, shape ``(n_obs,)``."""
        return np.asarray(self._fitted().predict(X), dtype=float).ravel()

    def predict_distribution(self, X: Any) -> np.ndarray:
        """Return ``n_draws`` draws from the t predictive distribution, ``(n_draws, n_obs)``."""
        frame = self._fitted().predict(X, interval="prediction")
        mean = frame["prediction"].to_numpy()
        se = frame["std_error"].to_numpy()
        df = self._fitted().df_resid
        t = as_generator(self.rng).standard_t(df, size=(self.n_draws, mean.size))
        return np.asarray(mean + se * t, dtype=float)
