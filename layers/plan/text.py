"""Clean the captured plan text and locate its chapters and sections.

The captured page mangled the plan three ways (see ``shared/plan/README.md``):
traditional characters, pinyin annotations after characters, and ~18 spots of
mojibake. :func:`clean_plan_text` undoes all three reproducibly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import opencc

#: A pinyin annotation: lower-case latin letters, at least one of them toned or
#: ü, or a bare syllable, inside ASCII parentheses right after a character.
_PINYIN_CHARS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_RE = re.compile(rf"\(([{_PINYIN_CHARS}]+)\)")
# The mojibake sometimes swallowed the "(" of an annotation: "?jié)".
_ORPHAN_PINYIN_RE = re.compile(rf"(?<=\?)[{_PINYIN_CHARS}]+\)")

#: Shown where the bytes no longer say which character stood there.
GAP_MARK = "□"
#: Punctuation the capture folded from full width (GBK row A3) to ASCII.
_FOLDED = "!,;:"
_MAX_RUN = 40


@dataclass
class MojibakeRepair:
    """One repaired or gapped mojibake spot, for the cleaning report."""

    offset: int
    garbled: str
    repaired: str
    gaps: int


@dataclass
class CleanText:
    """The cleaned plan and what the cleaning did."""

    text: str
    pinyin_removed: int
    repairs: list[MojibakeRepair] = field(default_factory=list)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified with OpenCC's ``t2s``."""
    return _t2s().convert(text)


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin annotations such as ``區(qū)``; keep real parentheses.

    Returns
    -------
    tuple
        The text without annotations and how many were removed.
    """
    text, orphans = _ORPHAN_PINYIN_RE.subn("", text)
    text, count = PINYIN_RE.subn("", text)
    return text, count + orphans


def _shifted_bytes(run: str) -> tuple[bytes, int] | None:
    """GBK bytes of a garbled run up to the point where decoding re-aligned.

    The capture lost the first byte of a GBK character and replaced it with
    ``?``; every following pair was read one byte out of step until an ASCII
    byte (the trail of an original character) brought it back in step.
    """
    out = bytearray()
    for i, ch in enumerate(run[:_MAX_RUN]):
        if ch in _FOLDED:
            out += chr(ord(ch) + 0xFEE0).encode("gbk")
        elif ch.isascii():
            if ch.isalnum() or ch in "_\\":
                out += ch.encode("ascii")
                return bytes(out), i + 1
            return None
        else:
            try:
                out += ch.encode("gbk")
            except UnicodeEncodeError:
                return None
    return None


def _plausible(text: str) -> bool:
    """True when every character is common Chinese (GB2312) or CJK punctuation."""
    for ch in to_simplified(text):
        if ch in "，。、；：？！“”《》（）":
            continue
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        if not unicodedata.name(ch, "").startswith("CJK UNIFIED"):
            return False
    return True


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)
            if all(unicodedata.name(c, "").startswith("CJK UNIFIED") for c in text[i:i + 2])}


def _attested(decoded: str, corpus: set[str]) -> bool:
    """True when most of the decoded word pairs occur elsewhere in the plan.

    Where the capture also dropped whole byte pairs, the bytes still decode in
    step but to wrong, unrelated characters; those rarely form pairs the plan
    uses anywhere else.
    """
    pairs = _bigrams(to_simplified(decoded))
    return not pairs or len(pairs & corpus) >= 0.5 * len(pairs)


def _repair_run(run: str, corpus: set[str] | None = None) -> tuple[str, int] | None:
    """Decode one garbled run back in step; ``None`` when the bytes do not allow it."""
    shifted = _shifted_bytes(run)
    if shifted is None:
        return None
    data, used = shifted
    decodings = set()
    for lead in range(0x81, 0xFF):
        try:
            decoded = bytes([lead]).join([b"", data]).decode("gbk")
        except UnicodeDecodeError:
            continue
        if _plausible(decoded[1:]):
            decodings.add(decoded[1:])
    if len(decodings) != 1:
        return None
    decoded = decodings.pop()
    if corpus is not None and not _attested(decoded, corpus):
        return None
    return GAP_MARK + decoded, used


def repair_mojibake(text: str, *, check_words: bool = True) -> tuple[str, list[MojibakeRepair]]:
    """Repair mojibake runs (each starts with ``?``) where the bytes allow it.

    The first character of a run lost a byte and cannot be known: it becomes
    :data:`GAP_MARK`. The rest is decoded back in step when that gives common
    Chinese text whose word pairs the text uses elsewhere (``check_words``);
    otherwise only the ``?`` becomes a gap mark and the garbled characters
    after it stay as captured (listed in the cleaning report).
    """
    out: list[str] = []
    repairs: list[MojibakeRepair] = []
    pos = 0
    corpus = _bigrams(to_simplified(text)) if check_words else None
    for match in re.finditer(r"\?+", text):
        if match.start() < pos:
            continue
        out.append(text[pos:match.start()])
        start = match.end()
        fixed = _repair_run(text[start:], corpus)
        if fixed is None:
            repaired, used = GAP_MARK * len(match.group()), 0
        else:
            repaired, used = fixed
            repaired = GAP_MARK * (len(match.group()) - 1) + repaired
        garbled = text[match.start():start + used]
        repairs.append(MojibakeRepair(match.start(), garbled, repaired, repaired.count(GAP_MARK)))
        out.append(repaired)
        pos = start + used
    out.append(text[pos:])
    return "".join(out), repairs


def clean_plan_text(raw: str) -> CleanText:
    """Undo the capture's damage: pinyin, mojibake, then traditional → simplified.

    Mojibake is repaired before the conversion because its bytes are those
    of the traditional text the page held.
    """
    no_pinyin, removed = strip_pinyin(raw)
    repaired, repairs = repair_mojibake(no_pinyin)
    for rep in repairs:
        rep.repaired = to_simplified(rep.repaired)
    return CleanText(to_simplified(repaired), removed, repairs)


def read_plan(path: Path) -> CleanText:
    """Read and clean the captured plan file.

    Raises
    ------
    ValueError
        When the file is missing or not UTF-8 (the message names it, in Chinese).
    """
    path = Path(path)
    try:
        return clean_plan_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"找不到规划文本 {path}：请用 --plan 指定规划原文文件") from None
    except UnicodeDecodeError:
        raise ValueError(f"规划文本 {path} 不是 UTF-8 编码（可能被另存为 GBK）：请另存为 UTF-8") from None
