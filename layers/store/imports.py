"""Import the user's own project lists (CSV or XLSX) with row-by-row validation.

Nothing is written here: :func:`validate` returns the valid rows and every
problem (row, column, message in Chinese); the page stores the valid rows in
one transaction only when the user confirms (:meth:`ValidationResult.records`
gives them with ``None``, never NaN, for what is unknown).

Reading is bounded before it is expensive: the byte size, the XLSX's
uncompressed size and its declared row count are checked before any row is
parsed, so a 700,000-row sheet is refused in well under a second.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
import zipfile
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.geometry.gcj02 import gcj02_to_wgs84
from layers.numbers import COMMA_HINT, number_text
from layers.plan.projects import CATEGORY_LABELS, STATUS_LABELS

TEMPLATE_COLUMNS = ("name", "category", "status", "investment_10k_yuan", "start_year",
                    "lon", "lat", "zone", "park")
#: Headers a Chinese spreadsheet may use instead.
COLUMN_ALIASES = {
    "名称": "name", "项目名称": "name", "类别": "category", "类型": "category", "状态": "status",
    "投资额": "investment_10k_yuan", "投资额（万元）": "investment_10k_yuan", "投资额(万元)": "investment_10k_yuan",
    "开工年份": "start_year", "经度": "lon", "纬度": "lat", "片区": "zone", "园区": "park",
}
#: Chinese names of the template columns, for messages and preview headers.
COLUMN_LABELS = {
    "name": "名称", "category": "类别", "status": "状态", "investment_10k_yuan": "投资额（万元）",
    "start_year": "开工年份", "lon": "经度", "lat": "纬度", "zone": "片区", "park": "园区",
    "lon/lat": "经纬度", "location_precision": "定位",
}
#: What the upload box and the messages say; Streamlit's ``server.maxUploadSize`` is the same.
MAX_MEGABYTES = 8
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
MAX_ROWS = 50_000
#: The index name of a frame read by :func:`read_table`: each row's line in the file.
LINE = "line"
#: The header may sit below a title: the first this many non-blank rows are searched for it.
HEADER_SCAN = 5
#: An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")
#: Characters trimmed from both ends of every cell besides ordinary whitespace.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


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
        """The problems as a table for display (column names in Chinese)."""
        return pd.DataFrame([{"行": e.row, "列": COLUMN_LABELS.get(e.column, e.column), "问题": e.message}
                             for e in self.errors], columns=["行", "列", "问题"])

    def records(self) -> list[dict]:
        """The valid rows for the database: plain Python values, ``None`` for anything unknown."""
        rows = pd.DataFrame(self.valid.drop(columns=self.valid.geometry.name)).astype(object)
        return [{k: _plain(v) for k, v in row.items()} for row in rows.to_dict("records")]


def _plain(value):
    """A database-ready scalar: NaN/NA → ``None``, numpy numbers → Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    return value


def template_csv() -> bytes:
    """An empty template (header only), UTF-8 with BOM for Excel."""
    return (",".join(TEMPLATE_COLUMNS) + "\n").encode("utf-8-sig")


def clean_text(value) -> str | None:
    """A cell as trimmed text: NUL bytes removed, spaces (also full-width) trimmed; empty → ``None``.

    ``NA``, ``None`` and ``nan`` stay text: they can be real names.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # Excel stores 2023 as 2023.0
    text = str(value).replace("\x00", "").strip().strip(_INVISIBLE).strip()
    return text or None


def normalise_name(name: str) -> str:
    """The form used to spot duplicates: width-folded (NFKC), case-folded, without any spaces."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):  # a zip: an Excel workbook (or an archive) renamed to .csv
        raise ImportFileError("文件名是 .csv，内容却是压缩包或 Excel 工作簿：若是 Excel 文件，请把扩展名改回 .xlsx"
                              "（或在 Excel 中另存为 CSV）后重新上传")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary Excel (.xls)
        raise ImportFileError("文件是旧版 Excel（.xls）格式：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后重新上传")
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 10:
        raise ImportFileError("文件不是文本格式的 CSV（含有二进制内容）：请另存为 CSV 或 XLSX 后重试")
    data = data.replace(b"\x00", b"")
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别 CSV 的编码：请以 UTF-8 或 GBK（GB18030）保存")


def _csv_rows(text: str, filename: str) -> list[tuple[int, list[str]]]:
    """Every record of a CSV with the line it starts on; a quoting error or an over-long row names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    width = None
    try:
        ended = 0  # the line the previous record ended on
        for record in reader:
            line, ended = ended + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if width is None:
                width = len(record)
            elif len(record) > width and any(c.strip() for c in record[width:]):
                raise ImportFileError(f"“{filename}”第 {reader.line_num} 行有 {len(record)} 列，"
                                      f"比表头多（表头 {width} 列）：检查该行是否有多余的逗号或未加引号的逗号")
            rows.append((line, record[:width] if width else record))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(f"行数过多（超过 {MAX_ROWS} 行），一次最多导入 {MAX_ROWS} 行")
    except csv.Error as exc:
        raise ImportFileError(f"“{filename}”第 {reader.line_num} 行无法按 CSV 解析（引号不成对或格式有误）："
                              "请检查该行的英文双引号") from exc
    return rows


def _open_xlsx(data: bytes, filename: str):
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNZIPPED_BYTES:
            raise ImportFileError(f"“{filename}”解压后过大（{unpacked / 2**20:.0f} MB）：请删去无关内容或分批导入")
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(f"“{filename}”不是有效的 Excel（.xlsx）文件：请用 Excel 或 WPS 另存为 .xlsx 后重试") from exc


def xlsx_sheet_names(data: bytes, filename: str = "") -> list[str]:
    """The worksheet names of an XLSX, in order (so the user can choose one)."""
    book = _open_xlsx(data, filename)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _xlsx_rows(data: bytes, filename: str, sheet: str | None) -> list[tuple[int, list]]:
    book = _open_xlsx(data, filename)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ImportFileError(f"“{filename}”中没有名为“{sheet}”的工作表；现有：{'、'.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        declared = ws.max_row  # from the sheet's <dimension>, read without parsing rows
        if declared is not None and declared > MAX_ROWS + 1:
            raise ImportFileError(f"行数过多（工作表“{ws.title}”有 {declared - 1} 行），一次最多导入 {MAX_ROWS} 行："
                                  "请分批导入")
        rows = []
        for line, values in enumerate(ws.iter_rows(values_only=True), start=ws.min_row or 1):
            if all(clean_text(v) is None for v in values):
                continue
            rows.append((line, list(values)))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(f"行数过多（超过 {MAX_ROWS} 行），一次最多导入 {MAX_ROWS} 行：请分批导入")
        return rows
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        if isinstance(exc, ImportFileError):
            raise
        raise ImportFileError(f"“{filename}”的工作表无法读取：请用 Excel 或 WPS 另存为 .xlsx 后重试") from exc
    finally:
        book.close()


def _column_name(cell) -> str:
    """The template name a header cell means (its Chinese alias or itself, lower case); "" when empty."""
    text = clean_text(cell) or ""
    return COLUMN_ALIASES.get(text, text.lower())


def _header_index(rows: list[tuple[int, list]]) -> int:
    """Which of the first rows is the header: the first naming the name column (else the first row)."""
    for i, (_line, cells) in enumerate(rows[:HEADER_SCAN]):
        if any(_column_name(c) == "name" for c in cells):
            return i
    return 0


def _columns(header: list) -> list[str]:
    """Template names for the header cells; two headers meaning the same column is an error."""
    names = [clean_text(c) or "" for c in header]
    mapped = [_column_name(c) for c in header]
    for col in TEMPLATE_COLUMNS:
        written = [n for n, m in zip(names, mapped) if m == col]
        if len(written) > 1:
            raise ImportFileError(f"表头中“{'”和“'.join(written)}”都表示{COLUMN_LABELS[col]}（{col}）："
                                  "只保留其中一列后重新上传")
    seen: dict[str, int] = {}
    out = []
    for m in mapped:  # other repeated headers (two 备注 columns) are kept apart, not an error
        seen[m] = seen.get(m, 0) + 1
        out.append(m if seen[m] == 1 else f"{m}.{seen[m] - 1}")
    return out


def read_table(data: bytes, filename: str, *, sheet: str | None = None) -> pd.DataFrame:
    """Read an uploaded CSV or XLSX into text columns named as in the template.

    Cells are trimmed (also full-width spaces), NUL bytes removed; empty cells
    are ``None``. ``sheet`` picks an XLSX worksheet (default: the first).

    Raises
    ------
    ImportFileError
        For an empty, oversized, unreadable or wrongly shaped file.
    """
    name = (filename or "").lower()
    if not data:
        raise ImportFileError(f"文件“{filename}”是空的")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"文件“{filename}”过大（{len(data) / 2**20:.1f} MB），上限 {MAX_MEGABYTES} MB")
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data, filename, sheet)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(_decode(data), filename)
    else:
        raise ImportFileError(f"不支持的文件类型“{filename}”：请上传 .csv 或 .xlsx")
    if not rows:
        raise ImportFileError(f"文件“{filename}”没有内容（连表头也没有）")
    header = _header_index(rows)
    rows = rows[header:]  # a title above the header ("潍城区项目清单（2025年）", merged across the columns)
    columns = _columns(rows[0][1])
    body = [[clean_text(v) for v in (r + [None] * len(columns))[:len(columns)]] for _line, r in rows[1:]]
    # Each row keeps its line in the file (as Excel numbers it): blank rows are skipped, not renumbered.
    frame = pd.DataFrame(body, columns=columns, dtype=object,
                         index=pd.Index([line for line, _r in rows[1:]], name=LINE, dtype=int))
    if "name" not in frame.columns:
        raise ImportFileError("缺少“name”（项目名称）列。表头应为：" + ",".join(TEMPLATE_COLUMNS)
                              + "；实际表头：" + ",".join(clean_text(c) or "（空）" for c in rows[0][1][:12]))
    if not ({"lon", "lat"} <= set(frame.columns) or {"zone", "park"} & set(frame.columns)):
        raise ImportFileError("缺少位置列：需要 lon 和 lat（经纬度），或 zone / park（片区/园区名称）")
    if frame.empty:
        raise ImportFileError(f"文件“{filename}”只有表头，没有项目行：请在表头下面逐行填写项目")
    if len(frame) > MAX_ROWS:
        raise ImportFileError(f"行数过多（{len(frame)}），一次最多导入 {MAX_ROWS} 行")
    # Columns with data that are not the template's are not imported: the page names them (a second header
    # row under merged "投资" / "位置" cells lost its columns' values without a word).
    written = [clean_text(c) or f"第 {i + 1} 列（无表头）" for i, c in enumerate(rows[0][1][:len(columns)])]
    ignored = [text for i, (text, col) in enumerate(zip(written, columns))
               if col not in TEMPLATE_COLUMNS and frame.iloc[:, i].notna().any()]
    for col in TEMPLATE_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    out = frame[list(TEMPLATE_COLUMNS)].astype(object)
    out.attrs.update(header_line=rows[0][0], ignored_columns=ignored)
    return out


def _number(frame: pd.DataFrame, col: str, errors: list[RowError], label: str, rownum: pd.Index) -> pd.Series:
    raw = frame[col]

    def plain(value):
        try:
            return number_text(value) if isinstance(value, str) else value
        except ValueError:
            return None  # a decimal comma ("12,5"): refused below, with the reason

    values = pd.to_numeric(raw.map(plain), errors="coerce").astype(float)
    finite = values.map(math.isfinite)
    bad = raw.notna() & ~finite
    for i in frame.index[bad]:
        comma = isinstance(raw[i], str) and plain(raw[i]) is None
        errors.append(RowError(int(rownum[i]), col, f"{label}“{raw[i]}”" + (f"：{COMMA_HINT}" if comma else "不是有效数字")))
    return values.where(finite)


def _area_lookup(names: pd.Series, areas: gpd.GeoDataFrame) -> pd.Series:
    by_name = {normalise_name(n): n for n in areas["name"]}
    by_name.update({normalise_name(str(i)): n for i, n in zip(areas["id"], areas["name"])})
    return names.map(lambda n: by_name.get(normalise_name(n)) if isinstance(n, str) else None).astype(object)


def _code(value, labels: dict[str, str]):
    """The app's code for a category/status written as a code or as its Chinese label.

    Anything else stays as the user wrote it (it is shown as written).
    """
    if not isinstance(value, str):
        return value
    if value.lower() in labels:
        return value.lower()
    by_label = {label: code for code, label in labels.items()}
    return by_label.get(value) or value


def file_lines(frame: pd.DataFrame) -> pd.Index:
    """Each row's line in its file: :func:`read_table` keeps them; any other frame counts from line 2."""
    return pd.Index(frame.index if frame.index.name == LINE else range(2, len(frame) + 2), dtype=int)


def _clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The template columns as trimmed text (idempotent on :func:`read_table` output)."""
    frame = frame.reset_index(drop=True).copy()
    for col in TEMPLATE_COLUMNS:
        frame[col] = frame[col].map(clean_text).astype(object) if col in frame else None
    # 商贸 and commerce are one category: one legend entry, one colour.
    frame["category"] = frame["category"].map(lambda v: _code(v, CATEGORY_LABELS)).astype(object)
    frame["status"] = frame["status"].map(lambda v: _code(v, STATUS_LABELS)).astype(object)
    return frame


def _name_errors(frame: pd.DataFrame, rownum: pd.Index, existing_names: set[str]) -> list[RowError]:
    errors = [RowError(int(r), "name", "缺少项目名称（不能为空或只有空格）") for r in rownum[frame["name"].isna()]]
    keys = frame["name"].map(lambda n: normalise_name(n) if isinstance(n, str) else None)
    first_row: dict[str, int] = {}
    existing = {normalise_name(n) for n in existing_names if isinstance(n, str)}
    for r, key, name in zip(rownum, keys, frame["name"]):
        if key is None:
            continue
        if key in first_row:
            errors.append(RowError(int(r), "name", f"与第 {first_row[key]} 行重复：“{name}”"))
            continue
        first_row[key] = int(r)
        if key in existing:
            errors.append(RowError(int(r), "name", f"已导入过同名项目“{name}”"))
    return errors


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
        Area polygons (WGS-84) for names and the spatial join; an area
        without geometry (a park the plan locates only by buildings) can be
        named, and its projects are ``unlocated``.
    district
        Coordinates outside it are rejected.
    existing_names
        Names already imported: a new row with one of them (ignoring case,
        width and spaces) is a duplicate.
    """
    rownum = file_lines(frame)
    frame = _clean_frame(frame)
    errors = _name_errors(frame, rownum, existing_names or set())

    lon = _number(frame, "lon", errors, "经度", rownum)
    lat = _number(frame, "lat", errors, "纬度", rownum)
    invest = _number(frame, "investment_10k_yuan", errors, "投资额", rownum)
    year = _number(frame, "start_year", errors, "开工年份", rownum)
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
    no_place = ~typed_xy & frame["zone"].isna() & frame["park"].isna() & frame["name"].notna()
    errors += [RowError(int(r), "lon/lat", "没有位置：请填写经纬度，或片区/园区名称") for r in rownum[no_place]]

    bad_rows = {e.row for e in errors}
    ok = ~rownum.isin(bad_rows)
    valid = _place(frame[ok], lon[ok], lat[ok], zone[ok], park[ok], invest[ok], year[ok], zones, parks)
    errors.sort(key=lambda e: (e.row, e.column))
    return ValidationResult(valid, errors, len(frame))


def _representative_points(zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame) -> dict[str, shapely.Point]:
    """A point inside each located zone and park; areas without an outline have none."""
    reps = {}
    for areas in (zones, parks):
        for name, geom in zip(areas["name"], areas.geometry):
            if geom is not None and not geom.is_empty:
                reps[name] = geom.representative_point()
    return reps


def _place(frame, lon, lat, zone, park, invest, year, zones, parks) -> gpd.GeoDataFrame:
    """Geometry for valid rows and the zone/park that contains each (vectorised spatial join).

    A row placed by name gets the representative point of its park (smaller,
    so more precise) or else its zone; a row naming only areas without an
    outline is ``unlocated``: no geometry, no coordinates, never NaN.
    """
    has_xy = lon.notna() & lat.notna()
    out = gpd.GeoDataFrame({
        "name": frame["name"], "category": frame["category"], "status": frame["status"],
        "investment_10k_yuan": invest, "start_year": year.astype("Int64"), "lon": lon, "lat": lat,
        "zone": zone, "park": park, "location_precision": np.where(has_xy, "exact", "unlocated"),
    }, geometry=[shapely.Point(x, y) if ok else None for x, y, ok in zip(lon, lat, has_xy)], crs="EPSG:4326")
    assign_areas(out, zones, parks, has_xy)
    reps = _representative_points(zones, parks)
    for idx in out.index[~has_xy]:
        for col in ("park", "zone"):
            point = reps.get(out.at[idx, col]) if isinstance(out.at[idx, col], str) else None
            if point is not None:
                out.at[idx, "geometry"] = point
                out.at[idx, "lon"], out.at[idx, "lat"] = point.x, point.y
                out.at[idx, "location_precision"] = col
                break
    return out.reset_index(drop=True)


def assign_areas(points: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, parks: gpd.GeoDataFrame,
                 mask: pd.Series | None = None) -> None:
    """Fill ``zone``/``park`` of the (masked) points from the polygons that contain them, in place."""
    mask = pd.Series(True, index=points.index) if mask is None else mask
    subset = points[mask]
    if subset.empty:
        return
    for col, areas in (("zone", zones), ("park", parks)):
        located = areas[areas.geometry.notna()][["name", "geometry"]]
        joined = gpd.sjoin(subset[["geometry"]], located, how="left", predicate="within")
        joined = joined[~joined.index.duplicated(keep="first")]
        points.loc[joined.index, col] = joined["name"].where(joined["name"].notna(), points.loc[joined.index, col])
