"""The extractor's limits: figures it will not store, texts of any length, run-on sentences, a time budget."""

import pytest

from docket.extract.claims import extract_claims
from docket.extract.quantities import MAX_COUNT, find_counts
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
