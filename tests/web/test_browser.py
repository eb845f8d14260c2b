"""The web pages in headless Chromium: upload, read with highlighted claims, the claim panel, the place
page's map and comparison, and a document full of script payloads that must execute nothing."""

import os
from pathlib import Path

import pytest

from docket import services
from docket.store import ClaimFilter
from tests.conftest import PRESS_RELEASE, needs_shared

DOCS = Path(__file__).resolve().parents[2] / "docs"


def screenshot(page, name: str) -> None:
    """Refresh the README's screenshots, when asked ($DOCKET_SCREENSHOTS=1): a plain test run leaves a
    clean checkout clean."""
    if os.environ.get("DOCKET_SCREENSHOTS") != "1":
        return
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)


def with_press_release(app) -> None:
    services.ingest_file(app.state.store, PRESS_RELEASE)  # a no-op when the upload test already put it in

PAYLOAD = """Press release 1 May 2020

<script>window.__pwned = 1; alert('x')</script> Headline with <img src=x onerror="window.__pwned=2">

Around 40 houses <b onmouseover="window.__pwned=3">were destroyed</b> in Lachin in May 1992 <svg onload="window.__pwned=4"></svg>.

"><script>window.__pwned=5</script><iframe src="javascript:window.__pwned=6"></iframe> The village of Vang was shelled.
"""


@needs_shared
def test_upload_read_and_click_a_claim(live, page):
    base, _ = live
    page.goto(base + "/upload")
    page.set_input_files("input[name=file]", str(PRESS_RELEASE))
    page.fill("input[name=publisher]", "Ministry of Foreign Affairs of Azerbaijan")
    page.fill("input[name=published]", "2018-04-02")
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/*")
    assert "Statement by Hikmat Hajiyev" in page.locator("#doc-title").inner_text()
    assert page.locator("#doc-text a.span").count() >= 35  # a claim nested in another shows through the outer one
    span = page.locator("#doc-text a.span", has_text="511 innocent civilians were killed")
    assert span.count() == 1
    span.click()
    panel = page.locator("#panel .claim-panel")
    panel.wait_for()
    text = panel.inner_text()
    assert "killing" in text and "511" in text and "Kalbajar" in text
    span.scroll_into_view_if_needed()
    screenshot(page, "page-document")


def test_upload_of_a_bad_file_says_why(live, page):
    base, _ = live
    page.goto(base + "/upload")
    page.set_input_files("input[name=file]", files=[{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}])
    page.click("button[type=submit]")
    assert "empty.txt: the file is empty" in page.locator("#upload-error").inner_text()


def test_script_payloads_execute_nothing(live, page, tmp_path):
    base, _ = live
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    doc = tmp_path / "payload.txt"
    doc.write_text(PAYLOAD, encoding="utf-8")
    page.goto(base + "/upload")
    page.set_input_files("input[name=file]", str(doc))
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/*")
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__pwned = 1" in text  # shown as text
    for s in page.locator("#doc-text a.span").all():  # every claim panel too
        s.click()
        page.locator("#panel .claim-panel").wait_for()
    page.locator("#doc-text a.span").first.hover()
    page.goto(base + "/claims")
    page.goto(base + "/search?q=pwned")
    page.goto(base + "/places/docket:vang")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("#doc-text script, #doc-text img, #doc-text svg, #doc-text iframe").count() == 0


@needs_shared
def test_place_page_map_and_comparison(live, page):
    base, app = live
    with_press_release(app)
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(base + "/places/geonames:586047")
    assert page.locator("#place-name").inner_text() == "Kalbajar"
    assert "Karvachar" in page.locator("#aliases").inner_text()
    page.wait_for_function("document.getElementById('map').getAttribute('data-markers') !== null")
    assert int(page.locator("#map").get_attribute("data-markers")) >= 2
    assert page.locator("#map .leaflet-interactive").count() >= 2  # markers drawn without any tile server
    page.wait_for_selector("#map[data-basemap-countries]")  # and the borders under them (tests/web/test_map.py)
    assert page.locator("#comparison tr[data-kind=destruction]").count() >= 5
    assert page.locator("#timeline tr").count() >= 5
    assert csp_violations(messages) == []  # Leaflet draws under the Content-Security-Policy
    screenshot(page, "page-place")


@needs_shared
def test_an_incident_is_graded_from_the_compare_page(live, page):
    """The grade form under an incident: posted with its CSRF token, as the server's user, and shown."""
    base, app = live
    with_press_release(app)
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(base + "/places/geonames:586047/compare?kind=killing")
    incident = page.locator(".cluster").first
    ident = incident.get_attribute("data-cluster")
    incident.locator("summary").click()
    incident.locator(".grade-form select[name=grade]").select_option("contested")
    incident.locator(".grade-form input[name=reason]").fill("one source, no third count")
    with page.expect_navigation():
        incident.locator(".grade-form button").click()
    assert page.url.endswith("/compare?kind=killing")
    graded = page.locator(f".cluster[data-cluster='{ident}']")
    assert graded.locator(".grade-contested").count() == 1
    assert "graded contested by e2e" in graded.inner_text() and "no third count" in graded.inner_text()
    assert csp_violations(messages) == []


@needs_shared
def test_claims_page_filters_and_sorts(live, page):
    base, app = live
    with_press_release(app)
    page.goto(base + "/claims?kind=destruction&place=Kelbajar")
    assert page.locator("table.claims tr[data-kind=destruction]").count() >= 10
    screenshot(page, "page-claims")
    assert page.locator("table.claims tr[data-claim]:not([data-kind=destruction])").count() == 0
    page.goto(base + "/claims")
    page.click("#facets a.chip >> text=/^killing/")
    assert page.locator("table.claims tr[data-claim]").count() == page.locator("table.claims tr[data-kind=killing]").count() >= 1
    page.goto(base + "/claims")
    page.click("#facet-years a.chip >> text=/^1993/")
    whens = page.locator("table.claims tr[data-claim] td:nth-child(5)").all_inner_texts()
    assert whens and all(w.startswith("1993") for w in whens)
    page.goto(base + "/claims?sort=-when")
    whens = [w.rstrip(" →") for w in page.locator("table.claims tr[data-claim] td:nth-child(5)").all_inner_texts() if w]
    assert whens == sorted(whens, reverse=True)


pytestmark = pytest.mark.filterwarnings("ignore")


def _claim_id(app, text: str, kind: str) -> str:
    return next(c.id for c in app.state.store.claims(ClaimFilter(kind=kind, limit=100_000)) if text in c.text)


@needs_shared
def test_edit_a_figure_then_reject_a_claim(live, page):
    base, app = live
    with_press_release(app)
    cid = _claim_id(app, "321 persons were taken hostage", "detention_missing")
    page.goto(f"{base}/claims/{cid}")
    page.fill("#edit-form input[name=value]", "322")
    page.fill("#edit-form input[name=reason]", "the annex counts one more")
    page.click("#edit-form button")
    page.wait_for_url(f"**/claims/{cid}")
    history = page.locator("#history")
    assert history.locator("tr[data-version]").count() == 2
    current = history.locator("tr[data-version='2']").inner_text()
    assert "322" in current and "e2e" in current and "the annex counts one more" in current
    assert "321" in history.locator("tr[data-version='1']").inner_text()
    assert "322" in page.locator(".claim-panel").inner_text()

    libraries = _claim_id(app, "more than 110 libraries", "destruction")
    page.goto(f"{base}/claims?kind=destruction&place=Kalbajar")
    assert page.locator(f"table.claims tr[data-claim='{libraries}']").count() == 1
    page.goto(f"{base}/claims/{libraries}")
    page.fill("#reject-form input[name=reason]", "double-counted with the schools")
    page.click("#reject-form button")
    page.wait_for_url(f"**/claims/{libraries}")
    assert "rejected" in page.locator("#history tr[data-version='2']").inner_text()
    page.goto(f"{base}/claims?kind=destruction&place=Kalbajar")
    assert page.locator(f"table.claims tr[data-claim='{libraries}']").count() == 0
    page.goto(f"{base}/places/geonames:586047/dossier")
    assert page.locator(f"[data-claim='{libraries}']").count() == 0  # not in the tables, not among the evidence
    assert page.locator("table[data-kind=destruction]").count() == 1
    # and back: restore version 1
    page.goto(f"{base}/claims/{libraries}")
    row = page.locator("#history tr[data-version='1']")
    row.locator("input[name=reason]").fill("rejected by mistake")
    row.locator("button").click()
    page.wait_for_url(f"**/claims/{libraries}")
    assert page.locator("#history tr[data-version]").count() == 3
    page.goto(f"{base}/claims?kind=destruction&place=Kalbajar")
    assert page.locator(f"table.claims tr[data-claim='{libraries}']").count() == 1


@needs_shared
def test_select_text_to_create_a_claim(live, page):
    base, app = live
    with_press_release(app)
    doc = next(d["sha256"] for d in app.state.store.documents() if d["filename"] == PRESS_RELEASE.name)
    page.goto(f"{base}/documents/{doc}")
    words = "heavy weaponry"
    page.evaluate("""(words) => {
        const root = document.getElementById('doc-text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = walker.nextNode())) {
            const i = n.nodeValue.indexOf(words);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(n, i); r.setEnd(n, i + words.length);
                const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
                document.dispatchEvent(new Event('selectionchange'));
                return;
            }
        }
    }""", words)
    page.wait_for_function("document.getElementById('sel-start').value !== ''")
    page.select_option("#create-form select[name=kind]", "attack")
    page.fill("#create-form input[name=reason]", "the weapons deserve their own claim")
    page.click("#create-form button")
    page.wait_for_url("**/claims/*")
    panel = page.locator(".claim-panel").inner_text()
    assert "attack" in panel and words in panel and "created" in panel
    text = app.state.store.document(doc).text
    cid = page.url.rsplit("/", 1)[1]
    c = app.state.store.claims(ClaimFilter(ids=[cid]))[0]
    assert text[c.span[0] : c.span[1]] == words


# ---------------------------------------------------------------- nothing runs, anywhere

SCRIPTED = {  # every field a payload, each setting window.__pwned to its own number if it ever ran
    "title": '<img src=x onerror="window.__pwned=11">Title',
    "publisher": "<script>window.__pwned=12</script>Publisher",
    "agent": '<svg onload="window.__pwned=13"></svg><img src=x onerror=window.__pwned=14>',
    "name": '<img src=x onerror="window.__pwned=15">.txt',
}
SCRIPTED_TEXT = """Press release 3 May 2020

Around 40 houses in Lachin were destroyed by <img src=x onerror="window.__pwned=16"> forces in May 1992.
In Lachin, 12 civilians were killed by the <b onmouseover="window.__pwned=17">brigade</b> in 1992.
"><script>window.__pwned=18</script> The village of Vang was shelled in 1993.
"""


@pytest.fixture(scope="module")
def scripted(live, tmp_path_factory):
    """A document whose text, title, publisher and an agent are script payloads, in the live store."""
    from docket.model import DocumentMeta
    from docket.services import review
    from docket.services.places import place_or_error

    _, app = live
    store, gaz = app.state.store, app.state.gazetteer()
    path = tmp_path_factory.mktemp("scripted") / "scripted.txt"
    path.write_text(SCRIPTED_TEXT, encoding="utf-8")
    sha = services.ingest_file(store, path, DocumentMeta(title=SCRIPTED["title"],
                                                         publisher=SCRIPTED["publisher"])).sha256
    found = store.claims(ClaimFilter(document=sha, limit=1000))
    killing = next(c for c in found if c.kind == "killing")
    review.apply(store, gaz, killing.id, "edit", "e2e", "the agent, as a payload", {"agent": SCRIPTED["agent"]})
    from docket.services.entities import entity_index

    entity = next(e.id for e in entity_index(store).entities.values() if e.name == SCRIPTED["agent"])
    return {"sha": sha, "claim": killing.id, "place": place_or_error(gaz, "Lachin").id, "entity": entity}


def csp_violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m]


def test_no_page_runs_a_payload(live, page, scripted, tmp_path):
    """Every kind of page, the API docs and the dossier (served, and as a file): the payloads show as
    text, nothing runs, every response has its Content-Security-Policy, and nothing breaks it."""
    from urllib.parse import quote

    from docket.services.dossier import build_dossier, render_html
    from docket.services.places import place_by_id

    base, app = live
    dialogs, messages, responses = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: messages.append(f"{page.url}: {m.text}"))
    page.on("response", lambda r: responses.append(r))
    sha, cid, place = scripted["sha"], scripted["claim"], scripted["place"]
    pages = {
        "home": "/", "documents": "/documents", "document": f"/documents/{sha}", "claim": f"/claims/{cid}",
        "claim fragment": f"/fragments/claims/{cid}", "claims table": "/claims?actor=Publisher",
        "search": "/search?q=" + quote(SCRIPTED["title"]), "place": f"/places/{place}",
        "compare": f"/places/{place}/compare", "entities": "/entities", "entity": f"/entities/{scripted['entity']}",
        "upload": "/upload", "error page": "/claims/" + quote(SCRIPTED["agent"], safe=""),
        "api docs": "/api/docs", "dossier": f"/places/{place}/dossier",
    }
    for kind, path in pages.items():
        responses.clear()
        r = page.goto(base + path)
        page.wait_for_load_state("networkidle")
        policy = r.headers.get("content-security-policy", "")
        assert policy.startswith("default-src 'none'" if kind == "dossier" else "default-src 'self'"), kind
        assert all("content-security-policy" in x.headers for x in responses), kind
        assert page.evaluate("window.__pwned") is None, kind
    page.goto(base + f"/documents/{sha}")
    assert page.locator("#doc-title").inner_text() == SCRIPTED["title"]
    page.goto(base + f"/claims/{cid}")
    assert SCRIPTED["agent"] in page.locator(".claim-panel").inner_text()
    assert SCRIPTED["publisher"] in page.locator(".claim-panel").inner_text()
    page.goto(base + f"/entities/{scripted['entity']}")
    assert page.locator("h1").inner_text() == SCRIPTED["agent"]
    page.goto(base + f"/documents/{sha}")  # the claim panels, by htmx, and a hover over each span
    for s in page.locator("#doc-text a.span").all():
        s.hover()
        s.click()
        page.locator("#panel .claim-panel").wait_for()
    page.goto(base + "/upload")  # the upload page's error, with a payload for a file name
    page.set_input_files("input[name=file]", files=[{"name": SCRIPTED["name"], "mimeType": "text/plain", "buffer": b""}])
    page.click("button[type=submit]")
    assert "the file is empty" in page.locator("#upload-error").inner_text()
    # the dossier as a file, opened from disk: its policy is in the file
    d = build_dossier(app.state.store, app.state.gazetteer(), place_by_id(app.state.gazetteer(), place))
    html = tmp_path / "dossier.html"
    html.write_text(render_html(d), encoding="utf-8")
    page.goto(html.as_uri())
    assert SCRIPTED["publisher"] in page.locator("body").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert csp_violations(messages) == []  # nothing was even tried: every payload stayed text


def test_the_api_docs_work_offline(live, page):
    """Swagger UI from node_modules and a static script: no CDN, no inline script, the policy kept."""
    base, _ = live
    messages, outside = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("request", lambda r: r.url.startswith(base) or r.url.startswith("data:") or outside.append(r.url))
    page.goto(base + "/api/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 17
    assert page.locator(".opblock-post").count() == 3  # review, create a claim, an incident decision
    assert "/api/claims/{claim_id}/review" in page.locator("#swagger-ui").inner_text()
    assert "/api/incidents/{claim_id}" in page.locator("#swagger-ui").inner_text()
    assert outside == [] and csp_violations(messages) == []
