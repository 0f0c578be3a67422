"""Proposals, conflicts, approval into numbered versions, restore, release, status and comments.

Runs on SQLite and, when ``WEICHENG_TEST_PG`` is set, on PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import geopandas as gpd
import pyogrio
import pytest
from shapely import affinity
from shapely.geometry import mapping, shape

from layers.geometry.crs import to_metric
from layers.review import proposals, status, versions
from layers.review.rebuild import Change, base_files, features_of, find_area
from layers.review.versions import ReviewError
from layers.store.audit import entries

ROAD = "清平路"


def _road(files):
    return next(shape(f["geometry"]) for f in features_of(files, "gazetteer.geojson")
                if f["properties"]["name"] == ROAD)


def _moved(dx=0.002):
    return Change("line", feature=ROAD, geometry=mapping(affinity.translate(_road(base_files()), xoff=dx)),
                  accuracy_m=10, how="测试描绘")


def _actions(db):
    return list(entries(db)["action"])


def test_editor_submits_and_the_effect_is_stored_with_an_audit_entry(db):
    sent = proposals.submit(db, _moved(), actor="zhang", role="editor")
    assert sent.status == "pending" and sent.conflict is None
    p = proposals.get(db, sent.id)
    assert p.author == "zhang" and p.base_version == 0 and p.status == "pending"
    assert {row["对象"] for row in p.effect["areas"]} == {"站南片区", "宝通片区", "仓南片区"}
    assert p.failures == []
    assert f"feature:{ROAD}" in p.touches
    log = entries(db)
    assert list(log["action"]) == ["propose"] and list(log["actor"]) == ["zhang"]
    assert json.loads(log["after_json"][0])["status"] == "pending"


@pytest.mark.parametrize("role", [None, "", "viewer"])
def test_without_the_editor_role_nothing_is_written(db, role):
    with pytest.raises(ReviewError, match="编辑"):
        proposals.submit(db, _moved(), actor="x", role=role)
    assert proposals.listing(db) == [] and _actions(db) == []


def test_an_approver_cannot_approve_their_own_proposal(db):
    """One person proposed and approved: the second pair of eyes was missing."""
    pid = proposals.submit(db, _moved(), actor="li", role="approver").id
    with pytest.raises(ReviewError, match="您本人提出"):
        proposals.approve(db, pid, actor="li", role="approver")
    assert proposals.get(db, pid).status == "pending" and versions.latest(db) == 0
    assert proposals.approve(db, pid, actor="wang", role="admin") == 1


def test_editor_cannot_approve_or_restore_approver_can(db):
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    with pytest.raises(ReviewError, match="审核"):
        proposals.approve(db, pid, actor="zhang", role="editor")
    with pytest.raises(ReviewError, match="审核"):
        versions.restore(db, 0, actor="zhang", role="editor")
    assert versions.latest(db) == 0
    number = proposals.approve(db, pid, actor="li", role="approver", reason="与卫星影像一致")
    assert number == 1 and versions.latest(db) == 1
    p = proposals.get(db, pid)
    assert (p.status, p.decided_by, p.decision_reason) == ("approved", "li", "与卫星影像一致")
    v1 = versions.files_of(db, 1)
    before = to_metric(shape(find_area(base_files(), "zone-01")["geometry"]))
    after = to_metric(shape(find_area(v1, "zone-01")["geometry"]))
    assert before.area - after.area > 10_000  # the west edge moved ~180 m east: > 1 ha smaller
    assert _road(v1).equals_exact(shape(_moved().geometry), 1e-6)
    assert versions.files_of(db, 0) == base_files()  # version 0 untouched
    assert _actions(db) == ["approve", "propose"]
    history = versions.history(db)
    assert [v.number for v in history] == [1, 0] and history[0].proposal_id == pid


def test_second_editor_on_the_same_edge_gets_a_conflict_naming_who_and_when_and_keeps_a_draft(db):
    first = proposals.submit(db, _moved(), actor="zhang", role="editor")
    swap = Change("feature", area_id="zone-01", side="west", feature="长松路")
    second = proposals.submit(db, swap, actor="wang", role="editor", reason="按批复")
    assert second.status == "draft"
    assert "zhang" in second.conflict and f"#{first.id}" in second.conflict and "UTC" in second.conflict
    when = proposals.get(db, first.id).updated_at.strftime("%Y-%m-%d %H:%M")
    assert when in second.conflict
    assert proposals.get(db, second.id).status == "draft"
    # once the first is approved, the draft based on version 0 still conflicts, now naming the approver
    proposals.approve(db, first.id, actor="li", role="approver")
    again = proposals.submit(db, swap, actor="wang", role="editor", reason="按批复", base_version=0,
                             proposal_id=second.id)
    assert again.status == "draft" and "li 批准" in again.conflict
    # rebased on the latest version it goes through
    ok = proposals.submit(db, swap, actor="wang", role="editor", reason="按批复", proposal_id=second.id)
    assert ok.status == "pending" and ok.conflict is None and proposals.get(db, second.id).base_version == 1


def test_a_different_edge_does_not_conflict(db):
    proposals.submit(db, _moved(), actor="zhang", role="editor")
    other = proposals.submit(db, Change("text", area_id="park-02", clause="位于杏乐路以东、银河路以西、北宫西街以南、胜利西街以北"),
                             actor="wang", role="editor", reason="测试")
    assert other.status == "pending"


def test_only_the_author_may_resubmit_a_draft(db):
    proposals.submit(db, _moved(), actor="zhang", role="editor")
    draft = proposals.submit(db, _moved(0.001), actor="wang", role="editor")
    assert draft.status == "draft"
    with pytest.raises(ReviewError, match="不是您的草稿"):
        proposals.submit(db, _moved(0.001), actor="zhou", role="editor", proposal_id=draft.id)


def test_a_failing_proposal_needs_a_reason_and_the_approver_sees_the_failure(db):
    overlap = Change("feature", area_id="zone-02", side="west", feature="西环路")
    with pytest.raises(ReviewError) as info:
        proposals.submit(db, overlap, actor="zhang", role="editor")
    assert "未通过的检查" in str(info.value) and "利昌片区" in str(info.value)
    assert proposals.listing(db) == []
    sent = proposals.submit(db, overlap, actor="zhang", role="editor", reason="规划调整后两片区合并")
    p = proposals.get(db, sent.id)
    assert p.reason == "规划调整后两片区合并"
    assert any("利昌片区" in f and "重叠" in f for f in p.failures)
    assert "重叠" in proposals.listing_frame([p])["检查"][0]


def test_rejecting_needs_a_reason_and_leaves_the_version(db):
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    with pytest.raises(ReviewError, match="驳回理由"):
        proposals.reject(db, pid, actor="li", role="approver", reason="  ")
    proposals.reject(db, pid, actor="li", role="approver", reason="与现状不符")
    assert proposals.get(db, pid).status == "rejected" and versions.latest(db) == 0
    with pytest.raises(ReviewError, match="已驳回"):
        proposals.approve(db, pid, actor="li", role="approver")
    assert _actions(db) == ["reject", "propose"]


def test_bad_changes_are_refused_before_anything_is_stored(db):
    with pytest.raises(ReviewError, match="幸福路"):
        proposals.submit(db, Change("feature", area_id="zone-01", side="west", feature="幸福路"), actor="z", role="editor")
    with pytest.raises(ReviewError, match="围不出"):
        proposals.submit(db, Change("text", area_id="zone-01", clause="东至清平路、西至白浪河，南至高家街、北至胶济铁路"),
                         actor="z", role="editor")
    assert proposals.listing(db) == []


def test_two_approvals_chain_and_restore_makes_a_new_version_equal_to_the_old(db):
    a = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    b = proposals.submit(db, Change("text", area_id="park-02", clause="位于杏乐路以东、银河路以西、北宫西街以南、胜利西街以北"),
                         actor="wang", role="editor", reason="测试").id
    assert proposals.approve(db, a, actor="li", role="approver") == 1
    assert proposals.approve(db, b, actor="li", role="approver") == 2
    v2 = versions.files_of(db, 2)
    assert _road(v2).equals_exact(shape(_moved().geometry), 1e-6)  # approval 2 kept approval 1's line
    assert find_area(v2, "park-02")["properties"]["clause"].startswith("杏乐路以东、银河路以西")
    assert versions.restore(db, 0, actor="li", role="approver", note="回到规划原文") == 3
    assert versions.files_of(db, 3) == base_files()
    assert versions.files_of(db, 2) == v2  # nothing overwritten
    frame = versions.history_frame(db)
    assert list(frame["版本"]) == [3, 2, 1, 0]
    assert frame["来源"][0] == "恢复自第 0 版"
    with pytest.raises(ReviewError, match="已经是当前版本"):
        versions.restore(db, 3, actor="li", role="approver")
    with pytest.raises(ReviewError, match="没有第 9 版"):
        versions.restore(db, 9, actor="li", role="approver")
    # 第 0 版 equals the current 第 3 版 (restored from it): restoring it again only added a copy
    with pytest.raises(ReviewError, match="第 0 版与当前第 3 版内容完全相同"):
        versions.restore(db, 0, actor="li", role="approver")
    assert versions.latest(db) == 3
    assert _actions(db)[0] == "restore"


def test_the_changelog_shows_peoples_words_as_typed(db):
    """A reason with a line break and "# 标题", a link or an image became a heading, a live link and an outside
    image in any Markdown viewer of the release's CHANGELOG.md."""
    import re

    reason = "核对影像\n# 标题 [a](http://evil.example) ![](http://evil.example/x.png)"
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor", reason=reason).id
    proposals.approve(db, pid, actor="li", role="approver", reason="同意\n## 伪造的版本")
    _name, data = versions.release(db, 1, today=date(2026, 11, 27))
    changelog = zipfile.ZipFile(io.BytesIO(data)).read("潍城区规划图层-第1版-20261127/CHANGELOG.md").decode()
    headings = [line for line in changelog.splitlines() if line.startswith("#")]
    assert headings == ["# 潍城区规划图层 第 1 版 变更记录", *[h for h in headings if re.match(r"## 第 \d 版 · ", h)]]
    assert len(headings) == 3  # the title, 第 1 版, 第 0 版
    assert "](http" not in changelog and "理由：核对影像" in changelog


def test_release_zip_holds_geojson_geopackage_report_and_a_changelog_of_who_approved_what(db, tmp_path):
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor", reason="影像核对").id
    proposals.approve(db, pid, actor="li", role="approver", reason="同意")
    name, data = versions.release(db, 1, today=date(2026, 11, 27))
    assert name == "潍城区规划图层-第1版-20261127.zip"
    zf = zipfile.ZipFile(io.BytesIO(data))
    stem = "潍城区规划图层-第1版-20261127"
    files = versions.files_of(db, 1)
    assert zf.read(f"{stem}/zones.geojson").decode() == files["zones.geojson"]
    assert zf.read(f"{stem}/report.txt").decode() == files["report.txt"]
    changelog = zf.read(f"{stem}/CHANGELOG.md").decode()
    assert f"提案 #{pid}，提出人 zhang，理由：影像核对" in changelog
    assert "批准人 li" in changelog and "意见：同意" in changelog and "第 0 版" in changelog
    (tmp_path / "r.gpkg").write_bytes(zf.read(f"{stem}/{stem}.gpkg"))
    assert {n for n, _ in pyogrio.list_layers(tmp_path / "r.gpkg")} == {"zones", "parks", "edges", "gazetteer",
                                                                        "district"}
    zones = gpd.read_file(tmp_path / "r.gpkg", layer="zones")
    expected = {f["properties"]["name"]: f["properties"]["area_ha"] for f in features_of(files, "zones.geojson")}
    assert dict(zip(zones["name"], zones["area_ha"])) == expected


def test_the_same_comment_posted_twice_in_a_row_is_kept_once(db):
    """The box kept its text after 发表: a second click posted the same comment again (ids 12 and 13)."""
    status.add_comment(db, "zone", "zone-01", "请核实西侧边界", actor="zhang", role="editor")
    with pytest.raises(ReviewError, match="刚刚已发表过相同的评论"):
        status.add_comment(db, "zone", "zone-01", " 请核实西侧边界 ", actor="zhang", role="editor")
    status.add_comment(db, "zone", "zone-01", "请核实西侧边界", actor="li", role="approver")  # another person
    status.add_comment(db, "zone", "zone-02", "请核实西侧边界", actor="zhang", role="editor")  # another zone
    assert list(status.thread(db, "zone", "zone-01")["作者"]) == ["zhang", "li"]


def test_status_and_comments_record_who_and_when(db):
    assert status.status_of(db, "zone", "zone-01") == "待核实"
    status.set_status(db, "edge", "zone-01:west", "有异议", actor="zhang", role="editor")
    status.set_status(db, "edge", "zone-01:west", "已核实", actor="li", role="approver")
    assert status.status_of(db, "edge", "zone-01:west") == "已核实"
    status.add_comment(db, "edge", "zone-01:west", "清平路实际在东侧 150 米", actor="zhang", role="editor")
    status.add_comment(db, "edge", "zone-01:west", "<b>已现场核实</b>", actor="li", role="approver")
    thread = status.thread(db, "edge", "zone-01:west")
    assert list(thread["作者"]) == ["zhang", "li"] and thread["内容"][1] == "<b>已现场核实</b>"
    assert all(len(t) == 16 for t in thread["时间（UTC）"])
    with pytest.raises(ReviewError, match="编辑"):
        status.set_status(db, "zone", "zone-01", "已核实", actor="x", role=None)
    with pytest.raises(ReviewError, match="评论为空"):
        status.add_comment(db, "zone", "zone-01", " ", actor="zhang", role="editor")
    with pytest.raises(ReviewError, match="状态"):
        status.set_status(db, "zone", "zone-01", "通过", actor="zhang", role="editor")
    with pytest.raises(ReviewError, match="边界编号"):
        status.set_status(db, "edge", "zone-01", "已核实", actor="zhang", role="editor")
    assert _actions(db) == ["comment", "comment", "review_status", "review_status"]
    log = entries(db)
    assert json.loads(log["before_json"][3]) == {"status": "待核实"}


def test_two_editors_submitting_at_the_same_moment_one_gets_the_conflict(db):
    import threading

    barrier = threading.Barrier(2)
    results, errors = {}, []
    real_conflict = proposals._conflict

    def slow_conflict(conn, own_id, touches, base):
        # both are inside their write transaction here, at the same time if nothing serialises them
        try:
            barrier.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other one is waiting for the lock: serialised, as it must be
        return real_conflict(conn, own_id, touches, base)

    def submit(name, dx):
        try:
            results[name] = proposals.submit(db, _moved(dx), actor=name, role="editor")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    proposals._conflict = slow_conflict
    try:
        threads = [threading.Thread(target=submit, args=(n, dx)) for n, dx in (("zhang", 0.002), ("wang", 0.003))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        proposals._conflict = real_conflict
    assert errors == []
    assert sorted(r.status for r in results.values()) == ["draft", "pending"]
    first = next(n for n, r in results.items() if r.status == "pending")
    second = next(r for r in results.values() if r.status == "draft")
    assert first in second.conflict


def test_a_restore_after_the_base_version_keeps_the_proposal_as_a_draft_naming_who_restored(db):
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    proposals.approve(db, pid, actor="li", role="approver")
    versions.restore(db, 0, actor="zhao", role="approver", note="撤回")
    late = proposals.submit(db, Change("feature", area_id="park-02", side="east", feature="银河路"),
                            actor="wang", role="editor", base_version=1)
    assert late.status == "draft" and "zhao" in late.conflict and "恢复为第 0 版" in late.conflict
    fresh = proposals.submit(db, Change("feature", area_id="park-02", side="east", feature="银河路"),
                             actor="wang", role="editor", proposal_id=late.id)
    assert fresh.status == "pending"


def test_the_author_withdraws_a_pending_proposal_and_nobody_can_approve_it_afterwards(db):
    """A planner who sent the wrong line had no way to take it back: it waited for an approver."""
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    with pytest.raises(ReviewError, match="只有提出人本人"):
        proposals.withdraw(db, pid, actor="li", role="admin")
    with pytest.raises(ReviewError, match="编辑"):
        proposals.withdraw(db, pid, actor="zhang", role="viewer")
    assert proposals.get(db, pid).status == "pending"
    proposals.withdraw(db, pid, actor="zhang", role="editor", reason="线位画错")
    p = proposals.get(db, pid)
    assert (p.status, p.decided_by, p.decision_reason) == ("withdrawn", "zhang", "线位画错")
    assert proposals.listing(db, "pending") == []
    row = proposals.listing_frame(proposals.listing(db)).iloc[0]
    assert (row["状态"], row["处理人"], row["处理意见"]) == ("已撤回", "zhang", "线位画错")
    with pytest.raises(ReviewError, match="已撤回"):
        proposals.approve(db, pid, actor="li", role="approver")
    with pytest.raises(ReviewError, match="只能撤回草稿或待审核"):
        proposals.withdraw(db, pid, actor="zhang", role="editor")
    assert versions.latest(db) == 0
    assert _actions(db)[:2] == ["withdraw", "propose"]
    # a withdrawn change no longer holds the edge: the next proposal on it is not a draft
    assert proposals.submit(db, _moved(0.003), actor="wang", role="editor").status == "pending"


def test_a_draft_can_be_withdrawn_but_a_decided_proposal_cannot(db):
    first = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    draft = proposals.submit(db, _moved(0.003), actor="wang", role="editor")
    assert draft.status == "draft"
    proposals.withdraw(db, draft.id, actor="wang", role="editor")
    assert proposals.get(db, draft.id).status == "withdrawn"
    proposals.approve(db, first, actor="li", role="approver")
    with pytest.raises(ReviewError, match="已批准"):
        proposals.withdraw(db, first, actor="zhang", role="editor")
    assert proposals.get(db, first).status == "approved" and versions.latest(db) == 1


def test_the_same_change_sent_twice_by_its_author_is_refused_while_the_first_waits(db):
    """A second 提交审核 made a draft "conflicting" with the author's own proposal, which could never be
    resubmitted once the first was approved ("完全相同")."""
    pid = proposals.submit(db, _moved(), actor="zhang", role="editor").id
    with pytest.raises(ReviewError, match=f"提案 #{pid}"):
        proposals.submit(db, _moved(), actor="zhang", role="editor")
    assert [p.id for p in proposals.listing(db)] == [pid]
    assert proposals.submit(db, _moved(0.003), actor="zhang", role="editor").status == "draft"  # another change
    proposals.withdraw(db, pid, actor="zhang", role="editor")
    assert proposals.submit(db, _moved(), actor="zhang", role="editor").status in ("pending", "draft")
