"""pulled_submission: the provenance of figures a city pulls from its districts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

A city's workspace holds its districts' approved figures as submissions of its own; this
table says for each such submission where it came from (district workspace or SDMX file),
which submission and revision there, approved when, and when and by whom it was pulled.
Plain portable DDL: one table, a CHECK on the source kind, a unique foreign key.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pulled_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("source_submission_id", sa.Integer(), nullable=True),
        sa.Column("source_revision", sa.Integer(), nullable=True),
        sa.Column("source_approved_at", _utc(), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("pulled_at", _utc(), nullable=False),
        sa.Column("pulled_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("source_kind IN ('workspace', 'sdmx-csv')", name=op.f("ck_pulled_submission_source_kind")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_pulled_submission_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulled_submission")),
        sa.UniqueConstraint("submission_id", name=op.f("uq_pulled_submission_submission_id")),
    )


def downgrade() -> None:
    op.drop_table("pulled_submission")
