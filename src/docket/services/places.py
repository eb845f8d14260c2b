"""Places as the CLI (and later the API) asks for them: search by any name, one place with its
names, parent, children and the claims about it and about the places inside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from docket.errors import DocketError
from docket.gazetteer import Gazetteer, Place
from docket.gazetteer.records import NAME_KINDS
from docket.gazetteer.resolve import Mention, prior
from docket.gazetteer.text import fold
from docket.model import Claim
from docket.store import ClaimFilter, ClaimStore


@dataclass
class Hit:
    place: Place
    matched: str  # how the query matched: canonical, alias, demonym, abbreviation, prefix, spelling
    score: float
    path: list[str] = field(default_factory=list)  # enclosing places, outermost first

    def as_dict(self) -> dict:
        p = self.place
        return {"id": p.id, "name": p.name, "feature": p.feature, "lat": p.lat, "lon": p.lon,
                "geonames_id": p.geonames_id, "country": p.country, "population": p.population, "layer": p.layer,
                "matched": self.matched, "score": round(self.score, 2), "admin_path": self.path}


def search_places(gaz: Gazetteer, query: str, limit: int = 10) -> list[Hit]:
    """Places answering to a name, best first: exact (folded) names, then names that start with it."""
    hits: dict[str, Hit] = {}
    if not fold(query):
        return []
    mention = Mention(0, len(query), query, query)
    for c in gaz.candidates(query):
        hits[c.place.id] = Hit(c.place, NAME_KINDS[c.kind], prior(c, mention))
    if len(hits) < limit:
        key = fold(query)
        for _, index in gaz.layers:
            for other in index.prefixed(key, limit=50):
                if other == key:
                    continue
                for c in gaz.candidates(other):
                    if c.place.id not in hits:
                        hits[c.place.id] = Hit(c.place, "prefix", prior(c, mention) - 5.0)
        for name, ids in gaz.by_name.items():
            if name.startswith(key) and name != key:
                for pid in ids:
                    if pid not in hits:
                        hits[pid] = Hit(gaz.curated[pid], "prefix", 0.0)
    if not hits:
        # a misspelt name ("Kelbadjr"): the closest names that share its first two letters
        from rapidfuzz import fuzz, process

        key = fold(query)
        pool = {n for n in gaz.by_name if n[:2] == key[:2]}
        for _, index in gaz.layers:
            pool.update(index.prefixed(key[:2], limit=20000))
        for name, score, _ in process.extract(key, list(pool), scorer=fuzz.ratio, limit=limit, score_cutoff=80):
            for c in gaz.candidates(name):
                if c.place.id not in hits:
                    hits[c.place.id] = Hit(c.place, f"spelling ({score:.0f}%)", prior(c, mention) - 10.0 + score / 10)
    ranked = sorted(hits.values(), key=lambda h: -h.score)[:limit]
    for h in ranked:
        h.path = [a.name for a in reversed(gaz.ancestors(h.place))]
    return ranked


def best_place(gaz: Gazetteer, query: str) -> Place | None:
    """The place a user most likely means by a name (the regional layer first)."""
    hits = [h for h in search_places(gaz, query, limit=5) if h.matched != "prefix" and not h.matched.startswith("spelling")]
    return hits[0].place if hits else None


def place_or_error(gaz: Gazetteer, query: str) -> Place:
    """The place a filter or a command names: an id ("geonames:586047") or any of its names."""
    place = gaz.get(query) if ":" in query else None
    place = place or best_place(gaz, query)
    if place is None:
        raise DocketError(f"{query}: no such place in the gazetteer (try: docket places search {query})")
    return place


def place_by_id(gaz: Gazetteer, place_id: str) -> Place:
    """A place by its id (a page's or an endpoint's address), or a clear error."""
    place = gaz.get(place_id)
    if place is None:
        raise DocketError(f"{place_id}: no such place")
    return place


def claims_in(store: ClaimStore, gaz: Gazetteer, place: Place, f: ClaimFilter | None = None) -> list[Claim]:
    """Claims about a place or about any place inside it (a claim about Vang counts for Kalbajar): one
    indexed lookup of the store's claim areas."""
    base = f or ClaimFilter()
    return store.claims(ClaimFilter(**{**base.__dict__, "place": None, "area": place.id}))
