"""The layer registry (engine.maps.layers): each layer declared once, everything else generated from it."""

from __future__ import annotations

import pytest

from components.render.colormaps import COLORMAPS
from engine.core.query import Query
from engine.data.registry import load_registry
from engine.maps import layers


def test_every_layer_is_complete():
    sources = load_registry()
    for lay in layers.LAYERS:
        assert lay.title and lay.label and lay.source_text and lay.method
        assert lay.kind in layers.KINDS and lay.basis in ("CO2", "CO2e")
        assert lay.colormap in COLORMAPS, f"{lay.id}: no colour map"
        assert set(lay.sources) <= set(sources), f"{lay.id}: unknown source"
        assert set(lay.uses) <= {"year", "gwp", "gases", "luc_model", "sector"}
        assert lay.items and lay.years[0] <= lay.years[1]


def test_lookup_and_errors():
    assert layers.get("cdiac").years == (1990, 2013) and layers.get("cdiac").resolution_deg == 1.0
    with pytest.raises(ValueError, match="layer must be one of emissions, cdiac, ocean_sink"):
        layers.get("nope")
    with pytest.raises(ValueError, match="the cdiac layer covers 1990–2013; got 2020"):
        layers.get("cdiac").check_year(2020)


def test_atlas_options_api_enum_and_legends_come_from_the_registry():
    from api.v1 import BY_RULE
    from components.atlas import LAYER_OPTIONS, LAYER_SOURCES

    assert [v for v, _ in LAYER_OPTIONS] == list(layers.LAYER_IDS)
    assert LAYER_SOURCES["land_sink"] == layers.get("land_sink").source_text
    enum = next(p.enum for p in BY_RULE["/zonal"].all_params if p.name == "layer")
    assert tuple(enum) == layers.LAYER_IDS


def test_computed_layers_carry_the_registry_metadata(synthetic_grids):
    q = Query(year=2011)
    for lay in layers.LAYERS:
        if any(not synthetic_grids.pack.has(i) for i in lay.items):
            continue
        da = synthetic_grids.layer(lay.id, q)
        assert da.attrs["units"] == lay.units and da.attrs["long_name"] == lay.title
        assert da.attrs["method"] == lay.method
