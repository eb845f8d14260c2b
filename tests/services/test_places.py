"""Place search and place reports, as the CLI shows them."""

import json

from click.testing import CliRunner

from docket.cli import main
from docket.gazetteer import default_gazetteer
from docket.services.places import best_place, search_places


def test_search_ranks_the_regional_entry_first():
    hits = search_places(default_gazetteer(), "Karvachar")
    assert hits[0].place.id == "geonames:586047"
    assert hits[0].path == ["Azerbaijan"]


def test_search_forgives_a_misspelling():
    hits = search_places(default_gazetteer(), "Kelbadjr")
    assert hits and hits[0].place.id == "geonames:586047" and hits[0].matched.startswith("spelling")
    assert best_place(default_gazetteer(), "Kelbadjr") is None  # a guess is offered, never used as the answer


def test_places_search_command():
    r = CliRunner().invoke(main, ["places", "search", "Stepanakert", "--format", "json"])
    assert r.exit_code == 0
    first = json.loads(r.output)[0]
    assert first["id"] == "geonames:146970" and "Xankəndi" in first["aliases"]
    missing = CliRunner().invoke(main, ["places", "search", "Qqqzzzxx"])
    assert missing.exit_code == 1 and "Qqqzzzxx: no place of that name" in missing.output


def test_place_counts_claims_of_places_inside_it(tmp_path):
    db = tmp_path / "d.db"
    text = tmp_path / "note.txt"
    text.write_text("Press release 02 April 2018\n\nThe church in Vang village was destroyed in 1993.\n")
    assert CliRunner().invoke(main, ["ingest", str(text), "--db", str(db)]).exit_code == 0
    r = CliRunner().invoke(main, ["place", "Kelbajar", "--db", str(db), "--format", "json"])
    data = json.loads(r.output)
    assert data["id"] == "geonames:586047" and data["admin_path"] == ["Azerbaijan"]
    assert any(c["name"] == "Vang" for c in data["children"])
    assert [c["kind"] for c in data["claims"]] == ["destruction"]
    assert data["claims"][0]["places"][0]["name"] == "Vang"
    by_name = CliRunner().invoke(main, ["claims", "--db", str(db), "--place", "Karvachar", "--format", "json"])
    assert len(json.loads(by_name.output)) == 1


def test_place_unknown():
    r = CliRunner().invoke(main, ["place", "Qqqzzzxx"])
    assert r.exit_code == 1 and "Qqqzzzxx: no such place" in r.output
