"""Schema version 9: area digests carry what a figure counts, whether it is a point of a series, the
date that orders the series and the signature of the claim's sentence; a store written before gets
them on upgrade."""

from sqlalchemy import select, text

from docket import services
from docket.services.custody import verify
from docket.store import open_store
from docket.store.migrations import CURRENT
from docket.store.schema import schema_version
from tests.store.digests import whole_digests


def test_version_9_gives_area_digests_measures_series_and_echoes(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text("So far this year 12 civilians have been killed in Tartar, the regional office said in its update.\n\n"
                    "On 3 March 2023 shells hit the market in Tartar, killing four civilians and injuring 20 others.\n",
                    encoding="utf-8")
    db = tmp_path / "docket.db"
    store = open_store(str(db))
    services.ingest_file(store, path, services.DocumentMeta(published="2023-04-01"))
    before = {m.id: m for c in store.claims() for p in c.places if p.id for m in store.digests(p.id)}
    killings = [m for m in before.values() if m.kind == "killing"]
    assert {m.measure for m in killings} == {"killed"} and {m.series for m in killings} == {"cumulative", None}
    assert {m.as_of for m in killings} == {"2023-04-01"} and all(m.echo for m in killings)
    with store.engine.begin() as conn:  # as version 8 wrote the table: without the four columns
        for name in ("measure", "series", "as_of", "echo"):
            conn.execute(text(f"ALTER TABLE area_claims DROP COLUMN {name}"))
        conn.execute(schema_version.update().values(version=8))
    store.engine.dispose()

    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
    whole = whole_digests(store)
    after = {m.id: m for c in store.claims() for p in c.places if p.id for m in store.digests(p.id)}
    assert after == before and all(m == whole[m.id] for m in after.values())
    assert verify(store).ok
