import pytest

from layers.maps.basemaps import available_basemaps
from layers.data import load_layers
from layers.geometry.gcj02 import wgs84_to_gcj02
from layers.maps.views import layer_geojson, view_for
from layers.maps.measure import measure_drawings
from layers.urlstate import read_query


@pytest.fixture(scope="module")
def data():
    return load_layers()


def test_amap_overlays_are_shifted_to_gcj02_and_osm_ones_are_not(data):
    maps = available_basemaps({})
    wgs = data.zones.geometry.iloc[0].exterior.coords[0]
    osm = layer_geojson(data.zones, maps["osm"], kind="zone")["features"][0]["geometry"]["coordinates"][0][0]
    amap = layer_geojson(data.zones, maps["amap"], kind="zone")["features"][0]["geometry"]["coordinates"][0][0]
    assert osm == pytest.approx(wgs, abs=1e-5)
    assert amap == pytest.approx(wgs84_to_gcj02(*wgs), abs=1e-5)
    assert (amap[0] - wgs[0]) * 111_320 * 0.80 > 400  # about half a kilometre east


def test_tianditu_is_offered_only_with_a_key():
    assert "tianditu" not in available_basemaps({})
    maps = available_basemaps({"TIANDITU_KEY": "abc123"})
    assert "tk=abc123" in maps["tianditu"].tiles[0].url and maps["tianditu"].datum == "wgs84"
    assert "none" in maps and not maps["none"].tiles


def test_measuring_a_line_and_a_polygon():
    maps = available_basemaps({})
    line = {"geometry": {"type": "LineString", "coordinates": [[119.0, 36.7], [119.0, 36.71]]}}
    square = {"geometry": {"type": "Polygon", "coordinates": [[[119.0, 36.7], [119.01, 36.7], [119.01, 36.71],
                                                               [119.0, 36.71], [119.0, 36.7]]]}}
    out = measure_drawings([line, square, {"geometry": None}], maps["osm"])
    assert out[0] == "线 1：长度 1.11 公里"
    assert "公顷" in out[1] and "亩" in out[1] and "无法识别" in out[2]
    # The same shapes drawn on an AMap basemap are in GCJ-02: measured after shifting back.
    shifted = {"geometry": {"type": "LineString", "coordinates": [list(wgs84_to_gcj02(119.0, 36.7)),
                                                                  list(wgs84_to_gcj02(119.0, 36.71))]}}
    assert measure_drawings([shifted], maps["amap"])[0] == out[0]


def test_url_state():
    zones, parks = {"zone-01": "站南片区"}, {"park-05": "医养健康产业园"}
    maps = {"osm": "OpenStreetMap", "amap": "高德"}
    view, errors = read_query({"zone": "站南", "park": "park-05", "basemap": "amap"},
                              zones=zones, parks=parks, basemaps=maps)
    assert view == {"zone": "站南片区", "park": "医养健康产业园", "basemap": "amap"} and errors == []
    view, errors = read_query({"zone": "x" * 500}, zones=zones, parks=parks, basemaps=maps)
    assert view["zone"] is None and "无效" in errors[0] and len(errors[0]) < 200


def test_view_for_zooms_in_on_small_areas():
    (lat, lon), zoom = view_for((119.0, 36.7, 119.02, 36.71))
    assert (lat, lon) == pytest.approx((36.705, 119.01)) and 12 <= zoom <= 15
    assert view_for(None)[1] == 11
