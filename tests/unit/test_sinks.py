"""The sink patterns (engine.maps.sinks): coastal fill of the ocean climatology, uptake-only scaling to the GCB sink,
and the land-sink density without a step at the biome boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from engine.accounts import natural
from engine.maps import sinks


def _sea(n_lat: int = 12, n_lon: int = 20):
    """A 1° strip: data in columns 0-4, an empty water strip 5-12, land in 13-14, a lake 15-16, land 17-19."""
    land = np.zeros((n_lat, n_lon))
    land[:, 13:15] = 1.0
    land[:, 17:] = 1.0
    flux = np.full((n_lat, n_lon), np.nan)
    flux[:, :5] = -10.0
    flux[:6, :5] = 4.0  # an outgassing half
    return flux, land


def test_fill_moves_ring_by_ring_through_water_and_stops():
    flux, land = _sea()
    filled, status = sinks.ocean_fill(flux, land, steps=3)
    assert (status[:, :5] == sinks.CLIMATOLOGY).all()
    assert (status[:, 5:8] == sinks.FILLED).all()  # three rings
    assert (status[:, 8:13] == sinks.NO_DATA).all() and np.isnan(filled[:, 8:13]).all()
    assert (status[:, 13:15] == sinks.LAND).all() and (status[:, 17:] == sinks.LAND).all()
    # the lake beyond the land is never reached (the fill does not jump across land)
    assert (status[:, 15:17] == sinks.NO_DATA).all()
    # the first ring is the mean of its filled neighbours: far from the outgassing half it is the uptake value
    assert filled[10, 5] == pytest.approx(-10.0)
    # next to the boundary between the halves: the mean of the three filled neighbours
    assert filled[5, 5] == pytest.approx((4.0 + 4.0 - 10.0) / 3)
    assert filled[6, 5] == pytest.approx((4.0 - 10.0 - 10.0) / 3)
    # the climatology cells are unchanged and the input is not modified
    np.testing.assert_array_equal(filled[:, :5], flux[:, :5])
    assert np.isnan(flux[:, 5]).all()


def test_fill_wraps_round_the_dateline_and_zero_steps_fills_nothing():
    flux = np.full((4, 10), np.nan)
    flux[:, 0] = -5.0
    land = np.zeros((4, 10))
    _, status = sinks.ocean_fill(flux, land, steps=1)
    assert (status[:, 9] == sinks.FILLED).all() and (status[:, 1] == sinks.FILLED).all()
    assert (status[:, 2:9] == sinks.NO_DATA).all()
    _, none = sinks.ocean_fill(flux, land, steps=0)
    assert not (none == sinks.FILLED).any()
    with pytest.raises(ValueError, match="steps must be >= 0"):
        sinks.ocean_fill(flux, land, steps=-1)


def test_only_the_uptake_is_scaled_and_the_sum_is_the_sink():
    flux, land = _sea()
    area = np.ones_like(flux)
    up, out = sinks.uptake_outgassing(flux, area)
    assert up.sum() == pytest.approx(10.0 * 6 * 5) and out.sum() == pytest.approx(4.0 * 6 * 5)
    net = sinks.ocean_net(up, out, sink=500.0)
    assert net.sum() == pytest.approx(500.0)
    np.testing.assert_allclose(net[:6, :5], -4.0)  # outgassing as observed, not multiplied
    k = sinks.uptake_factor(500.0, up.sum(), out.sum())
    assert k == pytest.approx((500.0 + 120.0) / 300.0)
    np.testing.assert_allclose(net[6:, :5], 10.0 * k)
    # scaling the whole field instead would have multiplied the outgassing by the same factor as the uptake
    whole = -np.nan_to_num(flux) * 500.0 / (300.0 - 120.0)
    assert whole[:6, :5].min() < net[:6, :5].min()
    with pytest.raises(ValueError, match="cannot scale an uptake"):
        sinks.uptake_factor(1.0, 0.0, 1.0)


def test_land_density_has_no_step_and_keeps_the_biome_values():
    lat = np.arange(89.95, -90, -0.1)
    smooth = sinks.biome_density_smooth(lat)
    step = natural.biome_density(lat, half_width=0)
    assert np.abs(np.diff(step)).max() > 0.5  # the old step at 50°: 1.02 -> 0.44 t C ha-1 yr-1
    assert np.abs(np.diff(smooth)).max() < 0.02  # per 0.1° row
    far = (np.abs(np.abs(lat) - sinks.BOREAL_LAT) > sinks.BLEND_HALF_WIDTH_DEG) & (
        np.abs(np.abs(lat) - sinks.TROPICAL_LAT) > sinks.BLEND_HALF_WIDTH_DEG)
    np.testing.assert_allclose(smooth[far], step[far])
    mid = sinks.biome_density_smooth(np.array([50.0, -50.0]))
    assert mid == pytest.approx([(0.50 / 1135 + 0.78 / 767) / 2 * 1000] * 2)  # Pg / Mha = 1000 t / ha
    np.testing.assert_allclose(sinks.biome_density_smooth(lat, half_width=0), step)


def test_land_weights_follow_forest_and_savanna():
    lat = np.array([60.05, 10.05])
    forest = np.array([[1.0, 0.0], [0.5, np.nan]])
    savanna = np.array([[0.0, 1.0], [0.0, 0.0]])
    w = sinks.land_sink_weights(forest, savanna, lat, 0.1, 0.1)
    assert w[0, 1] == pytest.approx(sinks.SAVANNA_FACTOR * w[0, 0])
    assert w[1, 1] == 0.0
    area = natural.cell_area_m2(lat, 0.1, 0.1) / 1e4
    assert w[1, 0] == pytest.approx(0.5 * area[1] * 1.19e9 / 1392e6)


def test_cell_panel_tells_no_data_filled_and_percent_apart():
    from components.atlas import cell_panel

    def text(component) -> str:
        out = []

        def walk(c):
            if isinstance(c, str):
                out.append(c)
            elif isinstance(c, (list, tuple)):
                for x in c:
                    walk(x)
            elif c is not None and hasattr(c, "children"):
                walk(c.children)
        walk(component)
        return " ".join(out)

    base = {"lat": 35.45, "lon": 18.55, "country": None, "country_name": None, "breakdown": []}
    none = text(cell_panel({**base, "layer": "ocean_sink", "value": 0.0, "units": "t CO2 cell-1 yr-1",
                            "ocean_status": "no data", "ocean_status_text": sinks.STATUS_TEXT[sinks.NO_DATA],
                            "takahashi_flux_g_c_m2_yr": None}, None))
    assert none.startswith("No data") and "not zero flux" in none and " t CO2" not in none
    filled = text(cell_panel({**base, "layer": "ocean_sink", "value": 6300.0, "units": "t CO2 cell-1 yr-1",
                              "ocean_status": "filled", "ocean_status_text": sinks.STATUS_TEXT[sinks.FILLED],
                              "takahashi_flux_g_c_m2_yr": -12.8}, None))
    assert "6.3 kt CO2" in filled and "-12.8 g C m⁻² yr⁻¹" in filled and "filled from the nearest" in filled
    pct = text(cell_panel({**base, "layer": "uncertainty", "value": 87.4, "units": "%"}, None))
    assert "± 87 %" in pct and "t CO2" not in pct
    empty = text(cell_panel({**base, "layer": "uncertainty", "value": 0.0, "units": "%"}, None))
    assert "No emissions in this cell" in empty
