"""Replace approximate gazetteer lines with OpenStreetMap ways matched by name.

Usage::

    python -m layers.osm_import weicheng.osm.pbf     # or .osm, or .geojson
    python -m layers.osm_import --online             # Overpass, through osmnx
    python -m layers.build                           # rebuild the layers

Ways whose ``name`` (or ``name:zh``, ``alt_name``, ``old_name``) equals a
gazetteer name or alias are merged per feature and written to
``geodata/inputs/gazetteer_osm.geojson``, which the build prefers over the
approximate lines. Matched and unmatched names are printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from shapely.ops import unary_union

from layers.paths import INPUTS
from layers.geometry.gazetteer import Gazetteer, load_gazetteer
from layers.geometry.geojson_io import write_geojson

OUT = INPUTS / "gazetteer_osm.geojson"
#: OSM ways are mapped to a few metres; 20 m allows for centre line vs. carriageway.
OSM_ACCURACY_M = 20
_NAME_KEYS = ("name", "name:zh", "name:zh-Hans", "alt_name", "old_name", "official_name")
_HSTORE_RE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


class OsmImportError(ValueError):
    """An OSM file that cannot be read; the message names it (Chinese)."""


@dataclass
class ImportResult:
    """What an import matched, and what it did not."""

    features: list[dict]
    matched: dict[str, list[int]]
    unmatched: list[str]


def _tags(row) -> dict[str, str]:
    tags = {k: str(row[k]) for k in ("name",) if k in row and isinstance(row[k], str)}
    other = row.get("other_tags") if hasattr(row, "get") else None
    if isinstance(other, str):
        tags.update(dict(_HSTORE_RE.findall(other)))
    return tags


def read_ways(path: Path) -> gpd.GeoDataFrame:
    """Read line ways (``osm_id``, ``names``, geometry) from .osm, .osm.pbf or GeoJSON.

    Raises
    ------
    OsmImportError
        When the file is missing or is not a readable OSM or GeoJSON file.
    """
    path = Path(path)
    if not path.exists():
        raise OsmImportError(f"找不到 OSM 文件：{path}")
    is_osm = path.suffix == ".osm" or path.name.endswith(".osm.pbf") or path.suffix == ".pbf"
    try:
        frame = pyogrio.read_dataframe(path, layer="lines" if is_osm else None)
    except Exception as exc:  # GDAL raises several types for a bad file
        raise OsmImportError(f"无法读取 OSM 文件 {path}：{exc}") from exc
    if is_osm:
        names = [{v for k, v in _tags(row).items() if k in _NAME_KEYS} for _, row in frame.iterrows()]
        ids = frame["osm_id"].astype("int64")
    else:
        names = [{str(row[k]) for k in _NAME_KEYS if k in row and isinstance(row[k], str)}
                 for _, row in frame.iterrows()]
        id_col = next((c for c in ("osm_id", "osmid", "id") if c in frame.columns), None)
        if id_col is None:
            raise OsmImportError(f"{path} 缺少 osm_id/osmid 列，无法记录 OSM 路段编号")
        ids = frame[id_col].astype(str).str.extract(r"(\d+)")[0].astype("int64")
    out = gpd.GeoDataFrame({"osm_id": ids.to_numpy(), "names": names},
                           geometry=frame.geometry.to_numpy(), crs=frame.crs or "EPSG:4326")
    lines = out[out.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    return lines.to_crs("EPSG:4326")


def download_ways(polygon) -> gpd.GeoDataFrame:
    """Fetch named roads, railways and waterways inside ``polygon`` through osmnx."""
    import osmnx as ox  # imported here: only the online path needs it

    tags = {"highway": True, "railway": True, "waterway": True, "name": True}
    frame = ox.features.features_from_polygon(polygon, tags).reset_index()
    frame = frame[frame["element"] == "way"]
    names = [{str(row[k]) for k in _NAME_KEYS if k in row and isinstance(row[k], str)}
             for _, row in frame.iterrows()]
    return gpd.GeoDataFrame({"osm_id": frame["id"].astype("int64").to_numpy(), "names": names},
                            geometry=frame.geometry.to_numpy(), crs="EPSG:4326")


def _download_or_explain(inputs: Path) -> gpd.GeoDataFrame:
    from layers.geometry.gazetteer import district_geometry, load_districts

    try:
        return download_ways(district_geometry(load_districts(inputs / "districts.geojson")))
    except Exception as exc:  # network and Overpass errors come in many types
        raise OsmImportError(f"在线下载 OpenStreetMap 数据失败（{type(exc).__name__}: {exc}）。"
                             "无法联网时，请在有网络的电脑上导出 .osm/.osm.pbf 文件后离线导入") from exc


def match_ways(ways: gpd.GeoDataFrame, gazetteer: Gazetteer) -> ImportResult:
    """Group the ways by the gazetteer feature whose name or alias they carry."""
    features, matched = [], {}
    for feat in gazetteer.features:
        wanted = {feat.name, *feat.aliases}
        hits = ways[[bool(n & wanted) for n in ways["names"]]]
        if hits.empty:
            continue
        ids = sorted(int(i) for i in hits["osm_id"])
        geom = shapely.line_merge(unary_union(list(hits.geometry)))
        matched[feat.name] = ids
        features.append({"properties": {
            "name": feat.name, "aliases": feat.aliases, "kind": feat.kind,
            "source": "OpenStreetMap (© OpenStreetMap contributors, ODbL) ways "
                      + ", ".join(str(i) for i in ids),
            "accuracy_m": OSM_ACCURACY_M, "geometry_status": "osm", "osm_way_ids": ids},
            "geometry": geom})
    unmatched = [f.name for f in gazetteer.features if f.name not in matched]
    return ImportResult(features, matched, unmatched)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="用 OpenStreetMap 路段替换近似的边界地物")
    parser.add_argument("source", nargs="?", type=Path, help=".osm / .osm.pbf / .geojson 文件")
    parser.add_argument("--online", action="store_true", help="通过 osmnx 在线下载（需联网）")
    parser.add_argument("--inputs", type=Path, default=INPUTS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.source and not args.online:
        parser.error("请给出 OSM 文件，或使用 --online")
    # Match against the non-OSM gazetteer so that a re-import starts afresh.
    inputs = args.inputs
    gazetteer = load_gazetteer(inputs, use_osm=False)
    try:
        if args.online:
            ways = _download_or_explain(inputs)
        else:
            ways = read_ways(args.source)
    except OsmImportError as exc:
        print(exc, file=sys.stderr)
        return 1
    result = match_ways(ways, gazetteer)
    out = args.out or inputs / "gazetteer_osm.geojson"
    write_geojson(out, result.features, name="gazetteer_osm")
    for name, ids in result.matched.items():
        print(f"已匹配 {name}: OSM 路段 {', '.join(map(str, ids))}")
    for name in result.unmatched:
        print(f"未匹配 {name}（保留原几何）")
    print(f"共匹配 {len(result.matched)} 个地物，未匹配 {len(result.unmatched)} 个；"
          f"已写入 {out}。请运行 python -m layers.build 重建图层。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
