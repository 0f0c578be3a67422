"""What a zone or park paragraph says about its industries and its 定位.

The plan words an area's industries as a list after a verb ("大力发展会展经济、
国际社区、现代服务业等特色产业", "主要招引半导体(激光)、智能装备…等上下游集群产业",
"以半导体(激光)、光电芯片等高端特色产业为引领") and its 定位 as the closing
"打造…"/"建设…" phrase. Both are read here, verbatim, from the text after the
四至 clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Verbs that open an industry list which must close with 等 (…等产业/业态/项目).
_LIST_VERBS = ("重点招商引进", "重点招引", "主要招引", "招引", "重点引进", "引进", "导入",
               "大力发展", "主要发展", "突出", "聚焦", "抓好")
#: Verbs whose list may also run to the end of the comma chunk without 等.
_OPEN_VERBS = ("大力发展", "主要发展")
_CHUNK_RE = re.compile(r"[^，,；;。]+")
_LED_RE = re.compile(r"以(.+?)(?:等[^，,；;。]*?)?为(?:引领|中心)")
#: Words that open the 定位 phrase of an area ("打造…", "建设…", …).
_POSITIONING_VERBS = ("打造", "建设", "重点建设", "主要建设", "构建", "规划布局", "引导")
#: Joining words inside a list ("外商总部、区域总部和技术中心").
_JOIN_RE = re.compile(r"、|以及|和|及")
#: A list item that is an institution, not an industry ("智能制造研究院").
_INSTITUTION_RE = re.compile(r"(?:研究院|研究所|实验室|大学|学院)$")


@dataclass
class AreaIndustries:
    """Industries and 定位 of one area, with the chunks they were read from."""

    industries: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    positioning_phrase: str = ""


def _clean_item(item: str) -> str:
    """One list item as an industry name, or ``""`` when it is none.

    "高端装备为代表的国内外500 强" → "高端装备"; "智能制造领域行业领军企业" → "智能制造".
    """
    item = item.strip(" “”\"")
    item = re.split(r"为代表|为主体", item)[0]
    if m := re.match(r"(.+?)领域", item):
        item = m.group(1)
    if not 1 < len(item) <= 14 or _INSTITUTION_RE.search(item) or item.startswith("的"):
        return ""
    return item


def _list_after(chunk: str, verb: str) -> str | None:
    """The list a verb opens in a chunk: up to 等, or the chunk's end for open verbs."""
    rest = chunk[chunk.index(verb) + len(verb):]
    if "等" in rest:
        return rest[:rest.index("等")]
    return rest if verb in _OPEN_VERBS else None


def _verb_in(chunk: str) -> str | None:
    found = [(chunk.find(v), -len(v), v) for v in _LIST_VERBS if v in chunk]
    return min(found)[2] if found else None


def read_industries(text: str) -> AreaIndustries:
    """Industries named in an area's paragraph, in the plan's order, and its 定位 phrase.

    Parameters
    ----------
    text
        The paragraph after the 四至 clause (or the whole paragraph of a park
        placed by buildings).
    """
    out = AreaIndustries(positioning_phrase=positioning_phrase(text))
    for chunk in _CHUNK_RE.findall(text):
        lists = [m.group(1) for m in _LED_RE.finditer(chunk)]
        if (verb := _verb_in(chunk)) and (listed := _list_after(chunk, verb)) is not None:
            lists.append(listed)
        items = [_clean_item(i) for listed in lists for i in _JOIN_RE.split(listed)]
        new = [i for i in items if i and i not in out.industries]
        if new:
            out.industries += new
            out.snippets.append(chunk.strip())
    return out


def positioning_phrase(text: str) -> str:
    """The 定位 phrase as worded: the last run of chunks opening with 打造/建设/构建….

    Falls back to the paragraph's last chunk when no chunk opens with such a
    verb (the plan then gives the area's role only through what it attracts).
    """
    chunks = [c.strip() for c in re.split(r"[，,。]", text) if c.strip()]
    marks = [c.startswith(_POSITIONING_VERBS) for c in chunks]
    if not any(marks):
        return chunks[-1] if chunks else ""
    end = len(marks) - marks[::-1].index(True)
    start = end
    while start > 0 and marks[start - 1]:
        start -= 1
    first, last = chunks[start], chunks[end - 1]
    return text[text.index(first):text.index(last) + len(last)]
