"""Every page runs under Streamlit's AppTest; st_folium is replaced to simulate clicks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import pages.map_widget
from layers.maps.exports import FORMATS
from tests.conftest_store import sign_in_as

APP = str(Path(__file__).resolve().parents[1] / "app.py")


class FakeMap:
    """Stands in for streamlit-folium's front end: records what was sent to it.

    A click is simulated as the front end does it: the component's value is
    stored (its on_change callback) and the app reruns (see :func:`click`).
    """

    def __init__(self):
        self.result: dict = {}
        self.calls: list[dict] = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        return self.result


def click(at: AppTest, result: dict, key: str = "overview_map") -> AppTest:
    """What the map component does on a click: store the new value, rerun the app."""
    at.session_state[f"{key}-value"] = result
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    """Every test gets an empty database of its own."""
    monkeypatch.setenv("WEICHENG_MAP_DB", str(tmp_path / "app.sqlite3"))
    return tmp_path / "app.sqlite3"


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """AppTest puts Streamlit back into legacy ``pages/`` mode before every run; a
    real server leaves it for good on its first request (``pages.common.ensure_frame``).
    Keep the tests in the server's steady state so widget triggers survive."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def fake_map(monkeypatch):
    fake = FakeMap()
    monkeypatch.setattr(pages.map_widget, "component", fake)
    return fake


def app(query: dict | None = None, page: str | None = None, timeout: float = 60) -> AppTest:
    """The app after its first run (with ``query`` in the URL), switched to ``page`` if given."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params.update(query or {})
    if page:  # the address opens that page itself
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def open_box(at: AppTest, key: str) -> AppTest:
    """Open the expander ``key`` as a user would (boxes filled only while open, such as the sign-in box)."""
    at.session_state[key] = True
    at.run()
    return at


def basemap_box(at: AppTest) -> str:
    """The label of the sidebar's basemap box, which names the basemap shown while the box is closed."""
    return next(e.label for e in at.expander if e.label.startswith("底图："))


def project_id(at: AppTest, name: str) -> str:
    """The id of a project shown on the 项目 page, by its name."""
    from layers.data import load_layers
    projects = load_layers().projects
    return projects.loc[projects["name"] == name, "id"].iloc[0]


def search_results(at: AppTest):
    """The 搜索结果 selectbox of the overview (keyed by the query)."""
    return next(s for s in at.selectbox if s.label == "搜索结果")


def texts(at: AppTest) -> str:
    parts = [plain(e.value) for kind in ("markdown", "text", "caption", "info", "warning", "error", "success", "subheader", "title")
             for e in at.get(kind)]
    return "\n".join(plain(str(p)) for p in parts)


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown text (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def test_overview_renders_map_with_zones_and_parks():
    at = app()
    assert maps(at), "the map is missing"
    args = maps(at)[0]
    assert args["script"].count('"kind": "zone"') == 10
    assert args["script"].count('"kind": "park"') == 8  # the two building-located parks are not drawn
    assert "L.control.layers" in args["script"]
    # A run sends the map's file name, not its script (a browser fetches the file once, for every visit).
    assert len(map_elements(at)[0].proto.json) < 2_000


def map_elements(at: AppTest) -> list:
    """The page's map components (every page also has the component that puts Streamlit's words in Chinese)."""
    return [e for e in at.get("bidi_component") if e.proto.component_name.endswith("weicheng_map")]


def maps(at: AppTest) -> list[dict]:
    """What each map on the page was sent (pages/map_widget.py: links, feature groups, view), with the text
    of the map's file it names as ``script``."""
    sent = [json.loads(e.proto.json) for e in map_elements(at)]
    return [{**args, "script": served(args["script_url"])} for args in sent]


def served(url: str) -> str:
    """The text of a file the app serves at ``/app/static/…``."""
    return (Path(__file__).resolve().parents[1] / "static" / url.removeprefix("/app/static/")).read_text("utf-8")


def test_map_loads_leaflet_from_the_app_not_a_cdn():
    args = maps(app())[0]
    links = args["js_links"] + args["css_links"]
    assert all(link.startswith("/app/static/vendor/") for link in links), links
    # One script and one stylesheet: the map's front end fetches them one after another.
    assert len(args["js_links"]) == 1 and len(args["css_links"]) == 1
    script = served(args["js_links"][0])
    assert "Leaflet 1.9" in script and "L.Draw" in script
    assert ".leaflet-container" in served(args["css_links"][0])


def test_boxes_below_the_map_and_the_sign_in_box_are_filled_only_when_opened(fake_map):
    """A first view fetches no code for controls nobody has opened (benchmarks/map_render.py, first load)."""
    at = app()
    assert not at.get("download_button") and not at.radio and not at.get("form")
    assert basemap_box(at) == "底图：OpenStreetMap"
    open_box(at, "basemap_open")
    assert at.radio(key="basemap").value == "osm" and "无底图（离线）" in at.radio(key="basemap").options
    open_box(at, "dl_open")
    assert [s.label for s in at.selectbox if s.key in ("dl_layer", "dl_format")] == ["图层", "格式"]
    assert [b.proto.label for b in at.get("download_button")] == ["下载"]
    open_box(at, "print-overview-open")
    assert at.radio(key="print-overview-paper").value == "A4"
    assert [b.proto.label for b in at.get("download_button")] == ["下载打印版 PDF", "下载 PNG（300 dpi）", "下载"]
    open_box(at, "sign_in_open")
    assert at.text_input(key="sign_in_name") and at.get("form")
    at.session_state["dl_open"] = False  # closing a box empties it again
    at.run()
    assert "下载" not in [b.proto.label for b in at.get("download_button")]


def test_choices_in_a_box_survive_closing_it(fake_map):
    """Closing a box drops its widgets: the paper, layer and format chosen in it must come back."""
    at = app()
    open_box(at, "dl_open")
    at.selectbox(key="dl_layer").set_value("十大园区").run()
    at.selectbox(key="dl_format").set_value(list(FORMATS)[1]).run()
    open_box(at, "print-overview-open")
    at.radio(key="print-overview-paper").set_value("A3").run()
    for box in ("dl_open", "print-overview-open"):
        at.session_state[box] = False
    at.run()
    for box in ("dl_open", "print-overview-open"):
        open_box(at, box)
    assert at.selectbox(key="dl_layer").value == "十大园区"
    assert at.selectbox(key="dl_format").value == list(FORMATS)[1]
    assert at.radio(key="print-overview-paper").value == "A3"


def test_url_parameter_selects_a_zone(fake_map):
    at = app({"zone": "站南片区"})
    assert "站南片区" in [plain(s.value) for s in at.subheader]
    assert "东至白浪河" in texts(at)
    assert fake_map.calls[-1]["center"] is not None


def test_a_repeated_url_parameter_takes_the_first_and_the_address_keeps_one(fake_map):
    """?zone=站南片区&zone=于河片区 chose 于河片区 (the last) and kept both in the address bar."""
    at = app({"zone": ["站南片区", "于河片区"]})
    assert "站南片区" in [plain(s.value) for s in at.subheader]
    assert at.query_params.get("zone") in ("站南片区", ["站南片区"])


@pytest.mark.parametrize("path, query, gone", [
    ("pages/projects.py", {"zone": "站南片区", "basemap": "amap"}, "zone"),
    ("pages/zones.py", {"park": "医养健康产业园"}, "park"),
    ("pages/parks.py", {"zone": "站南片区"}, "zone"),
])
def test_a_page_keeps_only_the_url_parameters_it_reads(fake_map, path, query, gone):
    """/projects?zone=… kept a zone the page ignores (its filter stayed 全部); Back brought zone= to /parks."""
    at = app(query, page=path)
    assert gone not in at.query_params
    if "basemap" in query:
        assert at.query_params.get("basemap") in ("amap", ["amap"])


def test_choosing_an_area_puts_it_in_the_url(fake_map):
    at = app()
    click(at, {"last_active_drawing": {"type": "Feature", "properties": {"id": "zone-07", "kind": "zone"}}})
    assert at.query_params.get("zone") in ("永安片区", ["永安片区"])
    open_box(at, "basemap_open")
    at.radio(key="basemap").set_value("amap").run()
    assert at.query_params.get("basemap") in ("amap", ["amap"])


def test_wide_map_layout_keeps_details(fake_map):
    at = app({"zone": "站南片区"})
    at.toggle(key="wide_map").set_value(True).run()
    assert "站南片区" in [plain(s.value) for s in at.subheader]


def test_bad_url_parameters_give_messages_not_tracebacks(fake_map):
    at = app({"zone": "<script>alert(1)</script>", "basemap": "google"})
    warnings = [plain(w.value) for w in at.warning]
    assert sum("zone=" in w and "无效" in w for w in warnings) == 1
    assert sum("basemap=" in w and "无效" in w for w in warnings) == 1
    at.run()  # a rerun on the same page keeps it
    assert sum("basemap=" in plain(w.value) for w in at.warning) == 1
    at.switch_page("pages/parks.py")  # another page: the address that was wrong is gone
    at.run()
    assert not [w for w in at.warning if "无效" in plain(w.value)]
    at.switch_page("pages/overview.py")
    at.run()
    assert not [w for w in at.warning if "无效" in plain(w.value)]


def test_bad_park_parameter_is_reported_on_the_parks_page(fake_map):
    at = app({"park": "不存在的园"}, page="pages/parks.py")
    assert any("park=" in plain(w.value) and "可用的园区" in plain(w.value) for w in at.warning)
    assert at.selectbox(key="park_pick").value == "半导体(激光)产业园"


@pytest.mark.parametrize("page", ["pages/projects.py", "pages/targets.py", "pages/leaders.py", "pages/zones.py"])
def test_a_bad_area_parameter_leaves_the_address(fake_map, page):
    """The warning names it once; a link copied afterwards must not carry it on (hostile sweep)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"zone": "<img src=x>", "park": "不存在的园"})
    at.switch_page(page)  # the address names the page: its first run is that page's
    at.run()
    assert any("zone=" in plain(w.value) for w in at.warning)
    left = [at.query_params.get(k) for k in ("zone", "park")]
    left = [v[0] if isinstance(v, list) else v for v in left]
    assert "<img src=x>" not in left and "不存在的园" not in left


def test_basemap_parameter_selects_amap(fake_map):
    at = app({"basemap": "amap"})
    assert basemap_box(at) == "底图：高德地图（道路）" and "GCJ-02" in texts(at)
    assert open_box(at, "basemap_open").radio(key="basemap").value == "amap"


@pytest.mark.parametrize("page_path, key, chosen", [("pages/parks.py", "park_pick", "医养健康产业园"),
                                                     ("pages/zones.py", "review_zone", "宝通片区")])
def test_the_chosen_park_or_zone_is_kept_across_pages_and_matches_the_page(fake_map, page_path, key, chosen):
    at = app(page=page_path)
    at.selectbox(key=key).set_value(chosen).run()
    at.switch_page("pages/overview.py")
    at.run()
    at.switch_page(page_path)  # Streamlit dropped the box's own state when its page was left
    at.run()
    assert at.selectbox(key=key).value == chosen and chosen in [plain(h.value) for h in at.subheader]
    at.session_state[key] = at.selectbox(key=key).options[0]  # the box's state changed, not by a choice
    at.run()
    assert at.selectbox(key=key).value == chosen and chosen in [plain(h.value) for h in at.subheader]


def test_the_url_basemap_is_taken_before_a_menu_click_can_cut_the_first_run_short(fake_map, monkeypatch):
    """On a fresh server the first run is slow; a click on another page then interrupts it, and Streamlit
    drops ?basemap= with the page change. The basemap must already be in the session by then."""
    import pages.common

    def cut_short(*_args, **_kwargs):
        raise RuntimeError("the run was cut short here")  # the first slow step (reading the layers)

    monkeypatch.setattr(pages.common, "url_view", cut_short)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["basemap"] = "amap"
    at.run()
    monkeypatch.undo()
    at.query_params.clear()  # the new page's address has no ?basemap=
    at.switch_page("pages/parks.py")
    at.run()
    assert basemap_box(at) == "底图：高德地图（道路）"
    assert open_box(at, "basemap_open").radio(key="basemap").value == "amap"


def test_the_url_basemap_survives_a_run_that_lost_the_choosers_state(fake_map):
    """A click that cut a fresh session's first run short once reset the chooser to OSM behind the user's
    back (tests/test_browser_review.py traced on 高德 then stored a line 537 m off)."""
    at = open_box(app({"basemap": "amap"}), "basemap_open")
    at.session_state["basemap"] = "osm"  # the chooser's state changed, but not by the user choosing
    at.run()
    assert at.radio(key="basemap").value == "amap" and at.query_params.get("basemap") in ("amap", ["amap"])
    at.radio(key="basemap").set_value("osm").run()  # the user's own choice is kept
    at.run()
    assert basemap_box(at) == "底图：OpenStreetMap" and "basemap" not in at.query_params
    assert not at.radio  # like a drop-down list, the box closes on a choice: its label now names it
    assert open_box(at, "basemap_open").radio(key="basemap").value == "osm"


def test_search_finds_a_zone_and_zooms_to_it(fake_map):
    at = app()
    at.text_input(key="search_q").input("站南").run()
    assert "站南片区（片区）" in search_results(at).options
    assert "站南片区" in [plain(s.value) for s in at.subheader]
    assert fake_map.calls[-1]["zoom"] > 11


def test_search_works_once_projects_are_imported(fake_map, own_database):
    """Any search crashed 总览 once a project list had been imported (found by a hostile sweep)."""
    from layers.store.database import Store
    Store(own_database).add_projects([{"name": "站南导入项目", "category": "industry", "lon": 119.09, "lat": 36.682,
                                       "location_precision": "exact"}], batch_id="b1", source_file="a.csv")
    at = app()
    at.text_input(key="search_q").input("站南").run()
    assert not at.exception
    assert {"站南片区（片区）", "站南导入项目（项目）"} <= set(search_results(at).options)


def test_search_without_result_says_so(fake_map):
    at = app()
    at.text_input(key="search_q").input("不存在的地方").run()
    assert "没有找到" in texts(at)


def test_clicking_a_park_shows_its_details(fake_map):
    at = app()
    click(at, {"last_active_drawing": {"type": "Feature", "properties": {"id": "park-03", "kind": "park"}},
                       "last_clicked": {"lat": 36.70, "lng": 119.10}})
    assert "高端商贸产业园" in [plain(s.value) for s in at.subheader]
    assert "公顷" in texts(at) and "亩" in texts(at)


def test_clicking_an_empty_spot_says_what_contains_it(fake_map):
    at = app()
    click(at, {"last_clicked": {"lat": 36.60, "lng": 118.95}})  # west of the district's border
    assert "在潍城区界外" in texts(at)


def test_measuring_a_drawn_polygon(fake_map):
    at = app()
    square = [[119.0, 36.7], [119.01, 36.7], [119.01, 36.71], [119.0, 36.71], [119.0, 36.7]]
    click(at, {"all_drawings": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]}}]})
    assert "公顷" in texts(at) and "亩" in texts(at)


def test_zones_page_lists_ten_zones_and_their_checks(fake_map):
    at = app(page="pages/zones.py")
    table = at.dataframe[0].value
    assert len(table) == 10 and "站南片区" in list(table["片区"])
    assert any("通过" in str(v) for v in table["检查"])
    assert fake_map.calls, "the zone map was not drawn"


def test_zones_page_previews_an_edited_description(fake_map):
    at = app(page="pages/zones.py")
    at.text_area(key="edit-zone-01").input("东至白浪河、西至清平路，南至福源街、北至胶济铁路").run()
    assert any("预览范围" in plain(s.value) for s in at.success)


def test_zones_page_explains_a_bad_edit(fake_map):
    at = app(page="pages/zones.py")
    at.text_area(key="edit-zone-01").input("东至不存在路、西至清平路").run()
    assert any("不存在路" in plain(e.value) and "不在地物表中" in plain(e.value) for e in at.error)
    at.text_area(key="edit-zone-01").input("这里没有四至").run()
    assert any("未找到四至" in plain(e.value) for e in at.error)


def test_parks_page_has_ten_parks_and_profiles(fake_map):
    at = app({"park": "医养健康产业园"}, page="pages/parks.py")
    assert len(at.selectbox(key="park_pick").options) == 10
    assert at.selectbox(key="park_pick").value == "医养健康产业园"
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("HTML" in label for label in labels)


def test_projects_page_lists_plan_projects_and_unlocated_ones(fake_map):
    at = app(page="pages/projects.py")
    table = at.dataframe[0].value
    assert "万科城" in list(table["项目"]) and len(table) >= 30
    assert "未定位" in texts(at)
    at.multiselect(key="f_cat").select("商贸").run()
    assert set(at.dataframe[0].value["类别"]) == {"商贸"}


def test_projects_page_shows_imported_projects(fake_map, own_database):
    from layers.store.database import Store
    Store(own_database).add_projects([{"name": "导入的项目", "category": "industry", "status": "开工", "lon": 119.09,
                                       "lat": 36.682, "zone": "站南片区", "location_precision": "exact"}],
                                     batch_id="b1", source_file="a.csv")
    at = app(page="pages/projects.py")
    assert "导入的项目" in list(at.dataframe[0].value["项目"])
    assert any("批次" in plain(m.value) for m in at.markdown)


def test_project_details_show_the_quote(fake_map):
    at = app(page="pages/projects.py")
    at.selectbox(key="project_pick").set_value(project_id(at, "万科城")).run()
    assert "万科城" in [plain(s.value) for s in at.subheader]
    assert "永安片区,万科城项目落地开工" in texts(at)


def test_targets_page_records_a_value(fake_map, own_database):
    at = sign_in_as(app(page="pages/targets.py"), own_database)  # recording needs an editor (issue 8)
    assert len(at.tabs) >= 5
    at.text_input(key="progress_value_0").input("48")
    at.text_input(key="progress_who_0").input("张三")
    at.button(key="progress_save").click().run()
    assert not at.exception
    from layers.store.database import Store
    assert list(Store(own_database).progress()["value"]) == [48.0]


def test_targets_page_rejects_a_bad_value(fake_map, own_database):
    at = sign_in_as(app(page="pages/targets.py"), own_database)
    at.text_input(key="progress_value_0").input("很多")
    at.button(key="progress_save").click().run()
    assert any("不是数字" in plain(e.value) and "记录人" in plain(e.value) for e in at.error)
    from layers.store.database import Store
    assert Store(own_database).progress().empty


@pytest.mark.parametrize("page, message", [("pages/projects.py", "项目"), ("pages/targets.py", "指标")])
def test_projects_and_targets_pages_run(fake_map, page, message):
    at = app(page=page)
    assert message in [t.value for t in at.title]


def test_the_plans_projects_alone_are_not_clustered(fake_map):
    """205 projects but 12 markers: counting the unlocated ones clustered 总览 for no reason."""
    app()
    assert "markerClusterGroup" not in fake_map.calls[-1]["script"]


def test_many_projects_are_clustered_with_local_assets(fake_map, own_database):
    from layers.store.database import Store
    rows = [{"name": f"项目{i}", "category": "industry", "lon": 119.05 + i * 1e-5, "lat": 36.70,
             "location_precision": "exact"} for i in range(250)]
    Store(own_database).add_projects(rows, batch_id="many", source_file="many.csv")
    app(page="pages/projects.py")
    call = fake_map.calls[-1]
    assert "markerClusterGroup" in call["script"]
    scripts = call["js_links"]
    assert all(src.startswith("/app/static/vendor/") for src in scripts), scripts
    assert any("MarkerClusterGroup" in served(src) for src in scripts)
    # The group is on the map before its markers join it (off the map, each new marker was checked against
    # every earlier one), and the markers come in a later task, after the areas are painted.
    script = call["script"]
    cluster = re.search(r"var (marker_cluster_\w+) = L\.markerClusterGroup", script).group(1)
    on_map = script.index(f"var map = {cluster};\nmap.addTo(map_div);")
    later = script.index("setTimeout(function () {", on_map)
    joins = re.search(rf"geo_json_\w+\.addTo\({cluster}\);", script).start()
    assert on_map < later < joins < script.index("}, 0);", joins)


def test_leaders_table_and_projects_chart_count_areas_alike(fake_map):
    """项目 said 未定位 177 beside a chart bar 未定位 169: the bar counts projects with no zone or park
    named, not those without a place on the map; both pages now call it 未指明片区/园区."""
    from layers.data import load_layers
    from layers.project_table import NO_AREA, area_of, counts_by_area
    projects = load_layers().projects
    named_none = int((area_of(projects) == NO_AREA).sum())
    assert counts_by_area(projects).loc[NO_AREA].sum() == named_none
    at = app({"basemap": "none"}, page="pages/leaders.py")
    table = next(d.value for d in at.dataframe if "片区/园区" in d.value.columns)
    row = table[table["片区/园区"] == NO_AREA].iloc[0]
    assert row["合计"] == named_none
    assert all("basemap=none" in link for link in table["来源"] if link.startswith("./?"))
    assert "未定位" not in set(table["片区/园区"])


def test_a_search_of_spaces_only_is_no_search(fake_map):
    at = app()
    at.text_input(key="search_q").input("   ").run()
    assert "没有找到" not in texts(at)
