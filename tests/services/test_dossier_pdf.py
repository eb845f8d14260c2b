"""`docket dossier PLACE --format pdf`: the dossier of the founding press release's district printed by
Debian's Chromium through Playwright, then read back as a reader gets it: its text layer with
`pdftotext` (every figure, every document's full SHA-256) and its pages as images with `pdftoppm`
(A4, not blank, the contradiction and its evidence on the pages that hold them). Also the inline SVG
map the dossier draws, with world-atlas's borders and without them, and the message when Chromium or
Playwright is missing."""

import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from importlib.util import find_spec

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.services.static_map import _inside
from tests.conftest import PRESS_RELEASE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POPPLER = bool(shutil.which("pdftoppm") and shutil.which("pdftotext"))
needs_printing = pytest.mark.skipif(
    CHROMIUM is None or find_spec("playwright") is None or not POPPLER,
    reason="printing needs Debian's chromium and Playwright, reading it back poppler-utils (.ci/run installs them)")


def _world_atlas() -> bool:
    from docket.npm import BASEMAP, node_modules

    modules = node_modules()
    return modules is not None and (modules / BASEMAP).is_file()


def folded(text: str) -> str:
    return " ".join(text.split())


def pdftotext(pdf, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The founding press release and the examples written about its events, in a fresh store."""
    if not PRESS_RELEASE.exists():
        pytest.skip("../shared (the founding press release) is not present")
    db = tmp_path_factory.mktemp("pdf-store") / "d.db"
    with resources.as_file(resources.files("docket").joinpath("examples")) as examples:
        r = CliRunner().invoke(main, ["ingest", str(PRESS_RELEASE), str(examples), "--db", str(db)])
    assert r.exit_code == 0, r.output
    data = json.loads(CliRunner().invoke(main, ["dossier", "Kalbajar", "--db", str(db), "--format", "json"]).output)
    return db, data


@pytest.fixture(scope="module")
def printed(store, tmp_path_factory):
    """(the PDF, its pages as PNG files at 50 dpi, the dossier as JSON)."""
    if CHROMIUM is None or find_spec("playwright") is None or not POPPLER:
        pytest.skip("printing needs Debian's chromium and Playwright, reading it back poppler-utils")
    db, data = store
    out = tmp_path_factory.mktemp("pdf")
    r = CliRunner().invoke(main, ["dossier", "Kalbajar", "--db", str(db), "--out-dir", str(out), "--format", "pdf"])
    assert r.exit_code == 0, r.output
    pdf = out / "dossier-kalbajar.pdf"
    assert f"wrote {pdf}" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["dossier-kalbajar.pdf"]  # the PDF alone
    images = out / "pages"
    images.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(images / "page")], check=True)
    return pdf, sorted(images.glob("page-*.png")), data


@needs_printing
def test_the_text_layer_holds_every_figure_and_every_hash(printed):
    pdf, _, data = printed
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = folded(pdftotext(pdf))
    figures = {f["figure"] for k in data["clusters"] for f in k["figures"] if f["figure"]}
    assert {"511", "320", "at least 500", "around 60,000", "more than 110", "around 60"} <= figures
    assert [f for f in figures if f not in text] == []
    shas = [d["sha256"] for d in data["documents"]]
    assert len(shas) >= 5 and all(len(s) == 64 for s in shas)
    assert [s for s in shas if s not in text] == []  # whole, never cut across two lines
    assert data["chain_head"]["hash"] in text
    for e in data["evidence"]:  # every figure's evidence names its document in full, and where in it
        assert f"document {e['document']['sha256']}, characters" in text
    # the incidents with their flags and reasons, the timeline, the map's places and countries
    reasons = [r for k in data["clusters"] for r in k["reasons"]]
    assert reasons and [r for r in reasons if folded(r) not in text] == []
    assert "Timeline" in text and "Evidence for every figure" in text and "Map" in text
    assert "Kalbajar and" in text and "Vardenis" in text
    if _world_atlas():
        assert "Azerbaijan" in text and "Armenia" in text and "Natural Earth" in text


@needs_printing
def test_the_pages_are_a4_and_none_is_blank(printed):
    from PIL import Image

    pdf, pages, _ = printed
    assert len(pages) >= 3
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.M) and "(A4)" in info
    for i, path in enumerate(pages, 1):
        with Image.open(path) as im:
            w, h = im.size
            assert abs(w - 8.27 * 50) <= 2 and abs(h - 11.69 * 50) <= 2, (path.name, im.size)  # A4 at 50 dpi
            assert abs(h / w - 297 / 210) < 0.01
            grey = im.convert("L")
            inked = sum(1 for v in grey.tobytes() if v < 200)
            assert inked > 200, f"page {i} is blank"
        # every page numbered in its footer
        assert f"page {i} of {len(pages)}" in folded(pdftotext(pdf, i))


def _page_with(pdf, pages, *needles: str) -> int:
    for i in range(1, len(pages) + 1):
        text = folded(pdftotext(pdf, i))
        if all(n in text for n in needles):
            return i
    raise AssertionError(f"no page holds {needles}")


def _pixels_like(path, rgb: tuple[int, int, int], tolerance: int = 6) -> int:
    from PIL import Image

    with Image.open(path) as im:
        data = im.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if abs(data[i] - rgb[0]) <= tolerance and abs(data[i + 1] - rgb[1]) <= tolerance
               and abs(data[i + 2] - rgb[2]) <= tolerance)


@needs_printing
def test_the_contradiction_shows_with_its_evidence(printed):
    pdf, pages, data = printed
    killing = next(k for k in data["clusters"] if k["kind"] == "killing" and k["flag"] == "contradiction")
    reason = next(r for r in killing["reasons"] if "320" in r and "511" in r)
    n = _page_with(pdf, pages, folded(reason))
    text = folded(pdftotext(pdf, n))
    assert "killing" in text and "contradiction" in text  # the incident and its flag
    # its accounts, each quoted with its source and date, on the same page
    assert "511 innocent civilians were killed" in text and "320 civilians were killed in the Kelbadjar district" in text
    assert "Ministry of Foreign Affairs of Azerbaijan" in text and "2018-04-02" in text
    assert _pixels_like(pages[n - 1], (255, 247, 246), 3) > 500  # the contradiction's tinted box is drawn
    # its evidence: the quote in its sentence, the spaces around it kept, the claim's characters marked
    evidence = next(e for e in data["evidence"] if e["quote"] == "511 innocent civilians were killed")
    a, b = next(c["span"] for k in data["clusters"] for c in k["claims"] if c["id"] == evidence["claim"])
    m = _page_with(pdf, pages, f"{evidence['document']['sha256']}, characters {a}–{b}")
    page = folded(pdftotext(pdf, m))
    assert folded(evidence["context"]) in page
    assert "expelled from their native lands, 511 innocent civilians were killed, 321 persons" in page
    assert _pixels_like(pages[m - 1], (255, 241, 184), 8) > 100  # the quote's highlight is drawn


@needs_printing
def test_the_map_page_shows_borders_and_markers(printed):
    pdf, pages, _ = printed
    n = _page_with(pdf, pages, "places named by the claims")
    assert _pixels_like(pages[n - 1], (31, 78, 140), 40) > 5  # the dossier's own place: the blue marker
    assert _pixels_like(pages[n - 1], (192, 57, 43), 40) > 10  # the places its claims name: red ones
    if _world_atlas():
        assert _pixels_like(pages[n - 1], (225, 232, 205), 4) + _pixels_like(pages[n - 1], (243, 236, 215), 4) > 2000


# ---------------------------------------------------------------- the map


def _rings(d: str) -> list[list[tuple[float, float]]]:
    return [[tuple(map(float, p.split(","))) for p in part.rstrip("Z").split("L")]
            for part in d.split("M") if part]




@pytest.mark.skipif(not _world_atlas(), reason="world-atlas is not installed (`npm install` puts it in node_modules)")
def test_the_html_map_draws_borders_with_the_markers_in_their_countries(store):
    from docket.gazetteer import default_gazetteer
    from docket.services.dossier import build_dossier, render_html
    from docket.services.places import place_or_error
    from docket.store import open_store

    db, _ = store
    gaz = default_gazetteer()
    html = render_html(build_dossier(open_store(str(db), create=False), gaz, place_or_error(gaz, "Kalbajar")))
    svg = re.search(r'<svg class="map".*?</svg>', html, re.S).group(0)
    borders = dict(re.findall(r'<path class="country tone-\d" data-country="([^"]+)" d="([^"]+)"/>', svg))
    assert {"Azerbaijan", "Armenia", "Iran"} <= set(borders)
    assert all(len(_rings(d)[0]) >= 3 for d in borders.values())
    assert sum(len(r) for r in _rings(borders["Azerbaijan"])) > 50  # a border, not a box
    main = re.search(r'<circle class="marker marker-main" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert _inside(float(main.group(1)), float(main.group(2)), _rings(borders["Azerbaijan"]))
    vardenis = re.search(r'<circle class="marker" cx="([\d.]+)" cy="([\d.]+)" r="4"><title>Vardenis</title>', svg)
    assert _inside(float(vardenis.group(1)), float(vardenis.group(2)), _rings(borders["Armenia"]))
    assert not _inside(float(vardenis.group(1)), float(vardenis.group(2)), _rings(borders["Azerbaijan"]))
    assert len(html) < 200_000  # the borders are cut to the frame, not every neighbour's whole outline
    assert "<script" not in html and " style=" not in html  # still nothing to run, no inline style


def test_without_world_atlas_the_map_is_its_markers_and_a_note(monkeypatch):
    from docket.services import static_map

    monkeypatch.setattr(static_map, "node_modules", lambda: None)
    figure = static_map.map_svg([{"id": "a", "label": "Lachin", "lat": 39.64, "lon": 46.55, "main": True},
                                 {"id": "b", "label": "<b>Shusha</b>", "lat": 39.76, "lon": 46.75}])
    assert '<path class="country' not in figure and figure.count("<circle") == 2
    assert "need the npm package world-atlas: run `npm install`" in figure
    assert "&lt;b&gt;Shusha&lt;/b&gt;" in figure and "<b>" not in figure
    assert 'data-countries="0"' in figure
    assert "nothing to map" in static_map.map_svg([{"id": "x", "label": "Nowhere", "lat": None, "lon": None}])


def test_a_broken_atlas_is_a_note_not_a_failure(tmp_path):
    from docket.services import static_map

    bad = tmp_path / "countries.json"
    bad.write_text("{not json", encoding="utf-8")
    figure = static_map.map_svg([{"id": "a", "label": "Lachin", "lat": 39.64, "lon": 46.55}], atlas_path=bad)
    assert "could not be read" in figure and figure.count("<circle") == 1


def test_topojson_arcs_are_decoded_and_stitched():
    """Two squares side by side sharing their middle edge, arc 1: the east square walks it as stored,
    the west one backwards (~1), as neighbours do. The topology is quantized: a position is the running
    sum of the deltas, scaled and translated."""
    from docket.services.static_map import clip, decode_topology

    topo = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
            "arcs": [[[2, 4], [-2, 0], [0, -4], [2, 0]],  # (2,4) → (0,4) → (0,0) → (2,0): the west square's outside
                     [[2, 4], [0, -4]],  # (2,4) → (2,0): the shared edge
                     [[2, 0], [2, 0], [0, 4], [-2, 0]]],  # (2,0) → (4,0) → (4,4) → (2,4)
            "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, ~1]], "id": "001", "properties": {"name": "West"}},
                {"type": "MultiPolygon", "arcs": [[[2, 1]]], "id": "002", "properties": {"name": "East"}},
                {"type": None, "id": "003"}]}}}
    west, east, empty = decode_topology(topo)
    assert (west.name, east.name, empty.rings) == ("West", "East", [])
    assert west.rings == [[(11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]]
    assert east.rings == [[(11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0), (11.0, 20.0)]]
    assert west.boxes == [(10.0, 20.0, 11.0, 21.0)] and west.arcs & east.arcs == {1}
    # a ring cut to a rectangle keeps what lies inside it
    cut = clip(east.rings[0], 11.5, 19, 13, 22)
    assert min(x for x, _ in cut) == 11.5 and max(x for x, _ in cut) == 12.0


def test_neighbours_never_share_a_fill():
    from docket.services.static_map import Country, _tones

    a, b, c = (Country("1", "A", [], [], frozenset({1, 2})), Country("2", "B", [], [], frozenset({2, 3})),
               Country("3", "C", [], [], frozenset({3, 1})))
    tones = _tones([a, b, c])
    assert len({tones["1", "A"], tones["2", "B"], tones["3", "C"]}) == 3


# ---------------------------------------------------------------- without Chromium or Playwright


@pytest.mark.parametrize("missing", ["chromium", "playwright", "DOCKET_CHROMIUM"])
def test_without_chromium_or_playwright_it_says_how_and_writes_nothing(missing, monkeypatch, tmp_path):
    from docket.services import dossier

    if missing == "chromium":
        monkeypatch.setattr(dossier, "chromium_path", lambda: None)
    elif missing == "playwright":
        monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # an import of it fails
    else:
        monkeypatch.setenv("DOCKET_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["dossier", "Kalbajar", "--db", str(tmp_path / "none.db"), "--out-dir", str(out),
                                  "--format", "pdf"])
    assert r.exit_code == 1, r.output
    assert "--format pdf needs Chromium and Playwright" in r.output
    assert "pip install 'docket[pdf]'" in r.output and "apt-get install chromium" in r.output
    if missing == "DOCKET_CHROMIUM":
        assert "no-such-chromium is not a program" in r.output
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert not out.exists()  # nothing written, not even the folder


def test_chromium_is_looked_up_on_the_path_or_in_docket_chromium(monkeypatch, tmp_path):
    from docket.services.dossier import chromium_path

    monkeypatch.delenv("DOCKET_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium_path() is None
    fake = tmp_path / "chromium-browser"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    assert chromium_path() == str(fake)
    monkeypatch.setenv("DOCKET_CHROMIUM", str(fake))
    assert chromium_path() == str(fake)
    monkeypatch.setenv("DOCKET_CHROMIUM", str(tmp_path / "nothing"))
    assert chromium_path() is None
