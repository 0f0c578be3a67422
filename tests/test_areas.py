from layers.plan.areas import extract_areas

ZONES = ["站南片区", "鲁台片区", "于河片区", "宝通片区", "浮烟山片区",
         "利昌片区", "永安片区", "军埠口片区", "仓南片区", "北小于河片区"]
PARKS = ["半导体(激光)产业园", "高端智慧物流园", "高端商贸产业园", "高端农业装备产业园",
         "医养健康产业园", "金融总部产业园", "国家广告产业园", "十笏园文旅产业园",
         "节能环保产业园", "智能制造产业园"]


def test_ten_zones_and_ten_parks_by_name(clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    assert [z.name for z in zones] == ZONES
    assert [p.name for p in parks] == PARKS


def test_zone_keeps_verbatim_clause_positioning_and_citation(clean_plan):
    zones, _ = extract_areas(clean_plan.text)
    zhannan = zones[0]
    assert zhannan.bounds.clause == "东至白浪河、西至清平路,南至高家街、北至胶济铁路"
    assert zhannan.positioning.startswith("依托潍坊火车站")
    assert zhannan.description.startswith(zhannan.bounds.clause)
    assert (zhannan.citation.chapter, zhannan.citation.section, zhannan.citation.item) == ("六", "一", 1)
    assert "第六章" in str(zhannan.citation) and "第一节" in str(zhannan.citation)


def test_parks_located_by_buildings_have_sites_not_bounds(clean_plan):
    _, parks = extract_areas(clean_plan.text)
    by_name = {p.name: p for p in parks}
    assert by_name["金融总部产业园"].bounds is None
    assert by_name["金融总部产业园"].sites == ["月河楼新金融产业园"]
    assert by_name["国家广告产业园"].sites == ["西街68", "西街88", "十里春风文化商业街区"]
    assert by_name["半导体(激光)产业园"].bounds.west == "石渠路"
    assert by_name["半导体(激光)产业园"].citation.chapter == "四"


# --- industries and 定位, measured against our reviewed reading (tests/data/reading_industries.csv)

import csv  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from layers.plan.industries import positioning_phrase, read_industries  # noqa: E402

READING = Path(__file__).parent / "data" / "reading_industries.csv"


def _reading() -> list[dict]:
    with READING.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_reading_covers_all_twenty_areas_and_quotes_the_plan(clean_plan):
    rows = _reading()
    assert sorted(r["name"] for r in rows) == sorted(ZONES + PARKS)
    for row in rows:
        for snippet in [row["positioning_phrase"], *row["industries_snippets"].split("|")]:
            assert snippet in clean_plan.text, (row["name"], snippet)
        for industry in row["industries"].split("|"):
            assert industry in row["industries_snippets"], (row["name"], industry)


def test_every_area_has_the_industries_and_positioning_of_the_reading(clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    by_name = {a.name: a for a in zones + parks}
    wrong = []
    for row in _reading():
        area = by_name[row["name"]]
        if area.industries != row["industries"].split("|"):
            wrong.append((area.name, area.industries, row["industries"]))
        if area.positioning_phrase != row["positioning_phrase"]:
            wrong.append((area.name, area.positioning_phrase, row["positioning_phrase"]))
        assert area.industries_snippets and all(s in area.description for s in area.industries_snippets)
    expected = [(r["name"], i) for r in _reading() for i in r["industries"].split("|")]
    found = [(a.name, i) for a in zones + parks for i in a.industries]
    hits = len(set(expected) & set(found))
    print(f"\nindustries: recall {hits}/{len(expected)} = {hits / len(expected):.1%}, "
          f"precision {hits}/{len(found)} = {hits / len(found):.1%}")
    assert wrong == []


def test_known_defects_of_the_old_reader_are_gone(clean_plan):
    zones, parks = extract_areas(clean_plan.text)
    by_name = {a.name: a for a in zones + parks}
    smart = by_name["智能制造产业园"].industries
    assert "高端装备" in smart and not any("领军企业" in i or "研究院" in i for i in smart)
    assert "光电芯片" in by_name["半导体(激光)产业园"].industries
    assert by_name["鲁台片区"].industries == ["会展经济", "国际社区", "现代服务业"]
    assert all(a.industries and a.positioning_phrase for a in zones + parks)


@pytest.mark.parametrize("text, industries", [
    ("重点招引外商总部、区域总部和技术中心、营销中心等职能型总部。", ["外商总部", "区域总部", "技术中心", "营销中心"]),
    ("主要发展庄园式现代农业、园林式观光农业,打造郊野公园。", ["庄园式现代农业", "园林式观光农业"]),
    ("引入金融要素,打造国内一流的区域性产业金融中心。", []),
    ("以老潍县记忆、红色教育为主题,重点引进文化、旅游等项目", ["文化", "旅游"]),
])
def test_industry_lists_in_other_wordings(text, industries):
    assert read_industries(text).industries == industries


def test_positioning_falls_back_to_the_last_chunk_when_no_verb_opens_one():
    assert positioning_phrase("位于甲路以东,重点招引高端装备等新兴产业。") == "重点招引高端装备等新兴产业"
    assert positioning_phrase("建设甲区,打造乙地。") == "建设甲区,打造乙地"


def test_area_layers_carry_industries_positioning_and_the_whole_clause(build_result):
    import json
    for layer in ("zones", "parks"):
        for feat in json.loads(build_result.files[f"{layer}.geojson"])["features"]:
            p = feat["properties"]
            assert p["industries"] and p["positioning_phrase"] and p["industries_snippets"]
            assert p["positioning_phrase"] in p["description"]
