"""Find the names of projects, facilities, platforms and works in plan text.

Code over the text, no list of answers. A paragraph is cut into chunks (between
commas, outside brackets and quotes); a chunk is stripped of its opening verbs
("加快推进", "依托", "探索建设" …) and split into its list items ("、", and
"和/及/与" where the left part is itself a name). Each item is cut after a project
head word (工程, 产业园, 中心, 平台, 馆, 桥, 综合体, 小镇, 城, 港 …) when what
follows is only status talk ("加快建设", "等一批…", "为依托"). Items without a head
word count when their list closes with a class of projects ("万科城、谷德锦、绿地
缤纷城等大型商业载体"). Road works name each road of the list with the work
("北宫西街(安顺路至昌乐界段)、宝通西街(…)等道路扩宽及快速化改造工程").

Cleaning rules then drop what names no particular thing: classes ("综合性文化服务
中心", "口袋公园13 处"), lists of kinds ("智慧客运、智慧停车…"), what the district
attracts rather than builds ("招引制造物流…等项目"), aspirations ("打造国内领先的…
基地"), companies ("…等重点企业") and programmes that build nothing ("人才聚集工程").

``tests/test_projects_reading.py`` measures this against our reviewed reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Head words that end a project name.
SUFFIXES: tuple[str, ...] = tuple(sorted({
    "工程", "河道治理", "高速公路改扩建", "产业园", "物流园", "科技城", "智谷", "小镇", "公社",
    "综合体", "研究院", "中心", "平台", "馆", "展馆(厅)", "桥", "大厦", "广场", "城", "港",
    "街区", "片区", "特色街", "风情街", "步行街", "时尚街", "餐饮街", "文化街", "孵化器", "共同体",
    "基地", "医院", "卫生院", "学校", "院区", "站房", "地下空间", "非遗空间", "公寓", "厂房", "仓库",
    "大通道", "古民居", "二期", "处理场", "文化圈", "文化带", "景观带", "宫", "公园", "园",
    "火车站", "机场", "枢纽", "市场群", "艺术区", "孵化区", "总部区", "商务区", "物流区", "旧址",
    "遗址", "工作站", "保护区", "公墓", "大环线", "海外仓", "楼", "影棚", "产业园区",
}, key=len, reverse=True))
#: Head words of a list's closer (after 等) that make its items projects.
_CLASS_WORDS = ("项目", "载体", "平台", "园区", "设施", "孵化器", "酒店", "道路", "工程", "小镇",
                "综合体", "历史遗存", "街区", "学校", "热源", "板块")
#: Closer words that make a list one of companies, industries, kinds or ways: skipped whole.
_NOT_PROJECT_CLOSERS = ("企业", "人才", "业态", "领域", "品牌", "要素", "行业", "材料", "产品",
                        "水平", "布局", "模式", "方式", "形式", "招商", "制度", "评估")
#: Of those, the closers whose named items (with a head word) are still no projects:
#: companies ("前进车桥、中远重工等重点企业"), talent, ways and rules.
_NOTHING_NAMED_CLOSERS = ("企业", "人才", "招商", "水平", "方式", "制度", "评估")
#: Openers of a chunk that attract, encourage or cultivate kinds of things: no names follow.
_NO_PROJECT_LEADS = ("支持", "鼓励", "引导", "吸引", "培育", "招引", "主要招引", "重点招引",
                     "重点引进", "招商引进", "重点招商引进", "集中力量招引")
#: Aspirations ("打造国内领先的…基地") are goals, not projects.
_ASPIRATION_RE = re.compile(r"领先|一流|有影响力|为一体|于一体|国家级|全域|美丽|四位一体")
#: Verbs and adverbs that open a chunk before its object; stripped repeatedly, longest first.
_LEADS: tuple[str, ...] = tuple(sorted({
    "积极", "加快", "深入", "扎实", "持续", "大力", "全力", "着力", "重点", "主要", "统筹", "高标准",
    "不断", "充分", "率先", "在全市率先", "探索", "规范", "适时", "加速", "进一步", "同步", "共同",
    "推进", "推动", "建设", "实施", "建成", "建好", "建立", "设立", "组建", "搭建", "构建", "打造",
    "筹建", "规划建设", "规划实施", "规划", "开工建设", "新改扩建", "新建", "依托", "借助", "围绕",
    "抓好", "提升", "做大做强", "做强", "引进", "新引进", "引入", "融合", "整合", "完成", "发展",
    "放大", "加大", "发挥", "做好", "修复", "拓展", "以", "以及", "由", "通过", "园区通过",
    "配合做好", "全市首个", "对", "新一轮", "与", "临近", "累计", "优化", "优化布局", "简化",
    "加强", "提高", "完善", "深化", "充实", "划定", "科学", "优先保障", "扶持开发", "开展",
    "新增", "集中力量", "一处", "一个", "首个", "国家AAAA 级旅游景区", "裸露土地",
}, key=len, reverse=True))
#: Opening text cut off by pattern: money ("投入5280 万元建设"), areas ("68 平方公里").
_LEAD_RE = re.compile(r"^(?:.*?(?:投入|投资)[\d.\s]*[万亿]元(?:建设)?|.*?运营团队建设|.*?全部建成|"
                      r"[\d.\s]+(?:平方公里|万亩|亩)|\d+\s*[.．、]\s*)")
#: What may follow a name in its list item: status talk, a class, a particle.
_TAIL_RE = re.compile(
    r"^(?:$|等|为|的|和|与|及|以及|项目|建设|竣工|开工|加快|进展|投入|主体|获批|入选|纳入|成功|提档|"
    r"提升|改造|修缮|保护|功能|品牌|硬件|设施|紧邻|渐成|全面|实施|打造|推进|扩资|积极|规划|省级|"
    r"[两二三四五六七八九十]个|\d|两个|进行|文化旅游元素|藏品|的品牌效应)")
_JOIN_RE = re.compile(r"以及|和|及|与")
_SEPARATORS = "，,；;。：:！？"
#: Brackets longer than this (or holding a list) are scanned on their own, not kept in a name.
_MAX_INLINE_BRACKET = 8
#: "以X为带动/依托/…" and "对X进行": X is the object.
_LED_RE = re.compile(r"以(.+?)为(带动|依托|龙头|中心|轴心|支撑|引领|基础|核心)")
_ON_RE = re.compile(r"对(.+?)进行")
#: Markers of a class rather than one named thing (一 is singular: 一处, 一个).
_PLURAL_RE = re.compile(r"一批|各类|若干|一些|多个|三级|以上|[\d两二三四五六七八九十]+\s*(?:个|处|所|座|家|条|段|套)")
#: Names of the district's own facilities ("区社会救助综合服务中心"): plain words, one thing.
_DISTRICT_RE = re.compile(r"^(?:区级|区(?![、,，域])|全区|全市|潍城区)")
#: An enumerated set ("三大商圈", "四大遗存") names existing places, not projects.
_SET_RE = re.compile(r"[两二三四五六七八九十]大")
#: A list of road names closed by a road work ("等道路改造提升工程", "等断头路打通工程").
_ROAD_WORK_RE = re.compile(r"^(?:道路)?(.+?)工程")
_ROAD_RE = re.compile(r"(?:路|街|线|段\))$")
#: A list of places closed by a kind of facility: one facility per place
#: ("望留、于河、军埠口等街道公交枢纽站建设", "胜利街、东风街…等重点公交线路的BRT 改造").
_PER_PLACE_RE = re.compile(r"(公交枢纽站|卫生院|BRT\s*改造)")
#: Street-level administrative units are not projects.
_ADMIN_RE = re.compile(r"发展服务中心$|潍城$")
#: A name made only of these words (plus its head word) names no particular thing.
_GENERIC_WORDS = tuple(sorted({
    "综合", "综合性", "公共", "基层", "社区", "城市", "农村", "乡村", "产业", "园区", "创新", "服务",
    "创业", "科技", "企业", "技术", "工程", "研究", "实验", "文化", "数字", "智慧", "信息", "管理",
    "现代", "新型", "特色", "示范", "高端", "重点", "专业", "市场", "国际", "合作", "功能", "配套",
    "生态", "工业", "农业", "商业", "购物", "交流", "展示", "教育", "体育", "健康", "养老", "医疗",
    "质量", "品牌", "提升", "改造", "建设", "发展", "保障", "安全", "监管", "平台", "中心", "基地",
    "项目", "设施", "网络", "体系", "数据", "大数据", "资源", "运动", "场地", "多功能", "新时代",
    "实践", "站", "众创", "空间", "孵化", "加速", "器", "研发", "成果", "转化", "转移", "人才",
    "就业", "救助", "法律", "一站式", "线上", "城乡", "统一", "联合", "产业化", "三级", "区", "街",
    "村", "居", "镇", "街道", "小区", "住宅", "公司", "高效", "集约", "标准化", "规范化", "营商",
    "政务", "应急", "物资", "储备", "消防", "协同", "区域", "总部", "经济", "数字化", "智能",
    "公益性", "陈列", "志愿", "机构", "新", "大", "型", "级", "省", "市", "国家", "龙头", "一体化",
    "载体", "高质量", "商务", "休闲", "以上", "优质", "高品质", "品质", "新兴", "双创", "道路",
    "日间", "照料", "少年儿童", "法治", "社会", "治理", "民间", "组织", "湿地", "交易", "幼儿",
    "普惠性", "公办", "委托", "办", "园", "校园", "校", "集中式", "饮用水", "水源", "大学", "技改",
    "桥梁", "新改建", "都市", "活力", "文明", "库", "和", "及", "(", ")", "“", "”",
}, key=len, reverse=True))
#: Programmes called 工程 that build nothing (talent, arts, brands, campaigns).
_PROGRAMME_RE = re.compile(r"人才|名家|名士|英才|之星|品牌|作品|文明|倍增|再造|研究|征集|同线|"
                           r"[二三四五六七八九十两]大工程|[一二三四五六七八九十两]圈|机械化|聚集")


@dataclass(frozen=True)
class Candidate:
    """A name the patterns found, with the chunk it came from (verbatim).

    ``anchor`` is the text that stands for the name in the chunk: the name
    itself, or for a road work the road ("北宫西街(安顺路至昌乐界段)"), which is
    also why ``road`` names are not searched for elsewhere in the plan.
    """

    name: str
    chunk: str
    anchor: str
    road: bool = False


def _split_depth0(text: str, seps: str) -> list[str]:
    """Split at separators outside brackets and quotes."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(（“":
            depth += 1
        elif ch in ")）”" and depth:
            depth -= 1
        elif ch in seps and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [s for s in (p.strip() for p in out) if s]


def _outer_brackets(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Cut long bracketed passages out; return the rest and ``(passage, defines_a_label)``.

    A passage right after a quoted label ("“两宫四馆六中心”(区工人文化宫…)") lists
    what the label stands for: each item there is one facility, however plain its name.
    """
    passages: list[tuple[str, bool]] = []

    def cut(match: re.Match) -> str:
        inner = match.group(1)
        if len(inner) > _MAX_INLINE_BRACKET or any(c in inner for c in "、，,"):
            passages.append((inner, text[:match.start()].endswith("”")))
            return ""
        return match.group(0)

    return re.sub(r"[(（]([^()（）]*)[)）]", cut, text), passages


def _strip_leads(text: str) -> str:
    text = _LEAD_RE.sub("", text)
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if text.startswith(lead) and len(text) > len(lead):
                text, changed = text[len(lead):].lstrip("、 "), True
                break
    return text


def _name_end(piece: str) -> int | None:
    """The end of the shortest name ending in a head word that only status talk follows."""
    for end in range(3, len(piece) + 1):
        if any(piece[:end].endswith(s) for s in SUFFIXES) and _TAIL_RE.match(piece[end:]):
            if piece[:end].endswith("工程") and piece[end:].startswith("建设项目"):
                return None   # "工程建设项目": construction projects in general
            return end
    return None


def _pieces(item: str) -> list[str]:
    """Split one list item at 和/及/与 where the left part is a complete name or a plain word."""
    parts, rest = [], item
    while m := next((m for m in _JOIN_RE.finditer(rest)
                     if m.start() and (any(rest[:m.start()].endswith(s) for s in SUFFIXES)
                                       or is_generic(rest[:m.start()]) and _name_end(rest[m.end():]))), None):
        left = rest[:m.start()]
        if not is_generic(left) or any(left.endswith(s) for s in SUFFIXES):
            parts.append(left)
        rest = rest[m.end():]
    return [*parts, rest]


def _balance_quotes(name: str) -> str:
    name = name.strip(" 、\"")
    if name.startswith("“") and "”" not in name:
        name = name[1:]
    if name.endswith("”") and "“" not in name:
        name = name[:-1]
    return name


def _clean(name: str) -> str:
    name = _strip_leads(_balance_quotes(name))
    if "的" in name:
        name = name[name.rindex("的") + 1:]   # "能满足…需求的区级公益性公墓": the modifier goes
    return _balance_quotes(name)


def generic_words(name: str) -> int | None:
    """How many plain words ("综合", "服务" …) make up a name; ``None`` if something else is left."""
    rest = re.sub(r"“[^”]*”", "", name)
    for suffix in SUFFIXES:
        if rest.endswith(suffix):
            rest = rest[:-len(suffix)]
            break
    count = 0
    for word in _GENERIC_WORDS:
        count += rest.count(word)
        rest = rest.replace(word, "")
    return None if rest.strip(" 、") else count


def is_generic(name: str) -> bool:
    """Whether a name is a class of things ("综合性文化服务中心") rather than one thing."""
    return generic_words(name) is not None and not _DISTRICT_RE.match(name)


def _keep(name: str, chunk: str, *, listed: int) -> bool:
    """Cleaning rules for one name.

    ``listed`` is 1 for a name from a list of projects ("…等配套设施") and 2 for one
    from the list a quoted label stands for ("“两宫四馆六中心”(…)") or a work named after
    quoted examples ("…“发展线”等国土综合整治工程"); 3 marks road works.
    """
    if len(name) < 2 or len(name) > 30 or _ADMIN_RE.search(name) or _PLURAL_RE.search(name) \
            or "至" in name and ")" not in name:
        return False
    if listed == 2:
        return True
    at = chunk.find(name)
    if at >= 0 and (re.search(r"一批|各类|若干|一些|多个", chunk[:at])
                    or _PLURAL_RE.search(chunk[max(0, at - 6):at])
                    or re.match(r"\s*(?:[2-9]|\d{2,})\s*(?:个|处|所|座|家)", chunk[at + len(name):])):
        return False
    if name.endswith("工程"):
        return not _PROGRAMME_RE.search(name)
    if listed:   # a listed "人才公寓" is one facility; "基层综合性文化服务中心" still a class
        return (generic_words(name) or 0) <= 2 or _DISTRICT_RE.match(name) is not None
    return not is_generic(name)


def _split_list(obj: str) -> tuple[list[str], str]:
    """A 、-list and its closer: the text after the 等 that closes it."""
    items = _split_depth0(obj, "、")
    if items and (m := re.search(r"[两二三四五六七八九十\d]+个\S*板块\S*$", items[-1])):
        return [*items[:-1], items[-1][:m.start()]], m.group(0)   # "…三个功能板块组成"
    for i, item in enumerate(items):
        if "等" in item and not item.startswith("等"):
            at = item.index("等")
            return [*items[:i], item[:at]], "、".join([item[at + 1:], *items[i + 1:]])
    return items, ""


def _is_kinds(items: list[str]) -> bool:
    """"智慧客运、智慧停车、智慧监管…": three or more four-character kinds, no names."""
    plain = [_strip_leads(i) for i in items]
    return len(plain) >= 3 and all(len(i) == 4 and _name_end(i) is None for i in plain)


def _road_works(items: list[str], closer: str) -> list[str]:
    """"东风西街、北宫街等道路改造提升工程" → one project per road, named "road|work"."""
    work = _ROAD_WORK_RE.match(closer)
    roads = [_strip_leads(i) for i in items]
    if not work or not all(_ROAD_RE.search(r) for r in roads):
        return []
    return [f"{road}|{work.group(1)}" for road in roads]


def _is_road(name: str) -> bool:
    """"潍昌路", "卧龙西街": a road, not a street-shaped facility ("茶文化街")."""
    return bool(re.search(r"[路街]$", name)) and not any(name.endswith(s) for s in SUFFIXES)


def _expand_elliptic(items: list[str]) -> list[tuple[str, str]]:
    """"西街68、88" → (西街68, 西街68), (西街88, 88): a bare number repeats the previous stem.

    Each item comes with the text that stands for it in the plan.
    """
    out: list[tuple[str, str]] = []
    for item in items:
        prev = re.match(r"(.*?)\d+$", out[-1][0]) if out else None
        out.append((prev.group(1) + item, item) if prev and item.isdigit() else (item, item))
    return out


def _closes_projects(closer: str) -> bool:
    """Whether a closer ("等一批新兴产业园区", "等大型商业载体") names a class of projects."""
    at = max((closer.rfind(w) for w in _CLASS_WORDS), default=-1)
    return at >= 0 and not re.search(r"产业(?!园)", closer[at:])


def _closes_non_projects(closer: str, words: tuple[str, ...] = _NOT_PROJECT_CLOSERS) -> bool:
    """Whether a closer names companies, industries, ways… ("等重点企业", "等外贸新模式项目不少于10 个")."""
    at = max((closer.rfind(w) + len(w) for w in _CLASS_WORDS if w in closer), default=0)
    return "不少于" in closer or any(w in closer[at:] for w in words)


def _list_names(obj: str, *, defines: bool = False) -> list[tuple[str, int, str]]:
    """Names in one object phrase: ``(name, listed, written)``.

    ``listed`` says whether the name came from a list of projects (see :func:`_keep`);
    ``written`` is what the plan wrote for it where that differs ("88").
    """
    items, closer = _split_list(obj)
    if not items or _SET_RE.search(items[-1]) or _closes_non_projects(closer, _NOTHING_NAMED_CLOSERS):
        return []
    if roads := _road_works(items, closer):
        return [(r, 3, "") for r in roads]
    if _is_kinds(items):
        return []
    if not closer and len(items) > 1 and _name_end(_strip_leads(items[0])) is None \
            and re.search(r"(?:工程|治理)$", items[-1]):
        items = ["、".join(items)]   # "乡村道路绿化、亮化、美化提升工程": one name, shared head
    listed = 2 if defines else int(_closes_projects(closer) and not _closes_non_projects(closer))
    names = []
    for item, written in _expand_elliptic(items):
        for piece in _pieces(_strip_leads(item)):
            piece = _strip_leads(piece)
            end = _name_end(piece)
            head = _PER_PLACE_RE.search(closer)
            if head and len(piece) <= 8 and (end is None or "至" in piece):
                names.append((f"{piece}|{head.group(1)}", 3, ""))   # one per place, found like a road work
            elif end is not None:
                names.append((piece[:end], listed, written if written != item else ""))
            elif listed and closer:
                names.append((piece, listed, written if written != item else ""))
    return names


def _objects(chunk: str) -> list[tuple[str, bool]]:
    """Object phrases of a chunk, each with whether a single plain name counts.

    "以X为带动" names X whatever its head word; "以X为依托/中心…" and "对X进行"
    give X; otherwise the whole chunk is the object.
    """
    led = [(m.group(1), m.group(2) == "带动") for m in _LED_RE.finditer(chunk)]
    led += [(m.group(1), False) for m in _ON_RE.finditer(chunk)]
    return led or [(chunk, False)]


def _chunk_names(chunk: str, *, defines: bool) -> list[tuple[str, int, str]]:
    opener = _LEAD_RE.sub("", chunk)[:8]
    if any(lead in opener for lead in _NO_PROJECT_LEADS) or _ASPIRATION_RE.search(chunk) and "打造" in chunk:
        return []
    found = []
    for obj, single in _objects(chunk):
        names = _list_names(obj, defines=defines)
        if not names and single and "、" not in obj:
            names = [(obj, 1, "")]
        found += names
    # "…“生存线”、…“发展线”等国土综合整治工程": the examples are slogans, the work is named after 等.
    work = re.search(r"”等([^，,、“”]{2,12}工程)$", chunk)
    return found + _built_plain_names(chunk) + ([(work.group(1), 2, "")] if work else [])


def _built_plain_names(chunk: str) -> list[tuple[str, int, str]]:
    """What a building verb names without a head word: a road ("建设环库路和…") or a
    quoted name ("适时修复“九街八巷”")."""
    opener = _LEAD_RE.sub("", chunk)
    if not re.match(r"^(?:新建|建设|适时修复|修复)", opener):
        return []
    rest = _strip_leads(opener)
    if quoted := re.fullmatch(r"“([^”]{2,8})”", rest):
        return [(quoted.group(1), 1, "")]
    road = re.match(r"^([\u4e00-\u9fff]{2,5}(?:路|街))(?:和|及|$)", rest)
    return [(road.group(1), 1, "")] if road else []


def find_names(text: str) -> list[Candidate]:
    """Every project name the patterns find in a paragraph, in text order (repeats kept)."""
    main, passages = _outer_brackets(text)
    found: list[Candidate] = []
    for part, defines in [(main, False), *passages]:
        for chunk in _split_depth0(part, _SEPARATORS):
            for raw, listed, written in _chunk_names(chunk, defines=defines):
                if listed == 3:
                    road, work = raw.split("|")
                    found.append(Candidate(road + work, chunk, road, road=True))
                    continue
                name = _clean(raw)
                if _keep(name, chunk, listed=listed):
                    found.append(Candidate(name, chunk, written or name, road=_is_road(name)))
    return found
