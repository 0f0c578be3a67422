"""Write the table that carries values recorded under the first release's target ids.

The first release numbered targets ``target-001`` … in reading order; the
reader that replaced it names each figure by a hash of what and where it is.
Values users recorded under an old id must follow their figure. This script
matches each row of the first release's ``targets.csv`` (from git) to the row
of today's ``geodata/targets.csv`` with the same kind, value, unit and quoted
sentence (the closest indicator name breaks a tie) and writes the frozen table
that migration 0003 applies::

    python scripts/legacy_target_ids.py   # run once, review, commit the CSV
"""

from __future__ import annotations

import csv
import difflib
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_RELEASE = "8f223d9"
OUT = ROOT / "layers" / "store" / "migrations" / "legacy_target_ids.csv"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _compact(text: str) -> str:
    return "".join(text.split())


def _match(old: dict[str, str], new: list[dict[str, str]]) -> dict[str, str] | None:
    """The row of ``new`` that states the same figure as ``old``, or ``None``."""
    same = [row for row in new
            if row["kind"] == old["kind"] and float(row["value"]) == float(old["value"])
            and _compact(row["unit"]) == _compact(old["unit"])
            and _compact(row["quote"]) == _compact(old["quote"])]
    same.sort(key=lambda row: -difflib.SequenceMatcher(None, row["indicator"], old["indicator"]).ratio())
    return same[0] if same else None


def main() -> int:
    old = _rows(subprocess.run(["git", "show", f"{FIRST_RELEASE}:geodata/targets.csv"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout)
    new = _rows((ROOT / "geodata" / "targets.csv").read_text(encoding="utf-8-sig"))
    lines = []
    for row in old:
        found = _match(row, new)
        if found is None:
            print(f"无对应：{row['id']} {row['indicator']} {row['value']}{row['unit']}", file=sys.stderr)
            continue
        lines.append((row["id"], found["id"], row["indicator"], found["indicator"]))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["old_id", "new_id", "old_indicator", "new_indicator"])
        writer.writerows(lines)
    print(f"{len(lines)}/{len(old)} 个旧编号已对应，写入 {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
