"""项目: the project map with filters, table, details and counts; import of the user's own lists."""

from __future__ import annotations

import uuid

import streamlit as st

from layers.charts import count_bars
from layers.escape import md_text
from layers.maps.legend import category_colors
from layers.maps.views import highlight_group, projects_map
from layers.store.imports import MAX_MEGABYTES, ImportFileError, read_table, template_csv, validate, xlsx_sheet_names
from layers.project_table import SOURCE_LABELS, counts_by_area, filter_projects
from layers.store.database import DuplicateProjectsError, InputError, StoreError
from pages._print import print_map_buttons
from pages.common import (current_basemap, ensure_frame, layers, may, say, shared_map, sign_in_hint, store,
                          two_step)
from pages.map_widget import map_value, show_map
from pages.panels import import_preview, project_group_details, project_table
from pages.shared_data import imports_changed



@st.cache_data(max_entries=4, show_spinner="正在读取文件…")
def read_upload(content: bytes, filename: str, sheet: str | None):
    """The parsed upload, once per file and sheet (a rerun never parses it again)."""
    return read_table(content, filename, sheet=sheet)


@st.cache_data(max_entries=4, show_spinner=False)
def _sheets(content: bytes, filename: str) -> list[str]:
    return xlsx_sheet_names(content, filename)


def choose_sheet(upload) -> str | None:
    """For an XLSX with several sheets, let the user choose one (the first by default)."""
    if not upload.name.lower().endswith(".xlsx"):
        return None
    sheets = _sheets(upload.getvalue(), upload.name)
    if len(sheets) < 2:
        return None
    return st.selectbox(f"此文件有 {len(sheets)} 个工作表，请选择要导入的一个", sheets, key="import_sheet")


ensure_frame()
data = layers()
basemap = current_basemap()
db = store()
try:
    imported = db.projects() if db is not None else None
except StoreError:
    imported = None  # the banner above the page says why; the plan's projects still show
# The plan's and the imported projects, one shared copy per layer version and imports (see pages/shared_data.py).
combined = layers(with_imports=True)
projects = combined.projects

st.title("项目")
map_tab, import_tab = st.tabs(["项目地图", "导入项目清单"])

with map_tab:
    if not len(projects):
        st.info("还没有项目：项目图层尚未构建（运行 python -m layers.build），也没有导入的项目。")
    else:
        f1, f2, f3, f4 = st.columns(4)
        categories = f1.multiselect("类别", sorted(projects["category_label"].dropna().unique()), key="f_cat",
                                    placeholder="全部", select_all=False)
        statuses = f2.multiselect("状态", sorted(projects["status_label"].dropna().unique()), key="f_status",
                                  placeholder="全部", select_all=False)
        areas = [""] + list(data.zones["name"]) + list(data.parks["name"])
        area = f3.selectbox("片区/园区", areas, key="f_area", format_func=lambda a: a or "全部")
        sources = f4.multiselect("来源", list(SOURCE_LABELS.values()), key="f_source", placeholder="全部",
                                 select_all=False)
        shown = filter_projects(projects, categories=categories, statuses=statuses, area=area, sources=sources)
        located = shown[shown.geometry.notna() & ~shown.geometry.is_empty]
        unlocated = shown[~shown.index.isin(located.index)]
        st.caption(f"共 {len(shown)} 个项目：上图 {len(located)} 个，未定位 {len(unlocated)} 个（只在列表中）。")

        # A click on a marker chooses that project (and lists any others at the same point).
        clicked = (map_value("projects_map").get("last_active_drawing") or {}).get("properties") or {}
        ids = list(shown["id"])
        if clicked.get("id") in ids and clicked != st.session_state.get("projects_clicked"):
            st.session_state["projects_clicked"] = clicked
            st.session_state["project_pick"] = clicked["id"]
            st.session_state["project_group"] = [i for i in clicked.get("ids") or [] if i in ids]
        if st.session_state.get("project_pick") not in ids:
            st.session_state["project_pick"] = None
        pick = st.session_state.get("project_pick")
        group = st.session_state.get("project_group") or []
        group = group if pick in group else [pick] if pick else []

        map_col, side_col = st.columns([3, 1], gap="medium")
        with map_col:
            filters = (tuple(categories), tuple(statuses), area, tuple(sources))
            payload = shared_map("projects", combined.version_key, basemap,
                                 lambda assets: projects_map(data, located, basemap, assets), filters)
            chosen = [shown.loc[shown["id"] == i].geometry.iloc[0] for i in group]
            show_map(payload, key="projects_map", feature_groups=[highlight_group(chosen, basemap)],
                     returned=("last_active_drawing",))
            chosen = [("类别", categories), ("状态", statuses), ("片区/园区", [area] if area else []), ("来源", sources)]
            filters_note = "；".join(f"{what}：{'、'.join(values)}" for what, values in chosen if values)
            print_map_buttons(combined, key="print-projects", projects=shown, stem="潍城区项目分布图",
                              note=f"仅含筛选出的项目（{filters_note}）" if filters_note else None)
        with side_col:
            st.markdown(f"**未定位项目**（规划未说明位置，{len(unlocated)} 个）")
            # The plan names some 170 projects without a place: they scroll beside the map.
            with st.container(height=560):
                st.markdown("\n".join(f"- {md_text(name)}" for name in unlocated["name"]) or "—")

        st.dataframe(project_table(shown), hide_index=True, width="stretch")

        names = dict(zip(shown["id"], shown["name"]))
        st.selectbox("项目详情", ids, key="project_pick", format_func=lambda i: str(names.get(i, i)),
                     placeholder="选择或在地图上单击一个项目")
        if pick:
            rows = [shown[shown["id"] == i].iloc[0] for i in group]
            project_group_details(rows)

        st.markdown("#### 各片区/园区项目数量（按类别）")
        counts = counts_by_area(shown)
        palette = category_colors(counts.columns)
        st.altair_chart(count_bars(counts, row="片区/园区", value="项目数", stack="类别", colors=palette),
                        width="stretch")

with import_tab:
    st.markdown("上传 CSV 或 XLSX。列：`name`（名称，必填）、`category`、`status`、`investment_10k_yuan`（万元）、"
                "`start_year`，以及 `lon`,`lat`（经纬度）或 `zone`/`park`（片区/园区名称）。CSV 可为 UTF-8 或 GBK 编码。")
    st.download_button("下载导入模板（CSV）", template_csv(), file_name="项目导入模板.csv", mime="text/csv")
    importer = may("import") if db is not None else None
    if importer is None:
        sign_in_hint("导入项目清单")
    if done := st.session_state.pop("import_done", None):
        st.success(done)  # said after the rerun that shows the new projects (before it, it was never seen)
    # A new key per import empties the box: the stored file's rows would otherwise all read as duplicates.
    upload = None if importer is None else st.file_uploader(
        f"项目清单（CSV 或 XLSX，不超过 {MAX_MEGABYTES} MB）", type=["csv", "xlsx"],
        key=f"project_upload-{st.session_state.get('imports_done', 0)}")
    datum = st.radio("坐标系", ["wgs84", "gcj02"], horizontal=True, key="import_datum",
                     format_func=lambda d: {"wgs84": "WGS-84（GPS、天地图、OpenStreetMap）",
                                            "gcj02": "GCJ-02（高德、腾讯地图拾取的坐标）"}[d])
    if upload is not None:
        try:
            sheet = choose_sheet(upload)
            frame = read_upload(upload.getvalue(), upload.name, sheet)
        except ImportFileError as exc:
            st.error(f"无法导入：{say(exc)}")
        else:
            if frame.attrs.get("header_line", 1) > 1:
                st.caption(f"表头在第 {frame.attrs['header_line']} 行：上面的标题行未导入。")
            if frame.attrs.get("ignored_columns"):
                st.warning("以下列不是模板中的列，未导入：" + "、".join(md_text(c) for c in frame.attrs["ignored_columns"])
                           + "。列名应为模板中的名称（或中文列名，如 名称、投资额、经度），且只占一行表头。")
            result = validate(frame, datum=datum, zones=data.zones, parks=data.parks,
                              district=data.district.geometry.iloc[0],
                              existing_names=set(imported["name"]) if imported is not None else set())
            st.markdown(f"共 {result.total} 行：**{len(result.valid)} 行有效**，{len(result.errors)} 处问题。")
            if result.errors:
                st.warning("以下行有问题，不会导入：")
                st.dataframe(result.errors_frame(), hide_index=True, width="stretch")
            if len(result.valid):
                st.dataframe(import_preview(result.valid), hide_index=True, width="stretch")
                if st.button(f"确认导入 {len(result.valid)} 个有效项目", type="primary", key="import_confirm"):
                    batch = uuid.uuid4().hex[:12]
                    try:  # duplicates are checked again inside the write: another server may have won
                        count = db.add_projects(result.records(),
                                                batch_id=batch, source_file=upload.name, actor=importer.username)
                    except (DuplicateProjectsError, StoreError) as exc:
                        st.error(f"未导入：{say(exc)}")
                    else:
                        imports_changed()
                        st.session_state["import_done"] = (f"已导入 {count} 个项目（{md_text(upload.name)}，"
                                                           f"批次 {batch}），已显示在项目表和地图上。")
                        st.session_state["imports_done"] = st.session_state.get("imports_done", 0) + 1
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
            question = f"确定删除批次 `{md_text(batch)}` 的 {len(rows)} 个项目？删除会记入操作日志，之后可在下方撤销。"
            if two_step("del", batch, start=c2, label="删除此批", question=question, yes="确认删除"):
                try:
                    db.delete_projects(batch_id=batch, actor=deleter.username)
                except StoreError as exc:
                    st.error(f"未删除：{say(exc)}")
                else:
                    imports_changed()
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
                    st.error(f"未撤销：{say(exc)}")
                else:
                    imports_changed()
                    st.rerun()
