"""Sources side by side: the clusters of claims about a place (and what lies inside it), and what two
documents claim differently."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from docket.gazetteer import Gazetteer, Place
from docket.model import Claim
from docket.resolve.clusters import Cluster, cluster_claims, describe, district_key
from docket.services.places import claims_in
from docket.store import ClaimFilter, ClaimStore

_size = os.environ.get("DOCKET_COMPARE_CACHE", "64")
_CACHE_SIZE = int(_size) if _size.isdigit() else 64  # places kept per process; 0 turns the cache off
_CACHE: dict[tuple, list[Cluster]] = {}


def compare(store: ClaimStore, gaz: Gazetteer, place: Place, kind: str | None = None) -> list[Cluster]:
    """Clusters of the claims about a place or anything inside it (of one kind, if given). Kept per
    place and kind until the store changes (its revision), so a place read again costs one query."""
    key = (store.location, place.id, kind, store.revision()) if _CACHE_SIZE else None
    if key in _CACHE:
        return _CACHE[key]
    found = claims_in(store, gaz, place, ClaimFilter(kind=kind))
    clusters = cluster_claims(found, district_key(gaz), document_anchors(store, found))
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = clusters
    return clusters


def document_anchors(store: ClaimStore, found: list[Claim]) -> dict[str, int]:
    """Each document's anchor year, from all its claims (not only the ones selected)."""
    return store.anchor_years(c.document.sha256 for c in found if c.document)


@dataclass
class Change:
    kind: str
    thing: str
    place: str | None
    before: Claim | None
    after: Claim | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "dropped"
        return "changed" if describe(self.before.quantity) != describe(self.after.quantity) else "same"

    def as_dict(self) -> dict:
        return {"status": self.status, "kind": self.kind, "thing": self.thing, "place": self.place,
                "before": {"figure": describe(self.before.quantity), "text": self.before.text, "claim": self.before.id}
                if self.before else None,
                "after": {"figure": describe(self.after.quantity), "text": self.after.text, "claim": self.after.id}
                if self.after else None}


@dataclass
class Diff:
    a: dict
    b: dict
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "changes": [c.as_dict() for c in self.changes if c.status != "same"],
                "unchanged": sum(1 for c in self.changes if c.status == "same")}


def diff(store: ClaimStore, gaz: Gazetteer, doc_a: str, doc_b: str) -> Diff:
    """What two documents claim differently: figures changed, claims added or dropped. Claims are
    paired when they would fall in one cluster (kind, district, thing, period)."""
    da, db = store.document(doc_a), store.document(doc_b)
    ca = store.claims(ClaimFilter(document=da.sha256))
    cb = store.claims(ClaimFilter(document=db.sha256))
    key = district_key(gaz)
    changes: list[Change] = []
    for cluster in cluster_claims(ca + cb, key):
        left = [c for c in cluster.claims if c.document and c.document.sha256 == da.sha256]
        right = [c for c in cluster.claims if c.document and c.document.sha256 == db.sha256]
        for i in range(max(len(left), len(right))):
            before = left[i] if i < len(left) else None
            after = right[i] if i < len(right) else None
            changes.append(Change(cluster.kind, cluster.thing, cluster.place_name, before, after))
    meta = lambda d: {"sha256": d.sha256, "title": d.meta.title, "published": d.meta.published,  # noqa: E731
                      "publisher": d.meta.publisher}
    return Diff(meta(da), meta(db), changes)
