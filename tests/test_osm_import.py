import json
import shutil
from pathlib import Path

import pytest

from layers.geometry import osm as osm_import
from layers.build import INPUTS, build
from layers.geometry.gazetteer import load_gazetteer

FIXTURE = Path(__file__).parent / "fixtures" / "small.osm"


@pytest.fixture
def inputs(tmp_path):
    target = tmp_path / "inputs"
    shutil.copytree(INPUTS, target)
    return target


def test_import_matches_ways_by_name_and_reports_unmatched(inputs, capsys):
    assert osm_import.main([str(FIXTURE), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "已匹配 清平路: OSM 路段 101, 102" in out
    assert "已匹配 高家街: OSM 路段 201" in out
    assert "未匹配 长松路" in out and "已匹配 无关路" not in out
    data = json.loads((inputs / "gazetteer_osm.geojson").read_text(encoding="utf-8"))
    qingping = next(f for f in data["features"] if f["properties"]["name"] == "清平路")
    assert qingping["properties"]["osm_way_ids"] == [101, 102]
    assert qingping["properties"]["source"].startswith("OpenStreetMap")
    assert qingping["geometry"]["type"] == "LineString"  # the two ways are merged


def test_build_prefers_osm_geometry_after_import(inputs):
    osm_import.main([str(FIXTURE), "--inputs", str(inputs)])
    gaz = load_gazetteer(inputs)
    assert gaz.get("清平路").geometry_status == "osm"
    assert gaz.get("长松路").geometry_status == "approximate"
    result = build(plan=INPUTS / "weicheng-14th-five-year-plan.txt", inputs=inputs, log=lambda *_: None)
    zones = {f["properties"]["name"]: f["properties"] for f in json.loads(result.files["zones.geojson"])["features"]}
    west = zones["站南片区"]["bounds"]["west"][0]
    assert west["geometry_status"] == "osm" and "101" in west["source"]


@pytest.mark.parametrize("content", [b"", b"not xml at all", b"<osm><way"])
def test_bad_osm_file_gives_a_clear_message(tmp_path, content, capsys, inputs):
    bad = tmp_path / "bad.osm"
    bad.write_bytes(content)
    assert osm_import.main([str(bad), "--inputs", str(inputs)]) == 1
    assert "无法读取 OSM 文件" in capsys.readouterr().err


def test_missing_file_is_named(tmp_path, capsys, inputs):
    assert osm_import.main([str(tmp_path / "nope.osm"), "--inputs", str(inputs)]) == 1
    assert "找不到 OSM 文件" in capsys.readouterr().err


def test_online_import_fails_fast_without_the_overpass_status_wait(inputs, capsys, monkeypatch):
    import osmnx as ox

    seen = {}

    def offline(polygon, tags):
        seen.update(timeout=ox.settings.requests_timeout, rate_limit=ox.settings.overpass_rate_limit)
        raise ConnectionError("no route to host")

    before = (ox.settings.requests_timeout, ox.settings.overpass_rate_limit)
    monkeypatch.setattr(ox.features, "features_from_polygon", offline)
    monkeypatch.setattr(osm_import, "check_reachable", lambda url: None)
    assert osm_import.main(["--online", "--inputs", str(inputs)]) == 1
    assert "在线下载 OpenStreetMap 数据失败（ConnectionError: no route to host）" in capsys.readouterr().err
    # No ~60 s status query (rate limit off) and at most a 10 s wait for a reply ...
    assert seen == {"timeout": osm_import.ONLINE_TIMEOUT_S, "rate_limit": False}
    assert osm_import.ONLINE_TIMEOUT_S < 10
    # ... without changing osmnx's settings for anyone else in the process.
    assert (ox.settings.requests_timeout, ox.settings.overpass_rate_limit) == before


def test_import_shows_progress_and_reasons(inputs, capsys):
    assert osm_import.main([str(FIXTURE), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert out.index("[1/3]") < out.index("[2/3]") < out.index("[3/3]")
    assert "共读取 4 条路段/关系/面：道路、铁路、河流路段 4 条" in out
    assert "未匹配 长松路（保留原几何）：走廊内的" in out


def test_missing_inputs_folder_is_a_message_not_a_traceback(tmp_path, capsys):
    assert osm_import.main([str(FIXTURE), "--inputs", str(tmp_path / "none")]) == 1
    assert "导入失败：输入目录" in capsys.readouterr().err


def test_online_import_without_network_explains_itself(inputs, capsys, monkeypatch):
    def offline(_polygon):
        raise ConnectionError("no route to host")

    monkeypatch.setattr(osm_import, "download_ways", offline)
    assert osm_import.main(["--online", "--inputs", str(inputs)]) == 1
    assert "在线下载 OpenStreetMap 数据失败" in capsys.readouterr().err


def test_online_import_gives_up_when_the_server_cannot_be_reached(inputs, capsys, monkeypatch):
    import socket

    import osmnx as ox

    def refused(address, timeout):
        assert timeout <= osm_import.PROBE_TIMEOUT_S < 10
        raise ConnectionRefusedError("connection refused")

    def never(*args, **kwargs):
        raise AssertionError("no request may be sent when the server is unreachable")

    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(ox.features, "features_from_polygon", never)
    for key in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(key, raising=False)
    assert osm_import.main(["--online", "--inputs", str(inputs)]) == 1
    err = capsys.readouterr().err
    assert "在线下载 OpenStreetMap 数据失败（ConnectionError: 无法连接 overpass-api.de:443" in err
    assert "离线导入" in err


def test_online_frame_gives_ways_and_river_areas():
    import geopandas as gpd
    from shapely.geometry import LineString, box

    from layers.geometry.osm_read import from_frame

    frame = gpd.GeoDataFrame({
        "element": ["way", "way", "relation", "node"], "id": [11, 12, 13, 14],
        "highway": ["primary", None, None, None], "name": ["清平路", None, "白浪河", None],
        "natural": [None, None, "water", None], "water": [None, None, "river", None]},
        geometry=[LineString([(119.07, 36.64), (119.07, 36.70)]), LineString([(119.0, 36.6), (119.1, 36.6)]),
                  box(119.1, 36.6, 119.11, 36.7), LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    data = from_frame(frame)
    assert data.ids == [11, 12] and data.names[0] == ("清平路",)
    assert data.tags[0] == {"highway": "primary"} and data.water_ids == ["relation/13"]


def test_geojson_lines_exported_by_gdal_are_imported(tmp_path, inputs, capsys):
    import pyogrio

    lines = pyogrio.read_dataframe(FIXTURE, layer="lines")
    exported = tmp_path / "ways.geojson"
    pyogrio.write_dataframe(lines, exported, driver="GeoJSON")
    assert osm_import.main([str(exported), "--inputs", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "已匹配 清平路: OSM 路段 101, 102" in out and "已匹配 高家街: OSM 路段 201" in out


def _geojson(tmp_path, features: list[dict]) -> Path:
    path = tmp_path / "extract.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


QINGPING = [[119.0790, 36.6400], [119.0785, 36.6700], [119.0782, 36.7000]]


def test_geojson_from_osmtogeojson_with_nested_tags_and_only_a_feature_id(tmp_path, inputs, capsys):
    """osmtogeojson nests the tags under properties.tags; other tools give the id only as the feature's."""
    nested = {"type": "Feature", "id": "way/101", "properties": {"type": "way", "id": 101,
              "tags": {"highway": "primary", "name": "清平路"}}, "geometry": {"type": "LineString", "coordinates": QINGPING}}
    assert osm_import.main([str(_geojson(tmp_path, [nested])), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 101" in capsys.readouterr().out
    bare = {"type": "Feature", "id": 102, "properties": {"highway": "primary", "name": "清平路"},
            "geometry": {"type": "LineString", "coordinates": QINGPING}}
    assert osm_import.main([str(_geojson(tmp_path, [bare])), "--inputs", str(inputs)]) == 0
    assert "已匹配 清平路: OSM 路段 102" in capsys.readouterr().out


def test_an_empty_geojson_says_it_is_empty(tmp_path, inputs, capsys):
    assert osm_import.main([str(_geojson(tmp_path, [])), "--inputs", str(inputs)]) == 1
    assert "没有任何要素" in capsys.readouterr().err


def test_a_water_polygon_in_geojson_is_a_water_area(tmp_path):
    from layers.geometry.osm_read import read_extract

    square = [[119.1, 36.7], [119.11, 36.7], [119.11, 36.71], [119.1, 36.71], [119.1, 36.7]]
    water = {"type": "Feature", "id": 9, "properties": {"natural": "water", "water": "river", "name": "白浪河"},
             "geometry": {"type": "Polygon", "coordinates": [square]}}
    road = {"type": "Feature", "id": 1, "properties": {"highway": "primary"},
            "geometry": {"type": "LineString", "coordinates": QINGPING}}
    data = read_extract(_geojson(tmp_path, [water, road]))
    assert data.water_ids == ["way/9"] and len(data) == 1
