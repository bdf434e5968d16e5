"""VIIRS Nightfire gas-flare sites of 2017 (Earth Observation Group, Payne Institute, Colorado School of Mines), the
basis of the World Bank GGFR flaring estimates: flare location and volume flared.

The file is UTF-8 with a BOM; 21,376 lines of which 10,009 are records — the rest are blank rows, dropped. ``Type``
is ``flare`` (9,617) or ``gas`` (392, gas-processing sites); both flare gas and are kept. ``BCM_2017`` is the volume
flared in 2017 [billion m3]; the total is 138.5 bcm (the World Bank reports about 141 bcm). No record has invalid
coordinates (the reader would drop and count them); one site (in the Saudi-Kuwaiti Neutral Zone) has no ISO code:
its ``iso3`` is None and it stays where it lies.

Citation: Elvidge, C. D., Zhizhin, M., Baugh, K., Hsu, F.-C., Ghosh, T. (2016) Methods for global survey of natural
gas flaring from Visible Infrared Imaging Radiometer Suite data, Energies 9(1):14, doi:10.3390/en9010014; data CC BY
4.0 (Earth Observation Group).
"""

from __future__ import annotations

import pandas as pd

from engine.core.config import Settings
from engine.data.fetch import resolve
from engine.sources._points import read_table, valid_coordinates

SOURCE_ID = "viirs_flares_2017"
FILE = "VIIRS_Global_flaring_d.7_slope_0.029353_2017_web_v1.csv"
YEAR = 2017
REQUIRED = ("id_key_2017", "Latitude", "Longitude", "Type", "ISO_Code", "Country", "BCM_2017")


def parse_flares(path) -> pd.DataFrame:
    """Parse the flare-site CSV.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``iso3``, ``country``, ``type`` (``flare`` or ``gas``), ``lat``, ``lon`` [degree], ``bcm``
        [billion m3 flared in 2017, >= 0]. ``attrs``: ``n_blank_rows``, ``n_dropped_coordinates``.

    Raises
    ------
    SourceFormatError
        Unreadable file or a missing column.
    """
    raw = read_table(path, SOURCE_ID, REQUIRED, encoding="utf-8-sig")
    rec = raw.dropna(how="all")
    ok = valid_coordinates(rec["Latitude"], rec["Longitude"])
    f = rec[ok]
    iso = f["ISO_Code"].astype(str).str.strip().str.upper()
    df = pd.DataFrame({
        "id": pd.to_numeric(f["id_key_2017"], errors="coerce").astype("Int64").astype(str), "iso3": iso.where(iso.str.fullmatch(r"[A-Z]{3}"), None).astype(object),
        "country": f["Country"].astype(str), "type": f["Type"].astype(str),
        "lat": pd.to_numeric(f["Latitude"]).astype(float), "lon": pd.to_numeric(f["Longitude"]).astype(float),
        "bcm": pd.to_numeric(f["BCM_2017"], errors="coerce").fillna(0.0).clip(lower=0.0),
    }).reset_index(drop=True)
    df.attrs.update(source=SOURCE_ID, year=YEAR, n_blank_rows=len(raw) - len(rec),
                    n_dropped_coordinates=int((~ok).sum()),
                    units={"lat": "degree_north", "lon": "degree_east", "bcm": "billion m3 yr-1 (2017)"})
    return df


def read_flares(settings: Settings | None = None) -> pd.DataFrame:
    """Read the flare sites (see :func:`parse_flares`)."""
    return parse_flares(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """Items for the processed pack: ``viirs_flares_2017`` (one row per site)."""
    return {"viirs_flares_2017": read_flares(settings)}
