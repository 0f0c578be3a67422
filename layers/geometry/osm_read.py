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
from typing import Callable

import numpy as np
import shapely

#: Tags whose values name a way.
NAME_KEYS = ("name", "name:zh", "name:zh-Hans", "name:zh-CN", "alt_name", "old_name",
             "official_name", "short_name")
#: Tags kept for matching; a way needs one of the first four to be kept at all.
KIND_KEYS = ("highway", "railway", "waterway", "man_made")
_KEEP_KEYS = (*KIND_KEYS, "junction", "oneway")
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
    seen = []
    for key in NAME_KEYS:
        value = tags.get(key)
        if value:
            for part in str(value).split(";"):
                part = part.strip()
                if part and part not in seen:
                    seen.append(part)
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
            _add_route(route_names, obj)
        elif obj.is_area() and _is_water(obj.tags):
            try:
                data.water.append(shapely.from_wkb(wkb.create_multipolygon(obj)))
            except RuntimeError:  # an area that cannot be assembled is skipped
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


def _add_route(route_names: dict, rel) -> None:
    tags = rel.tags
    if tags.get("type") != "route" or tags.get("route") not in _ROUTES:
        return
    names = _names(tags)
    if not names:
        return
    for member in rel.members:
        if member.type == "w":
            route_names[member.ref] = tuple(dict.fromkeys((*route_names.get(member.ref, ()), *names)))


def _read_geojson(path: Path) -> OsmData:
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    id_col = next((c for c in ("osm_id", "osmid", "id") if c in frame.columns), None)
    if id_col is None:
        raise OsmImportError(f"{path} 缺少 osm_id/osmid 列，无法记录 OSM 路段编号")
    frame = frame.to_crs("EPSG:4326") if frame.crs else frame
    data = OsmData()
    for _, row in frame.iterrows():
        geom = row.geometry
        if geom is None or geom.geom_type not in ("LineString", "MultiLineString"):
            continue
        tags = {k: row[k] for k in frame.columns if isinstance(row.get(k), str)}
        if isinstance(row.get("other_tags"), str):
            tags.update(dict(_HSTORE_RE.findall(row["other_tags"])))
        digits = re.search(r"\d+", str(row[id_col]))
        for part in getattr(geom, "geoms", [geom]):
            data.ids.append(int(digits.group()) if digits else 0)
            data.names.append(_names(tags))
            data.tags.append({k: tags[k] for k in _KEEP_KEYS if k in tags} or {"highway": "road"})
            data.coords.append([tuple(c[:2]) for c in part.coords])
    return data


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
    is_osm = path.suffix in (".osm", ".pbf", ".xml") or path.name.endswith((".osm.pbf", ".osm.bz2", ".osm.gz"))
    try:
        data = _read_pyosmium(path, log) if is_osm else _read_geojson(path)
    except OsmImportError:
        raise
    except Exception as exc:  # pyosmium and GDAL raise several types for a bad file
        raise OsmImportError(f"无法读取 OSM 文件 {path}：{exc}") from exc
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
