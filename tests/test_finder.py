"""园区选址: ranking on stated cases, the cited synonym table, distances in EPSG:4549, bad input."""

from __future__ import annotations

import csv
import dataclasses

import pytest
import shapely
from shapely.geometry import LineString

from layers.data import load_layers
from layers.geometry.crs import to_metric
from layers.invest.finder import (DIRECT_WEIGHT, POSITIONING_WEIGHT, FinderError, SYNONYMS_FILE, expand_each, load_synonyms,
                                  parse_land, query_tokens, rank_areas)
from layers.invest.names import NAMES_FILE, load_names
from layers.paths import GEODATA
from layers.plan.sections import split_sections


@pytest.fixture(scope="module")
def data():
    return load_layers()


@pytest.fixture(scope="module")
def plan_paragraphs():
    text = (GEODATA / "plan_clean.txt").read_text(encoding="utf-8")
    return [(str(p.citation), p.text) for s in split_sections(text) for p in s.paragraphs]


def names(result):
    return [m.name for m in result]


def test_laser_ranks_the_semiconductor_laser_park_first(data):
    result = rank_areas(data, "激光")
    assert result[0].name == "半导体(激光)产业园"
    assert "半导体(激光)" in result[0].explanation
    # nothing else in the plan is about lasers: the rest did not match
    assert all(m.industry_score == 0 for m in result[1:])
    assert len(result) == len(data.parks) + len(data.zones) == 20


@pytest.mark.parametrize("query", ["冷链", "冷链物流"])
def test_cold_chain_ranks_the_logistics_park_first_through_a_cited_synonym(data, query):
    result = rank_areas(data, query)
    top = result[0]
    assert top.name == "高端智慧物流园"
    assert "电商物流" in top.matched and "冷链→物流" in top.explanation
    assert "第四章" in top.explanation  # the synonym's citation is shown
    # zones whose positioning mentions logistics follow, ahead of unrelated areas
    assert set(names(result[1:3])) == {"站南片区", "北小于河片区"}


def test_medical_devices_and_headquarters(data):
    assert rank_areas(data, "医疗器械")[0].name == "医养健康产业园"
    top2 = set(names(rank_areas(data, "总部办公")[:2]))
    assert top2 == {"高端商贸产业园", "利昌片区"}


def test_unlocated_parks_rank_by_industry_alone_and_say_so(data):
    plain = rank_areas(data, "金融")
    near = rank_areas(data, "金融", near="白浪河", land="1000", land_unit="亩")
    for result in (plain, near):
        top = result[0]
        assert top.name == "金融总部产业园" and not top.located
        assert top.score == top.industry_score  # no land or distance component
        assert top.distance_m is None and top.land_ok is None
        assert "仅按产业排序" in top.explanation


def test_distance_is_measured_in_epsg4549_from_the_gazetteer_line(data):
    result = rank_areas(data, "激光", near="长松路")
    laser = next(m for m in result if m.name == "半导体(激光)产业园")
    park = data.parks[data.parks["name"] == "半导体(激光)产业园"].geometry.iloc[0]
    road = data.gazetteer[data.gazetteer["name"] == "长松路"].geometry.union_all()
    expected = to_metric(park).distance(to_metric(road))
    assert laser.distance_m == pytest.approx(expected, abs=0.01)
    # a naive degree distance scaled at the equator would be far off: the check can fail
    assert abs(park.distance(road) * 111_320 - expected) > 1 or expected == 0
    assert f"{expected:,.0f} 米" in laser.explanation or "相接" in laser.explanation


def test_proximity_reorders_areas_with_equal_industry_scores(data):
    # 冷链 gives 站南片区 and 北小于河片区 one point each; near the zone-01 boundary river the order follows distance
    result = rank_areas(data, "冷链", near="白浪河")
    zones = [m for m in result if m.name in ("站南片区", "北小于河片区")]
    assert zones[0].distance_m <= zones[1].distance_m
    assert zones[0].score > zones[1].score or zones[0].distance_m == zones[1].distance_m


def test_land_need_smaller_area_is_penalised_and_said(data):
    need_mu = 5000  # 333.3 ha: larger than the laser park (≈163 ha)
    result = rank_areas(data, "激光", land=str(need_mu), land_unit="亩")
    laser = result[0]
    assert laser.name == "半导体(激光)产业园"  # industry still decides the order
    assert laser.land_ok is False and "小于需求 333.3 公顷" in laser.explanation
    assert laser.score == pytest.approx(laser.industry_score - 2.0)


def test_a_synthetic_layer_ranks_by_distance_when_industry_ties(data):
    parks = data.parks.iloc[:2].copy()
    parks["industries"] = [["冷链物流"], ["冷链物流"]]
    road = LineString([(119.0, 36.70), (119.0, 36.75)])
    near_box, far_box = shapely.box(119.005, 36.70, 119.01, 36.71), shapely.box(119.03, 36.70, 119.04, 36.71)
    parks["geometry"] = [far_box, near_box]
    gaz = data.gazetteer.iloc[:1].copy()
    gaz["name"], gaz["geometry"] = "测试路", [road]
    fake = dataclasses.replace(data, parks=parks, zones=data.zones.iloc[:0], gazetteer=gaz)
    result = rank_areas(fake, "冷链", near="测试路")
    assert names(result) == [parks["name"].iloc[1], parks["name"].iloc[0]]
    assert result[0].distance_m == pytest.approx(to_metric(near_box).distance(to_metric(road)), abs=0.01)


@pytest.mark.parametrize("query, message", [("", "请输入产业"), ("   ", "请输入产业"), ("、，/", "请输入产业"),
                                            ("激" * 51, "过长")])
def test_bad_queries_get_a_chinese_message(data, query, message):
    with pytest.raises(FinderError, match=message):
        rank_areas(data, query)


@pytest.mark.parametrize("value, unit, message", [("abc", "亩", "不是数字"), ("-5", "亩", "大于 0"),
                                                  ("inf", "公顷", "大于 0"), ("nan", "亩", "大于 0"),
                                                  ("5", "平方米", "单位"), ("1,5", "亩", "千位分隔符")])
def test_bad_land_needs_are_refused(value, unit, message):
    with pytest.raises(FinderError, match=message):
        parse_land(value, unit)


def test_land_units():
    assert parse_land("15", "亩") == pytest.approx(1.0)
    assert parse_land("1,500", "亩") == pytest.approx(100.0)
    assert parse_land("2.5", "公顷") == 2.5
    assert parse_land("", "亩") is None


def test_unknown_feature_is_refused(data):
    with pytest.raises(FinderError, match="地名库中没有“火车站”"):
        rank_areas(data, "激光", near="火车站")


def test_tokens_and_expansion():
    assert query_tokens("激光、 冷链物流，医疗器械") == ["激光", "冷链物流", "医疗器械"]
    syns = load_synonyms()
    groups = expand_each(["冷链物流", "激光"], syns)
    assert groups["冷链物流"]["冷链物流"] is None and groups["冷链物流"]["物流"].term == "冷链"
    assert "物流" not in groups["激光"]  # each typed word keeps its own expansions


def test_every_synonym_row_is_cited_by_a_plan_passage(plan_paragraphs):
    rows = load_synonyms()
    assert len(rows) >= 20
    for row in rows:
        cited = [text for cite, text in plan_paragraphs if cite == row.citation]
        assert cited, f"{row.term}: citation {row.citation} is not a place in the plan"
        assert any(row.evidence in text for text in cited), f"{row.term}: evidence not at {row.citation}"


def test_every_synonym_plan_term_occurs_in_some_area(data):
    texts = [" ".join(r.industries) + (r.positioning or "") + r.name
             for frame in (data.parks, data.zones) for r in frame.itertuples()]
    for row in load_synonyms():
        assert any(row.plan_term in t for t in texts), row.plan_term


def test_malformed_synonym_table_is_reported_with_line_numbers(tmp_path):
    path = tmp_path / "syn.csv"
    path.write_text("term,plan_term,evidence,citation,basis\n激光,半导体,,第四章,x\n", encoding="utf-8")
    with pytest.raises(FinderError, match="第 2 行缺少 evidence"):
        load_synonyms(path)
    path.write_text("term,plan_term\n激光,半导体\n", encoding="utf-8")
    with pytest.raises(FinderError, match="缺少列"):
        load_synonyms(path)


def test_english_names_cover_every_area_and_the_features_that_bound_the_parks(data):
    table = load_names()
    for kind, frame in (("park", data.parks), ("zone", data.zones)):
        missing = [n for n in frame["name"] if table.get(kind, n) is None]
        assert not missing, f"{kind} without reviewed English name: {missing}"
    # the pitch pack names each park's bounding roads in English
    bounding = {e["feature"] for b in data.parks["bounds"] if isinstance(b, dict)
                for side in b.values() for e in side or [] if e.get("feature")}
    assert len(bounding) >= 20
    missing = sorted(f for f in bounding if table.get("feature", f) is None)
    assert not missing, f"bounding features without reviewed English name: {missing}"
    for row in data.parks.itertuples():
        assert table.get("positioning", row.positioning), f"positioning of {row.name} has no translation"
        assert all(table.get("industry", i) for i in row.industries), row.name
    # reviewed, not pinyin soup: parks carry a translated category word
    assert table.get("park", "高端智慧物流园") == "High-end Smart Logistics Park"


def test_english_names_table_is_plain_utf8_with_three_columns():
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["kind", "zh", "en"] and all(len(r) == 3 for r in rows)
    assert SYNONYMS_FILE.exists()


def test_each_typed_word_counts_once_however_many_industries_it_matches(data):
    """"激光,物流" gave the logistics park 16.58 (物流 scored for each of its five 物流 industries) and put the
    laser park fourth, behind two zones that name 物流 once."""
    result = rank_areas(data, "激光,物流")
    top = {m.name: m for m in result[:2]}
    assert set(top) == {"高端智慧物流园", "半导体(激光)产业园"}
    assert top["高端智慧物流园"].score == top["半导体(激光)产业园"].score
    logistics = next(m for m in rank_areas(data, "物流") if m.name == "高端智慧物流园")
    assert len(logistics.matched) >= 5 and logistics.score <= DIRECT_WEIGHT + POSITIONING_WEIGHT


def test_the_positioning_naming_the_typed_word_outweighs_a_synonyms_plan_term(data):
    result = rank_areas(data, "医疗器械")
    assert result[0].name == "医养健康产业园" and result[0].score > result[1].score
