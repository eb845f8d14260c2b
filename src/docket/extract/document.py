"""One spaCy `Doc` for a whole document, read with the trained pipeline only where a claim can be.

The text is split into sentences cheaply (`text.iter_sentences`: paragraphs, spaCy's rule-based
sentencizer, bounded pieces). A sentence that holds a word a claim could start from (any inflection
of a trigger or reporting verb, `candidate`) is read by the trained pipeline: tagger, lemmatizer,
dependency parse, named entities. The others (page chrome, captions, navigation, most of a long
report) are kept as one untagged token each. The pieces are joined back into one Doc whose text is
the document's text character for character, so every span Docket's components find is an offset
into the text claims point into. Parsing only the candidate sentences is what keeps the whole of
extraction ahead of running the trained pipeline over the text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy
from spacy.tokens import Doc, Span

from docket.errors import DocketError
from docket.extract.nlp import load_model
from docket.extract.text import Sentence, iter_sentences

if not Doc.has_extension("docket"):
    Doc.set_extension("docket", default=None)

# a candidate sentence with a token this long is not read by the parser (a table flattened into one
# "word", a URL): spaCy's tokenizer is quadratic in a token's length, and no claim starts there
_LONG_TOKEN = re.compile(r"\S{65,}")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass
class DocumentContext:
    """What components share about the document being read: its sentences (with their offsets), which
    were parsed, and whatever the components leave for the ones after them (`notes`)."""

    sentences: list[Sentence]
    parsed: list[bool]
    starts: list[int]  # the first token of each sentence
    text: str = ""  # the document's text (Doc.text joins every token again at each call)
    notes: dict = field(default_factory=dict)

    def sentence_of(self, token_index: int) -> int:
        """The index of the sentence a token lies in."""
        import bisect

        return bisect.bisect_right(self.starts, token_index) - 1


def candidate_test(prefixes: Iterable[str], words: Iterable[str]) -> Callable[[str], bool]:
    """A cheap test whether a sentence may hold a claim: a word starting with one of `prefixes` (the
    stems of trigger lemmas, which every regular inflection starts with: "destroy" for destroyed and
    destroying, "seiz" for seized) or equal to one of `words` (irregular forms: "fled", "shot", "held").
    It may say yes too often (the parse decides); it must never say no to a sentence with a trigger."""
    by_head: dict[str, set[str]] = {}
    for p in {p.lower() for p in prefixes}:
        by_head.setdefault(p[:3], set()).add(p)
    exact = {w.lower() for w in words}

    def test(sentence: str) -> bool:
        for m in _WORD.finditer(sentence):
            w = m.group(0).lower()
            if w in exact:
                return True
            for p in by_head.get(w[:3], ()):
                if w.startswith(p):
                    return True
        return False

    return test


def read(text: str, is_candidate: Callable[[str], bool], deadline: float | None = None,
         batch_size: int = 64) -> Doc:
    """The document as one Doc (see the module's docstring); `doc._.docket` is its DocumentContext."""
    model = load_model()
    sentences: list[Sentence] = []
    for s in iter_sentences(text):
        if deadline is not None and time.monotonic() > deadline:
            raise DocketError("reading the sentences took longer than the extraction budget")
        sentences.append(s)
    # contiguous pieces: each sentence, the white space after it (a piece of its own, never parsed, so
    # that no entity or span runs into it), and what comes before the first sentence
    pieces: list[tuple[int, int, bool]] = []  # start, end, parsed
    firsts: list[int] = []  # the piece each sentence starts
    parsed = []
    pos = 0
    for s in sentences:
        if s.start > pos:
            pieces.append((pos, s.start, False))
        wanted = is_candidate(s.text) and not _LONG_TOKEN.search(s.text)
        parsed.append(wanted)
        firsts.append(len(pieces))
        pieces.append((s.start, s.end, wanted))
        pos = s.end
    if pos < len(text):
        pieces.append((pos, len(text), False))
    todo = [text[a:b] for a, b, wanted in pieces if wanted]
    read_docs = iter(model.pipe(todo, batch_size=batch_size)) if todo else iter(())
    docs = []
    first_set = set(firsts)
    for k, (a, b, wanted) in enumerate(pieces):
        if wanted:
            if deadline is not None and time.monotonic() > deadline:
                raise DocketError("parsing took longer than the extraction budget")
            d = next(read_docs)
            d.tensor = numpy.zeros((len(d), 0), dtype="float32")  # the pieces must agree to be joined
        else:
            d = Doc(model.vocab, words=[text[a:b]], spaces=[False])
            # an unparsed sentence starts a sentence; white space between two goes with the one before
            d[0].is_sent_start = k in first_set or k == 0
        docs.append(d)
    doc = Doc.from_docs(docs, ensure_whitespace=False) if docs else Doc(model.vocab, words=[])
    token_starts, pos = [], 0
    for d in docs:
        token_starts.append(pos)
        pos += len(d)
    starts = [token_starts[k] for k in firsts]
    doc._.docket = DocumentContext(sentences, parsed, starts, text)
    return doc


def sentence_span(doc: Doc, index: int) -> Span:
    """The tokens of sentence `index` (with the white space after it)."""
    ctx: DocumentContext = doc._.docket
    end = ctx.starts[index + 1] if index + 1 < len(ctx.starts) else len(doc)
    return doc[ctx.starts[index] : end]
