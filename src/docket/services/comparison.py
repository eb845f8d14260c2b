"""Sources side by side: the clusters of claims about a place (and what lies inside it), and what two
documents claim differently."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from docket.gazetteer import Gazetteer, Place
from docket.model import Claim, ClaimDigest
from docket.resolve import grading
from docket.resolve.clusters import (
    FLAGS,
    Cluster,
    cluster_claims,
    cluster_digests,
    describe,
    district_key,
    fill,
)
from docket.store import ClaimFilter, ClaimStore

_size = os.environ.get("DOCKET_COMPARE_CACHE", "64")
_CACHE_SIZE = int(_size) if _size.isdigit() else 64  # places kept per process; 0 turns the cache off
_CACHE: dict[tuple, list[Cluster]] = {}


def compare(store: ClaimStore, gaz: Gazetteer, place: Place, kind: str | None = None, whole: bool = True) -> list[Cluster]:
    """Clusters of the claims about a place or anything inside it (of one kind, if given), computed from
    the claims' digests; with `whole`, each cluster also gets its claims whole (else call `load` for the
    clusters shown). The analyst's incident decisions are replayed over them (`replay`). Kept per place
    and kind until the store changes (its revision: a decision is a write too), so a place read again
    costs one query."""
    key = (store.location, place.id, kind, store.revision()) if _CACHE_SIZE else None
    clusters = _CACHE.get(key) if key is not None else None
    if clusters is None:
        digests = store.digests(place.id, kind)
        undated = {m.document for m in digests if m.year is None and m.document}
        clusters = replay(store, cluster_digests(digests, district_key(gaz), store.anchor_years(undated)))
        if key is not None:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = clusters
    if whole and any(len(k.claims) != len(k.members) for k in clusters):
        # all of them: one read of the area, cheaper than asking for them by id
        fill(clusters, {c.id: c for c in store.claims(ClaimFilter(area=place.id, kind=kind))})
    return clusters


def replay(store: ClaimStore, clusters: list[Cluster]) -> list[Cluster]:
    """Clusters with the analyst's incident decisions (merges, splits, grades) replayed over them: every
    face that shows incidents gets them through here (resolve/grading.py)."""
    return grading.apply(clusters, [grading.IncidentDecision.from_row(r) for r in store.incident_decisions()])


def load(store: ClaimStore, clusters: list[Cluster], also: Iterable[str] = ()) -> dict[str, Claim]:
    """Give the clusters that lack them their claims whole (one query per 500 claims); returns claim id
    -> claim for those and for the claim ids in `also`."""
    lacking = [k for k in clusters if len(k.claims) != len(k.members)]
    wanted = list(dict.fromkeys([m.id for k in lacking for m in k.members] + list(also)))
    whole: dict[str, Claim] = {}
    for i in range(0, len(wanted), 500):
        whole.update((c.id, c) for c in store.claims(ClaimFilter(ids=wanted[i : i + 500])))
    fill(lacking, whole)
    return whole


FLAG_ORDER = {f: i for i, f in enumerate(FLAGS)}


@dataclass
class Overview:
    """What a place page shows: the clusters that set sources side by side (contradictions first, then
    agreements, then a few single-source ones), the earliest dated claims, the places on the map (with
    the years of the claims naming them, `dated_markers`), and the claims' texts for all of these.
    Built from digests: only the texts are read from the claims."""

    clusters: list[Cluster]
    clusters_total: int
    timeline: list[ClaimDigest]
    timeline_total: int
    markers: list[dict]
    texts: dict[str, str]


def overview(store: ClaimStore, gaz: Gazetteer, place: Place, clusters: int = 50, singles: int = 20,
             timeline: int = 50, markers: int = 500) -> Overview:
    found = compare(store, gaz, place, whole=False)
    digests = [m for k in found for m in k.members]
    points = [{"id": place.id, "label": place.name, "lat": place.lat, "lon": place.lon, "main": True}] \
        if place.lat is not None else []
    seen = {place.id}
    for m in digests:
        for pid in m.places:
            if pid not in seen and len(points) < markers:
                seen.add(pid)
                q = gaz.get(pid)
                if q is not None and q.lat is not None:
                    points.append({"id": q.id, "label": q.name, "lat": q.lat, "lon": q.lon, "main": False})
    points = dated_markers(points, found)
    dated = sorted((m for m in digests if m.when_start), key=lambda m: (m.when_start, m.kind))
    ordered = sorted(found, key=lambda k: (FLAG_ORDER[k.flag], k.kind))
    shown = ([k for k in ordered if k.flag != "single"] + [k for k in ordered if k.flag == "single"][:singles])[:clusters]
    texts = store.texts([m.id for k in shown for m in k.members] + [m.id for m in dated[:timeline]])
    return Overview(shown, len(found), dated[:timeline], len(dated), points, texts)


def dated_markers(markers: list[dict], clusters: Iterable[Cluster]) -> list[dict]:
    """The map's markers, each with the years of the claims that name its place (`years`, sorted), the
    first year of an ongoing one among them (`since`: it lasts to the present) and how many claims name
    it (`claims`), for the map's time filter and its GeoJSON. `clusters` are a place's clusters, all
    of them: each member's `places` and `when_start` are read."""
    years: dict[str, set[int]] = {m["id"]: set() for m in markers}
    since: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for k in clusters:
        for d in k.members:
            for pid in dict.fromkeys(d.places):
                if pid not in years:
                    continue
                counts[pid] += 1
                if d.year is None:
                    continue
                years[pid].add(d.year)
                if d.ongoing:
                    since[pid] = min(since.get(pid, d.year), d.year)
    return [m | {"years": sorted(years[m["id"]]), "since": since.get(m["id"]), "claims": counts[m["id"]]}
            for m in markers]


def cluster_of(store: ClaimStore, gaz: Gazetteer, claim: Claim) -> Cluster | None:
    """The cluster a claim falls in at its first resolved place (with its claims whole), or None."""
    ref = next((p for p in claim.places if p.id), None)
    place = gaz.get(ref.id) if ref is not None else None
    if place is None:
        return None
    cluster = next((k for k in compare(store, gaz, place, claim.kind, whole=False)
                    if any(m.id == claim.id for m in k.members)), None)
    if cluster is not None:
        load(store, [cluster])
    return cluster


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
    for cluster in cluster_claims(ca + cb, key, texts={da.sha256: da.text, db.sha256: db.text}):
        left = [c for c in cluster.claims if c.document and c.document.sha256 == da.sha256]
        right = [c for c in cluster.claims if c.document and c.document.sha256 == db.sha256]
        for i in range(max(len(left), len(right))):
            before = left[i] if i < len(left) else None
            after = right[i] if i < len(right) else None
            changes.append(Change(cluster.kind, cluster.thing, cluster.place_name, before, after))
    meta = lambda d: {"sha256": d.sha256, "title": d.meta.title, "published": d.meta.published,  # noqa: E731
                      "publisher": d.meta.publisher}
    return Diff(meta(da), meta(db), changes)
