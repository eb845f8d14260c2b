"""Exporters, generated from the data model: the JSONL claim contract and a flat CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO, get_args

from pydantic import BaseModel

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

def _model_in(annotation) -> type[BaseModel] | None:
    """The pydantic model a field holds, if it holds one (`Quantity | None` -> `Quantity`)."""
    for t in (annotation, *get_args(annotation)):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _cell(value):
    """A contract value as one cell: lists joined with '; ' (a list of objects as JSON), the rest as is."""
    if isinstance(value, list):
        return "; ".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _at(path: tuple[str, ...]) -> Callable[[Claim, dict], object]:
    def get(c: Claim, d: dict):
        for key in path:
            d = d.get(key) if isinstance(d, dict) else None
        return _cell(d)

    return get


# the two fields a spreadsheet wants other than as their parts: the span as its two offsets, the places
# as their names, their ids and the first one's point (a row per claim, not per place)
_FLATTENED = {
    "span": [("span_start", lambda c, d: c.span[0]), ("span_end", lambda c, d: c.span[1])],
    "places": [("places", lambda c, d: "; ".join(p.name for p in c.places)),
               ("place_ids", lambda c, d: "; ".join(p.id or "" for p in c.places)),
               ("lat", lambda c, d: c.places[0].lat if c.places else None),
               ("lon", lambda c, d: c.places[0].lon if c.places else None)],
}


def _columns(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, Callable]]:
    """The CSV's columns, walked from the model's fields in their order: a nested model as dotted
    columns (`quantity.value`), a list as one cell, so that a field added to the model is a column."""
    out = []
    for name, f in model.model_fields.items():
        if not prefix and name in _FLATTENED:
            out.extend(_FLATTENED[name])
        elif (sub := _model_in(f.annotation)) is not None:
            out.extend(_columns(sub, (*prefix, name)))
        else:
            out.append((".".join((*prefix, name)), _at((*prefix, name))))
    return out


_CSV = _columns(Claim)
CSV_COLUMNS = [name for name, _ in _CSV]


def write_jsonl(found: Iterable[Claim], out: TextIO) -> int:
    n = 0
    for c in found:
        out.write(json.dumps(c.contract(), ensure_ascii=False) + "\n")
        n += 1
    return n


def flat(c: Claim) -> dict:
    """One CSV row: nested fields as dotted columns, lists joined with '; '."""
    d = c.contract()
    return {name: get(c, d) for name, get in _CSV}


def write_csv(found: Iterable[Claim], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for c in found:
        writer.writerow({k: csv_safe(v) for k, v in flat(c).items()})
        n += 1
    return n
