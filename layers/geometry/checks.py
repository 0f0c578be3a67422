"""Consistency checks of the built zones and parks.

Each check is a plain dict ``{"check", "area", "status", "detail", ...}``
with status ``pass``, ``fail`` or ``info``; the build prints them and writes
them next to the layers, and the zones review page shows them.
"""

from __future__ import annotations

from itertools import combinations

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from layers.plan.bounds import SIDE_NAMES
from layers.geometry.polygons import EXTEND_M, BuiltArea, extend_lines, on_side

#: Facing sides: where A names a feature on ``side``, B names it on the opposite one.
FACING = {"east": "west", "west": "east", "north": "south", "south": "north"}
MAX_GAP_M = 5.0
#: A side shorter than this is no side: a line merely crossing the polygon leaves a few metres.
MIN_EDGE_M = 50.0
MAX_OVERLAP_RATIO = 0.005
_SAMPLE_STEP_M = 20.0
_MAX_AREA_HA = 5_000.0


def _check(check: str, area: str, ok: bool | None, detail: str, **extra) -> dict:
    status = "info" if ok is None else ("pass" if ok else "fail")
    return {"check": check, "area": area, "status": status, "detail": detail, **extra}


def side_order_checks(name: str, built: BuiltArea) -> list[dict]:
    """Is each edge on its side of the area (west edge west of the centre, …)?"""
    centre = built.polygon_m.representative_point()
    out = []
    for edge in built.edges:
        # Extended as for face selection: an OSM street that ends at a bending
        # river may stop short of the point straight below the centre.
        ok = on_side(extend_lines(edge.line_m, EXTEND_M), centre, edge.side)
        out.append(_check("side_order", name, ok,
                          f"{SIDE_NAMES[edge.side]}侧“{edge.feature.name}”"
                          + ("位于区域以" + SIDE_NAMES[edge.side] if ok else "不在区域的这一侧"),
                          side=edge.side, feature=edge.feature.name))
    return out


def area_checks(name: str, built: BuiltArea, district_m: BaseGeometry) -> list[dict]:
    """Validity, plausible size and clipping to the district."""
    poly = built.polygon_m
    area_ha = poly.area / 10_000
    outside = poly.difference(district_m.buffer(0.5)).area
    return [
        _check("valid", name, poly.is_valid and not poly.is_empty,
               "几何有效" if poly.is_valid else "几何无效"),
        _check("area", name, 0 < area_ha < _MAX_AREA_HA, f"面积 {area_ha:.1f} 公顷",
               area_ha=round(area_ha, 2)),
        _check("clipped", name, outside < 1.0, f"区界外面积 {outside:.1f} 平方米"),
        *[_check("alias", name, None, f"{SIDE_NAMES[e.side]}侧原文写作“{e.written}”，按别名对应到地物"
                 f"“{e.feature.name}”：请核实两者是否为同一条路", side=e.side, feature=e.feature.name)
          for e in built.edges if e.written and e.feature.name not in (e.written, e.written + (e.qualifier or ""))],
        *[_check("edge_present", name, e.length_m >= MIN_EDGE_M,
                 f"{SIDE_NAMES[e.side]}侧“{e.feature.name}”构成边界 {e.length_m:.0f} 米",
                 side=e.side, feature=e.feature.name) for e in built.edges],
    ]


def _as_line(geom: BaseGeometry) -> LineString:
    """One line to measure along: the longest part of a feature made of several ways."""
    if isinstance(geom, LineString):
        return geom
    merged = shapely.line_merge(geom)
    if isinstance(merged, LineString):
        return merged
    parts = [g for g in getattr(merged, "geoms", []) if g.geom_type == "LineString"]
    return max(parts, key=lambda g: g.length) if parts else LineString()


def _stretch(line: BaseGeometry, edge_m: BaseGeometry) -> tuple[float, float] | None:
    """The interval of ``line`` (as distances along it) that an edge covers; ``None`` if empty."""
    coords = shapely.get_coordinates(edge_m) if edge_m is not None else []
    positions = [line.project(Point(c)) for c in coords]
    return (min(positions), max(positions)) if positions else None


def _gap(line: BaseGeometry, a: BuiltArea, a_edge, b: BuiltArea, b_edge) -> tuple[float, float] | None:
    """Largest distance from A's edge to B along the stretch both reach; and its length."""
    span_a, span_b = _stretch(line, a_edge.geometry_m), _stretch(line, b_edge.geometry_m)
    if span_a is None or span_b is None or line.is_empty:
        return None
    lo, hi = max(span_a[0], span_b[0]), min(span_a[1], span_b[1])
    if hi - lo < _SAMPLE_STEP_M:
        return None
    steps = max(int((hi - lo) / _SAMPLE_STEP_M), 1)
    # Skip the two ends: a corner of the other area lies there.
    samples = [line.interpolate(lo + (hi - lo) * (i + 0.5) / steps) for i in range(steps)]
    gap = max(max(a.polygon_m.boundary.distance(p), b.polygon_m.boundary.distance(p)) for p in samples)
    return gap, hi - lo


def shared_edge_checks(built: dict[str, BuiltArea]) -> list[dict]:
    """Pairs that name one feature on facing sides must meet along it."""
    out = []
    for (na, a), (nb, b) in combinations(sorted(built.items()), 2):
        for ea in a.edges:
            for eb in b.edges:
                if ea.feature.name != eb.feature.name or FACING[ea.side] != eb.side:
                    continue
                if ea.geometry_m is None or eb.geometry_m is None \
                        or ea.geometry_m.is_empty or eb.geometry_m.is_empty:
                    continue
                line = _as_line(ea.line_m)
                measured = _gap(line, a, ea, b, eb)
                pair = f"{na} / {nb}"
                if measured is None:
                    out.append(_check("shared_edge", pair, None,
                                      f"沿“{ea.feature.name}”相对，但两者没有共同的路段",
                                      feature=ea.feature.name))
                    continue
                gap, length = measured
                overlap = a.polygon_m.intersection(b.polygon_m).area
                ratio = overlap / min(a.polygon_m.area, b.polygon_m.area)
                ok = gap <= MAX_GAP_M and ratio < MAX_OVERLAP_RATIO
                out.append(_check(
                    "shared_edge", pair, ok,
                    f"沿“{ea.feature.name}”共边 {length:.0f} 米，最大缝隙 {gap:.2f} 米，"
                    f"重叠 {ratio * 100:.3f}%", feature=ea.feature.name,
                    gap_m=round(gap, 3), overlap_ratio=round(ratio, 6),
                    shared_length_m=round(length, 1)))
    return out


def overlap_checks(zones: dict[str, BuiltArea]) -> list[dict]:
    """Zones should not overlap one another (parks may lie inside zones)."""
    out = []
    for (na, a), (nb, b) in combinations(sorted(zones.items()), 2):
        inter = a.polygon_m.intersection(b.polygon_m).area
        if inter > 1.0:
            ratio = inter / min(a.polygon_m.area, b.polygon_m.area)
            out.append(_check("zone_overlap", f"{na} / {nb}", ratio < MAX_OVERLAP_RATIO,
                              f"重叠 {inter / 10_000:.2f} 公顷（{ratio * 100:.2f}%）"))
    return out


def format_report(checks: list[dict]) -> str:
    """A plain-text report, one line a check, failures first."""
    order = {"fail": 0, "info": 1, "pass": 2}
    lines = [f"一致性检查：{sum(c['status'] == 'pass' for c in checks)} 通过，"
             f"{sum(c['status'] == 'fail' for c in checks)} 未通过，"
             f"{sum(c['status'] == 'info' for c in checks)} 提示"]
    for c in sorted(checks, key=lambda c: (order[c["status"]], c["check"], c["area"])):
        lines.append(f"[{c['status']}] {c['check']} {c['area']}: {c['detail']}")
    return "\n".join(lines) + "\n"
