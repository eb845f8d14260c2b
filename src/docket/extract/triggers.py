"""Triggers: the words a claim starts from, matched on lemmas so that every inflection and every
nominalisation counts ("are demolishing", "demolished", "the demolition").

Each kind's triggers are data in `kinds.toml` (`[kinds.<kind>.triggers]`): verbs and nouns as lemmas,
phrases as lemma sequences ("take control of", "round up"), `*` for a gap of up to three words inside a
phrase ("lose * lives" reads "lost their lives"). An index of first words finds them on each token's norm, which
is set to its lower-cased lemma; where the tagger gives no usable lemma (a capitalised headline word
taken for a proper noun: "Israeli Army Arrests ..."), lemminflect's tables give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Doc, Span, Token

from docket.kinds import kinds

GAP = 4  # words a `*` in a trigger phrase may stand for


@dataclass(frozen=True)
class TriggerWord:
    """One trigger of one kind as kinds.toml writes it."""

    kind: str
    phrase: str  # lemmas, space-separated, `*` for a gap
    nominal: bool  # a noun (the seizure) rather than a verb (seized)
    intransitive: bool  # its subject is what the claim is about ("X fell to Y", "civilians died")
    agent_after: str | None  # the preposition that introduces the actor after it ("fell to Y")


@dataclass
class Trigger:
    """A trigger found in a document: the words, and which kind's vocabulary they belong to."""

    word: TriggerWord
    span: Span

    @property
    def kind(self) -> str:
        return self.word.kind

    @property
    def head(self) -> Token:
        """The token the claim's arguments hang from: the verb of the phrase, or the noun the phrase's
        other words modify ("statement" of "the trilateral statement")."""
        if self.word.nominal and len(self.span) > 1:
            words = self.word.phrase.split()
            if "*" not in words and len(words) == len(self.span):
                return self.span[_head_word(words, True)]
        return self.span[0]


@cache
def trigger_words() -> tuple[TriggerWord, ...]:
    out = []
    for name, k in kinds().items():
        t = k.raw.get("triggers", {})
        intransitive = set(t.get("intransitive", ()))
        after = t.get("agent_after", {})
        for nominal, key in ((False, "verbs"), (True, "nouns")):
            for phrase in t.get(key, ()):
                out.append(TriggerWord(name, phrase.lower(), nominal, phrase in intransitive, after.get(phrase)))
    return tuple(out)


def _pattern(phrase: str, nominal: bool) -> list[dict]:
    """A phrase's tests in spaCy's Matcher's pattern language (the reference `_index` follows; the
    tests check the two agree)."""
    words = phrase.split()
    out: list[dict] = []
    for i, w in enumerate(words):
        if w == "*":
            out.append({"IS_PUNCT": False, "OP": f"{{0,{GAP}}}"})
            continue
        head = i == _head_word(words, nominal)
        token: dict = {"NORM": {"IN": _forms(w, nominal and head, lemma=head and not nominal)}}
        if i == _head_word(words, nominal):
            # a verb trigger is a verb (or an adjective-like participle: "destroyed houses"); a noun one a noun
            # a noun that has no verb reading is a noun wherever the tagger took it for a verb
            # ("airstrikes on the villages killed …")
            token["POS"] = ({"IN": ["NOUN", "PROPN"] + ([] if _verb_reading(w) else ["VERB"])} if nominal
                            else {"IN": ["VERB", "AUX", "ADJ"]})
        out.append(token)
    return out


@cache
def _verb_reading(word: str) -> bool:
    """Whether a word can be a verb (lemminflect's tables, or a verb trigger of some kind)."""
    import lemminflect

    return bool(lemminflect.getAllInflections(word, upos="VERB")) or any(
        not w.nominal and w.phrase.split()[0] == word for w in trigger_words())


def _forms(word: str, noun: bool, lemma: bool = False) -> list[str]:
    """The norms a phrase word matches: itself and its lemmas, since a token's norm is its lemma and
    kinds.toml writes a phrase as it reads ("internally displaced persons", "urgent steps" match on
    "displace" and "step"); a noun phrase's head only by its noun lemmas. A verb phrase's head is
    written as a lemma: when it is a verb's lemma it is only that ("fell" the trees is not "fall")."""
    import lemminflect

    if lemma and lemminflect.getAllInflections(word, upos="VERB"):
        return [word]
    lemmas = lemminflect.getAllLemmas(word, upos="NOUN") if noun else lemminflect.getAllLemmas(word)
    return sorted({word} | {x.lower() for forms in lemmas.values() for x in forms})


def _head_word(words: list[str], nominal: bool) -> int:
    """Which word of a trigger phrase is its head: a verb phrase's first word ("take control of"), a
    noun phrase's last word before "of" ("trilateral statement", "ceasefire declaration", "timetable of
    urgent steps"): the words before it modify it and may be tagged anything."""
    if not nominal:
        return 0
    end = words.index("of") if "of" in words else len(words)
    return max(i for i in range(end) if words[i] != "*")


@dataclass(frozen=True)
class _Step:
    norms: frozenset[str] | None  # None: a gap of up to GAP words that are not punctuation
    pos: frozenset[str] | None = None


@cache
def _index() -> dict[str, list[tuple[TriggerWord, tuple[_Step, ...]]]]:
    """Every trigger phrase as steps (the same tests `_pattern` gives spaCy's Matcher), indexed by the
    norms its first word may have. Written here rather than run through spaCy's Matcher: with some
    800 patterns, gaps among them, the Matcher tried every pattern at every token and took 40% of
    the extractor's time; the index tries only the phrases that start with the token's norm."""
    out: dict[str, list[tuple[TriggerWord, tuple[_Step, ...]]]] = {}
    for w in trigger_words():
        steps = tuple(_Step(None) if "OP" in tok else _Step(frozenset(tok["NORM"]["IN"]),
                                                          frozenset(tok["POS"]["IN"]) if "POS" in tok else None)
                      for tok in _pattern(w.phrase, w.nominal))
        if steps and steps[0].norms is not None:
            for norm in steps[0].norms:
                out.setdefault(norm, []).append((w, steps))
    return out


def _ends(steps: tuple[_Step, ...], k: int, j: int, norms: list[str], pos: list[str], punct: list[bool]):
    """Every token index a phrase's steps from `k` on can end at, starting at token `j`."""
    if k == len(steps):
        yield j
        return
    step = steps[k]
    if step.norms is None:
        for g in range(GAP + 1):
            if j + g > len(norms) or (g and punct[j + g - 1]):
                break
            yield from _ends(steps, k + 1, j + g, norms, pos, punct)
        return
    if j < len(norms) and norms[j] in step.norms and (step.pos is None or pos[j] in step.pos):
        yield from _ends(steps, k + 1, j + 1, norms, pos, punct)


@cache
def trigger_lemmas() -> frozenset[str]:
    """Every word that starts a trigger, as a lemma."""
    return frozenset(w.phrase.split()[0] for w in trigger_words())


@cache
def inflected_forms() -> frozenset[str]:
    """Every inflection of one word of every trigger (lemminflect's tables, and the lemma itself):
    what a sentence must contain for a claim to start in it (document.candidate_test)."""
    import lemminflect

    out: set[str] = set()
    for w in trigger_words():
        # a phrase matches only with all its words, so one of them is enough to look for: the longest,
        # the rarest as a rule ("control" of "take control of"); never "of", "to" or "be", which every
        # sentence holds and which made the parser read nearly every sentence
        words = [x for x in w.phrase.split() if x != "*"]
        for lemma in [max(words, key=len)]:
            out.add(lemma)
            for upos in ("VERB", "NOUN", "ADJ"):
                for forms in lemminflect.getAllInflections(lemma, upos=upos).values():
                    out.update(f.lower() for f in forms)
                if not lemminflect.getAllInflections(lemma, upos=upos):
                    for forms in lemminflect.getAllInflectionsOOV(lemma, upos=upos).values():
                        out.update(f.lower() for f in forms)
    return frozenset(out)


def _norm(t: Token) -> str:
    lemma = t.lemma_.lower()
    if t.pos_ in ("PROPN", "X", "") or lemma == t.text.lower() and lemma not in trigger_lemmas():
        return _trigger_lemma_of(t.text.lower()) or lemma
    return lemma


@lru_cache(maxsize=65536)  # bounded: a corpus brings any number of words
def _trigger_lemma_of(word: str) -> str | None:
    """A trigger lemma the word is an inflection of, by lemminflect's tables (looked up once per word:
    the lookups were a tenth of the extractor's own time)."""
    import lemminflect

    for upos in ("VERB", "NOUN"):
        for cand in lemminflect.getAllLemmas(word, upos=upos).get(upos, ()):
            if cand.lower() in trigger_lemmas():
                return cand.lower()
    return None


def find_triggers(doc: Doc, sentences: list[Span]) -> list[Trigger]:
    """Every trigger in the (parsed) sentences given, longest phrase first where two overlap at the
    same start, in text order."""
    for sent in sentences:
        for t in sent:
            t.norm_ = _norm(t)
    index = _index()
    found: dict[tuple[int, str], Trigger] = {}
    for sent in sentences:
        norms = [t.norm_ for t in sent]
        pos = [t.pos_ for t in sent]
        punct = [t.is_punct for t in sent]
        for start, norm in enumerate(norms):
            for word, steps in index.get(norm, ()):
                for end in _ends(steps, 0, start, norms, pos, punct):
                    a, b = sent.start + start, sent.start + end
                    old = found.get((a, word.kind))
                    if old is None or (b - a) > len(old.span):
                        found[(a, word.kind)] = Trigger(word, doc[a:b])
    # where triggers of two kinds overlap, the longer phrase is the reading ("left 18 civilians dead"
    # kills; it displaces no one)
    out = sorted(found.values(), key=lambda t: (t.span.start, t.kind))
    by_sent: dict[int, list[Trigger]] = {}
    for t in out:
        by_sent.setdefault(t.span.sent.start, []).append(t)  # a phrase never crosses its sentence
    return [t for t in out if not any(o is not t and o.kind != t.kind and o.span.start <= t.span.start and
                                      t.span.end <= o.span.end and len(o.span) > len(t.span)
                                      for o in by_sent[t.span.sent.start])]
