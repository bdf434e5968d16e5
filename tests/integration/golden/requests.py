"""The fixed set of requests whose answers must not change when the code is restructured.

``python -m tests.integration.golden.requests --record`` writes ``answers.json.gz`` from the current code (done once,
before the engine restructure of issue 11, at commit 07a10d5); ``tests/integration/test_golden.py`` replays every
request and asserts the answer is identical: the same JSON (floats compared exactly), the same tile bytes, the same
NetCDF variables, coordinates and attributes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANSWERS = HERE / "answers.json.gz"

#: (kind, url). kind: json | csv | png | netcdf.
REQUESTS: tuple[tuple[str, str], ...] = (
    ("json", "/api/v1/ledger?year=2011"),
    ("json", "/api/v1/ledger?year=2019&gwp=AR6&grouping=EU27"),
    ("json", "/api/v1/ledger?year=2022&gwp=AR6-GWP20&gases=CO2,CH4&luc_model=BLUE&grouping=continents"),
    ("json", "/api/v1/ledger?year=1990&grouping=G20"),
    ("json", "/api/v1/ledger?year=2015&grouping=custom&members=FRA,DEU,ITA&name=Core"),
    ("csv", "/api/v1/ledger?year=2005&grouping=mrio&format=csv"),
    ("json", "/api/v1/consumption?year=2011&grouping=mrio"),
    ("json", "/api/v1/transfers?year=2015&grouping=EU27&regions=EU27,CHN"),
    ("json", "/api/v1/flows?year=2011&grouping=mrio&consumer=USA&limit=50"),
    ("json", "/api/v1/flows?year=2020&by_sector=true&producer=CHN&limit=200"),
    ("json", "/api/v1/series?region=DEU&gwp=AR6"),
    ("json", "/api/v1/series?region=EU27&grouping=EU27&gases=CO2"),
    ("json", "/api/v1/production?year=2022&by=sector_gas&regions=IND,CHN"),
    ("json", "/api/v1/production?year=2000&gwp=AR4&by=gas"),
    ("json", "/api/v1/sectors/power-industry?year=2020"),
    ("json", "/api/v1/sectors/c4?year=2011"),
    ("json", "/api/v1/headline?gwp=AR6"),
    ("json", "/api/v1/regions"),
    ("json", "/api/v1/zonal?layer=emissions&region=FRA&year=2019&top=5"),
    ("json", "/api/v1/zonal?layer=emissions&bbox=-10,35,30,60&year=2015&sector=Power%20Industry&top=3"),
    ("json", "/api/v1/zonal?layer=net_flux&region=BRA&year=2020&top=3"),
    ("json", "/api/v1/zonal?layer=ocean_sink&bbox=-60,-60,20,0&year=2010&top=2"),
    ("json", "/api/v1/cell?layer=emissions&lat=51.27&lon=19.33&year=2020"),
    ("json", "/api/v1/cell?layer=luc&lat=-3.5&lon=-60.1&year=2018&luc_model=OSCAR"),
    ("png", "/tiles/emissions/3/4/2.png?year=2020"),
    ("png", "/tiles/emissions/5/16/10.png?year=2012&gases=CH4&sector=Agriculture"),
    ("png", "/tiles/net_flux/2/1/1.png?year=2019"),
    ("png", "/tiles/cdiac/4/8/5.png?year=2005"),
    ("png", "/tiles/land_sink/3/2/3.png?year=2016"),
    ("netcdf", "/api/v1/grid.nc?layer=emissions&bbox=5,45,15,48&year=2019"),
    ("netcdf", "/api/v1/grid.nc?layer=luc&bbox=-75,-15,-45,5&year=2010"),
    # product footprints (issue 17; recorded with --record-new when added)
    ("json", "/api/v1/lca?template=pv_module&country=CHN&year=2020&top_paths=10"),
    ("json", "/api/v1/lca?template=wheat&draws=200&seed=3&compare=DEU,USA"),
    ("csv", "/api/v1/lca?template=steel_beam&format=csv"),
    ("json", "/api/v1/lca/templates"),
)


def canonical(kind: str, body: bytes):
    """What is compared: parsed JSON; CSV text; PNG bytes (hex digest and base64); NetCDF variables and attrs."""
    if kind == "json":
        return json.loads(body)
    if kind == "csv":
        return body.decode()
    if kind == "png":
        import base64

        return {"sha256": hashlib.sha256(body).hexdigest(), "b64": base64.b64encode(body).decode()}
    import numpy as np

    from tests.support.servers import netcdf_from_bytes

    ds = netcdf_from_bytes(body)
    out = {"attrs": {k: _plain(v) for k, v in ds.attrs.items()}, "vars": {}}
    for name, var in {**ds.coords, **ds.data_vars}.items():
        vals = np.asarray(var.values, dtype=np.float64)
        out["vars"][name] = {"attrs": {k: _plain(v) for k, v in var.attrs.items()}, "shape": list(vals.shape),
                             "sha256": hashlib.sha256(vals.tobytes()).hexdigest(),
                             "sum": float(np.nansum(vals))}
    return out


def _plain(v):
    import numpy as np

    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def fetch_all(client, only=None) -> dict:
    out = {}
    for kind, url in REQUESTS:
        if only is not None and url not in only:
            continue
        r = client.get(url)
        out[url] = {"status": r.status_code, "kind": kind, "answer": canonical(kind, r.data)}
    return out


def differences(a, b, path: str = "") -> list[str]:
    """Paths where two canonical answers differ (for reviewing a deliberate re-recording)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{path}/{k}: {'added' if k in a else 'removed'}")
            else:
                out += differences(a[k], b[k], f"{path}/{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {str(b)[:60]} -> {str(a)[:60]}"]


def load() -> dict:
    with gzip.open(ANSWERS, "rt") as f:
        return json.load(f)


def main() -> None:
    import argparse
    import os

    os.environ["HOLOCARBON_WARM"] = "0"
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", action="store_true", help="record every answer (a deliberate change of "
                        "behaviour, in its own commit)")
    parser.add_argument("--record-new", action="store_true", help="record only the requests that have no answer yet "
                        "(requests just added); the recorded answers are kept as they are")
    args = parser.parse_args()
    from app import create_app
    from engine.core.config import Settings

    settings = Settings.from_env()
    settings = type(settings)(**{**settings.__dict__, "cache_dir": None})
    client = create_app(settings).server.test_client()
    if args.record_new:
        old = load()
        new = fetch_all(client, {u for _, u in REQUESTS if u not in old})
        with gzip.open(ANSWERS, "wt") as f:
            json.dump({**old, **new}, f, sort_keys=True)
        print(f"recorded {len(new)} new answer(s) to {ANSWERS}: " + ", ".join(new))
        return
    answers = fetch_all(client)
    if args.record:
        with gzip.open(ANSWERS, "wt") as f:
            json.dump(answers, f, sort_keys=True)
        print(f"recorded {len(answers)} answers to {ANSWERS}")
    else:
        old = load()
        bad = [u for u in answers if answers[u] != old.get(u)]
        print("identical" if not bad else "DIFFERENT: " + ", ".join(bad))
        kinds = {}
        for u in bad:
            for d in differences(answers[u], old[u]):
                key = d.split(":")[0].split("[")[0]
                kinds.setdefault(key, []).append(u)
        for key, urls in sorted(kinds.items()):
            print(f"  {key}  ({len(urls)} answer(s))")


if __name__ == "__main__":
    main()
