"""Indicator names for the figures of the plan (see :mod:`layers.plan.targets`).

A name is built from the words around one figure, by general rules:

- ``主语 + 动词 + 数字`` (全区高新技术企业总数达到50家): the subject, without
  the time, place and joining words before it and the verb after it;
- ``动词 + 数字 + 名词`` (培育3家全产业链一体化农业龙头企业): the noun after the figure;
- ``数字 + 名词 + 动词…`` (212个村完成农村集体产权制度改革): "完成…的村";
- ``A、B分别达到X、Y`` and ``城乡…分别…X和Y``: one name per figure;
- ``按(照)…不少于X的标准…``: the standard and what it is for.

Names keep the plan's words; nothing is added but a head noun the unit
implies (面积 for 亩, 比例 for a share written with 占, 投资 for money put in).
Where the capture's mojibake ate characters, the gap is shown as ``…`` and
:func:`mojibake_note` says so.
"""

from __future__ import annotations

import re

# Words that set the time, place or tone of a clause, never part of a name.
_CONTEXT = re.compile(
    r"^(?:[、,，;；:：\s]|和|及|以及|并且|并|到\s*\d{4}\s*年|\d{4}\s*年|\d+\s*年(?=[^\d])|五年|每年|“十[三四]五”(?:期间|时期)|"
    r"全区上下|全区|我区|力争|其中|同时|累计|实现|推动|积极|大力|免费|已|共|进一步|加快)+")
# Verbs and adverbs that stand between a name and its figure.
LEVEL_VERBS = ("达到", "发展到", "稳定在", "保持在", "保持", "控制在", "提高至", "提高到", "提升到", "提升至", "降至",
               "降低到", "拥有")
_TAIL = re.compile(
    r"(?:达到|发展到|稳定在|保持在|保持|控制在|提高至|提高到|提升到|提升至|降至|降低到|超过|不少于|不低于|不超过|"
    r"年均增长|增长|增加|减少|突破|实现|始终|总体|分别|全部|合计|已|均|约|近|为|的|\s)+$")
# Action verbs that may open a name; 新建/新增/新引进… stay in the name.
ACTION_VERBS = ("建成", "完成", "实施", "创建", "建设", "培育", "打造", "引进", "招引", "开展", "组织参加", "组织开展",
                "组织", "申请", "申报", "推广", "发展", "拆除", "清理", "改造", "投入", "签约", "转化", "推进", "授权",
                "规划建设", "新改扩建", "改扩建")
# Verbs that say what is counted (申请 vs 授权 patents): they stay in a name.
DEFINING_VERBS = ("申请", "申报", "授权", "转化", "拆除", "清理", "推广")
_LEAD_VERB = re.compile("^(?:" + "|".join(sorted(ACTION_VERBS, key=len, reverse=True)) + ")+")
_ONLY_VERBS = re.compile("^(?:" + "|".join(sorted((*ACTION_VERBS, "新建", "新增", "新引进"), key=len, reverse=True))
                         + r"|、)+$")
# After a figure: qualifiers, then the noun it counts.
_AFTER_QUALIFIER = re.compile(r"^(?:以上|及以上|以下|以内|之内|左右|多|余)?(?:的)?")
_JOIN_TAIL = re.compile(r"(?:和|及|以及|与|、|,|，|\s)+$")
# In "212个村完成…", where the counted noun ends and what it did begins.
_DEED = re.compile(r"全部|完成|实现|建成|用上|对接|进展")
_SCOPE_EACH = re.compile(r"^(每个[^\s(（]+?(?:[(（][^)）]*[)）])?|[^，,]+?各)(?=" + "|".join(ACTION_VERBS) + r"|新建|新增)")
_BY_STANDARD = re.compile(r"^(?P<subject>.*?)按(?:照)?(?P<basis>.+)$")
_STANDARD_VERB = re.compile(r"^(?:合理|配套|调剂)?(?:布局|建设|解决|配备|配建|设置)")
_AREA_UNITS = ("亩", "平方米", "平方公里")
_MOJIBAKE = re.compile(r"□[□;:A-Za-z^\\]*")
_SPACE = re.compile(r"\s+")


def strip_context(text: str) -> str:
    """Drop leading time, place and joining words (到2025年, 全区, 其中, 、…)."""
    return _CONTEXT.sub("", text).strip()


def strip_tail(text: str) -> tuple[str, str]:
    """Split off the verbs between a name and its figure: ``(name, verbs)``."""
    m = _TAIL.search(text)
    return (text[:m.start()], m.group(0)) if m else (text, "")


def strip_lead_verb(text: str, *, keep_defining: bool = True) -> tuple[str, str]:
    """Split off an opening action verb (建成, 培育…): ``(rest, verb)``.

    With ``keep_defining`` a verb that says what is counted (申请, 转化…) stays.
    """
    m = _LEAD_VERB.match(text)
    if not m or (keep_defining and text.startswith(DEFINING_VERBS)):
        return text, ""
    return text[m.end():], m.group(0)


def elided_head(name: str, previous: str) -> str:
    """"产值过10亿元企业…、过亿元企业": give the second the first's words before 过."""
    if name.startswith("过") and "过" in previous[1:]:
        return previous[:previous.index("过", 1)] + name
    return name


def only_verbs(text: str) -> bool:
    """True when the words before a figure are just verbs (培育, 新建、改扩建)."""
    return bool(_ONLY_VERBS.match(text))


def scope_of(before: str) -> tuple[str, str]:
    """Split "于河、望留各创建…" or "每个涉农街区创建…" into ``(scope, rest)``."""
    m = _SCOPE_EACH.match(before)
    return (m.group(1), before[m.end():]) if m else ("", before)


def noun_after(after: str) -> str:
    """The noun a figure counts when it follows the figure (…3家龙头企业和)."""
    noun = _AFTER_QUALIFIER.sub("", after, count=1)
    return _JOIN_TAIL.sub("", noun).strip()


def after_last_de(noun: str) -> str:
    """Keep the head after the last 的 (特色鲜明、高端精致的现代都市农业产业园区)."""
    head = noun.rsplit("的", 1)[-1]
    return head if len(head) >= 2 else noun


def after_examples(name: str) -> str:
    """Drop the examples before 等 (清理店外经营、流动摊点等“十乱”问题 → “十乱”问题)."""
    head = name.rsplit("等", 1)[-1]
    return head if len(head) >= 2 else name


def counted_subject(noun: str, next_noun: str = "") -> str:
    """Name a figure that opens its clause: "212个村完成…改革" → "完成…改革的村".

    ``next_noun`` is the object when the deed's object is itself a figure
    ("50家企业对接20家科研院所" → "对接科研院所…的企业").
    """
    m = _DEED.search(noun, 1)
    if not m:
        return noun
    counted, deed = noun[:m.start()], noun[m.start():].removeprefix("全部")
    if deed.startswith("进展"):
        return counted
    if len(deed) <= 2 and next_noun:
        deed += next_noun
    return f"{deed}的{counted}" if deed else counted


def share_head(first: str, second: str) -> str:
    """"9个国家级、33个省级改革试点任务": give the first its head noun too."""
    m = re.match(r"^.{1,3}级", second)
    if first.endswith("级") and len(first) <= 4 and m:
        return first + second[m.end():]
    return first


def split_list(subject: str, count: int) -> list[str]:
    """Names of a "A、B分别…" or "A和B分别…" subject, one per figure.

    "城乡低保标准分别提高至X和Y" names 城镇… and 农村…; a shared lead such as
    "每千名人口拥有" is given to every item.
    """
    items = [s for s in re.split(r"、|和|及", subject) if s]
    if len(items) == 1 and count == 2 and subject.startswith("城乡"):
        return ["城镇" + subject[2:], "农村" + subject[2:]]
    if len(items) != count:
        return []
    lead = items[0][:items[0].index("拥有") + 2] if "拥有" in items[0] else ""
    return [items[0]] + [it if it.startswith(lead) else lead + it for it in items[1:]]


def by_standard(before: str, after: str, unit: str) -> tuple[str, str] | None:
    """Name a standard "按(照)X不少于N的标准…Y" as ``(name, scope)``, else ``None``."""
    m = _BY_STANDARD.match(before)
    if not m:
        return None
    basis, subject = strip_tail(m.group("basis"))[0], m.group("subject")
    if after.startswith("的标准"):
        obj = _STANDARD_VERB.sub("", after[3:])
        name = f"{basis}{obj}面积" if basis.startswith("每") and unit in _AREA_UNITS else obj + basis
    else:
        verb = _STANDARD_VERB.match(after)
        obj = after[verb.end():] if verb else after
        name = f"{obj}{verb.group(0) if verb else ''}{'比例' if unit in ('%', '‰') else '标准'}(按{basis})"
    return name, subject


def finish(name: str, unit: str, verbs: str, measure: str) -> str:
    """Final touches: no spaces, the head noun the unit implies, no dangling 的."""
    name = _SPACE.sub("", name).strip("的、,，")
    if unit.endswith(_AREA_UNITS) and not re.search(r"面积|用地", name):
        name += "面积"
    if unit in ("%", "‰") and measure == "level" and not re.search(r"比重|比例|率|浓度", name):
        name += "比例"
    if "投入" in verbs and unit.endswith("元"):
        name = name.removeprefix("建设") + "投资"
    return name


def mojibake_note(name: str) -> tuple[str, str]:
    """Show a gap the capture's mojibake left as "…", with a note saying so."""
    if "□" not in name:
        return name, ""
    shown = _MOJIBAKE.sub("…", name)
    return shown, f"名称中有文字因网页乱码缺失，以“…”标出（原文：{name}）"
