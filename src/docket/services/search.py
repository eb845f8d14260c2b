"""One search box across places, entities, documents and claims (the home page's search)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docket.gazetteer import Gazetteer
from docket.gazetteer.text import fold
from docket.model import Claim
from docket.resolve.entities import Entity
from docket.services.entities import entity_index
from docket.services.places import Hit, search_places
from docket.store import ClaimFilter, ClaimStore


@dataclass
class Found:
    places: list[Hit] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def search(store: ClaimStore, gaz: Gazetteer, query: str, limit: int = 20) -> Found:
    """What answers to the words: places by name (no spelling guesses), entities by any alias, documents
    by title, file or publisher, claims by their text."""
    query = query.strip()[:200]
    key = fold(query)
    if not key:
        return Found()
    return Found(
        places=[h for h in search_places(gaz, query, 8) if not h.matched.startswith("spelling")],
        entities=[e for e in entity_index(store).entities.values() if any(key in fold(a) for a in e.aliases)][:limit],
        documents=[d for d in store.documents()
                   if key in fold(d["title"] or d["filename"] or "") or key in fold(d["publisher"] or "")][:limit],
        claims=store.claims(ClaimFilter(text=query, limit=50)),
    )
