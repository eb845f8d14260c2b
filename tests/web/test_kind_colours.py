"""In Chromium: the pages show each kind in the colour kinds.toml gives it, from the generated style
sheet, under the Content-Security-Policy (no inline style)."""

from docket import services
from docket.kinds import kinds


def rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_every_kind_shows_in_its_colour(live, page, tmp_path):
    base, app = live
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(base + "/")  # the home page lists every kind, each marked with its class
    for name, k in kinds().items():
        link = page.locator(f"a.k-{name}")
        assert link.count() == 1, name
        assert link.evaluate("e => getComputedStyle(e).borderBottomColor") == rgb(k.colour), name
        assert link.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid", name
    doc = tmp_path / "note.txt"
    doc.write_text("Press release 1 May 2020\n\nAround 40 houses were destroyed in Lachin in May 1992.\n")
    outcome = services.ingest_file(app.state.store, doc)
    page.goto(base + f"/documents/{outcome.sha256}")
    span = page.locator("#doc-text a.span.k-destruction").first
    assert span.evaluate("e => getComputedStyle(e).borderBottomColor") == rgb(kinds()["destruction"].colour)
    assert [m for m in messages if "Content Security Policy" in m] == []
