"""Places and all their names: a first cut over the curated regional layer (`places.toml`).

One place has one canonical name and every alias; matching folds case and accents (anyascii), so
"Kəlbəcər", "Kelbajar" and "Kalbajar district" all find the same entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from anyascii import anyascii

from docket.model import PlaceRef

SETTLEMENT_FEATURES = {"village", "town", "city"}


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


def fold(name: str) -> str:
    """Case- and accent-free form used to compare names ("Kəlbəcər" -> "kelbecer")."""
    return re.sub(r"\s+", " ", anyascii(name).lower().replace("’", "'")).strip()


@dataclass
class Gazetteer:
    places: dict[str, Place]
    by_name: dict[str, list[str]] = field(default_factory=dict)
    pattern: re.Pattern | None = None

    @classmethod
    def from_places(cls, places: list[Place]) -> Gazetteer:
        g = cls({p.id: p for p in places})
        names: set[str] = set()
        for p in places:
            for n in (p.name, *p.aliases):
                for form in {n, anyascii(n)}:
                    g.by_name.setdefault(fold(form), []).append(p.id)
                    names.add(form)
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # a trailing feature word stays part of the mention: "Vang village", "Kalbajar district"
        g.pattern = re.compile(
            rf"(?<![\w])(?P<name>{alternation})(?P<feature>\s+(?:district|region|rayon|village|town|city|province))?(?![\w])",
            re.I,
        )
        return g

    def lookup(self, name: str) -> list[Place]:
        return [self.places[i] for i in dict.fromkeys(self.by_name.get(fold(name), []))]

    def ancestors(self, place: Place) -> list[Place]:
        out = []
        seen = {place.id}
        while place.parent and place.parent in self.places and place.parent not in seen:
            place = self.places[place.parent]
            seen.add(place.id)
            out.append(place)
        return out

    def is_within(self, inner: Place, outer: Place) -> bool:
        return inner.id == outer.id or any(a.id == outer.id for a in self.ancestors(inner))

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """Place mentions in `text` (start, end, place); a name shared by several places is left out."""
        out = []
        for m in self.pattern.finditer(text):
            name = m.group("name")
            # capitalised use only: "line of contact" is the exception that is lower case by nature
            if name[0].islower() and not name.startswith("line of contact"):
                continue
            candidates = self.lookup(name)
            if len(candidates) != 1:
                continue
            out.append((m.start(), m.end(), candidates[0]))
        return out

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
        if ref.id and ref.id in self.places:
            p = self.places[ref.id]
            names |= {fold(a) for a in p.aliases}
        names |= {re.sub(r" (district|village|region|rayon|town)$", "", n) for n in list(names)}
        return g in names


@cache
def default_gazetteer() -> Gazetteer:
    data = tomllib.loads(resources.files("docket.gazetteer").joinpath("places.toml").read_text(encoding="utf-8"))
    places = [
        Place(
            id=p["id"],
            name=p["name"],
            feature=p["feature"],
            lat=p.get("lat"),
            lon=p.get("lon"),
            geonames_id=p.get("geonames_id"),
            parent=p.get("parent"),
            aliases=tuple(p.get("aliases", [])),
            source=p.get("source", ""),
        )
        for p in data["place"]
    ]
    return Gazetteer.from_places(places)
