"""园区: a card per park for investment promotion, its map and a downloadable profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers.details import accuracy_text, area_text, bounds_rows, location_text, sites_of, text_value
from layers.escape import md_text
from layers.maps.profile import find_cjk_font, park_profile_html, park_profile_png
from layers.maps.views import highlight_group, parks_map, view_for
from pages._print import pitch_pack_button, print_map_buttons
from pages.common import current_basemap, ensure_frame, follow_in_url, kept_choice, layers, shared_map, url_view
from pages.map_widget import show_map
from pages.panels import display_frame, linked_projects

ensure_frame()
data = layers()
basemap = current_basemap()
view = url_view()
district = data.district.geometry.iloc[0]

st.title("十大园区")
names = list(data.parks["name"])
name = kept_choice("选择园区", names, key="park_pick", default=view.get("park") or names[0])
follow_in_url("park", name)  # the address bar follows the choice: a copied link opens this park
park = data.parks[data.parks["name"] == name].iloc[0]
# The imported projects too: a project an officer placed in this park belongs on its card and in its pack.
combined = layers(with_imports=True)
linked = linked_projects(combined, name)
project_names = list(linked["项目"]) if linked is not None else []

card, map_col = st.columns([2, 3], gap="medium")
with card:
    with st.container(border=True):
        st.subheader(md_text(name))
        st.caption(md_text(park["citation"]))
        st.markdown("**位置（规划原文）**")
        st.text(location_text(park))
        if text_value(park.get("clause")):
            st.dataframe(display_frame(pd.DataFrame(bounds_rows(park["bounds"]))), hide_index=True, width="stretch")
        else:
            st.warning(md_text(accuracy_text("unlocated", None)))
        st.markdown(f"**面积**：{md_text(area_text(park.get('area_ha')))}")
        industries = [md_text(i) for i in (park["industries"] if isinstance(park["industries"], list) else [])]
        st.markdown("**主要产业（规划原文）**：" + ("、".join(industries) or "—"))
        projects_text = "、".join(md_text(p) for p in project_names) or (
            "项目图层尚未构建" if linked is None else "无")
        st.markdown(f"**相关项目**：{projects_text}")
        st.markdown(f"**几何精度**：{md_text(accuracy_text(park.get('geometry_status'), park.get('accuracy_m')))}")
        with st.expander("规划原文"):
            st.text(text_value(park["description"]) or "")
    profile = park.to_dict()
    st.download_button("下载园区简介（HTML，可打印为 PDF）",
                       lambda: park_profile_html(profile, district, project_names),
                       file_name=f"{name}-园区简介.html", mime="text/html", width="stretch", on_click="ignore")
    if find_cjk_font() is None:
        st.caption("本机没有中文字体，无法生成 PNG 简介；请使用 HTML 版本。")
    else:
        st.download_button("下载园区简介（PNG 图片）", lambda: park_profile_png(profile, district, project_names),
                           file_name=f"{name}-园区简介.png", mime="image/png", width="stretch", on_click="ignore")
    pitch_pack_button(combined, name, key="parks")

with map_col:
    payload = shared_map("parks", data.version_key, basemap, lambda assets: parks_map(data, basemap, assets))
    geom = park.geometry
    center, zoom = view_for(geom.bounds) if geom is not None and not geom.is_empty else (None, None)
    if center is None:
        st.caption("该园区由楼宇/街区定位，地图上不画范围：" + " / ".join(md_text(s) for s in sites_of(park)))
    show_map(payload, key="parks_map", feature_groups=[highlight_group([geom], basemap)],
             center=center, zoom=zoom, returned=())
    print_map_buttons(data, key="print-park", focus=("park", name), stem=f"{name}-位置图")

st.markdown("### 全部园区")
CARD_INDUSTRIES = 6  # industries named on a card; the rest are counted
cols = st.columns(2)
for i, (_, row) in enumerate(data.parks.iterrows()):
    with cols[i % 2].container(border=True):
        st.markdown(f"**{row['number']}. {md_text(row['name'])}**")
        st.caption(md_text(location_text(row)))
        industries = row["industries"] if isinstance(row["industries"], list) else []
        listed = "、".join(md_text(x) for x in industries[:CARD_INDUSTRIES]) or "—"
        more = f" 等 {len(industries)} 项（见上方园区详情）" if len(industries) > CARD_INDUSTRIES else ""
        st.markdown(f"面积：{md_text(area_text(row['area_ha']))} · 主要产业：{listed}{more}")
