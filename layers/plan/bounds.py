"""Parse a boundary description (四至) into its sides.

Planning and land documents word a 四至 in a handful of ways; all of these are
read, in simplified or traditional characters:

* direction first — ``东至白浪河、西至清平路`` (白浪河 is the **east** edge),
  with the verbs 至/起/到/抵/临/邻/接/连/靠/濒/贴临, ``东以X为界``,
  ``东与X接壤/相邻/毗邻``, ``东面至``/``西侧至``/``最东端至``;
* feature first — ``位于石渠路以东`` or ``位于X北侧`` (the area lies east
  of 石渠路, so 石渠路 is the **west** edge), also ``X以东和以北``;
* a lead before the first side — a list number ``(一)``/``1、``/``①``, a
  title, ``四至范围为：``, ``征收范围为``, ``……用地`` — and a closing after
  the last one — ``……范围内的地块``, ``……的合围区域``;
* several features on one side, joined by 、/和/以及/及 or chained with
  dashes (``崇安路—南平东路-秀峰路``); a chunk with no direction word
  continues the side before it (``东至周瑜路、华山路``);
* one feature for several sides (``南和西至光明港``, ``南、西至…``) and the
  diagonal sides 东北/东南/西南/西北, kept apart from the four main ones;
* qualifiers that say which edge of a feature bounds the area (西岸, 北侧,
  道路红线, 北边界, 以东1500米, 西250米 …), kept beside the name;
* brackets: a name in brackets stays with the feature
  (``03省道(通惠南路)``), a section or side in brackets is a qualifier
  (``千刚一路(西段)``) and a remark (``(不含……)``, ``(详见……图)``) is set aside;
* pinyin annotations (``區(qū)``, ``鼓【拼音:gǔ】楼``) and stray spaces from
  captured web pages are ignored.

Text that only looks like a 四至 is refused with a message saying what it is:
a traced perimeter (``西起……向南……折向东``) or a road's own extent
(``艺城中路北起新35省道，南至环北二路``). A text naming fewer than four
sides is read as far as it goes; :meth:`Bounds.missing_message` says what is
missing (``只写了东边界，缺少西、南、北边界``).

Polygons are built from the four main sides only (``SIDES``): a side with
several features uses all of their lines together as that edge, and a feature
named for two sides is an edge on both. Diagonal sides are read and shown but
do not constrain the polygon (the edge tests need a main direction);
:meth:`Bounds.missing_sides` counts a diagonal as covering both of its
directions.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from layers.plan.text import to_simplified

SIDES = ("east", "west", "south", "north")
SIDE_NAMES = {"east": "东", "west": "西", "south": "南", "north": "北"}
DIAGONALS = ("northeast", "southeast", "southwest", "northwest")
DIAGONAL_NAMES = {"northeast": "东北", "southeast": "东南", "southwest": "西南", "northwest": "西北"}
ALL_SIDES = SIDES + DIAGONALS
ALL_SIDE_NAMES = {**SIDE_NAMES, **DIAGONAL_NAMES}
_DIR = {"东": "east", "西": "west", "南": "south", "北": "north"}
_OPPOSITE = {"east": "west", "west": "east", "south": "north", "north": "south"}
_DIAGONAL_OF = {"东北": "northeast", "北东": "northeast", "东南": "southeast", "南东": "southeast",
                "西南": "southwest", "南西": "southwest", "西北": "northwest", "北西": "northwest"}

#: Trailing words that qualify a feature without changing which it is
#: (kept for callers; the full grammar is ``_QUALIFIER``).
QUALIFIERS = ("道路中心线", "中心线", "道路红线", "红线", "边线", "西岸", "东岸", "南岸",
              "北岸", "西侧", "东侧", "南侧", "北侧", "一线", "沿线", "堤", "外侧")

_D = "[东西南北]"
_DIST = r"\d+(?:\.\d+)?(?:米|公里|km|m)处?"
_QUAL_POSITION = (rf"{_D}{{1,2}}(?:岸|侧绿化带|侧|边界|边线|边|面|围墙|墙|段)|中段|路{_D}绿化带|左岸|右岸|"
                  r"道路中心线|中心线|道路红线|红线|边线|一线|沿线|外侧|延长线|堤")
_QUAL_OFFSET = rf"以{_D}{{1,2}}(?:{_DIST})?|{_D}{{1,2}}侧?{_DIST}"
# Not after 往/向: "沅江岸往北500米" is a line drawn from the bank, not a side of it.
_QUALIFIER = re.compile(rf"(?<![往向])(?:(?:{_QUAL_POSITION})+(?:{_QUAL_OFFSET})?|(?:{_QUAL_OFFSET}))$")
_LONE_DIRECTION = re.compile(rf"(?<![东西南北]){_D}{{1,2}}$")
#: Names a qualifier must not be cut from: "规划红线" is a line in its own right.
_WHOLE_NAMES = ("规划", "道路", "用地")

_FEATURE_SUFFIX = re.compile(
    r"(?:路|街|道|巷|河|江|渠|沟|湖|岸|线|界|坝|堤|山|桥|高速|港|环|村|镇|库|园|湾|组|场|厂|"
    r"公司|小区|学|中心|宿舍|楼|苑|城|矿区|山体|山麓|水库)$")

# ASCII "?" is left out: captured pages use it for lost characters ("国道?? G335").
_SEPARATORS = "、，,；;。：:！!？\n①-⑳⑴-⒇"
_CHUNK = re.compile(rf"[^{_SEPARATORS}]+")
_VERB = r"贴临|紧邻|毗邻|毗连|止于|至|起|止|到|抵|达|临|邻|接|连|靠|濒|傍|依|毗|(?<=[侧面边界])(?:为|是)"
_DIRS = rf"{_D}{{1,2}}(?:(?:侧|面|边)?(?:和|及|、){_D}{{1,2}})*"
#: The start of a direction-first side, for splitting sides written without punctuation.
_SIDE_START = rf"{_D}{{1,2}}(?:侧|面|边)?(?:至|到|起|抵|临|邻|接|靠|濒)"
# A direction word not glued to a place name before it ("山东至" is a province) nor
# a heading ("再向南至" walks a perimeter).
_NOT_AFTER = r"(?<![东西南北山广河湖江关华辽陕海向往])"
_DIR_BORDER = re.compile(rf"{_NOT_AFTER}最?({_DIRS})(?:[两三四]?面|边界|边|侧|端|部|方)?以(.+?)为界$")
_DIR_ADJ = re.compile(rf"{_NOT_AFTER}最?({_DIRS})(?:[两三四]?面|边界|边|侧|端|部|方)?与(.+?)"
                      r"(?:接壤|相邻|毗邻|毗连|相连|相接|相依|为邻|交界)$")
# "北以万年路三段" (no 为界) where what follows is plainly a feature.
_DIR_YI = re.compile(rf"{_NOT_AFTER}最?({_DIRS})(?:[两三四]?面|边界|边|侧|端|部|方)?以(?![东西南北])([^为]+?"
                     rf"(?:路|街|道|巷|段|河|江|渠|沟|线|桥|高速|铁路))$")
_DIR_FIRST = re.compile(rf"{_NOT_AFTER}最?({_DIRS})(?:[两三四]?面|边界|边|侧|端|部|方)?(?:{_VERB})(.+)$")
_FEAT_FIRST = re.compile(rf"^(.+?)((?:以{_D}(?:和|及|、)?)+)$")
_FEAT_SIDE = re.compile(rf"^(.+?)(?<![与和及、])({_D})侧$")
_LEAD = re.compile(r"^.*?(?:位于|地处|范围(?:调整|仍|确定)?(?:为|是)|四至范围|四至(?:为|是)?|范围)")
_LIST_PREFIX = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]"
                          r"|[①-⑳⑴-⒇])")
_TAIL = re.compile(r"(?:范围内.*|的?(?:部分)?所?(?:围合|围成|合围)(?:而成)?的?(?:区域|地块|范围|用地).*"
                   r"|的(?:部分)?(?:区域|地块|范围).*|相关地块|以内|为止|之间的?(?:区域|地块|范围))$")
#: After "X以东": a bare 区域/地块 closes the clause too ("清平路以西区域").
_FEAT_TAIL = re.compile(r"(?<=以[东西南北])(?:区域|地块|范围|片区|地区|区块|用地|一带)$")
#: Words that open the prose after a clause ("以小商品城……为基础", "依托……").
_PROSE_START = re.compile(r"(?:以|依托|依靠|围绕|立足|发挥|突出|打造|构建|建设|重点|主要|聚焦|导入|引进|招引|"
                          r"发展|推进|加快|形成|包括|其中|涉及|共|总|面积|约|是|为|由|在|将|与|并|及)")
#: Road-like names may start with such a word all the same (建设路, 共和路, 发展大道).
_ROAD_NAME = re.compile(r"(?:路|街|道|巷|河|江|渠|沟|线|桥|高速|铁路)$")
_ADJ_TAIL = re.compile(r"与.+?(?:接壤|相邻|毗邻|毗连|相连|相接|相依|为邻|交界)$")
#: An unbracketed exclusion after a feature: "001乡道不含", "……北侧不含243省道及两侧绿化带".
_EXCLUSION = re.compile(r"(?:不含|不包括).*$")
#: Administrative names glued in front of a road ("无锡市新吴区旺庄街道机场路").
_ADMIN_PREFIX = re.compile(r"^(?:\S{1,8}?(?:省|市|区|县|镇|乡|街道))+")
#: What may stand before the first feature-first name ("……系就中山高速公路以南").
_FEAT_LEAD = re.compile(r"^.*(?:位于|地处|系就|就|即|包括|涉及)")
_ROUTE = re.compile(r"^沿(?![江河海湖山线])|折向|向[东西南北](?![路街村])|往[东西南北]|[东西南北]行$|跨越|穿越|延伸|顺接|起点|终点")
#: A place given by a distance ("百灵庙镇以西50公里处"): it locates, it bounds nothing.
_LOCATOR = re.compile(rf"以?{_D}{{1,2}}{_DIST}")
_DASHES = re.compile(r"(?<![A-Za-z0-9])[—–―\-~～]+(?![A-Za-z0-9])")
_AND = re.compile(r"以及|和|及(?!其)")

_PINYIN_CHARS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_ANNOTATIONS = re.compile(
    rf"\(\s*[{_PINYIN_CHARS}]+\s*\)"
    r"|[【\[《(（]\s*(?:拼音|pinyin|练|读|繁体|繁|简体)\s*[:：][^】\]》)）]*[】\]》)）]")
_BRACKETS = re.compile(r"[(（【\[][^()（）【】\[\]]*[)）】\]]")
#: Bracketed remarks that are not part of a name: exclusions, map references.
_REMARK = re.compile(r"含|扣除|海拔|详见|见附|为准|未命名|以内|附图|图|[,，;；、]|^[一二三四五六七八九十\d]{1,3}$")
_MASK = 0xE000  # private-use code points stand for kept brackets while parsing


class BoundsError(ValueError):
    """A boundary description that cannot be read; the message says why (Chinese)."""


@dataclass
class Bounds:
    """The features that bound an area on each side.

    ``east`` … ``north`` (and the diagonal ``northeast`` … ``northwest``)
    hold a feature name, a list of names when a side names several, or
    ``None`` when the text leaves the side open. ``qualifiers`` maps a side to
    its qualifier (西岸, 红线 …) or to one qualifier per feature. ``notes``
    keeps remarks set aside (``(不含……)``, ``不含243省道``); ``ignored`` keeps
    places given by a distance before the clause, which locate the area but
    bound nothing (``百灵庙镇以西50公里处``).
    """

    east: str | list[str] | None = None
    west: str | list[str] | None = None
    south: str | list[str] | None = None
    north: str | list[str] | None = None
    qualifiers: dict[str, str | list[str | None]] = field(default_factory=dict)
    clause: str = ""
    ignored: list[str] = field(default_factory=list)
    northeast: str | list[str] | None = None
    southeast: str | list[str] | None = None
    southwest: str | list[str] | None = None
    northwest: str | list[str] | None = None
    notes: list[str] = field(default_factory=list)

    def features(self, side: str) -> list[str]:
        """The feature names of one side as a list (empty when open)."""
        value = getattr(self, side)
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]

    def qualifier_list(self, side: str) -> list[str | None]:
        """One qualifier (or ``None``) per feature of ``side``."""
        value = self.qualifiers.get(side)
        names = self.features(side)
        if isinstance(value, list):
            return value
        return [value] * len(names) if names else []

    def as_dict(self, diagonals: bool = False) -> dict:
        """Per side: a list of ``{"feature", "qualifier"}`` (JSON-ready).

        The four main sides always; the diagonal ones too with ``diagonals``.
        """
        return {side: [{"feature": f, "qualifier": q}
                       for f, q in zip(self.features(side), self.qualifier_list(side))]
                for side in (ALL_SIDES if diagonals else SIDES)}

    def given_sides(self) -> list[str]:
        """The sides (main and diagonal) that name at least one feature."""
        return [side for side in ALL_SIDES if self.features(side)]

    def missing_sides(self) -> list[str]:
        """The main sides the text leaves open, in ``SIDES`` order.

        A diagonal side covers both of its directions (东北 covers east and north).
        """
        covered = set()
        for side in self.given_sides():
            name = ALL_SIDE_NAMES[side]
            covered.update(_DIR[ch] for ch in name)
        return [side for side in SIDES if side not in covered]

    def missing_message(self) -> str:
        """A Chinese note such as ``只写了东边界，缺少西、南、北边界``; empty when complete."""
        missing = self.missing_sides()
        if not missing:
            return ""
        given = "、".join(ALL_SIDE_NAMES[s] for s in self.given_sides())
        lacking = "、".join(SIDE_NAMES[s] for s in missing)
        return f"只写了{given}边界，缺少{lacking}边界"


def split_qualifier(name: str) -> tuple[str, str | None]:
    """Split ``白浪河西岸`` into ``("白浪河", "西岸")``; names without one pass through.

    Also reads offsets (``试白路以东1500米``, ``工业四路西250米``), edges of
    sites (``华祥石化东边界``, ``正泰花园西围墙``) and a lone trailing
    direction (``永莘路南``: the south side of 永莘路).
    """
    m = _QUALIFIER.search(name)
    if m and m.start() >= 2 and name[:m.start()] not in _WHOLE_NAMES:
        return name[:m.start()], m.group()
    m = _LONE_DIRECTION.search(name)
    if m and m.start() >= 3:
        return name[:m.start()], m.group()
    return name, None


class _Text:
    """A rewritten copy of a text that remembers where each character came from."""

    def __init__(self, text: str):
        self.s = text
        self.starts = list(range(len(text)))
        self.ends = [i + 1 for i in range(len(text))]

    def sub(self, pattern: re.Pattern, repl) -> None:
        out, starts, ends, pos = [], [], [], 0
        for m in pattern.finditer(self.s):
            out.append(self.s[pos:m.start()])
            starts += self.starts[pos:m.start()]
            ends += self.ends[pos:m.start()]
            new = repl(m)
            # What the replacement keeps of the match maps one to one; the rest to the match.
            k = len(os.path.commonprefix([m.group(), new]))
            out.append(new)
            starts += self.starts[m.start():m.start() + k]
            ends += self.ends[m.start():m.start() + k]
            if len(new) > k:
                starts += [self.starts[min(m.start() + k, m.end() - 1)]] * (len(new) - k)
                ends += [self.ends[m.end() - 1]] * (len(new) - k)
            pos = m.end()
        out.append(self.s[pos:])
        starts += self.starts[pos:]
        ends += self.ends[pos:]
        self.s, self.starts, self.ends = "".join(out), starts, ends


def _normalise(simple: str) -> tuple[_Text, list[str], list[str]]:
    """Drop annotations and stray spaces, set remarks aside and mask kept brackets.

    Returns the rewritten text, the kept brackets (by mask number) and the remarks.
    """
    text = _Text(simple)
    text.sub(_ANNOTATIONS, lambda m: "")
    # A space before a side ("东至A路 西至B路") separates; any other space is a
    # capture artefact ("经十 路", "北 200 米"); a line break always separates.
    text.sub(re.compile(rf"\s+(?={_SIDE_START})|\s*\n\s*"), lambda m: "，")
    text.sub(re.compile(r"\s+"), lambda m: "")
    # Two feature-first sides joined by 及/和: "光辉路以西及木栅路1段238巷以东".
    text.sub(re.compile(rf"(?<=以{_D})(?:及|和)(?!以)"), lambda m: "，")
    # Sides run together without punctuation: "东至A路西至B路" (but "A路北起…" is a road's extent).
    text.sub(re.compile(rf"{_SIDE_START}[^{_SEPARATORS}]*?[路街道河江渠沟线桥](?={_SIDE_START})"),
             lambda m: m.group() + "，")
    kept: list[str] = []
    notes: list[str] = []

    def bracket(m: re.Match) -> str:
        inner = m.group()[1:-1]
        before = text.s[:m.start()]
        if re.fullmatch(r"[一二三四五六七八九十\d]{1,3}", inner):
            return "，"  # a list number "(2)" between sides
        if (m.group()[0] == "【" or _REMARK.search(inner)
                or re.search(r"(?:区域|地块|范围|内)$", before)):
            notes.append(m.group())
            return ""
        kept.append(m.group())
        return chr(_MASK + len(kept) - 1)

    text.sub(_BRACKETS, bracket)
    # "东：XX路" and "东至：XX路" put a colon between the side and its feature.
    text.sub(re.compile(rf"(^|[{_SEPARATORS}])({_D}{{1,2}}(?:面|边|侧|方)?)({_VERB})?[:：](?=\S)"),
             lambda m: m.group(1) + m.group(2) + (m.group(3) or "至"))
    # "南、西至…" names two sides; keep them in one chunk. Only a direction that
    # opens a phrase: in "大唐热电西、西至Y" or "福源街南侧、北至Y" it qualifies a feature.
    text.sub(re.compile(rf"(^|[{_SEPARATORS}]|包括|为|是|即)({_D}(?:侧|面|边)?)、"
                        rf"(?={_D}{{1,2}}(?:[两三四]?面|侧|边)?(?:{_VERB}|以))"),
             lambda m: m.group(1) + m.group(2) + "和")
    return text, kept, notes


def _unmask(s: str, kept: list[str]) -> str:
    return "".join(kept[ord(c) - _MASK] if _MASK <= ord(c) < _MASK + len(kept) else c for c in s)


def _is_mask(c: str, kept: list[str]) -> bool:
    return _MASK <= ord(c) < _MASK + len(kept)


def _sides_of(dirs: str) -> list[str]:
    """``"南和西南"`` → ``["south", "southwest"]``; ``"南北"`` → both sides."""
    sides = []
    for part in re.split(r"和|及|、", re.sub("[侧面边]", "", dirs)):
        if part in _DIAGONAL_OF:
            sides.append(_DIAGONAL_OF[part])
        else:
            sides.extend(_DIR[ch] for ch in part)
    return sides


def _side_phrase(chunk: str, started: bool = False) -> tuple[list[str], str, str] | None:
    """Read one chunk as ``(sides, features text, lead)``; ``None`` when it names no side.

    Inside a clause (``started``) a feature-first side may run on into prose
    ("疏洪东路以东之非都市土地……"); the first one may not, or any "X以西的小区"
    would open a clause.
    """
    for pattern in (_DIR_BORDER, _DIR_ADJ, _DIR_YI, _DIR_FIRST):
        m = pattern.search(chunk)
        if m:
            return _sides_of(m.group(1)), m.group(2), chunk[:m.start()]
    tailed = _TAIL.sub("", chunk)
    lead = _LEAD.match(tailed)
    lead = lead.group() if lead else ""
    body = _FEAT_TAIL.sub("", tailed[len(lead):])
    if started:
        body = re.sub(rf"(?<=以{_D})(?:[之的]|所围).*$", "", body)
    m = _FEAT_FIRST.match(body)
    if m:
        name = _feature_first_name(m.group(1))
        lead += m.group(1)[:len(m.group(1)) - len(name)]
        return [_OPPOSITE[_DIR[d]] for d in re.findall(_D, m.group(2))], name, lead
    m = _FEAT_SIDE.match(body)
    # "丰惠路与泾桂路西北侧" is a corner of a crossing: it locates, it bounds nothing.
    if m and not re.search(rf"{_D}$", m.group(1)):
        return [_OPPOSITE[_DIR[m.group(2)]]], m.group(1), lead
    return None


def _feature_first_name(text: str) -> str:
    """The feature in front of "以东": without "……位于" and administrative prefixes.

    In "无锡市新吴区旺庄街道机场路以东" nothing separates the place from the
    road, so a long name loses its leading 市/区/街道 names.
    """
    if len(text) <= 6:
        return text
    name = _FEAT_LEAD.sub("", text)
    bare = _ADMIN_PREFIX.sub("", name)
    return bare if len(bare) >= 2 and re.search(r"(?:路|街|巷|大道|公路|高速)$", bare) else name


def _is_stretch(chunk: str) -> bool:
    """True for a road's own extent ("艺城中路北起新35省道"), not an area's side."""
    m = _DIR_FIRST.search(chunk)
    return bool(m and _ROAD_NAME.search(chunk[:m.start()]))


def _split_features(text: str) -> list[str]:
    """Split ``铁路和规划三环路`` or ``崇安路—南平东路-秀峰路`` into single features."""
    parts = []
    for piece in _DASHES.split(text):
        parts.extend(_split_and(piece))
    return [p for p in parts if p]


def _split_and(piece: str) -> list[str]:
    for m in _AND.finditer(piece):
        left, right = piece[:m.start()], piece[m.end():]
        if len(left) >= 2 and len(right) >= 2:
            return [left, *_split_and(right)]
    return [piece]


def _feature(raw: str, kept: list[str]) -> tuple[str, str | None]:
    """One feature and its qualifier, brackets restored."""
    raw = _ADJ_TAIL.sub("", raw)
    bracket = ""
    if raw and _is_mask(raw[-1], kept):
        bracket = kept[ord(raw[-1]) - _MASK]
        raw = raw[:-1]
    name, qualifier = split_qualifier(raw)
    if bracket:
        inner = bracket[1:-1]
        if _QUALIFIER.fullmatch(inner) and not qualifier:
            qualifier = inner
        elif qualifier:
            qualifier += bracket
        else:
            name += bracket
    return _unmask(name, kept), (_unmask(qualifier, kept) if qualifier else None)


def _is_prose(chunk: str) -> bool:
    """True when a chunk opens the prose after a clause rather than naming a feature."""
    return bool(_PROSE_START.match(chunk)) and not _ROAD_NAME.search(chunk)


def _continues(chunk: str, kept: list[str]) -> bool:
    """True when a chunk without a direction word reads as one more feature."""
    if len(chunk) > 20 or _ROUTE.search(chunk) or _is_prose(chunk):
        return False
    name, qualifier = _feature(chunk, kept)
    name = re.sub(r"[(（].*[)）]$", "", name)
    return bool(qualifier) or bool(_FEATURE_SUFFIX.search(name))


class _Reader:
    """Collects the sides of one clause, chunk by chunk."""

    def __init__(self, kept: list[str]):
        self.kept = kept
        self.found: dict[str, list[tuple[str, str | None]]] = {}
        self.last: list[str] = []
        self.ignored: list[str] = []
        self.notes: list[str] = []
        self.stretches = 0

    def read(self, chunks: list[tuple[re.Match, str]]) -> list[int]:
        """Read the first clause among ``chunks``; return its span in the normalised text.

        Chunks before the clause are skipped (titles, 面积……, locators); the
        clause ends at the first chunk that is neither a side nor one more
        feature of the side before.
        """
        span: list[int] = []
        stretch = False
        for i, (m, chunk) in enumerate(chunks):
            start = m.start() + m.group().find(chunk)
            if _is_stretch(chunk):
                if self.found:
                    break
                self.stretches += 1
                stretch = True
                continue
            hit = _side_phrase(chunk, started=bool(self.found))
            if stretch and hit:
                continue  # the rest of a road's extent ("…北起A路，南至B路")
            stretch = False
            if hit:
                sides, features, lead = hit
                if self.found and _ROUTE.search(lead):
                    break
                start += len(lead)
                self.add(sides, features, explicit=True)
            elif not self.found:
                if _LOCATOR.search(chunk):
                    self.ignored.append(_unmask(chunk, self.kept))
                continue
            elif _ROUTE.search(chunk):
                raise BoundsError("这段文字是沿线走向（如“西起……向南……折向东”），不是四至描述；"
                                  "请改写为“东至……、西至……，南至……、北至……”")
            elif _continues(_TAIL.sub("", chunk), self.kept) or _between_sides(chunk, chunks[i + 1:], self.kept):
                self.add(self.last, chunk, explicit=False)
            else:
                break
            span = [span[0] if span else start, m.end()]
        return span

    def add(self, sides: list[str], text: str, explicit: bool) -> None:
        text = _TAIL.sub("", text)
        exclusion = _EXCLUSION.search(text)
        if exclusion:
            self.notes.append(exclusion.group())
            text = text[:exclusion.start()]
        features = [_feature(f, self.kept) for f in _split_features(text)]
        if not features or not all(name for name, _ in features):
            names = "、".join(ALL_SIDE_NAMES[s] for s in sides)
            raise BoundsError(f"{names}侧的边界缺少地物名称")
        for side in sides:
            entries = self.found.setdefault(side, [])
            known = [f for f, _ in entries]
            if explicit and entries and features[0][0] not in known:
                raise BoundsError(
                    f"{ALL_SIDE_NAMES[side]}侧出现两个不同的边界：“{'、'.join(known)}”与“{features[0][0]}”，"
                    "请只保留一个")
            entries.extend(f for f in features if f not in entries)
        self.last = sides


def _clean(chunk: str) -> str:
    chunk = _LIST_PREFIX.sub("", chunk)
    # A bare list number ("2" of "2、西至…") is neither a side nor the end of the clause.
    if re.fullmatch(r"[一二三四五六七八九十\d]{1,3}", chunk):
        return ""
    return chunk.strip("“”\"'‘’ ")


def parse_bounds(text: str) -> Bounds:
    """Read the boundary clause of a zone or park description.

    Parameters
    ----------
    text
        A description in simplified or traditional Chinese; the clause may be
        preceded by a title and followed by the rest of the paragraph.

    Returns
    -------
    Bounds
        The features per side, their qualifiers and the verbatim clause (in
        simplified characters). :meth:`Bounds.missing_sides` tells which of
        the four sides the text leaves open.

    Raises
    ------
    BoundsError
        When the text has no boundary clause, traces a line (``西起……折向东``)
        instead of naming sides, or names two different features for one side.
    """
    # Control characters (a NUL pasted with the text) are never part of a name: "白浪河\x00" read as unknown.
    simple = to_simplified("".join(c for c in (text or "") if c >= " " or c in "\n\t"))
    norm, kept, notes = _normalise(simple)
    chunks = [(m, _clean(m.group())) for m in _CHUNK.finditer(norm.s)]
    reader = _Reader(kept)
    span = reader.read([(m, c) for m, c in chunks if c])
    if not reader.found:
        if reader.stretches:
            raise BoundsError("这段文字写的是道路的起止（如“某路北起……，南至……”），不是区域的四至；"
                              "请写成“东至……、西至……，南至……、北至……”")
        raise BoundsError("未找到四至描述（如“东至……、西至……”或“位于……以东”），无法确定边界")
    return _bounds(reader, simple[norm.starts[span[0]]:norm.ends[span[1] - 1]], notes)


def _between_sides(chunk: str, rest: list, kept: list[str]) -> bool:
    """True for short names followed by a side or a plain feature.

    ("南至万瑞和、金通、金艺实业，西至……", "北至日东高速、万福、皇镇街道北边界")
    """
    for _, following in [(None, chunk), *rest]:
        if len(following) > 12 or _is_prose(following) or _ROUTE.search(following):
            return False
        if following is not chunk and (_side_phrase(following, started=True) is not None
                                       or _continues(_TAIL.sub("", following), kept)):
            return True
    return False


def _bounds(reader: _Reader, clause: str, notes: list[str]) -> Bounds:
    bounds = Bounds(clause=clause, ignored=reader.ignored, notes=notes + reader.notes)
    for side, entries in reader.found.items():
        names = [f for f, _ in entries]
        quals = [q for _, q in entries]
        setattr(bounds, side, names[0] if len(names) == 1 else names)
        if any(quals):
            bounds.qualifiers[side] = quals[0] if len(quals) == 1 else quals
    return bounds
