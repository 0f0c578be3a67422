"""园区选址: which park or zone fits a company — by industry, land need and a nearby feature."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers.escape import md_text
from layers.invest.finder import FinderError, load_synonyms, rank_areas
from pages._print import pitch_pack_button
from pages.common import ensure_frame, layers

ensure_frame()
data = layers()

st.title("园区选址")
st.caption("按企业所说的产业词查找合适的园区和片区：匹配规划所列产业和定位（含经审核、注明规划出处的同义词），"
           "可加用地需求和“靠近某条道路/河流/铁路”的意愿。距离在 EPSG:4549 中量算；道路多为示意线位。")

c1, c2, c3 = st.columns([3, 2, 2])
query = c1.text_input("产业（可输入多个，用顿号分隔）", key="finder_q", max_chars=50,
                      placeholder="例如：激光、冷链物流、医疗器械、总部办公")
land_value = c2.text_input("用地需求（可不填）", key="finder_land", max_chars=12, placeholder="例如：50")
land_unit = c2.radio("单位", ["亩", "公顷"], horizontal=True, key="finder_unit", label_visibility="collapsed")
features = [""] + sorted(data.gazetteer.loc[data.gazetteer["kind"] != "border", "name"])
near = c3.selectbox("靠近（可不选）", features, key="finder_near", format_func=lambda n: n or "不限")
c3.caption("火车站、高速公路在规划中没有可上图的位置，不在地名库中；可选胶济铁路等线路。")

if not query.strip():
    st.info("请输入产业，例如：激光、冷链物流、医疗器械、总部办公。")
    st.stop()
try:
    results = rank_areas(data, query, land=land_value, land_unit=land_unit, near=near or None)
except FinderError as exc:
    st.error(f"无法查找：{md_text(str(exc))}")
    st.stop()

matched = [m for m in results if m.industry_score > 0]
if not matched:
    st.warning(f"规划所列产业和定位中没有与“{md_text(query)}”对应的园区或片区；下表按距离和面积列出全部 20 个区域。")
st.markdown(f"**{len(matched)}** 个园区/片区与所输入产业匹配（共排序 {len(results)} 个）。")

table = pd.DataFrame([{
    "排名": i + 1, "名称": m.name, "类型": "园区" if m.kind == "park" else "片区",
    "得分": round(m.score, 2), "说明": m.explanation,
    "园区卡片/片区审查": m.links["card"], "在地图上查看": m.links["map"]} for i, m in enumerate(results)])
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "园区卡片/片区审查": st.column_config.LinkColumn(display_text="打开卡片"),
    "在地图上查看": st.column_config.LinkColumn(display_text="打开地图"),
    "说明": st.column_config.TextColumn(width="large")})
st.caption("得分：每个所输入的产业词计一次：规划所列产业或区域名称中直接出现 3 分、经同义词出现 2 分，"
           "规划定位文字提及再加 1 分（经同义词 0.5 分）；同分时匹配的所列产业多者在前；距所选地物 5 千米内最多加 2 分；"
           "总面积小于需求减 2 分。未定位园区只按产业计分。总面积为规划范围面积，并非可供地面积。")

for m in matched[:3]:
    with st.container(border=True):
        st.markdown(f"**{md_text(m.name)}**（{'园区' if m.kind == 'park' else '片区'}）")
        st.text(m.explanation)
        st.markdown(f"[打开{'园区卡片' if m.kind == 'park' else '片区审查'}]({m.links['card']}) · "
                    f"[在地图上查看]({m.links['map']})")
        if m.kind == "park":
            pitch_pack_button(data, m.name, key=f"finder-{m.id}")

with st.expander("产业同义词表（经审核，每行注明规划出处）"):
    st.dataframe(pd.DataFrame([s.__dict__ for s in load_synonyms()]).rename(columns={
        "term": "企业用语", "plan_term": "规划用语", "evidence": "规划原文", "citation": "出处", "basis": "依据"}),
        hide_index=True, width="stretch")
