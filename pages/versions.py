"""版本: the history of layer versions, comparing any two, restoring, and dated release exports."""

from __future__ import annotations

from datetime import date

import streamlit as st
from shapely.geometry import shape
from shapely.ops import unary_union

from layers.escape import md_text
from layers.maps.review_views import before_after_groups
from layers.maps.views import view_for
from layers.review.diff import area_changes, changes_frame, line_changes, lines_frame
from layers.review.versions import ReviewError, history, history_frame, release, release_stem, restore
from layers.store.database import StoreError
from pages.shared_data import version_files
from pages.common import (VERSION_CHOICE, current_basemap, ensure_frame, layers, may, review_base, say,
                          sign_in_hint, store)
from pages.map_widget import show_map

ensure_frame()
st.title("版本")
st.caption("第 0 版为由规划文字生成的图层；每次批准提案或恢复旧版本都会生成新的编号版本，旧版本不会被覆盖。")
db = store()
if db is None:
    st.error("数据库不可用，无法查看版本历史。地图和规划图层（第 0 版）仍可在其他页面浏览。")
    st.stop()
engine = db.engine
basemap = current_basemap()
data = layers()



try:
    versions = history(engine)
except StoreError as exc:
    st.error(say(exc))
    st.stop()
numbers = [v.number for v in versions]
message = st.session_state.pop("version_result", None)
if message:
    st.success(message)

st.markdown("#### 版本历史")
newest = versions[0]
st.markdown(f"**当前最新：第 {newest.number} 版**" + (f"（{md_text(newest.note)}，{md_text(newest.created_by)}，"
            f"{newest.created_at:%Y-%m-%d %H:%M} UTC）" if newest.created_at else "（规划原文）"))
st.dataframe(history_frame(engine), hide_index=True, width="stretch")

st.markdown("#### 比较两个版本")
cols = st.columns(3)
a = cols[0].selectbox("较早版本", numbers, index=min(1, len(numbers) - 1), format_func=lambda n: f"第 {n} 版", key="cmp_a")
b = cols[1].selectbox("较新版本", numbers, index=0, format_func=lambda n: f"第 {n} 版", key="cmp_b")
mode = cols[2].radio("地图", ["叠加", "并排"], horizontal=True, key="cmp_mode")
before, after = version_files(engine, a), version_files(engine, b)
changes = area_changes(before, after)
moved = line_changes(before, after)
if not changes and not moved:
    st.info(f"第 {a} 版与第 {b} 版的片区、园区和边界地物完全相同。")
else:
    st.dataframe(changes_frame(changes), hide_index=True, width="stretch")
    if moved:
        st.dataframe(lines_frame(moved), hide_index=True, width="stretch")
    shapes = [shape(g) for c in changes for g in (c.before, c.after) if g]
    center, zoom = view_for(unary_union(shapes).bounds if shapes else None)
    old_group, new_group = before_after_groups(changes, basemap, before=f"第 {a} 版", after=f"第 {b} 版")
    if mode == "叠加":
        st.caption(f"灰色虚线：第 {a} 版；红色：第 {b} 版。")
        show_map(review_base(data, basemap), key="compare_map",
                 feature_groups=[old_group, new_group], center=center, zoom=zoom, returned=())
    else:
        left, right = st.columns(2)
        with left:
            st.caption(f"第 {a} 版")
            show_map(review_base(data, basemap), key="compare_left",
                     feature_groups=[old_group], center=center, zoom=zoom, returned=())
        with right:
            st.caption(f"第 {b} 版")
            show_map(review_base(data, basemap), key="compare_right",
                     feature_groups=[new_group], center=center, zoom=zoom, returned=())

st.markdown("#### 恢复旧版本")
user = may("restore")
if user is None:
    sign_in_hint("恢复旧版本", "审核")
elif len(numbers) > 1:
    older = numbers[1:]
    target = st.selectbox("恢复为", older, format_func=lambda n: f"第 {n} 版", key="restore_target")
    note = st.text_input("说明", max_chars=2000, key="restore_note")
    if st.button("恢复（生成新版本）", key="restore_button"):
        try:
            number = restore(engine, target, actor=user.username, role=user.role, note=note)
        except (ReviewError, StoreError) as exc:
            st.error(say(exc))
        else:
            st.session_state["version_result"] = f"已将第 {target} 版恢复为新的第 {number} 版。"
            st.session_state.pop(VERSION_CHOICE, None)
            st.rerun()
else:
    st.caption("只有第 0 版，无可恢复的旧版本。")

st.markdown("#### 发布")
st.caption("导出某一版本：GeoJSON、GeoPackage（WGS-84）、一致性检查报告和变更记录（谁提出、谁批准）。文件名带版本号和日期。")
chosen = st.selectbox("发布版本", numbers, format_func=lambda n: f"第 {n} 版", key="release_version")
today = date.today()
st.download_button("下载发布包（zip）", data=lambda: release(engine, chosen, today=today)[1],
                   file_name=f"{release_stem(chosen, today)}.zip", mime="application/zip",
                   key="release_download", on_click="ignore")
