"""Accounts from the command line, end to end: a store without accounts works as before; once its first
admin exists, writes are made as enabled accounts (`--as`, $DOCKET_USER, the deprecated `--by`) whose role
allows them, and authors are account names; tokens are printed once; groups; everything logged and
verified."""

import json

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.services import accounts
from docket.store import open_store

TEXT = ("Press release 02 April 2018\n\nOn 2 April 1993 the armed forces of Armenia killed 511 civilians in Kalbajar. "
        "Around 150 villages in Kalbajar were destroyed in April 1993.\n")
ROOT_PW, ANA_PW, REX_PW = "tall pines by the lake", "quiet river under the bridge", "seven lanterns on a hill"


def run(*args, ok=True, input=None, env=None):
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], input=input)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _claims(db) -> list[dict]:
    return json.loads(run("claims", "--db", db, "--format", "json").stdout)


@pytest.fixture
def plain(tmp_path):
    """A store with one document and no accounts."""
    path = tmp_path / "kalbajar.txt"
    path.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "docket.db"
    run("ingest", path, "--db", db, "--publisher", "Ministry")
    return db


@pytest.fixture
def accounted(plain):
    """The same store with an admin (root), an analyst (ana) and a reader (rex)."""
    run("users", "add", "root", "--role", "admin", "--db", plain, input=f"{ROOT_PW}\n{ROOT_PW}\n")
    run("--as", "root", "users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", plain,
        input=ANA_PW + "\n")
    run("--as", "root", "users", "add", "rex", "--role", "reader", "--password-stdin", "--db", plain,
        input=REX_PW + "\n")
    return plain


def test_a_store_without_accounts_works_as_before(plain, monkeypatch):
    monkeypatch.setenv("DOCKET_USER", "alice")
    cid = _claims(plain)[0]["id"]
    run("review", "confirm", cid, "--db", plain)
    run("review", "edit", cid, "--value", "512", "--reason", "annex", "--by", "bob", "--db", plain)
    run("--as", "carol", "review", "reject", cid, "--reason", "not a claim", "--db", plain)
    history = json.loads(run("review", "history", cid, "--db", plain, "--format", "json").stdout)
    assert [v["author"] for v in history] == ["docket (extracted)", "alice", "bob", "carol"]
    assert json.loads(run("users", "list", "--db", plain, "--format", "json").stdout) == []
    assert "no accounts yet" in run("users", "list", "--db", plain).stdout
    assert run("verify", "--db", plain).stdout.startswith("ok: 4 log entries")


def test_the_first_admin_ends_the_open_store(plain):
    result = run("users", "add", "root", "--role", "admin", "--db", plain, input=f"{ROOT_PW}\n{ROOT_PW}\n")
    assert "added root: admin, enabled" in result.stdout and ROOT_PW not in result.output
    assert "Password" in result.stderr  # the prompts go to standard error, the password echoes nowhere
    cid = _claims(plain)[0]["id"]
    refused = run("review", "confirm", cid, "--db", plain, ok=False, env={"DOCKET_USER": "alice"})
    assert refused.exit_code == 1 and "alice: no such account; this store has accounts" in refused.stderr
    run("--as", "root", "review", "confirm", cid, "--db", plain)
    history = json.loads(run("review", "history", cid, "--db", plain, "--format", "json").stdout)
    assert history[-1]["author"] == "root"


def test_writes_are_made_as_accounts_whose_role_allows_them(accounted, tmp_path):
    db = accounted
    cid = _claims(db)[0]["id"]
    run("--as", "ana", "review", "confirm", cid, "--db", db)
    run("review", "edit", cid, "--value", "7", "--reason", "annex", "--db", db, env={"DOCKET_USER": "ana"})
    run("review", "restore", cid, "1", "--reason", "undo", "--by", "ana", "--db", db)  # --by alone: as --as
    run("--as", "ana", "review", "confirm", cid, "--by", "ana", "--db", db)  # the two agree
    history = json.loads(run("review", "history", cid, "--db", db, "--format", "json").stdout)
    assert {v["author"] for v in history[1:]} == {"ana"}
    refused = run("--as", "rex", "review", "confirm", cid, "--db", db, ok=False)
    assert refused.exit_code == 1 and "rex is a reader and may not review claims" in refused.stderr
    other = tmp_path / "other.txt"
    other.write_text("The Security Council adopted resolution 822 (1993).\n", encoding="utf-8")
    refused = run("--as", "rex", "ingest", other, "--db", db, ok=False)
    assert "rex is a reader and may not ingest documents" in refused.stderr
    run("--as", "ana", "ingest", other, "--db", db)
    actors = [(e["action"], e["actor"]) for e in open_store(str(db)).log_entries()]
    assert actors[-1] == ("ingest", "ana") and ("review", "ana") in actors
    custody = run("custody", "other.txt", "--db", db).stdout
    assert "by: ana" in custody
    # reads stay open to any local account for now
    assert run("--as", "rex", "claims", "--db", db).exit_code == 0
    assert run("claims", "--db", db, env={"DOCKET_USER": "nobody-at-all"}).exit_code == 0


def test_entities_incidents_and_documents_edit_ask_for_their_right(accounted):
    db = accounted
    killing = next(c["id"] for c in _claims(db) if c["kind"] == "killing")
    for args, right in ((["entities", "split", "armed forces of Armenia", "--reason", "x"], "merge and split entities"),
                        (["incidents", "grade", killing, "fair", "--reason", "one source"], "merge, split and grade"),
                        (["documents", "edit", "kalbajar.txt", "--title", "T", "--reason", "x"],
                         "correct a document's metadata")):
        refused = run("--as", "rex", *args, "--db", db, ok=False)
        assert refused.exit_code == 1 and f"rex is a reader and may not {right}" in refused.stderr, refused.output
        run("--as", "ana", *args, "--db", db)
    actors = {e["action"]: e["actor"] for e in open_store(str(db)).log_entries()}
    assert actors["entity_decision"] == actors["incident_decision"] == actors["edit_document"] == "ana"
    graded = json.loads(run("incidents", "history", killing, "--db", db, "--format", "json").stdout)
    assert graded["decisions"][0]["author"] == "ana"


def test_managing_accounts(accounted):
    db = accounted
    listed = run("--as", "root", "users", "list", "--db", db, "--format", "json").stdout
    rows = json.loads(listed)
    assert [(a["name"], a["role"], a["disabled"]) for a in rows] == [("ana", "analyst", False), ("rex", "reader", False),
                                                                     ("root", "admin", False)]
    assert "argon2" not in listed and "password_hash" not in listed
    assert "may not add accounts" in run("--as", "ana", "users", "list", "--db", db, ok=False).stderr
    run("--as", "root", "users", "role", "rex", "analyst", "--db", db)
    run("--as", "root", "users", "disable", "ana", "--db", db)
    assert "ana: the account is disabled" in run("--as", "ana", "users", "passwd", "ana", "--db", db, ok=False).stderr
    run("--as", "root", "users", "enable", "ana", "--db", db)
    # every account its own password; an admin anyone's
    run("--as", "ana", "users", "passwd", "ana", "--password-stdin", "--db", db, input="a fresh passphrase here\n")
    assert "may not add accounts" in run("--as", "ana", "users", "passwd", "rex", "--password-stdin", "--db", db,
                                         input="a fresh passphrase here\n", ok=False).stderr
    run("--as", "root", "users", "passwd", "rex", "--db", db, input="another passphrase\nanother passphrase\n")
    store = open_store(str(db))
    assert accounts.authenticate_password(store, "ana", "a fresh passphrase here", None).name == "ana"
    assert accounts.authenticate_password(store, "rex", "another passphrase", None).role == "analyst"
    actions = [(e["action"], e["subject"], e["actor"]) for e in store.log_entries() if e["action"].startswith("user")]
    assert actions[3:] == [("user_role", "user:rex", "root"), ("user_disable", "user:ana", "root"),
                           ("user_enable", "user:ana", "root"), ("user_passwd", "user:ana", "ana"),
                           ("user_passwd", "user:rex", "root")]
    verified = json.loads(run("verify", "--db", db, "--format", "json").stdout)
    assert verified["ok"] and verified["accounts"] == 3


def test_tokens_from_the_command_line(accounted):
    db = accounted
    result = run("--as", "root", "tokens", "create", "--user", "ana", "--expires", "30d", "--scope", "write", "--db", db)
    token = result.stdout.strip()
    assert token.startswith("dkt_") and "\n" not in token  # the token alone on standard output
    assert "shown this once" in result.stderr and "scope write" in result.stderr
    store = open_store(str(db))
    assert accounts.authenticate_token(store, token).name == "ana"
    made = json.loads(run("--as", "ana", "tokens", "create", "--expires", "2w", "--db", db, "--format", "json").stdout)
    assert made["user_name"] == "ana" and made["scope"] == "read" and made["token"].startswith("dkt_")
    listed = run("--as", "root", "tokens", "list", "--db", db, "--format", "json").stdout
    assert token not in listed and made["token"] not in listed and accounts.token_digest(token) not in listed
    assert [(t["user_name"], t["state"]) for t in json.loads(listed)] == [("ana", "active"), ("ana", "active")]
    assert len(json.loads(run("--as", "rex", "tokens", "list", "--db", db, "--format", "json").stdout)) == 0
    run("--as", "ana", "tokens", "revoke", "1", "--db", db)
    with pytest.raises(accounts.NotAuthenticated, match="revoked"):
        accounts.authenticate_token(store, token)
    assert "revoked" in run("--as", "root", "tokens", "list", "--db", db).stdout
    logged = " ".join(e["data"] for e in store.log_entries())
    assert token not in logged and made["token"] not in logged
    assert run("verify", "--db", db).exit_code == 0


def test_groups_from_the_command_line(accounted):
    db = accounted
    run("--as", "root", "groups", "add", "witnesses", "--description", "who may read testimonies", "--db", db)
    assert "witnesses: ana, rex" in run("--as", "root", "groups", "members", "add", "witnesses", "ana", "rex",
                                        "--db", db).stdout
    run("--as", "root", "groups", "members", "remove", "witnesses", "rex", "--db", db)
    listed = json.loads(run("--as", "root", "groups", "list", "--db", db, "--format", "json").stdout)
    assert [(g["name"], g["members"], g["description"]) for g in listed] == [
        ("witnesses", ["ana"], "who may read testimonies")]
    users = json.loads(run("--as", "root", "users", "list", "--db", db, "--format", "json").stdout)
    assert {u["name"]: u["groups"] for u in users} == {"ana": ["witnesses"], "rex": [], "root": []}
    assert "may not add groups" in run("--as", "ana", "groups", "add", "x", "--db", db, ok=False).stderr
    assert run("verify", "--db", db).stdout.startswith("ok: ") and "1 groups" in run("verify", "--db", db).stdout


def test_users_add_on_a_new_store_makes_it_and_a_refusal_leaves_none(tmp_path):
    fresh = tmp_path / "new.db"
    refused = run("users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", fresh, input=ANA_PW + "\n",
                  ok=False)
    assert "the first account must be an admin" in refused.stderr and not fresh.exists()
    run("users", "add", "root", "--role", "admin", "--password-stdin", "--db", fresh, input=ROOT_PW + "\n")
    assert fresh.exists() and open_store(str(fresh)).has_accounts()


def test_demo_replaces_a_store_with_accounts_only_for_an_admin(tmp_path):
    db = tmp_path / "demo.db"
    run("demo", "--db", db)
    run("demo", "--db", db)  # no accounts: replaced as before
    run("users", "add", "root", "--role", "admin", "--password-stdin", "--db", db, input=ROOT_PW + "\n")
    run("--as", "root", "users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", db, input=ANA_PW + "\n")
    refused = run("--as", "ana", "demo", "--db", db, ok=False)
    assert refused.exit_code == 1 and "ana is an analyst and may not replace the whole store" in refused.stderr
    assert open_store(str(db)).has_accounts()
    run("--as", "root", "demo", "--db", db)
    assert not open_store(str(db)).has_accounts()
