"""Columns by name and splits by group: the one place that resolves ``data=`` and ``group=``.

Functions that take samples also accept ``data=`` (a :class:`pandas.DataFrame`) with column
names in place of arrays, and comparisons of groups accept ``group=`` (a column name, or an
array aligned with the sample). This module turns those arguments into the samples the array
form of the function would have received, so that ``f("bmi", group="sex", data=df)`` computes
exactly what ``f(df.bmi[df.sex == a], df.bmi[df.sex == b])`` computes, and it builds the names
that carry into the result (the ``method`` text and ``details``).

API (private; used by the hypothesis tests, effect sizes and survival functions):

- :func:`check_data` -- ``data`` is None or a DataFrame.
- :func:`column` -- ``(values, label)`` for one sample argument: a column of ``data`` when the
  argument is a column name, else the argument itself; ``label`` is the column or Series name.
- :func:`group_codes` -- ``(codes, labels, name)``: integer codes ``0 .. k-1`` of a ``group``
  (a column name or an aligned array), its levels in sorted order (a Categorical's category
  order) and the group column's name. Use it to split several aligned arrays (time and event).
- :func:`split_by_group` -- ``(samples, labels)``: one sample split by ``group``.
- :func:`two_samples` / :func:`k_samples` -- the whole argument handling of a two-sample or a
  k-sample function, returning a :class:`Samples` whose ``describe(method)`` appends the data
  description (``"Welch Two Sample t-test: bmi by sex (female vs male)"``), whose
  ``annotate(estimate)`` does the same to an :class:`~statcraft.results.Estimate`, and whose
  ``details`` holds ``data_name`` (and ``groups``, the labels in order, for a split).

Naming. ``data_name`` is R's ``data.name``: ``"bmi by sex (female vs male)"`` for a split (the
levels joined by ``", "`` when there are more than two), ``"s1 and s2"`` for two named samples,
``"a, b, c"`` for k named samples (their names are then the ``groups``), one name when every
sample carries the same name (subsets of one column); None, and the ``method`` unchanged, when
nothing is named (plain arrays).

Rules. Levels are sorted (as :meth:`pandas.DataFrame.groupby`); for a Categorical they follow
its category order (categories that do not occur are left out). A missing value in ``group``
is an error (drop those rows first). ``group`` and the sample are aligned by position. The
caller's DataFrame is never modified: columns are read, never written.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from statcraft.results import Estimate

__all__ = [
    "Samples",
    "check_data",
    "column",
    "group_codes",
    "k_samples",
    "split_by_group",
    "two_samples",
]


def check_data(data: Any) -> pd.DataFrame | None:
    """Return ``data`` if it is None or a DataFrame; TypeError otherwise.

    Examples
    --------
    >>> check_data({"a": [1, 2]})
    Traceback (most recent call last):
    ...
    TypeError: `data` must be a pandas DataFrame; got dict
    """
    if data is None or isinstance(data, pd.DataFrame):
        return data
    raise TypeError(f"`data` must be a pandas DataFrame; got {type(data).__name__}")


def _is_name(value: Any, data: pd.DataFrame | None) -> bool:
    """Whether ``value`` names a column: a string, or (with data) a scalar column label."""
    if isinstance(value, str):
        return True
    if data is None or value is None or isinstance(value, (bool, np.bool_)):
        return False
    if np.ndim(value) != 0 or not isinstance(value, Hashable):
        return False
    try:
        return value in data.columns
    except TypeError:
        return False


def _label(value: Any) -> str | None:
    """Return the name a sample carries: a named Series' name, else None."""
    if isinstance(value, pd.Series) and value.name is not None:
        return str(value.name)
    return None


def column(data: Any, value: Any, argument: str, *, numeric: bool = True) -> tuple[Any, str | None]:
    """Resolve one sample argument to ``(values, label)``.

    Parameters
    ----------
    data : pandas.DataFrame or None
        The caller's ``data=``.
    value : str, array_like or None
        A column name of ``data``, or the values themselves (returned unchanged).
    argument : str
        The argument's name, used in error messages (``"x"``, ``"group"``).
    numeric : bool
        Whether a named column must be numeric (bool counts as numeric).

    Returns
    -------
    values : pandas.Series or the input
        The column (the DataFrame's own Series, not a copy: read it, never write to it) or
        ``value`` itself.
    label : str or None
        The column name, a named Series' name, or None.

    Raises
    ------
    TypeError
        A column name without ``data``, ``data`` not a DataFrame, or a non-numeric column where
        numbers are needed.
    ValueError
        A name that is not a column of ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"bmi": [22.0, 27.5], "sex": ["f", "m"]})
    >>> values, label = column(df, "bmi", "x")
    >>> values.tolist(), label
    ([22.0, 27.5], 'bmi')
    >>> column(df, "bmj", "x")
    Traceback (most recent call last):
    ...
    ValueError: `x`: 'bmj' is not a column of `data` (did you mean 'bmi'?); its columns are ...
    >>> column(df, "sex", "x")
    Traceback (most recent call last):
    ...
    TypeError: `x`: column 'sex' of `data` must be numeric; got dtype ...
    >>> column(None, "bmi", "x")
    Traceback (most recent call last):
    ...
    TypeError: `x` must be array-like of numbers; got the string 'bmi' (to use a column by ...
    """
    data = check_data(data)
    if not _is_name(value, data):
        return value, _label(value)
    if data is None:
        raise TypeError(
            f"`{argument}` must be array-like of numbers; got the string {value!r} (to use a "
            "column by name, pass the DataFrame as data=)"
        )
    if value not in data.columns:
        names = [str(c) for c in data.columns]
        close = difflib.get_close_matches(str(value), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        listed = ", ".join(repr(c) for c in names[:20]) + (", ..." if len(names) > 20 else "")
        raise ValueError(
            f"`{argument}`: {value!r} is not a column of `data`{hint}; its columns are {listed}"
        )
    values = data[value]
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"`{argument}`: `data` has {values.shape[1]} columns named {value!r}")
    if numeric and not pd.api.types.is_numeric_dtype(values):
        raise TypeError(
            f"`{argument}`: column {value!r} of `data` must be numeric; got dtype {values.dtype}"
        )
    return values, str(value)


def _levels(labels: pd.Series, where: str) -> tuple[np.ndarray, list[Any]]:
    """Integer codes and the sorted levels (category order for a Categorical)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        cat = labels.cat.remove_unused_categories()
        return np.asarray(cat.cat.codes, dtype=np.intp), list(cat.cat.categories)
    uniques = pd.unique(labels.to_numpy())
    try:
        levels = sorted(uniques.tolist())
    except TypeError:
        raise TypeError(
            f"{where} mixes labels that cannot be sorted: "
            f"{', '.join(sorted({type(u).__name__ for u in uniques}))}"
        ) from None
    codes = pd.Index(levels).get_indexer(labels.to_numpy())
    return np.asarray(codes, dtype=np.intp), levels


def _python(label: Any) -> Any:
    return label.item() if isinstance(label, np.generic) else label


def _fmt_levels(levels: Sequence[Any], limit: int = 10) -> str:
    shown = ", ".join(str(v) for v in levels[:limit])
    return shown + (f", ... ({len(levels)} in all)" if len(levels) > limit else "")


def group_codes(
    group: Any,
    data: Any,
    n: int,
    *,
    argument: str = "group",
    sample_argument: str = "x",
    n_groups: int | None = None,
    min_groups: int = 2,
) -> tuple[np.ndarray, tuple[Any, ...], str | None]:
    """Resolve ``group`` to integer codes, its levels and its name.

    Parameters
    ----------
    group : str or array_like
        A column name of ``data``, or one label per observation (aligned by position).
    data : pandas.DataFrame or None
        The caller's ``data=``.
    n : int
        Number of observations of the sample being split.
    argument, sample_argument : str
        Names of the group argument and of the sample, for error messages.
    n_groups : int, optional
        The exact number of levels required (2 for a two-sample function).
    min_groups : int
        The least number of levels (used when ``n_groups`` is None).

    Returns
    -------
    codes : numpy.ndarray of intp
        ``codes[i]`` is the index into ``labels`` of observation ``i``.
    labels : tuple
        The levels in order (sorted; a Categorical's category order), as Python scalars.
    name : str or None
        The group column's name, or a named Series' name.

    Raises
    ------
    ValueError
        A missing label, the wrong length, or the wrong number of levels.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": ["m", "f", "m"]})
    >>> codes, labels, name = group_codes("sex", df, 3)
    >>> codes.tolist(), labels, name
    ([1, 0, 1], ('f', 'm'), 'sex')
    >>> group_codes("sex", df, 3, n_groups=3)
    Traceback (most recent call last):
    ...
    ValueError: `group` (column 'sex') must have exactly 3 levels here; found 2: f, m
    """
    values, name = column(data, group, argument, numeric=False)
    where = f"`{argument}`" + (f" (column {name!r})" if name is not None else "")
    if values is None:
        raise TypeError(f"{where} must be a column name or one label per observation; got None")
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{where} must be one column; got a DataFrame")
    if isinstance(values, pd.Series):
        labels = values.reset_index(drop=True)
    else:
        arr = np.asarray(values)
        if arr.ndim == 2 and 1 in arr.shape:
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"{where} must be one-dimensional; got shape {arr.shape}")
        labels = pd.Series(arr)
    if len(labels) != n:
        raise ValueError(
            f"{where} must have one label per observation of `{sample_argument}`; "
            f"got {len(labels)} labels for {n} observations"
        )
    missing = int(labels.isna().sum())
    if missing:
        s = "" if missing == 1 else "s"
        raise ValueError(
            f"{where} has {missing} missing value{s}; drop those rows first "
            "(an observation with no group cannot be assigned to one)"
        )
    codes, levels = _levels(labels, where)
    k = len(levels)
    if n_groups is not None and k != n_groups:
        raise ValueError(
            f"{where} must have exactly {n_groups} levels here; found {k}: {_fmt_levels(levels)}"
        )
    if k < min_groups:
        raise ValueError(
            f"{where} must have at least {min_groups} levels; found {k}: {_fmt_levels(levels)}"
        )
    return codes, tuple(_python(v) for v in levels), name


def _one_dimensional(values: Any, argument: str) -> Any:
    """``values`` as a Series or a 1-D ndarray that can be indexed by position."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(
                f"`{argument}` must be one column to split by group; got {values.shape[1]}"
            )
        return values.iloc[:, 0]
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"`{argument}` must be array-like of numbers; got {values!r}")
    arr = np.asarray(values)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"`{argument}` must be one-dimensional to split by group; got {arr.shape}")
    return arr


def split_by_group(
    values: Any,
    group: Any,
    data: Any,
    *,
    argument: str = "group",
    sample_argument: str = "x",
    n_groups: int | None = None,
    min_groups: int = 2,
) -> tuple[list[Any], tuple[Any, ...]]:
    """Split one sample by ``group``: ``(samples, labels)``, one sample per level, in order.

    ``values`` is already resolved (see :func:`column`); a Series stays a Series (subset by
    position), anything else becomes a 1-D NumPy array, so each sample is exactly what
    ``values[group == level]`` would give. See :func:`group_codes` for the parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"bmi": [22.0, 27.5, 24.0], "sex": [2, 1, 2]})
    >>> samples, labels = split_by_group(df["bmi"], "sex", df, n_groups=2)
    >>> [s.tolist() for s in samples], labels
    ([[27.5], [22.0, 24.0]], (1, 2))
    """
    values = _one_dimensional(values, sample_argument)
    codes, labels, _ = group_codes(
        group,
        data,
        len(values),
        argument=argument,
        sample_argument=sample_argument,
        n_groups=n_groups,
        min_groups=min_groups,
    )
    samples = []
    for i in range(len(labels)):
        where = np.flatnonzero(codes == i)
        samples.append(values.iloc[where] if isinstance(values, pd.Series) else values[where])
    return samples, labels


@dataclass(frozen=True)
class Samples:
    """Resolved samples with the description that carries into the result.

    Attributes
    ----------
    samples : tuple
        The samples, ready for the array form (``None`` stands for an absent ``y``).
    data_name : str or None
        What the data are, as R's ``data.name``: ``"bmi by sex (female vs male)"``,
        ``"before and after"``, ``"bmi"``; None when nothing is named.
    groups : tuple or None
        The group labels in order when a sample was split by ``group`` (else None).
    """

    samples: tuple[Any, ...]
    data_name: str | None = None
    groups: tuple[Any, ...] | None = None

    def describe(self, method: str) -> str:
        """Return ``method`` followed by the data description, if there is one."""
        return f"{method}: {self.data_name}" if self.data_name else method

    def annotate(self, estimate: Estimate) -> Estimate:
        """Return ``estimate`` with the description in its ``method`` and ``details``."""
        if not self.details:
            return estimate
        return dataclasses.replace(
            estimate,
            method=self.describe(estimate.method),
            details={**estimate.details, **self.details},
        )

    @property
    def details(self) -> dict[str, Any]:
        """Entries for the result's ``details``: ``data_name`` and ``groups`` when known."""
        out: dict[str, Any] = {}
        if self.data_name:
            out["data_name"] = self.data_name
        if self.groups is not None:
            out["groups"] = self.groups
        return out


def _by_group(value_label: str | None, group_name: str | None, labels: tuple[Any, ...]) -> str:
    sep = " vs " if len(labels) == 2 else ", "
    what = f"{value_label or 'x'} by {group_name or 'group'}"
    return f"{what} ({sep.join(str(v) for v in labels)})"


def two_samples(
    x: Any,
    y: Any,
    *,
    group: Any = None,
    data: Any = None,
    names: tuple[str, str] = ("x", "y"),
    paired: bool = False,
    y_required: bool = False,
) -> Samples:
    """Resolve the ``x, y, group, data`` arguments of a two-sample (or one-sample) function.

    - ``x``, ``y``: arrays or column names of ``data`` (``y`` may be None for a one-sample or
      a grouped call);
    - ``group``: split ``x`` into the two samples (then ``y`` must be None and ``paired``
      False); ``x`` is the first level, ``y`` the second;
    - ``y_required``: a TypeError when neither ``y`` nor ``group`` is given.

    Returns a :class:`Samples` with ``samples == (x, y)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"bmi": [22.0, 27.5, 24.0, 30.1], "sex": ["m", "f", "m", "f"]})
    >>> s = two_samples("bmi", None, group="sex", data=df)
    >>> [v.tolist() for v in s.samples], s.data_name
    ([[27.5, 30.1], [22.0, 24.0]], 'bmi by sex (f vs m)')
    >>> s.describe("Welch Two Sample t-test")
    'Welch Two Sample t-test: bmi by sex (f vs m)'
    """
    data = check_data(data)
    nx, ny = names
    xv, xl = column(data, x, nx)
    if group is None:
        yv, yl = column(data, y, ny)
        if yv is None and y_required:
            raise TypeError(
                f"`{ny}` is required (the second sample); or pass `group` to split `{nx}` "
                "into two samples"
            )
        if yv is None:
            return Samples((xv, None), xl)
        if xl is None and yl is None:
            return Samples((xv, yv))
        if xl == yl:  # e.g. two subsets of one column
            return Samples((xv, yv), xl)
        return Samples((xv, yv), f"{xl or nx} and {yl or ny}")
    if y is not None:
        raise ValueError(
            f"pass either `{ny}` or `group`, not both: with `group`, `{nx}` holds every "
            f"observation and `group` says which sample each belongs to"
        )
    if paired:
        raise ValueError(
            "`group` cannot be used with paired=True (a split by group loses the pairing); "
            f"pass the two paired columns as `{nx}` and `{ny}`"
        )
    if xv is None:
        raise TypeError(f"`{nx}` is required")
    codes_samples, labels = split_by_group(
        xv, group, data, argument="group", sample_argument=nx, n_groups=2
    )
    _, gname = column(data, group, "group", numeric=False)
    return Samples(tuple(codes_samples), _by_group(xl, gname, labels), labels)


def k_samples(
    groups: tuple[Any, ...],
    *,
    group: Any = None,
    data: Any = None,
    name: str = "groups",
    min_groups: int = 2,
) -> Samples:
    """Resolve the ``*groups, group, data`` arguments of a k-sample function.

    - ``f("a", "b", "c", data=df)``: columns as samples (wide data);
    - ``f("bmi", group="sex", data=df)`` or ``f(values, group=labels)``: one sample split by
      ``group`` (long data), at least ``min_groups`` levels;
    - arrays (and a single dict or list of samples) pass through unchanged; a dict's keys
      become the labels.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "g": ["b", "a", "c", "a"]})
    >>> s = k_samples(("y",), group="g", data=df)
    >>> [v.tolist() for v in s.samples], s.groups, s.data_name
    ([[2.0, 4.0], [1.0], [3.0]], ('a', 'b', 'c'), 'y by g (a, b, c)')
    """
    data = check_data(data)
    if group is not None:
        if len(groups) != 1:
            raise ValueError(
                f"with `group`, pass one sample holding every observation (got {len(groups)} "
                f"samples); `group` says which group each observation belongs to"
            )
        values, label = column(data, groups[0], f"{name}[0]")
        samples, labels = split_by_group(
            values,
            group,
            data,
            argument="group",
            sample_argument=f"{name}[0]",
            min_groups=min_groups,
        )
        _, gname = column(data, group, "group", numeric=False)
        return Samples(tuple(samples), _by_group(label, gname, labels), labels)
    if len(groups) == 1 and isinstance(groups[0], dict):
        keys = tuple(_python(k) for k in groups[0])
        return Samples(groups, None, keys)
    if (
        data is not None
        and len(groups) == 1
        and isinstance(groups[0], (list, tuple))
        and groups[0]
        and all(_is_name(g, data) for g in groups[0])
    ):
        groups = tuple(groups[0])
    resolved = [column(data, g, f"{name}[{i}]") for i, g in enumerate(groups)]
    resolved_samples = tuple(v for v, _ in resolved)
    names = [lab for _, lab in resolved]
    if resolved_samples and all(lab is not None for lab in names):
        if len(set(names)) == 1:  # subsets of one column: its name, no labels
            return Samples(resolved_samples, names[0])
        text = ", ".join(str(lab) for lab in names)
        return Samples(resolved_samples, text, tuple(names))
    return Samples(resolved_samples)
