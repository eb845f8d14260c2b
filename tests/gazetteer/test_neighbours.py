"""The resolver's neighbour index answers as a scan of every other place would, within its reach."""

import math
import random

from docket.gazetteer.resolve import NEAR_KM, _Neighbours


def _scan(lat: float, lon: float, points: list[tuple[str, float, float]], skip: str) -> float:
    la, lo = math.radians(lat), math.radians(lon)
    best = math.inf
    for key, qlat, qlon in points:
        if key != skip:
            dx = (math.radians(qlon) - lo) * math.cos(la)
            dy = math.radians(qlat) - la
            best = min(best, 6371.0 * math.hypot(dx, dy))
    return best if best <= NEAR_KM else math.inf


def test_index_matches_a_full_scan_for_small_and_large_documents():
    rng = random.Random(3)
    for n in (5, 300):  # below and above the size where the index stops scanning flat
        # clustered places (a region's towns), some near the poles and the antimeridian
        centres = [(rng.uniform(-89, 89), rng.uniform(-179, 179)) for _ in range(8)]
        points = []
        for i in range(n):
            clat, clon = rng.choice(centres)
            points.append((f"p{i}", max(-89.9, min(89.9, clat + rng.gauss(0, 3))), max(-180, min(180, clon + rng.gauss(0, 3)))))
        index = _Neighbours(points)
        for key, lat, lon in points[:60]:
            want, got = _scan(lat, lon, points, key), index.nearest_km(lat, lon, key)
            assert (want == got == math.inf) or math.isclose(want, got, rel_tol=1e-9), (n, key, want, got)
        for _ in range(60):  # candidates that are not themselves among the points
            lat, lon = rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)
            want, got = _scan(lat, lon, points, ""), index.nearest_km(lat, lon, "")
            assert (want == got == math.inf) or math.isclose(want, got, rel_tol=1e-9)


def test_a_place_is_not_its_own_neighbour():
    index = _Neighbours([("a", 40.0, 46.0)])
    assert index.nearest_km(40.0, 46.0, "a") == math.inf
    assert index.nearest_km(40.1, 46.0, "b") < 12


def test_a_bare_city_name_is_the_city_not_the_region_called_after_it():
    from docket.gazetteer import default_gazetteer
    from docket.gazetteer.resolve import geocode

    gaz = default_gazetteer()
    (bare,) = [r for r in geocode("Rockets hit Kharkiv on Monday.", gaz) if r.place is not None]
    assert bare.place.feature == "city"
    region = [r for r in geocode("Rockets hit the Kharkiv region on Monday.", gaz) if r.place is not None]
    assert region and region[0].place.feature == "region"
