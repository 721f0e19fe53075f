"""indicator series: one collected series shared by indicators of several plans

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_CHECK = "series_id IS NULL OR series_id <> id"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode would copy and drop the indicator table, which SQLite refuses while
        # foreign keys are on and other tables reference it (every loaded workspace); a
        # column added in place may carry its named foreign key and check with it.
        op.execute(
            "ALTER TABLE indicator ADD COLUMN series_id INTEGER"
            " CONSTRAINT fk_indicator_series_id_indicator REFERENCES indicator (id)"
            f" CONSTRAINT ck_indicator_series CHECK ({_CHECK})"
        )
    else:
        op.add_column("indicator", sa.Column("series_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_indicator_series_id_indicator"), "indicator", "indicator", ["series_id"], ["id"]
        )
        op.create_check_constraint(op.f("ck_indicator_series"), "indicator", _CHECK)
    op.create_index(op.f("ix_indicator_series_id"), "indicator", ["series_id"], unique=False)


def downgrade() -> None:
    """On SQLite the table is rebuilt: run it on a connection with foreign keys off."""
    op.drop_index(op.f("ix_indicator_series_id"), table_name="indicator")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_indicator_series"), type_="check")
        if op.get_bind().dialect.name != "sqlite":  # there, dropping the column drops its reference
            batch_op.drop_constraint(batch_op.f("fk_indicator_series_id_indicator"), type_="foreignkey")
        batch_op.drop_column("series_id")
