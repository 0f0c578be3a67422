"""Import a generated list of 10,000 projects: read + validate, zone/park assignment, clustered map.

    .venv/bin/python benchmarks/import_10k.py [--rows 10000]

Targets: import and validation < 5 s, assignment < 1 s (vectorised spatial
join). The rows are synthetic (random points in the district's bounding box,
some outside it on purpose); nothing is stored.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.maps.assets import file_urls  # noqa: E402
from layers.maps.basemaps import available_basemaps  # noqa: E402
from layers.data import load_layers  # noqa: E402
from layers.maps.views import projects_map  # noqa: E402
from layers.store.imports import TEMPLATE_COLUMNS, assign_areas, read_table, validate  # noqa: E402
from layers.project_table import imported_projects  # noqa: E402


def generated_csv(rows: int, bounds, seed: int = 7) -> bytes:
    """A CSV of synthetic rows, GBK-encoded as Excel on Chinese Windows saves it."""
    rng = random.Random(seed)
    minx, miny, maxx, maxy = bounds
    lines = [",".join(TEMPLATE_COLUMNS)]
    for i in range(rows):
        lines.append(f"测试项目{i:05d},industry,开工,{rng.randint(100, 90000)},{rng.randint(2021, 2025)},"
                     f"{rng.uniform(minx, maxx):.6f},{rng.uniform(miny, maxy):.6f},,")
    return ("\n".join(lines) + "\n").encode("gbk")


def main() -> None:
    """Run the three stages and print their timings."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    data = load_layers()
    district = data.district.geometry.iloc[0]
    payload = generated_csv(args.rows, district.bounds)

    start = time.perf_counter()
    result = validate(read_table(payload, "bench.csv"), datum="wgs84", zones=data.zones, parks=data.parks,
                      district=district)
    t_import = time.perf_counter() - start
    print(f"read + validate {args.rows} rows: {t_import:.2f} s (target < 5 s); "
          f"{len(result.valid)} valid, {len(result.errors)} rows outside the district or otherwise rejected")

    points = result.valid.copy()
    points["zone"], points["park"] = None, None
    start = time.perf_counter()
    assign_areas(points, data.zones, data.parks)
    t_assign = time.perf_counter() - start
    print(f"zone/park assignment (spatial join): {t_assign * 1000:.0f} ms (target < 1 s); "
          f"{points['zone'].notna().sum()} in a zone, {points['park'].notna().sum()} in a park")

    frame = result.valid.drop(columns="geometry").reset_index().rename(columns={"index": "id"})
    frame["batch_id"], frame["source_file"], frame["imported_at"] = "bench", "bench.csv", ""
    start = time.perf_counter()
    m = projects_map(data, imported_projects(frame), available_basemaps()["none"], file_urls())
    html = m.get_root().render()
    t_map = time.perf_counter() - start
    clustered = "markerClusterGroup" in html
    print(f"project map with {len(frame)} markers built in {t_map:.2f} s, clustering: {clustered}, "
          f"HTML {len(html) / 1e6:.1f} MB")
    draw_in_browser(m)


def draw_in_browser(m) -> None:
    """Open the clustered map in Chromium and time until the clusters show (skipped without it)."""
    import tempfile

    from tests.browser import browser, chromium_path

    if chromium_path() is None:
        print("chromium not installed: browser drawing not measured")
        return
    with tempfile.TemporaryDirectory() as tmp, browser() as chrome:
        path = Path(tmp) / "projects.html"
        m.save(str(path))
        page = chrome.new_page(viewport={"width": 1200, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.locator(".marker-cluster").first.wait_for(timeout=60_000)
        print(f"browser: {page.locator('.marker-cluster').count()} clusters drawn "
              f"{(time.perf_counter() - start) * 1000:.0f} ms after navigation")


if __name__ == "__main__":
    main()
