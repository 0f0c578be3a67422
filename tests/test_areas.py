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
