"""How an OpenStreetMap name relates to a gazetteer name.

Chinese street names carry their direction as a separate word before the
generic part: 长松路 runs on as 长松北路 and 长松南路, 北宫西街 as 北宫东街,
西环路 as 西环南路. Such names are *variants* of one road. A name with the
same specific part but another generic word (长松街 for 长松路) is a *near
miss*: listed for the planner, never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Generic words, longest first so that 大街 wins over 街.
_GENERICS = ("铁路", "大街", "大道", "支线", "路", "街", "道", "线", "河", "坝", "渠")
_DIRECTIONS = "东西南北中"


@dataclass(frozen=True)
class NameParts:
    """A street name split into its specific part, direction word and generic word."""

    base: str
    direction: str
    generic: str


@lru_cache(maxsize=200_000)
def split_name(name: str) -> NameParts:
    """Split ``name`` into (base, direction, generic).

    A trailing direction word is only split off when at least two characters
    remain, so 西环路 keeps 西环 as its base while 西环南路 gives 西环 + 南.
    """
    name = name.strip()
    generic = next((g for g in _GENERICS if name.endswith(g) and len(name) > len(g)), "")
    rest = name[: len(name) - len(generic)]
    if len(rest) >= 3 and rest[-1] in _DIRECTIONS:
        return NameParts(rest[:-1], rest[-1], generic)
    return NameParts(rest, "", generic)


def classify(name: str, wanted: set[str]) -> str | None:
    """``exact``, ``variant``, ``near_miss`` or ``None`` for an OSM name against wanted names."""
    if name in wanted:
        return "exact"
    parts = split_name(name)
    if not parts.generic:
        return None
    best = None
    for target in wanted:
        other = split_name(target)
        if other.base != parts.base or not other.generic:
            continue
        if other.generic == parts.generic:
            return "variant"
        best = "near_miss"
    return best
