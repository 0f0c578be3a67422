"""Named projects, facilities, platforms and works of the plan, with every mention.

Extraction is code over the cleaned text (:mod:`layers.plan.project_names` finds
the names); this module groups the names that stand for one project ("谷德锦"
and "谷德锦商业综合体"), finds every place the plan mentions each, reads the
status from the words of each mention (:mod:`layers.plan.project_status`) and
the zone or park the text ties it to. ``tests/test_projects_reading.py``
measures the result against our reviewed reading of the whole plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from layers.plan.areas import PlanArea
from layers.plan.project_names import Candidate, find_names
from layers.plan.project_status import STATUS_LABELS, STATUS_ORDER, StatusReading, status_at, strongest
from layers.plan.sections import Citation, Paragraph, split_sections

__all__ = ["CATEGORY_LABELS", "STATUS_LABELS", "STATUS_ORDER", "Mention", "PlanProject", "RoadStretch",
           "extract_projects", "road_stretch"]

CATEGORY_LABELS = {
    "industry": "产业", "innovation": "科创平台", "logistics": "物流", "commerce": "商贸",
    "culture-tourism": "文旅", "public service": "公共服务", "infrastructure": "基础设施",
    "agriculture": "农业", "ecology": "生态",
}
#: Words of a name → category, first match wins (order matters: "广告" before "商务区",
#: "研究院" before "装备", "道路" before "农村", "绿化" before the plain "工程").
_CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    ("culture-tourism", r"广告|西街\d|技术服务中心|商务区$|孵化区$|总部区$"),
    ("innovation", r"研究院|研发|孵化器|创新|转化|转移|加速中心|培育中心|科教|芯片"),
    ("industry", r"科技城|智谷|科创园|装备|拖拉机|机器人|制造|厂房|环保设备|智能装配"),
    ("commerce", r"特色街|风情街|步行街|时尚街|餐饮街|商业|商贸|贸易|商城|商品城|大厦|电商|跨境|金融|总部企业|"
                 r"外商|酒店|海外仓|数字经济|双创|城$"),
    ("logistics", r"物流|港|仓库|大通道|保税|传化"),
    ("public service", r"医院|卫生院|院区|学校|幼儿园|图书馆|档案馆|文化馆|美术馆|科技馆|文化宫|少年宫|活动中心|"
                       r"服务中心$|市民中心|实践中心|公墓|疾控|救助|公寓|视频|监控|调度中心|信用|公共文化"),
    ("culture-tourism", r"文化|文旅|旅游|艺术|遗址|旧址|纪念馆|博物馆|非遗|古民居|万印楼|金银仓|画都|影棚|VR|创意|"
                        r"十笏园|九街八巷|教育基地|保护区"),
    ("infrastructure", r"道路|供水|管网|电网|厕所|垃圾|污水|立交|高速|桥$|断头路|扩宽|轻轨|机场|火车站|站房|BRT|"
                       r"地下空间|枢纽|热源|处理场|户户通|G309|S223|改扩建"),
    ("agriculture", r"农(?!机)|石斛|银杏|花菇|药花谷|田园|沼气|灌溉|仙草"),
    ("ecology", r"湿地|公园|河道|水环境|生态|水源|绿化|增花|河湖|环保|生物多样性|国土|景观带|护岸|北广场|园$"),
    ("infrastructure", r"工程$|路$|街$|广场$|改造提升$"),
)
#: A name that adds only one of these to a shorter one stands for the same project.
_SAME_TAILS = ("园", "商业综合体")
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE_RE = re.compile(r"[^；;]+[；;]?")
_CHUNK_SEPS = "，,；;。：:！？"
_STRETCH_RE = re.compile(r"^(?P<road>[^()]+)\((?P<a>[^()]+?)至(?P<b>[^()]+?)段\)(?P<work>.*)$")
#: Where the plan reviews 2016–2020: its verbs report what was done.
_REVIEW = ("一", "一")


@dataclass(frozen=True)
class RoadStretch:
    """A project on a stretch of one road, between two crossing features."""

    road: str
    start: str
    end: str


@dataclass
class Mention:
    """One place the plan names a project: its sentence, status words, zone/park tie."""

    quote: str
    clause: str
    citation: Citation
    zone: str | None = None
    park: str | None = None
    status: str = "unstated"
    status_words: str = ""
    line_no: int = 0

    def as_dict(self) -> dict:
        """The mention as JSON-ready properties (quote and citation per mention)."""
        return {"quote": self.quote, "citation": str(self.citation), "status": self.status,
                "status_label": STATUS_LABELS[self.status], "status_words": self.status_words,
                "zone": self.zone, "park": self.park}


@dataclass
class PlanProject:
    """A project with all its mentions; ``quote``/``citation`` are of its main mention."""

    id: str
    name: str
    category: str
    status: str
    zone: str | None
    park: str | None
    quote: str
    citation: Citation
    mentions: list[Mention] = field(default_factory=list)
    industry: str | None = None
    aliases: list[str] = field(default_factory=list)
    status_words: str = ""
    zones: list[str] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    stretch: RoadStretch | None = None


def road_stretch(name: str) -> RoadStretch | None:
    """The road stretch a project name describes ("北宫西街(安顺路至昌乐界段)…"), if any."""
    m = _STRETCH_RE.match(name)
    return RoadStretch(m.group("road"), m.group("a"), m.group("b")) if m else None


def category_of(name: str) -> str:
    """The category of a project by the words of its name (default: industry)."""
    return next((cat for cat, pattern in _CATEGORY_RULES if re.search(pattern, name)), "industry")


def industry_of(sentence: str, name: str) -> str | None:
    """The industry the plan names for a project, where it does (…为带动的X产业, …等X项目)."""
    led = re.search(re.escape(name) + r"为带动的([^，,、。；;]{2,10}?产业)", sentence)
    if led:
        return led.group(1)
    for chunk in re.findall(r"[^，,；;]+", sentence):
        if name in chunk:
            kind = re.search(re.escape(name) + r"[^，,。；;]*?等([^，,、。；;等]{2,8}?)(?:项目|产业)", chunk)
            if kind and not kind.group(1).startswith(("一批", "重点", "新兴", "骨干")):
                return kind.group(1)
    return None


# --- grouping names --------------------------------------------------------------------------

def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _same_project(short: str, long: str) -> bool:
    """Whether ``short`` is another way of writing ``long`` ("谷德锦" / "谷德锦商业综合体")."""
    if len(short) >= len(long) or "、" in long:
        return False
    if long.startswith(short):
        return long[len(short):] in _SAME_TAILS or long[len(short)] in "及和"
    if long.endswith(short):
        return len(short) >= 3
    return (len(long) - len(short) <= 3 and short[:2] == long[:2] and short[-2:] == long[-2:]
            and _is_subsequence(short, long))


def _group_names(names: list[str]) -> dict[str, str]:
    """Map every name to the name of its project: the longest way of writing it.

    A short name that could belong to two projects goes to the one the plan
    names first.
    """
    canonical: dict[str, str] = {}
    for name in names:
        longer = [other for other in names if _same_project(name, other)]
        canonical[name] = longer[0] if longer else name
    for name in names:   # follow chains: 新机场 → 潍坊新机场 …
        while canonical[canonical[name]] != canonical[name]:
            canonical[name] = canonical[canonical[name]]
    return canonical


# --- ties to zones and parks -----------------------------------------------------------------

def _area_named(text: str, names: list[str]) -> str | None:
    found = {n for n in names if n in text}
    return found.pop() if len(found) == 1 else None


def _area_of_clause(clause: str, chunk: str, names: list[str]) -> str | None:
    """The area a clause ties a mention to: named in the mention's own chunk, or opening the clause.

    "站南片区,火车站南站房…竣工" and "以潍坊节能环保产业园为依托,…加快科达环境…建设"
    tie; "国家广告产业园区成功入选…,十笏园文化小镇获批…" does not.
    """
    if area := _area_named(chunk, names):
        return area
    first = re.split(f"[{_CHUNK_SEPS}]", clause.strip(), maxsplit=1)[0]
    if first in names or re.match(r"^(?:以|依托|围绕建设|围绕)", first):
        return _area_named(first, names)
    return None


# --- mentions --------------------------------------------------------------------------------

def _chunk_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The chunk (between separators) around ``text[start:end]`` and the chunk after it."""
    left = max(text.rfind(sep, 0, start) for sep in _CHUNK_SEPS) + 1
    rights = [i for i in (text.find(sep, end) for sep in _CHUNK_SEPS) if i >= 0]
    right = min(rights, default=len(text))
    nexts = [i for i in (text.find(sep, right + 1) for sep in _CHUNK_SEPS) if i >= 0]
    follow = text[right + 1:min(nexts, default=len(text))] if right < len(text) else ""
    return text[left:right], follow.strip()


def _status_chunk(text: str, start: int, end: int) -> tuple[str, str]:
    """The chunk whose words give the status; for a name inside a long bracket, the opener's chunk."""
    opened = text.rfind("(", 0, start)
    if opened > text.rfind(")", 0, start) and end - opened > 12:
        chunk, _ = _chunk_around(text, opened, opened)
        return chunk + text[opened:end], ""
    return _chunk_around(text, start, end)


def _occurrences(text: str, spellings: list[str], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans where one of the spellings stands, outside longer names of other projects."""
    spans: list[tuple[int, int]] = []
    for spelling in spellings:
        for m in re.finditer(re.escape(spelling), text):
            span = (m.start(), m.end())
            inside = any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in taken)
            if not inside and not any(s[0] <= span[0] < s[1] for s in spans):
                spans.append(span)
    return sorted(spans)


@dataclass
class _Context:
    zone_names: list[str]
    park_names: list[str]
    area_items: dict[tuple, tuple[str | None, str | None]]
    #: Every name found, so that status words inside other names ("瞪羚企业加速中心") are not read.
    names: list[str] = field(default_factory=list)


def _masked(chunk: str, anchor: str, names: list[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        if name not in anchor and anchor not in name:
            chunk = chunk.replace(name, "□" * len(name))
    return chunk


def _mention(para: Paragraph, start: int, end: int, anchor: str, ctx: _Context) -> Mention:
    text = para.text
    sentence = next(m for m in _SENTENCE_RE.finditer(text) if m.start() <= start < m.end())
    clause = next(c.group(0) for c in _CLAUSE_RE.finditer(sentence.group(0))
                  if c.start() <= start - sentence.start() < c.end())
    chunk, follow = _status_chunk(text, start, end)
    cite = para.citation
    past = (cite.chapter, cite.section) == _REVIEW
    reading = status_at(_masked(chunk, anchor, ctx.names), anchor, past=past, follow=follow)
    zone, park = ctx.area_items.get((cite.chapter, cite.section, cite.item), (None, None))
    own_chunk, _ = _chunk_around(text, start, end)
    zone = zone or _area_of_clause(clause, own_chunk, ctx.zone_names)
    park = park or _area_of_clause(clause, own_chunk, ctx.park_names)
    return Mention(sentence.group(0).strip(), clause.strip(), cite, zone, park,
                   reading.status, reading.words, para.line_no)


def _is_area(name: str, ctx: _Context) -> bool:
    """Names of zones and parks ("潍坊节能环保产业园") are ties, not projects."""
    return any(area in name for area in ctx.zone_names + ctx.park_names)


def _context(zones: list[PlanArea], parks: list[PlanArea]) -> _Context:
    items: dict[tuple, tuple[str | None, str | None]] = {}
    for area in zones + parks:
        key = (area.citation.chapter, area.citation.section, area.citation.item)
        items[key] = (area.name, None) if area.kind == "zone" else (None, area.name)
    return _Context([z.name for z in zones], [p.name for p in parks], items)


def _candidates(paragraphs: list[Paragraph], ctx: _Context) -> list[tuple[Paragraph, Candidate]]:
    return [(para, cand) for para in paragraphs for cand in find_names(para.text)
            if not _is_area(cand.name, ctx)]


def _project_mentions(project: str, spellings: list[str], sites: list[tuple[Paragraph, Candidate]],
                      paragraphs: list[Paragraph], others: list[str], ctx: _Context) -> list[Mention]:
    """Every mention: the places the patterns found it, and every other place its spellings stand.

    Roads ("潍昌路") are named in many 四至 clauses: only their project sentences count.
    """
    found: dict[tuple[int, int], Mention] = {}
    for para, cand in sites:
        start = para.text.find(cand.anchor, para.text.find(cand.chunk))
        if start >= 0:
            found[(para.line_no, start)] = _mention(para, start, start + len(cand.anchor), cand.anchor, ctx)
    if not any(cand.road for _, cand in sites):
        for para in paragraphs:
            taken = [(m.start(), m.end()) for o in others for m in re.finditer(re.escape(o), para.text)]
            for start, end in _occurrences(para.text, spellings, taken):
                if not any(k[0] == para.line_no and k[1] <= start < k[1] + len(project) for k in found):
                    found[(para.line_no, start)] = _mention(para, start, end, para.text[start:end], ctx)
    return [found[k] for k in sorted(found)]


def _unique(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _build(pid: str, name: str, spellings: list[str], mentions: list[Mention]) -> PlanProject:
    best = strongest([StatusReading(m.status, m.status_words) for m in mentions])
    zones, parks = _unique([m.zone for m in mentions]), _unique([m.park for m in mentions])
    main = next((m for m in mentions if m.zone or m.park),
                next((m for m in mentions if m.status == best.status), mentions[0]))
    industry = next((found for m in mentions for s in spellings if (found := industry_of(m.quote, s))), None)
    return PlanProject(pid, name, category_of(name), best.status,
                       zones[0] if len(zones) == 1 else None, parks[0] if len(parks) == 1 else None,
                       main.quote, main.citation, mentions, industry,
                       aliases=[s for s in spellings if s != name], status_words=best.words,
                       zones=zones, parks=parks, stretch=road_stretch(name))


def extract_projects(text: str, zones: list[PlanArea], parks: list[PlanArea]) -> list[PlanProject]:
    """Every project the plan names, in the order it first names them.

    Each has its status (the most advanced its mentions give), the zone or park
    the text ties it to (``None`` when it names none, or several: then
    ``zones``/``parks`` list them), every mention, and a main quote: a mention
    with a tie, else the one that gives the status.
    """
    ctx = _context(zones, parks)
    paragraphs = [p for s in split_sections(text) for p in s.paragraphs]
    sites = _candidates(paragraphs, ctx)
    names = list(dict.fromkeys(c.name for _, c in sites))
    ctx.names = names
    canonical = _group_names(names)
    projects = list(dict.fromkeys(canonical[n] for n in names))
    out = []
    for i, project in enumerate(projects, start=1):
        spellings = sorted({project, *(n for n in names if canonical[n] == project)}, key=len, reverse=True)
        own = [(p, c) for p, c in sites if canonical[c.name] == project]
        others = [n for n in names if canonical[n] != project and any(s in n for s in spellings)]
        mentions = _project_mentions(project, spellings, own, paragraphs, others, ctx)
        out.append(_build(f"project-{i:03d}", project, spellings, mentions))
    return out
