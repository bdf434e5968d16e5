"""The Atlas's footprint perspective on the real pack (issue 16, item 1): the page's layout and callbacks called
directly (consumer picker and variant switch from the URL, a bad consumer named and replaced by Germany, the legend and
the panel naming the consumer with its share emitted abroad, the tile URL and the shareable search carrying consumer
and variant, the cell click passing them on, the world picture keyed by them) and the map export of two consumers
fired at once, each answer its own consumer's grid."""

from __future__ import annotations

import concurrent.futures as cf
import json
from urllib.parse import parse_qsl

import numpy as np
import pytest
import xarray as xr

from engine.core.query import Query

GASES = ["CO2", "CH4", "N2O", "F-gases"]
EUROPE = "-10,35,30,60"


def _text(component) -> str:
    return json.dumps(component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
                      default=lambda o: o.to_plotly_json(), ensure_ascii=False)


def _find(component, cid):
    """The component with id ``cid`` in a layout tree."""
    if getattr(component, "id", None) == cid:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found = _find(child, cid)
            if found is not None:
                return found
    return None


def _update(app, layer="footprint", consumer="DEU", variant="all", year=2011, sector="all"):
    """The page's server callback as a dict of its outputs."""
    from pages import atlas

    with app.server.test_request_context("/atlas"):
        out = atlas.update_map(layer, sector, GASES, "AR5", year, ["on"], consumer, variant)
    keys = ("legend", "note", "layers", "search", "sector_off", "summary", "gases", "gwp_off", "why", "params_hidden",
            "consumer_off", "variants", "panel")
    assert len(out) == len(keys)
    return dict(zip(keys, out))


def test_layout_restores_consumer_and_variant_from_the_url(app):
    from pages import atlas

    with app.server.test_request_context("/atlas"):
        page = atlas.layout(layer="footprint", consumer="usa", variant="abroad", year="2011")
    picker, switch, box = (_find(page, i) for i in (atlas.ID.CONSUMER, atlas.ID.VARIANT, atlas.ID.PARAMS))
    assert picker.value == "USA" and switch.value == "abroad"
    assert not picker.disabled and not box.hidden
    labels = {o["value"]: o["label"] for o in picker.options}
    assert labels["USA"] == "United States (USA)" and labels["FRA"] == "France and Monaco (FRA)"  # EDGAR names
    assert [o["value"] for o in picker.options[:6]] == ["ROW", "EU27", "G7", "G20", "BRICS", "OECD"]
    assert "OTHER" not in labels and "BUNKERS" not in labels
    assert "The link had a value" not in _text(page)
    tiles = _find(page, atlas.ID.MAP).figure["layout"]["map"]["layers"][0]["source"][0]
    assert "/tiles/footprint/" in tiles and tiles.endswith("?year=2011&consumer=USA&variant=abroad"), tiles


def test_bad_consumer_in_the_url_gives_a_message_and_germany(app):
    from pages import atlas

    with app.server.test_request_context("/atlas"):
        page = atlas.layout(layer="footprint", consumer="XXZ", year="2011")
        bad_variant = atlas.layout(layer="footprint", consumer="FRA", variant="some", year="2011")
    text = _text(page)
    assert "The link had a value Holocarbon cannot use" in text and "consumer must be" in text, text
    assert "'XXZ'" in text and "consumption in Germany instead" in text
    assert _find(page, atlas.ID.CONSUMER).value == "DEU" and _find(page, atlas.ID.LAYER).value == "footprint"
    tiles = _find(page, atlas.ID.MAP).figure["layout"]["map"]["layers"][0]["source"][0]
    assert "consumer=DEU" in tiles and "XXZ" not in tiles
    text = _text(bad_variant)
    assert "variant must be one of all, abroad; got 'some'" in text, text
    assert _find(bad_variant, atlas.ID.VARIANT).value == "all"


@pytest.mark.parametrize("query", [{"consumer": "<script>"}, {"consumer": "x" * 500}, {"variant": ""},
                                   {"layer": "footprint", "consumer": ""}])
def test_odd_consumer_values_never_raise(app, query):
    from pages import atlas

    with app.server.test_request_context("/atlas"):
        page = atlas.layout(**query)
    assert _find(page, atlas.ID.CONSUMER).value == "DEU"
    assert "<script>" not in json.dumps(_find(page, atlas.ID.CONSUMER).options)


def test_other_layers_hide_and_disable_the_consumer_picker(app):
    from pages import atlas

    with app.server.test_request_context("/atlas"):
        page = atlas.layout(layer="emissions", consumer="FRA")
    assert _find(page, atlas.ID.PARAMS).hidden and _find(page, atlas.ID.CONSUMER).disabled
    out = _update(app, layer="emissions", consumer="FRA", year=2015)
    assert out["params_hidden"] and out["consumer_off"] and all(o["disabled"] for o in out["variants"])
    assert out["panel"] is None
    search = dict(parse_qsl(out["search"]["qs"]))
    assert "consumer" not in search and "variant" not in search  # only the choices the layer uses
    assert atlas._tile_params("emissions", "all", Query(year=2015), "FRA", "abroad") == {"year": 2015}


def test_footprint_legend_panel_and_search_name_the_consumer(app):
    fra = _update(app, consumer="FRA")
    assert not fra["params_hidden"] and not fra["consumer_off"]
    legend = _text(fra["legend"])
    assert "Emissions caused by consumption in France and Monaco, 2011 (modelled)" in legend, legend
    panel = _text(fra["panel"])
    assert "kpi-modelled" in panel and "Footprint of France and Monaco" in panel and "Emitted abroad:" in panel, panel
    assert "Not on the map:" in panel and "bunkers" in panel
    assert dict(parse_qsl(fra["search"]["qs"])) == {"year": "2011", "layer": "footprint", "consumer": "FRA"}
    assert "consumption in France" in fra["summary"]

    abroad = _update(app, consumer="FRA", variant="abroad")
    assert "Emissions caused abroad by consumption in France" in _text(abroad["legend"])
    assert dict(parse_qsl(abroad["search"]["qs"]))["variant"] == "abroad"
    deu = _update(app, consumer="DEU")
    share = {}
    for code, out in (("FRA", fra), ("DEU", deu)):
        with app.server.app_context():
            attrs = app.server.config["HOLOCARBON_GRIDS"].layer("footprint", Query(year=2011), consumer=code).attrs
        share[code] = attrs["share_abroad"]
        assert f"{100 * attrs['share_abroad']:.1f} %" in _text(out["panel"])
    assert share["FRA"] != share["DEU"]


def test_unknown_consumer_from_the_picker_is_a_notice_not_an_error(app):
    out = _update(app, consumer="QQQ")
    assert "notice" in _text(out["note"]) and "QQQ" in _text(out["note"])
    assert out["panel"] is None


def test_tile_params_match_the_browser_and_answer(app, client):
    """The server's first tile URL (``_tile_params``) is the one assets/atlas.js writes; the tiles answer 200."""
    from pages import atlas

    p = atlas._tile_params("footprint", "Agriculture", Query(year=2011, gases=("CH4",)), "fra", "abroad")
    assert list(p) == ["year", "gases", "sector", "consumer", "variant"] and p["consumer"] == "FRA"
    assert atlas._tile_params("footprint", "all", Query(year=2011), "FRA", "all") == {"year": 2011,
                                                                                      "consumer": "FRA"}
    assert client.get("/tiles/footprint/2/2/1.png?year=2011&consumer=FRA").status_code == 200
    assert client.get("/tiles/footprint/2/2/1.png?year=2011").status_code == 400  # what the Atlas sent before


def test_cell_click_passes_the_consumer_on(app):
    """A click on Paris on the footprint map gives France's footprint there, not Germany's."""
    from pages import atlas

    values = {}
    for code in ("FRA", "DEU"):
        with app.server.test_request_context("/atlas"):
            panel = atlas.show_cell({"lat": 48.86, "lon": 2.35}, "footprint", "all", GASES, "AR5", 2011, code, "all")
        with app.server.app_context():
            info = app.server.config["HOLOCARBON_GRIDS"].cell_info("footprint", Query(year=2011), 48.86, 2.35,
                                                                    consumer=code)
        values[code] = info["value"]
        assert "Country: " in _text(panel) and "France" in _text(panel)
        from components.atlas import fmt_tonnes

        assert fmt_tonnes(info["value"]) in _text(panel)
    assert values["FRA"] > 10 * values["DEU"] > 0  # Paris's emissions are mostly for French consumers


def test_world_picture_is_keyed_by_consumer_and_variant(app):
    from pages import atlas

    keys = set()
    for consumer, variant in (("DEU", "all"), ("FRA", "all"), ("FRA", "abroad")):
        state = dict(atlas.DEFAULTS, layer="footprint", year=2011, consumer=consumer, variant=variant)
        keys.add(atlas._picture_key(state, Query(year=2011)))
    assert len(keys) == 3 and any("consumer=FRA" in k and "variant=abroad" in k for k in keys), keys
    em = dict(atlas.DEFAULTS, consumer="FRA")
    assert "consumer" not in atlas._picture_key(em, Query(year=2022))


def test_world_picture_of_two_consumers_differ(app):
    from api.tiles import world_picture

    with app.server.app_context():
        grids, settings = app.server.config["HOLOCARBON_GRIDS"], app.server.config["HOLOCARBON_SETTINGS"]
        pics = {c: world_picture(grids, settings, "footprint", Query(year=2011), z=1, consumer=c, variant="all")
                for c in ("DEU", "CHN")}
    assert pics["DEU"].startswith("data:image/webp;base64,") and pics["DEU"] != pics["CHN"]


def _nc_total(data: bytes, path) -> float:
    path.write_bytes(data)
    with xr.open_dataset(path) as ds:
        return float(np.nansum(ds["footprint"].values))


def test_map_export_of_two_consumers_fired_at_once_each_gets_its_own(app, tmp_path):
    """Two footprint exports of Europe (NetCDF and PNG) for France and China, fired concurrently: each answer is
    its own consumer's (the NetCDF sum is that consumer's grid over the window, the PNG names it); before, every
    consumer got the engine default, Germany."""
    with app.server.app_context():
        grids = app.server.config["HOLOCARBON_GRIDS"]
        want = {c: float(grids.layer("footprint", Query(year=2011), consumer=c)
                         .sel(lat=slice(60, 35), lon=slice(-10, 30)).sum()) for c in ("FRA", "CHN")}
    assert want["FRA"] > 1.5 * want["CHN"] > 0  # sharp: France's footprint is mostly emitted in Europe

    urls = [f"/export/map.{fmt}?layer=footprint&year=2011&consumer={c}&bbox={EUROPE}"
            for c in ("FRA", "CHN") for fmt in ("nc", "png")] * 2

    def get(url):
        r = app.server.test_client().get(url)
        return url, r.status_code, r.headers.get("Content-Disposition", ""), r.data

    with cf.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(get, urls))
    for url, status, disposition, data in answers:
        code = "FRA" if "consumer=FRA" in url else "CHN"
        assert status == 200, (url, data[:300])
        assert f"_footprint_{code}_2011." in disposition, disposition
        if url.startswith("/export/map.nc"):
            assert _nc_total(data, tmp_path / f"{len(list(tmp_path.iterdir()))}.nc") == pytest.approx(
                want[code], rel=1e-5), url
    pngs = {url: data for url, _, _, data in answers if ".png" in url}
    fra = [d for u, d in pngs.items() if "FRA" in u]
    assert len(pngs) == 2 and fra[0] != pngs[next(u for u in pngs if "CHN" in u)]


def test_map_export_of_the_footprint_needs_a_consumer(client):
    r = client.get(f"/export/map.png?layer=footprint&year=2011&bbox={EUROPE}")
    assert r.status_code == 400 and "needs a consumer" in r.get_json()["detail"]
    assert "EU27" in r.get_json()["allowed"]
    r = client.get(f"/export/map.png?layer=footprint&year=2011&consumer=NOPE&bbox={EUROPE}")
    assert r.status_code == 400 and "NOPE" in r.get_json()["detail"]


def test_map_export_caption_names_the_consumer(app):
    from api.exports import map_caption
    from engine.maps import layers

    with app.server.app_context():
        da = app.server.config["HOLOCARBON_GRIDS"].layer("footprint", Query(year=2011), consumer="CHN",
                                                         variant="abroad")
    title, subtitle, sources, _ = map_caption(layers.get("footprint"), Query(year=2011), "all", "co2e", da,
                                              (-10.0, 35.0, 30.0, 60.0))
    assert title == "Emissions caused abroad by consumption in China (modelled)", title
    assert subtitle.startswith("2011") and any("Emitted abroad:" in s and "Footprint of China" in s for s in sources)


def test_python_api_passes_the_consumer_on(app):
    """engine.session.Engine.grid and zonal take the footprint's consumer and variant."""
    from engine.session import Engine

    with app.server.app_context():
        cfg = app.server.config
        hc = Engine(cfg["HOLOCARBON_SETTINGS"], cfg["HOLOCARBON_ACCOUNTS"], cfg["HOLOCARBON_GRIDS"], None)
        g = hc.grid("footprint", year=2011, consumer="FRA", variant="abroad")
        z = hc.zonal("footprint", bbox=(-10, 35, 30, 60), year=2011, consumer="FRA")
        z_deu = hc.zonal("footprint", bbox=(-10, 35, 30, 60), year=2011, consumer="DEU")
    assert g.attrs["consumer"] == "FRA" and g.attrs["variant"] == "abroad"
    assert z["total"] != pytest.approx(z_deu["total"], rel=1e-3)
