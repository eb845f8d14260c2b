"""Sentences and paragraphs of a document's text, with offsets into that text.

spaCy's blank English pipeline with its rule-based sentencizer does the splitting (nothing is
downloaded); paragraphs (blank lines) are split first, because a heading or a paragraph that lacks its
final full stop must not run into the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import spacy

_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n+")


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


def sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, whitespace trimmed, offsets into `text`."""
    spans = paragraphs(text)
    out: list[Sentence] = []
    docs = _nlp().pipe(text[s:e] for s, e in spans)
    for index, ((pstart, _), doc) in enumerate(zip(spans, docs, strict=True)):
        for sent in doc.sents:
            raw = sent.text
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            if not body:
                continue
            start = pstart + sent.start_char + lead
            out.append(Sentence(start, start + len(body), body, index))
    return out
