"""园区: a card per park for investment promotion, its map and a downloadable profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers.details import accuracy_text, area_text, bounds_rows
from layers.maps.views import STYLE, geojson_layer, highlight_group, layer_geojson, new_map, view_for
from layers.maps.profile import find_cjk_font, park_profile_html, park_profile_png
from pages.common import asset_urls, current_basemap, ensure_frame, layers, linked_projects, show_map, url_view

ensure_frame()
data = layers()
basemap = current_basemap()
view = url_view()
district = data.district.geometry.iloc[0]

st.title("十大园区")
names = list(data.parks["name"])
default = names.index(view["park"]) if view.get("park") in names else 0
name = st.selectbox("选择园区", names, index=default, key="park_pick")
park = data.parks[data.parks["name"] == name].iloc[0]
linked = linked_projects(data, name)
project_names = list(linked["项目"]) if linked is not None else []

card, map_col = st.columns([2, 3], gap="medium")
with card:
    with st.container(border=True):
        st.subheader(name)
        st.caption(park["citation"])
        if park.get("clause"):
            st.markdown("**位置（规划原文）**")
            st.text(park["clause"])
            st.dataframe(pd.DataFrame(bounds_rows(park["bounds"])), hide_index=True, width="stretch")
        else:
            st.markdown("**位置**：规划以楼宇/街区定位：" + "、".join(park["sites"]))
            st.warning(accuracy_text("unlocated", None))
        st.markdown(f"**面积**：{area_text(park.get('area_ha'))}")
        st.markdown("**主要产业（规划原文）**：" + ("、".join(park["industries"]) or "—"))
        st.markdown(f"**相关项目**：{'、'.join(project_names) or ('项目图层尚未构建' if linked is None else '无')}")
        st.markdown(f"**几何精度**：{accuracy_text(park.get('geometry_status'), park.get('accuracy_m'))}")
        with st.expander("规划原文"):
            st.text(park["description"])
    profile = park.to_dict()
    st.download_button("下载园区简介（HTML，可打印为 PDF）",
                       lambda: park_profile_html(profile, district, project_names),
                       file_name=f"{name}-园区简介.html", mime="text/html", width="stretch", on_click="ignore")
    if find_cjk_font() is None:
        st.caption("本机没有中文字体，无法生成 PNG 简介；请使用 HTML 版本。")
    else:
        st.download_button("下载园区简介（PNG 图片）", lambda: park_profile_png(profile, district, project_names),
                           file_name=f"{name}-园区简介.png", mime="image/png", width="stretch", on_click="ignore")

with map_col:
    m = new_map(basemap, asset_urls())
    geojson_layer(layer_geojson(data.parks, basemap, kind="park"), "十大园区", STYLE["park"]).add_to(m)
    geom = park.geometry
    center, zoom = view_for(geom.bounds if geom is not None else None)
    show_map(m, key="parks_map", feature_groups=[highlight_group([geom], basemap)],
             center=center, zoom=zoom, returned=())

st.markdown("### 全部园区")
cols = st.columns(2)
for i, row in enumerate(data.parks.itertuples()):
    with cols[i % 2].container(border=True):
        st.markdown(f"**{row.number}. {row.name}**")
        st.caption(row.clause if isinstance(row.clause, str) else "规划以楼宇定位：" + "、".join(row.sites))
        st.markdown(f"面积：{area_text(row.area_ha)} · 主要产业：{'、'.join(row.industries[:6]) or '—'}")
