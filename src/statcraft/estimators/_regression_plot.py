"""The diagnostic plots of :meth:`RegressionResult.plot` (matplotlib is imported here, lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import check_choice

if TYPE_CHECKING:
    from statcraft.estimators._regression_result import RegressionResult

__all__: list[str] = []

KINDS = ("resid", "qq", "scale", "leverage")
_TITLES = {
    "resid": "Residuals vs fitted",
    "qq": "Normal Q–Q",
    "scale": "Scale–location",
    "leverage": "Residuals vs leverage",
}
_N_LABELS = 3  # as R's plot.lm (id.n = 3)


def ppoints(n: int) -> np.ndarray:
    """R's ``ppoints(n)``: ``(i - a) / (n + 1 - 2a)``, ``a = 3/8`` if ``n <= 10`` else 1/2."""
    a = 0.375 if n <= 10 else 0.5
    return (np.arange(1, n + 1) - a) / (n + 1 - 2 * a)


def _response_name(res: RegressionResult) -> str:
    spec = res.formula_spec
    if spec is not None:
        names = list(spec.lhs.column_names)
        if len(names) == 1:
            return str(names[0])
    return "y"


def _point_label(label: Any) -> str:
    """Return the index label of a point; a timestamp at midnight shows as its date."""
    if isinstance(label, pd.Timestamp) and label == label.normalize():
        return label.strftime("%Y-%m-%d")
    return str(label)


def _label_extremes(ax: Any, x: np.ndarray, y: np.ndarray, score: np.ndarray, labels: Any) -> None:
    """Label the points with the largest ``score`` by their index, as R's ``plot.lm``."""
    ok = np.flatnonzero(np.isfinite(score) & np.isfinite(x) & np.isfinite(y))
    if not ok.size:
        return
    top = ok[np.argsort(score[ok])[::-1][:_N_LABELS]]
    for i in top:
        ax.annotate(
            _point_label(labels[i]),
            (x[i], y[i]),
            xytext=(4, 2),
            textcoords="offset points",
            fontsize="small",
        )


def _scatter(ax: Any, x: np.ndarray, y: np.ndarray, label: str) -> None:
    keep = np.isfinite(x) & np.isfinite(y)
    ax.scatter(x[keep], y[keep], s=12, alpha=0.7, color="tab:blue", label=label)


def _draw(res: RegressionResult, kind: str, ax: Any, infl: pd.DataFrame) -> None:
    yname = _response_name(res)
    units = f"(units of {yname})"
    fitted = infl["fitted"].to_numpy()
    resid = infl["residual"].to_numpy()
    r = infl["standardized_residual"].to_numpy()
    h = infl["leverage"].to_numpy()
    labels = infl.index
    if kind == "resid":
        _scatter(ax, fitted, resid, "observations")
        ax.axhline(0.0, color="grey", linestyle="--", linewidth=1)
        _label_extremes(ax, fitted, resid, np.abs(r), labels)
        ax.set_xlabel(f"fitted values {units}")
        ax.set_ylabel(f"residuals {units}")
    elif kind == "qq":
        finite = np.flatnonzero(np.isfinite(r))
        order = finite[np.argsort(r[finite], kind="stable")]
        theo = special.ndtri(ppoints(order.size))
        sample = r[order]
        _scatter(ax, theo, sample, "observations")
        if theo.size:
            lo, hi = float(min(theo[0], sample[0])), float(max(theo[-1], sample[-1]))
            ax.plot([lo, hi], [lo, hi], color="grey", linestyle="--", linewidth=1, label="y = x")
        _label_extremes(ax, theo, sample, np.abs(sample), labels[order])
        ax.set_xlabel("theoretical quantiles (standard normal)")
        ax.set_ylabel("standardized residuals")
    elif kind == "scale":
        root = np.sqrt(np.abs(r))
        _scatter(ax, fitted, root, "observations")
        _label_extremes(ax, fitted, root, root, labels)
        ax.set_xlabel(f"fitted values {units}")
        ax.set_ylabel("√|standardized residuals|")
    else:
        _draw_leverage(res, ax, h, r, infl["cooks_distance"].to_numpy(), labels)
    ax.set_title(_TITLES[kind])


def _draw_leverage(
    res: RegressionResult, ax: Any, h: np.ndarray, r: np.ndarray, cooks: np.ndarray, labels: Any
) -> None:
    _scatter(ax, h, r, "observations")
    ax.axhline(0.0, color="grey", linestyle=":", linewidth=1)
    finite = np.isfinite(r)
    k = len(res.terms)
    hmax = float(np.max(h[finite])) if finite.any() else 1.0
    hmin = float(np.min(h[finite])) if finite.any() else 0.0
    grid = np.linspace(max(hmin, 1e-3) * 0.9, min(0.999, max(hmax * 1.05, 1e-3)), 200)
    # D = r² h / (k (1 - h))  <=>  r = ± sqrt(D k (1 - h) / h)
    for level, style in ((0.5, "--"), (1.0, "-.")):
        bound = np.sqrt(level * k * (1 - grid) / grid)
        ax.plot(
            grid,
            bound,
            color="tab:red",
            linestyle=style,
            linewidth=1,
            label=f"Cook's distance {level:g}",
        )
        ax.plot(grid, -bound, color="tab:red", linestyle=style, linewidth=1)
    if finite.any():  # the contours shoot up at small leverage: keep the data in view
        span = float(np.max(np.abs(r[finite])))
        ax.set_ylim(-1.15 * span - 0.1, 1.15 * span + 0.1)
    _label_extremes(ax, h, r, cooks, labels)
    ax.set_xlabel("leverage (hat value)")
    ax.set_ylabel("standardized residuals")
    ax.legend(loc="best", fontsize="small")


def plot_diagnostics(res: RegressionResult, kind: Any, ax: Any) -> Any:
    """Draw one diagnostic panel, or the four of them (``kind='all'``)."""
    kind = check_choice(kind, "kind", ("all", *KINDS))
    import matplotlib.pyplot as plt

    infl = res.influence()
    if kind != "all":
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 4), layout="constrained")
        _draw(res, kind, ax, infl)
        return ax
    if ax is None:
        fig, axes = plt.subplots(2, 2, figsize=(9, 7.5), layout="constrained")
        fig.suptitle(f"Regression diagnostics: {res.formula or res.method}", fontsize="medium")
    else:
        axes = np.asarray(ax, dtype=object)
        if axes.size != 4:
            raise ValueError(
                f"`ax` must hold 4 Axes for kind='all' (one per panel); got {axes.size}"
            )
    for name, a in zip(KINDS, axes.ravel(), strict=True):
        _draw(res, name, a, infl)
    return axes
