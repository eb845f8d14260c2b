"""Where the gazetteer's indexes live, building the base one on first use, and importing GeoNames dumps.

The folder is `$DOCKET_GAZETTEER_DIR`, else the user's data folder (platformdirs), `…/docket/gazetteer`:
`base/` is the world base layer (rebuilt when the packages it comes from change version), and
`imports/<name>/` one index per imported GeoNames file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docket.errors import DocketError
from docket.gazetteer import base
from docket.gazetteer.index import FORMAT, PlaceIndex, build_index

Progress = Callable[[str, int, int], None]


def gazetteer_dir() -> Path:
    env = os.environ.get("DOCKET_GAZETTEER_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("docket")) / "gazetteer"


def _current(folder: Path, meta: dict) -> bool:
    try:
        strings = json.loads((folder / "strings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return strings.get("format") == FORMAT and strings.get("meta") == meta


def _stderr_progress(what: str, done: int, total: int) -> None:
    if done == 0:
        print(f"docket: building the {what} (once; it is cached in {gazetteer_dir()}) …", file=sys.stderr, flush=True)


def base_index(progress: Progress | None = _stderr_progress, rebuild: bool = False) -> PlaceIndex:
    """The world base layer's index, built first if it is missing or out of date."""
    folder = gazetteer_dir() / "base"
    meta = {"layer": "base", "packages": base.fingerprint()}
    if not rebuild and _current(folder, meta):
        return PlaceIndex(folder)
    try:
        return build_index(base.base_records(), folder, meta,
                           progress=(lambda i, n: progress("world gazetteer index", i, n)) if progress else None)
    except OSError as e:
        raise DocketError(f"{folder}: cannot build the gazetteer index ({e.strerror or e})") from e


def import_indexes() -> list[tuple[str, PlaceIndex]]:
    root = gazetteer_dir() / "imports"
    out = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (folder / "strings.json").exists():
                out.append((folder.name, PlaceIndex(folder)))
    return out


def load_layers() -> list[tuple[str, PlaceIndex]]:
    """[("import", index) …, ("base", index)]: imported dumps before the base layer."""
    return [("import", idx) for _, idx in import_indexes()] + [("base", base_index())]


def import_file(path: Path, name: str | None = None, progress: Progress | None = None) -> tuple[str, int, float]:
    """Index one GeoNames-format file as a layer; returns its name, its number of places, seconds taken."""
    from docket.gazetteer.geonames import read_geonames

    t0 = time.perf_counter()
    if not path.exists():
        raise DocketError(f"{path}: no such file")
    records = read_geonames(path, base_index(progress=None))
    if not records:
        raise DocketError(f"{path}: no places found (expected a GeoNames dump or admin code file)")
    layer = name or path.name.split(".")[0]
    folder = gazetteer_dir() / "imports" / layer
    meta = {"layer": "import", "file": str(path.resolve()), "size": path.stat().st_size}
    build_index(records, folder, meta)
    return layer, len(records), time.perf_counter() - t0


def remove_import(name: str) -> None:
    import shutil

    folder = gazetteer_dir() / "imports" / name
    if not folder.is_dir():
        raise DocketError(f"{name}: no such imported layer (see `docket gazetteer layers`)")
    shutil.rmtree(folder)
