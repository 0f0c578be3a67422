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
    assert current_revision(db) == "0004"


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
    assert current_revision(db) == "0004"


def _ours(obj, name, type_, reflected, compare_to):
    """PostGIS's own table and the PostgreSQL-only point column are not part of the shared schema."""
    return not (name in ("spatial_ref_sys", "geom", "ix_user_projects_geom") and reflected)


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_the_migrations_build_exactly_the_schema_module(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _ours})
        assert compare_metadata(context, schema.metadata) == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    from layers.store.engine import BUSY_TIMEOUT_S, get_engine

    engine = get_engine(tmp_path / "wal.sqlite3")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_S * 1000 == 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_postgresql_keeps_a_postgis_point_for_located_projects(db):
    if db.dialect.name != "postgresql":
        pytest.skip("PostGIS is the PostgreSQL deployment")
    with db.begin() as conn:
        conn.execute(schema.user_projects.insert(), [
            {"batch_id": "b", "name": "甲", "name_key": "甲", "location_precision": "exact", "lon": 119.09,
             "lat": 36.682},
            {"batch_id": "b", "name": "乙", "name_key": "乙", "location_precision": "unlocated", "lon": None,
             "lat": None}])
        points = conn.execute(sa.text("SELECT name, ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM user_projects "
                                      "ORDER BY id")).all()
    assert [tuple(p) for p in points] == [("甲", 119.09, 36.682, 4326), ("乙", None, None, None)]


def test_upgrading_a_0003_database_keeps_its_proposals_and_versions_and_allows_withdrawal(db_url):
    """0004 copies the proposals table on SQLite (a CHECK cannot be altered), which a version refers to."""
    from alembic import command

    from layers.review import proposals, versions
    from layers.store import engine as store_engine
    from tests.test_review_workflow import _moved

    eng = store_engine.get_engine(db_url)
    with eng.connect() as conn:
        command.upgrade(store_engine._alembic_config(conn), "0003")
        conn.commit()
    assert current_revision(eng) == "0003"
    store_engine._upgraded.add(eng.url.render_as_string(hide_password=False))  # submit/approve as on 0003
    pid = proposals.submit(eng, _moved(), actor="zhang", role="editor").id
    proposals.approve(eng, pid, actor="li", role="approver")
    later = proposals.submit(eng, _moved(0.003), actor="zhou", role="editor").id
    with pytest.raises(sa.exc.IntegrityError):  # 0003 does not know the status
        with eng.begin() as conn:
            conn.execute(schema.proposals.update().where(schema.proposals.c.id == later).values(status="withdrawn"))
    store_engine._upgraded.clear()
    upgrade(eng)
    assert current_revision(eng) == "0004"
    assert proposals.get(eng, pid).status == "approved" and versions.latest(eng) == 1
    proposals.withdraw(eng, later, actor="zhou", role="editor")
    assert proposals.get(eng, later).status == "withdrawn"
    with pytest.raises(sa.exc.IntegrityError):  # foreign keys are enforced again after the copy
        with eng.begin() as conn:
            conn.execute(schema.layer_versions.update().values(proposal_id=999))
