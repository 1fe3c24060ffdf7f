r"""VaR and ES forecasts for backtests: rolling one-step-ahead, and from predictive draws.

- :func:`var_es_forecast` -- for each date, VaR and ES at several levels from the returns
  before it only (rolling or expanding windows; historical, parametric, EWMA, filtered
  historical simulation, or GARCH(1,1)-t refitted periodically with the optional ``arch``);
- :func:`var_es_from_draws` -- VaR and ES from predictive draws, e.g. a Bayesian volatility
  template's ``filter_forecast`` or ``predict_distribution``.

The sign convention and the methods' definitions are those of :mod:`statcraft.finance.risk`
(losses positive, ``level=0.99`` for the loss exceeded on 1 % of days).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import signal, special

from statcraft._validation import check_array, check_choice, check_int, check_not_constant
from statcraft.finance._checks import check_returns, check_window
from statcraft.finance.risk import (
    _CHUNK,
    _METHODS,
    Method,
    _cf_monotone,
    _check_lam,
    _check_levels,
    _cornish_fisher,
    _label,
    _min_obs,
    _phi,
    _shape,
    _sorted_smallest,
    _standardise,
    _std_t,
    _t_from_moments,
    _t_mle,
    _tail_from_sorted,
    _tail_size,
)

__all__ = ["var_es_forecast", "var_es_from_draws"]


def _resolve_start(start: Any, n: int, index: pd.Index | None, window: int | None) -> int:
    if start is None:
        s = window if window is not None else 250
        if s >= n:
            raise ValueError(
                f"`returns` has {n} observations, not more than the default `start` = {s}; "
                "pass start= (the first date to forecast) or a shorter window"
            )
    elif isinstance(start, (int, np.integer)) and not isinstance(start, (bool, np.bool_)):
        s = int(start)
        if not 1 <= s <= n - 1:
            raise ValueError(f"`start` must be a position in [1, {n - 1}]; got {s}")
    elif index is not None:
        try:
            key = pd.Timestamp(start) if isinstance(index, pd.DatetimeIndex) else start
            s = int(index.searchsorted(key))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"`start` {start!r} cannot be compared with the dates: {exc}") from None
        if not 1 <= s <= n - 1:
            raise ValueError(f"`start` = {start!r} leaves no returns before it or none after it")
    else:
        raise TypeError(
            f"`start` must be an integer position (returns has no index); got {start!r}"
        )
    if window is not None and s < window:
        raise ValueError(f"`start` = {s} comes before the first full window (`window` = {window})")
    return s


def _window_moments(
    arr: np.ndarray, pos: np.ndarray, window: int | None, centre: float
) -> tuple[np.ndarray, ...]:
    """Count, mean and central moments 2-4 of ``arr[lo:t]`` for each ``t`` in ``pos``."""
    d = arr - centre
    lo = pos - window if window is not None else np.zeros_like(pos)
    cnt = (pos - lo).astype(float)
    sums = []
    for k in (1, 2, 3, 4):
        c = np.concatenate([[0.0], np.cumsum(d**k)])
        sums.append((c[pos] - c[lo]) / cnt)
    r1, r2, r3, r4 = sums
    m2 = np.maximum(r2 - r1**2, 0.0)
    m3 = r3 - 3 * r1 * r2 + 2 * r1**3
    m4 = r4 - 4 * r1 * r3 + 6 * r1**2 * r2 - 3 * r1**4
    return cnt, centre + r1, m2, m3, m4


def _rolling_tail(
    x: np.ndarray, pos: np.ndarray, window: int | None, ps: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Historical VaR and ES of ``x[lo:t]`` for each ``t`` in ``pos`` (consecutive), per level."""
    var = np.empty((pos.size, len(ps)))
    es = np.empty_like(var)
    p_max = max(ps)
    if window is not None:
        views = np.lib.stride_tricks.sliding_window_view(x, window)
        need = int(np.floor(_tail_size(window, p_max))) + 1
        step = max(1, _CHUNK // window)
        for a in range(0, pos.size, step):
            rows = pos[a : a + step]
            smallest = _sorted_smallest(views[rows - window], need)
            for j, p in enumerate(ps):
                var[a : a + rows.size, j], es[a : a + rows.size, j] = _tail_from_sorted(
                    smallest, np.full(rows.size, window), p
                )
        return var, es
    step = 512  # expanding: the tail of x[:t] lies in the tail of x[:t0] plus x[t0:t]
    for a in range(0, pos.size, step):
        rows = pos[a : a + step]
        t0 = int(rows[0])
        need = min(int(np.floor(_tail_size(rows[-1], p_max))) + 1, t0)
        prefix = _sorted_smallest(x[None, :t0], need)[0]
        new = x[t0 : t0 + rows.size - 1]
        grid = np.arange(new.size)[None, :] < np.arange(rows.size)[:, None]
        cand = np.hstack(
            [np.broadcast_to(prefix, (rows.size, need)), np.where(grid, new[None, :], np.inf)]
        )
        smallest = _sorted_smallest(cand, int(np.floor(_tail_size(rows[-1], p_max))) + 1)
        for j, p in enumerate(ps):
            var[a : a + rows.size, j], es[a : a + rows.size, j] = _tail_from_sorted(
                smallest, rows, p
            )
    return var, es


def _t_refits(
    arr: np.ndarray, pos: np.ndarray, window: int | None, refit_every: int, index: Any
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Scaled-t MLE ``(mu, scale, nu)`` per forecast date, refitted every ``refit_every``."""
    params = np.empty((pos.size, 3))
    log: list[dict[str, Any]] = []
    prev: tuple[float, float, float] | None = None
    for a in range(0, pos.size, refit_every):
        t = int(pos[a])
        lo = t - window if window is not None else 0
        mu, scale, nu, ok = _t_mle(arr[lo:t], prev)
        prev = (mu, scale, nu)
        params[a : a + refit_every] = prev
        log.append({"date": index[a], "mu": mu, "scale": scale, "nu": nu, "converged": ok})
    return params, log


def _garch(
    arr: np.ndarray, pos: np.ndarray, window: int | None, refit_every: int, index: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, Any]], float]:
    """GARCH(1,1)-t one-step-ahead mean, volatility and nu per forecast date (``arch``)."""
    try:
        from arch import arch_model
        from arch.utility.exceptions import StartingValueWarning
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "method='garch' needs the optional package `arch`: "
            "pip install 'statcraft[finance]' (or pip install arch)"
        ) from None
    lo0 = int(pos[0]) - window if window is not None else 0
    scale = 10.0 ** -math.floor(math.log10(float(np.std(arr[lo0 : pos[0]]))))
    y = arr * scale
    mu_t, sig2, nu_t = (np.empty(pos.size) for _ in range(3))
    log: list[dict[str, Any]] = []
    prev = None
    for a in range(0, pos.size, refit_every):
        t, b = int(pos[a]), min(a + refit_every, pos.size)
        lo = t - window if window is not None else 0
        model = arch_model(y[lo:t], mean="Constant", vol="GARCH", p=1, q=1, dist="t", rescale=False)
        with warnings.catch_warnings():  # arch falls back to its own start if ours is invalid
            warnings.simplefilter("ignore", StartingValueWarning)
            res = model.fit(disp="off", starting_values=prev, show_warning=False)
        prev = np.asarray(res.params, dtype=float)
        mu, omega, alpha, beta, nu = prev
        last = float(np.asarray(res.conditional_volatility)[-1]) ** 2
        eps2 = (y[t - 1 : int(pos[b - 1])] - mu) ** 2
        sig2[a:b] = signal.lfilter([1.0], [1.0, -beta], omega + alpha * eps2, zi=[beta * last])[0]
        mu_t[a:b], nu_t[a:b] = mu, nu
        log.append(
            {
                "date": index[a],
                "mu": mu / scale,
                "omega": omega / scale**2,
                "alpha": alpha,
                "beta": beta,
                "nu": nu,
                "converged": int(res.convergence_flag) == 0,
            }
        )
    return mu_t / scale, np.sqrt(sig2) / scale, nu_t, log, scale


def var_es_forecast(
    returns: Any,
    *,
    levels: Any = (0.99, 0.975),
    method: Method | Literal["garch"] = "historical",
    window: int | None = None,
    start: Any = None,
    refit_every: int = 20,
    lam: float = 0.94,
    t_fit: Literal["mle", "moments"] = "mle",
    nan_policy: Literal["raise", "omit"] = "raise",
) -> pd.DataFrame:
    r"""One-step-ahead VaR and ES for each date, from the returns strictly before it.

    Parameters
    ----------
    returns : array_like or pandas Series
        Per-period decimal returns in time order.
    levels : float or sequence of float, default (0.99, 0.975)
        Confidence levels in (0, 1).
    method : str, default 'historical'
        A method of :func:`value_at_risk`, or ``'garch'``: GARCH(1,1) with Student-t
        innovations and a constant mean, fitted by the optional ``arch`` package.
    window : int, optional
        Rolling estimation window (observations). None (default): an expanding window of all
        earlier returns. ``'ewma'`` ignores it (the EWMA uses all the past with decaying
        weights); ``'filtered_historical'`` uses it for the pool of standardised returns.
    start : int or date, optional
        First date to forecast: a position, or (for a Series) a date label, meaning the first
        date on or after it. Default: ``window``, or 250 with an expanding window.
    refit_every : int, default 20
        ``'garch'`` and ``'student_t'`` with ``t_fit='mle'``: refit every ``refit_every``
        dates and keep the parameters in between (GARCH filters its variance forward with them).
        The other methods are recomputed at every date.
    lam : float, default 0.94
        EWMA decay for ``'ewma'`` and ``'filtered_historical'``.
    t_fit : {'mle', 'moments'}, default 'mle'
        Fit of ``'student_t'``; ``'moments'`` is vectorised and recomputed at every date.
    nan_policy : {'raise', 'omit'}, default 'raise'
        ``'omit'`` drops the dates with NaN returns first.

    Returns
    -------
    pandas.DataFrame
        One row per forecast date (the returns' dates from ``start`` on, or positions for an
        array), columns ``var_<level>`` and ``es_<level>`` for each level in the order given
        (``var_0.99``, ``es_0.99``, ``var_0.975``, ``es_0.975``; the level as ``f"{level:.10g}"``),
        and ``volatility`` for ``'gaussian'`` (window SD), ``'ewma'``,
        ``'filtered_historical'`` and ``'garch'`` (the one-step-ahead volatility). ``attrs``
        holds ``method``, ``levels``, ``window``, ``start``, and for ``'student_t'`` (MLE) and
        ``'garch'`` the list ``fits`` of refits (date and parameters in the returns' units).

    Raises
    ------
    ValueError
        For a level outside (0, 1) (message names ``levels``), ``window`` longer than the series
        or too short for the tail (historical at 0.99 needs 100 observations), ``start`` outside
        the series or before the first full window, NaN gaps, unsorted dates.
    ImportError
        For ``method='garch'`` without ``arch`` installed.

    Warns
    -----
    LooksLikePricesWarning
        If the values look like prices.
    UserWarning
        If some GARCH or t fits did not converge (see ``attrs['fits']``), or for
        ``'cornish_fisher'`` at dates whose window is outside the expansion's domain of validity.

    Notes
    -----
    The forecast for date :math:`t` uses :math:`r_{\text{lo}}, \dots, r_{t-1}` only
    (``lo = t - window`` or 0); changing later returns never changes it. The EWMA recursion
    starts from the mean square of the returns before ``start``; GARCH data are scaled by a
    power of ten fixed from the first estimation sample. Computation: rolling historical
    quantiles through chunked ``sliding_window_view`` partitions, expanding ones by merging
    each block's new returns with the tail of the earlier ones; moment methods through
    cumulative power sums; EWMA through a linear filter. Only the ``'student_t'`` MLE and
    ``'garch'`` refits loop in Python, once per ``refit_every`` dates.

    References
    ----------
    Christoffersen, P. (2012). *Elements of Financial Risk Management*, 2nd ed. Academic Press.
    Bollerslev, T. (1987). A conditionally heteroskedastic time series model for speculative
    prices and rates of return. *Review of Economics and Statistics* 69(3), 542–547.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.forecasts import var_es_forecast
    >>> r = 0.01 * np.random.default_rng(1).standard_t(5, size=1500)
    >>> fc = var_es_forecast(r, levels=(0.99,), window=500)
    >>> list(fc.columns), len(fc)
    (['var_0.99', 'es_0.99'], 1000)
    >>> hits = r[500:] < -fc["var_0.99"].to_numpy()
    >>> print(round(hits.mean(), 3))
    0.011
    """
    arr, index = check_returns(returns, min_size=3, nan_policy=nan_policy)
    n = arr.size
    levels = _check_levels(levels)
    ps = tuple(1.0 - v for v in levels)
    meth = check_choice(method, "method", (*_METHODS, "garch"))
    lam = _check_lam(lam)
    t_fit_ = check_choice(t_fit, "t_fit", ("mle", "moments"))
    refit_every = check_int(refit_every, "refit_every", min_value=1)
    w = None if window is None else check_window(window, n)
    if w is not None and w == n:
        raise ValueError(f"`window` = {w} leaves no date to forecast ({n} observations)")
    s = _resolve_start(start, n, index, w)
    first = w if w is not None else s
    need = 100 if meth == "garch" else max(_min_obs(meth, p) for p in ps)
    if first < need:
        what = f"`window` = {w}" if w is not None else f"`start` = {s}"
        raise ValueError(
            f"{what} leaves {first} observations in the first estimation sample; "
            f"method={meth!r} at `levels` {levels} needs at least {need}"
        )
    if meth != "historical":
        check_not_constant(
            arr[s - first : s],
            "returns",
            f"method={meth!r} needs a positive variance in the first estimation sample",
        )
    pos = np.arange(s, n)
    out_index = index[s:] if index is not None else pd.RangeIndex(s, n)
    var = np.empty((pos.size, len(ps)))
    es = np.empty_like(var)
    vol: np.ndarray | None = None
    attrs: dict[str, Any] = {}
    bad_cf = 0
    if meth == "historical":
        var, es = _rolling_tail(arr, pos, w, ps)
    elif meth in ("ewma", "filtered_historical"):
        sig, z = _standardise(arr, lam, float(np.mean(arr[:s] ** 2)))
        vol = sig[pos]
        if meth == "ewma":
            for j, p in enumerate(ps):
                var[:, j] = -special.ndtri(p) * vol
                es[:, j] = vol * _phi(special.ndtri(p)) / p
        else:
            vz, ez = _rolling_tail(z, pos, w, ps)
            var, es = vz * vol[:, None], ez * vol[:, None]
        attrs["lam"] = lam
    elif meth == "garch":
        mu, vol, nu, fits, scale = _garch(arr, pos, w, refit_every, out_index)
        for j, p in enumerate(ps):
            q, e = _std_t(nu, p)
            f = np.sqrt((nu - 2.0) / nu)
            var[:, j] = -(mu + vol * q * f)
            es[:, j] = -mu + vol * e * f
        attrs.update(fits=fits, refit_every=refit_every, garch_scale=scale)
    elif meth == "student_t" and t_fit_ == "mle":
        params, fits = _t_refits(arr, pos, w, refit_every, out_index)
        for j, p in enumerate(ps):
            q, e = _std_t(params[:, 2], p)
            var[:, j] = -(params[:, 0] + params[:, 1] * q)
            es[:, j] = -params[:, 0] + params[:, 1] * e
        attrs.update(fits=fits, refit_every=refit_every)
    else:
        cnt, mean, m2, m3, m4 = _window_moments(arr, pos, w, float(np.mean(arr[:s])))
        sd = np.sqrt(m2 * cnt / (cnt - 1))
        skew, exkurt = _shape(m2, m3, m4)
        for j, p in enumerate(ps):
            if meth == "gaussian":
                var[:, j] = -(mean + special.ndtri(p) * sd)
                es[:, j] = -mean + sd * _phi(special.ndtri(p)) / p
            elif meth == "cornish_fisher":
                var[:, j], es[:, j] = _cornish_fisher(mean, m2, skew, exkurt, p)
                bad_cf = int(np.sum(~_cf_monotone(skew, exkurt)))
            else:
                scale_t, nu_t = _t_from_moments(sd, exkurt)
                q, e = _std_t(nu_t, p)
                var[:, j], es[:, j] = -(mean + scale_t * q), -mean + scale_t * e
        if meth == "gaussian":
            vol = sd
        if meth == "cornish_fisher" and bad_cf:
            warnings.warn(
                f"the window's skewness and kurtosis are outside the domain of validity of the "
                f"Cornish-Fisher expansion (Maillard 2012) at {bad_cf} of {pos.size} dates; "
                "those forecasts are unreliable",
                UserWarning,
                stacklevel=2,
            )
    if "fits" in attrs:
        bad = sum(not f["converged"] for f in attrs["fits"])
        if bad:
            warnings.warn(
                f"{bad} of {len(attrs['fits'])} {meth} fits did not converge; see attrs['fits']",
                UserWarning,
                stacklevel=2,
            )
    data: dict[str, np.ndarray] = {}
    for j, lvl in enumerate(levels):
        data[f"var_{_label(lvl)}"] = var[:, j]
        data[f"es_{_label(lvl)}"] = es[:, j]
    if vol is not None:
        data["volatility"] = vol
    frame = pd.DataFrame(data, index=out_index)
    frame.attrs.update(method=meth, levels=levels, window=w, start=out_index[0], **attrs)
    return frame


# --------------------------------------------------------------------------- predictive draws
def var_es_from_draws(
    draws: Any, *, levels: Any = (0.99, 0.975), index: Any = None
) -> pd.DataFrame:
    r"""VaR and ES of predictive draws of returns, one row per date.

    Parameters
    ----------
    draws : array_like or pandas DataFrame
        Draws from the predictive distribution of the return: shape ``(n_draws,)`` for one
        date or ``(n_draws, n_dates)`` for several (rows are draws), as returned by a Bayesian
        template's ``predict_distribution`` or ``filter_forecast``
        (:class:`~statcraft.bayes.templates.volatility.StochasticVolatility`,
        :class:`~statcraft.bayes.templates.volatility.Garch11`). A DataFrame's columns become
        the index of the result.
    levels : float or sequence of float, default (0.99, 0.975)
        Confidence levels in (0, 1).
    index : array_like, optional
        Labels of the dates (``n_dates`` of them), e.g. the test sample's dates. Default: the
        DataFrame's columns, or positions 0, 1, ...

    Returns
    -------
    pandas.DataFrame
        One row per date, columns ``var_<level>`` and ``es_<level>`` per level in the order
        given (``var_0.99``, ``es_0.99``, ...), in the draws' units (templates work in percent:
        divide by 100 for decimals). ``attrs['n_draws']`` is the number of draws.

    Raises
    ------
    ValueError
        If ``draws`` is empty, has NaN or inf, more than two dimensions, or fewer than
        :math:`1/(1-\text{level})` draws; if a level is outside (0, 1); if ``index`` has the
        wrong length.
    TypeError
        If ``draws`` is not numeric.

    Notes
    -----
    The same estimators as ``value_at_risk(method='historical')`` applied to the draws of each
    date: VaR is minus the lower empirical quantile :math:`d_{(\lceil Np \rceil)}`, ES the
    expected shortfall of the empirical distribution of the :math:`N` draws (Acerbi & Tasche
    2002). They integrate over parameter and state uncertainty when the draws do.

    Examples
    --------
    >>> import numpy as np
    >>> from statcraft.finance.forecasts import var_es_from_draws
    >>> draws = np.random.default_rng(0).standard_normal((4000, 2)) * [1.0, 2.0]
    >>> var_es_from_draws(draws, levels=(0.99,)).round(2)
       var_0.99  es_0.99
    0      2.37     2.74
    1      4.56     5.30
    """
    labels = draws.columns if isinstance(draws, pd.DataFrame) else None
    x = check_array(draws, "draws", ndim=2, suggest_omit=False)
    levels = _check_levels(levels)
    n_draws, n_dates = x.shape
    for lvl in levels:
        need = _min_obs("historical", 1.0 - lvl)
        if n_draws < need:
            raise ValueError(
                f"`draws` has {n_draws} draws per date, too few for `levels` {lvl:g}: at least "
                f"{need} are needed (draws are rows: shape (n_draws, n_dates))"
            )
    if index is None:
        out_index = pd.Index(labels) if labels is not None else pd.RangeIndex(n_dates)
    else:
        out_index = pd.Index(index)
        if len(out_index) != n_dates:
            raise ValueError(f"`index` has {len(out_index)} labels but `draws` has {n_dates} dates")
    cols = x.T
    need = int(np.floor(_tail_size(n_draws, 1.0 - min(levels)))) + 1
    data: dict[str, np.ndarray] = {}
    step = max(1, _CHUNK // n_draws)
    smallest = np.vstack(
        [_sorted_smallest(cols[a : a + step], need) for a in range(0, n_dates, step)]
    )
    for lvl in levels:
        v, e = _tail_from_sorted(smallest, np.full(n_dates, n_draws), 1.0 - lvl)
        data[f"var_{_label(lvl)}"] = v
        data[f"es_{_label(lvl)}"] = e
    frame = pd.DataFrame(data, index=out_index)
    frame.attrs["n_draws"] = n_draws
    return frame
