"""A trigger's arguments, read from the dependency parse: who did it (agent), to whom or what
(patients, one per coordinated item), and how the clause says it (negated, hypothetical).

spaCy's parse gives subjects, objects, passive subjects, by-agents, coordination, appositions and
relative clauses; this module turns them into the roles a claim needs. A verb's subject is its agent
and its object the patient, unless the verb is passive (the passive subject is the patient, the
by-phrase the agent), intransitive for the kind ("civilians died": the subject is the patient), or
reduced to a participle modifying a noun ("houses destroyed by shelling", "civilians killed in …").
A noun trigger takes its patient from "of" ("the occupation of Bucha") and its agent from "by", a
possessive ("Russia's attack") or a nationality before it ("Israeli strikes").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from docket.errors import DocketError
from docket.extract.triggers import Trigger

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
OBJECTS = {"dobj", "obj", "attr", "oprd"}
# quantifier nouns whose "of" phrase names the things counted ("dozens of schools", "thousands of people")
QUANTIFIERS = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "number",
               "numbers", "group", "lot", "lots", "majority", "most", "some", "many", "all", "several", "part",
               "rest", "total", "score", "scores", "ten", "tens", "half", "one", "none", "each", "both", "few",
               "remainder", "wave", "waves", "series", "string", "barrage", "couple", "handful", "body", "bodies"}
# verbs that make what they govern unreal: planned, threatened, feared, attempted
IRREALIS_GOVERNORS = {"ensure", "facilitate", "enable", "achieve", "secure", "plan", "threaten", "intend", "aim", "want", "seek", "try", "attempt", "prepare", "vow",
                      "risk", "hope", "expect", "fear", "prevent", "avoid", "stop", "refuse", "consider", "propose",
                      "allow", "warn", "ready", "able", "decide", "agree", "urge", "demand", "call", "ask"}
# nouns whose "of"/"to" phrase is only planned or aimed at ("with a view to seizing", "in order to …")
IRREALIS_NOUNS = {"threat", "risk", "plan", "attempt", "possibility", "danger", "fear", "prospect", "intention",
                  "view", "aim", "purpose", "goal", "order", "objective", "policy", "doctrine", "strategy"}
MODALS = {"may", "might", "could", "would", "will", "shall", "can", "should", "must", "'ll", "wo"}
NEGATIONS = {"not", "n't", "never", "no", "neither", "nor", "none", "nobody"}


@dataclass
class Frame:
    """What the parse says around one trigger."""

    trigger: Trigger
    agent: Token | None = None  # the head of the agent phrase
    patients: list[Token] = field(default_factory=list)  # heads of the patient phrases, coordination unrolled
    negated: bool = False
    irrealis: bool = False
    clause: Token | None = None  # the verb (or noun) whose subtree is the claim's clause

    @property
    def head(self) -> Token:
        return self.trigger.head


def semantic_head(tok: Token) -> Token:
    """The noun a phrase is about: "dozens of schools" is about schools, "most of them" about them."""
    seen = 0
    while (tok.lower_ in QUANTIFIERS or tok.lemma_.lower() in QUANTIFIERS) and not _a_named_body(tok):
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is None or seen > 3:
            break
        tok, seen = obj, seen + 1
    return tok


def _a_named_body(tok: Token) -> bool:
    """Whether "body" names an organisation by what it does ("law enforcement bodies of X", "treaty
    bodies"): a noun before it that is not a person ("soldiers' bodies" are the dead)."""
    return tok.lemma_.lower() == "body" and any(
        c.dep_ == "compound" and c.pos_ == "NOUN" and c.ent_type_ not in ("NORP", "PERSON") for c in tok.children)


def _describes(appos: Token) -> bool:
    """An apposition that describes its noun ("Adnan Khader, a senior leader") rather than continuing
    a list ("133 houses …, 14 schools, three hospitals")."""
    if any(semantic_head(t).lower_ in ("them", "whom", "which", "these", "those") for t in (appos, *appos.children)
           if t is appos or t.lower_ in QUANTIFIERS):
        return True  # a part of the noun ("40 people, most of them students"): the same people, not more
    has_number = any(c.like_num or c.dep_ == "nummod" for c in appos.children) or appos.like_num
    if has_number and _parenthesised(appos) and not _parenthesised(appos.head):
        return True  # a breakdown of the noun's count ("14 were found dead (9 men and 5 women)"): the same people
    has_det = any(c.dep_ == "det" and c.lower_ in ("a", "an", "the", "its", "their") for c in appos.children)
    return has_det and not has_number


def items(tok: Token) -> list[Token]:
    """A phrase and the phrases listed with it: coordinated ("houses and schools", "Jenin, Ramallah and
    Hebron"), or continuing it as appositions, as parsers read long lists ("133 houses, 14 schools,
    three hospitals and 18 buildings")."""
    out: list[Token] = []
    todo = [tok]
    while todo and len(out) < 200:
        t = todo.pop(0)
        if t in out:
            continue
        out.append(t)
        for c in t.children:
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "NUM", "PRON", "ADJ"):
                todo.append(c)
            elif c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN", "NUM") and not _describes(c):
                todo.append(c)
    return sorted(out, key=lambda t: t.i)


def listed_heads(tok: Token) -> list[Token]:
    """What each item of a list is about, and the items listed inside a quantified one ("dozens of
    soldiers and civilians": the soldiers and the civilians, the list hung on the quantified noun)."""
    out: list[Token] = []
    for i in items(tok):
        h = semantic_head(i)
        out.extend(x for x in ([h] + (items(h)[1:] if h.i != i.i else [])) if x not in out)
    return out


def continued(tok: Token) -> list[Token]:
    """The items a list goes on with after `tok` when the parser hung them on another head ("of
    looting banks, gold markets, homes and vehicles", the markets made a conjunct of the subject):
    the nouns that follow it, separated only by commas and "and"/"or", each a conjunct of something."""
    doc = tok.doc
    out = []
    i = max(t.i for t in tok.subtree) + 1 if tok.dep_ != "conj" else tok.i + 1
    sent_end = tok.sent.end
    while i < sent_end:
        t = doc[i]
        if t.is_punct and t.text in ",;" or t.dep_ == "cc":
            i += 1
            continue
        # the next phrase: its head is the last noun before the next comma, conjunction or other word
        j = i
        while j < sent_end and (doc[j].dep_ in ("compound", "amod", "nummod", "det", "quantmod", "advmod", "poss")
                                or doc[j].pos_ in ("ADJ", "NUM")) and doc[j].pos_ != "VERB":
            j += 1
        if j >= sent_end:
            break
        head = doc[j]
        if head.pos_ not in ("NOUN", "PROPN") or head.dep_ != "conj" or head.head.i > tok.i:
            break
        # with the items listed on it in turn ("gold markets, homes and vehicles", all hung on the markets)
        out.extend(x for x in items(head) if x not in out and x.pos_ in ("NOUN", "PROPN"))
        i = max(t.i for t in head.subtree if t.i >= head.i) + 1
        i = max(i, j + 1)
    return out


def including(tok: Token) -> list[Token]:
    """The sub-items a phrase lists with "including" / "among them" ("50 civilians, including 1 child")."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("including", "among"):
            obj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if obj is not None:
                out.extend(items(obj))
    return out


def phrase(tok: Token, stop: set[str] | None = None) -> Span:
    """The noun phrase a token heads, without its relative clauses, its coordinated phrases, or
    prepositional phrases other than "of" ("the armed forces of Armenia", "the al-Nuri mosque")."""
    stop = stop or {"relcl", "acl", "cc", "conj", "punct", "appos", "advcl", "prep", "dep", "parataxis"}
    keep = {tok.i}
    todo = [tok]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in stop and not (c.dep_ == "prep" and c.lower_ == "of" and t.pos_ in ("NOUN", "PROPN")):
                continue
            if c.dep_ == "punct" and c.text in "-–":
                keep.add(c.i)
                continue
            keep.add(c.i)
            todo.append(c)
    lo, hi = min(keep), max(keep)
    doc = tok.doc
    # a phrase never starts with punctuation or a conjunction, never ends with punctuation
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ == "cc"):
        lo += 1
    while hi > lo and doc[hi].is_punct and doc[hi].text not in ")":
        hi -= 1
    return doc[lo : hi + 1]


def _parenthesised(tok: Token) -> bool:
    """Whether a token stands inside parentheses of its sentence."""
    sent = tok.sent
    before = sent.doc[sent.start : tok.i].text
    return before.count("(") > before.count(")")


def _child(tok: Token, deps: set[str]) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _pobj(tok: Token, preps: set[str]) -> Token | None:
    """The object of a preposition attached to `tok` ("attack on X": on)."""
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            obj = _child(c, {"pobj", "pcomp"})
            if obj is not None:
                return obj
    return None


def _verb_of(tok: Token) -> Token:
    """The predicate a trigger hangs from: itself, or the verb of "took place" / "carried out" / "launched"."""
    return tok


# verbs whose object is who does what their "of"/"for"/"from" gerund says ("accused the RSF of looting",
# "blamed Israel for shelling", "prevented them from fleeing")
OBJECT_CONTROL = {"accuse", "blame", "charge", "suspect", "convict", "condemn", "criticize", "criticise",
                  "praise", "thank", "prevent", "stop", "forbid", "ban", "bar", "hold"}


def _nonfinite(v: Token) -> bool:
    """A verb without a tense of its own ("denying …", "to violate …", "by committing …")."""
    if v.tag_ not in ("VBG", "VB", "VBN"):
        return False
    return not any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD", "MD") for c in v.children) and \
        not any(c.dep_ == "mark" and c.lower_ not in ("to",) for c in v.children)


def _subject(verb: Token, control: bool = False) -> Token | None:
    """A verb's subject, inherited along coordination ("forces bombed, looted and demolished"); with
    `control`, the actor of a verb without a tense, from the clause it hangs from ("Azerbaijan
    continues …, denying …", "Continuing to violate …, Azerbaijan has brought …", "Russia, by
    committing …, began …"; the object of "accused X of looting")."""
    seen = 0
    v = verb
    while v is not None and seen < 6:
        s = _nearest_subject(v)
        if s is not None:
            return s
        if v.dep_ in ("conj", "xcomp") and v.head.i != v.i:
            v = v.head
            seen += 1
            continue
        if not control:
            if v.dep_ in ("relcl", "acl") and v.head.i != v.i:
                return None
            break
        if v.dep_ == "advcl" and _nonfinite(v) and v.head.pos_ in ("VERB", "AUX") and v.head.i != v.i:
            v = v.head
            seen += 1
            continue
        accused = _accused_of(v)
        if accused is not None:
            return accused
        if v.dep_ == "pcomp" and _nonfinite(v) and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            gov = v.head.head
            obj = _child(gov, {"dobj"})
            if obj is not None and gov.lemma_.lower() in OBJECT_CONTROL and v.head.lower_ in ("of", "for", "from"):
                return obj
            v = gov
            seen += 1
            continue
        if v.dep_ in ("relcl", "acl") and v.head.i != v.i:
            return None  # handled by the caller: the modified noun
        break
    return None


def _accused_of(v: Token) -> Token | None:
    """The object of "accuse"/"blame"/"prevent" … whose "of"/"for"/"from" gerund this verb is, wherever
    the parser hung the gerund: on the verb or on its object ("accused the militia of shelling the
    town"), or as an adjective of the gerund's own object ("blames the rebels for looting shops")."""
    if v.tag_ != "VBG":
        return None
    if v.dep_ == "pcomp":
        prep = v.head
    elif v.dep_ == "amod" and v.i < v.head.i and v.head.dep_ == "pobj":
        prep = v.head.head
    else:
        return None
    if prep.dep_ != "prep" or prep.lower_ not in ("of", "for", "from", "with"):
        return None
    gov = prep.head
    if gov.dep_ == "dobj" and gov.head.lemma_.lower() in OBJECT_CONTROL:
        return gov
    if gov.pos_ in ("VERB", "AUX") and gov.lemma_.lower() in OBJECT_CONTROL:
        # "charged the men with robbing"; passive, its subject ("the militia was accused of shelling")
        return _child(gov, {"dobj"}) or (_subject(gov) if _passive(gov) else None)
    return None


def _nearest_subject(v: Token) -> Token | None:
    """A verb's subject; where the parser gave it two apart (a dateline taken for one: "date 2023-03-17
    On March 17, the Court issued …"), the one nearest before the verb, since a clause has one subject
    and what stands between it and its verb belongs to it. Subjects with nothing between them but
    their own words and punctuation are pieces of one phrase ("Co - Chairs", "15, 500"): its first."""
    subjects = [c for c in v.children if c.dep_ in SUBJECTS - {"expl"}]
    before = [c for c in subjects if c.i < v.i]
    if not subjects:
        return _subject_taken_for_object(v)
    if len(before) < 2:
        return subjects[0]
    doc = v.doc
    k = len(before) - 1
    while k:
        a, b = before[k - 1], before[k]
        own = {t.i for t in a.subtree} | {t.i for t in b.subtree}
        if not all(t.i in own or t.is_punct for t in doc[a.i + 1 : b.i]):
            break
        k -= 1
    # its first word, not its article ("The Co - Chairs held …": "the" is no actor)
    while k < len(before) - 1 and before[k].tag_ == "DT" and before[k].lower_ in ("the", "a", "an", "this", "these"):
        k += 1
    return before[k]


# words that are prepositions and subordinators both: "as aircraft began to bomb", "after troops entered"
_SUBORDINATING_PREPS = {"as", "after", "before", "since", "until", "till"}


def _subject_taken_for_object(v: Token) -> Token | None:
    """The subject of a tensed verb the parser left without one because it read the conjunction before
    it as a preposition ("… as aircraft from X began to bomb …": "aircraft" the object of "as"): the
    noun phrase that ends right before the verb."""
    if v.tag_ not in ("VBD", "VBZ", "VBP") or v.i == 0:
        return None
    last = v.doc[v.i - 1]
    obj = next((a for a in [last, *last.ancestors] if a.dep_ == "pobj" and a.head.lower_ in _SUBORDINATING_PREPS
                and a.right_edge.i == v.i - 1), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN", "PRON") or v.i not in {t.i for t in obj.head.head.subtree}:
        return None
    return obj


# dependencies a list item may hang by when the parser loses a long list's structure ("around 150
# villages" attached to a comma): never "of" (a modifier) and never a clause of its own
_LIST_PATH = {"conj", "appos", "punct", "prep", "pobj", "nsubj", "nsubjpass", "cc", "nmod", "dep", "npadvmod"}


def _listed(subject: Token, verb: Token) -> list[Token]:
    """The subject's items, and the nouns before the verb that the parse hung off the list's commas or
    an "along with" ("Along with the administrative center …, around 150 villages, … were razed")."""
    found = listed_heads(subject)
    for t in verb.doc[verb.sent.start : verb.i]:
        if t.pos_ not in ("NOUN", "PROPN") or t in found or t.dep_ == "compound":
            continue
        cur, ok, steps = t, True, 0
        counted = any(c.dep_ == "nummod" or c.like_num for c in t.children)
        while cur.i != verb.i and steps < 8:
            if cur.dep_ == "prep" and cur.lower_ in ("including", "among") and not counted:
                ok = False  # "200 people, including civilians, died": what some of them were, not more of them
                break
            if cur.dep_ not in _LIST_PATH or cur.dep_ == "prep" and cur.lower_ == "of" or \
                    cur.dep_ == "pobj" and cur.head.lower_ == "of":
                ok = False
                break
            if cur.dep_ == "prep" and cur.pos_ == "ADP" and cur.lower_ not in ("with", "along", "including"):
                ok = False
                break
            if cur.dep_ == "appos" and _describes(cur):
                ok = False  # what the subject is ("40 people, most of them students"), not more of it
                break
            cur, steps = cur.head, steps + 1
        if ok and cur.i == verb.i and (t.dep_ != "nsubj" or t.i == subject.i):
            found.append(semantic_head(t))
    return sorted(set(found), key=lambda x: x.i)


def _passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children):
        return True
    # a participle modifying a noun ("houses destroyed by shelling") or coordinated with a passive verb
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return True
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.pos_ == "VERB":
        return _passive(verb.head)
    return False


def negated(head: Token) -> bool:
    for t in (head, *([head.head] if head.dep_ in ("xcomp", "acomp", "conj") else [])):
        if any(c.dep_ == "neg" or c.lower_ in ("not", "n't", "never") and c.dep_ in ("advmod", "neg")
               for c in t.children):
            return True
        # the content of a noun denied ("found no evidence that the school was looted", "no sign that …")
        if t.dep_ in ("acl", "ccomp") and t.head.pos_ == "NOUN" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in t.children) and any(
                c.dep_ == "det" and c.lower_ == "no" for c in t.head.children):
            return True
    return False


def irrealis(head: Token) -> bool:
    """Planned, threatened, feared, conditional or future: not a claim that it happened."""
    t = head
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
        if t.dep_ in ("xcomp", "ccomp") and t.head.lemma_.lower() in IRREALIS_GOVERNORS:
            return True
        if t.dep_ in ("pobj", "pcomp") and t.head.dep_ == "prep" and t.head.head.lemma_.lower() in IRREALIS_NOUNS:
            return True
        if t.dep_ in ("compound", "acl") and t.head.lemma_.lower() in IRREALIS_NOUNS:  # "in order to seize …"
            return True
        if t.dep_ in ("acl", "advcl") and t.tag_ == "VB" and any(c.tag_ == "TO" for c in t.children):
            return True  # a purpose: "the offensive to retake the city", "sent troops to seize the airport"
        # a noun demanded or called for ("demands the withdrawal of …", "calls for the release of …")
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_.lower() in IRREALIS_GOVERNORS:
            return True
        if t.dep_ == "pobj" and t.head.lower_ in ("for", "to") and t.head.head.lemma_.lower() in IRREALIS_GOVERNORS | {
                "appeal", "call", "demand", "need", "right"}:
            return True
        # the object of a verb demanded or planned ("called upon all parties to lift the sieges", "demanded that
        # they enable the evacuation"); or of a verb with its own modal ("they could lift the sieges")
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "nsubjpass") and (
                t.head.dep_ in ("xcomp", "ccomp") and t.head.head.lemma_.lower() in IRREALIS_GOVERNORS
                or any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.head.children)):
            return True
        if t.dep_ == "amod" and t.tag_ == "VBG" and t.head.i != t.i:
            t = t.head  # "to facilitate extracting goods": the participle is as real as the goods' verb
            continue
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ == "dobj" and t.head.pos_ == "VERB" and any(
                c.tag_ == "TO" for c in t.head.children):
            t = t.head  # "urge the sides to de-escalate … and to begin negotiations": what is urged
            continue
        if t.dep_ not in ("conj", "xcomp", "advcl", "ccomp", "pcomp", "pobj", "prep") or t.head.i == t.i:
            break
        t = t.head
    return False


def frame(trigger: Trigger) -> Frame:
    """The trigger's agent, patients and clause, as the parse gives them."""
    w = trigger.word
    head = trigger.head
    f = Frame(trigger, clause=head)
    f.negated = negated(head)
    f.irrealis = irrealis(head)
    last = trigger.span[-1]
    if w.nominal:
        _noun_frame(f, head)
    else:
        _verb_frame(f, head, last)
    if w.agent_after:
        # "X fell to Y", "came under the control of Y": the actor follows a preposition in the phrase
        for tok in trigger.span:
            if tok.lower_ == w.agent_after:
                obj = _child(tok, {"pobj"})
                if obj is not None and obj.i < trigger.span.end:
                    # the phrase's own noun ("came under Russian control"): its owner is the actor
                    obj = next((c for c in obj.children if c.dep_ in ("poss", "amod", "compound") and
                                c.pos_ in ("PROPN", "ADJ", "NOUN")), None)
                if obj is not None:
                    f.agent = obj
        if f.agent is None:
            obj = _pobj(last, {w.agent_after})
            if obj is not None:
                f.agent = obj
    return f


def _verb_frame(f: Frame, verb: Token, last: Token) -> None:
    w = f.trigger.word
    passive = _passive(verb)
    subject = _subject(verb)
    if verb.dep_ in ("relcl", "acl", "amod") and subject is None:
        # "civilians who were killed", "houses destroyed by …", "the destroyed houses": the noun modified
        noun = verb.head
        if passive or verb.dep_ == "amod" or w.intransitive:
            f.patients = listed_heads(noun)
        else:
            f.agent = noun
    elif subject is not None and subject.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
        subject = verb.head
    obj = _child(verb, OBJECTS) or (_child(last, OBJECTS) if last.i != verb.i else None)
    if last.i != verb.i and last.pos_ == "ADP":  # "fire at X", "take control of X"
        obj = _child(last, {"pobj"}) or obj
    if obj is None and len(f.trigger.span) > 1:
        for tok in f.trigger.span[1:]:
            if tok.pos_ == "ADP":
                obj = _child(tok, {"pobj"}) or obj
    if obj is not None and f.trigger.span.start <= obj.i < f.trigger.span.end and not any(
            c.dep_ == "nummod" for c in obj.children):
        # the object is a word of the phrase ("claimed the lives of 12 civilians"): its "of" says whose;
        # a counted one is itself the patient ("expelled three diplomats of X")
        obj = _pobj(obj, {"of"}) or obj
    if passive:
        if subject is not None:
            f.patients = _listed(subject, verb)
        agent = _pobj(verb, {"by"})
        if agent is not None:
            f.agent = agent
    elif w.intransitive:
        if subject is not None:
            f.patients = _listed(subject, verb)
    else:
        if subject is not None:
            f.agent = subject
        elif verb.dep_ not in ("relcl", "acl", "amod"):
            f.agent = _subject(verb, control=True)
        elif verb.dep_ == "amod":
            f.agent = _accused_of(verb)
        if obj is not None:
            f.patients = listed_heads(obj)
    if not f.patients:
        # "killing 25", "detained 2,650": a number as the object
        num = _child(verb, {"dobj", "npadvmod"})
        if num is not None and num.like_num:
            f.patients = [num]
    if f.agent is None:
        led = next((c for c in verb.children if c.dep_ in ("advcl", "acl") and c.lemma_ == "lead"), None)
        if led is not None:
            f.agent = _pobj(led, {"by"})
    if f.agent is None and not passive and not w.intransitive:
        f.agent = _shared_subject(verb)
    accused = _accused_of(verb)
    if accused is not None and not w.intransitive:
        f.agent = accused  # "the men were charged with robbing …", "X was accused of shelling …"


def _shared_subject(verb: Token) -> Token | None:
    """The subject a finite verb shares with the verbs listed before it when the parser lost the list
    ("the rebels had ignored the truce, shelled the town, seized the bridge": seized hung on another
    verb): the subject of the verb whose phrase ends right before it, with only commas or "and"
    between."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or _subject(verb) is not None:
        return None
    prev = listed_after(verb)
    s = _subject(prev) if prev is not None else None
    return None if s is None or s.lower_ in ("who", "which", "that") else s


def listed_after(verb: Token) -> Token | None:
    """The verb whose phrase ends right before this one, with only commas or "and" between: the verb
    listed before it, wherever the parser hung it ("had ignored the truce, shelled the town")."""
    doc, sent = verb.doc, verb.sent
    i = verb.i - 1
    while i >= sent.start and (doc[i].is_punct or doc[i].dep_ == "cc"):
        i -= 1
    if i < sent.start or i == verb.i - 1:
        return None  # nothing between: no list
    prev = doc[i]
    while prev.head.i != prev.i and prev.pos_ not in ("VERB", "AUX"):
        prev = prev.head
    if prev.pos_ not in ("VERB", "AUX") or prev.i >= verb.i or prev.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
        return None
    return prev


# verbs that only carry a noun trigger ("launched an attack", "carried out strikes", "imposed
# sanctions"): the claim's actor is their subject, its clause theirs
LIGHT_VERBS = {"launch", "carry", "conduct", "commit", "stage", "mount", "wage", "begin", "start", "continue",
               "resume", "intensify", "perpetrate", "unleash", "undertake", "make", "execute", "bring", "impose",
               "issue", "file", "level", "hand", "pass", "adopt", "release", "publish", "announce", "sign",
               "order", "step", "escalate", "renew", "initiate", "open", "reach", "conclude", "end", "extend"}


# verbs whose subject is a noun trigger and whose "to"/"on" phrase is what it struck ("the damage was
# caused to 14 schools", "damage has been inflicted on the environment")
CAUSE_VERBS = {"cause", "inflict", "do", "deal", "bring"}


def _predicated_of(noun: Token) -> Token | None:
    """The verb that says a predicate noun of its subject ("they live as displaced persons", "they
    became refugees", "the forests are subject to illegal logging"); None for any other noun."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    if noun.dep_ in ("attr", "oprd") and head.lemma_.lower() in ("be", "become", "remain"):
        return head
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in ("subject", "expose", "vulnerable"):
        adj = head.head
        return adj if adj.pos_ in ("VERB", "AUX") else adj.head if adj.head.pos_ in ("VERB", "AUX") else None
    return None


def _cause_after(noun: Token) -> Token | None:
    """A subjectless cause verb right after the noun and its auxiliaries, whose subject the noun is
    though the parser took it into an opening phrase ("As a result of the war serious damage has been
    done to the forests")."""
    doc = noun.doc
    j = noun.i + 1
    while j < len(doc) and doc[j].dep_ in ("aux", "auxpass", "neg", "advmod"):
        j += 1
    if j < len(doc) and j > noun.i + 1 and doc[j].lemma_.lower() in CAUSE_VERBS and _subject(doc[j]) is None:
        return doc[j]
    return None


def _event_kinds() -> tuple[str, ...]:
    from docket.kinds import event_kinds

    return event_kinds()


# attack nouns whose "of" names the attacker when it names someone ("the attacks of X"), where other
# nouns' "of" names the target ("the shelling of X")
_ACTOR_OF_NOUNS = {"attack", "aggression", "offensive", "assault", "counteroffensive", "counter-offensive", "provocation"}


def _names_the_held(noun: Token, kind: str) -> bool:
    """Whether a noun of a kind about people names those people ("Armenian prisoners of war", "Syrian
    refugees"): its nationality is theirs, not the actor's, as it is of "Israeli detention"."""
    from docket.kinds import kinds

    if kinds()[kind].raw.get("triggers", {}).get("patient") != "persons":
        return False
    try:
        from docket.extract.people import is_people

        return is_people(noun.lemma_.lower())
    except DocketError:
        return False


# verbs whose object is who did the event their "for"/"of" phrase names ("blamed Israel for the
# attacks", "accused the army of the massacre", "held the militia responsible for the raid")
_BLAME_VERBS = {"for": {"blame", "hold", "condemn", "criticize", "criticise", "charge"},
                "of": {"accuse", "suspect", "convict"}}


def _blamed_for(noun: Token) -> Token | None:
    """The one a blaming verb's object names as the actor of the event noun in its "for"/"of" phrase."""
    if noun.dep_ != "pobj" or noun.head.lower_ not in ("for", "of"):
        return None
    gov = noun.head.head
    if gov.lemma_.lower() == "responsible":
        gov = gov.head
    if gov.dep_ in ("dobj", "obj") and gov.pos_ in ("PROPN", "NOUN"):
        obj, gov = gov, gov.head  # the parser hung the phrase on the object ("accused the rebels of …")
    else:
        obj = _child(gov, {"dobj", "obj"})
    if gov.pos_ != "VERB" or gov.lemma_.lower() not in _BLAME_VERBS[noun.head.lower_] or _passive(gov):
        return None
    if obj is None or obj.i > noun.i:
        return None
    return obj if obj.pos_ in ("PROPN", "NOUN", "PRON") else None


def _noun_frame(f: Frame, noun: Token) -> None:
    host = _predicated_of(noun)
    subject = _subject(host) if host is not None else None
    if subject is not None and subject.lower_ not in ("who", "which", "that"):
        # what the noun is said of is its patient: the displaced persons are the residents
        f.patients = listed_heads(subject)
        f.clause = host
        return
    cause = noun.head if noun.dep_ in ("nsubjpass", "dobj") and noun.head.lemma_.lower() in CAUSE_VERBS else None
    cause = cause or _cause_after(noun)
    if cause is not None:
        f.clause = cause
        target = _pobj(cause, {"to", "on", "upon"})
        if target is not None:
            f.patients = listed_heads(target)
        by = _pobj(cause, {"by"}) if noun.dep_ != "dobj" else _subject(cause)
        if by is not None:
            f.agent = by
        return
    light = noun.head if noun.dep_ in ("dobj", "obj", "nsubjpass") and noun.head.lemma_.lower() in LIGHT_VERBS else None
    if light is not None:
        f.clause = light
        subject = _subject(light, control=True) if noun.dep_ == "dobj" else None
        if subject is not None and subject.lower_ not in ("who", "which", "that"):
            f.agent = subject
        elif noun.dep_ == "nsubjpass":
            f.agent = _pobj(light, {"by"})
        if light.dep_ == "relcl" and f.agent is None and noun.dep_ == "dobj":
            f.agent = light.head
    of = _pobj(noun, {"of"})
    # a noun coordinated after another shares the modifiers written around the pair ("Armenia's
    # aggression and occupation of the region": the occupation is Armenia's, and of the region)
    first = noun.head if noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN") and not any(
        c.dep_ in ("det", "poss") for c in noun.children) else None
    if of is None and first is not None:
        shared = _pobj(first, {"of"})
        of = shared if shared is not None and shared.i > noun.i else None
    target = _pobj(noun, {"on", "against", "upon", "into", "in", "at"})
    if of is not None and f.agent is None and f.trigger.kind == "attack" and of.pos_ == "PROPN" and (
            noun.lemma_.lower() in _ACTOR_OF_NOUNS or _pobj(noun, {"on", "against", "upon"}) is not None):
        # "the attacks of Armenia", "the aggression of X against Y": who attacked, as "by" would say;
        # "the shelling of Kharkiv", "the invasion of Ukraine" name the target
        f.agent, of = of, None
    if of is not None:
        f.patients = listed_heads(of)
    if not f.patients and target is not None and f.trigger.kind in ("attack",):
        f.patients = listed_heads(target)
    by = _pobj(noun, {"by"})
    verb = noun.head
    if by is None and noun.dep_ in ("dobj", "obj") and verb.pos_ == "VERB" and not _passive(verb) and (any(
            c.dep_ == "nsubj" for c in verb.children) or verb.tag_ in ("VBG", "VB")):
        # an active verb has its actor before it (or none in its clause: "Condemning the offensive by X",
        # a resolution's preamble: "Recalling the agreement of 1 May by the two parties"), so a by-phrase
        # after its object noun is that noun's ("we documented 39 arrests by the police": the police
        # arrested), not a means ("by shelling")
        after = _pobj(verb, {"by"})
        if after is not None and after.i > noun.i and after.pos_ in ("NOUN", "PROPN") and after.tag_ != "VBG":
            by = after
    if by is None and of is not None:
        # "the occupation of Crimea and Sevastopol by Russia": the parser hangs the by-phrase on the last place
        by = next((c for t in of.subtree if t.dep_ == "pobj" for c in [_pobj(t, {"by"})] if c is not None), None)
    if of is not None and by is None and f.agent is None and any(
            c.dep_ in ("acl", "relcl") and c.tag_ == "VB" and any(g.tag_ == "TO" for g in c.children) for c in noun.children):
        # "the failure of the authorities to prevent …", "the refusal of X to withdraw": X is the actor
        f.agent, f.patients = of, []
    if by is None and f.agent is None:
        # "the offensive launched by X", "the attacks carried out by X": the participle that carries the
        # noun names its actor
        by = next((a for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN" and
                   c.lemma_.lower() in LIGHT_VERBS for a in [_pobj(c, {"by"})] if a is not None), None)
    if by is None and f.agent is None:
        blamed = _blamed_for(noun)
        if blamed is not None:
            # the blame asserts the event and who did it: the claim of the one who blames, in their clause
            f.agent, f.clause = blamed, blamed.head
    if by is not None:
        f.agent = by
    elif f.agent is not None:
        pass
    else:
        poss = _child(noun, {"poss"})
        if poss is None and first is not None:
            poss = _child(first, {"poss"})
        if poss is not None and poss.pos_ == "PRON" and poss.lower_ in ("its", "their", "his", "her") and \
                f.trigger.kind in _event_kinds():
            # "Russian forces committed … during their occupation of Bucha": the clause's subject
            verb = next((a for a in noun.ancestors if a.pos_ in ("VERB", "AUX")), None)
            subject = _subject(verb, control=True) if verb is not None else None
            f.agent = subject if subject is not None and subject.pos_ != "PRON" else poss
        elif poss is not None and poss.pos_ in ("PROPN", "NOUN"):
            f.agent = poss
        else:
            # "Israeli strikes", "RSF looting": the nationality or body before the noun, not one naming a
            # weapon's maker inside a parenthesis ("UAV (including Turkish “Bayraktar”) attacks")
            mod = next((c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "ORG", "GPE")
                        and not _parenthesised(c)), None)
            if mod is not None and not _names_the_held(noun, f.trigger.kind):
                f.agent = mod
    if f.agent is None and noun.dep_ == "pobj" and noun.head.lower_ == "in" and f.trigger.kind == "noncompliance" \
            and noun.head.head.pos_ in ("VERB", "AUX"):
        f.agent = _subject(noun.head.head, control=True)  # "Armenia, in violation of …, continues …"
    if f.agent is None:
        # "fighting between X and Y", "hostilities between X, Y and Z": the sides are its actors
        between = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        obj = _child(between, {"pobj"}) if between is not None else None
        if obj is not None and len(items(obj)) > 1:
            f.agent = obj
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_ in ("take", "occur", "happen", "continue", "begin",
                                                                    "rage", "start", "escalate", "intensify", "resume"):
        f.clause = noun.head  # "the arrests took place in …", "battles continued to rage in …"
