"""Target pacing on constructed records for each kind of target, and on the real targets table."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from layers.data import load_layers
from layers.pacing import (PLAN_END, PLAN_START, STATUSES, TOLERANCE, chart_data, expected_value, pace,
                           pacing_chart, pacing_kind, pacing_table, path, status_summary, tolerance_text)

MID = date(2023, 7, 2)  # half-way from 2020-12-31 to 2025-12-31 (913 of 1826 days)


def recs(*pairs) -> pd.DataFrame:
    return pd.DataFrame({"recorded_on": [d for d, _ in pairs], "value": [v for _, v in pairs]})


LEVEL = {"id": "t1", "value": 50.0, "baseline": 42.0, "comparator": "≥", "year": "2025", "kind": "target",
         "category": "innovation", "unit": "家"}
CEILING = {"id": "t2", "value": 3.5, "baseline": 3.8, "comparator": "≤", "year": "2025", "kind": "target",
           "category": "livelihood", "unit": "%"}
CUMULATIVE = {"id": "t3", "value": 650.0, "baseline": None, "comparator": "=", "year": "2021-2025", "kind": "target",
              "category": "urban", "unit": "个"}
YEARLY = {"id": "t4", "value": 5.0, "baseline": None, "comparator": "≥", "year": "每年", "kind": "target",
          "category": "innovation", "unit": "家"}
RATE = {"id": "t5", "value": 6.0, "baseline": None, "comparator": "≥", "year": "2025", "kind": "target",
        "category": "economy", "unit": "%", "measure": "rate", "period": "2021-2025"}


def test_expected_value_follows_the_straight_path():
    assert expected_value(LEVEL, PLAN_START) == 42.0
    assert expected_value(LEVEL, PLAN_END) == 50.0
    assert expected_value(LEVEL, MID) == pytest.approx(42 + 8 * 913 / 1826)
    assert expected_value(LEVEL, date(2030, 1, 1)) == 50.0  # held at the end


@pytest.mark.parametrize("value, status", [(46.0, "正常"), (46.3, "正常"), (46.5, "超前"), (45.0, "滞后"),
                                           (50.0, "超前")])
def test_level_target_statuses(value, status):
    # expected mid-way: 46.0; the tolerance is 5 % of the 8-point span = 0.4
    assert pace(LEVEL, recs((MID.isoformat(), value))).status == status


def test_without_recording_times_the_latest_date_decides():
    records = recs(("2024-12-31", 45.0), ("2022-01-01", 60.0))
    p = pace(LEVEL, records)
    assert p.as_of == date(2024, 12, 31) and p.actual == 45.0 and p.status == "滞后"


def test_the_value_recorded_last_decides_even_with_an_earlier_date():
    # a correction typed today for mid-2023 is the newest word on the target (issue 10, item 6)
    records = recs(("2024-12-31", 45.0), (MID.isoformat(), 47.0))
    records["created_at"] = ["2025-01-05T10:00:00+00:00", "2025-02-01T09:00:00+00:00"]
    p = pace(LEVEL, records)
    assert p.as_of == MID and p.actual == 47.0 and p.status == "超前"


@pytest.mark.parametrize("value, status", [(3.65, "正常"), (3.5, "超前"), (3.8, "滞后"), (3.66, "正常")])
def test_ceiling_targets_pace_downwards(value, status):
    # ≤ 3.5 from 3.8: half-way the path asks for 3.65; lower is better
    assert pace(CEILING, recs((MID.isoformat(), value))).status == status


def test_ceiling_already_met_in_2020_only_has_to_stay_below():
    row = dict(CEILING, baseline=3.0)
    assert pace(row, recs(("2023-01-01", 3.4))).status == "正常"
    assert pace(row, recs(("2023-01-01", 3.6))).status == "滞后"


@pytest.mark.parametrize("value, status", [(325.0, "正常"), (400.0, "超前"), (250.0, "滞后")])
def test_cumulative_targets_run_from_zero_over_the_period(value, status):
    assert pacing_kind(CUMULATIVE) == "cumulative"
    assert expected_value(CUMULATIVE, MID) == pytest.approx(650 * 913 / 1826)
    assert pace(CUMULATIVE, recs((MID.isoformat(), value))).status == status


@pytest.mark.parametrize("on, value, status", [("2024-07-01", 2.5, "正常"), ("2024-07-01", 1.0, "滞后"),
                                               ("2024-12-31", 5.0, "正常"), ("2024-12-31", 4.0, "滞后"),
                                               ("2024-03-01", 3.0, "超前")])
def test_yearly_targets_run_from_zero_within_each_year(on, value, status):
    assert pacing_kind(YEARLY) == "yearly"
    p = pace(YEARLY, recs((on, value)))
    assert p.status == status
    (start, v0), (end, v1) = path(YEARLY, date.fromisoformat(on))
    assert (start, v0, end, v1) == (date(2023, 12, 31), 0.0, date(2024, 12, 31), 5.0)


def test_yearly_ceiling():
    row = dict(YEARLY, comparator="≤", value=10.0)
    assert pace(row, recs(("2024-12-31", 12.0))).status == "滞后"
    assert pace(row, recs(("2024-12-31", 8.0))).status == "超前"


@pytest.mark.parametrize("value, status", [(6.0, "正常"), (6.2, "正常"), (7.0, "超前"), (5.0, "滞后")])
def test_rate_targets_compare_with_the_target(value, status):
    assert pacing_kind(RATE) == "rate" and path(RATE) is None
    assert pace(RATE, recs(("2023-12-31", value))).status == status


def test_new_columns_decide_the_kind_and_old_files_fall_back():
    assert pacing_kind({"year": "2025"}) == "level"
    assert pacing_kind({"year": "2021-2025"}) == "cumulative"
    assert pacing_kind({"year": "每年"}) == "yearly"
    assert pacing_kind({"year": "2025", "measure": "cumulative", "period": "2021-2025"}) == "cumulative"
    assert pacing_kind({"year": "2025", "measure": "change", "period": "2021-2025"}) == "cumulative"
    assert pacing_kind({"year": "2021-2025", "measure": "level", "period": "2025"}) == "level"
    assert pacing_kind({"year": "2025", "measure": "level", "period": "每年"}) == "yearly"


def test_no_data_cases():
    assert pace(LEVEL, recs()).status == "无数据"
    assert pace(LEVEL, recs(("不是日期", 44.0), ("2023-01-01", "nan"))).status == "无数据"
    no_base = dict(LEVEL, baseline=None)
    p = pace(no_base, recs(("2023-01-01", 44.0)))
    assert p.status == "无数据" and "基数" in p.reason
    assert pace(no_base, recs(("2023-01-01", 55.0))).status == "超前"  # met already, with or without a path


def test_pacing_table_and_summary_on_constructed_records():
    targets = pd.DataFrame([LEVEL, CEILING, CUMULATIVE, YEARLY, RATE,
                            dict(LEVEL, id="b1", kind="baseline")])
    progress = pd.DataFrame({"target_id": ["t1", "t2", "t3", "t1"],
                             "recorded_on": [MID.isoformat(), MID.isoformat(), MID.isoformat(), "2021-06-01"],
                             "value": [47.0, 3.8, 325.0, 40.0]})
    table = pacing_table(targets, progress)
    assert list(table["id"]) == ["t1", "t2", "t3", "t4", "t5"]  # the baseline row is not paced
    assert dict(zip(table["id"], table["status"])) == {"t1": "超前", "t2": "滞后", "t3": "正常", "t4": "无数据",
                                                     "t5": "无数据"}
    summary = status_summary(table)
    assert list(summary.columns) == list(STATUSES)
    assert summary.loc["创新驱动"].tolist() == [1, 0, 0, 1]
    assert summary.loc["民生福祉"].tolist() == [0, 0, 1, 0]
    assert summary.values.sum() == 5


def test_summary_on_the_real_targets_counts_every_target():
    data = load_layers()
    table = pacing_table(data.targets, pd.DataFrame({"target_id": [], "recorded_on": [], "value": []}))
    summary = status_summary(table)
    assert summary.values.sum() == (data.targets["kind"] == "target").sum()
    assert (summary["无数据"] == summary.sum(axis=1)).all()  # nothing recorded yet


def test_chart_data_puts_time_on_the_axis_with_goal_and_path():
    parts = chart_data(LEVEL, recs(("2022-06-30", 44.0), ("2024-01-01", 47.0)))
    assert list(parts["path"]["value"]) == [42.0, 50.0]
    assert list(parts["path"]["date"]) == [pd.Timestamp(PLAN_START), pd.Timestamp(PLAN_END)]
    assert set(parts["goal"]["value"]) == {50.0}
    assert list(parts["records"]["date"]) == [pd.Timestamp("2022-06-30"), pd.Timestamp("2024-01-01")]
    assert parts["baseline"]["value"].tolist() == [42.0]
    # no baseline: no path, but still a goal line and the records
    bare = chart_data(dict(LEVEL, baseline=None), recs(("2022-06-30", 44.0)))
    assert bare["path"].empty and not bare["goal"].empty and len(bare["records"]) == 1


def test_tolerance_is_stated():
    assert f"{TOLERANCE:.0%}" in tolerance_text()


def test_chart_has_time_axis_goal_line_path_and_records_in_that_order_of_layers():
    spec = pacing_chart(chart_data(LEVEL, recs(("2022-06-30", 44.0))), "家").to_dict()
    layers = spec["layer"]
    assert len(layers) == 4
    assert all(layer["encoding"]["x"]["type"] == "temporal" for layer in layers)
    goal, line = layers[0], layers[1]
    assert goal["mark"]["color"] == "#d73027"  # the 2025 target as a goal line, not a bar after the records
    assert line["mark"]["strokeDash"] == [6, 4]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "家"
