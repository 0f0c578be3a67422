"""Reviewed English names and translations (``geodata/names_en.csv``).

Nothing is machine-translated at run time: a name or text missing from the
table has no English rendering, and callers say so instead of guessing.
Positioning texts are keyed by the full Chinese text, so a translation goes
stale (and disappears) as soon as the plan's wording changes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from layers.paths import GEODATA

NAMES_FILE = GEODATA / "names_en.csv"
KINDS = ("district", "zone", "park", "feature", "site", "industry", "positioning")


class NamesError(ValueError):
    """The English names table cannot be used; the message (Chinese) says where."""


@dataclass(frozen=True)
class EnglishNames:
    """Lookup of reviewed English renderings by kind and Chinese text."""

    table: dict[tuple[str, str], str]

    def get(self, kind: str, zh: str) -> str | None:
        """The English rendering, or ``None`` when the table has none."""
        return self.table.get((kind, zh))

    def name(self, kind: str, zh: str) -> str:
        """English name, or the Chinese name marked as untranslated."""
        return self.get(kind, zh) or f"{zh} (no reviewed English name)"


def load_names(path: Path = NAMES_FILE) -> EnglishNames:
    """Read the table; every row needs a known kind, Chinese and English text.

    Raises
    ------
    NamesError
        When the file is missing or a row is malformed (all problems listed).
    """
    if not path.exists():
        raise NamesError(f"缺少英文名称表 {path.name}")
    problems, table = [], {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            kind, zh, en = (row.get("kind") or "").strip(), (row.get("zh") or "").strip(), (row.get("en") or "").strip()
            if kind not in KINDS or not zh or not en:
                problems.append(f"第 {line_no} 行（类型“{kind}”）缺少中文或英文，或类型不在 {'/'.join(KINDS)} 中")
                continue
            table[(kind, zh)] = en
    if problems:
        raise NamesError(f"英文名称表 {path.name} 有问题：" + "；".join(problems))
    return EnglishNames(table)
