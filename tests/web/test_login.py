"""Who acts through the web, in-process against a store with accounts: the login page and its signed
session cookie, API tokens as Bearer headers, and the permission check on every write route (found from
the application's own routes, so a new one cannot be left out); and a store without accounts as before."""

import logging
import re
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from docket import services
from docket.services import accounts
from docket.store import ClaimFilter, open_store
from docket.web import create_app
from docket.web.security import OPEN_WRITES, SESSION_COOKIE, UNSAFE

BASE = "http://localhost"
PASSWORDS = {"root": "tall pines by the lake", "ana": "quiet river under the bridge",
             "rex": "seven lanterns on a hill", "dora": "amber fields at the dawn",
             "lola": "copper kettles in a row"}
ROLES = {"root": "admin", "ana": "analyst", "rex": "reader", "dora": "analyst", "lola": "analyst"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("login") / "l.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    local = accounts.local_actor(store)
    accounts.add_user(store, local, "root", PASSWORDS["root"], "admin")
    root = accounts.local_actor(store, "root")
    for name, role in ROLES.items():
        if name != "root":
            accounts.add_user(store, root, name, PASSWORDS[name], role)
    app = create_app(str(db), user="server-user")
    app.state.db_path = str(db)  # for a second server over the same store
    return app


@pytest.fixture(scope="module")
def tokens(app):
    """API tokens by what they are: ana's write and read tokens, an expired one of hers, rex's write token."""
    store = app.state.store
    root = accounts.local_actor(store, "root")
    write, _ = accounts.create_token(store, root, "ana", "write", "30d")
    read, _ = accounts.create_token(store, root, "ana", "read", "30d")
    expired, _ = accounts.create_token(store, root, "ana", "write", "1d", now=datetime.now(UTC) - timedelta(days=2))
    reader, _ = accounts.create_token(store, root, "rex", "write", "30d")
    return {"write": write, "read": read, "expired": expired, "reader": reader}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def csrf(client, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def logged_in(app, name: str) -> TestClient:
    client = TestClient(app, base_url=BASE)
    r = client.post("/login", data={"name": name, "password": PASSWORDS[name], "csrftoken": csrf(client)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    assert SESSION_COOKIE in client.cookies
    return client


def a_claim(app) -> str:
    return app.state.store.claims(ClaimFilter(kind="killing", limit=1))[0].id


def snapshot(app) -> tuple:
    """What a refused write must leave as it was: the write log's head, documents, every claim's versions,
    incident decisions."""
    store = app.state.store
    every = store.claims(ClaimFilter(include_rejected=True, limit=1_000_000))
    return (store.revision(), sorted(d["sha256"] for d in store.documents()),
            sorted((c.id, c.status, len(services.review.history(store, c.id))) for c in every),
            len(store.incident_decisions()))


def routes(app) -> list[APIRoute]:
    out, todo = [], list(app.routes)
    while todo:
        r = todo.pop(0)
        inner = getattr(r, "original_router", None)
        if inner is not None:
            todo.extend(inner.routes)
        elif isinstance(r, APIRoute):
            out.append(r)
    return out


def write_requests(app, client) -> list[tuple[str, str, str, dict]]:
    """(method, route path, path, request keyword arguments) for every unsafe route of the application but
    login and logout: a valid request where the route is one of those known here, else an empty body (the
    permission is asked before the body is read, so a new route is checked all the same)."""
    cid = a_claim(app)
    c = app.state.store.claims(ClaimFilter(ids=[cid]))[0]
    sha, place = c.document.sha256, next(p.id for p in c.places if p.id)
    values = {"claim_id": cid, "key": sha, "place_id": place}
    valid = {
        "/api/claims/{claim_id}/review": {"json": {"action": "reject", "reason": "refused"}},
        "/api/documents/{key}/claims": {"json": {"start": 0, "end": 5, "kind": "attack", "reason": "refused"}},
        "/api/incidents/{claim_id}": {"json": {"action": "grade", "grade": "discounted", "reason": "refused"}},
        "/claims/{claim_id}/review": {"data": {"action": "reject", "reason": "refused"}},
        "/documents/{key}/claims": {"data": {"start": "0", "end": "5", "kind": "attack", "reason": "refused"}},
        "/places/{place_id}/incidents": {"data": {"action": "grade", "claim": cid, "grade": "discounted",
                                                  "reason": "refused"}},
        "/upload": {"data": {}, "files": {"file": ("new.txt", b"Around 40 houses in Lachin were destroyed.")}},
    }
    token = csrf(client, "/upload")
    out = []
    for route in routes(app):
        for method in sorted(route.methods & UNSAFE):
            if route.path in OPEN_WRITES:
                continue
            path = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "x"), route.path)
            kwargs = dict(valid.get(route.path) or ({"json": {}} if route.path.startswith("/api/") else {"data": {}}))
            if "data" in kwargs:
                kwargs["data"] = kwargs["data"] | {"csrftoken": token}
            out.append((method, route.path, path, kwargs))
    return out


# ---------------------------------------------------------------- every write route asks

def test_every_write_route_refuses_anonymous_and_readers_and_changes_nothing(app, tokens):
    anonymous = TestClient(app, base_url=BASE)
    reader = logged_in(app, "rex")
    requests = write_requests(app, anonymous)
    assert len(requests) >= 7
    assert {p for _, p, _, _ in requests} >= {"/api/claims/{claim_id}/review", "/upload", "/places/{place_id}/incidents"}
    for method, route, path, kwargs in requests:
        before = snapshot(app)
        r = anonymous.request(method, path, follow_redirects=False, **kwargs)
        assert r.status_code == 401, (route, r.status_code, r.text[:300])
        assert "anonymous visitor may not" in r.text, route
        assert snapshot(app) == before, route
        r = anonymous.request(method, path, follow_redirects=False, headers=bearer(tokens["reader"]), **kwargs)
        assert r.status_code == 403 and "rex is a reader" in r.text, (route, r.status_code, r.text[:300])
        assert snapshot(app) == before, route
    for method, route, path, kwargs in write_requests(app, reader):  # with the reader's own CSRF token
        before = snapshot(app)
        r = reader.request(method, path, follow_redirects=False, **kwargs)
        assert r.status_code == 403, (route, r.status_code, r.text[:300])
        assert "rex is a reader and may not" in r.text, route
        assert snapshot(app) == before, route


def test_an_analyst_reviews_through_a_session_and_is_the_author(app):
    client = logged_in(app, "ana")
    cid = a_claim(app)
    versions = len(services.review.history(app.state.store, cid))
    r = client.post(f"/api/claims/{cid}/review", json={"action": "confirm", "reason": "checked"})
    assert r.status_code == 200, r.text
    page = client.get(f"/claims/{cid}")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    r = client.post(f"/claims/{cid}/review", data={"action": "confirm", "reason": "again", "csrftoken": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    history = services.review.history(app.state.store, cid)
    assert len(history) == versions + 2
    assert [v["author"] for v in history[-2:]] == ["ana", "ana"]  # never the server's user, never typed in
    assert 'id="me">ana (analyst)' in page.text


def test_an_analyst_reviews_with_a_write_token_and_is_the_author(app, tokens):
    client = TestClient(app, base_url=BASE)
    cid = a_claim(app)
    r = client.post(f"/api/claims/{cid}/review", json={"action": "confirm", "reason": "by script"},
                    headers=bearer(tokens["write"]))
    assert r.status_code == 200, r.text
    assert services.review.history(app.state.store, cid)[-1]["author"] == "ana"
    assert SESSION_COOKIE not in client.cookies  # a token makes no session


def test_a_read_token_reads_and_cannot_write(app, tokens):
    client = TestClient(app, base_url=BASE)
    assert client.get("/api/summary", headers=bearer(tokens["read"])).status_code == 200
    before = snapshot(app)
    r = client.post(f"/api/claims/{a_claim(app)}/review", json={"action": "reject", "reason": "x"},
                    headers=bearer(tokens["read"]))
    assert r.status_code == 403 and "scope read" in r.json()["error"]
    assert snapshot(app) == before


@pytest.mark.parametrize("header", ["expired", "Bearer dkt_made-up", "Basic YW5hOnB3", "Bearer "])
def test_a_bad_token_is_refused_even_for_a_read(app, tokens, header):
    client = TestClient(app, base_url=BASE)
    value = f"Bearer {tokens['expired']}" if header == "expired" else header
    before = snapshot(app)
    for method, path in (("GET", "/api/summary"), ("POST", f"/api/claims/{a_claim(app)}/review")):
        r = client.request(method, path, headers={"Authorization": value}, json={"action": "reject", "reason": "x"})
        assert r.status_code == 401, (header, method, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
    if header == "expired":
        assert "expired" in r.json()["error"]
    assert snapshot(app) == before


def test_anyone_may_read(app):
    client = TestClient(app, base_url=BASE)
    assert client.get("/api/claims", params={"kind": "killing"}).status_code == 200
    home = client.get("/")
    assert home.status_code == 200 and 'id="login"' in home.text


# ---------------------------------------------------------------- the session cookie

def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app):
    client = TestClient(app, base_url=BASE)
    r = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"], "csrftoken": csrf(client)},
                    follow_redirects=False)
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert PASSWORDS["ana"] not in cookie
    secure = TestClient(app, base_url="https://localhost")
    r = secure.post("/login", data={"name": "ana", "password": PASSWORDS["ana"], "csrftoken": csrf(secure)},
                    follow_redirects=False)
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "; Secure" in cookie and "HttpOnly" in cookie


def _write_as_cookie(app, value: str):
    client = TestClient(app, base_url=BASE)
    client.cookies.set(SESSION_COOKIE, value)
    return client.post(f"/api/claims/{a_claim(app)}/review", json={"action": "reject", "reason": "forged"})


def test_a_tampered_or_foreign_cookie_is_anonymous(app, tmp_path):
    good = logged_in(app, "ana").cookies[SESSION_COOKIE]
    name, issued, sid, mac = good.split(":")
    before = snapshot(app)
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    for forged in (f"root:{issued}:{sid}:{mac}", f"{name}:{int(issued) + 1}:{sid}:{mac}", f"{name}:{issued}:{sid}:{flipped}",
                   f"{name}:{issued}:{sid}", "root", ""):
        assert _write_as_cookie(app, forged).status_code == 401, forged
    other = create_app(app.state.db_path)  # the same store, another server's secret
    theirs = logged_in(other, "ana").cookies[SESSION_COOKIE]
    assert _write_as_cookie(app, theirs).status_code == 401
    assert snapshot(app) == before
    assert _write_as_cookie(app, good).status_code == 200  # the untouched cookie works


def test_logout_ends_the_session_even_for_a_copy_of_its_cookie(app):
    client = logged_in(app, "ana")
    copy = client.cookies[SESSION_COOKIE]
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/").text).group(1)
    r = client.post("/logout", data={"csrftoken": token}, follow_redirects=False)
    assert r.status_code == 303
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "Max-Age=0" in cookie
    assert SESSION_COOKIE not in client.cookies
    assert 'id="login"' in client.get("/").text
    before = snapshot(app)
    assert _write_as_cookie(app, copy).status_code == 401
    assert snapshot(app) == before


def test_a_disabled_account_cannot_log_in_and_its_session_stops(app):
    client = logged_in(app, "dora")
    cid = a_claim(app)
    assert client.post(f"/api/claims/{cid}/review", json={"action": "confirm"}).status_code == 200
    root = accounts.local_actor(app.state.store, "root")
    accounts.disable(app.state.store, root, "dora")
    try:
        before = snapshot(app)
        r = client.post(f"/api/claims/{cid}/review", json={"action": "reject", "reason": "x"})
        assert r.status_code == 401
        assert snapshot(app) == before
        fresh = TestClient(app, base_url=BASE)
        r = fresh.post("/login", data={"name": "dora", "password": PASSWORDS["dora"], "csrftoken": csrf(fresh)},
                       follow_redirects=False)
        assert r.status_code == 401 and "disabled" in r.text and SESSION_COOKIE not in fresh.cookies
    finally:
        accounts.enable(app.state.store, root, "dora")


def test_a_new_password_ends_the_old_sessions(app):
    client = logged_in(app, "lola")
    root = accounts.local_actor(app.state.store, "root")
    accounts.set_password(app.state.store, root, "lola", "marble stairs to the sea")
    try:
        assert 'id="login"' in client.get("/").text
    finally:
        accounts.set_password(app.state.store, root, "lola", PASSWORDS["lola"])


# ---------------------------------------------------------------- the login page

def test_a_wrong_password_is_refused_logged_and_rate_limited(app, caplog):
    client = TestClient(app, base_url=BASE)
    token = csrf(client)
    caplog.set_level(logging.WARNING, "docket.accounts")
    for name in ("lola", "nosuch"):
        r = client.post("/login", data={"name": name, "password": "wrong password here", "csrftoken": token},
                        follow_redirects=False)
        assert r.status_code == 401 and "wrong account name or password" in r.text
        assert SESSION_COOKIE not in client.cookies
    assert "login refused for 'lola' via session: wrong name or password" in caplog.text
    assert "wrong password here" not in caplog.text
    for _ in range(app.state.logins.failures - 1):
        client.post("/login", data={"name": "lola", "password": "wrong password here", "csrftoken": token})
    r = client.post("/login", data={"name": "lola", "password": PASSWORDS["lola"], "csrftoken": token},
                    follow_redirects=False)
    assert r.status_code == 429 and "too many failed logins" in r.text
    assert SESSION_COOKIE not in client.cookies
    assert "locked out" in caplog.text
    app.state.logins.succeeded("lola")  # as when the lockout is over
    logged_in(app, "lola")


def test_login_needs_its_csrf_token_and_goes_back_only_within_the_site(app):
    client = TestClient(app, base_url=BASE)
    r = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"]})
    assert r.status_code == 403 and SESSION_COOKIE not in client.cookies
    for target, expected in (("/claims?kind=attack", "/claims?kind=attack"), ("//evil.example/", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")):
        client = TestClient(app, base_url=BASE)
        r = client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"], "next": target,
                                        "csrftoken": csrf(client)}, follow_redirects=False)
        assert r.headers["location"] == expected, target


def test_a_refused_page_write_links_to_the_login(app):
    client = TestClient(app, base_url=BASE)
    token = csrf(client, "/upload")
    r = client.post("/upload", data={"csrftoken": token}, files={"file": ("t.txt", b"Around 40 houses were hit.")})
    assert r.status_code == 401 and 'href="/login?next=%2Fupload"' in r.text


# ---------------------------------------------------------------- a store without accounts

def test_a_store_without_accounts_works_as_before(tmp_path):
    db = tmp_path / "open.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    app = create_app(str(db), user="tester")
    client = TestClient(app, base_url=BASE)
    cid = a_claim(app)
    assert client.post(f"/api/claims/{cid}/review", json={"action": "confirm"}).status_code == 200
    assert services.review.history(store, cid)[-1]["author"] == "tester"
    home = client.get("/").text
    assert 'id="login"' not in home and 'id="me"' not in home
    r = client.post("/login", data={"name": "ana", "password": "whatever it is", "csrftoken": csrf(client)})
    assert r.status_code == 400 and "no accounts" in r.text and SESSION_COOKIE not in client.cookies
