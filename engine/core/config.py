"""Runtime settings: where source files, the processed pack and the disk cache live.

Every setting comes from an environment variable with a documented default, and is held in a frozen
:class:`Settings` value that is passed explicitly (no module-level mutable state).

==========================  ==================================================================
variable                    meaning (default)
==========================  ==================================================================
``HOLOCARBON_DATA``         data directory holding ``raw/`` sources and ``pack/``
                            (``$XDG_CACHE_HOME/holocarbon`` or ``~/.cache/holocarbon``)
``HOLOCARBON_MIRROR``       local mirror of the public files (``../shared/data`` beside the
                            project when it exists); ``none`` disables the mirror
``HOLOCARBON_OFFLINE``      ``1`` forbids downloads (mirror only)
``HOLOCARBON_CACHE_DIR``    FileSystemCache directory shared by server workers
                            (``<data>/cache``); ``none`` keeps the cache in memory only
``HOLOCARBON_REDIS_URL``    use Redis as the shared cache backend instead of the file system
==========================  ==================================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The tables the project authors (concordances, groups, parameters with sources, the source registry).
AUTHORED_DIR = PROJECT_ROOT / "data"
REGISTRY_PATH = AUTHORED_DIR / "sources.toml"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "holocarbon"


def _default_mirror() -> Path | None:
    candidate = PROJECT_ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


@dataclass(frozen=True)
class Settings:
    """Where Holocarbon reads and writes its data.

    Parameters
    ----------
    data_dir : Path
        Root of the data directory; raw sources go to ``data_dir / "raw"``, the pack to ``data_dir / "pack"``.
    mirror_dir : Path or None
        A local mirror laid out like the registry (``<source_id>/<file>``), or None.
    offline : bool
        If True, never download; only copy from the mirror.
    cache_dir : Path or None
        Directory of the shared disk cache, or None for memory only.
    redis_url : str or None
        Redis URL for the shared cache backend.
    """

    data_dir: Path
    mirror_dir: Path | None = None
    offline: bool = False
    cache_dir: Path | None = None
    redis_url: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Build settings from environment variables (see the module docstring)."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("HOLOCARBON_DATA") or _default_data_dir()).expanduser()
        mirror_raw = env.get("HOLOCARBON_MIRROR")
        if mirror_raw is None or mirror_raw == "":
            mirror = _default_mirror()
        elif mirror_raw.lower() == "none":
            mirror = None
        else:
            mirror = Path(mirror_raw).expanduser()
        cache_raw = env.get("HOLOCARBON_CACHE_DIR")
        if cache_raw is None or cache_raw == "":
            cache_dir: Path | None = data_dir / "cache"
        elif cache_raw.lower() == "none":
            cache_dir = None
        else:
            cache_dir = Path(cache_raw).expanduser()
        return cls(
            data_dir=data_dir,
            mirror_dir=mirror,
            offline=env.get("HOLOCARBON_OFFLINE", "0").lower() in ("1", "true", "yes"),
            cache_dir=cache_dir,
            redis_url=env.get("HOLOCARBON_REDIS_URL") or None,
        )

    @property
    def raw_dir(self) -> Path:
        """Directory of verified raw source files, ``<data_dir>/raw``."""
        return self.data_dir / "raw"

    @property
    def pack_root(self) -> Path:
        """Directory holding processed packs, ``<data_dir>/pack``."""
        return self.data_dir / "pack"
