"""Polygon building on tiny synthetic geometries (metres, EPSG:4549 around Weifang)."""

import pytest
from shapely.geometry import LineString, box

from layers.plan.bounds import parse_bounds
from layers.geometry.crs import to_wgs84
from layers.geometry.gazetteer import Gazetteer, GazetteerFeature
from layers.geometry.checks import area_checks
from layers.geometry.polygons import BuildError, build_area, on_side

X0, Y0 = 500_000.0, 4_060_000.0  # inside EPSG:4549's area near Weifang
DISTRICT = box(X0, Y0, X0 + 10_000, Y0 + 10_000)


def feature(name, coords, **kw):
    line = to_wgs84(LineString([(X0 + x, Y0 + y) for x, y in coords]))
    return GazetteerFeature(name=name, kind="road", geometry=line, source="test",
                            accuracy_m=1, geometry_status="test", **kw)


@pytest.fixture
def gazetteer():
    return Gazetteer([
        feature("东路", [(6000, -500), (6000, 10500)]),
        feature("西路", [(2000, -500), (2000, 10500)]),
        feature("南街", [(-500, 3000), (10500, 3000)]),
        feature("北街", [(-500, 7000), (10500, 7000)], aliases=["北大街"]),
        feature("短东路", [(6000, 3600), (6000, 6400)]),  # stops short of 南街 and 北街
        feature("远北街", [(1000, 9500), (1500, 9500)]),  # does not reach the area at all
    ])


def test_four_roads_enclose_the_expected_rectangle(gazetteer):
    built = build_area("测试区", parse_bounds("东至东路、西至西路，南至南街、北至北街"), gazetteer, DISTRICT)
    assert built.polygon_m.area == pytest.approx(4000 * 4000, rel=1e-6)
    assert {e.side: e.feature.name for e in built.edges} == {
        "east": "东路", "west": "西路", "south": "南街", "north": "北街"}
    # The 2 m tolerance band also catches 2 m of each neighbouring side.
    assert all(e.length_m == pytest.approx(4000, abs=5) for e in built.edges)


def test_aliases_resolve(gazetteer):
    built = build_area("测试区", parse_bounds("东至东路、西至西路，南至南街、北至北大街"), gazetteer, DISTRICT)
    assert built.polygon_m.area == pytest.approx(16e6, rel=1e-6)


def test_line_ends_are_extended_to_close_the_area(gazetteer):
    built = build_area("测试区", parse_bounds("东至短东路、西至西路，南至南街、北至北街"), gazetteer, DISTRICT)
    assert built.polygon_m.area == pytest.approx(16e6, rel=1e-6)


def test_open_side_is_closed_by_the_district(gazetteer):
    built = build_area("测试区", parse_bounds("西至西路，南至南街、北至北街"), gazetteer, DISTRICT)
    assert built.polygon_m.area == pytest.approx(8000 * 4000, rel=1e-6)


def test_unknown_feature_names_area_side_and_feature(gazetteer):
    with pytest.raises(BuildError, match="测试区：东侧的边界“不存在路”不在地物表中"):
        build_area("测试区", parse_bounds("东至不存在路、西至西路"), gazetteer, DISTRICT)


def test_swapped_sides_enclose_nothing_and_say_which(gazetteer):
    with pytest.raises(BuildError, match="测试区：.*围不出"):
        build_area("测试区", parse_bounds("东至西路、西至东路，南至南街、北至北街"), gazetteer, DISTRICT)


def test_feature_that_misses_the_area_is_named(gazetteer):
    with pytest.raises(BuildError, match="远北街"):
        build_area("测试区", parse_bounds("东至东路、西至西路，南至南街、北至远北街"), gazetteer, DISTRICT)


def test_on_side_ray_test():
    line = LineString([(0, 0), (0, 10)])
    from shapely.geometry import Point
    assert on_side(line, Point(5, 5), "west")
    assert not on_side(line, Point(5, 5), "east")
    assert on_side(line, Point(-5, 5), "east")


def test_every_failing_area_is_named_in_one_message(gazetteer):
    from types import SimpleNamespace

    from layers.geometry.assemble import build_all

    areas = [SimpleNamespace(name=n, bounds=parse_bounds(b)) for n, b in [
        ("甲区", "东至东路、西至西路，南至南街、北至北街"),
        ("乙区", "东至不存在路、西至西路"),
        ("丙区", "东至东路、西至西路，南至南街、北至远北街")]]
    with pytest.raises(BuildError) as err:
        build_all(areas, gazetteer, DISTRICT)
    message = str(err.value)
    assert message.startswith("2 个区域无法构建")
    assert "乙区：东侧的边界“不存在路”不在地物表中" in message and "丙区" in message and "远北街" in message
    assert "甲区" not in message


def test_line_merge_safe_on_empty_geometry():
    from shapely.geometry import GeometryCollection

    from layers.geometry.polygons import line_merge_safe

    assert line_merge_safe(None) is None
    assert line_merge_safe(LineString()) is None
    assert line_merge_safe(GeometryCollection()) is None
    assert line_merge_safe(LineString([(0, 0), (1, 0)])).length == 1


def test_shared_edge_check_survives_an_edge_that_misses_its_polygon(gazetteer):
    from layers.geometry.checks import shared_edge_checks

    west = build_area("西区", parse_bounds("东至东路、西至西路，南至南街、北至北街"), gazetteer, DISTRICT)
    east = build_area("东区", parse_bounds("西至东路，南至南街、北至北街"), gazetteer, DISTRICT)
    east.edges[0].geometry_m = LineString()  # the edge does not touch its polygon
    assert shared_edge_checks({"西区": west, "东区": east}) == []
    east.edges[0].geometry_m = LineString([(X0 + 6000, Y0 + 5000), (X0 + 6000, Y0 + 5000)])
    checks = shared_edge_checks({"西区": west, "东区": east})
    assert [c["status"] for c in checks] == ["info"]


def test_osm_lines_are_not_extended_into_the_next_block():
    from layers.geometry.polygons import EXTEND_M, EXTEND_OSM_M

    osm_gaz = Gazetteer([
        feature("东路", [(6000, -500), (6000, 10500)]),
        feature("西路", [(2000, -500), (2000, 10500)]),
        feature("南街", [(-500, 3000), (10500, 3000)]),
        # Ends 100 m short of 西路: an approximate line would be extended 800 m
        # and close the area; an OSM line is trusted where it ends.
        GazetteerFeature(name="北街", kind="road", source="OpenStreetMap", accuracy_m=20,
                         geometry_status="osm",
                         geometry=to_wgs84(LineString([(X0 + 2100, Y0 + 7000), (X0 + 10500, Y0 + 7000)]))),
    ])
    assert EXTEND_OSM_M < 10 < EXTEND_M
    built = build_area("测试区", parse_bounds("东至东路、西至西路，南至南街、北至北街"), osm_gaz, DISTRICT)
    # The area leaks past the open corner, and the checks say so instead of hiding it.
    assert built.polygon_m.area > 16e6
    checks = area_checks("测试区", built, DISTRICT)
    failed = [c for c in checks if c["status"] == "fail"]
    assert [(c["check"], c["side"], c["feature"]) for c in failed] == [("edge_present", "north", "北街")]
