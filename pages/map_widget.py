"""The map widget: folium maps rendered once per layer version and basemap, shown with streamlit-folium.

``st_folium`` renders the whole folium map to JavaScript on every rerun
(about 0.3 s of CPU for the overview, more with thousands of projects). The
base map only changes with the layers, the basemap and the installed assets,
so its rendered form (:class:`MapPayload`: plain strings) is built once per
such key and shared by every session (``st.cache_resource``; it is
immutable). A rerun only renders the small feature groups that change with
the user's choice (highlight, edges) and hands both to streamlit-folium's
own front end, exactly as ``st_folium`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium
from layers.maps.assets import bundle
from layers.paths import ROOT
from streamlit_folium import (
    _get_feature_group_string,
    _get_header,
    _get_html,
    _get_map_string,
    generate_js_hash,
    get_full_id,
)

#: The map's height before the page's CSS stretches it to the window (see :data:`FILL_WINDOW_CSS`).
MAP_HEIGHT = 620
#: The map frame takes the window's height less the page header (the map inside fills its frame,
#: see layers.maps.views.new_map); a floor for small windows. Narrower page margins give it width.
FILL_WINDOW_CSS = """<style>
iframe[title="streamlit_folium.st_folium"] { height: max(460px, calc(100vh - 190px)) !important; }
[data-testid="stMainBlockContainer"] { padding-left: 1.5rem; padding-right: 1.5rem; }
</style>"""


@dataclass(frozen=True)
class MapPayload:
    """What streamlit-folium's front end needs to draw a map, as immutable text."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    js_hash: str

    @property
    def size(self) -> int:
        """Bytes of text sent to the browser (for benchmarks)."""
        return len(self.script) + len(self.header) + len(self.html)


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    css, js = [], []

    def walk(element):
        css.extend(href for _, href in getattr(element, "default_css", []) or [])
        js.extend(src for _, src in getattr(element, "default_js", []) or [])
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render_payload(m: folium.Map) -> MapPayload:
    """Render a folium map once into what the front end needs (what ``st_folium`` does on every rerun)."""
    m.get_root().render()
    html, header = _get_html(m), _get_header(m)
    map_id = get_full_id(m)
    script = _get_map_string(m)
    css, js = _links(m)
    css, js = tuple(bundle(ROOT / "static", css, ".css")), tuple(bundle(ROOT / "static", js, ".js"))
    return MapPayload(script, header, html, map_id, css, js, generate_js_hash(script, None, False))


@st.cache_resource(max_entries=48, show_spinner="正在生成地图…")
def cached_payload(cache_key: tuple, _build: Callable[[], folium.Map]) -> MapPayload:
    """The rendered map for ``cache_key`` (layer version, imports version, basemap, assets, page), built once."""
    return render_payload(_build())


def _groups_script(groups: Iterable[folium.FeatureGroup] | None) -> str | None:
    if groups is None:
        return None
    host = folium.Map(tiles=None)  # any map: its name is replaced by map_div, as st_folium does
    return "".join(_get_feature_group_string(g, map=host, idx=i) for i, g in enumerate(groups))


def component(**args):
    """streamlit-folium's front end (tests replace this to simulate clicks)."""
    return streamlit_folium._component_func(**args)


def map_value(key: str) -> dict:
    """What the user last clicked or drew on the map ``key`` (before this run draws it)."""
    return st.session_state.get(f"{key}-value") or {}


def show_map(payload: MapPayload, *, key: str, feature_groups=None, center=None, zoom=None,
             returned: Iterable[str] = ("last_active_drawing", "last_clicked", "all_drawings"),
             height: int = MAP_HEIGHT) -> dict:
    """Show a rendered map full width; returns what the user clicked or drew.

    The widget key follows the base map's hash, so a new base map (another
    basemap, new layers) remounts it and an unchanged one keeps the user's
    pan, zoom and drawings.
    """
    # st.markdown, not st.html: the page needs no extra front-end chunk (Html + DOMPurify) before the map.
    st.markdown(FILL_WINDOW_CSS, unsafe_allow_html=True)
    returned = list(returned)
    widget_key = f"{key}-{payload.js_hash[:16]}"

    def remember():
        st.session_state[f"{key}-value"] = st.session_state.get(widget_key) or {}

    value = component(
        script=payload.script, header=payload.header, html=payload.html, id=payload.map_id, key=widget_key,
        height=height, width=None, returned_objects=returned, default={k: None for k in returned},
        zoom=zoom, center=center, feature_group=_groups_script(feature_groups), return_on_hover=False,
        layer_control=None, pixelated=False, css_links=list(payload.css_links), js_links=list(payload.js_links),
        on_change=remember, wrap_longitude=False)
    return value or {}
