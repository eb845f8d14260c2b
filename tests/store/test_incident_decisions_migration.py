"""The incident decisions table: a store written before it gets it on upgrade (whatever the step's number
in the list), with nothing to adopt into its log; a decision made then is logged and verified."""

from sqlalchemy import inspect, select, text

from docket import services
from docket.services.custody import verify
from docket.store import open_store
from docket.store.migrations import CURRENT, MIGRATIONS, _incident_decisions
from docket.store.schema import schema_version


def test_an_older_store_gets_the_incident_decisions_table(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text("On 3 March 2023 artillery shelled Tartar, killing four civilians.\n", encoding="utf-8")
    db = tmp_path / "docket.db"
    store = open_store(str(db))
    services.ingest_file(store, path)
    entries = verify(store).entries
    with store.engine.begin() as conn:  # as the step before wrote the store: no such table
        conn.execute(text("DROP TABLE incident_decisions"))
        conn.execute(schema_version.update().values(version=MIGRATIONS.index(_incident_decisions)))
    store.engine.dispose()

    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
        assert inspect(conn).has_table("incident_decisions")
    assert store.incident_decisions() == []
    checked = verify(store)
    assert checked.ok and checked.entries == entries
    claim = store.claims()[0].id
    before = store.revision()
    store.add_incident_decision("grade", claim, None, "fair", "ana", "one source")
    assert store.revision() != before  # what cached comparisons are keyed on
    (row,) = store.incident_decisions()
    assert (row["action"], row["claim"], row["grade"], row["author"], row["reason"]) == ("grade", claim, "fair", "ana",
                                                                                          "one source")
    checked = verify(store)
    assert checked.ok and checked.entries == entries + 1 and checked.incident_decisions == 1
