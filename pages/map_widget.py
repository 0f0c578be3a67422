"""The map widget: folium maps rendered once per layer version and basemap, drawn in the page itself.

The map used to be streamlit-folium's component: an iframe with its own
React app that then fetched Leaflet, about 0.4 s of every first load before
a polygon showed (benchmarks/map_render.py, "only the map"). It is now a
Streamlit v2 component (``st.components.v2``, no iframe): ``map_widget.js``
loads Leaflet once per page, runs the map's script and sends clicks and
drawings back. Python still uses folium; ``layers/maps/script.py`` turns a
folium map into that script, written as a file the browser fetches once.

The base map only changes with the layers, the basemap and the installed
assets, so its rendered form (:class:`MapPayload`: plain strings) is built
once per such key and shared by every session (``st.cache_resource``; it is
immutable). A rerun only renders the small feature groups that change with
the user's choice (highlight, edges).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import folium
import streamlit as st
from layers.maps.assets import site_bundle, write_bundle
from layers.maps.premap import PREMAPS
from layers.maps.style import MAP_CSS
from layers.maps.script import groups_script, map_file, map_script, script_hash
from layers.paths import ROOT

_LOG = logging.getLogger(__name__)

_MAP = st.components.v2.component(
    "weicheng_map", html='<div class="wc-map"></div>', css=MAP_CSS,
    js=(Path(__file__).with_name("map_widget.js")).read_text(encoding="utf-8"),
    isolate_styles=False)  # Leaflet's stylesheet and the map's panes live in the page's own DOM


@dataclass(frozen=True)
class MapPayload:
    """What ``map_widget.js`` needs to draw a map, as immutable text.

    The styles folium would put in its page's head are in :data:`MAP_CSS`.
    """

    script: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    js_hash: str
    #: The script as a file (:func:`layers.maps.script.map_file`), which the browser fetches once.
    script_url: str

    @property
    def size(self) -> int:
        """Bytes of the map's script (for benchmarks)."""
        return len(self.script)


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
    """Render a folium map once into what the page needs (``st_folium`` did this on every rerun)."""
    script = map_script(m)
    css, js = _links(m)
    css, js = tuple(site_bundle(ROOT / "static", css, ".css")), tuple(site_bundle(ROOT / "static", js, ".js"))
    js_hash = script_hash(script)
    url = write_bundle(ROOT / "static", map_file(script, js_hash).encode("utf-8"), ".js")
    return MapPayload(script, css, js, js_hash, url)


@st.cache_resource(max_entries=48, show_spinner="正在生成地图…")
def cached_payload(cache_key: tuple, _build: Callable[[], folium.Map]) -> MapPayload:
    """The rendered map for ``cache_key`` (layer version, imports version, basemap, assets, page), built once."""
    return render_payload(_build())


def _groups_script(groups: Iterable[folium.FeatureGroup] | None) -> str | None:
    return None if groups is None else groups_script(groups)


def component(*, script: str, script_url: str, js_hash: str, css_links: list[str], js_links: list[str],
              feature_group: str | None, center, zoom, returned_objects: list[str], key: str,
              on_change: Callable[[], None], place: str = ""):
    """The map in the page (tests replace this to simulate clicks); returns what was clicked or drawn.

    The browser gets the map's script as the file ``script_url`` (``script`` is its text, for tests).
    ``place`` names the map's place on the page across base maps: a new one (another basemap, another
    layer version) opens where the user last looked there.
    """
    result = _MAP(data={"script_url": script_url, "js_hash": js_hash, "css_links": css_links, "js_links": js_links,
                        "feature_group": feature_group, "center": center, "zoom": zoom,
                        "returned": returned_objects, "place": place},
                  key=key, default={"interaction": None}, on_interaction_change=on_change, height="content")
    return _value_of(result)


def _value_of(result) -> dict:
    """The map's state (its one value, "interaction"), from its result or its entry in session state.

    Not named "value": Streamlit 1.67 takes a state of exactly ``{"value": {...}}`` for its own
    wrapper when it looks for changed keys, and then never calls the change callback.
    """
    value = result.get("interaction") if isinstance(result, Mapping) else getattr(result, "interaction", None)
    return value if isinstance(value, dict) else {}


def map_value(key: str) -> dict:
    """What the user last clicked or drew on the map ``key`` (before this run draws it)."""
    return st.session_state.get(f"{key}-value") or {}


def show_map(payload: MapPayload, *, key: str, feature_groups=None, center=None, zoom=None,
             returned: Iterable[str] = ("last_active_drawing", "last_clicked", "all_drawings")) -> dict:
    """Show a rendered map full width; returns what the user clicked or drew.

    The widget key follows the base map's hash, so a new base map (another
    basemap, new layers) remounts it and an unchanged one keeps the user's
    pan, zoom and drawings.
    """
    returned = list(returned)
    widget_key = f"{key}-{payload.js_hash[:16]}"

    def remember():
        st.session_state[f"{key}-value"] = _value_of(st.session_state.get(widget_key))

    value = component(
        script=payload.script, script_url=payload.script_url, js_hash=payload.js_hash,
        css_links=list(payload.css_links),
        js_links=list(payload.js_links), feature_group=_groups_script(feature_groups), center=center, zoom=zoom,
        returned_objects=returned, key=widget_key, on_change=remember, place=key)
    return value or {}


def offer_premap(basemap_key: str, payload: MapPayload) -> None:
    """Let the page shell draw ``payload`` before Streamlit has started (``layers/maps/premap.py``).

    Only 总览 offers its map, and only for the latest approved layers. A static folder the server
    may not write to costs the head start, never the page.
    """
    try:
        PREMAPS.offer(basemap_key, script_url=payload.script_url, js_hash=payload.js_hash,
                      css_links=payload.css_links, js_links=payload.js_links, static_dir=ROOT / "static")
    except OSError as exc:
        _LOG.warning("the pre-drawn map could not be written: %s", exc)
