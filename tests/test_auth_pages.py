"""Pages under AppTest with accounts: visitors browse but see no writing widget; each role does what it may;
admins manage users and read, filter and export the audit log; an unusable database leaves the map working."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from layers.store.audit import AuditFilter, entries
from layers.store.database import Store
from tests.conftest_store import sign_in_as
from tests.test_app import app, open_box, texts

# The app tests' fixtures, kept in step with the pages: an own database per test, server-like
# navigation, and a stand-in for the map widget.
from tests.test_app import fake_map, navigation_mode, own_database  # noqa: F401


@pytest.fixture(autouse=True)
def _no_real_map(fake_map):
    return fake_map


APP_DIR = Path(__file__).resolve().parents[1]

PAGES = ["pages/overview.py", "pages/zones.py", "pages/parks.py", "pages/projects.py", "pages/targets.py"]
WRITING_LABELS = ("保存", "删除此批", "确认删除", "撤销删除", "添加", "保存修改")


def seed_batch(location) -> Store:
    store = Store(location)
    store.add_projects([{"name": "导入的项目", "category": "industry", "lon": 119.09, "lat": 36.682,
                         "location_precision": "exact"}], batch_id="b1", source_file="a.csv", actor="someone")
    return store


def writing_widgets(at) -> list[str]:
    found = [b.label for b in at.button if b.label in WRITING_LABELS]
    found += [f"file_uploader:{u.label}" for u in at.get("file_uploader")]
    found += [t.key for t in at.text_input if t.key and t.key.startswith("progress_")]
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_visitor_browses_every_page_and_sees_no_writing_widget(own_database, page):
    seed_batch(own_database)
    at = app(page=page)
    assert writing_widgets(at) == []
    if page in ("pages/projects.py", "pages/targets.py"):
        assert "需要以“编辑”或更高角色登录" in texts(at)


def test_an_editor_imports_and_deletes_with_confirmation_and_undo(own_database):
    store = seed_batch(own_database)
    at = sign_in_as(app(page="pages/projects.py"), own_database, "editor", "alice")
    assert at.get("file_uploader"), "editors may import"
    at.button(key="del-b1").click().run()
    assert store.projects()["name"].tolist() == ["导入的项目"]  # nothing deleted before the confirmation
    assert any("确定删除批次" in w.value for w in at.warning)
    at.button(key="del-yes-b1").click().run()
    assert store.projects().empty
    [deletion] = store.deletions()
    assert deletion.by == "alice"
    at.button(key=f"undo-{deletion.deletion_id}").click().run()
    assert store.projects()["name"].tolist() == ["导入的项目"]
    assert [e for e in entries(store.engine)["action"]][:2] == ["undo_delete", "delete_projects"]


def test_cancelling_a_delete_keeps_the_batch(own_database):
    store = seed_batch(own_database)
    at = sign_in_as(app(page="pages/projects.py"), own_database)
    at.button(key="del-b1").click().run()
    at.button(key="del-no-b1").click().run()
    assert len(store.projects()) == 1 and not store.deletions()


def test_recording_a_target_is_logged_with_the_signed_in_user(own_database):
    at = sign_in_as(app(page="pages/targets.py"), own_database, "editor", "alice")
    at.text_input(key="progress_value_0").input("48.5")
    at.text_input(key="progress_who_0").input("张三")
    at.button(key="progress_save").click().run()
    [row] = entries(Store(own_database).engine, AuditFilter(action="record_target")).to_dict("records")
    assert row["actor"] == "alice" and json.loads(row["after_json"])["value"] == 48.5


@pytest.mark.parametrize("raw", ["nan", "1e309", "-inf", "9" * 400])
def test_a_non_finite_target_value_gets_a_message_not_a_traceback(own_database, raw):
    at = sign_in_as(app(page="pages/targets.py"), own_database)
    at.text_input(key="progress_value_0").input(raw)
    at.text_input(key="progress_who_0").input("张三")
    at.button(key="progress_save").click().run()
    assert not at.exception
    assert any(e.value.startswith("未保存：") for e in at.error)
    assert Store(own_database).progress().empty


def test_a_too_long_recorder_is_refused_on_the_page(own_database):
    at = sign_in_as(app(page="pages/targets.py"), own_database)
    at.text_input(key="progress_value_0").input("48")
    at.session_state["progress_who_0"] = "张" * 10_000
    at.button(key="progress_save").click().run()
    assert any("记录人太长（10000 个字符）" in e.value for e in at.error)
    assert Store(own_database).progress().empty


def test_signing_in_with_the_form_and_out_again(own_database):
    from layers.store.users import add_user

    add_user(Store(own_database).engine, "alice", "editor", password="a long test password", display_name="王丽")
    at = app(page="pages/projects.py")
    assert not at.get("form")  # the box is filled only once it is opened
    open_box(at, "sign_in_open")
    at.text_input(key="sign_in_name").input("alice")
    at.text_input(key="sign_in_password").input("wrong password!!")
    at.get("form")[0]  # the sign-in form is there
    at.button[[b.label for b in at.button].index("登录")].click().run()
    assert any("用户名或密码错误" in e.value for e in at.error)
    at.text_input(key="sign_in_name").input("alice")
    at.text_input(key="sign_in_password").input("a long test password")
    at.button[[b.label for b in at.button].index("登录")].click().run()
    assert "已登录：**王丽**（编辑）" in [m.value for m in at.sidebar.markdown]
    assert at.get("file_uploader")
    at.button(key="sign_out").click().run()
    assert not at.get("file_uploader")
    actions = list(entries(Store(own_database).engine)["action"])
    assert actions[:3] == ["sign_out", "sign_in", "sign_in_failed"]


def test_an_approver_is_not_an_admin(own_database):
    at = sign_in_as(app(page="pages/overview.py"), own_database, "approver")
    at.switch_page("pages/admin.py").run()  # a deep link gets the page's own Chinese refusal
    assert any("只对管理员开放" in e.value for e in at.error)
    assert not [b for b in at.button if b.label in ("添加", "保存修改")]
    # and the page itself refuses, run on its own
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(APP_DIR / "pages" / "admin.py"), default_timeout=60)
    page.session_state["signed_in_user"] = "test-approver"
    page.run()
    assert any("只对管理员开放" in e.value for e in page.error)
    assert not [b for b in page.button if b.label in ("添加", "保存修改")] and not page.get("download_button")


def field(at, label_start: str):
    """The text input whose label starts with ``label_start``."""
    [found] = [t for t in at.text_input if t.label.startswith(label_start)]
    return found


def test_an_admin_adds_a_user_disables_one_and_exports_the_log(own_database):
    at = sign_in_as(app(page="pages/overview.py"), own_database, "admin", "root")
    at.switch_page("pages/admin.py")
    at.run()
    assert "管理" in [t.value for t in at.title]
    field(at, "用户名").input("bob")
    field(at, "显示名称").input("鲍勃")
    field(at, "电子邮箱").input("=HYPERLINK(\"http://evil\")@x.cn")  # not an e-mail: refused
    field(at, "初始密码").input("a long test password")
    at.button[[b.label for b in at.button].index("添加")].click().run()
    assert any("格式不对" in e.value for e in at.error)
    field(at, "用户名").input("bob")
    field(at, "显示名称").input("=cmd|' /C calc'!A0")  # a display name that is a spreadsheet formula
    field(at, "电子邮箱").input("")
    field(at, "初始密码").input("a long test password")
    at.button[[b.label for b in at.button].index("添加")].click().run()
    assert any("已添加 bob（编辑）" in s.value for s in at.success)
    at.selectbox(key="admin_pick").select("bob").run()
    [active] = [c for c in at.checkbox if c.label == "账户可用"]
    active.uncheck()
    at.button[[b.label for b in at.button].index("保存修改")].click().run()
    from layers.store.users import get_user

    assert get_user(Store(own_database).engine, "bob").active is False
    log = entries(Store(own_database).engine, AuditFilter(actor="root"))
    assert set(log["action"]) == {"user_add", "user_change"}
    from layers.store.audit import to_csv

    import csv
    import io

    rows = list(csv.reader(io.StringIO(to_csv(log).decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间（UTC）", "操作人", "操作"] and len(rows) == 3
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]
    assert [b.label for b in at.get("download_button")] == ["导出 CSV"]


def test_the_admin_reads_and_searches_the_log_in_chinese(own_database):
    at = sign_in_as(app(page="pages/overview.py"), own_database, "admin", "root")
    from layers.store.users import add_user
    add_user(Store(own_database).engine, "wang", "editor", password="a long test password", display_name="王编辑",
             actor="root")
    at.switch_page("pages/admin.py")
    at.run()
    at.text_input(key="log_text").input("角色：编辑").run()  # what the table shows, not what is stored
    table = at.dataframe[-1].value  # the log, in the last tab
    assert list(table["target"]) == ["用户 wang"], table
    assert table["after_json"].iloc[0].startswith("启用：是；显示名：王编辑；邮箱：—；角色：编辑")
    assert table["actor"].iloc[0] == "root" and table["detail"].iloc[0] == ""  # no note: empty, not "None"


def test_an_unusable_database_leaves_the_map_working_with_a_banner(tmp_path, monkeypatch):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    monkeypatch.setenv("WEICHENG_MAP_DB", str(folder))
    for page in ("pages/overview.py", "pages/projects.py", "pages/targets.py"):
        at = app(page=page)
        assert not at.exception
        banner = [w.value for w in at.warning if "数据库暂不可用" in w.value]
        assert banner and "是一个文件夹" in banner[0] and "地图和规划图层仍可正常查看" in banner[0]
        assert str(tmp_path) not in banner[0].replace("\\", "")  # the server's path is for its log, not visitors
        assert writing_widgets(at) == []
        # the sidebar says sign-in is off: no page sends people to it
        assert not [i.value for i in at.info if "请在左侧栏登录" in i.value], page


def test_an_editor_deletes_a_wrong_record_and_visitors_cannot(own_database):
    store = Store(own_database)
    at = app(page="pages/targets.py")
    store.record_progress(at.selectbox(key="target_pick").value, 4.75e9, "张三", "2026-06-30")
    at.run()
    assert "4.75e+09" in at.dataframe[-1].value["数值"].map("{:g}".format).tolist()
    assert not [s for s in at.selectbox if s.key == "progress_delete_pick"]
    sign_in_as(at, own_database, "editor", "alice")
    at.selectbox(key="progress_delete_pick").set_value(int(store.progress()["id"].iloc[0])).run()
    at.button(key="progress_delete").click().run()
    assert store.progress().empty
    assert list(entries(store.engine, AuditFilter(action="delete_target_record"))["actor"]) == ["alice"]


def test_a_password_reset_for_one_account_never_reaches_the_next_one_saved(own_database):
    """The password box kept its text when the admin chose another account: saving that account's role gave it
    the same password."""
    from layers.store.users import SignInError, add_user, authenticate

    engine = Store(own_database).engine
    at = sign_in_as(app(page="pages/overview.py"), own_database, "admin", "root")
    for name in ("plus1", "nl1"):
        add_user(engine, name, "editor", password="the old password 1", actor="root")
    at.switch_page("pages/admin.py")
    at.run()
    at.selectbox(key="admin_pick").select("plus1").run()
    field(at, "重设密码").input("Plus1-newpass-1")
    at.button[[b.label for b in at.button].index("保存修改")].click().run()
    assert any("密码已重设" in s.value for s in at.success)
    at.selectbox(key="admin_pick").select("nl1").run()
    assert field(at, "重设密码").value == ""
    [s for s in at.selectbox if s.label == "角色"][-1].select("approver")  # the change form's, below the add form's
    at.button[[b.label for b in at.button].index("保存修改")].click().run()
    assert authenticate(engine, "nl1", "the old password 1").role == "approver"
    with pytest.raises(SignInError):
        authenticate(engine, "nl1", "Plus1-newpass-1")
    assert authenticate(engine, "plus1", "Plus1-newpass-1").username == "plus1"


def test_a_password_reset_unlocks_a_locked_account(own_database):
    """Five wrong passwords locked the name for 15 minutes, and "联系管理员" could not help: a reset kept it locked."""
    from layers.store.users import SignInError, add_user, authenticate, update_user

    engine = Store(own_database).engine
    add_user(engine, "root", "admin", password="the admin password", actor="root")
    add_user(engine, "plus1", "editor", password="the old password 1", actor="root")
    for _attempt in range(5):
        with pytest.raises(SignInError):
            authenticate(engine, "plus1", "wrong password")
    with pytest.raises(SignInError, match="锁定"):
        authenticate(engine, "plus1", "the old password 1")
    update_user(engine, "plus1", password="a brand new password", actor="root")
    assert authenticate(engine, "plus1", "a brand new password").username == "plus1"


def test_the_admin_page_shows_what_was_typed_as_text_and_no_none(own_database):
    at = sign_in_as(app(page="pages/overview.py"), own_database, "admin", "root")
    at.switch_page("pages/admin.py")
    at.run()
    assert "None" not in at.dataframe[0].value.astype(str).to_numpy().ravel().tolist()
    field(at, "用户名").input("[a](http://evil.example)")
    field(at, "初始密码").input("a long test password")
    at.button[[b.label for b in at.button].index("添加")].click().run()
    [error] = [e.value for e in at.error]
    assert "未添加" in error and "](http" not in error and "\\[a\\]" in error


def test_a_signed_in_editor_is_told_their_role_not_to_sign_in(own_database):
    """An editor on 边界提案 read "批准或驳回提案需要以“审核”或更高角色登录，请在左侧栏登录" though signed in."""
    from layers.review import proposals
    from layers.store.engine import get_engine, upgrade
    from tests.test_review_workflow import _moved

    engine = get_engine(str(own_database))
    upgrade(engine)
    proposals.submit(engine, _moved(), actor="zhang", role="editor")
    at = sign_in_as(app(page="pages/overview.py"), own_database, "editor", "alice")
    at.switch_page("pages/review.py")
    at.run()
    shown = texts(at)
    assert "批准或驳回提案需要“审核”或更高角色；您的角色是“编辑”" in shown
    assert "请在左侧栏登录" not in shown


@pytest.mark.parametrize("damage", ["truncate", "garbage", "newer", "emptied"])
def test_a_database_that_breaks_while_the_server_runs_leaves_the_map_with_a_banner_and_recovers(
        own_database, damage, monkeypatch, fake_map):  # noqa: F811
    """Cut in half, overwritten or replaced after the server had opened it, the database took every page
    down ("这一页出错了", no map): the once-per-process upgrade trusted it for good."""
    from layers.store import engine as store_engine

    monkeypatch.setattr(store_engine, "RECHECK_S", 0.0)  # look again at once, not 2 s later
    Store(own_database).record_progress("t1", 1.0, "张三", "2026-06-30")
    assert not [w for w in app(page="pages/overview.py").warning if "数据库暂不可用" in w.value]
    with closing(sqlite3.connect(own_database)) as conn:  # everything in the main file, none in the WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    good = own_database.read_bytes()
    if damage == "truncate":
        own_database.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        own_database.write_bytes(b"\x00not a database" * 400)
    elif damage == "emptied":  # a new empty schema had been made silently: every account and version gone
        own_database.write_bytes(b"")
    else:
        with closing(sqlite3.connect(own_database)) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099'")
            conn.commit()
    for page in ("pages/overview.py", "pages/targets.py", "pages/zones.py"):
        fake_map.calls.clear()
        at = app(page=page)
        banner = [w.value for w in at.warning if "数据库暂不可用" in w.value]
        assert banner and "地图和规划图层仍可正常查看" in banner[0], (page, [w.value for w in at.warning])
        assert not [e for e in at.error if "出错" in e.value], page
        if page != "pages/targets.py":
            assert fake_map.calls, page
    own_database.write_bytes(good)
    for suffix in ("-wal", "-shm"):
        Path(f"{own_database}{suffix}").unlink(missing_ok=True)
    at = app(page="pages/targets.py")
    assert not [w for w in at.warning if "数据库暂不可用" in w.value]


def test_a_database_error_on_a_page_does_not_show_the_servers_path(own_database):
    """A comment refused by a read-only file said "数据库文件 /tmp/…/app.sqlite3 是只读的…" on the page."""
    from layers.store.engine import StoreError
    from pages.common import say

    shown = say(StoreError(f"数据库文件 {own_database} 是只读的，或其所在文件夹不可写，无法保存。"))
    assert "是只读的" in shown and str(own_database.parent.name) not in shown and "sqlite3" not in shown
    assert say(ValueError("[链接](http://x)")).startswith("\\[")  # other errors: escaped, as before
