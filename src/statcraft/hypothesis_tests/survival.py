"""Log-rank tests for survival curves.

:func:`logrank` is R's ``survival::survdiff``: the k-sample log-rank test (``rho=0``), the
Fleming-Harrington G-rho family (``rho > 0``; ``rho=1`` is the Peto-Peto modification of the
Gehan-Wilcoxon test), and the stratified form (``survdiff(... ~ group + strata(s))``).

========================  ==========================================  ==========================
Test                      Assumes                                     R / scipy equivalent
========================  ==========================================  ==========================
``logrank``               censoring independent of survival within    R ``survdiff(rho = 0)``;
                          groups; most powerful for proportional      scipy: none
                          hazards
``logrank(rho=1)``        as above; weights early differences         R ``survdiff(rho = 1)``;
                          (Peto-Peto / Gehan-Wilcoxon type)           scipy: none
``logrank(strata=s)``     as above within each stratum; a common      R ``survdiff(~ g +
                          group effect across strata                  strata(s))``; scipy: none
========================  ==========================================  ==========================
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from statcraft._frames import check_data, column
from statcraft._validation import check_finite_scalar, check_same_length
from statcraft.estimators.survival import _check_time_event, _check_time_event_values
from statcraft.results import FrozenMapping, TestResult

__all__ = ["logrank"]


def _labels(values: Any, name: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the labels of ``values`` as an array and a mask of missing entries."""
    if isinstance(values, (str, bytes)):
        raise TypeError(
            f"`{name}` must be array-like (one label per observation); got a string "
            "(to use a column by name, pass the DataFrame as data=)"
        )
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"`{name}` must be one-dimensional; got shape {arr.shape}")
    if arr.size != n:
        raise ValueError(f"`time` and `{name}` must have the same length; got {n} and {arr.size}")
    if arr.dtype.kind in "biu":  # fast path: integer or boolean labels cannot be missing
        return arr, np.zeros(n, dtype=bool)
    if arr.dtype.kind == "f":
        return arr, np.isnan(arr)
    obj = arr.astype(object)
    return obj, pd.isna(obj)


def _column_or_labels(data: pd.DataFrame | None, values: Any, name: str) -> tuple[Any, str | None]:
    """Resolve a label argument: a column of ``data`` by name, or the labels themselves."""
    if data is not None:
        return column(data, values, name, numeric=False)
    label = values.name if isinstance(values, pd.Series) and values.name is not None else None
    return values, None if label is None else str(label)


def _stratum_sums(
    t: np.ndarray, e: np.ndarray, g: np.ndarray, k: int, rho: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted observed, expected and variance matrix of one stratum (survdiff2.c)."""
    order = np.argsort(t, kind="stable")
    t, e, g = t[order], e[order], g[order]
    times, inverse = np.unique(t, return_inverse=True)
    m = times.size
    leaving = np.zeros((m, k))  # subjects leaving the risk set at each time, per group
    np.add.at(leaving, (inverse, g), 1.0)
    deaths_g = np.zeros((m, k))
    np.add.at(deaths_g, (inverse, g), e)
    # at risk just before each time: those with time >= t
    risk = leaving[::-1].cumsum(axis=0)[::-1]
    n_risk = risk.sum(axis=1)
    deaths = deaths_g.sum(axis=1)
    if rho != 0:
        # left-continuous pooled Kaplan-Meier S(t-) of the stratum
        km = np.cumprod(1.0 - deaths / n_risk)
        weight = np.concatenate(([1.0], km[:-1])) ** rho
    else:
        weight = np.ones(m)
    observed = (weight[:, None] * deaths_g).sum(axis=0)
    share = risk / n_risk[:, None]
    expected = (weight[:, None] * deaths[:, None] * share).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n_risk > 1, weight**2 * deaths * (n_risk - deaths) / (n_risk - 1), 0.0)
    variance = np.diag((c[:, None] * share).sum(axis=0)) - np.einsum("t,ti,tj->ij", c, share, share)
    return observed, expected, variance


def logrank(
    time: Any,
    event: Any,
    group: Any,
    *,
    strata: Any = None,
    data: pd.DataFrame | None = None,
    rho: float = 0.0,
    nan_policy: Literal["raise", "omit"] = "raise",
) -> TestResult:
    r"""Log-rank test that k survival curves are equal, as R's ``survdiff``.

    Parameters
    ----------
    time : array_like or str
        Follow-up times, non-negative; or the name of a column of ``data``.
    event : array_like or str
        1 (or True) for an observed event, 0 (or False) for a censored time; or the name of a
        column of ``data``.
    group : array_like or str
        Group label of each observation (numbers or strings), aligned with ``time`` by
        position, or the name of a column of ``data``; at least two groups.
    strata : array_like or str, optional
        Stratum label of each observation, or the name of a column of ``data``. The observed
        and expected counts and the variance are summed over strata (R:
        ``survdiff(Surv(time, status) ~ group + strata(s))``).
    data : pandas.DataFrame, optional
        The data whose columns ``time``, ``event``, ``group`` and ``strata`` name; only read.
        ``logrank("time", "status", "sex", data=df)`` is exactly
        ``logrank(df["time"], df["status"], df["sex"])``.
    rho : float
        Fleming-Harrington G-rho weight :math:`\hat S(t-)^{\rho}`, with :math:`\hat S` the
        pooled Kaplan-Meier curve (of the stratum). 0 (default) is the log-rank test; 1 is the
        Peto-Peto modification of the Gehan-Wilcoxon test.
    nan_policy : {'raise', 'omit'}
        ``'omit'`` drops observations with a missing time, event, group or stratum.

    Returns
    -------
    TestResult
        ``statistic`` is the chi-square, ``df`` the number of groups with a positive expected
        count minus 1, ``alternative`` None. ``details`` holds ``groups`` (labels, sorted),
        ``n``, ``observed`` and ``expected`` (weighted when ``rho != 0``, as R),
        ``variance`` (the k×k matrix), ``table`` (a DataFrame with R's printed columns
        ``group, n, observed, expected, (O-E)^2/E, (O-E)^2/V``), ``rho`` and ``n_strata``;
        and, when the inputs are named (columns of ``data`` or named Series), ``data_name``
        (``"time by sex (1 vs 2)"``); with ``data=``, ``method`` ends with it too.

    Raises
    ------
    ValueError
        For fewer than two groups (or fewer than two with any subject at risk at an event
        time), no events, negative times, events outside {0, 1}, length mismatch, NaN (with
        ``nan_policy='raise'``), or a negative ``rho``.
    TypeError
        For non-numeric ``time`` or ``event``, a string in place of ``group`` without
        ``data``, or ``data`` that is not a DataFrame.

    Notes
    -----
    At each distinct event time :math:`t` (within each stratum) with :math:`n` at risk,
    :math:`n_j` of them in group :math:`j`, :math:`d` events, and weight :math:`w`:
    :math:`O_j = \sum w d_j`, :math:`E_j = \sum w d n_j / n`, and
    :math:`V_{jl} = \sum w^2 \frac{d (n - d)}{n - 1} \frac{n_j}{n}
    (\delta_{jl} - \frac{n_l}{n})`. The statistic is :math:`(O - E)^\top V^{-} (O - E)`
    computed, as R, by dropping groups with :math:`E_j = 0` and then the first remaining
    group, and solving with the rest; it is chi-square with (groups - 1) degrees of freedom.
    Where R returns a silent chi-square of 0 (fewer than two groups with expected events)
    this function raises. ``scipy`` has no log-rank test; ``statsmodels.duration.survdiff``
    gives the same statistic for ``rho=0`` but not R's per-group table.

    References
    ----------
    Harrington, D. P. and Fleming, T. R. (1982). A class of rank test procedures for censored
    survival data. Biometrika 69, 553-566.
    Therneau, T. M. and Grambsch, P. M. (2000). Modeling Survival Data. Springer.

    Examples
    --------
    R's ``survdiff(Surv(time, status) ~ x, data = aml)``:

    >>> import statcraft as sc
    >>> time = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...         5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45]
    >>> status = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0,
    ...           1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> x = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    >>> res = sc.logrank(time, status, x)
    >>> round(res.statistic, 2), round(res.pvalue, 4), res.df
    (3.4, 0.0653, 1.0)
    >>> [round(float(v), 2) for v in res.details["expected"]]
    [10.69, 7.31]

    Columns by name: R's ``survdiff(Surv(time, status) ~ sex, data = lung)``:

    >>> res = sc.logrank("time", "status", group="sex", data=sc.datasets.load_lung())
    >>> round(res.statistic, 1), res.method
    (10.3, 'Log-rank test: time by sex (1 vs 2)')
    """
    rho = check_finite_scalar(rho, "rho")
    if rho < 0:
        raise ValueError(f"`rho` must be >= 0; got {rho:g}")
    data = check_data(data)
    time, time_name = column(data, time, "time")
    event, _ = column(data, event, "event")
    group, group_name = _column_or_labels(data, group, "group")
    strata_name = None
    if strata is not None:
        strata, strata_name = _column_or_labels(data, strata, "strata")
    t, e, keep = _check_time_event(time, event, nan_policy)
    g_raw, g_missing = _labels(group, "group", t.size)
    if strata is None:
        s_raw, s_missing = np.zeros(t.size, dtype=object), np.zeros(t.size, dtype=bool)
    else:
        s_raw, s_missing = _labels(strata, "strata", t.size)
    check_same_length(time=t, group=g_raw)
    for name, miss in (("group", g_missing), ("strata", s_missing)):
        if nan_policy == "raise" and miss.any():
            raise ValueError(
                f"`{name}` has {int(miss.sum())} missing value(s); "
                "pass nan_policy='omit' to drop them"
            )
    keep &= ~(g_missing | s_missing)
    t, e, g_raw, s_raw = t[keep], e[keep], g_raw[keep], s_raw[keep]
    _check_time_event_values(t, e)
    try:
        groups, g = np.unique(g_raw, return_inverse=True)
        _, s = np.unique(s_raw, return_inverse=True)
    except TypeError:  # mixed label types: fall back to order of appearance
        g_codes, g_uniques = pd.factorize(pd.Series(g_raw), sort=False)
        groups, g = np.asarray(g_uniques, dtype=object), np.asarray(g_codes)
        s = np.asarray(pd.factorize(pd.Series(s_raw), sort=False)[0])
    k = len(groups)
    if k < 2:
        raise ValueError(
            f"`group` must have at least two groups to compare; got {k} ({groups[0]!r})"
        )
    if e.sum() == 0:
        raise ValueError("`event` has no events; the log-rank test needs at least one event")
    n_strata = int(s.max()) + 1
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    for stratum in range(n_strata):
        m = s == stratum
        o_s, e_s, v_s = _stratum_sums(t[m], e[m], g[m], k, rho)
        observed += o_s
        expected += e_s
        variance += v_s
    use = np.flatnonzero(expected > 0)
    if use.size < 2:
        raise ValueError(
            "fewer than two groups have subjects at risk at an event time; "
            "the curves cannot be compared"
        )
    diff = (observed - expected)[use][1:]
    vv = variance[np.ix_(use, use)][1:, 1:]
    try:
        statistic = float(diff @ np.linalg.solve(vv, diff))
    except np.linalg.LinAlgError:
        raise ValueError(
            "the variance matrix of the log-rank statistic is singular "
            "(e.g. groups that never share a risk set); the test is undefined"
        ) from None
    df = float(use.size - 1)
    pvalue = float(stats.chi2.sf(statistic, df))
    n_per = np.bincount(g, minlength=k).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        oe_e = (observed - expected) ** 2 / expected
        oe_v = (observed - expected) ** 2 / np.diag(variance)
    labels = tuple(v.item() if isinstance(v, np.generic) else v for v in groups)
    table = pd.DataFrame(
        {
            "group": list(labels),
            "n": n_per,
            "observed": observed,
            "expected": expected,
            "(O-E)^2/E": oe_e,
            "(O-E)^2/V": oe_v,
        }
    )
    for arr in (observed, expected, variance, n_per):
        arr.flags.writeable = False
    if rho == 0:
        method = "Log-rank test" if n_strata == 1 else "Stratified log-rank test"
    else:
        method = f"Fleming-Harrington G-rho test (rho = {rho:g})"
        if n_strata > 1:
            method = "Stratified " + method
    named: dict[str, Any] = {}
    if time_name is not None or group_name is not None:
        sep = " vs " if k == 2 else ", "
        data_name = f"{time_name or 'time'} by {group_name or 'group'} ("
        data_name += sep.join(str(v) for v in labels[:10]) + (", ..." if k > 10 else "") + ")"
        if strata_name is not None:
            data_name += f", stratified by {strata_name}"
        named["data_name"] = data_name
        method = f"{method}: {data_name}"  # named columns or Series, as the other tests
    return TestResult(
        statistic=statistic,
        pvalue=pvalue,
        df=df,
        alternative=None,
        method=method,
        details=FrozenMapping(
            {
                "groups": labels,
                "n": n_per,
                "observed": observed,
                "expected": expected,
                "variance": variance,
                "table": table,
                "rho": rho,
                "n_strata": n_strata,
                **named,
            }
        ),
    )
