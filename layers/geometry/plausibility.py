"""Is a built area a plausible zone or park, or a strip, a sliver or a neighbour's face?

A zone built from real ways must still look like the zone the plan
describes: wide enough, reasonably compact, about as large as, and where,
the build from the approximate lines puts it. Each failure is a ``fail``
check naming the area, the side most likely at fault and the likely cause.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.plan.bounds import SIDE_NAMES
from layers.geometry.polygons import BuiltArea

#: No zone or park is narrower than this anywhere it is widest (metres).
MIN_WIDTH_M = 150.0
#: Polsby–Popper compactness 4πA/P²: a square is 0.785, a 10:1 strip 0.26.
MIN_COMPACTNESS = 0.2
#: The area may differ from the approximate build by at most this factor.
MAX_AREA_FACTOR = 3.0


def _check(area: str, ok: bool, detail: str, **extra) -> dict:
    return {"check": "plausible", "area": area, "status": "pass" if ok else "fail",
            "detail": detail, **extra}


def width_m(poly: BaseGeometry) -> float:
    """Diameter of the largest circle that fits inside ``poly`` (metres)."""
    if poly.is_empty:
        return 0.0
    return 2 * shapely.maximum_inscribed_circle(poly, 1.0).length


def compactness(poly: BaseGeometry) -> float:
    """Polsby–Popper compactness (1 for a circle, near 0 for a strip)."""
    return 4 * math.pi * poly.area / poly.length ** 2 if poly.length else 0.0


def _directed(source: BaseGeometry, target: BaseGeometry, step: float = 50.0) -> float:
    """Largest distance from points along ``source`` to ``target``."""
    lines = [g for g in shapely.get_parts(shapely.line_merge(source)) if g.length > 0]
    points = [line.interpolate(d) for line in lines for d in np.arange(0.0, line.length + step, step)]
    return max((target.distance(p) for p in points), default=0.0)


def _suspect_side(built: BuiltArea, approx: BuiltArea | None) -> tuple[str, str]:
    """The side whose edge departs most from the approximate build (or is missing)."""
    missing = [e for e in built.edges if not e.length_m]
    if missing:
        e = missing[0]
        return e.side, f"{SIDE_NAMES[e.side]}侧“{e.feature.name}”没有构成边界（未与相邻边界相交）"
    if approx is None:
        return "", ""
    worst, score = None, -1.0
    for edge in built.edges:
        twin = next((a for a in approx.edges if a.side == edge.side and a.written == edge.written), None)
        if twin is None or twin.geometry_m is None or twin.geometry_m.is_empty:
            continue
        # How far the line now used lies from where the approximate edge ran, in accuracies.
        off = _directed(twin.geometry_m, edge.line_m) / max(twin.feature.accuracy_m, 1.0)
        if off > score:
            worst, score = edge, off
    if worst is None:
        return "", ""
    return worst.side, f"{SIDE_NAMES[worst.side]}侧“{worst.feature.name}”与近似位置相差最大"


def plausibility_checks(name: str, built: BuiltArea, approx: BuiltArea | None) -> list[dict]:
    """Width, compactness, size and place of one area; ``approx`` is its build from approximate lines."""
    poly = built.polygon_m
    side, where = _suspect_side(built, approx)
    extra = {"side": side} if side else {}
    width, compact = width_m(poly), compactness(poly)
    hint = f"；{where}" if where else ""
    out = [
        _check(name, width >= MIN_WIDTH_M,
               f"最大内切圆直径 {width:.0f} 米（下限 {MIN_WIDTH_M:.0f} 米）" + (
                   "" if width >= MIN_WIDTH_M else f"：区域是窄条，可能是双向车道未合并、同名路段匹配错误或选错了面{hint}"),
               measure="width", width_m=round(width, 1), **extra),
        _check(name, compact >= MIN_COMPACTNESS,
               f"紧凑度 {compact:.2f}（下限 {MIN_COMPACTNESS}）" + (
                   "" if compact >= MIN_COMPACTNESS else f"：形状过于细长，可能选中了两条路之间的狭长地带{hint}"),
               measure="compactness", compactness=round(compact, 3), **extra),
    ]
    if approx is not None and approx.polygon_m.area > 0:
        out += _against_approx(name, built, approx, hint, extra)
    return out


def area_range(approx: BuiltArea) -> tuple[float, float]:
    """Allowed area ratios against the approximate build.

    At least 1/3–3 times; wider where the approximate lines are so uncertain
    that moving every side by its accuracy (inwards or outwards) would change
    the area more than that.
    """
    ref = approx.polygon_m
    acc = float(np.mean([e.feature.accuracy_m for e in approx.edges]))
    lo = min(1 / MAX_AREA_FACTOR, ref.buffer(-acc).area / ref.area)
    hi = max(MAX_AREA_FACTOR, ref.buffer(acc, join_style="mitre").area / ref.area)
    return lo, hi


def _against_approx(name: str, built: BuiltArea, approx: BuiltArea, hint: str, extra: dict) -> list[dict]:
    poly, ref = built.polygon_m, approx.polygon_m
    ratio = poly.area / ref.area
    reach = max(e.feature.accuracy_m for e in approx.edges)
    placed = poly.representative_point().within(ref.buffer(reach))
    lo, hi = area_range(approx)
    ok_size = lo <= ratio <= hi
    return [
        _check(name, ok_size, f"面积 {poly.area / 1e4:.1f} 公顷，按近似线构建为 {ref.area / 1e4:.1f} 公顷"
               f"（比值 {ratio:.2f}，按近似线精度允许 {lo:.2f}–{hi:.1f}）"
               + ("" if ok_size else f"：大小不合理，可能某侧地物缺失或选错了面{hint}"),
               measure="area_ratio", area_ratio=round(ratio, 3), **extra),
        _check(name, placed, "区域位于近似位置附近" if placed else
               f"区域离近似位置超过 {reach:.0f} 米：可能选中了相邻区块{hint}", measure="place", **extra),
    ]
