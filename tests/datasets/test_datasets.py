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
        (ds.load_wti, (8321, 2)),
        (ds.load_fama_french_3factors, (1109, 5)),
        (ds.load_fama_french_industries, (819, 36)),
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
    assert pd.api.types.is_datetime64_any_dtype(ff["date"])
    assert ff["date"].iloc[0] == pd.Timestamp("1926-07-01")
    assert ff["mkt_rf"].abs().max() > 1  # percent
    ind = ds.load_fama_french_industries()
    assert ind["mkt_rf"].abs().max() < 1  # decimals
    wti = ds.load_wti()
    assert wti["date"].is_monotonic_increasing
    bcg = ds.load_bcg()
    assert (bcg["vaccinated_cases"] <= bcg["vaccinated_total"]).all()
