"""指标: the plan's 2025 targets (built from the plan text)."""

from __future__ import annotations

import streamlit as st

from pages.common import ensure_frame, layers

ensure_frame()
data = layers()
st.title("指标")
if data.targets is None:
    st.info("指标表尚未构建：geodata/targets.csv 不存在。运行 python -m layers.build 生成后，此页显示 2025 年目标。")
    st.stop()
st.dataframe(data.targets, hide_index=True, use_container_width=True)
