"""Loaders for the real data sets shipped with statcraft.

Each ``load_<name>()`` reads a CSV file shipped inside the package (with
:mod:`importlib.resources`; nothing is downloaded or written) and returns a new, tidy
:class:`pandas.DataFrame`: snake_case column names, parsed dates, integer counts. The values
are exactly those of the published sources; only names and types are tidied. Provenance and
licence are in each docstring and in ``DATASETS.md``.

The time series (:func:`load_wti`, :func:`load_fama_french_3factors`,
:func:`load_fama_french_industries`) are indexed by their dates: a
:class:`pandas.DatetimeIndex` named ``date``, sorted and unique, so a column is a dated
Series ready for :mod:`statcraft.finance` (whose functions keep the index) and aligns with
other dated series. ``df.reset_index()`` gives the ``date`` column back.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

__all__ = [
    "list_datasets",
    "load_bcg",
    "load_beta_blocker",
    "load_breast_cancer",
    "load_diabetes",
    "load_fama_french_3factors",
    "load_fama_french_industries",
    "load_lung",
    "load_streptomycin",
    "load_surgical",
    "load_wti",
]


@dataclass(frozen=True)
class _Info:
    loader: str
    filename: str
    description: str
    source: str
    licence: str


_REGISTRY: dict[str, _Info] = {
    "wti": _Info(
        "load_wti",
        "wti_daily_1986_2019.csv",
        "WTI crude oil spot price, USD per barrel, daily 1986-2019 (holidays dropped)",
        "U.S. Energy Information Administration, FRED series DCOILWTICO (as shipped in arch)",
        "U.S. government work, public domain; cite EIA",
    ),
    "fama_french_3factors": _Info(
        "load_fama_french_3factors",
        "fama_french_3_factors_monthly_1926_2018.csv",
        "Fama-French 3 factors and risk-free rate, monthly 1926-07 to 2018-11, in percent",
        "Kenneth R. French Data Library (as shipped in arch)",
        "Source: Kenneth R. French Data Library; redistributed with attribution",
    ),
    "fama_french_industries": _Info(
        "load_fama_french_industries",
        "fama_french_factors_industries_monthly_1949_2017.csv",
        "Factors (incl. momentum), 12 industry and 18 size/value, size/momentum portfolios, "
        "monthly 1949-2017, decimal returns",
        "Kenneth R. French Data Library (as shipped in linearmodels)",
        "Source: Kenneth R. French Data Library; redistributed with attribution",
    ),
    "surgical": _Info(
        "load_surgical",
        "surgical_mortality_12_hospitals.csv",
        "Infant cardiac surgery: operations and deaths in 12 hospitals",
        "Spiegelhalter et al., BUGS Examples Vol. 1 'Surgical'",
        "published counts",
    ),
    "beta_blocker": _Info(
        "load_beta_blocker",
        "beta_blocker_22_trials.csv",
        "Deaths in control and beta-blocker arms of 22 trials after myocardial infarction",
        "Yusuf et al. (1985); Carlin (1992); BUGS Examples 'Blocker'",
        "published counts",
    ),
    "bcg": _Info(
        "load_bcg",
        "bcg_vaccine_13_trials.csv",
        "Tuberculosis cases in BCG-vaccinated and unvaccinated arms of 13 trials",
        "Colditz et al. (1994), JAMA 271:698-702",
        "published counts",
    ),
    "lung": _Info(
        "load_lung",
        "ncctg_lung_cancer_survival.csv",
        "Survival in advanced lung cancer (NCCTG), 228 patients, right-censored",
        "Loprinzi et al. (1994), J Clin Oncol 12:601-607; R package survival (via lifelines)",
        "published trial records, with attribution",
    ),
    "streptomycin": _Info(
        "load_streptomycin",
        "mrc_streptomycin_trial_1948.csv",
        "MRC randomised trial of streptomycin for pulmonary tuberculosis, 107 patients",
        "Medical Research Council (1948), BMJ 2:769-782; R package medicaldata",
        "MIT",
    ),
    "breast_cancer": _Info(
        "load_breast_cancer",
        "breast_cancer_wisconsin_diagnostic.csv",
        "Breast cancer Wisconsin diagnostic: 30 cell-nucleus features and diagnosis, 569 cases",
        "Wolberg, Street & Mangasarian (1995), UCI repository (as shipped in scikit-learn)",
        "CC BY 4.0, with attribution",
    ),
    "diabetes": _Info(
        "load_diabetes",
        "diabetes_progression_efron2004.csv",
        "Diabetes: ten baseline variables (unscaled) and progression one year later, 442 cases",
        "Efron, Hastie, Johnstone & Tibshirani (2004), Annals of Statistics 32:407-499",
        "free for research, with attribution",
    ),
}


def _read(key: str, **kwargs: object) -> pd.DataFrame:
    path = resources.files("statcraft.datasets").joinpath("data", _REGISTRY[key].filename)
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, **kwargs)  # type: ignore[call-overload]


def _date_index(dates: pd.Series, freq: str | None = None) -> pd.DatetimeIndex:
    """Return ``dates`` as a DatetimeIndex named ``date`` (with ``freq`` when regular)."""
    if freq is None:
        return pd.DatetimeIndex(dates, name="date")
    # pandas checks a given freq against the dates (ValueError if they do not follow it)
    return pd.DatetimeIndex(dates, name="date", freq=freq)


def list_datasets() -> pd.DataFrame:
    """List the bundled data sets with their loader, size, source and licence.

    Returns
    -------
    pandas.DataFrame
        One row per data set: ``name``, ``loader``, ``rows``, ``columns`` (of the loaded
        frame, not counting the ``date`` index of the time series), ``description``,
        ``source``, ``licence``.

    Examples
    --------
    >>> from statcraft.datasets import list_datasets
    >>> table = list_datasets()
    >>> table.loc[table["name"] == "surgical", ["loader", "rows"]].to_dict("records")
    [{'loader': 'load_surgical', 'rows': 12}]
    """
    rows = []
    for name, info in _REGISTRY.items():
        frame = globals()[info.loader]()
        rows.append(
            {
                "name": name,
                "loader": info.loader,
                "rows": frame.shape[0],
                "columns": frame.shape[1],
                "description": info.description,
                "source": info.source,
                "licence": info.licence,
            }
        )
    return pd.DataFrame(rows)


def load_wti() -> pd.DataFrame:
    """WTI crude oil spot price, daily, 1986-01-02 to 2019-01-03, in USD per barrel.

    Returns
    -------
    pandas.DataFrame
        8321 rows indexed by ``date`` (a :class:`~pandas.DatetimeIndex` of trading days,
        no frequency), one column ``price`` (float, USD per barrel). Market holidays are
        absent (not filled).

    Notes
    -----
    Source: U.S. Energy Information Administration, Cushing, OK WTI Spot Price FOB,
    FRED series DCOILWTICO, as shipped in the ``arch`` package (``arch.data.wti``).
    Licence: U.S. government work, public domain. Cite the EIA.

    Examples
    --------
    >>> from statcraft.datasets import load_wti
    >>> wti = load_wti()
    >>> wti.shape
    (8321, 1)
    >>> wti.index.name, str(wti.index[0].date())
    ('date', '1986-01-02')
    >>> price = wti["price"]  # a Series indexed by date
    >>> float(price.loc["1986-01-02"])
    25.56
    """
    df = _read("wti", parse_dates=["date"])
    df.index = _date_index(df.pop("date"))
    return df.rename(columns={"wti_usd": "price"})


def load_fama_french_3factors() -> pd.DataFrame:
    """Fama-French three factors and the risk-free rate, monthly, 1926-07 to 2018-11.

    Returns
    -------
    pandas.DataFrame
        1109 rows indexed by ``date`` (a :class:`~pandas.DatetimeIndex` of the first day of
        each month, frequency ``'MS'``; the return is that month's); columns ``mkt_rf``
        (market minus risk-free), ``smb``, ``hml``, ``rf`` -- all returns in **percent** per
        month.

    Notes
    -----
    Source: Kenneth R. French Data Library, "Fama/French 3 Factors", as shipped in the
    ``arch`` package (``arch.data.frenchdata``). Attribution: "Source: Kenneth R. French Data
    Library". The original ``Date`` column is an integer YYYYMM; it is parsed here to the
    first day of that month. Note the unit: percent, unlike
    :func:`load_fama_french_industries` (decimals). For month-end dates use
    ``ff.index + pd.offsets.MonthEnd(0)``, for periods ``ff.to_period("M")``.

    Examples
    --------
    >>> from statcraft.datasets import load_fama_french_3factors
    >>> ff = load_fama_french_3factors()
    >>> list(ff.columns)
    ['mkt_rf', 'smb', 'hml', 'rf']
    >>> str(ff.index[0].date()), ff.index.freqstr
    ('1926-07-01', 'MS')
    >>> float(ff.loc["1926-07-01", "mkt_rf"])
    2.96
    """
    df = _read("fama_french_3factors")
    date = pd.to_datetime(df.pop("Date").astype(str), format="%Y%m")
    df.index = _date_index(date, freq="MS")
    return df.rename(columns={"Mkt-RF": "mkt_rf", "SMB": "smb", "HML": "hml", "RF": "rf"})


def load_fama_french_industries() -> pd.DataFrame:
    """Factors, 12 industry portfolios and 18 sorted portfolios, monthly, 1949-01 to 2017.

    Returns
    -------
    pandas.DataFrame
        819 rows indexed by ``date`` (a :class:`~pandas.DatetimeIndex` of the first day of
        each month, 1949-01-01 to 2017-03-01, frequency ``'MS'``); factors ``mkt_rf``,
        ``smb``, ``hml``, ``mom``, ``rf``; the 12 Fama-French industry portfolios (``NoDur``,
        ``Durbl``, ``Manuf``, ``Enrgy``, ``Chems``, ``BusEq``, ``Telcm``, ``Utils``,
        ``Shops``, ``Hlth``, ``Money``, ``Other``); and 18 portfolios sorted on size and
        value (``S1V1`` ... ``S5V5``) or size and momentum (``S1M1`` ... ``S5M5``). All
        returns are **decimals** per month (0.01 is 1 %).

    Notes
    -----
    Source: Kenneth R. French Data Library, as shipped in ``linearmodels``
    (``linearmodels.datasets.french``). Attribution: "Source: Kenneth R. French Data
    Library". Industry and sorted portfolio returns are raw returns, not excess returns.

    Examples
    --------
    >>> from statcraft.datasets import load_fama_french_industries
    >>> ff = load_fama_french_industries()
    >>> ff.shape
    (819, 35)
    >>> excess = ff["Money"] - ff["rf"]  # a monthly Series indexed by date
    >>> str(excess.index[-1].date())
    '2017-03-01'
    """
    df = _read("fama_french_industries", parse_dates=["dates"])
    df.index = _date_index(df.pop("dates"), freq="MS")
    return df.rename(
        columns={
            "MktRF": "mkt_rf",
            "SMB": "smb",
            "HML": "hml",
            "Mom": "mom",
            "RF": "rf",
        }
    )


def load_surgical() -> pd.DataFrame:
    """Mortality after infant cardiac surgery in 12 hospitals.

    Returns
    -------
    pandas.DataFrame
        12 rows: ``hospital`` (A-L), ``n_operations``, ``deaths`` (int). 208 deaths in 2814
        operations overall.

    Notes
    -----
    Source: Spiegelhalter, D., Thomas, A., Best, N. & Gilks, W. (1996) BUGS 0.5 Examples
    Volume 1, "Surgical: institutional ranking"; also stan-dev/example-models
    ``bugs_examples/vol1/surgical``. Published counts.

    Examples
    --------
    >>> from statcraft.datasets import load_surgical
    >>> s = load_surgical()
    >>> int(s["deaths"].sum()), int(s["n_operations"].sum())
    (208, 2814)
    """
    return _read("surgical", dtype={"hospital": str})


def load_beta_blocker() -> pd.DataFrame:
    """Deaths in 22 randomised trials of beta-blockers after myocardial infarction.

    Returns
    -------
    pandas.DataFrame
        22 rows: ``trial``, ``control_deaths``, ``control_total``, ``treated_deaths``,
        ``treated_total`` (int). Totals: control 985/9849, treated 826/10441.

    Notes
    -----
    Sources: Yusuf, S. et al. (1985) Beta blockade during and after myocardial infarction: an
    overview of the randomized trials. Prog Cardiovasc Dis 27:335-371. Carlin, J.B. (1992)
    Meta-analysis for 2x2 tables: a Bayesian approach. Stat Med 11:141-158. BUGS Examples
    Vol. 1 "Blocker". Published counts.

    Examples
    --------
    >>> from statcraft.datasets import load_beta_blocker
    >>> b = load_beta_blocker()
    >>> int(b["control_deaths"].sum()), int(b["treated_deaths"].sum())
    (985, 826)
    """
    return _read("beta_blocker")


def load_bcg() -> pd.DataFrame:
    """Tuberculosis in 13 trials of the BCG vaccine.

    Returns
    -------
    pandas.DataFrame
        13 rows: ``study``; ``vaccinated_cases`` and ``vaccinated_total`` (TB cases and
        participants in the BCG arm); ``control_cases`` and ``control_total`` (unvaccinated
        arm); ``latitude`` (absolute degrees of the trial site); ``year`` of publication.

    Notes
    -----
    Source: Colditz, G.A. et al. (1994) Efficacy of BCG vaccine in the prevention of
    tuberculosis: meta-analysis of the published literature. JAMA 271:698-702. The same data
    are ``dat.bcg`` in R's metafor (``tpos`` = vaccinated_cases,
    ``tneg`` = vaccinated_total - vaccinated_cases, and so on). Published counts.

    Examples
    --------
    >>> from statcraft.datasets import load_bcg
    >>> bcg = load_bcg()
    >>> bcg.loc[0, ["vaccinated_cases", "vaccinated_total"]].tolist()
    [4, 123]
    """
    df = _read("bcg")
    return df.rename(
        columns={
            "Study": "study",
            "BCGTB": "vaccinated_cases",
            "BCGVacc": "vaccinated_total",
            "NoVaccTB": "control_cases",
            "NoVacc": "control_total",
            "Latitude": "latitude",
            "Year": "year",
        }
    )


def load_lung() -> pd.DataFrame:
    """Survival in advanced lung cancer: the NCCTG trial (228 patients).

    Returns
    -------
    pandas.DataFrame
        228 rows: ``inst`` (institution code), ``time`` (survival in days), ``status``
        (1 = died, 0 = censored; note: R's ``survival::lung`` codes 2/1), ``age`` (years),
        ``sex`` (1 = male, 2 = female), ``ph_ecog`` (ECOG score by physician, 0-4),
        ``ph_karno`` and ``pat_karno`` (Karnofsky score by physician and by patient),
        ``meal_cal`` (calories at meals), ``wt_loss`` (weight loss in the last six months,
        pounds). Covariates have missing values (NaN); ``time``, ``status``, ``age`` and
        ``sex`` are complete.

    Notes
    -----
    Source: Loprinzi, C.L. et al. (1994) Prospective evaluation of prognostic variables from
    patient-completed questionnaires. J Clin Oncol 12:601-607. Distributed with R's survival
    package as ``lung``; this copy as shipped in lifelines (MIT), with attribution.

    Examples
    --------
    >>> from statcraft.datasets import load_lung
    >>> lung = load_lung()
    >>> lung.shape, int(lung["status"].sum())
    ((228, 10), 165)
    """
    df = _read("lung")
    df.columns = [c.replace(".", "_") for c in df.columns]
    for col in ("time", "status", "age", "sex"):
        df[col] = df[col].astype("int64")
    return df


def load_streptomycin() -> pd.DataFrame:
    """Streptomycin for pulmonary tuberculosis: the 1948 MRC randomised trial.

    Returns
    -------
    pandas.DataFrame
        107 rows: ``patient_id``; ``arm`` ('Control' or 'Streptomycin'); doses of
        streptomycin and PAS in grams; ``gender``; baseline condition, temperature,
        erythrocyte sedimentation rate and cavitation (ordered categories, labelled as in the
        source with a rank prefix such as ``'1_Good'``); streptomycin resistance;
        ``radiologic_6m`` (radiologic outcome at six months) with its numeric rank
        ``rad_num`` (1 = death ... 6 = considerable improvement); ``improved`` (bool).

    Notes
    -----
    Source: Medical Research Council (1948) Streptomycin treatment of pulmonary tuberculosis.
    BMJ 2:769-782. Reconstructed in the R package medicaldata (MIT) as ``strep_tb``.

    Examples
    --------
    >>> from statcraft.datasets import load_streptomycin
    >>> tb = load_streptomycin()
    >>> tb["arm"].value_counts().sort_index().to_dict()
    {'Control': 52, 'Streptomycin': 55}
    """
    df = _read("streptomycin")
    df["improved"] = df["improved"].astype(bool)
    return df


def load_breast_cancer() -> pd.DataFrame:
    """Breast cancer Wisconsin (diagnostic): 30 nucleus features and the diagnosis.

    Returns
    -------
    pandas.DataFrame
        569 rows: 30 features computed from digitised images of fine-needle aspirates (mean,
        standard error and "worst" of ten nucleus measurements, e.g. ``mean_radius``,
        ``radius_error``, ``worst_radius``), and ``target`` (0 = malignant, 1 = benign, as in
        scikit-learn; 212 malignant, 357 benign).

    Notes
    -----
    Source: Wolberg, W.H., Street, W.N. & Mangasarian, O.L. (1995), UCI Machine Learning
    Repository, Breast Cancer Wisconsin (Diagnostic); as shipped in scikit-learn. Licence:
    CC BY 4.0, with attribution.

    Examples
    --------
    >>> from statcraft.datasets import load_breast_cancer
    >>> bc = load_breast_cancer()
    >>> bc.shape, int((bc["target"] == 0).sum())
    ((569, 31), 212)
    """
    df = _read("breast_cancer")
    df.columns = [c.replace(" ", "_") for c in df.columns]
    df["target"] = df["target"].astype("int64")
    return df


def load_diabetes() -> pd.DataFrame:
    """Diabetes progression (Efron et al. 2004): ten baseline variables, unscaled.

    Returns
    -------
    pandas.DataFrame
        442 rows: ``age`` (years), ``sex`` (1 or 2), ``bmi``, ``bp`` (mean blood pressure),
        six blood serum measurements ``s1`` ... ``s6``, and ``target`` (a quantitative measure
        of disease progression one year after baseline). Unlike scikit-learn's default, the
        values are not standardised.

    Notes
    -----
    Source: Efron, B., Hastie, T., Johnstone, I. & Tibshirani, R. (2004) Least angle
    regression. Annals of Statistics 32:407-499; as shipped in scikit-learn
    (``load_diabetes(scaled=False)``). Free for research use, with attribution.

    Examples
    --------
    >>> from statcraft.datasets import load_diabetes
    >>> d = load_diabetes()
    >>> d.shape
    (442, 11)
    """
    return _read("diabetes")
