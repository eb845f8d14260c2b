"""The place page's map in headless Chromium with no tile server and no network: the countries drawn
from node_modules, the markers in the right countries, clustering, the time filter, the GeoJSON
download, and a configured tile server still used."""

import io
import json

import pytest

from docket import services
from tests.web.conftest import serving

AZERBAIJAN, ARMENIA = "geonames:587116", "geonames:174982"
TOVUZ, BERD, LACHIN, SHUSHA, AGDAM = "geonames:584861", "geonames:616802", "geonames:147626", "geonames:147163", "geonames:148617"
KALBAJAR, MINE, HEYVALY, FIZULI, VANG = "geonames:586047", "docket:gyzylbulag-mine", "docket:heyvaly", "geonames:148107", "docket:vang"
# no date in the document itself: the Agdam claim stays undated
TEXT = """A statement

Private property in Agdam was plundered.
Around 40 houses in Lachin were destroyed by the armed forces in May 1992.
In Shusha, 12 civilians were killed in 1992.
The village of Vang was shelled in 1993.
In Kalbajar more than 100 houses were destroyed in April 1993.
In July 2020 the armed forces shelled Tovuz and Berd.
Around 20 houses in Fuzuli were destroyed in 1993.
Since 2002 gold has been extracted at the Gyzylbulag mine.
"""
TILES = "http://tiles.docket.test/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def mapped(live, tmp_path_factory):
    _, app = live
    path = tmp_path_factory.mktemp("map") / "statement.txt"
    path.write_text(TEXT, encoding="utf-8")
    services.ingest_file(app.state.store, path)
    return live


@pytest.fixture
def offline(page, live):
    """The page, with every request that is not to the Docket server refused and listed; and the
    page's errors and console messages."""
    base, _ = live
    seen = {"outside": [], "errors": [], "console": []}

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            seen["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["console"].append(m.text))
    return page, seen


def open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#map[data-basemap-countries], #map[data-basemap-error]")
    assert page.get_attribute("#map", "data-basemap-error") is None
    assert page.get_attribute("#map", "data-tiles") == ""


def settle(page) -> None:
    """Wait for the map's zoom and clustering animations to end."""
    page.wait_for_timeout(100)
    page.wait_for_function("() => !document.querySelector('#map .leaflet-zoom-anim, #map .leaflet-cluster-anim')")


def shown(page) -> set[str]:
    """The places whose markers are drawn apart."""
    settle(page)
    return set(page.eval_on_selector_all("#map path[data-place]", "ms => ms.map(m => m.getAttribute('data-place'))"))


def clustered(page) -> int:
    """How many places the drawn clusters hold."""
    settle(page)
    return sum(page.eval_on_selector_all("#map .marker-cluster", "cs => cs.map(c => parseInt(c.textContent, 10))"))


# the countries whose drawn path holds each marker's centre, as the browser paints them
COUNTRIES_UNDER_MARKERS = """() => {
    const countries = [...document.querySelectorAll('#map path.basemap-country')];
    const out = {};
    for (const m of document.querySelectorAll('#map path[data-place]')) {
        const r = m.getBoundingClientRect();
        const screen = new DOMPoint(r.left + r.width / 2, r.top + r.height / 2);
        out[m.getAttribute('data-place')] = countries
            .filter(c => c.isPointInFill(screen.matrixTransform(c.getScreenCTM().inverse())))
            .map(c => c.getAttribute('data-country'));
    }
    return out;
}"""


def test_borders_are_drawn_offline_and_markers_lie_in_their_countries(mapped, offline):
    base, _ = mapped
    page, seen = offline
    open_map(page, f"{base}/places/{AZERBAIJAN}")
    assert int(page.get_attribute("#map", "data-basemap-countries")) > 200
    assert page.locator("#map path.basemap-country").count() > 200
    for name in ("Azerbaijan", "Armenia", "Georgia", "Iran"):
        assert page.locator(f"#map path[data-country='{name}']").count() == 1, name
    under = page.evaluate(COUNTRIES_UNDER_MARKERS)
    for _ in range(5):  # a cluster, clicked, zooms in until its places are apart
        if page.locator("#map .marker-cluster").count() == 0:
            break
        page.click("#map .marker-cluster")
        settle(page)
        under |= page.evaluate(COUNTRIES_UNDER_MARKERS)
    assert set(under) == {AZERBAIJAN, TOVUZ, LACHIN, SHUSHA, AGDAM, KALBAJAR, MINE, HEYVALY, FIZULI, VANG}
    assert all(countries == ["Azerbaijan"] for countries in under.values()), under
    page.goto(f"{base}/places/{ARMENIA}")
    page.wait_for_selector("#map[data-basemap-countries]")
    assert page.evaluate(COUNTRIES_UNDER_MARKERS) == {ARMENIA: ["Armenia"], BERD: ["Armenia"]}
    assert seen["outside"] == [] and seen["errors"] == []
    assert [m for m in seen["console"] if "Content Security Policy" in m] == []


def test_the_map_is_not_blank(mapped, offline):
    from PIL import Image

    base, _ = mapped
    page, seen = offline
    open_map(page, f"{base}/places/{AZERBAIJAN}")
    page.click("#map .leaflet-control-zoom-out")  # the region: the Caucasus, the Caspian
    settle(page)
    png = page.locator("#map").screenshot()
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    colours = sorted(picture.getcolors(maxcolors=1 << 24), reverse=True)
    area = picture.width * picture.height
    assert len(colours) > 50  # borders, their anti-aliasing, markers: not a blank plane
    assert colours[0][0] < 0.9 * area  # no colour (a bare background) fills the map
    assert sum(1 for n, _ in colours if n > 0.02 * area) >= 3  # countries told apart by their tones
    assert seen["outside"] == [] and seen["errors"] == []


def test_dense_markers_cluster(mapped, offline):
    base, _ = mapped
    page, seen = offline
    open_map(page, f"{base}/places/{AZERBAIJAN}")

    def drawn() -> tuple[int, int]:
        """(places in clusters, places apart), after checking that together they are every place but
        the page's own, which is never clustered."""
        inside, apart = clustered(page), shown(page)
        assert AZERBAIJAN in apart and inside + len(apart - {AZERBAIJAN}) == 9
        return inside, len(apart) - 1

    inside, apart = drawn()
    for _ in range(3):
        page.click("#map .leaflet-control-zoom-out")
        settle(page)
    further_inside, further_apart = drawn()
    assert further_inside > inside and further_apart < apart
    assert seen["errors"] == []


def test_the_time_filter_hides_markers(mapped, offline):
    base, _ = mapped
    page, seen = offline
    open_map(page, f"{base}/places/{AZERBAIJAN}")
    assert page.input_value("#map-from") == "1992" and page.input_value("#map-to") == "2020"
    assert page.get_attribute("#map", "data-markers") == "10"
    page.fill("#map-from", "2020")
    # ongoing since 2002 (the mine and Heyvaly, drawn as one cluster at this zoom, and Kalbajar, where
    # they lie), attacked in 2020, undated, and the page's own place
    assert (shown(page), clustered(page)) == ({AZERBAIJAN, TOVUZ, KALBAJAR, AGDAM}, 2)
    assert page.get_attribute("#map", "data-markers") == "6"
    page.uncheck("#map-undated")
    assert (shown(page), clustered(page)) == ({AZERBAIJAN, TOVUZ, KALBAJAR}, 2)
    page.fill("#map-from", "1992")
    page.fill("#map-to", "1992")
    assert (shown(page), clustered(page)) == ({AZERBAIJAN, LACHIN, SHUSHA}, 0)
    assert page.get_attribute("#map", "data-markers") == "3"
    assert page.inner_text("#map-count") == "3 of 10 places shown"
    page.fill("#map-to", "1993")
    assert (shown(page), clustered(page)) == ({AZERBAIJAN, LACHIN, SHUSHA, VANG, KALBAJAR, FIZULI}, 0)
    assert seen["errors"] == []


def test_the_geojson_download_is_what_the_map_shows(mapped, offline):
    import geojson

    base, _ = mapped
    page, seen = offline
    open_map(page, f"{base}/places/{AZERBAIJAN}")
    page.fill("#map-from", "1992")
    page.fill("#map-to", "1992")
    with page.expect_download() as info:
        page.click("#map-geojson")
    download = info.value
    assert download.suggested_filename == "geonames-587116-1992-1992.geojson"
    with open(download.path(), encoding="utf-8") as f:
        text = f.read()
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    assert json.loads(text)["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {AZERBAIJAN, LACHIN, SHUSHA, AGDAM} == shown(page)  # Agdam: undated
    markers = {m["id"]: m for m in json.loads(page.inner_text("#map-data"))}
    for pid, f in features.items():
        assert f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == [markers[pid]["lon"], markers[pid]["lat"]]
        assert f["properties"]["name"] == markers[pid]["label"]
    assert features[LACHIN]["properties"]["years"] == [1992]
    assert features[AZERBAIJAN]["properties"]["main"] is True
    assert seen["outside"] == [] and seen["errors"] == []


@pytest.fixture(scope="module")
def tiled(tmp_path_factory):
    """The base URL of a server whose maps use a tile server."""
    from docket.web import create_app

    app = create_app(str(tmp_path_factory.mktemp("tiled") / "tiled.db"), user="e2e", tiles=TILES,
                     tiles_attribution="test tiles")
    with serving(app) as base:
        yield base


def test_a_configured_tile_server_is_the_basemap(tiled, page):
    """With a tile server its tiles are shown, and the borders are an overlay left off until asked."""
    from PIL import Image

    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (120, 170, 120)).save(tile, format="PNG")
    tiles, messages = [], []
    page.on("console", lambda m: messages.append(m.text))

    def route(r):
        if r.request.url.startswith("http://tiles.docket.test/"):
            tiles.append(r.request.url)
            r.fulfill(status=200, content_type="image/png", body=tile.getvalue())
        elif r.request.url.startswith(tiled + "/"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    response = page.goto(f"{tiled}/places/{AZERBAIJAN}")
    assert "img-src 'self' http://tiles.docket.test" in response.headers["content-security-policy"]
    page.wait_for_selector("#map .leaflet-tile-loaded")
    page.wait_for_selector("#map[data-basemap-countries]")
    assert tiles and all(u.endswith(".png") for u in tiles)
    assert "test tiles" in page.inner_text("#map .leaflet-control-attribution")
    assert page.locator("#map path.basemap-country").count() == 0
    page.check("#map .leaflet-control-layers input[type=checkbox]")
    assert page.locator("#map path.basemap-country").count() > 200
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_dated_markers_reads_every_cluster():
    """The years, the first ongoing year and the count of claims naming each marker's place; a place
    named twice by one claim is counted once, a place without a marker is left out."""
    from types import SimpleNamespace

    from docket.model import ClaimDigest
    from docket.services.comparison import dated_markers

    def digest(cid: str, places: tuple[str, ...], when: str | None, ongoing: bool = False) -> ClaimDigest:
        return ClaimDigest(cid, "attack", "extracted", None, places, "village", "source", when, ongoing, None)

    markers = [{"id": "a", "label": "A", "lat": 1.0, "lon": 2.0, "main": True},
               {"id": "b", "label": "B", "lat": 1.5, "lon": 2.5, "main": False},
               {"id": "c", "label": "C", "lat": 1.7, "lon": 2.7, "main": False}]
    clusters = [SimpleNamespace(members=[digest("1", ("b", "b"), "1993-04"), digest("2", ("a", "b"), "1992")]),
                SimpleNamespace(members=[digest("3", ("b", "x"), "2002", ongoing=True), digest("4", ("c",), None)])]
    got = {m["id"]: (m["years"], m["since"], m["claims"]) for m in dated_markers(markers, clusters)}
    assert got == {"a": ([1992], None, 1), "b": ([1992, 1993, 2002], 2002, 3), "c": ([], None, 1)}
    assert markers[0].keys() == {"id", "label", "lat", "lon", "main"}  # the overview's markers are left as they were
