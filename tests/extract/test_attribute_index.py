"""Docket applies the model's attribute rules by index: the same attributes as the model's own
attribute_ruler, token for token, and the ruler kept where the index cannot read a rule."""

import pytest
from spacy.pipeline import AttributeRuler

from docket.extract import nlp
from docket.extract.attribute_index import indexed
from tests.conftest import SHARED

# sentences written here, with the words the model's rules single out (pronouns, determiners,
# modals, "ai n't", "gon na", "y' all", auxiliaries, "that" as a relative, white space between)
WRITTEN = [
    "They said that she ain't going to sign anything, and we gonna wait for y'all.",
    "The convoy that was shelled near the bridge could have carried those supplies.",
    "Nothing was left of it;  somebody must have burned the school  itself.\n\nHe'd known.",
    "Whether or not the ceasefire holds, everyone who can leave is leaving.",
]


def _attrs(doc):
    return [(t.pos_, str(t.morph), t.lemma_, t.dep_, t.tag_) for t in doc]


def _compare(texts):
    pinned, reading = nlp.load_pinned(), nlp.load_model()
    ruler, index = pinned.get_pipe("attribute_ruler"), reading.get_pipe("attribute_index")
    tokens = 0
    for text in texts:
        doc = pinned.make_doc(text)
        for name in ("tok2vec", "tagger", "parser"):
            doc = pinned.get_pipe(name)(doc)
        assert _attrs(ruler(doc.copy())) == _attrs(index(doc.copy())), text[:80]
        tokens += len(doc)
    return tokens


def test_docket_reads_with_the_index_in_the_rulers_place():
    reading = nlp.load_model()
    assert "attribute_index" in reading.pipe_names and "attribute_ruler" not in reading.pipe_names
    assert reading.pipe_names.index("attribute_index") == nlp.load_pinned().pipe_names.index("attribute_ruler")


def test_the_index_sets_what_the_ruler_sets_on_sentences_written_here():
    assert _compare(WRITTEN) > 60
    # and the rules did change something: "ai" is lemmatised "be", "that" as a relative is a pronoun
    doc = nlp.load_model()(WRITTEN[0])
    assert next(t for t in doc if t.lower_ == "ai").lemma_ == "be"


@pytest.mark.skipif(not (SHARED / "dev" / "texts").is_dir(), reason="../shared/dev (the development texts) is not present")
def test_the_index_sets_what_the_ruler_sets_on_the_development_texts():
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "dev" / "texts").glob("*.txt"))]
    assert _compare(texts) > 5000


def test_a_rule_the_index_cannot_read_keeps_the_ruler():
    vocab = nlp.load_pinned().vocab
    ruler = AttributeRuler(vocab)
    ruler.add([[{"LOWER": "shelling", "OP": "+"}]], {"POS": "NOUN"})
    assert indexed(ruler) is None
    ruler = AttributeRuler(vocab)
    ruler.add([[{"LOWER": {"FUZZY": "shelling"}}]], {"POS": "NOUN"})
    assert indexed(ruler) is None
    ruler = AttributeRuler(vocab)
    ruler.add([[{"TAG": "NN", "LOWER": {"IN": ["shelling", "strike"]}}, {"LOWER": "of"}]], {"POS": "NOUN"}, index=0)
    assert indexed(ruler) is not None


def test_a_later_rule_overrides_an_earlier_one_as_in_the_ruler():
    vocab = nlp.load_pinned().vocab
    ruler = AttributeRuler(vocab)
    ruler.add([[{"LOWER": "strike"}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^str"}}]], {"POS": "NOUN"})
    ruler.add([[{"LOWER": "air"}, {"LOWER": "strike"}]], {"POS": "PROPN"}, index=-1)
    index = indexed(ruler)
    from spacy.tokens import Doc

    for words in (["the", "strike"], ["an", "air", "strike"], ["strike", "air"]):
        assert [t.pos_ for t in ruler(Doc(vocab, words=words))] == [t.pos_ for t in index(Doc(vocab, words=words))]
    assert [t.pos_ for t in index(Doc(vocab, words=["an", "air", "strike"]))][-1] == "PROPN"
