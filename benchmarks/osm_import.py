"""Time and peak memory of importing a synthetic city-sized OpenStreetMap extract.

    .venv/bin/python benchmarks/osm_import.py [--ways 150000] [--keep FILE.osm.pbf]

Writes a .osm.pbf with every quirk of real data (tests/osm_synth.py) plus
``--ways`` unrelated local roads (at least 1 million nodes and 150,000 ways
by default), then runs ``python -m layers.osm_import`` on it in a child
process against a copy of ``geodata/inputs`` and reports the wall time and the
child's peak resident memory. Target: under 60 s and under 2 GB on a 2-core
machine. Also times how long ``--online`` takes to give up without network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.paths import INPUTS  # noqa: E402
from tests.osm_synth import make_extract  # noqa: E402


def _count(path: Path) -> tuple[int, int]:
    import osmium

    nodes = ways = 0
    for obj in osmium.FileProcessor(str(path)):
        nodes += obj.is_node()
        ways += obj.is_way()
    return nodes, ways


#: Runs the import command and reports its own peak memory (VmHWM of its own
#: address space: ru_maxrss would carry over the generator parent's peak, which
#: Linux keeps across fork and exec).
_WRAPPER = """
import os, runpy, sys
sys.argv = ["layers.osm_import", *sys.argv[1:]]
try:
    runpy.run_module("layers.osm_import", run_name="__main__")
finally:
    status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
    times = os.times()
    print(f"PEAK_MB={int(status) / 1024:.0f}", file=sys.stderr)
    print(f"CPU_S={times.user + times.system:.1f}", file=sys.stderr)
"""


def _child(args: list[str], inputs: Path) -> tuple[float, int, str, float]:
    """Run the import command; return wall seconds, exit code, its output and its peak memory (MB)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args, "--inputs", str(inputs)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    marks = dict(line.split("=", 1) for line in proc.stderr.splitlines() if line.startswith(("PEAK_MB=", "CPU_S=")))
    output = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines()
                       if not line.startswith(("PEAK_MB=", "CPU_S=")))
    print(f"        (CPU time of the import process: {marks.get('CPU_S', '?')} s)")
    return seconds, proc.returncode, output, float(marks.get("PEAK_MB", -1))


def main() -> None:
    """Write the extract, import it in a child process, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ways", type=int, default=150_000, help="unrelated local roads to add")
    parser.add_argument("--keep", type=Path, help="keep the generated extract here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = folder / "inputs"
        shutil.copytree(INPUTS, inputs)
        extract = args.keep or folder / "city.osm.pbf"
        start = time.perf_counter()
        make_extract(extract, "all", noise_ways=args.ways)
        nodes, ways = _count(extract)
        print(f"extract: {nodes:,} nodes, {ways:,} ways, {extract.stat().st_size / 1e6:.1f} MB "
              f"(written in {time.perf_counter() - start:.1f} s)")
        seconds, code, output, peak_mb = _child([str(extract)], inputs)
        matched = next((line for line in output.splitlines() if line.startswith("共匹配")), output[-500:])
        print(f"import: {seconds:.1f} s wall, peak memory {peak_mb:.0f} MB, exit code {code}")
        print(f"        {matched}")
        print(f"target: < 60 s and < 2048 MB on {os.cpu_count()} cores -> "
              f"{'met' if seconds < 60 and peak_mb < 2048 and code == 0 else 'NOT met'}")
        seconds, code, output, _ = _child(["--online"], inputs)
        print(f"--online without network: gave up after {seconds:.1f} s (exit code {code}); "
              f"{output.strip().splitlines()[-1][:120]}")


if __name__ == "__main__":
    main()
