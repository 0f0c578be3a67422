"""Numbers as people type them: thousands separators yes, a decimal comma never.

"1,234.5" and "１２，３４５" (full width) are read as they are meant. "12,5" is
refused: in China it is a typo for 12.5 or for 125, and reading it as 125,
as removing every comma did, recorded a share ten times too large.
"""

from __future__ import annotations

import re
import unicodedata

#: Digits in groups of three after the first one to three: a comma here is a thousands separator.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")

COMMA_HINT = "逗号只能用作千位分隔符（如 1,234.5），小数请用小数点（如 12.5）"


def number_text(raw: object) -> str:
    """``raw`` as plain number text: full-width forms made half-width, trimmed, thousands separators removed.

    Raises
    ------
    ValueError
        With :data:`COMMA_HINT` when a comma is not between groups of three digits.
    """
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError(COMMA_HINT)
        text = text.replace(",", "")
    return text
