"""The embedded database: the user's imported projects and recorded target values.

SQLite (standard library) at ``$WEICHENG_MAP_DB`` or, by default, under the
user's data folder. Created on first use, versioned (``PRAGMA user_version``)
and migrated forward; every write is one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

DB_ENV = "WEICHENG_MAP_DB"
APP_DIR_NAME = "weicheng-plan-map"

#: Each migration brings the schema from version i to i + 1. Append only.
MIGRATIONS: tuple[str, ...] = (
    """
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
    """,
)
PROJECT_COLUMNS = ("name", "category", "status", "investment_10k_yuan", "start_year", "lon", "lat",
                   "zone", "park", "location_precision")


def default_db_path(env: dict[str, str] | None = None) -> Path:
    """``$WEICHENG_MAP_DB``, else the platform's user data folder."""
    env = os.environ if env is None else env
    if env.get(DB_ENV):
        return Path(env[DB_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME / "weicheng.sqlite3"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """A small repository over the SQLite file; open one per use, it is cheap."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write."""
        with self._connect() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def version(self) -> int:
        """The schema version of the file."""
        with self._connect() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply every migration the file has not had yet, each in its own transaction."""
        current = self.version()
        if current > len(MIGRATIONS):
            raise RuntimeError(f"数据库 {self.path} 的版本（{current}）比本程序新，请升级程序后再打开")
        for number in range(current, len(MIGRATIONS)):
            with self.transaction() as conn:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")

    # -- imported projects -------------------------------------------------

    def add_projects(self, rows: Iterable[dict], *, batch_id: str, source_file: str) -> int:
        """Insert validated project rows in one transaction; returns how many."""
        now = _now()
        records = [(batch_id, *[row.get(c) for c in PROJECT_COLUMNS], source_file, now) for row in rows]
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT INTO user_projects (batch_id, {', '.join(PROJECT_COLUMNS)}, source_file, imported_at) "
                f"VALUES ({', '.join('?' * (len(PROJECT_COLUMNS) + 3))})", records)
        return len(records)

    def projects(self) -> pd.DataFrame:
        """Every imported project."""
        with self._connect() as conn:
            return pd.read_sql_query("SELECT * FROM user_projects ORDER BY id", conn)

    def delete_projects(self, ids: Iterable[int] | None = None, *, batch_id: str | None = None) -> int:
        """Delete imported projects by id or by import batch; returns how many."""
        with self.transaction() as conn:
            if batch_id is not None:
                cur = conn.execute("DELETE FROM user_projects WHERE batch_id = ?", (batch_id,))
            else:
                cur = conn.executemany("DELETE FROM user_projects WHERE id = ?", [(int(i),) for i in ids or []])
            return cur.rowcount

    # -- target progress -----------------------------------------------------

    def record_progress(self, target_id: str, value: float, recorded_by: str, recorded_on: str,
                        note: str = "") -> None:
        """Store one current value of a target."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO target_progress (target_id, value, recorded_by, recorded_on, note, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (target_id, float(value), recorded_by, recorded_on, note, _now()))

    def progress(self, target_id: str | None = None) -> pd.DataFrame:
        """Recorded values, newest first (of one target, or all)."""
        query = "SELECT * FROM target_progress"
        params: tuple = ()
        if target_id is not None:
            query += " WHERE target_id = ?"
            params = (target_id,)
        with self._connect() as conn:
            return pd.read_sql_query(query + " ORDER BY recorded_on DESC, id DESC", conn, params=params)
