"""Time from navigation to the zone and park polygons being drawn: the app vs. a static folium page.

    .venv/bin/python benchmarks/map_render.py [--runs 5]

Both use the offline basemap (no tiles) and local Leaflet, so only our stack is
measured. The static page holds the same layers (the floor for folium/Leaflet).
Also prints the size of the map payload the app sends. Targets: ratio ≤ 1.5,
payload ≤ 300 KB. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.maps.assets import file_urls  # noqa: E402
from layers.maps.basemaps import available_basemaps  # noqa: E402
from layers.data import load_layers  # noqa: E402
from layers.maps.views import base_map  # noqa: E402
from tests.browser import MAP_FRAME, browser, streamlit_server  # noqa: E402

POLYGONS = 18  # 10 zones + 8 located parks


def _wait_polygons(frame, timeout_s: float = 60) -> None:
    selector = 'path.leaflet-interactive[fill="#1f6fd1"], path.leaflet-interactive[fill="#e67e22"]'
    deadline = time.monotonic() + timeout_s
    while frame.locator(selector).count() < POLYGONS:
        if time.monotonic() > deadline:
            raise TimeoutError("polygons were not drawn")
        time.sleep(0.02)


def time_static(chrome, html: Path) -> float:
    page = chrome.new_page()
    start = time.perf_counter()
    page.goto(html.as_uri())
    _wait_polygons(page)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def time_app(chrome, url: str) -> float:
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(f"{url}/?basemap=none")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    _wait_polygons(frame)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def payload_bytes() -> int:
    """Bytes of the map component's arguments (script, header, html, links) for the overview."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["basemap"] = "none"
    at.run()
    return len(at.get("component_instance")[0].proto.json_args.encode("utf-8"))


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    layers = load_layers()
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "static_map.html"
        base_map(layers, available_basemaps()["none"], file_urls()).save(str(html))
        with streamlit_server() as url, browser() as chrome:
            time_app(chrome, url)  # warm-up: first script run, caches
            static = [time_static(chrome, html) for _ in range(args.runs)]
            app = [time_app(chrome, url) for _ in range(args.runs)]
        static_kb = html.stat().st_size / 1024
    s, a = statistics.median(static), statistics.median(app)
    print(f"static folium page: median {s * 1000:.0f} ms ({', '.join(f'{x * 1000:.0f}' for x in static)})")
    print(f"streamlit app:      median {a * 1000:.0f} ms ({', '.join(f'{x * 1000:.0f}' for x in app)})")
    print(f"ratio app/static:   {a / s:.2f} (target ≤ 1.5)")
    print(f"map payload:        {payload_bytes() / 1024:.0f} KB (target ≤ 300 KB); static HTML {static_kb:.0f} KB")


if __name__ == "__main__":
    main()
