"""Leaflet served from the app: copied from installed packages, bundled into one script and one stylesheet."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from layers.maps.assets import STATIC_URL, bundle, site_bundle, sync_assets

PREFIX = f"/{STATIC_URL}/"


def write(root: Path, rel: str, text: str) -> str:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    return PREFIX + rel


def test_scripts_are_bundled_in_their_order(tmp_path):
    a = write(tmp_path, "vendor/a/a.js", "var A = 1")  # no trailing semicolon
    b = write(tmp_path, "vendor/b/b.js", "(function(){ window.B = A + 1; })()")
    [url] = bundle(tmp_path, [a, b], ".js")
    assert url.startswith(PREFIX + "vendor/bundle/") and url.endswith(".js")
    text = (tmp_path / url.removeprefix(PREFIX)).read_text("utf-8")
    assert text.index("var A = 1") < text.index("window.B")
    # The first script cannot run into the second (a "(" after "var A = 1" would call 1 as a function).
    assert re.search(r"var A = 1\s*;", text)


def test_bundle_is_deterministic_and_named_by_content(tmp_path):
    a = write(tmp_path, "vendor/a.js", "var A = 1;")
    b = write(tmp_path, "vendor/b.js", "var B = 2;")
    first = bundle(tmp_path, [a, b], ".js")
    path = tmp_path / first[0].removeprefix(PREFIX)
    stamp = path.stat().st_mtime_ns
    assert bundle(tmp_path, [a, b], ".js") == first
    assert path.stat().st_mtime_ns == stamp  # not rewritten
    assert bundle(tmp_path, [b, a], ".js") != first  # another order is another bundle
    write(tmp_path, "vendor/b.js", "var B = 3;")
    assert bundle(tmp_path, [a, b], ".js") != first  # a new version is never served from an old cache
    assert not list((tmp_path / "vendor" / "bundle").glob(".*.tmp"))


def test_urls_that_are_not_the_apps_files_are_left_alone(tmp_path):
    a = write(tmp_path, "vendor/a.js", "var A = 1;")
    cdn = "https://cdn.example.org/leaflet.js"
    assert bundle(tmp_path, [cdn, a], ".js") == [cdn, a]  # the order of scripts matters
    assert bundle(tmp_path, [a], ".js") == [a]
    assert bundle(tmp_path, [a, PREFIX + "vendor/missing.js"], ".js") == [a, PREFIX + "vendor/missing.js"]
    assert not (tmp_path / "vendor" / "bundle").exists()


def test_stylesheet_images_still_resolve_from_the_bundle(tmp_path):
    urls = sync_assets(tmp_path)
    css = [urls[k] for k in ("leaflet_css", "leaflet_draw_css", "markerclustercss") if k in urls]
    [url] = bundle(tmp_path, css, ".css")
    rel_dir = posixpath.dirname(url.removeprefix(PREFIX))
    text = (tmp_path / url.removeprefix(PREFIX)).read_text("utf-8")
    refs = re.findall(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""", text)
    relative = [r for r in refs if not re.match(r"[a-z]+:|/|#", r, re.IGNORECASE)]
    assert any("spritesheet.svg" in r for r in relative) and any("layers.png" in r for r in relative)
    for ref in relative:
        assert (tmp_path / posixpath.normpath(posixpath.join(rel_dir, ref))).is_file(), ref
    assert "url(#default#VML)" in text  # fragments and data: URLs are not touched


def test_every_map_shares_one_leaflet_bundle_whatever_plugins_it_uses(tmp_path):
    urls = sync_assets(tmp_path)
    if not {"leaflet", "leaflet_draw_js", "markerclusterjs"} <= set(urls):
        pytest.skip("Leaflet.draw or markercluster is not installed")
    measuring = site_bundle(tmp_path, [urls["leaflet"], urls["leaflet_draw_js"]], ".js")
    clustering = site_bundle(tmp_path, [urls["leaflet"], urls["markerclusterjs"]], ".js")
    plain = site_bundle(tmp_path, [urls["leaflet"]], ".js")
    assert measuring == clustering == plain  # a visitor fetches Leaflet once for every page
    text = (tmp_path / plain[0].removeprefix(PREFIX)).read_text("utf-8")
    order = [text.index(f"/* {urls[k]} */") for k in ("leaflet", "leaflet_draw_js", "markerclusterjs")]
    assert order[0] == 0 and sorted(order) == order  # Leaflet first, its plugins after it
    css = site_bundle(tmp_path, [urls["leaflet_css"]], ".css")
    assert css != plain and css[0].endswith(".css") and "leaflet.draw.css" in \
        (tmp_path / css[0].removeprefix(PREFIX)).read_text("utf-8")


def test_a_map_with_a_file_from_elsewhere_keeps_its_own_links(tmp_path):
    urls = sync_assets(tmp_path)
    cdn = "https://cdn.example.org/leaflet.fullscreen.js"
    assert site_bundle(tmp_path, [urls["leaflet"], cdn], ".js") == [urls["leaflet"], cdn]
