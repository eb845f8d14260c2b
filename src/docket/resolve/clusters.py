"""Clusters: claims from different sources about the same thing, and whether their figures and dates
can all be true.

Claims fall in one cluster when they share
- the kind;
- the place, taken at district level in the place hierarchy (a claim about Vang village and one about
  the Kalbajar district overlap; a claim about Azerbaijan as a whole stands at country level);
- the thing: the slot that kinds.toml names as the kind's `thing` (the object category for destruction,
  looting and heritage, the site for extraction and environmental harm, the instrument for legal acts
  and demands, the place itself for a change of control: `Claim.thing`);
- a compatible period: years at most one apart. An undated claim is dated by its document's anchor
  (the earliest dated event the document reports), since a report on the 1993 offensive that gives a
  death toll without a date speaks of 1993; with no anchor it stays in a cluster of its own.

A cluster is `contradiction` when its figures cannot all be true (their intervals do not intersect:
511 vs 320; "more than 110" vs "around 60") or when two sources date it differently at the precision
both give (1993 vs 1994); `consistent` when two or more sources speak and all can be true; `single`
when one source alone speaks. Figures are compared as intervals and never summed or averaged:
"around N" is N ± 10 %, "more than N" is (N, ∞), "dozens" is [24, ∞), a range is its bounds.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from docket import kinds
from docket.model import Claim, ClaimDigest, Quantity

APPROX = 0.10  # "around", "some", "about": within ten per cent
EVENT_KINDS = kinds.event_kinds()  # the kinds kinds.toml marks `event`: what anchors a document's year


def interval(q: Quantity | None) -> tuple[float, float] | None:
    """The values a figure allows."""
    if q is None:
        return None
    v, lo, hi = q.value, q.low, q.high
    match q.qualifier:
        case "exact":
            return (v, v) if v is not None else None
        case "approx":
            return (v * (1 - APPROX), v * (1 + APPROX)) if v is not None else None
        case "more_than":
            return (v + 1, math.inf) if v is not None else None
        case "at_least":
            return (v, math.inf) if v is not None else None
        case "less_than":
            return (0, v - 1) if v is not None else None
        case "at_most":
            return (0, v) if v is not None else None
        case "range":
            return (lo if lo is not None else 0, hi if hi is not None else math.inf)
        case "vague":
            return (lo if lo is not None else 0, hi if hi is not None else math.inf)
    return None


def describe(q: Quantity | None) -> str:
    if q is None:
        return ""
    words = {"exact": "", "approx": "around ", "more_than": "more than ", "at_least": "at least ",
             "less_than": "fewer than ", "at_most": "at most "}
    if q.qualifier == "range":
        return f"{q.low}–{q.high}"
    if q.qualifier == "vague":
        return f"{q.low}+ (vague)" if q.low else "vague"
    return f"{words.get(q.qualifier, '')}{q.value:,}" if q.value is not None else q.qualifier


@dataclass
class Cluster:
    id: str
    kind: str
    place_id: str | None
    place_name: str | None
    thing: str  # object category, site or instrument; "" when the kind has none
    years: tuple[int, int] | None
    members: list[ClaimDigest] = field(default_factory=list)  # what clustering read of each claim
    claims: list[Claim] = field(default_factory=list)  # the claims whole, in the members' order, once loaded
    flag: str = "single"
    reasons: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({m.source for m in self.members})

    def as_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "place": {"id": self.place_id, "name": self.place_name},
            "thing": self.thing, "years": list(self.years) if self.years else None, "flag": self.flag,
            "reasons": self.reasons, "sources": self.sources,
            "figures": [{"claim": c.id, "source": c.source, "figure": describe(c.quantity),
                         "quantity": c.quantity.model_dump() if c.quantity else None,
                         "when": c.when.model_dump() if c.when else None, "text": c.text} for c in self.claims],
            "claims": [c.contract() for c in self.claims],
        }


def anchors(claims: Iterable[Claim | ClaimDigest]) -> dict[str, int]:
    """Document -> the year of the earliest dated event it reports (not an ongoing state)."""
    out: dict[str, int] = {}
    for c in claims:
        m = c.digest() if isinstance(c, Claim) else c
        if m.document is None or m.kind not in EVENT_KINDS or m.ongoing:
            continue
        y = m.year
        if y is not None:
            out[m.document] = min(out.get(m.document, y), y)
    return out


def _dates_conflict(a: ClaimDigest, b: ClaimDigest) -> bool:
    """Two explicit dates of one event that differ at the precision both give ("1993" vs "1994")."""
    n = min(len(a.when_start), len(b.when_start))
    return a.when_start[:n] != b.when_start[:n]


def flag(cluster: Cluster) -> None:
    figures = [(m, iv) for m in cluster.members if (iv := interval(m.quantity)) is not None]
    reasons = []
    if len(figures) > 1:
        lo = max(iv[0] for _, iv in figures)
        hi = min(iv[1] for _, iv in figures)
        if lo > hi:
            low = min(figures, key=lambda f: f[1][1])
            high = max(figures, key=lambda f: f[1][0])
            reasons.append(f"figures cannot all be true: {describe(low[0].quantity)} ({low[0].source}) vs "
                           f"{describe(high[0].quantity)} ({high[0].source})")
    # each date once (its first member): a cluster of hundreds of claims has a few distinct dates, and
    # comparing every pair of claims was quadratic
    firsts: dict[str, ClaimDigest] = {}
    for m in cluster.members:
        if m.when_start and not m.ongoing:
            firsts.setdefault(m.when_start, m)
    dated = list(firsts.values())
    for i, a in enumerate(dated):
        b = next((b for b in dated[i + 1 :] if _dates_conflict(a, b)), None)
        if b is not None:
            reasons.append(f"dated differently: {a.when_start} ({a.source}) vs {b.when_start} ({b.source})")
            break
    cluster.reasons = reasons
    if reasons:
        cluster.flag = "contradiction"
    else:
        cluster.flag = "consistent" if len(cluster.sources) > 1 else "single"


def cluster_claims(claims: Iterable[Claim], place_key: Callable[[str], tuple[str, str] | None],
                   anchor: dict[str, int] | None = None) -> list[Cluster]:
    """Clusters of `claims` (see `cluster_digests`), each with its claims whole."""
    claims = list(claims)
    with _collector_paused():
        clusters = _cluster_digests([c.digest() for c in claims], place_key, anchor)
        fill(clusters, {c.id: c for c in claims})
    return clusters


def fill(clusters: Iterable[Cluster], whole: dict[str, Claim]) -> None:
    """Give clusters their claims whole (from claim id -> claim)."""
    for k in clusters:
        k.claims = [whole[m.id] for m in k.members if m.id in whole]


def cluster_digests(digests: Iterable[ClaimDigest], place_key: Callable[[str], tuple[str, str] | None],
                    anchor: dict[str, int] | None = None) -> list[Cluster]:
    """Clusters of claims, read from their digests; `place_key` maps a place id to the (id, name) it is
    compared at; `anchor` gives each document's anchor year (computed from these claims when not given:
    pass it when they are a selection, such as one kind, of their documents' claims)."""
    with _collector_paused():
        return _cluster_digests(digests, place_key, anchor)


@contextmanager
def _collector_paused():
    """Clustering makes no reference cycles, so Python's cycle collector is paused while it runs: with a
    million claims in memory, each of its passes walked them all and took half the clustering time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cluster_digests(digests, place_key, anchor) -> list[Cluster]:
    digests = list(digests)
    anchor = anchors(digests) if anchor is None else anchor
    groups: dict[tuple, list[tuple[int | None, ClaimDigest]]] = defaultdict(list)
    for m in digests:
        key = None
        for pid in m.places:
            key = place_key(pid)
            if key:
                break
        year = m.year
        if year is None and m.document is not None:
            year = anchor.get(m.document)
        groups[(m.kind, key, m.thing)].append((year, m))
    out: list[Cluster] = []
    for (kind, key, thing), members in groups.items():
        # by year, then date, source and id: the same clusters, members and reasons in whatever order the
        # claims come (a place's digests come in key order, a document's claims in text order)
        members.sort(key=lambda m: (m[0] is None, m[0] or 0, m[1].when_start or "", m[1].source, m[1].id))
        made: list[Cluster] = []
        last: Cluster | None = None  # members come in year order: only the latest dated cluster can take a year
        for year, m in members:
            home = None
            if year is not None and last is not None and year - last.years[0] <= 1:
                home = last
            if home is None:
                home = Cluster("", kind, key[0] if key else None, key[1] if key else None, thing,
                               (year, year) if year is not None else None)
                made.append(home)
                if year is not None:
                    last = home
            elif year is not None:
                home.years = (min(home.years[0], year), max(home.years[1], year))
            home.members.append(m)
        for k in made:
            ident = f"{kind}|{k.place_id}|{thing}|{k.years[0] if k.years else 'undated'}|{k.members[0].id}"
            k.id = "k-" + hashlib.sha256(ident.encode()).hexdigest()[:12]
            flag(k)
        out.extend(made)
    out.sort(key=lambda k: (k.kind, k.place_name or "", k.thing, k.years or (0, 0)))
    return out


def district_key(gaz) -> Callable[[str], tuple[str, str] | None]:
    """Place id -> the district (or region, or country) it lies in, as (id, name); kept per id."""
    cache: dict[str, tuple[str, str] | None] = {}

    def key(pid: str) -> tuple[str, str] | None:
        if pid in cache:
            return cache[pid]
        place = gaz.get(pid)
        result = None
        if place is not None:
            chain = [place, *gaz.ancestors(place)]
            level = next((p for p in chain if p.feature in ("district", "region")), None)
            if level is None:
                level = next((p for p in chain if p.feature == "country"), chain[-1])
            result = (level.id, level.name)
        cache[pid] = result
        return result

    return key
