"""Place-name placement (engine.maps.labels) and outline geometry (engine.maps.outlines) on small synthetic inputs:
no two labels overlap at a zoom, a label is at the same world position in every tile that shows it (also across
the antimeridian), the priority order decides who stays, and TopoJSON arcs decode to the right coordinates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.maps import labels
from engine.maps.labels import TILE, candidates, check_tile, city_min_zoom, in_tile, place, world_px
from engine.maps.outlines import pieces, scale_for_zoom, topojson_arcs


def _measure(kind: str, name: str, z: int) -> tuple[float, float]:
    """A stand-in for the renderer's text measurement: 7 px per letter (9 for countries), 14 px tall."""
    return (9.0 if kind == "country" else 7.0) * len(name), 14.0


def _places(n_cities: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    countries = labels.country_places(pd.DataFrame({
        "NAME": ["Bigland", "Smallia", "Farland"], "LABEL_X": [10.0, 12.0, 179.5], "LABEL_Y": [50.0, 49.0, -17.0],
        "MIN_LABEL": [1.7, 4.0, 3.0], "MAX_LABEL": [6.0, 8.0, 7.0], "LABELRANK": [2, 4, 3],
        "POP_EST": [8e7, 1e6, 9e5]}))
    cities = pd.DataFrame({"name": [f"City{i}" for i in range(n_cities)], "iso2": "XX",
                           "lat": rng.uniform(40, 60, n_cities), "lon": rng.uniform(-5, 25, n_cities),
                           "population": np.round(10 ** rng.uniform(4.2, 7.2, n_cities))})
    cities.loc[0, ["name", "lat", "lon", "population"]] = ["Capitol", 50.5, 10.5, 3e6]
    return labels.places(countries, labels.city_places(cities, {("XX", "Capitol")}))


def _placed(z: int, **kw) -> pd.DataFrame:
    cands = candidates(_places(**kw), z)
    sizes = np.array([_measure(k, n, z) for k, n in zip(cands["kind"], cands["name"])]).reshape(-1, 2)
    return place(cands, sizes, TILE * (1 << z))


def _overlaps(p: pd.DataFrame) -> list[tuple[str, str]]:
    b = p[["x0", "y0", "x1", "y1"]].to_numpy()
    hit = ((b[:, None, 0] < b[None, :, 2]) & (b[None, :, 0] < b[:, None, 2])
           & (b[:, None, 1] < b[None, :, 3]) & (b[None, :, 1] < b[:, None, 3]))
    np.fill_diagonal(hit, False)
    i, j = np.nonzero(np.triu(hit))
    return [(p["name"][a], p["name"][c]) for a, c in zip(i, j)]


@pytest.mark.parametrize("z", [3, 5, 7, 9])
def test_no_two_labels_overlap_at_a_zoom(z):
    p = _placed(z)
    assert len(p) > 3, p  # something is named
    assert _overlaps(p) == []


def test_placement_is_deterministic_and_follows_priority():
    a, b = _placed(6), _placed(6)
    pd.testing.assert_frame_equal(a, b)
    assert a["name"].iloc[0] == "Bigland"  # countries first (Natural Earth's label zoom, then rank)
    assert "Capitol" in set(a["name"])  # the capital wins against the crowd around it
    # a dense field drops names rather than overlapping them: fewer placed than candidates
    assert len(a) < len(candidates(_places(), 6))


def test_more_and_smaller_cities_as_the_zoom_grows():
    counts = [len(_placed(z)) for z in (3, 5, 7, 9)]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    assert list(city_min_zoom(np.array([6e6, 2e6, 8e5, 3e5, 1e5, 4e4, 2e4]), np.zeros(7, bool))) == [3, 4, 5, 6, 7,
                                                                                                       8, 9]
    assert city_min_zoom(np.array([8e5]), np.array([True]))[0] == 4  # capitals one zoom earlier


def test_a_label_across_a_tile_edge_is_at_the_same_place_in_both_tiles():
    z = 6
    p = _placed(z)
    across = p[(np.floor(p["x0"] / TILE) != np.floor(p["x1"] / TILE))].iloc[0]
    x_left = int(across["x0"] // TILE)
    y = int(across["y"] // TILE)
    left, right = in_tile(p, z, x_left, y), in_tile(p, z, x_left + 1, y)
    a = left[left["name"] == across["name"]].iloc[0]
    b = right[right["name"] == across["name"]].iloc[0]
    # tile-relative positions differ by one tile width; world positions are identical
    assert a["tx"] + a["dx"] + TILE * x_left == pytest.approx(b["tx"] + b["dx"] + TILE * (x_left + 1))
    assert a["tx"] + a["dx"] < TILE < a["tx"] + a["dx"] + a["w"]  # it does cross the right edge of the left tile


def test_labels_across_the_antimeridian_are_drawn_on_both_sides():
    z = 3
    world = TILE * (1 << z)
    cands = pd.DataFrame({"name": ["East", "West"], "kind": ["country", "country"],
                          "x": [world - 4.0, 6.0], "y": [300.0, 300.0]})
    p = place(cands, np.array([[40.0, 14.0], [40.0, 14.0]]), world)
    assert list(p["name"]) == ["East"]  # "West" would overlap "East" across the edge: dropped
    first = in_tile(p, z, 0, 300 // TILE)
    assert list(first["name"]) == ["East"] and first["dx"].iloc[0] == -world  # shifted a world to the left


def test_tile_addresses_are_checked():
    check_tile(0, 0, 0)
    check_tile(9, 511, 511)
    with pytest.raises(ValueError, match="zoom must be in 0–9; got 10"):
        check_tile(10, 0, 0)
    with pytest.raises(ValueError, match=r"at zoom 2, x and y must be in 0–3; got x=4, y=0"):
        check_tile(2, 4, 0)
    with pytest.raises(ValueError, match="sizes must have one"):
        place(candidates(_places(), 5), np.zeros((1, 2)), TILE * 32)


def test_world_pixels_of_web_mercator():
    x, y = world_px([-180.0, 0.0, 180.0], [0.0, 0.0, 0.0], 2)
    assert list(x) == [0.0, 512.0, 1024.0] and list(y) == [512.0] * 3
    _, y = world_px([0.0, 0.0], [85.05112878, -85.05112878], 0)
    assert y[0] == pytest.approx(0.0, abs=1e-6) and y[1] == pytest.approx(256.0, abs=1e-6)


def test_tile_of_an_empty_area_has_no_labels():
    p = _placed(5)
    # the open South Pacific at zoom 5 (no synthetic place there)
    assert in_tile(p, 5, 2, 20).empty


# ---- outlines -------------------------------------------------------------------------------------------------
def test_topojson_arcs_are_delta_decoded_and_scaled():
    """TopoJSON specification: quantized arcs are deltas of integer positions; position = translate + scale * sum."""
    doc = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [-180.0, -90.0]},
           "arcs": [[[0, 0], [2, 4], [2, -4]], [[360, 180], [-1, 0]]], "objects": {}}
    a, b = topojson_arcs(doc)
    np.testing.assert_allclose(a, [[-180.0, -90.0], [-179.0, -89.0], [-178.0, -90.0]])
    np.testing.assert_allclose(b, [[0.0, -45.0], [-0.5, -45.0]])
    with pytest.raises(ValueError, match="TopoJSON Topology"):
        topojson_arcs({"type": "FeatureCollection"})


def test_pieces_keep_every_point_and_join_end_to_end():
    line = np.column_stack([np.linspace(0, 10, 101), np.linspace(0, 5, 101)])
    lines = pieces([line, line[:1]], size=10)  # a one-point line is dropped
    assert lines.n_pieces == 12  # 100 segments / 9 per piece
    parts = [lines.xy[lines.starts[i]:lines.starts[i + 1]] for i in range(lines.n_pieces)]
    for p, q in zip(parts, parts[1:]):
        np.testing.assert_array_equal(p[-1], q[0])  # no gap between pieces
    np.testing.assert_array_equal(np.unique(lines.xy, axis=0), np.unique(line, axis=0))
    got = lines.within(4.0, 1.9, 4.5, 2.3)
    assert 1 <= len(got) <= 2 and all(g[:, 0].min() <= 4.5 and g[:, 0].max() >= 4.0 for g in got)
    with pytest.raises(ValueError, match="at least 2"):
        pieces([line], size=1)


def test_outline_detail_grows_with_zoom():
    assert [scale_for_zoom(z) for z in (0, 2, 3, 4, 5, 9)] == ["110m", "110m", "50m", "50m", "10m", "10m"]
    assert scale_for_zoom(7, have_10m=False) == "50m"
    with pytest.raises(ValueError, match="zoom must be 0 or more"):
        scale_for_zoom(-1)
