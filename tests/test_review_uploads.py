"""Corrected lines from files and from the map: every format, CRS choice and bad input."""

from __future__ import annotations

import io
import re
import json
import zipfile

import ezdxf
import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, Point, mapping, shape
from shapely.ops import substring

from layers.geometry.crs import to_metric
from layers.geometry.gcj02 import geometry_to_gcj02
from layers.review.rebuild import base_files, features_of
from layers.review.uploads import (DEFAULT_CRS, UploadError, crs_choices, dxf_layers, line_from_drawings,
                                   read_line)


@pytest.fixture(scope="module")
def road():
    """清平路 as the layers hold it (WGS-84)."""
    return next(shape(f["geometry"]) for f in features_of(base_files(), "gazetteer.geojson")
                if f["properties"]["name"] == "清平路")


def _project(geom, crs):
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return LineString([t.transform(x, y) for x, y in geom.coords])


def _dxf(lines_by_layer: dict[str, list[LineString]], *, kind: str = "LWPOLYLINE") -> bytes:
    doc = ezdxf.new()
    msp = doc.modelspace()
    for layer, lines in lines_by_layer.items():
        if layer not in doc.layers:
            doc.layers.add(layer)
        for line in lines:
            coords = list(line.coords)
            if kind == "LINE":
                for a, b in zip(coords, coords[1:]):
                    msp.add_line(a, b, dxfattribs={"layer": layer})
            else:
                msp.add_lwpolyline(coords, dxfattribs={"layer": layer})
    buffer = io.StringIO()
    doc.write(buffer)
    return buffer.getvalue().encode("utf-8")


def _shift_m(a, b) -> float:
    return to_metric(a).hausdorff_distance(to_metric(b))


def test_crs_choices_offer_4549_first_and_every_cgcs2000_zone():
    codes = list(crs_choices())
    assert codes[0] == DEFAULT_CRS == "EPSG:4549"
    assert set(codes) == {"EPSG:4490", *{f"EPSG:{c}" for c in range(4513, 4555)}}


@pytest.mark.parametrize("kind", ["LWPOLYLINE", "LINE"])
def test_dxf_in_the_default_crs_reads_back_onto_the_road(road, kind):
    data = _dxf({"道路中线": [_project(road, "EPSG:4549")]}, kind=kind)
    line = read_line("清平路.dxf", data)
    assert line.crs == "EPSG:4549"
    assert _shift_m(line.geometry, road) < 0.01
    assert "EPSG:4549" in line.how and "DXF" in line.how


def test_dxf_in_a_zone_numbered_crs_needs_that_choice(road):
    data = _dxf({"0": [_project(road, "EPSG:4528")]})  # zone 40 (CM 120E) with the zone prefix in x
    assert _shift_m(read_line("x.dxf", data, crs="EPSG:4528").geometry, road) < 0.01
    with pytest.raises(UploadError) as info:
        read_line("x.dxf", data)  # read as EPSG:4549: thousands of km away
    assert "坐标系可能选错" in str(info.value) and "EPSG:4549" in str(info.value)


def test_dxf_layer_choice_keeps_only_that_layer(road):
    other = affinity.translate(_project(road, "EPSG:4549"), xoff=300)
    data = _dxf({"道路中线": [_project(road, "EPSG:4549")], "红线": [other]})
    assert dxf_layers(data) == {"红线": 1, "道路中线": 1}
    assert _shift_m(read_line("a.dxf", data, layer="道路中线").geometry, road) < 0.01
    assert _shift_m(read_line("a.dxf", data, layer="红线").geometry, road) == pytest.approx(300, abs=1)
    with pytest.raises(UploadError, match="图层“无此层”"):
        read_line("a.dxf", data, layer="无此层")


def test_a_dxf_line_in_another_zone_lands_far_away_and_is_refused(road):
    data = _dxf({"0": [_project(road, "EPSG:4549")]})
    with pytest.raises(UploadError) as info:
        read_line("a.dxf", data, crs="EPSG:4546")  # CM 111E: the same numbers lie ~800 km west
    assert "位于潍城区以外" in str(info.value) and "EPSG:4546" in str(info.value)


def test_geojson_kml_gpkg_and_zipped_shapefile_read_the_same_line(road, tmp_path):
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "清平路"},
                                                     "geometry": mapping(road)}]}
    assert _shift_m(read_line("a.geojson", json.dumps(fc).encode()).geometry, road) < 0.01
    coords = " ".join(f"{x},{y}" for x, y in road.coords)
    kml = (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           f"<Placemark><name>清平路</name><LineString><coordinates>{coords}</coordinates></LineString></Placemark>"
           "</Document></kml>")
    assert _shift_m(read_line("a.kml", kml.encode()).geometry, road) < 0.01
    frame = gpd.GeoDataFrame({"name": ["清平路"]}, geometry=[road], crs="EPSG:4326").to_crs("EPSG:4549")
    frame.to_file(tmp_path / "a.gpkg", driver="GPKG")
    line = read_line("a.gpkg", (tmp_path / "a.gpkg").read_bytes(), crs="EPSG:4490")
    assert line.crs == "EPSG:4549"  # the file's own CRS wins over the choice
    assert _shift_m(line.geometry, road) < 0.01
    frame.to_file(tmp_path / "road.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            if (tmp_path / f"road{suffix}").exists():
                zf.write(tmp_path / f"road{suffix}", f"road{suffix}")
    assert _shift_m(read_line("road.zip", buffer.getvalue()).geometry, road) < 0.01


def test_several_pieces_of_one_road_are_merged(road):
    pieces = [substring(road, 0, 0.5, normalized=True), substring(road, 0.5, 1, normalized=True)]
    fc = {"type": "FeatureCollection",
          "features": [{"type": "Feature", "properties": {}, "geometry": mapping(p)} for p in pieces]}
    line = read_line("a.geojson", json.dumps(fc).encode())
    assert line.geometry.geom_type == "LineString" and _shift_m(line.geometry, road) < 0.01


@pytest.mark.parametrize(("name", "data", "words"), [
    ("a.geojson", b"{not json", ["不是有效的 GeoJSON"]),
    ("a.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [119.1, 36.7]}}]}).encode(),
     ["没有线要素"]),
    ("a.geojson", json.dumps({"type": "LineString", "coordinates": [[420000, 4060000], [421000, 4061000]]}).encode(),
     ["不是经纬度"]),
    ("a.geojson", json.dumps({"type": "LineString", "coordinates": [[116.39, 39.9], [116.4, 39.91]]}).encode(),
     ["位于潍城区以外", "公里"]),
    ("a.dxf", b"0\nSECTION\n2\nENTITIES\nthis is not dxf", ["DXF"]),
    ("a.dxf", b"", ["空文件"]),
    ("a.kml", b"<kml><Document><Placemark>", ["无法读取"]),
    ("a.gpkg", b"SQLite format 3\x00garbage", ["无法读取"]),
    ("a.zip", b"PK\x03\x04broken", ["zip"]),
    ("a.shp", b"whatever", ["格式不受支持"]),
    ("a.geojson", b"x" * (8 * 1024 * 1024 + 1), ["超过 8 MB"]),
])
def test_bad_uploads_get_a_chinese_message_naming_the_file(name, data, words):
    with pytest.raises(UploadError) as info:
        read_line(name, data)
    assert f"“{name}”" in str(info.value) or name.endswith(".dxf") and not data
    for word in words:
        assert word in str(info.value)
    # No library's English, no server path: "ERROR parsing kml /tmp/tmpcs25y7_p/upload.kml :syntax error…"
    formats = ("GeoJSON", "GeoPackage", "Shapefile", "KML", "GIS", "DXF", "CAD", "EPSG")
    assert not re.search(r"[A-Za-z]{4,}", re.sub("|".join(formats), "", str(info.value).replace(name, ""))), info.value
    assert "/tmp" not in str(info.value)


def test_zip_without_shx_is_refused(tmp_path, road):
    gpd.GeoDataFrame(geometry=[road], crs="EPSG:4326").to_file(tmp_path / "r.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.write(tmp_path / "r.shp", "r.shp")
        zf.write(tmp_path / "r.dbf", "r.dbf")
    with pytest.raises(UploadError, match="缺少 .shx"):
        read_line("r.zip", buffer.getvalue())


def test_unknown_crs_choice_is_refused(road):
    with pytest.raises(UploadError, match="坐标系"):
        read_line("a.dxf", _dxf({"0": [_project(road, "EPSG:4549")]}), crs="EPSG:3857")


def test_a_line_traced_on_amap_is_converted_from_gcj02_back_to_wgs84(road):
    traced = geometry_to_gcj02(road)  # what Leaflet reports when the overlays sit on 高德 tiles
    assert _shift_m(traced, road) > 400  # the datum shift near Weifang is ~500 m
    drawings = [{"type": "Feature", "properties": {}, "geometry": mapping(traced)}]
    line = line_from_drawings(drawings, "gcj02", "高德地图（卫星）")
    assert _shift_m(line.geometry, road) < 0.01
    assert "GCJ-02 已转换为 WGS-84" in line.how
    on_osm = line_from_drawings([{"type": "Feature", "properties": {}, "geometry": mapping(road)}], "wgs84")
    assert _shift_m(on_osm.geometry, road) < 0.01


def test_tracing_nothing_or_only_points_is_refused():
    with pytest.raises(UploadError, match="还没有描绘的线"):
        line_from_drawings([], "wgs84")
    with pytest.raises(UploadError, match="还没有描绘的线"):
        line_from_drawings([{"type": "Feature", "geometry": mapping(Point(119.1, 36.7))}], "wgs84")
