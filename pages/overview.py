"""总览: every layer on one map, search, click for details, measure, download."""

from __future__ import annotations

import streamlit as st

from layers.details import point_summary
from layers.escape import md_text
from layers.geometry.gcj02 import gcj02_to_wgs84
from layers.maps.views import base_map, highlight_group, view_for
from layers.search import search
from layers.maps.exports import FORMATS, export_layer
from pages.common import (current_basemap, ensure_frame, file_version, kept_choice, layers, measurements,
                          safe_file_name, shared_map, shows_latest, url_view)
from pages._print import print_map_buttons
from pages.map_widget import map_value, offer_premap, show_map
from pages.panels import feature_details

ensure_frame()
data = layers(with_imports=True)
basemap = current_basemap()
view = url_view()
state = st.session_state
state.setdefault("selected", None)   # ("zone"|"park"|"road"|"project", id)
state.setdefault("selected_group", None)  # ids of projects sharing the chosen marker
state.setdefault("map_view", None)   # (center, zoom) to move the map to
state.setdefault("point_note", None)
MAP_KEY = "overview_map"
SEARCH_LISTED = 20  # search results listed at most


def select(kind: str, item_id: str, bounds=None, group=None) -> None:
    """Choose a feature; move the map when the choice came from outside the map."""
    state["selected"] = (kind, item_id)
    state["selected_group"] = group
    state["point_note"] = None
    if bounds is not None:
        state["map_view"] = view_for(bounds)


def sync_url() -> None:
    """Keep ``?zone=``/``?park=`` in the address bar in step with the chosen area, for sharing."""
    kind, item_id = state["selected"] or (None, None)
    row = data.find(kind, item_id) if kind in ("zone", "park") else None
    for key in ("zone", "park"):
        wanted = row["name"] if row is not None and kind == key else None
        if wanted and st.query_params.get(key) != wanted:
            st.query_params[key] = wanted
        elif not wanted and key in st.query_params:
            del st.query_params[key]


def selected_rows():
    """The chosen feature's kind, its row, and every project at the same marker."""
    if not state["selected"]:
        return None, None, []
    kind, item_id = state["selected"]
    row = data.find(kind, item_id)
    group = [data.find("project", i) for i in (state["selected_group"] or [])] if kind == "project" else []
    return kind, row, [r for r in group if r is not None]


def take_click(result: dict) -> None:
    """Turn the map's last click into a selection (a feature) or a point query (empty ground)."""
    clicked, point = result.get("last_active_drawing"), result.get("last_clicked")
    if clicked and clicked != state.get("prev_drawing"):
        state["prev_drawing"], state["prev_point"] = clicked, point
        props = clicked.get("properties") or {}
        if props.get("kind") in ("zone", "park", "road", "project") and props.get("id"):
            select(props["kind"], props["id"], group=props.get("ids"))
            return
    if point and point != state.get("prev_point"):
        state["prev_point"] = point
        lon, lat = float(point["lng"]), float(point["lat"])
        if basemap.datum == "gcj02":
            lon, lat = gcj02_to_wgs84(lon, lat)
        # Empty ground: what is there, and nothing else (the previous choice's details read as "此处" there).
        state["selected"], state["selected_group"] = None, None
        state["point_note"] = point_summary(data.zones, data.parks, lon, lat, data.district)


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
hits = search(data, query, limit=None)
if query.strip() and not hits:  # spaces alone are no search
    st.info(f"没有找到名称包含“{md_text(query)}”的片区、园区、项目或道路。")
if len(hits) > SEARCH_LISTED:  # "路" names some 60 roads and road works: say so, never drop them silently
    st.caption(f"共 {len(hits)} 条匹配，下面只列出前 {SEARCH_LISTED} 条：请输入更完整的名称。")
    hits = hits[:SEARCH_LISTED]
if hits:
    # Keyed by the query: a new search starts at its own best hit, never the previous search's pick.
    pick = st.selectbox("搜索结果", range(len(hits)), key=f"search_pick-{query.strip()}",
                        format_func=lambda i: hits[i].label + ("" if hits[i].bounds else "（未上图）"))
    hit = hits[pick]
    if state.get("search_applied") != (query, hit.id):
        state["search_applied"] = (query, hit.id)
        select(hit.kind, hit.id, hit.bounds)

wide = st.toggle("全宽地图（详情显示在地图下方）", key="wide_map")
payload = shared_map("overview", data.version_key, basemap, lambda assets: base_map(data, basemap, assets))
if shows_latest():
    offer_premap(basemap.key, payload)


@st.fragment
def map_and_details() -> None:
    """The map and the details beside it: a click reruns only this, never rebuilding the map."""
    result = map_value(MAP_KEY)
    take_click(result)
    sync_url()
    map_col, info_col = (st.container(), st.container()) if wide else st.columns([2, 1], gap="medium")
    kind, row, group = selected_rows()
    with map_col:
        geoms = [r.geometry for r in group] if group else [row.geometry if row is not None else None]
        center, zoom = state["map_view"] or (None, None)
        show_map(payload, key=MAP_KEY, feature_groups=[highlight_group(geoms, basemap)], center=center, zoom=zoom)
        measurements(result, basemap)
    with info_col:
        if state["point_note"]:
            st.info(md_text(state["point_note"]))
        if row is None:
            st.markdown("单击地图上的片区、园区、道路或项目查看详情；单击空白处可查询该点所在的片区和园区。"
                        "左上角工具可量距离和面积（测量时单击不作查询）。")
        else:
            feature_details(kind, row, data, group=group)


def download_layer() -> None:
    """One chooser and one button (not twenty), shown only while the box is open; the file is made on click.

    The file and the layer in it are named in Chinese, with the layer version shown, so two versions
    downloaded for comparison do not overwrite each other.
    """
    downloads = {label: (frame, name) for label, frame, name in (
        ("十大片区", data.zones, "潍城区十大片区"), ("十大园区", data.parks, "潍城区十大园区"),
        ("边界道路/河流", data.gazetteer, "潍城区边界道路与河流"), ("潍城区界", data.district, "潍城区界"),
        ("项目", data.projects, "潍城区项目")) if frame is not None}
    c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
    with c1:  # kept: the box forgets its widgets while closed
        layer = kept_choice("图层", list(downloads), key="dl_layer", default=next(iter(downloads)))
    with c2:
        fmt = kept_choice("格式", list(FORMATS), key="dl_format", default=next(iter(FORMATS)),
                          format_func=lambda f: FORMATS[f][0])
    frame, name = downloads[layer]
    label, mime, suffix = FORMATS[fmt]
    version = file_version(data, with_imports=frame is data.projects)  # only the project layer holds imports
    c3.download_button("下载", data=lambda: export_layer(frame, fmt, name), mime=mime, key="dl_button",
                       file_name=safe_file_name(f"{name}（{version}）") + suffix, width="stretch",
                       on_click="ignore", icon=":material/download:")


map_and_details()
print_map_buttons(data, key="print-overview", projects=data.projects, stem="潍城区规划总图",
                  title="潍城区“十四五”规划总图（片区、园区与项目）")
with st.expander("下载图层（GeoJSON / KML / GeoPackage / CSV，均为 WGS-84 坐标）", key="dl_open",
                 on_change="rerun") as box:
    if box.open:
        download_layer()
