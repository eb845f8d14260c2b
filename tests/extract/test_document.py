"""A document is read as one Doc in one pass of the model: its sentences are the ones Docket split
(the parser and the entity recognizer keep to them), its text is the document's character for
character, and only the sentences that may hold a claim get the model's tokens."""

from docket.extract.document import candidate_test, read, sentence_span

TEXT = ("Home | News | Contact\n\n"
        "Militia fighters shelled Stepanakert on Monday; residents said two people were killed. "
        "The weather was mild. Police in Tbilisi detained Nino Beridze and Giorgi Kapanadze, "
        "and the Interior Ministry said they would be charged.\n\n"
        "Detained in Gori: 12 people\nKilled in the shelling of Avdiivka: 3 people\nWounded: 7")


def test_the_sentences_are_dockets_and_the_text_is_kept():
    test = candidate_test(["shell", "kill", "detain", "charg"], [])
    doc = read(TEXT, test)
    ctx = doc._.docket
    assert doc.text == TEXT
    assert [s.text for s in ctx.sentences][1:3] == [
        "Militia fighters shelled Stepanakert on Monday; residents said two people were killed.", "The weather was mild."]
    for i, parsed in enumerate(ctx.parsed):
        span = sentence_span(doc, i)
        assert span.text.strip() == ctx.sentences[i].text
        if parsed:
            # the parse keeps to the sentence: one root, every head inside it, no entity across its edges
            tokens = [t for t in span if not t.is_space]
            assert sum(t.dep_ == "ROOT" for t in tokens) == 1, span.text
            assert all(span.start <= t.head.i < span.end for t in tokens)
            assert all(span.start <= e.start and e.end <= span.end for e in doc.ents if e.start < span.end and e.end > span.start)
    # the list's lines are three sentences, which the parser alone would read as one
    assert [s.text for s in ctx.sentences][4:] == ["Detained in Gori: 12 people", "Killed in the shelling of Avdiivka: 3 people",
                                                   "Wounded: 7"]
    assert ctx.parsed == [False, True, False, True, True, True, False]
    # a sentence no claim can start from is one token (with the white space after it), the page chrome too
    assert len(sentence_span(doc, 2)) <= 2 and len(sentence_span(doc, 0)) <= 2
    assert {e.text for e in doc.ents} >= {"Stepanakert", "Monday", "Tbilisi", "Giorgi Kapanadze", "the Interior Ministry"}


def test_the_parser_never_splits_a_sentence_docket_made(monkeypatch):
    # two sentences that Docket's splitter is made to give as one: the parse must keep them one tree
    import docket.extract.document as document
    from docket.extract.text import Sentence

    text = "Police detained twelve protesters. Soldiers shelled the town."
    monkeypatch.setattr(document, "iter_sentences", lambda t: iter([Sentence(0, len(t), t, 0)]))
    doc = read(text, lambda s: True)
    assert sum(t.dep_ == "ROOT" for t in doc) == 1
    assert len(list(doc.sents)) == 1
