"""The extractor's vocabularies, loaded once from `kinds.toml` and `actors.toml` and compiled."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("docket").joinpath(name).read_text(encoding="utf-8"))


def _alt(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True))


def _close(p: str, i: int) -> int:
    """Index of the parenthesis closing the group opened at p[i]."""
    depth, j = 0, i
    while j < len(p):
        if p[j] == "\\":
            j += 2
            continue
        depth += {"(": 1, ")": -1}.get(p[j], 0)
        if depth == 0:
            return j
        j += 1
    raise ValueError(f"unbalanced parenthesis in trigger pattern {p!r}")


def _split_top(p: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    out, depth, last, j = [], 0, 0, 0
    while j < len(p):
        ch = p[j]
        if ch == "\\":
            j += 2
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            out.append(p[last:j])
            last = j + 1
        j += 1
    return out + [p[last:]]


def first_letters(p: str, fold: bool = True) -> frozenset[str] | None:
    """The letters a pattern can start with (lower-cased when `fold`), or None when this cannot tell.

    Patterns in `kinds.toml` and `actors.toml` start with a letter, a class of letters, a (?:…) group
    (optional or not) or a lookaround; that small subset is read here, so that the extractor can try
    at each word only the patterns that can start with its first letter. re's own prefix scan gives
    up on alternations that begin with a word boundary, and those were most of the extractor's time.
    The answer may be a superset (a lookaround is skipped, not read), never a subset.
    """
    if not p:
        return None
    rest = None
    if p[0].isalpha():
        letters, rest = {p[0]}, p[1:]
    elif p[0] == "[":
        end = p.find("]")
        body = p[1:end]
        if end < 2 or not body.isalpha():
            return None
        letters, rest = set(body), p[end + 1 :]
    elif p.startswith(("(?<!", "(?<=", "(?=", "(?!")):
        return first_letters(p[_close(p, 0) + 1 :], fold)
    elif p.startswith("(?:"):
        end = _close(p, 0)
        letters = set()
        for alt in _split_top(p[3:end]):
            inner = first_letters(alt, fold)
            if inner is None:
                return None
            letters |= inner
        rest = p[end + 1 :]
    else:
        return None
    if rest[:1] == "{":  # a counted repeat may allow zero
        return None
    if rest[:1] in ("?", "*"):  # the first item is optional: what follows it may start the match
        after = first_letters(rest[1:].lstrip("?+"), fold)
        if after is None:
            return None
        letters |= after
    return frozenset(ch.lower() for ch in letters) if fold else frozenset(letters)


class TriggerIndex:
    """Alternations of named groups tried per word by first letter; `finditer` yields what the whole
    alternation would.

    One alternation of every trigger (or actor) tries every branch at every word boundary; most of
    the extractor's time went there. Here each first letter gets its own alternation, holding only
    the patterns that can start with it, each group in its original order and each group's
    alternatives in theirs, so the match found at a position is the one the whole alternation finds.
    Each group matches `(?:prefix)?` then one of its alternatives, between word boundaries.
    """

    _WORD = re.compile(r"\b[^\W\d_]")

    def __init__(self, groups: list[tuple[str, list[str]]], flags: int = re.I, prefix: str = "", sort: bool = True):
        self.fold = bool(flags & re.I)
        self.prefix = prefix
        self.flags = flags
        self.groups = groups
        self.sort = sort
        self.whole = self._compile(groups)
        self.firsts = {p: first_letters(p, self.fold) for _, alts in groups for p in alts}
        self.always = any(f is None for f in self.firsts.values())
        self._by_letters: dict[frozenset[str], re.Pattern | None] = {}

    def _compile(self, groups: list[tuple[str, list[str]]]) -> re.Pattern:
        lead = f"(?:{self.prefix})?" if self.prefix else ""
        alt = _alt if self.sort else (lambda ps: "|".join(f"(?:{p})" for p in ps))
        return re.compile("|".join(rf"(?P<{g}>\b{lead}(?:{alt(alts)})\b)" for g, alts in groups if alts), self.flags)

    def _for(self, letters: frozenset[str]) -> re.Pattern | None:
        """The alternation of the patterns that can start with one of `letters` (built once, kept)."""
        try:
            return self._by_letters[letters]
        except KeyError:
            kept = [(g, [p for p in alts if letters & self.firsts[p]]) for g, alts in self.groups]
            rx = self._compile(kept) if any(alts for _, alts in kept) else None
            self._by_letters[letters] = rx
            return rx

    def finditer(self, s: str):
        if self.always:  # a pattern this cannot read the start of: use the whole alternation
            yield from self.whole.finditer(s)
            return
        pos = 0
        fold, prefix, n = self.fold, self.prefix, len(self.prefix)
        cache = self._by_letters
        for w in self._WORD.finditer(s):
            start = w.start()
            if start < pos:
                continue
            first = s[start].lower() if fold else s[start]
            if prefix and s.startswith(prefix, start) and start + n < len(s):
                # "the Armenian forces": the pattern may start after the optional prefix, or at it
                after = s[start + n].lower() if fold else s[start + n]
                letters = frozenset((first, after))
            else:
                letters = frozenset(first)
            rx = cache[letters] if letters in cache else self._for(letters)
            if rx is None:
                continue
            m = rx.match(s, start)
            if m:
                pos = m.end()
                yield m


@dataclass(frozen=True)
class KindSpec:
    name: str
    description: str
    verbs: re.Pattern | None
    nouns: re.Pattern | None
    needs: str
    objects: tuple[str, ...]


@dataclass(frozen=True)
class ActorSpec:
    name: str
    type: str
    pattern: str


@dataclass
class Vocab:
    kinds: dict[str, KindSpec]
    trigger: TriggerIndex  # every trigger of every kind, groups named k_<kind>__<form>
    needs: dict[str, re.Pattern]
    objects: dict[str, re.Pattern]
    object_any: re.Pattern
    mass_objects: frozenset[str]
    object_kind: dict[str, str]
    weapon_heads: re.Pattern
    minerals: re.Pattern
    cues: dict[str, re.Pattern]
    cue_windows: dict[str, int]
    actors: TriggerIndex
    actor_names: dict[str, tuple[str, str]]  # group name -> (canonical, type)
    generic_actor: re.Pattern
    company: re.Pattern
    company_suffix: re.Pattern  # a cheap test: without a legal-form suffix there is no company to look for
    subsidiary: re.Pattern
    person: re.Pattern
    resolution: re.Pattern
    named_instruments: list[tuple[str, re.Pattern]]
    unsc_first_of_year: list[tuple[int, int]] = field(default_factory=list)

    def resolution_year(self, number: int) -> int | None:
        year = None
        for y, first in self.unsc_first_of_year:
            if number >= first:
                year = y
        if year is None or (year == self.unsc_first_of_year[-1][0] and number > first + 150):
            return None
        return year


@cache
def vocab() -> Vocab:
    k = _load("kinds.toml")
    a = _load("actors.toml")
    kinds: dict[str, KindSpec] = {}
    groups: list[tuple[str, list[str]]] = []
    for name, spec in k["kinds"].items():
        verbs = spec.get("verbs", [])
        nouns = spec.get("nouns", [])
        kinds[name] = KindSpec(
            name,
            spec.get("description", ""),
            re.compile(rf"\b(?:{_alt(verbs)})\b", re.I) if verbs else None,
            re.compile(rf"\b(?:{_alt(nouns)})\b", re.I) if nouns else None,
            spec.get("needs", ""),
            tuple(spec.get("objects", [])),
        )
        if verbs:
            groups.append((f"k_{name}__verb", verbs))
        if nouns:
            groups.append((f"k_{name}__noun", nouns))
    objects = {c: re.compile(rf"\b(?:{o['pattern']})\b", re.I) for c, o in k["objects"].items()}
    object_any = re.compile(
        "|".join(rf"(?P<o_{c}>\b(?:{o['pattern']})\b)" for c, o in k["objects"].items()), re.I
    )
    cues = k["cues"]

    # actors: fixed ones, then templates filled per country; one alternation, longest first
    actor_names: dict[str, tuple[str, str]] = {}
    parts: list[tuple[str, str]] = []
    for i, actor in enumerate(a["actor"]):
        for j, p in enumerate(actor["patterns"]):
            g = f"a{i}_{j}"
            actor_names[g] = (actor["name"], actor["type"])
            parts.append((g, p))
    n = 0
    for tmpl in a["actor_template"]:
        for country, adjective in a["country_forms"].items():
            for p in tmpl["patterns"]:
                g = f"t{n}"
                n += 1
                actor_names[g] = (
                    tmpl["name"].format(country=country, adjective=adjective),
                    tmpl["type"],
                )
                parts.append((g, p.format(country=re.escape(country), adjective=re.escape(adjective))))
    for country in a["country_forms"]:
        g = f"c{n}"
        n += 1
        actor_names[g] = (country, "country")
        parts.append((g, re.escape(country) + r"(?!\s+(?:armed|army|side))"))
    parts.sort(key=lambda gp: len(gp[1]), reverse=True)
    actors = TriggerIndex([(g, [p]) for g, p in parts], flags=0, prefix="the ", sort=False)

    suffixes = a["companies"]["suffixes"]
    cap = r"(?:[A-Z][\w&'.-]*|of|and|&)"
    company = re.compile(rf"\b(?P<name>[A-Z][\w&'-]*(?: {cap})*? (?:{suffixes}))(?=[\s,;.)]|$)")
    unsc = sorted((int(y), int(f)) for y, f in a["instruments"]["unsc_first_of_year"].items())
    return Vocab(
        kinds=kinds,
        trigger=TriggerIndex(groups),
        needs={name: re.compile(rf"\b(?:{p})\b", re.I) for name, p in k["needs"].items()},
        objects=objects,
        object_any=object_any,
        mass_objects=frozenset(c for c, o in k["objects"].items() if o.get("mass")),
        object_kind=dict(k.get("object_kind", {})),
        weapon_heads=re.compile(rf"\b(?:{k['weapons']['heads']})\b", re.I),
        minerals=re.compile(rf"\b(?:{_alt(k['minerals']['names'])})\b", re.I),
        cues={name: re.compile(cues[name], re.I) for name in ("negation", "irrealis", "ongoing")}
        | {
            "reporting": re.compile(rf"\b(?:{cues['reporting']})\b(?:,[^,]{{0,60}},)?\s+that\b", re.I),
            "corroboration": re.compile(rf"\b(?:{cues['corroboration']})\s+(?:the\s+)?", re.I),
            "intro": re.compile(rf"^\s*(?:{cues['intro']})\b"),
            "prepositions": re.compile(rf"\b(?:{cues['prepositions']})\s+$", re.I),
        },
        cue_windows={"negation": cues["negation_window"], "irrealis": cues["irrealis_window"]},
        actors=actors,
        actor_names=actor_names,
        generic_actor=re.compile(rf"\b(?:{a['generic_actors']['pattern']})\b", re.I),
        company=company,
        company_suffix=re.compile(rf"\b(?:{suffixes})(?=[\s,;.)]|$)"),
        subsidiary=re.compile(rf",?\s*{a['companies']['subsidiary']}\s+(?:the\s+)?", re.I),
        person=re.compile(
            rf"\b(?:{a['persons']['titles']})\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{1,3}})"
        ),
        resolution=re.compile(
            r"\b(?:(?:Security Council|UNSC|UN Security Council)\s+)?[Rr]esolutions?\s+"
            r"(?P<list>\d{1,4}(?:\s*\(\d{4}\))?(?:(?:\s*,\s*|\s+and\s+)\d{1,4}(?:\s*\(\d{4}\))?)*)"
        ),
        named_instruments=[
            (name, re.compile(_alt(pats), re.I)) for name, pats in a["instruments"]["named"].items()
        ],
        unsc_first_of_year=unsc,
    )
