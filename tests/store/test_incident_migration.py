"""Schema version 8: area digests carry what incidents are told apart by (a claim's date precision and
the end of the span it gives); a store written before gets them on upgrade."""

from sqlalchemy import select, text

from docket import services
from docket.services.custody import verify
from docket.store import open_store
from docket.store.migrations import CURRENT
from docket.store.schema import area_claims, schema_version
from tests.store.digests import whole_digests


def test_version_8_gives_area_digests_their_precision_and_span(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text("Update of 12 March 2023\n\nOn the night of 3 to 4 March 2023 artillery shelled Tartar, killing "
                    "four civilians, among them two children.\n\nIn February 2023 two people were killed in Tartar.\n", encoding="utf-8")
    db = tmp_path / "docket.db"
    store = open_store(str(db))
    services.ingest_file(store, path)
    before = {m.id: m for c in store.claims() for p in c.places if p.id for m in store.digests(p.id)}
    assert {m.when_precision for m in before.values()} >= {"day", "month"}
    assert any(m.when_end == "2023-03-04" for m in before.values())
    assert [m.quantity.value for m in before.values() if m.part] == [2]
    with store.engine.begin() as conn:  # as version 7 wrote the table: without the two columns
        conn.execute(text("ALTER TABLE area_claims DROP COLUMN when_precision"))
        conn.execute(text("ALTER TABLE area_claims DROP COLUMN when_end"))
        conn.execute(text("ALTER TABLE area_claims DROP COLUMN part"))
        conn.execute(schema_version.update().values(version=7))
    store.engine.dispose()

    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
        assert conn.execute(select(area_claims.c.when_precision).where(area_claims.c.when_precision.is_not(None))).first()
    whole = whole_digests(store)
    after = {m.id: m for c in store.claims() for p in c.places if p.id for m in store.digests(p.id)}
    assert after == before and all(m == whole[m.id] for m in after.values())
    assert verify(store).ok
