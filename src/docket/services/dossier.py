"""The dossier of a place: for the place and everything inside it, every source's figures side by side
(per kind, flagged), a timeline of dated claims, the entities involved, and for every figure the
quoted evidence with its document, date and publisher, and a map of the places its claims name.
Rendered to Markdown and to one self-contained HTML file (no scripts, no external assets; the map an
inline SVG) with Jinja2, and from that HTML to a paginated A4 PDF by Chromium's print (`render_pdf`).

The HTML file carries its own Content-Security-Policy: nothing may load or run but its one inline
style sheet, allowed by its SHA-256. Document text is untrusted; every HTML template autoescapes."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from docket.errors import DocketError
from docket.gazetteer import Gazetteer, Place
from docket.model import KINDS, Claim
from docket.resolve.clusters import Cluster, _collector_paused, describe, fill
from docket.resolve.entities import Decision, build_entities
from docket.services.comparison import compare
from docket.services.places import claims_in
from docket.services.static_map import map_svg
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
    markers: list[dict] = field(default_factory=list)  # the places the claims name, for the map

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
            "markers": self.markers,
        }

    @property
    def file_stem(self) -> str:
        """`dossier-<place>`, the name its files are written under (lower case, ASCII, dashes)."""
        return "dossier-" + (re.sub(r"[^a-z0-9]+", "-", self.place.name.lower()).strip("-") or "place")


def build_dossier(store: ClaimStore, gaz: Gazetteer, place: Place) -> Dossier:
    # Python's cycle collector is paused while a dossier is built and rendered, as clustering pauses it
    # (with the same helper): a dossier holds some 14,000 small objects (its claims whole) for its whole
    # making, the collector's passes meanwhile walked them again and again and moved them up its
    # generations, and every few dossiers that set off a pass over the whole heap (the gazetteer, the
    # modules: 150-200 ms on its own, in a process that has not frozen them as a served one has). The
    # few reference cycles a dossier leaves are collected once the collector runs again.
    with _collector_paused():
        return _build_dossier(store, gaz, place)


def _build_dossier(store: ClaimStore, gaz: Gazetteer, place: Place) -> Dossier:
    found = claims_in(store, gaz, place)
    # the documents' records, not their texts: the evidence quotes only the characters around each
    # figure's span, which the store cuts out of them (`contexts`)
    docs = store.document_records(c.document.sha256 for c in found)
    # the clusters `docket compare` and the place page show, from the area digests the store keeps
    # (with the signatures of the claims' sentences already made), given their claims whole
    clusters = compare(store, gaz, place, whole=False)
    fill(clusters, {c.id: c for c in found})
    documents = {sha: {"sha256": sha, "title": d["title"] or d["filename"], "published": d["published"],
                       "publisher": d["publisher"], "filename": d["filename"]} for sha, d in docs.items()}
    figures = [c for k in clusters for c in k.claims if c.quantity is not None]
    around = store.contexts((c.id for c in figures), _CONTEXT)
    evidence = []
    for c in figures:
        before, quote, after = around[c.id]
        evidence.append(Evidence(c, describe(c.quantity), quote, _context(before, True), _context(after, False),
                                 documents[c.document.sha256]))
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
                   {k: v for k, v in by_kind.items() if v}, head, _markers(gaz, place, found))


def _markers(gaz: Gazetteer, place: Place, claims: list[Claim]) -> list[dict]:
    """The dossier's place and every place its claims name that has coordinates, each once, with how
    many claims name it; labelled with the gazetteer's canonical name. A country named by a claim is
    no point on a map (its centre would only widen the view), so it is left out."""
    out: dict[str, dict] = {}
    if place.lat is not None and place.lon is not None:
        out[place.id] = {"id": place.id, "label": place.name, "lat": place.lat, "lon": place.lon, "main": True,
                         "claims": 0}
    for c in claims:
        for ref in {r.id or r.name: r for r in c.places}.values():
            key = ref.id or ref.name
            if key not in out:
                known = gaz.get(ref.id)
                if (known.feature if known is not None else ref.feature) == "country":
                    continue
                lat, lon = (known.lat, known.lon) if known is not None and known.lat is not None else (ref.lat, ref.lon)
                if lat is None or lon is None:
                    continue
                out[key] = {"id": key, "label": known.name if known is not None else ref.name, "lat": lat,
                            "lon": lon, "main": False, "claims": 0}
            out[key]["claims"] += 1
    return list(out.values())


_CONTEXT = 160  # characters of a document read on either side of a figure's span: its sentence, cut by `_context`


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


_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def unbroken_dates(value) -> Markup:
    """Text, escaped, with its ISO dates kept on one line (a line broken at a date's hyphen reads as
    another date)."""
    return Markup(_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', str(escape(value))))


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("docket", "templates"), autoescape=AUTOESCAPE,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["figure"] = describe
    env.filters["years"] = years
    env.filters["dates"] = unbroken_dates
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
    with _collector_paused():  # as `build_dossier` is
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
    with _collector_paused():  # as `build_dossier` is
        return _env().get_template("dossier.html.j2").render(d=d, css=Markup(css), policy=Markup(html_policy(css)),
                                                             map=map_svg(d.markers))


# ---------------------------------------------------------------- PDF

PDF_HINT = ("install Playwright (`pip install 'docket[pdf]'`, or `pip install playwright`) and a Chromium "
            "(Debian: `apt-get install chromium`; or point $DOCKET_CHROMIUM at one); Docket never downloads a browser")
PAGE_MARGIN = {"top": "16mm", "right": "14mm", "bottom": "18mm", "left": "14mm"}  # as @page in dossier.css


def chromium_path() -> str | None:
    """The Chromium that prints: $DOCKET_CHROMIUM, else `chromium` or `chromium-browser` on the PATH."""
    env = os.environ.get("DOCKET_CHROMIUM")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pdf_printer() -> str:
    """The Chromium to print with, once it is known that Playwright is there too; else a DocketError
    saying how to get both (asked before a dossier is built, so that nothing is made for nothing)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        raise DocketError(f"--format pdf needs Chromium and Playwright: Playwright is not installed; {PDF_HINT}") from e
    path = chromium_path()
    if path is None:
        where = f"$DOCKET_CHROMIUM={os.environ['DOCKET_CHROMIUM']} is not a program" \
            if os.environ.get("DOCKET_CHROMIUM") else "no chromium or chromium-browser on the PATH"
        raise DocketError(f"--format pdf needs Chromium and Playwright: {where}; {PDF_HINT}")
    return path


def _footer(d: Dossier) -> str:
    """Chromium's footer template: drawn in the bottom margin of every page, apart from the document
    (so it is styled inline, and the numbers are filled in by Chromium)."""
    return ('<div style="font: 8px DejaVu Sans, Liberation Sans, sans-serif; color: #5b6570; width: 100%; '
            'margin: 0 14mm; display: flex; justify-content: space-between;">'
            f"<span>Dossier: {escape(d.place.name)} · generated {escape(d.generated)} · "
            f"store log entry {d.chain_head[0]}</span>"
            '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def _print(browser_path: str, html: str, footer: str) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            try:
                # offline and without JavaScript: the dossier needs neither, and its text is untrusted
                context = browser.new_context(offline=True, java_script_enabled=False)
                page = context.new_page()
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                margin=PAGE_MARGIN, display_header_footer=True,
                                header_template="<span></span>", footer_template=footer)
            finally:
                browser.close()
    except Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DocketError(f"Chromium ({browser_path}) could not print the dossier: {first}") from e


_PRINTING = threading.BoundedSemaphore(2)  # Chromiums at once: a served page must not start one per request


def render_pdf(d: Dossier) -> bytes:
    """The dossier as a paginated A4 PDF: its HTML (with the style sheet's print rules) printed by
    Chromium through Playwright, offline, page numbers in the footer. A DocketError without them.

    Printed in a thread of its own: Playwright's synchronous API refuses to run where an event loop
    runs (a served request, another Playwright session), and a fresh thread has none."""
    browser_path = pdf_printer()
    html = render_html(d)
    with _PRINTING, ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, browser_path, html, _footer(d)).result()
