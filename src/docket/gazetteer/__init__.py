"""Places and every name they go by, resolved offline.

Three layers, consulted in this order:

1. the curated regional layer (`places.toml`): the South Caucasus conflict zone, every alias from both
   sides, the source of each fact;
2. imported GeoNames dumps (`docket gazetteer import FILE`): village level for whoever has the dumps;
3. the world base layer, built once from PyPI packages (`base.py`) into a memory-mapped index.

One place has one canonical name and all its aliases; matching folds case, accents and script
(anyascii), so "Kəlbəcər", "Kelbajar" and "Karvachar" find the same entry. The geocoder (`resolve.py`)
picks among candidates with the document's context.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from docket.gazetteer.records import (
    ADMIN_FEATURES,
    ALIAS,
    CANONICAL,
    DEMONYM,
    NAME_KINDS,
    SETTLEMENT_FEATURES,
)
from docket.gazetteer.text import fold
from docket.model import PlaceRef

__all__ = ["ADMIN_FEATURES", "SETTLEMENT_FEATURES", "Candidate", "Gazetteer", "Place", "default_gazetteer", "fold"]


# a trailing feature word stays part of a curated mention: "Vang village", "Kalbajar district"
_FEATURE_WORD = re.compile(r"\s+(district|region|rayon|village|town|city|province)\b", re.I)


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    feature: str
    lat: float | None
    lon: float | None
    geonames_id: int | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""
    country: str = ""
    admin1: str = ""
    population: int = 0
    layer: str = "curated"  # curated | import | base
    approximate: bool = False
    alias_langs: tuple[tuple[str, str], ...] = ()  # (alias, language or script), curated places
    ends: tuple[str, ...] = ()  # a road's end points (place ids)
    capital: bool = False


@dataclass(frozen=True)
class Candidate:
    place: Place
    kind: int  # how the name belongs to it: CANONICAL, ALIAS, DEMONYM, ABBREVIATION

    @property
    def kind_name(self) -> str:
        return NAME_KINDS[self.kind]


def _from_entry(e, layer: str) -> Place:
    return Place(
        id=e.gid, name=e.name, feature=e.feature, lat=e.lat, lon=e.lon, geonames_id=e.geonames_id, parent=e.parent,
        source=e.source, country=e.country, admin1=e.admin1, population=e.population, layer=layer,
        capital=e.capital,
    )


@dataclass
class Gazetteer:
    curated: dict[str, Place] = field(default_factory=dict)
    layers: list = field(default_factory=list)  # [(layer name, PlaceIndex)], searched in order
    by_name: dict[str, list[str]] = field(default_factory=dict)
    finder: object = None  # TriggerIndex over the curated names

    @classmethod
    def from_places(cls, places: list[Place], layers: list | None = None) -> Gazetteer:
        g = cls({p.id: p for p in places}, list(layers or []))
        names: set[str] = set()
        for p in places:
            for n in (p.name, *p.aliases):
                g.by_name.setdefault(fold(n), []).append(p.id)
                names.add(n)
        # the curated names, tried per word by first letter (vocab.TriggerIndex): one alternation of
        # every name tried at every position was a third of the extractor's time
        from docket.vocab import TriggerIndex

        g.finder = TriggerIndex([("name", [re.escape(n) for n in names])], flags=re.I) if names else None
        g._cache: dict[str, list[Candidate]] = {}
        g._places: dict[str, Place | None] = {}
        g._ancestors: dict[str, list[Place]] = {}
        g._children: dict[str, list[str]] | None = None
        # a curated entry with a GeoNames id stands for that GeoNames place in every layer
        g._curated_geonames = {p.geonames_id: p.id for p in places if p.geonames_id}
        return g

    # ------------------------------------------------------------------ names

    def candidates(self, name: str) -> list[Candidate]:
        """Every place this name may denote, curated first, each place once (its best name kind)."""
        key = fold(name)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        best: dict[str, Candidate] = {}
        for pid in self.by_name.get(key, []):
            p = self.curated[pid]
            kind = CANONICAL if fold(p.name) == key else ALIAS
            if pid not in best or kind < best[pid].kind:
                best[pid] = Candidate(p, kind)
        for layer, index in self.layers:
            for number, kind in index.lookup(key):
                e = index.entry(number)
                pid = self._curated_geonames.get(e.geonames_id, e.gid) if e.geonames_id else e.gid
                if pid in self.curated:
                    place = self.curated[pid]
                    if not place.population and e.population:
                        place = replace(place, population=e.population, country=place.country or e.country)
                else:
                    place = _from_entry(e, layer)
                prev = best.get(pid)
                if prev is None or (kind < prev.kind and prev.place.layer == place.layer):
                    best[pid] = Candidate(place if prev is None else prev.place, kind)
        out = list(best.values())
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def lookup(self, name: str) -> list[Place]:
        """Places this name denotes as a name (not as a demonym), curated first."""
        return [c.place for c in self.candidates(name) if c.kind != DEMONYM]

    def curated_mentions(self, text: str):
        """(start, end, name, feature word or None) for every curated name in the text, longest first."""
        if self.finder is None:
            return
        for m in self.finder.finditer(text):
            f = _FEATURE_WORD.match(text, m.end())
            yield m.start(), f.end() if f else m.end(), m.group(0), f.group(1).lower() if f else None

    def has_prefix(self, folded: str) -> bool:
        return any(index.has_prefix(folded) for _, index in self.layers)

    def names(self, place: Place) -> list[tuple[str, str]]:
        """Every name of a place with its kind, the curated aliases and the layers' names merged."""
        out = [(place.name, "canonical")] + [(a, f"alias ({lang})" if lang else "alias") for a, lang in
                                             (place.alias_langs or [(a, "") for a in place.aliases])]
        for _, index in self.layers:
            numbers = [index.number.get(place.id)]
            if place.geonames_id:
                numbers.append(index.number.get(f"geonames:{place.geonames_id}"))
            for n in dict.fromkeys(x for x in numbers if x is not None):
                out += index.names_of(n)
        seen, kept = set(), []
        for name, kind in out:
            if name not in seen:
                seen.add(name)
                kept.append((name, kind))
        return kept

    # ------------------------------------------------------------------ places

    def get(self, pid: str | None) -> Place | None:
        if not pid:
            return None
        if pid in self.curated:
            return self.curated[pid]
        if pid in self._places:
            return self._places[pid]
        found = None
        for layer, index in self.layers:
            n = index.number.get(pid)
            if n is not None:
                e = index.entry(n)
                found = self.curated.get(self._curated_geonames.get(e.geonames_id, ""), None) or _from_entry(e, layer)
                break
        if len(self._places) > 100_000:
            self._places.clear()
        self._places[pid] = found
        return found

    @property
    def places(self) -> dict[str, Place]:
        """The curated places by id (the layers are looked up with `get`)."""
        return self.curated

    def ancestors(self, place: Place) -> list[Place]:
        """The enclosing places, nearest first (kept once computed)."""
        got = self._ancestors.get(place.id)
        if got is None:
            got = self._ancestors[place.id] = self._walk_up(place)
        return got

    def _walk_up(self, place: Place) -> list[Place]:
        out = []
        seen = {place.id}
        while place.parent and place.parent not in seen:
            parent = self.get(place.parent)
            if parent is None:
                break
            seen.add(parent.id)
            out.append(parent)
            place = parent
        return out

    def area_ids(self, pid: str) -> set[str]:
        """A place id and the ids of every place it lies in (Vang -> Kalbajar -> Azerbaijan): the areas
        a claim about it counts for. An id the gazetteer does not know stands alone."""
        place = self.get(pid)
        return {pid} | ({a.id for a in self.ancestors(place)} if place is not None else set())

    def is_within(self, inner: Place, outer: Place) -> bool:
        return inner.id == outer.id or any(a.id == outer.id for a in self.ancestors(inner))

    def children(self, place: Place) -> list[Place]:
        """The places whose parent is this one: curated ones, then the layers' (largest first)."""
        if self._children is None:
            kids: dict[str, list[str]] = {}
            for p in self.curated.values():
                if p.parent:
                    kids.setdefault(p.parent, []).append(p.id)
            self._children = kids
        out = [self.curated[i] for i in self._children.get(place.id, [])]
        seen = {p.id for p in out} | {p.geonames_id for p in out if p.geonames_id}
        for layer, index in self.layers:
            numbers = {index.number.get(place.id)}
            if place.geonames_id:
                numbers.add(index.number.get(f"geonames:{place.geonames_id}"))
            outside = [i for i, parent in index.outside.items() if parent in (place.id, f"geonames:{place.geonames_id}")]
            for n in [*(numbers - {None}), None]:
                for c in index.children(n) if n is not None else outside:
                    e = index.entry(c)
                    if e.gid not in seen and e.geonames_id not in seen:
                        seen.add(e.gid)
                        out.append(self.get(e.gid) or _from_entry(e, layer))
        return sorted(out, key=lambda p: (p.layer != "curated", -p.population, p.name))

    # ------------------------------------------------------------------ text

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """Place mentions in `text` (start, end, place), resolved with the text as context; a name the
        geocoder cannot decide between is left out."""
        from docket.gazetteer.resolve import geocode

        return [(r.start, r.end, r.place) for r in geocode(text, self) if r.place is not None]

    def ref(self, place: Place, mention: str) -> PlaceRef:
        return PlaceRef(
            name=place.name,
            mention=mention,
            id=place.id,
            geonames_id=place.geonames_id,
            lat=place.lat,
            lon=place.lon,
            feature=place.feature,
            admin_path=[a.name for a in reversed(self.ancestors(place))],
        )

    def matches(self, gold_name: str, ref: PlaceRef) -> bool:
        """Whether a predicted place answers to a gold name (by name, mention or alias, folded)."""
        g = fold(gold_name)
        names = {fold(ref.name), fold(ref.mention)}
        place = self.get(ref.id)
        if place is not None:
            names |= {fold(a) for a in place.aliases}
        names |= {re.sub(r" (district|village|region|rayon|town)$", "", n) for n in list(names)}
        return g in names


def _split_alias(alias: str) -> tuple[str, str]:
    name, _, lang = alias.partition("|")
    return name.strip(), lang.strip()


def load_curated() -> list[Place]:
    """The curated regional layer (`places.toml`), each alias with its language or script."""
    data = tomllib.loads(resources.files("docket.gazetteer").joinpath("places.toml").read_text(encoding="utf-8"))
    out = []
    for p in data["place"]:
        aliases = [_split_alias(a) for a in p.get("aliases", [])]
        pid = p["id"]
        out.append(Place(
            id=pid,
            name=p["name"],
            feature=p["feature"],
            lat=p.get("lat"),
            lon=p.get("lon"),
            geonames_id=int(pid.split(":", 1)[1]) if pid.startswith("geonames:") else p.get("geonames_id"),
            parent=p.get("parent"),
            aliases=tuple(n for n, _ in aliases),
            alias_langs=tuple(aliases),
            source=p.get("source", ""),
            country=p.get("country", ""),
            approximate=p.get("source", "").startswith("approx"),
            ends=tuple(p.get("ends", [])),
        ))
    return out


@cache
def curated_gazetteer() -> Gazetteer:
    """The curated regional layer alone (no index to build)."""
    return Gazetteer.from_places(load_curated())


@cache
def default_gazetteer() -> Gazetteer:
    """All three layers; the base index is built on first use and cached (see `docket gazetteer build`)."""
    from docket.gazetteer.layers import load_layers

    return Gazetteer.from_places(load_curated(), load_layers())
