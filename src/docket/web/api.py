"""The JSON API: the same service layer as the CLI, over HTTP (FastAPI; the schema at /openapi.json,
the docs page at /api/docs).

Every list is paginated (`limit`, `offset`; the answer says `total`) and is also served as CSV with
`format=csv`. Errors are JSON, `{"error": "...", "status": N}`: 404 for what does not exist, 400 for a
request that cannot be answered as asked (an unknown query parameter too: a misspelt filter must not
quietly return everything), 422 for a parameter of the wrong form. Writes take JSON bodies only and
get their author from `security.writes(action)`, which asks the service layer whether the actor (a session or
an `Authorization: Bearer` API token, in a store with accounts) may; every route first asks `security.reader`
(a bad token is a 401 even for a read).
"""

from __future__ import annotations

import csv
import io
from enum import Enum, StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from docket.errors import DocketError
from docket.export import csv_safe, write_csv
from docket.model import KINDS
from docket.resolve.clusters import FLAGS
from docket.resolve.grading import GRADES
from docket.services.review import QUALIFIERS
from docket.store import SORTS, ClaimFilter, ClaimStore
from docket.web.security import reader, writes

Kind = Enum("Kind", {k: k for k in KINDS}, type=str)
Sort = Enum("Sort", {**{k: k for k in SORTS}, **{f"desc_{k}": f"-{k}" for k in SORTS}}, type=str)


class Format(StrEnum):
    json = "json"
    csv = "csv"


class Action(StrEnum):
    confirm = "confirm"
    reject = "reject"
    edit = "edit"
    restore = "restore"


Qualifier = Enum("Qualifier", {q: q for q in QUALIFIERS}, type=str)
Grade = Enum("Grade", {g: g for g in GRADES}, type=str)


class IncidentAction(StrEnum):
    merge = "merge"
    split = "split"
    grade = "grade"


Flag = StrEnum("Flag", {f: f for f in FLAGS})


DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many items.")]


def _status(e: DocketError) -> int:
    if getattr(e, "status", None):  # accounts' NotAuthenticated (401) and NotAllowed (403)
        return e.status
    return 404 if ("no such" in str(e) or "no store" in str(e) or "no place" in str(e)) else 400


def _csv(rows: list[dict], name: str) -> Response:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: csv_safe(", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in r.items()})
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _claims_csv(found, name: str) -> Response:
    buf = io.StringIO()
    write_csv(found, buf)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _claims_page(store: ClaimStore, f: ClaimFilter, limit: int, offset: int, format: Format, name: str = "claims"):
    """One page of the claims a filter selects, with the total they come to; or that page as CSV."""
    f.limit, f.offset = limit, offset
    found = store.claims(f)
    if format == Format.csv:
        return _claims_csv(found, name)
    return _page([c.contract() for c in found], store.count(f), limit, offset)


def _page(items: list, total: int, limit: int, offset: int) -> JSONResponse:
    """A page of a list. Returned as a ready JSONResponse: the items are plain JSON already (the claim
    contract), so FastAPI's generic encoder, which walks every value again, is not needed."""
    return JSONResponse({"items": items, "total": total, "limit": limit, "offset": offset})


class Changes(BaseModel):
    """What an edit sets (fields left out stay as they are)."""

    kind: Kind | None = None
    value: int | None = Field(None, ge=0, le=10**12)
    qualifier: Qualifier | None = None
    when: str | None = Field(None, pattern=DATE)
    agent: str | None = Field(None, max_length=500)
    attributed_to: str | None = Field(None, max_length=500)
    affected: str | None = Field(None, max_length=500)
    place: str | None = Field(None, max_length=200)

    def as_dict(self) -> dict:
        return {k: (v.value if isinstance(v, Enum) else v) for k, v in self.model_dump().items() if v is not None}


class Review(BaseModel):
    action: Action
    reason: str | None = Field(None, max_length=2000)
    version: int | None = Field(None, ge=1, description="For restore: the version to bring back.")
    changes: Changes | None = None


class IncidentDecisionBody(BaseModel):
    """An incident decision about the incident holding the claim in the path."""

    action: IncidentAction
    reason: str = Field(min_length=1, max_length=2000)
    other: str | None = Field(None, max_length=40, description="For merge: a claim of the other incident.")
    grade: Grade | None = Field(None, description="For grade: the incident's grade.")


class NewClaim(BaseModel):
    start: int = Field(ge=0, le=100_000_000, description="First character of the span in the document's text.")
    end: int = Field(ge=1, le=100_000_000, description="Character after the span.")
    kind: Kind
    reason: str = Field(min_length=1, max_length=2000)
    changes: Changes | None = None


def query_names(dependant: Dependant) -> list[str]:
    """The query parameters a route declares, its dependencies' included."""
    names = [p.alias for p in dependant.query_params]
    for sub in dependant.dependencies:
        names += [n for n in query_names(sub) if n not in names]
    return names


def known_parameters(request: Request) -> None:
    """Refuse (400) a query parameter the route does not declare: `?knd=killing` would otherwise be
    ignored and answer with every claim. Applied to the whole API router, so no route is left out."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = query_names(dependant)
    for name in request.query_params:
        if name not in known:
            listed = ", ".join(known) if known else "none"
            raise HTTPException(400, f"{name}: unknown parameter (known: {listed})")


Reviewer = Annotated[str, Depends(writes("review"))]
Creator = Annotated[str, Depends(writes("create_claim"))]
Grader = Annotated[str, Depends(writes("grade"))]


def api_router(app: FastAPI) -> APIRouter:
    r = APIRouter(prefix="/api", dependencies=[Depends(known_parameters), Depends(reader)])

    def store() -> ClaimStore:
        return app.state.store

    def gaz():
        return app.state.gazetteer()

    @r.get("/summary", summary="Claims per kind")
    def summary() -> dict:
        return {"counts": store().counts_by_kind(), "documents": len(store().documents())}

    @r.get("/documents", summary="Documents in the store")
    def documents(limit: Limit = 100, offset: Offset = 0, format: Format = Format.json):
        rows = store().documents()
        page = rows[offset : offset + limit]
        return _csv(page, "documents") if format == Format.csv else _page(page, len(rows), limit, offset)

    @r.get("/documents/{key}", summary="One document's metadata")
    def document(key: str) -> dict:
        d = store().document(key)
        return {"sha256": d.sha256, "filename": d.filename, "media_type": d.media_type, "ingested_at": d.ingested_at,
                **d.meta.model_dump(), "characters": len(d.text)}

    @r.get("/documents/{key}/text", summary="One document's extracted text (the text claims point into)")
    def document_text(key: str) -> dict:
        d = store().document(key)
        return {"sha256": d.sha256, "text": d.text}

    @r.get("/documents/{key}/claims", summary="One document's claims")
    def document_claims(key: str, limit: Limit = 1000, offset: Offset = 0, format: Format = Format.json):
        d = store().document(key)
        return _claims_page(store(), ClaimFilter(document=d.sha256), limit, offset, format, f"claims-{d.sha256[:12]}")

    @r.get("/claims", summary="Claims, filtered, sorted and paginated")
    def claims(
        kind: Kind | None = None,
        place: Annotated[str | None, Query(max_length=200, description="Any name of a place; places inside it count.")] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        document: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[str | None, Query(pattern=DATE)] = None,
        until: Annotated[str | None, Query(pattern=DATE)] = None,
        sort: Sort = Sort.document,
        limit: Limit = 50,
        offset: Offset = 0,
        format: Format = Format.json,
    ):
        f = ClaimFilter(kind=kind.value if kind else None, actor=actor, document=document, since=since, until=until,
                        sort=sort.value)
        if place:
            from docket.services.places import place_or_error

            f.area = place_or_error(gaz(), place).id
        return _claims_page(store(), f, limit, offset, format)

    @r.get("/claims/{claim_id}", summary="One claim")
    def claim(claim_id: str) -> dict:
        found = store().claims(ClaimFilter(ids=[claim_id], include_rejected=True))
        if not found:
            raise DocketError(f"{claim_id}: no such claim")
        return found[0].contract()

    @r.get("/claims/{claim_id}/history", summary="Every version of a claim, with author, time and reason")
    def claim_history(claim_id: str) -> dict:
        from docket.services.review import history

        versions = history(store(), claim_id)
        return {"claim": claim_id, "items": versions, "total": len(versions)}

    @r.post("/claims/{claim_id}/review", summary="Confirm, reject, edit or restore a claim (a new version)")
    def claim_review(claim_id: str, body: Review, author: Reviewer) -> dict:
        from docket.services import review

        c = review.apply(store(), gaz(), claim_id, body.action.value, author, body.reason,
                         body.changes.as_dict() if body.changes else None, body.version)
        return {"claim": c.contract(), "versions": len(review.history(store(), claim_id))}

    @r.post("/documents/{key}/claims", status_code=201, summary="Create a claim from a span of a document")
    def claim_create(key: str, body: NewClaim, author: Creator) -> dict:
        from docket.services import review

        c = review.create(store(), gaz(), key, body.start, body.end, body.kind.value, author, body.reason,
                          body.changes.as_dict() if body.changes else None)
        return {"claim": c.contract()}

    @r.get("/incidents/{claim_id}", summary="The incident holding a claim, with every decision about it")
    def incident(claim_id: str) -> dict:
        from docket.services.incidents import history

        return history(store(), gaz(), claim_id).as_dict()

    @r.post("/incidents/{claim_id}", summary="Merge, split or grade the incident holding a claim (kept and replayed)")
    def incident_decision(claim_id: str, body: IncidentDecisionBody, author: Grader) -> dict:
        from docket.services.incidents import decide

        k = decide(store(), gaz(), body.action.value, claim_id, author, body.reason, body.other,
                   body.grade.value if body.grade else None)
        return {"incident": k.as_dict()}

    @r.get("/places", summary="Places answering to a name, best first")
    def places(q: Annotated[str, Query(min_length=1, max_length=200)], limit: Annotated[int, Query(ge=1, le=100)] = 10,
               format: Format = Format.json):
        from docket.services.places import search_places

        g = gaz()
        hits = [h.as_dict() | {"aliases": [n for n, _ in g.names(h.place)][:30]} for h in search_places(g, q, limit)]
        return _csv(hits, "places") if format == Format.csv else {"items": hits, "total": len(hits)}

    def _place(place_id: str):
        from docket.services.places import place_by_id

        return place_by_id(gaz(), place_id)

    @r.get("/places/{place_id}", summary="One place: names, enclosing places, places inside it")
    def place(place_id: str) -> dict:
        g = gaz()
        p = _place(place_id)
        kids = g.children(p)
        return {"id": p.id, "name": p.name, "feature": p.feature, "lat": p.lat, "lon": p.lon,
                "geonames_id": p.geonames_id, "layer": p.layer, "source": p.source, "approximate": p.approximate,
                "admin_path": [{"id": a.id, "name": a.name} for a in reversed(g.ancestors(p))],
                "names": [{"name": n, "kind": k} for n, k in g.names(p)],
                "children": [{"id": c.id, "name": c.name, "feature": c.feature, "lat": c.lat, "lon": c.lon} for c in kids[:500]],
                "claims": store().count(ClaimFilter(area=p.id))}

    @r.get("/places/{place_id}/claims", summary="Claims about a place or any place inside it")
    def place_claims(place_id: str, kind: Kind | None = None, limit: Limit = 50, offset: Offset = 0,
                     sort: Sort = Sort.when, format: Format = Format.json):
        p = _place(place_id)
        f = ClaimFilter(area=p.id, kind=kind.value if kind else None, sort=sort.value)
        return _claims_page(store(), f, limit, offset, format)

    @r.get("/places/{place_id}/compare", summary="Every source's figures side by side, cluster by cluster")
    def place_compare(place_id: str, kind: Kind | None = None, flag: Flag | None = None, format: Format = Format.json):
        from docket.services.comparison import compare

        p = _place(place_id)
        clusters = [k for k in compare(store(), gaz(), p, kind.value if kind else None) if not flag or k.flag == flag.value]
        if format == Format.csv:
            return _csv([{"cluster": k.id, "kind": k.kind, "thing": k.thing, "place": k.place_name, "flag": k.flag,
                          "grade": (k.grade or {}).get("grade"), "claim": f["claim"], "source": f["source"], "figure": f["figure"],
                          "measure": f["measure"], "part": f["part"], "echo_of": f["echo_of"],
                          "when": (f["when"] or {}).get("start"), "text": f["text"]} for k in clusters for f in k.as_dict()["figures"]], "compare")
        return {"place": {"id": p.id, "name": p.name}, "items": [k.as_dict() for k in clusters], "total": len(clusters)}

    @r.get("/places/{place_id}/dossier", summary="The dossier of a place, as data")
    def place_dossier(place_id: str) -> dict:
        from docket.services.dossier import build_dossier

        return build_dossier(store(), gaz(), _place(place_id)).as_dict()

    @r.get("/entities", summary="Entities and their aliases")
    def entities(type: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = 100, offset: Offset = 0,
                 format: Format = Format.json):
        from docket.services.entities import entity_index

        rows = sorted((e for e in entity_index(store()).entities.values() if not type or e.type == type),
                      key=lambda e: (e.type, e.name.lower()))
        page = [e.as_dict() for e in rows[offset : offset + limit]]
        return _csv(page, "entities") if format == Format.csv else _page(page, len(rows), limit, offset)

    @r.get("/entities/{query}", summary="One entity (by id or any alias), its relations and claims")
    def entity(query: str) -> dict:
        from docket.services.entities import entity_report

        return entity_report(store(), query).as_dict()

    return r


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def install_errors(app: FastAPI) -> None:
    """Errors as JSON for the API, as a page for the pages."""
    from docket.web.pages import page_error

    @app.exception_handler(DocketError)
    async def docket_error(request: Request, exc: DocketError):
        status = _status(exc)
        if not _is_api(request):
            return page_error(request, status, str(exc))
        challenge = {"WWW-Authenticate": 'Bearer realm="docket"'} if status == 401 else None
        return JSONResponse({"error": str(exc), "status": status}, status_code=status, headers=challenge)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if not _is_api(request):
            return page_error(request, exc.status_code, str(exc.detail))
        return JSONResponse({"error": str(exc.detail), "status": exc.status_code}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": problems, "status": 422}, status_code=422)


__all__ = ["HTTPException", "api_router", "install_errors"]
