"""Relations between entities that a text states: ownership ("Base Metals CJSC, a wholly owned
subsidiary of Vallex Group CJSC") and membership ("Armenia, a member of the CSCE"). Like claims,
each is attributed to its source and anchored to its characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docket.extract.claims import _mentions
from docket.extract.text import sentences
from docket.gazetteer import curated_gazetteer
from docket.model import DocumentMeta
from docket.vocab import vocab

_MEMBER = re.compile(r"^,?\s*(?:which is\s+)?(?:a|an|one)\s+(?:founding\s+)?member(?:\s+state)?\s+of\s+(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class Relation:
    subject: str
    predicate: str  # subsidiary_of | member_of
    object: str
    span: tuple[int, int]
    text: str
    attributed_to: str | None


def extract_relations(text: str, meta: DocumentMeta | None = None) -> list[Relation]:
    meta = meta or DocumentMeta()
    v = vocab()
    gaz = curated_gazetteer()
    out: list[Relation] = []
    for sent in sentences(text):
        s = sent.text
        if not (v.company_suffix.search(s) or "member" in s):
            continue
        m = _mentions(s, v, gaz, meta.published, [])
        for a, b, child, parent in m.ownership:
            out.append(Relation(child, "subsidiary_of", parent, (sent.start + a, sent.start + b), s[a:b], meta.source))
        for (a1, b1, name1, _), (a2, b2, name2, _) in zip(m.actors, m.actors[1:], strict=False):
            if _MEMBER.match(s[b1:a2]):
                out.append(Relation(name1, "member_of", name2, (sent.start + a1, sent.start + b2), s[a1:b2], meta.source))
    return out
