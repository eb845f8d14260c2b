"""The store's write log: every write (an ingest, a review, an entity or incident decision, a metadata edit,
a change to an account, a token or a group) is one entry, appended in the transaction that makes the write,
and each entry carries the SHA-256 of the one before it. Altering, inserting or deleting an entry breaks
the chain from there on; altering the data an entry vouches for (a document's bytes, a claim, a version,
an account's role) no longer matches the hashes it recorded.
`docket verify` (services/custody.py) checks both.

The hashes are over a canonical JSON form (sorted keys, no spaces, UTF-8), so that they do not depend
on the order a dict was built in or on the database a row came from.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from docket.store.schema import log, log_head

GENESIS = "0" * 64  # the `prev` of the first entry


def _plain(value):
    """A stored value that JSON has no form for (bytes an edit behind Docket's back left in a column)
    as a tagged hex string, so that it hashes (and differs) instead of breaking the check."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": bytes(value).hex()}
    return str(value)


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain).encode(
        "utf-8", errors="surrogatepass")


def sha256(value) -> str:
    return hashlib.sha256(value if isinstance(value, bytes) else canonical(value)).hexdigest()


def entry_hash(seq: int, at: str, actor: str | None, action: str, subject: str | None, data: str, prev: str) -> str:
    return sha256([seq, at, actor, action, subject, data, prev])


# a claim's row minus its bookkeeping (which version it is at, when the row was first written)
CLAIM_UNHASHED = ("version", "created_at")
PLACE_FIELDS = ("ord", "name", "mention", "place_id", "geonames_id", "lat", "lon", "feature", "admin_path")


# what a claim's hash covers, by the entry's `format`: 1 (the first entries) its row and its places'
# rows; 2 also the areas it counts for, which comparisons, place pages and dossiers select it by
CLAIM_FORMAT = 2


def claim_state(row: dict, places: list[dict], areas: list[str] | None = None, fmt: int = CLAIM_FORMAT) -> dict:
    """What a claim's hash covers: its row as stored (every column but the bookkeeping), its places'
    rows and (format 2) the sorted ids of the areas it counts for. Hashing rows rather than the model
    means a write and a later check hash exactly the same values, with no model built on either side
    (ingest writes tens of thousands of claims a document)."""
    state = {k: v for k, v in row.items() if k not in CLAIM_UNHASHED}
    state["places"] = [[p[k] for k in PLACE_FIELDS] for p in sorted(places, key=lambda p: p["ord"])]
    if fmt >= 2:
        state["areas"] = sorted(areas or ())
    return state


def claim_hash(row: dict, places: list[dict], areas: list[str] | None = None, fmt: int = CLAIM_FORMAT) -> str:
    return sha256(claim_state(row, places, areas, fmt))


def version_hash(row) -> str:
    return sha256([row["claim_id"], row["version"], row["status"], row["data"], row["author"], row["reason"],
                   row["made_at"]])


def decision_hash(row) -> str:
    return sha256([row["id"], row["action"], row["a"], row["b"], row["author"], row["reason"], row["made_at"]])


def incident_decision_hash(row) -> str:
    return sha256([row["id"], row["action"], row["claim"], row["other"], row["grade"], row["author"], row["reason"],
                   row["made_at"]])


# accounts: what the log vouches for is every column but the credential (a password's argon2 hash, a token's
# SHA-256), which never enters the log; `verify` then finds an account, a role, a token or a group inserted,
# altered or deleted behind Docket's back, but not a credential replaced in place (README, "Who may do what")
USER_FIELDS = ("name", "role", "disabled", "created_at", "password_set_at")
TOKEN_FIELDS = ("id", "user_name", "scope", "expires_at", "created_at", "revoked")


def user_hash(row) -> str:
    return sha256([row[k] if k != "disabled" else bool(row[k]) for k in USER_FIELDS])


def token_hash(row) -> str:
    return sha256([row[k] if k != "revoked" else bool(row[k]) for k in TOKEN_FIELDS])


def group_hash(row, members: list[str]) -> str:
    """A group and who is in it (member names sorted)."""
    return sha256([row["name"], row["description"], row["created_at"], sorted(members)])


def relations_hash(rows) -> str:
    """The relations a document states (rows in id order)."""
    return sha256([[r["subject"], r["predicate"], r["object"], r["span_start"], r["span_end"], r["text"],
                    r["attributed_to"]] for r in rows])


def append(conn: Connection, action: str, subject: str | None, actor: str | None, data: dict) -> tuple[int, str]:
    """Add an entry to the log inside the caller's transaction; returns its number and hash.

    The head row is updated first: that takes the write lock (a row lock on PostgreSQL), so two writers
    never chain from the same entry."""
    conn.execute(update(log_head).values(seq=log_head.c.seq + 1))
    seq, prev = conn.execute(select(log_head.c.seq, log_head.c.hash)).one()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = canonical(data).decode("utf-8")
    digest = entry_hash(seq, at, actor, action, subject, text, prev)
    conn.execute(insert(log).values(seq=seq, at=at, actor=actor, action=action, subject=subject, data=text, prev=prev,
                                    hash=digest))
    conn.execute(update(log_head).values(hash=digest))
    return seq, digest


def start(conn: Connection) -> None:
    """The head row of an empty log (created with the log's tables)."""
    if conn.execute(select(log_head.c.seq)).first() is None:
        conn.execute(insert(log_head).values(seq=0, hash=GENESIS))
