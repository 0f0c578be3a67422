"""README's office setup, run as written: its nginx block in front of the app, in Chromium."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from layers.maps.assets import site_bundle, sync_assets
from layers.maps.publish import publish_static
from tests.browser import MAP, ROOT, browser, require_chromium, streamlit_process
from tests.office import behind_nginx, readme_server_block, require_nginx

pytestmark = pytest.mark.browser

require_chromium()
require_nginx()

ZONES = 'path.leaflet-interactive[fill="#1f6fd1"]'


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The app behind README's nginx, with the published folder; one published file is missing."""
    tmp = tmp_path_factory.mktemp("office")
    public = tmp / "public"
    publish_static(public)
    # After an upgrade, before publishing again, nginx lacks a file the page asks for: the maps' bundle.
    urls = sync_assets(ROOT / "static")
    [bundle] = site_bundle(ROOT / "static", [urls["leaflet"]], ".js")
    missing = public / bundle.lstrip("/")
    missing.unlink()
    missing.with_name(missing.name + ".gz").unlink()
    with streamlit_process(env={"WEICHENG_MAP_DB": str(tmp / "office.sqlite3")}) as (upstream, _), \
            behind_nginx(upstream, public) as (url, _worker):
        yield url, public, bundle


def test_readme_block_serves_the_published_files_and_proxies_the_rest():
    block = readme_server_block()
    assert "gzip_static on;" in block and "try_files $uri @app;" in block
    assert "python -m layers.maps.publish /srv/weicheng/public" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_through_nginx_the_map_draws_and_streamlits_files_come_ready_compressed(office):
    url, public, bundle = office
    with browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        static: list = []
        page.on("response", lambda r: static.append(r) if urlparse(r.url).path.startswith(("/static/", "/app/static/"))
                else None)
        page.goto(f"{url}/?basemap=none")
        zones = page.locator(MAP).locator(ZONES)
        zones.first.wait_for(timeout=60_000)
        assert zones.count() == 10
        page.wait_for_timeout(300)
        scripts = [r for r in static if urlparse(r.url).path.endswith(".js")]
        assert len(scripts) > 20 and all(r.status == 200 for r in static)
        published = [r for r in scripts if (public / urlparse(r.url).path.lstrip("/")).is_file()]
        handed_on = [r for r in scripts if r not in published]
        twins = [r for r in published if (public / (urlparse(r.url).path.lstrip("/") + ".gz")).is_file()]
        assert len(twins) > len(published) / 2  # only files too small to gain from gzip have none
        # Those nginx sent as the .gz twin from disk: a fixed length (gzip on the fly would be chunked,
        # and Streamlit itself sends its files uncompressed).
        for response in twins:
            headers = response.all_headers()
            assert headers.get("content-encoding") == "gzip" and "content-length" in headers, response.url
        # The file the folder lacks came from the app (try_files), and the map still drew.
        assert [urlparse(r.url).path for r in handed_on] == [bundle]
        assert all("javascript" in r.all_headers().get("content-type", "") for r in handed_on)
