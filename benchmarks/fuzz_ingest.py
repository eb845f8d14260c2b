"""`docket ingest` against generated bad and odd inputs, at scale.

    python benchmarks/fuzz_ingest.py [--cases 100000] [--seed N] [--workers 2] [--timeout 30] [--batch 8] [--small-only]
    python benchmarks/fuzz_ingest.py --seed N --replay INDEX [--write DIR]

The cases and the runner are those of `tests/fuzz_inputs.py` (the test suite runs a few hundred of
them): each case is a few files (every format Docket reads, sidecars, odd names, mutated content),
ingested through the CLI in a worker process with a wall-clock limit; `--batch` cases share one folder
and one ingest, and a batch that is not clean is run again case by case to find the culprit.

Prints the count per outcome, each failure class (outcome and where in Docket it happened) with its
commonest labels, first reproducers and the last frames of its traceback (or of the hung stack), the
outcomes per mutation label, and cases per second. Exits 1 when any case is a failure (traceback,
hang, crash, unreported, bad-report, store-broken, reingest-changed).

`--replay INDEX` runs one case in this process, without a time limit, and prints its files, labels and
outcome; `--write DIR` keeps its files there.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.fuzz_inputs

from tests.fuzz_inputs import (  # noqa: E402
    FAILURES,
    NOTES,
    FuzzPool,
    Options,
    format_failures,
    make_case,
    run_case_here,
    summarize,
    warm_up,
    write_case,
)


def replay(args) -> int:
    case = make_case(args.seed, args.replay, small=args.small_only, big_rate=args.big_rate)
    print(f"case {args.seed}:{args.replay}  labels: {', '.join(case.labels)}")
    for f in case.files:
        kind = "folder" if f.data is None else f"{len(f.data):,} bytes"
        print(f"  {f.name!r}  {kind}  {', '.join(f.labels)}")
    if args.write:
        write_case(case, args.write)
        print(f"written to {args.write}")
    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        verdict = run_case_here(case, tmp, reingest=args.reingest)
        seconds = time.perf_counter() - t0
    print(f"outcome: {verdict.outcome} in {seconds:.2f} s\n  {verdict.detail}")
    if verdict.frames:
        print(verdict.frames)
    return 1 if verdict.outcome in FAILURES else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--start", type=int, default=0, help="first case index (to run a slice of a seed's cases)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds a job may take before it counts as a hang")
    ap.add_argument("--batch", type=int, default=8, help="cases per folder and ingest")
    ap.add_argument("--small-only", action="store_true",
                    help="no big cases (texts over 1,000,000 characters, 300 MB zip bombs, 1 MB sidecars)")
    ap.add_argument("--big-rate", type=float, default=0.002, help="share of big cases")
    ap.add_argument("--table-rate", type=float, default=0.1, help="share of ingests run with --format table")
    ap.add_argument("--reingest", action="store_true", help="ingest each folder twice; the second must change nothing")
    ap.add_argument("--mem-limit-gb", type=float, default=6.0, help="address space a worker may add (0: no cap)")
    ap.add_argument("--top", type=int, default=3, help="reproducers shown per failure class")
    ap.add_argument("--json", type=Path, help="write every non-ok result here (JSON lines)")
    ap.add_argument("--replay", type=int, help="run this one case here and print it")
    ap.add_argument("--write", type=Path, help="with --replay: write the case's files to this folder")
    args = ap.parse_args()
    if args.replay is not None:
        return replay(args)

    options = Options(seed=args.seed, small=args.small_only, big_rate=args.big_rate, table_rate=args.table_rate,
                      reingest=args.reingest)
    pool = FuzzPool(workers=args.workers, timeout=args.timeout, mem_limit=int(args.mem_limit_gb * (1 << 30)))
    results = []
    counts: Counter = Counter()
    t0 = time.perf_counter()
    last = t0
    out = args.json.open("w") if args.json else None
    try:
        for r in pool.run(options, range(args.start, args.start + args.cases), batch=args.batch):
            results.append(r)
            if not r.batch:
                counts[r.outcome] += 1
            if out and r.outcome != "ok":
                out.write(json.dumps({"seed": r.seed, "index": r.index, "batch": r.batch, "outcome": r.outcome,
                                      "signature": r.signature, "detail": r.detail, "frames": r.frames,
                                      "labels": r.labels, "seconds": r.seconds}, ensure_ascii=False) + "\n")
                out.flush()  # a failure is readable while the run goes on
            now = time.perf_counter()
            if now - last > 10:
                last = now
                done = sum(counts.values())
                bad = sum(counts[c] for c in FAILURES)
                print(f"  {done:,}/{args.cases:,} cases, {done / (now - t0):.1f}/s, {bad} failures", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: the cases so far", file=sys.stderr)
    finally:
        if out:
            out.close()
    elapsed = time.perf_counter() - t0
    done = sum(counts.values())
    print(f"\n{done:,} cases (seed {args.seed}, from {args.start}) in {elapsed:,.1f} s: {done / elapsed:.1f} cases/s "
          f"with {args.workers} workers, {args.batch} cases per ingest, {args.timeout:.0f} s limit")
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in counts.most_common()))
    ok = [r.seconds for r in results if r.outcome == "ok"]
    if ok:
        # what a run costs once nothing fails: no hang waits out its limit, no batch runs again case by case
        per_case = sum(ok) / len(ok)
        print(f"an ok case takes {per_case:.3f} worker-seconds: 100,000 clean cases would take "
              f"{100_000 * per_case / args.workers / 3600:.1f} h with {args.workers} workers")
    failures = [r for r in results if r.outcome in FAILURES]
    if failures:
        print(f"\nfailure classes ({len(failures)} results):")
        print(format_failures(results, FAILURES, args.top))
    notes = [r for r in results if r.outcome in NOTES]
    if notes:
        print(f"\nnotes ({len(notes)}), not failures:")
        print(format_failures(results, NOTES, 1))
    summary = summarize(results)
    print("\nper label (cases: outcome counts), failures first:")
    rows = sorted(summary["labels"].items(), key=lambda kv: (-sum(kv[1][c] for c in FAILURES), kv[0]))
    for label, c in rows:
        print(f"  {label:40s} {sum(c.values()):7,d}  " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
