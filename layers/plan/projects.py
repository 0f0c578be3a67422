"""Named projects, facilities and platforms the plan ties to building work.

Extraction is code over the cleaned text: a reviewed list of names (each
must occur in the plan; a test checks) is located sentence by sentence, and
each mention's own words give the status and the zone or park.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from layers.plan.areas import PlanArea
from layers.plan.sections import Citation, split_sections

#: Reviewed names → category. Kept short and factual; every name occurs in the plan.
PROJECT_NAMES: dict[str, str] = {
    "潍坊先进光电芯片研究院": "innovation", "鲁中大马力拖拉机": "industry",
    "华博农机装备": "industry", "泰鸿拖拉机": "industry",
    "中科飞乐新能源智能环卫机器人": "industry", "科达环境高端环保设备": "industry",
    "智能农机装备研究院": "innovation", "智能制造研究院": "innovation",
    "潍城科创园": "industry", "金科智慧科技城": "industry", "中南高科·鸢都智谷": "industry",
    "传化公路港": "logistics", "普洛斯智慧物流园": "logistics", "智慧物流小镇": "logistics",
    "万科城": "commerce", "绿地新里城": "commerce", "绿地缤纷城": "commerce",
    "深新能源大厦": "commerce", "齐鲁台湾城": "commerce", "和平广场": "commerce",
    "坤泰城": "commerce", "交运贸易广场": "commerce", "上城国际特色街": "commerce",
    "站南广场地下空间": "infrastructure", "火车站南站房": "infrastructure",
    "潍城区人民医院": "public service", "潍坊医学院附属医院浮烟山院区": "public service",
    "火车站南广场二级综合医院": "public service", "潍城区精神卫生院": "public service",
    "十笏园文化街区": "culture-tourism", "南大营1789 艺术区": "culture-tourism",
    "南大营大学生创意产业园": "culture-tourism", "松园古民居": "culture-tourism",
    "麓台田园综合体": "agriculture", "铁皮石斛种植加工基地": "agriculture", "千亩银杏园": "agriculture",
    "白浪绿洲湿地公园": "ecology",
}
CATEGORY_LABELS = {
    "industry": "产业", "innovation": "科创平台", "logistics": "物流", "commerce": "商贸",
    "culture-tourism": "文旅", "public service": "公共服务", "infrastructure": "基础设施",
    "agriculture": "农业", "ecology": "生态",
}
#: Status words → fixed status, strongest first.
STATUS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("completed", ("竣工", "建成", "投入运行", "投入使用", "运营")),
    ("started", ("开工",)),
    ("in progress", ("加快建设", "进展顺利", "加快推进", "推进", "加速", "建设")),
    ("planned", ("规划", "筹建", "探索建设", "打造")),
    ("attracting", ("招引", "引进", "引入")),
)
STATUS_LABELS = {"completed": "已建成", "started": "已开工", "in progress": "推进中",
                 "planned": "规划", "attracting": "招引", "unstated": "未说明"}
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE_RE = re.compile(r"[^；;]+")
_CHUNK_RE = re.compile(r"[^，,；;]+")


@dataclass
class Mention:
    """One sentence that names a project."""

    quote: str
    clause: str
    citation: Citation
    zone: str | None = None
    park: str | None = None


@dataclass
class PlanProject:
    """A project with the mention that says most about it."""

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


def status_of(clause: str) -> str:
    """The strongest status word in a clause, as a fixed status key."""
    for status, words in STATUS_WORDS:
        if any(w in clause for w in words):
            return status
    return "unstated"


def status_near(clause: str, name: str) -> str:
    """The status the words around ``name`` give: its own comma chunk, else the next one."""
    chunks = _CHUNK_RE.findall(clause)
    for i, chunk in enumerate(chunks):
        if name in chunk:
            status = status_of(chunk)
            if status == "unstated" and i + 1 < len(chunks):
                status = status_of(chunks[i + 1])
            return status
    return status_of(clause)


def industry_of(sentence: str, name: str) -> str | None:
    """The industry the plan names for a project, where it does (…为带动的X产业, …等X项目)."""
    led = re.search(re.escape(name) + r"为带动的([^，,、。；;]{2,10}?产业)", sentence)
    if led:
        return led.group(1)
    for chunk in _CHUNK_RE.findall(sentence):
        if name in chunk:
            kind = re.search(re.escape(name) + r"[^，,。；;]*?等([^，,、。；;等]{2,8}?)(?:项目|产业)", chunk)
            if kind and not kind.group(1).startswith(("一批", "重点", "新兴", "骨干")):
                return kind.group(1)
    return None


def _area_in(text: str, names: list[str]) -> str | None:
    found = [n for n in names if n in text]
    return found[0] if len(found) == 1 else None


def _mentions(text: str, zones: list[PlanArea], parks: list[PlanArea]) -> dict[str, list[Mention]]:
    zone_names, park_names = [z.name for z in zones], [p.name for p in parks]
    park_items = {(p.citation.chapter, p.citation.section, p.citation.item): p.name for p in parks}
    zone_items = {(z.citation.chapter, z.citation.section, z.citation.item): z.name for z in zones}
    found: dict[str, list[Mention]] = {}
    for section in split_sections(text):
        for para in section.paragraphs:
            key = (para.citation.chapter, para.citation.section, para.citation.item)
            for sentence in _SENTENCE_RE.findall(para.text):
                for clause in _CLAUSE_RE.findall(sentence):
                    for name in PROJECT_NAMES:
                        if name not in clause:
                            continue
                        zone = zone_items.get(key) or _area_in(clause, zone_names)
                        park = park_items.get(key) or _area_in(clause, park_names)
                        found.setdefault(name, []).append(
                            Mention(sentence.strip(), clause.strip(), para.citation, zone, park))
    return found


def extract_projects(text: str, zones: list[PlanArea], parks: list[PlanArea]) -> list[PlanProject]:
    """Every reviewed project name found in the plan, with status, zone/park and quote.

    The mention that ties the project to a zone or park is preferred as the
    quote; otherwise the first mention.
    """
    out = []
    for i, (name, mentions) in enumerate(sorted(_mentions(text, zones, parks).items(),
                                                key=lambda kv: list(PROJECT_NAMES).index(kv[0])), start=1):
        best = next((m for m in mentions if m.zone or m.park), mentions[0])
        statuses = [status_near(m.clause, name) for m in mentions]
        order = [s for s, _ in STATUS_WORDS] + ["unstated"]
        status = min(statuses, key=order.index)
        industry = next((found for m in mentions if (found := industry_of(m.quote, name))), None)
        out.append(PlanProject(f"project-{i:03d}", name, PROJECT_NAMES[name], status,
                               best.zone, best.park, best.quote, best.citation, mentions, industry))
    return out


def missing_names(text: str) -> list[str]:
    """Reviewed names that no longer occur in the text (should be empty)."""
    return [n for n in PROJECT_NAMES if n not in text]
