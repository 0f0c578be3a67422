"""The database schema: every table as a SQLAlchemy Core ``Table`` on one ``MetaData``.

This module is the contract between the store (accounts, audit log, imported
projects, target values) and the review workflow (proposals, versions, status,
comments). Alembic migrations in ``layers/store/migrations/`` create exactly
these tables; change both together, and only by adding columns.

Timestamps are :class:`UTCDateTime`: timezone-aware UTC ``datetime`` objects
on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

#: Constraint names Alembic can rely on (SQLite batch mode needs named constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ROLES = ("editor", "approver", "admin")
PROPOSAL_KINDS = ("feature", "text", "line")
AREA_KINDS = ("zone", "park")
PROPOSAL_STATUSES = ("draft", "pending", "approved", "rejected", "superseded", "withdrawn")
OBJECT_KINDS = ("zone", "park", "edge")
REVIEW_STATUSES = ("待核实", "已核实", "有异议")

#: Longest accepted free texts; the app rejects longer input with a message rather than cutting it.
NAME_MAX = 200
PERSON_MAX = 50
NOTE_MAX = 2000


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no time zones and returns naive values; PostgreSQL returns aware
    ones. Both come back aware and in UTC, so comparisons never mix the two.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(timezone.utc)")
        value = value.astimezone(timezone.utc)
        # SQLite stores text: keep it naive UTC so string order is time order.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (what every timestamp column takes)."""
    return datetime.now(timezone.utc)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


# -- accounts ---------------------------------------------------------------

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(PERSON_MAX), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=True),  # NULL: signs in only through OIDC
    Column("email", String(254), nullable=True, unique=True),
    Column("active", Boolean(name="active_bool"), nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    _one_of("role", ROLES, "role"),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(254), nullable=False),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    Column("ok", Boolean(name="ok_bool"), nullable=False),
    Column("client", String(200), nullable=True),
    Index("ix_login_attempts_username_at", "username", "at"),
)

#: Append-only: the app has no update or delete, and a trigger (see the migration) refuses them.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("before_json", Text, nullable=True),
    Column("after_json", Text, nullable=True),
    Column("detail", Text, nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_action", "action"),
)

# -- review workflow (engineer B) -------------------------------------------

proposals = Table(
    "proposals", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("area_kind", String(8), nullable=True),
    Column("area_id", String(64), nullable=True),
    Column("side", String(8), nullable=True),
    Column("feature_name", String(NAME_MAX), nullable=True),
    Column("payload_json", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("checks_json", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("author", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),
    Column("decision_reason", Text, nullable=True),
    _one_of("kind", PROPOSAL_KINDS, "kind"),
    _one_of("area_kind", AREA_KINDS, "area_kind"),
    _one_of("status", PROPOSAL_STATUSES, "status"),
    Index("ix_proposals_status", "status"),
)

#: Version 0 is the plan-derived ``geodata/``: implicit, never stored.
layer_versions = Table(
    "layer_versions", metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("created_by", String(64), nullable=False),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=True),
    Column("restored_from", Integer, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("files_json", Text, nullable=False),
    CheckConstraint("number > 0", name="positive_number"),
)

review_status = Table(
    "review_status", metadata,
    Column("id", Integer, primary_key=True),
    Column("object_kind", String(8), nullable=False),
    Column("object_id", String(200), nullable=False),
    Column("status", String(8), nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False, default=utcnow),
    UniqueConstraint("object_kind", "object_id", name="uq_review_status_object"),
    _one_of("object_kind", OBJECT_KINDS, "object_kind"),
    _one_of("status", REVIEW_STATUSES, "status"),
)

comments = Table(
    "comments", metadata,
    Column("id", Integer, primary_key=True),
    Column("object_kind", String(8), nullable=False),
    Column("object_id", String(200), nullable=False),
    Column("author", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    Column("text", Text, nullable=False),
    Index("ix_comments_object", "object_kind", "object_id"),
)

# -- the tables of the pre-Alembic SQLite store, kept and extended -----------

#: Deleting marks rows (``deleted_at``/``deletion_id``) so a deletion can be undone.
user_projects = Table(
    "user_projects", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("category", Text),
    Column("status", Text),
    Column("investment_10k_yuan", Float),
    Column("start_year", Integer),
    Column("lon", Float),
    Column("lat", Float),
    Column("zone", Text),
    Column("park", Text),
    Column("location_precision", Text, nullable=False),
    Column("source_file", Text),
    Column("imported_at", UTCDateTime(), nullable=False, default=utcnow),
    # added by the SQLAlchemy store:
    Column("name_key", Text, nullable=True),  # normalised name; unique among live rows
    Column("imported_by", String(64), nullable=True),
    Column("deleted_at", UTCDateTime(), nullable=True),
    Column("deleted_by", String(64), nullable=True),
    Column("deletion_id", String(64), nullable=True),
    Index("user_projects_batch", "batch_id"),
    Index("ix_user_projects_deletion_id", "deletion_id"),
)
#: Two servers confirming the same rows: the database itself refuses the second copy.
Index("uq_user_projects_live_name_key", user_projects.c.name_key, unique=True,
      sqlite_where=user_projects.c.deleted_at.is_(None), postgresql_where=user_projects.c.deleted_at.is_(None))

target_progress = Table(
    "target_progress", metadata,
    Column("id", Integer, primary_key=True),
    Column("target_id", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_on", Date, nullable=False),  # the date the user gives for the value
    Column("note", Text),
    Column("created_at", UTCDateTime(), nullable=False, default=utcnow),  # when it was recorded
    # added by the SQLAlchemy store:
    Column("created_by", String(64), nullable=True),
    Column("deleted_at", UTCDateTime(), nullable=True),
    Column("deleted_by", String(64), nullable=True),
    Index("target_progress_target", "target_id"),
)
