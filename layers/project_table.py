"""One table of projects for the app: the plan's and the user's imported ones."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from layers.plan.projects import CATEGORY_LABELS, STATUS_LABELS

SOURCE_LABELS = {"plan": "规划文本", "import": "用户导入"}
COLUMNS = ["id", "name", "category", "category_label", "status", "status_label", "zone", "park",
           "location_precision", "geometry_status", "accuracy_m", "source", "quote", "citation",
           "investment_10k_yuan", "start_year", "batch_id",
           # the plan's projects: the words that give the status, every mention, why one is unlocated
           "status_words", "mentions", "mention_count", "aliases", "unlocated_reason", "road_stretch", "geometry"]


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def imported_projects(rows: pd.DataFrame) -> gpd.GeoDataFrame:
    """Rows of the ``user_projects`` table as a project layer."""
    lon, lat = pd.to_numeric(rows["lon"], errors="coerce"), pd.to_numeric(rows["lat"], errors="coerce")
    located = lon.map(_finite) & lat.map(_finite)
    # Never POINT(NaN NaN): a row without coordinates (a park located only by buildings) is unlocated.
    points = [Point(x, y) if ok else None for x, y, ok in zip(lon, lat, located)]
    frame = gpd.GeoDataFrame(rows.copy(), geometry=points, crs="EPSG:4326")
    frame.loc[~located.to_numpy(), "location_precision"] = "unlocated"
    frame["id"] = "user-" + rows["id"].astype(str)
    frame["category_label"] = frame["category"].map(lambda c: CATEGORY_LABELS.get(c, c))
    frame["status_label"] = frame["status"].map(lambda s: STATUS_LABELS.get(s, s))
    frame["geometry_status"] = frame["location_precision"].map({"exact": "user", "zone": "approximate",
                                                                 "park": "approximate", "unlocated": "unlocated"})
    frame["accuracy_m"] = None
    frame["source"], frame["quote"], frame["citation"] = "import", None, None
    return frame


def all_projects(plan: gpd.GeoDataFrame | None, imported: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """The plan's projects and the imported ones, with the same columns."""
    parts = []
    if plan is not None and len(plan):
        parts.append(plan.assign(investment_10k_yuan=None, start_year=None, batch_id=None))
    if imported is not None and len(imported):
        parts.append(imported_projects(imported))
    if not parts:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS if c != "geometry"}, geometry=[], crs="EPSG:4326")
    frame = pd.concat([p.reindex(columns=COLUMNS) for p in parts], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def filter_projects(frame: gpd.GeoDataFrame, *, categories=None, statuses=None, area=None,
                    sources=None) -> gpd.GeoDataFrame:
    """The projects matching every chosen filter (an empty choice does not filter)."""
    mask = pd.Series(True, index=frame.index)
    if categories:
        mask &= frame["category_label"].isin(categories)
    if statuses:
        mask &= frame["status_label"].isin(statuses)
    if area:
        mask &= (frame["zone"] == area) | (frame["park"] == area)
    if sources:
        mask &= frame["source"].map(SOURCE_LABELS).isin(sources)
    return frame[mask]


#: The area of a project the plan and its importer name no zone or park for. Not "未定位": a project in a
#: park placed only by its buildings has an area but no place on the map, and 未定位 counts those too.
NO_AREA = "未指明片区/园区"


def area_of(frame: pd.DataFrame) -> pd.Series:
    """Each project's park, or else its zone, or else :data:`NO_AREA` (the one area every count uses)."""
    return frame["park"].where(frame["park"].notna(), frame["zone"]).fillna(NO_AREA)


def counts_by_area(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Projects per zone/park and category (a pivot for a bar chart)."""
    return pd.crosstab(area_of(frame), frame["category_label"].fillna("未分类"))
