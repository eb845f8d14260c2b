"""A compact, memory-mapped index of places: built once from records, loaded in milliseconds.

Names go into a marisa-trie (folded name -> place number and name kind), which is memory-mapped, so
loading costs nothing and a lookup is a few microseconds; the places' numbers (coordinates,
population, feature, parent) are flat arrays; their strings a small JSON file. A Python dict of the
1.5 million names would take seconds to load and hundreds of megabytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import marisa_trie

from docket.gazetteer.records import FEATURES, NAME_KINDS, Record
from docket.gazetteer.text import fold

FORMAT = 2
_FEATURE_NO = {f: i for i, f in enumerate(FEATURES)}


@dataclass(frozen=True)
class Entry:
    """One place as the index holds it."""

    number: int
    gid: str
    name: str
    feature: str
    lat: float | None
    lon: float | None
    country: str
    admin1: str
    population: int
    geonames_id: int | None
    parent: str | None
    source: str
    capital: bool = False


class PlaceIndex:
    def __init__(self, folder: Path):
        self.folder = folder
        self.names = marisa_trie.RecordTrie("<IB").mmap(str(folder / "names.marisa"))
        self.aliases = marisa_trie.Trie().mmap(str(folder / "aliases.marisa"))
        strings = json.loads((folder / "strings.json").read_text(encoding="utf-8"))
        self.gids: list[str] = strings["gids"]
        self.labels: list[str] = strings["names"]
        self.countries: list[str] = strings["countries"]
        self.admin1s: list[str] = strings["admin1s"]
        self.sources: list[str] = strings["sources"]
        self.meta: dict = strings["meta"]
        self.outside = {int(k): v for k, v in strings.get("outside", {}).items()}  # parents in another layer
        self.number = {g: i for i, g in enumerate(self.gids)}
        arrays = {}
        for name, code in (("lat", "d"), ("lon", "d"), ("population", "Q"), ("feature", "B"), ("geonames", "Q"),
                           ("parent", "i"), ("country", "H"), ("admin1", "I"), ("source", "H"), ("capital", "B")):
            a = array(code)
            with open(folder / f"{name}.arr", "rb") as f:
                a.frombytes(f.read())
            arrays[name] = a
        self.a = arrays
        self._children: dict[int, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.gids)

    def lookup(self, key: str) -> list[tuple[int, int]]:
        """(place number, name kind) for a folded name."""
        if not key or "\x00" in key:
            return []
        return self.names.get(key, [])

    def has_prefix(self, key: str) -> bool:
        if "\x00" in key:
            return False
        return next(self.names.iterkeys(key), None) is not None

    def prefixed(self, key: str, limit: int = 200) -> list[str]:
        out: list[str] = []
        if "\x00" in key:
            return out
        for k in self.names.iterkeys(key):
            out.append(k)
            if len(out) >= limit:
                break
        return out

    def entry(self, i: int) -> Entry:
        a = self.a
        lat = a["lat"][i]
        parent = a["parent"][i]
        gn = a["geonames"][i]
        return Entry(
            number=i, gid=self.gids[i], name=self.labels[i], feature=FEATURES[a["feature"][i]],
            lat=None if lat != lat else lat, lon=None if lat != lat else a["lon"][i],
            country=self.countries[a["country"][i]], admin1=self.admin1s[a["admin1"][i]],
            population=a["population"][i], geonames_id=gn or None,
            parent=self.gids[parent] if parent >= 0 else self.outside.get(i), source=self.sources[a["source"][i]],
            capital=bool(a["capital"][i]),
        )

    def names_of(self, i: int) -> list[tuple[str, str]]:
        """Every name of a place, with its kind: [("Kəlbəcər", "canonical"), ("Kelbajar", "alias"), …]."""
        out = []
        for key in self.aliases.iterkeys(f"{i}\t"):
            _, kind, name = key.split("\t", 2)
            out.append((name, NAME_KINDS[int(kind)]))
        return out

    def children(self, i: int) -> list[int]:
        """Places whose parent is place i (the reverse of the parent array, built on first use)."""
        if self._children is None:
            kids: dict[int, list[int]] = {}
            for j, p in enumerate(self.a["parent"]):
                if p >= 0:
                    kids.setdefault(p, []).append(j)
            self._children = kids
        return self._children.get(i, [])


def build_index(records: Iterable[Record], folder: Path, meta: dict, progress=None) -> PlaceIndex:
    """Write an index of `records` into `folder` (atomically: a half-built index never replaces one)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        recs = list(records)
        order: dict[str, int] = {}
        kept: list[Record] = []
        for r in recs:  # a later record with the same id replaces an earlier one
            if r.gid in order:
                kept[order[r.gid]] = r
            else:
                order[r.gid] = len(kept)
                kept.append(r)
        tables: dict[str, dict[str, int]] = {"countries": {}, "admin1s": {}, "sources": {}}

        def code(table: str, value: str) -> int:
            t = tables[table]
            return t.setdefault(value or "", len(t))

        arrays = {name: array(c) for name, c in (("lat", "d"), ("lon", "d"), ("population", "Q"), ("feature", "B"),
                                                   ("geonames", "Q"), ("parent", "i"), ("country", "H"),
                                                   ("admin1", "I"), ("source", "H"), ("capital", "B"))}
        name_items: list[tuple[str, tuple[int, int]]] = []
        alias_keys: list[str] = []
        fold_cache: dict[str, str] = {}
        outside: dict[int, str] = {}
        for i, r in enumerate(kept):
            if r.parent and r.parent not in order:
                outside[i] = r.parent
            arrays["lat"].append(r.lat if r.lat is not None else float("nan"))
            arrays["lon"].append(r.lon if r.lon is not None else float("nan"))
            arrays["population"].append(max(0, r.population))
            arrays["feature"].append(_FEATURE_NO.get(r.feature, _FEATURE_NO["site"]))
            arrays["geonames"].append(r.geonames_id or 0)
            arrays["parent"].append(order.get(r.parent, -1) if r.parent else -1)
            arrays["country"].append(code("countries", r.country))
            arrays["admin1"].append(code("admin1s", r.admin1))
            arrays["source"].append(code("sources", r.source))
            arrays["capital"].append(1 if r.capital else 0)
            seen = set()
            for name, kind in r.all_names():
                key = fold_cache.get(name)
                if key is None:
                    key = fold_cache[name] = fold(name)
                if key and (key, kind) not in seen:
                    seen.add((key, kind))
                    name_items.append((key, (i, kind)))
                alias_keys.append(f"{i}\t{kind}\t{name}")
            if progress and i % 20000 == 0:
                progress(i, len(kept))
        marisa_trie.RecordTrie("<IB", name_items).save(str(tmp / "names.marisa"))
        marisa_trie.Trie(alias_keys).save(str(tmp / "aliases.marisa"))
        for name, a in arrays.items():
            with open(tmp / f"{name}.arr", "wb") as f:
                a.tofile(f)
        strings = {
            "format": FORMAT, "meta": meta, "gids": [r.gid for r in kept], "names": [r.name for r in kept],
            "outside": outside,
            **{t: list(v) for t, v in tables.items()},
        }
        (tmp / "strings.json").write_text(json.dumps(strings, ensure_ascii=False), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PlaceIndex(folder)
