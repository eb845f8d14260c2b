"""Docket's extractor on a public event test set labelled by others: CASE 2021 Task 2 (1,019 English
news snippets, each with one ACLED-style event subtype).

    python benchmarks/event_eval.py [--tsv PATH] [--json] [--limit N]

An evaluation set only (../shared/data/SOURCES.md): its scores are reported, never tuned on.

Each of the 16 subtypes a Docket kind stands for is mapped to that kind, from the subtype's
definition alone (the mapping below was written before running this script and is not changed
to raise its figures). A snippet counts as found when `docket.services.extract` (the extractor
`docket ingest` uses) gives at least one claim of its mapped kind. The printout has the recall
per subtype and in all, the kinds the misses gave instead, and, for the subtypes Docket has no
kind for (protests, disasters, crime, ...), the share of snippets that gave some event claim
anyway: claims of an event that is not one of Docket's.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

TSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "events" / "case2021" / \
    "task2_test_set_final_release_with_labels.tsv"

# ACLED subtype -> the Docket kind that records it (DESIGN.md's claim kinds)
MAPPING = {
    "ARMED_CLASH": "attack", "AIR_STRIKE": "attack", "ART_MISS_ATTACK": "attack", "ATTACK": "attack",
    "GRENADE": "attack", "SUIC_BOMB": "attack", "CHEM_WEAP": "attack", "REM_EXPLOS": "attack",
    "GOV_REGAINS_TERIT": "control_change", "NON_STATE_ACTOR_OVERTAKES_TER": "control_change",
    "NON_VIOL_TERRIT_TRANSFER": "control_change",
    "PROPERTY_DISTRUCT": "destruction",
    "ARREST": "detention_missing", "ABDUCT_DISSAP": "detention_missing",
    "DIPLO": "diplomacy", "AGREEMENT": "diplomacy",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsv", type=Path, default=TSV, help="the CASE 2021 Task 2 test file (id, EventSnippet, SubType)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N snippets (0: all)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not args.tsv.is_file():
        print(f"{args.tsv}: not found (../shared/data/events/case2021 is where the test file lives)", file=sys.stderr)
        return 2
    from docket import services
    from docket.errors import DocketError
    from docket.kinds import kinds

    events = {k for k, spec in kinds().items() if spec.event}
    with args.tsv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if args.limit:
        rows = rows[: args.limit]
    found, total, instead = Counter(), Counter(), {}
    other_with_claims, other = Counter(), Counter()
    errors = 0
    t = time.perf_counter()
    for n, row in enumerate(rows, 1):
        sub = row["SubType"]
        try:
            got = {c.kind for c in services.extract(row["EventSnippet"])[0]}
        except DocketError:
            errors += 1
            got = set()
        if sub in MAPPING:
            total[sub] += 1
            if MAPPING[sub] in got:
                found[sub] += 1
            else:
                instead.setdefault(sub, Counter()).update(got or {"(none)"})
        else:
            other[sub] += 1
            if got & events:
                other_with_claims[sub] += 1
        if n % 100 == 0:
            print(f"  {n:,}/{len(rows):,} snippets", file=sys.stderr)
    seconds = time.perf_counter() - t
    mapped = sum(total.values())
    out = {
        "snippets": len(rows), "seconds": round(seconds, 1), "errors": errors,
        "recall": round(sum(found.values()) / mapped, 3) if mapped else None,
        "per_subtype": {s: {"kind": MAPPING[s], "found": found[s], "total": total[s],
                            "recall": round(found[s] / total[s], 3),
                            "misses_gave": dict(instead.get(s, Counter()).most_common(3))} for s in sorted(total)},
        "unmapped": {s: {"snippets": other[s], "with_event_claims": other_with_claims[s]} for s in sorted(other)},
    }
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"CASE 2021 Task 2: {len(rows):,} snippets in {seconds:.1f} s ({errors} refused); "
          f"recall over the {len(total)} subtypes Docket has a kind for: {out['recall']}")
    print(f"{'subtype':32s} {'kind':18s} {'found':>6s} {'of':>4s} {'recall':>7s}  misses gave")
    for s, v in out["per_subtype"].items():
        gave = ", ".join(f"{k} {n}" for k, n in v["misses_gave"].items())
        print(f"{s:32s} {v['kind']:18s} {v['found']:6d} {v['total']:4d} {v['recall']:7.2f}  {gave}")
    unm = sum(other.values())
    print(f"subtypes Docket has no kind for: {unm} snippets, {sum(other_with_claims.values())} of them gave an "
          f"event claim ({sum(other_with_claims.values()) / unm:.0%})" if unm else "")
    for s, v in out["unmapped"].items():
        print(f"  {s:30s} {v['with_event_claims']:4d} of {v['snippets']:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
