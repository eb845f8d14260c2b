"""One spaCy `Doc` for a whole document, read by the trained pipeline in one pass.

The text is split into sentences cheaply (`text.iter_sentences`: paragraphs, spaCy's rule-based
sentencizer, bounded pieces). A sentence that holds a word a claim could start from (any inflection
of a trigger or reporting verb, `candidate`) gets the model's tokens; the others (page chrome,
captions, navigation, much of a long report) are one token each, which the model passes over in
a step, and which no component of Docket's looks into (`DocumentContext.parsed`). The pieces are
joined into one Doc whose text is the document's text character for character, so every span
Docket's components find is an offset into the text claims point into. Docket's sentence
boundaries are set on it before the model runs, and the parser and the entity recognizer keep to
them: one pass over the document (the model's per-Doc overhead paid once, not per sentence) reads
each sentence as its own tree.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from docket.errors import DocketError
from docket.extract.nlp import load_model
from docket.extract.text import Sentence, iter_sentences

if not Doc.has_extension("docket"):
    Doc.set_extension("docket", default=None)

# a candidate sentence with a token this long is not read by the parser (a table flattened into one
# "word", a URL): spaCy's tokenizer is quadratic in a token's length, and no claim starts there
_LONG_TOKEN = re.compile(r"\S{65,}")
CHUNK_TOKENS = 5000  # the model reads a document in parts of about this many tokens (see `read`)
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


def read(text: str, is_candidate: Callable[[str], bool], deadline: float | None = None) -> Doc:
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
    docs = []
    for a, b, wanted in pieces:
        if deadline is not None and time.monotonic() > deadline:
            raise DocketError("tokenizing took longer than the extraction budget")
        # a candidate sentence gets the model's tokens; anything else is one token, never looked into
        docs.append(model.make_doc(text[a:b]) if wanted else Doc(model.vocab, words=[text[a:b]], spaces=[False]))
    token_starts, pos = [], 0
    for d in docs:
        token_starts.append(pos)
        pos += len(d)
    starts = [token_starts[k] for k in firsts]
    # the model reads the document in parts of about CHUNK_TOKENS tokens, each cut where a sentence
    # starts: few enough that its per-Doc overhead is paid a few times per document, not once per
    # sentence; small enough that the budget is checked every second or so in a very long text
    first_set = set(firsts)
    chunks: list[list[int]] = []  # the pieces of each part
    size = CHUNK_TOKENS
    for k, d in enumerate(docs):
        if size >= CHUNK_TOKENS and (k in first_set or not chunks):
            chunks.append([])
            size = 0
        chunks[-1].append(k)
        size += len(d)
    read_chunks = []
    for part in chunks:
        chunk = Doc.from_docs([docs[k] for k in part], ensure_whitespace=False)
        offset = token_starts[part[0]]
        _mark_sentences(chunk, [token_starts[k] - offset for k in part if k in first_set])
        for _name, proc in model.pipeline:
            if deadline is not None and time.monotonic() > deadline:
                raise DocketError("parsing took longer than the extraction budget")
            chunk = proc(chunk)
        chunk.tensor = numpy.zeros((len(chunk), 0), dtype="float32")  # the parts must agree to be joined
        read_chunks.append(chunk)
    doc = Doc.from_docs(read_chunks, ensure_whitespace=False) if read_chunks else Doc(model.vocab, words=[])
    doc._.docket = DocumentContext(sentences, parsed, starts, text)
    return doc


def _mark_sentences(doc: Doc, starts: list[int]) -> None:
    """Docket's sentences on a Doc about to be parsed: the parser and the entity recognizer keep to
    boundaries set before them (a start where a sentence starts, "not a start" everywhere else). Set
    as one array: the Token.is_sent_start setter looks over the whole Doc at each call, which made a
    long document quadratic."""
    if not len(doc):
        return
    marks = numpy.full((len(doc), 1), -1, dtype="int64")
    marks[[*starts, 0], 0] = 1
    doc.from_array([SENT_START], marks.astype("uint64"))  # spaCy's arrays are uint64, -1 wrapped as in to_array


def sentence_span(doc: Doc, index: int) -> Span:
    """The tokens of sentence `index` (with the white space after it)."""
    ctx: DocumentContext = doc._.docket
    end = ctx.starts[index + 1] if index + 1 < len(ctx.starts) else len(doc)
    return doc[ctx.starts[index] : end]
