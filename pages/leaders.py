"""领导总览: one page for a tablet — projects by status on the map, counts, target pacing, latest records."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import pandas as pd
import streamlit as st

from layers.charts import count_bars
from layers.maps.basemaps import DEFAULT_BASEMAP
from layers.maps.print import STATUS_COLORS
from layers.maps.status_map import MIXED_COLOR, MIXED_LABEL, status_counts, status_features, status_map
from layers.pacing import STATUSES, pacing_table, status_summary, tolerance_text
from layers.plan.projects import STATUS_LABELS
from layers.project_table import area_of
from layers.store.engine import StoreError
from pages._print import print_map_buttons
from layers.escape import md_text
from pages.common import current_basemap, ensure_frame, layers, shared_map, store
from pages.map_widget import show_map


@st.cache_resource(max_entries=16, show_spinner=False)
def status_places(version_key: str, _projects: pd.DataFrame, basemap) -> list[dict]:
    """The status map's places for a layer/import version and basemap, once per server (never modified)."""
    return status_features(_projects, basemap)


ensure_frame()
data = layers(with_imports=True)
basemap = current_basemap()
projects = data.projects if data.projects is not None else pd.DataFrame(columns=["status", "zone", "park"])

st.title("领导总览")
st.caption("依据《潍城区“十四五”规划》文本与本系统记录的数据；每项数字下方注明来源并可点开查看明细。")

# -- projects by status ---------------------------------------------------------------------------
counts = status_counts(data.projects)
shown_codes = [code for code in STATUS_COLORS if counts.get(code)] or ["unstated"]
cols = st.columns(min(4, len(shown_codes)))
for i, code in enumerate(shown_codes):
    cols[i % len(cols)].metric(f"项目 · {STATUS_LABELS.get(code, code)}", counts.get(code, 0))
st.caption(f"共 {sum(counts.values())} 个项目。来源：[项目页](projects)（规划文本所列项目及用户导入的项目清单）。")

# -- the map ----------------------------------------------------------------------------------------
st.markdown("#### 项目分布（按状态着色）")
places = status_places(data.version_key, projects, basemap)
show_map(shared_map("leaders", data.version_key, basemap, lambda assets: status_map(data, places, basemap, assets)),
         key="leaders_map", returned=())
swatches = [(color, STATUS_LABELS[code]) for code, color in STATUS_COLORS.items() if code in shown_codes]
if any(f["properties"]["mixed"] for f in places):
    swatches.append((MIXED_COLOR, MIXED_LABEL))
# Each swatch stays with its label on one line: on a tablet "规划" broke into "规 / 划".
st.markdown(" ".join(f'<span style="white-space:nowrap"><span style="display:inline-block;width:14px;height:14px;'
                     f'border-radius:50%;background:{color};vertical-align:middle"></span> {label}</span>&nbsp;&nbsp;'
                     for color, label in swatches)
            + ' <span style="white-space:nowrap">· 空心圆：位置仅到片区/园区</span>',
            unsafe_allow_html=True)  # fixed labels and colours only: no user text here
st.caption("来源：[总览地图](./)；片区、园区范围为依据规划四至绘制的近似范围。")
print_map_buttons(data, key="print-leaders", projects=data.projects, stem="潍城区项目状态图",
                  title="潍城区“十四五”规划项目状态图")

# -- counts by zone / park --------------------------------------------------------------------------
st.markdown("#### 各片区/园区项目数")
if len(projects):
    by_area = pd.crosstab(area_of(projects), projects["status"].map(
        lambda s: STATUS_LABELS.get(s if s in STATUS_COLORS else "unstated")))
    by_area["合计"] = by_area.sum(axis=1)
    by_area = by_area.sort_values("合计", ascending=False)
    kinds = {**{n: "zone" for n in data.zones["name"]}, **{n: "park" for n in data.parks["name"]}}
    # The link keeps the basemap: an office without internet opens 总览 on 无底图 again, not on OSM.
    keep = "" if basemap.key == DEFAULT_BASEMAP else f"&basemap={quote(basemap.key)}"
    by_area.insert(0, "来源", [f"./?{kinds[n]}={quote(n)}{keep}" if n in kinds else "./projects" for n in by_area.index])
    st.dataframe(by_area.rename_axis("片区/园区").reset_index(), hide_index=True, width="stretch",
                 column_config={"来源": st.column_config.LinkColumn(display_text="查看")})
else:
    st.info("还没有项目数据。")

# -- target pacing ----------------------------------------------------------------------------------
st.markdown("#### 指标进度（按类别）")
db = store()
try:
    recorded = db.progress() if db is not None else None
except StoreError:  # the store banner above the page says why; pacing then shows 无数据
    recorded = None
if recorded is None:
    recorded = pd.DataFrame(columns=["id", "target_id", "value", "recorded_by", "recorded_on", "note", "created_at"])
if data.targets is None:
    st.info(md_text(data.targets_error) if data.targets_error else "指标表尚未生成。")
else:
    paced = pacing_table(data.targets, recorded)
    summary = status_summary(paced)
    totals = summary.sum()
    tcols = st.columns(len(STATUSES))
    for col, status in zip(tcols, STATUSES):
        col.metric(status, int(totals[status]))
    st.altair_chart(count_bars(summary, row="类别", value="指标数", stack="进度", horizontal=True,
                               colors=dict(zip(STATUSES, ["#1a9850", "#2c7fb8", "#d73027", "#bdbdbd"]))),
                    width="stretch")
    st.caption(tolerance_text() + " 来源：[指标页](targets)（规划目标及各部门记录的当前值）。")

# -- latest recorded changes --------------------------------------------------------------------------
st.markdown("#### 最新记录")
if len(recorded) and data.targets is not None:
    names = data.targets.set_index("id")["indicator"]
    latest = recorded.head(10)
    st.dataframe(pd.DataFrame({
        "指标": [names.get(t, t) for t in latest["target_id"]],
        "数值": latest["value"], "日期": latest["recorded_on"], "记录人": latest["recorded_by"],
        # as the other pages write times (it showed "2026-11-27 23:00:05+00:00")
        "记录时间（UTC）": [f"{t:%Y-%m-%d %H:%M}" if isinstance(t, (pd.Timestamp, datetime)) else "—"
                          for t in latest.get("created_at", pd.Series([None] * len(latest)))],
        "来源": ["targets"] * len(latest)}), hide_index=True, width="stretch",
        column_config={"来源": st.column_config.LinkColumn(display_text="指标页")})
else:
    st.caption("尚无记录。各部门在[指标页](targets)记录当前值后，此处按记录时间显示最新 10 条。")
