"""The `docket` command line: parses arguments, calls the services, prints. No logic of its own."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from docket import services
from docket.errors import DocketError
from docket.export import write_csv, write_jsonl
from docket.kinds import kinds as kind_schemas
from docket.model import KINDS, STATUSES
from docket.services import check_date
from docket.services.review import QUALIFIERS
from docket.store import ClaimFilter, open_store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

KIND_STYLES = {name: k.style for name, k in kind_schemas().items()}  # each kind's `style` in kinds.toml


def db_option(f):
    return click.option(
        "--db", "db", metavar="PATH", envvar="DOCKET_DB", default=None,
        help="The store: a SQLite file or a SQLAlchemy URL [default: $DOCKET_DB, else ./docket.db].",
    )(f)


def format_option(*choices: str, default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format; json is stable for scripts.")


def emit_json(data) -> None:
    """`--format json`: plain, indented JSON on standard output (no colour, no wrapping), stable for scripts."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # a lone surrogate cannot be written as UTF-8
        text = json.dumps(data, ensure_ascii=True, indent=2)
    click.echo(text)


# exit statuses (the README lists them): click itself exits 2 on a usage error
EXIT_ERROR = 1  # bad input or environment: one line on stderr, nothing changed
EXIT_PARTIAL = 3  # ingest: some files were refused (each reported), the others went in
EXIT_TAMPERED = 4  # verify: the store does not match its log


def _error(message: str) -> None:
    err.print(Text("error: ", style="bold red") + Text(message))


def _actor(store, by: str | None = None):
    """Who this command acts as: `docket --as NAME`, the deprecated `--by`, $DOCKET_USER, the login name
    (services/accounts.py, which also decides what they may do)."""
    from docket.services.accounts import local_actor

    ctx = click.get_current_context(silent=True)
    return local_actor(store, ctx.find_root().params.get("as_name") if ctx else None, by)


def _acting(store, action: str, by: str | None = None):
    """The actor, when it may take the action: asked before anything is written."""
    from docket.services.accounts import require

    return require(_actor(store, by), action)


# `--by` on the commands that record an author, kept for the scripts that use it
BY_HELP = ("Deprecated: use `docket --as NAME`. Who decides, recorded as the author [default: the account acted "
           "as]; once the store has accounts it names the account acted as, and must agree with --as.")


def by_option(f):
    return click.option("--by", "author", metavar="NAME", default=None, help=BY_HELP)(f)


def reports_errors(f):
    """A DocketError becomes one line on stderr and exit status 1; so does any other failure (an
    internal error, with its traceback only when $DOCKET_DEBUG is set), never a traceback."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except DocketError as e:
            _error(str(e))
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:  # noqa: BLE001 - the user sees one line; DOCKET_DEBUG shows the rest
            if os.environ.get("DOCKET_DEBUG"):
                raise
            _error(f"internal error ({type(e).__name__}: {e}); DOCKET_DEBUG=1 shows the traceback")
            sys.exit(EXIT_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docket")
@click.option("--as", "as_name", metavar="NAME", default=None,
              help="The account to act as [default: $DOCKET_USER, else your login name]. A store with no accounts "
                   "takes any name (recorded as the author) with every right; once it has accounts, a write is "
                   "made as an enabled account whose role allows it (`docket users`).")
def main(as_name):
    """Docket: a register of source-attributed, geolocated, time-stamped claims.

    Docket never states that something happened; it records that a source says so.
    """
    if os.environ.get("DOCKET_DEBUG"):
        import logging

        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")


# ---------------------------------------------------------------- ingest


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--title", help="Document title (overrides what is detected).")
@click.option("--publisher", help="Who published the document, e.g. a ministry.")
@click.option("--speaker", help="Who speaks in it, e.g. a spokesperson.")
@click.option("--date", "published", help="Publication date, YYYY-MM-DD.")
@click.option("--genre", help="press_release, statement, resolution, report, news …")
@click.option("--url", "source_url", help="Where the document was published (http or https).")
@click.option("--encoding", help="The text's encoding when it is not UTF-8 (e.g. cp1251) [default: UTF-8, else "
              "a legacy encoding only where the text plainly reads as one].")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse files larger than this [default: $DOCKET_MAX_BYTES or 50 MB].")
@format_option("table", "json")
@reports_errors
def ingest(paths, db, title, publisher, speaker, published, genre, source_url, encoding, max_bytes, fmt):
    """Read documents (txt, md, html, pdf, docx; files or folders), extract their claims, store both.

    Metadata comes from these flags, else from a sidecar FILE.meta.json / .meta.yaml, else from the
    text's own dateline and heading, else from the file's own properties. Re-ingesting the same bytes
    changes nothing. A file that cannot be read is reported and skipped; the others go in. Every
    document stored is logged with where it came from (`docket custody`).

    Exit status: 0 when every file went in (or was already there), 3 when some were refused, 1 when
    none went in.

    \b
    Example:
      docket ingest statement.pdf --publisher "Ministry of Foreign Affairs of Azerbaijan" --date 2018-04-02
    """
    from docket.ingest.sidecar import checked_meta

    if published and (len(published) != 10 or check_date("--date", published) is None):
        raise DocketError(f"--date {published}: expected a date as YYYY-MM-DD")
    overrides = checked_meta(dict(title=title, publisher=publisher, speaker=speaker, published=published, genre=genre,
                                  source_url=source_url), "options")
    files = services.expand_paths(paths)
    if not files:
        raise DocketError("no documents found in " + ", ".join(map(str, paths)))
    store = open_store(db)
    actor = _acting(store, "ingest")
    show_bar = len(files) > 1 and fmt == "table" and err.is_terminal
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, disable=not show_bar, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))

        def step(o):
            progress.advance(task)
            if o.status == "error" and fmt == "table":  # each refusal once, as it happens
                err.print(Text("error: " if len(files) == 1 else "skipped ", style="bold red") + Text(o.message))

        report = services.ingest_paths(store, files, overrides, max_bytes, on_file=step,
                                       source=services.Source(via="cli", actor=actor.name), encoding=encoding)
    if fmt == "json":
        emit_json({"files": [o.__dict__ for o in report.outcomes], "added": report.count("added"),
                   "unchanged": report.count("unchanged"), "errors": report.count("error")})
    else:
        for o in report.outcomes:
            if o.status == "added":
                out.print(Text(f"added {o.path}: {o.claims} claims (sha256 {o.sha256[:12]})"
                               + (f"; {o.message}" if o.message else "")))
            elif o.status == "unchanged":
                out.print(Text(f"unchanged {o.path}: {o.message}"))
        if len(files) > 1:
            out.print(f"{report.count('added')} added, {report.count('unchanged')} unchanged, {report.count('error')} skipped")
    errors = report.count("error")
    if errors == len(files):
        store.discard_if_new_and_empty()
        sys.exit(EXIT_ERROR)
    if errors:
        sys.exit(EXIT_PARTIAL)


# ---------------------------------------------------------------- reading


@main.group(invoke_without_command=True)
@db_option
@format_option("table", "json")
@click.pass_context
@reports_errors
def documents(ctx, db, fmt):
    """List the documents in the store (`documents edit` corrects one's metadata)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = open_store(db, create=False).documents()
    if fmt == "json":
        emit_json(rows)
        return
    table = Table("sha256", "file", "published", "publisher", "claims", "title")
    for r in rows:
        table.add_row(r["sha256"][:12], r["filename"] or "", r["published"] or "", r["publisher"] or "", str(r["claims"]),
                      (r["title"] or "")[:60])
    out.print(table)


@documents.command("edit")
@click.argument("document")
@db_option
@click.option("--title")
@click.option("--publisher")
@click.option("--speaker")
@click.option("--date", "published", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--genre")
@click.option("--url", "source_url")
@click.option("--reason", help="Why (kept in the log; required).")
@by_option
@format_option("table", "json")
@reports_errors
def documents_edit(document, db, title, publisher, speaker, published, genre, source_url, reason, author, fmt):
    """Correct a document's metadata (an empty value clears a field), as a logged change.

    Its claims are extracted again with the new metadata (who they are attributed to by default, dates
    counted from the publication date); claims an analyst has reviewed stay as they are.

    \b
    Example:
      docket documents edit 4ef202ff --publisher "Ministry of Foreign Affairs of Azerbaijan" --date 2018-04-02 --reason "from the letterhead"
    """
    from docket.services.documents import edit_document

    changes = dict(title=title, publisher=publisher, speaker=speaker, published=published, genre=genre,
                   source_url=source_url)
    if all(v is None for v in changes.values()):
        raise DocketError("documents edit: say what to change (--title, --publisher, --speaker, --date, --genre, --url)")
    store = open_store(db, create=False)
    actor = _acting(store, "edit_document", author)
    done = edit_document(store, document, changes, actor.name, reason)
    if fmt == "json":
        emit_json(done)
        return
    for k in done["after"]:
        if done["after"][k] != done["before"][k]:
            out.print(Text(f"{k}: {done['before'][k] or '(none)'} -> {done['after'][k] or '(none)'}"))
    out.print(f"{done['sha256'][:12]}: {done['claims']} claims extracted again, {done['removed']} removed, "
              f"{done['kept']} reviewed claims kept (log entry {done['entry']})")


@main.command()
@click.argument("document")
@db_option
@format_option("text", "json", default="text")
@reports_errors
def show(document, db, fmt):
    """Print a document's text with its claims' spans marked (DOCUMENT: SHA-256 prefix or file name)."""
    store = open_store(db, create=False)
    doc = store.document(document)
    found = store.claims(ClaimFilter(document=doc.sha256))
    if fmt == "json":
        emit_json({"document": doc.model_dump(), "claims": [c.contract() for c in found]})
        return
    m = doc.meta
    out.print(Text(f"{m.title or doc.filename}", style="bold"))
    out.print(Text(f"{m.publisher or '?'} · {m.published or 'undated'} · sha256 {doc.sha256}\n", style="dim"))
    text = Text()
    for piece, kind in services.marked_text(doc, found):
        text.append(f"[{piece}]" if kind else piece, style=KIND_STYLES.get(kind, "underline") if kind else None)
    out.print(text)
    counts = Counter(c.kind for c in found)
    out.print(Text("\n" + "  ".join(f"{k}: {n}" for k, n in sorted(counts.items())), style="dim"))


def _claims_table(found) -> Table:
    table = Table("kind", "text", "quantity", "places", "when", "agent", "attributed to", show_lines=False)
    for c in found:
        q = c.quantity
        qty = ""
        if q:
            qty = {"range": f"{q.low}–{q.high}", "vague": f"≥{q.low} (vague)"}.get(q.qualifier, f"{q.value}")
            if q.qualifier not in ("exact", "range", "vague"):
                qty = f"{q.qualifier.replace('_', ' ')} {qty}"
        when = ""
        if c.when:
            when = (c.when.start or "") + (" →" if c.when.ongoing else "")
        table.add_row(Text(c.kind, style=KIND_STYLES.get(c.kind)), c.text[:70], qty, ", ".join(p.name for p in c.places),
                      when, c.agent or "", c.attributed_to or "")
    return table


@main.command()
@db_option
@click.option("--kind", type=click.Choice(KINDS), help="Only claims of this kind.")
@click.option("--place", help="Only claims about this place or a place inside it (any of its names).")
@click.option("--actor", help="Only claims whose agent or source contains this text.")
@click.option("--document", help="Only claims of this document (SHA-256 prefix or file name).")
@click.option("--since", help="Only claims dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Only claims dated on or before this date.")
@click.option("--status", type=click.Choice(STATUSES),
              help="Only claims in this review state [default: all but rejected].")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
@format_option("table", "json", "jsonl", "csv")
@reports_errors
def claims(db, kind, place, actor, document, since, until, status, limit, fmt):
    """List claims, filtered.

    \b
    Example:
      docket claims --kind destruction --place Kalbajar
    """
    check_date("--since", since)
    check_date("--until", until)
    store = open_store(db, create=False)
    f = ClaimFilter(kind=kind, actor=actor, document=document, since=since, until=until, status=status, limit=limit)
    if place:
        from docket.gazetteer import default_gazetteer
        from docket.services.places import place_or_error

        f.area = place_or_error(default_gazetteer(), place).id  # the place and every place inside it
    found = store.claims(f)
    if fmt == "json":
        emit_json([c.contract() for c in found])
    elif fmt == "jsonl":
        write_jsonl(found, sys.stdout)
    elif fmt == "csv":
        write_csv(found, sys.stdout)
    else:
        out.print(_claims_table(found))
        out.print(Text(f"{len(found)} claims", style="dim"))


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--manifest", type=click.Path(path_type=Path),
              help="Write the export's manifest here [default: beside --output, as FILE.manifest.json].")
@reports_errors
def export(db, fmt, output, manifest):
    """Export every claim, rejected ones included (each carries its status): the JSONL claim contract
    (DESIGN.md, one claim per line) or a flat CSV.

    The export's manifest (JSON) says when and from which store it was made, the log's chain head, and
    the full SHA-256 of every document its claims cite; `docket verify --head HASH` checks a store
    against that head later. It is written beside --output (FILE.manifest.json) or to --manifest; the
    chain head is also printed on standard error.

    \b
    Example:
      docket export -o claims.jsonl     # and claims.jsonl.manifest.json
    """
    from docket.export import manifest as make_manifest

    store = open_store(db, create=False)
    found = store.claims(ClaimFilter(include_rejected=True))  # everything, each claim with its status
    head = make_manifest(store, found)
    manifest = manifest or (output.with_name(output.name + ".manifest.json") if output else None)
    writer = write_jsonl if fmt == "jsonl" else write_csv
    target = output
    try:
        if output:
            with output.open("w", encoding="utf-8", newline="") as f:
                n = writer(found, f)
        else:
            n = writer(found, sys.stdout)
        target = manifest
        if manifest:
            manifest.write_text(json.dumps(head, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise DocketError(f"{target}: cannot write the export ({e.strerror})") from e
    chain_head = head["export"]["chain_head"]
    err.print(Text(f"{n} claims from {len(head['export']['documents'])} documents" + (f" to {output}" if output else "")
                   + f"; chain head {chain_head['seq']} {chain_head['hash']}" + (f"; manifest {manifest}" if manifest else "")))


@main.command(name="eval")
@click.argument("texts", type=click.Path(path_type=Path, exists=True))
@click.argument("golds", type=click.Path(path_type=Path, exists=True))
@click.option("--show", type=click.Choice(["all", "misses", "spurious", "slots", "places", "none"]), default="all",
              show_default=True, help="Which errors to list under the figures.")
@format_option("table", "json")
@reports_errors
def eval_(texts, golds, show, fmt):
    """Score the extractor against hand-annotated gold (DESIGN.md protocol): a text and its gold file,
    or a folder of texts and a folder of gold files paired by name (NAME.txt and NAME.gold.jsonl).

    Nothing is stored. A gold file's first line, when it carries document metadata, is used as the
    document's metadata (as `docket ingest` flags would be); its `geo` (name -> [lat, lon]) judges the
    places: the share of gold places found within 50 km, and the share of attachments more than 500 km
    from every gold place of their document (far-flung).

    \b
    Examples:
      docket eval ../shared/corpus/press-release-2018-04-02.txt ../shared/gold/press-release-2018-04-02.gold.jsonl
      docket eval ../shared/dev/texts ../shared/dev/gold --show none
    """
    from docket.services.evaluation import DocumentScore, FolderResult, evaluate_document

    if texts.is_dir() != golds.is_dir():
        raise DocketError(f"{texts}, {golds}: give two files or two folders")
    if texts.is_dir():
        from docket.services.evaluation import evaluate_folder

        n = sum(1 for _ in texts.iterdir())
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, disable=fmt != "table" or not err.is_terminal, transient=True) as progress:
            task = progress.add_task("evaluating", total=n)
            result = evaluate_folder(texts, golds, on_document=lambda _f: progress.advance(task))
        if fmt == "json":
            emit_json(result.as_dict())
        else:
            _print_eval(result, show, folder=True)
        return
    single, geo = evaluate_document(texts, golds)
    if fmt == "json":
        emit_json(single.as_dict() | {"geo": geo.as_dict()})
        return
    _print_eval(FolderResult([DocumentScore(texts.stem, single, geo)], []), show, folder=False)


def _print_eval(r, show: str, folder: bool) -> None:
    """The errors asked for, then the figures: per slot, per kind, per document (for a folder), pooled."""
    data = r.as_dict()
    where = (lambda x: f"{x['document']}: ") if folder else (lambda x: "")
    if show in ("all", "misses") and data["misses"]:
        out.print(Text("missed (required gold claims with no prediction):", style="bold"))
        for g in data["misses"]:
            out.print(Text(f"  {where(g)}{g['id']} {g['kind']}: {g['evidence']!r}"))
    if show in ("all", "spurious") and data["spurious"]:
        out.print(Text("spurious (predictions matching no gold claim):", style="bold"))
        for c in data["spurious"]:
            out.print(Text(f"  {where(c)}{c['kind']} {c['span']}: {c['text']!r}"))
    if show in ("all", "slots") and data["slot_errors"]:
        out.print(Text("slot errors:", style="bold"))
        for e in data["slot_errors"]:
            out.print(Text(f"  {where(e)}{e['gold']} {e['slot']}: expected {e['expected']!r}, got {e['predicted']!r}"))
    if show in ("all", "places") and (data["places_wrong"] or data["far_flung"]):
        out.print(Text("places (gold places not found within 50 km; attachments over 500 km from every gold place):",
                       style="bold"))
        for e in data["places_wrong"]:
            got = f"{e['predicted']} at {e['km']} km" if e["km"] is not None else (e["predicted"] or "no place of that name")
            out.print(Text(f"  {where(e)}{e['gold']}: {got}"))
        for e in data["far_flung"]:
            out.print(Text(f"  {where(e)}far-flung {e['place']} ({e['km']} km): {e['claim']!r}"))
    table = Table("slot", "correct", "total", "accuracy")
    for name, s in data["slots"].items():
        table.add_row(name, str(s["correct"]), str(s["total"]), f"{s['accuracy']:.3f}")
    out.print(table)
    kinds = Table("kind", "matched", "predicted", "required", "precision", "recall", "F1")
    for k, v in data["kinds"].items():
        kinds.add_row(Text(k, style=KIND_STYLES.get(k)), str(v["true_positives"]), str(v["predicted"]),
                      str(v["required"]), f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}")
    out.print(kinds)
    if folder:
        docs = Table("document", "matched", "predicted", "required", "F1", "slots", "places ≤50 km", "far-flung")
        for d in data["documents"]:
            g = d["geo"]
            docs.add_row(d["name"], str(d["true_positives"]), str(d["predicted"]), str(d["required"]), f"{d['f1']:.3f}",
                         f"{d['slot_accuracy']:.3f}", f"{g['within_50km']}/{g['gold_places']}",
                         f"{g['far_flung']}/{g['attachments']}")
        out.print(docs)
        if data["unpaired"]:
            out.print(Text("no gold file for: " + ", ".join(data["unpaired"]), style="dim"))
    out.print(f"claims: {data['true_positives']} matched, {data['predicted']} predicted, {data['required']} required")
    out.print(f"precision {data['precision']:.3f}  recall {data['recall']:.3f}  F1 {data['f1']:.3f}")
    out.print(f"slot accuracy {data['slot_accuracy']:.3f}")
    g = data["geo"]
    if g["gold_places"]:
        out.print(f"places: {g['within_50km']} of {g['gold_places']} gold places within 50 km ({g['within_share']:.3f}); "
                  f"{g['far_flung']} of {g['attachments']} attachments far-flung ({g['far_share']:.3f})")


def _kinds_table(counts: dict[str, int]) -> Table:
    table = Table("kind", "claims")
    for k in KINDS:
        table.add_row(Text(k, style=KIND_STYLES.get(k)), str(counts.get(k, 0)))
    table.add_row("total", str(sum(counts.values())))
    return table


@main.command()
@db_option
@format_option("table", "json")
@reports_errors
def summary(db, fmt):
    """Claims per kind in the store."""
    counts = open_store(db, create=False).counts_by_kind()
    if fmt == "json":
        emit_json(counts)
        return
    out.print(_kinds_table(counts))


@main.command()
@click.option("--db", "db", metavar="PATH", default="docket-demo.db", show_default=True,
              help="The SQLite file to build afresh (it is replaced).")
@format_option("table", "json")
@reports_errors
def demo(db, fmt):
    """Ingest the example documents that ship with Docket into a fresh store; print claims and a summary.

    The file is replaced; when it is a store with accounts, only by an admin (`docket --as NAME demo`)."""
    from importlib import resources

    path = Path(db)
    if path.exists():
        try:
            old = open_store(str(path), create=False, upgrade=False)
        except DocketError:
            old = None  # not a store of this version (an older one has no accounts): replaced as before
        if old is not None:
            try:
                if old.has_accounts():
                    _acting(old, "replace_store")
            finally:
                old.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(str(path))
    with resources.as_file(resources.files("docket").joinpath("examples")) as folder:
        report = services.ingest_paths(store, services.expand_paths([folder]))
    counts = store.counts_by_kind()
    if fmt == "json":
        emit_json({"store": str(path), "files": [o.__dict__ | {"path": Path(o.path).name} for o in report.outcomes],
                   "claims": [c.contract() for c in store.claims()], "counts": counts})
        if report.count("error"):
            sys.exit(1)
        return
    for o in report.outcomes:
        out.print(f"{o.status} {Path(o.path).name}: {o.claims} claims" + (f" ({o.message})" if o.message else ""))
    out.print(_claims_table(store.claims()))
    out.print(_kinds_table(counts))
    out.print(f"store: {path} (try: docket claims --db {path} --kind destruction)")
    if report.count("error"):
        sys.exit(1)


# ---------------------------------------------------------------- places


@main.group()
def places():
    """Search the gazetteer."""


@places.command("search")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@format_option("table", "json")
@reports_errors
def places_search(name, limit, fmt):
    """Ranked candidates for a name, with their aliases (any side's name, any script).

    \b
    Example:
      docket places search Karvachar
    """
    from docket.gazetteer import default_gazetteer
    from docket.services.places import search_places

    gaz = default_gazetteer()
    hits = search_places(gaz, name, limit)
    if fmt == "json":
        emit_json([h.as_dict() | {"aliases": [n for n, _ in gaz.names(h.place)][:30]} for h in hits])
        return
    if not hits:
        raise DocketError(f"{name}: no place of that name in the gazetteer")
    table = Table("id", "name", "feature", "in", "matched", "lat, lon", "aliases")
    for h in hits:
        p = h.place
        aliases = [n for n, _ in gaz.names(p) if n != p.name]
        table.add_row(p.id, p.name, p.feature, " › ".join(h.path), h.matched,
                      f"{p.lat:.4f}, {p.lon:.4f}" if p.lat is not None else "",
                      ", ".join(aliases[:8]) + (" …" if len(aliases) > 8 else ""))
    out.print(table)


@main.command()
@click.argument("name")
@db_option
@format_option("table", "json")
@reports_errors
def place(name, db, fmt):
    """One place: its names, parent, children, and the claims about it and about places inside it.

    \b
    Example:
      docket place Kelbajar
    """
    from docket.gazetteer import default_gazetteer
    from docket.services.places import claims_in, place_or_error

    gaz = default_gazetteer()
    p = place_or_error(gaz, name)
    store = None
    try:
        store = open_store(db, create=False)
    except DocketError:
        store = None  # no store yet: the place is still shown, without claims
    found = claims_in(store, gaz, p) if store else []
    names = gaz.names(p)
    kids = gaz.children(p)
    path = [a.name for a in reversed(gaz.ancestors(p))]
    if fmt == "json":
        emit_json({"id": p.id, "name": p.name, "feature": p.feature, "lat": p.lat, "lon": p.lon,
                   "geonames_id": p.geonames_id, "layer": p.layer, "source": p.source, "admin_path": path,
                   "names": [{"name": n, "kind": k} for n, k in names],
                   "children": [{"id": c.id, "name": c.name, "feature": c.feature} for c in kids[:200]],
                   "claims": [c.contract() for c in found]})
        return
    out.print(Text(f"{p.name}", style="bold") + Text(f"  {p.feature} · {p.id}", style="dim"))
    if path:
        out.print("in: " + " › ".join(path))
    if p.lat is not None:
        out.print(f"point: {p.lat:.5f}, {p.lon:.5f}" + (" (approximate)" if p.approximate else "") + f"  · source: {p.source}")
    out.print("names: " + ", ".join(n for n, _ in names[:40]) + (" …" if len(names) > 40 else ""))
    if kids:
        out.print(f"inside it ({len(kids)}): " + ", ".join(c.name for c in kids[:30]) + (" …" if len(kids) > 30 else ""))
    if found:
        out.print(_claims_table(found))
    out.print(Text(f"{len(found)} claims about {p.name} or places inside it", style="dim"))


# ---------------------------------------------------------------- comparing sources

FLAG_STYLES = {"contradiction": "bold red", "update": "yellow", "consistent": "green", "single": "dim"}


@main.command()
@click.option("--place", required=True, help="The place (any of its names); places inside it count too.")
@click.option("--kind", type=click.Choice(KINDS), help="Only claims of this kind.")
@click.option("--all", "show_all", is_flag=True, help="Also clusters where one source alone speaks.")
@db_option
@format_option("table", "json")
@reports_errors
def compare(place, kind, show_all, db, fmt):
    """Every source's figure side by side, cluster by cluster, each flagged contradiction, update, consistent or single.

    Each flag gives its reasons: the figures, sources and dates behind it. A figure that is part of a
    total, or that repeats another document's sentence (an echo), is marked so.

    \b
    Example:
      docket compare --kind killing --place Kalbajar
    """
    from docket.gazetteer import default_gazetteer
    from docket.resolve.clusters import describe
    from docket.services.comparison import compare as compare_clusters
    from docket.services.places import place_or_error

    gaz = default_gazetteer()
    target = place_or_error(gaz, place)
    clusters = compare_clusters(open_store(db, create=False), gaz, target, kind)
    if fmt == "json":
        emit_json({"place": {"id": target.id, "name": target.name}, "kind": kind,
                   "clusters": [k.as_dict() for k in clusters]})
        return
    shown = [k for k in clusters if show_all or k.flag != "single"]
    for k in shown:
        years = f"{k.years[0]}" + (f"–{k.years[1]}" if k.years and k.years[1] != k.years[0] else "") if k.years else "undated"
        head = Text(f"{k.kind}", style=KIND_STYLES.get(k.kind)) + Text(
            f"  {k.thing or ''}  {k.place_name or ''}  {k.date or years}  ") + Text(k.flag, style=FLAG_STYLES[k.flag])
        if k.grade:
            head += Text(f"  {_grade_text(k.grade)}", style="bold")
        out.print(head)
        table = Table("source", "figure", "when", "wording", show_header=False, box=None, padding=(0, 2))
        parts, echoed = k.parts, k.echoed
        measures = {m.id: m.measure for m in k.members}
        for c in k.claims:
            figure = " ".join(filter(None, (describe(c.quantity), measures.get(c.id) if c.quantity else None)))
            figure += (" (part of the total)" if c.id in parts else "") + (" (echo)" if c.id in echoed else "")
            table.add_row(c.source, figure, c.when.start if c.when else "", c.text[:80])
        out.print(table)
        for r in k.reasons:
            out.print(Text(f"  ! {r}", style="red") if k.flag == "contradiction" else Text(f"  = {r}", style="dim"))
        for n in k.notes:
            out.print(Text(f"  · {n}", style="dim"))
        out.print()
    counts = Counter(k.flag for k in clusters)
    out.print(Text(f"{len(clusters)} clusters about {target.name}: " + ", ".join(f"{n} {f}" for f, n in sorted(counts.items()))
                   + ("" if show_all else " (single-source clusters hidden; --all shows them)"), style="dim"))


@main.command()
@click.argument("doc_a")
@click.argument("doc_b")
@db_option
@format_option("table", "json")
@reports_errors
def diff(doc_a, doc_b, db, fmt):
    """What two documents claim differently: figures changed, claims added or dropped.

    \b
    Example:
      docket diff press-release-2018-04-02.txt statement-2019.txt
    """
    from docket.gazetteer import default_gazetteer
    from docket.services.comparison import diff as diff_docs

    d = diff_docs(open_store(db, create=False), default_gazetteer(), doc_a, doc_b)
    if fmt == "json":
        emit_json(d.as_dict())
        return
    out.print(f"A: {d.a['title'] or d.a['sha256'][:12]} ({d.a['publisher'] or '?'}, {d.a['published'] or 'undated'})")
    out.print(f"B: {d.b['title'] or d.b['sha256'][:12]} ({d.b['publisher'] or '?'}, {d.b['published'] or 'undated'})")
    table = Table("", "kind", "thing", "place", "A says", "B says")
    marks = {"added": ("+", "green"), "dropped": ("-", "red"), "changed": ("~", "yellow")}
    from docket.resolve.clusters import describe

    for c in d.changes:
        if c.status == "same":
            continue
        mark, style = marks[c.status]
        table.add_row(Text(mark, style=style), c.kind, c.thing, c.place or "",
                      (describe(c.before.quantity) or c.before.text[:50]) if c.before else "",
                      (describe(c.after.quantity) or c.after.text[:50]) if c.after else "")
    out.print(table)
    out.print(Text(f"{sum(1 for c in d.changes if c.status == 'same')} claims the same in both", style="dim"))


@main.command()
@click.argument("place")
@db_option
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="Where to write dossier-<place>.md and .html (or .pdf).")
@format_option("files", "pdf", "json", default="files")
@reports_errors
def dossier(place, db, out_dir, fmt):
    """Write the dossier of a place (and everything inside it): Markdown and self-contained HTML, or
    with --format pdf one paginated A4 PDF to hand over (printed offline by Chromium through
    Playwright: `pip install 'docket[pdf]'` and a Chromium, e.g. Debian's `chromium`).

    Per kind, every source's figures side by side with contradiction flags and their reasons; a map of
    the places named; a timeline; the entities involved; and for every figure the quoted evidence with
    its document (its full SHA-256), date and publisher.

    \b
    Example:
      docket dossier Kalbajar --out-dir reports/
      docket dossier Kalbajar --format pdf --out-dir reports/
    """
    from docket.gazetteer import default_gazetteer
    from docket.services.dossier import build_dossier, pdf_printer, render_html, render_markdown, render_pdf
    from docket.services.places import place_or_error

    if fmt == "pdf":
        pdf_printer()  # no Chromium or Playwright: said now, before anything is built or written
    gaz = default_gazetteer()
    target = place_or_error(gaz, place)
    d = build_dossier(open_store(db, create=False), gaz, target)
    if fmt == "json":
        emit_json(d.as_dict())
        return
    pdf = render_pdf(d) if fmt == "pdf" else None  # printed before a file is opened: a failure writes nothing
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if pdf is not None:
            written = [out_dir / f"{d.file_stem}.pdf"]
            written[0].write_bytes(pdf)
        else:
            md, html = out_dir / f"{d.file_stem}.md", out_dir / f"{d.file_stem}.html"
            md.write_text(render_markdown(d), encoding="utf-8")
            html.write_text(render_html(d), encoding="utf-8")
            written = [md, html]
    except OSError as e:
        raise DocketError(f"{out_dir}: cannot write the dossier ({e.strerror})") from e
    n = sum(len(k.claims) for k in d.clusters)
    out.print(f"{target.name}: {n} claims from {len(d.documents)} documents, {len(d.clusters)} clusters, "
              f"{len(d.contradictions)} contradictions")
    out.print("\n".join(f"wrote {p}" for p in written))


# ---------------------------------------------------------------- custody


@main.command()
@db_option
@click.option("--head", "pin", metavar="[SEQ:]HASH", help="A chain head published earlier (in a dossier or an export: "
              "its full hash, or entry:hash): fail unless this log still holds it.")
@click.option("--all", "everything", is_flag=True, help="List every problem, not only the first.")
@format_option("table", "json")
@reports_errors
def verify(db, pin, everything, fmt):
    """Check the store against its write log: re-hash every document's bytes and text, replay the hash
    chain, check every claim, review version, entity and incident decision, account, API token and group
    against what the log recorded.

    Names the first thing that does not match and exits 4; exits 0 when everything matches.

    \b
    Example:
      docket verify --db docket-demo.db
    """
    from docket.services.custody import head_of
    from docket.services.custody import verify as check

    result = check(open_store(db, create=False, upgrade=False), head_of(pin) if pin is not None else None, everything)
    if fmt == "json":
        emit_json(result.as_dict())
    else:
        seq, head = result.head
        counted = (f"{result.entries} log entries, {result.documents} documents, {result.claims} claims, "
                   f"{result.versions} review versions, {result.decisions} entity decisions, "
                   f"{result.incident_decisions} incident decisions")
        if result.accounts or result.tokens or result.groups:
            counted += f", {result.accounts} accounts, {result.tokens} API tokens, {result.groups} groups"
        if result.ok:
            out.print(Text(f"ok: {counted}; chain head {seq}:{head}"))
            if result.adopted:
                first = result.adopted[0][1][:10]
                out.print(Text(f"note: {len(result.adopted)} documents were held before the store kept a log and were "
                               f"adopted into it on {first}: they are vouched for from then on only", style="yellow"))
            if pin is None:
                out.print(Text("note: the newest entries are vouched for only against a head published outside the "
                               "store (a dossier's or an export's): --head SEQ:HASH", style="dim"))
        for p in result.problems:
            err.print(Text("does not match: ", style="bold red") + Text(str(p)))
        if result.problems and not everything:
            err.print(Text(f"(checked so far: {counted}; --all lists every problem)", style="dim"))
    if not result.ok:
        sys.exit(EXIT_TAMPERED)


@main.command()
@click.argument("document")
@db_option
@format_option("table", "json")
@reports_errors
def custody(document, db, fmt):
    """A document's custody record: its SHA-256 and size, where it came from (path or URL, original
    name, sidecar, Docket version, who), and every logged change to it and its claims.

    \b
    Example:
      docket custody 4ef202ff
    """
    from docket.services.custody import custody as record

    r = record(open_store(db, create=False), document)
    if fmt == "json":
        emit_json(r)
        return
    d, src = r["document"], r["source"]
    out.print(Text(d["meta"].get("title") or d["filename"] or d["sha256"], style="bold"))
    out.print(Text(f"sha256 {d['sha256']}  ({d['bytes']:,} bytes, {d['media_type']}; stored bytes "
                   + ("match)" if r["bytes_match"] else "DO NOT MATCH)")))
    for label, value in (("file", src.get("name")), ("path", src.get("path")), ("url", src.get("url")),
                         ("via", src.get("via")), ("by", src.get("actor")), ("docket", src.get("docket")),
                         ("note", src.get("note"))):
        if value:
            out.print(Text(f"{label}: {value}"))
    if src.get("sidecar"):
        out.print(Text(f"sidecar: {src['sidecar']['path']} (sha256 {src['sidecar']['sha256']})"))
    for n in src.get("notes") or []:
        out.print(Text(f"noticed: {n}"))
    out.print(Text("log:", style="bold"))
    for e in r["entries"]:
        about = "" if e["subject"] == d["sha256"] else f" claim {e['subject']}"
        out.print(Text(f"  {e['seq']:>6}  {e['at'][:19]}  {e['action']}{about}{_entry_detail(e)}"
                       f"  by {e['actor'] or '?'}  [{e['hash'][:16]}…]"))


def _entry_detail(e: dict) -> str:
    data = e["data"]
    if e["action"] in ("ingest", "adopt"):
        return f" ({len(data.get('claims', {}))} claims)"
    if e["action"] == "edit_document":
        changed = [k for k in data["after"] if data["after"][k] != data["before"].get(k)]
        return f" ({', '.join(changed)}: {data.get('reason')})"
    if e["action"] in ("review", "create_claim"):
        return f" {data.get('action')} → version {data.get('version')}"
    if e["action"] == "incident_decision":
        return f" {data.get('action')}" + (f" with {data['other']}" if data.get("other") else "") + (
            f" → {data['grade']}" if data.get("grade") else "")
    return ""


@main.command()
@db_option
@reports_errors
def upgrade(db):
    """Bring an older store to the current schema (other commands do it on opening, `verify` never).

    A store that held documents before it kept a write log adopts them into the log: they are vouched
    for from the upgrade on, and `docket verify` says so.
    """
    from docket.store.migrations import CURRENT, current_version

    store = open_store(db, create=False, upgrade=True)
    with store.engine.connect() as conn:
        out.print(f"{store.location}: at schema version {current_version(conn)} (current {CURRENT})")


# ---------------------------------------------------------------- web


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--user", default="analyst", show_default=True, help="The name recorded as the author of reviews.")
@click.option("--tiles", envvar="DOCKET_TILES", default="", help="Map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png [default: none: the map draws country borders itself, no network].")
@click.option("--allowed-host", "allowed", multiple=True, envvar="DOCKET_ALLOWED_HOSTS",
              help="Another host name the server answers to, as browsers or a proxy write it in the Host header "
                   "(repeatable; $DOCKET_ALLOWED_HOSTS, space- or comma-separated; * for any). Others get 400.")
@reports_errors
def serve(db, host, port, user, tiles, allowed):
    """Start the web application and JSON API (docs at /api/docs, schema at /openapi.json)."""
    import uvicorn

    from docket.web import create_app, settle
    from docket.web.security import allowed_hosts, is_loopback

    hosts = allowed_hosts(host, allowed)
    app = settle(create_app(db, user, tiles=tiles, allowed_hosts=hosts))
    authors = "writes made as the account logged in" if app.state.store.has_accounts() else f"reviews recorded as {user!r}"
    err.print(f"Docket on http://{host}:{port}/ (store {app.state.store.location}; {authors})", markup=False)
    if "*" in hosts:
        err.print("warning: --allowed-host '*' answers any Host header, which lets a page on another site reach this "
                  "server through DNS rebinding; name the hosts instead.", markup=False)
    if not is_loopback(host) and not app.state.store.has_accounts():
        err.print(f"warning: listening on {host}, not on this machine only. This store has no accounts, so "
                  f"there is no login: anyone who can reach port {port} can read every document and change every "
                  f"claim. It answers to the host names {', '.join(hosts)}.", markup=False)
    elif not is_loopback(host):
        err.print(f"warning: listening on {host}, not on this machine only: anyone who can reach port {port} can "
                  "read every document; writes take a login or an API token, which cross the network in clear "
                  f"unless a TLS proxy serves it. It answers to the host names {', '.join(hosts)}.", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


# ---------------------------------------------------------------- review


@main.group()
def review():
    """Confirm, edit, reject or restore claims; every change is a new version with author and reason."""


def _review_options(f):
    f = click.option("--reason", help="Why (kept with the version; required except to confirm).")(f)
    f = by_option(f)
    return db_option(f)


def _review(claim_id: str, action: str, db, author, reason, changes: dict | None = None, version: int | None = None) -> None:
    from docket.gazetteer import default_gazetteer
    from docket.services import review as svc

    store = open_store(db, create=False)
    actor = _acting(store, "review", author)
    c = svc.apply(store, default_gazetteer(), claim_id, action, actor.name, reason, changes, version)
    out.print(f"{c.id}: {c.kind} · {c.status} · version {len(svc.history(store, claim_id))}")
    out.print(_claims_table([c]))


@review.command("confirm")
@click.argument("claim_id")
@_review_options
@reports_errors
def review_confirm(claim_id, db, author, reason):
    """Mark a claim as checked and right."""
    _review(claim_id, "confirm", db, author, reason)


@review.command("reject")
@click.argument("claim_id")
@_review_options
@reports_errors
def review_reject(claim_id, db, author, reason):
    """Reject a claim: it leaves listings, comparisons and dossiers, and keeps its history."""
    _review(claim_id, "reject", db, author, reason)


@review.command("edit")
@click.argument("claim_id")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--value", help="The figure (a whole number).")
@click.option("--qualifier", type=click.Choice(QUALIFIERS))
@click.option("--when", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--place", help="Any name of the place.")
@click.option("--agent")
@_review_options
@reports_errors
def review_edit(claim_id, kind, value, qualifier, when, place, agent, db, author, reason):
    """Change a claim's kind, figure, date, place or agent (a new version).

    \b
    Example:
      docket review edit c-1a2b3c4d5e6f7a8b --value 322 --reason "the annex counts one more"
    """
    changes = dict(kind=kind, value=value, qualifier=qualifier, when=when, place=place, agent=agent)
    _review(claim_id, "edit", db, author, reason, changes)


@review.command("restore")
@click.argument("claim_id")
@click.argument("version", type=click.IntRange(min=1))
@_review_options
@reports_errors
def review_restore(claim_id, version, db, author, reason):
    """Bring an earlier version back (as a new version)."""
    _review(claim_id, "restore", db, author, reason, version=version)


@review.command("history")
@click.argument("claim_id")
@db_option
@format_option("table", "json")
@reports_errors
def review_history(claim_id, db, fmt):
    """Every version of a claim: status, figure, author, time, reason."""
    from docket.model import Quantity
    from docket.resolve.clusters import describe
    from docket.services import review as svc

    versions = svc.history(open_store(db, create=False), claim_id)
    if fmt == "json":
        emit_json(versions)
        return
    table = Table("version", "status", "figure", "by", "when", "reason")
    for v in versions:
        q = v["data"].get("quantity")
        table.add_row(str(v["version"]), v["status"], describe(Quantity(**q)) if q else "", v["author"],
                      v["made_at"] or "", v["reason"] or "")
    out.print(table)


# ---------------------------------------------------------------- entities


@main.group()
def entities():
    """Actors, organisations, companies, instruments and sites, with every name the sources use."""


@entities.command("list")
@db_option
@click.option("--type", "kind", help="Only this type (actor, armed_forces, organisation, company, instrument, site …).")
@format_option("table", "json")
@reports_errors
def entities_list(db, kind, fmt):
    """Every entity the store's claims name, with its aliases."""
    from docket.services.entities import entity_index

    index = entity_index(open_store(db, create=False))
    rows = sorted((e for e in index.entities.values() if not kind or e.type == kind), key=lambda e: (e.type, e.name.lower()))
    if fmt == "json":
        emit_json([e.as_dict() for e in rows])
        return
    table = Table("id", "type", "name", "aliases")
    for e in rows:
        table.add_row(e.id, e.type, e.name, ", ".join(sorted(a for a in e.aliases if a != e.name)))
    out.print(table)


@entities.command("show")
@click.argument("name")
@db_option
@format_option("table", "json")
@reports_errors
def entities_show(name, db, fmt):
    """One entity (by id or any alias): its aliases, the relations stated about it, the claims naming it."""
    from docket.services.entities import entity_report

    report = entity_report(open_store(db, create=False), name)
    if fmt == "json":
        emit_json(report.as_dict())
        return
    e = report.entity
    out.print(Text(e.name, style="bold") + Text(f"  {e.type} · {e.id}", style="dim"))
    out.print("aliases: " + ", ".join(sorted(e.aliases)))
    for r in report.relations:
        out.print(f"{r['subject']} {r['predicate'].replace('_', ' ')} {r['object']}  [dim]({r['attributed_to'] or '?'}: \"{r['text']}\")[/]", markup=True)
    out.print(_claims_table([c for _, c in report.claims]))


def _decide(db, action, a, b, author, reason):
    from docket.services.entities import record_decision

    store = open_store(db, create=False)
    actor = _acting(store, "decide_entities", author)
    e = record_decision(store, action, a, b, actor.name, reason)
    out.print(f"{action}: {a}{' + ' + b if b else ''} -> {e.name} ({e.id}); aliases: {', '.join(sorted(e.aliases))}")


@entities.command("merge")
@click.argument("a")
@click.argument("b")
@db_option
@by_option
@click.option("--reason", help="Why (kept with the decision).")
@reports_errors
def entities_merge(a, b, db, author, reason):
    """Make B's entity and A's one (kept and replayed whenever entities are resolved)."""
    _decide(db, "merge", a, b, author, reason)


@entities.command("split")
@click.argument("alias")
@db_option
@by_option
@click.option("--reason", help="Why (kept with the decision).")
@reports_errors
def entities_split(alias, db, author, reason):
    """Give ALIAS an entity of its own (kept and replayed)."""
    _decide(db, "split", alias, None, author, reason)


# ---------------------------------------------------------------- incidents


@main.group()
def incidents():
    """Merge incidents, split a claim out of one, grade one: each decision kept with its author, time and
    reason, and replayed whenever claims are clustered again."""


def _incident_options(f):
    f = click.option("--reason", help="Why (kept with the decision; required).")(f)
    f = by_option(f)
    f = format_option("table", "json")(f)
    return db_option(f)


def _grade_text(grade: dict | None) -> str:
    if not grade:
        return "ungraded"
    when = (grade["made_at"] or "")[:10]
    return f"graded {grade['grade']} by {grade['author'] or '?'} on {when}: {grade['reason'] or ''}"


def _print_incident(k, fmt: str) -> None:
    if fmt == "json":
        emit_json(k.as_dict())
        return
    from docket.resolve.clusters import describe

    out.print(Text(f"{k.id}  ") + Text(k.kind, style=KIND_STYLES.get(k.kind)) + Text(
        f"  {k.thing or ''}  {k.place_name or ''}  {k.date or (k.years[0] if k.years else 'undated')}  ")
        + Text(k.flag, style=FLAG_STYLES[k.flag])
        + Text(f"  {_grade_text(k.grade)}", style="bold" if k.grade else "dim"))
    table = Table("claim", "source", "figure", "when", show_header=False, box=None, padding=(0, 2))
    for c in k.claims:
        table.add_row(c.id, c.source, describe(c.quantity), c.when.start if c.when else "")
    out.print(table)
    for r in k.reasons:
        out.print(Text(f"  ! {r}", style="red"))
    for n in k.notes:
        out.print(Text(f"  · {n}", style="dim"))


def _incident_decision(db, action, claim, author, reason, fmt, other=None, value=None) -> None:
    from docket.gazetteer import default_gazetteer
    from docket.services import incidents as svc

    store = open_store(db, create=False)
    actor = _acting(store, "grade", author)
    _print_incident(svc.decide(store, default_gazetteer(), action, claim, actor.name, reason, other, value), fmt)


@incidents.command("merge")
@click.argument("claim_a")
@click.argument("claim_b")
@_incident_options
@reports_errors
def incidents_merge(claim_a, claim_b, db, author, reason, fmt):
    """Make the incident holding CLAIM_B and the one holding CLAIM_A one incident (of one kind).

    \b
    Example:
      docket incidents merge c-1a2b3c4d5e6f7a8b c-9f8e7d6c5b4a3f2e --reason "one strike, dated a day apart"
    """
    _incident_decision(db, "merge", claim_a, author, reason, fmt, other=claim_b)


@incidents.command("split")
@click.argument("claim")
@_incident_options
@reports_errors
def incidents_split(claim, db, author, reason, fmt):
    """Take CLAIM out of its incident: it stands alone."""
    _incident_decision(db, "split", claim, author, reason, fmt)


@incidents.command("grade")
@click.argument("claim")
@click.argument("grade", metavar="GRADE")
@_incident_options
@reports_errors
def incidents_grade(claim, grade, db, author, reason, fmt):
    """Grade the incident holding CLAIM: confirmed, fair, weak, contested or discounted (a later grade
    replaces an earlier one; both are kept).

    \b
    Example:
      docket incidents grade c-1a2b3c4d5e6f7a8b contested --reason "two ministries, two tolls"
    """
    _incident_decision(db, "grade", claim, author, reason, fmt, value=grade)


@incidents.command("history")
@click.argument("claim")
@db_option
@format_option("table", "json")
@reports_errors
def incidents_history(claim, db, fmt):
    """The incident holding CLAIM now, and every decision naming it or a claim it holds: action, grade,
    author, time, reason."""
    from docket.gazetteer import default_gazetteer
    from docket.services import incidents as svc

    h = svc.history(open_store(db, create=False), default_gazetteer(), claim)
    if fmt == "json":
        emit_json(h.as_dict())
        return
    _print_incident(h.incident, fmt)
    table = Table("decision", "action", "claims", "grade", "by", "when", "reason")
    for d in h.decisions:
        table.add_row(str(d.id), d.action, d.claim + (f" + {d.other}" if d.other else ""), d.grade or "",
                      d.author or "", d.made_at or "", d.reason or "")
    out.print(table if h.decisions else Text("no decisions yet", style="dim"))


# ---------------------------------------------------------------- accounts


ROLES_METAVAR = "reader|analyst|admin"


def _new_password(from_stdin: bool):
    """How to ask for a new password, called once everything else is checked: one line of standard input
    (`--password-stdin`), else a hidden prompt on the terminal, given twice."""

    def ask() -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        first = click.prompt("Password", hide_input=True, default="", show_default=False, err=True)
        again = click.prompt("Repeat the password", hide_input=True, default="", show_default=False, err=True)
        if first != again:
            raise DocketError("the two passwords typed differ; nothing changed")
        return first

    return ask


def _password_option(f):
    return click.option("--password-stdin", "password_stdin", is_flag=True,
                        help="Read the password from the first line of standard input instead of asking twice.")(f)


def _account_line(a: dict) -> str:
    state = "disabled" if a["disabled"] else "enabled"
    return f"{a['name']}: {a['role']}, {state}" + (f", in {', '.join(a['groups'])}" if a["groups"] else "")


def _print_account(a: dict, fmt: str) -> None:
    if fmt == "json":
        emit_json(a)
    else:
        out.print(Text(_account_line(a)))


@main.group()
def users():
    """Accounts and their roles: reader (reads), analyst (also reviews, ingests, grades and decides), admin
    (also manages accounts, groups and tokens). README: "Who may do what".

    A store with no accounts works as before: the local user acts with every right. Its first account must be
    an admin; from then on every write is made as an enabled account (`docket --as NAME` or $DOCKET_USER) whose
    role allows it, and each account change is logged (never a password or its hash).
    """


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, metavar=ROLES_METAVAR, help="What the account may do.")
@_password_option
@db_option
@format_option("table", "json")
@reports_errors
def users_add(name, role, password_stdin, db, fmt):
    """Add an account (an admin's act; a store's first account must be an admin). The password is asked
    for twice, hidden, or read from standard input; at least 10 characters, not the name, not a common one.

    \b
    Examples:
      docket users add ana --role admin
      printf '%s\\n' "$PASSWORD" | docket --as ana users add ben --role analyst --password-stdin
    """
    from docket.services import accounts

    store = open_store(db)
    try:
        added = accounts.add_user(store, _actor(store), name, _new_password(password_stdin), role)
    except BaseException:
        store.discard_if_new_and_empty()  # a store made only for this failed command is not left behind
        raise
    if fmt == "json":
        emit_json(added)
    else:
        out.print(Text(f"added {_account_line(added)}"))


@users.command("list")
@db_option
@format_option("table", "json")
@reports_errors
def users_list(db, fmt):
    """Every account: its role, whether it is enabled, its groups, when it was made and its password set
    (never a password's hash)."""
    from docket.services import accounts

    store = open_store(db, create=False)
    rows = accounts.users(store, _actor(store))
    if fmt == "json":
        emit_json(rows)
        return
    table = Table("name", "role", "state", "groups", "created", "password set")
    for a in rows:
        table.add_row(a["name"], a["role"], "disabled" if a["disabled"] else "enabled", ", ".join(a["groups"]),
                      a["created_at"][:19], a["password_set_at"][:19])
    out.print(table if rows else Text("no accounts yet: whoever runs Docket acts with every right (`docket users "
                                      "add NAME --role admin` makes the first)", style="dim"))


@users.command("disable")
@click.argument("name")
@db_option
@format_option("table", "json")
@reports_errors
def users_disable(name, db, fmt):
    """Disable an account: it can no longer act, log in or use its tokens; what it did keeps its name. The
    last enabled admin cannot be disabled."""
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_account(accounts.disable(store, _actor(store), name), fmt)


@users.command("enable")
@click.argument("name")
@db_option
@format_option("table", "json")
@reports_errors
def users_enable(name, db, fmt):
    """Enable a disabled account again."""
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_account(accounts.enable(store, _actor(store), name), fmt)


@users.command("passwd")
@click.argument("name")
@_password_option
@db_option
@format_option("table", "json")
@reports_errors
def users_passwd(name, password_stdin, db, fmt):
    """Set an account's password (an admin anyone's; every account its own), asked for twice or read from
    standard input."""
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_account(accounts.set_password(store, _actor(store), name, _new_password(password_stdin)), fmt)
    err.print(Text(f"{name}: password set"))


@users.command("role")
@click.argument("name")
@click.argument("role", metavar=ROLES_METAVAR.upper())
@db_option
@format_option("table", "json")
@reports_errors
def users_role(name, role, db, fmt):
    """Give an account another role (reader, analyst or admin). The last enabled admin keeps the role.

    \b
    Example:
      docket --as ana users role ben reader
    """
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_account(accounts.set_role(store, _actor(store), name, role), fmt)


@main.group()
def tokens():
    """API tokens for scripts (an `Authorization: Bearer TOKEN` header, once the web takes them): each
    for one account, read or write, expiring. Shown once when made; kept only as its SHA-256."""


@tokens.command("create")
@click.option("--user", metavar="NAME", help="The account the token acts as [default: the account acted as]; "
              "another account's takes an admin.")
@click.option("--expires", default="30d", show_default=True, metavar="SPAN|DATE",
              help="A span from now (30d, 12h, 8w) or the last day it is valid (YYYY-MM-DD, UTC); at most 366 days.")
@click.option("--scope", default="read", show_default=True, metavar="read|write",
              help="read: reads only; write: also what the account's role may change (never accounts or tokens).")
@db_option
@format_option("table", "json")
@reports_errors
def tokens_create(user, expires, scope, db, fmt):
    """Make an API token and print it, once: it is not kept, only its SHA-256 is.

    The token alone goes to standard output (what it is and until when, to standard error).

    \b
    Example:
      TOKEN=$(docket --as ana tokens create --user ben --expires 30d --scope write)
    """
    from docket.services import accounts

    store = open_store(db, create=False)
    actor = _actor(store)
    token, row = accounts.create_token(store, actor, user or actor.name, scope, expires)
    if fmt == "json":
        emit_json(row | {"token": token})
        return
    click.echo(token)
    err.print(Text(f"token {row['id']} for {row['user_name']}, scope {row['scope']}, valid until "
                   f"{row['expires_at']}: shown this once, keep it safe (`docket tokens revoke {row['id']}` ends it)"))


@tokens.command("list")
@click.option("--user", metavar="NAME", help="Only this account's tokens.")
@db_option
@format_option("table", "json")
@reports_errors
def tokens_list(user, db, fmt):
    """API tokens (an admin sees everyone's, an account its own): number, account, scope, expiry, state.
    Never the tokens themselves."""
    from docket.services import accounts

    store = open_store(db, create=False)
    rows = accounts.tokens(store, _actor(store), user)
    if fmt == "json":
        emit_json(rows)
        return
    table = Table("id", "user", "scope", "expires", "created", "state")
    for r in rows:
        table.add_row(str(r["id"]), r["user_name"], r["scope"], r["expires_at"][:19], r["created_at"][:19], r["state"])
    out.print(table if rows else Text("no tokens", style="dim"))


@tokens.command("revoke")
@click.argument("ident", metavar="ID")
@db_option
@format_option("table", "json")
@reports_errors
def tokens_revoke(ident, db, fmt):
    """Revoke a token (by its number, from `docket tokens list`): it is refused from now on."""
    from docket.services import accounts

    store = open_store(db, create=False)
    row = accounts.revoke_token(store, _actor(store), ident)
    if fmt == "json":
        emit_json(row)
    else:
        out.print(f"token {row['id']} of {row['user_name']}: revoked")


@main.group()
def groups():
    """Groups of accounts, managed by admins (restricted documents, still to come, will be visible to
    their groups' members only)."""


def _print_group(g: dict, fmt: str) -> None:
    if fmt == "json":
        emit_json(g)
    else:
        out.print(Text(f"{g['name']}: " + (", ".join(g["members"]) or "no members")))


@groups.command("add")
@click.argument("name")
@click.option("--description", help="What the group is for.")
@db_option
@format_option("table", "json")
@reports_errors
def groups_add(name, description, db, fmt):
    """Add a group.

    \b
    Example:
      docket --as ana groups add witnesses --description "who may read testimonies"
    """
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_group(accounts.add_group(store, _actor(store), name, description), fmt)


@groups.command("list")
@db_option
@format_option("table", "json")
@reports_errors
def groups_list(db, fmt):
    """Every group with its members."""
    from docket.services import accounts

    store = open_store(db, create=False)
    rows = accounts.groups(store, _actor(store))
    if fmt == "json":
        emit_json(rows)
        return
    table = Table("group", "members", "description", "created")
    for g in rows:
        table.add_row(g["name"], ", ".join(g["members"]), g["description"] or "", g["created_at"][:19])
    out.print(table if rows else Text("no groups", style="dim"))


@groups.group("members")
def groups_members():
    """Add accounts to a group or remove them."""


@groups_members.command("add")
@click.argument("group")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@db_option
@format_option("table", "json")
@reports_errors
def groups_members_add(group, names, db, fmt):
    """Add accounts to a group (all of them, or none when one cannot be).

    \b
    Example:
      docket --as ana groups members add witnesses ben
    """
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_group(accounts.change_members(store, _actor(store), group, list(names), add=True), fmt)


@groups_members.command("remove")
@click.argument("group")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@db_option
@format_option("table", "json")
@reports_errors
def groups_members_remove(group, names, db, fmt):
    """Remove accounts from a group."""
    from docket.services import accounts

    store = open_store(db, create=False)
    _print_group(accounts.change_members(store, _actor(store), group, list(names), add=False), fmt)


@main.group()
def gazetteer():
    """Build the world index; import GeoNames dumps for village-level places."""


@gazetteer.command("build")
@reports_errors
def gazetteer_build():
    """(Re)build the world base layer's index from the installed packages (done on first use anyway)."""
    import time

    from docket.gazetteer.layers import base_index, gazetteer_dir

    t0 = time.perf_counter()
    idx = base_index(rebuild=True)
    out.print(f"built {len(idx):,} places in {time.perf_counter() - t0:.1f} s into {gazetteer_dir() / 'base'}")


@gazetteer.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the layer [default: the file's name].")
@format_option("table", "json")
@reports_errors
def gazetteer_import(file, name, fmt):
    """Import a GeoNames dump (AZ.txt, allCountries.zip …) or admin code file as a layer.

    Imported places rank above the base layer's; re-importing a file replaces its layer.

    \b
    Example:
      docket gazetteer import AZ.txt
    """
    from docket.gazetteer.layers import import_file

    layer, count, seconds = import_file(file, name)
    if fmt == "json":
        emit_json({"layer": layer, "places": count, "seconds": round(seconds, 2)})
    else:
        out.print(f"imported {count:,} places from {file} as layer {layer!r} in {seconds:.1f} s")


@gazetteer.command("layers")
@format_option("table", "json")
@reports_errors
def gazetteer_layers(fmt):
    """The gazetteer's layers and their sizes."""
    from docket.gazetteer import load_curated
    from docket.gazetteer.layers import gazetteer_dir, import_indexes

    rows = [{"layer": "curated", "places": len(load_curated()), "source": "places.toml (ships with Docket)"}]
    rows += [{"layer": name, "places": len(idx), "source": idx.meta.get("file", "")} for name, idx in import_indexes()]
    from docket.gazetteer.layers import base_index

    base = base_index()
    rows.append({"layer": "base", "places": len(base), "source": base.meta.get("packages", "")})
    if fmt == "json":
        emit_json({"folder": str(gazetteer_dir()), "layers": rows})
        return
    table = Table("layer", "places", "source")
    for r in rows:
        table.add_row(r["layer"], f"{r['places']:,}", r["source"])
    out.print(table)


@gazetteer.command("remove")
@click.argument("name")
@reports_errors
def gazetteer_remove(name):
    """Remove an imported layer."""
    from docket.gazetteer.layers import remove_import

    remove_import(name)
    out.print(f"removed layer {name!r}")


if __name__ == "__main__":
    main()
