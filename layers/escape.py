"""Make text from data or users inert before it reaches HTML or folium's JS templates."""

from __future__ import annotations

import html

# folium.Tooltip/Popup put text into a JS template string: ` $ \ must go too.
_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def html_text(value: object) -> str:
    """Escape any value for HTML and for JS template strings; ``None`` → ``""``."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_JS_TEMPLATE)
