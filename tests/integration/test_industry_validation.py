"""The industry section of the validation report: the modelled-vs-EDGAR table of the 20 largest producers and the
claim table (China and the ten largest exporters to the EU), computed by engine.validation and printed in
docs/validation.md (section 8) with the same numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def industry(accounts):
    from engine.validation import industry_results

    return industry_results(accounts)


def test_twenty_largest_producers_with_plausible_coverage(industry):
    """EDGAR's Processes + Industrial Combustion hold all of industry (chemicals, lime, glass, food, paper...), so the
    steel + cement + aluminium share lies below 1 for economies with large other industry and near or below 1 for
    steel- and cement-heavy ones (CHN about 0.7)."""
    cov = industry["coverage"]
    assert len(cov) == 20 and cov["iso3"].iloc[0] == "CHN"
    assert {"IND", "JPN", "USA"} <= set(cov["iso3"])
    assert (cov["modelled_mt_lo"] <= cov["modelled_mt"]).all() and (cov["modelled_mt"] <= cov["modelled_mt_hi"]).all()
    chn = cov.set_index("iso3").loc["CHN"]
    assert 0.5 < chn["coverage"] < 0.9
    assert (cov["coverage"] < 1.3).all()


def test_claim_table_counts_china_and_ten_exporters(industry):
    totals = industry["claim_totals"].set_index("iso3")
    assert len(totals) == 11 and "CHN" in totals.index
    assert (totals["above"] + totals["inside"] + totals["below"] == totals["modelled"]).all()
    assert totals.loc["CHN", "share_above_pct"] > 50  # the defaults lie above our range for most Chinese goods


def test_the_report_prints_the_same_numbers(industry):
    text = (ROOT / "docs" / "validation.md").read_text()
    assert "## 8. Industry and CBAM" in text
    t = industry["claim_totals"].set_index("iso3").loc["CHN"]
    assert f"| CHN | {int(t['above'])} | {int(t['inside'])} | {int(t['below'])} | {int(t['modelled'])} |" in text
    chn = industry["coverage"].set_index("iso3").loc["CHN"]
    assert f"| CHN | {chn['crude_steel_kt'] / 1000:,.1f} |" in text and f"| {chn['coverage']:,.2f} |" in text
