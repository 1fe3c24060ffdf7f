"""Result types shared by every statcraft function.

Every public function returns one of these frozen, slotted dataclasses, never a bare tuple:

- :class:`Estimate` -- a point estimate with its standard error and confidence interval;
- :class:`TestResult` -- a hypothesis test: statistic, p-value, the tested quantity as an
  :class:`Estimate`, an effect size, and test-specific ``details``; unpacks to
  ``(statistic, pvalue)`` like scipy's results;
- :class:`BootstrapResult` -- a bootstrap interval with the replicate distribution.

Field names follow scipy where scipy has one (``statistic``, ``pvalue``,
``confidence_interval``). Each result prints a short summary, renders as an HTML table in
notebooks, and converts with ``to_dict()`` and ``to_frame()`` (a tidy one-row
:class:`pandas.DataFrame` with fixed column names such as ``ci_low`` and ``ci_high``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "BootstrapResult",
    "ConfidenceInterval",
    "Estimate",
    "FrozenMapping",
    "TestResult",
]


class ConfidenceInterval(NamedTuple):
    """A confidence interval ``(low, high)``; one-sided intervals use ``-inf`` or ``inf``."""

    low: float
    high: float


class FrozenMapping(Mapping[str, Any]):
    """A read-only, picklable mapping used for the ``details`` of results.

    Parameters
    ----------
    data : mapping, optional
        The entries; copied, so later changes to ``data`` do not show through.

    Examples
    --------
    >>> from statcraft.results import FrozenMapping
    >>> d = FrozenMapping({"expected": 3.0})
    >>> d["expected"]
    3.0
    >>> d["expected"] = 4.0
    Traceback (most recent call last):
    ...
    TypeError: 'FrozenMapping' object does not support item assignment
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (self._data,))


def _freeze(details: Mapping[str, Any] | None) -> FrozenMapping:
    return details if isinstance(details, FrozenMapping) else FrozenMapping(details)


def _fmt(value: Any, digits: int = 4) -> str:
    """Format a number for a summary line: significant digits, ``nan``/``inf`` spelled out."""
    if value is None:
        return "None"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v) or math.isinf(v):
        return str(v)
    return f"{v:.{digits}g}"


def _fmt_pvalue(p: float) -> str:
    if math.isnan(p):
        return "nan"
    return f"{p:.3g}" if p >= 1e-4 else f"{p:.2e}"


def _level(confidence_level: float) -> str:
    return f"{100 * confidence_level:g}%"


def _scalar(value: Any) -> Any:
    """Turn numpy scalars into Python scalars for ``to_dict``."""
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its standard error and confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate.
    std_error : float or None
        Its standard error, or None where none is defined (e.g. an order-statistic interval).
    confidence_interval : ConfidenceInterval
        ``(low, high)``.
    confidence_level : float
        Nominal coverage of the interval, in (0, 1).
    method : str
        How the estimate and interval were computed, in words.
    n : int or None
        Number of observations used (after dropping NaN with ``nan_policy='omit'``).
    details : FrozenMapping
        Read-only extras specific to the estimator (a scale estimate, iterations, ...).

    Examples
    --------
    >>> from statcraft.results import Estimate, ConfidenceInterval
    >>> e = Estimate(2.5, 0.5, ConfidenceInterval(1.5, 3.5), 0.95, "mean (t interval)", 10)
    >>> e.confidence_interval.low
    1.5
    >>> e
    Estimate(mean (t interval): 2.5, SE 0.5, 95% CI [1.5, 3.5], n=10)
    >>> list(e.to_frame().columns)
    ['estimate', 'std_error', 'ci_low', 'ci_high', 'confidence_level', 'method', 'n']
    """

    estimate: float
    std_error: float | None
    confidence_interval: ConfidenceInterval
    confidence_level: float
    method: str
    n: int | None = None
    details: Mapping[str, Any] = field(default_factory=FrozenMapping, compare=False)

    def __post_init__(self) -> None:
        ci = self.confidence_interval
        if not isinstance(ci, ConfidenceInterval):
            object.__setattr__(self, "confidence_interval", ConfidenceInterval(*ci))
        object.__setattr__(self, "details", _freeze(self.details))

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (the interval as ``ci_low``/``ci_high``)."""
        return {
            "estimate": _scalar(self.estimate),
            "std_error": _scalar(self.std_error),
            "ci_low": _scalar(self.confidence_interval.low),
            "ci_high": _scalar(self.confidence_interval.high),
            "confidence_level": self.confidence_level,
            "method": self.method,
            "n": self.n,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame with fixed column names."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        se = "" if self.std_error is None else f", SE {_fmt(self.std_error)}"
        lo, hi = self.confidence_interval
        n = "" if self.n is None else f", n={self.n}"
        return (
            f"Estimate({self.method}: {_fmt(self.estimate)}{se}, "
            f"{_level(self.confidence_level)} CI [{_fmt(lo)}, {_fmt(hi)}]{n})"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


#: Largest 2-D array of a test's ``details`` shown as a table (cells), and longest vector.
_MAX_TABLE_CELLS = 400
_MAX_TABLE_ROWS = 50


def _estimate_text(est: Estimate) -> str:
    """Write an Estimate on one line: ``method = value, SE se, 95% CI [low, high]``."""
    lo, hi = est.confidence_interval
    se = "" if est.std_error is None else f", SE {_fmt(est.std_error)}"
    return (
        f"{est.method} = {_fmt(est.estimate)}{se}, "
        f"{_level(est.confidence_level)} CI [{_fmt(lo)}, {_fmt(hi)}]"
    )


def _is_number_vector(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 1 and value.dtype.kind in "iuf"
    if isinstance(value, (list, tuple)):
        return all(
            isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            for v in value
        )
    return False


def _detail_tables(details: Mapping[str, Any]) -> list[tuple[str, pd.DataFrame]]:
    """Pick the test-specific tables of a test's ``details``, as ``(caption, frame)`` pairs.

    The DataFrames a test puts in ``details`` (log-rank's observed/expected table, Ljung-Box's
    statistic at every lag) are its own summary and are shown alone. Without one: each small
    2-D numeric array (a contingency table's observed and expected counts, residuals), and the
    short numeric vectors of equal length gathered in one table (per-group sizes and means,
    rows labelled by ``details['groups']`` where it has that length). Long vectors (a null
    distribution, autocorrelations at many lags) and scalars are left to ``details``.
    """
    frames = [(str(k), v) for k, v in details.items() if isinstance(v, pd.DataFrame)]
    if frames:
        return frames
    out: list[tuple[str, pd.DataFrame]] = []
    for key, value in details.items():
        if (
            isinstance(value, np.ndarray)
            and value.ndim == 2
            and value.dtype.kind in "iuf"
            and 0 < value.size <= _MAX_TABLE_CELLS
        ):
            out.append((str(key), pd.DataFrame(value)))
    by_length: dict[int, dict[str, np.ndarray]] = {}
    for key, value in details.items():
        if key != "groups" and _is_number_vector(value) and 2 <= len(value) <= _MAX_TABLE_ROWS:
            by_length.setdefault(len(value), {})[str(key)] = np.asarray(value)
    labels = details.get("groups")
    for length, columns in by_length.items():
        frame = pd.DataFrame(columns)
        caption = ", ".join(columns)
        if isinstance(labels, (list, tuple, np.ndarray)) and len(labels) == length:
            frame.index = pd.Index(list(labels), name="group")
            caption = f"by group: {caption}"
        out.append((caption, frame))
    return out


@dataclass(frozen=True, slots=True, eq=False)
class TestResult:
    """The result of a hypothesis test.

    Unpacking gives ``(statistic, pvalue)``, as with scipy's results::

        stat, p = sc.ttest(x, y)

    The shape is scipy's, not always the meaning: ``statistic`` is the test's statistic as R
    reports it. ``r, p = sc.correlation(x, y)`` gives Pearson's t, where
    ``scipy.stats.pearsonr`` gives r (which is ``result.estimate.estimate`` here); the
    differences are listed in the conventions guide.

    Attributes
    ----------
    statistic : float
        The test statistic (named in ``method``; e.g. ``t``, ``W``, ``X-squared``).
    pvalue : float
        The p-value for ``alternative``.
    df : float, tuple of float, or None
        Degrees of freedom: a number, a ``(numerator, denominator)`` pair, or None.
    alternative : str or None
        ``'two-sided'``, ``'less'`` or ``'greater'``; None for tests without a direction.
    method : str
        A human-readable name of the test, like R's (``"Welch Two Sample t-test"``).
    estimate : Estimate or None
        The tested quantity (a mean difference, an odds ratio, ...) with its interval.
    effect_size : Estimate or None
        A standard effect size (Hedges' g, rank-biserial, Cramér's V, ...) with its interval.
    details : FrozenMapping
        Read-only test-specific extras (expected counts, residuals, a null distribution).

    Examples
    --------
    >>> from statcraft.results import TestResult
    >>> r = TestResult(statistic=2.1, pvalue=0.04, df=9.0, alternative="two-sided",
    ...                method="One Sample t-test")
    >>> stat, p = r
    >>> p
    0.04
    """

    __test__ = False  # not a pytest test class

    statistic: float
    pvalue: float
    df: float | tuple[float, float] | None = None
    alternative: str | None = None
    method: str = ""
    estimate: Estimate | None = None
    effect_size: Estimate | None = None
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", _freeze(self.details))

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float:
        return (self.statistic, self.pvalue)[index]

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar fields as a plain dict; ``details`` is left out (see ``details``)."""
        df = self.df
        out: dict[str, Any] = {
            "statistic": _scalar(self.statistic),
            "pvalue": _scalar(self.pvalue),
            "df": tuple(_scalar(d) for d in df) if isinstance(df, tuple) else _scalar(df),
            "alternative": self.alternative,
            "method": self.method,
        }
        for prefix, est in (("estimate", self.estimate), ("effect_size", self.effect_size)):
            if est is None:
                values: tuple[Any, ...] = (None, None, None, None)
                label = None
            else:
                ci = est.confidence_interval
                values = (_scalar(est.estimate), _scalar(est.std_error), ci.low, ci.high)
                label = est.method
            out[prefix] = values[0]
            out[f"{prefix}_std_error"] = values[1]
            out[f"{prefix}_ci_low"] = _scalar(values[2])
            out[f"{prefix}_ci_high"] = _scalar(values[3])
            out[f"{prefix}_method"] = label
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame with fixed column names."""
        row = self.to_dict()
        if isinstance(row["df"], tuple):
            row["df"] = str(row["df"])
        return pd.DataFrame([row])

    def _df_text(self) -> str | None:
        df = self.df
        if df is None:
            return None
        return f"({_fmt(df[0])}, {_fmt(df[1])})" if isinstance(df, tuple) else _fmt(df)

    def _estimates(self) -> list[tuple[str, Estimate]]:
        """Label the estimate, the effect size and any further Estimate in ``details``."""
        out = [
            (label, est)
            for label, est in (("estimate", self.estimate), ("effect size", self.effect_size))
            if est is not None
        ]
        out += [
            (str(k).replace("_", " "), v)
            for k, v in self.details.items()
            if isinstance(v, Estimate)
        ]
        return out

    def __repr__(self) -> str:
        lines = [f"{self.method or 'TestResult'}"]
        df_txt = self._df_text()
        df_txt = "" if df_txt is None else f", df = {df_txt}"
        alt = "" if self.alternative is None else f" ({self.alternative})"
        p = _fmt_pvalue(self.pvalue)
        lines.append(f"  statistic = {_fmt(self.statistic)}{df_txt}, p-value = {p}{alt}")
        for label, est in (("estimate", self.estimate), ("effect size", self.effect_size)):
            if est is not None:
                lines.append(f"  {label}: {_estimate_text(est)}")
        for key, frame in self.details.items():  # a test's own table (log-rank's O/E, ...)
            if isinstance(frame, pd.DataFrame):
                text = frame.to_string(max_rows=20, float_format=lambda v: f"{v:.4g}")
                lines.append(f"  {key}:")
                lines.extend(f"    {line}" for line in text.splitlines())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Summarise for a notebook: the test, only the fields it has, then its own tables.

        One two-column table -- statistic (named as ``details['statistic_name']`` says), df,
        p-value, alternative, the estimate and the effect size with their intervals (rows
        absent where the test has no such field) -- then the test-specific tables of
        ``details`` (see :func:`_detail_tables`).
        """
        name = self.details.get("statistic_name")
        rows: list[tuple[str, str]] = [
            (f"statistic ({name})" if isinstance(name, str) else "statistic", _fmt(self.statistic))
        ]
        df_txt = self._df_text()
        if df_txt is not None:
            rows.append(("df", df_txt))
        rows.append(("p-value", _fmt_pvalue(self.pvalue)))
        if self.alternative is not None:
            rows.append(("alternative", self.alternative))
        rows += [(label, _estimate_text(est)) for label, est in self._estimates()]
        summary = pd.DataFrame({"value": [v for _, v in rows]}, index=[k for k, _ in rows])
        parts = [
            f"<p><b>{html.escape(self.method or 'TestResult')}</b></p>",
            summary.to_html(header=False),
        ]
        for caption, frame in _detail_tables(self.details):
            table = frame.to_html(max_rows=_MAX_TABLE_ROWS, float_format="{:.4g}".format)
            parts.append(
                '<div style="display:inline-block; vertical-align:top; margin-right:1.5em">'
                f"<p><i>{html.escape(caption)}</i></p>{table}</div>"
            )
        return "\n".join(parts)


@dataclass(frozen=True, slots=True, eq=False)
class BootstrapResult:
    """A bootstrap estimate with its interval and the replicate distribution.

    Attributes
    ----------
    estimate : float or numpy.ndarray
        The statistic on the original data.
    confidence_interval : ConfidenceInterval
        ``(low, high)``; arrays when the statistic is vector-valued.
    confidence_level : float
        Nominal coverage.
    std_error : float or numpy.ndarray
        Standard deviation of the bootstrap replicates.
    bias : float or numpy.ndarray
        Mean of the replicates minus ``estimate``.
    distribution : numpy.ndarray
        The bootstrap replicates, replicate index on the last axis.
    method : str
        Interval method (``'bca'``, ``'percentile'``, ...).
    n_resamples : int
        Number of replicates.
    scheme : str
        Resampling scheme (``'iid'``, ``'stationary'``, ``'circular'``, ``'moving'``).
    block_length : float or None
        Block length of a block scheme (the mean block length for ``'stationary'``).
    details : FrozenMapping
        Read-only extras (the acceleration and bias-correction of BCa, ...).
    """

    estimate: Any
    confidence_interval: ConfidenceInterval
    confidence_level: float
    std_error: Any
    bias: Any
    distribution: np.ndarray
    method: str
    n_resamples: int
    scheme: str = "iid"
    block_length: float | None = None
    details: Mapping[str, Any] = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        ci = self.confidence_interval
        if not isinstance(ci, ConfidenceInterval):
            object.__setattr__(self, "confidence_interval", ConfidenceInterval(*ci))
        object.__setattr__(self, "details", _freeze(self.details))

    def to_dict(self) -> dict[str, Any]:
        """Return the scalar fields as a plain dict; the replicates are left out."""
        return {
            "estimate": _scalar(self.estimate),
            "std_error": _scalar(self.std_error),
            "bias": _scalar(self.bias),
            "ci_low": _scalar(self.confidence_interval.low),
            "ci_high": _scalar(self.confidence_interval.high),
            "confidence_level": self.confidence_level,
            "method": self.method,
            "n_resamples": self.n_resamples,
            "scheme": self.scheme,
            "block_length": self.block_length,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy DataFrame: one row, or one row per component of a vector statistic."""
        d = self.to_dict()
        if np.ndim(self.estimate) == 0:
            return pd.DataFrame([d])
        shape = np.shape(self.estimate)
        return pd.DataFrame(
            {k: np.ravel(np.broadcast_to(np.asarray(v, dtype=object), shape)) for k, v in d.items()}
        )

    def __repr__(self) -> str:
        lo, hi = self.confidence_interval
        if np.ndim(self.estimate) == 0:
            body = (
                f"{_fmt(self.estimate)}, SE {_fmt(self.std_error)}, bias {_fmt(self.bias)}, "
                f"{_level(self.confidence_level)} CI [{_fmt(lo)}, {_fmt(hi)}]"
            )
        else:
            body = f"{np.shape(self.estimate)} estimates, {_level(self.confidence_level)} CIs"
        block = "" if self.block_length is None else f", block length {_fmt(self.block_length)}"
        return f"BootstrapResult({self.method}, {self.scheme}{block}, B={self.n_resamples}: {body})"

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)

    def plot(self, ax: Any = None, *, component: Any = None, bins: Any = "auto") -> Any:
        """Draw the replicate distribution with the estimate and the confidence interval.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made if None.
        component : int or tuple of int, optional
            For a vector- or matrix-valued statistic, which component to draw (an index into
            ``estimate``, e.g. ``1`` or ``(0, 1)``); required then, refused for a scalar.
        bins : int, sequence or str, default 'auto'
            Histogram bins, as in :func:`numpy.histogram_bin_edges` (``'auto'`` is capped at
            100 bins).

        Returns
        -------
        matplotlib.axes.Axes
            A density histogram of the replicates, a solid line at the estimate and dashed
            lines at the finite interval ends, with a legend.

        Raises
        ------
        ValueError
            If ``component`` is missing for a non-scalar statistic, given for a scalar one,
            or does not select a single component.

        Examples
        --------
        >>> import numpy as np
        >>> import statcraft as sc
        >>> x = [3, 5, 7, 18, 43, 85, 91, 98, 100, 130, 230, 487]
        >>> res = sc.resampling.bootstrap((x,), np.mean, n_resamples=999, rng=1)
        >>> ax = res.plot()
        >>> ax.get_ylabel(), len(ax.get_lines())
        ('density', 3)
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        dist = np.asarray(self.distribution, dtype=float)
        est: Any = self.estimate
        lo: Any = self.confidence_interval.low
        hi: Any = self.confidence_interval.high
        shape = np.shape(self.estimate)
        which = ""
        if shape:
            if component is None:
                example = 0 if len(shape) == 1 else (0,) * len(shape)
                raise ValueError(
                    f"the statistic has shape {shape}; pass `component` (an index into "
                    f"estimate, e.g. component={example!r})"
                )
            idx = component if isinstance(component, tuple) else (component,)
            try:
                est, lo, hi = (np.asarray(v, dtype=float)[idx] for v in (est, lo, hi))
                dist = dist[idx]
            except (IndexError, TypeError):
                raise ValueError(
                    f"`component` ({component!r}) is not an index into an estimate of shape {shape}"
                ) from None
            if np.ndim(est) != 0:
                raise ValueError(
                    f"`component` ({component!r}) must select one component of the estimate "
                    f"of shape {shape}"
                )
            which = f" [{', '.join(str(i) for i in idx)}]"
        elif component is not None:
            raise ValueError("`component` applies to vector statistics; the estimate is a scalar")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        edges = np.histogram_bin_edges(dist, bins=bins)
        if isinstance(bins, str) and edges.size > 101:
            edges = np.histogram_bin_edges(dist, bins=100)
        ax.hist(dist, bins=edges, density=True, color="C0", alpha=0.6,
                label=f"{self.n_resamples} replicates")  # fmt: skip
        ax.axvline(float(est), color="C3", linewidth=2, label=f"estimate {_fmt(est)}")
        ci_label = f"{_level(self.confidence_level)} CI ({self.method}) [{_fmt(lo)}, {_fmt(hi)}]"
        for end in (lo, hi):
            if np.isfinite(end):
                ax.axvline(float(end), color="black", linestyle="--", linewidth=1.5,
                           label=ci_label)  # fmt: skip
                ci_label = "_nolegend_"
        block = "" if self.block_length is None else f", block length {_fmt(self.block_length)}"
        ax.set_title(f"Bootstrap distribution{which} ({self.scheme}{block}, B={self.n_resamples})")
        ax.set_xlabel(f"statistic{which} (bootstrap replicates)")
        ax.set_ylabel("density")
        ax.legend(loc="best")
        return ax
