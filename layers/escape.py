"""Make text from data, files, URLs or users inert before it reaches HTML, Markdown, JS or a spreadsheet.

- :func:`html_text` for HTML and folium's JS template strings;
- :func:`md_text` for anything Streamlit renders as Markdown (``st.markdown``,
  ``st.warning``/``st.error``/``st.info``/``st.caption``, subheaders, widget
  labels): links, images, ``:red[…]`` directives, emphasis, HTML and LaTeX all
  come out as the literal characters;
- :func:`cell_text` for CSV/XLSX cells (formula injection, OWASP).
"""

from __future__ import annotations

import html
import math
import re

# folium.Tooltip/Popup put text into a JS template string: ` $ \ must go too.
_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
# CommonMark lets every ASCII punctuation character be backslash-escaped; escaping all of
# them also defuses Streamlit's extensions (:red[…], :material/…:, $…$, ~~…~~, bare URLs).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# GFM turns bare URLs and e-mail addresses into links after escapes are resolved: an invisible
# zero-width space inside "://", after "www" and after "@" keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)")
ZWSP = "\u200b"


def html_text(value: object) -> str:
    """Escape any value for HTML and for JS template strings; ``None`` → ``""``."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)


def md_text(value: object) -> str:
    """Escape any value so Streamlit's Markdown shows it literally; ``None``/NaN → ``""``.

    Line breaks become spaces: a user's text must not start a heading, list or
    table on a line of its own. Bare URLs and e-mail addresses get an invisible
    zero-width space so they are not turned into links.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).replace("\x00", "").splitlines())
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(ZWSP, text))


def cell_text(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
