"""项目: the projects layer (built from the plan; user lists come with issue 4)."""

from __future__ import annotations

import streamlit as st

from pages.common import ensure_frame, layers

ensure_frame()
data = layers()
st.title("项目")
if data.projects is None:
    st.info("项目图层尚未构建：geodata/projects.geojson 不存在。运行 python -m layers.build 生成后，此页显示项目地图与列表。")
    st.stop()
st.dataframe(data.projects.drop(columns="geometry"), hide_index=True, use_container_width=True)
