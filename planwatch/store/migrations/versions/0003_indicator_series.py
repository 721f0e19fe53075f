"""indicator series: one collected series shared by indicators of several plans

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_indicator_series_id"), ["series_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_indicator_series_id_indicator"), "indicator", ["series_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_indicator_series"), "series_id IS NULL OR series_id <> id"
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_indicator_series"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_indicator_series_id_indicator"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_indicator_series_id"))
        batch_op.drop_column("series_id")
