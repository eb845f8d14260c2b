"""Every template Docket ships that renders HTML autoescapes, in every Jinja environment that loads
it: document text, titles, publishers and actors are untrusted. The Markdown dossier is the one
unescaped output, and nothing embeds it in HTML."""

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from jinja2 import Environment
from markupsafe import Markup

from docket.services.dossier import _env as dossier_env
from docket.web.pages import templates as page_templates

SRC = Path(__file__).resolve().parents[1] / "src" / "docket"
TEMPLATES = SRC / "templates"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'
# what HTML looks like: a doctype, or an element of the kinds templates are made of
HTML = re.compile(r"<(!doctype|html|head|body|div|span|p|a|ul|ol|li|table|tr|td|th|h[1-6]|form|input|"
                  r"section|main|header|blockquote|mark|strong|em|dl|dt|dd|script|style|meta|link)[\s>/]", re.I)


def environments() -> list[tuple[str, Environment]]:
    return [("pages", page_templates().env), ("dossier", dossier_env())]


def shipped() -> list[str]:
    """Every file under the package's templates folder, as a template name."""
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file())


def renders_html(name: str, source: str) -> bool:
    return name.endswith((".html", ".htm", ".html.j2", ".htm.j2", ".xml", ".xml.j2")) or bool(HTML.search(source))


def test_every_environment_sees_every_shipped_template():
    for label, env in environments():
        assert sorted(env.list_templates()) == shipped(), label


@pytest.mark.parametrize("label, env", environments())
def test_every_html_template_autoescapes(label, env):
    html = 0
    for name in env.list_templates():
        source, _, _ = env.loader.get_source(env, name)
        if renders_html(name, source):
            html += 1
            assert env.autoescape(name) is True, f"{label}: {name} renders HTML but is not autoescaped"
    assert html >= 15, label


@pytest.mark.parametrize("label, env", environments())
def test_a_payload_through_a_page_comes_out_as_text(label, env):
    out = env.get_template("web/error.html").render(status=400, message=PAYLOAD, q=PAYLOAD, vendor={},
                                                   url_for=lambda *a, **k: "/static/x")
    assert PAYLOAD not in out and out.count("&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;") == 2


def test_a_new_template_under_a_name_the_rule_does_not_know_is_escaped():
    for _, env in environments():
        for name in ("web/new_page.html", "dossier.html.j2", "report.j2", "web/partials/row.htm", "x.xml"):
            assert env.autoescape(name) is True, name


def test_the_unescaped_templates_do_not_render_html():
    for label, env in environments():
        for name in env.list_templates():
            if env.autoescape(name):
                continue
            source, _, _ = env.loader.get_source(env, name)
            assert not renders_html(name, source), f"{label}: {name} looks like HTML and is not autoescaped"


def test_the_html_dossier_escapes_a_payload():
    from docket.services.dossier import render_html

    env = dossier_env()
    out = env.get_template("dossier.html.j2").render(d=_FakeDossier(), css=Markup(""), policy="default-src 'none'")
    assert PAYLOAD not in out and "&lt;img src=x" in out
    assert callable(render_html)


class _FakeDossier:
    """Just enough of a dossier for the template, every text a payload."""

    class place:
        name = feature = PAYLOAD
        lat = lon = None

    path = [PAYLOAD]
    names = [(PAYLOAD, "alias")]
    documents = {"0" * 64: {"sha256": "0" * 64, "filename": PAYLOAD, "publisher": PAYLOAD, "published": None,
                            "title": PAYLOAD}}
    clusters = []
    contradictions = []
    by_kind = {}
    timeline = []
    entities = [{"name": PAYLOAD, "type": PAYLOAD, "claims": 1, "aliases": [PAYLOAD]}]
    evidence = []
    generated = PAYLOAD
    chain_head = (1, PAYLOAD)


def test_the_markdown_dossier_escapes_markdown_and_html():
    from docket.services.dossier import _markdown_env

    out = _markdown_env().get_template("dossier.md.j2").render(d=_FakeDossier())
    assert PAYLOAD not in out and "\\<img src=x" in out
    assert "| " + "0" * 64 + " |" in out  # the sources' full SHA-256


def test_markdown_is_never_embedded_in_html():
    """The Markdown dossier keeps the sources' text as written; so no page, no HTML template and no
    other HTML output may carry it."""
    callers = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if "render_markdown(" in p.read_text(encoding="utf-8") and p.name != "dossier.py"]
    assert callers == ["cli.py"]  # writes it to a .md file, beside the HTML one
    cli = (SRC / "cli.py").read_text(encoding="utf-8")
    assert re.search(r"\bmd\.write_text\(render_markdown\(d\)", cli)
    for p in (SRC / "web").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert "render_markdown" not in text and "dossier.md" not in text, p
    for name in shipped():
        if name != "dossier.md.j2":
            assert "dossier.md" not in (TEMPLATES / name).read_text(encoding="utf-8"), name


def test_the_package_ships_every_template():
    """pyproject's package-data must cover every template file (a template left out of the wheel
    would be a 500 in an installed Docket)."""
    pyproject = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["docket"]
    for name in shipped():
        path = f"templates/{name}"
        assert any(fnmatch.fnmatch(path, g) and path.count("/") == g.count("/") for g in globs), path
