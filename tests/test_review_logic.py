"""Applying a boundary change rebuilds every zone and park with the build's own code."""

from __future__ import annotations

import json

import pytest
from shapely import affinity
from shapely.geometry import mapping, shape

from layers.geometry.crs import SQM_PER_HA, to_metric
from layers.geometry.polygons import build_area
from layers.plan.bounds import parse_bounds
from layers.review.diff import area_changes, changes_frame, line_changes
from layers.review.effect import effect, users_of
from layers.review.rebuild import (VERSION_FILES, Change, ChangeError, clause_text, district_metric, features_of,
                                   find_area, gazetteer_of, rebuild, touched)


@pytest.fixture(scope="module")
def files(build_result):
    return {name: build_result.files[name] for name in VERSION_FILES}


def _line(files, name):
    return next(shape(f["geometry"]) for f in features_of(files, "gazetteer.geojson")
                if f["properties"]["name"] == name)


def _sides_of(files, feature):
    """{area_id: side} for every edge made of ``feature``, read from the edges layer."""
    return {f["properties"]["area_id"]: f["properties"]["side"] for f in features_of(files, "edges.geojson")
            if f["properties"]["feature"] == feature}


def test_rebuilding_an_unchanged_version_reproduces_the_build_byte_for_byte(files):
    rebuilt = rebuild(files)
    for name in VERSION_FILES:
        assert rebuilt.files[name] == files[name], name


def test_moving_a_road_reshapes_every_area_it_bounds_and_only_those(files):
    road = "清平路"
    sides = _sides_of(files, road)
    assert len(sides) >= 2  # the plan uses it for several zones
    moved = affinity.translate(_line(files, road), xoff=0.002)  # about 180 m east at 36.7°N
    expected_shift = to_metric(_line(files, road)).hausdorff_distance(to_metric(moved))
    result = effect(files, Change("line", feature=road, geometry=mapping(moved), accuracy_m=10, how="测试"))
    by_id = {a.id: a for a in result.areas}
    assert set(by_id) == set(sides)
    for area_id, side in sides.items():
        change = by_id[area_id]
        # the west edge moving east shrinks the area; the east edge moving east grows it
        assert (change.delta_ha < -1) if side == "west" else (change.delta_ha > 1), (change.name, side)
        assert change.shift_m == pytest.approx(expected_shift, abs=3)
        assert change.delta_mu == pytest.approx(change.delta_ha * 15)
    assert [c.name for c in result.lines] == [road]
    new_line = _line(result.rebuilt.files, road)
    assert new_line.equals_exact(moved, 1e-6)
    props = next(f["properties"] for f in features_of(result.rebuilt.files, "gazetteer.geojson")
                 if f["properties"]["name"] == road)
    assert props["geometry_status"] == "reviewed" and props["accuracy_m"] == 10


def test_area_after_a_change_is_what_build_area_makes_of_the_new_line(files):
    road = "清平路"
    moved = affinity.translate(_line(files, road), xoff=-0.001)
    result = rebuild(files, Change("line", feature=road, geometry=mapping(moved)))
    zone = find_area(files, "zone-01")["properties"]
    gaz = gazetteer_of(result.files)
    expected = build_area(zone["name"], parse_bounds(zone["clause"]), gaz, district_metric())
    got = find_area(result.files, "zone-01")
    assert got["properties"]["area_ha"] == round(expected.polygon_m.area / SQM_PER_HA, 2)
    assert to_metric(shape(got["geometry"])).hausdorff_distance(expected.polygon_m) < 0.5


def test_swapping_a_side_rewrites_bounds_clause_and_edges(files):
    result = effect(files, Change("feature", area_id="zone-02", side="west", feature="西环路"))
    zone = find_area(result.rebuilt.files, "zone-02")["properties"]
    assert zone["clause"] == "东至友爱路、西至西环路，南至北宫西街、北至玄武西街"
    assert [e["feature"] for e in zone["bounds"]["west"]] == ["西环路"]
    assert _sides_of(result.rebuilt.files, "西环路")["zone-02"] == "west"
    assert "zone-02" not in _sides_of(result.rebuilt.files, "长松路") or \
        _sides_of(result.rebuilt.files, "长松路")["zone-02"] != "west"
    change = result.areas[0]
    assert change.bounds_changes == ["西：长松路 → 西环路"]
    # 鲁台 now covers 利昌 (西环路–长松路): the zone-overlap check fails, and says so
    assert any("利昌片区" in f and "重叠" in f for f in result.failures)


def test_a_change_that_only_moves_a_park_passes_all_checks(files):
    road = "腾飞路"
    moved = affinity.translate(_line(files, road), xoff=0.0005)
    result = effect(files, Change("line", feature=road, geometry=mapping(moved)))
    assert {a.id for a in result.areas} == set(_sides_of(files, road))
    assert result.passes and result.failures == []


@pytest.mark.parametrize(("change", "words"), [
    (Change("text", area_id="zone-01", clause="东至白浪河、西至幸福路，南至高家街、北至胶济铁路"), ["幸福路", "不在地物表"]),
    (Change("text", area_id="zone-01", clause="东至清平路、西至白浪河，南至高家街、北至胶济铁路"), ["站南片区", "围不出"]),
    (Change("text", area_id="zone-01", clause="这里没有四至"), ["站南片区", "四至"]),
    (Change("text", area_id="zone-01", clause="  "), ["为空"]),
    (Change("text", area_id="zone-01", clause="东至白浪河、西至清平路"), ["站南片区", "只写了", "缺少南、北边界"]),
    (Change("feature", area_id="zone-09", side="west", feature="西环路"), ["仓南片区", "西环路", "不相交"]),
    (Change("feature", area_id="zone-01", side="west", feature="不存在路"), ["不存在路", "不在地物表"]),
    (Change("feature", area_id="zone-01", side="up", feature="清平路"), ["方位"]),
    (Change("feature", area_id="zone-99", side="west", feature="清平路"), ["zone-99"]),
    (Change("feature", area_id="park-06", side="west", feature="清平路"), ["楼宇"]),
    (Change("line", feature="幸福路", geometry={"type": "LineString", "coordinates": [[119.1, 36.7], [119.11, 36.7]]}),
     ["幸福路", "地物表中没有"]),
    (Change("line", feature="清平路", geometry={"type": "Point", "coordinates": [119.1, 36.7]}), ["必须是一条线"]),
    (Change("line", feature="清平路", geometry={"type": "LineString"}), ["无法读取"]),
    (Change("feature", area_id="park-05", side="north", feature="宝通街"), ["完全相同"]),
    (Change("bogus"), ["提案类型"]),
])
def test_bad_changes_get_a_chinese_message_naming_the_problem(files, change, words):
    with pytest.raises(ChangeError) as info:
        effect(files, change)
    for word in words:
        assert word in str(info.value)


def test_clause_text_reads_back_to_the_same_bounds(files):
    for feat in json.loads(files["zones.geojson"])["features"] + json.loads(files["parks.geojson"])["features"]:
        clause = feat["properties"]["clause"]
        if clause:
            bounds = parse_bounds(clause)
            assert parse_bounds(clause_text(bounds)).as_dict() == bounds.as_dict(), clause


def test_touched_keys_name_the_line_and_every_edge_made_of_it(files):
    road = "清平路"
    keys = touched(files, Change("line", feature=road, geometry=mapping(_line(files, road))))
    assert keys == {f"feature:{road}"} | {f"edge:{a}:{s}" for a, s in _sides_of(files, road).items()}
    assert touched(files, Change("feature", area_id="zone-01", side="west", feature="长松路")) == {"edge:zone-01:west"}
    text = Change("text", area_id="zone-01", clause="东至白浪河、西至清平路，南至福源街、北至胶济铁路")
    assert touched(files, text) == {"edge:zone-01:south"}


def test_comparing_a_version_with_itself_shows_no_change(files):
    assert area_changes(files, files) == []
    assert line_changes(files, files) == []
    assert changes_frame([]).empty


def test_users_of_reads_the_edges_layer(files):
    assert users_of(files, "清平路") == set(_sides_of(files, "清平路"))


def test_the_quick_preview_uses_the_lines_of_the_version_shown(files):
    from layers.review.preview import preview

    road = "清平路"
    moved = rebuild(files, Change("line", feature=road, geometry=mapping(affinity.translate(_line(files, road),
                                                                                          xoff=0.002))))
    clause = find_area(files, "zone-01")["properties"]["clause"]
    on_v0 = preview("站南片区", clause, gazetteer=gazetteer_of(files))
    on_moved = preview("站南片区", clause, gazetteer=gazetteer_of(moved.files))
    assert on_v0.area_ha - on_moved.area_ha > 1  # the west edge moved east: smaller
    assert on_moved.area_ha == pytest.approx(find_area(moved.files, "zone-01")["properties"]["area_ha"], abs=0.01)


def test_every_geometry_status_a_line_can_have_is_said_in_words():
    """A line corrected by an approved proposal is "reviewed": an error said "“白浪河”reviewed"."""
    from layers.details import GEOMETRY_STATUS_LABELS, accuracy_text
    from layers.geometry.polygons import _STATUS_WORDS
    from layers.review.rebuild import REVIEWED_STATUS

    for status in ("approximate", "derived", "osm", REVIEWED_STATUS):
        assert status in GEOMETRY_STATUS_LABELS and status in _STATUS_WORDS, status
        assert not any(c.isascii() and c.isalpha() for c in accuracy_text(status, 30).replace("OpenStreetMap", ""))
