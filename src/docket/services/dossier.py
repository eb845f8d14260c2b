"""The dossier of a place: for the place and everything inside it, every source's figures side by side
(per kind, flagged), a timeline of dated claims, the entities involved, and for every figure the
quoted evidence with its document, date and publisher. Rendered to Markdown and to one
self-contained HTML file (no scripts, no external assets) with Jinja2.

The HTML file carries its own Content-Security-Policy: nothing may load or run but its one inline
style sheet, allowed by its SHA-256. Document text is untrusted; every HTML template autoescapes."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

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
    chain_head: tuple[int, str] = (0, "")  # the store's log head it was made from (`docket verify --head`)

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
            "chain_head": {"seq": self.chain_head[0], "hash": self.chain_head[1]},
        }


def build_dossier(store: ClaimStore, gaz: Gazetteer, place: Place) -> Dossier:
    found = claims_in(store, gaz, place)
    docs = store.documents_by_sha(c.document.sha256 for c in found)
    texts = {sha: d.text for sha, d in docs.items()}
    clusters = cluster_claims(found, district_key(gaz), document_anchors(store, found), texts)
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
    head = store.chain_head()  # read after the claims: the dossier holds nothing newer than this head
    return Dossier(place, gaz.names(place), [a.name for a in reversed(gaz.ancestors(place))], clusters, timeline,
                   entities, evidence, documents, datetime.now(UTC).date().isoformat(),
                   {k: v for k, v in by_kind.items() if v}, head)


def _context(s: str, before: bool) -> str:
    """The sentence around a quote: cut at the nearest sentence end, whitespace folded, and one space
    kept where the text had whitespace next to the quote ("libraries were", not "librarieswere")."""
    folded = " ".join(s.split())
    if before:
        m = list(re.finditer(r"[.!?]\s", folded))
        out = folded[m[-1].end() :] if m else folded
        return out + " " if s[-1:].isspace() else out
    m = re.search(r"[.!?](\s|$)", folded)
    out = folded[: m.end()].rstrip() if m else folded
    return " " + out if s[:1].isspace() else out


# The one rule for every Jinja environment of Docket (the pages' too): a template's output is escaped
# unless its name says it is not HTML (Markdown, CSS, plain text); a name the rule does not know is
# escaped as well, so a new HTML template cannot slip through.
AUTOESCAPE = select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2", "htm.j2", "xml.j2"),
                               disabled_extensions=("md.j2", "md", "txt", "txt.j2", "css"),
                               default_for_string=True, default=True)


def years(y) -> str:
    return "undated" if not y else str(y[0]) if y[0] == y[1] else f"{y[0]}–{y[1]}"


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("docket", "templates"), autoescape=AUTOESCAPE,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["figure"] = describe
    env.filters["years"] = years
    return env


# characters that make Markdown out of text: raw HTML (<, >), links and images ([ ]), emphasis and code
# (* _ `), table cells (|), and the escape itself; a source's words are shown as written, not rendered
_MARKDOWN = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|"})


def markdown_text(value) -> str:
    """A value for the Markdown dossier, its Markdown characters escaped (CommonMark backslash escapes:
    a viewer shows them as the characters they are). Applied to every expression of the template."""
    # one line: a line break in a title would start a Markdown heading or list of its own (white space
    # at either end kept as one space: evidence is written as before + quote + after)
    if value is None:
        return ""
    text = str(value)
    folded = " ".join(text.split())
    if folded and text[:1].isspace():
        folded = " " + folded
    if folded and text[-1:].isspace():
        folded += " "
    return folded.translate(_MARKDOWN)


@cache
def _markdown_env() -> Environment:
    env = Environment(loader=PackageLoader("docket", "templates"), autoescape=False, finalize=markdown_text,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["figure"] = describe
    env.filters["years"] = years
    return env


def render_markdown(d: Dossier) -> str:
    """The dossier as Markdown: every value from a document escaped, so that a viewer that renders
    Markdown (and raw HTML in it) shows a document's markup as text."""
    return _markdown_env().get_template("dossier.md.j2").render(d=d)


def dossier_css() -> str:
    css = resources.files("docket").joinpath("templates", "dossier.css").read_text(encoding="utf-8")
    if "</" in css:
        raise ValueError("dossier.css must not close its <style> element")
    return css


def html_policy(css: str | None = None) -> str:
    """The HTML dossier's Content-Security-Policy: nothing at all but its inline style sheet, allowed
    by the sheet's hash. The file carries it in a <meta> element; served, it is also the header (with
    frame-ancestors, which a <meta> cannot carry)."""
    digest = base64.b64encode(hashlib.sha256((css if css is not None else dossier_css()).encode()).digest())
    return f"default-src 'none'; style-src 'sha256-{digest.decode()}'; base-uri 'none'; form-action 'none'"


def served_html_policy() -> str:
    return html_policy() + "; frame-ancestors 'none'"


def render_html(d: Dossier) -> str:
    css = dossier_css()
    # both written as they are: the sheet is ours, and the policy's quotes are single ones
    return _env().get_template("dossier.html.j2").render(d=d, css=Markup(css), policy=Markup(html_policy(css)))
