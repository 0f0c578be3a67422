"""Boundary proposals: submit (with their effect), conflicts, approve into a new version, reject.

An editor submits a :class:`~layers.review.rebuild.Change` against the version
they looked at. Its effect on every zone and park concerned is computed with
the build's code and stored with it, failing checks included (a failing
proposal needs a reason). When another proposal touching the same edge or
line is pending, or was approved after that version, the new one is kept as a
draft and the editor is told who changed it and when. Approval applies the
change to the latest version and stores the result as the next version, all
in one transaction with the audit entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from layers.paths import GEODATA
from layers.review.diff import changes_frame, lines_frame
from layers.review.effect import Effect, effect
from layers.review.rebuild import KINDS, Change, ChangeError, describe, find_area, rebuild, touched
from layers.review.versions import ReviewError, add_version, files_of, latest, latest_number, require, write
from layers.store import audit
from layers.store.schema import NOTE_MAX, layer_versions, proposals, utcnow

STATUS_LABEL = {"draft": "草稿", "pending": "待审核", "approved": "已批准", "rejected": "已驳回",
                "superseded": "已被取代", "withdrawn": "已撤回"}
#: What an author may still withdraw: nothing is decided yet.
WITHDRAWABLE = ("draft", "pending")
_RETRIES = 3


@dataclass
class Proposal:
    """A stored proposal with its change and the effect recorded when it was submitted."""

    id: int
    change: Change
    status: str
    base_version: int
    author: str
    created_at: datetime
    updated_at: datetime
    reason: str | None
    summary: str
    touches: set[str]
    effect: dict = field(default_factory=dict)
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None

    @property
    def failures(self) -> list[str]:
        """The checks that failed when it was submitted (what the approver must weigh)."""
        return list(self.effect.get("failures") or [])


@dataclass
class Submitted:
    """What happened to a submission: ``pending``, or ``draft`` with the conflict message."""

    id: int
    status: str
    conflict: str | None = None


def _text(value: str | None, what: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ReviewError(f"请填写{what}")
    if len(value) > NOTE_MAX:
        raise ReviewError(f"{what}过长（{len(value)} 字），请控制在 {NOTE_MAX} 字以内")
    return value


def _effect_record(eff: Effect) -> dict:
    return {"failures": eff.failures,
            "areas": changes_frame(eff.areas).to_dict("records"),
            "lines": lines_frame(eff.lines).to_dict("records")}


def _columns(change: Change, files: dict[str, str]) -> dict:
    area_kind = find_area(files, change.area_id)["properties"]["kind"] if change.area_id else None
    return {"kind": change.kind, "area_kind": area_kind, "area_id": change.area_id, "side": change.side,
            "feature_name": change.feature if change.kind != "text" else None}


def _row_to_proposal(row) -> Proposal:
    payload = json.loads(row.payload_json)
    return Proposal(id=row.id, change=Change.from_payload(payload["change"]), status=row.status,
                    base_version=row.base_version, author=row.author, created_at=row.created_at,
                    updated_at=row.updated_at, reason=row.reason, summary=payload.get("summary", ""),
                    touches=set(payload.get("touches") or []), effect=json.loads(row.checks_json or "{}"),
                    decided_by=row.decided_by, decided_at=row.decided_at, decision_reason=row.decision_reason)


def get(engine: Engine, proposal_id: int) -> Proposal:
    """One proposal.

    Raises
    ------
    ReviewError
        When it does not exist.
    """
    with engine.connect() as conn:
        row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).one_or_none()
    if row is None:
        raise ReviewError(f"没有编号为 #{proposal_id} 的提案")
    return _row_to_proposal(row)


def listing(engine: Engine, status: str | None = None) -> list[Proposal]:
    """Proposals, newest first, optionally of one status."""
    query = select(proposals).order_by(proposals.c.id.desc())
    if status:
        query = query.where(proposals.c.status == status)
    with engine.connect() as conn:
        return [_row_to_proposal(row) for row in conn.execute(query).all()]


def listing_frame(items: list[Proposal]) -> pd.DataFrame:
    """Proposals for a table (Chinese headers, UTC times). 处理人 approved, rejected or (the author)
    withdrew the proposal."""
    return pd.DataFrame([{
        "编号": f"#{p.id}", "类型": KINDS.get(p.change.kind, p.change.kind), "内容": p.summary,
        "状态": STATUS_LABEL.get(p.status, p.status), "提出人": p.author,
        "提出时间（UTC）": p.created_at.strftime("%Y-%m-%d %H:%M"), "基于版本": p.base_version,
        "检查": "；".join(p.failures) if p.failures else "全部通过",
        "处理人": p.decided_by or "—", "处理意见": p.decision_reason or "—",
    } for p in items], columns=["编号", "类型", "内容", "状态", "提出人", "提出时间（UTC）", "基于版本", "检查",
                                "处理人", "处理意见"])


def _conflict(conn: Connection, own_id: int, touches: set[str], base_version: int) -> str | None:
    """A message naming who changed the same edge or line (pending, or approved after the base version),
    or who restored an old version after the base version."""
    newer = select(layer_versions.c.proposal_id).where(layer_versions.c.number > base_version,
                                                       layer_versions.c.proposal_id.is_not(None))
    rows = conn.execute(select(proposals).where(
        proposals.c.id != own_id,
        (proposals.c.status == "pending") | ((proposals.c.status == "approved") & proposals.c.id.in_(newer)))
        .order_by(proposals.c.id)).all()
    restored = conn.execute(select(layer_versions).where(layer_versions.c.number > base_version,
                                                         layer_versions.c.restored_from.is_not(None))
                            .order_by(layer_versions.c.number)).first()
    if restored is not None:  # a restore may have changed any edge: look at the latest version first
        return (f"冲突：您依据的第 {base_version} 版之后，{restored.created_by} 于 {restored.created_at:%Y-%m-%d %H:%M} UTC "
                f"将图层恢复为第 {restored.restored_from} 版（新的第 {restored.number} 版）。您的提案已保存为草稿（未提交），"
                "请切换到最新版本核对后再提交。")
    for row in rows:
        other = _row_to_proposal(row)
        if other.touches & touches:
            when = (other.decided_at if other.status == "approved" else other.updated_at)
            who = other.decided_by if other.status == "approved" else other.author
            verb = f"由 {other.author} 提出、{who} 批准" if other.status == "approved" else f"由 {who} 提交、正在等待审核"
            return (f"冲突：同一边界已被修改——提案 #{other.id}（{other.summary}）{verb}，"
                    f"时间 {when:%Y-%m-%d %H:%M} UTC。您的提案已保存为草稿（未提交），"
                    "请切换到最新版本核对后再提交。")
    return None


def submit(engine: Engine, change: Change, *, actor: str, role: str | None, reason: str = "",
           base_version: int | None = None, proposal_id: int | None = None,
           geodata: Path = GEODATA) -> Submitted:
    """Submit a change for approval (or resubmit one's own draft).

    Parameters
    ----------
    change
        The proposed change.
    actor, role
        Who submits; needs the editor role or higher.
    reason
        Why; required when the change makes a check fail.
    base_version
        The version the editor looked at (default: the latest).
    proposal_id
        Resubmit this draft of the same author instead of creating a new proposal.

    Raises
    ------
    ReviewError
        Without the role, when the change cannot be built, or when it fails a
        check and no reason is given.
    """
    require(role, "editor", "提交提案")
    reason = _text(reason, "理由")
    base = latest(engine) if base_version is None else base_version
    files = files_of(engine, base, geodata)
    try:
        eff = effect(files, change)
    except ChangeError as exc:
        raise ReviewError(str(exc)) from None
    if eff.failures and not reason:
        raise ReviewError("该提案有未通过的检查：" + "；".join(eff.failures) + "。如仍要提交，请在“理由”中说明原因")
    values = {**_columns(change, files), "payload_json": json.dumps(
        {"change": change.to_payload(), "touches": sorted(touched(files, change)),
         "summary": describe(files, change)}, ensure_ascii=False),
        "checks_json": json.dumps(_effect_record(eff), ensure_ascii=False), "reason": reason or None,
        "status": "pending", "base_version": base, "author": actor, "updated_at": utcnow()}
    with write(engine) as conn:
        _not_sent_already(conn, change, actor, proposal_id)
        if proposal_id is None:
            pid = conn.execute(insert(proposals).values(**values, created_at=utcnow())
                               .returning(proposals.c.id)).scalar_one()
        else:
            _own_draft(conn, proposal_id, actor)
            conn.execute(update(proposals).where(proposals.c.id == proposal_id).values(**values))
            pid = proposal_id
        conflict = _conflict(conn, pid, set(json.loads(values["payload_json"])["touches"]), base)
        if conflict:
            conn.execute(update(proposals).where(proposals.c.id == pid).values(status="draft"))
        audit.record(conn, actor, "propose" if not conflict else "propose_draft", f"proposal {pid}",
                     after={"status": "draft" if conflict else "pending", "change": change.to_payload(),
                            "base_version": base, "failures": eff.failures},
                     detail=conflict or reason or None)
    return Submitted(pid, "draft" if conflict else "pending", conflict)


def _not_sent_already(conn: Connection, change: Change, actor: str, proposal_id: int | None) -> None:
    """Refuse the same change from the same author while it waits: a second click on 提交审核 made a draft
    that "conflicted" with the author's own proposal, and could never be resubmitted once that was approved."""
    mine = conn.execute(select(proposals.c.id, proposals.c.payload_json).where(
        (proposals.c.author == actor) & proposals.c.status.in_(WITHDRAWABLE))).all()
    same = json.dumps(change.to_payload(), sort_keys=True)
    for row in mine:
        if row.id != proposal_id and json.dumps(json.loads(row.payload_json)["change"], sort_keys=True) == same:
            raise ReviewError(f"您已提交过相同的修改（提案 #{row.id}），它仍在等待处理，无需再次提交。"
                              "如需改动，请先撤回它。")


def _own_draft(conn: Connection, proposal_id: int, actor: str) -> None:
    row = conn.execute(select(proposals.c.status, proposals.c.author)
                       .where(proposals.c.id == proposal_id)).one_or_none()
    if row is None or row.author != actor or row.status != "draft":
        raise ReviewError(f"提案 #{proposal_id} 不是您的草稿，不能重新提交")


def _decide(conn: Connection, proposal_id: int, status: str, actor: str, reason: str) -> None:
    conn.execute(update(proposals).where(proposals.c.id == proposal_id).values(
        status=status, decided_by=actor, decided_at=utcnow(), decision_reason=reason or None,
        updated_at=utcnow()))


def _pending(conn: Connection, proposal_id: int) -> None:
    status = conn.execute(select(proposals.c.status).where(proposals.c.id == proposal_id)).scalar_one_or_none()
    if status is None:
        raise ReviewError(f"没有编号为 #{proposal_id} 的提案")
    if status != "pending":
        raise ReviewError(f"提案 #{proposal_id} 当前状态为“{STATUS_LABEL.get(status, status)}”，只能审核待审核的提案")


def approve(engine: Engine, proposal_id: int, *, actor: str, role: str | None, reason: str = "",
            geodata: Path = GEODATA) -> int:
    """Approve a pending proposal: apply it to the latest version and store the next version.

    Returns
    -------
    int
        The new version's number.

    Raises
    ------
    ReviewError
        Without the approver role, for the proposal's own author, when the proposal is not
        pending, or when it no longer builds on the latest version.
    """
    require(role, "approver", "批准提案")
    reason = _text(reason, "审核意见")
    for _ in range(_RETRIES):
        proposal = get(engine, proposal_id)
        if proposal.status != "pending":
            raise ReviewError(f"提案 #{proposal_id} 当前状态为“{STATUS_LABEL.get(proposal.status)}”，只能审核待审核的提案")
        if proposal.author == actor:  # two people: one proposes, another approves
            raise ReviewError(f"提案 #{proposal_id} 是您本人提出的，不能由您批准：请由另一位审核人或管理员审核。")
        current = latest(engine)
        change = proposal.change
        change.label = f"提案 #{proposal_id}（{proposal.author} 提出，{actor} 批准）"
        try:
            rebuilt = rebuild(files_of(engine, current, geodata), change)
        except ChangeError as exc:
            raise ReviewError(f"提案 #{proposal_id} 无法应用到当前第 {current} 版：{exc}") from None
        with write(engine) as conn:
            if latest_number(conn) != current:
                continue  # another version landed meanwhile: rebuild on top of it
            _pending(conn, proposal_id)
            number = add_version(conn, rebuilt.files, actor=actor, proposal_id=proposal_id,
                                 note=f"批准提案 #{proposal_id}：{proposal.summary}")
            _decide(conn, proposal_id, "approved", actor, reason)
            audit.record(conn, actor, "approve", f"proposal {proposal_id}",
                         before={"status": "pending", "version": current},
                         after={"status": "approved", "version": number}, detail=reason or None)
        return number
    raise ReviewError("其他审核人正在批准提案，请稍后重试")


def withdraw(engine: Engine, proposal_id: int, *, actor: str, role: str | None, reason: str = "") -> None:
    """The author takes back a draft or pending proposal; it stays listed as 已撤回.

    Raises
    ------
    ReviewError
        Without the editor role, for someone else's proposal, or when it was decided meanwhile.
    """
    require(role, "editor", "撤回提案")
    reason = _text(reason, "撤回理由")
    with write(engine) as conn:
        row = conn.execute(select(proposals.c.status, proposals.c.author)
                           .where(proposals.c.id == proposal_id)).one_or_none()
        if row is None:
            raise ReviewError(f"没有编号为 #{proposal_id} 的提案")
        if row.author != actor:
            raise ReviewError(f"提案 #{proposal_id} 由 {row.author} 提出：只有提出人本人可以撤回")
        if row.status not in WITHDRAWABLE:
            raise ReviewError(f"提案 #{proposal_id} 当前状态为“{STATUS_LABEL.get(row.status, row.status)}”，"
                              "只能撤回草稿或待审核的提案")
        _decide(conn, proposal_id, "withdrawn", actor, reason)
        audit.record(conn, actor, "withdraw", f"proposal {proposal_id}", before={"status": row.status},
                     after={"status": "withdrawn"}, detail=reason or None)


def reject(engine: Engine, proposal_id: int, *, actor: str, role: str | None, reason: str) -> None:
    """Reject a pending proposal with a reason.

    Raises
    ------
    ReviewError
        Without the approver role or a reason, or when the proposal is not pending.
    """
    require(role, "approver", "驳回提案")
    reason = _text(reason, "驳回理由", required=True)
    with write(engine) as conn:
        _pending(conn, proposal_id)
        _decide(conn, proposal_id, "rejected", actor, reason)
        audit.record(conn, actor, "reject", f"proposal {proposal_id}", before={"status": "pending"},
                     after={"status": "rejected"}, detail=reason)


def preview_files(engine: Engine, proposal_id: int, geodata: Path = GEODATA) -> dict[str, str]:
    """The layers as they would be if the proposal were approved now (on the latest version).

    Raises
    ------
    ReviewError
        When it no longer builds on the latest version.
    """
    proposal = get(engine, proposal_id)
    try:
        return rebuild(files_of(engine, latest(engine), geodata), proposal.change).files
    except ChangeError as exc:
        raise ReviewError(f"提案 #{proposal_id} 无法应用到当前版本：{exc}") from None
