"""Road-stretch projects drawn on the gazetteer line, cut between the two crossings (EPSG:4549)."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString, shape

from layers.build import project_feature
from layers.geometry.crs import to_metric, to_wgs84
from layers.geometry.gazetteer import Gazetteer, GazetteerFeature
from layers.geometry.stretch import cut_stretch
from layers.plan.projects import road_stretch
from layers.plan.sections import Citation
from layers.plan.projects import Mention, PlanProject

# A synthetic street grid near Weicheng, in EPSG:4549 metres: one east–west road, three crossings.
X0, Y0 = 410_000.0, 4_060_000.0


def _feature(name: str, coords, *, accuracy: float = 600.0, status: str = "approximate",
             aliases=()) -> GazetteerFeature:
    line_m = LineString([(X0 + x, Y0 + y) for x, y in coords])
    return GazetteerFeature(name=name, kind="road", geometry=to_wgs84(line_m), source="test",
                            accuracy_m=accuracy, geometry_status=status, aliases=list(aliases))


@pytest.fixture()
def grid() -> Gazetteer:
    return Gazetteer([
        _feature("宝通街", [(0, 0), (10_000, 0)], aliases=["宝通西街"]),
        _feature("西环路", [(7_000, -2_000), (7_000, 2_000)], accuracy=1000.0),
        _feature("昌乐界", [(500, -3_000), (300, 3_000)], accuracy=100.0, status="derived"),
        _feature("远路", [(-9_000, -2_000), (-9_000, 2_000)]),
        # Stops 500 m short of 宝通街: within what the polygon builder extends (800 m).
        _feature("短路", [(4_000, 500), (4_000, 3_000)]),
    ])


def test_stretch_is_the_road_between_its_two_crossings(grid):
    cut = cut_stretch("宝通西街", "西环路", "昌乐界", grid)
    assert cut.line_m is not None and cut.geometry_status == "approximate"
    xs = sorted(x - X0 for x, _ in cut.line_m.coords)
    assert xs[0] == pytest.approx(400, abs=5) and xs[-1] == pytest.approx(7_000, abs=5)
    assert cut.line_m.length == pytest.approx(6_600, abs=10)
    assert cut.accuracy_m == 1000.0   # the worst of the three lines


def test_a_crossing_within_the_extension_counts(grid):
    cut = cut_stretch("宝通街", "短路", "西环路", grid)
    assert cut.line_m.length == pytest.approx(3_000, abs=5)


@pytest.mark.parametrize("road, start, end, words", [
    ("北宫西街", "安顺路", "昌乐界", "地物表中没有“北宫西街”、“安顺路”"),
    ("宝通街", "远路", "西环路", "未到达远路（相距约9.0公里）"),
    ("宝通街", "西环路", "西环路", "几乎重合"),
])
def test_no_stretch_is_drawn_when_an_end_is_unknown_or_not_reached(grid, road, start, end, words):
    cut = cut_stretch(road, start, end, grid)
    assert cut.line_m is None and words in cut.reason


def _project(name: str) -> PlanProject:
    cite = Citation("六", "高标准推进品质城市建设提升城市发展能级", "二", "提升基础设施支撑能力", 1)
    mention = Mention("规划实施…等道路扩宽及快速化改造工程。", "…", cite, status="planned", status_words="规划实施")
    return PlanProject("project-900", name, "infrastructure", "planned", None, None, mention.quote, cite,
                       [mention], stretch=road_stretch(name))


def test_layer_feature_is_the_stretch_labelled_with_accuracy_and_precision(grid):
    feat = project_feature(_project("宝通西街(西环路至昌乐界段)扩宽及快速化改造"), {}, grid)
    props = feat["properties"]
    assert props["location_precision"] == "road_stretch" and props["accuracy_m"] == 1000.0
    assert props["road_stretch"] == {"road": "宝通西街", "from": "西环路", "to": "昌乐界"}
    line = to_metric(shape(json.loads(json.dumps(feat["geometry"].__geo_interface__))))
    assert line.geom_type == "LineString" and line.length == pytest.approx(6_600, abs=10)
    assert props["length_m"] == pytest.approx(6_600, abs=10)


def test_layer_feature_stays_unlocated_with_the_reason(grid):
    feat = project_feature(_project("北宫西街(安顺路至昌乐界段)扩宽及快速化改造"), {}, grid)
    assert feat["geometry"] is None
    assert feat["properties"]["location_precision"] == "unlocated"
    assert "安顺路" in feat["properties"]["unlocated_reason"]


def test_built_layer_never_invents_a_stretch(build_result):
    """With today's gazetteer neither stretch can be cut: both stay unlocated, with reasons."""
    fc = json.loads(build_result.files["projects.geojson"])
    stretches = [f for f in fc["features"] if f["properties"].get("road_stretch")]
    assert len(stretches) == 2
    for feat in stretches:
        p = feat["properties"]
        if p["location_precision"] == "road_stretch":
            assert feat["geometry"]["type"] == "LineString" and p["accuracy_m"] >= 100
        else:
            assert feat["geometry"] is None and p["unlocated_reason"]


def test_map_draws_a_stretch_as_its_line_and_points_as_markers(grid):
    import geopandas as gpd

    from layers.details import PRECISION_LABELS, project_location_text
    from layers.maps.basemaps import available_basemaps
    from layers.maps.views import project_features

    stretch = project_feature(_project("宝通西街(西环路至昌乐界段)扩宽及快速化改造"), {}, grid)
    point = {"properties": {**stretch["properties"], "id": "project-901", "name": "<b>甲</b>",
                            "location_precision": "zone"}, "geometry": to_wgs84(LineString([(X0, Y0), (X0 + 1, Y0)])).centroid}
    frame = gpd.GeoDataFrame([{**f["properties"], "geometry": f["geometry"]} for f in (stretch, point)],
                             geometry="geometry", crs="EPSG:4326")
    for basemap in available_basemaps({}).values():
        feats = {f["properties"]["id"]: f for f in project_features(frame, basemap, {})}
        assert feats["project-900"]["geometry"]["type"] == "LineString"
        assert feats["project-901"]["geometry"]["type"] == "Point"
        assert "<b>" not in feats["project-901"]["properties"]["label"]
    row = frame.iloc[0]
    assert PRECISION_LABELS["road_stretch"] == "道路路段（地物表道路线）"
    assert project_location_text(row).startswith("道路路段") and "误差约 1000 米" in project_location_text(row)
    unlocated = project_feature(_project("北宫西街(安顺路至昌乐界段)扩宽及快速化改造"), {}, grid)["properties"]
    assert project_location_text(unlocated) == "未定位：" + unlocated["unlocated_reason"]


def test_leaders_map_and_print_sheet_mark_a_stretch_at_its_middle(grid):
    import geopandas as gpd
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from layers.maps.basemaps import available_basemaps
    from layers.maps.print import draw_projects
    from layers.maps.status_map import status_features

    feat = project_feature(_project("宝通西街(西环路至昌乐界段)扩宽及快速化改造"), {}, grid)
    frame = gpd.GeoDataFrame([{**feat["properties"], "geometry": feat["geometry"]}], geometry="geometry",
                             crs="EPSG:4326")
    [marker] = status_features(frame, available_basemaps({})["osm"])
    middle = to_metric(shape(marker["geometry"]))
    assert middle.x - X0 == pytest.approx((400 + 7_000) / 2, abs=10) and middle.y - Y0 == pytest.approx(0, abs=5)
    fig, ax = plt.subplots()
    try:
        assert draw_projects(ax, frame.to_crs("EPSG:4326"))
        [line] = [ln for ln in ax.lines]
        assert line.get_xdata()[0] - X0 == pytest.approx(3_700, abs=10)
    finally:
        plt.close(fig)
