"""The schema of the pre-Alembic release: imported projects and target values.

A SQLite file made by that release (``PRAGMA user_version = 1``, no
``alembic_version`` table) already has these tables; ``upgrade()`` in
``layers/store/database.py`` stamps it at this revision and carries on from here.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from layers.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("investment_10k_yuan", sa.Float),
        sa.Column("start_year", sa.Integer),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("zone", sa.Text),
        sa.Column("park", sa.Text),
        sa.Column("location_precision", sa.Text, nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("user_projects_batch", "user_projects", ["batch_id"])
    op.create_table(
        "target_progress",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("target_id", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("target_progress_target", "target_progress", ["target_id"])


def downgrade() -> None:
    op.drop_table("target_progress")
    op.drop_table("user_projects")
