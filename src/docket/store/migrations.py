"""Schema versions and the steps between them.

A numbered list of steps, each run once in its own transaction, recorded in `schema_version`. Alembic
would need a migrations directory and an env script for what is, for an embedded single-file store, an
ordered list of functions; a later PostgreSQL deployment can adopt Alembic from this baseline.
"""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection, Engine

from docket.store.schema import claim_places, claims, documents, schema_version


def _v1_baseline(conn: Connection) -> None:
    for table in (documents, claims, claim_places):
        table.create(conn, checkfirst=True)


MIGRATIONS = [_v1_baseline]
CURRENT = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar() or 0


def migrate(engine: Engine, metadata) -> int:
    """Bring the store up to the current schema; returns the version it is at."""
    with engine.begin() as conn:
        if not inspect(conn).has_table("schema_version"):
            schema_version.create(conn)
            conn.execute(schema_version.insert().values(version=0))
        version = current_version(conn)
    for number in range(version, CURRENT):
        with engine.begin() as conn:
            MIGRATIONS[number](conn)
            conn.execute(schema_version.update().values(version=number + 1))
    return CURRENT
