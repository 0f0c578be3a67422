"""How an OpenStreetMap name relates to a gazetteer name.

Chinese street names carry their direction as a separate word before the
generic part: 长松路 runs on as 长松北路 and 长松南路, 北宫西街 as 北宫东街,
西环路 as 西环南路. Such names are *variants* of one road. A name with the
same specific part but another generic word (长松街 for 长松路) is a *near
miss*: listed for the planner, never used.

Names in OpenStreetMap also come in forms the plan never uses: traditional
characters (臥龍西街), a state or route number in brackets (玄武西街（在建）,
拥军路 (S222)), a stretch (健康西街西段), full-width or invisible characters.
:func:`plain_name` reduces them to the plan's form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from layers.plan.text import to_simplified

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


#: A qualifier after the name: a bracket ("（在建）", "(S222)") or a stretch ("西段", "二段").
_QUALIFIER = re.compile(r"\s*(?:\([^()]*\)|[东西南北中一二三四五六七八九十\d]+段)\s*$")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")


@lru_cache(maxsize=200_000)
def plain_name(name: str) -> str:
    """``name`` as the plan would write it: simplified characters, half-width brackets and digits, no
    invisible characters, and no trailing qualifier (state, route number, stretch)."""
    plain = to_simplified(_INVISIBLE.sub("", unicodedata.normalize("NFKC", name))).strip()
    while True:
        shorter = _QUALIFIER.sub("", plain)
        if shorter == plain or len(shorter) < 2:
            return plain
        plain = shorter
