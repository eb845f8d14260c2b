"""Who says what: reported speech read from the dependency parse.

Docket never states that something happened; it records who says so. `attribute(doc, default)` finds,
in one document's Doc (`document.read`), the stretches of text that the text itself puts in someone
else's mouth, and who that is:

- a clause complement of a reporting verb: "X said (that) …", "X told Y that …", "X claims …",
  "…, X said." and "…," said X. (the speaker after), a headline's "…, X says";
- a noun phrase or infinitive some reporting verbs take: "X confirmed the surrender of …",
  "X accused Y of …", "X claimed to …", "X announced its losses: …";
- a clause carrying a source phrase: "According to X, …", "…, according to X", "as X reported, …",
  "in a report by X" (a report noun's owner is its speaker: "the commission's report found");
- a quotation in straight, curly or mojibake marks ("β€œ" is a left curly quote read in the wrong code
  page), over one sentence or several, with the speaker before it ("X said, “…" or "X said:"), after
  its closing mark ("…,” said the mayor; he added; she told a news agency), or carried over from the
  quotation just before it ("…,” said X. “…”).

Each `Said` is one span of content (character offsets into the document's text) and its `source`,
written as `attributed_to` should be. Content that no `Said` covers is the document's default source
(the publisher). A report relayed by someone else ("…, according to a local NGO, reports Anadolu
Agency") keeps its original source, with the relaying party in `via`: analysts code the NGO, so
`source` is what `attributed_to` takes. Nested reports chain the same way ("X said that Y said …": Y,
via X); `SaidIndex.at(pos)` gives the innermost Said at a claim's trigger. `direct` marks a quotation:
the dev gold's convention for a demand reported by someone else ("the ministry said Armenia should be
pressured") keeps the reporter (`via`, else the publisher) as `attributed_to` and the speaker as the
demand's agent, while a quoted demand is the speaker's; that choice is the claim builder's.

Indirect content leaves out its non-restrictive relative clauses (", which …"): there the reporter
usually adds background of their own.

How a speaker is written: the subject's noun phrase cleaned (no leading "the", no relative clauses or
appositions, a parenthesised acronym kept: "Palestinian Prisoners Society (PPS)"); a person's name when
the phrase holds one ("UNHCR spokesperson Matthew Saltmarsh" -> "Matthew Saltmarsh", titles dropped);
a bare surname or acronym written out where the document names it in full ("Mammadov" -> "Mustagim
Mammadov", "IDF" -> "Israel Defense Forces (IDF)"); "his wife" -> "wife of <whoever his is>", "the
ministry's spokesman" -> "spokesman of ministry …". The text's own form is kept (not `actors.toml`'s
canonical name): analysts code "Russian Defense Ministry" as written.

Resolution of pronouns and definite descriptions ("he", "she", "it", "the NGO", "the ministry", "the
resident") is deliberately simple, and these are its limits: a description takes the nearest earlier
noun phrase with the same head noun that carries a name ("the army" -> "Sudan’s army"), else the
nearest earlier speaker of a compatible kind (a person noun wants a person, any other an organisation),
else the nearest earlier named entity of that kind; "he"/"she" take the nearest earlier person who
spoke (within a few paragraphs), else the nearest earlier person named outside the content itself;
"it" the nearest organisation. There is no gender or number agreement, no salience beyond recency, and
an indefinite description ("a local NGO") is written out only when the very next speakers name an
organisation of that kind. A pronoun with no antecedent makes no Said (its content stays the
default's). First-person speakers ("we", "our mission") are the document's own voice, or inside a
quotation its speaker's.

Not reported speech: a participle used as an adjective ("the reported detention", legal "the said
village"), a passive without its agent ("are estimated to be held", "as said before"), "so-called",
a negated verb ("has not claimed"), and a denial: "X denies that …" is not X saying it happened, so
the content stays with whoever reports the denial (`DENIAL_VERBS` is exported for the negation reader).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

# ---------------------------------------------------------------------------------------------------
# the vocabularies (lemmas)

# A reporting verb and what, besides a clause complement or a quotation, carries what is said: "obj" a
# noun phrase ("confirmed the surrender of …"), "xcomp" an infinitive ("claimed to …"), a preposition its
# object ("warned of …", "accused X of …", "informed about …").
REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": (), "tell": (), "add": (), "write": (), "explain": (), "insist": (), "argue": (),
    "assert": (), "remark": (), "recall": (), "remember": (), "believe": (), "predict": (),
    "state": ("obj",), "report": ("obj",), "claim": ("obj", "xcomp"), "allege": ("obj",),
    "announce": ("obj",), "confirm": ("obj",), "estimate": ("obj",), "note": ("obj",),
    "declare": (), "detail": ("obj",), "stress": ("obj",), "emphasize": ("obj",),
    "emphasise": ("obj",), "underline": ("obj",), "acknowledge": ("obj",), "admit": ("obj",),
    "accuse": ("obj", "of"), "blame": ("obj", "for"), "warn": ("of", "about"), "inform": ("about", "of"),
    "record": ("obj",), "document": ("obj",), "assess": ("obj",),
    # evidential: only with a subject that can be a source (a report, a named party, a person or body)
    "find": ("obj",), "show": ("obj",), "reveal": ("obj",), "indicate": ("obj",), "highlight": ("obj",),
    "conclude": (), "suggest": (), "read": (),
}
EVIDENTIAL_VERBS = frozenset({"find", "show", "reveal", "indicate", "highlight", "conclude", "suggest", "read"})
# "X denies …" reports no assertion of X's: the content stays with the reporter of the denial
DENIAL_VERBS = frozenset({"deny", "refute", "dispute"})
_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "find": ("found",),
              "show": ("shown",), "read": ("read",), "admit": ("admitted", "admitting")}


def _forms(verb: str) -> set[str]:
    """A reporting verb's inflections ("state": state, states, stated, stating)."""
    if verb.endswith("e"):
        regular = {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y"):
        regular = {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh")):
        regular = {verb + "es", verb + "ed", verb + "ing"}
    else:
        regular = {verb + "s", verb + "ed", verb + "ing"}
    return {verb} | regular | set(_IRREGULAR.get(verb, ()))


# The words a sentence must hold to be worth parsing for attribution (for `document.candidate_test`:
# no prefixes, since "not" would make every negated sentence a candidate for "note").
CANDIDATE_PREFIXES: tuple[str, ...] = ()
CANDIDATE_WORDS = tuple(sorted({f for v in REPORTING_VERBS for f in _forms(v)} | {"according"}))

# nouns of documents and statements: their author is their speaker ("the commission's report found")
REPORT_NOUNS = frozenset({
    "statement", "report", "communiqué", "communique", "declaration", "release", "study", "survey",
    "investigation", "inquiry", "assessment", "finding", "analysis", "review", "evaluation", "document",
    "letter", "interview", "briefing", "bulletin", "testimony", "account", "estimate", "census", "data",
    "tally", "count", "record", "post", "tweet", "message", "dossier", "paper", "note", "memo",
    "submission", "information", "figure",
})
# person nouns: a description with one of these heads wants a person ("the commander said")
PERSON_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "president", "commander", "mayor",
    "governor", "head", "chief", "director", "leader", "resident", "witness", "wife", "husband", "mother",
    "father", "son", "daughter", "brother", "sister", "relative", "doctor", "researcher", "journalist",
    "reporter", "man", "woman", "soldier", "officer", "ambassador", "envoy", "secretary", "chairman",
    "chairwoman", "chair", "prosecutor", "judge", "survivor", "victim", "activist", "analyst", "expert",
    "aide", "adviser", "advisor", "representative", "lawyer", "teacher", "employee", "villager",
    "refugee", "student", "person", "people", "deputy", "general", "colonel", "captain", "priest",
    "imam", "monitor", "mediator", "rapporteur", "coordinator", "eyewitness", "farmer", "nurse",
    "medic", "paramedic", "rescuer", "investigator", "inspector", "observer", "campaigner", "organiser",
    "organizer", "protester", "demonstrator", "insurgent", "fighter", "militant", "engineer", "worker",
})
# a relation to someone ("the wife of X"): the person named after "of" is not the speaker
RELATION_NOUNS = frozenset({
    "wife", "husband", "mother", "father", "son", "daughter", "brother", "sister", "relative", "lawyer",
    "friend", "family", "colleague", "neighbour", "neighbor", "cousin", "uncle", "aunt", "widow",
    "parent", "child", "attorney", "representative",
})
# bodies: a description with one of these heads wants an organisation ("the ministry said")
ORG_NOUNS = frozenset({
    "ministry", "government", "army", "military", "ngo", "group", "organisation", "organization", "agency",
    "court", "council", "committee", "commission", "office", "mission", "coalition", "authority",
    "force", "police", "service", "department", "movement", "party", "union", "alliance", "society",
    "fund", "centre", "center", "institute", "network", "team", "observatory", "side", "country",
    "state", "embassy", "administration", "parliament", "assembly", "tribunal", "watchdog", "body",
    "company", "firm", "ombudsman", "board", "bureau", "cabinet", "presidency", "regime", "junta",
    "rebel", "militia", "media", "outlet", "newspaper", "channel", "broadcaster", "station", "kremlin",
    "prosecutor", "secretariat", "directorate", "command", "headquarters", "unit", "battalion",
    "brigade", "federation", "republic", "municipality", "city", "region", "province", "village",
    "community", "association", "foundation", "charity", "program", "programme", "initiative",
    "co", "chair", "mediator", "monitor", "delegation", "bloc", "nation", "capital", "source",
    "opposition", "leadership", "staff", "crew", "operator",
})
# written in capitals but common nouns: "the NGO" is a description, not a name
COMMON_ACRONYMS = frozenset({"NGO", "NGOs", "INGO", "MP", "MPs", "IDP", "IDPs", "UAV"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "our", "my", "ours"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
# words a person's name is written without ("Rear Adm Daniel Hagari", "Ms. Fore")
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "rev", "gen", "general", "lt",
    "col", "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "rear", "vice", "sgt",
    "president", "minister", "ambassador", "judge", "sheikh", "mp", "senator", "gov", "governor",
})
_OPEN_WORDS = frozenset({"which", "who", "whose", "whom", "where", "when"})

# quotation marks: straight ones are told apart by the spaces around them; mojibake forms are UTF-8
# curly quotes read as cp1252 ("â€œ") or cp1253 ("β€œ")
_QUOTE_MARK = re.compile(r'â€œ|β€œ|[âβ]€(?:\x9d|\ufffd|(?=[\s,.;:!?]|$))|[“”„«»"]')
_OPENERS = frozenset({"“", "„", "«", "â€œ", "β€œ"})
_CLOSERS = frozenset({"”", "»"})
# an unclosed quotation runs on to the next closing mark or the text's end, at most this far
_MAX_UNCLOSED = 6000
# how far back a pronoun looks for a speaker, and a description for a phrase with its head noun
_RECENT = 3000
_DESCRIBED = 20000
_PERSON_ENTS = frozenset({"PERSON"})
_BODY_ENTS = frozenset({"ORG", "GPE", "NORP"})
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
# an acronym given after the name with "or" ("the Eastern Brigade, or EB, said"): capitals only
_OR_ACRONYM = re.compile(r",? or ([A-Z]{2,8})(?=[,;.)]|\s+(?:said|says|told|reported|has|have|had|is|are|was|were)\b)")


@dataclass(frozen=True, slots=True)
class Said:
    """Content (text[start:end]) that the text attributes to `source` (named at `source_span`), relayed
    by `via` where the text says so; `direct` when the content is a quotation."""

    start: int
    end: int
    source: str
    source_span: tuple[int, int]
    via: str | None = None
    direct: bool = False


class SaidIndex:
    """The innermost Said at a position (a claim's trigger), by bisection over precomputed segments."""

    def __init__(self, saids: list[Said]):
        bounds = sorted({b for s in saids for b in (s.start, s.end)})
        owners: list[Said | None] = [None] * len(bounds)
        # inner ones paint last; of two over the same words, the relayed one (its original source)
        for s in sorted(saids, key=lambda s: (s.start - s.end, s.via is not None)):
            for k in range(bisect.bisect_left(bounds, s.start), bisect.bisect_left(bounds, s.end)):
                owners[k] = s
        self.bounds, self.owners = bounds, owners

    def at(self, pos: int) -> Said | None:
        k = bisect.bisect_right(self.bounds, pos) - 1
        return self.owners[k] if k >= 0 else None

    def source_at(self, pos: int, default: str | None) -> str | None:
        s = self.at(pos)
        return s.source if s else default


# ---------------------------------------------------------------------------------------------------
# the work


@dataclass
class _Found:
    """A reporting construction before its speaker is resolved."""

    pieces: list[tuple[int, int]]  # content spans
    speaker: Token | None  # the token naming the speaker (None: `follows` gives it)
    anchor: int  # where the speaker is named (orders resolution)
    direct: bool = False
    follows: _Found | None = None  # a quotation continuing another one: the same speaker
    verb: int = -1  # the reporting verb's token index
    source: str | None = None
    source_span: tuple[int, int] = (0, 0)
    skip: bool = False  # no source, or the document's own voice


@dataclass
class _Reader:
    doc: Doc
    default: str | None
    text: str = ""
    sents: list[Span] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)  # character offsets
    history: list[tuple[int, str, str]] = field(default_factory=list)  # (char, source, kind) of speakers
    acronyms: dict[str, str] = field(default_factory=dict)
    named: list[Token] = field(default_factory=list)  # heads of noun phrases that carry a name
    named_starts: list[int] = field(default_factory=list)
    by_head: dict[str, list[Token]] = field(default_factory=dict)  # the named phrases by head noun
    persons: list[Span] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # content of the quotations found
    surnames: dict[tuple[str, bool], str] = field(default_factory=dict)
    actor: bool = False  # naming a claim's actor, not a speaker


def attribute(doc: Doc, default: str | None = None) -> list[Said]:
    """The document's reported speech: spans of its text and who says them (see the module's docstring).
    Speakers are read in the parsed sentences only; a quotation may run through unparsed ones. A first-
    person speaker ("we said") is `default`'s, and makes no Said when `default` is None."""
    return attribute_and_name(doc, default)[0]


def attribute_and_name(doc: Doc, default: str | None = None):
    """`attribute`'s answer, and a function that names any actor token as this module names speakers
    (acronyms written out where the document gives them in full, "we" the document's own voice,
    pronouns and descriptions such as "the army" resolved to the named party they refer to): the
    extractor names a claim's agent with it."""
    r = _Reader(doc, default, doc._.docket.text if doc.has_extension("docket") and doc._.docket else doc.text)
    ctx = doc._.docket if Doc.has_extension("docket") else None
    if ctx is None:  # a Doc made by the model directly: every sentence parsed
        r.sents = list(doc.sents)
    else:
        from docket.extract.document import sentence_span

        r.sents = [sentence_span(doc, i) for i, p in enumerate(ctx.parsed) if p]
    r.sent_starts = [s.start_char for s in r.sents]
    _index_names(r)
    quotes = _quotations(r)
    r.quoted = [p for q in quotes for p in q.pieces]
    found = list(quotes)
    for sent in r.sents:
        found.extend(_constructions(r, sent))
    found.sort(key=lambda f: f.anchor)
    for f in found:
        _resolve(r, f)

    def name(t: Token) -> str | None:
        r.actor = True
        try:
            return _name(r, t, t.idx)[0]
        finally:
            r.actor = False

    return _relays(found, [q for q in quotes if not q.skip]), name


def _index_names(r: _Reader) -> None:
    for pattern in (_ACRONYM, _OR_ACRONYM):
        for m in pattern.finditer(r.text):
            long = _acronym_long_form(r.text, m)
            if long:
                r.acronyms.setdefault(m.group(1), f"{long} ({m.group(1)})")
    for sent in r.sents:
        for t in sent:
            if t.pos_ in ("PROPN", "NOUN") and t.dep_ != "compound" and _has_name(t):
                r.named.append(t)
                r.named_starts.append(t.idx)
                heads = {_norm(t.lemma_), _norm(t.text)} | {_norm(g.text) for g in t.children if g.dep_ == "compound"}
                for h in heads:
                    r.by_head.setdefault(h, []).append(t)
    r.persons = [e for e in r.doc.ents if e.label_ in _PERSON_ENTS]


def _acronym_long_form(text: str, m: re.Match) -> str | None:
    """'Palestinian Prisoners Society' before '(PPS)': the capitalised words whose initials spell it."""
    letters = [c for c in m.group(1) if c.isupper()]
    words = re.findall(r"[\w’'.-]+", text[max(0, m.start() - 120) : m.start()])
    caps: list[str] = []
    kept: list[str] = []
    for w in reversed(words):
        if w.lower() in ("of", "the", "for", "and", "on", "de", "to", "in") and caps:
            kept.append(w)
            continue
        if not w[:1].isupper():
            break
        caps.append(w)
        kept.append(w)
        if [c[0] for c in reversed(caps)] == letters:
            return _no_possessive(" ".join(reversed(kept)))
        if len(caps) > len(letters):
            break
    return None


def _no_possessive(name: str) -> str:
    return re.sub(r"[’']s$", "", name)


def _is_name(t: Token) -> bool:
    return (t.pos_ == "PROPN" or bool(t.ent_type_)) and t.text not in COMMON_ACRONYMS


def _has_name(t: Token) -> bool:
    if _is_name(t):
        return True
    return any(c.dep_ in ("compound", "poss", "amod", "nmod") and _is_name(c) for c in t.children)


# --- quotations ---------------------------------------------------------------------------------------


def _quote_spans(text: str) -> list[tuple[int, int, int]]:
    """(content start, content end, end of the closing mark) of each top-level quotation. A quotation
    reopened at a paragraph's start continues (the press's convention for a quotation over several
    paragraphs); one never closed runs to the text's end, `_MAX_UNCLOSED` characters at most."""
    out = []
    depth, start = 0, -1
    for m in _QUOTE_MARK.finditer(text):
        mark, a, b = m.group(0), m.start(), m.end()
        if mark == '"':
            before = text[a - 1] if a else " "
            after = text[b] if b < len(text) else " "
            opener = (before.isspace() or before in "([{—–-/:") and not after.isspace()
            closer = not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-")
            is_open = opener and not (closer and depth)
        else:
            is_open = mark in _OPENERS
        if is_open:
            if depth == 0:
                depth, start = 1, b
            elif not _at_paragraph_start(text, a):
                depth += 1
        elif depth > 1:
            depth -= 1
        elif depth == 1:
            out.append((start, a, b))
            depth = 0
    if depth:
        end = min(len(text), start + _MAX_UNCLOSED)
        out.append((start, end, end))
    return out


def _at_paragraph_start(text: str, pos: int) -> bool:
    line = text.rfind("\n", 0, pos)
    return line != -1 and not text[line + 1 : pos].strip()


def _sent_of(t: Token) -> Span:
    """The sentence a token lies in: through the document's context where there is one (spaCy's
    `Token.sent` walks the Doc from its start)."""
    doc = t.doc
    ctx = doc._.docket if Doc.has_extension("docket") else None
    if ctx is None:
        return t.sent
    from docket.extract.document import sentence_span

    return sentence_span(doc, ctx.sentence_of(t.i))


def _sentence_index(r: _Reader, pos: int) -> int:
    k = bisect.bisect_right(r.sent_starts, pos) - 1
    if k >= 0 and r.sents[k].start_char <= pos < r.sents[k].end_char:
        return k
    return -1


def _quotations(r: _Reader) -> list[_Found]:
    out: list[_Found] = []
    prev: _Found | None = None
    prev_end = -1  # the end of the previous quotation's attribution ("…,” said X.")
    for cs, ce, close_end in _quote_spans(r.text):
        body = r.text[cs:ce].strip()
        if len(body) < 6 or " " not in body:  # a word in quotation marks
            continue
        open_at = cs - 1
        while open_at > 0 and r.text[open_at - 1] in "â€β":
            open_at -= 1
        k_open = _sentence_index(r, open_at)
        if k_open == -1:
            k_open = _sentence_index(r, cs)
        opening = r.sents[k_open] if k_open != -1 else None
        at_start = opening is None or not r.text[opening.start_char : open_at].strip()
        found, after_end = None, close_end
        if close_end > ce:
            verb, speaker, after_end = _verb_after(r, close_end)
            if verb is not None:
                found = _Found([(cs, ce)], speaker, verb.idx, direct=True, verb=verb.i)
        if found is None and opening is not None and not at_start:
            verb = _verb_before(r, opening, open_at)
            if verb is not None:
                found = _Found([(cs, ce)], _speaker_of(verb), verb.idx, direct=True, verb=verb.i)
        if found is None and at_start and k_open > 0:
            before = r.sents[k_open - 1]
            if r.text[before.start_char : before.end_char].rstrip().endswith(":"):
                verb = _verb_before(r, before, before.end_char)
                if verb is not None:
                    found = _Found([(cs, ce)], _speaker_of(verb), verb.idx, direct=True, verb=verb.i)
        if found is None and prev is not None and prev_end <= open_at and not r.text[prev_end:open_at].strip():
            found = _Found([(cs, ce)], None, open_at, direct=True, follows=prev)
        if found is None or (found.speaker is None and found.follows is None):
            prev = None
            continue
        out.append(found)
        prev, prev_end = found, after_end
    return out


def _is_reporting(t: Token) -> bool:
    lemma = t.lemma_.lower()
    if lemma not in REPORTING_VERBS or t.pos_ not in ("VERB", "AUX") or t.dep_ in ("amod", "compound"):
        return False
    return not any(c.dep_ == "neg" for c in t.children)


def _verb_after(r: _Reader, pos: int) -> tuple[Token | None, Token | None, int]:
    """`…,” said X` / `…,” X said` / `…,” he told CNN`: the reporting verb just after a closing mark
    (in its sentence, or the next one when the sentence was split after "?”"), and where that
    attribution ends."""
    k = _sentence_index(r, pos - 1)
    if k == -1:
        k = _sentence_index(r, pos)
    if k == -1:
        return None, None, pos
    sents = [r.sents[k]]
    if k + 1 < len(r.sents):  # split after "?”": the attribution goes on in the same paragraph
        nxt = r.sents[k + 1]
        gap = r.text[pos : nxt.start_char]
        first = next((t for t in nxt if not t.is_space), None)
        if not gap.strip() and "\n" not in gap and first is not None and (first.is_lower or _is_reporting(first)):
            sents.append(nxt)
    for sent in sents:
        for t in sent:
            if t.idx < pos:
                continue
            if t.idx - pos > 120 or t.text in _CLOSERS or t.text in _OPENERS:
                return None, None, pos
            speaker = _speaker_of(t) if _is_reporting(t) else None
            if speaker is None and _is_reporting(t) and not r.text[pos : t.idx].strip(" ,"):
                speaker = _inverted_subject(t)
            if speaker is not None and speaker.idx >= pos:
                end = re.compile(r"[.!?]").search(r.text, t.idx, sent.end_char)
                return t, speaker, end.end() if end else sent.end_char
            if t.lower_ == "according" or (t.is_sent_end and t.is_punct):
                return None, None, pos
    return None, None, pos


def _inverted_subject(verb: Token) -> Token | None:
    """'…,” said engineer Tomas Kral.' parsed without a subject: the person named right after."""
    for t in verb.doc[verb.i + 1 : _sent_of(verb).end]:
        if t.ent_type_ == "PERSON" and (t.i + 1 == len(t.doc) or t.doc[t.i + 1].ent_type_ != "PERSON"):
            return t
        if t.is_punct:
            return None
    return None


def _verb_before(r: _Reader, sent: Span, pos: int) -> Token | None:
    """`X said, “…` / `…, who said: “…` / `The statement reads:`: the last reporting verb before `pos`,
    with nothing but its own words and a comma or colon before the mark."""
    verb = None
    for t in sent:
        if t.idx >= pos:
            break
        if _is_reporting(t):
            verb = t
    if verb is None or _speaker_of(verb) is None:
        return None
    tail = r.text[verb.idx + len(verb) : pos]
    if not re.search(r"[,:]\s*$", tail) or re.search(r"[.;!?]", tail):
        return None
    return verb


# --- reporting constructions -------------------------------------------------------------------------


def _constructions(r: _Reader, sent: Span) -> list[_Found]:
    out = []
    for t in sent:
        if not t.dep_:
            continue
        low = t.lower_
        if low == "according" and t.dep_ in ("prep", "advcl", "advmod"):
            f = _according(t)
        elif _is_reporting(t):
            f = _reported(t)
        elif low == "as" and t.dep_ in ("mark", "prep"):
            f = _as_reported(t)
        elif t.dep_ == "prep" and low in ("in", "from") and t.head.pos_ in ("VERB", "AUX"):
            f = _in_report(r, t)
        else:
            f = None
        if f is not None and f.pieces:
            out.append(f)
    return out


def _speaker_of(verb: Token) -> Token | None:
    """The token naming who speaks: the subject (the nearest, where the parse gives two), a passive's
    agent, or the speaker of the verb a participle or a conjunct hangs on ("…, adding that …")."""
    t = verb
    for _ in range(4):
        subjects = [c for c in t.children if c.dep_ == "nsubj"]
        if subjects:
            subj = min(subjects, key=lambda c: abs(c.i - t.i))
            if t is not verb and subj.lower_ in _OPEN_WORDS:
                return None
            return subj if _can_speak(subj) else None
        agent = next((c for c in t.children if c.dep_ == "agent"), None)
        if agent is not None:
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            return obj if obj is not None and _can_speak(obj) else None
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children):
            return None
        if t.dep_ == "conj" or (t.dep_ in ("advcl", "xcomp") and t.tag_ == "VBG"):
            t = t.head
            continue
        break
    return _named_before(verb)


def _named_before(verb: Token) -> Token | None:
    """'…, Mr. Mario Raffaelli, emphasized that …' parsed without a subject: the person or body named
    just before the finite verb, with nothing but a comma between."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    k = verb.i - 1
    while k >= 0 and verb.doc[k].text == ",":
        k -= 1
    if k < 0 or k == verb.i - 1 or verb.doc[k].ent_type_ not in _PERSON_ENTS | {"ORG"}:
        return None
    return verb.doc[k]


def _can_speak(t: Token) -> bool:
    """Whether a subject can be a source: a name, a pronoun, a person, a body, or a report ("the number
    reported last week" is not one)."""
    low, lemma = _word(t), t.lemma_.lower()
    if low in FIRST_PERSON:
        return True
    return (_has_name(t) or low in FIRST_PERSON or low in PERSON_PRONOUNS or low in _OPEN_WORDS
            or low in ("it", "they", "that", "its", "their") or lemma in REPORT_NOUNS
            or _norm(lemma) in PERSON_NOUNS or _norm(lemma) in ORG_NOUNS or t.text in COMMON_ACRONYMS
            or t.ent_type_ in _BODY_ENTS)


def _acceptable_source(verb: Token, speaker: Token) -> bool:
    """An evidential verb ("found", "shows") reports only when its subject is a report, a name, a person
    or a body ("satellite images show" does not attribute)."""
    if verb.lemma_.lower() not in EVIDENTIAL_VERBS:
        return True
    lemma = _norm(speaker.lemma_)
    return (lemma in REPORT_NOUNS or lemma in PERSON_NOUNS or lemma in ORG_NOUNS or _has_name(speaker)
            or speaker.lower_ in PERSON_PRONOUNS or speaker.lower_ in ("they", "it"))


def _reported(verb: Token) -> _Found | None:
    speaker = _speaker_of(verb)
    if speaker is None or not _acceptable_source(verb, speaker):
        return None
    lemma = verb.lemma_.lower()
    takes = REPORTING_VERBS[lemma]
    pieces: list[tuple[int, int]] = []
    # a clause: "said (that) …", or a finite verb the parser hung as xcomp ("which X said killed …")
    clause = next((c for c in verb.children if c.dep_ == "ccomp"
                   or c.dep_ == "xcomp" and c.tag_ in ("VBD", "VBN", "VBZ", "VBP")), None)
    if clause is not None:
        pieces.append(_coordinated(verb, clause, _bounds(clause)))
    elif _after_that(verb):
        pieces = _after_that(verb)
    else:
        for c in verb.children:
            if c.dep_ == "dobj" and c.lower_ != "that" and ("obj" in takes or _reduced_clause(c)):
                a, b = _bounds(c)
                b = _colon_run(verb, c, b)
                pieces.append((a, b))
            elif "obj" in takes and c.i > verb.i and (c.dep_ in ("oprd", "prep") and c.lower_ == "as" or c.dep_ == "advcl"
                                                   and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children)):
                pieces.append(_bounds(c))  # "assessed 57 sites as destroyed"
            elif c.dep_ == "xcomp" and "xcomp" in takes:
                pieces.append(_bounds(c))
            elif c.dep_ == "prep" and c.lower_ in takes:
                pieces.append(_bounds(c))
    if len(pieces) > 1:  # "blamed Israel for the attacks": one span
        pieces = [(min(a for a, _ in pieces), max(b for _, b in pieces))]
    if not pieces:
        pieces = _before_speaker(verb, speaker)
    # "In a statement condemning the strikes, X said …": the statement's own words are X's too
    for c in verb.children:
        if c.dep_ == "prep":
            for n in c.children:
                if n.dep_ == "pobj" and n.lemma_.lower() in REPORT_NOUNS:
                    # "… in a statement that …" (the clause the parser hung on the noun)
                    pieces.extend(_bounds(a) for a in n.children if a.dep_ in ("acl", "relcl") and (
                        a.tag_ == "VBG" or any(m.dep_ == "mark" and m.lower_ == "that" for m in a.children)))
    pieces = [p for p in pieces if p[1] - p[0] > 2 and not (p[0] <= speaker.idx < p[1] and p[1] - p[0] < 8)]
    if not pieces:
        return None
    return _Found(_holes(pieces, verb.doc), speaker, speaker.idx, verb=verb.i)


def _coordinated(verb: Token, clause: Token, bounds: tuple[int, int]) -> tuple[int, int]:
    """'X said that A had disregarded …, launched an attack, seized …' where the parser hung the later
    verbs on a verb above: subject-less verbs right after the clause continue it."""
    doc = verb.doc
    a, b = bounds
    k = clause.right_edge.i + 1
    ancestors = {verb.i} | {t.i for t in verb.ancestors}
    while k < len(doc):
        while k < len(doc) and (doc[k].text in (",", "and", "or") or doc[k].is_space):
            k += 1
        if k >= len(doc):
            break
        nxt = doc[k]
        if not (nxt.pos_ == "VERB" and nxt.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in nxt.children)
                and (nxt.head.i in ancestors or nxt.head.i < k and doc[nxt.head.i].dep_ == "conj"
                     and doc[nxt.head.i].i > clause.i)):
            break
        last = max([nxt.i, *(c.right_edge.i for c in nxt.children if c.dep_ != "conj")])
        b = _tokens_bounds(list(doc[k : last + 1]))[1]
        k = last + 1
    return a, b


def _reduced_clause(obj: Token) -> bool:
    """A headline's clause without its auxiliary: 'UN says 12,000 people displaced by floods'."""
    return any(c.dep_ == "acl" and c.tag_ == "VBN" and c.i == obj.i + 1 for c in obj.children)


def _after_that(verb: Token) -> list[tuple[int, int]]:
    """'X indicates that …' parsed without a clause complement: what follows "that" in the verb's
    phrase."""
    that = next((c for c in verb.children if c.lower_ == "that" and c.i > verb.i and c.dep_ in ("mark", "dobj")), None)
    if that is None:
        return []
    tokens = [t for t in verb.subtree if t.i > that.i]
    return [_tokens_bounds(tokens)] if tokens else []


def _before_speaker(verb: Token, speaker: Token) -> list[tuple[int, int]]:
    """'…, X said.' read as the reporting verb hanging on the clause before it, or standing alone after
    it: the content is the clause before the speaker ("as X reported, …": the clause it hangs on)."""
    lead = min(verb.i, speaker.left_edge.i)
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is not None and verb.dep_ == "advcl":
        own = {t.i for t in verb.subtree}
        rest = [t for t in verb.head.subtree if t.i not in own and not t.is_punct]
        return [_tokens_bounds(rest)] if rest else []
    if verb.dep_ in ("parataxis", "ccomp", "conj", "advcl"):  # "…, X said, Y reported": X's too
        start = verb.head.left_edge
    elif verb.dep_ == "ROOT":
        start = _sent_of(verb)[0]
    else:
        return []
    if lead <= start.i:
        return []
    own = {g.i for c in verb.children if c.dep_ in ("prep", "advmod", "advcl", "npadvmod", "mark", "cc")
           for g in c.subtree} if verb.dep_ == "ROOT" else set()
    before = [t for t in verb.doc[start.i : lead] if not t.is_space]
    if not [t for t in before if t.i not in own and not t.is_punct]:
        return []
    while before and before[-1].is_punct:
        before.pop()
    if not before or not any(t.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "NUM") for t in before):
        return []
    return [_tokens_bounds(before)]


def _colon_run(verb: Token, obj: Token, end: int) -> int:
    """'announced its losses: 192 soldiers were killed': what follows the colon is said too."""
    doc = verb.doc
    k = obj.right_edge.i + 1
    sent = _sent_of(verb)
    if k < sent.end and doc[k].text == ":":
        last = sent[-1]
        while last.i > k and (last.is_punct or last.is_space):
            last = doc[last.i - 1]
        return last.idx + len(last)
    return end


def _according(acc: Token) -> _Found | None:
    """'According to X, …' / '…, according to X': the clause the phrase hangs on, on its side of it."""
    to = next((c for c in acc.children if c.lower_ == "to"), None)
    speaker = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if speaker is None:
        return None
    return _phrase_content(acc, speaker)


def _as_reported(as_: Token) -> _Found | None:
    """'As "Radio Azatutyun" reports, …' where the parser took the verb for a noun: the clause 'as'
    hangs on is the named party's."""
    word = next((c for c in as_.children if c.dep_ == "pobj" and c.lemma_.lower() in REPORTING_VERBS), None)
    if word is None or word.i + 1 >= len(word.doc) or word.doc[word.i + 1].text != ",":
        return None
    names = [c for c in word.children if c.dep_ in ("nmod", "compound", "nsubj") and c.i < word.i and _has_name(c)]
    if not names:
        return None
    return _phrase_content(as_, names[-1])


def _in_report(r: _Reader, prep: Token) -> _Found | None:
    """'in a report by X' / 'in its statement' on a clause with no reporting verb: X's, when the report
    has an owner the text names."""
    noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lemma_.lower() not in REPORT_NOUNS or _is_reporting(prep.head):
        return None
    if any(_is_reporting(t) for t in _sent_of(prep)):  # "In his report, X emphasized that …": X's verb says
        return None
    if _report_owner(noun) is None and _issuer(r, noun) is None:
        return None
    own = {t.i for t in prep.subtree}
    clause = [t for t in prep.head.subtree if t.i not in own and not t.is_space]
    while clause and clause[0].is_punct:
        clause.pop(0)
    while clause and clause[-1].is_punct:
        clause.pop()
    if len(clause) < 3:
        return None
    return _Found(_holes([_tokens_bounds(clause)], prep.doc), noun, noun.idx)


def _phrase_content(phrase: Token, speaker: Token) -> _Found | None:
    head = phrase.head
    while head.dep_ == "conj" and phrase.i > head.i:  # "A were killed and B forced to flee, according to X"
        head = head.head
    own = {t.i for t in phrase.subtree}
    clause = [t for t in head.subtree if t.i not in own]
    if clause and phrase.i < clause[0].i or phrase.i < head.i and not any(
            t.i < phrase.i and not t.is_punct for t in clause):  # "According to X, …"
        side = [t for t in clause if t.i > phrase.i]
    else:
        side = [t for t in clause if t.i < phrase.i]
        # "…, according to X, as Y did Z": a subordinate clause after the phrase is not X's
        later = [c for c in head.children if c.dep_ == "advcl" and c.i > phrase.i]
        drop = {t.i for c in later for t in c.subtree}
        side += [t for t in clause if t.i > phrase.i and t.i not in drop]
        side.sort(key=lambda t: t.i)
    side = [t for t in side if not t.is_space]
    while side and side[0].is_punct:
        side.pop(0)
    while side and side[-1].is_punct:
        side.pop()
    if len(side) < 2:
        return None
    return _Found(_holes([_tokens_bounds(side)], phrase.doc), speaker, speaker.idx)


def _bounds(t: Token) -> tuple[int, int]:
    return _tokens_bounds(list(t.subtree))


def _tokens_bounds(tokens: list[Token]) -> tuple[int, int]:
    tokens = [t for t in tokens if not t.is_space]
    if not tokens:
        return (0, 0)
    while len(tokens) > 1 and (tokens[0].is_punct or _QUOTE_MARK.fullmatch(tokens[0].text)
                               or tokens[0].lower_ == "that" and tokens[0].dep_ == "mark"):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1].is_punct and tokens[-1].text not in (")", "]"):
        tokens = tokens[:-1]
    a, b = tokens[0], tokens[-1]
    return a.idx, b.idx + len(b)


def _holes(pieces: list[tuple[int, int]], doc: Doc) -> list[tuple[int, int]]:
    """Indirect speech without its non-restrictive relative clauses (", which …", ", who …"): these
    are most often the reporter's own background, not the speaker's words."""
    out = []
    for a, b in pieces:
        span = doc.char_span(a, b, alignment_mode="expand")
        holes = []
        for t in span if span is not None else ():
            first = t.left_edge
            if t.dep_ == "relcl" and first.lower_ in _OPEN_WORDS and first.i > 0 \
                    and doc[first.i - 1].text == "," and first.idx > a:
                holes.append((doc[first.i - 1].idx, min(b, t.right_edge.idx + len(t.right_edge))))
        pos = a
        for h0, h1 in sorted(holes):
            if h0 > pos:
                out.append((pos, h0))
            pos = max(pos, h1)
        if pos < b:
            out.append((pos, b))
    return [p for p in out if p[1] - p[0] > 2]


# --- who the speaker is ---------------------------------------------------------------------------------


def _resolve(r: _Reader, f: _Found) -> None:
    if f.follows is not None:
        f.source, f.source_span, f.skip = f.follows.source, f.follows.source_span, f.follows.skip
        return
    assert f.speaker is not None
    t = f.speaker
    if _word(t) in FIRST_PERSON and any(qa - 3 <= t.idx < qb for qa, qb in r.quoted):
        f.skip = True  # "we" in a quotation: the quotation's speaker, said already
        return
    # a pronoun refers back past the content it introduces: "“… Adnan and Dario …,” he said"
    before = min(min(a for a, _ in f.pieces), t.idx)
    for qa, qb in r.quoted:
        if qa <= before < qb:
            before = qa
    source, kind = _name(r, t, before)
    f.source_span = _np_bounds(t)
    if not source:
        f.skip = True
        return
    f.source = source
    sent = _sent_of(t)
    at = r.text.find(source, sent.start_char, sent.end_char)
    if at != -1 and f.source_span[0] - 120 <= at <= f.source_span[1] + 120:
        f.source_span = (at, at + len(source))
    r.history.append((t.idx, source, kind))


def _word(t: Token) -> str:
    """The token's lower-case text without a quotation mark glued to it ("β€œWe")."""
    return _QUOTE_MARK.sub("", t.lower_)


def _name(r: _Reader, t: Token, before: int) -> tuple[str | None, str]:
    """How the speaker named by token `t` is written, and whether it is a person or a body."""
    low = _word(t)
    if low in FIRST_PERSON or any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in t.children):
        return r.default, "body"
    if low in PERSON_PRONOUNS:
        return _recent(r, before, "person"), "person"
    if low in ("it", "its", "they", "them", "their"):
        if r.actor:
            subject = _subject_before(r, t)
            if subject is not None:
                return _name(r, subject, subject.idx)
        return _recent(r, before, "body" if low in ("it", "its") else None), "body"
    if low in _OPEN_WORDS | {"that"} and t.head.dep_ == "relcl":
        noun = t.head.head
        if noun.dep_ == "attr":  # "X is a group that has claimed …": X
            noun = next((c for c in noun.head.children if c.dep_ == "nsubj"), noun)
        return _name(r, noun, before)
    lemma = t.lemma_.lower()
    if lemma in REPORT_NOUNS:
        owner = _report_owner(t)
        if owner is not None:
            return _name(r, owner, t.idx)
        issuer = _issuer(r, t)
        if issuer is not None:
            return _name(r, issuer, issuer.idx)
        return _clean(r, t), "body"
    person = _person_in(t)
    if person is not None:
        return _full_name(r, person), "person"
    kind = "person" if _norm(lemma) in PERSON_NOUNS else "body"
    poss = next((c for c in t.children if c.dep_ == "poss"), None)
    if poss is not None and (poss.lower_ in PERSON_PRONOUNS | {"its", "their"} or _norm(lemma) in PERSON_NOUNS):
        owner, _ = _name(r, poss, t.idx)  # "his wife": his is named before the phrase, maybe in its clause
        head = _clean(r, t, drop={c.i for c in poss.subtree})
        if owner and head:
            return f"{head} of {owner}", kind
    if r.default and t.pos_ == "NOUN" and [c.lower_ for c in t.children] == ["the"] and \
            re.search(rf"\b{re.escape(t.text)}\b", r.default, re.I):
        return r.default, kind  # "the mission recorded …" in a mission's report: the publisher itself
    if _is_description(t):
        return _describe(r, t, before, kind), kind
    if r.actor and _short_form(t):
        longer = _longer_form(r, t)
        if longer:
            return longer, kind
    if _is_indefinite(t):
        ahead = _next_named_speaker(r, t, kind)
        if ahead:
            return ahead, kind
    return _clean(r, t), kind


def _subject_before(r: _Reader, t: Token) -> Token | None:
    """The actor a pronoun actor ("it demanded", "they shelled") stands for: the nearest earlier subject
    that names a party (a name or a description, not a pronoun), in its sentence or the two before."""
    k = bisect.bisect_right(r.sent_starts, t.idx) - 1
    for sent in reversed(r.sents[max(0, k - 2) : k + 1]):
        for g in reversed(list(sent)):
            if g.idx >= t.idx or g.dep_ not in ("nsubj", "nsubjpass") or g.pos_ not in ("NOUN", "PROPN"):
                continue
            if _has_name(g) or _is_description(g):
                return g
    return None


def _short_form(t: Token) -> bool:
    """'the Council', 'the 15-member Council': a definite phrase whose only name is its head."""
    det = next((c for c in t.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ("the", "this", "that") or not _is_name(t):
        return False
    return not any(_proper(g) for g in _phrase(t) if g.i != t.i)


def _proper(g: Token) -> bool:
    return g.pos_ == "PROPN" or g.ent_type_ in ("ORG", "GPE", "NORP", "PERSON", "LOC", "FAC")


def _longer_form(r: _Reader, t: Token) -> str | None:
    """The nearest earlier name with the same head and more to it ("Security Council" for "the Council")."""
    same = r.by_head.get(_norm(t.lemma_), [])
    for g in reversed(same):
        if g.idx >= t.idx or t.idx - g.idx > _DESCRIBED:
            continue
        if any(_proper(c) for c in _phrase(g, alone=True) if c.i != g.i):
            name = _clean(r, g, alone=True)
            if name and len(name) > len(t.text):
                return name
    return None


def _recent(r: _Reader, before: int, kind: str | None) -> str | None:
    """The nearest earlier speaker of that kind (a few paragraphs back at most), else the nearest
    earlier named entity of that kind."""
    for pos, source, k in reversed(r.history):
        if pos < before and before - pos >= _RECENT:
            break
        if pos < before and (kind is None or k == kind):
            return source
    if kind == "person":
        for e in reversed(r.persons):
            if e.end_char <= before:
                return _full_name(r, e)
        return None
    k = bisect.bisect_left(r.named_starts, before) - 1
    while k >= 0:
        t = r.named[k]
        if t.ent_type_ in _BODY_ENTS and t.dep_ not in ("pobj", "npadvmod"):
            return _clean(r, t, alone=True)
        k -= 1
    return None


def _person_in(t: Token) -> Span | None:
    """A person's name in the speaker's phrase: the head's own, else the first one in the phrase
    ("the Chairman …, Mr. Mario Raffaelli", "Head of the … Office Mustagim Mammadov"), unless the head
    is a relation ("the wife of Adnan Khader" is not Adnan Khader)."""
    if t.ent_type_ == "PERSON":
        return _ent_of(t)
    if _norm(t.lemma_) in RELATION_NOUNS or _norm(t.lemma_) in REPORT_NOUNS:
        return None
    for g in t.subtree:
        if g.ent_type_ == "PERSON" and not _in_clause(g, t, appos=False):
            return _ent_of(g)
    return None


def _ent_of(t: Token) -> Span | None:
    """The entity a token lies in, read from its IOB marks (a Doc's `ents` is slow to walk)."""
    if not t.ent_type_:
        return None
    doc, a, b = t.doc, t.i, t.i + 1
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return doc[a:b]


def _full_name(r: _Reader, person: Span) -> str:
    name = _strip_titles(person.text)
    return name if " " in name else _surname(r, name)


def _surname(r: _Reader, name: str, persons_only: bool = False) -> str:
    """A surname alone: the person named in full elsewhere in the document (a person entity, else
    capitalised words before the surname that are not titles), or the surname."""
    key = (name, persons_only)
    if key in r.surnames:
        return r.surnames[key]
    r.surnames[key] = name
    for e in r.persons:
        full = _strip_titles(e.text)
        if " " in full and full.split()[-1] == name:
            r.surnames[key] = full
            return full
    for m in () if persons_only else re.finditer(rf"((?:[A-Z][\w’'-]+ ){{1,3}}){re.escape(name)}\b", r.text):
        full = _strip_titles(m.group(0))
        if " " in full and not any(w.lower().rstrip(".") in TITLES for w in full.split()):
            r.surnames[key] = full
            break
    return r.surnames[key]


def _strip_titles(name: str) -> str:
    words = _no_possessive(name).split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,;:")


def _report_owner(noun: Token) -> Token | None:
    """Whose report: 'X's report', 'its statement', 'a report by X', 'the statement of X', 'the court
    statement', 'information released by X'."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "of", "from"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() not in REPORT_NOUNS and (
                    _has_name(obj) or _norm(obj.lemma_) in PERSON_NOUNS | ORG_NOUNS or c.lower_ == "by"):
                return obj
        if c.dep_ == "acl":
            agent = next((g for g in c.children if g.dep_ == "agent"), None)
            if agent is not None:
                return next((g for g in agent.children if g.dep_ == "pobj"), None)
    for c in noun.children:
        if c.dep_ in ("compound", "nmod") and (_is_name(c) or _norm(c.lemma_) in ORG_NOUNS):
            return c
    return None


def _issuer(r: _Reader, noun: Token) -> Token | None:
    """'The statement reads' after 'the ministry has issued a statement': the subject of the nearest
    earlier verb whose object is the same kind of report."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
        return None
    lemma = noun.lemma_.lower()
    k = bisect.bisect_right(r.sent_starts, noun.idx) - 1
    for sent in reversed(r.sents[max(0, k - 6) : k + 1]):
        for t in reversed(list(sent)):
            if t.idx >= noun.idx or t.lemma_.lower() != lemma or t.dep_ != "dobj":
                continue
            subj = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and _can_speak(subj):
                return subj
    return None


def _is_description(t: Token) -> bool:
    """'the NGO', 'the ministry', 'the paramilitary force': a definite common noun, no name in it."""
    det = next((c for c in t.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in ("the", "this", "that", "these", "those"):
        return False
    return not any(_is_name(g) for g in _phrase(t))


def _is_indefinite(t: Token) -> bool:
    det = next((c for c in t.children if c.dep_ == "det"), None)
    return det is not None and det.lower_ in ("a", "an") and not any(_is_name(g) for g in _phrase(t))


def _norm(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and len(w) > 3 and not w.endswith("ss") else w


def _describe(r: _Reader, t: Token, before: int, kind: str) -> str:
    same = r.by_head.get(_norm(t.lemma_), [])
    k = bisect.bisect_left([c.idx for c in same], t.idx) - 1
    while k >= 0 and t.idx - same[k].idx < _DESCRIBED:  # the nearest earlier phrase with its head and a name
        if same[k].i != t.i:
            name = _clean(r, same[k], alone=True)
            if name:
                return name
        k -= 1
    if r.actor:
        # an actor described ("the military", "the militants") is not the last one who spoke
        return _clean(r, t)
    for pos, source, k2 in reversed(r.history):
        if pos < before and k2 == kind:
            return source
    return _recent(r, before, kind) or _clean(r, t)


def _next_named_speaker(r: _Reader, t: Token, kind: str) -> str | None:
    """'according to a local NGO' … 'The Palestinian Prisoners Society said': a speaker of that kind
    named in the very next two sentences."""
    k = bisect.bisect_right(r.sent_starts, t.idx) - 1
    for sent in r.sents[k + 1 : k + 3]:
        for v in sent:
            if _is_reporting(v):
                s = _speaker_of(v)
                if s is not None and _has_name(s) and not _is_description(s) and _person_in(s) is None \
                        and kind == "body":
                    return _clean(r, s)
    return None


def _np_bounds(t: Token) -> tuple[int, int]:
    tokens = _phrase(t)
    return _tokens_bounds(tokens) if tokens else (t.idx, t.idx + len(t))


def _phrase(t: Token, alone: bool = False) -> list[Token]:
    """The tokens of the noun phrase headed by `t`, without its relative clauses, appositions and dates
    ("a local NGO on Sunday"), with a word it is hyphenated to ("Co-Chairs" read as "Co" and "- Chairs");
    `alone` without the phrases coordinated with it ("Ostland’s army and the rebels")."""
    dated = {g.i for c in t.children if c.dep_ == "prep" and c.i > t.i
             and any(o.ent_type_ in ("DATE", "TIME") for o in c.children) for g in c.subtree}
    if alone:
        dated |= {g.i for c in t.children if c.dep_ in ("conj", "cc") for g in c.subtree}
    tokens = [g for g in t.subtree if not _in_clause(g, t) and g.i not in dated]
    doc = t.doc
    k = t.i
    while k + 2 < len(doc) and not doc[k].whitespace_ and doc[k + 1].text == "-" and not doc[k + 1].whitespace_:
        glued = [g for g in doc[k + 1].subtree if g.i > k] + [g for g in doc[k + 2].subtree if g.i > k]
        tokens.extend(g for g in glued if g not in tokens and not _in_clause(g, doc[k + 2]))
        k += 2
    return sorted(tokens, key=lambda g: g.i)


def _in_clause(g: Token, head: Token, appos: bool = True) -> bool:
    """Whether `g` lies in a relative clause or (when `appos`) an apposition of the phrase headed by
    `head`; a parenthesised acronym and an infinitive in a name ("Coalition to raise …") do not count."""
    while g.i != head.i:
        if g.head.i == head.i and not _acronym_appos(g) and (
                g.dep_ == "relcl" and not _infinitive(g) or g.dep_ == "appos" and appos
                or g.dep_ == "acl" and not _infinitive(g)):
            return True
        if g.dep_ == "punct" and g.head.i == head.i and g.text in (",", "—", "–"):
            return True
        if g.head.i == g.i:
            return False
        g = g.head
    return False


def _infinitive(g: Token) -> bool:
    return g.tag_ == "VB" and any(c.tag_ == "TO" for c in g.children)


def _acronym_appos(g: Token) -> bool:
    return g.text.isupper() and 1 < len(g.text) <= 8 and g.i > 0 and g.doc[g.i - 1].text == "("


def _clean(r: _Reader, t: Token, drop: set[int] | None = None, alone: bool = False) -> str:
    """The speaker's noun phrase as `attributed_to` is written: no leading article, relative clause,
    apposition, possessive ending or parenthesis but an acronym; a bare acronym written out where the
    document gives its long form."""
    drop = drop or set()
    tokens = [g for g in _phrase(t, alone) if g.i not in drop]
    while tokens and (tokens[0].lower_ in ("the", "this", "that", "these", "those") or tokens[0].is_punct
                      or tokens[0].dep_ == "advmod" and tokens[0].head.i == t.i):
        tokens = tokens[1:]
    # "paramilitary Rapid Support Forces": a lowercase modifier before a name
    while len(tokens) > 1 and tokens[0].is_lower and tokens[0].dep_ == "amod" and tokens[1].pos_ == "PROPN" \
            and tokens[1].text[:1].isupper():
        tokens = tokens[1:]
    out: list[Token] = []
    depth = 0
    for k, g in enumerate(tokens):
        if g.text == "(":  # a parenthesis that is not an acronym: "(Igor Popov of …)"
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            far = tokens[k + 2] if k + 2 < len(tokens) else None
            if not (nxt is not None and nxt.text.isupper() and far is not None and far.text == ")"):
                depth += 1
                continue
        if depth:
            depth -= g.text == ")"
            continue
        if g.dep_ == "case" and g.lower_ in ("'s", "’s", "'", "’") and (g.head.i == t.i or k == len(tokens) - 1):
            continue
        out.append(g)
    while out and (out[-1].is_punct and out[-1].text != ")" or out[-1].is_space):
        out.pop()
    if not out:
        return ""
    doc_text = r.text
    parts = [out[0].text]
    for a, b in zip(out, out[1:], strict=False):  # a space where the text has one between the two
        gap = doc_text[a.idx + len(a) : b.idx]
        parts.append((" " if any(c.isspace() for c in gap) else "") + b.text)
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    if text in r.acronyms:
        return r.acronyms[text]
    if " " not in text and text[:1].isupper() and not text.isupper() and t.ent_type_ in ("PERSON", "ORG", ""):
        return _surname(r, text, persons_only=t.ent_type_ == "ORG")
    return text


# --- relays -------------------------------------------------------------------------------------------


def _relays(found: list[_Found], quotes: list[_Found]) -> list[Said]:
    """Every piece a Said; one whose speaker is named inside another's content is relayed by it. A
    clause found again inside a quotation of the same speaker is the quotation."""
    raw = sorted(((a, b, f) for f in found if not f.skip and f.source for a, b in f.pieces),
                 key=lambda x: x[0])
    quoted = sorted(((a, b, q.source, q.verb) for q in quotes for a, b in q.pieces), key=lambda x: x[0])
    q_starts = [q[0] for q in quoted]
    raw = [(a, b, f) for a, b, f in raw if f.direct or not any(
        qa - 3 <= a and b <= qb + 3 and (qs == f.source or qv == f.verb)
        for qa, qb, qs, qv in quoted[bisect.bisect_left(q_starts, a - _MAX_UNCLOSED) : bisect.bisect_right(q_starts, a + 3)])]
    starts = [x[0] for x in raw]
    out = []
    for a, b, f in raw:
        best = None
        # only Saids starting at most a quotation's length before this one can hold it
        for a2, b2, g in raw[bisect.bisect_left(starts, a - _MAX_UNCLOSED) : bisect.bisect_right(starts, a)]:
            if g is f or g.source == f.source:
                continue
            # g's content holds f's, and f's speaker is named inside it ("X said that Y said …") or
            # between it and g's speaker ("…, Y said, X reported")
            if a2 <= a and b <= b2 + 1 and a2 <= f.source_span[0] < max(b2, g.source_span[1]):
                if best is None or b2 - a2 < best[1] - best[0]:
                    best = (a2, b2, g)
        out.append(Said(a, b, f.source, f.source_span, best[2].source if best else None, f.direct))
    out.sort(key=lambda s: (s.start, -s.end))
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for s in out:
        if (s.start, s.end, s.source) not in seen:
            seen.add((s.start, s.end, s.source))
            unique.append(s)
    return unique
