"""Zone review: per-zone check summaries and live preview of an edited description."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from layers.plan.bounds import SIDE_NAMES, SIDES, Bounds, BoundsError, parse_bounds
from layers.paths import INPUTS
from layers.geometry.crs import SQM_PER_HA, to_metric
from layers.details import GEOMETRY_STATUS_LABELS, accuracy_text
from layers.geometry.gazetteer import Gazetteer, district_geometry, load_districts, load_gazetteer
from layers.geometry.polygons import BuildError, BuiltArea, build_area

STATUS_LABEL = {"pass": "通过", "fail": "未通过", "info": "提示"}
MAX_DESCRIPTION = 2_000


def checks_for(name: str, checks: list[dict]) -> list[dict]:
    """The checks that concern one area, alone or in a pair with a neighbour."""
    return [c for c in checks if c["area"] == name or name in c["area"].split(" / ")]


def zone_table(zones: gpd.GeoDataFrame, checks: list[dict]) -> pd.DataFrame:
    """One row per zone: name, area, the four bounds and how its checks went."""
    rows = []
    for row in zones.itertuples():
        own = checks_for(row.name, checks)
        failed = sum(c["status"] == "fail" for c in own)
        shared = [c for c in own if c["check"] == "shared_edge" and c["status"] != "info"]
        bounds = row.bounds or {}
        rows.append({
            "片区": row.name,
            "面积（公顷）": row.area_ha,
            **{f"{SIDE_NAMES[s]}至": "、".join(e["feature"] for e in bounds.get(s) or []) or "—" for s in SIDES},
            "检查": f"{failed} 项未通过" if failed else f"全部通过（{len(own)} 项）",
            "共边": f"{sum(c['status'] == 'pass' for c in shared)}/{len(shared)} 条吻合" if shared else "—",
            "几何": GEOMETRY_STATUS_LABELS.get(row.geometry_status, row.geometry_status),
        })
    return pd.DataFrame(rows)


def checks_frame(checks: list[dict]) -> pd.DataFrame:
    """A table of checks for display."""
    names = {"side_order": "方位", "shared_edge": "共边", "area": "面积", "clipped": "区界内",
             "valid": "几何有效", "edge_present": "边界存在", "zone_overlap": "片区重叠",
             "alias": "名称对应", "plausible": "形状合理", "bank": "河岸"}
    # a check added later without a label here still shows in Chinese, never as a raw code
    return pd.DataFrame([{"状态": STATUS_LABEL.get(c["status"], "提示"), "检查": names.get(c["check"], "其他"),
                          "对象": c["area"], "说明": c["detail"]} for c in checks])


def edge_rows(edges: gpd.GeoDataFrame) -> pd.DataFrame:
    """Where each side of an area comes from, for a table."""
    return pd.DataFrame([{
        "方位": SIDE_NAMES.get(e.side, e.side), "地物": e.feature,
        "限定": e.qualifier if isinstance(e.qualifier, str) else "",
        "几何": accuracy_text(e.geometry_status, e.accuracy_m), "边长（米）": round(e.edge_length_m),
    } for e in edges.itertuples()])


@lru_cache(maxsize=2)
def _context(inputs: Path) -> tuple[Gazetteer, BaseGeometry]:
    districts = load_districts(inputs / "districts.geojson")
    return load_gazetteer(inputs), to_metric(district_geometry(districts))


@dataclass
class Preview:
    """What an edited description builds to."""

    bounds: Bounds
    built: BuiltArea

    @property
    def area_ha(self) -> float:
        return self.built.polygon_m.area / SQM_PER_HA


def preview(name: str, text: str, inputs: Path = INPUTS, *, gazetteer: Gazetteer | None = None) -> Preview:
    """Parse an edited boundary description and build its polygon.

    ``gazetteer`` holds the lines of the layer version shown (default: the inputs, version 0).

    Raises
    ------
    ValueError
        (``BoundsError`` or ``BuildError``) with a Chinese message naming the
        problem, the side and the feature.
    """
    text = (text or "").strip()
    if not text:
        raise BoundsError("描述为空：请输入四至，例如“东至白浪河、西至清平路，南至高家街、北至胶济铁路”")
    if len(text) > MAX_DESCRIPTION:
        raise BoundsError(f"描述过长（{len(text)} 字），请只保留四至部分（{MAX_DESCRIPTION} 字以内）")
    bounds = parse_bounds(text)
    base_gazetteer, district_m = _context(inputs)
    built = build_area(name, bounds, gazetteer or base_gazetteer, district_m)  # unknown features are named first
    if bounds.missing_message():  # one side alone would "succeed" with an area bounded by the district
        raise BoundsError(f"四至不完整：{bounds.missing_message()}。请写全东、西、南、北四边后再预览")
    return Preview(bounds, built)


__all__ = ["BoundsError", "BuildError", "Preview", "checks_for", "checks_frame", "edge_rows", "preview", "zone_table"]
