"""Quantified targets of the plan (chapters 2–13) and its baselines (第一章第一节).

Every figure written in Arabic digits with a unit (亿元, 家, %, 万亩 …) is one
row, except figures that are part of a name (产值过10亿元企业, 前5名, the
objects of 将…). A clause with several figures gives one row per figure
("分别达到44619元和22597元", "…已分别达到91%、90%以上", "新建…159条86公里").
The plan's 主要指标 table is missing from the source and is not rebuilt.

Columns of a row (``targets.csv``), with the meaning target pacing relies on:

``id``
    Deterministic and stable: a hash of kind, chapter, section, item, value
    and unit (and the order among equal ones), so values users record stay on
    their figure when other figures are found or renamed.
``indicator``
    A noun phrase in the plan's words (see :mod:`layers.plan.target_names`).
``kind``
    ``target`` (chapters 2–13) or ``baseline`` (第一章第一节, the 十三五 record).
``value``, ``value_max``
    The figure; ``value_max`` only for a range ("2-3家": 2 and 3).
``unit``
    As the plan writes it, with 万/亿 kept (万亩, 亿元, %).
``comparator``
    ``≥`` (以上, 不少于, 超过, 余), ``≤`` (以内, 之内, 以下, 不超过), ``≈``
    (左右, 近, 约) or ``=``. A 以上 closing a 分别 list holds for every figure.
``measure``
    ``level``: a state reached by the end of ``period`` or held during it
    (达到, 发展到, 保持, every % figure …);
    ``rate``: an average yearly growth in % over ``period`` (年均增长);
    ``cumulative``: a total done during ``period`` (新增, 新建, 完成, 培育,
    累计 …; per year when ``period`` is ``每年``);
    ``change``: the difference over ``period`` (增加88天 is +88, not 88).
``period``
    ``2020`` (a level in 2020), ``2016-2020`` (十三五 totals, rates, changes),
    ``2025`` (a level the plan sets for 2025: 到2025年…), ``2021-2025`` (the
    plan period: totals, and levels the plan sets without a year),
    ``每年`` (every year of the plan period).
``year``
    Kept for the app: ``2020`` for baselines; ``2025``, ``每年`` or
    ``2021-2025`` for targets (the time the sentence gives).
``baseline``, ``baseline_year``
    For a target, the baseline figure of the same indicator, unit and
    measure, and that baseline's period: a 2020 level for a level target,
    the 2016–2020 total for a cumulative one (so pacing of a cumulative
    target starts from 0, not from its baseline).
``scope``
    全区, a zone or park named in the sentence, or the plan's distributive
    subject (于河、望留各 / 每个涉农街区 / 新建住宅小区).
``category``, ``quote``, ``citation``
    The chapter's theme, the whole sentence, and where it stands.
``note``
    Non-empty when the capture's mojibake ate part of the indicator name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from layers.plan import target_names as nm
from layers.plan.sections import Citation, split_sections

_UNITS = ("微克/立方米", "平方公里", "平方米", "千米", "公里", "场次", "元", "斤", "亩", "户", "人", "套", "张", "名",
          "所", "处", "项", "件", "座", "天", "吨", "个", "家", "条", "辆", "次", "起", "段", "%", "‰")
_NUM = r"\d+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    rf"(?P<value>{_NUM})\s*(?:[%‰]\s*)?(?:[-—~～]\s*(?P<value_max>{_NUM}))?\s*(?P<mult>万|亿)?\s*(?P<odd>余)?\s*"
    rf"(?P<unit>{'|'.join(map(re.escape, sorted(_UNITS, key=len, reverse=True)))})")
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]?")
# A semicolon right after □ belongs to mojibake, not to the sentence.
_CLAUSE_SPLIT = re.compile(r"[,，；]|(?<!□);")
_ITEM_PREFIX = re.compile(r"^\s*\d+\s*[.．、]")
_NAME_PART_BEFORE = re.compile(r"(?:(?<!超)过|前|第)\s*$")
_TO_2025 = re.compile(r"到\s*2025\s*年")
_PLAN_SPAN = re.compile(r"“十四五”(?:期间|时期)|^\s*\d+\s*年(?!\d)")
_BASELINE_YEAR = re.compile(r"2020\s*年")
_CHANGE_VERB = re.compile(r"(?:增加|减少|下降|降低)\s*$")
_RATE_VERB = re.compile(r"年均增长\s*$")
_PERCENT = ("%", "‰")
_QUALIFIER = re.compile(r"(?:以上|及以上|以内|以下|左右)?")

CATEGORY_BY_CHAPTER = {"一": "economy", "二": "economy", "三": "innovation", "四": "industry", "五": "economy",
                       "六": "urban", "七": "governance", "八": "rural", "九": "culture", "十": "ecology",
                       "十一": "livelihood", "十二": "governance", "十三": "governance"}
CATEGORY_LABELS = {"economy": "经济发展", "innovation": "创新驱动", "industry": "产业体系", "urban": "城市建设",
                   "rural": "乡村振兴", "culture": "文化旅游", "ecology": "生态环境", "livelihood": "民生福祉",
                   "governance": "治理保障"}
MEASURES = ("level", "rate", "cumulative", "change")
MEASURE_LABELS = {"level": "水平值", "rate": "年均增速", "cumulative": "累计量", "change": "增减量"}


@dataclass
class Target:
    """One quantified figure from the plan (see the module docstring for the fields)."""

    id: str
    indicator: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    year: str
    kind: str
    category: str
    scope: str
    quote: str
    citation: Citation
    measure: str = "level"
    period: str = ""
    note: str = ""
    baseline: float | None = None
    baseline_year: str | None = None

    def as_row(self) -> dict:
        """A flat row for ``targets.csv``."""
        return {"id": self.id, "indicator": self.indicator, "value": self.value, "value_max": self.value_max,
                "unit": self.unit, "comparator": self.comparator, "year": self.year, "kind": self.kind,
                "measure": self.measure, "period": self.period,
                "baseline": self.baseline, "baseline_year": self.baseline_year, "scope": self.scope,
                "category": self.category, "quote": self.quote, "citation": str(self.citation), "note": self.note}


@dataclass
class _Figure:
    """A figure of one clause while it is being read."""

    value: float
    value_max: float | None
    unit: str
    comparator: str
    name: str = ""
    verbs: str = ""
    scope: str = ""
    measure: str = ""
    when: str = ""


@dataclass
class _Sentence:
    """What a sentence has said so far: its time frame and the last names."""

    kind: str
    when: str = ""
    last: list[_Figure] = field(default_factory=list)


def comparator_of(before: str, after: str, odd: bool = False) -> str:
    """≥, ≤, ≈ or = from the words around a figure (以上/以内/左右/近/余 …)."""
    if re.search(r"(?:约|近|大约)\s*$", before) or re.match(r"\s*左右", after):
        return "≈"
    if odd or re.match(r"\s*(?:以上|及以上|多)", after) or re.search(r"(?:超过|不少于|不低于|至少)\s*$", before):
        return "≥"
    if re.match(r"\s*(?:以内|以下|之内)", after) or re.search(r"不超过\s*$", before):
        return "≤"
    if re.search(r"控制在\s*$", before) and re.match(r"[^,，;；。]*?(?:以内|之内|以下)", after):
        return "≤"
    return "="


def _figures_of(clause: str) -> list[re.Match]:
    """Figures of a clause that are values, not part of a name (过10亿元, 前5名, 将30余个)."""
    found = []
    for m in _FIGURE_RE.finditer(clause):
        before = clause[:m.start()]
        if _NAME_PART_BEFORE.search(before) or "将" in before:
            continue
        found.append(m)
    return found


def _new_figure(m: re.Match, clause: str) -> _Figure:
    before, after = clause[:m.start()], clause[m.end():]
    unit = (m.group("mult") or "") + m.group("unit")
    return _Figure(value=float(m.group("value")),
                   value_max=float(m.group("value_max")) if m.group("value_max") else None,
                   unit=unit, comparator=comparator_of(before, after, bool(m.group("odd"))))


def _read_listed(clause: str, figs: list[re.Match]) -> list[_Figure] | None:
    """"A和B分别达到X和Y": one figure per listed name, or ``None`` when the clause is no such list."""
    at = clause.find("分别")
    if at < 0 or at > figs[0].start():
        return None
    subject, _ = nm.strip_tail(nm.strip_context(clause[:at]))
    names = nm.split_list(subject, len(figs))
    if not names:
        return None
    out = [_new_figure(m, clause) for m in figs]
    verbs = clause[at:figs[0].start()]
    closing = out[-1].comparator
    for fig, name in zip(out, names):
        fig.name, fig.verbs = name, verbs
        if closing == "≥" and fig.comparator == "=":
            fig.comparator = "≥"
    return out


class _Naming(NamedTuple):
    """How one figure is named: the name, the words that carry its action
    (read for the measure), a distributive scope, and whether the noun after
    the figure was used (the next figure's words then start after it)."""

    name: str
    verbs: str
    scope: str
    used_after: bool


def _read_clause(clause: str, figs: list[re.Match]) -> list[_Figure]:
    """Name every figure of a clause from the words before or after it."""
    listed = _read_listed(clause, figs)
    if listed is not None:
        return listed
    out: list[_Figure] = []
    start = 0
    for i, m in enumerate(figs):
        fig = _new_figure(m, clause)
        end = figs[i + 1].start() if i + 1 < len(figs) else len(clause)
        before_raw, after = clause[start:m.start()], clause[m.end():end]
        next_noun = nm.noun_after(clause[figs[i + 1].end():]) if i + 1 < len(figs) else ""
        naming = _name(before_raw, after, fig.unit, next_noun)
        fig.name, fig.verbs, fig.scope = naming.name, naming.verbs, naming.scope
        if "按" in fig.verbs and "标准" in after:
            fig.measure = "level"  # a standard (按…不少于…的标准) is a level to keep
        start = end if naming.used_after else m.end() + len(_QUALIFIER.match(after).group(0))
        if out and not re.sub(r"[、和及与\s]", "", before_raw):
            # "6.7%和7.7%", "159条86公里": the verbs before the first figure hold for this one too.
            fig.verbs = fig.verbs or out[-1].verbs
            if naming.used_after:
                out[-1].name = nm.share_head(out[-1].name, fig.name)
        out.append(fig)
    return out


def _name(before_raw: str, after: str, unit: str, next_noun: str) -> _Naming:
    """Name one figure from the words before it (up to the previous figure) and after it."""
    before = nm.strip_context(before_raw)
    scope, before = nm.scope_of(before)
    standard = nm.by_standard(before, after.strip(), unit)
    if standard:
        return _Naming(standard[0], before, scope or standard[1], True)
    body, tail = nm.strip_tail(before)
    rest, lead = nm.strip_lead_verb(body)
    noun = nm.noun_after(after)
    if not body:  # "212个村完成…": the figure opens its clause
        return _Naming(nm.counted_subject(noun, next_noun), tail + before_raw + noun, scope, True)
    verbs = lead + tail
    if nm.only_verbs(body):  # "培育3家…企业", "新建、改扩建22处中小学校", "授权436件"
        head = body if body.startswith(("新", *nm.DEFINING_VERBS)) else ""
        return _Naming(head + nm.after_last_de(noun) if noun else "", body + tail, scope, True)
    if body.endswith("拥有") or (tail.endswith("实现") and noun):  # "每万名人口拥有3-5名全科医生"
        suffix = "率" if unit in _PERCENT and tail.endswith("实现") else ""
        return _Naming(body + noun + suffix, verbs, scope, True)
    name = rest if lead and not lead.startswith("新") else body
    if "等" in name:  # "推进…、望留等2处乡镇卫生院", "清理…等“十乱”问题216.4万起"
        kept = next((v for v in nm.DEFINING_VERBS if name.startswith(v)), "")
        head = "" if name.endswith("等") else nm.after_examples(name)
        if not head:
            return _Naming(nm.after_last_de(noun), verbs, scope, True)
        name = head if head.startswith(kept) else kept + head
    return _Naming(name, verbs, scope, False)


def _inherit(figs: list[_Figure], sentence: _Sentence) -> None:
    """Give unnamed figures the names of the figure or clause before (年均增长6.7%和7.7%, 授权436件)."""
    if all(f.name for f in figs):
        return
    if not any(f.name for f in figs) and len(figs) == len(sentence.last) > 1:
        for fig, prev in zip(figs, sentence.last):
            fig.name = prev.name
        return
    for i, fig in enumerate(figs):
        named = [f for f in figs[:i] if f.name] or sentence.last
        if fig.name or not named:
            continue
        prev = named[-1]
        verb = nm.strip_lead_verb(fig.verbs.strip(), keep_defining=False)[1]
        base = nm.strip_lead_verb(prev.name, keep_defining=False)[0]
        fig.name = verb + base if verb and verb not in prev.name else prev.name


def _complete_elided(figs: list[_Figure], sentence: _Sentence) -> None:
    """"产值过10亿元企业…、过亿元企业…": the second name gets the words the plan left out."""
    for i, fig in enumerate(figs):
        earlier = [f.name for f in [*sentence.last, *figs[:i]] if f.name]
        if earlier:
            fig.name = nm.elided_head(fig.name, earlier[-1])


def _measure(fig: _Figure, clause_before: str, sentence: _Sentence, baseline_year_said: bool) -> str:
    """level, rate, cumulative or change for one figure (see the module docstring)."""
    verbs = fig.verbs.strip()
    if _RATE_VERB.search(verbs):
        return "rate"
    if _CHANGE_VERB.search(verbs):
        return "change"
    if fig.unit in _PERCENT or any(v in verbs for v in nm.LEVEL_VERBS):
        return "level"
    if "其中" in clause_before and sentence.last:
        return sentence.last[-1].measure
    if "累计" in clause_before:
        return "cumulative"
    acted = fig.name.startswith(("新建", "新增", "新引进", "新招引", "新签约")) or \
        any(v in clause_before + verbs for v in (*nm.ACTION_VERBS, "新建", "新增", "对接", "用上"))
    if acted and not (sentence.kind == "baseline" and baseline_year_said):
        return "cumulative"
    return "level"


def _period(kind: str, measure: str, when: str) -> tuple[str, str]:
    """``(period, year)`` of a figure."""
    if kind == "baseline":
        return ("2020" if measure == "level" else "2016-2020"), "2020"
    if when == "每年":
        return "每年", "每年"
    if when == "2025":
        return ("2025" if measure == "level" else "2021-2025"), "2025"
    return "2021-2025", "2021-2025"


def _update_when(clause: str, sentence: _Sentence) -> None:
    """A time marker (到2025年, 每年, “十四五”期间, 5年…) holds for the rest of its sentence."""
    if _TO_2025.search(clause):
        sentence.when = "2025"
    elif "每年" in clause:
        sentence.when = "每年"
    elif _PLAN_SPAN.search(clause):
        sentence.when = "2021-2025"


def _kind_of(cite: Citation) -> str | None:
    """``baseline`` in 第一章第一节, ``target`` in chapters 2–13, else ``None`` (not read)."""
    if cite.chapter == "一":
        return "baseline" if cite.section == "一" else None
    return "target" if cite.chapter in CATEGORY_BY_CHAPTER else None


def _read_sentence(sentence_text: str, kind: str) -> list[_Figure]:
    """All figures of one sentence, named, with measure and period set."""
    state = _Sentence(kind)
    said_2020 = bool(_BASELINE_YEAR.search(sentence_text))
    out: list[_Figure] = []
    for clause in _CLAUSE_SPLIT.split(sentence_text):
        _update_when(clause, state)
        matches = _figures_of(clause)
        if not matches:
            continue
        figs = _read_clause(clause, matches)
        _inherit(figs, state)
        _complete_elided(figs, state)
        for fig, m in zip(figs, matches):
            clause_before = clause[:m.start()]
            fig.measure = fig.measure or _measure(fig, clause_before, state, said_2020)
            fig.when = state.when
        state.last = [f for f in figs if f.name] or state.last
        out.extend(figs)
    return out


def extract_targets(text: str, area_names: list[str] | None = None) -> list[Target]:
    """Every quantified target and baseline figure, with sentence and citation."""
    area_names = area_names or []
    found: list[Target] = []
    for section in split_sections(text):
        for para in section.paragraphs:
            kind = _kind_of(para.citation)
            if kind is None:
                continue
            body = _ITEM_PREFIX.sub("", para.text, count=1)
            for sentence in _SENTENCE_RE.findall(body):
                area = next((n for n in area_names if n in sentence), "")
                for fig in _read_sentence(sentence.rstrip("。！？ "), kind):
                    found.append(_target(fig, kind, area, sentence.strip(), para.citation))
    _assign_ids(found)
    _link_baselines(found)
    return found


def _target(fig: _Figure, kind: str, area: str, quote: str, cite: Citation) -> Target:
    period, year = _period(kind, fig.measure, fig.when)
    name, note = nm.mojibake_note(nm.finish(fig.name, fig.unit, fig.verbs, fig.measure))
    return Target(id="", indicator=name, value=fig.value, value_max=fig.value_max,
                  unit=fig.unit, comparator=fig.comparator, year=year, kind=kind,
                  category=CATEGORY_BY_CHAPTER.get(cite.chapter, "economy"), scope=area or fig.scope or "全区",
                  quote=quote, citation=cite, measure=fig.measure, period=period, note=note)


def _assign_ids(records: list[Target]) -> None:
    """Ids from what a figure is and where it stands, not from its position in the list.

    Values users record are keyed by id: a figure found or renamed elsewhere in
    the plan must not move them onto another target.
    """
    seen: dict[str, int] = {}
    for r in records:
        c = r.citation
        key = f"{r.kind}|{c.chapter}|{c.section}|{c.item}|{r.value:g}|{r.value_max}|{r.unit}"
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:10]
        r.id = f"{'target' if r.kind == 'target' else 'baseline'}-{digest}"


def _common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _link_baselines(records: list[Target]) -> None:
    """Give each target the baseline of the same indicator, unit and measure, where the plan has one."""
    baselines = [r for r in records if r.kind == "baseline"]
    for target in (r for r in records if r.kind == "target"):
        candidates = [(b, _common_run(target.indicator, b.indicator)) for b in baselines
                      if b.unit == target.unit and b.measure == target.measure]
        candidates = [(b, n) for b, n in candidates if n >= 4 and n >= 0.7 * len(target.indicator)]
        if candidates:
            best = max(candidates, key=lambda c: c[1])[0]
            target.baseline, target.baseline_year = best.value, best.period
