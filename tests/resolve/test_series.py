"""Figures that are points of a series, figures of different measures, and claims repeated word for
word across documents, each seen through `docket compare` on documents written here about Tartar
(Tərtər, a town of Azerbaijan)."""

from click.testing import CliRunner

from docket.cli import main
from docket.model import ClaimDigest, Quantity, _measure
from docket.resolve.clusters import Cluster, flag
from docket.resolve.echoes import origins, signature
from tests.resolve.test_incidents import _compare, _figures, _ingest


def _add(db, tmp_path, name, text, publisher, date):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--publisher", publisher, "--date", date])
    assert r.exit_code == 0, r.output


def _series(db):
    found = [k for k in _compare(db, "killing") if k["series"]]
    assert len(found) == 1, [(k["date"], k["series"], _figures(k)) for k in _compare(db, "killing")]
    return found[0]


def test_a_running_count_that_grows_is_an_update_and_one_that_shrinks_is_flagged(tmp_path):
    db = _ingest(tmp_path, [
        ("april.txt", "So far this year 12 civilians have been killed in Tartar, the office said.\n",
         "Regional Health Office", "2023-04-01"),
        ("june.txt", "To date, 19 civilians have been killed in Tartar in 2023, the office said.\n",
         "Regional Health Office", "2023-06-01")])
    k = _series(db)
    assert k["series"] == "cumulative" and k["flag"] == "update", k
    assert _figures(k) == [("Regional Health Office", 12), ("Regional Health Office", 19)]
    assert any("12" in r and "19" in r and "2023-04-01" in r and "2023-06-01" in r for r in k["reasons"]), k["reasons"]
    # a later document's smaller running count cannot be true with the earlier one
    _add(db, tmp_path, "july.txt", "So far this year 15 civilians have been killed in Tartar.\n", "Civil Defence Watch",
         "2023-07-01")
    k = _series(db)
    assert k["flag"] == "contradiction", k
    assert any(r.startswith("a running count fell") and "19" in r and "15" in r for r in k["reasons"]), k["reasons"]
    # no incident of the year took the running counts as rivals
    points = {f["claim"] for f in k["figures"]}
    assert all(not points & {f["claim"] for f in other["figures"]} for other in _compare(db, "killing") if not other["series"])


def test_a_count_of_the_present_may_fall():
    points = [_digest("a", "Agency", 40, as_of="2023-05-01", series="stock", measure="missing"),
              _digest("b", "Agency", 31, as_of="2023-08-01", series="stock", measure="missing")]
    k = Cluster("", "detention_missing", "p", "P", "", None, members=points, series="stock")
    flag(k)
    assert k.flag == "update" and "fell" in k.reasons[0]


def _digest(cid, source, value, measure="killed", when="2023-03-03", as_of="2023-03-04", series=None, doc=None,
            echo=None, qualifier="exact", end=None, part=False):
    return ClaimDigest(cid, "killing", "extracted", doc or f"doc-{cid}", ("p",), "", source, when, series is not None,
                       Quantity(value=value, qualifier=qualifier), "day", end, part, measure, series, as_of, echo)


def test_killed_and_injured_are_never_compared(tmp_path):
    db = _ingest(tmp_path, [
        ("ministry.txt", "On 3 March 2023 shells hit the market in Tartar, killing four civilians and injuring 20 others.\n",
         "Ministry of Defence", "2023-03-04"),
        ("monitor.txt", "Twenty people were wounded and four were killed when shells hit the market in Tartar on 3 March "
         "2023.\n", "Caucasus Civilian Monitor", "2023-03-06")])
    k = next(k for k in _compare(db, "killing") if k["date"] == "2023-03-03")
    assert _figures(k) == [("Caucasus Civilian Monitor", 4), ("Ministry of Defence", 4)] and k["flag"] == "consistent"
    assert {f["measure"] for f in k["figures"]} == {"killed"}
    # and where a figure of the injured sits beside one of the dead, the two are not rivals
    together = Cluster("", "killing", "p", "P", "", (2023, 2023),
                       members=[_digest("a", "A", 4), _digest("b", "B", 20, measure="injured")])
    flag(together)
    assert together.flag == "consistent", together.reasons
    rivals = Cluster("", "killing", "p", "P", "", (2023, 2023), members=[_digest("a", "A", 4), _digest("b", "B", 20)])
    flag(rivals)
    assert rivals.flag == "contradiction"


def test_a_figure_is_measured_by_the_words_beside_it():
    assert _measure("attack", "the shelling killed four civilians and injured 20 others", Quantity(value=20)) == "injured"
    assert _measure("attack", "the shelling killed 20 civilians and injured four others", Quantity(value=20)) == "killed"
    assert _measure("detention_missing", "300 were detained and 20 remain missing", Quantity(value=20)) == "missing"
    assert _measure("detention_missing", "20 were detained and 300 remain missing", Quantity(value=20)) == "detained"
    assert _measure("killing", "20 civilians", Quantity(value=20)) == "killed"  # the kind's own measure
    assert _measure("attack", "four rockets", Quantity(value=4)) is None
    # houses destroyed and houses damaged are two counts, not rival ones
    assert _measure("destruction", "133 houses have been completely destroyed", Quantity(value=133)) == "destroyed"
    assert _measure("destruction", "873 houses have been partially damaged", Quantity(value=873)) == "damaged"
    assert _measure("destruction", "50 houses were partially destroyed", Quantity(value=50)) == "damaged"


WIRE = ("Artillery shelled the central market of Tartar on 3 March 2023, killing four civilians and wounding several "
        "shoppers who had come for the spring fair.\n")


def test_a_republished_wire_story_is_one_origin_with_its_echoes(tmp_path):
    db = _ingest(tmp_path, [("wire.txt", WIRE, "Caucasus Wire", "2023-03-03"),
                            ("herald.txt", "TARTAR (Caucasus Wire)\n\n" + WIRE, "Daily Herald", "2023-03-04"),
                            ("post.txt", WIRE.replace("of Tartar", "in Tartar"), "Evening Post", "2023-03-05")])
    k = next(k for k in _compare(db, "killing") if k["date"] == "2023-03-03")
    assert sorted(k["sources"]) == ["Caucasus Wire", "Daily Herald", "Evening Post"]
    # three outlets, one origin: the wire's, the first published
    assert k["origins"] == ["Caucasus Wire"] and k["flag"] == "single", k
    wire = next(f["claim"] for f in k["figures"] if f["source"] == "Caucasus Wire")
    assert set(k["echoes"]) == {wire} and len(k["echoes"][wire]) == 2
    assert all(f["echo_of"] == wire for f in k["figures"] if f["source"] != "Caucasus Wire")
    assert any("repeated" in r and "Daily Herald" in r and "Evening Post" in r for r in k["reasons"])
    table = CliRunner().invoke(main, ["compare", "--place", "Tartar", "--kind", "killing", "--all", "--db", db]).output
    assert "(echo)" in table
    # the place page and the API show the echoes too
    from fastapi.testclient import TestClient

    from docket.web import create_app

    client = TestClient(create_app(db, user="t", tiles=""), base_url="http://localhost")
    page = client.get(f"/places/{k['place']['id']}").text
    attacks = [a for a in _compare(db, "attack") if a["date"] == "2023-03-03"]
    assert [a["origins"] for a in attacks] == [["Caucasus Wire"]]  # the shelling the sentence tells, echoed alike
    assert page.count("(echo of another document)") == 4  # two echoes of the killing, two of the shelling
    api = client.get(f"/api/places/{k['place']['id']}/compare", params={"kind": "killing"}).json()["items"]
    assert [i["origins"] for i in api if i["id"] == k["id"]] == [["Caucasus Wire"]]
    csv = client.get(f"/api/places/{k['place']['id']}/compare", params={"kind": "killing", "format": "csv"}).text
    assert csv.count(wire) == 3  # the origin's own row, and each echo's echo_of
    # an account in words of its own is a second origin
    _add(db, tmp_path, "monitor.txt", "Our researchers confirmed that four civilians died when the market in Tartar was "
         "shelled on 3 March 2023.\n", "Caucasus Civilian Monitor", "2023-03-07")
    k = next(k for k in _compare(db, "killing") if k["date"] == "2023-03-03")
    assert k["origins"] == ["Caucasus Civilian Monitor", "Caucasus Wire"] and k["flag"] == "consistent", k


def test_echoes_need_near_identical_sentences_from_different_documents():
    same = signature(WIRE)
    edited = signature(WIRE.replace("spring fair", "weekly fair"))
    other = signature("Four civilians were killed on 3 March 2023 when artillery hit the central market of Tartar.")
    assert same == signature(WIRE.upper()) and set(same.split()) & set(edited.split())
    assert not set(same.split()) & set(other.split())
    assert signature("Four were killed.") is None  # too short to tell an echo from a common phrase
    a, b, c = (_digest("a", "A", 4, doc="d1", echo=same, as_of="2023-03-05"),
               _digest("b", "B", 4, doc="d2", echo=same, as_of="2023-03-04"),
               _digest("c", "C", 4, doc="d3", echo=other))
    assert origins([a, b, c]) == {"b": ["a"]}  # the earlier published is the origin
    assert origins([a, _digest("a2", "A", 4, doc="d1", echo=same)]) == {}  # one document does not echo itself


def test_a_towns_running_count_is_not_its_neighbours():
    from docket.resolve.clusters import cluster_digests

    def point(cid, place, value, as_of):
        return ClaimDigest(cid, "killing", "extracted", f"doc-{cid}", (place,), "", "Agency", as_of, True,
                           Quantity(value=value), "day", None, False, "killed", "cumulative", as_of, None)

    got = cluster_digests([point("a", "town-a", 300, "2023-05-01"), point("b", "town-b", 40, "2023-06-01"),
                           point("c", "town-a", 320, "2023-07-01")], lambda pid: ("district", "District"), {})
    assert sorted((k.place_id, k.flag, len(k.members)) for k in got) == [("town-a", "update", 2), ("town-b", "single", 1)]


def test_one_documents_figures_are_its_breakdown_not_a_contradiction():
    # one report: 179 killed in one village, 44 in another, at least 223 in all; another report: 223
    report = [_digest("a", "Rights Watch", 179, doc="hrw"), _digest("b", "Rights Watch", 44, doc="hrw"),
              _digest("c", "Rights Watch", 223, doc="hrw")]
    k = Cluster("", "killing", "p", "P", "", (2024, 2024), members=report)
    flag(k)
    assert k.flag == "single" and any("read as its breakdown" in r and "179" in r and "44" in r for r in k.reasons)
    k = Cluster("", "killing", "p", "P", "", (2024, 2024), members=[*report, _digest("d", "Agency", 223, doc="ap")])
    flag(k)
    assert k.flag == "consistent", k.reasons
    # the largest figure stands for its document against others
    k = Cluster("", "killing", "p", "P", "", (2024, 2024), members=[*report, _digest("d", "Agency", 150, doc="ap")])
    flag(k)
    assert k.flag == "contradiction" and "223" in k.reasons[0] and "150" in k.reasons[0] and "179" not in k.reasons[0]


def test_two_sources_one_document_quotes_may_contradict_each_other():
    quoted = [_digest("a", "Army", 12, doc="news"), _digest("b", "Ministry of Health", 3, doc="news")]
    k = Cluster("", "killing", "p", "P", "", (2024, 2024), members=quoted)
    flag(k)
    assert k.flag == "contradiction" and "Army" in k.reasons[0] and "Ministry of Health" in k.reasons[0]


def _series_flag(*points):
    k = Cluster("", "killing", "p", "P", "", None, members=list(points), series="cumulative")
    flag(k)
    return k


def test_series_points_are_compared_date_by_date_against_the_highest_before():
    def point(cid, source, value, as_of, q="exact"):
        return _digest(cid, source, value, as_of=as_of, series="cumulative", qualifier=q)

    # one source updating itself twice in a day is no contradiction; the next day's higher count updates it
    assert _series_flag(point("a", "A", 12, "2023-04-01"), point("b", "A", 15, "2023-04-01"),
                        point("c", "A", 20, "2023-04-02")).flag == "update"
    # documents without a date are never rivals
    assert _series_flag(point("a", "A", 12, None), point("b", "B", 19, None)).flag == "consistent"
    # a fall is a fall even when a vaguer figure came between
    k = _series_flag(point("a", "A", 100, "2023-04-01"), point("b", "B", 50, "2023-05-01", "more_than"),
                     point("c", "C", 80, "2023-06-01"))
    assert k.flag == "contradiction" and "100" in k.reasons[0] and "80" in k.reasons[0]


def test_a_count_so_far_in_one_war_is_not_a_count_of_the_next():
    from docket.resolve.clusters import cluster_digests

    def point(cid, value, as_of):
        return ClaimDigest(cid, "killing", "extracted", f"doc-{cid}", ("town",), "", "Agency", as_of, True,
                           Quantity(value=value), "day", None, False, "killed", "cumulative", as_of, None)

    got = cluster_digests([point("a", 45, "2020-10-20"), point("b", 12, "2023-04-01")],
                          lambda pid: ("district", "District"), {})
    assert sorted((k.flag, len(k.members)) for k in got) == [("single", 1), ("single", 1)]


def test_a_sub_count_of_a_running_count_stays_with_it():
    from docket.resolve.clusters import cluster_digests

    total = ClaimDigest("t", "killing", "extracted", "d", ("town",), "", "Agency", "2023-04-01", True,
                        Quantity(value=120), "day", None, False, "killed", "cumulative", "2023-04-01", None)
    part = total._replace(id="p", quantity=Quantity(value=30), part=True)
    (k,) = cluster_digests([total, part], lambda pid: ("district", "District"), {})
    assert k.series == "cumulative" and {m.id for m in k.members} == {"t", "p"} and k.flag == "single"


def test_a_nights_two_dates_are_one_date():
    a = _digest("a", "A", 4, when="2023-03-03", end="2023-03-04")
    b = _digest("b", "B", 4, when="2023-03-04")
    k = Cluster("", "killing", "p", "P", "", (2023, 2023), members=[a, b])
    flag(k)
    assert k.flag == "consistent", k.reasons


def test_a_dead_count_is_never_a_count_of_the_present():
    from docket.model import _series as series_of

    text = "At least 1,200 people have been killed so far, and many are still missing under the rubble"
    assert series_of("killing", text, True, Quantity(value=1200), "killed") == "cumulative"
    assert series_of("detention_missing", "40 remain missing", True, Quantity(value=40), "missing") == "stock"
    assert _measure("displacement", "Around 60,000 residents were forced to leave their homes to save their lives",
                    Quantity(value=60000)) == "displaced"


def test_one_sentence_said_of_two_quoted_parties_is_two_claims_and_wrapped_text_still_echoes():
    from docket.resolve.echoes import sentence_around

    said = "On 3 March 2023, four civilians were killed in the market of Tartar, according to the ministry."
    assert not set(signature(said, "Ministry of Health").split()) & set(signature(said, "Ministry of Defence").split())
    assert signature(said, "Ministry of Health") == signature(said, "ministry of health")
    wrapped = "Earlier news.\n" + WIRE.replace(" killing", "\nkilling").replace(" shoppers", "\nshoppers") + "More."
    at = wrapped.index("killing")
    assert " ".join(sentence_around(wrapped, (at, at + 7)).split()) == WIRE.strip()


def test_a_range_with_one_bound_is_written_as_such():
    from docket.resolve.clusters import describe

    assert describe(Quantity(high=20, qualifier="range")) == "up to 20"
    assert describe(Quantity(low=20, qualifier="range")) == "20+"
    assert describe(Quantity(low=2, high=5, qualifier="range")) == "2–5"
