"""Accounts, roles and tokens in the service layer: the permission table as data, the login limiter with a
clock of its own, token expiry at fixed times, passwords hashed and never logged, the command line's actor
in a store with and without accounts, and the README's table held to the code."""

import logging
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from docket.errors import DocketError
from docket.services import accounts, local_user
from docket.services.accounts import (
    ACTIONS,
    ROLE_ACTIONS,
    Actor,
    LoginLimiter,
    NotAllowed,
    NotAuthenticated,
    allowed,
    may,
    require,
)
from docket.store import open_store

README = Path(__file__).resolve().parents[2] / "README.md"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ADMIN_PW, ANALYST_PW, READER_PW = "tall pines by the lake", "quiet river under the bridge", "seven lanterns on a hill"


@pytest.fixture
def store(tmp_path):
    """A store with an admin (root), an analyst (ana) and a reader (rex)."""
    s = open_store(str(tmp_path / "a.db"))
    local = accounts.local_actor(s)
    accounts.add_user(s, local, "root", ADMIN_PW, "admin")
    root = accounts.local_actor(s, "root")
    accounts.add_user(s, root, "ana", ANALYST_PW, "analyst")
    accounts.add_user(s, root, "rex", READER_PW, "reader")
    return s


def _as(store, name):
    return accounts.local_actor(store, name)


# ---------------------------------------------------------------- the permission table, pure


def test_each_role_may_what_the_table_says():
    assert ROLE_ACTIONS["reader"] == {"read", "own_account"}
    assert ROLE_ACTIONS["analyst"] == {"read", "own_account", "review", "create_claim", "ingest", "edit_document",
                                       "grade", "decide_entities"}
    assert ROLE_ACTIONS["admin"] == set(ACTIONS)
    assert ROLE_ACTIONS["reader"] < ROLE_ACTIONS["analyst"] < ROLE_ACTIONS["admin"]
    assert {"users", "groups", "restrict"} & ROLE_ACTIONS["analyst"] == set()
    for role, actions in ROLE_ACTIONS.items():
        actor = Actor("x", role)
        for action in ACTIONS:
            assert may(actor, action) == (action in actions), (role, action)


def test_an_anonymous_visitor_may_only_read():
    anon = Actor.anonymous()
    assert allowed(anon) == {"read"} and anon.via == "anonymous" and not anon.account
    require(anon, "read")
    with pytest.raises(NotAllowed, match="an anonymous visitor may not review claims"):
        require(anon, "review")


def test_a_token_is_narrowed_by_its_scope_and_never_manages_accounts():
    read = Actor("ana", "analyst", via="token", scope="read")
    write = Actor("ana", "analyst", via="token", scope="write")
    admin_write = Actor("root", "admin", via="token", scope="write")
    assert allowed(read) == {"read"}
    assert allowed(write) == ROLE_ACTIONS["analyst"] - {"own_account"}
    assert "users" not in allowed(admin_write) and "groups" not in allowed(admin_write)
    assert "restrict" in allowed(admin_write) and "ingest" in allowed(admin_write)
    with pytest.raises(NotAllowed, match=r"this API token \(scope read\) may not review claims.*create a write token"):
        require(read, "review")
    with pytest.raises(NotAllowed, match="from the command line, never with a token"):
        require(admin_write, "users")
    with pytest.raises(NotAllowed, match="ana is an analyst and may not add accounts"):
        require(write, "users")  # beyond the role: said as the role's, not the scope's


def test_require_says_which_roles_would_allow_it():
    with pytest.raises(NotAllowed, match="rex is a reader and may not ingest documents: that takes the role analyst "
                                         "or admin"):
        require(Actor("rex", "reader"), "ingest")
    with pytest.raises(NotAllowed, match="that takes the role admin$"):
        require(Actor("ana", "analyst"), "groups")
    with pytest.raises(ValueError, match="not an action"):
        may(Actor("ana", "analyst"), "launch")
    with pytest.raises(ValueError, match="expected a role"):
        Actor("ana", "superuser")
    assert issubclass(NotAllowed, DocketError) and NotAllowed.status == 403 and NotAuthenticated.status == 401


def test_the_readme_table_is_the_permission_table():
    text = README.read_text(encoding="utf-8")
    m = re.search(r"(<!-- roles:[^\n]*-->\n)(.*?)(<!-- /roles -->)", text, re.S)
    assert m, "README.md has lost its roles table markers"
    if os.environ.get("DOCKET_WRITE_README") == "1" and m.group(2) != accounts.permission_table():
        README.write_text(text[: m.start(2)] + accounts.permission_table() + text[m.end(2):], encoding="utf-8")
        return
    assert m.group(2) == accounts.permission_table(), "README's roles table differs from services/accounts.py"
    assert "Not there yet" in text and "no login" in text


# ---------------------------------------------------------------- the login limiter, with its own clock


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_five_failures_in_a_minute_lock_a_name_for_a_while():
    clock = Clock()
    limiter = LoginLimiter(failures=5, window=60, lockout=300, clock=clock)
    for _ in range(4):
        limiter.failed("ana")
        clock.t += 10
    assert limiter.wait("ana") == 0
    limiter.failed("ANA ")  # the same name, however typed
    assert limiter.wait("ana") == 300
    clock.t += 299
    assert limiter.wait("ana") == pytest.approx(1)
    assert limiter.wait("ben") == 0  # per name
    clock.t += 1
    assert limiter.wait("ana") == 0
    assert limiter.failed_total == 5 and limiter.by_name["ana"] == 5


def test_failures_spread_out_or_followed_by_a_success_do_not_lock():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(10):
        limiter.failed("ana")
        clock.t += 20  # three a minute at most
    assert limiter.wait("ana") == 0
    for _ in range(4):
        limiter.failed("ben")
    limiter.succeeded("ben")
    limiter.failed("ben")
    assert limiter.wait("ben") == 0
    assert limiter.failed_total == 15  # counted all the same


def test_made_up_names_do_not_fill_the_memory():
    clock = Clock()
    limiter = LoginLimiter(clock=clock, capacity=100)
    for i in range(1000):
        limiter.failed(f"guess{i}")
        clock.t += 1
    assert len(limiter._recent) <= 101 and limiter.failed_total == 1000


# ---------------------------------------------------------------- token expiry, at fixed times


@pytest.mark.parametrize("given, expected", [
    ("30d", NOW + timedelta(days=30)), ("12h", NOW + timedelta(hours=12)), ("8w", NOW + timedelta(weeks=8)),
    (" 7D ", NOW + timedelta(days=7)), ("2026-12-31", datetime(2027, 1, 1, tzinfo=UTC)),
    ("2026-03-01", datetime(2026, 3, 2, tzinfo=UTC)),  # through today
])
def test_an_expiry_is_a_span_or_the_end_of_a_day(given, expected):
    assert accounts.expiry(given, NOW) == expected


@pytest.mark.parametrize("given, message", [
    ("soon", "expected a span such as 30d"), ("", "expected a span"), ("0d", "expected a span"),
    ("30", "expected a span"), ("2026-02-30", "expected a span"), ("2026-02-28", "that is past"),
    ("400d", "at most 366 days"), ("2028-01-01", "at most 366 days"), ("-3d", "expected a span"),
    ("9999-12-31", "at most 366 days"), ("99999w", "at most 366 days"),
])
def test_a_bad_expiry_is_refused(given, message):
    with pytest.raises(DocketError, match=f"--expires .*{message}"):
        accounts.expiry(given, NOW)


def test_a_token_is_accepted_until_it_expires(store):
    token, row = accounts.create_token(store, _as(store, "root"), "ana", "write", "30d", now=NOW)
    assert row["expires_at"] == "2026-03-31T12:00:00+00:00" and token.startswith("dkt_") and len(token) > 40
    actor = accounts.authenticate_token(store, token, now=NOW + timedelta(days=29, hours=23))
    assert (actor.name, actor.role, actor.via, actor.scope) == ("ana", "analyst", "token", "write")
    with pytest.raises(NotAuthenticated, match=rf"API token {row['id']} of ana: expired on 2026-03-31"):
        accounts.authenticate_token(store, token, now=NOW + timedelta(days=30))
    states = {r["id"]: r["state"] for r in accounts.tokens(store, _as(store, "root"), now=NOW + timedelta(days=31))}
    assert states == {row["id"]: "expired"}


def test_revoked_unknown_and_disabled_tokens_are_refused(store, caplog):
    root = _as(store, "root")
    token, row = accounts.create_token(store, root, "ana", "read", "7d")
    other, _ = accounts.create_token(store, root, "rex", "read", "7d")
    assert accounts.authenticate_token(store, token).name == "ana"
    accounts.revoke_token(store, root, row["id"])
    with caplog.at_level(logging.WARNING, logger="docket.accounts"):
        with pytest.raises(NotAuthenticated, match=f"API token {row['id']} of ana: revoked"):
            accounts.authenticate_token(store, token)
        with pytest.raises(NotAuthenticated, match="unknown API token"):
            accounts.authenticate_token(store, token[:-2] + "xx")
        with pytest.raises(NotAuthenticated, match="unknown API token"):
            accounts.authenticate_token(store, "")
        accounts.disable(store, root, "rex")
        with pytest.raises(NotAuthenticated, match="its account rex is disabled"):
            accounts.authenticate_token(store, other)
    assert caplog.text.count("login refused") == 4 and token not in caplog.text


def test_only_the_owner_or_an_admin_handles_a_token(store):
    ana, rex = _as(store, "ana"), _as(store, "rex")
    _, own = accounts.create_token(store, rex, "rex", "read", "1d")  # a reader's own
    with pytest.raises(NotAllowed, match="rex is a reader and may not add accounts"):
        accounts.create_token(store, rex, "ana", "read", "1d")
    with pytest.raises(NotAllowed):
        accounts.revoke_token(store, ana, own["id"])
    assert [r["id"] for r in accounts.tokens(store, rex)] == [own["id"]]
    assert accounts.tokens(store, ana) == []  # its own: none
    with pytest.raises(NotAllowed):
        accounts.tokens(store, ana, "rex")
    assert accounts.revoke_token(store, rex, own["id"])["revoked"] is True


# ---------------------------------------------------------------- passwords


def test_a_password_logs_in_and_failures_are_logged_counted_and_limited(store, caplog):
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    actor = accounts.authenticate_password(store, "ana", ANALYST_PW, limiter)
    assert (actor.name, actor.role, actor.via) == ("ana", "analyst", "session")
    with caplog.at_level(logging.WARNING, logger="docket.accounts"):
        for name, password in (("ana", "wrong one"), ("nobody", ANALYST_PW), ("ANA!", ""), ("ana", None)):
            with pytest.raises(NotAuthenticated, match="^wrong account name or password$"):  # never which
                accounts.authenticate_password(store, name, password, limiter)
    assert limiter.failed_total == 4 and caplog.text.count("login refused for") == 4
    assert ANALYST_PW not in caplog.text
    for _ in range(4):
        with pytest.raises(NotAuthenticated):
            accounts.authenticate_password(store, "ana", "still wrong", limiter)
    with pytest.raises(NotAuthenticated, match="ana: too many failed logins; try again in 300 s"):
        accounts.authenticate_password(store, "ana", ANALYST_PW, limiter)  # even the right one, for a while
    assert accounts.authenticate_password(store, "rex", READER_PW, limiter).role == "reader"  # another name
    clock.t += 301
    assert accounts.authenticate_password(store, "ana", ANALYST_PW, limiter).name == "ana"
    accounts.disable(store, _as(store, "root"), "rex")
    with pytest.raises(NotAuthenticated, match="rex: the account is disabled"):
        accounts.authenticate_password(store, "rex", READER_PW, limiter)


def test_passwords_and_tokens_are_kept_hashed_and_never_logged(store, tmp_path):
    root = _as(store, "root")
    accounts.set_password(store, root, "ana", "a brand new passphrase")
    token, _ = accounts.create_token(store, root, "ana", "write", "30d")
    stored = store.password_hash("ana")
    assert stored.startswith("$argon2id$") and "passphrase" not in stored
    assert accounts.authenticate_password(store, "ana", "a brand new passphrase", None).name == "ana"
    with pytest.raises(NotAuthenticated):
        accounts.authenticate_password(store, "ana", ANALYST_PW, None)
    entries = list(store.log_entries())
    logged = " ".join(e["data"] for e in entries)
    digest = accounts.token_digest(token)
    for secret in ("a brand new passphrase", ANALYST_PW, ADMIN_PW, token, digest, stored, "$argon2"):
        assert secret not in logged
    assert token.encode() not in (tmp_path / "a.db").read_bytes()
    assert all("password_hash" not in a for a in store.accounts()) and "token_sha256" not in store.tokens()[0]
    actions = [(e["action"], e["subject"], e["actor"]) for e in entries]
    assert actions == [("user_add", "user:root", local_user()),
                       ("user_add", "user:ana", "root"), ("user_add", "user:rex", "root"),
                       ("user_passwd", "user:ana", "root"), ("token_create", "token:1", "root")]


@pytest.mark.parametrize("password, message", [
    ("", "the password is empty"), (None, "the password is empty"), ("short one", "the password is too short"),
    ("x" * 1025, "the password is too long"), ("my name is ana, hi", "the password is too easy to guess"),
    ("Password123", "the password is too easy to guess"), ("abababababab", "the password is too easy to guess"),
])
def test_a_weak_password_is_refused(store, password, message):
    with pytest.raises(DocketError, match=f"ana: {message}"):
        accounts.set_password(store, _as(store, "root"), "ana", password)
    assert accounts.authenticate_password(store, "ana", ANALYST_PW, None).name == "ana"  # unchanged


def test_the_password_is_asked_for_only_once_the_rest_is_checked(store):
    asked = []

    def ask():
        asked.append(1)
        return "never used at all"

    for actor, name, role in ((_as(store, "ana"), "new", "reader"), (_as(store, "root"), "ana", "reader"),
                              (_as(store, "root"), "Bad Name", "reader"), (_as(store, "root"), "new", "boss")):
        with pytest.raises(DocketError):
            accounts.add_user(store, actor, name, ask, role)
    assert asked == []


# ---------------------------------------------------------------- the command line's actor


def test_a_store_without_accounts_lets_the_local_user_act_as_before(tmp_path, monkeypatch):
    s = open_store(str(tmp_path / "open.db"))
    monkeypatch.setenv("DOCKET_USER", "alice")
    actor = accounts.local_actor(s)
    assert (actor.name, actor.role, actor.account) == ("alice", "admin", False)
    assert accounts.local_actor(s, by="ben").name == "ben"  # --by names the author, as before
    assert accounts.local_actor(s, "carol").name == "carol"
    for action in ACTIONS:
        require(actor, action)
    with pytest.raises(DocketError, match="--by ben: you act as carol"):
        accounts.local_actor(s, "carol", "ben")
    assert accounts.users(s, actor) == [] and not s.has_accounts()


def test_once_there_are_accounts_the_actor_must_be_one(store, monkeypatch):
    monkeypatch.setenv("DOCKET_USER", "ana")
    assert accounts.local_actor(store) == Actor("ana", "analyst", via="cli")
    assert accounts.local_actor(store, by="rex").role == "reader"  # --by alone is read as --as
    assert accounts.acting(store, "review", "ana").name == "ana"
    with pytest.raises(NotAllowed, match="rex is a reader and may not review claims"):
        accounts.acting(store, "review", "rex")
    monkeypatch.setenv("DOCKET_USER", "mallory")
    with pytest.raises(NotAuthenticated, match="mallory: no such account; this store has accounts"):
        accounts.local_actor(store)
    accounts.disable(store, _as(store, "root"), "ana")
    with pytest.raises(NotAuthenticated, match="ana: the account is disabled"):
        accounts.local_actor(store, "ana")
    accounts.enable(store, _as(store, "root"), "ana")
    assert accounts.local_actor(store, "ana").name == "ana"


def test_the_first_account_is_an_admin_and_the_last_admin_stays(tmp_path):
    s = open_store(str(tmp_path / "b.db"))
    local = accounts.local_actor(s)
    with pytest.raises(DocketError, match="the first account must be an admin"):
        accounts.add_user(s, local, "ana", ANALYST_PW, "analyst")
    with pytest.raises(DocketError, match="the first account must be an admin"):
        s.add_account("ana", "x", "analyst", "test")  # the store holds to it too
    accounts.add_user(s, local, "root", ADMIN_PW, "admin")
    root = accounts.local_actor(s, "root")
    for change in (lambda: accounts.disable(s, root, "root"), lambda: accounts.set_role(s, root, "root", "analyst")):
        with pytest.raises(DocketError, match="the only enabled admin"):
            change()
    accounts.add_user(s, root, "second", ADMIN_PW, "admin")
    accounts.set_role(s, root, "second", "analyst")
    with pytest.raises(DocketError, match="second is an analyst already; nothing changed"):
        accounts.set_role(s, root, "second", "analyst")
    accounts.set_role(s, root, "second", "admin")
    accounts.disable(s, root, "second")
    with pytest.raises(DocketError, match="the only enabled admin"):  # a disabled admin is no admin
        accounts.disable(s, root, "root")
    assert s.account("root")["disabled"] is False


def test_groups_are_for_admins_and_their_members_are_accounts(store):
    root, ana = _as(store, "root"), _as(store, "ana")
    with pytest.raises(NotAllowed):
        accounts.add_group(store, ana, "witnesses")
    accounts.add_group(store, root, "witnesses", "  who may   read testimonies ")
    g = accounts.change_members(store, root, "witnesses", ["ana", "rex", "ana"], add=True)
    assert g["members"] == ["ana", "rex"] and g["description"] == "who may read testimonies"
    assert accounts.local_actor(store, "ana").groups == {"witnesses"}
    with pytest.raises(DocketError, match="ghost: no such account"):
        accounts.change_members(store, root, "witnesses", ["ghost"], add=True)
    with pytest.raises(DocketError, match="ana: a member of witnesses already"):
        accounts.change_members(store, root, "witnesses", ["ana"], add=True)
    with pytest.raises(DocketError, match="nope: no such group"):
        accounts.change_members(store, root, "nope", ["ana"], add=True)
    with pytest.raises(DocketError, match="witnesses: a group of this name exists already"):
        accounts.add_group(store, root, "witnesses")
    assert accounts.change_members(store, root, "witnesses", ["rex"], add=False)["members"] == ["ana"]
    assert [g["name"] for g in accounts.groups(store, root)] == ["witnesses"]
