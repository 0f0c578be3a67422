"""Issue 10: every defect careful users hit, reproduced in the app (AppTest) so it cannot come back.

Each test names the defect it guards. The map component is replaced by a
recorder (``fake_map``) whose calls hold exactly what the browser would get.
"""

from __future__ import annotations

import json
import re

import pytest

from layers.data import load_layers
from layers.escape import md_text
from tests.test_app import APP, click, map_elements, plain, project_id, search_results, texts  # noqa: F401
from tests.test_app import app, fake_map, navigation_mode, own_database  # noqa: F401  (fixtures)

#: Markdown that must never become active (link, image, colour directive) anywhere a URL or a user's text shows.
_ACTIVE_MD = re.compile(r"(?<!\\)(?:\\\\)*(?:\[|!\[|:red\[|\]\()")


def store(path):
    from layers.store.database import Store
    return Store(path)


def add(path, rows, batch="b1"):
    base = {"category": None, "status": None, "lon": None, "lat": None, "zone": None, "park": None,
            "location_precision": "exact"}
    store(path).add_projects([{**base, **r} for r in rows], batch_id=batch, source_file="清单.csv")


def map_calls(fake_map, key: str) -> list[dict]:
    return [c for c in fake_map.calls if c["key"].startswith(key)]


def js(text: str) -> str:
    """How a string appears inside the map script (folium writes JSON with \\u escapes)."""
    return json.dumps(text)[1:-1]


def markdown_sources(at) -> list[str]:
    return [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader")
            for e in at.get(kind) if not str(e.value).startswith("<style>")]  # the app's own CSS


# -- 1. one import row placed by an unlocated park blanked every map -----------------------------

def test_unlocated_park_import_never_sends_nan_to_a_map(fake_map, own_database):
    from layers.store.imports import read_table, validate
    data = load_layers()
    frame = read_table("name,category,status,investment_10k_yuan,start_year,lon,lat,zone,park\n"
                       "金融项目甲,industry,,,,,,,金融总部产业园\n配套乙,,,,,,,站南片区,\n".encode(), "a.csv")
    result = validate(frame, datum="wgs84", zones=data.zones, parks=data.parks,
                      district=data.district.geometry.iloc[0])
    store(own_database).add_projects(result.records(), batch_id="b1", source_file="a.csv")
    at = app()
    script = map_calls(fake_map, "overview_map")[-1]["script"]
    assert "NaN" not in script and "nan," not in script
    assert js("配套乙") in script and js("金融项目甲") not in script  # the unlocated one is listed, not drawn
    at.switch_page("pages/projects.py").run()
    assert not at.exception
    assert "NaN" not in map_calls(fake_map, "projects_map")[-1]["script"]
    assert "金融项目甲" in texts(at)  # in the 未定位 list
    table = at.dataframe[0].value
    assert table.loc[table["项目"] == "金融项目甲", "定位"].iloc[0] == "未定位"


def test_old_rows_without_coordinates_are_unlocated_not_nan(fake_map, own_database):
    # Rows stored before the fix: precision "park" but no coordinates.
    add(own_database, [{"name": "旧数据", "park": "国家广告产业园", "location_precision": "park"}])
    app()
    assert "NaN" not in map_calls(fake_map, "overview_map")[-1]["script"]


# -- 3. Markdown and link injection -------------------------------------------------------------

@pytest.mark.parametrize("evil", ["[重新登录](http://host)", "![](http://host)", ":red[**系统已停用…**]"])
def test_url_parameters_cannot_inject_markdown(fake_map, evil):
    at = app({"zone": evil})
    warnings = [w.value for w in at.warning]
    assert any("zone=" in plain(w) for w in warnings)
    assert not any(_ACTIVE_MD.search(w) for w in warnings), warnings


def test_search_text_cannot_inject_markdown(fake_map):
    at = app()
    at.text_input(key="search_q").input("[点我](http://host)").run()
    assert any("没有找到" in plain(i.value) for i in at.info)
    assert not any(_ACTIVE_MD.search(s) for s in markdown_sources(at))


def test_an_imported_project_name_cannot_load_an_outside_image(fake_map, own_database):
    evil = "![t](http://host/x.png)"
    add(own_database, [{"name": evil, "lon": 119.09, "lat": 36.682}])
    at = app(page="pages/projects.py")
    at.selectbox(key="project_pick").set_value("user-1").run()
    assert evil in [plain(s.value) for s in at.subheader]
    assert not any(_ACTIVE_MD.search(s) for s in markdown_sources(at)), markdown_sources(at)


# -- 10, 11, 12: None, nan, English and raw codes ------------------------------------------------

def test_unlocated_parks_show_their_buildings_not_nan(fake_map):
    at = app({"park": "金融总部产业园"}, page="pages/parks.py")
    shown = texts(at)
    assert "月河楼新金融产业园" in shown and "nan" not in shown
    at.selectbox(key="park_pick").select("国家广告产业园").run()
    shown = texts(at)
    assert "西街68 / 西街88 / 十里春风文化商业街区" in shown and "nan" not in shown


def test_unlocated_park_profile_shows_buildings(fake_map):
    from layers.maps.profile import park_profile_html
    data = load_layers()
    park = data.parks[data.parks["name"] == "国家广告产业园"].iloc[0].to_dict()
    html = park_profile_html(park, data.district.geometry.iloc[0], [])
    assert "西街68" in html and ">nan<" not in html


def test_location_column_is_chinese(fake_map):
    at = app(page="pages/projects.py")
    values = set(at.dataframe[0].value["定位"])
    assert values <= {"确切坐标", "仅到片区（代表点）", "仅到园区（代表点）", "未定位"}, values
    assert not values & {"park", "zone", "exact", "unlocated"}


def test_a_roads_source_line_is_chinese(fake_map):
    at = app()
    road = load_layers().gazetteer.iloc[0]
    click(at, {"last_active_drawing": {"properties": {"kind": "road", "id": road["id"]}}})
    source = next(plain(c.value) for c in at.caption if plain(c.value).startswith("来源"))
    assert not re.search(r"[A-Za-z]{4,}", source.replace("OpenStreetMap", "").replace("cnmaps", "")), source


def test_import_preview_headers_and_values_are_chinese():
    from layers.store.imports import read_table, validate
    from pages.panels import import_preview
    data = load_layers()
    frame = read_table("name,category,lon,lat,park\n甲,commerce,119.09,36.682,\n乙,,,,智能制造产业园\n".encode(), "a.csv")
    table = import_preview(validate(frame, datum="wgs84", zones=data.zones, parks=data.parks,
                                    district=data.district.geometry.iloc[0]).valid)
    assert list(table.columns) == ["名称", "类别", "状态", "投资额（万元）", "开工年份", "经度", "纬度", "片区", "园区", "定位"]
    cells = {str(v) for v in table.to_numpy().ravel()}
    assert not cells & {"None", "nan", "NaN", "<NA>", "commerce", "exact", "park"}
    assert "商贸" in cells and "仅到园区（代表点）" in cells


# -- 13. project markers ------------------------------------------------------------------------

def test_clicking_a_marker_fills_project_details(fake_map):
    at = app(page="pages/projects.py")
    wanke = project_id(at, "万科城")
    click(at, {"last_active_drawing": {"properties": {"kind": "project", "id": wanke, "ids": [wanke]}}},
          key="projects_map")
    assert at.selectbox(key="project_pick").value == wanke
    assert "万科城" in [plain(s.value) for s in at.subheader]


def test_coincident_projects_share_one_marker_that_lists_them_all(fake_map):
    at = app()
    script = map_calls(fake_map, "overview_map")[-1]["script"]
    assert all(js(s) in script for s in ("此处 3 个项目", "和平广场", "坤泰城", "交运贸易广场"))
    ids = [project_id(at, n) for n in ("和平广场", "坤泰城", "交运贸易广场")]
    click(at, {"last_active_drawing": {"properties": {"kind": "project", "id": ids[0], "ids": ids}}})
    shown = texts(at)
    assert "此处有 3 个项目" in shown and all(n in shown for n in ("和平广场", "坤泰城", "交运贸易广场"))


def test_project_markers_sit_in_a_pane_above_the_areas(fake_map):
    app()
    script = map_calls(fake_map, "overview_map")[-1]["script"]
    assert "createPane('projects')" in script and '"pane": "projects"' in script
    assert script.index("createPane('projects')") < script.index('"pane": "projects"')


# -- 14, 15. search box and shareable links follow the selection -----------------------------------

def test_the_search_box_follows_the_latest_search(fake_map):
    at = app()
    at.text_input(key="search_q").input("长松路").run()
    assert search_results(at).value == 0
    at.text_input(key="search_q").input("站南").run()
    box = search_results(at)
    assert box.options[box.value].startswith("站南片区")
    assert "站南片区" in [plain(s.value) for s in at.subheader]


def test_parks_page_url_follows_the_chosen_park(fake_map):
    at = app(page="pages/parks.py")
    at.selectbox(key="park_pick").select("医养健康产业园").run()
    assert at.query_params.get("park") in ("医养健康产业园", ["医养健康产业园"])


# -- 16, 17. the map itself -----------------------------------------------------------------------

def test_maps_fit_the_district_have_a_collapsible_legend_and_chinese_drawing_tools(fake_map):
    at = app()
    call = map_calls(fake_map, "overview_map")[-1]
    script = call["script"]
    assert "fitBounds" in script
    assert "<details open>" in script and "draw:drawstart" in script
    for english in ("Finish drawing", "Cancel drawing", "Delete last point"):
        assert english not in script
    assert "完成绘制" in script and "取消绘制" in script  # our own script text, not JSON
    assert '"keyboard": false' in script  # a focusable map scrolled itself under the pointer on a click


def test_the_map_takes_the_window_height_and_sends_clicks_at_once_but_not_while_measuring():
    # What it does in a browser: tests/test_browser.py (measuring, clicks, details).
    element = map_elements(app())[0].proto
    assert "calc(100vh" in element.css_content, "the map must take the window's height"
    assert "inst.drawing || Date.now() < inst.quietUntil" in element.js_content  # no point query while measuring
    assert "debounce" not in element.js_content.lower()  # streamlit-folium waited 250 ms before sending a click
    assert json.loads(element.json)["returned"] == ["last_active_drawing", "last_clicked", "all_drawings"]


def test_legend_lists_each_category_once_and_colours_are_distinct(fake_map, own_database):
    add(own_database, [{"name": "导入商贸", "category": "commerce", "lon": 119.09, "lat": 36.682},
                       {"name": "自定类", "category": "文创", "lon": 119.091, "lat": 36.683}])
    app()
    script = map_calls(fake_map, "overview_map")[-1]["script"]
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");", script).group(1))
    assert legend.count(" 商贸") == 1
    from layers.maps.legend import category_colors
    colors = category_colors(["产业", "商贸", "文旅", "公共服务", "科创平台", "物流", "农业", "基础设施", "生态", "文创"])
    assert len(set(colors.values())) == len(colors)


def test_imported_projects_with_coordinates_are_filled_markers(fake_map, own_database):
    add(own_database, [{"name": "有坐标的项目", "category": "industry", "lon": 119.09, "lat": 36.682}])
    app()
    script = map_calls(fake_map, "overview_map")[-1]["script"]
    feature = next(f for f in re.findall(r'\{"geometry": \{[^{}]*\}, "properties": \{[^{}]*\}', script)
                   if js("有坐标的项目") in f)
    assert '"exact": true' in feature


@pytest.mark.parametrize("page, key", [("pages/projects.py", "projects_map"), ("pages/parks.py", "parks_map")])
def test_projects_and_parks_maps_show_the_district_outline(fake_map, page, key):
    app(page=page)
    assert '"kind": "district"' in map_calls(fake_map, key)[-1]["script"]


def test_the_parks_map_shows_the_roads_parks_are_placed_by(fake_map):
    """Zoomed to a park (offline: no tiles), the map was its outline on grey: no road to place it by."""
    app(page="pages/parks.py")
    script = map_calls(fake_map, "parks_map")[-1]["script"]
    assert '"kind": "road"' in script
    assert any(name in script for name in ("卧龙西街", json.dumps("卧龙西街")[1:-1]))


# -- Speed: a click never rebuilds the folium map ---------------------------------------------------

def test_a_click_reuses_the_rendered_map(fake_map, monkeypatch):
    import layers.maps.views as views
    built = []
    original = views.base_map
    monkeypatch.setattr(views, "base_map", lambda *a, **k: built.append(1) or original(*a, **k))
    import pages.map_widget
    pages.map_widget.cached_payload.clear()
    at = app()
    first = len(built)
    click(at, {"last_active_drawing": {"properties": {"kind": "zone", "id": "zone-03"}}})
    click(at, {"last_active_drawing": {"properties": {"kind": "park", "id": "park-05"}}})
    assert len(built) == first <= 1
    scripts = {c["script"] for c in map_calls(fake_map, "overview_map")}
    assert len(scripts) == 1  # the browser keeps the same map; only the highlight group changes
    assert len({c["feature_group"] for c in map_calls(fake_map, "overview_map")}) == 3


@pytest.mark.parametrize("page, module, builder, key", [
    ("pages/leaders.py", "layers.maps.status_map", "status_map", "leaders_map"),
    ("pages/zones.py", "layers.maps.review_views", "zones_map", "zones_map")])
def test_every_visitor_of_a_map_page_gets_the_map_built_once(fake_map, monkeypatch, page, module, builder, key):
    """The leaders' and zone review maps were built and rendered again for every view (server CPU)."""
    import importlib

    import pages.map_widget
    target = importlib.import_module(module)
    built = []
    original = getattr(target, builder)
    monkeypatch.setattr(target, builder, lambda *a, **k: built.append(1) or original(*a, **k))
    pages.map_widget.cached_payload.clear()
    for _visitor in range(3):
        app(page=page)
    assert len(built) == 1
    assert len({c["script"] for c in map_calls(fake_map, key)}) == 1


def test_the_review_pages_share_one_base_map_per_version_and_tool(monkeypatch):
    import pages.common
    import pages.map_widget
    from layers.maps.basemaps import available_basemaps

    built = []
    original = pages.common.review_map
    monkeypatch.setattr(pages.common, "review_map", lambda *a, **k: built.append(k.get("trace")) or original(*a, **k))
    pages.map_widget.cached_payload.clear()
    data, osm = load_layers(), available_basemaps()["osm"]
    plain_map = {pages.common.review_base(data, osm).js_hash for _view in range(3)}
    traced_map = {pages.common.review_base(data, osm, trace=True).js_hash for _view in range(3)}
    assert built == [False, True]
    assert len(plain_map) == len(traced_map) == 1 and plain_map != traced_map


def test_a_click_on_empty_ground_replaces_the_previous_details(fake_map):
    """The point's "不在任何片区或园区内" sat above the previous marker's "此处有 5 个项目…"."""
    from shapely.geometry import Point
    from shapely.ops import unary_union

    data = load_layers()
    areas = unary_union([g for g in [*data.zones.geometry, *data.parks.geometry] if g is not None])
    district = data.district.geometry.iloc[0]
    west, south, east, north = district.bounds
    empty = next(p for p in (Point(west + (east - west) * i / 40, south + (north - south) * j / 40)
                             for i in range(1, 40) for j in range(1, 40))
                 if district.contains(p) and not areas.buffer(0.002).contains(p))
    at = app()
    click(at, {"last_active_drawing": {"properties": {"kind": "zone", "id": "zone-03"}},
               "last_clicked": {"lat": 36.70, "lng": 119.10}})
    assert "位置（规划原文）" in texts(at)
    click(at, {"last_active_drawing": {"properties": {"kind": "zone", "id": "zone-03"}},
               "last_clicked": {"lat": empty.y, "lng": empty.x}})
    shown = texts(at)
    assert "不在任何片区或园区内" in shown and "位置（规划原文）" not in shown
    click(at, {"last_active_drawing": {"properties": {"kind": "zone", "id": "zone-03"}},
               "last_clicked": {"lat": north + 0.05, "lng": east + 0.05}})
    assert "在潍城区界外" in texts(at)


def test_a_search_with_many_matches_says_how_many_it_does_not_list(fake_map):
    """"路" listed exactly 20 roads, silently leaving out 都家村南路, 银河路 and every road project."""
    from layers.search import search

    matches = len(search(load_layers(), "路", limit=None))
    assert matches > 20
    at = app()
    at.text_input(key="search_q").input("路").run()
    assert len(search_results(at).options) == 20
    assert f"共 {matches} 条匹配，下面只列出前 20 条" in texts(at)
    at.text_input(key="search_q").input("站南").run()
    assert "条匹配" not in texts(at)


def test_a_park_card_that_names_some_industries_says_there_are_more(fake_map):
    """金融总部产业园's card listed six of its eight industries, as if they were all: 信用评级 and 资产评估 were gone."""
    at = app(page="pages/parks.py")
    shown = [plain(m.value) for m in at.markdown]
    heading = next(i for i, text in enumerate(shown) if text.endswith("金融总部产业园**"))
    card = next(text for text in shown[heading:] if "主要产业" in text)
    assert "等 8 项" in card


def test_md_text_is_used_for_url_warnings():
    assert md_text("[x](http://h)") == "\\[x\\]\\(http\\:\u200b\\/\\/h\\)"


def test_every_project_marker_is_filled_so_its_centre_takes_the_click():
    # An SVG circle with fill:none only takes clicks on its 2 px outline: the click fell through to the zone.
    from layers.maps.basemaps import available_basemaps
    from layers.maps.views import project_layer
    data = load_layers()
    layer = project_layer(data.projects, available_basemaps()["osm"])
    for feature in layer.data["features"]:
        style = layer.style_function(feature)
        assert style["fill"] is True and style["fillOpacity"] >= 0.5, feature["properties"]["name"]


def test_zones_page_url_follows_the_chosen_zone(fake_map):
    at = app(page="pages/zones.py")
    at.selectbox(key="review_zone").select("永安片区").run()
    assert at.query_params.get("zone") in ("永安片区", ["永安片区"])


@pytest.mark.parametrize("page", ["pages/projects.py"])
def test_filters_offer_no_english_select_all(fake_map, page):
    # Streamlit's multiselect adds an English "Select all" entry unless told not to.
    at = app(page=page)
    assert at.multiselect, "the page has filters"
    assert all(m.proto.select_all == 0 for m in at.multiselect), [m.label for m in at.multiselect]


def test_overview_details_of_a_building_located_park_name_its_buildings(fake_map):
    at = app()
    at.text_input(key="search_q").input("金融总部").run()
    shown = texts(at)
    assert "金融总部产业园" in [plain(s.value) for s in at.subheader]
    assert "月河楼新金融产业园" in shown and "nan" not in shown


def test_an_imported_project_in_a_building_located_park_says_unlocated(fake_map, own_database):
    add(own_database, [{"name": "楼宇里的项目", "park": "金融总部产业园", "location_precision": "unlocated"}])
    at = app(page="pages/projects.py")
    at.selectbox(key="project_pick").set_value("user-1").run()
    shown = texts(at)
    assert "未定位" in shown and "代表点" not in shown.split("楼宇里的项目", 1)[1]


def test_an_editor_imports_a_messy_file_without_nan_and_the_parse_is_cached(fake_map, own_database, monkeypatch):
    import uuid

    import layers.store.imports as imports
    from tests.conftest_store import sign_in_as
    calls = []
    real = imports.read_table
    monkeypatch.setattr(imports, "read_table", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    at = sign_in_as(app(page="pages/projects.py"), own_database, "editor", "alice")
    tag = uuid.uuid4().hex[:6]  # a new file for the per-upload cache
    content = ("name,category,status,lon,lat,zone,park\n"
               f"金融项目{tag},industry,,,,,金融总部产业园\n"
               f"\u3000配套{tag}\u3000,商贸,,,,站南片区,\n").encode()
    at.get("file_uploader")[0].upload("清单.csv", content, "text/csv").run()
    assert not at.exception
    assert "2 行有效" in texts(at)
    preview = at.dataframe[-1].value
    assert "定位" in preview.columns and "None" not in preview.astype(str).to_numpy().ravel().tolist()
    at.radio(key="import_datum").set_value("gcj02").run()  # any other widget: the file is not parsed again
    assert calls == ["清单.csv"]
    at.button(key="import_confirm").click().run()
    # The success is said after the rerun, and the box is empty again (the file now reads as duplicates).
    assert any(f"已导入 2 个项目（清单.csv" in plain(s.value) for s in at.success), [s.value for s in at.success]
    assert "行有效" not in texts(at)
    rows = store(own_database).projects().set_index("name")
    assert rows.loc[f"金融项目{tag}", "location_precision"] == "unlocated"
    assert rows[["lon", "lat"]].loc[f"金融项目{tag}"].isna().all()
    assert rows.loc[f"配套{tag}", "category"] == "commerce"
    overview = app()
    assert "NaN" not in map_calls(fake_map, "overview_map")[-1]["script"]
    assert not overview.exception


def test_a_header_naming_a_column_twice_is_a_chinese_message_on_the_page(fake_map, own_database):
    from tests.conftest_store import sign_in_as
    at = sign_in_as(app(page="pages/projects.py"), own_database, "editor", "alice")
    at.get("file_uploader")[0].upload("两列名称.csv", "name,名称,lon,lat\n甲,乙,119.09,36.68\n".encode(), "text/csv").run()
    assert not at.exception
    assert any("只保留其中一列" in plain(e.value) for e in at.error)


# -- 9. the 四至 box ---------------------------------------------------------------------------------

def test_a_long_paste_into_the_boundary_box_is_refused_with_a_message(fake_map):
    at = app(page="pages/zones.py")
    at.text_area(key="edit-zone-01").input("东至白浪河、" * 20_000).run()  # about 120 KB
    assert any("描述过长" in plain(e.value) for e in at.error)
    assert not at.success


def test_one_side_alone_is_not_a_successful_preview(fake_map):
    at = app(page="pages/zones.py")
    at.text_area(key="edit-zone-01").input("东至白浪河").run()
    assert not at.success
    assert any("缺少西、南、北边界" in plain(e.value) for e in at.error)


def test_the_bounds_table_has_a_qualifier_column_only_when_a_side_has_one():
    """On 园区 the 限定 column was always empty and took width from 几何 ("近似位…", tablet walk-through)."""
    from layers.data import load_layers
    from layers.details import bounds_rows
    data = load_layers()
    assert all("限定" not in rows[0] for rows in map(bounds_rows, data.parks["bounds"]))
    with_qualifier = [rows for rows in map(bounds_rows, data.zones["bounds"]) if "限定" in rows[0]]
    assert with_qualifier and all(any(r["限定"] for r in rows) for rows in with_qualifier)
