"""Parse a boundary description (四至) into its four sides.

Two families of phrasing occur in Chinese planning documents:

* direction first — ``东至白浪河、西至清平路`` (白浪河 is the **east** edge);
  also 东起/东到/东抵/东临/东邻/东接/东连/东靠/南濒, ``东以X为界``,
  ``东与X接壤/相邻/毗邻``;
* feature first — ``位于石渠路以东`` or ``位于X北侧`` (the area lies east
  of 石渠路, so 石渠路 is the **west** edge).

A chunk with no direction word continues the side before it
(``东至周瑜路、华山路`` names two features on the east).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from layers.plan.text import to_simplified

SIDES = ("east", "west", "south", "north")
SIDE_NAMES = {"east": "东", "west": "西", "south": "南", "north": "北"}
_DIR = {"东": "east", "西": "west", "南": "south", "北": "north"}
_OPPOSITE = {"east": "west", "west": "east", "south": "north", "north": "south"}

#: Trailing words that qualify a feature without changing which it is.
QUALIFIERS = ("道路中心线", "中心线", "道路红线", "红线", "边线", "西岸", "东岸", "南岸",
              "北岸", "西侧", "东侧", "南侧", "北侧", "一线", "沿线", "堤", "外侧")
_FEATURE_SUFFIX = re.compile(
    r"(路|街|大街|道|大道|巷|河|江|渠|沟|湖|岸|铁路|线|界|坝|大坝|堤|山|桥|高速|公路|"
    + "|".join(QUALIFIERS) + r")$")

_SEP = re.compile(r"[、，,；;。：:\s]+")
_LEAD = re.compile(r"^.*?(?:位于|地处|范围为|范围是|范围|四至为|四至)")
_TAIL = re.compile(r"(?:的|之间的?)?(?:区域|范围|地块|片区|围合区域|以内|内)$")
_VERB = r"(?:至|起|到|抵|临|邻|接|连|靠|濒)"
_DIR_FIRST = re.compile(rf"^(?<![东西南北])([东西南北])(?:面|边|侧)?{_VERB}(.+)$")
_DIR_BORDER = re.compile(r"^([东西南北])(?:面|边|侧)?以(.+?)为界$")
_DIR_ADJ = re.compile(r"^([东西南北])(?:面|边|侧)?与(.+?)(?:接壤|相邻|毗邻|相连|相接|交界)$")
_FEAT_FIRST = re.compile(r"^(.+?)以([东西南北])$")
_FEAT_SIDE = re.compile(r"^(.+?)([东西南北])侧$")
_DIAGONAL = re.compile(r"^[东西][南北]|^[南北][东西](?:至|侧|以)")


class BoundsError(ValueError):
    """A boundary description that cannot be read; the message says why (Chinese)."""


@dataclass
class Bounds:
    """The features that bound an area on each side.

    ``east`` … ``north`` hold a feature name, a list of names when a side
    names several, or ``None`` when the text leaves the side open.
    ``qualifiers`` maps a side to its qualifier (西岸, 红线 …) where given.
    """

    east: str | list[str] | None = None
    west: str | list[str] | None = None
    south: str | list[str] | None = None
    north: str | list[str] | None = None
    qualifiers: dict[str, str | list[str | None]] = field(default_factory=dict)
    clause: str = ""
    ignored: list[str] = field(default_factory=list)

    def features(self, side: str) -> list[str]:
        """The feature names of one side as a list (empty when open)."""
        value = getattr(self, side)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def qualifier_list(self, side: str) -> list[str | None]:
        """One qualifier (or ``None``) per feature of ``side``."""
        value = self.qualifiers.get(side)
        names = self.features(side)
        if isinstance(value, list):
            return value
        return [value] * len(names) if names else []

    def as_dict(self) -> dict:
        """Per side: a list of ``{"feature", "qualifier"}`` (JSON-ready)."""
        return {side: [{"feature": f, "qualifier": q}
                       for f, q in zip(self.features(side), self.qualifier_list(side))]
                for side in SIDES}


def split_qualifier(name: str) -> tuple[str, str | None]:
    """Split ``白浪河西岸`` into ``("白浪河", "西岸")``; names without one pass through."""
    for qual in QUALIFIERS:
        if name.endswith(qual) and len(name) > len(qual) + 1:
            return name[: -len(qual)], qual
    return name, None


def _chunk_side(chunk: str) -> tuple[str, str] | None:
    """Read one chunk as ``(side, feature)``; ``None`` when it names no side."""
    for pattern, flip in ((_DIR_BORDER, False), (_DIR_ADJ, False), (_DIR_FIRST, False),
                          (_FEAT_FIRST, True), (_FEAT_SIDE, True)):
        m = pattern.match(chunk)
        if not m:
            continue
        if flip:
            feature, side = m.group(1), _DIR[m.group(2)]
            return _OPPOSITE[side], feature
        return _DIR[m.group(1)], m.group(2)
    return None


def _clean_chunk(chunk: str) -> str:
    chunk = _LEAD.sub("", chunk)
    chunk = _TAIL.sub("", chunk)
    return chunk.strip("“”\"'（）() ")


def _add(found: dict[str, list[tuple[str, str | None]]], side: str, raw: str,
         explicit: bool) -> None:
    feature, qualifier = split_qualifier(raw.strip())
    if not feature:
        raise BoundsError(f"{SIDE_NAMES[side]}侧的边界缺少地物名称")
    entries = found.setdefault(side, [])
    if explicit and entries and feature not in [f for f, _ in entries]:
        names = "、".join(f for f, _ in entries)
        raise BoundsError(
            f"{SIDE_NAMES[side]}侧出现两个不同的边界：“{names}”与“{feature}”，请只保留一个")
    if feature not in [f for f, _ in entries]:
        entries.append((feature, qualifier))


def parse_bounds(text: str) -> Bounds:
    """Read the boundary clause of a zone or park description.

    Parameters
    ----------
    text
        A description in simplified or traditional Chinese; the clause may be
        preceded by a title and followed by the rest of the paragraph.

    Returns
    -------
    Bounds
        The features per side, their qualifiers and the verbatim clause.

    Raises
    ------
    BoundsError
        When the text has no boundary clause, or names two different features
        for one side.
    """
    simple = to_simplified(text or "")
    found: dict[str, list[tuple[str, str | None]]] = {}
    ignored: list[str] = []
    started = last_side = None
    clause_span = [None, None]
    for m in re.finditer(r"[^、，,；;。：:\s]+", simple):
        chunk = _clean_chunk(m.group())
        if not chunk:
            continue
        if _DIAGONAL.match(chunk):
            ignored.append(chunk)
            continue
        hit = _chunk_side(chunk)
        if hit:
            side, feature = hit
            _add(found, side, feature, explicit=True)
            started, last_side = True, side
        elif started and last_side and _FEATURE_SUFFIX.search(chunk) and len(chunk) <= 12:
            _add(found, last_side, chunk, explicit=False)
        elif started:
            break
        else:
            continue
        clause_span[0] = m.start() if clause_span[0] is None else clause_span[0]
        clause_span[1] = m.end()
    if not found:
        raise BoundsError("未找到四至描述（如“东至……、西至……”或“位于……以东”），无法确定边界")
    bounds = Bounds(clause=simple[clause_span[0]:clause_span[1]], ignored=ignored)
    for side, entries in found.items():
        names = [f for f, _ in entries]
        quals = [q for _, q in entries]
        setattr(bounds, side, names[0] if len(names) == 1 else names)
        if any(quals):
            bounds.qualifiers[side] = quals[0] if len(quals) == 1 else quals
    return bounds
