"""Incidents: one event in time and space with every source's account of it. Claims of one kind about
one town over a year are told apart by day, by the place at the finest level both accounts name, and
a coarse account joins a precise incident only when nothing else there competes, saying so."""

import json

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.gazetteer import default_gazetteer
from docket.model import Claim
from docket.resolve.clusters import cluster_claims, district_key

TARTAR = "Tartar"  # Tərtər, a town and district of Azerbaijan (GeoNames)

# documents written here: three sources about the town over 2023
MINISTRY = ("On 3 March 2023 artillery shelled the central market of Tartar, killing four civilians.\n\n"
            "On 10 March 2023 a drone struck the district hospital in Tartar. Seven people were killed in the strike.\n")
MONITOR = ("Our researchers confirmed that shelling hit the market in Tartar on 3 March 2023 and that four civilians "
           "died there.\n\nThe strike on the hospital in Tartar on 10 March 2023 killed 12 people.\n")
AGENCY = "Two residents of Tartar were killed on 28 August 2023 when shells landed near the bus station, officials said.\n"
DIGEST = ("In March 2023 at least 16 people were killed in Tartar, the digest says.\n\n"
          "In August 2023 two people were killed in Tartar, it adds.\n")


def _ingest(tmp_path, docs):
    db = str(tmp_path / "docket.db")
    runner = CliRunner()
    for name, text, publisher, date in docs:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        r = runner.invoke(main, ["ingest", str(path), "--db", db, "--publisher", publisher, "--date", date])
        assert r.exit_code == 0, r.output
    return db


def _compare(db, kind):
    r = CliRunner().invoke(main, ["compare", "--place", TARTAR, "--kind", kind, "--db", db, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["clusters"]


def _figures(k):
    return sorted((f["source"], f["quantity"]["value"]) for f in k["figures"] if f["quantity"])


@pytest.fixture
def db(tmp_path):
    return _ingest(tmp_path, [("ministry.txt", MINISTRY, "Ministry of Defence", "2023-03-11"),
                              ("monitor.txt", MONITOR, "Caucasus Civilian Monitor", "2023-03-15"),
                              ("agency.txt", AGENCY, "Regional News Agency", "2023-09-01")])


def test_attacks_a_week_apart_and_months_later_are_three_incidents(db):
    killings = {k["date"]: k for k in _compare(db, "killing")}
    assert set(killings) == {"2023-03-03", "2023-03-10", "2023-08-28"}
    # the sources agree on the market, disagree on the hospital; the August deaths are one source's
    assert killings["2023-03-03"]["flag"] == "consistent"
    assert _figures(killings["2023-03-03"]) == [("Caucasus Civilian Monitor", 4), ("Ministry of Defence", 4)]
    assert killings["2023-03-10"]["flag"] == "contradiction"
    assert _figures(killings["2023-03-10"]) == [("Caucasus Civilian Monitor", 12), ("Ministry of Defence", 7)]
    assert any("7" in r and "12" in r for r in killings["2023-03-10"]["reasons"])
    assert killings["2023-08-28"]["flag"] == "single"
    assert all(k["precision"] == "day" for k in killings.values())


def test_a_coarse_account_joins_only_where_nothing_else_competes(tmp_path, db):
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--publisher", "Monthly Digest", "--date", "2023-09-05"])
    assert r.exit_code == 0, r.output
    killings = _compare(db, "killing")
    august = next(k for k in killings if k["date"] == "2023-08-28")
    assert ("Monthly Digest", 2) in _figures(august) and august["flag"] == "consistent"
    assert any("2023-08" in n and "only incident" in n for n in august["notes"])
    # March had two incidents: the month's figure joins neither, and says why
    march = next(k for k in killings if k["date"] == "2023-03")
    assert _figures(march) == [("Monthly Digest", 16)] and march["precision"] == "month"
    assert any("2 incidents" in n for n in march["notes"])
    table = CliRunner().invoke(main, ["compare", "--place", TARTAR, "--kind", "killing", "--db", db, "--all"])
    assert "2023-03-10" in table.output and "could be any of 2 incidents" in table.output


def _claim(cid, source, when, precision, place, value=None):
    return Claim.model_validate({
        "id": cid, "kind": "attack", "span": [0, 1], "text": "x", "attributed_to": source,
        "quantity": {"value": value, "qualifier": "exact"} if value else None,
        "when": {"start": when, "precision": precision}, "places": [place]})


def _incidents(*claims):
    return cluster_claims(claims, district_key(default_gazetteer()))


def test_villages_of_one_district_on_one_day_are_two_incidents_and_the_district_joins_neither():
    from docket.services.places import place_or_error

    gaz = default_gazetteer()
    vang, heyvaly, district = (place_or_error(gaz, n) for n in ("Vang", "Heyvaly", "Kalbajar"))
    ref = lambda p: {"name": p.name, "mention": p.name, "id": p.id}  # noqa: E731
    ks = _incidents(_claim("a", "A", "1993-04-02", "day", ref(vang)), _claim("b", "B", "1993-04-02", "day", ref(heyvaly)),
                    _claim("c", "C", "1993-04-02", "day", ref(district)))
    assert sorted(len(k.members) for k in ks) == [1, 1, 1]
    alone = next(k for k in ks if k.members[0].id == "c")
    assert any("could be any of 2" in n for n in alone.notes)
    # with one village only, the district's account is of the same incident
    ks = _incidents(_claim("a", "A", "1993-04-02", "day", ref(vang)), _claim("c", "C", "1993-04-02", "day", ref(district)))
    assert len(ks) == 1 and ks[0].place_name == vang.name and ks[0].flag == "consistent"


def test_a_night_meets_both_its_days_and_nothing_else_gives_slack():
    from docket.services.places import place_or_error

    gaz = default_gazetteer()
    town = place_or_error(gaz, TARTAR)
    ref = {"name": town.name, "mention": TARTAR, "id": town.id}
    night = _claim("n", "N", "2023-03-03", "day", ref)
    night = night.model_copy(update={"when": night.when.model_copy(update={"end": "2023-03-04"})})
    assert len(_incidents(night, _claim("b", "B", "2023-03-04", "day", ref))) == 1
    assert len(_incidents(night, _claim("a", "A", "2023-03-03", "day", ref))) == 1
    days = _incidents(_claim("a", "A", "2023-03-03", "day", ref), _claim("b", "B", "2023-03-04", "day", ref))
    assert len(days) == 2


def test_an_undated_claim_never_glues_two_dated_incidents():
    from docket.services.places import place_or_error

    gaz = default_gazetteer()
    town = place_or_error(gaz, TARTAR)
    ref = {"name": town.name, "mention": TARTAR, "id": town.id}
    undated = Claim.model_validate({"id": "u", "kind": "attack", "span": [0, 1], "text": "x", "attributed_to": "U",
                                    "places": [ref]})
    ks = _incidents(_claim("a", "A", "2023-03-03", "day", ref), _claim("b", "B", "2023-03-10", "day", ref), undated)
    assert sorted(len(k.members) for k in ks) == [1, 1, 1]
    # nor joins a lone one: without its document's year it says nothing of when
    assert len(cluster_claims([undated, _claim("a", "A", "2023-03-03", "day", ref)], district_key(gaz))) == 2


def test_a_sub_count_is_kept_with_its_total_and_never_a_rival(tmp_path):
    db = _ingest(tmp_path, [
        ("update.txt", "Shelling killed 27 civilians in Tartar on 3 March 2023, among them 9 children.\n",
         "Ministry of Defence", "2023-03-04"),
        ("monitor.txt", "On 3 March 2023 shelling killed 27 civilians in Tartar, our monitors found.\n",
         "Caucasus Civilian Monitor", "2023-03-06")])
    (k,) = [k for k in _compare(db, "killing") if k["date"] == "2023-03-03"]
    assert k["flag"] == "consistent", k["reasons"]
    assert sorted((f["quantity"]["value"], f["part"]) for f in k["figures"]) == [(9, True), (27, False), (27, False)]
    table = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["compare", "--place", TARTAR, "--kind", "killing", "--db", db])
    assert "9 killed (part of the total)" in table.output and "consistent" in table.output
    # a total and a different total are still rivals
    (tmp_path / "b").mkdir()
    db2 = _ingest(tmp_path / "b", [
        ("update.txt", "Shelling killed 27 civilians in Tartar on 3 March 2023, among them 9 children.\n",
         "Ministry of Defence", "2023-03-04"),
        ("other.txt", "On 3 March 2023 shelling killed 9 civilians in Tartar.\n", "Regional News Agency", "2023-03-05")])
    (k,) = [k for k in _compare(db2, "killing") if k["date"] == "2023-03-03"]
    assert k["flag"] == "contradiction" and any("27" in r and "9" in r for r in k["reasons"])
