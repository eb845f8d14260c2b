"""Clustering and dossier queries at scale: 1,000,000 claims across 20,000 documents and 2,000 places.

    python benchmarks/cluster_scale.py [--claims N] [--documents N] [--places N] [--db PATH] [--queries N] [--whole]

Generates the store (SQLite, through the store interface: `ClaimStore.add_document`, areas included)
unless --db names one built before with the same sizes; then times
- clustering every claim into incidents (`cluster_digests` over the digests the store keeps for each
  claim, read from the areas of the claims' countries, as `docket compare` clusters a place from its
  area rows: with each sentence's signature, so repetitions are told), printed as claims per second
  (target >= 50,000/s), with its ratio to the clustering Docket did before incidents (same kind,
  district and thing, years at most one apart, for every kind: `baseline`, run on the same digests in
  the same process);
- with --whole, also `cluster_claims` over the claims whole, read from the store, their digests made on
  the way (as `docket diff` does for two documents: reading each claim's words for its measure and
  parts is most of that time, and no sentence signature is made without the documents' texts);
- the dossier of the busiest place (its claims, clusters, documents, entities, map, rendered to
  HTML), repeated, printed as median and p95 latency (target p95 < 200 ms), cold (its clusters
  computed afresh each time) and warm (from the compare cache, as a server reads a place again).

The places are real: the first N towns and villages of Azerbaijan, Armenia, Georgia, Turkey and Iran in
the gazetteer's base layer, each claim about one of them (uniformly at random, seeded), with its
district and country as enclosing areas. The claims are synthetic: kinds, figures with qualifiers,
years, sources and objects drawn at random with a fixed seed. Every document's sentence is nearly the
same as every other's ("Synthetic document 17 of the benchmark."), so claims of one figure repeat each
other across documents far more often than in any real corpus: the worst case for telling echoes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

from docket.gazetteer import default_gazetteer
from docket.model import KINDS, Claim, Document, DocumentMeta, DocumentRef, ObjectRef, Quantity, When
from docket.resolve import clusters as clustering
from docket.resolve.clusters import cluster_claims, cluster_digests, district_key
from docket.services import areas_of, comparison
from docket.services.dossier import build_dossier, render_html
from docket.store import ClaimFilter, open_store

SOURCES = ["Ministry of Foreign Affairs of Azerbaijan", "Ministry of Foreign Affairs of Armenia", "Caucasus Rights Monitor",
           "Caucasus Field Review", "Fact-finding mission", "Human Rights Watch", "OSCE Minsk Group", "ICRC"]
OBJECTS = ["village", "school", "library", "hospital", "museum", "monument", "bridge", "cemetery"]
QUALIFIERS = ["exact", "approx", "more_than", "at_least", "vague", "range"]


def baseline(digests, key) -> list:
    """Clustering as it was before incidents: by kind, district and thing, years at most one apart, for
    every kind, each cluster flagged (the years-only rule `_by_years` still applies to states)."""
    anchor = clustering.anchors(digests)
    groups: dict[tuple, list] = {}
    for m in digests:
        k = next((found for pid in m.places if (found := key(pid))), None)
        year = m.year if m.year is not None else anchor.get(m.document)
        groups.setdefault((m.kind, k, m.thing), []).append((year, m))
    out = []
    with clustering._collector_paused():
        for (kind, k, thing), members in groups.items():
            for c in clustering._by_years(kind, k, thing, members):
                clustering.flag(c)
                out.append(c)
    return out


def timed(f, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    got = f(*args)
    return time.perf_counter() - t0, got


def percentile95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * len(xs))) - 1)]


def places(n: int):
    gaz = default_gazetteer()
    (_, base) = next(x for x in gaz.layers if x[0] == "base")
    out = []
    for i in range(len(base)):
        if base.a["feature"][i] in (4, 5, 6):  # city, town, village
            e = base.entry(i)
            if e.country in ("AZ", "AM", "GE", "TR", "IR"):
                out.append(gaz.get(e.gid))
                if len(out) == n:
                    break
    return gaz, out


def generate(db: str, n_claims: int, n_docs: int, n_places: int) -> None:
    rng = random.Random(42)
    gaz, pool = places(n_places)
    refs = {p.id: gaz.ref(p, p.name) for p in pool}
    per_doc = n_claims // n_docs
    store = open_store(db)
    t0 = time.perf_counter()
    for d in range(n_docs):
        source = rng.choice(SOURCES)
        year = rng.randint(1992, 2020)
        sha = hashlib.sha256(f"doc-{d}".encode()).hexdigest()
        text = f"Synthetic document {d} of the benchmark. " * 4
        doc = Document(sha256=sha, filename=f"doc-{d}.txt", media_type="text/plain", text=text,
                       meta=DocumentMeta(title=f"Document {d}", publisher=source, published=f"{year}-06-01"))
        ref = DocumentRef(sha256=sha, title=doc.meta.title, published=doc.meta.published, publisher=source)
        found = []
        for k in range(per_doc):
            kind = rng.choice(KINDS)
            place = rng.choice(pool)
            qual = rng.choice(QUALIFIERS)
            value = rng.randint(1, 5000)
            q = Quantity(value=None if qual in ("vague", "range") else value, qualifier=qual,
                         low=value if qual in ("vague", "range") else None,
                         high=value * 2 if qual == "range" else None) if rng.random() < 0.6 else None
            when = When(start=str(rng.randint(year - 3, year)), precision="year") if rng.random() < 0.7 else None
            obj = ObjectRef(category=rng.choice(OBJECTS)) if kind in ("destruction", "looting") else None
            found.append(Claim(id=f"c-{d}-{k}", kind=kind, document=ref, span=(0, 10), text=text[:10],
                               attributed_to=source, quantity=q, when=when, object=obj, places=[refs[place.id]]))
        store.add_document(doc, text.encode(), found, areas_of(found, gaz))
        if d % 2000 == 0:
            print(f"  generated {d * per_doc:,} claims ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    store.optimize()  # as `docket ingest` does after a batch
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--documents", type=int, default=20_000)
    ap.add_argument("--places", type=int, default=2_000)
    ap.add_argument("--db", default="cluster-scale.db", help="the store to build or reuse")
    ap.add_argument("--queries", type=int, default=30, help="dossier queries to time")
    ap.add_argument("--whole", action="store_true", help="also cluster the claims whole (reads them all: minutes)")
    args = ap.parse_args()
    store = open_store(args.db)
    have = sum(store.counts_by_kind().values())
    if have != args.claims // args.documents * args.documents:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        print(f"generating {args.claims:,} claims, {args.documents:,} documents, {args.places:,} places into {args.db} …",
              file=sys.stderr)
        t0 = time.perf_counter()
        generate(args.db, args.claims, args.documents, args.places)
        print(f"generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        store = open_store(args.db)
    gaz = default_gazetteer()
    _, pool = places(args.places)
    countries = sorted({next((a.id for a in gaz.ancestors(p) if a.feature == "country"), p.id) for p in pool})
    t0 = time.perf_counter()
    digests = [m for area in countries for m in store.digests(area)]
    t_read = time.perf_counter() - t0
    n = len(digests)
    print(f"claims: {n:,}; their digests read from the store's areas ({len(countries)} countries) in {t_read:.1f} s "
          f"({n / t_read:,.0f} claims/s)")
    # each contender twice, alternately, best of two: the machine's drift touches all alike
    runs: dict[str, list[float]] = {"incidents (digests)": [], "before incidents": []}
    for _ in range(2):
        t, clusters = timed(cluster_digests, digests, district_key(gaz))
        runs["incidents (digests)"].append(t)
        n_clusters, n_echoes = len(clusters), sum(1 for k in clusters if k.echoes)
        del clusters
        t, old = timed(baseline, digests, district_key(gaz))
        runs["before incidents"].append(t)
        n_old = len(old)
        del old
    before = min(runs["before incidents"])
    for name, ts in runs.items():
        t = min(ts)
        made = n_old if name == "before incidents" else n_clusters
        print(f"clustering, {name}: {made:,} clusters in {t:.2f} s -> {n / t:,.0f} claims/s, {before / t:.2f}x the "
              f"speed before incidents (target >= 50,000/s: {'met' if n / t >= 50_000 else 'NOT met'})")
    print(f"  ({n_echoes:,} incidents hold repetitions)")
    if args.whole:
        t0 = time.perf_counter()
        claims = store.claims(ClaimFilter())
        print(f"claims whole read from the store in {time.perf_counter() - t0:.1f} s")
        t_digest, made = timed(lambda cs: [c.digest() for c in cs], claims)
        del made
        t, clusters = timed(cluster_claims, claims, district_key(gaz))
        print(f"clustering the claims whole: {len(clusters):,} clusters in {t:.2f} s -> {n / t:,.0f} claims/s, of which "
              f"making their digests alone takes {t_digest:.2f} s ({n / t_digest:,.0f} claims/s)")
        del clusters, claims

    counts: dict[str, int] = {}
    for m in digests:
        for pid in m.places:
            counts[pid] = counts.get(pid, 0) + 1
    busiest = max(counts, key=counts.__getitem__)
    place = gaz.get(busiest)
    del digests
    # cold: the place's clusters computed afresh each time (the compare cache emptied), as after a
    # write to the store; warm: as a server answers a place read again before anything changed
    for state in ("cold", "warm"):
        times = []
        for _ in range(args.queries):
            if state == "cold":
                comparison._CACHE.clear()
            t0 = time.perf_counter()
            d = build_dossier(store, gaz, place)
            render_html(d)
            times.append((time.perf_counter() - t0) * 1000)
        p95 = percentile95(times)
        print(f"dossier of the busiest place ({state}), {place.name} ({counts[busiest]} claims, {len(d.clusters)} "
              f"clusters), {args.queries} queries: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
              f"(target p95 < 200 ms: {'met' if p95 < 200 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
