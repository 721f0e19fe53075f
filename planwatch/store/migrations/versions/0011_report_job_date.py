"""report job date: the day a report job's documents are dated (落款), as the office asked

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Null for every job asked for before this revision and for one asked for without a date:
such a job's documents are dated the day they are written, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_jobs", schema=None) as batch_op:
        batch_op.drop_column("report_date")
