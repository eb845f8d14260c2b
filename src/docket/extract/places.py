"""Places in running text: the toponyms the parse and the gazetteer agree on, resolved with the document.

`find_places(doc, gaz)` reads one Doc (`document.read`) and returns every place mention with its
offsets, the place it resolves to (a `PlaceRef`, or None where the gazetteer abstains or does not know
the name) and a role:

- "place": a location the text talks about ("shelled Tartar", "in the city of Sake");
- "context": a name that points at a country or region but names something else (an adjective or a
  people, "Armenian forces"; a government acting or speaking, "Azerbaijan has brought charges"; a
  country in a title or an institution's name, "the Foreign Minister of Armenia"). It counts as the
  document's context when homonyms are resolved, and never places a claim;
- "dateline": where the reporter or the speaker was ("GENEVA (Reuters) -", "Baku, 12 May /AzerTAc/",
  "said at a press conference in Geneva"), not where the event was. It is resolved with its own line
  only (the prominent city, "IRBIL, Iraq"), and gives no context to the story's names: a wire story
  filed in New York says nothing about which Springfield it is about, nor the story about New York.

Not mentions: a word inside an organisation's, a person's or a treaty's name ("the OSCE Minsk
Group", "the Geneva Conventions", "Stanislav Galic"), next to a capitalised word that makes a longer
name ("United Russia", "Richmond Street"), all-caps initials the gazetteer knows only as some town's
code ("CHW", "NGO"), page chrome (runs of short lines), the publisher's and a dateline's agency,
route names ("the Baku-Tbilisi-Ceyhan pipeline"), and capitalised common words ("Gold", "Most").
A country or first-level division in such a name, and a town in its own institutions' names ("the
Tega Cay Fire Department"), is context.

Candidates come from the gazetteer (curated phrases; capitalised phrases any layer knows) and from
spaCy's entities (GPE, LOC, FAC, NORP), so "Bosnia and Herzegovina" and "Democratic Republic of Congo"
are found whole. Both signals decide. The small model's labels are often wrong on single names
("Mariupol" ORG, "Stepanakert" PERSON), so a label is taken as evidence *against* a place only where
the name sits inside a longer name; otherwise the name's position in the parse decides (the object of
"in/near/from", a compound before "district", a list of places, a possessive before "capital"), and a
name neither the parse nor the entity supports is left out ("Jackson" as a surname). Sentences the
parser did not read are judged more strictly: curated names, names with a feature word, several-word
names of large places, names after "in/near/from", and names the document uses as places elsewhere.

Resolution is the gazetteer's (`gazetteer.resolve.resolve`): the document's countries and regions,
each name once, containment ("Soro village, Thiou district"), distance to the places already
resolved, one sense per name per document. After it, a sense is dropped (the place left None) where
the text says it is a namesake: a small place far from everything else the document names, in a
country it never names (the base layer lacks most villages, and "Alashan" in Karabakh is not Alxa in
China); a sense outside its possessor ("Mosul's Old City"); a city where the text says "village".
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span, Token

from docket.gazetteer import SETTLEMENT_FEATURES, Candidate, Gazetteer, Place
from docket.gazetteer.records import ABBREVIATION, DEMONYM
from docket.gazetteer.resolve import (
    COMMON_WORDS,
    FEATURE_WORDS,
    Mention,
    find_toponyms,
    haversine_km,
    mention_for,
    resolve,
)
from docket.gazetteer.text import fold
from docket.model import DocumentMeta, PlaceRef

ROLES = ("place", "context", "dateline")

# ------------------------------------------------------------------ vocabularies

# spaCy labels of names that are not places: a toponym inside a longer one of these is part of a name
_NAME_LABELS = frozenset({"ORG", "PERSON", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# words inside a place's own name that do not make it the name of something else
_NAME_GLUE = frozenset(
    "the of and for de del la le du da al el & republic federation federal autonomous democratic people's "
    "peoples kingdom state states islamic socialist union territory territories".split()
) | frozenset(FEATURE_WORDS) | {"provinces", "regions", "cities", "towns", "oblasts", "states", "counties"}
# prepositions whose object is a location
_LOCATIVE_PREPS = frozenset(
    "in at near from to into onto across outside inside around toward towards via through throughout within "
    "beyond along off between among behind past over under".split()
)
# head nouns that make a name before them ("Tartar district", "Myanmar's Rakhine state") or after "of"
# ("the city of Sake", "the capital of North Kivu") a place
_PLACE_NOUNS = frozenset(FEATURE_WORDS) | frozenset(
    "capital capitals cities towns villages regions provinces territory territories outskirts part parts east "
    "west north south centre center border borders frontier area areas suburb suburbs heart "
    "residents inhabitants population siege occupation liberation countryside vicinity environs coast port "
    "neighbourhood neighborhood municipalities communities settlements outpost airport people township townships "
    "boroughs parishes".split()
)
# head nouns that make a name before them ("Russia's armed forces", "Azerbaijan aircraft") or after "of"
# ("the President of Russia", "the Ministry of Foreign Affairs of Armenia") stand for its government,
# army or an institution, not a location
_ACTOR_NOUNS = frozenset(
    "government governments authorities authority administration regime ministry ministries minister ministers "
    "president presidency premier prime chancellor king parliament congress senate embassy ambassador envoy "
    "consul consulate delegation delegations delegate delegates representative representatives spokesman "
    "spokeswoman spokesperson official officials leader leaders leadership army armies military forces force "
    "troops soldiers navy police militia side commander commanders chief head office agency service court "
    "prosecutor ombudsman foreign defense defence aggression invasion policy policies position stance "
    "statement decision commitment obligations sovereignty integrity independence interests economy budget "
    "media press team aircraft jets warplanes drones citizens nationals diplomats diplomacy commissioner "
    "commission committee council chairman chairperson secretary director governor mayor".split()
)
# nouns after "against" that make the object a target location ("aggression against Ukraine")
_ATTACK_NOUNS = frozenset(
    "attack attacks aggression offensive war invasion assault strike strikes operation operations campaign "
    "shelling bombardment hostilities".split()
)
# nouns after which "of X" names a place: "the shelling of Goma", "the capture of Sake", "the streets of Bucha"
_EVENT_OF = _ATTACK_NOUNS | frozenset(
    "capture recapture seizure fall blockade encirclement evacuation destruction bombing looting annexation "
    "street streets road roads".split()
)
# verbs after which "on X" names a target location ("an attack by the M23 on Goma")
_ON_TARGET = _ATTACK_NOUNS | frozenset("fire fired march advance push rain fall fell land".split())
# verbs whose direct object is a location: "shelled Mariupol", "entered Goma", "left Karabakh"
_OBJECT_PLACE_VERBS = frozenset(
    "shell bomb bombard attack strike hit target raid storm besiege invade occupy capture recapture seize "
    "liberate retake take control enter leave reach visit surround encircle evacuate flee cross annex "
    "destroy raze level devastate loot plunder".split()
)
# verbs whose subject may be a country as a location, not as an actor ("Mariupol comes under control")
_LOCATION_VERBS = frozenset("be lie remain border stretch become fall come sit neighbour neighbor include".split())
# speech verbs and events: "said in New York", "a press conference in Geneva" name where the speaker was
_SPEECH_VERBS = frozenset("say tell state announce speak declare add note brief report write comment".split())
_SPEECH_NOUNS = frozenset("conference briefing interview remarks speech statement".split())
# a chain of names joined by hyphens before one of these names a route, not places: "Baku-Tbilisi-Ceyhan pipeline"
_ROUTE_NOUNS = frozenset("pipeline pipelines highway highways road roads railway railways railroad route routes "
                         "corridor motorway flight flights line lines canal".split())

# a capitalised word next to a toponym that keeps it a place: directions, sizes, and the name glue
_PLACE_NEIGHBOURS = frozenset(
    "north south east west northern southern eastern western central north-east north-west south-east "
    "south-west northeast northwest southeast southwest upper lower greater inner outer occupied liberated".split()
)
# nouns after a name that say a person comes from there: "the Alton man", "a Bucha resident"
_ORIGIN_NOUNS = frozenset("man men woman women resident residents native natives boy boys girl girls teen "
                          "teenager farmer student students".split())  # not "family": "the Chase family"
# words before a person's name
_HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady gen general col colonel lt maj major capt captain sgt "
                        "adm admiral president minister prof professor judge rev father sheikh imam".split())
_AFFIX_BEFORE = re.compile(r"(?:pro|anti|non|ex)-$", re.I)
_AFFIX_AFTER = re.compile(r"-(?:backed|led|brokered|based|funded|supported|sponsored|controlled|held|allied|"
                          r"aligned|born|made|owned|run|installed|friendly)\b", re.I)
_QUOTES = "\"'“”‘’«»"
# a dateline: at the start of a line (after at most a date or a label and a date, as pages print them),
# a place, perhaps its country, then an agency in brackets, a dash, a slash or a date
_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:(?:[A-Za-z]{1,12}:?[ \t]+)?\d[\d./:-]*[ \t]+)?[(\[]?[ \t]*$")
_SENTENCE_LEAD = re.compile(r"[.!?]\s+$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATELINE_TAIL = re.compile(
    rf"(?:\s*,\s*(?P<country>[A-Z][\w.]*(?:[ -][A-Z][\w.]*)?))?\s*\)?\s*"
    rf"(?:[—–]|--?\s|\(\s*[A-Z][^()\n]{{0,40}}\)\s*[—–:-]|/\s*(?:\d{{1,2}}[./-]\d|[A-Z][a-z])|,\s*(?:\d|{_MONTH}\b))",
    re.I,
)
# where a dateline's head ends (what is between the place and this is its agency and date)
_DATELINE_END = re.compile(r"\s[—–-]{1,2}\s|[—–]|:\s|/\.?\s|\.\s")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w'’-])")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|from|into|outside|inside|around|towards?|across|throughout)\s+"
                              r"(?:the\s+)?(?:(?:city|town|village|region|district|province)\s+of\s+)?$", re.I)
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*) $")
_WORD_AFTER = re.compile(r" ([^\W\d_][\w'’.-]*)")
_ARTICLE = re.compile(r"(?:A|An|The)\s+(?=\S)")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_NUMBER_AFTER = re.compile(r" \d")
_DATE_AFTER = re.compile(rf" \d{{1,2}}(?:\s*(?:and|-|–|,)\s*\d{{1,2}})*\s+{_MONTH}\b", re.I)  # "Geneva 27 and 28 May"
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
# words after a town's name that make an institution of the town: it locates the document
_LOCAL_AFTER = re.compile(
    r"(?:\s+(?:City|County|Town|Township|Village|Area|Regional|Municipal|Metropolitan|Public|Volunteer|Community))*"
    r"\s+(?:Police|Sheriff|Fire|Council|Schools?|High|Elementary|Library|Hospital|Court|Office|Department|"
    r"Transit|Health|Water|Chamber|Senior|Mayor|Administration|Municipality|Board|Commission)\b")
_LOWER_AFTER = re.compile(r"\s+[a-z]")
_COMMA_GAP = re.compile(r",\s*")
# nouns that name buildings and works: a gazetteer knows towns called "Hall" or "Street"
_FACILITY_NOUNS = frozenset("hall street road avenue lane square center centre building tower hotel restaurant "
                            "school college university hospital station stadium park market lake river mount "
                            "mountain bay port gulf sea island islands valley hill hills".split())
# capitalised words that make a longer name with the toponym next to them ("Richmond Street", "Athens
# University", "Washington Post")
_NAME_WORDS = _FACILITY_NOUNS | frozenset(
    "university college school academy institute court house senate congress group party union police security "
    "assembly department office church cathedral airport airlines airways times post news daily herald tribune "
    "radio television agency company corporation bank club monitor watch foundation fund society league "
    "federation initiative network alliance brigade battalion division regiment army navy front".split()
)
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+")
_POSSESSIVE = re.compile(r"['’]s\s+(?:the\s+)?")
# capitalised words joined by "of (the)", "and" or spaces: "Democratic Republic of the Congo"
# a run starts where a word starts: tried inside a word, at each of its capitals, a 40,000-character
# "word" was scanned to its end from every one of them
_PHRASE = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.-]*(?:(?:\s+(?:of\s+the|of|and|de)\s+|\s+)[A-Z][\w'’.-]*){1,6}")
_HYPHEN_LEFT = re.compile(r"[\w.’']+\s?-\s?$")
_HYPHEN_RIGHT = re.compile(r"\s?-\s?[A-Z][\w.’']*")
_SEGMENT_BREAKS = frozenset({"'s", "’s", ",", "-", "–", "—", "/", "(", ")", "and", "or", "&"})
# feature nouns the parse ties to a name, and the feature they hint at
_HINT_NOUNS = {"capital": "city", "city": "city", "town": "town", "village": "village", "district": "district",
               "region": "region", "province": "province"}
# a feature word that names a site: a candidate of another feature is a namesake, not this site
_SITE_HINTS = frozenset("castle fortress bridge mine deposit monastery church mosque highway road reservoir "
                        "river lake mountain mountains mount".split())
# a place this far from every other place the document names, in a country it never names, is a namesake
_ISOLATED_KM = 750.0
_PROMINENT = 100_000  # a city this large is named for itself (a summit in Pretoria, a siege of Goma)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str  # as written (with a feature word kept with the name: "Tartar district")
    place: PlaceRef | None  # None: the gazetteer abstained or does not know the name
    role: str  # "place", "context" or "dateline" (see the module's docstring)
    reason: str = ""  # why the role, in words (for review and tests)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A toponym candidate that is not a mention, and why ("inside the name 'the OSCE Minsk Group'")."""

    start: int
    end: int
    text: str
    reason: str


@dataclass
class _Candidate:
    mention: Mention
    parsed: bool = False  # in a sentence the trained pipeline read
    span: Span | None = None  # the name's tokens (a parsed sentence) or the sentence's one token
    role: str | None = None
    reason: str = ""
    waits: bool = False  # no support of its own: a place if the document uses the name as one elsewhere
    dateline: bool = False
    people: bool = False  # a people's name formed from the place's ("Sarajevans")
    owner: _Candidate | None = None  # the possessor before it: "Mosul" of "Mosul's Old City"
    strong: bool = False  # a place by a strong sign (a locative, a feature word, an entity): one sense for all

    @property
    def name(self) -> str:
        return self.mention.name

    @property
    def read(self) -> bool:
        return self.parsed and self.span is not None and len(self.span) > 0


# ------------------------------------------------------------------ the component


def find_places(doc: Doc, gaz: Gazetteer, meta: DocumentMeta | None = None,
                rejected: list[Rejected] | None = None) -> list[PlaceMention]:
    """Every place mention of the document, in text order (see the module's docstring). Candidates
    that are not mentions are appended to `rejected`, when given, with the reason."""
    reading = _Reading(doc, gaz, meta)
    cands = reading.judge()
    if rejected is not None:
        rejected += [Rejected(c.mention.start, c.mention.end, c.mention.text, c.reason) for c in cands if c.role is None]
    return _resolved(cands, gaz, reading.text)


class _Reading:
    """One document being read for places: its text, entities, page chrome, datelines, publisher."""

    def __init__(self, doc: Doc, gaz: Gazetteer, meta: DocumentMeta | None):
        # Doc.text joins every token at each call: the text as read, once
        self.doc, self.gaz, self.text = doc, gaz, doc._.docket.text if doc.has_extension("docket") and doc._.docket else doc.text
        ents = _entities(doc)
        self.ents: dict[int, Span] = {i: e for e in ents for i in range(e.start, e.end)}
        self.cands = _candidates(self.text, gaz, ents)
        ctx = doc._.docket if Doc.has_extension("docket") else None
        if ctx is not None:
            starts, parsed = ctx.starts, ctx.parsed
        else:  # a Doc from any pipeline: its own sentences, all read if it has a parse
            has_parse = doc.has_annotation("DEP")
            starts = [s.start for s in doc.sents] if has_parse else [0]
            parsed = [has_parse] * len(starts)
        for c in self.cands:
            m = c.mention
            c.span = doc.char_span(m.start, m.start + len(m.name), alignment_mode="expand")
            first = c.span.start if c.span is not None and len(c.span) else 0
            c.parsed = bool(parsed[max(0, bisect.bisect_right(starts, first) - 1)]) if parsed else False
        for prev, c in itertools.pairwise(self.cands):
            if _POSSESSIVE.fullmatch(self.text, prev.mention.end, c.mention.start):
                c.owner = prev
        self.covered = bytearray(len(self.text) + 1)  # characters inside some candidate's name
        for c in self.cands:
            self.covered[c.mention.start : c.mention.start + len(c.name)] = b"\x01" * len(c.name)
        self.index = {id(c): k for k, c in enumerate(self.cands)}
        self.starts = [c.mention.start for c in self.cands]
        self.lower = frozenset(_LOWER_WORD.findall(self.text))
        # a person named in full somewhere ("Stanislav Galic") is a person where the surname stands alone
        self.surnames = {fold(e[-1].text) for e in ents if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title
                         and not any(t.tag_ == "POS" or t.lower_ in ("'s", "’s") for t in e)
                         and any(t.is_title and not self.covered[t.idx] for t in e[:-1])}
        self.chrome = _chrome_lines(self.text)
        self.title_lines: dict[int, bool] = {}  # line start -> set in title case
        self.publisher, self.brand = _publisher(self.text, meta)
        self.heads: list[tuple[int, int, int]] = []  # what follows each dateline's place (country, agency, date)
        for c in self.cands:
            head = _dateline(self.text, c.mention)
            if head is not None and not self._in_head(c.mention.start):
                c.dateline = True
                self.heads.append(head)

    def _in_head(self, pos: int) -> tuple[int, int, int] | None:
        k = bisect.bisect_right(self.heads, (pos, 1 << 62)) - 1  # heads come in text order
        return self.heads[k] if k >= 0 and self.heads[k][0] <= pos < self.heads[k][1] else None

    def judge(self) -> list[_Candidate]:
        for c in self.cands:
            self._judge(c)
        _second_pass(self.cands, self.text, self.surnames)
        return self.cands

    # -------------------------------------------------------------- the rules

    def _judge(self, c: _Candidate) -> None:
        """Rules that hold in any sentence: the page, the publisher, the spelling, the dateline."""
        m, text = c.mention, self.text
        if _in_lines(self.chrome, m.start):
            c.reason = "page chrome"
            return
        if any(a <= m.start < b for a, b in self.publisher) or (self.brand and fold(c.name) == self.brand):
            if _is_country(m.candidates):
                c.role, c.reason = "context", "in the publisher's name"
            else:
                c.reason = "the publisher's name"
            return
        if c.dateline and not (_initials(c.name) and len(c.name) < 4):
            c.role, c.reason = "dateline", "a dateline"
            m.hint = m.hint or "city"  # a dateline names a city: "NEW YORK" is not the state
            return
        if _initials(c.name):
            m.candidates = _initials_candidates(c.name, m.candidates, self.gaz)
            if not m.candidates:
                c.reason = "initials"
                return
        if _quoted(text, m.start, m.start + len(c.name)) and not m.curated:
            c.reason = "a name in quotation marks (a nickname, a weapon, a metaphor)"
            return
        if c.people or all(x.kind == DEMONYM for x in m.candidates):
            c.role, c.reason = "context", "a people or an adjective"
            return
        head = self._in_head(m.start)
        if head is not None:
            if head[2] == m.start:
                c.role, c.reason = "dateline", "a dateline's country"
            else:
                c.reason = "a dateline's agency or date"
            return
        if len(c.name.split()) == 1 and not m.curated and _common(c.name):
            c.reason = "a common word"
            return
        country = _is_country(m.candidates)
        if _AFFIX_BEFORE.search(text, max(0, m.start - 5), m.start) or _AFFIX_AFTER.match(text, m.end):
            c.role, c.reason = "context", "an affix makes it an adjective (pro-, -backed)"
            return
        if _route(text, m):
            c.role, c.reason = ("context" if country else None), "a route's name (the Baku-Tbilisi-Ceyhan pipeline)"
            return
        longer = "" if m.curated else self._inside_longer_name(c)
        if longer:
            context = _is_country_or_region(m.candidates) or self._local_institution(c, m.end)
            c.role, c.reason = ("context" if context else None), longer
            return
        if len(c.name.split()) == 1 and not m.curated and _NUMBER_AFTER.match(text, m.start + len(c.name)) and not (
                _DATE_AFTER.match(text, m.start + len(c.name))):
            c.reason = "a name followed by a number (a unit, a route: 'Pack 122')"
            return
        if self._the_town(c):
            c.reason = "'the' before a town's name: an institution or a group ('the Duma', 'the Minsk')"
            return
        within = self._within_next(c)
        if within:
            c.role, c.reason, c.strong = "place", within, True
            return
        if c.read:
            self._judge_parsed(c, country)
        else:
            self._judge_unparsed(c)

    def _the_town(self, c: _Candidate) -> bool:
        """'the Duma', 'the Minsk' (group): a town's name as the head of a noun phrase with 'the'."""
        m = c.mention
        if (len(c.name.split()) != 1 or m.curated or m.hint or not _THE_BEFORE.search(self.text, max(0, m.start - 4), m.start)
                or not all(x.place.feature in SETTLEMENT_FEATURES for x in m.candidates)):
            return False
        if c.read:  # "the Benghazi hospital": 'the' is the hospital's
            return any(ch.dep_ == "det" and ch.lower_ == "the" for ch in c.span.root.children)
        return not _LOWER_AFTER.match(self.text, m.end)

    def _within_next(self, c: _Candidate) -> str:
        """'Reston, Virginia', 'Krasnodar, Russia': a name followed by one of a place it may lie in."""
        k = self.index.get(id(c))
        nxt = self.cands[k + 1] if k is not None and k + 1 < len(self.cands) else None
        if nxt is None or not _COMMA_GAP.fullmatch(self.text, c.mention.end, nxt.mention.start):
            return ""
        outer = [x.place for x in nxt.mention.candidates if x.kind != DEMONYM][:10]
        for x in c.mention.candidates[:40]:
            if any(self.gaz.is_within(x.place, o) and x.place.id != o.id for o in outer):
                return f"lies in the place named after it ({nxt.name})"
        return ""

    def _inside_longer_name(self, c: _Candidate) -> str:
        """A toponym next to a capitalised word that is no toponym, direction or feature word is part
        of a longer name ("United Russia", "GeoProMining Gold", "Richmond Street", "Yokohama Japanese
        Restaurant"), unless its line is set in title case (a headline: "Russia Takes Control of …")."""
        text, m = self.text, c.mention
        before = _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
        after = _WORD_AFTER.match(text, m.end)  # after its feature word, if any ("the Dnepr River")
        if before is not None and _SENTENCE_START.search(text, max(0, before.start(1) - 3), before.start(1)):
            before = None  # "Official Baku defies …": capitalised for its place in the sentence
        for w in (before, after):
            if w is None or not w.group(1)[:1].isupper() or _glue(w.group(1)):
                continue
            other = self._candidate_at(w.start(1))
            if other is not None and not _common(other.name) and fold(other.name) not in _ACTOR_NOUNS and (
                    _big_or_curated(m) or _big_or_curated(other.mention)):
                continue  # two places side by side: "Decatur Illinois", "MOSUL Iraq"
            if self._title_case(m.start):
                return ""
            return f"part of a longer name ('{w.group(1)}')"
        return ""

    def _local_institution(self, c: _Candidate, end: int) -> bool:
        """'the Tega Cay Fire Department', 'the Laurel County Sheriff's Office': an institution of the
        place, which locates the document (context), unlike a group or a treaty named after a city."""
        return bool(_LOCAL_AFTER.match(self.text, c.mention.start + len(c.name), min(len(self.text), end + 40)))

    def _candidate_at(self, pos: int) -> _Candidate | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        if k >= 0 and self.cands[k].mention.start <= pos < self.cands[k].mention.start + len(self.cands[k].name):
            return self.cands[k]
        return None

    def _title_case(self, pos: int) -> bool:
        """Whether the line is a headline set in title case (its words that are no toponym capitalised)."""
        a = self.text.rfind("\n", 0, pos) + 1
        if a not in self.title_lines:
            b = self.text.find("\n", pos)
            words = [w.group(0) for w in _LONG_WORD.finditer(self.text, a, b if b != -1 else len(self.text))
                     if not self.covered[w.start()]]
            self.title_lines[a] = len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
        return self.title_lines[a]

    def _judge_parsed(self, c: _Candidate, country: bool) -> None:
        """A sentence the parser read: the entity, the word and its position decide."""
        m, span, ents = c.mention, c.span, self.ents
        if {ents[i].label_ for i in range(span.start, span.end) if i in ents} & _NUMERIC_LABELS:
            c.reason = "a date or a number"
            return
        root = span.root
        ent = ents.get(root.i)
        label = ent.label_ if ent is not None else ""
        if ent is not None and label in _NAME_LABELS:
            extra = _extra_words(_segment(ent, span), span, self.covered, person=label == "PERSON")
            if extra and label in ("EVENT", "WORK_OF_ART") and _after_of(span) and (
                    m.curated or any(_big(x) for x in m.candidates)):
                c.role, c.reason = "place", f"what '{ent.text}' is of"
                return
            if extra:
                context = _is_country_or_region(m.candidates) or self._local_institution(c, ent.end_char)
                c.role = "context" if context else None
                c.reason = f"inside the name '{ent.text}' ({label})"
                return
        single = len(span) == 1 and not m.curated
        if single and (_common(c.name) or fold(c.name) in _ACTOR_NOUNS):
            c.reason = "a common word"
            return
        if single and label not in ("GPE", "LOC") and c.name.lower() in self.lower:
            c.reason = "a word the document also writes in lower case"
            return
        if single and root.pos_ != "PROPN" and not (label in ("GPE", "LOC") and root.pos_ == "NOUN"):
            # a capitalised common word ("Mass looting", "Most of the rockets"), unless a feature word
            # or its position makes a noun a name ("the city of Sake")
            if not ((m.hint and root.pos_ in ("ADJ", "NOUN")) or (root.pos_ == "NOUN" and _place_like(root)[1])):
                c.reason = f"not a proper noun ({root.pos_})"
                return
        if span.start > 0 and root.doc[span.start - 1].lower_.rstrip(".") in _HONORIFICS:
            c.reason = f"a person's name ({root.doc[span.start - 1].text} …)"
            return
        if _superlative_scope(root):
            c.role, c.reason = "context", "the scope of a superlative (the largest … in X)"
            return
        if _speech_place(root):
            c.role, c.reason = "dateline", "where the speaker was"
            return
        if _seat(root):
            c.role, c.reason = "context", "where an organisation is registered or based"
            return
        other = _names_other(root, ents, country or any(x.place.capital for x in m.candidates))
        if other:
            c.role, c.reason = "context", other
            return
        why, strong = _place_like(root)
        m.hint = m.hint or _hint_from_parse(root)
        if self._surname(c) and not (why and strong):
            c.reason = "a person's name (named in full in the document)"
            return
        if why and (strong or label not in ("PERSON", "ORG") or _big_or_curated(m)):
            c.role, c.reason = "place", why
        elif m.hint:
            c.role, c.reason = "place", f"feature word '{m.hint}'"
        elif label in _PLACE_LABELS:
            c.role, c.reason = "place", f"entity {label}"
        elif m.curated:
            c.role, c.reason = "place", "a curated name"
        elif country and root.tag_ in ("NNP", "NNPS"):
            c.role, c.reason = "place", "a country"
        else:
            c.waits, c.reason = True, f"no support ({label or 'no entity'}, {root.dep_})"
        c.strong = c.role == "place" and (strong or label in _PLACE_LABELS or m.curated or bool(m.hint))

    def _judge_unparsed(self, c: _Candidate) -> None:
        """A sentence the parser did not read: only what the gazetteer is sure of."""
        self._judge_unread(c)
        c.strong = c.role == "place"

    def _surname(self, c: _Candidate) -> bool:
        return len(c.name.split()) == 1 and not c.mention.curated and fold(c.name) in self.surnames

    def _judge_unread(self, c: _Candidate) -> None:
        m = c.mention
        if self._surname(c):
            c.reason = "a person's name (named in full in the document)"
            return
        words = c.name.split()
        if m.curated:
            c.role, c.reason = "place", "a curated name (unread sentence)"
        elif _common(words[0]) or (len(words) == 1 and c.name.lower() in self.lower):
            c.reason = "a common word"
        elif m.hint:
            c.role, c.reason = "place", f"feature word '{m.hint}' (unread sentence)"
        elif len(words) > 1 or "-" in c.name:
            if any(_big(x) for x in m.candidates):
                c.role, c.reason = "place", "a name of several words (unread sentence)"
            else:
                c.waits, c.reason = True, "a name of several words for a small place (unread sentence)"
        elif _LOCATIVE_BEFORE.search(self.text, max(0, m.start - 30), m.start):
            c.role, c.reason = "place", "after 'in', 'near', 'from' … (unread sentence)"
        else:
            c.waits, c.reason = True, "a single name in an unread sentence"


# ------------------------------------------------------------------ candidates


def _entities(doc: Doc) -> list[Span]:
    """`doc.ents`, read from the token array (spaCy's own getter walks every token in Python, a fifth
    of this component's time on a parsed document)."""
    iob = doc.to_array([ENT_IOB, ENT_TYPE])
    out: list[Span] = []
    start = end = -1
    label = 0
    for i in numpy.flatnonzero((iob[:, 0] == 1) | (iob[:, 0] == 3)).tolist():  # 3: an entity begins, 1: goes on
        if iob[i, 0] == 1 and i == end and iob[i, 1] == label:
            end = i + 1
            continue
        if start != -1:
            out.append(Span(doc, start, end, label=int(label)))
            start = -1
        if iob[i, 0] == 3:
            start, end, label = i, i + 1, iob[i, 1]
    if start != -1:
        out.append(Span(doc, start, end, label=int(label)))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """An entity's characters without a leading article or a trailing possessive."""
    lead = re.match(r"(?:the|The|THE)\s+", text[a:b])
    if lead:
        a += lead.end()
    tail = re.search(r"(?:['’]s|['’])$", text[a:b])
    if tail:
        b -= len(tail.group(0))
    return a, b


_PHRASE_WORDS = 8  # "Democratic Republic of the Congo" is five; "Saint Vincent and the Grenadines" five
_PHRASE_CHARS = 80


def _phrases(text: str, gaz: Gazetteer) -> list[Mention]:
    """Names joined by "of (the)" or "and" that the gazetteer knows whole ("Democratic Republic of the
    Congo", "Bosnia and Herzegovina"): its scan of capitalised runs reads them in pieces."""
    out = []
    for run in _PHRASE.finditer(text):
        if " of " not in run.group(0) and " and " not in run.group(0):
            continue
        words = [(w.start() + run.start(), w.end() + run.start()) for w in re.finditer(r"\S+", run.group(0))]
        best = None
        for i in range(len(words)):
            # the longest from each word, two words at least, and no longer than a name can be (a run
            # of capitalised words is as long as a text makes it: looking up all its pieces was
            # quadratic in it, and a 40,000-character "word" made each lookup that long)
            for j in range(min(len(words), i + _PHRASE_WORDS), i + 1, -1):
                a, b = words[i][0], words[j - 1][1]
                if b - a > _PHRASE_CHARS:
                    continue
                name = text[a:b].rstrip(".,'’")
                if fold(name).split()[-1] in ("of", "and", "the", "de"):
                    continue
                if (best is None or len(name) > best[1] - best[0]) and gaz.candidates(name):
                    best = (a, a + len(name))
            if best is not None:
                break
        if best is not None and (" of " in text[best[0] : best[1]] or " and " in text[best[0] : best[1]]):
            out.append(mention_for(text, best[0], best[1], gaz))
    return out


def _candidates(text: str, gaz: Gazetteer, ents: list[Span]) -> list[_Candidate]:
    """Toponym candidates: the gazetteer's scan, names joined by "of"/"and", and spaCy's place and
    people entities that the gazetteer knows whole ("Democratic Republic of Congo", "Sarajevans")."""
    found = []
    for m in find_toponyms(text, gaz):
        article = _ARTICLE.match(m.name)
        if article and not m.curated:  # "A U.S. Embassy" is looked up as "U.S."
            m = mention_for(text, m.start + article.end(), m.start + len(m.name), gaz)
            if not m.candidates:
                continue
        found.append(m)
    # the mentions by their start, so that a longer name replaces the ones inside it and a name inside
    # one already found is passed over without scanning them all (a scan per entity made a long text
    # quadratic)
    by_start: dict[int, list] = {}
    for m in found:
        by_start.setdefault(m.start, []).append(m)
    longest = max((len(m.name) for m in found), default=0)

    def replace(a: int, b: int, whole) -> None:
        nonlocal longest
        for k in [k for k in range(a, b) if k in by_start]:
            del by_start[k]
        by_start.setdefault(whole.start, []).append(whole)
        longest = max(longest, len(whole.name))

    def covered(a: int, b: int) -> bool:
        return any(m.start + len(m.name) >= b for k in range(a - longest, a + 1) for m in by_start.get(k, ()))

    for whole in _phrases(text, gaz):
        replace(whole.start, whole.start + len(whole.name), whole)
    people: set[int] = set()
    for e in ents:
        if e.label_ not in ("GPE", "LOC", "FAC", "NORP"):
            continue
        a, b = _trim(text, e.start_char, e.end_char)
        if b <= a or not text[a].isupper() or covered(a, b):
            continue
        whole = mention_for(text, a, b, gaz)
        if not whole.candidates:
            continue
        if e.label_ == "NORP" and not gaz.candidates(whole.name):
            people.add(a)  # the gazetteer knows the place, the text names its people
        replace(a, b, whole)
    found = sorted((m for ms in by_start.values() for m in ms), key=lambda m: m.start)
    out, end = [], -1
    for m in found:
        if m.start >= end:
            out.append(_Candidate(m, people=m.start in people))
            end = m.end
    return out


# ------------------------------------------------------------------ what a name is


def _is_country(cands: list[Candidate]) -> bool:
    """Whether a name names a country or a continent (as a name: not as an adjective, nor by a code
    such as "AL" that only all-caps initials may stand for)."""
    return any(c.place.feature in ("country", "continent") for c in cands if c.kind not in (DEMONYM, ABBREVIATION))


def _initials(name: str) -> bool:
    letters = name.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5 and " " not in name


def _initials_candidates(name: str, cands: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """What all-caps initials may name: a curated place, a country written so (DRC, UAE, U.S.), a
    division abbreviated with full stops (N.Y.), or a large city printed in capitals (IRBIL); never a
    town whose code happens to be the initials (CHW, NGO)."""
    keep = []
    for c in cands:
        p = c.place
        if c.kind == DEMONYM:
            continue
        if c.kind == ABBREVIATION:
            # a first-level division's abbreviation: "N.Y.", "NSW", "QLD" (two undotted letters are too
            # often something else)
            if p.feature in ("region", "district") and ("." in name or len(name) >= 3):
                keep.append(c)
        elif p.layer == "curated" or p.feature == "country":
            keep.append(c)
        elif len(name) >= 4 and p.population >= _PROMINENT and any(
                fold(n) == fold(name) and not n.isupper() for n, _ in gaz.names(p)):
            keep.append(c)
    return keep


def _is_country_or_region(cands: list[Candidate]) -> bool:
    """A country, a continent or a first-level division named in an institution's name counts as the
    document's context ("the Ontario Municipal Board", "the Illinois State Police"); a town does not."""
    named = [c for c in cands if c.kind not in (DEMONYM, ABBREVIATION)]
    if _is_country(cands):
        return True
    # a city of the name is what a name stands for first ("the OSCE Minsk Group", not Minsk oblast)
    return any(c.place.feature == "region" for c in named) and not any(
        c.place.feature in SETTLEMENT_FEATURES and c.place.population >= _PROMINENT for c in named)


def _big_or_curated(m: Mention) -> bool:
    return m.curated or any(_big(x) for x in m.candidates)


def _glue(word: str) -> bool:
    """A capitalised word next to a toponym that leaves it a place: a function word, a direction,
    name glue ("Republic", "District"), a title ("President"); not a word that makes a longer name
    ("Street", "Council", "University")."""
    w = fold(word)
    if w in _NAME_WORDS or w in _ACTOR_NOUNS:
        return False
    return w in _NAME_GLUE or w in _PLACE_NEIGHBOURS or w in COMMON_WORDS or w in _HONORIFICS


def _common(word: str) -> bool:
    """A word that starts sentences and headlines as often as it names a place ("The", "No", "May")."""
    w = fold(word)
    return (w in COMMON_WORDS or w in _PLACE_NOUNS or w in _FACILITY_NOUNS or w in _PLACE_NEIGHBOURS
            or (len(word) <= 2 and not word.isupper()))


def _big(c: Candidate) -> bool:
    """A candidate a name of several words may be taken for without a parse ("Red Cross" is not the
    village, "New York" is the city)."""
    p = c.place
    return c.kind != DEMONYM and (p.feature in ("country", "continent", "region", "area") or p.population >= _PROMINENT)


def _quoted(text: str, a: int, b: int) -> bool:
    return a > 0 and b < len(text) and text[a - 1] in _QUOTES and text[b] in _QUOTES


def _route(text: str, m: Mention) -> bool:
    """'Baku-Tbilisi-Ceyhan pipeline', 'Oghuz-Gabala-Baku water pipeline': names joined by hyphens
    before a route noun name the route's ends, not where anything happened."""
    a, b = m.start, m.end
    while left := _HYPHEN_LEFT.search(text, max(0, a - 40), a):
        if not left.group(0)[:1].isupper():
            break
        a = left.start()
    while right := _HYPHEN_RIGHT.match(text, b):
        b = right.end()
    if (a, b) == (m.start, m.end):
        return False
    return any(w in _ROUTE_NOUNS for w in re.findall(r"[a-z]+", text[b : b + 30].lower())[:2])


# ------------------------------------------------------------------ what the parse says


def _segment(ent: Span, span: Span) -> list[Token]:
    """The tokens of `ent` around `span` up to a possessive, a comma, a dash, "and", or a lower-case
    word that is not name glue ("Rakhine's Buthidaung", "Artsakh - Stepanakert", "the Zod to
    Switzerland" are several names, not one)."""
    def breaks(t: Token) -> bool:
        return t.tag_ == "POS" or t.lower_ in _SEGMENT_BREAKS or (t.is_lower and t.lower_ not in _NAME_GLUE)

    lo, hi = span.start, span.end
    while lo > ent.start and not breaks(ent.doc[lo - 1]):
        lo -= 1
    while hi < ent.end and not breaks(ent.doc[hi]):
        hi += 1
    return list(ent.doc[lo:hi])


def _extra_words(tokens: list[Token], span: Span, covered: bytearray, person: bool) -> list[str]:
    """Capitalised words of a segment that are not the mention's own and not name glue: in an
    organisation's name not another toponym either, in a person's every other word ("Stanislav Galic")."""
    return [t.text for t in tokens
            if not span.start <= t.i < span.end and (person or not covered[t.idx]) and t.is_alpha
            and t.lower_ not in _NAME_GLUE and (t.is_title or t.is_upper)]


def _after_of(span: Span) -> bool:
    doc, i = span.doc, span.start
    return i > 0 and (doc[i - 1].lower_ == "of" or (i > 1 and doc[i - 1].lower_ == "the" and doc[i - 2].lower_ == "of"))


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _is_noun_of(t: Token, nouns: frozenset[str]) -> bool:
    return _lemma(t) in nouns or t.lower_ in nouns


def _ent_label(t: Token, ents: dict[int, Span]) -> str:
    e = ents.get(t.i)
    return e.label_ if e is not None else ""


def _names_other(root: Token, ents: dict[int, Span], country: bool) -> str:
    """Why a name in this position stands for a government, an army or an institution ('' if not).
    Most rules hold for countries (and capitals) only: "Tartar's shelling" is Tartar shelled,
    "Armenia's shelling" Armenia shelling."""
    head, dep = root.head, root.dep_
    if dep in ("poss", "compound", "nmod", "amod"):
        if _is_noun_of(head, _ACTOR_NOUNS):
            return f"stands for its {head.lower_}"
        if country and dep == "poss" and _lemma(head) in _ATTACK_NOUNS:
            return f"the agent of its {head.lower_}"
        if country and _ent_label(head, ents) in ("PERSON", "ORG"):
            return "in a title or an institution's name"
        if country and dep == "poss" and head.pos_ == "PROPN" and not _is_noun_of(head, _PLACE_NOUNS):
            return f"in the name of something of its own ({head.text})"
        return ""
    if dep == "pobj":
        prep, gov = head.lower_, head.head
        if prep == "by" and country:
            return "the agent (by …)"
        if prep == "of" and (_is_noun_of(gov, _ACTOR_NOUNS) or (country and _ent_label(gov, ents) in ("PERSON", "ORG"))):
            return f"in a title or an affiliation ({gov.text} of …)"
        if prep == "with" and country:
            return "a party (with …)"
        if prep == "against" and country and _lemma(gov) not in _ATTACK_NOUNS:
            return "a party (against …)"
        return ""
    if dep == "nsubj" and country and head.pos_ in ("VERB", "AUX") and _lemma(head) not in _LOCATION_VERBS:
        return f"acts or speaks ({head.lemma_})"
    return ""


def _place_like(root: Token) -> tuple[str, bool]:
    """Why a name in this position is a location ('' if the position says nothing), and whether the
    position is a strong sign (a locative preposition, a feature noun) or a weak one (a subject, an
    object), which a person's or an organisation's name also takes ("Harman was last seen")."""
    head, dep = root.head, root.dep_
    if dep == "pobj":
        prep, gov = head.lower_, head.head
        if prep in _LOCATIVE_PREPS and not (prep == "to" and gov.lower_ in ("according", "due", "thanks", "owing")):
            return f"object of '{prep}'", True
        if prep in ("including", "like", "as") and (_is_noun_of(gov, _PLACE_NOUNS) or _lemma(gov) in _ATTACK_NOUNS):
            return f"'{gov.text} {prep} …'", True
        if prep == "of" and (_is_noun_of(gov, _PLACE_NOUNS) or _lemma(gov) in _EVENT_OF):
            return f"'{gov.text} of …'", True
        if prep == "on" and _lemma(gov) in _ON_TARGET:
            return f"'{gov.text} on …'", True
        if prep == "with" and _lemma(gov) in ("border", "frontier", "boundary"):
            return f"'{gov.text} with …'", True
        return "", False
    if dep in ("compound", "nmod", "amod", "poss") and _is_noun_of(head, _PLACE_NOUNS):
        return f"before '{head.text}'", True
    if dep in ("compound", "nmod") and _is_noun_of(head, _ORIGIN_NOUNS):
        return f"where a {head.lower_} is from", True
    if dep == "nsubjpass":
        return "passive subject", False
    if dep == "dobj" and _lemma(head) in _OBJECT_PLACE_VERBS:
        return f"object of '{head.lemma_}'", False
    if dep == "nsubj" and _lemma(head) in _LOCATION_VERBS:
        return f"subject of '{head.lemma_}'", False
    if any(ch.dep_ == "appos" and _is_noun_of(ch, _PLACE_NOUNS) for ch in root.children):
        return "an apposition names a place", True
    if dep in ("appos", "conj") and _is_noun_of(head, _PLACE_NOUNS):
        return f"listed after '{head.text}'", True
    return "", False


def _hint_from_parse(root: Token) -> str | None:
    """A feature noun the parse ties to the name: "Ukraine's capital, Kyiv", "Goma, the capital"."""
    near = [root.head] if root.dep_ in ("appos", "compound") else []
    near += [t for t in root.children if t.dep_ == "appos"]
    return next((_HINT_NOUNS[_lemma(t)] for t in near if _lemma(t) in _HINT_NOUNS), None)


def _superlative_scope(root: Token) -> bool:
    """'the biggest plant in Europe', 'the largest city in Africa': a comparison, not a location."""
    if root.dep_ != "pobj" or root.head.lower_ not in ("in", "of", "across"):
        return False
    gov = root.head.head
    return gov.tag_ == "JJS" or any(
        ch.tag_ == "JJS" or (ch.dep_ == "amod" and any(g.tag_ == "RBS" for g in ch.children)) for ch in gov.children)


_SEAT_VERBS = frozenset({"register", "incorporate", "headquarter", "base", "domicile", "list"})


def _seat(root: Token) -> bool:
    """'a company registered in Liechtenstein', 'a fund based in London', 'headquartered in Moscow':
    an organisation's seat, which says nothing of where what the claim tells happened."""
    if root.dep_ != "pobj" or root.head.lower_ not in ("in", "at"):
        return False
    gov = root.head.head
    # a participle, or the tagger's past tense where the parse makes it one ("Group registered in …")
    return (gov.tag_ == "VBN" or gov.dep_ == "acl") and _lemma(gov) in _SEAT_VERBS


def _speech_place(root: Token) -> bool:
    """'said in New York', 'a press conference in Geneva': where the speaker was."""
    if root.dep_ != "pobj" or root.head.lower_ not in ("in", "at", "from"):
        return False
    gov = root.head.head
    if _lemma(gov) in _SPEECH_NOUNS:
        return True
    # "said in New York"; but "was reported in Goma" says where the thing reported happened
    return _lemma(gov) in _SPEECH_VERBS and not any(ch.dep_ in ("auxpass", "nsubjpass") for ch in gov.children)


def _second_pass(cands: list[_Candidate], text: str, surnames: set[str]) -> None:
    """Names without support of their own: a place where the document uses the same name as a place,
    or where they are listed with places ("Shushi, Hadrut, Martuni")."""
    places = {fold(c.name) for c in cands if c.role == "place" and c.strong}
    owner = {i: c for c in cands if c.read for i in range(c.span.start, c.span.end)}
    neighbours: dict[int, list[_Candidate]] = {}  # in an unread sentence: the names next to it in a list
    for a, b in itertools.pairwise(cands):
        if _LIST_GAP.fullmatch(text, a.mention.end, b.mention.start):
            neighbours.setdefault(id(a), []).append(b)
            neighbours.setdefault(id(b), []).append(a)
    changed, rounds = True, 0
    while changed and rounds < 8:  # a list is read in text order; a few rounds carry it backwards too
        changed, rounds = False, rounds + 1
        for c in cands:
            if not c.waits:
                continue
            why = ""
            if fold(c.name) in surnames:
                continue
            if fold(c.name) in places:
                why = "the document uses this name as a place"
            elif not c.read:
                if any(n.role == "place" for n in neighbours.get(id(c), ())):
                    why = "listed with places"
            else:
                root = c.span.root
                linked = ([root.head] if root.dep_ in ("conj", "appos") else []) + [
                    t for t in root.children if t.dep_ in ("conj", "appos")]
                if any(t.i in owner and owner[t.i].role == "place" for t in linked):
                    why = "listed with places"
            if why:
                c.role, c.reason, c.waits = "place", why, False
                changed = True
    for c in cands:
        c.waits = False


# ------------------------------------------------------------------ the page


def _dateline(text: str, m: Mention) -> tuple[int, int, int] | None:
    """(start, end, country start or -1) of what follows a place that starts a dateline (its country,
    agency and date), else None."""
    if not _LINE_LEAD.search(text, max(0, m.start - 40), m.start) and not (
            m.name.isupper() and _SENTENCE_LEAD.search(text, max(0, m.start - 4), m.start)):
        return None  # a dateline starts a line, or in capitals a sentence ("… Available. ROCKY HILL - …")
    tail = _DATELINE_TAIL.match(text, m.end)
    if not tail:
        return None
    end = _DATELINE_END.search(text, tail.end() - 1, min(len(text), tail.end() + 60))
    return m.end, end.end() if end else tail.end(), tail.start("country") if tail.group("country") else -1


def _chrome_lines(text: str) -> list[tuple[int, int]]:
    """Page chrome: runs of three or more consecutive short lines none of which ends a sentence or
    reads as a clause (menus, navigation, bylines, captions set line by line)."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    pos = 0
    for line in [*text.split("\n"), ""]:
        a, b = pos, pos + len(line)
        pos = b + 1
        body = line.strip()
        words = body.split()
        # a line in sentence case with a few words is a clause (a list of incidents one a line), not a
        # menu or a headline in title case
        prose = len(words) >= 5 and sum(w[:1].isupper() for w in words) <= len(words) // 2
        if body and len(words) <= 12 and body[-1] not in ".!?;\"”" and not prose:
            run.append((a, b))
            continue
        if len(run) >= 3:
            out += run
        run = []
    return out


def _in_lines(lines: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(lines, (pos, 1 << 62)) - 1
    return i >= 0 and lines[i][0] <= pos <= lines[i][1]


def _publisher(text: str, meta: DocumentMeta | None) -> tuple[list[tuple[int, int]], str]:
    """Where the publisher's name occurs in the text, and the first word of its name (an agency's
    brand, "Turan" of "Turan Information Agency"): neither is a place."""
    name = re.split(r"\s*[(,;]", (meta.publisher or "").strip())[0] if meta else ""
    if not name:
        return [], ""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
    words = [w for w in name.split() if w.lower() not in ("the", "a", "an")]
    first = words[0].strip(",.()") if words else ""
    return spans, fold(first) if len(first) >= 3 else ""


# ------------------------------------------------------------------ resolving


def _resolved(cands: list[_Candidate], gaz: Gazetteer, text: str) -> list[PlaceMention]:
    kept = [c for c in cands if c.role in ("place", "context")]
    datelines = [c for c in cands if c.role == "dateline"]
    chosen: dict[int, Place | None] = {}
    for c, r in zip(kept, resolve([c.mention for c in kept], gaz, text), strict=True):
        chosen[id(c)] = r.place
    by_line: dict[int, list[_Candidate]] = {}
    for c in datelines:
        by_line.setdefault(text.rfind("\n", 0, c.mention.start), []).append(c)
    seen: dict[tuple, list[Place | None]] = {}
    for group in by_line.values():
        # where the reporter sat says nothing about the story's places, nor they about it (a wire story
        # filed in New York about Ukraine is not filed from a Ukrainian village once called New York):
        # a dateline is resolved with its own line only ("IRBIL, Iraq"), each form once
        key = tuple((fold(c.name), c.mention.hint) for c in group)
        if key not in seen:
            seen[key] = [r.place for r in resolve([c.mention for c in group], gaz, text)]
        for c, place in zip(group, seen[key], strict=True):
            chosen[id(c)] = place
    far = _isolated(kept, chosen, gaz)
    # "Mosul's Old City" lies in Mosul: a sense that does not, for any mention of the name, is a namesake
    elsewhere = {fold(c.name) for c in kept if c.owner is not None and chosen.get(id(c)) is not None
                 and not _lies_in(chosen[id(c)], chosen.get(id(c.owner)), gaz)}
    out = []
    refs: dict[tuple[str, str], PlaceRef] = {}
    for c in sorted(kept + datelines, key=lambda c: c.mention.start):
        m = c.mention
        place, reason = chosen[id(c)], c.reason
        if place is not None and m.hint and _site_mismatch(m.hint, place):
            place, reason = None, f"{reason}; the gazetteer has no {m.hint} of this name"
        elif place is not None and fold(m.name) in elsewhere:
            place, reason = None, f"{reason}; no {m.name} is known where the text puts it (X's {m.name})"
        elif place is not None and place.id in far:
            place, reason = None, f"{reason}; the only {m.name} known is far from everything else the document names"
        ref = None
        if place is not None:
            ref = refs.get((place.id, m.text))
            if ref is None:
                ref = refs[(place.id, m.text)] = gaz.ref(place, m.text)
        out.append(PlaceMention(m.start, m.end, m.text, ref, c.role, reason))
    return out


def _site_mismatch(hint: str, place: Place) -> bool:
    if hint in ("village", "villages", "settlement"):
        return place.feature not in ("village", "town")  # "Sus villages" is not Sousse, a city
    return hint in _SITE_HINTS and place.feature not in FEATURE_WORDS.get(hint, ())


def _lies_in(place: Place, owner: Place | None, gaz: Gazetteer) -> bool:
    """Whether a place can be the one its possessor names ("Mosul's Old City" lies in Mosul)."""
    if owner is None or owner.lat is None or place.lat is None or gaz.is_within(place, owner):
        return True
    if owner.feature == "country":
        return place.country == owner.country
    reach = 300 if owner.feature in ("region", "district", "area") else 50
    return haversine_km(place.lat, place.lon, owner.lat, owner.lon) <= reach


def _isolated(kept: list[_Candidate], chosen: dict[int, Place | None], gaz: Gazetteer) -> set[str]:
    """Places far from every other place the document names, in a country it never names: namesakes.
    The base layer has towns of 500 people and more, so the village a document is about is often
    missing while one of the same name elsewhere is not ("Alashan" in Karabakh; Alxa in China)."""
    places: dict[str, Place] = {}
    names: dict[str, set[str]] = {}
    for c in kept:
        p = chosen.get(id(c))
        if p is not None:
            places[p.id] = p
            names.setdefault(p.id, set()).add(fold(c.name))
    if len(places) < 2:
        return set()
    countries: dict[str, set[str]] = {}
    for p in places.values():
        if p.country:
            countries.setdefault(p.country, set()).update(names[p.id])
    out = set()
    for p in places.values():
        if p.feature in ("country", "continent", "region", "area") or p.lat is None or (
                p.population >= _PROMINENT and p.feature in ("city", "town")):
            continue
        if countries.get(p.country, set()) - names[p.id]:
            continue  # the document names its country, or another place in it
        if {a.id for a in gaz.ancestors(p)} & set(places):
            continue
        others = [q for q in places.values() if q.id != p.id and q.lat is not None and not names[q.id] & names[p.id]
                  and q.feature not in ("country", "continent")]
        if others and all(haversine_km(p.lat, p.lon, q.lat, q.lon) > _ISOLATED_KM for q in others):
            out.add(p.id)
    return out
