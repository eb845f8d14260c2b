"""Exporters, generated from the data model: the JSONL claim contract and a flat CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from docket.model import Claim

# a spreadsheet reads a cell that starts with one of these as a formula ("=HYPERLINK(…)" in a document's
# text would run when the CSV is opened); such a cell is written with a leading apostrophe, as OWASP advises
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that a spreadsheet shows as the text it is. Only text is touched: numbers (a negative
    longitude) stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def manifest(store, found: list[Claim]) -> dict:
    """What an export was made from: the store's chain head (`docket verify --head` checks it), when, by
    which Docket, and the full SHA-256 of every document its claims cite."""
    from datetime import UTC, datetime

    from docket import __version__

    seq, head = store.chain_head()
    docs = store.documents_by_sha(c.document.sha256 for c in found if c.document)
    return {"export": {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"), "docket": __version__,
        "chain_head": {"seq": seq, "hash": head}, "claims": len(found),
        "documents": [{"sha256": sha, "filename": d.filename, "title": d.meta.title, "publisher": d.meta.publisher,
                       "published": d.meta.published} for sha, d in sorted(docs.items())]}}

CSV_COLUMNS = [
    "id", "kind", "document.sha256", "document.title", "document.published", "document.publisher", "span_start",
    "span_end", "text", "attributed_to", "agent", "affected", "quantity.value", "quantity.low", "quantity.high",
    "quantity.qualifier", "quantity.unit", "object.category", "object.name", "places", "place_ids", "lat", "lon",
    "when.start", "when.end", "when.precision", "when.ongoing", "instrument", "company", "parent_company", "site",
    "weapons", "minerals", "corroborated_by", "status", "confidence",
]


def write_jsonl(found: Iterable[Claim], out: TextIO) -> int:
    n = 0
    for c in found:
        out.write(json.dumps(c.contract(), ensure_ascii=False) + "\n")
        n += 1
    return n


def flat(c: Claim) -> dict:
    """One CSV row: nested fields as dotted columns, lists joined with '; '."""
    d = c.contract()
    row: dict = {}
    for col in CSV_COLUMNS:
        if col in ("span_start", "span_end"):
            row[col] = c.span[0 if col == "span_start" else 1]
        elif col == "places":
            row[col] = "; ".join(p.name for p in c.places)
        elif col == "place_ids":
            row[col] = "; ".join(p.id or "" for p in c.places)
        elif col in ("lat", "lon"):
            row[col] = getattr(c.places[0], col) if c.places else None
        elif "." in col:
            head, tail = col.split(".", 1)
            row[col] = (d.get(head) or {}).get(tail)
        elif isinstance(d.get(col), list):
            row[col] = "; ".join(d[col])
        else:
            row[col] = d.get(col)
    return row


def write_csv(found: Iterable[Claim], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for c in found:
        writer.writerow({k: csv_safe(v) for k, v in flat(c).items()})
        n += 1
    return n
