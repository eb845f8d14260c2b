"""Claims from one document, read from the structure of its sentences (issue 11's extractor).

One spaCy Doc per document (`document.read`: the trained pipeline parses only the sentences a claim
can start in), then Docket's stages over it, each a plain function with its vocabulary as data:
triggers on lemmas (`triggers`), arguments from the dependency tree (`arguments`), places (the
gazetteer with the document as context), dates, counts and attribution, and finally the claims, one per
thing an analyst would count: per coordinated patient, per place of a list, per object category.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from docket.errors import DocketError
from docket.extract.arguments import Frame, frame, items, phrase, semantic_head
from docket.extract.dates import find_dates
from docket.extract.document import candidate_test, read, sentence_span
from docket.extract.quantities import Count, find_counts
from docket.extract.relations import Relation
from docket.extract.triggers import Trigger, find_triggers, inflected_forms
from docket.gazetteer import Gazetteer, Place, default_gazetteer
from docket.gazetteer.resolve import geocode
from docket.kinds import kinds, schema
from docket.model import Claim, DocumentMeta, ObjectRef, Quantity, When
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
    start: int
    end: int
    place: Place
    mention: str


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
    words = [tok.text]
    compound = " ".join(t.text for t in tok.children if t.dep_ == "compound" and t.i < tok.i)
    if compound:
        words.insert(0, f"{compound} {tok.text}")
    for w in words:
        for cat, pattern in _OBJECTS:
            if (allowed is None or cat in allowed) and pattern.match(w):
                return cat
    return None


def is_people(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
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
    """The document's claims (in text order) and the relations it states."""
    from docket.extract.claims import extract_budget

    meta = meta or DocumentMeta()
    gaz = gazetteer or default_gazetteer()
    deadline = time.monotonic() + (budget if budget is not None else extract_budget(len(text)))
    test = candidate_test((), inflected_forms() | set(REPORTING))
    doc = read(text, test, deadline)
    _budget(deadline)
    located = [Located(r.start, r.end, r.place, text[r.start:r.end]) for r in geocode(text, gaz) if r.place is not None]
    located = [p for p in located if _place_ok(doc, p)]
    ctx = doc._.docket
    sents = [sentence_span(doc, i) for i, parsed in enumerate(ctx.parsed) if parsed]
    found: list[Claim] = []
    for trig in find_triggers(doc, sents):
        _budget(deadline)
        found.extend(_claims(trig, doc, located, meta, gaz))
    return _dedupe(found), []


def _place_ok(doc: Doc, p: Located) -> bool:
    """A toponym the parse agrees is one: not inside a person's or organisation's name, not an
    all-capital initialism the gazetteer happens to know."""
    span = doc.char_span(p.start, p.end, alignment_mode="expand")
    if span is None:
        return True
    if not span[0].has_dep() if hasattr(span[0], "has_dep") else False:
        return True
    if any(t.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW") and t.ent_iob_ != "O" for t in span):
        ents = [e for e in doc.ents if e.start <= span.start and span.end <= e.end]
        if ents and ents[0].label_ in ("ORG", "PERSON", "WORK_OF_ART", "EVENT", "LAW") and len(ents[0]) > len(span):
            return False
    text = p.mention
    if text.isupper() and len(text) <= 4:
        return False
    return True


def _places_in(tokens: Span | list[Token], located: list[Located]) -> list[Located]:
    if not tokens:
        return []
    lo = min(t.idx for t in tokens)
    hi = max(t.idx + len(t) for t in tokens)
    return [p for p in located if lo <= p.start and p.end <= hi]


def _clause_tokens(head: Token) -> list[Token]:
    """The trigger's clause: its subtree, without subordinate clauses that are claims of their own."""
    out = []
    for t in head.subtree:
        out.append(t)
    return out


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
    text = doc.text[a:b]
    counts = [c for c in find_counts(text) if c.end <= tok.idx - a + len(tok) or c.start < tok.idx - a]
    if tok.like_num:
        counts = find_counts(text)
    return counts[-1] if counts else None


def _when(head: Token, doc: Doc, meta: DocumentMeta) -> When | None:
    sent = head.sent
    found = find_dates(sent.text, meta.published)
    if not found:
        return None
    # the date nearest the trigger in its sentence
    pos = head.idx - sent.start_char
    d = min(found, key=lambda d: abs(d.start - pos))
    return When(start=d.iso, precision=d.precision, ongoing=d.since)


def _text_of(tok: Token) -> str:
    span = phrase(tok)
    return span.text.strip()


def _affected(tok: Token) -> str:
    """Who the claim is about, without the count: "nine Palestinians" -> "Palestinians"."""
    span = phrase(tok)
    words = [t for t in span if not (t.like_num or t.dep_ in ("det", "nummod", "quantmod") or t.lower_ in (
        "some", "around", "about", "nearly", "almost", "least", "at", "more", "than", "over"))]
    return " ".join(t.text for t in words).strip() or span.text


def _agent_name(tok: Token | None) -> str | None:
    if tok is None:
        return None
    if tok.lower_ in ("who", "which", "that", "it", "they", "he", "she"):
        return None
    span = phrase(tok)
    text = span.text.strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    v = vocab()
    for m in v.actors.finditer(text):
        return v.actor_names[m.lastgroup][0]
    return text or None


def _claims(trig: Trigger, doc: Doc, located: list[Located], meta: DocumentMeta, gaz: Gazetteer) -> list[Claim]:
    f = frame(trig)
    if f.negated or f.irrealis:
        return []
    kind = kinds()[trig.kind]
    want = kind.raw.get("triggers", {}).get("patient", "any")
    patients = [semantic_head(p) for p in f.patients]
    clause = _clause_tokens(f.clause or trig.head)
    places = _places_in(clause, located)
    agent_toks = set(phrase(f.agent)) if f.agent is not None else set()
    places = [p for p in places if not any(t.idx <= p.start < t.idx + len(t) for t in agent_toks)]

    # which patients fit what the kind is about
    fitting: list[tuple[Token, str | None]] = []  # (patient head, object category)
    for p in patients:
        if want == "persons":
            if is_people(p) or p.like_num:
                fitting.append((p, None))
        elif want == "object":
            cat = object_category(p, kind.objects or None)
            if cat:
                fitting.append((p, cat))
        elif want == "place":
            if _places_in(list(phrase(p)), located) or p.lemma_.lower() in _TERRITORY:
                fitting.append((p, None))
        else:
            fitting.append((p, object_category(p, kind.objects or None)))
    if want in ("persons", "object", "place") and not fitting:
        # the kind needs its patient; a noun trigger may be the patient itself ("350 detainees")
        if trig.word.nominal and want == "persons" and is_people(trig.head) and _count_for(trig.head):
            fitting = [(trig.head, None)]
        elif want == "place" and places:
            fitting = [(None, None)]
        else:
            return []
    if trig.word.nominal and not (fitting and fitting[0][0] is not None) and not places and f.agent is None:
        return []  # a noun with nothing around it is a mention, not a claim ("the attacks")

    out = []
    sent = trig.head.sent
    source = meta.source
    when = _when(trig.head, doc, meta)
    agent = _agent_name(f.agent)
    for p, cat in fitting or [(None, None)]:
        p_places = _places_in(list(phrase(p)), located) if p is not None else []
        per_place = p_places or places
        if want == "place" and p_places:
            per_place = p_places
        targets = per_place or [None]
        if len(fitting) > 1 and not p_places and places and want != "place":
            targets = [places[0]] if places else [None]
        for loc in targets:
            toks = [trig.span[0], trig.span[-1]] + (list(phrase(p)) if p is not None else [])
            a = min(t.idx for t in toks)
            b = max(t.idx + len(t) for t in toks)
            if loc is not None:
                a, b = min(a, loc.start), max(b, loc.end)
            a, b = max(a, sent.start_char), min(b, sent.end_char)
            while b > a and doc.text[b - 1] in " ,;:.\n":
                b -= 1
            q = None
            if p is not None:
                c = _count_for(p)
                if c is not None:
                    q = Quantity(value=c.value, low=c.low, high=c.high, qualifier=c.qualifier,
                                 unit=p.text if not p.like_num else None)
            refs = [gaz.ref(loc.place, loc.mention)] if loc is not None else []
            out.append(Claim(
                kind=trig.kind, span=(a, b), text=doc.text[a:b], attributed_to=source, agent=agent,
                affected=_affected(p) if p is not None and want == "persons" and not p.like_num else None,
                quantity=q, object=ObjectRef(category=cat, name=None) if cat else None, places=refs, when=when,
                confidence=0.6))
    return out


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
    return sorted(out, key=lambda c: c.span)


__all__ = ["Frame", "extract", "items"]
