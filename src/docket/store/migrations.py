"""Schema versions and the steps between them.

A numbered list of steps, each run once in its own transaction, recorded in `schema_version`. Alembic
would need a migrations directory and an env script for what is, for an embedded single-file store, an
ordered list of functions; a later PostgreSQL deployment can adopt Alembic from this baseline.
"""

from __future__ import annotations

import logging

from sqlalchemy import Column, ForeignKey, Index, MetaData, String, Table, Text, func, inspect, select
from sqlalchemy.engine import Connection, Engine

from docket.store.schema import (
    area_claims,
    claim_places,
    claim_versions,
    claims,
    documents,
    entity_decisions,
    group_members,
    groups,
    incident_decisions,
    log,
    log_head,
    relations,
    schema_version,
    tokens,
    users,
)

# version 2's table of claim areas (claim, place), replaced in version 5 by `area_claims`
claim_areas = Table(
    "claim_areas",
    MetaData(),
    Column("claim_id", String(40), ForeignKey(claims.c.id, ondelete="CASCADE"), primary_key=True),
    Column("place_id", Text, primary_key=True),
    Index("ix_claim_areas_place", "place_id"),
)


def _v1_baseline(conn: Connection) -> None:
    for table in (documents, claims, claim_places):
        table.create(conn, checkfirst=True)


def _v2_areas_relations_decisions(conn: Connection) -> None:
    """Claim areas (a claim's places and every place they lie in), stated relations, entity decisions;
    filled for the documents already stored."""
    for table in (claim_areas, relations, entity_decisions):
        table.create(conn, checkfirst=True)
    rows = conn.execute(select(claim_places.c.claim_id, claim_places.c.place_id)).fetchall()
    if rows:
        from docket.gazetteer import default_gazetteer

        gaz = default_gazetteer()
        pairs = {(claim_id, pid) for claim_id, place_id in rows if place_id for pid in gaz.area_ids(place_id)}
        if pairs:
            conn.execute(claim_areas.insert(), [dict(claim_id=c, place_id=p) for c, p in sorted(pairs)])
    from docket.extract.pipeline import speaking
    from docket.extract.relations import stated_relations
    from docket.extract.text import iter_sentences
    from docket.gazetteer import default_gazetteer
    from docket.model import DocumentMeta

    fields = list(DocumentMeta.model_fields)
    for d in conn.execute(select(documents.c.sha256, documents.c.text, *[documents.c[f] for f in fields])).fetchall():
        meta = speaking(DocumentMeta(**{f: d._mapping[f] for f in fields}))
        for r in stated_relations(iter_sentences(d.text), meta, default_gazetteer()):
            conn.execute(relations.insert().values(
                document_sha256=d.sha256, subject=r.subject, predicate=r.predicate, object=r.object,
                span_start=r.span[0], span_end=r.span[1], text=r.text, attributed_to=r.attributed_to))


def _v3_claim_versions(conn: Connection) -> None:
    """Versions of reviewed claims (a claim never reviewed has only its extracted state, in `claims`)."""
    claim_versions.create(conn, checkfirst=True)


def _v4_anchor_years_and_kind_index(conn: Connection) -> None:
    """Each document's anchor year, kept with it; an index that counts claims of a kind without the table."""
    from sqlalchemy import Index, text

    if "anchor_year" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.execute(text("ALTER TABLE documents ADD COLUMN anchor_year INTEGER"))
    if "ix_claims_kind_status_when" not in {i["name"] for i in inspect(conn).get_indexes("claims")}:
        Index("ix_claims_kind_status_when", claims.c.kind, claims.c.status, claims.c.when_start).create(conn)
    update_anchor_years(conn)


def _v5_area_digests(conn: Connection) -> None:
    """Claim areas carry each claim's digest (`area_claims`), filled from version 2's `claim_areas` and
    the claims themselves; the old table goes."""
    from docket.store import ClaimFilter, ClaimStore, _area_rows

    area_claims.create(conn, checkfirst=True)
    if not inspect(conn).has_table("claim_areas"):
        return
    areas: dict[str, list[str]] = {}
    for claim_id, place_id in conn.execute(select(claim_areas.c.claim_id, claim_areas.c.place_id)):
        areas.setdefault(claim_id, []).append(place_id)
    reader = ClaimStore(conn.engine, "migration")
    ids = list(areas)
    for i in range(0, len(ids), 500):
        found = reader._claims_in(conn, ClaimFilter(ids=ids[i : i + 500], include_rejected=True))
        rows = [row for c in found for row in _area_rows(c, areas[c.id], None)]  # signed by version 9
        if rows:
            conn.execute(area_claims.insert(), rows)
    claim_areas.drop(conn)


def _v6_write_log(conn: Connection) -> None:
    """The write log (a hash chain, store/chain.py). A store that held data before it had a log adopts
    what it holds: one entry per document (its bytes, text, metadata, claims and relations as they are
    now) and one per entity decision, so that `verify` can vouch for everything from here on; what
    happened before the upgrade is not in the log, and the entries say so."""
    from docket.store import _document_from_row, _document_record, chain

    log.create(conn, checkfirst=True)
    log_head.create(conn, checkfirst=True)
    chain.start(conn)
    if conn.execute(select(log.c.seq).limit(1)).first() is not None:
        return
    cols = [c for c in documents.c if c.name != "raw"]
    for r in conn.execute(select(*cols, func.length(documents.c.raw).label("size")).order_by(documents.c.ingested_at,
                                                                                           documents.c.sha256)).fetchall():
        doc = _document_from_row(r._mapping)
        found = {r.id: (dict(r._mapping), [], []) for r in conn.execute(select(claims).where(
            claims.c.document_sha256 == doc.sha256))}
        of_doc = select(claims.c.id).where(claims.c.document_sha256 == doc.sha256)
        for p in conn.execute(select(claim_places).where(claim_places.c.claim_id.in_(of_doc))):
            found[p.claim_id][1].append(dict(p._mapping))
        for cid, pid in conn.execute(select(area_claims.c.claim_id, area_claims.c.place_id)
                                     .where(area_claims.c.claim_id.in_(of_doc))):
            found[cid][2].append(pid)
        rels = conn.execute(select(relations).where(relations.c.document_sha256 == doc.sha256)
                            .order_by(relations.c.id)).fetchall()
        versions = conn.execute(select(claim_versions).where(claim_versions.c.claim_id.in_(list(found)))
                                .order_by(claim_versions.c.claim_id, claim_versions.c.version)).fetchall()
        chain.append(conn, "adopt", doc.sha256, "docket (upgrade)", {
            "note": "held before the store had a write log; its earlier history is not logged",
            "document": _document_record(doc, r.size), "format": chain.CLAIM_FORMAT,
            "claims": {cid: chain.claim_hash(*rows) for cid, rows in found.items()},
            "relations": chain.relations_hash([dict(x._mapping) for x in rels]),
            "versions": {f"{v.claim_id} {v.version}": chain.version_hash(v._mapping) for v in versions}})
    for d in conn.execute(select(entity_decisions).order_by(entity_decisions.c.id)).fetchall():
        chain.append(conn, "entity_decision", str(d.id), "docket (upgrade)", {
            "note": "held before the store had a write log", "decision": chain.decision_hash(d._mapping),
            "action": d.action, "a": d.a, "b": d.b})


def _v7_things_from_kinds(conn: Connection) -> None:
    """What comparisons pair a claim by (its digest's `thing`) is the slot kinds.toml names for its kind.
    A change of control is now compared by its place (it was compared by an object category it never
    has, so that the taking of a village and of its district were one event dated twice): the area
    digests of those claims are written again."""
    from docket.kinds import kinds
    from docket.store import ClaimStore

    placed = [name for name, k in kinds().items() if k.thing == "place"]
    ids = [cid for (cid,) in conn.execute(select(claims.c.id).where(claims.c.kind.in_(placed)))]
    ClaimStore(conn.engine, "migration")._refresh_digests(conn, ids)


def _v8_incident_digests(conn: Connection) -> None:
    """Incidents are told apart by the precision of a claim's date and by the span it gives ("the night
    of 3 to 4 March"), and a figure that is part of a total given with it is never its rival, so area
    digests carry all three (`when_precision`, `when_end`, `part`), written again for every claim."""
    from sqlalchemy import text

    from docket.store import ClaimStore

    columns = {c["name"] for c in inspect(conn).get_columns("area_claims")}
    for name, kind in (("when_precision", "VARCHAR(5)"), ("when_end", "VARCHAR(10)"), ("part", "BOOLEAN")):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE area_claims ADD COLUMN {name} {kind}"))
    ids = [cid for (cid,) in conn.execute(select(claims.c.id))]
    ClaimStore(conn.engine, "migration")._refresh_digests(conn, ids)


def _v9_measures_series_echoes(conn: Connection) -> None:
    """Figures are compared only with figures of the same measure (killed, injured, detained …); an
    ongoing figure is a point in a series ordered by its document's date; a repeated sentence is an
    echo of its origin. Area digests carry all four (`measure`, `series`, `as_of`, `echo`), written
    again for every claim."""
    from sqlalchemy import text

    from docket.store import ClaimStore

    columns = {c["name"] for c in inspect(conn).get_columns("area_claims")}
    for name, kind in (("measure", "VARCHAR(20)"), ("series", "VARCHAR(10)"), ("as_of", "VARCHAR(10)"),
                       ("echo", "VARCHAR(80)")):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE area_claims ADD COLUMN {name} {kind}"))
    ids = [cid for (cid,) in conn.execute(select(claims.c.id))]
    ClaimStore(conn.engine, "migration")._refresh_digests(conn, ids)


def _incident_decisions(conn: Connection) -> None:
    """An analyst's merges, splits and grades of incidents (`incident_decisions`), logged like entity
    decisions. A new table: a store upgraded to it has none to adopt into its log."""
    incident_decisions.create(conn, checkfirst=True)


def _accounts(conn: Connection) -> None:
    """Accounts, API tokens and groups (`users`, `tokens`, `groups`, `group_members`; services/accounts.py).
    New tables, empty: a store upgraded to them has no accounts, and works as before (the local user acts
    with every right) until its first admin is added."""
    for table in (users, tokens, groups, group_members):
        table.create(conn, checkfirst=True)


def anchor_year_expression():
    """A document's anchor year, as SQL over its claims: the earliest year of its dated events."""
    from sqlalchemy import Integer, cast, or_

    from docket.model import SHOWN
    from docket.resolve.clusters import EVENT_KINDS

    return (
        select(func.min(cast(func.substr(claims.c.when_start, 1, 4), Integer)))
        .where(claims.c.document_sha256 == documents.c.sha256, claims.c.kind.in_(EVENT_KINDS),
               claims.c.when_start.is_not(None), claims.c.status.in_(SHOWN),
               or_(claims.c.when_ongoing.is_(None), claims.c.when_ongoing.is_(False)))
        .scalar_subquery()
    )


def update_anchor_years(conn: Connection, sha256: str | None = None) -> None:
    """Recompute the anchor year of one document (or of all): the earliest year of its dated events."""
    from sqlalchemy import and_, update

    stmt = update(documents).values(anchor_year=anchor_year_expression())
    if sha256:
        stmt = stmt.where(and_(documents.c.sha256 == sha256))
    conn.execute(stmt)


MIGRATIONS = [_v1_baseline, _v2_areas_relations_decisions, _v3_claim_versions, _v4_anchor_years_and_kind_index,
              _v5_area_digests, _v6_write_log, _v7_things_from_kinds, _v8_incident_digests,
              _v9_measures_series_echoes, _incident_decisions, _accounts]
CURRENT = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar() or 0


def begin_write(conn: Connection) -> None:
    """Take the store's write lock at the start of a transaction. SQLite's default (deferred) transaction
    takes it only at the first write, so two processes that both read first (is the schema there? which
    entry is the newest?) would each act on what they read; BEGIN IMMEDIATE makes the second wait
    (busy_timeout) until the first commits."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine, metadata) -> int:
    """Bring the store up to the current schema; returns the version it is at.

    Each step runs in its own write transaction and first reads the version under the lock, so that two
    processes opening a new (or old) store at once never run a step twice: the second waits, then finds
    the work done."""
    with engine.connect() as conn:
        version = current_version(conn)
    if 0 < version < CURRENT:
        # an older store is upgraded in place; with a million claims that takes minutes (version 5
        # computes every claim's digest), so say so rather than seem to hang
        logging.getLogger("docket.store").warning(
            "%s: upgrading the store from schema version %d to %d (about 2.5 minutes per million claims)",
            engine.url.database or engine.url, version, CURRENT)
    while version < CURRENT:
        with engine.begin() as conn:
            begin_write(conn)
            if not inspect(conn).has_table("schema_version"):
                schema_version.create(conn)
                conn.execute(schema_version.insert().values(version=0))
            version = current_version(conn)
            if version >= CURRENT:
                break
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(schema_version.update().values(version=version))
    return CURRENT
