"""Who may do what: accounts and their roles, API tokens, groups, and the one table of what each role may do.

Every face comes here and none decides a permission on its own. The command line acts as a named local
account (`--as NAME`, else `--by`, else $DOCKET_USER, else the login name); the web will act as the
account of a session or of a Bearer token. `require(actor, action)` is the only place where a permission is
decided, from the tables below.

A store with no accounts yet works as it always has: whoever runs Docket acts with every right, as
`services.local_user()`. Its first account must be an admin; from then on a write must be made as an
enabled account whose role allows it, and the store never lets its last enabled admin go.

Passwords are kept as argon2id hashes (argon2-cffi); API tokens (`secrets.token_urlsafe`) are shown once
and kept as their SHA-256. Every change to an account, a token or a group is an entry of the write log
naming who did what, never a credential.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docket.errors import DocketError
from docket.store import ClaimStore

log = logging.getLogger("docket.accounts")

ROLES = ("reader", "analyst", "admin")
SCOPES = ("read", "write")
VIAS = ("cli", "token", "session", "anonymous")

# every action a permission is asked for, as what it lets one do
ACTIONS = {
    "read": "read documents, claims, places, comparisons, dossiers and exports",
    "review": "review claims (confirm, edit, reject, restore)",
    "create_claim": "create claims the extractor missed",
    "ingest": "ingest documents",
    "edit_document": "correct a document's metadata",
    "grade": "merge, split and grade incidents",
    "decide_entities": "merge and split entities",
    "own_account": "change their own password and create, list and revoke their own API tokens",
    "users": "add accounts, set their roles and passwords, disable and enable them, and manage anyone's tokens",
    "groups": "add groups and their members",
    "restrict": "restrict documents to groups",
    "replace_store": "replace the whole store with the examples' (`docket demo`)",
}

# what each role may do: the permission model, declared once (the README's table is checked against it)
ROLE_ACTIONS = {
    "reader": frozenset({"read", "own_account"}),
    "analyst": frozenset({"read", "own_account", "review", "create_claim", "ingest", "edit_document", "grade",
                          "decide_entities"}),
    "admin": frozenset(ACTIONS),
}
ANONYMOUS_ACTIONS = frozenset({"read"})
TO_COME = frozenset({"restrict"})  # declared, so that roles are settled, but no command takes them yet
# what a token of each scope may be used for, within what its account's role allows. Accounts, groups and
# tokens are never managed through a token (a stolen one must not be able to make itself more), nor is a
# store replaced
SCOPE_ACTIONS = {"read": frozenset({"read"}),
                 "write": frozenset(ACTIONS) - {"own_account", "users", "groups", "replace_store"}}

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; a megabyte "password" would only cost memory
# the commonest passwords of ten characters or more, refused whatever the rules of length say
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "123456789a", "qwertyuiop", "1q2w3e4r5t", "password12",
    "password123", "password1234", "passw0rd12", "iloveyou12", "adminadmin", "administrator", "letmein123",
    "welcome123", "qwerty1234", "qwerty12345", "abcdefghij", "1111111111", "0000000000", "changeme12",
})
TOKEN_PREFIX = "dkt_"  # tells a Docket token apart in a script or a leak scanner
MAX_TOKEN_DAYS = 366

_hasher = PasswordHasher()  # argon2id with the library's defaults (RFC 9106's low-memory choice)


# ---------------------------------------------------------------- who acts, and what they may do


class NotAllowed(DocketError):
    """The actor is known but its role (or its token's scope) does not allow the action (HTTP 403)."""

    status = 403


class NotAuthenticated(DocketError):
    """No acceptable account behind the request: unknown, disabled, a wrong password, a bad token (HTTP 401)."""

    status = 401


@dataclass(frozen=True)
class Actor:
    """Who is acting, and how: an account (its name, role and groups) reached through the command line, an
    API token or a web session; or an anonymous visitor (no role). `account` is False for the local user
    of a store with no accounts yet, who acts as an admin."""

    name: str
    role: str | None
    groups: frozenset[str] = field(default_factory=frozenset)
    via: str = "cli"
    scope: str | None = None  # a token's: read or write
    account: bool = True

    def __post_init__(self):
        if self.role is not None and self.role not in ROLES or self.via not in VIAS:
            raise ValueError(f"an actor with role {self.role!r} via {self.via!r}: expected a role of {ROLES} via "
                             f"one of {VIAS}")

    @classmethod
    def anonymous(cls) -> Actor:
        return cls("anonymous", None, via="anonymous", account=False)

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "groups": sorted(self.groups), "via": self.via,
                "scope": self.scope, "account": self.account}


def allowed(actor: Actor) -> frozenset[str]:
    """Every action the actor may take: its role's, narrowed by its token's scope."""
    if actor.role is None:
        return ANONYMOUS_ACTIONS
    actions = ROLE_ACTIONS[actor.role]
    if actor.via == "token":
        actions &= SCOPE_ACTIONS.get(actor.scope or "read", frozenset())
    return actions


def may(actor: Actor, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"{action}: not an action (one of {', '.join(ACTIONS)})")
    return action in allowed(actor)


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def require(actor: Actor, action: str) -> Actor:
    """The actor, when it may take the action; else NotAllowed, saying what would allow it."""
    if may(actor, action):
        return actor
    what = ACTIONS[action]
    if actor.role is None:
        raise NotAllowed(f"an anonymous visitor may not {what}; log in with an account that may")
    if actor.via == "token" and action in ROLE_ACTIONS[actor.role]:
        raise NotAllowed(f"{actor.name}: this API token (scope {actor.scope}) may not {what}"
                         + ("; create a write token" if action in SCOPE_ACTIONS["write"] else
                            "; that is done from the command line, never with a token"))
    roles = [r for r in ROLES if action in ROLE_ACTIONS[r]]
    raise NotAllowed(f"{actor.name} is {_article(actor.role)} and may not {what}: that takes the role "
                     f"{' or '.join(roles)}")


def require_for(actor: Actor, account: str) -> Actor:
    """What acting on an account's password or tokens takes: `own_account` when it is the actor's own,
    else `users` (an admin's)."""
    return require(actor, "own_account" if actor.account and account == actor.name else "users")


def local_actor(store: ClaimStore, as_name: str | None = None, by: str | None = None) -> Actor:
    """Who the command line acts as: `--as NAME`, else the deprecated `--by NAME`, else $DOCKET_USER, else
    the login name. In a store with no accounts that is any name, with every right (as before accounts
    were kept); once it has accounts, it must name an enabled one."""
    from docket.services import local_user

    as_name, by = (as_name or "").strip() or None, (by or "").strip() or None
    if as_name and by and as_name != by:
        raise DocketError(f"--by {by}: you act as {as_name} (--as), and the author is who acts; give one of them "
                          "(--by is kept for older scripts: use --as)")
    name = as_name or by or local_user()
    if not store.has_accounts():
        return Actor(name, "admin", via="cli", account=False)
    account = store.account(name) if NAME.fullmatch(name) else None
    if account is None:
        name = name if NAME.fullmatch(name) else repr(name[:64])  # a name that is no name, shown as such
        raise NotAuthenticated(f"{name}: no such account; this store has accounts, so a write is made as one of "
                               "them: --as NAME or $DOCKET_USER (see `docket users list`)")
    if account["disabled"]:
        raise NotAuthenticated(f"{name}: the account is disabled (an admin enables it: `docket users enable {name}`)")
    return Actor(name, account["role"], frozenset(account["groups"]), via="cli")


def acting(store: ClaimStore, action: str, as_name: str | None = None, by: str | None = None) -> Actor:
    """The command line's actor, when it may take the action (what every writing command asks first)."""
    return require(local_actor(store, as_name, by), action)


def permission_table() -> str:
    """The README's table of what each role may do, from ROLE_ACTIONS (a test holds the two together)."""
    rows = ["| may … | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for action, what in ACTIONS.items():
        shown = what + (" (to come)" if action in TO_COME else "")
        rows.append(f"| {shown} | " + " | ".join("yes" if action in ROLE_ACTIONS[r] else "" for r in ROLES) + " |")
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- checking what is given


def check_name(name: str | None, what: str = "account") -> str:
    name = (name or "").strip()
    if not NAME.fullmatch(name):
        shown = name[:80] or "(empty)"
        raise DocketError(f"{what} name {shown!r}: expected 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                          "starting with a letter or digit")
    return name


def check_role(role: str | None) -> str:
    if role not in ROLES:
        raise DocketError(f"role {role or '(none)'}: expected one of {', '.join(ROLES)}")
    return role


def check_password(password: str | None, name: str) -> str:
    """A password good enough to keep: long, not the account's name, not one of the commonest."""
    if not password:
        raise DocketError(f"{name}: the password is empty; nothing changed")
    if len(password) < MIN_PASSWORD:
        raise DocketError(f"{name}: the password is too short (at least {MIN_PASSWORD} characters); nothing changed")
    if len(password) > MAX_PASSWORD:
        raise DocketError(f"{name}: the password is too long (at most {MAX_PASSWORD} characters); nothing changed")
    folded = password.lower()
    if len(name) >= 3 and name in folded or folded in COMMON_PASSWORDS or len(set(password)) < 4:
        raise DocketError(f"{name}: the password is too easy to guess (it holds the account's name, is one of the "
                          "commonest, or repeats a few characters); nothing changed")
    return password


_SPAN = re.compile(r"(\d{1,5})([hdw])")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def expiry(text: str | None, now: datetime | None = None, option: str = "--expires") -> datetime:
    """When a token expires: a span from now (30d, 12h, 8w) or the end of a day (YYYY-MM-DD, UTC), in the
    future and at most MAX_TOKEN_DAYS away."""
    now = now or datetime.now(UTC)
    given = (text or "").strip().lower()
    m = _SPAN.fullmatch(given)
    at = None
    if m:
        n = int(m.group(1))
        if n:
            at = now + {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[m.group(2)]
    elif _DAY.fullmatch(given):
        try:
            at = datetime.combine(date.fromisoformat(given) + timedelta(days=1), datetime.min.time(), UTC)
        except ValueError:  # no such day
            at = None
        except OverflowError:  # no day after it (9999-12-31): too far off, as said below
            at = datetime.max.replace(tzinfo=UTC)
    if at is None:
        raise DocketError(f"{option} {text or '(none)'}: expected a span such as 30d, 12h or 8w, or a date YYYY-MM-DD")
    if at <= now:
        raise DocketError(f"{option} {text}: that is past; a token must expire in the future")
    if at - now > timedelta(days=MAX_TOKEN_DAYS):
        raise DocketError(f"{option} {text}: too far off; a token lasts at most {MAX_TOKEN_DAYS} days")
    return at


# ---------------------------------------------------------------- managing accounts, tokens, groups


Password = str | Callable[[], str]  # a password, or how to ask for it once everything else is checked


def _given(password: Password) -> str:
    return password() if callable(password) else password


def add_user(store: ClaimStore, actor: Actor, name: str, password: Password, role: str) -> dict:
    """Add an account. The password is asked for (when `password` is a callable) only after the actor's
    right, the name and the role are checked."""
    require(actor, "users")
    name, role = check_name(name), check_role(role)
    if store.account(name) is not None:
        raise DocketError(f"{name}: an account of this name exists already")
    if role != "admin" and not store.has_accounts():
        raise DocketError(f"{name}: the first account must be an admin (--role admin), who then manages the others")
    return store.add_account(name, _hasher.hash(check_password(_given(password), name)), role, actor.name)


def users(store: ClaimStore, actor: Actor) -> list[dict]:
    """Every account: name, role, state, groups, when created and when its password was set; never a hash."""
    require(actor, "users")
    return store.accounts()


def set_role(store: ClaimStore, actor: Actor, name: str, role: str) -> dict:
    require(actor, "users")
    return store.change_account(check_name(name), "user_role", actor.name, role=check_role(role))


def disable(store: ClaimStore, actor: Actor, name: str) -> dict:
    """Disable an account: it can no longer log in, use its tokens or act on the command line (kept, so
    that what it did keeps its author)."""
    require(actor, "users")
    return store.change_account(check_name(name), "user_disable", actor.name, disabled=True)


def enable(store: ClaimStore, actor: Actor, name: str) -> dict:
    require(actor, "users")
    return store.change_account(check_name(name), "user_enable", actor.name, disabled=False)


def set_password(store: ClaimStore, actor: Actor, name: str, password: Password) -> dict:
    """Set an account's password: an admin anyone's, every account its own."""
    name = check_name(name)
    require_for(actor, name)
    if store.account(name) is None:
        raise DocketError(f"{name}: no such account (see `docket users list`)")
    digest = _hasher.hash(check_password(_given(password), name))
    return store.change_account(name, "user_passwd", actor.name, password_hash=digest)


def create_token(store: ClaimStore, actor: Actor, user: str, scope: str, expires: str | None,
                 now: datetime | None = None) -> tuple[str, dict]:
    """A new API token for an account: (the token, shown this once and never kept; its row)."""
    user = check_name(user)
    require_for(actor, user)
    if scope not in SCOPES:
        raise DocketError(f"scope {scope or '(none)'}: expected one of {', '.join(SCOPES)}")
    at = expiry(expires, now)
    account = store.account(user)
    if account is None:
        raise DocketError(f"{user}: no such account (see `docket users list`)")
    if account["disabled"]:
        raise DocketError(f"{user}: the account is disabled; a token for it would not be accepted")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = store.add_token(user, token_digest(token), scope, at.isoformat(timespec="seconds"), actor.name)
    return token, row


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()


def token_state(row: dict, now: datetime | None = None) -> str:
    """active, expired or revoked."""
    if row["revoked"]:
        return "revoked"
    return "expired" if datetime.fromisoformat(row["expires_at"]) <= (now or datetime.now(UTC)) else "active"


def tokens(store: ClaimStore, actor: Actor, user: str | None = None, now: datetime | None = None) -> list[dict]:
    """API tokens with their state (never a token or its digest): an admin sees anyone's (or one account's),
    every other account its own."""
    if user is None and not may(actor, "users"):
        user = actor.name
    if user is not None:
        require_for(actor, check_name(user))
    return [r | {"state": token_state(r, now)} for r in store.tokens(user)]


def revoke_token(store: ClaimStore, actor: Actor, ident: int | str) -> dict:
    try:
        number = int(str(ident).strip())
    except ValueError:
        raise DocketError(f"token {ident}: expected a token's number (see `docket tokens list`)") from None
    row = store.token(number)
    if row is None:
        raise DocketError(f"token {number}: no such token (see `docket tokens list`)")
    require_for(actor, row["user_name"])
    return store.revoke_token(number, actor.name)


def groups(store: ClaimStore, actor: Actor) -> list[dict]:
    require(actor, "groups")
    return store.groups()


def add_group(store: ClaimStore, actor: Actor, name: str, description: str | None = None) -> dict:
    require(actor, "groups")
    description = " ".join((description or "").split())[:500] or None
    return store.add_group(check_name(name, "group"), description, actor.name)


def change_members(store: ClaimStore, actor: Actor, group: str, names: list[str], add: bool) -> dict:
    """Add accounts to a group or remove them (all, or none when one cannot be)."""
    require(actor, "groups")
    group = check_name(group, "group")
    names = list(dict.fromkeys(check_name(n) for n in names))
    if not names:
        raise DocketError(f"{group}: name the accounts to {'add' if add else 'remove'}")
    return store.change_members(group, names, add, actor.name)


# ---------------------------------------------------------------- logging in


class LoginLimiter:
    """Failed logins, per account name: after `failures` of them within `window` seconds, the name is
    refused for `lockout` seconds, whatever password comes (a guesser gets a few tries a few minutes, the
    account's owner waits that long at worst). Pure and in memory, with an injectable clock; it counts
    every failure (`failed_total`, `by_name`)."""

    def __init__(self, failures: int = 5, window: float = 60.0, lockout: float = 300.0,
                 clock: Callable[[], float] = time.monotonic, capacity: int = 10_000):
        self.failures, self.window, self.lockout, self.clock, self.capacity = failures, window, lockout, clock, capacity
        self._recent: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}  # name -> when it may try again
        self._lock = threading.Lock()  # the web calls it from its worker threads
        self.failed_total = 0
        self.by_name: Counter[str] = Counter()

    @staticmethod
    def _key(name: str) -> str:
        return (name or "").strip().lower()[:64]

    def wait(self, name: str) -> float:
        """Seconds before the name may try again (0: now)."""
        with self._lock:
            until = self._locked.get(self._key(name))
            left = until - self.clock() if until is not None else 0.0
        return max(0.0, left)

    def failed(self, name: str) -> None:
        key, now = self._key(name), self.clock()
        with self._lock:
            self.failed_total += 1
            self.by_name[key] += 1
            recent = self._recent.setdefault(key, deque())
            recent.append(now)
            while recent and recent[0] <= now - self.window:
                recent.popleft()
            if len(recent) >= self.failures:
                self._locked[key] = now + self.lockout
                recent.clear()
            if len(self._recent) > self.capacity:  # names an attacker makes up must not fill the memory
                self._forget(now)

    def succeeded(self, name: str) -> None:
        key = self._key(name)
        with self._lock:
            self._recent.pop(key, None)
            self._locked.pop(key, None)

    def _forget(self, now: float) -> None:
        for key in [k for k, q in self._recent.items() if not q or q[-1] <= now - self.window]:
            del self._recent[key]
        for key in [k for k, until in self._locked.items() if until <= now]:
            del self._locked[key]
        if len(self.by_name) > self.capacity:
            self.by_name = Counter(dict(self.by_name.most_common(self.capacity // 2)))


LOGINS = LoginLimiter()  # the process's: what the web's login will use
_DUMMY_HASH: list[str] = []  # checked against for an unknown name, so it takes as long as a known one


def _refuse(name: str, via: str, why: str, message: str, limiter: LoginLimiter | None) -> NotAuthenticated:
    if limiter is not None:
        limiter.failed(name)
    log.warning("login refused for %r via %s: %s", (name or "")[:64], via, why)
    return NotAuthenticated(message)


def authenticate_password(store: ClaimStore, name: str, password: str, limiter: LoginLimiter | None = LOGINS,
                          via: str = "session") -> Actor:
    """The account of a name and password, or NotAuthenticated: the same words for an unknown name and a
    wrong password; a disabled account or too many failures said as such. Failures are logged and counted,
    and rate-limited per name."""
    name = (name or "").strip()
    if limiter is not None and (left := limiter.wait(name)):
        log.warning("login refused for %r via %s: locked out for %d s more", name[:64], via, math.ceil(left))
        raise NotAuthenticated(f"{name[:64]}: too many failed logins; try again in {math.ceil(left)} s")
    stored = store.password_hash(name) if NAME.fullmatch(name) else None
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher.hash(secrets.token_urlsafe(16)))
    try:
        good = _hasher.verify(stored or _DUMMY_HASH[0], password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        good = False
    if not good:
        raise _refuse(name, via, "wrong name or password", "wrong account name or password", limiter)
    account = store.account(name)
    if account is None or account["disabled"]:
        raise _refuse(name, via, "account disabled", f"{name}: the account is disabled", limiter)
    if limiter is not None:
        limiter.succeeded(name)
    return Actor(name, account["role"], frozenset(account["groups"]), via=via)


def authenticate_token(store: ClaimStore, token: str, now: datetime | None = None) -> Actor:
    """The account of an API token (as a Bearer header gives it), or NotAuthenticated for a token unknown,
    revoked or expired, or whose account is disabled. Tokens carry 256 random bits, so they are not
    rate-limited; failures are logged."""
    row = store.token_by_digest(token_digest((token or "").strip())) if token else None
    if row is None:
        raise _refuse("(token)", "token", "unknown token", "unknown API token", None)
    state = token_state(row, now)
    if state != "active":
        when = f" on {row['expires_at']}" if state == "expired" else ""
        raise _refuse(row["user_name"], "token", f"token {row['id']} {state}",
                      f"API token {row['id']} of {row['user_name']}: {state}{when}", None)
    account = store.account(row["user_name"])
    if account is None or account["disabled"]:
        raise _refuse(row["user_name"], "token", "account disabled",
                      f"API token {row['id']}: its account {row['user_name']} is disabled", None)
    return Actor(account["name"], account["role"], frozenset(account["groups"]), via="token", scope=row["scope"])
