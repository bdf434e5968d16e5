"""Tests of engine.sources.jrc_co2 on the real JRC WIOD CO2 accounts ('CO2 emissions.xlsx', July 2019 release).

Context values come from ``jrc_wiod_co2/PROVENANCE.txt`` and ``SOURCES.md`` (Known quirks: JRC WIOD CO2); the
other pinned numbers were measured on the registry file (sha256-verified).
"""

from __future__ import annotations

import openpyxl
import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.data.fetch import resolve
from engine.sources import jrc_co2


@pytest.fixture(scope="module")
def co2(settings):
    return jrc_co2.read_co2(settings)


def _value(df, iso3, industry, year):
    sel = df[(df.iso3 == iso3) & (df.industry == industry) & (df.year == year)]
    assert len(sel) == 1
    return float(sel.co2_kt.iloc[0])


def test_coverage(co2):
    """44 region sheets (43 WIOD-2016 countries + RoW) x (56 industries + FC_HH) x 2000-2016 (PROVENANCE.txt)."""
    assert co2.shape == (44 * 57 * 17, 5)
    assert list(co2.columns) == ["iso3", "is_country", "industry", "year", "co2_kt"]
    assert co2.attrs["units"] == {"co2_kt": "kt CO2"} and co2.attrs["source"] == "jrc_wiod_co2"
    assert co2.iso3.nunique() == 44 and co2.industry.nunique() == 57
    assert sorted(co2.year.unique()) == list(range(2000, 2017))
    assert not co2.duplicated(["iso3", "industry", "year"]).any()
    assert co2.co2_kt.notna().all() and (co2.co2_kt >= 0).all()
    assert "FC_HH" in set(co2.industry) and len(jrc_co2.INDUSTRIES) == 56


def test_regions(co2):
    """SOURCES.md: CHE, HRV, NOR are separate here; Romania is ROU (ROM in WIOD 2013); RoW kept as ROW, flagged."""
    codes = set(co2.iso3)
    assert {"CHE", "HRV", "NOR", "ROU", "ROW"} <= codes and "ROM" not in codes and "RoW" not in codes
    assert set(co2.loc[~co2.is_country, "iso3"]) == {"ROW"}
    assert all(len(c) == 3 and c.isupper() for c in codes)


def test_china_power_2016(co2):
    """PROVENANCE.txt '2016 context: CHN D35 (power) ~4.1-4.2 Gt'; measured 4,204.3 Mt."""
    v = _value(co2, "CHN", "D35", 2016) / 1e3
    assert 4100 <= v <= 4250
    assert v == pytest.approx(4204.31, abs=0.5)


def test_china_cement_break(co2):
    """SOURCES.md: break in CHN non-metallic minerals (C23) 1.83 -> 0.72 Gt. In this file the drop is between
    2014 (1,825.8 Mt) and 2015 (715.9 Mt); 2016 is 675.9 Mt."""
    y14, y15, y16 = (_value(co2, "CHN", "C23", y) / 1e3 for y in (2014, 2015, 2016))
    assert y14 == pytest.approx(1825.83, abs=0.5)
    assert y15 == pytest.approx(715.91, abs=0.5)
    assert y16 == pytest.approx(675.92, abs=0.5)
    assert y15 / y14 < 0.45


def test_world_totals_by_year(co2):
    """World (44 regions, incl. FC_HH) total. 2009 = 32,071 Mt matches PROVENANCE.txt of wiod2013 ('world PBA
    32071'); other years measured on the file."""
    world = co2.groupby("year")["co2_kt"].sum() / 1e3
    expected = {2000: 25697.19, 2005: 30049.77, 2009: 32071.21, 2011: 35013.38, 2014: 36525.65, 2016: 36652.27}
    for year, mt in expected.items():
        assert world[year] == pytest.approx(mt, abs=0.5), year
    assert world[2009] < world[2008]  # financial-crisis dip


def test_country_totals_2016(co2):
    """Measured 2016 totals [Mt CO2] incl. household direct emissions; RoW is the largest 'region'."""
    tot = co2[co2.year == 2016].groupby("iso3", observed=True)["co2_kt"].sum() / 1e3
    expected = {"CHN": 8884.80, "USA": 5266.20, "ROW": 9609.44, "IND": 2065.74, "DEU": 865.55,
                "CHE": 45.04, "HRV": 18.22, "NOR": 50.35}
    for iso, mt in expected.items():
        assert tot[iso] == pytest.approx(mt, abs=0.05), iso
    hh = co2[(co2.year == 2016) & (co2.industry == "FC_HH")].co2_kt.sum() / 1e3
    assert hh == pytest.approx(5169.34, abs=0.5)


def test_industries_match_sector_sheet(settings):
    """INDUSTRIES equals the 'Sector' sheet of the workbook (names stripped of trailing blanks)."""
    sec = jrc_co2.parse_sectors(resolve(jrc_co2.SOURCE_ID, jrc_co2.FILENAME, settings))
    assert list(sec.industry) == list(jrc_co2.ROW_CODES)
    assert dict(zip(sec.industry[:56], sec.name[:56])) == dict(jrc_co2.INDUSTRIES)


def test_pack_items(settings):
    items = jrc_co2.pack_items(settings)
    assert set(items) == {"jrc_co2", "jrc_co2_industries"}
    assert len(items["jrc_co2"]) == 42636 and len(items["jrc_co2_industries"]) == 57


def test_read_missing(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        jrc_co2.read_co2(empty_settings)


def test_not_xlsx(tmp_path):
    p = tmp_path / "CO2 emissions.xlsx"
    p.write_text("not a workbook")
    with pytest.raises(SourceFormatError, match="CO2 emissions.xlsx: not a readable .xlsx"):
        jrc_co2.parse_co2(p)


def _workbook(path, sheets, aut_rows=None):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    for name in sheets:
        ws = wb.create_sheet(name)
        if name == "AUT" and aut_rows is not None:
            for r in aut_rows:
                ws.append(r)
    wb.save(path)


def test_missing_region_sheets(tmp_path):
    p = tmp_path / "co2.xlsx"
    _workbook(p, ["AUT", "BEL", "XYZ"])
    with pytest.raises(SourceFormatError, match=r"expected one sheet per region.*missing \['BGR'.*unexpected \['XYZ'\]"):
        jrc_co2.parse_co2(p)


def test_bad_sheet_content(tmp_path):
    header = [None, *[str(y) for y in range(2000, 2017)]]
    rows = [header] + [[c, *([1.0] * 17)] for c in jrc_co2.ROW_CODES]
    rows[5][3] = "n/a"
    p = tmp_path / "co2.xlsx"
    _workbook(p, jrc_co2.REGIONS, rows)
    with pytest.raises(SourceFormatError, match=r"sheet 'AUT' row 'C10-C12' has a non-numeric value 'n/a'"):
        jrc_co2.parse_co2(p)
    rows = [header[:-1]] + [[c, *([1.0] * 16)] for c in jrc_co2.ROW_CODES]
    _workbook(p, jrc_co2.REGIONS, rows)
    with pytest.raises(SourceFormatError, match=r"sheet 'AUT' header has years .*expected 2000-2016"):
        jrc_co2.parse_co2(p)
    rows = [header] + [[c, *([1.0] * 17)] for c in jrc_co2.ROW_CODES if c != "D35"]
    _workbook(p, jrc_co2.REGIONS, rows)
    with pytest.raises(SourceFormatError, match=r"missing \['D35'\]"):
        jrc_co2.parse_co2(p)
