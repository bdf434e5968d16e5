"""Uncertainty of EDGAR emissions by country × IPCC 2006 category × gas, 2015 (Solazzo et al. 2021, Tier 1).

The file (as redistributed by Schulte, Jakobs & Pauliuk 2024) has one row per country, IPCC category and gas with
the lower and upper half-widths of the 95 % confidence interval as fractions of the emission (``rel.unc.min``,
``rel.unc.max``: 0.107 means −10.7 %; asymmetric where Solazzo et al. use a lognormal; above 1 for some soil N2O and
landfill CH4). The categories of one country and gas never overlap (a parent such as ``1.A`` appears only where
its children do not), so they partition the country's emissions of that gas. ``emi`` is the EDGAR v5 emission of the
row in kt CO2e (AR4 weights: China's power CO2 is 4.7 million); it is used only as a weight within one country and
gas. There are no F-gas rows.

Citation: Solazzo, E. et al. (2021) Atmos. Chem. Phys. 21:5655-5683, doi:10.5194/acp-21-5655-2021 (CC BY 4.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from engine.core.config import Settings
from engine.core.errors import SourceFormatError
from engine.data.fetch import resolve

SOURCE_ID = "solazzo2021_uncertainty"
FILE = "tot_GHG_2015_Tier1_sector_countrytotal_cat_.csv"
COLUMNS = ("country", "emi", "rel.unc.min", "rel.unc.max", "sector", "L1")
GASES = ("CO2", "CH4", "N2O")


def parse_uncertainty(path) -> pd.DataFrame:
    """Parse the Solazzo et al. (2021) table.

    Returns
    -------
    DataFrame
        ``iso3, ipcc, gas, emission_kt_co2e, rel_lo, rel_hi`` — the 95 % half-widths below and above the emission as
        fractions [1]; ``attrs`` carry the source and units.

    Raises
    ------
    SourceFormatError
        For missing columns, unknown gases, negative or non-numeric ranges, or overlapping categories.
    """
    path = Path(path)
    raw = pd.read_csv(path)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise SourceFormatError(f"{path.name}: expected columns {list(COLUMNS)}, missing {missing}", SOURCE_ID,
                                path.name)
    out = pd.DataFrame({"iso3": raw["country"].astype(str).str.upper(), "ipcc": raw["sector"].astype(str),
                        "gas": raw["L1"].astype(str),
                        "emission_kt_co2e": pd.to_numeric(raw["emi"], errors="coerce"),
                        "rel_lo": pd.to_numeric(raw["rel.unc.min"], errors="coerce"),
                        "rel_hi": pd.to_numeric(raw["rel.unc.max"], errors="coerce")})
    # a zero emission has no range (CHE landfill CH4, 1 row): nothing to be uncertain about, dropped and counted
    empty = out[["rel_lo", "rel_hi"]].isna().any(axis=1) & (out["emission_kt_co2e"].fillna(0) == 0)
    out = out[~empty].reset_index(drop=True)
    bad_gas = sorted(set(out["gas"]) - set(GASES))
    if bad_gas:
        raise SourceFormatError(f"{path.name}: unknown gases {bad_gas} (expected {list(GASES)})", SOURCE_ID, path.name)
    if out[["rel_lo", "rel_hi"]].isna().any().any() or (out[["rel_lo", "rel_hi"]] < 0).any().any():
        raise SourceFormatError(f"{path.name}: relative ranges must be non-negative numbers", SOURCE_ID, path.name)
    for (iso, gas), codes in out.groupby(["iso3", "gas"])["ipcc"]:
        c = list(codes)
        if any(b != a and b.startswith(a + ".") for a in c for b in c):
            raise SourceFormatError(f"{path.name}: {iso} {gas} lists a category and one of its sub-categories",
                                    SOURCE_ID, path.name)
    out["emission_kt_co2e"] = out["emission_kt_co2e"].fillna(0.0).clip(lower=0.0)
    out.attrs["source"] = SOURCE_ID
    out.attrs["units"] = {"emission_kt_co2e": "kt CO2e (AR4), 2015, weights only", "rel_lo": "1", "rel_hi": "1"}
    out.attrs["interval"] = "95 % confidence interval half-widths"
    out.attrs["dropped_zero_rows"] = int(empty.sum())
    return out


def read_uncertainty(settings: Settings | None = None) -> pd.DataFrame:
    return parse_uncertainty(resolve(SOURCE_ID, FILE, settings))


def pack_items(settings: Settings | None = None) -> dict[str, object]:
    """``solazzo_uncertainty`` (:func:`parse_uncertainty`)."""
    return {"solazzo_uncertainty": read_uncertainty(settings)}


__all__ = ["FILE", "GASES", "SOURCE_ID", "pack_items", "parse_uncertainty", "read_uncertainty"]
