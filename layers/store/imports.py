"""Import the user's own project lists (CSV or XLSX) with row-by-row validation.

Nothing is written here: :func:`validate` returns the valid rows and every
problem (row, column, message in Chinese); the page stores the valid rows in
one transaction only when the user confirms.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.geometry.gcj02 import gcj02_to_wgs84

TEMPLATE_COLUMNS = ("name", "category", "status", "investment_10k_yuan", "start_year",
                    "lon", "lat", "zone", "park")
#: Headers a Chinese spreadsheet may use instead.
COLUMN_ALIASES = {
    "名称": "name", "项目名称": "name", "类别": "category", "类型": "category", "状态": "status",
    "投资额": "investment_10k_yuan", "投资额（万元）": "investment_10k_yuan", "投资额(万元)": "investment_10k_yuan",
    "开工年份": "start_year", "经度": "lon", "纬度": "lat", "片区": "zone", "园区": "park",
}
MAX_BYTES = 8 * 1024 * 1024
MAX_ROWS = 50_000
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class ImportFileError(ValueError):
    """A file that cannot be read as a project list at all (Chinese message)."""


@dataclass
class RowError:
    """One problem in one row (``row`` is the spreadsheet row number, header = 1)."""

    row: int
    column: str
    message: str


@dataclass
class ValidationResult:
    """The rows that can be imported and what is wrong with the others."""

    valid: gpd.GeoDataFrame
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    def errors_frame(self) -> pd.DataFrame:
        """The problems as a table for display."""
        return pd.DataFrame([{"行": e.row, "列": e.column, "问题": e.message} for e in self.errors],
                            columns=["行", "列", "问题"])


def template_csv() -> bytes:
    """An empty template (header only), UTF-8 with BOM for Excel."""
    return (",".join(TEMPLATE_COLUMNS) + "\n").encode("utf-8-sig")


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError("文件不是文本格式的 CSV（含有二进制内容）：请另存为 CSV 或 XLSX 后重试")
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别 CSV 的编码：请以 UTF-8 或 GBK（GB18030）保存")


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """Read an uploaded CSV or XLSX into text columns named as in the template.

    Raises
    ------
    ImportFileError
        For an empty, oversized, unreadable or wrongly shaped file.
    """
    name = (filename or "").lower()
    if not data:
        raise ImportFileError(f"文件“{filename}”是空的")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"文件“{filename}”过大（{len(data) / 1e6:.1f} MB），上限 {MAX_BYTES // 2**20} MB")
    try:
        if name.endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        elif name.endswith(".csv") or name.endswith(".txt"):
            frame = pd.read_csv(io.StringIO(_decode(data)), dtype=str, skip_blank_lines=True)
        else:
            raise ImportFileError(f"不支持的文件类型“{filename}”：请上传 .csv 或 .xlsx")
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        kind = "Excel" if name.endswith(".xlsx") else "CSV"
        raise ImportFileError(f"“{filename}”不是有效的 {kind} 文件（{type(exc).__name__}）") from exc
    except pd.errors.ParserError as exc:
        raise ImportFileError(f"“{filename}”无法按 CSV 解析：{exc}") from exc
    frame.columns = [COLUMN_ALIASES.get(str(c).strip(), str(c).strip().lower()) for c in frame.columns]
    if "name" not in frame.columns:
        raise ImportFileError("缺少“name”（项目名称）列。表头应为：" + ",".join(TEMPLATE_COLUMNS)
                              + f"；实际表头：{','.join(map(str, frame.columns[:12]))}")
    if not ({"lon", "lat"} <= set(frame.columns) or {"zone", "park"} & set(frame.columns)):
        raise ImportFileError("缺少位置列：需要 lon 和 lat（经纬度），或 zone / park（片区/园区名称）")
    if len(frame) > MAX_ROWS:
        raise ImportFileError(f"行数过多（{len(frame)}），一次最多导入 {MAX_ROWS} 行")
    for col in TEMPLATE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[list(TEMPLATE_COLUMNS)].apply(lambda s: s.str.strip() if s.dtype == object else s)
    return frame.replace({"": None})


def _number(frame: pd.DataFrame, col: str, errors: list[RowError], label: str) -> pd.Series:
    raw = frame[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    errors += [RowError(int(i) + 2, col, f"{label}“{raw[i]}”不是数字") for i in frame.index[bad]]
    return values


def _area_lookup(names: pd.Series, areas: gpd.GeoDataFrame) -> pd.Series:
    by_name = dict(zip(areas["name"], areas["name"]))
    by_name.update(dict(zip(areas["id"], areas["name"])))
    return names.map(lambda n: by_name.get(n) if isinstance(n, str) else None)


def validate(frame: pd.DataFrame, *, datum: str, zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame,
             district: shapely.Geometry, existing_names: set[str] | None = None) -> ValidationResult:
    """Check every row; place valid rows and assign them to the zone/park containing them.

    Parameters
    ----------
    frame
        Output of :func:`read_table`.
    datum
        ``"wgs84"`` or ``"gcj02"``: the datum of the lon/lat columns.
    zones, parks
        Area polygons (WGS-84) for names and the spatial join.
    district
        Coordinates outside it are rejected.
    existing_names
        Names already imported: a new row with one of them is a duplicate.
    """
    errors: list[RowError] = []
    frame = frame.reset_index(drop=True)
    rownum = frame.index + 2
    missing = frame["name"].isna()
    errors += [RowError(int(r), "name", "缺少项目名称") for r in rownum[missing]]
    dup_in_file = frame["name"].notna() & frame["name"].duplicated(keep="first")
    first_row = {n: int(r) for n, r in zip(frame["name"][::-1], rownum[::-1])}
    errors += [RowError(int(r), "name", f"与第 {first_row[n]} 行重复：“{n}”")
               for r, n in zip(rownum[dup_in_file], frame["name"][dup_in_file])]
    dup_db = frame["name"].isin(existing_names or set()) & ~dup_in_file
    errors += [RowError(int(r), "name", f"已导入过同名项目“{n}”") for r, n in zip(rownum[dup_db], frame["name"][dup_db])]

    lon = _number(frame, "lon", errors, "经度")
    lat = _number(frame, "lat", errors, "纬度")
    invest = _number(frame, "investment_10k_yuan", errors, "投资额")
    year = _number(frame, "start_year", errors, "开工年份")
    errors += [RowError(int(r), "investment_10k_yuan", "投资额不能为负数") for r in rownum[invest < 0]]
    bad_year = year.notna() & ((year < 1990) | (year > 2050) | (year % 1 != 0))
    errors += [RowError(int(r), "start_year", f"开工年份“{frame['start_year'][i]}”不在 1990–2050 之间")
               for i, r in zip(frame.index[bad_year], rownum[bad_year])]
    half = frame["lon"].isna() ^ frame["lat"].isna()  # one of the pair left empty
    errors += [RowError(int(r), "lon/lat", "经度和纬度须同时填写") for r in rownum[half]]
    has_xy = lon.notna() & lat.notna()
    if datum == "gcj02" and has_xy.any():
        converted = [gcj02_to_wgs84(x, y) for x, y in zip(lon[has_xy], lat[has_xy])]
        lon[has_xy] = [c[0] for c in converted]
        lat[has_xy] = [c[1] for c in converted]
    inside = pd.Series(False, index=frame.index)
    inside[has_xy] = shapely.contains_xy(district, lon[has_xy].to_numpy(), lat[has_xy].to_numpy())
    outside = has_xy & ~inside
    errors += [RowError(int(r), "lon/lat", f"坐标（{x:.5f}, {y:.5f}）不在潍城区范围内（检查经纬度是否填反、坐标系是否选对）")
               for r, x, y in zip(rownum[outside], lon[outside], lat[outside])]

    zone = _area_lookup(frame["zone"], zones)
    park = _area_lookup(frame["park"], parks)
    for col, found, what in (("zone", zone, "片区"), ("park", park, "园区")):
        unknown = frame[col].notna() & found.isna()
        errors += [RowError(int(r), col, f"没有名为“{n}”的{what}") for r, n in zip(rownum[unknown], frame[col][unknown])]
    typed_xy = frame["lon"].notna() | frame["lat"].notna()
    no_place = ~typed_xy & frame["zone"].isna() & frame["park"].isna()
    errors += [RowError(int(r), "lon/lat", "没有位置：请填写经纬度，或片区/园区名称") for r in rownum[no_place & ~missing]]

    bad_rows = {e.row for e in errors}
    ok = ~rownum.isin(bad_rows)
    valid = _place(frame[ok], lon[ok], lat[ok], zone[ok], park[ok], invest[ok], year[ok], zones, parks)
    errors.sort(key=lambda e: (e.row, e.column))
    return ValidationResult(valid, errors, len(frame))


def _place(frame, lon, lat, zone, park, invest, year, zones, parks) -> gpd.GeoDataFrame:
    """Geometry for valid rows and the zone/park that contains each (vectorised spatial join)."""
    has_xy = lon.notna() & lat.notna()
    out = gpd.GeoDataFrame({
        "name": frame["name"], "category": frame["category"], "status": frame["status"],
        "investment_10k_yuan": invest, "start_year": year.astype("Int64"), "lon": lon, "lat": lat,
        "zone": zone, "park": park,
    }, geometry=gpd.points_from_xy(lon.fillna(0), lat.fillna(0)), crs="EPSG:4326")
    out["location_precision"] = np.where(has_xy, "exact", np.where(zone.notna(), "zone", "park"))
    assign_areas(out, zones, parks, has_xy)
    reps = {**dict(zip(zones["name"], zones.geometry)), **dict(zip(parks["name"], parks.geometry))}
    for idx in out.index[~has_xy]:
        area = reps.get(out.at[idx, "zone"] or out.at[idx, "park"])
        point = area.representative_point() if area is not None else None
        out.at[idx, "geometry"] = point
        out.at[idx, "lon"], out.at[idx, "lat"] = (point.x, point.y) if point is not None else (None, None)
    return out.reset_index(drop=True)


def assign_areas(points: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame,
                 mask: pd.Series | None = None) -> None:
    """Fill ``zone``/``park`` of the (masked) points from the polygons that contain them, in place."""
    mask = pd.Series(True, index=points.index) if mask is None else mask
    subset = points[mask]
    for col, areas in (("zone", zones), ("park", parks)):
        located = areas[areas.geometry.notna()][["name", "geometry"]]
        joined = gpd.sjoin(subset[["geometry"]], located, how="left", predicate="within")
        joined = joined[~joined.index.duplicated(keep="first")]
        points.loc[joined.index, col] = joined["name"].where(joined["name"].notna(), points.loc[joined.index, col])
