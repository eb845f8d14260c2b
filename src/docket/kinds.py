"""The claim kinds, declared once in `kinds.toml` and read here into one schema object per kind.

Everything that depends on kinds asks this module: the model's list of kinds, which kinds are events
that cluster by date, how a kind is shown in the terminal and on the web, which slot says what a
claim is about, and the extractor's triggers and vocabularies (as followthemoney's model is read from
its schema files and every exporter asks it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

THINGS = ("object", "instrument", "site", "place")


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    event: bool  # clusters by date when sources are compared
    style: str  # rich style in the terminal
    colour: str  # CSS colour on the web pages
    thing: str  # the slot that says what a claim of this kind is about (one of THINGS)
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    needs: str = ""
    objects: tuple[str, ...] = ()
    year_slack: int = 0  # year-dated accounts this many years apart may be one incident (see clusters.py)
    measure: str = ""  # what a figure of this kind counts when its words do not say (one of [measures])
    raw: dict = field(default_factory=dict, compare=False, repr=False)  # the whole table, for the extractor


@cache
def schema() -> dict:
    """kinds.toml as data."""
    return tomllib.loads(resources.files("docket").joinpath("kinds.toml").read_text(encoding="utf-8"))


@cache
def kinds() -> dict[str, Kind]:
    """Every kind, in the order kinds.toml declares them."""
    out = {}
    for name, t in schema()["kinds"].items():
        if t.get("thing", "object") not in THINGS:
            raise ValueError(f"kinds.toml: {name}: thing {t.get('thing')!r} is not one of {', '.join(THINGS)}")
        if t.get("measure") and t["measure"] not in schema().get("measures", {}):
            raise ValueError(f"kinds.toml: {name}: measure {t['measure']!r} is not one of [measures]")
        out[name] = Kind(name=name, description=t["description"], event=bool(t.get("event", False)),
                         style=t.get("style", ""), colour=t.get("colour", "#777777"), thing=t.get("thing", "object"),
                         verbs=tuple(t.get("verbs", ())), nouns=tuple(t.get("nouns", ())), needs=t.get("needs", ""),
                         objects=tuple(t.get("objects", ())), year_slack=int(t.get("year_slack", 0)),
                         measure=t.get("measure", ""), raw=t)
    return out


@cache
def measures() -> dict[str, re.Pattern]:
    """What figures count (killed, injured, detained, missing, displaced): each measure's words."""
    return {name: re.compile(rf"\b(?:{words})\b", re.I) for name, words in schema().get("measures", {}).items()}


@cache
def series_cues() -> dict[str, re.Pattern]:
    """The words that make an ongoing figure a running count (`cumulative`) or a count of the present
    (`stock`)."""
    return {name: re.compile(rf"\b(?:{words})\b", re.I) for name, words in schema().get("series", {}).items()
            if isinstance(words, str)}


def falling_measures() -> frozenset[str]:
    """The measures a count of the present may have (kinds.toml [series] can_fall)."""
    return frozenset(schema().get("series", {}).get("can_fall", ()))


def names() -> tuple[str, ...]:
    return tuple(kinds())


def event_kinds() -> tuple[str, ...]:
    return tuple(k for k, v in kinds().items() if v.event)
