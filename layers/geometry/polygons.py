"""Build an area's polygon from the features that bound its sides.

The bounding lines are extended a little past their ends (roads often stop
short of each other in the data), noded together with the district border,
and polygonized. Every face that lies on the correct side of every edge
(east of the west edge, south of the north edge, …) belongs to the area.
All geometry work happens in EPSG:4549 metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize, unary_union

from layers.plan.bounds import SIDE_NAMES, SIDES, Bounds
from layers.geometry.crs import to_metric, to_wgs84
from layers.geometry.gazetteer import Gazetteer, GazetteerError, GazetteerFeature

#: How far line ends are extended, in metres (approximate lines stop anywhere).
EXTEND_M = 800.0
#: OSM lines were already snapped to their crossings on import: extend them only
#: enough to cross robustly, so that no end overshoots into the next block.
EXTEND_OSM_M = 5.0
#: A ray long enough to cross the whole district, in metres.
_RAY_M = 60_000.0
#: Distance within which a polygon edge counts as lying on a feature, in metres.
EDGE_TOL_M = 2.0


class BuildError(ValueError):
    """A zone or park whose boundary cannot be built; the message names it (Chinese)."""


@dataclass
class Edge:
    """Which gazetteer feature makes one side of an area."""

    side: str
    feature: GazetteerFeature
    qualifier: str | None
    line_m: BaseGeometry
    written: str = ""
    length_m: float = 0.0
    geometry_m: BaseGeometry | None = None

    def as_dict(self) -> dict:
        """JSON-ready edge provenance."""
        return {"side": self.side, "feature": self.feature.name, "as_written": self.written,
                "qualifier": self.qualifier,
                "kind": self.feature.kind, "source": self.feature.source,
                "accuracy_m": self.feature.accuracy_m,
                "geometry_status": self.feature.geometry_status,
                "edge_length_m": round(self.length_m, 1), **self._osm_provenance()}

    def _osm_provenance(self) -> dict:
        """Way ids of an OSM edge, with the ones inferred from unnamed ways marked."""
        match = self.feature.osm_match
        if not match or self.feature.geometry_status != "osm":
            return {}
        out = {"osm_way_ids": self.feature.osm_way_ids}
        if match.get("inferred_way_ids"):
            out["inferred_way_ids"] = match["inferred_way_ids"]
            out["inferred"] = match.get("inferred", [])
        if match.get("variants"):
            out["osm_names"] = sorted(match["variants"])
        if match.get("water_areas"):
            out["water_areas"] = match["water_areas"]
        return out


@dataclass
class BuiltArea:
    """An area's polygon (metres and WGS-84) with its edge provenance."""

    polygon_m: BaseGeometry
    edges: list[Edge] = field(default_factory=list)

    @property
    def polygon(self) -> BaseGeometry:
        """The polygon in WGS-84."""
        return to_wgs84(self.polygon_m)


def _extend(line: LineString, dist: float) -> LineString:
    coords = list(line.coords)
    if len(coords) < 2:
        return line

    def push(a, b):
        seg = LineString([b, a])
        if seg.length == 0:
            return a
        f = (seg.length + dist) / seg.length
        return (b[0] + (a[0] - b[0]) * f, b[1] + (a[1] - b[1]) * f)

    return LineString([push(coords[0], coords[1]), *coords[1:-1], push(coords[-1], coords[-2])])


def extend_lines(geom: BaseGeometry, dist: float = EXTEND_M) -> BaseGeometry:
    """Extend every line end of ``geom`` by ``dist`` metres along its last segment."""
    parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
    return unary_union([_extend(p, dist) for p in parts])


def on_side(line_m: BaseGeometry, point: Point, side: str) -> bool:
    """True when ``point`` lies inside of an edge on ``side``.

    The edge on the east side must be crossed by a ray from the point going
    east, and so on: a ray test, which works for bent and wiggly edges.
    """
    x, y = point.x, point.y
    target = {"east": (x + _RAY_M, y), "west": (x - _RAY_M, y),
              "north": (x, y + _RAY_M), "south": (x, y - _RAY_M)}[side]
    return LineString([(x, y), target]).intersects(line_m)


def _edges(name: str, bounds: Bounds, gazetteer: Gazetteer) -> list[Edge]:
    edges = []
    for side in SIDES:
        for feat_name, qual in zip(bounds.features(side), bounds.qualifier_list(side)):
            try:
                feature = gazetteer.bank(feat_name, qual) or gazetteer.get(feat_name)
            except GazetteerError:
                raise BuildError(f"{name}：{SIDE_NAMES[side]}侧的边界“{feat_name}”不在地物表中，"
                                 "请检查名称是否写错；若确是新的地物，请联系数据管理员把它加入地物表") from None
            edges.append(Edge(side, feature, qual, to_metric(feature.geometry), written=feat_name))
    return edges


def _side_lines(edges: list[Edge], *, osm_reach: float = EXTEND_OSM_M) -> dict[str, BaseGeometry]:
    by_side: dict[str, list[BaseGeometry]] = {}
    for edge in edges:
        reach = osm_reach if edge.feature.geometry_status == "osm" else EXTEND_M
        by_side.setdefault(edge.side, []).append(extend_lines(edge.line_m, reach))
    return {side: unary_union(lines) for side, lines in by_side.items()}


def _faces(lines: dict[str, BaseGeometry], district_m: BaseGeometry, skip: str | None = None,
           rays: dict[str, BaseGeometry] | None = None):
    """Faces inside every side; ``rays`` (lines extended far) decide the sides, ``lines`` cut the faces."""
    rays = rays or lines
    noded = unary_union([*lines.values(), district_m.boundary])
    faces = [f for f in polygonize(noded) if f.representative_point().within(district_m)]
    keep = []
    for face in faces:
        point = face.representative_point()
        if all(on_side(line, point, side) for side, line in rays.items() if side != skip):
            keep.append(face)
    return keep


def build_area(name: str, bounds: Bounds, gazetteer: Gazetteer,
               district_m: BaseGeometry) -> BuiltArea:
    """Build one zone's or park's polygon from its bounds.

    Parameters
    ----------
    name
        The area's name, used in error messages.
    bounds
        Its parsed boundary description.
    gazetteer
        Where the named features are looked up.
    district_m
        The district polygon in EPSG:4549; the result is clipped to it.

    Raises
    ------
    BuildError
        When a feature is unknown or the sides enclose nothing; the message
        names the area, the side and the feature.
    """
    edges = _edges(name, bounds, gazetteer)
    lines = _side_lines(edges)
    # A face beyond the end of a short (snapped) OSM line still lies on its side.
    rays = _side_lines(edges, osm_reach=EXTEND_M)
    faces = _faces(lines, district_m, rays=rays)
    if not faces:
        raise BuildError(_enclosing_failure(name, edges, lines, district_m, rays))
    polygon = shapely.make_valid(unary_union(faces)).intersection(district_m)
    polygon = _polygonal(polygon)
    for edge in edges:
        shared = polygon.boundary.intersection(edge.line_m.buffer(EDGE_TOL_M))
        edge.geometry_m = line_merge_safe(shared)
        edge.length_m = edge.geometry_m.length if edge.geometry_m is not None else 0.0
    return BuiltArea(polygon, edges)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if isinstance(geom, Polygon) or geom.geom_type == "MultiPolygon":
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    return unary_union(parts)


def line_merge_safe(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Merge the line parts of ``geom``; ``None`` when it holds no line (or is empty)."""
    if geom is None or geom.is_empty:
        return None
    lines = [g for g in getattr(geom, "geoms", [geom])
             if g.geom_type in ("LineString", "MultiLineString") and not g.is_empty]
    if not lines:
        return None
    return shapely.line_merge(unary_union(lines))


_ADJACENT = (("north", "east"), ("north", "west"), ("south", "east"), ("south", "west"))


_STATUS_WORDS = {"osm": "来自 OpenStreetMap，端点未能接到相邻边界（数据缺失或提取范围不足）",
                 "approximate": "为近似线", "derived": "取自区界", "reviewed": "为审核通过的修正线位"}


def _origin(edges: list[Edge], side: str) -> str:
    """Where a side's line comes from, so that a failure says why it may be short."""
    return "，".join(f"“{e.feature.name}”{_STATUS_WORDS.get(e.feature.geometry_status, e.feature.geometry_status)}"
                    for e in edges if e.side == side)


def _enclosing_failure(name: str, edges: list[Edge], lines: dict, district_m, rays: dict) -> str:
    def names(side: str) -> str:
        return "、".join(e.feature.name for e in edges if e.side == side)

    for a, b in _ADJACENT:
        if a in lines and b in lines and not lines[a].intersects(lines[b]):
            return (f"{name}：{SIDE_NAMES[a]}侧的“{names(a)}”与{SIDE_NAMES[b]}侧的“{names(b)}”"
                    f"不相交，围不出区域（{_origin(edges, a)}；{_origin(edges, b)}），请核对这两个地物的位置或长度")
    for side in lines:
        if _faces(lines, district_m, skip=side, rays=rays):
            return (f"{name}：{SIDE_NAMES[side]}侧的“{names(side)}”与其余边界围不出区域"
                    f"（它不在区域的{SIDE_NAMES[side]}面），请核对该侧地物或其位置")
    return f"{name}：四至围不出任何区域，请核对各侧地物的位置"
