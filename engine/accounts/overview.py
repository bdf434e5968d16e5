"""World-level summaries for the home page: global GHG by gas (EDGAR) and the global carbon budget (GCB).

Pure functions over pack tables; figures are built in ``components``.
"""

from __future__ import annotations

import pandas as pd

from engine.core.units import C_TO_CO2

GAS_ORDER = ("CO2", "CH4", "N2O", "F-gases")


def world_ghg_by_gas(by_sector: pd.DataFrame) -> pd.DataFrame:
    """World GHG emissions (excl. LULUCF) per gas and year, summed over countries and international bunkers.

    Parameters
    ----------
    by_sector : DataFrame
        EDGAR ``edgar_ghg_by_sector`` table (``iso3, sector, gas, year, emissions_mt_co2e, is_aggregate``).

    Returns
    -------
    DataFrame
        ``year, gas, emissions_mt_co2e`` [Mt CO2e yr⁻¹, AR5 GWP100 as published].
    """
    rows = by_sector[~by_sector["is_aggregate"]]
    out = rows.groupby(["year", "gas"], as_index=False)["emissions_mt_co2e"].sum()
    out["gas"] = pd.Categorical(out["gas"], categories=GAS_ORDER, ordered=True)
    out = out.sort_values(["gas", "year"]).reset_index(drop=True)
    out["gas"] = out["gas"].astype(str)
    out.attrs["units"] = {"emissions_mt_co2e": "Mt CO2e yr-1 (AR5 GWP100)"}
    return out


#: Global budget components: (column in the GCB budget table, label, +1 source / -1 sink).
BUDGET_TERMS = (
    ("fossil", "Fossil CO2 emissions", 1),
    ("land_use_change", "Land-use change emissions", 1),
    ("atmospheric_growth", "Atmospheric growth", -1),
    ("ocean_sink", "Ocean sink", -1),
    ("land_sink", "Land sink", -1),
    ("cement_carbonation", "Cement carbonation sink", -1),
    ("budget_imbalance", "Budget imbalance", -1),
)


#: Terms that are neither a source nor a sink: the CO2 that stays in the air (where the rest goes, not something
#: that removes it) and the imbalance that closes the identity.
BUDGET_KINDS = {"atmospheric_growth": "atmosphere", "budget_imbalance": "imbalance"}


def global_budget(budget: pd.DataFrame, year: int) -> pd.DataFrame:
    """The global carbon budget of one year as signed flows.

    Parameters
    ----------
    budget : DataFrame
        GCB global budget table with a ``year`` column and one column per term in GtC yr⁻¹ (see
        :data:`BUDGET_TERMS`; the column names carry a ``_gtc`` suffix in the pack).
    year : int
        Budget year (1959–2023).

    Returns
    -------
    DataFrame
        ``term, kind ("source"|"sink"|"atmosphere"|"imbalance"), gt_c, gt_co2`` with sinks, the atmospheric growth
        and the imbalance negative (where the CO2 goes) [Gt C yr⁻¹], [Gt CO2 yr⁻¹].

    Raises
    ------
    ValueError
        If the year is outside the table.
    """
    years = budget["year"]
    if year not in set(years):
        raise ValueError(f"year {year} is outside the global budget ({years.min()}–{years.max()})")
    row = budget.loc[years == year].iloc[0]
    recs = []
    for col, label, sign in BUDGET_TERMS:
        value = row.get(f"{col}_gtc")
        if value is None or pd.isna(value):
            continue
        recs.append({"term": label, "kind": BUDGET_KINDS.get(col, "source" if sign > 0 else "sink"),
                     "gt_c": sign * float(value)})
    out = pd.DataFrame(recs)
    out["gt_co2"] = out["gt_c"] * C_TO_CO2
    out.attrs["units"] = {"gt_c": "Gt C yr-1", "gt_co2": "Gt CO2 yr-1"}
    return out
