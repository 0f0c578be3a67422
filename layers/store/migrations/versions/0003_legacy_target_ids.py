"""Recorded target values follow their figure from the first release's ids to today's.

The first release numbered targets ``target-001`` …; today's reader names each
figure by a hash of what and where it is. ``legacy_target_ids.csv`` (made once by
``scripts/legacy_target_ids.py`` and frozen here) says which new id states the
same figure as each old one; ids not in it are left as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MAPPING = Path(__file__).resolve().parents[1] / "legacy_target_ids.csv"


def _pairs() -> list[tuple[str, str]]:
    with MAPPING.open(encoding="utf-8", newline="") as handle:
        return [(row["old_id"], row["new_id"]) for row in csv.DictReader(handle)]


def _remap(pairs: list[tuple[str, str]]) -> None:
    progress = sa.table("target_progress", sa.column("target_id", sa.Text))
    bind = op.get_bind()
    for old, new in pairs:
        bind.execute(progress.update().where(progress.c.target_id == old).values(target_id=new))


def upgrade() -> None:
    _remap(_pairs())


def downgrade() -> None:
    _remap([(new, old) for old, new in _pairs()])
