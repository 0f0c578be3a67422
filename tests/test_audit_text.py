"""The 管理 page's audit log reads in Chinese (it showed "user admin1" and {"active": true, "email": null})."""

from __future__ import annotations

import json
import re

from layers.store.audit_text import actor_label, state_text, target_label


def test_objects_are_named_in_chinese():
    assert target_label("user admin1") == "用户 admin1"
    assert target_label("proposal 12") == "提案 #12"
    assert target_label("layers v3") == "图层第 3 版"
    assert target_label("zone zone-01") == "片区 zone-01"
    assert target_label("batch 7") == "导入批次 #7"
    assert target_label("something else") == "something else"  # an unknown kind is shown as written


def test_states_are_fields_and_values_in_chinese():
    account = json.dumps({"active": True, "display_name": "管理员甲", "email": None, "role": "admin",
                          "username": "admin1"})
    assert state_text(account) == "启用：是；显示名：管理员甲；邮箱：—；角色：管理员；用户名：admin1"
    proposal = json.dumps({"status": "pending", "base_version": 2, "failures": [],
                           "change": {"kind": "line", "feature": "清平路", "accuracy_m": 10.0,
                                      "geometry": {"type": "LineString", "coordinates": [[119.0, 36.7]] * 50}}})
    text = state_text(proposal)
    assert text.startswith("状态：待审核；基于版本：2；未通过的检查：—；修改：（类型：修正线位；地物：清平路；精度（米）：10.0")
    assert "119.0" not in text and "（线位几何，见提案）" in text
    assert state_text(json.dumps({"names": [f"项目{i}" for i in range(8)]})) == \
        "名称：项目0、项目1、项目2、项目3、项目4 等 8 项"
    assert state_text(None) == "" and state_text(float("nan")) == "" and state_text("手写说明") == "手写说明"


def test_the_app_itself_is_named_as_the_system():
    assert actor_label("system") == "系统" and actor_label("admin1") == "admin1"


def test_no_english_field_of_a_store_write_is_left():
    from layers.store.audit_text import FIELDS
    written = {"active", "display_name", "email", "role", "username", "status", "version", "restored_from",
               "base_version", "change", "failures", "text", "source_file", "count", "names", "batches",
               "projects", "id", "name", "value", "recorded_by", "recorded_on", "note", "target_id", "created_by"}
    assert written <= set(FIELDS)
    assert not [v for v in FIELDS.values() if re.search(r"[A-Za-z]", v)]


def test_the_log_is_searched_in_the_words_it_is_shown_in(db):  # SQLite and PostgreSQL (tests/conftest_store.py)
    from layers.store.audit import AuditFilter
    from layers.store.audit_text import search
    from layers.store.users import add_user
    engine = db
    add_user(engine, "li", "approver", password="a long test password", display_name="李审核", actor="admin1")
    add_user(engine, "wang", "editor", password="a long test password", display_name="王编辑", actor="admin1")
    assert list(search(engine, AuditFilter(text="审核"))["target"]) == ["user li"]  # "角色：审核" and 李审核
    assert list(search(engine, AuditFilter(text="用户 wang"))["target"]) == ["user wang"]  # shown, not stored
    assert list(search(engine, AuditFilter(text="editor"))["target"]) == ["user wang"]  # stored, not shown
    found = search(engine, AuditFilter(text="角色：编辑"))
    assert list(found["target"]) == ["user wang"] and found["after_json"].iloc[0].startswith("{")  # as stored
    assert search(engine, AuditFilter(text="没有这样的字")).empty
