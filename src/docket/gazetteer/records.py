"""The unit every gazetteer layer is built from: one place with its names, before it is indexed."""

from __future__ import annotations

from dataclasses import dataclass, field

# how a name belongs to a place; a demonym ("Armenian") names a country in the geocoder's eyes but
# never makes a claim's place by itself ("Armenian armed forces" did not act in Armenia)
CANONICAL, ALIAS, DEMONYM, ABBREVIATION = 0, 1, 2, 3
NAME_KINDS = ("canonical", "alias", "demonym", "abbreviation")

# feature types, coarse to fine; the index stores the position in this tuple
FEATURES = (
    "continent", "country", "region", "district", "city", "town", "village", "neighbourhood", "line", "area",
    "monastery", "church", "mosque", "castle", "bridge", "mine", "deposit", "road", "river", "lake", "mountain",
    "reservoir", "cemetery", "site", "landmark",
)
ADMIN_FEATURES = frozenset({"continent", "country", "region", "district"})
SETTLEMENT_FEATURES = frozenset({"city", "town", "village"})


@dataclass
class Record:
    gid: str  # "geonames:586047", or "docket:<slug>" where GeoNames has no entry
    name: str
    feature: str
    lat: float | None
    lon: float | None
    country: str = ""  # ISO 3166-1 alpha-2
    admin1: str = ""  # GeoNames admin1 key, "AZ.26"
    admin2: str = ""  # GeoNames admin2 key, "US.LA.079"
    iso: str = ""  # ISO 3166-2 code of a division, "AZ-KAL"
    population: int = 0
    geonames_id: int | None = None
    parent: str | None = None  # gid of the enclosing place, when known directly
    names: list[tuple[str, int]] = field(default_factory=list)  # (name, CANONICAL/ALIAS/DEMONYM/ABBREVIATION)
    source: str = ""
    capital: bool = False  # the seat of government of its country

    def all_names(self) -> list[tuple[str, int]]:
        return [(self.name, CANONICAL), *[(n, k) for n, k in self.names if n and n != self.name]]


def settlement_feature(population: int) -> str:
    """GeoNames' populated places carry no size class in the packages; population gives one."""
    if population >= 100_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"
