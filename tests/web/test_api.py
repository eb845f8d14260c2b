"""The JSON API in-process: every endpoint answers, says 404 for what does not exist and 4xx (never 5xx)
for bad parameters; lists page and come as CSV too."""

import csv
import io
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from docket import services
from docket.store import open_store
from docket.web import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "api.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    return TestClient(create_app(str(db), user="tester"), base_url="http://localhost")


def test_summary_and_documents(client):
    s = client.get("/api/summary").json()
    assert s["documents"] >= 7 and sum(s["counts"].values()) > 20
    docs = client.get("/api/documents", params={"limit": 2}).json()
    assert len(docs["items"]) == 2 and docs["total"] >= 7
    sha = docs["items"][0]["sha256"]
    one = client.get(f"/api/documents/{sha}").json()
    assert one["sha256"] == sha and one["characters"] > 0
    text = client.get(f"/api/documents/{sha[:10]}/text").json()["text"]
    claims = client.get(f"/api/documents/{sha}/claims").json()
    for c in claims["items"]:
        assert text[c["span"][0] : c["span"][1]] == c["text"]


def test_claims_filters_paging_sorting(client):
    every = client.get("/api/claims", params={"limit": 1000}).json()
    assert every["total"] == len(every["items"])
    page = client.get("/api/claims", params={"limit": 5, "offset": 5}).json()
    assert [c["id"] for c in page["items"]] == [c["id"] for c in every["items"][5:10]]
    killing = client.get("/api/claims", params={"kind": "killing", "place": "Karvachar"}).json()
    assert killing["total"] >= 2 and {c["kind"] for c in killing["items"]} == {"killing"}
    newest = client.get("/api/claims", params={"sort": "-when", "limit": 3}).json()["items"]
    dates = [c["when"]["start"] for c in newest if c["when"]]
    assert dates == sorted(dates, reverse=True)
    dated = client.get("/api/claims", params={"since": "2016", "until": "2016-12-31"}).json()["items"]
    assert dated and all(c["when"]["start"].startswith("2016") for c in dated)
    one = client.get(f"/api/claims/{every['items'][0]['id']}").json()
    assert one == every["items"][0]


def test_lists_as_csv(client):
    r = client.get("/api/claims", params={"format": "csv", "kind": "killing"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {row["kind"] for row in rows} == {"killing"}
    for path, params in (("/api/documents", {}), ("/api/entities", {}), ("/api/places", {"q": "Lachin"})):
        r = client.get(path, params={"format": "csv", **params})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv") and r.text.count("\n") >= 2, path


def test_places(client):
    hits = client.get("/api/places", params={"q": "Stepanakert"}).json()["items"]
    assert hits[0]["id"] == "geonames:146970"
    p = client.get("/api/places/geonames:586047").json()
    assert p["name"] == "Kalbajar" and any(n["name"] == "Karvachar" for n in p["names"])
    assert p["admin_path"] == [{"id": "geonames:587116", "name": "Azerbaijan"}] and p["claims"] > 0
    inside = client.get("/api/places/geonames:586047/claims", params={"kind": "killing"}).json()
    assert inside["total"] >= 2
    cmp = client.get("/api/places/geonames:586047/compare", params={"kind": "killing", "flag": "contradiction"}).json()
    assert cmp["total"] == 1 and cmp["items"][0]["flag"] == "contradiction"
    dossier = client.get("/api/places/geonames:586047/dossier").json()
    assert dossier["place"]["name"] == "Kalbajar" and dossier["evidence"]


def test_entities(client):
    items = client.get("/api/entities", params={"limit": 1000}).json()["items"]
    assert any(e["name"] == "armed forces of Armenia" for e in items)
    e = client.get("/api/entities/Armenian armed forces").json()
    assert e["name"] == "armed forces of Armenia" and e["claims"]


@pytest.mark.parametrize("path", [
    "/api/documents/ffffffffff", "/api/documents/nosuch/text", "/api/documents/nosuch/claims", "/api/claims/c-nosuch",
    "/api/places/geonames:1", "/api/places/nosuch/claims", "/api/places/nosuch/compare", "/api/places/nosuch/dossier",
    "/api/entities/Nobody At All", "/api/nothing-here", "/api/claims/c-nosuch/history",
])
def test_not_found_is_json_404(client, path):
    r = client.get(path)
    assert r.status_code == 404 and r.json()["status"] == 404 and r.json()["error"]


@pytest.mark.parametrize("path, params", [
    ("/api/claims", {"kind": "parade"}), ("/api/claims", {"limit": 0}), ("/api/claims", {"limit": 100000}),
    ("/api/claims", {"offset": -1}), ("/api/claims", {"since": "yesterday"}), ("/api/claims", {"sort": "colour"}),
    ("/api/claims", {"format": "xml"}), ("/api/places", {}), ("/api/places", {"q": ""}),
    ("/api/places/geonames:586047/compare", {"flag": "maybe"}),
])
def test_bad_parameters_are_json_422(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 422 and r.json()["status"] == 422 and r.json()["error"]


def test_unknown_place_in_a_filter_is_404(client):
    r = client.get("/api/claims", params={"place": "Qqqzzzxx"})
    assert r.status_code == 404 and "Qqqzzzxx" in r.json()["error"]


def test_openapi_schema_and_docs(client):
    schema = client.get("/openapi.json").json()
    assert "/api/claims" in schema["paths"] and "/api/places/{place_id}/compare" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_review_versions_and_history(client):
    killing = client.get("/api/claims", params={"kind": "killing", "limit": 1}).json()["items"][0]
    cid = killing["id"]
    h = client.get(f"/api/claims/{cid}/history").json()
    assert h["total"] == 1 and h["items"][0]["author"] == "docket (extracted)"
    r = client.post(f"/api/claims/{cid}/review", json={"action": "edit", "reason": "checked the source",
                                                       "changes": {"value": 512, "qualifier": "approx"}})
    assert r.status_code == 200, r.text
    assert r.json()["claim"]["quantity"]["value"] == 512 and r.json()["claim"]["status"] == "edited"
    h = client.get(f"/api/claims/{cid}/history").json()["items"]
    assert [v["version"] for v in h] == [1, 2] and h[1]["author"] == "tester" and h[1]["reason"] == "checked the source"
    assert h[0]["data"]["quantity"] == killing["quantity"]
    # restore the extracted version: a third version, equal to the first
    r = client.post(f"/api/claims/{cid}/review", json={"action": "restore", "version": 1, "reason": "edit was wrong"})
    assert r.json()["claim"]["quantity"] == killing["quantity"] and r.json()["versions"] == 3
    # reject: gone from listings and comparisons, still readable with its history
    r = client.post(f"/api/claims/{cid}/review", json={"action": "reject", "reason": "not a claim"})
    assert r.json()["claim"]["status"] == "rejected"
    ids = [c["id"] for c in client.get("/api/claims", params={"kind": "killing", "limit": 1000}).json()["items"]]
    assert cid not in ids
    assert client.get(f"/api/claims/{cid}").json()["status"] == "rejected"
    client.post(f"/api/claims/{cid}/review", json={"action": "confirm"})
    assert cid in [c["id"] for c in client.get("/api/claims", params={"kind": "killing", "limit": 1000}).json()["items"]]


def test_create_a_claim_from_a_span(client):
    doc = client.get("/api/documents", params={"limit": 1}).json()["items"][0]
    text = client.get(f"/api/documents/{doc['sha256']}/text").json()["text"]
    start = text.index(" ") + 1
    r = client.post(f"/api/documents/{doc['sha256']}/claims",
                    json={"start": start, "end": start + 12, "kind": "attack", "reason": "missed by the extractor",
                          "changes": {"place": "Kelbajar", "when": "1993-04-02"}})
    assert r.status_code == 201, r.text
    c = r.json()["claim"]
    assert c["text"] == text[start : start + 12] and c["status"] == "created" and c["places"][0]["name"] == "Kalbajar"
    again = client.post(f"/api/documents/{doc['sha256']}/claims",
                        json={"start": start, "end": start + 12, "kind": "attack", "reason": "twice"})
    assert again.status_code == 400 and "exists already" in again.json()["error"]


@pytest.mark.parametrize("body, status, message", [
    ({"action": "reject"}, 400, "give a reason"),
    ({"action": "edit", "reason": "x", "changes": {}}, 400, "nothing to change"),
    ({"action": "edit", "reason": "x", "changes": {"value": -1}}, 422, "value"),
    ({"action": "edit", "reason": "x", "changes": {"place": "Qqqzzzxx"}}, 404, "no such place"),
    ({"action": "restore", "reason": "x", "version": 99}, 400, "no version 99"),
    ({"action": "burn"}, 422, "action"),
])
def test_bad_reviews(client, body, status, message):
    cid = client.get("/api/claims", params={"limit": 1}).json()["items"][0]["id"]
    r = client.post(f"/api/claims/{cid}/review", json=body)
    assert r.status_code == status and message in r.json()["error"], r.text


def test_review_of_a_missing_claim_is_404(client):
    r = client.post("/api/claims/c-nosuch/review", json={"action": "confirm"})
    assert r.status_code == 404
    r = client.post("/api/documents/nosuch/claims", json={"start": 0, "end": 5, "kind": "attack", "reason": "x"})
    assert r.status_code == 404


@pytest.mark.parametrize("body, status", [
    ({"start": 0, "end": 5, "kind": "parade", "reason": "x"}, 422),
    ({"start": -1, "end": 5, "kind": "attack", "reason": "x"}, 422),
    ({"start": 5, "end": 5, "kind": "attack", "reason": "x"}, 400),
    ({"start": 0, "end": 10**8, "kind": "attack", "reason": "x"}, 400),
    ({"start": 0, "end": 5, "kind": "attack"}, 422),
])
def test_bad_new_claims(client, body, status):
    sha = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["sha256"]
    r = client.post(f"/api/documents/{sha}/claims", json=body)
    assert r.status_code == status and r.json()["error"], r.text


def test_pages_work_without_the_front_end_packages(tmp_path, monkeypatch):
    """Without npm's htmx and Leaflet the pages still serve everything; the map becomes a list."""
    empty = tmp_path / "no_modules"
    empty.mkdir()
    monkeypatch.setenv("DOCKET_NODE_MODULES", str(empty))
    db = tmp_path / "p.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    client = TestClient(create_app(str(db)), base_url="http://localhost")
    page = client.get("/places/geonames:586047").text
    assert 'id="map-list"' in page and "leaflet" not in page.lower()
    assert "htmx" not in client.get("/").text
    for path in ("/", "/claims", "/documents", "/entities", "/upload", "/search?q=Kalbajar", "/api/docs"):
        assert client.get(path).status_code == 200, path
    assert 'id="no-swagger"' in client.get("/api/docs").text and "swagger-ui-bundle" not in client.get("/api/docs").text


def test_a_served_app_settles_before_its_first_request(tmp_path):
    """`docket serve` loads the gazetteer up front and moves what it loaded out of the garbage
    collector's way (its full passes over the loaded index were the slow tail of the place page)."""
    import gc

    from docket.web import settle

    loaded = []
    before = gc.get_threshold()
    app = create_app(str(tmp_path / "s.db"), gazetteer=lambda: loaded.append(1))
    try:
        settle(app)
        assert loaded == [1]
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
