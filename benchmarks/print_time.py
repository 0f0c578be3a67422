"""Time the pitch pack and the print maps (target: under 5 s each on the 2-core machine).

Run: ``.venv/bin/python benchmarks/print_time.py [--repeat 3]``. The first call in a process
also loads the CJK font (reported as "cold"); the others are what a user waits for on a
running server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.data import load_layers  # noqa: E402
from layers.maps.pitch import pitch_pack  # noqa: E402
from layers.maps.print import print_map  # noqa: E402

TARGET_S = 5.0


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    out = fn()
    size = len(out if isinstance(out, bytes) else out.data)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = load_layers()
    cold, _ = timed(lambda: pitch_pack(data, "高端智慧物流园"))
    print(f"cold start (first pitch pack, font loading included): {cold:.2f} s")
    cases = {f"pitch pack · {name}": (lambda n=name: pitch_pack(data, n))
             for name in ("半导体(激光)产业园", "高端智慧物流园", "金融总部产业园")}
    for paper in ("A4", "A3"):
        for fmt in ("pdf", "png"):
            cases[f"print map · overview + projects · {paper} {fmt}"] = \
                lambda p=paper, f=fmt: print_map(data, projects=data.projects, paper=p, fmt=f)
    cases["print map · park · A4 pdf"] = lambda: print_map(data, focus=("park", "半导体(激光)产业园"))
    worst = 0.0
    print(f"{'case':52s} {'median s':>9s} {'max s':>7s} {'size KB':>8s}")
    for label, fn in cases.items():
        runs = [timed(fn) for _ in range(args.repeat)]
        times = [t for t, _ in runs]
        worst = max(worst, max(times))
        print(f"{label:52s} {statistics.median(times):9.2f} {max(times):7.2f} {runs[0][1] / 1024:8.0f}")
    print(f"slowest: {worst:.2f} s — target < {TARGET_S:.0f} s: {'met' if worst < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
