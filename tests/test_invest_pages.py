"""园区选址, 领导总览 and the 指标 pacing summary under Streamlit's AppTest."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import app, maps, navigation_mode, own_database  # noqa: F401  (autouse fixtures)




def page(path: str) -> AppTest:
    """The app switched to the page at ``path`` (the heavier pages get longer to run)."""
    return app(page=path, timeout=90)


def texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "text", "caption", "info", "warning", "error", "title")
             for e in at.get(kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def test_finder_page_ranks_laser_and_links_to_card_and_map():
    at = page("pages/finder.py")
    assert "请输入产业" in texts(at)
    at.text_input(key="finder_q").input("激光").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.iloc[0]["名称"] == "半导体(激光)产业园"
    assert len(table) == 20
    assert table.iloc[0]["园区卡片/片区审查"].startswith("parks?park=")
    assert table.iloc[0]["在地图上查看"].startswith("./?park=")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载招商推介资料（中英文 PDF）" in labels


@pytest.mark.parametrize("land, message", [("abc", "不是数字"), ("![](//e.x)", "不是数字"),
                                           ("-3", "大于 0")])
def test_finder_page_bad_land_need_gives_a_chinese_message_and_no_link(land, message):
    at = page("pages/finder.py")
    at.text_input(key="finder_land").input(land)
    at.text_input(key="finder_q").input("冷链").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and message in errors[0]
    assert "](//" not in errors[0]  # the user's text is Markdown-escaped, never a live link or image


def test_leaders_page_shows_status_counts_map_pacing_and_sources():
    at = page("pages/leaders.py")
    labels = [m.label for m in at.metric]
    assert any(label.startswith("项目 · ") for label in labels)
    for status in ("超前", "正常", "滞后", "无数据"):
        assert status in labels
    script = maps(at)[0]["script"]
    assert '"kind": "project"' in script and "#2c7fb8" in script  # projects coloured by status
    text = texts(at)
    assert "[项目页](projects)" in text and "[指标页](targets)" in text and "容差" in text


def test_targets_page_opens_on_pacing_summary_and_reflects_a_recorded_value(own_database):
    from layers.data import load_layers
    from layers.store.database import Store

    targets = load_layers().targets
    row = targets[(targets["kind"] == "target") & targets["baseline"].notna()
                  & (targets["comparator"] == "≥")].iloc[0]
    Store().record_progress(row["id"], float(row["value"]) * 2, "测试", date(2023, 7, 2), "", actor="test")
    at = page("pages/targets.py")
    assert "进度概况" in texts(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["超前"] == "1"
    total = int((targets["kind"] == "target").sum())
    assert sum(int(metrics[s]) for s in ("超前", "正常", "滞后", "无数据")) == total


def test_without_the_english_names_the_pitch_pack_says_why_instead_of_a_silent_button(monkeypatch):
    """The pack is made on click; with names_en.csv missing the click gave no file and no word."""
    import pages._print
    from layers.invest.names import NamesError

    def missing():
        raise NamesError("缺少英文名称表 names_en.csv")

    monkeypatch.setattr(pages._print, "load_names", missing)
    at = page("pages/parks.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载招商推介资料（中英文 PDF）" not in labels
    assert "招商推介资料暂不能生成：缺少英文名称表 names_en.csv" in texts(at)


def test_a_park_card_lists_an_imported_project_placed_in_the_park(own_database):  # noqa: F811
    """The card said 相关项目：无 while 总览 and the project CSV placed the imported project in the park."""
    from layers.store.database import Store

    Store(own_database).add_projects([{"name": "医养导入项目", "category": "industry", "park": "医养健康产业园",
                                       "location_precision": "park"}], batch_id="b1", source_file="a.csv")
    at = page("pages/parks.py")
    at.selectbox(key="park_pick").set_value("医养健康产业园").run()
    assert "医养导入项目" in texts(at)
