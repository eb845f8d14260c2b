"""Analyst grading: an analyst's merges, splits and grades of incidents, replayed over whatever the
clusterer made of the claims.

Clustering (resolve/clusters.py) is recomputed from the claims on every read, and a cluster's id changes
whenever its claims or its date do, so a decision is never kept against a cluster: it names claims.

- merge (claim A, claim B): the incident holding B joins the incident holding A (incidents of one kind
  only; the service refuses the rest when the decision is made);
- split (claim C): C leaves its incident and stands alone;
- grade (claim X, grade): the incident holding X is graded, in the vocabulary casualty recorders such as
  Airwars publish (confirmed, fair, weak, contested, discounted); a later grade replaces an earlier one,
  which is kept in the grade's history.

`apply` replays them in the order they were made. Merges and splits move members; every incident they
touch has its flag, date, years and id computed again. Grades are attached last, each to the incident
that holds its claim once everything else is replayed: a grade whose claim a later merge or split moved
follows the claim, and its incident's notes say so. A decision naming a claim that is not among the
clusters given (another place's, another kind's, a rejected claim) is skipped: each view replays what
concerns it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from docket.resolve.clusters import EVENT_KINDS, Cluster, cluster_id, flag

GRADES = ("confirmed", "fair", "weak", "contested", "discounted")
ACTIONS = ("merge", "split", "grade")


@dataclass(frozen=True)
class IncidentDecision:
    """One analyst decision, as kept in the store (`incident_decisions`)."""

    id: int
    action: str  # merge | split | grade
    claim: str  # the claim it is anchored on (A of a merge, the claim split out, the claim graded)
    other: str | None = None  # a merge's claim B
    grade: str | None = None
    author: str | None = None
    reason: str | None = None
    made_at: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> IncidentDecision:
        return cls(row["id"], row["action"], row["claim"], row.get("other"), row.get("grade"), row.get("author"),
                   row.get("reason"), row.get("made_at"))

    def as_dict(self) -> dict:
        return {"id": self.id, "action": self.action, "claim": self.claim, "other": self.other, "grade": self.grade,
                "author": self.author, "reason": self.reason, "made_at": self.made_at}


def _who(d: IncidentDecision) -> str:
    return f"{d.author or '?'} on {(d.made_at or '?')[:10]}" + (f" ({d.reason})" if d.reason else "")


_DIGITS = {"day": 10, "month": 7, "year": 4}


def _stated(m) -> str | None:
    """A member's date as precisely as it gives it, or None (undated, or an ongoing state)."""
    if not m.when_start or m.ongoing:
        return None
    return m.when_start[: min(len(m.when_start), _DIGITS.get(m.when_precision or "", 10))]


def _common(a: str, b: str) -> str:
    """The finest date both agree on (2023-03-03 and 2023-03 -> 2023-03-03; 2023-03-03 and 2023-03-10
    -> 2023-03; different years -> "")."""
    if a.startswith(b):
        return a
    if b.startswith(a):
        return b
    for n in (7, 4):
        if a[:n] == b[:n]:
            return a[:n]
    return ""


def _redate(k: Cluster) -> None:
    """An incident's date and years from its members, after a merge or split changed them: the finest
    date its accounts all agree on (their disagreement, if any, is the flag's to say)."""
    dates = [d for m in k.members if (d := _stated(m))]
    years = [m.year for m in k.members if m.year is not None]
    if years:
        k.years = (min(years), max(years))
    if not dates or k.kind not in EVENT_KINDS:  # a state or an act is compared by years only
        return
    date = dates[0]
    for d in dates[1:]:
        date = _common(date, d)
        if not date:
            break
    if date:
        k.date, k.precision = date, {10: "day", 7: "month", 4: "year"}[len(date)]
    elif k.years:
        k.date, k.precision = None, None


def apply(clusters: list[Cluster], decisions: Iterable[IncidentDecision]) -> list[Cluster]:
    """The clusters with the decisions replayed in order (see the module's docstring), in the order
    given (an incident split out follows the one it left). The clusters given are left as they are: a
    cluster a decision changes is copied first."""
    decisions = [d for d in decisions if d.action in ACTIONS]
    named = {d.claim for d in decisions} | {d.other for d in decisions if d.other}
    where: dict[str, Cluster] = {}  # claim id -> the cluster holding it, for the claims decisions name
    for k in clusters if named else ():
        for m in k.members:
            if m.id in named:
                where[m.id] = k
    if not where:
        return clusters
    copies: dict[int, Cluster] = {}  # id() of a cluster given -> its copy
    mine: set[int] = set()  # id() of the clusters made here (copies, and incidents split out)
    gone: set[int] = set()  # merged into another
    after: dict[int, list[Cluster]] = {}  # id() of a cluster -> the incidents split out of it
    changed: list[Cluster] = []

    def own(k: Cluster) -> Cluster:
        if id(k) in mine:
            return k
        copy = replace(k, members=list(k.members), claims=list(k.claims), why=list(k.why), echoes=dict(k.echoes), notes=list(k.notes))
        copies[id(k)] = copy
        mine.add(id(copy))
        for m in copy.members:
            if m.id in where:
                where[m.id] = copy
        return copy

    graded: list[tuple[IncidentDecision, frozenset[str]]] = []  # each grade, with its incident's claims then
    for d in decisions:
        home = where.get(d.claim)
        if home is None:
            continue
        if d.action == "grade":
            if d.grade in GRADES:
                graded.append((d, frozenset(m.id for m in home.members)))
        elif d.action == "merge":
            other = where.get(d.other or "")
            if other is None or other is home or other.kind != home.kind:
                continue
            home, other = own(home), own(other)
            whole = {c.id: c for c in home.claims + other.claims}
            home.members += other.members
            home.claims = [whole[m.id] for m in home.members if m.id in whole]
            home.notes += other.notes
            home.notes.append(f"merged by {_who(d)}: the incident holding {d.other} joined the one holding {d.claim}")
            gone.add(id(other))
            for m in other.members:
                if m.id in where:
                    where[m.id] = home
            changed.append(home)
        elif d.action == "split" and len(home.members) > 1:
            home = own(home)
            member = next(m for m in home.members if m.id == d.claim)
            home.members = [m for m in home.members if m.id != d.claim]
            alone = Cluster("", home.kind, home.place_id, home.place_name, home.thing, home.years, [member],
                            [c for c in home.claims if c.id == d.claim],  # dated by its own account (_redate)
                            notes=[f"split out of its incident by {_who(d)}"])
            home.claims = [c for c in home.claims if c.id != d.claim]
            home.notes.append(f"{d.claim} ({member.source}) split out by {_who(d)}")
            mine.add(id(alone))
            after.setdefault(id(home), []).append(alone)
            where[d.claim] = alone
            changed += [home, alone]
    for k in {id(k): k for k in changed}.values():
        if id(k) not in gone:
            _redate(k)
            k.id = cluster_id(k)
            flag(k)
    for d, then in graded:
        k = where[d.claim] = own(where[d.claim])
        entry = {"grade": d.grade, "author": d.author, "reason": d.reason, "made_at": d.made_at, "claim": d.claim,
                 "decision": d.id}
        k.grade = entry | {"history": [*(k.grade or {}).get("history", []), entry]}
        now = {m.id for m in k.members}
        if now == then:
            continue
        if len(then) > 1 and not (now & then) - {d.claim}:
            k.notes.append(f"graded {d.grade} by {_who(d)} through {d.claim}, which was later split out of the incident "
                           "it graded: the grade follows the claim")
        else:
            k.notes.append(f"graded {d.grade} by {_who(d)} through {d.claim} when its incident held {len(then)} "
                           f"account(s); later decisions changed it (it holds {len(now)}): the grade follows the claim")
    out: list[Cluster] = []

    def emit(k: Cluster) -> None:
        if id(k) not in gone:
            out.append(k)
        for x in after.get(id(k), ()):
            emit(x)

    for k in clusters:
        emit(copies.get(id(k), k))
    return out
