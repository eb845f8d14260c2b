"""Docket's web face: the JSON API and the pages, over the same store and service layer as the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fastapi import FastAPI

from docket.store import open_store


def create_app(db: str | None = None, user: str = "analyst", gazetteer: Callable | None = None,
               tiles: str | None = None, tiles_attribution: str | None = None,
               allowed_hosts: Iterable[str] | None = None) -> FastAPI:
    """The application over the store at `db` (as the CLI finds it: --db, $DOCKET_DB, ./docket.db).

    `tiles` is a map tile URL template ("https://tile.example.org/{z}/{x}/{y}.png", else $DOCKET_TILES);
    without one, maps draw their own basemap of country borders (world-atlas, from node_modules), which
    needs no network; with one, its tiles are the basemap and the borders an overlay to switch on.

    `allowed_hosts` are the host names the server answers to (any other Host header gets 400, which
    stops DNS rebinding); by default the loopback names. `security.allowed_hosts(bind, extra)` derives
    them from the address served on. CSRF tokens and session cookies are signed with $DOCKET_SECRET, else a
    random key made at start (then a restart logs everyone out).

    `user` is who writes in a store without accounts; once the store has accounts, a write is made as the
    account logged in (`/login`) or of an API token, with its role's rights (services/accounts.py)."""
    import os
    from pathlib import Path

    from fastapi.staticfiles import StaticFiles

    from docket import __version__
    from docket.gazetteer import default_gazetteer
    from docket.ingest import max_bytes
    from docket.npm import node_modules
    from docket.services.accounts import LoginLimiter
    from docket.web.api import api_router, install_errors
    from docket.web.pages import pages_router
    from docket.web.security import LOOPBACK, Guard, new_secret, page_policy

    max_bytes()  # a bad $DOCKET_MAX_BYTES is said once, at start, not as a failure of every upload

    app = FastAPI(
        title="Docket", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        description="Source-attributed, geolocated, time-stamped claims. Docket records what sources say; "
                    "it never states that something happened.",
    )
    app.state.store = open_store(db)
    app.state.user = user
    app.state.gazetteer = gazetteer or default_gazetteer
    app.state.tiles = tiles if tiles is not None else os.environ.get("DOCKET_TILES", "")
    app.state.tiles_attribution = tiles_attribution or os.environ.get("DOCKET_TILES_ATTRIBUTION", "")
    app.state.secret = new_secret()
    app.state.logins = LoginLimiter()  # failed web logins, per account name
    app.state.ended_sessions = {}  # session ids logged out: security.ended
    app.state.allowed_hosts = list(allowed_hosts) if allowed_hosts is not None else list(LOOPBACK)
    app.add_middleware(Guard, hosts=app.state.allowed_hosts, policy=page_policy(app.state.tiles))
    install_errors(app)
    app.include_router(api_router(app))
    app.include_router(pages_router(app))
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    vendor = node_modules()
    if vendor is not None:
        app.mount("/vendor", StaticFiles(directory=vendor), name="vendor")
    return app


def settle(app: FastAPI) -> FastAPI:
    """Ready a served application: load the gazetteer now rather than on the first request, then tell
    Python's garbage collector to leave what is loaded alone (`gc.freeze`) and to collect less often.
    A page reads a few thousand small objects; with the default thresholds the collector ran every
    700 allocations and walked the loaded gazetteer and caches each time it reached the oldest
    generation, which made one request in twenty five to ten times slower than the median."""
    import gc

    app.state.gazetteer()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    return app
