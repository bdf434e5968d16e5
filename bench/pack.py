"""Benchmark: processed pack build from the raw sources (forced rebuild). Prints JSON lines.

Run: ``python bench/pack.py`` (uses HOLOCARBON_DATA like the app). Figures: wall time per module and in total,
peak resident memory of the build process [MiB], pack size on disk [MiB]. Budget (DESIGN.md): build <= 3 min.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.core.config import Settings  # noqa: E402
from engine.data.pack import Pack, build_pack  # noqa: E402


def main() -> None:
    settings = Settings.from_env()
    t0 = time.perf_counter()
    path = build_pack(settings, force=True, show_progress=False)
    wall = time.perf_counter() - t0
    pack = Pack.open(path)
    for mod, info in pack.manifest["modules"].items():
        print(json.dumps({"bench": "pack_build_module", "module": mod, "seconds": info["seconds"]}))
    size = sum(p.stat().st_size for p in path.iterdir())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": "pack_build", "seconds": round(wall, 2), "budget_seconds": 180,
                      "peak_rss_mib": round(peak, 1), "pack_mib": round(size / 2**20, 1),
                      "items": len(pack.manifest["items"]), "failed": list(pack.manifest["failed"])}))


if __name__ == "__main__":
    main()
