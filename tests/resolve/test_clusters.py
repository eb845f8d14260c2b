"""Clusters over the founding press release and the examples written about the same events: which
claims go together, and the flags they must carry."""

import math
from importlib import resources

import pytest

from docket import services
from docket.gazetteer import default_gazetteer
from docket.model import Claim, Quantity
from docket.resolve.clusters import cluster_claims, interval
from docket.services.comparison import compare, diff
from docket.services.places import place_or_error
from docket.store import open_store
from tests.conftest import PRESS_RELEASE, needs_shared

EXAMPLES = ["rights-report-kalbajar.txt", "fact-finding-report-kelbadjar.txt", "statement-karvachar.txt",
            "news-kalbajar-2016.txt"]


@pytest.mark.parametrize("q, expected", [
    (Quantity(value=511, qualifier="exact"), (511, 511)),
    (Quantity(value=60000, qualifier="approx"), (54000, 66000)),
    (Quantity(value=110, qualifier="more_than"), (111, math.inf)),
    (Quantity(value=500, qualifier="at_least"), (500, math.inf)),
    (Quantity(value=None, qualifier="vague", low=24), (24, math.inf)),
    (Quantity(value=None, qualifier="range", low=20, high=30), (20, 30)),
    (Quantity(value=10, qualifier="less_than"), (0, 9)),
])
def test_figures_are_intervals(q, expected):
    assert interval(q) == pytest.approx(expected)


def _claim(kind, qty=None, when=None, source="A", cid="c1"):
    return Claim.model_validate({
        "id": cid, "kind": kind, "span": [0, 1], "text": "x", "attributed_to": source,
        "quantity": qty, "when": {"start": when, "precision": "year"} if when else None,
        "places": [{"name": "Kalbajar", "mention": "Kalbajar", "id": "geonames:586047"}],
    })


def _flags(*claims):
    return [k.flag for k in cluster_claims(claims, lambda pid: (pid, pid))]


def test_flags_from_intervals():
    exact = {"value": 511, "qualifier": "exact"}
    assert _flags(_claim("killing", exact, "1993", "A", "a"), _claim("killing", {"value": 320, "qualifier": "exact"}, "1993", "B", "b")) == ["contradiction"]
    assert _flags(_claim("killing", exact, "1993", "A", "a"), _claim("killing", {"value": 500, "qualifier": "at_least"}, "1993", "B", "b")) == ["consistent"]
    assert _flags(_claim("killing", exact, "1993", "A", "a"), _claim("killing", exact, "1993", "A", "b")) == ["single"]
    # an event dated 1993 by one source and 1994 by another
    assert _flags(_claim("control_change", None, "1993", "A", "a"), _claim("control_change", None, "1994", "B", "b")) == ["contradiction"]
    # other period: two clusters
    assert len(_flags(_claim("killing", exact, "1993", "A", "a"), _claim("killing", exact, "2016", "B", "b"))) == 2


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    if not PRESS_RELEASE.exists():
        pytest.skip("../shared (the founding press release) is not present")
    s = open_store(str(tmp_path_factory.mktemp("k") / "k.db"))
    folder = resources.files("docket").joinpath("examples")
    with resources.as_file(folder) as f:
        files = [PRESS_RELEASE] + [f / name for name in EXAMPLES]
        report = services.ingest_paths(s, files)
    assert report.count("added") == len(files)
    return s


def _cluster(clusters, kind, thing=""):
    found = [k for k in clusters if k.kind == kind and k.thing == thing and len(k.sources) > 1]
    assert len(found) == 1, [(k.kind, k.thing, k.years, k.sources) for k in clusters if k.kind == kind]
    return found[0]


@needs_shared
def test_clusters_of_the_kalbajar_sources(store):
    gaz = default_gazetteer()
    clusters = compare(store, gaz, place_or_error(gaz, "Karvachar"))
    killing = _cluster(clusters, "killing")
    assert killing.flag == "contradiction"
    assert {c.quantity.value for c in killing.claims} == {511, 500, 320}
    assert any("320" in r and "511" in r for r in killing.reasons)
    # the consistent pair with different wordings: "around 60.000" and "Some 60,000" (and "Around 60,000")
    displacement = next(k for k in clusters if k.kind == "displacement" and any(c.quantity and c.quantity.value == 60000 for c in k.claims))
    assert displacement.flag == "consistent"
    wordings = {c.text.split(" residents")[0].split(" inhabitants")[0] for c in displacement.claims if c.quantity}
    assert {"around 60.000", "Some 60,000"} <= wordings
    libraries = _cluster(clusters, "destruction", "library")
    assert libraries.flag == "contradiction"
    control = _cluster(clusters, "control_change", "Kalbajar")  # compared by the place taken (kinds.toml `thing`)
    assert control.flag == "contradiction" and any("1994" in r for r in control.reasons)
    missing = _cluster(clusters, "detention_missing")
    assert missing.flag == "consistent"


@needs_shared
def test_a_look_alike_of_another_period_stays_apart(store):
    gaz = default_gazetteer()
    clusters = compare(store, gaz, place_or_error(gaz, "Kalbajar"), kind="killing")
    with_2016 = [k for k in clusters if any(c.quantity and c.quantity.value == 3 for c in k.claims)]
    assert len(with_2016) == 1 and with_2016[0].flag == "single"
    assert not any(c.quantity and c.quantity.value == 511 for c in with_2016[0].claims)


@needs_shared
def test_diff_of_two_documents(store):
    d = diff(store, default_gazetteer(), "press-release-2018-04-02.txt", "rights-report-kalbajar.txt")
    changes = {(c["kind"], c["thing"], c["status"]) for c in d.as_dict()["changes"]}
    assert ("killing", "", "changed") in changes
    assert ("destruction", "library", "changed") in changes
    assert ("destruction", "kindergarten", "dropped") in changes


@needs_shared
def test_comparisons_are_kept_until_the_store_changes(store):
    from docket.services import review

    gaz = default_gazetteer()
    place = place_or_error(gaz, "Kalbajar")
    first = compare(store, gaz, place, kind="killing")
    assert compare(store, gaz, place, kind="killing") is first  # kept
    victim = next(c for k in first for c in k.claims if c.quantity and c.quantity.value == 320)
    review.reject(store, gaz, victim.id, "tester", "test")
    after = compare(store, gaz, place, kind="killing")
    assert after is not first
    assert not any(c.id == victim.id for k in after for c in k.claims)
    review.confirm(store, gaz, victim.id, "tester")


@needs_shared
def test_clusters_from_digests_are_the_clusters_of_the_claims_whole(store):
    """A place's clusters are computed from the digests its area rows keep; they must be exactly the
    clusters of its claims read whole, for every place the sources name."""
    from docket.resolve.clusters import cluster_claims, district_key
    from docket.services.comparison import document_anchors
    from docket.services.places import claims_in

    gaz = default_gazetteer()
    places = {p.id for c in store.claims() for p in c.places if p.id}
    assert len(places) > 10
    for pid in places:
        place = gaz.get(pid)
        found = claims_in(store, gaz, place)
        texts = {c.document.sha256: store.document(c.document.sha256).text for c in found}
        expected = cluster_claims(found, district_key(gaz), document_anchors(store, found), texts)
        got = compare(store, gaz, place)
        shape = lambda ks: sorted((k.kind, k.place_id, k.thing, k.years, k.flag, tuple(k.reasons),  # noqa: E731
                                   tuple(sorted(m.id for m in k.members))) for k in ks)
        assert shape(got) == shape(expected), place.name
        assert all([c.id for c in k.claims] == [m.id for m in k.members] for k in got)  # loaded whole, in order
        assert all(m == c.digest(texts[c.document.sha256]) for k in got for m, c in zip(k.members, k.claims, strict=True))


@needs_shared
def test_a_review_changes_the_digests(store):
    from docket.services import review

    gaz = default_gazetteer()
    place = place_or_error(gaz, "Kalbajar")
    victim = next(m for m in store.digests(place.id, "killing") if m.quantity and m.quantity.value == 320)
    review.edit(store, gaz, victim.id, {"value": 330}, "tester", "test")
    assert next(m for m in store.digests(place.id, "killing") if m.id == victim.id).quantity.value == 330
    review.reject(store, gaz, victim.id, "tester", "test")
    assert victim.id not in {m.id for m in store.digests(place.id)}
    review.restore(store, gaz, victim.id, 1, "tester", "test")
    back = next(m for m in store.digests(place.id, "killing") if m.id == victim.id)
    assert back._replace(status=victim.status) == victim and back.status != "rejected"


def test_a_claims_source_falls_back_to_its_publisher():
    """What comparisons count as a source, and show: the party a claim is attributed to, else the
    document's publisher, else "?"; the digest carries the same."""
    from docket.model import DocumentRef

    unattributed = Claim(kind="killing", span=(0, 1), text="x", document=DocumentRef(sha256="a", publisher="Pub"))
    assert unattributed.source == "Pub" == unattributed.digest().source
    assert unattributed.model_copy(update={"attributed_to": "Said"}).source == "Said"
    assert Claim(kind="killing", span=(0, 1), text="x").source == "?"


@needs_shared
def test_a_place_overview_puts_sources_side_by_side_first(store):
    from docket.services.comparison import FLAG_ORDER, overview

    gaz = default_gazetteer()
    o = overview(store, gaz, place_or_error(gaz, "Kalbajar"), clusters=6, singles=1, timeline=5)
    flags = [FLAG_ORDER[k.flag] for k in o.clusters]
    assert flags == sorted(flags) and flags[0] == 0 and flags.count(FLAG_ORDER["single"]) <= 1 and len(o.clusters) <= 6
    assert o.clusters_total > len(o.clusters) and o.timeline_total > len(o.timeline) == 5
    assert [m.when_start for m in o.timeline] == sorted(m.when_start for m in o.timeline)
    shown = {m.id for k in o.clusters for m in k.members} | {m.id for m in o.timeline}
    assert set(o.texts) == shown and all(o.texts.values())
    assert o.markers[0]["main"] and len({m["id"] for m in o.markers}) == len(o.markers)
