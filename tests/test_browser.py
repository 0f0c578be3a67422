"""End to end, offline as CI is: the real app in Debian's Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from tests.browser import MAP, browser, click_download, require_chromium, streamlit_server, wait_until_idle

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


def test_map_draws_zones_and_parks_and_a_click_shows_details(server):
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        on_map = page.locator(MAP)
        on_map.locator(".leaflet-container").wait_for(timeout=60_000)
        zones = on_map.locator('path.leaflet-interactive[fill="#1f6fd1"]')
        parks = on_map.locator('path.leaflet-interactive[fill="#e67e22"]')
        zones.first.wait_for(timeout=30_000)
        assert zones.count() == 10
        assert parks.count() == 8
        # Mark the live map: a click must not rebuild it (same Leaflet container afterwards).
        page.evaluate("document.querySelector('.leaflet-container').dataset.probe = 'kept'")
        # The largest zone, near its north-west corner: project markers sit mid-area.
        boxes = [zones.nth(i).bounding_box() for i in range(10)]
        big = max(range(10), key=lambda i: boxes[i]["width"] * boxes[i]["height"])
        zones.nth(big).click(force=True, position={"x": boxes[big]["width"] * 0.2, "y": 8})
        page.get_by_text("位置（规划原文）").wait_for(timeout=30_000)
        assert page.get_by_text("东至西环路、西至拥军路").first.is_visible()
        on_map.locator(".leaflet-container").wait_for()
        assert page.evaluate("document.querySelector('.leaflet-container').dataset.probe") == "kept"
        # Metric scale only, and no black focus box round the clicked area.
        scale = on_map.locator(".leaflet-control-scale").inner_text()
        assert "km" in scale or " m" in scale
        assert "ft" not in scale and "mi" not in scale
        assert page.evaluate("(() => { const e = document.activeElement;"
                             " return e && e.tagName === 'path' ? getComputedStyle(e).outlineStyle : 'none'; })()") == "none"


#: Where a point of the district is on screen the moment the first area is drawn, and a second later.
_VIEW_AT_DRAW = """async () => {
  const at = () => { const p = window.map.latLngToContainerPoint([36.7, 119.1]); return [p.x, p.y]; };
  while (!(window.map && document.querySelector('.wc-map path.leaflet-interactive'))) {
    await new Promise((done) => requestAnimationFrame(done));
  }
  const first = at();
  await new Promise((done) => setTimeout(done, 1000));
  return [first, at()];
}"""


def test_the_map_opens_on_its_final_view(server):
    """The areas do not slide (a zoom animation) from under an early click."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/?basemap=none")
        first, later = page.evaluate(_VIEW_AT_DRAW)
        assert later == pytest.approx(first, abs=1)


#: The district outline's box and the part of the map inside the window, in page pixels.
_DISTRICT_ON_SCREEN = """() => {
  const map = document.querySelector('.wc-map').getBoundingClientRect();
  const outline = [...document.querySelectorAll('.wc-map path')]
    .find((p) => p.getAttribute('stroke-dasharray') === '2 6').getBoundingClientRect();
  return {top: map.top, bottom: Math.min(map.bottom, innerHeight), width: map.width,
          district: [outline.top, outline.bottom, outline.width, outline.height]};
}"""


@pytest.mark.parametrize("size", [(1400, 1000), (1280, 720)])
def test_the_first_view_shows_the_whole_district_large(server, size):
    """At whole zoom steps the district filled half of a 1400 x 1000 window's map; and on a 1280 x 720 screen
    its south lay below the window's edge."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(f"{server}/?basemap=none")
        page.locator(MAP).locator('path.leaflet-interactive[fill="#1f6fd1"]').first.wait_for(timeout=60_000)
        seen = page.evaluate(_DISTRICT_ON_SCREEN)
        top, bottom, width, height = seen["district"]
        assert seen["top"] <= top and bottom <= seen["bottom"], seen  # all of it, without scrolling
        assert max(height / (seen["bottom"] - seen["top"]), width / seen["width"]) >= 0.75, seen


def test_offline_first_load_asks_no_other_host(server):
    """In a meeting room without internet nothing may wait on (or tell) an outside host: not even the tab icon."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        own = urlparse(server).netloc
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if r.url.startswith("http") and urlparse(r.url).netloc != own
                else None)
        page.goto(f"{server}/?basemap=none")
        page.locator(MAP).locator('path.leaflet-interactive[fill="#1f6fd1"]').first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        assert outside == []
        assert page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href").startswith("data:")


def test_the_page_says_it_is_chinese(server):
    """Screen readers choose their voice by <html lang>: Streamlit's shell said "en" (layers/frontend.py)."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        response = page.goto(f"{server}/parks?basemap=none")
        assert '<html lang="zh-CN">' in response.text() and "<title>潍城区规划地图</title>" in response.text()
        page.get_by_text("十大园区").first.wait_for(timeout=60_000)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert "潍城区规划地图" in page.title()
        without_js = chrome.new_context(java_script_enabled=False).new_page()
        without_js.goto(server)
        assert "需要 JavaScript" in without_js.inner_text("body")


def test_the_top_right_menu_offers_nothing_in_english(server):
    """Streamlit's ⋮ menu said Print, Record screen and "Made with Streamlit v1.67.0"; its screen recorder's
    dialogs are English throughout (only the product's name may stay)."""
    with browser() as chrome:
        page, _on_map = _open(chrome, f"{server}/?basemap=none")
        wait_until_idle(page)
        page.get_by_test_id("stMainMenu").click()
        text = page.get_by_test_id("stMainMenuPopover").inner_text(timeout=10_000)
        assert "打印本页" in text and not re.search(r"[A-Za-z]{3,}", text.replace("Streamlit", "")), text


def test_without_tiles_the_map_says_so_and_keeps_its_layers(server):
    """Offline (as CI is) the OpenStreetMap tiles fail: the map drops them with a Chinese notice."""
    with browser() as chrome:
        page, on_map = _open(chrome, server)  # the default basemap, OpenStreetMap
        on_map.locator(".tile-offline-notice, img.leaflet-tile-loaded").first.wait_for(timeout=60_000)
        if on_map.locator(".tile-offline-notice").count():  # no tile server reachable
            assert "已改为无底图模式" in on_map.locator(".tile-offline-notice").inner_text()
            assert on_map.locator("img.leaflet-tile").count() == 0
        assert on_map.locator('path.leaflet-interactive[fill="#1f6fd1"]').count() == 10


def test_a_mistyped_page_address_opens_the_overview_with_a_chinese_notice(server):
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/zonez")
        page.get_by_text("网址中的页面“zonez”不存在，已打开总览").first.wait_for(timeout=60_000)
        page.get_by_text("潍城区规划总览").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        assert page.get_by_text("Page not found").count() == 0
        assert "no corresponding file" not in page.inner_text("body")
        page.goto(f"{server}/{'站' * 3000}")  # the whole name filled several screens
        page.get_by_text(f"网址中的页面“{'站' * 30}…”不存在").first.wait_for(timeout=60_000)
        assert "站" * 31 not in page.inner_text("body")


def test_an_address_below_a_page_opens_that_page(server):
    """/zones/extra was a blank page for good: the shell's scripts resolved below it, to the shell again."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/zones/extra?zone=zone-02")
        page.get_by_role("heading", name="片区审查").first.wait_for(timeout=60_000)
        assert page.url.endswith("/zones?zone=%E9%B2%81%E5%8F%B0%E7%89%87%E5%8C%BA")  # 鲁台片区


def test_unknown_url_parameter_shows_a_message(server):
    with browser() as chrome:
        page = chrome.new_page()
        page.goto(f"{server}/?zone=nowhere")
        page.get_by_text("网址参数 zone=").first.wait_for(timeout=60_000)


# -- issue 10 in a real browser ----------------------------------------------------------------

def _open(chrome, url: str):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    on_map = page.locator(MAP)
    on_map.locator(".leaflet-container").wait_for(timeout=60_000)
    return page, on_map


def test_the_basemap_box_names_the_basemap_and_closes_on_a_choice(server):
    """The chooser sits in a closed box (a first view fetches no radio's code); its label says the basemap."""
    with browser() as chrome:
        page, on_map = _open(chrome, f"{server}/?basemap=none")
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("底图：无底图（离线）").click()
        sidebar.get_by_text("高德地图（道路）", exact=True).click()
        sidebar.get_by_text("底图：高德地图（道路）").wait_for(timeout=30_000)
        page.wait_for_url(re.compile(r"basemap=amap"), timeout=10_000)
        sidebar.get_by_test_id("stRadio").wait_for(state="detached", timeout=10_000)  # closed, like a drop-down list
        assert "GCJ-02" in sidebar.inner_text()


def test_changing_the_basemap_keeps_where_the_user_was_looking(server):
    """The map jumped back to the whole district: people switch to satellite to look closely at one spot."""
    with browser() as chrome:
        page, _on_map = _open(chrome, f"{server}/?basemap=none")
        wait_until_idle(page)
        page.evaluate("window.map.setView([36.712, 119.101], 15, {animate: false})")  # the newest map on the page
        page.wait_for_timeout(300)
        sidebar = page.get_by_test_id("stSidebar")
        for label, shifted in (("高德地图（道路）", True), ("无底图（离线）", False)):
            old_map = page.evaluate_handle("window.map")
            sidebar.get_by_text("底图：").click()
            sidebar.get_by_text(label, exact=True).click()
            page.wait_for_function("old => window.map !== old", arg=old_map, timeout=30_000)
            lat, lng, zoom = page.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
            assert zoom == 15, label
            if shifted:  # 高德's GCJ-02 lies a few hundred metres off WGS-84 here
                assert 0.0005 < abs(lat - 36.712) + abs(lng - 119.101) < 0.02, (label, lat, lng)
            else:
                assert (lat, lng) == pytest.approx((36.712, 119.101), abs=1e-4), label  # a pixel at zoom 15


def test_a_layer_downloads_with_chinese_file_and_layer_names(server, tmp_path):
    """Planners take a layer into QGIS: the file says which layer and which version, and so does the layer."""
    import pyogrio

    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{server}/?basemap=none")
        page.locator(MAP).locator(".leaflet-container").wait_for(timeout=60_000)
        page.get_by_text("下载图层（GeoJSON").first.click()
        for box, option in (("图层", "十大园区"), ("格式", "GeoPackage（QGIS/ArcGIS，EPSG:4326）")):
            chooser = page.get_by_role("combobox", name=box, exact=True)  # the map's layer control is "图层" too
            chooser.wait_for(timeout=30_000)
            wait_until_idle(page)
            for _ in range(3):  # a click while the box below the map still slides open only focuses the list
                chooser.click()
                try:
                    page.get_by_role("listbox").wait_for(timeout=2_000)
                    break
                except PlaywrightTimeout:
                    continue
            page.get_by_role("option", name=option).click()
            expect(chooser).to_have_value(option, timeout=30_000)
        download = click_download(page, page.get_by_role("button", name="下载", exact=True))
        assert re.fullmatch(r"潍城区十大园区（第\d+版）\.gpkg", download.suggested_filename), download.suggested_filename
        path = tmp_path / "parks.gpkg"
        download.save_as(path)
        assert [name for name, _geometry in pyogrio.list_layers(path)] == ["潍城区十大园区"]


def test_the_centre_of_a_project_marker_takes_the_click_and_fills_details(server):
    with browser() as chrome:
        page, on_map = _open(chrome, f"{server}/projects?basemap=none")
        markers = on_map.locator('.leaflet-projects-pane path.leaflet-interactive[d*="a7,7"]')  # circle markers
        markers.first.wait_for(timeout=30_000)
        box = markers.first.bounding_box()
        # A real click at the marker's centre, where a zone polygon lies underneath.
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("所在片区/园区", exact=True).first.wait_for(timeout=20_000)  # not the legend


def test_a_clustered_project_marker_shows_its_name_on_hover(tmp_path):
    """Many projects are clustered: their tooltips were bound to a layer that is never on the map, so
    hovering a marker showed nothing and threw "Cannot read properties of undefined" (hostile sweep)."""
    from layers.store.database import Store
    from tests.browser import streamlit_process

    database = tmp_path / "many.sqlite3"
    Store(database).add_projects([{"name": f"聚合测试项目{i}", "category": "industry", "lon": 119.05 + (i % 20) * 0.003,
                                   "lat": 36.69 + (i // 20) * 0.003, "location_precision": "exact"}
                                  for i in range(240)], batch_id="many", source_file="many.csv")
    with streamlit_process(env={"WEICHENG_MAP_DB": str(database)}) as (url, _proc), browser() as chrome:
        page, on_map = _open(chrome, f"{url}/?basemap=none")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        on_map.locator(".marker-cluster").first.wait_for(timeout=30_000)
        page.evaluate("document.querySelector('.wc-map').leafletMap.setView([36.69, 119.05], 16, {animate: false})")
        markers = on_map.locator('.leaflet-projects-pane path.leaflet-interactive[d*="a7,7"]')
        markers.first.wait_for(timeout=30_000)
        area = on_map.bounding_box()
        box = next(b for b in (m.bounding_box() for m in markers.all())  # one well inside the map, not off its edge
                   if b and area["x"] + 60 < b["x"] < area["x"] + area["width"] - 60
                   and area["y"] + 60 < b["y"] < area["y"] + area["height"] - 60)
        page.mouse.move(box["x"] + box["width"] / 2 - 30, box["y"] + box["height"] / 2 - 30)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
        tooltip = on_map.locator(".leaflet-tooltip:not(.leaflet-tooltip-permanent)")
        tooltip.first.wait_for(timeout=10_000)
        assert "聚合测试项目" in tooltip.first.inner_text()
        assert errors == []


def test_a_long_project_name_wraps_in_its_tooltip(server):
    """One line per tooltip made a 2,000-character imported name a tooltip 32,000 px wide."""
    with browser() as chrome:
        page, on_map = _open(chrome, f"{server}/?basemap=none")
        on_map.locator(".leaflet-tooltip-pane").wait_for(state="attached", timeout=30_000)
        width = page.evaluate("""() => {
            const tip = L.tooltip({sticky: true}).setLatLng([36.71, 119.10]).setContent('长'.repeat(2000));
            const map = document.querySelector('.wc-map').leafletMap;
            tip.addTo(map);
            const w = tip.getElement().getBoundingClientRect().width;
            tip.remove();
            return w;
        }""")
        assert 100 < width <= 480


def test_on_a_narrow_map_the_credits_leave_the_scale_bar_readable(server):
    """On a tablet the credits ran over the "500 m" scale bar (a walk-through at 1024×768)."""
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1024, "height": 768})
        page.goto(f"{server}/parks?basemap=none")
        on_map = page.locator(MAP)
        scale = on_map.locator(".leaflet-control-scale")
        scale.wait_for(timeout=60_000)
        credits = on_map.locator(".leaflet-control-attribution").bounding_box()
        bar = scale.bounding_box()
        overlap_x = min(bar["x"] + bar["width"], credits["x"] + credits["width"]) - max(bar["x"], credits["x"])
        overlap_y = min(bar["y"] + bar["height"], credits["y"] + credits["height"]) - max(bar["y"], credits["y"])
        assert overlap_x <= 0 or overlap_y <= 0, (bar, credits)


def test_on_a_tablet_the_map_buttons_take_a_finger(server):
    """Leaflet's zoom buttons were 30 px and the legend's toggle 18 px high on a tablet."""
    with browser() as chrome:
        page = chrome.new_context(viewport={"width": 1024, "height": 768}, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{server}/?basemap=none")
        on_map = page.locator(MAP)
        on_map.locator(".leaflet-control-zoom-in").wait_for(timeout=60_000)
        for selector in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".leaflet-control details > summary"):
            box = on_map.locator(selector).first.bounding_box()
            assert box["height"] >= 36, (selector, box)


def test_on_a_touch_screen_a_tapped_name_shows_only_briefly(server):
    """A finger cannot hover away: the tapped feature's name stayed up, cut off at the map's edge."""
    with browser() as chrome:
        page = chrome.new_context(viewport={"width": 1024, "height": 768}, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{server}/?basemap=none")
        zones = page.locator(MAP).locator('path.leaflet-interactive[fill="#1f6fd1"]')
        zones.first.wait_for(timeout=60_000)
        wait_until_idle(page)
        box = max((zones.nth(i).bounding_box() for i in range(zones.count())), key=lambda b: b["width"] * b["height"])
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 4)
        names = page.locator(MAP).locator(".leaflet-tooltip:not(.leaflet-tooltip-permanent)")
        names.first.wait_for(timeout=5_000)  # the name shows on the tap
        names.first.wait_for(state="detached", timeout=5_000)  # and goes by itself


def test_opening_the_sidebar_on_a_tablet_resizes_the_map_and_leaves_its_buttons_free(server):
    """The map kept its old size when the sidebar narrowed its box, and the "tiles failed" notice then lay
    over the zoom buttons, with no way to close it."""
    with browser() as chrome:
        page = chrome.new_context(viewport={"width": 768, "height": 1024}, is_mobile=True, has_touch=True).new_page()
        page.goto(f"{server}/parks")  # OpenStreetMap, which fails offline
        on_map = page.locator(MAP)
        on_map.locator(".leaflet-container").wait_for(timeout=60_000)
        wait_until_idle(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        on_map.locator(".tile-offline-notice, img.leaflet-tile-loaded").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_000)  # the sidebar slides open
        width = on_map.bounding_box()["width"]
        assert on_map.evaluate("el => el.leafletMap.getSize().x") == pytest.approx(width, abs=2)
        if not on_map.locator(".tile-offline-notice").count():
            pytest.skip("the tiles loaded: this machine is online")
        notice = on_map.locator(".tile-offline-notice").bounding_box()
        for button in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out"):
            box = on_map.locator(button).bounding_box()
            assert box["x"] + box["width"] <= notice["x"] or box["y"] >= notice["y"] + notice["height"], button
        on_map.get_by_role("button", name="关闭提示").tap()
        on_map.locator(".tile-offline-notice").wait_for(state="detached", timeout=5_000)


def test_measuring_is_in_chinese_and_its_clicks_are_not_point_queries(server):
    with browser() as chrome:
        page, on_map = _open(chrome, f"{server}/?basemap=none")
        line_tool = on_map.locator("a.leaflet-draw-draw-polyline")
        assert line_tool.get_attribute("title") == "量距离（画线）"
        line_tool.click()
        cancel = on_map.locator(".leaflet-draw-actions a", has_text="取消")
        cancel.wait_for(timeout=10_000)
        assert on_map.locator(".leaflet-draw-actions a[title='取消绘制']").count() == 1
        container = on_map.locator(".leaflet-container").bounding_box()
        for dx in (0.1, 0.15):  # empty ground near the map's left edge (the scale bar is lower down)
            page.mouse.click(container["x"] + container["width"] * dx, container["y"] + container["height"] * 0.5)
            page.wait_for_timeout(400)
        page.mouse.move(container["x"] + container["width"] * 0.3, container["y"] + container["height"] * 0.5)
        running = on_map.locator(".leaflet-draw-tooltip-subtext").inner_text()  # the length so far
        assert re.search(r"\d 千?米$", running), running
        page.wait_for_timeout(1500)
        assert page.get_by_text("不在任何片区或园区内").count() == 0
        assert page.get_by_text("该点（经度").count() == 0
        cancel.click()
        legend = on_map.locator(".plan-legend summary")
        assert legend.inner_text().strip() == "图例"
        # Leaflet's own buttons ("Zoom in", "Layers") and links, the layer control's included
        names = on_map.evaluate("""m => [...m.querySelectorAll('[title], [aria-label]')]
            .flatMap(e => [e.getAttribute('title'), e.getAttribute('aria-label')]).filter(Boolean)""")
        assert {"放大", "缩小", "图层", "开源的交互地图 JavaScript 库"} <= set(names), names
        assert not [n for n in names if re.search(r"[A-Za-z]{3,}", n.replace("JavaScript", ""))], names


@pytest.mark.parametrize("payload", ["[重新登录](http://evil.example/login)", "![](http://evil.example/x.png)",
                                     ":red[**系统已停用**]"])
def test_url_parameters_show_text_not_links_images_or_colours(server, payload):
    with browser() as chrome:
        page = chrome.new_page()
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if urlparse(r.url).hostname == "evil.example" else None)
        page.goto(f"{server}/?zone={payload}")
        page.get_by_text("网址参数 zone=").first.wait_for(timeout=60_000)
        warning = page.locator('[data-testid="stAlertContentWarning"]').first
        assert warning.locator("a").count() == 0 and warning.locator("img").count() == 0
        assert warning.locator('span[style*="color"]').count() == 0
        assert payload[:20] in warning.inner_text().replace("\u200b", "")  # shown as typed (cut at 30)
        assert not fetched


#: Everything a user or a screen reader meets in the page: its texts (an icon is written as its name,
#: "upload", and drawn by the icon font), tooltips, placeholders and the buttons' accessible names.
_READ = """root => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeValue.trim()
            && !n.parentElement.closest('[data-testid=stIconMaterial], [data-testid=stExpanderIcon], script, style, noscript'))
            out.push(n.nodeValue.trim());
    }
    for (const e of root.querySelectorAll("[aria-label], [title], [placeholder], [aria-roledescription]"))
        for (const a of ["aria-label", "title", "placeholder", "aria-roledescription"]) if (e.getAttribute(a)) out.push(e.getAttribute(a));
    return out.join(' | ');
}"""
#: Latin a Chinese user reads as it is: file formats, units, keys, and the test page's own names.
_LATIN = {"CSV", "XLSX", "PNG", "Ctrl", "txt", "csv"}

#: One of each widget whose own words Streamlit writes in English, a table, and a run slow enough
#: to show "Stop".
_WIDGETS = """
import sys, time
sys.path.insert(0, {root!r})
import pandas as pd
import streamlit as st
from pages.common import chrome_in_chinese
chrome_in_chinese()
st.text_input("名称")
st.text_area("理由", max_chars=50)
st.number_input("精度", min_value=1, max_value=5000, value=10)
with st.form("f"):
    st.text_input("用户名")
    st.form_submit_button("登录")
st.selectbox("道路", ["清平路", "北宫街"])
st.multiselect("类别", ["工业", "商贸"], placeholder="全部", select_all=False)  # as every page has it
st.file_uploader("项目清单（CSV 或 XLSX，不超过 8 MB）", type=["csv", "xlsx"])
st.download_button("下载", lambda: 1 / 0, file_name="x.txt", on_click="ignore")
st.dataframe(pd.DataFrame({{"名称": ["甲", "Median"], "面积": [1.5, 2.0]}}), hide_index=True, width=700)
# names from data that are also Streamlit's words (not shown as Streamlit's here): an option, a chosen
# value, a table cell, a chart's legend
st.selectbox("导入的项目", ["Sum", "乙项目"])
st.multiselect("导入的类别", ["Format", "工业"], default=["Format"], select_all=False)
from layers.charts import count_bars
st.altair_chart(count_bars(pd.DataFrame({{"Format": [2], "工业": [1]}}, index=["站南片区"]), row="片区/园区",
                           value="项目数", stack="类别"))
if st.button("慢"):
    time.sleep(4)
"""


def test_streamlits_own_words_are_chinese(tmp_path):
    """Streamlit writes "Press Enter to apply", "No results", "Upload", "Stop", "Sort ascending" … itself."""
    from tests.browser import ROOT, streamlit_process, wait_until_idle
    script = tmp_path / "widgets.py"
    script.write_text(_WIDGETS.format(root=str(ROOT)), encoding="utf-8")
    seen = {}
    with streamlit_process(script) as (url, _), browser() as chrome:
        page = chrome.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(url)
        page.get_by_label("名称", exact=True).wait_for(timeout=60_000)
        wait_until_idle(page)

        def read(state: str) -> None:
            page.wait_for_timeout(300)  # what the page watcher replaces, it replaces before the next frame
            seen[state] = page.locator("body").evaluate(_READ)

        page.keyboard.press("Tab")
        read("first Tab stop")
        page.get_by_label("精度", exact=True).fill("99999")  # out of range: Streamlit's refusal, as a tooltip
        page.get_by_label("精度", exact=True).press("Enter")
        page.get_by_label("精度", exact=True).hover()
        page.wait_for_timeout(800)
        read("a number out of range")
        page.get_by_label("精度", exact=True).fill("10")
        page.get_by_label("精度", exact=True).press("Enter")
        for label in ("名称", "理由", "用户名"):
            page.get_by_label(label, exact=True).fill("站南")
            read(f"typing in {label}")
        for label in ("道路", "类别"):
            page.get_by_label(label, exact=True).click()
            page.keyboard.type("zzzz")
            read(f"nothing matches in {label}")
            page.keyboard.press("Escape")
            page.mouse.click(5, 5)  # closes the list
        page.get_by_label("导入的项目", exact=True).click()
        options = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        page.mouse.click(5, 5)
        chips = page.locator("[data-tag]").all_inner_texts()
        legend = page.get_by_test_id("stVegaLiteChart").locator("text").all_text_contents()
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "清单.csv", "mimeType": "text/csv", "buffer": "name\n甲\n".encode()}])
        page.get_by_text("清单.csv").wait_for(timeout=10_000)
        read("an uploaded file")
        page.locator("input[type=file]").set_input_files(  # refused in the browser: Streamlit's own words
            files=[{"name": "大文件.csv", "mimeType": "text/csv", "buffer": b"a" * (9 * 2**20)}])
        page.get_by_test_id("stFileChipIconError").wait_for(timeout=10_000)
        page.get_by_test_id("stFileChipName").filter(has_text="大文件.csv").hover()
        page.wait_for_function("() => [...document.querySelectorAll('body *')].some((e) => !e.childElementCount"
                               " && /^(File must|文件过大)/.test(e.textContent) && e.getBoundingClientRect().width > 50)",
                               timeout=5_000)  # the chip's tooltip
        read("a file over the size limit")
        page.get_by_role("button", name="移除 大文件.csv").click()
        page.get_by_role("button", name="下载", exact=True).click()
        page.get_by_test_id("stDownloadButtonError").wait_for(timeout=10_000)
        read("a failed download")
        table = page.get_by_test_id("stDataFrame")
        table.hover()
        page.get_by_test_id("stElementToolbarButton").nth(1).hover()
        page.get_by_test_id("stTooltipContent").wait_for(timeout=5_000)
        read("a table tool's tooltip")
        page.get_by_test_id("stElementToolbarButton").nth(1).click()
        read("searching a table")
        page.keyboard.type("甲")
        read("a table search's results")
        page.keyboard.press("Escape")
        table.hover()
        page.get_by_test_id("stElementToolbarButton").first.click()
        read("the table's column list")
        page.keyboard.press("Escape")
        page.mouse.click(5, 5)
        box = table.bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 17)  # the first column's header shows its menu button
        page.mouse.click(box["x"] + box["width"] / 2 - 15, box["y"] + 17)
        page.get_by_test_id("stDataFrameColumnMenu").wait_for(timeout=5_000)
        read("a column's menu")
        page.get_by_role("menuitem").nth(2).hover()  # sort up, sort down, statistics
        read("a column's statistics")
        page.keyboard.press("Escape")
        page.mouse.click(5, 5)
        page.get_by_role("button", name="慢", exact=True).click()
        page.get_by_test_id("stStatusWidget").locator("button").wait_for(timeout=10_000)
        read("a slow run")
    everything = " ".join(seen.values())
    assert options == ["Sum", "乙项目"] and chips == ["Format"] and "Format" in legend, (options, chips, legend)
    assert "移除 Format" in everything and "移除 清单.csv" in everything
    assert "| Median |" in seen["a slow run"], seen["a slow run"]  # the table's cell, as written
    for chinese in ("跳到主要内容", "按回车键确认", "按 Ctrl+回车键确认", "2/50", "按回车键提交", "没有匹配的选项",
                    "选择文件", "每个文件不超过 8 MB", "文件未能生成", "搜索", "输入以搜索",
                    "显示/隐藏列", "全屏", "升序排列", "隐藏此列", "平均长度", "停止", "1 个结果", "添加文件",
                    "已选的值", "文件过大：每个文件不能超过 8.0 MB", "错误：", "数值超出允许范围：请输入 1 到 5000 之间的数"):
        assert chinese in everything, (chinese, "\n".join(f"{k}: {v}" for k, v in seen.items()))
    english = {state: sorted(set(re.findall(r"[A-Za-z]{3,}", text)) - _LATIN - {"Sum", "Median", "Format"})  # the data
               for state, text in seen.items()}
    assert not any(english.values()), {state: words for state, words in english.items() if words}


def _code_words(page) -> set[str]:
    """Words in code spans: names a user must type as they are (an import file's column names)."""
    return set(re.findall(r"[A-Za-z][A-Za-z_]{2,}", " ".join(page.locator("code").all_inner_texts())))


#: Every page by its menu entry (app.py's PAGES, and the admin page an admin sees).
PAGE_TITLES = ("总览", "片区审查", "边界提案", "版本", "园区", "园区选址", "项目", "指标", "领导总览", "管理")


def test_no_page_shows_english_to_a_signed_in_admin(tmp_path, monkeypatch):
    """Issue 10: no page may show an English fragment: texts, tooltips, placeholders, accessible names."""
    from layers.store.engine import get_engine, upgrade
    from layers.store.users import add_user
    from tests.browser import sign_in, wait_until_idle
    from tests.test_defects_pages import ALLOWED_WORDS
    db = tmp_path / "pages.sqlite3"
    monkeypatch.setenv("WEICHENG_MAP_DB", str(db))
    engine = get_engine(str(db))
    upgrade(engine)
    add_user(engine, "admin1", "admin", password="a long test password", display_name="管理员甲")
    found = {}
    with streamlit_server() as url, browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        sign_in(page, "admin1", "a long test password")  # every page shows all it can
        for title in PAGE_TITLES:  # through the menu: a new address would start a new, signed-out session
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
            page.wait_for_timeout(500)
            wait_until_idle(page)
            texts = []
            for tab in [None, *page.get_by_role("tab").all()]:
                if tab is not None:
                    tab.click()
                    wait_until_idle(page)
                page.wait_for_timeout(500)  # charts and the page watcher finish drawing
                texts.append(page.locator("body").evaluate(_READ))
            # not words: links (./?park=…) and the column names an import file must use (in code spans)
            shown = re.sub(r"https?://\S+|\./\S*", "", " ".join(texts))
            words = set(re.findall(r"[A-Za-z][A-Za-z_]{2,}", shown)) - _code_words(page)
            found[title] = sorted(words - ALLOWED_WORDS - _LATIN - {"JavaScript", "Leaflet", "admin"})  # admin1: a name
    assert not any(found.values()), {title: words for title, words in found.items() if words}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])  # Streamlit words the two differently
def test_a_stopped_server_is_announced_in_chinese(host):
    """Restarting the server (an update) shows Streamlit's connection dialog and status, in Chinese."""
    from tests.browser import streamlit_process, wait_until_idle
    with streamlit_process() as (url, proc), browser() as chrome:
        page = chrome.new_page()
        page.goto(url.replace("127.0.0.1", host))
        page.locator(MAP).locator(".leaflet-interactive").first.wait_for(timeout=60_000)
        wait_until_idle(page)
        proc.terminate()
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=30_000)
        page.wait_for_timeout(300)
        shown = dialog.evaluate(_READ) + " | " + page.get_by_test_id("stConnectionStatus").evaluate(_READ)
    assert "连接错误" in shown and "地图服务没有响应" in shown and "正在连接" in shown, shown
    assert not re.findall(r"[A-Za-z]{3,}", shown), shown


FAILING_APP = '''
import sys
sys.path.insert(0, {root!r})
import streamlit as st

if __name__ == "__main__":
    def fail_in_callback():
        raise RuntimeError("callback boom /srv/secret/path.py")

    @st.fragment
    def part():
        if st.button("片段出错"):
            raise KeyError("fragment boom /srv/secret/path.py")

    st.title("会出错的页面")
    st.button("回调出错", on_click=fail_in_callback)
    part()
    if st.query_params.get("fail") == "run":
        raise ValueError("run boom /srv/secret/path.py")
else:
    from pages.failure import show_script_error
    app = st.App(__file__, on_script_error=show_script_error)
'''


@pytest.mark.parametrize("how", ["run", "callback", "fragment"])
def test_an_unforeseen_failure_is_explained_in_chinese(tmp_path, how):
    """A page run, a widget callback or a fragment that raises: a Chinese notice, no English, no details."""
    from pages.failure import SCRIPT_ERROR
    from tests.browser import ROOT, streamlit_process, wait_until_idle

    script = tmp_path / "failing_app.py"
    script.write_text(FAILING_APP.format(root=str(ROOT)), encoding="utf-8")
    with streamlit_process(script) as (url, _proc), browser() as chrome:
        page = chrome.new_page()
        page.goto(f"{url}/?fail=run" if how == "run" else url)
        page.get_by_text("会出错的页面").wait_for(timeout=60_000)
        if how != "run":
            wait_until_idle(page)
            page.get_by_role("button", name={"callback": "回调出错", "fragment": "片段出错"}[how]).click()
        page.get_by_text(SCRIPT_ERROR[:12]).first.wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert "encountered an error" not in body and "boom" not in body and "/srv/secret" not in body
        assert page.get_by_test_id("stException").count() == 0


_LIMITED = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from pages.common import chrome_in_chinese
chrome_in_chinese()
reason = st.text_area("理由", max_chars=50)
st.markdown(f"已收到 {{len(reason)}} 个字符")
"""


def test_a_paste_over_a_fields_limit_inserts_what_fits_and_says_so(tmp_path):
    """Pasting 10,000 characters into a 2,000-character box inserted nothing at all, without a word."""
    from tests.browser import ROOT, streamlit_process, wait_until_idle
    script = tmp_path / "limited.py"
    script.write_text(_LIMITED.format(root=str(ROOT)), encoding="utf-8")
    with streamlit_process(script) as (url, _), browser() as chrome:
        context = chrome.new_context(viewport={"width": 1200, "height": 900},
                                     permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(url)
        box = page.get_by_label("理由", exact=True)
        box.wait_for(timeout=60_000)
        wait_until_idle(page)
        box.click()
        page.evaluate("navigator.clipboard.writeText('站'.repeat(80))")
        page.keyboard.press("Control+V")
        page.get_by_role("alert").filter(has_text="粘贴的内容有 80 个字符").wait_for(timeout=5_000)
        assert len(box.input_value()) == 50
        box.press("Control+Enter")
        page.get_by_text("已收到 50 个字符").wait_for(timeout=10_000)


def test_a_long_tooltip_stays_inside_the_map(server):
    """A point with three projects: its tooltip ran past the map's right edge and was cut mid-word."""
    with browser() as chrome:
        page, on_map = _open(chrome, f"{server}/?basemap=none")
        on_map.locator(".leaflet-tooltip-pane").wait_for(state="attached", timeout=30_000)
        inside = page.evaluate("""() => {
            const host = document.querySelector('.wc-map');
            const map = host.leafletMap, box = host.getBoundingClientRect();
            const results = [];
            for (const x of [0.3, 0.45, 0.55, 0.7]) {  // either side of the centre: auto flips the side
                const at = map.containerPointToLatLng([box.width * x, box.height / 2]);
                const tip = L.tooltip({className: 'foliumtooltip'}).setLatLng(at)
                    .setContent('此处 3 个项目：' + '潍坊先进光电芯片研究院（位置仅到片区/园区）；'.repeat(3));
                tip.addTo(map);
                const r = tip.getElement().getBoundingClientRect();
                results.push(r.left >= box.left - 1 && r.right <= box.right + 1);
                tip.remove();
            }
            return results;
        }""")
        assert inside == [True, True, True, True]
