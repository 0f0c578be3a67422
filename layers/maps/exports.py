"""Download formats for every layer: GeoJSON, KML, GeoPackage and CSV, all WGS-84."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.escape import cell_text
from layers.geometry.crs import METRIC

FORMATS = {
    "geojson": ("GeoJSON（WGS-84）", "application/geo+json", ".geojson"),
    "kml": ("KML（Google Earth、奥维，WGS-84）", "application/vnd.google-earth.kml+xml", ".kml"),
    "gpkg": ("GeoPackage（QGIS/ArcGIS，EPSG:4326）", "application/geopackage+sqlite3", ".gpkg"),
    "csv": ("CSV（属性与质心经纬度，WGS-84）", "text/csv", ".csv"),
}


#: Columns renamed in KML files: Google Earth shows ``Name`` and ``Description`` as the place's own; and a
#: reader (GDAL, so QGIS) takes ``id`` for the Placemark's id, which turned ours into an "id2" column.
KML_COLUMNS = {"name": "Name", "description": "Description", "id": "plan_id"}


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Lists and dicts become JSON text: formats other than GeoJSON hold only scalars."""
    out = frame.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if out[col].map(lambda v: isinstance(v, (list, dict))).any():
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
    return out


def _via_gdal(frame: gpd.GeoDataFrame, driver: str, suffix: str, name: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"layer{suffix}"
        frame.to_file(path, driver=driver, engine="pyogrio", layer=name)
        return path.read_bytes()


def centroids_lonlat(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Centroid of each geometry (computed in EPSG:4549) as WGS-84 lon/lat; NaN where unlocated."""
    located = frame.geometry.notna() & ~frame.geometry.is_empty
    lon = pd.Series(float("nan"), index=frame.index)
    lat = pd.Series(float("nan"), index=frame.index)
    if located.any():
        cents = frame[located].geometry.to_crs(METRIC).centroid.to_crs("EPSG:4326")
        lon[located], lat[located] = cents.x.round(6), cents.y.round(6)
    return pd.DataFrame({"centroid_lon_wgs84": lon, "centroid_lat_wgs84": lat})


def export_layer(frame: gpd.GeoDataFrame, fmt: str, name: str = "layer") -> bytes:
    """Serialise a layer in one of :data:`FORMATS`.

    Parameters
    ----------
    frame
        The layer.
    fmt
        A key of :data:`FORMATS`.
    name
        The layer's name inside a GeoPackage or KML file: what QGIS's layer list and Google Earth's
        places show (GeoJSON and CSV files have none).

    Raises
    ------
    ValueError
        For an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"不支持的导出格式：{fmt}（可用：{'、'.join(FORMATS)}）")
    frame = frame.to_crs("EPSG:4326") if frame.crs else frame.set_crs("EPSG:4326")
    if fmt == "geojson":
        return frame.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
    flat = _flat(frame)
    if fmt == "kml":
        named = flat.rename(columns=KML_COLUMNS)
        return _via_gdal(named, "KML", ".kml", name)
    if fmt == "gpkg":
        return _via_gdal(flat, "GPKG", ".gpkg", name)
    table = pd.concat([pd.DataFrame(flat.drop(columns=flat.geometry.name)), centroids_lonlat(frame)], axis=1)
    return table_csv(spreadsheet_words(table))


#: The CSV is for people opening it in Excel (GeoJSON, KML and GeoPackage keep the field names for GIS):
#: its headers are in words. A column not listed keeps its name.
CSV_HEADERS = {
    "id": "编号", "name": "名称", "kind": "类型", "number": "序号", "adcode": "行政区划代码",
    "area_ha": "面积（公顷）", "area_mu": "面积（亩）", "accuracy_m": "几何精度（米）", "geometry_status": "几何状态",
    "source": "几何来源", "attribution": "数据来源", "citation": "规划出处", "citation_detail": "出处详情（JSON）",
    "clause": "四至原文", "bounds": "四至各侧地物（JSON）", "description": "规划原文", "positioning": "定位（规划原文）",
    "positioning_phrase": "定位短语", "industries": "主要产业（JSON）", "industries_snippets": "产业出处（JSON）",
    "sites": "所在楼宇/街区（JSON）", "unlocated_reason": "未定位原因", "aliases": "别名（JSON）",
    "named_by": "名称出处", "category": "类别代码", "category_label": "类别", "status": "状态代码",
    "status_label": "状态", "status_words": "状态依据（规划原文）", "industry": "产业", "zone": "所在片区",
    "park": "所在园区", "zones": "涉及片区（JSON）", "parks": "涉及园区（JSON）", "quote": "规划原文摘录",
    "location_precision": "定位精度", "mention_count": "提及次数", "mentions": "全部提及（JSON）",
    "road_stretch": "道路路段（JSON）", "investment_10k_yuan": "投资（万元）", "start_year": "开工年份",
    "batch_id": "导入批次", "centroid_lon_wgs84": "质心经度（WGS-84）", "centroid_lat_wgs84": "质心纬度（WGS-84）",
}
AREA_SOURCE = "依据规划“四至”和各侧边界地物的线位构建（各侧地物及其来源见“四至各侧地物”）"


def _source_words(value) -> object:
    """Where a feature's geometry comes from, in words: a project's origin, an area's making, a line's source."""
    from layers.details import source_text
    from layers.project_table import SOURCE_LABELS

    if value in SOURCE_LABELS:
        return SOURCE_LABELS[value]
    if isinstance(value, str) and value.startswith("polygon built from"):
        return AREA_SOURCE
    if isinstance(value, str) and value.startswith("plan text only"):
        return "仅有规划文字：规划以楼宇/街区定位，未给出范围，故无图形"
    words = source_text(value)
    return value if words in ("其他来源", "未注明") else words


def spreadsheet_words(table: pd.DataFrame) -> pd.DataFrame:
    """A layer's table with Chinese headers, and its codes in the words the app shows (GeoJSON, KML and
    GeoPackage keep the codes, for joining)."""
    from layers.details import GEOMETRY_STATUS_LABELS, PRECISION_LABELS, ROAD_KINDS

    kinds = {**ROAD_KINDS, "zone": "片区", "park": "园区", "district": "行政区"}
    out = table.copy()
    for column, words in (("geometry_status", GEOMETRY_STATUS_LABELS), ("location_precision", PRECISION_LABELS),
                          ("kind", kinds)):
        if column in out:
            out[column] = out[column].map(lambda v, words=words: words.get(v, v))
    if "source" in out:
        out["source"] = out["source"].map(_source_words)
    first = [c for c in ("id", "name") if c in out]
    return out[first + [c for c in out.columns if c not in first]].rename(columns=CSV_HEADERS)


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as a CSV file Excel opens safely: formula cells neutralised, UTF-8 with BOM, CRLF."""
    # UTF-8 with BOM: Excel on Chinese Windows opens it correctly.
    # CRLF (RFC 4180): the writer then quotes every cell holding a CR, which Excel would split on.
    return spreadsheet_safe(table).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def number_cell(value) -> object:
    """A number as a person writes it: 42, not "42.0" (pandas keeps a column with a gap as floats, so a
    year read 2023.0 and a count of 42 家 read 42.0); 4.75e9 as 4750000000. Other values as they are."""
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.15g}" if not value.is_integer() or abs(value) < 1e15 else value
    return value


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell (and header) that Excel would run as a formula neutralised (OWASP),
    and whole numbers written without ".0"."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(number_cell).astype(object)
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: number_cell(cell_text(v)))
    out.columns = [cell_text(str(c)) for c in out.columns]
    return out
