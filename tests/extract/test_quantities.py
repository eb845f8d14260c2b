"""The count grammar, and Recognizers-Text's English number and range cases as a peer suite.

Cases in scope are the ones about counts: whole, non-negative numbers written in digits (with thousands
separators) or in words, "dozen", scale words, and one-sided or two-sided ranges over them. Out of scope,
with the reason each is skipped:
- fractions, decimals, negatives, exponents, ordinals: not counts of people or objects;
- abbreviations ("10k", "1.2b", "10M", "2mil", "3 dzs"), lakh and crore: not the prose Docket reads;
- query-style comparisons ("> 30", "larger than 10 and smaller than 20", "higher or equal than"):
  a count in a report carries one hedge, not a two-sided inequality;
- "4.800" read as 4.8 and IP/phone numbers: Docket reads a dot before three digits as a thousands
  separator ("60.000" in the founding document) and a phone number is not a count;
- figures above `MAX_COUNT` (10**12, "twenty-one trillion"): no count a claim holds, so they are dropped.
"""

import json
import re

import pytest
from conftest import QUANTITIES

from docket.extract.quantities import MAX_COUNT, find_counts

needs_data = pytest.mark.skipif(not QUANTITIES.exists(), reason="../shared/data/quantities is not present")

_OUT_OF_SCOPE = re.compile(
    r"\d/\d|\d+\.\d+(?!\d)|(?<![\w-])-\s*\d|\^|\d[eE][+-]?\d|"  # fractions, decimals, negatives, powers
    r"\b(?:negative|minus|point|half|halves|quarters?|thirds?|fourths?|fifths?|eighths?|ninths?|tenths?|"
    r"hundredths?|thousandths?|millionths?|trillionths?|twenty-firsts?|twenty-fifths?|firsts?|over\s+\w+|out of|"
    r"lakh|crore|bln|tln|dzs|dozs|mil|k|m|g|b|mm|tenth|fifteenth|nought point|naught point)\b|"
    r"\d+(?:k|m|g|b|mm|mil)\b|[<>=~⅔¾⅙½]|"
    r"larger than|smaller than|bigger|higher|lower|greater than \d+ and|above \d+ and|at most \d+ and|"
    r"\d+\.\d{3}\b|\+\d|\d-\d{3}-|192\.168|=\s*\d|\bor equal\b.*\bthan\b|in \d+ or more|more than 2 in 5|"
    r"two hundred and two dozens|\bequals\b|more than \d+ and less than|three hundred and two dozens|from 200 to 300 in 2008|equaling|equals? to|"
    r"equal to|nine point|one hundred and three and|twenty and three|and two thirds|and three|and a ",
    re.I,
)


def _cases(name):
    return json.loads((QUANTITIES / name).read_text(encoding="utf-8-sig"))


def _in_scope(case) -> bool:
    if _OUT_OF_SCOPE.search(case["Input"]):
        return False
    for r in case.get("Results", []):
        value = r.get("Resolution", {}).get("value", "")
        if not re.fullmatch(r"[\[(]?\d*,?\d*[\])]?|\d+", value):
            return False
        if any(int(x) > MAX_COUNT for x in re.findall(r"\d+", value)):
            return False
    return True


def _norm(t: str) -> str:
    return re.sub(r"\s+", " ", t.strip().lower())


def test_the_founding_documents_counts():
    got = {c.text: (c.value, c.qualifier, c.low) for c in find_counts(
        "around 60.000 inhabitants, 511 civilians, more than 70.000 residents, dozens of monuments, nine countries"
    )}
    assert got == {
        "around 60.000": (60000, "approx", None), "511": (511, "exact", None), "more than 70.000": (70000, "more_than", None),
        "dozens": (None, "vague", 24), "nine": (9, "exact", None),
    }


@needs_data
def test_recognizers_number_cases_in_scope():
    cases = [c for c in _cases("English_NumberModel.json") if _in_scope(c)]
    assert len(cases) >= 60
    failures = []
    for case in cases:
        want = [(_norm(r["Text"]), float(r["Resolution"]["value"])) for r in case["Results"]]
        got = [(_norm(c.text), float(c.value)) for c in find_counts(case["Input"]) if c.qualifier == "exact"]
        if got != want:
            failures.append((case["Input"], want, got))
    assert not failures, failures


def _interval(c) -> str:
    return {
        "more_than": f"({c.value},)", "at_least": f"[{c.value},)", "less_than": f"(,{c.value})",
        "at_most": f"(,{c.value}]", "range": f"[{c.low},{c.high})", "exact": f"[{c.value},{c.value}]",
    }.get(c.qualifier, "")


@needs_data
def test_recognizers_range_cases_in_scope():
    cases = [c for c in _cases("English_NumberRangeModel.json") if _in_scope(c)]
    assert len(cases) >= 20
    failures = []
    for case in cases:
        want = [(_norm(r["Text"]), r["Resolution"]["value"]) for r in case["Results"]]
        got = [(_norm(c.text), _interval(c)) for c in find_counts(case["Input"]) if c.qualifier not in ("exact", "approx", "vague")]
        if got != want:
            failures.append((case["Input"], want, got))
    assert not failures, failures
