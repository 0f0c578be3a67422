"""The 项目 page and the area panels show what the plan reading gives: all mentions, status words, 定位."""

from __future__ import annotations

from tests.test_app import app, fake_map, navigation_mode, own_database, plain, project_id, texts  # noqa: F401


def test_project_details_list_every_mention_with_citation_and_status(fake_map):  # noqa: F811
    at = app(page="pages/projects.py")
    at.selectbox(key="project_pick").set_value(project_id(at, "传化公路港")).run()
    shown = texts(at).replace("**", "")
    assert "传化公路港" in [plain(s.value) for s in at.subheader]
    assert "状态依据：规划原文“新引进”" in shown
    assert any(e.label.startswith("规划中的全部提及（") for e in at.expander)
    assert "第一章" in shown and "状态：已引进落地（“新引进”）" in shown


def test_road_stretch_project_says_why_it_is_not_drawn(fake_map):  # noqa: F811
    at = app(page="pages/projects.py")
    at.selectbox(key="project_pick").set_value(
        project_id(at, "北宫西街(安顺路至昌乐界段)扩宽及快速化改造")).run()
    assert "未定位：地物表中没有“安顺路”，无法截取路段" in texts(at).replace("**", "")


def test_zone_panel_shows_positioning_and_industries_with_their_source(fake_map):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    def panel():
        from layers.data import load_layers
        from pages.panels import area_details
        data = load_layers()
        area_details(data.zones[data.zones["name"] == "鲁台片区"].iloc[0], data)

    at = AppTest.from_function(panel, default_timeout=60).run()
    assert not at.exception, at.exception
    shown = texts(at).replace("**", "")
    assert "主要产业（规划原文）：会展经济、国际社区、现代服务业" in shown
    assert "出自：大力发展会展经济、国际社区、现代服务业等特色产业" in shown
    assert "定位（规划原文）：规划布局会展商贸区" in shown


def test_unlocated_projects_are_counted_and_listed_beside_the_map(fake_map):  # noqa: F811
    from layers.data import load_layers

    projects = load_layers().projects
    unlocated = projects[projects.geometry.isna()]
    at = app(page="pages/projects.py")
    heading = next(plain(m.value) for m in at.markdown if "未定位项目" in m.value)
    assert f"{len(unlocated)} 个" in heading and len(unlocated) >= 100
    listing = next(plain(m.value) for m in at.markdown if m.value.startswith("- ") and "潍县战役纪念馆" in m.value)
    assert listing.count("\n- ") + 1 == len(unlocated)


def test_the_project_sheet_says_it_holds_imported_projects(fake_map, own_database, monkeypatch):  # noqa: F811
    """Its file and sheet said 第 0 版 while 40 projects, 12 of them imported, were drawn on it."""
    from layers.store.database import Store

    Store(own_database).add_projects([{"name": "站南导入项目", "category": "industry", "lon": 119.09, "lat": 36.682,
                                       "location_precision": "exact"}], batch_id="b1", source_file="a.csv")
    import pages._print
    from pages.common import file_version

    sheets = []
    real = pages._print.print_map_buttons
    monkeypatch.setattr(pages._print, "print_map_buttons",
                        lambda data, **kw: sheets.append(file_version(data, with_imports=True)) or real(data, **kw))
    app(page="pages/projects.py")
    assert sheets == ["第0版，含导入的项目"]


def test_the_quote_beside_a_status_holds_the_words_that_give_it():
    """潍坊先进光电芯片研究院: "状态依据：规划原文“为带动”" stood over a sentence without 为带动."""
    from layers.data import load_layers
    from pages.panels import status_basis

    projects = load_layers().projects
    checked = 0
    for _, row in projects.iterrows():
        words = row.get("status_words")
        if isinstance(words, str) and words:
            quote, citation = status_basis(row)
            assert words in quote, (row["name"], words)
            assert citation
            checked += 1
    assert checked > 100
    row = projects[projects["name"] == "潍坊先进光电芯片研究院"].iloc[0]
    assert "为带动" not in row["quote"] and "为带动" in status_basis(row)[0]


def test_a_number_column_with_gaps_is_shown_as_text_arrow_can_hold():
    """投资额（万元） with a gap became 12000.0 and "—" in one column: Arrow refused it (a server traceback)."""
    import pandas as pd
    import pyarrow as pa

    from pages.panels import display_frame

    shown = display_frame(pd.DataFrame({"名称": ["甲", "乙"], "投资额（万元）": [12000.0, None], "年份": [2024, 2025]}))
    assert list(shown["投资额（万元）"]) == ["12000", "—"]
    assert list(shown["年份"]) == [2024, 2025]  # no gap: numbers stay numbers
    pa.Table.from_pandas(shown)  # what st.dataframe does
