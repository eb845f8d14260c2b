"""Entities: the actors, organisations, companies, instruments and sites that claims name, each one
with every way the sources write it.

Resolution runs in three steps over the distinct names found in the store:

1. a canonical key per name, from what Docket knows: the actor vocabulary ("Armenian armed forces" and
   "the Armenian side" are the armed forces of Armenia; "UNSC" is the UN Security Council), resolution
   symbols ("Resolution 822", "resolution 822 (1993)", "S/RES/822 (1993)"), company names without their
   legal form ("Base Metals CJSC" = "Base Metals"), titles dropped from persons;
2. names left over are compared with rapidfuzz within their type; two merge only when they are spelling
   variants (a high token-sort ratio) and agree on every number and on every word that distinguishes
   one body from another: "Security Council" and "Human Rights Council" never merge;
3. the user's decisions (`docket entities merge/split`) are replayed in the order they were made.

Nothing here merges silently: every entity lists its aliases, and `docket entities show` shows why.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz

from docket.gazetteer.text import fold
from docket.vocab import vocab

# roles of the claim fields that name entities, and the entity type each implies when nothing else does
ROLE_TYPES = {
    "agent": "actor", "attributed_to": "actor", "corroborated_by": "actor", "affected": "actor",
    "company": "company", "parent_company": "company", "instrument": "instrument", "site": "site",
}
_RESOLUTION = re.compile(r"(?:S/RES/|\bresolutions?\s+|\bUNSCR\s*)(\d{1,4})(?:\s*\((\d{4})\))?", re.I)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_TITLE = re.compile(r"^(?:mr|mrs|ms|dr|h\.?e\.?|ambassador|president|minister|spokesperson|spokesman|chairman)\.?\s+", re.I)
_DIGITS = re.compile(r"\d+")
_FUZZY_MIN = 93  # token-sort ratio for two names of one type to be spelling variants of each other
# actors that are one body under two names: the CSCE Minsk Group became the OSCE Minsk Group in 1995
_SAME_BODY = {"CSCE Minsk Group": "OSCE Minsk Group", "CSCE Minsk Conference": "OSCE Minsk Group"}


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type, "aliases": sorted(self.aliases)}


@dataclass(frozen=True)
class Decision:
    action: str  # merge | split
    a: str
    b: str | None = None


def _company_core(name: str) -> str:
    suffixes = vocab().company_suffix.pattern
    core = name
    for _ in range(3):  # "Vallex Group CJSC": the legal form and a "Group" both go
        stripped = re.sub(rf"[\s,]*{suffixes}\s*$", "", core).strip()
        if stripped == core or not stripped:
            break
        core = stripped
    return fold(_ARTICLE.sub("", core))


def canonical(surface: str, role: str) -> tuple[str, str, str]:
    """(key, display name, type) for a name as a claim field holds it."""
    text = " ".join(surface.split())
    r = _RESOLUTION.search(text)
    if role == "instrument" or (r and r.start() == 0):
        if r:
            number = int(r.group(1))
            year = int(r.group(2)) if r.group(2) else vocab().resolution_year(number)
            return f"instrument:s/res/{number}", f"S/RES/{number} ({year})" if year else f"S/RES/{number}", "instrument"
        return f"instrument:{fold(text)}", text, "instrument"
    if role in ("company", "parent_company"):
        return f"company:{_company_core(text)}", text, "company"
    if role == "site":
        return f"site:{fold(_ARTICLE.sub('', text))}", text, "site"
    v = vocab()
    m = v.actors.whole.fullmatch(text) or v.actors.whole.fullmatch(_ARTICLE.sub("", text))
    if not m and v.company.fullmatch(text):
        return f"company:{_company_core(text)}", text, "company"
    if m:
        name, kind = v.actor_names[m.lastgroup]
        if kind == "party" and name.endswith(" side"):
            # "the Armenian side" speaks and acts for the same party as its armed forces
            adjective = name[: -len(" side")]
            country = next((c for c, a in v_country_forms().items() if a == adjective), None)
            if country:
                name, kind = f"armed forces of {country}", "armed_forces"
        name = _SAME_BODY.get(name, name)
        return f"actor:{fold(name)}", name, kind
    bare = _TITLE.sub("", _ARTICLE.sub("", text))
    return f"actor:{fold(bare)}", bare, "actor"


@cache
def v_country_forms() -> dict[str, str]:
    import tomllib
    from importlib import resources

    return tomllib.loads(resources.files("docket").joinpath("actors.toml").read_text(encoding="utf-8"))["country_forms"]


def _distinct_words(a: str, b: str) -> bool:
    """Whether two names differ in a word that tells bodies apart (not only in spelling)."""
    wa, wb = set(a.split()), set(b.split())
    only = (wa - wb) | (wb - wa)
    for w in only:
        # a differing word with no close spelling in the other name is a different word
        other = wb if w in wa else wa
        if not any(fuzz.ratio(w, o) >= 80 for o in other):
            return True
    return False


def spelling_variants(a: str, b: str) -> bool:
    """Two folded names that are one name spelt two ways ("Defence"/"Defense"), not two names."""
    if a == b:
        return True
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    if fuzz.token_sort_ratio(a, b) < _FUZZY_MIN:
        return False
    return not _distinct_words(a, b)


class _Union:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class EntityIndex:
    entities: dict[str, Entity]
    by_alias: dict[str, str]  # folded alias -> entity id

    def resolve(self, surface: str | None) -> Entity | None:
        if not surface:
            return None
        eid = self.by_alias.get(fold(surface))
        return self.entities.get(eid) if eid else None

    def find(self, query: str) -> Entity | None:
        """An entity by id, by any of its aliases, or by the canonical form of the query."""
        if query in self.entities:
            return self.entities[query]
        hit = self.resolve(query)
        if hit:
            return hit
        key, _, _ = canonical(query, "agent")
        return next((e for e in self.entities.values() if key in e.keys), None)


def build_entities(surfaces: Iterable[tuple[str, str]], decisions: Iterable[Decision] = ()) -> EntityIndex:
    """Entities from (name, role) pairs, with the user's decisions replayed in order."""
    key_of: dict[str, tuple[str, str, str]] = {}  # alias -> (key, display name, type)
    for surface, role in surfaces:
        if surface and surface not in key_of:
            key_of[surface] = canonical(surface, role)
    u = _Union()
    by_key: dict[str, list[str]] = {}
    for alias, (key, _, _) in key_of.items():
        by_key.setdefault(key, []).append(alias)
        u.find(key)
    # spelling variants among keys of one type (blocked by type and first letter, so that this stays
    # near linear in the number of distinct names)
    blocks: dict[tuple[str, str], list[str]] = {}
    for key in by_key:
        kind, _, body = key.partition(":")
        blocks.setdefault((kind, body[:1]), []).append(body)
    for (kind, _), bodies in blocks.items():
        if kind == "instrument":
            continue  # resolution numbers are exact
        bodies.sort()
        for i, a in enumerate(bodies):
            for b in bodies[i + 1 : i + 40]:
                if spelling_variants(a, b):
                    u.union(f"{kind}:{a}", f"{kind}:{b}")
    alias_root = {alias: u.find(key) for alias, (key, _, _) in key_of.items()}
    # the user's decisions, in order: a merge joins two aliases' entities; a split gives an alias its own
    for d in decisions:
        a = next((x for x in key_of if fold(x) == fold(d.a)), None)
        if d.action == "merge" and d.b:
            b = next((x for x in key_of if fold(x) == fold(d.b)), None)
            if a and b:
                ra, rb = alias_root[a], alias_root[b]
                for x, r in alias_root.items():
                    if r == rb:
                        alias_root[x] = ra
        elif d.action == "split" and a:
            alias_root[a] = f"split:{fold(a)}"
    groups: dict[str, list[str]] = {}
    for alias, root in alias_root.items():
        groups.setdefault(root, []).append(alias)
    entities: dict[str, Entity] = {}
    by_alias: dict[str, str] = {}
    for root, aliases in groups.items():
        infos = [key_of[a] for a in aliases]
        # the display name: the vocabulary's canonical form when there is one, else the longest alias
        kind = next((t for _, _, t in infos if t != "actor"), infos[0][2])
        name = max((n for _, n, _ in infos), key=lambda n: (n in _canonical_names(), len(n)))
        eid = "e-" + hashlib.sha256(f"{kind}|{root}".encode()).hexdigest()[:12]
        entities[eid] = Entity(eid, name, kind, set(aliases), {k for k, _, _ in infos})
        for a in aliases:
            by_alias[fold(a)] = eid
    return EntityIndex(entities, by_alias)


@cache
def _canonical_names() -> frozenset[str]:
    return frozenset(n for n, _ in vocab().actor_names.values())
