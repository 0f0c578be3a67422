"""End to end in Chromium: an editor traces a road on the map and submits; an approver approves;
the new outline and the version appear. Once on OpenStreetMap and once on 高德 (GCJ-02), where the
traced coordinates must come back to WGS-84."""

from __future__ import annotations


import pytest
from shapely import affinity
from shapely.geometry import shape

from layers.geometry.crs import to_metric
from layers.geometry.gcj02 import wgs84_to_gcj02
from layers.review import proposals, versions
from layers.review.rebuild import base_files, features_of
from layers.store.engine import get_engine, upgrade
from layers.store.users import add_user
from tests.browser import MAP, browser, require_chromium, sign_in, streamlit_server

pytestmark = pytest.mark.browser

require_chromium()

PASSWORD = "a long test password"
ROAD = "清平路"
#: The corrected line: the schematic line moved about 180 m east.
SHIFT_DEG = 0.002
#: At the trace map's zoom one screen pixel is ~30 m; clicks land within a pixel.
TOLERANCE_M = 45.0


def _intended():
    road = next(shape(f["geometry"]) for f in features_of(base_files(), "gazetteer.geojson")
                if f["properties"]["name"] == ROAD)
    return affinity.translate(road, xoff=SHIFT_DEG)


def _sign_in(page, username: str) -> None:
    sign_in(page, username, PASSWORD)


def _trace(page, line, datum: str) -> None:
    """Draw ``line`` (WGS-84) with Leaflet.draw, on screen where the basemap shows it."""
    page.locator(".leaflet-draw-draw-polyline").first.wait_for(timeout=60_000)
    on_map = page.locator(MAP, has=page.locator(".leaflet-draw-draw-polyline")).first
    on_map.scroll_into_view_if_needed()
    box = on_map.locator(".leaflet-container").bounding_box()
    on_map.locator(".leaflet-draw-draw-polyline").click()
    points = []
    for lon, lat in line.coords:
        if datum == "gcj02":
            lon, lat = wgs84_to_gcj02(lon, lat)  # 高德 tiles: the road is drawn where GCJ-02 puts it
        xy = on_map.evaluate("(el, [lat, lon]) => { const p = el.leafletMap.latLngToContainerPoint([lat, lon]);"
                            " return [p.x, p.y]; }", [lat, lon])
        points.append((box["x"] + xy[0], box["y"] + xy[1]))
    for x, y in points:
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
    page.mouse.click(*points[-1])  # a click on the last point finishes the line


@pytest.mark.parametrize("basemap", ["osm", "amap"])
def test_trace_submit_approve_and_see_the_new_version(tmp_path, monkeypatch, basemap):
    db_path = tmp_path / "review.sqlite3"
    monkeypatch.setenv("WEICHENG_MAP_DB", str(db_path))
    engine = get_engine(str(db_path))
    upgrade(engine)
    add_user(engine, "editor1", "editor", password=PASSWORD, display_name="编辑甲")
    add_user(engine, "approver1", "approver", password=PASSWORD, display_name="审核乙")
    intended = _intended()
    with streamlit_server() as url, browser() as chrome:
        page = chrome.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{url}/review?basemap={basemap}")
        _sign_in(page, "editor1")
        page.get_by_text("修正地物线位").click()
        page.get_by_text("在地图上描绘").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        _trace(page, intended, "gcj02" if basemap == "amap" else "wgs84")
        page.get_by_text("影响的片区和园区").wait_for(timeout=60_000)
        page.get_by_label("理由（检查未通过时必填）").fill("按卫星影像描绘")
        page.get_by_role("button", name="提交审核").click()
        page.get_by_text("等待审核").wait_for(timeout=60_000)
        pending = proposals.listing(engine, "pending")
        assert len(pending) == 1 and pending[0].author == "editor1"

        page.get_by_role("button", name="退出登录").click()
        _sign_in(page, "approver1")
        page.get_by_role("tab", name="待审核").click()
        page.get_by_role("button", name="批准").click()
        page.get_by_text("生成第 1 版").wait_for(timeout=60_000)

        page.get_by_role("link", name="版本").click()
        page.get_by_text("当前最新：第 1 版").wait_for(timeout=60_000)
        assert page.get_by_text("审核乙").count() + page.get_by_text("approver1").count() >= 1
        on_map = page.locator(MAP).first
        on_map.locator(".leaflet-container").wait_for(timeout=60_000)
        new_outlines = on_map.locator('path.leaflet-interactive[stroke="#e74c3c"]')
        new_outlines.first.wait_for(timeout=30_000)
        assert new_outlines.count() == 3  # 站南, 宝通 and 仓南 all use the corrected road

    stored = next(shape(f["geometry"]) for f in features_of(versions.files_of(engine, 1), "gazetteer.geojson")
                  if f["properties"]["name"] == ROAD)
    # In WGS-84 where it was traced: on 高德 an unconverted line would be ~500 m off.
    assert to_metric(stored).hausdorff_distance(to_metric(intended)) < TOLERANCE_M
