"""The processed pack: raw public sources turned once into fast, typed files the app reads.

Layout: ``<data_dir>/pack/<key>/`` with ``manifest.json`` and one file per item — pandas tables as parquet,
GeoDataFrames as GeoParquet, xarray grids as compressed NetCDF, numpy matrices as compressed ``.npz``.

Every module of the pack has its own key (:func:`module_keys`): the SHA-256 of :data:`PACK_VERSION`, the registry
checksums of its source's files, the syntax trees of every engine module its code reaches (imports followed
transitively, docstrings ignored), the authored tables of ``data/`` that code names, the versions of packages that
ship data (GeoNames cities, GWP tables), and the keys of the modules whose items it reads (:data:`DERIVED_NEEDS`).
The pack key covers every module key and every authored table. A changed source file, concordance or reader gives a
new key; :func:`ensure_pack` then builds the new pack, reusing (hard-linking) the items of modules whose key did not
change and rebuilding the others, so editing ``data/edgar_to_wiod.csv`` rebuilds ``ledger_series`` and
``uncertainty_draws`` (both carry consumption through the concordance) and nothing else (issue 11: before, the key hashed the source files only and an edited concordance left stale numbers with no
warning). A build writes to a temporary folder beside the target and renames it into place only when complete: an
interrupted build never leaves a half-written pack, and the next start rebuilds. A module whose sources are missing or corrupt (or, for a derived
module, whose input items were not built) is recorded in the manifest (``failed``, with the source, the file, the
message and the items it would have produced) so the pages that need those items can say why; every other module is
built.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.core.config import Settings
from engine.core.errors import HolocarbonError, PackError, SourceError
from engine.data.fingerprint import (
    AUTHORED_DIR,
    CodeGraph,
    authored_files,
    digest,
    file_sha256,
)
from engine.data.registry import load_registry

#: Bump when the pack's layout changes (item formats, manifest); part of every key. Content changes need no bump:
#: module keys follow the code and the authored tables themselves.
PACK_VERSION = "5"

#: Reader modules (``engine.sources.<name>``) whose ``pack_items`` make up the pack, in build order.
SOURCE_MODULES = (
    "natural_earth", "edgar", "gcb", "owid", "cait", "wiod", "jrc_co2", "cdiac", "takahashi", "gpw", "modis",
    "wri_plants", "electricity", "industry", "cbam", "solar_exports", "solazzo", "solar_capacity",
    "gem_coal", "gem_oil_gas", "viirs_flares", "gem_steel", "icmm_mining",
)

#: Modules of derived items (built from items already in the pack), after the readers.
DERIVED_MODULES: tuple[str, ...] = ("proxies", "series", "uncertainty")
#: Where the derived modules live (the readers are ``engine.sources.<name>``); a name not listed is
#: ``engine.<name>``.
DERIVED_PATHS = {"proxies": "engine.maps.proxies", "series": "engine.accounts.series",
                 "uncertainty": "engine.uncertainty.draws"}

MANIFEST = "manifest.json"
#: A build's temporary folder untouched for this long belongs to a killed process and is removed by the next build
#: (a live build writes an item every few seconds) [s].
STALE_TMP_S = 3600
#: HDF5 (under netCDF4) is not thread-safe: every NetCDF read or write in the process takes this lock. A lock is
#: a synchronisation primitive, not state: it holds no data.
NETCDF_LOCK = threading.RLock()
#: Everything a complete pack holds, in build order.
PACK_MODULES = SOURCE_MODULES + DERIVED_MODULES

#: WIOD 2013 release years (one MRIO item per year).
_WIOD_YEARS = range(1995, 2012)

#: The items each module of :data:`PACK_MODULES` produces (a test checks this against a full real build, so it
#: cannot drift). A failed module's entry in the manifest lists them, and :meth:`Pack.failure_for` answers with the
#: message of the module that owns an item.
MODULE_ITEMS: dict[str, tuple[str, ...]] = {
    "natural_earth": ("ne_countries_50m", "ne_countries_110m", "country_raster_0p1", "country_index"),
    "edgar": ("edgar_ghg_by_sector", "edgar_ghg_totals", "edgar_ghg_per_capita", "edgar_ghg_per_gdp",
              "edgar_lulucf_macroregions"),
    "gcb": ("gcb_territorial", "gcb_consumption", "gcb_transfers", "gcb_luc_by_model", "gcb_global_budget",
            "gcb_fossil_by_fuel"),
    "owid": ("owid_co2_territorial", "owid_co2_consumption", "owid_co2_production_vs_consumption"),
    "cait": ("cait_emissions",),
    "wiod": (*(f"wiod_{y}" for y in _WIOD_YEARS), "wiod_labels", "wiod_fd_labels", "wiod_sectors"),
    "jrc_co2": ("jrc_co2", "jrc_co2_industries"),
    "cdiac": ("cdiac_fossil_co2",),
    "takahashi": ("takahashi_flux_annual", "takahashi_flux_monthly", "takahashi_land_fraction"),
    "gpw": ("gpw_population_1deg",),
    "modis": ("modis_fractions_0p1",),
    "wri_plants": ("wri_power_plants",),
    "electricity": ("ember_owid_electricity_generation", "ember_owid_electricity_carbon_intensity"),
    "industry": ("industry_production", "industry_production_cement_editions"),
    "cbam": ("cbam_default_values", "cbam_annex_iv", "cbam_benchmarks", "cbam_goods"),
    "solar_exports": ("ember_china_solar_exports_monthly", "ember_china_solar_exports_regions_monthly",
                      "ember_china_solar_exports_annual"),
    "solazzo": ("solazzo_uncertainty",),
    "solar_capacity": ("owid_solar_capacity",),
    "gem_coal": ("gem_coal_mines",),
    "gem_oil_gas": ("gem_oil_gas_fields",),
    "viirs_flares": ("viirs_flares_2017",),
    "gem_steel": ("gem_steel_plants",),
    "icmm_mining": ("icmm_aluminium_smelters",),
    "proxies": ("proxy_population_0p1", "proxy_power_0p1", "proxy_land_0p1", "proxy_agriculture_0p1",
                "proxy_forest_crop_0p1", "proxy_land_sink_0p1", "proxy_fuel_exploitation_0p1",
                "proxy_fuel_exploitation_co2_0p1", "proxy_industry_0p1"),
    "series": ("ledger_series",),
    "uncertainty": ("uncertainty_draws",),
}

#: Pack item -> the module that produces it.
ITEM_MODULE: dict[str, str] = {item: mod for mod, items in MODULE_ITEMS.items() for item in items}

#: The modules whose items each derived module reads (part of its key; a test checks the items a real build read,
#: recorded in the manifest as ``items_read``, against this table).
DERIVED_NEEDS: dict[str, tuple[str, ...]] = {
    "proxies": ("natural_earth", "gpw", "modis", "wri_plants", "edgar", "gem_coal", "gem_oil_gas", "viirs_flares",
                "gem_steel", "icmm_mining"),
    "series": ("wiod", "edgar", "jrc_co2"),
    "uncertainty": ("wiod", "edgar", "jrc_co2", "solazzo"),
}


class MissingItemError(PackError):
    """A derived module asked for a pack item that was not built (its source module failed or did not run).

    Attributes
    ----------
    item : str
        The missing item's name.
    """

    def __init__(self, message: str, item: str):
        super().__init__(message)
        self.item = item


def _module_path(name: str) -> str:
    if name in DERIVED_MODULES:
        return DERIVED_PATHS.get(name, f"engine.{name}")
    return f"engine.sources.{name}"


def module_inputs(name: str, registry=None, graph: CodeGraph | None = None, _keys: dict | None = None) -> dict:
    """Everything the items of one pack module are made from (the material of its key).

    Returns
    -------
    dict
        ``version``, ``module``, ``sources`` (registry file -> sha256 of the module's source), ``code`` (engine
        module -> syntax-tree digest), ``authored`` (data/ file -> sha256), ``packages`` (data package -> version),
        ``needs`` (module -> key of the modules whose items it reads).
    """
    registry = registry or load_registry()
    graph = graph or CodeGraph()
    keys = {} if _keys is None else _keys
    path = _module_path(name)
    fp = graph.fingerprint([path])
    src = getattr(sys.modules.get(path) or importlib.import_module(path), "SOURCE_ID", None)
    sources = {f.relpath: f.sha256 for f in registry[src].files} if src in registry else {}
    needs = {}
    for n in DERIVED_NEEDS.get(name, ()):
        if n not in keys:
            keys[n] = digest(module_inputs(n, registry, graph, keys))
        needs[n] = keys[n]
    return {"version": PACK_VERSION, "module": name, "sources": sources, **fp, "needs": needs}


def module_keys(modules: tuple[str, ...] | None = None, registry=None) -> dict[str, str]:
    """Key of each pack module (16 hex digits of the SHA-256 of :func:`module_inputs`)."""
    registry = registry or load_registry()
    graph, keys = CodeGraph(), {}
    for m in (PACK_MODULES if modules is None else modules):
        if m not in keys:
            keys[m] = digest(module_inputs(m, registry, graph, keys))
    return {m: keys[m] for m in (PACK_MODULES if modules is None else modules)}


def pack_key(registry=None, keys: dict | None = None) -> str:
    """The pack's key: 16 hex digits of the SHA-256 of the pack version, every module key (:func:`module_keys`) and
    every authored table (tables the engine reads at request time included, so answers cached under a pack key
    never outlive a change of ``data/``)."""
    keys = keys if keys is not None else module_keys(registry=registry)
    return digest({"version": PACK_VERSION, "modules": keys,
                   "authored": {f: file_sha256(AUTHORED_DIR / f) for f in authored_files()}})


#: File suffixes of the item kinds :func:`_write_item` writes.
_SUFFIXES = (".geoparquet", ".parquet", ".nc", ".npz")


def _write_item(folder: Path, name: str, obj: Any) -> dict:
    """Write one item and return its manifest entry."""
    import xarray as xr

    try:
        import geopandas as gpd
    except ImportError:  # pragma: no cover - geopandas is a hard requirement
        gpd = None
    if gpd is not None and isinstance(obj, gpd.GeoDataFrame):
        fname, kind = f"{name}.geoparquet", "geo"
        obj.to_parquet(folder / fname)
    elif isinstance(obj, pd.DataFrame):
        fname, kind = f"{name}.parquet", "table"
        obj.to_parquet(folder / fname, index=False)
    elif isinstance(obj, (xr.DataArray, xr.Dataset)):
        fname, kind = f"{name}.nc", "grid"
        ds = obj.to_dataset(name=obj.name or name) if isinstance(obj, xr.DataArray) else obj
        encoding = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars}
        with NETCDF_LOCK:
            ds.to_netcdf(folder / fname, engine="netcdf4", encoding=encoding)
    elif isinstance(obj, dict) and all(isinstance(v, np.ndarray) for v in obj.values()):
        fname, kind = f"{name}.npz", "arrays"
        np.savez_compressed(folder / fname, **obj)
    else:
        raise PackError(f"pack item {name!r}: cannot store a {type(obj).__name__}")
    attrs = getattr(obj, "attrs", {}) or {}
    return {
        "file": fname,
        "kind": kind,
        "bytes": (folder / fname).stat().st_size,
        "attrs": json.loads(json.dumps(attrs, default=str)),
        "var": (obj.name or name) if isinstance(obj, xr.DataArray) else None,
    }


def build_pack(settings: Settings, force: bool = False, show_progress: bool = True,
               modules: tuple[str, ...] | None = None) -> Path:
    """Build the pack for the current key (atomically) and return its folder.

    Modules whose key (:func:`module_keys`) equals that of a module in an earlier complete pack are not rebuilt:
    their item files are hard-linked (or copied) from that pack and the manifest says ``reused_from``.

    Parameters
    ----------
    force : bool
        Rebuild every module, even when a complete pack with this key exists.
    modules : tuple of str, optional
        Modules to include (default :data:`PACK_MODULES`; tests build small packs).

    Returns
    -------
    Path
        ``<data_dir>/pack/<key>``.
    """
    modules = tuple(PACK_MODULES if modules is None else modules)
    registry = load_registry()
    mkeys = module_keys(modules, registry)
    key = pack_key(registry, mkeys if modules == PACK_MODULES else None)
    root = settings.pack_root
    target = root / key
    if target.is_dir() and not force and _pack_complete(target, settings):
        return target
    root.mkdir(parents=True, exist_ok=True)
    reusable = {} if force else _reusable(root, mkeys)
    tmp = root / f".tmp-{key}-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    manifest: dict[str, Any] = {"key": key, "pack_version": PACK_VERSION, "items": {}, "failed": {},
                                "module_list": list(modules), "module_keys": mkeys,
                                "modules": {}, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    t_all = time.perf_counter()
    built = BuiltItems(tmp, manifest)
    try:
        for i, mod_name in enumerate(modules, 1):
            t0 = time.perf_counter()
            if mod_name in reusable:
                old_path, old_manifest = reusable[mod_name]
                entries = _link_module(old_path, old_manifest, mod_name, tmp)
                manifest["items"].update(entries)
                manifest["modules"][mod_name] = dict(old_manifest["modules"][mod_name], items=list(entries),
                                                     reused_from=old_manifest["key"])
                if show_progress:
                    print(f"[{i:2d}/{len(modules)}] {mod_name:14s} {len(entries):2d} item(s) reused "
                          f"(key {mkeys[mod_name]} unchanged)", flush=True)
                continue
            mod = importlib.import_module(_module_path(mod_name))
            built.reads = set()
            try:
                if len(inspect.signature(mod.pack_items).parameters) >= 2:
                    items = mod.pack_items(settings, built)  # derived items reuse what is already built
                else:
                    items = mod.pack_items(settings)
                entries = _write_module(tmp, mod_name, mod, items)
            except (HolocarbonError, KeyError) as exc:
                failure = _failure(mod_name, mod, exc, built, manifest["failed"])
                if failure is None:
                    raise  # a KeyError that is not a missing pack item is a bug: let it surface
                manifest["failed"][mod_name] = failure
                if show_progress:
                    print(f"[{i:2d}/{len(modules)}] {mod_name:14s} FAILED: {failure['message']}", file=sys.stderr,
                          flush=True)
                continue
            built.memory.update(items)
            manifest["items"].update(entries)
            dt = time.perf_counter() - t0
            manifest["modules"][mod_name] = {"source_id": mod.SOURCE_ID, "items": list(entries),
                                             "seconds": round(dt, 2), "items_read": sorted(built.reads)}
            if show_progress:
                print(f"[{i:2d}/{len(modules)}] {mod_name:14s} {len(entries):2d} item(s) {dt:6.1f} s", flush=True)
        manifest["seconds"] = round(time.perf_counter() - t_all, 2)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.rename(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for old in root.iterdir():  # keep only the current pack (and other builds in progress)
        if old.is_dir() and old.name != key and (not old.name.startswith(".tmp-") or _stale_tmp(old)):
            shutil.rmtree(old, ignore_errors=True)
    if show_progress:
        reused = sum("reused_from" in m for m in manifest["modules"].values())
        print(f"pack {key} built in {manifest['seconds']:.1f} s"
              + (f" ({reused} module(s) reused)" if reused else "")
              + (f"; {len(manifest['failed'])} module(s) failed" if manifest["failed"] else ""), flush=True)
    return target


class BuiltItems(Mapping):
    """The items available to a derived module during a build: those built in this run (in memory) and those reused
    from an earlier pack (read from the build folder on first use). Records the names a module reads (``reads``)."""

    def __init__(self, folder: Path, manifest: dict):
        self.memory: dict[str, Any] = {}
        self.reads: set[str] = set()
        self._view = Pack(folder, manifest)

    def __getitem__(self, name: str):
        if name in self.memory:
            self.reads.add(name)
            return self.memory[name]
        entry = self._view.manifest["items"].get(name)
        if entry is None:
            raise KeyError(name)
        self.reads.add(name)
        loader = {"table": self._view.table, "geo": self._view.geo, "grid": self._view.grid,
                  "arrays": self._view.arrays}[entry["kind"]]
        return loader(name)

    def __contains__(self, name) -> bool:
        return name in self.memory or name in self._view.manifest["items"]

    def __iter__(self):
        return iter(dict.fromkeys([*self.memory, *self._view.manifest["items"]]))

    def __len__(self) -> int:
        return len(set(self.memory) | set(self._view.manifest["items"]))


def _reusable(root: Path, mkeys: dict[str, str]) -> dict[str, tuple[Path, dict]]:
    """Modules of earlier complete packs under ``root`` whose key equals the current one: module -> (folder,
    manifest)."""
    out: dict[str, tuple[Path, dict]] = {}
    for folder in sorted(root.iterdir()):
        mf = folder / MANIFEST
        if folder.name.startswith(".tmp-") or not mf.is_file():
            continue
        try:
            old = json.loads(mf.read_text())
        except (OSError, ValueError):
            continue
        for m, k in old.get("module_keys", {}).items():
            if mkeys.get(m) == k and m in old.get("modules", {}) and m not in old.get("failed", {}) \
                    and all((folder / old["items"][i]["file"]).is_file() for i in old["modules"][m]["items"]):
                out.setdefault(m, (folder, old))
    return out


def _link_module(old_path: Path, old_manifest: dict, mod_name: str, folder: Path) -> dict[str, dict]:
    """Hard-link (or copy) one module's item files from an earlier pack into the build folder."""
    entries = {}
    for name in old_manifest["modules"][mod_name]["items"]:
        entry = old_manifest["items"][name]
        src, dst = old_path / entry["file"], folder / entry["file"]
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        entries[name] = entry
    return entries


def _stale_tmp(folder: Path) -> bool:
    """True for the temporary folder of a build that was killed (nothing written to it for :data:`STALE_TMP_S`)."""
    try:
        return time.time() - folder.stat().st_mtime > STALE_TMP_S
    except OSError:  # removed meanwhile by the build that owns it
        return False


def _write_module(folder: Path, mod_name: str, mod, items: dict) -> dict[str, dict]:
    """Write one module's items; all or nothing (a failure removes the files already written)."""
    entries: dict[str, dict] = {}
    try:
        for name, obj in items.items():
            entries[name] = _write_item(folder, name, obj) | {"module": mod_name, "source_id": mod.SOURCE_ID}
    except BaseException:
        for name in items:
            for suffix in _SUFFIXES:
                (folder / f"{name}{suffix}").unlink(missing_ok=True)
        raise
    return entries


def _missing_item(exc: BaseException, built: dict) -> str | None:
    """The pack item a derived module could not find, if that is what ``exc`` says."""
    if isinstance(exc, MissingItemError):
        return exc.item
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        name = exc.args[0]
        if name in ITEM_MODULE and name not in built:
            return name
    return None


def _failure(mod_name: str, mod, exc: BaseException, built: dict, failed: dict) -> dict | None:
    """The manifest's ``failed`` entry of a module that raised ``exc``, or None if ``exc`` is not a data failure.

    A source error names its own source and file; a missing dependency of a derived module names the source of the
    module that should have built it (and repeats its message when that module failed); anything else names the
    module's own source.
    """
    entry = {"source_id": mod.SOURCE_ID, "file": None, "message": str(exc), "error": type(exc).__name__,
             "items": list(MODULE_ITEMS.get(mod_name, ()))}
    if isinstance(exc, SourceError):
        return entry | {"source_id": exc.source_id, "file": exc.filename}
    missing = _missing_item(exc, built)
    if missing is not None:
        owner = ITEM_MODULE.get(missing)
        entry["needs"] = missing
        if owner in failed:
            dep = failed[owner]
            return entry | {"source_id": dep["source_id"], "file": dep.get("file"),
                            "message": f"{mod_name} needs {missing!r} from {owner}, which could not be built: "
                                       f"{dep['message']}"}
        if owner is not None:
            try:
                entry["source_id"] = importlib.import_module(_module_path(owner)).SOURCE_ID
            except (ImportError, AttributeError):
                pass
        return entry | {"message": f"{mod_name} needs pack item {missing!r}"
                                   + (f" from {owner}" if owner else "") + ", which was not built"}
    if isinstance(exc, HolocarbonError):
        return entry
    return None


def _pack_complete(folder: Path, settings: Settings) -> bool:
    """A pack is complete if its manifest exists and no failed module's source file has since become available.

    Failures that name no source file (a derived module's input that was never built, an item that cannot be
    stored) are not retried: the same sources would give the same pack.
    """
    mf = folder / MANIFEST
    if not mf.is_file():
        return False
    manifest = json.loads(mf.read_text())
    if manifest.get("module_list") != list(PACK_MODULES):
        return False  # a partial pack built for a test or an older module list
    if not manifest["failed"]:
        return True
    from engine.data.fetch import file_status

    registry = load_registry()
    for info in manifest["failed"].values():
        if not info.get("file"):
            continue
        src = registry.get(info["source_id"])
        if src and all(file_status(settings, f) == "ok" for f in src.files):
            return False
    return True


def pack_status(settings: Settings) -> tuple[str, Path]:
    """``("ok" | "partial" | "missing", path)`` of the pack for the current key."""
    folder = settings.pack_root / pack_key()
    mf = folder / MANIFEST
    if not mf.is_file():
        return "missing", folder
    return ("partial" if json.loads(mf.read_text())["failed"] else "ok"), folder


def ensure_pack(settings: Settings, show_progress: bool = True) -> Pack:
    """Open the pack for the current key, building it first if it is missing, stale or incomplete."""
    folder = build_pack(settings, show_progress=show_progress)
    return Pack.open(folder)


@dataclass(frozen=True)
class Pack:
    """Read access to a built pack.

    Loaded items are memoised per instance (the app holds one Pack per process), never at module level.
    """

    path: Path
    manifest: dict
    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    #: HDF5/NetCDF is not thread-safe: every load happens under this lock (loads are once per process anyway).
    _lock: Any = field(default_factory=threading.RLock, compare=False, hash=False, repr=False)

    @classmethod
    def open(cls, path: Path) -> Pack:
        """Open a pack folder.

        Raises
        ------
        PackError
            If the folder has no manifest (run ``python -m engine pack build``).
        """
        mf = Path(path) / MANIFEST
        if not mf.is_file():
            raise PackError(f"no processed pack at {path}: run `python -m engine pack build`")
        return cls(Path(path), json.loads(mf.read_text()))

    @property
    def key(self) -> str:
        return self.manifest["key"]

    def has(self, name: str) -> bool:
        return name in self.manifest["items"]

    def item_names(self) -> list[str]:
        """Names of the items the pack holds."""
        return list(self.manifest["items"])

    def failure_for(self, name: str) -> str | None:
        """Why an item is absent: the message of the failed module that owns it, or None if the item exists."""
        if self.has(name):
            return None
        for mod_name, info in self.manifest.get("failed", {}).items():
            if name in info.get("items", MODULE_ITEMS.get(mod_name, ())):
                return info["message"]
        return f"pack item {name!r} does not exist in pack {self.key}"

    def _entry(self, name: str, kind: str) -> dict:
        try:
            entry = self.manifest["items"][name]
        except KeyError:
            raise PackError(f"pack item {name!r} is not available: {self.failure_for(name)}") from None
        if entry["kind"] != kind:
            raise PackError(f"pack item {name!r} is a {entry['kind']}, not a {kind}")
        return entry

    def _load(self, name: str, kind: str, loader):
        obj = self._memo.get(name)
        if obj is not None:
            return obj
        with self._lock:
            if name not in self._memo:
                entry = self._entry(name, kind)
                obj = loader(self.path / entry["file"], entry)
                if hasattr(obj, "attrs") and entry.get("attrs"):
                    obj.attrs.update(entry["attrs"])
                self._memo[name] = obj
            return self._memo[name]

    def table(self, name: str) -> pd.DataFrame:
        """A tidy table (parquet); the returned frame is shared: copy before mutating."""
        return self._load(name, "table", lambda p, e: pd.read_parquet(p))

    def geo(self, name: str):
        """A GeoDataFrame (GeoParquet)."""
        import geopandas as gpd

        return self._load(name, "geo", lambda p, e: gpd.read_parquet(p))

    def grid(self, name: str):
        """An xarray DataArray (or Dataset if it held several variables), loaded into memory."""
        import xarray as xr

        def _open(p, e):
            with NETCDF_LOCK, xr.open_dataset(p, engine="netcdf4") as ds:
                ds = ds.load()
            if e.get("var") and e["var"] in ds:
                return ds[e["var"]]
            return ds

        return self._load(name, "grid", _open)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        """A dict of numpy arrays (npz)."""
        def _open(p, e):
            with np.load(p) as z:
                return {k: z[k] for k in z.files}

        return self._load(name, "arrays", _open)


@dataclass(frozen=True)
class MemoryPack:
    """The :class:`Pack` interface over items built in memory (derived pack modules compute from it)."""

    items: dict
    key: str = "building"

    def has(self, name: str) -> bool:
        return name in self.items

    def item_names(self) -> list[str]:
        return list(self.items)

    def _get(self, name: str):
        try:
            return self.items[name]
        except KeyError:
            raise MissingItemError(f"pack item {name!r} is not built (its module failed or runs later)",
                                   name) from None

    table = geo = grid = arrays = _get
