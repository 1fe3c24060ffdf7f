"""BootstrapResult.plot: the replicate distribution with the estimate and the interval (Agg)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from statcraft.resampling import DegenerateDataWarning, bootstrap

X = np.random.default_rng(5).lognormal(size=80)


def mean_axis(x, axis=-1):
    return np.mean(x, axis=axis)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _vlines(ax):
    return [line.get_xdata()[0] for line in ax.get_lines()]


def test_scalar_plot_content():
    res = bootstrap((X,), mean_axis, n_resamples=2000, rng=1)
    ax = res.plot(bins=30)
    assert ax.get_title() == "Bootstrap distribution (iid, B=2000)"
    assert ax.get_xlabel() == "statistic (bootstrap replicates)"
    assert ax.get_ylabel() == "density"
    assert len(ax.patches) == 30  # the histogram's bars
    heights = np.array([p.get_height() for p in ax.patches])
    widths = np.array([p.get_width() for p in ax.patches])
    assert np.sum(heights * widths) == pytest.approx(1.0)  # a density
    assert len(ax.get_lines()) == 3  # estimate and both interval ends
    np.testing.assert_allclose(_vlines(ax), [res.estimate, *res.confidence_interval])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == 3  # the two interval lines share one entry
    assert f"estimate {res.estimate:.4g}" in legend
    assert "2000 replicates" in legend
    lo, hi = res.confidence_interval
    assert f"95% CI (bca) [{lo:.4g}, {hi:.4g}]" in legend


def test_draws_on_given_axes_and_block_scheme_in_title():
    res = bootstrap((X,), np.mean, n_resamples=500, rng=2, scheme="circular", block_length=4,
                    method="percentile")  # fmt: skip
    _, (a1, a2) = plt.subplots(1, 2)
    assert res.plot(ax=a2) is a2
    assert not a1.has_data()
    assert "circular, block length 4" in a2.get_title()
    assert a2.get_legend() is not None


def test_one_sided_interval_draws_its_finite_end_only():
    res = bootstrap((X,), mean_axis, n_resamples=500, rng=3, alternative="greater",
                    method="percentile")  # fmt: skip
    assert np.isinf(res.confidence_interval.high)
    ax = res.plot()
    assert len(ax.get_lines()) == 2
    np.testing.assert_allclose(_vlines(ax), [res.estimate, res.confidence_interval.low])


def test_vector_and_matrix_statistics_need_a_component():
    z = np.random.default_rng(6).standard_normal((60, 3))
    res = bootstrap((z,), mean_axis, n_resamples=400, rng=4, method="percentile")
    with pytest.raises(ValueError, match=r"shape \(3,\); pass `component`"):
        res.plot()
    ax = res.plot(component=2)
    assert ax.get_title().startswith("Bootstrap distribution [2]")
    np.testing.assert_allclose(
        _vlines(ax),
        [res.estimate[2], res.confidence_interval.low[2], res.confidence_interval.high[2]],
    )
    heights = np.array([p.get_height() for p in ax.patches])
    edges = [p.get_x() for p in ax.patches]
    counts, _ = np.histogram(
        res.distribution[2], bins=[*edges, edges[-1] + ax.patches[-1].get_width()]
    )
    assert np.argmax(heights) == np.argmax(counts)  # the histogram is of component 2
    with pytest.raises(ValueError, match="not an index"):
        res.plot(component=5)

    df = pd.DataFrame(z, columns=["a", "b", "c"])
    with pytest.warns(DegenerateDataWarning):  # the diagonal of a correlation is constant
        corr = bootstrap(df, lambda d: d.corr(), n_resamples=200, rng=5, method="percentile")
    with pytest.raises(ValueError, match=r"e\.g\. component=\(0, 0\)"):
        corr.plot()
    with pytest.raises(ValueError, match="must select one component"):
        corr.plot(component=1)
    ax = corr.plot(component=(0, 1))
    assert ax.get_xlabel() == "statistic [0, 1] (bootstrap replicates)"


def test_scalar_refuses_a_component():
    res = bootstrap((X,), np.mean, n_resamples=200, rng=1)
    with pytest.raises(ValueError, match="applies to vector statistics"):
        res.plot(component=0)


def test_many_replicates_cap_the_automatic_bins():
    res = bootstrap((X,), np.mean, n_resamples=200_000, rng=1, method="percentile")
    ax = res.plot()
    assert 10 <= len(ax.patches) <= 100
