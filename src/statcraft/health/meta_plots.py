r"""Forest and funnel plots of a meta-analysis.

- :func:`forest_plot` — each study's effect and interval (squares sized by weight), the pooled
  estimate as a diamond, and the prediction interval of a random-effects model.
- :func:`funnel_plot` — effects against their standard errors with the pseudo-confidence
  region around the pooled estimate, optional significance contours (a contour-enhanced
  funnel plot, Peters et al. 2008) and Egger's regression line and test.

Both take a :class:`~statcraft.health.meta.MetaAnalysisResult` and return the
matplotlib ``Axes``; matplotlib is imported only when they are called.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from statcraft._validation import check_bool, check_confidence_level
from statcraft.health.effect_sizes import MEASURE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from statcraft.health._meta_result import MetaAnalysisResult

__all__ = ["forest_plot", "funnel_plot"]

_RATIO_NAMES = {"OR": "odds ratio", "RR": "risk ratio", "PETO": "odds ratio (Peto)"}
_MODEL_TITLES = {
    "FE": "common-effect model",
    "DL": "random-effects model (DL)",
    "REML": "random-effects model (REML)",
    "PM": "random-effects model (PM)",
    "MH": "Mantel-Haenszel",
    "Peto": "Peto",
}


def _check_result(result: Any, func: str) -> MetaAnalysisResult:
    from statcraft.health._meta_result import MetaAnalysisResult

    if not isinstance(result, MetaAnalysisResult):
        raise TypeError(
            f"`result` of {func} must be a MetaAnalysisResult (from meta_analysis, "
            f"meta_mantel_haenszel or meta_peto); got {type(result).__name__}"
        )
    return result


def _check_ax(ax: Any) -> Axes:
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}")
    return ax


def _is_exp(transform: Callable[..., Any] | None) -> bool:
    return transform is np.exp or transform is math.exp


def _plain_log_axis(ax: Any) -> None:
    """Log scale with ratios written plainly (0.5, 1, 2), not as powers of ten."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(0.1, 0.2, 0.5, 1.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _axis_label(measure: str | None, transform: Callable[..., Any] | None) -> str:
    name = MEASURE_NAMES.get(measure or "", measure or "effect")
    if transform is None:
        return name
    if _is_exp(transform) and measure in _RATIO_NAMES:
        return _RATIO_NAMES[measure]
    return f"{name} (transformed)"


def forest_plot(
    result: MetaAnalysisResult,
    *,
    labels: Sequence[Any] | None = None,
    ax: Axes | None = None,
    transform: Callable[[Any], Any] | None = None,
    show_prediction: bool = True,
    annotate: bool = True,
) -> Axes:
    r"""Forest plot: study effects with intervals, the pooled diamond and the prediction interval.

    Parameters
    ----------
    result : MetaAnalysisResult
        From :func:`~statcraft.health.meta.meta_analysis`,
        :func:`~statcraft.health.meta.meta_mantel_haenszel` or
        :func:`~statcraft.health.meta.meta_peto`.
    labels : sequence, optional
        Study labels (default: the result's study labels).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new figure).
    transform : callable, optional
        Applied to effects and interval bounds before plotting, e.g. ``numpy.exp`` to show
        odds or risk ratios for log-scale effects; with ``numpy.exp`` the x-axis is
        logarithmic. The reference line is drawn at ``transform(0)``.
    show_prediction : bool
        Draw the prediction interval of a random-effects model (when :math:`\hat\tau^2 > 0`)
        as a bar under the diamond.
    annotate : bool
        Write each row's estimate, interval and weight to the right of the axes.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with a title, x label (the measure) and the study labels as y ticks.

    Raises
    ------
    TypeError
        If ``result`` is not a MetaAnalysisResult, ``ax`` not an Axes, ``transform`` not
        callable, or a flag not a bool.
    ValueError
        If ``labels`` does not have one entry per study.

    Notes
    -----
    Study intervals are Wald intervals :math:`y_i \pm z\sqrt{v_i}` at the result's confidence
    level (as metafor's ``forest``); squares have areas proportional to the weights. Studies
    without an estimable effect (double-zero studies of Mantel–Haenszel or Peto pooling) are
    listed without a marker.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import effect_sizes_2x2, forest_plot
    >>> from statcraft.health import meta_analysis
    >>> bcg = load_bcg()
    >>> es = effect_sizes_2x2(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                       bcg["control_cases"], bcg["control_total"], measure="RR")
    >>> res = meta_analysis(es["effect"], es["variance"], measure="RR")
    >>> ax = forest_plot(res, transform=np.exp)
    >>> ax.get_xlabel()
    'risk ratio'
    """
    result = _check_result(result, "forest_plot")
    show_prediction = check_bool(show_prediction, "show_prediction")
    annotate = check_bool(annotate, "annotate")
    if transform is not None and not callable(transform):
        raise TypeError(f"`transform` must be callable or None; got {transform!r}")
    k = result.k
    if labels is None:
        names = [str(s) for s in result.effects.index]
    else:
        if isinstance(labels, (str, bytes)):
            raise TypeError(f"`labels` must be a sequence of labels; got {labels!r}")
        names = [str(s) for s in labels]
        if len(names) != k:
            raise ValueError(f"`labels` has {len(names)} entries but the result has {k} studies")
    ax = _check_ax(ax)

    def tf(x: Any) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        return arr if transform is None else np.asarray(transform(arr), dtype=float)

    level = result.confidence_level
    z = float(special.ndtri(0.5 + level / 2))
    y = result.effects.to_numpy()
    se = np.sqrt(result.variances.to_numpy())
    ok = np.isfinite(y)
    rows = np.arange(k, 0, -1, dtype=float) + 1.0  # first study on top, pooled row at 0
    lo, hi = tf(y - z * se), tf(y + z * se)
    mid = tf(y)
    w = result.weights.to_numpy()
    sizes = 20 + 180 * np.sqrt(np.where(ok, w, 0.0) / max(float(np.nanmax(w)), 1e-300))
    ax.hlines(rows[ok], lo[ok], hi[ok], color="black", linewidth=1)
    ax.scatter(mid[ok], rows[ok], s=sizes[ok], marker="s", color="0.25", zorder=3)
    est = result.estimate
    ci = est.confidence_interval
    px = tf([ci.low, est.estimate, ci.high, est.estimate])
    ax.fill(px, [0.0, 0.35, 0.0, -0.35], color="tab:blue", zorder=3, label="pooled estimate")
    if show_prediction and result.is_random_effects and result.tau2.estimate > 0:
        pi = result.prediction_interval
        pl, ph = tf([pi.low, pi.high])
        ax.hlines(-0.75, pl, ph, color="tab:blue", linewidth=2, label="prediction interval")
        ax.vlines([pl, ph], -0.9, -0.6, color="tab:blue", linewidth=2)
    ax.axvline(float(tf(0.0)), color="0.5", linestyle="--", linewidth=1)
    if _is_exp(transform):
        _plain_log_axis(ax)
    pooled_label = f"Pooled ({result.method}{', HKSJ' if result.hksj else ''})"
    ax.set_yticks([*rows.tolist(), 0.0], [*names, pooled_label])
    ax.set_ylim(-1.3 if show_prediction else -0.8, k + 1.8)
    ax.set_xlabel(_axis_label(result.measure, transform))
    ax.set_title(
        f"Forest plot, {_MODEL_TITLES[result.method]}: k = {k}, "
        f"I² = {result.i2.estimate:.1f}%, τ² = {result.tau2.estimate:.3g}"
    )
    if annotate:
        trans = ax.get_yaxis_transform()
        for r, m, a, b, wt, good in zip(rows, mid, lo, hi, w, ok, strict=True):
            text = f"{m:.2f} [{a:.2f}, {b:.2f}]  {wt:.1f}%" if good else "not estimable"
            ax.text(1.02, r, text, transform=trans, va="center", fontsize=8)
        ax.text(
            1.02,
            0.0,
            f"{px[1]:.2f} [{px[0]:.2f}, {px[2]:.2f}]",
            transform=trans,
            va="center",
            fontsize=8,
            fontweight="bold",
        )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False)
    return ax


def funnel_plot(
    result: MetaAnalysisResult,
    *,
    ax: Axes | None = None,
    contours: Sequence[float] | None = None,
    egger: bool = True,
    refline: float = 0.0,
) -> Axes:
    r"""Funnel plot with the pseudo-confidence region and Egger's regression test.

    Parameters
    ----------
    result : MetaAnalysisResult
        From :func:`~statcraft.health.meta.meta_analysis`,
        :func:`~statcraft.health.meta.meta_mantel_haenszel` or
        :func:`~statcraft.health.meta.meta_peto`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (default: a new figure).
    contours : sequence of float, optional
        Confidence levels (e.g. ``(0.90, 0.95, 0.99)``) of significance contours around
        ``refline``: the shaded bands (darker for smaller p) show where a study's two-sided
        z-test of ``refline`` has a p-value between consecutive levels (a contour-enhanced
        funnel plot); outside the bands p > 1 - min(contours).
    egger : bool
        Draw Egger's regression line and report its test (needs 3 or more studies of
        different precision).
    refline : float
        The null value of the contours (0 for log ratios and differences).

    Returns
    -------
    matplotlib.axes.Axes
        The axes: effects on x, standard errors on y (0 at the top), with title, axis labels
        and a legend; the title gives Egger's p-value.

    Raises
    ------
    TypeError
        If ``result`` is not a MetaAnalysisResult, ``ax`` not an Axes or ``egger`` not a
        bool.
    ValueError
        If a contour level is not in (0, 1) or ``refline`` is not finite.

    Notes
    -----
    The pseudo-confidence region is :math:`\hat\mu \pm z_{1-\alpha/2}\,\mathrm{SE}` for the
    result's level: without heterogeneity and small-study effects about that share of the
    studies falls inside. Egger's line is :math:`y = b + \beta\,\mathrm{SE}` from
    :func:`~statcraft.health.meta.egger_test` (Egger et al. 1997); it meets the top
    of the plot at the limit estimate :math:`b`.

    References
    ----------
    .. [1] Sterne, J. A. C., Egger, M. (2001). Funnel plots for detecting bias in
       meta-analysis: guidelines on choice of axis. Journal of Clinical Epidemiology 54,
       1046–1055.
    .. [2] Peters, J. L., Sutton, A. J., Jones, D. R., Abrams, K. R., Rushton, L. (2008).
       Contour-enhanced meta-analysis funnel plots help distinguish publication bias from
       other causes of asymmetry. Journal of Clinical Epidemiology 61, 991–996.

    Examples
    --------
    >>> from statcraft.datasets import load_bcg
    >>> from statcraft.health import effect_sizes_2x2, funnel_plot
    >>> from statcraft.health import meta_analysis
    >>> bcg = load_bcg()
    >>> es = effect_sizes_2x2(bcg["vaccinated_cases"], bcg["vaccinated_total"],
    ...                       bcg["control_cases"], bcg["control_total"], measure="RR")
    >>> ax = funnel_plot(meta_analysis(es["effect"], es["variance"], measure="RR"))
    >>> ax.get_ylabel()
    'standard error'
    """
    from statcraft.health._meta_regression import egger_test

    result = _check_result(result, "funnel_plot")
    egger = check_bool(egger, "egger")
    levels = []
    if contours is not None:
        if isinstance(contours, (str, bytes)) or not hasattr(contours, "__iter__"):
            raise TypeError(f"`contours` must be a sequence of confidence levels; got {contours!r}")
        levels = sorted(check_confidence_level(c) for c in contours)
    if isinstance(refline, bool) or not isinstance(refline, (int, float, np.number)):
        raise TypeError(f"`refline` must be a real number; got {refline!r}")
    if not math.isfinite(float(refline)):
        raise ValueError(f"`refline` must be finite; got {refline!r}")
    ax = _check_ax(ax)
    y = result.effects.to_numpy()
    ok = np.isfinite(y)
    y, v = y[ok], result.variances.to_numpy()[ok]
    se = np.sqrt(v)
    top = 1.05 * float(se.max())
    grid = np.linspace(0.0, top, 100)
    if levels:
        greys = np.linspace(0.9, 0.7, len(levels))
        for i, (lev, grey) in enumerate(zip(levels, greys, strict=True)):
            zc = float(special.ndtri(0.5 + lev / 2))
            far = 3 * zc * top + 1
            p_hi = 1 - lev
            label = (
                f"{1 - levels[i + 1]:.3g} < p < {p_hi:.3g}"
                if i + 1 < len(levels)
                else f"p < {p_hi:.3g}"
            )
            color = f"{grey:.2f}"
            ax.fill_betweenx(
                grid, refline + zc * grid, refline + far, color=color, lw=0, label=label
            )
            ax.fill_betweenx(grid, refline - far, refline - zc * grid, color=color, lw=0)
    mu = result.estimate.estimate
    zc = float(special.ndtri(0.5 + result.confidence_level / 2))
    level_txt = f"{100 * result.confidence_level:g}%"
    ax.plot(mu - zc * grid, grid, color="0.3", linestyle="--", linewidth=1)
    region = f"{level_txt} pseudo-confidence region"
    ax.plot(mu + zc * grid, grid, color="0.3", linestyle="--", linewidth=1, label=region)
    ax.axvline(mu, color="tab:blue", linewidth=1, label=f"pooled estimate ({result.method})")
    ax.scatter(y, se, color="black", s=18, zorder=3, label="studies")
    title = f"Funnel plot, {_MODEL_TITLES[result.method]}"
    if egger and len(y) >= 3 and np.ptp(se) > 1e-12 * float(se.max()):
        test = egger_test(y, v)
        b = test.details["limit_estimate"].estimate
        slope = test.estimate.estimate if test.estimate is not None else 0.0
        egger_label = f"Egger's line (t = {test.statistic:.2f}, p = {test.pvalue:.3g})"
        ax.plot(b + slope * grid, grid, color="tab:red", linewidth=1.5, label=egger_label)
        title += f"\nEgger's test: p = {test.pvalue:.3g}"
    span = max(zc * top, float(np.max(np.abs(y - mu)))) * 1.15
    ax.set_xlim(mu - span, mu + span)
    ax.set_ylim(top, 0.0)
    ax.set_xlabel(MEASURE_NAMES.get(result.measure or "", result.measure or "effect"))
    ax.set_ylabel("standard error")
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8, framealpha=0.8)
    return ax
