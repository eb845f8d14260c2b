"""Reading GeoNames dumps: country and all-countries files (19 columns) and admin code files.

Format: https://download.geonames.org/export/dump/readme.txt (geonameid, name, asciiname,
alternatenames, latitude, longitude, feature class, feature code, country code, cc2, admin1..4,
population, elevation, dem, timezone, modification date). Admin code files have four columns:
code ("AZ.26" or "AZ.26.123"), name, ASCII name, geonameid.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docket.errors import DocketError
from docket.gazetteer.records import ALIAS, Record, settlement_feature

# GeoNames feature codes to Docket's feature types (class default after the specific codes)
_CODES = {
    "PCLI": "country", "PCLD": "country", "PCLF": "country", "PCLS": "country", "PCLIX": "country", "PCL": "country",
    "ADM1": "region", "ADM1H": "region", "ADM2": "district", "ADM2H": "district", "ADM3": "district",
    "ADM4": "district", "PPLX": "neighbourhood", "MSTY": "monastery", "CH": "church", "MSQE": "mosque",
    "CSTL": "castle", "BDG": "bridge", "MN": "mine", "MNAU": "mine", "MNCU": "mine", "MNN": "mine", "MNQR": "mine",
    "RD": "road", "RDA": "road", "STM": "river", "STMI": "river", "LK": "lake", "RSV": "reservoir", "MT": "mountain",
    "MTS": "mountain", "PK": "mountain", "CMTY": "cemetery", "RUIN": "site", "ANS": "site", "HSTS": "site",
}
_CLASSES = {"A": "district", "H": "river", "L": "area", "R": "road", "S": "landmark", "T": "mountain", "U": "area",
            "V": "area"}


def _lines(path: Path):
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            member = next((n for n in z.namelist() if n.endswith(".txt") and "readme" not in n.lower()), None)
            if member is None:
                raise DocketError(f"{path}: no .txt member in the zip file")
            with z.open(member) as f:
                yield from io.TextIOWrapper(f, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            yield from f


def _feature(fclass: str, fcode: str, population: int) -> str:
    if fclass == "P":
        return "neighbourhood" if fcode == "PPLX" else settlement_feature(population)
    return _CODES.get(fcode) or _CLASSES.get(fclass, "site")


def read_geonames(path: Path, base_index=None) -> list[Record]:
    """Records of a GeoNames file; parents from its own admin rows, else from the base layer."""
    rows = []
    admin_rows = []
    try:
        for n, line in enumerate(_lines(path), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 19:
                rows.append(cols)
            elif len(cols) == 4 and "." in cols[0] and cols[3].strip().isdigit():
                admin_rows.append(cols)
            else:
                raise DocketError(f"{path}:{n}: not a GeoNames line ({len(cols)} tab-separated columns)")
    except UnicodeDecodeError as e:
        raise DocketError(f"{path}: not UTF-8 text ({e.reason})") from e
    except zipfile.BadZipFile as e:
        raise DocketError(f"{path}: not a readable zip file") from e

    # admin keys -> gid, from this file's ADM rows, then from the base layer's regions
    admin_gid: dict[str, str] = {}
    if base_index is not None:
        for i in range(len(base_index)):
            if base_index.a["feature"][i] in (2, 3):  # region, district
                e = base_index.entry(i)
                if e.feature == "region" and e.admin1:
                    admin_gid.setdefault(e.admin1, e.gid)
    country_gid: dict[str, str] = {}
    if base_index is not None:
        for i in range(len(base_index)):
            if base_index.a["feature"][i] == 1:
                e = base_index.entry(i)
                country_gid[e.country] = e.gid
    for cols in rows:
        fcode, cc, a1, a2 = cols[7], cols[8], cols[10], cols[11]
        if fcode in ("ADM1", "ADM2"):
            key = f"{cc}.{a1}" if fcode == "ADM1" else f"{cc}.{a1}.{a2}"
            admin_gid[key] = f"geonames:{cols[0]}"

    out: list[Record] = []
    for cols in rows:
        try:
            gid, lat, lon, pop = int(cols[0]), float(cols[4]), float(cols[5]), int(cols[14] or 0)
        except ValueError as e:
            raise DocketError(f"{path}: a row with a bad number: {cols[0]!r} ({e})") from e
        fclass, fcode, cc, a1, a2 = cols[6], cols[7], cols[8], cols[10], cols[11]
        feature = _feature(fclass, fcode, pop)
        if feature == "country":
            parent = None
        elif fcode == "ADM1":
            parent = country_gid.get(cc)
        else:
            parent = (admin_gid.get(f"{cc}.{a1}.{a2}") if a2 and fcode != "ADM2" else None) or admin_gid.get(f"{cc}.{a1}") or country_gid.get(cc)
        names = [(n, ALIAS) for n in cols[3].split(",") if n] + ([(cols[2], ALIAS)] if cols[2] != cols[1] else [])
        out.append(Record(
            gid=f"geonames:{gid}", name=cols[1], feature=feature, lat=lat, lon=lon, country=cc,
            admin1=f"{cc}.{a1}" if a1 else "", population=pop, geonames_id=gid, parent=parent, names=names,
            source=f"GeoNames import ({path.name})",
        ))
    for code, name, ascii_name, gid in admin_rows:
        # an admin code file names divisions; where the base layer has the place, its point is reused
        if base_index is None:
            continue
        number = base_index.number.get(f"geonames:{gid.strip()}")
        if number is None:
            continue
        e = base_index.entry(number)
        cc = code.split(".")[0]
        out.append(Record(
            gid=e.gid, name=e.name, feature=e.feature, lat=e.lat, lon=e.lon, country=cc, admin1=e.admin1,
            population=e.population, geonames_id=e.geonames_id, parent=e.parent,
            names=[(n, ALIAS) for n in (name, ascii_name) if n and n != e.name], source=f"{e.source}; GeoNames import ({path.name})",
        ))
    return out
