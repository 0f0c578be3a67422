"""边界提案: propose a boundary change, see its effect on every zone and park, approve or reject."""

from __future__ import annotations

import json
import re

import streamlit as st
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from layers.escape import md_text
from layers.maps.review_views import LINE_STYLE, before_after_groups, outline_group
from layers.maps.views import view_for
from layers.plan.bounds import SIDE_NAMES, SIDES
from layers.review import proposals
from layers.review.diff import changes_frame, lines_frame
from layers.review.effect import effect
from layers.review.rebuild import KINDS, Change, ChangeError, area_features, features_of
from layers.review.uploads import (DEFAULT_CRS, MAX_UPLOAD_BYTES, SUFFIXES, UploadError, crs_choices, dxf_layers,
                                   line_from_drawings, read_line)
from layers.review.versions import ReviewError, latest
from layers.store.database import StoreError
from pages.shared_data import version_files
from pages.common import (current_basemap, ensure_frame, layers, may, review_base, say, sign_in_hint, store,
                          two_step)
from pages.map_widget import show_map

ensure_frame()
st.title("边界提案")
st.caption("编辑提出修改（更换某侧边界地物、改写四至文字、修正道路/河流/铁路线位），提交前即可看到对每个受影响片区和园区的影响"
           "（与构建程序相同的算法）；审核人批准后生成新的图层版本，旧版本全部保留。")
db = store()
if db is None:
    st.error("数据库不可用，无法查看或提交提案。地图和规划图层仍可在其他页面浏览。")
    st.stop()
engine = db.engine
basemap = current_basemap()
data = layers()



def _area_label(feat: dict) -> str:
    props = feat["properties"]
    return f"{props['name']}（{'片区' if props['kind'] == 'zone' else '园区'}）"


def _effect_view(eff, key: str) -> None:
    """The effect of a change: table, failing checks, old and new outlines on the map."""
    st.markdown("**影响的片区和园区**（面积在 EPSG:4549 中计算；最大位移为新旧边界的 Hausdorff 距离）")
    st.dataframe(changes_frame(eff.areas), hide_index=True, width="stretch")
    if eff.lines:
        st.markdown("**线位变化**")
        st.dataframe(lines_frame(eff.lines), hide_index=True, width="stretch")
    if eff.failures:
        st.error("以下检查未通过（仍可提交，但须说明理由）：\n\n" + "\n".join(f"- {md_text(f)}" for f in eff.failures))
    else:
        st.success("一致性检查全部通过。")
    groups = before_after_groups(eff.areas, basemap)
    if eff.change.kind == "line":
        groups.append(outline_group([(eff.change.geometry, f"{eff.change.feature}（新线位）")], basemap,
                                    style=LINE_STYLE, name="新线位"))
    bounds = [a.after or a.before for a in eff.areas]
    center, zoom = view_for(_bounds(bounds))
    show_map(review_base(data, basemap), key=key, feature_groups=groups,
             center=center, zoom=zoom, returned=())


def _bounds(geoms: list) -> tuple | None:
    shapes = [shape(g) for g in geoms if g]
    return unary_union(shapes).bounds if shapes else None


def _line_source(feature: str, area: dict) -> tuple[dict | None, str]:
    """The corrected line, traced on the map or uploaded; ``(None, "")`` until there is one."""
    source = st.radio("线位来源", ["在地图上描绘", "上传文件"], horizontal=True, key="line_source")
    if source == "在地图上描绘":
        st.caption(f"用地图左上角的画线工具沿“{md_text(feature)}”的实际位置描绘（可切换到高德卫星或天地图影像底图），"
                   "双击或点击最后一点结束。高德底图上描绘的坐标会自动从 GCJ-02 转换为 WGS-84。")
        road = next((f for f in features_of(version_files(engine, base), "gazetteer.geojson") if f["properties"]["name"] == feature), None)
        groups = [outline_group([(area["geometry"], area["properties"]["name"])], basemap, style={"color": "#1f6fd1",
                                "weight": 2, "fill": False}, name="区域")]
        if road is not None:
            groups.append(outline_group([(road["geometry"], f"{feature}（当前线位）")], basemap,
                                        style={"color": "#555555", "weight": 4, "dashArray": "6 6"}, name="当前线位"))
        # the whole line and the area: every zone and park the line bounds must be traceable
        center, zoom = view_for(_bounds([area["geometry"], road["geometry"] if road else None]))
        result = show_map(review_base(data, basemap, trace=True), key="trace_map",
                          feature_groups=groups, center=center, zoom=zoom, returned=("all_drawings",))
        drawings = result.get("all_drawings")
        if not drawings:
            st.info("地图上还没有描绘的线。")
            return None, ""
        line = line_from_drawings(drawings, basemap.datum, basemap.label)
        return _mapping(line.geometry), line.how
    formats = "、".join(dict.fromkeys(SUFFIXES.values()))
    upload = st.file_uploader(f"上传线文件（{formats}，{MAX_UPLOAD_BYTES // (1024 * 1024)} MB 以内）",
                              type=[s.lstrip(".") for s in SUFFIXES], key="line_upload")
    crs = st.selectbox("文件没有坐标系信息时（DXF、缺 .prj 的 Shapefile）按此读取", list(crs_choices()),
                       index=list(crs_choices()).index(DEFAULT_CRS), format_func=crs_choices().get, key="line_crs")
    if upload is None:
        return None, ""
    data_ = upload.getvalue()
    layer = None
    if upload.name.lower().endswith(".dxf"):
        names = dxf_layers(data_, f"文件“{upload.name}”")
        layer = st.selectbox("DXF 图层", [""] + list(names), key="dxf_layer",
                             format_func=lambda n: "全部图层" if not n else f"{n}（{names[n]} 条线）") or None
    line = read_line(upload.name, data_, crs=crs, layer=layer)
    return _mapping(line.geometry), line.how


def _mapping(geom) -> dict:
    return json.loads(json.dumps(mapping(geom)))


def _change_form(files: dict[str, str]) -> Change | None:
    """Widgets for one change; ``None`` until it is complete."""
    located = [f for f in area_features(files) if f["properties"].get("clause")]
    ids = [f["properties"]["id"] for f in located]
    by_id = dict(zip(ids, located))
    area_id = st.selectbox("区域", ids, format_func=lambda i: _area_label(by_id[i]), key="proposal_area")
    area = by_id[area_id]
    bounds = area["properties"]["bounds"] or {}
    st.caption("当前四至：" + md_text(area["properties"]["clause"]))
    kind = st.radio("修改类型", list(KINDS), format_func=KINDS.get, horizontal=True, key="proposal_kind")
    current = {s: "、".join(e["feature"] for e in bounds.get(s) or []) for s in SIDES}
    if kind == "feature":
        sides = [s for s in SIDES if current[s]]
        side = st.selectbox("哪一侧", sides, format_func=lambda s: f"{SIDE_NAMES[s]}侧（现为 {current[s]}）",
                            key="proposal_side")
        names = [f["properties"]["name"] for f in features_of(files, "gazetteer.geojson")
                 if f["properties"]["name"] != current[side]]
        feature = st.selectbox("改为", names, index=None, placeholder="选择道路、河流或铁路", key="proposal_feature")
        return Change("feature", area_id=area_id, side=side, feature=feature) if feature else None
    if kind == "text":
        clause = st.text_area("新的四至文字", value=area["properties"]["clause"], max_chars=2000, key=f"clause-{area_id}")
        if clause.strip() == area["properties"]["clause"]:
            st.info("改写上面的四至文字后即可预览。")
            return None
        return Change("text", area_id=area_id, clause=clause)
    features = sorted({e["feature"] for s in SIDES for e in bounds.get(s) or []})
    feature = st.selectbox("要修正线位的地物", features, key="proposal_line_feature")
    accuracy = st.number_input("新线位的精度（米，按资料实际情况填写）", min_value=1, max_value=5000, value=10,
                               step=1, key="proposal_accuracy")
    geometry, how = _line_source(feature, area)
    if geometry is None:
        return None
    return Change("line", area_id=None, feature=feature, geometry=geometry, accuracy_m=float(accuracy), how=how)


def _submit(change: Change, user, base: int) -> None:
    reason = st.text_area("理由（检查未通过时必填）", max_chars=2000, key="proposal_reason")
    if st.button("提交审核", type="primary", key="submit_proposal"):
        try:
            sent = proposals.submit(engine, change, actor=user.username, role=user.role, reason=reason,
                                    base_version=base)
        except (ReviewError, StoreError) as exc:
            st.error(f"未能提交：{say(exc)}")
            return
        st.session_state["proposal_result"] = sent
        st.rerun()


def _result_message() -> None:
    sent = st.session_state.pop("proposal_result", None)
    if sent is None:
        return
    if sent.conflict:
        st.warning(md_text(sent.conflict))
    else:
        st.success(f"已提交：提案 #{sent.id} 等待审核。")


def _withdraw(p: proposals.Proposal, user, where) -> None:
    """撤回 for the author's own draft or pending proposal, after a confirmation."""
    if not two_step("withdraw", p.id, start=where, label="撤回", yes="确认撤回",
                    question=f"确定撤回提案 #{p.id}？撤回后审核人不能再批准它，如需修改请重新提交新的提案。"):
        return
    try:
        proposals.withdraw(engine, p.id, actor=user.username, role=user.role)
    except (ReviewError, StoreError) as exc:
        # A rerun, so the question and its buttons go; the words stay above both tabs' lists.
        st.session_state[WITHDRAWN] = ("error", f"未撤回：{say(exc)}")
    else:
        st.session_state[WITHDRAWN] = ("success", f"已撤回提案 #{p.id}。")
    st.rerun()


#: The outcome of the last 撤回 (kind, words), shown at the top of 提出修改 and 待审核 for one run.
WITHDRAWN = "withdraw_result"


def _withdraw_result() -> None:
    outcome = st.session_state.get(WITHDRAWN)
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(outcome[1])


def _drafts(user, base: int) -> None:
    mine = [p for p in proposals.listing(engine, "draft") if p.author == user.username]
    if not mine:
        return
    st.markdown("#### 我的草稿")
    for p in mine:
        cols = st.columns([4, 1, 1])
        cols[0].markdown(f"#{p.id} · {md_text(p.summary)}（基于第 {p.base_version} 版）")
        _withdraw(p, user, cols[2])
        if cols[1].button("按最新版本重新提交", key=f"resubmit-{p.id}"):
            try:
                sent = proposals.submit(engine, p.change, actor=user.username, role=user.role,
                                        reason=p.reason or "", base_version=base, proposal_id=p.id)
            except (ReviewError, StoreError) as exc:
                st.error(f"未能提交：{say(exc)}")
            else:
                st.session_state["proposal_result"] = sent
                st.rerun()


def _propose(base: int) -> None:
    user = may("propose")
    if user is None:
        sign_in_hint("提出边界修改")
        return
    _result_message()
    _withdraw_result()
    _drafts(user, base)  # first: a draft can be withdrawn or resubmitted before any new change is entered
    files = version_files(engine, base)
    st.caption(f"提案基于当前最新的第 {base} 版。")
    try:
        change = _change_form(files)
        if change is None:
            return
        eff = effect(files, change)
    except (ChangeError, UploadError) as exc:
        st.error(say(exc))
        return
    _effect_view(eff, "effect_map")
    _submit(change, user, base)


def _decide(p: proposals.Proposal, user) -> None:
    if p.author == user.username:
        st.caption("这是您本人提出的提案：须由另一位审核人或管理员批准。")
    note = st.text_input("审核意见（驳回时必填）", max_chars=2000, key=f"decision-{p.id}")
    cols = st.columns(2)
    try:
        if cols[0].button("批准", type="primary", key=f"approve-{p.id}", disabled=p.author == user.username):
            number = proposals.approve(engine, p.id, actor=user.username, role=user.role, reason=note)
            st.session_state["decision_result"] = f"已批准提案 #{p.id}，生成第 {number} 版。"
            st.session_state.pop("layer_version", None)
            st.rerun()
        if cols[1].button("驳回", key=f"reject-{p.id}"):
            proposals.reject(engine, p.id, actor=user.username, role=user.role, reason=note)
            st.session_state["decision_result"] = f"已驳回提案 #{p.id}。"
            st.rerun()
    except (ReviewError, StoreError) as exc:
        st.error(say(exc))


def _decided_meanwhile(user) -> None:
    """Say so when this user clicked 批准/驳回 on a proposal someone else decided meanwhile.

    Its button is gone from this run, so the click did nothing: the list just said "没有待审核的提案".
    """
    for key, clicked in list(st.session_state.items()):
        match = re.fullmatch(r"(approve|reject|withdraw-yes)-(\d+)", str(key))
        if not match or clicked is not True:
            continue
        p = proposals.get(engine, int(match.group(2)))
        if p.status not in ("pending", "draft") and p.decided_by != getattr(user, "username", None):
            when = f"{p.decided_at:%Y-%m-%d %H:%M} UTC" if p.decided_at else ""
            done = proposals.STATUS_LABEL.get(p.status, p.status).removeprefix("已")
            verb = {"approve": "批准", "reject": "驳回", "withdraw-yes": "撤回"}[match.group(1)]
            st.warning(f"提案 #{p.id} 已由 {md_text(p.decided_by or '—')}（{when}）{done}：您的“{verb}”未执行。")
            st.session_state.pop("withdraw_pending", None)


def _pending(base: int) -> None:
    # Kept, not popped: a map on the page may rerun the script right after a decision,
    # and the approver must still see what the decision made.
    message = st.session_state.get("decision_result")
    if message:
        st.success(message)
    _withdraw_result()
    user = may("approve")
    author = user or may("propose")
    _decided_meanwhile(author)
    items = proposals.listing(engine, "pending")
    if not items:
        st.info("没有待审核的提案。")
        return
    if user is None:
        sign_in_hint("批准或驳回提案", "审核")
    for p in items:
        title = f"#{p.id} · {md_text(p.summary)} — {md_text(p.author)}，{p.created_at:%Y-%m-%d %H:%M} UTC"
        with st.expander(title, expanded=len(items) == 1):
            st.markdown(f"**理由**：{md_text(p.reason) or '—'}")
            if p.failures:
                st.error("提交时以下检查未通过：\n\n" + "\n".join(f"- {md_text(f)}" for f in p.failures))
            try:
                eff = effect(version_files(engine, base), p.change)
            except ChangeError as exc:
                st.error(f"该提案已无法应用到当前第 {base} 版：{say(exc)}")
                eff = None
            if eff is not None:
                st.caption(f"以下为应用到当前第 {base} 版后的影响：")
                _effect_view(eff, f"pending-map-{p.id}")
            if author is not None and p.author == author.username:
                _withdraw(p, author, st)
            if user is not None:
                _decide(p, user)


try:
    base = latest(engine)
except StoreError as exc:
    st.error(say(exc))
    st.stop()
propose_tab, pending_tab, all_tab = st.tabs(["提出修改", "待审核", "全部提案"])
with propose_tab:
    _propose(base)
with pending_tab:
    _pending(base)
with all_tab:
    frame = proposals.listing_frame(proposals.listing(engine))
    if frame.empty:
        st.info("还没有提案。")
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
st.session_state.pop(WITHDRAWN, None)  # said once, on both tabs
