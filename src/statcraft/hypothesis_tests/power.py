"""Power and sample size for t-tests and proportion tests, and power by simulation.

=============================  ===========================================  ===================
function                       computes                                     R
=============================  ===========================================  ===================
``power_ttest``                power of a t-test (noncentral t)             ``power.t.test``
``sample_size_ttest``          n for a target power of a t-test             ``power.t.test``
``power_proportions``          power of the two-proportion z-test           ``power.prop.test``
``sample_size_proportions``    n per group for a target power               ``power.prop.test``
``simulate_power``             power of any test, by Monte Carlo            --
=============================  ===========================================  ===================

The analytic functions return a :class:`PowerResult`; ``simulate_power`` returns an
:class:`~statcraft.results.Estimate` of the power with a binomial confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special

from statcraft._progress import Progress, check_progress
from statcraft._random import as_generator, spawn_seeds
from statcraft._validation import (
    check_alternative,
    check_bool,
    check_choice,
    check_finite_scalar,
    check_int,
    check_probability,
)
from statcraft.estimators.proportions import proportion
from statcraft.hypothesis_tests._noncentral import nct_cdf
from statcraft.results import Estimate, FrozenMapping, TestResult

__all__ = [
    "PowerResult",
    "power_proportions",
    "power_ttest",
    "sample_size_proportions",
    "sample_size_ttest",
    "simulate_power",
]

Alternative = Literal["two-sided", "less", "greater"]
TTestKind = Literal["two-sample", "one-sample", "paired"]

_N_MIN = 2.0
_N_MAX = 1e7


@dataclass(frozen=True, slots=True)
class PowerResult:
    """Power of a test at a sample size, or the sample size that reaches a target power.

    Attributes
    ----------
    power : float
        Power at ``n``. When ``n`` was solved for, this is the power achieved by the
        rounded-up ``n`` (at least ``target_power``).
    n : float
        Sample size: per group for two-sample tests, the number of pairs for a paired test,
        the sample size for a one-sample test. When solved for, the smallest whole number
        reaching ``target_power``; otherwise the value given.
    n_exact : float
        The unrounded solution of ``power(n) = target_power`` (what R's ``power.t.test``
        prints as ``n``); equal to ``n`` when ``n`` was given.
    alpha : float
        Significance level.
    alternative : str
        ``'two-sided'``, ``'less'`` or ``'greater'``.
    method : str
        What was computed, in words (like R's ``method``).
    target_power : float or None
        The requested power when ``n`` was solved for, else None.
    parameters : FrozenMapping
        The effect and design (``delta``, ``sd``, ``kind``, ``strict`` for t-tests; ``p1``,
        ``p2``, ``strict`` for proportions).

    Examples
    --------
    >>> import statcraft as sc
    >>> res = sc.sample_size_ttest(1.0, power=0.9)
    >>> res.n, round(res.n_exact, 4), round(res.power, 4)
    (23, 22.0211, 0.9125)
    >>> list(res.to_frame().columns)[:4]
    ['power', 'n', 'n_exact', 'alpha']
    """

    power: float
    n: float
    n_exact: float
    alpha: float
    alternative: str
    method: str
    target_power: float | None = None
    parameters: FrozenMapping = field(default_factory=FrozenMapping)

    def __post_init__(self) -> None:
        if not isinstance(self.parameters, FrozenMapping):
            object.__setattr__(self, "parameters", FrozenMapping(self.parameters))

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a flat dict (parameters included by name)."""
        out: dict[str, Any] = {
            "power": self.power,
            "n": self.n,
            "n_exact": self.n_exact,
            "alpha": self.alpha,
            "alternative": self.alternative,
            "target_power": self.target_power,
            "method": self.method,
        }
        out.update(dict(self.parameters))
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return a tidy one-row DataFrame."""
        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        target = "" if self.target_power is None else f" (target {self.target_power:g})"
        exact = "" if self.n == self.n_exact else f" (exact {self.n_exact:.4f})"
        return (
            f"PowerResult({self.method}: n = {self.n:g}{exact}, power = {self.power:.4f}"
            f"{target}, alpha = {self.alpha:g}, {self.alternative}; {params})"
        )

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)

    def power_function(self, *, against: Literal["n", "effect"] = "n") -> Callable[[float], float]:
        """Return power as a function of ``n`` or of the effect, the rest as in this result.

        Parameters
        ----------
        against : {'n', 'effect'}
            ``'n'``: power at sample size ``n`` (per group, pairs, or observations, as
            ``n``); ``'effect'``: power at the true effect -- ``delta`` for a t-test, ``p2``
            (with ``p1`` fixed) for proportions -- at this result's ``n``.

        Examples
        --------
        >>> import statcraft as sc
        >>> f = sc.sample_size_ttest(1.0, power=0.9).power_function()
        >>> round(f(20), 7)  # R: power.t.test(n = 20, delta = 1)
        0.8689528
        """
        against = check_choice(against, "against", ("n", "effect"))  # type: ignore[assignment]
        p = self.parameters
        alpha, alt, strict = self.alpha, self.alternative, bool(p["strict"])
        if "delta" in p:
            delta, sd, kind = float(p["delta"]), float(p["sd"]), str(p["kind"])
            if against == "n":
                return lambda n: _t_power(n, delta, sd, alpha, kind, alt, strict)
            return lambda d: _t_power(float(self.n), d, sd, alpha, kind, alt, strict)
        p1, p2 = float(p["p1"]), float(p["p2"])
        if against == "n":
            return lambda n: _prop_power(n, p1, p2, alpha, alt, strict)
        return lambda q: _prop_power(float(self.n), p1, q, alpha, alt, strict)

    def plot(self, ax: Any = None, *, against: Literal["n", "effect"] = "n") -> Any:
        """Plot the power curve around this result, with the target power and the solution.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made when None.
        against : {'n', 'effect'}
            ``'n'`` (default): power against the sample size, from 2 to twice ``n`` (at
            least 12), with ``n`` marked. ``'effect'``: power against the true effect at this
            ``n`` -- ``delta`` from 0 to twice its value (``-sd`` to ``sd`` for ``delta = 0``)
            for a t-test, ``p2`` over (0, 1) for proportions -- with the effect marked.

        Returns
        -------
        matplotlib.axes.Axes
            The curve, a horizontal line at ``target_power`` (when ``n`` was solved for), a
            vertical line and a point at the solution (or the given ``n``, or the effect).

        Examples
        --------
        >>> import statcraft as sc
        >>> ax = sc.sample_size_ttest(0.5, power=0.8).plot()
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('sample size per group', 'power')
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        fn = self.power_function(against=against)
        p = self.parameters
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.5, 4.0))
        if against == "n":
            n = float(self.n)
            grid = np.linspace(_N_MIN, max(2.0 * n, 12.0), 300)
            x0, y0 = n, float(self.power)
            xlabel = {"paired": "number of pairs", "one-sample": "sample size"}.get(
                str(p.get("kind")), "sample size per group"
            )
            marker = f"n = {n:g}" if self.target_power is None else f"solution n = {n:g}"
            effect = (
                f"delta = {p['delta']:g}, sd = {p['sd']:g}"
                if "delta" in p
                else f"p1 = {p['p1']:g}, p2 = {p['p2']:g}"
            )
            title = f"{self.method}\n{effect}, alpha = {self.alpha:g}, {self.alternative}"
        else:
            if "delta" in p:
                delta, sd = float(p["delta"]), float(p["sd"])
                grid = np.linspace(0.0, 2.0 * delta, 300) if delta else np.linspace(-sd, sd, 300)
                x0 = delta
                xlabel = f"true difference in means delta (sd = {sd:g})"
                marker = f"delta = {delta:g}"
            else:
                grid = np.linspace(0.001, 0.999, 300)
                x0 = float(p["p2"])
                xlabel = f"true proportion p2 (p1 = {p['p1']:g})"
                marker = f"p2 = {x0:g}"
            y0 = float(fn(x0))
            title = (
                f"{self.method}\nn = {float(self.n):g}, alpha = {self.alpha:g}, {self.alternative}"
            )
        ax.plot(grid, [fn(v) for v in grid], color="C0", label="power")
        if self.target_power is not None:
            ax.axhline(
                self.target_power,
                color="C1",
                ls="--",
                lw=1.0,
                label=f"target power {self.target_power:g}",
            )
        ax.axvline(x0, color="C2", ls=":", lw=1.0, label=f"{marker} (power {y0:.3f})")
        ax.plot([x0], [y0], "o", color="C2")
        ax.set_ylim(0.0, 1.02)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("power")
        ax.set_title(title, fontsize="medium")
        ax.legend(fontsize="small", loc="best")
        return ax


def _check_alpha(alpha: Any) -> float:
    return check_probability(alpha, "alpha")


_POWER_TOL = 1e-10
"""Tolerance on the achieved power when rounding n up (see _solve_n)."""


def _solve_n(power_fn: Callable[[float], float], target: float, what: str) -> tuple[int, float]:
    """Smallest whole n >= 2 with power >= target, and the exact root (at least 2)."""
    if power_fn(_N_MIN) >= target:
        return int(_N_MIN), _N_MIN
    if power_fn(_N_MAX) < target:
        raise ValueError(
            f"power {target:g} cannot be reached with n <= {_N_MAX:.0e} for this {what}; "
            "the effect is too small (or zero)"
        )
    n_exact = float(
        optimize.brentq(lambda n: power_fn(n) - target, _N_MIN, _N_MAX, xtol=1e-10, rtol=1e-14)
    )
    n_int = math.ceil(n_exact - 1e-9)
    # Guard against rounding at the root. Power is compared to within 1e-10 (the tolerance of
    # R pwr's uniroot): noncentral-t libraries differ by ~1e-12, so R's power at n = 30 must
    # solve back to 30 here, not 31.
    while power_fn(n_int) < target - _POWER_TOL:
        n_int += 1
    return n_int, n_exact


# ---------------------------------------------------------------------------------------------
# t-tests


def _t_power(
    n: float, delta: float, sd: float, alpha: float, kind: str, alternative: str, strict: bool
) -> float:
    """Power of the t-test, as R's power.t.test (``n`` per group, or pairs)."""
    tsample = 2.0 if kind == "two-sample" else 1.0
    nu = (n - 1.0) * tsample
    ncp = math.sqrt(n / tsample) * delta / sd
    if alternative == "two-sided":
        ncp = abs(ncp)
        q = float(special.stdtrit(nu, 1.0 - alpha / 2.0))
        upper = 1.0 - nct_cdf(q, nu, ncp)
        if strict:
            return upper + nct_cdf(-q, nu, ncp)
        return upper
    q = float(special.stdtrit(nu, 1.0 - alpha))
    if alternative == "greater":
        return 1.0 - nct_cdf(q, nu, ncp)
    return nct_cdf(-q, nu, ncp)


def _t_method(kind: str) -> str:
    return {
        "two-sample": "Two-sample t test power calculation",
        "one-sample": "One-sample t test power calculation",
        "paired": "Paired t test power calculation",
    }[kind]


def _t_inputs(
    delta: Any, sd: Any, alpha: Any, kind: Any, alternative: Any, strict: Any
) -> tuple[float, float, float, str, str, bool]:
    delta_v = check_finite_scalar(delta, "delta")
    sd_v = check_finite_scalar(sd, "sd")
    if sd_v <= 0:
        raise ValueError(f"`sd` must be positive; got {sd_v:g}")
    return (
        delta_v,
        sd_v,
        _check_alpha(alpha),
        check_choice(kind, "kind", ("two-sample", "one-sample", "paired")),
        check_alternative(alternative),
        check_bool(strict, "strict"),
    )


def power_ttest(
    n: float,
    delta: float,
    *,
    sd: float = 1.0,
    alpha: float = 0.05,
    kind: TTestKind = "two-sample",
    alternative: Alternative = "two-sided",
    strict: bool = False,
) -> PowerResult:
    r"""Power of a one-sample, paired or two-sample t-test (noncentral t), as R's ``power.t.test``.

    Parameters
    ----------
    n : float
        Observations per group (two-sample), pairs (paired) or observations (one-sample);
        at least 2 (non-integer values are allowed, as in R).
    delta : float
        True difference in means (signed; only its size matters for ``'two-sided'``).
    sd : float
        Standard deviation (of the observations, or of the differences for pairs).
    alpha : float
        Significance level.
    kind : {'two-sample', 'one-sample', 'paired'}
        Design (R's ``type``).
    alternative : {'two-sided', 'less', 'greater'}
        ``'greater'`` is R's ``"one.sided"`` (rejecting for large t; power is small when
        ``delta < 0``); ``'less'`` rejects for small t.
    strict : bool
        Two-sided only: also count rejections in the tail opposite to ``delta`` (R's
        ``strict = TRUE``). The default ``False`` counts only the tail in the direction of
        ``delta`` — R's default, which makes the power at ``delta = 0`` equal to α/2.

    Returns
    -------
    PowerResult
        ``power`` at ``n``; ``n_exact == n``.

    Raises
    ------
    ValueError
        ``n < 2``, ``sd <= 0``, ``alpha`` outside (0, 1), unknown ``kind``/``alternative``.
    TypeError
        Non-numeric arguments.

    Notes
    -----
    With :math:`k = 2` for two samples (:math:`k = 1` otherwise),
    :math:`\nu = k(n-1)` and :math:`\lambda = \sqrt{n/k}\,\delta/\sigma`,
    the two-sided power is :math:`P(T_{\nu,|\lambda|} > t_{\nu,1-\alpha/2})` (plus
    :math:`P(T_{\nu,|\lambda|} < -t_{\nu,1-\alpha/2})` when ``strict``), and the one-sided power
    :math:`P(T_{\nu,\lambda} > t_{\nu,1-\alpha})` (``'greater'``), where
    :math:`T_{\nu,\lambda}` is noncentral t (``scipy.special.nctdtr``).

    References
    ----------
    .. [1] R Core Team. ``power.t.test``, package stats.
    .. [2] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.

    Examples
    --------
    R's ``power.t.test(n = 20, delta = 1)``:

    >>> import statcraft as sc
    >>> round(sc.power_ttest(20, 1.0).power, 7)
    0.8689528
    """
    delta_v, sd_v, alpha_v, kind_v, alt, strict_v = _t_inputs(
        delta, sd, alpha, kind, alternative, strict
    )
    n_v = check_finite_scalar(n, "n")
    if n_v < _N_MIN:
        raise ValueError(f"`n` must be at least 2; got {n_v:g}")
    pw = _t_power(n_v, delta_v, sd_v, alpha_v, kind_v, alt, strict_v)
    return PowerResult(
        power=float(pw),
        n=n_v,
        n_exact=n_v,
        alpha=alpha_v,
        alternative=alt,
        method=_t_method(kind_v),
        parameters=FrozenMapping(
            {"delta": delta_v, "sd": sd_v, "kind": kind_v, "strict": strict_v}
        ),
    )


def sample_size_ttest(
    delta: float,
    *,
    power: float = 0.8,
    sd: float = 1.0,
    alpha: float = 0.05,
    kind: TTestKind = "two-sample",
    alternative: Alternative = "two-sided",
    strict: bool = False,
) -> PowerResult:
    r"""Sample size for a t-test to reach a target power, as R's ``power.t.test(n = NULL)``.

    Parameters
    ----------
    delta : float
        True difference in means; must be positive for ``'greater'`` and negative for
        ``'less'``, non-zero for ``'two-sided'``.
    power : float
        Target power, in (0, 1).
    sd, alpha, kind, alternative, strict
        As in :func:`power_ttest`.

    Returns
    -------
    PowerResult
        ``n`` the smallest whole sample size (per group / pairs) with power at least
        ``power``, ``n_exact`` the unrounded root (R prints this one), ``power`` the power
        achieved at ``n``, ``target_power`` the request. ``n`` is at least 2 (when even
        ``n = 2`` reaches the target, ``n_exact`` is reported as 2).

    Raises
    ------
    ValueError
        An effect of the wrong sign or zero, a target power that no ``n <= 1e7`` reaches,
        ``power`` outside (0, 1), and the errors of :func:`power_ttest`.
    TypeError
        Non-numeric arguments.

    Notes
    -----
    Solves :func:`power_ttest` ``(n) = power`` for real ``n`` with Brent's method on
    [2, 1e7] to ~1e-10 (R's ``uniroot`` uses a tolerance of about 1e-4, so R's printed ``n``
    may differ from ``n_exact`` in the fifth significant digit), then rounds up.

    Examples
    --------
    R's ``power.t.test(power = .90, delta = 1)`` gives ``n = 22.02110``:

    >>> import statcraft as sc
    >>> res = sc.sample_size_ttest(1.0, power=0.9)
    >>> res.n, round(res.n_exact, 4)
    (23, 22.0211)
    """
    delta_v, sd_v, alpha_v, kind_v, alt, strict_v = _t_inputs(
        delta, sd, alpha, kind, alternative, strict
    )
    target = check_probability(power, "power")
    if delta_v == 0 or (alt == "greater" and delta_v < 0) or (alt == "less" and delta_v > 0):
        raise ValueError(
            f"no sample size reaches power {target:g} when `delta` is {delta_v:g} with "
            f"alternative={alt!r}; the effect must be non-zero and in the tested direction"
        )

    def fn(n: float) -> float:
        return _t_power(n, delta_v, sd_v, alpha_v, kind_v, alt, strict_v)

    n_int, n_exact = _solve_n(fn, target, "t-test")
    return PowerResult(
        power=float(fn(n_int)),
        n=n_int,
        n_exact=n_exact,
        alpha=alpha_v,
        alternative=alt,
        method=_t_method(kind_v),
        target_power=target,
        parameters=FrozenMapping(
            {"delta": delta_v, "sd": sd_v, "kind": kind_v, "strict": strict_v}
        ),
    )


# ---------------------------------------------------------------------------------------------
# proportions


def _prop_power(
    n: float, p1: float, p2: float, alpha: float, alternative: str, strict: bool
) -> float:
    """Power of the two-sample proportion test, as R's power.prop.test (``n`` per group)."""
    q1, q2 = 1.0 - p1, 1.0 - p2
    pooled = math.sqrt((p1 + p2) * (q1 + q2) / 2.0)
    se = math.sqrt(p1 * q1 + p2 * q2)
    if alternative == "two-sided":
        d = abs(p1 - p2)
        qu = float(special.ndtri(1.0 - alpha / 2.0))
        upper = float(special.ndtr((math.sqrt(n) * d - qu * pooled) / se))
        if strict:
            return upper + float(special.ndtr(-(math.sqrt(n) * d + qu * pooled) / se))
        return upper
    d = p1 - p2 if alternative == "greater" else p2 - p1
    qu = float(special.ndtri(1.0 - alpha))
    return float(special.ndtr((math.sqrt(n) * d - qu * pooled) / se))


def _prop_inputs(
    p1: Any, p2: Any, alpha: Any, alternative: Any, strict: Any
) -> tuple[float, float, float, str, bool]:
    return (
        check_probability(p1, "p1"),
        check_probability(p2, "p2"),
        _check_alpha(alpha),
        check_alternative(alternative),
        check_bool(strict, "strict"),
    )


_PROP_METHOD = "Two-sample comparison of proportions power calculation"


def power_proportions(
    n: float,
    p1: float,
    p2: float,
    *,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    strict: bool = False,
) -> PowerResult:
    r"""Power of the two-sample test of proportions, as R's ``power.prop.test``.

    Parameters
    ----------
    n : float
        Observations per group, at least 2.
    p1, p2 : float
        True proportions in the two groups, in (0, 1).
    alpha : float
        Significance level.
    alternative : {'two-sided', 'less', 'greater'}
        ``'greater'``: H1 ``p1 > p2``; ``'less'``: H1 ``p1 < p2``. (R's ``"one.sided"`` uses
        ``|p1 - p2|``, i.e. ``'greater'`` when ``p1 > p2``.)
    strict : bool
        Two-sided only: include the opposite tail (R's ``strict = TRUE``).

    Returns
    -------
    PowerResult
        ``power`` at ``n``.

    Raises
    ------
    ValueError
        ``n < 2``, proportions or ``alpha`` outside (0, 1).
    TypeError
        Non-numeric arguments.

    Notes
    -----
    The normal approximation used by R (no continuity correction):
    :math:`\text{power} = \Phi\big((\sqrt n\,|p_1-p_2| - z_{1-\alpha/2}\sqrt{2\bar p\bar q})
    / \sqrt{p_1q_1+p_2q_2}\big)` with :math:`\bar p = (p_1+p_2)/2`, :math:`\bar q = 1-\bar p`
    (and :math:`z_{1-\alpha}` one-sided); ``strict`` adds
    :math:`\Phi(-(\sqrt n|p_1-p_2| + z\sqrt{2\bar p\bar q})/\sqrt{p_1q_1+p_2q_2})`.

    References
    ----------
    .. [1] R Core Team. ``power.prop.test``, package stats.
    .. [2] Fleiss, J. L., Levin, B., & Paik, M. C. (2003). *Statistical Methods for Rates and
       Proportions*, 3rd ed., ch. 4.

    Examples
    --------
    R's ``power.prop.test(n = 50, p1 = .50, p2 = .75)``:

    >>> import statcraft as sc
    >>> round(sc.power_proportions(50, 0.5, 0.75).power, 7)
    0.7401659
    """
    p1_v, p2_v, alpha_v, alt, strict_v = _prop_inputs(p1, p2, alpha, alternative, strict)
    n_v = check_finite_scalar(n, "n")
    if n_v < _N_MIN:
        raise ValueError(f"`n` must be at least 2; got {n_v:g}")
    return PowerResult(
        power=_prop_power(n_v, p1_v, p2_v, alpha_v, alt, strict_v),
        n=n_v,
        n_exact=n_v,
        alpha=alpha_v,
        alternative=alt,
        method=_PROP_METHOD,
        parameters=FrozenMapping({"p1": p1_v, "p2": p2_v, "strict": strict_v}),
    )


def sample_size_proportions(
    p1: float,
    p2: float,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    strict: bool = False,
) -> PowerResult:
    r"""Sample size per group for comparing two proportions, as R's ``power.prop.test``.

    Parameters
    ----------
    p1, p2 : float
        True proportions, in (0, 1); different, and ordered as ``alternative`` says.
    power : float
        Target power, in (0, 1).
    alpha, alternative, strict
        As in :func:`power_proportions`.

    Returns
    -------
    PowerResult
        ``n`` per group rounded up, ``n_exact`` the unrounded root (as R prints), ``power``
        achieved at ``n``.

    Raises
    ------
    ValueError
        ``p1 == p2`` or the wrong order for a one-sided ``alternative`` (no ``n`` reaches the
        target), a target no ``n <= 1e7`` reaches, values outside (0, 1).
    TypeError
        Non-numeric arguments.

    Notes
    -----
    Solves :func:`power_proportions` ``(n) = power`` with Brent's method, then rounds up.

    Examples
    --------
    R's ``power.prop.test(p1 = .50, p2 = .75, power = .90)`` gives ``n = 76.7``:

    >>> import statcraft as sc
    >>> res = sc.sample_size_proportions(0.5, 0.75, power=0.9)
    >>> res.n, round(res.n_exact, 1)
    (77, 76.7)
    """
    p1_v, p2_v, alpha_v, alt, strict_v = _prop_inputs(p1, p2, alpha, alternative, strict)
    target = check_probability(power, "power")
    if p1_v == p2_v or (alt == "greater" and p1_v < p2_v) or (alt == "less" and p1_v > p2_v):
        raise ValueError(
            f"no sample size reaches power {target:g} with p1={p1_v:g}, p2={p2_v:g} and "
            f"alternative={alt!r}; the proportions must differ in the tested direction"
        )

    def fn(n: float) -> float:
        return _prop_power(n, p1_v, p2_v, alpha_v, alt, strict_v)

    n_int, n_exact = _solve_n(fn, target, "comparison of proportions")
    return PowerResult(
        power=fn(n_int),
        n=n_int,
        n_exact=n_exact,
        alpha=alpha_v,
        alternative=alt,
        method=_PROP_METHOD,
        target_power=target,
        parameters=FrozenMapping({"p1": p1_v, "p2": p2_v, "strict": strict_v}),
    )


# ---------------------------------------------------------------------------------------------
# simulation


def simulate_power(
    test: Callable[..., TestResult],
    generate: Callable[[int, np.random.Generator], Any],
    n: int,
    *,
    n_simulations: int = 1000,
    alpha: float = 0.05,
    confidence_level: float = 0.95,
    interval: Literal["wilson", "clopper_pearson"] = "wilson",
    rng: Any = None,
    progress: bool | None = None,
) -> Estimate:
    r"""Estimate the power of any test by simulating data sets and counting rejections.

    Parameters
    ----------
    test : callable
        A test returning a :class:`~statcraft.results.TestResult` (or anything with a
        ``pvalue``), e.g. ``sc.ttest`` or ``functools.partial(sc.mann_whitney, ...)``.
    generate : callable
        ``generate(n, rng)`` draws one data set of size ``n`` with the generator ``rng`` and
        returns the test's arguments: a tuple (passed as ``test(*args)``), a dict
        (``test(**kwargs)``), or a single object (``test(obj)``).
    n : int
        Sample size passed to ``generate``.
    n_simulations : int
        Number of simulated data sets.
    alpha : float
        Significance level: a data set counts as a rejection when ``pvalue <= alpha``.
    confidence_level : float
        Coverage of the interval for the power.
    interval : {'wilson', 'clopper_pearson'}
        Binomial interval for the rejection rate (see :func:`statcraft.proportion`).
    rng : None, int, SeedSequence or Generator
        Randomness; the same seed gives the same answer.
    progress : None, bool
        A progress bar over the simulations (advancing by chunks of about 1%), on standard
        error: None (default) shows it only when the run takes more than a second and someone
        is watching (a terminal or a notebook; never under pytest or when the output is
        piped), True always, False never.

    Returns
    -------
    Estimate
        ``estimate`` the rejection rate, its binomial standard error and interval; ``n`` the
        number of simulations; ``details`` the number of rejections, the sample size and
        ``alpha``.

    Raises
    ------
    TypeError
        ``test`` or ``generate`` not callable, ``test`` returning something without a
        ``pvalue``, or ``progress`` not None, True or False.
    ValueError
        ``n_simulations < 1``, ``alpha`` outside (0, 1), a NaN p-value from ``test``.

    Notes
    -----
    Simulation ``i`` draws from a child generator spawned from ``rng``
    (:func:`numpy.random.SeedSequence.spawn`), so each data set depends only on the seed and
    ``i``. The rejection count is binomial(``n_simulations``, power); its interval is the
    Wilson score (default) or Clopper–Pearson interval. The Monte Carlo SE is at most
    :math:`0.5/\sqrt{\text{n\_simulations}}`.

    Examples
    --------
    >>> import statcraft as sc
    >>> def generate(n, rng):
    ...     return rng.normal(0.0, 1.0, n), rng.normal(1.0, 1.0, n)
    >>> est = sc.simulate_power(sc.ttest, generate, 20, n_simulations=200, rng=1)
    >>> 0.75 < est.estimate < 0.95  # analytic power 0.869 (power.t.test(n = 20, delta = 1))
    True
    """
    if not callable(test):
        raise TypeError(f"`test` must be callable; got {type(test).__name__}")
    if not callable(generate):
        raise TypeError(f"`generate` must be callable; got {type(generate).__name__}")
    n_v = check_int(n, "n", min_value=1)
    n_sim = check_int(n_simulations, "n_simulations", min_value=1)
    alpha_v = _check_alpha(alpha)
    interval_v = check_choice(interval, "interval", ("wilson", "clopper_pearson"))
    progress = check_progress(progress)
    children = spawn_seeds(as_generator(rng), n_sim)
    rejections = 0
    chunk = max(1, n_sim // 100)
    with Progress(n_sim, f"simulating power ({n_sim} data sets)", progress) as bar:
        for i, seed in enumerate(children):
            args = generate(n_v, np.random.default_rng(seed))
            if isinstance(args, tuple):
                result = test(*args)
            elif isinstance(args, Mapping):
                result = test(**args)
            else:
                result = test(args)
            try:
                p = float(result.pvalue)
            except AttributeError:
                raise TypeError(
                    "`test` must return a TestResult (with a `pvalue`); got "
                    f"{type(result).__name__}"
                ) from None
            if math.isnan(p):
                raise ValueError(f"`test` returned a NaN p-value in simulation {i}")
            rejections += p <= alpha_v
            if (i + 1) % chunk == 0 or i + 1 == n_sim:
                bar.advance((i + 1) - bar.completed)
    est = proportion(
        rejections,
        n_sim,
        method=interval_v,  # type: ignore[arg-type]
        confidence_level=confidence_level,
    )
    return Estimate(
        estimate=est.estimate,
        std_error=est.std_error,
        confidence_interval=est.confidence_interval,
        confidence_level=est.confidence_level,
        method=f"simulated power ({est.method})",
        n=n_sim,
        details=FrozenMapping({"rejections": rejections, "sample_size": n_v, "alpha": alpha_v}),
    )
