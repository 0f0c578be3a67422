"""The store on SQLAlchemy: upgrading today's file, duplicates across servers, undoable deletes,
target values, and a Chinese message for every way the database can fail."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from layers.progress import target_table
from layers.store import engine as store_engine
from layers.store.audit import AuditFilter, entries
from layers.store.database import DuplicateProjectsError, InputError, Store, StoreError
from layers.store.schema import user_projects

ROOT = Path(__file__).resolve().parents[1]

#: The schema of the release before SQLAlchemy (git show 44fede0:layers/store/database.py), verbatim.
RELEASE_SCHEMA = """
    CREATE TABLE user_projects (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT,
        status TEXT,
        investment_10k_yuan REAL,
        start_year INTEGER,
        lon REAL,
        lat REAL,
        zone TEXT,
        park TEXT,
        location_precision TEXT NOT NULL,
        source_file TEXT,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX user_projects_batch ON user_projects(batch_id);
    CREATE TABLE target_progress (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target_id TEXT NOT NULL,
        value REAL NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_on TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX target_progress_target ON target_progress(target_id);
"""


def release_file(path: Path) -> None:
    """A file as today's release leaves it, with the rows its bugs let in (a duplicated name)."""
    conn = sqlite3.connect(path)
    conn.executescript(RELEASE_SCHEMA)
    conn.execute("PRAGMA user_version = 1")
    rows = [("b1", "火车站配套项目", "commerce", "开工", 1200.0, 2023, 119.09, 36.682, "站南片区", None, "exact",
             "a.csv", "2026-03-01T08:15:30+00:00"),
            ("b1", "园区厂房", "industry", "规划", None, 2024, None, None, None, "智能制造产业园", "park",
             "a.csv", "2026-03-01T08:15:30+00:00"),
            ("b2", "园区厂房", "industry", "规划", None, 2024, None, None, None, "智能制造产业园", "park",
             "a.csv", "2026-03-01T08:15:31+00:00")]
    conn.executemany("INSERT INTO user_projects (batch_id, name, category, status, investment_10k_yuan, start_year,"
                     " lon, lat, zone, park, location_precision, source_file, imported_at)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO target_progress (target_id, value, recorded_by, recorded_on, note, created_at)"
                     " VALUES (?,?,?,?,?,?)",
                     [("target-001", 47.5, "张三", "2026-06-30", "统计局", "2026-07-02T09:00:00+00:00"),
                      ("target-001", 49.0, "李四", "2026-05-31", "", "2026-07-03T10:30:00+00:00"),
                      ("target-001", float("inf"), "王五", "2026-08-01", "1e309", "2026-08-01T10:00:00+00:00")])
    conn.commit()
    conn.close()


def _gdp_id() -> str:
    """Today's id of the figure the first release called target-001: the 2020 GDP of 308 亿元."""
    import csv

    from layers.paths import GEODATA

    with (GEODATA / "targets.csv").open(encoding="utf-8-sig") as handle:
        [row] = [r for r in csv.DictReader(handle)
                 if r["indicator"] == "地区生产总值" and r["kind"] == "baseline" and float(r["value"]) == 308.0]
    return row["id"]


LEGACY_GDP_ID = _gdp_id()


def test_a_file_from_todays_release_upgrades_and_keeps_its_data(tmp_path):
    path = tmp_path / "release.sqlite3"
    release_file(path)
    store = Store(path)
    assert store.revision() == "0004"
    projects = store.projects()
    assert list(projects["name"]) == ["火车站配套项目", "园区厂房"]
    first = projects.iloc[0]
    assert (first["category"], first["status"], first["investment_10k_yuan"], first["start_year"]) == (
        "commerce", "开工", 1200.0, 2023)
    assert (first["lon"], first["lat"], first["zone"], first["location_precision"]) == (119.09, 36.682, "站南片区", "exact")
    assert first["imported_at"] == datetime(2026, 3, 1, 8, 15, 30, tzinfo=timezone.utc)
    # The duplicate the old release let in is kept, marked deleted, and can be seen (not lost).
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_projects)).scalar_one() == 3
    [upgrade_deletion] = store.deletions()
    assert (upgrade_deletion.by, upgrade_deletion.count, upgrade_deletion.batches) == ("系统升级", 1, ("b2",))
    # Values recorded under the first release's numbering follow their figure (地区生产总值 308 亿元).
    assert store.progress("target-001").empty
    history = store.progress(LEGACY_GDP_ID)
    assert list(history["value"]) == [49.0, 47.5]  # most recently recorded first; the saved ∞ is set aside
    assert list(history["recorded_on"]) == ["2026-05-31", "2026-06-30"]
    assert history["created_at"].iloc[0] == datetime(2026, 7, 3, 10, 30, tzinfo=timezone.utc)
    # The upgraded file takes new writes, and the unique key now guards names.
    with pytest.raises(DuplicateProjectsError, match="园区厂房"):
        store.add_projects([{"name": " 园区厂房　", "location_precision": "park"}], batch_id="b3", source_file="c.csv")


def test_a_file_newer_than_this_program_is_refused_with_a_message(tmp_path):
    path = tmp_path / "future.sqlite3"
    release_file(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="更新版本的程序"):
        Store(path)


CONFIRM = """
import sys, time
from pathlib import Path
from layers.store.database import Store, DuplicateProjectsError
store = Store(sys.argv[1])
rows = [{"name": f"重复项目{i}", "location_precision": "exact", "lon": 119.1, "lat": 36.7} for i in range(5)]
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
try:
    print("stored", store.add_projects(rows, batch_id=sys.argv[3], source_file="same.csv", actor=sys.argv[3]))
except DuplicateProjectsError as exc:
    print("duplicate", len(exc.names))
"""


def test_two_servers_confirming_the_same_rows_store_them_once(db_url, tmp_path):
    Store(db_url)  # upgraded before the race: the race is about the rows
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    servers = [subprocess.Popen([sys.executable, "-c", CONFIRM, db_url, str(go), f"server{i}"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    time.sleep(1.5)  # both have opened the database and wait at the start line
    go.touch()
    outputs = sorted(p.communicate(timeout=60)[0].strip() for p in servers)
    assert outputs == ["duplicate 5", "stored 5"], outputs
    assert len(Store(db_url).projects()) == 5


def test_names_that_differ_only_in_spaces_or_width_are_duplicates(db):
    store = Store(db.url.render_as_string(hide_password=False))
    store.add_projects([{"name": "万达广场 二期", "location_precision": "exact"}], batch_id="a", source_file="a.csv")
    with pytest.raises(DuplicateProjectsError):
        store.add_projects([{"name": "　万达广场  二期 ", "location_precision": "exact"}], batch_id="b",
                           source_file="b.csv")
    with pytest.raises(DuplicateProjectsError):  # two of the same within one confirmation
        store.add_projects([{"name": "甲", "location_precision": "exact"}, {"name": "甲 ", "location_precision": "exact"}],
                           batch_id="c", source_file="c.csv")
    assert list(store.projects()["name"]) == ["万达广场 二期"]


def _store(db) -> Store:
    return Store(db.url.render_as_string(hide_password=False))


def test_batch_delete_is_logged_and_undoable(db):
    store = _store(db)
    store.add_projects([{"name": n, "location_precision": "exact"} for n in ("甲", "乙")], batch_id="b1",
                       source_file="a.csv", actor="alice")
    store.add_projects([{"name": "丙", "location_precision": "exact"}], batch_id="b2", source_file="b.csv",
                       actor="alice")
    assert store.delete_projects(batch_id="b1", actor="bob") == 2
    assert list(store.projects()["name"]) == ["丙"]
    log = entries(db, AuditFilter(action="delete_projects"))
    assert list(log["actor"]) == ["bob"]
    assert "甲" in log["before_json"].iloc[0] and "乙" in log["before_json"].iloc[0]
    [deletion] = store.deletions()
    assert (deletion.by, deletion.count, deletion.batches, deletion.source_files) == ("bob", 2, ("b1",), ("a.csv",))
    assert store.undo_deletion(deletion.deletion_id, actor="bob") == 2
    assert sorted(store.projects()["name"]) == ["丙", "乙", "甲"]
    assert store.deletions() == []
    assert list(entries(db, AuditFilter(action="undo_delete"))["actor"]) == ["bob"]
    with pytest.raises(InputError, match="已经撤销"):
        store.undo_deletion(deletion.deletion_id, actor="bob")


def test_undo_is_refused_when_a_name_was_imported_again(db):
    store = _store(db)
    store.add_projects([{"name": "甲", "location_precision": "exact"}], batch_id="b1", source_file="a.csv")
    store.delete_projects(batch_id="b1")
    store.add_projects([{"name": "甲", "location_precision": "exact"}], batch_id="b2", source_file="a.csv")
    with pytest.raises(InputError, match="已重新导入.*甲"):
        store.undo_deletion(store.deletions()[0].deletion_id)
    assert list(store.projects()["batch_id"]) == ["b2"]


@pytest.mark.parametrize("raw", ["1e309", "-inf", "inf", "Infinity", "nan", "NaN", "9" * 400])
def test_target_values_that_are_not_finite_numbers_are_refused(db, raw):
    store = _store(db)
    with pytest.raises(InputError, match="超出可记录的范围|不是数字"):
        store.record_progress("target-001", raw, "张三", "2026-06-30")
    assert store.progress().empty


@pytest.mark.parametrize("raw", ["12,5", "1,23", "12,5000"])
def test_a_decimal_comma_in_a_target_value_is_refused(db, raw):
    """"12,5" (%) was recorded as 125 and the target shown as 滞后 on the leaders' page."""
    store = _store(db)
    with pytest.raises(InputError, match="逗号只能用作千位分隔符"):
        store.record_progress("target-001", raw, "张三", "2026-06-30")
    assert store.progress().empty
    store.record_progress("target-001", "１，２３４.５", "张三", "2026-06-30")  # full-width thousands
    assert store.progress()["value"].iloc[0] == 1234.5


def test_a_too_long_recorder_is_refused_not_cut(db):
    store = _store(db)
    with pytest.raises(InputError, match="记录人太长（10000 个字符），最多 50 个字符"):
        store.record_progress("target-001", "48", "张" * 10_000, "2026-06-30")
    store.record_progress("target-001", "1,234.5", "张" * 50, "2026-06-30", actor="alice")
    saved = store.progress()
    assert (saved["value"].iloc[0], saved["recorded_by"].iloc[0], saved["created_by"].iloc[0]) == (
        1234.5, "张" * 50, "alice")
    assert list(entries(db, AuditFilter(action="record_target"))["actor"]) == ["alice"]


def test_the_latest_record_is_the_one_recorded_last_not_the_latest_date(db):
    store = _store(db)
    store.record_progress("target-001", 49.0, "李四", "2026-09-30")
    store.record_progress("target-001", 47.5, "张三", "2026-06-30")  # a correction, typed later
    targets = pd.DataFrame([{"id": "target-001", "kind": "target", "value": 50.0, "value_max": None,
                             "baseline": 40.0, "comparator": "≥", "unit": "%", "category": "economy"}])
    row = target_table(targets, store.progress()).iloc[0]
    assert (row["current"], row["current_on"]) == (47.5, "2026-06-30")


# -- every way the SQLite file can be unusable gives a Chinese message saying what to do --------------

def test_a_locked_database_gives_a_message_after_the_busy_timeout(tmp_path, monkeypatch):
    path = tmp_path / "locked.sqlite3"
    Store(path)
    store_engine.dispose_all()
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_S", 1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        store = Store(path)
        started = time.monotonic()
        with pytest.raises(StoreError, match="正被其他程序占用.*请稍后再试"):
            store.record_progress("target-001", 48, "张三", "2026-06-30")
        assert time.monotonic() - started >= 0.9  # it waited for the other writer first
        assert store.progress().empty  # reading still works while another process writes
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store_engine.dispose_all()


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(b"this is not a database at all" * 100), "已损坏"),
    (lambda p: p.write_bytes(p.read_bytes()[:1500]), "已损坏"),
    (lambda p: (p.unlink(), p.mkdir()), "是一个文件夹"),
])
def test_a_damaged_database_file_gives_a_message(tmp_path, damage, message):
    path = tmp_path / "damaged.sqlite3"
    release_file(path)
    Store(path)
    store_engine.dispose_all()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    damage(path)
    with pytest.raises(StoreError, match=message) as info:
        Store(path)
    assert "Traceback" not in str(info.value) and "sqlite3." not in str(info.value)
    store_engine.dispose_all()


def test_a_read_only_database_can_be_read_and_refuses_writes_with_a_message(tmp_path):
    path = tmp_path / "ro.sqlite3"
    release_file(path)
    Store(path)
    store_engine.dispose_all()
    # As root (CI), file modes do not stop writes; SQLite's read-only mode gives the same error.
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert list(store.projects()["name"]) == ["火车站配套项目", "园区厂房"]
    with pytest.raises(StoreError, match="只读.*写权限"):
        store.record_progress("target-001", 48, "张三", "2026-06-30")
    store_engine.dispose_all()


def test_an_unreachable_postgresql_server_gives_a_message_without_the_password():
    with pytest.raises(StoreError, match="PostgreSQL") as info:
        Store("postgresql://planner:s3cret-pw@127.0.0.1:1/nothing")
    assert "s3cret-pw" not in str(info.value)
    store_engine.dispose_all()


def test_a_recorded_value_can_be_deleted_and_the_deletion_is_logged(db):
    store = _store(db)
    store.record_progress("target-001", 49.0, "李四", "2026-09-30")
    store.record_progress("target-001", 47.5, "张三", "2026-06-30")
    wrong = int(store.progress()["id"].iloc[0])
    store.delete_progress(wrong, actor="alice")
    assert list(store.progress()["value"]) == [49.0]
    [entry] = entries(db, AuditFilter(action="delete_target_record")).to_dict("records")
    assert entry["actor"] == "alice" and '"value": 47.5' in entry["before_json"]
    with pytest.raises(InputError, match="已被删除"):
        store.delete_progress(wrong, actor="alice")


@pytest.mark.parametrize("location, message", [
    ("/proc/weicheng.sqlite3", "无法打开数据库文件 /proc/weicheng.sqlite3。请确认该文件及其文件夹存在且可读写"),
    ("/proc/no-such-folder/weicheng.sqlite3", "无法创建数据库所在的文件夹 /proc/no-such-folder"),
])
def test_a_location_that_cannot_be_written_gives_a_message(location, message):
    # /proc refuses new files even to root, as a folder without write permission does to a user.
    with pytest.raises(StoreError, match=message):
        Store(location)


def test_the_projects_token_changes_with_every_import_delete_and_undo(db):
    store = _store(db)
    seen = [store.projects_token()]
    store.add_projects([{"name": "甲", "location_precision": "exact"}], batch_id="b1", source_file="a.csv")
    seen.append(store.projects_token())
    store.delete_projects(batch_id="b1")
    seen.append(store.projects_token())
    store.add_projects([{"name": "乙", "location_precision": "exact"}], batch_id="b2", source_file="b.csv")
    seen.append(store.projects_token())
    store.undo_deletion(store.deletions()[0].deletion_id)
    seen.append(store.projects_token())
    assert len(set(seen)) == 5
    assert store.projects_token() == seen[-1]  # reading changes nothing


@pytest.mark.parametrize("value, words", [
    ("mysql://u:p@localhost/db", "“mysql”不受支持"), ("   ", "只含空格"), ("sqlite://", "内存数据库"),
    ("postgresql://weicheng:weicheng@127.0.0.1:notaport/db", "端口不是数字"),
])
def test_an_address_the_app_cannot_use_is_refused_not_made_into_a_file(tmp_path, monkeypatch, value, words):
    """mysql://… became a folder "mysql:" with a SQLite file in it; "   " a file named by spaces."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WEICHENG_MAP_DB", value)
    with pytest.raises(StoreError, match=words):
        Store()
    assert list(tmp_path.iterdir()) == []


def test_a_reader_on_a_database_corrupted_after_opening_gets_a_store_error(tmp_path):
    """Readers outside translated_errors (the review pages') raised SQLAlchemy's English error."""
    from layers.review import proposals

    path = tmp_path / "db.sqlite3"
    engine = Store(path).engine
    engine.dispose()
    path.write_bytes(b"\x00not a database" * 400)
    with pytest.raises(StoreError, match="已损坏"):
        proposals.listing(engine)


def test_another_programs_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    """The app added ten tables to a contacts database and switched it to WAL, without a word."""
    path = tmp_path / "contacts.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="属于别的程序（其中有表：contacts）"):
        Store(path)
    assert path.read_bytes() == before and not Path(f"{path}-wal").exists()


def test_a_database_without_postgis_is_named_as_such_not_as_read_only():
    """"permission denied to create extension" read as "数据库文件 … 是只读的"."""
    from layers.store.engine import friendly_error

    message = str(friendly_error(Exception('permission denied to create extension "postgis"'),
                                 "postgresql+psycopg://u:secret@db.example/plan"))
    assert "没有 PostGIS 扩展" in message and "CREATE EXTENSION postgis" in message and "只读" not in message
    assert "secret" not in message


@pytest.mark.parametrize("raw, words", [
    ('connection failed: FATAL:  password authentication failed for user "weicheng"', "用户名或密码不对"),
    ('connection failed: FATAL:  database "plan2" does not exist', "该数据库不存在"),
    ("connection failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
     "连不上数据库服务器"),
])
def test_postgresql_failures_say_which_one(raw, words):
    """Wrong port, wrong password and a missing database all read the same."""
    from layers.store.engine import friendly_error

    assert words in str(friendly_error(Exception(raw), "postgresql+psycopg://u:p@127.0.0.1:5999/plan2"))


def test_a_full_disk_is_named():
    from layers.store.engine import friendly_error

    assert "磁盘已满" in str(friendly_error(Exception("database or disk is full"), "sqlite:////tmp/x.sqlite3"))
