"""Each of the 17 kinds from two differently worded sentences, and one sentence that must not count."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kind_sentences import NEGATIVE, POSITIVE  # noqa: E402

from docket.extract.claims import extract_claims  # noqa: E402
from docket.model import KINDS, DocumentMeta  # noqa: E402

META = DocumentMeta(publisher="Example Ministry", published="2020-01-01")


def test_every_kind_is_covered():
    assert set(POSITIVE) == set(KINDS) == set(NEGATIVE)
    assert all(len(v) >= 2 and v[0] != v[1] for v in POSITIVE.values())


@pytest.mark.parametrize("kind,sentence", [(k, s) for k, ss in POSITIVE.items() for s in ss])
def test_sentence_yields_its_kind(kind, sentence):
    kinds = [c.kind for c in extract_claims(sentence, META)]
    assert kind in kinds, kinds


@pytest.mark.parametrize("kind,sentence", list(NEGATIVE.items()))
def test_sentence_yields_no_claim_of_that_kind(kind, sentence):
    kinds = [c.kind for c in extract_claims(sentence, META)]
    assert kind not in kinds, kinds


def test_claims_point_at_their_characters():
    text = "Press release 02 April 2018\n\nAround 150 villages and 9 schools were razed by the armed forces of Armenia."
    for c in extract_claims(text, META):
        assert text[c.span[0] : c.span[1]] == c.text


def test_enumeration_gives_one_claim_per_object_with_its_figure():
    text = "Around 150 villages, dozens of monuments, one museum and more than 110 libraries were destroyed."
    got = {c.object.category: c.quantity for c in extract_claims(text, META) if c.kind == "destruction"}
    assert got["village"].value == 150 and got["village"].qualifier == "approx"
    assert got["monument"].qualifier == "vague" and got["monument"].low == 24
    assert got["museum"].value == 1
    assert got["library"].value == 110 and got["library"].qualifier == "more_than"


def test_reported_speech_is_attributed_to_the_speaker():
    text = "In his report, Mr. Mario Raffaelli emphasized that the Armenian side launched an attack."
    attack = next(c for c in extract_claims(text, META) if c.kind == "attack")
    assert attack.attributed_to == "Mario Raffaelli"
    assert attack.agent == "Armenian side"


def test_second_source_is_recorded_as_corroboration():
    text = "Armenia transfers settlers to the Kalbajar district, which has been documented by OSCE fact-finding mission."
    c = next(c for c in extract_claims(text, META) if c.kind == "settlement")
    assert c.corroborated_by == "OSCE fact-finding mission"
    assert c.when.ongoing and c.when.start == "2020-01-01"


def test_aliases_of_one_place_resolve_to_it():
    for name in ("Kalbajar", "Kelbajar", "Kəlbəcər", "Karvachar"):
        c = next(c for c in extract_claims(f"{name} was occupied on 2 April 1993.", META) if c.kind == "control_change")
        assert c.places[0].name == "Kalbajar" and c.places[0].lat


@pytest.mark.parametrize("sentence", [
    "On 18 May 1992 the town of Lachin was occupied by the armed forces of Armenia.",
    "In May 1992 Lachin was occupied.",
])
def test_the_month_may_is_not_a_modal_verb(sentence):
    assert "control_change" in [c.kind for c in extract_claims(sentence, META)]


def test_the_modal_may_still_makes_a_claim_hypothetical():
    assert extract_claims("The town may be occupied by Armenian forces.", META) == []
