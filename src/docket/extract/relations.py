"""Relations between entities that a text states: ownership ("Base Metals CJSC, a wholly owned
subsidiary of Vallex Group CJSC") and membership ("Armenia, a member of the CSCE"). Like claims,
each is attributed to its source and anchored to its characters. They are read from each sentence's
mentions of actors and companies (`extract.claims`'s; the structural extractor calls `stated_relations`
for the sentences that can state one)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MEMBER = re.compile(r"^,?\s*(?:which is\s+)?(?:a|an|one)\s+(?:founding\s+)?member(?:\s+state)?\s+of\s+(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class Relation:
    subject: str
    predicate: str  # subsidiary_of | member_of
    object: str
    span: tuple[int, int]
    text: str
    attributed_to: str | None


def relations_in(s: str, start: int, ownership, actors, source: str | None) -> list[Relation]:
    """The relations one sentence states, from its mentions (offsets made document offsets)."""
    out = [Relation(child, "subsidiary_of", parent, (start + a, start + b), s[a:b], source)
           for a, b, child, parent in ownership]
    if "member" not in s:  # the extractor's hot path: most sentences state no membership
        return out
    for (a1, b1, name1, _), (a2, b2, name2, _) in zip(actors, actors[1:], strict=False):
        if _MEMBER.match(s[b1:a2]):
            out.append(Relation(name1, "member_of", name2, (start + a1, start + b2), s[a1:b2], source))
    return out


def stated_relations(sentences, meta, gaz) -> list[Relation]:
    """The relations a document's sentences state (`text.Sentence`s), attributed to its source. Only a
    sentence that speaks of a member or holds a subsidiary phrase is read for them: most state none."""
    from docket.extract.claims import _mentions
    from docket.vocab import vocab

    v = vocab()
    out: list[Relation] = []
    for sent in sentences:
        if "member" not in sent.text and not v.subsidiary.search(sent.text):
            continue
        m = _mentions(sent.text, v, gaz, meta.published, [])
        out += relations_in(sent.text, sent.start, m.ownership, m.actors, meta.source)
    return out
