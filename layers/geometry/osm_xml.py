"""Read an OpenStreetMap XML file (.osm, .osm.xml, .osm.gz, .osm.bz2) in whatever order it comes.

pyosmium, which reads .osm.pbf, needs nodes before ways and ids in order. The
XML files people actually hand over are not like that:

- Overpass exports list ways before their nodes (``out body; >; out skel qt;``)
  or carry the coordinates inside each ``<nd>`` (``out geom``) with no nodes;
- JOSM saves new objects with negative ids, in its own order, and keeps
  deleted objects in the file (``action="delete"``) until they are uploaded;
- history and diff extracts hold ``visible="false"`` copies.

This reader keeps every node's location first, then builds the ways, so order
does not matter; it leaves out deleted and invisible objects; and it splits a
way where its nodes are missing (a clipped extract) rather than drawing a
straight line across the gap.
"""

from __future__ import annotations

import bz2
import gzip
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import LineString, Polygon
from shapely.ops import polygonize, unary_union

#: Progress is logged after this many ways and relations.
PROGRESS_EVERY = 50_000


class OsmXmlError(ValueError):
    """An XML file that is not a readable OSM file; the message says why (Chinese)."""


@dataclass
class RawWay:
    """A way as read: its node ids, or its own coordinates (``out geom``), and its tags."""

    refs: list[int]
    coords: list[tuple[float, float] | None]
    tags: dict[str, str]


@dataclass
class RawRelation:
    """A relation as read: members as (type, ref, role), and tags."""

    members: list[tuple[str, int, str]]
    tags: dict[str, str]


@dataclass
class OsmXml:
    """Everything a file held that the import uses, with what was left out."""

    nodes: dict[int, tuple[float, float]] = field(default_factory=dict)
    ways: dict[int, RawWay] = field(default_factory=dict)
    relations: dict[int, RawRelation] = field(default_factory=dict)
    deleted: int = 0

    def way_lines(self, way: RawWay) -> list[LineString]:
        """The way's runs of known locations: a missing node splits it (never a straight line over it)."""
        runs: list[list[tuple[float, float]]] = [[]]
        for ref, own in zip(way.refs, way.coords):
            location = own or self.nodes.get(ref)
            if location is None:
                runs.append([])
            elif not runs[-1] or runs[-1][-1] != location:
                runs[-1].append(location)
        return [LineString(run) for run in runs if len(set(run)) >= 2]

    def missing_nodes(self, way: RawWay) -> int:
        """How many of the way's nodes have no location in the file."""
        return sum(own is None and ref not in self.nodes for ref, own in zip(way.refs, way.coords))


def _open(path: Path) -> io.BufferedIOBase:
    """The file's bytes, uncompressed (gzip and bzip2 are recognised by their first bytes)."""
    head = path.open("rb").read(3)
    if head[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if head == b"BZh":
        return bz2.open(path, "rb")
    return path.open("rb")


def _gone(attrib: dict[str, str]) -> bool:
    """Deleted in JOSM but not uploaded, or an old invisible version."""
    return attrib.get("action") == "delete" or attrib.get("visible") == "false"


def _location(attrib: dict[str, str]) -> tuple[float, float] | None:
    try:
        return float(attrib["lon"]), float(attrib["lat"])
    except (KeyError, ValueError):
        return None


def parse(path: Path, log: Callable[[str], None] = print) -> OsmXml:
    """Read ``path`` into memory.

    Raises
    ------
    OsmXmlError
        When the file is not XML, not OSM, cut short, or in an encoding the reader does not know.
    """
    out = OsmXml()
    count = 0
    tags: dict[str, str] = {}
    refs: list[int] = []
    coords: list[tuple[float, float] | None] = []
    members: list[tuple[str, int, str]] = []
    try:
        with _open(path) as handle:
            events = ET.iterparse(handle, events=("start", "end"))
            _, root = next(events)
            if root.tag != "osm":
                raise OsmXmlError(f"文件不是 OSM XML（最外层元素是 <{root.tag}>，应为 <osm>）："
                                  "请确认下载的是 .osm 数据文件，而不是网页或错误提示")
            for event, elem in events:
                if event == "start":
                    continue
                tag = elem.tag
                if tag == "tag":
                    tags[elem.get("k", "")] = elem.get("v", "")
                elif tag == "nd":
                    refs.append(int(elem.get("ref", "0")))
                    coords.append(_location(elem.attrib))
                elif tag == "member":
                    members.append((elem.get("type", "")[:1], int(elem.get("ref", "0")), elem.get("role", "")))
                elif tag in ("node", "way", "relation"):
                    if _gone(elem.attrib):
                        out.deleted += 1
                    elif tag == "node":
                        location = _location(elem.attrib)
                        if location is not None:
                            out.nodes[int(elem.get("id", "0"))] = location
                    elif tag == "way":
                        out.ways[int(elem.get("id", "0"))] = RawWay(refs, coords, tags)
                    else:
                        out.relations[int(elem.get("id", "0"))] = RawRelation(members, tags)
                    if tag != "node":
                        count += 1
                        if count % PROGRESS_EVERY == 0:
                            log(f"      已读取 {count:,} 条路段/关系…")
                    tags, refs, coords, members = {}, [], [], []
                    root.clear()  # the parsed elements are no longer needed
    except ET.ParseError as exc:
        raise OsmXmlError(_parse_message(exc)) from None
    except (EOFError, OSError, ValueError) as exc:
        if isinstance(exc, OsmXmlError):
            raise
        if "encoding" in str(exc):  # expat reads no multi-byte encoding but UTF-8 (GBK, GB18030)
            raise OsmXmlError("文件的字符编码不是 UTF-8（如 GBK）：OSM 文件应为 UTF-8，请用 JOSM 或文本编辑器另存为 UTF-8") \
                from None
        raise OsmXmlError(f"文件已损坏或被截断（{type(exc).__name__}）：请重新下载或重新导出") from None
    return out


def _parse_message(exc: ET.ParseError) -> str:
    line, column = getattr(exc, "position", (0, 0))
    text = str(exc)
    if "unknown encoding" in text:
        return "文件声明的字符编码无法读取（OSM 文件应为 UTF-8）：请用 JOSM 或文本编辑器另存为 UTF-8"
    if "no element found" in text and line <= 1:
        return "文件是空的：请重新下载或重新导出"
    if "no element found" in text or "unclosed token" in text:
        return f"文件在第 {line} 行第 {column} 列处中断，不完整（可能下载未完成）：请重新下载或重新导出"
    return f"文件不是有效的 XML（第 {line} 行第 {column} 列出错）：请确认它是 .osm 文件，或重新导出"


def water_polygon(xml: OsmXml, relation: RawRelation) -> tuple[Polygon | None, int]:
    """A multipolygon relation's area: outer rings less inner ones, and how many member ways are missing.

    Returns ``(None, missing)`` when the rings do not close.
    """
    outer, inner, missing = [], [], 0
    for kind, ref, role in relation.members:
        if kind != "w":
            continue
        way = xml.ways.get(ref)
        lines = xml.way_lines(way) if way is not None else []
        if way is None or xml.missing_nodes(way):
            missing += 1
        (inner if role == "inner" else outer).extend(lines)
    outer_area = unary_union(list(polygonize(outer))) if outer else None
    if outer_area is None or outer_area.is_empty:
        return None, missing
    if inner:
        outer_area = outer_area.difference(unary_union(list(polygonize(inner))))
    return outer_area, missing


def closed_polygon(xml: OsmXml, way: RawWay) -> Polygon | None:
    """A closed way's area, or None when it is not closed or its nodes are missing."""
    if len(way.refs) < 4 or way.refs[0] != way.refs[-1] or xml.missing_nodes(way):
        return None
    lines = xml.way_lines(way)
    if len(lines) != 1:
        return None
    polygon = Polygon(lines[0].coords)
    return polygon if polygon.is_valid else shapely.make_valid(polygon)
