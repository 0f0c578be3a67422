"""The overview's map drawn by the page shell, before Streamlit's front end has started.

A first visit to 总览 used to show its polygons only after Streamlit had
loaded, connected, run the page and rendered every element around the map:
on two busy cores that is most of a second after an empty Streamlit page,
and ten people opening the app at once waited ten seconds. Yet the map is the
same for every visitor of a layer version and basemap (it is rendered once
and shared, ``pages/map_widget.py``).

So the page shell (``layers/frontend.py``) names that map's script, and the
browser draws it as soon as Leaflet has arrived, in a box laid over the
place where the page will show its map (:data:`PREMAP_CSS`). When Streamlit
then mounts the map widget with the same map (the same hash), the widget
takes the drawn map over (``pages/map_widget.js``); it moves, at most, by
the few pixels the guess was off, and the map is fitted again unless the
visitor has moved it. A page that shows another map or none removes it.

The shell only ever names a map the server rendered for the latest approved
layers (a session that previews another version offers nothing), one per
basemap; a page that finds another hash builds its own, as before.
"""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from layers.maps.assets import write_bundle
from layers.maps.script import MAP_NAME
from layers.maps.style import MAP_CSS

#: The page addresses whose shell carries the pre-drawn map: the app's root and 总览's own.
PAGES = frozenset({"", "overview"})
#: The pre-drawn map's id (its div and its variable).
PREMAP_ID = "wcmap_pre"

#: Where 总览 shows its map (measured in Chromium with Streamlit 1.67; tests/test_browser.py checks it):
#: below the title, the search box and the toggle; right of the 300 px sidebar, which Streamlit shows
#: from 769 px up; in the wider of two columns ([2, 1], a 1.5rem gap) within 1.5rem margins, and the
#: whole width where Streamlit stacks columns (below 640 px). Its height is the widget's own.
PREMAP_CSS = """
.wc-premap { position: absolute; z-index: 1; top: 308.8px; left: 324px;
  width: calc((100vw - 300px - 72px) * 2 / 3); }
@media (max-width: 768px) { .wc-premap { left: 24px; width: calc((100vw - 72px) * 2 / 3); } }
@media (max-width: 639.98px) { .wc-premap { width: calc(100vw - 48px); } }
"""

#: How long after a page run ended without a map widget the pre-drawn map waits before it goes
#: (the widget's code may still be on its way).
UNCLAIMED_MS = 2000

_SCRIPT = """(function () {
  if (window.__wcPremap) { return; }
  var overlay = document.createElement("div");
  overlay.className = "wc-premap";
  overlay.innerHTML = '<div class="wc-map-canvas" id="%(id)s"></div>';
  document.body.appendChild(overlay);
  %(script)s
  var map = %(id)s;
  var pre = window.__wcPremap = {
    hash: %(hash)s, links: %(links)s, overlay: overlay, canvas: overlay.firstChild, map: map,
    drawn: typeof drawnItems === "undefined" ? null : drawnItems,
    view: {center: map.getCenter(), zoom: map.getZoom()}, taken: false
  };
  // The page's map widget takes it over (map_widget.js). A page run that ends without one (an error,
  // another page) leaves it to go, once the widget's code has had time to arrive.
  var ran = false;
  var watch = new MutationObserver(function () {
    var app = document.querySelector('[data-testid="stApp"]');
    var state = app && app.getAttribute("data-test-script-state");
    if (pre.taken) { watch.disconnect(); return; }
    if (state === "running") { ran = true; }
    if (ran && state === "notRunning") {
      setTimeout(function () {
        if (!pre.taken && !document.querySelector(".wc-map")) {
          pre.taken = true;
          overlay.remove();
          map.remove();
        }
      }, %(unclaimed)d);
    }
  });
  watch.observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
})();
"""


def premap_css() -> str:
    """The shell's stylesheet: the map widget's own rules for the pre-drawn box, and where it lies."""
    return re.sub(r"\.wc-map(?![-\w])", ".wc-premap", MAP_CSS) + PREMAP_CSS


def premap_script(script: str, js_hash: str, links: list[str]) -> str:
    """The script that draws the map ``script`` (a ``map_widget`` map) at once, in the box over the page.

    Parameters
    ----------
    script
        The map's script, naming the map ``map_div`` (``layers/maps/script.py``).
    js_hash
        The map's hash, by which the page's widget knows it is the map it would draw.
    links
        The Leaflet files the shell loads before it (the widget loads them only once).
    """
    return _SCRIPT % {"id": PREMAP_ID, "script": script.replace(MAP_NAME, PREMAP_ID),
                      "hash": json.dumps(js_hash), "links": json.dumps(links), "unclaimed": UNCLAIMED_MS}


@dataclass(frozen=True)
class Premap:
    """A pre-drawn map the shell names: its script's URL and the Leaflet files it needs first."""

    script_url: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]

    def head_tags(self) -> str:
        """The shell's tags for it, to go before Streamlit's own script (deferred scripts run in order)."""
        tags = [f'<style>{premap_css()}</style>']
        tags += [f'<link rel="stylesheet" href="{html.escape(url)}">' for url in self.css_links]
        tags += [f'<script defer src="{html.escape(url)}"></script>' for url in (*self.js_links, self.script_url)]
        return "\n    ".join(tags) + "\n    "


class Premaps:
    """The pre-drawn maps on offer, one per basemap; shared by the page runs and the shell (thread-safe)."""

    def __init__(self) -> None:
        self._offered: dict[str, tuple[str, Premap]] = {}  # basemap key → (map hash, its premap)
        self._lock = threading.Lock()

    def offer(self, basemap_key: str, *, script: str, js_hash: str, css_links: tuple[str, ...],
              js_links: tuple[str, ...], static_dir: Path) -> Premap:
        """Make ``script`` the map the shell draws for ``basemap_key``; its file is written once.

        Parameters
        ----------
        basemap_key
            The basemap the map was drawn for (``?basemap=`` in the address).
        script, js_hash, css_links, js_links
            The map as the widget gets it (``pages.map_widget.MapPayload``).
        static_dir
            The app's ``static`` folder, where the script goes as a content-hashed bundle.
        """
        with self._lock:
            current = self._offered.get(basemap_key)
        if current is not None and current[0] == js_hash:
            return current[1]  # every view of 总览 offers its map: the file is written once
        body = premap_script(script, js_hash, [*css_links, *js_links]).encode("utf-8")
        made = Premap(write_bundle(static_dir, body, ".js"), tuple(css_links), tuple(js_links))
        with self._lock:
            self._offered[basemap_key] = (js_hash, made)
        return made

    def for_basemap(self, basemap_key: str) -> Premap | None:
        """The map on offer for ``basemap_key``, if a page has offered one."""
        with self._lock:
            found = self._offered.get(basemap_key)
        return found[1] if found else None

    def clear(self) -> None:
        """Offer nothing (tests)."""
        with self._lock:
            self._offered.clear()


#: The server's offer, filled by 总览 and read by the page shell.
PREMAPS = Premaps()
