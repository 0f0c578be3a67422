"""The schema on every backend: migrations create it, the audit log refuses edits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from layers.store import schema
from layers.store.audit import record
from layers.store.engine import current_revision, upgrade


def test_upgrade_creates_every_table_of_the_schema(db):
    with db.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    assert set(schema.metadata.tables) <= tables
    assert current_revision(db) == "0002"


def test_audit_log_refuses_update_and_delete(db):
    with db.begin() as conn:
        record(conn, "alice", "import", "batch b1", after={"rows": 3})
    for statement in (schema.audit_log.update().values(actor="mallory"), schema.audit_log.delete()):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with db.begin() as conn:
                conn.execute(statement)
    with db.connect() as conn:
        rows = conn.execute(sa.select(schema.audit_log.c.actor, schema.audit_log.c.after_json)).all()
    assert rows == [("alice", '{"rows": 3}')]


def test_timestamps_come_back_timezone_aware_utc(db):
    with db.begin() as conn:
        record(conn, "alice", "sign_in", "user alice")
    with db.connect() as conn:
        at = conn.execute(sa.select(schema.audit_log.c.at)).scalar_one()
    assert at.utcoffset() is not None and at.utcoffset().total_seconds() == 0


def test_upgrade_twice_is_harmless(db):
    from layers.store import engine

    engine._upgraded.clear()  # forget the once-per-process shortcut: run Alembic again
    upgrade(db)
    assert current_revision(db) == "0002"
