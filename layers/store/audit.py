"""The append-only audit log: who did what, when, with the state before and after.

Writers call :func:`record` on the connection of their own transaction, so the
change and its log entry commit (or roll back) together. Nothing here updates
or deletes an entry, and the database refuses both (triggers, see migration 0002).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, or_, select

from layers.store.engine import store_errors
from layers.store.schema import audit_log, utcnow

#: Actions the store writes; the review workflow adds its own (proposal, approve, restore…).
ACTION_LABELS = {
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "sign_out": "退出登录",
    "import": "导入项目",
    "delete_projects": "删除项目",
    "undo_delete": "撤销删除",
    "record_target": "记录指标值",
    "delete_target_record": "删除指标记录",
    "user_add": "添加用户",
    "user_change": "修改用户",
    "propose": "提交边界提案",
    "propose_draft": "提案存为草稿（有冲突）",
    "approve": "批准提案",
    "reject": "驳回提案",
    "withdraw": "撤回提案",
    "restore": "恢复旧版本",
    "review_status": "标记审查状态",
    "comment": "发表评论",
}
EXPORT_COLUMNS = {"at": "时间（UTC）", "actor": "操作人", "action": "操作", "target": "对象",
                  "before_json": "修改前", "after_json": "修改后", "detail": "说明"}
#: Cells starting with these are formulas to a spreadsheet (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(conn: Connection, actor: str, action: str, target: str, before: Any = None, after: Any = None,
           detail: str | None = None) -> None:
    """Append one entry inside the caller's transaction.

    Parameters
    ----------
    conn
        The connection of the transaction that makes the change.
    actor
        Username of who did it (``"anonymous"`` for a failed sign-in of an unknown name).
    action
        A short key, e.g. ``"import"``; see :data:`ACTION_LABELS`.
    target
        What was changed, e.g. ``"batch 20261127-0812"`` or ``"user alice"``.
    before, after
        JSON-serialisable state before and after the change (None when not applicable).
    detail
        Free text for people reading the log.
    """
    conn.execute(insert(audit_log).values(at=utcnow(), actor=actor, action=action, target=target,
                                          before_json=_json(before), after_json=_json(after), detail=detail))


@dataclass(frozen=True)
class AuditFilter:
    """What an admin narrows the log to; every field is optional."""

    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    limit: int = 5000


@store_errors
def entries(engine: Engine, flt: AuditFilter = AuditFilter()) -> pd.DataFrame:
    """Log entries matching ``flt``, newest first."""
    query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(flt.limit)
    if flt.actor:
        query = query.where(audit_log.c.actor == flt.actor)
    if flt.action:
        query = query.where(audit_log.c.action == flt.action)
    if flt.since is not None:
        query = query.where(audit_log.c.at >= flt.since)
    if flt.until is not None:
        query = query.where(audit_log.c.at < flt.until)
    if flt.text:
        # The words as typed: "100%" or "a_b" must not act as LIKE's wildcards (either matched every entry).
        typed = flt.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(or_(*(func.lower(c).like(f"%{typed}%", escape="\\") for c in
                                  (audit_log.c.target, audit_log.c.detail, audit_log.c.before_json,
                                   audit_log.c.after_json))))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in audit_log.columns])


@store_errors
def actors(engine: Engine) -> list[str]:
    """Everyone who appears in the log, sorted."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(audit_log.c.actor).distinct()).scalars())


@store_errors
def actions(engine: Engine) -> list[str]:
    """Every action key that appears in the log, sorted."""
    with engine.connect() as conn:
        return sorted(conn.execute(select(audit_log.c.action).distinct()).scalars())


def neutralise(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP: prefix a quote)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(frame: pd.DataFrame) -> bytes:
    """The entries as UTF-8 CSV with a BOM (Excel opens it in Chinese), formula cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    writer.writerow([EXPORT_COLUMNS[c] for c in columns])
    for row in frame[columns].itertuples(index=False):
        writer.writerow([neutralise(v.isoformat(sep=" ", timespec="seconds") if isinstance(v, datetime) else v)
                         for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
