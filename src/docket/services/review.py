"""Review: an analyst confirms, edits or rejects a claim, creates one from a span of a document, or
restores an earlier version. Every change is a new version with its author, time and reason; nothing
is overwritten (DESIGN.md, principle 2). The CLI, the API and the pages all come here."""

from __future__ import annotations

import hashlib

from docket.errors import DocketError
from docket.extract.quantities import MAX_COUNT
from docket.gazetteer import Gazetteer
from docket.model import KINDS, Claim, DocumentRef, Quantity, When
from docket.services import areas_of, check_date
from docket.store import ClaimFilter, ClaimStore

QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "at_most", "range", "vague")


def claim(store: ClaimStore, claim_id: str) -> Claim:
    found = store.claims(ClaimFilter(ids=[claim_id], include_rejected=True))
    if not found:
        raise DocketError(f"{claim_id}: no such claim")
    return found[0]


def history(store: ClaimStore, claim_id: str) -> list[dict]:
    """Every version of a claim, oldest first; a claim never reviewed shows its extracted state."""
    current = claim(store, claim_id)
    versions = store.versions(claim_id)
    if not versions:
        return [{"claim_id": claim_id, "version": 1, "status": current.status, "data": current.contract(),
                 "author": "docket (extracted)", "reason": None, "made_at": None}]
    return versions


def _need_reason(reason: str | None, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DocketError(f"{action}: give a reason (it is kept with the version)")
    return reason[:2000]


def _save(store: ClaimStore, gaz: Gazetteer, new: Claim, author: str, reason: str | None, action: str,
          create: bool = False) -> Claim:
    store.save_version(new, areas_of([new], gaz).get(new.id, set()), author, reason, create=create, action=action)
    return claim(store, new.id)


def confirm(store: ClaimStore, gaz: Gazetteer, claim_id: str, author: str, reason: str | None = None) -> Claim:
    c = claim(store, claim_id)
    return _save(store, gaz, c.model_copy(update={"status": "confirmed"}), author, (reason or "").strip() or None,
                 "confirm")


def reject(store: ClaimStore, gaz: Gazetteer, claim_id: str, author: str, reason: str | None) -> Claim:
    c = claim(store, claim_id)
    return _save(store, gaz, c.model_copy(update={"status": "rejected"}), author, _need_reason(reason, "reject"),
                 "reject")


def _changed(c: Claim, changes: dict, gaz: Gazetteer) -> dict:
    """The claim fields a change sets, checked: kind, figure, date, agent, source, affected, place."""
    update: dict = {}
    if changes.get("kind"):
        if changes["kind"] not in KINDS:
            raise DocketError(f"kind {changes['kind']}: not a claim kind")
        update["kind"] = changes["kind"]
    value, qualifier = changes.get("value"), changes.get("qualifier")
    if value not in (None, "") or qualifier:
        q = c.quantity or Quantity(value=None, qualifier="exact")
        if value not in (None, ""):
            try:
                number = int(str(value).replace(",", "").strip())
            except ValueError as e:
                raise DocketError(f"figure {value}: expected a whole number") from e
            if number < 0:
                raise DocketError(f"figure {value}: a count cannot be negative")
            if number > MAX_COUNT:
                raise DocketError(f"figure {value}: larger than any count a claim holds ({MAX_COUNT:,})")
            q = q.model_copy(update={"value": number})
        if qualifier:
            if qualifier not in QUALIFIERS:
                raise DocketError(f"qualifier {qualifier}: expected one of {', '.join(QUALIFIERS)}")
            q = q.model_copy(update={"qualifier": qualifier})
        update["quantity"] = q
    if changes.get("when"):
        start = check_date("date", str(changes["when"]).strip())
        update["when"] = When(start=start, precision={4: "year", 7: "month"}.get(len(start), "day"),
                              ongoing=bool(c.when and c.when.ongoing))
    for field in ("agent", "attributed_to", "affected"):
        if changes.get(field) is not None and str(changes[field]).strip() != "":
            update[field] = str(changes[field]).strip()[:500]
    if changes.get("place"):
        from docket.services.places import best_place

        place = best_place(gaz, str(changes["place"]))
        if place is None:
            raise DocketError(f"place {changes['place']}: no such place in the gazetteer")
        update["places"] = [gaz.ref(place, str(changes["place"]))]
    return update


def edit(store: ClaimStore, gaz: Gazetteer, claim_id: str, changes: dict, author: str, reason: str | None) -> Claim:
    c = claim(store, claim_id)
    reason = _need_reason(reason, "edit")
    update = _changed(c, changes, gaz)
    if not update:
        raise DocketError(f"{claim_id}: nothing to change")
    return _save(store, gaz, c.model_copy(update=update | {"status": "edited"}), author, reason, "edit")


def restore(store: ClaimStore, gaz: Gazetteer, claim_id: str, version: int, author: str, reason: str | None) -> Claim:
    versions = {v["version"]: v for v in history(store, claim_id)}
    if version not in versions:
        raise DocketError(f"{claim_id}: no version {version} (versions: {', '.join(map(str, sorted(versions)))})")
    old = Claim.model_validate(versions[version]["data"])
    current = claim(store, claim_id)
    return _save(store, gaz, old.model_copy(update={"id": current.id, "document": current.document}), author,
                 _need_reason(reason, "restore") + f" (restores version {version})", "restore")


def create(store: ClaimStore, gaz: Gazetteer, document: str, start: int, end: int, kind: str, author: str,
           reason: str | None, changes: dict | None = None) -> Claim:
    """A claim the extractor missed, from a span of a document's text (a selection in the document view)."""
    doc = store.document(document)
    if kind not in KINDS:
        raise DocketError(f"kind {kind}: not a claim kind")
    if not (0 <= start < end <= len(doc.text)):
        raise DocketError(f"span {start}-{end}: not inside the document ({len(doc.text)} characters)")
    text = doc.text[start:end]
    if not text.strip():
        raise DocketError(f"span {start}-{end}: only white space")
    reason = _need_reason(reason, "create")
    ident = hashlib.sha256(f"{doc.sha256}|{kind}|{start}|{end}|created".encode()).hexdigest()[:16]
    new = Claim(id=f"c-{ident}", kind=kind, span=(start, end), text=text, status="created", confidence=1.0,
                attributed_to=doc.meta.source,
                document=DocumentRef(sha256=doc.sha256, title=doc.meta.title, published=doc.meta.published,
                                     publisher=doc.meta.publisher))
    update = _changed(new, {k: v for k, v in (changes or {}).items() if k != "kind"}, gaz)
    return _save(store, gaz, new.model_copy(update=update), author, reason, "create", create=True)


ACTIONS = ("confirm", "reject", "edit", "restore")


def apply(store: ClaimStore, gaz: Gazetteer, claim_id: str, action: str, author: str, reason: str | None,
          changes: dict | None = None, version: int | None = None) -> Claim:
    """One review action, as the CLI, the API and the pages all ask for it."""
    if action == "confirm":
        return confirm(store, gaz, claim_id, author, reason)
    if action == "reject":
        return reject(store, gaz, claim_id, author, reason)
    if action == "edit":
        return edit(store, gaz, claim_id, {k: v for k, v in (changes or {}).items() if v not in (None, "")}, author, reason)
    if action == "restore":
        if version is None:
            raise DocketError("restore: say which version")
        return restore(store, gaz, claim_id, version, author, reason)
    raise DocketError(f"{action or '(none)'}: not a review action (one of {', '.join(ACTIONS)})")


def locate(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """The span of the n-th occurrence of a quote (for creating a claim without a mouse selection)."""
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos == -1:
            raise DocketError(f"quote {quote[:60]!r}: not found in the document" + (f" {occurrence} times" if occurrence > 1 else ""))
    return pos, pos + len(quote)

