"""`docket dossier`: every figure of the founding press release with its evidence, every
contradiction, in Markdown and in self-contained HTML checked in a real browser (Debian's Chromium
driven by Playwright)."""

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from docket.cli import main
from tests.conftest import GOLD, PRESS_RELEASE, needs_shared

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dossier-kalbajar.png"


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    if not PRESS_RELEASE.exists():
        pytest.skip("../shared (the founding press release) is not present")
    tmp = tmp_path_factory.mktemp("dossier")
    db = tmp / "d.db"
    with resources.as_file(resources.files("docket").joinpath("examples")) as examples:
        r = CliRunner().invoke(main, ["ingest", str(PRESS_RELEASE), str(examples), "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["dossier", "Kalbajar", "--db", str(db), "--out-dir", str(tmp)])
    assert r.exit_code == 0, r.output
    data = json.loads(CliRunner().invoke(main, ["dossier", "Kalbajar", "--db", str(db), "--format", "json"]).output)
    return tmp / "dossier-kalbajar.md", tmp / "dossier-kalbajar.html", data


def _press_release_figures():
    """(kind, value) of every figure the gold file gives the press release."""
    out = set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        q = g.get("quantity")
        if "kind" in g and q and not g.get("optional"):
            out.add((g["kind"], q.get("value") if q.get("value") is not None else q.get("low")))
    return out


@needs_shared
def test_markdown_lists_every_press_release_figure_with_evidence(dossier):
    md, _, data = dossier
    text = md.read_text(encoding="utf-8")
    evidence = [e for e in data["evidence"] if e["document"]["publisher"] == "Ministry of Foreign Affairs of Azerbaijan"]
    found = {(next(c for c in data["clusters"] for f in c["figures"] if f["claim"] == e["claim"])["kind"],
              next(f["quantity"]["value"] if f["quantity"]["value"] is not None else f["quantity"]["low"]
                   for c in data["clusters"] for f in c["figures"] if f["claim"] == e["claim"])) for e in evidence}
    assert _press_release_figures() - found == set()
    assert "511 innocent civilians were killed" in text
    assert len(data["contradictions"]) == 3
    assert "## Contradictions" in text and "320" in text


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
@needs_shared
def test_html_in_chromium(dossier):
    from playwright.sync_api import sync_playwright

    _, html, data = dossier
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(html.as_uri())
        assert page.title() == "Dossier: Kalbajar"
        assert page.locator("#title").inner_text() == "Dossier: Kalbajar"
        assert "Karvachar" in page.locator("#aliases").inner_text()
        assert page.locator(".contradiction").count() == 3
        killing = page.locator("table[data-kind=killing]")
        assert "511" in killing.inner_text() and "320" in killing.inner_text()
        assert killing.locator(".flag-contradiction").count() >= 1
        # every figure has its quoted evidence with the claim's characters marked
        assert page.locator(".evidence").count() == len(data["evidence"])
        assert page.locator(".evidence mark", has_text="511 innocent civilians were killed").count() == 1
        assert page.locator("script").count() == 0  # self-contained, nothing to run
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)
        browser.close()
