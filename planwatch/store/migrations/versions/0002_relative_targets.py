"""relative targets: kind and base year of a target value

A plan may set a target relative to a base-year figure (儿童意外伤害死亡率以2020年为基数下降
20%). ``relative`` says how the amount in ``value`` applies to the base figure and
``base_year`` which year's figure; both are null for an absolute target.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = "relative IS NULL OR relative IN ('percent', 'points', 'multiple', 'annual_growth', 'annual_points')"
_NEEDS_NUMBER = "relative IS NULL OR (comparator IS NOT NULL AND value IS NOT NULL)"
_BASE_ONLY_RELATIVE = "base_year IS NULL OR relative IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relative", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("base_year", sa.Integer(), nullable=True))
    # A second batch: SQLite rebuilds the table, and a constraint naming both new columns
    # inside the batch that adds them is a dependency cycle for the rebuild.
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f("ck_target_value_relative"), _KINDS)
        batch_op.create_check_constraint(batch_op.f("ck_target_value_relative_number"), _NEEDS_NUMBER)
        batch_op.create_check_constraint(batch_op.f("ck_target_value_base_year"), _BASE_ONLY_RELATIVE)


def downgrade() -> None:
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_target_value_base_year"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_target_value_relative_number"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_target_value_relative"), type_="check")
    with op.batch_alter_table("target_value", schema=None) as batch_op:
        batch_op.drop_column("base_year")
        batch_op.drop_column("relative")
