"""Details panels and tables beside the maps.

Every string that comes from the layers, a file or a user goes through
:func:`layers.escape.md_text` before it reaches Markdown (``st.markdown``,
``st.caption``, ``st.subheader``, ``st.info``); long plan text goes through
``st.text``, which renders nothing. Tables show "—" where a value is missing,
never "None" or "nan".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers.data import Layers
from layers.details import (
    PRECISION_LABELS,
    ROAD_KINDS,
    accuracy_text,
    area_text,
    bounds_rows,
    location_text,
    project_location_text,
    sites_of,
    source_text,
    text_value,
)
from layers.escape import md_text
from layers.maps.exports import number_cell
from layers.plan.bounds import SIDE_NAMES
from layers.project_table import SOURCE_LABELS

MISSING = "—"


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for ``st.dataframe`` with every missing value shown as "—".

    A column of numbers with a gap becomes numbers and "—", which Arrow cannot hold (the server logged a
    traceback for 投资额（万元）): such a column is shown as text, its numbers written as people write them.
    """
    out = pd.DataFrame(frame).astype(object)
    out = out.where(out.notna(), MISSING)
    for col in out.columns:
        values = out[col]
        if values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).any() and \
                (values == MISSING).any():
            out[col] = values.map(lambda v: str(number_cell(float(v))) if isinstance(v, (int, float))
                                  and not isinstance(v, bool) else v)
    return out


def text_or_dash(value) -> str:
    """The value (escaped for Markdown), or a dash when it is missing."""
    text = text_value(value)
    return md_text(text) if text else MISSING


def _list(values) -> list[str]:
    if hasattr(values, "tolist"):
        values = values.tolist()
    return [v for v in values if isinstance(v, str) and v] if isinstance(values, (list, tuple)) else []


def linked_projects(data: Layers, area_name: str) -> pd.DataFrame | None:
    """Projects tied to a zone or park (``None`` until the projects layer exists)."""
    if data.projects is None:
        return None
    mask = (data.projects.get("zone") == area_name) | (data.projects.get("park") == area_name)
    cols = [c for c in ("name", "category_label", "status_label") if c in data.projects]
    return display_frame(pd.DataFrame(data.projects.loc[mask, cols]).rename(
        columns={"name": "项目", "category_label": "类别", "status_label": "状态"}))


def area_details(row: pd.Series, data: Layers) -> None:
    """Everything a user needs about a zone or park, beside the map."""
    st.subheader(md_text(row["name"]))
    kind = "片区" if row["kind"] == "zone" else "园区"
    st.caption(f"{kind} · {md_text(row.get('citation'))}")
    st.markdown("**位置（规划原文）**")
    st.text(location_text(row))
    if text_value(row.get("clause")):
        st.markdown("**边界（东/西/南/北）**")
        st.dataframe(display_frame(pd.DataFrame(bounds_rows(row.get("bounds")))), hide_index=True, width="stretch")
    st.markdown(f"**面积**：{md_text(area_text(row.get('area_ha')))}")
    st.markdown(f"**几何精度**：{md_text(accuracy_text(row.get('geometry_status'), row.get('accuracy_m')))}")
    if text_value(row.get("positioning_phrase")):
        st.markdown(f"**定位（规划原文）**：{md_text(row['positioning_phrase'])}")
    industries = _list(row.get("industries"))
    if industries:
        st.markdown("**主要产业（规划原文）**：" + "、".join(md_text(i) for i in industries))
        snippets = _list(row.get("industries_snippets"))
        if snippets:
            st.caption("出自：" + " / ".join(md_text(s) for s in snippets))
    with st.expander("定位与功能（规划原文）", expanded=False):
        st.text(text_value(row.get("positioning")) or "规划未单独写明")
    linked = linked_projects(data, row["name"])
    if linked is not None:
        st.markdown(f"**相关项目**：{len(linked)} 个")
        if len(linked):
            st.dataframe(linked, hide_index=True, width="stretch")
    if data.targets is not None:
        scoped = data.targets[(data.targets["scope"] == row["name"]) & (data.targets["kind"] == "target")]
        if len(scoped):
            st.markdown("**本区域的规划指标**")
            st.dataframe(display_frame(scoped[["indicator", "comparator", "value", "unit", "year"]].rename(columns={
                "indicator": "指标", "comparator": "比较", "value": "目标", "unit": "单位", "year": "年份"})),
                hide_index=True)
    with st.expander("规划原文全文与出处"):
        st.text(text_value(row.get("description")) or "")
        st.caption(md_text(row.get("citation")))


def road_details(row: pd.Series, data: Layers) -> None:
    """A bounding feature: what it is, how good its line is, which areas it bounds."""
    st.subheader(md_text(row["name"]))
    st.markdown(f"**类型**：{md_text(ROAD_KINDS.get(row['kind'], '地物'))}")
    st.markdown(f"**几何精度**：{md_text(accuracy_text(row.get('geometry_status'), row.get('accuracy_m')))}")
    st.caption(f"来源：{md_text(source_text(row.get('source')))}")
    used = data.edges[data.edges["feature"] == row["name"]]
    if len(used):
        st.markdown("**作为以下区域的边界**")
        st.dataframe(display_frame(pd.DataFrame({"区域": used["area_name"], "方位": used["side"].map(SIDE_NAMES)})),
                     hide_index=True)


def project_details(row: pd.Series) -> None:
    """A project: category, status, where it is, and the plan's own words."""
    st.subheader(md_text(row["name"]))
    st.markdown(f"**类别**：{text_or_dash(row.get('category_label'))} · **状态**：{text_or_dash(row.get('status_label'))}")
    if text_value(row.get("industry")):
        st.markdown(f"**产业**：{md_text(row['industry'])}")
    where = next((row[c] for c in ("zone", "park") if text_value(row.get(c))), None)
    st.markdown(f"**所在片区/园区**：{text_or_dash(where)}")
    st.markdown(f"**位置**：{md_text(project_location_text(row))}")
    st.markdown(f"**来源**：{md_text(SOURCE_LABELS.get(row.get('source'), '用户导入'))}")
    if text_value(row.get("status_words")):
        st.markdown(f"**状态依据**：规划原文“{md_text(row['status_words'])}”")
    quote, citation = status_basis(row)
    if text_value(quote):
        st.markdown("**规划原文**")
        st.text(quote)
        st.caption(md_text(citation))
    project_mentions(row)


def status_basis(row: pd.Series) -> tuple[str | None, str | None]:
    """The quote and citation to show beside a project's status: the mention whose words give it.

    The first mention was shown, so "状态依据：规划原文“为带动”" stood over a sentence without 为带动.
    """
    words = text_value(row.get("status_words"))
    mentions = row.get("mentions") if isinstance(row.get("mentions"), list) else []
    basis = next((m for m in mentions if words and m.get("status_words") == words
                  and words in (m.get("quote") or "")), None)
    if basis is None:
        return row.get("quote"), row.get("citation")
    return basis.get("quote"), basis.get("citation")


def project_mentions(row: pd.Series) -> None:
    """Every place the plan mentions a project: its sentence, citation and the status it words."""
    mentions = row.get("mentions")
    if not isinstance(mentions, list) or not mentions:
        return
    with st.expander(f"规划中的全部提及（{len(mentions)} 处）"):
        for mention in mentions:
            st.text(mention.get("quote") or "")
            status = mention.get("status_label") or "未说明"
            words = f"（“{mention['status_words']}”）" if mention.get("status_words") else ""
            st.caption(md_text(f"{mention.get('citation') or ''} · 状态：{status}{words}"))


def project_group_details(rows: list[pd.Series]) -> None:
    """Several projects at one point: say so, then each one."""
    if len(rows) == 1:
        project_details(rows[0])
        return
    st.markdown(f"**此处有 {len(rows)} 个项目（位置相同）**：" + "、".join(md_text(r["name"]) for r in rows))
    for i, row in enumerate(rows):
        with st.expander(md_text(row["name"]), expanded=i == 0):
            project_details(row)


def feature_details(kind: str, row: pd.Series, data: Layers, *, group: list[pd.Series] | None = None) -> None:
    """Details of whatever was chosen on the map or in the search."""
    if kind in ("zone", "park"):
        area_details(row, data)
    elif kind == "road":
        road_details(row, data)
    elif kind == "project":
        project_group_details(group or [row])


def project_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The projects as a Chinese table: labels, never codes, "—" where unknown."""
    table = pd.DataFrame({
        "项目": frame["name"], "类别": frame["category_label"], "状态": frame["status_label"],
        "片区": frame["zone"], "园区": frame["park"],
        "定位": frame["location_precision"].map(lambda p: PRECISION_LABELS.get(p, MISSING)),
        "来源": frame["source"].map(lambda s: SOURCE_LABELS.get(s, MISSING)),
    })
    return display_frame(table)


def park_location(row) -> str:
    """A park's location for cards: 四至, or its named buildings (never "nan")."""
    return location_text(row)


def park_sites(row) -> list[str]:
    """The buildings/blocks the plan names for a park."""
    return sites_of(row)


def import_preview(valid: pd.DataFrame) -> pd.DataFrame:
    """The rows about to be imported, with Chinese headers and labels, "—" where empty."""
    from layers.plan.projects import CATEGORY_LABELS, STATUS_LABELS
    from layers.store.imports import COLUMN_LABELS, TEMPLATE_COLUMNS

    table = pd.DataFrame(valid.drop(columns=valid.geometry.name) if hasattr(valid, "geometry") else valid).copy()
    table["category"] = table["category"].map(lambda c: CATEGORY_LABELS.get(c, c))
    table["status"] = table["status"].map(lambda s: STATUS_LABELS.get(s, s))
    table["location_precision"] = table["location_precision"].map(lambda p: PRECISION_LABELS.get(p, MISSING))
    for col in ("lon", "lat"):
        table[col] = table[col].map(lambda v: f"{v:.6f}" if isinstance(v, float) and v == v else v)
    columns = [c for c in (*TEMPLATE_COLUMNS, "location_precision") if c in table]
    return display_frame(table[columns].rename(columns=COLUMN_LABELS))
