"""Correcting what is known about a stored document: its metadata, as a logged change that its claims
follow (they are extracted again with the new metadata: the source a claim is attributed to by default,
dates counted from the publication date). Claims an analyst has reviewed stay as the analyst left them."""

from __future__ import annotations

from docket.errors import DocketError
from docket.ingest.sidecar import checked_meta
from docket.services import areas_of, extracted
from docket.store import ClaimStore


def edit_document(store: ClaimStore, key: str, changes: dict, author: str, reason: str | None) -> dict:
    """Set the metadata fields in `changes` (title, publisher, speaker, published, genre, source_url;
    an empty string clears one). Returns what changed: the log entry, claims re-extracted, removed, kept."""
    doc = store.document(key)
    reason = (reason or "").strip()
    if not reason:
        raise DocketError("documents edit: give a reason (it is kept in the log)")
    given = {k: v for k, v in changes.items() if v is not None}
    checked = checked_meta({k: v for k, v in given.items() if v != ""}, "documents edit")
    data = doc.meta.model_dump() | checked.model_dump(exclude_none=True)
    data |= {k: None for k, v in given.items() if v == ""}
    meta = type(doc.meta)(**data)
    if meta == doc.meta:
        raise DocketError(f"{doc.filename or doc.sha256[:12]}: nothing to change (the metadata is already so)")
    found, stated = extracted(doc.model_copy(update={"meta": meta}))
    outcome = store.update_document(doc.sha256, doc.meta, meta, found, areas_of(found), stated, author, reason[:2000])
    return outcome | {"sha256": doc.sha256, "before": doc.meta.model_dump(), "after": meta.model_dump()}
