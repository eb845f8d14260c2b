"""Each kind of bad input: a one-line error naming the file, a non-zero exit, the store unchanged."""

import hashlib
import os
from pathlib import Path

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


# ---------------------------------------------------------------- every other kind of bad or odd input

def _docx_bytes(paragraphs=("Around 40 houses were destroyed in Lachin in May 1992.",)) -> bytes:
    from tests.documents import make_docx

    return make_docx(list(paragraphs))


def _rezip(raw: bytes, method=None, drop=(), replace=None, add=None) -> bytes:
    """The DOCX's archive written again: parts dropped, replaced or added, another compression method."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method or zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, src.read(info.filename))
            out.writestr(info.filename, data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return buf.getvalue()


def _pdf_with_missing_page() -> bytes:
    from tests.documents import make_pdf

    # the page tree says two pages but holds one: the second fails to load
    return make_pdf(["Around 40 houses were destroyed in Lachin."]).replace(b"/Count 1", b"/Count 2").replace(
        b"/Kids [3 0 R]", b"/Kids [3 0 R 9 0 R]")


def _bad_inputs():
    import zipfile

    yield "docx with bzip2", "a.docx", lambda: _rezip(_docx_bytes(), zipfile.ZIP_BZIP2), "bzip2 compression"
    yield "docx zip bomb", "b.docx", lambda: _rezip(_docx_bytes(), add={"word/media/fill.bin": b"\0" * (8 << 20)}), \
        "as a zip bomb does"
    yield "encrypted docx", "c.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, "password-protected"
    yield "docx without its body", "d.docx", lambda: _rezip(_docx_bytes(), drop=("word/document.xml",)), \
        "no word/document.xml"
    yield "docx with broken XML", "e.docx", lambda: _rezip(_docx_bytes(), replace={"word/document.xml": b"<w:document"}), \
        "not a readable DOCX"
    yield "docx that is not a zip", "f.docx", lambda: b"PK\x03\x04 not really a zip archive word/" * 10, \
        "not a readable DOCX"
    yield "pdf page fails to load", "g.pdf", _pdf_with_missing_page, "page 2 of 2 fails to load"
    yield "ascii with stray bytes", "h.txt", lambda: b"Around 40 houses were destroyed \xff\xfe\x81 in Lachin.", \
        "invalid UTF-8 at byte 32"


@pytest.mark.parametrize("label,name,build,expected", list(_bad_inputs()), ids=[c[0] for c in _bad_inputs()])
def test_each_bad_format_is_one_line_and_store_unchanged(tmp_path, store, label, name, build, expected):
    before = _store_digest(store)
    path = tmp_path / name
    path.write_bytes(build())
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1, result.output
    assert result.output.count(name) == 1 and expected in result.output, result.output  # said once
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert _store_digest(store) == before


def _sidecars():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    yield "yaml alias bomb", ".meta.yaml", bomb, "aliases (*name) are not allowed"
    yield "list value", ".meta.json", '{"publisher": ["a", "b"]}', "publisher: expected a single value, not a list"
    yield "bad date", ".meta.json", '{"published": "2 April 2018"}', "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
    yield "impossible date", ".meta.yml", "published: 2018-02-30\n", "not valid YAML"
    yield "bad genre", ".meta.json", '{"genre": "<script>"}', "expected a short word"
    yield "bad url", ".meta.json", '{"source_url": "javascript:alert(1)"}', "expected an http:// or https:// address"
    yield "control characters", ".meta.json", '{"title": "a\\u0007b"}', "control characters are not allowed"
    yield "unknown field", ".meta.json", '{"autor": "x"}', "unknown metadata field(s): autor"
    yield "too big", ".meta.json", '{"title": "' + "x" * 70_000 + '"}', "a sidecar of more than 65,536 bytes"
    yield "deeply nested", ".meta.json", "[" * 30_000 + "]" * 30_000, "nested more than 20 deep"
    yield "not utf-8", ".meta.json", b'{"title": "\xff"}', "not UTF-8"


@pytest.mark.parametrize("label,suffix,body,expected", list(_sidecars()), ids=[c[0] for c in _sidecars()])
def test_each_bad_sidecar_is_one_line_and_store_unchanged(tmp_path, store, label, suffix, body, expected):
    before = _store_digest(store)
    path = tmp_path / "note.txt"
    path.write_text("The Security Council adopted resolution 853 (1993).", encoding="utf-8")
    side = tmp_path / ("note.txt" + suffix)
    side.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and expected in result.output and side.name in result.output, result.output
    assert _store_digest(store) == before


def test_sidecar_dates_and_numbers_as_yaml_scalars(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("The Security Council adopted resolution 853 (1993).", encoding="utf-8")
    (tmp_path / "note.txt.meta.yaml").write_text("published: 1993-07-29\ntitle: 853\ngenre: Resolution\n")
    from docket.ingest import read_document

    meta = read_document(path).doc.meta
    assert (meta.published, meta.title, meta.genre) == ("1993-07-29", "853", "resolution")


def test_a_file_name_too_long_for_a_sidecar_is_read(tmp_path):
    name = "a" * 246 + ".txt"  # FILE.meta.json would be 260 bytes, over the file system's limit
    path = tmp_path / name
    path.write_text(GOOD)
    db = tmp_path / "d.db"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 0 and "added" in result.output


def test_an_internal_error_in_one_file_does_not_stop_the_folder(tmp_path, monkeypatch):
    import docket.services as services

    real = services.extract

    def flaky(text, meta):
        if "explode" in text:
            raise ZeroDivisionError("a bug")
        return real(text, meta)

    monkeypatch.setattr(services, "extract", flaky)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "b.txt").write_text("This one will explode.")
    (folder / "c.txt").write_text("The Security Council adopted resolution 822 (1993).")
    db = tmp_path / "d.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 3
    assert "b.txt: internal error while reading it (ZeroDivisionError: a bug)" in result.output
    assert "Traceback" not in result.output and "2 added, 0 unchanged, 1 skipped" in result.output


def test_a_legacy_encoding_is_said(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes(("Le village de Lachin a été détruit en mai 1992, selon le ministère. " * 5).encode("cp1252"))
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 0 and "not UTF-8: read as" in result.output
    forced = tmp_path / "ru.txt"
    forced.write_bytes("Кельбаджар".encode("cp1251") + b" \x98")
    result = CliRunner().invoke(main, ["ingest", str(forced), "--db", str(tmp_path / "d.db"), "--encoding", "cp1251"])
    assert result.exit_code == 1 and "not valid cp1251 at byte 11" in result.output


def test_duplicate_claims_of_one_document_are_merged(monkeypatch):
    import docket.services as services
    from docket.model import Claim, Document, PlaceRef

    one = Claim(kind="killing", span=(0, 5), text="Three", places=[PlaceRef(name="Lachin", mention="Lachin")])
    again = one.model_copy(update={"places": [PlaceRef(name="Lachin", mention="Lachin"),
                                              PlaceRef(name="Shusha", mention="Shusha")]})
    monkeypatch.setattr(services, "extract", lambda text, meta: ([one, again], []))
    found, _ = services.extracted(Document(sha256="0" * 64, media_type="text/plain", text="Three were killed."))
    assert len(found) == 1 and [p.name for p in found[0].places] == ["Lachin", "Shusha"]


def test_a_figure_too_large_for_a_count_is_refused_in_review(store):
    claims = CliRunner().invoke(main, ["claims", "--db", str(store), "--format", "json"]).stdout
    victim = __import__("json").loads(claims)[0]["id"]
    before = _store_digest(store)
    for value in ("99999999999999999999", "1" * 400):
        result = CliRunner().invoke(main, ["review", "edit", victim, "--db", str(store), "--value", value,
                                           "--reason", "x"])
        assert result.exit_code == 1 and "figure" in result.output and "Traceback" not in result.output
    assert _store_digest(store) == before


def test_names_that_are_not_utf8_or_hold_line_breaks_are_escaped(tmp_path):
    import json
    import os

    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as f:
        f.write(GOOD.encode())
    (folder / "two\nlines.txt").write_text("The Security Council adopted resolution 853 (1993).")
    (folder / "annex.meta.final.txt").write_text("The Security Council adopted resolution 874 (1993).")
    db = tmp_path / "d.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    paths = sorted(os.path.basename(f["path"]) for f in json.loads(result.stdout)["files"])
    assert paths == ["annex.meta.final.txt", "bad\\xff.txt", "two\\x0alines.txt"]  # a name with .meta. is a document
    names = [d["filename"] for d in json.loads(CliRunner().invoke(main, ["documents", "--db", str(db),
                                                                         "--format", "json"]).stdout)]
    assert "bad\\xff.txt" in names


def test_a_lone_surrogate_in_a_sidecar_is_refused(tmp_path, store):
    path = tmp_path / "a.txt"
    path.write_text("The Security Council adopted resolution 884 (1993).")
    (tmp_path / "a.txt.meta.json").write_text('{"title": "\\ud800"}')
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "lone surrogate" in result.output


def test_a_deeply_nested_yaml_sidecar_is_refused_at_once(tmp_path, store):
    import time

    path = tmp_path / "b.txt"
    path.write_text("The Security Council adopted resolution 822 (1993).")
    (tmp_path / "b.txt.meta.yaml").write_text("title: " + "[" * 30000 + "]" * 30000)
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "nested more than 20 deep" in result.output
    assert time.perf_counter() - t0 < 20  # PyYAML alone took 76 s over this


def test_a_docx_with_a_corrupt_deflate_stream_is_one_line(tmp_path, store):
    raw = bytearray(_docx_bytes())
    raw[raw.index(b"word/document.xml") + 37] ^= 0xFF
    path = tmp_path / "z.docx"
    path.write_bytes(bytes(raw))
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "not a readable DOCX" in result.output and "internal error" not in result.output


def test_a_pdf_text_bomb_is_refused(tmp_path, store):
    import zlib

    from tests.documents import make_pdf

    # one compressed page of 60 lines, listed 1,200 times in the page tree: a small file, 2.5 M characters
    lines = b"BT /F1 11 Tf 12 TL 40 800 Td\n" + b"(Around 150 villages were destroyed in Lachin.) ' \n" * 60 + b"ET"
    packed = zlib.compress(lines, 9)
    raw = make_pdf(["x"])
    head, _, rest = raw.partition(b"5 0 obj\n")
    _, _, tail = rest.partition(b"\nendobj\n")
    raw = head + b"5 0 obj\n<< /Length " + str(len(packed)).encode() + b" /Filter /FlateDecode >>\nstream\n" + packed + \
        b"\nendstream\nendobj\n" + tail
    raw = raw.replace(b"/Kids [3 0 R] /Count 1", b"/Kids [" + b"3 0 R " * 1200 + b"] /Count 1200")
    path = tmp_path / "bomb.pdf"
    path.write_bytes(raw)
    assert len(raw) < 20_000
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "text bomb" in result.output, result.output


def test_stray_bytes_are_not_read_as_an_unusual_code_page(tmp_path, store):
    path = tmp_path / "stray.txt"
    path.write_bytes(b"Kalbajar \xff\xfe was occupied in 1993.\n")  # once read as cp1006: "Kalbajar \ufe7d\ufe7c"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "invalid UTF-8 at byte 9" in result.output
    russian = tmp_path / "ru.txt"
    russian.write_bytes(("Кельбаджар был оккупирован в 1993 году. " * 4).encode("cp1251"))
    result = CliRunner().invoke(main, ["ingest", str(russian), "--db", str(store)])
    assert result.exit_code == 0 and "read as cp1251" in result.output


def test_a_pdf_flate_bomb_is_refused_before_pdfium_reads_it(tmp_path, store):
    import time
    import zlib

    from tests.documents import make_pdf

    body = zlib.compress(b"0" * (100 * 1024 * 1024), 9)  # 100 KB that inflate to 100 MB
    raw = make_pdf(["x"])
    head, _, rest = raw.partition(b"5 0 obj\n")
    _, _, tail = rest.partition(b"\nendobj\n")
    raw = head + b"5 0 obj\n<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\nstream\n" + body + \
        b"\nendstream\nendobj\n" + tail
    path = tmp_path / "flate.pdf"
    path.write_bytes(raw)
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "flate bomb" in result.output, result.output
    assert time.perf_counter() - t0 < 20


def test_a_pdf_whose_page_contents_inflate_far_is_refused_but_a_large_image_is_not(tmp_path, store):
    """pdfium parses page contents at about a second per inflated megabyte: a 50 KB file holding 16 MB of
    text operators (the fuzz's hang) is refused at once; an image stream of that size is not parsed, and
    counts only against the overall cap."""
    import zlib

    from docket.ingest import _check_streams
    from tests.documents import make_pdf

    ops = b"BT /F1 11 Tf 40 950 Td\n" + b"(Forty houses were damaged in the night.) Tj\n" * 400_000 + b"ET"
    packed = zlib.compress(ops, 9)
    raw = make_pdf(["x"])
    head, _, rest = raw.partition(b"5 0 obj\n")
    _, _, tail = rest.partition(b"\nendobj\n")
    bomb = head + b"5 0 obj\n<< /Length " + str(len(packed)).encode() + b" /Filter /FlateDecode >>\nstream\n" + packed + \
        b"\nendstream\nendobj\n" + tail
    assert len(bomb) < 100_000
    path = tmp_path / "ops.pdf"
    path.write_bytes(bomb)
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "page contents and fonts (a flate bomb)" in result.output, result.output

    pixels = zlib.compress(b"\x80" * len(ops), 9)
    image = head + b"5 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\n9 0 obj\n<< /Type /XObject /Subtype /Image " \
        b"/Width 4000 /Height 4000 /BitsPerComponent 8 /ColorSpace /DeviceGray /Length " + str(len(pixels)).encode() + \
        b" /Filter /FlateDecode >>\nstream\n" + pixels + b"\nendstream\nendobj\n" + tail
    _check_streams(image, "image.pdf")  # within the overall cap: not refused


def test_a_bad_sidecar_of_a_file_whose_name_holds_a_line_break_is_one_line(tmp_path, store):
    before = _store_digest(store)
    path = tmp_path / "new\nline.md"
    path.write_text("The Security Council adopted resolution 853 (1993).", encoding="utf-8")
    (tmp_path / "new\nline.md.meta.yml").write_text("source_url: 'javascript:alert(1)'\n")
    (tmp_path / "new\nline.md.meta.yml.bad").write_text("")  # a neighbour that is not its sidecar
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    lines = [ln for ln in result.output.splitlines() if "source_url" in ln]
    assert result.exit_code == 1 and len(lines) == 1 and "new\\x0aline.md.meta.yml: source_url" in lines[0], result.output
    assert _store_digest(store) == before


def test_a_docx_needing_a_newer_zip_version_is_reported(tmp_path, store):
    """zipfile raises NotImplementedError ("zip file version 6.9") for a part whose header asks for a
    zip version it lacks: one line, exit 1, store unchanged."""
    from tests.documents import make_docx

    raw = bytearray(make_docx(["Around 150 villages were destroyed."]))
    at = raw.find(b"PK\x01\x02")
    raw[at + 6:at + 8] = (69).to_bytes(2, "little")  # version needed to extract: 6.9
    path = tmp_path / "new.docx"
    path.write_bytes(bytes(raw))
    before = _store_digest(store)
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(store)])
    assert result.exit_code == 1 and "a zip feature Python cannot read: zip file version 6.9" in result.output, result.output
    assert "internal error" not in result.output and _store_digest(store) == before


# ---------------------------------------------------------------- incident decisions

KALBAJAR = ("On 2 April 1993 the armed forces of Armenia killed 511 civilians in Kalbajar. Around 150 villages in "
            "Kalbajar were destroyed in April 1993.\n")


@pytest.fixture
def incidents_store(tmp_path):
    db = tmp_path / "incidents.db"
    path = tmp_path / "kalbajar.txt"
    path.write_text(KALBAJAR)
    assert CliRunner().invoke(main, ["ingest", str(path), "--db", str(db), "--publisher", "Ministry"]).exit_code == 0
    claims = __import__("json").loads(CliRunner().invoke(main, ["claims", "--db", str(db), "--format", "json"]).stdout)
    by_kind = {c["kind"]: c["id"] for c in claims}
    return db, by_kind["killing"], by_kind["destruction"]


def _decisions_logged(db) -> tuple:
    """The log's length and the incident decisions it vouches for (verify checks the store too)."""
    import json

    r = CliRunner().invoke(main, ["verify", "--db", str(db), "--format", "json"])
    v = json.loads(r.stdout)
    return v["ok"], v["entries"], v["incident_decisions"]


@pytest.mark.parametrize("label, args, expected", [
    ("unknown claim", ["grade", "c-0000000000000000", "fair", "--reason", "x"], "c-0000000000000000: no such claim"),
    ("unknown other claim", ["merge", "{killing}", "c-nosuch", "--reason", "x"], "c-nosuch: no such claim"),
    ("bad grade", ["grade", "{killing}", "splendid", "--reason", "x"],
     "grade splendid: expected one of confirmed, fair, weak, contested, discounted"),
    ("merge across kinds", ["merge", "{killing}", "{destruction}", "--reason", "x"],
     "is a killing claim and {destruction} a destruction claim; only incidents of one kind are merged"),
    ("merge with itself", ["merge", "{killing}", "{killing}", "--reason", "x"], "cannot merge an incident with itself"),
    ("no reason", ["grade", "{killing}", "fair"], "grade: give a reason"),
    ("blank reason", ["split", "{killing}", "--reason", "  "], "split: give a reason"),
    ("split of a lone claim", ["split", "{killing}", "--reason", "x"], "stands alone already"),
    ("history of an unknown claim", ["history", "c-nosuch"], "c-nosuch: no such claim"),
])
def test_each_bad_incident_decision_is_one_line_and_store_unchanged(incidents_store, label, args, expected):
    db, killing, destruction = incidents_store
    before = (_store_digest(db), _decisions_logged(db))
    filled = [a.format(killing=killing, destruction=destruction) for a in args]
    result = CliRunner().invoke(main, ["incidents", *filled, "--db", str(db)])
    assert result.exit_code == 1, (label, result.output)
    assert expected.format(killing=killing, destruction=destruction) in result.output, (label, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert (_store_digest(db), _decisions_logged(db)) == before


def test_an_incident_decision_without_a_store_creates_none(tmp_path):
    missing = tmp_path / "none.db"
    for args in (["grade", "c-1", "fair", "--reason", "x"], ["merge", "c-1", "c-2", "--reason", "x"],
                 ["split", "c-1", "--reason", "x"], ["history", "c-1"]):
        result = CliRunner().invoke(main, ["incidents", *args, "--db", str(missing)])
        assert result.exit_code == 1 and "no store here" in result.output and "Traceback" not in result.output
        assert not missing.exists()


# ---------------------------------------------------------------- accounts, tokens and groups

ROOT_PW, ANA_PW, REX_PW = "tall pines by the lake", "quiet river under the bridge", "seven lanterns on a hill"


@pytest.fixture(scope="module")
def _accounts_template(tmp_path_factory):
    """A store with a document, an admin (root), an analyst (ana), a reader (rex), a disabled analyst (dee),
    a token and a group, made once (argon2 takes its time on purpose)."""
    tmp_path = tmp_path_factory.mktemp("accounts")
    db = tmp_path / "accounts.db"
    path = tmp_path / "kalbajar.txt"
    path.write_text(KALBAJAR)
    steps = [(["ingest", str(path), "--publisher", "Ministry"], None),
             (["users", "add", "root", "--role", "admin", "--password-stdin"], ROOT_PW),
             (["--as", "root", "users", "add", "ana", "--role", "analyst", "--password-stdin"], ANA_PW),
             (["--as", "root", "users", "add", "rex", "--role", "reader", "--password-stdin"], REX_PW),
             (["--as", "root", "users", "add", "dee", "--role", "analyst", "--password-stdin"], ANA_PW + "!"),
             (["--as", "root", "users", "disable", "dee"], None),
             (["--as", "root", "tokens", "create", "--user", "ana", "--expires", "7d"], None),
             (["--as", "root", "groups", "add", "witnesses"], None)]
    for args, password in steps:
        result = CliRunner().invoke(main, [*args, "--db", str(db)], input=password and password + "\n")
        assert result.exit_code == 0, result.output
    claims = __import__("json").loads(CliRunner().invoke(main, ["claims", "--db", str(db), "--format", "json"]).stdout)
    return db, {c["kind"]: c["id"] for c in claims}


@pytest.fixture
def accounts_store(_accounts_template, tmp_path):
    """A copy of the template store, for one test to change or leave alone."""
    import shutil

    template, ids = _accounts_template
    db = tmp_path / "accounts.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(str(template) + suffix).exists():
            shutil.copyfile(str(template) + suffix, str(db) + suffix)
    return db, ids


def _accounts_state(db) -> tuple:
    """What the store holds, accounts included, and its log's length."""
    import json

    listed = [CliRunner().invoke(main, ["--as", "root", *args, "--db", str(db), "--format", "json"]).stdout
              for args in (["users", "list"], ["tokens", "list"], ["groups", "list"])]
    v = json.loads(CliRunner().invoke(main, ["verify", "--db", str(db), "--format", "json"]).stdout)
    return _store_digest(db), listed, v["ok"], v["entries"]


@pytest.mark.parametrize("label, args, stdin, expected", [
    ("unknown user", ["--as", "root", "users", "disable", "ghost"], None, "ghost: no such account"),
    ("unknown user's password", ["--as", "root", "users", "passwd", "ghost", "--password-stdin"], ANA_PW,
     "ghost: no such account"),
    ("unknown user's role", ["--as", "root", "users", "role", "ghost", "admin"], None, "ghost: no such account"),
    ("token for an unknown user", ["--as", "root", "tokens", "create", "--user", "ghost"], None,
     "ghost: no such account"),
    ("unknown member", ["--as", "root", "groups", "members", "add", "witnesses", "ghost"], None,
     "ghost: no such account"),
    ("acting as an unknown account", ["--as", "ghost", "users", "list"], None,
     "ghost: no such account; this store has accounts"),
    ("duplicate user", ["--as", "root", "users", "add", "ana", "--role", "reader", "--password-stdin"], REX_PW,
     "ana: an account of this name exists already"),
    ("duplicate group", ["--as", "root", "groups", "add", "witnesses"], None,
     "witnesses: a group of this name exists already"),
    ("bad role", ["--as", "root", "users", "add", "zed", "--role", "boss", "--password-stdin"], REX_PW,
     "role boss: expected one of reader, analyst, admin"),
    ("bad role change", ["--as", "root", "users", "role", "ana", "superuser"], None,
     "role superuser: expected one of reader, analyst, admin"),
    ("same role", ["--as", "root", "users", "role", "ana", "analyst"], None, "ana is an analyst already"),
    ("bad name", ["--as", "root", "users", "add", "Ana Smith", "--role", "reader", "--password-stdin"], REX_PW,
     "account name 'Ana Smith': expected 1 to 64 lower-case letters"),
    ("empty password", ["--as", "root", "users", "add", "zed", "--role", "reader", "--password-stdin"], "",
     "zed: the password is empty"),
    ("short password", ["--as", "root", "users", "add", "zed", "--role", "reader", "--password-stdin"], "abc123",
     "zed: the password is too short (at least 10 characters)"),
    ("common password", ["--as", "root", "users", "passwd", "ana", "--password-stdin"], "password123",
     "ana: the password is too easy to guess"),
    ("bad --expires", ["--as", "root", "tokens", "create", "--user", "ana", "--expires", "soon"], None,
     "--expires soon: expected a span such as 30d, 12h or 8w, or a date YYYY-MM-DD"),
    ("past --expires", ["--as", "root", "tokens", "create", "--user", "ana", "--expires", "2020-01-01"], None,
     "--expires 2020-01-01: that is past"),
    ("far --expires", ["--as", "root", "tokens", "create", "--user", "ana", "--expires", "999d"], None,
     "a token lasts at most 366 days"),
    ("bad scope", ["--as", "root", "tokens", "create", "--user", "ana", "--scope", "admin"], None,
     "scope admin: expected one of read, write"),
    ("token for a disabled account", ["--as", "root", "tokens", "create", "--user", "dee"], None,
     "dee: the account is disabled; a token for it would not be accepted"),
    ("unknown token", ["--as", "root", "tokens", "revoke", "99"], None, "token 99: no such token"),
    ("token that is no number", ["--as", "root", "tokens", "revoke", "abc"], None,
     "token abc: expected a token's number"),
    ("disabled account acting", ["--as", "dee", "review", "confirm", "{killing}"], None, "dee: the account is disabled"),
    ("last admin disabled", ["--as", "root", "users", "disable", "root"], None,
     "root: the only enabled admin cannot be disabled"),
    ("last admin demoted", ["--as", "root", "users", "role", "root", "reader"], None, "root: the only enabled admin"),
    ("--by against --as", ["--as", "ana", "review", "confirm", "{killing}", "--by", "rex"], None,
     "--by rex: you act as ana (--as)"),
    ("reader reviews", ["--as", "rex", "review", "confirm", "{killing}"], None,
     "rex is a reader and may not review claims"),
    ("reader grades", ["--as", "rex", "incidents", "grade", "{killing}", "fair", "--reason", "x"], None,
     "rex is a reader and may not merge, split and grade incidents"),
    ("reader merges entities", ["--as", "rex", "entities", "split", "armed forces of Armenia"], None,
     "rex is a reader and may not merge and split entities"),
    ("reader edits a document", ["--as", "rex", "documents", "edit", "kalbajar.txt", "--title", "x", "--reason", "x"],
     None, "rex is a reader and may not correct a document's metadata"),
    ("analyst adds an account", ["--as", "ana", "users", "add", "zed", "--role", "reader", "--password-stdin"], REX_PW,
     "ana is an analyst and may not add accounts"),
    ("analyst makes a group", ["--as", "ana", "groups", "add", "mine"], None, "ana is an analyst and may not add groups"),
    ("analyst's token for another", ["--as", "ana", "tokens", "create", "--user", "rex"], None,
     "ana is an analyst and may not add accounts"),
    ("reader revokes another's token", ["--as", "rex", "tokens", "revoke", "1"], None,
     "rex is a reader and may not add accounts"),
])
def test_each_bad_account_input_is_one_line_and_store_unchanged(accounts_store, label, args, stdin, expected):
    db, ids = accounts_store
    before = _accounts_state(db)
    filled = [a.format(**ids) for a in args]
    result = CliRunner().invoke(main, [*filled, "--db", str(db)], input=None if stdin is None else stdin + "\n")
    assert result.exit_code == 1, (label, result.output)
    assert expected in result.stderr, (label, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout.strip(), result.output
    assert _accounts_state(db) == before


def test_mismatched_password_confirmation_changes_nothing(accounts_store):
    db, _ = accounts_store
    before = _accounts_state(db)
    for args in (["users", "add", "zed", "--role", "reader"], ["users", "passwd", "ana"]):
        result = CliRunner().invoke(main, ["--as", "root", *args, "--db", str(db)],
                                    input="one long passphrase\nanother long passphrase\n")
        assert result.exit_code == 1 and "the two passwords typed differ; nothing changed" in result.stderr
        assert "Traceback" not in result.output and "passphrase" not in result.output
    assert _accounts_state(db) == before


def test_an_expired_token_is_refused_and_changes_nothing(accounts_store):
    from datetime import UTC, datetime, timedelta

    from docket.services import accounts
    from docket.store import open_store

    db, _ = accounts_store
    store = open_store(str(db))
    root = accounts.local_actor(store, "root")
    token, row = accounts.create_token(store, root, "ana", "write", "1h", now=datetime.now(UTC) - timedelta(hours=2))
    before = _accounts_state(db)
    with pytest.raises(accounts.NotAuthenticated, match=f"API token {row['id']} of ana: expired on"):
        accounts.authenticate_token(store, token)
    listed = CliRunner().invoke(main, ["--as", "root", "tokens", "list", "--db", str(db)]).stdout
    assert "expired" in listed
    assert _accounts_state(db) == before


def test_an_account_command_without_a_store_creates_none(tmp_path):
    missing = tmp_path / "none.db"
    for args in (["users", "list"], ["users", "disable", "ana"], ["tokens", "create", "--user", "ana"],
                 ["tokens", "list"], ["groups", "add", "x"], ["groups", "members", "add", "x", "ana"]):
        result = CliRunner().invoke(main, [*args, "--db", str(missing)])
        assert result.exit_code == 1 and "no store here" in result.output and "Traceback" not in result.output
        assert not missing.exists()
