"""Each kind of bad input: a one-line error naming the file, a non-zero exit, the store unchanged."""

import hashlib
import os

import pytest
from click.testing import CliRunner

from docket.cli import main

GOOD = "Press release 02 April 2018\n\nAround 150 villages were destroyed by the armed forces of Armenia.\n"


def _store_digest(db):
    """What the store holds: the documents and claims listed through the CLI."""
    r = CliRunner().invoke(main, ["claims", "--db", str(db), "--format", "json"])
    d = CliRunner().invoke(main, ["documents", "--db", str(db), "--format", "json"])
    return hashlib.sha256((r.output + d.output).encode()).hexdigest()


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "docket.db"
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    assert CliRunner().invoke(main, ["ingest", str(good), "--db", str(db)]).exit_code == 0
    return db


def _bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa")
    invalid = tmp_path / "invalid.txt"
    invalid.write_bytes("Kəlbəcər was occupied in 1993.".encode() + b"\xff\xfe broken \xc3\x28 bytes")
    return {"empty": empty, "binary": garbage, "truncated pdf": truncated, "invalid utf-8": invalid}


@pytest.mark.parametrize("which,expected", [
    ("empty", "is empty"), ("binary", "binary data"), ("truncated pdf", "not a readable PDF"), ("invalid utf-8", "invalid UTF-8"),
])
def test_bad_file_is_refused_and_store_unchanged(tmp_path, store, which, expected):
    before = _store_digest(store)
    path = _bad_files(tmp_path)[which]
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1
    assert path.name in result.output and expected in result.output
    assert _store_digest(store) == before


def test_file_over_the_size_limit(tmp_path, store):
    before = _store_digest(store)
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 10)
    result = CliRunner().invoke(main, ["ingest", str(big), "--db", str(store), "--max-bytes", "100"])
    assert result.exit_code == 1 and "big.txt" in result.output and "size limit" in result.output
    assert _store_digest(store) == before


def test_folder_with_one_bad_file_ingests_the_others(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "b.md").write_text("# Note\n\nThe Security Council adopted resolution 822 (1993).\n")
    (folder / "c.txt").write_bytes(b"")
    db = tmp_path / "d.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 3  # some files refused, the others in
    assert "c.txt" in result.output and "2 added, 0 unchanged, 1 skipped" in result.output
    listed = CliRunner().invoke(main, ["documents", "--db", str(db), "--format", "json"])
    assert listed.output.count('"sha256"') == 2


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False, reason="root can write to read-only files")
def test_unwritable_store_file(tmp_path, store):
    good = tmp_path / "other.txt"
    good.write_text("The Security Council adopted resolution 853 (1993).")
    os.chmod(store, 0o444)
    result = CliRunner().invoke(main, ["ingest", str(good), "--db", str(store)])
    assert result.exit_code == 1 and "not writable" in result.output


def test_unwritable_store_location(tmp_path):
    good = tmp_path / "other.txt"
    good.write_text("The Security Council adopted resolution 853 (1993).")
    db = tmp_path / "no-such-dir" / "docket.db"
    result = CliRunner().invoke(main, ["ingest", str(good), "--db", str(db)])
    assert result.exit_code == 1 and "docket.db" in result.output


def test_reingest_is_a_noop(tmp_path, store):
    good = tmp_path / "good.txt"
    before = _store_digest(store)
    result = CliRunner().invoke(main, ["ingest", str(good), "--db", str(store)])
    assert result.exit_code == 0 and "unchanged" in result.output
    assert _store_digest(store) == before
