"""Metadata read off a document's opening lines: dateline, title, speaker, publisher, genre."""

from __future__ import annotations

import re

from docket.extract.dates import find_dates
from docket.extract.text import paragraphs
from docket.model import DocumentMeta
from docket.vocab import vocab

_GENRES = {
    "press release": "press_release",
    "statement": "statement",
    "resolution": "resolution",
    "report": "report",
    "news": "news",
}
_STATEMENT_BY = re.compile(
    r"\b(?:Statement|Comment|Remarks|Commentary|Briefing)\s+(?:by|of)\s+(?:the\s+)?"
    r"(?P<speaker>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3}),\s+(?P<role>[A-Z][\w ]*?)\s+of\s+(?:the\s+)?"
    r"(?P<org>(?:Ministry|Office|Department|Embassy|Mission|Government|Presidency|Administration)\s+of\s+[A-Z][\w ]+?"
    r"(?=\s+(?:on|about|regarding|concerning|in connection with)\b|[,.]|$))"
)
_BY_ORG = re.compile(r"^(?:Published by|Issued by|Source|Publisher):\s*(?P<org>.+)$", re.I | re.M)


def detect_metadata(text: str) -> DocumentMeta:
    """What the opening paragraphs say about the document; fields not found stay None."""
    paras = paragraphs(text)[:4]
    head = [text[s:e].strip() for s, e in paras]
    meta: dict = {}
    if not head:
        return DocumentMeta()
    first, _, rest = head[0].partition("\n")
    if rest.strip():
        # PDFs and plain text often have no blank line after the dateline: its first line stands alone
        head[0:1] = [first.strip(), rest.strip()]
    dateline = len(first.split()) <= 8 and find_dates(first)
    if dateline:
        d = next((d for d in dateline if d.precision == "day"), dateline[0])
        meta["published"] = d.iso
        low = first.lower()
        meta["genre"] = next((g for k, g in _GENRES.items() if k in low), None)
    title_at = 1 if dateline and len(head) > 1 else 0
    title = head[title_at] if head else None
    if title and "\n" not in title and len(title) <= 300:
        meta["title"] = title
    m = _STATEMENT_BY.search(" ".join(head[:3]))
    if m:
        meta["speaker"] = m.group("speaker")
        org = m.group("org").strip()
        if re.search(r"\bMinistry of Foreign Affairs$", org):
            # "Ministry of Foreign Affairs" of which state: the country the heading names
            countries = [c for c in vocab().actor_names.values() if c[1] == "country"]
            named = [c[0] for c in countries if c[0] in (title or "")]
            if len(named) == 1:
                org = f"{org} of {named[0]}"
        meta["publisher"] = org
    by = _BY_ORG.search("\n".join(head))
    if by and "publisher" not in meta:
        meta["publisher"] = by.group("org").strip()
    return DocumentMeta(**meta)
