"""End to end, offline as CI is: the real app in Debian's Chromium."""

from __future__ import annotations

import os

import pytest

from tests.browser import MAP_FRAME, browser, chromium_path, streamlit_server

pytestmark = pytest.mark.browser

if chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium (see .ci/run)")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


def test_map_draws_zones_and_parks_and_a_click_shows_details(server):
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-container").wait_for(timeout=60_000)
        zones = frame.locator('path.leaflet-interactive[fill="#1f6fd1"]')
        parks = frame.locator('path.leaflet-interactive[fill="#e67e22"]')
        zones.first.wait_for(timeout=30_000)
        assert zones.count() == 10
        assert parks.count() == 8
        # Mark the live map: a click must not rebuild it (same Leaflet container afterwards).
        map_frame = next(f for f in page.frames if "streamlit_folium" in (f.url or "") or f.query_selector(".leaflet-container"))
        map_frame.evaluate("document.querySelector('.leaflet-container').dataset.probe = 'kept'")
        # The largest zone, near its north-west corner: project markers sit mid-area.
        boxes = [zones.nth(i).bounding_box() for i in range(10)]
        big = max(range(10), key=lambda i: boxes[i]["width"] * boxes[i]["height"])
        zones.nth(big).click(force=True, position={"x": boxes[big]["width"] * 0.2, "y": 8})
        page.get_by_text("四至（规划原文）").wait_for(timeout=30_000)
        assert page.get_by_text("东至西环路、西至拥军路").first.is_visible()
        frame.locator(".leaflet-container").wait_for()
        assert map_frame.evaluate("document.querySelector('.leaflet-container').dataset.probe") == "kept"


def test_unknown_url_parameter_shows_a_message(server):
    with browser() as chrome:
        page = chrome.new_page()
        page.goto(f"{server}/?zone=nowhere")
        page.get_by_text("网址参数 zone=").first.wait_for(timeout=60_000)
