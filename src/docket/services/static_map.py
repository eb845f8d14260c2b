"""A map drawn once, as inline SVG: the places of a dossier's claims over the country borders of
world-atlas (Natural Earth, the basemap the place page's Leaflet map draws), for a file that must stay
self-contained, print, and run no script.

world-atlas ships TopoJSON: every border is an arc stored once and shared by the two countries on
either side; a country's ring lists the indexes of its arcs (~i is arc i walked backwards). A
quantized topology stores each arc's first position as integers and every next one as the difference
from the last, so a position is the running sum, scaled and translated by the topology's `transform`.
The decoding is done here (a few dozen lines) rather than with a library: nothing else needs one.

The projection is equirectangular around the markers: longitude scaled by the cosine of the middle
latitude (so a district keeps its shape), fitted to the markers' bounding box with a margin, then
widened to the frame's proportions. Borders are clipped to the frame before they are written, so that
a dossier of one district does not carry the whole outline of every neighbouring country."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from docket.npm import BASEMAP, node_modules

WIDTH, HEIGHT = 700, 420  # the frame, in SVG user units (the page scales it to its width)
TONES = 5  # muted fills (tone-0 … tone-4 in dossier.css); no two neighbours shown share one
LABELS = 40  # place names written at most; every marker is drawn
MIN_SPAN = 1.0  # degrees of latitude shown at least, so that one village still has a context
MARGIN = 0.15  # of the markers' extent, on every side

Ring = list[tuple[float, float]]  # (lon, lat), closed implicitly


@dataclass
class Country:
    id: str
    name: str
    rings: list[Ring]  # outer rings and holes alike: drawn with the even-odd rule
    boxes: list[tuple[float, float, float, float]]  # each ring's (west, south, east, north)
    arcs: frozenset[int] = frozenset()  # the arcs of its borders: two countries sharing one are neighbours


def decode_topology(topo: dict, name: str = "countries") -> list[Country]:
    """The countries of a TopoJSON topology's object `name`, their arcs stitched into rings."""
    t = topo.get("transform")
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        if t:  # quantized: delta-encoded integers
            (sx, sy), (tx, ty) = t["scale"], t["translate"]
            x = y = 0
            points = []
            for p in arc:
                x, y = x + p[0], y + p[1]
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)  # an arc starts where the last one ended
        return out

    countries = []
    for g in topo["objects"][name]["geometries"]:
        polygons = {"Polygon": [g.get("arcs", [])], "MultiPolygon": g.get("arcs", [])}.get(g.get("type"), [])
        rings = [r for polygon in polygons for indexes in polygon if len(r := ring(indexes)) >= 3]
        boxes = [(min(x for x, _ in r), min(y for _, y in r), max(x for x, _ in r), max(y for _, y in r))
                 for r in rings]
        used = frozenset(i if i >= 0 else ~i for polygon in polygons for indexes in polygon for i in indexes)
        countries.append(Country(str(g.get("id", "")), str((g.get("properties") or {}).get("name", "")), rings, boxes,
                                 used))
    return countries


@cache
def _atlas(path: str, mtime: float) -> list[Country]:
    with open(path, encoding="utf-8") as f:
        return decode_topology(json.load(f))


def atlas(path: Path | None = None) -> tuple[list[Country] | None, str]:
    """The countries of world-atlas (read once per process), or None and why not."""
    if path is None:
        modules = node_modules()
        if modules is None or not (modules / BASEMAP).is_file():
            return None, "Country borders need the npm package world-atlas: run `npm install` in Docket's folder."
        path = modules / BASEMAP
    try:
        return _atlas(str(path), path.stat().st_mtime), ""
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        return None, f"Country borders could not be read from {path} ({type(e).__name__}); markers only."


@dataclass
class View:
    """An equirectangular frame: the degrees it shows and how they map onto WIDTH x HEIGHT."""

    west: float
    south: float
    east: float
    north: float
    k: float  # SVG units per degree of latitude
    cos: float  # a degree of longitude is `cos` degrees of latitude long here

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.cos * self.k, (self.north - lat) * self.k


def fit(points: list[tuple[float, float]]) -> View:
    """The view of (lon, lat) points: their box with a margin, widened to the frame's proportions."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    mid = (min(lats) + max(lats)) / 2
    cos = max(math.cos(math.radians(mid)), 0.1)
    # sizes in "latitude degrees": a longitude span counts cos times its degrees
    w, h = (max(lons) - min(lons)) * cos, max(lats) - min(lats)
    pad = max(max(w, h) * MARGIN, MIN_SPAN / 2)
    w, h = w + 2 * pad, h + 2 * pad
    if w / h < WIDTH / HEIGHT:
        w = h * WIDTH / HEIGHT
    else:
        h = w * HEIGHT / WIDTH
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_lon, half_lat = w / cos / 2, min(h / 2, 89.9)
    return View(cx - half_lon, max(cy - half_lat, -90), cx + half_lon, min(cy + half_lat, 90), HEIGHT / h, cos)


def clip(ring: Ring, west: float, south: float, east: float, north: float) -> Ring:
    """A ring cut to a rectangle (Sutherland-Hodgman: one pass per side). Where it leaves and comes
    back, the cut runs along the rectangle's side; the caller puts that side outside the frame."""
    def cut(points: Ring, inside, cross) -> Ring:
        out: Ring = []
        for i, p in enumerate(points):
            q = points[i - 1]
            if inside(p):
                if not inside(q):
                    out.append(cross(q, p))
                out.append(p)
            elif inside(q):
                out.append(cross(q, p))
        return out

    def at_x(x):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    for inside, cross in ((lambda p: p[0] >= west, at_x(west)), (lambda p: p[0] <= east, at_x(east)),
                          (lambda p: p[1] >= south, at_y(south)), (lambda p: p[1] <= north, at_y(north))):
        ring = cut(ring, inside, cross)
        if not ring:
            break
    return ring


def _tones(countries: list[Country]) -> dict[tuple[str, str], int]:
    """A fill for each country shown, none the same as a neighbour's where five allow it (greedy, the
    most-bordered first; a map of a few countries never needs more)."""
    def touching(a: Country, b: Country) -> bool:
        return a is not b and not a.arcs.isdisjoint(b.arcs)

    order = sorted(countries, key=lambda c: (-sum(touching(c, o) for o in countries), c.id, c.name))
    out: dict[tuple[str, str], int] = {}
    for c in order:
        near = {out[o.id, o.name] for o in countries if (o.id, o.name) in out and touching(c, o)}
        out[c.id, c.name] = next((t for t in range(TONES) if t not in near), 0)
    return out


def _project(view: View, rings: list[Ring]) -> list[list[tuple[float, float]]]:
    """Rings in SVG units, to a tenth of a unit; a point within half a unit of the last one kept is
    dropped (a border seen from far off is a few points, not Natural Earth's thousands)."""
    out = []
    west, north, f = view.west, view.north, view.k
    fx = view.cos * f
    for r in rings:
        points: list[tuple[float, float]] = []
        lx = ly = -1e9
        for lon, lat in r:
            x, y = (lon - west) * fx, (north - lat) * f
            if abs(x - lx) + abs(y - ly) >= 0.5:
                lx, ly = x, y
                points.append((round(x, 1), round(y, 1)))
        if len(points) >= 3:
            out.append(points)
    return out


def _path(rings: list[list[tuple[float, float]]]) -> str:
    return "".join("M" + "L".join(f"{x:g},{y:g}" for x, y in r) + "Z" for r in rings)


def _step(span: float) -> float:
    """A graticule step giving a few lines over `span` degrees: 0.1, 0.2, 0.5, 1, 2, 5, 10 …"""
    for s in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 45, 90):
        if span / s <= 6:
            return s
    return 90


def map_svg(markers: list[dict], atlas_path: Path | None = None) -> Markup:
    """A <figure> with the inline SVG map of `markers` (dicts with label, lat, lon, and `main` for the
    dossier's own place) and a caption; borders from world-atlas where it is installed, else a frame
    and a one-line note. Every text in it is escaped."""
    points = [m for m in markers if m.get("lat") is not None and m.get("lon") is not None]
    if not points:
        return Markup('<figure class="map" id="map-figure"><figcaption>No place of these claims has '
                      "coordinates: nothing to map.</figcaption></figure>")
    view = fit([(m["lon"], m["lat"]) for m in points])
    countries, note = atlas(atlas_path)
    out = [f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" role="img" '
           f'aria-labelledby="map-title"><title id="map-title">Places named by the claims</title>',
           f'<rect class="sea" x="0" y="0" width="{WIDTH}" height="{HEIGHT}"/>']
    shapes, names, taken = [], [], []
    if countries:
        # cut a little outside the frame, so the cuts' own edges are never seen
        dx, dy = (view.east - view.west) * 0.02, (view.north - view.south) * 0.02
        box = (view.west - dx, view.south - dy, view.east + dx, view.north + dy)
        for c in countries:
            rings = _project(view, [r if w >= box[0] and e <= box[2] and s >= box[1] and n <= box[3]  # all inside
                                    else clip(r, *box)
                                    for r, (w, s, e, n) in zip(c.rings, c.boxes, strict=True)
                                    if w <= box[2] and e >= box[0] and s <= box[3] and n >= box[1]])
            if rings:
                shapes.append((c, rings))
    tones = _tones([c for c, _ in shapes])
    shapes = [(c, rings, f'<path class="country tone-{tones[c.id, c.name]}" data-country="{escape(c.name)}" '
                         f'd="{_path(rings)}"/>') for c, rings in shapes]
    markers = _markers(view, points, taken)
    for c, rings, _ in shapes:
        names.append(_country_label(c.name, rings, taken))
    out.append('<g class="countries">' + "".join(path for _, _, path in shapes) + "</g>")
    out.append(_graticule(view))
    out.append('<g class="country-names">' + "".join(names) + "</g>")
    out.append(markers)
    out.append(f'<rect class="frame" x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}"/></svg>')
    drawn = len(shapes)
    caption = (f"{len(points)} place{'s' if len(points) != 1 else ''} named by the claims; "
               f"{abs(view.south):.2f}°{'S' if view.south < 0 else 'N'} to {abs(view.north):.2f}°"
               f"{'S' if view.north < 0 else 'N'}, {abs(view.west):.2f}°{'W' if view.west < 0 else 'E'} to "
               f"{abs(view.east):.2f}°{'W' if view.east < 0 else 'E'}, equirectangular. ")
    caption += "Borders: Natural Earth (world-atlas), as that source draws them." if countries \
        else note
    return Markup(f'<figure class="map" id="map-figure" data-countries="{drawn}">' + "".join(out)
                  + f"<figcaption>{escape(caption)}</figcaption></figure>")


def _graticule(view: View) -> str:
    step = _step(max(view.north - view.south, view.east - view.west))
    lines = []
    lat = math.ceil(view.south / step) * step
    while lat < view.north:
        _, y = view.xy(view.west, lat)
        lines.append(f'<path class="graticule" d="M0,{y:.1f}H{WIDTH}"/>'
                     f'<text class="degree" x="4" y="{y - 3:.1f}">{_deg(lat, "N", "S")}</text>')
        lat += step
    lon = math.ceil(view.west / step) * step
    while lon < view.east:
        x, _ = view.xy(lon, view.north)
        lines.append(f'<path class="graticule" d="M{x:.1f},0V{HEIGHT}"/>'
                     f'<text class="degree" x="{x + 3:.1f}" y="{HEIGHT - 5}">{_deg(lon, "E", "W")}</text>')
        lon += step
    return '<g class="graticules">' + "".join(lines) + "</g>"


def _deg(v: float, pos: str, neg: str) -> str:
    v = round(v, 2)
    return f"{abs(v):g}°{pos if v >= 0 else neg}"


def _groups(points: list[dict]) -> list[dict]:
    """Markers at one point (a castle given its district's coordinates, a mine and its village) drawn
    as one, labelled with the first name and how many more; the dossier's own place first."""
    groups: dict[tuple[float, float], list[dict]] = {}
    for m in sorted(points, key=lambda m: not m.get("main")):
        groups.setdefault((round(m["lon"], 4), round(m["lat"], 4)), []).append(m)
    out = []
    for (lon, lat), ms in groups.items():
        names = [str(m.get("label") or "") for m in ms]
        label = names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")
        out.append({"lon": lon, "lat": lat, "label": label, "names": names, "main": any(m.get("main") for m in ms)})
    return out


def _overlaps(box, taken) -> bool:
    return box[0] < 0 or box[2] > WIDTH or box[1] < 0 or box[3] > HEIGHT or \
        any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)


def _text_box(text: str, size: float = 11) -> tuple[float, float]:
    return 0.58 * size * len(text) + 4, size + 3  # about a label's box in the style sheet's sans serif


def _markers(view: View, points: list[dict], taken: list) -> str:
    """Every marker, the dossier's own place on top; a label beside each (right, left, above or
    below) where it overlaps no label already written, the own place's first."""
    groups = _groups(points)
    dots, labels = [], []
    for g in sorted(groups, key=lambda g: g["main"]):
        x, y = view.xy(g["lon"], g["lat"])
        main = " marker-main" if g["main"] else ""
        taken.append((x - 5, y - 5, x + 5, y + 5))
        dots.append(f'<circle class="marker{main}" cx="{x:.1f}" cy="{y:.1f}" r="{6 if main else 4}">'
                    f"<title>{escape(', '.join(g['names']))}</title></circle>")
    for g in groups:
        if len(labels) >= LABELS:
            break
        x, y = view.xy(g["lon"], g["lat"])
        w, h = _text_box(g["label"])
        for left, top, anchor, tx, ty in ((x + 8, y - h / 2, "start", x + 8, y + 4),
                                          (x - 8 - w, y - h / 2, "end", x - 8, y + 4),
                                          (x - w / 2, y - 8 - h, "middle", x, y - 11),
                                          (x - w / 2, y + 8, "middle", x, y + 8 + h - 4)):
            box = (left, top, left + w, top + h)
            if not _overlaps(box, taken):
                taken.append(box)
                main = " label-main" if g["main"] else ""
                labels.append(f'<text class="label{main}" x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">'
                              f"{escape(g['label'])}</text>")
                break
    return '<g class="markers">' + "".join(dots) + '</g><g class="labels">' + "".join(labels) + "</g>"


def _inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd: inside when a ray from the point crosses the rings' edges an odd number of times."""
    n = 0
    for r in rings:
        for i, (bx, by) in enumerate(r):
            ax, ay = r[i - 1]
            if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
                n += 1
    return n % 2 == 1


def _country_label(name: str, rings: list[list[tuple[float, float]]], taken: list) -> str:
    """A country's name inside the part of it the frame shows: the point of a coarse grid over its
    largest visible ring that lies inside it nearest that ring's middle, if its name fits there."""
    def area(r):
        return abs(sum(r[i - 1][0] * p[1] - p[0] * r[i - 1][1] for i, p in enumerate(r))) / 2

    big = max(rings, key=area)
    w, h = _text_box(name.upper(), 10)
    if area(big) < w * h * 2:
        return ""
    xs, ys = [p[0] for p in big], [p[1] for p in big]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    grid = [(min(xs) + (max(xs) - min(xs)) * i / 8, min(ys) + (max(ys) - min(ys)) * j / 8)
            for i in range(1, 8) for j in range(1, 8)]
    for x, y in sorted(grid, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2):
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if _inside(x, y, rings) and not _overlaps(box, taken) and \
                all(_inside(bx, by, rings) for bx, by in ((box[0], box[1]), (box[2], box[1]),
                                                          (box[0], box[3]), (box[2], box[3]))):
            taken.append(box)
            return f'<text class="country-name" x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle">{escape(name)}</text>'
    return ""
