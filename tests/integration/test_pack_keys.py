"""Nothing goes stale (issue 11): the pack key covers source files, authored tables and the code of every item, and
a changed input rebuilds exactly the items that depend on it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.data import pack as pack_mod

ROOT = Path(__file__).resolve().parents[2]


def test_items_a_derived_module_read_are_declared_as_its_needs(pack):
    """The manifest of the real build records what each derived module read; all of it comes from the modules its
    key depends on (DERIVED_NEEDS), so no input can change without changing the key."""
    for mod in pack_mod.DERIVED_MODULES:
        info = pack.manifest["modules"][mod]
        if "items_read" not in info:  # reused from an earlier build: its reads were checked when it was built
            continue
        allowed = {i for n in pack_mod.DERIVED_NEEDS[mod] for i in pack_mod.MODULE_ITEMS[n]}
        assert info["items_read"], f"{mod} read nothing?"
        assert set(info["items_read"]) <= allowed, f"{mod} read undeclared items"


def test_module_keys_cover_authored_tables_and_code():
    inputs = pack_mod.module_inputs("series")
    assert {"edgar_to_wiod.csv", "jrc56_to_wiod35.csv"} <= set(inputs["authored"])
    assert {"engine.accounts.ledger", "engine.io.satellite", "engine.io.iomath"} <= set(inputs["code"])
    assert set(inputs["needs"]) == set(pack_mod.DERIVED_NEEDS["series"])
    edgar = pack_mod.module_inputs("edgar")
    assert edgar["sources"] and all(k.startswith("edgar2024/") for k in edgar["sources"])
    assert "edgar_to_wiod.csv" not in edgar["authored"]


def _copy_project(dst: Path) -> None:
    def ignore(d, names):
        return [n for n in names if n in (".venv", ".venv-runtime", ".git", "test-output", "__pycache__",
                                          ".hypothesis", ".pytest_cache")]

    shutil.copytree(ROOT, dst, ignore=ignore)


def _build(project: Path, data: Path, settings) -> dict:
    env = dict(os.environ, HOLOCARBON_DATA=str(data), HOLOCARBON_MIRROR=str(settings.raw_dir), HOLOCARBON_OFFLINE="1")
    out = subprocess.run([sys.executable, "-m", "engine", "pack", "build"], cwd=project, env=env, capture_output=True,
                         text=True, timeout=900)
    assert out.returncode == 0, out.stdout + out.stderr
    folders = [p for p in (data / "pack").iterdir() if not p.name.startswith(".tmp-")]
    assert len(folders) == 1, "only the current pack is kept"
    return json.loads((folders[0] / pack_mod.MANIFEST).read_text()) | {"_path": str(folders[0])}


@pytest.mark.slow
def test_editing_an_authored_table_rebuilds_the_items_that_depend_on_it(pack, settings, tmp_path):
    """A temporary copy of the project and of the built pack (hard links): edit ``data/edgar_to_wiod.csv`` and the
    next build rebuilds ``ledger_series`` and ``uncertainty_draws`` (whose consumption shares and consumption draws
    bake the concordance in) and reuses every other module; editing ``data/sector_proxies.csv`` (read by the maps at request time) changes the pack key, so no
    answer cached under the old key is read, but rebuilds nothing."""
    project, data = tmp_path / "project", tmp_path / "data"
    _copy_project(project)
    (data / "pack").mkdir(parents=True)
    os.symlink(settings.raw_dir, data / "raw")
    shutil.copytree(pack.path, data / "pack" / pack.path.name, copy_function=os.link)

    same = _build(project, data, settings)
    assert same["key"] == pack.key  # nothing changed: the same pack, no rebuild

    e2w = project / "data" / "edgar_to_wiod.csv"
    e2w.write_text(e2w.read_text() + "Power Industry,c18\n")  # a second candidate for power generation
    changed = _build(project, data, settings)
    assert changed["key"] != pack.key
    rebuilt = {m for m, info in changed["modules"].items() if "reused_from" not in info}
    assert rebuilt == {"series", "uncertainty"}  # the consumption draws go through the same concordance
    assert all(info["reused_from"] == pack.key for m, info in changed["modules"].items() if m not in rebuilt)
    with np.load(Path(changed["_path"]) / "ledger_series.npz") as new, \
            np.load(pack.path / "ledger_series.npz") as old:
        assert not np.allclose(new["cons"], old["cons"]), "the concordance must change the stored consumption"
        assert np.allclose(new["terr"], old["terr"])  # production does not depend on it

    sp = project / "data" / "sector_proxies.csv"
    sp.write_text(sp.read_text().replace("Waste,population", "Waste,land"))
    runtime_only = _build(project, data, settings)
    assert runtime_only["key"] != changed["key"]
    assert all("reused_from" in info for info in runtime_only["modules"].values())
