"""Several processes at one store: two creating it at once, two ingesting overlapping folders, and a
folder ingest killed with SIGKILL halfway. Nothing is lost, nothing is reported falsely, and the
store verifies afterwards."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

PLACES = ["Lachin", "Shusha", "Kalbajar", "Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadly", "Tartar", "Barda"]


def _docket(*args, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "docket.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def _documents(folder, numbers) -> None:
    folder.mkdir(exist_ok=True)
    for i in numbers:
        place = PLACES[i % len(PLACES)]
        (folder / f"report-{i:02d}.txt").write_text(
            f"Press release {1 + i % 28} May 2019\n\nAbout {100 + i} houses were destroyed in {place} in 1993. "
            f"At least {10 + i} civilians were killed there, the ministry said in statement {i}.\n", encoding="utf-8")


def _verify(db) -> dict:
    done = _docket("verify", "--db", db, "--format", "json")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    return json.loads(out)


def test_two_processes_creating_one_store(tmp_path):
    for trial in range(10):
        db = tmp_path / f"new-{trial}.db"
        code = "import sys; from docket.store import open_store; open_store(sys.argv[1]).close()"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, f"trial {trial}: {err}"
        conn = sqlite3.connect(db)
        from docket.store.migrations import CURRENT

        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(CURRENT,)]
        assert conn.execute("SELECT seq, hash FROM log_head").fetchall() == [(0, "0" * 64)]
        conn.close()


def test_two_ingests_of_overlapping_folders(tmp_path):
    _documents(tmp_path / "a", range(0, 8))
    _documents(tmp_path / "b", range(4, 12))
    for i in range(4, 8):  # the same bytes in both folders
        (tmp_path / "b" / f"report-{i:02d}.txt").write_bytes((tmp_path / "a" / f"report-{i:02d}.txt").read_bytes())
    db = tmp_path / "shared.db"
    procs = [_docket("ingest", tmp_path / name, "--db", db, "--format", "json") for name in ("a", "b")]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    assert all(r["errors"] == 0 for r in reports), reports
    assert sum(r["added"] for r in reports) == 12 and sum(r["unchanged"] for r in reports) == 4
    result = _verify(db)
    assert result["documents"] == 12 and result["entries"] == 12


def test_a_killed_folder_ingest_leaves_a_whole_store(tmp_path):
    _documents(tmp_path / "docs", range(40))
    db = tmp_path / "k.db"
    p = _docket("ingest", tmp_path / "docs", "--db", db)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and p.poll() is None:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=1)
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 3:
            break
        time.sleep(0.05)
    if p.poll() is not None:
        pytest.fail("the ingest ended before it could be killed")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL
    first = _verify(db)  # every document in the store is there whole, with its claims and its log entry
    assert 3 <= first["documents"] < 40 and first["entries"] == first["documents"]
    again = _docket("ingest", tmp_path / "docs", "--db", db, "--format", "json")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    report = json.loads(out)
    assert report["unchanged"] == first["documents"] and report["added"] == 40 - first["documents"]
    assert _verify(db)["documents"] == 40
