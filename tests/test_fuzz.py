"""Fuzzing as a habit: a few hundred generated bad and odd inputs through `docket ingest`, every run.

The cases and the runner are in tests/fuzz_inputs.py; benchmarks/fuzz_ingest.py runs the same at
scale (100,000 cases). A failure prints each failure class with its labels, the first reproducers
(seed and case index) and the last frames of its traceback or of the hung stack; one case is run again
alone with `python benchmarks/fuzz_ingest.py --small-only --seed SEED --replay INDEX`.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from tests import fuzz_inputs
from tests.fuzz_inputs import FAILURES, NOTES, Case, FuzzFile, FuzzPool, Options, format_failures, make_case

SEED = 20260401
CASES = int(os.environ.get("DOCKET_FUZZ_CASES", "300"))
TIMEOUT = float(os.environ.get("DOCKET_FUZZ_TIMEOUT", "30"))
GOOD = "Press release 02 April 2018\n\nAround 150 villages in Kalbajar were destroyed in 1993.\n"


def test_generated_inputs_neither_break_nor_hang_ingest():
    results = list(FuzzPool(workers=2, timeout=TIMEOUT).run(Options(seed=SEED), range(CASES), batch=4))
    judged = Counter(r.index for r in results if not r.batch)
    assert sorted(judged) == list(range(CASES)) and set(judged.values()) == {1}, "every case has one outcome"
    notes = [r for r in results if r.outcome in NOTES]
    if notes:  # shown with the failures, or with pytest -rP
        print(f"notes ({len(notes)}), not failures:\n" + format_failures(results, NOTES, 1))
    failed = Counter(r.outcome for r in results if r.outcome in FAILURES)
    assert not failed, (
        f"{sum(failed.values())} of {CASES} generated cases failed (seed {SEED}): {dict(failed)}; run one again with "
        f"`python benchmarks/fuzz_ingest.py --small-only --seed {SEED} --replay INDEX`\n" + format_failures(results))


def test_cases_are_reproducible_and_cover_every_format():
    first = make_case(SEED, 17)
    again = make_case(SEED, 17)
    assert [(f.name, f.data) for f in first.files] == [(f.name, f.data) for f in again.files]
    labels = Counter(lab for i in range(CASES) for lab in make_case(SEED, i).labels)
    wanted = [f"fmt:{f}" for f in ("txt", "md", "html", "htm", "pdf", "docx")] + [
        "side:json:valid", "side:yaml:valid", "side:yml:valid", "name:long", "name:unicode", "text:digits",
        "text:dup", "text:control", "bytes:flip", "bytes:truncate", "case:several"]
    assert not [w for w in wanted if not labels[w]], "the cases the test runs lack these kinds of input"
    sizes = sorted(make_case(SEED, i).size for i in range(CASES))
    assert sizes[len(sizes) // 2] < 50_000 and sizes[-1] < 2_000_000


def _planted(seed: int, index: int, small: bool = True, big_rate: float = 0.0) -> Case:
    """Cases the harness must judge: 1 loses a file, 2 hangs, 4 raises; the others are fine."""
    name = {1: b"LOST.txt", 2: b"HANG.txt", 4: b"BOOM.txt"}.get(index, b"fine.txt")
    files = [FuzzFile(b"good.txt", f"{GOOD}Case {index}.\n".encode(), ["planted"]),
             FuzzFile(name, f"Case {index}: 12 houses were burned in Lachin.\n".encode(), ["planted"])]
    return Case(seed, index, files, [name.decode()])


def test_the_harness_sees_a_traceback_a_hang_and_a_lost_file(monkeypatch):
    from docket import services

    real_ingest, real_expand = services.ingest_file, services.expand_paths

    def ingest_file(store, path, *args, **kwargs):
        if "HANG" in str(path):
            time.sleep(120)
        if "BOOM" in str(path):
            raise RuntimeError("planted")
        return real_ingest(store, path, *args, **kwargs)

    # the workers are forked from this process: they inherit the planted faults
    monkeypatch.setattr(services, "ingest_file", ingest_file)
    monkeypatch.setattr(services, "expand_paths", lambda paths: [p for p in real_expand(paths) if "LOST" not in str(p)])
    monkeypatch.setattr(fuzz_inputs, "make_case", _planted)
    started = time.monotonic()
    results = list(FuzzPool(workers=2, timeout=4).run(Options(seed=1, table_rate=0.0), range(6), batch=3))
    outcomes = {r.index: r.outcome for r in results if not r.batch}
    assert outcomes == {0: "ok", 1: "unreported", 2: "hang", 3: "ok", 4: "traceback", 5: "ok"}, outcomes
    hang = next(r for r in results if r.outcome == "hang")
    assert "HANG.txt" in hang.detail and "in ingest_file" in hang.frames.split("\n")[1]  # the innermost frame
    boom = next(r for r in results if r.outcome == "traceback")
    assert "RuntimeError" in boom.detail and "planted" in boom.detail
    assert time.monotonic() - started < 60


def test_cases_the_long_fuzz_found_pass():
    """Cases `benchmarks/fuzz_ingest.py` found failing, run again: (seed, index) of the full-size run.
    Seed 7, case 952: a 99 KB PDF of 22,560 words and 1,320 short sentences took 124 s to read (places,
    entities and claims compared with every other of the document), now linear. Seed 7, case 858: a
    2 MB Markdown text, read by the model in one pass that no budget could stop; now read in parts,
    it stops at its budget with a clear message. Seed 7, case 11307: a 164 KB PDF with a long list of
    places in one sentence, compared each with each (unknown places, finest places, listed places)."""
    found = [(7, 952), (7, 858), (7, 11307)]
    for seed, index in found:
        (result,) = list(FuzzPool(workers=1, timeout=TIMEOUT).run(Options(seed=seed, small=False), [index]))
        assert result.outcome not in FAILURES, (seed, index, result.outcome, result.detail)
