"""Claims from one document, read from the structure of its sentences (issue 11's extractor).

One spaCy Doc per document (`document.read`: the trained pipeline parses only the sentences a claim
can start in), then Docket's stages over it, each a plain function with its vocabulary as data:
triggers on lemmas (`triggers`), arguments from the dependency tree (`arguments`), places (the
gazetteer with the document as context), dates, counts and attribution, and finally the claims, one per
thing an analyst would count: per coordinated patient, per place of a list, per object category.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from docket.errors import DocketError
from docket.extract.arguments import (
    QUANTIFIERS,
    Frame,
    _a_named_body,
    _parenthesised,
    _pobj,
    _subject,
    continued,
    frame,
    including,
    items,
    negated,
    phrase,
    semantic_head,
)
from docket.extract.attribution import CANDIDATE_WORDS, SaidIndex, attribute_and_name
from docket.extract.dates import DateContext, dates_in
from docket.extract.document import candidate_test, read, sentence_span
from docket.extract.places import Rejected, find_places
from docket.extract.quantities import VAGUE, Count, find_counts
from docket.extract.relations import Relation, stated_relations
from docket.extract.triggers import Trigger, find_triggers, inflected_forms
from docket.gazetteer import Gazetteer, Place, default_gazetteer
from docket.kinds import kinds, schema
from docket.model import Claim, DocumentMeta, ObjectRef, PlaceRef, Quantity, When
from docket.vocab import vocab

# words that report speech: a sentence holding one is parsed too, for who says what
REPORTING = ("say", "said", "tell", "told", "add", "state", "report", "claim", "allege", "announce", "accord",
             "according", "confirm", "estimate", "note", "write", "wrote", "accuse", "warn", "deny", "denied")
# the nouns for people that no lexicon is needed for (the lexicon of people, extract/people.py, adds the rest)
_PEOPLE = {"people", "person", "persons", "civilian", "civilians", "resident", "residents", "inhabitant",
           "child", "children", "woman", "women", "man", "men", "boy", "girl", "soldier", "serviceman",
           "servicemen", "troop", "troops", "fighter", "militant", "detainee", "prisoner", "hostage", "refugee",
           "student", "journalist", "reporter", "villager", "citizen", "victim", "family", "population", "youngster",
           "member", "personnel", "worker", "official", "officer", "protester", "demonstrator", "individual",
           "adult", "male", "female", "elderly", "infant", "baby", "teenager", "pilgrim", "worshipper", "doctor",
           "nurse", "patient", "miner", "farmer", "shepherd", "leader", "commander", "militiaman", "policeman",
           "staff", "crew", "passenger", "dead", "body", "casualty", "looter", "ringleader", "settler", "other",
           "others", "one", "those", "many", "them"}
_TERRITORY = {"territory", "territories", "area", "region", "district", "village", "town", "city", "position",
              "settlement", "land", "province", "township", "state", "country", "capital", "peninsula", "camp",
              "site", "zone", "corridor", "border", "frontline", "plant", "station", "base", "neighbourhood",
              "neighborhood", "community", "locality", "municipality", "republic", "enclave", "heights"}


@dataclass
class Located:
    """A place mention: where it is in the text, and the gazetteer's place (None: a place the parse
    and the list it stands in say is one, which the gazetteer does not know, kept by its name)."""

    start: int
    end: int
    place: Place | None
    mention: str

    def ref(self, gaz: Gazetteer) -> PlaceRef:
        if self.place is None:
            return PlaceRef(name=self.mention, mention=self.mention)
        return gaz.ref(self.place, self.mention)


_LOCATIVES = {"in", "near", "outside", "around", "at"}
_TARGETING = {"against", "on", "upon"}

# kinds whose noun with its own date is a claim by itself ("the ceasefire declaration of 9 November")
_DATED_NOUN_KINDS = {"diplomacy", "legal_act"}

# nouns that introduce a list of places ("the villages of A, B and C", "the cities of …")
_PLACE_LISTS = {"village", "town", "city", "district", "region", "province", "settlement", "community",
                "neighbourhood", "neighborhood", "area", "municipality", "township", "state", "county", "camp"}


def _object_patterns() -> list[tuple[str, re.Pattern]]:
    out = []
    for cat, spec in schema().get("objects", {}).items():
        out.append((cat, re.compile(rf"^(?:{spec['pattern']})$", re.I)))
    return out


_OBJECTS = None


def object_category(tok: Token, allowed: tuple[str, ...] | None = None) -> str | None:
    """The object category a noun phrase's head names ("houses" -> house), from kinds.toml [objects]."""
    global _OBJECTS
    if _OBJECTS is None:
        _OBJECTS = _object_patterns()
    # the head noun with its modifiers before it, longest first ("administrative center", "Cultural
    # House"), then the head alone
    mods = [t for t in tok.children if t.dep_ in ("compound", "amod") and t.i < tok.i]
    words = [" ".join(t.text for t in mods[k:]) + " " + tok.text for k in range(len(mods))] + [tok.text]
    for w in words:
        for cat, pattern in _OBJECTS:
            if (allowed is None or cat in allowed) and pattern.match(w):
                return cat
    return None


# counts without a noun that stand for people where a kind is about people ("killed thousands",
# "displaced millions", "hundreds of thousands facing famine")
_PEOPLE_COUNTS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "many", "several", "dozen",
                  "hundred", "thousand", "million"}


def is_people(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.lower_ in _PEOPLE_COUNTS:
        return True
    if lemma in _PEOPLE or tok.lower_ in _PEOPLE:
        return True
    if tok.ent_type_ in ("NORP", "PERSON") and tok.pos_ in ("PROPN", "NOUN"):
        return True
    try:
        from docket.extract.people import is_people as lexicon

        return lexicon(lemma) or lexicon(tok.lower_)
    except (ImportError, DocketError):
        return False


def _budget(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise DocketError("extraction took longer than its budget (set DOCKET_EXTRACT_SECONDS)")


def extract(text: str, meta: DocumentMeta | None = None, gazetteer: Gazetteer | None = None,
            budget: float | None = None) -> tuple[list[Claim], list[Relation]]:
    """The document's claims (in text order) and the relations it states.

    Raises DocketError, and nothing else: when the extraction takes longer than `budget` seconds
    (default `extract_budget()`), when the model cannot be loaded, and, wrapping the original error, on
    any failure of its own, so that one bad text is one line in an ingest report, not a traceback."""
    try:
        return _extract(text, meta, gazetteer, budget)
    except DocketError:
        raise
    except Exception as e:  # noqa: BLE001 - the contract above: callers see DocketError only
        detail = (str(e).splitlines() or [""])[0][:200]
        raise DocketError(f"extraction failed ({type(e).__name__}: {detail})") from e


def _extract(text: str, meta: DocumentMeta | None, gazetteer: Gazetteer | None,
             budget: float | None) -> tuple[list[Claim], list[Relation]]:
    from docket.extract.claims import extract_budget

    meta = meta or DocumentMeta()
    meta = speaking(meta)
    gaz = gazetteer or default_gazetteer()
    deadline = time.monotonic() + (budget if budget is not None else extract_budget(len(text)))
    test = candidate_test((), inflected_forms() | set(REPORTING) | set(CANDIDATE_WORDS))
    doc = read(text, test, deadline)
    _budget(deadline)
    saids, namer = attribute_and_name(doc, meta.source)
    doc._.docket.notes["said"] = SaidIndex(saids)
    doc._.docket.notes["name"] = namer
    # places: find_places's mentions in the role "place" (never a country named as an actor, a dateline,
    # or a word in an organisation's name), and the unknown names the parse lists with places
    rejected: list[Rejected] = []
    mentions = find_places(doc, gaz, meta, rejected)
    located = [Located(m.start, m.end, gaz.get(m.place.id) if m.place is not None and m.place.id else None,
                       _with_direction(doc._.docket.text, m.start, m.text))
               for m in mentions if m.role == "place"]
    judged = [(m.start, m.end) for m in mentions if m.role != "place"] + [(r.start, r.end) for r in rejected]
    located = _parts_not_elsewhere(_with_unknown_places(doc, located, judged), doc._.docket.text, gaz)
    located = _elided_places(located, doc._.docket.text, gaz)
    ctx = doc._.docket
    sents = [sentence_span(doc, i) for i, parsed in enumerate(ctx.parsed) if parsed]
    found: list[Claim] = []
    _read_dates(doc, meta)
    told: dict[int, list[Trigger]] = {}
    triggers = _events(find_triggers(doc, sents), told)
    # each trigger is read with its sentence's others (every rule that looks at them stays in the
    # sentence; passing the document's made a long text quadratic)
    fellows = _by_sentence(triggers)
    for trig in triggers:
        _budget(deadline)
        made = _claims(trig, doc, located, meta, gaz, fellows[_sentence_key(trig)])
        if not made and not trig.word.nominal:
            f = frame(trig)
            if not (f.negated or f.irrealis):
                # a verb that says nothing of its own kind about its object ("condemned the prosecution of
                # X"): the noun it took for its event tells it
                for noun in told.get(trig.head.i, ()):
                    made.extend(_claims(noun, doc, located, meta, gaz, fellows[_sentence_key(trig)]))
        found.extend(made)
    found = _dedupe(found)
    _inherit(found, ctx, located, gaz)
    found = _without_restatements(found, gaz)
    _the_resolution(found, doc._.docket.text)
    _demands_by_instrument(found)
    return found, stated_relations(ctx.sentences, meta, gaz)


# how a publisher's description goes on after its name: "Reuters (republished by …)", "News.Az,
# reporting a statement of …", "Co-Chairs of the OSCE Minsk Group (statement republished by …)"
_PUBLISHER_NOTE = re.compile(r"\s*\((?![A-Z]{2,8}\))[^()]*\)|,\s*(?:reporting|republish\w*|quoting|citing|via)\b.*$")


def speaking(meta: DocumentMeta) -> DocumentMeta:
    """The document's metadata with its publisher as it speaks in claims (`speaker_name`)."""
    return meta.model_copy(update={"publisher": speaker_name(meta.publisher)}) if meta.publisher else meta


def speaker_name(publisher: str | None) -> str | None:
    """The name a publisher speaks under in its claims' `attributed_to`: its name without the notes
    on how the text reached us (parenthesised remarks other than an acronym, ", reporting …")."""
    if not publisher:
        return publisher
    name = _PUBLISHER_NOTE.sub("", publisher).strip(" ,;")
    return name or publisher


def _paragraph_of(ctx, offset: int) -> int:
    # the sentences' character starts, listed once per document (a list per claim made _inherit quadratic)
    starts = ctx.notes.get("sentence_chars")
    if starts is None:
        starts = ctx.notes["sentence_chars"] = [s.start for s in ctx.sentences]
    i = bisect.bisect_right(starts, offset) - 1
    return ctx.sentences[i].paragraph if i >= 0 else -1


def _inherit(found: list[Claim], ctx, located: list[Located], gaz: Gazetteer) -> None:
    """What a claim does not say it takes from its context, as a reader does: the actor and the places
    of the claim before it in its paragraph (an event story names its actor and place once), else the
    place the document is most about."""
    events = set(kinds_events())
    people_kinds = {k for k, spec in kinds().items() if spec.raw.get("triggers", {}).get("patient") == "persons"}
    counts: dict[str, int] = {}
    for c in found:
        for p in c.places:
            if p.id:
                counts[p.id] = counts.get(p.id, 0) + 1
    focus = None
    if counts:
        best = max(counts, key=lambda k: (counts[k], -min(i for i, c in enumerate(found) if any(p.id == k for p in c.places))))
        focus = next(p for c in found for p in c.places if p.id == best)
    last: dict[int, Claim] = {}
    last_of_kind: dict[tuple[int, str], Claim] = {}  # the last claim of each kind in each paragraph
    story: tuple[int, str] | None = None  # the last actor of an event told, and its paragraph
    people: tuple[int, Claim] | None = None  # the last claim that named who it was about, and its paragraph
    for i, c in enumerate(found):
        par = _paragraph_of(ctx, c.span[0])
        before = last.get(par)
        update = {}
        if c.kind in events and c.agent is None:
            if before is not None and before.agent and before.kind in events:
                update["agent"] = before.agent
            elif story is not None and par - story[0] <= 2:
                update["agent"] = story[1]  # a story names its actor once and goes on about it
        elif c.kind not in events and c.agent is None and (par, c.kind) in last_of_kind and \
                last_of_kind[(par, c.kind)].agent:
            # "the court sentenced two officers. One was sentenced to life": the act told on, by its actor
            update["agent"] = last_of_kind[(par, c.kind)].agent
        if not c.places:
            if before is not None and before.places:
                update["places"] = before.places
            elif focus is not None:
                update["places"] = [focus]
        told = before if before is not None and before.kind in people_kinds and not _weak_affected(before.affected) \
            else (people[1] if people is not None and people[1].kind == c.kind and par - people[0] <= 1 else None)
        if c.kind in people_kinds and _weak_affected(c.affected) and told is not None:
            # "the arrests took place in …", "many of them were executed", "killing 25": the people the
            # story has just told of
            update["affected"] = told.affected
        elif c.affected is None and c.kind in people_kinds and c.quantity is not None and c.quantity.unit == "people":
            update["affected"] = "people"
        if not c.site and before is not None and before.site and c.kind in events and before.kind in events and \
                {p.id or p.name for p in update.get("places", c.places)} <= {p.id or p.name for p in before.places}:
            update["site"] = before.site  # "… hit the Markale market, killing 43": the story goes on there
        if update:
            found[i] = c.model_copy(update=update)
        last[par] = found[i]
        last_of_kind[(par, c.kind)] = found[i]
        if found[i].kind in people_kinds and not _weak_affected(found[i].affected):
            people = (par, found[i])
        if found[i].kind in events and found[i].agent:
            story = (par, found[i].agent)


_WEAK_AFFECTED = {"them", "those", "many", "others", "many others", "some", "most", "all", "they"}


def _weak_affected(a: str | None) -> bool:
    """No one named: a pronoun or a quantifier."""
    return a is None or a.lower() in _WEAK_AFFECTED


def kinds_events() -> tuple[str, ...]:
    from docket.kinds import event_kinds

    return event_kinds()


def _sentence_key(t: Trigger) -> int:
    return t.head.sent.start


def _by_sentence(triggers: list[Trigger]) -> dict[int, list[Trigger]]:
    """The triggers of each sentence, in text order, by the sentence's first token."""
    out: dict[int, list[Trigger]] = {}
    for t in triggers:
        out.setdefault(_sentence_key(t), []).append(t)
    return out


def _events(triggers: list[Trigger], told: dict[int, list[Trigger]] | None = None) -> list[Trigger]:
    """One trigger per event: triggers of one kind coordinated or stacked in one phrase ("strikes,
    shelling and UAV attacks", "looted and burned") are one event, read from the first. `told` gets,
    for a verb, the object nouns of its kind it read as its own event."""
    from docket.extract.arguments import LIGHT_VERBS

    out: list[Trigger] = []
    # a light verb of one kind whose object is another kind's noun ("signed an agreement", "announced a
    # ceasefire") carries that noun's claim, not one of its own
    nouns = {t.head.i: t for t in triggers if t.word.nominal}
    taken: set[int] = {
        t.head.i for t in triggers if not t.word.nominal and t.head.lemma_.lower() in LIGHT_VERBS and any(
            c.dep_ in ("dobj", "nsubjpass") and c.i in nouns and nouns[c.i].kind != t.kind for c in t.head.children)}
    fellows = _by_sentence(triggers)  # what one trigger makes of another stays in their sentence
    for t in triggers:
        if t.head.i in taken:
            continue
        if t.word.nominal and t.head.dep_ == "compound" and t.head.head.i in nouns and \
                nouns[t.head.head.i].kind == t.kind and nouns[t.head.head.i].head.i not in taken:
            continue  # "a ceasefire agreement": one event, read from the noun the phrase is about
        out.append(t)
        # verbs that each say what they did to whom are two events ("killed 12 civilians in A and
        # killed 4 soldiers in B"); "looted and burned the houses" is one
        # and demands that each say what they demand ("urge the sides to lift …, and call on them to
        # implement …") are two demands
        contents = bool(kinds()[t.kind].raw.get("triggers", {}).get("contents"))
        group = {c.i for c in t.head.conjuncts if not (_own_object(t.head) and _own_object(c)) and
                 not (contents and _own_content(t.head) and _own_content(c))}
        for other in fellows[_sentence_key(t)]:
            if other is t or other.kind != t.kind:
                continue
            h = other.head
            if h.i in group or (h.head.i == t.head.i and h.dep_ in ("compound", "amod", "nmod")) or \
                    _tells_of(h, t.head) or \
                    (not t.word.nominal and h.head.i == t.head.i and h.dep_ in ("dobj", "nsubjpass")) or \
                    (t.head.head.i == h.i and t.head.dep_ in ("compound", "amod", "nmod")) or \
                    (len(t.span) > 1 and t.span.start <= h.i < t.span.end and t.head.lemma_.lower() != "be"):
                # a noun of the verb's own phrase ("came under heavy attacks") is one event with it; a
                # phrase on "be" ("were found dead") is read from its noun
                if h.i not in taken and told is not None and not t.word.nominal and other.word.nominal and \
                        h.head.i == t.head.i and h.dep_ in ("dobj", "nsubjpass"):
                    told.setdefault(t.head.i, []).append(other)
                taken.add(h.i)
    return out


def _tells_of(verb: Token, event: Token) -> bool:
    """Whether a verb says what an event of its kind did, inside that event's phrase: a participle or
    relative clause on the event noun ("strikes hitting civilian homes"), or on the event verb's object
    ("fired shells which hit the market"). A verb that gives a figure of its own is a claim of its own
    ("the massacre, killing 43")."""
    if verb.pos_ != "VERB" or verb.dep_ not in ("acl", "relcl"):
        return False
    if any(c.dep_ in ("dobj", "obj") and (c.like_num or any(g.dep_ == "nummod" for g in c.children))
           for c in verb.children):
        return False
    noun = verb.head
    return noun.i == event.i or noun.dep_ in ("dobj", "obj") and noun.head.i == event.i


def _own_object(verb: Token) -> bool:
    """Whether a verb has its object, or a noun its "of" phrase ("the withdrawal of X and the entry of Y"
    are two events)."""
    if verb.pos_ in ("NOUN", "PROPN"):
        return any(c.dep_ == "prep" and c.lower_ == "of" for c in verb.children)
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ in ("dobj", "obj") for c in verb.children)


def _own_content(verb: Token) -> bool:
    """Whether a verb says what it demands itself: its own clause or its own "for"/"on" phrase."""
    return verb.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("xcomp", "ccomp") or c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on", "upon") and
        any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in verb.children)


# a lower-case compass adjective before a place name says which part of it ("northern Israel", "the
# eastern Democratic Republic of the Congo"): the mention keeps it, as the text writes the place
_DIRECTION_BEFORE = re.compile(r"\b((?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|central)\s+$")


def _with_direction(text: str, start: int, mention: str) -> str:
    m = _DIRECTION_BEFORE.search(text[max(0, start - 20):start])
    return f"{m.group(1)} {mention}" if m else mention


_DIRECTIONS = "North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower"
_DIRECTION_HEAD = re.compile(rf"^(?:{_DIRECTIONS})\s+(\S.*)$")
_DIRECTION_ELIDED = re.compile(rf"\b({_DIRECTIONS})\s*(?:,|and|or|&)\s*$")


def _elided_places(located: list[Located], text: str, gaz: Gazetteer) -> list[Located]:
    """Places a list shares one name's words with: "North and South Kivu" is North Kivu and South Kivu,
    where the gazetteer knows the place the first word makes with the shared rest."""
    out = list(located)
    for loc in located:
        head = _DIRECTION_HEAD.match(loc.mention)
        if head is None:
            continue
        start = loc.start
        while (m := _DIRECTION_ELIDED.search(text[(window := max(0, start - 20)):start])) is not None:
            start = window + m.start(1)
            name = f"{m.group(1)} {head.group(1)}"
            found = gaz.lookup(name)
            same = [p for p in found if loc.place is None or p.feature == loc.place.feature]
            if not same or any(o.start == start for o in out):
                break
            out.append(Located(start, start + len(m.group(1)), same[0], name))
    return sorted(out, key=lambda x: x.start)


def _with_unknown_places(doc: Doc, located: list[Located], judged: list[tuple[int, int]]) -> list[Located]:
    """Add the places the parse says the text names that the gazetteer does not know: a place entity
    (GPE, LOC, FAC) of a parsed sentence, and a proper noun listed with a known place or after
    "the villages of" ("villages of Taghaser, Vardashat and …"); never a span find_places has judged
    (a context or dateline mention, a rejected candidate)."""
    # the spans taken, by start, and the longest: a span can overlap [a, b) only if it starts in
    # [a - longest, b) (every entity tested against every span made a long list of names quadratic)
    taken = sorted([(p.start, p.end) for p in located] + list(judged))
    longest = max((y - x for x, y in taken), default=0)

    def free(a: int, b: int) -> bool:
        lo = bisect.bisect_left(taken, (a - longest, -1))
        hi = bisect.bisect_left(taken, (b, -1))
        return not any(a < y for _, y in taken[lo:hi])

    def take(a: int, b: int) -> None:
        nonlocal longest
        bisect.insort(taken, (a, b))
        longest = max(longest, b - a)

    out = list(located)
    for e in doc.ents:
        if e.label_ in ("GPE", "LOC", "FAC") and free(e.start_char, e.end_char) and not e.text.isupper() and \
                e.root.pos_ == "PROPN" and object_category(e.root) is None and not is_people(e.root):
            out.append(Located(e.start_char, e.end_char, None, e.text))
            take(e.start_char, e.end_char)
    # proper nouns in a list with a place, or in "the villages of …"
    by_token = {}
    for p in out:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            by_token[span.root.i] = p
    for t in doc:
        if t.pos_ != "PROPN" or t.i in by_token or t.dep_ not in ("conj", "appos", "pobj", "compound"):
            continue
        listed = t.dep_ in ("conj", "appos") and t.head.i in by_token
        intro = t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _PLACE_LISTS
        # a name no entity claims after a locative preposition ("schools in Tsar and Chragh")
        # (the small model calls many a one-word village ORG: only a longer organisation's name, or an
        # acronym, or "at" (at Amnesty, at Google) counts against it)
        intro = intro or (t.dep_ == "pobj" and t.head.lower_ in _LOCATIVES and t.is_title and not t.is_sent_start
                          and (t.ent_type_ in ("", "GPE", "LOC", "FAC") or t.ent_type_ == "ORG" and t.ent_iob_ == "B"
                               and (t.i + 1 >= len(doc) or doc[t.i + 1].ent_iob_ != "I") and t.head.lower_ != "at"))
        if t.dep_ == "compound":
            continue
        if (listed or intro) and object_category(t) is None:
            a = t.left_edge.i if t.left_edge.dep_ == "compound" else t.i
            span = doc[a : t.i + 1]
            if free(span.start_char, span.end_char) and not span.text.isupper():
                p = Located(span.start_char, span.end_char, None, span.text)
                out.append(p)
                take(span.start_char, span.end_char)
                by_token[t.i] = p
    return sorted(out, key=lambda p: p.start)


def _places_in(tokens: Span | list[Token], located: list[Located]) -> list[Located]:
    """The places that begin in one of the tokens: tokens, not the characters from the first to the
    last, since a clause leaves out what another trigger's phrase holds ("continued its aggression and
    occupied Agdam": the occupation's place is not the aggression's)."""
    if not tokens:
        return []
    spans = sorted((t.idx, t.idx + len(t)) for t in tokens)
    starts = [a for a, _ in spans]
    out = []
    for p in _between(located, spans[0][0], spans[-1][1]):
        i = bisect.bisect_right(starts, p.start) - 1
        if i >= 0 and p.start < spans[i][1]:
            out.append(p)
    return out


def _between(located: list[Located], lo: int, hi: int) -> list[Located]:
    """The places that start in [lo, hi): found by bisection where the list is the document's own,
    kept sorted by start (a scan per patient made a long list of names cubic)."""
    starts = _STARTS.get(id(located))
    if starts is None or starts[0] is not located or len(starts[1]) != len(located):
        if len(located) < 32:
            return [p for p in located if lo <= p.start < hi]
        starts = (located, [p.start for p in located])
        if all(a <= b for a, b in zip(starts[1], starts[1][1:], strict=False)):
            _STARTS.clear()
            _STARTS[id(located)] = starts
        else:
            return [p for p in located if lo <= p.start < hi]
    keys = starts[1]
    return located[bisect.bisect_left(keys, lo):bisect.bisect_left(keys, hi)]


# the start offsets of the last long list of places looked into (the document's), by the list's id;
# the list itself is kept with them, so an id reused by a later list never finds these
_STARTS: dict[int, tuple[list, list[int]]] = {}


def _free_places(trig: Trigger, doc: Doc, located: list[Located], heads: set[int],
                 agent_toks: set[Token]) -> list[Located]:
    """The places of the trigger's sentence that lie outside the phrases of its other triggers and of
    the actor: where a claim happened when its own clause names no place."""
    sent = trig.head.sent
    held = {t.i for t in agent_toks}
    for h in heads:
        if sent.start <= h < sent.end:
            held |= {t.i for t in doc[h].subtree}
    toks = [t for t in sent if t.i not in held]
    return _places_in(toks, located)


def _clause_tokens(head: Token, others: set[int] | None = None) -> list[Token]:
    """The trigger's clause: its subtree, without the subtrees of other triggers in it (each is a
    claim of its own: "aggression and occupied Agdam, Jabrayil …" gives the occupation its places)."""
    others = (others or set()) - {head.i}
    out, todo = [], [head]
    while todo:
        t = todo.pop()
        out.append(t)
        # another predicate coordinated with the trigger ("killed 68 and wounded 144") says its own thing
        # and so does a verb a preposition governs ("instead of withdrawing from A", "after seizing B")
        todo.extend(c for c in t.children if c.i not in others and not (t.i == head.i and (
            c.dep_ in ("conj", "advcl", "ccomp", "parataxis") and c.pos_ in ("VERB", "AUX") or
            c.dep_ == "prep" and any(g.dep_ == "pcomp" and g.pos_ == "VERB" for g in c.children))))
    return sorted(out, key=lambda t: t.i)


def _count_for(tok: Token) -> Count | None:
    """The count a patient phrase gives ("nine Palestinians", "at least 50 civilians", "dozens of schools")."""
    span = phrase(tok)
    # the phrase's own text, and for a quantified head ("dozens of X") the quantifier before it
    start = span.start
    head = tok
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in (
            "dozens", "hundreds", "thousands", "millions", "scores", "tens", "number", "total"):
        start = min(start, head.head.head.left_edge.i)
        head = head.head.head
    doc = tok.doc
    a, b = doc[start].idx, span.end_char
    text = doc._.docket.text[a:b]
    counts = [c for c in find_counts(text) if c.end <= tok.idx - a + len(tok) or c.start < tok.idx - a]
    if tok.like_num:
        counts = find_counts(text)
    return counts[-1] if counts else None


def _in_date(tok: Token) -> bool:
    """Whether a token is part of a date the text gives ("9" and "2021" of "between 3 and 9 May 2021"):
    never a count."""
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    ctx = tok.doc._.docket
    i = ctx.sentence_of(tok.i)
    return any(m.start <= tok.idx < m.end for m in ctx.notes.get("dates", [[]] * (i + 1))[i])


def _own_date(head: Token, doc: Doc, clause: list[Token]) -> bool:
    """Whether the clause gives a date of its own (not one carried from the story)."""
    ctx = doc._.docket
    i = ctx.sentence_of(head.i)
    lo, hi = min(t.idx for t in clause), max(t.idx + len(t) for t in clause)
    return any(lo <= m.start and m.end <= hi and m.relation != "of" for m in ctx.notes.get("dates", [[]] * (i + 1))[i])


def _read_dates(doc: Doc, meta: DocumentMeta) -> None:
    """Every sentence's dates, read in order against what the text has said so far (extract/dates.py):
    each sentence's mentions, and the last date the text had given before it."""
    ctx = doc._.docket
    dates = DateContext(meta.published)
    per_sentence, last_before = [], []
    for s in ctx.sentences:
        found = dates_in(s.text, dates, s.start)
        per_sentence.append(found)
        last_before.append(dates.last_date)
        # the day a source spoke ("Human Rights Watch said today") dates its words, not the story that
        # the next sentences go on with
        dates.saw(*[m for m in found if not (m.relation == "relative" and _reporting_date(doc, m))])
    ctx.notes["dates"] = per_sentence
    ctx.notes["last_date"] = last_before


def _date_token(doc: Doc, m) -> Token | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None and len(span) and span[0].pos_ != "" else None


def _reporting_date(doc: Doc, m) -> bool:
    """Whether a date says when a source spoke ("said today", "told RFA on Monday", "said Friday")."""
    from docket.extract.attribution import REPORTING_VERBS

    t = _date_token(doc, m)
    for _ in range(3):
        if t is None or t.head.i == t.i:
            return False
        if t.dep_ not in ("npadvmod", "pobj", "prep", "tmod", "advmod", "nmod", "compound"):
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t.lemma_.lower() in REPORTING_VERBS
    return False


def _clause_verb(tok: Token) -> Token | None:
    """The verb whose clause a word is in: the word itself if a verb, else its nearest verb above."""
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _date_rank(m_tok: Token, head: Token) -> int | None:
    """How closely a date belongs to the claim's predicate: 0 it hangs from the trigger's verb directly,
    1 through a clause of that verb ("… since Armenia resumed the tension on September 27"), 2 it
    dates a verb the trigger hangs from; None it dates another clause or a modifier of its own."""
    if not _dates_head(m_tok, head):
        return None
    own = _clause_verb(head)
    if own is None:
        return 0
    t, verbs = m_tok, 0
    while t.i != own.i and t.head.i != t.i:
        t = t.head
        verbs += t.pos_ in ("VERB", "AUX") and t.i != own.i
    if t.i != own.i:
        return 2
    return 0 if verbs == 0 else 1


def _dates_head(m_tok: Token, head: Token) -> bool:
    """Whether a date belongs to the claim's own predicate: the verb it hangs from is the trigger's
    (or one the trigger hangs from), not a verb of a clause of its own inside ("the plant – blockaded
    since April 21 – has been liberated": April 21 dates the blockade)."""
    own = _clause_verb(head)
    if own is None:
        return True
    t = m_tok
    while t.i != own.i and t.head.i != t.i:
        if t.dep_ in ("relcl", "acl") and t.pos_ in ("VERB", "AUX") and not _on_the_subject(t, own):
            return False
        t = t.head
    if t.i == own.i:
        return True
    v = _clause_verb(m_tok)
    if v is None:
        return True
    above = [own, *own.ancestors]
    return any(v.i == a.i or v.i in {c.i for c in a.conjuncts} for a in above)


def _on_the_subject(participle: Token, verb: Token) -> bool:
    """A present participle set off on the verb's subject ("the Council, meeting on Monday, adopted …"):
    it tells what the subject did as it acted, so its date is the verb's."""
    subject = participle.head
    return participle.dep_ == "acl" and participle.tag_ == "VBG" and subject.head.i == verb.i and \
        subject.dep_ in ("nsubj", "nsubjpass") and participle.i > subject.i and \
        participle.doc[participle.i - 1].text == ","


def _present(head: Token) -> bool:
    """Whether the trigger's own predicate is in the present ("conducts airstrikes", "are estimated to
    be held", "looting … is making life a misery"), whatever tense the rest of the sentence has."""
    v = _clause_verb(head)
    for _ in range(4):
        if v is None:
            return False
        finite = [c.tag_ for c in v.children if c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD", "MD")]
        if v.tag_ in ("VBZ", "VBP", "VBD"):
            finite.append(v.tag_)
        if finite:
            return finite[0] in ("VBZ", "VBP") and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in v.children)
        if v.head.i != v.i:
            v = _clause_verb(v.head)  # a verb without a tense takes the tense of the one it hangs from
            continue
        return False
    return False


def _when(head: Token, doc: Doc, meta: DocumentMeta, clause: list[Token] | None = None, event: bool = True) -> When | None:
    """The claim's date: a date of its own clause (the nearest to the trigger), else of its sentence;
    else, for an event told without one, the publication date when the sentence speaks of the present,
    the last date the text gave when it goes on with a story."""
    ctx = doc._.docket
    i = ctx.sentence_of(head.i)
    mentions = [m for m in ctx.notes.get("dates", [[]] * (i + 1))[i] if m.relation != "of" and (m.iso or m.iso_end)]
    parsed = [m for m in mentions if _date_token(doc, m) is not None]
    if parsed:
        # a date of another clause of the sentence dates that clause's event, not this one; of the
        # trigger's own dates, one that hangs from its verb directly comes first ("On Jan. 20, explosions
        # killed two children, while on Jan. 2 …": Jan. 20)
        ranked = [(_date_rank(_date_token(doc, m), head), m) for m in parsed]
        best = min((r for r, _ in ranked if r is not None), default=None)
        mine = [m for r, m in ranked if r is not None and r == best]
        if mine:
            mentions = mine + [m for m in mentions if m not in parsed]
        elif not any(r is not None for r, _ in ranked) and any(m.ongoing for m in parsed):
            mentions = [m for m in parsed if m.ongoing]  # a span the whole sentence tells of ("Since 27 September, …")
        else:
            mentions = [m for m in mentions if m not in parsed]
    inside = []
    if clause:
        lo, hi = min(t.idx for t in clause), max(t.idx + len(t) for t in clause)
        inside = [m for m in mentions if lo <= m.start and m.end <= hi]
        mentions = inside or mentions
    if mentions:
        d = min(mentions, key=lambda m: abs(m.start - head.idx))
        if not inside and d.iso and d.precision == "day" and _before_then(head):
            # "in his report dated 27 July 1993, X said the side had launched an attack": the attack
            # came before that day, not on it
            return When(start=d.iso[:7], precision="month")
        # "so far this year", "in 2023 to date": the clause's own date, counted up to the present
        ongoing = d.ongoing or (d.iso is not None and d.iso_end is None and bool(inside) and any(
            m.relation == "present" and m.ongoing for m in inside) and not d.relation == "of")
        return When(start=d.iso, end=d.iso_end, precision=d.precision, ongoing=ongoing)
    tenses = {t.tag_ for t in head.sent if t.pos_ in ("VERB", "AUX")}
    published = When(start=meta.published, precision={4: "year", 7: "month"}.get(len(meta.published), "day"),
                     ongoing=True) if meta.published else None
    if not event:
        # a state told in the present ("X transfers settlers", "the deposits are subject to exploitation")
        # holds at the document's date
        present = head.tag_ in ("VBZ", "VBP", "VBG") or head.pos_ in ("NOUN", "PROPN") and tenses & {"VBZ", "VBP"}
        return published if present and "VBD" not in tenses else None
    if (head.tag_ in ("VBZ", "VBP", "VBG") and "VBD" not in tenses or _present(head)) and published:
        return published
    last = ctx.notes.get("last_date", [None] * (i + 1))[i]
    if last:
        return When(start=last, precision={4: "year", 7: "month"}.get(len(last), "day"))
    return None


def _before_then(head: Token) -> bool:
    """Whether a verb is in the past perfect ("had disregarded …, launched an attack"), along the verbs
    it is listed with: told as before the time its sentence gives."""
    from docket.extract.arguments import listed_after

    v: Token | None = head
    for _ in range(8):
        if v is None or v.pos_ not in ("VERB", "AUX"):
            return False
        if v.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in v.children):
            return True
        v = listed_after(v) or (v.head if v.dep_ == "conj" and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX")
                                else None)
    return False


def _text_of(tok: Token) -> str:
    span = phrase(tok)
    return span.text.strip()


def _affected_of(p: Token | None, trig: Trigger, want: str, q: Quantity | None) -> str | None:
    """Who a claim is about: the people its patient names ("nine Palestinians", "attacks on UNPROFOR
    personnel"); for a bare count the people it counts ("killed 68 and wounded 144 people"); for an
    instrument the people it is against or for ("charges against 14 captured servicemen", "an arrest
    warrant for the President of Russia Vladimir Putin")."""
    if want == "instrument":
        spec = kinds()[trig.kind].raw.get("triggers", {})
        if p is not None and not trig.word.nominal and trig.word.phrase in spec.get("on_persons", {}) and _a_person(p):
            return _affected(p)  # "sentenced X to …": X
        target = _target_of(p if p is not None else (trig.head if trig.word.nominal else None), spec)
        return _affected(target) if target is not None else None
    if p is None:
        return None
    if p.like_num or p.lower_ in _BARE_VAGUE:
        return None  # the story's people (_inherit), else the "people" a count stands for
    if want == "persons" or is_people(p) and p.pos_ in ("NOUN", "PROPN") and p.ent_type_ not in ("GPE", "ORG"):
        return _affected(p)
    return None


def _a_person(tok: Token) -> bool:
    return is_people(tok) or tok.ent_type_ == "PERSON"


def _target_of(noun: Token | None, spec: dict) -> Token | None:
    """Whom an instrument is against or for: the people of its "against"/"for" phrase ("charges against
    14 servicemen", "a warrant for X"), or the subject of a verb that says it undergoes it ("X received a
    29-year sentence", kinds.toml's `undergo`)."""
    if noun is None:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("against", "for"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and _a_person(obj):
                return obj
    if noun.dep_ in ("dobj", "obj") and noun.head.lemma_.lower() in spec.get("undergo", ()):
        subject = _subject_of(noun.head)
        if subject is not None and subject.lower_ not in ("who", "which", "that") and _a_person(subject):
            return subject
    return None


# the nouns of bodies that issue instruments ("the decisions of the Court", "a resolution of the Council")
_BODIES = {"court", "tribunal", "council", "assembly", "parliament", "government", "ministry", "committee",
           "commission", "union", "organization", "organisation", "agency", "office", "chamber", "cabinet"}


def _institution(tok: Token) -> bool:
    """Whether a noun names a body that issues instruments: an organisation, or a body's noun."""
    return tok.ent_type_ == "ORG" and not _a_person(tok) or tok.lemma_.lower() in _BODIES


def _affected(tok: Token) -> str:
    """Who the claim is about, without the count: "nine Palestinians" -> "Palestinians"; a person named
    in apposition by name ("the commander of the 36th Marine Brigade, Sergey Volynski")."""
    named = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    if named is not None:
        return phrase(named).text
    person = [t for t in phrase(tok) if t.ent_type_ == "PERSON"]
    if person and tok.ent_type_ != "PERSON" and tok.lemma_.lower() in ("president", "minister", "commissioner", "leader"):
        a = person[0].i
        b = person[-1].i + 1
        return tok.doc[a:b].text  # "the President of Russia Vladimir Putin": Vladimir Putin
    span = phrase(tok)
    words = [t for t in span if not (t.like_num or t.dep_ in ("det", "nummod", "quantmod") or t.lower_ in (
        "some", "around", "about", "nearly", "almost", "least", "at", "more", "than", "over"))]
    return " ".join(t.text for t in words).strip() or span.text


def _agent_name(tok: Token | None, sides: bool = True) -> str | None:
    """How a claim's actor is written: as the document names it (extract/attribution.py's namer:
    acronyms written out, pronouns and descriptions resolved), canonical where the actor vocabulary
    knows the name. A weapon or an attack as the subject ("a mortar shell killed …", "strikes hit …")
    is no actor: the claim takes its actor from its context instead."""
    if tok is not None and tok.lower_ in ("who", "which", "that") and tok.head.dep_ == "relcl":
        tok = tok.head.head  # "shells which hit the market": the shells
    if tok is None or tok.lower_ in ("who", "which", "that"):
        return None
    tok = semantic_head(tok) if tok.lower_ in QUANTIFIERS else tok  # "dozens of fighter jets": the jets
    lemma = tok.lemma_.lower()
    if lemma in set(schema().get("weapons", {}).get("lemmas", ())) or lemma in _ATTACK_NOUNS or tok.like_num:
        wielder = _wielder(tok)
        return _agent_name(wielder) if wielder is not None else None
    if lemma in _event_nouns() and not is_people(tok):
        # an event is no actor ("the massacre, killing 43", "the offensive, which displaced …"): the
        # claim takes the actor its story gives (the names before such a noun are mostly its place)
        return None
    listed = items(tok) if sides and tok.dep_ == "pobj" and tok.head.lower_ == "between" else [tok]
    if len(listed) > 1:
        # "fighting between the M23, the DRC army and other armed groups": every side
        names = [n for n in (_agent_name(x, False) for x in listed) if n]
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else (names[0] if names else None)
    if tok.ent_type_ == "DATE" or tok.pos_ == "NUM":
        return None
    namer = tok.doc._.docket.notes.get("name") if tok.doc._.docket is not None else None
    text = namer(tok) if namer is not None else None
    if not text:
        if tok.pos_ == "PRON":
            return None
        text = re.sub(r"^(?:the|a|an)\s+", "", phrase(tok).text.strip(), flags=re.I)
    # where the actor was is the claim's place, not part of its name ("the militia in Dorvan")
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _LOCATIVES and c.i > tok.i and any(
                o.dep_ == "pobj" and (o.pos_ == "PROPN" or o.ent_type_ in ("GPE", "LOC")) for o in c.children):
            tail = tok.doc._.docket.text[c.idx:max(g.idx + len(g) for g in c.subtree)]
            if text.endswith(" " + tail):
                text = text[: -len(tail) - 1].rstrip(" ,")
        elif c.dep_ == "prep" and c.lower_ in _TARGETING and c.i > tok.i and tok.pos_ == "NOUN":
            # what the actor acted against is no part of its name ("the offensive by the rebel army
            # against the town": the parser hangs the target on the actor); a name keeps its words
            # ("the Committee against Torture")
            cut = tok.doc._.docket.text[c.idx:max(g.idx + len(g) for g in c.subtree)]
            if cut in text:
                text = text[: text.index(cut)].rstrip(" ,")
        elif c.dep_ == "prep" and c.lower_ in ("of", "for", "from") and c.i > tok.i and any(
                g.tag_ == "VBG" and g.dep_ in ("pcomp", "amod") or g.lemma_.lower() in _event_nouns()
                for g in c.subtree):
            # what the actor is accused of is no part of its name ("accused the militia of looting shops")
            cut = tok.doc._.docket.text[c.idx:max(g.idx + len(g) for g in c.subtree)]
            if cut in text:
                text = text[: text.index(cut)].rstrip(" ,")
    return _written_out(text) if text else None


_NOT_EVENT_NOUNS = {"body", "dead", "talk", "report", "looter", "hostage", "detainee", "prisoner", "refugee", "idp"}


@cache
def _event_nouns() -> frozenset[str]:
    """The noun lemmas that trigger an event kind's claims ("massacre", "offensive", "looting")."""
    return frozenset(n for k in kinds_events() for n in kinds()[k].raw.get("triggers", {}).get("nouns", ())
                     if " " not in n and n not in _NOT_EVENT_NOUNS)




def _written_out(name: str) -> str:
    """An actor's name as the claim keeps it: the text's form ("Armenian forces"), written out in full
    where the text gives an acronym or a part of the vocabulary's name ("UNSC", "the Security Council":
    "United Nations Security Council"), never reworded into another phrase ("armed forces of Armenia")."""
    full = canonical_actor(name)
    if full == name:
        return name
    words = {w.lower() for w in re.findall(r"\w+", name)}
    if name.isupper() or words <= {w.lower() for w in re.findall(r"\w+", full)}:
        return full
    return name


def _wielder(weapon: Token) -> Token | None:
    """Who used a weapon the text makes the actor ("hit by a Hezbollah rocket", "aircraft from NATO
    began to bomb", "forces fired shells which killed …"): the party named on it, the one it came
    from, or the subject of the verb that used it."""
    for c in weapon.children:
        if c.dep_ in ("compound", "amod", "poss") and c.i < weapon.i and c.ent_type_ in ("ORG", "NORP", "GPE"):
            return c
    for c in weapon.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.ent_type_ in ("ORG", "NORP", "GPE"):
                return obj
    if weapon.dep_ == "dobj" and weapon.head.pos_ == "VERB":
        subject = next((c for c in weapon.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.i != weapon.i:
            return subject
    return None


def canonical_actor(name: str) -> str:
    """The actor vocabulary's name for an actor as written ("Armenian forces" -> "armed forces of
    Armenia"): claims keep the text's form, comparisons of actors use this one."""
    v = vocab()
    for m in v.actors.finditer(name):
        return v.actor_names[m.lastgroup][0]
    return name


_ATTACK_NOUNS = {"strike", "airstrike", "attack", "shelling", "bombardment", "explosion", "blast", "raid", "fire",
                 "detonation", "bombing", "missile", "rocket", "shell", "mine", "landmine", "drone",
                 "talk", "video", "image", "report"}


def _in_subtree(tok: Token, located: list[Located], siblings: list[Token] | set[int] | None = None) -> list[Located]:
    """The place mentions inside a phrase and everything it governs ("the cities of Jenin, Ramallah …"),
    without what its list siblings govern (a list's items often hang from one another). `siblings` may
    be given as their token indices, built once for a whole list."""
    skip = siblings if isinstance(siblings, set) else {s.i for s in siblings or ()}
    out, todo = [], [tok]  # tok itself is never a child of what it governs, so skip may hold it
    while todo:
        t = todo.pop()
        out.append(t)
        # not what a relative clause says of it ("Kharkiv, which lies near the border")
        todo.extend(c for c in t.children if c.i not in skip and c.dep_ != "relcl")
    return _places_in(out, located)


def _place_below(tok: Token, located: list[Located]) -> bool:
    """Whether a phrase names a place: one starts between its left and right edges (a subtree's
    characters, which the parse keeps contiguous), found by bisection."""
    return bool(_between(located, tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)))


def _parts_not_elsewhere(located: list[Located], text: str, gaz: Gazetteer) -> list[Located]:
    """A place written as a part of another ("the Old City of Mosul") lies in it: a homonym the
    gazetteer places elsewhere (an Old City 900 km away) is not it, and the part is kept by its name."""
    from docket.gazetteer.resolve import haversine_km

    out = list(located)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.place is None or b.place is None or not _PART_OF.fullmatch(text[a.end:b.start]):
            continue
        if gaz.is_within(a.place, b.place) or b.place.feature in ("country", "region") and a.place.country == b.place.country:
            continue
        if a.place.lat is not None and b.place.lat is not None and \
                haversine_km(a.place.lat, a.place.lon, b.place.lat, b.place.lon) <= 50:
            continue
        out[i] = Located(a.start, a.end, None, a.mention)
    return out


_PART_OF = re.compile(r"\s+of\s+(?:the\s+)?")


def _parts_of(groups: list[list[Located]], text: str) -> list[list[Located]]:
    """The groups of places that are one claim each, where a place the gazetteer does not know written
    as a part of one it knows ("the Old City of Mosul") goes with it: one place, told with its whereabouts."""
    out: list[list[Located]] = []
    for g in groups:
        before = out[-1][-1] if out else None
        if before is not None and before.place is None and g[0].place is not None and \
                _PART_OF.fullmatch(text[before.end:g[0].start]):
            out[-1].extend(g)
        else:
            out.append(list(g))
    return out


def _subtrees(heads: list[Token]) -> set[Token]:
    """Every token the heads govern, each visited once (a list's items often hang from one another,
    so their subtrees nest: walking each whole made a long list quadratic)."""
    seen: set[int] = set()
    out: set[Token] = set()
    todo = list(heads)
    while todo:
        t = todo.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        out.add(t)
        todo.extend(t.children)
    return out


def _finest(places: list[Located], gaz: Gazetteer, adjacent: bool = False) -> list[Located]:
    """Places minus those that only contain another of them ("Stepanakert, Nagorno-Karabakh": the
    city is the claim's place; the region comes with it as its context). With `adjacent`, only an area
    written next to the place it contains ("the Kalbajar district of Azerbaijan"); one named apart is a
    place of its own ("residents of Tartar … now living in other regions of Azerbaijan")."""
    # each place's areas once (a long list of places compared each with each, building the areas anew
    # every time, was quadratic); without `adjacent`, a place is dropped when another contains it
    areas = {p.place.id: gaz.area_ids(p.place.id) for p in places if p.place is not None}
    if not adjacent:
        inside = {a for pid, ids in areas.items() for a in ids if a != pid}
        return [p for p in places if p.place is None or p.place.id not in inside]
    # with it, only the places written within a few characters of it can count
    order = sorted(range(len(places)), key=lambda i: places[i].start)
    starts = [places[i].start for i in order]
    longest = max((p.end - p.start for p in places), default=0)
    out = []
    for p in places:
        if p.place is not None:
            lo = bisect.bisect_left(starts, p.start - 6 - longest)
            hi = bisect.bisect_right(starts, p.end + 6)
            if any(o.place is not None and o.place.id != p.place.id and p.place.id in areas[o.place.id] and
                   (abs(o.start - p.end) <= 6 or abs(p.start - o.end) <= 6) for o in (places[order[k]] for k in range(lo, hi))):
                continue
        out.append(p)
    return out


def _fits(p: Token, want: str, kind, located: list[Located], besides: Token | None = None) -> tuple[bool, str | None]:
    """Whether a patient is what the kind is about, and its object category; `besides`, a clause inside
    the patient that is not part of what it names (the participle that describes it)."""
    if want == "persons":
        return (is_people(p) or p.like_num), None
    if want == "object":
        cat = object_category(p, kind.objects or None) or _thing(p)
        if cat is None and object_category(p) in vocab().object_kind:
            cat = object_category(p)  # an object that makes the claim another kind's ([object_kind])
        return cat is not None, cat
    if want == "place":
        # a place its possessor names is not the thing ("official Baku's prosecution" is no place)
        owners = [c for c in p.children if c.dep_ == "poss"] + ([besides] if besides is not None else [])
        below = bool(_in_subtree(p, located, {o.i for o in owners})) if owners else _place_below(p, located)
        return below or p.lemma_.lower() in _TERRITORY, None
    if want == "instrument":
        return p.lemma_.lower() in _INSTRUMENTS or bool(re.search(r"\d", p.text)), None
    if want in ("resource", "goods"):
        # what is mined or traded: the kind's vocabulary ([needs] in kinds.toml), or a named mine or deposit
        pattern = _needs(want)
        return bool(pattern.search(phrase(p).text)), object_category(p, kind.objects or None)
    return True, object_category(p, kind.objects or None) or (_thing(p) if kind.objects else None)


# WordNet's kinds of things that are destroyed, damaged, looted or built (extract/people.noun_kind)
_THINGS = {"artifact", "location", "object", "possession", "food", "plant", "animal"}
_TYPE_WORDS = {"residential", "administrative", "military", "civilian", "religious", "cultural", "medical",
               "educational", "industrial", "rocket", "agricultural", "commercial", "public", "government"}


def _thing(p: Token) -> str | None:
    """The category of a thing the object vocabulary does not list, from WordNet: its noun, singular,
    with a modifier that says which kind ("residential building", "rocket launcher"); None when the
    noun is not a thing at all ("hopes", "signs of identity")."""
    if p.pos_ not in ("NOUN", "PROPN") or p.ent_type_ in ("PERSON", "NORP", "GPE", "ORG", "DATE"):
        return None
    try:
        from docket.extract.people import noun_kind

        if noun_kind(p.lemma_) not in _THINGS and noun_kind(p.text) not in _THINGS:
            return None
    except DocketError:
        return None
    kind_words = [c.lemma_.lower() for c in p.children if c.i < p.i and c.dep_ in ("amod", "compound") and
                  c.lemma_.lower() in _TYPE_WORDS]
    return "_".join([*kind_words[-1:], p.lemma_.lower()]).replace(" ", "_").replace("-", "_")


def _needs(name: str) -> re.Pattern:
    if name not in _NEEDS:
        _NEEDS[name] = re.compile(rf"\b(?:{schema().get('needs', {}).get(name, name)})\b", re.I)
    return _NEEDS[name]


_NEEDS: dict[str, re.Pattern] = {}


_INSTRUMENTS = {"resolution", "statement", "decision", "report", "declaration", "warrant", "sanction", "charge",
                "sentence", "law", "decree", "convention", "agreement", "document", "order", "verdict", "judgment",
                "judgement", "indictment", "case", "communique", "communiqué", "protocol", "treaty", "ruling",
                "evaluation", "assessment", "conclusion", "finding", "memorandum", "appeal", "complaint"}


def _contents(trig: Trigger) -> list[tuple[Token, list[Token]]]:
    """What a demand demands, item by item: (the item's head, its tokens). The content is the
    clause or noun phrase the trigger governs ("calls on the sides to take steps …, to de-escalate …
    and to begin negotiations": three items); a modal's content is its own clause ("X should be
    investigated")."""
    w = trig.word
    head = trig.head
    kind = kinds()[trig.kind].raw.get("triggers", {})
    if w.phrase in kind.get("modals", ()):
        verb = head.head if head.dep_ == "aux" else head
        if verb.i == head.i or verb.pos_ not in ("VERB", "AUX"):
            return []
        # "should have been" looks back at what was not done; "it should be noted that" introduces
        if any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children) or verb.lemma_ in _REMARKS:
            return []
        return [(verb, _item_tokens(verb))]
    roots: list[Token] = []
    continued: list[Token] = []
    # a phrase that holds its own preposition ("call for", "insist on") demands what that preposition
    # governs, not what another of the verb's does ("call for the release of X on an all for all basis")
    own_prep = any(t.pos_ == "ADP" for t in trig.span[1:])
    purposes: list[Token] = []
    for tok in trig.span:
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp", "dobj", "obj") and c.i > tok.i:
                roots.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("for", "on", "upon") and c.i > tok.i and not (
                    own_prep and c.i >= trig.span.end):
                roots.extend(x for x in c.children if x.dep_ in ("pobj", "pcomp"))
            elif not w.nominal and c.dep_ == "advcl" and c.i > tok.i and any(g.tag_ == "TO" for g in c.children):
                purposes.append(c)
            elif w.nominal and c.i > tok.i and (c.dep_ == "acl" and any(g.tag_ == "TO" for g in c.children) or
                                                c.dep_ == "appos" and not _parenthesised(c)):
                # "an appeal to reopen the road", "put forward demands — the release of X and …": what a
                # demand noun is said to ask
                roots.append(c)
    if w.nominal and head.dep_ == "nsubj" and head.head.lemma_ == "be" and any(
            c.dep_ in ("acl", "relcl") and any(g.tag_ == "TO" for g in c.children) or c.dep_ == "prep" and c.lower_ in
            ("to", "for") for c in head.children):
        # "the only way to peace is to ensure …": what the noun is said to be; a list the parser hung on
        # the noun after it ("… is to ensure the withdrawal of X, the return of Y") goes on there
        said = [c for c in head.head.children if c.dep_ in ("xcomp", "ccomp", "attr") and c.i > head.i]
        roots.extend(said)
        if said:
            continued = [c for c in head.children if c.dep_ == "appos" and c.i > said[0].i]
    if purposes and all(r.dep_ == "pobj" and r.head.lower_ in ("on", "upon") for r in roots):
        roots += purposes  # "call on the sides to free …", the infinitive parsed as a purpose
    # "urge the sides to lift …": the object is who is urged, the xcomp what
    acts = [r for r in roots if r.pos_ in ("VERB", "AUX")]
    if acts:
        roots = acts
    roots += continued
    out = []
    for r in roots:
        for item in [r, *[c for c in r.conjuncts if c.i > r.i]]:
            objs = [c for c in item.children if c.dep_ in ("dobj", "obj")] if item.lemma_.lower() in _ENSURING else []
            things = sorted({t for o in objs for t in (o, *o.conjuncts) if t.i >= o.i}, key=lambda t: t.i)
            if len(things) > 1:
                # "to ensure the withdrawal of X, the return of Y": each thing to be ensured is a demand
                for thing in things:
                    out.append((thing, ([item] if thing is things[0] else []) + _item_tokens(thing)))
            elif item.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
                out.append((item, _item_tokens(item)))
    return out


# verbs whose object is what is demanded ("to ensure the withdrawal …", "to guarantee the return …")
_ENSURING = {"ensure", "guarantee", "secure", "provide", "allow", "enable", "facilitate"}


_REMARKS = {"note", "say", "mention", "stress", "emphasize", "emphasise", "recall", "remember", "add", "point"}


def _item_tokens(item: Token) -> list[Token]:
    """An item of a content: its subtree without the items coordinated after it."""
    skip = {c.i for c in item.conjuncts if c.i > item.i}
    out, todo = [], [item]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.i not in skip and c.dep_ not in ("cc",))
    return sorted(out, key=lambda t: t.i)


def _subject_of(verb: Token) -> Token | None:
    from docket.extract.arguments import _subject

    return _subject(verb, control=True)


def _issuer_of(noun: Token) -> Token | None:
    """Who issued an instrument: the subject of the verb it is the object of ("the Council adopted a
    resolution"), or its by-phrase."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    if noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX"):
        return _subject_of(noun.head)
    if noun.dep_ in ("conj", "appos") and noun.head.pos_ in ("NOUN", "PROPN"):
        return _issuer_of(noun.head)
    return None


def _demands(trig: Trigger, doc: Doc, located: list[Located], meta: DocumentMeta, gaz: Gazetteer) -> list[Claim]:
    """One claim per demanded item, spanning the item; its places; its actor the one who demands."""
    if negated(trig.head) or any(c.dep_ == "neg" for c in trig.head.head.children if trig.head.dep_ == "aux"):
        return []
    if _asked(trig.head):
        return []  # a question asks; it demands nothing ("Should the council act?")
    spec = kinds()[trig.kind].raw.get("triggers", {})
    if trig.word.nominal and trig.word.phrase in spec.get("stressed", ()) and not (
            trig.head.dep_ in ("dobj", "obj") and trig.head.head.lemma_.lower() in spec.get("stressing", ())):
        return []
    contents = _contents(trig)
    if not contents:
        return []
    verb = trig.head.head if trig.head.dep_ == "aux" else trig.head
    modal = trig.word.phrase in kinds()[trig.kind].raw.get("triggers", {}).get("modals", ())
    # "the only way to peace is to ensure …": a necessity stated, like a modal's, is its speaker's demand
    modal = modal or trig.word.nominal and trig.head.dep_ == "nsubj" and trig.head.head.lemma_ == "be"
    if modal:
        subject, instrument, agent = next((c for c in verb.children if c.dep_ in ("nsubj",)), None), None, None
    else:
        subject, instrument = (_noun_demander(verb), None) if trig.word.nominal else _demander(verb)
        agent = _agent_name(subject) if subject is not None else _intro_actor(verb)
        # "By the terms of resolution 2139 (2014), the Council demanded …": the resolution its sentence names
        instrument = instrument or next(
            (x for x in (_unsc_symbol(t) for t in verb.sent if t.lemma_.lower() == "resolution") if x), None)
    sent = trig.head.sent
    out = []
    for _head, toks in contents:
        places = _finest(_places_in(toks, located), gaz)
        groups = _per_place(places, doc, 1) or [[]]
        for locs in groups:
            a = min(t.idx for t in toks)
            b = max(t.idx + len(t) for t in toks)
            if modal:
                a = min(a, subject.idx) if subject is not None and subject.i < verb.i else a
            a, b = max(a, sent.start_char), min(b, sent.end_char)
            while b > a and doc._.docket.text[b - 1] in " ,;:.\n":
                b -= 1
            while a < b and doc._.docket.text[a] in " ,;:\n":
                a += 1
            said = doc._.docket.notes["said"].at(trig.head.idx)
            # a demand reported in indirect speech is the reporter's account of the demander's demand;
            # a quoted one the speaker's own
            # an obligation stated ("the troops must withdraw") is its speaker's demand
            source, demander = meta.source, meta.source if modal else agent
            if said is not None and said.direct:
                source = said.source
                demander = said.source if modal else demander
            elif said is not None:
                source, demander = said.via or meta.source, agent or said.source
            if modal and demander is None:
                # "X should be investigated": the one who says it should is the one who demands it
                demander = said.source if said is not None else meta.source
            out.append(Claim(kind=trig.kind, span=(a, b), text=doc._.docket.text[a:b], attributed_to=source, agent=demander,
                             instrument=instrument, site=_site(toks, doc, located), places=_with_areas([x.ref(gaz) for x in locs], gaz),
                             when=_when(trig.head, doc, meta, toks, False), confidence=0.6))
    return out


def _asked(tok: Token) -> bool:
    """Whether a word is in a question: the first full stop, question or exclamation mark after it ends
    in "?" (a sentence the parser ran on into the next line ends at that mark)."""
    end = next((t for t in tok.doc[tok.i : tok.sent.end] if t.text in (".", "?", "!", "?\"", "?”")), None)
    return end is not None and end.text.startswith("?")


def _noun_demander(noun: Token) -> Token | None:
    """Who makes a demand a noun tells: its owner ("Moscow's demand", "Kyiv demands …" where the parser
    took the verb for a noun), its "from"/"by" phrase ("calls from the council"), else the subject of the
    verb that voices it ("the rebels put forward demands", "the mayor renewed his appeal")."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    owner = owner or next((c for c in noun.children if c.dep_ == "compound" and c.i < noun.i and c.pos_ == "PROPN"
                           and c.ent_type_ in ("GPE", "ORG", "NORP", "PERSON")), None)
    owner = owner or _pobj(noun, {"from", "by"})
    if owner is None and noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX"):
        owner = _subject_of(noun.head)
    return owner


def _demander(verb: Token) -> tuple[Token | None, str | None]:
    """Who demands, and by what instrument: the verb's subject (shared along a list of verbs), the noun
    a relative clause describes ("Resolution 822, which … demanded"), the subject of the clause a
    participle hangs from ("the Council adopted resolution 1004 (1995), demanding …"). An instrument as
    the subject ("the resolution demands") is the instrument; its issuer is the subject of the verb that
    adopted it, or the body it is said to be of."""
    subject = _subject(verb)
    instrument = None
    v = verb
    while v.dep_ == "conj" and v.head.i != v.i:
        v = v.head
    if subject is not None and subject.lower_ in ("which", "that") and v.dep_ == "relcl":
        subject = v.head
    if subject is None and v.dep_ in ("advcl", "acl") and v.tag_ == "VBG":
        if v.dep_ == "acl":
            subject = v.head
        else:
            subject = _subject(v.head)
            obj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
            if obj is not None and obj.lemma_.lower() in _INSTRUMENTS:
                instrument = _instrument(obj, None)
    if subject is not None and subject.lemma_.lower() in _INSTRUMENTS | {"unscr"} and subject.pos_ in ("NOUN", "PROPN"):
        # ("resolution 2139 (2014) of the Security Council demands …": the body it is of)
        issuer = _subject(subject.head) if subject.dep_ in ("dobj", "obj") else _pobj(subject, {"of", "by"})
        return issuer, _instrument(subject, None)
    return subject, instrument


def _intro_actor(verb: Token) -> str | None:
    """The subject the parser took into an opening phrase with no comma after it ("Following the
    debate the Security Council adopted …"): an actor the vocabulary knows that ends right before a
    finite verb without a subject of its own."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or _subject(verb) is not None or verb.i == verb.sent.start:
        return None
    doc = verb.doc
    before = doc[verb.i - 1]
    if before.pos_ != "PROPN":
        return None
    t = before
    while t.head.i != t.i and t.head.i != verb.i:
        t = t.head
    if t.head.i != verb.i or t.dep_ not in ("prep", "advcl", "npadvmod"):
        return None
    start = t.left_edge.idx
    text = doc._.docket.text[start : before.idx + len(before)]
    v = vocab()
    best = None
    for m in v.actors.finditer(text):
        if start + m.end() == before.idx + len(before):
            best = v.actor_names[m.lastgroup][0]
    return best


def _cause_actor(verb: Token) -> Token | None:
    """Whose attack a verb without an actor says its event came of: the owner of the event noun of its
    "in"/"by"/"as a result of" phrase ("were killed in the junta's air strikes", "died as a result of
    the rebels' shelling", "were wounded in shelling by the militia")."""
    events = _event_nouns() | _ATTACK_NOUNS
    for prep in verb.children:
        if prep.dep_ not in ("prep", "agent") or prep.lower_ not in ("in", "by", "as", "from", "during", "amid"):
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is not None and noun.lemma_.lower() in ("result", "consequence"):
            noun = _pobj(noun, {"of"})
        if noun is None or not (noun.lemma_.lower() in events or noun.lower_ in events):
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
        owner = owner or _pobj(noun, {"by"})
        if owner is not None:
            return owner
    return None


def _same_actor(a: str | None, b: str | None) -> bool:
    """Whether two actor names name one actor: the words of one among the other's ("the Security
    Council", "the United Nations Security Council")."""
    if not a or not b:
        return False
    generic = {"the", "of", "un", "united", "nations"}
    ta = {w for w in re.findall(r"\w+", a.lower()) if w not in generic}
    tb = {w for w in re.findall(r"\w+", b.lower()) if w not in generic}
    return bool(ta) and (ta <= tb or tb <= ta)


def _named_instrument(instrument: str | None) -> bool:
    # "S/RES/2139 (2014)", "Resolution 5/1", not "a resolution"
    return bool(instrument and re.search(r"\d|^[A-Z]", instrument))


def _the_resolution(found: list[Claim], text: str) -> None:
    """"A resolution" is the resolution the document names, when it names only one ("…, Unanimously
    Adopting Resolution 2401 (2018)" … "the Security Council adopted a resolution demanding …")."""
    v = vocab()
    named = set()
    for m in v.resolution.finditer(text):
        n = re.match(r"(?P<num>\d{1,4})(?:\s*\((?P<year>\d{4})\))?", m.group("list"))
        year = int(n.group("year")) if n.group("year") else v.resolution_year(int(n.group("num")))
        named.add(f"S/RES/{int(n.group('num'))} ({year})" if year else f"S/RES/{int(n.group('num'))}")
    if len(named) != 1:
        return
    for i, c in enumerate(found):
        if c.kind in ("legal_act", "demand") and c.instrument and re.fullmatch(r"(?i)resolution", c.instrument):
            found[i] = c.model_copy(update={"instrument": next(iter(named))})


def _demands_by_instrument(found: list[Claim]) -> None:
    """A demand an institution makes after adopting an instrument is made by that instrument ("the
    Council adopted resolution 2139 (2014). It demanded …"); a demand an instrument makes is its
    issuer's."""
    acts: list[Claim] = []
    for i, c in enumerate(found):
        if c.kind == "legal_act" and _named_instrument(c.instrument):
            acts.append(c)
        if c.kind != "demand":
            continue
        if c.agent and _named_instrument(c.instrument):
            acts.append(c)
        update = {}
        if c.instrument and not c.agent:
            act = next((a for a in reversed(acts) if a.instrument == c.instrument and a.agent), None)
            if act is not None:
                update["agent"] = act.agent
        elif c.agent and not c.instrument:
            act = next((a for a in reversed(acts) if _same_actor(a.agent, c.agent)), None)
            if act is not None:
                update["instrument"] = act.instrument
        if update:
            found[i] = c.model_copy(update=update)


def _claims(trig: Trigger, doc: Doc, located: list[Located], meta: DocumentMeta, gaz: Gazetteer,
            triggers: list[Trigger] | None = None) -> list[Claim]:
    """The claims one trigger makes; `triggers` are all the document's (each other one a claim of its own)."""
    if kinds()[trig.kind].raw.get("triggers", {}).get("contents"):
        return _demands(trig, doc, located, meta, gaz)
    f = frame(trig)
    if f.negated or f.irrealis:
        return []
    if not trig.word.nominal and trig.head.dep_ == "amod" and trig.head.tag_ == "VBN" and not any(
            c.dep_ == "nummod" or c.like_num for c in trig.head.head.children):
        return []  # "the occupied territories" names a state; "6 newly destroyed sites" counts an event
    kind = kinds()[trig.kind]
    want = kind.raw.get("triggers", {}).get("patient", "any")
    idiom = kind.raw.get("triggers", {}).get("not_with_complement", {}).get(trig.word.phrase)
    if idiom and not trig.word.nominal and any(
            c.lower_ in idiom and (c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advmod") or c.i > c.head.i)
            for o in [trig.head, *[c for c in trig.head.children if c.dep_ in ("dobj", "obj")]] for c in o.children):
        return []  # "held the commanders responsible" (kinds.toml not_with_complement), also as the object's
    moved = trig.word.phrase in kind.raw.get("triggers", {}).get("actor_of", ()) and f.patients and _armed(f.patients[0])
    if trig.word.phrase in kind.raw.get("triggers", {}).get("armed", ()) and not _armed(f.agent) and not moved:
        return []
    spec = kind.raw.get("triggers", {})
    if trig.word.nominal and any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in spec.get("unarmed_compounds", ())
                                 for c in trig.head.children):
        return []
    if trig.word.nominal and _a_named_body(trig.head) and not any(
            is_people(c) for c in trig.head.children if c.dep_ == "compound"):
        return []  # "law enforcement bodies" are an institution, not the dead
    if trig.word.nominal and spec.get("detaining") and trig.head.dep_ == "pobj" and \
            trig.head.head.lower_ in ("in", "during") and any(
            t.kind == spec["detaining"] and t.head.i in (host.i, host.head.i if host.dep_ in ("dobj", "obj") else -1)
            for host in [trig.head.head.head] for t in triggers or ()):
        return []  # "arrested nine men in overnight raids": how they were held (the in-phrase on the verb or its object)
    # the trigger's own phrase is part of the clause that asserts it ("continue their shelling of …")
    heads = {t.head.i for t in triggers or ()} - {trig.head.i}
    clause = _clause_tokens(f.clause or trig.head, heads)
    agent_toks = set(phrase(f.agent)) if f.agent is not None else set()
    same = [t for t in triggers or () if t.kind == trig.kind and t.head.i != trig.head.i]
    if trig.word.nominal and any(_effect_of(t.head) == trig.head for t in same):
        return []  # "the escalation … as the result of attacks by X": the attacks tell it
    effect = _effect_of(trig.head)
    if effect is not None and any(t.head.i == effect.i for t in same):
        # … and take the effect's place and date ("escalation along the line of contact on April 2")
        clause = sorted(set(clause) | (set(effect.subtree) - set(trig.head.head.head.subtree)), key=lambda t: t.i)
    if trig.word.nominal and f.agent is not None and f.agent.i > trig.head.i and trig.head not in f.agent.ancestors:
        # the parser hung what the noun's actor acted against on the actor ("the offensive by X against
        # the town of Y"): the noun's target, and its place
        clause = sorted(set(clause) | {g for c in f.agent.children if c.dep_ == "prep" and c.lower_ in _TARGETING
                                       for g in c.subtree}, key=lambda t: t.i)
    clause_places = [p for p in _places_in(clause, located)
                     if not any(t.idx <= p.start < t.idx + len(t) for t in agent_toks)]

    # the patients that fit what the kind is about, each with its sub-items ("including 1 child"); and
    # counted phrases of the clause the parse hung elsewhere ("killed 44 people in A and 179 people in B")
    # a verb coordinated in a relative clause shares its pronoun (the clause's own verb reads it already)
    patients = [_antecedent(p) if trig.head.dep_ == "conj" and not trig.word.nominal else p
                for p in f.patients if not _in_date(p)]
    if len(patients) == 1 and patients[0].head.dep_ != "conj":
        patients += [t for t in continued(patients[0]) if t not in patients]
    if not trig.word.nominal and want in ("persons", "object"):
        for t in clause:
            # the first item of a list the parser hung on some other noun of the clause ("held in
            # prisons, including 39 women, 115 children"): a counted item like the ones after it
            misplaced = t.dep_ == "pobj" and t.head.lower_ in ("including", "among") and \
                t.head.head not in patients and not _listed_under_including(t.head.head)
            if t.pos_ == "NOUN" and t not in patients and t.i not in {x.i for x in agent_toks} and \
                    any(c.dep_ == "nummod" for c in t.children) and (t.dep_ not in ("pobj",) or misplaced) or \
                    t.pos_ == "NOUN" and t.dep_ == "conj" and t.head.dep_ == "pobj" and any(
                        c.dep_ == "nummod" for c in t.children) and t not in patients:
                if t.head.dep_ == "prep" and t.head.lower_ in ("including", "among") and not misplaced:
                    continue
                if _parenthesised(t) and any(_count_for(x) is not None and not _parenthesised(x) for x in patients):
                    continue  # a breakdown of the count told ("14 were found dead (9 men and 5 women)")
                if including(t) and _listed_under_including(t):
                    continue  # a phrase with a list of its own is no item of another list ("50 killed,
                    # including 1 child, and 163 wounded, including 9 children": the parser's chain)
                if (want == "persons" and is_people(t)) or (want == "object" and object_category(t, kind.objects or None)):
                    patients.append(t)
    if want in ("object", "persons"):
        patients = _wholes(patients, want, kind, located)
    spec = kind.raw.get("triggers", {})
    other = spec.get("yields_on_object", {}).get(trig.word.phrase) if not trig.word.nominal else None
    if other and any(object_category(p, kinds()[other].objects or None) and p.pos_ != "PROPN" and
                     p.lemma_.lower() not in _TERRITORY | _PLACE_LISTS for p in patients):
        return []  # "homes were hit": the other kind's claim ([yields_on_object] in kinds.toml)
    if patients and all(p.lemma_.lower() in spec.get("not_patients", ()) for p in patients):
        return []  # "violated human rights": not what the kind says is done to its patient
    if want == "instrument" and trig.word.nominal and f.agent is None:
        issuer = _pobj(trig.head, {"of"})
        if issuer is not None and _institution(issuer):
            # "the decisions of the European Court": the body it is of issued it
            f.agent = issuer
            patients = [x for x in patients if x.i != issuer.i]
    on_persons = spec.get("on_persons", {}) if not trig.word.nominal else {}
    mover = None
    if trig.word.phrase in spec.get("actor_of", ()) and f.agent is None and patients and _armed(patients[0]) and \
            not any(_fits(x, want, kind, located)[0] for x in patients):
        # "the withdrawal of Yugoslav soldiers and Serbian police": who withdrew, from the place the story tells
        mover = f.agent = patients[0]
        patients = []
    fitting: list[tuple[Token | None, str | None]] = []
    # a participle describing its patient says where it happened, not what the patient is ("X, captured
    # during the war in Y"): its own words are no part of the patient
    describing = trig.head if not trig.word.nominal and trig.head.dep_ in ("acl", "relcl") else None
    for p in patients:
        ok, cat = _fits(p, want, kind, located, describing if describing is not None and describing.head.i == p.i else None)
        if ok:
            fitting.append((p, cat))
            for sub in including(p):
                sub_ok, sub_cat = _fits(sub, want, kind, located)
                if sub_ok and _count_for(sub) is not None:
                    fitting.append((sub, sub_cat or cat))
    if want == "object":
        fitting = _with_items_of(fitting, patients, kind)
    joint: dict = {}
    if want == "persons":
        fitting, joint = _one_count_for_all(fitting)
    if not fitting:
        if trig.word.nominal and want == "persons" and is_people(trig.head) and _count_for(trig.head):
            fitting = [(trig.head, None)]  # the noun is the patient itself ("350 administrative detainees")
        elif trig.word.nominal and want == "instrument" and trig.head.lemma_.lower() in _INSTRUMENTS | {
                trig.word.phrase.split()[-1]}:
            fitting = [(None, None)]  # the noun is the instrument itself ("brought charges", "an arrest warrant")
        elif trig.word.phrase in on_persons and any(_a_person(p) for p in patients):
            fitting = [(p, None) for p in patients if _a_person(p)]  # "sentenced X": one act on each person
        elif want == "place" and mover is not None:
            fitting = [(None, None)]
        elif want == "place" and clause_places and not (not trig.word.nominal and patients and (
                trig.head.dep_ in ("acl", "amod", "relcl") or any(is_people(p) for p in patients))):
            # the clause's places, unless the verb is said of something that is no place: people
            # ("captured 14 soldiers near X" detains them), or the noun a participle describes
            fitting = [(None, None)]
        elif trig.word.nominal and want in ("persons", "object") and (clause_places or f.agent is not None or any(
                c.dep_ == "nummod" and c.like_num for c in trig.head.children)):
            fitting = [(None, None)]  # an event noun with its place or actor ("the arrests took place in …")
        elif want in ("persons", "object", "place", "instrument"):
            return []
        elif want in ("resource", "goods") and not any(
                _needs(want).search(t.text) for t in clause if t.i not in {x.i for x in trig.span}):
            return []  # "units operating in the region", "has mined the territories": no resource, no extraction
        else:
            fitting = [(None, None)]
    # an event noun with a count of its own tells that many events ("documented 39 arbitrary arrests")
    counted = trig.word.nominal and want in ("persons", "object") and fitting == [(None, None)] and any(
        c.dep_ == "nummod" and c.like_num for c in trig.head.children)
    if trig.word.nominal and fitting == [(None, None)] and not clause_places and f.agent is None and not (
            trig.kind in _DATED_NOUN_KINDS and _own_date(trig.head, doc, list(trig.head.subtree))) and not counted and \
            not _given_as_cause(trig.head) and not (want == "instrument" and _target_of(trig.head, spec) is not None):
        return []  # a noun with nothing around it is a mention, not a claim ("the attacks"), unless it is dated
    if trig.word.nominal and trig.kind == "noncompliance" and f.agent is None and not any(
            p is not None and (any(t.pos_ == "PROPN" or t.like_num for t in phrase(p))) for p, _ in fitting):
        return []  # "violations of international law" in general; a breach claim names who or what

    out = []
    sent = trig.head.sent
    when = _when(trig.head, doc, meta, clause, trig.kind in kinds_events())
    own_date = _own_date(trig.head, doc, clause)
    asserted = trig.word.nominal and f.clause is not None and f.clause.i != trig.head.i
    # a relative clause on a definite noun with no count presupposes its event ("the children who
    # died were aged …"): like a bare noun, it tells anew only what no earlier claim told
    presupposed = not trig.word.nominal and trig.head.dep_ == "relcl" and any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in trig.head.head.children) and not any(
        c.dep_ == "nummod" or c.like_num for c in trig.head.head.children)
    agent = _agent_name(f.agent)
    if agent is None and f.agent is None and not trig.word.nominal:
        agent = _intro_actor(trig.head)
    if agent is None and f.agent is None and not trig.word.nominal:
        agent = _agent_name(_cause_actor(trig.head))
    # weapons from the whole clause, other triggers' words too ("a barrage of rockets has been fired",
    # "carried out an artillery attack"), the attack nouns listed with the trigger, and what a purpose
    # clause's verb uses ("have been using heavy artillery to shell the NPP")
    means = set(_clause_tokens(f.clause or trig.head)) | set(f.agent.subtree if f.agent is not None else ()) | \
        set(_listed_means(trig))
    gov = trig.head.head
    if trig.head.dep_ in ("advcl", "xcomp") and gov.lemma_.lower() in ("use", "employ", "deploy", "fire", "launch"):
        means |= {t for c in gov.children if c.dep_ == "dobj" for t in c.subtree}
    weapons = _weapons(sorted(means, key=lambda t: t.i), trig) or _loose_weapons(trig, triggers or [])
    around = sorted(set(clause) | _subtrees(f.patients), key=lambda t: t.i)
    site = _site(around, doc, located) if kind.thing != "instrument" else None
    extra = {"corroborated_by": _corroboration(trig)}
    if kind.thing == "site":
        site = _gazetteer_site(clause_places) or site
        extra["minerals"] = _minerals(clause, f.agent)
        extra["company"], extra["parent_company"] = _company(f.agent)
    seen: set = set()
    # patients listed side by side ("44 people in Nondin and 179 people in Soro"), places aside
    listed = sum(1 for p, _ in fitting if p is not None and p.lemma_.lower() not in _TERRITORY | _PLACE_LISTS
                 and (want != "place" and (cat_of(p) or is_people(p) or p.like_num) or not _place_below(p, located)))
    siblings = {p.i for p, _ in fitting if p is not None}
    in_patients = {t.i: t for x in fitting if x[0] is not None for t in _local(x[0])}
    held = {id(x) for x in _places_in(list(in_patients.values()), clause_places)}
    shared = [x for x in clause_places if id(x) not in held]
    for p, cat in fitting:
        loose = False  # places from elsewhere in the sentence: the claim's, though not its words
        own = _finest(_in_subtree(p, located, siblings), gaz) if p is not None else []
        if want == "place" or (own and p is not None and p.lemma_.lower() in _TERRITORY | _PLACE_LISTS):
            # a list among them is one claim per listed place, not one for the area it lies in too
            # ("towns on the left bank of the river, including A, B and C")
            split = _per_place(own, doc, 1)
            if len(split) <= 1 and p is not None and p.lemma_.lower() in _PLACE_LISTS:
                # the list the parser hung on the clause names the patient's places ("cities and towns on
                # the river, including A, B and C"): the patient's own place is what they lie in
                clause_list = _per_place(_finest(clause_places, gaz), doc, 1)
                split = clause_list if len(clause_list) > 1 else split
            targets = (split if len(split) > 1 else _parts_of(_named_apart(own, doc), doc._.docket.text)) or \
                _per_place(_finest(clause_places, gaz), doc, listed) or [[]]
        elif listed >= 2:
            # items of a list: each keeps the places of its own phrase ("churches in Vang village"), else
            # the places the clause gives them all ("… were destroyed in the Kalbajar district")
            mine = _finest(_places_in(_local(p), located), gaz) if p is not None else []
            targets = [mine or _finest(shared, gaz)]
        else:
            targets = _per_place(_finest(clause_places, gaz), doc, listed) or [[]]
            if len(targets) == 1 and targets[0]:
                targets = [_finest(clause_places, gaz, adjacent=True)]  # one claim: each place named apart
            if targets == [[]]:
                # the parser hung the place elsewhere in the sentence ("fighting resumed on Tuesday, and
                # along the border villages were shelled"): a place of the sentence no other claim holds
                targets = [_finest(_free_places(trig, doc, located, heads, agent_toks), gaz)]
                loose = True
        for locs in targets:
            loc = locs[0] if locs else None
            toks = [trig.span[0], trig.span[-1]] + (list(phrase(p)) if p is not None else [
                c for c in trig.head.children if counted and c.dep_ in ("nummod", "amod")]) + (
                list(phrase(joint[("last", p.i)])) if p is not None and ("last", p.i) in joint else []) + (
                list(phrase(f.agent)) if trig.word.nominal and f.agent is not None and f.agent.i > trig.head.i
                and trig.head in f.agent.ancestors else [])  # a noun's actor after it ("attacks by X") is its argument
            a = min(t.idx for t in toks)
            b = max(t.idx + len(t) for t in toks)
            if loc is not None and not loose:
                # a place set off before the clause ("In Lachin, 12 civilians were killed") stays outside it
                if not (loc.end <= a and re.search(r"[,;:]", doc._.docket.text[loc.end:a])):
                    a = min(a, loc.start)
                b = max(b, loc.end)
            a, b = max(a, sent.start_char), min(b, sent.end_char)
            while b > a and doc._.docket.text[b - 1] in " ,;:.\n":
                b -= 1
            q = None
            noun = p if p is not None else (trig.head if trig.word.nominal else None)
            target = _target_of(noun, spec) if want == "instrument" else None
            if target is not None and _count_for(target) is not None:
                # "charges against 14 servicemen": the people it is against, counted
                c = _count_for(target)
                q = Quantity(value=c.value, low=c.low, high=c.high, qualifier=c.qualifier,
                             unit=_unit(target) if not target.like_num else "people")
            elif p is None and counted and _count_for(trig.head) is not None:
                c = _count_for(trig.head)
                q = Quantity(value=c.value, low=c.low, high=c.high, qualifier=c.qualifier, unit=_unit(trig.head))
            elif p is not None and not (want == "instrument" and p.like_num):  # "resolutions 853, 874": numbers, no count
                c = _count_for(p)
                if c is None and p.lower_ in _BARE_VAGUE and want == "persons":
                    # "a war that has killed thousands, displaced millions": the word is the count
                    c = Count(p.idx, p.idx + len(p), p.text, None, "vague", VAGUE[p.lower_])
                if c is not None:
                    unit = _unit(p) if not (p.like_num or p.lower_ in _BARE_VAGUE) else None
                    if unit is not None and ("unit", p.i) in joint:
                        unit = joint[("unit", p.i)]  # the count counts them all ("300 men and boys")
                    if unit is None and want == "persons":
                        unit = "people"  # "killing 43 and injuring 84 people", "over 700,000 have fled"
                    q = Quantity(value=c.value, low=c.low, high=c.high, qualifier=c.qualifier, unit=unit)
                elif cat and want == "object" and p.tag_ in ("NN", "NNP") and cat not in vocab().mass_objects and \
                        not any(d.dep_ == "det" and d.lower_ in ("some", "any", "no", "every", "each", "all")
                                for d in p.children):
                    # one thing named in the singular is one ("the museum", "Kavar castle"); a mass noun
                    # counts nothing ("private property")
                    q = Quantity(value=1, qualifier="exact")
            refs = _with_areas([x.ref(gaz) for x in locs], gaz)
            # a named thing the gazetteer knows as a site ("Lech castle") is the claim's site
            item_site = _gazetteer_site(locs) if kind.thing != "site" and p is not None and p.pos_ == "PROPN" else None
            instrument = _instrument(p, trig) if kind.thing == "instrument" else None
            if p is not None and trig.word.phrase in on_persons:
                instrument = on_persons[trig.word.phrase]
            # the places of "cities and towns" are one claim each, not one per word for them
            territory = p is not None and p.lemma_.lower() in _TERRITORY | _PLACE_LISTS and bool(locs)
            # a kind that lists no objects counts one claim per event, not one per thing it hit ("targeted
            # the population and houses"; "resources, including deposits, were exploited"), unless the
            # thing makes it another kind's claim
            by_thing = cat if cat and (kind.objects or vocab().object_kind.get(cat, trig.kind) != trig.kind) else None
            key = (loc.place.id if loc is not None and loc.place is not None else loc.mention if loc else None,
                   q.value if q and not _implicit(q) else None, None if territory else by_thing,
                   p.i if p is not None and want == "persons" else None, instrument)
            if key in seen:
                continue  # the same place reached through two patients of one event ("cities and regions - A, B")
            seen.add(key)
            out.append(Claim(
                kind=vocab().object_kind.get(cat, trig.kind) if cat else trig.kind, span=(a, b), text=doc._.docket.text[a:b], attributed_to=_source(doc, trig, meta), agent=agent,
                affected=joint.get(p.i) if p is not None and p.i in joint else _affected_of(p, trig, want, q),
                quantity=q, object=ObjectRef(category=cat, name=_object_name(p)) if cat else None, places=refs,
                when=when or _instrument_year(instrument), weapons=weapons, site=item_site or site,
                instrument=instrument, **extra,
                confidence=(ASSERTED_CONFIDENCE if asserted or own_date else NOMINAL_CONFIDENCE) if trig.word.nominal
                else NOMINAL_CONFIDENCE if presupposed else 0.6))
            if target is not None and noun is not None and noun.lemma_.lower() in spec.get("personal", ()):
                out.extend(_one_each(out[-1], target, doc))
    return out


def _antecedent(p: Token) -> Token:
    """What a relative pronoun stands for, also as the shared subject of a verb coordinated in its
    clause ("the houses, which were looted and burned": the houses were burned)."""
    if p.lower_ not in ("which", "that", "who"):
        return p
    v = p.head
    while v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
        v = v.head
    return v.head if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN") else p


def _listed_under_including(tok: Token) -> bool:
    """Whether a noun is an item of an "including" / "among" list (the first item or one after it)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among")


def _one_each(claim: Claim, target: Token, doc: Doc) -> list[Claim]:
    """An instrument issued one to a person, for each further person its phrase lists ("warrants for
    the President, Vladimir Putin, and the Commissioner, Maria Lvova-Belova": two), spanning the person."""
    persons = [x for x in items(target) if (x.i == target.i or x.dep_ != "appos") and _a_person(x)]
    out = []
    for x in persons[1:]:
        # the person with the name their title's phrase gives ("the Commissioner for Rights Maria X")
        words = [t for t in x.subtree if t.dep_ not in ("det", "cc", "conj") and not t.is_punct or t.text in "-–"]
        words = [t for t in words if not any(a.dep_ == "conj" and a.i != x.i for a in t.ancestors if a in x.subtree)]
        a, b = min(t.idx for t in words), max(t.idx + len(t) for t in words)
        named = [t for t in words if t.i > x.i and t.pos_ == "PROPN"]
        affected = _affected(x) if x.ent_type_ == "PERSON" or not named else doc._.docket.text[a:b]
        out.append(claim.model_copy(update={"span": (a, b), "text": doc._.docket.text[a:b], "affected": affected,
                                            "quantity": None}))
    return out


# the nouns for an armed force, whose presence makes a word with a civil sense an attack
_ARMED = {"force", "army", "troop", "military", "soldier", "unit", "militia", "brigade", "battalion", "fighter",
          "rebel", "militant", "artillery", "navy", "serviceman", "division", "regiment", "guard", "insurgent"}


def _armed(agent: Token | None) -> bool:
    """Whether an actor phrase names an armed force ("the armed forces of X", "rebel units")."""
    return agent is not None and any(t.lemma_.lower() in _ARMED for t in phrase(agent))


def _one_count_for_all(fitting: list[tuple[Token | None, str | None]]) -> tuple[list, dict]:
    """People listed after a count with no count of their own are counted by it ("at least 300 men and
    boys", "12 women and children"): one claim of the first, about them all (who, keyed by the first
    item's index, and the last item under ("last", index) for the span). Items with counts of their
    own stay claims of their own ("5 men and 3 boys")."""
    people = [p for p, _ in fitting if p is not None]
    if len(people) < 2 or len(people) != len(fitting):
        return fitting, {}
    first, rest = people[0], people[1:]
    # with no count at all, people joined by "and" are one group too ("soldiers and civilians held")
    uncounted = all(_count_for(p) is None for p in people) and not any(
        c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "from") and c.i < nxt.i
        for p, nxt in zip(people, people[1:], strict=False) for c in p.children)
    # (unless an item has a place of its own, written before the next item: "men in A and women in B")
    if _count_for(first) is None and not uncounted:
        return fitting, {}
    joint: dict = {}
    chain = {first.i}
    for p in rest:
        if p.dep_ != "conj" or p.head.i not in chain or _count_for(p) is not None or not uncounted and any(
                c.dep_ in ("det", "nummod", "quantmod", "poss") for c in p.children):
            return fitting, {}
        chain.add(p.i)
    joint[("last", first.i)] = rest[-1]
    who = [_affected(first)] + [_affected(p) if uncounted else phrase(p).text for p in rest]
    joint[first.i] = " and ".join(who) if len(who) == 2 else ", ".join(who[:-1]) + " and " + who[-1]
    units = [_unit(first)] + [_unit(p) for p in rest]
    joint[("unit", first.i)] = " and ".join(units) if len(units) == 2 else ", ".join(units[:-1]) + " and " + units[-1]
    return fitting[:1], joint


def _with_items_of(fitting: list[tuple[Token | None, str | None]], patients: list[Token],
                   kind) -> list[tuple[Token | None, str | None]]:
    """Objects the parser listed under an "of" phrase inside an item ("the museum with its collection
    of coins, the old cemetery, the castle"): the nouns listed after an "of" object that is no object of
    the kind are items of their own when they are."""
    known = {x.i for x, _ in fitting if x is not None}
    out = list(fitting)
    for p in patients:
        for t in p.subtree:
            if t.dep_ != "pobj" or t.head.lower_ != "of" or object_category(t, kind.objects or None):
                continue
            for c in items(t)[1:]:
                cat = object_category(c, kind.objects or None)
                if cat and c.i not in known:
                    known.add(c.i)
                    out.append((c, cat))
    return sorted(out, key=lambda x: x[0].i if x[0] is not None else -1) if len(out) > len(fitting) else out


# nouns for a part or an aspect of a thing, whose "of" phrase names the thing ("the roof of the school")
_PARTS = {"feature", "part", "portion", "section", "roof", "wall", "facade", "façade", "dome", "interior", "exterior",
          "structure", "remains", "remnant", "rest", "appearance", "architecture", "character", "element",
          "foundation", "floor", "minaret", "tower", "bell", "inscription", "fresco", "altar"}


def _wholes(patients: list[Token], want: str, kind, located: list[Located]) -> list[Token]:
    """Patients with a part that is not what the kind is about replaced by the whole its "of" phrase
    names, each item of it ("damaged the roofs of the school and the clinic": the school, the clinic)."""
    out = []
    for p in patients:
        of = next((c for c in p.children if c.dep_ == "prep" and c.lower_ == "of"), None) \
            if p.lemma_.lower() in _PARTS and not _fits(p, want, kind, located)[0] else None
        whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        out.extend([semantic_head(i) for i in items(whole)] if whole is not None else [p])
    return out


def _given_as_cause(noun: Token) -> bool:
    """Whether a noun is what the sentence gives as the cause of what it tells ("the town fell as a
    result of a military operation"): an event said to have caused another happened."""
    h = noun.head
    return noun.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in ("result", "consequence") and \
        h.head.dep_ == "pobj" and h.head.head.lower_ == "as"


def _effect_of(noun: Token) -> Token | None:
    """What an event given as a cause caused ("the escalation as the result of attacks": the escalation)."""
    return noun.head.head.head.head if _given_as_cause(noun) else None


_BARE_VAGUE = {"dozens", "scores", "hundreds", "thousands", "millions"}
# modifiers that say which kind of thing is counted, kept in the unit ("18 administrative buildings",
# "five makeshift shelters", "a dozen senior Hezbollah commanders"); a nationality, a participle or a
# judgement is not ("14 captured Armenian servicemen", "511 innocent civilians")
_KIND_WORDS = _TYPE_WORDS | {"makeshift", "senior", "adult", "ethnic", "arbitrary", "temporary", "underground",
                             "private", "historical", "mass", "fighter", "armoured", "armored"}


def _unit(p: Token) -> str:
    """What a count counts, as the text writes it: the noun and the words before it that say which kind."""
    keep = []
    mods = sorted((c for c in p.children if c.i < p.i and c.dep_ in ("compound", "amod")), key=lambda c: c.i)
    for k, c in enumerate(mods):
        acronym = c.text.isupper() and len(c.text) > 1
        if not acronym and (c.ent_type_ in ("NORP", "GPE", "CARDINAL", "DATE") or c.tag_ in ("VBN", "VBG") or any(
                g.dep_ == "punct" for g in c.children)):
            continue
        if c.lower_ == "ethnic" and k + 1 < len(mods) and mods[k + 1].ent_type_ == "NORP":
            continue  # "ethnic Rohingya civilians": the ethnicity goes with the nationality
        if acronym or c.dep_ == "compound" and c.pos_ == "NOUN" or c.lemma_.lower() in _KIND_WORDS:
            keep.extend(sorted(c.subtree, key=lambda g: g.i))
    if not keep:
        return p.text
    doc = p.doc
    start = min(k.i for k in keep)
    words = [t for t in doc[start : p.i + 1] if t in keep or t.i == p.i]
    text = " ".join(t.text for t in words)
    return re.sub(r"\s*[\[\]]\s*", " ", text).strip()


def cat_of(p: Token) -> str | None:
    return object_category(p)


def _local(p: Token) -> list[Token]:
    """A list item's own words: its phrase and the places it is said to be in ("churches in Vang
    village"), not the items that hang from it."""
    toks = list(phrase(p))
    for c in p.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "of", "from"):
            toks.extend(c.subtree)
    return toks


def _object_name(p: Token | None) -> str | None:
    """A named object's name: the object noun with the proper noun before it ("Lech castle", "the
    al-Nuri mosque"), or a proper-noun phrase named after something ("Cultural House named after …")."""
    if p is None:
        return None
    mods = [t for t in p.children if t.dep_ in ("compound", "amod") and t.i < p.i and (t.pos_ == "PROPN" or t.text[:1].isupper())]
    if p.pos_ == "PROPN" or mods:
        start = min([p.i] + [m.left_edge.i for m in mods])
        end = p.i + 1
        named = next((c for c in p.children if c.dep_ == "acl" and c.lower_ == "named"), None)
        if named is not None:
            end = named.right_edge.i + 1
        doc = p.doc
        while start < end and doc[start].dep_ == "det":
            start += 1
        return doc[start:end].text
    return None


def _with_areas(refs: list[PlaceRef], gaz: Gazetteer) -> list[PlaceRef]:
    """A site's places are where it lies as well as the site: a sanatorium the gazetteer places in a
    village of a district is in both; a road runs between its ends. A site's enclosing places up to
    the first administrative area, and a road's end points, follow it (a settlement or an area is its
    own place)."""
    from docket.gazetteer import ADMIN_FEATURES, SETTLEMENT_FEATURES

    out = list(refs)
    seen = {r.id for r in refs if r.id}
    for r in refs:
        place = gaz.get(r.id) if r.id else None
        if place is None or place.feature in ADMIN_FEATURES | SETTLEMENT_FEATURES:
            continue
        more = [gaz.get(e) for e in place.ends]
        for a in gaz.ancestors(place):
            more.append(a)
            if a.feature in ADMIN_FEATURES:
                break
        for a in more:
            if a is not None and a.id not in seen:
                seen.add(a.id)
                out.append(gaz.ref(a, a.name))
    return out


def _aliases(places: list[Located], doc: Doc) -> list[bool]:
    """Which places are another's other name: a name in brackets right after a place ("the Republic
    of X (Y)")."""
    text = doc._.docket.text
    return [i > 0 and text[places[i - 1].end : p.start].strip() == "(" for i, p in enumerate(places)]


def _named_apart(places: list[Located], doc: Doc) -> list[list[Located]]:
    """One group per place, each with its other name in brackets."""
    alias = _aliases(places, doc)
    out: list[list[Located]] = []
    for p, a in zip(places, alias, strict=True):
        if a and out:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def _per_place(places: list[Located], doc: Doc, patients: int) -> list[list[Located]]:
    """How a clause's places divide into claims: a list of places ("killed in Tartar, Ganja and
    Barda", "in the cities of Jenin, Ramallah …") is one claim each when one patient is listed with it;
    otherwise the places together are the claim's places ("the museum in the Kalbajar district")."""
    if len(places) < 2 or patients > 1:
        return [places] if places else []
    roots = []
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        roots.append(span.root if span is not None else None)
    alias = _aliases(places, doc)
    # which places' roots are which tokens, and whose heads they are joined to as a list: each place
    # looks up its neighbours in the list (comparing every pair made a long list quadratic)
    at: dict[int, list[int]] = {}
    joined_to: dict[int, list[int]] = {}
    for j, o in enumerate(roots):
        if o is not None and not alias[j]:
            at.setdefault(o.i, []).append(j)
            if o.dep_ in ("conj", "appos"):
                joined_to.setdefault(o.head.i, []).append(j)
    listed = []
    for i, r in enumerate(roots):
        if r is None or alias[i]:
            continue
        if (r.dep_ in ("conj", "appos") and any(j != i for j in at.get(r.head.i, ()))) or \
                any(j != i for j in joined_to.get(r.i, ())):
            listed.append(i)
    if len(listed) >= 2:
        # one claim per listed place, with its other name; a place outside the list is what the list
        # lies in ("cities on the left bank of the river, including A, B and C": A, B, C)
        return [[places[i]] + ([places[i + 1]] if i + 1 < len(places) and alias[i + 1] else []) for i in listed]
    return [places]


def _without_restatements(found: list[Claim], gaz: Gazetteer | None = None) -> list[Claim]:
    """A claim made again by a noun later in the document ("the occupation of the Kalbajar district",
    after the occupation was told) restates it; only its first telling is a claim."""
    out: list[Claim] = []
    for c in found:
        if _nominal(c) and (c.quantity is None or _implicit(c.quantity)) and any(_restates(c, b, gaz) for b in out):
            continue
        out.append(c)
    return out


def _implicit(q: Quantity) -> bool:
    # the count of one a singular object gives ("the museum"), not one the text writes ("one museum")
    return q.value == 1 and q.unit is None and q.qualifier == "exact"


def _restates(c: Claim, before: Claim, gaz: Gazetteer | None = None) -> bool:
    """Whether a noun's claim says nothing an earlier claim did not: same kind and thing, its places
    among the earlier one's, the same actor (or none), the same date (or none). A noun that a verb
    asserts ("launched an attack", "conducts airstrikes") or that carries its own date is told anew."""
    if c.confidence == ASSERTED_CONFIDENCE:
        return False
    if c.kind != before.kind or (c.object and before.object and c.object.category != before.object.category):
        return False
    mine = {p.id or p.name for p in c.places}
    if mine and not mine <= {p.id or p.name for p in before.places} and not _around(c.places, before.places, gaz):
        return False
    if c.object and not before.object and not _points_back(c):
        return False  # a noun that says what was hit adds to a telling that did not
    if kinds()[c.kind].thing == "instrument" and (c.affected and c.affected != before.affected or c.instrument and
                                                   before.instrument and not _same_instrument(c.instrument, before.instrument)):
        # another instrument, or one against other people ("the decisions of the Court" after "a
        # statement"; "the criminal cases against 16 servicemen" after charges against 14)
        return False
    # one actor named two ways is one actor ("the armed forces of X", "X"); a bare noun has no date of
    # its own (one with a date is asserted, above): the date it carries is its story's
    return not (c.agent and before.agent and not _same_actor(_force_of(canonical_actor(c.agent)),
                                                             _force_of(canonical_actor(before.agent))))


def _same_instrument(a: str, b: str) -> bool:
    """Whether two instruments as written share the noun that says what they are ("criminal charges",
    "the charges")."""
    def nouns(x: str) -> set[str]:
        return {w.rstrip("s") for w in re.findall(r"[a-z]+", x.lower())} - {"the", "a", "an", "of", "and", "its", "their"}
    return bool(nouns(a) & nouns(b))


def _around(places: list[PlaceRef], told: list[PlaceRef], gaz: Gazetteer | None) -> bool:
    """Whether each place holds one of the places told ("the occupation of the country's lands" after
    the occupation of its districts was told: an umbrella for what was told)."""
    if gaz is None or not told:
        return False
    inner = [gaz.get(p.id) for p in told if p.id]
    outer = [gaz.get(p.id) for p in places if p.id]
    return bool(outer) and len(outer) == len(places) and all(
        o is not None and any(i is not None and i.id != o.id and gaz.is_within(i, o) for i in inner) for o in outer)


def _force_of(actor: str) -> str:
    return re.sub(r"^(?:the )?(?:armed|military|security) forces of ", "", actor, flags=re.I)


def _points_back(c: Claim) -> bool:
    """Whether a noun claim's text points back with a demonstrative ("the shelling of that school")."""
    last = c.text.split()[-1] if c.text.split() else ""
    return bool(re.search(r"\b(?:that|this|these|those|such|the same)\s+(?:\w+\s+)?" + re.escape(last) + r"\b",
                          c.text, re.I))


def _nominal(c: Claim) -> bool:
    # set by _claims: the claim came from a noun trigger
    return c.confidence in (NOMINAL_CONFIDENCE, ASSERTED_CONFIDENCE)


# how sure a claim is, by what it was read from: a verb; a noun a verb asserts or that gives its own
# date ("launched an attack", "an attack on October 4"); a bare noun, which may restate an earlier claim
NOMINAL_CONFIDENCE = 0.55
ASSERTED_CONFIDENCE = 0.58


def _listed_means(trig: Trigger) -> list[Token]:
    """The attack nouns listed with a noun trigger, one event ("missile strikes, shelling and UAV
    (including Turkish “Bayraktar”) attacks"): each names a means the event used."""
    if not trig.word.nominal:
        return []
    top = trig.head
    for _ in range(6):
        up = top.head
        if up.i == top.i or top.dep_ not in ("conj", "pobj", "prep", "appos") or \
                top.dep_ in ("pobj", "prep") and not (top.dep_ == "pobj" and top.head.lower_ == "including" or
                                                      top.dep_ == "prep" and top.lower_ == "including"):
            break
        if up.pos_ not in ("NOUN", "PROPN", "VERB", "ADP") or up.pos_ == "VERB" and up.tag_ != "VBG":
            break
        top = up
    if top.i == trig.head.i:
        return []
    out = []
    for t in [top, *top.conjuncts]:
        out.append(t)
        out.extend(c for c in t.children if c.dep_ in ("compound", "amod", "nmod"))
    return out


def _weapons(tokens: list[Token], trig: Trigger) -> list[str]:
    """The weapons a clause names ("used cluster munitions and artillery", "a mortar shell killed"),
    each its noun phrase's head with the words that say which ("heavy artillery", "attack UAVs")."""
    spec = schema().get("weapons", {})
    if trig.kind not in spec.get("kinds", ()):
        return []
    words = set(spec.get("lemmas", ()))
    out: list[str] = []
    for t in tokens:
        lemma = t.lemma_.lower()
        gerund = t.tag_ == "VBG" and t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN")  # "strikes, shelling and …"
        if t.pos_ not in ("NOUN", "PROPN") and not gerund or not (lemma in words or t.lower_ in words):
            continue
        if t.i == trig.head.i and trig.word.nominal:
            continue  # "the airstrike" names the attack, not its weapon: but see below
        mods = [c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i]
        start = min([t.i] + [m.left_edge.i for m in mods])
        name = t.doc[start : t.i + 1].text
        modified = t.head if t.dep_ == "compound" else _after_aside(t)
        if modified is not None and modified.tag_ == "NNS" and t.tag_ in ("NN", "NNP") and not name.endswith("s") and \
                lemma not in _MASS_WEAPONS:
            name += "s"  # "missile strikes", "UAV attacks", "drone (…) attacks": missiles, UAVs, drones
        if name not in out:
            out.append(name)
    if trig.word.nominal and not out and (trig.head.lemma_.lower() in words or trig.word.phrase in words):
        # "amid junta airstrikes", "after Friday's air strike": the strikes are the weapon too
        out.append(trig.head.text if trig.word.phrase not in words else trig.span.text)
    return out[:8]


def _after_aside(t: Token) -> Token | None:
    """The noun a bare singular modifies across a bracketed aside the parser read as its own ("drone
    (mostly Shahed) attacks": drone attacks), else None."""
    doc = t.doc
    if t.i + 1 >= len(doc) or doc[t.i + 1].text != "(" or any(c.dep_ in ("det", "nummod", "poss") for c in t.children):
        return None
    close = next((x for x in doc[t.i + 2 : min(len(doc), t.i + 14)] if x.text == ")"), None)
    if close is None or close.i + 1 >= len(doc):
        return None
    after = doc[close.i + 1]
    return after if after.pos_ == "NOUN" else None


def _loose_weapons(trig: Trigger, triggers: list[Trigger]) -> list[str]:
    """Weapons the sentence names where the parser hung them outside the trigger's clause ("attacked the
    town, artillery being the main weapon"): those after the trigger whose nearest weapon-taking
    trigger before them it is, and that no other such trigger governs."""
    spec = schema().get("weapons", {})
    if trig.kind not in spec.get("kinds", ()):
        return []
    sent = trig.head.sent
    armed = [t.head.i for t in triggers if t.kind in spec.get("kinds", ()) and sent.start <= t.head.i < sent.end]
    words = set(spec.get("lemmas", ()))
    mine = []
    for t in sent:
        if t.i <= trig.head.i or t.pos_ not in ("NOUN", "PROPN") or not (t.lemma_.lower() in words or t.lower_ in words):
            continue
        above = {a.i for a in t.ancestors}
        if any(h in above for h in armed if h != trig.head.i):
            continue  # another trigger governs it: that trigger's weapon
        before = [h for h in armed if h < t.i and h != t.i]
        if before and max(before) == trig.head.i:
            mine.append(t)
    return _weapons(mine, trig) if mine else []


_MASS_WEAPONS = {"artillery", "weaponry", "aircraft", "air force", "ammunition"}

_SITE_HEADS = {"plant", "station", "market", "mine", "deposit", "church", "cemetery", "mosque", "monastery", "camp",
               "site", "airport", "hospital", "school", "bridge", "dam", "factory", "base", "port", "stadium",
               "square", "cathedral", "temple", "shrine", "prison", "field"}


def _instrument(p: Token | None, trig: Trigger | None) -> str | None:
    """The instrument a legal act issues or a claim names: its patient phrase ("criminal charges",
    "an arrest warrant for X", "Monitoring Report #7"), else the trigger noun's phrase."""
    tok = p if p is not None else (trig.head if trig is not None and trig.word.nominal else None)
    if tok is None:
        return None
    symbol = _unsc_symbol(tok)
    if symbol:
        return symbol
    # a named instrument the phrase singles out ("the norms of humanitarian law, particularly the Geneva
    # Convention on …"): that one
    named = next((t for t in tok.subtree if t.dep_ == "appos" and t.pos_ == "PROPN" and t.head.i != t.i
                  and t.ent_type_ in ("LAW", "ORG", "") and t.text[:1].isupper() and not t.text.isupper()), None)
    text = _instrument_phrase(named or tok)
    return re.sub(r"^(?:the|a|an|its|their)\s+", "", text, flags=re.I)[:200] or None


def _instrument_phrase(tok: Token) -> str:
    """An instrument's name: its noun phrase with what it is of ("paragraph 4 of the Trilateral
    Statement of November 10, 2020") and, for a proper name, what it is on ("Geneva Convention on the
    Treatment of Prisoners of War")."""
    span = phrase(tok)
    keep = set(range(span.start, span.end))
    for t in list(span):
        for c in t.children:
            if c.dep_ == "prep" and (c.lower_ == "of" or tok.pos_ == "PROPN" and c.lower_ in ("on", "for") and any(
                    g.dep_ == "pobj" and g.pos_ == "PROPN" for g in c.children)):
                keep |= {g.i for g in c.subtree}
    lo, hi = min(keep), max(keep)
    doc = tok.doc
    while hi > lo and (doc[hi].is_punct or doc[hi].dep_ in ("cc", "relcl")):
        hi -= 1
    return doc[lo : hi + 1].text


def _unsc_symbol(tok: Token) -> str | None:
    """A Security Council resolution by its UN document symbol, S/RES/<number> (<year>): the number of
    "resolution 822" or of an item of "resolutions 853 (1993), 874 (1993) and 884 (1993)", with the
    year in brackets after it or, failing that, the year the Council's numbering gives it. Only in a
    sentence that names the Security Council (other bodies number resolutions too)."""
    if not re.search(r"Security Council|\bUNSC", tok.sent.text):
        return None
    number = None
    if tok.like_num and re.fullmatch(r"\d{1,4}", tok.text):
        head = tok
        while head.dep_ in ("conj", "appos") and head.head.i != head.i:
            head = head.head
        if head.lemma_.lower() == "resolution" or head.i != tok.i and head.head.lemma_.lower() == "resolution":
            number = tok
    elif tok.lemma_.lower() in ("resolution", "unscr"):
        number = next((c for c in tok.children if c.dep_ == "nummod" and re.fullmatch(r"\d{1,4}", c.text)), None)
    if number is None:
        return None
    doc = tok.doc
    year = None
    if number.i + 3 < len(doc) and doc[number.i + 1].text == "(" and re.fullmatch(r"\d{4}", doc[number.i + 2].text) \
            and doc[number.i + 3].text == ")":
        year = int(doc[number.i + 2].text)
    year = year or vocab().resolution_year(int(number.text))
    return f"S/RES/{number.text} ({year})" if year else f"S/RES/{number.text}"


def _instrument_year(instrument: str | None) -> When | None:
    """When an instrument with a year in its symbol was adopted: that year ("S/RES/822 (1993)")."""
    year = re.search(r"\((\d{4})\)$", instrument or "")
    return When(start=year.group(1), precision="year") if year else None


# features the gazetteer gives places that are sites of their own rather than settlements or areas
_SITE_FEATURES = {"mine", "deposit", "castle", "bridge", "monastery", "church", "mosque", "cemetery", "site",
                  "landmark", "road", "reservoir"}


def _gazetteer_site(places: list[Located]) -> str | None:
    """The first of the places that the gazetteer knows as a site (a mine, a castle), as written."""
    return next((p.mention for p in places if p.place is not None and p.place.feature in _SITE_FEATURES), None)


def _minerals(clause: list[Token], agent: Token | None) -> list[str]:
    """The minerals a clause names ("a copper-gold mine", "including gold"), not words of a proper name
    ("Caucasus Gold") or of the actor's phrase."""
    names = set(schema().get("minerals", {}).get("names", ()))
    skip = {t.i for t in phrase(agent)} if agent is not None else set()
    out: list[str] = []
    for t in clause:
        w = t.lemma_.lower()
        if t.pos_ != "PROPN" and w in names and t.i not in skip and w not in out:
            out.append(w)
    return out


_COMPANY_NOUNS = {"company", "firm", "subsidiary", "corporation", "enterprise", "operator", "contractor"}


def _company(agent: Token | None) -> tuple[str | None, str | None]:
    """The company a claim's actor is, and the company that owns it: a proper name with a legal form
    ("Acme Mining LLC") or described as a company ("Acme, a subsidiary of Northern Holdings Ltd.")."""
    if agent is None or agent.pos_ != "PROPN":
        return None, None
    name = re.sub(r"^the\s+", "", phrase(agent).text.strip(), flags=re.I)
    described = next((t for t in agent.subtree if t.lemma_.lower() in _COMPANY_NOUNS and t.i != agent.i), None)
    if not (described is not None or vocab().company_suffix.search(name)):
        return None, None
    owner = _pobj(described, {"of"}) if described is not None and described.lemma_.lower() == "subsidiary" else None
    parent = re.sub(r"^the\s+", "", phrase(owner).text.strip(), flags=re.I) if owner is not None else None
    return name, parent or None


# verbs of recording whose by-agent bears a claim out ("…, as documented by the monitoring mission")
_CORROBORATION = {"document", "confirm", "verify", "record", "corroborate", "establish", "observe"}


def _corroboration(trig: Trigger) -> str | None:
    """Who else the trigger's sentence says bears the claim out: the by-agent of a participle of
    recording other than the trigger."""
    for t in trig.head.sent:
        if t.lemma_.lower() in _CORROBORATION and t.tag_ == "VBN" and t.i != trig.head.i:
            obj = _pobj(t, {"by"})
            if obj is not None:
                return re.sub(r"^the\s+", "", phrase(obj).text.strip(), flags=re.I)
    return None


def _ents_between(doc: Doc, start: int, end: int) -> list[Span]:
    """The entities within tokens [start, end), from the document's entities listed once (`doc.ents`
    builds them all at each call)."""
    ctx = doc._.docket
    if ctx is None:
        ents = list(doc.ents)
        starts = [e.start for e in ents]
    else:
        if "ents" not in ctx.notes:
            ctx.notes["ents"] = list(doc.ents)
            ctx.notes["ent_starts"] = [e.start for e in ctx.notes["ents"]]
        ents, starts = ctx.notes["ents"], ctx.notes["ent_starts"]
    k = bisect.bisect_left(starts, start)
    out = []
    for e in ents[k:]:
        if e.start >= end:
            break
        if e.end <= end:
            out.append(e)
    return out


def _site(tokens: list[Token], doc: Doc, located: list[Located] = ()) -> str | None:
    """A named facility the clause is about ("the Zaporozhye Nuclear Power Plant", "the Markale market",
    "the Vezhnyali deposit"): a facility entity, or a proper name before a facility noun. An entity the
    gazetteer knows as a town or an area is a place, not a site (the small model labels towns FAC)."""
    if tokens:
        lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        towns = {(x.start, x.end) for x in _between(located, lo, hi)
                 if x.place is not None and x.place.feature not in _SITE_FEATURES}
        for e in _ents_between(doc, tokens[0].i, tokens[-1].i + 1):
            if (e.start_char, e.end_char) in towns:
                continue
            if e.label_ == "FAC":
                return e.text.removeprefix("the ").strip()
    namer = doc._.docket.notes.get("name") if doc._.docket is not None else None
    for t in tokens:
        if t.lemma_.lower() in _SITE_HEADS and t.pos_ == "NOUN":
            # the name before the facility noun, through the nouns between ("the Azovstal steel plant")
            mods = [c for c in t.subtree if c.i < t.i and c.dep_ in ("compound", "amod") and c.head.i in
                    {t.i} | {g.i for g in t.subtree if g.i < t.i and g.dep_ == "compound"}]
            names = [c for c in mods if (c.pos_ == "PROPN" or c.text[:1].isupper() and c.ent_type_ in ("ORG", "FAC", "GPE", ""))
                     and not c.is_sent_start and c.ent_type_ not in ("NORP", "DATE", "CARDINAL")]
            if names:
                start = min(c.left_edge.i for c in names)
                return doc[start : t.i + 1].text
        if t.text.isupper() and len(t.text) > 2 and t.pos_ == "PROPN" and namer is not None:
            # "the ZNPP", written out where the text gives it in full: "Zaporozhye Nuclear Power Plant (ZNPP)"
            long = namer(t) or ""
            words = re.sub(r"\s*\([^)]*\)$", "", long).split()
            if len(words) > 1 and words[-1].lower() in _SITE_HEADS | {"plant", "station"}:
                return " ".join(words)
            spelled = _spelled_out(t.text, doc._.docket.text if doc._.docket is not None else doc.text)
            if spelled:
                return spelled
    return None


def _spelled_out(initials: str, text: str) -> str | None:
    """The facility a shortened acronym stands for where the text names it in full: "the NPP" after
    "the Zaporozhye Nuclear Power Plant", whose last words' initials spell it."""
    n = len(initials)
    for m in re.finditer(r"(?:[A-Z][\w’'-]*\s+)+[A-Z][\w’'-]*", text):
        words = m.group(0).split()
        if len(words) > n and words[-1].lower() in _SITE_HEADS and "".join(w[0] for w in words[-n:]) == initials:
            return " ".join(words[1:] if words[0] == "The" else words)
    return None


def _source(doc: Doc, trig: Trigger, meta: DocumentMeta) -> str | None:
    """Who makes the claim: the speaker of the reported speech its trigger lies in, else the document's
    source (extract/attribution.py)."""
    return doc._.docket.notes["said"].source_at(trig.head.idx, meta.source)


def _dedupe(found: list[Claim]) -> list[Claim]:
    seen = set()
    out = []
    for c in found:
        key = (c.kind, c.span, tuple(p.id for p in c.places), c.object.category if c.object else None,
               c.quantity.value if c.quantity else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return _one_per_telling(sorted(out, key=lambda c: c.span))


def _one_per_telling(found: list[Claim]) -> list[Claim]:
    """Two verbs of one kind said of the same people or things ("were subjected to ethnic cleansing
    and expelled", "killed and murdered") are one claim: the one whose span holds the other's, when
    they agree on everything they count and where."""
    def same(a: Claim, b: Claim) -> bool:
        def counted(c: Claim):
            return (c.quantity.value, c.quantity.unit) if c.quantity else None

        # a verb whose place the parse gave its fellow only is still said of that place
        return a.kind == b.kind and a.affected == b.affected and counted(a) == counted(b) and \
            (a.instrument == b.instrument or not (a.instrument and b.instrument)) and (
            [p.id or p.name for p in a.places] == [p.id or p.name for p in b.places] or not a.places or not b.places) and \
            (a.object.category if a.object else None) == (b.object.category if b.object else None)

    from docket.extract.text import MAX_SENTENCE

    out: list[Claim] = []
    for c in found:
        # only claims that can overlap it: one sentence's, at most MAX_SENTENCE characters before it
        # (found is in text order; comparing with every earlier claim made a long text quadratic)
        near = range(len(out) - 1, -1, -1)
        held = None
        for i in near:
            b = out[i]
            if b.span[1] < c.span[0] - MAX_SENTENCE:
                break
            if same(b, c) and (b.span[0] <= c.span[0] and c.span[1] <= b.span[1] or
                               c.span[0] <= b.span[0] and b.span[1] <= c.span[1]):
                held = i
                break
        if held is None:
            out.append(c)
            continue
        keep, other = (c, out[held]) if c.span[1] - c.span[0] > out[held].span[1] - out[held].span[0] else (out[held], c)
        out[held] = keep if keep.places or not other.places else keep.model_copy(update={"places": other.places})
    return out


__all__ = ["Frame", "extract", "items"]
