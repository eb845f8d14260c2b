"""Where Docket finds the npm packages it reads (htmx, Leaflet, world-atlas's borders, WordNet): a module
with no imports beyond the standard library, so that the web pages, the extractor and the dossier all
find them the same way without pulling each other in."""

from __future__ import annotations

import os
from pathlib import Path

# the maps' offline basemap: Natural Earth's countries at 1:50m (world-atlas, npm), as TopoJSON
BASEMAP = "world-atlas/countries-50m.json"


def node_modules() -> Path | None:
    """The npm packages: $DOCKET_NODE_MODULES, else node_modules beside the source tree; None if neither."""
    env = os.environ.get("DOCKET_NODE_MODULES")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in Path(__file__).resolve().parents:
        if (parent / "node_modules").is_dir():
            return parent / "node_modules"
    return None
