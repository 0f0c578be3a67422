"""Count charts: every word a user or a screen reader meets is Chinese (st.bar_chart showed "value", "color"
and column names such as category_label in every tooltip)."""

from __future__ import annotations

import re

import pandas as pd

from layers.charts import count_bars
from layers.pacing import chart_data, pacing_chart

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def words_shown(spec: dict) -> list[str]:
    """Titles, descriptions and tooltip titles anywhere in a Vega-Lite spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "description") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def test_stacked_counts_name_rows_parts_and_counts_in_chinese():
    counts = pd.DataFrame({"产业": [2, 0], "商贸": [1, 3]}, index=pd.Index(["站南片区", "于河片区"], name="zone"))
    spec = count_bars(counts, row="片区/园区", value="项目数", stack="类别",
                      colors={"产业": "#e41a1c", "商贸": "#377eb8"}).to_dict()
    enc = spec["encoding"]
    assert [t["title"] for t in enc["tooltip"]] == ["片区/园区", "类别", "项目数"]
    assert enc["color"]["scale"] == {"domain": ["产业", "商贸"], "range": ["#e41a1c", "#377eb8"]}
    assert enc["x"]["sort"] == ["站南片区", "于河片区"]  # the frame's order, not alphabetical
    shown = words_shown(spec)
    assert "图例：类别" in shown and "项目数轴" in shown
    assert not [w for w in shown if LATIN_WORD.search(w)], shown
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    bar = rows.query("row == '于河片区' and part == '商贸'")
    assert bar["count"].item() == 3 and bar["say"].item() == "片区/园区：于河片区；类别：商贸；项目数：3"
    assert enc["description"] == {"field": "say", "type": "nominal"}


def test_single_counts_have_no_legend_and_run_along_x_when_horizontal():
    counts = pd.Series({"民生福祉": 34, "乡村振兴": 21}, name="count")
    spec = count_bars(counts, row="类别", value="指标数", horizontal=True).to_dict()
    enc = spec["encoding"]
    assert "color" not in enc and enc["x"]["field"] == "count" and enc["y"]["field"] == "row"
    assert [t["title"] for t in enc["tooltip"]] == ["类别", "指标数"]


def test_pacing_chart_tooltips_write_dates_as_numbers():
    row = {"id": "t1", "indicator": "测试", "baseline": 10.0, "target_value": 20.0, "kind": "level",
           "unit": "%", "target_text": "20%"}
    records = pd.DataFrame({"recorded_on": ["2022-06-30"], "value": [14.0], "recorded_by": ["张"], "note": [""]})
    spec = pacing_chart(chart_data(row, records), "%").to_dict()
    date_tips = [t for layer in spec["layer"] for t in layer["encoding"].get("tooltip", []) if t["field"] == "date"]
    assert date_tips and all(t["format"] == "%Y-%m-%d" for t in date_tips)  # Vega wrote "Dec 31, 2020"
    assert not [w for w in words_shown(spec) if LATIN_WORD.search(w)]
