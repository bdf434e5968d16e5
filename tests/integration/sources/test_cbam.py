"""Tests of engine.sources.cbam on the real files.

Reference values: REFERENCES.md "CBAM default values" (Commission Implementing Regulation (EU) 2025/2621, Annex I,
before mark-ups) and cbam_2025_2621/PROVENANCE.txt samples.
"""

from __future__ import annotations

import pytest

from engine.core.errors import SourceFormatError, SourceMissingError
from engine.sources import cbam


@pytest.fixture(scope="module")
def items(settings):
    return cbam.pack_items(settings)


@pytest.fixture(scope="module")
def tab(items):
    return items["cbam_default_values"]


def dv(tab, iso3, cn, year=None, **kw):
    return cbam.default_value(iso3, cn, year, table=tab, **kw)


@pytest.mark.parametrize("iso3, total", [("CHN", 3.19), ("IND", 4.28), ("RUS", 3.43), ("TUR", 2.43), ("GBR", 2.42),
                                         ("KOR", 2.12), ("JPN", 2.10), ("CAN", 1.43), ("USA", 1.40)])
def test_7208_hot_rolled_flat(tab, iso3, total):
    """REFERENCES.md: CN 7208 hot-rolled flat steel, IR 2025/2621 Annex I total before mark-up [t CO2e/t]
    (China 3.187 in the file, published rounded as 3.19)."""
    assert dv(tab, iso3, "7208") == pytest.approx(total, abs=0.005)


def test_7208_china_exact(tab):
    """PROVENANCE.txt: China 7208 flat-rolled 3.187 (route C); 2026 with +10 % mark-up 3.506."""
    d = cbam.default_value_detail("CHN", "7208", None, table=tab)
    assert (d["total"], d["route"], d["fallback"]) == (3.187, "C", False)
    assert dv(tab, "CHN", "7208", 2026) == pytest.approx(3.506)
    # An 8-digit CN code of the heading resolves to the 4-digit Annex row.
    assert dv(tab, "CHN", "7208 10 00") == pytest.approx(3.187)


@pytest.mark.parametrize("iso3, cn, total", [("CHN", "7207 12 10", 3.17), ("JPN", "7207 12 10", 2.10),
                                             ("USA", "7207 12 10", 1.39), ("CHN", "7206 10 00", 1.74),
                                             ("IND", "7206 10 00", 2.64), ("USA", "7206 10 00", 1.33)])
def test_semi_finished_and_ingots(tab, iso3, cn, total):
    """REFERENCES.md: CN 7207 12 10 semi-finished steel and CN 7206 10 00 ingots, Annex I totals."""
    assert dv(tab, iso3, cn) == pytest.approx(total, abs=0.005)
    assert dv(tab, iso3, cn.replace(" ", "")) == dv(tab, iso3, cn)


def test_provenance_samples(tab):
    """PROVENANCE.txt samples (China): grey clinker 1.39, grey cement 1.42, anhydrous ammonia 4.36, urea 2.85,
    unwrought Al 3.0 (route K), hydrogen 26.64, pig iron 1.66; India unwrought Al 1.87; Albania grey clinker
    0.87 (A); Algeria 7601 0.36 (L), hydrogen 10.82, 7208 3.0 (C)."""
    assert dv(tab, "CHN", "2523 10 00", description="grey") == pytest.approx(1.39)
    assert dv(tab, "CHN", "2523 29 00") == pytest.approx(1.42)
    assert dv(tab, "CHN", "2814 10 00") == pytest.approx(4.36)
    assert dv(tab, "CHN", "3102 10 19") == pytest.approx(2.85)
    al = cbam.default_value_detail("CHN", "7601", None, table=tab)
    assert (al["total"], al["route"]) == (3.0, "K")
    assert dv(tab, "CHN", "2804 10 00") == pytest.approx(26.64)
    assert dv(tab, "CHN", "7201") == pytest.approx(1.66, abs=0.005)
    assert dv(tab, "IND", "7601") == pytest.approx(1.87)
    assert dv(tab, "ALB", "2523 10 00", route="A") == pytest.approx(0.87)
    alg = cbam.default_value_detail("DZA", "7601", None, table=tab)
    assert (alg["total"], alg["route"]) == (0.36, "L")
    assert dv(tab, "DZA", "2804 10 00") == pytest.approx(10.82)
    assert dv(tab, "DZA", "7208") == pytest.approx(3.0)


def test_markup_rules(tab):
    """Mark-ups of IR 2025/2621: +10 % 2026, +20 % 2027, +30 % from 2028 (fertilisers +1 %)."""
    base = dv(tab, "USA", "7208")
    assert dv(tab, "USA", "7208", 2026) == pytest.approx(base * 1.1, abs=0.002)
    assert dv(tab, "USA", "7208", 2027) == pytest.approx(base * 1.2, abs=0.002)
    assert dv(tab, "USA", "7208", 2028) == pytest.approx(base * 1.3, abs=0.002)
    assert dv(tab, "USA", "7208", 2034) == dv(tab, "USA", "7208", 2028)
    assert dv(tab, "CHN", "2814 10 00", 2028) == pytest.approx(4.36 * 1.01, abs=0.002)
    with pytest.raises(ValueError, match="2026"):
        dv(tab, "USA", "7208", 2025)


def test_fallback_rules(tab):
    """DASH -> "Other Countries and Territories"; a country absent from Annex I also uses the fallback."""
    other = tab[(tab["iso3"] == cbam.FALLBACK_CODE) & (tab["cn_code"] == "7208")]["total"].iloc[0]
    d = cbam.default_value_detail("FRA", "7208", None, table=tab)
    assert d["fallback"] and d["country"] == cbam.FALLBACK_COUNTRY and d["total"] == other == 4.049
    alb = cbam.default_value_detail("ALB", "2523 21 00", 2026, table=tab)  # DASH row with shifted mark-ups
    assert alb["fallback"] and alb["total"] == pytest.approx(1.45) and alb["value"] == pytest.approx(1.595)
    with pytest.raises(ValueError, match="description"):
        dv(tab, "CHN", "2523 10 00")
    with pytest.raises(KeyError):
        dv(tab, "CHN", "0101")


def test_annex_i_shape(tab):
    """PROVENANCE.txt: 11,391 rows, 118 countries + fallback; DASH/NA become NaN with a status column."""
    assert len(tab) == 11_391
    assert tab["iso3"].nunique() == 119 and (tab["iso3"] == cbam.FALLBACK_CODE).sum() > 0
    assert tab["sector"].value_counts().to_dict() == {"Iron and steel": 6600, "Fertilisers": 2442,
                                                      "Aluminium": 1632, "Cement": 627, "Hydrogen": 90}
    assert tab.attrs["units"]["total"] == "t CO2e/t" and tab.attrs["source"] == cbam.SOURCE_ID
    assert not tab.duplicated(["iso3", "cn_code", "description"]).any()
    assert (tab["value_status"] == "dash").sum() == 465 and tab.loc[tab["value_status"] == "dash", "total"].isna().all()
    assert (tab["indirect_status"] == "na").sum() == 8222
    assert tab.loc[tab["value_status"] == "dash", "markup_2026"].isna().all()
    fb = tab[tab["iso3"] == cbam.FALLBACK_CODE]
    assert fb["total"].notna().all(), "the fallback table must have a value for every good"
    assert set(tab["cn_digits"].str.len()) == {4, 6, 8}


def test_other_tables(items):
    """REFERENCES.md: primary aluminium CBAM benchmark 1.423 (IR 2025/2620); Annex IV 7208 highest 8.230."""
    bm = items["cbam_benchmarks"]
    al = bm[(bm["cn_code"] == "7601 10 10") & (bm["route"] == "K")]["benchmark_t_co2e_per_t"]
    assert set(al) == {1.423}
    assert bm["benchmark_t_co2e_per_t"].notna().all() and set(bm["column"]) == {"A", "B"}
    iv = items["cbam_annex_iv"]
    assert len(iv) == 260
    assert float(iv.loc[iv["cn_code"] == "7208", "highest"].iloc[0]) == pytest.approx(8.23)
    goods = items["cbam_goods"]
    assert len(goods) == 569 and goods["cn_digits"].str.fullmatch(r"\d{8}").all()


def test_missing_file(empty_settings):
    with pytest.raises(SourceMissingError, match="sources fetch"):
        cbam.read_default_values(empty_settings)


def test_malformed_files(tmp_path):
    csv = tmp_path / "annex.csv"
    csv.write_text("country,sector,cn_code\nChina,Cement,2523 10 00\n")
    with pytest.raises(SourceFormatError, match=r"annexI\.csv.*missing"):
        cbam.parse_default_values(csv)
    csv.write_text(",".join(cbam.ANNEX_I_COLUMNS) + "\nChina,Cement,2523,x,abc,0,1,1,1,1,A\n")
    with pytest.raises(SourceFormatError, match="neither numbers nor DASH/NA"):
        cbam.parse_default_values(csv)
    js = tmp_path / "b.json"
    js.write_text('{"not": "a list"}')
    with pytest.raises(SourceFormatError, match="benchmarks_2620.json"):
        cbam.parse_benchmarks(js)
    with pytest.raises(SourceFormatError, match="annex_iv"):
        cbam.parse_annex_iv(js)
    js.write_text("{broken")
    with pytest.raises(SourceFormatError, match="not valid JSON"):
        cbam.parse_goods(js)
