"""The dossier of a place: for the place and everything inside it, every source's figures side by side
(per kind, flagged), a timeline of dated claims, the entities involved, and for every figure the
quoted evidence with its document, date and publisher. Rendered to Markdown and to one
self-contained HTML file (no scripts, no external assets) with Jinja2."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from docket.gazetteer import Gazetteer, Place
from docket.model import KINDS, Claim
from docket.resolve.clusters import Cluster, cluster_claims, describe, district_key
from docket.resolve.entities import Decision, build_entities
from docket.services.comparison import document_anchors
from docket.services.places import claims_in
from docket.store import ENTITY_FIELDS, ClaimStore


@dataclass
class Evidence:
    claim: Claim
    figure: str
    quote: str  # the claim's characters
    before: str  # the text just before them
    after: str  # and just after
    document: dict


@dataclass
class Dossier:
    place: Place
    names: list[tuple[str, str]]
    path: list[str]
    clusters: list[Cluster]
    timeline: list[Claim]
    entities: list[dict]
    evidence: list[Evidence]
    documents: dict[str, dict]
    generated: str
    by_kind: dict[str, list[Cluster]] = field(default_factory=dict)

    @property
    def contradictions(self) -> list[Cluster]:
        return [k for k in self.clusters if k.flag == "contradiction"]

    def as_dict(self) -> dict:
        p = self.place
        return {
            "place": {"id": p.id, "name": p.name, "feature": p.feature, "lat": p.lat, "lon": p.lon,
                      "admin_path": self.path, "names": [n for n, _ in self.names]},
            "generated": self.generated,
            "clusters": [k.as_dict() for k in self.clusters],
            "contradictions": [k.id for k in self.contradictions],
            "timeline": [{"when": c.when.start, "kind": c.kind, "text": c.text, "source": c.attributed_to,
                          "claim": c.id} for c in self.timeline],
            "entities": self.entities,
            "evidence": [{"claim": e.claim.id, "figure": e.figure, "quote": e.quote, "context": e.before + e.quote + e.after,
                          "document": e.document} for e in self.evidence],
            "documents": list(self.documents.values()),
        }


def build_dossier(store: ClaimStore, gaz: Gazetteer, place: Place) -> Dossier:
    found = claims_in(store, gaz, place)
    clusters = cluster_claims(found, district_key(gaz), document_anchors(store, found))
    docs = store.documents_by_sha(c.document.sha256 for c in found)
    texts = {sha: d.text for sha, d in docs.items()}
    documents = {sha: {"sha256": sha, "title": d.meta.title or d.filename, "published": d.meta.published,
                       "publisher": d.meta.publisher, "filename": d.filename} for sha, d in docs.items()}
    evidence = []
    for k in clusters:
        for c in k.claims:
            if c.quantity is None:
                continue
            text = texts[c.document.sha256]
            a, b = c.span
            evidence.append(Evidence(c, describe(c.quantity), text[a:b], _context(text[max(0, a - 160) : a], True),
                                     _context(text[b : b + 160], False), documents[c.document.sha256]))
    timeline = sorted((c for c in found if c.when and c.when.start), key=lambda c: (c.when.start, c.kind))
    surfaces = [(getattr(c, role), role) for c in found
                for role in ENTITY_FIELDS
                if getattr(c, role)]
    index = build_entities(surfaces, [Decision(d["action"], d["a"], d["b"]) for d in store.decisions()])
    counts: dict[str, int] = {}
    for value, _ in surfaces:
        e = index.resolve(value)
        if e:
            counts[e.id] = counts.get(e.id, 0) + 1
    entities = [index.entities[i].as_dict() | {"claims": n}
                for i, n in sorted(counts.items(), key=lambda x: (-x[1], index.entities[x[0]].name))]
    by_kind = {k: [c for c in clusters if c.kind == k] for k in KINDS}
    return Dossier(place, gaz.names(place), [a.name for a in reversed(gaz.ancestors(place))], clusters, timeline,
                   entities, evidence, documents, datetime.now(UTC).date().isoformat(),
                   {k: v for k, v in by_kind.items() if v})


def _context(s: str, before: bool) -> str:
    """The sentence around a quote: cut at the nearest sentence end, whitespace folded."""
    s = " ".join(s.split())
    if before:
        m = list(re.finditer(r"[.!?]\s", s))
        return s[m[-1].end() :] if m else s
    m = re.search(r"[.!?](\s|$)", s)
    return s[: m.end()].rstrip() if m else s


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("docket", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["figure"] = describe
    env.filters["years"] = lambda y: ("undated" if not y else str(y[0]) if y[0] == y[1] else f"{y[0]}–{y[1]}")
    return env


def render_markdown(d: Dossier) -> str:
    return _env().get_template("dossier.md.j2").render(d=d)


def render_html(d: Dossier) -> str:
    return _env().get_template("dossier.html.j2").render(d=d)
