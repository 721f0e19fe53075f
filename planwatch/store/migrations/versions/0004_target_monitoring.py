"""target monitoring mode: 量化监测 / 定性评价 / 不纳入监测

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Existing targets get the mode the loader gives new ones: a target with a number or a
direction is monitored by figures (quantitative), any other is rated by its lead units
(qualitative). Nothing is excluded until a user says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("monitoring", sa.String(length=12), nullable=True))
    op.execute(
        "UPDATE target SET monitoring = CASE WHEN kind = 'qualitative' THEN 'qualitative' "
        "ELSE 'quantitative' END"
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.alter_column("monitoring", existing_type=sa.String(length=12), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_target_monitoring"), "monitoring IN ('quantitative', 'qualitative', 'excluded')"
        )


def downgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_target_monitoring"), type_="check")
        batch_op.drop_column("monitoring")
