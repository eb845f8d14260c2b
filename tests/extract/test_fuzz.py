"""The extractor fed random and adversarial text: it raises nothing but DocketError, every claim points
at its own characters, and every figure is one a claim can hold.

Hypothesis builds the texts from fragments that have broken extractors before: random unicode, long
tokens, digit runs of up to 400 digits, punctuation storms, unbalanced quotes, text without full
stops, runs of newlines, right-to-left and combining characters, and pieces of the founding
document's vocabulary so that triggers, counts, dates, places and instruments meet the debris.
Derandomized, so CI runs the same examples every time; DOCKET_FUZZ_EXAMPLES runs more locally.
"""

import os
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.errors import DocketError
from docket.extract.claims import extract
from docket.extract.quantities import MAX_COUNT
from docket.model import DocumentMeta

META = DocumentMeta(publisher="Example Ministry", published="2018-04-02")
EXAMPLES = int(os.environ.get("DOCKET_FUZZ_EXAMPLES", "300"))

VOCABULARY = [
    "killed", "occupied", "villages", "resolution 822 (1993)", "resolutions 822, 853, 874 and 884", "Kalbajar",
    "Kelbajar", "Kəlbəcər", "Karvachar", "Lachin", "Agdam", "Armenia", "Azerbaijan", "the armed forces of Armenia",
    "more than", "around", "at least", "dozens of", "hundreds of", "several", "between 20 and", "from 1000 to",
    "2 April 1993", "April 2, 1993", "since 2002", "currently", "in 1993", "destroyed", "were razed", "burned down",
    "plundered", "the occupation of", "after the seizure of", "during the offensive", "shelled", "Mi-24 gunships",
    "civilians", "hostage", "missing", "expelled", "displaced persons", "settlers", "transfers",
    "the Security Council", "demands", "the immediate withdrawal of", "calls for", "continues to disregard",
    "the Minsk Group", "timetable of urgent steps", "emphasized that", "according to", "Mr. Mario Raffaelli",
    "Base Metals CJSC", ", a wholly owned subsidiary of", "Vallex Group CJSC", "Gyzylbulag mine", "that mine",
    "gold", "imported", "the Vardenis-Aghdara highway", "Ganjasar and Khudavank cloisters", "libraries", "schools",
    "one museum", "60.000", "70,000", "511", "nine", "one hundred and sixty-one", "half a dozen", "2.5 million",
    "not", "may", "was", "were", "by", "of", "and", "which", "that", ",", ";", ":", ".", "—", "(", ")",
]

_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’«»-–—…/\\|*#%&@^~`_=+<>"
_RTL_AND_COMBINING = "\u05d0\u05d1\u05d2\u0627\u0644\u0628\u202e\u202b\u202c\u200f\u200e\u0301\u0308\u0327\u20dd\u200d\u034f"

fragment = st.one_of(
    st.sampled_from(VOCABULARY),
    st.sampled_from(VOCABULARY),
    st.text(max_size=40),  # any unicode at all
    st.integers(1, 400).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
    st.integers(1, 400).map(lambda n: "9" * n),
    st.text(alphabet="0123456789.,\u00a0\u202f ", min_size=1, max_size=60),  # separators among digits
    st.text(alphabet=_PUNCTUATION, min_size=1, max_size=300),
    st.sampled_from(['"', "“", "”", "'", "‘", "’", "«", "»", "(", ")"]),
    st.integers(1, 30).map(lambda n: "\n" * n),
    st.text(alphabet=_RTL_AND_COMBINING + "abc ", min_size=1, max_size=60),
    st.integers(65, 3000).map(lambda n: "x" * n),  # a token longer than any word
    st.integers(1, 160).map(lambda n: "killed 40 civilians, " * n),  # a run-on sentence
)
separator = st.sampled_from([" ", " ", " ", "", ", ", ". ", "; ", "\n", "\n\n", "\t", "\u00a0"])
texts = st.lists(st.tuples(fragment, separator), max_size=30).map(lambda parts: "".join(f + s for f, s in parts))
# the vocabulary alone, densely: triggers, counts, places and instruments in every order
wordy = st.lists(st.tuples(st.sampled_from(VOCABULARY), separator), min_size=5, max_size=80).map(
    lambda parts: "".join(f + s for f, s in parts)
)


def _example_documents() -> list[str]:
    folder = resources.files("docket").joinpath("examples")
    return [f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".txt")]


# a real document with debris spliced in at some offset
spliced = st.tuples(st.sampled_from(_example_documents()), st.floats(0, 1), texts).map(
    lambda t: t[0][: int(len(t[0]) * t[1])] + t[2] + t[0][int(len(t[0]) * t[1]) :]
)


def _check(text: str) -> None:
    try:
        claims, relations = extract(text, META, budget=60)
    except DocketError as e:
        # a DocketError that wraps another exception is a bug of the extractor, reported politely
        assert e.__cause__ is None, f"{e} (cause: {e.__cause__!r})"
        return
    for c in claims:
        assert 0 <= c.span[0] <= c.span[1] <= len(text), c
        assert text[c.span[0] : c.span[1]] == c.text, c
        if c.quantity is not None:
            for figure in (c.quantity.value, c.quantity.low, c.quantity.high):
                assert figure is None or (type(figure) is int and 0 <= figure <= MAX_COUNT), c.quantity
    for r in relations:
        assert text[r.span[0] : r.span[1]] == r.text, r


FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(texts)
def test_random_and_adversarial_text(text):
    _check(text)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(spliced)
def test_a_real_document_with_debris_spliced_in(text):
    _check(text)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
@given(wordy)
def test_the_founding_vocabulary_in_any_order(text):
    _check(text)
