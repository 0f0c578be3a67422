"""Proposals can be withdrawn by their author: a new status, ``withdrawn``.

SQLite cannot alter a CHECK constraint, so Alembic's batch mode copies the
table; :func:`layers.store.engine.upgrade` turns SQLite's foreign keys off for
that copy (``layer_versions`` refers to proposals) and checks them before it
commits.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BEFORE = ("draft", "pending", "approved", "rejected", "superseded")
_AFTER = (*_BEFORE, "withdrawn")


def _allow(statuses: tuple[str, ...]) -> None:
    quoted = ", ".join(f"'{s}'" for s in statuses)
    with op.batch_alter_table("proposals") as batch:
        batch.drop_constraint("ck_proposals_status", type_="check")
        batch.create_check_constraint("ck_proposals_status", f"status IN ({quoted})")


def upgrade() -> None:
    _allow(_AFTER)


def downgrade() -> None:
    op.execute("UPDATE proposals SET status = 'rejected' WHERE status = 'withdrawn'")
    _allow(_BEFORE)
