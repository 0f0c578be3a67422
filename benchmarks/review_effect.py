"""Time the review workflow: effect preview of a corrected line, and an approval into a new version.

Usage::

    .venv/bin/python benchmarks/review_effect.py          # SQLite in a temporary folder
    .venv/bin/python benchmarks/review_effect.py URL      # or a PostgreSQL URL (an empty database)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from shapely import affinity
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.review import proposals  # noqa: E402
from layers.review.effect import effect  # noqa: E402
from layers.review.rebuild import Change, base_files, features_of, rebuild  # noqa: E402
from layers.store.engine import get_engine, upgrade  # noqa: E402


def _timed(func, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    files = base_files()
    road = next(shape(f["geometry"]) for f in features_of(files, "gazetteer.geojson")
                if f["properties"]["name"] == "清平路")
    change = Change("line", feature="清平路", geometry=mapping(affinity.translate(road, xoff=0.002)))
    print(f"rebuild of version 0, all zones and parks: {_timed(lambda: rebuild(files)) * 1000:.0f} ms (median of 5)")
    print(f"effect of a corrected line (3 areas):      {_timed(lambda: effect(files, change)) * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(sys.argv[1] if len(sys.argv) > 1 else str(Path(tmp) / "bench.sqlite3"))
        upgrade(engine)
        times = []
        for i in range(5):
            moved = Change("line", feature="清平路", geometry=mapping(affinity.translate(road, xoff=0.001 * (i + 1))))
            pid = proposals.submit(engine, moved, actor="bench-editor", role="editor").id
            t0 = time.perf_counter()
            proposals.approve(engine, pid, actor="bench-approver", role="approver")
            times.append(time.perf_counter() - t0)
        print(f"approval into a new version ({engine.dialect.name}): {statistics.median(times) * 1000:.0f} ms (median of 5)")
        engine.dispose()


if __name__ == "__main__":
    main()
