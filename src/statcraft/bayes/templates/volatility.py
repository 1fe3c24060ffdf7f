"""Volatility models for returns: stochastic volatility and Bayesian GARCH(1,1), Student-t."""

from __future__ import annotations

import warnings
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import special

from statcraft._validation import check_array, check_choice, check_int, check_probability
from statcraft.bayes import diagnostics as dx
from statcraft.bayes._data import check_column_names, numeric_column
from statcraft.bayes.base import Arrays, BayesianModel, State
from statcraft.bayes.priors import Prior
from statcraft.bayes.templates.linear import PriorScaleWarning
from statcraft.finance.forecasts import var_es_from_draws

__all__ = ["Garch11", "StochasticVolatility"]


def ar1_filter(b: Any, phi: Any, n: int) -> Any:
    r"""Solve :math:`x_t = \phi x_{t-1} + b_t` (:math:`x_0 = b_0`) for all t at once.

    A Hillis–Steele doubling scan: :math:`\lceil\log_2 n\rceil` vectorised steps, each adding
    :math:`\phi^d` times the series shifted by d. Only positive powers of φ appear, so it is
    stable for |φ| ≤ 1, and its gradient is cheap — much faster under NUTS than
    ``pytensor.scan``'s sequential loop.
    """
    import pytensor.tensor as pt

    x = b
    d = 1
    while d < n:
        x = x + phi**d * pt.concatenate([pt.zeros(d), x[:-d]])
        d *= 2
    return x


def _returns(data: pd.DataFrame, column: str, template: str) -> np.ndarray:
    r = numeric_column(data, column, "returns")
    if len(r) < 20:
        raise ValueError(f"{template} needs at least 20 returns; got {len(r)}")
    if not r.std() > 0:
        raise ValueError(f"column {column!r} (returns) is constant")
    if r.std() < 0.1:
        warnings.warn(
            f"{template}: the returns have standard deviation {r.std():.3g}, which looks like "
            "decimal returns; the default priors are stated for percent returns (multiply by "
            "100), so they are informative here",
            PriorScaleWarning,
            stacklevel=5,
        )
    return r


def _risk_table(draws: np.ndarray, level: float, hdi_prob: float) -> pd.DataFrame:
    """VaR and ES (losses positive) of predictive draws ``(n_draws, horizon)``, per period.

    The same estimators as :func:`statcraft.finance.var_es_from_draws` (lower empirical
    quantile, Acerbi-Tasche ES), so a template's risk table and a backtest agree.
    """
    risk = var_es_from_draws(draws, levels=(level,))
    var, es = risk.iloc[:, 0].to_numpy(), risk.iloc[:, 1].to_numpy()
    low, high = dx.hdi(draws, hdi_prob)
    return pd.DataFrame(
        {
            "mean": draws.mean(axis=0),
            "sd": draws.std(axis=0, ddof=1),
            "hdi_low": low,
            "hdi_high": high,
            "value_at_risk": var,
            "expected_shortfall": es,
        },
        index=pd.RangeIndex(1, draws.shape[1] + 1, name="step"),
    )


class _ReturnsModel(BayesianModel):
    """Shared machinery of the returns models: forecasting and the risk table."""

    def __init__(self, *, returns: str, priors: Mapping[str, Any] | None = None, **options: Any):
        returns = check_column_names(returns, "returns")[0]
        super().__init__(priors=priors, returns=returns, **options)

    @abstractmethod
    def _forecast(self, horizon: int, rng: np.random.Generator) -> np.ndarray:
        """Predictive draws of the next ``horizon`` returns, shape ``(n_draws, horizon)``."""

    def _expected(self, draws: Arrays, arrays: Arrays, state: State) -> np.ndarray:
        n_draws = next(iter(draws.values())).shape[0]
        mu = draws["mu_return"] if "mu_return" in draws else np.zeros(n_draws)
        return np.repeat(mu[:, None], arrays["horizon"], axis=1)

    def _simulate(
        self, draws: Arrays, arrays: Arrays, state: State, rng: np.random.Generator
    ) -> np.ndarray:
        return self._forecast(int(arrays["horizon"]), rng)

    def _prepare_new(self, data: pd.DataFrame) -> Arrays:
        return {"horizon": np.asarray(len(data))}

    def _training_index(self, n: int) -> pd.Index:
        """Return the training rows' index (a dated frame's dates), else positions 0..n-1."""
        if self._data is not None and len(self._data) == n:
            return self._data.index
        return pd.RangeIndex(n)

    @abstractmethod
    def _filter(self, r: np.ndarray, rng: np.random.Generator, n_particles: int) -> np.ndarray:
        """One-step-ahead predictive draws ``(n_draws, len(r))`` for returns after the sample."""

    def filter_forecast(
        self,
        new_data: Any,
        *,
        n_particles: int = 100,
        rng: Any = None,
    ) -> np.ndarray:
        r"""One-step-ahead predictive draws for each period after the sample, without refitting.

        For each period :math:`T + j` of ``new_data`` the draws are from
        :math:`p(r_{T+j} \mid r_{1:T+j-1}, \theta)` averaged over the posterior of
        :math:`\theta` fitted on :math:`r_{1:T}`: the volatility state is updated with each
        new return, the parameters stay at their posterior draws (no learning between refits).
        This is what a walk-forward backtest with periodic refits needs: refit every few
        hundred days, filter forward in between.

        Parameters
        ----------
        new_data : pandas.DataFrame or array_like
            The returns that follow the training sample, in the same units (percent) and
            order; a DataFrame must have the ``returns`` column named at construction.
        n_particles : int
            :class:`StochasticVolatility` only: particles per posterior draw in the bootstrap
            particle filter of the log-variance (:class:`Garch11`'s variance is a deterministic
            function of past returns, so it needs none).
        rng : None, int or numpy.random.Generator
            Seed for the predictive draws (and the particle filter).

        Returns
        -------
        numpy.ndarray
            Shape ``(n_draws, len(new_data))``: column j holds draws of the return of period
            j given everything before it. VaR and ES follow from its quantiles
            (:func:`statcraft.finance.var_es_from_draws`); CRPS from
            :func:`statcraft.crps_ensemble` on its transpose.

        Notes
        -----
        :class:`Garch11`: :math:`h_{T+j} = \omega + \alpha e_{T+j-1}^2 + \beta h_{T+j-1}`
        per posterior draw, then one standardised-t draw. :class:`StochasticVolatility`: a
        bootstrap particle filter (Gordon, Salmond & Smith 1993) per posterior draw, started
        from that draw's :math:`h_T`; the predictive draw takes one particle at random and the
        particles are reweighted by the Student-t likelihood of the observed return and
        resampled (systematic resampling).
        """
        state = self._require_fitted("filter_forecast")
        if isinstance(new_data, pd.DataFrame):
            r = numeric_column(new_data, self._options["returns"], "returns")
        else:
            r = check_array(new_data, "new_data", suggest_omit=False)
        particles = check_int(n_particles, "n_particles", min_value=1)
        gen = np.random.default_rng(state["seed"] + 3 if rng is None else rng)
        return self._filter(r, gen, particles)

    def forecast_risk(
        self,
        horizon: int = 1,
        *,
        level: float = 0.99,
        hdi_prob: float = 0.9,
        rng: Any = None,
    ) -> pd.DataFrame:
        """Predictive value at risk and expected shortfall for the next ``horizon`` periods.

        Losses are positive: ``value_at_risk`` is the ``level`` quantile of the predictive
        loss ``-r`` (in the returns' units), ``expected_shortfall`` the mean loss beyond it,
        computed as :func:`statcraft.finance.var_es_from_draws` does.
        Both integrate over the posterior (parameter and volatility uncertainty).

        Returns
        -------
        pandas.DataFrame
            One row per step ahead: ``mean``, ``sd``, ``hdi_low``, ``hdi_high`` of the
            predictive return, ``value_at_risk``, ``expected_shortfall``.
        """
        state = self._require_fitted("forecast_risk")
        horizon = check_int(horizon, "horizon", min_value=1)
        level = check_probability(level, "level")
        prob = check_probability(hdi_prob, "hdi_prob")
        gen = np.random.default_rng(state["seed"] + 2 if rng is None else rng)
        table = _risk_table(self._forecast(horizon, gen), level, prob)
        table.attrs.update(level=level, hdi_prob=prob)
        return table


class StochasticVolatility(_ReturnsModel):
    r"""Stochastic volatility with Student-t returns, parametrised so NUTS converges.

    .. math::

        r_t &\sim t_\nu\!\left(0,\ e^{h_t/2}\right), \\
        h_t &= \mu + \phi\,(h_{t-1} - \mu) + \sigma z_t,\quad z_t \sim \mathcal N(0, 1),\quad
        h_1 = \mu + \frac{\sigma}{\sqrt{1-\phi^2}} z_1 .

    :math:`h_t` is the log-variance (the log squared scale) of day t's return. The
    parametrisation is what makes the model sample, and it changes the coordinates NUTS moves
    in, not the model:

    - the log-volatility is *non-centred*: NUTS moves independent innovations :math:`z_t`
      and :math:`h` is their AR(1) filter, computed by a vectorised doubling scan;
    - the first deviation :math:`d_1 = h_1 - \mu \sim \mathcal N(0, \sigma/\sqrt{1-\phi^2})`
      is sampled *centred* (as :math:`\phi \to 1` its non-centred form makes a funnel);
    - NUTS moves the path's mean level :math:`\bar h` instead of :math:`\mu`:
      :math:`\mu = \bar h - \overline{(h - \mu)}` is a shear with Jacobian 1, and
      :math:`\mu`'s prior is applied as a potential, so the posterior is unchanged. The data
      pin the level down whatever φ is, which removes the μ–φ funnel that otherwise gives a
      few divergent transitions per 2000 draws on daily returns;
    - returns are in percent, so that the priors are on a natural scale.

    The PyMC gallery's centred Gaussian random walk of the log-volatility reaches a minimum
    bulk ESS of about 20 from 2 × 1000 draws with r_hat above 1.05 on the same data
    (benchmarks/README.md); this one converges, with ``target_accept=0.98`` by default.
    ``process="random_walk"`` sets :math:`\phi = 1` (then :math:`d_1 \sim \mathcal N(0, 2)`)
    for users who want that model.

    Parameters
    ----------
    returns : str
        Column of returns in **percent** (e.g. ``100 * diff(log(price))``), in time order.
        Decimal returns trigger a :class:`PriorScaleWarning`: nothing is rescaled silently.
    process : {'ar1', 'random_walk'}
        Log-volatility process.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Default priors (daily percent returns):

    - ``mu ~ Normal(0, 2)``: long-run log-variance; the typical daily scale
      :math:`e^{\mu/2}` is within 0.14%–7.4% with 95% prior probability;
    - ``persistence ~ Beta(20, 1.5)`` on :math:`(\phi + 1)/2`: volatility clusters, so φ is
      near 1 (prior median 0.93, 90% above 0.83) while staying below it (Kim, Shephard &
      Chib 1998 use Beta(20, 1.5));
    - ``sigma ~ HalfNormal(0.2)``: daily innovations of the log-variance are small (estimates
      on daily data are 0.1–0.3);
    - ``nu ~ Gamma(2, 0.1)``: tails (Juárez & Steel 2010).

    Latent variables ``z`` and ``h`` are judged by the gate's fraction rule (see
    :mod:`statcraft.bayes.diagnostics`).

    :meth:`predict` and :meth:`forecast_risk` forecast the periods after the sample:
    ``predict(new_data)`` simulates ``len(new_data)`` steps ahead (the columns of
    ``new_data`` are not used).

    References
    ----------
    Kim, S., Shephard, N. & Chib, S. (1998). Stochastic volatility: likelihood inference and
    comparison with ARCH models. Review of Economic Studies 65(3), 361–393.

    Juárez, M. A. & Steel, M. F. J. (2010). Model-based clustering of non-Gaussian panel data
    based on skew-t distributions. JBES 28(1), 52–66.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.datasets import load_wti
    >>> from statcraft.bayes import StochasticVolatility
    >>> wti = load_wti()  # indexed by date
    >>> r = (100 * np.log(wti["price"]).diff()).iloc[-300:].to_frame("r")
    >>> sv = StochasticVolatility(returns="r")
    >>> sorted(v.name for v in sv.build(r).free_RVs)
    ['d1', 'level', 'nu', 'persistence', 'sigma', 'z']

    After ``sv.fit(r)``, ``sv.volatility()`` is the daily volatility path (indexed by the
    dates of ``r``) and ``sv.forecast_risk(level=0.99)`` the next day's predictive VaR and ES
    (in percent).
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "mu": Prior("Normal", mu=0, sigma=2),
        "persistence": Prior("Beta", alpha=20, beta=1.5),
        "sigma": Prior("HalfNormal", sigma=0.2),
        "nu": Prior("Gamma", alpha=2, beta=0.1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {
        "persistence": "unit",
        "sigma": "positive",
        "nu": "positive",
    }
    latent_variables: ClassVar[tuple[str, ...]] = ("z", "h")
    observed_variable: ClassVar[str] = "returns"
    default_target_accept: ClassVar[float] = 0.98

    def __init__(
        self,
        *,
        returns: str,
        process: str = "ar1",
        priors: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            returns=returns,
            process=check_choice(process, "process", ("ar1", "random_walk")),
            priors=priors,
        )

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        if state is not None:
            return self._prepare_new(data), state
        r = _returns(data, self._options["returns"], type(self).__name__)
        return {"r": r}, {"n": len(r)}

    def _process(self) -> tuple[Any, Any, Any, Any]:
        """Create sigma, nu and the AR(1) coefficients: (sigma, nu, phi, stationary sd)."""
        import pymc as pm
        import pytensor.tensor as pt

        sigma = self.priors["sigma"].create("sigma")
        nu = self.priors["nu"].create("nu")
        if self._options["process"] == "ar1":
            persistence = self.priors["persistence"].create("persistence")
            phi = pm.Deterministic("phi", 2.0 * persistence - 1.0)
            return sigma, nu, phi, sigma / pt.sqrt(1.0 - phi**2)
        return sigma, nu, pt.as_tensor_variable(1.0), pt.as_tensor_variable(2.0)

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm
        import pytensor.tensor as pt

        r = arrays["r"]
        n = len(r)
        with pm.Model(coords={"time": np.arange(n), "step": np.arange(1, n)}) as model:
            sigma, nu, phi, sd0 = self._process()
            # x_t = h_t - mu, the AR(1) filter of sigma z_t from a centred first deviation
            d1 = pm.Normal("d1", 0.0, sd0)
            z = pm.Normal("z", 0.0, 1.0, dims="step")
            x = ar1_filter(pt.concatenate([d1[None], sigma * z]), phi, n)
            # NUTS moves the path's mean level; mu = level - mean(x) is a shear of (level, z,
            # d1) with Jacobian 1, so mu's prior as a potential leaves the model unchanged
            level = pm.Flat("level", initval=float(np.log(np.var(r))))
            xbar = pt.mean(x)
            mu = pm.Deterministic("mu", level - xbar)
            pm.Potential("mu_prior", pm.logp(self.priors["mu"].dist("mu"), mu))
            h = pm.Deterministic("h", level + (x - xbar), dims="time")
            pm.StudentT("returns", nu=nu, mu=0.0, sigma=pt.exp(h / 2.0), observed=r, dims="time")
        return model

    def _prior_model(self, arrays: Arrays, state: State) -> Any:
        """Return the same model written forwards (mu first), for prior predictive draws."""
        import pymc as pm
        import pytensor.tensor as pt

        r = arrays["r"]
        n = len(r)
        with pm.Model(coords={"time": np.arange(n)}) as model:
            mu = self.priors["mu"].create("mu")
            sigma, nu, phi, sd0 = self._process()
            z = pm.Normal("z", 0.0, 1.0, dims="time")
            b = pt.concatenate([(sd0 * z[0])[None], sigma * z[1:]])
            h = pm.Deterministic("h", mu + ar1_filter(b, phi, n), dims="time")
            pm.StudentT("returns", nu=nu, mu=0.0, sigma=pt.exp(h / 2.0), observed=r, dims="time")
        return model

    def _forecast(self, horizon: int, rng: np.random.Generator) -> np.ndarray:
        ar1 = self._options["process"] == "ar1"
        d = dx.extract_draws(self.idata, ["mu", "sigma", "nu", "h", *(["phi"] if ar1 else [])])
        phi = d["phi"] if ar1 else np.ones_like(d["mu"])
        h = d["h"][:, -1]
        out = np.empty((h.size, horizon))
        for j in range(horizon):
            h = d["mu"] + phi * (h - d["mu"]) + d["sigma"] * rng.standard_normal(h.size)
            out[:, j] = np.exp(h / 2.0) * rng.standard_t(d["nu"])
        return out

    def _filter(self, r: np.ndarray, rng: np.random.Generator, n_particles: int) -> np.ndarray:
        ar1 = self._options["process"] == "ar1"
        d = dx.extract_draws(self.idata, ["mu", "sigma", "nu", "h", *(["phi"] if ar1 else [])])
        mu, sigma, nu = d["mu"][:, None], d["sigma"][:, None], d["nu"][:, None]
        phi = d["phi"][:, None] if ar1 else np.ones_like(mu)
        n_draws = mu.shape[0]
        h = np.repeat(d["h"][:, -1:], n_particles, axis=1)
        rows = np.arange(n_draws)
        offsets = rows[:, None]
        out = np.empty((n_draws, r.size))
        log_norm = (
            special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2) - 0.5 * np.log(np.pi * nu)
        )
        for j in range(r.size):
            h = mu + phi * (h - mu) + sigma * rng.standard_normal(h.shape)
            pick = h[rows, rng.integers(n_particles, size=n_draws)]
            out[:, j] = np.exp(pick / 2.0) * rng.standard_t(d["nu"])
            # reweight by the Student-t likelihood of the observed return, then resample
            z2 = r[j] ** 2 * np.exp(-h)
            logw = log_norm - h / 2.0 - (nu + 1) / 2 * np.log1p(z2 / nu)
            w = np.exp(logw - logw.max(axis=1, keepdims=True))
            cum = np.cumsum(w, axis=1)
            cum /= cum[:, -1:]
            u = (rng.random((n_draws, 1)) + np.arange(n_particles)) / n_particles
            idx = np.searchsorted((cum + offsets).ravel(), (u + offsets).ravel())
            idx = np.minimum(idx, n_draws * n_particles - 1)
            h = h.ravel()[idx].reshape(n_draws, n_particles)
        return out

    def volatility(self, hdi_prob: float = 0.9) -> pd.DataFrame:
        r"""Posterior of the daily volatility :math:`e^{h_t/2}` (the returns' scale) per period.

        This is the *scale* of the Student-t innovations, not the conditional standard
        deviation: that is larger by :math:`\sqrt{\nu/(\nu-2)}` (for :math:`\nu > 2`).
        Multiply by it (per draw of ``nu``) before comparing with a GARCH conditional
        volatility, which is a standard deviation.

        Returns
        -------
        pandas.DataFrame
            One row per training period, indexed like the training data (its dates when
            the frame was indexed by date; 0 … n-1 for a model loaded without its data):
            ``mean``, ``hdi_low``, ``hdi_high``.
        """
        self._require_fitted("volatility")
        prob = check_probability(hdi_prob, "hdi_prob")
        vol = np.exp(dx.extract_draws(self.idata, ["h"])["h"] / 2.0)
        low, high = dx.hdi(vol, prob)
        return pd.DataFrame(
            {"mean": vol.mean(axis=0), "hdi_low": low, "hdi_high": high},
            index=self._training_index(vol.shape[1]),
        )


class Garch11(_ReturnsModel):
    r"""Bayesian GARCH(1,1) with standardised Student-t innovations.

    .. math::

        r_t &= \mu_r + e_t,\qquad
        e_t = \sqrt{h_t\,(\nu-2)/\nu}\;\epsilon_t,\quad \epsilon_t \sim t_\nu, \\
        h_t &= \omega + \alpha\, e_{t-1}^2 + \beta\, h_{t-1},\qquad
        h_1 = \text{sample variance of } r .

    :math:`h_t` is the conditional variance of day t's return. The constraints
    :math:`\omega > 0`, :math:`\alpha, \beta \ge 0`, :math:`\alpha + \beta < 1` hold by
    construction: NUTS samples the persistence :math:`\alpha + \beta`, the share
    :math:`\alpha/(\alpha + \beta)` and the unconditional variance
    :math:`\omega/(1 - \alpha - \beta)`, which are nearly orthogonal a posteriori. Given
    :math:`\mu_r` the variance recursion is linear in :math:`h` with coefficient β, so it is
    computed by a vectorised doubling scan instead of a sequential ``scan`` (gradients
    included, this is what makes it fast). Compare the posterior with ``arch``'s maximum
    likelihood fit (``arch_model(r, vol="GARCH", dist="t")``): with this much data they
    agree closely (tests/bayes/test_volatility.py).

    Parameters
    ----------
    returns : str
        Column of returns in **percent**, in time order.
    priors : dict of str to Prior, optional
        Replace any of the defaults below.

    Notes
    -----
    Default priors (daily percent returns):

    - ``mu_return ~ Normal(0, 0.5)``: daily mean return;
    - ``persistence ~ Beta(20, 1.5)``: α + β, volatility is persistent (90% prior mass
      above 0.83), below 1 (covariance stationarity);
    - ``share ~ Beta(2, 10)``: α/(α + β), news moves variance modestly (prior mean 0.17);
    - ``unconditional_variance ~ LogNormal(0.7, 1.5)``: long-run daily variance in %²
      (median 2, i.e. a daily sd of 1.4%; 95% between 0.1 and 38);
    - ``nu_minus_two ~ Gamma(2, 0.1)``: tails (Juárez & Steel 2010), ν > 2 so the variance
      exists.

    References
    ----------
    Bollerslev, T. (1987). A conditionally heteroskedastic time series model for speculative
    prices and rates of return. Review of Economics and Statistics 69(3), 542–547.

    Ardia, D. & Hoogerheide, L. F. (2010). Bayesian estimation of the GARCH(1,1) model with
    Student-t innovations. The R Journal 2(2), 41–47.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from statcraft.datasets import load_wti
    >>> from statcraft.bayes import Garch11
    >>> wti = load_wti()  # indexed by date
    >>> r = (100 * np.log(wti["price"]).diff()).iloc[-1000:].to_frame("r")
    >>> garch = Garch11(returns="r")
    >>> _ = garch.fit(r, draws=1000, tune=1000, chains=2, cores=1, rng=1, progressbar=False)
    >>> bool(garch.convergence.passed)
    True
    >>> risk = garch.forecast_risk(level=0.99)
    >>> bool(risk.loc[1, "expected_shortfall"] > risk.loc[1, "value_at_risk"] > 0)
    True
    >>> str(garch.conditional_variance().index[-1].date())  # the dates of r
    '2019-01-03'
    """

    default_priors: ClassVar[Mapping[str, Prior]] = {
        "mu_return": Prior("Normal", mu=0, sigma=0.5),
        "persistence": Prior("Beta", alpha=20, beta=1.5),
        "share": Prior("Beta", alpha=2, beta=10),
        "unconditional_variance": Prior("LogNormal", mu=0.7, sigma=1.5),
        "nu_minus_two": Prior("Gamma", alpha=2, beta=0.1),
    }
    prior_support: ClassVar[Mapping[str, str]] = {
        "persistence": "unit",
        "share": "unit",
        "unconditional_variance": "positive",
        "nu_minus_two": "positive",
    }
    observed_variable: ClassVar[str] = "returns"

    def __init__(self, *, returns: str, priors: Mapping[str, Any] | None = None) -> None:
        super().__init__(returns=returns, priors=priors)

    def _prepare(self, data: pd.DataFrame, state: State | None) -> tuple[Arrays, State]:
        if state is not None:
            return self._prepare_new(data), state
        r = _returns(data, self._options["returns"], type(self).__name__)
        return {"r": r}, {"n": len(r), "h1": float(np.var(r))}

    def _model(self, arrays: Arrays, state: State) -> Any:
        import pymc as pm
        import pytensor.tensor as pt

        r = arrays["r"]
        n = len(r)
        with pm.Model(coords={"time": np.arange(n)}) as model:
            mu = self.priors["mu_return"].create("mu_return")
            persistence = self.priors["persistence"].create("persistence")
            share = self.priors["share"].create("share")
            uncvar = self.priors["unconditional_variance"].create("unconditional_variance")
            nu_m2 = self.priors["nu_minus_two"].create("nu_minus_two")
            nu = pm.Deterministic("nu", 2.0 + nu_m2)
            alpha = pm.Deterministic("alpha", persistence * share)
            beta = pm.Deterministic("beta", persistence * (1.0 - share))
            omega = pm.Deterministic("omega", uncvar * (1.0 - persistence))
            e = pt.as_tensor_variable(r) - mu
            b = pt.concatenate([pt.as_tensor_variable([state["h1"]]), omega + alpha * e[:-1] ** 2])
            h = ar1_filter(b, beta, n)
            pm.Deterministic("h_last", h[-1])
            pm.Deterministic("e_last", e[-1])
            pm.StudentT(
                "returns", nu=nu, mu=mu, sigma=pt.sqrt(h * nu_m2 / nu), observed=r, dims="time"
            )
        return model

    def _forecast(self, horizon: int, rng: np.random.Generator) -> np.ndarray:
        names = ["mu_return", "omega", "alpha", "beta", "nu", "h_last", "e_last"]
        d = dx.extract_draws(self.idata, names)
        h = d["omega"] + d["alpha"] * d["e_last"] ** 2 + d["beta"] * d["h_last"]
        scale = np.sqrt((d["nu"] - 2.0) / d["nu"])
        out = np.empty((h.size, horizon))
        for j in range(horizon):
            e = np.sqrt(h) * scale * rng.standard_t(d["nu"])
            out[:, j] = d["mu_return"] + e
            h = d["omega"] + d["alpha"] * e**2 + d["beta"] * h
        return out

    def _filter(self, r: np.ndarray, rng: np.random.Generator, n_particles: int) -> np.ndarray:
        names = ["mu_return", "omega", "alpha", "beta", "nu", "h_last", "e_last"]
        d = dx.extract_draws(self.idata, names)
        scale = np.sqrt((d["nu"] - 2.0) / d["nu"])
        e_prev, h = d["e_last"], d["h_last"]
        out = np.empty((h.size, r.size))
        for j in range(r.size):
            h = d["omega"] + d["alpha"] * e_prev**2 + d["beta"] * h
            out[:, j] = d["mu_return"] + np.sqrt(h) * scale * rng.standard_t(d["nu"])
            e_prev = r[j] - d["mu_return"]
        return out

    def conditional_variance(self) -> pd.DataFrame:
        """Posterior mean and 90% HDI of :math:`h_t` over the training sample.

        Computed from the training returns (kept in memory after :meth:`fit`; a loaded model
        needs ``save(..., include_data=True)``). Indexed like the training data (its dates
        when the frame was indexed by date; 0 … n-1 for a loaded model): ``mean``,
        ``hdi_low``, ``hdi_high``.
        """
        state = self._require_fitted("conditional_variance")
        if self._data is None:
            raise RuntimeError(
                "conditional_variance() needs the training returns; save the fitted model with "
                "include_data=True"
            )
        r = self._data[self._options["returns"]].to_numpy(dtype=float)
        names = ["mu_return", "omega", "alpha", "beta"]
        d = dx.extract_draws(self.idata, names)
        e = r[None, :] - d["mu_return"][:, None]
        h = np.empty_like(e)
        h[:, 0] = state["h1"]
        for t in range(1, r.size):
            h[:, t] = d["omega"] + d["alpha"] * e[:, t - 1] ** 2 + d["beta"] * h[:, t - 1]
        low, high = dx.hdi(h, 0.9)
        return pd.DataFrame(
            {"mean": h.mean(axis=0), "hdi_low": low, "hdi_high": high},
            index=self._training_index(r.size),
        )
