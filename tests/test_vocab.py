import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from docket.vocab import TriggerIndex, first_letters, vocab
from tests.conftest import PRESS_RELEASE, SHARED
from tests.kind_sentences import NEGATIVE, POSITIVE


@pytest.mark.parametrize(
    "pattern, letters",
    [
        ("occupied", {"o"}),
        ("(?:re)?captured", {"r", "c"}),
        ("(?:are|were|remain|remained) missing", {"a", "w", "r"}),
        ("(?:continues to |continued to )?disregard(?:s|ed|ing)?", {"c", "d"}),
        ("non-?compliance", {"n"}),
        ("s?ettled", {"s", "e"}),
        ("[Ss]ettled", {"s"}),
        ("(?<!Human Rights )Security Council", {"s"}),
        ("(?:the )?(?:Armenian armed forces)", {"t", "a"}),
    ],
)
def test_first_letters(pattern, letters):
    assert first_letters(pattern) == letters


def test_first_letters_keeps_case_when_asked():
    assert first_letters("(?:the )?(?:Armenian|armed forces)", fold=False) == {"t", "A", "a"}


@pytest.mark.parametrize("pattern", [r"\w+ed", "[A-Z]ettled", "(?:re|\\d)mark", "e{0,2}d"])
def test_first_letters_abstains_where_it_cannot_tell(pattern):
    assert first_letters(pattern) is None


def _texts() -> list[str]:
    texts = [s for group in (POSITIVE, NEGATIVE) for sents in group.values() for s in sents]
    examples = resources.files("docket").joinpath("examples")
    texts += [f.read_text(encoding="utf-8") for f in examples.iterdir() if f.name.endswith(".txt")]
    if PRESS_RELEASE.exists():
        texts.append(PRESS_RELEASE.read_text(encoding="utf-8"))
    lgl = SHARED / "data" / "geoparsing" / "LGL.xml"
    if lgl.exists():  # development corpus: plenty of unrelated English news text
        texts += [t.text for t in ET.parse(lgl).getroot().iter("text") if t.text][:300]
    return texts


def _spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.lastgroup) for m in matches]


@pytest.mark.parametrize("name", ["trigger", "actors"])
def test_index_finds_what_the_whole_alternation_finds(name):
    index = getattr(vocab(), name)
    assert not index.always
    found = 0
    for text in _texts():
        ours = _spans(index.finditer(text))
        assert ours == _spans(index.whole.finditer(text)), text[:200]
        found += len(ours)
    assert found >= 10  # the comparison saw real matches, not only empty lists


def test_trigger_index_falls_back_to_the_whole_alternation():
    index = TriggerIndex([("k_a__verb", ["burned", r"\w+ed"])])
    assert index.always
    assert _spans(index.finditer("they burned it and walked")) == [(5, 11, "k_a__verb"), (19, 25, "k_a__verb")]
