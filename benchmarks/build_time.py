"""Time the full build (plan text → every layer, in memory) on this machine.

    .venv/bin/python benchmarks/build_time.py [--runs 5]

Prints the time of each run and the median; target: under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.build import build  # noqa: E402


def main() -> None:
    """Run the build several times in a fresh interpreter and report the timings."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    for i in range(args.runs):
        start = time.perf_counter()
        build(log=lambda *_: None)
        times.append(time.perf_counter() - start)
        print(f"run {i + 1}: {times[-1]:.3f} s")
    print(f"full build median {statistics.median(times):.3f} s over {args.runs} runs (target < 5 s)")


if __name__ == "__main__":
    main()
