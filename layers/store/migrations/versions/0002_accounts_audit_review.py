"""Accounts, sign-in attempts, the append-only audit log, the review tables; undoable deletes.

Also brings rows written by the pre-Alembic release into the new shape:
ISO-8601 text timestamps become the stored form SQLAlchemy reads, every project
gets its normalised name key, and rows that duplicate an earlier name (which
that release let two servers store) are kept but marked deleted, so the unique
key on live names can hold. Infinite target values (which that release saved)
are kept but marked deleted too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

from layers.store.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE_DELETION = "upgrade-duplicates"


def _name_key(name: str) -> str:
    """Frozen copy of ``layers.store.names.name_key`` as it was at this revision."""
    text = unicodedata.normalize("NFKC", str(name)).replace("\x00", "")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _create_tables() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("active", sa.Boolean(name="active_bool"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("role IN ('editor', 'approver', 'admin')", name="ck_users_role"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(254), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(name="ok_bool"), nullable=False),
        sa.Column("client", sa.String(200), nullable=True),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("before_json", sa.Text, nullable=True),
        sa.Column("after_json", sa.Text, nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("area_kind", sa.String(8), nullable=True),
        sa.Column("area_id", sa.String(64), nullable=True),
        sa.Column("side", sa.String(8), nullable=True),
        sa.Column("feature_name", sa.String(200), nullable=True),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("checks_json", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.CheckConstraint("kind IN ('feature', 'text', 'line')", name="ck_proposals_kind"),
        sa.CheckConstraint("area_kind IN ('zone', 'park')", name="ck_proposals_area_kind"),
        sa.CheckConstraint("status IN ('draft', 'pending', 'approved', 'rejected', 'superseded')",
                           name="ck_proposals_status"),
    )
    op.create_index("ix_proposals_status", "proposals", ["status"])
    op.create_table(
        "layer_versions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id",
                  name="fk_layer_versions_proposal_id_proposals"), nullable=True),
        sa.Column("restored_from", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("files_json", sa.Text, nullable=False),
        sa.CheckConstraint("number > 0", name="ck_layer_versions_positive_number"),
    )
    op.create_table(
        "review_status",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("object_kind", sa.String(8), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("object_kind", "object_id", name="uq_review_status_object"),
        sa.CheckConstraint("object_kind IN ('zone', 'park', 'edge')", name="ck_review_status_object_kind"),
        sa.CheckConstraint("status IN ('待核实', '已核实', '有异议')", name="ck_review_status_status"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("object_kind", sa.String(8), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_comments_object", "comments", ["object_kind", "object_id"])


def _append_only_audit_log(dialect: str) -> None:
    """The database itself refuses UPDATE and DELETE on audit_log (and TRUNCATE on PostgreSQL)."""
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        return
    op.execute("CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$")
    op.execute("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
    op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")


def _extend_release_tables() -> None:
    for name, type_ in (("name_key", sa.Text()), ("imported_by", sa.String(64)), ("deleted_at", UTCDateTime()),
                        ("deleted_by", sa.String(64)), ("deletion_id", sa.String(64))):
        op.add_column("user_projects", sa.Column(name, type_, nullable=True))
    op.create_index("ix_user_projects_deletion_id", "user_projects", ["deletion_id"])
    for name, type_ in (("created_by", sa.String(64)), ("deleted_at", UTCDateTime()),
                        ("deleted_by", sa.String(64))):
        op.add_column("target_progress", sa.Column(name, type_, nullable=True))


def _convert_release_rows(bind) -> None:
    """Rows of the pre-Alembic release: ISO text times, no name key, possibly duplicated names."""
    if bind.dialect.name == "sqlite":
        # That release wrote '2026-11-27T08:00:00+00:00' (always UTC); SQLAlchemy reads 'YYYY-MM-DD HH:MM:SS'.
        for table, column in (("user_projects", "imported_at"), ("target_progress", "created_at")):
            op.execute(f"UPDATE {table} SET {column} = replace(substr({column}, 1, 19), 'T', ' ') "
                       f"WHERE {column} LIKE '____-__-__T%'")
    # That release saved 1e309, -inf and 400 nines as ±Infinity; such a record is kept but set aside.
    op.execute("UPDATE target_progress SET deleted_at = created_at, deleted_by = '系统升级' "
               "WHERE value > 1.7976931348623157e308 OR value < -1.7976931348623157e308")
    rows = bind.execute(sa.text("SELECT id, name FROM user_projects ORDER BY id")).all()
    seen: set[str] = set()
    duplicates: list[int] = []
    for row_id, name in rows:
        key = _name_key(name)
        bind.execute(sa.text("UPDATE user_projects SET name_key = :k WHERE id = :i"), {"k": key, "i": row_id})
        if key in seen:
            duplicates.append(row_id)
        seen.add(key)
    if duplicates:
        bind.execute(sa.text("UPDATE user_projects SET deleted_at = imported_at, deleted_by = '系统升级', "
                             "deletion_id = :d WHERE id = :i"),
                     [{"d": UPGRADE_DELETION, "i": i} for i in duplicates])


def _postgis(bind) -> None:
    """PostgreSQL deployments get a PostGIS point for every located project, kept by the database."""
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("ALTER TABLE user_projects ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
               "(CASE WHEN lon IS NOT NULL AND lat IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END)"
               " STORED")
    op.execute("CREATE INDEX ix_user_projects_geom ON user_projects USING gist (geom)")


def upgrade() -> None:
    bind = op.get_bind()
    _create_tables()
    _append_only_audit_log(bind.dialect.name)
    _extend_release_tables()
    _convert_release_rows(bind)
    op.create_index("uq_user_projects_live_name_key", "user_projects", ["name_key"], unique=True,
                    sqlite_where=sa.text("deleted_at IS NULL"), postgresql_where=sa.text("deleted_at IS NULL"))
    _postgis(bind)


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("uq_user_projects_live_name_key", "user_projects")
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE user_projects DROP COLUMN geom")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_index("ix_user_projects_deletion_id", "user_projects")
    with op.batch_alter_table("target_progress") as batch:
        for name in ("deleted_by", "deleted_at", "created_by"):
            batch.drop_column(name)
    with op.batch_alter_table("user_projects") as batch:
        for name in ("deletion_id", "deleted_by", "deleted_at", "imported_by", "name_key"):
            batch.drop_column(name)
    for table in ("comments", "review_status", "layer_versions", "proposals", "audit_log", "login_attempts",
                  "users"):
        op.drop_table(table)
