"""The extractor's limits: figures it will not store, texts of any length, run-on sentences, a time budget."""

import pytest

from docket.errors import DocketError
from docket.extract import claims as claims_module
from docket.extract.claims import EXTRACT_SECONDS, extract, extract_budget, extract_claims
from docket.extract.quantities import MAX_COUNT, find_counts
from docket.extract.text import MAX_SENTENCE, sentences
from docket.model import DocumentMeta

META = DocumentMeta(publisher="Example Ministry", published="2020-01-01")


@pytest.mark.parametrize("digits", [13, 20, 309, 400, 5000])
def test_a_figure_no_claim_can_hold_is_dropped(digits):
    text = f"{'9' * digits} civilians were killed in Kalbajar."
    assert find_counts(text) == []
    killing = [c for c in extract_claims(text, META) if c.kind == "killing"]
    assert killing and all(c.quantity is None for c in killing)


def test_figures_are_exact_integers():
    got = {c.text: c.value for c in find_counts("2.5 million people, 123456789012 houses, half a dozen schools")}
    assert got == {"2.5 million": 2_500_000, "123456789012": 123_456_789_012, "half a dozen": 6}
    assert all(type(v) is int for v in got.values())


def test_the_cap_itself_is_a_count_and_one_more_is_not():
    assert [c.value for c in find_counts("one trillion people")] == [MAX_COUNT]
    assert find_counts("1,000,000,000,001 people") == []
    assert find_counts("two trillion people") == []


def test_a_range_past_the_cap_is_dropped():
    assert [c for c in find_counts("between 10 and 5 trillion people") if c.qualifier == "range"] == []


RUN_ON = "the armed forces shelled the village of Vang and destroyed 40 houses, "


def _spans_hold(text, claims):
    assert all(0 <= c.span[0] <= c.span[1] <= len(text) and text[c.span[0] : c.span[1]] == c.text for c in claims)


@pytest.mark.parametrize("size", [3_001, 10_000, 30_000])
def test_a_run_on_sentence_is_read_in_pieces(size):
    text = (RUN_ON * (size // len(RUN_ON) + 1))[:size]
    claims = extract_claims(text, META, budget=60)  # was an IndexError at 10 KB, and 5 s at 25 KB
    _spans_hold(text, claims)
    assert sum(c.kind == "destruction" for c in claims) >= size // len(RUN_ON) - 1


def test_no_sentence_is_longer_than_the_cap():
    text = RUN_ON * 200 + "\n\n" + "word " * 5000 + "\n\n" + "x" * 10_000
    got = sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE and text[s.start : s.end] == s.text for s in got)
    assert "".join(s.text for s in got).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    # cut at a clause boundary where there is one
    assert got[0].text.endswith(",") and got[-1].paragraph == 2


def test_a_paragraph_longer_than_spacys_limit():
    text = "Kalbajar was occupied by the armed forces of Armenia on 2 April 1993 " * 16_000  # 1.1 MB, no full stop
    assert len(text) > 1_000_000
    got = sentences(text)
    assert got[0].start == 0 and got[-1].end == len(text.rstrip())
    assert all(text[s.start : s.end] == s.text for s in got)


@pytest.mark.parametrize("storm", ["(", "'s", "’", "\"'"])
def test_a_long_token_does_not_stall_the_sentencizer(storm):
    text = storm * (40_000 // len(storm))  # spaCy alone: minutes for 40,000 "("
    got = sentences(text)
    assert got[0].start == 0 and got[-1].end == len(text)


def test_a_document_over_its_time_budget_is_given_up():
    text = "Kalbajar was occupied on 2 April 1993.\n\n" * 50
    with pytest.raises(DocketError, match=r"^extraction took longer than 1e-06 s \(set DOCKET_EXTRACT_SECONDS\)$"):
        extract(text, META, budget=1e-6)


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOCKET_EXTRACT_SECONDS", "0.000001")
    with pytest.raises(DocketError, match="longer than 1e-06 s"):
        extract("Kalbajar was occupied.\n\n" * 50, META)
    monkeypatch.setenv("DOCKET_EXTRACT_SECONDS", "soon")
    with pytest.raises(DocketError, match="DOCKET_EXTRACT_SECONDS='soon'"):
        extract("Kalbajar was occupied.", META)
    monkeypatch.delenv("DOCKET_EXTRACT_SECONDS")
    assert extract_budget() == EXTRACT_SECONDS and extract_budget(50_000_000) == EXTRACT_SECONDS + 500


def test_an_internal_failure_reaches_the_caller_as_a_docket_error(monkeypatch):
    def broken(*args, **kwargs):
        raise IndexError("string index out of range")

    monkeypatch.setattr(claims_module, "_mentions", broken)
    with pytest.raises(DocketError, match=r"extraction failed \(IndexError: string index out of range\)") as info:
        extract("Kalbajar was occupied.", META)
    assert isinstance(info.value.__cause__, IndexError)


@pytest.mark.parametrize("text", [
    "They destroyed the Gyzylbulag mine, and it was razed.",
    "Armenia destroyed the Ganjasar and Khudavank cloisters, which were razed.",
])
def test_two_triggers_over_one_object_give_one_claim(text):
    claims = extract_claims(text, META)
    assert claims and len({c.model_dump_json() for c in claims}) == len(claims)
