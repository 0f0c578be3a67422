"""The overview's map drawn by the page shell before Streamlit starts (layers/maps/premap.py), in Chromium:
where it is drawn, how the page takes it over, and that it never stays in the way."""

from __future__ import annotations

import pytest

from tests.browser import MAP, PREMAP, browser, require_chromium, streamlit_process, wait_until_idle

pytestmark = pytest.mark.browser

require_chromium()

ZONES = 'path.leaflet-interactive[fill="#1f6fd1"]'
PARKS = 'path.leaflet-interactive[fill="#e67e22"]'
#: Notes whether the shell's map was ever drawn in this page (it may be taken over before a test looks).
SEEN = """(() => { const look = () => {
  if (document.querySelector('.wc-premap path.leaflet-interactive')) { window.__premapSeen = true; return; }
  if (!document.querySelector('.wc-map path.leaflet-interactive')) { requestAnimationFrame(look); } };
  requestAnimationFrame(look); })();"""
#: A place in the district on screen, and the map's box: the same before and after the page takes the map.
WHERE = """(box) => { const el = document.querySelector(box); const map = box === '.wc-premap' ? window.__wcPremap.map
  : el.leafletMap; const p = map.latLngToContainerPoint([36.7, 119.1]); const r = el.getBoundingClientRect();
  return {box: [r.left, r.top, r.width, r.height], point: [r.left + p.x, r.top + p.y]}; }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("premap") / "map.sqlite3"
    with streamlit_process(env={"WEICHENG_MAP_DB": str(database)}) as (url, _proc):
        with browser() as chrome:  # a first view of 总览 offers its map to the shell
            page = chrome.new_page()
            page.goto(f"{url}/?basemap=none")
            page.locator(MAP).locator(ZONES).first.wait_for(timeout=60_000)
        yield url, database


@pytest.mark.parametrize("size", [(1400, 1000), (700, 900), (390, 844)])
def test_the_map_is_drawn_before_streamlit_starts_where_the_page_then_shows_it(server, size):
    url, _ = server
    viewport = {"width": size[0], "height": size[1]}
    with browser() as chrome:
        held = chrome.new_context(viewport=viewport)
        held.route("**/static/js/index.*.js", lambda route: route.abort())  # Streamlit never starts here
        page = held.new_page()
        page.goto(f"{url}/?basemap=none")
        drawn = page.locator(PREMAP)
        drawn.locator(ZONES).first.wait_for(timeout=30_000)
        assert drawn.locator(ZONES).count() == 10 and drawn.locator(PARKS).count() == 8
        before = page.evaluate(WHERE, PREMAP)
        held.close()

        context = chrome.new_context(viewport=viewport)
        context.add_init_script(SEEN)
        page = context.new_page()
        page.goto(f"{url}/?basemap=none")
        on_map = page.locator(MAP)
        on_map.locator(ZONES).first.wait_for(timeout=60_000)
        wait_until_idle(page)
        assert page.evaluate("window.__premapSeen") is True
        assert page.locator(PREMAP).count() == 0  # taken over: one map, in the page
        assert page.evaluate("document.querySelector('.wc-map').leafletMap === window.__wcPremap.map")
        # The map ends where it was drawn (Streamlit may shift the page for a moment while laying it out).
        page.wait_for_function(f"""(before) => {{ const after = ({WHERE})('.wc-map');
            return [0, 1, 2, 3].every((i) => Math.abs(after.box[i] - before.box[i]) <= 1)
              && [0, 1].every((i) => Math.abs(after.point[i] - before.point[i]) <= 1); }}""", arg=before, timeout=5_000)
        assert on_map.locator(ZONES).count() == 10 and on_map.locator(PARKS).count() == 8


def test_the_taken_over_map_answers_clicks_with_details(server):
    url, _ = server
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?basemap=none")
        zones = page.locator(MAP).locator(ZONES)
        zones.first.wait_for(timeout=60_000)
        wait_until_idle(page)
        assert page.evaluate("document.querySelector('.wc-map').leafletMap === window.__wcPremap.map")
        boxes = [zones.nth(i).bounding_box() for i in range(10)]
        big = max(range(10), key=lambda i: boxes[i]["width"] * boxes[i]["height"])
        zones.nth(big).click(force=True, position={"x": boxes[big]["width"] * 0.2, "y": 8})
        page.get_by_text("位置（规划原文）").wait_for(timeout=30_000)


def test_other_pages_and_basemaps_get_no_premap(server):
    url, _ = server
    with browser() as chrome:
        for address in ("zones?basemap=none", "parks?basemap=none", "?basemap=amap"):
            context = chrome.new_context()
            context.add_init_script(SEEN)
            page = context.new_page()
            page.goto(f"{url}/{address}")
            page.locator(MAP).locator(".leaflet-container").wait_for(timeout=60_000)
            assert page.evaluate("window.__wcPremap === undefined"), address
            context.close()


#: An app whose shell draws one map (offered for OpenStreetMap) while its page shows another map, or none.
OTHER_MAP_APP = '''
import sys
sys.path.insert(0, {root!r})
if __name__ == "__main__":
    import folium
    import streamlit as st
    from layers.maps.premap import PREMAPS
    from layers.paths import ROOT
    from pages.map_widget import render_payload, show_map
    from layers.maps.assets import sync_assets
    from layers.maps.basemaps import available_basemaps
    from layers.maps.views import new_map
    def payload(marked):
        m = new_map(available_basemaps()["none"], sync_assets(ROOT / "static"))
        if marked:
            folium.CircleMarker([36.7, 119.1], radius=6).add_to(m)
        return render_payload(m)
    offered = payload(False)
    PREMAPS.offer("osm", script_url=offered.script_url, js_hash=offered.js_hash, css_links=offered.css_links,
                  js_links=offered.js_links, static_dir=ROOT / "static")
    st.title("另一张地图的页面")
    if st.query_params.get("show") == "other":
        show_map(payload(True), key="other")
else:
    import streamlit as st
    from starlette.middleware import Middleware
    from layers.frontend import FrontEnd
    app = st.App(__file__, middleware=[Middleware(FrontEnd)])
'''


@pytest.fixture(scope="module")
def other_map_app(tmp_path_factory):
    from tests.browser import ROOT

    script = tmp_path_factory.mktemp("other_map") / "other_map_app.py"
    script.write_text(OTHER_MAP_APP.format(root=str(ROOT)), encoding="utf-8")
    with streamlit_process(script) as (url, _proc), browser() as chrome:
        page = chrome.new_page()
        page.goto(url)  # the first run offers the shell its map
        page.get_by_text("另一张地图的页面").wait_for(timeout=60_000)
        yield url, chrome


def _visit(chrome, url: str):
    context = chrome.new_context()
    context.add_init_script(SEEN.replace(".wc-premap path.leaflet-interactive", ".wc-premap .leaflet-container"))
    page = context.new_page()
    page.goto(url)
    page.get_by_text("另一张地图的页面").wait_for(timeout=60_000)
    return page


def test_a_premap_of_another_map_gives_way_to_the_pages_map(other_map_app):
    """The layers changed since the map was offered (an import, an approval): the page draws its own map."""
    url, chrome = other_map_app
    page = _visit(chrome, f"{url}/?show=other")
    page.locator(MAP).locator(".leaflet-container").wait_for(timeout=30_000)
    assert page.evaluate("window.__premapSeen") is True
    assert page.locator(PREMAP).count() == 0 and page.evaluate("window.__wcPremap.taken") is True
    assert page.evaluate("document.querySelector('.wc-map').leafletMap !== window.__wcPremap.map")
    page.locator(MAP).locator("path.leaflet-interactive").wait_for(timeout=10_000)  # the page's own map


def test_a_page_that_shows_no_map_removes_the_premap(other_map_app):
    """An error page, or a page run that ends without the map: the shell's map does not stay over it."""
    url, chrome = other_map_app
    page = _visit(chrome, url)
    assert page.evaluate("window.__premapSeen") is True
    page.locator(PREMAP).wait_for(state="detached", timeout=10_000)
    assert page.evaluate("window.__wcPremap.taken") is True and page.locator(MAP).count() == 0
