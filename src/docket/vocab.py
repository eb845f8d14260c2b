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
    trigger: re.Pattern  # one alternation over every trigger of every kind, groups named k_<kind>_<form>
    needs: dict[str, re.Pattern]
    objects: dict[str, re.Pattern]
    object_any: re.Pattern
    mass_objects: frozenset[str]
    object_kind: dict[str, str]
    weapon_heads: re.Pattern
    minerals: re.Pattern
    cues: dict[str, re.Pattern]
    cue_windows: dict[str, int]
    actors: re.Pattern
    actor_names: dict[str, tuple[str, str]]  # group name -> (canonical, type)
    generic_actor: re.Pattern
    company: re.Pattern
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
    groups: list[str] = []
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
            groups.append(rf"(?P<k_{name}__verb>\b(?:{_alt(verbs)})\b)")
        if nouns:
            groups.append(rf"(?P<k_{name}__noun>\b(?:{_alt(nouns)})\b)")
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
    actors = re.compile("|".join(rf"(?P<{g}>\b(?:the )?(?:{p})\b)" for g, p in parts))

    suffixes = a["companies"]["suffixes"]
    cap = r"(?:[A-Z][\w&'.-]*|of|and|&)"
    company = re.compile(rf"\b(?P<name>[A-Z][\w&'-]*(?: {cap})*? (?:{suffixes}))(?=[\s,;.)]|$)")
    unsc = sorted((int(y), int(f)) for y, f in a["instruments"]["unsc_first_of_year"].items())
    return Vocab(
        kinds=kinds,
        trigger=re.compile("|".join(groups), re.I),
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
