"""The user's imported projects and recorded target values, over SQLAlchemy 2 Core.

The database is a SQLite file at ``$WEICHENG_MAP_DB`` (or the user's data
folder) or, when ``$WEICHENG_MAP_DB`` is a ``postgresql://`` URL, a shared
PostgreSQL + PostGIS server (see :mod:`layers.store.engine`). Opening a
:class:`Store` upgrades the schema with Alembic, keeping every row of a file
made by the pre-Alembic release. Each write is one transaction together with
its audit log entry; deleting only marks rows, so a deletion can be undone.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, and_, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from layers.numbers import number_text
from layers.store import audit
from layers.store.engine import (DB_ENV, StoreError, current_revision, database_url, default_db_path,
                                 ensure_current, get_engine, translated_errors)
from layers.store.schema import NOTE_MAX, PERSON_MAX, target_progress, user_projects, utcnow

__all__ = ["DB_ENV", "PROJECT_COLUMNS", "DuplicateProjectsError", "InputError", "Store", "StoreError",
           "check_progress", "default_db_path", "name_key", "parse_target_value"]

PROJECT_COLUMNS = ("name", "category", "status", "investment_10k_yuan", "start_year", "lon", "lat",
                   "zone", "park", "location_precision")
#: What :meth:`Store.projects` returns (the columns of the pre-Alembic release, plus who imported).
PROJECT_FRAME_COLUMNS = ("id", "batch_id", *PROJECT_COLUMNS, "source_file", "imported_at", "imported_by")
PROGRESS_FRAME_COLUMNS = ("id", "target_id", "value", "recorded_by", "recorded_on", "note", "created_at",
                          "created_by")
#: Serialises imports on PostgreSQL so the duplicate re-check sees the other server's committed rows.
_IMPORT_LOCK = 874502


class InputError(ValueError):
    """A value the user typed cannot be stored; the message (Chinese) says which and why."""


class DuplicateProjectsError(InputError):
    """Projects with these names are already stored (found inside the write transaction)."""

    def __init__(self, names: list[str]):
        self.names = names
        shown = "、".join(f"“{n}”" for n in names[:10]) + (f" 等 {len(names)} 个" if len(names) > 10 else "")
        super().__init__(f"已存在同名项目：{shown}。可能有人刚刚导入了同一份清单；本次没有导入任何项目，请刷新后重新检查。")


@dataclass(frozen=True)
class Deletion:
    """One deletion of imported projects, which :meth:`Store.undo_deletion` can take back."""

    deletion_id: str
    at: object
    by: str
    count: int
    batches: tuple[str, ...]
    source_files: tuple[str, ...]


def name_key(name: object) -> str | None:
    """The form two project names are compared in: NFKC (full-width → half-width), NULs removed,
    whitespace (incl. the ideographic space) collapsed and trimmed, case folded."""
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return None
    key = unicodedata.normalize("NFKC", str(name)).replace("\x00", "")
    return re.sub(r"\s+", " ", key).strip().casefold()


def parse_target_value(raw: object) -> float:
    """A target value typed by a user, as a finite number, or :class:`InputError` saying why not.

    Thousands separators (also full-width) are accepted, a decimal comma ("12,5") is not; nor are ``nan``,
    ``inf``, ``1e309`` and ``999…9`` (400 nines): they are not values a statistic can have.
    """
    try:
        text_value = number_text(raw)
    except ValueError as exc:
        raise InputError(f"当前值“{str(raw).strip()[:40]}”：{exc}") from None
    if not text_value:
        raise InputError("请填写当前值")
    try:
        number = float(text_value)
    except ValueError:
        raise InputError(f"当前值“{text_value[:40]}”不是数字") from None
    if math.isnan(number):
        raise InputError(f"当前值“{text_value[:40]}”不是数字")
    if math.isinf(number):
        raise InputError(f"当前值“{text_value[:40]}…”超出可记录的范围（不能是无穷大或超过 1e308 的数）"
                         if len(text_value) > 40 else f"当前值“{text_value}”超出可记录的范围（不能是无穷大或超过 1e308 的数）")
    return number


def check_progress(value: object, recorded_by: str, note: str = "") -> tuple[float, str, str]:
    """A target record's value, 记录人 and note as stored, or :class:`InputError` naming every problem.

    Too-long texts are refused with a message, never cut silently.
    """
    problems = []
    try:
        number = parse_target_value(value)
    except InputError as exc:
        number, problems = math.nan, [str(exc)]
    who, note = (recorded_by or "").strip(), (note or "").strip()
    if not who:
        problems.append("请填写记录人")
    elif len(who) > PERSON_MAX:
        problems.append(f"记录人太长（{len(who)} 个字符），最多 {PERSON_MAX} 个字符，请缩短")
    if len(note) > NOTE_MAX:
        problems.append(f"备注太长（{len(note)} 个字符），最多 {NOTE_MAX} 个字符，请缩短")
    if problems:
        raise InputError("；".join(problems))
    return number, who, note


class Store:
    """Imported projects and target values in one database; open one per use, it is cheap.

    Parameters
    ----------
    location
        A SQLite file path, a ``postgresql://`` URL, or None for ``$WEICHENG_MAP_DB`` / the default file.

    Raises
    ------
    StoreError
        The database cannot be opened or upgraded; the message says what to do.
    """

    def __init__(self, location: Path | str | None = None):
        self.url = database_url(location)
        with translated_errors(self.url):
            self.engine = get_engine(location)
        ensure_current(self.engine)  # upgrades a new or older database, once; then looks again every 2 s

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        database = make_url(self.url).database
        return Path(database) if self.backend == "sqlite" and database else None

    def revision(self) -> str | None:
        """The Alembic revision of the schema."""
        with translated_errors(self.url):
            return current_revision(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One all-or-nothing write (SQLite takes the write lock at once; errors become StoreError)."""
        with translated_errors(self.url), self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    def _read(self, query) -> pd.DataFrame:
        with translated_errors(self.url), self.engine.connect() as conn:
            result = conn.execute(query)
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    # -- imported projects -------------------------------------------------

    def add_projects(self, rows: Iterable[dict], *, batch_id: str, source_file: str, actor: str = "system") -> int:
        """Insert validated project rows in one transaction; returns how many.

        Names are re-checked against the stored ones inside the transaction, so two servers
        confirming the same rows store them once: the second gets :class:`DuplicateProjectsError`.
        """
        now = utcnow()
        records = [{"batch_id": batch_id, **{c: _plain(row.get(c)) for c in PROJECT_COLUMNS},
                    "name_key": name_key(row.get("name")), "source_file": source_file, "imported_at": now,
                    "imported_by": actor} for row in rows]
        if not records:
            return 0
        keys = [r["name_key"] for r in records if r["name_key"] is not None]
        repeated = sorted({r["name"] for r in records if keys.count(r["name_key"]) > 1})
        if repeated:
            raise DuplicateProjectsError(repeated)
        try:
            with self.transaction() as conn:
                if self.backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _IMPORT_LOCK})
                stored = self._live_names(conn, keys)
                if stored:
                    raise DuplicateProjectsError(stored)
                conn.execute(insert(user_projects), records)
                audit.record(conn, actor, "import", f"batch {batch_id}",
                             after={"source_file": source_file, "count": len(records),
                                    "names": [r["name"] for r in records]})
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError) and "name_key" in str(exc.__cause__):
                with self.engine.connect() as conn:
                    raise DuplicateProjectsError(self._live_names(conn, keys)) from exc
            raise
        return len(records)

    @staticmethod
    def _live_names(conn: Connection, keys: list[str]) -> list[str]:
        found: list[str] = []
        for start in range(0, len(keys), 500):  # stay under every backend's parameter limit
            found += conn.execute(select(user_projects.c.name).where(and_(
                user_projects.c.name_key.in_(keys[start:start + 500]), user_projects.c.deleted_at.is_(None)))
                .order_by(user_projects.c.id)).scalars().all()
        return found

    def project_names(self) -> set[str]:
        """Names of the projects stored now (the import preview marks these as duplicates)."""
        return set(self._read(select(user_projects.c.name).where(user_projects.c.deleted_at.is_(None)))["name"])

    def projects(self) -> pd.DataFrame:
        """Every imported project not deleted, in import order."""
        cols = [user_projects.c[c] for c in PROJECT_FRAME_COLUMNS]
        return self._read(select(*cols).where(user_projects.c.deleted_at.is_(None)).order_by(user_projects.c.id))

    def projects_token(self) -> str:
        """A cheap fingerprint of the imported projects: it changes with every import, delete and undo.

        Caches of :meth:`projects` (which reads every row) can be keyed on it; it costs one small query.
        """
        t = user_projects.c
        query = select(func.count(t.id).filter(t.deleted_at.is_(None)), func.max(t.id),
                       func.count(t.deleted_at))
        with translated_errors(self.url), self.engine.connect() as conn:
            live, last, deleted = conn.execute(query).one()
        return f"{live}-{last or 0}-{deleted}"

    def delete_projects(self, ids: Iterable[int] | None = None, *, batch_id: str | None = None,
                        actor: str = "system") -> int:
        """Delete imported projects by id or by import batch (undoably); returns how many.

        The rows are kept, marked with the deletion, and the audit log records every deleted row.
        """
        where = (user_projects.c.batch_id == batch_id if batch_id is not None
                 else user_projects.c.id.in_([int(i) for i in ids or []]))
        where = and_(where, user_projects.c.deleted_at.is_(None))
        deletion = uuid.uuid4().hex[:12]
        with self.transaction() as conn:
            rows = conn.execute(select(user_projects.c.id, user_projects.c.name, user_projects.c.batch_id)
                                .where(where)).all()
            if not rows:
                return 0
            conn.execute(update(user_projects).where(where).values(deleted_at=utcnow(), deleted_by=actor,
                                                                   deletion_id=deletion))
            audit.record(conn, actor, "delete_projects", f"deletion {deletion}",
                         before={"batches": sorted({r.batch_id for r in rows}),
                                 "projects": [{"id": r.id, "name": r.name} for r in rows]},
                         detail=f"删除 {len(rows)} 个导入的项目，可撤销")
        return len(rows)

    def deletions(self, limit: int = 20) -> list[Deletion]:
        """The latest deletions that can still be undone, newest first."""
        t = user_projects.c
        query = (select(t.deletion_id, func.max(t.deleted_at).label("at"), func.max(t.deleted_by).label("by"),
                        func.count().label("count"))
                 .where(t.deleted_at.is_not(None)).group_by(t.deletion_id)
                 .order_by(func.max(t.deleted_at).desc()).limit(limit))
        out = []
        with translated_errors(self.url), self.engine.connect() as conn:
            for row in conn.execute(query).all():
                parts = conn.execute(select(t.batch_id, t.source_file).where(t.deletion_id == row.deletion_id)
                                     .distinct()).all()
                out.append(Deletion(row.deletion_id, row.at, row.by, row.count,
                                    tuple(sorted({p.batch_id for p in parts})),
                                    tuple(sorted({p.source_file or "" for p in parts}))))
        return out

    def undo_deletion(self, deletion_id: str, *, actor: str = "system") -> int:
        """Bring back the projects of one deletion; refused if any name has been imported again since."""
        where = and_(user_projects.c.deletion_id == deletion_id, user_projects.c.deleted_at.is_not(None))
        with self.transaction() as conn:
            rows = conn.execute(select(user_projects.c.id, user_projects.c.name, user_projects.c.name_key)
                                .where(where)).all()
            if not rows:
                raise InputError("这次删除已经撤销过，或不存在。")
            again = self._live_names(conn, [r.name_key for r in rows if r.name_key])
            if again:
                raise InputError("无法撤销：以下项目已重新导入，" + "、".join(f"“{n}”" for n in again[:10])
                                 + "。请先删除重新导入的批次。")
            conn.execute(update(user_projects).where(where).values(deleted_at=None, deleted_by=None,
                                                                   deletion_id=None))
            audit.record(conn, actor, "undo_delete", f"deletion {deletion_id}",
                         after={"projects": [{"id": r.id, "name": r.name} for r in rows]},
                         detail=f"恢复 {len(rows)} 个项目")
        return len(rows)

    # -- target progress -----------------------------------------------------

    def record_progress(self, target_id: str, value: float | str, recorded_by: str, recorded_on: str | date,
                        note: str = "", *, actor: str = "system") -> None:
        """Store one current value of a target, or :class:`InputError` naming what is wrong."""
        number, who, note = check_progress(value, recorded_by, note)
        day = recorded_on if isinstance(recorded_on, date) else date.fromisoformat(str(recorded_on))
        values = {"target_id": target_id, "value": number, "recorded_by": who, "recorded_on": day, "note": note,
                  "created_at": utcnow(), "created_by": actor}
        with self.transaction() as conn:
            conn.execute(insert(target_progress).values(**values))
            audit.record(conn, actor, "record_target", f"target {target_id}",
                         after={k: v for k, v in values.items() if k != "created_at"})

    def delete_progress(self, record_id: int, *, actor: str = "system") -> None:
        """Set one recorded value aside (kept in the table and the audit log, no longer shown)."""
        where = and_(target_progress.c.id == int(record_id), target_progress.c.deleted_at.is_(None))
        with self.transaction() as conn:
            row = conn.execute(select(target_progress).where(where)).mappings().first()
            if row is None:
                raise InputError("这条记录已被删除，或不存在。")
            conn.execute(update(target_progress).where(where).values(deleted_at=utcnow(), deleted_by=actor))
            audit.record(conn, actor, "delete_target_record", f"target {row['target_id']}",
                         before={k: row[k] for k in ("id", "value", "recorded_by", "recorded_on", "note")})

    def progress(self, target_id: str | None = None) -> pd.DataFrame:
        """Recorded values, the most recently recorded first (of one target, or all)."""
        cols = [target_progress.c[c] for c in PROGRESS_FRAME_COLUMNS]
        query = select(*cols).where(target_progress.c.deleted_at.is_(None))
        if target_id is not None:
            query = query.where(target_progress.c.target_id == target_id)
        frame = self._read(query.order_by(target_progress.c.created_at.desc(), target_progress.c.id.desc()))
        frame["recorded_on"] = frame["recorded_on"].astype(str) if len(frame) else frame["recorded_on"]
        return frame


def _plain(value):
    """Numbers from pandas as plain Python, NaN as NULL (NaN must never reach the database)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value
