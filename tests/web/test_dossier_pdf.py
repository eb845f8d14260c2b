"""The place page's PDF dossier: `/places/{id}/dossier.pdf` prints the dossier with the server's
Chromium and sends it as a file; without Chromium it says why (503); an unknown place is a 404."""

import shutil
from importlib import resources
from importlib.util import find_spec

import pytest
from fastapi.testclient import TestClient

from docket import services
from docket.store import open_store
from docket.web import create_app

KALBAJAR = "geonames:586047"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("pdf-web") / "w.db"
    store = open_store(str(db))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        services.ingest_paths(store, services.expand_paths([folder]))
    return TestClient(create_app(str(db), user="tester"), base_url="http://localhost")


def test_the_place_page_links_its_pdf_dossier(client):
    page = client.get(f"/places/{KALBAJAR}").text
    assert f'href="/places/{KALBAJAR}/dossier"' in page
    assert f'href="/places/{KALBAJAR}/dossier.pdf"' in page


@pytest.mark.skipif(CHROMIUM is None or find_spec("playwright") is None,
                    reason="Debian's chromium and Playwright are not installed (.ci/run installs them)")
def test_the_pdf_dossier_is_served_as_a_file(client):
    r = client.get(f"/places/{KALBAJAR}/dossier.pdf")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="dossier-kalbajar.pdf"'
    assert r.content.startswith(b"%PDF-") and len(r.content) > 20_000
    assert r.headers["x-content-type-options"] == "nosniff"


def test_without_chromium_the_pdf_dossier_says_why(client, monkeypatch):
    from docket.services import dossier

    monkeypatch.setattr(dossier, "chromium_path", lambda: None)
    r = client.get(f"/places/{KALBAJAR}/dossier.pdf")
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/html")
    assert "--format pdf needs Chromium and Playwright" in r.text and "Traceback" not in r.text


def test_the_pdf_dossier_of_no_place_is_a_404(client):
    assert client.get("/places/geonames:1/dossier.pdf").status_code == 404
    assert client.get("/places/nosuch/dossier.pdf").status_code == 404
