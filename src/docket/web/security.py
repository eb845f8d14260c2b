"""What keeps the web face from being turned against the people using it, and who acts through it.

- `Guard`, one ASGI middleware around the whole application, answers only to the host names it was
  started for (a DNS-rebinding page cannot talk to it under its own name), refuses any unsafe request
  (POST, PUT, PATCH, DELETE) that another origin sent, refuses API writes whose body is not JSON (a
  cross-origin form can post text/plain without asking), caps request bodies, and adds the security
  headers (Content-Security-Policy and friends) to every response.
- `actor` tells who sends a request: in a store with accounts, the account of a signed session cookie
  (`/login`) or of an `Authorization: Bearer dkt_...` token, else an anonymous visitor; in a store with
  none, the server's user with every right, as before accounts were kept.
- `writes(action)` is the dependency every write route takes its author from (`writer` does the work):
  it asks the service layer (`accounts.require`) whether the actor may take the action (401 for an
  anonymous visitor, 403 for a role or token scope that does not allow it) before anything is read or
  stored, then checks the page forms' CSRF token (a signed double-submit cookie, in the manner of
  Datasette's asgi-csrf). The author is the account's name; free text never is.

Scripts without an Origin header (curl, httpx) keep working on the JSON API.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docket.services import accounts
from docket.services.accounts import Actor, NotAuthenticated

# no inline script or style anywhere in the pages: what runs is served from /static and /vendor
PAGE_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "[::]", "")
CSRF_FIELD = "csrftoken"
CSRF_COOKIE = "docket_csrftoken"
SESSION_COOKIE = "docket_session"
SESSION_SECONDS = 12 * 3600  # a session lasts this long after its login, whatever is done with it
OPEN_WRITES = frozenset({"/login", "/logout"})  # the unsafe routes anyone may post to (with their CSRF token)
BODY_LIMIT = 1024 * 1024  # a form or a JSON body; uploads get the ingest limit
UPLOAD_MARGIN = 256 * 1024  # multipart boundaries and the form's text fields around an upload's bytes


# ---------------------------------------------------------------- which hosts

def is_loopback(bind: str) -> bool:
    """Whether an address to listen on is reachable from this machine only."""
    b = bind.strip().lower().strip("[]")
    return b in ("localhost", "::1") or b.startswith("127.")


def host_name(header: str) -> str:
    """A Host header's name without its port, lower case, IPv6 addresses in brackets ("[::1]:8000" ->
    "[::1]"; "Example.org.:80" -> "example.org")."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[: h.find("]") + 1] if "]" in h else h
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


def _as_host(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def machine_names() -> list[str]:
    """This machine's host names and the addresses they resolve to locally (from /etc/hosts or the
    resolver), for a server listening on every interface."""
    names: list[str] = []
    for name in {socket.gethostname(), socket.getfqdn()}:
        if not name:
            continue
        names.append(name)
        try:
            _, aliases, addresses = socket.gethostbyname_ex(name)
        except OSError:
            continue
        names.extend(aliases + addresses)
    return names


def allowed_hosts(bind: str = "127.0.0.1", extra: Iterable[str] = ()) -> list[str]:
    """The host names a server listening on `bind` answers to: the loopback names for a loopback
    address, that address for another one, the loopback names and this machine's names for 0.0.0.0
    or ::, and every name in `extra` (each may hold several, comma- or space-separated; "*" allows
    any host)."""
    b = bind.strip().lower()
    if is_loopback(b):
        names = list(LOOPBACK)
    elif b in ANY_ADDRESS:
        names = list(LOOPBACK) + machine_names()
    else:
        names = [b]
    for item in extra:
        names.extend(item.replace(",", " ").split())
    out: list[str] = []
    for n in names:
        n = _as_host(n)
        if n and n not in out:
            out.append(n)
    return out


def env_hosts() -> list[str]:
    """$DOCKET_ALLOWED_HOSTS, as `allowed_hosts` takes extra names."""
    return [os.environ.get("DOCKET_ALLOWED_HOSTS", "")]


# ---------------------------------------------------------------- which origin

def _netloc(url: str) -> str:
    """host[:port] of an http(s) URL, the scheme's default port left out; "" for anything else
    (including the "null" origin of a file:// page or a sandboxed frame)."""
    try:
        u = urlsplit(url.strip())
        port = u.port
    except ValueError:
        return ""
    if u.scheme not in ("http", "https") or not u.hostname:
        return ""
    name = _as_host(u.hostname)
    default = 80 if u.scheme == "http" else 443
    return name if port in (None, default) else f"{name}:{port}"


def _own_netloc(scope: Scope, headers: Headers) -> str:
    host = headers.get("host", "").strip().lower()
    default = ":443" if scope.get("scheme") == "https" else ":80"
    return host[: -len(default)] if host.endswith(default) else host


def foreign_origin(scope: Scope, headers: Headers) -> str | None:
    """Where an unsafe request came from when that is another origin: its Origin header, else its
    Sec-Fetch-Site, else its Referer; None when it is this server's own page, or a script that says
    nothing (curl, httpx)."""
    own = _own_netloc(scope, headers)
    origin = headers.get("origin")
    if origin is not None:
        return None if _netloc(origin) == own else origin
    site = headers.get("sec-fetch-site", "").lower()
    if site in ("cross-site", "same-site"):
        return f"a {site} page"
    referer = headers.get("referer")
    if referer and _netloc(referer) != own:
        return referer
    return None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def is_api_path(path: str) -> bool:
    return path.startswith("/api/") or path in ("/api", "/openapi.json")


# ---------------------------------------------------------------- policies

def page_policy(tiles: str = "") -> str:
    """The pages' Content-Security-Policy; with a map tile server, its images are allowed too."""
    source = tile_source(tiles)
    return f"{PAGE_POLICY}; img-src 'self' {source}" if source else PAGE_POLICY


def docs_policy() -> str:
    """The API docs page's: the pages' policy, and the small data: images Swagger UI's style sheet has."""
    return f"{PAGE_POLICY}; img-src 'self' data:"


def tile_source(tiles: str) -> str:
    """The CSP source of a tile URL template: "https://{s}.tile.example.org/{z}/{x}/{y}.png" ->
    "https://*.tile.example.org"; "" when there is none or it is not http(s)."""
    if not tiles:
        return ""
    u = urlsplit(tiles)
    if u.scheme not in ("http", "https") or not u.netloc:
        return ""
    netloc = u.netloc.rsplit("@", 1)[-1]
    labels = ["*" if "{" in label else label for label in netloc.split(".")]
    host = ".".join(labels)
    if any(c in host for c in "{}; ,'\""):
        return ""
    return f"{u.scheme}://{host}"


# ---------------------------------------------------------------- CSRF

def new_secret() -> bytes:
    """The key CSRF tokens are signed with: $DOCKET_SECRET, else random for this application (then a
    restart, or another worker process, does not accept the forms of the one before)."""
    env = os.environ.get("DOCKET_SECRET")
    return env.encode() if env else secrets.token_bytes(32)


def _mac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _cookie_value(secret: bytes, cookie: str | None) -> str | None:
    """The random part of a CSRF cookie this application signed; None for a missing or forged one."""
    if not cookie or "." not in cookie:
        return None
    value, mac = cookie.rsplit(".", 1)
    return value if hmac.compare_digest(mac, _mac(secret, "cookie", value)) else None


def csrf_token(request: Request) -> str:
    """The token a page's forms carry in their `csrftoken` field: derived (signed) from the random
    value in the browser's CSRF cookie, which is issued now when the browser has none."""
    secret = request.app.state.secret
    state = request.scope.setdefault("state", {})
    value = state.get("csrf_value") or _cookie_value(secret, request.cookies.get(CSRF_COOKIE))
    if value is None:
        value = secrets.token_urlsafe(24)
        state["csrf_cookie"] = f"{value}.{_mac(secret, 'cookie', value)}"
    state["csrf_value"] = value
    return _mac(secret, "form", value)


def check_csrf(request: Request, submitted: object) -> None:
    """Refuse (403) a form whose token does not match the browser's CSRF cookie."""
    value = _cookie_value(request.app.state.secret, request.cookies.get(CSRF_COOKIE))
    if not (value and isinstance(submitted, str)
            and hmac.compare_digest(submitted, _mac(request.app.state.secret, "form", value))):
        raise HTTPException(403, "this form has expired or was not sent from Docket's own page (its CSRF "
                                 "token is missing or wrong): reload the page and send it again")


async def writer(request: Request, action: str) -> str:
    """The author of a write: the actor's name, once the service layer allows it the action (nothing of
    the request's body is read before). A page's form must then carry its CSRF token (the JSON API is
    kept to JSON bodies from this origin by `Guard`)."""
    who = actor(request)
    try:
        accounts.require(who, action)
    except accounts.NotAllowed as e:
        if who.role is None:  # nobody is logged in: that is a 401, saying how to log in
            raise NotAuthenticated(f"{e}: /login, or an API token (Authorization: Bearer dkt_...)") from None
        raise
    if not is_api_path(request.url.path):
        form = await request.form()
        check_csrf(request, form.get(CSRF_FIELD))
    return who.name


def writes(action: str) -> Callable:
    """The dependency of a write route that takes `action` (one of accounts.ACTIONS): its author."""
    if action not in accounts.ACTIONS:
        raise ValueError(f"{action}: not an action")

    async def author(request: Request) -> str:
        return await writer(request, action)

    author.action = action
    return author


# ---------------------------------------------------------------- sessions and tokens

def _session_mac(secret: bytes, name: str, issued: str, sid: str, password_hash: str) -> str:
    # the password's hash is signed in, so that a new password ends the sessions of the old one
    return _mac(secret, "session", f"{name}:{issued}:{sid}:{password_hash}")


def session_cookie(request: Request, name: str) -> str:
    """A new session's cookie value for an account just logged in: name, when issued, a random id, and
    their HMAC under the server's secret."""
    issued, sid = str(int(time.time())), secrets.token_urlsafe(16)
    digest = request.app.state.store.password_hash(name) or ""
    return f"{name}:{issued}:{sid}:{_session_mac(request.app.state.secret, name, issued, sid, digest)}"


def session_parts(request: Request) -> tuple[str, str] | None:
    """(account name, session id) of the request's session cookie when this server signed it, it is not
    older than SESSION_SECONDS, was not logged out, and its account's password is still the one it was
    made under; else None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    parts = cookie.split(":") if cookie else []
    if len(parts) != 4 or not accounts.NAME.fullmatch(parts[0]) or not parts[1].isdigit():
        return None
    name, issued, sid, mac = parts
    if not 0 <= time.time() - int(issued) <= SESSION_SECONDS or sid in ended(request.app):
        return None
    digest = request.app.state.store.password_hash(name) or ""
    if not hmac.compare_digest(mac, _session_mac(request.app.state.secret, name, issued, sid, digest)):
        return None
    return name, sid


def ended(app) -> dict[str, float]:
    """The ids of sessions logged out (until they would have expired anyway): this process's."""
    sessions = app.state.ended_sessions
    now = time.time()
    for sid in [s for s, until in sessions.items() if until <= now]:
        del sessions[sid]
    return sessions


def end_session(request: Request) -> None:
    parts = session_parts(request)
    if parts is not None:
        ended(request.app)[parts[1]] = time.time() + SESSION_SECONDS


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header; None without one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise NotAuthenticated("the Authorization header must be 'Bearer dkt_...' (an API token)")
    return value.strip()


def actor(request: Request) -> Actor:
    """Who sends the request (worked out once per request). A store without accounts: the server's user
    with every right, whatever is sent. With accounts: a Bearer token's account (a token unknown, revoked,
    expired or of a disabled account is a 401, not a quiet fall back to anonymous), else a valid session's
    enabled account, else an anonymous visitor (a disabled account's session is no longer one)."""
    state = request.scope.setdefault("state", {})
    if "actor" in state:
        return state["actor"]
    store = request.app.state.store
    if not store.has_accounts():
        who = Actor(request.app.state.user, "admin", via="session", account=False)
    elif (token := bearer(request)) is not None:
        who = accounts.authenticate_token(store, token)
    else:
        who = Actor.anonymous()
        parts = session_parts(request)
        account = store.account(parts[0]) if parts else None
        if account is not None and not account["disabled"]:
            who = Actor(account["name"], account["role"], frozenset(account["groups"]), via="session")
    state["actor"] = who
    return who


def reader(request: Request) -> Actor:
    """What every API route asks first: who reads (a bad token refused), and that they may read."""
    return accounts.require(actor(request), "read")


# ---------------------------------------------------------------- the middleware

class BodyTooLarge(Exception):
    pass


def body_limit(path: str) -> int:
    from docket.ingest import max_bytes

    return max_bytes() + UPLOAD_MARGIN if path == "/upload" else BODY_LIMIT


def _too_large(limit: int) -> str:
    return (f"the request is larger than this server accepts ({limit} bytes; an upload may have "
            f"{limit - UPLOAD_MARGIN} bytes, set DOCKET_MAX_BYTES); nothing was stored")


def refusal(scope: Scope, status: int, message: str) -> Response:
    """An error answered before the application: JSON for the API, the error page for the pages."""
    if is_api_path(scope.get("path", "")):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    from docket.web.pages import page_error

    return page_error(Request(scope), status, message)


class Guard:
    """Host allow-list, origin check for unsafe methods, JSON-only API writes, a cap on request
    bodies, and the security headers on every response (a response that brings its own
    Content-Security-Policy, as the dossier does, keeps it)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = LOOPBACK, policy: str = PAGE_POLICY) -> None:
        self.app = app
        self.hosts = frozenset(_as_host(h) for h in hosts)
        self.policy = policy

    def allows(self, host: str) -> bool:
        return "*" in self.hosts or host_name(host) in self.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.allows(host):
            names = ", ".join(sorted(self.hosts))
            response = PlainTextResponse(
                f"{host or '(no Host header)'}: this Docket server answers only to {names} (start it with "
                "--allowed-host NAME, or set DOCKET_ALLOWED_HOSTS, to add a name)", status_code=400)
            await response(scope, receive, self.with_headers(scope, send))
            return
        limit = body_limit(scope.get("path", ""))
        problem = self.refuses(scope, headers, limit)
        if problem:
            await refusal(scope, *problem)(scope, receive, self.with_headers(scope, send))
            return
        state = {"read": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["over"] = True
                    raise BodyTooLarge
            return message

        guarded = self.with_headers(scope, send)

        async def answer(message: Message) -> None:
            if state["over"]:  # whatever the application made of a cut body, the answer is 413
                if not state["started"]:
                    state["started"] = True
                    await refusal(scope, 413, _too_large(limit))(scope, receive, guarded)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await guarded(message)

        try:
            await self.app(scope, counted, answer)
        except BodyTooLarge:
            if state["started"]:
                raise
            state["started"] = True
            await refusal(scope, 413, _too_large(limit))(scope, receive, guarded)

    def refuses(self, scope: Scope, headers: Headers, limit: int) -> tuple[int, str] | None:
        """(status, message) when a request is refused before the application sees it."""
        if scope.get("method", "GET").upper() not in UNSAFE:
            return None
        came_from = foreign_origin(scope, headers)
        if came_from:
            return 403, (f"refused: this request was sent by another site ({came_from}); Docket accepts "
                         "changes only from its own pages and from scripts")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return 413, _too_large(limit)
        if is_api_path(scope.get("path", "")) and not _is_json(headers.get("content-type", "")):
            return 415, "the API takes JSON bodies only (Content-Type: application/json)"
        return None

    def with_headers(self, scope: Scope, send: Send) -> Send:
        policy = self.policy

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = policy
                for name, value in HEADERS.items():
                    if name.lower() not in headers:
                        headers[name] = value
                state = scope.get("state", {})
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                cookie = state.get("csrf_cookie")
                if cookie:
                    headers.append("Set-Cookie",
                                   f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Lax{secure}")
                session = state.get("session_cookie")
                if session is not None:  # "" ends it
                    age = SESSION_SECONDS if session else 0
                    headers.append("Set-Cookie", f"{SESSION_COOKIE}={session}; Path=/; Max-Age={age}; HttpOnly; "
                                                 f"SameSite=Lax{secure}")
            await send(message)

        return send_with_headers
