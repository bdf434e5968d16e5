"""Map snapshots (components.render.snapshot, engine.maps.files) and the /export/map.<fmt> contract."""

from __future__ import annotations

import io

import numpy as np
import pytest
import xarray as xr
from PIL import Image

from components.render.snapshot import bbox_from_view
from engine.maps.zonal import BBox


def parse_bbox(text):
    return tuple(BBox.parse(text).as_list())


def test_bbox_from_view_matches_the_map_window():
    """The Atlas view's zoom is MapLibre's (a 512 px world at zoom 0): a 900 px map at zoom 4 spans 39.6° of
    longitude."""
    w, s, e, n = bbox_from_view(48.0, 8.0, 4.0)
    assert e - w == pytest.approx(900 / 512 * 360 / 16)
    assert 15 < n - s < 21 and s < 48 < n
    assert bbox_from_view(0, 0, 0) == (-180.0, pytest.approx(-85.0, abs=30), 180.0, pytest.approx(85, abs=30))


def test_parse_bbox_errors():
    assert parse_bbox("-10,35,30,60") == (-10.0, 35.0, 30.0, 60.0)
    with pytest.raises(ValueError, match="four numbers"):
        parse_bbox("1,2")
    with pytest.raises(ValueError, match="west < east"):
        parse_bbox("30,35,-10,60")


@pytest.fixture(scope="module")
def client(settings):
    from app import create_app

    return create_app(settings).server.test_client()


def test_png_and_pdf_snapshots(client):
    r = client.get("/export/map.png?year=2020&bbox=-10,35,30,60")
    assert r.status_code == 200 and r.mimetype == "image/png"
    img = Image.open(io.BytesIO(r.data))
    assert img.width >= 1600 and img.height > 800
    arr = np.asarray(img.convert("RGB")).astype(int)
    emit = (arr[..., 0] - arr[..., 2] > 40).mean()
    assert emit > 0.2  # Europe is coloured by the emissions scale
    pdf = client.get("/export/map.pdf?layer=net_flux&year=2015&bbox=-20,-40,60,40")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == 1


def test_netcdf_and_geotiff_windows(client, tmp_path):
    import tifffile

    nc = client.get("/export/map.nc?bbox=-10,35,30,60&year=2012&gases=CH4")
    assert nc.status_code == 200
    p = tmp_path / "w.nc"
    p.write_bytes(nc.data)
    ds = xr.open_dataset(p)
    assert ds.attrs["Conventions"] == "CF-1.8" and ds["emissions"].shape == (250, 400)
    assert ds["emissions"].attrs["units"] == "t yr-1" and float(ds.lat.max()) < 60 and float(ds.lon.min()) > -10
    tif = client.get("/export/map.tif?bbox=100,20,125,45&year=2020")
    assert tif.status_code == 200
    with tifffile.TiffFile(io.BytesIO(tif.data)) as t:
        page = t.pages[0]
        assert page.shape == (250, 250) and page.dtype == np.float32
        tags = {tag.code: tag.value for tag in page.tags.values()}
        assert tags[33550][:2] == (0.1, 0.1)
        assert tags[33922][3:5] == pytest.approx((100.0, 45.0))
        assert 4326 in tags[34735]


def test_map_export_errors(client):
    assert client.get("/export/map.gif").status_code == 404
    bad = client.get("/export/map.png?layer=x")
    assert bad.status_code == 400 and "emissions" in bad.json["allowed"]
    assert client.get("/export/map.png?bbox=1,2").status_code == 400
    assert "1970–2023" in client.get("/export/map.png?year=1900").json["detail"]
    assert client.get("/export/map.nc?layer=cdiac&year=2020").status_code == 400


def test_map_captions_name_only_what_applies_to_the_layer():
    """Issue 13: an emissions-map export printed "perspective: consumption"; a sink map printed gases it ignores."""
    from api.exports import map_caption
    from engine.core.query import Query
    from engine.maps import layers

    da = xr.DataArray(np.zeros((2, 2)), attrs={"units": "t CO2e cell-1 yr-1", "method": "m"})
    q = Query(year=2020, gwp="AR6", gases=("CO2", "CH4"))
    title, sub, sources, _ = map_caption(layers.get("emissions"), q, "Transport", "co2e", da, (-10, 35, 30, 60))
    assert title == layers.get("emissions").title
    assert sub == "2020 · Transport · CO2+CH4 as CO2e (AR6 GWP100) · window -10.0, 35.0, 30.0, 60.0 (W, S, E, N)"
    assert "perspective" not in sub and "regions" not in sub and "land-use change" not in sub
    _, sub, _, _ = map_caption(layers.get("ocean_sink"), q, "all", "co2e", da.assign_attrs(units="t CO2 cell-1 yr-1"),
                               (-180, -60, 180, 85))
    assert sub.startswith("2020 · CO2 · window") and "CH4" not in sub and "GWP" not in sub


def test_map_export_never_draws_a_layer_outside_its_years(client):
    r = client.get("/export/map.png?layer=cdiac&year=2020&bbox=-10,35,30,60")
    assert r.status_code == 400 and "covers 1990–2013; got 2020" in r.json["detail"]
    ok = client.get("/export/map.png?layer=ocean_sink&year=2015&gases=CH4&bbox=-60,-40,20,40")
    assert ok.status_code == 200 and ok.mimetype == "image/png"  # gases are ignored by a CO2-only layer
