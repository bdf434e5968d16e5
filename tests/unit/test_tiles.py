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
    LAYERS = [lay.colormap for lay in layers.LAYERS]

    for layer in LAYERS:
        assert "per 0.1° cell per year" in COLORMAPS[layer].units


def test_render_png_decodes_at_tile_size():
    v = np.logspace(0, 8, tiles.TILE * tiles.TILE).reshape(tiles.TILE, tiles.TILE)
    img = Image.open(io.BytesIO(render_png(v, COLORMAPS["emissions"])))
    assert img.size == (256, 256) and img.mode == "P"  # palette PNG with a transparency table
    arr = np.asarray(img.convert("RGBA"))
    assert arr[0, 0, 3] == 0  # 1 t is below the 100 t floor -> transparent
    assert arr[-1, -1, 3] == 225
