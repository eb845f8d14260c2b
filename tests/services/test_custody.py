"""The write log and `docket verify`: an honest store passes; a figure, a document's bytes, a review
version, a log entry or an entity decision altered behind Docket's back with sqlite3 is named."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from docket import services
from docket.cli import main
from docket.errors import DocketError
from docket.gazetteer import default_gazetteer
from docket.services import review
from docket.services.custody import custody, verify
from docket.services.documents import edit_document
from docket.services.entities import record_decision
from docket.store import open_store

TEXT = ("Press release 02 April 2018\n\nAround 150 villages were destroyed by the armed forces of Armenia "
        "in the Kalbajar district in 1993. At least 511 civilians were killed.\n")
OTHER = "Statement 3 May 2019\n\nThe Security Council adopted resolution 822 (1993) on Kalbajar.\n"


@pytest.fixture
def honest(tmp_path):
    """A store with two documents, a reviewed claim (edited, then confirmed) and an entity decision."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "h.db"
    store = open_store(str(db))
    report = services.ingest_paths(store, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert report.count("added") == 2
    killing = next(c for c in store.claims() if c.kind == "killing")
    review.edit(store, default_gazetteer(), killing.id, {"value": "512"}, "ana", "the annex counts one more")
    review.confirm(store, default_gazetteer(), killing.id, "ben")
    record_decision(store, "split", "armed forces of Armenia", None, "ana", "its own entity")
    return db, store, killing.id


def _tamper(db, sql: str, *args) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def _first_problem(db) -> str:
    result = verify(open_store(str(db), create=False))
    assert not result.ok
    return str(result.problems[0])


def test_an_honest_store_verifies(honest):
    db, store, _ = honest
    result = verify(store)
    assert result.ok, result.problems
    assert result.documents == 2 and result.versions == 3 and result.decisions == 1
    assert result.entries == 2 + 2 + 1  # two ingests, two reviews, one decision
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 0 and cli.stdout.startswith("ok: 5 log entries, 2 documents")


def test_an_altered_figure_is_named(honest):
    db, store, _ = honest
    victim = next(c for c in store.claims() if c.kind == "destruction")
    _tamper(db, "UPDATE claims SET quantity_value = 15 WHERE id = ?", victim.id)
    problem = _first_problem(db)
    assert victim.id in problem and "quantity_value is 15, was 150" in problem
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 4 and victim.id in cli.stderr


def test_an_altered_reviewed_figure_is_named(honest):
    db, _, killing = honest
    _tamper(db, "UPDATE claims SET quantity_value = 51 WHERE id = ?", killing)
    problem = _first_problem(db)
    assert killing in problem and "quantity_value is 51, was 512" in problem


def test_altered_document_bytes_are_named(honest):
    db, store, _ = honest
    sha = store.document("a.txt").sha256
    _tamper(db, "UPDATE documents SET raw = CAST(REPLACE(CAST(raw AS TEXT), '511', '311') AS BLOB) WHERE sha256 = ?", sha)
    problem = _first_problem(db)
    assert sha in problem and "stored bytes were altered" in problem
    # re-ingesting the original must not say all is well
    again = CliRunner().invoke(main, ["ingest", str(db.parent / "a.txt"), "--db", str(db)])
    assert again.exit_code == 1 and "stored bytes were altered" in again.output


def test_altered_text_and_metadata_are_named(honest):
    db, store, _ = honest
    sha = store.document("b.txt").sha256
    _tamper(db, "UPDATE documents SET publisher = 'Someone else' WHERE sha256 = ?", sha)
    assert "metadata was altered (publisher is 'Someone else', was None)" in _first_problem(db)
    _tamper(db, "UPDATE documents SET publisher = NULL, text = text || ' ' WHERE sha256 = ?", sha)
    assert "extracted text was altered" in _first_problem(db)


def test_an_altered_review_author_is_named(honest):
    db, _, killing = honest
    _tamper(db, "UPDATE claim_versions SET author = 'mallory' WHERE claim_id = ? AND version = 2", killing)
    problem = _first_problem(db)
    assert f"version {killing} v2" in problem and "'mallory'" in problem


def test_a_deleted_version_is_named(honest):
    db, _, killing = honest
    _tamper(db, "DELETE FROM claim_versions WHERE claim_id = ? AND version = 3", killing)
    problem = _first_problem(db)
    assert f"{killing} v3" in problem and "deleted" in problem


def test_an_altered_or_removed_log_entry_breaks_the_chain(honest):
    db, _, _ = honest
    _tamper(db, "UPDATE log SET actor = 'mallory' WHERE seq = 3")
    assert "chain entry 3: its review record was altered" in _first_problem(db)
    _tamper(db, "DELETE FROM log WHERE seq = 3")
    assert "chain entry 3: missing" in _first_problem(db)


def test_a_removed_last_entry_is_found(honest):
    db, _, _ = honest
    _tamper(db, "DELETE FROM log WHERE seq = 5")
    assert "chain head" in _first_problem(db)


def test_an_altered_decision_and_area_digest_are_named(honest):
    db, store, _ = honest
    _tamper(db, "UPDATE entity_decisions SET b = 'someone' WHERE id = 1")
    assert "decision 1: altered" in _first_problem(db)
    _tamper(db, "UPDATE entity_decisions SET b = NULL WHERE id = 1")
    assert verify(store).ok
    _tamper(db, "UPDATE area_claims SET quantity_value = 1 WHERE quantity_value = 150")
    assert "the digest comparisons read was altered" in _first_problem(db)


def test_a_claim_inserted_behind_dockets_back_is_named(honest):
    db, store, _ = honest
    _tamper(db, "INSERT INTO claims SELECT 'c-forged', document_sha256, kind, span_start, span_end, text, attributed_to, "
                "agent, affected, quantity_value, quantity_low, quantity_high, quantity_qualifier, quantity_unit, "
                "object_category, object_name, when_start, when_end, when_precision, when_ongoing, instrument, company, "
                "parent_company, site, weapons, minerals, corroborated_by, status, confidence, version, created_at "
                "FROM claims LIMIT 1")
    assert "claim c-forged" in _first_problem(db) and "never logged" in _first_problem(db)


def test_a_published_head_pins_the_log(honest):
    from docket.services.custody import head_of

    db, store, _ = honest
    seq, head = store.chain_head()
    assert verify(store, pin=head_of(head)).ok
    assert verify(store, pin=head_of(f"{seq}:{head}")).ok
    assert not verify(store, pin=head_of(f"{seq - 1}:{head}")).ok  # the hash, but at another entry
    result = verify(store, pin=head_of("ab" * 32))
    assert not result.ok and "no entry of this log has that hash" in str(result.problems[0])
    with pytest.raises(DocketError, match="its full 64-digit hash"):
        head_of(head[:16])  # a prefix can be matched by grinding an entry's hash
    cli = CliRunner().invoke(main, ["verify", "--db", str(db), "--head", "not-a-hash"])
    assert cli.exit_code == 1 and "--head" in cli.stderr


def test_verify_all_lists_every_problem(honest):
    db, store, killing = honest
    _tamper(db, "UPDATE claims SET quantity_value = 51 WHERE id = ?", killing)
    _tamper(db, "UPDATE entity_decisions SET b = 'someone' WHERE id = 1")
    result = verify(open_store(str(db)), everything=True)
    assert [p.what for p in result.problems] == ["claim", "decision"]
    cli = CliRunner().invoke(main, ["verify", "--db", str(db), "--all", "--format", "json"])
    assert cli.exit_code == 4 and len(json.loads(cli.stdout)["problems"]) == 2


def test_custody_record_says_where_a_file_came_from(honest, tmp_path):
    db, store, killing = honest
    side = tmp_path / "c.txt.meta.yaml"
    side.write_text("publisher: Caucasus Rights Monitor\npublished: 2019-05-03\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(OTHER.replace("822", "853"), encoding="utf-8")
    services.ingest_file(store, tmp_path / "c.txt")
    r = custody(store, "c.txt")
    src = r["source"]
    assert r["bytes_match"] and src["via"] == "cli" and src["path"] == str((tmp_path / "c.txt").resolve())
    assert src["sidecar"]["path"] == str(side) and "Caucasus Rights Monitor" in src["sidecar"]["text"]
    assert src["docket"] and [e["action"] for e in r["entries"]] == ["ingest"]
    reviewed = custody(store, "a.txt")
    assert [e["action"] for e in reviewed["entries"]] == ["ingest", "review", "review"]
    assert reviewed["entries"][1]["actor"] == "ana" and reviewed["entries"][1]["subject"] == killing
    cli = CliRunner().invoke(main, ["custody", "a.txt", "--db", str(db)])
    assert cli.exit_code == 0 and "via: cli" in cli.stdout and "edit" in cli.stdout


def test_documents_edit_is_logged_and_claims_follow(honest):
    db, store, killing = honest
    sha = store.document("a.txt").sha256
    before = {c.id: c for c in store.claims() if c.document.sha256 == sha}
    revision = store.revision()  # what cached comparisons are keyed on
    assert all(c.attributed_to is None for c in before.values() if c.id != killing)
    done = edit_document(store, "a.txt", {"publisher": "Ministry of Foreign Affairs of Azerbaijan",
                                          "published": "2018-04-02"}, "ana", "from the letterhead")
    assert done["kept"] == 1 and done["claims"] == len(before) - 1
    after = {c.id: c for c in store.claims() if c.document.sha256 == sha}
    assert set(after) == set(before)  # the same claims, by their stable ids
    assert all(c.attributed_to == "Ministry of Foreign Affairs of Azerbaijan" for c in after.values() if c.id != killing)
    assert after[killing].status == "confirmed" and after[killing].quantity.value == 512  # the analyst's work stands
    assert after[killing].document.publisher == "Ministry of Foreign Affairs of Azerbaijan"
    assert store.revision() != revision
    assert verify(store).ok
    assert custody(store, sha)["entries"][-1]["action"] == "edit_document"
    with pytest.raises(DocketError, match="nothing to change"):
        edit_document(store, sha, {"published": "2018-04-02"}, "ana", "again")
    with pytest.raises(DocketError, match="give a reason"):
        edit_document(store, sha, {"published": "2018-04-03"}, "ana", "")
    with pytest.raises(DocketError, match="expected a date"):
        edit_document(store, sha, {"published": "April 2018"}, "ana", "x")


def test_documents_edit_from_the_command_line(honest):
    db, store, _ = honest
    cli = CliRunner().invoke(main, ["documents", "edit", "b.txt", "--db", str(db), "--publisher", "UN",
                                    "--genre", "Press release", "--reason", "header", "--by", "ana"])
    assert cli.exit_code == 0, cli.output
    assert "publisher: (none) -> UN" in cli.stdout and "genre: statement -> press_release" in cli.stdout
    listed = json.loads(CliRunner().invoke(main, ["documents", "--db", str(db), "--format", "json"]).stdout)
    assert {d["filename"]: d["publisher"] for d in listed}["b.txt"] == "UN"
    bad = CliRunner().invoke(main, ["documents", "edit", "b.txt", "--db", str(db), "--url", "javascript:alert(1)",
                                    "--reason", "x"])
    assert bad.exit_code == 1 and "expected an http:// or https:// address" in bad.stderr
    assert verify(store).ok


# ---------------------------------------------------------------- what comparisons read, and odd values


def test_area_rows_moved_deleted_or_forged_are_named(honest):
    db, store, killing = honest
    conn = sqlite3.connect(db)
    place = conn.execute("SELECT place_id FROM area_claims WHERE claim_id = ? LIMIT 1", (killing,)).fetchone()[0]
    conn.close()
    _tamper(db, "UPDATE area_claims SET place_id = 'docket:vang' WHERE claim_id = ? AND place_id = ?", killing, place)
    assert killing in _first_problem(db) and "areas it counts for" in _first_problem(db)
    _tamper(db, "UPDATE area_claims SET place_id = ? WHERE claim_id = ? AND place_id = 'docket:vang'", place, killing)
    assert verify(store).ok
    _tamper(db, "DELETE FROM area_claims WHERE claim_id = ?", killing)
    assert killing in _first_problem(db)


def test_a_forged_area_row_and_an_altered_anchor_year_are_named(tmp_path, honest):
    db, store, _ = honest
    forged = tmp_path / "forged.db"
    with sqlite3.connect(db) as src, sqlite3.connect(forged) as dst:
        src.backup(dst)
    _tamper(forged, "INSERT INTO area_claims SELECT place_id, 'c-fake000000000000', kind, status, when_start, "
                    "when_ongoing, document_sha256, places, thing, 'Forged source', quantity_value, quantity_low, "
                    "quantity_high, quantity_qualifier, quantity_unit, when_precision, when_end, part, measure, series, as_of, "
                    "echo FROM area_claims LIMIT 1")
    problem = _first_problem(forged)
    assert "c-fake000000000000" in problem and "a claim the store does not hold" in problem
    _tamper(db, "UPDATE documents SET anchor_year = 1960")
    assert "anchor_year" in _first_problem(db) and "is 1960" in _first_problem(db)


def test_the_record_of_a_document_is_vouched_for(honest):
    db, store, _ = honest
    sha = store.document("a.txt").sha256
    _tamper(db, "UPDATE documents SET filename = 'official-UN-report.pdf', media_type = 'application/pdf' WHERE sha256 = ?",
            sha)
    assert "its record was altered" in _first_problem(db) and "official-UN-report.pdf" in _first_problem(db)


def test_a_claims_version_counter_is_checked(honest):
    db, _, killing = honest
    _tamper(db, "UPDATE claims SET version = 1 WHERE id = ?", killing)
    assert "says it is at version 1, its history ends at version 3" in _first_problem(db)


@pytest.mark.parametrize("sql", [
    "UPDATE claims SET quantity_value = X'00ff' WHERE kind = 'killing'",  # a blob where a number was
    "UPDATE claim_versions SET data = '{}' WHERE version = 2",  # a version that no longer reads as a claim
])
def test_odd_values_left_by_an_edit_are_problems_not_errors(honest, sql):
    db, _, _ = honest
    _tamper(db, sql)
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 4, cli.output
    assert "internal error" not in cli.output and "Traceback" not in cli.output


def test_verify_never_upgrades_a_store(tmp_path, honest):
    db, _, _ = honest
    _tamper(db, "UPDATE claims SET quantity_value = 999 WHERE kind = 'killing'")
    _tamper(db, "UPDATE area_claims SET quantity_value = 999 WHERE kind = 'killing'")
    _tamper(db, "DROP TABLE log")
    _tamper(db, "DROP TABLE log_head")
    _tamper(db, "UPDATE schema_version SET version = 5")
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 1 and "schema version 5" in cli.stderr and "docket upgrade" in cli.stderr
    upgraded = CliRunner().invoke(main, ["upgrade", "--db", str(db)])
    assert upgraded.exit_code == 0
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 0 and "adopted into it" in cli.stdout, cli.output  # said: vouched for from the upgrade on


def test_verify_reads_one_snapshot_while_a_write_lands(honest, tmp_path, monkeypatch):
    from docket.services import custody as svc

    db, store, _ = honest
    (tmp_path / "late.txt").write_text("The Security Council adopted resolution 853 (1993).", encoding="utf-8")
    real = svc._replay

    def replay_then_write(s, result, pin):
        exp = real(s, result, pin)
        services.ingest_file(open_store(str(db)), tmp_path / "late.txt")  # another process, mid-check
        return exp

    monkeypatch.setattr(svc, "_replay", replay_then_write)
    assert verify(open_store(str(db))).ok
    monkeypatch.setattr(svc, "_replay", real)
    assert verify(open_store(str(db))).ok


def test_a_correction_refuses_when_the_metadata_changed_meanwhile(honest):
    db, store, killing = honest
    sha = store.document("a.txt").sha256
    doc = store.document(sha)
    edit_document(store, sha, {"publisher": "Someone"}, "ana", "first")
    with pytest.raises(DocketError, match="metadata changed while this correction was prepared"):
        store.update_document(sha, doc.meta, doc.meta.model_copy(update={"published": "2018-04-03"}), [], {}, [],
                              "ben", "second, from a stale read")
    assert verify(store).ok


def test_a_review_that_lands_during_a_correction_is_kept(honest, monkeypatch):
    import docket.services.documents as docs

    db, store, _ = honest
    sha = store.document("a.txt").sha256
    victim = next(c for c in store.claims() if c.document.sha256 == sha and c.status == "extracted")
    real = docs.extracted

    def extract_then_review(doc):
        out = real(doc)
        review.confirm(store, default_gazetteer(), victim.id, "cem", "while the correction ran")
        return out

    monkeypatch.setattr(docs, "extracted", extract_then_review)
    edit_document(store, sha, {"publisher": "Ministry"}, "ana", "letterhead")
    assert review.claim(store, victim.id).status == "confirmed"
    assert verify(store).ok


# ---------------------------------------------------------------- accounts, tokens and groups


@pytest.fixture
def with_accounts(honest):
    """The honest store with accounts (an admin, an analyst), a token, a group, and every kind of change."""
    from docket.services import accounts

    db, store, killing = honest
    accounts.add_user(store, accounts.local_actor(store), "root", "tall pines by the lake", "admin")
    root = accounts.local_actor(store, "root")
    accounts.add_user(store, root, "ana", "quiet river under the bridge", "analyst")
    accounts.set_role(store, root, "ana", "reader")
    accounts.set_password(store, root, "ana", "another long passphrase")
    accounts.disable(store, root, "ana")
    accounts.enable(store, root, "ana")
    _, token = accounts.create_token(store, root, "ana", "read", "30d")
    accounts.revoke_token(store, root, token["id"])
    accounts.add_group(store, root, "witnesses", "who may read testimonies")
    accounts.change_members(store, root, "witnesses", ["ana", "root"], add=True)
    accounts.change_members(store, root, "witnesses", ["root"], add=False)
    return db, store, token["id"]


def test_account_changes_are_logged_and_verify(with_accounts):
    db, store, _ = with_accounts
    result = verify(store)
    assert result.ok, result.problems
    assert (result.entries, result.accounts, result.tokens, result.groups) == (5 + 11, 2, 1, 1)
    cli = CliRunner().invoke(main, ["verify", "--db", str(db)])
    assert cli.exit_code == 0 and "2 accounts, 1 API tokens, 1 groups" in cli.stdout
    role = next(e for e in store.log_entries() if e["action"] == "user_role")
    data = json.loads(role["data"])
    assert (role["subject"], role["actor"], data["before"], data["after"]) == ("user:ana", "root", "analyst", "reader")
    assert set(data) == {"user", "row", "before", "after"}  # who and what, never a credential


@pytest.mark.parametrize("sql, found", [
    ("UPDATE users SET role = 'admin' WHERE name = 'ana'", "account ana: altered since log entry"),
    ("UPDATE users SET disabled = 1 WHERE name = 'root'", "account root: altered since log entry"),
    ("INSERT INTO users SELECT 'mallory', password_hash, 'admin', 0, created_at, password_set_at FROM users "
     "WHERE name = 'root'", "account mallory: stored but never logged"),
    ("DELETE FROM group_members WHERE user_name = 'ana'", "group witnesses: altered since log entry"),
    ("INSERT INTO group_members VALUES ('witnesses', 'root', '2026-01-01')", "group witnesses: altered"),
    ("UPDATE groups SET description = 'anyone' WHERE name = 'witnesses'", "group witnesses: altered"),
    ("UPDATE tokens SET revoked = 0", "token 1: altered since log entry"),
    ("UPDATE tokens SET expires_at = '2099-01-01T00:00:00+00:00', scope = 'write'", "token 1: altered"),
    ("INSERT INTO tokens (user_name, token_sha256, scope, expires_at, created_at, revoked) VALUES ('root', "
     "'00', 'write', '2099-01-01', '2026-01-01', 0)", "token 2: stored but never logged"),
])
def test_an_account_token_or_group_altered_behind_dockets_back_is_named(with_accounts, sql, found):
    db, _, _ = with_accounts
    _tamper(db, sql)
    assert found in _first_problem(db)


def test_a_deleted_account_or_token_is_named(with_accounts):
    db, _, _ = with_accounts
    conn = sqlite3.connect(db)  # foreign keys are not enforced here: as an edit behind Docket's back
    conn.execute("DELETE FROM tokens")
    conn.commit()
    conn.close()
    assert "token 1: logged in entry" in _first_problem(db) and "deleted" in _first_problem(db)
    _tamper(db, "DELETE FROM group_members WHERE user_name = 'ana'")
    _tamper(db, "DELETE FROM users WHERE name = 'ana'")
    result = verify(open_store(str(db), create=False), everything=True)
    assert {str(p) for p in result.problems} >= {"account ana: logged in entry 11 but no longer stored (deleted)"}


def test_a_replaced_password_hash_is_not_seen_and_the_readme_says_so(with_accounts):
    """The log holds no credential, so verify cannot tell a password's hash replaced in place; the README
    says so (a limit, not an oversight)."""
    db, store, _ = with_accounts
    _tamper(db, "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name = 'root') "
                "WHERE name = 'ana'")
    assert verify(open_store(str(db), create=False)).ok
    readme = (__import__("pathlib").Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "What it cannot find is a credential replaced in" in readme
