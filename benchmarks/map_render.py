"""How fast the map is, side by side with an EMPTY Streamlit page, in one run.

    .venv/bin/python benchmarks/map_render.py [--runs 7] [--skip-many]

Measured on this machine with Debian's Chromium (offline basemap, local
Leaflet, so only our stack is timed):

1. first load: navigation → every zone and park polygon drawn (总览), next to
   navigation → an empty Streamlit page's title shown, and a static folium
   file of the same map. Target: app ≤ empty page + 0.3 s (medians).
   All in the same 1400×1000 window; each page notes the moment itself, at
   the first animation frame in which it is ready (``READY_PROBE``).
2. click → details: a click on a zone until the details panel names it.
   Target: median ≤ 0.3 s.
   Also the first load of a page that shows only the same map and nothing
   else: what the map component alone costs over the empty page.
3. server CPU per 总览 view: the page script's own CPU per view (every run a
   view causes, timed inside the server by benchmarks/script_timer), and the
   whole server process's CPU per view next to the empty page's, for a first
   visit (a fresh browser: Streamlit's own files are served again) and for a
   returning visitor (a new tab, hence a new session, in a browser that has
   the files cached). Target: ≤ 60 ms.
4. ten simultaneous first loads (ten browser contexts at once), with the plan's
   projects and with 8,758 imported projects, next to ten simultaneous loads of
   the empty page; and ten returning visitors opening it at once. Target:
   median < 4 s. Ten Chromium tabs fill this machine's two cores themselves,
   so the same ten visits are also replayed without browsers (what the server
   alone takes; ``benchmarks/server_load.py``).
5. server memory per open session with 8,758 imported projects: the Python
   objects the server holds per session (tracemalloc snapshots between 10 and
   30 open sessions, in a server of its own, since tracing slows it), and the
   slope of its RSS from 10 to 40 open sessions. Target: ≤ 3 MB.
6. when nginx is installed: 1, 3 and 4 again with both servers behind nginx,
   configured by README's own block ("Serving an office": the static files
   from the folder ``python -m layers.maps.publish`` writes, sent as their
   ready .gz twins); nginx's own CPU is reported next to Python's.

Also prints the size of the map the app sends. Needs Debian's chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from layers.data import load_layers  # noqa: E402
from layers.maps.assets import file_urls  # noqa: E402
from layers.maps.basemaps import available_basemaps  # noqa: E402
from layers.maps.views import base_map  # noqa: E402
from layers.maps.publish import publish_static  # noqa: E402
from server_load import measure as replay  # noqa: E402  (benchmarks/ is this script's folder)
from tests.browser import CHROMIUM_ARGS, MAP, PREMAP, browser, chromium_path, streamlit_process  # noqa: E402
from tests.office import behind_nginx, nginx_path  # noqa: E402

EMPTY_PAGE = 'import streamlit as st\nst.set_page_config(layout="wide")\nst.title("空白页")\n'
#: The overview's map and nothing else (run from a folder whose ``static`` links to the app's).
MAP_ONLY_PAGE = """import streamlit as st
st.set_page_config(layout="wide")
from layers.data import load_layers
from layers.maps.basemaps import available_basemaps
from layers.maps.views import base_map
from pages.common import asset_urls
from pages.map_widget import cached_payload, show_map
data, assets = load_layers(), asset_urls()
show_map(cached_payload(("map-only", data.version_key),
                        lambda: base_map(data, available_basemaps()["none"], assets)), key="m")
"""
AREA_SELECTOR = 'path.leaflet-interactive[fill="#1f6fd1"], path.leaflet-interactive[fill="#e67e22"]'
TICKS = os.sysconf("SC_CLK_TCK")


def polygons_expected() -> int:
    """Zones and parks that have an outline (the others are listed, not drawn)."""
    data = load_layers()
    return int(data.zones.geometry.notna().sum() + data.parks.geometry.notna().sum())


# -- process figures from /proc (Linux) ---------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- page timings (sync Playwright) -------------------------------------------------------------

#: Every page, the empty one included, is measured in the same window.
VIEWPORT = {"width": 1400, "height": 1000}
EMPTY_TITLE = "空白页"

#: Runs in the page before its own scripts. It notes the epoch time (ms) of the first animation frame
#: in which the page is ready: ``count`` elements match ``selector``, or an h1 says ``title``. Polling
#: from Python instead (one DevTools round trip per look, which waits for the busy page) added a
#: variable delay to the map page only, and the empty page was waited for by Playwright's own in-page
#: wait: the two were not timed alike. On the app, ``placed`` (the same polygons inside the page's map
#: widget) is noted as well: the polygons may first be drawn by the page shell, before Streamlit has
#: started, in a box over the widget's place (layers/maps/premap.py), which the widget then takes over.
READY_PROBE = """
(([selector, placed, count, title]) => {
  const ready = () => selector ? document.querySelectorAll(selector).length >= count
    : [...document.querySelectorAll("h1")].some((h) => h.textContent.includes(title));
  const look = () => {
    const now = performance.timeOrigin + performance.now();
    if (window.__readyAt === undefined && ready()) { window.__readyAt = now; }
    if (placed && window.__placedAt === undefined && document.querySelectorAll(placed).length >= count) {
      window.__placedAt = now;
    }
    if (window.__readyAt === undefined || (placed && window.__placedAt === undefined)) { requestAnimationFrame(look); }
  };
  requestAnimationFrame(look);
})(%s);
"""


def ready_probe(polygons: int, *, scoped: bool = True) -> str:
    """The script that makes a page note when it is ready: ``polygons`` zone/park polygons drawn (on the
    app's map or the shell's pre-drawn one when ``scoped``; anywhere otherwise), or with ``polygons == 0``
    the empty page's title shown."""
    def within(*boxes: str) -> str:
        return ", ".join(f"{box} {s}" for box in boxes for s in AREA_SELECTOR.split(", "))

    selector = (within(MAP, PREMAP) if scoped else AREA_SELECTOR) if polygons else None
    placed = within(MAP) if polygons and scoped else None
    return READY_PROBE % json.dumps([selector, placed, polygons, EMPTY_TITLE])


#: Times the app's map was in its place in the page (``__placedAt``), one per app load, in order.
PLACED: list[float] = []


def _load(page, url: str, timeout_s: float = 90, *, placed: bool = False) -> float:
    """Navigate; seconds from just before the navigation until the page noted it was ready (with
    ``placed``, until its map was in the page's widget too: that time goes to :data:`PLACED`)."""
    start = time.time()
    page.goto(url, timeout=timeout_s * 1000)
    wanted = "window.__readyAt !== undefined" + (" && window.__placedAt !== undefined" if placed else "")
    page.wait_for_function(f"() => {wanted}", timeout=timeout_s * 1000)
    if placed:
        PLACED.append(page.evaluate("window.__placedAt") / 1000 - start)
    return page.evaluate("window.__readyAt") / 1000 - start


def time_empty(chrome, url: str, *, context=None) -> float:
    """Seconds from navigation to the empty page's title, in a fresh browser context, or (``context``)
    in a new tab of that browser (a returning visitor)."""
    own = context is None
    if own:
        context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(ready_probe(0))
    elapsed = _load(page, url)
    (context if own else page).close()
    return elapsed


def time_app(chrome, url: str, polygons: int, *, keep: bool = False, context=None):
    """Seconds from navigation to every polygon drawn, in a fresh browser context (a new session).

    With ``context`` the page opens as a new tab of that browser (a returning
    visitor: a new session, the browser's cache as it is).
    """
    own = context is None
    if own:
        context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(ready_probe(polygons))
    elapsed = _load(page, f"{url}/?basemap=none", placed=True)
    if keep:
        return elapsed, context, page
    (context if own else page).close()
    return elapsed


def side_by_side(chrome, empty_url: str, url: str, polygons: int,
                 runs: int) -> tuple[list[float], list[float], list[float]]:
    """First loads of the empty page and of ``url``, after one warm-up each (the first script run
    fills the caches, and offers the shell its pre-drawn map), interleaved so both see the same
    machine load; and when the app's map was in its place in the page, for each app load."""
    time_empty(chrome, empty_url)
    time_app(chrome, url, polygons)
    empty, app = [], []
    PLACED.clear()
    for _ in range(runs):
        empty.append(time_empty(chrome, empty_url))
        app.append(time_app(chrome, url, polygons))
    return empty, app, list(PLACED)


def time_static(chrome, html: Path, polygons: int) -> float:
    """Seconds from navigation to every polygon drawn, for the same map saved as a static folium file."""
    context = chrome.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(ready_probe(polygons, scoped=False))
    elapsed = _load(page, html.as_uri())
    context.close()
    return elapsed


def _inside_points() -> list[tuple[str, float, float]]:
    """A point inside each zone away from project markers and from roads (hovering a road thickens it)."""
    from shapely.ops import unary_union
    data = load_layers()
    keep_off = [g.buffer(0.002) for g in data.gazetteer.geometry if g is not None]
    if data.projects is not None:
        keep_off += [g.buffer(0.003) for g in data.projects.geometry if g is not None and not g.is_empty]
    avoid = unary_union(keep_off)
    out = []
    for row in data.zones.itertuples():
        if row.geometry is None:
            continue
        spot = row.geometry.difference(avoid)
        if not spot.is_empty:
            point = spot.representative_point()
            out.append((row.name, point.y, point.x))
    return out


_HEADINGS = "() => [...document.querySelectorAll('h3')].map(h => h.innerText.trim()).join('|')"


_FEATURE_AT = """([lat, lon]) => {
  const m = window.map, p = m.latLngToContainerPoint([lat, lon]), c = m.getContainer().getBoundingClientRect();
  const top = document.elementFromPoint(c.x + p.x, c.y + p.y);
  const layer = top && top._leaflet_id !== undefined ? m._targets[top._leaflet_id] : null;
  const props = layer && layer.feature ? layer.feature.properties : null;
  return [p.x, p.y, props && props.kind === 'zone' ? props.name : null];
}"""


def time_clicks(chrome, url: str, polygons: int, clicks: int) -> list[float]:
    """Seconds from a click on a zone until the details panel names that zone."""
    _, context, page = time_app(chrome, url, polygons, keep=True)
    # The map draws before the widgets above it have their code: let the page settle before aiming.
    page.get_by_text("单击地图上的片区").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    container = page.locator(MAP).locator(".leaflet-container").bounding_box()
    points = _inside_points()
    out: list[float] = []
    for i in range(clicks * 3):
        if len(out) >= clicks:
            break
        _name, lat, lon = points[i % len(points)]
        x, y, zone = page.evaluate(_FEATURE_AT, [lat, lon])
        if zone is None or zone in page.evaluate(_HEADINGS).split("|"):
            continue  # a marker, control or road lies there, or that zone is already shown
        start = time.perf_counter()
        page.mouse.click(container["x"] + x, container["y"] + y)
        page.wait_for_function("name => [...document.querySelectorAll('h3')].some(h => h.innerText.trim() === name)",
                               arg=zone, polling="raf", timeout=20_000)
        out.append(time.perf_counter() - start)
        page.wait_for_timeout(300)
    context.close()
    return out


def cpu_per_view(load, pid: int, views: int, times: Path | None = None) -> tuple[float, float]:
    """Server process CPU ms per first load, and the page script's CPU ms per load (sequential, after warm-up)."""
    time.sleep(0.5)
    if times is not None:
        times.write_text("", encoding="utf-8")
    before = cpu_seconds(pid)
    for _ in range(views):
        load()
    time.sleep(0.5)
    process = (cpu_seconds(pid) - before) / views * 1000
    script = float("nan")
    if times is not None:
        script = sum(float(line.split()[0]) for line in times.read_text(encoding="utf-8").splitlines()) / views
    return process, script


def memory_per_session(chrome, url: str, pid: int, polygons: int, steps: int = 4,
                       per_step: int = 10) -> tuple[float, list[float]]:
    """Server RSS growth per open session (MB): the slope over ``steps`` steps of ``per_step`` sessions.

    One batch of ten was too noisy to judge 3 MB (−0.6 to 6.8 MB between runs of the same code): the
    first sessions also pay one-time costs (caches, allocator arenas) and RSS moves in big steps. The
    slope from the first step on leaves the one-time costs out, and more points steady it.
    Returns the slope and the RSS after each step.
    """
    opened = [time_app(chrome, url, polygons, keep=True) for _ in range(per_step)]  # one-time costs
    time.sleep(2)
    counts, rss = [per_step], [rss_mb(pid)]
    for _ in range(steps - 1):
        opened += [time_app(chrome, url, polygons, keep=True) for _ in range(per_step)]
        time.sleep(2)
        counts.append(len(opened))
        rss.append(rss_mb(pid))
    for _, context, _ in opened:
        context.close()
    return statistics.linear_regression(counts, rss).slope, rss


def heap_per_session(chrome, url: str, pid: int, polygons: int, snapshots: Path, sessions: int = 20) -> float:
    """Python memory (MB) the server holds per open session: traced allocations between 10 and
    ``10 + sessions`` open sessions (server started with ``WEICHENG_HEAP_SNAPSHOTS=snapshots``)."""
    import signal
    import tracemalloc

    def snapshot(n: int) -> tracemalloc.Snapshot:
        os.kill(pid, signal.SIGUSR1)
        path = Path(f"{snapshots}.{n}")
        deadline = time.monotonic() + 60
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # the dump is written by then
        return tracemalloc.Snapshot.load(str(path))

    opened = [time_app(chrome, url, polygons, keep=True) for _ in range(10)]  # one-time costs
    time.sleep(2)
    before = snapshot(1)
    opened += [time_app(chrome, url, polygons, keep=True) for _ in range(sessions)]
    time.sleep(2)
    after = snapshot(2)
    for _, context, _ in opened:
        context.close()
    return sum(s.size_diff for s in after.compare_to(before, "filename")) / 1e6 / sessions


# -- simultaneous loads (async Playwright) ------------------------------------------------------

async def _one_async(context, url: str, polygons: int) -> float:
    """One load in a new tab of ``context``: the app until its polygons are drawn (the shell's pre-drawn
    map counts), or (``polygons == 0``) the empty page's title."""
    page = await context.new_page()
    await page.add_init_script(ready_probe(polygons))
    start = time.time()
    await page.goto(url if polygons == 0 else f"{url}/?basemap=none", timeout=120_000)
    await page.wait_for_function("() => window.__readyAt !== undefined", timeout=120_000)
    elapsed = await page.evaluate("window.__readyAt") / 1000 - start
    await page.close()
    return elapsed


async def _simultaneous(url: str, polygons: int, n: int, returning: bool) -> list[float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chrome = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            contexts = [await chrome.new_context(viewport=VIEWPORT) for _ in range(n)]
            if returning:  # each browser has been here before, one after another
                for context in contexts:
                    await _one_async(context, url, polygons)
            return list(await asyncio.gather(*[_one_async(c, url, polygons) for c in contexts]))
        finally:
            await chrome.close()


def simultaneous(url: str, polygons: int, n: int = 10, *, returning: bool = False) -> list[float]:
    """Seconds each of ``n`` loads started at the same moment took (first visits, or returning visitors)."""
    return asyncio.run(_simultaneous(url, polygons, n, returning))


def server_alone(empty_url: str, url: str) -> str:
    """Ten simultaneous first visits replayed without browsers (benchmarks/server_load.py), as one line."""
    return f"  10 at once, server alone (replayed, no browsers): {replay(empty_url, url, visitors=10, rounds=3)}"


# -- behind nginx (README: serving an office) ---------------------------------------------------

def nginx_figures(empty: Path, env: dict[str, str], polygons: int, runs: int, public: Path) -> None:
    """First load, CPU per first view (Python and nginx) and ten at once, both servers behind nginx
    configured by README's own block, serving the files ``python -m layers.maps.publish`` wrote."""
    if not nginx_path():
        print("nginx is not installed: the figures behind nginx are skipped (apt-get install nginx-light)")
        return
    publish_static(public)
    with streamlit_process(empty) as (empty_up, empty_proc), streamlit_process(env=env) as (app_up, proc), \
            behind_nginx(empty_up, public) as (empty_url, empty_worker), behind_nginx(app_up, public) as (url, worker):
        with browser() as chrome:
            e_runs, a_runs, placed_runs = side_by_side(chrome, empty_url, url, polygons, runs)
            nginx_before = cpu_seconds(worker)
            cpu_app, _ = cpu_per_view(lambda: time_app(chrome, url, polygons), proc.pid, runs)
            nginx_app = (cpu_seconds(worker) - nginx_before) / runs * 1000
            cpu_empty, _ = cpu_per_view(lambda: time_empty(chrome, empty_url), empty_proc.pid, runs)
        together_empty = simultaneous(empty_url, 0)
        together = simultaneous(url, polygons)
        alone = server_alone(empty_url, url)
    diff = statistics.median(a_runs) - statistics.median(e_runs)
    print("behind nginx serving the static files (README, serving an office):")
    print(f"  empty page {med(e_runs)}; 总览 {med(a_runs)}; app − empty page {diff * 1000:+.0f} ms")
    print(f"  the map in its place in the page: {med(placed_runs)}; "
          f"{(statistics.median(placed_runs) - statistics.median(e_runs)) * 1000:+.0f} ms over the empty page")
    print(f"  CPU per first view: Python app {cpu_app:.0f} ms (empty page {cpu_empty:.0f} ms), "
          f"nginx {nginx_app:.0f} ms; together {cpu_app + nginx_app:.0f} ms (target ≤ 60 ms)")
    print(f"  10 at once: {med(together)}; empty page {med(together_empty)}")
    print(alone)


# -- data ---------------------------------------------------------------------------------------

def many_projects_db(path: Path, count: int = 8_758, seed: int = 7) -> int:
    """A database with ``count`` synthetic imported projects inside the district (as in the issue)."""
    import shapely
    from layers.store.database import Store
    from layers.store.imports import read_table, validate
    data = load_layers()
    district = data.district.geometry.iloc[0]
    rng = random.Random(seed)
    minx, miny, maxx, maxy = district.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        x, y = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if shapely.contains_xy(district, x, y):
            points.append((x, y))
    lines = ["name,category,status,investment_10k_yuan,start_year,lon,lat,zone,park"]
    lines += [f"测试项目{i:05d},industry,started,{rng.randint(100, 90000)},{rng.randint(2021, 2025)},{x},{y},,"
              for i, (x, y) in enumerate(points)]
    result = validate(read_table(("\n".join(lines) + "\n").encode(), "bench.csv"), datum="wgs84",
                      zones=data.zones, parks=data.parks, district=district)
    Store(path).add_projects(result.records(), batch_id="bench", source_file="bench.csv")
    return len(result.valid)


def payload_kb() -> float:
    """Size of the overview map's script file, as rendered once per version (a browser fetches it once)."""
    from pages.map_widget import render_payload
    data = load_layers()
    return render_payload(base_map(data, available_basemaps()["none"], {})).size / 1024


def med(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms ({', '.join(f'{v * 1000:.0f}' for v in values)})"


def main() -> None:
    """Measure and print, side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-many", action="store_true", help="skip the 8,758-project server")
    parser.add_argument("--nginx-only", action="store_true", help="only the figures behind nginx (part 6)")
    args = parser.parse_args()
    polygons = polygons_expected()
    views = max(5, args.runs)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        html = tmp / "static_map.html"
        base_map(load_layers(), available_basemaps()["none"], file_urls()).save(str(html))
        empty = tmp / "empty_page.py"
        empty.write_text(EMPTY_PAGE, encoding="utf-8")
        map_only_dir = tmp / "map_only"
        map_only_dir.mkdir()
        (map_only_dir / "static").symlink_to(ROOT / "static")  # Streamlit serves static/ next to the script
        map_only = map_only_dir / "map_only.py"
        map_only.write_text(MAP_ONLY_PAGE, encoding="utf-8")
        times = tmp / "script_times.txt"
        env = {"WEICHENG_MAP_DB": str(tmp / "plain.sqlite3"), "WEICHENG_SCRIPT_TIMES": str(times),
               "PYTHONPATH": str(ROOT / "benchmarks" / "script_timer")}
        if args.nginx_only:
            nginx_figures(empty, env, polygons, args.runs, tmp / "public")
            return
        with streamlit_process(empty) as (empty_url, empty_proc), streamlit_process(env=env) as (url, proc), \
                browser() as chrome:
            e_runs, a_runs, placed_runs = side_by_side(chrome, empty_url, url, polygons, args.runs)
            s_runs = [time_static(chrome, html, polygons) for _ in range(args.runs)]
            clicks = time_clicks(chrome, url, polygons, max(10, args.runs * 2))
            cpu_empty, _ = cpu_per_view(lambda: time_empty(chrome, empty_url), empty_proc.pid, views)
            cpu_app, cpu_script = cpu_per_view(lambda: time_app(chrome, url, polygons), proc.pid, views, times)
            # Returning visitors: new tabs of one browser that has been to both pages before.
            e_ctx = chrome.new_context(viewport=VIEWPORT)
            a_ctx = chrome.new_context(viewport=VIEWPORT)
            time_empty(chrome, empty_url, context=e_ctx)
            time_app(chrome, url, polygons, context=a_ctx)
            cpu_empty_back, _ = cpu_per_view(lambda: time_empty(chrome, empty_url, context=e_ctx), empty_proc.pid, views)
            cpu_app_back, _ = cpu_per_view(lambda: time_app(chrome, url, polygons, context=a_ctx), proc.pid, views)
        with streamlit_process(empty) as (empty_url, _), streamlit_process(map_only, env=env) as (map_url, _), \
                browser() as chrome:
            e2_runs, m_runs, _ = side_by_side(chrome, empty_url, map_url, polygons, args.runs)
        with streamlit_process(empty) as (empty_url, _), streamlit_process(env=env) as (url, _):
            with browser() as chrome:
                time_empty(chrome, empty_url)
                time_app(chrome, url, polygons)
            together_empty = simultaneous(empty_url, 0)
            together = simultaneous(url, polygons)
            together_back = simultaneous(url, polygons, returning=True)
            alone = server_alone(empty_url, url)
        print(f"empty Streamlit page:   {med(e_runs)}")
        print(f"总览 first load:        {med(a_runs)} (polygons drawn, by the page shell or in the page)")
        diff = statistics.median(a_runs) - statistics.median(e_runs)
        print(f"  app − empty page:     {diff * 1000:+.0f} ms (target ≤ +300 ms)")
        placed_diff = statistics.median(placed_runs) - statistics.median(e_runs)
        print(f"  the map in its place in the page: {med(placed_runs)}; {placed_diff * 1000:+.0f} ms over the "
              f"empty page")
        print(f"only the map, nothing else: {med(m_runs)}; empty page in the same run {med(e2_runs)}")
        print(f"  map-only page − empty page: "
              f"{(statistics.median(m_runs) - statistics.median(e2_runs)) * 1000:+.0f} ms (the map component alone)")
        print(f"static folium file:     {med(s_runs)}")
        print(f"click → details:        {med(clicks)} (target median ≤ 300 ms)")
        print(f"page script CPU/view:   {cpu_script:.0f} ms (target ≤ 60 ms)")
        print(f"server process CPU/view: app {cpu_app:.0f} ms, empty page {cpu_empty:.0f} ms "
              f"(fresh browser context per view: Streamlit's own files are served again each time)")
        print(f"  returning visitor (new tab, cached files): app {cpu_app_back:.0f} ms, "
              f"empty page {cpu_empty_back:.0f} ms")
        print(f"10 simultaneous loads:  {med(together)} (target median < 4 s)")
        print(f"  empty page, 10 at once: {med(together_empty)}")
        print(f"  10 returning visitors at once: {med(together_back)}")
        print(alone)
        if not args.skip_many:
            db = tmp / "many.sqlite3"
            count = many_projects_db(db)
            env_many = {**env, "WEICHENG_MAP_DB": str(db)}
            with streamlit_process(env=env_many) as (url, proc):
                with browser() as chrome:
                    time_app(chrome, url, polygons)
                    cpu_many, script_many = cpu_per_view(lambda: time_app(chrome, url, polygons), proc.pid, views,
                                                         times)
                together_many = simultaneous(url, polygons)
                with browser() as chrome:
                    per_session, rss_steps = memory_per_session(chrome, url, proc.pid, polygons)
            snapshots = tmp / "heap"
            with streamlit_process(env={**env_many, "WEICHENG_HEAP_SNAPSHOTS": str(snapshots)},
                                   timeout_s=180) as (url, proc), browser() as chrome:
                time_app(chrome, url, polygons)
                heap = heap_per_session(chrome, url, proc.pid, polygons, snapshots)
            print(f"with {count} imported projects:")
            print(f"  page script CPU/view: {script_many:.0f} ms; server process CPU/view {cpu_many:.0f} ms")
            print(f"  10 simultaneous:      {med(together_many)} (target median < 4 s)")
            print(f"  memory per session:   {heap:.2f} MB of Python objects held (traced, 10 → 30 sessions; "
                  f"target ≤ 3 MB); RSS grows {per_session:.2f} MB per session "
                  f"({', '.join(f'{r:.0f}' for r in rss_steps)} MB at 10, 20, 30, 40 open sessions)")
        nginx_figures(empty, env, polygons, args.runs, tmp / "public")
    print(f"map script file:        {payload_kb():.0f} KB (rendered once per layer version and basemap, "
          f"fetched once per browser)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
