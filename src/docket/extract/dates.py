"""Dates and periods in running text: "On April 2, 1993", "27 July 1993", "Since 2002", "in 1993".

Written by hand: dateparser parses a date string well but its search over running text neither returns
reliable offsets nor says whether a year stands alone ("in 1993": year precision) or opens a period
("Since 2002": ongoing); claims need both, and the grammar of dates in statements is small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

_PATTERNS = [
    ("day", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b")),
    ("day", re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR})\b")),
    ("day", re.compile(rf"\b(?P<y>{_YEAR})-(?P<mn>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")),
    ("day", re.compile(rf"\b(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<mn>0?[1-9]|1[0-2])\.(?P<y>{_YEAR})\b")),
    ("month", re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    ("year", re.compile(rf"(?<=\()(?P<y>{_YEAR})(?=\))")),
    ("year", re.compile(rf"\b(?:in|since|of|from|until|till|by|during|before|after|year|early|late|mid-?)\s+(?P<y>{_YEAR})\b", re.I)),
    ("year", re.compile(rf"^(?P<y>{_YEAR})\b")),
]
_SINCE = re.compile(r"\b(?:since|from)\s+$", re.I)
_RELATIVE = re.compile(r"\b(?:currently|at present|presently|until now|to this day|today|nowadays)\b", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    iso: str
    precision: str
    since: bool = False
    relative: bool = False


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def find_dates(text: str, document_date: str | None = None) -> list[DateMention]:
    """Dates in `text`, most precise first where two overlap; relative words resolve to `document_date`."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for precision, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            ys, ye = m.span("y")
            if any(s <= ys < e for s, e in taken):
                continue
            year = int(m.group("y"))
            if precision == "day":
                month = int(m.group("mn")) if "mn" in m.groupdict() and m.group("mn") else _month(m.group("m"))
                day = int(re.match(r"\d+", m.group("d")).group(0))
                iso = f"{year:04d}-{month:02d}-{day:02d}"
            elif precision == "month":
                iso = f"{year:04d}-{_month(m.group('m')):02d}"
            else:
                iso = f"{year:04d}"
            start = m.start() if precision != "year" else ys
            since = bool(_SINCE.search(text[max(0, start - 8):start])) or bool(
                re.match(r"(?i)since|from", m.group(0))
            )
            found.append(DateMention(start, m.end(), text[start:m.end()], iso, precision, since))
            taken.append((m.start(), m.end()))
    if document_date:
        for m in _RELATIVE.finditer(text):
            found.append(DateMention(m.start(), m.end(), m.group(0), document_date, "day", False, True))
    found.sort(key=lambda d: d.start)
    return found
