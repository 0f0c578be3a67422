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

import functools
import html
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from layers.maps.assets import write_bundle
from layers.maps.style import MAP_CSS

#: The page addresses whose shell carries the pre-drawn map: the app's root and 总览's own.
PAGES = frozenset({"", "overview"})

#: Where 总览 shows its map (measured in Chromium with Streamlit 1.67; tests/test_browser_premap.py checks it):
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

#: The script that draws the map at once: the shell names the map (its hash, ``data-hash``) and the files
#: it loaded for it (``data-links``) on this script's tag, after the map's own file.
RUNNER = """(function () {
  var me = document.currentScript;
  var draw = me && window.wcMapScripts && window.wcMapScripts[me.getAttribute("data-hash")];
  if (window.__wcPremap || !draw) { return; }
  var overlay = document.createElement("div");
  overlay.className = "wc-premap";
  overlay.innerHTML = '<div class="wc-map-canvas"></div>';
  document.body.appendChild(overlay);
  var made = draw(overlay.firstChild), map = made[0];
  var pre = window.__wcPremap = {
    hash: me.getAttribute("data-hash"), links: JSON.parse(me.getAttribute("data-links")), overlay: overlay,
    canvas: overlay.firstChild, map: map, drawn: made[1], view: {center: map.getCenter(), zoom: map.getZoom()},
    taken: false
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
      }, %d);
    }
  });
  watch.observe(document.documentElement, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
})();
""" % UNCLAIMED_MS


@functools.cache
def premap_css() -> str:
    """The shell's stylesheet: the map widget's own rules for the pre-drawn box, and where it lies
    (made once: every shell of 总览 carries it)."""
    return re.sub(r"\.wc-map(?![-\w])", ".wc-premap", MAP_CSS) + PREMAP_CSS


@dataclass(frozen=True)
class Premap:
    """A pre-drawn map the shell names: the map's file and hash, the Leaflet files it needs, the runner."""

    script_url: str
    js_hash: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    runner_url: str

    def head_tags(self) -> str:
        """The shell's tags for it, to go before Streamlit's own script (deferred scripts run in order)."""
        loaded = json.dumps([*self.css_links, *self.js_links, self.script_url])
        tags = [f'<style>{premap_css()}</style>']
        tags += [f'<link rel="stylesheet" href="{html.escape(url)}">' for url in self.css_links]
        tags += [f'<script defer src="{html.escape(url)}"></script>' for url in (*self.js_links, self.script_url)]
        tags.append(f'<script defer src="{html.escape(self.runner_url)}" data-hash="{html.escape(self.js_hash)}" '
                    f'data-links="{html.escape(loaded)}"></script>')
        return "\n    ".join(tags) + "\n    "


class Premaps:
    """The pre-drawn maps on offer, one per basemap; shared by the page runs and the shell (thread-safe)."""

    def __init__(self) -> None:
        self._offered: dict[str, Premap] = {}
        self._lock = threading.Lock()

    def offer(self, basemap_key: str, *, script_url: str, js_hash: str, css_links: tuple[str, ...],
              js_links: tuple[str, ...], static_dir: Path) -> Premap:
        """Make the map ``js_hash`` the map the shell draws for ``basemap_key``.

        Parameters
        ----------
        basemap_key
            The basemap the map was drawn for (``?basemap=`` in the address).
        script_url, js_hash, css_links, js_links
            The map as the widget gets it (``pages.map_widget.MapPayload``; ``script_url`` is its
            file, :func:`layers.maps.script.map_file`).
        static_dir
            The app's ``static`` folder, where the runner goes (written once).
        """
        with self._lock:
            current = self._offered.get(basemap_key)
        if current is not None and current.js_hash == js_hash:
            return current  # every view of 总览 offers its map
        made = Premap(script_url, js_hash, tuple(css_links), tuple(js_links),
                      write_bundle(static_dir, RUNNER.encode("utf-8"), ".js"))
        with self._lock:
            self._offered[basemap_key] = made
        return made

    def for_basemap(self, basemap_key: str) -> Premap | None:
        """The map on offer for ``basemap_key``, if a page has offered one."""
        with self._lock:
            return self._offered.get(basemap_key)

    def clear(self) -> None:
        """Offer nothing (tests)."""
        with self._lock:
            self._offered.clear()


#: The server's offer, filled by 总览 and read by the page shell.
PREMAPS = Premaps()
