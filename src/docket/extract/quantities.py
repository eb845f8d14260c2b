"""Counts in running text, with their qualifier: "around 60.000", "more than 110", "dozens of", "nine".

Written by hand because no maintained library reads counts the way claims need them: quantulum3 and
Recognizers-Text give a number (and a unit) but drop the hedge ("around", "more than", "dozens of") that
decides whether two sources contradict each other, and both read "60.000" as sixty. Here a dot or comma
followed by exactly three digits is a thousands separator, as in the founding document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# The largest count a claim can hold. Counts of people, buildings or goods stay far below it (the
# world's population is under 10**10); a figure above it is a serial number, a digit run or garbage,
# and storing it would overflow SQLite's 64-bit integers once summed over claims (10**12 summed over
# a million claims is still below 2**63). Numbers above it are dropped, not stored.
MAX_COUNT = 10**12
# digits a number token may have before it cannot be a count at all: it is skipped unread, so that
# a run of hundreds of digits is never turned into a huge integer (nor into a float that overflows)
_MAX_DIGITS = len(str(MAX_COUNT))

UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
VAGUE = {  # the smallest number each phrase admits (DESIGN.md: "dozens" admits 24)
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2_000_000,
    "tens of thousands": 20_000, "hundreds of thousands": 200_000, "several": 3, "a few": 2,
    "several hundred": 300, "several thousand": 3000, "a dozen or so": 12,
}

_WORD = "|".join(sorted([*UNITS, *TENS, "hundred", *SCALES, "dozen", "dozens"], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:(?P<sep>[.,\u202f\u00a0 ])\d{3})(?:(?P=sep)\d{3})*(?![.,]?\d)|\d+(?:\.\d+)?"
# one number: digits or number words, joined by spaces, hyphens and "and"
_NUM_TOKEN = re.compile(rf"(?:{_DIGITS})|\b(?:{_WORD})\b", re.I)
_JOINER = re.compile(r"(?:\s*-\s*|\s+and\s+|\s+|,\s*(?=and\b))", re.I)

_APPROX = r"around|about|approximately|roughly|some|nearly|almost|circa|ca\.|an estimated|estimated|close to|as many as"
_MORE = r"more than|over|above|in excess of|upwards of|exceeding|exceeds?|surpass(?:es|ing)?|greater than|larger than|bigger than|higher than"
_AT_LEAST = r"at least(?: or equal to)?|no less than|not less than|no fewer than|not fewer than|a minimum of|equal to or (?:more|greater) than|(?:bigger|greater|higher|larger) or equal than"
_LESS = r"less than|fewer than|under|below|lower than|smaller than"
_AT_MOST = r"at most|up to|no more than|not more than|a maximum of|less than or equal to|(?:smaller|lower|less) or equal than|equal to or (?:less|fewer) than"
_EXACT = r"equal to|equals(?: to)?|equaling to|exactly|precisely"

_PREFIX = re.compile(
    rf"\b(?P<q>{_AT_LEAST}|{_AT_MOST}|{_APPROX}|{_MORE}|{_LESS}|{_EXACT})\s+$", re.I
)
_SUFFIX = re.compile(
    r"\s+(?:(?P<ge>or more|and more|or greater(?: than)?|or above|or over|and above)|(?P<le>or less|or fewer|or below|or under)|(?P<eq>or equal(?: to)?))\b(?!\s+(?:than\s+)?\d)",
    re.I,
)
_VAGUE_RE = re.compile(
    r"\b(?P<p>tens of thousands|hundreds of thousands|several hundred|several thousand|a dozen or so)\b"
    r"|\b(?P<w>dozens|scores|hundreds|thousands|millions)(?=\s+of\b)"
    r"|\b(?P<s>several|a few)(?=\s+[a-z])",
    re.I,
)
_PRONOUN_ONE = re.compile(r"\b(?:the|this|that|which|each|every|any|no|another|one)\s+$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|~|to|through|and)\s*", re.I)


@dataclass(frozen=True, slots=True)
class Count:
    start: int
    end: int
    text: str
    value: int | None
    qualifier: str = "exact"
    low: int | None = None
    high: int | None = None


@dataclass(slots=True)
class _Num:
    start: int
    end: int
    # exact arithmetic: an int, or a Fraction for decimals ("2.5 million" is 2500000, not a float
    # that rounds large figures and overflows on long digit runs)
    value: int | Fraction


def _digits_value(tok: str) -> int | Fraction | None:
    m = re.fullmatch(r"(\d{1,3})((?P<sep>[.,\u202f\u00a0 ])\d{3})((?P=sep)\d{3})*", tok)
    if m and len(tok) > 4:
        digits = re.sub(r"\D", "", tok)
        return int(digits) if len(digits) <= _MAX_DIGITS else None
    if re.fullmatch(r"\d+", tok):
        return int(tok) if len(tok) <= _MAX_DIGITS else None
    whole, dot, part = tok.partition(".")
    if dot and whole.isdigit() and part.isdigit() and len(whole) <= _MAX_DIGITS and len(part) <= _MAX_DIGITS:
        return Fraction(tok)
    return None


def _fits(*values: int | None) -> bool:
    """Whether every given figure is one a claim can hold (None: the figure is not given)."""
    return all(v is None or 0 <= v <= MAX_COUNT for v in values)


def _numbers(text: str) -> list[_Num]:
    """Maximal runs of number tokens that form one number ("one hundred and sixty-one", "4 thousand 3 hundred")."""
    out: list[_Num] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _NUM_TOKEN.search(text, pos)
        if not m:
            break
        start = m.start()
        # digits glued to letters ("Mi-24" stays a number; "10k", "3rd", "A4" do not)
        if m.group(0)[0].isdigit():
            if start > 0 and (text[start - 1].isalpha() and text[start - 1] not in "-") :
                pos = m.end()
                continue
            if m.end() < n and (text[m.end()].isalpha() or text[m.end()] == "/" and m.end() + 1 < n and text[m.end() + 1].isdigit()):
                pos = m.end()
                while pos < n and (text[pos].isalnum() or text[pos] in "/.^"):
                    pos += 1
                continue
        value = _parse_run(text, m)
        if value is None:
            pos = m.end()
            continue
        num, end = value
        out.append(_Num(start, end, num))
        pos = end
    return out


def _parse_run(text: str, first: re.Match) -> tuple[int | Fraction, int] | None:
    """Read one number starting at `first`; return its value and end offset."""
    total: int | Fraction = 0
    current: int | Fraction = 0
    end = first.end()
    last_kind = None  # unit | ten | teen | hundred | scale | digits
    m = first
    consumed_any = False
    snapshots: list[tuple[int, int | Fraction, int | Fraction, str | None]] = []
    while True:
        tok = m.group(0).lower()
        before_tok = (end, total, current, last_kind)
        kind: str
        if tok[0].isdigit():
            v = _digits_value(tok)
            if v is None:
                break
            if last_kind not in (None, "hundred", "scale"):
                break
            if last_kind == "hundred" and v >= 100 or v == 0 and last_kind is not None:
                break
            current += v
            kind = "digits"
        elif tok in UNITS:
            v = UNITS[tok]
            if last_kind in ("unit", "teen", "digits") or (v == 0 and last_kind is not None):
                break
            if last_kind == "ten" and (v >= 10 or v == 0):
                break
            current += v
            kind = "unit" if v < 10 else "teen"
        elif tok in TENS:
            if last_kind in ("unit", "teen", "ten", "digits") :
                break
            current += TENS[tok]
            kind = "ten"
        elif tok == "hundred":
            if last_kind == "hundred":
                break
            if current >= 100 and len(snapshots) > 1:
                # "3 hundred and 2 hundred" is two numbers: give back the "2"
                if last_kind in ("digits", "unit", "teen", "ten"):
                    end, total, current, last_kind = snapshots[-1]
                break
            current = (current or 1) * 100
            kind = "hundred"
        elif tok in SCALES:
            scale = SCALES[tok]
            if last_kind == "scale" and current == 0:
                break
            if total and total < scale:
                # "one million two thousand": scales descend; "hundred thousand" multiplies
                pass
            total += (current or 1) * scale
            current = 0
            kind = "scale"
        elif tok in ("dozen", "dozens"):
            if last_kind in (None,):
                return None
            current = (current or 1) * 12
            kind = "scale"
        else:
            break
        consumed_any = True
        snapshots.append(before_tok)
        end = m.end()
        last_kind = kind
        # what may follow: a joiner and another number token
        j = _JOINER.match(text, end)
        if not j:
            break
        nxt = _NUM_TOKEN.match(text, j.end())
        if not nxt:
            break
        joiner = j.group(0)
        if "and" in joiner.lower() and last_kind not in ("hundred", "scale"):
            break
        if "-" in joiner and last_kind != "ten":
            break
        if nxt.group(0)[0].isdigit() and last_kind not in ("hundred", "scale"):
            break
        m = nxt
    if not consumed_any:
        return None
    value = total + current
    first_tok = first.group(0).lower()
    if first_tok in ("dozen", "dozens"):
        return None
    return value, end


def find_counts(text: str) -> list[Count]:
    """Every count in `text` with its qualifier, left to right, non-overlapping."""
    counts: list[Count] = []
    nums = _numbers(text)
    # "a dozen", "a hundred", "a thousand", "half a dozen"
    for m in re.finditer(r"\b(?:(half)\s+)?an?\s+(dozen|hundred|thousand|million|billion)\b", text, re.I):
        if any(n.start <= m.start(2) < n.end for n in nums if n.start < m.start(2)):
            continue
        scale = 12 if m.group(2).lower() == "dozen" else 100 if m.group(2).lower() == "hundred" else SCALES[m.group(2).lower()]
        # let a following "and five hundred" continue the number
        existing = next((n for n in nums if n.start == m.start(2)), None)
        end = existing.end if existing else m.end()
        value = existing.value if existing else scale
        if m.group(1):
            value = Fraction(value, 2)
        nums = [n for n in nums if not (m.start() <= n.start < end)]
        nums.append(_Num(m.start(), end, value))
    nums.sort(key=lambda n: n.start)

    i = 0
    used_until = -1
    while i < len(nums):
        num = nums[i]
        if num.start < used_until:
            i += 1
            continue
        raw = text[num.start:num.end]
        if raw.lower() == "one" and _PRONOUN_ONE.search(text[max(0, num.start - 12):num.start]):
            i += 1
            continue
        if num.value != int(num.value):
            i += 1
            continue
        start, end, value = num.start, num.end, int(num.value)
        qualifier = "exact"
        low = high = None
        # range: "between 20 and 30", "from 1000 to 1500", "1000-5000"
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        joined = _RANGE_JOIN.fullmatch(text[end:nxt.start]) if nxt else None
        before = text[max(0, start - 40):start]
        if nxt and joined and nxt.value == int(nxt.value) and not re.fullmatch(r"\d{4}-\d{2}", text[start:nxt.end]):
            word = joined.group(0).strip().lower()
            opener = re.search(r"\b(between|from)\s+$", before, re.I)
            if (word == "and" and opener and opener.group(1).lower() == "between") or (
                word in ("to", "through") and (opener is None or opener.group(1).lower() == "from")
            ) or word in ("-", "–", "—", "~") and raw[0].isdigit() and text[nxt.start].isdigit():
                if opener and (word != "and" or opener.group(1).lower() == "between"):
                    start = opener.start() + max(0, start - 40)
                low, high = value, int(nxt.value)
                if _fits(low, high):
                    counts.append(Count(start, nxt.end, text[start:nxt.end], None, "range", low, high))
                used_until = nxt.end
                i += 2
                continue
        pm = _PREFIX.search(before)
        if pm:
            q = pm.group("q").lower()
            start = start - (len(before) - pm.start("q"))
            if re.fullmatch(_AT_LEAST, q, re.I):
                qualifier = "at_least"
            elif re.fullmatch(_AT_MOST, q, re.I):
                qualifier = "at_most"
            elif re.fullmatch(_APPROX, q, re.I):
                qualifier = "approx"
            elif re.fullmatch(_MORE, q, re.I):
                qualifier = "more_than"
            elif re.fullmatch(_LESS, q, re.I):
                qualifier = "less_than"
            else:
                qualifier = "exact"
        sm = _SUFFIX.match(text, end)
        if sm and (sm.group("ge") or sm.group("le")):
            start = num.start  # "about five hundred or more": the suffix is the hedge that counts
        if sm:
            if sm.group("ge"):
                qualifier = "at_least"
            elif sm.group("le"):
                qualifier = "at_most"
            elif sm.group("eq") and qualifier == "more_than":
                qualifier = "at_least"
            elif sm.group("eq") and qualifier == "less_than":
                qualifier = "at_most"
            end = sm.end()
        if _fits(value):
            counts.append(Count(start, end, text[start:end], value, qualifier, None, None))
        used_until = end
        i += 1

    for m in _VAGUE_RE.finditer(text):
        phrase = (m.group("p") or m.group("w") or m.group("s")).lower()
        if any(c.start <= m.start() < c.end or m.start() <= c.start < m.end() for c in counts):
            # "several hundred" is read here, not as "hundred"
            if not m.group("p"):
                continue
            counts = [c for c in counts if not (m.start() <= c.start < m.end())]
        counts.append(Count(m.start(), m.end(), m.group(0), None, "vague", VAGUE[phrase], None))
    counts.sort(key=lambda c: c.start)
    return counts
