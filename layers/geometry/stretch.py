"""Draw a project that is a stretch of a road: the gazetteer line between two crossings.

"北宫西街(安顺路至昌乐界段)扩宽及快速化改造" is drawn as the part of the
gazetteer's 北宫西街 between where it meets 安顺路 and 昌乐界 — only when the
gazetteer knows all three and the road reaches both. Everything is measured in
EPSG:4549. Lines that stop short of each other are extended as the polygon builder
extends them (:data:`layers.geometry.polygons.EXTEND_M`), never
further: beyond that the stretch is left unlocated, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, substring

from layers.geometry.crs import to_metric
from layers.geometry.gazetteer import Gazetteer
from layers.geometry.polygons import EXTEND_M, extend_lines


@dataclass
class StretchResult:
    """The drawn stretch (EPSG:4549) with its accuracy, or why it could not be drawn."""

    line_m: LineString | None
    accuracy_m: float | None = None
    geometry_status: str = "unlocated"
    source: str = ""
    reason: str = ""


def _longest(geom: BaseGeometry) -> LineString:
    if isinstance(geom, MultiLineString):
        return max(geom.geoms, key=lambda g: g.length)
    return geom


def _crossing(road_m: LineString, other_m: BaseGeometry) -> Point | None:
    """Where the road meets a crossing feature (the meeting point nearest the road's middle)."""
    meet = road_m.intersection(other_m)
    if meet.is_empty:
        return None
    points = [g for g in getattr(meet, "geoms", [meet])]
    middle = road_m.interpolate(0.5, normalized=True)
    nearest = min(points, key=lambda g: g.distance(middle))
    return nearest_points(nearest, middle)[0] if nearest.geom_type != "Point" else nearest


def marker_point(geom: BaseGeometry) -> BaseGeometry:
    """Where a project's marker goes: its point, or the middle of its road stretch (in ``geom``'s CRS)."""
    return geom if geom.geom_type == "Point" else geom.interpolate(0.5, normalized=True)


def cut_stretch(road: str, start: str, end: str, gazetteer: Gazetteer) -> StretchResult:
    """The stretch of ``road`` between ``start`` and ``end`` as the gazetteer draws them.

    Returns
    -------
    StretchResult
        ``line_m`` is ``None`` when a name is not in the gazetteer or the road
        does not reach a crossing; ``reason`` then says which, in Chinese.
    """
    unknown = [n for n in (road, start, end) if n not in gazetteer]
    if unknown:
        return StretchResult(None, reason="地物表中没有" + "、".join(f"“{n}”" for n in unknown) + "，无法截取路段")
    feats = [gazetteer.get(n) for n in (road, start, end)]
    road_m = _longest(to_metric(feats[0].geometry))
    reach = _longest(extend_lines(road_m, EXTEND_M))
    ends = []
    for name, feat in zip((start, end), feats[1:]):
        point = _crossing(reach, extend_lines(to_metric(feat.geometry), EXTEND_M))
        if point is None:
            gap = road_m.distance(to_metric(feat.geometry))
            return StretchResult(None, reason=f"地物表中{road}的线未到达{name}（相距约{gap / 1000:.1f}公里），无法截取路段")
        ends.append(reach.project(point))
    a, b = sorted(ends)
    if b - a < 1.0:
        return StretchResult(None, reason=f"{start}与{end}在{road}上几乎重合，无法截取路段")
    statuses = {f.geometry_status for f in feats}
    status = "approximate" if "approximate" in statuses else sorted(statuses)[0]
    source = "; ".join(f"{f.name}: {f.source}" for f in feats)
    return StretchResult(substring(reach, a, b), max(f.accuracy_m for f in feats), status,
                         f"road stretch cut from gazetteer lines ({source})")
