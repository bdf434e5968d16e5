"""The headline comparison: Holocarbon's consumption-vs-production adjustment for 2022 beside the published
"panoramic" claim and the Global Carbon Budget, with a one-line reason for each difference.

Published values (REFERENCES.md):

- CAS "panoramic" accounting, 2022 GHG, adjustment versus IPCC production accounting: China −17.7 %, USA +15.2 %,
  Japan +7.2 % (no published figure for the EU27 or India).
- GCB 2024 with OWID processing, 2022 CO2: computed here from the pack's OWID table (China −9.2 %, USA +11.1 %,
  Japan +15.9 %, EU27 +26.6 %, India −9.3 %).
"""

from __future__ import annotations

import pandas as pd

from engine.accounts.ledger import Accounts
from engine.core.query import GWP_LABELS, Query

HEADLINE_YEAR = 2022
HEADLINE_REGIONS = (("CHN", "China"), ("USA", "United States"), ("JPN", "Japan"), ("EU27", "European Union (27)"),
                    ("IND", "India"))
PANORAMIC_CLAIM_PCT = {"CHN": -17.7, "USA": 15.2, "JPN": 7.2}


def _terms(accounts: Accounts, q: Query, code: str) -> tuple[float, float, float]:
    """(production, consumption, bunker fuel inside consumption) of one region [Mt CO2e]."""
    grouping = "EU27" if code == "EU27" else "countries"
    led = accounts.ledger(q.replace(grouping=grouping)).set_index("region")
    row = led.loc[code]
    return (float(row["production_mt_co2e"]), float(row["consumption_mt_co2e"]),
            float(row["bunkers_in_consumption_mt_co2e"]))


def _pct(a: float, b: float) -> float:
    return 100.0 * (a / b - 1.0)


def gcb_adjustments(owid_pvc: pd.DataFrame, year: int = HEADLINE_YEAR) -> dict[str, float]:
    """Consumption vs territorial CO2 [%] from OWID's processing of GCB 2024."""
    d = owid_pvc[owid_pvc["year"] == year].set_index("iso3")
    return {c: float(d.loc[c, "consumption_vs_territorial_pct"]) for c, _ in HEADLINE_REGIONS if c in d.index}


def headline(accounts: Accounts, gwp: str = "AR5") -> pd.DataFrame:
    """One row per headline region with Holocarbon's GHG and CO2-only adjustments, the claim and GCB [%].

    Returns
    -------
    DataFrame
        ``region, name, holocarbon_ghg_pct`` (all gases, consumption incl. embodied bunker fuel),
        ``holocarbon_co2_pct`` (CO2, same boundary), ``holocarbon_co2_gcb_boundary_pct`` (CO2, bunker fuel left
        out as in GCB), ``panoramic_claim_pct, gcb_co2_pct, method, reason``; ``attrs["notes"]`` explains.
    """
    q = Query(year=HEADLINE_YEAR, gwp=gwp)
    q_co2 = q.replace(gases=("CO2",))
    gcb = gcb_adjustments(accounts.pack.table("owid_co2_production_vs_consumption"))
    rows = []
    for code, name in HEADLINE_REGIONS:
        p, c, _ = _terms(accounts, q, code)
        p2, c2, b2 = _terms(accounts, q_co2, code)
        ghg, co2, co2_gcb = _pct(c, p), _pct(c2, p2), _pct(c2 - b2, p2)
        claim = PANORAMIC_CLAIM_PCT.get(code)
        g = gcb.get(code)
        parts = [f"gases {ghg - co2:+.1f} pp (all GHGs vs CO2 only)",
                 f"bunker fuel {co2 - co2_gcb:+.1f} pp (embodied international aviation and shipping, left out by GCB)"]
        if g is not None:
            parts.append(f"model and year {co2_gcb - g:+.1f} pp vs GCB (WIOD 2013 with the 2011 structure nowcast "
                         "to 2022 vs GCB's GTAP-based MRIO; EDGAR vs GCB emissions)")
        if claim is not None:
            parts.append(f"{ghg - claim:+.1f} pp vs the claim (its MRIO, year and boundary are not published)")
        else:
            parts.append("no published CAS figure")
        rows.append({"region": code, "name": name, "holocarbon_ghg_pct": ghg, "holocarbon_co2_pct": co2,
                     "holocarbon_co2_gcb_boundary_pct": co2_gcb, "panoramic_claim_pct": claim, "gcb_co2_pct": g, "method": "nowcast (structure of 2011)",
                     "reason": "; ".join(parts)})
    out = pd.DataFrame(rows)
    out.attrs["notes"] = [
        f"Holocarbon: consumption vs production, {HEADLINE_YEAR}, {GWP_LABELS[gwp]}, EDGAR 2024 emissions, WIOD 2013 "
        "with the 2011 structure (nowcast).",
        "CAS claim: announcement of 8 April 2026, 2022 GHG (see Data & methods, claims we test); GCB: Global Carbon Budget 2024 with "
        "OWID processing, CO2 only.",
    ]
    return out
