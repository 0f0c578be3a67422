"""Quantified targets (到2025年…, 每年…, “十四五”期间…) and the 2020 baselines.

The plan's 主要指标 table is missing from the source and is not rebuilt:
only figures written in the text are extracted, each with its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.plan.sections import Citation, split_sections

_UNITS = ("微克/立方米", "万平方米", "平方米", "亿元", "万元", "元", "千米", "公里", "万户", "户", "万亩", "亩",
          "万人", "人", "套", "张", "名", "所", "处", "项", "件", "座", "天", "吨", "个", "家", "条", "辆",
          "次", "%")
_NUM = r"(\d+(?:\.\d+)?)"
_FIGURE_RE = re.compile(_NUM + r"(?:\s*-\s*" + _NUM + r")?\s*(" + "|".join(map(re.escape, _UNITS)) + ")")
_TARGET_VERBS = ("达到", "超过", "不少于", "不低于", "控制在", "保持在", "稳定在", "发展到", "新增", "建成",
                 "完成", "培育", "打造", "引进", "新建", "改造", "实现", "提高到", "提升到", "增加", "突破",
                 "力争", "拥有", "覆盖", "累计")
_LEAD = re.compile(r"^(?:到\s*2025\s*年|\d{4}\s*年|“十四五”(?:期间|时期)|每年|全区|力争|其中|实现|累计|同时|并|,|，|\s)+")
_TRAIL = re.compile(r"(?:达到|超过|不少于|不低于|控制在|保持在|稳定在|发展到|提高到|提升到|增加|突破|为|的|"
                    r"始终|总体|分别|平均|合计|约|年均增长|增长)+$")
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE_RE = re.compile(r"[^，,；;]+")
CATEGORY_BY_CHAPTER = {"一": "economy", "二": "economy", "三": "innovation", "四": "industry", "五": "economy",
                       "六": "urban", "七": "governance", "八": "rural", "九": "culture", "十": "ecology",
                       "十一": "livelihood", "十二": "governance", "十三": "governance"}
CATEGORY_LABELS = {"economy": "经济发展", "innovation": "创新驱动", "industry": "产业体系", "urban": "城市建设",
                   "rural": "乡村振兴", "culture": "文化旅游", "ecology": "生态环境", "livelihood": "民生福祉",
                   "governance": "治理保障"}


@dataclass
class Target:
    """One quantified figure from the plan."""

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
    baseline: float | None = None
    baseline_year: str | None = None

    def as_row(self) -> dict:
        """A flat row for ``targets.csv``."""
        return {"id": self.id, "indicator": self.indicator, "value": self.value, "value_max": self.value_max,
                "unit": self.unit, "comparator": self.comparator, "year": self.year, "kind": self.kind,
                "baseline": self.baseline, "baseline_year": self.baseline_year, "scope": self.scope,
                "category": self.category, "quote": self.quote, "citation": str(self.citation)}


def comparator_of(before: str, after: str) -> str:
    """≥, ≤, ≈ or = from the words around a figure (以上/以内/左右/达到 …)."""
    if re.match(r"\s*(?:以上|及以上|多|余)", after) or re.search(r"(?:超过|不少于|不低于)\s*$", before):
        return "≥"
    if re.match(r"\s*(?:以内|以下|之内)", after) or re.search(r"(?:不超过|控制在)[^，,]*$", before) and "以上" not in after:
        return "≤"
    if re.match(r"\s*左右", after) or re.search(r"约\s*$", before):
        return "≈"
    return "="


def _indicator(before: str) -> str:
    text = _LEAD.sub("", before.strip())
    text = _TRAIL.sub("", text).strip(" “”")
    return text


def _timeframe(sentence: str, cite: Citation) -> tuple[str, str] | None:
    if cite.chapter == "一" and cite.section == "一":
        return "2020", "baseline"
    if not cite.chapter or cite.chapter == "一":
        return None
    if re.search(r"到\s*2025\s*年", sentence):
        return "2025", "target"
    if "每年" in sentence:
        return "每年", "target"
    # Elsewhere in the plan's chapters a figure with a target verb is a
    # five-year-plan target whose year the sentence does not repeat.
    return "2021-2025", "target"


_PART_OF_NAME = re.compile(r"[过超]\s*$")
_AFTER_SEP = re.compile(r"^(?:以上|及以上|以内|以下|之内|左右|多|余)?(?:[、，,的]|$)")


def _figures(clause: str):
    """Yield ``(match, words before, words after)`` for each figure that is a value.

    A figure inside a name (产值过10亿元企业) is skipped; the words before a
    figure start after the previous value, so lists (A达到1家、B达到2家) split.
    """
    start = 0
    for m in _FIGURE_RE.finditer(clause):
        before, after = clause[start:m.start()], clause[m.end():]
        if _PART_OF_NAME.search(before):
            continue
        yield m, before.lstrip("以上及左右、，, "), after
        start = m.end()


def _noun_after(after: str) -> str:
    """The noun a figure counts when it comes after it (新增1-2家上市公司)."""
    return re.split(r"[、，,；;。(（]|以上|以内|左右", after, maxsplit=1)[0].strip()


def extract_targets(text: str, area_names: list[str] | None = None) -> list[Target]:
    """Every quantified target and 2020 baseline figure, with sentence and citation."""
    area_names = area_names or []
    found: list[Target] = []
    for section in split_sections(text):
        for para in section.paragraphs:
            for sentence in _SENTENCE_RE.findall(para.text):
                frame = _timeframe(sentence, para.citation)
                if frame is None:
                    continue
                year, kind = frame
                scope = next((n for n in area_names if n in sentence), "全区")
                for clause in _CLAUSE_RE.findall(sentence):
                    if kind == "target" and not any(v in clause for v in _TARGET_VERBS):
                        continue
                    for m, before, after in _figures(clause):
                        if re.search(r"\d{4}\s*年$", before.strip()):
                            continue
                        indicator = _indicator(before)
                        if not _AFTER_SEP.match(after) or indicator in _TARGET_VERBS or not indicator:
                            indicator += _noun_after(after)
                        if len(indicator) < 2:
                            continue
                        value = float(m.group(1))
                        found.append(Target(
                            id=f"target-{len(found) + 1:03d}", indicator=indicator, value=value,
                            value_max=float(m.group(2)) if m.group(2) else None, unit=m.group(3),
                            comparator=comparator_of(before, after), year=year, kind=kind,
                            category=CATEGORY_BY_CHAPTER.get(para.citation.chapter, "economy"),
                            scope=scope, quote=sentence.strip(), citation=para.citation))
    _link_baselines(found)
    return found


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
    """Give each target the 2020 figure of the same indicator and unit, where the plan has one."""
    baselines = [r for r in records if r.kind == "baseline"]
    for target in (r for r in records if r.kind == "target"):
        candidates = [(b, _common_run(target.indicator, b.indicator)) for b in baselines if b.unit == target.unit]
        candidates = [(b, n) for b, n in candidates if n >= 4 and n >= 0.7 * len(target.indicator)]
        if candidates:
            best = max(candidates, key=lambda c: c[1])[0]
            target.baseline, target.baseline_year = best.value, best.year
