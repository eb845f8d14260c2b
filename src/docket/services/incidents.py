"""Incident decisions as the CLI, the API and the pages make them: merge two incidents, split a claim
out of its incident, grade an incident; each kept with its author, time and reason, logged, and replayed
over every clustering (resolve/grading.py, services/comparison.replay). Checked here, before anything
is written: a decision refused leaves the store as it was."""

from __future__ import annotations

from dataclasses import dataclass, field

from docket.errors import DocketError
from docket.gazetteer import Gazetteer
from docket.model import Claim
from docket.resolve.clusters import Cluster
from docket.resolve.grading import GRADES, IncidentDecision
from docket.services.comparison import compare, load
from docket.store import ClaimFilter, ClaimStore


def _claim(store: ClaimStore, claim_id: str) -> Claim:
    """A claim that incidents hold (not a rejected one)."""
    claim_id = (claim_id or "").strip()
    found = store.claims(ClaimFilter(ids=[claim_id], include_rejected=True)) if claim_id else []
    if not found:
        raise DocketError(f"{claim_id or '(none)'}: no such claim (see `docket claims`)")
    if found[0].status == "rejected":
        raise DocketError(f"{claim_id}: the claim is rejected, so it is in no incident (restore it first: "
                          "`docket review restore`)")
    return found[0]


def _reason(reason: str | None, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DocketError(f"{action}: give a reason (it is kept with the decision)")
    return reason[:2000]


def _view(store: ClaimStore, gaz: Gazetteer, c: Claim) -> tuple[str, list[Cluster]]:
    """The incidents of the claim's kind at its first place Docket knows (and inside it): where its
    incident is shown, as (the place's name, the incidents)."""
    ref = next((p for p in c.places if p.id), None)
    place = gaz.get(ref.id) if ref is not None else None
    if place is None:
        raise DocketError(f"{c.id}: names no place Docket knows, so it is in no incident (give it a place: "
                          "`docket review edit --place`)")
    return place.name, compare(store, gaz, place, c.kind, whole=False)


def _holding(clusters: list[Cluster], claim_id: str) -> Cluster | None:
    return next((k for k in clusters if any(m.id == claim_id for m in k.members)), None)


def incident_of(store: ClaimStore, gaz: Gazetteer, claim_id: str) -> Cluster:
    """The incident holding a claim (with the decisions replayed), its claims whole."""
    c = _claim(store, claim_id)
    home = _holding(_view(store, gaz, c)[1], c.id)
    if home is None:  # a claim of a place is always in one of the place's clusters
        raise DocketError(f"{c.id}: in no incident")
    load(store, [home])
    return home


def merge(store: ClaimStore, gaz: Gazetteer, claim_a: str, claim_b: str, author: str, reason: str | None) -> Cluster:
    """The incident holding claim B joins the incident holding claim A; returns the incident after it."""
    a, b = _claim(store, claim_a), _claim(store, claim_b)
    if a.id == b.id:
        raise DocketError(f"{a.id}: cannot merge an incident with itself (give claims of two incidents)")
    if a.kind != b.kind:
        raise DocketError(f"cannot merge: {a.id} is a {a.kind} claim and {b.id} a {b.kind} claim; only incidents of "
                          "one kind are merged")
    reason = _reason(reason, "merge")
    # incidents are compared place by place: the two must meet where one of them is shown
    (name, here), (other_name, there) = _view(store, gaz, a), _view(store, gaz, b)
    if _holding(here, b.id) is None and _holding(there, a.id) is None:
        raise DocketError(f"cannot merge: {b.id} is not about {name} or a place inside it, nor {a.id} about "
                          f"{other_name}; incidents are compared place by place")
    home = _holding(here, a.id) if _holding(here, b.id) else _holding(there, a.id)
    if home is not None and any(m.id == b.id for m in home.members):
        raise DocketError(f"{a.id} and {b.id} are in one incident already ({home.id})")
    store.add_incident_decision("merge", a.id, b.id, None, author, reason)
    merged = _holding(_view(store, gaz, a)[1], a.id)
    if merged is None or all(m.id != b.id for m in merged.members):
        merged = _holding(_view(store, gaz, b)[1], b.id)
    load(store, [merged])
    return merged


def split(store: ClaimStore, gaz: Gazetteer, claim_id: str, author: str, reason: str | None) -> Cluster:
    """The claim leaves its incident and stands alone; returns its incident after it (itself alone)."""
    c = _claim(store, claim_id)
    reason = _reason(reason, "split")
    home = incident_of(store, gaz, c.id)
    if len(home.members) < 2:
        raise DocketError(f"{c.id}: stands alone already (its incident {home.id} holds no other claim)")
    store.add_incident_decision("split", c.id, None, None, author, reason)
    return incident_of(store, gaz, c.id)


def grade(store: ClaimStore, gaz: Gazetteer, claim_id: str, value: str, author: str, reason: str | None) -> Cluster:
    """Grade the incident holding the claim (a later grade replaces an earlier one, which is kept)."""
    value = (value or "").strip().lower()
    if value not in GRADES:
        raise DocketError(f"grade {value or '(none)'}: expected one of {', '.join(GRADES)}")
    c = _claim(store, claim_id)
    reason = _reason(reason, "grade")
    incident_of(store, gaz, c.id)  # it is in one
    store.add_incident_decision("grade", c.id, None, value, author, reason)
    return incident_of(store, gaz, c.id)


ACTIONS = ("merge", "split", "grade")


def decide(store: ClaimStore, gaz: Gazetteer, action: str, claim_id: str, author: str, reason: str | None,
           other: str | None = None, value: str | None = None) -> Cluster:
    """One incident decision, as the CLI, the API and the pages all ask for it."""
    if action == "merge":
        if not (other or "").strip():
            raise DocketError("merge: give the claim of the other incident")
        return merge(store, gaz, claim_id, other, author, reason)
    if action == "split":
        return split(store, gaz, claim_id, author, reason)
    if action == "grade":
        return grade(store, gaz, claim_id, value or "", author, reason)
    raise DocketError(f"{action or '(none)'}: not an incident decision (one of {', '.join(ACTIONS)})")


@dataclass
class IncidentHistory:
    """The incident holding a claim now, and every decision about it: those naming the claim or any claim
    the incident holds, oldest first."""

    claim: str
    incident: Cluster
    decisions: list[IncidentDecision] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"claim": self.claim, "incident": self.incident.as_dict(),
                "decisions": [d.as_dict() for d in self.decisions]}


def history(store: ClaimStore, gaz: Gazetteer, claim_id: str) -> IncidentHistory:
    home = incident_of(store, gaz, claim_id)
    held = {m.id for m in home.members}
    decisions = [IncidentDecision.from_row(r) for r in store.incident_decisions()]
    return IncidentHistory(claim_id.strip(), home, [d for d in decisions if d.claim in held or d.other in held])
