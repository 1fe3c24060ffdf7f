"""Calibration of probabilistic forecasts: reliability curves, PIT values, interval coverage.

A forecast is *calibrated* when events forecast with probability ``p`` happen a fraction ``p`` of
the time (:func:`calibration_curve`), when the observations look like draws from the
predictive distributions (uniform PIT values, :func:`pit_values`), and when nominal 90%
intervals contain 90% of the observations (:func:`interval_coverage`). Calibration is necessary,
not sufficient: the climatological forecast is calibrated and useless. Pair it with a proper
score (:mod:`statcraft.evaluation.scoring`), which rewards sharpness too.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._random import as_generator
from statcraft._validation import check_array, check_choice, check_confidence_level, check_int
from statcraft.estimators.proportions import proportion
from statcraft.evaluation._inputs import NanPolicy, _check_bounds, _draws, _prepare
from statcraft.results import Estimate

__all__ = [
    "calibration_curve",
    "interval_coverage",
    "pit_values",
    "plot_pit",
    "plot_reliability",
]


def calibration_curve(
    y_true: Any,
    p: Any,
    *,
    n_bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "uniform",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> pd.DataFrame:
    """Reliability table: observed event frequency against forecast probability, per bin.

    Parameters
    ----------
    y_true : array_like
        Outcomes, 0 or 1.
    p : array_like
        Forecast probabilities of the outcome 1, in [0, 1].
    n_bins : int
        Number of bins.
    strategy : {'uniform', 'quantile'}
        ``'uniform'``: equal-width bins on [0, 1]. ``'quantile'``: edges at the quantiles of
        ``p``, so bins hold about equal numbers of forecasts.
    confidence_level : float
        Level of the Wilson score interval of each bin's observed frequency.
    nan_policy : {'raise', 'omit'}
        ``'raise'``: NaN is an error. ``'omit'``: drop pairs with a NaN outcome or forecast.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``bin``, ``bin_low``, ``bin_high`` (edges), ``n``,
        ``mean_predicted``, ``observed`` (event frequency), ``ci_low``, ``ci_high``.

    Raises
    ------
    ValueError
        If ``p`` lies outside [0, 1], ``y_true`` is not 0/1, the lengths differ, or an option is
        invalid.

    Notes
    -----
    Bins and their contents are scikit-learn's ``calibration_curve`` (a forecast on an inner
    edge falls in the lower bin: ``searchsorted(edges[1:-1], p)``); empty bins are dropped as
    there. Each bin's interval is the Wilson score interval of
    :func:`statcraft.proportion`, which keeps good coverage for small bins and frequencies
    near 0 or 1, where the Wald interval fails. Points whose interval misses the diagonal
    are miscalibrated beyond binomial noise (pointwise, not simultaneously over bins).

    Examples
    --------
    >>> import statcraft as sc
    >>> y = [0, 0, 1, 0, 1, 1, 1, 1]
    >>> p = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
    >>> tab = sc.evaluation.calibration_curve(y, p, n_bins=2)
    >>> tab[["bin", "n", "mean_predicted", "observed"]]
       bin  n  mean_predicted  observed
    0    0  4            0.25      0.25
    1    1  4            0.75      1.00
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
    k = check_int(n_bins, "n_bins", min_value=1)
    strategy = check_choice(strategy, "strategy", ("uniform", "quantile"))  # type: ignore[assignment]
    conf = check_confidence_level(confidence_level)
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, k + 1)
    else:
        edges = np.percentile(pa, np.linspace(0.0, 100.0, k + 1))
    ids = np.searchsorted(edges[1:-1], pa)
    counts = np.bincount(ids, minlength=k)
    sums = np.bincount(ids, weights=pa, minlength=k)
    events = np.bincount(ids, weights=ya, minlength=k)
    rows = []
    for b in np.flatnonzero(counts):
        est = proportion(
            round(float(events[b])), int(counts[b]), method="wilson", confidence_level=conf
        )
        rows.append(
            {
                "bin": int(b),
                "bin_low": float(edges[b]),
                "bin_high": float(edges[b + 1]),
                "n": int(counts[b]),
                "mean_predicted": float(sums[b] / counts[b]),
                "observed": float(events[b] / counts[b]),
                "ci_low": float(est.confidence_interval.low),
                "ci_high": float(est.confidence_interval.high),
            }
        )
    return pd.DataFrame(rows)


def plot_reliability(
    y_true: Any,
    p: Any,
    *,
    n_bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "uniform",
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
    ax: Any = None,
) -> Any:
    """Draw a reliability diagram with a Wilson interval per bin.

    Parameters
    ----------
    y_true, p, n_bins, strategy, confidence_level, nan_policy
        As in :func:`calibration_curve`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if None.

    Returns
    -------
    matplotlib.axes.Axes
        Observed frequency against mean forecast probability, with the diagonal of perfect
        calibration.
    """
    tab = calibration_curve(
        y_true,
        p,
        n_bins=n_bins,
        strategy=strategy,
        confidence_level=confidence_level,
        nan_policy=nan_policy,
    )
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    yerr = np.vstack([tab["observed"] - tab["ci_low"], tab["ci_high"] - tab["observed"]])
    ax.errorbar(
        tab["mean_predicted"],
        tab["observed"],
        yerr=yerr,
        fmt="o",
        capsize=3,
        label=f"observed ({100 * confidence_level:g}% Wilson CI)",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean forecast probability")
    ax.set_ylabel("observed frequency")
    ax.legend(loc="upper left")
    return ax


def pit_values(
    y_true: Any, forecast: Any, *, rng: Any = None, nan_policy: NanPolicy = "raise"
) -> np.ndarray:
    r"""Probability integral transform values of observations under their forecasts.

    Parameters
    ----------
    y_true : array_like
        Observations, length ``n``.
    forecast : array_like, scipy.stats frozen distribution, or callable
        Predictive draws of shape ``(n_draws, n)``; or a distribution with a ``cdf`` method
        (vectorised over observations, e.g. ``scipy.stats.norm(mu, sigma)``); or a callable
        returning the ``n`` predictive CDF values at ``y_true``.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Randomness of the tie-breaking for draws (not used for CDFs).
    nan_policy : {'raise', 'omit', 'propagate'}
        ``'raise'`` (default): a NaN observation, draw or CDF value is an error. ``'omit'``:
        drop the observations whose value, draws or CDF value hold a NaN (the result is then
        shorter than ``y_true``, and equals the PIT values of the complete observations with
        the same ``rng``). ``'propagate'``: their PIT values are NaN.

    Returns
    -------
    numpy.ndarray
        ``n`` values in [0, 1] (fewer with ``nan_policy='omit'``); uniform when the forecasts
        are calibrated.

    Raises
    ------
    ValueError
        If the draws do not have shape ``(n_draws, len(y_true))``, CDF values fall outside
        [0, 1] or have the wrong length, a value is inf, or NaN with ``nan_policy='raise'``.

    Notes
    -----
    For a continuous predictive CDF :math:`F_i`, :math:`u_i = F_i(y_i)` (Dawid 1984). From
    :math:`m` exchangeable draws the randomised rank is used:
    :math:`u_i = (\#\{x_{ij} < y_i\} + V_i) / (m + 1)`, with
    :math:`V_i \sim U(0, 1 + \#\{x_{ij} = y_i\})`, which is exactly uniform when :math:`y_i`
    and the draws come from the same distribution (the rank histogram of Anderson 1996 and
    Hamill 2001, made continuous). A U shape means over-confident (too narrow) forecasts, a
    hump under-confident ones, a slope bias.

    References
    ----------
    Dawid, A. P. (1984). Statistical theory: the prequential approach. *JRSS A* 147, 278-292.

    Gneiting, T., Balabdaoui, F. and Raftery, A. E. (2007). Probabilistic forecasts,
    calibration and sharpness. *JRSS B* 69, 243-268.

    Examples
    --------
    >>> import statcraft as sc
    >>> from scipy import stats
    >>> sc.evaluation.pit_values([0.0, 1.0], stats.norm(0, 1)).round(4)
    array([0.5   , 0.8413])
    >>> sc.evaluation.pit_values([0.0, float("nan")], stats.norm(0, 1), nan_policy="omit")
    array([0.5])
    """
    policy = check_choice(nan_policy, "nan_policy", ("raise", "omit", "propagate"))
    inner = "raise" if policy == "raise" else "propagate"
    ya = check_array(y_true, "y_true", nan_policy=inner)
    n = ya.size
    if hasattr(forecast, "cdf") or (callable(forecast) and not hasattr(forecast, "__len__")):
        fn = forecast.cdf if hasattr(forecast, "cdf") else forecast
        u = np.asarray(fn(ya), dtype=float)
        if u.shape != ya.shape:
            raise ValueError(
                f"the forecast CDF gave {u.size} values for {n} observations; build it with "
                "one parameter per observation"
            )
        missing = np.isnan(u)
        if missing.any() and policy == "raise":
            raise ValueError(
                f"the forecast CDF gave NaN at {int(missing.sum())} of {n} observations; pass "
                "nan_policy='omit' to drop them"
            )
        if (u[~missing] < 0).any() or (u[~missing] > 1).any():
            raise ValueError("the forecast CDF values must lie in [0, 1]")
        incomplete = missing | np.isnan(ya)
        if policy == "omit" and incomplete.all():
            raise ValueError("no observation is complete: each has a NaN value or CDF value")
        u[incomplete] = np.nan
        return u[~incomplete] if policy == "omit" else u
    x = _draws(forecast, n, "forecast", nan_policy=inner)
    incomplete = np.isnan(ya) | np.isnan(x).any(axis=0)
    if policy == "omit":
        if incomplete.all():
            raise ValueError("no observation is complete: each has a NaN value or draw")
        ya, x = ya[~incomplete], x[:, ~incomplete]
        incomplete = incomplete[~incomplete]
    m = x.shape[0]
    below = (x < ya).sum(axis=0)
    ties = (x == ya).sum(axis=0)
    v = as_generator(rng).uniform(size=ya.size) * (1 + ties)
    out = np.asarray((below + v) / (m + 1), dtype=float)
    out[incomplete] = np.nan
    return out


def plot_pit(pit: Any, *, n_bins: int = 10, confidence_level: float = 0.95, ax: Any = None) -> Any:
    """Draw a PIT histogram with the band expected under calibration.

    Parameters
    ----------
    pit : array_like
        PIT values in [0, 1] (from :func:`pit_values`).
    n_bins : int
        Number of equal-width bins.
    confidence_level : float
        Level of the pointwise band for each bin's count under uniformity
        (``Binomial(n, 1/n_bins)`` quantiles).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if None.

    Returns
    -------
    matplotlib.axes.Axes
        Bin counts divided by their expectation ``n / n_bins`` (1 = uniform).
    """
    u = check_array(pit, "pit", suggest_omit=False)
    if (u < 0).any() or (u > 1).any():
        raise ValueError("`pit` values must lie in [0, 1]")
    k = check_int(n_bins, "n_bins", min_value=1)
    conf = check_confidence_level(confidence_level)
    import matplotlib.pyplot as plt

    counts, edges = np.histogram(u, bins=k, range=(0.0, 1.0))
    expected = u.size / k
    lo, hi = stats.binom.interval(conf, u.size, 1.0 / k)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    ax.axhspan(lo / expected, hi / expected, color="grey", alpha=0.25, label=f"{conf:.0%} band")
    ax.bar(edges[:-1], counts / expected, width=1.0 / k, align="edge", edgecolor="white")
    ax.axhline(1.0, color="black", linewidth=1)
    ax.set_xlim(0, 1)
    ax.set_xlabel("PIT value")
    ax.set_ylabel("relative frequency")
    ax.legend(loc="upper right")
    return ax


def interval_coverage(
    y_true: Any,
    low: Any,
    high: Any,
    *,
    confidence_level: float = 0.95,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> Estimate:
    """Empirical coverage of prediction intervals, with a Wilson interval.

    Parameters
    ----------
    y_true : array_like
        Observations.
    low, high : array_like
        Interval bounds per observation (or one for all), ``low <= high``; the interval is
        closed.
    confidence_level : float
        Level of the Wilson interval for the coverage (not the nominal level of the prediction
        intervals, which the result is compared with).
    nan_policy : {'raise', 'omit'}
        ``'raise'``: NaN is an error. ``'omit'``: drop observations with a NaN in any input.

    Returns
    -------
    Estimate
        Fraction of observations inside ``[low, high]``, its standard error and Wilson
        interval; ``details`` hold ``n_below`` and ``n_above`` (misses on each side — a
        well-centred interval misses about equally often on both).

    Raises
    ------
    ValueError
        If ``low > high`` anywhere, the lengths differ, or a value is NaN or inf.

    Notes
    -----
    The Wilson interval assumes independent hits; for h-step forecasts with overlapping
    horizons or autocorrelated misses it is too narrow (see Christoffersen's tests for
    interval forecasts).

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.evaluation.interval_coverage([1, 2, 3, 4, 5], [0, 0, 0, 0, 0], [4, 4, 4, 4, 4])
    >>> res.estimate, res.details["n_above"]
    (0.8, 1)
    """
    ya, a, _ = _prepare(nan_policy, y_true, {"low": low, "high": high}, policies=("raise", "omit"))
    lo, hi = a["low"], a["high"]
    _check_bounds(lo, hi)
    below = int((ya < lo).sum())
    above = int((ya > hi).sum())
    inside = ya.size - below - above
    est = proportion(inside, int(ya.size), method="wilson", confidence_level=confidence_level)
    return Estimate(
        est.estimate,
        est.std_error,
        est.confidence_interval,
        est.confidence_level,
        "empirical interval coverage (Wilson score interval)",
        int(ya.size),
        details={"n_inside": inside, "n_below": below, "n_above": above},
    )
