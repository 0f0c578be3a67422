"""Matching one feature on tiny synthetic ways (metres, EPSG:4549 near Weifang)."""

import pytest
import shapely
from shapely.geometry import LineString

from layers.geometry.conflate import MetricWays, match_feature
from layers.geometry.crs import to_wgs84
from layers.geometry.gazetteer import GazetteerFeature
from layers.geometry.osm_read import OsmData

X0, Y0 = 420_000.0, 4_060_000.0


def road(name="测试路", accuracy=300):
    line = to_wgs84(LineString([(X0, Y0), (X0, Y0 + 3000)]))
    return GazetteerFeature(name=name, kind="road", geometry=line, source="approximate", accuracy_m=accuracy,
                            geometry_status="approximate")


def extract(*ways) -> OsmData:
    """``ways``: (id, name or None, highway, [(x, y), …] in metres relative to X0, Y0)."""
    data = OsmData()
    for way_id, name, highway, coords in ways:
        data.ids.append(way_id)
        data.names.append((name,) if name else ())
        data.tags.append({"highway": highway})
        data.coords.append(list(to_wgs84(LineString([(X0 + x, Y0 + y) for x, y in coords])).coords))
    return MetricWays.from_data(data.finish())


def test_dual_carriageway_collapses_to_its_middle_and_records_the_width():
    ways = extract((1, "测试路", "primary", [(110, 0), (110, 3000)]),
                   (2, "测试路", "primary", [(90, 3000), (90, 0)]))
    match = match_feature(road(), ways)
    line = match.line.geometry
    assert match.way_ids == [1, 2]
    assert line.hausdorff_distance(LineString([(X0 + 100, Y0), (X0 + 100, Y0 + 3000)])) < 6
    assert match.line.width_m == pytest.approx(20, abs=0.5)


@pytest.mark.parametrize("highway, coords, bridged", [
    ("primary", [(100, 1000), (100, 1400)], True),        # continues the road
    ("residential", [(100, 1000), (100, 1400)], False),   # a street of another class
    ("primary", [(100, 1000), (500, 1100)], False),       # turns away
])
def test_unnamed_ways_are_bridged_only_when_they_continue_the_road(highway, coords, bridged):
    ways = extract((1, "测试路", "primary", [(100, 0), (100, 1000)]),
                   (2, None, highway, coords),
                   (3, "测试路", "primary", [(100, 1400), (100, 3000)]))
    match = match_feature(road(), ways)
    assert (match.inferred_ids == [2]) is bridged
    assert bool(match.line.inferred) is bridged
    if not bridged:  # the 400 m hole is too long to bridge silently
        assert match.line.geometry.geom_type == "MultiLineString"


def test_same_name_outside_the_corridor_is_listed_not_used():
    ways = extract((1, "测试路", "primary", [(0, 0), (0, 3000)]),
                   (2, "测试路", "primary", [(15_000, 0), (15_000, 3000)]))
    match = match_feature(road(), ways)
    assert match.way_ids == [1]
    assert match.outside == [{"name": "测试路", "way_ids": [2], "distance_km": 15.0}]


def test_slip_roads_are_left_out_of_the_centre_line():
    ways = extract((1, "测试路", "primary", [(0, 0), (0, 3000)]),
                   (2, "测试路", "primary_link", [(0, 1000), (30, 1100), (45, 1200)]))
    match = match_feature(road(), ways)
    assert match.slip_ids == [2] and match.way_ids == [1]
    assert shapely.get_coordinates(match.line.geometry)[:, 0].max() - X0 < 1


def test_a_same_named_way_across_the_plans_neighbour_is_left_out():
    from layers.geometry.conflate import Beyond

    # The plan puts 测试路 west of 东边路 (say 西至测试路、东至东边路); 东边路 runs 600 m east.
    east_road = LineString([(X0 + 600, Y0 - 1000), (X0 + 600, Y0 + 4000)])
    rule = (Beyond("东边路", "west"), east_road, 150.0)
    ways = extract((1, "测试路", "primary", [(0, 0), (0, 3000)]),
                   (2, "测试路", "primary", [(1100, 500), (1100, 2500)]),    # 500 m beyond 东边路
                   (3, "测试路", "primary", [(680, 3000), (680, 3300)]))     # within 东边路's accuracy
    match = match_feature(road(accuracy=1000), ways, [rule])
    assert match.way_ids == [1, 3]
    assert match.wrong_side == {"东边路以西": [2]}
    assert shapely.get_coordinates(match.line.geometry)[:, 0].max() - X0 < 700  # nothing from way 2
    # Without the plan's order the stray way is a candidate, though not a source of the line it does not trace.
    unordered = match_feature(road(accuracy=1000), ways)
    assert unordered.wrong_side == {} and unordered.way_ids == [1, 3]


def test_facing_constraints_read_the_plans_opposite_sides():
    from types import SimpleNamespace

    from layers.geometry.conflate import Beyond, facing_constraints
    from layers.plan.bounds import parse_bounds

    area = SimpleNamespace(bounds=parse_bounds("东至友爱路、西至长松路，南至北宫西街、北至玄武西街"))
    rules = facing_constraints([area], lambda name: name)
    assert rules["长松路"] == {Beyond("友爱路", "west")}
    assert rules["友爱路"] == {Beyond("长松路", "east")}
    assert rules["北宫西街"] == {Beyond("玄武西街", "south")}
