"""The audit log in words: what an entry's object and its before/after state are, in Chinese.

The log itself keeps machine-readable keys ("user admin1") and JSON (``{"active": true,
"email": null}``); the CSV export keeps them as they are. The 管理 page shows this reading.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from layers.plan.bounds import ALL_SIDE_NAMES
from layers.store.audit import AuditFilter, entries
from layers.store.users import ROLE_LABELS

#: The object an entry is about: "<kind> <id>".
TARGET_KINDS = {"user": "用户", "proposal": "提案 #", "batch": "导入批次 #", "deletion": "删除操作 #",
                "target": "指标", "zone": "片区", "park": "园区", "edge": "边界", "road": "道路",
                "project": "项目"}
#: Fields of the before/after states the store and the review workflow write.
FIELDS = {
    "active": "启用", "display_name": "显示名", "email": "邮箱", "role": "角色", "username": "用户名",
    "status": "状态", "version": "版本", "restored_from": "恢复自版本", "base_version": "基于版本",
    "change": "修改", "failures": "未通过的检查", "text": "内容", "source_file": "文件", "count": "条数",
    "names": "名称", "batches": "导入批次", "projects": "项目", "id": "编号", "name": "名称",
    "value": "数值", "recorded_by": "记录人", "recorded_on": "日期", "note": "备注", "target_id": "指标",
    "created_by": "录入人", "kind": "类型", "area_id": "区域", "side": "侧", "feature": "地物",
    "clause": "四至文字", "geometry": "线位", "accuracy_m": "精度（米）", "how": "来源说明", "label": "说明",
}
#: Codes among the values.
VALUES = {"pending": "待审核", "approved": "已批准", "rejected": "已驳回", "draft": "草稿", "withdrawn": "已撤回",
          "feature": "改为另一地物", "text": "改写四至文字", "line": "修正线位", **ALL_SIDE_NAMES, **ROLE_LABELS}
#: Lists longer than this are cut, with the count of what was left out.
SHOWN_ITEMS = 5


def actor_label(actor: str) -> str:
    """Who acted: a user name, or 系统 for what the app did itself (imports and writes without a user)."""
    return "系统" if actor == "system" else str(actor)


def target_label(target: str) -> str:
    """``"user admin1"`` → ``"用户 admin1"``, ``"layers v3"`` → ``"图层第 3 版"``; unknown kinds as they are."""
    kind, _, rest = str(target).partition(" ")
    if kind == "layers" and rest.startswith("v") and rest[1:].isdigit():
        return f"图层第 {rest[1:]} 版"
    label = TARGET_KINDS.get(kind)
    if label is None or not rest:
        return str(target)
    return f"{label}{rest}" if label.endswith("#") else f"{label} {rest}"


def _value(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "coordinates" in value and "type" in value:
            return "（线位几何，见提案）"
        return f"（{_fields(value)}）"
    if isinstance(value, list):
        shown = "、".join(_value(v, key) for v in value[:SHOWN_ITEMS])
        return shown + (f" 等 {len(value)} 项" if len(value) > SHOWN_ITEMS else "") if value else "—"
    if isinstance(value, str) and key in ("status", "role", "kind", "side"):
        return VALUES.get(value, value)
    return str(value)


def _fields(state: dict) -> str:
    return "；".join(f"{FIELDS.get(k, k)}：{_value(v, k)}" for k, v in state.items())


def state_text(state: str | None) -> str:
    """A before/after state (JSON text) as "字段：值；…"; empty when there is none.

    Text that is not JSON (an entry written by hand) is shown as it is.
    """
    if not isinstance(state, str) or not state:  # no state: None, or pandas' NaN in a frame's column
        return ""
    try:
        value = json.loads(state)
    except (TypeError, ValueError):
        return str(state)
    return _fields(value) if isinstance(value, dict) else _value(value)


def readable(log: pd.DataFrame) -> pd.DataFrame:
    """The log's actor, object, note and states in words (the columns keep their names)."""
    return log.assign(actor=log["actor"].map(actor_label), target=log["target"].map(target_label),
                      detail=log["detail"].fillna(""),  # a table shows a missing note as "None"
                      before_json=log["before_json"].map(state_text), after_json=log["after_json"].map(state_text))


def search(engine: Engine, flt: AuditFilter) -> pd.DataFrame:
    """Entries matching ``flt``, newest first, as stored; ``flt.text`` matches what is stored or what is shown.

    An admin reads "角色：管理员" and searches for 管理员, which the stored JSON writes as "admin":
    the newest ``flt.limit`` entries that match the other fields are searched in words as well.
    """
    stored = entries(engine, flt)
    if not flt.text:
        return stored
    recent = entries(engine, replace(flt, text=None))
    shown = readable(recent)[["actor", "target", "detail", "before_json", "after_json"]].fillna("").astype(str)
    in_words = recent[shown.apply(lambda col: col.str.contains(flt.text, case=False, regex=False)).any(axis=1)]
    both = pd.concat([stored, in_words[~in_words["id"].isin(stored["id"])]])
    return both.sort_values(["at", "id"], ascending=False).head(flt.limit).reset_index(drop=True)
