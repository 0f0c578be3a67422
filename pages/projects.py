"""项目: the project map with filters, table, details and counts; import of the user's own lists."""

from __future__ import annotations

import uuid

import streamlit as st

from layers.escape import md_text
from layers.maps.views import projects_map
from layers.store.imports import ImportFileError, read_table, template_csv, validate
from layers.project_table import SOURCE_LABELS, all_projects, counts_by_area, filter_projects
from layers.store.database import DuplicateProjectsError, InputError, StoreError
from pages._print import print_map_buttons
from pages.common import (asset_urls, current_basemap, ensure_frame, layers, may, project_details, show_map,
                          sign_in_hint, store)

ensure_frame()
data = layers()
basemap = current_basemap()
db = store()
try:
    imported = db.projects() if db is not None else None
except StoreError:
    imported = None  # the banner above the page says why; the plan's projects still show
projects = all_projects(data.projects, imported)

st.title("项目")
map_tab, import_tab = st.tabs(["项目地图", "导入项目清单"])

with map_tab:
    if not len(projects):
        st.info("还没有项目：项目图层尚未构建（运行 python -m layers.build），也没有导入的项目。")
    else:
        f1, f2, f3, f4 = st.columns(4)
        categories = f1.multiselect("类别", sorted(projects["category_label"].dropna().unique()), key="f_cat", placeholder="全部")
        statuses = f2.multiselect("状态", sorted(projects["status_label"].dropna().unique()), key="f_status", placeholder="全部")
        areas = [""] + list(data.zones["name"]) + list(data.parks["name"])
        area = f3.selectbox("片区/园区", areas, key="f_area", format_func=lambda a: a or "全部")
        sources = f4.multiselect("来源", list(SOURCE_LABELS.values()), key="f_source", placeholder="全部")
        shown = filter_projects(projects, categories=categories, statuses=statuses, area=area, sources=sources)
        located = shown[shown.geometry.notna() & ~shown.geometry.is_empty]
        unlocated = shown[~shown.index.isin(located.index)]
        st.caption(f"共 {len(shown)} 个项目：上图 {len(located)} 个，未定位 {len(unlocated)} 个（只在列表中）。")

        map_col, side_col = st.columns([3, 1], gap="medium")
        with map_col:
            result = show_map(projects_map(data, located, basemap, asset_urls()), key="projects_map",
                              returned=("last_active_drawing",))
            print_map_buttons(data, key="print-projects", projects=shown, stem="潍城区项目分布图")
        with side_col:
            st.markdown("**未定位项目**（规划未说明位置）")
            for name in unlocated["name"]:
                st.markdown(f"- {name}")

        table = shown.drop(columns="geometry")[["name", "category_label", "status_label", "zone", "park",
                                                "location_precision", "source"]]
        st.dataframe(table.rename(columns={"name": "项目", "category_label": "类别", "status_label": "状态",
                                           "zone": "片区", "park": "园区", "location_precision": "定位",
                                           "source": "来源"})
                     .assign(来源=lambda t: t["来源"].map(SOURCE_LABELS)),
                     hide_index=True, width="stretch")

        clicked = (result.get("last_active_drawing") or {}).get("properties") or {}
        names = list(shown["name"])
        default = names.index(clicked["name"]) if clicked.get("name") in names else None
        pick = st.selectbox("项目详情", names, index=default, key="project_pick", placeholder="选择或在地图上单击一个项目")
        if pick:
            project_details(shown[shown["name"] == pick].iloc[0])

        st.markdown("#### 各片区/园区项目数量（按类别）")
        st.bar_chart(counts_by_area(shown))

with import_tab:
    st.markdown("上传 CSV 或 XLSX。列：`name`（名称，必填）、`category`、`status`、`investment_10k_yuan`（万元）、"
                "`start_year`，以及 `lon`,`lat`（经纬度）或 `zone`/`park`（片区/园区名称）。CSV 可为 UTF-8 或 GBK 编码。")
    st.download_button("下载导入模板（CSV）", template_csv(), file_name="项目导入模板.csv", mime="text/csv")
    importer = may("import") if db is not None else None
    if importer is None:
        sign_in_hint("导入项目清单")
    upload = None if importer is None else st.file_uploader("项目清单", type=["csv", "xlsx"], key="project_upload")
    datum = st.radio("坐标系", ["wgs84", "gcj02"], horizontal=True, key="import_datum",
                     format_func=lambda d: {"wgs84": "WGS-84（GPS、天地图、OpenStreetMap）",
                                            "gcj02": "GCJ-02（高德、腾讯地图拾取的坐标）"}[d])
    if upload is not None:
        try:
            frame = read_table(upload.getvalue(), upload.name)
        except ImportFileError as exc:
            st.error(f"无法导入：{exc}")
        else:
            result = validate(frame, datum=datum, zones=data.zones, parks=data.parks,
                              district=data.district.geometry.iloc[0],
                              existing_names=set(imported["name"]) if imported is not None else set())
            st.markdown(f"共 {result.total} 行：**{len(result.valid)} 行有效**，{len(result.errors)} 处问题。")
            if result.errors:
                st.warning("以下行有问题，不会导入：")
                st.dataframe(result.errors_frame(), hide_index=True, width="stretch")
            if len(result.valid):
                st.dataframe(result.valid.drop(columns="geometry"), hide_index=True, width="stretch")
                if st.button(f"确认导入 {len(result.valid)} 个有效项目", type="primary", key="import_confirm"):
                    batch = uuid.uuid4().hex[:12]
                    try:  # duplicates are checked again inside the write: another server may have won
                        count = db.add_projects(result.valid.drop(columns="geometry").to_dict("records"),
                                                batch_id=batch, source_file=upload.name, actor=importer.username)
                    except (DuplicateProjectsError, StoreError) as exc:
                        st.error(f"未导入：{exc}")
                    else:
                        st.success(f"已导入 {count} 个项目（批次 {batch}）。")
                        st.rerun()
    deleter = may("delete_projects") if db is not None else None
    if imported is not None and len(imported):
        st.markdown("#### 已导入的项目")
        for batch, rows in imported.groupby("batch_id", sort=False):
            c1, c2 = st.columns([4, 1])
            c1.markdown(f"批次 `{md_text(batch)}`：{md_text(rows['source_file'].iloc[0])}，{len(rows)} 个项目，"
                        f"导入于 {rows['imported_at'].iloc[0]:%Y-%m-%d %H:%M} UTC")
            if deleter is None:
                continue
            if st.session_state.get("delete_pending") != batch:
                if c2.button("删除此批", key=f"del-{batch}"):
                    st.session_state["delete_pending"] = batch
                    st.rerun()
                continue
            st.warning(f"确定删除批次 `{md_text(batch)}` 的 {len(rows)} 个项目？删除会记入操作日志，之后可在下方撤销。")
            y, n, _ = st.columns([1, 1, 4])
            if y.button("确认删除", key=f"del-yes-{batch}", type="primary"):
                st.session_state.pop("delete_pending", None)
                try:
                    db.delete_projects(batch_id=batch, actor=deleter.username)
                except StoreError as exc:
                    st.error(f"未删除：{exc}")
                else:
                    st.rerun()
            if n.button("取消", key=f"del-no-{batch}"):
                st.session_state.pop("delete_pending", None)
                st.rerun()
    if deleter is not None:
        try:
            recent = db.deletions(limit=5)
        except StoreError:
            recent = []
        if recent:
            st.markdown("#### 最近的删除（可撤销）")
        for deletion in recent:
            c1, c2 = st.columns([4, 1])
            c1.markdown(f"{deletion.at:%Y-%m-%d %H:%M} UTC，{md_text(deletion.by)} 删除了 {deletion.count} 个项目"
                        f"（批次 {md_text('、'.join(deletion.batches))}，{md_text('、'.join(deletion.source_files))}）")
            if c2.button("撤销删除", key=f"undo-{deletion.deletion_id}"):
                try:
                    db.undo_deletion(deletion.deletion_id, actor=deleter.username)
                except (InputError, StoreError) as exc:
                    st.error(f"未撤销：{exc}")
                else:
                    st.rerun()
