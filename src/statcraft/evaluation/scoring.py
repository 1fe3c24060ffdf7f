r"""Scoring rules for point, interval, quantile, probability and distributional forecasts.

Every score here is **negatively oriented: lower is better** (a loss). Each function is
vectorised over observations and takes ``reduce``:

- ``reduce="mean"`` (default): the mean score over observations, a Python float;
- ``reduce="none"``: the per-observation scores, a NumPy array (what
  :func:`~statcraft.evaluation.diebold_mariano` compares).

========================  ==================================  ===================================
function                  forecast                            proper for
========================  ==================================  ===================================
:func:`squared_error`     point                               the mean
:func:`absolute_error`    point                               the median
:func:`pinball_loss`      a quantile                          that quantile
:func:`interval_score`    a central interval ``[low, high]``  the two quantiles
:func:`brier_score`       a probability of a binary event     the probability (with decomposition)
:func:`log_score`         probability, density or draws       the whole distribution (local)
:func:`crps_gaussian`     normal ``N(mu, sigma^2)``           the whole distribution
:func:`crps_ensemble`     draws / ensemble members            the whole distribution
========================  ==================================  ===================================

Predictive draws are arrays of shape ``(n_draws, n_obs)`` — column ``i`` holds draws from the
predictive distribution of observation ``i`` — the shape that models return from
``predict_distribution(X)`` (see :func:`~statcraft.evaluation.cross_validate`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import (
    check_bool,
    check_choice,
    check_confidence_level,
    check_int,
    check_probability,
)
from statcraft.evaluation._inputs import NanPolicy, _check_bounds, _prepare

__all__ = [
    "BrierScore",
    "absolute_error",
    "brier_score",
    "crps_ensemble",
    "crps_gaussian",
    "interval_score",
    "log_score",
    "pinball_loss",
    "squared_error",
]

Reduce = Literal["mean", "none"]


def _reduce(values: np.ndarray, reduce: str) -> Any:
    if reduce == "mean":
        return float(np.mean(values))
    return values


def _check_reduce(reduce: Any) -> str:
    return check_choice(reduce, "reduce", ("mean", "none"))


def squared_error(
    y_true: Any, prediction: Any, *, reduce: Reduce = "mean", nan_policy: NanPolicy = "raise"
) -> Any:
    """Squared error ``(y_true - prediction)^2`` of point forecasts (lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations.
    prediction : array_like
        Point forecasts, one per observation (or a single value for all).
    reduce : {'mean', 'none'}
        Return the mean (the MSE, a float) or the per-observation values (an array).
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        The mean squared error or the squared errors.

    Raises
    ------
    ValueError
        If the lengths differ, or there are NaN or infinite values.

    Notes
    -----
    A consistent scoring function for the mean. For a binary ``y_true`` and a probability forecast
    the per-observation squared errors are the Brier scores.

    Examples
    --------
    >>> import statcraft as sc
    >>> sc.evaluation.squared_error([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])
    0.41666...
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    ya, a, _ = _prepare(nan_policy, y_true, {"prediction": prediction})
    return _reduce((ya - a["prediction"]) ** 2, reduce)


def absolute_error(
    y_true: Any, prediction: Any, *, reduce: Reduce = "mean", nan_policy: NanPolicy = "raise"
) -> Any:
    """Absolute error ``|y_true - prediction|`` of point forecasts (lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations.
    prediction : array_like
        Point forecasts, one per observation (or a single value for all).
    reduce : {'mean', 'none'}
        Return the mean (the MAE) or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        The mean absolute error or the absolute errors.

    Raises
    ------
    ValueError
        If the lengths differ, or there are NaN or infinite values.

    Notes
    -----
    A consistent scoring function for the median; twice the pinball loss at level 0.5.

    Examples
    --------
    >>> import statcraft as sc
    >>> sc.evaluation.absolute_error([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])
    0.5
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    ya, a, _ = _prepare(nan_policy, y_true, {"prediction": prediction})
    return _reduce(np.abs(ya - a["prediction"]), reduce)


def pinball_loss(
    y_true: Any,
    quantile: Any,
    *,
    quantile_level: float = 0.5,
    reduce: Reduce = "mean",
    nan_policy: NanPolicy = "raise",
) -> Any:
    r"""Pinball (quantile, check) loss of a quantile forecast (lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations.
    quantile : array_like
        Forecasts of the ``quantile_level`` quantile, one per observation (or one for all).
    quantile_level : float
        The level :math:`\tau \in (0, 1)` of the forecast quantile.
    reduce : {'mean', 'none'}
        Return the mean or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        Mean or per-observation loss.

    Raises
    ------
    ValueError
        If ``quantile_level`` is not in (0, 1), the lengths differ, or there are NaN or inf.

    Notes
    -----
    :math:`\rho_\tau(y - q) = (y - q)(\tau - 1\{y < q\})`, i.e. :math:`\tau (y - q)` when
    :math:`y \ge q` and :math:`(1 - \tau)(q - y)` otherwise; a consistent scoring function for
    the :math:`\tau`-quantile (Koenker & Bassett 1978). scikit-learn's ``mean_pinball_loss``
    calls the level ``alpha``.

    References
    ----------
    Koenker, R. and Bassett, G. (1978). Regression quantiles. *Econometrica* 46, 33-50.

    Examples
    --------
    >>> import statcraft as sc
    >>> sc.evaluation.pinball_loss([1.0, 5.0], [2.0, 2.0], quantile_level=0.9)
    1.4
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    tau = check_probability(quantile_level, "quantile_level")
    ya, a, _ = _prepare(nan_policy, y_true, {"quantile": quantile})
    u = ya - a["quantile"]
    return _reduce(u * (tau - (u < 0)), reduce)


def interval_score(
    y_true: Any,
    low: Any,
    high: Any,
    *,
    confidence_level: float = 0.95,
    reduce: Reduce = "mean",
    nan_policy: NanPolicy = "raise",
) -> Any:
    r"""Interval score of central prediction intervals (Gneiting & Raftery 2007; lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations.
    low, high : array_like
        Interval bounds, one per observation (or one for all), ``low <= high``.
    confidence_level : float
        Nominal coverage :math:`1 - \alpha` of the intervals (the quantiles at
        :math:`\alpha/2` and :math:`1 - \alpha/2`).
    reduce : {'mean', 'none'}
        Return the mean or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        Mean or per-observation interval score.

    Raises
    ------
    ValueError
        If ``low > high`` anywhere, the lengths differ, or a value is NaN or inf.

    Notes
    -----
    .. math::

        S_\alpha(l, u; y) = (u - l) + \frac{2}{\alpha}(l - y)\,1\{y < l\}
        + \frac{2}{\alpha}(y - u)\,1\{y > u\}

    (Gneiting & Raftery 2007, eq. 43): width plus a penalty for misses. It equals
    :math:`2/\alpha` times the sum of the pinball losses of the two quantiles, so it is proper
    for the :math:`\alpha/2` and :math:`1-\alpha/2` quantiles.

    References
    ----------
    Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
    estimation. *JASA* 102, 359-378.

    Examples
    --------
    >>> import statcraft as sc
    >>> sc.evaluation.interval_score([3.0, 1.5], [1.0, 1.0], [2.0, 2.0], confidence_level=0.9)
    11.0
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    alpha = 1.0 - check_confidence_level(confidence_level)
    ya, a, _ = _prepare(nan_policy, y_true, {"low": low, "high": high})
    lo, hi = a["low"], a["high"]
    _check_bounds(lo, hi)
    s = (hi - lo) + (2.0 / alpha) * ((lo - ya) * (ya < lo) + (ya - hi) * (ya > hi))
    return _reduce(s, reduce)


def crps_gaussian(
    y_true: Any,
    mu: Any,
    sigma: Any,
    *,
    reduce: Reduce = "mean",
    nan_policy: NanPolicy = "raise",
) -> Any:
    r"""Continuous ranked probability score of normal forecasts, in closed form (lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations.
    mu, sigma : array_like
        Mean and standard deviation of each normal forecast (or one for all); ``sigma > 0``.
    reduce : {'mean', 'none'}
        Return the mean or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        Mean or per-observation CRPS, in the units of ``y_true``.

    Raises
    ------
    ValueError
        If ``sigma <= 0``, the lengths differ, or a value is NaN or inf.

    Notes
    -----
    With :math:`z = (y - \mu)/\sigma` (Gneiting & Raftery 2007, eq. 21):

    .. math::

        \mathrm{CRPS}(N(\mu, \sigma^2), y) = \sigma\left[z\,(2\Phi(z) - 1) + 2\varphi(z)
        - \frac{1}{\sqrt\pi}\right]

    where :math:`\mathrm{CRPS}(F, y) = \int (F(x) - 1\{x \ge y\})^2 dx
    = E|X - y| - \tfrac12 E|X - X'|`. For a point forecast it reduces to the absolute error.

    References
    ----------
    Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
    estimation. *JASA* 102, 359-378.

    Examples
    --------
    >>> import statcraft as sc
    >>> round(sc.evaluation.crps_gaussian(0.0, 0.0, 1.0), 9)   # (sqrt(2) - 1) / sqrt(pi)
    0.233694977
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    ya, a, _ = _prepare(nan_policy, y_true, {"mu": mu, "sigma": sigma})
    m, s = a["mu"], a["sigma"]
    if np.any(s <= 0):
        raise ValueError(f"`sigma` must be positive; got {s[s <= 0][0]:g}")
    z = (ya - m) / s
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    cdf = special.ndtr(z)
    crps = s * (z * (2 * cdf - 1) + 2 * pdf - 1 / math.sqrt(math.pi))
    return _reduce(crps, reduce)


def crps_ensemble(
    y_true: Any,
    samples: Any,
    *,
    fair: bool = True,
    reduce: Reduce = "mean",
    nan_policy: NanPolicy = "raise",
) -> Any:
    r"""CRPS of forecasts given as draws (an ensemble or posterior predictive draws).

    Lower is better.

    Parameters
    ----------
    y_true : array_like
        Observations, length ``n``.
    samples : array_like
        Draws of shape ``(n_draws, n)``: column ``i`` holds the draws for observation ``i``
        (for a single observation a 1-D array of draws is accepted).
    fair : bool
        True (default): the fair estimator, unbiased for the CRPS of the distribution the
        draws come from. False: the CRPS of the empirical distribution of the draws (what
        ``properscoring.crps_ensemble`` returns), which is biased upwards by
        :math:`E|X - X'|/(2m)`.
    reduce : {'mean', 'none'}
        Return the mean or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        Mean or per-observation CRPS.

    Raises
    ------
    ValueError
        If ``samples`` does not have shape ``(n_draws, len(y_true))``, has NaN or inf, or (fair)
        fewer than 2 draws.

    Notes
    -----
    Energy form with draws :math:`x_1, \dots, x_m` (Gneiting & Raftery 2007, eq. 22;
    Ferro 2014 for the fair version):

    .. math::

        \mathrm{CRPS} = \frac1m \sum_j |x_j - y| - \frac{1}{2 m (m - 1)} \sum_{j,k} |x_j - x_k|
        \quad(\text{fair}),

    with :math:`2m^2` in place of :math:`2m(m-1)` when ``fair=False``. The double sum is computed
    in :math:`O(m \log m)` from the sorted draws:
    :math:`\sum_{j,k}|x_j - x_k| = 2 \sum_i (2i - m - 1)\, x_{(i)}`.

    References
    ----------
    Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
    estimation. *JASA* 102, 359-378.

    Ferro, C. A. T. (2014). Fair scores for ensemble forecasts. *QJRMS* 140, 1917-1923.

    Examples
    --------
    >>> import statcraft as sc
    >>> draws = [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]   # 3 draws for each of 2 observations
    >>> sc.evaluation.crps_ensemble([1.0, 3.0], draws, reduce="none")
    array([0.        , 0.33333333])
    >>> sc.evaluation.crps_ensemble([1.0, 3.0], draws, fair=False, reduce="none")
    array([0.22222222, 0.55555556])
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    fair = check_bool(fair, "fair")
    ya, _, x = _prepare(nan_policy, y_true, {}, draws=("samples", samples))
    x = cast(np.ndarray, x)
    m = x.shape[0]
    if fair and m < 2:
        raise ValueError("`samples` needs at least 2 draws for the fair CRPS; got 1")
    abs_err = np.mean(np.abs(x - ya), axis=0)
    xs = np.sort(x, axis=0)
    weights = 2.0 * np.arange(1, m + 1) - m - 1
    pair_sum = 2.0 * (weights @ xs)  # sum over all ordered pairs |x_j - x_k|
    denom = 2.0 * m * (m - 1) if fair else 2.0 * m * m
    return _reduce(abs_err - pair_sum / denom, reduce)


def _silverman_bandwidth(x: np.ndarray) -> np.ndarray:
    """Silverman's rule of thumb ``0.9 min(sd, IQR/1.34) m^(-1/5)`` per column."""
    m = x.shape[0]
    sd = np.std(x, axis=0, ddof=1)
    q75, q25 = np.percentile(x, [75, 25], axis=0)
    spread = np.minimum(sd, (q75 - q25) / 1.34)
    spread = np.where(spread > 0, spread, sd)
    return 0.9 * spread * m ** (-0.2)


def log_score(
    y_true: Any, forecast: Any, *, reduce: Reduce = "mean", nan_policy: NanPolicy = "raise"
) -> Any:
    r"""Logarithmic score ``-log f(y_true)`` of probabilistic forecasts (lower is better).

    Parameters
    ----------
    y_true : array_like
        Observations (0/1 outcomes for probability forecasts).
    forecast : array_like or scipy.stats frozen distribution
        One of:

        - a 1-D array of probabilities that ``y_true = 1`` (binary outcomes): the score is
          ``-log p`` if ``y_true = 1`` and ``-log(1 - p)`` if ``y_true = 0`` (the log loss);
        - a frozen ``scipy.stats`` distribution (vectorised over observations, e.g.
          ``scipy.stats.norm(mu, sigma)``): ``-logpdf(y_true)`` (``-logpmf(y_true)`` for
          discrete ones);
        - a 2-D array of predictive draws of shape ``(n_draws, n_obs)``: the log density of a
          Gaussian kernel density estimate of each column (see Notes).
    reduce : {'mean', 'none'}
        Return the mean or the per-observation values.
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.
        ``'propagate'``: their scores are NaN (and so is the mean).

    Returns
    -------
    float or numpy.ndarray
        Mean or per-observation log score, in nats. A probability of 0 given to what happened
        scores ``inf`` (the correct value; the log score punishes certainty without mercy).

    Raises
    ------
    ValueError
        If probabilities lie outside [0, 1] or outcomes are not 0/1, shapes do not match
        ``y_true``, a column of draws has no spread, or a value is NaN or inf.
    TypeError
        If ``forecast`` is neither an array nor a distribution with ``logpdf``/``logpmf``.

    Notes
    -----
    The log score is strictly proper and local (Good 1952; Gneiting & Raftery 2007, §4.1).
    From draws :math:`x_1..x_m` the density is the Gaussian kernel estimate
    :math:`\hat f(y) = \frac{1}{m h}\sum_j \varphi((y - x_j)/h)` with Silverman's (1986,
    eq. 3.31) bandwidth :math:`h = 0.9 \min(s, \mathrm{IQR}/1.34)\, m^{-1/5}` per observation;
    the estimate is smoothed (so a little too wide), and needs a few hundred draws or more.
    Prefer the CRPS for draws; use the log score when the predictive density is available.

    References
    ----------
    Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
    estimation. *JASA* 102, 359-378.

    Silverman, B. W. (1986). *Density Estimation for Statistics and Data Analysis*. Chapman & Hall.

    Examples
    --------
    >>> import statcraft as sc
    >>> round(sc.evaluation.log_score([1, 0], [0.8, 0.4]), 6)   # -(log 0.8 + log 0.6) / 2
    0.366985
    >>> from scipy import stats
    >>> round(sc.evaluation.log_score([0.0], stats.norm(0, 1)), 6)  # log(2 pi) / 2
    0.918939
    """
    reduce = _check_reduce(reduce)  # type: ignore[assignment]
    if hasattr(forecast, "logpdf") or hasattr(forecast, "logpmf"):
        ya, _, _ = _prepare(nan_policy, y_true, {})
        method = forecast.logpdf if hasattr(forecast, "logpdf") else forecast.logpmf
        values = -np.asarray(method(ya), dtype=float)
        if values.shape != ya.shape:
            raise ValueError(
                f"`forecast` gives {values.size} log densities for {ya.size} observations; "
                "build it with one parameter per observation (or scalar parameters)"
            )
        return _reduce(values, reduce)
    if isinstance(forecast, (str, bytes)) or not hasattr(forecast, "__len__"):
        raise TypeError(
            "`forecast` must be probabilities, an array of draws (n_draws, n_obs) or a frozen "
            f"scipy.stats distribution; got {type(forecast).__name__}"
        )
    if np.ndim(forecast) == 2:
        ya, _, x = _prepare(nan_policy, y_true, {}, draws=("forecast", forecast))
        x = cast(np.ndarray, x)
        if x.shape[0] < 2:
            raise ValueError("`forecast` draws need at least 2 draws per observation")
        h = _silverman_bandwidth(x)
        if np.any(h <= 0):
            i = int(np.flatnonzero(h <= 0)[0])
            raise ValueError(
                f"the draws for observation {i} are all equal; a kernel density needs spread"
            )
        z = (ya - x) / h
        log_f = (
            special.logsumexp(-0.5 * z * z, axis=0)
            - np.log(x.shape[0] * h)
            - 0.5 * math.log(2 * math.pi)
        )
        return _reduce(-log_f, reduce)
    ya, a, _ = _prepare(
        nan_policy, y_true, {"forecast": forecast}, binary_y=True, probabilities=("forecast",)
    )
    p = a["forecast"]
    with np.errstate(divide="ignore"):
        values = -np.where(ya == 1, np.log(p), np.log1p(-p))
    values[np.isnan(ya)] = np.nan  # 'propagate': an unknown outcome has an unknown score
    return _reduce(values, reduce)


@dataclass(frozen=True, slots=True)
class BrierScore:
    """The Brier score with Murphy's (1973) decomposition.

    Attributes
    ----------
    score : float
        Mean Brier score ``mean((p - y_true)^2)`` (lower is better).
    reliability : float
        Calibration term ``Σ n_k (p̄_k - ō_k)² / n`` (lower is better).
    resolution : float
        ``Σ n_k (ō_k - ō)² / n`` (higher is better).
    uncertainty : float
        ``ō (1 - ō)``, the score of always forecasting the base rate.
    remainder : float
        ``score - (reliability - resolution + uncertainty)``: zero (to rounding) when the
        forecasts are constant within each bin, e.g. with ``n_bins=None``.
    n : int
        Number of forecasts.
    n_bins : int
        Number of non-empty bins (distinct forecast values with ``n_bins=None``).
    """

    score: float
    reliability: float
    resolution: float
    uncertainty: float
    remainder: float
    n: int
    n_bins: int

    @property
    def skill_score(self) -> float:
        """Brier skill score ``1 - score / uncertainty`` (higher is better)."""
        if self.uncertainty == 0:
            raise ValueError("the skill score is undefined when all outcomes are equal")
        return 1.0 - self.score / self.uncertainty

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict."""
        return {
            "score": self.score,
            "reliability": self.reliability,
            "resolution": self.resolution,
            "uncertainty": self.uncertainty,
            "remainder": self.remainder,
            "n": self.n,
            "n_bins": self.n_bins,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        return (
            f"BrierScore({self.score:.4g} = REL {self.reliability:.4g} - RES "
            f"{self.resolution:.4g} + UNC {self.uncertainty:.4g}"
            + (f" + {self.remainder:.2g}" if abs(self.remainder) > 1e-12 else "")
            + f"; n={self.n}, bins={self.n_bins})"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def brier_score(
    y_true: Any,
    p: Any,
    *,
    n_bins: int | None = None,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> BrierScore:
    r"""Brier score of probability forecasts of a binary event, with Murphy's decomposition.

    Parameters
    ----------
    y_true : array_like
        Outcomes, 0 or 1.
    p : array_like
        Forecast probabilities that the outcome is 1, in [0, 1].
    n_bins : int, optional
        None (default): group the forecasts by their distinct values, so the decomposition is
        exact. An int: ``n_bins`` equal-width bins on [0, 1] (as
        :func:`~statcraft.evaluation.calibration_curve`), for continuous forecasts; then
        ``remainder`` holds the within-bin terms.
    nan_policy : {'raise', 'omit'}
        ``'raise'``: NaN is an error. ``'omit'``: drop forecasts with a NaN outcome or
        probability.

    Returns
    -------
    BrierScore
        ``score``, ``reliability``, ``resolution``, ``uncertainty``, ``remainder``, ``n``,
        ``n_bins``. The per-observation Brier scores are
        ``squared_error(y_true, p, reduce="none")``.

    Raises
    ------
    ValueError
        If ``p`` lies outside [0, 1], ``y_true`` is not 0/1, the lengths differ, or a value is
        NaN or inf.

    Notes
    -----
    With bins :math:`k` holding :math:`n_k` forecasts of mean :math:`\bar p_k` and observed
    frequency :math:`\bar o_k`, and base rate :math:`\bar o` (Murphy 1973):

    .. math::

        \mathrm{BS} = \frac1n\sum_k n_k(\bar p_k - \bar o_k)^2
        - \frac1n\sum_k n_k(\bar o_k - \bar o)^2 + \bar o(1 - \bar o)
        = \mathrm{REL} - \mathrm{RES} + \mathrm{UNC},

    exact when forecasts are constant within bins; otherwise two within-bin terms remain
    (Stephenson, Coelho & Jolliffe 2008), reported as ``remainder``.

    References
    ----------
    Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
    *Monthly Weather Review* 78, 1-3.

    Murphy, A. H. (1973). A new vector partition of the probability score. *Journal of Applied
    Meteorology* 12, 595-600.

    Examples
    --------
    >>> import statcraft as sc
    >>> b = sc.evaluation.brier_score([1, 0, 1, 1], [0.8, 0.2, 0.8, 0.2])
    >>> b.score, round(b.reliability, 4), round(b.resolution, 4), b.uncertainty
    (0.19, 0.065, 0.0625, 0.1875)
    """
    ya, a, _ = _prepare(
        nan_policy,
        y_true,
        {"p": p},
        y_name="y_true",
        binary_y=True,
        probabilities=("p",),
        policies=("raise", "omit"),
    )
    pa = a["p"]
    n = ya.size
    if n_bins is None:
        _, bins = np.unique(pa, return_inverse=True)
    else:
        k = check_int(n_bins, "n_bins", min_value=1)
        bins = np.searchsorted(np.linspace(0.0, 1.0, k + 1)[1:-1], pa)
    counts = np.bincount(bins)
    keep = counts > 0
    counts = counts[keep]
    p_bar = np.bincount(bins, weights=pa)[keep] / counts
    o_bar = np.bincount(bins, weights=ya)[keep] / counts
    base = float(ya.mean())
    score = float(np.mean((pa - ya) ** 2))
    rel = float(np.sum(counts * (p_bar - o_bar) ** 2) / n)
    res = float(np.sum(counts * (o_bar - base) ** 2) / n)
    unc = base * (1.0 - base)
    return BrierScore(
        score=score,
        reliability=rel,
        resolution=res,
        uncertainty=unc,
        remainder=score - (rel - res + unc),
        n=int(n),
        n_bins=int(counts.size),
    )
