"""A process killed (kill -9) in the middle of an approval leaves the previous version intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from shapely import affinity
from shapely.geometry import mapping, shape

from layers.review import proposals, versions
from layers.review.rebuild import Change, base_files, features_of
from layers.store.audit import entries

ROOT = Path(__file__).resolve().parents[1]

#: Approves a proposal, but stops for good inside the transaction: after the new
#: version row and the decision are written, before the audit entry and the commit.
_APPROVER = textwrap.dedent("""
    import sys, time
    from layers.review import proposals
    from layers.store.engine import get_engine

    url, pid = sys.argv[1], int(sys.argv[2])
    real = proposals._decide

    def decide_then_hang(conn, *args, **kwargs):
        real(conn, *args, **kwargs)
        print("IN-TRANSACTION", flush=True)
        time.sleep(120)

    proposals._decide = decide_then_hang
    proposals.approve(get_engine(url), pid, actor="killed", role="approver")
    print("COMMITTED", flush=True)
""")


def _line_change(dx: float) -> Change:
    road = next(shape(f["geometry"]) for f in features_of(base_files(), "gazetteer.geojson")
                if f["properties"]["name"] == "清平路")
    return Change("line", feature="清平路", geometry=mapping(affinity.translate(road, xoff=dx)))


def test_kill_9_during_approval_keeps_the_previous_version(db, db_url):
    first = proposals.submit(db, _line_change(0.002), actor="zhang", role="editor").id
    assert proposals.approve(db, first, actor="li", role="approver") == 1
    v1 = versions.files_of(db, 1)
    second = proposals.submit(db, _line_change(0.003), actor="zhang", role="editor").id

    proc = subprocess.Popen([sys.executable, "-c", _APPROVER, db_url, str(second)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "IN-TRANSACTION", proc.stderr.read()
        # the uncommitted version 2 is invisible to everyone else
        assert versions.latest(db) == 1
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    assert versions.latest(db) == 1
    assert versions.files_of(db, 1) == v1
    assert proposals.get(db, second).status == "pending"
    assert "killed" not in set(entries(db)["actor"])
    # the database is not left locked: the approval can be done again, normally
    assert proposals.approve(db, second, actor="li", role="approver") == 2
    assert [v.number for v in versions.history(db)] == [2, 1, 0]
