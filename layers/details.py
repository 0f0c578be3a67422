"""Plain-language facts about zones, parks and points, for details panels."""

from __future__ import annotations

import math

import geopandas as gpd
from shapely.geometry import Point

from layers.plan.bounds import SIDE_NAMES, SIDES
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU

ROAD_KINDS = {"road": "道路", "river": "河流", "railway": "铁路", "dam": "大坝", "border": "县界"}
_STATUS = {
    "approximate": "近似位置",
    "derived": "由行政区界推得",
    "osm": "OpenStreetMap 实测道路",
    "unlocated": "未定位",
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def accuracy_text(status: str | None, accuracy_m: float | None) -> str:
    """Say how good a geometry is, e.g. ``近似位置，误差约 300 米``."""
    if status == "unlocated" or _missing(status):
        return "未定位：规划文本没有给出可上图的位置，只在列表中显示"
    label = _STATUS.get(status, str(status))
    if _missing(accuracy_m):
        return label
    return f"{label}，误差约 {int(round(float(accuracy_m)))} 米"


def area_text(area_ha: float | None) -> str:
    """``253.7 公顷（3805.5 亩）``; a dash when unknown."""
    if _missing(area_ha):
        return "—"
    mu = float(area_ha) * SQM_PER_HA / SQM_PER_MU
    return f"{float(area_ha):,.1f} 公顷（{mu:,.0f} 亩）"


def bounds_rows(bounds: dict | None) -> list[dict]:
    """One row per side: 方位, 边界地物, 限定, 几何来源 (for a table)."""
    rows = []
    for side in SIDES:
        for entry in (bounds or {}).get(side) or []:
            written, feature = entry.get("as_written") or entry.get("feature"), entry.get("feature")
            rows.append({
                "方位": SIDE_NAMES[side],
                "边界地物": written if written == feature else f"{written}（按别名对应：{feature}）",
                "限定": entry.get("qualifier") or "",
                "几何": accuracy_text(entry.get("geometry_status"), entry.get("accuracy_m")),
            })
        if not (bounds or {}).get(side):
            rows.append({"方位": SIDE_NAMES[side], "边界地物": "（未说明）", "限定": "", "几何": ""})
    return rows


def containing(areas: gpd.GeoDataFrame, lon: float, lat: float) -> list[str]:
    """Names of the zones or parks (rows of ``areas``) that contain a WGS-84 point."""
    point = Point(lon, lat)
    located = areas[areas.geometry.notna()]
    return list(located[located.geometry.contains(point)]["name"])


def point_summary(zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, lon: float, lat: float) -> str:
    """What contains a clicked point, in one Chinese sentence."""
    in_zones, in_parks = containing(zones, lon, lat), containing(parks, lon, lat)
    where = f"（经度 {lon:.5f}，纬度 {lat:.5f}）"
    if not in_zones and not in_parks:
        return f"该点{where}不在任何片区或园区内"
    parts = []
    if in_zones:
        parts.append("片区：" + "、".join(in_zones))
    if in_parks:
        parts.append("园区：" + "、".join(in_parks))
    return f"该点{where}位于 " + "；".join(parts)


def project_location_text(row) -> str:
    """Where a project is, in words: the plan's precision or the importer's coordinates."""
    if row.get("source") == "import":
        return "用户提供的坐标" if row.get("location_precision") == "exact" else "仅到片区/园区（地图上为其代表点）"
    if row.get("location_precision") in ("zone", "park"):
        return f"仅到{'片区' if row['location_precision'] == 'zone' else '园区'}：地图上为其代表点，" \
               + accuracy_text(row.get("geometry_status"), row.get("accuracy_m"))
    return accuracy_text(row.get("geometry_status"), row.get("accuracy_m"))
