"""Exporters, generated from the data model: the JSONL claim contract and a flat CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from docket.model import Claim

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
        writer.writerow(flat(c))
        n += 1
    return n
