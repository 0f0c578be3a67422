"""Replace approximate gazetteer lines with OpenStreetMap ways matched by name and place.

Usage::

    python -m layers.osm_import weicheng.osm.pbf     # or .osm, or .geojson
    python -m layers.osm_import --online             # Overpass, through osmnx
    python -m layers.build                           # rebuild the layers

For every gazetteer feature the ways inside its corridor that carry its
name, an alias or a directional variant are collapsed into one centre line
(:mod:`layers.geometry.conflate`), their ends are snapped to the crossing
features, and the result is written to ``geodata/inputs/gazetteer_osm.geojson``
with the way ids and a coverage record (``osm_match``) that the build reports.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import shapely
from shapely.ops import nearest_points

from layers.paths import INPUTS, PLAN_FILE
from layers.plan.areas import extract_areas
from layers.plan.text import read_plan
from layers.geometry.conflate import (FeatureMatch, MetricWays, corner_partners, facing_constraints, match_feature,
                                      snap_ends)
from layers.geometry.crs import to_metric, to_wgs84
from layers.geometry.gazetteer import Gazetteer, district_geometry, load_districts, load_gazetteer
from layers.geometry.geojson_io import geometry_json, write_geojson
from layers.geometry.osm_read import OsmData, OsmImportError, from_frame, read_extract
from layers.geometry.polygons import EXTEND_M, extend_lines

__all__ = ["OsmImportError", "ImportResult", "import_extract", "main", "read_extract"]

OUT = INPUTS / "gazetteer_osm.geojson"
#: OSM ways are mapped to a few metres; 20 m allows for centre line vs. carriageway.
OSM_ACCURACY_M = 20
#: Line ends are snapped to a crossing feature up to this far (T-junction gaps of
#: about 100 m, plus the few metres a centre line ends short of its ways).
SNAP_TOL_M = 120.0
#: Snaps longer than this get a notice.
NOTICE_SNAP_M = 10.0
#: A way may lie this far (plus the other line's accuracy) on the wrong side of a
#: feature the plan puts across an area from it before it is left out.
TOPOLOGY_MARGIN_M = 100.0
#: Seconds the online import waits for Overpass before it gives up.
ONLINE_TIMEOUT_S = 8
#: Seconds allowed to reach the Overpass server at all (name lookup and connect).
PROBE_TIMEOUT_S = 3.0
_SKIP_KINDS = {"border"}
_ATTRIBUTION = "OpenStreetMap (© OpenStreetMap contributors, ODbL)"


class ImportResult:
    """What an import matched, and what it did not."""

    def __init__(self, features: list[dict], matches: dict[str, FeatureMatch]):
        self.features = features
        self.matches = matches
        self.matched = {n: m.way_ids for n, m in matches.items() if m.matched}
        self.unmatched = [n for n, m in matches.items() if not m.matched]


def check_reachable(url: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Raise ``ConnectionError`` unless ``url``'s host accepts a connection within ``timeout`` s.

    The probe runs in a daemon thread, so a name lookup that hangs (a DNS server
    that does not answer) cannot hold the import longer than ``timeout``.
    Skipped behind a proxy, where only the proxy is reachable directly.
    """
    if any(os.environ.get(k) for k in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")):
        return
    parts = urlparse(url)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    outcome: dict = {}

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            outcome["ok"] = True
        except OSError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome.get("ok"):
        raise ConnectionError(f"无法连接 {host}:{port}（{outcome.get('error') or f'{timeout:.0f} 秒无响应'}）")


def download_ways(polygon) -> OsmData:
    """Fetch roads, railways and waterways inside ``polygon`` through osmnx (fails fast offline)."""
    import osmnx as ox  # imported here: only the online path needs it

    check_reachable(ox.settings.overpass_url)
    saved = (ox.settings.requests_timeout, ox.settings.overpass_rate_limit)
    # Without this osmnx first asks Overpass for a slot and waits ~60 s when offline.
    ox.settings.requests_timeout, ox.settings.overpass_rate_limit = ONLINE_TIMEOUT_S, False
    try:
        tags = {"highway": True, "railway": True, "waterway": True, "natural": "water"}
        frame = ox.features.features_from_polygon(polygon, tags).reset_index()
    finally:
        ox.settings.requests_timeout, ox.settings.overpass_rate_limit = saved
    return from_frame(frame)


def _download_or_explain(inputs: Path) -> OsmData:
    try:
        return download_ways(district_geometry(load_districts(inputs / "districts.geojson")))
    except Exception as exc:  # network and Overpass errors come in many types
        raise OsmImportError(f"在线下载 OpenStreetMap 数据失败（{type(exc).__name__}: {exc}）。"
                             "无法联网时，请在有网络的电脑上导出 .osm/.osm.pbf 文件后离线导入") from exc


def _plan_topology(inputs: Path, gazetteer: Gazetteer) -> tuple[dict[str, set[str]], dict[str, set]]:
    """From the plan next to the inputs: features meeting at area corners, and features facing each other."""
    plan = inputs / PLAN_FILE.name if (inputs / PLAN_FILE.name).exists() else PLAN_FILE
    zones, parks = extract_areas(read_plan(plan).text)

    def resolve(name: str) -> str | None:
        return gazetteer.get(name).name if name in gazetteer else None

    return corner_partners([*zones, *parks], resolve), facing_constraints([*zones, *parks], resolve)


def _topology(name: str, gazetteer: Gazetteer, facing: dict[str, set] | None) -> list:
    """(rule, the other feature's approximate line extended, tolerance) for one feature."""
    out = []
    for rule in sorted((facing or {}).get(name, set()), key=lambda r: (r.other, r.side)):
        other = gazetteer.get(rule.other)
        # The other line may be off by its accuracy; beyond that the plan's order holds.
        out.append((rule, extend_lines(to_metric(other.geometry), EXTEND_M), other.accuracy_m + TOPOLOGY_MARGIN_M))
    return out


def _feature_props(feat, match: FeatureMatch, observed) -> dict:
    ids = sorted({*match.way_ids, *match.inferred_ids})
    return {
        "name": feat.name, "aliases": feat.aliases, "kind": feat.kind,
        "source": f"{_ATTRIBUTION} ways " + ", ".join(str(i) for i in ids),
        "accuracy_m": OSM_ACCURACY_M, "geometry_status": "osm", "osm_way_ids": ids,
        "osm_match": _match_record(match, observed),
    }


def _match_record(match: FeatureMatch, observed) -> dict:
    line = match.line
    return {
        "named_way_ids": match.way_ids, "inferred_way_ids": match.inferred_ids,
        "slip_way_ids": match.slip_ids,
        "variants": {k: sorted(set(v)) for k, v in sorted(match.variants.items())},
        "near_miss": {k: sorted(set(v)) for k, v in sorted(match.near_miss.items())},
        "outside_corridor": match.outside,
        "wrong_side": {k: sorted(set(v)) for k, v in sorted(match.wrong_side.items())},
        "collapsed_width_m": round(line.width_m, 1),
        "inferred": [{"from_m": s.start_m, "to_m": s.end_m} for s in line.inferred],
        "bridged": [{"from_m": s.start_m, "to_m": s.end_m} for s in line.bridged],
        "snaps": match.snaps, "notes": match.notes,
        "observed_geometry": geometry_json(to_wgs84(observed)) if observed is not None else None,
    }


def _observed(match: FeatureMatch):
    """The stretches of the centre line seen in the data (before bridging, inference and end snaps)."""
    return match.line.observed


def conflate(data: OsmData, gazetteer: Gazetteer, district_m, log=print, *,
             partners: dict[str, set[str]] | None = None,
             facing: dict[str, set] | None = None) -> dict[str, FeatureMatch]:
    """Match every feature, then snap line ends to their corner partners and the district border.

    ``facing`` (from the plan) keeps each feature on its side of the features
    across its areas; ``partners`` are the features it meets at their corners.
    """
    ways = MetricWays.from_data(data)
    matches: dict[str, FeatureMatch] = {}
    for k, feat in enumerate(gazetteer.features):
        if feat.kind in _SKIP_KINDS:
            continue
        matches[feat.name] = match_feature(feat, ways, _topology(feat.name, gazetteer, facing))
        if (k + 1) % 10 == 0:
            log(f"      已匹配 {k + 1}/{len(gazetteer.features)} 个地物…")
    _snap(matches, gazetteer, district_m, partners)
    for match in matches.values():
        match.notes += gap_notes(match)
    return matches


#: A break in a matched line wider than this is named in the import's output; beyond this many
#: breaks (a clipped extract) one line sums them up.
GAP_NOTICE_M = 50.0
GAPS_LISTED = 3


def gap_notes(match: FeatureMatch) -> list[str]:
    """A notice for each break in the matched line: there the build has no line to close an area with.

    A road whose middle is missing from the extract (or named otherwise there, as a bridge often is)
    was reported as matched, and the build then failed naming only the area.
    """
    parts = [p for p in match.line.parts if p.length > 0]
    gaps, joined = [], {0}
    while parts and len(joined) < len(parts):  # the gaps that join the parts most closely (Prim)
        gap, i, j = min((parts[i].distance(parts[j]), i, j) for i in joined
                        for j in range(len(parts)) if j not in joined)
        joined.add(j)
        if gap > GAP_NOTICE_M:
            a, b = nearest_points(parts[i], parts[j])
            lon, lat = to_wgs84(shapely.Point((a.x + b.x) / 2, (a.y + b.y) / 2)).coords[0]
            gaps.append((gap, f"（{lon:.5f}, {lat:.5f}）"))
    why = "：该处 OSM 数据缺失或路名不同（如桥梁），相邻区域可能无法围合，请核实或在 OSM 中补齐"
    if len(gaps) <= GAPS_LISTED:
        return [f"线位在{where}处断开约 {gap:.0f} 米{why}" for gap, where in gaps]
    widest, where = max(gaps)
    return [f"线位断开 {len(gaps)} 处，共约 {sum(g for g, _ in gaps):.0f} 米，最宽 {widest:.0f} 米在{where}{why}"]


def _snap(matches: dict[str, FeatureMatch], gazetteer: Gazetteer, district_m, partners) -> None:
    lines = {n: m.line.geometry for n, m in matches.items() if m.matched}
    # Lines kept from other sources are extended as the build will extend them.
    targets = {f.name: extend_lines(to_metric(f.geometry), EXTEND_M)
               for f in gazetteer.features if f.name not in lines}
    targets["区界"] = district_m.boundary
    found: dict[str, list[dict]] = {}
    # Two rounds: an end that reached only the extension of its partner in the
    # first round pulls the partner's end to the same corner in the second.
    for _ in range(2):
        lines, snaps = snap_ends(lines, {**targets, **lines}, tolerance=SNAP_TOL_M,
                                 partners=partners, always=("区界",))
        for name, items in snaps.items():
            found.setdefault(name, []).extend(items)
    for name, geom in lines.items():
        m = matches[name]
        m.line.parts = list(getattr(geom, "geoms", [geom]))
        m.snaps = found.get(name, [])
        m.notes += [f"{'起点' if s['end'] == 'start' else '终点'}延伸 {s['distance_m']:.0f} 米接到“{s['to']}”"
                    for s in m.snaps if s["distance_m"] > NOTICE_SNAP_M]
    _snap_banks(matches, {**targets, **lines}, partners)


def _snap_banks(matches: dict[str, FeatureMatch], finished: dict, partners) -> None:
    """Banks meet what their river meets, on those lines as they now are (never on an extension)."""
    banks = {bank: name for name, m in matches.items() for bank in m.banks}
    if not banks:
        return
    lines = {bank: matches[river].banks[bank]["geometry"] for bank, river in banks.items()}
    bank_partners = {bank: (partners or {}).get(river, set()) for bank, river in banks.items()}
    snapped, _ = snap_ends(lines, {**finished, **lines}, tolerance=SNAP_TOL_M,
                           partners=bank_partners, always=("区界",), extend_targets=False)
    for bank, geom in snapped.items():
        matches[banks[bank]].banks[bank]["geometry"] = geom


def import_extract(data: OsmData, inputs: Path, log=print) -> ImportResult:
    """Match an extract against the (non-OSM) gazetteer in ``inputs``; return features to write."""
    gazetteer = load_gazetteer(inputs, use_osm=False)
    district_m = to_metric(district_geometry(load_districts(inputs / "districts.geojson")))
    partners, facing = _plan_topology(inputs, gazetteer)
    matches = conflate(data, gazetteer, district_m, log, partners=partners, facing=facing)
    features = []
    for feat in gazetteer.features:
        match = matches.get(feat.name)
        if match is None:
            continue
        if match.matched:
            features.append({"properties": _feature_props(feat, match, _observed(match)),
                             "geometry": to_wgs84(match.line.geometry)})
        for bank, info in sorted(match.banks.items()):
            features.append({"properties": {
                "name": bank, "aliases": [], "kind": "river",
                "source": f"{_ATTRIBUTION}: bank of the water area " + ", ".join(info["water_ids"]),
                "accuracy_m": OSM_ACCURACY_M, "geometry_status": "osm", "osm_way_ids": [],
                "osm_match": {"water_areas": info["water_ids"], "bank_of": feat.name,
                              "observed_geometry": geometry_json(to_wgs84(info["geometry"]))}},
                "geometry": to_wgs84(info["geometry"])})
    return ImportResult(features, matches)


def _print_summary(result: ImportResult, out: Path | None) -> None:
    for name, m in result.matches.items():
        if m.matched:
            extra = f"（推断 {len(m.inferred_ids)} 段）" if m.inferred_ids else ""
            print(f"已匹配 {name}: OSM 路段 {', '.join(map(str, m.way_ids))}{extra}")
            for variant, ids in sorted(m.variants.items()):
                print(f"  别名/方向变体 {variant} → {name}: {', '.join(map(str, sorted(ids)))}，请核实")
        else:
            print(f"未匹配 {name}（保留原几何）：{m.reason()}")
        for far in m.outside:
            print(f"  已忽略走廊外的同名路段 {far['name']}（距 {far['distance_km']} 公里）: "
                  f"{', '.join(map(str, far['way_ids']))}")
        for where, ids in sorted(m.wrong_side.items()):
            print(f"  已忽略四至另一侧的同名路段（应在{where}）: {', '.join(map(str, sorted(ids)))}")
        for near, ids in sorted(m.near_miss.items()):
            print(f"  名称相近但未采用 {near}: {', '.join(map(str, sorted(ids)))}")
        for note in m.notes:
            print(f"  提示：{name} {note}")
    if out is not None:
        print(f"共匹配 {len(result.matched)} 个地物，未匹配 {len(result.unmatched)} 个；"
              f"已写入 {out}。请运行 python -m layers.build 重建图层。")


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
    try:
        print("[1/3] 读取 OpenStreetMap 数据…", flush=True)
        data = _download_or_explain(args.inputs) if args.online else read_extract(args.source)
        print("[2/3] 按名称与走廊匹配地物…", flush=True)
        result = import_extract(data, args.inputs)
    except OsmImportError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (OSError, ValueError, LookupError) as exc:  # missing or broken input folder
        print(f"导入失败：输入目录 {args.inputs} 中的数据无法读取（{exc}）", file=sys.stderr)
        return 1
    for note in data.notes:
        print(f"  提示：{note}")
    out = args.out or args.inputs / "gazetteer_osm.geojson"
    if not result.matched:
        print(f"导入未完成，{out.name} 未改动：文件中的路段没有一条与规划的边界地物对上"
              f"（{len(result.unmatched)} 个地物都未匹配）。请确认提取范围覆盖潍城区，"
              "且文件带有 name 标签（osmtogeojson 的 properties.tags 也可）。", file=sys.stderr)
        _print_summary(result, None)
        return 1
    print("[3/3] 写入结果", flush=True)
    try:
        write_geojson(out, result.features, name="gazetteer_osm")
    except OSError as exc:
        print(f"导入结果无法写入 {out}（{_why_not_written(out, exc)}）：请用 --out 指定一个可写的 .geojson 文件路径",
              file=sys.stderr)
        return 1
    _print_summary(result, out)
    return 0


def _why_not_written(out: Path, exc: OSError) -> str:
    if out.is_dir():
        return "这是一个文件夹"
    if not out.parent.is_dir():
        return "上一级不是文件夹"
    return "没有写入权限" if isinstance(exc, PermissionError) else "写入出错"


if __name__ == "__main__":
    sys.exit(main())
