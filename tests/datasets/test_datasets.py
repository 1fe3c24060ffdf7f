import numpy as np
import pandas as pd
import pytest

import statcraft.datasets as ds

# Published totals quoted next to each expectation come from shared/data/PROVENANCE.md and the
# original sources named in each loader's docstring.


def test_list_datasets_covers_every_loader():
    table = ds.list_datasets()
    assert set(table["loader"]) == {n for n in ds.__all__ if n.startswith("load_")}
    assert (table["rows"] > 0).all()


@pytest.mark.parametrize(
    ("loader", "shape"),
    [
        (ds.load_wti, (8321, 1)),
        (ds.load_fama_french_3factors, (1109, 4)),
        (ds.load_fama_french_industries, (819, 35)),
        (ds.load_surgical, (12, 3)),
        (ds.load_beta_blocker, (22, 5)),
        (ds.load_bcg, (13, 7)),
        (ds.load_lung, (228, 10)),
        (ds.load_streptomycin, (107, 13)),
        (ds.load_breast_cancer, (569, 31)),
        (ds.load_diabetes, (442, 11)),
    ],
)
def test_shapes_and_fresh_frames(loader, shape):
    a = loader()
    assert a.shape == shape
    a.iloc[0, 0] = None
    assert loader().iloc[0, 0] is not None  # each call returns a new frame


def test_published_totals():
    s = ds.load_surgical()
    assert (s["deaths"].sum(), s["n_operations"].sum()) == (208, 2814)  # BUGS "Surgical"
    b = ds.load_beta_blocker()
    assert (b["control_deaths"].sum(), b["control_total"].sum()) == (985, 9849)  # Carlin 1992
    assert (b["treated_deaths"].sum(), b["treated_total"].sum()) == (826, 10441)
    lung = ds.load_lung()
    assert lung["status"].sum() == 165  # R survival::lung: 165 deaths of 228
    assert lung["ph_ecog"].isna().sum() == 1


def test_dates_and_units():
    ff = ds.load_fama_french_3factors()
    assert ff.index[0] == pd.Timestamp("1926-07-01")
    assert ff["mkt_rf"].abs().max() > 1  # percent
    ind = ds.load_fama_french_industries()
    assert ind["mkt_rf"].abs().max() < 1  # decimals
    bcg = ds.load_bcg()
    assert (bcg["vaccinated_cases"] <= bcg["vaccinated_total"]).all()


# The CSV files as shipped (arch.data.wti, arch.data.frenchdata, linearmodels.datasets.french):
# first and last dates, and the values on them, read off the raw files.
TIME_SERIES = [
    (ds.load_wti, None, ("1986-01-02", "2019-01-03"), ("price", 25.56)),
    (ds.load_fama_french_3factors, "MS", ("1926-07-01", "2018-11-01"), ("mkt_rf", 2.96)),
    (ds.load_fama_french_industries, "MS", ("1949-01-01", "2017-03-01"), ("mkt_rf", 0.0023)),
]


@pytest.mark.parametrize(("loader", "freq", "span", "first"), TIME_SERIES)
def test_time_series_are_indexed_by_date(loader, freq, span, first):
    df = loader()
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "date" and "date" not in df.columns
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert df.index.freqstr == freq
    assert (str(df.index[0].date()), str(df.index[-1].date())) == span
    column, value = first
    assert df[column].iloc[0] == value
    pd.testing.assert_index_equal(df[column].index, df.index)  # a column is a dated Series
    assert not df.isna().any().any()


def test_monthly_dates_are_first_of_month_and_complete():
    # every calendar month between the first and last, each on its first day (as documented)
    for ff in (ds.load_fama_french_3factors(), ds.load_fama_french_industries()):
        assert (ff.index.day == 1).all()
        expected = pd.date_range(ff.index[0], ff.index[-1], freq="MS", name="date")
        pd.testing.assert_index_equal(ff.index, expected)


def test_dated_values_are_those_of_the_files():
    # moving the date into the index changes no value: the raw CSV read without the loader
    from importlib import resources

    folder = resources.files("statcraft.datasets").joinpath("data")
    with folder.joinpath("wti_daily_1986_2019.csv").open() as fh:
        raw = pd.read_csv(fh)
    wti = ds.load_wti()
    np.testing.assert_array_equal(wti["price"].to_numpy(), raw["wti_usd"].to_numpy())
    np.testing.assert_array_equal(wti.index.strftime("%Y-%m-%d"), raw["date"].to_numpy())
    with folder.joinpath("fama_french_3_factors_monthly_1926_2018.csv").open() as fh:
        raw = pd.read_csv(fh)
    ff = ds.load_fama_french_3factors()
    np.testing.assert_array_equal(ff.index.strftime("%Y%m").astype(int), raw["Date"].to_numpy())
    np.testing.assert_array_equal(ff.to_numpy(), raw[["Mkt-RF", "SMB", "HML", "RF"]].to_numpy())
    with folder.joinpath("fama_french_factors_industries_monthly_1949_2017.csv").open() as fh:
        raw = pd.read_csv(fh)
    ind = ds.load_fama_french_industries()
    np.testing.assert_array_equal(ind.index.strftime("%Y-%m-%d"), raw["dates"].to_numpy())
    np.testing.assert_array_equal(ind.to_numpy(), raw.drop(columns="dates").to_numpy())
    # reset_index gives the date column back, first
    assert list(ind.reset_index().columns[:2]) == ["date", "mkt_rf"]


def test_dated_selection_by_label():
    ff = ds.load_fama_french_industries()
    assert ff.loc["2008"].shape == (12, 35)
    assert ff.loc["2008-10-01", "mkt_rf"] == ff["mkt_rf"].iloc[ff.index.get_loc("2008-10-01")]
    assert ds.load_wti().loc["1986-01-02", "price"] == 25.56
