"""The account tables: a store written before them gets them, empty, on upgrade (whatever the step's number
in the list), with nothing to adopt into its log, and keeps working without accounts; the first account
made then is logged and verified."""

from sqlalchemy import inspect, select, text

from docket import services
from docket.services import accounts
from docket.services.custody import verify
from docket.store import open_store
from docket.store.migrations import CURRENT, MIGRATIONS, _accounts
from docket.store.schema import schema_version

TABLES = ("users", "tokens", "groups", "group_members")


def test_an_older_store_gets_the_account_tables_and_works_as_before(tmp_path):
    path = tmp_path / "update.txt"
    path.write_text("On 3 March 2023 artillery shelled Tartar, killing four civilians.\n", encoding="utf-8")
    db = tmp_path / "docket.db"
    store = open_store(str(db))
    services.ingest_file(store, path)
    entries = verify(store).entries
    with store.engine.begin() as conn:  # as the step before wrote the store: no such tables
        for table in ("group_members", "tokens", "groups", "users"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(schema_version.update().values(version=MIGRATIONS.index(_accounts)))
    store.engine.dispose()

    store = open_store(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar() == CURRENT
        assert all(inspect(conn).has_table(t) for t in TABLES)
    assert not store.has_accounts() and store.accounts() == [] and store.tokens() == [] and store.groups() == []
    checked = verify(store)
    assert checked.ok and checked.entries == entries and checked.accounts == 0
    local = accounts.local_actor(store)
    assert local.role == "admin" and not local.account  # no accounts: the local user acts as before

    before = store.revision()
    accounts.add_user(store, local, "root", "tall pines by the lake", "admin")
    assert store.revision() != before  # every account change is a log entry
    root = accounts.local_actor(store, "root")
    accounts.create_token(store, root, "root", "read", "30d")
    accounts.add_group(store, root, "witnesses")
    accounts.change_members(store, root, "witnesses", ["root"], add=True)
    checked = verify(store)
    assert checked.ok and checked.entries == entries + 4
    assert (checked.accounts, checked.tokens, checked.groups) == (1, 1, 1)


def test_a_store_opened_twice_at_the_new_version_is_not_migrated_again(tmp_path):
    db = tmp_path / "twice.db"
    store = open_store(str(db))
    accounts.add_user(store, accounts.local_actor(store), "root", "tall pines by the lake", "admin")
    store.engine.dispose()
    again = open_store(str(db))
    assert [a["name"] for a in again.accounts()] == ["root"] and verify(again).ok
