"""Schema version 7: a change of control is compared by its place (kinds.toml's `thing`), so a store
written before holds area digests with the old thing; the upgrade writes them again."""

from sqlalchemy import select, update

from docket import services
from docket.services.custody import verify
from docket.store import open_store
from docket.store.migrations import CURRENT
from docket.store.schema import area_claims, schema_version
from tests.store.digests import whole_digests


def test_version_7_gives_a_change_of_control_its_place_as_its_thing(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text("Press release 12 May 2019\n\nOn 18 May 1992 the town of Lachin was occupied by the armed forces "
                    "of Armenia.\n\nAbout 500 houses were destroyed in Lachin in May 1992.\n")
    db = tmp_path / "docket.db"
    store = open_store(str(db))
    services.ingest_file(store, path)
    with store.engine.begin() as conn:  # as version 6 wrote them: a change of control had no thing
        conn.execute(update(area_claims).where(area_claims.c.kind == "control_change").values(thing=""))
        conn.execute(schema_version.update().values(version=6))
    store.engine.dispose()

    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
        things = {(k, t) for k, t in conn.execute(select(area_claims.c.kind, area_claims.c.thing))}
    assert ("control_change", "Lachin") in things and ("destruction", "house") in things
    whole = whole_digests(store)
    for pid in {p.id for c in store.claims() for p in c.places if p.id}:
        assert all(m == whole[m.id] for m in store.digests(pid))
    assert verify(store).ok
