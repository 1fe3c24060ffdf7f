"""BinomialRates: BUGS "Surgical" and exact quadrature references, recovery, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from statcraft.bayes import BayesianModel, Prior
from statcraft.bayes import diagnostics as dx
from statcraft.bayes.templates.rates import BinomialRates
from statcraft.datasets import load_surgical

FIT = {"chains": 2, "draws": 1000, "tune": 1000, "cores": 1, "progressbar": False}

# OpenBUGS output of the Surgical random-effects example (BUGS Examples Vol. 1; vague priors
# mu ~ N(0, 1e6), tau ~ Gamma(0.001, 0.001)), as quoted with the model in the bumps project's
# BUGS example suite (bumps/bumps, "Surgical: Institutional ranking - random effects"):
# posterior means of p[1..12], pop.mean and sigma.
BUGS_RATES = {
    "A": 0.0528,
    "B": 0.103,
    "C": 0.07071,
    "D": 0.05925,
    "E": 0.05147,
    "F": 0.06915,
    "G": 0.06683,
    "H": 0.1237,
    "I": 0.06967,
    "J": 0.07849,
    "K": 0.1022,
    "L": 0.06865,
}
BUGS_POP_MEAN, BUGS_SIGMA = 0.07258, 0.4077


def make_model(**kw) -> BinomialRates:
    return BinomialRates(successes="deaths", trials="n_operations", unit="hospital", **kw)


@pytest.fixture(scope="module")
def surgical():
    data = load_surgical()
    original = data.copy()
    model = make_model()
    model.fit(data, rng=1, **FIT)
    pd.testing.assert_frame_equal(data, original)  # the caller's data is untouched
    return model, data


def quadrature_posterior(r: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray | float]:
    """Posterior means under the template's default priors by deterministic integration.

    p(mu, sigma | r) ∝ N(mu; 0, 1.5) HalfN(sigma; 1) Π_j ∫ Bin(r_j | n_j, expit(mu + sigma z))
    φ(z) dz on a (mu, sigma) grid, the inner integrals by 60-node Gauss–Hermite; E[p_j] and
    E[sigma] follow by the same sums. Independent of PyMC and of MCMC.
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / weights.sum()
    mu = np.linspace(-4.0, -1.0, 241)
    sigma = np.linspace(1e-3, 2.0, 240)
    M, S = np.meshgrid(mu, sigma, indexing="ij")
    theta = M[..., None] + S[..., None] * nodes  # (mu, sigma, node)
    log_p = special.log_expit(theta)
    log_q = special.log_expit(-theta)
    log_prior = stats.norm.logpdf(M, 0, 1.5) + stats.halfnorm.logpdf(S, scale=1.0)
    log_like = np.zeros_like(M)
    rate_num = []
    for rj, nj in zip(r, n, strict=True):
        lik = np.exp(rj * log_p + (nj - rj) * log_q)  # binomial kernel at each node
        marg = lik @ weights
        log_like += np.log(marg)
        rate_num.append(((lik * special.expit(theta)) @ weights) / marg)  # E[p_j | mu, sigma]
    log_post = log_prior + log_like
    w = np.exp(log_post - log_post.max())
    w /= w.sum()
    return {
        "rate": np.array([(w * e).sum() for e in rate_num]),
        "population_rate": float((w * special.expit(M)).sum()),
        "sigma": float((w * S).sum()),
    }


# ----------------------------------------------------------------- references
def test_gate_passes_on_surgical(surgical):
    model, _ = surgical
    assert model.convergence.passed, model.convergence


def test_matches_exact_quadrature_with_the_same_priors(surgical):
    # Same model and priors, integrated numerically: the only difference is Monte Carlo
    # error (posterior sd of a rate ~0.01-0.02, ESS > 1000: MCSE < 0.001).
    model, data = surgical
    ref = quadrature_posterior(data["deaths"].to_numpy(), data["n_operations"].to_numpy())
    table = model.rates()
    np.testing.assert_allclose(table["mean"].to_numpy(), ref["rate"], atol=0.003)
    draws = model._draws()
    assert draws["population_rate"].mean() == pytest.approx(ref["population_rate"], abs=0.003)
    assert draws["sigma"].mean() == pytest.approx(ref["sigma"], abs=0.03)
    print("quadrature", np.round(ref["rate"], 4), ref["population_rate"], ref["sigma"])


def test_close_to_published_bugs_surgical_results(surgical):
    # BUGS used vague priors (see BUGS_RATES); ours are weakly informative, so the agreement
    # is within a fraction of a posterior sd (rates: sd 0.008-0.023), not to Monte Carlo error.
    model, _ = surgical
    table = model.rates()
    ours = table["mean"]
    print(pd.DataFrame({"statcraft": ours, "BUGS": pd.Series(BUGS_RATES)}).round(4))
    for unit, value in BUGS_RATES.items():
        assert ours[unit] == pytest.approx(value, abs=0.006), unit
    draws = model._draws()
    assert draws["population_rate"].mean() == pytest.approx(BUGS_POP_MEAN, abs=0.005)
    assert draws["sigma"].mean() == pytest.approx(BUGS_SIGMA, abs=0.06)


def test_shrinkage_of_small_units(surgical):
    model, _ = surgical
    table = model.rates()
    pop = model._draws()["population_rate"].mean()
    # A: 0/47 observed, posterior well above 0; H: 31/215 pulled down toward the population
    assert table.loc["A", "observed_rate"] == 0.0
    assert table.loc["A", "mean"] > 0.03
    assert pop < table.loc["H", "mean"] < table.loc["H", "observed_rate"]
    assert (table["hdi_low"] < table["mean"]).all()
    assert (table["mean"] < table["hdi_high"]).all()
    assert list(table.columns) == [
        "successes",
        "trials",
        "observed_rate",
        "mean",
        "sd",
        "hdi_low",
        "hdi_high",
    ]


def test_ranks_table(surgical):
    model, _ = surgical
    ranks = model.ranks(hdi_prob=0.9)
    assert ranks.index.name == "hospital"
    assert ranks["mean_rank"].sum() == pytest.approx(12 * 13 / 2)  # ranks 1..12 each draw
    assert ranks["mean_rank"].idxmax() == "H"  # the highest mortality, as in BUGS
    assert ranks["p_top_quarter"].sum() == pytest.approx(3.0)  # 3 of 12 units each draw
    assert ranks["p_bottom_quarter"].sum() == pytest.approx(3.0)
    assert (ranks["rank_low"] <= ranks["median_rank"]).all()
    assert (ranks["median_rank"] <= ranks["rank_high"]).all()
    assert ranks.loc["H", "p_top_quarter"] > 0.9
    # A (0 deaths, few operations): likely among the best but with a wide interval
    assert ranks.loc["A", "rank_high"] - ranks.loc["A", "rank_low"] >= 5


# ----------------------------------------------------------------- prediction
def test_predict_seen_and_unseen_units(surgical):
    model, _ = surgical
    draws = model._draws()
    new = pd.DataFrame({"hospital": ["A", "H", "new", "new"], "n_operations": [100, 100, 100, 50]})
    mean = model.predict(new)
    assert mean.shape == (4,)
    assert mean[0] == pytest.approx(100 * draws["rate"][:, 0].mean())
    # a new unit: expectation over its effect, between the typical and the mean rate
    z = np.random.default_rng(0).standard_normal((draws["mu"].size, 4000))
    mc = special.expit(draws["mu"][:, None] + draws["sigma"][:, None] * z).mean()
    assert mean[2] == pytest.approx(100 * mc, rel=0.01)
    sims = model.predict(new, kind="draws")
    assert sims.shape == (2000, 4)
    assert (sims >= 0).all()
    assert (sims <= new["n_operations"].to_numpy()).all()
    np.testing.assert_array_equal(sims, np.round(sims))
    interval = model.predict(new, kind="interval")
    assert (interval["hdi_low"] <= interval["mean"]).all()
    assert model.predict_distribution(new).shape == (2000, 4)


def test_save_load_identical_predictions(surgical, tmp_path):
    model, _ = surgical
    path = model.save(tmp_path / "rates.nc")
    loaded = BayesianModel.load(path)
    assert isinstance(loaded, BinomialRates)
    new = pd.DataFrame({"hospital": ["B", "zz"], "n_operations": [10, 20]})
    np.testing.assert_array_equal(loaded.predict(new), model.predict(new))
    np.testing.assert_array_equal(
        loaded.predict(new, kind="draws"), model.predict(new, kind="draws")
    )
    pd.testing.assert_frame_equal(loaded.rates(), model.rates())
    pd.testing.assert_frame_equal(loaded.ranks(), model.ranks())


def test_model_coords_and_replace_outcome(surgical):
    model, data = surgical
    pm_model = model.build(data)
    assert list(pm_model.coords["unit"]) == list("ABCDEFGHIJKL")
    assert model.observed_variable in pm_model.named_vars
    sim = np.arange(12.0)
    out = model._replace_outcome(data, sim)
    assert out["deaths"].tolist() == list(range(12))
    assert out["deaths"].dtype.kind == "i"
    assert data["deaths"].iloc[1] == 18  # the original is not modified


# ----------------------------------------------------------------- recovery
def simulate(seed: int, n_units: int = 30) -> tuple[pd.DataFrame, float, float]:
    rng = np.random.default_rng(seed)
    mu, sigma = -1.5, 0.6
    n = rng.integers(20, 300, size=n_units)
    p = special.expit(mu + sigma * rng.standard_normal(n_units))
    df = pd.DataFrame({"unit": [f"u{j}" for j in range(n_units)], "n": n, "r": rng.binomial(n, p)})
    return df, mu, sigma


def covered(model: BinomialRates, mu: float, sigma: float) -> list[bool]:
    draws = model._draws()
    out = []
    for name, value in (("mu", mu), ("sigma", sigma)):
        low, high = dx.hdi(draws[name][:, None], 0.9)
        out.append(bool(low[0] < value < high[0]))
    return out


def test_recovery_fixed_seed():
    df, mu, sigma = simulate(1)
    model = BinomialRates(successes="r", trials="n", unit="unit")
    model.fit(df, rng=1, **FIT)
    assert model.convergence.passed, model.convergence
    assert all(covered(model, mu, sigma))


@pytest.mark.slow
def test_coverage_across_seeds():
    hits, total, failed = 0, 0, 0
    for seed in range(20):
        df, mu, sigma = simulate(100 + seed)
        model = BinomialRates(successes="r", trials="n", unit="unit")
        # the template's default 4 chains: with 2, r_hat of mu/sigma lands at 1.011-1.016 by
        # chance in about 3 of 20 fits (seen), which is the gate being strict, not a bias;
        # with 4 chains 3 of 20 were still seen once (2026-12-07), so up to 3 are allowed
        model.fit(df, rng=seed, **dict(FIT, chains=4))
        failed += not model.convergence.passed
        c = covered(model, mu, sigma)
        hits += sum(c)
        total += len(c)
    print(f"BinomialRates 90% HDI coverage: {hits}/{total} = {hits / total:.3f}; failed {failed}")
    assert 0.75 <= hits / total <= 0.99
    assert failed <= 3


# ----------------------------------------------------------------- bad input
@pytest.fixture
def data():
    return load_surgical()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"deaths": [50] + [0] * 11}, r"'deaths' \(successes\) exceeds column 'n_operations'.*'A'"),
        ({"deaths": [-1] + [0] * 11}, r"'deaths' \(successes\) must be non-negative"),
        ({"deaths": [0.5] + [0] * 11}, r"'deaths' \(successes\) must hold whole numbers"),
        ({"n_operations": [0] + [10] * 11}, r"'n_operations' \(trials\) must be positive"),
        ({"n_operations": [10.5] + [10] * 11}, r"'n_operations' \(trials\) must hold whole"),
        ({"hospital": list("AABCDEFGHIJK")}, r"'hospital' \(unit\) repeats label\(s\) A"),
        ({"deaths": [np.nan] + [0] * 11}, r"'deaths' \(successes\) has 1 missing"),
    ],
)
def test_bad_data(data, change, match):
    bad = data.assign(**change)
    with pytest.raises(ValueError, match=match):
        make_model().fit(bad, **FIT)


def test_bad_columns_and_options(data):
    with pytest.raises(ValueError, match=r"'deaths' \(successes\) is not in the data"):
        make_model().build(data.drop(columns="deaths"))
    with pytest.raises(TypeError, match=r"'n_operations' \(trials\) must be numeric"):
        make_model().build(data.assign(n_operations="many"))
    with pytest.raises(ValueError, match="three different columns"):
        BinomialRates(successes="deaths", trials="deaths", unit="hospital")
    with pytest.raises(ValueError, match="no parameter 'tau'"):
        make_model(priors={"tau": Prior("HalfNormal", sigma=1)})
    with pytest.raises(ValueError, match=r"priors\['sigma'\]"):
        make_model(priors={"sigma": Prior("Normal", sigma=1)})
    with pytest.raises(ValueError, match="at least 2 units"):
        make_model().build(data.iloc[:1])


def test_predict_needs_trials(surgical):
    model, _ = surgical
    with pytest.raises(ValueError, match=r"'n_operations' \(trials\) is not in the data"):
        model.predict(pd.DataFrame({"hospital": ["A"]}))
    with pytest.raises(RuntimeError, match="fit"):
        make_model().rates()


# ----------------------------------------------------------------- pooling choices
def _one_rate_posterior_mean(r: float, n: float) -> float:
    """E[p | r] with logit p ~ N(0, 1.5) and r ~ Bin(n, p), by quadrature on the logit scale."""
    theta = np.linspace(-12.0, 6.0, 20001)
    log_post = (
        stats.norm.logpdf(theta, 0, 1.5)
        + r * special.log_expit(theta)
        + (n - r) * special.log_expit(-theta)
    )
    w = np.exp(log_post - log_post.max())
    return float((w * special.expit(theta)).sum() / w.sum())


def test_complete_and_no_pooling_match_one_dimensional_quadrature(surgical):
    # Complete pooling: one rate for all, so the totals (208 deaths in 2814 operations) carry
    # all the information; no pooling: each hospital alone. Both are one-dimensional integrals
    # under the same N(0, 1.5) logit prior -- independent of PyMC.
    _, data = surgical
    r, n = data["deaths"].to_numpy(float), data["n_operations"].to_numpy(float)
    complete = make_model(pooling="complete")
    complete.fit(data, rng=2, **FIT)
    assert complete.convergence.passed
    rates = complete.rates()["mean"].to_numpy()
    assert np.ptp(rates) == 0.0  # one rate shared by every hospital
    assert rates[0] == pytest.approx(_one_rate_posterior_mean(r.sum(), n.sum()), abs=0.001)
    alone = make_model(pooling="none")
    alone.fit(data, rng=3, **dict(FIT, chains=4))  # 12 separate rates: 4 chains for r_hat
    assert alone.convergence.passed
    expected = [_one_rate_posterior_mean(rj, nj) for rj, nj in zip(r, n, strict=True)]
    np.testing.assert_allclose(alone.rates()["mean"].to_numpy(), expected, atol=0.003)
    assert "sigma" not in alone.idata.posterior and "sigma" not in complete.idata.posterior
    # a new hospital: complete pooling predicts the common rate, no pooling cannot predict it
    new = pd.DataFrame({"hospital": ["new"], "n_operations": [100], "deaths": [0]})
    assert complete.predict(new)[0] == pytest.approx(100 * rates[0], rel=1e-9)
    with pytest.raises(ValueError, match="pooling='none'"):
        alone.predict(new)


def test_pooling_choice_is_checked():
    with pytest.raises(ValueError, match="pooling"):
        make_model(pooling="some")
