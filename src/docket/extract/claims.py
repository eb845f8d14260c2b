"""Claims from one document: triggers from `kinds.toml`, slots from the mentions around them.

The extractor is a few small stages over each sentence (mentions, triggers, slots) and one pass over
the document (discourse: what an agentless sentence inherits from the one before, and which nominal
mentions only repeat an earlier claim). Everything it knows about words lives in the vocabularies.
"""

from __future__ import annotations

import bisect
import os
import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache

from docket.errors import DocketError
from docket.extract.dates import DateMention, find_dates
from docket.extract.quantities import Count, find_counts
from docket.extract.relations import Relation, relations_in
from docket.extract.text import Sentence, iter_sentences
from docket.gazetteer import SETTLEMENT_FEATURES, Gazetteer, Place, default_gazetteer
from docket.gazetteer.resolve import geocode
from docket.model import Claim, DocumentMeta, ObjectRef, PlaceRef, Quantity, When
from docket.vocab import Vocab, vocab

_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|be|is|are|being|get|got)\s+(?:\w+ly\s+)?(?:\w+\s+(?:or|and)\s+)?$", re.I)
_PARENTHETICAL = re.compile(
    r"^\s*(?:which|who|whose|where|registered|located|situated|based|a subsidiary|an? |belonging|having|composed|consisting|comprising|in blatant|in violation|in flagrant)",
    re.I,
)
_ITEM_INTRO = re.compile(r"^\s*(?:along with|together with|as well as|in addition to|including|and|or)\s+", re.I)
_NP_STOP = re.compile(
    r"^(?:were|was|are|is|have|has|had|been|be|and|or|of|in|on|at|by|from|to|with|who|which|that|as|for|during|since|near|along|into|the|a|an)$",
    re.I,
)
_OBLIGATION = re.compile(r"^(?:must|the only way)", re.I)
# "Kalbajar fell to …", "Karvachar came under the control of …": the place is the subject, the actor follows
_SUBJECT_PLACE = re.compile(r"(?:fell to|came under)\b", re.I)
# "during the offensive", "after the occupation": a nominal trigger used as a time reference
_ANNIVERSARY = re.compile(r"\banniversary\s+of\s+(?:the\s+)?$", re.I)
_TIME_REFERENCE = re.compile(r"\b(?:during|after|before|since|following|until|throughout|amid|amidst)\s+(?:the\s+|this\s+|that\s+)?(?:\w+\s+)?$", re.I)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:his|her|its|their)\s+$", re.I)
_SITE = re.compile(
    r"\b(?P<site>[A-Z][\w'-]*(?:\s+(?!mine|deposit|field|quarry)[\w-]+){0,3}?\s+(?:mine|deposit|field|quarry))\b"
)
_BY_AGENT = re.compile(r"\s*by\s+(?!use\b|means\b|way\b|force\b|the use\b)(?:the\s+)?", re.I)
# "by …" as the first word or after a space, anywhere in the window after the trigger ("Importing
# minerals, including gold extracted from …, by some western countries")
_BY_AGENT_AFTER = re.compile(r"(?:^|(?<=\s))" + _BY_AGENT.pattern, re.I)
_PHRASE_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}\b)")
_OF_AGENT = re.compile(r"\s*(?:of|by)\s+(?:the\s+)?", re.I)
_NP_END = re.compile(r"[,;:.()“”\"]|\s(?:without|with|on|in|at|during|since|from|to|which|who|that|and|is|are|was|were|has|have)\s")
_CLAUSE_OPENER = re.compile(r"\bthat\s+|;\s*")
_SUBJECT_TO = re.compile(r"\bis subject to\b", re.I)
_ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?", re.I)
_STOPWORDS = {"the", "of", "a", "an", "and", "in", "on", "by", "to", "for", "its", "their"}
_ISSUER_INSTRUMENT = {("President of the United Nations Security Council", "statement"): "Presidential Statement"}


@dataclass
class Mentions:
    """What one sentence names, with offsets relative to the sentence text."""

    places: list[tuple[int, int, Place]]
    actors: list[tuple[int, int, str, str]]  # start, end, canonical, type
    persons: list[tuple[int, int, str]]
    counts: list[Count]
    dates: list[DateMention]
    companies: list[tuple[int, int, str]]
    parents: dict[str, str]
    instruments: list[tuple[int, int, str]]
    parentheticals: list[tuple[int, int]]
    ownership: list[tuple[int, int, str, str]] = field(default_factory=list)
    # what the sentence's triggers ask for again and again (places in a region, whether a cue occurs
    # at all): computed once per sentence, since each trigger asking anew made sentences quadratic
    memo: dict = field(default_factory=dict)


@dataclass
class Candidate:
    claim: Claim
    sentence: Sentence
    nominal: bool
    explicit_agent: bool
    explicit_when: bool
    clause: tuple[int, int]
    count_span: tuple[int, int] | None = None
    place_set: frozenset = field(default_factory=frozenset)
    enumerated: bool = False


# How long one document's extraction may take, unless $DOCKET_EXTRACT_SECONDS says otherwise: a floor,
# and time in proportion to the text. Extraction is linear in a text's length (a 50 MB file of dense
# prose takes about 310 s of one core), so a budget that grows with the text lets every file within the
# size limit through while a pathology (anything super-linear) is still cut off, and an ingest of a
# folder reports such a file and goes on rather than hang on it.
EXTRACT_SECONDS = 60.0
EXTRACT_SECONDS_PER_MB = 10.0


def extract_budget(characters: int = 0) -> float:
    """Seconds the extraction of a text of this many characters may take: $DOCKET_EXTRACT_SECONDS
    (for any text), else `EXTRACT_SECONDS` plus `EXTRACT_SECONDS_PER_MB` a million characters."""
    raw = os.environ.get("DOCKET_EXTRACT_SECONDS", "").strip()
    if not raw:
        return EXTRACT_SECONDS + EXTRACT_SECONDS_PER_MB * characters / 1_000_000
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0:
        raise DocketError(f"DOCKET_EXTRACT_SECONDS={raw!r}: expected a positive number of seconds")
    return seconds


def extract_claims(text: str, meta: DocumentMeta | None = None, gazetteer: Gazetteer | None = None,
                   budget: float | None = None) -> list[Claim]:
    """Every claim the document makes, in text order, each anchored to its characters."""
    return extract(text, meta, gazetteer, budget)[0]


def extract(text: str, meta: DocumentMeta | None = None, gazetteer: Gazetteer | None = None,
            budget: float | None = None) -> tuple[list[Claim], list[Relation]]:
    """The document's claims and the relations between entities it states, in one pass.

    Raises DocketError, and nothing else: when the extraction takes longer than `budget` seconds
    (default `extract_budget()`), and, wrapping the original error, on any failure of its own, so
    that one bad text is one line in an ingest report rather than a traceback that stops it.
    """
    if budget is None:
        budget = extract_budget(len(text))
    try:
        return _extract(text, meta or DocumentMeta(), gazetteer or default_gazetteer(), time.monotonic() + budget, budget)
    except DocketError:
        raise
    except Exception as e:  # noqa: BLE001 - the contract above: callers see DocketError only
        detail = (str(e).splitlines() or [""])[0][:200]
        raise DocketError(f"extraction failed ({type(e).__name__}: {detail})") from e


def _over_budget(deadline: float, budget: float) -> None:
    if time.monotonic() > deadline:
        raise DocketError(f"extraction took longer than {budget:g} s (set DOCKET_EXTRACT_SECONDS)")


def _extract(text: str, meta: DocumentMeta, gaz: Gazetteer, deadline: float, budget: float) -> tuple[list[Claim], list[Relation]]:
    for per_sentence in (_commas, _semicolons, _clause_openers, _intro_end):
        per_sentence.cache_clear()  # these serve one document's sentences; never carried across documents
    _PLACE_REFS.clear()
    v = vocab()
    out: list[Candidate] = []
    relations: list[Relation] = []
    last_site: str | None = None
    last_site_places: list = []
    located = [(r.start, r.end, r.place) for r in geocode(text, gaz) if r.place is not None]
    _over_budget(deadline, budget)
    # the places of each sentence, found by bisection over the places sorted by start (a scan of
    # every place for every sentence made long documents quadratic), kept in the geocoder's order
    by_start = sorted(range(len(located)), key=lambda i: located[i][0])
    starts = [located[i][0] for i in by_start]
    prior = _Prior()
    sents: list[Sentence] = []
    for sent in iter_sentences(text):  # one at a time, so that the deadline holds while they are split
        _over_budget(deadline, budget)
        sents.append(sent)
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        here = [(a - sent.start, b - sent.start, p) for a, b, p in (located[i] for i in sorted(by_start[lo:hi])) if b <= sent.end]
        mentions = _mentions(sent.text, v, gaz, meta.published, here)
        relations += relations_in(sent.text, sent.start, mentions.ownership, mentions.actors, meta.source)
        found = _sentence_claims(sent, mentions, v, gaz, meta, prior)
        for cand in found:
            if cand.claim.site and cand.claim.site[0].isupper():
                last_site, last_site_places = cand.claim.site, cand.claim.places
            elif cand.claim.kind in ("resource_extraction", "environmental_damage") and re.search(
                r"\bthat (?:mine|deposit)\b", sent.text
            ):
                # "that mine": the site named before, and where it is
                update = {"site": last_site}
                if not cand.claim.places and last_site:
                    update["places"] = last_site_places
                cand.claim = cand.claim.model_copy(update=update)
        out.extend(found)
        prior.extend(found)
    _over_budget(deadline, budget)
    _inherit_places(out, located, text, gaz, sents)
    return [c.claim for c in out], relations


# kinds whose unplaced claims are about the place their context is about (trade happens in markets
# elsewhere: "gold imported by western countries" is not about the mine's district)
_PLACED_KINDS = frozenset({
    "control_change", "attack", "killing", "detention_missing", "displacement", "looting", "destruction",
    "heritage_alteration", "resource_extraction", "environmental_damage", "infrastructure", "settlement",
    "legal_act", "demand", "noncompliance", "diplomacy",
})


def _inherit_places(out: list[Candidate], located: list, text: str, gaz: Gazetteer, sents: list[Sentence]) -> None:
    """Claims that name no place take one from their context: the place of the claim before them in
    the same paragraph, else the document's focus (the place its heading names, else the place it
    names most). "Our researchers documented that at least 500 civilians were killed in the district"
    in a report headed "Kalbajar: a district emptied" is about Kalbajar."""
    focus = None
    # the heading: the sentences of the first two blank-line-separated blocks, read from the
    # document's sentences (not by sentencizing that part of the text a second time)
    cut = text.find("\n\n", text.find("\n\n") + 2) if "\n\n" in text else len(text)
    cut = len(text) - 1 if cut == -1 else cut  # one blank line: all but the last character, as before
    head_end = max((min(s.end, cut) for s in sents if s.start < cut), default=0)
    heading = [(a, b, p) for a, b, p in located if a < head_end and p.feature not in ("country", "continent")]
    counts: dict[str, int] = {}
    for _, _, p in located:
        if p.feature not in ("country", "continent", "line"):
            counts[p.id] = counts.get(p.id, 0) + 1
    if heading:
        focus = heading[0]
    elif counts:
        top = max(counts, key=counts.__getitem__)
        focus = next(x for x in located if x[2].id == top)
    # the last claim with places in the current paragraph (claims come in text order); a claim that
    # inherits places becomes the donor of the next, as when each looked back over all before it
    donor: Claim | None = None
    paragraph = None
    for cand in out:
        c = cand.claim
        if cand.sentence.paragraph != paragraph:
            donor, paragraph = None, cand.sentence.paragraph
        if c.places or c.kind not in _PLACED_KINDS:
            donor = c if c.places else donor
            continue
        if donor is not None:
            places = donor.places
        elif focus is not None:
            a, b, p = focus
            places = [_ref(gaz, p, text[a:b])]
        else:
            continue
        cand.claim = c.model_copy(update={"places": places, "confidence": round(max(0.1, c.confidence - 0.1), 2)})
        donor = cand.claim if places else donor


# ---------------------------------------------------------------- mentions


def _mentions(s: str, v: Vocab, gaz: Gazetteer, doc_date: str | None, places: list | None = None) -> Mentions:
    if places is None:
        places = gaz.find(s)
    actors = []
    for m in v.actors.finditer(s):
        canonical, kind = v.actor_names[m.lastgroup]
        actors.append((m.start(), m.end(), canonical, kind))
    for m in v.generic_actor.finditer(s):
        if not any(a[0] <= m.start() < a[1] for a in actors):
            actors.append((m.start(), m.end(), m.group(0), "group"))
    persons = [(m.start(), m.end(), m.group("name")) for m in v.person.finditer(s)]
    for p in persons:
        actors.append((p[0], p[1], p[2], "person"))
    actors.sort()
    companies: list[tuple[int, int, str]] = []
    for m in v.company.finditer(s) if v.company_suffix.search(s) else ():
        name = re.sub(r"^(?:The |the )?\w+'s\s+", "", m.group("name"))
        if name.split()[0] in ("Since", "In", "On", "The", "A"):
            name = name.split(" ", 1)[1] if " " in name else name
        start = m.end("name") - len(name)
        companies.append((start, m.end("name"), name))
    parents: dict[str, str] = {}
    ownership: list[tuple[int, int, str, str]] = []  # (start, end, child, parent): "X, a subsidiary of Y"
    for m in v.subsidiary.finditer(s) if companies else ():
        before = s[: m.start()]
        child = re.search(r"([A-Z][\w-]*(?:\s+[A-Z][\w.-]*)*)\s*$", before)
        parent = next((c for c in companies if c[0] >= m.end() and c[0] - m.end() < 20), None)
        if child and parent:
            child_name = child.group(1).strip()
            child_name = re.sub(r"^(?:Since|In|On)\s+\d*\s*", "", child_name)
            if not any(c[2] == child_name for c in companies):
                companies.append((child.start(1), child.end(1), child_name))
            parents[child_name] = parent[2]
            ownership.append((child.start(1), parent[1], child_name, parent[2]))
    companies.sort()
    counts = find_counts(s)
    instruments = _instruments(s, v)
    dates = find_dates(s, doc_date)
    # numbers inside dates, instruments and model names ("Mi-24") are not counts
    blocked = [(d.start, d.end) for d in dates] + [(i[0], i[1]) for i in instruments]
    counts = [
        c
        for c in counts
        if not any(a <= c.start < b or c.start <= a < c.end for a, b in blocked)
        and not (c.start > 1 and s[c.start - 1] == "-" and s[c.start - 2].isalpha())
    ]
    return Mentions(places, actors, persons, counts, dates, companies, parents, instruments, _parentheticals(s), ownership)


def _instruments(s: str, v: Vocab) -> list[tuple[int, int, str]]:
    out = []
    for m in v.resolution.finditer(s):
        base = m.start("list")
        for n in re.finditer(r"(?P<num>\d{1,4})(?:\s*\((?P<year>\d{4})\))?", m.group("list")):
            number = int(n.group("num"))
            year = int(n.group("year")) if n.group("year") else v.resolution_year(number)
            symbol = f"S/RES/{number} ({year})" if year else f"S/RES/{number}"
            out.append((base + n.start(), base + n.end(), symbol))
    for name, pattern in v.named_instruments:
        for m in pattern.finditer(s):
            out.append((m.start(), m.end(), name))
    out.sort()
    return out


def _parentheticals(s: str) -> list[tuple[int, int]]:
    """Comma-delimited asides ("…, which is located beyond …,"): their places and actors are not the claim's."""
    out = []
    commas = _commas(s)
    for i, c in enumerate(commas):
        nxt = commas[i + 1] if i + 1 < len(commas) else None
        seg = s[c + 1 : nxt] if nxt else ""
        if nxt and _PARENTHETICAL.match(seg) and not re.match(r"^\s*an?\s+(?:[a-z]+\s+)?(?:attack|offensive)", seg):
            out.append((c, nxt))
    return out


# ---------------------------------------------------------------- triggers and slots


@lru_cache(maxsize=256)
def _commas(s: str) -> tuple[int, ...]:
    """Positions of the commas that separate phrases (not the ones inside "63,000")."""
    return tuple(m.start() for m in _PHRASE_COMMA.finditer(s))


@lru_cache(maxsize=256)
def _semicolons(s: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer(";", s))


@lru_cache(maxsize=256)
def _clause_openers(s: str) -> tuple[int, ...]:
    """Where a clause may begin: after each "that " and each semicolon, in order."""
    return tuple(m.end() for m in _CLAUSE_OPENER.finditer(s))


def _clause_bounds(s: str, pos: int) -> tuple[int, int]:
    """The segment of `s` around `pos` between commas and semicolons (by bisection: every trigger
    asks, and scanning the sentence for each made long sentences quadratic)."""
    pos = max(pos, 0)
    start, end = 0, len(s)
    for marks in (_commas(s), _semicolons(s)):
        i = bisect.bisect_left(marks, pos)
        if i:
            start = max(start, marks[i - 1] + 1)
        if i < len(marks):
            end = min(end, marks[i])
    return start, end


@lru_cache(maxsize=256)
def _intro_end(s: str) -> int | None:
    """Where an introductory phrase ("On April 2, 1993", "Instead of …,", "In response,") ends, if any."""
    if not vocab().cues["intro"].match(s):
        return None
    comma = s.find(",", 0)
    # "On April 2, 1993 the district…": a comma inside a date does not close the phrase
    while comma != -1 and re.match(r"\s*\d{4}\b", s[comma + 1 :]) and re.search(r"\d\s*$", s[:comma]):
        comma = s.find(",", comma + 1)
    if comma == -1 or re.match(r"\s*(?:which|who|where)\b", s[comma + 1 :]):
        return None
    return comma + 1


def _subject_start(s: str, pos: int, v: Vocab) -> int:
    """Where the clause holding `pos` begins: after an introductory phrase, a "that", or a semicolon."""
    intro = _intro_end(s)
    start = intro if intro is not None and intro < pos else 0
    if pos < len(s) and not s[pos].isspace():
        # the openers of s[:pos] are those of s that end by `pos`: a match can only reach past
        # `pos` through whitespace at `pos`
        openers = _clause_openers(s)
        i = bisect.bisect_right(openers, pos)
        return max(start, openers[i - 1]) if i else start
    for m in _CLAUSE_OPENER.finditer(s[:pos]):
        start = max(start, m.end())
    return start


def _sentence_has(m: Mentions, pattern: re.Pattern, s: str) -> bool:
    """Whether the sentence `s` (whose mentions are `m`) matches `pattern`, searched once."""
    key = ("has", pattern)
    if key not in m.memo:
        m.memo[key] = bool(pattern.search(s))
    return m.memo[key]


def _in_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _cue(v: Vocab, name: str, s: str, pos: int) -> bool:
    window = s[max(0, pos - v.cue_windows[name]) : pos]
    cut = max(window.rfind(","), window.rfind(";"))
    if cut != -1:
        window = window[cut + 1 :]
    return bool(v.cues[name].search(window))


def _np_after(s: str, pos: int) -> tuple[int, int] | None:
    m = _NP_END.search(s, pos)
    end = m.start() if m else len(s)
    text = s[pos:end].strip()
    return (pos, pos + len(text)) if text else None


def _agent(s: str, trig: re.Match, m: Mentions, v: Vocab, nominal: bool, passive: bool) -> str | None:
    end = trig.end()
    after = s[end : end + 160]
    if _SUBJECT_PLACE.match(trig.group(0)):
        at = end + len(after) - len(after.lstrip())
        at += 4 if s[at : at + 4].lower() == "the " else 0
        actor = next((a for a in m.actors if at - 4 <= a[0] <= at + 4), None)
        if actor:
            return actor[2]
        np = _np_after(s, at)
        return s[np[0] : np[1]] if np else None
    if passive or nominal or trig.group(0).lower().endswith("ing"):  # "destroyed by X", "attacks by X"
        for g in (_BY_AGENT, _OF_AGENT) if nominal else (_BY_AGENT,):
            if g is _OF_AGENT:
                pm = g.match(after)
            else:
                pm = _BY_AGENT_AFTER.search(after)
            if not pm:
                continue
            at = end + pm.end()
            if re.match(r"(?:it|them|this|that)\b", s[at:]):
                continue
            actor = next((a for a in m.actors if a[0] <= at <= a[0] + 4 and a[0] >= at - 4), None)
            if actor:
                return actor[2]
            if g is _BY_AGENT and not nominal:
                np = _np_after(s, at)
                # "killed by artillery fire": a means, not an agent
                if np and not re.search(rf"(?:{v.weapon_heads.pattern}|\bfire|\bshells?|\bshelling|\bmines?)\s*$", s[np[0] : np[1]], re.I):
                    return s[np[0] : np[1]]
    if nominal and re.search(r"\b(?:after|before|following|since|during|despite|in response to|as a result of|because of|due to)\s+(?:the\s+)?(?:\w+\s+){0,2}$", s[max(0, trig.start() - 40) : trig.start()], re.I):
        return None  # "after the seizure of Agdam": a time reference, not the clause subject's act
    intro_end = _intro_end(s)
    if intro_end is not None and trig.start() < intro_end:
        if nominal:
            return None  # "In response to the occupation of …,": the main clause's subject did not occupy
        # "Instead of withdrawing …, Armenia continued …": the subject follows the introductory phrase
        start, stop = intro_end, len(s)
    else:
        start, stop = _subject_start(s, trig.start(), v), trig.start()
    for a in m.actors:
        if a[0] < start or a[0] >= stop:
            continue
        if _in_any(a[0], m.parentheticals):
            continue
        if v.cues["prepositions"].search(s[max(0, a[0] - 15) : a[0]]) or re.search(r"'s\s*$|’s\s*$", s[a[1] : a[1] + 3]):
            continue
        # "Security Council demands" uses the actor as a modifier, not as a subject
        if re.match(r"\s+(?:demands|resolutions?|decisions?|statements?|members?|forces)\b", s[a[1] :]):
            continue
        return a[2]
    return None


def _reporter(s: str, pos: int, m: Mentions, v: Vocab) -> str | None:
    """Who a reported clause is attributed to: "…, Mr. Mario Raffaelli, emphasized that …"."""
    # most sentences have neither cue: a match in s[:pos] is also one in s, so one search of the
    # sentence answers every trigger's question
    any_reporting, any_according = _sentence_has(m, v.cues["reporting"], s), _sentence_has(m, _ACCORDING, s)
    if not (any_reporting or any_according):
        return None
    rep = None
    for r in v.cues["reporting"].finditer(s[:pos]) if any_reporting else ():
        rep = r
    if rep is None:
        acc = _ACCORDING.search(s[:pos])
        if acc:
            actor = next((a for a in m.actors if a[0] >= acc.end() - 4), None)
            return actor[2] if actor else None
        return None
    persons = [p for p in m.persons if p[1] <= rep.start()]
    if persons:
        return persons[-1][2]
    actors = [a for a in m.actors if a[1] <= rep.start()]
    return actors[-1][2] if actors else None


def _when(s: str, pos: int, m: Mentions, v: Vocab, meta: DocumentMeta, present: bool, instrument: str | None) -> tuple[When | None, bool]:
    """The claim's date: the nearest date in its clause, else in its sentence; ongoing where the text says so."""
    cs, ce = _clause_bounds(s, pos)
    real = [d for d in m.dates if not d.relative]
    # the year in "resolution 822 (1993)" dates the instrument: a date of the sentence's own wins over it
    own = [d for d in real if not any(a <= d.start < b for a, b, _ in m.instruments)]
    real = own or real
    near = [d for d in real if cs <= d.start < ce] or real
    ongoing = present or any(d.relative for d in m.dates) or bool(v.cues["ongoing"].search(s[cs : pos + 30]))
    if near:
        d = min(near, key=lambda d: abs(d.start - pos))
        ongoing = ongoing or d.since
        return When(start=d.iso, precision=d.precision, ongoing=ongoing), True
    if instrument:
        y = re.search(r"\((\d{4})\)", instrument)
        if y:
            return When(start=y.group(1), precision="year", ongoing=False), True
    if ongoing and meta.published:
        return When(start=meta.published, precision="day", ongoing=True), True
    return None, False


def _count_noun(s: str, c: Count) -> tuple[str | None, str | None]:
    """The unit (head noun) after a count and the affected group it names ("innocent civilians of Kalbajar")."""
    after = s[c.end :]
    if c.qualifier == "vague":
        after = re.sub(r"^\s+of\b", "", after)
    words: list[str] = []
    pos = 0
    for w in re.finditer(r"(\s+)([\w’'-]+)", after):
        if w.start() != pos or _NP_STOP.match(w.group(2)) or len(words) == 3:
            break
        words.append(w.group(2))
        pos = w.end()
    if not words:
        return None, None
    affected = " ".join(words)
    tail = re.match(r"\s+of\s+((?:the\s+)?[A-Z][\w-]*(?:\s+(?:district|region|village))?)", after[pos:])
    if tail:
        affected = f"{affected} of {tail.group(1)}"
    return words[-1], affected


def _quantity(c: Count, unit: str | None) -> Quantity:
    return Quantity(value=c.value, low=c.low, high=c.high, qualifier=c.qualifier, unit=unit)


def _places_for(region: tuple[int, int], m: Mentions, s: str, gaz: Gazetteer, offset: int) -> list[tuple[int, int, Place]]:
    """Places named in a region of the sentence, less parenthetical ones and country qualifiers
    (one list per region and sentence, shared: callers must not change it)."""
    key = ("places", region)
    if key not in m.memo:
        m.memo[key] = _find_places_for(region, m, s, gaz)
    return m.memo[key]


def _find_places_for(region: tuple[int, int], m: Mentions, s: str, gaz: Gazetteer) -> list[tuple[int, int, Place]]:
    actor_spans = [(a[0], a[1]) for a in m.actors if a[3] != "country"]
    found = [
        p for p in m.places
        if region[0] <= p[0] < region[1] and not _in_any(p[0], m.parentheticals) and not _in_any(p[0], actor_spans)
        and not re.search(r"\b(?:attacks?|aggression|offensives?|shelling|forces|troops|army|side|policy|presence|government|authorities)\s+(?:of|by)\s+(?:the\s+)?$", s[max(0, p[0] - 30) : p[0]], re.I)
        and (p[2].feature != "country" or re.search(r"\b(?:in|of|to|from|into|across|throughout|inside|within|against|beyond)\s+(?:the\s+)?$", s[max(0, p[0] - 14) : p[0]], re.I) or re.match(r"[’']s\b", s[p[1] : p[1] + 2]))
    ]
    keep = []
    for i, (a, b, place) in enumerate(found):
        if place.feature == "country" and i > 0:
            prev = found[i - 1]
            between = s[prev[1] : a]
            if re.fullmatch(r"\s*(?:districts?|regions?|rayons?|villages?)?\s*of\s+(?:the\s+)?", between) and gaz.is_within(prev[2], place):
                continue
        keep.append((a, b, place))
    return keep


# One PlaceRef per place and mention, shared by every claim of a document that names it: a long
# document names the same few places tens of thousands of times, and each copy cost about a kilobyte.
# Cleared with each document (claims are never changed in place, only copied with updates).
_PLACE_REFS: dict[tuple[int, str, str], tuple[Gazetteer, PlaceRef]] = {}


def _ref(gaz: Gazetteer, place: Place, mention: str) -> PlaceRef:
    key = (id(gaz), place.id, mention)  # a Gazetteer is not hashable; the entry keeps it to compare
    entry = _PLACE_REFS.get(key)
    if entry is None or entry[0] is not gaz:
        entry = _PLACE_REFS[key] = (gaz, gaz.ref(place, mention))
    return entry[1]


def _refs(places: list[tuple[int, int, Place]], s: str, gaz: Gazetteer) -> list[PlaceRef]:
    out: list[PlaceRef] = []
    seen = set()
    for a, b, place in places:
        # a site also places the claim in its village; a road at the towns it joins
        extra = [(anc, s[a:b]) for anc in gaz.ancestors(place)[:1]
                 if place.feature not in SETTLEMENT_FEATURES | {"district", "country", "region", "line", "town"}
                 and anc.feature in SETTLEMENT_FEATURES]
        extra += [(end, s[a:b]) for end in (gaz.get(e) for e in place.ends) if end is not None]
        for p, mention in [(place, s[a:b]), *extra]:
            if p.id not in seen:
                seen.add(p.id)
                out.append(_ref(gaz, p, mention))
    return out


def _items(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """List items of an enumeration in s[start:end]: split at commas, and the last item at its "and"."""
    spans = []
    pos = start
    for c in _commas(s[start:end]):
        spans.append((pos, start + c))
        pos = start + c + 1
    spans.append((pos, end))
    out = []
    for a, b in spans:
        seg = s[a:b]
        intro = _ITEM_INTRO.match(seg)
        if intro:
            a += intro.end()
        lead = len(s[a:b]) - len(s[a:b].lstrip())
        a += lead
        b = a + len(s[a:b].rstrip())
        if a < b:
            out.append((a, b))
    return out


def _live_triggers(s: str, m: Mentions, v: Vocab) -> list[tuple[re.Match, str, bool]]:
    """Trigger matches that assert something: not negated, not hypothetical, not adjectives.

    Participles that modify a noun ("gold extracted from …", "the forcibly displaced persons") are read
    as nominal mentions: they refer to the event rather than assert it anew.
    """
    out = []
    for trig in v.trigger.finditer(s):
        kind, form = trig.lastgroup[2:].split("__")
        nominal = form == "noun"
        tstart = trig.start()
        word = trig.group(0)
        before = s[max(0, tstart - 40) : tstart]
        if _in_any(tstart, m.parentheticals) and not nominal and kind not in ("noncompliance", "resource_extraction"):
            continue  # asides such as "…, which has been documented by …," are context, not claims
        if kind != "demand" and _cue(v, "negation", s, tstart):
            continue
        if kind != "demand" and _cue(v, "irrealis", s, tstart):
            continue
        if re.search(r"\bas\s+$", before, re.I):  # "as demanded by …": a reference, not a claim
            continue
        if nominal and kind in ("attack", "control_change") and _TIME_REFERENCE.search(before):
            continue  # "killed during the offensive": the offensive is when, not a new claim
        if not nominal and re.match(r"(?i)occupied|captured|liberated|seized", word) and re.search(
            r"\b(?:the|all|other|recently|newly|its|their|these|those|of|from|in)\s+$", before, re.I
        ):
            continue  # an adjective: "the occupied Kalbajar district", "recently occupied areas"
        if not nominal and re.fullmatch(r"(?i)\w+ed", word):
            after = s[trig.end() : trig.end() + 20]
            reduced = re.search(r"(?<![,;])\b(?!(?:was|were|been|be|is|are|and|or|has|have|had|not|also|then|being)\b)[a-z]+\s+$", before) and re.match(r"\s+(?:from|in|at|during)\b", after)
            attributive = re.search(r"(?:^|\b(?:the|a|an|of|by|for|to|and)\s+)(?:\w+ly\s+)?$", before) and re.match(r"\s+[a-z]+s\b", after) and not re.match(r"\s+(?:from|in|at|by|to|into|as)\b", after)
            if reduced or attributive:
                nominal = "participle"
        out.append((trig, kind, nominal))
    return out


_NO_MENTIONS = Mentions([], [], [], [], [], [], {}, [], [], [])


def _sentence_claims(sent: Sentence, m: Mentions, v: Vocab, gaz: Gazetteer, meta: DocumentMeta, prior: _Prior) -> list[Candidate]:
    s = sent.text
    base = sent.start
    found: list[Candidate] = []
    source = meta.source
    corroborated = None
    cm = v.cues["corroboration"].search(s)
    if cm:
        np = _np_after(s, cm.end())
        corroborated = s[np[0] : np[1]] if np else None

    triggers = _live_triggers(s, m, v)
    # triggers come in text order and do not overlap: their starts and ends are both sorted
    trigger_starts = [t.start() for t, _, _ in triggers]
    trigger_ends = [t.end() for t, _, _ in triggers]
    for trig, kind, nominal in triggers:
        spec = v.kinds[kind]
        tstart, tend = trig.span()
        before = s[max(0, tstart - 40) : tstart]
        subject_place = bool(_SUBJECT_PLACE.match(trig.group(0)))
        passive = bool(_PASSIVE_AUX.search(before)) or bool(re.match(r"(?i)(?:razed|damage)", trig.group(0))) or subject_place
        present = (not nominal and bool(re.match(r"(?i)\w+[^s]s$", trig.group(0).split()[0]))) or bool(
            re.search(r"\b(?:is|are|remains?)\s+(?:\w+\s+)?$", before, re.I)
        ) or bool(nominal and _sentence_has(m, _SUBJECT_TO, s))
        cs, ce = _clause_bounds(s, tstart)

        # the region the trigger speaks about: its subject when passive, its complement otherwise
        if passive and not re.search(r"(?i)inflicted on$", trig.group(0)):
            region = (0 if spec.objects else _subject_start(s, tstart, v), tstart)
            # "… were burned down, and dozens of monuments were damaged": the second verb's subject
            # starts after the first verb
            i = bisect.bisect_right(trigger_ends, tstart)
            if i and spec.objects and re.search(r"[,;]", s[trigger_ends[i - 1] : tstart]):
                region = (max(region[0], trigger_ends[i - 1]), tstart)
            # "… was plundered and destroyed": the subject ends where its verb chain begins
            chain = re.search(r"\s+(?:has been|have been|had been|was|were|is|are|be)\s[^,]*$", s[region[0] : region[1]])
            if chain:
                region = (region[0], region[0] + chain.start())
        else:
            i = bisect.bisect_right(trigger_starts, tend)
            stop = min(trigger_starts[i], len(s)) if i < len(trigger_starts) else len(s)
            if nominal:
                stop = min(stop, ce)
            region = (tend, stop)
            if nominal and spec.needs == "place" and not re.match(r"\s+of\s", s[tend : tend + 4]):
                continue  # "occupation against Azerbaijan" is not the occupation of a place
        region_text = s[region[0] : region[1]]

        # what the trigger needs
        need = spec.needs
        if need == "place":
            if not _places_for(region, m, s, gaz, base) and not v.needs["territory"].search(region_text):
                continue
        elif need == "persons":
            clause_text = s[cs:ce]
            key = ("persons", cs, ce, trig.group(0))  # the triggers of one clause share the answer
            if key not in m.memo:
                m.memo[key] = bool(v.needs["persons"].search(clause_text + " " + trig.group(0)))
            if not m.memo[key]:
                continue
        elif need in ("resource", "goods", "instrument"):
            window = s[max(cs, tstart - 60) : min(len(s), tend + 120)] if need != "instrument" else s[tend : tend + 160]
            if not v.needs[need].search(window) and not (need == "instrument" and _POSSESSIVE_BEFORE.search(before)):
                continue
        elif need == "object":
            if not v.object_any.search(region_text):
                continue

        # a participle modifying a noun is background: its by-phrase may belong to another verb
        agent = None if nominal == "participle" else _agent(s, trig, m, v, nominal, passive)
        explicit_agent = agent is not None
        if _POSSESSIVE_BEFORE.search(before) and not agent or (_POSSESSIVE_BEFORE.search(before) and kind == "legal_act"):
            agent = _reporter(s, len(s), m, v) or agent
        affected = None
        if kind == "demand" and _OBLIGATION.match(trig.group(0)):
            affected, agent = agent, source
        elif kind == "demand" and agent is None:
            agent = source
        attributed = source
        reporter = _reporter(s, tstart, m, v)
        if reporter and kind != "legal_act" or (reporter and not _POSSESSIVE_BEFORE.search(before)):
            attributed = reporter

        instrument = None
        sent_instruments = [i for i in m.instruments]
        companies = [c for c in m.companies if c[0] < tstart] or m.companies
        company = companies[-1][2] if companies and kind in ("resource_extraction", "trade") else None
        if company and kind == "resource_extraction":
            subj = [c for c in m.companies if c[0] < tstart and not _in_any(c[0], m.parentheticals)]
            company = subj[0][2] if subj else company
        parent = m.parents.get(company) if company else None

        site = None
        minerals: list[str] = []
        if kind in ("resource_extraction", "trade", "environmental_damage"):
            sm = _SITE.search(s, tend)
            if sm and kind != "environmental_damage":
                site = sm.group("site")
            zone = s[max(0, tstart - 40) : min(len(s), (sm.end() if sm else tend + 80))]
            minerals = list(dict.fromkeys(x.group(0).lower() for x in v.minerals.finditer(zone)))
            if kind == "resource_extraction" and not sm and not minerals:
                minerals = []
        weapons: list[str] = []
        if kind == "attack":
            weapons = _weapons(s, tend, v)

        when, explicit_when = _when(s, tstart, m, v, meta, present, None)
        if nominal and _ANNIVERSARY.search(before):
            # "on the anniversary of occupation of Kalbajar … and April escalation of 2016": the
            # sentence's date is not the event's
            when, explicit_when = None, False

        common = dict(
            attributed_to=attributed,
            agent=agent,
            corroborated_by=corroborated,
            weapons=weapons,
            minerals=minerals,
            company=company,
            parent_company=parent,
            site=site,
            when=when,
        )

        if kind == "legal_act":
            after = [i for i in sent_instruments if i[0] >= tstart - 40]
            insts = [i for i in after if i[2].startswith("S/RES")] or after[:1]
            if not insts:
                word = v.needs["instrument"].search(s, tend) if "report" not in trig.group(0).lower() else None
                label = "report" if "report" in trig.group(0).lower() else (word.group(0).lower() if word else None)
                if label is None:
                    continue
                label = _ISSUER_INSTRUMENT.get((agent, label), label)
                insts = [(tstart, tend, label)]
            for a, b, name in insts:
                w, ew = when, explicit_when
                if not explicit_when and name.startswith("S/RES"):
                    # no date in the sentence: a resolution is dated by its year, "822 (1993)"
                    w, ew = _when(s, tstart, _NO_MENTIONS, v, meta, False, name)
                span = (min(tstart, a), max(tend, b)) if len(insts) == 1 else (a, b)
                found.append(_cand(kind, s, base, span, sent, common | {"instrument": name, "when": w}, nominal, explicit_agent, ew, (cs, ce), 0.85))
            continue

        if kind == "demand":
            acts = [i for i in sent_instruments if i[2].startswith("S/RES")]
            instrument = acts[0][2] if len({i[2] for i in acts}) == 1 else None
            region_places = _places_for((tend, len(s)), m, s, gaz, base)
            end = min([x for x in (s.find(".", tend), s.find("”", tend), len(s)) if x != -1])
            contents = _demand_contents(s, tend, end)
            for a, b in contents:
                places = [p for p in region_places if a <= p[0] < b] if len(contents) > 1 else region_places
                found.append(
                    _cand(kind, s, base, (a if len(contents) > 1 else tstart, b), sent,
                          common | {"instrument": instrument, "affected": affected, "places": _refs(places, s, gaz)},
                          nominal, explicit_agent, explicit_when, (cs, ce), 0.8)
                )
                found[-1].enumerated = len(contents) > 1
            continue

        if spec.objects:
            items = _object_items(s, region, m, v, spec.objects)
            # an item without a place of its own is in the district (or larger unit) the sentence names
            sentence_places = [p for p in _places_for((0, len(s)), m, s, gaz, base) if p[2].feature in ("district", "region", "country")]
            for (a, b), category, name, count in items:
                target = v.object_kind.get(category, kind)
                item_places = _places_for((a, b), m, s, gaz, base)
                if kind == "heritage_alteration" and name:
                    item_places = [p for p in item_places if p[0] == a] or item_places
                places = item_places + [p for p in sentence_places if p[2].id not in {q[2].id for q in item_places}]
                quantity = None
                if count:
                    unit, _ = _count_noun(s, count)
                    quantity = _quantity(count, unit)
                elif category not in v.mass_objects and _singular(s[a:b], v.objects[category]) and " and " not in s[a:b]:
                    quantity = Quantity(value=1, qualifier="exact", unit=None)
                obj = ObjectRef(category=category, name=name) if target != "environmental_damage" else None
                found.append(
                    _cand(target, s, base, (a, b), sent,
                          common | {"object": obj, "quantity": quantity, "places": _refs(places, s, gaz),
                                    "site": name if kind == "heritage_alteration" else common["site"]},
                          nominal, explicit_agent, explicit_when, (cs, ce), 0.85)
                )
                found[-1].enumerated = len(items) > 1
            continue

        # one claim per trigger; control changes one per place
        count = _nearest_count(s, m, cs, ce, tstart, sent, kind)
        quantity = None
        affected_np = None
        span = (tstart, tend)
        if count:
            unit, affected_np = _count_noun(s, count)
            quantity = _quantity(count, unit)
            span = (min(span[0], count.start), max(span[1], count.end + len(unit or "") + 1))
        if kind in ("killing", "detention_missing", "displacement") and affected_np:
            affected = affected_np
        if kind == "control_change":
            places = _places_for(region, m, s, gaz, base)
            if not places:
                found.append(_cand(kind, s, base, (tstart, max(tend, min(region[1], ce))), sent, common | {"places": []}, nominal, explicit_agent, explicit_when, (cs, ce), 0.7))
            for p in places:
                sp = (min(tstart, p[0]), max(tend, p[1])) if len(places) == 1 else (p[0], p[1])
                found.append(_cand(kind, s, base, sp, sent, common | {"places": _refs([p], s, gaz)}, nominal, explicit_agent, explicit_when, (cs, ce), 0.85))
            continue
        places = _places_for((0, len(s)), m, s, gaz, base)
        found.append(
            _cand(kind, s, base, span, sent,
                  common | {"quantity": quantity, "affected": affected, "places": _refs(places, s, gaz)},
                  nominal, explicit_agent, explicit_when, (cs, ce), 0.8 if not nominal else 0.7)
        )
        if count:
            found[-1].count_span = (count.start, count.end)

    return _discourse(found, prior, sent)


def _cand(kind, s, base, span, sent, fields, nominal, explicit_agent, explicit_when, clause, confidence) -> Candidate:
    # a span may reach past the sentence ("40 houses" plus the character after the unit)
    a, b = max(0, span[0]), min(len(s), span[1])
    while a < b and s[a] in " ,;“”\"":
        a += 1
    while b > a and s[b - 1] in " ,;.“”\"":
        b -= 1
    fields = {k: v for k, v in fields.items() if v is not None or k in ("agent",)}
    claim = Claim(kind=kind, span=(base + a, base + b), text=s[a:b], confidence=confidence, **fields)
    return Candidate(claim, sent, nominal, explicit_agent, explicit_when, clause,
                     place_set=frozenset(p.id for p in claim.places))


def _singular(item: str, pattern: re.Pattern) -> bool:
    head = pattern.search(item)
    return bool(head) and not re.search(r"(?:[^s]s|ies|es)$", head.group(0), re.I)


def _nearest_count(s: str, m: Mentions, cs: int, ce: int, pos: int, sent: Sentence, kind: str) -> Count | None:
    inside = [c for c in m.counts if cs <= c.start < ce]
    if not inside and cs > 0 and kind == "diplomacy":
        # "the CSCE Minsk Group, composed of nine countries, worked out …": the aside before the clause
        pcs, pce = _clause_bounds(s, cs - 2)
        if _in_any(pcs - 1, m.parentheticals) or _PARENTHETICAL.match(s[pcs:pce]):
            inside = [c for c in m.counts if pcs <= c.start < pce]
    # durations and measures are not what a claim counts: "shelled for several days"
    inside = [c for c in inside if not re.match(r"\s+(?:of\s+)?(?:days?|hours?|weeks?|months?|years?|times|minutes?|km|kilomet(?:er|re)s?|metres?|meters?|per ?cent|%)\b", s[c.end :], re.I)]
    if not inside:
        return None
    # the subject's figure first: "264 civilians were killed and 65 persons were taken hostage"
    before = [c for c in inside if c.start < pos]
    return max(before, key=lambda c: c.start) if before else min(inside, key=lambda c: c.start)


def _object_items(s, region, m: Mentions, v: Vocab, allowed) -> list:
    """(span, category, name, count) for every enumerated object the trigger speaks about."""
    out = []
    spans = _items(s, region[0], region[1])
    # the last item's "and" splits it when both sides name an object: "9 kindergarten and hospitals"
    if spans:
        a, b = spans[-1]
        j = s.rfind(" and ", a, b)
        if j != -1 and v.object_any.search(s[a:j]) and v.object_any.search(s[j + 5 : b]) and not re.match(r"\s*(?:in|of|on|at)\b", s[j + 5 : b]):
            spans[-1:] = [(a, j), (j + 5, b)]
    for a, b in spans:
        aside = s[:a].rstrip().endswith(",") and _PARENTHETICAL.match(s[a:b]) and not re.match(r"(?i)an?\s", s[a:b])
        if _in_any(a - 1, m.parentheticals) or aside or re.match(r"(?i)\w+ing\b", s[a:b]):
            continue
        head = v.object_any.search(s, a, b)
        if not head:
            continue
        category = head.lastgroup[2:]
        if category not in allowed and category not in v.object_kind:
            continue
        item = s[a:b]
        # coordinated names sharing one head: "the Ganjasar and Khudavank cloisters"
        co = re.match(r"^(?:(?:The|the)\s+)?(?:original [\w\s]+? of the\s+)?(?P<a>[A-Z][\w-]+) and (?P<b>[A-Z][\w-]+) (?P<h>\w+s)\b", item)
        co = co or re.search(r"\bof the (?P<a>[A-Z][\w-]+) and (?P<b>[A-Z][\w-]+) (?P<h>\w+s)\b", item)
        if co:
            for g in ("a", "b"):
                out.append(((a + co.start(g), a + co.end(g)), category, co.group(g), None))
            continue
        count = next((c for c in m.counts if a <= c.start < b), None)
        # a single complement is cut to its noun phrase: "of the X highway through …" -> "the X highway"
        if len(spans) == 1:
            lead = re.match(r"(?:of|on|to)\s+", item)
            if lead:
                a += lead.end()
            cut = re.search(r"\s+(?:is|was|are|were|has|have|had|through|via|across|linking|connecting|which|that)\s", s[head.end() : b])
            if cut:
                b = head.end() + cut.start()
            item = s[a:b]
        name = _object_name(item, head, a, a == 0)
        out.append(((a, b), category, name, count))
    return out


def _object_name(item: str, head: re.Match, item_start: int, at_sentence_start: bool) -> str | None:
    """A proper name for the object where the item gives one: "Lech castle", "Museum of History",
    "Vardenis-Aghdara highway", "Cultural House named after Ashig Shamshir"; None for "ancient cemetery"."""
    h0, h1 = head.start() - item_start, head.end() - item_start
    before = item[:h0]
    run = re.search(r"((?:[A-Z][\w’'-]*\s+)+)$", before)
    if run and at_sentence_start and run.start() == 0 and len(run.group(1).split()) == 1:
        run = None  # a capital that only opens the sentence
    head_text = item[h0:h1]
    if run:
        name = run.group(1) + head_text
    elif head_text[0].isupper() and not (at_sentence_start and h0 == 0):
        if re.fullmatch(r"[A-Z][a-z]+s", head_text):
            return None  # a capitalised common noun in a list: "Mosques in …"
        name = head_text
    else:
        return None
    tail = re.match(r"\s+(?:of|named after)\s+(?:[A-Z][\w’'-]*\s*)+", item[h1:])
    if tail:
        name += tail.group(0).rstrip()
    # "Albanian cloister and churches": a coordinated head belongs to the name
    coord = re.match(r"\s+and\s+[a-z]+s\b", item[h1:])
    if coord and not tail:
        name += coord.group(0)
    return name.strip()


def _weapons(s: str, pos: int, v: Vocab) -> list[str]:
    out = []
    for h in v.weapon_heads.finditer(s, pos):
        seg_start = max(s.rfind(",", 0, h.start()), s.rfind(" and ", 0, h.start()) + 4, s.rfind(" of ", 0, h.start()) + 3,
                        s.rfind(" with ", 0, h.start()) + 5, s.rfind(" using ", 0, h.start()) + 6)
        phrase = s[seg_start + 1 : h.end()].strip()
        if out and phrase.startswith(out[-1]) or out and out[-1] in phrase:
            out[-1] = phrase
            continue
        out.append(phrase)
    return out


def _demand_contents(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """What is demanded: one item per demanded thing when the demand lists several ("the immediate
    cessation of hostilities and the … withdrawal of …"), else the whole complement."""
    nouns = list(re.finditer(r"(?i)\b(?:withdrawal|right to return|return of|release of|cessation|ceasefire|cease-fire)\b", s[start:end]))
    if len(nouns) < 2:
        return [(start, end)]
    out = []
    prev_end = start
    for i, n in enumerate(nouns):
        a = start + n.start()
        det = None
        for d in re.finditer(r"(?i)\b(?:the|their|its|an?)\s", s[max(prev_end, a - 60) : a]):
            det = d
        if det:
            a = max(prev_end, a - 60) + det.start()
        b = start + nouns[i + 1].start() if i + 1 < len(nouns) else end
        out.append((a, b))
        prev_end = start + n.end()
    # each item ends where the next begins, less the joiner ("…hostilities and the immediate, complete …")
    fixed = []
    for i, (a, b) in enumerate(out):
        if i + 1 < len(out):
            b = out[i + 1][0]
        seg = s[a:b]
        trimmed = re.sub(r"(?i)[\s,]*(?:and|or)?[\s,]*$", "", seg)
        fixed.append((a, a + len(trimmed)))
    return fixed


# ---------------------------------------------------------------- discourse


def _tokens(x: str | None) -> set[str]:
    return {t for t in re.findall(r"\w+", (x or "").lower()) if t not in _STOPWORDS}


def _compatible(a: Claim, b: Claim) -> bool:
    if a.kind != b.kind:
        return False
    pa, pb = {p.id for p in a.places}, {p.id for p in b.places}
    if pa and pb and not pa & pb:
        return False
    if a.when and b.when and a.when.start and b.when.start and a.when.start[:4] != b.when.start[:4]:
        return False
    if a.agent and b.agent and not _tokens(a.agent) & _tokens(b.agent):
        return False
    if a.instrument and b.instrument and a.instrument != b.instrument:
        return False
    if a.quantity and b.quantity and a.quantity != b.quantity:
        return False
    if a.object and b.object and a.object != b.object:
        return False
    return True


def _adds_nothing(new: Claim, old: Claim) -> bool:
    """Whether `new` says nothing that `old` does not already say (agent, date, places, figure)."""
    if new.agent and not old.agent:
        return False
    if new.when and not old.when:
        return False
    if new.quantity and not old.quantity:
        return False
    old_names = {p.name for p in old.places} | {a for p in old.places for a in p.admin_path}
    return all(p.name in old_names or any(o.name in p.admin_path for o in old.places) for p in new.places)


# How many earlier claims of a kind a nominal mention is compared with, to tell whether it only
# repeats one ("the occupation" after "Armenia occupied Kalbajar"). A repeat refers back to
# something said recently; comparing with every earlier claim made long documents quadratic.
_REPEAT_LOOKBACK = 256


class _Prior:
    """The claims of the sentences read so far, as the discourse stage asks for them: those of the
    last sentence that had any, and the most recent ones of each kind."""

    def __init__(self) -> None:
        self.last: list[Candidate] = []
        self.by_kind: dict[str, deque[Candidate]] = defaultdict(lambda: deque(maxlen=_REPEAT_LOOKBACK))

    def extend(self, found: list[Candidate]) -> None:
        if found:
            self.last = found
        for cand in found:
            self.by_kind[cand.claim.kind].append(cand)

    def last_sentence(self, sent: Sentence) -> list[Candidate]:
        """The claims of the sentence before `sent` (the last that had claims) in its paragraph."""
        if self.last and self.last[0].sentence.paragraph == sent.paragraph and self.last[0].sentence.end <= sent.start:
            return self.last
        return []


def _discourse(found: list[Candidate], prior: _Prior, sent: Sentence) -> list[Candidate]:
    last_sentence = prior.last_sentence(sent)
    # an agentless or undated claim takes what the sentence before, in the same paragraph, said
    donor = next((c.claim for c in reversed(last_sentence) if c.claim.agent and c.explicit_agent), None)
    dated = next((c.claim for c in reversed(last_sentence) if c.claim.when and c.explicit_when and not c.claim.when.ongoing), None)
    out: list[Candidate] = []
    kept: dict[tuple[str, tuple[int, int]], list[Candidate]] = {}  # out by kind and span as added
    for cand in found:
        claim = cand.claim
        update = {}
        if claim.agent is None and donor and claim.kind not in ("demand", "legal_act", "diplomacy", "displacement", "killing", "detention_missing"):
            update["agent"] = donor.agent
        if claim.when is None and dated:
            update["when"] = dated.when
        if update:
            claim = claim.model_copy(update=update)
            cand.claim = claim
        # one claim per thing: merge a repeat within the sentence, drop a nominal repeat of an earlier claim
        twin = next(
            # the cheap tests first, _compatible last: a sentence listing many demands compared
            # every pair of them in full
            (o for o in out if o.claim.kind == claim.kind
             and not (o.enumerated and cand.enumerated and o.claim.span != claim.span)
             and (o.count_span == cand.count_span if (o.count_span or cand.count_span) else o.clause == cand.clause or cand.nominal)
             and (o.claim.object is None or o.claim.span == claim.span or o.claim.object == claim.object and (o.claim.object.name or o.claim.span[0] == claim.span[0]))
             and _compatible(o.claim, claim)),
            None,
        )
        if twin is not None:
            a = min(twin.claim.span[0], claim.span[0])
            b = max(twin.claim.span[1], claim.span[1])
            text = sent.text[a - sent.start : b - sent.start]
            twin.claim = twin.claim.model_copy(update={"span": (a, b), "text": text})
            continue
        if cand.nominal and any(_compatible(p.claim, claim) and _adds_nothing(claim, p.claim) for p in prior.by_kind.get(claim.kind, ())):
            continue
        # two triggers over one object ("destroyed the X mine, and it was razed") can give the same
        # claim twice, equal in every field (and so in its id): it is said once
        same_span = kept.setdefault((claim.kind, claim.span), [])
        if any(o.claim == claim for o in same_span):
            continue
        same_span.append(cand)
        out.append(cand)
    return out
