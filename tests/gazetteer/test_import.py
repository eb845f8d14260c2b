"""`docket gazetteer import`: a GeoNames dump becomes a layer that ranks above the base layer."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import main
from docket.gazetteer.layers import base_index, gazetteer_dir

# two rows in GeoNames' 19-column format, written for this test: a village and a monastery with made-up
# ids (9900001, 9900002) placed in the Kalbajar district (admin1 AZ.26)
DUMP = (
    "9900001\tTestkənd\tTestkend\tTestkend,Թեստավան,Тесткенд\t40.121\t46.101\tP\tPPL\tAZ\t\t26\t\t\t\t350\t\t1800\tAsia/Baku\t2024-01-01\n"
    "9900002\tTestvank\tTestvank\tTestvank Monastery\t40.130\t46.120\tS\tMSTY\tAZ\t\t26\t\t\t\t0\t\t1900\tAsia/Baku\t2024-01-01\n"
)


@pytest.fixture
def gazdir(tmp_path, monkeypatch):
    """A fresh gazetteer folder that shares the already built base layer (no rebuild in tests)."""
    base = base_index(progress=None).folder
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    os.symlink(base, folder / "base")
    monkeypatch.setenv("DOCKET_GAZETTEER_DIR", str(folder))
    from docket.gazetteer import default_gazetteer

    default_gazetteer.cache_clear()
    yield folder
    default_gazetteer.cache_clear()


def test_import_a_geonames_dump(gazdir, tmp_path):
    dump = tmp_path / "AZ-sample.txt"
    dump.write_text(DUMP, encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"places": 2' in result.output
    assert (gazetteer_dir() / "imports" / "AZ-sample").is_dir()
    found = CliRunner().invoke(main, ["places", "search", "Тесткенд", "--format", "json"])
    assert '"geonames:9900001"' in found.output
    assert '"Kalbajar"' in found.output  # its parent district, from the admin code
    place = CliRunner().invoke(main, ["place", "Testvank", "--format", "json"])
    assert '"feature": "monastery"' in place.output
    district = CliRunner().invoke(main, ["place", "Kalbajar", "--format", "json"])
    assert '"Testkənd"' in district.output  # an imported village counts among the district's places
    layers = CliRunner().invoke(main, ["gazetteer", "layers", "--format", "json"])
    assert "AZ-sample" in layers.output
    assert CliRunner().invoke(main, ["gazetteer", "remove", "AZ-sample"]).exit_code == 0
    assert not (gazetteer_dir() / "imports" / "AZ-sample").exists()


@pytest.mark.parametrize("content, message", [
    ("this is not a geonames file\nat all\n", "not a GeoNames line"),
    ("", "no places found"),
    (DUMP.replace("40.121", "forty"), "a row with a bad number"),
])
def test_bad_dump_is_refused_and_nothing_is_written(gazdir, tmp_path, content, message):
    dump = tmp_path / "bad.txt"
    dump.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and message in result.output
    assert not (Path(gazdir) / "imports" / "bad").exists()


def test_missing_file(gazdir):
    result = CliRunner().invoke(main, ["gazetteer", "import", "no-such-file.txt"])
    assert result.exit_code == 1 and "no-such-file.txt: no such file" in result.output
