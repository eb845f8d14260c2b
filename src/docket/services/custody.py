"""Custody and verification: what the write log (store/chain.py) vouches for, checked against what the
store holds, and a document's record of where it came from and what was done to it.

`verify` re-hashes every stored document's bytes and text, replays the hash chain entry by entry,
checks each claim against the hash of its latest logged state, each review version, entity decision,
incident decision, account, API token and group against theirs, and each area digest (what comparisons
read) against its claim. It names the first thing that does not match. What it proves: nothing the log
vouches for was changed, inserted or deleted behind Docket's back since it was logged, unless the log
itself was rewritten from that point on; a chain head published earlier (in a dossier or an export) pins
the log up to there (`--head`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from docket.errors import DocketError
from docket.model import Claim, DocumentMeta
from docket.store import ClaimStore, area_digest, chain


@dataclass
class Problem:
    what: str  # chain, document, claim, version, decision, incident decision, relations, area
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.what} {self.subject}: {self.message}"


@dataclass
class Verification:
    entries: int = 0
    documents: int = 0
    claims: int = 0
    versions: int = 0
    decisions: int = 0
    incident_decisions: int = 0
    accounts: int = 0
    tokens: int = 0
    groups: int = 0
    head: tuple[int, str] = (0, chain.GENESIS)
    problems: list[Problem] = field(default_factory=list)
    adopted: list[tuple[int, str]] = field(default_factory=list)  # entries for what a store held before its log

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"ok": self.ok, "entries": self.entries, "documents": self.documents, "claims": self.claims,
                "versions": self.versions, "decisions": self.decisions, "incident_decisions": self.incident_decisions,
                "accounts": self.accounts, "tokens": self.tokens, "groups": self.groups,
                "head": {"seq": self.head[0], "hash": self.head[1]},
                "adopted": [{"entry": seq, "at": at} for seq, at in self.adopted],
                "problems": [{"what": p.what, "subject": p.subject, "message": p.message} for p in self.problems]}


@dataclass
class _Expected:
    """What the log says the store holds, replayed entry by entry."""

    documents: dict[str, dict] = field(default_factory=dict)  # sha -> {"record", "meta", "entry"}
    claims: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # id -> (hash, entry, hash format)
    versions: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    decisions: dict[str, tuple[str, int]] = field(default_factory=dict)
    incident_decisions: dict[str, tuple[str, int]] = field(default_factory=dict)  # number -> (hash, entry)
    accounts: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (hash of its row, entry)
    tokens: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (hash of its row, entry)
    groups: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (hash of it and its members, entry)
    relations: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # claim id -> its document's SHA-256
    adopted: list[tuple[int, str]] = field(default_factory=list)  # (entry, when): held before the log

    def claims_of(self) -> dict[str, set[str]]:
        """Document -> the ids of the claims the log says it has now."""
        out: dict[str, set[str]] = {}
        for cid in self.claims:
            out.setdefault(self.owners.get(cid, ""), set()).add(cid)
        return out


def _replay(store: ClaimStore, result: Verification, pin: tuple[int | None, str] | None) -> _Expected:
    exp = _Expected()
    prev, expected_seq, pinned = chain.GENESIS, 1, pin is None
    for e in store.log_entries():
        result.entries += 1
        seq = e["seq"]
        if seq != expected_seq:
            result.problems.append(Problem("chain", f"entry {expected_seq}", f"missing (the log jumps to entry {seq})"))
            return exp
        if e["prev"] != prev:
            result.problems.append(Problem("chain", f"entry {seq}", "does not chain from the entry before it "
                                           "(an entry was altered, inserted or removed there)"))
            return exp
        if chain.entry_hash(seq, e["at"], e["actor"], e["action"], e["subject"], e["data"], e["prev"]) != e["hash"]:
            result.problems.append(Problem("chain", f"entry {seq}", f"its {e['action']} record was altered "
                                           f"(it no longer hashes to {e['hash'][:16]}…)"))
            return exp
        if pin and e["hash"] == pin[1] and pin[0] in (None, seq):
            pinned = True
        prev, expected_seq = e["hash"], seq + 1
        _apply(exp, e, json.loads(e["data"]))
    seq, head = store.chain_head()
    result.head = (seq, head)
    if seq != expected_seq - 1:
        result.problems.append(Problem("chain", "head", f"the log's head says entry {seq} but the log ends at entry "
                                       f"{expected_seq - 1} (entries removed from its end, or added without it)"))
    elif head != prev:
        result.problems.append(Problem("chain", "head", f"the log's head hash {head[:16]}… is not the hash of its last "
                                       f"entry {seq} ({prev[:16]}…): the head was altered"))
    if not pinned:
        shown = f"{pin[0]}:{pin[1]}" if pin[0] is not None else pin[1]
        result.problems.append(Problem("chain", "head", f"{shown}: no entry of this log has that hash (the log was "
                                       "rewritten since that head was published, or it comes from another store)"))
    return exp


def _apply(exp: _Expected, e: dict, data: dict) -> None:
    seq, action, subject = e["seq"], e["action"], e["subject"]
    fmt = data.get("format", 1)
    if action in ("ingest", "adopt"):
        record = data["document"]
        exp.documents[subject] = {"record": record, "meta": record["meta"], "entry": seq}
        exp.claims.update({cid: (h, seq, fmt) for cid, h in data["claims"].items()})
        if action == "adopt":
            exp.adopted.append((seq, e["at"]))
        exp.owners.update(dict.fromkeys(data["claims"], subject))
        exp.relations[subject] = data["relations"]
        for key, h in data.get("versions", {}).items():
            cid, v = key.rsplit(" ", 1)
            exp.versions[(cid, int(v))] = (h, seq)
    elif action == "edit_document":
        exp.documents[subject]["meta"] = data["after"]
        for cid in data["removed"]:
            exp.claims.pop(cid, None)
        exp.claims.update({cid: (h, seq, fmt) for cid, h in data["claims"].items()})
        exp.owners.update(dict.fromkeys(data["claims"], subject))
        exp.relations[subject] = data["relations"]
    elif action in ("review", "create_claim"):
        exp.claims[subject] = (data["claim"], seq, fmt)
        exp.owners[subject] = data["document"]
        exp.versions.update({(subject, int(v)): (h, seq) for v, h in data["versions"].items()})
    elif action == "entity_decision":
        exp.decisions[subject] = (data["decision"], seq)
    elif action == "incident_decision":  # its subject is the claim it is anchored on; the number is in the data
        exp.incident_decisions[str(data["id"])] = (data["decision"], seq)
    elif action.startswith("user_"):  # an account added, its role, password or state changed: its row after
        exp.accounts[data["user"]] = (data["row"], seq)
    elif action.startswith("token_"):
        exp.tokens[str(data["token"])] = (data["row"], seq)
    elif action.startswith("group_"):
        exp.groups[data["group"]] = (data["row"], seq)


def _as_bytes(value) -> bytes:
    """A stored value as bytes to hash, whatever type an edit behind Docket's back left it as."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8", errors="surrogatepass")


def _fields(state: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in state.items():
        if isinstance(v, dict):
            out |= _fields(v, f"{prefix}{k}.")
        else:
            out[prefix + k] = v
    return out


def _what_changed(current: dict, logged: dict) -> str:
    a, b = _fields(current), _fields(logged)
    diffs = [f"{k} is {a.get(k)!r}, was {b.get(k)!r}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return "; ".join(diffs[:4]) + (" …" if len(diffs) > 4 else "")


def _logged_state(store: ClaimStore, claim_id: str, sha256: str, logged: tuple, areas: list[str],
                  extractions: dict) -> dict | None:
    """The claim as the log vouched for it, where it can be recovered: a review version with that
    hash, else the claim extracted again from the document's text (same Docket version; once per
    document, however many of its claims differ). None when neither gives it back."""
    from docket.store import claim_state_of

    logged_hash, _, fmt = logged
    try:
        for v in reversed(store.versions(claim_id)):
            state = claim_state_of(Claim.model_validate(v["data"]), sha256, areas, fmt)
            if chain.sha256(state) == logged_hash:
                return state
        if sha256 not in extractions:
            from docket.services import extracted

            extractions[sha256] = {c.id: c for c in extracted(store.document(sha256))[0]}
        c = extractions[sha256].get(claim_id)
        if c is not None:
            state = claim_state_of(c, sha256, areas, fmt)
            return state if chain.sha256(state) == logged_hash else None
    except Exception:  # noqa: BLE001 - an altered version or text that no longer reads says only: changed
        return None
    return None


def verify(store: ClaimStore, pin: tuple[int | None, str] | None = None, everything: bool = False) -> Verification:
    """Check the store against its log, in one snapshot of it. Stops at the first problem unless
    `everything`. Whatever a store altered behind Docket's back makes it raise, it is a problem found,
    not an error (an exit status says which)."""
    result = Verification()
    with store.snapshot():
        try:
            _verify(store, pin, everything, result)
        except Exception as e:  # noqa: BLE001 - see the docstring
            result.problems.append(Problem("store", store.location, f"cannot be read as Docket wrote it "
                                           f"({type(e).__name__}: {' '.join(str(e).split())[:200]})"))
    return result


def _verify(store: ClaimStore, pin, everything: bool, result: Verification) -> None:
    exp = _replay(store, result, pin)
    result.adopted = list(exp.adopted)
    if result.problems:
        return

    def found(p: Problem) -> bool:
        result.problems.append(p)
        return not everything

    seen: set[str] = set()
    by_document = exp.claims_of()
    extractions: dict = {}
    for row in store.stored_documents():
        sha = row["sha256"]
        seen.add(sha)
        result.documents += 1
        logged = exp.documents.get(sha)
        if logged is None:
            if found(Problem("document", sha, f"{row['filename']}: stored but never logged (added behind Docket's back)")):
                return
            continue
        record = logged["record"]
        if hashlib.sha256(_as_bytes(row["raw"])).hexdigest() != sha:
            if found(Problem("document", sha, f"{row['filename']}: its stored bytes were altered (they no longer hash "
                             f"to their SHA-256; logged in entry {logged['entry']})")):
                return
        if chain.sha256(_as_bytes(row["text"])) != record["text_sha256"]:
            if found(Problem("document", sha, f"{row['filename']}: its extracted text was altered")):
                return
        meta = {k: row[k] for k in DocumentMeta.model_fields}
        if meta != logged["meta"]:
            if found(Problem("document", sha, f"{row['filename']}: its metadata was altered ("
                             f"{_what_changed(meta, logged['meta'])})")):
                return
        kept = {k: row[k] for k in ("filename", "media_type", "ingested_at") if k in record}
        if kept != {k: record[k] for k in kept}:
            if found(Problem("document", sha, f"its record was altered ({_what_changed(kept, record)})")):
                return
        if _check_claims(store, sha, row, exp, by_document.get(sha, set()), result, found, extractions):
            return
        rel = chain.relations_hash(store.stored_rows("relations", sha))
        if rel != exp.relations.get(sha):
            if found(Problem("relations", sha, "the relations it states were altered (a subject, predicate, "
                             "object, span or source changed, or a relation was added or removed)")):
                return
    for sha in sorted(set(exp.documents) - seen):
        if found(Problem("document", sha, f"logged in entry {exp.documents[sha]['entry']} but no longer stored (deleted)")):
            return
    if _check_rows(store, exp, result, found):
        return
    for what, subject, detail in store.derived_mismatches():
        if found(Problem(what, subject, detail)):
            return


def _check_claims(store, sha, row_doc, exp, expected_ids, result, found, extractions) -> bool:
    """A document's claims (with the areas they count for) and their area digests; True when
    verification should stop."""
    rows = store.claim_rows(sha)
    ids, altered = set(), set()
    for cid, (row, places, areas) in rows.items():
        result.claims += 1
        ids.add(cid)
        logged = exp.claims.get(cid)
        if logged is None:
            if found(Problem("claim", cid, f"in document {sha[:12]}: stored but never logged (inserted behind "
                             "Docket's back)")):
                return True
            continue
        state = chain.claim_state(row, places, areas, logged[2])
        if chain.sha256(state) != logged[0]:
            altered.add(cid)  # its area digests then differ too: reported once, as the claim
            before = _logged_state(store, cid, sha, logged, areas, extractions)
            detail = _what_changed(state, before) if before else \
                "it no longer matches its logged hash (its row, its places or the areas it counts for changed)"
            if found(Problem("claim", cid, f"in document {sha[:12]} ({row_doc['filename']}): altered since log "
                             f"entry {logged[1]}: {detail}")):
                return True
    for cid in sorted(expected_ids - ids):
        if found(Problem("claim", cid, f"in document {sha[:12]}: logged in entry {exp.claims[cid][1]} but no longer "
                         "stored (deleted)")):
            return True
    claims = store.stored_claims(sha)
    by_id = {c.id: c for c in claims}
    for r in store.stored_rows("area_claims", sha):
        c = None if r["claim_id"] in altered else by_id.get(r["claim_id"])
        want = area_digest(c, row_doc["text"]) if c else None
        got = {k: r[k] for k in want} if want else None
        if want is not None and got != want:
            if found(Problem("area", f"{r['claim_id']} in {r['place_id']}", "the digest comparisons read was altered ("
                             f"{_what_changed(got, want)})")):
                return True
    return False


def _check_rows(store, exp, result, found) -> bool:
    """Review versions, entity decisions, incident decisions and accounts; True when verification should
    stop."""
    seen = set()
    for r in store.stored_rows("claim_versions"):
        key = (r["claim_id"], r["version"])
        seen.add(key)
        result.versions += 1
        logged = exp.versions.get(key)
        if logged is None:
            if found(Problem("version", f"{key[0]} v{key[1]}", "stored but never logged (inserted behind Docket's back)")):
                return True
        elif chain.version_hash(r) != logged[0]:
            if found(Problem("version", f"{key[0]} v{key[1]}", f"altered since log entry {logged[1]} (by "
                             f"{r['author']!r} at {r['made_at']}: author, time, reason, status or state changed)")):
                return True
    for key in sorted(set(exp.versions) - seen):
        if found(Problem("version", f"{key[0]} v{key[1]}", f"logged in entry {exp.versions[key][1]} but no longer "
                         "stored (deleted)")):
            return True
    entity = _check_decisions(store.stored_rows("entity_decisions"), exp.decisions, chain.decision_hash,
                              "decision", "", found)
    if entity is None:
        return True
    result.decisions = entity
    incident = _check_decisions(store.stored_rows("incident_decisions"), exp.incident_decisions,
                                chain.incident_decision_hash, "incident decision",
                                " (its action, claims, grade, author, time or reason changed)", found)
    if incident is None:
        return True
    result.incident_decisions = incident
    return _check_accounts(store, exp, result, found)


def _check_decisions(rows, logged_by_id: dict, hash_row, what: str, changed: str, found) -> int | None:
    """Decision rows (entity or incident) against the hashes the log recorded for them: stored but never
    logged, altered, or logged but deleted. Returns how many are stored, or None when verification should
    stop."""
    seen = set()
    for r in rows:
        key = str(r["id"])
        seen.add(key)
        logged = logged_by_id.get(key)
        if logged is None or hash_row(r) != logged[0]:
            if found(Problem(what, key, "stored but never logged" if logged is None else
                             f"altered since log entry {logged[1]}{changed}")):
                return None
    for key in sorted(set(logged_by_id) - seen):
        if found(Problem(what, key, f"logged in entry {logged_by_id[key][1]} but no longer stored (deleted)")):
            return None
    return len(seen)


def _check_accounts(store, exp, result, found) -> bool:
    """Accounts, API tokens and groups (with their members) against the hash of each one's row that the
    log recorded (credentials are not in the log, nor in these hashes); True when verification should stop."""
    members: dict[str, list[str]] = {}
    for r in store.stored_rows("group_members"):
        members.setdefault(r["group_name"], []).append(r["user_name"])
    group_rows = store.stored_rows("groups")
    stored = {
        "account": ({r["name"]: chain.user_hash(r) for r in store.stored_rows("users")}, exp.accounts,
                    "its role, state, creation or password time changed"),
        "token": ({str(r["id"]): chain.token_hash(r) for r in store.stored_rows("tokens")}, exp.tokens,
                  "its account, scope, expiry or revocation changed"),
        "group": ({r["name"]: chain.group_hash(r, members.pop(r["name"], [])) for r in group_rows}, exp.groups,
                  "its description or its members changed"),
    }
    for name, people in members.items():  # members of a group that is not stored
        if found(Problem("group", name, f"members {', '.join(sorted(people))} stored for a group that is not "
                         "(added behind Docket's back)")):
            return True
    result.accounts, result.tokens, result.groups = (len(stored[k][0]) for k in ("account", "token", "group"))
    for what, (rows, logged, detail) in stored.items():
        for key, digest in rows.items():
            entry = logged.get(key)
            if entry is None or entry[0] != digest:
                if found(Problem(what, key, "stored but never logged (added behind Docket's back)" if entry is None
                                 else f"altered since log entry {entry[1]} ({detail})")):
                    return True
        for key in sorted(set(logged) - set(rows)):
            if found(Problem(what, key, f"logged in entry {logged[key][1]} but no longer stored (deleted)")):
                return True
    return False


def head_of(text: str) -> tuple[int | None, str]:
    """A published chain head as `verify --head` takes it: the full 64-digit hash, or SEQ:HASH. A
    shorter prefix is refused: a few hex digits can be matched by altering an entry until it hashes so."""
    seq, _, digest = text.strip().rpartition(":")
    digest = digest.lower()
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest) or seq and not seq.isdigit():
        raise DocketError(f"--head {text}: expected a chain head as dossiers and exports print it: its full 64-digit "
                          "hash, or ENTRY:HASH")
    return (int(seq) if seq else None), digest


def custody(store: ClaimStore, key: str) -> dict:
    """A document's record: what it is, where it came from, and every logged change to it and to its
    claims, oldest first."""
    doc = store.document(key)
    ids = [c.id for c in store.stored_claims(doc.sha256)]
    entries = []
    for e in store.log_entries(subjects=[doc.sha256, *ids]):
        data = json.loads(e["data"])
        entries.append({"seq": e["seq"], "at": e["at"], "actor": e["actor"], "action": e["action"],
                        "subject": e["subject"], "hash": e["hash"], "data": data})
    first = next((e for e in entries if e["action"] in ("ingest", "adopt")), None)
    if first is None:
        raise DocketError(f"{key}: no custody record (the document was never logged)")
    raw = store.raw(doc.sha256)
    return {"document": {"sha256": doc.sha256, "filename": doc.filename, "media_type": doc.media_type,
                         "bytes": len(raw), "ingested_at": doc.ingested_at, "meta": doc.meta.model_dump(),
                         "claims": len(ids)},
            "bytes_match": hashlib.sha256(raw).hexdigest() == doc.sha256,
            "source": first["data"].get("source") or {"note": first["data"].get("note")},
            "entries": entries}
