"""The service layer: what the CLI (and later the API and the web pages) call. Faces stay thin."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docket import __version__
from docket.errors import DocketError
from docket.extract.pipeline import extract
from docket.extract.relations import Relation
from docket.gazetteer import Gazetteer, default_gazetteer
from docket.ingest import SUFFIXES, display_name, read_document
from docket.model import Claim, Document, DocumentMeta
from docket.store import ClaimStore

log = logging.getLogger("docket.ingest")


@dataclass
class FileOutcome:
    path: str
    status: str  # added | unchanged | error
    sha256: str | None = None
    claims: int = 0
    message: str = ""


@dataclass(frozen=True)
class Source:
    """Where a file being ingested came from, for its custody record: how it arrived (`via`: "cli",
    "web upload", ...), its original name and URL, and who brought it in."""

    via: str = "cli"
    name: str | None = None  # the original file name (an upload's, not its temporary copy's)
    url: str | None = None
    actor: str | None = None


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def check_date(option: str, value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real date; else a clear error naming the option."""
    if value is None:
        return None
    ok = _PARTIAL_DATE.fullmatch(value)
    if ok:
        parts = [int(x) for x in value.split("-")] + [1, 1]
        try:
            date(parts[0], parts[1], parts[2])
        except ValueError:
            ok = None
    if not ok:
        raise DocketError(f"{option} {value}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def claims_for(doc: Document) -> list[Claim]:
    """Extract a document's claims, each with its stable id and its document reference."""
    return extracted(doc)[0]


def extracted(doc: Document) -> tuple[list[Claim], list[Relation]]:
    """A document's claims (with their ids and document reference) and the relations it states. Two
    readings that come to the same id (same kind, span, object, place and instrument) are one claim:
    the first, with the places the others add."""
    found, stated = extract(doc.text, doc.meta)
    ref = doc.ref()
    merged: dict[str, Claim] = {}
    for c in found:
        c = c.model_copy(update={"document": ref}).with_id(doc.sha256)
        first = merged.get(c.id)
        if first is None:
            merged[c.id] = c
            continue
        known = {(p.name, p.id) for p in first.places}
        extra = [p for p in c.places if (p.name, p.id) not in known]
        if extra:
            merged[c.id] = first.model_copy(update={"places": first.places + extra})
    return list(merged.values()), stated


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: the files named, and the documents inside the folders named (by their suffix,
    so sidecars, FILE.meta.json/.yaml, are left out)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            )
        elif p.exists():
            out.append(p)
        else:
            raise DocketError(f"{p}: no such file or folder")
    return out


def local_user() -> str:
    """Who is at this machine's keyboard: $DOCKET_USER, else the login name."""
    import getpass

    try:
        return os.environ.get("DOCKET_USER") or getpass.getuser()
    except (OSError, KeyError):
        return "analyst"


def _custody(path: Path, reading, source: Source | None) -> dict:
    """Where a file came from, for its log entry: how it arrived, its path, original name and URL, who
    brought it in, the sidecar it took metadata from (bytes kept), what the reader noticed, and the
    Docket version that read it."""
    src = source or Source()
    out = {"via": src.via, "path": display_name(str(path.resolve())) if src.via == "cli" else None,
           "name": display_name(src.name or path.name),
           "url": src.url or reading.doc.meta.source_url, "actor": src.actor, "docket": __version__,
           "notes": list(reading.notes), "sidecar": None}
    if reading.sidecar:
        side, raw = reading.sidecar
        out["sidecar"] = {"path": side, "sha256": hashlib.sha256(raw).hexdigest(),
                          "text": raw.decode("utf-8", errors="replace")}
    return out


def _unchanged(store: ClaimStore, path: Path, sha256: str) -> FileOutcome:
    """The same bytes are stored already; unless the stored copy was altered since (then re-ingesting
    must not look like all is well)."""
    if hashlib.sha256(store.raw(sha256)).hexdigest() != sha256:
        raise DocketError(f"{display_name(str(path))}: the store holds this document, but its stored bytes were altered since it "
                          "was ingested (run `docket verify`)")
    return FileOutcome(display_name(str(path)), "unchanged", sha256, message="already in the store (same bytes)")


def ingest_file(store: ClaimStore, path: Path, overrides: DocumentMeta | None = None, limit: int | None = None,
                source: Source | None = None, encoding: str | None = None) -> FileOutcome:
    """Read, extract and store one file. Any failure is a DocketError naming the file; nothing of it is
    stored then."""
    try:
        reading = read_document(path, overrides, limit, encoding)
        doc = reading.doc
        if store.has_document(doc.sha256):
            return _unchanged(store, path, doc.sha256)
        found, stated = extracted(doc)
        actor = (source.actor if source else None) or local_user()
        if not store.add_document(doc, reading.raw, found, areas_of(found), stated, _custody(path, reading, source),
                                  actor):
            return _unchanged(store, path, doc.sha256)
    except DocketError as e:
        message = str(e)
        shown = display_name(str(path))
        raise DocketError(message if shown in message else f"{shown}: {message}") from e
    except (MemoryError, RecursionError) as e:
        raise DocketError(f"{display_name(str(path))}: too large or too deeply nested to read ({type(e).__name__})") from e
    except Exception as e:  # noqa: BLE001 - one file's failure must never stop a folder or show a traceback
        log.debug("internal error on %s", path, exc_info=True)
        raise DocketError(f"{display_name(str(path))}: internal error while reading it ({type(e).__name__}: {e}); "
                          "nothing of it was stored (DOCKET_DEBUG=1 shows the traceback)") from e
    notes = "; ".join(reading.notes)
    return FileOutcome(display_name(str(path)), "added", doc.sha256, len(found), message=notes)


def areas_of(found: list[Claim], gaz: Gazetteer | None = None) -> dict[str, set[str]]:
    """Claim id -> the ids of its places and of every place they lie in (Vang -> Kalbajar -> Azerbaijan)."""
    gaz = gaz or default_gazetteer()
    out: dict[str, set[str]] = {}
    for c in found:
        ids = {pid for ref in c.places if ref.id for pid in gaz.area_ids(ref.id)}
        if ids:
            out[c.id] = ids
    return out


def ingest_paths(
    store: ClaimStore,
    files: list[Path],
    overrides: DocumentMeta | None = None,
    limit: int | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    source: Source | None = None,
    encoding: str | None = None,
) -> IngestReport:
    """Ingest every file; a bad file is reported and skipped, the others go in."""
    report = IngestReport()
    for path in files:
        try:
            outcome = ingest_file(store, path, overrides, limit, source, encoding)
        except DocketError as e:
            outcome = FileOutcome(display_name(str(path)), "error", message=str(e))
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    if report.count("added"):
        store.optimize()
    return report


def marked_text(doc: Document, found: list[Claim]) -> list[tuple[str, str | None]]:
    """The document's text cut into pieces, each piece either plain (None) or inside a claim (its kind)."""
    return [(piece, c.kind if c else None) for piece, c in marked_pieces(doc, found)]


def marked_pieces(doc: Document, found: list[Claim]) -> list[tuple[str, Claim | None]]:
    """The document's text cut into pieces, each plain (None) or the characters of a claim."""
    marks = sorted(found, key=lambda c: (c.span[0], -c.span[1]))
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for c in marks:
        a, b = c.span
        if a < pos:
            continue  # nested or overlapping: the outer claim already shows these characters
        pieces.append((doc.text[pos:a], None))
        pieces.append((doc.text[a:b], c))
        pos = b
    pieces.append((doc.text[pos:], None))
    return [p for p in pieces if p[0]]
