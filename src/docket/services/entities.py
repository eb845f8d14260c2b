"""Entities as the CLI (and the web) ask for them: the store's names resolved, with the user's
decisions; one entity with its aliases, relations and the claims that name it."""

from __future__ import annotations

from dataclasses import dataclass, field

from docket.errors import DocketError
from docket.gazetteer.text import fold
from docket.model import Claim
from docket.resolve.entities import Decision, Entity, EntityIndex, build_entities
from docket.store import ENTITY_FIELDS, ClaimFilter, ClaimStore

ROLES = ENTITY_FIELDS


def entity_index(store: ClaimStore) -> EntityIndex:
    decisions = [Decision(d["action"], d["a"], d["b"]) for d in store.decisions()]
    return build_entities(store.names(), decisions)


@dataclass
class EntityReport:
    entity: Entity
    claims: list[tuple[str, Claim]] = field(default_factory=list)  # (role, claim)
    relations: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return self.entity.as_dict() | {
            "claims": [{"role": role, **c.contract()} for role, c in self.claims],
            "relations": [{k: r[k] for k in ("subject", "predicate", "object", "text", "span_start", "span_end",
                                            "document_sha256", "attributed_to")} for r in self.relations],
        }


def entity_report(store: ClaimStore, query: str) -> EntityReport:
    index = entity_index(store)
    e = index.find(query)
    if e is None:
        raise DocketError(f"{query}: no such entity (see `docket entities list`)")
    aliases = {fold(a) for a in e.aliases}
    report = EntityReport(e)
    # an entity's aliases are the names exactly as the claims hold them: the store selects by them
    for c in store.claims(ClaimFilter(named=sorted(e.aliases))):
        role = next(r for r in ROLES if getattr(c, r) in e.aliases)
        report.claims.append((role, c))
    report.relations = [r for r in store.relations() if fold(r["subject"]) in aliases or fold(r["object"]) in aliases]
    return report


def record_decision(store: ClaimStore, action: str, a: str, b: str | None, author: str | None, reason: str | None) -> Entity:
    """Keep a merge (b's entity joins a's) or a split (alias a gets its own entity); returns a's entity after it."""
    known = {fold(n) for n, _ in store.names()}
    for name in (a, b) if b else (a,):
        if fold(name) not in known:
            raise DocketError(f"{name}: no claim or relation names this (see `docket entities list`)")
    if action == "merge" and fold(a) == fold(b or ""):
        raise DocketError(f"{a}: cannot merge a name with itself")
    store.add_decision(action, a, b, author, reason)
    return entity_index(store).resolve(a)
