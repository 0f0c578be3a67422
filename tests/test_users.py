"""Accounts and roles on every backend: argon2 hashes, rate-limited sign-in, the last admin, OIDC, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from layers.store.audit import AuditFilter, entries
from layers.store.schema import users, utcnow
from layers.store.users import (FAILURE_WINDOW, MAX_FAILURES, SignInError, User, UserError, add_user, authenticate,
                                can, get_user, oidc_user, update_user)

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


def test_passwords_are_stored_only_as_argon2_hashes(db):
    add_user(db, "Alice", "editor", password=PASSWORD, display_name="王丽", actor="root")
    with db.connect() as conn:
        stored = conn.execute(sa.select(users.c.username, users.c.password_hash)).one()
    assert stored.username == "alice"
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    [added] = entries(db, AuditFilter(action="user_add")).to_dict("records")
    assert added["actor"] == "root" and "argon2" not in added["after_json"]
    assert json.loads(added["after_json"])["role"] == "editor"


def test_sign_in_with_the_right_password_and_not_otherwise(db):
    add_user(db, "alice", "approver", password=PASSWORD)
    user = authenticate(db, " ALICE ", PASSWORD, client="10.0.0.5")
    assert (user.username, user.role, user.role_label) == ("alice", "approver", "审核")
    for name, password in (("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(SignInError, match="^用户名或密码错误。$"):  # never says which one was wrong
            authenticate(db, name, password)
    log = entries(db)
    assert list(log["action"]) == ["sign_in_failed"] * 3 + ["sign_in", "user_add"]


def test_failed_sign_ins_are_rate_limited_and_the_lock_expires(db):
    add_user(db, "alice", "editor", password=PASSWORD)
    start = utcnow()
    for i in range(MAX_FAILURES):
        with pytest.raises(SignInError, match="用户名或密码错误"):
            authenticate(db, "alice", f"guess number {i}", now=start + timedelta(seconds=i))
    with pytest.raises(SignInError, match="已暂时锁定.*分钟后再试"):
        authenticate(db, "alice", PASSWORD, now=start + timedelta(seconds=MAX_FAILURES))
    later = start + FAILURE_WINDOW + timedelta(seconds=MAX_FAILURES)
    assert authenticate(db, "alice", PASSWORD, now=later).username == "alice"


def test_one_client_guessing_many_names_is_rate_limited(db):
    add_user(db, "alice", "editor", password=PASSWORD)
    start = utcnow()
    for i in range(4 * MAX_FAILURES):
        with pytest.raises(SignInError):
            authenticate(db, f"user{i}", "guess", client="203.0.113.9", now=start + timedelta(seconds=i))
    with pytest.raises(SignInError, match="锁定"):
        authenticate(db, "alice", PASSWORD, client="203.0.113.9", now=start + timedelta(seconds=30))
    assert authenticate(db, "alice", PASSWORD, client="10.0.0.5", now=start + timedelta(seconds=31))


def test_a_disabled_account_cannot_sign_in(db):
    add_user(db, "root", "admin", password=PASSWORD)
    add_user(db, "bob", "editor", password=PASSWORD)
    update_user(db, "bob", active=False, actor="root")
    with pytest.raises(SignInError, match="已停用"):
        authenticate(db, "bob", PASSWORD)
    with pytest.raises(SignInError, match="用户名或密码错误"):  # a wrong password does not reveal the state
        authenticate(db, "bob", "wrong password!")
    change = entries(db, AuditFilter(action="user_change")).iloc[0]
    assert json.loads(change["before_json"])["active"] is True and json.loads(change["after_json"])["active"] is False


def test_roles_rank_editor_approver_admin():
    def user(role, active=True):
        return User(1, "x", "x", role, None, active)

    table = {(role, action): can(user(role), action) for role in ("editor", "approver", "admin")
             for action in ("import", "record_target", "propose", "approve", "manage_users")}
    assert table == {
        ("editor", "import"): True, ("editor", "record_target"): True, ("editor", "propose"): True,
        ("editor", "approve"): False, ("editor", "manage_users"): False,
        ("approver", "import"): True, ("approver", "record_target"): True, ("approver", "propose"): True,
        ("approver", "approve"): True, ("approver", "manage_users"): False,
        ("admin", "import"): True, ("admin", "record_target"): True, ("admin", "propose"): True,
        ("admin", "approve"): True, ("admin", "manage_users"): True}
    assert not can(None, "import") and not can(user("admin", active=False), "import")
    with pytest.raises(KeyError):
        can(user("admin"), "imprt")


def test_the_last_admin_cannot_be_disabled_or_demoted(db):
    add_user(db, "root", "admin", password=PASSWORD)
    with pytest.raises(UserError, match="最后一个可用的管理员"):
        update_user(db, "root", active=False, actor="root")
    with pytest.raises(UserError, match="最后一个可用的管理员"):
        update_user(db, "root", role="editor", actor="root")
    add_user(db, "second", "admin", password=PASSWORD)
    assert update_user(db, "root", role="editor", actor="second").role == "editor"


@pytest.mark.parametrize("kwargs, message", [
    ({"username": "a b", "role": "editor", "password": PASSWORD}, "用户名“a b”无效"),
    ({"username": "alice", "role": "boss", "password": PASSWORD}, "角色“boss”无效"),
    ({"username": "alice", "role": "editor", "password": "short"}, "密码太短"),
    ({"username": "alice", "role": "editor"}, "必须填写电子邮箱"),
    ({"username": "alice", "role": "editor", "email": "not-an-address"}, "格式不对"),
    ({"username": "alice", "role": "editor", "password": PASSWORD, "display_name": "名" * 51}, "显示名称太长"),
])
def test_bad_account_details_are_refused_with_a_message(db, kwargs, message):
    with pytest.raises(UserError, match=message):
        add_user(db, **kwargs)
    assert get_user(db, "alice") is None


def test_names_and_emails_are_unique(db):
    add_user(db, "alice", "editor", password=PASSWORD, email="Alice@Weicheng.gov.cn")
    with pytest.raises(UserError, match="已存在"):
        add_user(db, "ALICE", "editor", password=PASSWORD)
    with pytest.raises(UserError, match="已被其他账户使用"):
        add_user(db, "alice2", "editor", password=PASSWORD, email="alice@weicheng.gov.cn")


def test_oidc_sign_in_maps_the_email_to_the_users_table(db):
    add_user(db, "wang", "approver", email="wang@weicheng.gov.cn")  # OIDC only: no password
    user = oidc_user(db, "Wang@Weicheng.gov.cn")
    assert (user.username, user.role) == ("wang", "approver")
    with pytest.raises(SignInError):  # no password: cannot sign in with one
        authenticate(db, "wang", "")
    assert oidc_user(db, "stranger@example.com") is None
    assert list(entries(db)["action"][:3]) == ["sign_in_failed", "sign_in_failed", "sign_in"]


def test_the_first_admin_is_created_from_the_command_line(db_url):
    env = {**os.environ, "WEICHENG_MAP_DB": db_url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "layers.users", "add", "root", "--role", "admin",
                           "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=60)
    assert done.returncode == 0 and "已添加账户 root（管理员）" in done.stdout, done.stderr
    from layers.store.engine import get_engine
    assert authenticate(get_engine(db_url), "root", PASSWORD).role == "admin"
    again = subprocess.run([sys.executable, "-m", "layers.users", "add", "root", "--role", "admin",
                            "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=60)
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr


def test_absurd_sign_in_input_is_just_a_failed_sign_in(db):
    add_user(db, "alice", "editor", password=PASSWORD)
    for name, password in (("名" * 300, PASSWORD), ("alice", "x" * 100_000), ("=1+1", "")):
        with pytest.raises(SignInError, match="^用户名或密码错误。$"):
            authenticate(db, name, password, client="10.0.0." + "9" * 300)
    assert oidc_user(db, "a" * 240 + "@example.com") is None
    assert list(entries(db)["action"][:4]) == ["sign_in_failed"] * 4


def test_signing_in_while_another_process_holds_the_database_gives_a_message(tmp_path, monkeypatch):
    import sqlite3

    from layers.store import engine as store_engine
    from layers.store.engine import StoreError, get_engine, upgrade

    path = tmp_path / "locked.sqlite3"
    upgrade(get_engine(path))
    add_user(get_engine(path), "alice", "editor", password=PASSWORD)
    store_engine.dispose_all()
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="正被其他程序占用"):
            authenticate(get_engine(path), "alice", PASSWORD)
        assert get_user(get_engine(path), "alice").role == "editor"  # reading still works
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store_engine.dispose_all()
