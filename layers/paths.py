"""Where the project's data lives: below every stage, so any stage may import it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
INPUTS = GEODATA / "inputs"
PLAN_FILE = INPUTS / "weicheng-14th-five-year-plan.txt"
