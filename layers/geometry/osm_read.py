"""Read the ways and water areas of an OpenStreetMap extract (.osm, .osm.pbf, GeoJSON).

.osm and .osm.pbf are streamed with pyosmium: node locations are kept in
memory, ways of roads, railways, waterways and dams are kept with the few
tags the matching needs, names of ``route`` relations (railway lines whose
tracks carry no name) are added to their member ways, and water areas
(closed ways and multipolygon relations) are assembled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import shapely

from layers.geometry.names import plain_name

#: Tags whose values name a way.
NAME_KEYS = ("name", "name:zh", "name:zh-Hans", "name:zh-CN", "alt_name", "old_name",
             "official_name", "short_name")
#: Tags kept for matching; a way needs one of the first four to be kept at all.
KIND_KEYS = ("highway", "railway", "waterway", "man_made")
_KEEP_KEYS = (*KIND_KEYS, "junction", "oneway", "construction")
_ROUTES = {"railway", "train", "tracks", "light_rail", "road"}
_PROGRESS_EVERY = 50_000
_HSTORE_RE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


class OsmImportError(ValueError):
    """An OSM file that cannot be read; the message names it (Chinese)."""


@dataclass
class OsmData:
    """Ways (WGS-84 lines) and water areas read from an extract."""

    ids: list[int] = field(default_factory=list)
    names: list[tuple[str, ...]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    coords: list[list[tuple[float, float]]] = field(default_factory=list)
    wkb: list = field(default_factory=list)
    water_ids: list[str] = field(default_factory=list)
    water: list = field(default_factory=list)
    geoms: np.ndarray | None = None
    #: What the reader left out or could not use, for the import's log (Chinese).
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def finish(self) -> "OsmData":
        """Build the line geometries (one vectorised call)."""
        if self.geoms is None and self.wkb:
            self.geoms = shapely.from_wkb(np.asarray(self.wkb, dtype=object))
            self.wkb = []
        if self.geoms is None:
            flat = [c for cs in self.coords for c in cs]
            index = np.repeat(np.arange(len(self.coords)), [len(cs) for cs in self.coords])
            self.geoms = (shapely.linestrings(np.asarray(flat, dtype=float).reshape(-1, 2), indices=index)
                          if flat else np.array([], dtype=object))
            self.coords = []
        return self


def _names(tags) -> tuple[str, ...]:
    """Every name the tags give, as written and in the plan's form (:func:`plain_name`)."""
    seen = []
    for key in NAME_KEYS:
        value = tags.get(key)
        if value:
            for part in str(value).split(";"):
                for form in (part.strip(), plain_name(part)):
                    if form and form not in seen:
                        seen.append(form)
    return tuple(seen)


def _is_water(tags) -> bool:
    return (tags.get("natural") == "water" and tags.get("water") in ("river", "canal", "stream", None)) \
        or tags.get("waterway") == "riverbank"


def _read_pyosmium(path: Path, log: Callable[[str], None]) -> OsmData:
    import osmium  # streaming reader of .osm and .osm.pbf

    data = OsmData()
    route_names: dict[int, tuple[str, ...]] = {}
    wkb = osmium.geom.WKBFactory()
    processor = (osmium.FileProcessor(str(path)).with_locations()
                 .with_areas(osmium.filter.KeyFilter("natural", "waterway"))
                 # Nodes only feed the location index: keep them out of the Python loop.
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY | osmium.osm.RELATION
                                                         | osmium.osm.AREA)))
    count = 0
    for obj in processor:
        count += 1
        if count % _PROGRESS_EVERY == 0:
            log(f"      已读取 {count:,} 条路段/关系（保留道路、铁路、河流路段 {len(data):,} 条）…")
        if obj.is_way():
            _add_way(data, obj, wkb)
        elif obj.is_relation():
            _add_route(route_names, obj.tags, (m.ref for m in obj.members if m.type == "w"))
        elif obj.is_area() and _is_water(obj.tags):
            try:
                data.water.append(shapely.from_wkb(wkb.create_multipolygon(obj)))
            except RuntimeError:  # an area that cannot be assembled is skipped, and said so
                kind = "way" if obj.from_way() else "relation"
                data.notes.append(f"{_water_label(f'{kind}/{obj.orig_id()}', obj.tags)}无法闭合"
                                  "（提取范围可能截断了它），未使用")
                continue
            data.water_ids.append(("way/" if obj.from_way() else "relation/") + str(obj.orig_id()))
    for i, way_id in enumerate(data.ids):
        extra = route_names.get(way_id)
        if extra:
            data.names[i] = tuple(dict.fromkeys((*data.names[i], *extra)))
    log(f"      共读取 {count:,} 条路段/关系/面：道路、铁路、河流路段 {len(data):,} 条，水域面 {len(data.water)} 个")
    return data


def _add_way(data: OsmData, way, wkb) -> None:
    tags = way.tags
    if not any(k in tags for k in KIND_KEYS):
        return
    try:  # built in C++; fails on missing nodes (a cut extract) or a single point
        data.wkb.append(wkb.create_linestring(way))
    except (RuntimeError, osmium_errors()):
        coords = [(n.location.lon, n.location.lat) for n in way.nodes if n.location.valid()]
        if len(set(coords)) < 2:
            return
        data.wkb.append(shapely.to_wkb(shapely.LineString(coords)))
    data.ids.append(way.id)
    data.names.append(_names(tags))
    data.tags.append({k: tags.get(k) for k in _KEEP_KEYS if k in tags})


def osmium_errors() -> type:
    """The exception pyosmium raises for a node without a location."""
    import osmium

    return osmium.InvalidLocationError


def names_members(tags) -> bool:
    """Whether a relation's name belongs to its member ways: a railway or road route, or a river's
    ``type=waterway`` relation (its pieces often carry no name of their own)."""
    return (tags.get("type") == "route" and tags.get("route") in _ROUTES) or tags.get("type") == "waterway"


def _add_route(route_names: dict[int, tuple[str, ...]], tags, way_refs: Iterable[int]) -> bool:
    """Give a naming relation's name (:func:`names_members`) to its member ways; whether it did."""
    names = _names(tags) if names_members(tags) else ()
    for ref in way_refs if names else ():
        route_names[ref] = tuple(dict.fromkeys((*route_names.get(ref, ()), *names)))
    return bool(names)


def _water_label(osm_id: str, tags) -> str:
    """A water area as the import's notes name it: "水域面 relation/1（白浪河）"."""
    return f"水域面 {osm_id}（{'、'.join(_names(tags)) or '无名'}）"


def _read_xml(path: Path, log: Callable[[str], None]) -> OsmData:
    """An .osm XML file in any order (:mod:`layers.geometry.osm_xml`)."""
    from layers.geometry.osm_xml import OsmXmlError, closed_polygon, parse, water_polygon

    try:
        xml = parse(path, log)
    except OsmXmlError as exc:
        raise OsmImportError(f"无法读取 OSM 文件 {path.name}：{exc}") from None
    data = OsmData()
    route_names: dict[int, tuple[str, ...]] = {}
    for rel_id, rel in xml.relations.items():
        if _add_route(route_names, rel.tags, (ref for kind, ref, _ in rel.members if kind == "w")):
            continue
        if rel.tags.get("type") == "multipolygon" and _is_water(rel.tags):
            area, missing = water_polygon(xml, rel)
            if area is None:
                data.notes.append(f"{_water_label(f'relation/{rel_id}', rel.tags)}的外环不闭合"
                                  + (f"：缺少 {missing} 个成员路段或其节点（提取范围可能截断了它）" if missing else ""))
                continue
            data.water.append(area)
            data.water_ids.append(f"relation/{rel_id}")
    cut = 0
    for way_id, way in xml.ways.items():
        if _is_water(way.tags):
            area = closed_polygon(xml, way)
            if area is not None:
                data.water.append(area)
                data.water_ids.append(f"way/{way_id}")
        if not any(k in way.tags for k in KIND_KEYS):
            continue
        lines = xml.way_lines(way)
        cut += bool(xml.missing_nodes(way)) and bool(lines)
        names = tuple(dict.fromkeys((*_names(way.tags), *route_names.get(way_id, ()))))
        for line in lines:
            data.ids.append(way_id)
            data.names.append(names)
            data.tags.append({k: way.tags[k] for k in _KEEP_KEYS if k in way.tags})
            data.coords.append(list(line.coords))
    if cut:
        data.notes.append(f"{cut} 条路段缺少部分节点（提取范围截断），已在缺口处断开，未跨缺口连线")
    if xml.deleted:
        data.notes.append(f"已略过 {xml.deleted} 个标记为删除（action=delete）或不可见（visible=false）的对象")
    log(f"      共读取 {len(xml.ways) + len(xml.relations):,} 条路段/关系/面：道路、铁路、河流路段 {len(data):,} 条，"
        f"水域面 {len(data.water)} 个")
    return data


def _read_geojson(path: Path) -> OsmData:
    import pyogrio

    frame = pyogrio.read_dataframe(path, fid_as_index=True)
    if frame.empty:
        raise OsmImportError(f"{path} 中没有任何要素（FeatureCollection 是空的）：请确认导出时选中了道路和河流")
    id_col = next((c for c in ("osm_id", "osmid", "@id", "id") if c in frame.columns), None)
    frame = frame.to_crs("EPSG:4326") if frame.crs else frame
    data = OsmData()
    for fid, row in frame.iterrows():
        geom = row.geometry
        if geom is None:
            continue
        tags = {k: row[k] for k in frame.columns if isinstance(row.get(k), str)}
        if isinstance(row.get("other_tags"), str):
            tags.update(dict(_HSTORE_RE.findall(row["other_tags"])))
        if isinstance(row.get("tags"), dict):  # osmtogeojson nests the OSM tags
            tags.update({str(k): str(v) for k, v in row["tags"].items()})
        # The feature's own id ("way/123" or 123) when no column holds it.
        digits = re.search(r"-?\d+", str(row[id_col] if id_col else fid))
        if geom.geom_type in ("Polygon", "MultiPolygon") and _is_water(tags):
            data.water.append(geom)
            data.water_ids.append(f"way/{digits.group() if digits else 0}")
            continue
        if geom.geom_type not in ("LineString", "MultiLineString"):
            continue
        for part in getattr(geom, "geoms", [geom]):
            data.ids.append(int(digits.group()) if digits else 0)
            data.names.append(_names(tags))
            data.tags.append({k: tags[k] for k in _KEEP_KEYS if k in tags} or {"highway": "road"})
            data.coords.append([tuple(c[:2]) for c in part.coords])
    return data


def unreadable(kind: str, exc: Exception) -> str:
    """Why a file could not be read, in Chinese, with the reader's own words only as a technical note."""
    text = str(exc)
    if kind == "pbf":
        return f"PBF 文件不完整或已损坏，请重新下载（技术信息：{text}）"
    if "JSON" in text or "GeoJSON" in text:
        return f"GeoJSON 文件格式有误，可能不完整，请重新导出（技术信息：{text}）"
    if "not recognized as" in text or "supported file format" in text:
        return "文件格式无法识别：支持 .osm、.osm.pbf、.osm.gz、.osm.bz2 和 GeoJSON（.geojson/.json）"
    return f"文件已损坏或不是 OSM 数据（技术信息：{type(exc).__name__}: {text}）"


def extract_kind(path: Path) -> str:
    """``"pbf"``, ``"xml"`` or ``"geojson"``: by the file's first bytes, then its name (any case)."""
    name = path.name.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        head = b""
    if name.endswith(".pbf") or b"OSMHeader" in head:
        return "pbf"
    if name.endswith((".osm", ".osm.xml", ".osm.gz", ".osm.bz2", ".xml")) or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return "xml"
    return "geojson"


def read_extract(path: Path, log: Callable[[str], None] = print) -> OsmData:
    """Read an extract: .osm / .osm.pbf (pyosmium) or GeoJSON lines (pyogrio).

    Raises
    ------
    OsmImportError
        When the file is missing, unreadable or holds no ways.
    """
    path = Path(path)
    if not path.exists():
        raise OsmImportError(f"找不到 OSM 文件：{path}")
    if path.is_dir():
        raise OsmImportError(f"{path} 是一个文件夹，不是 OSM 文件：请给出 .osm、.osm.pbf 或 .geojson 文件")
    kind = extract_kind(path)
    try:
        data = {"pbf": _read_pyosmium, "xml": _read_xml}[kind](path, log) if kind != "geojson" \
            else _read_geojson(path)
    except OsmImportError:
        raise
    except Exception as exc:  # pyosmium and GDAL raise several types for a bad file
        raise OsmImportError(f"无法读取 OSM 文件 {path}：{unreadable(kind, exc)}") from exc
    if not len(data):
        raise OsmImportError(f"无法读取 OSM 文件 {path}：文件中没有道路、铁路或河流路段（way）")
    return data.finish()


def from_frame(frame) -> OsmData:
    """Ways and water areas from an osmnx features frame (the online path)."""
    data = OsmData()
    for _, row in frame.iterrows():
        geom = row.geometry
        tags = {k: row[k] for k in frame.columns if isinstance(row.get(k), str)}
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") and _is_water(tags):
            data.water.append(geom)
            data.water_ids.append(f"{row.get('element', 'way')}/{row['id']}")
            continue
        if geom is None or geom.geom_type != "LineString" or row.get("element", "way") != "way":
            continue
        data.ids.append(int(row["id"]))
        data.names.append(_names(tags))
        data.tags.append({k: tags[k] for k in _KEEP_KEYS if k in tags})
        data.coords.append(list(geom.coords))
    return data.finish()
