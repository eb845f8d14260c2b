"""The model's attribute rules (its `attribute_ruler`: part of speech, morphology and a few lemmas set
from the tagger's tag, the word and its dependency), applied by looking each token up instead of
trying every rule at every token.

Why by hand: spaCy's `Matcher`, which `AttributeRuler` runs, tries each of en_core_web_sm's 179 rules
at every token and calls a Python predicate for each set-valued one ("LOWER": {"IN": [...]}), which
made the ruler the model's third most costly component on Docket's texts (about a sixth of the
whole pipeline's time). Nearly every rule starts with a token of an exact tag or word, so the rules
are listed once under those values and each token meets only the few that can apply to it. The
result is the ruler's, token for token: every rule is matched on the tokens as they were before any
rule applied, matches are applied in the ruler's order (a later rule overrides an earlier one), and
the attributes are set by spaCy's own `set_token_attrs` from the ruler's normalised attributes.
`indexed(ruler)` returns None when a rule uses what this index does not read (an operator such as
"OP", an attribute it does not know); another model's ruler then stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

Test = Callable[[Token], bool]

# the token attributes a rule may test, as the Token properties that hold them
_READ: dict[str, Callable[[Token], object]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_, "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text, "NORM": lambda t: t.norm_, "POS": lambda t: t.pos_, "IS_SPACE": lambda t: t.is_space,
    "IS_PUNCT": lambda t: t.is_punct, "IS_DIGIT": lambda t: t.is_digit, "IS_ALPHA": lambda t: t.is_alpha,
}
# what rules are listed under: the values their first token's exact (or "IN") tests of these allow,
# as (tag, word, dependency), None where a rule does not test one
_KEYED = ("TAG", "LOWER", "DEP")
# attributes that a token's (tag, word, dependency) decides: a test of only these gives the same
# answer for every token with that triple, so it is run once per triple, not once per token
_DECIDED = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE", "IS_PUNCT", "IS_DIGIT", "IS_ALPHA"})
_MEMO_LIMIT = 200_000  # distinct (tag, word, dependency) triples remembered before starting afresh


def _test(attr: str, value) -> Test | None:
    """A test of one token attribute as the Matcher reads it, or None for one this index does not know."""
    read = _READ.get(attr)
    if read is None:
        return None
    if not isinstance(value, dict):
        return lambda t: read(t) == value
    if len(value) != 1:
        return None
    (op, arg), = value.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda t: read(t) in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda t: read(t) not in banned
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda t: bool(rx.search(str(read(t))))
    return None


@dataclass(frozen=True)
class _Rule:
    number: int  # the rule's place in the ruler (later ones win)
    target: int  # which of the matched tokens gets the attributes (the ruler's `index`)
    tests: tuple[tuple[Test, ...], ...]  # per token of the pattern; the first token's keyed tests left out
    decided: bool  # one token long, and its tests only read what the token's triple decides


class IndexedAttributes:
    """A pipeline component doing what an AttributeRuler does (see the module's docstring)."""

    def __init__(self, ruler: AttributeRuler, listed: dict[tuple, list[_Rule]]):
        self.attrs = ruler.attrs  # per rule: its attributes, normalised by the ruler
        self.listed = listed
        self.shapes = sorted({tuple(v is not None for v in key) for key in listed})
        # per triple: the decided rules that match it, and the other rules listed under it
        self.memo: dict[tuple[str, str, str], tuple[list[int], list[_Rule]]] = {}

    def _candidates(self, triple: tuple[str, str, str], token: Token) -> tuple[list[int], list[_Rule]]:
        found = self.memo.get(triple)
        if found is None:
            if len(self.memo) > _MEMO_LIMIT:
                self.memo.clear()
            rules = [rule for shape in self.shapes
                     for rule in self.listed.get(tuple(v if used else None for v, used in zip(triple, shape, strict=True)), ())]
            found = ([r.number for r in rules if r.decided and all(test(token) for test in r.tests[0])],
                     [r for r in rules if not r.decided])
            self.memo[triple] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        matched: list[tuple[int, int]] = []  # (rule, token it sets)
        tokens = list(doc)  # made once: Doc.__getitem__ makes a new Token at each call
        n = len(tokens)
        for i, t in enumerate(tokens):
            decided, others = self._candidates((t.tag_, t.lower_, t.dep_), t)
            matched.extend((number, i) for number in decided)
            for rule in others:
                length = len(rule.tests)
                if i + length > n:
                    continue
                if all(test(t) for test in rule.tests[0]) and all(
                        test(tokens[i + k]) for k in range(1, length) for test in rule.tests[k]):
                    target = rule.target if rule.target >= 0 else length + rule.target
                    if 0 <= target < length:
                        matched.append((rule.number, i + target))
        matched.sort()  # the ruler's order: by rule, then by position
        for number, i in matched:
            set_token_attrs(tokens[i], self.attrs[number])
        return doc


def indexed(ruler: AttributeRuler) -> IndexedAttributes | None:
    """The indexed equivalent of `ruler`, or None if one of its rules tests what the index cannot."""
    if len(ruler.attrs) != len(ruler.patterns):
        return None
    listed: dict[tuple, list[_Rule]] = {}
    for number, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            if not pattern or not isinstance(pattern, list):
                return None
            key: dict[str, list] = {}
            tests: list[tuple[Test, ...]] = []
            decided = len(pattern) == 1
            for k, token_pattern in enumerate(pattern):
                these = []
                for attr, value in token_pattern.items():
                    if k == 0 and attr in _KEYED and (isinstance(value, str) or isinstance(value, dict)
                                                      and set(value) == {"IN"}):
                        key[attr] = [value] if isinstance(value, str) else list(value["IN"])
                        continue
                    test = _test(attr, value)
                    if test is None:
                        return None
                    these.append(test)
                    decided = decided and attr in _DECIDED
                tests.append(tuple(these))
            rule = _Rule(number, entry.get("index", 0), tuple(tests), decided)
            combos: list[tuple] = [()]
            for attr in _KEYED:
                combos = [(*c, v) for c in combos for v in key.get(attr, [None])]
            for combo in combos:
                listed.setdefault(combo, []).append(rule)
    return IndexedAttributes(ruler, listed)
