"""Sentences and paragraphs of a document's text, with offsets into that text.

spaCy's blank English pipeline with its rule-based sentencizer does the splitting (nothing is
downloaded); paragraphs (blank lines) are split first, because a heading or a paragraph that lacks its
final full stop must not run into the next one.

Any text up to Docket's file limit is read in time linear in its length: spaCy sees pieces of a
bounded size with no overlong token, and no sentence is longer than `MAX_SENTENCE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import spacy

_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n+")

# The longest sentence the extractor reads whole. Its per-sentence work (clauses, comma windows,
# every trigger against every mention) grows with the square of a sentence's length, so a run-on
# "sentence" of 50 KB (a table flattened into one line, a text without full stops) took a minute.
# Real sentences stay far below it (the longest in the founding document and the development corpus
# is under 800 characters); a longer one is split at its last clause boundary before the cap.
MAX_SENTENCE = 3000
# The most characters handed to spaCy as one Doc: its `nlp.max_length` is 1,000,000, and a Doc's
# memory grows with its length, so a long paragraph is cut (at a line or sentence end) into pieces.
_CHUNK = 100_000
# spaCy's tokenizer strips prefixes and suffixes one at a time from a token, which is quadratic in
# the token's length: 10,000 "(" without a space took 12 s, 40,000 took five minutes. No word is
# this long (the corpus's longest is 30 characters), so a longer run of non-space characters is
# shown to spaCy with a space every `_MAX_TOKEN` characters (the text itself is not changed).
_MAX_TOKEN = 64
_LONG_TOKEN = re.compile(rf"(?<!\S)\S{{{_MAX_TOKEN + 1},}}")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@cache
def _nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _last_cut(text: str, lo: int, hi: int, separators: tuple[str, ...]) -> int:
    """The offset just after the last of `separators` in text[lo:hi], or -1 when there is none."""
    return max((i + len(sep) for sep in separators if (i := text.rfind(sep, lo, hi)) != -1), default=-1)


def _last_space(text: str, lo: int, hi: int) -> int:
    """The offset just after the last whitespace character in text[lo:hi], or -1."""
    last = -1
    for m in _SPACE.finditer(text, lo, hi):
        last = m.end()
    return last


def _pieces(text: str, start: int, end: int, size: int, boundaries: tuple[tuple[str, ...], ...]) -> Iterator[tuple[int, int]]:
    """text[start:end] in pieces of at most `size` characters, each cut after the last boundary of
    the first group that has one in the piece's second half (then at whitespace, then anywhere).
    Looking only in the second half keeps every piece at least half the size: linear in the text."""
    pos = start
    while end - pos > size:
        lo, hi = pos + size // 2, pos + size
        cut = -1
        for group in boundaries:
            cut = _last_cut(text, lo, hi, group)
            if cut != -1:
                break
        if cut == -1:
            cut = _last_space(text, lo, hi)
        if cut == -1:
            cut = hi
        yield pos, cut
        pos = cut
    yield pos, end


def _chunks(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """(paragraph index, start, end) of the pieces spaCy is given: each paragraph, cut if long."""
    for index, (start, end) in enumerate(spans):
        for a, b in _pieces(text, start, end, _CHUNK, (("\n",), (". ", "! ", "? "))):
            yield index, a, b


def _shown_to_spacy(piece: str) -> str:
    """`piece` with a space in every overlong token; the same length, so offsets carry over."""
    if not _LONG_TOKEN.search(piece):
        return piece

    def spaced(m: re.Match) -> str:
        run = list(m.group(0))
        run[_MAX_TOKEN::_MAX_TOKEN + 1] = " " * len(run[_MAX_TOKEN::_MAX_TOKEN + 1])
        return "".join(run)

    return _LONG_TOKEN.sub(spaced, piece)


# words a line that goes on in the next one may end with ("the forces of / Armenia")
_CONTINUES = frozenset("a an the of in on at by for from to with and or but nor as than that which who whose "
                       "its their his her our my your this these those said mr mrs ms dr".split())


def _hard_wrapped(paragraph: str) -> bool:
    """Whether a paragraph's line breaks are a layout's (prose wrapped at a width, as in a PDF's text
    or a plain-text e-mail) rather than ends of units: in wrapped prose most lines go on in the next
    (a lower-case word, a line ending with "of" or a comma); in a list of lines few do."""
    lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
    if len(lines) < 2:
        return False
    goes_on = sum(1 for before, after in zip(lines, lines[1:], strict=False) if _goes_on(before, after))
    return goes_on >= 0.4 * (len(lines) - 1)


def _goes_on(before: str, after: str) -> bool:
    last = before.rsplit(None, 1)[-1].lower()
    return after[:1].islower() or before[-1] in ",-–—(/&" or last in _CONTINUES


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence cut at its line breaks where a line is a unit of its own: a text without full stops
    (a list of incidents, one a line; a heading over a dateline) is otherwise read as one sentence.
    A line goes on in the next where it ends with a comma, a hyphen or a word like "of", or where the
    next line starts in lower case."""
    pos = start
    for m in re.finditer(r"[ \t]*\n\s*", text[start:end]):
        cut, nxt = start + m.start(), start + m.end()
        before = text[pos:cut].rstrip()
        after = text[nxt:end]
        if not before.strip() or not after.strip() or _goes_on(before, after):
            continue
        yield pos, cut
        pos = nxt
    yield pos, end


def _joined(doc) -> Iterator[tuple[int, int]]:
    """The sentencizer's sentences as character ranges, a sentence that ends with a comma joined to the
    next: a full stop before a comma ends an abbreviation, not a sentence ("gold, silver, etc., have
    been mined")."""
    pending = None
    for sent in doc.sents:
        a = pending if pending is not None else sent.start_char
        pending = None
        if sent.text.rstrip().endswith(","):
            pending = a
            continue
        yield a, sent.end_char
    if pending is not None:
        yield pending, len(doc.text)


def sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, whitespace trimmed, offsets into `text`, none over `MAX_SENTENCE`."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[Sentence]:
    """The sentences of `text` one at a time, as `sentences` lists them (a caller with a deadline
    can stop between two of them)."""
    chunks = list(_chunks(text, paragraphs(text)))
    # a small batch: the sentencizer gains nothing from large ones, and a batch of long pieces is a
    # batch of large Docs held at once
    docs = _nlp().pipe((_shown_to_spacy(text[a:b]) for _, a, b in chunks), batch_size=16)
    spans = paragraphs(text)
    wrapped = {}
    for (index, cstart, _), doc in zip(chunks, docs, strict=True):
        if index not in wrapped:
            wrapped[index] = _hard_wrapped(text[spans[index][0]:spans[index][1]])
        for start_char, end_char in _joined(doc):
            lines = [(cstart + start_char, cstart + end_char)]
            if not wrapped[index] and "\n" in doc.text[start_char:end_char]:
                lines = list(_lines(text, *lines[0]))
            for a, b in (piece for line in lines for piece in _pieces(
                    text, line[0], line[1], MAX_SENTENCE, ((";", ":"), (",",)))):
                raw = text[a:b]
                body = raw.strip()
                if not body:
                    continue
                start = a + len(raw) - len(raw.lstrip())
                yield Sentence(start, start + len(body), body, index)
