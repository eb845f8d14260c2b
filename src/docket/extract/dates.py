"""Dates and periods in running text, read against the document's context.

`find_dates` reads the dates a text writes out in full ("On April 2, 1993", "27 July 1993", "Since
2002", "in 1993"); metadata reads datelines with it. `dates_in` reads every date expression of a
sentence against a `DateContext` (the document's date and the year the text has established so far):
"on 27 September", "last May", "on Sunday", "overnight", "two years ago", "the 25th anniversary",
"a year later", "last fall", "from 5 to 9 May", "since April 13", "currently".

Written by hand: dateparser parses a date string well but its search over running text neither returns
reliable offsets nor says whether a year stands alone ("in 1993": year precision) or opens a period
("Since 2002": ongoing); and most of what a claim's date needs is arithmetic on the context that no
library does: the year a month without one belongs to (the text's, else the publication's, else the
one before when the day would fall after publication), the Sunday before a Monday's paper, the year of
a 25th anniversary, the day "a year later" means. The grammar of dates in statements and news is small;
its vocabularies are data at the top of the section below.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from docket.extract.quantities import TENS
from docket.extract.quantities import UNITS as NUMBER_WORDS

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
    """A date expression: `start`/`end` are character offsets, `iso`/`iso_end` the dates it means.

    `iso` is ISO 8601 as precise as known ("1993", "1993-04", "1993-04-02"; None where the context
    cannot complete it, or for "until X", which gives only an end); `iso_end` the end of a range or
    of "until X"; `precision` that of `iso` (of `iso_end` where only the end is known); `ongoing`
    whether the text says the state goes on ("since 2002", "currently"); `relation` how the text
    places it: on, in, since, until, by, from, before, after, range, anniversary, relative, present,
    or "of" (the year of a named thing: "resolution 822 (1993)", "the 1949 Geneva Conventions");
    `sets_year` the year the expression establishes as the text's: a year written out with a day or a
    month ("On 2 April 1993", "in May 2020"), or a bare year opening a clause ("In 1993, ..."); not a
    year in passing ("manufactured in 2021", "the worst since 2015"), nor an instrument's year.
    """

    start: int
    end: int
    text: str
    iso: str | None
    precision: str | None
    since: bool = False
    relative: bool = False
    iso_end: str | None = None
    ongoing: bool = False
    relation: str = "on"
    sets_year: int | None = None

    @property
    def when(self) -> dict:
        """The claim contract's `when` for this mention."""
        return {"start": self.iso, "end": self.iso_end, "precision": self.precision, "ongoing": self.ongoing}


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def find_dates(text: str, document_date: str | None = None) -> list[DateMention]:
    """Dates in `text`, most precise first where two overlap; relative words resolve to `document_date`.

    Only dates written out with their year (and the words for "now"); `dates_in` reads the rest."""
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


# --- dates from context ---------------------------------------------------------------------------
#
# Vocabularies first, as data; then the grammar (regular expressions built from them); then the
# arithmetic. Conventions, taken from how analysts code `when` in the development gold:
# - a month or day without a year takes the year the text established (the latest year it wrote with
#   a day or month, or as a bare year opening a clause; not a future one, not an instrument's), else
#   the publication's, and the year before when it would fall after the publication date (unless the
#   clause speaks of the future);
# - a period the text names only vaguely ("overnight", "over the weekend", "earlier this week", "last
#   week") is given at the finest precision all its days share ("2024-09"), with no end; a period with
#   bounds ("in the past 48 hours", "from 5 to 9 May") is a range;
# - seasons are coded at year precision ("since fall 2023": 2023, ongoing); "N years ago" at year
#   precision, "N months ago" at month precision, "N days/weeks ago" at day precision; anniversaries
#   and "N years since" keep the publication's month and day ("25 years since", published 2020-08-28:
#   1995-08-28);
# - "today", "tonight" are the publication date (not ongoing); "currently", "at present", "still",
#   "now", "so far", "to date", "continues" are the publication date, ongoing.

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# a season's first month (northern hemisphere); winter starts in December of the year it is named by
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# "the 25th anniversary", "the second anniversary"
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}
# units of "N days ago", "in the past 24 hours", "a year later", and the precision each gives
TIME_UNITS = {
    "hour": "day", "day": "day", "night": "day", "week": "day", "fortnight": "day", "month": "month",
    "year": "year", "decade": "year",
}
# words that mean "at the time of publication, and still so"
PRESENT_CUES = (
    "currently", "at present", "presently", "to date", "so far", "still", "nowadays", "to this day",
    "to this date", "until now", "till now", "up to now", "up until now", "as of now", "as of today",
    "at the moment", "right now", "now", "ongoing", "these days", "lately", "in recent days",
    "in recent weeks", "in recent months", "in recent years", "over recent weeks", "over recent months",
    "continues", "continuing", "continue", "continued",
)
# words that, before "continue", make it not a statement of the present ("will continue", "to continue")
NOT_PRESENT_BEFORE = (
    "to", "will", "would", "must", "should", "may", "might", "could", "can", "cannot", "shall", "not",
    "never", "did", "was", "were", "up",
)
# a clause with one of these speaks of the future: its weekdays and months are the coming ones
FUTURE_CUES = (
    "will", "shall", "won't", "'ll", "’ll", "is to", "are to", "is due to", "are due to", "is set to",
    "are set to", "is scheduled", "are scheduled", "scheduled for", "planned for", "upcoming",
    "is expected to", "are expected to",
)
# "the 8-year long armed conflict", "two years into the war": a period that began N years before
DURATION_NOUNS = (
    "war", "conflict", "occupation", "siege", "blockade", "crisis", "insurgency", "struggle", "campaign",
    "offensive", "fighting", "standoff", "dispute", "invasion", "aggression",
)
# "Good Friday", "Black Monday": a name, not the latest such day
NOT_A_WEEKDAY_AFTER = ("good", "black", "cyber", "ash", "holy", "maundy", "man", "girl", "super", "bloody")
# "the 23 March Movement", "the 14 March Alliance": a name made of a date
NAME_AFTER_DATE = (
    "movement", "alliance", "coalition", "group", "brigade", "battalion", "party", "front", "revolution",
    "bloc", "forces", "street", "square", "avenue", "bridge", "stadium", "university", "school",
)
# words after a four-digit number that make it a count, not a year ("in 2000 villages")
COUNT_NOUNS_AFTER_YEAR = (
    "people", "police", "personnel", "staff", "km", "kilometres", "kilometers", "metres", "meters",
    "miles", "tons", "tonnes", "hectares", "dollars", "euros", "percent", "per", "troops", "cattle",
)
# lowercase words ending in s that may follow a year ("in 1993 was"), so are not plural count nouns
_NOT_PLURAL = {"was", "is", "has", "as", "its", "this", "thus", "his", "us", "across", "towards", "afterwards", "onwards", "ago", "unless", "whereas", "less", "plus", "pass"}

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# a month written with a day or year: full or abbreviated, title case or capitals ("APRIL 2, 1993")
_MON = rf"(?:(?:{_MONTH_FULL}|{_MONTH_FULL.upper()})\b|(?:{_MONTH_ABBR}|{_MONTH_ABBR.upper()})\b\.?)"
_MON_ALONE = rf"(?:{_MONTH_FULL})\b"  # a month standing alone: full name, title case ("may" is a verb)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_Y = r"(?<![\d.,/$€£-])(?:1[89]\d\d|20\d\d)(?![\d]|[.,/]\d)"
_Y_IN = r"(?:1[89]\d\d|20\d\d)(?![\d])"  # a year inside a numeric date ("22.02.2016", "2016-02-22")
_D = r"(?<![\d.,:/])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d]|[.,:]\d|%)"
_NUM_WORDS = sorted([*NUMBER_WORDS, *TENS], key=len, reverse=True)
_N = (
    rf"(?:\d{{1,3}}|(?:{'|'.join(TENS)})[- ](?:{'|'.join(w for w, v in NUMBER_WORDS.items() if 0 < v < 10)})"
    rf"|{'|'.join(_NUM_WORDS)}|a couple of|a few|several|an?)"
)
_ORD_UNITS = "|".join(w for w, v in ORDINALS.items() if v < 10)
_ORD = rf"(?:\d{{1,3}}(?:st|nd|rd|th)|(?:{'|'.join(TENS)})-(?:{_ORD_UNITS})|{'|'.join(sorted(ORDINALS, key=len, reverse=True))})"
_UNIT = r"(?P<u>hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?)"
_HEDGE = r"(?:(?:more than|over|nearly|almost|about|around|some|roughly|just over|just under|less than|at least)\s+)?"
_APPROX_YEAR = rf"(?:(?P<y>{_Y})|(?:of\s+)?(?P<ry>this|last|next|the same|the previous|the following)\s+year)"


def _words(items) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


# Each grammar rule: a name (its reader below), a pattern anchored on the rule's own word (a month, a
# year, "ago" ...), the words that may lead it (a preposition, "last", "mid-"), looked for just before
# a match, and the needles: groups of lowercase words, a word of each group must occur in the sentence
# for the pattern to run at all ("#" stands for any digit, "#y" for four that may be a year). Most
# sentences hold no date, and a pattern that is not run costs nothing. Earlier rules win where two
# overlap.
_MONTH_NEEDLES = frozenset(MONTHS)
_DIGITS = frozenset({"#"})
_YEARS = frozenset({"#y"})
_UNIT_WORDS = frozenset(w + s for w in TIME_UNITS for s in ("", "s"))
_NEEDLE_WORD = re.compile(r"[a-z]+")
# the words that may lead an expression, nearest first: (slot, phrases) pairs, each slot optional
_MODIFIERS = ("early", "mid", "late", "end of", "beginning of", "start of", "middle of", "first half of", "second half of", "turn of")
_THE = ("the", "the very")
_PRE_MONTH = (
    "in", "since", "until", "till", "by", "during", "from", "through", "throughout", "between", "before", "after",
    "of", "last", "this", "next", "earlier in", "later in", "early", "late", "mid",
)
_PRE_YEAR = (
    "in", "since", "from", "until", "till", "through", "throughout", "by", "during", "before", "after", "of",
    "as of", "circa", "around", "the year", "year", "early", "late", "mid",
)
_PRE_SEASON = (
    "in", "during", "since", "until", "till", "by", "from", "through", "throughout", "of", "over", "last", "this",
    "next", "between", "and",
)
_LEADS = {
    "month_alone": (("mod", _MODIFIERS), ("the", _THE), ("pre", _PRE_MONTH)),
    "year": (("mod", _MODIFIERS), ("the", _THE), ("pre", _PRE_YEAR)),
    "season": (("mod", ("early", "late", "mid")), ("the", _THE), ("pre", _PRE_SEASON)),
    "weekday": (("mod", ("last", "this", "next", "earlier", "early", "late", "later")),),
    "months": (("mod", _MODIFIERS), ("the", _THE)),
    "month": (("mod", _MODIFIERS), ("the", _THE)),
    "decade": (("mod", _MODIFIERS), ("the", _THE)),
    "day": (("the", _THE), ("wd", tuple(WEEKDAYS))),
}
# each slot's phrases by their last word, longest first, for the right-to-left match in `_lead`
_LEAD_INDEX = {
    rule: tuple(
        (slot, {w: sorted((p for p in phrases if p.split()[-1] == w), key=len, reverse=True) for w in {p.split()[-1] for p in phrases}})
        for slot, phrases in slots
    )
    for rule, slots in _LEADS.items()
}
_LEAD_GAP = " \t\n\r\u00a0-"

# words of a present cue too common to tell a sentence apart ("to date" is found by "date")
_FUNCTION_WORDS = {"to", "at", "so", "as", "of", "the", "in", "over", "has", "have", "until", "till", "up", "this", "right"}
_RULES: list[tuple[str, re.Pattern, re.Pattern | None, tuple[frozenset[str], ...]]] = [
    # days of one month: "5-9 May 2022", "24 and 25 February", "March 5 to 31, 2022"
    ("dayspan", re.compile(rf"\b(?P<d>{_D})\s*(?P<j>-|–|—|to|through|until|till|and)\s*(?P<d2>{_D})(?:\s+of)?\s+(?P<m>{_MON})(?:,?\s+{_APPROX_YEAR})?"), None, (_MONTH_NEEDLES, _DIGITS)),
    ("dayspan", re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>{_D})\s*(?P<j>-|–|—|to|through|until|till|and)\s*(?P<d2>{_D})(?:,?\s+{_APPROX_YEAR})?"), None, (_MONTH_NEEDLES, _DIGITS)),
    # a day, its year written or not: "Monday, 2 April 1993", "the 2nd of April", "April 2, 1993", "Jan. 20"
    ("day", re.compile(rf"\b(?P<d>{_D})(?:\s+of)?\s+(?P<m>{_MON})(?:,?\s+{_APPROX_YEAR})?"), True, (_MONTH_NEEDLES, _DIGITS)),
    ("day", re.compile(rf"\b(?P<m>{_MON})\s+(?:the\s+)?(?P<d>{_D})(?:,?\s+{_APPROX_YEAR})?"), True, (_MONTH_NEEDLES, _DIGITS)),
    ("iso", re.compile(rf"(?<![\d.,/-])(?P<y>{_Y_IN})-(?P<mn>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d])"), None, (_YEARS,)),
    # "02.04.1993", "2/4/1993": day first (the international order) unless the second number cannot be a month
    ("numeric", re.compile(rf"(?<![\d.,/])(?P<a>0?[1-9]|[12]\d|3[01])(?P<sep>[./])(?P<b>0?[1-9]|[12]\d|3[01])(?P=sep)(?P<y>{_Y_IN})"), None, (_YEARS,)),
    # months: "between April and June 1993", "May 2020", "April of this year", "in May", "mid-May"
    ("months", re.compile(rf"\b(?P<m>{_MON_ALONE})\s*(?P<j>-|–|—|to|through|until|till|and|or)\s*(?P<m2>{_MON_ALONE})(?:,?\s+{_APPROX_YEAR})?"), True, (_MONTH_NEEDLES,)),
    ("month", re.compile(rf"\b(?P<m>{_MON})(?:\s+of)?,?\s+{_APPROX_YEAR}"), True, (_MONTH_NEEDLES,)),
    ("month_alone", re.compile(rf"\b(?P<m>{_MON_ALONE})"), True, (_MONTH_NEEDLES,)),
    # seasons: "in the summer of 2020", "last spring", "since fall 2023"
    ("season", re.compile(rf"\b(?P<s>(?i:spring|summer|autumn|fall|winter))\b(?:\s+(?:of\s+)?(?P<y>{_Y})|\s+(?:of\s+)?(?P<ry>(?i:this|last|next))\s+year)?"), True, (frozenset(SEASONS),)),
    # weekdays: "on Sunday", "late Wednesday night", "Friday's air strike", "this Monday"
    ("weekday", re.compile(rf"\b(?P<wd>{_WD})(?:['’]s\b)?(?:\s+(?P<part>(?:morning|afternoon|evening|night)\b))?"), True, (frozenset(WEEKDAYS),)),
    # years: "the 1990s", "1992–1994", "(1993)", "in 1993", "the 1993 occupation"
    ("decade", re.compile(r"\b(?P<dec>1[89]\d0|20\d0)['’]?s\b"), True, (_YEARS,)),
    ("years", re.compile(rf"(?P<y>{_Y})\s*(?P<j>-|–|—|/|to|until|till|through|and)\s*(?P<y2>{_Y}|\d\d(?![\d]))"), None, (_YEARS,)),
    ("paren_year", re.compile(rf"\((?P<y>{_Y})\)"), None, (_YEARS,)),
    ("year", re.compile(rf"^(?P<y>{_Y})(?=\s*[,:–—])"), None, (_YEARS,)),
    ("year", re.compile(rf"(?P<y>{_Y})"), True, (_YEARS,)),
    ("the_year", re.compile(rf"\b(?i:the)\s+(?P<y>{_Y})\s+(?P<next>[\w-]+)"), None, (_YEARS,)),
    # by arithmetic on the publication date
    ("day_word", re.compile(r"\b(?i:(?P<w>the day before yesterday|yesterday|today|tonight|overnight|last night|this morning|this afternoon|this evening|earlier today|later today))\b"), None,
     (frozenset({"yesterday", "today", "tonight", "overnight", "night", "morning", "afternoon", "evening"}),)),
    ("this_day", re.compile(rf"\b(?i:on this (?:day|date),?\s+(?P<n>{_N})\s+(?P<u>years?)\s+ago)\b"), None, (frozenset({"this"}), frozenset({"ago"}))),
    ("ago", re.compile(rf"\b(?i:(?P<hedge>{_HEDGE})(?P<n>{_N})\s+{_UNIT}\s+ago)\b"), None, (frozenset({"ago"}),)),
    ("past", re.compile(rf"\b(?i:(?P<p>in|over|during|for|within|throughout)\s+the\s+(?:past|last|previous)\s+(?:(?P<n>{_N})\s+)?{_UNIT})\b"), None, (frozenset({"past", "last", "previous"}), _UNIT_WORDS)),
    ("since_start", re.compile(r"\b(?i:since\s+the\s+(?:beginning|start)\s+of\s+(?:the|this)\s+(?P<u>year|month))\b"), None, (frozenset({"since"}), frozenset({"beginning", "start"}))),
    ("calendar_unit", re.compile(r"\b(?i:(?P<mod>(?:earlier|later|early|late)\s+)?(?P<which>this|last|next|the past)\s+(?P<u>week|weekend|month|year))\b"), None, (frozenset({"week", "weekend", "month", "year"}), frozenset({"this", "last", "next", "past"}))),
    ("weekend", re.compile(r"\b(?i:(?:over|during|at|on)\s+the\s+weekend)\b"), None, (frozenset({"weekend"}),)),
    ("anniversary", re.compile(rf"\b(?i:(?:the\s+)?(?P<o>{_ORD})\s+anniversary|(?P<n>{_N})[- ]year\s+anniversary)\b"), None, (frozenset({"anniversary", "anniversaries"}),)),
    ("since_n", re.compile(rf"\b(?i:(?P<n>{_N})\s+{_UNIT}\s+since)\b"), None, (frozenset({"since"}), _UNIT_WORDS)),
    ("duration", re.compile(rf"\b(?i:(?P<hedge>{_HEDGE})(?P<n>{_N})(?P<sep>[- ]){_UNIT}(?P<long>[- ](?:long|old))?\s+(?:(?!of\b|the\b|and\b|in\b|a\b)[a-z]+\s+){{0,2}}?(?P<noun>{_words(DURATION_NOUNS)}))\b"), None, (frozenset(DURATION_NOUNS), _UNIT_WORDS)),
    ("duration", re.compile(rf"\b(?i:(?P<n>{_N})\s+{_UNIT}\s+into\s+(?:the|a|an|its|this|their)\s+(?:[a-z]+\s+){{0,2}}?(?P<noun>{_words(DURATION_NOUNS)}))\b"), None, (frozenset({"into"}), frozenset(DURATION_NOUNS))),
    # by arithmetic on the date the text gave last
    ("later", re.compile(rf"\b(?i:(?P<n>{_N})\s+{_UNIT}\s+(?P<dir>later|earlier|afterwards|after that|before that))\b"), None, (frozenset({"later", "earlier", "afterwards", "after", "before"}), _UNIT_WORDS)),
    ("next_unit", re.compile(r"\b(?i:the\s+(?P<dir>next|following|previous|preceding)\s+(?P<u>day|week|month|year)|the\s+day\s+(?P<dir2>after|before)(?=\s*[,.;)]|$))"), None, (frozenset({"next", "following", "previous", "preceding", "after", "before"}), frozenset({"day", "week", "month", "year"}))),
    ("same_day", re.compile(r"\b(?i:(?:on\s+)?(?:that|the same|that same)\s+day)\b"), None, (frozenset({"that", "same"}), frozenset({"day"}))),
    ("followed", re.compile(rf"\b(?i:(?:in|during|over)\s+the\s+(?:(?P<n>{_N})\s+{_UNIT}\s+that\s+followed|(?:following|next)\s+(?P<n2>{_N})\s+(?P<u2>hours?|days?|weeks?|months?|years?)))\b"), None, (frozenset({"followed", "following", "next"}), _UNIT_WORDS)),
    ("since_then", re.compile(r"\b(?i:since\s+(?:then|that\s+(?:day|time|date)))\b"), None, (frozenset({"since"}), frozenset({"then", "that"}))),
    # the present
    ("present", re.compile(rf"\b(?i:{_words(PRESENT_CUES)})\b(?![-’'])"), None, (frozenset(w for c in PRESENT_CUES for w in c.split() if w not in _FUNCTION_WORDS),)),
]
# the word before a date that says how the text places it; kept in the mention's span unless "on/in/..."
_PREPOSITION = re.compile(
    r"(?i:\b(?P<p>since|until|till|up until|up till|by|from|between|before|after|as of|as from|on|in|during|of|through|throughout|at))\s+(?:the\s+)?$"
)
_RELATION_OF = {
    "since": "since", "until": "until", "till": "until", "up until": "until", "up till": "until", "through": "until",
    "by": "by", "from": "from", "as from": "from", "before": "before", "after": "after", "between": "range",
}
_IN_SPAN = {"since", "until", "till", "up until", "up till", "by", "from", "as from", "between", "before", "after", "through"}
# "since Armenia resumed the fighting on 27 September": the date of the event a since-clause names
_SINCE_CLAUSE = re.compile(r"(?i:\bsince\b)[^,;:.()\"“”\n]{1,80}?\b(?i:on|in)\s+(?:the\s+)?$")
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|until|till|through|and)\s*$", re.I)
_FUTURE = re.compile(rf"(?i:\b(?:{_words(c for c in FUTURE_CUES if c[0].isalpha())})\b|['’]ll\b)")
_CLAUSE_START = re.compile(r"[,;:.!?\"“”()]")

Val = tuple[int, int | None, int | None]  # year, month or None, day or None


def _ok(y: int, m: int | None = None, d: int | None = None) -> bool:
    if not 1 <= y <= 9999 or m is not None and not 1 <= m <= 12:
        return False
    return d is None or m is not None and 1 <= d <= calendar.monthrange(y, m)[1]


def _iso(v: Val | None) -> str | None:
    if v is None:
        return None
    y, m, d = v
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def _precision(v: Val | None) -> str | None:
    if v is None:
        return None
    return "day" if v[2] else "month" if v[1] else "year"


def _order(v: Val) -> tuple[int, int, int]:
    """`v` as a key that sorts: a missing month or day counts as before the first."""
    return (v[0], v[1] or 0, v[2] or 0)


def _as_date(v: Val | None) -> date | None:
    return date(v[0], v[1], v[2]) if v and v[1] and v[2] else None


def _from_date(d: date) -> Val:
    return (d.year, d.month, d.day)


def _truncate(v: Val | None, precision: str) -> Val | None:
    if v is None:
        return None
    return v if precision == "day" else (v[0], v[1], None) if precision == "month" else (v[0], None, None)


def _common(a: Val, b: Val) -> Val:
    """The finest value both days share: 21 and 22 September give September."""
    if a[:2] == b[:2]:
        return a if a == b else (a[0], a[1], None)
    return (a[0], None, None) if a[0] == b[0] else a[:1] + (None, None)


def _shift(v: Val | None, n: int, unit: str) -> Val | None:
    """`v` moved by `n` units (negative: back), or None where `v` is not precise enough or the result
    falls outside the calendar."""
    if v is None:
        return None
    unit = unit.rstrip("s")
    try:
        if unit in ("hour", "day", "night", "week", "fortnight"):
            d = _as_date(v)
            if d is None:
                return None
            # hours count as the days they reach into: the past 24 hours start the day before
            hours = -(-abs(n) // 24) * (1 if n >= 0 else -1)
            days = {"hour": hours, "day": n, "night": n, "week": 7 * n, "fortnight": 14 * n}[unit]
            return _from_date(d + timedelta(days=days))
        if unit == "month":
            if v[1] is None:
                return None
            months = v[0] * 12 + v[1] - 1 + n
            y, m = divmod(months, 12)
            m += 1
            if not _ok(y, m):
                return None
            return (y, m, min(v[2], calendar.monthrange(y, m)[1]) if v[2] else None)
        years = n * (10 if unit == "decade" else 1)
        y = v[0] + years
        if not _ok(y):
            return None
        d = min(v[2], calendar.monthrange(y, v[1])[1]) if v[1] and v[2] else v[2]
        return (y, v[1], d)
    except (OverflowError, ValueError):
        return None


def _number(s: str) -> int | None:
    s = s.lower().strip()
    if s.isdigit():
        return int(s)
    if s in ("a", "an"):
        return 1
    if s == "a couple of":
        return 2
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s]
    parts = re.split(r"[- ]", s)
    if len(parts) == 2 and parts[0] in TENS and parts[1] in NUMBER_WORDS:
        return TENS[parts[0]] + NUMBER_WORDS[parts[1]]
    return TENS.get(s)


def _ordinal(s: str) -> int | None:
    s = s.lower()
    if s[:1].isdigit():
        return int(re.match(r"\d+", s).group(0))
    if s in ORDINALS:
        return ORDINALS[s]
    tens, _, unit = s.partition("-")
    return TENS[tens] + ORDINALS[unit] if tens in TENS and unit in ORDINALS else None


def _contains(outer: Val, inner: Val) -> bool:
    """Whether a date of coarser or equal precision holds another (1993-04 holds 1993-04-02)."""
    return all(o is None or o == i for o, i in zip(outer, inner, strict=True))


def _parse_iso(s: str | None) -> Val | None:
    m = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
    if not _ok(y, mo or None, d or None):
        return None
    return (y, mo or None, d or None)


@dataclass
class DateContext:
    """What a reader knows when it reaches a sentence: the document's date (ISO, as precise as known),
    the year the text has established so far, and the last date it gave (for "a year later").

    Read a document's sentences in order and tell the context what each gave:
    `ctx.saw(*dates_in(sentence, ctx))`.
    """

    published: str | None
    established_year: int | None = None
    _pub: Val | None = field(default=None, init=False, repr=False)
    _last: dict = field(default_factory=dict, init=False, repr=False)
    _latest: Val | None = field(default=None, init=False, repr=False)  # the date given last (see last_date)

    def __post_init__(self) -> None:
        pub = _parse_iso(self.published)
        # a document dated outside these years is a wrong date, and arithmetic near the calendar's
        # ends would overflow: it is read as undated
        self._pub = pub if pub and 1000 <= pub[0] <= 9000 else None

    def saw(self, *mentions: DateMention) -> None:
        """Take in the dates a sentence gave: the latest year one of them establishes (not a future one)
        becomes the text's year; the latest date, the anchor of "a year later"."""
        for m in mentions:
            if m.sets_year is not None and (self._pub is None or m.sets_year <= self._pub[0]):
                self.established_year = m.sets_year
            v = _parse_iso(m.iso_end or m.iso) if m.relation != "present" else None
            if v is not None:
                for precision in ("year", "month", "day")[: ("year", "month", "day").index(_precision(v)) + 1]:
                    self._last[precision] = v
                if not m.ongoing and (self._latest is None or not _contains(v, self._latest)):
                    self._latest = v  # not "since 2015": where a story's span begins is not its time

    @property
    def last_date(self) -> str | None:
        """The latest day the text has given (else its latest date of any precision), ISO; but where
        that day is only the document's own date (a dateline) and the text has since gone back to an
        earlier time ("Report, 20 September 1994 … occupied in April 1993"), that time. A sentence that
        gives no date of its own most often continues that one (a news story's next sentence); one in
        the present tense takes the publication date instead: the parse tells them apart."""
        day = self._last.get("day")
        if day is not None and day == self._pub and self._latest is not None and not _contains(self._latest, day):
            return _iso(self._latest)
        return _iso(day or self._last.get("year"))

    def _copy(self) -> DateContext:
        c = DateContext(self.published, self.established_year)
        c._last = dict(self._last)
        c._latest = self._latest
        return c

    def _year_for(self, m: int, d: int | None, future: bool) -> int | None:
        """The year of a month (and day) the text gives without one."""
        pub = self._pub
        if self.established_year is not None and (pub is None or self.established_year != pub[0]):
            return self.established_year
        if pub is None:
            return None
        y = pub[0]
        if pub[1] is None:
            return y
        after = (m, d or 0) > (pub[1], pub[2] or 31) if d and pub[2] else m > pub[1]
        before = (m, d or 0) < (pub[1], pub[2]) if d and pub[2] else m < pub[1]
        if future:
            return y + 1 if before else y
        return y - 1 if after else y


@dataclass(slots=True)
class _Atom:
    """A date expression found, before the context completes it."""

    start: int
    end: int
    rule: str
    g: dict  # the pattern's groups
    end_atom: _Atom | None = None  # the other end of a range joined from two expressions


def _year_of(g: dict, ctx: DateContext) -> int | None:
    """The year a pattern wrote, or named ("this year", "last year"), or None."""
    if g.get("y"):
        return int(g["y"])
    ry = (g.get("ry") or "").lower()
    if ry and ctx._pub:
        return ctx._pub[0] + {"this": 0, "the same": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1}[ry]
    return None


def _day_number(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _future(text: str, start: int) -> bool:
    """Whether the clause before `start` speaks of the future ("talks will resume on Monday")."""
    before = text[max(0, start - 80):start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(before)), default=0)
    return bool(_FUTURE.search(before[cut:]))


def _calendar(a: _Atom, ctx: DateContext, future: bool) -> tuple[Val | None, Val | None]:
    """A calendar expression's start and end, its missing year taken from the context."""
    g, rule = a.g, a.rule
    if rule == "iso":
        v = (int(g["y"]), int(g["mn"]), int(g["d"]))
        return (v if _ok(*v) else None), None
    if rule == "numeric":
        x, y2 = int(g["a"]), int(g["b"])
        day, month = (y2, x) if y2 > 12 else (x, y2)
        v = (int(g["y"]), month, day)
        return (v if _ok(*v) else None), None
    if rule in ("day", "dayspan"):
        m = _month(g["m"])
        d = _day_number(g["d"])
        d2 = _day_number(g["d2"]) if g.get("d2") else None
        y = _year_of(g, ctx) or ctx._year_for(m, d2 or d, future)
        if y is None:
            return None, None
        v = (y, m, d)
        e = (y, m, d2) if d2 else None
        return (v if _ok(*v) else None), (e if e and _ok(*e) and d2 > d else None)
    if rule in ("month", "months"):
        m = _month(g["m"])
        m2 = _month(g["m2"]) if g.get("m2") else None
        y = _year_of(g, ctx)
        mod = (g.get("pre") or "").strip().lower()
        if y is None and ctx._pub and mod in ("last", "this", "next") and ctx._pub[1]:
            py, pm = ctx._pub[0], ctx._pub[1]
            y = py if mod == "this" else (py if m < pm else py - 1) if mod == "last" else (py if m > pm else py + 1)
        if y is None:
            y = ctx._year_for(m2 or m, None, future)
        if y is None:
            return None, None
        if m2:
            return (y if m <= m2 else y - 1, m, None), (y, m2, None)
        return (y, m, None), None
    if rule == "season":
        y = _year_of(g, ctx)
        first = SEASONS[g["s"].lower()]
        pre = (g.get("pre") or "").strip().lower()
        pub = ctx._pub
        if y is None and pub and pre in ("last", "this", "next"):
            # the season's latest start on or before publication, and whether publication falls in it
            pm = pub[1] or 12
            latest = pub[0] if pm >= first else pub[0] - 1
            inside = (pm - first) % 12 < 3 and pub[1] is not None
            if pre == "last":
                y = latest - 1 if inside else latest
            elif pre == "this":
                y = latest if inside else pub[0]
            else:
                y = latest + 1
        if y is None:
            y = ctx._year_for(first, None, future)
        return ((y, None, None) if y is not None else None), None
    if rule == "decade":
        dec = int(g["dec"])
        return (dec, None, None), (dec + 9, None, None)
    if rule == "years":
        y = int(g["y"])
        y2 = g["y2"]
        e = int(y2) if len(y2) == 4 else y // 100 * 100 + int(y2)
        return (y, None, None), ((e, None, None) if e > y else None)
    if rule in ("year", "paren_year", "the_year"):
        return (int(g["y"]), None, None), None
    return None, None


def _weekday(a: _Atom, ctx: DateContext, future: bool) -> Val | None:
    pub = _as_date(ctx._pub)
    if pub is None:
        return None
    wd = WEEKDAYS[a.g["wd"].lower()]
    mod = (a.g.get("mod") or "").strip().lower()
    if mod == "next" or future and mod != "last":
        ahead = (wd - pub.weekday()) % 7 or (7 if mod == "next" else 0)
        return _from_date(pub + timedelta(days=ahead))
    back = (pub.weekday() - wd) % 7
    if mod == "last" and back == 0:
        back = 7
    return _from_date(pub - timedelta(days=back))


def _relative(a: _Atom, ctx: DateContext) -> tuple[Val | None, Val | None]:
    """Expressions computed from the publication date."""
    g, rule, pub = a.g, a.rule, ctx._pub
    if pub is None:
        return None, None
    if rule == "day_word":
        w = g["w"].lower()
        if w == "overnight":
            # the night before publication: its two days share the month (or only the year)
            prev = _shift(pub, -1, "day")
            return (_common(prev, pub) if prev else _truncate(pub, "month")), None
        back = 2 if w == "the day before yesterday" else 1 if w in ("yesterday", "last night") else 0
        return (_shift(pub, -back, "day") if back else pub), None
    if rule in ("ago", "this_day"):
        n = _number(g["n"])
        u = g["u"].lower().rstrip("s")
        v = _shift(pub, -n, u) if n is not None else None
        return (_truncate(v, "day" if rule == "this_day" else TIME_UNITS[u]) if v else None), None
    if rule == "past":
        n = _number(g["n"]) if g.get("n") else 1
        u = g["u"].lower().rstrip("s")
        start = _shift(pub, -n, u) if n is not None else None
        if start is None:
            return None, None
        precision = TIME_UNITS[u]
        return _truncate(start, precision), _truncate(pub, precision)
    if rule in ("calendar_unit", "weekend"):
        which = (g.get("which") or "the").lower()
        u = (g.get("u") or "weekend").lower()
        d = _as_date(pub)
        if u == "year":
            return (pub[0] + {"this": 0, "last": -1, "next": 1, "the past": -1}[which], None, None), None
        if u == "month":
            return _shift(_truncate(pub, "month"), {"this": 0, "last": -1, "next": 1, "the past": -1}[which], "month"), None
        if d is None:
            return None, None
        if u == "weekend":
            saturday = d - timedelta(days=(d.weekday() - 5) % 7)
            saturday += timedelta(days={"last": -7, "next": 7}.get(which, 0))
            return _common(_from_date(saturday), _from_date(saturday + timedelta(days=1))), None
        monday = d - timedelta(days=d.weekday())
        if which == "this":
            return _common(_from_date(monday), pub), None
        if which in ("last", "the past"):
            if which == "the past":
                return _common(_from_date(d - timedelta(days=7)), pub), None
            return _common(_from_date(monday - timedelta(days=7)), _from_date(monday - timedelta(days=1))), None
        return _common(_from_date(monday + timedelta(days=7)), _from_date(monday + timedelta(days=13))), None
    if rule == "since_start":
        return _truncate(pub, "year" if g["u"].lower() == "year" else "month"), None
    if rule in ("anniversary", "since_n"):
        n = _ordinal(g["o"]) if g.get("o") else _number(g["n"])
        u = (g.get("u") or "year").lower().rstrip("s")
        if n is None or u not in ("year", "month", "week", "day", "decade"):
            return None, None
        return _shift(pub, -n, u), None
    if rule == "duration":
        n = _number(g["n"])
        u = g["u"].lower().rstrip("s")
        v = _shift(pub, -n, u) if n is not None else None
        return _truncate(v, TIME_UNITS[u]), None
    return None, None


def _anchored(a: _Atom, ctx: DateContext) -> tuple[Val | None, Val | None]:
    """Expressions computed from the date the text gave last ("a year later", "the next day")."""
    g, rule, last = a.g, a.rule, ctx._last
    if rule == "same_day":
        return last.get("day"), None
    if rule == "since_then":
        return last.get("year"), None  # the latest date of any precision
    if rule == "later":
        n = _number(g["n"])
        u = g["u"].lower().rstrip("s")
        precision = TIME_UNITS[u]
        sign = -1 if g["dir"].lower() in ("earlier", "before that") else 1
        base = last.get(precision)
        if n is None and u == "hour":
            return base, None  # "a few hours later": the same day
        return (_truncate(_shift(base, sign * n, u), precision) if n is not None else None), None
    if rule == "next_unit":
        u = (g.get("u") or "day").lower()
        direction = (g.get("dir") or g.get("dir2") or "").lower()
        sign = -1 if direction in ("previous", "preceding", "before") else 1
        precision = TIME_UNITS[u]
        return _truncate(_shift(last.get(precision), sign, u), precision), None
    if rule == "followed":
        n = _number(g.get("n") or g.get("n2") or "")
        u = (g.get("u") or g.get("u2") or "").lower().rstrip("s")
        base = last.get(TIME_UNITS.get(u, "day"))
        if n is None or base is None:
            return None, None
        return base, _truncate(_shift(base, n, u), TIME_UNITS[u])
    return None, None


def _keep(rule: str, g: dict, text: str, s: int, e: int) -> bool:
    """Whether a pattern's match is a date here (not "Theresa May", "in 2000 villages", "Good Friday")."""
    before = text[max(0, s - 40):s]
    after = text[e:e + 30]
    if rule in ("day", "dayspan", "month", "months") and re.match(r"\s+(\w+)", after):
        nxt = re.match(r"\s+(\w+)", after).group(1)
        if nxt[:1].isupper() and nxt.lower() in NAME_AFTER_DATE:
            return False
    if rule in ("day", "month") and g.get("m", "").lower() == "may" and not g.get("y") and not g.get("pre"):
        # "Theresa May 5": a name before a bare May
        prev = re.search(r"([A-Z][a-z]+)\s+$", before)
        if prev and prev.group(1).lower() not in ("on", "in", "since", "until", "by", "from", "of", *WEEKDAYS):
            return False
    if rule == "weekday":
        prev = re.search(r"(\w+)\s+$", before)
        if prev and prev.group(1).lower() in NOT_A_WEEKDAY_AFTER:
            return False
    if rule == "season":
        s_word = g["s"]
        has_year = g.get("y") or g.get("ry")
        pre = (g.get("pre") or "").strip().lower()
        if not has_year and not pre:
            return False
        if s_word[0].isupper() and re.search(r"[A-Z]\w*\s+$", before) and not has_year:
            return False  # "the Arab Spring"
        if not has_year and re.match(r"\s+of\b", after):
            return False  # "the fall of Kabul"
        if pre == "and" and not re.search(r"(?i:spring|summer|autumn|fall|winter|\d)\s+$", before):
            return False
    if rule == "month" and (g.get("pre") or "").lower() == "of" and not g.get("mod") and not g.get("y"):
        return False  # "of May" alone may be anything; "the end of May" is read with its modifier
    if rule in ("year", "years", "the_year"):
        if re.match(r"\s*\(\s*(?:1[89]|20)\d\d\s*\)", after):
            return False  # "of 2046 (2012)": a resolution's number
        nxt = re.match(r"\s+([a-z][a-z-]*)", text[e:e + 30])
        if nxt:
            word = nxt.group(1)
            if word in COUNT_NOUNS_AFTER_YEAR or word.endswith("s") and not word.endswith("ss") and word not in _NOT_PLURAL:
                return False
        if re.match(r"\s*(?:%|percent|per cent)", after):
            return False
    if rule == "the_year":
        nxt = g["next"]
        if not nxt[:1].isupper() and (nxt.endswith("s") and not nxt.endswith("ss")):
            return False
    if rule in ("calendar_unit", "past") and (rule == "calendar_unit" and re.search(r"(?i:\bthe\s+)$", before) or re.match(r"\s+of\b", after)):
        return False  # "the last week of the siege": its final week, not the week before publication
    if rule == "duration" and g.get("sep") == " " and not g.get("long") and " into " not in g[0].lower():
        return False  # "a day of fighting" is no period; "a four-year war", "two years into the war" are
    if rule == "present":
        word = g[0].lower()
        if word == "continued" and not re.search(r"(?i:\b(?:has|have)\s+(?:(?:also|still|since|\w+ly)\s+)?)$", before):
            return False  # "the shelling continued until May" tells of the past; "has continued" of now
        if word.startswith("contin"):
            prev = re.search(r"([\w’']+)\s+$", before)
            if prev and prev.group(1).lower().replace("’", "'") in (*NOT_PRESENT_BEFORE, "n't"):
                return False
            if prev and prev.group(1).lower().endswith("n't"):
                return False
        if word == "to date" and re.search(r"\bup\s+$", before, re.I):
            return False
        if g[0] == "Now" and before.strip() and not re.search(r"[.:;!?\"“”]\s*$", before):
            return False  # "Donate Now": a button, not the present
    return True


_HAS_DIGIT = re.compile(r"\d")
_HAS_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_LEADING = {"last", "this", "next", "early", "late", "mid", "earlier in", "later in"}  # in the span, not prepositions


def _lead(rule: str, text: str, s: int) -> tuple[dict, int]:
    """The words leading the expression at `s` (its preposition, "last", "mid-", "the end of", the
    weekday before a date), read right to left, and where the expression starts once they are counted."""
    found: dict = {}
    start = pos = s
    for slot, by_last in _LEAD_INDEX[rule]:
        end = pos
        while end > 0 and (text[end - 1] in _LEAD_GAP or slot == "wd" and text[end - 1] == ","):
            end -= 1
        if end == pos and pos > 0 and text[pos - 1].isalnum():
            break  # glued to a word ("xMay"): nothing leads it
        w_start = end
        while w_start > 0 and text[w_start - 1].isalpha():
            w_start -= 1
        for phrase in by_last.get(text[w_start:end].lower(), ()):
            at = end - len(phrase)
            if at >= 0 and text[at:end].lower() == phrase and (at == 0 or not text[at - 1].isalnum()):
                found[slot] = text[at:end]
                pos = at
                if slot in ("mod", "the", "wd") and (slot != "the" or "mod" in found or rule == "day"):
                    start = at
                elif slot == "pre" and phrase in _LEADING and rule in ("month_alone", "season", "year"):
                    start = at
                break
    return found, start


def _atoms(text: str) -> list[_Atom]:
    """Every date expression, earlier rules first, none overlapping another."""
    words = set(_NEEDLE_WORD.findall(text.lower()))
    if _HAS_DIGIT.search(text):
        words.add("#")
        if _HAS_YEAR.search(text):
            words.add("#y")
    taken = bytearray(len(text) + 1)  # characters already in an expression
    found: list[_Atom] = []
    for rule, pattern, lead, needles in _RULES:
        if words.isdisjoint(needles[0]) or len(needles) > 1 and words.isdisjoint(needles[1]):
            continue
        for m in pattern.finditer(text):
            s, e = m.span()
            g = m.groupdict()
            g[0] = m.group(0)
            if lead:
                leading, s = _lead(rule, text, s)
                g.update(leading)
                if rule in ("month_alone", "year") and not (g.get("pre") or g.get("mod")):
                    continue  # a month or year standing alone, in no date-like position
            if rule == "the_year":
                s, e = m.span("y")
            if s == e or any(taken[s:e]):
                continue
            if not _keep("month" if rule == "month_alone" else rule, g, text, s, e):
                continue
            if rule == "dayspan" and g["j"].lower() == "and" and _day_number(g["d2"]) != _day_number(g["d"]) + 1:
                # "on 5 and 9 May": two days, not a range; each takes the month (and year) written once
                found.append(_Atom(s, m.end("d"), "day", dict(g, d2=None)))
                found.append(_Atom(m.start("d2"), e, "day", dict(g, d=g["d2"], d2=None)))
                taken[s:e] = b"\x01" * (e - s)
                continue
            if rule == "months" and g["j"].lower() in ("and", "or") and not re.search(r"(?i:\bbetween\s+(?:the\s+)?)$", text[max(0, s - 12):s]):
                # "in April and June 1993": two months, each of that year
                first = dict(g, m2=None)
                second = dict(g, m=g["m2"], m2=None, mod=None)
                found.append(_Atom(s, m.end("m"), "month", first))
                found.append(_Atom(m.start("m2"), e, "month", second))
                taken[s:e] = b"\x01" * (e - s)
                continue
            found.append(_Atom(s, e, "month" if rule == "month_alone" else rule, g))
            taken[s:e] = b"\x01" * (e - s)
    found.sort(key=lambda a: a.start)
    return found


_CALENDAR_RULES = {"iso", "numeric", "day", "dayspan", "month", "months", "season", "decade", "years", "year", "paren_year", "the_year", "weekday"}
_RELATIVE_RULES = {"day_word", "ago", "this_day", "past", "calendar_unit", "weekend", "since_start", "anniversary", "since_n", "duration"}
_ANCHORED_RULES = {"later", "next_unit", "same_day", "followed", "since_then"}


def _join_ranges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Two calendar expressions joined as a range: "from 2020 until 2023", "between 1991 and 1994"."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b and a.rule in _CALENDAR_RULES and b.rule in _CALENDAR_RULES and a.rule != "weekday" and b.rule != "weekday":
            between = text[a.end:b.start]
            if _RANGE_JOIN.match(between):
                opener = _PREPOSITION.search(text[max(0, a.start - 20):a.start])
                word = between.strip().lower()
                op = opener.group("p").lower() if opener else ""
                if word == "and" and op != "between" or word != "and" and op == "between":
                    out.append(a)
                    i += 1
                    continue
                a.end_atom = b
                a.end = b.end
                out.append(a)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


_CLAUSE_LEAD = re.compile(r"(?i:\b(?:in|during|by|from|between|of|throughout|early|late|mid|the)[\s-]+)+$")


def _sets_year(a: _Atom, text: str, relation: str, precision: str | None) -> int | None:
    """The year an expression establishes for the text (see `DateMention.sets_year`)."""
    ys = [int(x.g["y"]) for x in (a, a.end_atom) if x is not None and x.g.get("y")]
    if a.rule == "years" and a.g.get("y2") and len(a.g["y2"]) == 4:
        ys.append(int(a.g["y2"]))
    if a.rule in ("iso", "numeric"):
        ys = [int(a.g["y"])]
    if not ys or relation == "of":
        return None
    if precision == "year" or a.rule in ("years", "decade"):
        # a bare year frames what follows only where it opens the sentence or a clause
        lo = max(0, a.start - 60)
        before = _CLAUSE_LEAD.sub("", text[lo:a.start])
        if (lo > 0 or before.strip()) and not re.search(r"[,;:(—–-]\s*$", before):
            return None
        if relation not in ("in", "on", "range"):
            return None
    return ys[-1]


def dates_in(text: str, ctx: DateContext, offset: int = 0) -> list[DateMention]:
    """The date expressions of `text` (a sentence), completed from `ctx`, left to right.

    Offsets are `offset` plus the position in `text`. `ctx` is not changed: call `ctx.saw(...)` with
    the result to carry the sentence's years and dates to the next one."""
    atoms = _atoms(text)
    if not atoms:
        return []
    atoms = _join_ranges(text, atoms)
    # "Today, May 20, ...": the day the text writes out is the one meant
    atoms = [
        a for i, a in enumerate(atoms)
        if not (a.rule == "day_word" and i + 1 < len(atoms) and atoms[i + 1].rule in ("day", "iso", "numeric")
                and re.fullmatch(r",?\s*", text[a.end:atoms[i + 1].start]))
    ]
    scope = ctx._copy()
    out: list[DateMention] = []
    for a in atoms:
        future = a.rule in _CALENDAR_RULES and _future(text, a.start)
        start, end, ongoing = a.start, a.end, False
        relation = "on"
        if a.rule in _CALENDAR_RULES:
            if a.end_atom is not None:
                e_atom = a.end_atom
                # the range's year, where only one end writes it: "between April and June 1993"
                if not a.g.get("y") and e_atom.g.get("y") and a.rule in ("day", "month", "dayspan"):
                    a.g = dict(a.g, y=e_atom.g["y"])
                    v0, _ = _calendar(a, scope, future)
                    v1, v2 = _calendar(e_atom, scope, future)
                    v1 = v2 or v1  # the range's last day: "between Sept. 1 and 2019-20" ends in 2020
                    if v0 and v1 and _order(v0) > _order(v1):
                        a.g = dict(a.g, y=str(int(e_atom.g["y"]) - 1))
                elif a.g.get("y") and not e_atom.g.get("y") and e_atom.rule in ("day", "month", "dayspan"):
                    e_atom.g = dict(e_atom.g, y=a.g["y"])
                v, _ = (_weekday(a, scope, future), None) if a.rule == "weekday" else _calendar(a, scope, future)
                v1, v2 = _calendar(e_atom, scope, future)
                iso_start, iso_end = v, v2 or v1
                relation = "range"
            elif a.rule == "weekday":
                iso_start, iso_end = _weekday(a, scope, future), None
                relation = "relative"
            else:
                iso_start, iso_end = _calendar(a, scope, future)
                relation = "range" if iso_end or a.rule in ("dayspan", "months", "years", "decade") else "in" if _precision(iso_start) in ("month", "year") else "on"
            if a.rule in ("paren_year", "the_year"):
                prev = text[max(0, a.start - 40):a.start]
                if a.rule == "the_year" and a.g["next"][:1].isupper() or a.rule == "paren_year" and re.search(r"(?:\d|[A-Z][\w.-]*)\s*$", prev):
                    relation = "of"  # "resolution 822 (1993)", "the 1949 Geneva Conventions"
                else:
                    relation = "in"
        elif a.rule in _RELATIVE_RULES:
            iso_start, iso_end = _relative(a, scope)
            relation = "anniversary" if a.rule in ("anniversary", "since_n", "this_day") else "relative"
            if a.rule == "past" and a.g["p"].lower() == "for":
                relation, ongoing, iso_end = "since", True, None
            if a.rule in ("duration", "since_start"):
                relation, ongoing = "since", True
        elif a.rule in _ANCHORED_RULES:
            iso_start, iso_end = _anchored(a, scope)
            relation = "relative"
            if a.rule == "since_then":
                relation, ongoing = "since", True
            if a.rule == "followed":
                relation = "range"
        else:  # present
            iso_start, iso_end, relation, ongoing = scope._pub, None, "present", True
        # the word before: since, until, by, from, between ...
        if a.rule not in ("since_start", "since_then", "past", "present", "weekend", "followed"):
            prep = _PREPOSITION.search(text[max(0, start - 20):start])
            p = prep.group("p").lower() if prep else ""
            if relation == "range":
                if p in ("from", "between"):
                    start -= len(text[max(0, start - 20):start]) - prep.start()
            elif p in _RELATION_OF:
                relation = _RELATION_OF[p]
                if p in _IN_SPAN:
                    start -= len(text[max(0, start - 20):start]) - prep.start()
            elif a.rule in _CALENDAR_RULES and relation in ("on", "in") and _SINCE_CLAUSE.search(text[max(0, start - 100):start]):
                clause = _SINCE_CLAUSE.search(text[max(0, start - 100):start])
                since_at = max(0, start - 100) + clause.start()
                if not any(since_at < o.end <= a.start and o is not a for o in atoms):
                    relation = "since"
        if relation == "since":
            ongoing = True
        if relation in ("until", "by", "before"):
            iso_start, iso_end = None, iso_start if iso_end is None else iso_end
        precision = _precision(iso_start) if iso_start else _precision(iso_end)
        if relation == "present" and iso_start is None:
            precision = None
        mention = DateMention(
            offset + start, offset + end, text[start:end], _iso(iso_start), precision,
            since=relation == "since", relative=relation == "present", iso_end=_iso(iso_end),
            ongoing=ongoing, relation=relation, sets_year=_sets_year(a, text, relation, precision) if a.rule in _CALENDAR_RULES else None,
        )
        out.append(mention)
        scope.saw(mention)
    return out
