"""The promises of docs/guide/conventions.md hold: where the statistic differs from scipy's."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import statcraft as sc

X = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.5])
Y = np.array([2.0, 1.0, 4.0, 3.0, 7.0, 8.0, 6.0, 9.0])


def test_correlations_give_rs_statistic_and_scipys_as_estimate() -> None:
    n = X.size
    pearson = sc.correlation(X, Y)
    r = stats.pearsonr(X, Y).statistic
    assert pearson.estimate.estimate == pytest.approx(r)
    assert pearson.statistic == pytest.approx(r * np.sqrt((n - 2) / (1 - r**2)))
    assert pearson.pvalue == pytest.approx(stats.pearsonr(X, Y).pvalue)
    spearman = sc.correlation(X, Y, method="spearman")
    rho = stats.spearmanr(X, Y).statistic
    assert spearman.estimate.estimate == pytest.approx(rho)
    assert spearman.statistic == pytest.approx((n**3 - n) * (1 - rho) / 6)
    kendall = sc.correlation(X, Y, method="kendall")
    tau = stats.kendalltau(X, Y).statistic
    assert kendall.estimate.estimate == pytest.approx(tau)
    assert kendall.statistic == pytest.approx((tau + 1) * n * (n - 1) / 4)  # T, concordant pairs


def test_fisher_binomial_and_wilcoxon_statistics() -> None:
    table = [[8, 2], [1, 5]]
    fisher = sc.fisher_exact(table)
    assert fisher.details["sample_odds_ratio"] == pytest.approx(stats.fisher_exact(table)[0])
    assert fisher.statistic == pytest.approx(fisher.estimate.estimate)  # conditional MLE
    binom = sc.binomial_test(7, 10)
    assert binom.statistic == 7
    assert binom.estimate.estimate == pytest.approx(stats.binomtest(7, 10).statistic)
    d = np.array([1.2, -0.5, 2.2, 0.3, -1.1, 0.9, 1.7])
    wilcoxon = sc.wilcoxon_signed_rank(d)
    n = d.size
    assert wilcoxon.statistic == pytest.approx(stats.wilcoxon(d, alternative="greater").statistic)
    assert min(wilcoxon.statistic, n * (n + 1) / 2 - wilcoxon.statistic) == pytest.approx(
        stats.wilcoxon(d).statistic
    )
