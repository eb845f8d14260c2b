"""Reading each format: the text that claims point into, and the metadata found on the way."""

import json

import pytest

from docket.errors import DocketError
from docket.ingest import normalise, read_document
from docket.model import DocumentMeta
from tests.conftest import PRESS_RELEASE, needs_shared
from tests.documents import make_docx, make_html, make_pdf

LINES = [
    "Press release 12 May 2019",
    "Heritage of the Lachin district",
    "About 500 houses were destroyed in Lachin in May 1992.",
]


def _read(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return read_document(path)[:2]


def test_plain_text_keeps_bytes_and_finds_the_dateline(tmp_path):
    raw = "\n\n".join(LINES).encode()
    doc, kept = _read(tmp_path, "statement.txt", raw)
    assert kept == raw
    assert doc.media_type == "text/plain"
    assert doc.meta.published == "2019-05-12"
    assert doc.meta.genre == "press_release"
    assert doc.meta.title == "Heritage of the Lachin district"
    assert "About 500 houses" in doc.text


def test_legacy_encoding_is_detected(tmp_path):
    text = "Le village de Lachin a été détruit en mai 1992, selon le ministère. " * 5
    doc, _ = _read(tmp_path, "latin1.txt", text.encode("cp1252"))
    assert "détruit" in doc.text


def test_normalise_keeps_one_character_per_character():
    raw = "a\u00a0b\tc\u202fd"
    assert normalise(raw) == "a b c d"
    assert len(normalise(raw)) == len(raw)
    assert normalise("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_markdown_headings_and_emphasis_go(tmp_path):
    doc, _ = _read(tmp_path, "note.md", "# Lachin\n\nAbout **500** houses were destroyed.\n")
    assert doc.media_type == "text/markdown"
    assert doc.text.startswith("Lachin\n\nAbout 500 houses")


def test_html_main_text_without_boilerplate(tmp_path):
    html = make_html("Houses destroyed in Lachin", LINES[2:] * 3 + ["The ministry said the figures were checked."])
    doc, _ = _read(tmp_path, "page.html", html)
    assert doc.media_type == "text/html"
    assert "About 500 houses were destroyed in Lachin" in doc.text
    for boilerplate in ("cookies", "Copyright", "Sport"):
        assert boilerplate not in doc.text
    assert doc.meta.title == "Houses destroyed in Lachin"
    assert doc.meta.publisher == "Caucasus Ledger"


def test_pdf_text(tmp_path):
    doc, raw = _read(tmp_path, "statement.pdf", make_pdf(LINES))
    assert raw.startswith(b"%PDF")
    assert doc.media_type == "application/pdf"
    assert "About 500 houses were destroyed in Lachin in May 1992." in doc.text
    assert doc.meta.published == "2019-05-12"


def test_docx_text(tmp_path):
    doc, _ = _read(tmp_path, "statement.docx", make_docx(LINES))
    assert doc.media_type.endswith("wordprocessingml.document")
    assert doc.text.split("\n\n") == LINES
    assert doc.meta.title == "Heritage of the Lachin district"


@pytest.mark.parametrize("suffix, body", [
    (".meta.json", json.dumps({"publisher": "Ministry X", "published": "2019-05-13", "speaker": "A. Speaker"})),
    (".meta.yaml", "publisher: Ministry X\npublished: '2019-05-13'\nspeaker: A. Speaker\n"),
])
def test_sidecar_metadata_wins_over_the_text(tmp_path, suffix, body):
    (tmp_path / f"statement.txt{suffix}").write_text(body)
    doc, _ = _read(tmp_path, "statement.txt", "\n\n".join(LINES))
    assert (doc.meta.publisher, doc.meta.published, doc.meta.speaker) == ("Ministry X", "2019-05-13", "A. Speaker")


def test_flags_win_over_the_sidecar(tmp_path):
    (tmp_path / "statement.txt.meta.json").write_text(json.dumps({"publisher": "Ministry X"}))
    path = tmp_path / "statement.txt"
    path.write_text("\n\n".join(LINES))
    doc = read_document(path, DocumentMeta(publisher="Ministry Y")).doc
    assert doc.meta.publisher == "Ministry Y"


@pytest.mark.parametrize("body, problem", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a mapping"),
    (json.dumps({"publisher": "X", "colour": "red"}), "unknown metadata field(s): colour"),
])
def test_bad_sidecar_names_the_sidecar(tmp_path, body, problem):
    (tmp_path / "statement.txt.meta.json").write_text(body)
    with pytest.raises(DocketError, match="statement.txt.meta.json") as e:
        _read(tmp_path, "statement.txt", "\n\n".join(LINES))
    assert problem in str(e.value)


def test_html_without_main_text(tmp_path):
    with pytest.raises(DocketError, match="page.html: no main text"):
        _read(tmp_path, "page.html", "<!DOCTYPE html><html><head><title>x</title></head><body><script>var x = 1;</script></body></html>")


@needs_shared
def test_founding_press_release_metadata():
    doc = read_document(PRESS_RELEASE).doc
    m = doc.meta
    assert m.published == "2018-04-02"
    assert m.speaker == "Hikmat Hajiyev"
    assert m.publisher == "Ministry of Foreign Affairs of Azerbaijan"
    assert m.genre == "press_release"


def test_docx_tables_headers_footers_and_footnotes_are_read(tmp_path):
    from tests.documents import make_rich_docx

    raw = make_rich_docx(["About 500 houses were destroyed in Lachin in May 1992."],
                         [["District", "Houses destroyed"], ["Lachin", "500"], ["Shusha", "120"]],
                         header="Caucasus Rights Monitor · Report 7", footer="Page 1",
                         footnotes=["Figures from the district administration, 1993."])
    doc, _ = _read(tmp_path, "report.docx", raw)
    blocks = doc.text.split("\n\n")
    assert blocks[0] == "Caucasus Rights Monitor · Report 7"  # the header first, as a reader sees it
    assert "District | Houses destroyed\nLachin | 500\nShusha | 120" in blocks
    assert "Figures from the district administration, 1993." in blocks and "----" not in doc.text
    assert blocks[-1] == "Page 1"
    # the file's own properties, weakest of all metadata
    assert doc.meta.publisher == "Caucasus Rights Monitor" and doc.meta.published == "2019-05-12"


def test_a_dateline_wins_over_file_properties(tmp_path):
    from tests.documents import make_rich_docx

    raw = make_rich_docx(LINES, [["a", "b"]], header="", footer="", footnotes=[], author="python-docx")
    doc, _ = _read(tmp_path, "statement.docx", raw)
    assert doc.meta.published == "2019-05-12" and doc.meta.publisher is None  # a template's author is no one


def test_pdf_properties_as_metadata(tmp_path):
    raw = make_pdf(["About 500 houses were destroyed in Lachin in May 1992."])
    raw = raw.replace(b"trailer\n<< /Size 6 /Root 1 0 R >>", b"trailer\n<< /Size 6 /Root 1 0 R /Info 6 0 R >>")
    info = b"6 0 obj\n<< /Title (Lachin report) /Author (Caucasus Rights Monitor) /CreationDate (D:20190512090000Z) >>\nendobj\n"
    at = raw.index(b"xref")
    raw = raw[:at] + info + raw[at:]  # the xref table no longer points right; pdfium repairs it
    doc, _ = _read(tmp_path, "report.pdf", raw)
    assert (doc.meta.publisher, doc.meta.published) == ("Caucasus Rights Monitor", "2019-05-12")
    assert doc.meta.title == "About 500 houses were destroyed in Lachin in May 1992."  # the text's heading wins
