"""How well the imported OpenStreetMap data covers what the zones and parks need.

For every feature that bounds an area, the *needed extent* is the union of
the edges it makes; the share covered is the part of it that lies on ways
actually found in the extract (not bridged over a gap, not inferred from an
unnamed way, not an end snapped to a crossing). The records go into
``report.json`` (``coverage``), ``report.txt`` and the 片区审查 page.
"""

from __future__ import annotations

import shapely
from shapely.geometry import shape

from layers.plan.bounds import SIDE_NAMES
from layers.geometry.crs import to_metric
from layers.geometry.polygons import BuiltArea

#: A needed stretch counts as covered within this distance of observed OSM data (metres).
COVER_TOL_M = 25.0


def _needed(built: dict[str, BuiltArea]) -> dict[str, list]:
    out: dict[str, list] = {}
    for name, area in sorted(built.items()):
        for edge in area.edges:
            out.setdefault(edge.feature.name, []).append((name, edge))
    return out


def _share(needed, observed) -> float:
    total = needed.length
    if not total:
        return 0.0
    if observed is None:
        return 0.0
    return round(needed.intersection(observed.buffer(COVER_TOL_M)).length / total, 3)


def coverage_records(built: dict[str, BuiltArea]) -> list[dict]:
    """One record per bounding feature: status, way ids, share covered, stretches and variants."""
    out = []
    for feature_name, uses in sorted(_needed(built).items()):
        feat = uses[0][1].feature
        geoms = [e.geometry_m for _, e in uses if e.geometry_m is not None and not e.geometry_m.is_empty]
        needed = shapely.union_all(geoms) if geoms else shapely.LineString()
        match = feat.osm_match or {}
        observed_json = match.get("observed_geometry")
        observed = to_metric(shape(observed_json)) if observed_json else None
        record = {
            "feature": feature_name, "geometry_status": feat.geometry_status,
            "areas": sorted({f"{a}（{SIDE_NAMES[e.side]}）" for a, e in uses}),
            "needed_m": round(needed.length, 1),
            "osm_share": _share(needed, observed) if feat.geometry_status == "osm" else 0.0,
            "osm_way_ids": feat.osm_way_ids,
        }
        for key in ("inferred_way_ids", "slip_way_ids", "variants", "near_miss", "outside_corridor", "wrong_side",
                    "collapsed_width_m", "inferred", "bridged", "snaps", "notes", "water_areas"):
            if key in match:
                record[key] = match[key]
        out.append(record)
    return out


def variant_notices(name: str, area: BuiltArea) -> list[dict]:
    """``alias`` notices for edges whose OSM line used a directional variant of the name."""
    out = []
    for edge in area.edges:
        variants = (edge.feature.osm_match or {}).get("variants") or {}
        for variant, ids in sorted(variants.items()):
            out.append({"check": "alias", "area": name, "status": "info", "side": edge.side,
                        "feature": edge.feature.name,
                        "detail": f"{SIDE_NAMES[edge.side]}侧“{edge.feature.name}”采用了 OSM 名称“{variant}”"
                                  f"（路段 {', '.join(map(str, ids))}）：请核实是否为同一条路"})
    return out


def bank_notices(name: str, area: BuiltArea) -> list[dict]:
    """Where the plan names a bank but no bank line exists: say what was used instead."""
    out = []
    for edge in area.edges:
        if not (edge.qualifier or "").endswith("岸") or edge.feature.name.endswith(edge.qualifier):
            continue
        used = "OpenStreetMap 河道中心线" if edge.feature.geometry_status == "osm" else "区界（河道中心）"
        out.append({"check": "bank", "area": name, "status": "info", "side": edge.side,
                    "feature": edge.feature.name,
                    "detail": f"{SIDE_NAMES[edge.side]}侧写作“{edge.written}{edge.qualifier}”，"
                              f"没有可用的河岸线，改用{used}"})
    return out


def format_coverage(records: list[dict]) -> str:
    """The coverage section of ``report.txt``."""
    if not any(r["geometry_status"] == "osm" for r in records):
        return "\nOpenStreetMap 覆盖情况：尚未导入 OSM 数据，全部边界来自近似线和区界。\n"
    lines = ["", "OpenStreetMap 覆盖情况（每个边界地物）："]
    for r in records:
        if r["geometry_status"] != "osm":
            lines.append(f"- {r['feature']}：未使用 OSM（{r['geometry_status']}），用于 {'、'.join(r['areas'])}")
            continue
        parts = [f"覆盖所需边界 {r['osm_share'] * 100:.0f}%（{r['needed_m']:.0f} 米）",
                 f"OSM 路段 {', '.join(map(str, r['osm_way_ids'])) or '—'}"]
        if r.get("inferred_way_ids"):
            parts.append(f"推断（无名）路段 {', '.join(map(str, r['inferred_way_ids']))}")
        if r.get("variants"):
            parts.append("名称变体 " + "、".join(r["variants"]))
        if r.get("collapsed_width_m"):
            parts.append(f"合并宽度 {r['collapsed_width_m']:.0f} 米")
        if r.get("snaps"):
            parts.append("端点延伸 " + "、".join(f"{s['distance_m']:.0f} 米到{s['to']}" for s in r["snaps"]))
        if r.get("bridged"):
            parts.append("补缺 " + "、".join(f"{b['to_m'] - b['from_m']:.0f} 米" for b in r["bridged"]))
        lines.append(f"- {r['feature']}：" + "；".join(parts))
        for far in r.get("outside_corridor") or []:
            lines.append(f"    忽略走廊外同名路段 {far['name']}（{far['distance_km']} 公里）")
        for where, ids in (r.get("wrong_side") or {}).items():
            lines.append(f"    忽略四至另一侧的同名路段（应在{where}）：{', '.join(map(str, ids))}")
        for near in r.get("near_miss") or {}:
            lines.append(f"    名称相近未采用：{near}")
        for note in r.get("notes") or []:
            if not note.startswith(("起点延伸", "终点延伸")):  # already on the feature's line
                lines.append(f"    {note}")
    return "\n".join(lines) + "\n"


def coverage_rows(records: list[dict]) -> list[dict]:
    """Flat rows for a table on the review page (Chinese column names)."""
    return [{"地物": r["feature"], "来源": r["geometry_status"],
             "OSM 覆盖": f"{r['osm_share'] * 100:.0f}%" if r["geometry_status"] == "osm" else "—",
             "OSM 路段": ", ".join(map(str, r["osm_way_ids"])),
             "推断路段": ", ".join(map(str, r.get("inferred_way_ids") or [])),
             "名称变体": "、".join(r.get("variants") or {}),
             "端点延伸": "、".join(f"{s['distance_m']:.0f} 米" for s in r.get("snaps") or []),
             "用于": "、".join(r["areas"])} for r in records]


def osm_coverage_table(records: list[dict]) -> list[dict]:
    """Rows for the 片区审查 page: only features taken from OpenStreetMap, or none before an import."""
    if not any(r.get("geometry_status") == "osm" for r in records):
        return []
    return coverage_rows(records)
