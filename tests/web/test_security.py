"""What the web face refuses, in-process: writes from other origins, forms without their CSRF token,
API writes that are not JSON, foreign Host headers, unknown API parameters; and the headers every
response carries."""

import re
from importlib import resources

import pytest
from click.testing import CliRunner
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from docket import services
from docket.services.accounts import ACTIONS
from docket.store import ClaimFilter, open_store
from docket.web import create_app
from docket.web.security import OPEN_WRITES, UNSAFE, allowed_hosts, host_name, is_loopback, tile_source

BASE = "http://localhost"
FOREIGN = "http://evil.example"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("security") / "s.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    return create_app(str(db), user="tester")


@pytest.fixture
def client(app):
    return TestClient(app, base_url=BASE)


def token(client, path: str) -> str:
    """The CSRF token of the first form on a page (and its cookie, kept by the client)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def a_claim(app) -> str:
    return app.state.store.claims(ClaimFilter(kind="killing", limit=1))[0].id


def a_document(app) -> str:
    return app.state.store.claims(ClaimFilter(kind="killing", limit=1))[0].document.sha256


def _place_of(app, cid: str) -> str:
    return next(p.id for p in app.state.store.claims(ClaimFilter(ids=[cid]))[0].places if p.id)


def snapshot(app) -> tuple:
    """What a refused write must leave as it was."""
    store = app.state.store
    every = store.claims(ClaimFilter(include_rejected=True, limit=1_000_000))
    return (store.counts_by_kind(), sorted(d["sha256"] for d in store.documents()), len(every),
            sorted((c.id, c.status, len(services.review.history(store, c.id))) for c in every),
            len(store.incident_decisions()))


def writes(app, client) -> list[tuple[str, str, dict]]:
    """(name, path, request keyword arguments) of a valid request to every write route, as its own
    page (or a script, for the API) would send it."""
    cid, sha = a_claim(app), a_document(app)
    review_token = token(client, f"/claims/{cid}")
    create_token = token(client, f"/documents/{sha}")
    upload_token = token(client, "/upload")
    place = _place_of(app, cid)
    incident_token = token(client, f"/places/{place}/compare")
    return [
        ("review form", f"/claims/{cid}/review",
         {"data": {"action": "reject", "reason": "forged", "csrftoken": review_token}}),
        ("create form", f"/documents/{sha}/claims",
         {"data": {"start": "0", "end": "5", "kind": "attack", "reason": "forged", "csrftoken": create_token}}),
        ("upload form", "/upload",
         {"data": {"csrftoken": upload_token}, "files": {"file": ("new.txt", b"Around 40 houses in Lachin were "
                                                                             b"destroyed in May 1992.")}}),
        ("API review", f"/api/claims/{cid}/review", {"json": {"action": "reject", "reason": "forged"}}),
        ("API create", f"/api/documents/{sha}/claims",
         {"json": {"start": 0, "end": 5, "kind": "attack", "reason": "forged"}}),
        ("incident form", f"/places/{place}/incidents",
         {"data": {"action": "grade", "claim": cid, "grade": "discounted", "reason": "forged", "csrftoken": incident_token}}),
        ("API incident", f"/api/incidents/{cid}", {"json": {"action": "grade", "grade": "discounted", "reason": "forged"}}),
    ]


@pytest.mark.parametrize("headers", [
    {"Origin": FOREIGN}, {"Origin": "null"}, {"Origin": "http://localhost:9999"}, {"Origin": "https://localhost.evil"},
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}, {"Referer": FOREIGN + "/page"},
])
def test_a_write_from_another_origin_is_refused_and_changes_nothing(app, client, headers):
    for name, path, kwargs in writes(app, client):
        before = snapshot(app)
        r = client.post(path, headers=headers, follow_redirects=False, **kwargs)
        assert r.status_code == 403, (name, r.status_code, r.text[:300])
        assert "another site" in r.text, name
        assert snapshot(app) == before, name


def test_a_write_from_its_own_page_works(app, client):
    """The same requests with this server's own Origin (as a browser sends a same-origin form) go in."""
    (_, review, review_kw), (_, create, create_kw), (_, upload, upload_kw), *_ = writes(app, client)
    cid = a_claim(app)
    versions = len(services.review.history(app.state.store, cid))
    review_kw["data"] |= {"action": "confirm"}
    r = client.post(review, headers={"Origin": BASE}, follow_redirects=False, **review_kw)
    assert r.status_code == 303 and len(services.review.history(app.state.store, cid)) == versions + 1
    r = client.post(create, headers={"Origin": BASE, "Sec-Fetch-Site": "same-origin"}, follow_redirects=False,
                    **create_kw)
    assert r.status_code == 303 and r.headers["location"].startswith("/claims/c-")
    r = client.post(upload, headers={"Referer": BASE + "/upload"}, follow_redirects=False, **upload_kw)
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/")


@pytest.mark.parametrize("form_token", [None, "", "0" * 64, "forged"])
def test_a_form_without_its_token_is_refused(app, client, form_token):
    cid, sha = a_claim(app), a_document(app)
    token(client, f"/claims/{cid}")  # the cookie is there; the form's field is not right
    extra = {} if form_token is None else {"csrftoken": form_token}
    for path, data, files in ((f"/claims/{cid}/review", {"action": "reject", "reason": "x"}, None),
                              (f"/documents/{sha}/claims", {"start": "0", "end": "5", "kind": "attack", "reason": "x"},
                               None),
                              ("/upload", {}, {"file": ("t.txt", b"Around 40 houses were destroyed in Lachin.")}),
                              (f"/places/{_place_of(app, cid)}/incidents",
                               {"action": "grade", "claim": cid, "grade": "weak", "reason": "x"}, None)):
        before = snapshot(app)
        r = client.post(path, data=data | extra, files=files, follow_redirects=False)
        assert r.status_code == 403 and "CSRF token" in r.text, (path, r.status_code)
        assert snapshot(app) == before


def test_a_token_needs_its_own_cookie(app, client, tmp_path):
    cid = a_claim(app)
    good = token(client, f"/claims/{cid}")
    before = snapshot(app)
    fresh = TestClient(app, base_url=BASE)  # another browser: no cookie, or a cookie of its own
    r = fresh.post(f"/claims/{cid}/review", data={"action": "reject", "reason": "x", "csrftoken": good})
    assert r.status_code == 403
    token(fresh, "/upload")
    r = fresh.post(f"/claims/{cid}/review", data={"action": "reject", "reason": "x", "csrftoken": good})
    assert r.status_code == 403
    other = create_app(str(tmp_path / "other.db"))  # another server: its cookies are not signed by this one
    theirs = TestClient(other, base_url=BASE)
    their_token = token(theirs, "/upload")
    client.cookies.set("docket_csrftoken", theirs.cookies["docket_csrftoken"])
    r = client.post(f"/claims/{cid}/review", data={"action": "reject", "reason": "x", "csrftoken": their_token})
    assert r.status_code == 403
    assert snapshot(app) == before


def test_the_csrf_cookie(client):
    r = client.get("/upload")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("docket_csrftoken=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "set-cookie" not in client.get("/upload").headers  # issued once, then kept


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"action": "confirm"}'), ("application/x-www-form-urlencoded", "action=confirm"),
    ("multipart/form-data; boundary=x", "--x--"), (None, '{"action": "confirm"}'),
])
def test_api_writes_take_json_only(app, client, content_type, body):
    before = snapshot(app)
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post(f"/api/claims/{a_claim(app)}/review", content=body, headers=headers)
    assert r.status_code == 415 and r.json() == {"error": "the API takes JSON bodies only (Content-Type: "
                                                          "application/json)", "status": 415}
    assert snapshot(app) == before


def test_scripts_without_an_origin_keep_writing_to_the_api(app, client):
    r = client.post(f"/api/claims/{a_claim(app)}/review", json={"action": "confirm"})
    assert r.status_code == 200 and r.json()["versions"] >= 2


def routes(app) -> list[APIRoute]:
    """Every route of the application, through included routers (which FastAPI may keep apart)."""
    out, todo = [], list(app.routes)
    while todo:
        r = todo.pop(0)
        inner = getattr(r, "original_router", None)
        if inner is not None:
            todo.extend(inner.routes)
        elif isinstance(r, APIRoute):
            out.append(r)
    return out


def test_every_write_route_takes_its_author_from_writer(app):
    """One function gives every write its author, after the permission check of the action it names
    (login and logout aside: anyone may post to them)."""

    def action_of(dependant) -> str | None:
        for d in dependant.dependencies:
            found = getattr(d.call, "action", None) or action_of(d)
            if found:
                return found
        return None

    unsafe = [r for r in routes(app) if r.methods & UNSAFE]
    assert len(unsafe) >= 7
    for route in unsafe:
        if route.path in OPEN_WRITES:
            assert action_of(route.dependant) is None, route.path
        else:
            assert action_of(route.dependant) in ACTIONS, route.path


PAGES = ["/", "/claims", "/documents", "/entities", "/upload", "/search?q=Kalbajar", "/places/geonames:586047",
         "/places/geonames:586047/compare", "/api/docs", "/claims/c-nosuch", "/no/such/page"]
OTHER = ["/api/summary", "/api/claims?kind=killing", "/openapi.json", "/static/docket.css", "/api/claims/c-nosuch",
         "/vendor/leaflet/dist/leaflet.js", "/favicon.ico"]


@pytest.mark.parametrize("path", PAGES + OTHER)
def test_every_response_has_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    policy = r.headers["content-security-policy"]
    assert policy.startswith("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_inline_script_or_style(client, path):
    html = client.get(path).text
    assert not re.search(r"\sstyle=", html), path
    assert "<style" not in html, path
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
    assert not re.search(r"\son[a-z]+=", html), path
    assert "javascript:" not in html, path


def test_the_served_dossier_has_its_own_policy(client):
    r = client.get("/places/geonames:586047/dossier")
    policy = r.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and policy.endswith("frame-ancestors 'none'")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', r.text).group(1)
    assert policy == meta + "; frame-ancestors 'none'"
    assert r.headers["x-frame-options"] == "DENY"


def test_tiles_from_a_tile_server_are_allowed_as_images(tmp_path):
    app = create_app(str(tmp_path / "t.db"), tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    policy = TestClient(app, base_url=BASE).get("/").headers["content-security-policy"]
    assert policy.endswith("; img-src 'self' https://*.tile.example.org")
    assert tile_source("javascript:alert(1)") == "" and tile_source("") == ""
    assert tile_source("http://tiles.local:8080/{z}/{x}/{y}.png") == "http://tiles.local:8080"


# ---------------------------------------------------------------- hosts

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.2",
                                  "", "[::2]:80"])
def test_a_foreign_host_is_refused(app, host):
    client = TestClient(app, base_url=BASE)
    before = snapshot(app)
    for method in ("GET", "POST"):
        r = client.request(method, "/api/summary" if method == "GET" else f"/api/claims/{a_claim(app)}/review",
                           headers={"Host": host}, json={"action": "reject", "reason": "x"})
        assert r.status_code == 400, (host, method)
        assert "this Docket server answers only to" in r.text and "--allowed-host" in r.text
        assert r.headers["x-frame-options"] == "DENY"
    assert snapshot(app) == before


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:1", "[::1]:8000", "LOCALHOST"])
def test_the_loopback_names_are_answered(app, host):
    assert TestClient(app, base_url=BASE).get("/api/summary", headers={"Host": host}).status_code == 200


def test_allowed_hosts_follow_the_address_served_on():
    import socket

    assert allowed_hosts("127.0.0.1") == ["localhost", "127.0.0.1", "[::1]"]
    assert allowed_hosts("localhost") == allowed_hosts("::1") == allowed_hosts("127.0.0.1")
    assert allowed_hosts("192.168.1.5") == ["192.168.1.5"]
    assert allowed_hosts("fe80::1") == ["[fe80::1]"]
    everywhere = allowed_hosts("0.0.0.0")
    assert everywhere[:3] == ["localhost", "127.0.0.1", "[::1]"] and socket.gethostname().lower() in everywhere
    assert allowed_hosts("::")[:3] == everywhere[:3]
    assert allowed_hosts("127.0.0.1", ["docket.example.org", "a.example, b.example c.example"])[3:] == [
        "docket.example.org", "a.example", "b.example", "c.example"]
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    assert host_name("[::1]:8000") == "[::1]" and host_name("Example.ORG.:80") == "example.org"


def test_another_allowed_host_and_the_wildcard(tmp_path):
    app = create_app(str(tmp_path / "h.db"), allowed_hosts=allowed_hosts("127.0.0.1", ["docket.example.org"]))
    client = TestClient(app, base_url="http://docket.example.org")
    assert client.get("/api/summary").status_code == 200
    assert client.get("/api/summary", headers={"Host": "evil.example"}).status_code == 400
    anything = TestClient(create_app(str(tmp_path / "h.db"), allowed_hosts=["*"]), base_url="http://whatever.example")
    assert anything.get("/api/summary").status_code == 200


def test_serve_derives_the_hosts_and_warns_off_loopback(tmp_path, monkeypatch):
    import uvicorn

    from docket.cli import main

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append((app, kw)))
    monkeypatch.setattr("docket.web.settle", lambda app: app)
    monkeypatch.setenv("DOCKET_ALLOWED_HOSTS", "docket.example.org")
    db = str(tmp_path / "serve.db")
    r = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0", "--allowed-host", "proxy.example"])
    assert r.exit_code == 0, r.output
    app, kw = served[-1]
    assert kw["host"] == "0.0.0.0" and "proxy.example" in app.state.allowed_hosts
    assert "localhost" in app.state.allowed_hosts
    assert "warning: listening on 0.0.0.0" in r.stderr and "anyone who can reach port 8000" in r.stderr
    r = CliRunner().invoke(main, ["serve", "--db", db])
    app, kw = served[-1]
    assert r.exit_code == 0 and "warning" not in r.stderr
    assert app.state.allowed_hosts == ["localhost", "127.0.0.1", "[::1]", "docket.example.org"]


def test_serve_warns_when_any_host_is_allowed(tmp_path, monkeypatch):
    import uvicorn

    from docket.cli import main

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    monkeypatch.setattr("docket.web.settle", lambda app: app)
    monkeypatch.delenv("DOCKET_ALLOWED_HOSTS", raising=False)
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--allowed-host", "*"])
    assert r.exit_code == 0 and "answers any Host header" in r.stderr and "DNS rebinding" in r.stderr


def test_serve_factory_reads_its_settings_from_the_environment(tmp_path, monkeypatch):
    from docket.web import serve_factory

    monkeypatch.setattr("docket.web.settle", lambda app: app)
    monkeypatch.setenv("DOCKET_DB", str(tmp_path / "f.db"))
    monkeypatch.setenv("DOCKET_USER", "worker")
    monkeypatch.setenv("DOCKET_ALLOWED_HOSTS", "docket.example.org")
    app = serve_factory.app()
    assert app.state.user == "worker" and "docket.example.org" in app.state.allowed_hosts
    assert TestClient(app, base_url="http://docket.example.org").get("/api/summary").status_code == 200


# ---------------------------------------------------------------- unknown parameters

def api_routes(app) -> list[APIRoute]:
    return [r for r in routes(app) if r.path.startswith("/api/") and r.path != "/api/docs"]


def test_an_unknown_api_parameter_is_refused(client):
    r = client.get("/api/claims", params={"knd": "killing"})
    assert r.status_code == 400
    assert r.json() == {"error": "knd: unknown parameter (known: kind, place, actor, document, since, until, sort, "
                                 "limit, offset, format)", "status": 400}


def test_every_api_route_refuses_unknown_parameters(app, client):
    """Derived from each route's declared parameters: a new route cannot be left out."""
    routes = api_routes(app)
    assert len(routes) >= 17
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in route.methods:
            before = snapshot(app)
            r = client.request(method, path, params={"zzz": "1"}, json={})
            assert r.status_code == 400, (method, route.path, r.status_code)
            assert r.json()["error"].startswith("zzz: unknown parameter (known: "), route.path
            assert snapshot(app) == before


def test_declared_parameters_still_work(client):
    assert client.get("/api/places", params={"q": "Lachin", "limit": 2, "format": "json"}).status_code == 200
    r = client.get("/api/places")
    assert r.status_code == 422  # a missing required parameter is still a parameter of the wrong form
