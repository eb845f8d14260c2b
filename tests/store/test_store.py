"""The store: what goes in comes back field for field; filters; one transaction per document; migrations."""

import pytest
from sqlalchemy import select

from docket import services
from docket.errors import DocketError
from docket.ingest import read_document
from docket.store import ClaimFilter, open_store
from docket.store.migrations import CURRENT
from docket.store.schema import schema_version
from tests.conftest import PRESS_RELEASE, needs_shared
from tests.store.digests import whole_digests

TEXT = """Press release 12 May 2019

Heritage of the Lachin district

On 18 May 1992 the town of Lachin was occupied by the armed forces of Armenia.

About 500 houses were destroyed in Lachin in May 1992.

In 2010 around 200 settlers were resettled in the Kalbajar district.
"""


@pytest.fixture
def loaded(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text(TEXT)
    store = open_store(str(tmp_path / "docket.db"))
    doc, raw = read_document(path)[:2]
    found = services.claims_for(doc)
    store.add_document(doc, raw, found)
    return store, doc, raw, found


def test_round_trip_field_for_field(loaded):
    store, doc, raw, found = loaded
    back = store.claims()
    assert [c.contract() for c in back] == [c.contract() for c in found]
    assert store.raw(doc.sha256) == raw
    again = store.document(doc.sha256[:10])
    assert again.text == doc.text and again.meta == doc.meta


def test_filters(loaded):
    store, doc, _, found = loaded
    kinds = {c.kind for c in found}
    assert {"control_change", "destruction", "settlement"} <= kinds
    assert {c.kind for c in store.claims(ClaimFilter(kind="destruction"))} == {"destruction"}
    lachin = store.claims(ClaimFilter(place="Lachin"))
    assert lachin and all(any(p.name == "Lachin" for p in c.places) for c in lachin)
    assert all(c.when.start >= "2000" for c in store.claims(ClaimFilter(since="2000")))
    assert {c.kind for c in store.claims(ClaimFilter(until="1992-12-31"))} == {"control_change", "destruction"}
    assert store.claims(ClaimFilter(actor="armed forces of armenia"))
    assert store.claims(ClaimFilter(document="statement.txt")) == store.claims()
    assert store.claims(ClaimFilter(document="0000")) == []
    assert len(store.claims(ClaimFilter(limit=1))) == 1


def test_a_failed_write_leaves_nothing(loaded, tmp_path):
    store, doc, raw, found = loaded
    other = doc.model_copy(update={"sha256": "f" * 64})
    # the same claim ids twice: the second insert fails, and the document must not stay behind
    with pytest.raises(DocketError, match="not stored"):
        store.add_document(other, raw, found + found)
    assert [d["sha256"] for d in store.documents()] == [doc.sha256]
    assert len(store.claims()) == len(found)


def test_unknown_document(loaded):
    store = loaded[0]
    with pytest.raises(DocketError, match="nosuch: no such document"):
        store.document("nosuch")


def test_schema_is_versioned_and_reopening_is_harmless(loaded, tmp_path):
    store = loaded[0]
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
    again = open_store(str(tmp_path / "docket.db"), create=False)
    assert len(again.claims()) == len(store.claims())


def test_location_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKET_DB", str(tmp_path / "env.db"))
    assert open_store().location.endswith("env.db")
    assert open_store(str(tmp_path / "flag.db")).location.endswith("flag.db")
    monkeypatch.delenv("DOCKET_DB")
    assert open_store().location == "docket.db"
    assert (tmp_path / "docket.db").exists()


def test_missing_store_is_not_created_for_reading(tmp_path):
    with pytest.raises(DocketError, match="no store here"):
        open_store(str(tmp_path / "none.db"), create=False)
    assert not (tmp_path / "none.db").exists()


@needs_shared
def test_founding_press_release_round_trip(tmp_path):
    store = open_store(str(tmp_path / "docket.db"))
    outcome = services.ingest_file(store, PRESS_RELEASE)
    assert outcome.status == "added" and outcome.claims >= 59
    doc = store.document(outcome.sha256)
    assert store.raw(doc.sha256) == PRESS_RELEASE.read_bytes()
    for c in store.claims():
        assert doc.text[c.span[0] : c.span[1]] == c.text


def test_migration_from_version_1_fills_areas_and_relations(tmp_path, caplog):
    from sqlalchemy import create_engine, func, inspect

    from docket.store import _claim_row, _place_rows
    from docket.store.migrations import MIGRATIONS
    from docket.store.schema import area_claims, claim_places, claims, documents, relations

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=1))
        MIGRATIONS[0](conn)
    path = tmp_path / "note.txt"
    path.write_text("Press release 02 April 2018\n\nThe church in Vang village was destroyed in 1993. "
                    "GPM Gold, a subsidiary of GeoProMining Ltd., mines gold there.\n")
    doc, raw = read_document(path)[:2]
    found = services.claims_for(doc)
    with engine.begin() as conn:  # as version 1 stored it: the document, its claims and their places
        conn.execute(documents.insert().values(sha256=doc.sha256, filename=doc.filename, media_type=doc.media_type,
                                               raw=raw, text=doc.text, ingested_at="2020-01-01T00:00:00",
                                               **doc.meta.model_dump()))
        conn.execute(claims.insert(), [_claim_row(c, doc.sha256, "2020-01-01T00:00:00") for c in found])
        conn.execute(claim_places.insert(), [r for c in found for r in _place_rows(c)])
    engine.dispose()
    store = open_store(str(db))
    assert f"upgrading the store from schema version 1 to {CURRENT}" in caplog.text  # said, not silent
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
        areas = {pid for (pid,) in conn.execute(select(area_claims.c.place_id))}
        assert {"docket:vang", "geonames:586047", "geonames:587116"} <= areas
        assert conn.execute(select(func.count()).select_from(relations)).scalar() == 1
        assert not inspect(conn).has_table("claim_areas")  # version 2's table, replaced in version 5
    assert store.claims(ClaimFilter(area="geonames:586047"))
    # version 5 gave every area row the digest of its claim, as a new store would have it
    whole = whole_digests(store)
    digests = store.digests("geonames:586047")
    assert digests and all(m == whole[m.id] for m in digests)
    assert {m.thing for m in digests if m.kind == "destruction"} == {"religious_site"}
    # version 6 adopted what the store held into the write log, so that verify vouches for it from here on
    entries = list(store.log_entries())
    assert [e["action"] for e in entries] == ["adopt"] and entries[0]["subject"] == doc.sha256
    from docket.services.custody import verify

    assert verify(store).ok


def test_text_search_is_literal(loaded):
    store = loaded[0]
    assert store.claims(ClaimFilter(text="HOUSES"))
    assert store.claims(ClaimFilter(text="%")) == [] and store.claims(ClaimFilter(text="_")) == []


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    from importlib import resources

    store = open_store(str(tmp_path_factory.mktemp("ex") / "docket.db"))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        assert services.ingest_paths(store, services.expand_paths([folder])).count("added") >= 5
    return store


FILTERS = [
    ClaimFilter(),
    ClaimFilter(kind="killing"),
    ClaimFilter(area="geonames:587116"),  # Azerbaijan: claims about any place in it
    ClaimFilter(area="geonames:586047", kind="displacement"),  # the Kalbajar district
    ClaimFilter(area="geonames:586047", since="1993", until="1994"),
    ClaimFilter(area="geonames:586047", actor="armenia"),
    ClaimFilter(kind="destruction", since="1992", until="1993"),
    ClaimFilter(status="rejected"),
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.__dict__.items() if v) or "all")
@pytest.mark.parametrize("sort", [None, "-document", "when"])
def test_pages_and_counts_agree_with_the_whole_listing(examples_store, f, sort):
    """Counts answered from the area rows alone, and pages chosen among rowids before their rows are
    read, give what the plain listing gives."""
    from dataclasses import replace

    store = examples_store
    whole = [c.id for c in store.claims(replace(f, sort=sort))]
    assert store.count(f) == len(whole)
    pages = []
    for offset in range(0, len(whole) + 3, 3):
        pages += [c.id for c in store.claims(replace(f, sort=sort, limit=3, offset=offset))]
    assert pages == whole


def test_areas_hold_each_claims_digest(examples_store):
    store = examples_store
    whole = whole_digests(store)
    kalbajar = store.digests("geonames:586047")
    assert len(kalbajar) > 10 and all(m == whole[m.id] for m in kalbajar)
    assert {m.id for m in kalbajar} == {c.id for c in store.claims(ClaimFilter(area="geonames:586047"))}


@pytest.mark.parametrize("sort", [None, "when"])
def test_claims_come_with_their_places_paged_or_not(examples_store, sort):
    """A listing reads its claims' places with them; a page sorted by anything but document order
    reads them afterwards, by id: claim for claim, both give what the whole listing gives."""
    store = examples_store
    whole = {c.id: c for c in store.claims(ClaimFilter(sort=sort))}
    assert sum(len(c.places) > 1 for c in whole.values()) >= 2  # claims about several places are read whole
    paged = [c for offset in range(0, len(whole), 7) for c in store.claims(ClaimFilter(sort=sort, limit=7, offset=offset))]
    assert [c.contract() for c in paged] == [whole[c.id].contract() for c in paged] and len(paged) == len(whole)


def test_contexts_and_records_read_no_text_whole(examples_store):
    """`contexts` cuts out of a document's text what slicing it would give; `document_records` gives
    what `documents_by_sha` does, without the text."""
    store = examples_store
    found = store.claims()
    docs = store.documents_by_sha(c.document.sha256 for c in found)
    for width in (0, 40, 160):
        around = store.contexts((c.id for c in found), width)
        for c in found:
            text, (a, b) = docs[c.document.sha256].text, c.span
            assert around[c.id] == (text[max(0, a - width) : a], text[a:b], text[b : b + width])
    assert any(not t.isascii() for t in (docs[c.document.sha256].text[: c.span[0]] for c in found))  # counted in characters
    records = store.document_records(c.document.sha256 for c in found)
    assert list(records) == list(docs)
    for sha, r in records.items():
        d = docs[sha]
        assert "text" not in r and "raw" not in r
        assert (r["filename"], r["media_type"], r["ingested_at"]) == (d.filename, d.media_type, d.ingested_at)
        assert {k: r[k] for k in d.meta.model_dump()} == d.meta.model_dump()
