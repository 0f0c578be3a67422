"""总览: every layer on one map, search, click for details, measure, download."""

from __future__ import annotations

import streamlit as st

from layers.details import point_summary
from layers.geometry.gcj02 import gcj02_to_wgs84
from layers.maps.views import base_map, highlight_group, view_for
from layers.search import search
from pages.common import (
    asset_urls,
    current_basemap,
    download_buttons,
    ensure_frame,
    feature_details,
    layers,
    measurements,
    show_map,
    url_view,
)

ensure_frame()
data = layers(with_imports=True)
basemap = current_basemap()
view = url_view()
state = st.session_state
state.setdefault("selected", None)   # ("zone"|"park"|"road"|"project", id)
state.setdefault("map_view", None)   # (center, zoom) to move the map to
state.setdefault("point_note", None)


def select(kind: str, item_id: str, bounds=None) -> None:
    """Choose a feature; move the map when the choice came from outside the map."""
    state["selected"] = (kind, item_id)
    state["point_note"] = None
    if bounds is not None:
        state["map_view"] = view_for(bounds)


def sync_url(kind: str | None, item_id: str | None) -> None:
    """Keep ``?zone=``/``?park=`` in the address bar in step with the chosen area, for sharing."""
    row = data.find(kind, item_id) if kind in ("zone", "park") else None
    for key in ("zone", "park"):
        wanted = row["name"] if row is not None and kind == key else None
        if wanted and st.query_params.get(key) != wanted:
            st.query_params[key] = wanted
        elif not wanted and key in st.query_params:
            del st.query_params[key]


def selected_row():
    if not state["selected"]:
        return None, None
    kind, item_id = state["selected"]
    return kind, data.find(kind, item_id)


if "url_applied" not in state:
    state["url_applied"] = True
    for kind, frame in (("zone", data.zones), ("park", data.parks)):
        if view.get(kind):
            row = frame[frame["name"] == view[kind]].iloc[0]
            geom = row.geometry
            select(kind, row["id"], geom.bounds if geom is not None else None)

st.title("潍城区规划总览")
query = st.text_input("搜索片区、园区、项目或道路（可输入部分名称）", key="search_q",
                      placeholder="例如：站南、长松路、物流")
hits = search(data, query)
if query and not hits:
    st.info(f"没有找到名称包含“{query}”的片区、园区、项目或道路。")
if hits:
    pick = st.selectbox("搜索结果", range(len(hits)), key="search_pick",
                        format_func=lambda i: hits[i].label + ("" if hits[i].bounds else "（未上图）"))
    hit = hits[pick]
    if state.get("search_applied") != (query, hit.id):
        state["search_applied"] = (query, hit.id)
        select(hit.kind, hit.id, hit.bounds)

wide = st.toggle("全宽地图（详情显示在地图下方）", key="wide_map")
map_col, info_col = (st.container(), st.container()) if wide else st.columns([3, 2], gap="medium")
with map_col:
    kind, row = selected_row()
    geom = row.geometry if row is not None else None
    center, zoom = state["map_view"] or (None, None)
    result = show_map(base_map(data, basemap, asset_urls()), key="overview_map",
                      feature_groups=[highlight_group([geom], basemap)], center=center, zoom=zoom)
    measurements(result, basemap)

clicked = result.get("last_active_drawing")
point = result.get("last_clicked")
if clicked and clicked != state.get("prev_drawing"):
    state["prev_drawing"], state["prev_point"] = clicked, point
    props = clicked.get("properties") or {}
    if props.get("kind") in ("zone", "park", "road", "project") and props.get("id"):
        state["selected"] = (props["kind"], props["id"])
        state["point_note"] = None
        st.rerun()
elif point and point != state.get("prev_point"):
    state["prev_point"] = point
    lon, lat = float(point["lng"]), float(point["lat"])
    if basemap.datum == "gcj02":
        lon, lat = gcj02_to_wgs84(lon, lat)
    state["point_note"] = point_summary(data.zones, data.parks, lon, lat)

sync_url(*state["selected"]) if state["selected"] else sync_url(None, None)

with info_col:
    if state["point_note"]:
        st.info(state["point_note"])
    kind, row = selected_row()
    if row is None:
        st.markdown("单击地图上的片区、园区或道路查看详情；单击空白处可查询该点所在的片区和园区。"
                    "左上角工具可量距离和面积。")
    else:
        feature_details(kind, row, data)

with st.expander("下载图层（GeoJSON / KML / GeoPackage / CSV，均为 WGS-84 坐标）"):
    for label, frame, stem in (("十大片区", data.zones, "weicheng_zones"), ("十大园区", data.parks, "weicheng_parks"),
                               ("边界道路/河流", data.gazetteer, "weicheng_gazetteer"),
                               ("潍城区界", data.district, "weicheng_district"),
                               ("项目", data.projects, "weicheng_projects")):
        if frame is None:
            continue
        st.markdown(f"**{label}**")
        download_buttons(frame, stem, key=f"dl-{stem}")
