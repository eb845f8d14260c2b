"""Analyst grading replayed over clusters: merges move members, splits make incidents of their own,
grades attach to the incident holding their claim, and all of it is anchored on claims, so that it
survives a re-clustering."""

from docket.model import ClaimDigest, Quantity
from docket.resolve.clusters import cluster_digests, cluster_id
from docket.resolve.grading import GRADES, IncidentDecision, apply

TOWN = "p:tartar"


def _town(pid):
    return (TOWN, "Tartar")


def _killing(cid, source, when, value, kind="killing", document=None):
    return ClaimDigest(cid, kind, "extracted", document, (TOWN,), "", source, when, False,
                       Quantity(value=value, qualifier="exact") if value is not None else None,
                       "day" if when else None)


def _clusters(*digests):
    return cluster_digests(digests, _town, {})


def _holding(clusters, cid):
    return next(k for k in clusters if any(m.id == cid for m in k.members))


_n = iter(range(1, 10_000))


def _decide(action, claim, other=None, grade=None, author="ana", reason="checked"):
    return IncidentDecision(next(_n), action, claim, other, grade, author, reason, "2024-05-01T10:00:00+00:00")


def test_a_merge_makes_one_incident_and_flags_it_again():
    given = _clusters(_killing("a", "Agency", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 3))
    assert [k.flag for k in given] == ["single", "single"]
    (k,) = apply(given, [_decide("merge", "a", "b", reason="one shelling")])
    assert [m.id for m in k.members] == ["a", "b"] and k.sources == ["Agency", "Monitor"]
    assert k.flag == "contradiction" and any("2 (Agency" in r and "3 (Monitor" in r for r in k.reasons)
    assert any("dated differently" in r for r in k.reasons)
    assert k.date == "2023-08" and k.precision == "month" and k.years == (2023, 2023)
    assert k.id == cluster_id(k) and k.id not in {g.id for g in given}
    assert any("merged by ana on 2024-05-01 (one shelling)" in n for n in k.notes)
    # the clusters given are as they were
    assert [len(g.members) for g in given] == [1, 1] and [g.flag for g in given] == ["single", "single"]


def test_accounts_that_agree_merge_into_a_consistent_incident():
    undated = _killing("u", "Council", None, 2)  # no date and no document year: clustering keeps it alone
    given = _clusters(_killing("a", "Agency", "2023-08-28", 2), undated)
    assert len(given) == 2
    (k,) = apply(given, [_decide("merge", "u", "a")])
    assert k.flag == "consistent" and k.reasons[0].startswith("2 sources, all of whose accounts can be true") and k.date == "2023-08-28" and k.precision == "day"


def test_a_split_claim_stands_alone_next_to_the_incident_it_left():
    given = _clusters(_killing("a", "Agency", "2023-03-03", 4), _killing("b", "Monitor", "2023-03-03", 4),
                      _killing("c", "Ministry", "2023-03-10", 7))
    assert [len(k.members) for k in given] == [2, 1] and given[0].flag == "consistent"
    out = apply(given, [_decide("split", "b", reason="another market")])
    assert [[m.id for m in k.members] for k in out] == [["a"], ["b"], ["c"]]
    assert [k.flag for k in out] == ["single"] * 3
    alone = out[1]
    assert alone.date == "2023-03-03" and alone.id == cluster_id(alone) and len({k.id for k in out}) == 3
    assert any("split out" in n and "another market" in n for n in alone.notes)
    # a claim alone already stays as it is; splitting twice changes nothing more
    assert [[m.id for m in k.members] for k in apply(given, [_decide("split", "b"), _decide("split", "b")])] == \
        [["a"], ["b"], ["c"]]


def test_a_later_grade_replaces_an_earlier_one_and_both_are_kept():
    given = _clusters(_killing("a", "Agency", "2023-03-10", 7), _killing("b", "Monitor", "2023-03-10", 12))
    (k,) = apply(given, [_decide("grade", "a", grade="fair", author="ana", reason="two sources"),
                         _decide("grade", "b", grade="contested", author="ben", reason="7 vs 12")])
    assert k.grade["grade"] == "contested" and k.grade["author"] == "ben" and k.grade["reason"] == "7 vs 12"
    assert [(g["grade"], g["author"], g["reason"]) for g in k.grade["history"]] == [
        ("fair", "ana", "two sources"), ("contested", "ben", "7 vs 12")]
    assert all(g["made_at"] for g in k.grade["history"])
    assert k.as_dict()["grade"]["grade"] == "contested"
    assert k.id == given[0].id and k.flag == given[0].flag  # a grade alone changes neither
    assert given[0].grade is None


def test_a_grade_follows_its_claim_and_says_so():
    given = _clusters(_killing("a", "Agency", "2023-03-03", 4), _killing("b", "Monitor", "2023-03-03", 4))
    out = apply(given, [_decide("grade", "b", grade="confirmed"), _decide("split", "b")])
    left, alone = out
    assert left.grade is None and alone.grade["grade"] == "confirmed"
    assert any("split out of the incident it graded" in n and "follows the claim" in n for n in alone.notes)
    # graded, then merged into another incident: the grade stays with the merged incident, which says so
    given = _clusters(_killing("a", "Agency", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 2))
    (k,) = apply(given, [_decide("grade", "b", grade="weak"), _decide("merge", "a", "b")])
    assert k.grade["grade"] == "weak" and any("held 1 account(s)" in n and "holds 2" in n for n in k.notes)


def test_decisions_about_claims_not_here_are_skipped():
    given = _clusters(_killing("a", "Agency", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 2),
                      _killing("x", "Agency", "2023-08-28", None, kind="attack"))
    decisions = [_decide("merge", "a", "c-elsewhere"), _decide("split", "c-elsewhere"),
                 _decide("grade", "c-elsewhere", grade="fair"), _decide("merge", "a", "x"),  # across kinds: never
                 _decide("grade", "a", grade="splendid")]  # not a grade
    out = apply(given, decisions)
    assert [(k.id, k.flag, k.grade, len(k.members)) for k in out] == [(k.id, k.flag, None, 1) for k in given]
    assert apply(given, []) is given


def test_decisions_replay_in_order():
    given = _clusters(_killing("a", "Agency", "2023-03-03", 4), _killing("b", "Monitor", "2023-03-03", 4))
    # split out, then merged back: one incident again, as clustering made it
    (k,) = apply(given, [_decide("split", "b"), _decide("merge", "a", "b")])
    assert [m.id for m in k.members] == ["a", "b"] and k.id == given[0].id and k.flag == "consistent"


def test_decisions_are_replayed_over_a_new_clustering():
    decisions = [_decide("merge", "a", "b"), _decide("grade", "b", grade="confirmed", reason="photos")]
    before = apply(_clusters(_killing("a", "Agency", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 2)),
                   decisions)
    # a new account of the 28th joins that incident when clustering runs again; the decisions still hold
    after = apply(_clusters(_killing("a", "Agency", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 2),
                            _killing("c", "Council", "2023-08-28", 2)), decisions)
    (k,) = after
    assert sorted(m.id for m in k.members) == ["a", "b", "c"] and k.grade["grade"] == "confirmed"
    assert len(before) == 1 and before[0].grade["grade"] == "confirmed"
    # the same claims and decisions give the same incidents, ids and all
    again = apply(_clusters(_killing("c", "Council", "2023-08-28", 2), _killing("b", "Monitor", "2023-08-29", 2),
                            _killing("a", "Agency", "2023-08-28", 2)), decisions)
    assert [(x.id, x.flag, x.date) for x in again] == [(x.id, x.flag, x.date) for x in after]


def test_the_grades_are_the_casualty_recorders():
    assert GRADES == ("confirmed", "fair", "weak", "contested", "discounted")
