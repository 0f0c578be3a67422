"""Opening the database: SQLite by default, PostgreSQL + PostGIS by URL; Alembic upgrades.

``WEICHENG_MAP_DB`` holds either a file path (SQLite, the embedded default) or a
``postgresql://user:password@host/dbname`` URL (a bureau's shared server).
Every failure to open or use the database becomes a :class:`StoreError` whose
message, in Chinese, says what is wrong and what to do.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

DB_ENV = "WEICHENG_MAP_DB"
APP_DIR_NAME = "weicheng-plan-map"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a write waits for another writer before the user is told the database is busy.
BUSY_TIMEOUT_S = 10
#: The revision a file written by the pre-Alembic release (PRAGMA user_version = 1) is at.
RELEASE_REVISION = "0001"

_engines: dict[str, Engine] = {}
_upgraded: set[str] = set()
_lock = threading.Lock()


class StoreError(RuntimeError):
    """The database cannot be used; ``str(error)`` is a Chinese message saying what to do."""


def default_db_path(env: dict[str, str] | None = None) -> Path:
    """``$WEICHENG_MAP_DB`` when it is a path, else the platform's user data folder."""
    env = os.environ if env is None else env
    if env.get(DB_ENV) and not is_url(env[DB_ENV]):
        return Path(env[DB_ENV]).expanduser()
    if sys.platform == "win32":
        base = Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME / "weicheng.sqlite3"


def is_url(value: str) -> bool:
    """Whether ``value`` is a database URL rather than a file path."""
    return value.startswith(("postgresql://", "postgresql+psycopg://", "postgres://", "sqlite://"))


def database_url(url_or_path: str | Path | None = None) -> str:
    """The SQLAlchemy URL for a path, a URL, or (None) ``$WEICHENG_MAP_DB`` / the default file.

    Raises
    ------
    StoreError
        For an address this program cannot use: another database system (``mysql://``), an
        in-memory SQLite database (each connection would get its own, empty), a PostgreSQL URL
        that does not parse (a port that is not a number), or a name of spaces only.
    """
    if url_or_path is None:
        url_or_path = os.environ.get(DB_ENV) or default_db_path()
    value = str(url_or_path)
    if not value.strip():
        raise StoreError(f"{DB_ENV} 只含空格：请设为一个 SQLite 文件路径或 postgresql:// 地址，或删除该设置以使用默认文件")
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE) and not is_url(value):
        raise StoreError(f"{DB_ENV} 的地址类型“{value.split('://', 1)[0]}”不受支持：请用 SQLite 文件路径或 postgresql:// 地址")
    if value.startswith(("postgresql://", "postgres://")):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    if is_url(value):
        try:
            parsed = make_url(value)
            parsed.port  # noqa: B018  (parsing the port is what fails)
        except (ArgumentError, ValueError):
            raise StoreError(f"{DB_ENV} 的地址格式有误（如端口不是数字）：请按 postgresql://用户名:密码@主机:端口/数据库名 填写") \
                from None
        if parsed.get_backend_name() == "sqlite" and (parsed.database or ":memory:") == ":memory:":
            raise StoreError(f"{DB_ENV} 指向内存数据库（sqlite://）：每个连接都会得到一个空库，无法保存。请指定一个文件路径")
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def describe(url: str) -> str:
    """The database for messages: a file path, or a URL without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    # We emit BEGIN ourselves: DDL becomes transactional and writes can take the lock up front.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock at BEGIN, so a read-then-write never deadlocks with another writer.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def _check_sqlite_path(path: Path) -> None:
    """Refuse, with a message, the file states SQLite reports only vaguely."""
    if path.is_dir():
        raise StoreError(f"数据库路径 {path} 是一个文件夹，不是数据库文件。请把环境变量 {DB_ENV} 指向一个文件"
                         "（例如 …/weicheng.sqlite3），或删除这个空文件夹后重新启动。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据库所在的文件夹 {path.parent}（{exc.strerror}）。请检查该位置的权限，"
                         f"或用环境变量 {DB_ENV} 指定一个可写的位置。") from exc
    foreign = _foreign_tables(path)
    if foreign:
        raise StoreError(f"数据库文件 {path} 属于别的程序（其中有表：{'、'.join(foreign[:5])}），为免改动它，本程序不会使用。"
                         f"请把环境变量 {DB_ENV} 指向本程序自己的数据库文件，或一个新的文件名。")


#: Tables that mark a file as this program's: Alembic's, or the pre-Alembic release's.
OWN_TABLES = {"alembic_version", "user_projects"}


def _foreign_tables(path: Path) -> list[str]:
    """The tables of an existing SQLite file that is not ours (read-only look), else []."""
    if not path.is_file() or path.stat().st_size == 0:
        return []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.Error:
        return []  # damaged or locked: the usual messages say so when it is opened
    return [] if not tables or OWN_TABLES & set(tables) else sorted(tables)


def get_engine(url_or_path: str | Path | None = None) -> Engine:
    """One engine per database (cached): SQLite with WAL and a busy timeout, or PostgreSQL via psycopg 3."""
    url = database_url(url_or_path)
    with _lock:
        if url in _engines:
            return _engines[url]
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
                _check_sqlite_path(Path(parsed.database))
            engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S})
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                                   connect_args={"connect_timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "handle_error", _as_store_error)
        _engines[url] = engine
        return engine


def _as_store_error(context) -> None:
    """Every failure of the database itself becomes a :class:`StoreError`, wherever it is used.

    A file corrupted, deleted or locked, or a server gone after the app had opened it, raised
    SQLAlchemy's English error from any reader not wrapped in :func:`translated_errors`, and every
    page failed. A broken rule (IntegrityError, the audit log's trigger) stays what it is: callers
    handle those themselves.
    """
    error = context.sqlalchemy_exception
    if isinstance(error, OperationalError) or type(error) is DatabaseError:
        raise friendly_error(error, context.engine.url.render_as_string(hide_password=False)) from error


def dispose_all() -> None:
    """Close every cached engine (tests that remove database files call this)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _upgraded.clear()


def friendly_error(exc: BaseException, url: str) -> StoreError:
    """A Chinese message for a database failure, naming the database and what to do."""
    where = describe(url)
    raw = str(getattr(exc, "orig", None) or exc).lower()
    if isinstance(exc, StoreError):
        return exc
    if "locked" in raw or "busy" in raw or "lock timeout" in raw:
        return StoreError(f"数据库 {where} 正被其他程序占用，等待 {BUSY_TIMEOUT_S} 秒后仍未释放，本次操作没有保存。"
                          "请稍后再试；若一直如此，请关闭其他正在使用这个数据库的程序或服务器进程。")
    if "not a database" in raw or "malformed" in raw or "corrupt" in raw:
        return StoreError(f"数据库文件 {where} 已损坏或不完整，无法读取。请从备份恢复该文件；"
                          "若没有备份，可把它改名保存后重新启动本程序（会新建一个空数据库）。")
    if "extension" in raw and "postgis" in raw:
        return StoreError(f"PostgreSQL 数据库 {where} 没有 PostGIS 扩展，本账户也无权安装。"
                          "请由数据库管理员在该数据库中执行 CREATE EXTENSION postgis; 后再打开。")
    if "readonly" in raw or "read-only" in raw or "permission denied" in raw:
        return StoreError(f"数据库文件 {where} 是只读的，或其所在文件夹不可写，无法保存。"
                          "请让管理员给运行本程序的账户开通该文件及其文件夹的写权限。")
    if "unable to open" in raw or "disk i/o" in raw:
        return StoreError(f"无法打开数据库文件 {where}。请确认该文件及其文件夹存在且可读写，"
                          f"或用环境变量 {DB_ENV} 指定另一个位置。")
    if "newer" in raw or "can't locate revision" in raw:
        return StoreError(f"数据库 {where} 由更新版本的程序写入，本程序无法使用。请升级本程序后再打开。")
    if "disk is full" in raw or "no space left" in raw or "disk full" in raw:
        return StoreError(f"数据库 {where} 所在的磁盘已满，本次操作没有保存。请清理磁盘空间后再试。")
    if make_url(url).get_backend_name() == "postgresql":
        if "password authentication failed" in raw:
            why = f"用户名或密码不对：请核对 {DB_ENV} 中的用户名和密码"
        elif "does not exist" in raw and "database" in raw:
            why = f"该数据库不存在：请核对 {DB_ENV} 中的数据库名，或请数据库管理员创建它"
        elif "connection refused" in raw or "could not connect" in raw or "timeout" in raw or "timed out" in raw:
            why = f"连不上数据库服务器：请确认服务器正在运行，并核对 {DB_ENV} 中的主机名和端口"
        else:
            why = f"请检查 {DB_ENV} 中的地址、用户名和密码，并确认数据库服务器正在运行、已安装 PostGIS"
        return StoreError(f"无法使用 PostgreSQL 数据库 {where}：{why}。")
    return StoreError(f"数据库 {where} 出错，本次操作没有保存。请稍后再试；若问题持续，请联系管理员。")


@contextmanager
def translated_errors(url: str) -> Iterator[None]:
    """Turn database exceptions inside the block into :class:`StoreError`."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error, CommandError, OSError) as exc:
        raise friendly_error(exc, url) from exc


def store_errors(func):
    """Decorate a function whose first argument is an ``Engine``: its database errors become StoreError."""

    @functools.wraps(func)
    def wrapper(engine: Engine, *args, **kwargs):
        with translated_errors(engine.url.render_as_string(hide_password=False)):
            return func(engine, *args, **kwargs)

    return wrapper


def _alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def _adopt_release_file(conn: Connection) -> None:
    """A SQLite file from the pre-Alembic release: stamp it at the revision matching its schema."""
    if conn.dialect.name != "sqlite":
        return
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables or "user_projects" not in tables:
        return
    user_version = conn.exec_driver_sql("PRAGMA user_version").scalar()
    if user_version != 1:
        where = describe(conn.engine.url.render_as_string(hide_password=False))
        raise StoreError(f"数据库 {where} 由更新版本的程序写入，本程序无法使用。请升级本程序后再打开。"
                         if user_version > 1 else
                         f"数据库文件 {where} 已损坏或不完整（缺少版本信息）。请从备份恢复该文件。")
    command.stamp(_alembic_config(conn), RELEASE_REVISION)


@functools.lru_cache(maxsize=1)
def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema with Alembic, once per process; keeps all data."""
    url = engine.url.render_as_string(hide_password=False)
    if url in _upgraded:
        return
    with translated_errors(url):
        if current_revision(engine) == _head_revision():
            _upgraded.add(url)  # nothing to do: no write lock, so a busy writer elsewhere does not block opening
            return
    with translated_errors(url), engine.connect() as conn:
        conn.execution_options(write=True)
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table that others refer to; SQLite ignores this pragma inside a
            # transaction, so it is set before ours begins, and the keys are checked before the commit.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        if conn.dialect.name == "postgresql":
            # Two servers starting at once: the second waits, then finds the schema current.
            conn.execute(text("SELECT pg_advisory_lock(874501)"))
            conn.commit()
        try:
            _adopt_release_file(conn)
            command.upgrade(_alembic_config(conn), "head")
            if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise StoreError("数据库升级后外键不一致，已撤销升级：请联系数据管理员检查数据库文件")
            conn.commit()  # one transaction: an interrupted upgrade leaves the file as it was
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")
            if conn.dialect.name == "postgresql":
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(874501)"))
                conn.commit()
    _upgraded.add(url)


#: How long a database found at the current schema is trusted before it is looked at again (seconds).
RECHECK_S = 2.0
_checked: dict[str, float] = {}


def ensure_current(engine: Engine) -> None:
    """Make sure the database is still there at the current schema: look (one query) at most every
    :data:`RECHECK_S` seconds, and upgrade again if it is not.

    The once-per-process upgrade trusted the database for the rest of the process: a file deleted
    under the running server came back empty (SQLite makes a new file) and every page failed with
    "no such table"; one replaced by a newer program's went unnoticed. A database that lost its
    schema is refused, not made again: that silently wiped every account and version.

    Raises
    ------
    StoreError
        When the database cannot be read or brought to the current schema.
    """
    url = engine.url.render_as_string(hide_password=False)
    now = time.monotonic()
    if url in _upgraded and now - _checked.get(url, -RECHECK_S) < RECHECK_S:
        return
    with translated_errors(url):
        revision = current_revision(engine)
    if revision is None and url in _upgraded:
        # It held our data a moment ago: emptied, deleted (SQLite then makes a new file) or replaced.
        # Making a new schema here would carry on as if the accounts and versions had never been.
        raise StoreError(f"数据库 {describe(url)} 已被清空、删除或换成了空文件，其中已没有本程序的数据。"
                         "为免在空库上继续保存，已停止使用它：请从备份恢复该文件；若确要从空库开始，请重新启动服务器。")
    if revision != _head_revision():
        _upgraded.discard(url)
        upgrade(engine)
    _upgraded.add(url)
    _checked[url] = now


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first upgrade)."""
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
