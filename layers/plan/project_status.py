"""The status of a project as the words around one mention give it.

The plan's review of 2016–2020 (第一章第一节) reports what was done: there
"建成" means built and "引进" means brought in. Everywhere else the plan says
what will be done: "建成" is a goal (新建) and "引进" is 招引. Each phrase below
therefore maps to a pair ``(in the review, in the plan)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Statuses from most to least advanced; a project takes the most advanced of its mentions.
STATUS_ORDER: tuple[str, ...] = (
    "completed", "operating", "started", "introduced", "approved", "in progress", "upgrade",
    "new", "planned", "preparing", "exploring", "attracting", "existing", "unstated")
STATUS_LABELS = {
    "completed": "已建成", "operating": "已运营", "started": "已开工", "introduced": "已引进落地",
    "approved": "已获批/入选", "in progress": "推进中", "upgrade": "提升改造", "new": "新建",
    "planned": "规划", "preparing": "筹建", "exploring": "探索建设", "attracting": "招引",
    "existing": "已有（依托）", "unstated": "未说明"}

_C, _O, _S, _I, _A, _P, _U, _N = ("completed", "operating", "started", "introduced", "approved",
                                  "in progress", "upgrade", "new")
#: phrase (regular expression) → (status in the review of 2016–2020, status in the plan).
_LEXICON: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"竣工|主体建成|投入运行|投入使用", (_C, _C)),
    (r"(?:投入|投资)[\d.\s]*[万亿]元建设", (_C, _N)),
    (r"深入实施", (_C, _P)),
    (r"持续实施", (_P, _P)),
    (r"高标准完成|完成|建成|实施", (_C, _N)),
    (r"落地开工|开工建设|开工", (_S, _N)),
    (r"新引进|引进|引入|落地", (_I, "attracting")),
    (r"招引", ("attracting", "attracting")),
    (r"获批|入选|纳入", (_A, _A)),
    (r"渐成规模", (_O, _O)),
    (r"投入建设|加快建设|加快推进|积极推进|扎实推进|深入推进|推进|进展顺利|加快发展|加快布局|加速|抓好|推动|加快",
     (_P, _P)),
    (r"提升改造|改造提升|提档升级|持续提升|规范提升|不断提升|高标准提升|提升|做大做强|做强|修缮保护|保护开发|适时修复|修复",
     (_U, _U)),
    (r"规划建设|规划实施|统筹规划建设|规划", ("planned", "planned")),
    (r"积极筹建|筹建", ("preparing", "preparing")),
    (r"探索建设", ("exploring", "exploring")),
    (r"新改扩建|新建", (_N, _N)),
    # The review's plain "建设" reports work under way, not finished.
    (r"重点建设|主要建设|建设|建好|重点打造|打造|搭建|建立|设立|组建|构建|发展|做好", (_P, _N)),
    (r"依托|为依托|为基础|为龙头|为中心|为轴心|为支撑|为核心|为带动|借助|融合|整合|发挥|放大",
     ("existing", "existing")),
)
#: Outcomes that, said after the name, win over an adverb before it ("加快…提档升级").
_OUTCOMES = {_C, _O, _S, _A, _U}
_PHRASE_RE = re.compile("|".join(f"(?:{p})" for p, _ in _LEXICON))


@dataclass(frozen=True)
class StatusReading:
    """A status key and the words of the plan that give it (``""`` when unstated)."""

    status: str
    words: str


def _status_of(phrase: str, past: bool) -> str:
    for pattern, (review, plan) in _LEXICON:
        if re.fullmatch(pattern, phrase):
            return review if past else plan
    return "unstated"


def _phrases(text: str, past: bool) -> list[tuple[int, str, str]]:
    return [(m.start(), m.group(0), _status_of(m.group(0), past)) for m in _PHRASE_RE.finditer(text)]


def status_at(chunk: str, anchor: str, *, past: bool, follow: str = "") -> StatusReading:
    """The status the words around ``anchor`` in ``chunk`` give.

    The nearest status phrase before the name counts ("新引进传化公路港"), unless
    an outcome follows it ("加快中恒…等星级酒店提档升级"); with none before, the
    first after it ("…主体建成"). ``follow`` is the next chunk of the sentence,
    read only for an upgrade the plan puts there ("…区位优势,加速进行提档升级").

    Parameters
    ----------
    past
        Whether the chunk is in the review of 2016–2020 (第一章第一节).
    """
    at = chunk.find(anchor)
    if at < 0:
        return StatusReading("unstated", "")
    before = _phrases(chunk[:at], past)
    rest = chunk[at + len(anchor):]
    # A work type inside a name ("…等道路改造提升工程") is no outcome.
    after = [p for p in _phrases(rest, past) if not rest[p[0] + len(p[1]):].startswith("工程")]
    outcome = next(((w, s) for _, w, s in after if s in _OUTCOMES), None)
    if outcome:
        return StatusReading(outcome[1], outcome[0])
    reading = StatusReading("unstated", "")
    if before:
        reading = StatusReading(before[-1][2], before[-1][1])
    elif after:
        reading = StatusReading(after[0][2], after[0][1])
    upgrade = re.match(r"^(?:加速|加快)?(?:进行)?(提档升级|提升改造|改造提升)", follow)
    if upgrade and reading.status in ("unstated", "existing"):
        return StatusReading("upgrade", upgrade.group(1))
    return reading


def strongest(readings: list[StatusReading]) -> StatusReading:
    """The most advanced of several readings (the plan's latest word on a project)."""
    return min(readings, key=lambda r: STATUS_ORDER.index(r.status),
               default=StatusReading("unstated", ""))
