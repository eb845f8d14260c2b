"""The command line end to end: every command's help, its table and its --format json, the filters."""

import csv
import io
import json
from importlib import resources

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.model import Claim
from tests.conftest import GOLD, PRESS_RELEASE, needs_shared

COMMANDS = ["ingest", "documents", "show", "claims", "export", "eval", "summary", "demo", "compare", "dossier", "diff",
            "place", "places search", "entities list", "entities show", "entities merge", "entities split",
            "gazetteer import", "gazetteer build", "gazetteer layers", "gazetteer remove", "serve",
            "review confirm", "review reject", "review edit", "review restore", "review history",
            "users add", "users list", "users disable", "users enable", "users passwd", "users role",
            "tokens create", "tokens list", "tokens revoke", "groups add", "groups list", "groups members add",
            "groups members remove"]


def run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    run("demo", "--db", db)
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(*command.split(), "--help")
    assert "Usage: main " + command in result.output or f"Usage: docket {command}" in result.output
    assert len(result.output.splitlines()) > 4


def test_demo_prints_claims_and_per_kind_summary(tmp_path):
    result = run("demo", "--db", tmp_path / "d.db")
    for kind in ("control_change", "destruction", "noncompliance", "total"):
        assert kind in result.output
    data = json.loads(run("demo", "--db", tmp_path / "d.db", "--format", "json").output)
    assert {f["status"] for f in data["files"]} == {"added"}
    # the examples exercise every one of the 17 kinds
    assert len(data["counts"]) == 17 and all(n > 0 for n in data["counts"].values())


def test_documents_and_summary_json(demo_db):
    docs = json.loads(run("documents", "--db", demo_db, "--format", "json").output)
    examples = [f for f in resources.files("docket").joinpath("examples").iterdir() if f.name.endswith(".txt")]
    assert len(docs) == len(examples) >= 7 and all(d["claims"] > 0 for d in docs)
    counts = json.loads(run("summary", "--db", demo_db, "--format", "json").output)
    assert sum(counts.values()) == sum(d["claims"] for d in docs)


def test_show_marks_claim_spans(demo_db):
    text = run("show", "news-report-mining.txt", "--db", demo_db).output
    assert text.count("[") >= 3
    data = json.loads(run("show", "news-report-mining.txt", "--db", demo_db, "--format", "json").output)
    doc = data["document"]
    for c in data["claims"]:
        assert doc["text"][c["span"][0] : c["span"][1]] == c["text"]


def test_claims_filters_and_formats(demo_db):
    every = json.loads(run("claims", "--db", demo_db, "--format", "json").output)
    destruction = json.loads(run("claims", "--db", demo_db, "--kind", "destruction", "--format", "json").output)
    assert destruction and {c["kind"] for c in destruction} == {"destruction"}
    assert len(destruction) < len(every)
    # any name of the place finds it: Kashatagh is the Armenian name of the Lachin district
    by_alias = run("claims", "--db", demo_db, "--place", "Kashatagh", "--format", "json").output
    assert json.loads(by_alias) == json.loads(run("claims", "--db", demo_db, "--place", "Lachin", "--format", "json").output)
    assert json.loads(by_alias)
    lines = run("claims", "--db", demo_db, "--format", "jsonl").output.splitlines()
    assert [json.loads(x) for x in lines] == every
    rows = list(csv.DictReader(io.StringIO(run("claims", "--db", demo_db, "--format", "csv").output)))
    assert [r["id"] for r in rows] == [c["id"] for c in every]
    dated = json.loads(run("claims", "--db", demo_db, "--since", "1993", "--until", "1993-12-31", "--format", "json").output)
    assert dated and all(c["when"]["start"].startswith("1993") for c in dated)
    assert len(json.loads(run("claims", "--db", demo_db, "--limit", "2", "--format", "json").output)) == 2


@pytest.mark.parametrize("args, message", [
    (["claims", "--since", "2018-13"], "--since 2018-13: expected a date"),
    (["claims", "--until", "yesterday"], "--until yesterday: expected a date"),
    (["show", "nosuchdoc"], "nosuchdoc: no such document"),
])
def test_bad_arguments(demo_db, args, message):
    result = run(*args, "--db", demo_db, ok=False)
    assert result.exit_code == 1 and message in result.output


def test_bad_ingest_date(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Lachin was occupied in 1992.")
    result = run("ingest", f, "--db", tmp_path / "x.db", "--date", "2018-02-30", ok=False)
    assert result.exit_code == 1 and "--date 2018-02-30" in result.output
    assert not (tmp_path / "x.db").exists()


def test_reading_commands_do_not_create_a_store(tmp_path):
    result = run("claims", "--db", tmp_path / "none.db", ok=False)
    assert result.exit_code == 1 and "no store here" in result.output
    assert not (tmp_path / "none.db").exists()


def test_failed_first_ingest_leaves_no_store(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("ingest", bad, "--db", tmp_path / "new.db", ok=False)
    assert result.exit_code == 1 and "empty.txt: the file is empty" in result.output
    assert not (tmp_path / "new.db").exists()


def test_export_is_the_claim_contract(demo_db, tmp_path):
    out = tmp_path / "claims.jsonl"
    run("export", "--db", demo_db, "-o", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        data = json.loads(line)
        assert Claim.model_validate(data).contract() == data
    csv_out = run("export", "--db", demo_db, "--format", "csv").stdout
    assert len(list(csv.DictReader(io.StringIO(csv_out)))) == len(lines)


@needs_shared
def test_issue_walkthrough(tmp_path):
    db = tmp_path / "docket.db"
    result = run("ingest", PRESS_RELEASE, "--db", db, "--publisher", "Ministry of Foreign Affairs of Azerbaijan",
                 "--date", "2018-04-02")
    assert "added" in result.output
    assert "unchanged" in run("ingest", PRESS_RELEASE, "--db", db).output
    destroyed = json.loads(run("claims", "--kind", "destruction", "--place", "Kalbajar", "--db", db, "--format", "json").output)
    assert len(destroyed) >= 5
    assert all(c["attributed_to"] == "Ministry of Foreign Affairs of Azerbaijan" for c in destroyed)
    scored = json.loads(run("eval", PRESS_RELEASE, GOLD, "--format", "json").output)
    assert scored["f1"] >= 0.95


def test_compare_and_entities_on_the_demo(demo_db):
    data = json.loads(run("compare", "--place", "Kalbajar", "--db", demo_db, "--format", "json").output)
    flags = {k["flag"] for k in data["clusters"]}
    assert {"contradiction", "consistent", "single"} <= flags
    killing = [k for k in data["clusters"] if k["kind"] == "killing" and k["flag"] == "contradiction"]
    assert killing and {f["figure"] for f in killing[0]["figures"]} >= {"320", "at least 500"}
    table = run("compare", "--place", "Karvachar", "--kind", "killing", "--db", demo_db).output
    assert "contradiction" in table and "figures cannot all be true" in table
    ents = json.loads(run("entities", "list", "--db", demo_db, "--format", "json").output)
    assert any(e["name"] == "armed forces of Armenia" for e in ents)
    shown = json.loads(run("entities", "show", "Armenian armed forces", "--db", demo_db, "--format", "json").output)
    assert shown["name"] == "armed forces of Armenia" and shown["claims"]


def test_entity_decisions_by_hand(tmp_path):
    db = tmp_path / "e.db"
    run("demo", "--db", db)
    before = json.loads(run("entities", "list", "--db", db, "--format", "json").output)
    names = {e["name"] for e in before}
    assert {"Caucasus Rights Monitor", "Caucasus Field Review"} <= names
    run("entities", "merge", "Caucasus Rights Monitor", "Caucasus Field Review", "--db", db, "--reason", "test")
    merged = json.loads(run("entities", "show", "Caucasus Field Review", "--db", db, "--format", "json").output)
    assert {"Caucasus Rights Monitor", "Caucasus Field Review"} <= set(merged["aliases"])
    run("entities", "split", "Caucasus Field Review", "--db", db)
    again = json.loads(run("entities", "show", "Caucasus Field Review", "--db", db, "--format", "json").output)
    assert again["aliases"] == ["Caucasus Field Review"]
    bad = run("entities", "merge", "Caucasus Rights Monitor", "Nobody Here", "--db", db, ok=False)
    assert bad.exit_code == 1 and "Nobody Here: no claim or relation names this" in bad.output


def test_rejected_claims_are_hidden_but_exported(tmp_path):
    from docket.gazetteer import default_gazetteer
    from docket.services import review
    from docket.store import open_store

    db = tmp_path / "r.db"
    run("demo", "--db", db)
    every = json.loads(run("claims", "--db", db, "--format", "json").output)
    victim = every[0]["id"]
    review.reject(open_store(str(db)), default_gazetteer(), victim, "tester", "not a claim")
    shown = [c["id"] for c in json.loads(run("claims", "--db", db, "--format", "json").output)]
    assert victim not in shown and len(shown) == len(every) - 1
    rejected = json.loads(run("claims", "--db", db, "--status", "rejected", "--format", "json").output)
    assert [c["id"] for c in rejected] == [victim] and rejected[0]["status"] == "rejected"
    exported = [json.loads(x) for x in run("export", "--db", db).stdout.splitlines()]
    assert len(exported) == len(every) and any(c["id"] == victim and c["status"] == "rejected" for c in exported)


def test_review_from_the_command_line(tmp_path):
    db = tmp_path / "rv.db"
    run("demo", "--db", db)
    killing = json.loads(run("claims", "--db", db, "--kind", "killing", "--format", "json").output)[0]
    cid = killing["id"]
    run("review", "edit", cid, "--value", "999", "--qualifier", "approx", "--reason", "typo", "--by", "ana", "--db", db)
    hist = json.loads(run("review", "history", cid, "--db", db, "--format", "json").output)
    assert [v["version"] for v in hist] == [1, 2] and hist[1]["author"] == "ana" and hist[1]["data"]["quantity"]["value"] == 999
    run("review", "reject", cid, "--reason", "not a claim", "--db", db)
    assert cid not in [c["id"] for c in json.loads(run("claims", "--db", db, "--format", "json").output)]
    run("review", "restore", cid, "1", "--reason", "undo", "--db", db)
    back = json.loads(run("claims", "--db", db, "--kind", "killing", "--format", "json").output)
    assert next(c for c in back if c["id"] == cid)["quantity"] == killing["quantity"]
    bad = run("review", "reject", cid, "--db", db, ok=False)
    assert bad.exit_code == 1 and "give a reason" in bad.output
    assert "no such claim" in run("review", "confirm", "c-nosuch", "--db", db, ok=False).output


def test_csv_cells_never_start_a_formula(tmp_path):
    from docket.export import csv_safe

    assert [csv_safe(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "plain", -44.5, 3)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", -44.5, 3]
    doc = tmp_path / "f.txt"
    doc.write_text("=HYPERLINK(\"http://x\") Around 40 houses were destroyed in Lachin in May 1992.\n")
    db = tmp_path / "f.db"
    run("ingest", doc, "--db", db, "--publisher", "=cmd|' /C calc'!A0")
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "csv").stdout)))
    assert rows and all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)
    assert rows[0]["document.publisher"] == "'=cmd|' /C calc'!A0"


def test_who_decides_is_the_same_for_every_write(tmp_path, monkeypatch):
    from docket.store import open_store

    monkeypatch.setenv("DOCKET_USER", "alice")
    db = tmp_path / "w.db"
    run("demo", "--db", db)
    victim = json.loads(run("claims", "--db", db, "--format", "json").stdout)[0]["id"]
    run("review", "confirm", victim, "--db", db)
    run("entities", "split", "armed forces of Armenia", "--db", db, "--reason", "x")
    actors = {e["action"]: e["actor"] for e in open_store(str(db)).log_entries()}
    assert actors["review"] == "alice" and actors["entity_decision"] == "alice"
