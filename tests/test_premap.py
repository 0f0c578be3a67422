"""The overview's map pre-drawn by the page shell (layers/maps/premap.py, layers/frontend.py): which shells
name it, for which basemap, and what its script and stylesheet hold. The browser side (the map drawn
before Streamlit starts and taken over by the page) is in tests/test_browser.py."""

from __future__ import annotations

import html
import json
import re

import pytest

from layers.frontend import STREAMLIT_SCRIPT, premap_head, shell_html, start_after_load, streamlit_static_dir
from layers.maps.premap import PREMAPS, RUNNER, Premaps, premap_css
from layers.maps.style import MAP_CSS
from tests.test_frontend import FakeStreamlit, front_end, request

MAP_FILE = "/app/static/vendor/bundle/cccc000000000000.js"
LINKS = {"css_links": ("/app/static/vendor/bundle/aaaa000000000000.css",),
         "js_links": ("/app/static/vendor/bundle/bbbb000000000000.js",)}
INDEX = ('<!DOCTYPE html>\n<html lang="en">\n<head><title>Streamlit</title>\n'
         '<script type="module" crossorigin src="./static/js/index.abc.js"></script>\n</head>\n'
         '<body><div id="root"></div></body></html>')


@pytest.fixture
def offered(tmp_path):
    """The server's offer holds the overview's map for 无底图, as after a first view of 总览."""
    PREMAPS.clear()
    made = PREMAPS.offer("none", script_url=MAP_FILE, js_hash="h1", static_dir=tmp_path, **LINKS)
    yield made
    PREMAPS.clear()


def test_an_offer_names_the_maps_file_and_writes_the_runner_once(tmp_path):
    maps = Premaps()
    first = maps.offer("osm", script_url=MAP_FILE, js_hash="h1", static_dir=tmp_path, **LINKS)
    name = first.runner_url.rsplit("/", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{16}\.js", name) and first.runner_url.startswith("/app/static/vendor/bundle/")
    runner = tmp_path / "vendor" / "bundle" / name
    assert runner.read_text(encoding="utf-8") == RUNNER
    stamp = runner.stat().st_mtime_ns
    assert maps.offer("osm", script_url=MAP_FILE, js_hash="h1", static_dir=tmp_path, **LINKS) is first
    assert runner.stat().st_mtime_ns == stamp
    assert maps.for_basemap("osm") is first and maps.for_basemap("amap") is None


def test_a_new_map_replaces_the_offer_for_its_basemap_only(tmp_path):
    maps = Premaps()
    osm = maps.offer("osm", script_url=MAP_FILE, js_hash="h1", static_dir=tmp_path, **LINKS)
    none = maps.offer("none", script_url=MAP_FILE, js_hash="h1", static_dir=tmp_path, **LINKS)
    newer = maps.offer("osm", script_url=MAP_FILE.replace("cccc", "dddd"), js_hash="h2", static_dir=tmp_path, **LINKS)
    assert newer is not osm and newer.js_hash == "h2"
    assert maps.for_basemap("osm") is newer and maps.for_basemap("none") is none


def test_the_runner_draws_the_map_its_tag_names_and_says_which_map_it_is(offered):
    head = offered.head_tags()
    tag = re.search(r'<script defer src="([^"]+)" data-hash="([^"]+)" data-links="([^"]+)"></script>', head)
    assert tag and tag.group(1) == offered.runner_url and tag.group(2) == "h1"
    assert json.loads(html.unescape(tag.group(3))) == [*LINKS["css_links"], *LINKS["js_links"], MAP_FILE]
    assert 'wcMapScripts[me.getAttribute("data-hash")]' in RUNNER and "window.__wcPremap" in RUNNER


def test_premap_stylesheet_gives_the_box_the_map_widgets_own_rules():
    css = premap_css()
    assert ".wc-premap .leaflet-container { font-size: 1rem; }" in css  # as .wc-map's
    assert ".wc-map-canvas { position: absolute; inset: 0; }" in css  # the canvas rule is shared as it is
    assert ".wc-map " not in css and ".wc-map{" not in css  # nothing styles the page's widget from here
    assert css.count(".wc-premap {") >= 2 and "position: absolute" in css


def test_shell_with_a_premap_starts_streamlit_after_the_map_was_drawn():
    page = shell_html(INDEX, '<script defer src="/x.js"></script>')
    assert STREAMLIT_SCRIPT not in page  # no longer fetched and compiled from the first byte on
    starter = page[page.index("<script>"):]
    assert page.index('<script defer src="/x.js">') < page.index("<script>")
    assert '"script": "./static/js/index.abc.js"' in starter and "DOMContentLoaded" in starter
    assert shell_html(INDEX).count(STREAMLIT_SCRIPT) == 1  # without a premap the shell is Streamlit's


def test_installed_streamlits_code_is_started_whole_after_the_map():
    """The pinned Streamlit's script and every module it preloads are started by the starter, once."""
    page = (streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
    preloads = re.findall(r'rel="modulepreload" crossorigin href="([^"]+)"', page)
    script = re.search(r'<script type="module" crossorigin src="([^"]+)">', page).group(1)
    started = start_after_load(page)
    code = json.loads(re.search(r"var code = (\{.*?\}), started", started).group(1))
    assert len(preloads) > 20 and code == {"script": script, "preloads": preloads}
    assert "modulepreload\" crossorigin" not in started and STREAMLIT_SCRIPT not in started


def test_a_shell_of_another_form_keeps_streamlits_own_start():
    other = '<head><script type="module" src="./a.js"></script></head>'
    assert start_after_load(other) == other


def test_installed_streamlits_shell_has_the_place_for_the_premap():
    page = (streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
    assert page.count(STREAMLIT_SCRIPT) == 1
    assert "<!--x-->" in shell_html(page, "<!--x-->")


@pytest.mark.parametrize("path", ["", "overview", "overview/"])
def test_overview_shell_names_the_offered_map_after_its_leaflet(offered, path):
    head = premap_head(path, b"basemap=none")
    tags = re.findall(r'<script defer src="([^"]+)"', head)
    assert tags == [*LINKS["js_links"], MAP_FILE, offered.runner_url]  # Leaflet, the map, then the runner
    assert f'<link rel="stylesheet" href="{LINKS["css_links"][0]}">' in head and "<style>" in head


@pytest.mark.parametrize("path", ["zones", "parks", "targets", "admin"])
def test_other_pages_shells_name_no_map(offered, path):
    assert premap_head(path, b"basemap=none") == ""


@pytest.mark.parametrize("query", [b"", b"basemap=osm", b"basemap=amap", b"basemap=%3Cscript%3E"])
def test_shell_names_only_the_map_of_the_basemap_the_page_will_show(offered, query):
    """No map was offered for OpenStreetMap (the default, also for an unknown basemap) or 高德."""
    assert premap_head("", query) == ""


def test_first_basemap_of_a_repeated_parameter_counts_as_on_the_page(offered):
    assert premap_head("", b"basemap=none&basemap=osm") != ""
    assert premap_head("", b"basemap=osm&basemap=none") == ""


def test_shell_names_no_map_before_the_overview_offered_one():
    PREMAPS.clear()
    assert premap_head("", b"basemap=none") == ""


def test_front_end_sends_the_overview_shell_with_its_map(offered, tmp_path):
    class WithScript(FakeStreamlit):
        async def __call__(self, scope, receive, send):
            async def swap(message):
                if message["type"] == "http.response.body":
                    message = dict(message, body=INDEX.encode())
                elif message["type"] == "http.response.start":
                    message = dict(message, headers=[(k, v) for k, v in message["headers"]
                                                     if k != b"content-length"])
                await send(message)
            await super().__call__(scope, receive, swap)

    (tmp_path / "static").mkdir(exist_ok=True)
    app = front_end(WithScript(), tmp_path)
    _, headers, body = request(app, "/", query=b"basemap=none")
    assert offered.runner_url.encode() in body and int(headers[b"content-length"]) == len(body)
    _, _, other = request(app, "/zones", query=b"basemap=none")
    assert offered.runner_url.encode() not in other and b'lang="zh-CN"' in other


def test_map_stylesheet_is_the_widgets():
    """The pre-drawn map and the widget share one stylesheet (the map does not change its look when taken over)."""
    from pages.map_widget import _MAP  # noqa: F401  (the widget is built with MAP_CSS)
    import pages.map_widget as widget
    assert widget.MAP_CSS is MAP_CSS
