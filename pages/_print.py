"""Shared page helpers: print-map downloads (A4/A3 PDF, 300-dpi PNG) and the park pitch pack.

Files are made only when a button is clicked (``on_click="ignore"`` with a
callable), so showing a page costs nothing.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import streamlit as st

from layers.data import Layers
from layers.escape import md_text
from layers.invest.finder import FinderError, load_synonyms
from layers.invest.names import NamesError, load_names
from layers.maps.pitch import pitch_pack
from layers.maps.print import PrintError, print_map
from layers.maps.profile import find_cjk_font
from pages.common import file_version, kept_choice, layers_version, safe_file_name

NO_FONT = "本机没有中文字体，无法生成打印地图和推介资料：请安装 Debian 软件包 fonts-noto-cjk。"


def _render(data: Layers, focus, projects, paper: str, fmt: str, title: str | None, note: str | None) -> bytes:
    version = layers_version(data, with_imports=projects is not None)
    try:
        return print_map(data, focus=focus, projects=projects, paper=paper, fmt=fmt, title=title, note=note,
                         version=version, when=date.today()).data
    except PrintError as exc:  # the button cannot show a message: the file says it instead
        return f"无法生成打印地图：{exc}".encode()


def print_map_buttons(data: Layers, *, key: str, focus: tuple[str, str] | None = None,
                      projects: gpd.GeoDataFrame | None = None, stem: str = "潍城区规划地图",
                      title: str | None = None, note: str | None = None) -> None:
    """Paper choice and two downloads: the print PDF (selectable text) and a 300-dpi PNG.

    ``note`` is printed beside the map (which filters chose the projects).

    They are in a box that is filled only while open, so a page's first view costs nothing for them.
    """
    with st.expander("打印地图（PDF / 300 dpi PNG）", key=f"{key}-open", on_change="rerun") as box:
        if not box.open:
            return
        if find_cjk_font() is None:
            st.caption(NO_FONT)
            return
        st.caption("含标题、图例、比例尺（米，EPSG:4549）、指北针、日期、图层版本、数据来源及近似范围说明；PDF 中文字可选中复制。")
        paper = kept_choice("纸张", ["A4", "A3"], key=f"{key}-paper", default="A4", widget=st.radio, horizontal=True,
                            format_func=lambda p: f"{p} 横向")  # kept: the box forgets its widgets while closed
        name = safe_file_name(f"{stem}-{paper}（{file_version(data, with_imports=projects is not None)}）")
        c1, c2 = st.columns(2)
        c1.download_button("下载打印版 PDF", lambda: _render(data, focus, projects, paper, "pdf", title, note),
                           file_name=f"{name}.pdf", mime="application/pdf", key=f"{key}-pdf",
                           width="stretch", on_click="ignore")
        c2.download_button("下载 PNG（300 dpi）", lambda: _render(data, focus, projects, paper, "png", title, note),
                           file_name=f"{name}.png", mime="image/png", key=f"{key}-png",
                           width="stretch", on_click="ignore")


def _pack(data: Layers, park: str) -> bytes:
    try:
        return pitch_pack(data, park, version=layers_version(data, with_imports=True), when=date.today())
    except PrintError as exc:
        return f"无法生成推介资料：{exc}".encode()


def pitch_pack_button(data: Layers, park: str, *, key: str) -> None:
    """Download the bilingual multi-page pitch pack of one park."""
    if find_cjk_font() is None:
        st.caption(NO_FONT)
        return
    try:  # the pack is made on click, where a failure is silent (no file, no word): look first
        load_names()
        load_synonyms()
    except (NamesError, FinderError) as exc:
        st.warning(f"招商推介资料暂不能生成：{md_text(exc)}。请联系数据管理员。")
        return
    st.download_button("下载招商推介资料（中英文 PDF）", lambda: _pack(data, park),
                       file_name=safe_file_name(f"{park}-招商推介资料.pdf"), mime="application/pdf",
                       key=f"{key}-pitch", width="stretch", on_click="ignore")
