"""指标: the plan's quantified targets by category, baseline → 2025, and recorded progress."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from layers.charts import count_bars
from layers.maps.exports import table_csv
from layers.pacing import STATUSES, chart_data, pace, pacing_chart, pacing_table, status_summary, tolerance_text
from layers.progress import SHEET_COLUMNS, target_sheet, target_table, with_measure_labels
from layers.plan.targets import CATEGORY_LABELS
from layers.store.database import InputError, StoreError, check_progress
from layers.escape import md_text
from pages.common import ensure_frame, layers, may, say, sign_in_hint, store

#: The columns each tab shows, under the download's headers, two of them shorter on screen
#: (年份; 进度, whose cells read "45%").
SCREEN_HEADERS = {col: head for col, head in SHEET_COLUMNS if col in (
    "indicator", "baseline", "target_text", "measure", "period", "year", "current", "progress", "status", "scope")}
SCREEN_HEADERS.update(year="年份", progress="进度")


def _number_text(value) -> str:
    """A figure as the table shows it: ``—`` where there is none."""
    return "—" if pd.isna(value) else f"{value:g}"


ensure_frame()
data = layers()
st.title("指标")
if data.targets is None:
    if data.targets_error:
        st.error(md_text(data.targets_error))
    else:
        st.info("指标表尚未生成。请联系数据管理员生成图层（python -m layers.build），之后此页显示 2025 年目标。")
    st.stop()
st.caption("规划文本中所有量化目标（到2025年…、每年…、“十四五”期间…）及 2020 年基数；"
           "规划所附《主要指标》表在原文中缺失，未作补录。")
db = store()
try:
    recorded = db.progress() if db is not None else None
except StoreError:
    recorded = None  # the banner above the page says why; the plan's targets still show
if recorded is None:
    recorded = pd.DataFrame(columns=["id", "target_id", "value", "recorded_by", "recorded_on", "note", "created_at"])
table = target_table(data.targets, recorded)
paced = pacing_table(data.targets, recorded)
table["status"] = table["id"].map(dict(zip(paced["id"], paced["status"])))

st.markdown("#### 进度概况：各类别指标按进度状态计数")
summary = status_summary(paced)
for col, status in zip(st.columns(len(STATUSES)), STATUSES):
    col.metric(status, int(summary[status].sum()))
st.dataframe(summary.reset_index(), hide_index=True, width="stretch")
st.caption("进度按 2020 年基数到 2025 年目标的直线路径判断（累计类从 0 起算，每年类按当年计）。" + tolerance_text())

counts = table["category_label"].value_counts()
st.altair_chart(count_bars(counts, row="类别", value="指标数", horizontal=True), width="stretch")
labels = [CATEGORY_LABELS[c] for c in CATEGORY_LABELS if CATEGORY_LABELS[c] in counts.index]
for tab, label in zip(st.tabs(labels), labels):
    with tab:
        part = table[table["category_label"] == label]
        part = with_measure_labels(part)
        # Empty cells read "—", never "None"/"nan".
        part = part.assign(baseline=part["baseline"].map(_number_text), current=part["current"].map(_number_text))
        part = part.assign(progress=part["progress"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}"))
        part = part.astype(object).fillna("—")
        st.dataframe(part[[c for c in SCREEN_HEADERS if c in part]], hide_index=True, width="stretch",
                     column_config=SCREEN_HEADERS)

st.download_button("下载指标表（CSV，可用 Excel 打开）", key="targets_csv", mime="text/csv",
                   file_name=f"潍城区十四五指标-{date.today().isoformat()}.csv",
                   data=lambda: table_csv(target_sheet(table)))

st.markdown("### 单项指标")
choice = st.selectbox("选择指标", table["id"], key="target_pick",
                      format_func=lambda i: f"{table.set_index('id').at[i, 'indicator']}（{table.set_index('id').at[i, 'target_text']}）")
row = table.set_index("id").loc[choice]
c1, c2, c3 = st.columns(3)
c1.metric("2020 年基数", "—" if pd.isna(row["baseline"]) else f"{row['baseline']:g} {row['unit']}")
c2.metric(f"目标（{row['year']}）", row["target_text"])
c3.metric("最新记录", "—" if pd.isna(row["current"]) else f"{row['current']:g} {row['unit']}",
          help=None if pd.isna(row["current_on"]) else f"记录于 {row['current_on']}")
st.text(row["quote"])
st.caption(row["citation"])
history = recorded[recorded["target_id"] == choice]
target_row = data.targets.set_index("id").loc[choice].to_dict()
status = pace(target_row, history)
st.markdown(f"**进度状态：{status.status}**（{status.reason}）")
st.altair_chart(pacing_chart(chart_data(target_row, history), str(row["unit"])), width="stretch")

st.markdown("**记录当前值**")
recorder = may("record_target") if db is not None else None
if recorder is None:
    sign_in_hint("记录指标当前值")
    if len(history):
        st.dataframe(history[["recorded_on", "value", "recorded_by", "note"]].rename(columns={
            "recorded_on": "日期", "value": "数值", "recorded_by": "记录人", "note": "备注"}), hide_index=True)
    st.stop()
# A fresh key after each save empties the inputs.
n = st.session_state.setdefault("progress_form", 0)
f1, f2, f3 = st.columns(3)
value = f1.text_input(f"当前值（{row['unit']}）", key=f"progress_value_{n}")
who = f2.text_input("记录人", key=f"progress_who_{n}")
when = f3.date_input("日期", value=date.today(), key=f"progress_date_{n}")
note = st.text_input("备注（来源等）", key=f"progress_note_{n}", max_chars=500)
if st.button("保存", key="progress_save"):
    try:  # every problem at once, in Chinese; too-long text is refused, never cut
        number, who, note = check_progress(value, who, note)
        db.record_progress(choice, number, who, when, note, actor=recorder.username)
    except (InputError, StoreError) as exc:
        st.error(f"未保存：{say(exc)}")
    else:
        st.session_state["progress_form"] = n + 1
        st.toast("已保存")
        st.rerun()
if len(history):
    st.dataframe(history[["recorded_on", "value", "recorded_by", "note"]].rename(columns={
        "recorded_on": "日期", "value": "数值", "recorded_by": "记录人", "note": "备注"}), hide_index=True)
    labels = {int(r.id): f"{r.recorded_on} · {r.value:g} {row['unit']} · {r.recorded_by}" for r in history.itertuples()}
    wrong = st.selectbox("删除一条录错的记录", list(labels), index=None, format_func=labels.get,
                         key="progress_delete_pick", placeholder="选择要删除的记录")
    if wrong is not None and st.button("删除所选记录", key="progress_delete"):
        try:  # set aside, not erased: the audit log keeps the value
            db.delete_progress(wrong, actor=recorder.username)
        except (InputError, StoreError) as exc:
            st.error(f"未删除：{say(exc)}")
        else:
            st.toast("已删除")
            st.rerun()
