"""Uploads through the page: odd names, sizes over the limit (said, not stored), a failing reader
(the upload page with one line, never a 500), the custody source passed on, and an ingest that
does not hold up other requests."""

import re
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from docket import services
from docket.web import create_app
from docket.web.uploads import FALLBACK, NAME_BYTES, safe_name

TEXT = b"Press release 1 May 2020\n\nAround 40 houses in Lachin were destroyed in May 1992.\n"


@pytest.fixture
def app(tmp_path):
    return create_app(str(tmp_path / "u.db"), user="uploader")


@pytest.fixture
def client(app):
    return TestClient(app, base_url="http://localhost")


def csrf(client) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', client.get("/upload").text).group(1)


def upload(client, name: str, data: bytes = TEXT, **fields):
    """POST the upload form as a browser writes it: the file name as it is (httpx would percent-encode
    control characters and leave out an empty name), only quotes escaped."""
    boundary = "----docketboundary7MA4YWxkTrZu0gW"
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in ({"csrftoken": csrf(client)} | fields).items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="'.encode()
             + name.replace('"', "%22").encode() + b'"\r\nContent-Type: text/plain\r\n\r\n' + data
             + f"\r\n--{boundary}--\r\n".encode())
    return client.post("/upload", content=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                       follow_redirects=False)


def stored(app) -> list[dict]:
    return app.state.store.documents()


@pytest.mark.parametrize("name, kept", [
    (".", FALLBACK), ("..", FALLBACK), ("", FALLBACK), ("...", FALLBACK), (" ", FALLBACK),
    ("../../etc/passwd.txt", "passwd.txt"), ("C:\\Users\\me\\report.txt", "report.txt"),
    ("bad\x00na\x1bme\x7f.txt", "badname.txt"), ("evil\u202etxt.exe", "eviltxt.exe"),
    ("a" * 300 + ".txt", "a" * (NAME_BYTES - 4) + ".txt"), ("ü" * 200 + ".md", "ü" * 98 + ".md"),
    ("x" * 300, "x" * NAME_BYTES), ("report." + "x" * 300, "report." + "x" * (NAME_BYTES - 7)),
])
def test_odd_upload_names_are_made_safe(app, client, name, kept):
    """Each of these was a 500 (".", "..", "", names over 255 bytes) or a name to be wary of."""
    assert safe_name(name) == kept
    assert len(kept.encode()) <= NAME_BYTES
    r = upload(client, name)
    assert r.status_code == 303, r.text[-500:]
    assert stored(app)[0]["filename"] == kept


def test_line_breaks_in_a_name_go_too():
    assert safe_name("two\nlines\r\n.txt") == "twolines.txt" and safe_name(None) == FALLBACK


def test_an_empty_upload_with_a_dot_for_a_name_says_so(app, client):
    r = upload(client, ".", b"")
    assert r.status_code == 400 and f"{FALLBACK}: the file is empty" in r.text and stored(app) == []


def test_a_form_without_a_file(client, app):
    r = client.post("/upload", data={"csrftoken": csrf(client), "title": "x"})
    assert r.status_code == 400 and "choose a file to upload" in r.text and stored(app) == []


def test_an_upload_over_the_limit_is_refused_and_not_stored(app, client, monkeypatch):
    monkeypatch.setenv("DOCKET_MAX_BYTES", "1000")
    r = upload(client, "big.txt", b"Around 40 houses were destroyed. " * 100)  # 3300 bytes: under the margin
    assert r.status_code == 413
    assert "big.txt: over the size limit of 1000 bytes (set DOCKET_MAX_BYTES)" in r.text and stored(app) == []
    assert upload(client, "small.txt", TEXT).status_code == 303


def test_a_declared_length_over_the_limit_is_refused_before_reading(app, client, monkeypatch):
    from docket.web.security import UPLOAD_MARGIN

    monkeypatch.setenv("DOCKET_MAX_BYTES", "1000")
    r = upload(client, "huge.txt", b"x" * (1000 + UPLOAD_MARGIN + 10))
    assert r.status_code == 413 and "larger than this server accepts" in r.text and stored(app) == []
    # and a body with no declared length is cut off where it passes the limit
    chunks = (b"y" * 65536 for _ in range(100))
    r = client.post("/upload", content=chunks, headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413 and "larger than this server accepts" in r.text and stored(app) == []


def test_api_bodies_are_capped_too(client):
    r = client.post("/api/claims/c-x/review", content=b'{"reason": "' + b"x" * 2_000_000 + b'"}',
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["status"] == 413


@pytest.mark.parametrize("failure", [RuntimeError("boom\nTraceback (most recent call last): ..."),
                                     MemoryError(), OSError(28, "No space left on device")])
def test_any_failure_of_the_ingest_is_the_upload_page_with_one_line(app, client, monkeypatch, failure):
    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(services, "ingest_file", fail)
    r = upload(client, "doc.txt")
    assert r.status_code == 400
    message = re.search(r'<p class="error" id="upload-error">(.*?)</p>', r.text, re.S).group(1)
    assert message.startswith("doc.txt: ") and "\n" not in message and "/tmp" not in message, message


def test_a_reader_error_names_the_upload_not_its_temporary_copy(app, client):
    r = upload(client, "scan.pdf", b"%PDF-1.4 not really a pdf")
    assert r.status_code == 400
    message = re.search(r'<p class="error" id="upload-error">(.*?)</p>', r.text, re.S).group(1)
    assert message.startswith("scan.pdf") and "docket-upload-" not in message


def test_the_upload_tells_ingest_where_it_came_from(app, client, monkeypatch):
    seen = []
    real = services.ingest_file

    def spy(store, path, overrides=None, limit=None, source=None, **kw):
        seen.append((path.name, overrides, source))
        return real(store, path, overrides, limit, source, **kw)

    monkeypatch.setattr(services, "ingest_file", spy)
    r = upload(client, "../Statement\x07 of 2 May.txt", publisher="Ministry", title="Statement", published="2020-05-02")
    assert r.status_code == 303
    name, overrides, source = seen[0]
    assert name == "Statement of 2 May.txt"
    assert (overrides.publisher, overrides.title, overrides.published) == ("Ministry", "Statement", "2020-05-02")
    assert source == services.Source(via="web upload", name="../Statement of 2 May.txt", actor="uploader")


def test_a_long_ingest_does_not_hold_up_other_requests(live, monkeypatch):
    """The ingest runs in a worker thread: while one is stuck, the server answers others."""
    base, app = live
    started, release = threading.Event(), threading.Event()
    real = services.ingest_file

    def slow(*args, **kwargs):
        started.set()
        release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "ingest_file", slow)
    with httpx.Client(base_url=base, timeout=30) as browser:
        token = re.search(r'name="csrftoken" value="([^"]+)"', browser.get("/upload").text).group(1)
        result = {}
        thread = threading.Thread(target=lambda: result.setdefault("r", browser.post(
            "/upload", data={"csrftoken": token}, files={"file": ("slow.txt", TEXT + b"Slowly.\n")})))
        thread.start()
        try:
            assert started.wait(10)
            t0 = time.monotonic()
            assert httpx.get(base + "/api/summary", timeout=5).status_code == 200
            assert time.monotonic() - t0 < 2
        finally:
            release.set()
            thread.join(30)
    assert result["r"].status_code == 303


@pytest.mark.parametrize("fields,expected", [
    ({"title": "x" * 5000}, "title: longer than 1000 characters"),
    ({"published": "2 May 2020"}, "expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"publisher": "a\x07b"}, "control characters are not allowed"),
])
def test_the_form_s_metadata_is_checked_as_every_face_checks_it(app, client, fields, expected):
    r = upload(client, "note.txt", **fields)
    assert r.status_code == 400 and expected in r.text
    assert stored(app) == []


def test_a_title_with_line_breaks_is_one_line_in_the_dossier(app, client):
    from docket.services.dossier import markdown_text

    r = upload(client, "note.txt", title="Report\n\n# Verified by the UN")
    assert r.status_code in (200, 303)
    assert markdown_text("Report\n\n# Verified by the UN") == "Report # Verified by the UN"


def test_a_bad_size_limit_is_said_when_the_app_starts(tmp_path, monkeypatch):
    from docket.errors import DocketError

    monkeypatch.setenv("DOCKET_MAX_BYTES", "lots")
    with pytest.raises(DocketError, match="DOCKET_MAX_BYTES='lots'"):
        create_app(str(tmp_path / "x.db"))
