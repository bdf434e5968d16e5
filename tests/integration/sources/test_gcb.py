"""Tests of the Global Carbon Budget 2024 reader (engine/sources/gcb.py) on the real files."""

from __future__ import annotations

import time

import openpyxl
import pandas as pd
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import gcb


@pytest.fixture(scope="module")
def items(settings):
    start = time.perf_counter()
    out = gcb.pack_items(settings)
    out["_seconds"] = time.perf_counter() - start
    return out


def _value(df, iso3, year, col, **where):
    sel = (df["iso3"] == iso3) & (df["year"] == year)
    for key, val in where.items():
        sel &= df[key] == val
    row = df[sel]
    assert len(row) == 1, (iso3, year, where, len(row))
    return float(row[col].iloc[0])


@pytest.mark.parametrize("iso3, expected", [("CHN", 11402.4), ("USA", 5078.2), ("JPN", 1032.7)])
def test_territorial_2022_pinned(items, iso3, expected):
    """Territorial fossil CO2 2022 [Mt CO2] from National_Fossil_Carbon_Emissions_2024v1.0.xlsx (MtC x 3.664):
    gcb2024/PROVENANCE.txt KEY VALUES and REFERENCES.md: CHN 11402.4, USA 5078.2, JPN 1032.7."""
    t = items["gcb_territorial"]
    assert _value(t, iso3, 2022, "emissions_mt_co2") == pytest.approx(expected, abs=0.06)
    assert _value(t, iso3, 2022, "emissions_mtc") == pytest.approx(expected / 3.664, abs=0.02)


@pytest.mark.parametrize(
    "iso3, expected, pct", [("CHN", 10320.1, -10.3), ("USA", 5572.2, 10.7), ("JPN", 1224.9, 15.4)]
)
def test_consumption_2021_pinned(items, iso3, expected, pct):
    """Consumption-based CO2 2021 [Mt CO2] and its difference to territorial: gcb2024/PROVENANCE.txt KEY VALUES
    (CHN 10320.1 = -10.3 %, USA 5572.2 = +10.7 %, JPN 1224.9 = +15.4 % vs territorial)."""
    c = _value(items["gcb_consumption"], iso3, 2021, "emissions_mt_co2")
    t = _value(items["gcb_territorial"], iso3, 2021, "emissions_mt_co2")
    assert c == pytest.approx(expected, abs=0.06)
    assert 100 * (c / t - 1) == pytest.approx(pct, abs=0.06)


def test_territorial_world_closure(items):
    """Countries + Bunkers + Statistical Difference = World (MtC) in every year of the territorial sheet."""
    t = items["gcb_territorial"]
    parts = t[~t["is_aggregate"]].groupby("year")["emissions_mtc"].sum()
    world = t[t["iso3"] == "WLD"].set_index("year")["emissions_mtc"]
    assert (parts - world).abs().max() < 0.5
    assert {"BUNKERS", "STAT_DIFF"} <= set(t["iso3"])
    assert set(t.loc[t["is_aggregate"], "iso3"]) == {"WLD", "EU27"}
    assert not t["iso3"].isin(["OECD", "Africa"]).any()


def test_consumption_coverage_and_world(items):
    """Consumption covers 1990-2021 only (2022-23 rows hold no country), ~120 countries; World consumption equals
    World territorial (global production = global consumption)."""
    c, t = items["gcb_consumption"], items["gcb_territorial"]
    assert c["year"].min() == 1990 and c["year"].max() == 2021
    assert 110 <= c.loc[~c["is_aggregate"] & c["iso3"].str.fullmatch("[A-Z]{3}"), "iso3"].nunique() <= 130
    cw = c[c.iso3 == "WLD"].set_index("year")["emissions_mtc"]
    tw = t[t.iso3 == "WLD"].set_index("year")["emissions_mtc"].loc[cw.index]
    assert (cw - tw).abs().max() < 1e-6


def test_transfers_sign_and_closure(items):
    """Published transfers = territorial - consumption (positive = net exporter): China exports, USA and EU27
    import embodied CO2; the identity holds exactly for most rows and within 2 % of territorial for China."""
    x, c, t = items["gcb_transfers"], items["gcb_consumption"], items["gcb_territorial"]
    assert _value(x, "CHN", 2021, "transfer_mtc") > 0
    assert _value(x, "USA", 2021, "transfer_mtc") < 0
    assert _value(x, "EU27", 2021, "transfer_mtc") < 0
    m = t.merge(c, on=["iso3", "year"], suffixes=("_t", "_c")).merge(x, on=["iso3", "year"])
    resid = m["emissions_mtc_t"] - m["emissions_mtc_c"] - m["transfer_mtc"]
    assert (resid.abs() < 0.01).mean() > 0.7
    china = m[m.iso3 == "CHN"]
    assert (resid[china.index].abs() / china["emissions_mtc_t"]).max() < 0.02


def test_flat_csv_china_2022_and_fuels(items):
    """GCB2024v17_MtCO2_flat.csv: China 2022 Total 11350.5 Mt CO2 (REFERENCES.md; PROVENANCE: v17 vs xlsx
    11402.4); fuels add up to Total; countries + bunkers + others = Global."""
    f = items["gcb_fossil_by_fuel"]
    assert _value(f, "CHN", 2022, "emissions_mt_co2", fuel="Total") == pytest.approx(11350.5, abs=0.06)
    wide = f.pivot_table(index=["iso3", "year"], columns="fuel", values="emissions_mt_co2")
    parts = wide[[x for x in gcb.FUELS if x != "Total"]].sum(axis=1)
    full = wide.dropna()
    assert ((parts[full.index] - full["Total"]).abs() < 0.01 + 1e-4 * full["Total"].abs()).all()
    tot = f[f.fuel == "Total"]
    world = tot[tot.iso3 == "WLD"].set_index("year")["emissions_mt_co2"]
    rest = tot[~tot.is_aggregate].groupby("year")["emissions_mt_co2"].sum()
    assert (rest - world).abs().max() < 0.01
    assert {"BUNKERS_AIR", "BUNKERS_SEA", "XKX", "KUWAIT_OIL_FIRES"} <= set(f["iso3"])
    assert f["year"].min() == 1750 and f["year"].max() == 2023
    assert not f.duplicated(["iso3", "year", "fuel"]).any()


@pytest.mark.parametrize(
    "year, col, expected",
    [
        (2022, "fossil_gtc", 10.178), (2022, "land_use_change_gtc", 0.966), (2022, "atmospheric_growth_gtc", 4.673),
        (2022, "ocean_sink_gtc", 2.723), (2022, "land_sink_gtc", 3.871),
        (2023, "fossil_gtc", 10.314), (2023, "land_use_change_gtc", 0.989), (2023, "atmospheric_growth_gtc", 5.926),
        (2023, "ocean_sink_gtc", 2.881), (2023, "land_sink_gtc", 2.302), (2023, "cement_carbonation_gtc", 0.214),
        (2023, "budget_imbalance_gtc", -0.019),
    ],
)
def test_global_budget_pinned(items, year, col, expected):
    """Global budget [GtC/yr], Global_Carbon_Budget_2024_v1.0.xlsx sheet 'Global Carbon Budget': REFERENCES.md
    table "Global budget (GCB, GtC/yr)", rows GCB 2024 2022 and 2023."""
    b = items["gcb_global_budget"].set_index("year")
    assert b.loc[year, col] == pytest.approx(expected, abs=0.0015)


def test_global_budget_identity(items):
    """fossil + LUC - growth - ocean - land - carbonation = imbalance (REFERENCES.md identity), every year."""
    b = items["gcb_global_budget"]
    lhs = (b.fossil_gtc + b.land_use_change_gtc - b.atmospheric_growth_gtc - b.ocean_sink_gtc - b.land_sink_gtc
           - b.cement_carbonation_gtc)
    assert (lhs - b.budget_imbalance_gtc).abs().max() < 0.002
    assert b["year"].min() == 1959 and b["year"].max() == 2023
    assert b.attrs["units"]["ocean_sink_gtc"] == "GtC/yr"


def test_land_use_change_models(items):
    """National ELUC file: all four bookkeeping models; per model, countries + OTHER + DISPUTED = Global; the mean
    of the four models' Global equals the budget's land-use change term (GCB method)."""
    lu = items["gcb_luc_by_model"]
    assert set(lu["model"]) == {"BLUE", "H&C2023", "OSCAR", "LUCE"}
    assert lu["year"].min() == 1850 and lu["year"].max() == 2023
    assert not lu.duplicated(["iso3", "model", "year"]).any()
    parts = lu[~lu.is_aggregate].groupby(["model", "year"])["eluc_mtc"].sum()
    world = lu[lu.iso3 == "WLD"].set_index(["model", "year"])["eluc_mtc"]
    assert (parts - world).abs().max() < 0.01
    mean_gtc = lu[lu.iso3 == "WLD"].groupby("year")["eluc_mtc"].mean() / 1000
    budget = items["gcb_global_budget"].set_index("year")["land_use_change_gtc"]
    assert (mean_gtc.loc[budget.index] - budget).abs().max() < 1e-4
    assert lu.groupby("model")["iso3"].nunique().min() > 190
    assert (lu["eluc_mt_co2"] / lu["eluc_mtc"]).dropna().round(6).eq(3.664).all()


def test_units_attrs_and_timing(items):
    for key, df in items.items():
        if key.startswith("_"):
            continue
        assert df.attrs["source"] == "gcb2024"
        assert set(df.attrs["units"]) <= set(df.columns), key
    assert items["gcb_territorial"].attrs["units"]["emissions_mtc"] == "MtC/yr"


def test_read_missing_file_says_fetch(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        gcb.read_territorial(empty_settings)
    with pytest.raises(SourceMissingError, match="sources fetch"):
        gcb.read_fossil_by_fuel(empty_settings)


def _workbook(path, sheet, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_parse_missing_sheet_raises(tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", "Consumption Emissions", [[None, "China"], [1990, 1.0]])
    with pytest.raises(SourceFormatError, match="Territorial Emissions"):
        gcb.parse_territorial(path)


def test_parse_no_year_rows_raises(tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", "Territorial Emissions", [["MtC/yr"], [None, "China", "World"]])
    with pytest.raises(SourceFormatError, match="no year rows"):
        gcb.parse_territorial(path)


def test_parse_small_valid_sheet(tmp_path):
    """A minimal sheet in the published layout parses (notes, header row, year rows; header found by position)."""
    rows = [[None, "note"], ["MtC/yr"], [None, "CHINA", "WORLD"], [None, "China", "World"], [2000, 1.0, 2.0]]
    path = _workbook(tmp_path / "ok.xlsx", "Territorial Emissions", rows)
    df = gcb.parse_territorial(path)
    assert set(df["iso3"]) == {"CHN", "WLD"}
    assert _value(df, "CHN", 2000, "emissions_mt_co2") == pytest.approx(3.664)


def test_parse_budget_missing_columns_raises(tmp_path):
    rows = [["GtC/yr"], ["Year", "fossil emissions excluding carbonation", "ocean sink"], [2000, 7.0, 2.0]]
    path = _workbook(tmp_path / "bad.xlsx", "Global Carbon Budget", rows)
    with pytest.raises(SourceFormatError, match="missing columns .*land sink"):
        gcb.parse_global_budget(path)


def test_parse_flat_csv_missing_columns_raises(tmp_path):
    path = tmp_path / "flat.csv"
    pd.DataFrame({"Country": ["China"], "Year": [2000], "Total": [1.0]}).to_csv(path, index=False)
    with pytest.raises(SourceFormatError, match="ISO 3166-1 alpha-3"):
        gcb.parse_fossil_by_fuel(path)


def test_parse_luc_missing_model_sheet_raises(tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", "BLUE", [["unit: Tg C/year", "China", "Global"], [2000, 1.0, 2.0]])
    with pytest.raises(SourceFormatError, match="missing .*H&C2023"):
        gcb.parse_land_use_change(path)
