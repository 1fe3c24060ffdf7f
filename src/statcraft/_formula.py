"""Formula interface of the regression functions, through formulaic (imported only when used).

``ols("y ~ x1 + C(group) + x1:x2", data=df)`` builds the response and the design matrix with
formulaic — the formula library statsmodels (0.15) and linearmodels use, so the columns and their
names are theirs: ``"Intercept"``, ``"x1"``, ``"C(group)[T.b]"``, ``"x1:x2"`` — and then fits on
that matrix exactly as the array call would. This module turns a formula and a DataFrame into
that matrix, or raises an error that names the argument and the column at fault.
"""

from __future__ import annotations

import difflib
import importlib
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from statcraft._validation import check_choice

__all__: list[str] = []

# What a formula can name besides the columns of `data` (and formulaic's own transforms such as
# C, I, center, scale, poly, bs): NumPy, as `np`. The caller's variables are deliberately not
# visible, so that a name missing from `data` is an error instead of a silent pick-up of a
# variable that happens to exist in the session.
_CONTEXT: dict[str, Any] = {"np": np, "numpy": np}


@dataclass(frozen=True)
class FormulaDesign:
    """The response and design matrix built from a formula, and how to rebuild them."""

    X: pd.DataFrame  # the full design matrix, "Intercept" column included when the formula has it
    y: pd.Series
    rows: np.ndarray  # positions (over the rows of `data`) of the rows kept
    spec: Any  # formulaic.ModelSpecs, to build the design of new data in `predict`
    formula: str


def import_formulaic() -> Any:
    """Import formulaic, or raise an ImportError that says how to install it."""
    try:
        return importlib.import_module("formulaic")
    except ImportError:
        raise ImportError(
            "formulas ('y ~ x1 + x2') need the formulaic package; install it with "
            "`pip install formulaic`, or pass the arrays X and y instead"
        ) from None


def is_formula_call(X: Any, data: Any) -> bool:
    """Whether a regression call uses the formula interface (a string ``X`` or ``data=``)."""
    return isinstance(X, str) or data is not None


def _columns_hint(name: str, columns: list[str]) -> str:
    close = difflib.get_close_matches(name, columns, n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    shown = ", ".join(columns[:12]) + (
        f", ... ({len(columns)} in all)" if len(columns) > 12 else ""
    )
    return f"{hint} (columns: {shown})"


def _factor_variables(expr: str, columns: set[str]) -> list[str]:
    """Return the columns of `data` that a formula factor uses."""
    if expr in columns:
        return [expr]
    variables = importlib.import_module("formulaic.utils.variables")
    try:
        names = variables.get_expression_variables(expr, {})
    except Exception:  # an unparsable expression names no column
        return []
    return sorted(str(n) for n in names if str(n) in columns)


def _check_arguments(formula: Any, y: Any, data: Any, caller: str) -> tuple[str, pd.DataFrame]:
    if not isinstance(formula, str):
        raise ValueError(
            f"`data` is only used with a formula: pass X as a formula string such as "
            f"'y ~ x1 + x2' (got X of type {type(formula).__name__}), or drop `data` and pass "
            "the arrays X and y"
        )
    if "~" not in formula:
        raise ValueError(
            f"`X` is a string but not a formula: {formula!r} has no '~'; write the response on "
            "the left and the regressors on the right, e.g. 'y ~ x1 + x2'"
        )
    if y is not None:
        hint = "; pass the DataFrame as data=" if isinstance(y, pd.DataFrame) else ""
        raise ValueError(
            "with a formula the response is its left-hand side; do not pass `y` "
            f"(got {type(y).__name__}){hint}, e.g. {caller}({formula!r}, data=df)"
        )
    if data is None:
        raise ValueError(
            f"a formula needs `data=`, the DataFrame whose columns it names, e.g. "
            f"{caller}({formula!r}, data=df)"
        )
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame; got {type(data).__name__}")
    if data.shape[0] == 0:
        raise ValueError("`data` has no rows")
    return formula.strip(), data


def _lookup_check(parsed: Any, columns: list[str], side: str) -> None:
    """Every bare name of the formula must be a column of `data`."""
    factor_cls = importlib.import_module("formulaic.parser.types").Factor
    for term in parsed:
        for factor in term.factors:
            if factor.eval_method == factor_cls.EvalMethod.LOOKUP and factor.expr not in columns:
                raise ValueError(
                    f"`formula` {side} {factor.expr!r} is not a column of `data`"
                    + _columns_hint(factor.expr, columns)
                )


def _evaluation_error(exc: Exception, columns: list[str]) -> ValueError:
    """Turn formulaic's FactorEvaluationError into a message naming the missing column."""
    text = str(exc)
    factor = re.search(r"evaluate factor `(.+?)`\.", text)
    where = f"`formula` term {factor.group(1)!r}" if factor else "a `formula` term"
    missing = re.search(r"name '(\w+)' is not defined|`(.+?)` is not present", text)
    if missing:
        name = missing.group(1) or missing.group(2)
        return ValueError(
            f"{where} uses {name!r}, which is not a column of `data`" + _columns_hint(name, columns)
        )
    cause = re.search(r"\[(.*)\]\s*$", text, flags=re.S)
    return ValueError(
        f"{where} could not be evaluated on `data`: {cause.group(1) if cause else text}"
    )


def _check_kinds(spec: Any, data: pd.DataFrame, side: str) -> None:
    """Reject text used as a number: only ``C(...)`` and categorical/bool columns may be factors."""
    columns = {str(c) for c in data.columns}
    for expr, (kind, _) in spec.encoder_state.items():
        if str(getattr(kind, "value", kind)) != "categorical":
            continue
        used = _factor_variables(str(expr), columns)
        if side == "response":
            names = ", ".join(repr(c) for c in used) or repr(str(expr))
            dtypes = ", ".join(str(data[c].dtype) for c in used)
            raise TypeError(
                f"the response {str(expr)!r} of `formula` is not numeric: column {names} of "
                f"`data` has dtype {dtypes or 'object'}; the response must hold numbers"
            )
        if str(expr).startswith("C("):
            continue
        if str(expr) in columns and (
            isinstance(data[str(expr)].dtype, pd.CategoricalDtype)
            or pd.api.types.is_bool_dtype(data[str(expr)])
        ):
            continue
        col = used[0] if used else str(expr)
        dtype = data[col].dtype if col in columns else "object"
        raise TypeError(
            f"`formula` term {str(expr)!r} uses column {col!r} of `data` as a number, but it holds "
            f"text (dtype {dtype}); convert it with pd.to_numeric, or write C({col}) to use it "
            "as a categorical variable"
        )


def _missing_message(data: pd.DataFrame, spec: Any, dropped: int, n: int) -> str:
    used = sorted(
        {str(v) for s in (spec.lhs, spec.rhs) for v in s.variables_by_source.get("data", set())}
    )
    counts = {c: int(data[c].isna().sum()) for c in used if c in data.columns}
    counts = {c: k for c, k in counts.items() if k}
    if counts:
        cols = ", ".join(f"{c} ({k})" for c, k in counts.items())
        what = f"missing values in column(s) {cols} used by `formula`"
    else:
        what = "terms that evaluate to NaN (e.g. the log of a negative number)"
    return (
        f"`data` has {what}: {dropped} of {n} rows are incomplete; pass nan_policy='omit' to "
        "drop them"
    )


def build_formula_design(
    formula: Any, y: Any, data: Any, *, nan_policy: str, caller: str
) -> FormulaDesign:
    """Build the response and the design matrix of ``formula`` on ``data``.

    Rows with a missing value in any variable the formula uses are dropped under
    ``nan_policy='omit'`` and are an error under ``'raise'``. ``data`` is never modified.
    """
    formula, data = _check_arguments(formula, y, data, caller)
    nan_policy = check_choice(nan_policy, "nan_policy", ("raise", "omit"))
    formulaic = import_formulaic()
    errors = importlib.import_module("formulaic.errors")
    columns = [str(c) for c in data.columns]
    try:
        parsed = formulaic.Formula(formula)
    except errors.FormulaicError as exc:
        raise ValueError(f"`formula` {formula!r} could not be parsed: {exc}") from None
    if not hasattr(parsed, "lhs") or not hasattr(parsed, "rhs"):
        raise ValueError(
            f"`formula` {formula!r} must have one response on the left of '~' and the "
            "regressors on the right, e.g. 'y ~ x1 + x2'"
        )
    if not isinstance(parsed.rhs, formulaic.formula.SimpleFormula) or not isinstance(
        parsed.lhs, formulaic.formula.SimpleFormula
    ):
        raise ValueError(
            f"`formula` {formula!r} has several parts ('|'); statcraft's regressions take one "
            "response and one set of regressors"
        )
    if len(parsed.lhs) == 0:
        raise ValueError(f"`formula` {formula!r} has no response on the left of '~'")
    _lookup_check(parsed.lhs, columns, "response")
    _lookup_check(parsed.rhs, columns, "term")
    # formulaic gets positions as the index, so that the rows kept map back to `data` (and to
    # `groups`) even when its index has duplicates; set_axis returns a new frame (no copy of the
    # values under copy-on-write) and leaves the caller's untouched.
    frame = data.set_axis(pd.RangeIndex(len(data)), axis=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=errors.FormulaicWarning)
            matrices = formulaic.model_matrix(
                formula, frame, context=_CONTEXT, na_action="drop", output="pandas"
            )
    except errors.FactorEvaluationError as exc:
        raise _evaluation_error(exc, columns) from None
    except errors.FormulaicError as exc:
        raise ValueError(f"`formula` {formula!r} could not be built on `data`: {exc}") from None
    lhs, rhs = matrices.lhs, matrices.rhs
    spec = matrices.model_spec
    _check_kinds(spec.lhs, data, "response")
    _check_kinds(spec.rhs, data, "term")
    if lhs.shape[1] != 1:
        raise ValueError(
            f"`formula` {formula!r} must have one response on the left of '~'; it gives "
            f"{lhs.shape[1]} columns ({', '.join(map(str, lhs.columns))})"
        )
    rows = np.asarray(rhs.index, dtype=np.intp)
    dropped = len(data) - len(rows)
    if dropped:
        if nan_policy == "raise":
            raise ValueError(_missing_message(data, spec, dropped, len(data)))
        if len(rows) == 0:
            raise ValueError(
                "no row of `data` has every variable of `formula` non-missing (a transform "
                "such as center() or scale() of a column with a missing value is NaN throughout)"
            )
    index = data.index if dropped == 0 else data.index[rows]  # keep a DatetimeIndex's freq
    X = pd.DataFrame(rhs.to_numpy(dtype=float), index=index, columns=[str(c) for c in rhs.columns])
    response = pd.Series(
        lhs.iloc[:, 0].to_numpy(dtype=float), index=index, name=str(lhs.columns[0])
    )
    return FormulaDesign(X=X, y=response, rows=rows, spec=spec, formula=formula)


def formula_groups(groups: Any, data: pd.DataFrame, rows: np.ndarray) -> Any:
    """Return ``groups`` of a formula fit: a column name of ``data`` or an array over its rows."""
    if groups is None:
        return None
    if isinstance(groups, str):
        if groups not in data.columns:
            raise ValueError(
                f"`groups` {groups!r} is not a column of `data`"
                + _columns_hint(groups, [str(c) for c in data.columns])
            )
        return data[groups].to_numpy()[rows]
    g = groups.to_numpy() if isinstance(groups, (pd.Series, pd.Index)) else np.asarray(groups)
    if g.ndim != 1 or len(g) != len(data):
        raise ValueError(
            f"`groups` must be a column name of `data` or have one entry per row of `data` "
            f"({len(data)}); got shape {g.shape}"
        )
    return g[rows]


def formula_new_design(spec: Any, X_new: Any, terms: tuple[str, ...]) -> tuple[np.ndarray, Any]:
    """Build the design of new rows for ``predict`` of a formula fit, in the order of ``terms``."""
    if not isinstance(X_new, pd.DataFrame):
        raise TypeError(
            "this fit came from a formula: pass `X_new` as a DataFrame with the columns the "
            f"formula uses ({', '.join(sorted(spec.rhs.variables_by_source.get('data', [])))}); "
            f"got {type(X_new).__name__}"
        )
    import_formulaic()
    errors = importlib.import_module("formulaic.errors")
    columns = [str(c) for c in X_new.columns]
    missing = sorted(
        str(v) for v in spec.rhs.variables_by_source.get("data", set()) if str(v) not in columns
    )
    if missing:
        raise ValueError(
            f"`X_new` lacks column(s) {', '.join(missing)} used by the formula {spec.rhs.formula}"
        )
    used = sorted(str(v) for v in spec.rhs.variables_by_source.get("data", set()))
    nan = {c: int(X_new[c].isna().sum()) for c in used}
    nan = {c: k for c, k in nan.items() if k}
    if nan:
        raise ValueError(
            "`X_new` has missing values in column(s) "
            + ", ".join(f"{c} ({k})" for c, k in nan.items())
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            mm = spec.rhs.get_model_matrix(X_new, context=_CONTEXT, na_action="ignore")
        except errors.FactorEvaluationError as exc:
            raise _evaluation_error(exc, columns) from None
    mismatch = [w for w in caught if issubclass(w.category, errors.DataMismatchWarning)]
    if mismatch:
        raise ValueError(f"`X_new` does not fit the formula's categories: {mismatch[0].message}")
    for w in caught:  # other warnings go on to the caller
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    mm = mm.rename(columns=str)
    return mm[list(terms)].to_numpy(dtype=float), X_new.index
