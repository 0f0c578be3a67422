"""Line breaking for mixed Chinese and Latin text on printed sheets, pitch packs and profile images.

Lines break between CJK characters or between whole Latin words, never inside
"EPSG:4549" or "120°E". Opening marks stay with what follows them and closing
marks with what precedes them, so a line never ends with "（" nor starts with
"）", "，" or "”" (the Chinese rule of 避头尾).
"""

from __future__ import annotations

import re

#: Marks that may not end a line (opening) or start one (closing).
OPENING, CLOSING = "（《“‘「【(", "）》”’」】，。、：；！？)"

_BREAKABLE = re.compile(
    rf"[{OPENING}]*(?:(?![{OPENING}{CLOSING}])[\u2e80-\U0002ffff]|[^\s\u2e80-\U0002ffff{OPENING}{CLOSING}]+)"
    rf"[{CLOSING}]*|\s+|.")

#: A Latin character's width in ems of the font, on average (CJK characters are one em).
LATIN_EM = 0.6


def ems(text: str, latin: float = LATIN_EM) -> float:
    """How wide ``text`` is in ems: CJK characters are one em, Latin ones ``latin``."""
    return sum(1.0 if ord(c) >= 0x2E80 else latin for c in text)


def wrap_em(text: str, width: float, latin: float = LATIN_EM) -> list[str]:
    """``text`` broken into lines of at most ``width`` ems.

    Parameters
    ----------
    text
        Any text; its own line breaks are kept.
    width
        The widest line, in ems of the font the text is drawn in.
    latin
        A Latin character's width in ems, as :func:`ems` takes it.

    Returns
    -------
    list of str
        The lines, without trailing spaces. A single word wider than ``width`` keeps a line of its own.
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for token in _BREAKABLE.findall(paragraph):
            if line and ems(line + token.rstrip(), latin) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines
