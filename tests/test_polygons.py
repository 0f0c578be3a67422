"""Polygon building on tiny synthetic geometries (metres, EPSG:4549 around Weifang)."""

import pytest
from shapely.geometry import LineString, box

from layers.plan.bounds import parse_bounds
from layers.geometry.crs import to_wgs84
from layers.geometry.gazetteer import Gazetteer, GazetteerFeature
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
