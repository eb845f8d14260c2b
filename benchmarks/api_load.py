"""The API and the place page under load: 1,000,000 claims in SQLite, 20 concurrent clients.

    python benchmarks/api_load.py [--db PATH] [--clients 20] [--seconds 20]

Uses (or first builds, with benchmarks/cluster_scale.py's generator) a store of 1,000,000 claims over
20,000 documents and 2,000 places; starts `docket serve` on it in its own process; then 20 client
threads send requests for the given time: claim listings with filters (kind, place, period; a random
page of 50) and the place page of a random place. Prints requests per second and latency median and
p95 for each. Targets: p95 < 150 ms for the API listings, < 300 ms for the place page.
"""

from __future__ import annotations

import argparse
import random
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from cluster_scale import percentile95 as p95  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="cluster-scale.db", help="a store from benchmarks/cluster_scale.py (built if absent)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2, help="server processes (uvicorn workers; the machine has 2 cores)")
    args = ap.parse_args()

    from docket.model import KINDS
    from docket.store import open_store

    if not Path(args.db).exists() or sum(open_store(args.db).counts_by_kind().values()) < 900_000:
        import cluster_scale  # noqa: I001

        print("building the store with cluster_scale's generator …", file=sys.stderr)
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        cluster_scale.generate(args.db, 1_000_000, 20_000, 2_000)
    store = open_store(args.db)
    n_claims = sum(store.counts_by_kind().values())
    from sqlalchemy import select

    from docket.store.schema import claim_places

    with store.engine.connect() as conn:
        places = [p for (p,) in conn.execute(select(claim_places.c.place_id).distinct())]
    store.close()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "docket.web.serve_factory:app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
        env={**__import__("os").environ, "DOCKET_DB": str(Path(args.db).resolve())},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/summary", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print("the server did not start", file=sys.stderr)
            return 1
        for p in places[:20]:  # warm each worker's gazetteer and caches
            httpx.get(f"{base}/places/{p}", timeout=60)
        results: dict[str, list[float]] = {"api": [], "place": []}
        errors = []
        stop = time.perf_counter() + args.seconds
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=30) as http:
                while time.perf_counter() < stop:
                    if rng.random() < 0.75:
                        params = {"kind": rng.choice(KINDS), "limit": 50, "offset": rng.choice([0, 0, 50, 100])}
                        if rng.random() < 0.6:
                            params["place"] = rng.choice(places)
                        if rng.random() < 0.4:
                            y = rng.randint(1992, 2018)
                            params["since"], params["until"] = str(y), str(y + 2)
                        t0 = time.perf_counter()
                        r = http.get("/api/claims", params=params)
                        which = "api"
                    else:
                        t0 = time.perf_counter()
                        r = http.get(f"/places/{rng.choice(places)}")
                        which = "place"
                    dt = (time.perf_counter() - t0) * 1000
                    with lock:
                        (results[which] if r.status_code == 200 else errors).append(dt if r.status_code == 200 else r.status_code)

        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    finally:
        server.terminate()
        server.wait(timeout=20)
    total = sum(len(v) for v in results.values())
    print(f"store: {n_claims:,} claims, {len(places):,} places; {args.clients} clients for {elapsed:.0f} s, "
          f"{args.workers} server processes")
    print(f"requests: {total:,} ({total / elapsed:,.0f}/s), errors: {len(errors)}; the clients used "
          f"{client_cpu:.1f} s of CPU ({client_cpu / elapsed:.0%} of one core)")
    for which, target in (("api", 150), ("place", 300)):
        xs = results[which]
        if xs:
            print(f"{'API claim listings' if which == 'api' else 'place page':<19}: {len(xs):,} requests, "
                  f"{len(xs) / elapsed:,.0f}/s, median {statistics.median(xs):.0f} ms, p95 {p95(xs):.0f} ms "
                  f"(target p95 < {target} ms: {'met' if p95(xs) < target else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
