"""Load the built layers for the app, with clear errors.

The app never rebuilds geometry: it reads what ``python -m layers.build``
wrote to ``geodata/`` (layer version 0) or an approved layer version kept in
the database (its files, see :func:`load_version`). A missing or malformed
file becomes a :class:`DataError` whose Chinese message names the file and
says what to do.

Every :class:`Layers` carries a ``version_key`` (``"v0"``, ``"v3"``, ``"p12"``
for the preview of pending proposal 12): stable for the same content, so map
caches can be keyed on it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.paths import GEODATA

REQUIRED_LAYERS = ("zones", "parks", "district", "gazetteer", "edges")
#: Layers a stored version holds; the others always come from ``geodata/``.
VERSIONED_LAYERS = ("zones", "parks", "edges", "gazetteer")
#: The key of the plan-derived layers in ``geodata/``.
BASE_VERSION_KEY = "v0"
OPTIONAL_LAYERS = ("projects",)
_REQUIRED_PROPS = {"zones": {"id", "name", "bounds"}, "parks": {"id", "name", "bounds"}, "district": {"name"},
                   "gazetteer": {"name", "kind"}, "edges": {"area_id", "feature", "side"},
                   "projects": {"id", "name"}}


#: What a reader of a broken data file can do: a planner or visitor cannot rebuild, an administrator can.
REBUILD = "请联系数据管理员重新生成图层（python -m layers.build）"


class DataError(ValueError):
    """A layer file that cannot be used; the message (Chinese) names it."""


@dataclass
class Layers:
    """Every layer the app shows, as GeoDataFrames in WGS-84."""

    zones: gpd.GeoDataFrame
    parks: gpd.GeoDataFrame
    district: gpd.GeoDataFrame
    gazetteer: gpd.GeoDataFrame
    edges: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame | None = None
    targets: pd.DataFrame | None = None
    #: Why ``targets`` is None although targets.csv exists (a damaged file): the 指标 page says it.
    targets_error: str | None = None
    checks: list[dict] = field(default_factory=list)
    #: The report's OSM coverage records, one per gazetteer feature (see layers.geometry.coverage).
    coverage: list[dict] = field(default_factory=list)
    #: Which layer version this is (``v0`` = geodata/); stable, for cache keys.
    version_key: str = BASE_VERSION_KEY

    def find(self, kind: str, item_id: str) -> pd.Series | None:
        """The row of a zone, park, road or project by the id the map and search use."""
        frame = {"zone": self.zones, "park": self.parks, "road": self.gazetteer,
                 "project": self.projects}.get(kind)
        if frame is None:
            return None
        ids = frame["id"] if "id" in frame else "feature-" + frame["name"]
        match = frame[ids == item_id]
        return match.iloc[0] if len(match) else None


def parse_layer(text: str, name: str, label: str) -> gpd.GeoDataFrame:
    """Read one GeoJSON layer from text and check the properties the app relies on.

    Parameters
    ----------
    text
        The GeoJSON text.
    name
        The layer (``zones``, ``parks`` …): which properties are required.
    label
        How messages name the file (``zones.geojson`` or ``版本 3 的 zones.geojson``).

    Raises
    ------
    DataError
        When the text is not JSON, not a FeatureCollection, or a feature lacks
        a required property.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"图层文件 {label} 在第 {exc.lineno} 行第 {exc.colno} 列处不是有效的 JSON（文件可能不完整）"
                        f"：{REBUILD}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(f"图层文件 {label} 不是 GeoJSON FeatureCollection")
    features = data.get("features") or []
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        missing = _REQUIRED_PROPS[name] - set(props or {})
        if missing:
            raise DataError(f"图层文件 {label} 第 {i} 个要素缺少属性：{'、'.join(sorted(missing))}")
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    except Exception as exc:  # shapely/pandas raise several types on bad geometry
        raise DataError(f"图层文件 {label} 的几何无法读取：{REBUILD}") from exc
    # A NaN coordinate passes the parser, then Leaflet refuses the whole map ("Invalid LatLng").
    bad = [i for i, g in enumerate(frame.geometry, start=1)
           if g is not None and not g.is_empty and not np.isfinite(shapely.get_coordinates(g)).all()]
    if bad:
        raise DataError(f"图层文件 {label} 第 {'、'.join(map(str, bad[:5]))} 个要素的坐标不是有限数（如 NaN）：{REBUILD}")
    if frame.empty:
        frame = gpd.GeoDataFrame({c: [] for c in _REQUIRED_PROPS[name]}, geometry=[], crs="EPSG:4326")
    return frame


def read_layer(path: Path, name: str) -> gpd.GeoDataFrame:
    """Read one GeoJSON layer and check the properties the app relies on.

    Raises
    ------
    DataError
        When the file is missing, not JSON, not a FeatureCollection, or lacks
        a required property.
    """
    if not path.exists():
        raise DataError(f"缺少图层文件 {path.name}：{REBUILD}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"图层文件 {path.name} 不是 UTF-8 文本：{REBUILD}") from exc
    return parse_layer(text, name, path.name)


def parse_report(text: str, unreadable: str) -> tuple[list[dict], list[dict]]:
    """The checks and the OSM coverage records of a build report (``report.json``).

    ``unreadable`` is the Chinese message for a report that is not valid JSON; ``{exc}`` in it
    is replaced by the parser's error.
    """
    try:
        report = json.loads(text)
        return list(report.get("checks") or []), list(report.get("coverage") or [])
    except (json.JSONDecodeError, AttributeError) as exc:
        raise DataError(unreadable.format(exc=exc)) from exc


def read_report(path: Path) -> tuple[list[dict], list[dict]]:
    """The checks and coverage the build wrote (both empty when there is no report)."""
    if not path.exists():
        return [], []
    return parse_report(path.read_text(encoding="utf-8"),
                        f"检查报告 {path.name} 无法读取（不完整或不是 JSON）：{REBUILD}")


def load_layers(geodata: Path = GEODATA) -> Layers:
    """Load every built layer; optional ones are ``None`` when not built yet."""
    frames = {name: read_layer(geodata / f"{name}.geojson", name) for name in REQUIRED_LAYERS}
    for name in OPTIONAL_LAYERS:
        path = geodata / f"{name}.geojson"
        frames[name] = read_layer(path, name) if path.exists() else None
    targets, targets_error = read_targets(geodata / "targets.csv")
    checks, coverage = read_report(geodata / "report.json")
    return Layers(**frames, targets=targets, targets_error=targets_error, checks=checks, coverage=coverage)


#: The columns every page that shows targets reads.
TARGET_COLUMNS = ("id", "indicator", "value", "unit", "kind", "scope", "category")


def read_targets(path: Path) -> tuple[pd.DataFrame | None, str | None]:
    """The target table, or None and why: a damaged targets.csv must not take the map down with it.

    Returns ``(None, None)`` when the file was never built.
    """
    if not path.exists():
        return None, None
    try:
        targets = pd.read_csv(path, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, f"指标表 {path.name} 不是 UTF-8 文本（可能被另存为 GBK）：{REBUILD}"
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f"第 {line.group(1)} 行" if line else "某一行"
        return None, f"指标表 {path.name} {where}的列数与表头不符（文件被改动或损坏）：{REBUILD}"
    except (OSError, pd.errors.EmptyDataError):
        return None, f"指标表 {path.name} 无法读取或是空的：{REBUILD}"
    missing = [c for c in TARGET_COLUMNS if c not in targets.columns]
    if missing:
        return None, f"指标表 {path.name} 缺少列：{'、'.join(missing)}：{REBUILD}"
    return targets, None


def load_version(files: dict[str, str], version_key: str, geodata: Path = GEODATA) -> Layers:
    """Layers of a stored version: its zones/parks/edges/gazetteer and checks, the rest from ``geodata/``.

    Parameters
    ----------
    files
        The version's files (``{"zones.geojson": text, …, "report.json": text}``).
    version_key
        Its stable key (``"v3"``, ``"p12"``).
    geodata
        Where the unversioned layers (district, projects, targets) come from.
    """
    base = load_layers(geodata)
    frames = {}
    for name in VERSIONED_LAYERS:
        text = files.get(f"{name}.geojson")
        if text is None:
            raise DataError(f"版本 {version_key} 缺少图层 {name}.geojson")
        frames[name] = parse_layer(text, name, f"{version_key} 的 {name}.geojson")
    checks, coverage = parse_report(files.get("report.json") or "{}", f"版本 {version_key} 的检查报告无法读取（不完整或不是 JSON）")
    return dataclasses.replace(base, **frames, checks=checks, coverage=coverage, version_key=version_key)
