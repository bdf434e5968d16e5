"""Tile geometry and pyramids (engine.maps.pyramid), colour maps and PNG tiles (components.render) on small
synthetic grids."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from components.render.colormaps import COLORMAPS
from components.render.tiles import render_png
from engine.maps import layers
from engine.maps import pyramid as tiles
from engine.maps.pyramid import check_tile, pyramid, sample_tile, tile_lonlat


def test_tile_address_checks():
    check_tile(0, 0, 0)
    check_tile(3, 7, 7)
    with pytest.raises(ValueError, match=r"zoom must be in 0–12; got 13"):
        check_tile(13, 0, 0)
    with pytest.raises(ValueError, match=r"at zoom 2, x and y must be in 0–3; got x=4, y=0"):
        check_tile(2, 4, 0)
    with pytest.raises(ValueError, match="x and y"):
        check_tile(1, 0, -1)


def test_tile_pixel_centres_cover_the_mercator_world():
    lon, lat = tile_lonlat(0, 0, 0)
    assert lon[0] == pytest.approx(-180 + 360 / 512) and lon[-1] == pytest.approx(180 - 360 / 512)
    assert 84 < lat[0] < 85.06 and -85.06 < lat[-1] < -84
    assert np.all(np.diff(lat) < 0)


def test_pyramid_block_means_preserve_mean():
    g = np.random.default_rng(0).random((1800, 3600)).astype(np.float32)
    levels = pyramid(g)
    assert [lv.shape for lv in levels] == [(1800, 3600), (900, 1800), (450, 900), (225, 450), (120, 240)]
    for lv in levels[1:]:
        assert lv.mean(dtype=np.float64) == pytest.approx(g.mean(dtype=np.float64), rel=1e-5)


def test_sample_tile_picks_the_value_under_each_pixel():
    g = np.zeros((1800, 3600), dtype=np.float32)
    g[500, 2000] = 5.0  # lat 39.95, lon 20.05
    levels = pyramid(g)
    z = 8
    n = 1 << z
    x = int((20.05 + 180) / 360 * n)
    lat = np.radians(39.95)
    y = int((1 - np.log(np.tan(lat) + 1 / np.cos(lat)) / np.pi) / 2 * n)
    v = sample_tile(levels, z, x, y)
    assert v.max() == 5.0 and (v > 0).sum() > 10  # zoom 8 pixels are 0.005°: the 0.1° grid itself
    n3 = 1 << 3
    v3 = sample_tile(levels, 3, int((20.05 + 180) / 360 * n3), int((1 - np.log(np.tan(lat) + 1 / np.cos(lat)) / np.pi)
                                                                    / 2 * n3))
    assert v3.max() == pytest.approx(5.0 / 4)  # zoom 3 pixels are 0.18°: the 0.2° level (2x2 block mean)
    # zoom 0 pixels are 1.4°: the 1.5° level, so the single cell is never skipped (15x15 block mean)
    assert sample_tile(levels, 0, 0, 0).max() == pytest.approx(5.0 / 225)
    assert sample_tile(levels, 4, 8, 6).shape == (256, 256)


def test_log_colormap_is_monotonic_and_transparent_for_empty():
    cm = COLORMAPS["emissions"]
    idx = cm.index(np.array([0.0, np.nan, -5.0, 100.0, 1e3, 1e5, 1e7, 1e9]))
    assert list(idx[:3]) == [0, 0, 0]
    assert idx[3] == 1 and idx[6] == 255 and idx[7] == 255
    assert idx[3] < idx[4] < idx[5] < idx[6]
    assert cm.lut()[0, 3] == 0 and cm.lut()[1, 3] > 0


def test_diverging_colormap_is_symmetric():
    cm = COLORMAPS["net_flux"]
    idx = cm.index(np.array([-1e6, -100.0, 0.0, 100.0, 1e6])).astype(int)
    assert idx[2] == 0  # exactly zero: transparent
    assert idx[0] + idx[4] == 256 and idx[1] + idx[3] == 256
    labels = [t[1] for t in cm.ticks()]
    assert labels[0].startswith("−") and "Mt" in labels[-1]


def test_every_layer_has_a_colormap_with_units():
    for lay in layers.LAYERS:
        if lay.value_units:  # not tonnes (the uncertainty in %): the legend says the unit and ticks carry it
            assert COLORMAPS[lay.colormap].units.startswith(lay.value_units)
            assert COLORMAPS[lay.colormap].tick_unit == lay.value_units
        else:
            assert "per 0.1° cell per year" in COLORMAPS[lay.colormap].units


def test_render_png_decodes_at_tile_size():
    v = np.logspace(0, 8, tiles.TILE * tiles.TILE).reshape(tiles.TILE, tiles.TILE)
    img = Image.open(io.BytesIO(render_png(v, COLORMAPS["emissions"])))
    assert img.size == (256, 256) and img.mode == "P"  # palette PNG with a transparency table
    arr = np.asarray(img.convert("RGBA"))
    assert arr[0, 0, 3] == 0  # 1 t is below the 100 t floor -> transparent
    assert arr[-1, -1, 3] == 225


# ---- legends and the choices a layer depends on (issue 13: overlapping ticks, "per 0.1° cell" on a 1° grid) ----
def _tick_spans(ticks, bar_px, char_px):
    out = []
    for pos, label in ticks:
        w, c = len(label) * char_px, pos * bar_px
        out.append((c, c + w) if pos < 0.05 else (c - w, c) if pos > 0.95 else (c - w / 2, c + w / 2))
    return sorted(out)


@pytest.mark.parametrize("bar_px", [150.0, 256.0, 360.0, 600.0])
@pytest.mark.parametrize("layer", [lay.id for lay in layers.LAYERS])
def test_legend_ticks_never_overlap_and_label_both_ends(layer, bar_px):
    from components.render.snapshot import legend_ticks

    lay = layers.get(layer)
    ticks = legend_ticks(COLORMAPS[lay.colormap], lay.cell_factor, bar_px=bar_px, char_px=6.4, gap_px=6.0)
    spans = _tick_spans(ticks, bar_px, 6.4)
    assert all(a[1] + 6.0 <= b[0] for a, b in zip(spans, spans[1:])), ticks
    assert spans[0][0] >= -1e-9 and spans[-1][1] <= bar_px + 1e-9, ticks  # inside the bar
    assert ticks[0][0] == 0.0 and ticks[-1][0] == 1.0, ticks  # both ends labelled
    assert [p for p, _ in ticks] == sorted(p for p, _ in ticks)
    if COLORMAPS[lay.colormap].scale == "symlog":  # diverging: zero in the middle, the same ticks on both sides
        labels = [t for _, t in ticks]
        assert "0" in labels and labels == [("−" + t[1:] if t.startswith("−") else t) for t in labels]
        assert labels[::-1] == [t[1:] if t.startswith("−") else ("−" + t if t != "0" else t) for t in labels]


def test_legend_speaks_per_the_layers_own_cell():
    from components.render.snapshot import legend_ticks, no_data_text, tick_text, units_text

    cdiac, emis, land = layers.get("cdiac"), layers.get("emissions"), layers.get("land_sink")
    assert cdiac.cell_factor == 100 and cdiac.cell_text == "1° cell" and emis.cell_factor == 1
    assert units_text(COLORMAPS["cdiac"], cdiac) == "t CO2 per 1° cell per year"
    assert units_text(COLORMAPS["emissions"], emis) == "t CO2e per 0.1° cell per year"
    assert "(blue = uptake, red = outgassing)" in units_text(COLORMAPS["ocean_sink"], layers.get("ocean_sink"))
    ticks = [t for _, t in legend_ticks(COLORMAPS["cdiac"], cdiac.cell_factor, bar_px=600)]
    assert ticks[0] == "10 kt" and ticks[-1] == "1 Gt"  # 100 t .. 10 Mt per 0.1° cell = 10 kt .. 1 Gt per 1° cell
    assert no_data_text(COLORMAPS["land_sink"], land) == ("No colour: no data, zero or below 1 kt; seas and oceans "
                                                          "are not part of this layer")
    assert no_data_text(COLORMAPS["net_flux"], layers.get("net_flux")) == "No colour: no data or zero"
    assert [tick_text(v) for v in (0, -1e4, 250.0, 2.5e9)] == ["0", "−10 kt", "250 t", "2.5 Gt"]


def test_layers_say_which_choices_apply_and_describe_only_those():
    from engine.core.query import Query

    q = Query(year=2015, gwp="AR6", gases=("CO2", "CH4"))
    ocean, emis, net = layers.get("ocean_sink"), layers.get("emissions"), layers.get("net_flux")
    assert ocean.ignored() == ("sector", "gases", "gwp", "luc_model") and not ocean.applies("gases")
    assert emis.applies("sector") and not net.applies("sector")
    assert ocean.describe(q) == "2015 · CO2"
    assert emis.describe(q, "Power Industry") == "2015 · Power Industry · CO2+CH4 as CO2e (AR6 GWP100)"
    assert "perspective" not in net.describe(q) and "land-use change: mean" in net.describe(q)
    assert ocean.effective(q) == Query(year=2015)  # ignored choices do not split caches
    assert emis.effective(q) == q.replace(perspective="consumption")
    assert layers.get("cdiac").no_map_text(2020) == "Fossil CO2 — CDIAC reference covers 1990–2013; no map for 2020."
    assert layers.get("cdiac").no_map_text(2000) is None
    with pytest.raises(ValueError, match="choice must be one of year, sector"):
        ocean.applies("perspective")
