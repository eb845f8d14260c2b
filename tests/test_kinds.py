"""Drift tests: the claim kinds are declared once, in kinds.toml, and everything else that lists or
shows kinds must agree with it; the CSV's columns are the claim model's fields; the README documents
every kind and every command, and every command it shows exists (as datasette's tests/test_docs.py
holds its documentation to its code)."""

import os
import re
import shlex
import tomllib
from importlib import resources
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.style import Style

from docket import export, kinds
from docket.cli import KIND_STYLES, main
from docket.model import KINDS, Claim, DocumentRef, ObjectRef, PlaceRef
from docket.resolve.clusters import EVENT_KINDS

README = Path(__file__).resolve().parents[1] / "README.md"
TABLE = re.compile(r"(<!-- kinds:[^\n]*-->\n)(.*?)(<!-- /kinds -->)", re.S)
COMPARED_BY = {"object": "object category", "instrument": "instrument", "site": "site (or mineral)",
               "place": "the place itself"}


def declared() -> dict:
    return tomllib.loads(resources.files("docket").joinpath("kinds.toml").read_text(encoding="utf-8"))["kinds"]


# ---------------------------------------------------------------- the lists of kinds

def test_every_list_of_kinds_is_the_schemas():
    assert KINDS == tuple(declared()) == kinds.names()
    assert isinstance(KINDS, tuple)
    assert EVENT_KINDS == tuple(k for k, t in declared().items() if t.get("event")) == kinds.event_kinds()
    assert EVENT_KINDS and set(EVENT_KINDS) < set(KINDS)


def test_the_api_takes_exactly_the_kinds():
    from docket.web.api import Kind

    assert tuple(k.value for k in Kind) == KINDS


@pytest.mark.parametrize("name", list(declared()))
def test_every_kind_has_a_description_style_colour_and_thing(name):
    t = declared()[name]
    for slot in ("description", "event", "style", "colour", "thing"):
        assert slot in t, f"kinds.toml: {name} has no {slot}"
    assert t["description"].strip()
    assert isinstance(t["event"], bool)
    Style.parse(t["style"])  # a style rich can show: a typo raises here, not at the first claims table
    assert KIND_STYLES[name] == t["style"]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", t["colour"]), t["colour"]
    assert t["thing"] in kinds.THINGS
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)  # a CSS class and a CLI choice as it stands


def test_the_terminal_styles_are_the_schemas():
    assert KIND_STYLES == {k.name: k.style for k in kinds.kinds().values()}


def test_the_web_colours_are_the_schemas():
    from docket.web.pages import kinds_css

    css = kinds_css()
    rules = dict(re.findall(r"\.k-([a-z_]+) \{ border-color: (#[0-9a-fA-F]{6}); \}", css))
    assert rules == {name: t["colour"] for name, t in declared().items()}
    hand_written = resources.files("docket").joinpath("web", "static", "docket.css").read_text(encoding="utf-8")
    assert not re.search(r"\.k-[a-z_]+\s*\{", hand_written)  # one place for a kind's colour


def test_a_colour_that_would_break_out_of_its_rule_is_refused(monkeypatch):
    from docket.web import pages

    bad = {"killing": kinds.Kind(name="killing", description="x", event=True, style="red",
                                 colour="red; } body { display: none", thing="object")}
    monkeypatch.setattr(pages, "kinds", lambda: bad)
    pages.kinds_css.cache_clear()
    try:
        with pytest.raises(ValueError, match="killing"):
            pages.kinds_css()
    finally:
        pages.kinds_css.cache_clear()


def test_the_kinds_style_sheet_is_served_under_the_pages_policy(tmp_path):
    from fastapi.testclient import TestClient

    from docket.web import create_app

    client = TestClient(create_app(str(tmp_path / "k.db")), base_url="http://localhost")
    r = client.get("/static/kinds.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert all(f".k-{k} " in r.text for k in KINDS)
    assert client.get("/static/kinds.css", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert client.get("/static/docket.css").status_code == 200  # the mount still serves the rest
    home = client.get("/")
    assert '<link rel="stylesheet" href="http://localhost/static/kinds.css">' in home.text
    assert "style=" not in home.text and "<style" not in home.text


# ---------------------------------------------------------------- what a claim is about

def _full(kind: str) -> Claim:
    return Claim(kind=kind, span=(0, 1), text="x", object=ObjectRef(category="library"), instrument="S/RES/822 (1993)",
                 site="Gyzylbulag", minerals=["gold"], places=[PlaceRef(name="Kalbajar", mention="Kelbajar", id="geonames:586047"),
                                                             PlaceRef(name="Lachin", mention="Lachin")])


@pytest.mark.parametrize("name", list(declared()))
def test_a_claims_thing_is_the_slot_its_kind_names(name):
    expected = {"object": "library", "instrument": "S/RES/822 (1993)", "site": "Gyzylbulag", "place": "Kalbajar"}
    c = _full(name)
    assert c.thing == c.digest().thing == expected[declared()[name]["thing"]]
    bare = Claim(kind=name, span=(0, 1), text="x")
    assert bare.thing == ""


def test_a_site_slot_falls_back_to_the_first_mineral():
    site_kind = next(k for k, t in declared().items() if t["thing"] == "site")
    assert Claim(kind=site_kind, span=(0, 1), text="x", minerals=["copper", "gold"]).thing == "copper"


# ---------------------------------------------------------------- the CSV

def _flatten_contract(c: Claim) -> dict:
    """The CSV row as the JSONL contract gives it, worked out apart from the exporter: nested objects as
    dotted keys, the span as two offsets, places as names, ids and the first one's point."""
    row = {}
    for key, value in c.contract().items():
        if key == "span":
            row["span_start"], row["span_end"] = value
        elif key == "places":
            row["places"] = "; ".join(p["name"] for p in value)
            row["place_ids"] = "; ".join(p["id"] or "" for p in value)
            row["lat"] = value[0]["lat"] if value else None
            row["lon"] = value[0]["lon"] if value else None
        elif key in Claim.model_fields and export._model_in(Claim.model_fields[key].annotation):
            sub = export._model_in(Claim.model_fields[key].annotation)
            for f in sub.model_fields:
                row[f"{key}.{f}"] = (value or {}).get(f)
        elif isinstance(value, list):
            row[key] = "; ".join(value)
        else:
            row[key] = value
    return row


def test_the_csv_columns_are_the_claims_fields():
    c = _full("destruction").model_copy(update={
        "document": DocumentRef(sha256="a" * 64, title="T", published="2018-04-02", publisher="P"),
        "weapons": ["Mi-24 gunships", "tanks"]})
    expected = _flatten_contract(c)
    assert export.CSV_COLUMNS == list(expected)
    assert export.flat(c) == expected
    empty = Claim(kind="killing", span=(3, 9), text="killed")
    assert export.flat(empty) == _flatten_contract(empty)
    # every field of the model has its column (or, for the span and the places, its columns)
    for name in Claim.model_fields:
        assert any(col == name or col.startswith(name + ".") or col.startswith(name + "_") for col in export.CSV_COLUMNS) or \
            name == "places" and {"places", "place_ids", "lat", "lon"} <= set(export.CSV_COLUMNS), name


def test_a_field_added_to_the_claim_is_a_column_without_a_hand_edit():
    class Wider(Claim):
        casualty_ratio: float | None = None
        cited: DocumentRef | None = None
        sources: list[str] = []

    columns = [name for name, _ in export._columns(Wider)]
    assert columns[: len(export.CSV_COLUMNS)] == export.CSV_COLUMNS
    assert columns[len(export.CSV_COLUMNS):] == ["casualty_ratio", *(f"cited.{f}" for f in DocumentRef.model_fields),
                                                 "sources"]


# ---------------------------------------------------------------- the README

def kinds_table() -> str:
    rows = ["| kind | the source asserts that … | event | compared by |", "|---|---|---|---|"]
    for k in kinds.kinds().values():
        rows.append(f"| `{k.name}` | {k.description} | {'yes' if k.event else ''} | {COMPARED_BY[k.thing]} |")
    return "\n".join(rows) + "\n"


def test_the_readme_lists_every_kind_as_kinds_toml_declares_it():
    text = README.read_text(encoding="utf-8")
    m = TABLE.search(text)
    assert m, "README.md has lost its kinds table markers"
    if os.environ.get("DOCKET_WRITE_README") == "1" and m.group(2) != kinds_table():
        README.write_text(text[: m.start(2)] + kinds_table() + text[m.end(2):], encoding="utf-8")
        return
    assert m.group(2) == kinds_table(), "README's kinds table differs from kinds.toml (DOCKET_WRITE_README=1 rewrites it)"
    assert f"the {len(KINDS)} claim kinds" in text


def _readme_commands() -> list[list[str]]:
    """The command lines of the README's "Using it" block, as argument lists after `docket`."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Using it\n+```bash\n(.*?)```", text, re.S).group(1)
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines() if line.startswith("docket ")]


def _path(args: list[str]) -> list[str]:
    """The command an argument list names (`review edit c-… --value 3` -> review edit)."""
    path, cmd = [], main
    for word in args:
        if not isinstance(cmd, click.Group) or word not in cmd.commands:
            break
        path.append(word)
        cmd = cmd.commands[word]
    return path


def _every_command(group: click.Group = main, prefix: tuple = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(_every_command(cmd, (*prefix, name)))
    return out


def test_every_command_the_readme_shows_exists():
    lines = _readme_commands()
    assert len(lines) > 20
    for args in lines:
        path = _path(args)
        assert path, f"README: docket {' '.join(args)}: no such command"
        result = CliRunner().invoke(main, [*path, "-h"], prog_name="docket")
        assert result.exit_code == 0 and "Usage: docket " + " ".join(path) in result.output, args


def test_every_command_is_in_the_readme():
    shown = {tuple(_path(args)) for args in _readme_commands()}
    text = README.read_text(encoding="utf-8")
    for path in _every_command():
        name = " ".join(path)
        assert path in shown or re.search(rf"\bdocket {re.escape(name)}\b", text), f"docket {name} is not in README.md"
