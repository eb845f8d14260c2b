"""The evaluation protocol itself: matching, optional gold claims, slot scoring, bad gold files."""

import json

import pytest

from docket.errors import DocketError
from docket.model import Claim, PlaceRef, Quantity
from docket.services.evaluation import evaluate, load_gold

TEXT = "Around 150 villages were destroyed. 511 civilians were killed. Two bridges were destroyed."


def _gold(tmp_path, lines):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    return load_gold(path, TEXT)


def _claim(kind, evidence, **slots):
    start = TEXT.index(evidence)
    return Claim(kind=kind, span=(start, start + len(evidence)), text=evidence, **slots)


def test_precision_recall_and_slots(tmp_path):
    meta, gold = _gold(tmp_path, [
        {"document": {"publisher": "Ministry"}},
        {"id": "g1", "kind": "destruction", "evidence": "Around 150 villages were destroyed",
         "quantity": {"value": 150, "qualifier": "approx"}},
        {"id": "g2", "kind": "killing", "evidence": "511 civilians were killed", "quantity": {"value": 511, "qualifier": "exact"},
         "places": ["Kalbajar"]},
        {"id": "g3", "kind": "destruction", "evidence": "Two bridges were destroyed", "optional": True},
    ])
    assert meta.publisher == "Ministry"
    predicted = [
        _claim("destruction", "150 villages were destroyed", quantity=Quantity(value=150, qualifier="exact")),
        _claim("killing", "511 civilians", quantity=Quantity(value=511, qualifier="exact"),
               places=[PlaceRef(name="Kalbajar", mention="Kelbajar")]),
        _claim("destruction", "Two bridges were destroyed"),  # matches the optional one: counts nowhere
        _claim("attack", "civilians were killed"),  # spurious
    ]
    r = evaluate(predicted, gold)
    assert (r.true_positives, r.predicted, r.required) == (2, 3, 2)
    assert r.precision == pytest.approx(2 / 3) and r.recall == 1.0
    assert [c.kind for c in r.spurious] == ["attack"]
    assert r.slots["quantity.qualifier"].correct == 1 and r.slots["quantity.qualifier"].total == 2
    assert ("g1", "quantity.qualifier", "approx", "exact") in r.slot_errors
    assert r.slots["places"].accuracy == 1.0


def test_a_miss_lowers_recall(tmp_path):
    _, gold = _gold(tmp_path, [{"kind": "killing", "evidence": "511 civilians were killed"}])
    r = evaluate([], gold)
    assert r.recall == 0.0 and r.f1 == 0.0 and [g.kind for g in r.misses] == ["killing"]


@pytest.mark.parametrize("line, problem", [
    ("{not json", "gold.jsonl:1: not a JSON line"),
    (json.dumps({"kind": "killing", "evidence": "absent words"}), "gold.jsonl:1: evidence not found"),
])
def test_bad_gold_file(tmp_path, line, problem):
    path = tmp_path / "gold.jsonl"
    path.write_text(line)
    with pytest.raises(DocketError, match=problem):
        load_gold(path, TEXT)


def test_a_folder_is_scored_per_kind_per_document_and_pooled(tmp_path):
    from docket.services.evaluation import evaluate_folder

    texts, golds = tmp_path / "texts", tmp_path / "gold"
    texts.mkdir()
    golds.mkdir()
    (texts / "one.txt").write_text("Press release 2 May 2019\n\nAround 150 villages were destroyed in Lachin in 1993.\n")
    (texts / "two.txt").write_text("Statement 3 May 2019\n\nAt least 511 civilians were killed in Shusha in 1992.\n")
    (texts / "lonely.txt").write_text("No gold for this one.")
    (golds / "one.gold.jsonl").write_text("\n".join(json.dumps(x) for x in [
        {"document": {"publisher": "Ministry", "geo": {"Lachin": [39.64, 46.55], "Paris": [48.85, 2.35]}}},
        {"kind": "destruction", "evidence": "Around 150 villages were destroyed in Lachin",
         "quantity": {"value": 150, "qualifier": "approx"}, "places": ["Lachin"]},
        {"kind": "displacement", "evidence": "in 1993"},  # required, and missed
    ]))
    (golds / "two.gold.jsonl").write_text("\n".join(json.dumps(x) for x in [
        {"document": {"publisher": "Ministry", "geo": {"Shusha": [39.76, 46.75]}}},
        {"kind": "killing", "evidence": "At least 511 civilians were killed", "quantity": {"value": 511}},
    ]))
    r = evaluate_folder(texts, golds)
    assert [d.name for d in r.documents] == ["one", "two"] and r.unpaired == ["lonely.txt"]
    c = r.counts
    assert (c.true_positives, c.required) == (2, 3) and c.recall == pytest.approx(2 / 3)
    assert r.kinds["displacement"].recall == 0.0 and r.kinds["killing"].recall == 1.0
    geo = r.geo
    assert (geo.gold, geo.within) == (3, 2)  # Paris is named by no claim
    assert geo.attachments >= 2 and geo.far == 0  # nothing placed 500 km from every gold place
    data = r.as_dict()
    assert data["misses"][0]["document"] == "one" and data["places_wrong"][0]["gold"] == "Paris"
    assert {d["name"] for d in data["documents"]} == {"one", "two"}


def test_a_folder_without_pairs_is_an_error(tmp_path):
    from docket.services.evaluation import evaluate_folder

    (tmp_path / "t").mkdir()
    (tmp_path / "g").mkdir()
    (tmp_path / "t" / "a.txt").write_text("Some text.")
    with pytest.raises(DocketError, match="no text has a gold file"):
        evaluate_folder(tmp_path / "t", tmp_path / "g")
