"""The project-name patterns and status words on sentences written the way plans write them."""

from __future__ import annotations

import pytest

from layers.plan.project_names import find_names, is_generic
from layers.plan.project_status import status_at
from layers.plan.projects import _group_names, road_stretch


def names(text: str) -> list[str]:
    return [c.name for c in find_names(text)]


@pytest.mark.parametrize("text, expected", [
    # a head word, verbs stripped, list split at 、 and at 和 after a complete name
    ("加快推进潍坊跨境电商产业园、中韩双创产业园、上合国际物流港潍坊分港等高能级开发平台打造。",
     ["潍坊跨境电商产业园", "中韩双创产业园", "上合国际物流港潍坊分港"]),
    ("积极推进小于河生态护岸步道建设工程和大于河流域水环境综合治理工程,提高河道行洪排涝能力。",
     ["小于河生态护岸步道建设工程", "大于河流域水环境综合治理工程"]),
    # names without a head word count when the list closes with a class of projects
    ("依托万科城、谷德锦、绿地缤纷城等大型商业载体,加快吸引国际奢侈品。", ["万科城", "谷德锦", "绿地缤纷城"]),
    ("以智迈德智能装配为带动的智能制造产业。", ["智迈德智能装配"]),
    # what follows the name is status talk, not part of it
    ("永安片区,万科城项目落地开工,为打造商务总部聚集区提供重要支撑。", ["永安片区", "万科城"]),
    ("潍坊医学院附属医院浮烟山院区投入运行。", ["潍坊医学院附属医院浮烟山院区"]),
    # money, numbers and descriptions before the name go
    ("投入5280 万元建设视频解析中心和高空视频监控系统全覆盖工程。", ["视频解析中心", "高空视频监控系统全覆盖工程"]),
    ("建成能满足城乡居民安葬需求的区级公益性公墓1 处。", ["区级公益性公墓"]),
    # an elliptic list item and a shared head
    ("以西街68、西街88 等孵化器为支撑。依托西街68、88、总部区等载体。", ["西街68", "西街88", "西街68", "西街88", "总部区"]),
    ("实施乡村道路绿化、亮化、美化提升工程。", ["乡村道路绿化、亮化、美化提升工程"]),
    # road works: one project per road, named with the work
    ("实施仓南街、向阳路、长松路等断头路打通工程。", ["仓南街断头路打通", "向阳路断头路打通", "长松路断头路打通"]),
    ("规划实施北宫西街(安顺路至昌乐界段)、宝通西街(西环路至昌乐界段)等道路扩宽及快速化改造工程。",
     ["北宫西街(安顺路至昌乐界段)扩宽及快速化改造", "宝通西街(西环路至昌乐界段)扩宽及快速化改造"]),
    # the facilities a quoted label stands for, however plain their names
    ("规划建设“两宫四馆六中心”(区工人文化宫和青少年宫,文化馆、科技馆)。", ["区工人文化宫", "青少年宫", "文化馆", "科技馆"]),
])
def test_names_found(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "依托东方钢管、六合新材料等重点企业,大力发展海洋防腐材料。",              # companies
    "招引制造物流、农产品物流、医药物流、快递物流、电商物流等项目。",          # what is attracted
    "打造智慧客运、智慧停车、智慧监管、智慧执法、智慧物流等监管和服务平台。",  # kinds
    "打造国内领先、世界一流的光电芯片研发及科研成果转化基地。",                # an aspiration
    "建成口袋公园13 处,数字化城市管理实现全覆盖。",                            # a class with a count
    "推动市级以上科技企业孵化器和众创空间提质增量。",                          # a class
    "实施高层次人才聚集、专业技术人才提升和高技能人才振兴“三大工程”。",        # programmes
    "深入实施文艺作品质量提升工程。",                                          # builds nothing
    "5 年建设海外仓、跨境营销中心等外贸新模式项目不少于10 个。",              # a quota
    "放大万印楼、十笏园、城隍庙、松园子古民居“四大遗存”。",                    # an enumerated set
    "优化简化低风险工程建设项目审批流程。",                                    # projects in general
])
def test_classes_kinds_and_aspirations_are_not_projects(text):
    assert names(text) == []


@pytest.mark.parametrize("name, generic", [
    ("综合性文化服务中心", True), ("城市新购物中心", True), ("区社会救助综合服务中心", False),
    ("普洛斯智慧物流园", False), ("智慧物流小镇", False),
])
def test_generic_names(name, generic):
    assert is_generic(name) is generic


@pytest.mark.parametrize("chunk, anchor, past, status, words", [
    ("新引进传化公路港、普洛斯智慧物流园等一批现代智慧物流项目", "普洛斯智慧物流园", True, "introduced", "新引进"),
    ("引进传化公路港", "传化公路港", False, "attracting", "引进"),
    ("新建潍城科创园", "潍城科创园", True, "new", "新建"),
    ("区级图书馆、档案馆主体建成", "区级图书馆", True, "completed", "主体建成"),
    ("推动区级图书馆、档案馆建成使用", "区级图书馆", False, "in progress", "推动"),
    ("建成城市管理智慧调度中心", "城市管理智慧调度中心", False, "new", "建成"),
    ("探索建设南大营大学生创意产业园", "南大营大学生创意产业园", False, "exploring", "探索建设"),
    ("积极筹建潍县战役纪念馆", "潍县战役纪念馆", False, "preparing", "积极筹建"),
    ("加快中恒、丽景、泛海等星级酒店提档升级", "丽景", False, "upgrade", "提档升级"),
    ("加快推进东风西街、北宫街等道路改造提升工程", "东风西街", False, "in progress", "加快推进"),
    ("以上合国际物流港潍坊分港为依托", "上合国际物流港潍坊分港", False, "existing", "为依托"),
    ("由技术服务中心、十里春风文化商业街区组成", "技术服务中心", False, "unstated", ""),
])
def test_status_words(chunk, anchor, past, status, words):
    reading = status_at(chunk, anchor, past=past)
    assert (reading.status, reading.words) == (status, words)


def test_upgrade_said_in_the_next_chunk():
    reading = status_at("充分发挥南大营1789 艺术区紧邻火车站南广场区位优势", "南大营1789 艺术区", past=False,
                        follow="加速进行提档升级")
    assert (reading.status, reading.words) == ("upgrade", "提档升级")


def test_spellings_of_one_project_are_grouped():
    canonical = _group_names(["谷德锦商业综合体", "谷德锦", "站南广场地下空间", "站南广场", "火车站南广场",
                              "十笏园片区", "十笏园文化片区", "十笏园文化街区", "潍水坊特色街", "潍水坊餐饮街"])
    assert canonical["谷德锦"] == "谷德锦商业综合体"
    assert canonical["站南广场"] == "火车站南广场" and canonical["站南广场地下空间"] == "站南广场地下空间"
    assert canonical["十笏园片区"] == "十笏园文化片区" and canonical["十笏园文化街区"] == "十笏园文化街区"
    assert canonical["潍水坊餐饮街"] == "潍水坊餐饮街"


def test_road_stretch_names():
    assert road_stretch("北宫西街(安顺路至昌乐界段)扩宽及快速化改造").start == "安顺路"
    assert road_stretch("大于河宝通街桥") is None


@pytest.mark.parametrize("text, expected", [
    ("加快望留、于河、军埠口等街道公交枢纽站建设。", ["望留公交枢纽站", "于河公交枢纽站", "军埠口公交枢纽站"]),
    ("推进潍城区精神卫生院及杏埠、望留等2 处乡镇卫生院提升改造。", ["潍城区精神卫生院", "杏埠卫生院", "望留卫生院"]),
    ("积极推进胜利街、月河路、火车站至新机场等重点公交线路的BRT 改造。",
     ["胜利街BRT 改造", "月河路BRT 改造", "火车站至新机场BRT 改造"]),
])
def test_one_facility_per_place_of_a_list(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("建设环库路和一级保护区隔离设施,保障水源地水质安全。", ["环库路"]),
    ("适时修复“九街八巷”,进一步保护潍坊城市根脉。", ["九街八巷"]),
    ("重点实施以满足…需求的“保障线”和以关系未来生态安全的各类“生态保护线”等国土综合整治工程。", ["国土综合整治工程"]),
    ("建立“名校人才直通车”,提高人才与产业匹配度。", []),
    ("打造“四有”教师队伍。", []),
])
def test_what_a_building_verb_names_without_a_head_word(text, expected):
    assert names(text) == expected
