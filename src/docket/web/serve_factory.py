"""An application factory for running Docket under a process manager (`uvicorn --factory
docket.web.serve_factory:app --workers N`): the store from $DOCKET_DB, the author from $DOCKET_USER."""

from __future__ import annotations

import os

from fastapi import FastAPI


def app() -> FastAPI:
    from docket.web import create_app, settle

    return settle(create_app(os.environ.get("DOCKET_DB"), user=os.environ.get("DOCKET_USER", "analyst")))
