"""Review status (待核实 / 已核实 / 有异议) and comment threads of zones, parks and edges.

Objects are named by ``kind`` (``zone``, ``park``, ``edge``) and an id that
stays the same across versions: the area id (``zone-01``) or, for an edge,
``AREA_ID:SIDE`` (``zone-01:east``), whichever feature makes that side.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from layers.plan.bounds import SIDES
from layers.review.versions import ReviewError, require, write
from layers.store import audit
from layers.store.schema import NOTE_MAX, OBJECT_KINDS, REVIEW_STATUSES, comments, review_status, utcnow

#: An object nobody has marked yet.
DEFAULT_STATUS = REVIEW_STATUSES[0]
#: Map colours of the statuses (unverified grey-blue, verified green, disputed red).
STATUS_COLORS = {"待核实": "#7f8c8d", "已核实": "#27ae60", "有异议": "#c0392b"}
#: The same words from the same person on the same object within this time are a double click, not a comment.
REPEAT_WINDOW = timedelta(minutes=2)
_KIND_LABEL = {"zone": "片区", "park": "园区", "edge": "边界"}


def edge_id(area_id: str, side: str) -> str:
    """The stable id of one side of an area."""
    return f"{area_id}:{side}"


def _check_object(kind: str, object_id: str) -> None:
    if kind not in OBJECT_KINDS:
        raise ReviewError(f"对象类型“{kind}”无效，应为片区、园区或边界")
    if not object_id or len(object_id) > 200:
        raise ReviewError("对象编号无效")
    if kind == "edge" and object_id.rsplit(":", 1)[-1] not in SIDES:
        raise ReviewError(f"边界编号“{object_id}”无效，应为“片区编号:方位”")


def statuses(engine: Engine, kind: str | None = None) -> dict[tuple[str, str], str]:
    """``{(kind, id): status}`` of every object someone has marked."""
    query = select(review_status.c.object_kind, review_status.c.object_id, review_status.c.status)
    if kind:
        query = query.where(review_status.c.object_kind == kind)
    with engine.connect() as conn:
        return {(k, i): s for k, i, s in conn.execute(query).all()}


def status_of(engine: Engine, kind: str, object_id: str) -> str:
    """The status of one object (待核实 until someone marks it)."""
    return statuses(engine, kind).get((kind, object_id), DEFAULT_STATUS)


def set_status(engine: Engine, kind: str, object_id: str, status: str, *, actor: str, role: str | None) -> None:
    """Mark an object 待核实 / 已核实 / 有异议 (editor or higher), recorded in the audit log.

    Raises
    ------
    ReviewError
        Without the role, or for an unknown kind or status.
    """
    require(role, "editor", "标记审查状态")
    _check_object(kind, object_id)
    if status not in REVIEW_STATUSES:
        raise ReviewError(f"状态“{status}”无效，应为：" + "、".join(REVIEW_STATUSES))
    key = (review_status.c.object_kind == kind) & (review_status.c.object_id == object_id)
    with write(engine) as conn:
        before = conn.execute(select(review_status.c.status).where(key)).scalar_one_or_none()
        if before is None:
            conn.execute(insert(review_status).values(object_kind=kind, object_id=object_id, status=status,
                                                      updated_by=actor, updated_at=utcnow()))
        else:
            conn.execute(update(review_status).where(key).values(status=status, updated_by=actor,
                                                                 updated_at=utcnow()))
        audit.record(conn, actor, "review_status", f"{kind} {object_id}",
                     before={"status": before or DEFAULT_STATUS}, after={"status": status})


def add_comment(engine: Engine, kind: str, object_id: str, text: str, *, actor: str, role: str | None) -> None:
    """Add a comment to an object's thread (editor or higher), recorded in the audit log.

    Raises
    ------
    ReviewError
        Without the role, or for an empty or over-long comment.
    """
    require(role, "editor", "发表评论")
    _check_object(kind, object_id)
    text = (text or "").strip()
    if not text:
        raise ReviewError("评论为空：请输入内容")
    if len(text) > NOTE_MAX:
        raise ReviewError(f"评论过长（{len(text)} 字），请控制在 {NOTE_MAX} 字以内")
    with write(engine) as conn:
        last = conn.execute(select(comments.c.text, comments.c.at).where(
            comments.c.object_kind == kind, comments.c.object_id == object_id, comments.c.author == actor)
            .order_by(comments.c.at.desc(), comments.c.id.desc()).limit(1)).first()
        if last is not None and last.text == text and utcnow() - last.at < REPEAT_WINDOW:
            raise ReviewError("刚刚已发表过相同的评论（可能点了两次“发表”），未重复发表")
        conn.execute(insert(comments).values(object_kind=kind, object_id=object_id, author=actor,
                                             at=utcnow(), text=text))
        audit.record(conn, actor, "comment", f"{kind} {object_id}", after={"text": text})


def thread(engine: Engine, kind: str, object_id: str) -> pd.DataFrame:
    """An object's comments, oldest first: who, when (UTC), what."""
    with engine.connect() as conn:
        rows = conn.execute(select(comments.c.author, comments.c.at, comments.c.text)
                            .where(comments.c.object_kind == kind, comments.c.object_id == object_id)
                            .order_by(comments.c.at, comments.c.id)).all()
    return pd.DataFrame([{"作者": a, "时间（UTC）": t.strftime("%Y-%m-%d %H:%M"), "内容": x} for a, t, x in rows],
                        columns=["作者", "时间（UTC）", "内容"])


def status_frame(engine: Engine, areas: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Every zone or park with its status (for a table), in the order given."""
    marked = statuses(engine, kind)
    return pd.DataFrame({"名称": list(areas["name"]),
                         "状态": [marked.get((kind, i), DEFAULT_STATUS) for i in areas["id"]]})
