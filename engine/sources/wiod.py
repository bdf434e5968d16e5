"""World Input-Output Database, 2013 release: world input-output tables 1995-2011 (41 regions x 35 sectors).

Source files (R data package ``wiod`` by B. Quast, GitHub ``bquast/wiod``; original WIOD 2013 release, Timmer et
al. 2015, free use with citation):

- ``wiot_<year>.RData`` (1995-2011): one R list ``wiot_<year>`` with ``inter`` (1435 x 1435 intermediate use),
  ``final`` (1435 x 205 final use), ``output`` (1435 gross output), ``countries`` (41 codes), ``industries``
  (``c1`` .. ``c35``) and ``year``. Current million USD, rounded to whole numbers. The matrices carry no row or
  column labels: rows and intermediate columns are region-major (41 regions x 35 sectors, RoW last), final-demand
  columns are region-major by the 5 categories of :data:`FD_CATEGORIES`.
- ``WIOD_IndClass.rda`` / ``WIOD_Corr.rda``: despite living in the same package these describe the **WIOD 2016**
  release (56 NACE Rev.2 industries and the final-demand/value-added codes), not the 35 NACE Rev.1.1 sectors of
  the 2013 tables. :func:`parse_industry_classes` reads the first; the 2013 sector names in :data:`SECTORS` are
  the ones the package stores in ``wiot_regional_<year>.RData`` (checked in the tests).

Quirks (see ``SOURCES.md``): values are integers, so the published row balance ``x = Z 1 + Y 1`` holds only to a
median ~0.2 %; use :attr:`WIOT.x_from_flows` when world consumption must equal world production exactly. Some
region-sectors have zero output (22 in 2011, e.g. ``c35`` in many countries, ``c19`` in CHN and IDN), and a few
hundred final-demand cells are negative (changes in inventories, a few gross fixed capital formation cells).
WIOD 2013 writes Romania as ``ROM``; :data:`REGION_ISO3` maps it to ``ROU`` and ``RoW`` to ``ROW``.

Reading uses the pure-Python ``rdata`` package; one year takes ~0.2 s, all 17 years ~3.5 s.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "wiod2013"
CLASS_FILE = "WIOD_IndClass.rda"
CORR_FILE = "WIOD_Corr.rda"

#: The 17 table years.
YEARS = range(1995, 2012)

#: The 41 WIOD 2013 region codes in table order (40 countries + rest of the world, last). Romania is ``ROM``.
REGIONS: tuple[str, ...] = (
    "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHN", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA",
    "GBR", "GRC", "HUN", "IDN", "IND", "IRL", "ITA", "JPN", "KOR", "LTU", "LUX", "LVA", "MEX", "MLT", "NLD",
    "POL", "PRT", "ROM", "RUS", "SVK", "SVN", "SWE", "TUR", "TWN", "USA", "RoW",
)

#: WIOD region code -> ISO 3166 alpha-3 (``ROM`` -> ``ROU``; the rest of the world -> ``ROW``, not a country).
REGION_ISO3: Mapping[str, str] = MappingProxyType(
    {r: {"ROM": "ROU", "RoW": "ROW"}.get(r, r) for r in REGIONS}
)

#: Sector code -> name, ``c1`` .. ``c35`` in table order (WIOD 2013, NACE Rev.1.1 based).
SECTORS: Mapping[str, str] = MappingProxyType({
    "c1": "Agriculture, Hunting, Forestry and Fishing",
    "c2": "Mining and Quarrying",
    "c3": "Food, Beverages and Tobacco",
    "c4": "Textiles and Textile Products",
    "c5": "Leather, Leather and Footwear",
    "c6": "Wood and Products of Wood and Cork",
    "c7": "Pulp, Paper, Paper , Printing and Publishing",
    "c8": "Coke, Refined Petroleum and Nuclear Fuel",
    "c9": "Chemicals and Chemical Products",
    "c10": "Rubber and Plastics",
    "c11": "Other Non-Metallic Mineral",
    "c12": "Basic Metals and Fabricated Metal",
    "c13": "Machinery, Nec",
    "c14": "Electrical and Optical Equipment",
    "c15": "Transport Equipment",
    "c16": "Manufacturing, Nec; Recycling",
    "c17": "Electricity, Gas and Water Supply",
    "c18": "Construction",
    "c19": "Sale, Maintenance and Repair of Motor Vehicles and Motorcycles; Retail Sale of Fuel",
    "c20": "Wholesale Trade and Commission Trade, Except of Motor Vehicles and Motorcycles",
    "c21": "Retail Trade, Except of Motor Vehicles and Motorcycles; Repair of Household Goods",
    "c22": "Hotels and Restaurants",
    "c23": "Inland Transport",
    "c24": "Water Transport",
    "c25": "Air Transport",
    "c26": "Other Supporting and Auxiliary Transport Activities; Activities of Travel Agencies",
    "c27": "Post and Telecommunications",
    "c28": "Financial Intermediation",
    "c29": "Real Estate Activities",
    "c30": "Renting of M&Eq and Other Business Activities",
    "c31": "Public Admin and Defence; Compulsory Social Security",
    "c32": "Education",
    "c33": "Health and Social Work",
    "c34": "Other Community, Social and Personal Services",
    "c35": "Private Households with Employed Persons",
})

#: Sector code -> NACE Rev.1.1 code(s) as written in the WIOD 2013 documentation.
SECTOR_NACE11: Mapping[str, str] = MappingProxyType(dict(zip(SECTORS, (
    "AtB", "C", "15t16", "17t18", "19", "20", "21t22", "23", "24", "25", "26", "27t28", "29", "30t33", "34t35",
    "36t37", "E", "F", "50", "51", "52", "H", "60", "61", "62", "63", "64", "J", "70", "71t74", "L", "M", "N",
    "O", "P",
))))

#: Final-demand category code -> name, in column order within each region block (names from WIOD_IndClass).
FD_CATEGORIES: Mapping[str, str] = MappingProxyType({
    "CONS_h": "Final consumption expenditure by households",
    "CONS_np": "Final consumption expenditure by non-profit organisations serving households (NPISH)",
    "CONS_g": "Final consumption expenditure by government",
    "GFCF": "Gross fixed capital formation",
    "INVEN": "Changes in inventories and valuables",
})

N_REGIONS = len(REGIONS)
N_SECTORS = len(SECTORS)
N_FD = len(FD_CATEGORIES)
N_ROWS = N_REGIONS * N_SECTORS  # 1435


@dataclass(frozen=True, eq=False)
class WIOT:
    """One world input-output table (read-only arrays).

    Attributes
    ----------
    year : int
        Table year.
    Z : numpy.ndarray
        Intermediate use, shape (1435, 1435), float64 [million USD, current prices]; ``Z[i, j]`` is what
        region-sector ``j`` buys from region-sector ``i``. Rows/columns region-major (41 x 35).
    Y : numpy.ndarray
        Final use, shape (1435, 205), float64 [million USD]; columns region-major by the 5 :data:`FD_CATEGORIES`.
    x : numpy.ndarray
        Gross output as published, shape (1435,), float64 [million USD].
    regions : tuple of str
        WIOD region codes (:data:`REGIONS`).
    sectors : tuple of str
        Sector codes ``c1`` .. ``c35``.
    fd_categories : tuple of str
        Final-demand category codes.
    """

    year: int
    Z: np.ndarray
    Y: np.ndarray
    x: np.ndarray
    regions: tuple[str, ...] = REGIONS
    sectors: tuple[str, ...] = tuple(SECTORS)
    fd_categories: tuple[str, ...] = tuple(FD_CATEGORIES)

    @property
    def x_from_flows(self) -> np.ndarray:
        """Gross output rebuilt as ``Z 1 + Y 1``, shape (1435,) [million USD].

        With this output world consumption equals world production exactly; the published :attr:`x` differs by
        rounding (median ~0.2 % per row).
        """
        return self.Z.sum(axis=1) + self.Y.sum(axis=1)

    @property
    def iso3(self) -> tuple[str, ...]:
        """ISO3 code of each region (``ROU`` for ``ROM``, ``ROW`` for the rest of the world)."""
        return tuple(REGION_ISO3[r] for r in self.regions)

    def row_labels(self) -> pd.DataFrame:
        """Labels of the 1435 rows (= intermediate columns); see :func:`row_labels`."""
        return row_labels()


def row_labels() -> pd.DataFrame:
    """Labels of the 1435 region-sector rows of every WIOD 2013 table.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (0-based index), ``region`` (WIOD code), ``iso3``, ``sector`` (``c1`` ..),
        ``sector_name``, ``nace_rev11``.
    """
    regions = np.repeat(np.array(REGIONS), N_SECTORS)
    sectors = np.tile(np.array(list(SECTORS)), N_REGIONS)
    return pd.DataFrame({
        "row": np.arange(N_ROWS),
        "region": regions,
        "iso3": [REGION_ISO3[r] for r in regions],
        "sector": sectors,
        "sector_name": [SECTORS[s] for s in sectors],
        "nace_rev11": [SECTOR_NACE11[s] for s in sectors],
    })


def fd_column_labels() -> pd.DataFrame:
    """Labels of the 205 final-demand columns (region-major by category).

    Returns
    -------
    pandas.DataFrame
        Columns ``col`` (0-based index), ``region``, ``iso3``, ``category``, ``category_name``.
    """
    regions = np.repeat(np.array(REGIONS), N_FD)
    cats = np.tile(np.array(list(FD_CATEGORIES)), N_REGIONS)
    return pd.DataFrame({
        "col": np.arange(N_REGIONS * N_FD),
        "region": regions,
        "iso3": [REGION_ISO3[r] for r in regions],
        "category": cats,
        "category_name": [FD_CATEGORIES[c] for c in cats],
    })


def sectors_table() -> pd.DataFrame:
    """The 35 WIOD 2013 sectors: columns ``sector``, ``nace_rev11``, ``sector_name``."""
    return pd.DataFrame({
        "sector": list(SECTORS),
        "nace_rev11": [SECTOR_NACE11[s] for s in SECTORS],
        "sector_name": list(SECTORS.values()),
    })


def _load_rdata(path: Path) -> dict:
    """Parse and convert an R data file, turning any parser failure into a SourceFormatError."""
    import rdata

    path = Path(path)
    try:
        with warnings.catch_warnings():
            # the lists carry R class "iot", which rdata has no constructor for; it returns the plain list
            warnings.simplefilter("ignore", UserWarning)
            return rdata.conversion.convert(rdata.parser.parse_file(path))
    except Exception as exc:  # rdata raises NotImplementedError, ValueError, EOFError... on foreign bytes
        raise SourceFormatError(
            f"{path.name}: not a readable R data file ({type(exc).__name__}: {exc}); expected an .RData/.rda "
            f"written by R's save()", SOURCE_ID, path.name) from exc


def _as_array(obj) -> np.ndarray:
    return np.asarray(getattr(obj, "values", obj))


def parse_wiot(path: str | Path, year: int | None = None) -> WIOT:
    """Read one ``wiot_<year>.RData`` file.

    Parameters
    ----------
    path : str or Path
        The file.
    year : int, optional
        Expected table year; the R object must be named ``wiot_<year>`` and hold that year. If None, the
        file must hold exactly one ``wiot_<year>`` object.

    Returns
    -------
    WIOT
        ``Z`` (1435 x 1435), ``Y`` (1435 x 205), ``x`` (1435) as float64 [million USD], with labels.

    Raises
    ------
    SourceFormatError
        If the file is not R data, lacks the ``wiot_<year>`` list or its ``inter``/``final``/``output``
        members, or the shapes, region codes or sector codes differ from the WIOD 2013 layout.
    """
    path = Path(path)
    fname = path.name
    data = _load_rdata(path)

    def fail(what: str) -> SourceFormatError:
        return SourceFormatError(f"{fname}: {what}", SOURCE_ID, fname)

    names = [str(k) for k in data]
    if year is None:
        cands = [k for k in names if k.startswith("wiot_") and k[5:].isdigit()]
        if len(cands) != 1:
            raise fail(f"expected one R object named wiot_<year>, found {names}")
        key = cands[0]
        year = int(key[5:])
    else:
        key = f"wiot_{int(year)}"
        if key not in names:
            raise fail(f"expected an R object named {key!r}, found {names}")
    obj = data[key]
    if not isinstance(obj, dict):
        raise fail(f"{key} should be an R list, got {type(obj).__name__}")
    obj = {str(k): v for k, v in obj.items()}
    missing = [m for m in ("inter", "final", "output", "countries", "industries") if m not in obj]
    if missing:
        raise fail(f"{key} lacks member(s) {missing}; expected inter, final, output, countries, industries")

    Z = _as_array(obj["inter"]).astype(np.float64)
    Y = _as_array(obj["final"]).astype(np.float64)
    x = _as_array(obj["output"]).astype(np.float64).reshape(-1)
    expected = {"inter": (Z.shape, (N_ROWS, N_ROWS)), "final": (Y.shape, (N_ROWS, N_REGIONS * N_FD)),
                "output": (x.shape, (N_ROWS,))}
    for member, (got, want) in expected.items():
        if got != want:
            raise fail(f"{key}${member} has shape {got}, expected {want} "
                       f"({N_REGIONS} regions x {N_SECTORS} sectors{', 5 final-demand categories' if member == 'final' else ''})")
    countries = tuple(str(c) for c in _as_array(obj["countries"]).reshape(-1))
    if countries != REGIONS:
        raise fail(f"{key}$countries differ from the WIOD 2013 region list (got {list(countries)[:5]}...)")
    industries = tuple(str(c) for c in _as_array(obj["industries"]).reshape(-1))
    if industries != tuple(SECTORS):
        raise fail(f"{key}$industries differ from c1..c35 (got {list(industries)[:5]}...)")
    if "year" in obj:
        file_year = int(_as_array(obj["year"]).reshape(-1)[0])
        if file_year != int(year):
            raise fail(f"{key}$year is {file_year}, expected {year}")
    for name, arr in (("inter", Z), ("final", Y), ("output", x)):
        if not np.isfinite(arr).all():
            raise fail(f"{key}${name} holds missing or non-finite values")
    for arr in (Z, Y, x):
        arr.setflags(write=False)
    return WIOT(year=int(year), Z=Z, Y=Y, x=x)


def final_demand_by_region(Y: np.ndarray) -> np.ndarray:
    """Collapse the 5 final-demand categories of each region.

    Parameters
    ----------
    Y : numpy.ndarray
        Final use, shape (n, 41 * 5), region-major by category [million USD].

    Returns
    -------
    numpy.ndarray
        Shape (n, 41): column ``r`` is the total final use of region ``r`` [million USD].
    """
    Y = np.asarray(Y)
    if Y.ndim != 2 or Y.shape[1] != N_REGIONS * N_FD:
        raise ValueError(f"Y must have {N_REGIONS * N_FD} columns (41 regions x 5 categories), got shape {Y.shape}")
    return Y.reshape(Y.shape[0], N_REGIONS, N_FD).sum(axis=2)


def _check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        y = None
    if y is None or y != year or y not in YEARS:
        raise ValueError(f"WIOD 2013 tables cover {YEARS.start}–{YEARS.stop - 1} (1995-2011); got {year!r}")
    return y


def read_wiot(year: int, settings: Settings | None = None) -> WIOT:
    """Read the WIOD 2013 table of one year from the data directory.

    Parameters
    ----------
    year : int
        1995 .. 2011.
    settings : Settings, optional
        Defaults to :meth:`Settings.from_env`.

    Raises
    ------
    ValueError
        If ``year`` is outside 1995-2011.
    SourceMissingError, SourceCorruptError, SourceFormatError
    """
    y = _check_year(year)
    path = resolve(SOURCE_ID, f"wiot_{y}.RData", settings)
    return parse_wiot(path, y)


def parse_industry_classes(path: str | Path) -> pd.DataFrame:
    """Read ``WIOD_IndClass.rda``: the **WIOD 2016** classification (56 NACE Rev.2 industries + use codes).

    Returns
    -------
    pandas.DataFrame
        Columns ``rnr`` (int, WIOD 2016 row number), ``code`` (e.g. ``A01``, ``D35``, ``CONS_h``, ``GO``),
        ``description``, ``kind`` (``"industry"`` for the 56 industries, ``"final_demand"``, ``"other"``).
    """
    path = Path(path)
    data = _load_rdata(path)
    obj = data.get("WIOD_IndClass")
    cols = ("RNr", "IndustryCode.WIOD", "Desc")
    if not isinstance(obj, pd.DataFrame) or any(c not in obj.columns for c in cols):
        raise SourceFormatError(f"{path.name}: expected a data frame WIOD_IndClass with columns {list(cols)}",
                                SOURCE_ID, path.name)
    out = pd.DataFrame({
        "rnr": obj["RNr"].astype(int).to_numpy(),
        "code": obj["IndustryCode.WIOD"].astype(str).str.strip().to_numpy(),
        "description": obj["Desc"].astype(str).str.strip().to_numpy(),
    })
    out["kind"] = np.where(out["rnr"] <= 56, "industry",
                           np.where(out["code"].isin(list(FD_CATEGORIES)), "final_demand", "other"))
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {}
    return out


def read_industry_classes(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`parse_industry_classes` on the registry file ``WIOD_IndClass.rda``."""
    return parse_industry_classes(resolve(SOURCE_ID, CLASS_FILE, settings))


def parse_correspondence(path: str | Path) -> dict[str, pd.DataFrame]:
    """Read ``WIOD_Corr.rda``: WIOD 2016 industry -> NACE Rev.2 codes and final-demand -> Eurostat codes.

    Returns
    -------
    dict of pandas.DataFrame
        ``"WIOD_NACErev2"`` (columns ``wiod``, ``nace_rev2``) and ``"WIOD_ESTAT"`` (columns ``wiod``, ``estat``).
    """
    path = Path(path)
    data = _load_rdata(path)
    obj = data.get("WIOD_Corr")
    if not isinstance(obj, dict):
        raise SourceFormatError(f"{path.name}: expected an R list WIOD_Corr", SOURCE_ID, path.name)
    obj = {str(k): v for k, v in obj.items()}
    out = {}
    for key, new in (("WIOD_NACErev2", ("wiod", "nace_rev2")), ("WIOD_ESTAT", ("wiod", "estat"))):
        df = obj.get(key)
        if not isinstance(df, pd.DataFrame) or df.shape[1] != 2:
            raise SourceFormatError(f"{path.name}: WIOD_Corr${key} should be a two-column data frame",
                                    SOURCE_ID, path.name)
        out[key] = pd.DataFrame({new[0]: df.iloc[:, 0].astype(str).to_numpy(),
                                 new[1]: df.iloc[:, 1].astype(str).to_numpy()})
    return out


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Everything the processed pack stores from WIOD 2013.

    Returns
    -------
    dict
        ``wiod_<year>`` for 1995-2011: ``{"Z": (1435, 1435), "Y": (1435, 205), "x": (1435,)}`` float64 arrays
        [million USD] (stored as compressed .npz; ``x`` as published); ``wiod_labels`` (row labels, see
        :func:`row_labels`), ``wiod_fd_labels`` (see :func:`fd_column_labels`) and ``wiod_sectors``
        (see :func:`sectors_table`).
    """
    items: dict[str, object] = {}
    for year in YEARS:
        t = read_wiot(year, settings)
        items[f"wiod_{year}"] = {"Z": np.ascontiguousarray(t.Z), "Y": np.ascontiguousarray(t.Y),
                                 "x": np.ascontiguousarray(t.x)}
    for name, df in (("wiod_labels", row_labels()), ("wiod_fd_labels", fd_column_labels()),
                     ("wiod_sectors", sectors_table())):
        df.attrs["source"] = SOURCE_ID
        df.attrs["units"] = {}
        items[name] = df
    return items
