"""片区审查: the ten zones, their edges and checks, and a live preview of edited descriptions."""

from __future__ import annotations

import streamlit as st

from layers.data import DataError
from layers.details import accuracy_text, area_text
from layers.geometry.geojson_io import dumps, feature_collection
from layers.maps.views import edges_group, highlight_group, view_for
from layers.review.preview import BoundsError, BuildError, checks_for, checks_frame, edge_rows, preview, zone_table
from layers.escape import md_text
from layers.maps.review_views import status_group, zones_map
from layers.plan.bounds import SIDE_NAMES
from layers.review.status import add_comment, edge_id, set_status, status_of, statuses, thread
from layers.review.rebuild import gazetteer_of
from layers.review.versions import ReviewError, files_for
from layers.store.database import StoreError
from layers.store.schema import REVIEW_STATUSES
from layers.geometry.coverage import osm_coverage_table
from pages._print import print_map_buttons
from pages.common import (current_basemap, ensure_frame, follow_in_url, kept_choice, layers, may, say, shared_map,
                          sign_in_hint, store, url_view)
from pages.map_widget import show_map

ensure_frame()
data = layers()
basemap = current_basemap()
view = url_view()

st.title("片区审查")
st.caption("每条边由哪条道路/河流构成、几何从何而来、与相邻片区是否共边。"
           "红色虚线为近似边界（未经测绘），绿色实线为来自区界或 OpenStreetMap 的边界。")
table = zone_table(data.zones, data.checks)
st.dataframe(table, hide_index=True, width="stretch")

names = list(data.zones["name"])
name = kept_choice("选择片区", names, key="review_zone", default=view.get("zone") or names[0])
follow_in_url("zone", name)  # the address bar follows the choice: a copied link opens this zone
zone = data.zones[data.zones["name"] == name].iloc[0]
edges = data.edges[data.edges["area_id"] == zone["id"]]

map_col, info_col = st.columns([3, 2], gap="medium")
with info_col:
    st.subheader(name)
    st.text(zone["clause"])
    st.markdown(f"**面积**：{area_text(zone['area_ha'])}")
    st.markdown(f"**几何精度**：{accuracy_text(zone['geometry_status'], zone['accuracy_m'])}")
    st.markdown("**各边来源**")
    st.dataframe(edge_rows(edges), hide_index=True, width="stretch")
    st.markdown("**一致性检查**")
    st.dataframe(checks_frame(checks_for(name, data.checks)), hide_index=True, width="stretch")

@st.cache_resource(max_entries=8)
def _cached_gazetteer(key: str, database: str | None):
    db = store()
    return gazetteer_of(files_for(db.engine if db is not None else None, key))


def _version_gazetteer(key: str):
    """The lines of the layer version shown: a preview must use them, not version 0's."""
    db = store()
    return _cached_gazetteer(key, db.engine.url.render_as_string(hide_password=True) if db is not None else None)


st.markdown("#### 修改四至并预览")
st.caption("规划文字有歧义时，可在此改写四至（例如换一条边界道路），即时预览新的范围；不会改动已发布的图层。")
# No max_chars: the browser would cut a long paste silently; preview() says it is too long instead.
edited = st.text_area("四至描述", value=zone["clause"], key=f"edit-{zone['id']}")
preview_groups = []
if edited.strip() != zone["clause"]:
    try:
        result = preview(name, edited, gazetteer=_version_gazetteer(data.version_key))
    except (BoundsError, BuildError, DataError) as exc:
        st.error(f"无法预览：{say(exc)}")
    else:
        st.success(f"预览范围：{area_text(result.area_ha)}（原为 {area_text(zone['area_ha'])}）")
        preview_groups.append(highlight_group([result.built.polygon], basemap, name="修改后范围"))
        feature = {"properties": {"name": name, "description": edited, "bounds": result.bounds.as_dict(),
                                  "area_ha": round(result.area_ha, 2), "geometry_status": "preview"},
                   "geometry": result.built.polygon}
        st.download_button("下载修改后的范围（GeoJSON，WGS-84）", data=dumps(feature_collection([feature])),
                           file_name=f"{name}-修改预览.geojson", mime="application/geo+json")

st.caption("要正式修改边界，请到“边界提案”页提交提案，审核通过后生成新版本。")


def _status_editor(db, kind: str, object_id: str, label: str) -> None:
    """Status and comment thread of one zone, park or edge; writing widgets only for editors."""
    current = status_of(db.engine, kind, object_id)
    st.markdown(f"**{md_text(label)}**：{current}")
    user = may("set_status")
    if user is not None:
        cols = st.columns([2, 1])
        chosen = cols[0].selectbox("审查状态", REVIEW_STATUSES, index=REVIEW_STATUSES.index(current),
                                   key=f"status-{kind}-{object_id}")
        if cols[1].button("保存状态", key=f"save-status-{kind}-{object_id}") and chosen != current:
            try:
                set_status(db.engine, kind, object_id, chosen, actor=user.username, role=user.role)
            except (ReviewError, StoreError) as exc:
                st.error(say(exc))
            else:
                st.rerun()
    talk = thread(db.engine, kind, object_id)
    if len(talk):
        st.dataframe(talk, hide_index=True, width="stretch")
    if user is not None:
        if st.session_state.pop("comment_posted", None) == (kind, object_id):
            st.success("评论已发表。")
        # Emptied once posted: the text stayed in the box, and a second click posted it twice.
        key = f"comment-{kind}-{object_id}"
        if st.session_state.pop("comment_clear", None) == key:
            st.session_state[key] = ""  # emptied only once it is saved: a failed save keeps the words
        with st.form(f"comment-form-{kind}-{object_id}", border=False):
            text = st.text_area("发表评论", max_chars=2000, key=key)
            posted = st.form_submit_button("发表", key=f"post-{kind}-{object_id}")
        if posted:
            try:
                add_comment(db.engine, kind, object_id, text, actor=user.username, role=user.role)
            except (ReviewError, StoreError) as exc:
                st.error(say(exc))
            else:
                st.session_state["comment_posted"] = (kind, object_id)
                st.session_state["comment_clear"] = key
                st.rerun()


st.markdown("#### 审查状态与讨论")
status_db = store()
status_groups = []
if status_db is None:
    st.info("数据库不可用，暂时无法查看审查状态和评论。")
else:
    try:
        if may("set_status") is None:
            sign_in_hint("标记审查状态和发表评论")
        objects = {("zone", zone["id"]): f"{name}（片区）"}
        objects.update({("edge", edge_id(zone["id"], side)): f"{SIDE_NAMES[side]}侧边界：{feature}"
                        for side, feature in zip(edges["side"], edges["feature"])})
        objects.update({("park", pid): f"{pname}（园区）" for pid, pname, geom in
                        zip(data.parks["id"], data.parks["name"], data.parks.geometry) if geom is not None})
        target = st.selectbox("对象", list(objects), format_func=objects.get, key="status_object")
        _status_editor(status_db, *target, objects[target])
        if st.toggle("地图按审查状态着色（灰：待核实，绿：已核实，红：有异议）", key="status_colours"):
            marked = statuses(status_db.engine)
            status_groups += [status_group(data.zones, "zone", marked, basemap, name="片区审查状态"),
                              status_group(data.parks, "park", marked, basemap, name="园区审查状态")]
    except StoreError as exc:
        st.error(say(exc))

with map_col:
    payload = shared_map("zones", data.version_key, basemap, lambda assets: zones_map(data.zones, basemap, assets))
    center, zoom = view_for(zone.geometry.bounds)
    show_map(payload, key="zones_map", feature_groups=[*status_groups, edges_group(edges, basemap), *preview_groups],
             center=center, zoom=zoom, returned=())
    print_map_buttons(data, key="print-zone", focus=("zone", name), stem=f"{name}-位置图")

st.markdown("#### OpenStreetMap 覆盖情况")
coverage_table = osm_coverage_table(data.coverage)
if coverage_table:
    st.caption("每个边界地物：所用 OpenStreetMap 路段、OSM 覆盖所需边界的比例、推断（无名）路段、名称变体与端点延伸。")
    st.dataframe(coverage_table, hide_index=True, width="stretch")
else:
    st.caption("尚未导入 OpenStreetMap 数据：边界来自近似线和区界。导入由数据管理员在服务器上完成。")
