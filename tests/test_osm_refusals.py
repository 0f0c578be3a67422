"""What the import and the build refuse: a missing road, a corridor without data,
a same-named street far away, and a wrong shape that must fail a check."""

from __future__ import annotations

import contextlib
import io
import json
import shutil

import pytest
import shapely
from shapely.geometry import box, mapping

from layers import build as build_module
from layers.build import INPUTS, build
from layers.geometry import osm
from layers.geometry.crs import to_metric, to_wgs84
from tests.osm_synth import make_extract, truth

PLAN = INPUTS / "weicheng-14th-five-year-plan.txt"


def imported(tmp_path, **kw):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    extract = make_extract(tmp_path / "extract.osm", kw.pop("quirks", "all"), **kw)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert osm.main([str(extract), "--inputs", str(inputs)]) == 0
    return inputs, out.getvalue()


def refused_build(tmp_path, inputs, capsys):
    """Build into a folder holding a previous zones.geojson; the build must refuse. Returns the folder and
    what it said."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "zones.geojson").write_text("previous", encoding="utf-8")
    code = build_module.main(["--plan", str(PLAN), "--inputs", str(inputs), "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "构建失败，已有输出未改动" in err
    return target, err


def statuses(result, area: str, side: str) -> list[str]:
    feats = json.loads(result.files["zones.geojson"])["features"] + \
        json.loads(result.files["parks.geojson"])["features"]
    props = next(f["properties"] for f in feats if f["properties"]["name"] == area)
    return [e["geometry_status"] for e in props["bounds"][side]]


def test_a_missing_road_keeps_its_approximate_line_and_is_reported(tmp_path):
    inputs, out = imported(tmp_path, drop=("友爱路",))
    assert "未匹配 友爱路（保留原几何）：走廊内的" in out and "走廊内的名称有：" in out  # what is there instead
    result = build(plan=PLAN, inputs=inputs, log=lambda *_: None)
    assert statuses(result, "鲁台片区", "east") == ["approximate"]
    assert statuses(result, "鲁台片区", "west") == ["osm"]
    record = next(r for r in json.loads(result.files["report.json"])["coverage"] if r["feature"] == "友爱路")
    assert record["geometry_status"] == "approximate" and record["osm_share"] == 0.0
    assert "友爱路：未使用 OSM（approximate）" in result.files["report.txt"]


def test_a_corridor_without_data_stops_the_build_naming_every_area(tmp_path, capsys):
    t = truth()
    west = t.lines["拥军路"][0].coords[0][0]
    minx, miny, maxx, maxy = t.district_m.bounds
    inputs, out = imported(tmp_path, crop=box(west + 1400, miny - 5e3, maxx + 2e4, maxy + 5e3))
    assert "未匹配 拥军路（保留原几何）：走廊内没有任何 OSM 路段" in out
    target, err = refused_build(tmp_path, inputs, capsys)
    assert "3 个区域无法构建" in err
    for area in ("浮烟山片区", "高端智慧物流园", "节能环保产业园"):
        assert area in err
    assert "“宝通街”来自 OpenStreetMap，端点未能接到相邻边界" in err
    assert (target / "zones.geojson").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in target.iterdir()) == ["zones.geojson"]


def test_a_same_named_street_far_away_is_ignored_and_listed(tmp_path):
    inputs, out = imported(tmp_path, quirks=("split",), only_namesake=True)
    assert "未匹配 东风西街（保留原几何）：走廊内没有同名路段，同名路段都在走廊以外" in out
    assert "已忽略走廊外的同名路段 东风街（距 12.2 公里）" in out
    result = build(plan=PLAN, inputs=inputs, log=lambda *_: None)
    shared = [c for c in result.checks if c["check"] == "shared_edge" and c["feature"] == "东风西街"]
    assert shared and all(c["status"] == "pass" for c in shared)
    assert statuses(result, "十笏园文旅产业园", "south") == ["approximate"]


def _move(inputs, feature: str, onto: str, offset_m: float) -> None:
    """Replace one imported line by another feature's line shifted west (a wrong match)."""
    path = inputs / "gazetteer_osm.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    line = to_metric(shapely.geometry.shape(by_name[onto]["geometry"]))
    moved = to_wgs84(shapely.affinity.translate(line, xoff=-offset_m))
    by_name[feature]["geometry"] = mapping(moved)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_strip_instead_of_a_zone_fails_a_check_naming_area_side_and_cause(tmp_path):
    inputs, _ = imported(tmp_path, quirks=("split",))
    _move(inputs, "拥军路", onto="西环路", offset_m=16.0)
    result = build(plan=PLAN, inputs=inputs, log=lambda *_: None)
    area = next(c for c in result.checks if c["check"] == "area" and c["area"] == "浮烟山片区")
    assert area["status"] == "pass" and area["area_ha"] < 30  # the old 0–5000 ha check lets it pass
    failed = [c for c in result.checks if c["status"] == "fail"]
    assert {c["area"] for c in failed} == {"浮烟山片区"}
    width = next(c for c in failed if c.get("measure") == "width")
    assert width["side"] == "west" and "西侧“拥军路”" in width["detail"] and "窄条" in width["detail"]
    assert {c.get("measure") for c in failed} >= {"width", "compactness", "area_ratio"}


@pytest.mark.parametrize("offset_m", [1.0, 40.0])
def test_checks_do_not_crash_when_an_edge_misses_its_polygon(tmp_path, offset_m):
    inputs, _ = imported(tmp_path, quirks=("split",))
    _move(inputs, "拥军路", onto="西环路", offset_m=offset_m)
    result = build(plan=PLAN, inputs=inputs, log=lambda *_: None)
    assert any(c["status"] == "fail" and c["area"] == "浮烟山片区" for c in result.checks)


def test_an_implausible_area_stops_the_build_and_the_previous_layers_stay(tmp_path, capsys):
    """A 0.08 ha strip was written as 军埠口片区, labelled an OSM outline accurate to 20 m (exit code 2)."""
    inputs, _ = imported(tmp_path, quirks=("split",))
    _move(inputs, "拥军路", onto="西环路", offset_m=16.0)
    target, err = refused_build(tmp_path, inputs, capsys)
    assert "1 个区域的形状不合理" in err
    assert "浮烟山片区" in err and "窄条" in err and "gazetteer_osm.geojson" in err
    assert sorted(p.name for p in target.iterdir()) == ["zones.geojson"]
    assert (target / "zones.geojson").read_text(encoding="utf-8") == "previous"
