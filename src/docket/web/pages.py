"""The web pages: server-rendered with Jinja2 (autoescaped: document text is untrusted and always
escaped), enhanced where present by htmx (the claim panel) and Leaflet (maps) from the npm registry.
Every page works without JavaScript, and none has inline script or style (the Content-Security-Policy
forbids both). The pages call the same services as the CLI and the API; every form that writes
carries its CSRF token and takes its author from `security.writes(action)`, which asks the service layer
whether the one logged in (`/login`, a signed session cookie) may."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from docket import services
from docket.errors import DocketError
from docket.kinds import kinds
from docket.model import KINDS, STATUSES, DocumentMeta, Quantity
from docket.npm import BASEMAP, node_modules
from docket.resolve.clusters import FLAGS, describe
from docket.services.places import place_by_id
from docket.store import SORTS, ClaimFilter
from docket.web.security import (
    SESSION_COOKIE,
    actor,
    check_csrf,
    csrf_token,
    docs_policy,
    end_session,
    session_cookie,
    writes,
)
from docket.web.uploads import UploadTooLarge, ingest_upload, one_line, safe_name

PAGE = 50
# a place page is an overview: the compare page has every cluster, the claims table every dated claim
SINGLES = 20  # single-source clusters shown on a place page
CLUSTERS = 50  # clusters shown on a place page at most, contradictions first
TIMELINE = 50  # dated claims on a place page's timeline, earliest first
MARKERS = 500


@cache
def templates() -> Jinja2Templates:
    from jinja2 import Environment, PackageLoader

    from docket.services.dossier import AUTOESCAPE, years

    env = Environment(loader=PackageLoader("docket", "templates"), autoescape=AUTOESCAPE)
    env.filters["figure"] = describe
    env.filters["years"] = years
    return Jinja2Templates(env=env)


def vendored(vendor_dir: Path | None) -> dict[str, bool]:
    """Which npm packages are installed: the pages use each only when it is there."""
    files = {"htmx": "htmx.org/dist/htmx.min.js", "leaflet": "leaflet/dist/leaflet.js",
             "swagger": "swagger-ui-dist/swagger-ui-bundle.js",
             "markercluster": "leaflet.markercluster/dist/leaflet.markercluster.js",
             "topojson": "topojson-client/dist/topojson-client.min.js", "atlas": BASEMAP}
    return {name: bool(vendor_dir and (vendor_dir / path).exists()) for name, path in files.items()}


Reviewer = Annotated[str, Depends(writes("review"))]
Creator = Annotated[str, Depends(writes("create_claim"))]
Grader = Annotated[str, Depends(writes("grade"))]
Ingester = Annotated[str, Depends(writes("ingest"))]


def back_to(target: str) -> str:
    """Where a login sends the browser on: a path of this site only ("/claims?kind=attack"), else "/"."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target[:2000]


def meta_from_form(**fields: str) -> DocumentMeta:
    """The metadata typed into the upload form (blank fields left unset), checked as every face checks
    what a user gives (ingest/sidecar.checked_meta: dates, lengths, no control characters)."""
    from docket.ingest.sidecar import checked_meta

    return checked_meta({k: v for k, v in fields.items() if v}, "the form")


def pages_router(app: FastAPI) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    vendor = vendored(node_modules())

    def store():
        return app.state.store

    def gaz():
        return app.state.gazetteer()

    def basemap(request: Request) -> str:
        """Where a map reads its offline basemap, "" without the packages that draw it."""
        return str(request.url_for("vendor", path=BASEMAP)) if vendor["atlas"] and vendor["topojson"] else ""

    def render(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        ctx.setdefault("q", None)
        ctx["csrftoken"] = csrf_token(request)
        ctx.setdefault("me", actor(request))
        return templates().TemplateResponse(request, name, {"vendor": vendor, "tiles": app.state.tiles,
                                                            "attribution": app.state.tiles_attribution,
                                                            "basemap": basemap(request), **ctx},
                                            status_code=status)

    @r.get("/", response_class=HTMLResponse)
    def home(request: Request):
        counts = store().counts_by_kind()
        places = []
        for pid, n in store().top_places(10):
            p = gaz().get(pid)
            if p:
                places.append({"id": p.id, "name": p.name, "feature": p.feature, "claims": n})
        return render(request, "web/home.html", counts=[(k, counts.get(k, 0)) for k in KINDS],
                      total=sum(counts.values()), documents=len(store().documents()), places=places)

    @r.get("/search", response_class=HTMLResponse)
    def search(request: Request, q: str = ""):
        from docket.services.search import search as search_all

        q = q.strip()[:200]
        if not q:
            return RedirectResponse("/", status_code=303)
        found = search_all(store(), gaz(), q)
        return render(request, "web/search.html", q=q, places=found.places, entities=found.entities,
                      documents=found.documents, claims=found.claims, sort_url=lambda k: "#")

    @r.get("/documents", response_class=HTMLResponse)
    def documents(request: Request):
        return render(request, "web/documents.html", docs=store().documents())

    @r.get("/documents/{key}", response_class=HTMLResponse)
    def document(request: Request, key: str):
        doc = store().document(key)
        found = store().claims(ClaimFilter(document=doc.sha256, limit=100_000))
        return render(request, "web/document.html", doc=doc, claims=found, all_kinds=KINDS,
                      pieces=services.marked_pieces(doc, found), kinds=sorted(Counter(c.kind for c in found).items()))

    def claim_context(claim_id: str) -> dict:
        found = store().claims(ClaimFilter(ids=[claim_id], include_rejected=True))
        if not found:
            raise DocketError(f"{claim_id}: no such claim")
        c = found[0]
        from docket.services.comparison import cluster_of

        cluster = cluster_of(store(), gaz(), c)
        markers = [{"id": p.id, "label": p.name, "lat": p.lat, "lon": p.lon, "main": i == 0}
                   for i, p in enumerate(c.places) if p.lat is not None]
        return {"c": c, "cluster": cluster, "places_json": markers}

    def review_context(claim_id: str) -> dict:
        from docket.services import review

        versions = []
        for v in review.history(store(), claim_id):
            q = v["data"].get("quantity")
            versions.append(v | {"figure": describe(Quantity(**q)) if q else ""})
        return {"versions": versions, "kinds": KINDS, "qualifiers": review.QUALIFIERS}

    @r.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim(request: Request, claim_id: str):
        return render(request, "web/claim.html", **claim_context(claim_id), **review_context(claim_id))

    @r.post("/claims/{claim_id}/review")
    async def claim_review(request: Request, claim_id: str, author: Reviewer):
        from docket.services import review

        form = await request.form()
        version = str(form.get("version", ""))
        changes = {k: str(form.get(k, "")).strip() for k in ("kind", "value", "qualifier", "when", "place", "agent")}
        try:
            review.apply(store(), gaz(), claim_id, str(form.get("action", "")), author,
                         str(form.get("reason", "")) or None, changes, int(version) if version.isdigit() else None)
        except DocketError as e:
            if "no such claim" in str(e):
                raise
            return render(request, "web/claim.html", status=400, review_error=str(e), **claim_context(claim_id),
                          **review_context(claim_id))
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)

    @r.post("/documents/{key}/claims")
    async def claim_create(request: Request, key: str, author: Creator):
        from docket.services import review

        doc = store().document(key)
        form = await request.form()
        try:
            start, end = str(form.get("start", "")), str(form.get("end", ""))
            quote = str(form.get("quote", ""))
            if start.isdigit() and end.isdigit():
                span = (int(start), int(end))
            elif quote.strip():
                span = review.locate(doc.text, quote.strip())
            else:
                raise DocketError("select the claim's words in the text, or type them as a quote")
            place = str(form.get("place", "")).strip()
            c = review.create(store(), gaz(), doc.sha256, span[0], span[1], str(form.get("kind", "")), author,
                              str(form.get("reason", "")) or None, {"place": place} if place else None)
        except DocketError as e:
            found = store().claims(ClaimFilter(document=doc.sha256, limit=100_000))
            return render(request, "web/document.html", status=400, doc=doc, claims=found, create_error=str(e),
                          pieces=services.marked_pieces(doc, found), kinds=sorted(Counter(x.kind for x in found).items()),
                          all_kinds=KINDS)
        return RedirectResponse(f"/claims/{c.id}", status_code=303)

    @r.get("/fragments/claims/{claim_id}", response_class=HTMLResponse)
    def claim_fragment(request: Request, claim_id: str):
        return render(request, "web/claim_panel.html", **claim_context(claim_id))

    @r.get("/claims", response_class=HTMLResponse)
    def claims(request: Request, kind: str = "", place: str = "", actor: str = "", since: str = "", until: str = "",
               status: str = "", sort: str = "", offset: int = 0):
        params = {k: v for k, v in dict(kind=kind, place=place, actor=actor, since=since, until=until, status=status,
                                        sort=sort).items() if v}
        error = None
        f = ClaimFilter(kind=kind if kind in KINDS else None, actor=actor or None, status=status if status in STATUSES else None,
                        sort=sort if sort.lstrip("-") in SORTS else None)
        try:
            f.since, f.until = services.check_date("since", since or None), services.check_date("until", until or None)
            if place:
                from docket.services.places import place_or_error

                f.area = place_or_error(gaz(), place).id
        except DocketError as e:  # shown above the (empty) table, the form kept as typed
            error, f.ids = str(e), []
        total = store().count(f)
        offset = max(0, min(offset, max(0, total - 1)))
        facet_kinds = store().facets(f, "kind")
        facet_sources = store().facets(f, "attributed_to", 12)
        facet_places = store().facets(f, "place", 12)
        facet_years = sorted(store().facets(f, "year", 40), reverse=True)[:25]
        facet_status = store().facets(ClaimFilter(**{**f.__dict__, "include_rejected": True}), "status")
        f.limit, f.offset = PAGE, offset
        found = store().claims(f)

        def url(**changes) -> str:
            merged = {**params, **changes}
            return "/claims?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 0)})

        def sort_url(key: str) -> str:
            return url(sort=("-" + key) if sort == key else key, offset=0)

        return render(request, "web/claims.html", claims=found, total=total, offset=offset, kinds=KINDS, statuses=STATUSES,
                      f=f, place=place, error=error, facet_kinds=facet_kinds, facet_sources=facet_sources,
                      facet_places=facet_places, facet_years=facet_years, facet_status=facet_status,
                      facet_url=lambda k, v: url(**{k: v}, offset=0), sort_url=sort_url,
                      prev_url=url(offset=max(0, offset - PAGE)) if offset > 0 else None,
                      next_url=url(offset=offset + PAGE) if offset + PAGE < total else None,
                      csv_url="/api/claims?" + urlencode({**{k: v for k, v in params.items() if k != "status"},
                                                          "format": "csv", "limit": 1000}))

    @r.get("/places/{place_id}", response_class=HTMLResponse)
    def place(request: Request, place_id: str):
        from docket.services.comparison import overview

        g = gaz()
        p = place_by_id(g, place_id)
        o = overview(store(), g, p, clusters=CLUSTERS, singles=SINGLES, timeline=TIMELINE, markers=MARKERS)
        markers = o.markers
        years = sorted({y for m in markers for y in m["years"]} | {m["since"] for m in markers if m["since"]})
        return render(request, "web/place.html", p=p, path=list(reversed(g.ancestors(p))),
                      names=[n for n, _ in g.names(p) if n != p.name], markers=markers, texts=o.texts,
                      years=years,
                      timeline=o.timeline, timeline_total=o.timeline_total, clusters=o.clusters,
                      clusters_total=o.clusters_total, children=g.children(p)[:100])

    def compare_page(request: Request, place_id: str, kind: str, flag: str, status: int = 200, error: str | None = None):
        from docket.resolve.grading import GRADES
        from docket.services.comparison import compare

        p = place_by_id(gaz(), place_id)
        kind = kind if kind in KINDS else ""
        clusters = [k for k in compare(store(), gaz(), p, kind or None) if not flag or k.flag == flag]
        return render(request, "web/compare.html", status=status, p=p, clusters=clusters, kinds=KINDS, kind=kind,
                      flag=flag, flags=FLAGS, grades=GRADES,
                      decision_error=error)

    @r.get("/places/{place_id}/compare", response_class=HTMLResponse)
    def place_compare(request: Request, place_id: str, kind: str = "", flag: str = ""):
        return compare_page(request, place_id, kind, flag)

    @r.post("/places/{place_id}/incidents")
    async def incident_decision(request: Request, place_id: str, author: Grader):
        """A merge, split or grade from the compare page's forms; back to the page it came from."""
        from docket.services.incidents import decide

        place_by_id(gaz(), place_id)
        form = await request.form()
        field = lambda name: str(form.get(name, "")).strip()  # noqa: E731
        kind, flag = field("kind") if field("kind") in KINDS else "", field("flag") if field("flag") in FLAGS else ""
        try:
            decide(store(), gaz(), field("action"), field("claim"), author, field("reason") or None, field("other") or None,
                   field("grade") or None)
        except DocketError as e:
            return compare_page(request, place_id, kind, flag, status=400, error=str(e))
        back = urlencode({k: v for k, v in (("kind", kind), ("flag", flag)) if v})
        return RedirectResponse(f"/places/{place_id}/compare" + (f"?{back}" if back else ""), status_code=303)

    @r.get("/places/{place_id}/dossier", response_class=HTMLResponse)
    def place_dossier(place_id: str):
        from docket.services.dossier import build_dossier, render_html, served_html_policy

        return HTMLResponse(render_html(build_dossier(store(), gaz(), place_by_id(gaz(), place_id))),
                            headers={"Content-Security-Policy": served_html_policy()})

    @r.get("/places/{place_id}/dossier.pdf", response_class=Response)
    def place_dossier_pdf(request: Request, place_id: str):
        """The dossier as a PDF to hand over, printed by the server's Chromium (503 without one)."""
        from docket.services.dossier import build_dossier, pdf_printer, render_pdf

        place = place_by_id(gaz(), place_id)  # an unknown place: 404, as ever
        try:
            pdf_printer()
            d = build_dossier(store(), gaz(), place)
            pdf = render_pdf(d)
        except DocketError as e:
            return page_error(request, 503, str(e))
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{d.file_stem}.pdf"'})

    @r.get("/entities", response_class=HTMLResponse)
    def entities(request: Request):
        from docket.services.entities import entity_index

        rows = sorted(entity_index(store()).entities.values(), key=lambda e: (e.type, e.name.lower()))
        return render(request, "web/entities.html", entities=rows)

    @r.get("/entities/{query}", response_class=HTMLResponse)
    def entity(request: Request, query: str):
        from docket.services.entities import entity_report

        return render(request, "web/entity.html", r=entity_report(store(), query), sort_url=lambda k: "#")

    @r.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request):
        return render(request, "web/upload.html")

    @r.post("/upload")
    async def upload(request: Request, author: Ingester):
        form = await request.form()  # parsed already by `writer`, within the body limit of `Guard`
        file = form.get("file")
        publisher, published, title = (str(form.get(k) or "").strip() for k in ("publisher", "published", "title"))
        try:
            if not isinstance(file, UploadFile):
                raise DocketError("choose a file to upload")
            overrides = meta_from_form(publisher=publisher, published=published, title=title)
            source = services.Source(via="web upload", name=file.filename, actor=author)
            outcome = await run_in_threadpool(ingest_upload, store(), file.file, safe_name(file.filename), overrides,
                                              source)
        except UploadTooLarge as e:
            return render(request, "web/upload.html", status=413, error=str(e))
        except DocketError as e:
            return render(request, "web/upload.html", status=400, error=one_line(str(e)))
        finally:
            await form.close()
        return RedirectResponse(f"/documents/{outcome.sha256}", status_code=303)

    @r.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/"):
        return render(request, "web/login.html", next=back_to(next), accounts=store().has_accounts())

    @r.post("/login")
    async def login(request: Request):
        """A name and password (`accounts.authenticate_password`, rate-limited per name): a signed session
        cookie, and on to where the login was asked from."""
        from docket.services.accounts import NotAuthenticated, authenticate_password

        form = await request.form()
        check_csrf(request, form.get("csrftoken"))
        name, target = str(form.get("name", "")).strip()[:64], back_to(str(form.get("next", "/")))
        if not store().has_accounts():
            return render(request, "web/login.html", status=400, next=target, accounts=False, account=name,
                          error="this store has no accounts: everyone may read and write without logging in")
        locked = app.state.logins.wait(name) > 0
        try:
            who = await run_in_threadpool(authenticate_password, store(), name, str(form.get("password", "")),
                                          app.state.logins, "session")
        except NotAuthenticated as e:
            return render(request, "web/login.html", status=429 if locked else 401, next=target, accounts=True,
                          account=name, error=str(e))
        request.scope.setdefault("state", {})["session_cookie"] = session_cookie(request, who.name)
        return RedirectResponse(target, status_code=303)

    @r.post("/logout")
    async def logout(request: Request):
        form = await request.form()
        check_csrf(request, form.get("csrftoken"))
        end_session(request)
        if request.cookies.get(SESSION_COOKIE) is not None:
            request.scope.setdefault("state", {})["session_cookie"] = ""
        return RedirectResponse("/", status_code=303)

    @r.get("/api/docs", response_class=HTMLResponse)
    def api_docs(request: Request):
        """Swagger UI from npm's swagger-ui-dist, started by a static script: works offline, no CDN."""
        response = render(request, "web/api_docs.html")
        response.headers["Content-Security-Policy"] = docs_policy()
        return response

    @r.get("/favicon.ico")
    def favicon():
        return FileResponse(Path(__file__).parent / "static" / "favicon.svg", media_type="image/svg+xml")

    # ahead of the /static mount, which would otherwise answer for it
    r.add_api_route("/static/kinds.css", kinds_stylesheet, methods=["GET"], name="kinds_css")
    return r


_CSS_NAME = re.compile(r"[a-z][a-z0-9_]*")
_CSS_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[a-z]+")


@cache
def kinds_css() -> str:
    """The style sheet of the kinds: a `.k-<kind>` rule for each kind of kinds.toml, in its `colour`
    (the pages underline a claim's span and mark a kind's chip with it). A file, not inline style: the
    pages' Content-Security-Policy allows none. A name or colour that could break out of its rule is
    refused rather than written."""
    rules = []
    for name, k in kinds().items():
        if not _CSS_NAME.fullmatch(name) or not _CSS_COLOUR.fullmatch(k.colour):
            raise ValueError(f"kinds.toml: {name}: {k.colour!r} is not a colour a style sheet can carry")
        rules.append(f".k-{name} {{ border-color: {k.colour}; }}")
    return "/* generated from kinds.toml: each kind's colour */\n" + "\n".join(rules) + "\n"


def kinds_stylesheet(request: Request) -> Response:
    css = kinds_css()
    tag = '"' + hashlib.sha256(css.encode()).hexdigest()[:16] + '"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}  # revalidated: an upgrade that changes a colour shows
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(css, media_type="text/css", headers=headers)


def page_error(request: Request, status: int, message: str) -> Response:
    login = "/login?" + urlencode({"next": request.url.path}) if status == 401 else None
    return templates().TemplateResponse(request, "web/error.html", {"vendor": {}, "q": None, "status": status,
                                                                    "message": message, "login": login},
                                        status_code=status)
