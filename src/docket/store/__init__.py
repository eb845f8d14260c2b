"""The claim store: one interface over SQLAlchemy Core, SQLite by default (one file, WAL).

Callers use `ClaimStore` only; nothing outside this package writes SQL, so a PostgreSQL URL can be
passed to `open_store` without touching them. Every write is one transaction: a document and all its
claims land together or not at all.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import case, create_engine, event, func, insert, literal_column, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from docket.errors import DocketError
from docket.model import (
    SHOWN,
    Claim,
    ClaimDigest,
    Document,
    DocumentMeta,
    DocumentRef,
    ObjectRef,
    PlaceRef,
    Quantity,
    When,
)
from docket.store import chain
from docket.store.migrations import begin_write, migrate, update_anchor_years
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
    metadata,
    relations,
    tokens,
    users,
)

DEFAULT_DB = "docket.db"
# how long a writer waits for another's transaction to end: ingest transactions are short (extraction
# happens before), but an upgrade of a large store or a long ingest of a big document can take seconds
BUSY_TIMEOUT_MS = 60_000
# each SQLite connection's page cache, in KiB (SQLite's default is 2 MiB). A place's dossier or page reads
# its claims, their places and their documents by key, several times over (the claims, then the documents'
# records, then the evidence's contexts), about 15 MiB of pages for a busy place of a large store: in 2 MiB
# each read went back to the file for pages the one before had read. The cache fills only as pages are read.
CACHE_KIB = 32 * 1024


def like_escaped(value: str) -> str:
    """A user's text inside a LIKE pattern, its wildcards (% and _) and the escape character taken
    literally (used with escape="\\")."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def store_location(db: str | None) -> str:
    """`--db PATH`, else $DOCKET_DB, else ./docket.db."""
    return db or os.environ.get("DOCKET_DB") or DEFAULT_DB


@dataclass
class ClaimFilter:
    kind: str | None = None
    place: str | None = None
    actor: str | None = None
    document: str | None = None
    since: str | None = None
    until: str | None = None
    status: str | None = None
    limit: int | None = None
    area: str | None = None  # a place id: claims about it or about any place inside it
    ids: list[str] | None = None  # only these claims
    offset: int = 0
    sort: str | None = None  # one of SORTS, "-" in front for descending
    include_rejected: bool = False  # rejected claims are hidden unless asked for (or `status="rejected"`)
    text: str | None = None  # words the claim's text contains (case-insensitive)
    named: list[str] | None = None  # claims whose entity fields (ENTITY_FIELDS) hold one of these names


# the claim fields that name entities
ENTITY_FIELDS = ("agent", "attributed_to", "corroborated_by", "company", "parent_company", "instrument", "site")


# the orders a claim listing can be sorted in
SORTS = {
    "document": (documents.c.ingested_at, claims.c.document_sha256, claims.c.span_start),
    "when": (claims.c.when_start,), "kind": (claims.c.kind,), "confidence": (claims.c.confidence,),
    "published": (documents.c.published,), "source": (claims.c.attributed_to,),
}


class ClaimStore:
    def __init__(self, engine: Engine, location: str, created_file: Path | None = None):
        self.engine = engine
        self.location = location
        self.created_file = created_file  # the SQLite file this open created, if it did
        self._counts: dict[tuple, int] = {}
        self._revision = None  # the statement `revision` runs
        self._snapshot: Connection | None = None  # set inside `snapshot()`

    def discard_if_new_and_empty(self) -> bool:
        """Remove the SQLite file this open created when nothing went into it: a failed first ingest
        leaves no empty store behind. Returns whether it removed one."""
        if self.created_file is None or self.documents():
            return False
        self.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.created_file) + suffix).unlink(missing_ok=True)
        return True

    # ------------------------------------------------------------------ writing

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """A connection to read with: the snapshot's, inside `snapshot()`, else a fresh one."""
        if self._snapshot is not None:
            yield self._snapshot
            return
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[ClaimStore]:
        """Every read inside this block sees the store as it was when the block began (one read
        transaction: a WAL snapshot on SQLite), so a check that reads the log, then the documents,
        then the claims is not fooled by a write that lands in between."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")
                conn.exec_driver_sql("SELECT count(*) FROM schema_version").all()  # the snapshot starts here
            else:
                conn.begin()
            self._snapshot = conn
            try:
                yield self
            finally:
                self._snapshot = None
                conn.rollback()

    @contextmanager
    def _writing(self, integrity: bool = True) -> Iterator[Connection]:
        """One write transaction, holding the write lock from its start (SQLite: BEGIN IMMEDIATE), so a
        writer that reads before it writes never works from a state another writer has just changed.
        A store that cannot be written becomes a DocketError naming it."""
        try:
            with self.engine.begin() as conn:
                begin_write(conn)
                yield conn
        except OperationalError as e:
            raise DocketError(f"{self.location}: cannot write to the store ({e.orig})") from e
        except IntegrityError as e:
            if not integrity:  # the caller reads it (add_document: stored meanwhile by another process)
                raise
            raise DocketError(f"{self.location}: the store refused the write, which contradicts what it holds "
                              f"({str(e.orig).splitlines()[0]}); run `docket verify`") from e

    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.sha256).where(documents.c.sha256 == sha256)).first() is not None

    def add_document(self, doc: Document, raw: bytes, found: Iterable[Claim], areas: dict[str, set[str]] | None = None,
                     stated: Iterable = (), custody: dict | None = None, actor: str | None = None) -> bool:
        """Store a document (its bytes unaltered), its claims, the areas they are about (claim id ->
        place ids, enclosing places included) and the relations it states, in one transaction, with its
        log entry (`custody`: where the file came from, recorded in it). Returns False, storing
        nothing, when the same bytes are already stored (another process may just have put them in)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = list(found)
        relation_rows = [dict(document_sha256=doc.sha256, subject=r.subject, predicate=r.predicate, object=r.object,
                              span_start=r.span[0], span_end=r.span[1], text=r.text, attributed_to=r.attributed_to)
                         for r in stated]
        try:
            with self._writing(integrity=False) as conn:
                if conn.execute(select(documents.c.sha256).where(documents.c.sha256 == doc.sha256)).first():
                    return False
                conn.execute(
                    insert(documents).values(
                        sha256=doc.sha256, filename=doc.filename, media_type=doc.media_type, raw=raw, text=doc.text,
                        ingested_at=now, **doc.meta.model_dump(),
                    )
                )
                hashes = self._insert_claims(conn, doc.sha256, rows, areas or {}, now, doc.text)
                if relation_rows:
                    conn.execute(insert(relations), relation_rows)
                update_anchor_years(conn, doc.sha256)  # the one definition of a document's anchor year
                data = {"document": _document_record(doc, len(raw), now), "source": custody or {},
                        "claims": hashes, "format": chain.CLAIM_FORMAT, "relations": chain.relations_hash(relation_rows)}
                chain.append(conn, "ingest", doc.sha256, actor, data)
        except IntegrityError as e:
            if self.has_document(doc.sha256):  # stored by another process between our check and our write
                return False
            raise DocketError(f"{self.location}: {doc.filename or doc.sha256}: not stored ({e.orig})") from e
        except SQLAlchemyError as e:
            raise DocketError(f"{self.location}: {doc.filename or doc.sha256}: not stored ({getattr(e, 'orig', e)})") from e
        return True

    @staticmethod
    def _insert_claims(conn: Connection, sha256: str, rows: list[Claim], areas: dict[str, set[str]], now: str,
                       text: str | None) -> dict:
        """Insert claims with their places and area rows (`text`: the document's, whose sentences the
        area rows sign); returns claim id -> the hash of what was written."""
        claim_rows, place_rows, area_rows, hashes = [], [], [], {}
        for c in rows:
            row, places = _claim_row(c, sha256, now), _place_rows(c)
            claim_rows.append(row)
            place_rows += places
            area_rows += _area_rows(c, areas.get(c.id, ()), text)
            hashes[c.id] = chain.claim_hash(row, places, sorted(areas.get(c.id, ())))
        # one statement per table, executed for all rows (executemany)
        for table, batch in ((claims, claim_rows), (claim_places, place_rows), (area_claims, area_rows)):
            if batch:
                conn.execute(insert(table), batch)
        return hashes

    def claim_rows(self, sha256: str) -> dict[str, tuple[dict, list[dict], list[str]]]:
        """A document's claims as stored rows: claim id -> (its row, its places' rows, the ids of the
        areas it counts for), for hashing."""
        with self._connect() as conn:
            out = {r.id: (dict(r._mapping), [], []) for r in conn.execute(
                select(claims).where(claims.c.document_sha256 == sha256))}
            ids = list(out)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for p in conn.execute(select(claim_places).where(claim_places.c.claim_id.in_(chunk))):
                    out[p.claim_id][1].append(dict(p._mapping))
                for cid, pid in conn.execute(select(area_claims.c.claim_id, area_claims.c.place_id)
                                             .where(area_claims.c.claim_id.in_(chunk))):
                    out[cid][2].append(pid)
        return out

    def _refresh_digests(self, conn: Connection, ids: list[str]) -> None:
        """Write the area rows of these claims again from the claims as they now read (same places)."""
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            places: dict[str, list[str]] = {}
            for cid, pid in conn.execute(select(area_claims.c.claim_id, area_claims.c.place_id)
                                         .where(area_claims.c.claim_id.in_(chunk))):
                places.setdefault(cid, []).append(pid)
            conn.execute(area_claims.delete().where(area_claims.c.claim_id.in_(chunk)))
            found = self._claims_in(conn, ClaimFilter(ids=chunk, include_rejected=True))
            texts = {sha: self._text_of(conn, sha) for sha in {c.document.sha256 for c in found if c.document}}
            rows = [r for c in found
                    for r in _area_rows(c, places.get(c.id, ()), texts.get(c.document.sha256) if c.document else None)]
            if rows:
                conn.execute(insert(area_claims), rows)

    @staticmethod
    def _text_of(conn: Connection, sha256: str) -> str | None:
        return conn.execute(select(documents.c.text).where(documents.c.sha256 == sha256)).scalar()

    def update_document(self, sha256: str, seen: DocumentMeta, meta: DocumentMeta, found: list[Claim],
                        areas: dict[str, set[str]], stated: Iterable, actor: str, reason: str) -> dict:
        """Correct a document's metadata from `seen` (what the caller read) to `meta`: the claims
        extracted again with it (`found`) replace the extracted ones, except the claims an analyst has
        reviewed (their decisions stand); its relations and anchor year follow. One transaction and one
        log entry; what is reviewed and what the metadata is are read inside it, so a review or another
        correction that lands meanwhile is kept, or refused, never lost. Returns what changed."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        relation_rows = [dict(document_sha256=sha256, subject=r.subject, predicate=r.predicate, object=r.object,
                              span_start=r.span[0], span_end=r.span[1], text=r.text, attributed_to=r.attributed_to)
                         for r in stated]
        with self._writing() as conn:
            row = conn.execute(select(*[documents.c[f] for f in DocumentMeta.model_fields])
                               .where(documents.c.sha256 == sha256)).first()
            if row is None:
                raise DocketError(f"{sha256}: no such document in {self.location}")
            before = dict(row._mapping)
            if before != seen.model_dump():
                raise DocketError(f"{sha256[:12]}: its metadata changed while this correction was prepared; run it again")
            keep = self._reviewed(conn, sha256)
            old = {cid for (cid,) in conn.execute(select(claims.c.id).where(claims.c.document_sha256 == sha256))}
            replaced = sorted(old - keep)
            for i in range(0, len(replaced), 500):
                chunk = replaced[i : i + 500]
                for table in (area_claims, claim_places):
                    conn.execute(table.delete().where(table.c.claim_id.in_(chunk)))
                conn.execute(claims.delete().where(claims.c.id.in_(chunk)))
            new = [c for c in found if c.id not in keep]
            hashes = self._insert_claims(conn, sha256, new, areas, now, self._text_of(conn, sha256))
            conn.execute(relations.delete().where(relations.c.document_sha256 == sha256))
            if relation_rows:
                conn.execute(insert(relations), relation_rows)
            conn.execute(documents.update().where(documents.c.sha256 == sha256).values(**meta.model_dump()))
            self._refresh_digests(conn, sorted(keep & old))  # a kept claim's source may be the publisher
            update_anchor_years(conn, sha256)
            data = {"before": before, "after": meta.model_dump(), "reason": reason, "claims": hashes,
                    "format": chain.CLAIM_FORMAT, "removed": sorted(set(replaced) - set(hashes)),
                    "relations": chain.relations_hash(relation_rows)}
            seq, _ = chain.append(conn, "edit_document", sha256, actor, data)
        return {"entry": seq, "claims": len(hashes), "removed": len(data["removed"]), "kept": len(keep & old)}

    # ------------------------------------------------------------------ reading

    def documents(self) -> list[dict]:
        n = select(claims.c.document_sha256, func.count().label("claims")).group_by(claims.c.document_sha256).subquery()
        stmt = (
            select(documents.c.sha256, documents.c.filename, documents.c.title, documents.c.publisher,
                   documents.c.published, documents.c.genre, documents.c.ingested_at, func.coalesce(n.c.claims, 0).label("claims"))
            .outerjoin(n, n.c.document_sha256 == documents.c.sha256)
            .order_by(documents.c.ingested_at, documents.c.sha256)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def document(self, key: str) -> Document:
        """A document by SHA-256 (or a unique prefix of it) or by file name."""
        cols = [c for c in documents.c if c.name != "raw"]  # the bytes only when asked for (`raw`)
        if re.fullmatch(r"[0-9a-f]{64}", key):
            stmt = select(*cols).where(documents.c.sha256 == key)
        else:
            conditions = [documents.c.filename == key]
            if re.fullmatch(r"[0-9a-f]{4,63}", key):  # a prefix of a SHA-256, at least 4 hex digits
                conditions.append(documents.c.sha256.like(f"{key}%"))
            stmt = select(*cols).where(or_(*conditions))
        with self._connect() as conn:
            rows = conn.execute(stmt).fetchall()
        if not rows:
            raise DocketError(f"{key}: no such document in {self.location}")
        if len(rows) > 1:
            raise DocketError(f"{key}: matches {len(rows)} documents; give more of the SHA-256")
        return _document_from_row(rows[0]._mapping)

    def documents_by_sha(self, shas: Iterable[str]) -> dict[str, Document]:
        """Several documents (text and metadata, not their bytes) in one query per 500."""
        shas = list(dict.fromkeys(shas))
        cols = [c for c in documents.c if c.name != "raw"]
        out: dict[str, Document] = {}
        with self._connect() as conn:
            for i in range(0, len(shas), 500):
                for r in conn.execute(select(*cols).where(documents.c.sha256.in_(shas[i : i + 500]))):
                    out[r.sha256] = _document_from_row(r._mapping)
        return out

    def document_records(self, shas: Iterable[str]) -> dict[str, dict]:
        """Several documents' records without their text or bytes (sha256, filename, media_type, the
        DocumentMeta fields, ingested_at), in one query per 500 and in the order `documents_by_sha`
        gives: for saying where claims come from, which needs none of their text."""
        shas = list(dict.fromkeys(shas))
        cols = [c for c in documents.c if c.name not in ("raw", "text", "anchor_year")]
        names = [c.name for c in cols]
        out: dict[str, dict] = {}
        with self._connect() as conn:
            for i in range(0, len(shas), 500):
                for r in conn.execute(select(*cols).where(documents.c.sha256.in_(shas[i : i + 500]))):
                    out[r.sha256] = dict(zip(names, r, strict=True))
        return out

    def contexts(self, ids: Iterable[str], width: int) -> dict[str, tuple[str, str, str]]:
        """Claim id -> the characters of its document just before its span (at most `width`), those of
        the span, and those just after it (at most `width`), as text[max(0, a - width):a], text[a:b] and
        text[b:b + width] would give (one query per 500 claims). Cut out by the store (substr counts
        characters, from 1, on SQLite and PostgreSQL alike), so that quoting claims in their sentences never
        carries their documents' texts out of it whole."""
        ids = list(dict.fromkeys(ids))
        a, b, text = claims.c.span_start, claims.c.span_end, documents.c.text
        # max(0, a - width) and max(0, b - a), portably (PostgreSQL refuses a negative length, SQLite
        # would count it backwards, where a slice gives "")
        start, length = case((a > width, a - width), else_=0), case((b > a, b - a), else_=0)
        stmt = select(claims.c.id, func.substr(text, start + 1, a - start), func.substr(text, a + 1, length),
                      func.substr(text, b + 1, width)).join(documents, documents.c.sha256 == claims.c.document_sha256)
        out: dict[str, tuple[str, str, str]] = {}
        with self._connect() as conn:
            for i in range(0, len(ids), 500):
                out.update((cid, (before, quote, after)) for cid, before, quote, after in
                           conn.execute(stmt.where(claims.c.id.in_(ids[i : i + 500]))))
        return out

    def anchor_years(self, shas: Iterable[str]) -> dict[str, int]:
        """Document -> its anchor year (the earliest year of the dated events it reports), kept with it."""
        shas = list(dict.fromkeys(shas))
        out: dict[str, int] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(shas), 500):
                stmt = select(documents.c.sha256, documents.c.anchor_year).where(
                    documents.c.sha256.in_(shas[i : i + 500]), documents.c.anchor_year.is_not(None))
                out.update({sha: int(y) for sha, y in conn.execute(stmt)})
        return out

    def raw(self, sha256: str) -> bytes:
        with self._connect() as conn:
            value = conn.execute(select(documents.c.raw).where(documents.c.sha256 == sha256)).scalar_one()
        # bytes, even where an edit behind Docket's back stored them as text (verify then reports it)
        return value if isinstance(value, bytes) else str(value).encode("utf-8", errors="surrogatepass")

    def _filtered(self, stmt, f: ClaimFilter):
        if f.area:
            # what the area's rows answer is asked of them alone: the claims table is then read only for
            # the claims selected
            stmt = stmt.where(claims.c.id.in_(self._conditions(select(area_claims.c.claim_id), area_claims, f)))
        else:
            stmt = self._conditions(stmt, claims, f)
        if f.document and re.fullmatch(r"[0-9a-f]{64}", f.document):
            stmt = stmt.where(claims.c.document_sha256 == f.document)  # a document's key: that document only
        elif f.document:
            doc = like_escaped(f.document)
            stmt = stmt.where(or_(claims.c.document_sha256.like(f"{doc}%", escape="\\"),
                                  documents.c.filename.like(f"%{doc}", escape="\\")))
        if f.actor:
            like = f"%{like_escaped(f.actor.lower())}%"
            stmt = stmt.where(or_(func.lower(claims.c.agent).like(like, escape="\\"),
                                  func.lower(claims.c.attributed_to).like(like, escape="\\")))
        if f.place:
            like = f"%{like_escaped(f.place.lower())}%"
            sub = select(claim_places.c.claim_id).where(
                or_(func.lower(claim_places.c.name).like(like, escape="\\"),
                    func.lower(claim_places.c.mention).like(like, escape="\\"),
                    func.lower(claim_places.c.admin_path).like(like, escape="\\"), claim_places.c.place_id == f.place)
            )
            stmt = stmt.where(claims.c.id.in_(sub))
        if f.ids is not None:
            stmt = stmt.where(claims.c.id.in_(f.ids))
        if f.named is not None:
            stmt = stmt.where(or_(*(claims.c[field].in_(f.named) for field in ENTITY_FIELDS)))
        if f.text:
            stmt = stmt.where(func.lower(claims.c.text).like(f"%{like_escaped(f.text.lower())}%", escape="\\"))
        return stmt

    @staticmethod
    def _conditions(stmt, table, f: ClaimFilter):
        """The conditions on kind, period and status, on `claims` or on `area_claims` (which has those
        columns too)."""
        if f.area and table is area_claims:
            stmt = stmt.where(area_claims.c.place_id == f.area)
        if f.kind:
            stmt = stmt.where(table.c.kind == f.kind)
        if f.since:
            stmt = stmt.where(table.c.when_start >= f.since)
        if f.until:
            stmt = stmt.where(table.c.when_start <= f.until + "\uffff")
        if f.status:
            stmt = stmt.where(table.c.status == f.status)
        elif not f.include_rejected:
            # a list of the states shown, not `!= "rejected"`: SQLite then seeks the (kind, status, when)
            # index for each state, where the inequality made it read every entry of the kind (0.16 ms
            # against 4 ms for a kind and a period among a million claims)
            stmt = stmt.where(table.c.status.in_(SHOWN))
        return stmt

    def digests(self, area: str, kind: str | None = None) -> list[ClaimDigest]:
        """The digests of the claims about a place or anything inside it (rejected claims left out), read
        from the area's rows alone."""
        stmt = self._conditions(select(*_DIGEST_COLUMNS), area_claims, ClaimFilter(area=area, kind=kind))
        with self.engine.connect() as conn:
            return [_digest_from_row(r) for r in conn.execute(stmt)]

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Claim id -> the claim's text (its characters in the document), for showing digests."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                out.update(conn.execute(select(claims.c.id, claims.c.text).where(claims.c.id.in_(ids[i : i + 500]))).all())
        return out

    def facets(self, f: ClaimFilter, field: str, limit: int = 20) -> list[tuple[str, int]]:
        """How many of the filtered claims have each value of a field (kind, attributed_to …), most first."""
        source = claims.join(documents, documents.c.sha256 == claims.c.document_sha256) if f.document else claims
        if field == "year":
            col = func.substr(claims.c.when_start, 1, 4)
        elif field == "place":
            col = claim_places.c.name
            source = source.join(claim_places, claim_places.c.claim_id == claims.c.id)
        else:
            col = claims.c[field]
        stmt = self._filtered(select(col, func.count()).select_from(source), f)
        stmt = stmt.where(col.is_not(None)).group_by(col).order_by(func.count().desc(), col).limit(limit)
        with self.engine.connect() as conn:
            return [(v, n) for v, n in conn.execute(stmt)]

    def count(self, f: ClaimFilter | None = None) -> int:
        """How many claims a filter selects (limit and offset aside). Counts are kept until the store's
        revision changes: paging through a listing counts once."""
        f = f or ClaimFilter()
        key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(f.__dict__.items())
                    if k not in ("limit", "offset", "sort")) + (self.revision(),)
        cached = self._counts.get(key)
        if cached is not None:
            return cached
        n = self._count(f)
        if len(self._counts) > 4096:
            self._counts.clear()
        self._counts[key] = n
        return n

    def _count(self, f: ClaimFilter) -> int:
        if f.area and f.ids is None and f.named is None and not (f.place or f.actor or f.document or f.text):
            # the area's rows answer the question alone
            with self.engine.connect() as conn:
                return conn.execute(self._conditions(select(func.count()).select_from(area_claims), area_claims, f)).scalar_one()
        source = claims.join(documents, documents.c.sha256 == claims.c.document_sha256) if f.document else claims
        stmt = self._filtered(select(func.count()).select_from(source), f)
        with self.engine.connect() as conn:
            return conn.execute(stmt).scalar_one()

    def claims(self, f: ClaimFilter | None = None) -> list[Claim]:
        with self._connect() as conn:
            return self._claims_in(conn, f or ClaimFilter())

    def _claims_in(self, conn, f: ClaimFilter) -> list[Claim]:
        stmt = self._filtered(select(claims, documents.c.title, documents.c.published, documents.c.publisher).join(
            documents, documents.c.sha256 == claims.c.document_sha256), f)
        key = (f.sort or "document").lstrip("-")
        if key not in SORTS:
            raise DocketError(f"sort {f.sort}: expected one of {', '.join(SORTS)} (with - for descending)")
        cols = SORTS[key]
        desc = (f.sort or "").startswith("-")
        if key == "document" and conn.dialect.name == "sqlite":
            # claims are stored document by document in text order, so insertion order is document order;
            # SQLite then reads them in index order with no sort (a large listing pages in milliseconds)
            rowid = literal_column("claims.rowid")
            order = rowid.desc() if desc else rowid
            if f.limit:
                # a page is chosen among the rowids alone, which the indexes hold, and only its rows are
                # read whole: a kind and a period among a million claims page in 0.5 ms, where sorting
                # the matching rows took 8 ms
                source = claims.join(documents, documents.c.sha256 == claims.c.document_sha256) if f.document else claims
                page = self._filtered(select(rowid).select_from(source), f).order_by(order).limit(f.limit).offset(f.offset)
                stmt = (select(claims, documents.c.title, documents.c.published, documents.c.publisher)
                        .join(documents, documents.c.sha256 == claims.c.document_sha256)
                        .where(rowid.in_(page)).order_by(order))
            else:
                stmt = stmt.order_by(order)
        else:
            stmt = stmt.order_by(*[c.desc() if desc else c for c in cols], claims.c.id)
            if f.limit:
                stmt = stmt.limit(f.limit)
            if f.offset:
                stmt = stmt.offset(f.offset)
        places: dict[str, list[PlaceRef]] = {}
        if (f.limit or f.offset) and not (key == "document" and conn.dialect.name == "sqlite"):
            # a LIMIT or OFFSET that counts the rows themselves: the places are read afterwards, by claim id
            rows = [r._mapping for r in conn.execute(stmt)]
            ids = [r["id"] for r in rows]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for p in conn.execute(select(*_PLACE_COLUMNS).where(claim_places.c.claim_id.in_(chunk)).order_by(claim_places.c.claim_id, claim_places.c.ord)):
                    places.setdefault(p.place_claim_id, []).append(_place_from_row(p))
        else:
            # the places outer-joined to their claims, one row per place in order (a claim's rows are
            # consecutive: its id is the last key of every order): one query, where reading them by id
            # afterwards took one more per 500 claims, and read their pages apart from the claims'
            stmt = stmt.outerjoin(claim_places, claim_places.c.claim_id == claims.c.id).add_columns(
                *_PLACE_COLUMNS).order_by(claim_places.c.ord)
            rows = []
            for r in conn.execute(stmt):
                m = r._mapping
                if not rows or rows[-1]["id"] != m["id"]:
                    rows.append(m)
                if m["place_claim_id"] is not None:
                    places.setdefault(m["id"], []).append(_place_from_row(r))
        return [_claim_from_row(r, places.get(r["id"], [])) for r in rows]

    def relations(self, document: str | None = None) -> list[dict]:
        stmt = select(relations, documents.c.title, documents.c.published).join(
            documents, documents.c.sha256 == relations.c.document_sha256).order_by(relations.c.id)
        if document:
            stmt = stmt.where(relations.c.document_sha256 == document)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def names(self) -> list[tuple[str, str]]:
        """Every distinct (name, role) that claims and relations hold in entity fields."""
        out: set[tuple[str, str]] = set()
        with self.engine.connect() as conn:
            for role in ENTITY_FIELDS:
                col = claims.c[role]
                out.update((v, role) for (v,) in conn.execute(select(col).where(col.is_not(None)).distinct()))
            for (subj, obj, pred) in conn.execute(select(relations.c.subject, relations.c.object, relations.c.predicate).distinct()):
                role = "company" if pred == "subsidiary_of" else "agent"
                out.update({(subj, role), (obj, "parent_company" if pred == "subsidiary_of" else "agent")})
        return sorted(out)

    def decisions(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(entity_decisions).order_by(entity_decisions.c.id))]

    def add_decision(self, action: str, a: str, b: str | None, author: str | None, reason: str | None) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            ident = conn.execute(insert(entity_decisions).values(
                action=action, a=a, b=b, author=author, reason=reason, made_at=now)).inserted_primary_key[0]
            row = dict(id=ident, action=action, a=a, b=b, author=author, reason=reason, made_at=now)
            chain.append(conn, "entity_decision", str(ident), author, {"decision": chain.decision_hash(row),
                                                                       "action": action, "a": a, "b": b})
            return ident

    def incident_decisions(self) -> list[dict]:
        """An analyst's incident decisions (merge, split, grade), in the order they were made."""
        with self._connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(incident_decisions).order_by(incident_decisions.c.id))]

    def add_incident_decision(self, action: str, claim: str, other: str | None, grade: str | None, author: str | None,
                              reason: str | None) -> int:
        """Keep an incident decision and log it (subject: the claim it is anchored on); returns its number."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            values = dict(action=action, claim=claim, other=other, grade=grade, author=author, reason=reason,
                          made_at=now)
            ident = conn.execute(insert(incident_decisions).values(**values)).inserted_primary_key[0]
            chain.append(conn, "incident_decision", claim, author, {
                "id": ident, "decision": chain.incident_decision_hash(values | {"id": ident}), "action": action,
                "claim": claim, "other": other, "grade": grade})
            return ident

    # ------------------------------------------------------------------ accounts, tokens, groups
    # (services/accounts.py decides who may call these; here each change is one transaction and one log
    # entry, whose data names who and what but never a credential)

    def has_accounts(self) -> bool:
        """Whether any account exists: until the first does, the local user acts with every right."""
        with self._connect() as conn:
            return conn.execute(select(users.c.name).limit(1)).first() is not None

    def accounts(self) -> list[dict]:
        """Every account (its credential left out), with the groups it is in, by name."""
        with self._connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(*_ACCOUNT_COLUMNS).order_by(users.c.name))]
            member_of: dict[str, list[str]] = {}
            for g, u in conn.execute(select(group_members.c.group_name, group_members.c.user_name)
                                     .order_by(group_members.c.group_name)):
                member_of.setdefault(u, []).append(g)
        return [r | {"disabled": bool(r["disabled"]), "groups": member_of.get(r["name"], [])} for r in rows]

    def account(self, name: str) -> dict | None:
        """One account (its credential left out), with its groups; None when there is none of that name."""
        with self._connect() as conn:
            row = conn.execute(select(*_ACCOUNT_COLUMNS).where(users.c.name == name)).first()
            if row is None:
                return None
            in_groups = [g for (g,) in conn.execute(select(group_members.c.group_name)
                                                    .where(group_members.c.user_name == name)
                                                    .order_by(group_members.c.group_name))]
        return dict(row._mapping) | {"disabled": bool(row.disabled), "groups": in_groups}

    def password_hash(self, name: str) -> str | None:
        """An account's argon2 hash, for checking a password (services/accounts.py only)."""
        with self._connect() as conn:
            return conn.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()

    def add_account(self, name: str, password_hash: str, role: str, actor: str | None) -> dict:
        """Create an account. The first account of a store must be an admin: from then on accounts decide
        who may write, and someone must be able to manage them."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None:
                raise DocketError(f"{name}: an account of this name exists already")
            if role != "admin" and conn.execute(select(users.c.name).limit(1)).first() is None:
                raise DocketError(f"{name}: the first account must be an admin (--role admin), who then manages "
                                  "the others")
            row = dict(name=name, password_hash=password_hash, role=role, disabled=False, created_at=now,
                       password_set_at=now)
            conn.execute(insert(users).values(**row))
            chain.append(conn, "user_add", f"user:{name}", actor, {"user": name, "role": role,
                                                                  "row": chain.user_hash(row)})
        return self.account(name)

    def change_account(self, name: str, action: str, actor: str | None, **values) -> dict:
        """Change an account's role, disabled flag or password hash (`action`: user_role, user_disable,
        user_enable, user_passwd, the log entry's action). Refused when it changes nothing, or when it
        would leave the store with no enabled admin (nobody could manage the accounts then)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
            if row is None:
                raise DocketError(f"{name}: no such account (see `docket users list`)")
            before = dict(row._mapping)
            if "password_hash" in values:
                values["password_set_at"] = now
            elif all(before[k] == v for k, v in values.items()):
                said = {"user_role": f"is {'an' if before['role'][0] in 'aeiou' else 'a'} {before['role']} already",
                        "user_disable": "is disabled already", "user_enable": "is enabled already"}
                raise DocketError(f"{name} {said[action]}; nothing changed" if action in said else
                                  f"{name}: nothing to change")
            conn.execute(users.update().where(users.c.name == name).values(**values))
            enabled_admins = conn.execute(select(func.count()).select_from(users).where(
                users.c.role == "admin", users.c.disabled.is_(False))).scalar_one()
            if not enabled_admins:
                raise DocketError(f"{name}: the only enabled admin cannot be disabled or lose the role (nobody could "
                                  "manage the accounts then); make another admin first")
            after = before | values
            data = {"user": name, "row": chain.user_hash(after)}
            if action == "user_role":
                data |= {"before": before["role"], "after": after["role"]}
            chain.append(conn, action, f"user:{name}", actor, data)
        return self.account(name)

    def tokens(self, user: str | None = None) -> list[dict]:
        """API tokens (never their digests), newest first; of one account, or all."""
        stmt = select(*[c for c in tokens.c if c.name != "token_sha256"]).order_by(tokens.c.id.desc())
        if user is not None:
            stmt = stmt.where(tokens.c.user_name == user)
        with self._connect() as conn:
            return [dict(r._mapping) | {"revoked": bool(r.revoked)} for r in conn.execute(stmt)]

    def token(self, ident: int) -> dict | None:
        """One token by its number (its digest left out), or None."""
        with self._connect() as conn:
            row = conn.execute(select(*[c for c in tokens.c if c.name != "token_sha256"])
                               .where(tokens.c.id == ident)).first()
        return dict(row._mapping) | {"revoked": bool(row.revoked)} if row else None

    def token_by_digest(self, digest: str) -> dict | None:
        """The token whose SHA-256 this is (its digest left out), or None."""
        with self._connect() as conn:
            row = conn.execute(select(*[c for c in tokens.c if c.name != "token_sha256"])
                               .where(tokens.c.token_sha256 == digest)).first()
        return dict(row._mapping) | {"revoked": bool(row.revoked)} if row else None

    def add_token(self, user: str, digest: str, scope: str, expires_at: str, actor: str | None) -> dict:
        """Keep a new token's SHA-256 (the token itself is shown once, by the caller, and never kept)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == user)).first() is None:
                raise DocketError(f"{user}: no such account (see `docket users list`)")
            row = dict(user_name=user, token_sha256=digest, scope=scope, expires_at=expires_at, created_at=now,
                       revoked=False)
            ident = conn.execute(insert(tokens).values(**row)).inserted_primary_key[0]
            row["id"] = ident
            chain.append(conn, "token_create", f"token:{ident}", actor, {
                "token": ident, "user": user, "scope": scope, "expires_at": expires_at, "row": chain.token_hash(row)})
        return {k: v for k, v in row.items() if k != "token_sha256"}

    def revoke_token(self, ident: int, actor: str | None) -> dict:
        with self._writing() as conn:
            row = conn.execute(select(tokens).where(tokens.c.id == ident)).first()
            if row is None:
                raise DocketError(f"token {ident}: no such token (see `docket tokens list`)")
            if row.revoked:
                raise DocketError(f"token {ident}: revoked already; nothing changed")
            conn.execute(tokens.update().where(tokens.c.id == ident).values(revoked=True))
            after = dict(row._mapping) | {"revoked": True}
            chain.append(conn, "token_revoke", f"token:{ident}", actor, {"token": ident, "user": row.user_name,
                                                                        "row": chain.token_hash(after)})
        return {k: v for k, v in after.items() if k != "token_sha256"}

    def groups(self) -> list[dict]:
        """Every group with its members (names, sorted), by name."""
        with self._connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(groups).order_by(groups.c.name))]
            members: dict[str, list[str]] = {}
            for g, u in conn.execute(select(group_members.c.group_name, group_members.c.user_name)
                                     .order_by(group_members.c.user_name)):
                members.setdefault(g, []).append(u)
        return [r | {"members": members.get(r["name"], [])} for r in rows]

    def add_group(self, name: str, description: str | None, actor: str | None) -> dict:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            if conn.execute(select(groups.c.name).where(groups.c.name == name)).first() is not None:
                raise DocketError(f"{name}: a group of this name exists already")
            row = dict(name=name, description=description, created_at=now)
            conn.execute(insert(groups).values(**row))
            chain.append(conn, "group_add", f"group:{name}", actor, {"group": name, "row": chain.group_hash(row, [])})
        return row | {"members": []}

    def change_members(self, group: str, names: list[str], add: bool, actor: str | None) -> dict:
        """Add accounts to a group, or remove them from it: all of them or, when one cannot be, none."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._writing() as conn:
            row = conn.execute(select(groups).where(groups.c.name == group)).first()
            if row is None:
                raise DocketError(f"{group}: no such group (see `docket groups list`)")
            known = {u for (u,) in conn.execute(select(users.c.name).where(users.c.name.in_(names)))}
            for name in names:
                if name not in known:
                    raise DocketError(f"{name}: no such account (see `docket users list`)")
            members = {u for (u,) in conn.execute(select(group_members.c.user_name)
                                                  .where(group_members.c.group_name == group))}
            for name in names:
                if add and name in members:
                    raise DocketError(f"{name}: a member of {group} already; nothing changed")
                if not add and name not in members:
                    raise DocketError(f"{name}: not a member of {group}; nothing changed")
            if add:
                conn.execute(insert(group_members), [dict(group_name=group, user_name=n, added_at=now) for n in names])
                members |= set(names)
            else:
                conn.execute(group_members.delete().where(group_members.c.group_name == group,
                                                          group_members.c.user_name.in_(names)))
                members -= set(names)
            chain.append(conn, "group_members", f"group:{group}", actor, {
                "group": group, "added" if add else "removed": sorted(names),
                "row": chain.group_hash(row._mapping, sorted(members))})
        return dict(row._mapping) | {"members": sorted(members)}

    # ------------------------------------------------------------------ review: versions

    def reviewed(self, sha256: str) -> set[str]:
        """The ids of a document's claims an analyst has touched (any recorded version, or a state other
        than extracted)."""
        with self._connect() as conn:
            return self._reviewed(conn, sha256)

    @staticmethod
    def _reviewed(conn: Connection, sha256: str) -> set[str]:
        in_doc = select(claims.c.id).where(claims.c.document_sha256 == sha256)
        versioned = {cid for (cid,) in conn.execute(select(claim_versions.c.claim_id).distinct()
                                                    .where(claim_versions.c.claim_id.in_(in_doc)))}
        touched = {cid for (cid,) in conn.execute(in_doc.where(claims.c.status != "extracted"))}
        return versioned | touched

    def versions(self, claim_id: str) -> list[dict]:
        """Every recorded version of a claim, oldest first (an unreviewed claim has none yet)."""
        with self._connect() as conn:
            rows = conn.execute(select(claim_versions).where(claim_versions.c.claim_id == claim_id)
                                .order_by(claim_versions.c.version)).fetchall()
        return [dict(r._mapping) | {"data": json.loads(r.data)} for r in rows]

    def save_version(self, new: Claim, areas: set[str], author: str, reason: str | None, create: bool = False,
                     action: str | None = None) -> int:
        """Make `new` the claim's current state, as a new version with its author, time and reason; the
        state it replaces is kept as the version before. `create` adds a claim that did not exist.
        The change is logged (`action`: confirm, reject, edit, restore, create). Returns the new version
        number."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        sha = new.document.sha256 if new.document else None
        with self._writing() as conn:
            row = conn.execute(select(claims.c.version, claims.c.created_at, claims.c.status, claims.c.document_sha256)
                               .where(claims.c.id == new.id)).first()
            written = []
            if create:
                if row is not None:
                    raise DocketError(f"{new.id}: a claim with this id exists already")
                version = 1
                values = _claim_row(new, sha, now, version)
                conn.execute(insert(claims), [values])
            else:
                if row is None:
                    raise DocketError(f"{new.id}: no such claim")
                sha = row.document_sha256
                recorded = conn.execute(select(func.count()).select_from(claim_versions)
                                        .where(claim_versions.c.claim_id == new.id)).scalar_one()
                if not recorded:  # the extracted state becomes version 1 before it is replaced
                    old = self._claims_in(conn, ClaimFilter(ids=[new.id], include_rejected=True))[0]
                    first = dict(claim_id=new.id, version=row.version, status=row.status, data=json.dumps(old.contract()),
                                 author="docket (extracted)", reason=None, made_at=row.created_at)
                    conn.execute(insert(claim_versions), [first])
                    written.append(first)
                version = row.version + 1
                values = _claim_row(new, sha, row.created_at, version)
                conn.execute(claims.update().where(claims.c.id == new.id).values(**values))
                conn.execute(claim_places.delete().where(claim_places.c.claim_id == new.id))
                conn.execute(area_claims.delete().where(area_claims.c.claim_id == new.id))
            if new.places:
                conn.execute(insert(claim_places), _place_rows(new))
            if areas:
                conn.execute(insert(area_claims), _area_rows(new, areas, self._text_of(conn, sha) if sha else None))
            latest = dict(claim_id=new.id, version=version, status=new.status, data=json.dumps(new.contract()),
                          author=author, reason=reason, made_at=now)
            conn.execute(insert(claim_versions), [latest])
            written.append(latest)
            update_anchor_years(conn, sha)
            chain.append(conn, "create_claim" if create else "review", new.id, author, {
                "document": sha, "action": action or ("create" if create else "edit"), "version": version,
                "versions": {str(v["version"]): chain.version_hash(v) for v in written},
                "claim": chain.claim_hash(values, _place_rows(new), sorted(areas or ())), "format": chain.CLAIM_FORMAT})
            return version

    def top_places(self, limit: int = 10) -> list[tuple[str, int]]:
        """The places most claims name (place id, claims), most first."""
        n = func.count().label("n")
        stmt = (select(claim_places.c.place_id, n).where(claim_places.c.place_id.is_not(None))
                .group_by(claim_places.c.place_id).order_by(n.desc(), claim_places.c.place_id).limit(limit))
        with self.engine.connect() as conn:
            return [(pid, count) for pid, count in conn.execute(stmt)]

    def counts_by_kind(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {k: n for k, n in conn.execute(select(claims.c.kind, func.count()).where(claims.c.status.in_(SHOWN))
                                                  .group_by(claims.c.kind).order_by(claims.c.kind))}

    def revision(self) -> tuple:
        """Changes whenever the store's content does (a document added or corrected, a claim reviewed, an
        entity or incident decision made): what caches of derived views are keyed on. Every write appends to the
        log, so the log's head (one row) is the revision."""
        if self._revision is None:
            self._revision = select(log_head.c.seq)  # built once: every cached view asks for it
        with self.engine.connect() as conn:
            return tuple(conn.execute(self._revision).all())

    def optimize(self) -> None:
        """Refresh the query planner's statistics after a batch of writes (SQLite: ANALYZE, which takes
        under a second for a million claims). Without them SQLite may read a whole kind's index to
        answer a question about one place."""
        if self.engine.dialect.name == "sqlite":
            from sqlalchemy import text

            with self.engine.begin() as conn:
                conn.execute(text("ANALYZE"))

    # ------------------------------------------------------------------ the log and what it vouches for

    def chain_head(self) -> tuple[int, str]:
        """The newest log entry's number and hash (0 and the genesis hash for an empty log): what a
        dossier or an export names as the state it was made from."""
        with self._connect() as conn:
            row = conn.execute(select(log_head.c.seq, log_head.c.hash)).first()
        return (row.seq, row.hash) if row else (0, chain.GENESIS)

    def log_entries(self, subject: str | None = None, subjects: Iterable[str] | None = None) -> Iterator[dict]:
        """The log, oldest first (all of it, or the entries about one subject or several)."""
        stmt = select(log).order_by(log.c.seq)
        if subject is not None:
            stmt = stmt.where(log.c.subject == subject)
        if subjects is not None:
            stmt = stmt.where(log.c.subject.in_(list(subjects)))
        with self._connect() as conn:
            for r in conn.execute(stmt.execution_options(yield_per=1000)):
                yield dict(r._mapping)

    def stored_documents(self) -> Iterator[dict]:
        """Every document row whole, bytes included, one at a time (for re-hashing)."""
        with self._connect() as conn:
            shas = [s for (s,) in conn.execute(select(documents.c.sha256).order_by(documents.c.sha256))]
            for sha in shas:
                yield dict(conn.execute(select(documents).where(documents.c.sha256 == sha)).one()._mapping)

    def stored_claims(self, sha256: str) -> list[Claim]:
        """A document's claims as stored, rejected ones included."""
        return self.claims(ClaimFilter(document=sha256, include_rejected=True))

    def stored_rows(self, table_name: str, document: str | None = None) -> list[dict]:
        """The rows of a table the log vouches for (claim_versions, entity_decisions, incident_decisions,
        users, tokens, groups, group_members, relations of a document, area_claims of a document's claims),
        in a stable order."""
        table = {"claim_versions": claim_versions, "entity_decisions": entity_decisions, "relations": relations,
                 "area_claims": area_claims, "incident_decisions": incident_decisions, "users": users,
                 "tokens": tokens, "groups": groups, "group_members": group_members}[table_name]
        stmt = select(table)
        if table is relations:
            stmt = stmt.where(relations.c.document_sha256 == document).order_by(relations.c.id)
        elif table is area_claims:
            stmt = stmt.where(area_claims.c.claim_id.in_(select(claims.c.id).where(claims.c.document_sha256 == document)))
            stmt = stmt.order_by(area_claims.c.claim_id, area_claims.c.place_id)
        else:
            stmt = stmt.order_by(*table.primary_key.columns)
        with self._connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def derived_mismatches(self) -> list[tuple[str, str, str]]:
        """What the store derives from its claims but does not hold as derived: (what, subject, detail)
        for rows whose claim or document is gone (area rows and place rows of a deleted claim, relations
        of a deleted document), anchor years that are not the earliest year of their documents' dated
        events, and claims whose version is not their latest recorded one."""
        from docket.store.migrations import anchor_year_expression

        out: list[tuple[str, str, str]] = []
        with self._connect() as conn:
            for table in (area_claims, claim_places):
                stmt = select(table.c.claim_id).distinct().where(table.c.claim_id.not_in(select(claims.c.id)))
                out += [(table.name, cid, "rows for a claim the store does not hold") for (cid,) in conn.execute(stmt)]
            stmt = select(relations.c.id).where(relations.c.document_sha256.not_in(select(documents.c.sha256)))
            out += [("relations", str(i), "a relation of a document the store does not hold") for (i,) in conn.execute(stmt)]
            expected = anchor_year_expression()
            stmt = select(documents.c.sha256, documents.c.anchor_year, expected.label("expected")).where(
                func.coalesce(documents.c.anchor_year, -1) != func.coalesce(expected, -1))
            out += [("anchor_year", sha, f"is {got}, its claims give {want}") for sha, got, want in conn.execute(stmt)]
            latest = select(func.max(claim_versions.c.version)).where(
                claim_versions.c.claim_id == claims.c.id).scalar_subquery()
            stmt = select(claims.c.id, claims.c.version, latest.label("latest")).where(
                claims.c.version != func.coalesce(latest, 1))
            out += [("claim", cid, f"says it is at version {v}, its history ends at version {want or 1}")
                    for cid, v, want in conn.execute(stmt)]
        return out

    def close(self) -> None:
        self.engine.dispose()


def _claim_row(c: Claim, sha256: str, now: str, version: int = 1) -> dict:
    q, o, w = c.quantity, c.object, c.when
    return dict(
        id=c.id, document_sha256=sha256, kind=c.kind, span_start=c.span[0], span_end=c.span[1],
        text=c.text, attributed_to=c.attributed_to, agent=c.agent, affected=c.affected,
        quantity_value=q.value if q else None, quantity_low=q.low if q else None,
        quantity_high=q.high if q else None, quantity_qualifier=q.qualifier if q else None,
        quantity_unit=q.unit if q else None,
        object_category=o.category if o else None, object_name=o.name if o else None,
        when_start=w.start if w else None, when_end=w.end if w else None,
        when_precision=w.precision if w else None, when_ongoing=w.ongoing if w else None,
        instrument=c.instrument, company=c.company, parent_company=c.parent_company, site=c.site,
        weapons=json.dumps(c.weapons), minerals=json.dumps(c.minerals),
        corroborated_by=c.corroborated_by, status=c.status, confidence=c.confidence,
        version=version, created_at=now,
    )


def _document_record(doc: Document, size: int, ingested_at: str | None = None) -> dict:
    """What an ingest entry vouches for about a document: its bytes (by their SHA-256, its key), its
    text, its metadata, its file name and type, and when it was stored."""
    out = {"sha256": doc.sha256, "filename": doc.filename, "media_type": doc.media_type, "bytes": size,
           "text_sha256": chain.sha256(doc.text.encode("utf-8")), "meta": doc.meta.model_dump()}
    if ingested_at or doc.ingested_at:
        out["ingested_at"] = ingested_at or doc.ingested_at
    return out


def claim_state_of(c: Claim, sha256: str, areas: list[str], fmt: int = chain.CLAIM_FORMAT) -> dict:
    """What a claim's hash covers, for a claim as the model holds it (a review version, a claim
    extracted again), written as its rows would be."""
    return chain.claim_state(_claim_row(c, sha256, ""), _place_rows(c), areas, fmt)


def area_digest(c: Claim, text: str | None) -> dict:
    """The digest columns an area row of the claim must hold, `text` its document's (verify compares
    them)."""
    row = _area_rows(c, ["-"], text)[0]
    row.pop("place_id")
    return row


def _place_rows(c: Claim) -> list[dict]:
    return [dict(claim_id=c.id, ord=i, name=p.name, mention=p.mention, place_id=p.id, geonames_id=p.geonames_id,
                 lat=p.lat, lon=p.lon, feature=p.feature, admin_path=json.dumps(p.admin_path))
            for i, p in enumerate(c.places)]


def _area_rows(c: Claim, areas: Iterable[str], text: str | None) -> list[dict]:
    """The claim's digest once for each area it lies in (`text`: its document's)."""
    d = c.digest(text)
    q = d.quantity
    row = dict(claim_id=c.id, kind=d.kind, status=d.status, when_start=d.when_start, when_ongoing=d.ongoing,
               document_sha256=d.document, places=" ".join(d.places), thing=d.thing, source=d.source,
               quantity_value=q.value if q else None, quantity_low=q.low if q else None,
               quantity_high=q.high if q else None, quantity_qualifier=q.qualifier if q else None,
               quantity_unit=q.unit if q else None, when_precision=d.when_precision, when_end=d.when_end,
               part=d.part, measure=d.measure, series=d.series, as_of=d.as_of, echo=d.echo)
    return [row | {"place_id": pid} for pid in sorted(areas)]


# an account as it is shown and listed: every column but the password's hash
_ACCOUNT_COLUMNS = [c for c in users.c if c.name != "password_hash"]

_DIGEST_COLUMNS = [area_claims.c[name] for name in (
    "claim_id", "kind", "status", "document_sha256", "places", "thing", "source", "when_start", "when_ongoing",
    "quantity_value", "quantity_low", "quantity_high", "quantity_qualifier", "quantity_unit", "when_precision",
    "when_end", "part", "measure", "series", "as_of", "echo")]


# a claim's places, read with the claim's own columns (`_claims_in`), under names of their own
_PLACE_COLUMNS = [claim_places.c.claim_id.label("place_claim_id"), claim_places.c.name.label("place_name"),
                  claim_places.c.mention.label("place_mention"), claim_places.c.place_id.label("place_id"),
                  claim_places.c.geonames_id.label("place_geonames_id"), claim_places.c.lat.label("place_lat"),
                  claim_places.c.lon.label("place_lon"), claim_places.c.feature.label("place_feature"),
                  claim_places.c.admin_path.label("place_admin_path")]


def _place_from_row(r) -> PlaceRef:
    """A claim's place from a row holding `_PLACE_COLUMNS`."""
    return PlaceRef(name=r.place_name, mention=r.place_mention, id=r.place_id, geonames_id=r.place_geonames_id,
                    lat=r.place_lat, lon=r.place_lon, feature=r.place_feature, admin_path=_json_list(r.place_admin_path))


def _digest_from_row(r: tuple) -> ClaimDigest:
    """A digest from a row of `_DIGEST_COLUMNS` (read by position: a place page reads thousands)."""
    cid, kind, status, doc, places, thing, source, when_start, ongoing, value, low, high, qualifier, unit, precision, \
        when_end, part, measure, series, as_of, echo = r
    q = Quantity(value=value, low=low, high=high, qualifier=qualifier, unit=unit) if qualifier else None
    return ClaimDigest(cid, kind, status, doc, tuple(places.split()), thing, source, when_start, bool(ongoing), q,
                       precision, when_end, bool(part), measure, series, as_of, echo)


def _document_from_row(m) -> Document:
    return Document(sha256=m["sha256"], filename=m["filename"], media_type=m["media_type"], text=m["text"],
                    ingested_at=m["ingested_at"], meta=DocumentMeta(**{k: m[k] for k in DocumentMeta.model_fields}))


def _json_list(value: str | None) -> list:
    return json.loads(value) if value and value != "[]" else []


def _claim_from_row(r, places: list[PlaceRef]) -> Claim:
    """A claim as stored (pydantic's validating constructors are faster here than `model_construct`)."""
    q = None
    if r["quantity_qualifier"]:
        q = Quantity(value=r["quantity_value"], low=r["quantity_low"], high=r["quantity_high"],
                                     qualifier=r["quantity_qualifier"], unit=r["quantity_unit"])
    w = None
    if r["when_start"] or r["when_ongoing"]:
        w = When(start=r["when_start"], end=r["when_end"], precision=r["when_precision"],
                                 ongoing=bool(r["when_ongoing"]))
    return Claim(
        id=r["id"], kind=r["kind"],
        document=DocumentRef(sha256=r["document_sha256"], title=r["title"], published=r["published"],
                                             publisher=r["publisher"]),
        span=(r["span_start"], r["span_end"]), text=r["text"], attributed_to=r["attributed_to"], agent=r["agent"],
        affected=r["affected"], quantity=q,
        object=ObjectRef(category=r["object_category"], name=r["object_name"]) if r["object_category"] else None,
        places=places, when=w, instrument=r["instrument"], company=r["company"], parent_company=r["parent_company"],
        site=r["site"], weapons=_json_list(r["weapons"]), minerals=_json_list(r["minerals"]),
        corroborated_by=r["corroborated_by"], status=r["status"], confidence=r["confidence"],
    )


def _wal(cur) -> None:
    """Put the file in WAL mode (it stays so). Switching takes an exclusive lock, and SQLite answers
    "database is locked" at once, without its busy wait, when another process is opening the same new
    file that instant: so the switch is tried again for a while, and skipped once the file is WAL."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def open_store(location: str | None = None, create: bool = True, upgrade: bool = True) -> ClaimStore:
    """Open (and migrate) the store at a path or SQLAlchemy URL. With `upgrade` False an older store is
    refused rather than upgraded: a check must see the store as it found it (an upgrade adopts what
    the store holds into its log)."""
    location = store_location(location)
    url = location if "://" in location else f"sqlite:///{location}"
    created = None
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        created = None if path.exists() else path
        if not create and not path.exists():
            raise DocketError(f"{path}: no store here (run `docket ingest` first, or pass --db)")
        if path.exists() and not os.access(path, os.W_OK) or not path.exists() and not os.access(path.parent.resolve(), os.W_OK):
            raise DocketError(f"{path}: the store is not writable")
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cur = dbapi_connection.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            _wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            cur.close()

    try:
        if not upgrade:
            from docket.store.migrations import CURRENT, current_version

            with engine.connect() as conn:
                version = current_version(conn)
            if version < CURRENT:
                raise DocketError(f"{location}: the store is at schema version {version}, not {CURRENT}; upgrading it "
                                  "adopts what it holds into its write log, so run `docket upgrade` first (and know "
                                  "that what it held before is then vouched for only from the upgrade on)")
        migrate(engine, metadata)
    except SQLAlchemyError as e:
        raise DocketError(f"{location}: cannot open the store ({getattr(e, 'orig', e)})") from e
    return ClaimStore(engine, location, created)
