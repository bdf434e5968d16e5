"""Capacity factors and displaced grid intensities of the destinations.

Observed PV capacity factor (country c, year y): ``CF = TWh_y / (mean(GW_{y-1}, GW_y) · 8.76)`` with solar
generation from ``ember_owid_electricity_generation`` and cumulative capacity from ``owid_solar_capacity`` (which
ends in 2020): the latest year ≤ the export year with both, clipped to the table's plausible range and flagged.
Countries without it take their Ember region's fallback factor (``pv_cf_<region>`` rows); wind always takes its
region's factor (``wind_cf_<region>``).

Displaced intensity: the destination's Ember average of the export year (the nearest earlier year carried, else
the nearest later one, and said), or its fossil margin (coal, gas and oil shares of the latest generation year ≤
the export year, times fuel intensities). Destinations without Ember data take the mean over their Ember region's
countries (the world's when they have no region) and say so in ``intensity_source``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.sources.electricity import FOSSIL_SOURCES

#: Smallest start-of-year capacity for an observed factor [GW] (below it, additions within the year dominate).
MIN_OBSERVED_GW = 0.05


def observed_pv_cf(capacity: pd.DataFrame, generation: pd.DataFrame) -> pd.DataFrame:
    """Observed PV capacity factors of every country and year with both tables.

    Parameters
    ----------
    capacity : DataFrame
        ``owid_solar_capacity`` (``iso3``, ``year``, ``capacity_gw`` [GW at year end]).
    generation : DataFrame
        ``ember_owid_electricity_generation`` (long; ``source == "solar"`` rows used) [TWh].

    Returns
    -------
    DataFrame
        ``iso3``, ``year``, ``capacity_factor`` [1] (unclipped).
    """
    cap = capacity[["iso3", "year", "capacity_gw"]].copy()
    prev = cap.assign(year=cap["year"] + 1).rename(columns={"capacity_gw": "start_gw"})
    cap = cap.merge(prev, on=["iso3", "year"], how="inner")
    solar = generation[generation["source"] == "solar"][["iso3", "year", "generation_twh"]]
    d = cap.merge(solar, on=["iso3", "year"], how="inner")
    d = d[(d["start_gw"] >= MIN_OBSERVED_GW) & (d["generation_twh"] > 0)]
    d["capacity_factor"] = d["generation_twh"] / ((d["start_gw"] + d["capacity_gw"]) / 2.0 * 8.76)
    return d[["iso3", "year", "capacity_factor"]].reset_index(drop=True)


def pv_capacity_factors(dest: pd.DataFrame, observed: pd.DataFrame, year: int, clip: tuple[float, float],
                        fallback_param) -> pd.DataFrame:
    """The PV capacity factor of each destination: observed where possible, else its region's fallback row.

    Parameters
    ----------
    dest : DataFrame
        Destinations (``iso3``, ``region``).
    observed : DataFrame
        :func:`observed_pv_cf`.
    year : int
        Export year (the latest observed year ≤ it is used).
    clip : (float, float)
        Plausible range [1]; an observed factor outside is clipped and flagged.
    fallback_param : callable
        region (str or None) -> (parameter name, value [1]).

    Returns
    -------
    DataFrame
        ``cf_base`` [1], ``cf_param`` (table row whose draws scale it), ``capacity_factor_source``, in ``dest`` order.
    """
    obs = observed[observed["year"] <= year].sort_values("year").groupby("iso3").last()
    rows = []
    for iso3, region in zip(dest["iso3"], dest["region"]):
        if iso3 in obs.index:
            cf, y = float(obs.loc[iso3, "capacity_factor"]), int(obs.loc[iso3, "year"])
            clipped = float(np.clip(cf, *clip))
            src = f"observed {y}" + (f", clipped from {cf:.3f} to {clipped:.2f}" if clipped != cf else "")
            rows.append((clipped, "pv_cf_observed_factor", src))
        else:
            name, value = fallback_param(region)
            rows.append((value, name, f"fallback: {region or 'world'} typical factor ({name})"))
    return pd.DataFrame(rows, columns=["cf_base", "cf_param", "capacity_factor_source"], index=dest.index)


def nearest_year_value(series: pd.Series, year: int) -> tuple[float, int] | None:
    """The value of the latest year ≤ ``year``, else of the earliest later year: (value, year), or None."""
    s = series.dropna()
    if s.empty:
        return None
    before = s[s.index <= year]
    y = int(before.index.max()) if len(before) else int(s.index.min())
    return float(s.loc[y]), y


def average_intensities(dest: pd.DataFrame, intensity: pd.DataFrame, year: int) -> pd.DataFrame:
    """Ember average grid intensity of each destination (nearest year carried; region mean as fallback).

    Parameters
    ----------
    dest : DataFrame
        ``iso3``, ``region``.
    intensity : DataFrame
        ``ember_owid_electricity_carbon_intensity`` [g CO2e kWh⁻¹].
    year : int

    Returns
    -------
    DataFrame
        ``intensity_base`` [g CO2e kWh⁻¹], ``intensity_source``, in ``dest`` order.
    """
    wide = intensity.pivot_table(index="year", columns="iso3", values="intensity_g_co2e_per_kwh")
    latest = {}
    for iso3 in wide.columns:
        v = nearest_year_value(wide[iso3], year)
        if v is not None:
            latest[iso3] = v
    return _with_fallback(dest, latest, year, "Ember {y} average", "Ember")


def _with_fallback(dest, known: dict, year: int, label: str, what: str) -> pd.DataFrame:
    """Known values per iso3 (value, year) -> column for every destination, region means for the rest."""
    regions = dict(zip(dest["iso3"], dest["region"]))
    region_of = {iso3: r for iso3, r in regions.items()}
    by_region: dict[str, list[float]] = {}
    for iso3, (v, _y) in known.items():
        r = region_of.get(iso3)
        if r is not None and iso3 in regions:
            by_region.setdefault(r, []).append(v)
    world = known.get("WLD")
    rows = []
    for iso3, region in zip(dest["iso3"], dest["region"]):
        if iso3 in known:
            v, y = known[iso3]
            src = label.format(y=y) + ("" if y == year else f" (nearest year to {year})")
            rows.append((v, src))
        elif region and by_region.get(region):
            vals = by_region[region]
            rows.append((float(np.mean(vals)), f"fallback: mean of {len(vals)} {region} destinations with {what} data"))
        elif world is not None:
            rows.append((world[0], f"fallback: world {what} {world[1]}"))
        else:
            all_vals = [v for v, _ in known.values()]
            rows.append((float(np.mean(all_vals)) if all_vals else np.nan, f"fallback: mean of all {what} data"))
    return pd.DataFrame(rows, columns=["intensity_base", "intensity_source"], index=dest.index)


def fossil_shares(dest: pd.DataFrame, generation: pd.DataFrame, year: int) -> tuple[np.ndarray, list[str]]:
    """Coal, gas and oil shares of each destination's fossil generation (latest year ≤ ``year``, else earliest).

    Returns
    -------
    (ndarray of shape (destinations, 3) [1], list of str)
        Shares (rows sum to 1) and a source label per destination; destinations without fossil generation data take
        the mean shares of their region's destinations (else the world's).
    """
    g = generation[generation["source"].isin(FOSSIL_SOURCES)]
    wide = g.pivot_table(index=["iso3", "year"], columns="source", values="generation_twh", aggfunc="sum")
    wide = wide.reindex(columns=list(FOSSIL_SOURCES)).fillna(0.0)
    wide = wide[wide.sum(axis=1) > 0]
    known = {}
    for iso3, block in wide.groupby(level="iso3"):
        years = block.index.get_level_values("year")
        before = years[years <= year]
        y = int(before.max()) if len(before) else int(years.min())
        row = block.xs(y, level="year").iloc[0].to_numpy(dtype=float)
        known[iso3] = (row / row.sum(), y)
    regions = dict(zip(dest["iso3"], dest["region"]))
    by_region: dict[str, list[np.ndarray]] = {}
    for iso3, (s, _y) in known.items():
        if iso3 in regions and regions[iso3]:
            by_region.setdefault(regions[iso3], []).append(s)
    out, labels = [], []
    for iso3, region in zip(dest["iso3"], dest["region"]):
        if iso3 in known:
            s, y = known[iso3]
            out.append(s)
            labels.append(f"fossil margin: Ember {y} coal/gas/oil mix x IPCC 2006 fuel factors")
        elif region and by_region.get(region):
            out.append(np.mean(by_region[region], axis=0))
            labels.append(f"fallback: fossil margin of the mean {region} coal/gas/oil mix")
        elif "WLD" in known:
            out.append(known["WLD"][0])
            labels.append(f"fallback: fossil margin of the world {known['WLD'][1]} coal/gas/oil mix")
        else:
            out.append(np.array([1.0, 0.0, 0.0]))
            labels.append("fallback: fossil margin of coal")
    return np.vstack(out) if out else np.zeros((0, 3)), labels
