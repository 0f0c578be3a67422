import pytest

from layers.plan.bounds import ALL_SIDES, BoundsError, parse_bounds

# (text, east, west, south, north, qualifiers)
CASES = [
    ("东至白浪河、西至清平路，南至高家街、北至胶济铁路", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("东至友爱路、西至长松路，南至北宫西街、北至玄武西街，规划布局会展商贸区", "友爱路", "长松路", "北宫西街", "玄武西街", {}),
    ("北至胶济铁路，南至高家街，西至清平路，东至白浪河", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("东至清平路、西至长松路、南至玉泉街、北至胶济铁路,以服务智能制造产业园为目标", "清平路", "长松路", "玉泉街", "胶济铁路", {}),
    ("东至白浪河西岸、西至友爱路,南至卧龙西街、北至玄武西街", "白浪河", "友爱路", "卧龙西街", "玄武西街", {"east": "西岸"}),
    ("東至白浪河、西至清平路,南至高家街、北至膠濟鐵路", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("東至白浪河西岸、西至友愛路,南至臥龍西街、北至玄武西街", "白浪河", "友爱路", "卧龙西街", "玄武西街", {"east": "西岸"}),
    ("东至周瑜路、华山路；西至长江路；南至黄河路，北至泰山路", ["周瑜路", "华山路"], "长江路", "黄河路", "泰山路", {}),
    ("东至A路;西至B路;南至C街;北至D街", "A路", "B路", "C街", "D街", {}),
    ("东至A路,西至B路,南至C街,北至D街", "A路", "B路", "C街", "D街", {}),
    ("位于石渠路以东、殷大路以西、卧龙西街以南、北宫西街以北,以半导体(激光)", "殷大路", "石渠路", "北宫西街", "卧龙西街", {}),
    ("位于杏乐路以东、腾飞路以西、北宫西街以南、胜利西街以北", "腾飞路", "杏乐路", "胜利西街", "北宫西街", {}),
    ("位于北宫西街以北、卧龙西街以南、殷大路以西、石渠路以东", "殷大路", "石渠路", "北宫西街", "卧龙西街", {}),
    ("位於石渠路以東、殷大路以西、臥龍西街以南、北宮西街以北", "殷大路", "石渠路", "北宫西街", "卧龙西街", {}),
    ("园区位于向阳路以东、白浪河以西、东风西街以南、健康街以北", "白浪河", "向阳路", "健康街", "东风西街", {}),
    ("胶济铁路以北、福寿街以南的区域", None, None, "胶济铁路", "福寿街", {}),
    ("长松路以东、清平路以西区域", "清平路", "长松路", None, None, {}),
    ("东起白浪河，西到清平路，南抵高家街，北临胶济铁路", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("东邻白浪河，西接清平路，南连高家街，北靠胶济铁路", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("南濒白浪河水库，北至福源街", None, None, "白浪河水库", "福源街", {}),
    ("东以白浪河为界，西以月河路为界", "白浪河", "月河路", None, None, {}),
    ("东与奎文区接壤，西与昌乐县相邻，北与寒亭区毗邻", "奎文区", "昌乐县", None, "寒亭区", {}),
    ("位于宝通街北侧", None, None, "宝通街", None, {}),
    ("地块位于胜利西街南侧、向阳路东侧", None, "向阳路", None, "胜利西街", {}),
    ("东至西环路、西至拥军路，南至昌乐界、北至宝通街", "西环路", "拥军路", "昌乐界", "宝通街", {}),
    ("东至都家村出村路、西至东何村出村路，南至潍高路、北至都家村南路", "都家村出村路", "东何村出村路", "潍高路", "都家村南路", {}),
    ("东至清平路道路红线，西至长松路中心线", "清平路", "长松路", None, None, {"east": "道路红线", "west": "中心线"}),
    ("南至福源街南侧、北至高家街", None, None, "福源街", "高家街", {"south": "南侧"}),
    ("东北至宝通街，西至长松路，南至玉泉街", None, "长松路", "玉泉街", None, {}),
    ("1.站南片区。 东至白浪河、西至清平路，南至高家街、北至胶济铁路，依托潍坊火车站", "白浪河", "清平路", "高家街", "胶济铁路", {}),
    ("东至利昌路、西至西环路", "利昌路", "西环路", None, None, {}),
    ("北至玄武西街、南至卧龙西街、东至白浪河", "白浪河", None, "卧龙西街", "玄武西街", {}),
    ("东面至白浪河，西侧至清平路", "白浪河", "清平路", None, None, {}),
]


@pytest.mark.parametrize("text, east, west, south, north, quals", CASES)
def test_parse_bounds_table(text, east, west, south, north, quals):
    b = parse_bounds(text)
    assert (b.east, b.west, b.south, b.north) == (east, west, south, north)
    assert b.qualifiers == quals


def test_table_is_large_enough():
    assert len(CASES) >= 30


def test_clause_is_the_verbatim_boundary_text():
    b = parse_bounds("东至白浪河、西至清平路，南至高家街、北至胶济铁路，依托潍坊火车站")
    assert b.clause == "东至白浪河、西至清平路，南至高家街、北至胶济铁路"


def test_diagonal_side_is_kept_apart_from_the_four_main_sides():
    b = parse_bounds("东北至宝通街，西至长松路")
    assert b.north is None and b.east is None
    assert b.northeast == "宝通街" and b.west == "长松路"
    assert b.as_dict() == {"east": [], "west": [{"feature": "长松路", "qualifier": None}], "south": [], "north": []}
    assert b.as_dict(diagonals=True)["northeast"] == [{"feature": "宝通街", "qualifier": None}]


@pytest.mark.parametrize("text", ["", "依托潍坊火车站，打造城市功能新板块", "重点招引银行、保险"])
def test_text_without_a_clause_is_a_clear_error(text):
    with pytest.raises(BoundsError, match="未找到四至"):
        parse_bounds(text)


def test_two_different_features_for_one_side_is_an_error():
    with pytest.raises(BoundsError, match="东侧出现两个不同的边界.*白浪河.*友爱路"):
        parse_bounds("东至白浪河、西至清平路、东至友爱路")


def test_same_side_repeated_with_the_same_feature_is_fine():
    assert parse_bounds("东至白浪河、东至白浪河").east == "白浪河"


# The forms issue 9 lists, one sentence each in the plan's own place names
# (the real-world versions are in tests/data/sizhi_corpus.json).
FORMS = [
    ("(一)东至白浪河、西至清平路，南至高家街、北至胶济铁路",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("1、东至白浪河；2、西至清平路",
     {"east": ["白浪河"], "west": ["清平路"]}),
    ("四至范围为东至白浪河，西至清平路，南至高家街，北至胶济铁路。",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("最东端至白浪河，最西端至清平路，最南端至高家街，最北端至胶济铁路",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("东北至宝通街，南和西至清平路",
     {"northeast": ["宝通街"], "south": ["清平路"], "west": ["清平路"]}),
    ("东至白浪河，西至清平路，南至高家街，北至胶济铁路范围内的地块",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("东至03省道(通惠南路)，西至清平路",
     {"east": ["03省道(通惠南路)"], "west": ["清平路"]}),
    ("东至白浪河和友爱路，西至清平路以及长松路，南至高家街、玉泉街",
     {"east": ["白浪河", "友爱路"], "west": ["清平路", "长松路"], "south": ["高家街", "玉泉街"]}),
    ("四至：东：白浪河；西：清平路；南：高家街；北：胶济铁路",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("地块东侧为白浪河，西侧为清平路",
     {"east": ["白浪河"], "west": ["清平路"]}),
]


@pytest.mark.parametrize("text, want", FORMS)
@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_issue_forms_in_both_scripts(text, want, script):
    if script == "traditional":
        import opencc
        text = opencc.OpenCC("s2t").convert(text)
    b = parse_bounds(text)
    got = {side: b.features(side) for side in ALL_SIDES if b.features(side)}
    assert got == want


@pytest.mark.parametrize("text, name, qualifier", [
    ("东至试白路以东1500米", "试白路", "以东1500米"),
    ("东至工业四路西250米", "工业四路", "西250米"),
    ("北至富民路北 200 米", "富民路", "北200米"),
    ("东至华祥石化东边界", "华祥石化", "东边界"),
    ("南至园区北边界以南1000米", "园区", "北边界以南1000米"),
    ("北至永莘路南", "永莘路", "南"),
    ("西至省道S222东侧绿化带", "省道S222", "东侧绿化带"),
    ("西至规划千刚一路(西段)", "规划千刚一路", "西段"),
    ("南至卤汀河西侧(闸沿北路)", "卤汀河", "西侧(闸沿北路)"),
    ("北至规划红线", "规划红线", None),
    ("北至经六路延长线", "经六路", "延长线"),
])
def test_qualifiers_are_split_from_the_name(text, name, qualifier):
    b = parse_bounds(text)
    side = b.given_sides()[0]
    assert (b.features(side), b.qualifier_list(side)) == ([name], [qualifier])


def test_remarks_in_brackets_are_set_aside_not_read_as_names():
    b = parse_bounds("北至经十路(不含济南轨道交通4号线一期工程征收用地)，东至健康路")
    assert b.north == "经十路" and b.east == "健康路"
    assert b.notes == ["(不含济南轨道交通4号线一期工程征收用地)"]


def test_pinyin_annotations_and_stray_spaces_are_ignored():
    b = parse_bounds("東至經(jīng)二路,西至鼓【拼音:gǔ】楼路,南至經十 路")
    assert (b.east, b.west, b.south) == ("经二路", "鼓楼路", "经十路")


def test_missing_sides_say_which_are_open():
    b = parse_bounds("东至白浪河")
    assert b.missing_sides() == ["west", "south", "north"]
    assert b.missing_message() == "只写了东边界，缺少西、南、北边界"
    full = parse_bounds("东至白浪河、西至清平路，南至高家街、北至胶济铁路")
    assert full.missing_sides() == [] and full.missing_message() == ""


def test_a_diagonal_side_covers_both_of_its_directions():
    b = parse_bounds("东北至建新南路，东南至福湾路，西南至闽江南港，西北至浦上路范围内的地块")
    assert b.missing_sides() == []
    assert parse_bounds("东北至宝通街").missing_message() == "只写了东北边界，缺少西、南边界"


def test_a_traced_perimeter_is_refused_with_a_clear_message():
    with pytest.raises(BoundsError, match="沿线走向"):
        parse_bounds("西起县武警中队,向南,距离文昌路40米平行该巷,至金昌路折向北")


def test_clause_starts_at_the_first_side_and_maps_back_to_the_text():
    text = "玉皇化工片区四至范围为:东至试白路以东1500米,西至试白路,面积1.02平方公里"
    assert parse_bounds(text).clause == "东至试白路以东1500米,西至试白路"
    spaced = "区块一:面积649.57 公顷,四至范围为东至刘民路,北至富民路北 200 米。"
    assert parse_bounds(spaced).clause == "东至刘民路,北至富民路北 200 米"


def test_road_names_that_start_like_prose_still_continue_a_side():
    b = parse_bounds("东至白浪河、建设路、共和路，西至清平路，以小商品城为基础")
    assert b.east == ["白浪河", "建设路", "共和路"] and b.west == "清平路"


def test_a_distance_locator_is_kept_aside_not_read_as_a_side():
    b = parse_bounds("百灵庙镇以西 50公里处,东至经三路,西至经一路,北至巴润分公司西南边界")
    assert b.ignored == ["百灵庙镇以西50公里处"]
    assert (b.east, b.west, b.north) == ("经三路", "经一路", "巴润分公司")
    assert b.qualifiers == {"north": "西南边界"}


def test_an_unbracketed_exclusion_is_a_note():
    b = parse_bounds("四至范围为东至污水处理厂东侧,西至001乡道不含")
    assert b.west == "001乡道" and b.notes == ["不含"]


def test_clause_of_a_feature_first_text_starts_at_the_first_feature():
    assert parse_bounds("位于杏乐路以东、银河路以西、北宫西街以南、胜利西街以北").clause == \
        "杏乐路以东、银河路以西、北宫西街以南、胜利西街以北"


@pytest.mark.parametrize("text, want", [
    ("东起白浪河，西止清平路", {"east": ["白浪河"], "west": ["清平路"]}),
    ("东起白浪河，西止于清平路，南达高家街，北抵胶济铁路为止",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("东至白浪河、西至清平路、南至高家街、北至胶济铁路所围合的区域",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("东至白浪河、西至清平路、南至高家街、北至胶济铁路围合的区域",
     {"east": ["白浪河"], "west": ["清平路"], "south": ["高家街"], "north": ["胶济铁路"]}),
    ("清平路以东地区", {"west": ["清平路"]}),
])
def test_more_verbs_and_closings(text, want):
    b = parse_bounds(text)
    assert {side: b.features(side) for side in ALL_SIDES if b.features(side)} == want


def test_a_road_extent_is_refused_with_its_own_message():
    with pytest.raises(BoundsError, match="道路的起止"):
        parse_bounds("艺城中路北起新35省道,南至环北二路")


@pytest.mark.parametrize("text", [
    "东至白浪河 西至清平路 南至高家街 北至胶济铁路",
    "东至白浪河西至清平路南至高家街北至胶济铁路",
    "①东至白浪河②西至清平路③南至高家街④北至胶济铁路",
    "(1)东至白浪河(2)西至清平路(3)南至高家街(4)北至胶济铁路",
    "东至白浪河\n西至清平路\n南至高家街\n北至胶济铁路",
])
def test_sides_written_without_punctuation_are_still_apart(text):
    b = parse_bounds(text)
    assert (b.east, b.west, b.south, b.north) == ("白浪河", "清平路", "高家街", "胶济铁路")


@pytest.mark.parametrize("text, clause", [
    ("四至：东：白浪河；西：清平路。其余", "东：白浪河；西：清平路"),
    ("说明 东至白浪河西至清平路。以外", "东至白浪河西至清平路"),
    ("范围：南、西至清平路，北至高家街。", "南、西至清平路，北至高家街"),
])
def test_clause_is_verbatim_even_when_the_text_was_rewritten_to_read_it(text, clause):
    assert parse_bounds(text).clause == clause


def test_a_control_character_pasted_into_a_name_is_dropped():
    """"东至白浪河\x00、…" said the east edge "白浪河" was not in the gazetteer."""
    bounds = parse_bounds("东至白浪河\x00、西至清平路，南至高家街、北至胶济\x01铁路")
    assert bounds.features("east") == ["白浪河"] and bounds.features("north") == ["胶济铁路"]
