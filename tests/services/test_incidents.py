"""Incident decisions end to end, with documents written here (sources about Tartar, Azerbaijan, in
2023): an analyst merges two incidents, splits a claim out of one, grades one; the CLI, the compare
JSON, the dossier, the API and the compare page all show it, `docket verify` vouches for it, and a
document ingested later, which changes the clustering, finds the decisions replayed."""

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from docket.cli import main

TARTAR = "Tartar"

MINISTRY = ("On 3 March 2023 artillery shelled the central market of Tartar, killing four civilians.\n\n"
            "On 10 March 2023 a drone struck the district hospital in Tartar. Seven people were killed in the strike.\n")
MONITOR = ("Our researchers confirmed that shelling hit the market in Tartar on 3 March 2023 and that four civilians "
           "died there.\n\nThe strike on the hospital in Tartar on 10 March 2023 killed 12 people.\n")
AGENCY = "Two residents of Tartar were killed on 28 August 2023 when shells landed near the bus station, officials said.\n"
WATCH = "Shells hit the bus station of Tartar on 29 August 2023, killing two residents.\n"
COUNCIL = "Two people were killed in Tartar on 28 August 2023, the district council said.\n"


def _run(*args, ok=True):
    r = CliRunner(env={"COLUMNS": "200", "DOCKET_USER": "analyst-a"}).invoke(main, [str(a) for a in args])
    if ok:
        assert r.exit_code == 0, r.output
    return r


def _ingest(tmp_path, db, name, text, publisher, date):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _run("ingest", path, "--db", db, "--publisher", publisher, "--date", date)


@pytest.fixture
def db(tmp_path):
    db = str(tmp_path / "docket.db")
    for name, text, publisher, date in (("ministry.txt", MINISTRY, "Ministry of Defence", "2023-03-11"),
                                        ("monitor.txt", MONITOR, "Caucasus Civilian Monitor", "2023-03-15"),
                                        ("agency.txt", AGENCY, "Regional News Agency", "2023-09-01"),
                                        ("watch.txt", WATCH, "Civilian Harm Watch", "2023-09-02")):
        _ingest(tmp_path, db, name, text, publisher, date)
    return db


def _killings(db):
    out = json.loads(_run("compare", "--place", TARTAR, "--kind", "killing", "--db", db, "--format", "json").output)
    return out["clusters"]


def _on(clusters, date):
    return [k for k in clusters if k["date"] == date]


def _claim_of(k, source):
    return next(f["claim"] for f in k["figures"] if f["source"] == source)


def _figures(k):
    return sorted((f["source"], f["quantity"]["value"]) for f in k["figures"] if f["quantity"])


def test_merging_two_incidents_makes_one_with_both_accounts(db):
    before = _killings(db)
    (a,), (b,) = _on(before, "2023-08-28"), _on(before, "2023-08-29")
    assert a["flag"] == b["flag"] == "single"
    r = _run("incidents", "merge", a["figures"][0]["claim"], b["figures"][0]["claim"], "--db", db,
             "--reason", "one shelling of the bus station, dated a day apart", "--format", "json")
    merged = json.loads(r.output)
    assert len(merged["figures"]) == 2 and merged["date"] == "2023-08"
    after = _killings(db)
    assert not _on(after, "2023-08-28") and not _on(after, "2023-08-29")
    (k,) = _on(after, "2023-08")
    assert _figures(k) == [("Civilian Harm Watch", 2), ("officials", 2)]
    # the flag is computed again: the figures agree, the dates do not
    assert k["flag"] == "contradiction" and any("dated differently" in x for x in k["reasons"])
    assert any("merged by analyst-a" in n and "dated a day apart" in n for n in k["notes"])
    assert k["id"] not in {a["id"], b["id"]}
    table = _run("compare", "--place", TARTAR, "--kind", "killing", "--db", db).output
    assert "merged by analyst-a" in table


def test_a_claim_split_out_stands_alone(db):
    (market,) = _on(_killings(db), "2023-03-03")
    assert market["flag"] == "consistent" and len(market["figures"]) == 2
    monitor = _claim_of(market, "Caucasus Civilian Monitor")
    _run("incidents", "split", monitor, "--db", db, "--reason", "the monitor's market is another one", "--by", "ben")
    alone, left = sorted(_on(_killings(db), "2023-03-03"), key=lambda k: k["figures"][0]["claim"] != monitor)
    assert [f["claim"] for f in alone["figures"]] == [monitor] and alone["flag"] == "single"
    assert _figures(left) == [("Ministry of Defence", 4)] and left["flag"] == "single"
    assert any("split out" in n and "ben" in n for n in alone["notes"])
    # once alone, splitting it again is refused, and nothing is written
    r = _run("incidents", "split", monitor, "--db", db, "--reason", "again", ok=False)
    assert r.exit_code == 1 and "stands alone already" in r.output and "Traceback" not in r.output


def test_a_grade_shows_in_compare_the_dossier_and_the_api(db, tmp_path):
    (hospital,) = _on(_killings(db), "2023-03-10")
    claim = _claim_of(hospital, "Ministry of Defence")
    _run("incidents", "grade", claim, "fair", "--db", db, "--reason", "two sources", "--by", "ana")
    _run("incidents", "grade", _claim_of(hospital, "Caucasus Civilian Monitor"), "contested", "--db", db,
         "--reason", "7 against 12, no third source", "--by", "ben")
    (k,) = _on(_killings(db), "2023-03-10")
    assert k["grade"]["grade"] == "contested" and k["grade"]["author"] == "ben"
    assert [(g["grade"], g["author"]) for g in k["grade"]["history"]] == [("fair", "ana"), ("contested", "ben")]
    assert k["flag"] == "contradiction" and k["id"] == hospital["id"]  # a grade changes neither
    table = _run("compare", "--place", TARTAR, "--kind", "killing", "--db", db).output
    assert "graded contested by ben" in table
    _run("dossier", TARTAR, "--db", db, "--out-dir", tmp_path / "out")
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    graded = md.split("## Graded incidents", 1)[1].split("## Summary by kind", 1)[0]
    assert "**contested** (earlier fair by ana" in graded and "7 against 12, no third source" in graded
    assert "contradiction · graded contested" in md
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert 'class="grade grade-contested"' in html
    from docket.web import create_app

    client = TestClient(create_app(db, user="web-analyst"), base_url="http://localhost")
    place = client.get("/api/places", params={"q": TARTAR}).json()["items"][0]["id"]
    items = client.get(f"/api/places/{place}/compare", params={"kind": "killing"}).json()["items"]
    assert next(i for i in items if i["date"] == "2023-03-10")["grade"]["grade"] == "contested"
    rows = client.get(f"/api/places/{place}/compare", params={"kind": "killing", "format": "csv"}).text.splitlines()
    assert ",grade," in rows[0] and sum(",contested," in row for row in rows) == 2
    dossier = client.get(f"/api/places/{place}/dossier").json()
    assert any((c["grade"] or {}).get("grade") == "contested" for c in dossier["clusters"])
    # the API grades through the same service, as the web server's user
    r = client.post(f"/api/incidents/{claim}", json={"action": "grade", "grade": "weak", "reason": "the drone is unconfirmed"})
    assert r.status_code == 200, r.text
    assert r.json()["incident"]["grade"]["grade"] == "weak" and r.json()["incident"]["grade"]["author"] == "web-analyst"
    history = client.get(f"/api/incidents/{claim}").json()
    assert [(d["action"], d["grade"], d["author"]) for d in history["decisions"]] == [
        ("grade", "fair", "ana"), ("grade", "contested", "ben"), ("grade", "weak", "web-analyst")]
    assert client.post(f"/api/incidents/{claim}", json={"action": "grade", "grade": "splendid", "reason": "x"}).status_code == 422
    assert client.post("/api/incidents/c-nosuch", json={"action": "split", "reason": "x"}).status_code == 404
    attack = client.get("/api/claims", params={"kind": "attack", "place": TARTAR, "limit": 1}).json()["items"][0]["id"]
    r = client.post(f"/api/incidents/{claim}", json={"action": "merge", "other": attack, "reason": "x"})
    assert r.status_code == 400 and "only incidents of one kind" in r.json()["error"]


def test_the_compare_page_grades_through_its_form(db):
    from docket.web import create_app

    client = TestClient(create_app(db, user="web-analyst"), base_url="http://localhost")
    place = client.get("/api/places", params={"q": TARTAR}).json()["items"][0]["id"]
    page = client.get(f"/places/{place}/compare", params={"kind": "killing"})
    assert page.status_code == 200 and "grade-form" in page.text
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    claim = re.search(r'class="inline grade-form">.*?name="claim" value="([^"]+)"', page.text, re.S).group(1)
    r = client.post(f"/places/{place}/incidents", follow_redirects=False, data={
        "csrftoken": token, "action": "grade", "claim": claim, "grade": "confirmed", "reason": "video checked",
        "kind": "killing"})
    assert r.status_code == 303 and r.headers["location"] == f"/places/{place}/compare?kind=killing"
    page = client.get(r.headers["location"])
    assert 'class="grade grade-confirmed"' in page.text and "video checked" in page.text
    assert 'grade grade-confirmed' in client.get(f"/places/{place}").text
    r = client.post(f"/places/{place}/incidents", data={"csrftoken": token, "action": "grade", "claim": claim,
                                                         "grade": "splendid", "reason": "x"})
    assert r.status_code == 400 and "expected one of confirmed" in r.text


def test_decisions_are_replayed_when_a_new_document_changes_the_clustering(db, tmp_path):
    first = _killings(db)
    (a,), (b,) = _on(first, "2023-08-28"), _on(first, "2023-08-29")
    agency, watch = a["figures"][0]["claim"], b["figures"][0]["claim"]
    _run("incidents", "merge", agency, watch, "--db", db, "--reason", "one shelling")
    _run("incidents", "grade", watch, "confirmed", "--db", db, "--reason", "photos of the station")
    # the council's account of the 28th joins that incident when claims are clustered again
    _ingest(tmp_path, db, "council.txt", COUNCIL, "Regional Council", "2023-08-30")
    (k,) = [k for k in _killings(db) if agency in {f["claim"] for f in k["figures"]}]
    assert sorted(f["source"] for f in k["figures"]) == ["Civilian Harm Watch", "district council", "officials"]
    assert k["grade"]["grade"] == "confirmed" and k["grade"]["reason"] == "photos of the station"
    assert k["flag"] == "contradiction"  # 28 against 29 August, still
    assert not [x for x in _killings(db) if x["date"] in ("2023-08-28", "2023-08-29")]


def test_verify_vouches_for_decisions_and_the_history_lists_each(db):
    (market,) = _on(_killings(db), "2023-03-03")
    claim = _claim_of(market, "Ministry of Defence")
    _run("incidents", "grade", claim, "fair", "--db", db, "--reason", "two sources agree", "--by", "ana")
    _run("incidents", "grade", claim, "confirmed", "--db", db, "--reason", "a third confirmed it", "--by", "ben")
    checked = json.loads(_run("verify", "--db", db, "--format", "json").output)
    assert checked["ok"] and checked["incident_decisions"] == 2
    h = json.loads(_run("incidents", "history", claim, "--db", db, "--format", "json").output)
    assert [(d["grade"], d["author"], d["reason"]) for d in h["decisions"]] == [
        ("fair", "ana", "two sources agree"), ("confirmed", "ben", "a third confirmed it")]
    assert all(re.match(r"\d{4}-\d{2}-\d{2}T", d["made_at"]) for d in h["decisions"])
    assert h["incident"]["grade"]["grade"] == "confirmed"
    table = _run("incidents", "history", claim, "--db", db).output
    assert "a third confirmed it" in table and "ben" in table and "graded confirmed" in table
    custody = _run("custody", "ministry.txt", "--db", db).output
    assert "incident_decision" in custody and "→ confirmed" in custody
    # a decision altered behind Docket's back is found
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE incident_decisions SET grade = 'discounted' WHERE id = 2")
    r = _run("verify", "--db", db, ok=False)
    assert r.exit_code == 4 and "incident decision 2" in r.output and "altered since log entry" in r.output
