"""An application factory for running Docket under a process manager (`uvicorn --factory
docket.web.serve_factory:app --workers N`): the store from $DOCKET_DB, the author from $DOCKET_USER,
the host names it answers to beyond the loopback ones from $DOCKET_ALLOWED_HOSTS (the names a proxy
or the users' browsers put in the Host header). With several workers, set $DOCKET_SECRET: each worker
must sign CSRF tokens with the same key, or a form served by one is refused by another."""

from __future__ import annotations

import os

from fastapi import FastAPI


def app() -> FastAPI:
    from docket.web import create_app, settle
    from docket.web.security import allowed_hosts, env_hosts

    return settle(create_app(os.environ.get("DOCKET_DB"), user=os.environ.get("DOCKET_USER", "analyst"),
                             allowed_hosts=allowed_hosts("127.0.0.1", env_hosts())))
