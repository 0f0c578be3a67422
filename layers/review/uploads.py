"""Corrected lines from files (GeoJSON, KML, GeoPackage, zipped Shapefile, DXF) or traced on the map.

Every reader returns one WGS-84 line geometry or raises :class:`UploadError`
with a Chinese message that names the file and what is wrong. A line that
lands far from Weicheng after reading is refused: the usual cause is a
wrong coordinate system (a CAD drawing read in the wrong zone).
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import LineString, MultiLineString, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from layers.geometry.crs import to_metric
from layers.geometry.gcj02 import geometry_to_wgs84
from layers.review.rebuild import district_metric

#: Planning institutes in Weifang draw in CGCS2000 3-degree zone CM 120E.
DEFAULT_CRS = "EPSG:4549"
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
#: A line further than this from the district was read in the wrong CRS (or is the wrong line).
MAX_DISTANCE_M = 5_000.0
#: Curves (arcs, splines) in DXF are flattened to this chord error, in drawing units (metres).
DXF_FLATTEN_M = 0.5
SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".gpkg": "GeoPackage",
            ".zip": "Shapefile（zip 压缩）", ".dxf": "DXF"}
_DXF_LINES = ("LINE", "LWPOLYLINE", "POLYLINE", "SPLINE", "ARC")


class UploadError(ValueError):
    """An uploaded or traced line that cannot be used; the message (Chinese) says why."""


@dataclass
class UploadedLine:
    """A line read from a file or drawing, in WGS-84."""

    geometry: BaseGeometry
    how: str
    crs: str
    parts: int


@lru_cache(maxsize=1)
def crs_choices() -> dict[str, str]:
    """The CRSs offered for files without one: EPSG:4549 first, then CGCS2000 4490 and 4513–4554."""
    codes = [4549, 4490, *[c for c in range(4513, 4555) if c != 4549]]
    out = {}
    for code in codes:
        name = CRS.from_epsg(code).name
        label = (name.replace("China Geodetic Coordinate System 2000", "CGCS2000 经纬度")
                 .replace("3-degree Gauss-Kruger zone", "3度带 带号").replace("3-degree Gauss-Kruger CM", "3度带 中央经线"))
        out[f"EPSG:{code}"] = f"EPSG:{code} · {label}" + ("（潍城区常用，默认）" if code == 4549 else "")
    return out


def _check_crs(crs: str) -> str:
    if crs not in crs_choices():
        raise UploadError(f"坐标系“{crs}”不在可选范围内：请选择 CGCS2000（EPSG:4490 或 4513–4554）")
    return crs


def _lines(geom: BaseGeometry) -> list[LineString]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return _lines(geom.boundary)
    return [g for part in getattr(geom, "geoms", []) for g in _lines(part)]


def _merge(lines: list[LineString], label: str) -> BaseGeometry:
    lines = [ln for ln in lines if len(ln.coords) >= 2 and ln.length > 0]
    if not lines:
        raise UploadError(f"{label} 中没有线要素（需要道路、河流或铁路的中心线）")
    merged = shapely.line_merge(unary_union(lines))
    return merged


def _to_wgs84(geom: BaseGeometry, crs: str, label: str) -> BaseGeometry:
    if crs in ("EPSG:4326", "OGC:CRS84"):
        return geom
    transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    out = shapely.transform(geom, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1])))
    if not all(math.isfinite(v) for v in out.bounds):
        raise UploadError(f"{label} 按 {crs} 读取后坐标超出该坐标系的有效范围：坐标系可能选错，"
                          "请选择图纸实际使用的坐标系后重试")
    return out


def _stack(xy) -> np.ndarray:
    return np.column_stack(xy)


def check_location(geom: BaseGeometry, label: str, crs: str) -> None:
    """Refuse a WGS-84 line that does not come near Weicheng.

    Raises
    ------
    UploadError
        Naming the distance and the CRS the line was read in.
    """
    lon0, lat0, lon1, lat1 = geom.bounds
    if not (-180 <= lon0 <= 180 and -180 <= lon1 <= 180 and -90 <= lat0 <= 90 and -90 <= lat1 <= 90):
        raise UploadError(f"{label} 的坐标不是经纬度（例如 {lon0:.0f}, {lat0:.0f}）：看起来是投影坐标。"
                          "GeoJSON/KML 应为 WGS-84 经纬度；CAD 图请用 DXF 上传并选择坐标系")
    try:
        distance = to_metric(geom).distance(district_metric())
    except (ValueError, CRSError):
        distance = math.inf
    if not math.isfinite(distance) or distance > MAX_DISTANCE_M:
        where = f"约 {distance / 1000:,.0f} 公里" if math.isfinite(distance) else "极远"
        raise UploadError(f"{label} 按 {crs} 读取后位于潍城区以外{where}（经度 {lon0:.3f}，纬度 {lat0:.3f}）："
                          "坐标系可能选错，请选择图纸实际使用的坐标系后重试")


def _geojson_geometry(data: bytes, label: str) -> tuple[BaseGeometry, str]:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UploadError(f"{label} 不是 UTF-8 文本，不是有效的 GeoJSON：请用 GIS 软件导出为 GeoJSON 后重试") from None
    except json.JSONDecodeError as exc:  # its message is English: say where, in words
        raise UploadError(f"{label} 不是有效的 GeoJSON：第 {exc.lineno} 行第 {exc.colno} 列附近格式有误"
                          "（请用 GIS 软件重新导出）") from None
    if not isinstance(obj, dict) or "type" not in obj:
        raise UploadError(f"{label} 不是 GeoJSON：缺少 type")
    if obj["type"] == "FeatureCollection":
        geoms = [f.get("geometry") for f in obj.get("features") or [] if isinstance(f, dict)]
    elif obj["type"] == "Feature":
        geoms = [obj.get("geometry")]
    else:
        geoms = [obj]
    try:
        shapes = [shape(g) for g in geoms if g]
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        raise UploadError(f"{label} 中的几何无法读取：坐标或几何类型有误（请用 GIS 软件重新导出）") from None
    named = ((obj.get("crs") or {}).get("properties") or {}).get("name") if isinstance(obj.get("crs"), dict) else None
    return unary_union(shapes) if shapes else None, _crs_name(named) if named else "EPSG:4326"


def _crs_name(name: str) -> str:
    try:
        crs = CRS.from_user_input(name)
    except CRSError:
        raise UploadError(f"无法识别文件声明的坐标系“{name}”") from None
    epsg = crs.to_epsg()
    if crs.is_geographic and epsg in (4326, 4490, None):
        return "EPSG:4326"
    return f"EPSG:{epsg}" if epsg else crs.to_string()


def _ogr_geometry(data: bytes, label: str, fallback_crs: str, suffix: str) -> tuple[BaseGeometry, str]:
    import pyogrio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        source = f"/vsizip/{path}" if suffix == ".zip" else str(path)
        try:
            geoms, crs = [], None
            for layer_name, geom_type in pyogrio.list_layers(source):
                if geom_type is None:
                    continue
                frame = pyogrio.read_dataframe(source, layer=layer_name)
                if frame.crs is not None:
                    crs = crs or _crs_name(frame.crs.to_wkt())
                geoms += [g for g in frame.geometry if g is not None]
        except UploadError:
            raise
        except Exception:  # GDAL raises several error types; its English messages name the server's temporary file
            raise UploadError(f"{label} 无法读取：文件不完整或格式有误。请确认文件完整，或用 GIS 软件重新导出") from None
    return (unary_union(geoms) if geoms else None), crs or fallback_crs


def _shapefile_geometry(data: bytes, label: str, fallback_crs: str) -> tuple[BaseGeometry, str]:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        raise UploadError(f"{label} 不是有效的 zip 压缩包") from None
    shp = [n for n in names if n.lower().endswith(".shp")]
    if not shp:
        raise UploadError(f"{label} 中没有 .shp 文件：请把 .shp、.shx、.dbf、.prj 一起压缩上传")
    stems = {PurePath(n).with_suffix("").as_posix().lower() for n in names}
    if not any(PurePath(s).with_suffix("").as_posix().lower() in stems
               and any(n.lower() == PurePath(s).with_suffix(".shx").as_posix().lower() for n in names) for s in shp):
        raise UploadError(f"{label} 缺少 .shx 文件：请把 .shp、.shx、.dbf、.prj 一起压缩上传")
    return _ogr_geometry(data, label, fallback_crs, ".zip")


def dxf_layers(data: bytes, label: str = "DXF 文件") -> dict[str, int]:
    """Layer name → number of line entities in a DXF drawing (for choosing one)."""
    doc = _read_dxf(data, label)
    counts: dict[str, int] = {}
    for entity in doc.modelspace():
        if entity.dxftype() in _DXF_LINES:
            counts[entity.dxf.layer] = counts.get(entity.dxf.layer, 0) + 1
    return dict(sorted(counts.items()))


def _read_dxf(data: bytes, label: str):
    import ezdxf
    from ezdxf import recover

    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except (ezdxf.DXFStructureError, ezdxf.DXFError, UnicodeDecodeError, ValueError, IndexError):
        raise UploadError(f"{label} 不是有效的 DXF 图纸：请在 CAD 软件中另存为 DXF 后重试") from None
    return doc


def _dxf_geometry(data: bytes, label: str, layer: str | None) -> list[LineString]:
    from ezdxf import path as dxf_path

    doc = _read_dxf(data, label)
    lines = []
    for entity in doc.modelspace():
        if entity.dxftype() not in _DXF_LINES or (layer and entity.dxf.layer != layer):
            continue
        try:
            points = [(v.x, v.y) for v in dxf_path.make_path(entity).flattening(DXF_FLATTEN_M)]
        except (TypeError, ValueError, AttributeError):
            continue
        if len(points) >= 2:
            lines.append(LineString(points))
    if not lines:
        where = f"图层“{layer}”" if layer else "模型空间"
        raise UploadError(f"{label} 的{where}中没有线（LINE、LWPOLYLINE、POLYLINE、SPLINE、ARC）")
    return lines


def read_line(filename: str, data: bytes, *, crs: str = DEFAULT_CRS, layer: str | None = None) -> UploadedLine:
    """Read a corrected line from an uploaded file.

    Parameters
    ----------
    filename
        The uploaded file's name; its suffix picks the reader.
    data
        The file's bytes.
    crs
        The CRS of a file that does not declare one (DXF always, Shapefile
        without .prj): EPSG:4549 by default, any of :func:`crs_choices`.
    layer
        For DXF: only entities on this layer.

    Raises
    ------
    UploadError
        With a Chinese message naming the file and what is wrong.
    """
    label = f"文件“{PurePath(filename or '').name}”"
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(f"{label} 的格式不受支持：请上传 " + "、".join(sorted(set(SUFFIXES.values()))))
    if not data:
        raise UploadError(f"{label} 是空文件")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{label} 超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请只保留要修正的那条线")
    crs = _check_crs(crs)
    if suffix in (".geojson", ".json"):
        geom, used = _geojson_geometry(data, label)
    elif suffix == ".kml":
        geom, used = _ogr_geometry(data, label, "EPSG:4326", suffix)
    elif suffix == ".gpkg":
        geom, used = _ogr_geometry(data, label, crs, suffix)
    elif suffix == ".zip":
        geom, used = _shapefile_geometry(data, label, crs)
    else:
        geom, used = unary_union(_dxf_geometry(data, label, layer)), crs
    line = _merge(_lines(geom), label)
    wgs = _to_wgs84(line, used, label)
    check_location(wgs, label, used)
    how = f"上传 {PurePath(filename).name}（{SUFFIXES[suffix]}，{'WGS-84' if used == 'EPSG:4326' else used}）"
    return UploadedLine(wgs, how, used, len(getattr(wgs, "geoms", [wgs])))


def line_from_drawings(drawings: list[dict] | None, datum: str, basemap_label: str = "") -> UploadedLine:
    """The line(s) traced with the map's drawing tool, in WGS-84.

    Parameters
    ----------
    drawings
        GeoJSON features from the map (``all_drawings``), in the basemap's datum.
    datum
        ``gcj02`` for 高德 basemaps (traced coordinates are shifted back to
        WGS-84), anything else for WGS-84 basemaps.
    basemap_label
        Named in the note on where the line came from.

    Raises
    ------
    UploadError
        When nothing usable was traced, or it lies far from Weicheng.
    """
    lines = []
    for feature in drawings or []:
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if geom.geom_type in ("LineString", "MultiLineString"):
            lines += _lines(geom)
    if not lines:
        raise UploadError("地图上还没有描绘的线：请用左侧工具栏的“画线”工具沿道路描绘，双击结束")
    geom = MultiLineString(lines) if len(lines) > 1 else lines[0]
    if datum == "gcj02":
        geom = geometry_to_wgs84(geom)
    geom = _merge(_lines(geom), "描绘的线")
    check_location(geom, "描绘的线", "WGS-84")
    how = f"在{basemap_label or '地图'}上描绘" + ("（GCJ-02 已转换为 WGS-84）" if datum == "gcj02" else "")
    return UploadedLine(geom, how, "EPSG:4326", len(lines))
